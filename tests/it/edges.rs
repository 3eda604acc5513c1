//! Nothing lost, nothing counted twice (issue 20): what the tool does at the edges where it
//! used to say "done" and be wrong. Each case starts from a fresh copy of the example
//! workspace and checks the exit code, the message and the files.

use crate::util;

#[cfg(unix)]
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
#[cfg(unix)]
use std::process::Command as Process;

use util::{copy_tree, files_of, repo, run, tempdir};

fn example() -> tempfile::TempDir {
    let dir = tempdir();
    copy_tree(&repo("examples/workspace"), dir.path());
    dir
}

#[cfg(unix)]
fn is_root() -> bool {
    Process::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `-o` names a pipe: the export is written into it (a reader gets every row), and the pipe
/// is still a pipe. Before, the output was written beside it and renamed over it.
#[test]
#[cfg(unix)]
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
#[cfg(unix)]
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
    assert!(r.stderr.contains("Filer som ikke kunne leses, og som ikke er med: 1"), "{}", r.stderr);
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

/// The ips-25 items, as the CSV's columns name them.
const ITEMS: [&str; 25] = [
    "B1", "B2", "B3", "O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8",
    "T9", "T10", "T11", "T12", "T13", "T14",
];

fn service_folders(ws: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ws.join("services"))
        .expect("services")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The example's service as a package, parsed, for a test to change.
fn nordby_package(ws: &Path) -> serde_json::Value {
    let dir = tempdir();
    let file = dir.path().join("p.json");
    let (ws_arg, file_arg) = (ws.display().to_string(), file.display().to_string());
    let r = run(&["export", "--format", "package", "--service", "IPS Nordby", "-o", &file_arg, "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&std::fs::read_to_string(&file).expect("package")).expect("json")
}

/// Two imports started at the same moment, of two CSVs that share 50 new services: each
/// service is made once (no `-2` twins), the summary counts it once, and importing both
/// again adds nothing. Before, 5 of 5 trials left 50 twins.
#[test]
fn two_imports_at_once_make_each_new_service_once() {
    for trial in 0..3 {
        let ws = example();
        let ws_arg = ws.path().display().to_string();
        let dir = tempdir();
        let csv = |own: &str, date: &str| {
            // Whole reviews (every item scored), so the summary counts each service.
            let items = ITEMS.join(",");
            let scores = vec!["3"; ITEMS.len()].join(",");
            let mut text = format!("service,date,{items}\n");
            for i in 0..50 {
                text.push_str(&format!("IPS Felles {i} Sør,{date},{scores}\n"));
            }
            for i in 0..5 {
                text.push_str(&format!("IPS {own} {i} Nord,{date},{scores}\n"));
            }
            text
        };
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        util::write(&a, &csv("Alfa", "2026-01-10"));
        util::write(&b, &csv("Beta", "2026-02-10"));
        let start = |file: &Path| {
            util::bin()
                .args(["import", &file.display().to_string(), "--workspace", &ws_arg])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (first, second) = (start(&a), start(&b));
        for child in [first, second] {
            let out = child.wait_with_output().expect("wait");
            assert!(out.status.success(), "trial {trial}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let folders = service_folders(ws.path());
        assert_eq!(folders.len(), 1 + 50 + 5 + 5, "trial {trial}: {folders:?}");
        assert!(!folders.iter().any(|f| f.ends_with("-2")), "trial {trial}: twins {folders:?}");
        let shared = ws.path().join("services/ips-felles-7-sor/evaluations");
        let reviews = std::fs::read_dir(&shared)
            .expect("evaluations")
            .flatten()
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .count();
        assert_eq!(reviews, 2, "both imports' reviews in one service");
        let s = run(&["summary", "--json", "--workspace", &ws_arg]);
        let summary: serde_json::Value = serde_json::from_str(&s.stdout).expect("summary json");
        assert_eq!(summary["services"], serde_json::json!(61), "trial {trial}: {}", s.stdout);
        let before = files_of(ws.path());
        for file in [&a, &b] {
            let r = run(&["import", &file.display().to_string(), "--workspace", &ws_arg]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert!(r.stdout.contains("0 lagt til, 55 uendret"), "{}", r.stdout);
        }
        assert!(files_of(ws.path()) == before, "importing again changes nothing");
    }
}

/// With the service's own file empty, cut off, not UTF-8 or from a newer format, an import
/// of a CSV row, a package or figures for that service makes no second service: the file
/// is named, nothing is written, exit 2. Mended, the same import goes into the service.
#[test]
fn a_service_whose_file_cannot_be_read_blocks_imports_for_its_name() {
    let broken: [&[u8]; 4] = [
        b"",
        b"{\"name\": \"IPS Nor",
        b"{\"name\": \"IPS Nordby \xff\xfe\"}",
        br#"{"format_version": 99, "name": "IPS Nordby"}"#,
    ];
    for bytes in broken {
        let ws = example();
        let ws_arg = ws.path().display().to_string();
        let dir = tempdir();
        let package = nordby_package(ws.path());
        let mut p = package.clone();
        p["reviews"][0]["date"] = serde_json::json!("2026-10-01");
        let pkg = dir.path().join("p.json");
        util::write(&pkg, &p.to_string());
        let csv = dir.path().join("rad.csv");
        util::write(&csv, "service,date,B1\nIPS Nordby,2026-11-02,4\n");
        let figures = dir.path().join("tall.csv");
        util::write(
            &figures,
            "service,period,job_seekers,in_work,new_jobs,specialist_fte\nIPS Nordby,2026-Q3,30,12,4,3\n",
        );
        let service_json = ws.path().join("services/ips-nordby/service.json");
        let good = std::fs::read(&service_json).expect("service.json");
        std::fs::write(&service_json, bytes).expect("break");
        let before = files_of(ws.path());
        for file in [&csv, &pkg, &figures] {
            let r = run(&["import", &file.display().to_string(), "--workspace", &ws_arg]);
            assert_eq!(r.code, 2, "{bytes:?} {}: {}{}", file.display(), r.stdout, r.stderr);
            assert!(r.stderr.contains(&service_json.display().to_string()), "names the file: {}", r.stderr);
            assert_eq!(service_folders(ws.path()), vec!["ips-nordby".to_string()], "{bytes:?}: {}", r.stdout);
            assert!(files_of(ws.path()) == before, "{bytes:?} {}: nothing written", file.display());
        }
        let r = run(&["import", &csv.display().to_string(), "--workspace", &ws_arg]);
        assert!(r.stderr.contains("som ikke er importert: 1"), "says the reviews were not imported: {}", r.stderr);
        std::fs::write(&service_json, &good).expect("mend");
        let r = run(&["import", &csv.display().to_string(), "--workspace", &ws_arg]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(ws.path().join("services/ips-nordby/evaluations/2026-11-02_independent.json").exists());
        assert_eq!(service_folders(ws.path()), vec!["ips-nordby".to_string()]);
    }
}

/// A package review with a score out of range, an unknown item, a reviewer's score of 0,
/// an unknown scale or an impossible date is refused whole, naming the file and the place,
/// before anything is written. Before, it was written ("lagt til") and skipped on every
/// load after.
#[test]
fn packages_are_checked_against_the_scale_before_anything_is_written() {
    let ws = example();
    let ws_arg = ws.path().display().to_string();
    let package = nordby_package(ws.path());
    let dir = tempdir();
    let file = dir.path().join("p.json");
    let file_arg = file.display().to_string();
    let before = files_of(ws.path());
    type Change = fn(&mut serde_json::Value);
    let changes: [(&str, Change); 9] = [
        ("B1", |r| r["scores"]["B1"] = serde_json::json!(0)),
        ("B1", |r| r["scores"]["B1"] = serde_json::json!(6)),
        ("B1", |r| r["scores"]["B1"] = serde_json::json!(255)),
        ("X99", |r| r["scores"]["X99"] = serde_json::json!(3)),
        ("reviewers[0].scores.B1", |r| r["reviewers"][0]["scores"]["B1"] = serde_json::json!(0)),
        ("ips-99", |r| r["scale"] = serde_json::json!("ips-99")),
        ("date", |r| r["date"] = serde_json::json!("0000-01-01")),
        ("date", |r| r["date"] = serde_json::json!("-0001-01-01")),
        ("date", |r| r["date"] = serde_json::json!("+99999-01-01")),
    ];
    for (said, change) in changes {
        let mut p = package.clone();
        p["reviews"][0]["date"] = serde_json::json!("2026-10-01");
        change(&mut p["reviews"][0]);
        util::write(&file, &p.to_string());
        let r = run(&["import", &file_arg, "--workspace", &ws_arg]);
        assert_eq!(r.code, 2, "{said}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("p.json") && r.stderr.contains(said), "{said}: {}", r.stderr);
        assert!(!r.stdout.contains("lagt til:"), "{said}: {}", r.stdout);
        assert!(files_of(ws.path()) == before, "{said}: nothing written");
    }
}

/// A scale version a package carries is kept for the package's reviews, but new reviews
/// are scored on it only after `scale adopt`, which first says what changes. Before, a
/// package with the bands moved made 86 points "Meget bra kvalitet" for every new review.
#[test]
fn a_scale_version_from_a_package_is_used_for_new_reviews_only_once_adopted() {
    let ws = example();
    let ws_arg = ws.path().display().to_string();
    let dir = tempdir();
    let file = dir.path().join("ny-skala.json");
    util::write(&file, &moved_bands_package(ws.path()).to_string());
    let r = run(&["import", &file.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("scale adopt ips-25 2027.1"), "says how to adopt: {}", r.stdout);
    assert!(ws.path().join("scales/carried/ips-25_2027-1.json").exists());
    assert!(!ws.path().join("scales/ips-25_2027-1.json").exists());
    let loaded = ips_store::workspace::Workspace::load(ws.path());
    assert_eq!(loaded.scales.get("ips-25").map(|s| s.version.as_str()), Some("2026.1"), "new reviews: the old version");
    let (si, ei) = loaded.locate("ips-nordby", "2026-10-01_independent.json").expect("the package's review");
    let imported = &loaded.services[si].evaluations[ei].evaluation;
    assert_eq!(
        loaded.scales.for_evaluation(imported).map(|s| s.version.as_str()),
        Some("2027.1"),
        "its review: its own"
    );
    // A new review of 86 points (no version recorded: scored on what new reviews use).
    let review = dir.path().join("ny.json");
    util::write(&review, &eighty_six_points());
    let score = |ws_arg: &str| run(&["score", &review.display().to_string(), "--workspace", ws_arg]);
    let s = score(&ws_arg);
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(s.stdout.contains("86") && !s.stdout.contains("Meget bra kvalitet"), "{}", s.stdout);
    let a = run(&["scale", "adopt", "ips-25", "2027.1", "--workspace", &ws_arg]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert!(a.stdout.contains("Endringer fra ips-25 2026.1:"), "{}", a.stdout);
    assert!(a.stdout.contains("Kvalitetsnivået «Meget bra kvalitet»: 115–125 poeng blir 86–125 poeng"), "{}", a.stdout);
    assert!(a.stdout.contains("er tatt i bruk"), "{}", a.stdout);
    assert!(ws.path().join("scales/ips-25_2027-1.json").exists());
    assert!(!ws.path().join("scales/carried/ips-25_2027-1.json").exists());
    let again = run(&["scale", "adopt", "ips-25", "2027.1", "--workspace", &ws_arg]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("allerede i bruk"), "{}", again.stdout);
    assert!(score(&ws_arg).stdout.contains("Meget bra kvalitet"), "now new reviews are scored on it");
    let unknown = run(&["scale", "adopt", "ips-25", "2099.9", "--workspace", &ws_arg]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("2099.9") && unknown.stderr.contains("ips-25 2027.1"), "{}", unknown.stderr);
}

/// The example's package with one new review on an ips-25 version 2027.1 whose bands put
/// 86 points in "Meget bra kvalitet".
pub(crate) fn moved_bands_package(ws: &Path) -> serde_json::Value {
    let mut p = nordby_package(ws);
    let mut scale: serde_json::Value =
        serde_json::from_str(p["scales"][0]["json"].as_str().expect("carried scale")).expect("scale json");
    scale["version"] = serde_json::json!("2027.1");
    let bands = scale["bands"].as_array_mut().expect("bands");
    bands[0]["min"] = serde_json::json!(86);
    bands[1]["min"] = serde_json::json!(80);
    bands[1]["max"] = serde_json::json!(85);
    bands[2]["max"] = serde_json::json!(79);
    p["scales"] = serde_json::json!([{"id": "ips-25", "version": "2027.1", "json": scale.to_string()}]);
    let mut review = p["reviews"][2].clone();
    review["date"] = serde_json::json!("2026-10-01");
    review["scale_version"] = serde_json::json!("2027.1");
    p["reviews"] = serde_json::json!([review]);
    p
}

/// A review file of 86 points that records no scale version.
fn eighty_six_points() -> String {
    let items = [
        "B1", "B2", "B3", "O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "T1", "T2", "T3", "T4", "T5", "T6", "T7",
        "T8", "T9", "T10", "T11", "T12", "T13", "T14",
    ];
    let scores: serde_json::Map<String, serde_json::Value> = items
        .iter()
        .enumerate()
        .map(|(i, id)| (id.to_string(), serde_json::json!(if i < 11 { 4 } else { 3 })))
        .collect();
    serde_json::json!({"scale": "ips-25", "service": "IPS Nordby", "date": "2026-11-20", "scores": scores}).to_string()
}

/// A CSV naming a column twice is refused (which cell counts would be a guess); a year
/// outside 1990–2100 is refused with its line; a two-digit year is 20yy.
#[test]
fn a_csv_with_a_column_twice_or_an_impossible_year_is_refused() {
    let ws = example();
    let ws_arg = ws.path().display().to_string();
    let dir = tempdir();
    let before = files_of(ws.path());
    let twice = dir.path().join("to.csv");
    util::write(&twice, "service,date,B1,b1\nIPS Nordby,2026-10-01,3,4\n");
    let r = run(&["import", &twice.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("to.csv") && r.stderr.contains("«b1» står to ganger"), "{}", r.stderr);
    let old = dir.path().join("gammel.csv");
    util::write(&old, "service,date,B1\nIPS Nordby,01.01.1985,3\n");
    let r = run(&["import", &old.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("gammel.csv: linje 2, kolonne «date»: «01.01.1985»"), "{}", r.stderr);
    assert!(files_of(ws.path()) == before, "nothing written");
    let short = dir.path().join("kort.csv");
    util::write(&short, "service,date,B1\nIPS Nordby,4.5.69,3\n");
    let r = run(&["import", &short.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(ws.path().join("services/ips-nordby/evaluations/2069-05-04_independent.json").exists(), "{}", r.stdout);
}

/// One reviewer's package for a date not reviewed here yet is said once and counted once;
/// one whose reviews do not carry the reviewer it names is refused, naming them.
#[test]
fn a_reviewer_package_is_said_once_and_a_missing_reviewer_is_refused() {
    let ws = example();
    let ws_arg = ws.path().display().to_string();
    let dir = tempdir();
    let mut p = nordby_package(ws.path());
    let mut review = p["reviews"][2].clone();
    review["date"] = serde_json::json!("2026-10-01");
    review["reviewers"] = serde_json::json!([review["reviewers"][0].clone()]);
    for field in ["items", "actions", "audit", "accuracy"] {
        review.as_object_mut().expect("review").remove(field);
    }
    review["scores"] = serde_json::json!({});
    review["status"] = serde_json::json!("scoring");
    p["reviewer"] = serde_json::json!("Kari Lunde");
    p["reviews"] = serde_json::json!([review]);
    p.as_object_mut().expect("package").remove("outcomes");
    p.as_object_mut().expect("package").remove("meetings");
    let file = dir.path().join("kari.json");
    util::write(&file, &p.to_string());
    let r = run(&["import", &file.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches("2026-10-01_independent.json").count(), 1, "said once: {}", r.stdout);
    assert!(r.stdout.contains("1 lagt til"), "counted once: {}", r.stdout);
    p["reviewer"] = serde_json::json!("Ola Nordmann");
    p["reviews"][0]["date"] = serde_json::json!("2026-10-02");
    util::write(&file, &p.to_string());
    let before = files_of(ws.path());
    let r = run(&["import", &file.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("kari.json") && r.stderr.contains("Ola Nordmann"), "{}", r.stderr);
    assert!(files_of(ws.path()) == before, "nothing written");
}

/// In the app: a package's scale version is said to be kept, not used; the overview says
/// which version new reviews are scored on, shows what the new one changes (nothing is
/// written by looking), and adopts it only on the button.
#[test]
fn the_app_shows_what_a_carried_scale_changes_and_adopts_it_on_the_button() {
    use egui_kittest::kittest::Queryable;
    let ws = example();
    let dir = tempdir();
    let file = dir.path().join("ny-skala.json");
    util::write(&file, &moved_bands_package(ws.path()).to_string());
    let app = ips_fidelity::gui::App::new(ws.path(), ips_fidelity::gui::Settings::default(), util::today());
    let mut h = util::harness(app);
    util::settle(&mut h);
    util::drop_files(&mut h, &[&file]);
    let said = util::messages(h.state());
    assert!(said.contains("Skalaversjon ips-25 2027.1 fra pakken er tatt vare på"), "{said}");
    let notice = "En pakke har med seg skalaversjon ips-25 2027.1. Nye evalueringer skåres fortsatt etter versjon \
                  2026.1 til du tar den nye i bruk.";
    assert!(h.query_by_label(notice).is_some(), "the overview says so");
    let before = files_of(ws.path());
    h.get_by_label("Vis endringer").click();
    util::frames(&mut h);
    assert!(h.query_by_label("• Kvalitetsnivået «Meget bra kvalitet»: 115–125 poeng blir 86–125 poeng").is_some());
    assert!(files_of(ws.path()) == before, "looking changes no file");
    assert_eq!(h.state().ws.scales.get("ips-25").map(|s| s.version.clone()).as_deref(), Some("2026.1"));
    h.get_by_label("Ta i bruk ips-25 2027.1").click();
    util::settle(&mut h);
    assert!(ws.path().join("scales/ips-25_2027-1.json").exists());
    assert!(!ws.path().join("scales/carried/ips-25_2027-1.json").exists());
    assert_eq!(h.state().ws.scales.get("ips-25").map(|s| s.version.clone()).as_deref(), Some("2027.1"));
    assert!(
        util::messages(h.state()).contains("Skalaversjon ips-25 2027.1 er tatt i bruk"),
        "{}",
        util::messages(h.state())
    );
    assert!(h.query_by_label(notice).is_none(), "nothing left to adopt");
}

/// In the app, a new service with the name of one that is there (or that another program
/// has just made) is refused with a message; no second folder.
#[test]
fn a_new_service_with_a_name_that_is_there_is_refused_in_the_app() {
    let ws = example();
    let mut app = ips_fidelity::gui::App::new(ws.path(), ips_fidelity::gui::Settings::default(), util::today());
    app.settle();
    // Made by another program after the app read the workspace.
    let other = ips_store::workspace::Workspace::load(ws.path())
        .create_service(ips_domain::evaluation::ServiceInfo::named("IPS Sørby"))
        .map(|_| ());
    assert!(other.is_ok(), "{other:?}");
    for name in ["IPS Nordby", "IPS Sørby", "ips  sørby."] {
        app.apply(ips_fidelity::gui::Command::CreateService(ips_domain::evaluation::ServiceInfo::named(name)));
        app.settle();
        let said = util::messages(&app);
        assert!(said.contains("det finnes allerede en tjeneste som heter"), "{name}: {said}");
    }
    assert_eq!(service_folders(ws.path()), vec!["ips-nordby".to_string(), "ips-sorby".to_string()]);
}

/// A report or a meeting pack of a service one of whose reviews cannot be read is written,
/// names the file, and exits 4; a broken file of another service is named, exit 0.
#[test]
fn a_report_without_one_of_its_files_names_it_and_exits_4() {
    let ws = example();
    let ws_arg = ws.path().display().to_string();
    let dir = tempdir();
    let pdf = dir.path().join("r.pdf").display().to_string();
    let other = ws.path().join("services/ips-sorby");
    copy_tree(&ws.path().join("services/ips-nordby"), &other);
    util::write(&other.join("service.json"), "{\"name\": \"IPS Sør");
    let report = ["report", "--service", "IPS Nordby", "-o", &pdf, "--workspace", &ws_arg];
    let pack = ["meeting-pack", "--service", "IPS Nordby", "--date", "2026-06-16", "-o", &pdf, "--workspace", &ws_arg];
    for args in [&report[..], &pack[..]] {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: another service's file: {}", r.stderr);
        assert!(r.stderr.contains("ips-sorby"), "named all the same: {}", r.stderr);
    }
    let review = ws.path().join("services/ips-nordby/evaluations/2025-04-08_independent.json");
    util::write(&review, "{\"scale\": ");
    for args in [&report[..], &pack[..]] {
        let r = run(args);
        assert_eq!(r.code, 4, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("2025-04-08_independent.json"), "{}", r.stderr);
        assert!(r.stderr.contains("som ikke er med: 1"), "the last line says how many: {}", r.stderr);
        assert!(std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 1000), "written all the same");
    }
}
