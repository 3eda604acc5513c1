//! A service's history as plain series: totals, section subtotals and item scores per
//! evaluation (the trend chart and heat map), and the one-line overview of a service
//! (latest total, band, change, schedule) that the services list shows.

use chrono::NaiveDate;
use serde::Serialize;

use crate::evaluation::{Evaluation, EvaluationType};
use crate::history::{ReviewFacts, review_facts, review_facts_of};
use crate::schedule::{Schedule, schedule};
use crate::scoring::ScoreSummary;
use crate::service::{ScaleSet, Service};

/// One evaluation in a trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub date: NaiveDate,
    pub kind: EvaluationType,
    pub total: u32,
    pub complete: bool,
    /// Band index on the scale version the review is scored on.
    pub band: Option<usize>,
    /// Change in total since the previous review ([`crate::history::previous_review`]).
    pub change: Option<i32>,
    pub sections: Vec<u32>,
    /// Item scores in scale order (`None` = not scored).
    pub items: Vec<Option<u8>>,
}

/// The evaluations of one service on one scale, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub scale_id: String,
    pub points: Vec<TrendPoint>,
}

impl Trend {
    /// Builds the trend of the reviews on scale `scale_id`; those on other scales are left
    /// out. Each review is scored on the scale version it records; item order is the newest
    /// version's.
    pub fn build<'a>(
        scales: &ScaleSet,
        scale_id: &str,
        evaluations: impl IntoIterator<Item = &'a Evaluation>,
    ) -> Trend {
        let all: Vec<&Evaluation> = evaluations.into_iter().filter(|e| e.scale == scale_id).collect();
        let Some(newest) = scales.layout(scale_id) else {
            return Trend { scale_id: scale_id.to_string(), points: Vec::new() };
        };
        let mut points: Vec<TrendPoint> = review_facts_of(&all, scales)
            .into_iter()
            .map(|f| {
                let e = all[f.index];
                TrendPoint {
                    date: f.date,
                    kind: f.kind,
                    total: f.summary.total,
                    complete: f.summary.complete,
                    band: f.summary.band.as_ref().map(|b| b.index),
                    change: f.change,
                    sections: f.summary.sections.iter().map(|x| x.total).collect(),
                    items: newest.items.iter().map(|i| e.scores.get(&i.id).copied()).collect(),
                }
            })
            .collect();
        points.sort_by_key(|p| (p.date, p.kind));
        Trend { scale_id: scale_id.to_string(), points }
    }
}

/// One row of the services overview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceOverview {
    pub name: String,
    /// The service's region (fylke), empty if not given.
    pub region: String,
    pub evaluations: usize,
    pub latest_date: Option<NaiveDate>,
    pub latest: Option<ScoreSummary>,
    /// Change in total since the previous complete review of the same type.
    pub change: Option<i32>,
    pub schedule: Option<Schedule>,
    /// The latest review's status (reviews from before statuses have none).
    pub latest_status: Option<crate::evaluation::ReviewStatus>,
    /// The scale id and version the latest review is scored on.
    pub latest_scale: Option<(String, String)>,
    /// Deadlines that have passed: reports, plans, actions, the styringsgruppe's meeting.
    pub overdue: Vec<PastDeadline>,
}

/// Something past its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum PastDeadline {
    /// The final report of the review on `review`.
    Report { review: NaiveDate, due: NaiveDate },
    /// The handlingsplan after the review on `review`.
    Plan { review: NaiveDate, due: NaiveDate },
    /// Actions of the current plan past their deadline and not done.
    Actions { count: usize },
    /// The next styringsgruppe meeting.
    Meeting { due: NaiveDate },
}

/// Everything past its deadline for one service on `today` (the schedule's meeting aside).
pub fn overdue_of(service: &Service, scales: &ScaleSet, today: NaiveDate) -> Vec<PastDeadline> {
    let mut out = Vec::new();
    for r in &service.evaluations {
        let e = &r.evaluation;
        let Some(scale) = scales.for_evaluation(e) else {
            continue;
        };
        let d = crate::lifecycle::deadlines(e, scale, today);
        if let Some(x) = d.report.filter(|x| x.overdue) {
            out.push(PastDeadline::Report { review: e.date, due: x.due });
        }
        if let Some(x) = d.plan.filter(|x| x.overdue) {
            out.push(PastDeadline::Plan { review: e.date, due: x.due });
        }
    }
    let plan = crate::plan::current_plan(service, today);
    let count = plan.map_or(0, |r| crate::lifecycle::overdue_actions(&r.evaluation, today).count());
    if count > 0 {
        out.push(PastDeadline::Actions { count });
    }
    out
}

/// Summarises a service: its latest independent review (or latest self-assessment when it
/// has no independent one), the change since its previous review ([`previous_review`]), and
/// the schedule.
///
/// [`previous_review`]: crate::history::previous_review
pub fn overview(service: &Service, scales: &ScaleSet, today: NaiveDate) -> ServiceOverview {
    overview_of(service, &review_facts(service, scales), scales, today)
}

/// [`overview`] from facts already computed for the service.
pub fn overview_of(service: &Service, facts: &[ReviewFacts], scales: &ScaleSet, today: NaiveDate) -> ServiceOverview {
    let latest_of = |kind: EvaluationType| facts.iter().filter(|f| f.kind == kind).max_by_key(|f| f.date);
    let latest = latest_of(EvaluationType::Independent).or_else(|| latest_of(EvaluationType::SelfAssessment));
    let mut result = ServiceOverview {
        name: service.info.name.clone(),
        region: service.info.region.clone(),
        evaluations: service.evaluations.len(),
        latest_date: latest.map(|f| f.date),
        latest: latest.map(|f| f.summary.clone()),
        change: latest.and_then(|f| f.change),
        schedule: None,
        latest_status: latest.and_then(|f| service.evaluations.get(f.index)).and_then(|r| r.evaluation.status),
        latest_scale: latest.map(|f| (f.scale_id.clone(), f.scale_version.clone())),
        overdue: overdue_of(service, scales, today),
    };
    let Some(latest) = latest else {
        return result;
    };
    let Some(scale) = service.evaluations.get(latest.index).and_then(|r| scales.for_evaluation(&r.evaluation)) else {
        return result;
    };
    let meetings: Vec<NaiveDate> = service.meetings.iter().map(|m| m.date).collect();
    let reviews = schedule_reviews(facts, &latest.scale_id);
    let sch = schedule(scale, service.info.start_date, &reviews, &meetings, today);
    if let Some(due) = sch.steering_group.next_meeting.filter(|_| sch.steering_group.meeting_overdue) {
        result.overdue.push(PastDeadline::Meeting { due });
    }
    result.schedule = Some(sch);
    result
}

/// The schedule's input, defined once: the complete independent reviews on one scale id, as
/// (date, total), each scored on its own scale version.
pub fn schedule_reviews(facts: &[ReviewFacts], scale_id: &str) -> Vec<(NaiveDate, u32)> {
    facts
        .iter()
        .filter(|f| f.kind == EvaluationType::Independent && f.scale_id == scale_id)
        .filter_map(|f| f.summary.complete_total().map(|t| (f.date, t)))
        .collect()
}

/// The styringsgruppe's meetings in the 12 months before `review` (one of the service's
/// reviews), held against the cadence rule: what the editor proposes the meetings element
/// of O8 from. `None` when the review's scale is not known.
pub fn meetings_before(
    service: &Service,
    scales: &ScaleSet,
    review: &Evaluation,
) -> Option<crate::schedule::MeetingsBeforeReview> {
    let scale = scales.for_evaluation(review)?;
    let facts = review_facts(service, scales);
    let meetings: Vec<NaiveDate> = service.meetings.iter().map(|m| m.date).collect();
    Some(crate::schedule::meetings_before_review(scale, review.date, &schedule_reviews(&facts, &scale.id), &meetings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::ServiceInfo;
    use crate::scale::Scale;
    use crate::scale::tests::tiny_scale;
    use crate::service::EvaluationRecord;

    fn eval(scale: &Scale, date: &str, kind: EvaluationType, s: &[u8]) -> Evaluation {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap_or_default();
        let mut e = Evaluation::new(scale, "S", d, kind);
        for (item, v) in scale.items.iter().zip(s) {
            e.scores.insert(item.id.clone(), *v);
        }
        e
    }

    #[test]
    fn trend_orders_and_scores() {
        let s = tiny_scale();
        let a = eval(&s, "2025-01-01", EvaluationType::Independent, &[4, 4, 4]);
        let b = eval(&s, "2024-01-01", EvaluationType::Independent, &[2, 2]);
        let mut set = ScaleSet::default();
        set.insert(s.clone());
        let t = Trend::build(&set, "tiny", [&a, &b]);
        assert_eq!(t.points.len(), 2);
        assert_eq!(t.points[0].total, 4);
        assert!(!t.points[0].complete);
        assert_eq!(t.points[0].items, vec![Some(2), Some(2), None]);
        assert_eq!(t.points[1].band, Some(0));
        assert_eq!(t.points[1].sections, vec![8, 4]);
    }

    #[test]
    fn overview_uses_independent_reviews_and_change() {
        let s = tiny_scale();
        let rec = |e: Evaluation| EvaluationRecord { file_name: String::new(), evaluation: e, stamp: None };
        let service = Service {
            folder: "s".into(),
            info: ServiceInfo::named("S"),
            evaluations: vec![
                rec(eval(&s, "2024-01-01", EvaluationType::Independent, &[2, 3, 3])),
                rec(eval(&s, "2024-06-01", EvaluationType::SelfAssessment, &[5, 5, 5])),
                rec(eval(&s, "2025-01-01", EvaluationType::Independent, &[4, 4, 4])),
            ],
            ..Service::default()
        };
        let today = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap_or_default();
        let mut set = ScaleSet::default();
        set.insert(s.clone());
        let o = overview(&service, &set, today);
        assert_eq!(o.latest.as_ref().map(|l| l.total), Some(12));
        assert_eq!(o.change, Some(4));
        let sch = o.schedule.unwrap_or_else(|| panic!("schedule"));
        assert_eq!(sch.steering_group.meetings_per_year, 2);
        assert_eq!(sch.next_review.map(|r| r.due), NaiveDate::from_ymd_opt(2026, 1, 1));
    }
}
