//! The bodies of the fuzz targets, one function per target. The cargo-fuzz binaries in
//! `fuzz_targets/` call them, and `tests/fuzz_corpus.rs` mounts this same file as a module
//! and replays the kept corpus through them on stable `cargo test`, so the two can never
//! drift apart. Each takes the bytes of a file as the program would read it: text that is
//! not UTF-8 is refused at the door (`store::read_text`) and never reaches a parser; a
//! byte-order mark is passed on as read (the JSON loaders refuse it, the CSV ones strip
//! it). An input may be refused with an error; it may never panic or hang, and what is
//! accepted must survive being written and read back, since that is what the program does
//! with it next. The panics here are those broken promises.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use ips_domain::evaluation::{Evaluation, EvaluationType, REVIEW_FORMAT_VERSION, Scores};
use ips_domain::outcomes::OutcomesFile;
use ips_domain::scale::{ItemKind, Scale};
use ips_domain::scoring::{next_band, score};
use ips_domain::service::ScaleSet;
use ips_store::csv_io;
use ips_store::package::Package;
use ips_text::text::parse_date;

/// The built-in scales, parsed once: parsing them for every input would be most of the
/// fuzzers' time.
fn scales() -> &'static ScaleSet {
    static SCALES: OnceLock<ScaleSet> = OnceLock::new();
    SCALES.get_or_init(|| ScaleSet::builtin().0)
}

/// A scale file. A scale that validates must score: the all-lowest and all-highest totals
/// fall in a band, the rules of each item give scores on the scale, and a new review on it
/// checks clean.
pub fn scale(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scale) = Scale::from_json("fuzz.json", text) else {
        return;
    };
    let range = scale.score_range();
    let all = |points: u8| -> Scores { scale.items.iter().map(|i| (i.id.clone(), points)).collect() };
    for (points, total) in [(scale.score_min, scale.min_total()), (scale.score_max, scale.max_total())] {
        let summary = score(&scale, &all(points));
        assert!(summary.complete, "every item scored {points}");
        assert_eq!(summary.total, total, "every item scored {points}");
        assert!(summary.band.is_some(), "the total {total} of a valid scale has no band");
    }
    for item in &scale.items {
        match &item.kind {
            ItemKind::Described => {}
            ItemKind::Checklist(c) => {
                for present in 0..=c.elements.len() {
                    let s = c.score_for_count(present);
                    assert!(range.contains(&s), "{}: {present} elements give {s}", item.id);
                    let _ = c.elements_to_next(present, s);
                }
            }
            ItemKind::Measured(m) => {
                for cut in &m.cuts {
                    let s = m.score_for_value(cut.bound);
                    assert!(range.contains(&s), "{}: the value {} gives {s}", item.id, cut.bound);
                    let _ = m.next_cut(s);
                }
                let _ = m.propose(&BTreeMap::new());
            }
        }
    }
    let _ = scale.target_total();
    // A new review, as the app starts one, has nothing its own scale refuses.
    let Some(date) = parse_date("2026-11-23") else {
        unreachable!("an ISO date parses");
    };
    let mut review = Evaluation::new(&scale, "Fuzz", date, EvaluationType::Independent);
    review.scores = all(scale.score_max);
    let problems = review.check(&scale);
    assert!(problems.is_empty(), "a new review on the scale: {problems:?}");
    let summary = score(&scale, &review.scores);
    let _ = next_band(&scale, &review, &summary);
}

/// A review file. Checked against the scale it names (as the workspace loads it), or the
/// default one when it names none known here, so every branch of the check is reached;
/// scored; and written as the program writes it, which must read back to the same review.
pub fn review(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(e) = Evaluation::from_json("fuzz.json", text) else {
        return;
    };
    let scales = scales();
    if let Some(scale) = scales.for_evaluation(&e).or_else(|| scales.default_scale()) {
        let _ = e.check(scale);
        let summary = score(scale, &e.scores);
        let _ = next_band(scale, &e, &summary);
        for item in &scale.items {
            let _ = e.proposed_score(scale, &item.id);
        }
    }
    let needed = e.needed_format_version();
    assert!((1..=REVIEW_FORMAT_VERSION).contains(&needed), "needs format version {needed}");
    let json = e.to_json();
    let back = Evaluation::from_json("round-trip.json", &json).unwrap_or_else(|err| panic!("{err}\n{json}"));
    assert_eq!(back, Evaluation { format_version: needed, ..e }, "written and read back\n{json}");
    assert_eq!(back.to_json(), json, "written twice");
}

/// A CSV to import: reviews in the export's layout, or outcome figures. Reviews the import
/// accepts are written as review files, which must load with the workspace's checks;
/// figures it accepts go into `outcomes.json`, which must take them.
pub fn csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scales = scales();
    let _ = ips_store::outcomes_csv::is_outcomes_csv(text);
    if let Ok(reviews) = csv_io::import("fuzz.csv", text, scales) {
        for e in &reviews {
            let scale = scales.for_evaluation(e).unwrap_or_else(|| panic!("imported on an unknown scale {}", e.scale));
            let problems = e.check(scale);
            assert!(problems.is_empty(), "an imported review its scale refuses: {problems:?}");
            let json = e.to_json();
            let back = Evaluation::from_json("imported.json", &json).unwrap_or_else(|err| panic!("{err}\n{json}"));
            assert_eq!(&back, e, "written and read back\n{json}");
        }
    }
    if let Ok(rows) = ips_store::outcomes_csv::parse_csv("fuzz.csv", text) {
        for r in &rows {
            let problems = r.figures.problems();
            assert!(problems.is_empty(), "figures outcomes.json would refuse: {problems:?}");
        }
        // The first service's quarters (a repeated row is the same figures: the import
        // refuses differing ones) as that service's `outcomes.json`, written as the
        // workspace writes it (`OutcomesFile::default()` would say format version 0).
        let first = rows.first().map(|r| r.service.trim().to_lowercase());
        let mut file = OutcomesFile { format_version: 1, quarters: Vec::new() };
        for r in rows.iter().filter(|r| Some(r.service.trim().to_lowercase()) == first) {
            if !file.quarters.iter().any(|q| q.period == r.figures.period) {
                file.quarters.push(r.figures.clone());
            }
        }
        file.quarters.sort_by_key(|q| q.period);
        let json = file.to_json();
        let back = OutcomesFile::from_json("outcomes.json", &json).unwrap_or_else(|err| panic!("{err}\n{json}"));
        assert_eq!(back, file, "written and read back\n{json}");
    }
}

/// A review package. One that is accepted must be written and read back unchanged, and
/// each review in it must be writable as a review file that loads again.
pub fn package(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Package::is_package(text);
    let Ok(p) = Package::from_json("fuzz.ipspakke.json", text) else {
        return;
    };
    let json = p.to_json();
    let back = Package::from_json("round-trip.json", &json).unwrap_or_else(|err| panic!("{err}\n{json}"));
    assert_eq!(back, p, "written and read back\n{json}");
    let scales = scales();
    for e in &p.reviews {
        if let Some(scale) = scales.for_evaluation(e) {
            let _ = e.check(scale);
        }
        let json = e.to_json();
        let _ = Evaluation::from_json("review.json", &json).unwrap_or_else(|err| panic!("{err}\n{json}"));
    }
}
