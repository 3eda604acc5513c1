//! Evaluations (one fidelity review of one service) and services, as stored in files.
//! A hand-written minimal file (`scale`, `service`, `date`, `scores`) loads; every other
//! field is optional. [`Evaluation::check`] validates an evaluation against its scale once,
//! at load, so an unknown item id or a score of 7 never reaches scoring or a view.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::scale::{DataFileError, InputKind, InputValue, ItemKind, Problem, Scale, parse_json};
use ips_text::text::Lang;

/// The years a review can be dated in: IPS came to Norway long after 1990, and a year past
/// 2100 is a typo. Checked for every review that comes in (`ScaleSet::check_incoming`) and
/// for a new review's date.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// The evaluation and service file format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The review file format of a review that uses the review cycle (status, audit trail,
/// factual-accuracy round, plan follow-up, reviewers' own notes). Such a file is written as
/// version 2, so an older build refuses it (and never overwrites it) instead of dropping
/// those fields when it saves; other reviews stay version 1. This build reads both.
pub const REVIEW_FORMAT_VERSION: u32 = 2;

fn format_version() -> u32 {
    FORMAT_VERSION
}

/// Item scores keyed by item id (`B1`..`T14`).
pub type Scores = BTreeMap<String, u8>;

/// An IPS service: the unit that is reviewed again and again.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServiceInfo {
    #[serde(default = "format_version")]
    pub format_version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nav_office: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_partners: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// The region (fylke) a resource centre groups services by.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// The health trust (helseforetak) the service works with.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub health_trust: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The language of this service's reports (a nynorsk municipality's service: `nn`);
    /// none: the user's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_lang: Option<ips_text::text::Lang>,
}

impl ServiceInfo {
    pub fn named(name: impl Into<String>) -> Self {
        ServiceInfo { format_version: FORMAT_VERSION, name: name.into(), ..ServiceInfo::default() }
    }

    /// The language a report of this service is written in: the one asked for (`--lang`),
    /// else the service's own, else the user's.
    pub fn report_language(
        &self,
        asked: Option<ips_text::text::Lang>,
        user: ips_text::text::Lang,
    ) -> ips_text::text::Lang {
        asked.or(self.report_lang).unwrap_or(user)
    }
}

/// In an evaluation file the service is its name, or (in a standalone file) its full record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ServiceRef {
    Name(String),
    Info(ServiceInfo),
}

impl ServiceRef {
    pub fn name(&self) -> &str {
        match self {
            ServiceRef::Name(n) => n,
            ServiceRef::Info(i) => &i.name,
        }
    }

    /// The full record, or one with only the name.
    pub fn info(&self) -> ServiceInfo {
        match self {
            ServiceRef::Name(n) => ServiceInfo::named(n.clone()),
            ServiceRef::Info(i) => i.clone(),
        }
    }
}

/// Independent review or self-assessment. They are kept apart everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationType {
    #[default]
    Independent,
    SelfAssessment,
}

impl EvaluationType {
    pub const ALL: [EvaluationType; 2] = [EvaluationType::Independent, EvaluationType::SelfAssessment];

    /// The code used in files, file names and CSV.
    pub fn code(self) -> &'static str {
        match self {
            EvaluationType::Independent => "independent",
            EvaluationType::SelfAssessment => "self_assessment",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        match s.trim() {
            "" | "independent" => Some(EvaluationType::Independent),
            "self_assessment" | "self-assessment" | "egenvurdering" => Some(EvaluationType::SelfAssessment),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            EvaluationType::Independent => ips_text::i18n::text(lang, "core.type.independent"),
            EvaluationType::SelfAssessment => ips_text::i18n::text(lang, "core.type.self_assessment"),
        }
    }
}

/// One reviewer's independent scores, with their own rationale, ticks and figures.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Reviewer {
    pub name: String,
    #[serde(default)]
    pub scores: Scores,
    /// The reviewer has finished scoring; the other's scores may then be shown.
    #[serde(default)]
    pub done: bool,
    /// What this reviewer recorded per item while scoring alone (the agreed notes are the
    /// review's `items`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<String, ItemNotes>,
}

/// What was recorded for one item.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ItemNotes {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rationale: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recommendation: String,
    /// Ticked checklist elements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checked: Vec<String>,
    /// Measured items' numbers and flags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, InputValue>,
    /// For items entered per row (e.g. T6 per employment specialist): each row's inputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<BTreeMap<String, InputValue>>,
    /// Why the score differs from the one the checklist or numbers propose.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub override_reason: String,
}

impl ItemNotes {
    pub fn is_empty(&self) -> bool {
        *self == ItemNotes::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    InProgress,
    Done,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 3] = [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ActionStatus::Open => ips_text::i18n::text(lang, "core.action.open"),
            ActionStatus::InProgress => ips_text::i18n::text(lang, "core.action.in_progress"),
            ActionStatus::Done => ips_text::i18n::text(lang, "core.action.done"),
        }
    }
}

/// A dated note on how an action is getting on (written between reviews).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressNote {
    pub date: NaiveDate,
    pub text: String,
}

/// When an action's status changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionStatusChange {
    pub date: NaiveDate,
    pub from: ActionStatus,
    pub to: ActionStatus,
}

/// One action (tiltak) of the handlingsplan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Action {
    #[serde(default)]
    pub id: String,
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    #[serde(default)]
    pub status: ActionStatus,
    /// Dated notes on the follow-up, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<ProgressNote>,
    /// Each status change with its date, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_changes: Vec<ActionStatusChange>,
}

/// Where a review is in its cycle: booked, being scored, sent to the service as a draft
/// report, or final (locked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Planned,
    #[default]
    Scoring,
    Draft,
    Final,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 4] =
        [ReviewStatus::Planned, ReviewStatus::Scoring, ReviewStatus::Draft, ReviewStatus::Final];

    /// The code used in files and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::Planned => "planned",
            ReviewStatus::Scoring => "scoring",
            ReviewStatus::Draft => "draft",
            ReviewStatus::Final => "final",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        ReviewStatus::ALL.into_iter().find(|st| st.code() == s.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ReviewStatus::Planned => ips_text::i18n::text(lang, "core.status.planned"),
            ReviewStatus::Scoring => ips_text::i18n::text(lang, "core.status.scoring"),
            ReviewStatus::Draft => ips_text::i18n::text(lang, "core.status.draft"),
            ReviewStatus::Final => ips_text::i18n::text(lang, "core.status.final"),
        }
    }
}

/// What an audit entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum AuditChange {
    /// The review's status changed.
    Status { from: ReviewStatus, to: ReviewStatus },
    /// An agreed score changed after the draft report was sent.
    Score { item: String, from: Option<u8>, to: Option<u8> },
}

/// One entry of a review's audit trail: who changed what, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Local time, to the second.
    pub at: chrono::NaiveDateTime,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(flatten)]
    pub change: AuditChange,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The reviewers' answer to a comment from the factual-accuracy round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccuracyAnswer {
    #[default]
    Pending,
    /// Accepted, and the report was changed.
    Accepted,
    /// The report was kept as it was (with why).
    Kept,
}

impl AccuracyAnswer {
    pub const ALL: [AccuracyAnswer; 3] = [AccuracyAnswer::Pending, AccuracyAnswer::Accepted, AccuracyAnswer::Kept];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AccuracyAnswer::Pending => ips_text::i18n::text(lang, "core.accuracy.pending"),
            AccuracyAnswer::Accepted => ips_text::i18n::text(lang, "core.accuracy.accepted"),
            AccuracyAnswer::Kept => ips_text::i18n::text(lang, "core.accuracy.kept"),
        }
    }
}

/// The service's comment on one item of the draft report, and the reviewers' answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccuracyComment {
    pub item: String,
    pub comment: String,
    #[serde(default)]
    pub answer: AccuracyAnswer,
    /// What was changed, or why the report was kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
}

/// What an item's ticks or figures propose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub item: String,
    /// The measured value (for rows: their mean), or the number of ticked elements; `None`
    /// while a figure is missing.
    pub value: Option<f64>,
    /// The proposed score; `None` while a figure is missing.
    pub proposed: Option<u8>,
}

/// One fidelity review of one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    #[serde(default = "format_version")]
    pub format_version: u32,
    pub scale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_version: Option<String>,
    pub service: ServiceRef,
    pub date: NaiveDate,
    #[serde(default, rename = "type")]
    pub kind: EvaluationType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<Reviewer>,
    /// The consensus (official) scores.
    #[serde(default)]
    pub scores: Scores,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<String, ItemNotes>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The handlingsplan was drafted from the recommendations (kept for files that have it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub plan_drafted: bool,
    /// Each time the review was re-scored on a newer scale version, when asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scale_changes: Vec<ScaleChange>,
    /// Where the review is in its cycle. Files written before statuses existed have none:
    /// they are edited as reviews being scored, with no deadlines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReviewStatus>,
    /// Status changes and agreed-score changes after the draft, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit: Vec<AuditEntry>,
    /// The factual-accuracy round: the service's comments on the draft report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accuracy: Vec<AccuracyComment>,
    /// The day the service delivered its handlingsplan; from then on the plan's actions are
    /// fixed in a final review (their follow-up goes on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_delivered: Option<NaiveDate>,
}

/// A review re-scored on another version of its scale, on request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleChange {
    /// The version it was scored on before (`None`: the file recorded none).
    pub from: Option<String>,
    pub to: String,
    pub date: NaiveDate,
    /// Who asked (login name), when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

impl Evaluation {
    /// A new empty evaluation of `service` on `scale`.
    pub fn new(scale: &Scale, service: &str, date: NaiveDate, kind: EvaluationType) -> Self {
        Evaluation {
            format_version: FORMAT_VERSION,
            scale: scale.id.clone(),
            scale_version: Some(scale.version.clone()),
            service: ServiceRef::Name(service.to_string()),
            date,
            kind,
            reviewers: Vec::new(),
            scores: Scores::new(),
            items: BTreeMap::new(),
            actions: Vec::new(),
            notes: String::new(),
            plan_drafted: false,
            scale_changes: Vec::new(),
            status: None,
            audit: Vec::new(),
            accuracy: Vec::new(),
            plan_delivered: None,
        }
    }

    /// Re-scores the review on another version of its scale, recording that it was done.
    /// Refused, with the problems, when the review does not fit that version.
    pub fn rescore_on(&mut self, scale: &Scale, date: NaiveDate, by: &str) -> Result<(), Vec<Problem>> {
        if scale.id != self.scale {
            let m = ips_text::msg!("core.eval.other_scale", scale = scale.id, own = self.scale);
            return Err(vec![Problem::new("scale", m)]);
        }
        let problems = self.check(scale);
        if !problems.is_empty() {
            return Err(problems);
        }
        self.scale_changes.push(ScaleChange {
            from: self.scale_version.clone(),
            to: scale.version.clone(),
            date,
            by: by.to_string(),
        });
        self.scale_version = Some(scale.version.clone());
        Ok(())
    }

    /// An empty stand-in, only to take an evaluation out of a record for a moment.
    pub fn placeholder() -> Self {
        Evaluation {
            format_version: FORMAT_VERSION,
            scale: String::new(),
            scale_version: None,
            service: ServiceRef::Name(String::new()),
            date: NaiveDate::default(),
            kind: EvaluationType::Independent,
            reviewers: Vec::new(),
            scores: Scores::new(),
            items: BTreeMap::new(),
            actions: Vec::new(),
            notes: String::new(),
            plan_drafted: false,
            scale_changes: Vec::new(),
            status: None,
            audit: Vec::new(),
            accuracy: Vec::new(),
            plan_delivered: None,
        }
    }

    /// Parses an evaluation file (syntax and types only; see [`Evaluation::check`]).
    pub fn from_json(file: &str, json: &str) -> Result<Evaluation, DataFileError> {
        let e: Evaluation = parse_json(file, json)?;
        if e.format_version > REVIEW_FORMAT_VERSION || e.format_version == 0 {
            let m = ips_text::msg!("core.format_version", found = e.format_version, supported = REVIEW_FORMAT_VERSION);
            return Err(DataFileError::single(file, "format_version", m));
        }
        Ok(e)
    }

    /// The file format version this review needs (see [`REVIEW_FORMAT_VERSION`]).
    pub fn needed_format_version(&self) -> u32 {
        let cycle = self.status.is_some()
            || !self.audit.is_empty()
            || !self.accuracy.is_empty()
            || self.plan_delivered.is_some()
            || self.actions.iter().any(|a| !a.progress.is_empty() || !a.status_changes.is_empty())
            || self.reviewers.iter().any(|r| !r.items.is_empty());
        if cycle { REVIEW_FORMAT_VERSION } else { FORMAT_VERSION }
    }

    /// Pretty JSON as written to disk, with the format version it needs.
    pub fn to_json(&self) -> String {
        let needed = self.needed_format_version();
        let text = if needed == self.format_version {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string_pretty(&Evaluation { format_version: needed, ..self.clone() })
        };
        // Serializing these plain types cannot fail; fall back to an empty object for safety.
        text.unwrap_or_else(|_| "{}".to_string()) + "\n"
    }

    /// The identity used by import: same service, date and type is the same evaluation.
    pub fn key(&self) -> (String, NaiveDate, EvaluationType) {
        (self.service.name().to_string(), self.date, self.kind)
    }

    /// Checks the evaluation against its scale: unknown item, element, input or source ids,
    /// and scores outside the scale's range. Returns every problem found.
    pub fn check(&self, scale: &Scale) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.service.name().trim().is_empty() {
            problems.push(Problem::new("service", ips_text::msg!("core.eval.no_service")));
        }
        let check_scores = |at: &str, scores: &Scores, problems: &mut Vec<Problem>| {
            for (id, &score) in scores {
                if scale.item(id).is_none() {
                    let m = ips_text::msg!("core.eval.unknown_item_in_scale", item = id, scale = scale.id);
                    problems.push(Problem::new(format!("{at}.{id}"), m));
                } else if !scale.score_range().contains(&score) {
                    let m = ips_text::msg!(
                        "core.score_out_of_range",
                        score = score,
                        min = scale.score_min,
                        max = scale.score_max
                    );
                    problems.push(Problem::new(format!("{at}.{id}"), m));
                }
            }
        };
        check_scores("scores", &self.scores, &mut problems);
        for (i, c) in self.accuracy.iter().enumerate() {
            if scale.item(&c.item).is_none() {
                let m = ips_text::msg!("core.eval.unknown_item", item = c.item);
                problems.push(Problem::new(format!("accuracy[{i}].item"), m));
            }
        }
        for (i, r) in self.reviewers.iter().enumerate() {
            check_scores(&format!("reviewers[{i}].scores"), &r.scores, &mut problems);
        }
        let all_notes = std::iter::once(("items".to_string(), &self.items))
            .chain(self.reviewers.iter().enumerate().map(|(i, r)| (format!("reviewers[{i}].items"), &r.items)));
        for (id, notes, prefix) in
            all_notes.flat_map(|(prefix, items)| items.iter().map(move |(id, n)| (id, n, prefix.clone())))
        {
            let at = format!("{prefix}.{id}");
            let Some(item) = scale.item(id) else {
                problems.push(Problem::new(at, ips_text::msg!("core.eval.unknown_item", item = id)));
                continue;
            };
            for s in &notes.sources {
                if scale.source(s).is_none() {
                    problems.push(Problem::new(
                        format!("{at}.sources"),
                        ips_text::msg!("core.eval.unknown_source", source = s),
                    ));
                }
            }
            match &item.kind {
                ItemKind::Checklist(c) => {
                    for e in &notes.checked {
                        if !c.elements.iter().any(|el| &el.id == e) {
                            let m = ips_text::msg!("core.eval.unknown_element", element = e);
                            problems.push(Problem::new(format!("{at}.checked"), m));
                        }
                    }
                }
                _ if !notes.checked.is_empty() => {
                    problems.push(Problem::new(format!("{at}.checked"), ips_text::msg!("core.eval.no_checklist")));
                }
                _ => {}
            }
            match &item.kind {
                ItemKind::Measured(m) => {
                    let mut check_inputs = |loc: &str, inputs: &BTreeMap<String, InputValue>| {
                        for (k, v) in inputs {
                            let at = format!("{loc}.{k}");
                            match (m.input(k).map(|i| &i.kind), v) {
                                (None, _) => problems
                                    .push(Problem::new(at, ips_text::msg!("core.eval.unknown_input", input = k))),
                                (Some(InputKind::Number { min, max, .. }), InputValue::Number(n)) => {
                                    if min.is_some_and(|lo| *n < lo) || max.is_some_and(|hi| *n > hi) {
                                        // A whole sentence for each bound the input has.
                                        let m = match (min, max) {
                                            (Some(lo), Some(hi)) => ips_text::msg!(
                                                "core.eval.input_out_of_range",
                                                value = n,
                                                min = lo,
                                                max = hi
                                            ),
                                            (Some(lo), None) => {
                                                ips_text::msg!("core.eval.input_below_min", value = n, min = lo)
                                            }
                                            (None, _) => ips_text::msg!(
                                                "core.eval.input_above_max",
                                                value = n,
                                                max = max.unwrap_or_default()
                                            ),
                                        };
                                        problems.push(Problem::new(at, m));
                                    }
                                }
                                (Some(InputKind::Flag), InputValue::Flag(_)) => {}
                                (Some(_), _) => problems.push(Problem::new(at, ips_text::msg!("core.eval.wrong_kind"))),
                            }
                        }
                    };
                    check_inputs(&format!("{at}.inputs"), &notes.inputs);
                    for (i, row) in notes.rows.iter().enumerate() {
                        check_inputs(&format!("{at}.rows[{i}]"), row);
                    }
                    if m.per_row.is_none() && !notes.rows.is_empty() {
                        problems.push(Problem::new(format!("{at}.rows"), ips_text::msg!("core.eval.no_rows")));
                    }
                }
                _ => {
                    // Each field is named where it is, so the file can be fixed at that place.
                    for (field, filled) in [("inputs", !notes.inputs.is_empty()), ("rows", !notes.rows.is_empty())] {
                        if filled {
                            problems.push(Problem::new(format!("{at}.{field}"), ips_text::msg!("core.eval.no_inputs")));
                        }
                    }
                }
            }
        }
        for (i, a) in self.actions.iter().enumerate() {
            if let Some(item) = &a.item
                && scale.item(item).is_none()
            {
                problems.push(Problem::new(
                    format!("actions[{i}].item"),
                    ips_text::msg!("core.eval.unknown_item", item = item),
                ));
            }
        }
        problems
    }

    /// What the ticks or figures recorded for an item propose: `None` when the item has no
    /// checklist or measured figures, or nothing is ticked or entered. The one definition of
    /// a proposal, for the editor, the report and `score --json`.
    pub fn proposal(&self, scale: &Scale, item_id: &str) -> Option<Proposal> {
        Self::proposal_in(scale, item_id, &self.items)
    }

    /// The same proposal from other notes (a reviewer's own ticks and figures).
    pub fn proposal_in(scale: &Scale, item_id: &str, items: &BTreeMap<String, ItemNotes>) -> Option<Proposal> {
        let item = scale.item(item_id)?;
        let notes = items.get(item_id)?;
        let (value, proposed) = match &item.kind {
            ItemKind::Described => return None,
            ItemKind::Checklist(c) if !notes.checked.is_empty() => {
                let present = c.elements.iter().filter(|e| notes.checked.contains(&e.id)).count();
                (Some(present as f64), Some(c.score_for_count(present)))
            }
            ItemKind::Measured(m) if !notes.inputs.is_empty() || !notes.rows.is_empty() => {
                let p = m.propose_rows(&notes.inputs, &notes.rows);
                (p.map(|p| p.value), p.map(|p| p.score))
            }
            _ => return None,
        };
        Some(Proposal { item: item.id.clone(), value, proposed })
    }

    /// The proposal of every item whose ticks or figures are filled in, in scale order.
    pub fn proposals(&self, scale: &Scale) -> Vec<Proposal> {
        scale.items.iter().filter_map(|i| self.proposal(scale, &i.id)).collect()
    }

    /// The score the checklist or the measured inputs propose for an item, if any.
    pub fn proposed_score(&self, scale: &Scale, item_id: &str) -> Option<u8> {
        self.proposal(scale, item_id).and_then(|p| p.proposed)
    }

    /// Action ids are unique within an evaluation; this gives the next free one.
    pub fn next_action_id(&self) -> String {
        let n = (1..).find(|n| !self.actions.iter().any(|a| a.id == format!("a{n}"))).unwrap_or(1);
        format!("a{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::tests::tiny_scale;

    #[test]
    fn minimal_file_loads() {
        let e = Evaluation::from_json(
            "m.json",
            r#"{"scale": "ips-25", "service": "IPS Bodø", "date": "2026-05-04", "scores": {"B1": 5, "B2": 4}}"#,
        );
        let e = e.unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(e.service.name(), "IPS Bodø");
        assert_eq!(e.kind, EvaluationType::Independent);
        assert_eq!(e.scores.get("B1"), Some(&5));
        assert_eq!(e.format_version, FORMAT_VERSION);
    }

    #[test]
    fn service_may_be_a_full_record() {
        let e = Evaluation::from_json(
            "m.json",
            r#"{"scale": "ips-25", "service": {"name": "IPS Nordby", "nav_office": "NAV Nordby"}, "date": "2026-05-04"}"#,
        );
        let e = e.unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(e.service.info().nav_office, "NAV Nordby");
    }

    #[test]
    fn bad_values_name_the_field() {
        let err = Evaluation::from_json("m.json", r#"{"scale": "s", "service": "x", "date": "2026-13-01"}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("m.json: date:"), "{err}");
        let err = Evaluation::from_json(
            "m.json",
            r#"{"scale": "s", "service": "x", "date": "2026-01-01", "scores": {"B1": 300}}"#,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.starts_with("m.json: scores.B1:"), "{err}");
        let err = Evaluation::from_json(
            "m.json",
            r#"{"format_version": 9, "scale": "s", "service": "x", "date": "2026-01-01"}"#,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("format version 9 is not supported"), "{err}");
    }

    #[test]
    fn check_finds_unknown_ids_and_out_of_range_scores() {
        let scale = tiny_scale();
        let mut e = Evaluation::new(
            &scale,
            "S",
            NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default(),
            EvaluationType::Independent,
        );
        e.scores.insert("X1".into(), 7);
        e.scores.insert("Q9".into(), 3);
        e.items.entry("X2".into()).or_default().checked.push("zz".into());
        e.items.entry("Y1".into()).or_default().inputs.insert("n".into(), InputValue::Number(-3.0));
        let text: Vec<String> = e.check(&scale).iter().map(|p| format!("{}: {}", p.location, p.message)).collect();
        let text = text.join("\n");
        assert!(text.contains("scores.X1: score 7 is outside the scale's range 1–5"), "{text}");
        assert!(text.contains("scores.Q9: unknown item id 'Q9'"), "{text}");
        assert!(text.contains("items.X2.checked: unknown element 'zz'"), "{text}");
        assert!(text.contains("items.Y1.inputs.n: -3 is less than 0"), "{text}");
    }

    #[test]
    fn proposals_follow_checklist_and_inputs() {
        let scale = tiny_scale();
        let mut e = Evaluation::new(
            &scale,
            "S",
            NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default(),
            EvaluationType::Independent,
        );
        e.items.entry("X2".into()).or_default().checked = vec!["a".into(), "b".into()];
        let y = e.items.entry("Y1".into()).or_default();
        y.inputs.insert("n".into(), InputValue::Number(52.0));
        y.inputs.insert("fte".into(), InputValue::Number(2.0));
        assert_eq!(e.proposed_score(&scale, "X2"), Some(3));
        assert_eq!(e.proposed_score(&scale, "Y1"), Some(3));
        assert_eq!(e.proposed_score(&scale, "X1"), None);
    }

    /// The tiny scale with Y1 entered per row.
    fn tiny_scale_with_rows() -> Scale {
        let mut v = crate::scale::tests::tiny_scale_json();
        v["items"][2]["kind"]["per_row"] =
            serde_json::json!({"label": {"nb": "Rad", "en": "Row"}, "rounding": "nearest"});
        Scale::from_json("tiny.json", &v.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn row(pairs: &[(&str, InputValue)]) -> BTreeMap<String, InputValue> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn problem_lines(e: &Evaluation, scale: &Scale) -> String {
        e.check(scale).iter().map(|p| format!("{}: {}", p.location, p.message)).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn rows_are_checked_like_inputs() {
        let scale = tiny_scale_with_rows();
        let mut e = Evaluation::new(
            &scale,
            "S",
            NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default(),
            EvaluationType::Independent,
        );
        e.items.entry("Y1".into()).or_default().rows = vec![
            row(&[("n", InputValue::Number(10.0)), ("fte", InputValue::Number(1.0))]),
            row(&[("n", InputValue::Number(-1.0)), ("zz", InputValue::Number(3.0)), ("fte", InputValue::Flag(true))]),
        ];
        let text = problem_lines(&e, &scale);
        assert!(text.contains("items.Y1.rows[1].n: -1 is less than 0"), "{text}");
        assert!(text.contains("items.Y1.rows[1].zz: unknown input 'zz'"), "{text}");
        assert!(text.contains("items.Y1.rows[1].fte:"), "{text}");
        assert!(!text.contains("rows[0]"), "{text}");
        assert_eq!(e.check(&scale).len(), 3, "{text}");

        // Rows where the scale has none: on an item not entered per row, or not measured.
        let plain = tiny_scale();
        e.items.entry("X1".into()).or_default().rows = vec![row(&[("n", InputValue::Number(1.0))])];
        let text = problem_lines(&e, &plain);
        assert!(text.contains("items.Y1.rows: this item is not entered per row"), "{text}");
        assert!(text.contains("items.X1.rows:"), "{text}");
    }

    /// An older T6 record (one set of figures, only "weekly" ticked) still loads, checks
    /// clean and proposes 5; rows, when given, decide instead.
    #[test]
    fn t6_files_keep_loading_and_rows_decide() {
        let scale = crate::service::BUILTIN_SCALES
            .iter()
            .find(|(f, _)| f.ends_with("ips-25.json"))
            .map(|(f, json)| Scale::from_json(f, json).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|| panic!("ips-25 is built in"));
        let old = r#"{"scale": "ips-25", "service": "IPS Ås", "date": "2025-05-04",
            "items": {"T6": {"inputs": {"contacts_per_week": 6, "tracked_weekly": true}}}}"#;
        let mut e = Evaluation::from_json("old.json", old).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(e.check(&scale), vec![]);
        assert_eq!(e.proposed_score(&scale, "T6"), Some(5));
        let notes = e.items.entry("T6".into()).or_default();
        notes.rows = vec![
            row(&[("contacts_per_week", InputValue::Number(4.0)), ("tracked_monthly", InputValue::Flag(true))]),
            row(&[("contacts_per_week", InputValue::Number(5.0)), ("tracked_weekly", InputValue::Flag(true))]),
        ];
        // 4 (monthly) → 3 and 5 (weekly) → 4: 3.5 → 4.
        assert_eq!(e.check(&scale), vec![]);
        assert_eq!(e.proposed_score(&scale, "T6"), Some(4));
        let back = Evaluation::from_json("r.json", &e.to_json()).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(back, e, "rows survive a save");
        let unchanged = Evaluation::from_json("o.json", old).expect("loads").to_json();
        assert!(!unchanged.contains("rows"), "no empty rows are written: {unchanged}");
    }

    /// What `score --json` prints: every item with ticks or figures, in scale order.
    #[test]
    fn proposals_list_every_filled_item() {
        let scale = tiny_scale_with_rows();
        let mut e = Evaluation::new(
            &scale,
            "S",
            NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default(),
            EvaluationType::Independent,
        );
        e.items.entry("X1".into()).or_default().rationale = "described: no proposal".into();
        e.items.entry("X2".into()).or_default().checked = vec!["a".into(), "c".into()];
        e.items.entry("Y1".into()).or_default().rows = vec![
            row(&[("n", InputValue::Number(10.0)), ("fte", InputValue::Number(1.0))]),
            row(&[("n", InputValue::Number(22.0)), ("fte", InputValue::Number(1.0))]),
        ];
        let json = serde_json::to_value(e.proposals(&scale)).expect("proposals serialize");
        assert_eq!(
            json,
            serde_json::json!([
                {"item": "X2", "value": 2.0, "proposed": 3},
                {"item": "Y1", "value": 16.0, "proposed": 5}
            ])
        );
        // A figure missing: listed, with neither value nor proposal yet.
        e.items.entry("Y1".into()).or_default().rows = vec![row(&[("n", InputValue::Number(10.0))])];
        let p = e.proposals(&scale);
        assert_eq!(p.last(), Some(&Proposal { item: "Y1".into(), value: None, proposed: None }));
        // The one definition: proposed_score is the proposal's score.
        for item in &scale.items {
            let listed = p.iter().find(|x| x.item == item.id).and_then(|x| x.proposed);
            assert_eq!(e.proposed_score(&scale, &item.id), listed, "{}", item.id);
        }
    }

    #[test]
    fn json_round_trip() {
        let scale = tiny_scale();
        let mut e = Evaluation::new(
            &scale,
            "IPS Ørsta",
            NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default(),
            EvaluationType::SelfAssessment,
        );
        e.scores.insert("X1".into(), 4);
        e.actions.push(Action { id: e.next_action_id(), what: "Gjør noe".into(), ..Action::default() });
        let back = Evaluation::from_json("r.json", &e.to_json()).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(back, e);
        assert_eq!(e.next_action_id(), "a2");
    }
}
