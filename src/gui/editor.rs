//! The evaluation editor: score items (by mouse or keys 1-5, arrows/Tab to move), record
//! checklists, measured numbers, rationale, sources and recommendations, with a summary
//! that stays in view. It edits a draft copy; the app saves the draft when it changes.
//! Tabs for the two-reviewer consensus and the handlingsplan live in their own files.

use std::collections::HashMap;

use egui::{Key, Modifiers, RichText, Ui};

use super::report::ReportStatus;
use super::strings::Strings;
use super::widgets::{band_chip, labelled_field, named_button, named_selectable, signed};
use super::{Command, Route, ServiceTab};
use ips_core::agreement::{Agreement, agreement};
use ips_core::evaluation::{Evaluation, ItemNotes, Reviewer, Scores};
use ips_core::scale::{InputKind, InputValue, Item, ItemKind, Scale};
use ips_core::scoring::{Change, Gap, NextBand, ScoreSummary, change, next_band, score};
use ips_core::text::{Lang, format_number, quoted};
use ips_core::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorTab {
    Scoring,
    Consensus,
    Plan,
}

/// Whose scores the keys and level buttons set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoringMode {
    Consensus,
    Reviewer(usize),
}

/// Numbers derived from the draft, recomputed when it changes.
#[derive(Debug, Clone)]
pub struct DraftSummary {
    pub score: ScoreSummary,
    pub next: Option<NextBand>,
    pub change: Option<Change>,
    pub agreement: Option<Agreement>,
}

const UNDO_LIMIT: usize = 200;
/// Typing within this many seconds is one undo step.
const TYPING_MERGE_SECS: f64 = 1.5;
/// Typing is saved after this pause.
const SAVE_AFTER_SECS: f64 = 0.5;

pub struct EvaluationEditor {
    pub service: usize,
    pub evaluation: usize,
    pub draft: Evaluation,
    saved: Evaluation,
    pub scale: Scale,
    pub previous: Option<Evaluation>,
    pub selected: usize,
    pub tab: EditorTab,
    pub mode: ScoringMode,
    /// The reviewer chose to see the other reviewers' scores before all are done.
    pub reveal: bool,
    undo: Vec<Evaluation>,
    redo: Vec<Evaluation>,
    last_edit: f64,
    last_edit_was_text: bool,
    discrete_pending: bool,
    pub conflict: bool,
    pub save_failed: bool,
    /// The unsaved edits were written to the conflicts folder.
    pub rescued: bool,
    pub summary: DraftSummary,
    /// Text being typed into number fields, by (item, input).
    number_text: HashMap<(String, String), String>,
    new_reviewer: String,
    pub plan: super::plan::PlanState,
    scroll_to_selected: bool,
    /// Set by undo/redo: the frame's change is a history step, not a new edit.
    history_step: bool,
    /// Earlier saved versions, listed when the user asked for them.
    pub history: Option<Vec<Version>>,
    /// The scale version the file records when it is not known here (scored on the newest).
    pub missing_version: Option<String>,
    /// A newer version of the scale, which the review can be re-scored on when asked.
    pub newer_scale: Option<Scale>,
}

/// An earlier saved version of the evaluation file.
#[derive(Debug, Clone)]
pub struct Version {
    pub path: std::path::PathBuf,
    pub when: String,
    pub total: Option<u32>,
}

/// "2026-11-23 02:45:12 UTC" from a history file name (`20261123T024512.123456Z-...`).
pub fn version_time(path: &std::path::Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stamp = name.split('.').next().unwrap_or("");
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S")
        .map(|t| format!("{} UTC", t.format("%Y-%m-%d %H:%M:%S")))
        .unwrap_or_else(|_| name.to_string())
}

impl EvaluationEditor {
    pub fn new(
        service: usize,
        evaluation: usize,
        draft: Evaluation,
        scale: Scale,
        previous: Option<Evaluation>,
    ) -> Self {
        let summary = summarize(&scale, &draft, previous.as_ref());
        EvaluationEditor {
            service,
            evaluation,
            saved: draft.clone(),
            draft,
            scale,
            previous,
            selected: 0,
            tab: EditorTab::Scoring,
            mode: ScoringMode::Consensus,
            reveal: false,
            undo: Vec::new(),
            redo: Vec::new(),
            last_edit: f64::NEG_INFINITY,
            last_edit_was_text: false,
            discrete_pending: false,
            conflict: false,
            save_failed: false,
            rescued: false,
            summary,
            number_text: HashMap::new(),
            new_reviewer: String::new(),
            plan: super::plan::PlanState::default(),
            scroll_to_selected: false,
            history_step: false,
            history: None,
            missing_version: None,
            newer_scale: None,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.draft != self.saved
    }

    /// Whether the app should write the draft now.
    pub fn save_due(&self, now: f64) -> bool {
        self.is_dirty()
            && !self.conflict
            && !self.save_failed
            && (self.discrete_pending || now - self.last_edit >= SAVE_AFTER_SECS)
    }

    pub fn mark_saved(&mut self) {
        self.saved = self.draft.clone();
        self.discrete_pending = false;
        self.save_failed = false;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) {
        if let Some(prev) = self.undo.pop() {
            self.redo.push(std::mem::replace(&mut self.draft, prev));
            self.after_history_step();
        }
    }

    pub fn redo(&mut self) {
        if let Some(next) = self.redo.pop() {
            self.undo.push(std::mem::replace(&mut self.draft, next));
            self.after_history_step();
        }
    }

    fn after_history_step(&mut self) {
        // The step may have removed the reviewer being scored as.
        if let ScoringMode::Reviewer(i) = self.mode
            && i >= self.draft.reviewers.len()
        {
            self.mode = ScoringMode::Consensus;
        }
        self.plan.forget_texts();
        self.history_step = true;
        self.discrete_pending = true;
        self.last_edit_was_text = false;
        self.number_text.clear();
        self.refresh();
    }

    /// Replaces the draft and its scale (re-scoring on a new version, which the user
    /// confirmed). Undo cannot cross it: earlier steps belong to the other scale version.
    pub fn replace_draft(&mut self, draft: Evaluation, scale: Scale) {
        self.draft = draft;
        self.scale = scale;
        self.undo.clear();
        self.redo.clear();
        self.discrete_pending = true;
        self.last_edit_was_text = false;
        self.save_failed = false;
        self.number_text.clear();
        self.refresh();
    }

    fn refresh(&mut self) {
        // In a reviewer's mode the summary is of that reviewer's own scores.
        self.summary = match self.mode {
            ScoringMode::Reviewer(i) if i < self.draft.reviewers.len() => {
                let mut view = self.draft.clone();
                view.scores = self.draft.reviewers[i].scores.clone();
                summarize(&self.scale, &view, self.previous.as_ref())
            }
            _ => summarize(&self.scale, &self.draft, self.previous.as_ref()),
        };
    }

    /// Records that the draft changed from `before` during this frame.
    fn record_change(&mut self, before: Evaluation, now: f64) {
        let text_only = same_structure(&before, &self.draft);
        let merge = text_only && self.last_edit_was_text && now - self.last_edit < TYPING_MERGE_SECS;
        if !merge {
            self.undo.push(before);
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last_edit = now;
        self.last_edit_was_text = text_only;
        if !text_only {
            self.discrete_pending = true;
        }
        self.save_failed = false;
        self.refresh();
    }

    /// The scores the current mode edits.
    pub fn active_scores(&self) -> &Scores {
        match self.mode {
            ScoringMode::Reviewer(i) => self.draft.reviewers.get(i).map_or(&self.draft.scores, |r| &r.scores),
            ScoringMode::Consensus => &self.draft.scores,
        }
    }

    fn active_scores_mut(&mut self) -> &mut Scores {
        match self.mode {
            ScoringMode::Reviewer(i) if i < self.draft.reviewers.len() => &mut self.draft.reviewers[i].scores,
            _ => &mut self.draft.scores,
        }
    }

    /// Sets (or clears, with `None`) the selected item's score in the current mode.
    pub fn set_score(&mut self, item: usize, value: Option<u8>) {
        let Some(id) = self.scale.items.get(item).map(|i| i.id.clone()) else {
            return;
        };
        let scores = self.active_scores_mut();
        match value {
            Some(v) => scores.insert(id, v),
            None => scores.remove(&id),
        };
    }

    fn select(&mut self, index: usize) {
        self.selected = index.min(self.scale.items.len().saturating_sub(1));
        self.scroll_to_selected = true;
    }

    fn keyboard(&mut self, ui: &Ui) {
        // Undo/redo also while typing would fight the text field's own undo.
        if !ui.text_edit_focused() {
            let redo = ui.input_mut(|i| {
                i.consume_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z))
                    || i.consume_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND, Key::Y))
            });
            if redo {
                self.redo();
            } else if ui.input_mut(|i| i.consume_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND, Key::Z))) {
                self.undo();
            }
        }
        if self.tab != EditorTab::Scoring || ui.text_edit_focused() {
            return;
        }
        let digits = [
            Key::Num0,
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        let pressed = ui.input(|i| digits.iter().position(|k| i.key_pressed(*k) && i.modifiers.is_none()));
        if let Some(d) = pressed.and_then(|d| u8::try_from(d).ok())
            && self.scale.score_range().contains(&d)
        {
            self.set_score(self.selected, Some(d));
            // Move on, so the whole scale can be scored with the number keys alone.
            if self.selected + 1 < self.scale.items.len() {
                self.select(self.selected + 1);
            }
        }
        let focus_free = ui.memory(|m| m.focused().is_none());
        let (down, up) = ui.input_mut(|i| {
            // Tab moves between items only while no widget has the focus, so keyboard users
            // can still Tab into the fields and buttons.
            let tab = focus_free;
            let down =
                i.consume_key(Modifiers::NONE, Key::ArrowDown) || (tab && i.consume_key(Modifiers::NONE, Key::Tab));
            let up = i.consume_key(Modifiers::NONE, Key::ArrowUp) || (tab && i.consume_key(Modifiers::SHIFT, Key::Tab));
            (down, up)
        });
        if down && self.selected + 1 < self.scale.items.len() {
            self.select(self.selected + 1);
        }
        if up && self.selected > 0 {
            self.select(self.selected - 1);
        }
        if ui.input_mut(|i| {
            i.consume_key(Modifiers::NONE, Key::Delete) || i.consume_key(Modifiers::NONE, Key::Backspace)
        }) {
            self.set_score(self.selected, None);
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        s: &Strings,
        lang: Lang,
        ws: &Workspace,
        report: &ReportStatus,
        commands: &mut Vec<Command>,
    ) {
        let before = self.draft.clone();
        let now = ui.input(|i| i.time);
        self.keyboard(ui);
        // The service's current name (it may have been renamed since the review was made).
        let service_name = ws
            .services
            .get(self.service)
            .map_or_else(|| self.draft.service.name().to_string(), |r| r.info.name.clone());
        self.header(ui, s, lang, &service_name, report, commands);
        match self.tab {
            EditorTab::Scoring => self.scoring_tab(ui, s, lang),
            EditorTab::Consensus => super::consensus::ui(self, ui, s, lang),
            EditorTab::Plan => {
                // The previous review's plan: the same "previous review" as everywhere.
                let previous_plan = self.previous.as_ref().map(|p| p.actions.clone()).unwrap_or_default();
                super::plan::ui(self, ui, s, lang, &previous_plan);
            }
        }
        self.versions_window(ui, s, commands);
        if std::mem::take(&mut self.history_step) {
            // Undo/redo moved through history; that is not a new edit.
        } else if self.draft != before {
            self.record_change(before, now);
        }
    }

    fn header(
        &mut self,
        ui: &mut Ui,
        s: &Strings,
        lang: Lang,
        service_name: &str,
        report: &ReportStatus,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            ui.heading(format!("{service_name} – {}", self.draft.date));
            ui.label(RichText::new(self.draft.kind.label(lang)).italics());
            ui.weak(format!("{} {}", self.scale.name.get(lang), self.scale.version));
        });
        if let Some(missing) = &self.missing_version {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{} {missing} – {} {}", s.scale_version_missing, s.scored_on_version, self.scale.version),
            );
        } else if let Some(newer) = &self.newer_scale {
            ui.horizontal(|ui| {
                ui.weak(format!("{} {}", s.newer_scale_version, newer.version));
                if ui.button(format!("{} {}", s.rescore_on_version, newer.version)).on_hover_text(s.rescore_hint).clicked()
                {
                    commands.push(Command::RescoreOnNewerScale);
                }
            });
        }
        if self.conflict {
            ui.horizontal(|ui| {
                ui.colored_label(ui.visuals().error_fg_color, s.conflict_banner);
                if ui.button(s.reload).clicked() {
                    commands.push(Command::Reload);
                }
            });
        } else if self.save_failed {
            ui.colored_label(ui.visuals().error_fg_color, s.save_failed_banner);
        }
        ui.horizontal(|ui| {
            for (tab, label) in [
                (EditorTab::Scoring, s.tab_scoring),
                (EditorTab::Consensus, s.tab_consensus),
                (EditorTab::Plan, s.tab_plan),
            ] {
                if ui.selectable_label(self.tab == tab, label).clicked() {
                    self.tab = tab;
                }
            }
            ui.separator();
            if ui.add_enabled(self.can_undo(), egui::Button::new(s.undo)).on_hover_text("Ctrl+Z").clicked() {
                self.undo();
            }
            if ui.add_enabled(self.can_redo(), egui::Button::new(s.redo)).on_hover_text("Ctrl+Shift+Z").clicked() {
                self.redo();
            }
            ui.separator();
            let status = if self.conflict || self.save_failed {
                s.not_saved
            } else if self.is_dirty() {
                s.saving
            } else {
                s.all_saved
            };
            ui.weak(status);
            if ui.button(s.versions).on_hover_text(s.versions_hint).clicked() {
                commands.push(Command::ShowHistory);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(s.back_to_service).clicked() {
                    commands.push(Command::Navigate(Route::Service(self.service, ServiceTab::Evaluations)));
                }
                ui.separator();
                match report {
                    ReportStatus::Running { .. } => {
                        ui.label(s.making_report);
                        ui.spinner();
                    }
                    _ => {
                        if let ReportStatus::Done(path) = report {
                            if let Some(dir) = path.parent()
                                && ui.button(s.open_folder).on_hover_text(dir.display().to_string()).clicked()
                            {
                                commands.push(Command::OpenPath(dir.to_path_buf()));
                            }
                            if ui.button(s.open_report).on_hover_text(path.display().to_string()).clicked() {
                                commands.push(Command::OpenPath(path.clone()));
                            }
                        }
                        if ui.button(s.make_report).on_hover_text(s.make_report_hint).clicked() {
                            commands.push(Command::MakeReport);
                        }
                    }
                }
            });
        });
        ui.separator();
    }

    /// The list of earlier versions with a restore button each.
    fn versions_window(&mut self, ui: &Ui, s: &Strings, commands: &mut Vec<Command>) {
        let Some(versions) = &self.history else {
            return;
        };
        let mut open = true;
        egui::Window::new(s.versions).open(&mut open).resizable(false).collapsible(false).show(ui.ctx(), |ui| {
            if versions.is_empty() {
                ui.label(s.no_versions);
            }
            egui::Grid::new("versions_grid").num_columns(3).striped(true).show(ui, |ui| {
                for (n, v) in versions.iter().enumerate() {
                    ui.label(&v.when);
                    ui.label(v.total.map_or("–".to_string(), |t| format!("{} {t}", s.total)));
                    if named_button(ui, s.restore, format!("{} {}", s.restore_version, n + 1)).clicked() {
                        commands.push(Command::RestoreVersion(v.path.clone()));
                    }
                    ui.end_row();
                }
            });
        });
        if !open {
            self.history = None;
        }
    }

    fn scoring_tab(&mut self, ui: &mut Ui, s: &Strings, lang: Lang) {
        self.mode_bar(ui, s);
        egui::Panel::right("summary").resizable(false).exact_size(290.0).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("summary_scroll").show(ui, |ui| self.summary_ui(ui, s, lang));
        });
        egui::Panel::left("item_list").resizable(true).default_size(330.0).size_range(240.0..=480.0).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("item_list_scroll").show(ui, |ui| self.item_list(ui, s, lang));
        });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("item_detail_scroll").show(ui, |ui| self.item_detail(ui, s, lang));
        });
    }

    fn hidden_scores(&self) -> bool {
        let all_done = self.draft.reviewers.len() >= 2 && self.draft.reviewers.iter().all(|r| r.done);
        matches!(self.mode, ScoringMode::Reviewer(_)) && !all_done && !self.reveal
    }

    fn mode_bar(&mut self, ui: &mut Ui, s: &Strings) {
        let mode_before = self.mode;
        ui.horizontal_wrapped(|ui| {
            ui.label(s.scoring_as);
            if ui.selectable_label(self.mode == ScoringMode::Consensus, s.consensus_scores).clicked() {
                self.mode = ScoringMode::Consensus;
            }
            for (i, r) in self.draft.reviewers.iter().enumerate() {
                let label = if r.name.is_empty() { format!("{} {}", s.reviewer, i + 1) } else { r.name.clone() };
                if ui.selectable_label(self.mode == ScoringMode::Reviewer(i), label).clicked() {
                    self.mode = ScoringMode::Reviewer(i);
                }
            }
            ui.separator();
            let field = labelled_field(ui, s.new_reviewer_label, &mut self.new_reviewer, 140.0);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ui.button(s.add_reviewer).clicked() || enter) && !self.new_reviewer.trim().is_empty() {
                self.draft
                    .reviewers
                    .push(Reviewer { name: self.new_reviewer.trim().to_string(), ..Default::default() });
                self.mode = ScoringMode::Reviewer(self.draft.reviewers.len() - 1);
                self.new_reviewer.clear();
            }
            if let ScoringMode::Reviewer(i) = self.mode {
                if let Some(r) = self.draft.reviewers.get_mut(i) {
                    ui.separator();
                    ui.checkbox(&mut r.done, s.reviewer_done);
                }
                if self.hidden_scores() {
                    ui.weak(s.others_hidden);
                }
            }
        });
        if self.mode != mode_before {
            self.refresh();
        }
        ui.separator();
    }

    fn item_list(&mut self, ui: &mut Ui, s: &Strings, lang: Lang) {
        let scores = self.active_scores().clone();
        for (si, section) in self.scale.sections.iter().enumerate() {
            let sub = &self.summary.score.sections[si];
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.strong(section.name.get(lang));
                ui.weak(format!("{} / {}", section_total(&self.scale, &scores, si), sub.max));
            });
            for (idx, item) in self.scale.items.iter().enumerate().filter(|(_, i)| i.section == si) {
                let score_text = scores.get(&item.id).map_or("–".to_string(), u8::to_string);
                let prev = self
                    .previous
                    .as_ref()
                    .and_then(|p| p.scores.get(&item.id))
                    .map_or(String::new(), |p| format!("  ({} {p})", s.prev_short));
                let text = format!("{}  {}  [{}]{}", item.id, item.name.get(lang), score_text, prev);
                let r = ui.selectable_label(self.selected == idx, text);
                if r.clicked() {
                    self.selected = idx;
                }
                if self.selected == idx && self.scroll_to_selected {
                    r.scroll_to_me(Some(egui::Align::Center));
                }
            }
        }
        self.scroll_to_selected = false;
    }

    fn item_detail(&mut self, ui: &mut Ui, s: &Strings, lang: Lang) {
        let Some(item) = self.scale.items.get(self.selected).cloned() else {
            return;
        };
        ui.heading(format!("{} {}", item.id, item.name.get(lang)));
        if let Some(p) = &item.purpose {
            ui.label(p.get(lang));
        }
        ui.horizontal(|ui| {
            ui.weak(format!("{}: {}", s.item_kind, item.kind.label(lang)));
            if !item.sources.is_empty() {
                ui.weak(format!("· {}: {}", s.suggested_sources, item.sources.join(", ")));
            }
        });
        let current = self.active_scores().get(&item.id).copied();
        let previous = self.previous.as_ref().and_then(|p| p.scores.get(&item.id).copied());
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("{}: {}", s.score, current.map_or("–".into(), |c| c.to_string())))
                    .strong()
                    .size(16.0),
            );
            match previous {
                Some(p) => ui.label(format!("{}: {p}", s.previous_review)),
                None => ui.weak(s.no_previous),
            };
            if ui.small_button(s.clear_score).clicked() {
                self.set_score(self.selected, None);
            }
        });
        if self.hidden_scores() {
            ui.weak(s.others_hidden_long);
        }
        ui.add_space(6.0);

        // The five level descriptions, the chosen one highlighted.
        for (li, level) in item.levels.iter().enumerate() {
            let value = self.scale.score_min + li as u8;
            let chosen = current == Some(value);
            let fill = if chosen { ui.visuals().selection.bg_fill } else { ui.visuals().faint_bg_color };
            egui::Frame::new().fill(fill).corner_radius(4).inner_margin(6).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    let mut label = format!("{} {value}", s.level);
                    if previous == Some(value) {
                        label.push_str(&format!(" · {}", s.prev_short));
                    }
                    if named_selectable(ui, chosen, label, format!("{} {value}", s.level)).clicked() {
                        self.set_score(self.selected, Some(value));
                    }
                    let text =
                        if chosen { RichText::new(level.get(lang)).strong() } else { RichText::new(level.get(lang)) };
                    ui.add(egui::Label::new(text).wrap());
                });
            });
            ui.add_space(2.0);
        }
        ui.add_space(8.0);

        match &item.kind {
            ItemKind::Checklist(c) => {
                ui.strong(s.checklist_heading);
                let notes = self.draft.items.entry(item.id.clone()).or_default();
                let before = c.score_for_checked(&notes.checked);
                for el in &c.elements {
                    let mut on = notes.checked.contains(&el.id);
                    if ui.checkbox(&mut on, el.text.get(lang)).changed() {
                        if on {
                            notes.checked.push(el.id.clone());
                        } else {
                            notes.checked.retain(|x| x != &el.id);
                        }
                    }
                }
                let after = c.score_for_checked(&notes.checked);
                self.follow_proposal(&item, before, after);
                self.proposal_ui(ui, s, &item, Some(after));
            }
            ItemKind::Measured(m) => {
                ui.strong(s.measured_heading);
                let before = self.draft.items.get(&item.id).and_then(|n| m.propose(&n.inputs)).map(|p| p.score);
                for input in &m.inputs {
                    match &input.kind {
                        InputKind::Flag => {
                            let notes = self.draft.items.entry(item.id.clone()).or_default();
                            let mut on = matches!(notes.inputs.get(&input.id), Some(InputValue::Flag(true)));
                            if ui.checkbox(&mut on, input.label.get(lang)).changed() {
                                notes.inputs.insert(input.id.clone(), InputValue::Flag(on));
                            }
                        }
                        InputKind::Number { unit, min, max } => {
                            let key = (item.id.clone(), input.id.clone());
                            let stored =
                                self.draft.items.get(&item.id).and_then(|n| n.inputs.get(&input.id)).and_then(|v| {
                                    match v {
                                        InputValue::Number(n) => Some(*n),
                                        InputValue::Flag(_) => None,
                                    }
                                });
                            let text = self
                                .number_text
                                .entry(key)
                                .or_insert_with(|| stored.map_or(String::new(), |v| exact_number(v, lang)));
                            let label = match unit {
                                Some(u) => format!("{} ({})", input.label.get(lang), u.get(lang)),
                                None => input.label.get(lang).to_string(),
                            };
                            ui.horizontal(|ui| {
                                let r = labelled_field(ui, &label, text, 90.0);
                                let parsed = parse_number(text);
                                let notes = self.draft.items.entry(item.id.clone()).or_default();
                                let in_range = |v: f64| min.is_none_or(|lo| v >= lo) && max.is_none_or(|hi| v <= hi);
                                if r.changed() {
                                    // Only valid numbers are recorded: a value outside the
                                    // input's range would make the file fail its check.
                                    match parsed.filter(|v| in_range(*v)) {
                                        Some(v) => {
                                            notes.inputs.insert(input.id.clone(), InputValue::Number(v));
                                        }
                                        None => {
                                            notes.inputs.remove(&input.id);
                                        }
                                    }
                                }
                                if !text.trim().is_empty() && parsed.is_none() {
                                    ui.colored_label(ui.visuals().error_fg_color, s.not_a_number);
                                } else if let Some(v) = parsed
                                    && (min.is_some_and(|lo| v < lo) || max.is_some_and(|hi| v > hi))
                                {
                                    ui.colored_label(
                                        ui.visuals().error_fg_color,
                                        format!(
                                            "{} {}–{}",
                                            s.out_of_range,
                                            min.map_or(String::new(), |v| format_number(v, lang)),
                                            max.map_or(String::new(), |v| format_number(v, lang))
                                        ),
                                    );
                                }
                            });
                        }
                    }
                }
                let inputs = self.draft.items.get(&item.id).map(|n| n.inputs.clone()).unwrap_or_default();
                let proposal = m.propose(&inputs);
                if let Some(p) = proposal {
                    let unit = m.value_unit.as_ref().map_or(String::new(), |u| format!(" {}", u.get(lang)));
                    ui.label(format!("{}: {}{}", m.value_label.get(lang), format_number(p.value, lang), unit));
                }
                if !m.described_levels.is_empty() {
                    let levels: Vec<String> = m.described_levels.iter().map(u8::to_string).collect();
                    ui.weak(format!("{} {}", s.described_levels_note, levels.join(", ")));
                }
                let after = proposal.map(|p| p.score);
                if let (Some(b), Some(a)) = (before, after) {
                    self.follow_proposal(&item, b, a);
                } else if let (None, Some(a)) = (before, after)
                    && self.active_scores().get(&item.id).is_none()
                {
                    self.set_score(self.selected, Some(a));
                }
                self.proposal_ui(ui, s, &item, after);
            }
            ItemKind::Described => {}
        }

        ui.add_space(8.0);
        self.notes_ui(ui, s, lang, &item);
    }

    /// Keeps the score in step with the proposal while the reviewer has not chosen otherwise.
    fn follow_proposal(&mut self, item: &Item, before: u8, after: u8) {
        if before == after {
            return;
        }
        let current = self.active_scores().get(&item.id).copied();
        if current.is_none() || current == Some(before) {
            self.set_score(self.selected, Some(after));
        }
    }

    fn proposal_ui(&mut self, ui: &mut Ui, s: &Strings, item: &Item, proposal: Option<u8>) {
        let Some(p) = proposal else {
            ui.weak(s.no_proposal_yet);
            return;
        };
        let current = self.active_scores().get(&item.id).copied();
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{}: {p}", s.proposed_score)).strong());
            if current != Some(p) && ui.button(s.use_proposed).clicked() {
                self.set_score(self.selected, Some(p));
            }
        });
        if current.is_some_and(|c| c != p) {
            ui.colored_label(ui.visuals().warn_fg_color, s.differs_from_proposal);
            let notes = self.draft.items.entry(item.id.clone()).or_default();
            let l = ui.label(s.override_reason);
            ui.add(egui::TextEdit::multiline(&mut notes.override_reason).desired_rows(2).desired_width(f32::INFINITY))
                .labelled_by(l.id);
            if notes.override_reason.trim().is_empty() {
                ui.colored_label(ui.visuals().error_fg_color, s.reason_required);
            }
        }
    }

    fn notes_ui(&mut self, ui: &mut Ui, s: &Strings, lang: Lang, item: &Item) {
        let sources: Vec<(String, String)> =
            self.scale.sources.iter().map(|x| (x.id.clone(), x.name.get(lang).to_string())).collect();
        let notes: &mut ItemNotes = self.draft.items.entry(item.id.clone()).or_default();
        let l = ui.strong(s.rationale);
        ui.add(
            egui::TextEdit::multiline(&mut notes.rationale)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text(s.rationale_hint),
        )
        .labelled_by(l.id);
        ui.horizontal(|ui| {
            ui.strong(s.data_sources);
            for (id, name) in &sources {
                let mut on = notes.sources.contains(id);
                if ui.checkbox(&mut on, id).on_hover_text(name).changed() {
                    if on {
                        notes.sources.push(id.clone());
                    } else {
                        notes.sources.retain(|x| x != id);
                    }
                }
            }
        });
        let l = ui.strong(s.recommendation);
        ui.add(
            egui::TextEdit::multiline(&mut notes.recommendation)
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .hint_text(s.recommendation_hint),
        )
        .labelled_by(l.id);
        // Keep files tidy: an item with nothing recorded has no entry.
        if notes.is_empty() {
            self.draft.items.remove(&item.id);
        }
    }

    fn summary_ui(&self, ui: &mut Ui, s: &Strings, lang: Lang) {
        let sum = &self.summary.score;
        match self.mode {
            ScoringMode::Reviewer(i) => {
                ui.heading(format!("{} – {}", s.summary, self.draft.reviewers.get(i).map_or("", |r| r.name.as_str())))
            }
            ScoringMode::Consensus => ui.heading(s.summary),
        };
        ui.label(RichText::new(format!("{} {} / {}", s.total, sum.total, sum.max)).size(22.0).strong());
        band_chip(ui, &self.scale, sum.band.as_ref().map(|b| b.index), lang, s.preliminary);
        if !sum.complete {
            ui.label(format!("{}: {}", s.items_left, sum.missing.len()));
        } else {
            ui.label(s.all_items_scored);
        }
        if let Some(d) = self.summary.change.as_ref().and_then(|c| c.total_delta) {
            ui.label(format!("{}: {}", s.change_since_previous, signed(d)));
        }
        ui.add_space(6.0);
        ui.strong(s.sections);
        egui::Grid::new("section_totals").num_columns(2).show(ui, |ui| {
            for (x, sec) in sum.sections.iter().zip(&self.scale.sections) {
                ui.label(sec.name.get(lang));
                ui.label(format!("{} / {}", x.total, x.max));
                ui.end_row();
            }
        });
        ui.add_space(6.0);
        if let Some(n) = &self.summary.next {
            let band = &self.scale.bands[n.band_index];
            ui.strong(format!("{} {}", s.to_next_band, quoted(band.label.get(lang), lang)));
            ui.label(format!("{} {}", n.points_missing, s.points_missing));
            ui.weak(s.closest_items);
            for h in &n.closest {
                let name = self.scale.item(&h.id).map_or(String::new(), |i| i.name.get(lang).to_string());
                let how = match &h.gap {
                    Gap::Elements { missing } => format!("{missing} {}", s.more_elements),
                    Gap::Value { current, target } => {
                        format!("{} → {}", format_number(*current, lang), format_number(*target, lang))
                    }
                    Gap::Level => s.next_level_description.to_string(),
                };
                ui.label(format!("• {} {} ({}→{}): {how}", h.id, name, h.current, h.next));
            }
        } else if sum.complete && sum.band.as_ref().is_some_and(|b| b.index == 0) {
            ui.label(s.best_band_reached);
        }
        if let Some(a) = self.summary.agreement.as_ref().filter(|_| !self.hidden_scores()) {
            ui.add_space(6.0);
            ui.strong(s.agreement);
            ui.label(format!("{}: {} / {}", s.exact_agreement, a.exact, a.compared));
            ui.label(format!("{}: {} / {}", s.within_one, a.within_one, a.compared));
        }
    }
}

fn section_total(scale: &Scale, scores: &Scores, section: usize) -> u32 {
    scale.section_items(section).filter_map(|i| scores.get(&i.id)).map(|&v| u32::from(v)).sum()
}

/// Whether two drafts differ only in free text (rationale, recommendation, names...).
fn same_structure(a: &Evaluation, b: &Evaluation) -> bool {
    let items_key = |e: &Evaluation| -> Vec<(String, Vec<String>, Vec<String>, String)> {
        e.items
            .iter()
            .map(|(k, n)| (k.clone(), n.checked.clone(), n.sources.clone(), format!("{:?}", n.inputs)))
            .collect()
    };
    let reviewers_key =
        |e: &Evaluation| -> Vec<(Scores, bool)> { e.reviewers.iter().map(|r| (r.scores.clone(), r.done)).collect() };
    let actions_key = |e: &Evaluation| -> Vec<(Option<String>, ips_core::evaluation::ActionStatus)> {
        e.actions.iter().map(|x| (x.item.clone(), x.status)).collect()
    };
    a.scores == b.scores
        && reviewers_key(a) == reviewers_key(b)
        && items_key(a) == items_key(b)
        && actions_key(a) == actions_key(b)
        && a.reviewers.len() == b.reviewers.len()
}

pub fn summarize(scale: &Scale, e: &Evaluation, previous: Option<&Evaluation>) -> DraftSummary {
    let s = score(scale, &e.scores);
    let next = next_band(scale, e, &s);
    let change = previous.filter(|p| p.scale == e.scale).map(|p| change(scale, &p.scores, &e.scores));
    let agreement = match e.reviewers.as_slice() {
        [a, b, ..] if !a.scores.is_empty() && !b.scores.is_empty() => Some(agreement(scale, &a.scores, &b.scores)),
        _ => None,
    };
    DraftSummary { score: s, next, change, agreement }
}

/// A number as typed: every decimal kept (0.75 stays "0,75"), so editing it changes nothing else.
fn exact_number(v: f64, lang: Lang) -> String {
    let s = format!("{v}");
    if lang == Lang::Nb { s.replace('.', ",") } else { s }
}

/// Accepts "12", "12.5" and the Norwegian "12,5".
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim().replace(',', ".").replace(' ', "");
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_norwegian_form() {
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 1 200 "), Some(1200.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
    }
}
