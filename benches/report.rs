//! Benchmark of the PDF report for the example service: loading the workspace, building the
//! report model, and laying out the PDF, in process. Run with `cargo bench --bench report`.
//! (The whole-process figure is measured with hyperfine; see BENCHMARKS.md.)

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ips_domain::evaluation::Evaluation;
use ips_domain::report::{ReportTexts, build};
use ips_store::workspace::Workspace;
use ips_text::text::Lang;

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[times.len() / 2])
}

fn main() {
    let runs = 30;
    let root = Path::new("examples/workspace");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let (min, med) = time(runs, || Workspace::load(root));
    println!("load example workspace      min {min:>10.3?}  median {med:>10.3?}");
    let ws = Workspace::load(root);
    let svc = &ws.services[0];
    let Some(rec) = svc.evaluations.last() else {
        eprintln!("the example workspace has no evaluation");
        return;
    };
    let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
    let texts = ReportTexts::builtin(Lang::Nb);
    let (min, med) = time(runs, || build(&ws.scales, &svc.info, &rec.evaluation, &history, texts, today));
    println!("build report model          min {min:>10.3?}  median {med:>10.3?}");
    let Some(model) = build(&ws.scales, &svc.info, &rec.evaluation, &history, texts, today) else {
        eprintln!("unknown scale");
        return;
    };
    let (min, med) = time(runs, || ips_pdf::render(&model).map(|b| b.len()).unwrap_or(0));
    println!("lay out and save the PDF    min {min:>10.3?}  median {med:>10.3?}");
}
