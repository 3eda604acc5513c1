//! Sync conflict copies on the service page: a banner names each copy a sync service made of
//! a review, and a comparison shows the review and the copy side by side, item by item, where
//! the user keeps either version or takes items one by one. The result is sent as a command
//! and saved through the normal path (with history); the copy is then moved aside.

use std::collections::BTreeSet;

use egui::{RichText, Ui};

use super::Command;
use super::strings::Strings;
use super::widgets::named_selectable;
use ips_store::synced::{differing_items, other_parts_differ, take_items};
use ips_store::workspace::{ServiceRecord, Workspace};
use ips_text::text::{Lang, format_date};

/// The comparison being made: which copy, and the items taken from it.
#[derive(Debug, Default)]
pub struct ConflictsView {
    open: Option<String>,
    from_copy: BTreeSet<String>,
}

impl ConflictsView {
    pub fn reset(&mut self) {
        self.open = None;
        self.from_copy.clear();
    }

    /// The banner (one line per copy) and, when one is opened, its comparison.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        s: &Strings,
        lang: Lang,
        ws: &Workspace,
        rec: &ServiceRecord,
        commands: &mut Vec<Command>,
    ) {
        if rec.conflict_copies.is_empty() {
            self.reset();
            return;
        }
        egui::Frame::group(ui.style()).fill(ui.visuals().faint_bg_color).show(ui, |ui| {
            ui.label(RichText::new(s.conflict_copies_heading).strong().color(ui.visuals().warn_fg_color));
            ui.label(s.conflict_copies_text);
            for c in &rec.conflict_copies {
                ui.horizontal(|ui| {
                    let by = match c.made_by {
                        ips_store::synced::SyncService::FileCopy => s.copied_by_hand,
                        other => other.name(),
                    };
                    ui.label(format!("{} ({} {}, {by})", c.file_name, s.copy_of, c.original));
                    let open = self.open.as_deref() == Some(c.file_name.as_str());
                    let r = ui.add(egui::Button::new(s.compare).selected(open));
                    let name = format!("{} {}", s.compare, c.file_name);
                    r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, open, &name));
                    if r.clicked() {
                        self.open = if open { None } else { Some(c.file_name.clone()) };
                        self.from_copy.clear();
                    }
                });
            }
        });
        let Some(file) = self.open.clone() else {
            return;
        };
        let Some(copy) = rec.conflict_copies.iter().find(|c| c.file_name == file) else {
            self.reset();
            return;
        };
        let Some(ours) = rec.evaluation_index(&copy.original).and_then(|i| rec.evaluations.get(i)) else {
            return;
        };
        let ours = &ours.evaluation;
        let theirs = match &copy.evaluation {
            Ok(e) => e,
            Err(problems) => {
                for p in problems {
                    ui.colored_label(ui.visuals().error_fg_color, p.text(lang));
                }
                return;
            }
        };
        let Some(scale) = ws.scales.for_evaluation(ours) else {
            return;
        };
        let items = differing_items(scale, ours, theirs);
        ui.add_space(6.0);
        ui.heading(format!("{} – {} {}", s.compare, s.evaluation, format_date(ours.date, lang)));
        if items.is_empty() {
            ui.label(s.conflict_same_items);
        }
        let dash = "–".to_string();
        egui::Grid::new("conflict_items").num_columns(4).striped(true).spacing([14.0, 6.0]).show(ui, |ui| {
            for h in [s.item, s.this_version, s.the_copy, s.take] {
                ui.strong(h);
            }
            ui.end_row();
            for id in &items {
                let name = scale.item(id).map_or(id.clone(), |i| format!("{} {}", i.id, i.name.get(lang)));
                ui.label(&name);
                let side = |e: &ips_domain::evaluation::Evaluation| {
                    let score = e.scores.get(id).map_or(dash.clone(), u8::to_string);
                    let why = e.items.get(id).map_or(String::new(), |n| n.rationale.clone());
                    (score, why)
                };
                for (score, why) in [side(ours), side(theirs)] {
                    let r = ui.label(RichText::new(score).strong());
                    if !why.is_empty() {
                        r.on_hover_text(why);
                    }
                }
                ui.horizontal(|ui| {
                    let taken = self.from_copy.contains(id);
                    if named_selectable(ui, !taken, s.this_version, format!("{id}: {}", s.this_version)).clicked() {
                        self.from_copy.remove(id);
                    }
                    if named_selectable(ui, taken, s.the_copy, format!("{id}: {}", s.the_copy)).clicked() {
                        self.from_copy.insert(id.clone());
                    }
                });
                ui.end_row();
            }
        });
        if other_parts_differ(ours, theirs) {
            ui.colored_label(ui.visuals().warn_fg_color, s.conflict_other_parts);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let resolve =
                |result| Command::ResolveConflictCopy { service: rec.folder.clone(), copy: file.clone(), result };
            if ui.button(s.keep_this_version).clicked() {
                commands.push(resolve(Box::new(ours.clone())));
            }
            if ui.button(s.take_the_copy).clicked() {
                commands.push(resolve(Box::new(theirs.clone())));
            }
            let label = format!("{} ({})", s.save_choices, self.from_copy.len());
            if ui.add_enabled(!self.from_copy.is_empty(), egui::Button::new(label)).clicked() {
                commands.push(resolve(Box::new(take_items(ours, theirs, &self.from_copy))));
            }
            if ui.button(s.cancel).clicked() {
                self.reset();
            }
        });
        ui.separator();
    }
}
