//! Nothing lost, nothing counted twice (issue 20): what the tool does at the edges where it
//! used to say "done" and be wrong. Each case starts from a fresh copy of the example
//! workspace and checks the exit code, the message and the files.

use crate::util;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::Command as Process;

use util::{copy_tree, repo, run, tempdir};

fn example() -> tempfile::TempDir {
    let dir = tempdir();
    copy_tree(&repo("examples/workspace"), dir.path());
    dir
}

fn is_root() -> bool {
    Process::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `-o` names a pipe: the export is written into it (a reader gets every row), and the pipe
/// is still a pipe. Before, the output was written beside it and renamed over it.
#[test]
fn output_into_a_named_pipe_is_written_into_and_the_pipe_stays() {
    let ws = example();
    let dir = tempdir();
    let fifo = dir.path().join("rør");
    assert!(Process::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()), "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(&fifo).unwrap_or_default())
    };
    let (ws_arg, out_arg) = (ws.path().display().to_string(), fifo.display().to_string());
    let r = run(&["export", "--format", "csv", "-o", &out_arg, "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = reader.join().expect("reader");
    assert!(text.contains("IPS Nordby,2026-04-21,independent,ips-25,106"), "{text}");
    assert!(std::fs::metadata(&fifo).expect("the pipe").file_type().is_fifo(), "still a pipe");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1, "nothing written beside it");
}

/// `-o` names a character device (made here with mknod, as root: /dev/null's and
/// /dev/full's numbers): it is written into and stays a device; a full one says so, exit 3.
#[test]
fn output_into_a_device_is_written_into_and_the_device_stays() {
    assert!(is_root(), "this test makes device files with mknod and needs root: run `cargo test` as root, as CI does");
    let ws = example();
    let dir = tempdir();
    let (null, full) = (dir.path().join("null"), dir.path().join("full"));
    for (path, minor) in [(&null, "3"), (&full, "7")] {
        let made = Process::new("mknod").arg(path).args(["c", "1", minor]).status();
        assert!(made.is_ok_and(|s| s.success()), "mknod {}", path.display());
    }
    let ws_arg = ws.path().display().to_string();
    let is_device = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.file_type().is_char_device());
    for args in [
        vec!["export", "--format", "csv", "-o"],
        vec!["export", "--format", "package", "--service", "IPS Nordby", "-o"],
        vec!["report", "--service", "IPS Nordby", "-o"],
    ] {
        let mut all = args.clone();
        let null_arg = null.display().to_string();
        all.extend([null_arg.as_str(), "--workspace", &ws_arg]);
        let r = run(&all);
        assert_eq!(r.code, 0, "{all:?}: {}", r.stderr);
        assert!(is_device(&null), "{all:?}: still a device");
        let mut all = args.clone();
        let full_arg = full.display().to_string();
        all.extend([full_arg.as_str(), "--workspace", &ws_arg]);
        let r = run(&all);
        assert_eq!(r.code, 3, "{all:?}: a full device is a full disk: {}", r.stderr);
        assert!(r.stderr.contains(&full_arg), "{all:?}: names the file: {}", r.stderr);
        assert!(is_device(&full), "{all:?}: still a device");
    }
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2, "nothing written beside them");
}

/// A folder named as the output is refused, saying so, and left alone.
#[test]
fn output_onto_a_folder_is_refused() {
    let ws = example();
    let dir = tempdir();
    let (ws_arg, out_arg) = (ws.path().display().to_string(), dir.path().display().to_string());
    let r = run(&["export", "--format", "csv", "-o", &out_arg, "--workspace", &ws_arg]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains(&out_arg), "{}", r.stderr);
    assert!(dir.path().is_dir());
}

/// Copies of a review made by hand (Explorer's "- Kopi", "(1)", SharePoint's "Copy of") and
/// a second file under any name that holds the same review are listed as copies, never
/// counted: the export has one row per review and the summary's means stay.
#[test]
fn copies_of_a_review_are_named_and_never_counted() {
    let ws = example();
    let evals = ws.path().join("services/ips-nordby/evaluations");
    let original = std::fs::read_to_string(evals.join("2026-04-21_independent.json")).expect("review");
    let mut changed: serde_json::Value = serde_json::from_str(&original).expect("json");
    changed["scores"]["B1"] = serde_json::json!(1);
    let changed = serde_json::to_string_pretty(&changed).expect("json");
    for name in [
        "2026-04-21_independent (1).json",
        "2026-04-21_independent - Kopi.json",
        "2026-04-21_independent - Copy.json",
        "Copy of 2026-04-21_independent.json",
        "Kopi av 2026-04-21_independent.json",
        "IPS Nordby april.json",
    ] {
        util::write(&evals.join(name), &changed);
    }
    let ws_arg = ws.path().display().to_string();
    let r = run(&["export", "--format", "csv", "--workspace", &ws_arg]);
    let rows = r.stdout.lines().filter(|l| l.starts_with("IPS Nordby,")).count();
    assert_eq!(rows, 3, "one row per review: {}", r.stdout);
    assert!(r.stdout.contains("IPS Nordby,2026-04-21,independent,ips-25,106"), "{}", r.stdout);
    for name in ["(1)", "- Kopi", "Copy of", "Kopi av", "IPS Nordby april"] {
        assert!(r.stderr.contains(name), "{name} is named: {}", r.stderr);
    }
    assert!(r.stderr.contains("kopi av 2026-04-21_independent.json"), "{}", r.stderr);
    let s = run(&["summary", "--json", "--workspace", &ws_arg]);
    let sum: serde_json::Value = serde_json::from_str(&s.stdout).expect("summary json");
    let b1 = sum["items"].as_array().and_then(|items| items.iter().find(|i| i["id"] == "B1")).cloned();
    assert_eq!(b1.as_ref().and_then(|i| i["mean"].as_f64()), Some(5.0), "B1's mean: {b1:?}");
    // The app lists them as copies to compare, beside the one review.
    let loaded = ips_store::workspace::Workspace::load(ws.path());
    assert_eq!(loaded.services[0].evaluations.len(), 3);
    assert_eq!(loaded.services[0].conflict_copies.len(), 6);
}

/// `dev generate` writes a whole workspace, so never into one that has files: the example
/// stays byte for byte (it used to add its services beside the real ones).
#[test]
fn dev_generate_refuses_a_folder_with_files() {
    let ws = example();
    let before = std::fs::read(ws.path().join("services/ips-nordby/service.json")).expect("service");
    let ws_arg = ws.path().display().to_string();
    let r = run(&["dev", "generate", "--services", "2", "--reviews", "2", "--workspace", &ws_arg]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("ikke tom") && r.stderr.contains(&ws_arg), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(ws.path().join("services")).expect("services").count(), 1);
    assert_eq!(std::fs::read(ws.path().join("services/ips-nordby/service.json")).expect("service"), before);
}

/// A service with 1,000 reviews travels as a package: written compact, read back whole.
#[test]
fn a_service_of_a_thousand_reviews_round_trips_as_a_package() {
    let from = tempdir();
    ips_fidelity::generate::generate(from.path(), 1, 1000, 7, None).expect("generate");
    let name = ips_store::workspace::Workspace::load(from.path()).services[0].info.name.clone();
    let pkg = tempdir();
    let file = pkg.path().join("tjeneste.ipspakke.json");
    let (from_arg, file_arg) = (from.path().display().to_string(), file.display().to_string());
    let r = run(&["export", "--format", "package", "--service", &name, "-o", &file_arg, "--workspace", &from_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let size = std::fs::metadata(&file).expect("package").len();
    assert!(size < ips_store::store::MAX_IMPORT_BYTES, "{size} bytes");
    let to = tempdir();
    let to_arg = to.path().display().to_string();
    let r = run(&["import", &file_arg, "--workspace", &to_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let back = ips_store::workspace::Workspace::load(to.path());
    assert_eq!(back.services[0].evaluations.len(), 1000);
}

/// A final review whose status was edited by hand to "scoring": still final (the lock
/// follows the trail), so a changed score is refused on save and `set-status` says why.
#[test]
fn a_status_edited_by_hand_does_not_unlock_a_final_review() {
    let ws = example();
    let path = ws.path().join("services/ips-nordby/evaluations/2026-04-21_independent.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("review")).expect("json");
    v["status"] = serde_json::json!("scoring");
    v["scores"]["B1"] = serde_json::json!(1);
    util::write(&path, &serde_json::to_string_pretty(&v).expect("json"));
    let before = std::fs::read(&path).expect("review");
    let ws_arg = ws.path().display().to_string();
    let r = run(&[
        "review",
        "set-status",
        "--service",
        "IPS Nordby",
        "--date",
        "2026-04-21",
        "--to",
        "draft",
        "--workspace",
        &ws_arg,
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("endret for hånd"), "{}", r.stderr);
    assert_eq!(std::fs::read(&path).expect("review"), before, "the file is as it was");
    let loaded = ips_store::workspace::Workspace::load(ws.path());
    let e = &loaded.services[0].evaluations[2].evaluation;
    assert!(ips_domain::lifecycle::is_final(e), "final by its trail");
}

/// A service whose `service.json` cannot be read is named by `export`, which exits 4
/// ("written, with files left out"), and so does a package missing an unreadable review.
#[test]
fn what_is_left_out_is_named_and_the_exit_code_says_so() {
    let ws = example();
    let ws_arg = ws.path().display().to_string();
    // A second service, whose details file is cut off.
    let other = ws.path().join("services/ips-sorby");
    copy_tree(&ws.path().join("services/ips-nordby"), &other);
    util::write(&other.join("service.json"), "{\"name\": \"IPS Sør");
    let r = run(&["export", "--format", "csv", "--workspace", &ws_arg]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains(&other.join("service.json").display().to_string()), "{}", r.stderr);
    assert_eq!(r.stdout.lines().filter(|l| l.starts_with("IPS Nordby,")).count(), 3, "the rest is written");
    let s = run(&["summary", "--workspace", &ws_arg]);
    assert_eq!(s.code, 4, "{}", s.stderr);
    // A review that cannot be read: the package says it is missing.
    std::fs::remove_dir_all(&other).expect("remove");
    let review = ws.path().join("services/ips-nordby/evaluations/2025-04-08_independent.json");
    util::write(&review, "{\"scale\": ");
    let pkg = tempdir();
    let file = pkg.path().join("p.json").display().to_string();
    let r = run(&["export", "--format", "package", "--service", "IPS Nordby", "-o", &file, "--workspace", &ws_arg]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("2025-04-08_independent.json"), "{}", r.stderr);
}

/// A package whose service name differs only in spacing, case, an invisible character or a
/// final full stop is the service already here, never a second one; a blank name is refused.
#[test]
fn names_that_look_the_same_are_one_service_and_a_blank_name_is_refused() {
    let ws = example();
    let ws_arg = ws.path().display().to_string();
    let pkg = tempdir();
    let file = pkg.path().join("p.json");
    let file_arg = file.display().to_string();
    let r = run(&["export", "--format", "package", "--service", "IPS Nordby", "-o", &file_arg, "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("package")).expect("json");
    for name in ["IPS Nordby\u{200b}", "IPS  Nordby", "IPS Nordby.", "ips nordby"] {
        let mut p = original.clone();
        p["service"]["name"] = serde_json::json!(name);
        util::write(&file, &p.to_string());
        let r = run(&["import", &file_arg, "--workspace", &ws_arg]);
        assert_eq!(r.code, 0, "{name:?}: {}{}", r.stdout, r.stderr);
        let services = std::fs::read_dir(ws.path().join("services")).expect("services").count();
        assert_eq!(services, 1, "{name:?} is IPS Nordby: {}", r.stdout);
    }
    for blank in ["", "   ", "\u{200b}"] {
        let mut p = original.clone();
        p["service"]["name"] = serde_json::json!(blank);
        util::write(&file, &p.to_string());
        let r = run(&["import", &file_arg, "--workspace", &ws_arg]);
        assert_eq!(r.code, 2, "{blank:?}: {}", r.stderr);
        assert!(r.stderr.contains("mangler navn") && r.stderr.contains("p.json"), "{}", r.stderr);
        assert_eq!(std::fs::read_dir(ws.path().join("services")).expect("services").count(), 1);
    }
}
