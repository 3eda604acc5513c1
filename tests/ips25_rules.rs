//! Every scoring rule of the shipped IPS-25 scale, at its edges: bands, checklist mappings
//! and measured thresholds. The rules are data; these tests pin the data to the domain.

use std::collections::BTreeMap;

use ips_core::evaluation::Scores;
use ips_core::scale::{InputValue, ItemKind, Measured, Scale};
use ips_core::scoring::score;
use ips_core::workspace::load_scale_file;

fn ips25() -> Scale {
    load_scale_file(std::path::Path::new("scales/ips-25.json")).unwrap_or_else(|e| panic!("{e}"))
}

fn band_id(scale: &Scale, total: u32) -> String {
    scale.band_for(total).map(|b| b.id.clone()).expect("test data")
}

#[test]
fn shape_is_data() {
    let s = ips25();
    assert_eq!(s.items.len(), 25);
    assert_eq!((s.min_total(), s.max_total()), (25, 125));
    let ids: Vec<&str> = s.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids[..3], ["B1", "B2", "B3"]);
    assert_eq!(ids[24], "T14");
    assert_eq!(s.sections.len(), 3);
}

#[test]
fn band_edges() {
    let s = ips25();
    for (total, band) in [
        (25, "not_ips"),
        (73, "not_ips"),
        (74, "fair"),
        (99, "fair"),
        (100, "good"),
        (114, "good"),
        (115, "exemplary"),
        (125, "exemplary"),
    ] {
        assert_eq!(band_id(&s, total), band, "total {total}");
    }
    assert_eq!(s.band_for(73).map(|b| b.label.nb.as_str()), Some("Ikke individuell jobbstøtte (IPS)"));
    assert_eq!(s.band_for(100).map(|b| b.label.nb.as_str()), Some("Bra kvalitet"));
}

#[test]
fn complete_scores_band_through_scoring() {
    let s = ips25();
    // 24 items at 3 and one at 2 = 74: the lowest "godkjent".
    let mut scores: Scores = s.items.iter().map(|i| (i.id.clone(), 3)).collect();
    scores.insert("T14".into(), 2);
    let r = score(&s, &scores);
    assert_eq!(r.total, 74);
    assert_eq!(r.band.map(|b| b.id), Some("fair".to_string()));
    scores.insert("T13".into(), 2);
    assert_eq!(score(&s, &scores).band.map(|b| b.id), Some("not_ips".to_string()));
}

fn checklist_scores(s: &Scale, id: &str) -> Vec<u8> {
    match s.item(id).map(|i| &i.kind) {
        Some(ItemKind::Checklist(c)) => (0..=c.elements.len()).map(|n| c.score_for_count(n)).collect(),
        _ => panic!("{id} is not a checklist"),
    }
}

#[test]
fn checklist_mappings() {
    let s = ips25();
    for id in ["O2", "O5", "O7", "O8"] {
        assert_eq!(checklist_scores(&s, id), [1, 1, 2, 3, 4, 5], "{id}");
    }
    assert_eq!(checklist_scores(&s, "T2"), [1, 2, 3, 4, 5]);
    assert_eq!(checklist_scores(&s, "T14"), [1, 1, 1, 2, 3, 4, 5]);
}

fn measured(s: &Scale, id: &str) -> Measured {
    match s.item(id).map(|i| &i.kind) {
        Some(ItemKind::Measured(m)) => (**m).clone(),
        _ => panic!("{id} is not measured"),
    }
}

fn propose(m: &Measured, inputs: &[(&str, InputValue)]) -> u8 {
    let map: BTreeMap<String, InputValue> = inputs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    m.propose(&map).map(|p| p.score).unwrap_or(0)
}

fn n(v: f64) -> InputValue {
    InputValue::Number(v)
}

#[test]
fn b1_caseload_edges() {
    let m = measured(&ips25(), "B1");
    for (seekers, expected) in [(20.0, 5), (21.0, 4), (25.0, 4), (26.0, 3), (30.0, 3), (31.0, 2), (40.0, 2), (41.0, 1)]
    {
        assert_eq!(propose(&m, &[("job_seekers", n(seekers)), ("specialist_fte", n(1.0))]), expected, "{seekers}");
    }
    // Part-time staff are prorated: 30 job seekers on 1.5 FTE is 20 per FTE.
    assert_eq!(propose(&m, &[("job_seekers", n(30.0)), ("specialist_fte", n(1.5))]), 5);
    assert_eq!(propose(&m, &[("job_seekers", n(30.0)), ("specialist_fte", n(0.0))]), 0, "no FTE, no proposal");
}

#[test]
fn t4_days_edges() {
    let m = measured(&ips25(), "T4");
    for (days, expected) in [(30.0, 5), (31.0, 4), (60.0, 4), (61.0, 3), (150.0, 3), (151.0, 2), (270.0, 2), (271.0, 1)]
    {
        assert_eq!(propose(&m, &[("days_to_employer_contact", n(days))]), expected, "{days}");
    }
}

/// (item, input, [(value, expected score)]).
type EdgeCase = (&'static str, &'static str, &'static [(f64, u8)]);

#[test]
fn percentage_items_edges() {
    let s = ips25();
    let edges: &[EdgeCase] = &[
        (
            "B2",
            "employment_share",
            &[(59.0, 1), (60.0, 2), (74.0, 2), (75.0, 3), (89.0, 3), (90.0, 4), (95.0, 4), (96.0, 5)],
        ),
        ("O1", "team_share", &[(49.0, 2), (50.0, 3), (74.0, 3), (75.0, 4), (89.0, 4), (90.0, 5)]),
        (
            "T5",
            "preference_share",
            &[(24.0, 1), (25.0, 2), (49.0, 2), (50.0, 3), (74.0, 3), (75.0, 4), (89.0, 4), (90.0, 5)],
        ),
        (
            "T8",
            "job_type_share",
            &[(49.0, 1), (50.0, 2), (59.0, 2), (60.0, 3), (69.0, 3), (70.0, 4), (84.0, 4), (85.0, 5)],
        ),
        (
            "T9",
            "employer_share",
            &[(49.0, 1), (50.0, 2), (59.0, 2), (60.0, 3), (69.0, 3), (70.0, 4), (84.0, 4), (85.0, 5)],
        ),
        (
            "T13",
            "community_share",
            &[(29.0, 1), (30.0, 2), (39.0, 2), (40.0, 3), (49.0, 3), (50.0, 4), (64.0, 4), (65.0, 5)],
        ),
    ];
    for (item, input, cases) in edges {
        let m = measured(&s, item);
        for &(v, expected) in *cases {
            assert_eq!(propose(&m, &[(input, n(v))]), expected, "{item} at {v}");
        }
    }
}

#[test]
fn t6_contacts_with_tracking_caps() {
    let m = measured(&ips25(), "T6");
    let f = InputValue::Flag;
    let both =
        |c: f64| propose(&m, &[("contacts_per_week", n(c)), ("tracked_monthly", f(true)), ("tracked_weekly", f(true))]);
    assert_eq!([both(1.0), both(2.0), both(4.0), both(5.0), both(6.0)], [1, 2, 3, 4, 5]);
    assert_eq!(propose(&m, &[("contacts_per_week", n(6.0))]), 2, "no tracking caps at 2");
    assert_eq!(
        propose(&m, &[("contacts_per_week", n(6.0)), ("tracked_monthly", f(true))]),
        3,
        "monthly only caps at 3"
    );
}

#[test]
fn t10_competitive_share_and_minimum_jobs() {
    let m = measured(&ips25(), "T10");
    let p = |comp: f64, all: f64| propose(&m, &[("competitive_jobs", n(comp)), ("current_jobs", n(all))]);
    assert_eq!([p(63.0, 100.0), p(64.0, 100.0), p(75.0, 100.0), p(85.0, 100.0), p(95.0, 100.0)], [1, 2, 3, 4, 5]);
    assert_eq!(p(9.0, 9.0), 1, "fewer than 10 current jobs scores 1");
    assert_eq!(p(10.0, 10.0), 5);
}

#[test]
fn o1_low_levels_are_described() {
    let m = measured(&ips25(), "O1");
    assert_eq!(m.described_levels, vec![1, 2]);
}

#[test]
fn cadence_is_data() {
    let s = ips25();
    let c = &s.cadence;
    assert_eq!((c.first_review_earliest_months, c.first_review_latest_months), (6, 9));
    assert_eq!((c.review_interval_before_target, c.review_interval_after_target), (6, 12));
    assert_eq!((c.meetings_before_target, c.meetings_after_target), (4, 2));
    assert_eq!(s.target_total(), 100);
    assert_eq!(c.agenda.len(), 6);
}

#[test]
fn next_band_hint_names_the_score_a_cut_gives() {
    use ips_core::evaluation::{Evaluation, EvaluationType};
    use ips_core::scoring::{Gap, next_band};
    let s = ips25();
    let mut e = Evaluation::new(&s, "S", chrono::NaiveDate::default(), EvaluationType::Independent);
    for item in &s.items {
        e.scores.insert(item.id.clone(), 4);
    }
    // O1 at 1 (a separate programme) with 40 % from the teams: the next cut is 50 % for a 3.
    e.scores.insert("O1".into(), 1);
    e.items.entry("O1".into()).or_default().inputs.insert("team_share".into(), InputValue::Number(40.0));
    let summary = score(&s, &e.scores);
    let hint = next_band(&s, &e, &summary).and_then(|n| n.closest.into_iter().find(|h| h.id == "O1"));
    let hint = hint.unwrap_or_else(|| panic!("O1 should be among the closest items"));
    assert_eq!((hint.current, hint.next), (1, 3));
    assert_eq!(hint.gap, Gap::Value { current: 40.0, target: 50.0 });
}
