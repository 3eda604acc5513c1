//! The evaluation editor: score items (by mouse or keys 1-5, arrows/Tab to move), record
//! checklists, measured numbers, rationale, sources and recommendations, with a summary
//! that stays in view. It owns a draft copy of the review; its views (and the consensus
//! and plan views, each its own struct) draw the draft read-only and emit
//! [`Edit`]s, which [`EvaluationEditor::apply_edits`] applies once per frame as one undo
//! step. The app saves the draft when it changed.

use std::collections::HashMap;

use egui::{Key, Modifiers, RichText, Ui};

use super::ViewCx;
use super::accuracy::AccuracyView;
use super::consensus::ConsensusView;
use super::plan::PlanView;
use super::report::ReportStatus;
use super::strings::Strings;
use super::widgets::{band_chip, labelled_field, named_button, named_selectable, signed};
use super::{Command, Route, ServiceTab};
use ips_domain::agreement::{Agreement, agreement};
use ips_domain::edit::{Edit, NoteField, ScoreTarget, apply_step, with_notes_of};
use ips_domain::evaluation::{Evaluation, ItemNotes, ReviewStatus, Scores};
use ips_domain::scale::{ElementProposal, InputKind, InputValue, Item, ItemKind, Scale};
use ips_domain::schedule::MeetingsBeforeReview;
use ips_domain::scoring::{Change, NextBand, NextBandText, ScoreSummary, change, next_band, next_band_text, score};
use ips_text::i18n::fill;
use ips_text::text::{Lang, format_date, format_number, format_number_exact, parse_number, quoted};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorTab {
    Scoring,
    Consensus,
    Plan,
    Accuracy,
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

use ips_store::store::{KeepVersion, VERSION_INTERVAL_SECS};

const UNDO_LIMIT: usize = 200;
/// Typing within this many seconds is one undo step.
const TYPING_MERGE_SECS: f64 = 1.5;
/// Typing is saved after this pause.
const SAVE_AFTER_SECS: f64 = 0.5;

pub struct EvaluationEditor {
    /// The service's folder: a stable id (indices change when services are added).
    pub service: String,
    /// The review's file name in the service's `evaluations/`: a stable id.
    pub file: String,
    /// The review as edited; changed only by [`EvaluationEditor::apply_edits`].
    draft: Evaluation,
    pub scale: Scale,
    /// The previous review ([`ips_domain::history::previous_review`]).
    pub previous: Option<Evaluation>,
    /// The scale version the previous review is scored on (its own, not the draft's).
    pub previous_scale: Option<Scale>,
    pub selected: usize,
    pub tab: EditorTab,
    pub mode: ScoringMode,
    /// Edits that undo the last steps, newest last; redo likewise.
    undo: Vec<UndoStep>,
    redo: Vec<UndoStep>,
    /// Undo or redo asked for by a button or key this frame, applied with the edits.
    undo_request: Option<UndoMove>,
    last_edit: f64,
    discrete_pending: bool,
    /// Counts applied steps; the draft is saved when it differs from `saved_generation`.
    generation: u64,
    saved_generation: u64,
    pub conflict: bool,
    pub save_failed: bool,
    /// After a failed write (a full disk, a share that dropped), when to try again: the
    /// edits stay here and are saved once the disk takes them.
    pub retry_at: Option<std::time::Instant>,
    /// When this session last kept a version of the file in its history (`None`: not yet,
    /// so the next save keeps the file as the session found it).
    pub version_kept: Option<std::time::Instant>,
    /// The workspace cannot be written: nothing can be changed.
    pub read_only: bool,
    /// The unsaved edits were written to the conflicts folder.
    pub rescued: bool,
    pub summary: DraftSummary,
    /// Text being typed into number fields, by (item, input).
    number_text: HashMap<(String, String), String>,
    new_reviewer: String,
    consensus: ConsensusView,
    plan: PlanView,
    scroll_to_selected: bool,
    /// Earlier saved versions, listed when the user asked for them.
    pub versions: Option<Vec<Version>>,
    /// The scale version the file records when it is not known here (scored on the newest).
    pub missing_version: Option<String>,
    /// A newer version of the scale, which the review can be re-scored on when asked.
    pub newer_scale: Option<Scale>,
    /// The styringsgruppe's meetings in the 12 months before the review, against the
    /// cadence rule: what a checklist element marked `steering_group_meetings` (O8) is
    /// proposed from. Set by the app when it opens the review.
    pub meetings_before: Option<MeetingsBeforeReview>,
    /// The next-band wording in the language it was made for; cleared when the summary is.
    next_text: Option<(Lang, NextBandText)>,
    /// Why the last edits were refused (a final review is locked).
    pub refused: Option<ips_text::i18n::Msg>,
    /// The reason dialog for reopening a final review: the status asked for and the reason.
    pub reopen: Option<(ReviewStatus, String)>,
    accuracy: AccuracyView,
    /// Today, for dating progress notes and status changes.
    pub today: chrono::NaiveDate,
    /// Said once the draft as of this generation is written (a status change, a restore).
    pub notice_at_save: Option<(u64, super::Message)>,
    /// The generation of the user's last status change: a save of an older one leaves the
    /// draft's status as it is.
    status_changed_at: u64,
}

/// One undo (or redo) step: the edit that reverses it.
#[derive(Debug, Clone)]
struct UndoStep {
    edit: Edit,
    /// Whose notes the step changed (a reviewer's own, in their mode).
    target: ScoreTarget,
    /// Only free text changed: typing within a moment is one step.
    text: bool,
    at: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UndoMove {
    Undo,
    Redo,
}

/// An earlier saved version of the evaluation file.
#[derive(Debug, Clone)]
pub struct Version {
    pub path: std::path::PathBuf,
    pub when: String,
    pub total: Option<u32>,
}

/// "23.11.2026 03:45:12" (the local time) from a history file name (`20261123T024512.123456Z-...`,
/// in UTC).
pub fn version_time(path: &std::path::Path, lang: Lang) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stamp = name.split('.').next().unwrap_or("");
    // The name keeps the time in UTC (sortable wherever it was written); the user reads it
    // in the computer's own time zone.
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S")
        .map(|t| chrono::TimeZone::from_utc_datetime(&chrono::Local, &t))
        .map(|t| format!("{} {}", format_date(t.date_naive(), lang), t.format("%H:%M:%S")))
        .unwrap_or_else(|_| name.to_string())
}

impl EvaluationEditor {
    /// The previous review with the scale version it is scored on.
    fn previous_of(&self) -> Option<(&Scale, &Evaluation)> {
        self.previous.as_ref().map(|p| (self.previous_scale.as_ref().unwrap_or(&self.scale), p))
    }

    /// The editor of `draft`; `today` is the app's today (the day it dates progress notes
    /// and status changes), not the clock read again, so that a session over midnight and
    /// the tests agree with the rest of the app.
    pub fn new(
        service: &str,
        file: &str,
        draft: Evaluation,
        scale: Scale,
        previous: Option<(Evaluation, Scale)>,
        today: chrono::NaiveDate,
    ) -> Self {
        let summary = summarize(&scale, &draft, previous.as_ref().map(|(e, s)| (s, e)));
        let (previous, previous_scale) = previous.unzip();
        EvaluationEditor {
            previous_scale,
            service: service.to_string(),
            file: file.to_string(),
            draft,
            scale,
            previous,
            selected: 0,
            tab: EditorTab::Scoring,
            mode: ScoringMode::Consensus,
            undo: Vec::new(),
            redo: Vec::new(),
            undo_request: None,
            last_edit: f64::NEG_INFINITY,
            discrete_pending: false,
            generation: 0,
            saved_generation: 0,
            conflict: false,
            save_failed: false,
            retry_at: None,
            version_kept: None,
            read_only: false,
            rescued: false,
            summary,
            number_text: HashMap::new(),
            new_reviewer: String::new(),
            consensus: ConsensusView::default(),
            plan: PlanView::default(),
            scroll_to_selected: false,
            versions: None,
            missing_version: None,
            newer_scale: None,
            meetings_before: None,
            next_text: None,
            refused: None,
            reopen: None,
            accuracy: AccuracyView::default(),
            today,
            notice_at_save: None,
            status_changed_at: 0,
        }
    }

    /// Takes what a save of the draft as of `generation` added: the audit trail grows on
    /// save (score changes in a draft, a colleague's entries), and a planned review that
    /// was scored is in scoring. No undo step. A status the user changed after that
    /// generation stays: its own save follows.
    pub fn adopt_trail(&mut self, saved: &Evaluation, generation: u64) {
        if generation >= self.status_changed_at && self.draft.status != saved.status {
            // Undo never crosses a status change: steps from before a review went final
            // would otherwise change what final fixes.
            self.undo.clear();
            self.redo.clear();
            self.draft.status = saved.status;
        }
        // The same rule as the write's: the trail only grows.
        let mut trail = saved.audit.clone();
        for entry in &self.draft.audit {
            if !trail.contains(entry) {
                trail.push(entry.clone());
            }
        }
        self.draft.audit = trail;
    }

    /// Takes a status change the lifecycle's rule made on a copy of the draft: saved like
    /// an edit, at once, but not an undo step (undo never crosses a status change).
    pub fn change_status(&mut self, changed: &Evaluation) {
        self.undo.clear();
        self.redo.clear();
        self.draft.status = changed.status;
        self.draft.audit = changed.audit.clone();
        self.refused = None;
        self.generation += 1;
        self.status_changed_at = self.generation;
        self.discrete_pending = true;
        self.save_failed = false;
        self.refresh();
    }

    /// Whether the review is final: its locked parts refuse edits.
    pub fn locked(&self) -> bool {
        ips_domain::lifecycle::is_final(&self.draft)
    }

    /// The review as edited.
    pub fn draft(&self) -> &Evaluation {
        &self.draft
    }

    pub fn is_dirty(&self) -> bool {
        self.generation != self.saved_generation
    }

    /// Whether the app should write the draft now: after a pause in typing, at once for a
    /// score or a tick, and after a failed write only when it is time to try again.
    /// `now` is the window's time (for the pause), `clock` the app's [`super::Clock`] (for
    /// the retry).
    pub fn save_due(&self, now: f64, clock: std::time::Instant) -> bool {
        let retry = self.retry_at.is_some_and(|at| clock >= at);
        self.is_dirty()
            && !self.read_only
            && !self.conflict
            && (!self.save_failed || retry)
            && (self.discrete_pending || retry || now - self.last_edit >= SAVE_AFTER_SECS)
    }

    /// Counts the edits applied; a save holds the draft as of one generation.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The draft as of `generation` was written (edits since then are still unsaved).
    pub fn mark_saved_at(&mut self, generation: u64) {
        self.saved_generation = generation;
        if generation == self.generation {
            self.discrete_pending = false;
        }
        self.save_failed = false;
        self.retry_at = None;
    }

    /// Which version the next save keeps in the file's history: the file as this session
    /// found it first, then at most one per [`VERSION_INTERVAL_SECS`] of editing.
    pub fn next_keep(&self, now: std::time::Instant) -> KeepVersion {
        match self.version_kept {
            None => KeepVersion::SessionStart,
            Some(at) if now.duration_since(at).as_secs() >= VERSION_INTERVAL_SECS => KeepVersion::Periodic,
            Some(_) => KeepVersion::No,
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) {
        if let Some(step) = self.undo.pop() {
            let inverse = with_notes_of(&mut self.draft, step.target, |e| step.edit.apply(e));
            self.redo.push(UndoStep { edit: inverse, ..step });
            self.after_undo_step();
        }
    }

    pub fn redo(&mut self) {
        if let Some(step) = self.redo.pop() {
            let inverse = with_notes_of(&mut self.draft, step.target, |e| step.edit.apply(e));
            self.undo.push(UndoStep { edit: inverse, ..step });
            self.after_undo_step();
        }
    }

    fn after_undo_step(&mut self) {
        // The step may have removed the reviewer being scored as.
        if let ScoringMode::Reviewer(i) = self.mode
            && i >= self.draft.reviewers.len()
        {
            self.mode = ScoringMode::Consensus;
        }
        self.plan.forget_texts();
        self.number_text.clear();
        self.generation += 1;
        self.discrete_pending = true;
        self.refresh();
    }

    /// Applies the edits the views emitted this frame as one undo step (typing within a
    /// moment merges into the step before). This is the only place the draft changes.
    pub fn apply_edits(&mut self, edits: Vec<Edit>, now: f64) {
        if let Some(m) = self.undo_request.take() {
            match m {
                UndoMove::Undo => self.undo(),
                UndoMove::Redo => self.redo(),
            }
        }
        if edits.is_empty() {
            return;
        }
        let text = edits.iter().all(Edit::is_text);
        let target = match self.mode {
            ScoringMode::Consensus => ScoreTarget::Consensus,
            ScoringMode::Reviewer(i) => ScoreTarget::Reviewer(i),
        };
        // A final review refuses what the lock covers: the same rule as every write path.
        if self.locked() {
            let mut trial = self.draft.clone();
            apply_step(&mut trial, &self.scale, target, edits.clone());
            let stamp = ips_store::store::signature_now();
            if let Err(why) = ips_domain::lifecycle::check_write(&self.draft, &mut trial, &stamp) {
                self.refused = Some(why);
                return;
            }
        }
        self.refused = None;
        let inverse = apply_step(&mut self.draft, &self.scale, target, edits);
        let merge = text
            && self
                .undo
                .last()
                .is_some_and(|last| last.text && last.target == target && now - last.at < TYPING_MERGE_SECS);
        match self.undo.last_mut() {
            // The step before already restores the text as it was before the typing began.
            Some(last) if merge => last.at = now,
            _ => {
                self.undo.push(UndoStep { edit: inverse, target, text, at: now });
                if self.undo.len() > UNDO_LIMIT {
                    self.undo.remove(0);
                }
            }
        }
        self.redo.clear();
        self.generation += 1;
        self.last_edit = now;
        if !text {
            self.discrete_pending = true;
        }
        self.save_failed = false;
        self.refresh();
    }

    /// Replaces the draft and its scale (re-scoring on a new version, which the user
    /// confirmed). Undo cannot cross it: earlier steps belong to the other scale version.
    pub fn replace_draft(&mut self, draft: Evaluation, scale: Scale) {
        self.draft = draft;
        self.scale = scale;
        self.undo.clear();
        self.redo.clear();
        self.generation += 1;
        // The draft's status is the user's choice now, until it is saved.
        self.status_changed_at = self.generation;
        self.discrete_pending = true;
        self.save_failed = false;
        self.number_text.clear();
        self.refresh();
    }

    fn refresh(&mut self) {
        self.next_text = None;
        // In a reviewer's mode the summary is of that reviewer's own scores.
        self.summary = match self.mode {
            ScoringMode::Reviewer(i) if i < self.draft.reviewers.len() => {
                let mut view = self.draft.clone();
                view.scores = self.draft.reviewers[i].scores.clone();
                summarize(&self.scale, &view, self.previous_of())
            }
            _ => summarize(&self.scale, &self.draft, self.previous_of()),
        };
    }

    /// The item notes the current mode edits: a reviewer's own, or the agreed ones.
    pub fn active_items(&self) -> &std::collections::BTreeMap<String, ItemNotes> {
        match self.mode {
            ScoringMode::Reviewer(i) => self.draft.reviewers.get(i).map_or(&self.draft.items, |r| &r.items),
            ScoringMode::Consensus => &self.draft.items,
        }
    }

    /// The scores the current mode edits.
    pub fn active_scores(&self) -> &Scores {
        match self.mode {
            ScoringMode::Reviewer(i) => self.draft.reviewers.get(i).map_or(&self.draft.scores, |r| &r.scores),
            ScoringMode::Consensus => &self.draft.scores,
        }
    }

    fn target(&self) -> ScoreTarget {
        match self.mode {
            ScoringMode::Consensus => ScoreTarget::Consensus,
            ScoringMode::Reviewer(i) => ScoreTarget::Reviewer(i),
        }
    }

    /// The edit that sets (or clears, with `None`) an item's score in the current mode.
    fn score_edit(&self, item: usize, value: Option<u8>) -> Option<Edit> {
        let id = self.scale.items.get(item)?.id.clone();
        Some(Edit::Score { target: self.target(), item: id, value })
    }

    fn select(&mut self, index: usize) {
        self.selected = index.min(self.scale.items.len().saturating_sub(1));
        self.scroll_to_selected = true;
    }

    fn keyboard(&mut self, ui: &Ui, edits: &mut Vec<Edit>) {
        // Undo/redo also while typing would fight the text field's own undo.
        if !ui.text_edit_focused() {
            let redo = ui.input_mut(|i| {
                i.consume_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z))
                    || i.consume_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND, Key::Y))
            });
            if redo {
                self.undo_request = Some(UndoMove::Redo);
            } else if ui.input_mut(|i| i.consume_shortcut(&egui::KeyboardShortcut::new(Modifiers::COMMAND, Key::Z))) {
                self.undo_request = Some(UndoMove::Undo);
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
            edits.extend(self.score_edit(self.selected, Some(d)));
            // Move on, so the whole scale can be scored with the number keys alone (not in a
            // locked review, where the key changes nothing).
            if self.selected + 1 < self.scale.items.len() && !self.locked() {
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
            edits.extend(self.score_edit(self.selected, None));
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx, commands: &mut Vec<Command>) {
        let ViewCx { s, lang, ws, report, .. } = *cx;
        let now = ui.input(|i| i.time);
        let mut edits = Vec::new();
        self.keyboard(ui, &mut edits);
        // The service's current name (it may have been renamed since the review was made).
        let service_name = ws
            .services
            .iter()
            .find(|r| r.folder == self.service)
            .map_or_else(|| self.draft.service.name().to_string(), |r| r.info.name.clone());
        self.header(ui, s, lang, &service_name, report, commands);
        // A read-only workspace shows everything and takes no edit.
        let read_only = self.read_only;
        ui.add_enabled_ui(!read_only, |ui| match self.tab {
            EditorTab::Scoring => self.scoring_tab(ui, s, lang, &mut edits, commands),
            EditorTab::Consensus => {
                let agreement = self.summary.agreement.as_ref();
                let locked = self.locked();
                ui.add_enabled_ui(!locked, |ui| {
                    self.consensus.ui(ui, cx, &self.scale, &self.draft, agreement, &mut edits);
                });
            }
            EditorTab::Plan => {
                // The previous review's plan: the same "previous review" as everywhere.
                let previous = self.previous.as_ref();
                self.plan.ui(ui, cx, &self.scale, &self.draft, previous, &mut edits);
            }
            EditorTab::Accuracy => {
                let locked = self.locked();
                self.accuracy.ui(ui, cx, &self.scale, &self.draft, locked, &mut edits);
            }
        });
        if read_only {
            // Keys (score digits, undo) reach the editor without a widget: refuse them too.
            edits.clear();
            self.undo_request = None;
        }
        self.reopen_dialog(ui, s, commands);
        self.versions_window(ui, s, commands);
        self.apply_edits(edits, now);
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
            ui.heading(format!("{service_name} – {}", format_date(self.draft.date, lang)));
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
                // Re-scoring changes a final review's band: reopen it first.
                let open = !ips_domain::lifecycle::is_final(&self.draft);
                if ui
                    .add_enabled(open, egui::Button::new(format!("{} {}", s.rescore_on_version, newer.version)))
                    .on_hover_text(s.rescore_hint)
                    .clicked()
                {
                    commands.push(Command::RescoreOnNewerScale);
                }
            });
        }
        self.status_bar(ui, s, lang, commands);
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
                (EditorTab::Accuracy, s.tab_accuracy),
            ] {
                if ui.selectable_label(self.tab == tab, label).clicked() {
                    self.tab = tab;
                }
            }
            ui.separator();
            if ui.add_enabled(self.can_undo(), egui::Button::new(s.undo)).on_hover_text("Ctrl+Z").clicked() {
                self.undo_request = Some(UndoMove::Undo);
            }
            if ui.add_enabled(self.can_redo(), egui::Button::new(s.redo)).on_hover_text("Ctrl+Shift+Z").clicked() {
                self.undo_request = Some(UndoMove::Redo);
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
                commands.push(Command::ShowVersions);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(s.back_to_service).clicked() {
                    commands.push(Command::Navigate(Route::Service(self.service.clone(), ServiceTab::Evaluations)));
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
                        if ui.button(s.report_save_as).clicked() {
                            commands.push(Command::PickFile(super::FilePurpose::SaveReport));
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

    /// The review's status (a choice that sends a command: leaving `final` asks for a reason
    /// first) and what it means for editing.
    fn status_bar(&mut self, ui: &mut Ui, s: &Strings, lang: Lang, commands: &mut Vec<Command>) {
        let current = ips_domain::lifecycle::status_of(&self.draft);
        ui.horizontal(|ui| {
            ui.label(s.status_label).on_hover_text(s.status_hint);
            let mut chosen = current;
            ui.name_inputs(s.status_label, |ui| {
                egui::ComboBox::from_id_salt("review_status").selected_text(current.label(lang)).show_ui(ui, |ui| {
                    for st in ReviewStatus::ALL {
                        ui.selectable_value(&mut chosen, st, st.label(lang));
                    }
                });
            });
            if chosen != current {
                if current == ReviewStatus::Final {
                    self.reopen = Some((chosen, String::new()));
                } else {
                    commands.push(Command::SetStatus { to: chosen, reason: String::new() });
                }
            }
            let (color, text) = match current {
                ReviewStatus::Final => (ui.visuals().warn_fg_color, s.locked_banner),
                ReviewStatus::Draft => (ui.visuals().warn_fg_color, s.draft_banner),
                ReviewStatus::Planned => (ui.visuals().weak_text_color(), s.planned_banner),
                ReviewStatus::Scoring => (ui.visuals().weak_text_color(), ""),
            };
            if !text.is_empty() {
                ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
            }
        });
        if let Some(why) = &self.refused {
            ui.colored_label(ui.visuals().error_fg_color, format!("{}: {}", s.edit_refused, why.text(lang)));
        }
    }

    /// Asks why a final review is reopened; the reason goes with the status change.
    fn reopen_dialog(&mut self, ui: &Ui, s: &Strings, commands: &mut Vec<Command>) {
        let Some((to, reason)) = &mut self.reopen else {
            return;
        };
        let mut close = false;
        let mut field = None;
        let modal = egui::Modal::new(egui::Id::unique("reopen_dialog")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            ui.heading(s.reopen_title);
            ui.label(s.reopen_text);
            let l = ui.label(s.reason_field);
            let r = ui
                .add(egui::TextEdit::multiline(reason).desired_rows(3).desired_width(f32::INFINITY))
                .labelled_by(l.id);
            if !r.has_focus() && reason.is_empty() {
                r.request_focus();
            }
            field = Some(r.id);
            ui.horizontal(|ui| {
                let ok = !reason.trim().is_empty();
                if ui.add_enabled(ok, egui::Button::new(s.reopen_confirm)).clicked() {
                    commands.push(Command::SetStatus { to: *to, reason: reason.trim().to_string() });
                    close = true;
                }
                if ui.button(s.cancel).clicked() {
                    close = true;
                }
            });
        });
        if close || modal.should_close() {
            self.reopen = None;
            // The score keys work again at once.
            if let Some(id) = field {
                ui.ctx().memory_mut(|m| m.surrender_focus(id));
            }
        }
    }

    /// The list of earlier versions with a restore button each.
    fn versions_window(&mut self, ui: &Ui, s: &Strings, commands: &mut Vec<Command>) {
        let Some(versions) = &self.versions else {
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
            self.versions = None;
        }
    }

    fn scoring_tab(
        &mut self,
        ui: &mut Ui,
        s: &Strings,
        lang: Lang,
        edits: &mut Vec<Edit>,
        commands: &mut Vec<Command>,
    ) {
        self.mode_bar(ui, s, edits, commands);
        egui::Panel::right("summary").resizable(false).exact_size(290.0).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("summary_scroll").show(ui, |ui| self.summary_ui(ui, s, lang));
        });
        egui::Panel::left("item_list").resizable(true).default_size(330.0).size_range(240.0..=480.0).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("item_list_scroll").show(ui, |ui| self.item_list(ui, s, lang));
        });
        // A final review is shown as it is, its controls greyed out.
        let locked = self.locked();
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("item_detail_scroll").show(ui, |ui| {
                ui.add_enabled_ui(!locked, |ui| self.item_detail(ui, s, lang, edits));
            });
        });
    }

    fn hidden_scores(&self) -> bool {
        let all_done = self.draft.reviewers.len() >= 2 && self.draft.reviewers.iter().all(|r| r.done);
        matches!(self.mode, ScoringMode::Reviewer(_)) && !all_done && !self.consensus.reveal
    }

    fn mode_bar(&mut self, ui: &mut Ui, s: &Strings, edits: &mut Vec<Edit>, commands: &mut Vec<Command>) {
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
                edits.push(Edit::AddReviewer { name: self.new_reviewer.trim().to_string() });
                // The new reviewer is added at the end of this frame, at this position.
                self.mode = ScoringMode::Reviewer(self.draft.reviewers.len());
                self.new_reviewer.clear();
            }
            if let ScoringMode::Reviewer(i) = self.mode {
                if let Some(r) = self.draft.reviewers.get(i) {
                    ui.separator();
                    let mut done = r.done;
                    if ui.checkbox(&mut done, s.reviewer_done).changed() {
                        edits.push(Edit::ReviewerDone { index: i, done });
                    }
                    // A reviewer who is done can send their own scores to a colleague who
                    // scores on another machine (blind scoring holds: only when done).
                    if r.done
                        && !r.name.trim().is_empty()
                        && ui.button(s.send_my_scores).on_hover_text(s.send_my_scores_hint).clicked()
                    {
                        commands.push(Command::PickFile(super::FilePurpose::ExportReviewerPackage(i)));
                    }
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
        let scores = self.active_scores();
        let mut clicked = None;
        for (si, section) in self.scale.sections.iter().enumerate() {
            let sub = &self.summary.score.sections[si];
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.strong(section.name.get(lang));
                // The domain's section total, computed with the summary when the scores change.
                ui.weak(format!("{} / {}", sub.total, sub.max));
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
                    clicked = Some(idx);
                }
                if self.selected == idx && self.scroll_to_selected {
                    r.scroll_to_me(Some(egui::Align::Center));
                }
            }
        }
        if let Some(idx) = clicked {
            self.selected = idx;
        }
        self.scroll_to_selected = false;
    }

    fn item_detail(&mut self, ui: &mut Ui, s: &Strings, lang: Lang, edits: &mut Vec<Edit>) {
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
                edits.extend(self.score_edit(self.selected, None));
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
                        edits.extend(self.score_edit(self.selected, Some(value)));
                    }
                    let text =
                        if chosen { RichText::new(level.get(lang)).strong() } else { RichText::new(level.get(lang)) };
                    ui.add(egui::Label::new(text).wrap());
                });
            });
            ui.add_space(2.0);
        }
        ui.add_space(8.0);

        // In a reviewer's mode, that reviewer's own rationale, ticks and figures.
        let notes = self.active_items().get(&item.id).cloned().unwrap_or_default();
        match &item.kind {
            ItemKind::Checklist(c) => {
                ui.strong(s.checklist_heading);
                for el in &c.elements {
                    let mut on = notes.checked.contains(&el.id);
                    if ui.checkbox(&mut on, el.text.get(lang)).changed() {
                        edits.push(Edit::Checked { item: item.id.clone(), element: el.id.clone(), on });
                    }
                    if el.proposed_from == Some(ElementProposal::SteeringGroupMeetings)
                        && let Some(m) = &self.meetings_before
                    {
                        let line = meetings_proposal_text(s, lang, m);
                        ui.indent(("meetings_proposal", &el.id), |ui| {
                            ui.add(egui::Label::new(RichText::new(line).weak()).wrap());
                            // The meetings decide only the count; the reviewer still checks
                            // that a leader takes part and plans are written.
                            if on != m.met() && !self.read_only {
                                let label = format!("{} ({})", s.meetings_proposal_use, item.id);
                                if named_button(ui, s.meetings_proposal_use, label).clicked() {
                                    edits.push(Edit::Checked {
                                        item: item.id.clone(),
                                        element: el.id.clone(),
                                        on: m.met(),
                                    });
                                }
                            }
                        });
                    }
                }
            }
            ItemKind::Measured(m) => {
                ui.strong(s.measured_heading);
                match &m.per_row {
                    None => {
                        if let Some((input, value)) = self.inputs_ui(ui, (s, lang), (&item.id, ""), m, &notes.inputs) {
                            edits.push(Edit::Input { item: item.id.clone(), input, value });
                        }
                    }
                    Some(per_row) => {
                        // One row per employment specialist (or whatever the scale names).
                        let row_name = per_row.label.get(lang);
                        if notes.rows.is_empty() {
                            // One set for all together (as older files have it), until rows
                            // are added; then the rows decide.
                            ui.weak(format!("{} {}", s.per_row_hint, row_name.to_lowercase()));
                            if let Some((input, value)) =
                                self.inputs_ui(ui, (s, lang), (&item.id, ""), m, &notes.inputs)
                            {
                                edits.push(Edit::Input { item: item.id.clone(), input, value });
                            }
                        }
                        if !notes.rows.is_empty() && !notes.inputs.is_empty() {
                            // Figures for all together, from before rows were added: kept, unused.
                            ui.weak(format!("{} {}", s.aggregate_unused, row_name.to_lowercase()));
                        }
                        let mut rows = notes.rows.clone();
                        let mut changed = false;
                        let mut remove = None;
                        for (i, row) in notes.rows.iter().enumerate() {
                            egui::Frame::group(ui.style()).show(ui, |ui| {
                                ui.horizontal(|ui| {
                                    ui.strong(format!("{row_name} {}", i + 1));
                                    if let Some(p) = m.propose(row) {
                                        let value = format_number(p.value, lang);
                                        ui.weak(format!(
                                            "{}: {value} → {} {}",
                                            m.value_label.get(lang),
                                            s.score,
                                            p.score
                                        ));
                                    }
                                    let remove_label = format!("{} {row_name} {}", s.remove_row, i + 1);
                                    if named_button(ui, s.remove_row, remove_label).clicked() {
                                        remove = Some(i);
                                    }
                                });
                                let prefix = format!("{row_name} {}: ", i + 1);
                                if let Some((input, value)) = self.inputs_ui(ui, (s, lang), (&item.id, &prefix), m, row)
                                {
                                    match value {
                                        Some(v) => rows[i].insert(input, v),
                                        None => rows[i].remove(&input),
                                    };
                                    changed = true;
                                }
                            });
                        }
                        if let Some(i) = remove {
                            rows.remove(i);
                            changed = true;
                            // Typed texts belong to row positions that just moved.
                            self.number_text.retain(|(it, _), _| it != &item.id);
                        }
                        if ui.button(format!("{} {}", s.add_row, row_name.to_lowercase())).clicked() {
                            rows.push(Default::default());
                            changed = true;
                        }
                        if changed {
                            edits.push(Edit::Rows { item: item.id.clone(), rows });
                        }
                    }
                }
                if let Some(p) = m.propose_rows(&notes.inputs, &notes.rows) {
                    let unit = m.value_unit.as_ref().map_or(String::new(), |u| format!(" {}", u.get(lang)));
                    let mean = if m.per_row.is_some() && !notes.rows.is_empty() { s.mean_of_rows } else { "" };
                    ui.label(format!("{}{}: {}{}", m.value_label.get(lang), mean, format_number(p.value, lang), unit));
                    if let Some(route) = p.route.and_then(|r| m.routes.get(r)) {
                        ui.weak(fill(
                            s.route_used,
                            &[("score", route.score.to_string()), ("rule", route.note.get(lang).to_string())],
                        ));
                    }
                }
                if !m.described_levels.is_empty() {
                    let levels: Vec<String> = m.described_levels.iter().map(u8::to_string).collect();
                    ui.weak(format!("{} {}", s.described_levels_note, levels.join(", ")));
                }
            }
            ItemKind::Described => {}
        }
        if !matches!(item.kind, ItemKind::Described) {
            // The core's proposal (ticks or figures); the score follows it in `apply_step`.
            let proposal = Evaluation::proposal_in(&self.scale, &item.id, self.active_items()).and_then(|p| p.proposed);
            self.proposal_ui(ui, s, &item, &notes, (proposal, current), edits);
        }

        ui.add_space(8.0);
        self.notes_ui(ui, s, lang, &item, &notes, edits);
    }

    /// The fields of a measured item's inputs (one set, or one row); returns the input the
    /// user changed this frame with its new value (`None`: cleared, or not a valid number).
    /// Field labels start with `prefix` so every row's fields have their own names.
    fn inputs_ui(
        &mut self,
        ui: &mut Ui,
        (s, lang): (&Strings, Lang),
        (item, prefix): (&str, &str),
        m: &ips_domain::scale::Measured,
        inputs: &std::collections::BTreeMap<String, InputValue>,
    ) -> Option<(String, Option<InputValue>)> {
        let mut change = None;
        for input in &m.inputs {
            match &input.kind {
                InputKind::Flag => {
                    let mut on = matches!(inputs.get(&input.id), Some(InputValue::Flag(true)));
                    if ui.checkbox(&mut on, format!("{prefix}{}", input.label.get(lang))).changed() {
                        change = Some((input.id.clone(), Some(InputValue::Flag(on))));
                    }
                }
                InputKind::Number { unit, min, max } => {
                    let key = (item.to_string(), format!("{prefix}{}", input.id));
                    let stored = match inputs.get(&input.id) {
                        Some(InputValue::Number(n)) => Some(*n),
                        _ => None,
                    };
                    let text = self
                        .number_text
                        .entry(key)
                        .or_insert_with(|| stored.map_or(String::new(), |v| format_number_exact(v, lang)));
                    let label = match unit {
                        Some(u) => format!("{prefix}{} ({})", input.label.get(lang), u.get(lang)),
                        None => format!("{prefix}{}", input.label.get(lang)),
                    };
                    ui.horizontal(|ui| {
                        let r = labelled_field(ui, &label, text, 90.0);
                        let parsed = parse_number(text);
                        let in_range = |v: f64| min.is_none_or(|lo| v >= lo) && max.is_none_or(|hi| v <= hi);
                        if r.changed() {
                            // Only valid numbers are recorded: a value outside the input's
                            // range would make the file fail its check.
                            change = Some((input.id.clone(), parsed.filter(|v| in_range(*v)).map(InputValue::Number)));
                        }
                        if !text.trim().is_empty() && parsed.is_none() {
                            ui.colored_label(ui.visuals().error_fg_color, s.not_a_number);
                        } else if let Some(v) = parsed
                            && !in_range(v)
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
        change
    }

    /// The proposed score beside the one given (`scores`: proposed, given).
    fn proposal_ui(
        &self,
        ui: &mut Ui,
        s: &Strings,
        item: &Item,
        notes: &ItemNotes,
        (proposal, current): (Option<u8>, Option<u8>),
        edits: &mut Vec<Edit>,
    ) {
        let Some(p) = proposal else {
            ui.weak(s.no_proposal_yet);
            return;
        };
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{}: {p}", s.proposed_score)).strong());
            if current != Some(p) && ui.button(s.use_proposed).clicked() {
                edits.extend(self.score_edit(self.selected, Some(p)));
            }
        });
        if current.is_some_and(|c| c != p) {
            ui.colored_label(ui.visuals().warn_fg_color, s.differs_from_proposal);
            let l = ui.label(s.override_reason);
            let mut text = notes.override_reason.clone();
            let r = ui
                .add(egui::TextEdit::multiline(&mut text).desired_rows(2).desired_width(f32::INFINITY))
                .labelled_by(l.id);
            if r.changed() {
                edits.push(Edit::Note { item: item.id.clone(), field: NoteField::OverrideReason, text });
            }
            if notes.override_reason.trim().is_empty() {
                ui.colored_label(ui.visuals().error_fg_color, s.reason_required);
            }
        }
    }

    fn notes_ui(&self, ui: &mut Ui, s: &Strings, lang: Lang, item: &Item, notes: &ItemNotes, edits: &mut Vec<Edit>) {
        let text_field = |ui: &mut Ui, label: &str, hint: &str, rows: usize, value: &str| -> Option<String> {
            let l = ui.strong(label);
            let mut text = value.to_string();
            let r = ui
                .add(
                    egui::TextEdit::multiline(&mut text)
                        .desired_rows(rows)
                        .desired_width(f32::INFINITY)
                        .hint_text(hint),
                )
                .labelled_by(l.id);
            r.changed().then_some(text)
        };
        if let Some(text) = text_field(ui, s.rationale, s.rationale_hint, 3, &notes.rationale) {
            edits.push(Edit::Note { item: item.id.clone(), field: NoteField::Rationale, text });
        }
        ui.horizontal(|ui| {
            ui.strong(s.data_sources);
            for source in &self.scale.sources {
                let mut on = notes.sources.contains(&source.id);
                if ui.checkbox(&mut on, &source.id).on_hover_text(source.name.get(lang)).changed() {
                    edits.push(Edit::Source { item: item.id.clone(), source: source.id.clone(), on });
                }
            }
        });
        if let Some(text) = text_field(ui, s.recommendation, s.recommendation_hint, 2, &notes.recommendation) {
            edits.push(Edit::Note { item: item.id.clone(), field: NoteField::Recommendation, text });
        }
    }

    fn summary_ui(&mut self, ui: &mut Ui, s: &Strings, lang: Lang) {
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
            ui.strong(ips_text::i18n::fill(s.to_next_band, &[("band", quoted(band.label.get(lang), lang))]));
            // The core's wording, made when the draft or the language changes.
            let text = match &self.next_text {
                Some((l, text)) if *l == lang => text.clone(),
                _ => {
                    let text = next_band_text(&self.scale, n, lang);
                    self.next_text = Some((lang, text.clone()));
                    text
                }
            };
            ui.label(&text.heading);
            ui.weak(s.closest_items);
            for line in &text.items {
                ui.label(format!("• {line}"));
            }
        } else if sum.reached_best_band() {
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

/// What the editor shows of the draft: its score, the next band, the change since the
/// previous review (each on its own scale version: [`ips_domain::scoring::change`]) and the
/// reviewers' agreement.
pub fn summarize(scale: &Scale, e: &Evaluation, previous: Option<(&Scale, &Evaluation)>) -> DraftSummary {
    let s = score(scale, &e.scores);
    let next = next_band(scale, e, &s);
    let change = previous
        .filter(|(_, p)| p.scale == e.scale)
        .map(|(previous_scale, p)| change((previous_scale, &p.scores), (scale, &e.scores)));
    let agreement = match e.reviewers.as_slice() {
        [a, b, ..] if !a.scores.is_empty() && !b.scores.is_empty() => Some(agreement(scale, &a.scores, &b.scores)),
        _ => None,
    };
    DraftSummary { score: s, next, change, agreement }
}

/// The meetings element's proposal in words: how many meetings were held in the 12 months
/// before the review, how many the rule asks for, and whether that is met.
fn meetings_proposal_text(s: &Strings, lang: Lang, m: &MeetingsBeforeReview) -> String {
    let template = if m.met() { s.meetings_proposal_met } else { s.meetings_proposal_not_met };
    let last_day = m.review.pred_opt().unwrap_or(m.review);
    fill(
        template,
        &[
            ("held", m.held.to_string()),
            ("required", m.required.to_string()),
            ("from", format_date(m.from, lang)),
            ("to", format_date(last_day, lang)),
        ],
    )
}
