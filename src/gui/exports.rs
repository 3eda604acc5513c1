//! Files the user asked for outside the workspace (the CSV for Excel, a service's
//! package, a reviewer's own scores, the regional overview as PDF) are made and written on
//! the job runner's output lane ([`super::jobs`]), so neither a large workspace nor a slow
//! share holds the window. What is cheap and needs the workspace in memory (which package,
//! which summary) is taken on the window's thread; the rest (reading the files for the
//! CSV, rendering the PDF, serialising, writing the file) runs on the lane. The message
//! comes when the file is there, and closing the window waits for it.

use std::path::Path;

use super::Message;
use super::strings::Strings;
use ips_store::store;

/// What an export makes: the file's bytes and the message to show once written, or the
/// message saying why it could not be made.
pub type Made = Result<(Vec<u8>, Message), Message>;

/// Makes the file with `make` and writes it whole to `path` (replacing what was there only
/// once the new file is complete): `make`'s message on success, `failed: why` when the file
/// cannot be written.
pub fn make_and_write(path: &Path, failed: fn(&Strings) -> &str, make: impl FnOnce() -> Made) -> Message {
    match make() {
        Ok((bytes, done)) => match store::write_output(path, &bytes) {
            Ok(()) => done,
            Err(e) => Message::error(|s, lang| format!("{}: {}", failed(s), e.text(lang))),
        },
        Err(said) => said,
    }
}
