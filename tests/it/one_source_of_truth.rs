//! One definition per rule: the overview row, the service page, the editor, the trends and
//! the report model agree on total, band and change for every review (of the example
//! workspace and of a generated one); and scale versions are pinned, so a corrected scale
//! never re-bands an old review (issue 9's scenario, in the core, the CSV and the report).

use crate::util;

use std::path::Path;

use chrono::NaiveDate;
use ips_domain::evaluation::{Evaluation, EvaluationType};
use ips_domain::history::review_facts;
use ips_domain::report::{ReportTexts, build};
use ips_domain::trends::{Trend, overview};
use ips_fidelity::gui::EvaluationEditor;
use ips_store::csv_io::{self, Dialect};
use ips_store::workspace::Workspace;
use ips_text::text::Lang;
use util::{copy_tree, repo, run_en, tempdir, write};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("test data")
}

/// Checks every review of every service of `ws`; returns how many were compared.
fn views_agree(ws: &Workspace) -> usize {
    let mut compared = 0;
    for svc in &ws.services {
        let facts = review_facts(svc, &ws.scales);
        assert_eq!(facts.len(), svc.evaluations.len(), "{}: every review has its facts", svc.info.name);
        // The overview row is the latest independent review's facts.
        let row = overview(svc, &ws.scales, today());
        let latest = facts
            .iter()
            .filter(|f| f.kind == EvaluationType::Independent)
            .max_by_key(|f| f.date)
            .or_else(|| facts.iter().max_by_key(|f| f.date));
        assert_eq!(row.latest.as_ref(), latest.map(|f| &f.summary), "{}: overview total/band", svc.info.name);
        assert_eq!(row.change, latest.and_then(|f| f.change), "{}: overview change", svc.info.name);

        let evaluations: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
        let scale_id = &svc.evaluations[0].evaluation.scale;
        let trend = Trend::build(&ws.scales, scale_id, evaluations.iter().copied());
        for f in &facts {
            let e = &svc.evaluations[f.index].evaluation;
            // Trends.
            let point = trend.points.iter().find(|p| p.date == f.date && p.kind == f.kind);
            let point = point.unwrap_or_else(|| panic!("{} {}: no trend point", svc.info.name, f.date));
            assert_eq!(point.total, f.summary.total);
            assert_eq!(point.band, f.summary.band.as_ref().map(|b| b.index));
            assert_eq!(point.change, f.change, "{} {}: trend change", svc.info.name, f.date);
            // Report model.
            let texts = ReportTexts::builtin(Lang::Nb);
            let m = build(&ws.scales, &svc.info, e, &evaluations, texts, today())
                .unwrap_or_else(|| panic!("{} {}: no report model", svc.info.name, f.date));
            assert_eq!(m.total, f.summary.total);
            assert_eq!(m.band_rank, f.summary.band.as_ref().map(|b| b.index));
            assert_eq!(m.change, f.change, "{} {}: report change", svc.info.name, f.date);
            // The report's per-item changes are the core's ItemChange deltas.
            if let Some(p) = f.previous {
                let prev = &svc.evaluations[p].evaluation;
                for row in &m.items {
                    let expected = match (e.scores.get(&row.id), prev.scores.get(&row.id)) {
                        (Some(c), Some(p)) => Some(i32::from(*c) - i32::from(*p)),
                        _ => None,
                    };
                    assert_eq!(row.change, expected, "{} {} {}", svc.info.name, f.date, row.id);
                }
            }
            // The editor (what the app shows while scoring), opened as the app opens it.
            let scale = ws.scales.for_evaluation(e).cloned().unwrap_or_else(|| panic!("scale"));
            let previous = f.previous.map(|p| {
                let prev = &svc.evaluations[p].evaluation;
                (prev.clone(), ws.scales.for_evaluation(prev).cloned().unwrap_or_else(|| panic!("scale")))
            });
            let file = &svc.evaluations[f.index].file_name;
            let ed = EvaluationEditor::new(&svc.folder, file, e.clone(), scale, previous, today());
            assert_eq!(ed.summary.score, f.summary, "{} {}: editor total/band", svc.info.name, f.date);
            let editor_change = ed.summary.change.as_ref().and_then(|c| c.total_delta).filter(|_| f.summary.complete);
            assert_eq!(editor_change, f.change, "{} {}: editor change", svc.info.name, f.date);
            compared += 1;
        }
    }
    compared
}

#[test]
fn views_agree_on_the_example_workspace() {
    let ws = Workspace::load(&repo("examples/workspace"));
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(views_agree(&ws), 3);
    let facts = review_facts(&ws.services[0], &ws.scales);
    let changes: Vec<Option<i32>> = facts.iter().map(|f| f.change).collect();
    assert_eq!(changes, [None, Some(11), Some(11)], "84 → 95 → 106");
}

#[test]
fn views_agree_on_a_generated_workspace() {
    let dir = tempdir();
    ips_fidelity::generate::generate(dir.path(), 12, 8, 3, None).unwrap_or_else(|e| panic!("{e}"));
    let ws = Workspace::load(dir.path());
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert!(views_agree(&ws) >= 90);
}

/// The example workspace with a corrected ips-25 (version 2027.1, "Bra kvalitet" from 107).
fn corrected_workspace(dir: &Path) -> std::path::PathBuf {
    let ws = dir.join("ws");
    copy_tree(&repo("examples/workspace"), &ws);
    let mut scale: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("scales/ips-25.json")).expect("test data"))
            .unwrap_or_else(|e| panic!("{e}"));
    scale["version"] = "2027.1".into();
    scale["bands"][1]["min"] = 107.into();
    scale["bands"][2]["max"] = 106.into();
    // Any file name: the version inside decides.
    write(&ws.join("scales/rettet-skala.json"), &scale.to_string());
    ws
}

#[test]
fn a_corrected_scale_never_rebands_old_reviews() {
    let dir = tempdir();
    let root = corrected_workspace(dir.path());
    let ws = Workspace::load(&root);
    assert!(ws.problems.is_empty() && ws.warnings.is_empty(), "{:?} {:?}", ws.problems, ws.warnings);
    assert_eq!(ws.scales.get("ips-25").map(|s| s.version.as_str()), Some("2027.1"), "newest for new reviews");
    let svc = &ws.services[0];
    let e2026 = &svc.evaluations[2].evaluation;
    assert_eq!(e2026.date, NaiveDate::from_ymd_opt(2026, 4, 21).unwrap());
    // Core and app (overview row).
    let row = overview(svc, &ws.scales, today());
    let latest = row.latest.unwrap_or_else(|| panic!("latest"));
    assert_eq!(latest.total, 106);
    assert_eq!(latest.band.as_ref().map(|b| b.id.as_str()), Some("good"));
    // Report.
    let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
    let m = build(&ws.scales, &svc.info, e2026, &history, ReportTexts::builtin(Lang::Nb), today())
        .unwrap_or_else(|| panic!("model"));
    assert_eq!(m.band.as_deref(), Some("Bra kvalitet"));
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    // CSV export, in the core and through the command line.
    let mut csv = Vec::new();
    csv_io::export(&ws, Lang::Nb, Dialect::Plain, &mut csv).unwrap_or_else(|e| panic!("{e}"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("IPS Nordby,2026-04-21,independent,ips-25,106,Bra kvalitet,"), "{csv}");
    let r = run_en(&["export", "--format", "csv", "--workspace", &root.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("IPS Nordby,2026-04-21,independent,ips-25,106,Good fidelity,"), "{}", r.stdout);
    // A new review is scored on 2027.1, where 106 is "Godkjent".
    let mut ws = Workspace::load(&root);
    let scale = ws.scales.get("ips-25").cloned().unwrap_or_else(|| panic!("scale"));
    let mut e = e2026.clone();
    e.date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    e.scale_version = Some(scale.version.clone());
    ws.add_evaluation(0, e).unwrap_or_else(|err| panic!("{err}"));
    let facts = review_facts(&ws.services[0], &ws.scales);
    let bands: Vec<&str> = facts.iter().filter_map(|f| f.summary.band.as_ref().map(|b| b.id.as_str())).collect();
    assert_eq!(bands, ["fair", "fair", "good", "fair"]);
}

#[test]
fn rescoring_on_a_newer_version_is_asked_for_and_recorded() {
    let dir = tempdir();
    let root = corrected_workspace(dir.path());
    let ws = Workspace::load(&root);
    let e = &ws.services[0].evaluations[2].evaluation;
    let newer = ws.scales.newer_than(e).cloned().unwrap_or_else(|| panic!("a newer version"));
    assert_eq!(newer.version, "2027.1");
    let mut rescored = e.clone();
    rescored.rescore_on(&newer, today(), "kari").unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(rescored.scale_version.as_deref(), Some("2027.1"));
    assert_eq!(rescored.scale_changes.len(), 1);
    assert_eq!(rescored.scale_changes[0].from.as_deref(), Some("2026.1"));
    let back = Evaluation::from_json("x.json", &rescored.to_json()).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(back, rescored, "the record survives the file");
    assert_eq!(ws.scales.for_evaluation(&back).map(|s| s.version.as_str()), Some("2027.1"));
}

#[test]
fn an_unknown_version_is_named_and_scored_on_the_newest() {
    let dir = tempdir();
    let root = dir.path().join("ws");
    copy_tree(&repo("examples/workspace"), &root);
    let file = root.join("services/ips-nordby/evaluations/2026-04-21_independent.json");
    let text = std::fs::read_to_string(&file).unwrap().replace("\"2026.1\"", "\"2031.4\"");
    write(&file, &text);
    let ws = Workspace::load(&root);
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.warnings.len(), 1, "{:?}", ws.warnings);
    let w = ws.warnings[0].text(Lang::En);
    assert!(w.contains("2026-04-21_independent.json") && w.contains("2031.4") && w.contains("2026.1"), "{w}");
    assert!(ws.warnings[0].text(Lang::Nb).contains("finnes ikke her"), "Norwegian words for a Norwegian user");
    // The report says it on the cover.
    let svc = &ws.services[0];
    let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
    let m =
        build(&ws.scales, &svc.info, &svc.evaluations[2].evaluation, &history, ReportTexts::builtin(Lang::En), today())
            .unwrap_or_else(|| panic!("model"));
    assert_eq!(m.warnings.len(), 1);
    assert!(m.warnings[0].contains("2031.4"), "{:?}", m.warnings);
    // The command line says it too, and still works.
    let out = dir.path().join("r.pdf");
    let r = run_en(&[
        "report",
        "--workspace",
        &root.display().to_string(),
        "--service",
        "IPS Nordby",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("2031.4"), "{}", r.stderr);
}

#[test]
fn a_hand_written_file_gets_the_newest_version_when_imported() {
    let dir = tempdir();
    let root = corrected_workspace(dir.path());
    let r = run_en(&[
        "import",
        &repo("examples/minimal.json").display().to_string(),
        "--workspace",
        &root.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ws = Workspace::load(&root);
    let svc = ws.find_service("IPS Bodø").unwrap_or_else(|| panic!("imported"));
    assert_eq!(ws.services[svc].evaluations[0].evaluation.scale_version.as_deref(), Some("2027.1"));
}

#[test]
fn the_version_a_review_uses_is_kept_in_the_workspace() {
    let dir = tempdir();
    let mut ws = Workspace::load(dir.path());
    let i = ws.create_service(ips_domain::evaluation::ServiceInfo::named("IPS Ås")).unwrap_or_else(|e| panic!("{e}"));
    let scale = ws.scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
    let e = Evaluation::new(&scale, "IPS Ås", today(), EvaluationType::Independent);
    ws.add_evaluation(i, e).unwrap_or_else(|err| panic!("{err}"));
    let pinned = dir.path().join("scales").join(format!("ips-25_{}.json", scale.version.replace('.', "-")));
    assert!(pinned.exists(), "a copy of the scale version in WORKSPACE/scales: {}", pinned.display());
    let again = Workspace::load(dir.path());
    assert!(again.scales.in_workspace("ips-25", &scale.version));
}

/// Regression: the trends took the current handlingsplan from the latest independent review
/// with actions, the meeting pack from the latest review on or before the meeting with or
/// without them. After a new review whose plan is not written yet, a meeting's pack showed
/// no actions while the overview counted the old plan's overdue ones.
#[test]
fn the_trends_and_the_meeting_pack_show_the_same_current_handlingsplan() {
    let mut ws = Workspace::load(&repo("examples/workspace"));
    let si = ws.service_index("ips-nordby").expect("IPS Nordby");
    let latest = ws.services[si].latest(EvaluationType::Independent).expect("a review").evaluation.clone();
    assert!(!latest.actions.is_empty(), "the example's latest review has a plan");
    // A newer review, scored, whose plan is not written yet.
    let newer_date = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
    let mut newer = Evaluation { date: newer_date, ..latest.clone() };
    newer.actions.clear();
    ws.services[si].evaluations.push(ips_domain::service::EvaluationRecord {
        file_name: "2026-10-01_independent.json".into(),
        evaluation: newer,
        stamp: None,
    });
    let meeting = today();
    let svc = &ws.services[si];
    let plan = ips_domain::plan::current_plan(svc, meeting).expect("a plan in force");
    assert_eq!(plan.evaluation.date, latest.date, "the plan in force is the latest one written");
    let pack = ips_domain::meeting_pack::pack(svc, &ws.scales, meeting, Lang::Nb);
    let pack_actions: Vec<&str> = pack.actions.iter().map(|a| a.what.as_str()).collect();
    let plan_actions: Vec<&str> = plan.evaluation.actions.iter().map(|a| a.what.as_str()).collect();
    assert_eq!(pack_actions, plan_actions, "the pack shows the plan in force");
    let overdue_in_pack = pack.actions.iter().filter(|a| a.overdue).count();
    let overdue_in_overview = ips_domain::trends::overdue_of(svc, &ws.scales, meeting)
        .iter()
        .find_map(|o| match o {
            ips_domain::trends::PastDeadline::Actions { count } => Some(*count),
            _ => None,
        })
        .unwrap_or(0);
    assert!(overdue_in_pack > 0, "the example has overdue actions on {meeting}");
    assert_eq!(overdue_in_pack, overdue_in_overview, "the pack and the overview count the same overdue actions");
}

/// Every file under `dir` (relative path and bytes), but for presence markers.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("folder").flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".presence" || n == ".history") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside").display().to_string();
                out.push((rel, std::fs::read(&path).expect("file")));
            }
        }
    }
    out.sort();
    out
}

/// The three counts in a summary line ("3 lagt til, 1 uendret, 1 konflikter …").
fn counts(line: &str) -> Vec<u32> {
    line.split(|c: char| !c.is_ascii_digit()).filter(|w| !w.is_empty()).take(3).map(|w| w.parse().expect("n")).collect()
}

/// The CLI's `import` and the app's import are one use-case (`ips_store::import`): the same
/// files give the same counts and the same files on disk, a conflict and an unreadable file
/// included.
#[test]
fn the_cli_and_the_app_import_the_same_way() {
    let files = tempdir();
    let conflict = files.path().join("konflikt.csv");
    write(&conflict, "service;date;type;B1\r\nIPS Nordby;21.04.2026;independent;1\r\n");
    let bad = files.path().join("notat.txt");
    write(&bad, "ikke en evaluering");
    let inputs =
        [repo("examples/import.csv"), repo("examples/outcomes.csv"), repo("examples/minimal.json"), conflict, bad];

    let by_cli = tempdir();
    copy_tree(&repo("examples/workspace"), by_cli.path());
    let mut args: Vec<String> = vec!["--workspace".into(), by_cli.path().display().to_string(), "import".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = util::run(&args);
    assert_eq!(r.code, 2, "a conflict and a file left out: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("notat.txt"), "{}", r.stderr);
    let cli_line = r.stdout.lines().find(|l| l.contains("(arbeidsområde")).expect("summary").to_string();

    let by_app = tempdir();
    copy_tree(&repo("examples/workspace"), by_app.path());
    let mut h = util::harness(ips_fidelity::gui::App::new(by_app.path(), Default::default(), util::today()));
    util::frames(&mut h);
    h.state_mut().apply(ips_fidelity::gui::Command::ImportFiles(inputs.to_vec()));
    util::settle(&mut h);
    let messages = util::messages(h.state());
    assert!(messages.contains("notat.txt"), "{messages}");
    let app_line = messages.lines().find(|l| l.starts_with("Import:")).expect("summary").to_string();

    assert_eq!(counts(&cli_line), counts(&app_line), "{cli_line} / {app_line}");
    assert_eq!(counts(&cli_line)[2], 1, "one conflict: {cli_line}");
    let (a, b) = (files_under(by_cli.path()), files_under(by_app.path()));
    assert_eq!(a.iter().map(|(p, _)| p).collect::<Vec<_>>(), b.iter().map(|(p, _)| p).collect::<Vec<_>>());
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        if path.ends_with(".json") && !path.contains("conflicts") {
            assert_eq!(x, y, "{path} differs");
        }
    }
}

/// A scale version that adds an item: the change since the previous review, each scored on
/// its own version, is the same in the editor, the overview's facts and the report. (The
/// editor used to score the previous review on the draft's version, where it lacks the new
/// item and has no total.)
#[test]
fn the_change_across_a_version_that_adds_an_item_is_the_same_everywhere() {
    let dir = tempdir();
    let root = dir.path().join("ws");
    copy_tree(&repo("examples/workspace"), &root);
    let mut scale: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("scales/ips-25.json")).expect("scale")).expect("json");
    scale["version"] = "2027.2".into();
    let mut added = scale["items"][24].clone();
    added["id"] = "T15".into();
    scale["items"].as_array_mut().expect("items").push(added);
    scale["bands"][0]["max"] = 130.into();
    scale["bands"][3]["min"] = 26.into();
    write(&root.join("scales/ips-25_2027.2.json"), &scale.to_string());

    let mut ws = Workspace::load(&root);
    assert!(ws.problems.is_empty() && ws.warnings.is_empty(), "{:?} {:?}", ws.problems, ws.warnings);
    let mut e = ws.services[0].evaluations[2].evaluation.clone();
    assert_eq!(e.date, NaiveDate::from_ymd_opt(2026, 4, 21).expect("date"));
    e.date = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    e.scale_version = Some("2027.2".into());
    e.status = Some(ips_domain::evaluation::ReviewStatus::Scoring);
    e.scores.insert("T15".into(), 5);
    ws.add_evaluation(0, e.clone()).unwrap_or_else(|err| panic!("{err}"));

    let facts = review_facts(&ws.services[0], &ws.scales);
    let fact = facts.iter().find(|f| f.date == e.date).expect("the new review");
    assert_eq!(fact.change, Some(5), "106 on 2026.1, then 111 on 2027.2");

    let svc = &ws.services[0];
    let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
    let m = build(&ws.scales, &svc.info, &e, &history, ReportTexts::builtin(Lang::Nb), today()).expect("model");
    assert_eq!(m.change, Some(5), "the report");

    let mut app = ips_fidelity::gui::App::new(&root, Default::default(), today());
    app.apply(ips_fidelity::gui::Command::OpenEvaluation("ips-nordby".into(), "2026-11-01_independent.json".into()));
    app.settle();
    let ed = app.editor.as_ref().expect("the editor");
    assert_eq!(ed.summary.change.as_ref().and_then(|c| c.total_delta), Some(5), "the editor");
    assert_eq!(app.derived.facts[0].iter().find(|f| f.date == e.date).and_then(|f| f.change), Some(5), "the overview");
}
