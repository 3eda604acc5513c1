//! Durable, careful file writes. A write goes to a temporary file beside the target, is
//! synced, then renamed over the target, so a crash leaves either the old or the new
//! content. A short-lived lock file serialises writers (also across processes on a shared
//! folder), and a content stamp taken when the file was read detects that someone else
//! changed it since: such a write is refused, never done silently.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Files larger than this are refused at read time (an evaluation is a few hundred KB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A lock older than this is taken to be left by a crashed process.
pub const STALE_LOCK: Duration = Duration::from_secs(30);

/// How long a writer waits for another writer's lock.
const LOCK_WAIT: Duration = Duration::from_secs(3);

/// Identifies a file's content as it was read: length and a 64-bit FNV-1a hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub len: u64,
    pub hash: u64,
}

impl Stamp {
    pub fn of(bytes: &[u8]) -> Stamp {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Stamp {
            len: bytes.len() as u64,
            hash,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: the file is {size} bytes, more than the {max} bytes this program reads")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path}: the file is not UTF-8 text")]
    NotText { path: PathBuf },
    #[error(
        "{path}: the file was changed by someone else since it was read; it was not overwritten (reload to see their changes)"
    )]
    Conflict { path: PathBuf },
    #[error("{path}: the file is being written by {holder}; try again in a moment")]
    Locked { path: PathBuf, holder: String },
}

impl StoreError {
    fn io(path: &Path, source: io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            StoreError::Io { path, .. }
            | StoreError::TooLarge { path, .. }
            | StoreError::NotText { path }
            | StoreError::Conflict { path }
            | StoreError::Locked { path, .. } => path,
        }
    }
}

/// Reads a UTF-8 text file of bounded size and stamps its content.
pub fn read_text(path: &Path) -> Result<(String, Stamp), StoreError> {
    let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let size = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Bounded even if the file grows while it is read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| StoreError::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            max: MAX_FILE_BYTES,
        });
    }
    let stamp = Stamp::of(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| StoreError::NotText {
        path: path.to_path_buf(),
    })?;
    Ok((text, stamp))
}

/// The stamp of the file's current content, `None` when it does not exist.
fn current_stamp(path: &Path) -> Result<Option<Stamp>, StoreError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(Stamp::of(&bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// Whether a directory entry is one of this module's temporary or lock files.
pub fn is_scratch_file(name: &str) -> bool {
    (name.starts_with('.') && name.contains(".tmp.")) || name.ends_with(".lock")
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".lock");
    path.with_file_name(name)
}

/// Who holds a lock: shown to a user who is kept waiting.
pub fn whoami() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "ukjent".to_string());
    let host = std::env::var("HOSTNAME")
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .unwrap_or_default();
    if host.is_empty() {
        format!("{user} (prosess {})", std::process::id())
    } else {
        format!("{user}@{host} (prosess {})", std::process::id())
    }
}

/// A held write lock; removed on drop.
struct WriteLock {
    path: PathBuf,
}

impl WriteLock {
    fn acquire(target: &Path) -> Result<WriteLock, StoreError> {
        let path = lock_path(target);
        let started = SystemTime::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    // The holder's name is informative only; failing to write it is harmless.
                    let _ = f.write_all(whoami().as_bytes());
                    return Ok(WriteLock { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let age = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|m| SystemTime::now().duration_since(m).ok());
                    if age.is_some_and(|a| a > STALE_LOCK) {
                        // Left by a crashed writer: take it over.
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    if started.elapsed().unwrap_or_default() > LOCK_WAIT {
                        let holder = fs::read_to_string(&path).unwrap_or_default();
                        return Err(StoreError::Locked {
                            path: target.to_path_buf(),
                            holder: if holder.is_empty() {
                                "another program".into()
                            } else {
                                holder
                            },
                        });
                    }
                    std::thread::sleep(Duration::from_millis(15));
                }
                Err(e) => return Err(StoreError::io(&path, e)),
            }
        }
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Whether to sync each write to disk before returning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync the file and its folder before the write returns.
    Sync,
    /// Leave syncing to [`sync_paths`] (batched imports).
    Deferred,
}

/// Writes `bytes` to `path` atomically. `expected` is the stamp of the content the caller
/// read (`None`: the file must not exist yet). If the file on disk differs, nothing is
/// written and [`StoreError::Conflict`] is returned. Returns the new stamp.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    expected: Option<Stamp>,
    durability: Durability,
) -> Result<Stamp, StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    let _lock = WriteLock::acquire(path)?;
    if current_stamp(path)? != expected {
        return Err(StoreError::Conflict {
            path: path.to_path_buf(),
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.tmp.{}.{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        restrict_permissions(&f)?;
        f.write_all(bytes)?;
        if durability == Durability::Sync {
            f.sync_all()?;
        }
        drop(f);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::io(path, e));
    }
    if durability == Durability::Sync {
        sync_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    }
    Ok(Stamp::of(bytes))
}

/// Syncs files written with [`Durability::Deferred`] and their folders.
pub fn sync_paths(paths: &[PathBuf]) -> Result<(), StoreError> {
    let mut dirs: Vec<&Path> = Vec::new();
    for p in paths {
        File::open(p)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::io(p, e))?;
        if let Some(d) = p.parent()
            && !dirs.contains(&d)
        {
            dirs.push(d);
        }
    }
    for d in dirs {
        sync_dir(d).map_err(|e| StoreError::io(d, e))?;
    }
    Ok(())
}

/// Removes a file if its content is still what the caller read.
pub fn remove_checked(path: &Path, expected: Stamp) -> Result<(), StoreError> {
    let _lock = WriteLock::acquire(path)?;
    if current_stamp(path)? != Some(expected) {
        return Err(StoreError::Conflict {
            path: path.to_path_buf(),
        });
    }
    fs::remove_file(path).map_err(|e| StoreError::io(path, e))
}

/// Deletes temporary files older than an hour that crashed writers left in `dir`.
pub fn clean_scratch(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".tmp.") {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| SystemTime::now().duration_since(m).ok())
                .is_some_and(|age| age > Duration::from_secs(3600));
            if old {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Windows has no directory handle to sync; the rename is journaled by NTFS.
    Ok(())
}

#[cfg(unix)]
fn restrict_permissions(f: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_permissions(_f: &File) -> io::Result<()> {
    // On Windows files inherit the user profile's ACL, which is private by default.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_read_and_conflict() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("a.json");
        let s1 = write_atomic(&p, b"one", None, Durability::Sync).unwrap_or_else(|e| panic!("{e}"));
        // Creating again when it exists is a conflict.
        assert!(matches!(
            write_atomic(&p, b"x", None, Durability::Sync),
            Err(StoreError::Conflict { .. })
        ));
        let s2 =
            write_atomic(&p, b"two", Some(s1), Durability::Sync).unwrap_or_else(|e| panic!("{e}"));
        // A writer holding the old stamp must not overwrite.
        let err = write_atomic(&p, b"three", Some(s1), Durability::Sync);
        assert!(matches!(err, Err(StoreError::Conflict { .. })));
        let (text, stamp) = read_text(&p).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((text.as_str(), stamp), ("two", s2));
        // No scratch files are left behind.
        let names: Vec<String> = fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.json".to_string()]);
    }

    #[test]
    fn stale_lock_is_taken_over_and_fresh_lock_blocks() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("b.json");
        let lock = lock_path(&p);
        fs::write(&lock, "someone").unwrap_or_else(|e| panic!("{e}"));
        let old = SystemTime::now() - Duration::from_secs(120);
        File::options()
            .write(true)
            .open(&lock)
            .and_then(|f| f.set_modified(old))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(write_atomic(&p, b"x", None, Durability::Sync).is_ok());
        assert!(!lock.exists());

        fs::write(&lock, "kari@pc").unwrap_or_else(|e| panic!("{e}"));
        let err = write_atomic(&p, b"y", None, Durability::Sync);
        assert!(
            matches!(&err, Err(StoreError::Locked { holder, .. }) if holder == "kari@pc"),
            "{err:?}"
        );
    }

    #[test]
    fn refuses_non_text_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("bin.json");
        fs::write(&p, [0xff, 0xfe, 0x00]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(read_text(&p), Err(StoreError::NotText { .. })));
        let missing = read_text(&dir.path().join("nope.json"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(missing.contains("nope.json"), "{missing}");
    }

    #[test]
    fn scratch_names() {
        assert!(is_scratch_file(".a.json.tmp.12.0"));
        assert!(is_scratch_file("a.json.lock"));
        assert!(!is_scratch_file("a.json"));
    }
}
