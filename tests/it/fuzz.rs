//! Fuzzing the loaders with proptest: arbitrary bytes, arbitrary JSON, and valid files with
//! one node replaced. No input may panic or hang. The case count is bounded for CI; run
//! longer with `PROPTEST_CASES=100000 cargo test --release --test fuzz`. Any failure
//! proptest finds is kept in `tests/fuzz.proptest-regressions` and replayed first.

use ips_domain::evaluation::Evaluation;
use ips_domain::scale::Scale;
use ips_domain::scoring::{next_band, score};
use ips_domain::service::ScaleSet;
use ips_store::csv_io;
use ips_text::i18n::Catalog;
use ips_text::text::Lang;
use proptest::prelude::*;
use serde_json::Value;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[a-zA-Z0-9_æøå ]{0,12}".prop_map(Value::String),
        prop_oneof![Just("B1"), Just("ips-25"), Just("2026-05-04"), Just("scores"), Just("levels")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    "[a-z_]{1,10}",
                    Just("scale".to_string()),
                    Just("service".to_string()),
                    Just("date".to_string()),
                    Just("scores".to_string()),
                    Just("items".to_string()),
                    Just("B1".to_string()),
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the node reached by walking `path` (indices modulo the children) with `with`.
fn mutate(v: &mut Value, path: &[usize], with: Value) {
    let Some((&first, rest)) = path.split_first() else {
        *v = with;
        return;
    };
    match v {
        Value::Array(a) if !a.is_empty() => {
            let n = a.len();
            mutate(&mut a[first % n], rest, with)
        }
        Value::Object(m) if !m.is_empty() => {
            let n = m.len();
            if let Some((_, child)) = m.iter_mut().nth(first % n) {
                mutate(child, rest, with)
            }
        }
        other => *other = with,
    }
}

fn exercise_evaluation(scales: &ScaleSet, json: &str) {
    if let Ok(e) = Evaluation::from_json("fuzz.json", json)
        && let Some(scale) = scales.get(&e.scale)
    {
        let _ = e.check(scale);
        let s = score(scale, &e.scores);
        let _ = next_band(scale, &e, &s);
        for item in &scale.items {
            let _ = e.proposed_score(scale, &item.id);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let scales = ScaleSet::builtin().0;
        let _ = Scale::from_json("fuzz.json", &text);
        exercise_evaluation(&scales, &text);
        let _ = csv_io::import("fuzz.csv", &text, &scales);
        let _ = Catalog::parse("fuzz.json", &text, Lang::Nb);
    }

    #[test]
    fn arbitrary_json(v in arb_json()) {
        let text = v.to_string();
        let scales = ScaleSet::builtin().0;
        let _ = Scale::from_json("fuzz.json", &text);
        exercise_evaluation(&scales, &text);
    }

    #[test]
    fn mutated_scale(path in proptest::collection::vec(any::<usize>(), 0..7), with in arb_json()) {
        let mut v: Value = serde_json::from_str(include_str!("../../scales/ips-25.json")).unwrap();
        mutate(&mut v, &path, with);
        if let Ok(scale) = Scale::from_json("mutated.json", &v.to_string()) {
            // Whatever validates must score without trouble.
            let all: std::collections::BTreeMap<String, u8> = scale.items.iter().map(|i| (i.id.clone(), scale.score_max)).collect();
            let s = score(&scale, &all);
            prop_assert_eq!(s.total, scale.max_total());
            prop_assert!(s.band.is_some());
        }
    }

    #[test]
    fn mutated_evaluation(path in proptest::collection::vec(any::<usize>(), 0..6), with in arb_json()) {
        let text = include_str!("../../examples/workspace/services/ips-nordby/evaluations/2026-04-21_independent.json");
        let mut v: Value = serde_json::from_str(text).unwrap();
        mutate(&mut v, &path, with);
        let scales = ScaleSet::builtin().0;
        exercise_evaluation(&scales, &v.to_string());
    }

    #[test]
    fn mutated_csv(cut in 0usize..400, junk in "[,;\"\n0-9a-zæøå-]{0,20}") {
        let csv = include_str!("../../examples/import.csv");
        let at = cut.min(csv.len());
        let at = (0..=at).rev().find(|&i| csv.is_char_boundary(i)).unwrap_or(0);
        let text = format!("{}{}{}", &csv[..at], junk, &csv[at..]);
        let scales = ScaleSet::builtin().0;
        let _ = csv_io::import("fuzz.csv", &text, &scales);
    }
}
