//! The reviewers' preparation pack and the styringsgruppe's meeting pack as PDFs: thin
//! renderers of [`ips_domain::prepare::PrepPack`] and [`ips_domain::meeting_pack::MeetingPack`],
//! with the report's layout, fonts and texts.

use chrono::NaiveDate;

use ips_domain::meeting_pack::MeetingPack;
use ips_domain::prepare::PrepPack;
use ips_domain::report::ReportTexts;
use ips_text::i18n::fill;
use ips_text::text::{Lang, format_date, format_decimal, format_percent, format_percent_against};

use super::{ACCENT, CONTENT_W, Col, INK, Layout, MARGIN_X, MUTED, Meta, PdfError, RULE, WARN, now};

/// The preparation pack for a scale: data sources per item, the figures to collect, and
/// a blank scoring form.
pub fn prepare(p: &PrepPack) -> Result<Vec<u8>, PdfError> {
    let t = ReportTexts::builtin(p.lang);
    let footer = format!("{} – {} {}", t.prep_title, p.scale_id, p.scale_version);
    let mut l = Layout::new()?;
    l.space(6.0);
    l.paragraph(t.prep_title, 22.0, true, ACCENT, 0.0);
    l.paragraph(&p.scale_name, 13.0, true, INK, 0.0);
    l.space(2.0);
    let scale = format!("{} ({} {})", p.scale_name, p.scale_id, p.scale_version);
    l.paragraph(&fill(t.prep_intro, &[("scale", scale)]), 10.5, false, MUTED, 0.0);

    l.heading(t.prep_sources_heading);
    for s in &p.sources {
        l.subheading(&format!("{} ({})", s.name, s.id));
        l.paragraph(&fill(t.prep_source_items, &[("source", s.id.clone())]), 9.5, false, MUTED, 0.0);
        for (id, name) in &s.items {
            l.bullet(&format!("{id} {name}"), 10.0);
        }
    }

    l.heading(t.prep_figures_heading);
    l.paragraph(t.prep_figures_intro, 10.0, false, INK, 0.0);
    l.space(2.0);
    let rows: Vec<Vec<String>> = p
        .figures
        .iter()
        .map(|f| {
            let mut label = f.label.clone();
            if let Some(row) = &f.per_row {
                label = format!("{label} ({})", fill(t.prep_per_row, &[("row", row.to_lowercase())]));
            }
            let unit = if f.yes_no { t.prep_yes_no.to_string() } else { f.unit.clone() };
            vec![f.item.clone(), label, unit, String::new()]
        })
        .collect();
    l.table(
        &[
            Col { header: t.item, width: 14.0 },
            Col { header: t.prep_figure, width: 92.0 },
            Col { header: t.prep_unit, width: 32.0 },
            Col { header: t.prep_value, width: CONTENT_W - 138.0 },
        ],
        &rows,
        9.0,
    );

    l.new_page();
    l.heading(t.prep_form_heading);
    l.paragraph(t.prep_form_intro, 10.0, false, MUTED, 0.0);
    let mut section = String::new();
    for item in &p.form {
        if item.section != section {
            section = item.section.clone();
            l.subheading(&section);
        }
        // An item's block stays together where it can.
        let est = 22.0 + 5.0 * (item.levels.len() + item.elements.len() + item.inputs.len()) as f32;
        l.ensure(est.min(120.0));
        l.space(2.0);
        l.paragraph(&format!("{} {}", item.id, item.name), 11.0, true, INK, 0.0);
        let boxes: Vec<String> = item.levels.iter().map(|(s, _)| format!("☐ {s}")).collect();
        let line = format!("{}: {}     {}: {}", t.score, boxes.join("   "), t.prep_sources, item.sources.join(", "));
        l.paragraph(&line, 10.0, false, ACCENT, 0.0);
        for (score, text) in &item.levels {
            l.paragraph(&format!("{score}: {text}"), 8.5, false, INK, 3.0);
        }
        for e in &item.elements {
            l.paragraph(&format!("☐ {e}"), 8.5, false, INK, 3.0);
        }
        for i in &item.inputs {
            l.paragraph(&format!("{i}: ____________"), 8.5, false, INK, 3.0);
        }
        l.paragraph(&format!("{}:", t.prep_notes), 8.5, true, MUTED, 0.0);
        for _ in 0..3 {
            l.ensure(7.0);
            l.space(6.5);
            l.hline(MARGIN_X, MARGIN_X + CONTENT_W, l.y, RULE, 0.4);
        }
        l.space(2.0);
    }
    let meta = Meta {
        title: format!("{} – {}", t.prep_title, p.scale_name),
        authors: Vec::new(),
        subject: footer.clone(),
        created: now(),
        lang_tag: p.lang.tag(),
    };
    l.finish(&footer, t.page, t.page_of, None, &meta)
}

/// The styringsgruppe's meeting pack for one service and date.
pub fn meeting_pack(m: &MeetingPack, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let t = ReportTexts::builtin(lang);
    let date = format_date(m.date, lang);
    let footer = format!("{} – {} – {date}", t.pack_title, m.service);
    let mut l = Layout::new()?;
    l.space(6.0);
    l.paragraph(&format!("{} {date}", t.pack_title), 22.0, true, ACCENT, 0.0);
    l.paragraph(&m.service, 16.0, true, INK, 0.0);
    l.space(2.0);
    let why = if m.target_reached { t.pack_cadence_after } else { t.pack_cadence_before };
    let why = fill(why, &[("band", m.target_band.clone())]);
    l.paragraph(
        &fill(t.pack_cadence_line, &[("n", m.meetings_per_year.to_string()), ("why", why)]),
        10.5,
        false,
        INK,
        0.0,
    );
    let day = |d: Option<NaiveDate>| d.map_or(t.dash.to_string(), |d| format_date(d, lang));
    l.paragraph(
        &fill(t.pack_next, &[("review", day(m.next_review_due)), ("meeting", day(m.next_meeting_due))]),
        10.5,
        false,
        INK,
        0.0,
    );

    l.heading(t.pack_agenda_heading);
    for (i, a) in m.agenda.iter().enumerate() {
        l.paragraph(&format!("{}. {a}", i + 1), 10.5, false, INK, 2.0);
    }

    // Status: portefølje, resultater, ressurser.
    l.heading(t.pack_status_heading);
    let num = |v: f64| format_decimal(v, 1, lang);
    let pct = |v: f64| format_percent(v, lang);
    // A quarter's rate beside the goal never rounds across it (39,7 %, not 40 %).
    let rate = |v: f64| format_percent_against(v, m.benchmark_rate, lang);
    match m.quarters.last() {
        None => l.paragraph(t.pack_no_outcomes, 10.5, false, MUTED, 0.0),
        Some(q) => {
            let line = fill(
                t.pack_latest_quarter,
                &[
                    ("quarter", q.period.label(lang)),
                    ("job_seekers", q.job_seekers.to_string()),
                    ("per_fte", q.job_seekers_per_fte().map_or(t.dash.to_string(), num)),
                    ("in_work", q.in_work.to_string()),
                    ("rate", q.employment_rate().map_or(t.dash.to_string(), rate)),
                    ("new_jobs", q.new_jobs.to_string()),
                    ("fte", num(q.specialist_fte)),
                ],
            );
            l.paragraph(&line, 10.5, false, INK, 0.0);
            if let (Some(rate), Some(per_fte)) = (m.benchmark_rate, m.benchmark_per_fte) {
                let b = fill(t.pack_benchmark, &[("rate", pct(rate)), ("per_fte", num(per_fte))]);
                l.paragraph(&b, 9.5, false, MUTED, 0.0);
            }
            l.space(2.0);
            let rows: Vec<Vec<String>> = m
                .quarters
                .iter()
                .map(|q| {
                    vec![
                        q.period.label(lang),
                        q.job_seekers.to_string(),
                        q.job_seekers_per_fte().map_or(t.dash.to_string(), num),
                        q.in_work.to_string(),
                        q.employment_rate().map_or(t.dash.to_string(), rate),
                        q.in_education.map_or(t.dash.to_string(), |v| v.to_string()),
                        q.new_jobs.to_string(),
                        num(q.specialist_fte),
                    ]
                })
                .collect();
            l.table(
                &[
                    // Wide enough for «4. kvartal 2025» on one line.
                    Col { header: t.pack_quarter, width: 27.0 },
                    Col { header: t.pack_job_seekers, width: 23.0 },
                    Col { header: t.pack_per_fte, width: 20.0 },
                    Col { header: t.pack_in_work, width: 18.0 },
                    Col { header: t.pack_rate, width: 21.0 },
                    Col { header: t.pack_in_education, width: 23.0 },
                    Col { header: t.pack_new_jobs, width: 20.0 },
                    Col { header: t.pack_fte, width: CONTENT_W - 152.0 },
                ],
                &rows,
                8.5,
            );
            if let Some(note) = &m.basis_note {
                l.paragraph(note, 8.5, false, MUTED, 0.0);
            }
            l.paragraph(
                &format!(
                    "{}: {} · {}: {} · {}: {}",
                    t.pack_portfolio, t.pack_job_seekers, t.pack_results, t.pack_rate, t.pack_resources, t.pack_fte
                ),
                8.5,
                false,
                MUTED,
                0.0,
            );
        }
    }

    l.heading(t.pack_review_heading);
    match &m.review {
        None => l.paragraph(t.pack_no_review, 10.5, false, MUTED, 0.0),
        Some(r) => {
            let line = fill(
                t.pack_review_line,
                &[
                    ("date", format_date(r.date, lang)),
                    ("status", r.status.label(lang).to_string()),
                    ("total", r.total.map_or(t.dash.to_string(), |v| v.to_string())),
                    ("max", r.max.to_string()),
                    ("band", r.band.clone().unwrap_or_else(|| t.no_band.to_string())),
                ],
            );
            l.paragraph(&line, 11.0, true, INK, 0.0);
            if !r.weakest.is_empty() {
                l.subheading(t.pack_weakest);
                for (id, name, score) in &r.weakest {
                    l.bullet(&format!("{id} {name}: {score}"), 10.0);
                }
            }
        }
    }

    l.heading(t.pack_plan_heading);
    if m.actions.is_empty() {
        l.paragraph(t.plan_empty, 10.5, false, MUTED, 0.0);
    } else {
        let rows: Vec<Vec<String>> = m
            .actions
            .iter()
            .map(|a| {
                let mut status = a.status.label(lang).to_string();
                if a.overdue {
                    status = format!("{status} ({})", t.overdue);
                }
                vec![
                    a.what.clone(),
                    a.owner.clone(),
                    day(a.deadline),
                    status,
                    a.last_note.as_ref().map_or(t.dash.to_string(), |(d, n)| format!("{}: {n}", format_date(*d, lang))),
                ]
            })
            .collect();
        l.table(
            &[
                Col { header: t.action, width: 48.0 },
                Col { header: t.owner, width: 32.0 },
                Col { header: t.deadline, width: 21.0 },
                Col { header: t.status, width: 25.0 },
                Col { header: t.last_note, width: CONTENT_W - 126.0 },
            ],
            &rows,
            8.5,
        );
        if m.actions.iter().any(|a| a.overdue) {
            l.paragraph(
                &format!("{}: {}", t.overdue, m.actions.iter().filter(|a| a.overdue).count()),
                9.5,
                true,
                WARN,
                0.0,
            );
        }
    }

    l.heading(t.pack_previous_heading);
    match &m.previous {
        None => l.paragraph(t.pack_no_previous, 10.5, false, MUTED, 0.0),
        Some(p) => {
            l.paragraph(&format_date(p.date, lang), 10.5, true, INK, 0.0);
            if !p.attendees.is_empty() {
                l.paragraph(&format!("{}: {}", t.pack_attendees, p.attendees.join(", ")), 10.0, false, INK, 0.0);
            }
            if !p.decisions.is_empty() {
                l.paragraph(&format!("{}:", t.pack_decisions), 10.0, true, INK, 0.0);
                for d in &p.decisions {
                    l.bullet(d, 10.0);
                }
            }
        }
    }
    if let Some(this) = &m.this
        && (!this.attendees.is_empty() || !this.decisions.is_empty())
    {
        l.heading(t.pack_minutes_heading);
        if !this.attendees.is_empty() {
            l.paragraph(&format!("{}: {}", t.pack_attendees, this.attendees.join(", ")), 10.0, false, INK, 0.0);
        }
        for d in &this.decisions {
            l.bullet(d, 10.0);
        }
    }
    let meta = Meta {
        title: footer.clone(),
        authors: Vec::new(),
        subject: format!("{} – {}", t.pack_title, m.service),
        created: now(),
        lang_tag: lang.tag(),
    };
    l.finish(&footer, t.page, t.page_of, None, &meta)
}
