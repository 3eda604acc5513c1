//! Benchmarks of the core (divan): scale loading and validation, scoring one evaluation,
//! loading a 6,000-evaluation workspace with every total, band and trend, building the report
//! model and laying out the PDF, and the summary across all services. Run: `cargo bench
//! --bench core`. The large workspace (300 services × 20 reviews; `IPS_BENCH_SERVICES=3000`
//! for 60,000 reviews) is generated once (seeded, the same every run) into a temp folder.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use divan::Bencher;
use ips_domain::evaluation::Evaluation;
use ips_domain::report::{ReportTexts, build};
use ips_domain::scale::Scale;
use ips_domain::scoring::score;
use ips_domain::trends::{Trend, overview};
use ips_store::workspace::Workspace;
use ips_text::text::Lang;

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

/// 300 services × 20 reviews (or `IPS_BENCH_SERVICES` × 20), generated once.
fn large_workspace() -> &'static PathBuf {
    LARGE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ips-fidelity-bench-{}", std::process::id()));
        let services = std::env::var("IPS_BENCH_SERVICES").ok().and_then(|n| n.parse().ok()).unwrap_or(300);
        if let Err(e) = ips_fidelity::generate::generate(&dir, services, 20, 1, None) {
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

/// The resource centre's summary across every service, from the services in brief (as the
/// app and `summary` hold them).
#[divan::bench(sample_count = 20, sample_size = 1)]
fn summary_across_all_services(bencher: Bencher) {
    let ws = Workspace::load_brief(large_workspace(), today(), None);
    let facts: Vec<_> = ws.services.iter().map(|s| ips_domain::history::review_facts(s, &ws.scales)).collect();
    let all = ips_domain::summary::Selection::default();
    bencher.bench(|| ws.summary_with(&facts, "ips-25", &all, Lang::Nb, today()).map(|s| s.services));
}
