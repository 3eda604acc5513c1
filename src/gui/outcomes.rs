//! The service's outcome figures (måltall) per quarter: a table with the employment rate
//! and job seekers per årsverk the core computes, and a form to add or correct a quarter.
//! Validation is the core's ([`QuarterFigures::problems`]); the view emits commands.

use egui::{RichText, Ui};

use super::Command;
use super::strings::Strings;
use ips_domain::outcomes::{JobSeekersBasis, Quarter, QuarterFigures, basis_note};
use ips_domain::scale::OutcomeBenchmarks;
use ips_store::workspace::ServiceRecord;
use ips_text::i18n::fill;
use ips_text::text::{Lang, format_decimal, format_percent, format_percent_against, parse_number};

/// The quarter form's fields as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterForm {
    pub period: String,
    pub job_seekers: String,
    pub in_work: String,
    pub in_education: String,
    pub new_jobs: String,
    pub specialist_fte: String,
    /// Whom `job_seekers` counts (new quarters: those out of work at entry, as the
    /// benchmark counts).
    pub basis: Option<JobSeekersBasis>,
    /// The quarter being corrected, when editing one.
    pub replaces: Option<Quarter>,
    pub error: Option<String>,
}

impl Default for QuarterForm {
    fn default() -> Self {
        QuarterForm {
            period: String::new(),
            job_seekers: String::new(),
            in_work: String::new(),
            in_education: String::new(),
            new_jobs: String::new(),
            specialist_fte: String::new(),
            basis: Some(JobSeekersBasis::OutOfWorkAtEntry),
            replaces: None,
            error: None,
        }
    }
}

impl QuarterForm {
    fn of(q: &QuarterFigures, lang: Lang) -> Self {
        QuarterForm {
            period: q.period.label(lang),
            job_seekers: q.job_seekers.to_string(),
            in_work: q.in_work.to_string(),
            in_education: q.in_education.map_or(String::new(), |v| v.to_string()),
            new_jobs: q.new_jobs.to_string(),
            specialist_fte: format_decimal(q.specialist_fte, 1, lang),
            basis: q.job_seekers_basis,
            replaces: Some(q.period),
            error: None,
        }
    }

    /// The figures, or what is wrong with them, in the user's language.
    pub fn validate(&self, s: &Strings, lang: Lang, existing: &[QuarterFigures]) -> Result<QuarterFigures, String> {
        let period = Quarter::parse(&self.period).ok_or_else(|| s.bad_quarter.to_string())?;
        if self.replaces != Some(period) && existing.iter().any(|q| q.period == period) {
            return Err(s.quarter_exists.to_string());
        }
        let count = |t: &str| -> Result<u32, String> {
            parse_number(t)
                .filter(|v| v.fract() == 0.0 && (0.0..=1e9).contains(v))
                .map(|v| v as u32)
                .ok_or_else(|| s.bad_count.to_string())
        };
        let figures = QuarterFigures {
            period,
            job_seekers: count(&self.job_seekers)?,
            in_work: count(&self.in_work)?,
            in_education: if self.in_education.trim().is_empty() { None } else { Some(count(&self.in_education)?) },
            new_jobs: count(&self.new_jobs)?,
            specialist_fte: parse_number(&self.specialist_fte)
                .filter(|v| *v >= 0.0)
                .ok_or_else(|| s.bad_fte.to_string())?,
            job_seekers_basis: self.basis,
        };
        let problems: Vec<String> = figures.problems().iter().map(|m| m.text(lang)).collect();
        if problems.is_empty() { Ok(figures) } else { Err(problems.join("; ")) }
    }
}

#[derive(Debug, Default)]
pub struct OutcomesView {
    form: QuarterForm,
    /// The quarter whose deletion waits for a yes.
    confirm_delete: Option<Quarter>,
}

impl OutcomesView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        s: &Strings,
        lang: Lang,
        rec: &ServiceRecord,
        benchmarks: &OutcomeBenchmarks,
        commands: &mut Vec<Command>,
    ) {
        ui.label(s.outcomes_intro);
        let pct = |v: f64| format_percent(v, lang);
        let num = |v: f64| format_decimal(v, 1, lang);
        if let (Some(rate), Some(per_fte)) = (benchmarks.employment_rate, benchmarks.job_seekers_per_fte_max) {
            ui.weak(fill(s.benchmark_line, &[("rate", pct(rate)), ("per_fte", num(per_fte))]));
        }
        ui.add_space(4.0);
        if rec.outcomes.is_empty() {
            ui.weak(s.outcomes_none);
        } else {
            egui::Grid::new("outcomes_grid").num_columns(9).striped(true).spacing([14.0, 6.0]).show(ui, |ui| {
                for h in [
                    s.quarter,
                    s.job_seekers,
                    s.in_work,
                    s.employment_rate,
                    s.in_education,
                    s.new_jobs,
                    s.specialist_fte,
                    s.per_fte,
                    "",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for q in rec.outcomes.iter().rev() {
                    let period = q.period.label(lang);
                    ui.label(RichText::new(&period).strong());
                    ui.label(q.job_seekers.to_string());
                    ui.label(q.in_work.to_string());
                    let rate = q.employment_rate();
                    let below = rate.zip(benchmarks.employment_rate).is_some_and(|(r, b)| r < b);
                    let rate_text =
                        rate.map_or("–".to_string(), |r| format_percent_against(r, benchmarks.employment_rate, lang));
                    if below {
                        ui.colored_label(ui.visuals().warn_fg_color, rate_text);
                    } else {
                        ui.label(rate_text);
                    }
                    ui.label(q.in_education.map_or("–".to_string(), |v| v.to_string()));
                    ui.label(q.new_jobs.to_string());
                    ui.label(num(q.specialist_fte));
                    // Above the caseload goal is flagged like a rate below its goal.
                    let per_fte = q.job_seekers_per_fte();
                    let per_fte_text = per_fte.map_or("–".to_string(), num);
                    if per_fte.zip(benchmarks.job_seekers_per_fte_max).is_some_and(|(v, max)| v > max) {
                        ui.colored_label(ui.visuals().warn_fg_color, per_fte_text);
                    } else {
                        ui.label(per_fte_text);
                    }
                    ui.horizontal(|ui| {
                        if ui.button(format!("{} {period}", s.edit_quarter)).clicked() {
                            self.form = QuarterForm::of(q, lang);
                        }
                        if self.confirm_delete == Some(q.period) {
                            if ui.button(format!("{} ({period})", s.delete_yes)).clicked() {
                                commands.push(Command::DeleteQuarter { service: rec.folder.clone(), period: q.period });
                                self.confirm_delete = None;
                            }
                            if ui.button(s.cancel).clicked() {
                                self.confirm_delete = None;
                            }
                        } else if ui.button(format!("{} {period}", s.delete_quarter)).clicked() {
                            self.confirm_delete = Some(q.period);
                        }
                    });
                    ui.end_row();
                }
            });
            // Whom the rate is counted over, under the figures (the benchmark's definition
            // is the scale's; the quarters say what they count).
            let definition = benchmarks.employment_rate_definition.as_ref().map(|t| t.get(lang));
            if let Some(note) = basis_note(definition, &rec.outcomes, lang) {
                ui.add(egui::Label::new(RichText::new(note).weak()).wrap());
            }
        }
        ui.add_space(8.0);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::Grid::new("quarter_form").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
                let f = &mut self.form;
                for (label, field, hint) in [
                    (s.quarter, &mut f.period, s.quarter_hint),
                    (s.job_seekers, &mut f.job_seekers, ""),
                    (s.in_work, &mut f.in_work, ""),
                    (s.in_education, &mut f.in_education, ""),
                    (s.new_jobs, &mut f.new_jobs, ""),
                    (s.specialist_fte, &mut f.specialist_fte, ""),
                ] {
                    let l = ui.label(label);
                    ui.add(egui::TextEdit::singleline(field).desired_width(120.0).hint_text(hint)).labelled_by(l.id);
                    ui.end_row();
                }
                let l = ui.label(s.job_seekers_basis);
                let name = |b: Option<JobSeekersBasis>| b.map_or(s.job_seekers_basis_not_stated, |b| b.label(lang));
                egui::ComboBox::from_id_salt("job_seekers_basis")
                    .selected_text(name(f.basis))
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for b in JobSeekersBasis::ALL.map(Some).into_iter().chain([None]) {
                            ui.selectable_value(&mut f.basis, b, name(b));
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
            });
            ui.horizontal(|ui| {
                if ui.button(s.save_quarter).clicked() {
                    match self.form.validate(s, lang, &rec.outcomes) {
                        Ok(figures) => {
                            commands.push(Command::SaveQuarter {
                                service: rec.folder.clone(),
                                figures,
                                replaces: self.form.replaces,
                            });
                            self.form = QuarterForm::default();
                        }
                        Err(e) => self.form.error = Some(e),
                    }
                }
                if let Some(e) = &self.form.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        });
    }
}
