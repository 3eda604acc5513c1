//! The one job runner: everything slow the app does (saves, reading a workspace or one
//! service, imports, creating and deleting services and reviews, the version list,
//! presence, exports, PDFs, opening a file with the system's program, file dialogs) runs
//! here, off the window's thread, so a slow share never holds up the window.
//!
//! A job is a closure that does its work on a lane's thread and returns a [`Finish`]: the
//! part that changes the app, applied on the window's thread once per frame (or while a
//! test or the closing window waits). Each lane runs its jobs in the order they were sent,
//! so that the saves and changes of the workspace reach the disk in the order the user
//! made them, while a file dialog left open or a long PDF never holds up a save.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::App;

/// What a job hands back: applied to the app on the window's thread.
pub type Finish = Box<dyn FnOnce(&mut App) + Send>;

/// A job's work, run on its lane's thread.
type Task = Box<dyn FnOnce() -> Finish + Send>;

/// The threads jobs run on, each in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// What changes the workspace: saves, imports, new and deleted services and reviews.
    Write,
    /// What reads it: the workspace, a service's reviews, the version list, presence.
    Read,
    /// What the user asked for outside it: exports, PDFs, opening a file.
    Output,
    /// The system's file dialogs, which wait for the user.
    Dialog,
    /// Looking at the folder for colleagues' changes: on a slow share a look at thousands of
    /// services takes seconds, and must not hold up reading the service the user opens.
    Watch,
}

const LANES: [Lane; 5] = [Lane::Write, Lane::Read, Lane::Output, Lane::Dialog, Lane::Watch];

/// What a job does, for the window to say what it is working on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// A review's edits or a service's own file (shown after a moment, as "Lagrer …").
    Save,
    /// Reading a whole workspace (the window shows how far).
    Load,
    Import,
    /// Reading the workbooks of an import for its preview.
    Preview,
    /// Reading the reviews of one service held in brief.
    ReadService,
    /// Listing or reading the open review's earlier versions.
    History,
    /// This window's presence in a service, and who else is there (never shown).
    Presence,
    /// Creating or deleting a service or a review, settling a conflict, the example.
    Change,
    /// A look at the workspace's folder for what colleagues changed (never shown).
    Refresh,
    Export,
    Pdf,
    OpenPath,
    Dialog,
}

impl JobKind {
    /// Whether the window shows a "working" sign for it at once (saves, loads and dialogs
    /// show themselves their own way; presence is not the user's doing).
    pub fn shown_as_working(self) -> bool {
        matches!(
            self,
            JobKind::ReadService
                | JobKind::History
                | JobKind::Change
                | JobKind::Preview
                | JobKind::Export
                | JobKind::Pdf
        )
    }

    /// Whether the tests wait for it in [`App::settle`]: the work a click starts and expects
    /// done within a moment, and a dialog (answered at once by the tests' stand-in). Saves,
    /// loads, imports and exports have their own waits.
    pub fn settles(self) -> bool {
        matches!(
            self,
            JobKind::ReadService
                | JobKind::History
                | JobKind::Change
                | JobKind::Preview
                | JobKind::Presence
                | JobKind::OpenPath
                | JobKind::Dialog
        )
    }
}

struct Running {
    id: u64,
    kind: JobKind,
}

/// One lane: where its jobs go, and its thread (none if it could not start).
struct LaneThread {
    lane: Lane,
    jobs: Sender<(u64, Task)>,
    thread: Option<JoinHandle<()>>,
}

/// The lanes' threads, and the jobs sent and not yet applied.
pub struct Jobs {
    lanes: Vec<LaneThread>,
    done_tx: Sender<(u64, Finish)>,
    done: Receiver<(u64, Finish)>,
    running: Vec<Running>,
    /// Finished and taken from the channel, not yet applied (see [`Jobs::take_kind`]).
    ready: VecDeque<(u64, Finish)>,
    next_id: u64,
    /// How many jobs were sent to the write lane: a look at the disk that began before a
    /// write is not trusted after it (it may have seen our own write half-way).
    writes: u64,
    /// The window, woken when a job is done.
    wake: Arc<Mutex<Option<egui::Context>>>,
}

impl Default for Jobs {
    fn default() -> Self {
        Self::new()
    }
}

impl Jobs {
    pub fn new() -> Jobs {
        let (done_tx, done) = channel();
        let wake: Arc<Mutex<Option<egui::Context>>> = Arc::default();
        let lanes = LANES
            .iter()
            .map(|&lane| {
                let (tx, inbox) = channel::<(u64, Task)>();
                let (out, wake) = (done_tx.clone(), wake.clone());
                let thread = std::thread::Builder::new()
                    .name(format!("ips-{lane:?}").to_lowercase())
                    .spawn(move || {
                        for (id, task) in inbox {
                            // A job that panics says so and the lane goes on: nothing waits
                            // for it forever (closing, a test).
                            let finish = std::panic::catch_unwind(std::panic::AssertUnwindSafe(task))
                                .unwrap_or_else(|_| Box::new(|app: &mut App| app.job_failed()));
                            if out.send((id, finish)).is_err() {
                                break;
                            }
                            if let Ok(ctx) = wake.lock()
                                && let Some(ctx) = ctx.as_ref()
                            {
                                ctx.request_repaint();
                            }
                        }
                    })
                    .ok();
                LaneThread { lane, jobs: tx, thread }
            })
            .collect();
        Jobs { lanes, done_tx, done, running: Vec::new(), ready: VecDeque::new(), next_id: 0, writes: 0, wake }
    }

    /// The window to wake when a job is done.
    pub fn set_context(&self, ctx: &egui::Context) {
        if let Ok(mut slot) = self.wake.lock()
            && slot.is_none()
        {
            *slot = Some(ctx.clone());
        }
    }

    /// Runs `work` on `lane` after the jobs sent to it before; what it returns is applied
    /// to the app once it is done. Returns the job's id.
    pub fn run(&mut self, kind: JobKind, lane: Lane, work: impl FnOnce() -> Finish + Send + 'static) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        if lane == Lane::Write {
            self.writes += 1;
        }
        self.running.push(Running { id, kind });
        let task: Task = Box::new(work);
        let sent = match self.lanes.iter().find(|l| l.lane == lane) {
            Some(LaneThread { jobs, thread: Some(_), .. }) => jobs.send((id, task)).map_err(|e| e.0.1),
            _ => Err(task),
        };
        // The lane's thread could not start or is gone: done here, so nothing is dropped.
        if let Err(task) = sent {
            let _ = self.done_tx.send((id, task()));
        }
        id
    }

    fn receive(&mut self) {
        while let Ok(done) = self.done.try_recv() {
            self.ready.push_back(done);
        }
    }

    fn landed(&mut self, id: u64) {
        self.running.retain(|r| r.id != id);
    }

    /// Every job finished since the last call, in the order they finished.
    pub fn take_finished(&mut self) -> Vec<Finish> {
        self.receive();
        let ready: Vec<(u64, Finish)> = self.ready.drain(..).collect();
        ready
            .into_iter()
            .map(|(id, f)| {
                self.landed(id);
                f
            })
            .collect()
    }

    /// The finished jobs of one kind (the others wait for the next frame).
    pub fn take_kind(&mut self, kind: JobKind) -> Vec<Finish> {
        self.receive();
        let mut taken = Vec::new();
        let mut kept = VecDeque::new();
        for (id, f) in self.ready.drain(..) {
            if self.running.iter().any(|r| r.id == id && r.kind == kind) {
                taken.push((id, f));
            } else {
                kept.push_back((id, f));
            }
        }
        self.ready = kept;
        taken
            .into_iter()
            .map(|(id, f)| {
                self.landed(id);
                f
            })
            .collect()
    }

    /// Waits for the next job to finish; `None` when none is under way.
    pub fn wait_next(&mut self) -> Option<Finish> {
        self.receive();
        if self.ready.is_empty() {
            if self.running.is_empty() {
                return None;
            }
            let done = self.done.recv().ok()?;
            self.ready.push_back(done);
        }
        let (id, f) = self.ready.pop_front()?;
        self.landed(id);
        Some(f)
    }

    /// Whether a job of this kind is under way (or done and not yet applied).
    /// How many jobs have been sent to the write lane so far.
    pub fn writes(&self) -> u64 {
        self.writes
    }

    pub fn running(&self, kind: JobKind) -> bool {
        self.running.iter().any(|r| r.kind == kind)
    }

    /// Whether a job of a kind matching `which` is under way.
    pub fn any(&self, which: impl Fn(JobKind) -> bool) -> bool {
        self.running.iter().any(|r| which(r.kind))
    }

    /// The kinds under way that the window shows as working, oldest first.
    pub fn working(&self) -> Vec<JobKind> {
        let mut kinds: Vec<JobKind> = Vec::new();
        for r in &self.running {
            if r.kind.shown_as_working() && !kinds.contains(&r.kind) {
                kinds.push(r.kind);
            }
        }
        kinds
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        // Closing the lanes ends their threads after the jobs already sent. Only the
        // writes are waited for: a dialog left open must not hold the program.
        for LaneThread { lane, jobs, thread } in std::mem::take(&mut self.lanes) {
            drop(jobs);
            if lane == Lane::Write
                && let Some(t) = thread
            {
                let _ = t.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_lane_runs_its_jobs_in_order_and_the_app_gets_each_result_once() {
        let mut jobs = Jobs::new();
        let order = Arc::new(Mutex::new(Vec::new()));
        for k in 0..20 {
            let order = order.clone();
            jobs.run(JobKind::Save, Lane::Write, move || {
                if k == 0 {
                    std::thread::sleep(Duration::from_millis(30));
                }
                order.lock().map(|mut o| o.push(k)).unwrap_or_default();
                Box::new(|_app: &mut App| {})
            });
        }
        assert!(jobs.running(JobKind::Save));
        let mut finished = 0;
        while jobs.wait_next().is_some() {
            finished += 1;
        }
        assert_eq!(finished, 20);
        assert!(!jobs.running(JobKind::Save));
        assert_eq!(*order.lock().unwrap_or_else(|e| e.into_inner()), (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn a_slow_job_on_one_lane_does_not_hold_up_another() {
        let mut jobs = Jobs::new();
        let (tx, rx) = channel::<()>();
        jobs.run(JobKind::Dialog, Lane::Dialog, move || {
            let _ = rx.recv();
            Box::new(|_app: &mut App| {})
        });
        jobs.run(JobKind::Save, Lane::Write, || Box::new(|_app: &mut App| {}));
        assert!(jobs.wait_next().is_some(), "the save comes back while the dialog is open");
        assert!(jobs.running(JobKind::Dialog));
        assert!(!jobs.running(JobKind::Save));
        let _ = tx.send(());
        assert!(jobs.wait_next().is_some());
        assert!(jobs.wait_next().is_none());
    }

    #[test]
    fn jobs_of_one_kind_are_taken_and_the_others_wait() {
        let mut jobs = Jobs::new();
        jobs.run(JobKind::Export, Lane::Output, || Box::new(|_app: &mut App| {}));
        jobs.run(JobKind::Save, Lane::Write, || Box::new(|_app: &mut App| {}));
        let until = Instant::now() + Duration::from_secs(10);
        let mut saves = 0;
        while saves == 0 && Instant::now() < until {
            saves += jobs.take_kind(JobKind::Save).len();
        }
        assert_eq!(saves, 1);
        while jobs.running(JobKind::Export) && Instant::now() < until {
            jobs.take_finished();
        }
        assert!(!jobs.running(JobKind::Export));
        assert_eq!(jobs.working(), Vec::new());
    }
}
