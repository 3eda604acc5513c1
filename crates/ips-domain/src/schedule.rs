//! When the next review is due and how often the styringsgruppe should meet, from the
//! scale's cadence rules (data) and the service's history of independent reviews.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::scale::Scale;

/// What the next-review date is based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueBasis {
    /// No review yet: first review 6-9 months after the service started.
    FirstReview { start: NaiveDate },
    /// The latest complete independent review and whether it reached the target band.
    LastReview { date: NaiveDate, total: u32, target_reached: bool },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewDue {
    /// Ask for the review from this date (first review only).
    pub earliest: Option<NaiveDate>,
    pub due: NaiveDate,
    pub overdue: bool,
    pub interval_months: u32,
    pub basis: DueBasis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SteeringCadence {
    pub meetings_per_year: u32,
    pub target_reached: bool,
    /// The latest recorded styringsgruppe meeting.
    pub last_meeting: Option<NaiveDate>,
    /// The next meeting, 12 / `meetings_per_year` months after the last one (`None` until a
    /// first meeting is recorded).
    pub next_meeting: Option<NaiveDate>,
    pub meeting_overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// `None` when neither a start date nor a complete review is known.
    pub next_review: Option<ReviewDue>,
    pub steering_group: SteeringCadence,
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Computes the schedule. `reviews` are the service's complete independent reviews as
/// (date, total), in any order; self-assessments do not count. `meetings` are the dates of
/// the styringsgruppe's recorded meetings.
pub fn schedule(
    scale: &Scale,
    start: Option<NaiveDate>,
    reviews: &[(NaiveDate, u32)],
    meetings: &[NaiveDate],
    today: NaiveDate,
) -> Schedule {
    let c = &scale.cadence;
    let target = scale.target_total();
    let latest = reviews.iter().max_by_key(|(d, _)| *d).copied();
    let next_review = match (latest, start) {
        (Some((date, total)), _) => {
            let reached = total >= target;
            let interval = if reached { c.review_interval_after_target } else { c.review_interval_before_target };
            let due = add_months(date, interval);
            Some(ReviewDue {
                earliest: None,
                due,
                overdue: today > due,
                interval_months: interval,
                basis: DueBasis::LastReview { date, total, target_reached: reached },
            })
        }
        (None, Some(start)) => {
            let due = add_months(start, c.first_review_latest_months);
            Some(ReviewDue {
                earliest: Some(add_months(start, c.first_review_earliest_months)),
                due,
                overdue: today > due,
                interval_months: c.first_review_latest_months,
                basis: DueBasis::FirstReview { start },
            })
        }
        (None, None) => None,
    };
    let reached = latest.is_some_and(|(_, t)| t >= target);
    let per_year = c.meetings_per_year(reached);
    let last_meeting = meetings.iter().max().copied();
    // Whole months where the year divides evenly (4 a year: every 3 months), else days.
    let next_meeting = last_meeting.map(|d| {
        if 12 % per_year == 0 {
            add_months(d, 12 / per_year)
        } else {
            d.checked_add_days(chrono::Days::new(u64::from(365 / per_year))).unwrap_or(NaiveDate::MAX)
        }
    });
    Schedule {
        next_review,
        steering_group: SteeringCadence {
            meetings_per_year: per_year,
            target_reached: reached,
            last_meeting,
            next_meeting,
            meeting_overdue: next_meeting.is_some_and(|d| today > d),
        },
    }
}

/// The styringsgruppe's meetings in the 12 months before a review, held against the
/// cadence rule the meetings view uses ([`crate::scale::Cadence::meetings_per_year`]):
/// the basis for proposing the checklist element that asks for regular meetings (O8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingsBeforeReview {
    /// The first day counted; the review's own day is not.
    pub from: NaiveDate,
    pub review: NaiveDate,
    pub held: u32,
    pub required: u32,
    /// Whether the latest complete independent review before this one reached the target
    /// band (which lowers how often the group must meet).
    pub target_reached: bool,
}

impl MeetingsBeforeReview {
    pub fn met(&self) -> bool {
        self.held >= self.required
    }
}

/// Counts the meetings from 12 months before `review` up to the day before it. `reviews`
/// are the service's complete independent reviews as (date, total), as for [`schedule`];
/// only those before `review` decide whether the target was reached.
pub fn meetings_before_review(
    scale: &Scale,
    review: NaiveDate,
    reviews: &[(NaiveDate, u32)],
    meetings: &[NaiveDate],
) -> MeetingsBeforeReview {
    let from = review.checked_sub_months(Months::new(12)).unwrap_or(NaiveDate::MIN);
    let target_reached = reviews
        .iter()
        .filter(|(d, _)| *d < review)
        .max_by_key(|(d, _)| *d)
        .is_some_and(|(_, t)| *t >= scale.target_total());
    let held = meetings.iter().filter(|d| (from..review).contains(*d)).count();
    MeetingsBeforeReview {
        from,
        review,
        held: u32::try_from(held).unwrap_or(u32::MAX),
        required: scale.cadence.meetings_per_year(target_reached),
        target_reached,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::tests::tiny_scale;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn first_review_window() {
        let s = tiny_scale();
        let sch = schedule(&s, Some(d("2024-01-15")), &[], &[], d("2024-08-01"));
        let r = sch.next_review.unwrap_or_else(|| panic!("due"));
        assert_eq!(r.earliest, Some(d("2024-07-15")));
        assert_eq!(r.due, d("2024-10-15"));
        assert!(!r.overdue);
        assert!(schedule(&s, Some(d("2024-01-15")), &[], &[], d("2024-10-16")).next_review.is_some_and(|r| r.overdue));
        assert_eq!(sch.steering_group.meetings_per_year, 4);
    }

    #[test]
    fn six_months_until_target_then_twelve() {
        let s = tiny_scale(); // target band "good" starts at 12
        let below = schedule(&s, None, &[(d("2024-01-31"), 11)], &[], d("2024-05-01"));
        let r = below.next_review.unwrap_or_else(|| panic!("due"));
        assert_eq!(r.due, d("2024-07-31"));
        assert_eq!(r.interval_months, 6);
        assert_eq!(below.steering_group.meetings_per_year, 4);

        let at = schedule(&s, None, &[(d("2023-01-01"), 9), (d("2024-01-31"), 12)], &[], d("2025-02-01"));
        let r = at.next_review.unwrap_or_else(|| panic!("due"));
        assert_eq!(r.due, d("2025-01-31"));
        assert!(r.overdue);
        assert_eq!(at.steering_group.meetings_per_year, 2);
        assert!(at.steering_group.target_reached);
    }

    #[test]
    fn meetings_four_a_year_until_target_then_two() {
        let s = tiny_scale();
        let meetings = [d("2024-02-01"), d("2024-05-02")];
        let below = schedule(&s, None, &[(d("2024-01-31"), 11)], &meetings, d("2024-08-03"));
        assert_eq!(below.steering_group.next_meeting, Some(d("2024-08-02")));
        assert!(below.steering_group.meeting_overdue);
        let at = schedule(&s, None, &[(d("2024-01-31"), 12)], &meetings, d("2024-08-03"));
        assert_eq!(at.steering_group.next_meeting, Some(d("2024-11-02")));
        assert!(!at.steering_group.meeting_overdue);
        assert_eq!(schedule(&s, None, &[], &[], d("2024-01-01")).steering_group.next_meeting, None);
        // A number of meetings that does not divide the year: days, never the same day.
        let mut five = s.clone();
        five.cadence.meetings_before_target = 5;
        let sch = schedule(&five, None, &[(d("2024-01-31"), 11)], &meetings, d("2024-08-03"));
        assert_eq!(sch.steering_group.next_meeting, Some(d("2024-07-14")), "73 days after 2 May");
        five.cadence.meetings_before_target = 52;
        let sch = schedule(&five, None, &[(d("2024-01-31"), 11)], &meetings, d("2024-05-03"));
        assert_eq!(sch.steering_group.next_meeting, Some(d("2024-05-09")));
    }

    #[test]
    fn nothing_known() {
        let s = tiny_scale();
        let sch = schedule(&s, None, &[], &[], d("2024-01-01"));
        assert_eq!(sch.next_review, None);
        assert_eq!(sch.steering_group.meetings_per_year, 4);
    }

    #[test]
    fn meetings_before_a_review_follow_the_meetings_views_rule() {
        let s = tiny_scale();
        let meetings = [d("2024-03-01"), d("2024-06-01"), d("2024-09-01"), d("2024-12-01"), d("2025-03-01")];
        // Before the target: 4 a year; the window is the 12 months before, not the day itself.
        let m = meetings_before_review(&s, d("2025-03-01"), &[(d("2024-02-01"), 11)], &meetings);
        assert_eq!((m.from, m.held, m.required, m.target_reached, m.met()), (d("2024-03-01"), 4, 4, false, true));
        let m = meetings_before_review(&s, d("2024-12-01"), &[(d("2024-02-01"), 11)], &meetings);
        assert_eq!((m.held, m.met()), (3, false));
        // The target reached at the review before: 2 a year is enough; a later review does not count.
        let m = meetings_before_review(&s, d("2025-02-28"), &[(d("2024-02-01"), 12), (d("2025-06-01"), 9)], &meetings);
        assert_eq!((m.required, m.target_reached, m.met()), (2, true, true));
        // The same rule as the schedule's.
        let sch = schedule(&s, None, &[(d("2024-02-01"), 12)], &meetings, d("2025-02-28"));
        assert_eq!(sch.steering_group.meetings_per_year, m.required);
    }
}
