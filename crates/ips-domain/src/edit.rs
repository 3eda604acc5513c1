//! Edits of a review as values. The editor's views render a review read-only and emit
//! [`Edit`]s; the editor applies them in one place, once per frame. Applying an edit returns
//! its inverse, so undo and redo replay edits (as helix's transactions do) instead of
//! copying and comparing whole reviews, and every change to a review has one entry point.

use std::collections::BTreeMap;

use crate::evaluation::{AccuracyComment, Action, Evaluation, ItemNotes, Reviewer};
use crate::scale::{InputValue, Scale};

/// Whose scores a score edit sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreTarget {
    /// The agreed (official) scores.
    Consensus,
    /// One reviewer's independent scores, by position.
    Reviewer(usize),
}

/// A free-text field of an item's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteField {
    Rationale,
    Recommendation,
    OverrideReason,
}

/// One change to a review.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Sets (or clears) an item's score.
    Score { target: ScoreTarget, item: String, value: Option<u8> },
    /// Ticks or unticks a checklist element.
    Checked { item: String, element: String, on: bool },
    /// Sets (or clears) a measured item's input.
    Input { item: String, input: String, value: Option<InputValue> },
    /// Replaces a measured item's per-row inputs (e.g. one row per employment specialist).
    Rows { item: String, rows: Vec<BTreeMap<String, InputValue>> },
    /// Sets a free-text field of an item's notes.
    Note { item: String, field: NoteField, text: String },
    /// Ticks or unticks a data source of an item.
    Source { item: String, source: String, on: bool },
    /// Replaces an item's whole notes (`None`: nothing recorded); the inverse of item edits.
    Item { item: String, notes: Option<ItemNotes> },
    /// Adds a reviewer at the end.
    AddReviewer { name: String },
    /// Marks a reviewer done (or not).
    ReviewerDone { index: usize, done: bool },
    /// Replaces the reviewers; the inverse of reviewer edits.
    Reviewers(Vec<Reviewer>),
    /// Adds an action at the end.
    AddAction(Action),
    /// Replaces the action at `index`.
    SetAction { index: usize, action: Action },
    /// Sets the free texts of the action at `index` (typing).
    ActionText { index: usize, what: String, owner: String },
    /// Removes the action at `index`.
    RemoveAction { index: usize },
    /// Replaces the whole plan; the inverse of action edits.
    Actions { actions: Vec<Action>, drafted: bool },
    /// Replaces the factual-accuracy comments (adding, answering, removing one).
    Accuracy(Vec<AccuracyComment>),
    /// Sets (or clears) the day the handlingsplan was delivered.
    PlanDelivered(Option<chrono::NaiveDate>),
    /// Several edits as one step.
    Batch(Vec<Edit>),
}

impl Edit {
    /// Whether the edit only changes free text (typing merges into one undo step).
    pub fn is_text(&self) -> bool {
        match self {
            Edit::Note { .. } | Edit::ActionText { .. } | Edit::Accuracy(_) => true,
            Edit::Batch(edits) => edits.iter().all(Edit::is_text),
            _ => false,
        }
    }

    /// Applies the edit and returns the edit that undoes it. An edit that names something
    /// not there (an action index past the end) changes nothing.
    pub fn apply(self, e: &mut Evaluation) -> Edit {
        match self {
            Edit::Score { target, item, value } => {
                let scores = match target {
                    ScoreTarget::Consensus => &mut e.scores,
                    ScoreTarget::Reviewer(i) => match e.reviewers.get_mut(i) {
                        Some(r) => &mut r.scores,
                        None => return Edit::Batch(Vec::new()),
                    },
                };
                let old = match value {
                    Some(v) => scores.insert(item.clone(), v),
                    None => scores.remove(&item),
                };
                Edit::Score { target, item, value: old }
            }
            Edit::Checked { item, element, on } => change_item(e, item, |n| {
                n.checked.retain(|x| x != &element);
                if on {
                    n.checked.push(element);
                }
            }),
            Edit::Input { item, input, value } => change_item(e, item, |n| match value {
                Some(v) => {
                    n.inputs.insert(input, v);
                }
                None => {
                    n.inputs.remove(&input);
                }
            }),
            Edit::Rows { item, rows } => change_item(e, item, |n| n.rows = rows),
            Edit::Note { item, field, text } => change_item(e, item, |n| match field {
                NoteField::Rationale => n.rationale = text,
                NoteField::Recommendation => n.recommendation = text,
                NoteField::OverrideReason => n.override_reason = text,
            }),
            Edit::Source { item, source, on } => change_item(e, item, |n| {
                n.sources.retain(|x| x != &source);
                if on {
                    n.sources.push(source);
                }
            }),
            Edit::Item { item, notes } => {
                let old = match notes.filter(|n| !n.is_empty()) {
                    Some(n) => e.items.insert(item.clone(), n),
                    None => e.items.remove(&item),
                };
                Edit::Item { item, notes: old }
            }
            Edit::AddReviewer { name } => {
                let old = e.reviewers.clone();
                e.reviewers.push(Reviewer { name, ..Reviewer::default() });
                Edit::Reviewers(old)
            }
            Edit::ReviewerDone { index, done } => {
                let old = e.reviewers.clone();
                if let Some(r) = e.reviewers.get_mut(index) {
                    r.done = done;
                }
                Edit::Reviewers(old)
            }
            Edit::Reviewers(reviewers) => Edit::Reviewers(std::mem::replace(&mut e.reviewers, reviewers)),
            Edit::AddAction(action) => {
                let inverse = plan_inverse(e);
                e.actions.push(action);
                inverse
            }
            Edit::SetAction { index, action } => {
                let inverse = plan_inverse(e);
                if let Some(a) = e.actions.get_mut(index) {
                    *a = action;
                }
                inverse
            }
            Edit::ActionText { index, what, owner } => {
                let inverse = plan_inverse(e);
                if let Some(a) = e.actions.get_mut(index) {
                    a.what = what;
                    a.owner = owner;
                }
                inverse
            }
            Edit::RemoveAction { index } => {
                let inverse = plan_inverse(e);
                if index < e.actions.len() {
                    e.actions.remove(index);
                }
                inverse
            }
            Edit::Actions { actions, drafted } => {
                let inverse = plan_inverse(e);
                e.actions = actions;
                e.plan_drafted = drafted;
                inverse
            }
            Edit::Accuracy(comments) => Edit::Accuracy(std::mem::replace(&mut e.accuracy, comments)),
            Edit::PlanDelivered(day) => Edit::PlanDelivered(std::mem::replace(&mut e.plan_delivered, day)),
            Edit::Batch(edits) => {
                let mut inverses: Vec<Edit> = edits.into_iter().map(|x| x.apply(e)).collect();
                inverses.reverse();
                Edit::Batch(inverses)
            }
        }
    }
}

/// Runs `f` with the notes of `target` in the review's `items`: a reviewer's own notes in
/// their mode, so every note edit, its inverse and the proposals work on that reviewer's
/// rationale, ticks and figures with one code path.
pub fn with_notes_of<R>(e: &mut Evaluation, target: ScoreTarget, f: impl FnOnce(&mut Evaluation) -> R) -> R {
    let ScoreTarget::Reviewer(i) = target else {
        return f(e);
    };
    if i >= e.reviewers.len() {
        return f(e);
    }
    let own = std::mem::take(&mut e.reviewers[i].items);
    let agreed = std::mem::replace(&mut e.items, own);
    let out = f(e);
    // The agreed notes come back whatever `f` did to the reviewers (an undo may remove the
    // very reviewer whose notes were edited).
    let own = std::mem::replace(&mut e.items, agreed);
    if let Some(r) = e.reviewers.get_mut(i) {
        r.items = own;
    }
    out
}

/// Applies one step of edits (all a user did in one frame) and returns its inverse. A score
/// that followed its item's proposal (not set, or equal to the proposal before the step)
/// follows the new proposal when ticks or figures change it, in the same step: one rule,
/// for every view that edits ticks or figures.
pub fn apply_step(e: &mut Evaluation, scale: &Scale, target: ScoreTarget, edits: Vec<Edit>) -> Edit {
    with_notes_of(e, target, |e| apply_step_here(e, scale, target, edits))
}

fn apply_step_here(e: &mut Evaluation, scale: &Scale, target: ScoreTarget, edits: Vec<Edit>) -> Edit {
    let touched: Vec<String> = edits.iter().flat_map(touched_items).collect();
    let before: Vec<Option<u8>> = touched.iter().map(|id| e.proposed_score(scale, id)).collect();
    let mut inverses: Vec<Edit> = edits.into_iter().map(|x| x.apply(e)).collect();
    for (id, old) in touched.iter().zip(before) {
        let new = e.proposed_score(scale, id);
        let current = match target {
            ScoreTarget::Consensus => e.scores.get(id).copied(),
            ScoreTarget::Reviewer(i) => e.reviewers.get(i).and_then(|r| r.scores.get(id).copied()),
        };
        if new.is_some() && new != old && (current.is_none() || current == old) {
            inverses.push(Edit::Score { target, item: id.clone(), value: new }.apply(e));
        }
    }
    inverses.reverse();
    match inverses.len() {
        1 => inverses.pop().unwrap_or(Edit::Batch(Vec::new())),
        _ => Edit::Batch(inverses),
    }
}

/// The items whose proposal an edit may change.
fn touched_items(edit: &Edit) -> Vec<String> {
    match edit {
        Edit::Checked { item, .. } | Edit::Input { item, .. } | Edit::Rows { item, .. } => vec![item.clone()],
        Edit::Batch(edits) => edits.iter().flat_map(touched_items).collect(),
        _ => Vec::new(),
    }
}

fn plan_inverse(e: &Evaluation) -> Edit {
    Edit::Actions { actions: e.actions.clone(), drafted: e.plan_drafted }
}

/// Changes one item's notes; an item with nothing recorded keeps no entry, so files stay tidy.
fn change_item(e: &mut Evaluation, item: String, change: impl FnOnce(&mut ItemNotes)) -> Edit {
    let old = e.items.get(&item).cloned();
    let mut notes = old.clone().unwrap_or_default();
    change(&mut notes);
    if notes.is_empty() {
        e.items.remove(&item);
    } else {
        e.items.insert(item.clone(), notes);
    }
    Edit::Item { item, notes: old }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::EvaluationType;
    use crate::service::ScaleSet;
    use chrono::NaiveDate;

    #[test]
    fn a_reviewer_records_their_own_notes_and_the_proposal_follows_their_ticks() {
        let scales = ScaleSet::builtin().0;
        let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let mut e = review();
        let kari = ScoreTarget::Reviewer(0);
        let edits = vec![
            Edit::Note { item: "O5".into(), field: NoteField::Rationale, text: "Kari alene".into() },
            Edit::Checked { item: "O5".into(), element: "dedicated_leader".into(), on: true },
            Edit::Checked { item: "O5".into(), element: "weekly_group_supervision".into(), on: true },
        ];
        let undo = apply_step(&mut e, &scale, kari, edits);
        let own = &e.reviewers[0].items["O5"];
        assert_eq!((own.rationale.as_str(), own.checked.len()), ("Kari alene", 2));
        assert!(!e.items.contains_key("O5"), "the agreed notes are untouched");
        assert_eq!(e.reviewers[0].scores.get("O5"), Some(&2), "her score follows her ticks");
        assert_eq!(e.scores.get("O5"), None);
        with_notes_of(&mut e, kari, |e| undo.apply(e));
        assert!(e.reviewers[0].items.is_empty() && !e.reviewers[0].scores.contains_key("O5"), "undone");
    }

    #[test]
    fn the_agreed_notes_survive_an_edit_that_removes_the_reviewer_being_edited_as() {
        let mut e = review();
        e.items.entry("B1".into()).or_default().rationale = "Omforent".into();
        e.reviewers.push(Reviewer { name: "Per".into(), ..Reviewer::default() });
        e.reviewers[1].items.entry("B1".into()).or_default().rationale = "Pers egen".into();
        let only_kari = vec![e.reviewers[0].clone()];
        with_notes_of(&mut e, ScoreTarget::Reviewer(1), |e| Edit::Reviewers(only_kari).apply(e));
        assert_eq!(e.items["B1"].rationale, "Omforent");
        assert_eq!(e.reviewers.len(), 1);
    }

    fn review() -> Evaluation {
        let scales = ScaleSet::builtin().0;
        let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let mut e = Evaluation::new(&scale, "S", NaiveDate::default(), EvaluationType::Independent);
        e.reviewers.push(Reviewer { name: "Kari".into(), ..Reviewer::default() });
        e.scores.insert("B1".into(), 3);
        e
    }

    /// Every edit, applied and then undone, gives back the review exactly.
    #[test]
    fn every_edit_inverts_exactly() {
        let edits = vec![
            Edit::Score { target: ScoreTarget::Consensus, item: "B1".into(), value: Some(5) },
            Edit::Score { target: ScoreTarget::Consensus, item: "B1".into(), value: None },
            Edit::Score { target: ScoreTarget::Reviewer(0), item: "B2".into(), value: Some(2) },
            Edit::Checked { item: "O2".into(), element: "weekly_meetings".into(), on: true },
            Edit::Input { item: "B1".into(), input: "job_seekers".into(), value: Some(InputValue::Number(40.0)) },
            Edit::Rows {
                item: "T6".into(),
                rows: vec![BTreeMap::from([("contacts_per_week".to_string(), InputValue::Number(5.0))])],
            },
            Edit::Note { item: "B3".into(), field: NoteField::Rationale, text: "Alle faser".into() },
            Edit::Source { item: "B3".into(), source: "INT".into(), on: true },
            Edit::AddReviewer { name: "Silje".into() },
            Edit::ReviewerDone { index: 0, done: true },
            Edit::AddAction(Action { id: "a1".into(), what: "Tiltak".into(), ..Action::default() }),
        ];
        for edit in edits {
            let mut e = review();
            let before = e.clone();
            let inverse = edit.clone().apply(&mut e);
            assert_ne!(e, before, "{edit:?} changed nothing");
            let redo = inverse.apply(&mut e);
            assert_eq!(e, before, "undo of {edit:?}");
            redo.apply(&mut e);
            assert_ne!(e, before, "redo of {edit:?}");
        }
    }

    #[test]
    fn edits_of_what_is_not_there_change_nothing() {
        for edit in [
            Edit::Score { target: ScoreTarget::Reviewer(7), item: "B2".into(), value: Some(2) },
            Edit::RemoveAction { index: 9 },
            Edit::SetAction { index: 3, action: Action::default() },
        ] {
            let mut e = review();
            let before = e.clone();
            let inverse = edit.apply(&mut e);
            assert_eq!(e, before);
            inverse.apply(&mut e);
            assert_eq!(e, before);
        }
    }

    #[test]
    fn an_item_with_nothing_recorded_keeps_no_entry() {
        let mut e = review();
        let undo = Edit::Note { item: "B3".into(), field: NoteField::Rationale, text: "x".into() }.apply(&mut e);
        assert!(e.items.contains_key("B3"));
        Edit::Note { item: "B3".into(), field: NoteField::Rationale, text: String::new() }.apply(&mut e);
        assert!(!e.items.contains_key("B3"));
        undo.apply(&mut e);
        assert!(!e.items.contains_key("B3"));
    }

    #[test]
    fn a_score_follows_its_proposal_until_the_reviewer_chooses() {
        let scales = ScaleSet::builtin().0;
        let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let mut e = review();
        let tick = |el: &str| Edit::Checked { item: "O2".into(), element: el.into(), on: true };
        let ids: Vec<String> = match &scale.item("O2").map(|i| &i.kind) {
            Some(crate::scale::ItemKind::Checklist(c)) => c.elements.iter().map(|x| x.id.clone()).collect(),
            _ => panic!("O2 is a checklist"),
        };
        apply_step(&mut e, &scale, ScoreTarget::Consensus, vec![tick(&ids[0]), tick(&ids[1])]);
        assert_eq!(e.scores.get("O2"), Some(&2));
        let undo = apply_step(&mut e, &scale, ScoreTarget::Consensus, vec![tick(&ids[2])]);
        assert_eq!(e.scores.get("O2"), Some(&3), "follows");
        undo.apply(&mut e);
        assert_eq!(e.scores.get("O2"), Some(&2), "one undo step takes back the tick and the score");
        assert_eq!(e.items.get("O2").map(|n| n.checked.len()), Some(2));
        // The reviewer chooses 5: the score no longer follows.
        apply_step(
            &mut e,
            &scale,
            ScoreTarget::Consensus,
            vec![Edit::Score { target: ScoreTarget::Consensus, item: "O2".into(), value: Some(5) }],
        );
        apply_step(&mut e, &scale, ScoreTarget::Consensus, vec![tick(&ids[3])]);
        assert_eq!(e.scores.get("O2"), Some(&5));
    }

    #[test]
    fn a_batch_undoes_in_reverse_order() {
        let mut e = review();
        let before = e.clone();
        let batch = Edit::Batch(vec![
            Edit::Score { target: ScoreTarget::Consensus, item: "B1".into(), value: Some(4) },
            Edit::Score { target: ScoreTarget::Consensus, item: "B1".into(), value: Some(5) },
        ]);
        let undo = batch.apply(&mut e);
        assert_eq!(e.scores.get("B1"), Some(&5));
        undo.apply(&mut e);
        assert_eq!(e, before);
    }
}
