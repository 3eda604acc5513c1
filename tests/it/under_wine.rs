//! The Windows build under Wine: the cases where Windows behaves differently from Linux.
//! `tests/windows/run.sh` builds `ips-fidelity.exe` and the test fixtures with mingw-w64 and
//! runs these (they are `#[ignore]`d in a plain `cargo test`, which has no Windows build:
//! shown as ignored, never as passed) with `IPS_FIDELITY_WINE_EXE` naming the exe and
//! `IPS_FIDELITY_WINE_FIXTURES` the folder of `hold-open.exe`. What only a real Windows
//! can prove is in RELIABILITY.md.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{copy_tree, files_of, repo, tempdir, write};

fn env_path(var: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{var} is not set: these tests are run by tests/windows/run.sh"))
}

/// The Windows exe under test.
pub fn exe() -> PathBuf {
    env_path("IPS_FIDELITY_WINE_EXE")
}

/// `wine PROGRAM args…` in `dir`, with English messages.
pub fn wine(program: &Path, dir: &Path) -> Command {
    let mut c = Command::new("wine");
    c.arg(program).current_dir(dir).env("WINEDEBUG", "-all").env_remove("IPS_FIDELITY_WORKSPACE");
    for var in ["LC_ALL", "LANGUAGE"] {
        c.env_remove(var);
    }
    // UTF-8 for Wine's command line ("IPS Sørvik" arrives whole), English for the messages.
    c.env("LANG", "C.UTF-8").env("LC_MESSAGES", "en_US.UTF-8");
    c.env("IPS_FIDELITY_CACHE_DIR", dir.join("cache"));
    c
}

/// Runs the exe with `args` in `dir`: exit code and all it printed.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = wine(&exe(), dir).args(args).stdin(Stdio::null()).output().expect("cannot run wine");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("panicked"), "the exe panicked: {text}");
    (out.status.code(), text)
}

/// A scratch folder with the examples, as the documented commands expect.
fn scratch() -> tempfile::TempDir {
    let dir = tempdir();
    for folder in ["examples", "scales"] {
        copy_tree(&repo(folder), &dir.path().join(folder));
    }
    dir
}

fn service_folders(ws: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ws.join("services"))
        .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.retain(|n| !n.starts_with('.'));
    names.sort();
    names
}

/// The import that failed on Windows with "Access denied" (the staging folder of a new
/// service could not be renamed into place): twice, into a new workspace.
#[test]
#[ignore = "needs the Windows build under Wine: tests/windows/run.sh"]
fn importing_into_a_new_workspace_works_twice() {
    let dir = scratch();
    for attempt in 1..=2 {
        let (code, out) =
            run(dir.path(), &["import", r"examples\import.csv", r"examples\minimal.json", "--workspace", "ws"]);
        assert_eq!(code, Some(0), "attempt {attempt}: {out}");
    }
    assert_eq!(service_folders(&dir.path().join("ws")), ["ips-bodo", "ips-sorvik"]);
}

/// A report open in a PDF reader (which holds it without letting others delete it): the
/// new report is not written over it, the message names the file and says why, the old
/// one is whole and no temporary file is left; once it is closed, the report is written.
#[test]
#[ignore = "needs the Windows build under Wine: tests/windows/run.sh"]
fn a_file_held_open_by_another_program_is_not_replaced_and_the_message_says_so() {
    let dir = scratch();
    let args = ["report", r"examples\minimal.json", "-o", "report.pdf"];
    let (code, out) = run(dir.path(), &args);
    assert_eq!(code, Some(0), "{out}");
    let before = files_of(dir.path());
    let fixtures = env_path("IPS_FIDELITY_WINE_FIXTURES");
    let mut holder = wine(&fixtures.join("hold-open.exe"), dir.path())
        .arg("report.pdf")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start hold-open.exe");
    let mut line = String::new();
    std::io::BufReader::new(holder.stdout.take().expect("stdout")).read_line(&mut line).expect("read");
    assert_eq!(line.trim(), "holding");
    let (code, out) = run(dir.path(), &args);
    assert_ne!(code, Some(0), "a file held open was replaced: {out}");
    assert!(out.contains("report.pdf") && out.contains("open in another program"), "{out}");
    assert_eq!(files_of(dir.path()), before, "nothing changed, nothing left behind");
    // Closed: written now.
    drop(holder.stdin.take().map(|mut s| s.flush()));
    let _ = holder.wait();
    let (code, out) = run(dir.path(), &args);
    assert_eq!(code, Some(0), "{out}");
}

/// Two imports of the same file at once (two colleagues, one share): one service, both
/// succeed, nothing twice.
#[test]
#[ignore = "needs the Windows build under Wine: tests/windows/run.sh"]
fn two_imports_at_once_make_one_service() {
    let dir = scratch();
    let start = || {
        wine(&exe(), dir.path())
            .args(["import", r"examples\import.csv", "--workspace", "ws"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start wine")
    };
    let (a, b) = (start(), start());
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{text}");
    }
    let ws = dir.path().join("ws");
    assert_eq!(service_folders(&ws), ["ips-sorvik"], "one service, not twins");
    let reviews = std::fs::read_dir(ws.join("services/ips-sorvik/evaluations")).expect("reviews").count();
    assert_eq!(reviews, 3, "each review once");
}

/// Service names that are no file name on Windows (devices, `: * ? " < > |`, a trailing
/// dot or space) get folders Windows accepts, and keep their names.
#[test]
#[ignore = "needs the Windows build under Wine: tests/windows/run.sh"]
fn names_windows_forbids_get_folders_it_accepts() {
    let dir = scratch();
    let header = std::fs::read_to_string(repo("examples/import.csv")).expect("csv");
    let header = header.lines().next().expect("header");
    let scores = ",2026-03-09,independent,ips-25".to_string() + &",3".repeat(25);
    let names = ["CON", "aux.json", "\"A: B * C? <D> | E\"", "Nordby. ", "LPT1 "];
    let rows: Vec<String> = names.iter().map(|n| format!("{n}{scores}")).collect();
    write(&dir.path().join("odd.csv"), &format!("{header}\n{}\n", rows.join("\n")));
    let (code, out) = run(dir.path(), &["import", "odd.csv", "--workspace", "ws"]);
    assert_eq!(code, Some(0), "{out}");
    let folders = service_folders(&dir.path().join("ws"));
    assert_eq!(folders.len(), 5, "{folders:?}");
    const DEVICES: [&str; 6] = ["con", "prn", "aux", "nul", "com1", "lpt1"];
    for f in &folders {
        let stem = f.split('.').next().unwrap_or(f).trim().to_ascii_lowercase();
        assert!(!DEVICES.contains(&stem.as_str()), "{f}");
        assert!(!f.ends_with('.') && !f.ends_with(' ') && !f.contains([':', '*', '?', '"', '<', '>', '|']), "{f}");
    }
    let (code, out) = run(dir.path(), &["export", "--format", "csv", "-o", "-", "--workspace", "ws"]);
    assert_eq!(code, Some(0), "{out}");
    for name in ["CON", "aux.json", "A: B * C? <D> | E", "Nordby.", "LPT1"] {
        assert!(out.contains(name), "{name} kept as the service's name: {out}");
    }
    // A device name as the output file is refused, not written to the device.
    let (code, out) = run(dir.path(), &["report", r"examples\minimal.json", "-o", "aux.pdf"]);
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("aux.pdf"), "{out}");
}

/// A workspace deeper than Windows' old 260-character path limit.
#[test]
#[ignore = "needs the Windows build under Wine: tests/windows/run.sh"]
fn a_workspace_deeper_than_260_characters() {
    let dir = scratch();
    let deep: PathBuf = (0..12).map(|i| format!("a-folder-with-a-long-name-{i:02}")).collect();
    let ws = dir.path().join(&deep).join("ws");
    assert!(ws.to_string_lossy().len() > 300);
    std::fs::create_dir_all(&ws).expect("deep folder");
    let ws_arg = format!(r"{}\ws", deep.to_string_lossy().replace('/', r"\"));
    let (code, out) = run(dir.path(), &["import", r"examples\import.csv", "--workspace", &ws_arg]);
    assert_eq!(code, Some(0), "{out}");
    let report = format!(r"{ws_arg}\report.pdf");
    let (code, out) =
        run(dir.path(), &["report", "--workspace", &ws_arg, "--service", "IPS Sørvik", "-o", report.as_str()]);
    assert_eq!(code, Some(0), "{out}");
    assert!(std::fs::read(ws.join("report.pdf")).expect("report").starts_with(b"%PDF"));
    let (code, out) = run(dir.path(), &["export", "--format", "csv", "-o", "-", "--workspace", &ws_arg]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out.lines().count(), 4, "a header and three reviews: {out}");
}

/// A review file marked read-only (Properties → Read-only): a change is refused with a
/// message that says so, and the file is as it was.
#[test]
#[ignore = "needs the Windows build under Wine: tests/windows/run.sh"]
fn a_read_only_review_file_is_not_changed_and_the_message_says_so() {
    let dir = scratch();
    copy_tree(&repo("examples/workspace"), &dir.path().join("ws"));
    let file = dir.path().join("ws/services/ips-nordby/evaluations/2026-04-21_independent.json");
    let before = std::fs::read(&file).expect("the example review");
    let attrib = Command::new("wine")
        .args(["cmd", "/c", "attrib", "+r", r"ws\services\ips-nordby\evaluations\2026-04-21_independent.json"])
        .current_dir(dir.path())
        .env("WINEDEBUG", "-all")
        .output()
        .expect("attrib");
    assert!(attrib.status.success(), "{attrib:?}");
    let args = ["review", "set-status", "--workspace", "ws", "--service", "IPS Nordby", "--date", "2026-04-21"];
    let (code, out) = run(dir.path(), &[&args[..], &["--to", "draft", "--reason", "Faktasjekk"]].concat());
    assert_ne!(code, Some(0), "a read-only file was changed: {out}");
    assert!(out.contains("2026-04-21_independent.json") && out.contains("read-only"), "{out}");
    assert_eq!(std::fs::read(&file).expect("review"), before);
}
