//! No lost work: crashes (SIGKILL) during writes, two processes writing at once, hostile and
//! oversized files, and paths from data. See RELIABILITY.md for what is guaranteed.

use crate::util;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use ips_domain::evaluation::Evaluation;
use ips_domain::scale::Scale;
use ips_domain::service::ScaleSet;
use ips_store::workspace::Workspace;
use util::{bin, copy_tree, repo, run_en, tempdir, write};

/// A small deterministic generator for kill timings.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn scores_by_key(ws: &Workspace) -> BTreeMap<(String, String), BTreeMap<String, u8>> {
    ws.all_evaluations()
        .map(|(s, e)| ((s.info.name.clone(), e.evaluation.date.to_string()), e.evaluation.scores.clone()))
        .collect()
}

#[test]
fn killed_imports_leave_a_readable_workspace() {
    let dir = tempdir();
    let src = dir.path().join("src");
    let csv = dir.path().join("big.csv");
    let r = run_en(&[
        "dev",
        "generate",
        "--services",
        "30",
        "--reviews",
        "10",
        "--seed",
        "3",
        "--workspace",
        &src.display().to_string(),
        "--csv",
        &csv.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = scores_by_key(&Workspace::load(&src));
    assert_eq!(expected.len(), 300);

    let ws = dir.path().join("ws");
    let mut rng = Lcg(42);
    for round in 0..120 {
        let mut child = bin()
            .args(["import", &csv.display().to_string(), "--workspace", &ws.display().to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(Duration::from_millis(rng.next(40)));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        if round % 10 == 9 {
            let loaded = Workspace::load(&ws);
            assert!(loaded.problems.is_empty(), "round {round}: {:?}", loaded.problems);
            // Every file there is complete and holds exactly what was imported.
            for (key, scores) in scores_by_key(&loaded) {
                assert_eq!(Some(&scores), expected.get(&key), "{key:?}");
            }
        }
    }
    let r = run_en(&["import", &csv.display().to_string(), "--workspace", &ws.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(" 0 conflicts"), "{}", r.stdout);
    assert_eq!(scores_by_key(&Workspace::load(&ws)), expected);
}

#[test]
fn killed_rewrites_leave_old_or_new_content() {
    let dir = tempdir();
    let ws = dir.path().join("ws");
    let r = run_en(&["dev", "generate", "--services", "4", "--reviews", "5", "--workspace", &ws.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut rng = Lcg(7);
    let mut last: Vec<u64> = vec![0; 20];
    for round in 0..100 {
        let mut child = bin()
            .args(["dev", "bump", "--rounds", "1000", "--workspace", &ws.display().to_string()])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(Duration::from_millis(5 + rng.next(30)));
        let _ = child.kill();
        let _ = child.wait();
        let loaded = Workspace::load(&ws);
        assert!(loaded.problems.is_empty(), "round {round}: {:?}", loaded.problems);
        assert_eq!(loaded.all_evaluations().count(), 20);
        // Every file is whole (it loaded) and holds the old or a newer counter, never less.
        let counters: Vec<u64> =
            loaded.all_evaluations().map(|(_, e)| e.evaluation.notes.parse().unwrap_or(0)).collect();
        for (i, (now, before)) in counters.iter().zip(&last).enumerate() {
            assert!(now >= before, "round {round}, file {i}: {before} -> {now}");
        }
        last = counters;
    }
    assert!(last.iter().sum::<u64>() > 0, "no write ever landed");
}

#[test]
fn two_processes_never_lose_each_others_changes() {
    let dir = tempdir();
    let ws = dir.path().join("ws");
    let r = run_en(&["dev", "generate", "--services", "2", "--reviews", "3", "--workspace", &ws.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let spawn = || {
        bin()
            .args(["dev", "bump", "--rounds", "15", "--workspace", &ws.display().to_string()])
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join(), b.join())
    });
    for out in [a, b] {
        let out = out.unwrap_or_else(|_| panic!("thread"));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let loaded = Workspace::load(&ws);
    for (_, e) in loaded.all_evaluations() {
        assert_eq!(e.evaluation.notes, "30", "{}: an update was lost", e.file_name);
    }
}

#[test]
fn hostile_files_are_reported_and_never_touched() {
    let dir = tempdir();
    let ws = dir.path().join("ws");
    copy_tree(&repo("examples/workspace"), &ws);
    let evals = ws.join("services/ips-nordby/evaluations");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "2027-01-01_independent.json",
            br#"{"scale": "ips-25", "service": "IPS Nordby", "da"#.to_vec(),
            "ends too early",
        ),
        ("2027-02-01_independent.json", Vec::new(), "ends too early"),
        ("2027-03-01_independent.json", vec![0, 159, 146, 150, 255, 0, 1], "not UTF-8"),
        (
            "2027-04-01_independent.json",
            br#"{"format_version": 0, "scale": "ips-25", "service": "IPS Nordby", "date": "2027-04-01"}"#.to_vec(),
            "format version 0",
        ),
        (
            "2027-05-01_independent.json",
            br#"{"format_version": 7, "scale": "ips-25", "service": "IPS Nordby", "date": "2027-05-01"}"#.to_vec(),
            "format version 7",
        ),
    ];
    for (name, bytes, _) in &cases {
        std::fs::write(evals.join(name), bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    let loaded = Workspace::load(&ws);
    assert_eq!(loaded.services[0].evaluations.len(), 3, "the good files still load");
    let problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    for (name, _, why) in &cases {
        assert!(problems.iter().any(|p| p.contains(name) && p.contains(why)), "{name}: {problems:?}");
    }
    // The CLI names them and exports the rest; importing the same dates is refused.
    let r = run_en(&["export", "--format", "csv", "--workspace", &ws.display().to_string()]);
    // Written, with files left out: exit 4 (`cli::EXIT_SKIPPED`), never 0.
    assert_eq!(r.code, 4);
    assert_eq!(r.stdout.lines().count(), 4);
    for (name, _, _) in &cases {
        assert!(r.stderr.contains(name), "{}", r.stderr);
    }
    let csv = dir.path().join("same.csv");
    write(&csv, "service,date,B1\nIPS Nordby,2027-01-01,3\nIPS Nordby,2027-05-01,3\n");
    let r = run_en(&["import", &csv.display().to_string(), "--workspace", &ws.display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("2 conflicts"), "{}", r.stdout);
    // The app shows them too, and nothing was written.
    let app = ips_fidelity::gui::App::new(&ws, Default::default(), chrono::NaiveDate::default());
    for (name, _, _) in &cases {
        assert!(app.messages.iter().any(|m| m.error && m.mentions(name)), "{name}");
    }
    for (name, bytes, _) in &cases {
        assert_eq!(&std::fs::read(evals.join(name)).unwrap(), bytes, "{name} was changed");
    }
}

#[test]
fn oversized_and_deep_inputs_fail_cleanly() {
    let dir = tempdir();
    // A 100 MB file is refused from its size, without reading it.
    let big = dir.path().join("big.json");
    std::fs::File::create(&big).and_then(|f| f.set_len(100 * 1024 * 1024)).unwrap_or_else(|e| panic!("{e}"));
    let started = std::time::Instant::now();
    let r = run_en(&["score", &big.display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("more than the"), "{}", r.stderr);
    assert!(started.elapsed() < Duration::from_secs(5));

    // JSON nested 10,000 deep: an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(Scale::from_json("deep.json", &deep).is_err());
    assert!(Evaluation::from_json("deep.json", &deep).is_err());
    let deep_obj = format!(
        r#"{{"scale": "ips-25", "service": "X", "date": "2026-01-01", "notes": {}1{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let f = dir.path().join("deep.json");
    write(&f, &deep_obj);
    let r = run_en(&["score", &f.display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("deep.json"), "{}", r.stderr);

    // A scale with 10,000 items: a clear error.
    let text = std::fs::read_to_string(repo("scales/ips-25.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let item = v["items"][0].clone();
    v["items"] = serde_json::Value::Array(
        (0..10_000)
            .map(|i| {
                let mut it = item.clone();
                it["id"] = format!("X{i}").into();
                it
            })
            .collect(),
    );
    let err = Scale::from_json("huge.json", &v.to_string()).err().map(|e| e.to_string()).unwrap();
    assert!(err.contains("10000 items is more than the 1000"), "{err}");

    // A 1 MB note is kept and scored like any other.
    let note = "Lang merknad æøå. ".repeat(60_000);
    let f = dir.path().join("note.json");
    write(&f, &serde_json::json!({"scale": "ips-25", "service": "X", "date": "2026-01-01", "scores": {"B1": 4}, "notes": note}).to_string());
    let r = run_en(&["score", &f.display().to_string(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn service_names_cannot_escape_the_workspace() {
    let dir = tempdir();
    let ws = dir.path().join("ws");
    let scales = ScaleSet::builtin().0;
    let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
    let mut w = Workspace::load(&ws);
    let names = [
        "../../utenfor",
        "/etc/passwd",
        "C:\\\\Windows\\\\System32",
        "CON",
        "nul.txt",
        "\u{202e}fdp.exe",
        "..",
        "a/../../b",
    ];
    let evals: Vec<Evaluation> = names
        .iter()
        .map(|n| Evaluation::new(&scale, n, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), Default::default()))
        .collect();
    w.import(evals).unwrap_or_else(|e| panic!("{e}"));
    let services = ws.join("services");
    let mut seen = 0;
    for entry in std::fs::read_dir(&services).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{name}");
        assert!(!["con", "nul", "prn", "aux"].contains(&name.as_str()), "{name}");
        seen += 1;
    }
    assert_eq!(seen, names.len());
    // Nothing was written outside the workspace.
    let outside: Vec<_> =
        std::fs::read_dir(dir.path()).into_iter().flatten().flatten().map(|e| e.file_name()).collect();
    assert_eq!(outside.len(), 1, "{outside:?}");
    let reloaded = Workspace::load(&ws);
    let mut got: Vec<String> = reloaded.services.iter().map(|s| s.info.name.clone()).collect();
    got.sort();
    let mut want: Vec<String> = names.iter().map(ToString::to_string).collect();
    want.sort();
    assert_eq!(got, want, "names are kept as data, only folders are made safe");
}

#[test]
fn no_network_client_in_the_dependency_tree() {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let names: Vec<&str> =
        lock.lines().filter_map(|l| l.strip_prefix("name = \"")).map(|n| n.trim_end_matches('"')).collect();
    assert!(names.len() > 50, "Cargo.lock not read");
    let forbidden = [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "curl-sys",
        "isahc",
        "surf",
        "attohttpc",
        "h2",
        "h3",
        "quinn",
        "rustls",
        "native-tls",
        "openssl",
        "openssl-sys",
        "tungstenite",
        "websocket",
        "socket2",
        "trust-dns-resolver",
        "hickory-resolver",
    ];
    for f in forbidden {
        assert!(!names.contains(&f), "network crate in the dependency tree: {f}");
    }
}
