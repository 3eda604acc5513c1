//! A review's cycle: `planned` → `scoring` → `draft` → `final`, the rules for moving between
//! them, the lock on a final review, the audit trail, and the deadlines the scale's cadence
//! sets (the final report N weeks after the visit, the handlingsplan M weeks after the final
//! report). Every write of a review goes through [`check_write`] in the workspace, so the
//! lock holds for the app, the command line, imports and restores alike.

use chrono::{Days, NaiveDate, NaiveDateTime};

use crate::evaluation::{Action, AuditChange, AuditEntry, Evaluation, ReviewStatus};
use crate::scale::Scale;
use ips_text::i18n::Msg;

/// Why a status change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusRefusal {
    /// Leaving `final` needs a reason, which goes into the audit trail.
    ReasonNeeded,
    /// A review with scores cannot go back to `planned`.
    AlreadyScored,
    /// A review goes `final` only with every item's agreed score.
    Incomplete { missing: Vec<String> },
    /// The file's status says otherwise than its audit trail, whose last change made it
    /// final: the status was edited by hand, which cannot unlock it.
    EditedByHand { written: ReviewStatus },
}

impl StatusRefusal {
    pub fn msg(&self) -> Msg {
        match self {
            StatusRefusal::ReasonNeeded => ips_text::msg!("core.status.reason_needed"),
            StatusRefusal::AlreadyScored => ips_text::msg!("core.status.already_scored"),
            StatusRefusal::Incomplete { missing } => {
                ips_text::msg!("core.status.incomplete", count = missing.len(), items = missing.join(", "))
            }
            StatusRefusal::EditedByHand { written } => {
                ips_text::msg!("core.status.edited_by_hand", written = written.code())
            }
        }
    }
}

/// Who made a change and when (local time, to the second). The front ends make it from
/// the logged-in user and the clock (`ips_store::store::signature_now`); the domain never reads either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub by: String,
    pub at: NaiveDateTime,
}

/// The status the audit trail gives: where its last change of status went.
pub fn trail_status(e: &Evaluation) -> Option<ReviewStatus> {
    e.audit.iter().rev().find_map(|a| match a.change {
        AuditChange::Status { to, .. } => Some(to),
        AuditChange::Score { .. } => None,
    })
}

/// The status a review is edited under (files from before statuses count as `scoring`).
/// A review whose trail made it final, with no later reopening, is final whatever its
/// status field says: the lock follows the trail, not a field anyone can edit.
pub fn status_of(e: &Evaluation) -> ReviewStatus {
    if trail_status(e) == Some(ReviewStatus::Final) {
        return ReviewStatus::Final;
    }
    e.status.unwrap_or_default()
}

/// Whether the file's status field was edited by hand against its trail (see [`status_of`]).
pub fn edited_by_hand(e: &Evaluation) -> bool {
    trail_status(e) == Some(ReviewStatus::Final) && e.status != Some(ReviewStatus::Final)
}

/// Whether the review is locked: scores, rationale and a delivered plan cannot change.
pub fn is_final(e: &Evaluation) -> bool {
    status_of(e) == ReviewStatus::Final
}

/// Moves the review to `to`, recording it in the audit trail. Returns `Ok(false)` when the
/// review already has that status (nothing changes).
pub fn set_status(
    e: &mut Evaluation,
    scale: &Scale,
    to: ReviewStatus,
    reason: &str,
    stamp: &Signature,
) -> Result<bool, StatusRefusal> {
    let from = status_of(e);
    let reason = reason.trim();
    // A status edited by hand against the trail is still final: leaving it is a reopening,
    // with a reason like any other.
    let by_hand = edited_by_hand(e);
    if by_hand && reason.is_empty() {
        return Err(StatusRefusal::EditedByHand { written: e.status.unwrap_or_default() });
    }
    if e.status == Some(to) && !by_hand {
        return Ok(false);
    }
    if from == ReviewStatus::Final && reason.is_empty() {
        return Err(StatusRefusal::ReasonNeeded);
    }
    if to == ReviewStatus::Planned && (!e.scores.is_empty() || e.reviewers.iter().any(|r| !r.scores.is_empty())) {
        return Err(StatusRefusal::AlreadyScored);
    }
    if to == ReviewStatus::Final {
        let missing: Vec<String> =
            scale.items.iter().filter(|i| !e.scores.contains_key(&i.id)).map(|i| i.id.clone()).collect();
        if !missing.is_empty() {
            return Err(StatusRefusal::Incomplete { missing });
        }
    }
    e.status = Some(to);
    e.audit.push(AuditEntry {
        at: stamp.at,
        by: stamp.by.clone(),
        change: AuditChange::Status { from, to },
        reason: reason.to_string(),
    });
    Ok(true)
}

/// An action as the plan states it, without its follow-up.
fn plan_part(a: &Action) -> Action {
    Action { progress: Vec::new(), status_changes: Vec::new(), status: Default::default(), ..a.clone() }
}

/// What a final review fixes: everything but its status, trail, the plan's follow-up and,
/// until the plan is delivered, the plan itself.
fn locked_part(e: &Evaluation, plan_open: bool) -> Evaluation {
    let mut l = e.clone();
    l.status = None;
    l.audit.clear();
    l.plan_delivered = None;
    if plan_open {
        l.actions.clear();
        l.plan_drafted = false;
    } else {
        l.actions = e.actions.iter().map(plan_part).collect();
    }
    l
}

/// Checks a write of `new` over `old` (the review as it is on disk), and completes `new`'s
/// audit trail: entries on disk are kept (the trail only grows), and agreed scores changed
/// while the review is a draft are recorded. Refused, with why, when `old` is final and the
/// write changes what final fixes, or leaves `final` without a reason in the trail.
pub fn check_write(old: &Evaluation, new: &mut Evaluation, stamp: &Signature) -> Result<(), Msg> {
    // The trail only grows: entries written by someone else are kept.
    let mut trail = old.audit.clone();
    for entry in &new.audit {
        if !trail.contains(entry) {
            trail.push(entry.clone());
        }
    }
    new.audit = trail;
    // A status changed against a trail that says final is refused. One the file on disk
    // already carries (edited by hand there) is put back instead: the review stays final
    // (its lock applies below), and what a final review allows is still saved.
    if edited_by_hand(new) {
        if edited_by_hand(old) && new.status == old.status {
            new.status = Some(ReviewStatus::Final);
        } else {
            let written = new.status.unwrap_or_default().code();
            return Err(ips_text::msg!("core.status.edited_by_hand", written = written));
        }
    }
    let was = status_of(old);
    if was == ReviewStatus::Final {
        let plan_open = old.plan_delivered.is_none();
        if locked_part(old, plan_open) != locked_part(new, plan_open)
            || (old.plan_delivered.is_some() && new.plan_delivered != old.plan_delivered)
        {
            return Err(ips_text::msg!("core.status.locked"));
        }
        if status_of(new) != ReviewStatus::Final {
            let reopened = new.audit.iter().rev().find(
                |a| matches!(&a.change, AuditChange::Status { from: ReviewStatus::Final, to } if *to == status_of(new)),
            );
            if !reopened.is_some_and(|a| !a.reason.trim().is_empty() && !old.audit.contains(a)) {
                return Err(ips_text::msg!("core.status.reason_needed"));
            }
        }
    }
    // Scoring a planned review starts its scoring.
    let scored = !new.scores.is_empty() || new.reviewers.iter().any(|r| !r.scores.is_empty());
    if was == ReviewStatus::Planned && new.status == Some(ReviewStatus::Planned) && scored {
        new.status = Some(ReviewStatus::Scoring);
        new.audit.push(AuditEntry {
            at: stamp.at,
            by: stamp.by.clone(),
            change: AuditChange::Status { from: ReviewStatus::Planned, to: ReviewStatus::Scoring },
            reason: String::new(),
        });
    }
    // A status changed by another path (a restored version, a hand-edited file) is
    // recorded too: the trail shows every change of status.
    let now = status_of(new);
    let recorded = new
        .audit
        .iter()
        .skip(old.audit.len())
        .any(|a| matches!(a.change, AuditChange::Status { from, to } if from == was && to == now));
    if now != was && !recorded {
        new.audit.push(AuditEntry {
            at: stamp.at,
            by: stamp.by.clone(),
            change: AuditChange::Status { from: was, to: now },
            reason: String::new(),
        });
    }
    if was == ReviewStatus::Draft {
        let items: std::collections::BTreeSet<&String> = old.scores.keys().chain(new.scores.keys()).collect();
        for item in items {
            let (from, to) = (old.scores.get(item).copied(), new.scores.get(item).copied());
            if from != to {
                new.audit.push(AuditEntry {
                    at: stamp.at,
                    by: stamp.by.clone(),
                    change: AuditChange::Score { item: item.clone(), from, to },
                    reason: String::new(),
                });
            }
        }
    }
    Ok(())
}

/// When the review went final (the latest such entry in the trail).
pub fn final_date(e: &Evaluation) -> Option<NaiveDate> {
    if !is_final(e) {
        return None;
    }
    e.audit.iter().rev().find_map(|a| match a.change {
        AuditChange::Status { to: ReviewStatus::Final, .. } => Some(a.at.date()),
        _ => None,
    })
}

/// A deadline and whether it has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub due: NaiveDate,
    pub overdue: bool,
}

/// The deadlines of one review that are still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewDeadlines {
    /// The final report, N weeks after the visit, while the review is not final.
    pub report: Option<Deadline>,
    /// The handlingsplan, M weeks after the visit (as IPS Grow counts it), until it is
    /// delivered.
    pub plan: Option<Deadline>,
}

fn weeks_after(date: NaiveDate, weeks: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(weeks) * 7)).unwrap_or(NaiveDate::MAX)
}

/// When the final report is due: `report_due_weeks` after the visit.
pub fn report_due(e: &Evaluation, scale: &Scale) -> Option<NaiveDate> {
    scale.cadence.report_due_weeks.map(|w| weeks_after(e.date, w))
}

/// When the handlingsplan is due: `plan_due_weeks` after the visit (IPS Grow counts both
/// deadlines from the visit).
pub fn plan_due(e: &Evaluation, scale: &Scale) -> Option<NaiveDate> {
    scale.cadence.plan_due_weeks.map(|w| weeks_after(e.date, w))
}

/// The review's open deadlines. Reviews from before statuses existed have none.
pub fn deadlines(e: &Evaluation, scale: &Scale, today: NaiveDate) -> ReviewDeadlines {
    let mut out = ReviewDeadlines::default();
    let Some(status) = e.status else {
        return out;
    };
    if status != ReviewStatus::Final {
        if status != ReviewStatus::Planned || e.date < today {
            out.report = report_due(e, scale).map(|due| Deadline { due, overdue: today > due });
        }
    } else if e.plan_delivered.is_none() {
        out.plan = plan_due(e, scale).map(|due| Deadline { due, overdue: today > due });
    }
    out
}

/// Actions past their deadline on `today` and not done ([`crate::plan::is_overdue_on`]).
pub fn overdue_actions(e: &Evaluation, today: NaiveDate) -> impl Iterator<Item = &Action> {
    e.actions.iter().filter(move |a| crate::plan::is_overdue_on(a, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{ActionStatus, EvaluationType};
    use crate::service::ScaleSet;

    fn scale() -> Scale {
        ScaleSet::builtin().0.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"))
    }

    fn stamp(day: u32) -> Signature {
        let at = NaiveDate::from_ymd_opt(2026, 5, day).and_then(|d| d.and_hms_opt(10, 0, 0)).unwrap_or_default();
        Signature { by: "kari".into(), at }
    }

    fn complete(scale: &Scale) -> Evaluation {
        let date = NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default();
        let mut e = Evaluation::new(scale, "S", date, EvaluationType::Independent);
        for i in &scale.items {
            e.scores.insert(i.id.clone(), 4);
        }
        e
    }

    #[test]
    fn final_needs_every_score_and_leaving_it_a_reason() {
        let s = scale();
        let mut e = complete(&s);
        e.scores.remove("T14");
        let refused = set_status(&mut e, &s, ReviewStatus::Final, "", &stamp(1));
        assert_eq!(refused, Err(StatusRefusal::Incomplete { missing: vec!["T14".into()] }));
        e.scores.insert("T14".into(), 3);
        assert_eq!(set_status(&mut e, &s, ReviewStatus::Final, "", &stamp(2)), Ok(true));
        assert_eq!(set_status(&mut e, &s, ReviewStatus::Final, "", &stamp(2)), Ok(false), "already final");
        assert_eq!(set_status(&mut e, &s, ReviewStatus::Draft, "  ", &stamp(3)), Err(StatusRefusal::ReasonNeeded));
        assert_eq!(set_status(&mut e, &s, ReviewStatus::Draft, "Feil i T6", &stamp(3)), Ok(true));
        assert_eq!(e.audit.len(), 2);
        assert_eq!(e.audit[1].reason, "Feil i T6");
        assert_eq!(
            set_status(&mut e, &s, ReviewStatus::Planned, "", &stamp(4)),
            Err(StatusRefusal::AlreadyScored),
            "a scored review is not planned"
        );
    }

    #[test]
    fn a_status_edited_by_hand_stays_final_until_reopened_with_a_reason() {
        let s = scale();
        let mut e = complete(&s);
        assert_eq!(set_status(&mut e, &s, ReviewStatus::Final, "", &stamp(2)), Ok(true));
        e.status = Some(ReviewStatus::Scoring);
        assert!(is_final(&e), "the trail says final");
        assert!(edited_by_hand(&e));
        let refused = set_status(&mut e, &s, ReviewStatus::Draft, "", &stamp(3));
        assert_eq!(refused, Err(StatusRefusal::EditedByHand { written: ReviewStatus::Scoring }));
        assert_eq!(set_status(&mut e, &s, ReviewStatus::Draft, "Rettet en feil", &stamp(3)), Ok(true));
        assert_eq!(status_of(&e), ReviewStatus::Draft);
        assert!(!edited_by_hand(&e));
    }

    #[test]
    fn a_final_review_refuses_changed_scores_and_a_reopen_without_reason() {
        let s = scale();
        let mut old = complete(&s);
        assert_eq!(set_status(&mut old, &s, ReviewStatus::Final, "", &stamp(2)), Ok(true));
        let mut new = old.clone();
        new.scores.insert("B1".into(), 1);
        assert!(check_write(&old, &mut new, &stamp(3)).is_err(), "scores are locked");
        let mut new = old.clone();
        new.items.entry("B1".into()).or_default().rationale = "endret".into();
        assert!(check_write(&old, &mut new, &stamp(3)).is_err(), "rationale is locked");
        let mut new = old.clone();
        new.status = Some(ReviewStatus::Draft);
        assert!(check_write(&old, &mut new, &stamp(3)).is_err(), "reopened by hand, no reason");
        let mut new = old.clone();
        assert_eq!(set_status(&mut new, &s, ReviewStatus::Draft, "Faktafeil", &stamp(3)), Ok(true));
        assert!(check_write(&old, &mut new, &stamp(3)).is_ok(), "reopened with a reason");
        // The plan is written after the final report, then fixed once delivered; its
        // follow-up goes on.
        let mut new = old.clone();
        new.actions.push(Action { id: "a1".into(), what: "Mer arbeidsgiverkontakt".into(), ..Action::default() });
        assert!(check_write(&old, &mut new, &stamp(4)).is_ok());
        new.plan_delivered = NaiveDate::from_ymd_opt(2026, 6, 1);
        let delivered = new.clone();
        let mut changed = delivered.clone();
        changed.actions[0].what = "Noe annet".into();
        assert!(check_write(&delivered, &mut changed, &stamp(5)).is_err(), "a delivered plan is locked");
        let mut follow_up = delivered.clone();
        follow_up.actions[0].status = ActionStatus::InProgress;
        follow_up.actions[0].progress.push(crate::evaluation::ProgressNote {
            date: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default(),
            text: "Startet".into(),
        });
        assert!(check_write(&delivered, &mut follow_up, &stamp(6)).is_ok(), "follow-up stays open");
    }

    #[test]
    fn score_changes_in_a_draft_are_recorded_and_the_trail_only_grows() {
        let s = scale();
        let mut old = complete(&s);
        assert_eq!(set_status(&mut old, &s, ReviewStatus::Draft, "", &stamp(2)), Ok(true));
        let mut new = old.clone();
        new.audit.clear();
        new.scores.insert("T6".into(), 3);
        assert!(check_write(&old, &mut new, &stamp(9)).is_ok());
        assert_eq!(new.audit.len(), 2, "{:?}", new.audit);
        assert_eq!(new.audit[1].change, AuditChange::Score { item: "T6".into(), from: Some(4), to: Some(3) });
        assert_eq!(new.audit[1].by, "kari");
    }

    #[test]
    fn scoring_a_planned_review_starts_its_scoring() {
        let s = scale();
        let date = NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default();
        let mut old = Evaluation::new(&s, "S", date, EvaluationType::Independent);
        old.status = Some(ReviewStatus::Planned);
        let mut figures = old.clone();
        figures
            .items
            .entry("B1".into())
            .or_default()
            .inputs
            .insert("job_seekers".into(), crate::scale::InputValue::Number(40.0));
        assert!(check_write(&old, &mut figures, &stamp(1)).is_ok());
        assert_eq!(figures.status, Some(ReviewStatus::Planned), "figures before the visit keep it planned");
        let mut scored = figures.clone();
        scored.scores.insert("B1".into(), 3);
        assert!(check_write(&figures, &mut scored, &stamp(2)).is_ok());
        assert_eq!(scored.status, Some(ReviewStatus::Scoring));
        assert_eq!(scored.audit.len(), 1);
    }

    #[test]
    fn a_status_changed_by_another_path_is_recorded_and_the_file_says_its_version() {
        let s = scale();
        let mut old = complete(&s);
        assert_eq!(old.needed_format_version(), 1, "a review without the cycle's fields stays version 1");
        assert_eq!(set_status(&mut old, &s, ReviewStatus::Draft, "", &stamp(2)), Ok(true));
        assert_eq!(old.needed_format_version(), 2);
        assert!(old.to_json().contains("\"format_version\": 2"), "older builds refuse it rather than drop the trail");
        // A restored version that says `scoring` over the draft: the change is in the trail.
        let mut restored = old.clone();
        restored.status = Some(ReviewStatus::Scoring);
        assert!(check_write(&old, &mut restored, &stamp(3)).is_ok());
        let last = restored.audit.last().map(|a| a.change.clone());
        assert_eq!(last, Some(AuditChange::Status { from: ReviewStatus::Draft, to: ReviewStatus::Scoring }));
    }

    #[test]
    fn deadlines_follow_the_cadence() {
        let s = scale();
        assert_eq!((s.cadence.report_due_weeks, s.cadence.plan_due_weeks), (Some(4), Some(6)), "scales/ips-25.json");
        let mut e = complete(&s);
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        assert_eq!(deadlines(&e, &s, day(6, 1)), ReviewDeadlines::default(), "no status: an old file");
        e.status = Some(ReviewStatus::Draft);
        let d = deadlines(&e, &s, day(5, 20));
        assert_eq!(d.report, Some(Deadline { due: day(5, 19), overdue: true }));
        assert_eq!(set_status(&mut e, &s, ReviewStatus::Final, "", &stamp(25)), Ok(true));
        let d = deadlines(&e, &s, day(7, 6));
        assert_eq!(d.report, None);
        // Counted from the visit (21.04), as IPS Grow counts it, not from the final report.
        assert_eq!(d.plan, Some(Deadline { due: day(6, 2), overdue: true }));
        e.plan_delivered = Some(day(6, 30));
        assert_eq!(deadlines(&e, &s, day(9, 1)), ReviewDeadlines::default());
    }
}
