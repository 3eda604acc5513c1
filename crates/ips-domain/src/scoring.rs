//! Scoring: totals, section subtotals, the band, what is missing, the change since the
//! previous review, and what it takes to reach the next band. All plain data, computed from
//! a scale and scores; the app, the report and the CLI print these numbers and nothing else.

use serde::Serialize;

use crate::evaluation::{Evaluation, Scores};
use crate::scale::{Band, Direction, ItemKind, Scale};
use ips_text::msg;
use ips_text::text::{Lang, format_number, quoted};

/// A subtotal for one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionScore {
    pub id: String,
    pub total: u32,
    pub max: u32,
    pub scored: usize,
    pub items: usize,
}

/// The band a total falls in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandRef {
    pub id: String,
    /// Index in the scale's band list (0 = best).
    #[serde(skip)]
    pub index: usize,
}

/// The score of one evaluation. `band` is set only when every item is scored: a partial
/// total is never banded as if it were complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreSummary {
    pub total: u32,
    pub max: u32,
    pub min: u32,
    pub complete: bool,
    pub scored: usize,
    pub missing: Vec<String>,
    pub sections: Vec<SectionScore>,
    pub band: Option<BandRef>,
}

impl ScoreSummary {
    pub fn band<'a>(&self, scale: &'a Scale) -> Option<&'a Band> {
        self.band.as_ref().and_then(|b| scale.bands.get(b.index))
    }

    /// Whether a complete review is in the best band (the editor and the report say so
    /// instead of "what it takes to reach the next band").
    pub fn reached_best_band(&self) -> bool {
        self.complete && self.band.as_ref().is_some_and(|b| b.index == 0)
    }

    /// The complete total, or `None` for a partial evaluation.
    pub fn complete_total(&self) -> Option<u32> {
        self.complete.then_some(self.total)
    }
}

/// Scores a set of item scores on a scale. Ids the scale does not know are ignored here;
/// [`Evaluation::check`] reports them at load.
pub fn score(scale: &Scale, scores: &Scores) -> ScoreSummary {
    let mut sections: Vec<SectionScore> = scale
        .sections
        .iter()
        .map(|s| SectionScore { id: s.id.clone(), total: 0, max: 0, scored: 0, items: 0 })
        .collect();
    let mut total = 0;
    let mut missing = Vec::new();
    for item in &scale.items {
        let sec = &mut sections[item.section];
        sec.items += 1;
        sec.max += u32::from(scale.score_max);
        match scores.get(&item.id) {
            Some(&s) if scale.score_range().contains(&s) => {
                sec.total += u32::from(s);
                sec.scored += 1;
                total += u32::from(s);
            }
            _ => missing.push(item.id.clone()),
        }
    }
    let complete = missing.is_empty();
    let band = if complete {
        scale
            .bands
            .iter()
            .position(|b| b.min <= total && total <= b.max)
            .map(|index| BandRef { id: scale.bands[index].id.clone(), index })
    } else {
        None
    };
    ScoreSummary {
        total,
        max: scale.max_total(),
        min: scale.min_total(),
        complete,
        scored: scale.items.len() - missing.len(),
        missing,
        sections,
        band,
    }
}

/// How one item changed since the previous review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    pub id: String,
    pub previous: Option<u8>,
    pub current: Option<u8>,
}

impl ItemChange {
    pub fn delta(&self) -> Option<i32> {
        Some(i32::from(self.current?) - i32::from(self.previous?))
    }
}

/// The change between two evaluations of the same service on the same scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Only when both evaluations are complete.
    pub total_delta: Option<i32>,
    pub items: Vec<ItemChange>,
}

impl Change {
    pub fn item(&self, id: &str) -> Option<&ItemChange> {
        self.items.iter().find(|c| c.id == id)
    }
}

pub fn change(previous: (&Scale, &Scores), current: (&Scale, &Scores)) -> Change {
    // Each review on its own scale version, as the history, the overview, the CSV and the
    // report count it: a version that adds or removes an item changes nothing that was
    // scored before it.
    let (p, c) = (score(previous.0, previous.1), score(current.0, current.1));
    Change { total_delta: total_change(&p, &c), items: item_changes(current.0, previous.1, current.1) }
}

/// The change in total: only between two complete reviews (a partial total is not a total).
pub fn total_change(previous: &ScoreSummary, current: &ScoreSummary) -> Option<i32> {
    (previous.complete && current.complete).then(|| current.total as i32 - previous.total as i32)
}

/// Each item's score before and now, in scale order.
pub fn item_changes(scale: &Scale, previous: &Scores, current: &Scores) -> Vec<ItemChange> {
    scale
        .items
        .iter()
        .map(|i| ItemChange {
            id: i.id.clone(),
            previous: previous.get(&i.id).copied(),
            current: current.get(&i.id).copied(),
        })
        .collect()
}

/// How far one item is from its next level.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Gap {
    /// This many more checklist elements.
    Elements { missing: usize },
    /// The measured value must reach `target` (now `current`).
    Value { current: f64, target: f64 },
    /// A described level: the practice must change to match the next description.
    Level,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemHint {
    pub id: String,
    pub current: u8,
    pub next: u8,
    pub gap: Gap,
}

/// What it takes to reach the next band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextBand {
    pub band_id: String,
    pub band_index: usize,
    pub points_missing: u32,
    /// The items closest to their next level, closest first.
    pub closest: Vec<ItemHint>,
}

/// How many hints [`next_band`] lists.
pub const HINT_COUNT: usize = 5;

/// What it takes for a complete evaluation to reach the next band up; `None` when it is
/// partial or already in the best band.
pub fn next_band(scale: &Scale, evaluation: &Evaluation, summary: &ScoreSummary) -> Option<NextBand> {
    let current = summary.band.as_ref()?;
    let band_index = current.index.checked_sub(1)?;
    let band = scale.bands.get(band_index)?;
    let mut hints: Vec<(f64, usize, ItemHint)> = Vec::new();
    for (order, item) in scale.items.iter().enumerate() {
        let Some(&cur) = evaluation.scores.get(&item.id) else {
            continue;
        };
        if cur >= scale.score_max {
            continue;
        }
        let notes = evaluation.items.get(&item.id);
        // Effort is a rough 0..1 measure of how much must change; described levels are
        // unquantified and rank after small measured or checklist gaps.
        // `next` is the score the gap leads to: the next level for a described item, the
        // score of the next checklist count or cut otherwise (which may skip a level).
        let (effort, gap, next) = match &item.kind {
            ItemKind::Checklist(c) => {
                let present = notes.map_or(0, |n| c.elements.iter().filter(|e| n.checked.contains(&e.id)).count());
                match c.elements_to_next(present, cur) {
                    Some(missing) => (
                        missing as f64 / c.elements.len().max(1) as f64,
                        Gap::Elements { missing },
                        c.score_for_count(present + missing),
                    ),
                    None => (1.0, Gap::Level, cur + 1),
                }
            }
            ItemKind::Measured(m) => {
                let value = notes.and_then(|n| m.propose_rows(&n.inputs, &n.rows)).map(|p| p.value);
                let reached = |v: f64, target: f64| match m.direction {
                    Direction::LowerIsBetter => v <= target,
                    Direction::HigherIsBetter => v >= target,
                };
                match (value, m.next_cut(cur)) {
                    // The number already qualifies (the reviewers scored lower for a
                    // reason): what is missing is in the practice, not the figure.
                    (Some(v), Some(cut)) if reached(v, cut.bound) => (0.5, Gap::Level, cur + 1),
                    (Some(v), Some(cut)) => {
                        let rel = (cut.bound - v).abs() / cut.bound.abs().max(1.0);
                        (rel.min(1.0), Gap::Value { current: v, target: cut.bound }, cut.score)
                    }
                    _ => (0.5, Gap::Level, cur + 1),
                }
            }
            ItemKind::Described => (0.5, Gap::Level, cur + 1),
        };
        hints.push((effort, order, ItemHint { id: item.id.clone(), current: cur, next, gap }));
    }
    hints.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.current.cmp(&b.2.current)).then(a.1.cmp(&b.1)));
    Some(NextBand {
        band_id: band.id.clone(),
        band_index,
        points_missing: band.min.saturating_sub(summary.total),
        closest: hints.into_iter().take(HINT_COUNT).map(|h| h.2).collect(),
    })
}

/// What it takes to reach the next band, in words: the one wording the app, the report
/// and the command line show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextBandText {
    /// "9 poeng mangler til «Meget bra kvalitet»."
    pub heading: String,
    /// One line per item closest to its next level.
    pub items: Vec<String>,
}

pub fn next_band_text(scale: &Scale, n: &NextBand, lang: Lang) -> NextBandText {
    let band = scale.bands.get(n.band_index).map_or("", |b| b.label.get(lang));
    let heading = msg!("core.next_band.heading", points = n.points_missing, band = quoted(band, lang)).text(lang);
    let items = n
        .closest
        .iter()
        .map(|h| {
            let name = scale.item(&h.id).map_or("", |i| i.name.get(lang));
            let how = match &h.gap {
                Gap::Elements { missing } => msg!("core.next_band.elements", n = missing),
                Gap::Value { current, target } => msg!(
                    "core.next_band.value",
                    from = format_number(*current, lang),
                    to = format_number(*target, lang)
                ),
                Gap::Level => msg!("core.next_band.level"),
            };
            msg!("core.next_band.item", id = h.id, name = name, from = h.current, to = h.next, how = how.text(lang))
                .text(lang)
        })
        .collect();
    NextBandText { heading, items }
}

/// What `score --json` prints of one review: its score on the version it is scored on, in
/// `lang`. Fields are in alphabetical order, as the JSON has always listed them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreReport {
    pub band: Option<ScoreBand>,
    pub complete: bool,
    pub date: chrono::NaiveDate,
    pub max: u32,
    pub missing: Vec<String>,
    pub next_band: Option<ScoreNextBand>,
    pub proposals: Vec<crate::evaluation::Proposal>,
    pub scale: String,
    pub scale_version: String,
    pub sections: Vec<ScoreSection>,
    pub service: String,
    pub total: u32,
    #[serde(rename = "type")]
    pub kind: String,
}

/// A band by id, with its label in the report's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreBand {
    pub id: String,
    pub label: String,
}

/// A section's subtotal, with its name in the report's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreSection {
    pub id: String,
    pub max: u32,
    pub name: String,
    pub total: u32,
}

/// The next band up: how many points it lacks and the items closest to their next level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreNextBand {
    pub band: String,
    pub closest: Vec<String>,
    pub points_missing: u32,
}

impl ScoreReport {
    /// The report of `evaluation` scored on `scale`.
    pub fn of(scale: &Scale, evaluation: &Evaluation, lang: Lang) -> ScoreReport {
        let s = score(scale, &evaluation.scores);
        ScoreReport {
            band: s.band(scale).map(|b| ScoreBand { id: b.id.clone(), label: b.label.get(lang).to_string() }),
            complete: s.complete,
            date: evaluation.date,
            max: s.max,
            missing: s.missing.clone(),
            next_band: next_band(scale, evaluation, &s).map(|n| ScoreNextBand {
                band: scale.bands.get(n.band_index).map_or_else(String::new, |b| b.id.clone()),
                closest: n.closest.iter().map(|h| h.id.clone()).collect(),
                points_missing: n.points_missing,
            }),
            proposals: evaluation.proposals(scale),
            scale: scale.id.clone(),
            scale_version: scale.version.clone(),
            sections: s
                .sections
                .iter()
                .zip(&scale.sections)
                .map(|(x, sec)| ScoreSection {
                    id: x.id.clone(),
                    max: x.max,
                    name: sec.name.get(lang).to_string(),
                    total: x.total,
                })
                .collect(),
            service: evaluation.service.name().to_string(),
            total: s.total,
            kind: evaluation.kind.code().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::EvaluationType;
    use crate::scale::InputValue;
    use crate::scale::tests::tiny_scale;
    use chrono::NaiveDate;

    fn scores(pairs: &[(&str, u8)]) -> Scores {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn complete_total_sections_and_band() {
        let s = tiny_scale();
        let r = score(&s, &scores(&[("X1", 4), ("X2", 4), ("Y1", 4)]));
        assert_eq!((r.total, r.max, r.min), (12, 15, 3));
        assert!(r.complete);
        assert_eq!(r.band.as_ref().map(|b| b.id.as_str()), Some("good"));
        assert_eq!(r.sections[0].total, 8);
        assert_eq!(r.sections[0].max, 10);
        assert_eq!(r.sections[1].total, 4);
    }

    #[test]
    fn partial_is_never_banded() {
        let s = tiny_scale();
        let r = score(&s, &scores(&[("X1", 5), ("X2", 5)]));
        assert!(!r.complete);
        assert_eq!(r.total, 10);
        assert_eq!(r.missing, vec!["Y1".to_string()]);
        assert_eq!(r.band, None);
        assert_eq!(r.complete_total(), None);
    }

    #[test]
    fn change_since_previous() {
        let s = tiny_scale();
        let c = change(
            (&s, &scores(&[("X1", 2), ("X2", 3), ("Y1", 3)])),
            (&s, &scores(&[("X1", 4), ("X2", 3), ("Y1", 2)])),
        );
        assert_eq!(c.total_delta, Some(1));
        assert_eq!(c.item("X1").and_then(ItemChange::delta), Some(2));
        assert_eq!(c.item("Y1").and_then(ItemChange::delta), Some(-1));
        let c = change((&s, &scores(&[("X1", 2)])), (&s, &scores(&[("X1", 4), ("X2", 3), ("Y1", 2)])));
        assert_eq!(c.total_delta, None);
        assert_eq!(c.item("X2").and_then(ItemChange::delta), None);
    }

    #[test]
    fn next_band_points_and_closest_items() {
        let s = tiny_scale();
        let mut e = Evaluation::new(&s, "S", NaiveDate::default(), EvaluationType::Independent);
        e.scores = scores(&[("X1", 3), ("X2", 3), ("Y1", 4)]);
        e.items.entry("X2".into()).or_default().checked = vec!["a".into(), "b".into()];
        let y = e.items.entry("Y1".into()).or_default();
        y.inputs.insert("n".into(), InputValue::Number(42.0));
        y.inputs.insert("fte".into(), InputValue::Number(2.0));
        let sum = score(&s, &e.scores);
        assert_eq!(sum.band.as_ref().map(|b| b.id.as_str()), Some("fair"));
        let nb = next_band(&s, &e, &sum).unwrap_or_else(|| panic!("expected a next band"));
        assert_eq!(nb.band_id, "good");
        assert_eq!(nb.points_missing, 2);
        // Y1 is 21 per FTE against a bound of 20: the smallest relative gap.
        assert_eq!(nb.closest[0].id, "Y1");
        assert_eq!(nb.closest[0].gap, Gap::Value { current: 21.0, target: 20.0 });
        assert_eq!(nb.closest[1].id, "X2");
        assert_eq!(nb.closest[1].gap, Gap::Elements { missing: 1 });
        assert_eq!(nb.closest[2].gap, Gap::Level);
    }

    #[test]
    fn no_next_band_at_the_top_or_when_partial() {
        let s = tiny_scale();
        let mut e = Evaluation::new(&s, "S", NaiveDate::default(), EvaluationType::Independent);
        e.scores = scores(&[("X1", 5), ("X2", 5), ("Y1", 5)]);
        assert_eq!(next_band(&s, &e, &score(&s, &e.scores)), None);
        e.scores.remove("Y1");
        assert_eq!(next_band(&s, &e, &score(&s, &e.scores)), None);
    }
}
