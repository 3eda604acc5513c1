//! The report model: everything the PDF report says, as plain data, computed from the scale,
//! the evaluation and the service's history with the fixed texts from `reports/<lang>.json`.
//! The PDF renderer only lays this out, so the report shows the same numbers as the app.

use chrono::NaiveDate;

use crate::evaluation::{Evaluation, EvaluationType, ServiceInfo};
use crate::history::review_facts_of;
use crate::schedule::{DueBasis, schedule};
use crate::scoring::{Change, ItemChange, item_changes, next_band, next_band_text, score};
use crate::service::ScaleSet;
use crate::trends::schedule_reviews;
use ips_text::i18n::fill;
use ips_text::text::{Lang, format_date, signed};

ips_text::texts!(
    /// The fixed texts of the report in one language, from `reports/<lang>.json` through the
    /// one text mechanism ([`ips_text::i18n`]).
    pub struct ReportTexts, ips_text::i18n::Book::Report, "", {
        subtitle,
        preliminary,
        preliminary_note,
        service,
        nav_office,
        health_partners,
        review_date,
        review_type,
        reviewers,
        scale,
        generated,
        summary_heading,
        total,
        of,
        band,
        no_band,
        change_since_previous,
        no_previous,
        section,
        now,
        previous,
        next_band_heading,
        closest_items,
        to,
        best_band,
        charts_heading,
        chart_total,
        chart_sections,
        heat_map_heading,
        heat_map_note,
        heat_map_self,
        independent,
        self_assessment,
        items_heading,
        item,
        score,
        change,
        rationale,
        strengths_heading,
        strengths_intro,
        no_strengths,
        improve_heading,
        improve_intro,
        no_improvements,
        recommendation,
        no_recommendation,
        plan_heading,
        plan_empty,
        action,
        owner,
        deadline,
        status,
        schedule_heading,
        next_review,
        overdue,
        first_review_window,
        no_schedule,
        interval_before,
        steering_heading,
        meetings_per_year,
        meetings_reason_before,
        meetings_reason_after,
        agenda_heading,
        page,
        page_of,
        dash,
        scale_version_missing,
        summary_title,
        summary_subtitle,
        summary_all_regions,
        summary_region,
        summary_services,
        summary_bands,
        summary_count,
        summary_weakest,
        summary_items,
        summary_mean,
        summary_median,
        summary_heat,
        summary_heat_note,
        summary_overdue,
        summary_none_overdue,
        summary_calibration,
        summary_reviews_with_two,
        summary_compared,
        summary_exact,
        summary_within_one,
        summary_two_or_more,
        summary_pair,
        summary_kappa,
        summary_reviews,
        summary_service,
        summary_due,
        draft_mark,
        review_status,
        previous_plan_heading,
        previous_plan_intro,
        outcome,
        last_note,
        accuracy_heading,
        comment,
        answer,
        audit_heading,
        when,
        who,
        what,
        reason,
        audit_status,
        audit_score,
        audit_empty,
        prep_title,
        prep_intro,
        prep_sources_heading,
        prep_source_items,
        prep_figures_heading,
        prep_figures_intro,
        prep_figure,
        prep_unit,
        prep_value,
        prep_yes_no,
        prep_per_row,
        prep_form_heading,
        prep_form_intro,
        prep_notes,
        prep_sources,
        pack_title,
        pack_status_heading,
        pack_portfolio,
        pack_results,
        pack_resources,
        pack_quarter,
        pack_job_seekers,
        pack_in_work,
        pack_in_education,
        pack_rate,
        pack_new_jobs,
        pack_fte,
        pack_per_fte,
        pack_no_outcomes,
        pack_benchmark,
        pack_latest_quarter,
        pack_review_heading,
        pack_no_review,
        pack_review_line,
        pack_weakest,
        pack_plan_heading,
        pack_previous_heading,
        pack_no_previous,
        pack_attendees,
        pack_decisions,
        pack_agenda_heading,
        pack_cadence_line,
        pack_cadence_before,
        pack_cadence_after,
        pack_next,
        pack_minutes_heading,
    }
);

impl ReportTexts {
    /// The built-in texts for a language.
    pub fn builtin(lang: Lang) -> &'static ReportTexts {
        ReportTexts::get(lang)
    }
}

/// One point of the total chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalPoint {
    pub date: NaiveDate,
    pub total: u32,
    pub complete: bool,
    pub self_assessment: bool,
    pub current: bool,
}

/// A shaded band zone of the total chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BandZone {
    pub label: String,
    pub min: u32,
    pub max: u32,
    /// 0 = best.
    pub rank: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionRow {
    pub name: String,
    pub total: u32,
    pub max: u32,
    pub previous: Option<u32>,
}

impl SectionRow {
    /// The row as every rendering shows it: the section, "total / max" now and before
    /// (`dash` where there is no previous review).
    pub fn cells(&self, dash: &str) -> Vec<String> {
        vec![
            self.name.clone(),
            format!("{} / {}", self.total, self.max),
            self.previous.map_or(dash.to_string(), |p| format!("{p} / {}", self.max)),
        ]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: String,
    pub name: String,
    pub score: Option<u8>,
    pub previous: Option<u8>,
    pub change: Option<i32>,
    pub rationale: String,
    pub recommendation: String,
}

impl ItemRow {
    /// The row as every rendering shows it, but for the rationale (which each shortens, or
    /// not, to its page): the item, its score, the previous score and the change (`dash`
    /// where there is none).
    pub fn cells(&self, dash: &str) -> Vec<String> {
        vec![
            format!("{} {}", self.id, self.name),
            self.score.map_or(dash.to_string(), |s| s.to_string()),
            self.previous.map_or(dash.to_string(), |s| s.to_string()),
            self.change.map_or(dash.to_string(), signed),
        ]
    }
}

/// The item heat map: one row per item of the scale, one column per review on it, oldest
/// first, the scores as numbers (the colour only repeats them, so it prints in black and
/// white).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeatMap {
    pub columns: Vec<HeatColumn>,
    pub rows: Vec<HeatRow>,
    pub score_min: u8,
    pub score_max: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeatColumn {
    /// The review's date as shown in the report's language.
    pub label: String,
    pub self_assessment: bool,
    /// This report's review.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    pub id: String,
    pub name: String,
    /// One score per column; `None` where the item was not scored.
    pub cells: Vec<Option<u8>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionRow {
    pub what: String,
    pub item: String,
    pub owner: String,
    pub deadline: String,
    pub status: String,
}

/// One action of the previous review's handlingsplan and how it went.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOutcomeRow {
    pub what: String,
    pub item: String,
    pub outcome: String,
    pub last_note: String,
}

/// One factual-accuracy comment with the reviewers' answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AccuracyRow {
    pub item: String,
    pub comment: String,
    pub answer: String,
    pub why: String,
}

/// One line of the audit trail, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub when: String,
    pub who: String,
    pub what: String,
    pub reason: String,
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportModel {
    pub texts: &'static ReportTexts,
    /// The report's title: the scale's name in the report's language.
    pub title: String,
    /// The reviewers' names (the PDF's author).
    pub reviewers: Vec<String>,
    /// Shown on the cover: e.g. the review's scale version is not known here.
    pub warnings: Vec<String>,
    pub lang: Lang,
    pub preliminary: bool,
    pub service: String,
    pub date: NaiveDate,
    /// (label, value) rows of the cover.
    pub cover: Vec<(String, String)>,
    pub total: u32,
    pub max: u32,
    pub min: u32,
    pub scored: usize,
    pub item_count: usize,
    pub band: Option<String>,
    pub band_rank: Option<usize>,
    pub band_count: usize,
    /// Change in total since the previous review (the core's one definition).
    pub change: Option<i32>,
    pub change_line: String,
    pub sections: Vec<SectionRow>,
    /// The heading line and the bullet lines of "what it takes to reach the next band".
    pub next_band: Option<(String, Vec<String>)>,
    /// The service's totals over time, for the chart.
    pub series: Vec<TotalPoint>,
    pub bands: Vec<BandZone>,
    pub target_total: u32,
    /// The name of the band the service aims for (the scale's cadence target).
    pub target_label: String,
    pub heat_map: HeatMap,
    pub items: Vec<ItemRow>,
    pub strengths: Vec<ItemRow>,
    pub improvements: Vec<ItemRow>,
    /// What introduces the areas to improve, and what says there are none, with the
    /// scale's own limit for a weak item (`weak_item_max`), not a fixed 3.
    pub improve_intro: String,
    pub no_improvements: String,
    pub actions: Vec<ActionRow>,
    pub schedule_lines: Vec<String>,
    pub steering_lines: Vec<String>,
    pub agenda: Vec<String>,
    pub footer: String,
    /// The review is a draft sent to the service: every page says so.
    pub draft: bool,
    /// The previous review's plan: its intro line and each action's outcome.
    pub previous_plan: Option<(String, Vec<PlanOutcomeRow>)>,
    pub accuracy: Vec<AccuracyRow>,
    pub audit: Vec<AuditRow>,
}

/// Builds the report model for `evaluation`, with `others` the service's other evaluations
/// (any order; those on other scales are left out). Every review is scored on the scale
/// version it records. `None` when the evaluation's scale is not in `scales`.
pub fn build(
    scales: &ScaleSet,
    service: &ServiceInfo,
    evaluation: &Evaluation,
    others: &[&Evaluation],
    texts: &'static ReportTexts,
    today: NaiveDate,
) -> Option<ReportModel> {
    let lang = texts.lang;
    let t = texts;
    let resolved = scales.resolve(evaluation)?;
    let scale = resolved.scale;
    let summary = score(scale, &evaluation.scores);
    // The service's reviews on this scale, this one in place of its saved copy.
    let reviews: Vec<&Evaluation> = others
        .iter()
        .copied()
        .filter(|e| e.scale == scale.id && !(e.date == evaluation.date && e.kind == evaluation.kind))
        .chain(std::iter::once(evaluation))
        .collect();
    // Every review scored once; this one's previous review and change come from the facts.
    let facts = review_facts_of(&reviews, scales);
    let this = facts.iter().find(|f| f.index + 1 == reviews.len());
    let previous_fact = this.and_then(|f| f.previous).and_then(|p| facts.iter().find(|f| f.index == p));
    let previous = previous_fact.map(|f| reviews[f.index]);
    let prev_summary = previous_fact.map(|f| &f.summary);
    let ch = previous.map(|p| Change {
        total_delta: this.and_then(|f| f.change),
        items: item_changes(scale, &p.scores, &evaluation.scores),
    });
    let band = summary.band(scale);
    let warnings = resolved
        .missing_version
        .map(|v| {
            fill(
                t.scale_version_missing,
                &[("missing", v.to_string()), ("scale", scale.id.clone()), ("version", scale.version.clone())],
            )
        })
        .into_iter()
        .collect();

    let mut cover = vec![(t.service.to_string(), service.name.clone())];
    if !service.nav_office.is_empty() {
        cover.push((t.nav_office.to_string(), service.nav_office.clone()));
    }
    if !service.health_partners.is_empty() {
        cover.push((t.health_partners.to_string(), service.health_partners.join(", ")));
    }
    cover.push((t.review_date.to_string(), format_date(evaluation.date, lang)));
    let kind = match evaluation.kind {
        EvaluationType::Independent => &t.independent,
        EvaluationType::SelfAssessment => &t.self_assessment,
    };
    cover.push((t.review_type.to_string(), kind.to_string()));
    cover.push((t.review_status.to_string(), crate::lifecycle::status_of(evaluation).label(lang).to_string()));
    if !evaluation.reviewers.is_empty() {
        let names: Vec<&str> = evaluation.reviewers.iter().map(|r| r.name.as_str()).collect();
        cover.push((t.reviewers.to_string(), names.join(", ")));
    }
    cover.push((t.scale.to_string(), format!("{} ({} {})", scale.name.get(lang), scale.id, scale.version)));
    cover.push((t.generated.to_string(), format_date(today, lang)));

    let change_line = match (previous, ch.as_ref().and_then(|c| c.total_delta)) {
        (Some(p), Some(d)) => {
            let date = format_date(p.date, lang);
            format!("{}: {} ({} {date})", t.change_since_previous, signed(d), t.previous.to_lowercase())
        }
        (Some(p), None) => format!("{}: {} ({})", t.change_since_previous, t.dash, format_date(p.date, lang)),
        (None, _) => t.no_previous.to_string(),
    };

    let sections = summary
        .sections
        .iter()
        .zip(&scale.sections)
        .enumerate()
        .map(|(i, (x, sec))| SectionRow {
            name: sec.name.get(lang).to_string(),
            total: x.total,
            max: x.max,
            previous: prev_summary.as_ref().and_then(|p| p.sections.get(i)).map(|s| s.total),
        })
        .collect();

    let next_band = if let Some(n) = next_band(scale, evaluation, &summary) {
        let text = next_band_text(scale, &n, lang);
        Some((text.heading, text.items))
    } else if band.is_some() && summary.reached_best_band() {
        Some((t.best_band.to_string(), Vec::new()))
    } else {
        None
    };

    let mut total_points: Vec<TotalPoint> = facts
        .iter()
        .map(|f| TotalPoint {
            date: f.date,
            total: f.summary.total,
            complete: f.summary.complete,
            self_assessment: f.kind == EvaluationType::SelfAssessment,
            current: f.index + 1 == reviews.len(),
        })
        .collect();
    total_points.sort_by_key(|p| (p.date, p.self_assessment));

    let mut columns: Vec<&crate::history::ReviewFacts> = facts.iter().collect();
    columns.sort_by_key(|f| (f.date, f.kind == EvaluationType::SelfAssessment));
    let heat_map = HeatMap {
        columns: columns
            .iter()
            .map(|f| HeatColumn {
                label: format_date(f.date, lang),
                self_assessment: f.kind == EvaluationType::SelfAssessment,
                current: f.index + 1 == reviews.len(),
            })
            .collect(),
        rows: scale
            .items
            .iter()
            .map(|i| HeatRow {
                id: i.id.clone(),
                name: i.name.get(lang).to_string(),
                cells: columns.iter().map(|f| reviews[f.index].scores.get(&i.id).copied()).collect(),
            })
            .collect(),
        score_min: scale.score_min,
        score_max: scale.score_max,
    };

    let items: Vec<ItemRow> = scale
        .items
        .iter()
        .map(|i| {
            let notes = evaluation.items.get(&i.id);
            let item_change = ch.as_ref().and_then(|c| c.item(&i.id));
            ItemRow {
                id: i.id.clone(),
                name: i.name.get(lang).to_string(),
                score: evaluation.scores.get(&i.id).copied(),
                previous: item_change.and_then(|c| c.previous),
                change: item_change.and_then(ItemChange::delta),
                rationale: notes.map_or(String::new(), |n| n.rationale.trim().to_string()),
                recommendation: notes.map_or(String::new(), |n| n.recommendation.trim().to_string()),
            }
        })
        .collect();
    // Strengths are items at the top score; areas to improve are the scale's weak items (the
    // same threshold drafts the handlingsplan).
    let strengths = items.iter().filter(|r| r.score == Some(scale.score_max)).cloned().collect();
    let improvements = items.iter().filter(|r| r.score.is_some_and(|s| scale.is_weak(s))).cloned().collect();

    let actions = evaluation
        .actions
        .iter()
        .map(|a| ActionRow {
            what: a.what.clone(),
            item: a.item.as_ref().map_or(t.dash.to_string(), |id| {
                scale.item(id).map_or(id.clone(), |i| format!("{} {}", i.id, i.name.get(lang)))
            }),
            owner: if a.owner.is_empty() { t.dash.to_string() } else { a.owner.clone() },
            deadline: a.deadline.map_or(t.dash.to_string(), |d| format_date(d, lang)),
            status: a.status.label(lang).to_string(),
        })
        .collect();

    // The schedule counts complete independent reviews only, this one included.
    let sch = schedule(scale, service.start_date, &schedule_reviews(&facts, &scale.id), &[], today);
    // The cadence in the texts comes from the scale, not from the wording.
    let c = &scale.cadence;
    let target_band = scale.bands.get(c.target_band).map_or(String::new(), |b| b.label.get(lang).to_string());
    let cadence_args = [
        ("earliest", c.first_review_earliest_months.to_string()),
        ("latest", c.first_review_latest_months.to_string()),
        ("before", c.review_interval_before_target.to_string()),
        ("after", c.review_interval_after_target.to_string()),
        ("target_band", target_band),
        ("target_total", scale.target_total().to_string()),
        ("meetings_before", c.meetings_before_target.to_string()),
        ("meetings_after", c.meetings_after_target.to_string()),
        ("n", sch.steering_group.meetings_per_year.to_string()),
    ];
    let fill = |template: &str| fill(template, &cadence_args);
    let mut schedule_lines = Vec::new();
    match &sch.next_review {
        Some(r) => {
            let overdue = if r.overdue { format!(" ({})", t.overdue) } else { String::new() };
            schedule_lines.push(format!("{}: {}{overdue}", t.next_review, format_date(r.due, lang)));
            if let (DueBasis::FirstReview { .. }, Some(from)) = (&r.basis, r.earliest) {
                let (from, due) = (format_date(from, lang), format_date(r.due, lang));
                schedule_lines.push(format!("{} {from} {} {due}.", fill(t.first_review_window), t.to));
            }
        }
        None => schedule_lines.push(t.no_schedule.to_string()),
    }
    schedule_lines.push(fill(t.interval_before));
    let steering_lines = vec![
        fill(t.meetings_per_year),
        if sch.steering_group.target_reached { fill(t.meetings_reason_after) } else { fill(t.meetings_reason_before) },
    ];

    Some(ReportModel {
        texts,
        title: scale.name.get(lang).to_string(),
        reviewers: evaluation.reviewers.iter().map(|r| r.name.clone()).filter(|n| !n.trim().is_empty()).collect(),
        warnings,
        lang,
        preliminary: !summary.complete,
        service: service.name.clone(),
        date: evaluation.date,
        cover,
        total: summary.total,
        max: summary.max,
        min: summary.min,
        scored: summary.scored,
        item_count: scale.items.len(),
        band: band.map(|b| b.label.get(lang).to_string()),
        band_rank: summary.band.as_ref().map(|b| b.index),
        band_count: scale.bands.len(),
        change: ch.as_ref().and_then(|c| c.total_delta),
        change_line,
        sections,
        next_band,
        series: total_points,
        bands: scale
            .bands
            .iter()
            .enumerate()
            .map(|(rank, b)| BandZone { label: b.label.get(lang).to_string(), min: b.min, max: b.max, rank })
            .collect(),
        target_total: scale.target_total(),
        target_label: scale
            .bands
            .get(scale.cadence.target_band)
            .map_or(String::new(), |b| b.label.get(lang).to_string()),
        heat_map,
        items,
        strengths,
        improvements,
        improve_intro: ips_text::i18n::fill(texts.improve_intro, &[("max", scale.weak_item_max.to_string())]),
        no_improvements: ips_text::i18n::fill(texts.no_improvements, &[("max", scale.weak_item_max.to_string())]),
        actions,
        schedule_lines,
        steering_lines,
        agenda: scale.cadence.agenda.iter().map(|a| a.get(lang).to_string()).collect(),
        footer: format!("{} – {}", service.name, format_date(evaluation.date, lang)),
        draft: crate::lifecycle::status_of(evaluation) == crate::evaluation::ReviewStatus::Draft,
        previous_plan: previous.filter(|p| !p.actions.is_empty()).map(|p| {
            let intro = ips_text::i18n::fill(t.previous_plan_intro, &[("date", format_date(p.date, lang))]);
            let rows = crate::plan::outcomes(p)
                .map(|(a, outcome)| PlanOutcomeRow {
                    what: a.what.clone(),
                    item: a.item.clone().unwrap_or_else(|| t.dash.to_string()),
                    outcome: outcome.label(lang).to_string(),
                    last_note: a
                        .progress
                        .last()
                        .map_or(t.dash.to_string(), |n| format!("{}: {}", format_date(n.date, lang), n.text)),
                })
                .collect();
            (intro, rows)
        }),
        accuracy: evaluation
            .accuracy
            .iter()
            .map(|c| AccuracyRow {
                item: c.item.clone(),
                comment: c.comment.clone(),
                answer: c.answer.label(lang).to_string(),
                why: if c.why.is_empty() { t.dash.to_string() } else { c.why.clone() },
            })
            .collect(),
        audit: evaluation.audit.iter().map(|a| audit_row(a, t)).collect(),
    })
}

/// An audit entry in the report's words.
pub fn audit_row(a: &crate::evaluation::AuditEntry, t: &ReportTexts) -> AuditRow {
    use crate::evaluation::AuditChange;
    let lang = t.lang;
    let score = |s: Option<u8>| s.map_or(t.dash.to_string(), |s| s.to_string());
    let what = match &a.change {
        AuditChange::Status { from, to } => {
            fill(t.audit_status, &[("from", from.label(lang).to_string()), ("to", to.label(lang).to_string())])
        }
        AuditChange::Score { item, from, to } => {
            fill(t.audit_score, &[("item", item.clone()), ("from", score(*from)), ("to", score(*to))])
        }
    };
    AuditRow {
        when: format!("{} {}", format_date(a.at.date(), lang), a.at.format("%H:%M")),
        who: if a.by.is_empty() { t.dash.to_string() } else { a.by.clone() },
        what,
        reason: if a.reason.is_empty() { t.dash.to_string() } else { a.reason.clone() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_text_is_in_both_catalogs() {
        for lang in Lang::ALL {
            let c = ips_text::i18n::catalog(ips_text::i18n::Book::Report, lang);
            for key in ReportTexts::KEYS {
                assert!(c.contains(key), "{}: missing '{key}'", c.file);
            }
            assert_eq!(ReportTexts::builtin(lang).lang, lang);
        }
    }

    #[test]
    fn partial_model_has_no_band() {
        let (scales, _) = crate::service::ScaleSet::builtin();
        let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let mut e = Evaluation::new(
            &scale,
            "IPS Bodø",
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default(),
            EvaluationType::Independent,
        );
        e.scores.insert("B1".into(), 4);
        let texts = ReportTexts::builtin(Lang::En);
        let m = build(&scales, &ServiceInfo::named("IPS Bodø"), &e, &[], texts, NaiveDate::default())
            .unwrap_or_else(|| panic!("model"));
        assert!(m.preliminary);
        assert_eq!(m.band, None);
        assert_eq!(m.next_band, None);
        assert_eq!(m.change_line, texts.no_previous);
    }
}
