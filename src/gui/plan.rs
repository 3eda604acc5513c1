//! The handlingsplan view: actions (tiltak) linked to items, with owner, deadline and
//! status. Drafts are made on request from the recommendations of the scale's weak items
//! (the rule is the core's [`ips_domain::plan`]), and the previous review's open actions can
//! be carried over. It draws the review read-only and emits [`Edit`]s: opening the plan
//! changes nothing.

use std::collections::HashMap;

use egui::Ui;

use super::ViewCx;
use super::calendar::calendar_button;
use super::strings::Strings;
use chrono::NaiveDate;
use ips_domain::edit::Edit;
use ips_domain::evaluation::{Action, ActionStatus, ActionStatusChange, Evaluation, ProgressNote};
use ips_domain::plan::draft_actions;
use ips_domain::scale::Scale;
use ips_text::i18n::fill;
use ips_text::text::{Lang, format_date, parse_date};

/// The plan tab's own state.
#[derive(Debug, Default)]
pub struct PlanView {
    /// Deadline text being typed, by action id.
    deadline_text: HashMap<String, String>,
    /// A progress note being typed, by action id.
    note_text: HashMap<String, String>,
}

impl PlanView {
    /// An action's owner and deadline.
    fn content_row(&mut self, ui: &mut Ui, s: &Strings, lang: Lang, n: usize, today: NaiveDate, action: &mut Action) {
        ui.horizontal(|ui| {
            let l = ui.label(s.owner);
            ui.add(egui::TextEdit::singleline(&mut action.owner).desired_width(180.0)).labelled_by(l.id);
            let text = self
                .deadline_text
                .entry(action.id.clone())
                .or_insert_with(|| action.deadline.map_or(String::new(), |d| format_date(d, lang)));
            let l = ui.label(s.deadline);
            let r =
                ui.add(egui::TextEdit::singleline(text).desired_width(100.0).hint_text(s.date_hint)).labelled_by(l.id);
            let fallback = action.deadline.unwrap_or(today);
            let picked = calendar_button(ui, text, lang, fallback, &format!("deadline_{n}"), s.pick_date);
            let parsed = parse_date(text);
            if (r.changed() || picked) && (parsed.is_some() || text.trim().is_empty()) {
                action.deadline = parsed;
            }
            if !text.trim().is_empty() && parsed.is_none() {
                ui.colored_label(ui.visuals().error_fg_color, s.bad_date);
            }
        });
    }

    /// An action's dated progress notes, and a field for the next one.
    fn progress_ui(&mut self, ui: &mut Ui, s: &Strings, lang: Lang, n: usize, today: NaiveDate, action: &mut Action) {
        for note in &action.progress {
            ui.weak(format!("{}: {}", format_date(note.date, lang), note.text));
        }
        ui.horizontal(|ui| {
            let text = self.note_text.entry(action.id.clone()).or_default();
            let l = ui.label(format!("{} ({} {})", s.progress_heading, s.action, n + 1));
            ui.add(egui::TextEdit::singleline(text).desired_width(360.0).hint_text(s.progress_hint)).labelled_by(l.id);
            let add = format!("{} ({} {})", s.progress_add, s.action, n + 1);
            if ui.add_enabled(!text.trim().is_empty(), egui::Button::new(add)).clicked() {
                action.progress.push(ProgressNote { date: today, text: text.trim().to_string() });
                text.clear();
            }
        });
    }

    /// Forgets typed deadlines (after undo/redo changed the actions under them).
    pub fn forget_texts(&mut self) {
        self.deadline_text.clear();
        self.note_text.clear();
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &ViewCx,
        scale: &Scale,
        draft: &Evaluation,
        previous: Option<&Evaluation>,
        edits: &mut Vec<Edit>,
    ) {
        let ViewCx { s, lang, today, .. } = *cx;
        let previous_plan = previous.map_or(&[][..], |p| p.actions.as_slice());
        let draftable = draft_actions(scale, draft);
        let final_review = ips_domain::lifecycle::is_final(draft);
        // A delivered plan of a final review is fixed; its follow-up goes on.
        let fixed = final_review && draft.plan_delivered.is_some();
        ui.horizontal(|ui| match draft.plan_delivered {
            Some(d) => {
                ui.label(fill(s.plan_delivered_label, &[("date", format_date(d, lang))]));
                // Delivered after its deadline: said, not hidden.
                if let Some(due) = ips_domain::lifecycle::plan_due(draft, scale).filter(|due| d > *due) {
                    let late = fill(s.plan_delivered_late, &[("due", format_date(due, lang))]);
                    ui.colored_label(ui.visuals().warn_fg_color, late);
                }
            }
            None => {
                let due = ips_domain::lifecycle::deadlines(draft, scale, today).plan;
                if let Some(due) = due {
                    let text = fill(s.plan_due_label, &[("due", format_date(due.due, lang))]);
                    if due.overdue {
                        ui.colored_label(ui.visuals().error_fg_color, format!("{text} – {}", s.overdue));
                    } else {
                        ui.label(text);
                    }
                }
                if !draft.actions.is_empty() && ui.button(s.mark_plan_delivered).clicked() {
                    edits.push(Edit::PlanDelivered(Some(today)));
                }
            }
        });
        if let Some(note) = &scale.cadence.deadlines_note {
            ui.add(egui::Label::new(egui::RichText::new(note.get(lang)).weak()).wrap());
        }
        if fixed {
            ui.weak(s.plan_locked_note);
        }
        if let Some(p) = previous.filter(|p| !p.actions.is_empty()) {
            egui::CollapsingHeader::new(fill(s.previous_plan_heading, &[("date", format_date(p.date, lang))]))
                .id_salt("previous_plan")
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new("previous_plan_grid").num_columns(4).striped(true).spacing([12.0, 4.0]).show(
                        ui,
                        |ui| {
                            for (a, outcome) in ips_domain::plan::outcomes(p) {
                                // A wrapped text in a grid needs a width of its own.
                                ui.scope(|ui| {
                                    ui.set_width(460.0);
                                    ui.add(egui::Label::new(&a.what).wrap());
                                });
                                ui.label(a.item.as_deref().unwrap_or("–"));
                                ui.strong(outcome.label(lang));
                                let note = a.progress.last().map_or("–".to_string(), |n| {
                                    format!("{}: {}", format_date(n.date, lang), n.text)
                                });
                                ui.scope(|ui| {
                                    ui.set_max_width(420.0);
                                    ui.add(egui::Label::new(egui::RichText::new(note).weak()).wrap());
                                });
                                ui.end_row();
                            }
                        },
                    );
                });
        }
        ui.add_enabled_ui(!fixed, |ui| {
            ui.horizontal(|ui| {
                if ui.button(s.new_action).clicked() {
                    edits.push(Edit::AddAction(Action { id: draft.next_action_id(), ..Action::default() }));
                }
                let label = format!("{} ({})", s.draft_from_recommendations, draftable.len());
                if ui.add_enabled(!draftable.is_empty(), egui::Button::new(label)).on_hover_text(s.draft_hint).clicked()
                {
                    let mut actions = draft.actions.clone();
                    actions.extend(draftable);
                    edits.push(Edit::Actions { actions, drafted: true });
                }
            })
        });
        ui.separator();
        let open_previous: Vec<&Action> = previous_plan.iter().filter(|a| a.status != ActionStatus::Done).collect();
        egui::ScrollArea::vertical().id_salt("plan_scroll").show(ui, |ui| {
            if draft.actions.is_empty() {
                ui.weak(s.no_actions);
            }
            let item_ids: Vec<(String, String)> =
                scale.items.iter().map(|i| (i.id.clone(), format!("{} {}", i.id, i.name.get(lang)))).collect();
            for (n, original) in draft.actions.iter().enumerate() {
                // The view edits a copy; a changed copy becomes one edit.
                let mut action = original.clone();
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.add_enabled_ui(!fixed, |ui| {
                        ui.horizontal(|ui| {
                            ui.strong(format!("{} {}", s.action, n + 1));
                            let item_text = action.item.as_ref().map_or(s.no_item.to_string(), |id| {
                                item_ids.iter().find(|(i, _)| i == id).map_or(id.clone(), |(_, t)| t.clone())
                            });
                            ui.name_inputs(format!("{} ({} {})", s.item, s.action, n + 1), |ui| {
                                egui::ComboBox::from_id_salt(("action_item", n))
                                    .selected_text(item_text)
                                    .width(280.0)
                                    .show_ui(ui, |ui| {
                                        ui.selectable_value(&mut action.item, None, s.no_item);
                                        for (id, text) in &item_ids {
                                            ui.selectable_value(&mut action.item, Some(id.clone()), text);
                                        }
                                    });
                            });
                            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                if ui.button(format!("{} {}", s.remove_action, n + 1)).clicked() {
                                    edits.push(Edit::RemoveAction { index: n });
                                }
                            });
                        })
                    });
                    let l = ui.label(format!("{} ({} {})", s.action_what, s.action, n + 1));
                    ui.add_enabled(
                        !fixed,
                        egui::TextEdit::multiline(&mut action.what).desired_rows(2).desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id);
                    ui.horizontal(|ui| {
                        ui.add_enabled_ui(!fixed, |ui| self.content_row(ui, s, lang, n, today, &mut action));
                        ui.label(s.status);
                        ui.name_inputs(format!("{} ({} {})", s.status, s.action, n + 1), |ui| {
                            egui::ComboBox::from_id_salt(("action_status", n))
                                .selected_text(action.status.label(lang))
                                .show_ui(ui, |ui| {
                                    for st in ActionStatus::ALL {
                                        ui.selectable_value(&mut action.status, st, st.label(lang));
                                    }
                                });
                        });
                        if let Some(c) = action.status_changes.last() {
                            ui.weak(fill(s.status_since, &[("date", format_date(c.date, lang))]));
                        }
                    });
                    self.progress_ui(ui, s, lang, n, today, &mut action);
                });
                if action.status != original.status {
                    action.status_changes.push(ActionStatusChange {
                        date: today,
                        from: original.status,
                        to: action.status,
                    });
                }
                if &action != original {
                    let text_only =
                        Action { what: original.what.clone(), owner: original.owner.clone(), ..action.clone() }
                            == *original;
                    edits.push(if text_only {
                        Edit::ActionText { index: n, what: action.what, owner: action.owner }
                    } else {
                        Edit::SetAction { index: n, action }
                    });
                }
            }
            if !open_previous.is_empty() {
                ui.add_space(10.0);
                ui.heading(s.previous_open_actions);
                for a in open_previous {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "• {} [{}] – {} – {}",
                            a.what,
                            a.item.as_deref().unwrap_or("–"),
                            if a.owner.is_empty() { "–" } else { &a.owner },
                            a.status.label(lang)
                        ));
                        let already = draft.actions.iter().any(|x| x.what == a.what);
                        if !already && ui.small_button(s.carry_over).clicked() {
                            let copy = Action { id: draft.next_action_id(), deadline: None, ..a.clone() };
                            edits.push(Edit::AddAction(copy));
                        }
                    });
                }
            }
        });
    }
}
