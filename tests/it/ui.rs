//! The desktop app's main flows, driven headlessly by their labels with egui_kittest.

use crate::util;

use chrono::NaiveDate;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ips_fidelity::gui::{App, Command, Route, ServiceTab, Settings, strings};
use ips_store::workspace::Workspace;
use ips_text::text::Lang;
use util::{harness, today};

fn app_in(dir: &std::path::Path) -> App {
    App::new(dir, Settings::default(), today())
}

/// An app on a workspace with one service and one new, empty evaluation open.
fn app_with_open_evaluation(dir: &std::path::Path) -> Harness<'static, App> {
    let mut app = app_in(dir);
    app.apply(Command::CreateService(ips_domain::evaluation::ServiceInfo::named("IPS Testby")));
    app.settle();
    app.apply(Command::NewEvaluation {
        service: "ips-testby".into(),
        date: NaiveDate::from_ymd_opt(2026, 10, 1).expect("test data"),
        kind: Default::default(),
    });
    app.settle();
    assert_eq!(app.route, Route::Evaluation("ips-testby".into(), "2026-10-01_independent.json".into()));
    let mut h = harness(app);
    util::frames(&mut h);
    h
}

#[test]
fn first_start_creates_a_service() {
    let dir = util::tempdir();
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    assert!(h.query_by_label("Velkommen til IPS kvalitetsskala").is_some());
    util::type_into(&mut h, "Navn på tjenesten", "IPS Ørland");
    h.get_by_label("Opprett tjeneste").click();
    util::frames(&mut h);
    assert_eq!(h.state().ws.services.len(), 1);
    assert!(matches!(&h.state().route, Route::Service(_, ServiceTab::Evaluations)));
    let reloaded = Workspace::load(dir.path());
    assert_eq!(reloaded.services[0].info.name, "IPS Ørland");
}

#[test]
fn score_all_items_by_keyboard() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    assert!(h.query_by_label("Foreløpig").is_some());
    for n in 0..25 {
        // Three items at 3, the rest at 4: 97 then 100 when the last three rise.
        h.key_press(if n < 3 { Key::Num3 } else { Key::Num4 });
        util::frames(&mut h);
        if n == 9 {
            assert!(h.query_by_label("Total 37 / 125").is_some(), "partial total after ten items");
            assert!(h.query_by_label("Foreløpig").is_some());
        }
    }
    assert!(h.query_by_label("Total 97 / 125").is_some());
    assert!(h.query_by_label("Godkjent kvalitet").is_some());
    // Back to the top with the arrow keys and raise the first three items.
    for _ in 0..24 {
        h.key_press(Key::ArrowUp);
    }
    util::frames(&mut h);
    for _ in 0..3 {
        h.key_press(Key::Num4);
        util::frames(&mut h);
    }
    assert!(h.query_by_label("Total 100 / 125").is_some());
    assert!(h.query_by_label("Bra kvalitet").is_some());
    h.state_mut().flush();
    let ws = Workspace::load(dir.path());
    let scores = &ws.services[0].evaluations[0].evaluation.scores;
    assert_eq!(scores.len(), 25);
    assert_eq!(scores.values().map(|&v| u32::from(v)).sum::<u32>(), 100);
}

#[test]
fn undo_and_redo_with_keys() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    h.key_press(Key::Num2);
    util::frames(&mut h);
    h.key_press(Key::Num5);
    util::frames(&mut h);
    let scores = h.state().editor.as_ref().map(|e| e.draft().scores.clone()).unwrap();
    assert!(h.query_by_label("Total 7 / 125").is_some(), "{scores:?}");
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    util::frames(&mut h);
    assert!(h.query_by_label("Total 2 / 125").is_some());
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::Z);
    util::frames(&mut h);
    assert!(h.query_by_label("Total 7 / 125").is_some());
}

#[test]
fn checklist_ticks_propose_a_score() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    h.get_by_label_contains("O2  Integrering").click();
    util::frames(&mut h);
    for el in [
        "Deltar på behandlingsteamets møter hver uke",
        "Deltar aktivt i teamets felles beslutninger om jobbsøkerne",
        "Har kontor sammen med eller i nærheten av behandlingsteamet",
    ] {
        h.get_by_label(el).click();
        util::frames(&mut h);
    }
    assert!(h.query_by_label("Foreslått skår: 3").is_some());
    assert_eq!(h.state().editor.as_ref().and_then(|e| e.draft().scores.get("O2").copied()), Some(3));
    // Choosing another level asks for a reason.
    h.get_by_label("Nivå 5").click();
    util::frames(&mut h);
    assert!(h.query_by_label("Skriv hvorfor skåren avviker.").is_some());
}

#[test]
fn measured_b1_proposes_from_numbers() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    let seekers = "Aktive jobbsøkere i jobbspesialistenes porteføljer (personer)";
    util::type_into(&mut h, seekers, "44");
    util::type_into(&mut h, "Årsverk jobbspesialist (årsverk)", "2");
    assert!(h.query_by_label("Jobbsøkere per årsverk jobbspesialist: 22 per årsverk").is_some());
    assert!(h.query_by_label("Foreslått skår: 4").is_some());
    assert_eq!(h.state().editor.as_ref().and_then(|e| e.draft().scores.get("B1").copied()), Some(4));
    // A number outside the input's range is flagged and never recorded.
    h.get_by_label(seekers).click();
    util::frames(&mut h);
    h.key_press(Key::Backspace);
    h.key_press(Key::Backspace);
    h.get_by_label(seekers).type_text("-5");
    util::frames(&mut h);
    assert!(h.query_by_label_contains("Utenfor").is_some());
    let inputs = h.state().editor.as_ref().and_then(|e| e.draft().items.get("B1").map(|n| n.inputs.clone())).unwrap();
    assert!(!inputs.contains_key("job_seekers"), "{inputs:?}");
}

#[test]
fn two_reviewers_reach_a_consensus() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    for name in ["Kari", "Ola"] {
        util::type_into(&mut h, "Ny evaluator", name);
        h.get_by_label("Legg til evaluator").click();
        util::frames(&mut h);
    }
    // Kari scores B1 and B2, Ola scores B1 the same and B2 two points apart.
    h.get_by_label("Kari").click();
    util::frames(&mut h);
    h.get_by_label_contains("B1  Deltaker").click();
    util::frames(&mut h);
    for k in [Key::Num3, Key::Num2] {
        h.key_press(k);
        util::frames(&mut h);
    }
    assert!(h.query_by_label("De andres skårer er skjult til alle er ferdige.").is_some());
    h.get_by_label("Ferdig med min skåring").click();
    util::frames(&mut h);
    h.get_by_label("Ola").click();
    util::frames(&mut h);
    h.get_by_label_contains("B1  Deltaker").click();
    util::frames(&mut h);
    for k in [Key::Num3, Key::Num4] {
        h.key_press(k);
        util::frames(&mut h);
    }
    h.get_by_label("Ferdig med min skåring").click();
    util::frames(&mut h);
    h.get_by_label("Enighet og konsensus").click();
    util::frames(&mut h);
    assert!(h.query_by_label("Helt enige: 1 / 2 (50\u{a0}%)").is_some());
    assert!(h.query_by_label("Forskjeller på 2 poeng eller mer: 1").is_some());
    h.get_by_label("Overfør like skårer").click();
    util::frames(&mut h);
    h.get_by_label("B2 Konsensus: 3").click();
    util::frames(&mut h);
    let draft = h.state().editor.as_ref().map(|e| e.draft().scores.clone()).unwrap();
    assert_eq!(draft.get("B1"), Some(&3));
    assert_eq!(draft.get("B2"), Some(&3));
}

#[test]
fn add_an_action_to_the_plan() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    h.get_by_label("Handlingsplan").click();
    util::frames(&mut h);
    h.get_by_label("Nytt tiltak").click();
    util::frames(&mut h);
    util::type_into(&mut h, "Hva skal gjøres (Tiltak 1)", "Ukentlig veiledning i jobbutvikling");
    util::type_into(&mut h, "Ansvarlig", "Metodeveileder");
    h.state_mut().flush();
    let ws = Workspace::load(dir.path());
    let actions = &ws.services[0].evaluations[0].evaluation.actions;
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].what, "Ukentlig veiledning i jobbutvikling");
    assert_eq!(actions[0].owner, "Metodeveileder");
}

#[test]
fn language_switch() {
    let dir = util::tempdir();
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    util::choose_language(&mut h, Lang::En);
    assert_eq!(h.state().settings.lang, Lang::En);
    assert!(h.query_by_label("Welcome to the IPS fidelity scale").is_some());
    util::choose_language(&mut h, Lang::Nn);
    assert_eq!(h.state().settings.lang, Lang::Nn);
    assert_ne!(strings::get(Lang::Nn).welcome_title, strings::get(Lang::Nb).welcome_title);
    assert!(h.query_by_label(strings::get(Lang::Nn).welcome_title).is_some(), "nynorsk");
    util::choose_language(&mut h, Lang::Nb);
    assert!(h.query_by_label("Velkommen til IPS kvalitetsskala").is_some());
}

#[test]
fn example_workspace_overview_and_trends() {
    let dir = util::tempdir();
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    h.get_by_label("Åpne eksempelet").click();
    util::frames(&mut h);
    assert!(matches!(h.state().route, Route::Overview));
    assert!(h.query_by_label("IPS Nordby").is_some());
    assert!(h.query_by_label("106 / 125").is_some());
    h.get_by_label("IPS Nordby").click();
    util::frames(&mut h);
    h.get_by_label("Trender").click();
    util::frames(&mut h);
    for date in ["14.05.2024", "08.04.2025", "21.04.2026"] {
        assert!(h.query_by_label(&format!("Evaluering {date}")).is_some(), "{date} missing from trends");
    }
}

#[test]
fn unreadable_file_is_shown_and_left_alone() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let bad = dir.path().join("services/ips-nordby/evaluations/2026-10-01_independent.json");
    util::write(&bad, "{\"scale\": ");
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    assert!(h.query_by_label_contains("2026-10-01_independent.json").is_some());
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), "{\"scale\": ");
}

#[test]
fn pdf_report_from_the_evaluation_view() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    h.key_press(Key::Num4);
    util::frames(&mut h);
    h.get_by_label("Lag PDF-rapport").click();
    // The spinner repaints while the report thread works: step instead of settling.
    h.run_steps(2);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while h.query_by_label("Åpne rapporten").is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_ok();
    }
    assert!(h.query_by_label("Åpne rapporten").is_some(), "the report did not finish");
    let pdf = dir.path().join("reports/ips-testby_2026-10-01_independent.pdf");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"), "{}", pdf.display());
    assert!(h.query_by_label_contains("Rapporten er lagret").is_some());
}

#[test]
fn restore_an_earlier_version() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    h.key_press(Key::Num2);
    util::frames(&mut h);
    h.state_mut().flush();
    // A second editing session: the file as it found it (B1 scored) is kept once, however
    // often it autosaves after that.
    let (folder, file) = ("ips-testby".to_string(), "2026-10-01_independent.json".to_string());
    h.state_mut().apply(Command::Navigate(Route::Service(folder.clone(), ServiceTab::Evaluations)));
    h.state_mut().settle();
    h.state_mut().apply(Command::OpenEvaluation(folder, file));
    h.state_mut().settle();
    util::frames(&mut h);
    h.key_press(Key::ArrowDown);
    util::frames(&mut h);
    h.key_press(Key::Num5);
    util::frames(&mut h);
    h.state_mut().flush();
    assert!(h.query_by_label("Total 7 / 125").is_some());
    assert_eq!(Workspace::load(dir.path()).saved_versions(0, 0).len(), 2, "one version per session");
    h.get_by_label("Tidligere versjoner").click();
    util::frames(&mut h);
    // Newest first: the version this session started from.
    h.get_by_label("Gjenopprett versjon 1").click();
    util::settle(&mut h);
    assert!(h.query_by_label("Total 2 / 125").is_some());
    assert!(h.query_by_label_contains("Gjenopprettet versjonen fra").is_some(), "{}", util::messages(h.state()));
    let ws = Workspace::load(dir.path());
    let scores = &ws.services[0].evaluations[0].evaluation.scores;
    assert_eq!(scores.get("B1"), Some(&2));
    assert_eq!(scores.get("B2"), None);
    // The restore itself went into the history, so it can be undone the same way.
    assert!(ws.saved_versions(0, 0).len() >= 3);
}

/// Autosaves keep no version each; after ten minutes of editing one more is kept.
#[test]
fn long_editing_keeps_a_version_every_ten_minutes() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    for key in [Key::Num2, Key::Num3, Key::Num4, Key::Num5] {
        h.key_press(key);
        util::frames(&mut h);
        h.state_mut().flush();
    }
    let versions = |dir: &std::path::Path| Workspace::load(dir).saved_versions(0, 0).len();
    assert_eq!(versions(dir.path()), 1, "the session's start only");
    // Ten minutes on, by the app's clock.
    h.state().clock.advance(std::time::Duration::from_secs(601));
    h.key_press(Key::Num3);
    util::frames(&mut h);
    h.state_mut().flush();
    assert_eq!(versions(dir.path()), 2, "one periodic version");
    h.key_press(Key::Num4);
    util::frames(&mut h);
    h.state_mut().flush();
    assert_eq!(versions(dir.path()), 2, "not another within ten minutes");
}

#[test]
fn presence_of_another_process_is_shown() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let service_dir = dir.path().join("services/ips-nordby");
    let theirs = ips_store::presence::Presence::announce(&service_dir).unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    h.get_by_label("IPS Nordby").click();
    util::frames(&mut h);
    assert!(h.query_by_label_contains("Denne tjenesten er også åpen hos:").is_some());
    drop(theirs);
}

#[test]
fn keys_still_score_after_clicking_an_item() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    // Clicking gives the item's button the focus; number keys must still score.
    h.get_by_label_contains("O3  Samarbeid").click();
    util::frames(&mut h);
    h.key_press(Key::Num4);
    util::frames(&mut h);
    assert_eq!(h.state().editor.as_ref().and_then(|e| e.draft().scores.get("O3").copied()), Some(4));
    h.get_by_label("Nivå 2").click();
    util::frames(&mut h);
    h.key_press(Key::ArrowDown);
    h.key_press(Key::Num5);
    util::frames(&mut h);
    let scores = h.state().editor.as_ref().map(|e| e.draft().scores.clone()).unwrap();
    assert_eq!(scores.get("O4"), Some(&2), "the level button scored the selected item");
    assert_eq!(scores.get("O5"), Some(&5), "arrow and number keys work after a click");
}

#[test]
fn a_colleagues_save_is_never_overwritten_and_our_edits_are_kept() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    // A colleague saves the same review from another window or machine.
    let mut other = Workspace::load(dir.path());
    other.services[0].evaluations[0].evaluation.scores.insert("T1".into(), 1);
    other.save_evaluation(0, 0).unwrap_or_else(|e| panic!("{e}"));
    // Our edit cannot be written over theirs...
    h.key_press(Key::Num4);
    util::settle(&mut h);
    assert!(h.query_by_label_contains("Filen er endret av noen andre").is_some());
    let ws = Workspace::load(dir.path());
    let scores = &ws.services[0].evaluations[0].evaluation.scores;
    assert_eq!(scores.get("T1"), Some(&1), "the colleague's change survives");
    assert_eq!(scores.get("B1"), None);
    // ...and is kept beside it, named in the app.
    let copies: Vec<_> = std::fs::read_dir(dir.path().join("conflicts"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy = std::fs::read_to_string(&copies[0]).unwrap();
    assert!(copy.contains("\"B1\": 4"), "{copy}");
    assert!(h.query_by_label_contains("lagret som kopi").is_some());
    // Leaving the review does not write anything more.
    h.get_by_label("Tilbake til tjenesten").click();
    util::settle(&mut h);
    assert_eq!(Workspace::load(dir.path()).services[0].evaluations[0].evaluation.scores.get("T1"), Some(&1));
}

/// Every file under `dir` with its bytes, but for the app's presence markers (which say who
/// has a service open and go when the app closes).
fn files_of(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == ".presence" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).expect("test data"));
            }
        }
    }
    out
}

/// Regression: opening the Handlingsplan tab set `plan_drafted`, saved the file, added a
/// history version and enabled Undo. Viewing must change nothing.
#[test]
fn viewing_every_review_and_tab_changes_no_file() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let before = files_of(dir.path());
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    // The app holds the services in brief until one is opened: the files come from disk.
    let files: Vec<String> =
        Workspace::load(dir.path()).services[0].evaluations.iter().map(|r| r.file_name.clone()).collect();
    assert_eq!(files.len(), 3);
    for file in files {
        h.state_mut().apply(Command::OpenEvaluation("ips-nordby".into(), file));
        h.state_mut().settle();
        util::frames(&mut h);
        for tab in ["Handlingsplan", "Enighet og konsensus", "Skåring"] {
            h.get_by_label(tab).click();
            util::frames(&mut h);
            assert!(!h.state().editor.as_ref().is_some_and(|e| e.can_undo()), "{tab}: nothing to undo");
            assert!(!h.state().editor.as_ref().is_some_and(|e| e.is_dirty()), "{tab}: nothing to save");
        }
        h.get_by_label("Tilbake til tjenesten").click();
        util::frames(&mut h);
        h.get_by_label("Trender").click();
        util::frames(&mut h);
    }
    h.state_mut().flush();
    drop(h);
    let after = files_of(dir.path());
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "no file added or removed");
    for (path, bytes) in &before {
        assert!(after.get(path) == Some(bytes), "{} changed", path.display());
    }
}

/// The example workspace with a corrected ips-25 2027.1 ("Bra kvalitet" from 107) added.
fn corrected_example(dir: &std::path::Path) {
    util::copy_tree(&util::repo("examples/workspace"), dir);
    let text = std::fs::read_to_string(util::repo("scales/ips-25.json")).expect("scale");
    let mut scale: serde_json::Value = serde_json::from_str(&text).expect("json");
    scale["version"] = "2027.1".into();
    scale["bands"][1]["min"] = 107.into();
    scale["bands"][2]["max"] = 106.into();
    util::write(&dir.join("scales/rettet.json"), &scale.to_string());
}

#[test]
fn a_corrected_scale_keeps_old_bands_until_the_user_rescores() {
    let dir = util::tempdir();
    corrected_example(dir.path());
    // Re-scoring changes the band: a review that is being scored (a final one is locked).
    util::in_scoring(dir.path());
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    h.state_mut().apply(Command::OpenEvaluation("ips-nordby".into(), "2026-04-21_independent.json".into()));
    h.state_mut().settle();
    util::frames(&mut h);
    assert!(h.query_by_label("Total 106 / 125").is_some());
    assert!(h.query_by_label("Bra kvalitet").is_some(), "scored on its own version, 2026.1");
    assert!(h.query_by_label_contains("Det finnes en nyere versjon av skalaen: 2027.1").is_some());
    h.get_by_label("Skår på nytt etter versjon 2027.1").click();
    util::frames(&mut h);
    assert!(h.query_by_label("Godkjent kvalitet").is_some(), "on 2027.1, 106 is 'Godkjent'");
    h.state_mut().flush();
    let ws = Workspace::load(dir.path());
    let e = &ws.services[0].evaluations[2].evaluation;
    assert_eq!(e.scale_version.as_deref(), Some("2027.1"));
    assert_eq!(e.scale_changes.len(), 1, "the re-scoring is recorded in the file");
    assert_eq!(e.scale_changes[0].from.as_deref(), Some("2026.1"));
    // The other reviews were not touched.
    assert_eq!(ws.services[0].evaluations[1].evaluation.scale_version.as_deref(), Some("2026.1"));
}

#[test]
fn an_unknown_scale_version_is_shown_in_the_app() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let file = dir.path().join("services/ips-nordby/evaluations/2025-04-08_independent.json");
    let text = std::fs::read_to_string(&file).expect("file").replace("\"2026.1\"", "\"2031.4\"");
    util::write(&file, &text);
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    assert!(h.query_by_label_contains("versjon 2031.4 av skalaen «ips-25» finnes ikke her").is_some(), "at load");
    h.state_mut().apply(Command::OpenEvaluation("ips-nordby".into(), "2025-04-08_independent.json".into()));
    h.state_mut().settle();
    util::frames(&mut h);
    assert!(h.query_by_label_contains("finnes ikke her: 2031.4 – skåret etter versjon 2026.1").is_some());
    h.get_by_label("Tilbake til tjenesten").click();
    util::frames(&mut h);
    assert!(h.query_by_label_contains("⚠ skalaversjon 2031.4").is_some(), "on the service page");
}

/// T6 is rated per employment specialist and averaged to the nearest score, in the app.
#[test]
fn t6_per_specialist_rows_in_the_editor() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    h.get_by_label_contains("T6  Jobbutvikling – hyppig arbeidsgiverkontakt").click();
    util::frames(&mut h);
    for (row, contacts) in [(1, "6"), (2, "5")] {
        h.get_by_label("Legg til jobbspesialist").click();
        util::frames(&mut h);
        let field = format!("Jobbspesialist {row}: Personlige arbeidsgiverkontakter per uke (kontakter per uke)");
        util::type_into(&mut h, &field, contacts);
        // Weekly review alone: it is also a monthly one.
        h.get_by_label(&format!("Jobbspesialist {row}: Registreringen gjennomgås hver uke")).click();
        util::frames(&mut h);
    }
    // 6 → 5 and 5 → 4: 4.5 is the closest to 5 (half-way goes up).
    assert!(h.query_by_label("Foreslått skår: 5").is_some());
    assert!(h.query_by_label_contains("(gjennomsnitt): 5,5").is_some());
    let draft = h.state().editor.as_ref().map(|e| e.draft().clone()).unwrap();
    assert_eq!(draft.scores.get("T6"), Some(&5));
    assert_eq!(draft.items.get("T6").map(|n| n.rows.len()), Some(2));
    // Removing a specialist is one edit, undone by one undo.
    h.get_by_label("Fjern Jobbspesialist 2").click();
    util::frames(&mut h);
    assert!(h.query_by_label("Foreslått skår: 5").is_some(), "6 alone → 5");
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    util::frames(&mut h);
    assert_eq!(h.state().editor.as_ref().and_then(|e| e.draft().items.get("T6").map(|n| n.rows.len())), Some(2));
}

/// A workspace opens in brief, read on a thread of its own while the window shows how far
/// it has come: the overview and the summary come from each service's brief, the same as
/// from its reviews, without holding the reviews; a service's reviews are read when it is
/// opened. Nothing is written.
#[test]
fn a_workspace_opens_in_the_background_and_in_brief() {
    let dir = util::tempdir();
    ips_fidelity::generate::generate(dir.path(), 120, 6, 3, None).unwrap_or_else(|e| panic!("{e}"));
    let before = files_of(dir.path());
    let mut h = harness(App::new_in_background(dir.path(), Settings::default(), today()));
    h.step();
    if h.state().is_loading() {
        assert!(h.query_by_label("Leser arbeidsområdet …").is_some(), "the progress is shown");
    }
    let started = std::time::Instant::now();
    while h.state().is_loading() {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the workspace never loaded");
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    util::frames(&mut h);
    let app = h.state();
    assert_eq!(app.derived.rows.len(), 120);
    assert!(app.ws.services.iter().all(|s| !s.is_loaded() && s.evaluations.is_empty()), "held in brief");
    // The same rows and summary as from every review in memory.
    let full = Workspace::load(dir.path());
    let facts: Vec<_> = full.services.iter().map(|s| ips_domain::history::review_facts(s, &full.scales)).collect();
    let rows: Vec<_> = full
        .services
        .iter()
        .zip(&facts)
        .map(|(s, f)| ips_domain::trends::overview_of(s, f, &full.scales, today()))
        .collect();
    assert!(app.derived.rows == rows, "the overview from the briefs");
    let all = ips_domain::summary::Selection::default();
    let summary = |ws: &Workspace, facts: &[Vec<_>]| ws.summary_with(facts, "ips-25", &all, Lang::Nb, today());
    assert!(summary(&app.ws, &app.derived.facts) == summary(&full, &facts), "the summary from the briefs");
    // Opening a service reads its reviews.
    let folder = app.ws.services[7].folder.clone();
    h.state_mut().apply(Command::Navigate(Route::Service(folder.clone(), ServiceTab::Evaluations)));
    h.state_mut().settle();
    util::frames(&mut h);
    let i = h.state().ws.service_index(&folder).expect("service");
    assert!(h.state().ws.services[i].is_loaded());
    assert_eq!(h.state().ws.services[i].evaluations.len(), 6);
    // "Åpne 01.05.2024" and so on: one link per review.
    let listed: usize = (0..=3).map(|d| h.query_all_by_label_contains(&format!("Åpne {d}")).count()).sum();
    assert_eq!(listed, 6, "its reviews are listed");
    drop(h);
    assert_eq!(files_of(dir.path()), before, "opening and viewing wrote nothing");
}

/// Closing the window while something typed is unsaved waits for the save, with a banner
/// saying so, and may close once it is on disk.
#[test]
fn closing_waits_for_the_save_and_says_so() {
    use egui_kittest::kittest::NodeT;
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    let field = |h: &Harness<'static, App>| {
        h.query_all_by_label("Begrunnelse")
            .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
            .is_some()
    };
    assert!(field(&h));
    h.query_all_by_label("Begrunnelse")
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .expect("field")
        .focus();
    util::frames(&mut h);
    h.query_all_by_label("Begrunnelse")
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .expect("field")
        .type_text("Skrevet rett før lukking");
    // One frame takes the typing in. Not `util::frames`: it steps on while background work
    // settles, and each step moves egui's time on, so on a busy machine the pause that
    // starts a save could pass before the close is asked for.
    h.step();
    // Typing is saved after a pause: it is unsaved now, so the window may not close yet.
    assert!(h.state().editor.as_ref().is_some_and(|e| e.is_dirty()));
    assert!(!h.state_mut().close_requested(), "waits for the save");
    util::frames(&mut h);
    assert!(h.query_by_label_contains("Lagrer endringene før vinduet lukkes").is_some(), "says why");
    let started = std::time::Instant::now();
    while !h.state_mut().may_close_now() {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the save never finished");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    let saved = std::fs::read_to_string(dir.path().join("services/ips-testby/evaluations/2026-10-01_independent.json"))
        .expect("review");
    assert!(saved.contains("Skrevet rett før lukking"), "on disk before the window closes");
}

/// A colleague recorded a meeting meanwhile: our save does not overwrite their file. The
/// window takes theirs, and ours is kept beside it and named.
#[test]
fn a_colleagues_meetings_are_never_overwritten_and_ours_are_kept() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let mut h = harness(app_in(dir.path()));
    h.state_mut().apply(Command::Navigate(Route::Service("ips-nordby".into(), ServiceTab::Meetings)));
    h.state_mut().settle();
    util::settle(&mut h);
    let meeting = |day: u32, decision: &str| ips_domain::meetings::Meeting {
        date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
        attendees: Vec::new(),
        decisions: vec![decision.into()],
        notes: String::new(),
    };
    let mut other = Workspace::load(dir.path());
    other.services[0].meetings.push(meeting(2, "Deres vedtak"));
    other.save_meetings(0).unwrap_or_else(|e| panic!("{e}"));
    let ours = meeting(20, "Vårt vedtak");
    h.state_mut().apply(Command::SaveMeeting { service: "ips-nordby".into(), meeting: ours.clone(), replaces: None });
    h.state_mut().settle();
    util::settle(&mut h);
    let messages = util::messages(h.state());
    assert!(messages.contains("filen er endret av noen andre"), "{messages}");
    assert!(messages.contains("Den andres versjon vises nå"), "{messages}");
    assert!(!messages.contains("beholdt i vinduet"), "{messages}");
    let on_disk = Workspace::load(dir.path());
    assert!(on_disk.services[0].meetings.iter().any(|m| m.decisions == ["Deres vedtak"]), "theirs stays");
    assert!(!on_disk.services[0].meetings.contains(&ours));
    assert_eq!(h.state().ws.services[0].meetings, on_disk.services[0].meetings, "the window shows theirs");
    let copy = std::fs::read_dir(dir.path().join("conflicts"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .find(|p| p.to_string_lossy().contains("ips-nordby_meetings_"))
        .expect("our meetings kept as a copy");
    let text = std::fs::read_to_string(&copy).unwrap();
    assert!(text.contains("Vårt vedtak"), "{text}");
    assert!(messages.contains(&copy.display().to_string()), "named: {messages}");
    // The next meeting is saved over theirs as usual (the window has their file now).
    h.state_mut().apply(Command::SaveMeeting { service: "ips-nordby".into(), meeting: ours.clone(), replaces: None });
    h.state_mut().settle();
    util::settle(&mut h);
    let on_disk = Workspace::load(dir.path());
    assert!(on_disk.services[0].meetings.contains(&ours));
    assert!(on_disk.services[0].meetings.iter().any(|m| m.decisions == ["Deres vedtak"]));
}

/// Messages are put into words in every language when made: switching the language
/// re-words the ones already shown.
#[test]
fn switching_the_language_rewords_the_messages_shown() {
    let dir = util::tempdir();
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    h.get_by_label("Åpne eksempelet").click();
    util::frames(&mut h);
    let (nb, en) = (strings::get(Lang::Nb).example_opened, strings::get(Lang::En).example_opened);
    assert_ne!(nb, en);
    assert!(h.query_by_label_contains(nb).is_some(), "{}", util::messages(h.state()));
    util::choose_language(&mut h, Lang::En);
    assert!(h.query_by_label_contains(en).is_some(), "{}", util::messages(h.state()));
    assert!(h.query_by_label_contains(nb).is_none(), "no bokmål left");
    assert!(util::messages(h.state()).contains(en));
}

/// A service's own report language is chosen in its details (*Rediger tjenesten*,
/// *Rapportspråk*) and kept in its service.json.
#[test]
fn a_service_gets_its_own_report_language_in_the_app() {
    let dir = util::tempdir();
    let mut h = harness(app_in(dir.path()));
    util::frames(&mut h);
    h.get_by_label("Åpne eksempelet").click();
    util::frames(&mut h);
    h.get_by_label("IPS Nordby").click();
    util::frames(&mut h);
    h.get_by_label("Rediger tjenesten").click();
    util::frames(&mut h);
    h.get_by(|n| n.role() != egui::accesskit::Role::Label && n.label().as_deref() == Some("Rapportspråk")).click();
    util::frames(&mut h);
    h.get_by_label("Nynorsk").click();
    util::frames(&mut h);
    h.get_by_label("Lagre endringer").click();
    util::settle(&mut h);
    let info = std::fs::read_to_string(dir.path().join("services/ips-nordby/service.json")).expect("service");
    let v: serde_json::Value = serde_json::from_str(&info).expect("json");
    assert_eq!(v["report_lang"], "nn", "{info}");
    let i = h.state().ws.service_index("ips-nordby").expect("service");
    assert_eq!(h.state().ws.services[i].info.report_language(None, Lang::Nb), Lang::Nn);
}

/// O8's steering-group element is proposed from the meetings recorded in the 12 months
/// before the review, by the meetings view's cadence rule: 3 meetings once "Bra kvalitet" is
/// reached (2 a year) meet it, and the reviewer takes the proposal with one click; in 2024,
/// before good fidelity, one meeting fell short of 4, and the unticked element agrees.
#[test]
fn o8_is_proposed_from_the_meetings_before_the_review() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let mut app = app_in(dir.path());
    app.apply(Command::NewEvaluation { service: "ips-nordby".into(), date: today(), kind: Default::default() });
    app.settle();
    let mut h = harness(app);
    util::frames(&mut h);
    h.get_by_label_contains("O8  Støtte til individuell jobbstøtte").click();
    util::frames(&mut h);
    let met = "Fra møtene: 3 styringsgruppemøter fra 23.11.2025 til 22.11.2026; regelen krever minst 2 i året. \
               Kravet til møter er oppfylt.";
    assert!(h.query_by_label(met).is_some(), "{:?}", util::labels(&h));
    h.get_by_label("Bruk forslaget fra møtene (O8)").click();
    util::frames(&mut h);
    let checked = h.state().editor.as_ref().and_then(|e| e.draft().items.get("O8").map(|n| n.checked.clone()));
    assert_eq!(checked, Some(vec!["leader_in_steering_group".to_string()]));
    assert!(h.query_by_label("Bruk forslaget fra møtene (O8)").is_none(), "taken: nothing left to propose");

    h.state_mut().apply(Command::OpenEvaluation("ips-nordby".into(), "2024-05-14_independent.json".into()));
    h.state_mut().settle();
    util::frames(&mut h);
    h.get_by_label_contains("O8  Støtte til individuell jobbstøtte").click();
    util::frames(&mut h);
    let short = "Fra møtene: bare 1 styringsgruppemøte fra 14.05.2023 til 13.05.2024; regelen krever minst 4 i året. \
                 Kravet til møter er ikke oppfylt.";
    assert!(h.query_by_label(short).is_some(), "{:?}", util::labels(&h));
    assert!(h.query_by_label("Bruk forslaget fra møtene (O8)").is_none(), "the review already agrees");
}

/// T6's small-caseload route in the editor: 4 contacts for 2 job seekers looking for work
/// reach 5, and the editor says by which rule.
#[test]
fn t6_small_caseload_route_in_the_editor() {
    let dir = util::tempdir();
    let mut h = app_with_open_evaluation(dir.path());
    h.get_by_label_contains("T6  Jobbutvikling – hyppig arbeidsgiverkontakt").click();
    util::frames(&mut h);
    h.get_by_label("Legg til jobbspesialist").click();
    util::frames(&mut h);
    for (field, value) in [
        ("Jobbspesialist 1: Personlige arbeidsgiverkontakter per uke (kontakter per uke)", "4"),
        ("Jobbspesialist 1: Jobbsøkere i porteføljen som leter etter arbeid nå (personer)", "2"),
    ] {
        util::type_into(&mut h, field, value);
    }
    h.get_by_label("Jobbspesialist 1: Registreringen gjennomgås hver uke").click();
    util::frames(&mut h);
    assert!(h.query_by_label("Foreslått skår: 5").is_some(), "{:?}", util::labels(&h));
    assert!(h.query_by_label_contains("Nivå 5: færre enn 3 i porteføljen leter etter arbeid").is_some());
    assert_eq!(h.state().editor.as_ref().and_then(|e| e.draft().scores.get("T6").copied()), Some(5));
}

/// A handlingsplan delivered after its deadline (6 weeks from the visit) says so on the
/// plan tab, beside the date it was delivered.
#[test]
fn a_plan_delivered_late_says_so() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let file = dir.path().join("services/ips-nordby/evaluations/2026-04-21_independent.json");
    let text = std::fs::read_to_string(&file).expect("review");
    assert!(text.contains("\"plan_delivered\": \"2026-06-01\""));
    std::fs::write(&file, text.replace("\"plan_delivered\": \"2026-06-01\"", "\"plan_delivered\": \"2026-06-18\""))
        .expect("write");
    let mut app = app_in(dir.path());
    app.apply(Command::OpenEvaluation("ips-nordby".into(), "2026-04-21_independent.json".into()));
    app.settle();
    let mut h = harness(app);
    util::frames(&mut h);
    h.get_by_label("Handlingsplan").click();
    util::frames(&mut h);
    assert!(h.query_by_label("Handlingsplanen levert 18.06.2026").is_some(), "{:?}", util::labels(&h));
    assert!(h.query_by_label("etter fristen 02.06.2026").is_some(), "{:?}", util::labels(&h));
}
