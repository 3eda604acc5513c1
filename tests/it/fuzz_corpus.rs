//! Replays the coverage-guided fuzzers' corpus on stable `cargo test`. The fuzzers
//! (cargo-fuzz, libFuzzer; they need nightly) live in `fuzz/`, and their corpus is kept in
//! the repository: `fuzz/corpus/<target>/` holds the minimised inputs that reach the
//! coverage found so far, and `fuzz/regressions/<target>/` every input that once crashed
//! a target. Each file is fed through the very functions the fuzz targets call
//! (`fuzz/src/lib.rs`, mounted here as a module), so a change that breaks a loader on any
//! of them fails here without nightly. To fuzz further, from the repository root:
//!
//! ```text
//! cd fuzz
//! cargo +nightly fuzz run scale   -- -max_total_time=240 -dict=dict/json.dict
//! cargo +nightly fuzz run review  -- -max_total_time=240 -dict=dict/json.dict
//! cargo +nightly fuzz run csv     -- -max_total_time=240 -dict=dict/csv.dict
//! cargo +nightly fuzz run package -- -max_total_time=240 -dict=dict/json.dict
//! python3 trim_corpus.py review 600000   # back to its byte budget, most coverage kept
//! ```
//!
//! A crash lands in `fuzz/artifacts/<target>/`; after the fix, copy it into
//! `fuzz/regressions/<target>/` under a name that says what it was. `fuzz/README.md` has
//! the rest and the results of the runs so far.

#[path = "../../fuzz/src/lib.rs"]
mod targets;

use std::path::{Path, PathBuf};

/// Fewer files than this in a target's corpus means it went missing, not that the target
/// is covered: the test must not pass by replaying nothing.
const AT_LEAST: usize = 5;

/// The files of `fuzz/<kind>/<target>/`, sorted (none when the folder does not exist:
/// a target may have no regressions).
fn files(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(kind).join(target);
    let mut out: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    // Dot files (`.gitkeep`) are not inputs.
    out.retain(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')));
    out.sort();
    out
}

/// Feeds every corpus and regression file of `target` to `run`; returns how many corpus
/// files there were. A panic names the file, so it can be run under the fuzzer again.
fn replay(target: &str, run: fn(&[u8])) -> usize {
    let corpus = files("corpus", target);
    for path in corpus.iter().chain(&files("regressions", target)) {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if std::panic::catch_unwind(|| run(&bytes)).is_err() {
            panic!("{target}: {} fails (see the panic above)", path.display());
        }
    }
    corpus.len()
}

#[test]
fn scale_corpus() {
    let n = replay("scale", targets::scale);
    assert!(n >= AT_LEAST, "only {n} files in fuzz/corpus/scale");
}

#[test]
fn review_corpus() {
    let n = replay("review", targets::review);
    assert!(n >= AT_LEAST, "only {n} files in fuzz/corpus/review");
}

#[test]
fn csv_corpus() {
    let n = replay("csv", targets::csv);
    assert!(n >= AT_LEAST, "only {n} files in fuzz/corpus/csv");
}

#[test]
fn package_corpus() {
    let n = replay("package", targets::package);
    assert!(n >= AT_LEAST, "only {n} files in fuzz/corpus/package");
}
