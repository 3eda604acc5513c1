//! The local index of a workspace (issue 24): an open reads only the files that are new or
//! changed since the last one, counted by strace on the real program; what changed is seen
//! at once; a garbled index is rebuilt; two programs updating it at once leave it whole;
//! opening writes nothing into the workspace; and the app shows a colleague's change
//! without a click.

use crate::util;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use util::{copy_tree, files_of, repo, tempdir};

fn example() -> tempfile::TempDir {
    let dir = tempdir();
    copy_tree(&repo("examples/workspace"), dir.path());
    dir
}

/// Runs the program with its index in `cache` under strace, and returns its standard output
/// and the review files it opened.
fn traced(args: &[&str], cache: &Path) -> (String, Vec<String>) {
    util::ensure_tool("strace", "strace");
    let dir = tempdir();
    let trace = dir.path().join("trace");
    let out = Process::new("strace")
        .args(["-f", "-qq", "-e", "trace=openat", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_ips-fidelity"))
        .args(args)
        .env("IPS_FIDELITY_CACHE_DIR", cache)
        // Written whatever the disk's speed: these tests count what a warm open reads.
        .env("IPS_FIDELITY_INDEX_WRITE", "always")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("strace");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&trace).expect("trace");
    let opened = text
        .lines()
        .filter(|l| l.contains("/evaluations/") && l.contains(".json\"") && !l.contains("O_DIRECTORY"))
        .filter(|l| !l.contains("ENOENT"))
        .map(|l| l.split('"').nth(1).unwrap_or("").to_string())
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), opened)
}

fn index_files(cache: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(cache).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(dir.path()).into_iter().flatten().flatten() {
            out.push(f.path());
        }
    }
    out
}

/// The second open of a workspace reads no review file; after one is edited, one added,
/// one removed and a sync conflict copy appears, the next open reads just the new and
/// changed ones and shows all four changes. Nothing is written into the workspace.
#[test]
fn an_open_reads_only_what_is_new_or_changed_and_sees_every_change() {
    let ws = example();
    let cache = tempdir();
    let ws_arg = ws.path().display().to_string();
    let before = files_of(ws.path());
    let export = ["export", "--format", "csv", "--workspace", &ws_arg];
    let (cold, opened) = traced(&export, cache.path());
    assert_eq!(opened.len(), 3, "the first open reads every review: {opened:?}");
    assert!(!index_files(cache.path()).is_empty(), "the index is in the cache folder");
    let (warm, opened) = traced(&export, cache.path());
    assert_eq!(opened, Vec::<String>::new(), "the second reads none");
    assert_eq!(warm, cold, "and shows the same");
    assert!(files_of(ws.path()) == before, "opening wrote nothing into the workspace");
    let evaluations = ws.path().join("services/ips-nordby/evaluations");
    // Edited: B1 of the 2025 review from 3 to 1 (another size, another time).
    let edited = evaluations.join("2025-04-08_independent.json");
    let text = std::fs::read_to_string(&edited).expect("review");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let old_b1 = v["scores"]["B1"].clone();
    v["scores"]["B1"] = serde_json::json!(1);
    std::fs::write(&edited, serde_json::to_string_pretty(&v).expect("json")).expect("edit");
    // Added: a review of another date.
    let mut added = v.clone();
    added["date"] = serde_json::json!("2026-10-01");
    std::fs::write(evaluations.join("2026-10-01_independent.json"), added.to_string()).expect("add");
    // Removed: the first review.
    std::fs::remove_file(evaluations.join("2024-05-14_independent.json")).expect("remove");
    // A sync client's conflict copy of the latest review.
    std::fs::copy(
        evaluations.join("2026-04-21_independent.json"),
        evaluations.join("2026-04-21_independent (Kari Lunde's conflicted copy 2026-11-30).json"),
    )
    .expect("copy");
    let (after, opened) = traced(&export, cache.path());
    let mut opened: Vec<String> = opened.iter().map(|p| p.rsplit('/').next().unwrap_or("").to_string()).collect();
    opened.sort();
    assert_eq!(
        opened,
        vec![
            "2025-04-08_independent.json".to_string(),
            "2026-04-21_independent (Kari Lunde's conflicted copy 2026-11-30).json".to_string(),
            "2026-10-01_independent.json".to_string(),
        ],
        "only the new and changed files"
    );
    let rows: Vec<&str> = after.lines().filter(|l| l.starts_with("IPS Nordby,")).collect();
    assert_eq!(rows.len(), 3, "2025, 2026 and the new one; the removed one is gone, the copy is not a row: {after}");
    assert!(!after.contains("2024-05-14"), "{after}");
    assert!(after.contains("2026-10-01"), "{after}");
    let row_2025 = rows.iter().find(|r| r.contains("2025-04-08")).expect("2025 row");
    assert!(row_2025.contains(",1,") && old_b1 != serde_json::json!(1), "the edit is seen: {row_2025}");
    let summary = Process::new(env!("CARGO_BIN_EXE_ips-fidelity"))
        .args(["summary", "--workspace", &ws_arg])
        .env("IPS_FIDELITY_CACHE_DIR", cache.path())
        .output()
        .expect("summary");
    assert!(String::from_utf8_lossy(&summary.stderr).contains("conflicted copy"), "the copy is named");
}

/// A garbled, cut-off or foreign index file is ignored and written again; two programs
/// updating the same index at once leave every index file whole, and the next open reads
/// nothing from the workspace.
#[test]
fn a_garbled_index_is_rebuilt_and_two_writers_leave_it_whole() {
    let ws = example();
    let cache = tempdir();
    let ws_arg = ws.path().display().to_string();
    let export = ["export", "--format", "csv", "--workspace", &ws_arg];
    let (good, _) = traced(&export, cache.path());
    for garbage in ["", "{\"format_version\": 1, \"folder\": \"ips-nor", "[1, 2, 3]", "{\"format_version\": 99}"] {
        for f in index_files(cache.path()) {
            std::fs::write(&f, garbage).expect("garble");
        }
        let (out, opened) = traced(&export, cache.path());
        assert_eq!(out, good, "{garbage:?}: the same rows");
        assert_eq!(opened.len(), 3, "{garbage:?}: read from the workspace again");
        let (_, opened) = traced(&export, cache.path());
        assert!(opened.is_empty(), "{garbage:?}: rebuilt");
    }
    // Two at once, five times, each after every review changed.
    for round in 0..5 {
        for f in std::fs::read_dir(ws.path().join("services/ips-nordby/evaluations")).expect("dir").flatten() {
            let text = std::fs::read_to_string(f.path()).expect("review");
            std::fs::write(f.path(), format!("{}{}", text.trim_end(), " ".repeat(round + 1))).expect("touch");
        }
        let start = || {
            util::bin()
                .args(export)
                .env("IPS_FIDELITY_CACHE_DIR", cache.path())
                .env("IPS_FIDELITY_INDEX_WRITE", "always")
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn")
        };
        let (a, b) = (start(), start());
        for mut child in [a, b] {
            assert!(child.wait().expect("wait").success());
        }
        for f in index_files(cache.path()) {
            assert!(ips_store::index::is_whole_shard(&f), "round {round}: {} whole", f.display());
        }
        let (_, opened) = traced(&export, cache.path());
        assert!(opened.is_empty(), "round {round}: {opened:?}");
    }
}

/// By default the index is written only where reading the workspace is slow: on the local
/// disk an open leaves the cache folder empty (the files come from the page cache as fast
/// as the index would), while with every `openat` delayed 2 ms (a network share, through
/// strace) the first open writes it and the second reads no review file.
#[test]
fn the_index_is_written_where_the_workspace_is_slow_to_read() {
    util::ensure_tool("strace", "strace");
    let ws = tempdir();
    let ws_arg = ws.path().display().to_string();
    let generate = util::bin()
        .args(["dev", "generate", "--services", "4", "--reviews", "12", "--seed", "3", "--workspace", &ws_arg])
        .output()
        .expect("generate");
    assert!(generate.status.success(), "{}", String::from_utf8_lossy(&generate.stderr));
    let export = ["export", "--format", "csv", "--workspace", &ws_arg];
    let local = tempdir();
    let out = util::bin().args(export).env("IPS_FIDELITY_CACHE_DIR", local.path()).output().expect("export");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(index_files(local.path()), Vec::<PathBuf>::new(), "the local disk: no index written");

    let share = tempdir();
    let delayed = |cache: &Path| {
        let trace = tempdir();
        let out = Process::new("strace")
            .args(["-f", "-qq", "-e", "trace=openat", "-e", "inject=openat:delay_enter=2000", "-o"])
            .arg(trace.path().join("trace"))
            .arg(env!("CARGO_BIN_EXE_ips-fidelity"))
            .args(export)
            .env("IPS_FIDELITY_CACHE_DIR", cache)
            .env("LANG", "C.UTF-8")
            .output()
            .expect("strace");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(trace.path().join("trace")).expect("trace");
        let reviews_read = text
            .lines()
            .filter(|l| l.contains("/evaluations/") && l.contains(".json\"") && !l.contains("ENOENT"))
            .count();
        (String::from_utf8_lossy(&out.stdout).into_owned(), reviews_read)
    };
    let (cold, read) = delayed(share.path());
    assert_eq!(read, 48, "the first open reads every review");
    assert!(!index_files(share.path()).is_empty(), "a slow share: the index is written");
    let (warm, read) = delayed(share.path());
    assert_eq!(read, 0, "the second open reads none");
    assert_eq!(warm, cold);
}

/// While the app is open, a review a colleague adds, one they change and one they remove
/// show by themselves at the next look (no click), with a message saying who did what; a
/// review open in the editor is not reloaded under the user's hands.
#[test]
fn the_app_shows_a_colleagues_changes_by_itself() {
    let ws = example();
    let mut app = ips_fidelity::gui::App::new(ws.path(), ips_fidelity::gui::Settings::default(), util::today());
    app.settle();
    let mut h = util::harness(app);
    util::frames(&mut h);
    let evaluations = ws.path().join("services/ips-nordby/evaluations");
    let count = |h: &egui_kittest::Harness<'static, ips_fidelity::gui::App>| {
        let app = h.state();
        let i = app.ws.service_index("ips-nordby").expect("service");
        app.ws.services[i].review_stamps().len()
    };
    assert_eq!(count(&h), 3);
    // A colleague adds a review (with an audit entry by Kari Lunde) and removes one.
    let text = std::fs::read_to_string(evaluations.join("2026-04-21_independent.json")).expect("review");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["date"] = serde_json::json!("2026-11-02");
    v["audit"] = serde_json::json!([
        {"at": "2026-11-02T10:00:00", "by": "Kari Lunde", "change": "status", "from": "planned", "to": "scoring"}
    ]);
    v["status"] = serde_json::json!("scoring");
    std::fs::write(evaluations.join("2026-11-02_independent.json"), v.to_string()).expect("add");
    std::fs::remove_file(evaluations.join("2024-05-14_independent.json")).expect("remove");
    let wait_for = |h: &mut egui_kittest::Harness<'static, ips_fidelity::gui::App>, what: &str| {
        let started = std::time::Instant::now();
        while !util::messages(h.state()).contains(what) {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "never said {what:?}: {}",
                util::messages(h.state())
            );
            h.state().clock.advance(std::time::Duration::from_secs(6));
            h.step();
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        util::frames(h);
    };
    wait_for(&mut h, "Kari Lunde la til en evaluering for IPS Nordby (02.11.2026)");
    assert!(
        util::messages(h.state()).contains("En evaluering for IPS Nordby er fjernet (2024-05-14_independent.json)")
    );
    assert_eq!(count(&h), 3, "one added, one gone");
    let i = h.state().ws.service_index("ips-nordby").expect("service");
    let files: Vec<String> = h.state().ws.services[i].review_files.iter().map(|f| f.file_name.clone()).collect();
    assert!(files.contains(&"2026-11-02_independent.json".to_string()), "{files:?}");
    // Now the user opens the new review; the colleague changes it meanwhile.
    h.state_mut()
        .apply(ips_fidelity::gui::Command::OpenEvaluation("ips-nordby".into(), "2026-11-02_independent.json".into()));
    util::settle(&mut h);
    assert!(h.state().editor.is_some(), "the review is open");
    v["notes"] = serde_json::json!("Endret av en kollega");
    std::fs::write(evaluations.join("2026-11-02_independent.json"), v.to_string()).expect("change");
    wait_for(&mut h, "Kari Lunde endret evalueringen for IPS Nordby (02.11.2026)");
    let i = h.state().ws.service_index("ips-nordby").expect("service");
    let held = &h.state().ws.services[i];
    let e = held.evaluations.iter().find(|r| r.file_name == "2026-11-02_independent.json").expect("held");
    assert_ne!(e.evaluation.notes, "Endret av en kollega", "not reloaded under the user's hands");
}
