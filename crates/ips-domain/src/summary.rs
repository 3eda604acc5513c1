//! The resource centre's view of many services: for a selection (all, or one region), each
//! service's latest complete independent review on a scale, and from those the spread over
//! bands, each item's mean and median, the weakest items, a services × items heat map and the
//! services whose next review is overdue. Beside it, rater calibration: how often the two
//! reviewers of a review agreed on each item, over every review of the selection that had
//! two, and per pair of reviewers. The app, the `summary` command and its JSON render this.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::evaluation::EvaluationType;
use crate::history::ReviewFacts;
use crate::schedule::Schedule;
use crate::service::{ScaleSet, Service, same_region};
use crate::trends::overview_of;
use ips_text::text::Lang;

/// Which services: all, or those of one region (compared by [`same_region`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub region: Option<String>,
}

impl Selection {
    pub fn includes(&self, region: &str) -> bool {
        self.region.as_ref().is_none_or(|r| same_region(r, region))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandCount {
    pub id: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStat {
    pub id: String,
    pub name: String,
    /// Over the services that scored it.
    pub mean: f64,
    pub median: f64,
    pub scored: usize,
}

/// One service's latest complete independent review, as a heat-map row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRow {
    pub name: String,
    pub region: String,
    pub date: NaiveDate,
    pub total: u32,
    pub band: Option<String>,
    /// One score per item of the scale, in its order.
    pub scores: Vec<Option<u8>>,
}

/// What is overdue for a service in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverdueKind {
    /// The next fidelity review.
    Review,
    /// The next styringsgruppe meeting.
    Meeting,
}

impl OverdueKind {
    pub fn label(self, lang: ips_text::text::Lang) -> &'static str {
        match self {
            OverdueKind::Review => ips_text::i18n::text(lang, "core.overdue.review"),
            OverdueKind::Meeting => ips_text::i18n::text(lang, "core.overdue.meeting"),
        }
    }
}

/// A service whose review or meeting is past due, as the summary lists it (the service's
/// own deadlines are [`crate::trends::PastDeadline`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverdueService {
    pub name: String,
    pub region: String,
    /// The review or the meeting.
    pub what: OverdueKind,
    /// When it was due.
    pub due: NaiveDate,
}

/// Two reviewers' agreement on one item over many reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ItemAgreement {
    pub id: String,
    /// Reviews where both scored it.
    pub compared: usize,
    pub exact: usize,
    pub within_one: usize,
    /// Differences of two points or more.
    pub two_or_more: usize,
}

/// Agreement of one pair of reviewers (names in Norwegian alphabetical order) over their
/// reviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairAgreement {
    pub reviewers: [String; 2],
    pub reviews: usize,
    pub compared: usize,
    pub exact: usize,
    pub within_one: usize,
    pub two_or_more: usize,
    /// Quadratic-weighted kappa over every item both scored in all their reviews, the
    /// categories being the scale's whole range ([`crate::agreement::weighted_kappa`]);
    /// `None` when it is undefined.
    pub kappa: Option<f64>,
    /// The counts kappa is computed from (`counts[i][j]`: one scored the `i`-th score of the
    /// scale, the other the `j`-th).
    #[serde(skip)]
    counts: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Calibration {
    /// Reviews of the selection with two reviewers' scores.
    pub reviews: usize,
    pub items: Vec<ItemAgreement>,
    pub pairs: Vec<PairAgreement>,
    /// Up to three item ids with the most differences of two or more (none if there are none).
    pub most_apart: Vec<String>,
}

impl Calibration {
    /// The compared items, those the reviewers read most differently first: most
    /// differences of two or more, then least exact agreement.
    pub fn most_apart_first(&self) -> Vec<&ItemAgreement> {
        let mut items: Vec<&ItemAgreement> = self.items.iter().filter(|i| i.compared > 0).collect();
        items.sort_by(|x, y| y.two_or_more.cmp(&x.two_or_more).then(x.exact.cmp(&y.exact)));
        items
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub scale: String,
    /// The scale's lowest and highest item score (for colouring the heat map).
    pub score_min: u8,
    pub score_max: u8,
    pub region: Option<String>,
    /// Services in the selection with a complete independent review on the scale.
    pub services: usize,
    pub bands: Vec<BandCount>,
    pub items: Vec<ItemStat>,
    /// The three item ids with the lowest mean (ties in the scale's order).
    pub weakest: Vec<String>,
    pub rows: Vec<ServiceRow>,
    pub overdue: Vec<OverdueService>,
    pub agreement: Calibration,
}

impl Summary {
    /// The weakest items as the app, the command line and the PDF list them: "T6 Name (2,5)",
    /// the mean with one decimal in `lang`'s way.
    pub fn weakest_lines(&self, lang: Lang) -> Vec<String> {
        self.weakest
            .iter()
            .filter_map(|id| self.items.iter().find(|i| &i.id == id))
            .map(|i| format!("{} {} ({})", i.id, i.name, ips_text::text::format_decimal(i.mean, 1, lang)))
            .collect()
    }
}

/// What the summary takes from one service, per scale id: its latest complete independent
/// review, and every review two reviewers scored on their own. Item scores are in the
/// order of the scale's newest version. Computed from a loaded service, or kept in brief
/// for a service whose reviews are not held in memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryInput {
    pub latest: Vec<LatestReview>,
    pub pairs: Vec<ReviewerPair>,
}

/// A service's latest complete independent review on one scale id.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestReview {
    pub scale_id: String,
    pub date: NaiveDate,
    pub total: u32,
    /// Band index on the version it is scored on.
    pub band: Option<usize>,
    pub scores: Vec<Option<u8>>,
}

/// The two reviewers' own scores of one review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewerPair {
    pub scale_id: String,
    /// Names as written, trimmed.
    pub names: [String; 2],
    pub first: Vec<Option<u8>>,
    pub second: Vec<Option<u8>>,
}

/// The [`SummaryInput`] of a loaded service from its facts ([`crate::history::review_facts`]).
pub fn summary_input(svc: &crate::service::Service, facts: &[ReviewFacts], scales: &ScaleSet) -> SummaryInput {
    let mut input = SummaryInput::default();
    let mut scale_ids: Vec<&str> = facts.iter().map(|f| f.scale_id.as_str()).collect();
    scale_ids.sort_unstable();
    scale_ids.dedup();
    for id in scale_ids {
        let Some(scale) = scales.layout(id) else {
            continue;
        };
        let in_order = |scores: &crate::evaluation::Scores| -> Vec<Option<u8>> {
            scale.items.iter().map(|i| scores.get(&i.id).copied()).collect()
        };
        let latest = facts
            .iter()
            .filter(|x| x.scale_id == id && x.kind == EvaluationType::Independent && x.summary.complete)
            .max_by_key(|x| x.date);
        if let Some(x) = latest
            && let Some(rec) = svc.evaluations.get(x.index)
        {
            input.latest.push(LatestReview {
                scale_id: id.to_string(),
                date: x.date,
                total: x.summary.total,
                band: x.summary.band.as_ref().map(|b| b.index),
                scores: in_order(&rec.evaluation.scores),
            });
        }
        for rec in svc.evaluations.iter().filter(|r| r.evaluation.scale == id) {
            let scored: Vec<_> = rec.evaluation.reviewers.iter().filter(|r| !r.scores.is_empty()).collect();
            if let [a, b] = scored.as_slice() {
                input.pairs.push(ReviewerPair {
                    scale_id: id.to_string(),
                    names: [a.name.trim().to_string(), b.name.trim().to_string()],
                    first: in_order(&a.scores),
                    second: in_order(&b.scores),
                });
            }
        }
    }
    input
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// One service as the summary reads it: the service, the facts computed for it
/// ([`crate::history::review_facts`]), and, for a service held in brief, what was computed
/// when its reviews were read.
#[derive(Debug, Clone, Copy)]
pub struct SummaryService<'a> {
    pub service: &'a Service,
    pub facts: &'a [ReviewFacts],
    pub brief: Option<(&'a SummaryInput, Option<&'a Schedule>)>,
}

/// The summary of the services in `selection` on scale `scale_id`.
pub fn summarize(
    services: &[SummaryService<'_>],
    scales: &ScaleSet,
    scale_id: &str,
    selection: &Selection,
    lang: Lang,
    today: NaiveDate,
) -> Option<Summary> {
    let scale = scales.layout(scale_id)?;
    let mut rows = Vec::new();
    let mut band_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut overdue = Vec::new();
    let mut calibration = Calibration::default();
    let mut per_item: Vec<ItemAgreement> =
        scale.items.iter().map(|i| ItemAgreement { id: i.id.clone(), ..ItemAgreement::default() }).collect();
    let mut per_pair: BTreeMap<[String; 2], PairAgreement> = BTreeMap::new();
    for source in services {
        let (svc, f) = (source.service, source.facts);
        if !selection.includes(&svc.info.region) {
            continue;
        }
        // A service held in brief brings what it needs; a loaded one is read now, by the
        // same definition.
        let (input, schedule) = match source.brief {
            Some((input, schedule)) => (std::borrow::Cow::Borrowed(input), schedule.cloned()),
            None => {
                (std::borrow::Cow::Owned(summary_input(svc, f, scales)), overview_of(svc, f, scales, today).schedule)
            }
        };
        if let Some(x) = input.latest.iter().find(|x| x.scale_id == scale_id) {
            let band = x.band.and_then(|b| scale.bands.get(b));
            if let Some(b) = band {
                *band_counts.entry(b.id.clone()).or_default() += 1;
            }
            rows.push(ServiceRow {
                name: svc.info.name.clone(),
                region: svc.info.region.clone(),
                date: x.date,
                total: x.total,
                band: band.map(|b| b.label.get(lang).to_string()),
                scores: x.scores.clone(),
            });
        }
        let (name, region) = (svc.info.name.clone(), svc.info.region.clone());
        if let Some(r) = schedule.as_ref().and_then(|s| s.next_review.as_ref()).filter(|r| r.overdue) {
            overdue.push(OverdueService {
                name: name.clone(),
                region: region.clone(),
                what: OverdueKind::Review,
                due: r.due,
            });
        }
        if let Some(due) =
            schedule.as_ref().map(|s| &s.steering_group).filter(|g| g.meeting_overdue).and_then(|g| g.next_meeting)
        {
            overdue.push(OverdueService { name, region, what: OverdueKind::Meeting, due });
        }
        // Calibration: every review on the scale with two reviewers' own scores.
        for pair_scores in input.pairs.iter().filter(|p| p.scale_id == scale_id) {
            calibration.reviews += 1;
            let mut names = pair_scores.names.clone();
            names.sort_by_key(|n| ips_text::text::sort_key(n));
            let range = usize::from(scale.score_max - scale.score_min) + 1;
            let pair = per_pair.entry(names.clone()).or_insert_with(|| PairAgreement {
                reviewers: names,
                reviews: 0,
                compared: 0,
                exact: 0,
                within_one: 0,
                two_or_more: 0,
                kappa: None,
                counts: vec![vec![0.0; range]; range],
            });
            pair.reviews += 1;
            for (k, acc) in per_item.iter_mut().enumerate() {
                let (Some(Some(x)), Some(Some(y))) = (pair_scores.first.get(k), pair_scores.second.get(k)) else {
                    continue;
                };
                let d = x.abs_diff(*y);
                acc.compared += 1;
                pair.compared += 1;
                let at = |s: u8| usize::from(s.saturating_sub(scale.score_min));
                if let Some(cell) = pair.counts.get_mut(at(*x)).and_then(|r| r.get_mut(at(*y))) {
                    *cell += 1.0;
                }
                if d == 0 {
                    acc.exact += 1;
                    pair.exact += 1;
                }
                if d <= 1 {
                    acc.within_one += 1;
                    pair.within_one += 1;
                } else {
                    acc.two_or_more += 1;
                    pair.two_or_more += 1;
                }
            }
        }
    }
    let items: Vec<ItemStat> = scale
        .items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let mut values: Vec<f64> = rows.iter().filter_map(|r| r.scores[k]).map(f64::from).collect();
            let scored = values.len();
            let mean = if scored == 0 { 0.0 } else { values.iter().sum::<f64>() / scored as f64 };
            ItemStat {
                id: item.id.clone(),
                name: item.name.get(lang).to_string(),
                mean,
                median: median(&mut values),
                scored,
            }
        })
        .collect();
    let mut order: Vec<&ItemStat> = items.iter().filter(|i| i.scored > 0).collect();
    order.sort_by(|a, b| a.mean.total_cmp(&b.mean));
    let weakest = order.iter().take(3).map(|i| i.id.clone()).collect();
    let mut apart: Vec<&ItemAgreement> = per_item.iter().filter(|i| i.two_or_more > 0).collect();
    apart.sort_by_key(|a| std::cmp::Reverse(a.two_or_more));
    calibration.most_apart = apart.iter().take(3).map(|i| i.id.clone()).collect();
    calibration.items = per_item;
    calibration.pairs = per_pair
        .into_values()
        .map(|mut p| {
            p.kappa = if p.compared < 2 { None } else { crate::agreement::weighted_kappa(&p.counts) };
            p
        })
        .collect();
    calibration.pairs.sort_by_key(|p| p.reviewers.clone().map(|n| ips_text::text::sort_key(&n)));
    overdue.sort_by_key(|o| o.due);
    Some(Summary {
        scale: scale.id.clone(),
        score_min: scale.score_min,
        score_max: scale.score_max,
        region: selection.region.clone(),
        services: rows.len(),
        bands: scale
            .bands
            .iter()
            .map(|b| BandCount {
                id: b.id.clone(),
                label: b.label.get(lang).to_string(),
                count: band_counts.get(&b.id).copied().unwrap_or(0),
            })
            .collect(),
        items,
        weakest,
        rows,
        overdue,
        agreement: calibration,
    })
}

/// The regions in use, in Norwegian order, without duplicates (case kept as first written).
pub fn regions<'a>(services: impl IntoIterator<Item = &'a Service>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in services {
        let r = s.info.region.trim();
        if !r.is_empty() && !out.iter().any(|o| same_region(o, r)) {
            out.push(r.to_string());
        }
    }
    out.sort_by_key(|r| ips_text::text::sort_key(r));
    out
}
