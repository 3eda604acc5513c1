//! The command line on good and malformed input: exit codes, messages naming the file,
//! never a panic.

use crate::util;

use util::{copy_tree, repo, run, run_en, tempdir, write};

#[test]
fn scale_check_accepts_shipped_scales() {
    let r = run_en(&["scale", "check", "scales/ips-25.json", "scales/se-15.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("scales/ips-25.json: OK (ips-25"), "{}", r.stdout);
    assert!(r.stdout.contains("25 items, totals 25–125"), "{}", r.stdout);
    assert!(r.stdout.contains("15 items, totals 15–75"), "{}", r.stdout);
}

#[test]
fn scale_check_lists_every_problem() {
    let dir = tempdir();
    let text = std::fs::read_to_string(repo("scales/ips-25.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["items"][3]["levels"].as_array_mut().map(|a| a.pop());
    v["bands"][1]["min"] = 98.into();
    let bad = dir.path().join("bad.json");
    write(&bad, &v.to_string());
    let bad_s = bad.display().to_string();
    let r = run_en(&["scale", "check", "scales/ips-25.json", &bad_s]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(&format!("{bad_s}: items[3].levels: expected 5 levels, found 4")), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{bad_s}: bands[2]")), "{}", r.stderr);

    write(&bad, "{\"format_version\": 1, \"id\": ");
    let r = run_en(&["scale", "check", &bad_s]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with(&bad_s) && r.stderr.contains("the file ends too early"), "{}", r.stderr);

    let r = run_en(&["scale", "check", "no/such/scale.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no/such/scale.json"), "{}", r.stderr);
}

#[test]
fn score_minimal_file_as_json() {
    let r = run_en(&["score", "examples/minimal.json", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    assert_eq!(v["max"], 125);
    assert_eq!(v["complete"], true);
    assert_eq!(v["missing"], serde_json::json!([]));
    let text = std::fs::read_to_string(repo("examples/minimal.json")).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sum: u64 = file["scores"].as_object().map(|m| m.values().filter_map(|v| v.as_u64()).sum()).unwrap_or(0);
    assert_eq!(v["total"].as_u64(), Some(sum));
    assert!(v["band"]["id"].is_string(), "{v}");
    let sections = v["sections"].as_array().cloned().unwrap();
    assert_eq!(sections.len(), 3);
    assert_eq!(sections.iter().filter_map(|s| s["total"].as_u64()).sum::<u64>(), sum);
    assert_eq!(sections[0]["id"], "B");
    assert_eq!(sections[0]["max"], 15);
}

/// `score --json` prints the domain's `ScoreReport` as serde writes it (it was assembled by
/// hand with `json!` beside the struct `summary --json` serialises).
#[test]
fn score_json_is_the_domains_score_report() {
    for file in ["examples/minimal.json", "examples/partial.json"] {
        let r = run(&["score", file, "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let (scales, _) = ips_domain::service::ScaleSet::builtin();
        let text = std::fs::read_to_string(repo(file)).expect("example");
        let e = ips_domain::evaluation::Evaluation::from_json(file, &text).expect("example review");
        let scale = scales.for_evaluation(&e).expect("its scale");
        let report = ips_domain::scoring::ScoreReport::of(scale, &e, ips_text::text::Lang::Nb);
        let expected = serde_json::to_string_pretty(&report).expect("JSON") + "\n";
        assert_eq!(r.stdout, expected, "{file}");
    }
}

#[test]
fn score_partial_is_not_banded() {
    let r = run_en(&["score", "examples/partial.json", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["complete"], false);
    assert!(v["band"].is_null());
    assert_eq!(v["missing"].as_array().map(Vec::len), Some(7));

    let r = run(&["score", "examples/partial.json"]);
    assert!(r.stdout.contains("Foreløpig: 18 av 25"), "{}", r.stdout);
    let r = run(&["score", "examples/partial.json", "--lang", "en"]);
    assert!(r.stdout.contains("Preliminary: 18 of 25"), "{}", r.stdout);
}

#[test]
fn score_text_in_norwegian_and_english() {
    let r = run(&["score", "examples/minimal.json"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Total: ") && r.stdout.contains(" av 125"), "{}", r.stdout);
    assert!(r.stdout.contains("Bemanning"), "{}", r.stdout);
    let r = run(&["score", "examples/minimal.json", "--lang", "en"]);
    assert!(r.stdout.contains("Staffing"), "{}", r.stdout);
    assert!(r.stdout.contains("Fidelity: "), "{}", r.stdout);
}

#[test]
fn score_rejects_bad_files_with_exit_2() {
    let dir = tempdir();
    let cases = [
        (
            r#"{"scale": "ips-25", "service": "X", "date": "2026-01-01", "scores": {"B1": 7}}"#,
            "scores.B1: score 7 is outside the scale's range 1–5",
        ),
        (
            r#"{"scale": "ips-25", "service": "X", "date": "2026-01-01", "scores": {"Z9": 3}}"#,
            "scores.Z9: unknown item id 'Z9'",
        ),
        (r#"{"scale": "nope", "service": "X", "date": "2026-01-01"}"#, "scale: unknown scale 'nope'"),
        (
            r#"{"scale": "ips-25", "service": "X", "date": "2026-01-01", "scores": {"B1": -1}}"#,
            "scores.B1: invalid value",
        ),
        (r#"{"scale": "ips-25", "service": "X""#, "the file ends too early"),
        ("", "the file ends too early"),
        (
            r#"{"format_version": 99, "scale": "ips-25", "service": "X", "date": "2026-01-01"}"#,
            "format version 99 is not supported",
        ),
    ];
    for (i, (content, expected)) in cases.iter().enumerate() {
        let f = dir.path().join(format!("bad{i}.json"));
        write(&f, content);
        let name = f.display().to_string();
        let r = run_en(&["score", &name]);
        assert_eq!(r.code, 2, "case {i}: {}", r.stderr);
        assert!(r.stderr.contains(&name) && r.stderr.contains(expected), "case {i}: {}", r.stderr);
    }
    let r = run_en(&["score", "missing.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("missing.json: "), "{}", r.stderr);
}

#[test]
fn second_scale_scores_without_code_change() {
    let dir = tempdir();
    let f = dir.path().join("se.json");
    let scores: Vec<String> =
        ["S1", "S2", "S3", "O1", "O2", "O3", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"]
            .iter()
            .map(|id| format!("\"{id}\": 4"))
            .collect();
    write(
        &f,
        &format!(
            r#"{{"scale": "se-15", "service": "Gammel", "date": "2015-01-01", "scores": {{{}}}}}"#,
            scores.join(",")
        ),
    );
    let r = run_en(&["score", &f.display().to_string(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["total"].as_u64(), v["max"].as_u64()), (Some(60), Some(75)));
    assert_eq!(v["band"]["id"], "fair");

    // A scale given as a file, outside the program, works the same way.
    let custom = std::fs::read_to_string(repo("scales/se-15.json")).unwrap().replace("\"se-15\"", "\"se-15-local\"");
    let cf = dir.path().join("local.json");
    write(&cf, &custom);
    let ef = dir.path().join("e.json");
    write(
        &ef,
        &format!(
            r#"{{"scale": "se-15-local", "service": "G", "date": "2015-01-01", "scores": {{{}}}}}"#,
            scores.join(",")
        ),
    );
    let r = run_en(&["score", &ef.display().to_string(), "--scale", &cf.display().to_string(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn import_export_round_trip_and_conflicts() {
    let dir = tempdir();
    let ws = dir.path().join("ws");
    let ws_s = ws.display().to_string();
    let r = run_en(&["import", "examples/import.csv", "examples/minimal.json", "--workspace", &ws_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("4 added, 0 unchanged, 0 conflicts"), "{}", r.stdout);

    // Again: nothing changes.
    let r = run_en(&["import", "examples/import.csv", "--workspace", &ws_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 added, 3 unchanged, 0 conflicts"), "{}", r.stdout);

    let r = run_en(&["export", "--format", "csv", "--workspace", &ws_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("service,date,type,scale,total,band,B1,B2,B3,O1"), "{header}");
    assert!(header.ends_with("T13,T14"), "{header}");
    assert_eq!(lines.count(), 4);
    assert!(r.stdout.contains("IPS Bodø,2026-05-04,independent,ips-25,"), "{}", r.stdout);

    // Export to a file, then import the export into a fresh workspace: same scores.
    let out = dir.path().join("eksport.csv");
    let r = run_en(&["export", "--format", "csv", "-o", &out.display().to_string(), "--workspace", &ws_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ws2 = dir.path().join("ws2").display().to_string();
    let r = run_en(&["import", &out.display().to_string(), "--workspace", &ws2]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again = run_en(&["export", "--format", "csv", "--workspace", &ws2]);
    let first = run_en(&["export", "--format", "csv", "--workspace", &ws_s]);
    assert_eq!(again.stdout, first.stdout);

    // Same service, date and type with other scores: a conflict, nothing overwritten.
    let csv = dir.path().join("conflict.csv");
    write(&csv, "service,date,B1\nIPS Bodø,2026-05-04,1\n");
    let target = ws.join("services/ips-bodo/evaluations/2026-05-04_independent.json");
    let before = std::fs::read(&target).unwrap();
    let r = run_en(&["import", &csv.display().to_string(), "--workspace", &ws_s]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("conflict"), "{}", r.stderr);
    assert_eq!(std::fs::read(&target).unwrap(), before);
}

#[test]
fn import_reports_bad_rows_and_imports_nothing_from_that_file() {
    let dir = tempdir();
    let ws = dir.path().join("ws").display().to_string();
    let csv = dir.path().join("bad.csv");
    write(&csv, "service,date,B1,B2\nA,2026-01-01,3,4\nB,2026-01-01,7,1\n");
    let r = run_en(&["import", &csv.display().to_string(), "--workspace", &ws]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.csv: line 3, column B1: score '7'"), "{}", r.stderr);
    assert!(r.stdout.contains("0 added"), "{}", r.stdout);
}

#[test]
fn workspace_from_environment_and_unreadable_files_skipped_on_export() {
    let dir = tempdir();
    let ws = dir.path().join("ws");
    copy_tree(&repo("examples/workspace"), &ws);
    let broken = ws.join("services/ips-nordby/evaluations/2025-10-01_independent.json");
    write(&broken, "{ not json");
    let out = util::bin()
        .args(["export", "--format", "csv", "--lang", "en"])
        .env("IPS_FIDELITY_WORKSPACE", &ws)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    // Written, with a file left out: exit 4 (`cli::EXIT_SKIPPED`), never 0.
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2025-10-01_independent.json") && stderr.contains("skipped"), "{stderr}");
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "{ not json", "never overwritten");
}

#[test]
fn usage_errors_exit_2() {
    let r = run_en(&["score"]);
    assert_eq!(r.code, 2);
    let r = run_en(&["export", "--format", "xlsx"]);
    assert_eq!(r.code, 2);
}

/// Regression: a write error was printed with its cause repeated
/// (`…: No such file or directory (os error 2): No such file or directory (os error 2)`).
#[test]
fn a_write_error_is_printed_once() {
    let dir = tempdir();
    let blocker = dir.path().join("afile");
    write(&blocker, "not a folder");
    let target = |name: &str| blocker.join(name).display().to_string();
    for args in [
        vec!["export".to_string(), "--format".into(), "csv".into(), "-o".into(), target("out.csv")],
        vec!["report".to_string(), "examples/minimal.json".into(), "-o".into(), target("r.pdf")],
    ] {
        let out = util::bin().args(&args).args(["--workspace", "examples/workspace"]).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let os_error = stderr.find("(os error").map(|i| &stderr[i..]).unwrap_or("");
        assert!(!os_error.is_empty(), "the system's reason is given: {stderr}");
        assert_eq!(stderr.matches("(os error").count(), 1, "said once: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

/// `score --json` lists what ticks and figures propose, one entry per item filled in.
#[test]
fn score_json_lists_proposals() {
    let dir = tempdir();
    let f = dir.path().join("t6.json");
    write(
        &f,
        r#"{"scale": "ips-25", "service": "IPS Ås", "date": "2026-05-04", "scores": {"B1": 5},
            "items": {
              "T6": {"rows": [
                {"contacts_per_week": 6.5, "tracked_weekly": true},
                {"contacts_per_week": 5.9, "tracked_monthly": true, "tracked_weekly": true}
              ]},
              "O2": {"checked": ["weekly_team_meetings", "shared_decisions", "shared_record"]},
              "B1": {"inputs": {"job_seekers": 50.1, "specialist_fte": 2.5}},
              "T4": {"inputs": {"days_to_employer_contact": 40}},
              "B3": {"rationale": "Ingen tall her."}
            }}"#,
    );
    let r = run_en(&["score", &f.display().to_string(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let proposals = v["proposals"].as_array().expect("proposals");
    let find = |id: &str| proposals.iter().find(|p| p["item"] == id).cloned().expect(id);
    // T6 rows: 6.5 → 5 and 5.9 → 4 (weekly implies monthly); mean 4.5 → 5; value 6.2.
    assert_eq!(find("T6"), serde_json::json!({"item": "T6", "value": 6.2, "proposed": 5}));
    assert_eq!(find("B1"), serde_json::json!({"item": "B1", "value": 20.0, "proposed": 5}));
    assert_eq!(find("T4")["proposed"], 4);
    assert_eq!(find("O2")["value"].as_f64(), Some(3.0), "{v}");
    assert!(proposals.iter().all(|p| p["item"] != "B3"), "described items have no proposal");
}

/// A Norwegian user sees Norwegian sentences: problems with files come in the user's
/// language (bokmål by default), with the file and the JSON path.
#[test]
fn problems_are_told_in_the_users_language() {
    let dir = tempdir();
    let text = std::fs::read_to_string(repo("scales/ips-25.json")).expect("scale");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["items"][3]["levels"].as_array_mut().expect("levels").pop();
    let bad = dir.path().join("bad.json");
    write(&bad, &v.to_string());
    let bad_s = bad.display().to_string();
    let nb = run(&["scale", "check", &bad_s]);
    assert_eq!(nb.code, 2);
    assert!(nb.stderr.contains(&format!("{bad_s}: items[3].levels: ventet 5 nivåer, fant 4")), "{}", nb.stderr);
    let en = run_en(&["scale", "check", &bad_s]);
    assert!(en.stderr.contains("items[3].levels: expected 5 levels, found 4"), "{}", en.stderr);
    let e = dir.path().join("e.json");
    write(&e, r#"{"scale": "ips-25", "service": "S", "date": "2026-01-01", "scores": {"B1": 7, "Q1": 3}}"#);
    let r = run(&["score", &e.display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("scores.B1: skåren 7 er utenfor skalaens område 1–5"), "{}", r.stderr);
    assert!(r.stderr.contains("scores.Q1: ukjent punkt «Q1»"), "{}", r.stderr);
    let csv = dir.path().join("x.csv");
    write(&csv, "service;date;B1\nIPS Ås;2026-13-01;3\n");
    let r = run(&["import", &csv.display().to_string(), "--workspace", &dir.path().join("ws").display().to_string()]);
    assert!(r.stderr.contains("linje 2, kolonne «date»: «2026-13-01» er ikke en dato"), "{}", r.stderr);
}

/// The errors an office user meets most are said in words, with the system's own text after.
#[test]
fn a_missing_file_is_said_in_words_with_the_systems_text_after() {
    let r = run(&["score", "finnes-ikke.json"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("finnes-ikke.json: filen eller mappen finnes ikke (systemet sier: "), "{}", r.stderr);
    let r = run_en(&["score", "finnes-ikke.json"]);
    assert!(r.stderr.contains("the file or folder does not exist (the system says: "), "{}", r.stderr);
}
