//! A service's reviews over time, with the one definition of "the previous review" and of
//! "the change since it". The overview, the service page, the editor, the trends and the
//! report all take their total, band and change from here, so they cannot disagree.
//!
//! The previous review of a review is the newest earlier *complete* review of the same
//! service, of the same type (independent or self-assessment) and on the same scale id.
//! Every review is scored on the scale version it records ([`ScaleSet::resolve`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::evaluation::{Evaluation, EvaluationType};
use crate::scoring::{ScoreSummary, score, total_change};
use crate::service::{ScaleSet, Service};

/// The rule, once: `candidate` can be the previous review of `current` when it is of the
/// same type, on the same scale id, earlier, and complete.
fn may_precede(current: &Evaluation, candidate: &Evaluation, candidate_complete: bool) -> bool {
    candidate.kind == current.kind
        && candidate.scale == current.scale
        && candidate.date < current.date
        && candidate_complete
}

/// The previous review of `current` among `history` (which may include `current` itself):
/// the newest earlier complete review of the same type on the same scale id.
pub fn previous_review<'a>(
    scales: &ScaleSet,
    current: &Evaluation,
    history: impl IntoIterator<Item = &'a Evaluation>,
) -> Option<&'a Evaluation> {
    history
        .into_iter()
        .filter(|e| {
            let complete = || scales.for_evaluation(e).is_some_and(|s| score(s, &e.scores).complete);
            e.date < current.date && may_precede(current, e, complete())
        })
        .max_by_key(|e| e.date)
}

/// One review as every view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewFacts {
    /// Index in the service's evaluations.
    pub index: usize,
    pub date: NaiveDate,
    pub kind: EvaluationType,
    pub scale_id: String,
    /// The version it is scored on.
    pub scale_version: String,
    /// The version the file records when it is not known here (scored on the newest).
    pub missing_version: Option<String>,
    pub summary: ScoreSummary,
    /// Index of the previous review (see [`previous_review`]).
    pub previous: Option<usize>,
    /// Change in total since the previous review; `None` when either is partial or there is
    /// no previous review.
    pub change: Option<i32>,
    pub reviewers: Vec<String>,
}

/// The facts of every review of a service whose scale is known, in the service's order.
pub fn review_facts(service: &Service, scales: &ScaleSet) -> Vec<ReviewFacts> {
    let all: Vec<&Evaluation> = service.evaluations.iter().map(|r| &r.evaluation).collect();
    review_facts_of(&all, scales)
}

/// The facts of each of `all` (one service's reviews) whose scale is known; `index` is the
/// position in `all`. Each review is scored once.
pub fn review_facts_of(all: &[&Evaluation], scales: &ScaleSet) -> Vec<ReviewFacts> {
    let summaries: Vec<Option<ScoreSummary>> =
        all.iter().map(|e| scales.for_evaluation(e).map(|s| score(s, &e.scores))).collect();
    let complete: Vec<bool> = summaries.iter().map(|s| s.as_ref().is_some_and(|s| s.complete)).collect();
    let previous: Vec<Option<usize>> = all
        .iter()
        .map(|e| (0..all.len()).filter(|&j| may_precede(e, all[j], complete[j])).max_by_key(|&j| all[j].date))
        .collect();
    let changes: Vec<Option<i32>> = (0..all.len())
        .map(|i| match (&summaries[i], previous[i].and_then(|p| summaries[p].as_ref())) {
            (Some(c), Some(p)) => total_change(p, c),
            _ => None,
        })
        .collect();
    summaries
        .into_iter()
        .enumerate()
        .filter_map(|(index, summary)| {
            let e: &Evaluation = all[index];
            let resolved = scales.resolve(e)?;
            Some(ReviewFacts {
                index,
                date: e.date,
                kind: e.kind,
                scale_id: resolved.scale.id.clone(),
                scale_version: resolved.scale.version.clone(),
                missing_version: resolved.missing_version.map(str::to_string),
                previous: previous[index],
                change: changes[index],
                summary: summary?,
                reviewers: e.reviewers.iter().map(|r| r.name.clone()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::ServiceInfo;
    use crate::service::EvaluationRecord;

    fn ips25() -> (ScaleSet, crate::scale::Scale) {
        let (set, _) = ScaleSet::builtin();
        let scale = set.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        (set, scale)
    }

    fn review(scale: &crate::scale::Scale, date: &str, kind: EvaluationType, each: u8, items: usize) -> Evaluation {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap_or_default();
        let mut e = Evaluation::new(scale, "S", d, kind);
        for item in scale.items.iter().take(items) {
            e.scores.insert(item.id.clone(), each);
        }
        e
    }

    #[test]
    fn previous_skips_partial_other_type_and_later() {
        let (set, s) = ips25();
        let n = s.items.len();
        let a = review(&s, "2024-01-01", EvaluationType::Independent, 3, n);
        let partial = review(&s, "2024-06-01", EvaluationType::Independent, 4, 5);
        let selfa = review(&s, "2024-09-01", EvaluationType::SelfAssessment, 5, n);
        let cur = review(&s, "2025-01-01", EvaluationType::Independent, 4, n);
        let later = review(&s, "2026-01-01", EvaluationType::Independent, 2, n);
        let all = [&a, &partial, &selfa, &cur, &later];
        let p = previous_review(&set, &cur, all.iter().copied());
        assert_eq!(p.map(|e| e.date), Some(a.date));
        assert_eq!(crate::scoring::change((&s, &a.scores), (&s, &cur.scores)).total_delta, Some(n as i32));
        assert!(previous_review(&set, &a, all.iter().copied()).is_none());
        let svc = Service {
            folder: "s".into(),
            info: ServiceInfo::named("S"),
            evaluations: all
                .iter()
                .map(|e| EvaluationRecord { file_name: String::new(), evaluation: (*e).clone(), stamp: None })
                .collect(),
            ..Service::default()
        };
        let facts = review_facts(&svc, &set);
        assert_eq!(facts.len(), 5);
        assert_eq!(facts[3].previous, Some(0));
        assert_eq!(facts[3].change, Some(n as i32));
        assert_eq!(facts[1].change, None, "a partial review has no change in total");
        assert_eq!(facts[2].previous, None, "no earlier self-assessment");
        assert_eq!(facts[4].previous, Some(3));
    }
}
