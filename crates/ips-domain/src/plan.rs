//! The handlingsplan rules: which review's plan is the current one, an action's status on a
//! day and whether it is overdue, which actions to draft from a review's recommendations, and
//! action ids. The weak-item threshold is the scale's data ([`Scale::weak_item_max`]), the
//! same one the report uses for its areas to improve.

use chrono::NaiveDate;

use crate::evaluation::{Action, ActionStatus, Evaluation, EvaluationType};
use crate::scale::Scale;
use crate::service::{EvaluationRecord, Service};
use ips_text::text::Lang;

/// The handlingsplan in force on `date`: the plan of the latest independent review on or
/// before that day that has actions. The one definition for the overview's overdue actions,
/// the trends and the meeting pack.
pub fn current_plan(service: &Service, date: NaiveDate) -> Option<&EvaluationRecord> {
    service
        .evaluations
        .iter()
        .filter(|r| {
            r.evaluation.kind == EvaluationType::Independent
                && r.evaluation.date <= date
                && !r.evaluation.actions.is_empty()
        })
        .max_by_key(|r| r.evaluation.date)
}

/// An action's status on a day, from its dated status changes (the status now when it has
/// none recorded).
pub fn status_on(a: &Action, date: NaiveDate) -> ActionStatus {
    match a.status_changes.iter().filter(|c| c.date <= date).max_by_key(|c| c.date) {
        Some(c) => c.to,
        None => a.status_changes.iter().min_by_key(|c| c.date).map_or(a.status, |c| c.from),
    }
}

/// Whether an action is past its deadline on `date` and was not done by then.
pub fn is_overdue_on(a: &Action, date: NaiveDate) -> bool {
    status_on(a, date) != ActionStatus::Done && a.deadline.is_some_and(|d| d < date)
}

/// Actions drafted from the recommendations of weak items that have no action yet, in scale
/// order, with fresh ids.
pub fn draft_actions(scale: &Scale, e: &Evaluation) -> Vec<Action> {
    let mut out = Vec::new();
    let mut taken: Vec<String> = e.actions.iter().map(|a| a.id.clone()).collect();
    for item in &scale.items {
        let Some(&score) = e.scores.get(&item.id) else {
            continue;
        };
        let rec = e.items.get(&item.id).map(|n| n.recommendation.trim()).unwrap_or("");
        if !scale.is_weak(score)
            || rec.is_empty()
            || e.actions.iter().any(|a| a.item.as_deref() == Some(item.id.as_str()))
        {
            continue;
        }
        let n = (1..).find(|n| !taken.contains(&format!("a{n}"))).unwrap_or(1);
        let id = format!("a{n}");
        taken.push(id.clone());
        out.push(Action { id, what: rec.to_string(), item: Some(item.id.clone()), ..Action::default() });
    }
    out
}

/// How an action of a plan went, as the next review reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanOutcome {
    Done,
    Partly,
    NotDone,
}

impl PlanOutcome {
    /// Done is done; begun is partly done; not begun is not done.
    pub fn of(status: ActionStatus) -> PlanOutcome {
        match status {
            ActionStatus::Done => PlanOutcome::Done,
            ActionStatus::InProgress => PlanOutcome::Partly,
            ActionStatus::Open => PlanOutcome::NotDone,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PlanOutcome::Done => ips_text::i18n::text(lang, "core.plan_outcome.done"),
            PlanOutcome::Partly => ips_text::i18n::text(lang, "core.plan_outcome.partly"),
            PlanOutcome::NotDone => ips_text::i18n::text(lang, "core.plan_outcome.not_done"),
        }
    }
}

/// Each action of a review's plan with how it went.
pub fn outcomes(e: &Evaluation) -> impl Iterator<Item = (&Action, PlanOutcome)> {
    e.actions.iter().map(|a| (a, PlanOutcome::of(a.status)))
}

/// Gives every action its own id (hand-written files may leave ids out or repeat them).
/// Done once when a review is opened, never while a view is drawn.
pub fn ensure_action_ids(e: &mut Evaluation) {
    for i in 0..e.actions.len() {
        let duplicate = e.actions[..i].iter().any(|a| a.id == e.actions[i].id);
        if e.actions[i].id.is_empty() || duplicate {
            e.actions[i].id = e.next_action_id();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::EvaluationType;
    use crate::service::ScaleSet;
    use chrono::NaiveDate;

    #[test]
    fn drafts_from_weak_items_with_recommendations() {
        let scales = ScaleSet::builtin().0;
        let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        assert_eq!(scale.weak_item_max, 3, "the threshold comes from scales/ips-25.json");
        let mut e = Evaluation::new(&scale, "S", NaiveDate::default(), EvaluationType::Independent);
        e.scores.insert("B1".into(), 2);
        e.scores.insert("B2".into(), 4);
        e.scores.insert("T6".into(), 3);
        e.items.entry("B1".into()).or_default().recommendation = "Ansett en jobbspesialist til".into();
        e.items.entry("B2".into()).or_default().recommendation = "Ikke med: skår 4".into();
        e.items.entry("T6".into()).or_default().recommendation = "Flere arbeidsgiverbesøk".into();
        let d = draft_actions(&scale, &e);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].id.as_str(), d[0].item.as_deref()), ("a1", Some("B1")));
        assert_eq!((d[1].id.as_str(), d[1].item.as_deref()), ("a2", Some("T6")));
        e.actions = d;
        assert!(draft_actions(&scale, &e).is_empty(), "no duplicates");
    }

    #[test]
    fn ids_are_made_unique() {
        let scales = ScaleSet::builtin().0;
        let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let mut e = Evaluation::new(&scale, "S", NaiveDate::default(), EvaluationType::Independent);
        e.actions = vec![Action::default(), Action { id: "a1".into(), ..Action::default() }, Action::default()];
        ensure_action_ids(&mut e);
        let ids: Vec<&str> = e.actions.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a2", "a1", "a3"]);
    }
}
