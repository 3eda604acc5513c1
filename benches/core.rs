//! Benchmarks of the core (divan): scale loading and validation, scoring one evaluation,
//! loading a 6,000-evaluation workspace with every total, band and trend, building the report
//! model and laying out the PDF. Run: `cargo bench --bench core`.
//! The large workspace is generated once (seeded, the same every run) into a temp folder.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use divan::Bencher;
use ips_core::evaluation::Evaluation;
use ips_core::report::{ReportTexts, build};
use ips_core::scale::Scale;
use ips_core::scoring::score;
use ips_core::text::Lang;
use ips_core::trends::{Trend, overview};
use ips_core::workspace::Workspace;

const IPS25: &str = include_str!("../scales/ips-25.json");

fn main() {
    divan::main();
    if let Some(dir) = LARGE.get() {
        // Best effort: the folder is in the system's temp folder anyway.
        let _ = std::fs::remove_dir_all(dir);
    }
}

static LARGE: OnceLock<PathBuf> = OnceLock::new();

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

/// 300 services × 20 reviews, generated once.
fn large_workspace() -> &'static PathBuf {
    LARGE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ips-fidelity-bench-{}", std::process::id()));
        if let Err(e) = ips_fidelity::generate::generate(&dir, 300, 20, 1, None) {
            eprintln!("cannot generate the workspace: {e}");
        }
        dir
    })
}

fn example() -> Workspace {
    Workspace::load(std::path::Path::new("examples/workspace"))
}

#[divan::bench]
fn load_and_validate_scale() -> Option<Scale> {
    Scale::from_json("scales/ips-25.json", divan::black_box(IPS25)).ok()
}

#[divan::bench]
fn score_one_evaluation(bencher: Bencher) {
    let ws = example();
    let rec = &ws.services[0].evaluations[2];
    let scale = ws.scale_of(&rec.evaluation).cloned();
    bencher.bench(|| scale.as_ref().map(|s| score(s, divan::black_box(&rec.evaluation.scores)).total));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn load_6000_evaluations_with_totals_bands_and_trends(bencher: Bencher) {
    let dir = large_workspace();
    bencher.bench(|| {
        let ws = Workspace::load(dir);
        let rows: Vec<_> = ws.services.iter().map(|s| overview(s, &ws.scales, today())).collect();
        let trends: usize = ws
            .services
            .iter()
            .map(|s| Trend::build(&ws.scales, "ips-25", s.evaluations.iter().map(|r| &r.evaluation)).points.len())
            .sum();
        (rows.len(), trends)
    });
}

#[divan::bench]
fn build_report_model(bencher: Bencher) {
    let ws = example();
    let svc = &ws.services[0];
    let rec = &svc.evaluations[2];
    let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
    let texts = ReportTexts::builtin(Lang::Nb);
    bencher.bench(|| build(&ws.scales, &svc.info, &rec.evaluation, &history, texts, today()).map(|m| m.total));
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn lay_out_pdf(bencher: Bencher) {
    let ws = example();
    let svc = &ws.services[0];
    let rec = &svc.evaluations[2];
    let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
    let model = build(&ws.scales, &svc.info, &rec.evaluation, &history, ReportTexts::builtin(Lang::Nb), today());
    bencher.bench(|| model.as_ref().and_then(|m| ips_pdf::render(m).ok()).map(|b| b.len()));
}
