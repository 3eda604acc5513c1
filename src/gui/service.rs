//! One service: its details (editable), its evaluations, a new evaluation, deletion with
//! confirmation, and the trends tab.

use egui::{RichText, Ui};

use super::calendar::calendar_button;
use super::strings::Strings;
use super::widgets::{band_chip, labelled_field, signed};
use super::{Command, Route, ServiceTab, ViewCx};
use ips_domain::evaluation::{EvaluationType, ServiceInfo};
use ips_domain::history::ReviewFacts;
use ips_text::i18n::fill;
use ips_text::text::{Lang, format_date, parse_date, quoted};

/// A form for a service's details; validation lives in [`ServiceForm::validate`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceForm {
    pub name: String,
    pub nav_office: String,
    pub region: String,
    pub health_trust: String,
    pub partners: String,
    pub start: String,
    /// The service's own report language (none: each user's).
    pub report_lang: Option<Lang>,
    pub error: Option<&'static str>,
    base: ServiceInfo,
}

impl ServiceForm {
    pub fn from_info(info: &ServiceInfo, lang: Lang) -> Self {
        ServiceForm {
            name: info.name.clone(),
            nav_office: info.nav_office.clone(),
            region: info.region.clone(),
            health_trust: info.health_trust.clone(),
            partners: info.health_partners.join(", "),
            start: info.start_date.map_or(String::new(), |d| format_date(d, lang)),
            report_lang: info.report_lang,
            error: None,
            base: info.clone(),
        }
    }

    /// The service the form describes, or the reason it cannot be saved.
    pub fn validate(&self, s: &Strings) -> Result<ServiceInfo, &'static str> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(s.name_required);
        }
        let start_date = match self.start.trim() {
            "" => None,
            t => Some(parse_date(t).ok_or(s.bad_date)?),
        };
        let mut info = self.base.clone();
        info.name = name.to_string();
        info.nav_office = self.nav_office.trim().to_string();
        info.region = self.region.trim().to_string();
        info.health_trust = self.health_trust.trim().to_string();
        info.health_partners =
            self.partners.split([',', ';']).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        info.start_date = start_date;
        info.report_lang = self.report_lang;
        Ok(info)
    }

    /// Draws the form. `Some(Ok)` when submitted and valid, `Some(Err)` when cancelled.
    pub fn ui(&mut self, ui: &mut Ui, s: &Strings, submit: &str) -> Option<Result<ServiceInfo, ()>> {
        let mut result = None;
        egui::Grid::new("service_form").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
            labelled_field(ui, s.service_name, &mut self.name, 300.0);
            ui.end_row();
            labelled_field(ui, s.nav_office, &mut self.nav_office, 300.0);
            ui.end_row();
            labelled_field(ui, s.region_field, &mut self.region, 300.0);
            ui.end_row();
            labelled_field(ui, s.health_trust_field, &mut self.health_trust, 300.0);
            ui.end_row();
            labelled_field(ui, s.health_partners, &mut self.partners, 300.0);
            ui.end_row();
            let l = ui.label(s.start_date);
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut self.start).desired_width(120.0).hint_text(s.date_hint))
                    .labelled_by(l.id);
                let fallback = parse_date(&self.start).unwrap_or_else(|| chrono::Local::now().date_naive());
                calendar_button(ui, &mut self.start, s.lang, fallback, "service_start", s.pick_date);
            });
            ui.end_row();
            ui.label(s.report_language).on_hover_text(s.report_language_hint);
            let name = |l: Option<Lang>| l.map_or(s.report_language_users, Lang::native_name);
            ui.name_inputs(s.report_language, |ui| {
                egui::ComboBox::from_id_salt("service_report_lang").selected_text(name(self.report_lang)).show_ui(
                    ui,
                    |ui| {
                        for choice in std::iter::once(None).chain(Lang::ALL.map(Some)) {
                            ui.selectable_value(&mut self.report_lang, choice, name(choice));
                        }
                    },
                );
            });
            ui.end_row();
        });
        ui.horizontal(|ui| {
            if ui.button(submit).clicked() {
                match self.validate(s) {
                    Ok(info) => result = Some(Ok(info)),
                    Err(e) => self.error = Some(e),
                }
            }
            if ui.button(s.cancel).clicked() {
                result = Some(Err(()));
            }
            if let Some(e) = self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
        result
    }
}

#[derive(Debug, Default)]
pub struct ServiceView {
    editing: Option<(usize, ServiceForm)>,
    confirm_delete: Option<usize>,
    new_date: String,
    new_kind: EvaluationType,
    trends: super::trends::TrendsView,
    conflicts: super::conflicts::ConflictsView,
    outcomes: super::outcomes::OutcomesView,
    meetings: super::meetings::MeetingsView,
    /// The workspace cannot be written: what would change it is greyed out.
    pub read_only: bool,
}

impl ServiceView {
    /// Forgets forms, dialogs and cached rows (their service indices may have changed).
    pub fn reset(&mut self) {
        self.editing = None;
        self.confirm_delete = None;
        self.conflicts.reset();
        // A half-filled form belongs to the service it was started on.
        self.outcomes = Default::default();
        self.meetings = Default::default();
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx, index: usize, tab: ServiceTab, commands: &mut Vec<Command>) {
        let ViewCx { s, lang, ws, data_version, .. } = *cx;
        let row = cx.derived.rows.get(index);
        let facts = cx.derived.facts.get(index).map_or(&[][..], Vec::as_slice);
        let making_pdf = cx.report.is_running();
        let rec = &ws.services[index];
        let folder = &rec.folder;
        ui.horizontal(|ui| {
            ui.heading(&rec.info.name);
            if !rec.info.nav_office.is_empty() {
                ui.label(format!("· {}", rec.info.nav_office));
            }
        });
        let place: Vec<&str> =
            [rec.info.region.as_str(), rec.info.health_trust.as_str()].into_iter().filter(|x| !x.is_empty()).collect();
        if !place.is_empty() {
            ui.weak(place.join(" · "));
        }
        if !rec.info.health_partners.is_empty() {
            ui.weak(format!("{}: {}", s.partners_label, rec.info.health_partners.join(", ")));
        }
        if let Some(d) = rec.info.start_date {
            ui.weak(format!("{}: {}", s.started_label, format_date(d, lang)));
        }
        if let Some(sch) = row.and_then(|r| r.schedule.as_ref()) {
            ui.horizontal(|ui| {
                if let Some(r) = &sch.next_review {
                    let text = format!("{}: {}", s.col_next_review, format_date(r.due, lang));
                    if r.overdue {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            RichText::new(format!("{text} – {}", s.overdue)).strong(),
                        );
                    } else {
                        ui.label(text);
                    }
                    if let Some(from) = r.earliest {
                        ui.weak(format!("({} {})", s.ask_from, format_date(from, lang)));
                    }
                    ui.separator();
                }
                let meetings =
                    fill(s.meetings_per_year, &[("count", sch.steering_group.meetings_per_year.to_string())]);
                ui.label(format!("{}: {meetings}", s.col_steering));
            });
        }
        if let Some(row) = row {
            super::widgets::overdue_list(ui, s, lang, &row.overdue);
        }
        ui.horizontal(|ui| {
            for (t, label) in [
                (ServiceTab::Evaluations, s.tab_evaluations),
                (ServiceTab::Trends, s.tab_trends),
                (ServiceTab::Outcomes, s.tab_outcomes),
                (ServiceTab::Meetings, s.tab_meetings),
            ] {
                if ui.selectable_label(tab == t, label).clicked() {
                    commands.push(Command::Navigate(Route::Service(folder.clone(), t)));
                }
            }
            ui.separator();
            let writable = !self.read_only;
            if ui.add_enabled(writable, egui::Button::new(s.edit_service)).clicked() {
                self.editing = Some((index, ServiceForm::from_info(&rec.info, lang)));
            }
            if ui.add_enabled(!making_pdf, egui::Button::new(s.prep_pack)).on_hover_text(s.prep_pack_hint).clicked() {
                commands.push(Command::MakePrepPack);
            }
            if ui.button(s.export_package).on_hover_text(s.export_package_hint).clicked() {
                commands.push(Command::PickFile(super::FilePurpose::ExportPackage));
            }
            if ui.add_enabled(writable, egui::Button::new(s.delete_service)).clicked() {
                self.confirm_delete = Some(index);
            }
        });
        ui.separator();

        if let Some((i, form)) = &mut self.editing
            && *i == index
        {
            let outcome = egui::Frame::group(ui.style()).show(ui, |ui| form.ui(ui, s, s.save_changes)).inner;
            match outcome {
                Some(Ok(info)) => {
                    commands.push(Command::UpdateService(folder.clone(), info));
                    self.editing = None;
                }
                Some(Err(())) => self.editing = None,
                None => {}
            }
        }
        if self.confirm_delete == Some(index) {
            let modal = egui::Modal::new(egui::Id::unique("confirm_delete_service")).show(ui.ctx(), |ui| {
                ui.heading(s.delete_service);
                let question = fill(s.delete_confirm, &[("service", quoted(&rec.info.name, lang))]);
                ui.label(format!("{question} {}", s.delete_note));
                ui.horizontal(|ui| {
                    if ui.button(s.delete_yes).clicked() {
                        commands.push(Command::DeleteService(folder.clone()));
                        ui.close();
                    }
                    if ui.button(s.cancel).clicked() {
                        ui.close();
                    }
                });
            });
            if modal.should_close() {
                self.confirm_delete = None;
            }
        }

        self.conflicts.ui(ui, s, lang, ws, rec, commands);
        match tab {
            ServiceTab::Evaluations => self.evaluations_ui(ui, cx, index, facts, commands),
            ServiceTab::Trends => self.trends.ui(ui, s, lang, ws, index, data_version),
            ServiceTab::Outcomes => {
                let scale =
                    rec.evaluations.last().and_then(|r| ws.scale_of(&r.evaluation)).or(ws.scales.default_scale());
                let benchmarks = scale.map(|s| s.outcome_benchmarks.clone()).unwrap_or_default();
                let outcomes = &mut self.outcomes;
                ui.add_enabled_ui(!self.read_only, |ui| outcomes.ui(ui, s, lang, rec, &benchmarks, commands));
            }
            ServiceTab::Meetings => {
                let meetings = &mut self.meetings;
                ui.add_enabled_ui(!self.read_only, |ui| meetings.ui(ui, cx, rec, row, commands));
            }
        }
    }

    fn evaluations_ui(
        &mut self,
        ui: &mut Ui,
        cx: &ViewCx,
        index: usize,
        facts: &[ReviewFacts],
        commands: &mut Vec<Command>,
    ) {
        let ViewCx { s, lang, ws, today, .. } = *cx;
        let writable = !self.read_only;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.add_enabled_ui(writable, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(s.new_evaluation);
                    if self.new_date.is_empty() {
                        self.new_date = format_date(today, lang);
                    }
                    labelled_field(ui, s.date, &mut self.new_date, 110.0);
                    calendar_button(ui, &mut self.new_date, lang, today, "new_evaluation_date", s.pick_date);
                    for kind in EvaluationType::ALL {
                        ui.radio_value(&mut self.new_kind, kind, kind.label(lang));
                    }
                    // A date a review can have (the same years an import accepts).
                    let date = parse_date(&self.new_date)
                        .filter(|d| ips_domain::evaluation::PLAUSIBLE_YEARS.contains(&chrono::Datelike::year(d)));
                    if ui.add_enabled(date.is_some(), egui::Button::new(s.create_evaluation)).clicked()
                        && let Some(date) = date
                    {
                        commands.push(Command::NewEvaluation {
                            service: ws.services[index].folder.clone(),
                            date,
                            kind: self.new_kind,
                        });
                    }
                    if date.is_none() {
                        ui.colored_label(ui.visuals().error_fg_color, s.bad_date);
                    }
                })
            });
        });
        ui.add_space(6.0);
        if ws.services[index].evaluations.is_empty() {
            ui.weak(s.no_evaluations_yet);
            return;
        }

        egui::ScrollArea::vertical().id_salt("evaluations_scroll").show(ui, |ui| {
            egui::Grid::new("evaluations_grid").num_columns(8).striped(true).spacing([18.0, 8.0]).show(ui, |ui| {
                for h in [s.date, s.col_type, s.col_status, s.col_total, s.col_band, s.col_change, s.reviewers, ""] {
                    ui.strong(h);
                }
                ui.end_row();
                // Newest first.
                for row in facts.iter().rev() {
                    ui.label(RichText::new(format_date(row.date, lang)).strong());
                    ui.label(row.kind.label(lang));
                    let status = ws.services[index].evaluations.get(row.index).and_then(|r| r.evaluation.status);
                    ui.label(status.map_or("–", |st| st.label(lang)));
                    ui.label(format!("{} / {}", row.summary.total, row.summary.max));
                    ui.horizontal(|ui| {
                        if let Some(scale) = ws.scales.get_version(&row.scale_id, &row.scale_version) {
                            band_chip(ui, scale, row.summary.band.as_ref().map(|b| b.index), lang, s.preliminary);
                        }
                        // Scored on another version than the file records: say so beside the band.
                        if let Some(missing) = &row.missing_version {
                            ui.colored_label(
                                ui.visuals().warn_fg_color,
                                format!(
                                    "{} {missing} – {} {}",
                                    s.scale_version_short, s.scored_on_version, row.scale_version
                                ),
                            );
                        }
                    });
                    match row.change {
                        Some(d) => ui.label(signed(d)),
                        None => ui.weak("–"),
                    };
                    let reviewers = row.reviewers.join(", ");
                    ui.label(if reviewers.is_empty() { "–" } else { &reviewers });
                    if ui.button(format!("{} {}", s.open, format_date(row.date, lang))).clicked()
                        && let Some(rec) = ws.services[index].evaluations.get(row.index)
                    {
                        commands
                            .push(Command::OpenEvaluation(ws.services[index].folder.clone(), rec.file_name.clone()));
                    }
                    ui.end_row();
                }
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::strings;

    #[test]
    fn form_validation() {
        let s = strings::get(Lang::Nb);
        let mut f = ServiceForm::default();
        assert_eq!(f.validate(s), Err(s.name_required));
        f.name = "  IPS Ås ".into();
        f.start = "2024-13-01".into();
        assert_eq!(f.validate(s), Err(s.bad_date));
        f.start = "2024-01-15".into();
        f.partners = "DPS Ås; Ås kommune, ".into();
        let info = f.validate(s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(info.name, "IPS Ås");
        assert_eq!(info.health_partners, vec!["DPS Ås".to_string(), "Ås kommune".to_string()]);
    }
}
