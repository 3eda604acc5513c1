//! Presence: who else has a service open. Opening a service creates
//! `services/<folder>/.presence/<user>@<host>-<pid>.lock` and holds an OS lock on it for as
//! long as it is open. Others list the folder; a file whose lock can be taken belongs to a
//! process that ended (a crash included) and is removed, so stale presence never shows or
//! blocks anyone. Presence is advisory: it warns, the write checks in `store` protect.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use crate::store::create_dirs;

/// The folder of presence files inside a service folder.
pub const PRESENCE_DIR: &str = ".presence";

/// This process's presence in one service; removed on drop.
#[derive(Debug)]
pub struct Presence {
    file: Option<File>,
    path: PathBuf,
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .take(40)
        .collect()
}

/// `user@host-pid`, safe as a file name on every platform.
fn my_name() -> String {
    let (user, host) = crate::store::user_and_host();
    let user = if user.is_empty() { "ukjent".to_string() } else { sanitize(&user) };
    let who = if host.is_empty() { user } else { format!("{user}@{}", sanitize(&host)) };
    format!("{who}-{}", std::process::id())
}

impl Presence {
    /// Announces that this process has the service in `service_dir` open.
    pub fn announce(service_dir: &Path) -> io::Result<Presence> {
        let dir = service_dir.join(PRESENCE_DIR);
        create_dirs(&dir, crate::store::Durability::Deferred)?;
        let path = dir.join(format!("{}.lock", my_name()));
        let file = OpenOptions::new().write(true).create(true).truncate(true).open(&path)?;
        file.try_lock().map_err(|e| match e {
            fs::TryLockError::Error(e) => e,
            fs::TryLockError::WouldBlock => io::Error::other("the presence file is locked"),
        })?;
        Ok(Presence { file: Some(file), path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Presence {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            let _ = f.unlock();
            drop(f);
        }
        let _ = fs::remove_file(&self.path);
    }
}

/// Who else has the service open (`user@host (pid N)`), cleaning up presence files of
/// processes that have ended. `mine` is this process's own presence file ([`Presence::path`]).
pub fn others(service_dir: &Path, mine: Option<&Path>) -> Vec<String> {
    let dir = service_dir.join(PRESENCE_DIR);
    let mut names = Vec::new();
    for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if mine.is_some_and(|m| m == path) {
            continue;
        }
        let Some(stem) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".lock")) else {
            continue;
        };
        let Ok(file) = OpenOptions::new().write(true).open(&path) else {
            continue;
        };
        match file.try_lock() {
            Ok(()) => {
                // Nobody holds it: the process ended without cleaning up.
                let _ = file.unlock();
                drop(file);
                let _ = fs::remove_file(&path);
            }
            Err(_) => {
                let (who, pid) = stem.rsplit_once('-').unwrap_or((stem, ""));
                names.push(if pid.is_empty() { who.to_string() } else { format!("{who} (pid {pid})") });
            }
        }
    }
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_is_seen_and_cleaned_up() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mine = Presence::announce(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        // Another "process": a second presence in the same folder under another name.
        let theirs_path = dir.path().join(PRESENCE_DIR).join("kari@pc2-4242.lock");
        let theirs = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&theirs_path)
            .unwrap_or_else(|e| panic!("{e}"));
        theirs.try_lock().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(others(dir.path(), Some(mine.path())), vec!["kari@pc2 (pid 4242)".to_string()]);
        // Their process "crashes": the lock goes, the file stays and is cleaned up.
        drop(theirs);
        assert!(others(dir.path(), Some(mine.path())).is_empty());
        assert!(!theirs_path.exists());
        let path = mine.path().to_path_buf();
        drop(mine);
        assert!(!path.exists());
    }
}
