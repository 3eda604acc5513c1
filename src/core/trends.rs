//! A service's history as plain series: totals, section subtotals and item scores per
//! evaluation (the trend chart and heat map), and the one-line overview of a service
//! (latest total, band, change, schedule) that the services list shows.

use chrono::NaiveDate;
use serde::Serialize;

use super::evaluation::{Evaluation, EvaluationType};
use super::scale::Scale;
use super::schedule::{Schedule, schedule};
use super::scoring::{ScoreSummary, score};
use super::workspace::ServiceRecord;

/// One evaluation in a trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub date: NaiveDate,
    pub kind: EvaluationType,
    pub total: u32,
    pub complete: bool,
    pub band: Option<usize>,
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
    /// Builds the trend from evaluations; those on other scales are left out.
    pub fn build<'a>(scale: &Scale, evaluations: impl IntoIterator<Item = &'a Evaluation>) -> Trend {
        let mut points: Vec<TrendPoint> = evaluations
            .into_iter()
            .filter(|e| e.scale == scale.id)
            .map(|e| {
                let s = score(scale, &e.scores);
                TrendPoint {
                    date: e.date,
                    kind: e.kind,
                    total: s.total,
                    complete: s.complete,
                    band: s.band.as_ref().map(|b| b.index),
                    sections: s.sections.iter().map(|x| x.total).collect(),
                    items: scale.items.iter().map(|i| e.scores.get(&i.id).copied()).collect(),
                }
            })
            .collect();
        points.sort_by_key(|p| (p.date, p.kind));
        Trend { scale_id: scale.id.clone(), points }
    }
}

/// One row of the services overview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceOverview {
    pub name: String,
    pub evaluations: usize,
    pub latest_date: Option<NaiveDate>,
    pub latest: Option<ScoreSummary>,
    /// Change in total since the previous complete review of the same type.
    pub change: Option<i32>,
    pub schedule: Option<Schedule>,
}

/// Summarises a service: its latest independent review (or latest self-assessment when it
/// has no independent one), the change since the one before, and the schedule.
pub fn overview(
    service: &ServiceRecord,
    scale_of: impl Fn(&str) -> Option<Scale>,
    today: NaiveDate,
) -> ServiceOverview {
    let latest = service.latest(EvaluationType::Independent).or_else(|| service.latest(EvaluationType::SelfAssessment));
    let mut result = ServiceOverview {
        name: service.info.name.clone(),
        evaluations: service.evaluations.len(),
        latest_date: latest.map(|r| r.evaluation.date),
        latest: None,
        change: None,
        schedule: None,
    };
    let Some(latest) = latest else {
        return result;
    };
    let Some(scale) = scale_of(&latest.evaluation.scale) else {
        return result;
    };
    let summary = score(&scale, &latest.evaluation.scores);
    let previous = service
        .evaluations
        .iter()
        .filter(|r| {
            r.evaluation.kind == latest.evaluation.kind
                && r.evaluation.date < latest.evaluation.date
                && r.evaluation.scale == scale.id
        })
        .map(|r| score(&scale, &r.evaluation.scores))
        .rfind(|s| s.complete);
    result.change = match (summary.complete, previous) {
        (true, Some(p)) => Some(summary.total as i32 - p.total as i32),
        _ => None,
    };
    let reviews: Vec<(NaiveDate, u32)> = service
        .evaluations
        .iter()
        .filter(|r| r.evaluation.kind == EvaluationType::Independent && r.evaluation.scale == scale.id)
        .filter_map(|r| score(&scale, &r.evaluation.scores).complete_total().map(|t| (r.evaluation.date, t)))
        .collect();
    result.schedule = Some(schedule(&scale, service.info.start_date, &reviews, today));
    result.latest = Some(summary);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::evaluation::ServiceInfo;
    use crate::core::scale::tests::tiny_scale;
    use crate::core::workspace::EvaluationRecord;

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
        let t = Trend::build(&s, [&a, &b]);
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
        let service = ServiceRecord {
            folder: "s".into(),
            info: ServiceInfo::named("S"),
            stamp: None,
            evaluations: vec![
                rec(eval(&s, "2024-01-01", EvaluationType::Independent, &[2, 3, 3])),
                rec(eval(&s, "2024-06-01", EvaluationType::SelfAssessment, &[5, 5, 5])),
                rec(eval(&s, "2025-01-01", EvaluationType::Independent, &[4, 4, 4])),
            ],
        };
        let today = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap_or_default();
        let o = overview(&service, |_| Some(s.clone()), today);
        assert_eq!(o.latest.as_ref().map(|l| l.total), Some(12));
        assert_eq!(o.change, Some(4));
        let sch = o.schedule.unwrap_or_else(|| panic!("schedule"));
        assert_eq!(sch.steering_group.meetings_per_year, 2);
        assert_eq!(sch.next_review.map(|r| r.due), NaiveDate::from_ymd_opt(2026, 1, 1));
    }
}
