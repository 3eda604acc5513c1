//! The review year: statuses and the lock on a final review, the audit trail, the
//! factual-accuracy round, outcome figures, styringsgruppe meetings, the meeting pack and
//! the preparation pack, from the command line and in the app.

use crate::util;

use std::path::{Path, PathBuf};

use ips_domain::evaluation::{AuditChange, ReviewStatus};
use ips_store::workspace::Workspace;
use util::{copy_tree, repo, run, run_en, tempdir};

const REVIEW: &str = "services/ips-nordby/evaluations/2026-04-21_independent.json";

fn example(dir: &Path) -> String {
    copy_tree(&repo("examples/workspace"), dir);
    dir.display().to_string()
}

/// Each page's text of a PDF, whitespace folded.
fn pdf_pages(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let doc = lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{e}"));
    doc.get_pages()
        .keys()
        .map(|&p| {
            let text = doc.extract_text(&[p]).unwrap_or_else(|e| panic!("{e}"));
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

fn set_status(ws: &str, to: &str, reason: Option<&str>) -> util::Run {
    set_status_of(ws, "IPS Nordby", "2026-04-21", to, reason)
}

fn set_status_of(ws: &str, service: &str, date: &str, to: &str, reason: Option<&str>) -> util::Run {
    let mut args = vec!["review", "set-status", "--workspace", ws, "--service", service, "--date", date, "--to", to];
    if let Some(r) = reason {
        args.extend(["--reason", r]);
    }
    run(&args)
}

fn review_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(REVIEW)).expect("review")).expect("json")
}

#[test]
fn leaving_final_needs_a_reason_which_is_kept_in_the_file() {
    let dir = tempdir();
    let ws = example(dir.path());
    let before = std::fs::read(dir.path().join(REVIEW)).expect("review");
    let r = set_status(&ws, "draft", None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("2026-04-21_independent.json") && r.stderr.contains("begrunnelse"), "{}", r.stderr);
    assert_eq!(std::fs::read(dir.path().join(REVIEW)).expect("review"), before, "nothing written");

    let r = set_status(&ws, "draft", Some("Tjenesten fant en regnefeil i T6"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Endelig → Utkast"), "{}", r.stdout);
    let v = review_json(dir.path());
    assert_eq!(v["status"], "draft");
    let last = v["audit"].as_array().and_then(|a| a.last()).cloned().expect("an audit entry");
    assert_eq!((last["from"].as_str(), last["to"].as_str()), (Some("final"), Some("draft")));
    assert_eq!(last["reason"], "Tjenesten fant en regnefeil i T6");
    assert!(last["at"].as_str().is_some_and(|t| t.len() == 19), "{last}");

    // The same again changes nothing, and says so.
    let r = set_status(&ws, "draft", Some("igjen"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("allerede"), "{}", r.stdout);
    assert_eq!(review_json(dir.path())["audit"].as_array().map(Vec::len), v["audit"].as_array().map(Vec::len));

    // A scored review is not planned; back to final needs no reason.
    let r = set_status(&ws, "planned", None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("skårer"), "{}", r.stderr);
    let r = run_en(&[
        "review",
        "set-status",
        "--workspace",
        &ws,
        "--service",
        "IPS Nordby",
        "--date",
        "21.04.2026",
        "--to",
        "final",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Draft → Final"), "{}", r.stdout);

    // Bad input: an unknown service, date or status.
    let r = set_status_of(&ws, "IPS Sør", "2026-04-21", "draft", None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("IPS Sør"), "{}", r.stderr);
    let r = set_status_of(&ws, "IPS Nordby", "2026-04-22", "draft", None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("22.04.2026"), "{}", r.stderr);
    let r = set_status_of(&ws, "IPS Nordby", "2026-04-21", "done", None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("«done» er ikke en status"), "{}", r.stderr);
}

#[test]
fn an_incomplete_review_cannot_be_final() {
    let dir = tempdir();
    let ws = dir.path().display().to_string();
    let r = run(&["import", &repo("examples/partial.json").display().to_string(), "--workspace", &ws]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let w = Workspace::load(dir.path());
    let e = &w.services[0].evaluations[0].evaluation;
    assert_eq!(e.status, None, "a file from before statuses");
    let (name, date) = (e.service.name().to_string(), e.date.to_string());
    let r = set_status_of(&ws, &name, &date, "final", None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("omforent skår") && r.stderr.contains("mangler"), "{}", r.stderr);
    let r = set_status_of(&ws, &name, &date, "draft", None);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn every_write_path_refuses_to_change_a_final_review() {
    let dir = tempdir();
    example(dir.path());
    let mut ws = Workspace::load(dir.path());
    let ei = ws.services[0].evaluation_index("2026-04-21_independent.json").expect("review");
    let before = std::fs::read(ws.evaluation_path(0, ei)).expect("review");
    // A changed score.
    ws.services[0].evaluations[ei].evaluation.scores.insert("B1".into(), 1);
    let err = ws.save_evaluation(0, ei).expect_err("locked");
    assert!(err.to_string().contains("final and locked"), "{err}");
    assert_eq!(std::fs::read(ws.evaluation_path(0, ei)).expect("review"), before);
    // Restoring an older version of it.
    let mut ws = Workspace::load(dir.path());
    ws.services[0].evaluations[ei].evaluation.actions[0].status = ips_domain::evaluation::ActionStatus::Done;
    ws.save_evaluation(0, ei).expect("the plan's follow-up goes on");
    let versions = ws.saved_versions(0, ei);
    assert_eq!(versions.len(), 1);
    let mut older = std::fs::read_to_string(&versions[0]).expect("version");
    older = older.replace("\"T13\": 4", "\"T13\": 3");
    std::fs::write(&versions[0], older).expect("write");
    assert!(ws.restore_evaluation(0, ei, &versions[0]).is_err(), "a restore that changes a score");
    // A package with other scores for it.
    let pkg = dir.path().join("pakke.json");
    let r = run(&[
        "export",
        "--format",
        "package",
        "--service",
        "IPS Nordby",
        "-o",
        &pkg.display().to_string(),
        "--workspace",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let other = tempdir();
    example(other.path());
    let text = std::fs::read_to_string(&pkg).expect("package").replace("\"T14\": 3", "\"T14\": 4");
    std::fs::write(&pkg, text).expect("write");
    let target = other.path().join(REVIEW);
    let before = std::fs::read(&target).expect("review");
    let r = run(&["import", &pkg.display().to_string(), "--workspace", &other.path().display().to_string()]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(std::fs::read(&target).expect("review"), before, "never overwritten");
}

#[test]
fn a_draft_report_says_so_on_every_page_and_the_last_page_lists_the_trail() {
    let dir = tempdir();
    let ws = example(dir.path());
    let r = set_status(&ws, "draft", Some("Faktasjekk fra tjenesten"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("utkast.pdf");
    let r = run(&["report", "--workspace", &ws, "--service", "IPS Nordby", "-o", &out.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pages = pdf_pages(&out);
    assert!(pages.len() > 5);
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains("UTKAST"), "page {}: {p}", i + 1);
    }
    let last = pages.last().expect("a last page");
    assert!(last.contains("Logg over status og endringer") && last.contains("Faktasjekk fra tjenesten"), "{last}");
    assert!(last.contains("T13: skår 3 → 4"), "{last}");
    assert!(last.contains("Faktasjekk fra tjenesten") && last.contains("Tatt til følge og endret"), "{last}");
    let all = pages.join(" ");
    assert!(all.contains("Oppfølging av forrige handlingsplan") && all.contains("Delvis gjennomført"), "previous plan");
    assert!(pages[0].contains("Status Utkast"), "{}", pages[0]);
    util::preflight_a1b(&out).unwrap_or_else(|e| panic!("the draft report is not PDF/A-1b: {e}"));

    let r = set_status(&ws, "final", None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("endelig.pdf");
    let r = run(&["report", "--workspace", &ws, "--service", "IPS Nordby", "-o", &out.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(pdf_pages(&out).iter().all(|p| !p.contains("UTKAST")));
}

#[test]
fn outcome_figures_import_all_or_nothing_and_never_overwrite() {
    let dir = tempdir();
    let ws = example(dir.path());
    let file = dir.path().join("figures.csv");
    let outcomes = dir.path().join("services/ips-nordby/outcomes.json");
    let write = |text: &str| std::fs::write(&file, text).expect("write");
    let import = || run(&["outcomes", "import", &file.display().to_string(), "--workspace", &ws]);
    write(
        "service,period,job_seekers,in_work,new_jobs,specialist_fte,in_education\nIPS Nordby,2026-Q4,46,22,3,2.5,4\n",
    );
    let r = import();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("lagt til: IPS Nordby 4.\u{a0}kvartal 2026"), "{}", r.stdout);
    let r = import();
    assert_eq!(r.code, 0, "the same again: {}", r.stderr);
    assert!(r.stdout.contains("0 lagt til, 1 uendret"), "{}", r.stdout);
    let saved = std::fs::read(&outcomes).expect("outcomes");
    let w = Workspace::load(dir.path());
    let q4 = w.services[0].outcomes.last().expect("a quarter");
    assert_eq!(
        (q4.period.to_string(), q4.employment_rate().map(|r| (r * 100.0).round())),
        ("2026-Q4".into(), Some(48.0))
    );
    assert_eq!(q4.job_seekers_per_fte().map(|v| (v * 10.0).round()), Some(184.0));

    // Other figures for a quarter already there: a conflict, named, nothing written.
    write("service,period,job_seekers,in_work,new_jobs,specialist_fte\nIPS Nordby,2026-Q4,50,22,3,2.5\n");
    let r = import();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("konflikt: IPS Nordby har andre tall for 4.\u{a0}kvartal 2026"), "{}", r.stderr);
    assert_eq!(std::fs::read(&outcomes).expect("outcomes"), saved);

    // Bad input: one clear line each, exit 2, nothing written.
    for (csv, says) in [
        ("IPS Nordby,2027-Q1,10,2,1,5000", "linje 2, kolonne specialist_fte: «5000»"),
        ("IPS Sør,2026-Q4,10,2,1,1", "IPS Sør"),
        ("IPS Nordby,2026-Q5,10,2,1,1", "linje 2, kolonne period: «2026-Q5» er ikke et kvartal"),
        ("IPS Nordby,2027-Q1,-3,2,1,1", "linje 2, kolonne job_seekers: «-3»"),
        ("IPS Nordby,2027-Q1,10,12,1,1", "linje 2: in_work (12) er større enn job_seekers (10)"),
    ] {
        write(&format!("service,period,job_seekers,in_work,new_jobs,specialist_fte\n{csv}\n"));
        let r = import();
        assert_eq!(r.code, 2, "{csv}");
        assert!(r.stderr.contains(says) && r.stderr.contains(&file.display().to_string()), "{csv}: {}", r.stderr);
        assert_eq!(std::fs::read(&outcomes).expect("outcomes"), saved, "{csv}");
    }
}

#[test]
fn import_also_takes_an_outcomes_csv() {
    let dir = tempdir();
    let ws = example(dir.path());
    let csv = repo("examples/outcomes.csv").display().to_string();
    let r = run(&["import", &csv, "--workspace", &ws]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("lagt til: IPS Nordby 4.\u{a0}kvartal 2026"), "{}", r.stdout);
    let w = Workspace::load(dir.path());
    let q4 = w.services[0].outcomes.last().expect("a quarter");
    assert_eq!(
        q4.job_seekers_basis,
        Some(ips_domain::outcomes::JobSeekersBasis::OutOfWorkAtEntry),
        "the column is read"
    );
    // A basis the file does not know: one clear line, exit 2.
    let bad = dir.path().join("basis.csv");
    std::fs::write(
        &bad,
        "service,period,job_seekers,in_work,new_jobs,specialist_fte,job_seekers_basis\nIPS Nordby,2027-Q1,50,20,3,3.0,everyone\n",
    )
    .expect("write");
    let r = run(&["outcomes", "import", &bad.display().to_string(), "--workspace", &ws]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("linje 2, kolonne job_seekers_basis: «everyone»"), "{}", r.stderr);
    let other = tempdir();
    let r = run(&["import", &csv, "--workspace", &other.path().display().to_string()]);
    assert_eq!(r.code, 2, "no such service there");
    assert!(r.stderr.contains("IPS Nordby"), "{}", r.stderr);
}

#[test]
fn the_meeting_pack_has_status_plan_review_decisions_and_agenda() {
    let dir = tempdir();
    let ws = example(dir.path());
    let out = dir.path().join("pakke.pdf");
    let r = run(&[
        "meeting-pack",
        "--workspace",
        &ws,
        "--service",
        "IPS Nordby",
        "--date",
        "2026-06-16",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf_pages(&out).join(" ");
    for want in [
        "Styringsgruppemøte 16.06.2026",
        "IPS Nordby",
        "2 ganger i året",
        "Siste kvartal (2. kvartal 2026): 58 jobbsøkere, 19,3 per årsverk; 26 i arbeid (45 %)",
        "Mål: minst 40 % i arbeid",
        "Evaluering 21.04.2026 (Endelig): 106 av 125 poeng, Bra kvalitet",
        "Vedtak fra forrige møte",
        "Ny ekstern kvalitetsevaluering bestilt til april 2026.",
        "Referat fra dette møtet",
        "Handlingsplanen etter evalueringen 21.04.2026 er godkjent.",
        "Status IPS-tjenesten (portefølje, resultater, ressurser)",
        "Kvalitetsevaluering/handlingsplan",
    ] {
        assert!(text.contains(want), "missing «{want}» in {text}");
    }
    // On 16 June the action finished on 1 September was still under way.
    assert!(text.contains("Gjenoppta kvartalsvise"), "{text}");
    let en = dir.path().join("pack.pdf");
    let r = run_en(&[
        "meeting-pack",
        "--workspace",
        &ws,
        "--service",
        "IPS Nordby",
        "--date",
        "2026-11-23",
        "-o",
        &en.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf_pages(&en).join(" ");
    assert!(text.contains("Steering group meeting 23 Nov 2026") && text.contains("Q3 2026"), "{text}");
    let r = run(&["meeting-pack", "--workspace", &ws, "--service", "IPS Sør", "-o", &en.display().to_string()]);
    assert_eq!(r.code, 2);
}

#[test]
fn the_preparation_pack_comes_from_any_scale() {
    let dir = tempdir();
    let out = dir.path().join("prep.pdf");
    let ws = dir.path().display().to_string();
    for (scale, lang) in [("ips-25", "nb"), ("se-15", "en")] {
        let r =
            run(&["prepare", "--scale", scale, "--lang", lang, "-o", &out.display().to_string(), "--workspace", &ws]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let text = pdf_pages(&out).join(" ");
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(repo(&format!("scales/{scale}.json"))).expect("scale"))
                .expect("json");
        for item in v["items"].as_array().expect("items") {
            let name = item["name"][lang].as_str().expect("name");
            assert!(text.contains(&format!("{} {name}", item["id"].as_str().expect("id"))), "{scale}: {name}");
            if let Some(inputs) = item["kind"]["inputs"].as_array() {
                for i in inputs {
                    let label = i["label"][lang].as_str().expect("label");
                    let first: String = label.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
                    assert!(text.contains(&first), "{scale}: the figure «{label}»");
                }
            }
        }
        for s in v["sources"].as_array().expect("sources") {
            assert!(text.contains(s["name"][lang].as_str().expect("source")), "{scale}: {s}");
        }
    }
    let r = run(&["prepare", "--scale", "nope", "-o", &out.display().to_string(), "--workspace", &ws]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
}

mod app {
    use super::*;
    use egui::Key;
    use egui_kittest::kittest::{NodeT, Queryable};
    use ips_fidelity::gui::{App, Command, Route, ServiceTab, Settings};
    use util::{harness, messages, today};

    fn open_latest(dir: &Path) -> egui_kittest::Harness<'static, App> {
        let mut app = App::new(dir, Settings::default(), today());
        app.apply(Command::OpenEvaluation("ips-nordby".into(), "2026-04-21_independent.json".into()));
        app.settle();
        let mut h = harness(app);
        util::frames(&mut h);
        h
    }

    /// Focuses the field named `label`, selects what is in it and types `text` over it.
    fn type_into(h: &mut egui_kittest::Harness<'static, App>, label: &str, text: &str) {
        // The field, not the label that names it.
        let field = |h: &egui_kittest::Harness<'static, App>| {
            h.query_all_by_label(label).find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label).is_some()
        };
        assert!(field(h), "no field {label} among {:?}", util::labels(h));
        h.query_all_by_label(label)
            .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
            .expect("field")
            .focus();
        util::frames(h);
        h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
        util::frames(h);
        h.query_all_by_label(label)
            .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
            .expect("field")
            .type_text(text);
        util::frames(h);
    }

    /// Runs frames until the PDF job is done (its spinner repaints the whole time).
    fn until_made(h: &mut egui_kittest::Harness<'static, App>, path: &Path) {
        for _ in 0..500 {
            h.step();
            if path.exists() && !h.state().report.is_running() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        h.step();
    }

    fn choose_status(h: &mut egui_kittest::Harness<'static, App>, label: &str) {
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Status").click();
        util::frames(h);
        h.get_by_role_and_label(egui::accesskit::Role::Button, label).click();
        // The change is saved on the writer thread.
        util::settle(h);
    }

    #[test]
    fn a_final_review_is_locked_and_reopens_only_with_a_reason() {
        let dir = tempdir();
        example(dir.path());
        let before = std::fs::read(dir.path().join(REVIEW)).expect("review");
        let mut h = open_latest(dir.path());
        assert!(h.query_by_label_contains("Evalueringen er endelig og låst").is_some());
        // A score key on a final review changes nothing, and says why.
        h.key_press(Key::Num1);
        util::frames(&mut h);
        assert!(h.query_by_label_contains("Endringen ble ikke gjort").is_some());
        h.state_mut().flush();
        assert_eq!(std::fs::read(dir.path().join(REVIEW)).expect("review"), before, "nothing written");

        // Choosing another status asks why; no reason, no reopening.
        choose_status(&mut h, "Utkast");
        assert!(h.query_by_label("Åpne en endelig evaluering igjen").is_some());
        assert!(h.get_by_label("Åpne igjen").accesskit_node().is_disabled());
        type_into(&mut h, "Begrunnelse", "Tjenesten meldte feil tall for T6");
        h.get_by_label("Åpne igjen").click();
        util::settle(&mut h);
        let v = review_json(dir.path());
        assert_eq!(v["status"], "draft");
        assert_eq!(
            v["audit"].as_array().and_then(|a| a.last()).map(|a| a["reason"].clone()),
            Some("Tjenesten meldte feil tall for T6".into())
        );
        assert!(h.query_by_label_contains("Utkast sendt til tjenesten").is_some());

        // In the draft a changed agreed score is logged.
        h.key_press(Key::Num4);
        util::frames(&mut h);
        h.state_mut().flush();
        let w = Workspace::load(dir.path());
        let e = &w.services[0].evaluations[2].evaluation;
        let selected = h.state().editor.as_ref().map(|ed| ed.scale.items[ed.selected.saturating_sub(1)].id.clone());
        let item = selected.expect("an item");
        let last = e.audit.last().expect("an entry");
        assert!(matches!(&last.change, AuditChange::Score { item: i, to: Some(4), .. } if *i == item), "{:?}", e.audit);
        assert_eq!(e.scores.get(&item), Some(&4));

        // And final again, without a question; undo cannot reach back across it.
        choose_status(&mut h, "Endelig");
        assert!(!h.state().editor.as_ref().is_some_and(|ed| ed.can_undo()), "no undo into a final review");
        let w = Workspace::load(dir.path());
        assert_eq!(w.services[0].evaluations[2].evaluation.status, Some(ReviewStatus::Final));
        assert!(h.query_by_label_contains("Evalueringen er endelig og låst").is_some());
        assert!(messages(h.state()).contains("Status endret: Endelig"), "{}", messages(h.state()));
    }

    #[test]
    fn a_new_review_for_a_later_day_is_planned_and_scoring_starts_it() {
        let dir = tempdir();
        example(dir.path());
        let mut app = App::new(dir.path(), Settings::default(), today());
        let date = chrono::NaiveDate::from_ymd_opt(2027, 4, 13).expect("date");
        app.apply(Command::NewEvaluation { service: "ips-nordby".into(), date, kind: Default::default() });
        app.settle();
        let mut h = harness(app);
        util::frames(&mut h);
        assert!(h.query_by_label_contains("Planlagt evaluering").is_some());
        let file = dir.path().join("services/ips-nordby/evaluations/2027-04-13_independent.json");
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("file")).expect("json");
        assert_eq!(v["status"], "planned");
        h.key_press(Key::Num3);
        util::frames(&mut h);
        h.state_mut().flush();
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("file")).expect("json");
        assert_eq!(v["status"], "scoring");
        assert!(h.query_by_label("Skåring").is_some(), "the status shown follows");
    }

    #[test]
    fn the_factual_accuracy_round_is_recorded_per_item() {
        let dir = tempdir();
        example(dir.path());
        util::in_scoring(dir.path());
        let mut h = open_latest(dir.path());
        h.get_by_label("Faktasjekk").click();
        util::frames(&mut h);
        assert!(h.query_by_label("T13 Tjenester som er basert i lokalsamfunnet").is_some());
        h.get_by_label("Legg til kommentar").click();
        util::frames(&mut h);
        type_into(&mut h, "Kommentar fra tjenesten (B1)", "Vi har 2,5 årsverk, ikke 2.");
        h.state_mut().flush();
        let v = review_json(dir.path());
        let c = v["accuracy"].as_array().and_then(|a| a.last()).cloned().expect("a comment");
        assert_eq!((c["item"].as_str(), c["comment"].as_str()), (Some("B1"), Some("Vi har 2,5 årsverk, ikke 2.")));
        assert!(h.query_by_label("Logg").is_some(), "the audit trail is listed");
    }

    #[test]
    fn the_plan_is_followed_up_with_dated_notes_and_statuses() {
        let dir = tempdir();
        example(dir.path());
        let mut h = open_latest(dir.path());
        h.get_by_label("Handlingsplan").click();
        util::frames(&mut h);
        assert!(h.query_by_label_contains("Forrige handlingsplan (evalueringen 08.04.2025)").is_some());
        assert!(h.query_by_label("Delvis gjennomført").is_some(), "the previous plan's outcome");
        assert!(h.query_by_label_contains("Handlingsplanen levert 01.06.2026").is_some());
        assert!(h.query_by_label_contains("etter fristen").is_none(), "delivered within 6 weeks of the visit");
        assert!(h.query_by_label_contains("Fristene er britisk praksis (IPS Grow)").is_some(), "labelled as defaults");
        type_into(&mut h, "Fremdrift (Tiltak 5)", "Første erfaringsmøte holdt 12.11.");
        h.get_by_label("Legg til notat (Tiltak 5)").click_accesskit();
        util::frames(&mut h);
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Status (Tiltak 5)").scroll_to_me();
        util::frames(&mut h);
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Status (Tiltak 5)").click_accesskit();
        util::frames(&mut h);
        h.get_by_role_and_label(egui::accesskit::Role::Button, "Pågår").click();
        util::frames(&mut h);
        h.state_mut().flush();
        let v = review_json(dir.path());
        let a5 = &v["actions"][4];
        assert_eq!(a5["status"], "in_progress");
        assert_eq!(a5["status_changes"][0]["date"], "2026-11-23");
        assert_eq!(a5["progress"][0]["text"], "Første erfaringsmøte holdt 12.11.");
        assert_eq!(a5["progress"][0]["date"], "2026-11-23");
    }

    #[test]
    fn outcomes_are_entered_and_checked_in_the_app() {
        let dir = tempdir();
        example(dir.path());
        let mut app = App::new(dir.path(), Settings::default(), today());
        app.apply(Command::Navigate(Route::Service("ips-nordby".into(), ServiceTab::Outcomes)));
        app.settle();
        let mut h = harness(app);
        util::frames(&mut h);
        assert!(h.query_by_label("47\u{a0}%").is_some(), "2026-Q3: 27 of 57 in work");
        // Whom the rate counts, under the figures: the benchmark's definition and the quarters' own.
        assert!(h.query_by_label_contains("regnes av jobbsøkerne som var uten arbeid da de startet").is_some());
        assert!(
            h.query_by_label_contains("Tallene her teller: jobbsøkere som var uten arbeid ved oppstart.").is_some()
        );
        type_into(&mut h, "Kvartal", "2026-Q5");
        h.get_by_label("Lagre kvartal").click();
        util::frames(&mut h);
        assert!(h.query_by_label("Skriv kvartalet som 2026-Q1.").is_some());
        type_into(&mut h, "Kvartal", "2026-Q4");
        type_into(&mut h, "Jobbsøkere", "46");
        type_into(&mut h, "I arbeid", "50");
        type_into(&mut h, "Nye jobber", "3");
        type_into(&mut h, "Årsverk jobbspesialist", "2,5");
        h.get_by_label("Lagre kvartal").click();
        util::frames(&mut h);
        assert!(
            h.query_by_label_contains("antallet i arbeid (50) kan ikke være større enn antallet jobbsøkere (46)")
                .is_some()
        );
        let outcomes = dir.path().join("services/ips-nordby/outcomes.json");
        assert!(!std::fs::read_to_string(&outcomes).expect("outcomes").contains("2026-Q4"));
        type_into(&mut h, "I arbeid", "22");
        h.get_by_label("Lagre kvartal").click();
        util::settle(&mut h);
        let text = std::fs::read_to_string(&outcomes).expect("outcomes");
        assert!(text.contains("\"period\": \"2026-Q4\"") && text.contains("\"specialist_fte\": 2.5"), "{text}");
        assert!(
            text.contains("\"job_seekers_basis\": \"out_of_work_at_entry\""),
            "a new quarter says whom it counts: {text}"
        );
        assert!(h.query_by_label("48\u{a0}%").is_some(), "22 of 46");
        // Deleting a quarter asks first.
        h.get_by_label("Slett 3.\u{a0}kvartal 2025").click();
        util::frames(&mut h);
        assert!(std::fs::read_to_string(&outcomes).expect("outcomes").contains("2025-Q3"), "not yet");
        h.get_by_label("Ja, slett (3.\u{a0}kvartal 2025)").click();
        util::settle(&mut h);
        assert!(!std::fs::read_to_string(&outcomes).expect("outcomes").contains("2025-Q3"));
    }

    #[test]
    fn a_meeting_is_recorded_and_its_pack_made_from_the_service_page() {
        let dir = tempdir();
        example(dir.path());
        let mut app = App::new(dir.path(), Settings::default(), today());
        app.apply(Command::Navigate(Route::Service("ips-nordby".into(), ServiceTab::Meetings)));
        app.settle();
        let mut h = harness(app);
        util::frames(&mut h);
        assert!(
            h.query_by_label_contains(
                "Styringsgruppen skal møtes 2 ganger i året. Siste møte: 16.06.2026. Neste: 16.12.2026."
            )
            .is_some()
        );
        type_into(&mut h, "Til stede (én per linje)", "NAV-leder\nMetodeveileder");
        type_into(&mut h, "Vedtak (ett per linje)", "Tiltak a5 prioriteres.");
        h.get_by_label("Lagre møte").click();
        util::settle(&mut h);
        let w = Workspace::load(dir.path());
        let m = w.services[0].meetings.last().expect("a meeting");
        assert_eq!(m.date, today());
        assert_eq!(m.attendees, ["NAV-leder", "Metodeveileder"]);
        assert_eq!(m.decisions, ["Tiltak a5 prioriteres."]);
        assert!(h.query_by_label_contains("Neste: 23.05.2027").is_some(), "six months on");

        h.get_by_label("Lag møtepakke (PDF)").click();
        let pack: PathBuf = dir.path().join("reports/ips-nordby_styringsgruppe_2026-11-23.pdf");
        until_made(&mut h, &pack);
        let text = pdf_pages(&pack).join(" ");
        assert!(text.contains("Tiltak a5 prioriteres."), "{text}");

        h.get_by_label("Forberedelsespakke (PDF)").click();
        let prep = dir.path().join("reports/forberedelse_ips-25_2026.1_nb.pdf");
        until_made(&mut h, &prep);
        assert!(pdf_pages(&prep).join(" ").contains("Skåringsskjema"));
    }

    #[test]
    fn an_outcomes_csv_dropped_on_the_window_is_imported() {
        let dir = tempdir();
        example(dir.path());
        let mut h = harness(App::new(dir.path(), Settings::default(), today()));
        util::frames(&mut h);
        let csv = repo("examples/outcomes.csv");
        util::drop_files(&mut h, &[&csv]);
        assert!(messages(h.state()).contains("Import: 1 lagt til, 0 uendret, 0 i konflikt"), "{}", messages(h.state()));
        let w = Workspace::load(dir.path());
        assert_eq!(w.services[0].outcomes.last().map(|q| q.period.to_string()), Some("2026-Q4".into()));
        assert_eq!(h.state().ws.services[0].outcomes.len(), 6, "the window shows it at once");
    }

    #[test]
    fn a_reviewer_writes_their_own_rationale_in_their_mode() {
        let dir = tempdir();
        example(dir.path());
        util::in_scoring(dir.path());
        let mut h = open_latest(dir.path());
        h.get_by_role_and_label(egui::accesskit::Role::Button, "Silje Aas").click();
        util::frames(&mut h);
        type_into(&mut h, "Begrunnelse", "Siljes egen begrunnelse for B1.");
        h.state_mut().flush();
        let v = review_json(dir.path());
        let silje = v["reviewers"].as_array().and_then(|r| r.iter().find(|r| r["name"] == "Silje Aas")).cloned();
        let silje = silje.expect("Silje");
        assert_eq!(silje["items"]["B1"]["rationale"], "Siljes egen begrunnelse for B1.");
        assert!(
            v["items"]["B1"]["rationale"].as_str().is_some_and(|t| t.starts_with("Tre jobbspesialister")),
            "the agreed rationale is hers no more than before"
        );
        // The consensus view marks her rationale.
        h.get_by_label("Enighet og konsensus").click();
        util::frames(&mut h);
        assert!(h.query_all_by_label_contains("✎").count() >= 2, "O5 and T13 in the example, and B1 now");
    }

    #[test]
    fn the_overview_shows_status_and_what_is_overdue() {
        let dir = tempdir();
        example(dir.path());
        let mut h = harness(App::new(dir.path(), Settings::default(), today()));
        util::frames(&mut h);
        let row = &h.state().derived.rows[0];
        // a1 (30.09.2026), a2 (31.08.2026) and a5 (31.10.2026) are not done.
        assert_eq!(row.overdue, vec![ips_domain::trends::PastDeadline::Actions { count: 3 }]);
        assert!(h.query_by_label("Endelig").is_some(), "the latest review's status");
        assert!(h.query_by_label_contains("3 tiltak over fristen").is_some());
    }
}

#[test]
fn the_summary_lists_an_overdue_styringsgruppe_meeting() {
    let dir = tempdir();
    example(dir.path());
    let ws = Workspace::load(dir.path());
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let selection = ips_domain::summary::Selection::default();
    let on = |today| ws.summary("ips-25", &selection, ips_text::text::Lang::Nb, today).expect("a summary").overdue;
    assert!(on(day(2026, 12, 16)).is_empty(), "the next meeting is due 16.12.2026");
    let late = on(day(2027, 1, 10));
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].what, late[0].due), (ips_domain::summary::OverdueKind::Meeting, day(2026, 12, 16)));
    let json = serde_json::to_value(&late[0]).expect("json");
    assert_eq!(json["what"], "meeting");
}
