//! Workspaces on synced and shared folders: the conflict copies OneDrive/SharePoint, Dropbox,
//! Syncthing and Nextcloud make are named and never counted (command line, overview, trends,
//! export), and can be compared and resolved in the app.

use crate::util;

use std::path::Path;

use ips_domain::trends::Trend;
use ips_store::workspace::Workspace;
use util::{copy_tree, repo, run, run_en, tempdir};

const ORIGINAL: &str = "2026-04-21_independent.json";

/// The four services' names for a copy of the 2026-04-21 review.
const COPIES: [&str; 4] = [
    "2026-04-21_independent-LAPTOP-KARI.json",
    "2026-04-21_independent (Silje Aas's conflicted copy 2026-04-22).json",
    "2026-04-21_independent.sync-conflict-20260422-101010-ABCDEFG.json",
    "2026-04-21_independent (conflicted copy 2026-04-22 101010).json",
];

/// The example workspace with the four conflict copies of its newest review beside it, each
/// with B1 scored 2 (the original has 5).
fn workspace_with_copies(dir: &Path) {
    copy_tree(&repo("examples/workspace"), dir);
    util::in_scoring(dir);
    let evals = dir.join("services/ips-nordby/evaluations");
    let text = std::fs::read_to_string(evals.join(ORIGINAL)).expect("the example review");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["scores"]["B1"] = serde_json::json!(2);
    let copy = serde_json::to_string_pretty(&v).expect("json");
    for name in COPIES {
        std::fs::write(evals.join(name), &copy).expect("write");
    }
}

#[test]
fn conflict_copies_are_named_and_never_counted() {
    let dir = tempdir();
    workspace_with_copies(dir.path());
    let ws_arg = dir.path().display().to_string();

    // The export: one row per review, every copy named on stderr.
    let r = run_en(&["export", "--format", "csv", "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1 + 3, "header and three reviews:\n{}", r.stdout);
    assert_eq!(r.stdout.matches("IPS Nordby,2026-04-21").count(), 1);
    for (copy, service) in COPIES.iter().zip(["OneDrive/SharePoint", "Dropbox", "Syncthing", "Nextcloud"]) {
        let line = r.stderr.lines().find(|l| l.contains(copy)).unwrap_or_else(|| panic!("{copy} not named"));
        assert!(line.contains(&format!("conflict copy made by {service} of {ORIGINAL}")), "{line}");
        assert!(line.contains("not counted"), "{line}");
    }

    // The report names them too; its totals are the original's.
    let out = dir.path().join("r.pdf");
    let r = run(&["report", "--workspace", &ws_arg, "--service", "IPS Nordby", "-o", &out.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("konfliktkopi").count(), 4, "{}", r.stderr);

    // Overview and trends count three reviews, the newest at 106.
    let ws = Workspace::load(dir.path());
    let svc = &ws.services[0];
    assert_eq!(svc.evaluations.len(), 3);
    assert_eq!(svc.conflict_copies.len(), 4);
    assert!(svc.conflict_copies.iter().all(|c| c.original == ORIGINAL));
    let trend = Trend::build(&ws.scales, "ips-25", svc.evaluations.iter().map(|r| &r.evaluation));
    assert_eq!(trend.points.len(), 3);
    assert_eq!(trend.points.last().map(|p| p.total), Some(106));

    // Importing the workspace's export elsewhere gives three reviews, not seven.
    let csv = dir.path().join("all.csv");
    let r = run(&["export", "--format", "csv", "-o", &csv.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let other = tempdir();
    let r = run(&["import", &csv.display().to_string(), "--workspace", &other.path().display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(Workspace::load(other.path()).services[0].evaluations.len(), 3);
}

#[test]
fn a_copy_alone_is_the_review() {
    // Without its original beside it, a file with a copy's name is the only version there is.
    let dir = tempdir();
    copy_tree(&repo("examples/workspace"), dir.path());
    let evals = dir.path().join("services/ips-nordby/evaluations");
    std::fs::rename(evals.join(ORIGINAL), evals.join(COPIES[0])).expect("rename");
    let ws = Workspace::load(dir.path());
    assert_eq!(ws.services[0].evaluations.len(), 3);
    assert!(ws.services[0].conflict_copies.is_empty());
}

mod app {
    use super::*;

    use egui_kittest::kittest::Queryable;
    use ips_fidelity::gui::{App, Command, Route, ServiceTab, Settings};
    use util::{harness, today};

    fn b1(dir: &Path) -> Option<u8> {
        let ws = Workspace::load(dir);
        let svc = &ws.services[0];
        svc.evaluations.iter().find(|r| r.file_name == ORIGINAL).and_then(|r| r.evaluation.scores.get("B1").copied())
    }

    #[test]
    fn conflict_copies_are_compared_and_resolved_in_the_app() {
        let dir = tempdir();
        workspace_with_copies(dir.path());
        let today = today();
        let mut app = App::new(dir.path(), Settings::default(), today);
        let said: String =
            app.messages.iter().map(|m| m.text(app.settings.lang).to_string()).collect::<Vec<_>>().join("\n");
        assert_eq!(said.matches("konfliktkopi fra").count(), 4, "{said}");
        app.apply(Command::Navigate(Route::Service("ips-nordby".into(), ServiceTab::Evaluations)));
        app.settle();
        let mut h = harness(app);
        util::frames(&mut h);
        assert!(h.query_by_label("Konfliktkopier fra synkroniseringen").is_some());
        // The overview's figures are the original's.
        assert_eq!(h.state().derived.rows[0].evaluations, 3);
        assert_eq!(h.state().derived.rows[0].latest.as_ref().map(|s| s.total), Some(106));

        // Take B1 from the OneDrive copy, item by item.
        h.get_by_label(&format!("Sammenlign {}", COPIES[0])).click();
        util::frames(&mut h);
        assert!(h.query_by_label("B1 Deltakerportefølje").is_some());
        h.get_by_label("B1: Kopien").click();
        util::frames(&mut h);
        h.get_by_label("Lagre valgene (1)").click();
        util::frames(&mut h);
        assert_eq!(b1(dir.path()), Some(2), "B1 taken from the copy");
        let resolved = dir.path().join("conflicts/resolved/ips-nordby").join(COPIES[0]);
        assert!(resolved.is_file(), "the copy is kept aside");
        assert!(!dir.path().join("services/ips-nordby/evaluations").join(COPIES[0]).exists());
        let ws = Workspace::load(dir.path());
        let ei = ws.services[0].evaluation_index(ORIGINAL).expect("the original");
        assert_eq!(ws.saved_versions(0, ei).len(), 1, "the version before is in the history");
        assert_eq!(ws.services[0].conflict_copies.len(), 3);
        assert!(h.state().messages.iter().any(|m| m.text(ips_text::text::Lang::Nb).starts_with("Konflikten er løst")));

        // Keep this version for the Dropbox copy: the review stays as it is.
        h.get_by_label(&format!("Sammenlign {}", COPIES[1])).click();
        util::frames(&mut h);
        h.get_by_label("Behold denne versjonen").click();
        util::frames(&mut h);
        assert_eq!(b1(dir.path()), Some(2));
        assert_eq!(Workspace::load(dir.path()).services[0].conflict_copies.len(), 2);
        assert_eq!(Workspace::load(dir.path()).saved_versions(0, ei).len(), 1, "nothing written");

        // Take the whole Syncthing copy; the Nextcloud one stays, named and uncounted.
        h.get_by_label(&format!("Sammenlign {}", COPIES[2])).click();
        util::frames(&mut h);
        h.get_by_label("Ta kopien").click();
        util::frames(&mut h);
        let ws = Workspace::load(dir.path());
        assert_eq!(ws.services[0].conflict_copies.len(), 1);
        assert_eq!(ws.services[0].evaluations.len(), 3);
        assert!(h.query_by_label("Konfliktkopier fra synkroniseringen").is_some());
    }
}

/// A workspace whose folder cannot be listed: here `services` is a file, so listing it fails
/// in the kernel (ENOTDIR) as a dropped share's listing does.
fn unlistable_workspace(dir: &Path) {
    std::fs::write(dir.join("services"), "not a folder").expect("write");
}

#[test]
fn an_unreadable_workspace_is_said_and_never_taken_for_empty() {
    let dir = tempdir();
    unlistable_workspace(dir.path());
    let ws_arg = dir.path().display().to_string();
    let r = run_en(&["export", "--format", "csv", "--workspace", &ws_arg]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "no CSV for an unreadable workspace: {}", r.stdout);
    assert!(r.stderr.contains(&dir.path().join("services").display().to_string()), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);

    let r = run_en(&["import", &repo("examples/import.csv").display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
    assert_eq!(entries.len(), 1, "nothing written: {entries:?}");

    // A service whose reviews cannot be listed is left out, and named.
    let other = tempdir();
    copy_tree(&repo("examples/workspace"), other.path());
    let evals = other.path().join("services/ips-nordby/evaluations");
    std::fs::remove_dir_all(&evals).expect("remove");
    std::fs::write(&evals, "not a folder").expect("write");
    let ws = Workspace::load(other.path());
    assert!(ws.services.is_empty());
    assert!(ws.problems.iter().any(|p| p.path == evals), "{:?}", ws.problems);
    let r = run_en(&["export", "--format", "csv", "--workspace", &other.path().display().to_string()]);
    assert!(r.stderr.contains("evaluations") && r.stderr.contains("cannot be listed"), "{}", r.stderr);
}

mod unreachable_app {
    use super::*;

    use egui_kittest::kittest::Queryable;
    use ips_fidelity::gui::{App, Route, Settings};
    use util::{harness, today};

    #[test]
    fn the_app_offers_a_retry_instead_of_the_welcome_screen() {
        let dir = tempdir();
        unlistable_workspace(dir.path());
        let mut h = harness(App::new(dir.path(), Settings::default(), today()));
        util::frames(&mut h);
        assert!(matches!(h.state().route, Route::Unreachable(_)));
        assert!(h.query_by_label("Arbeidsområdet kan ikke leses").is_some());
        assert!(h.query_by_label("Velkommen til IPS kvalitetsskala").is_none());
        // The share is back: retry.
        std::fs::remove_file(dir.path().join("services")).expect("remove");
        copy_tree(&repo("examples/workspace"), dir.path());
        h.get_by_label("Prøv igjen").click();
        util::settle(&mut h);
        assert_eq!(h.state().route, Route::Overview);
        assert!(h.query_by_label("IPS Nordby").is_some());
    }

    #[test]
    fn a_folder_used_before_that_is_gone_is_not_a_new_workspace() {
        let parent = tempdir();
        let gone = parent.path().join("delt-mappe");
        let settings = Settings { recent: vec![gone.clone()], ..Settings::default() };
        let mut h = harness(App::new(&gone, settings, today()));
        util::frames(&mut h);
        assert!(matches!(&h.state().route, Route::Unreachable(why) if why.contains("delt-mappe")));
        assert!(!gone.exists(), "nothing created");
        // A new folder never used before is the welcome screen, as ever.
        let fresh = parent.path().join("ny");
        let h = harness(App::new(&fresh, Settings::default(), today()));
        assert_eq!(h.state().route, Route::Welcome);
    }
}

/// Two colleagues on one shared folder, each editing another review of the same service,
/// save over and over at the same time: every save goes through, and each ends with their
/// own edits (nobody blocks or overwrites the other).
#[test]
fn colleagues_editing_different_reviews_never_block_each_other() {
    let dir = tempdir();
    copy_tree(&repo("examples/workspace"), dir.path());
    util::in_scoring(dir.path());
    let root = dir.path().to_path_buf();
    let saves = 60;
    let colleague = |file: &'static str| {
        let root = root.clone();
        std::thread::spawn(move || {
            let mut ws = Workspace::load(&root);
            let ei = ws.services[0].evaluation_index(file).expect("the review");
            for n in 0..saves {
                ws.services[0].evaluations[ei].evaluation.notes = format!("{file} {n}");
                ws.save_evaluation(0, ei).unwrap_or_else(|e| panic!("{file}, save {n}: {e}"));
            }
        })
    };
    let kari = colleague("2026-04-21_independent.json");
    let ola = colleague("2025-04-08_independent.json");
    kari.join().expect("Kari's saves");
    ola.join().expect("Ola's saves");
    let ws = Workspace::load(&root);
    let notes = |file: &str| {
        let svc = &ws.services[0];
        svc.evaluation_index(file).map(|i| svc.evaluations[i].evaluation.notes.clone()).unwrap_or_default()
    };
    assert_eq!(notes("2026-04-21_independent.json"), format!("2026-04-21_independent.json {}", saves - 1));
    assert_eq!(notes("2025-04-08_independent.json"), format!("2025-04-08_independent.json {}", saves - 1));
}

/// Output the user asked for (a report, an export) leaves nothing else in their folder.
#[test]
fn a_report_leaves_no_lock_file_beside_it() {
    let dir = tempdir();
    let out = dir.path().join("rapport.pdf");
    let r = run(&["report", "examples/minimal.json", "-o", &out.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names: Vec<_> = std::fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from("rapport.pdf")]);
}
