//! The factual-accuracy round: the service's comments on the draft report, item by item,
//! with the reviewers' answer (accepted and changed, or kept, with why); below it the
//! review's audit trail. It draws the review read-only and emits [`Edit::Accuracy`].

use egui::{RichText, Ui};

use super::ViewCx;
use ips_domain::edit::Edit;
use ips_domain::evaluation::{AccuracyAnswer, AccuracyComment, Evaluation};
use ips_domain::report::{ReportTexts, audit_row};
use ips_domain::scale::Scale;

/// The tab's own state: the item chosen for a new comment.
#[derive(Debug, Default)]
pub struct AccuracyView {
    new_item: Option<String>,
}

impl AccuracyView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &ViewCx,
        scale: &Scale,
        draft: &Evaluation,
        locked: bool,
        edits: &mut Vec<Edit>,
    ) {
        let ViewCx { s, lang, .. } = *cx;
        ui.label(s.accuracy_intro);
        ui.add_space(4.0);
        let name_of = |id: &str| scale.item(id).map_or(id.to_string(), |i| format!("{} {}", i.id, i.name.get(lang)));
        egui::ScrollArea::vertical().id_salt("accuracy_scroll").show(ui, |ui| {
            ui.add_enabled_ui(!locked, |ui| {
                let mut comments = draft.accuracy.clone();
                let mut remove = None;
                if comments.is_empty() {
                    ui.weak(s.accuracy_none);
                }
                for (n, c) in comments.iter_mut().enumerate() {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal(|ui| {
                            ui.strong(name_of(&c.item));
                            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                if ui.button(format!("{} ({})", s.accuracy_remove, c.item)).clicked() {
                                    remove = Some(n);
                                }
                            });
                        });
                        let l = ui.label(format!("{} ({})", s.accuracy_comment, c.item));
                        ui.add(egui::TextEdit::multiline(&mut c.comment).desired_rows(2).desired_width(f32::INFINITY))
                            .labelled_by(l.id);
                        ui.horizontal(|ui| {
                            ui.label(s.accuracy_answer);
                            ui.name_inputs(format!("{} ({})", s.accuracy_answer, c.item), |ui| {
                                egui::ComboBox::from_id_salt(("accuracy_answer", n))
                                    .selected_text(c.answer.label(lang))
                                    .show_ui(ui, |ui| {
                                        for a in AccuracyAnswer::ALL {
                                            ui.selectable_value(&mut c.answer, a, a.label(lang));
                                        }
                                    });
                            });
                        });
                        let l = ui.label(format!("{} ({})", s.accuracy_why, c.item));
                        ui.add(egui::TextEdit::multiline(&mut c.why).desired_rows(1).desired_width(f32::INFINITY))
                            .labelled_by(l.id);
                    });
                }
                if let Some(n) = remove {
                    comments.remove(n);
                }
                ui.horizontal(|ui| {
                    let chosen = self
                        .new_item
                        .clone()
                        .unwrap_or_else(|| scale.items.first().map_or(String::new(), |i| i.id.clone()));
                    ui.label(s.accuracy_item);
                    let mut pick = chosen.clone();
                    ui.name_inputs(s.accuracy_item, |ui| {
                        egui::ComboBox::from_id_salt("accuracy_new_item")
                            .selected_text(name_of(&chosen))
                            .width(300.0)
                            .show_ui(ui, |ui| {
                                for i in &scale.items {
                                    ui.selectable_value(&mut pick, i.id.clone(), name_of(&i.id));
                                }
                            });
                    });
                    self.new_item = Some(pick.clone());
                    if ui.button(s.accuracy_add).clicked() && !pick.is_empty() {
                        comments.push(AccuracyComment { item: pick, ..AccuracyComment::default() });
                    }
                });
                if comments != draft.accuracy {
                    edits.push(Edit::Accuracy(comments));
                }
            });

            ui.add_space(10.0);
            ui.heading(s.audit_heading);
            if draft.audit.is_empty() {
                ui.weak(s.audit_none);
            }
            let t = ReportTexts::builtin(lang);
            egui::Grid::new("audit_grid").num_columns(4).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                for a in &draft.audit {
                    let row = audit_row(a, t);
                    ui.label(row.when);
                    ui.label(row.who);
                    ui.label(RichText::new(row.what).strong());
                    ui.label(row.reason);
                    ui.end_row();
                }
            });
        });
    }
}
