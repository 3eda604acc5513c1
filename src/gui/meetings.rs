//! The styringsgruppe tab: when the group should meet (the core's schedule, from the scale's
//! cadence), the meetings recorded (date, who attended, decisions), a form to record one,
//! and the meeting pack PDF for a date. The view emits commands.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::calendar::calendar_button;
use super::strings::Strings;
use super::{Command, ViewCx};
use ips_domain::meetings::Meeting;
use ips_domain::trends::ServiceOverview;
use ips_store::workspace::ServiceRecord;
use ips_text::i18n::fill;
use ips_text::text::{format_date, parse_date};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct MeetingForm {
    pub date: String,
    pub attendees: String,
    pub decisions: String,
    pub notes: String,
    pub replaces: Option<NaiveDate>,
    pub error: Option<&'static str>,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

impl MeetingForm {
    /// The meeting, or why it cannot be saved.
    pub fn validate(&self, s: &Strings, existing: &[Meeting]) -> Result<Meeting, &'static str> {
        let date = parse_date(&self.date).ok_or(s.bad_date)?;
        if self.replaces != Some(date) && existing.iter().any(|m| m.date == date) {
            return Err(s.meeting_exists);
        }
        Ok(Meeting {
            date,
            attendees: lines(&self.attendees),
            decisions: lines(&self.decisions),
            notes: self.notes.trim().to_string(),
        })
    }
}

#[derive(Debug, Default)]
pub struct MeetingsView {
    form: MeetingForm,
    /// The meeting whose deletion waits for a yes.
    confirm_delete: Option<NaiveDate>,
}

impl MeetingsView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &ViewCx,
        rec: &ServiceRecord,
        row: Option<&ServiceOverview>,
        commands: &mut Vec<Command>,
    ) {
        let ViewCx { s, lang, today, .. } = *cx;
        let making_pdf = cx.report.is_running();
        if let Some(g) = row.and_then(|r| r.schedule.as_ref()).map(|s| &s.steering_group) {
            let day = |d: Option<NaiveDate>| d.map_or("–".to_string(), |d| format_date(d, lang));
            let text = fill(
                s.meetings_intro,
                &[("n", g.meetings_per_year.to_string()), ("last", day(g.last_meeting)), ("next", day(g.next_meeting))],
            );
            if g.meeting_overdue {
                ui.colored_label(ui.visuals().error_fg_color, format!("{text} – {}", s.overdue));
            } else {
                ui.label(text);
            }
        }
        ui.add_space(4.0);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong(s.record_meeting);
            let f = &mut self.form;
            if f.date.is_empty() {
                f.date = format_date(today, lang);
            }
            ui.horizontal(|ui| {
                let l = ui.label(s.meeting_date);
                ui.add(egui::TextEdit::singleline(&mut f.date).desired_width(110.0).hint_text(s.date_hint))
                    .labelled_by(l.id);
                calendar_button(ui, &mut f.date, lang, today, "meeting_date", s.pick_date);
                let date = parse_date(&f.date);
                if ui
                    .add_enabled(date.is_some() && !making_pdf, egui::Button::new(s.meeting_pack))
                    .on_hover_text(s.meeting_pack_hint)
                    .clicked()
                    && let Some(date) = date
                {
                    commands.push(Command::MakeMeetingPack { service: rec.folder.clone(), date });
                }
                if making_pdf {
                    ui.spinner();
                }
            });
            ui.columns(2, |cols| {
                let l = cols[0].label(s.attendees);
                cols[0]
                    .add(egui::TextEdit::multiline(&mut f.attendees).desired_rows(4).desired_width(f32::INFINITY))
                    .labelled_by(l.id);
                let l = cols[1].label(s.decisions);
                cols[1]
                    .add(egui::TextEdit::multiline(&mut f.decisions).desired_rows(4).desired_width(f32::INFINITY))
                    .labelled_by(l.id);
            });
            let l = ui.label(s.meeting_notes);
            ui.add(egui::TextEdit::multiline(&mut f.notes).desired_rows(2).desired_width(f32::INFINITY))
                .labelled_by(l.id);
            ui.horizontal(|ui| {
                if ui.button(s.save_meeting).clicked() {
                    match self.form.validate(s, &rec.meetings) {
                        Ok(meeting) => {
                            commands.push(Command::SaveMeeting {
                                service: rec.folder.clone(),
                                meeting,
                                replaces: self.form.replaces,
                            });
                            self.form = MeetingForm::default();
                        }
                        Err(e) => self.form.error = Some(e),
                    }
                }
                if let Some(e) = self.form.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        });
        ui.add_space(6.0);
        if rec.meetings.is_empty() {
            ui.weak(s.meetings_none);
        }
        egui::ScrollArea::vertical().id_salt("meetings_scroll").show(ui, |ui| {
            for m in rec.meetings.iter().rev() {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(format_date(m.date, lang)).strong());
                        if ui.button(format!("{} {}", s.edit_quarter, format_date(m.date, lang))).clicked() {
                            self.form = MeetingForm {
                                date: format_date(m.date, lang),
                                attendees: m.attendees.join("\n"),
                                decisions: m.decisions.join("\n"),
                                notes: m.notes.clone(),
                                replaces: Some(m.date),
                                error: None,
                            };
                        }
                        if self.confirm_delete == Some(m.date) {
                            if ui.button(format!("{} ({})", s.delete_yes, format_date(m.date, lang))).clicked() {
                                commands.push(Command::DeleteMeeting { service: rec.folder.clone(), date: m.date });
                                self.confirm_delete = None;
                            }
                            if ui.button(s.cancel).clicked() {
                                self.confirm_delete = None;
                            }
                        } else if ui.button(format!("{} {}", s.delete_meeting, format_date(m.date, lang))).clicked() {
                            self.confirm_delete = Some(m.date);
                        }
                    });
                    if !m.attendees.is_empty() {
                        ui.weak(m.attendees.join(", "));
                    }
                    for d in &m.decisions {
                        ui.label(format!("• {d}"));
                    }
                    if !m.notes.is_empty() {
                        ui.weak(&m.notes);
                    }
                });
            }
        });
    }
}
