//! The meeting pack: what the styringsgruppe looks at when it meets (the service's status
//! as portefølje / resultater / ressurser, the handlingsplan and its follow-up, the latest
//! review, the last meeting's decisions and the agenda), as plain data for the PDF.

use chrono::NaiveDate;

use crate::evaluation::{ActionStatus, EvaluationType, ReviewStatus};
use crate::lifecycle::status_of;
use crate::meetings::Meeting;
use crate::outcomes::QuarterFigures;
use crate::plan::{is_overdue_on, status_on};
use crate::service::ScaleSet;
use crate::service::Service;
use ips_text::text::Lang;

/// The latest review as the pack shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PackReview {
    pub date: NaiveDate,
    pub status: ReviewStatus,
    pub total: Option<u32>,
    pub max: u32,
    pub band: Option<String>,
    /// The weakest items: (id, name, score), lowest first.
    pub weakest: Vec<(String, String, u8)>,
}

/// One action of the current handlingsplan with its follow-up.
#[derive(Debug, Clone, PartialEq)]
pub struct PackAction {
    pub what: String,
    pub item: Option<String>,
    pub owner: String,
    pub deadline: Option<NaiveDate>,
    pub status: ActionStatus,
    pub overdue: bool,
    /// The latest progress note.
    pub last_note: Option<(NaiveDate, String)>,
}

/// Everything the meeting pack shows, computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingPack {
    pub service: String,
    pub date: NaiveDate,
    pub scale_name: String,
    pub meetings_per_year: u32,
    pub target_reached: bool,
    pub target_band: String,
    pub agenda: Vec<String>,
    /// The last four quarters with figures up to the meeting, oldest first.
    pub quarters: Vec<QuarterFigures>,
    pub benchmark_rate: Option<f64>,
    pub benchmark_per_fte: Option<f64>,
    /// Whom the benchmark rate counts and whom these quarters count
    /// ([`crate::outcomes::basis_note`]).
    pub basis_note: Option<String>,
    pub review: Option<PackReview>,
    pub actions: Vec<PackAction>,
    /// The last meeting before this one.
    pub previous: Option<Meeting>,
    /// This meeting, if it is already recorded (attendees, decisions).
    pub this: Option<Meeting>,
    pub next_review_due: Option<NaiveDate>,
    pub next_meeting_due: Option<NaiveDate>,
}

/// Builds the pack for the service's meeting on `date`, from what is known on that day.
pub fn pack(service: &Service, scales: &ScaleSet, date: NaiveDate, lang: Lang) -> MeetingPack {
    let facts = crate::history::review_facts(service, scales);
    let latest =
        facts.iter().filter(|f| f.kind == EvaluationType::Independent && f.date <= date).max_by_key(|f| f.date);
    let latest_eval = latest.and_then(|f| service.evaluations.get(f.index)).map(|r| &r.evaluation);
    let scale = latest_eval.and_then(|e| scales.for_evaluation(e)).or_else(|| scales.default_scale());
    let overview = crate::trends::overview_of(service, &facts, scales, date);
    let review = latest.zip(latest_eval).zip(scale).map(|((f, e), scale)| {
        let mut scored: Vec<(String, String, u8)> = scale
            .items
            .iter()
            .filter_map(|i| e.scores.get(&i.id).map(|&s| (i.id.clone(), i.name.get(lang).to_string(), s)))
            .filter(|(_, _, s)| scale.is_weak(*s))
            .collect();
        scored.sort_by_key(|(_, _, s)| *s);
        scored.truncate(5);
        PackReview {
            date: f.date,
            status: status_of(e),
            total: f.summary.complete_total(),
            max: f.summary.max,
            band: f.summary.band(scale).map(|b| b.label.get(lang).to_string()),
            weakest: scored,
        }
    });
    // The plan in force on the meeting's day, by the one definition the overview uses.
    let actions = crate::plan::current_plan(service, date)
        .map(|r| &r.evaluation)
        .map(|e| {
            e.actions
                .iter()
                .map(|a| PackAction {
                    what: a.what.clone(),
                    item: a.item.clone(),
                    owner: a.owner.clone(),
                    deadline: a.deadline,
                    status: status_on(a, date),
                    overdue: is_overdue_on(a, date),
                    last_note: a
                        .progress
                        .iter()
                        .filter(|n| n.date <= date)
                        .max_by_key(|n| n.date)
                        .map(|n| (n.date, n.text.clone())),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut quarters: Vec<QuarterFigures> =
        service.outcomes.iter().filter(|q| q.period.start() <= date).cloned().collect();
    let skip = quarters.len().saturating_sub(4);
    quarters.drain(..skip);
    let schedule = overview.schedule.as_ref();
    MeetingPack {
        service: service.info.name.clone(),
        date,
        scale_name: scale.map(|s| s.name.get(lang).to_string()).unwrap_or_default(),
        meetings_per_year: schedule.map_or_else(
            || scale.map_or(4, |s| s.cadence.meetings_per_year(false)),
            |s| s.steering_group.meetings_per_year,
        ),
        target_reached: schedule.is_some_and(|s| s.steering_group.target_reached),
        target_band: scale
            .and_then(|s| s.bands.get(s.cadence.target_band))
            .map(|b| b.label.get(lang).to_string())
            .unwrap_or_default(),
        agenda: scale.map(|s| s.cadence.agenda.iter().map(|t| t.get(lang).to_string()).collect()).unwrap_or_default(),
        basis_note: crate::outcomes::basis_note(
            scale.and_then(|s| s.outcome_benchmarks.employment_rate_definition.as_ref()).map(|t| t.get(lang)),
            &quarters,
            lang,
        ),
        quarters,
        benchmark_rate: scale.and_then(|s| s.outcome_benchmarks.employment_rate),
        benchmark_per_fte: scale.and_then(|s| s.outcome_benchmarks.job_seekers_per_fte_max),
        review,
        actions,
        previous: service.meetings.iter().filter(|m| m.date < date).max_by_key(|m| m.date).cloned(),
        this: service.meetings.iter().find(|m| m.date == date).cloned(),
        next_review_due: schedule.and_then(|s| s.next_review.as_ref()).map(|r| r.due),
        next_meeting_due: schedule.and_then(|s| s.steering_group.next_meeting),
    }
}
