//! How the app's changes reach the disk without holding up the window. Every save (the
//! open review's edits, a review the user has just left, a service's details, outcome
//! figures and meetings) goes to the writer thread ([`super::writer`]); its result comes
//! back and is applied once per frame. Memory holds the change at once, and the file
//! follows. A save that fails keeps the change in memory and tries again (a full disk, a
//! dropped share), or, when a colleague changed the file meanwhile, keeps both: theirs
//! stays, ours goes beside it in `WORKSPACE/conflicts/`.
//!
//! Commands that read what was saved or replace the workspace (opening another one, an
//! import, an export from the files) wait until the queue is quiet, and the window says
//! so meanwhile; nothing waits on the window's thread.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ips_store::store::{Durability, KeepVersion, StoreError};
use ips_store::workspace::{SideFile, Workspace};

use super::strings::Strings;
use super::writer::{self, Job, Work, Written};
use super::{App, Command, EvaluationEditor, Message, RETRY_AFTER};

/// A service's own file changed in memory and not yet sent to the writer.
#[derive(Debug, Clone)]
pub struct SideSave {
    pub folder: String,
    pub which: SideFile,
    /// The last write of it failed; it is tried again at `retry_at`.
    pub failed: bool,
    pub retry_at: Option<Instant>,
}

impl SideSave {
    fn due(&self, now: Instant) -> bool {
        !self.failed || self.retry_at.is_some_and(|at| now >= at)
    }
}

/// Where an editor with saves under way is: open, or left by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Open,
    Left(usize),
}

/// A pending write shows in the window once it has taken this long.
const SHOW_SAVING_AFTER: Duration = Duration::from_millis(250);

impl Command {
    /// Whether the command must wait until every save is written: it reads the files,
    /// replaces the workspace in memory, or moves files a save may still be writing.
    pub(super) fn waits_for_saves(&self) -> bool {
        matches!(
            self,
            Command::OpenWorkspace(_)
                | Command::Reload
                | Command::OpenExample
                | Command::DeleteService(_)
                | Command::ImportFiles(_)
                | Command::SettleReviewerConflict { .. }
                | Command::ResolveConflictCopy { .. }
                | Command::ExportExcel(_)
                | Command::ExportCsv(_)
                | Command::ExportPackage(..)
                | Command::ExportReviewerPackage { .. }
                | Command::ShowVersions
        )
    }
}

impl App {
    /// Whether saves are still on their way to the disk: a write under way, or one
    /// queued that has not failed (a failed one waits for its retry, or for the user).
    pub fn saves_pending(&self) -> bool {
        self.writer.pending() > 0
            || self.leaving.iter().any(|ed| !ed.save_failed)
            || self.side_saves.iter().any(|s| !s.failed)
    }

    /// Whether the app is still at work off the window's thread: reading a workspace,
    /// writing saves or exports, or holding a command back until saves are written.
    pub fn busy(&self) -> bool {
        self.is_loading()
            || self.saves_pending()
            || !self.waiting.is_empty()
            || self.exporting()
            // Presence is looked at every few seconds for as long as a service is open.
            || self.jobs.any(|k| k.settles() && k != super::jobs::JobKind::Presence)
            || !self.deferred.is_empty()
    }

    /// Whether a file the user asked for (an export) is still being made or written.
    pub fn exporting(&self) -> bool {
        self.jobs.running(super::jobs::JobKind::Export)
    }

    /// Whether anything the user changed is not on disk yet (an import or an export under
    /// way too: it is writing files the user asked for).
    fn unsaved(&self) -> bool {
        self.writer.pending() > 0
            || self.loading.as_ref().is_some_and(|l| l.import)
            || self.exporting()
            || self.editor.as_ref().is_some_and(|ed| ed.is_dirty() && !ed.read_only && !ed.rescued)
            || !self.leaving.is_empty()
            || !self.side_saves.is_empty()
    }

    /// Whether a save failed and waits (for space, for the share, or for a copy).
    pub(super) fn save_failing(&self) -> bool {
        self.editor.as_ref().is_some_and(|ed| ed.save_failed && ed.is_dirty())
            || self.leaving.iter().any(|ed| ed.save_failed)
            || self.side_saves.iter().any(|s| s.failed)
    }

    /// Whether a save has been under way long enough to show (a slow share).
    pub(super) fn saving_shown(&self) -> bool {
        self.writer.oldest_age().is_some_and(|age| age >= SHOW_SAVING_AFTER) || !self.waiting.is_empty()
    }

    /// The window was asked to close: true when it may close now. With saves under way or
    /// edits unsaved it waits (the banner says why) and the app closes it once they are
    /// written; asked again after a save failed, it keeps the edits as copies and closes.
    pub fn close_requested(&mut self) -> bool {
        self.take_finished_writes();
        if !self.unsaved() {
            return true;
        }
        if self.closing && self.save_failing() && self.writer.pending() == 0 {
            self.rescue_everything();
            return true;
        }
        self.closing = true;
        self.send_saves(self.clock.now(), true);
        false
    }

    /// Whether a close that waited for saves may happen now.
    pub fn may_close_now(&mut self) -> bool {
        self.closing && !self.unsaved()
    }

    /// Once per frame: applies finished writes, sends what is due, and runs the commands
    /// that waited for a quiet queue. Score and checkbox changes are sent at once; typing
    /// after a short pause.
    pub(super) fn autosave(&mut self, ui: &egui::Ui) {
        self.take_finished_writes();
        let now = ui.input(|i| i.time);
        if self.editor.as_ref().is_some_and(|ed| ed.save_due(now, self.clock.now())) {
            self.queue_save();
        }
        self.send_saves(self.clock.now(), false);
        self.run_waiting();
        if self.writer.pending() > 0 || !self.waiting.is_empty() {
            // Look for the answer soon; the thread does not wake the window itself.
            ui.request_repaint_after(Duration::from_millis(20));
        } else if self.unsaved() {
            ui.request_repaint_after(Duration::from_millis(400));
        }
    }

    /// Runs the commands that waited, once nothing is on its way to the disk.
    fn run_waiting(&mut self) {
        while !self.waiting.is_empty() && self.quiet() {
            if let Some(c) = self.waiting.pop_front() {
                self.apply(c);
            }
        }
    }

    /// Nothing is being written or about to be (failed saves wait for their retry), and no
    /// workspace is being read or imported into (an export or another import must not see
    /// an import half done).
    fn quiet(&self) -> bool {
        let editor_due = self
            .editor
            .as_ref()
            .is_some_and(|ed| ed.is_dirty() && !ed.read_only && !ed.conflict && !ed.save_failed && !ed.rescued);
        !editor_due && !self.saves_pending() && !self.is_loading()
    }

    /// Holds back a command until the queue is quiet; sends the open review's edits now
    /// so that the wait is short. True when the command must wait.
    pub(super) fn wait_for_saves(&mut self, command: &Command) -> bool {
        if !command.waits_for_saves() {
            return false;
        }
        self.take_finished_writes();
        self.queue_save();
        self.send_saves(self.clock.now(), true);
        if self.quiet() {
            return false;
        }
        self.waiting.push_back(command.clone());
        true
    }

    /// Sends the open review's edits to the writer thread, unless a write of it is already
    /// under way (the next one then follows it with what was typed meanwhile).
    pub(super) fn queue_save(&mut self) {
        let job = match &self.editor {
            Some(ed) if self.may_send(ed) => review_job(&self.ws, ed, self.clock.now()),
            _ => None,
        };
        if let Some(job) = job {
            self.send(job);
        }
    }

    fn may_send(&self, ed: &EvaluationEditor) -> bool {
        ed.is_dirty() && !ed.conflict && !ed.read_only && !ed.rescued && !self.writer.writing(&ed.service, &ed.file)
    }

    /// Sends the saves of reviews the user has left and of services' own files, when
    /// due (`all`: failed ones too, without waiting for their retry).
    fn send_saves(&mut self, now: Instant, all: bool) {
        let mut jobs = Vec::new();
        for ed in &self.leaving {
            let retry = ed.retry_at.is_some_and(|at| now >= at);
            if self.may_send(ed) && (!ed.save_failed || retry || all) {
                jobs.extend(review_job(&self.ws, ed, now));
            }
        }
        let mut i = 0;
        while i < self.side_saves.len() {
            let save = &self.side_saves[i];
            let writing = self.writer.writing(&save.folder, save.which.file_name());
            if writing || !(save.due(now) || all) {
                i += 1;
                continue;
            }
            let save = self.side_saves.remove(i);
            // A service deleted meanwhile has nothing left to save.
            if let Some(si) = self.ws.service_index(&save.folder) {
                if save.failed {
                    self.side_failing.push((save.folder.clone(), save.which));
                }
                let write = self.ws.side_write(si, save.which);
                let file = save.which.file_name().to_string();
                let work = Work::Side { which: save.which, write };
                jobs.push(Job { root: self.ws.root.clone(), folder: save.folder, file, work });
            }
        }
        for job in jobs {
            self.send(job);
        }
    }

    fn send(&mut self, job: Job) {
        self.writer.send(&mut self.jobs, job);
    }

    /// Notes that a service's own file changed in memory; the writer thread saves it.
    pub(super) fn save_side(&mut self, folder: &str, which: SideFile) {
        if !self.side_saves.iter().any(|s| s.folder == folder && s.which == which) {
            let save = SideSave { folder: folder.to_string(), which, failed: false, retry_at: None };
            self.side_saves.push(save);
        }
        self.send_saves(self.clock.now(), false);
    }

    /// Applies the writes the write lane has finished.
    pub(super) fn take_finished_writes(&mut self) {
        for finish in self.jobs.take_kind(super::jobs::JobKind::Save) {
            finish(self);
        }
    }

    /// Waits until every write sent is done, and applies them (and whatever else finished
    /// meanwhile).
    fn wait_for_writes(&mut self) {
        while self.writer.pending() > 0 {
            match self.jobs.wait_next() {
                Some(finish) => finish(self),
                None => break,
            }
        }
    }

    /// A write is back from the write lane.
    pub(super) fn write_landed(&mut self, done: writer::Done) {
        self.writer.landed(&done.folder, &done.file);
        self.finish_write(done);
    }

    /// Sends unsaved edits to the writer now, without waiting.
    pub fn save_soon(&mut self) {
        self.take_finished_writes();
        self.queue_save();
        self.send_saves(self.clock.now(), false);
    }

    /// Saves everything unsaved now, and waits for it: for the last moment before the
    /// window closes, and for tests. A save that fails is not tried again here.
    pub fn flush(&mut self) {
        self.wait_for_writes();
        loop {
            self.queue_save();
            self.send_saves(self.clock.now(), false);
            if self.writer.pending() == 0 {
                break;
            }
            self.wait_for_writes();
        }
        self.run_waiting();
    }

    fn slot_of(&self, folder: &str, file: &str) -> Option<Slot> {
        if self.editor.as_ref().is_some_and(|ed| ed.service == folder && ed.file == file) {
            return Some(Slot::Open);
        }
        self.leaving.iter().position(|ed| ed.service == folder && ed.file == file).map(Slot::Left)
    }

    fn editor_at(&mut self, slot: Slot) -> Option<&mut EvaluationEditor> {
        match slot {
            Slot::Open => self.editor.as_mut(),
            Slot::Left(i) => self.leaving.get_mut(i),
        }
    }

    /// One finished write: memory takes the file as written; a failure keeps the change
    /// in memory (nothing is lost) and says why once.
    pub(super) fn finish_write(&mut self, done: writer::Done) {
        if done.root != self.ws.root {
            // Written into a workspace opened before this one: memory is another's now.
            let result = match &done.outcome {
                Written::Review { result, .. } | Written::Side { result, .. } => result,
            };
            if let Err(e) = result {
                self.store_error(e);
            }
            return;
        }
        match done.outcome {
            Written::Review { generation, keep, scale_file, evaluation, result } => match result {
                Ok(stamp) => {
                    self.ws.scale_file_written(scale_file);
                    if let Some((si, ei)) = self.ws.locate(&done.folder, &done.file) {
                        let rec = &mut self.ws.services[si].evaluations[ei];
                        rec.evaluation = *evaluation;
                        rec.stamp = Some(stamp);
                    }
                    self.review_saved(&done.folder, &done.file, generation, keep);
                    self.changed();
                }
                Err(e) => self.review_failed(&done.folder, &done.file, &e),
            },
            Written::Side { which, bytes, result } => self.side_finished(&done.folder, which, &bytes, result),
        }
    }

    fn review_saved(&mut self, folder: &str, file: &str, generation: u64, keep: KeepVersion) {
        let Some(slot) = self.slot_of(folder, file) else {
            return;
        };
        let saved =
            self.ws.locate(folder, file).map(|(si, ei)| self.ws.services[si].evaluations[ei].evaluation.clone());
        let now = self.clock.now();
        let Some(ed) = self.editor_at(slot) else {
            return;
        };
        let recovered = ed.save_failed;
        ed.mark_saved_at(generation);
        if keep != KeepVersion::No {
            ed.version_kept = Some(now);
        }
        if let Some(saved) = &saved {
            ed.adopt_trail(saved, generation);
        }
        let notice = ed.notice_at_save.take_if(|(g, _)| *g <= generation).map(|(_, said)| said);
        let clean = !ed.is_dirty();
        if recovered {
            self.messages.push(Message::info(|s, _| s.saved_after_failure.to_string()));
        }
        if let Some(said) = notice {
            self.messages.push(said);
        }
        if let (Slot::Left(i), true) = (slot, clean) {
            self.leaving.remove(i);
        }
    }

    fn review_failed(&mut self, folder: &str, file: &str, e: &StoreError) {
        let mut first = true;
        let slot = self.slot_of(folder, file);
        let now = self.clock.now();
        if let Some(ed) = slot.and_then(|slot| self.editor_at(slot)) {
            first = !ed.save_failed;
            ed.conflict = matches!(e, StoreError::Conflict { .. });
            ed.save_failed = true;
            // A full disk or a dropped share may come back: try again now and then.
            let retry = matches!(e, StoreError::Io { .. } | StoreError::Locked { .. });
            ed.retry_at = retry.then(|| now + RETRY_AFTER);
        }
        // Said once, not at every attempt.
        if first {
            self.store_error(e);
        }
        let conflict = matches!(e, StoreError::Conflict { .. });
        // Keep both: the colleague's file stays, ours goes beside it as a copy.
        if slot == Some(Slot::Open) && conflict {
            self.rescue_draft();
        }
        // The user has left the review: its edits go to a copy now, and are tried again
        // later only when even the copy cannot be written (a full disk).
        if let Some(Slot::Left(i)) = slot
            && (first || conflict)
            && self.rescue_left(i)
        {
            self.forget_left(i);
        }
    }

    fn side_finished(
        &mut self,
        folder: &str,
        which: SideFile,
        bytes: &[u8],
        result: Result<ips_domain::service::ContentStamp, StoreError>,
    ) {
        let key = (folder.to_string(), which);
        let was_failing = self.side_failing.contains(&key);
        self.side_failing.retain(|k| *k != key);
        let Some(si) = self.ws.service_index(folder) else {
            return;
        };
        match result {
            Ok(stamp) => {
                self.ws.side_written(si, which, stamp);
                if was_failing {
                    self.messages.push(Message::info(|s, _| s.saved_after_failure.to_string()));
                }
            }
            Err(e @ (StoreError::Io { .. } | StoreError::Locked { .. })) => {
                // Memory keeps the change; it is written once the disk takes it.
                let retry_at = Some(self.clock.now() + RETRY_AFTER);
                match self.side_saves.iter_mut().find(|s| s.folder == folder && s.which == which) {
                    Some(s) => (s.failed, s.retry_at) = (true, retry_at),
                    None => {
                        self.side_saves.push(SideSave { folder: folder.to_string(), which, failed: true, retry_at })
                    }
                }
                if !was_failing {
                    self.store_error(&e);
                }
            }
            Err(e) => {
                // A colleague changed the file meanwhile (or it cannot be replaced): theirs
                // stays and memory takes it; ours goes beside it as a copy.
                self.messages.push(Message::error(|s, lang| format!("{}. {}", e.text(lang), s.side_conflict)));
                let name = format!("{folder}_{}", which.file_name());
                self.rescue_bytes(&name, bytes, |s| s.side_rescued);
                self.side_saves.retain(|s| !(s.folder == folder && s.which == which));
                for p in self.ws.reload_side(si, which) {
                    self.messages.push(Message::error(|_, lang| p.text(lang)));
                }
                self.changed();
            }
        }
    }

    /// Leaves the open review: its last edits go to the writer thread and the window goes
    /// on at once. The editor stays (out of sight) until they are written, so that a
    /// failure still keeps them, and reopening the review takes it back as it was.
    pub(super) fn leave_editor(&mut self) {
        let Some(ed) = self.editor.take() else {
            return;
        };
        let writing = self.writer.writing(&ed.service, &ed.file);
        if ed.read_only || ed.rescued || (!ed.is_dirty() && !writing) {
            return;
        }
        let failed = ed.conflict || (ed.save_failed && !writing);
        // The service's page shows the review as edited at once; the file follows.
        if !failed && let Some((si, ei)) = self.ws.locate(&ed.service, &ed.file) {
            self.ws.services[si].evaluations[ei].evaluation = ed.draft().clone();
            self.changed();
        }
        self.leaving.push(ed);
        let i = self.leaving.len() - 1;
        if failed {
            if self.rescue_left(i) {
                self.forget_left(i);
            }
            return;
        }
        self.send_saves(self.clock.now(), true);
    }

    /// Lets go of a review the user left whose edits are in a copy now: memory shows the
    /// file as it is on disk again.
    fn forget_left(&mut self, i: usize) {
        let ed = self.leaving.remove(i);
        if let Some((si, ei)) = self.ws.locate(&ed.service, &ed.file) {
            if let Err(problems) = self.ws.reload_evaluation(si, ei) {
                self.messages.extend(problems.iter().map(|p| Message::error(|_, lang| p.text(lang))));
            }
            self.changed();
        }
    }

    /// Takes back a review the user left whose saves are still under way.
    pub(super) fn take_back(&mut self, folder: &str, file: &str) -> Option<EvaluationEditor> {
        let i = self.leaving.iter().position(|ed| ed.service == folder && ed.file == file)?;
        Some(self.leaving.remove(i))
    }

    /// With the queue quiet, before the workspace changes under the editors: edits that
    /// could not be saved go to copies.
    pub(super) fn settle_editor(&mut self) {
        if self.editor.as_ref().is_some_and(|ed| ed.is_dirty() && !ed.read_only) {
            self.rescue_draft();
        }
        let mut i = 0;
        while i < self.leaving.len() {
            if self.rescue_left(i) {
                self.forget_left(i);
            } else {
                i += 1;
            }
        }
    }

    /// Everything not saved goes to copies (closing after a failure, the user asked twice).
    pub(super) fn rescue_everything(&mut self) {
        self.settle_editor();
        for save in std::mem::take(&mut self.side_saves) {
            if let Some(si) = self.ws.service_index(&save.folder) {
                let bytes = self.ws.side_write(si, save.which).bytes;
                let name = format!("{}_{}", save.folder, save.which.file_name());
                self.rescue_bytes(&name, &bytes, |s| s.side_rescued);
            }
        }
    }

    /// Writes the open review's unsaved edits to `WORKSPACE/conflicts/`, once, and says
    /// where. Called before the editor is closed, so edits are never dropped.
    pub(super) fn rescue_draft(&mut self) {
        if let Some(mut ed) = self.editor.take() {
            self.rescue(&mut ed);
            self.editor = Some(ed);
        }
    }

    /// The same for a review the user has left; true when its edits are safe in a copy.
    fn rescue_left(&mut self, i: usize) -> bool {
        let mut ed = self.leaving.remove(i);
        let safe = self.rescue(&mut ed);
        self.leaving.insert(i, ed);
        safe
    }

    fn rescue(&mut self, ed: &mut EvaluationEditor) -> bool {
        if !ed.is_dirty() || ed.rescued {
            return true;
        }
        let name = format!("{}_{}_{}.json", ed.service, ed.draft().date, ed.draft().kind.code());
        ed.rescued = self.rescue_bytes(&name, ed.draft().to_json().as_bytes(), |s| s.edits_rescued).is_some();
        ed.rescued
    }

    /// Writes `bytes` to `WORKSPACE/conflicts/` under `name` with the time added, and says
    /// where after `said` (or why not).
    fn rescue_bytes(&mut self, name: &str, bytes: &[u8], said: fn(&Strings) -> &str) -> Option<PathBuf> {
        let path = rescue_path(&self.ws.root, name);
        match ips_store::store::write_atomic(&path, bytes, None, Durability::Sync) {
            Ok(_) => {
                self.messages.push(Message::info(|s, _| format!("{}: {}", said(s), path.display())));
                Some(path)
            }
            Err(e) => {
                self.store_error(&e);
                None
            }
        }
    }
}

/// `conflicts/<stem>_<UTC time>.<ext>`: a copy never replaces another.
fn rescue_path(root: &Path, name: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "json"));
    root.join("conflicts").join(format!("{stem}_{stamp}.{ext}"))
}

/// The write of an editor's draft, to go to the writer thread.
fn review_job(ws: &Workspace, ed: &EvaluationEditor, now: Instant) -> Option<Job> {
    let (si, ei) = ws.locate(&ed.service, &ed.file)?;
    let keep = ed.next_keep(now);
    let write = ws.review_write(si, ei, ed.draft().clone(), keep);
    let work = Work::Review { generation: ed.generation(), write: Box::new(write) };
    Some(Job { root: ws.root.clone(), folder: ed.service.clone(), file: ed.file.clone(), work })
}
