//! Property tests: totals are sums in range; CSV export then import gives back the scores.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ips_domain::evaluation::{Evaluation, EvaluationType, Scores};
use ips_domain::scoring::score;
use ips_domain::service::ScaleSet;
use ips_store::csv_io::{self, Dialect};
use ips_store::workspace::Workspace;
use ips_text::text::Lang;
use proptest::prelude::*;

fn scales() -> ScaleSet {
    ScaleSet::builtin().0
}

/// Scores for some of the IPS-25 items, each 1..=5.
fn partial_scores() -> impl Strategy<Value = Vec<Option<u8>>> {
    proptest::collection::vec(proptest::option::weighted(0.85, 1u8..=5), 25)
}

fn to_scores(ids: &[String], v: &[Option<u8>]) -> Scores {
    ids.iter().zip(v).filter_map(|(id, s)| s.map(|s| (id.clone(), s))).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn total_is_sum_and_in_range(v in partial_scores()) {
        let set = scales();
        let scale = set.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let ids: Vec<String> = scale.items.iter().map(|i| i.id.clone()).collect();
        let scores = to_scores(&ids, &v);
        let r = score(&scale, &scores);
        let sum: u32 = scores.values().map(|&s| u32::from(s)).sum();
        prop_assert_eq!(r.total, sum);
        prop_assert_eq!(r.sections.iter().map(|s| s.total).sum::<u32>(), sum);
        prop_assert!(r.total <= r.max);
        prop_assert_eq!(r.complete, scores.len() == 25);
        if r.complete {
            prop_assert!(r.total >= r.min);
            prop_assert!(r.band.is_some());
        } else {
            prop_assert!(r.band.is_none());
            prop_assert_eq!(r.missing.len(), 25 - scores.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn csv_import_then_export_round_trips(rows in proptest::collection::vec((partial_scores(), 0u32..3000, any::<bool>(), 0usize..3), 1..6), excel in any::<bool>()) {
        let set = scales();
        let scale = set.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let ids: Vec<String> = scale.items.iter().map(|i| i.id.clone()).collect();
        let names = ["IPS Åsane", "IPS Nord, Sør", "IPS \"Øst\""];
        let mut wanted: BTreeMap<(String, NaiveDate, EvaluationType), Scores> = BTreeMap::new();
        let mut evaluations = Vec::new();
        for (v, day, self_assessment, name) in rows {
            let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(u64::from(day));
            let kind = if self_assessment { EvaluationType::SelfAssessment } else { EvaluationType::Independent };
            let mut e = Evaluation::new(&scale, names[name], date, kind);
            e.scores = to_scores(&ids, &v);
            // Two rows for one review: only the first is imported, so only it is wanted.
            if let std::collections::btree_map::Entry::Vacant(slot) = wanted.entry(e.key()) {
                slot.insert(e.scores.clone());
                evaluations.push(e);
            }
        }
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut ws = Workspace::load(dir.path());
        ws.import(evaluations).unwrap_or_else(|e| panic!("{e}"));
        let mut csv = Vec::new();
        let dialect = if excel { Dialect::Excel } else { Dialect::Plain };
        csv_io::export(&Workspace::load(dir.path()), Lang::Nb, dialect, &mut csv).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(csv).unwrap();
        let back = csv_io::import("export.csv", &text, &set).unwrap_or_else(|e| panic!("{e}"));
        let got: BTreeMap<_, _> = back.into_iter().map(|e| (e.key(), e.scores)).collect();
        prop_assert_eq!(got, wanted);
    }
}
