//! The report model: everything the PDF report says, as plain data, computed from the scale,
//! the evaluation and the service's history with the fixed texts from `reports/<lang>.json`.
//! The PDF renderer only lays this out, so the report shows the same numbers as the app.

use chrono::NaiveDate;
use serde::Deserialize;

use super::evaluation::{Evaluation, EvaluationType, ServiceInfo};
use super::scale::{DataFileError, Scale, parse_json};
use super::schedule::{DueBasis, schedule};
use super::scoring::{Gap, change, next_band, score};
use super::text::{Lang, format_number, quoted, signed};

/// The report texts compiled into the program, one file per language.
pub const REPORT_TEXTS: &[(&str, &str)] = &[
    ("reports/nb.json", include_str!("../../reports/nb.json")),
    ("reports/en.json", include_str!("../../reports/en.json")),
];

/// The fixed texts of the report in one language. Every field is required, so a missing
/// translation is a load error naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportTexts {
    pub format_version: u32,
    pub lang: Lang,
    pub document_title: String,
    pub subtitle: String,
    pub preliminary: String,
    pub preliminary_note: String,
    pub service: String,
    pub nav_office: String,
    pub health_partners: String,
    pub review_date: String,
    pub review_type: String,
    pub reviewers: String,
    pub scale: String,
    pub generated: String,
    pub summary_heading: String,
    pub total: String,
    pub of: String,
    pub band: String,
    pub no_band: String,
    pub change_since_previous: String,
    pub no_previous: String,
    pub section: String,
    pub now: String,
    pub previous: String,
    pub next_band_heading: String,
    pub points_missing: String,
    pub closest_items: String,
    pub more_elements: String,
    pub value_to_reach: String,
    pub to: String,
    pub next_level_description: String,
    pub best_band: String,
    pub charts_heading: String,
    pub chart_total: String,
    pub chart_sections: String,
    pub chart_target: String,
    pub independent: String,
    pub self_assessment: String,
    pub items_heading: String,
    pub item: String,
    pub score: String,
    pub change: String,
    pub rationale: String,
    pub strengths_heading: String,
    pub strengths_intro: String,
    pub no_strengths: String,
    pub improve_heading: String,
    pub improve_intro: String,
    pub no_improvements: String,
    pub recommendation: String,
    pub no_recommendation: String,
    pub plan_heading: String,
    pub plan_empty: String,
    pub action: String,
    pub owner: String,
    pub deadline: String,
    pub status: String,
    pub schedule_heading: String,
    pub next_review: String,
    pub overdue: String,
    pub first_review_window: String,
    pub no_schedule: String,
    pub interval_before: String,
    pub steering_heading: String,
    pub meetings_per_year: String,
    pub meetings_reason_before: String,
    pub meetings_reason_after: String,
    pub agenda_heading: String,
    pub page: String,
    pub page_of: String,
    pub dash: String,
}

impl ReportTexts {
    /// Parses and checks a report text file.
    pub fn from_json(file: &str, json: &str) -> Result<ReportTexts, DataFileError> {
        let t: ReportTexts = parse_json(file, json)?;
        if t.format_version != 1 {
            return Err(DataFileError::single(
                file,
                "format_version",
                format!("format version {} is not supported", t.format_version),
            ));
        }
        if !t.meetings_per_year.contains("{n}") {
            return Err(DataFileError::single(file, "meetings_per_year", "the text must contain {n}"));
        }
        Ok(t)
    }

    /// The built-in texts for a language.
    pub fn builtin(lang: Lang) -> Result<ReportTexts, DataFileError> {
        let (name, json) = REPORT_TEXTS
            .iter()
            .find(|(name, _)| name.ends_with(&format!("{}.json", lang.code())))
            .copied()
            .unwrap_or(REPORT_TEXTS[0]);
        ReportTexts::from_json(name, json)
    }
}

/// One point of the total chart.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPoint {
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

#[derive(Debug, Clone, PartialEq)]
pub struct ActionRow {
    pub what: String,
    pub item: String,
    pub owner: String,
    pub deadline: String,
    pub status: String,
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportModel {
    pub texts: ReportTexts,
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
    pub change_line: String,
    pub sections: Vec<SectionRow>,
    /// The heading line and the bullet lines of "what it takes to reach the next band".
    pub next_band: Option<(String, Vec<String>)>,
    pub history: Vec<HistoryPoint>,
    pub bands: Vec<BandZone>,
    pub target_total: u32,
    pub items: Vec<ItemRow>,
    pub strengths: Vec<ItemRow>,
    pub improvements: Vec<ItemRow>,
    pub actions: Vec<ActionRow>,
    pub schedule_lines: Vec<String>,
    pub steering_lines: Vec<String>,
    pub agenda: Vec<String>,
    pub footer: String,
}

/// Builds the report model for `evaluation`, with `history` the service's other evaluations
/// (any order; those on other scales are left out).
pub fn build(
    scale: &Scale,
    service: &ServiceInfo,
    evaluation: &Evaluation,
    history: &[&Evaluation],
    texts: &ReportTexts,
    today: NaiveDate,
) -> ReportModel {
    let lang = texts.lang;
    let t = texts;
    let summary = score(scale, &evaluation.scores);
    let previous = history
        .iter()
        .filter(|e| e.kind == evaluation.kind && e.date < evaluation.date && e.scale == scale.id)
        .max_by_key(|e| e.date)
        .copied();
    let prev_summary = previous.map(|p| score(scale, &p.scores));
    let ch = previous.map(|p| change(scale, &p.scores, &evaluation.scores));
    let band = summary.band(scale);

    let mut cover = vec![(t.service.clone(), service.name.clone())];
    if !service.nav_office.is_empty() {
        cover.push((t.nav_office.clone(), service.nav_office.clone()));
    }
    if !service.health_partners.is_empty() {
        cover.push((t.health_partners.clone(), service.health_partners.join(", ")));
    }
    cover.push((t.review_date.clone(), evaluation.date.to_string()));
    let kind = match evaluation.kind {
        EvaluationType::Independent => &t.independent,
        EvaluationType::SelfAssessment => &t.self_assessment,
    };
    cover.push((t.review_type.clone(), kind.clone()));
    if !evaluation.reviewers.is_empty() {
        let names: Vec<&str> = evaluation.reviewers.iter().map(|r| r.name.as_str()).collect();
        cover.push((t.reviewers.clone(), names.join(", ")));
    }
    cover.push((t.scale.clone(), format!("{} ({} {})", scale.name.get(lang), scale.id, scale.version)));
    cover.push((t.generated.clone(), today.to_string()));

    let change_line = match (previous, ch.as_ref().and_then(|c| c.total_delta)) {
        (Some(p), Some(d)) => {
            format!("{}: {} ({} {})", t.change_since_previous, signed(d), t.previous.to_lowercase(), p.date)
        }
        (Some(p), None) => format!("{}: {} ({})", t.change_since_previous, t.dash, p.date),
        (None, _) => t.no_previous.clone(),
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
        let label = scale.bands[n.band_index].label.get(lang);
        let heading = format!("{} {} {}.", n.points_missing, t.points_missing, quoted(label, lang));
        let lines = n
            .closest
            .iter()
            .map(|h| {
                let name = scale.item(&h.id).map_or("", |i| i.name.get(lang));
                let how = match &h.gap {
                    Gap::Elements { missing } => format!("{missing} {}", t.more_elements),
                    Gap::Value { current, target } => {
                        format!(
                            "{} {} {} {}",
                            t.value_to_reach,
                            format_number(*current, lang),
                            t.to,
                            format_number(*target, lang)
                        )
                    }
                    Gap::Level => t.next_level_description.clone(),
                };
                format!("{} {} ({} → {}): {how}", h.id, name, h.current, h.next)
            })
            .collect();
        Some((heading, lines))
    } else if band.is_some_and(|_| summary.band.as_ref().is_some_and(|b| b.index == 0)) {
        Some((t.best_band.clone(), Vec::new()))
    } else {
        None
    };

    let mut history_points: Vec<HistoryPoint> = history
        .iter()
        .filter(|e| e.scale == scale.id && !(e.date == evaluation.date && e.kind == evaluation.kind))
        .chain(std::iter::once(&evaluation))
        .map(|e| {
            let s = score(scale, &e.scores);
            HistoryPoint {
                date: e.date,
                total: s.total,
                complete: s.complete,
                self_assessment: e.kind == EvaluationType::SelfAssessment,
                current: std::ptr::eq(*e, evaluation),
            }
        })
        .collect();
    history_points.sort_by_key(|p| (p.date, p.self_assessment));

    let items: Vec<ItemRow> = scale
        .items
        .iter()
        .map(|i| {
            let notes = evaluation.items.get(&i.id);
            let current = evaluation.scores.get(&i.id).copied();
            let prev = previous.and_then(|p| p.scores.get(&i.id).copied());
            ItemRow {
                id: i.id.clone(),
                name: i.name.get(lang).to_string(),
                score: current,
                previous: prev,
                change: match (current, prev) {
                    (Some(c), Some(p)) => Some(i32::from(c) - i32::from(p)),
                    _ => None,
                },
                rationale: notes.map_or(String::new(), |n| n.rationale.trim().to_string()),
                recommendation: notes.map_or(String::new(), |n| n.recommendation.trim().to_string()),
            }
        })
        .collect();
    // Strengths are items at the top score; areas to improve are two or more below it.
    let strengths = items.iter().filter(|r| r.score == Some(scale.score_max)).cloned().collect();
    let improve_at = scale.score_max.saturating_sub(2);
    let improvements = items.iter().filter(|r| r.score.is_some_and(|s| s <= improve_at)).cloned().collect();

    let actions = evaluation
        .actions
        .iter()
        .map(|a| ActionRow {
            what: a.what.clone(),
            item: a.item.as_ref().map_or(t.dash.clone(), |id| {
                scale.item(id).map_or(id.clone(), |i| format!("{} {}", i.id, i.name.get(lang)))
            }),
            owner: if a.owner.is_empty() { t.dash.clone() } else { a.owner.clone() },
            deadline: a.deadline.map_or(t.dash.clone(), |d| d.to_string()),
            status: a.status.label(lang).to_string(),
        })
        .collect();

    // The schedule counts complete independent reviews only, this one included.
    let reviews: Vec<(NaiveDate, u32)> = history
        .iter()
        .copied()
        .filter(|e| e.scale == scale.id && !(e.date == evaluation.date && e.kind == evaluation.kind))
        .chain(std::iter::once(evaluation))
        .filter(|e| e.kind == EvaluationType::Independent)
        .filter_map(|e| score(scale, &e.scores).complete_total().map(|tot| (e.date, tot)))
        .collect();
    let sch = schedule(scale, service.start_date, &reviews, today);
    // The cadence in the texts comes from the scale, not from the wording.
    let c = &scale.cadence;
    let target_band = scale.bands.get(c.target_band).map_or(String::new(), |b| b.label.get(lang).to_string());
    let fill = |template: &str| {
        template
            .replace("{earliest}", &c.first_review_earliest_months.to_string())
            .replace("{latest}", &c.first_review_latest_months.to_string())
            .replace("{before}", &c.review_interval_before_target.to_string())
            .replace("{after}", &c.review_interval_after_target.to_string())
            .replace("{target_band}", &target_band)
            .replace("{target_total}", &scale.target_total().to_string())
            .replace("{meetings_before}", &c.meetings_before_target.to_string())
            .replace("{meetings_after}", &c.meetings_after_target.to_string())
    };
    let mut schedule_lines = Vec::new();
    match &sch.next_review {
        Some(r) => {
            let overdue = if r.overdue { format!(" ({})", t.overdue) } else { String::new() };
            schedule_lines.push(format!("{}: {}{overdue}", t.next_review, r.due));
            if let (DueBasis::FirstReview { .. }, Some(from)) = (&r.basis, r.earliest) {
                schedule_lines.push(format!("{} {from} {} {}.", fill(&t.first_review_window), t.to, r.due));
            }
        }
        None => schedule_lines.push(t.no_schedule.clone()),
    }
    schedule_lines.push(fill(&t.interval_before));
    let steering_lines = vec![
        t.meetings_per_year.replace("{n}", &sch.steering_group.meetings_per_year.to_string()),
        if sch.steering_group.target_reached {
            fill(&t.meetings_reason_after)
        } else {
            fill(&t.meetings_reason_before)
        },
    ];

    ReportModel {
        texts: texts.clone(),
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
        change_line,
        sections,
        next_band,
        history: history_points,
        bands: scale
            .bands
            .iter()
            .enumerate()
            .map(|(rank, b)| BandZone { label: b.label.get(lang).to_string(), min: b.min, max: b.max, rank })
            .collect(),
        target_total: scale.target_total(),
        items,
        strengths,
        improvements,
        actions,
        schedule_lines,
        steering_lines,
        agenda: scale.cadence.agenda.iter().map(|a| a.get(lang).to_string()).collect(),
        footer: format!("{} – {}", service.name, evaluation.date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::workspace::Workspace;

    #[test]
    fn builtin_texts_load_in_both_languages() {
        for lang in Lang::ALL {
            let t = ReportTexts::builtin(lang).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(t.lang, lang);
        }
    }

    #[test]
    fn missing_text_names_the_field() {
        let json = REPORT_TEXTS[0].1.replace("\"dash\": \"–\"", "\"dash_typo\": \"–\"");
        let err = ReportTexts::from_json("reports/nb.json", &json).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("reports/nb.json") && err.contains("dash"), "{err}");
    }

    #[test]
    fn model_of_the_example_service() {
        let ws = Workspace::load(std::path::Path::new("examples/workspace"));
        let svc = &ws.services[0];
        let latest = &svc.evaluations[2].evaluation;
        let scale = ws.scale_of(latest).cloned().unwrap_or_else(|| panic!("scale"));
        let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
        let texts = ReportTexts::builtin(Lang::Nb).unwrap_or_else(|e| panic!("{e}"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let m = build(&scale, &svc.info, latest, &history, &texts, today);
        assert!(!m.preliminary);
        assert_eq!(m.total, score(&scale, &latest.scores).total);
        assert_eq!(m.band.as_deref(), Some("Bra kvalitet"));
        assert_eq!(m.history.len(), 3);
        assert_eq!(m.history.iter().filter(|p| p.current).count(), 1);
        assert!(m.change_line.contains('+'), "{}", m.change_line);
        assert_eq!(m.items.len(), 25);
        assert_eq!(m.sections.iter().map(|s| s.total).sum::<u32>(), m.total);
        assert!(m.improvements.iter().all(|r| r.score.is_some_and(|s| s <= 3)));
        assert!(m.strengths.iter().all(|r| r.score == Some(5)));
        assert_eq!(m.actions.len(), latest.actions.len());
        assert_eq!(m.agenda.len(), 6);
        assert!(m.steering_lines[0].contains('2'), "{:?}", m.steering_lines);
    }

    #[test]
    fn partial_model_has_no_band() {
        let (scales, _) = crate::core::workspace::ScaleSet::builtin();
        let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let mut e = Evaluation::new(
            &scale,
            "IPS Bodø",
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default(),
            EvaluationType::Independent,
        );
        e.scores.insert("B1".into(), 4);
        let texts = ReportTexts::builtin(Lang::En).unwrap_or_else(|err| panic!("{err}"));
        let m = build(&scale, &ServiceInfo::named("IPS Bodø"), &e, &[], &texts, NaiveDate::default());
        assert!(m.preliminary);
        assert_eq!(m.band, None);
        assert_eq!(m.next_band, None);
        assert_eq!(m.change_line, texts.no_previous);
    }
}
