//! Faults a shared office machine meets, made for real: a full disk (a small tmpfs filled to
//! the last byte) and a read-only workspace (a tmpfs remounted read-only). Both need root to
//! mount; CI runs as root (`.ci/run`). Without root they fail saying so, rather than pass
//! without having run.

use crate::util;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use egui::Key;
use egui_kittest::kittest::{NodeT, Queryable};
use ips_fidelity::gui::{App, Command, Route, ServiceTab, Settings};
use util::{copy_tree, files_of, harness, repo, run, run_en, settle, today};

const REVIEW: &str = "services/ips-nordby/evaluations/2026-04-21_independent.json";

/// A tmpfs mounted on a temporary folder for one test, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (as mount(8) takes it, e.g. `4m`). Without root this fails
    /// with a message saying so, rather than passing without having run.
    fn mount(size: &str) -> Tmpfs {
        let dir = util::tempdir();
        let mounted = Process::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            mounted,
            "this test mounts a tmpfs (a real full disk) and needs root: run `cargo test` as root, as CI does"
        );
        Tmpfs { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount_read_only(&self) {
        let ok = Process::new("mount").args(["-o", "remount,ro"]).arg(self.path()).status().is_ok_and(|s| s.success());
        assert!(ok, "remount read-only");
    }

    /// Fills the file system to the last byte with `filler`.
    fn fill(&self) {
        let mut f = std::fs::File::create(self.filler()).expect("filler");
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.write_all(&[0]);
        drop(f);
        let probe = std::fs::write(self.path().join("probe"), [1u8; 4096]);
        let _ = std::fs::remove_file(self.path().join("probe"));
        assert!(probe.is_err(), "the disk is full");
    }

    /// Frees the space again.
    fn free(&self) {
        std::fs::remove_file(self.filler()).expect("remove filler");
    }

    fn filler(&self) -> PathBuf {
        self.path().join("filler.bin")
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Staging folders and temporary files anywhere under `root`.
fn leftovers(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".new-") || name.contains(".tmp.") {
                out.push(entry.path());
            }
            if entry.path().is_dir() {
                stack.push(entry.path());
            }
        }
    }
    out
}

#[test]
fn a_full_disk_in_the_cli_is_one_plain_message_and_nothing_is_left_behind() {
    let fs = Tmpfs::mount("2m");
    let root = fs.path().join("ws");
    copy_tree(&repo("examples/workspace"), &root);
    let ws = root.display().to_string();
    fs.fill();
    let before = files_of(&root);
    let export = root.join("alle.csv").display().to_string();
    let report = root.join("rapport.pdf").display().to_string();
    let workbook = root.join("alle.xlsx").display().to_string();
    let summary = root.join("oversikt.xlsx").display().to_string();
    let word = root.join("rapport.docx").display().to_string();
    let plan = root.join("plan.docx").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        // A new service: staged in a hidden folder, then renamed into place.
        vec!["import", "examples/import.csv", "--workspace", &ws],
        // A review written over with its history kept.
        vec![
            "review",
            "set-status",
            "--workspace",
            &ws,
            "--service",
            "IPS Nordby",
            "--date",
            "2026-04-21",
            "--to",
            "draft",
            "--reason",
            "Retting",
        ],
        vec!["export", "--format", "csv", "-o", &export, "--workspace", &ws],
        vec!["report", "--service", "IPS Nordby", "-o", &report, "--workspace", &ws],
        vec!["export", "--format", "xlsx", "-o", &workbook, "--workspace", &ws],
        vec!["summary", "-o", &summary, "--workspace", &ws],
        vec!["report", "--service", "IPS Nordby", "-o", &word, "--workspace", &ws],
        vec!["report", "--service", "IPS Nordby", "--plan-only", "-o", &plan, "--workspace", &ws],
    ];
    for args in &commands {
        let r = run(args);
        assert_eq!(r.code, 3, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
        assert!(r.stderr.contains("Disken er full"), "in the user's language: {}", r.stderr);
        assert!(r.stderr.contains(&ws), "names the file: {}", r.stderr);
        assert!(!r.stderr.contains(".new-") && !r.stderr.contains(".tmp."), "{}", r.stderr);
        assert_eq!(files_of(&root).keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>(), "{args:?}");
        assert!(files_of(&root) == before, "every earlier file intact after {args:?}");
        assert_eq!(leftovers(&root), Vec::<PathBuf>::new(), "{args:?}");
    }
    // In English too.
    let r = run_en(&commands[0]);
    assert!(r.stderr.contains("The disk is full"), "{}", r.stderr);
    // Once there is space, the same commands work.
    fs.free();
    for args in &commands {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    assert!(root.join("services/ips-sorvik/service.json").is_file());
    assert_eq!(leftovers(&root), Vec::<PathBuf>::new());
}

/// The example workspace, its reviews in scoring, on a 2 MB tmpfs, with the app open on
/// IPS Nordby's latest review.
fn review_open_on_tmpfs() -> (Tmpfs, PathBuf, egui_kittest::Harness<'static, App>) {
    let fs = Tmpfs::mount("2m");
    let root = fs.path().join("ws");
    copy_tree(&repo("examples/workspace"), &root);
    util::in_scoring(&root);
    let mut app = App::new(&root, Settings::default(), today());
    app.apply(Command::OpenEvaluation("ips-nordby".into(), "2026-04-21_independent.json".into()));
    app.settle();
    let mut h = harness(app);
    util::frames(&mut h);
    (fs, root, h)
}

#[test]
fn a_full_disk_in_the_app_keeps_the_edits_and_saves_them_when_space_is_freed() {
    let (fs, root, mut h) = review_open_on_tmpfs();
    assert!(matches!(h.state().route, Route::Evaluation(..)));
    // One save while there is room (it also keeps the review's scale version beside it).
    h.key_press(Key::Num3);
    util::frames(&mut h);
    settle(&mut h);
    assert!(!h.state().editor.as_ref().is_some_and(|e| e.is_dirty()));
    let on_disk = std::fs::read(root.join(REVIEW)).expect("review");
    let first = h.state().editor.as_ref().map(|e| e.draft().scores.clone());
    fs.fill();
    // Score the first item differently: written at once, on the writer thread.
    let new_score = Key::Num2;
    h.key_press(new_score);
    util::frames(&mut h);
    settle(&mut h);
    let app = h.state();
    let messages = util::messages(app);
    assert_eq!(messages.matches("Disken er full").count(), 1, "said once: {messages}");
    assert!(messages.contains(&root.join(REVIEW).display().to_string()), "names the file: {messages}");
    let ed = app.editor.as_ref().expect("editor");
    assert!(ed.is_dirty() && ed.save_failed, "the edits stay in the window");
    let kept = Some(ed.draft().scores.clone());
    assert_ne!(kept, first);
    assert!(h.query_by_label_contains("Kunne ikke lagre").is_some());
    assert_eq!(std::fs::read(root.join(REVIEW)).expect("review"), on_disk, "the file is intact");
    assert_eq!(leftovers(&root), Vec::<PathBuf>::new());
    // Tries again now and then: still full, still said once.
    h.state().clock.advance(Duration::from_millis(3200));
    h.step();
    settle(&mut h);
    assert_eq!(util::messages(h.state()).matches("Disken er full").count(), 1);
    // Space freed: the next attempt saves.
    fs.free();
    h.state().clock.advance(Duration::from_millis(3200));
    h.step();
    settle(&mut h);
    let ed = h.state().editor.as_ref().expect("editor");
    assert!(!ed.is_dirty() && !ed.save_failed, "saved once space was freed");
    assert!(util::messages(h.state()).contains("Endringene er lagret nå"));
    let saved = ips_store::workspace::Workspace::load(&root);
    assert_eq!(Some(saved.services[0].evaluations[2].evaluation.scores.clone()), kept);
    assert_eq!(leftovers(&root), Vec::<PathBuf>::new());
}

/// The same for what the user leaves behind: a review left while its save fails, and a
/// meeting recorded on a full disk. Both stay in memory, are said once each, and are
/// written by themselves once space is freed.
#[test]
fn a_full_disk_keeps_a_review_left_behind_and_a_meeting_until_space_is_freed() {
    let (fs, root, mut h) = review_open_on_tmpfs();
    h.key_press(Key::Num3);
    settle(&mut h);
    let before = files_of(&root);
    fs.fill();
    h.key_press(Key::Num2);
    settle(&mut h);
    let kept = h.state().editor.as_ref().map(|e| e.draft().scores.clone()).expect("editor");
    // Leaving the review does not wait, and does not drop the edits.
    h.get_by_label("Tilbake til tjenesten").click();
    settle(&mut h);
    assert!(matches!(h.state().route, Route::Service(..)));
    let meeting = ips_domain::meetings::Meeting {
        date: today(),
        attendees: vec!["NAV-leder".into()],
        decisions: vec!["Tiltak a5 prioriteres.".into()],
        notes: String::new(),
    };
    h.state_mut().apply(Command::Navigate(Route::Service("ips-nordby".into(), ServiceTab::Meetings)));
    h.state_mut().settle();
    h.state_mut().apply(Command::SaveMeeting {
        service: "ips-nordby".into(),
        meeting: meeting.clone(),
        replaces: None,
    });
    h.state_mut().settle();
    settle(&mut h);
    let messages = util::messages(h.state());
    assert!(messages.contains(&root.join(REVIEW).display().to_string()), "names the review: {messages}");
    let meetings = root.join("services/ips-nordby/meetings.json");
    assert!(messages.contains(&meetings.display().to_string()), "names the meetings file: {messages}");
    assert!(h.state().ws.services[0].meetings.contains(&meeting), "the meeting stays in the window");
    assert!(files_of(&root) == before, "every file intact");
    assert_eq!(leftovers(&root), Vec::<PathBuf>::new());
    // Still full at the next attempts: nothing more is said.
    let said = h.state().messages.len();
    h.state().clock.advance(Duration::from_millis(3200));
    h.step();
    settle(&mut h);
    assert_eq!(h.state().messages.len(), said, "{}", util::messages(h.state()));
    // Space freed: both are written without the user doing anything.
    fs.free();
    h.state().clock.advance(Duration::from_millis(3200));
    h.step();
    settle(&mut h);
    let saved = ips_store::workspace::Workspace::load(&root);
    assert_eq!(saved.services[0].evaluations[2].evaluation.scores, kept, "the review left behind");
    assert!(saved.services[0].meetings.contains(&meeting), "the meeting");
    assert!(util::messages(h.state()).contains("Endringene er lagret nå"));
    assert_eq!(leftovers(&root), Vec::<PathBuf>::new());
    // And the window may close at once.
    assert!(h.state_mut().close_requested());
}

#[test]
fn a_read_only_workspace_opens_read_only_with_a_banner() {
    let fs = Tmpfs::mount("4m");
    let root = fs.path().join("ws");
    copy_tree(&repo("examples/workspace"), &root);
    util::in_scoring(&root);
    fs.remount_read_only();
    let before = files_of(&root);
    let mut app = App::new(&root, Settings::default(), today());
    assert!(app.read_only);
    app.apply(Command::OpenEvaluation("ips-nordby".into(), "2026-04-21_independent.json".into()));
    app.settle();
    let mut h = harness(app);
    util::frames(&mut h);
    assert!(h.query_by_label_contains("Arbeidsområdet er skrivebeskyttet").is_some(), "the banner");
    // Score keys and typing change nothing; nothing is written, no error about saving.
    let scores = h.state().editor.as_ref().map(|e| e.draft().scores.clone());
    h.key_press(Key::Num1);
    util::frames(&mut h);
    assert_eq!(h.state().editor.as_ref().map(|e| e.draft().scores.clone()), scores);
    assert!(!h.state().editor.as_ref().is_some_and(|e| e.is_dirty()));
    // Commands that would write are refused with the reason.
    h.state_mut().apply(Command::CreateService(ips_domain::evaluation::ServiceInfo::named("IPS Ny")));
    h.state_mut().settle();
    util::frames(&mut h);
    assert!(util::messages(h.state()).contains("skrivebeskyttet"), "{}", util::messages(h.state()));
    assert_eq!(h.state().ws.services.len(), 1);
    // On the service page what would write is greyed out; opening and reading are not.
    h.state_mut().apply(Command::Navigate(Route::Service("ips-nordby".into(), ServiceTab::Evaluations)));
    h.state_mut().settle();
    util::frames(&mut h);
    for label in ["Opprett evaluering", "Rediger tjenesten", "Slett tjenesten"] {
        assert!(h.get_by_label(label).accesskit_node().is_disabled(), "{label} is disabled");
    }
    assert!(!h.get_by_label("Åpne 21.04.2026").accesskit_node().is_disabled());
    drop(h);
    assert!(files_of(&root) == before, "nothing changed");
    // The command line reads it, and says plainly that it cannot write.
    let ws = root.display().to_string();
    assert_eq!(run(&["export", "--format", "csv", "--workspace", &ws]).code, 0);
    let r = run(&[
        "review",
        "set-status",
        "--workspace",
        &ws,
        "--service",
        "IPS Nordby",
        "--date",
        "2026-04-21",
        "--to",
        "draft",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("skrivebeskyttet") && r.stderr.contains(&ws), "{}", r.stderr);
    // An Excel workbook or summary asked for in the read-only folder: one line naming it.
    for args in [
        vec!["export", "--format", "xlsx", "-o", "alle.xlsx"],
        vec!["summary", "-o", "oversikt.xlsx"],
        vec!["report", "--service", "IPS Nordby", "-o", "rapport.docx"],
    ] {
        let target = root.join(args[args.len() - 1]).display().to_string();
        let mut all: Vec<&str> = args[..args.len() - 1].to_vec();
        all.extend([target.as_str(), "--workspace", &ws]);
        let r = run(&all);
        assert_eq!(r.code, 1, "{all:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
        assert!(r.stderr.contains("skrivebeskyttet") && r.stderr.contains(&target), "{}", r.stderr);
    }
    assert!(files_of(&root) == before, "nothing changed");
}

/// A disk that fills up in the middle of an import into an existing service: the import
/// stops with exit 3 and says how many reviews went in before the error, and exactly those
/// files are there, whole.
#[test]
fn a_disk_that_fills_during_an_import_says_how_many_were_added() {
    let fs = Tmpfs::mount("2m");
    let root = fs.path().join("ws");
    copy_tree(&repo("examples/workspace"), &root);
    let ws = root.display().to_string();
    let csv = fs.path().join("mange.csv");
    let mut text = String::from("service,date,B1,B2,B3\n");
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    for d in 0..300 {
        let date = start + chrono::Days::new(d);
        text.push_str(&format!("IPS Nordby,{date},3,4,2\n"));
    }
    util::write(&csv, &text);
    fs.fill();
    // Room for a few reviews, not for all 300.
    let filler = std::fs::OpenOptions::new().write(true).open(fs.filler()).expect("filler");
    let len = filler.metadata().expect("len").len();
    // The import first keeps a copy of the scale version in the workspace (scales/), then
    // the reviews.
    let scale = std::fs::metadata(repo("scales/ips-25.json")).expect("scale").len().next_multiple_of(4096);
    filler.set_len(len.saturating_sub(96 * 1024 + scale)).expect("shrink");
    drop(filler);
    let r = run(&["import", &csv.display().to_string(), "--workspace", &ws]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("Disken er full"), "{}", r.stderr);
    let evaluations = root.join("services/ips-nordby/evaluations");
    let new_files = std::fs::read_dir(&evaluations)
        .expect("evaluations")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("2000-"))
        .count();
    assert!(new_files > 0 && new_files < 300, "{new_files} written: {}", r.stderr);
    let said = format!("Importen stoppet. Evalueringer lagt til før feilen: {new_files}; resten er ikke lagt til.");
    assert!(r.stderr.contains(&said), "{said}\n{}", r.stderr);
    fs.free();
    // Each one whole: the workspace reads them all.
    let loaded = ips_store::workspace::Workspace::load(&root);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert!(leftovers(&root).is_empty(), "{:?}", leftovers(&root));
}
