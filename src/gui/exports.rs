//! Files the user asked for outside the workspace (the CSV for Excel, a service's
//! package, a reviewer's own scores, the regional overview as PDF) are made and written on
//! a thread of their own, so neither a large workspace nor a slow share holds the window.
//! What is cheap and needs the workspace in memory (which package, which summary) is taken
//! on the window's thread; the rest (reading the files for the CSV, rendering the PDF,
//! serialising, writing the file) runs on the thread. The message comes when the file is
//! there, and closing the window waits for it.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use ips_store::store;
use ips_text::text::Lang;

use super::Message;

/// What an export thread makes: the file's bytes and the message to show once written.
pub type Made = Result<(Vec<u8>, String), String>;

/// The exports under way.
#[derive(Default)]
pub struct Exports {
    /// Each export's answer, and what to say if its thread ends without one.
    running: Vec<(Receiver<Message>, String)>,
}

impl Exports {
    /// Makes a file with `make` on a thread of its own and writes it whole to `path`
    /// (replacing what was there only once the new file is complete). The message is
    /// `make`'s own on success, `failed: why` otherwise.
    pub fn start(
        &mut self,
        path: PathBuf,
        lang: Lang,
        failed: &str,
        make: impl FnOnce() -> Made + Send + 'static,
    ) -> Result<(), Message> {
        let (failed, said_if_lost) = (failed.to_string(), failed.to_string());
        let (tx, rx) = channel();
        let job = move || {
            let written = make()
                .and_then(|(bytes, done)| store::write_output(&path, &bytes).map(|()| done).map_err(|e| e.text(lang)));
            // The receiver is gone only if the app is; nobody is left to tell then.
            let _ = tx.send(match written {
                Ok(done) => Message::info(done),
                Err(e) => Message::error(format!("{failed}: {e}")),
            });
        };
        match std::thread::Builder::new().name("export".into()).spawn(job) {
            Ok(_) => {
                self.running.push((rx, said_if_lost));
                Ok(())
            }
            Err(e) => Err(Message::error(e.to_string())),
        }
    }

    /// The messages of the exports that have finished since the last call.
    pub fn take_finished(&mut self) -> Vec<Message> {
        let mut finished = Vec::new();
        self.running.retain(|(rx, failed)| match rx.try_recv() {
            Ok(m) => {
                finished.push(m);
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                finished.push(Message::error(failed.clone()));
                false
            }
        });
        finished
    }

    /// Whether an export is still being made or written.
    pub fn running(&self) -> bool {
        !self.running.is_empty()
    }
}
