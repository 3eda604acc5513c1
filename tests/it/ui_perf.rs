//! Frame budgets, measured headlessly: one frame of the services overview with 300 services,
//! of the trends view with 20 reviews, and of the editor on a 25-item review. Aggregates
//! are computed when data changes, so a frame only lays out. Budget: 2 ms a frame in a
//! release build, and 1 ms of CPU time for the editor (its thread's CPU time, not wall
//! time, so a busy machine does not count); `cargo test --release --test ui_perf --
//! --nocapture` prints the figures. A debug build only checks a loose bound.

use crate::util;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use egui_kittest::Harness;
use ips_fidelity::gui::{App, Command, Route, ServiceTab, Settings, setup_context};

fn budget() -> Duration {
    if cfg!(debug_assertions) { Duration::from_millis(25) } else { Duration::from_millis(2) }
}

/// The median time of `frames` frames after warming up.
fn frame_time(app: App, frames: usize) -> Duration {
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(12)
        .with_context_setup(setup_context)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(5);
    let mut times: Vec<Duration> = (0..frames)
        .map(|_| {
            let t = Instant::now();
            h.step();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn generated(services: u32, reviews: u32) -> (tempfile::TempDir, App) {
    let dir = util::tempdir();
    ips_fidelity::generate::generate(dir.path(), services, reviews, 5, None).unwrap_or_else(|e| panic!("{e}"));
    let app = App::new(dir.path(), Settings::default(), NaiveDate::from_ymd_opt(2026, 11, 23).expect("test data"));
    (dir, app)
}

#[test]
fn overview_with_300_services() {
    let (_dir, app) = generated(300, 2);
    assert_eq!(app.ws.services.len(), 300);
    let t = frame_time(app, 60);
    println!("services overview, 300 services: {:.3} ms a frame (median)", t.as_secs_f64() * 1000.0);
    assert!(t < budget(), "{t:?} a frame");
}

#[test]
fn trends_with_20_reviews() {
    let (_dir, mut app) = generated(1, 20);
    let folder = app.ws.services[0].folder.clone();
    app.apply(Command::Navigate(Route::Service(folder, ServiceTab::Trends)));
    app.settle();
    let t = frame_time(app, 60);
    println!("trends view, 20 reviews: {:.3} ms a frame (median)", t.as_secs_f64() * 1000.0);
    assert!(t < budget(), "{t:?} a frame");
}

/// The median CPU time of this thread for one editor frame, on the example's 25-item review.
#[test]
fn editor_on_a_25_item_review() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    util::in_scoring(dir.path());
    let mut app = App::new(dir.path(), Settings::default(), util::today());
    app.apply(Command::OpenEvaluation("ips-nordby".into(), "2026-04-21_independent.json".into()));
    app.settle();
    assert!(matches!(app.route, Route::Evaluation(..)));
    assert_eq!(app.editor.as_ref().map(|e| e.draft().scores.len()), Some(25));
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(12)
        .with_context_setup(setup_context)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(5);
    let mut times: Vec<Duration> = (0..60)
        .map(|_| {
            let t = cpu_time::ThreadTime::now();
            h.step();
            t.elapsed()
        })
        .collect();
    times.sort();
    let t = times[times.len() / 2];
    println!("editor, 25-item review: {:.3} ms CPU a frame (median)", t.as_secs_f64() * 1000.0);
    let limit = if cfg!(debug_assertions) { Duration::from_millis(25) } else { Duration::from_millis(1) };
    assert!(t < limit, "{t:?} CPU a frame");
}
