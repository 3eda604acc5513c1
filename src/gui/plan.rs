//! The handlingsplan: actions (tiltak) linked to items, with owner, deadline and status.
//! Drafts are made, on request, from the recommendations of the scale's weak items (the
//! rule is the core's [`ips_core::plan`]), and the previous review's open actions can be
//! carried over.

use std::collections::HashMap;

use chrono::NaiveDate;
use egui::Ui;

use super::editor::EvaluationEditor;
use super::strings::Strings;
use ips_core::evaluation::{Action, ActionStatus};
use ips_core::plan::draft_actions;
use ips_core::text::Lang;

#[derive(Debug, Default)]
pub struct PlanState {
    /// Deadline text being typed, by action id.
    deadline_text: HashMap<String, String>,
}

impl PlanState {
    /// Forgets typed deadlines (after undo/redo changed the actions under them).
    pub fn forget_texts(&mut self) {
        self.deadline_text.clear();
    }
}

pub fn ui(ed: &mut EvaluationEditor, ui: &mut Ui, s: &Strings, lang: Lang, previous_plan: &[Action]) {
    // Opening the plan changes nothing: drafting is the user's choice (action ids were
    // completed in memory when the review was opened).
    let draftable = draft_actions(&ed.scale, &ed.draft).len();
    ui.horizontal(|ui| {
        if ui.button(s.new_action).clicked() {
            let id = ed.draft.next_action_id();
            ed.draft.actions.push(Action { id, ..Action::default() });
        }
        if ui
            .add_enabled(draftable > 0, egui::Button::new(format!("{} ({draftable})", s.draft_from_recommendations)))
            .on_hover_text(s.draft_hint)
            .clicked()
        {
            let drafted = draft_actions(&ed.scale, &ed.draft);
            ed.draft.actions.extend(drafted);
            ed.draft.plan_drafted = true;
        }
    });
    ui.separator();
    let open_previous: Vec<&Action> = previous_plan.iter().filter(|a| a.status != ActionStatus::Done).collect();
    egui::ScrollArea::vertical().id_salt("plan_scroll").show(ui, |ui| {
        if ed.draft.actions.is_empty() {
            ui.weak(s.no_actions);
        }
        let mut remove = None;
        let item_ids: Vec<(String, String)> =
            ed.scale.items.iter().map(|i| (i.id.clone(), format!("{} {}", i.id, i.name.get(lang)))).collect();
        for (n, action) in ed.draft.actions.iter_mut().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.strong(format!("{} {}", s.action, n + 1));
                    let item_text = action.item.as_ref().map_or(s.no_item.to_string(), |id| {
                        item_ids.iter().find(|(i, _)| i == id).map_or(id.clone(), |(_, t)| t.clone())
                    });
                    ui.name_inputs(format!("{} ({} {})", s.item, s.action, n + 1), |ui| {
                        egui::ComboBox::from_id_salt(("action_item", n)).selected_text(item_text).width(280.0).show_ui(
                            ui,
                            |ui| {
                                ui.selectable_value(&mut action.item, None, s.no_item);
                                for (id, text) in &item_ids {
                                    ui.selectable_value(&mut action.item, Some(id.clone()), text);
                                }
                            },
                        );
                    });
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.button(format!("{} {}", s.remove_action, n + 1)).clicked() {
                            remove = Some(n);
                        }
                    });
                });
                let l = ui.label(format!("{} ({} {})", s.action_what, s.action, n + 1));
                ui.add(egui::TextEdit::multiline(&mut action.what).desired_rows(2).desired_width(f32::INFINITY))
                    .labelled_by(l.id);
                ui.horizontal(|ui| {
                    let l = ui.label(s.owner);
                    ui.add(egui::TextEdit::singleline(&mut action.owner).desired_width(180.0)).labelled_by(l.id);
                    let text = ed
                        .plan
                        .deadline_text
                        .entry(action.id.clone())
                        .or_insert_with(|| action.deadline.map_or(String::new(), |d| d.to_string()));
                    let l = ui.label(s.deadline);
                    let r = ui
                        .add(egui::TextEdit::singleline(text).desired_width(100.0).hint_text(s.date_hint))
                        .labelled_by(l.id);
                    let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
                    if r.changed() && (parsed.is_some() || text.trim().is_empty()) {
                        action.deadline = parsed;
                    }
                    if !text.trim().is_empty() && parsed.is_none() {
                        ui.colored_label(ui.visuals().error_fg_color, s.bad_date);
                    }
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
                });
            });
        }
        if let Some(n) = remove {
            let gone = ed.draft.actions.remove(n);
            ed.plan.deadline_text.remove(&gone.id);
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
                    let already = ed.draft.actions.iter().any(|x| x.what == a.what);
                    if !already && ui.small_button(s.carry_over).clicked() {
                        let mut copy = a.clone();
                        copy.id = ed.draft.next_action_id();
                        copy.deadline = None;
                        ed.draft.actions.push(copy);
                    }
                });
            }
        }
    });
}
