//! Desktop habits, driven headlessly with egui_kittest: file dialogs (the person choosing is
//! stood in for: a headless test has no desktop to show the system's dialog on), recent
//! workspaces, files dropped on the window, the window title, F1, the calendar beside date
//! fields, and the keyboard alone reaching every control, each with an accessible name.

use crate::util;

use util::{choose, drop_files, harness, messages, today};

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ips_fidelity::gui::{App, Command, FilePurpose, Route, ServiceTab, Settings};
use ips_store::workspace::Workspace;

fn app_in(dir: &Path) -> App {
    App::new(dir, Settings::default(), today())
}

#[test]
fn a_folder_chosen_in_the_dialog_opens_and_is_remembered() {
    let empty = util::tempdir();
    let example = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), example.path());
    let mut app = app_in(empty.path());
    let asked = choose(&mut app, Some(vec![example.path().to_path_buf()]));
    let mut h = harness(app);
    util::settle(&mut h);
    assert_eq!(h.state().route, Route::Welcome);
    h.get_by_label("Åpne mappe …").click();
    util::settle(&mut h);
    assert_eq!(asked.lock().expect("lock")[0].purpose, FilePurpose::OpenWorkspace);
    assert_eq!(h.state().ws.root, example.path());
    assert_eq!(h.state().route, Route::Overview);
    assert!(h.query_by_label("IPS Nordby").is_some());
    assert_eq!(h.state().settings.recent.first().map(PathBuf::as_path), Some(example.path()));
    let folder = example.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    assert_eq!(h.state().title, format!("{folder} – ips-fidelity"));

    // A cancelled dialog changes nothing.
    let mut app = app_in(example.path());
    choose(&mut app, None);
    let mut h = harness(app);
    util::settle(&mut h);
    h.get_by_label("Arbeidsområde").click();
    util::settle(&mut h);
    h.get_by_label("Åpne mappe …").click();
    util::settle(&mut h);
    assert_eq!(h.state().ws.root, example.path());
}

#[test]
fn recent_workspaces_on_the_welcome_screen_and_in_the_menu() {
    let (a, b, empty) = (util::tempdir(), util::tempdir(), util::tempdir());
    util::copy_tree(&util::repo("examples/workspace"), a.path());
    util::copy_tree(&util::repo("examples/workspace"), b.path());
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let settings = Settings { recent: vec![a.path().to_path_buf(), b.path().to_path_buf()], ..Settings::default() };
    let mut h = harness(App::new(empty.path(), settings, today()));
    util::settle(&mut h);
    h.get_by_label(&name(b.path())).click();
    util::settle(&mut h);
    assert_eq!(h.state().ws.root, b.path());
    assert_eq!(h.state().settings.recent[0], b.path(), "newest first");
    h.get_by_label("Arbeidsområde").click();
    util::settle(&mut h);
    h.get_by_label(&name(a.path())).click();
    util::settle(&mut h);
    assert_eq!(h.state().ws.root, a.path());
    assert_eq!(h.state().settings.recent[..2], [a.path().to_path_buf(), b.path().to_path_buf()]);
}

#[test]
fn typed_path_opens_a_workspace_where_no_dialog_exists() {
    let (empty, example) = (util::tempdir(), util::tempdir());
    util::copy_tree(&util::repo("examples/workspace"), example.path());
    let mut h = harness(app_in(empty.path()));
    util::settle(&mut h);
    h.get_by_label("Sti").click();
    util::settle(&mut h);
    h.get_by_label("Sti").type_text(&example.path().display().to_string());
    util::settle(&mut h);
    h.key_press(Key::Enter);
    util::settle(&mut h);
    assert_eq!(h.state().ws.root, example.path());
}

/// A Norwegian Excel user's CSV dropped on the window is imported, with a summary; dropped
/// again it changes nothing; a file of another kind is named and refused.
#[test]
fn dropped_files_are_imported_with_a_summary() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let files = util::tempdir();
    let csv = files.path().join("fra excel.csv");
    let text = "\u{feff}service;date;type;B1;B2\r\nIPS Ås;04.05.2026;independent;3;4\r\n";
    std::fs::write(&csv, text).expect("write");
    let mut h = harness(app_in(dir.path()));
    util::settle(&mut h);
    drop_files(&mut h, &[&csv]);
    assert!(messages(h.state()).contains("Import: 1 lagt til, 0 uendret, 0 i konflikt"), "{}", messages(h.state()));
    let ws = Workspace::load(dir.path());
    let svc = ws.services.iter().find(|s| s.info.name == "IPS Ås").expect("the imported service");
    assert_eq!(svc.evaluations[0].evaluation.date, NaiveDate::from_ymd_opt(2026, 5, 4).expect("date"));
    assert!(h.query_by_label("IPS Ås").is_some(), "in the overview");

    drop_files(&mut h, &[&csv]);
    assert!(messages(h.state()).contains("Import: 0 lagt til, 1 uendret, 0 i konflikt"), "{}", messages(h.state()));

    let other = files.path().join("notes.txt");
    std::fs::write(&other, "hello").expect("write");
    drop_files(&mut h, &[&other]);
    assert!(messages(h.state()).contains("notes.txt: kan ikke importeres"), "{}", messages(h.state()));

    // A bad CSV: its line is named and nothing from it is imported.
    let bad = files.path().join("feil.csv");
    std::fs::write(&bad, "service;date;B1\r\nIPS Bø;31.02.2026;3\r\n").expect("write");
    drop_files(&mut h, &[&bad]);
    let m = messages(h.state());
    assert!(m.contains("feil.csv: linje 2") || m.contains("feil.csv: line 2"), "{m}");
    assert!(!Workspace::load(dir.path()).services.iter().any(|s| s.info.name == "IPS Bø"));
}

#[test]
fn import_and_export_through_the_menu() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let out = util::tempdir();
    let target = out.path().join("alle.csv");
    let mut app = app_in(dir.path());
    let asked = choose(&mut app, Some(vec![target.clone()]));
    let mut h = harness(app);
    util::settle(&mut h);
    h.get_by_label("Arbeidsområde").click();
    util::settle(&mut h);
    h.get_by_label("Eksporter som CSV …").click();
    util::settle(&mut h);
    let request = asked.lock().expect("lock")[0].clone();
    assert_eq!(request.purpose, FilePurpose::ExportCsv);
    assert_eq!(request.file_name, "ips-fidelity_2026-11-23.csv");
    let text = std::fs::read_to_string(&target).expect("the export");
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("IPS Nordby;21.04.2026;independent;ips-25;106;Bra kvalitet"), "{text}");
    assert!(messages(h.state()).contains("3 evalueringer eksportert til"), "{}", messages(h.state()));
    // Again onto the same file (the dialog asked before replacing it): replaced, not refused.
    h.get_by_label("Arbeidsområde").click();
    util::settle(&mut h);
    h.get_by_label("Eksporter som CSV …").click();
    util::settle(&mut h);
    assert_eq!(messages(h.state()).matches("3 evalueringer eksportert til").count(), 2, "{}", messages(h.state()));

    // The exported file imported into an empty workspace through the dialog.
    let empty = util::tempdir();
    let mut app = app_in(empty.path());
    choose(&mut app, Some(vec![target]));
    let mut h = harness(app);
    util::settle(&mut h);
    h.get_by_label("Importer filer …").click();
    util::settle(&mut h);
    assert!(messages(h.state()).contains("Import: 3 lagt til"), "{}", messages(h.state()));
    assert_eq!(Workspace::load(empty.path()).services[0].evaluations.len(), 3);
    assert_eq!(h.state().route, Route::Overview);
}

#[test]
fn report_saved_where_the_user_chooses_and_the_title_names_the_review() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let out = util::tempdir();
    let target = out.path().join("til styringsgruppen.pdf");
    let mut app = app_in(dir.path());
    let asked = choose(&mut app, Some(vec![target.clone()]));
    app.apply(Command::OpenEvaluation("ips-nordby".into(), "2026-04-21_independent.json".into()));
    app.settle();
    let mut h = harness(app);
    util::settle(&mut h);
    assert_eq!(h.state().title, "IPS Nordby – Evaluering 21.04.2026 (Ekstern evaluering) – ips-fidelity");
    h.get_by_label("Lagre rapport som …").click();
    // The spinner repaints while the report thread works: step instead of settling.
    h.run_steps(2);
    // The dialog is shown from a thread of its own: wait for it (a loaded machine is slow).
    for _ in 0..250 {
        if !asked.lock().expect("lock").is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_ok();
    }
    assert_eq!(asked.lock().expect("lock")[0].file_name, "ips-nordby_2026-04-21_independent.pdf");
    for _ in 0..200 {
        if target.exists() && !h.state().report.is_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_ok();
    }
    let bytes = std::fs::read(&target).expect("the report where it was asked for");
    assert!(bytes.starts_with(b"%PDF"));
    h.key_press(Key::Escape);
    util::settle(&mut h);
    assert_eq!(h.state().title, "IPS Nordby – ips-fidelity");
}

#[test]
fn f1_shows_the_keyboard_shortcuts() {
    let dir = util::tempdir();
    let mut h = harness(app_in(dir.path()));
    util::settle(&mut h);
    assert!(h.query_by_label("Hurtigtaster").is_none());
    h.key_press(Key::F1);
    util::settle(&mut h);
    assert!(h.query_by_label("Hurtigtaster").is_some());
    assert!(h.query_by_label("Tilbake ett nivå, eller lukk et vindu").is_some());
    h.key_press(Key::Escape);
    util::settle(&mut h);
    assert!(h.query_by_label("Hurtigtaster").is_none());
}

#[test]
fn a_date_can_be_picked_from_the_calendar() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let mut app = app_in(dir.path());
    app.apply(Command::Navigate(Route::Service("ips-nordby".into(), ServiceTab::Evaluations)));
    app.settle();
    let mut h = harness(app);
    util::settle(&mut h);
    let date_field = |h: &Harness<'static, App>| {
        h.get_by(|n| n.role() == egui::accesskit::Role::TextInput && n.label().as_deref() == Some("Dato")).value()
    };
    assert_eq!(date_field(&h).as_deref(), Some("23.11.2026"));
    h.get_by_label("Velg dato i kalenderen").click();
    util::settle(&mut h);
    // The calendar speaks Norwegian: month, weekdays, week column; no English anywhere.
    for text in ["november 2026", "ma", "sø", "Uke", "Forrige måned", "Neste år"] {
        assert!(h.query_by_label(text).is_some(), "{text}");
    }
    for english in ["Save", "Cancel", "Week", "Mo"] {
        assert!(h.query_by_label(english).is_none(), "{english}");
    }
    // It opens on the field's day, with the keyboard there.
    assert!(h.get_by_label("23.11.2026").is_focused());
    h.get_by_label("Neste måned").click();
    util::settle(&mut h);
    assert!(h.query_by_label("desember 2026").is_some());
    h.key_press(Key::PageUp);
    util::settle(&mut h);
    assert!(h.query_by_label("november 2026").is_some());
    // One click on a day picks it and closes the calendar; the field shows it the
    // Norwegian way.
    h.get_by_label("24.11.2026").click();
    util::settle(&mut h);
    assert!(h.query_by_label("november 2026").is_none());
    assert_eq!(date_field(&h).as_deref(), Some("24.11.2026"));
    // Escape closes the calendar unchanged, and only the calendar: the page stays.
    h.get_by_label("Velg dato i kalenderen").click();
    util::settle(&mut h);
    assert!(h.query_by_label("november 2026").is_some());
    h.key_press(Key::Escape);
    util::settle(&mut h);
    assert!(h.query_by_label("november 2026").is_none());
    assert!(matches!(h.state().route, Route::Service(..)));
    assert_eq!(date_field(&h).as_deref(), Some("24.11.2026"));
    h.get_by_label("Opprett evaluering").click();
    util::settle(&mut h);
    assert_eq!(h.state().route, Route::Evaluation("ips-nordby".into(), "2026-11-24_independent.json".into()));
}

/// Presses Tab until the focus comes back round, and returns the accessible name of every
/// control it visits, in order.
fn tab_walk(h: &mut Harness<'static, App>, most: usize) -> Vec<String> {
    let mut visited = Vec::new();
    for _ in 0..most {
        h.key_press(Key::Tab);
        util::settle(h);
        let Some(node) = h.query_by(|n| n.is_focused()) else {
            continue;
        };
        let n = node.accesskit_node();
        let name = n.label().or_else(|| n.value()).unwrap_or_default();
        if visited.first() == Some(&name) && visited.len() > 1 {
            break;
        }
        visited.push(name);
    }
    visited
}

#[test]
fn every_view_can_be_used_by_keyboard_alone() {
    let dir = util::tempdir();
    let mut h = harness(app_in(dir.path()));
    util::settle(&mut h);
    let welcome = tab_walk(&mut h, 60);
    // Every control the focus reaches has a name a screen reader can say.
    assert!(welcome.iter().all(|n| !n.trim().is_empty()), "{welcome:?}");
    let at = |list: &[String], name: &str| list.iter().position(|n| n == name);
    let order: Vec<Option<usize>> = ["Åpne eksempelet", "Navn på tjenesten", "Opprett tjeneste", "Åpne mappe …", "Sti"]
        .iter()
        .map(|n| at(&welcome, n))
        .collect();
    assert!(order.iter().all(Option::is_some), "{welcome:?}");
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in reading order: {welcome:?}");

    // Enter on the focused "open the example" button opens it.
    h.get_by_label("Åpne eksempelet").focus();
    util::settle(&mut h);
    h.key_press(Key::Enter);
    util::settle(&mut h);
    assert_eq!(h.state().route, Route::Overview);
    let overview = tab_walk(&mut h, 60);
    assert!(overview.iter().all(|n| !n.trim().is_empty()), "{overview:?}");
    assert!(at(&overview, "IPS Nordby").is_some(), "{overview:?}");

    h.get_by_label("IPS Nordby").focus();
    util::settle(&mut h);
    h.key_press(Key::Enter);
    util::settle(&mut h);
    assert!(matches!(h.state().route, Route::Service(..)));
    let service = tab_walk(&mut h, 80);
    assert!(service.iter().all(|n| !n.trim().is_empty()), "{service:?}");
    for name in ["Dato", "Velg dato i kalenderen", "Opprett evaluering", "Åpne 21.04.2026"] {
        assert!(at(&service, name).is_some(), "{name}: {service:?}");
    }

    h.get_by_label("Åpne 21.04.2026").focus();
    util::settle(&mut h);
    h.key_press(Key::Enter);
    util::settle(&mut h);
    assert!(matches!(h.state().route, Route::Evaluation(..)));
    let editor = tab_walk(&mut h, 200);
    assert!(editor.iter().all(|n| !n.trim().is_empty()), "{editor:?}");
    for name in ["Lag PDF-rapport", "Lagre rapport som …"] {
        assert!(at(&editor, name).is_some(), "{name}: {editor:?}");
    }
}
