//! The writer thread: every review save of the editor runs here, in the order it was asked
//! for, so a slow network share (a sync that takes a second) never holds up the window.
//! The window sends a [`Job`] and goes on; each finished job comes back as a [`Done`],
//! which the app applies once per frame. Waiting for the queue (closing the window, leaving
//! the review) is explicit and shown.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use ips_core::evaluation::Evaluation;
use ips_core::store::{KeepVersion, Stamp, StoreError};
use ips_core::workspace::{ReviewWrite, ScaleFile};

/// One review to write.
pub struct Job {
    /// The service's folder and the review's file: where the result goes back to.
    pub folder: String,
    pub file: String,
    /// The editor's generation the write holds: edits after it are still unsaved.
    pub generation: u64,
    pub write: ReviewWrite,
}

/// A finished job.
pub struct Done {
    pub folder: String,
    pub file: String,
    pub generation: u64,
    pub keep: KeepVersion,
    /// The scale version's file the write put into the workspace first, if any.
    pub scale_file: Option<ScaleFile>,
    /// The review as written (the audit trail may have grown), or as it was sent when the
    /// write failed: nothing in it is lost.
    pub evaluation: Evaluation,
    pub result: Result<Stamp, StoreError>,
}

/// The queue to the writer thread.
pub struct Writer {
    jobs: Option<Sender<Job>>,
    done: Receiver<Done>,
    /// The jobs sent and not yet back, oldest first: (folder, file).
    in_flight: VecDeque<(String, String)>,
    thread: Option<JoinHandle<()>>,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

impl Writer {
    pub fn new() -> Writer {
        let (jobs, inbox) = channel::<Job>();
        let (outbox, done) = channel::<Done>();
        let thread = std::thread::Builder::new()
            .name("ips-writer".into())
            .spawn(move || {
                for job in inbox {
                    if outbox.send(run(job)).is_err() {
                        break;
                    }
                }
            })
            .ok();
        Writer { jobs: Some(jobs), done, in_flight: VecDeque::new(), thread }
    }

    /// Queues a write; it runs after every write sent before it.
    pub fn send(&mut self, job: Job) -> Result<(), Box<Done>> {
        let key = (job.folder.clone(), job.file.clone());
        match &self.jobs {
            Some(tx) => match tx.send(job) {
                Ok(()) => {
                    self.in_flight.push_back(key);
                    Ok(())
                }
                // The thread is gone: written here instead, nothing is dropped.
                Err(e) => Err(Box::new(run(e.0))),
            },
            None => Err(Box::new(run(job))),
        }
    }

    /// Writes sent and not yet back.
    pub fn pending(&self) -> usize {
        self.in_flight.len()
    }

    /// Whether a write of this review is under way.
    pub fn writing(&self, folder: &str, file: &str) -> bool {
        self.in_flight.iter().any(|(f, n)| f == folder && n == file)
    }

    /// A finished write, if one is back.
    pub fn try_done(&mut self) -> Option<Done> {
        let done = self.done.try_recv().ok()?;
        self.in_flight.pop_front();
        Some(done)
    }

    /// Waits for the next finished write; `None` when nothing is under way.
    pub fn wait_done(&mut self) -> Option<Done> {
        if self.in_flight.is_empty() {
            return None;
        }
        let done = self.done.recv().ok();
        self.in_flight.pop_front();
        done
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the queue ends the thread after the writes already sent.
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Runs one job.
fn run(job: Job) -> Done {
    let (keep, scale_file) = (job.write.keep, job.write.scale_file.clone());
    let (evaluation, result) = job.write.run();
    Done { folder: job.folder, file: job.file, generation: job.generation, keep, scale_file, evaluation, result }
}
