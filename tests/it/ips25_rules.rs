//! Every scoring rule of the shipped IPS-25 scale, at its edges: bands, checklist mappings
//! and measured thresholds. The rules are data; these tests pin the data to the domain.

use std::collections::BTreeMap;

use ips_domain::evaluation::Scores;
use ips_domain::scale::{InputValue, ItemKind, Measured, Scale};
use ips_domain::scoring::score;
use ips_store::workspace::load_scale_file;

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
    // Regression: a weekly-reviewed log is also a monthly-reviewed one. Ticking only
    // "weekly" (as an old file may have it) capped the proposal at 2.
    assert_eq!(propose(&m, &[("contacts_per_week", n(6.0)), ("tracked_weekly", f(true))]), 5);
    assert_eq!(propose(&m, &[("contacts_per_week", n(4.0)), ("tracked_weekly", f(true))]), 3);
}

/// The manual: rate each employment specialist, then average and use the closest point.
#[test]
fn t6_per_specialist_rows_average_to_the_nearest_score() {
    let m = measured(&ips25(), "T6");
    assert!(m.per_row.is_some(), "T6 is entered per specialist");
    let f = InputValue::Flag(true);
    let row = |c: f64| -> BTreeMap<String, InputValue> {
        [("contacts_per_week", n(c)), ("tracked_monthly", f), ("tracked_weekly", f)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    };
    let p = |rows: &[BTreeMap<String, InputValue>]| m.propose_rows(&BTreeMap::new(), rows).expect("a proposal");
    // 6, 5, 4 contacts: scores 5, 4, 3 → mean 4.
    let three = p(&[row(6.0), row(5.0), row(4.0)]);
    assert_eq!((three.score, three.value), (4, 5.0));
    // 6 and 5: scores 5 and 4 → 4.5 → the closest point, half-way up: 5.
    assert_eq!(p(&[row(6.0), row(5.0)]).score, 5);
    // 6, 2, 2: 5, 2, 2 → 3.0.
    assert_eq!(p(&[row(6.0), row(2.0), row(2.0)]).score, 3);
    // A row with no figure yet does not count.
    let mut empty = row(0.0);
    empty.remove("contacts_per_week");
    assert_eq!(p(&[row(6.0), empty]).score, 5);
    // Without rows the single set of inputs still decides (old files).
    assert_eq!(m.propose_rows(&row(6.0), &[]).map(|x| x.score), Some(5));
}

/// A value shown as "20,0" must never sit beside the score of 20.04.
#[test]
fn shown_values_agree_with_the_score() {
    let m = measured(&ips25(), "B1");
    let p = |seekers: f64, fte: f64| {
        let map: BTreeMap<String, InputValue> =
            [("job_seekers".to_string(), n(seekers)), ("specialist_fte".to_string(), n(fte))].into_iter().collect();
        m.propose(&map).expect("a proposal")
    };
    let shown = |v: f64| ips_text::text::format_number(v, ips_text::text::Lang::Nb);
    let a = p(50.1, 2.5); // 20.04 per FTE
    assert_eq!((shown(a.value).as_str(), a.score), ("20", 5), "shown as 20, scored as 20");
    let b = p(50.125, 2.5); // 20.05 → shown 20,1
    assert_eq!((shown(b.value).as_str(), b.score), ("20,1", 4));
    for k in 0..2000 {
        let v = 15.0 + f64::from(k) * 0.00731;
        let q = p(v * 2.0, 2.0);
        // The score follows the number as shown.
        let shown_v: f64 = shown(q.value).replace(',', ".").parse().expect("a number");
        assert_eq!(q.score, m.score_for_value(shown_v), "{v} shown as {}", shown(q.value));
    }
}

#[test]
fn t13_exactly_thirty_percent_scores_two() {
    let s = ips25();
    let m = measured(&s, "T13");
    assert_eq!(propose(&m, &[("community_share", n(30.0))]), 2);
    assert_eq!(propose(&m, &[("community_share", n(29.9))]), 1);
    let purpose = s.item("T13").and_then(|i| i.purpose.as_ref()).map(|p| p.nb.clone()).expect("purpose");
    assert!(purpose.contains("Nøyaktig 30 % gir skår 2"), "the reason is in the item's text: {purpose}");
}

#[test]
fn o1_three_or_more_teams_caps_at_two() {
    let m = measured(&ips25(), "O1");
    let f = InputValue::Flag;
    assert_eq!(propose(&m, &[("team_share", n(95.0))]), 5);
    assert_eq!(propose(&m, &[("team_share", n(95.0)), ("three_or_more_teams", f(true))]), 2);
    assert_eq!(propose(&m, &[("team_share", n(95.0)), ("three_or_more_teams", f(false))]), 5);
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
    use ips_domain::evaluation::{Evaluation, EvaluationType};
    use ips_domain::scoring::{Gap, next_band};
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

/// T6's published small-caseload route: with fewer than 3 people looking for work, 2
/// employer contacts per job seeker a week reach 5 (4 contacts for 2), still only with
/// the log reviewed weekly; with 3 or more looking, the cuts alone decide.
#[test]
fn t6_small_caseloads_reach_five_with_two_contacts_per_job_seeker() {
    let m = measured(&ips25(), "T6");
    let f = InputValue::Flag;
    let weekly = [("tracked_monthly", f(true)), ("tracked_weekly", f(true))];
    let with = |contacts: f64, searching: f64, flags: &[(&str, InputValue)]| {
        let mut v = vec![("contacts_per_week", n(contacts)), ("job_seekers_searching", n(searching))];
        v.extend_from_slice(flags);
        propose(&m, &v)
    };
    assert_eq!(with(4.0, 2.0, &weekly), 5, "4 contacts for 2 job seekers");
    assert_eq!(with(2.0, 1.0, &weekly), 5, "2 contacts for 1 job seeker");
    assert_eq!(with(3.9, 2.0, &weekly), 2, "short of 2 per job seeker: the cuts decide (3.9 → 2)");
    assert_eq!(with(4.0, 3.0, &weekly), 3, "3 looking for work: no route");
    assert_eq!(with(4.0, 0.0, &weekly), 3, "nobody looking: no route");
    assert_eq!(with(4.0, 2.0, &[("tracked_monthly", f(true))]), 3, "the weekly review is still asked for");
    assert_eq!(propose(&m, &[("contacts_per_week", n(4.0))]), 2, "without the count: as before");
    let map: BTreeMap<String, InputValue> =
        [("contacts_per_week", n(4.0)), ("job_seekers_searching", n(2.0)), ("tracked_weekly", f(true))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
    let p = m.propose(&map).expect("a proposal");
    assert_eq!((p.score, p.route), (5, Some(0)), "the route is named, so the editor can say why");
    assert!(m.routes[0].note.nb.contains("færre enn 3"), "{}", m.routes[0].note.nb);
}

/// The published anchors the scale file now carries, each with its source noted.
#[test]
fn the_published_anchors_are_in_the_scale_with_their_sources() {
    let s = ips25();
    let element = |item: &str, id: &str| match s.item(item).map(|i| &i.kind) {
        Some(ItemKind::Checklist(c)) => c.elements.iter().find(|e| e.id == id).cloned().expect("element"),
        _ => panic!("{item} is a checklist"),
    };
    let o5 = element("O5", "dedicated_leader");
    assert!(o5.text.nb.contains("forholdsmessig") && o5.text.nb.contains("halv stilling"), "{}", o5.text.nb);
    let o8 = element("O8", "leader_in_steering_group");
    assert_eq!(o8.proposed_from, Some(ips_domain::scale::ElementProposal::SteeringGroupMeetings));
    assert!(o8.text.nb.contains("minst hvert kvartal") && o8.text.nb.contains("hvert halvår"), "{}", o8.text.nb);
    let level = |item: &str, score: usize| s.item(item).map(|i| i.levels[score - 1].nb.clone()).expect("item");
    assert!(level("T12", 5).contains("3\u{a0}dager"), "{}", level("T12", 5));
    assert!(level("O4", 4).contains("telefon") || level("O4", 4).contains("video"), "{}", level("O4", 4));
    assert!(level("T3", 4).contains("eller"), "{}", level("T3", 4));
    // Every point is noted with its source, and where it could not be read, it says so.
    for id in ["O5", "O8", "T6", "T3", "O4", "O6", "T1", "T11", "T12", "cadence", "outcome_benchmarks"] {
        assert!(s.provenance.iter().any(|p| p.about.iter().any(|a| a == id)), "no source noted for {id}");
    }
    assert!(s.provenance.iter().all(|p| !p.source.is_empty() && !p.note.is_empty()));
    // The deadlines and the benchmark are labelled: UK practice, defaults, whom 40 % counts.
    let note = s.cadence.deadlines_note.as_ref().expect("deadlines note");
    assert!(note.nb.contains("IPS Grow") && note.nb.contains("fra besøket") && note.en.contains("defaults"));
    let def = s.outcome_benchmarks.employment_rate_definition.as_ref().expect("definition");
    assert!(def.nb.contains("uten arbeid") && def.en.contains("out of work"), "{}", def.nb);
}

/// A scale file's note of sources must name items or parts of the file that exist.
#[test]
fn a_provenance_note_about_nothing_is_refused() {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("scales/ips-25.json").expect("read")).expect("json");
    v["provenance"][0]["about"] = serde_json::json!(["X99"]);
    let e = Scale::from_json("ips-25.json", &v.to_string()).expect_err("refused");
    assert!(e.lines().join("\n").contains("provenance[0].about[0]"), "{}", e.lines().join("\n"));
}
