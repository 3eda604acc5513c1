//! Every shipped data file loads: scales, the example workspace, the example evaluations
//! and CSV. A broken data file fails CI, not a user.

use std::path::{Path, PathBuf};

use ips_domain::evaluation::Evaluation;
use ips_domain::scoring::score;
use ips_domain::service::{BUILTIN_SCALES, ScaleSet};
use ips_store::csv_io;
use ips_store::workspace::{Workspace, load_evaluation_file, load_scale_file};

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files_under(&p, ext));
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn every_scale_file_is_valid_and_built_in() {
    let files = files_under(Path::new("scales"), "json");
    assert!(files.len() >= 2);
    for f in &files {
        let s = load_scale_file(f).unwrap_or_else(|e| panic!("{e}"));
        assert!(!s.items.is_empty());
        let name = format!("scales/{}", f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap());
        assert!(BUILTIN_SCALES.iter().any(|(n, _)| *n == name), "{name} is not compiled in");
    }
}

#[test]
fn example_workspace_loads_cleanly_and_rises_to_bra() {
    let ws = Workspace::load(Path::new("examples/workspace"));
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.services.len(), 1);
    let s = &ws.services[0];
    assert_eq!(s.evaluations.len(), 3);
    let bands: Vec<String> = s
        .evaluations
        .iter()
        .map(|r| {
            let scale = ws.scale_of(&r.evaluation).unwrap_or_else(|| panic!("scale"));
            score(scale, &r.evaluation.scores).band.map(|b| b.id).unwrap()
        })
        .collect();
    assert_eq!(bands.first().map(String::as_str), Some("fair"));
    assert_eq!(bands.last().map(String::as_str), Some("good"));
    for r in &s.evaluations {
        assert_eq!(r.evaluation.reviewers.len(), 2);
        assert!(!r.evaluation.actions.is_empty());
    }
}

#[test]
fn every_example_evaluation_file_checks() {
    let (scales, errors) = ScaleSet::builtin();
    assert!(errors.is_empty());
    for f in files_under(Path::new("examples"), "json") {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(&f).unwrap();
        match name.as_str() {
            "service.json" => continue,
            "outcomes.json" => {
                let o = ips_domain::outcomes::OutcomesFile::from_json(&name, &text).unwrap_or_else(|e| panic!("{e}"));
                assert!(o.quarters.len() >= 4, "a few quarters of outcomes");
                continue;
            }
            "meetings.json" => {
                let m = ips_domain::meetings::MeetingsFile::from_json(&name, &text).unwrap_or_else(|e| panic!("{e}"));
                assert!(m.meetings.len() >= 2 && m.meetings.iter().all(|m| !m.decisions.is_empty()));
                continue;
            }
            _ => {}
        }
        load_evaluation_file(&f, &scales).unwrap_or_else(|e| panic!("{}: {e:?}", f.display()));
    }
    for f in files_under(Path::new("examples"), "csv") {
        let text = std::fs::read_to_string(&f).unwrap();
        if ips_store::outcomes_csv::is_outcomes_csv(&text) {
            let rows =
                ips_store::outcomes_csv::parse_csv(&f.display().to_string(), &text).unwrap_or_else(|e| panic!("{e}"));
            assert!(!rows.is_empty());
            continue;
        }
        let evs: Vec<Evaluation> =
            csv_io::import(&f.display().to_string(), &text, &scales).unwrap_or_else(|e| panic!("{e}"));
        assert!(!evs.is_empty());
    }
}
