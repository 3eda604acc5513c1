//! The saves: every save of a review or of a service's own files runs on the job runner's
//! write lane ([`super::jobs`]), in the order it was asked for, so a slow network share (a
//! sync that takes a second) never holds up the window. The window sends a [`Job`] and
//! goes on; each finished job comes back as a [`Done`], which the app applies once per
//! frame. Nothing waits for the queue
//! on the window's thread but the tests and the last moment of closing; what waits for it
//! (a close, opening another workspace) says so on screen.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Instant;

use ips_domain::evaluation::Evaluation;
use ips_domain::service::ContentStamp;
use ips_store::store::{KeepVersion, StoreError};
use ips_store::workspace::{FileWrite, ReviewWrite, ScaleFile, SideFile};

use super::App;
use super::jobs::{JobKind, Jobs, Lane};

/// One file to write.
pub struct Job {
    /// The workspace it belongs to: a result that comes back after another workspace was
    /// opened changes nothing in memory.
    pub root: PathBuf,
    /// The service's folder and the file's name: where the result goes back to.
    pub folder: String,
    pub file: String,
    pub work: Work,
}

/// What a job writes.
pub enum Work {
    /// A review, from the editor; `generation` is the editor's generation the write holds
    /// (edits after it are still unsaved).
    Review { generation: u64, write: Box<ReviewWrite> },
    /// One of a service's own files (details, outcome figures, meetings).
    Side { which: SideFile, write: FileWrite },
}

/// A finished job.
pub struct Done {
    pub root: PathBuf,
    pub folder: String,
    pub file: String,
    pub outcome: Written,
}

/// What a finished job did.
pub enum Written {
    Review {
        generation: u64,
        keep: KeepVersion,
        /// The scale version's file the write put into the workspace first, if any.
        scale_file: Option<ScaleFile>,
        /// The review as written (the audit trail may have grown), or as it was sent when
        /// the write failed: nothing in it is lost.
        evaluation: Box<Evaluation>,
        result: Result<ContentStamp, StoreError>,
    },
    Side {
        which: SideFile,
        /// What was to be written, kept for a copy when it could not be.
        bytes: Vec<u8>,
        result: Result<ContentStamp, StoreError>,
    },
}

/// The saves under way, in the order they were sent to the job runner's write lane.
#[derive(Default)]
pub struct Writer {
    /// The jobs sent and not yet back, oldest first: (folder, file, when sent).
    in_flight: VecDeque<(String, String, Instant)>,
}

impl Writer {
    /// Queues a write on the write lane; it runs after every write and change sent before
    /// it, and comes back through [`App::write_landed`].
    pub fn send(&mut self, jobs: &mut Jobs, job: Job) {
        self.in_flight.push_back((job.folder.clone(), job.file.clone(), Instant::now()));
        jobs.run(JobKind::Save, Lane::Write, move || {
            let done = run(job);
            Box::new(move |app: &mut App| app.write_landed(done))
        });
    }

    /// A write is back: it is no longer under way.
    pub fn landed(&mut self, folder: &str, file: &str) {
        if let Some(i) = self.in_flight.iter().position(|(f, n, _)| f == folder && n == file) {
            self.in_flight.remove(i);
        }
    }

    /// Writes sent and not yet back.
    pub fn pending(&self) -> usize {
        self.in_flight.len()
    }

    /// Whether a write of this review is under way.
    pub fn writing(&self, folder: &str, file: &str) -> bool {
        self.in_flight.iter().any(|(f, n, _)| f == folder && n == file)
    }

    /// How long the oldest write under way has taken so far.
    pub fn oldest_age(&self) -> Option<std::time::Duration> {
        self.in_flight.front().map(|(_, _, sent)| sent.elapsed())
    }
}

/// Runs one job.
fn run(job: Job) -> Done {
    let outcome = match job.work {
        Work::Review { generation, write } => {
            let (keep, scale_file) = (write.keep, write.scale_file.clone());
            let (evaluation, result) = write.run();
            Written::Review { generation, keep, scale_file, evaluation: Box::new(evaluation), result }
        }
        Work::Side { which, write } => {
            let bytes = write.bytes.clone();
            Written::Side { which, bytes, result: write.run() }
        }
    };
    Done { root: job.root, folder: job.folder, file: job.file, outcome }
}
