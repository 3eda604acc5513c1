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

use ips_domain::service::ContentStamp;

/// Files larger than this are refused at read time (an evaluation is a few hundred KB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Files brought in by an import (a package of a service with many reviews, a large CSV)
/// may be larger; a package export refuses to write one above it, so what one workspace
/// writes another can read.
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// How long a writer waits for another writer's lock.
const LOCK_WAIT: Duration = Duration::from_secs(3);

/// Why a file could not be read or written. Shown through [`StoreError::text`] in the
/// user's language; `Display` gives the English text (the path, then what went wrong, once).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", self.text(ips_text::text::Lang::En))]
    Io {
        path: PathBuf,
        // Not `#[source]`: the text already says it, and a chain would say it twice.
        error: io::Error,
    },
    #[error("{}", self.text(ips_text::text::Lang::En))]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{}", self.text(ips_text::text::Lang::En))]
    NotText { path: PathBuf },
    #[error("{}", self.text(ips_text::text::Lang::En))]
    Conflict { path: PathBuf },
    #[error("{}", self.text(ips_text::text::Lang::En))]
    Locked { path: PathBuf, holder: String },
    /// A rule refuses the write (a final review is locked); nothing was written.
    #[error("{}", self.text(ips_text::text::Lang::En))]
    Refused { path: PathBuf, reason: ips_text::i18n::Msg },
}

impl StoreError {
    pub fn io(path: &Path, source: io::Error) -> Self {
        StoreError::Io { path: path.to_path_buf(), error: source }
    }

    /// What went wrong, without the path, to be put into words where it is shown.
    pub fn msg(&self) -> ips_text::i18n::Msg {
        match self {
            // A full disk is said plainly in the user's language: it is the one I/O error
            // an office user can act on (free space, then save again).
            StoreError::Io { error, .. } if is_disk_full(error) => ips_text::msg!("core.store.disk_full"),
            StoreError::Io { error, .. } if error.kind() == io::ErrorKind::ReadOnlyFilesystem => {
                ips_text::msg!("core.store.read_only")
            }
            // A file marked read-only, refused before anything was written.
            StoreError::Io { error, .. } if error.get_ref().is_some_and(|e| e.is::<MarkedReadOnly>()) => {
                ips_text::msg!("core.store.read_only_file")
            }
            StoreError::Io { error, .. } if is_in_use(error) => ips_text::msg!("core.store.in_use", error = error),
            // The two an office user meets most, in words, with the system's own after.
            StoreError::Io { error, .. } if error.kind() == io::ErrorKind::NotFound => {
                ips_text::msg!("core.store.not_found", error = error)
            }
            StoreError::Io { error, .. } if error.kind() == io::ErrorKind::PermissionDenied => {
                ips_text::msg!("core.store.no_access", error = error)
            }
            // Otherwise the operating system's own words.
            StoreError::Io { error, .. } => ips_text::msg!("core.store.io", error = error),
            StoreError::TooLarge { size, max, .. } => {
                let (size, max) = (ips_text::text::format_size(*size), ips_text::text::format_size(*max));
                ips_text::msg!("core.store.too_large", size = size, max = max)
            }
            StoreError::NotText { .. } => ips_text::msg!("core.store.not_text"),
            StoreError::Conflict { .. } => ips_text::msg!("core.store.conflict"),
            StoreError::Locked { holder, .. } => ips_text::msg!("core.store.locked", holder = holder),
            StoreError::Refused { reason, .. } => reason.clone(),
        }
    }

    /// "path: what went wrong" in `lang`.
    pub fn text(&self, lang: ips_text::text::Lang) -> String {
        format!("{}: {}", self.path().display(), self.msg().text(lang))
    }

    /// Whether the write failed because the disk (or the user's quota) is full.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, StoreError::Io { error, .. } if is_disk_full(error))
    }

    /// The same error said about `path` (a file in a staging folder is named where it was
    /// going).
    pub fn at(mut self, path: PathBuf) -> Self {
        match &mut self {
            StoreError::Io { path: p, .. }
            | StoreError::TooLarge { path: p, .. }
            | StoreError::NotText { path: p }
            | StoreError::Conflict { path: p }
            | StoreError::Locked { path: p, .. }
            | StoreError::Refused { path: p, .. } => *p = path,
        }
        self
    }

    pub fn path(&self) -> &Path {
        match self {
            StoreError::Io { path, .. }
            | StoreError::TooLarge { path, .. }
            | StoreError::NotText { path }
            | StoreError::Conflict { path }
            | StoreError::Locked { path, .. }
            | StoreError::Refused { path, .. } => path,
        }
    }
}

/// Whether the folder `dir` exists and this program cannot write in it: a read-only share
/// or mount, or a folder without write access. Asked of the system, nothing is written.
pub fn is_read_only(dir: &Path) -> bool {
    let services = dir.join("services");
    [dir, services.as_path()].into_iter().filter(|d| d.is_dir()).any(folder_refuses_writes)
}

#[cfg(unix)]
fn folder_refuses_writes(dir: &Path) -> bool {
    // access(2) answers for this user and for a read-only mount alike (`EROFS`).
    rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_err()
}

#[cfg(not(unix))]
fn folder_refuses_writes(dir: &Path) -> bool {
    fs::metadata(dir).is_ok_and(|m| m.permissions().readonly())
}

/// Whether `e` says the disk (or the user's quota) is full: `ENOSPC`/`EDQUOT` on Unix,
/// `ERROR_DISK_FULL`/`ERROR_HANDLE_DISK_FULL` on Windows.
pub fn is_disk_full(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded)
}

/// Reads a UTF-8 text file of bounded size and stamps its content.
pub fn read_text(path: &Path) -> Result<(String, ContentStamp), StoreError> {
    read_text_up_to(path, MAX_FILE_BYTES)
}

/// [`read_text`] with another size limit (see [`MAX_IMPORT_BYTES`]).
pub fn read_text_up_to(path: &Path, max: u64) -> Result<(String, ContentStamp), StoreError> {
    read_text_and_metadata(path, max).map(|(text, stamp, _)| (text, stamp))
}

/// [`read_text_up_to`], with the file's metadata as it was when opened (taken from the
/// open file, so it is the metadata of the file whose bytes were read).
pub fn read_text_and_metadata(path: &Path, max: u64) -> Result<(String, ContentStamp, fs::Metadata), StoreError> {
    let (bytes, metadata) = read_bytes_and_metadata(path, max)?;
    let stamp = ContentStamp::of(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| StoreError::NotText { path: path.to_path_buf() })?;
    Ok((text, stamp, metadata))
}

/// A file's bytes, of bounded size (a workbook to import, see [`MAX_IMPORT_BYTES`]).
pub fn read_bytes_up_to(path: &Path, max: u64) -> Result<Vec<u8>, StoreError> {
    read_bytes_and_metadata(path, max).map(|(bytes, _)| bytes)
}

fn read_bytes_and_metadata(path: &Path, max: u64) -> Result<(Vec<u8>, fs::Metadata), StoreError> {
    let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let metadata = file.metadata().map_err(|e| StoreError::io(path, e))?;
    let size = metadata.len();
    if size > max {
        return Err(StoreError::TooLarge { path: path.to_path_buf(), size, max });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Bounded even if the file grows while it is read.
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| StoreError::io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(StoreError::TooLarge { path: path.to_path_buf(), size: bytes.len() as u64, max });
    }
    Ok((bytes, metadata))
}

/// The stamp of the file's current content, `None` when it does not exist.
fn current_stamp(path: &Path) -> Result<Option<ContentStamp>, StoreError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(ContentStamp::of(&bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// The folder a file is in. A bare file name ("report.pdf") is in the current folder: its
/// `Path::parent()` is the empty path, which no file system call accepts.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Whether a directory entry is one of this module's temporary or lock files.
pub fn is_scratch_file(name: &str) -> bool {
    (name.starts_with('.') && name.contains(".tmp.")) || name.ends_with(".lock") || name == HISTORY_DIR
}

/// The lock file guarding `path`: one per file, `<dir>/.<name>.lock`, so colleagues saving
/// different reviews of one service never wait for each other (with one lock per folder,
/// two busy writers could starve one another past the lock's patience). The lock itself is
/// the operating system's file lock, which ends when its process ends, so a crashed writer
/// can never leave a stale lock behind.
fn lock_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    folder_of(path).join(format!(".{name}.lock"))
}

/// The user's login name and the computer's name (either may be empty).
pub fn user_and_host() -> (String, String) {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_default();
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    (user, host)
}

/// The logged-in user, now (local time, to the second): who and when for the audit trail
/// and plan notes. Read here, at the edge, and passed into the domain.
pub fn signature_now() -> ips_domain::lifecycle::Signature {
    use chrono::Timelike;
    let at = chrono::Local::now().naive_local();
    ips_domain::lifecycle::Signature { by: user_and_host().0, at: at.with_nanosecond(0).unwrap_or(at) }
}

/// Who holds a lock, shown to a colleague kept waiting: `user@host (pid N)`.
pub fn whoami() -> String {
    let (user, host) = user_and_host();
    let user = if user.is_empty() { "?".to_string() } else { user };
    if host.is_empty() {
        format!("{user} (pid {})", std::process::id())
    } else {
        format!("{user}@{host} (pid {})", std::process::id())
    }
}

/// A held write lock (an OS file lock); released on drop or when the process ends.
pub struct WriteLock {
    _file: File,
}

/// How long creating services waits for another process that is creating services (an
/// import of thousands of rows holds the lock while it writes them).
pub const SERVICES_LOCK_WAIT: Duration = Duration::from_secs(120);

impl WriteLock {
    fn acquire(target: &Path) -> Result<WriteLock, StoreError> {
        Self::acquire_within(target, LOCK_WAIT)
    }

    /// Locks `target` (its `.NAME.lock` beside it), waiting at most `patience` for another
    /// holder, also in another process; the error names who holds it.
    pub fn acquire_within(target: &Path, patience: Duration) -> Result<WriteLock, StoreError> {
        let path = lock_path(target);
        let started = std::time::Instant::now();
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| StoreError::io(&path, e))?;
            match file.try_lock() {
                Ok(()) => {
                    // Who holds it, for a colleague kept waiting; informative only.
                    let _ = file.set_len(0).and_then(|()| file.write_all(whoami().as_bytes()));
                    return Ok(WriteLock { _file: file });
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    if started.elapsed() > patience {
                        let holder = fs::read_to_string(&path).unwrap_or_default();
                        return Err(StoreError::Locked {
                            path: target.to_path_buf(),
                            holder: if holder.trim().is_empty() { "another program".into() } else { holder },
                        });
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(StoreError::io(&path, e)),
            }
        }
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
    expected: Option<ContentStamp>,
    durability: Durability,
) -> Result<ContentStamp, StoreError> {
    write_inner(path, bytes, expected, durability, None)
}

/// Which version of a file a write keeps in its history before replacing it.
///
/// History keeps what a user may want back: the file as each editing session found it, and
/// during a long session a version every [`VERSION_INTERVAL_SECS`], rather than one per
/// autosave (a minute of typing would otherwise push out everything from before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepVersion {
    /// The content as an editing session found it (every one-off write is a session).
    SessionStart,
    /// During a session, at most one per [`VERSION_INTERVAL_SECS`] of editing.
    Periodic,
    /// None this time (a save soon after the last kept version).
    No,
}

/// How many session-start versions, and separately how many periodic versions, are kept.
pub const HISTORY_KEEP: usize = 10;

/// Continuous editing keeps at most one version per this many seconds.
pub const VERSION_INTERVAL_SECS: u64 = 600;

/// Like [`write_atomic`] (durable), but first keeps the file's current content in
/// `<dir>/.history/<name>/` as `keep` says. The newest [`HISTORY_KEEP`] session-start
/// versions are kept, and as many periodic ones.
pub fn write_versioned(
    path: &Path,
    bytes: &[u8],
    expected: Option<ContentStamp>,
    keep: KeepVersion,
) -> Result<ContentStamp, StoreError> {
    write_inner(path, bytes, expected, Durability::Sync, Some(keep))
}

/// Writes a file the program makes for the user outside the workspace's data (a report, an
/// export) atomically and durably, replacing an earlier one whole. No lock and no check:
/// such a file is output, not something a colleague edits, and no `.lock` is left in the
/// user's folder.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_output_with(path, |w| w.write_all(bytes)).map_err(|e| match e {
        OutputError::Store(e) => e,
        OutputError::Write(e) => StoreError::io(path, e),
    })
}

/// Why [`write_output_with`] failed: the file, or the producer of its content.
#[derive(Debug)]
pub enum OutputError<E> {
    Store(StoreError),
    Write(E),
}

impl<E> From<StoreError> for OutputError<E> {
    fn from(e: StoreError) -> Self {
        OutputError::Store(e)
    }
}

/// [`write_output`] with the content streamed by `produce` into a temporary file beside
/// `path` (buffered), so a large export never sits in memory whole. On any failure the
/// temporary file is removed and an earlier `path` is left as it was.
///
/// A `path` that is there and is not a regular file (a device such as `/dev/null` or
/// `/dev/full`, a named pipe) is written into directly, as the user asked: replacing it by
/// a file would destroy it. A folder is refused.
pub fn write_output_with<T, E>(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, OutputError<E>>
where
    E: From<io::Error>,
{
    if let Ok(meta) = fs::metadata(path)
        && !meta.is_file()
    {
        if meta.is_dir() {
            let e = io::Error::new(io::ErrorKind::IsADirectory, "is a folder");
            return Err(OutputError::Store(StoreError::io(path, e)));
        }
        let file = OpenOptions::new().write(true).open(path).map_err(|e| StoreError::io(path, e))?;
        let mut w = io::BufWriter::new(file);
        let value = produce(&mut w).map_err(OutputError::Write)?;
        w.flush().map_err(|e| StoreError::io(path, e))?;
        return Ok(value);
    }
    refuse_read_only(path).map_err(|e| StoreError::io(path, e))?;
    let dir = folder_of(path);
    create_dirs(dir, Durability::Sync).map_err(|e| StoreError::io(dir, e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp.{}.{}", std::process::id(), TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)));
    let file = OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(|e| StoreError::io(path, e))?;
    let discard = |e| {
        let _ = fs::remove_file(&tmp);
        e
    };
    share_like_folder(&tmp, dir).map_err(|e| discard(OutputError::Store(StoreError::io(path, e))))?;
    let mut w = io::BufWriter::with_capacity(256 * 1024, file);
    let value = produce(&mut w).map_err(|e| discard(OutputError::Write(e)))?;
    let finished = (|| {
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        drop(file);
        rename_replacing(&tmp, path)
    })();
    finished.map_err(|e| discard(OutputError::Store(StoreError::io(path, e))))?;
    sync_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    Ok(value)
}

/// The refusal [`refuse_read_only`] gives, so that [`StoreError::msg`] can say it in the
/// user's words without looking at the file again.
#[derive(Debug, thiserror::Error)]
#[error("the file is marked read-only")]
struct MarkedReadOnly;

/// Refuses, before anything is written (a temporary file, a kept version), to replace a
/// file marked read-only.
fn refuse_read_only(path: &Path) -> io::Result<()> {
    if fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().readonly()) {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, MarkedReadOnly));
    }
    Ok(())
}

/// Opens a written file to sync it. Windows flushes only through a handle that may write
/// (`FlushFileBuffers` on a read-only handle is "Access denied": the import into a new
/// workspace failed so); Unix syncs through any. (Linux syncs the whole file system.)
#[cfg(not(target_os = "linux"))]
fn open_for_sync(path: &Path) -> io::Result<File> {
    if cfg!(windows) { OpenOptions::new().write(true).open(path) } else { File::open(path) }
}

/// Renames `from` over `to`. Windows refuses to replace a file another program holds open
/// (a PDF reader, Word, a sync client or a virus scanner reading it); those that only look
/// let go within moments, so this tries again for up to 2 s before it gives up and says so
/// ([`is_in_use`]). Unix replaces an open file at once.
///
/// A file marked read-only is never replaced: Windows refuses it, and a rename on Unix (or
/// under Wine) would replace it silently; the user marked it so for a reason.
fn rename_replacing(from: &Path, to: &Path) -> io::Result<()> {
    refuse_read_only(to)?;
    let started = std::time::Instant::now();
    loop {
        match fs::rename(from, to) {
            Err(e)
                if is_in_use(&e)
                    && started.elapsed() < Duration::from_secs(2)
                    && !fs::metadata(to).is_ok_and(|m| m.permissions().readonly()) =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// Whether `e` is Windows refusing to touch a file another program holds open: a sharing
/// or lock violation, or the access denied that renaming over an open file gives.
pub fn is_in_use(e: &io::Error) -> bool {
    // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// Creates a new file (and its folder) in a folder no other process writes to, such as a
/// staging folder of this process: no lock, no temporary file. Not synced; see
/// [`sync_paths`].
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<ContentStamp, StoreError> {
    let dir = folder_of(path);
    let folder = ensured_folder(dir, Durability::Deferred).map_err(|e| StoreError::io(dir, e))?;
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
        share_file_like(&f, &folder)?;
        f.write_all(bytes)
    })();
    result.map_err(|e| StoreError::io(path, e))?;
    Ok(ContentStamp::of(bytes))
}

/// The folder holding earlier versions of `path`.
pub fn history_dir(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    folder_of(path).join(HISTORY_DIR).join(name)
}

/// The folder name of earlier versions beside the files.
pub const HISTORY_DIR: &str = ".history";

/// Earlier versions of `path`, newest first.
pub fn saved_versions(path: &Path) -> Vec<PathBuf> {
    let mut versions: Vec<PathBuf> = fs::read_dir(history_dir(path))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    versions.sort();
    versions.reverse();
    versions
}

/// A periodic version's name ends so; session starts (and versions written before the
/// distinction) do not.
const PERIODIC_SUFFIX: &str = "-p.json";

fn keep_version(path: &Path, keep: KeepVersion) -> io::Result<()> {
    let current = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let dir = history_dir(path);
    create_dirs(&dir, Durability::Sync)?;
    // Sortable, Windows-safe names: 20261123T024243.123456Z-<pid>-<n>.json
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ");
    let suffix = if keep == KeepVersion::Periodic { PERIODIC_SUFFIX } else { ".json" };
    let name = format!("{stamp}-{}-{}{suffix}", std::process::id(), TEMP_COUNTER.fetch_add(1, Ordering::Relaxed));
    let version = dir.join(name);
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&version)?;
        share_like_folder(&version, folder_of(path))?;
        f.write_all(&current)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        // A half-written version (a full disk) would be offered for restore later.
        let _ = fs::remove_file(&version);
        return Err(e);
    }
    let versions = saved_versions(path);
    let periodic = |p: &&PathBuf| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(PERIODIC_SUFFIX));
    let (periodic, starts): (Vec<&PathBuf>, Vec<&PathBuf>) = versions.iter().partition(periodic);
    for old in starts.iter().skip(HISTORY_KEEP).chain(periodic.iter().skip(HISTORY_KEEP)) {
        fs::remove_file(old)?;
    }
    Ok(())
}

fn write_inner(
    path: &Path,
    bytes: &[u8],
    expected: Option<ContentStamp>,
    durability: Durability,
    keep: Option<KeepVersion>,
) -> Result<ContentStamp, StoreError> {
    let dir = folder_of(path);
    if expected.is_some() && !dir.is_dir() {
        // The file was read, but its folder is gone (the service was deleted meanwhile):
        // recreating the folder would leave a broken service behind.
        return Err(StoreError::Conflict { path: path.to_path_buf() });
    }
    let folder = ensured_folder(dir, durability).map_err(|e| StoreError::io(dir, e))?;
    let _lock = WriteLock::acquire(path)?;
    if current_stamp(path)? != expected {
        return Err(StoreError::Conflict { path: path.to_path_buf() });
    }
    // Before a version is kept: a refused save keeps none (the app retries every few
    // seconds, and each would push a real version out of the history).
    refuse_read_only(path).map_err(|e| StoreError::io(path, e))?;
    if let Some(keep) = keep.filter(|k| *k != KeepVersion::No) {
        // Keeping the version is part of saving the file: a failure names the file saved.
        keep_version(path, keep).map_err(|e| StoreError::io(path, e))?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp.{}.{}", std::process::id(), TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        share_file_like(&f, &folder)?;
        f.write_all(bytes)?;
        if durability == Durability::Sync {
            f.sync_all()?;
        }
        drop(f);
        rename_replacing(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::io(path, e));
    }
    if durability == Durability::Sync {
        sync_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    }
    Ok(ContentStamp::of(bytes))
}

/// Makes files written with [`Durability::Deferred`] durable, with their folders and the
/// extra folders given (e.g. the parent of a renamed folder). On Linux this is one `syncfs`
/// per file system: the kernel writes everything out in one journal commit, where one
/// `fsync` per file would cost over a millisecond each. Elsewhere the files and folders are
/// synced on several threads at once, which the file system also commits together.
pub fn sync_paths(files: &[PathBuf], dirs: &[PathBuf]) -> Result<(), StoreError> {
    if files.is_empty() && dirs.is_empty() {
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let mut devices = Vec::new();
        for d in files.iter().map(|f| folder_of(f)).chain(dirs.iter().map(PathBuf::as_path)) {
            let dev = fs::metadata(d).map_err(|e| StoreError::io(d, e))?.dev();
            if !devices.contains(&dev) {
                devices.push(dev);
                let f = File::open(d).map_err(|e| StoreError::io(d, e))?;
                rustix::fs::syncfs(&f).map_err(|e| StoreError::io(d, io::Error::from(e)))?;
            }
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let mut all_dirs: Vec<&Path> =
            files.iter().map(|p| folder_of(p)).chain(dirs.iter().map(PathBuf::as_path)).collect();
        all_dirs.sort();
        all_dirs.dedup();
        let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        sync_in_parallel(&files, false)?;
        sync_in_parallel(&all_dirs, true)
    }
}

/// fsyncs files or folders on several threads at once.
#[cfg(not(target_os = "linux"))]
fn sync_in_parallel(list: &[&Path], dirs: bool) -> Result<(), StoreError> {
    const THREADS: usize = 32;
    if list.is_empty() {
        return Ok(());
    }
    let chunk = list.len().div_ceil(THREADS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = list
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    for p in part {
                        let r = if dirs { sync_dir(p) } else { open_for_sync(p).and_then(|f| f.sync_all()) };
                        r.map_err(|e| StoreError::io(p, e))?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join().unwrap_or_else(|_| Err(StoreError::io(Path::new("."), io::Error::other("a sync thread failed"))))
        })
    })
}

/// Deletes temporary files and half-made service folders older than an hour that crashed
/// writers left in `dir`.
pub fn clean_scratch(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        clean_if_scratch(&entry);
    }
}

/// Removes `entry` if it is a temporary file or staging folder left over an hour ago (one
/// listing can then both clean a folder and read it). Whether it was scratch at all.
pub fn clean_if_scratch(entry: &fs::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy().into_owned();
    let staging = name.starts_with(".new-");
    if !((name.starts_with('.') && name.contains(".tmp.")) || staging) {
        return false;
    }
    let old = entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age > Duration::from_secs(3600));
    if old && staging {
        let _ = fs::remove_dir_all(entry.path());
    } else if old {
        let _ = fs::remove_file(entry.path());
    }
    true
}

/// Makes a folder's entries (new, renamed or removed files) durable.
pub fn sync_folder(dir: &Path) -> Result<(), StoreError> {
    sync_dir(dir).map_err(|e| StoreError::io(dir, e))
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

/// Creates a folder and its missing parents, each with the access of the folder it is made
/// in (see [`share_like_folder`]). With [`Durability::Sync`] the folders that received a new
/// entry are synced, so the new folders survive a crash.
pub fn create_dirs(dir: &Path, durability: Durability) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let missing: Vec<&Path> = dir.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.is_dir()).collect();
    fs::DirBuilder::new().recursive(true).create(dir)?;
    for created in missing.iter().rev() {
        if let Some(parent) = created.parent().filter(|p| !p.as_os_str().is_empty()) {
            share_like_folder(created, parent)?;
            if durability == Durability::Sync {
                sync_dir(parent)?;
            }
        }
    }
    Ok(())
}

/// The metadata of folder `dir`, made first (with its missing parents, [`create_dirs`])
/// when it is not there: one look at a folder that is there, where a file written into it
/// needs both (thousands of files in an import).
fn ensured_folder(dir: &Path, durability: Durability) -> io::Result<fs::Metadata> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(m),
        _ => {
            create_dirs(dir, durability)?;
            fs::metadata(dir)
        }
    }
}

/// [`share_like_folder`] for a file just created, through its open handle and with the
/// folder's metadata already at hand: no look up of either path again.
#[cfg(unix)]
fn share_file_like(file: &File, folder: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(folder.permissions().mode() & 0o664))
}

#[cfg(not(unix))]
fn share_file_like(_file: &File, _folder: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

/// Gives a new file or folder the access of the folder it is in, so a workspace is shared as
/// its folder is: in a group folder (say `2770`) colleagues get what the folder gives them
/// (files `0660`, folders `2770`), while a workspace in the user's own folder (`0700`) stays
/// private (files `0600`). Files never get execute, nothing gets write for others. On
/// Windows files and folders inherit the folder's access list by themselves.
#[cfg(unix)]
fn share_like_folder(path: &Path, folder: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let folder_mode = fs::metadata(folder)?.permissions().mode();
    let mode = if fs::symlink_metadata(path)?.is_dir() { folder_mode & 0o2775 } else { folder_mode & 0o664 };
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn share_like_folder(_path: &Path, _folder: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_marked_read_only_is_not_replaced_and_the_message_says_so() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("a.json");
        let s1 = write_atomic(&p, b"one", None, Durability::Sync).unwrap_or_else(|e| panic!("{e}"));
        let mut perms = fs::metadata(&p).unwrap_or_else(|e| panic!("{e}")).permissions();
        perms.set_readonly(true);
        fs::set_permissions(&p, perms).unwrap_or_else(|e| panic!("{e}"));
        let err = write_atomic(&p, b"two", Some(s1), Durability::Sync).err().unwrap_or_else(|| panic!("replaced"));
        assert!(err.text(ips_text::text::Lang::En).contains("marked read-only"), "{err}");
        assert_eq!(fs::read(&p).unwrap_or_default(), b"one");
        // Saved with history, refused three times: no version kept.
        for _ in 0..3 {
            assert!(write_versioned(&p, b"two", Some(s1), KeepVersion::SessionStart).is_err());
        }
        assert!(saved_versions(&p).is_empty(), "a refused save keeps no version: {:?}", saved_versions(&p));
        let left: Vec<String> = fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp."))
            .collect();
        assert!(left.is_empty(), "no temporary file left: {left:?}");
    }

    #[test]
    fn write_read_and_conflict() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("a.json");
        let s1 = write_atomic(&p, b"one", None, Durability::Sync).unwrap_or_else(|e| panic!("{e}"));
        // Creating again when it exists is a conflict.
        assert!(matches!(write_atomic(&p, b"x", None, Durability::Sync), Err(StoreError::Conflict { .. })));
        let s2 = write_atomic(&p, b"two", Some(s1), Durability::Sync).unwrap_or_else(|e| panic!("{e}"));
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
            .filter(|n| !is_scratch_file(n))
            .collect();
        assert_eq!(names, vec!["a.json".to_string()]);
    }

    #[test]
    fn a_held_lock_blocks_and_names_its_holder_and_a_dead_one_does_not() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("b.json");
        // A lock file left by a crashed writer holds no OS lock: it does not block.
        let lock = lock_path(&p);
        fs::write(&lock, "kari@pc (pid 1)").unwrap_or_else(|e| panic!("{e}"));
        assert!(write_atomic(&p, b"x", None, Durability::Sync).is_ok());

        // A live holder blocks until the wait runs out, and is named.
        let held = WriteLock::acquire(&p).unwrap_or_else(|e| panic!("{e}"));
        let other = std::thread::spawn({
            let p = p.clone();
            move || write_atomic(&p, b"y", Some(ContentStamp::of(b"x")), Durability::Sync)
        });
        let err = other.join().unwrap_or_else(|_| panic!("thread"));
        assert!(matches!(&err, Err(StoreError::Locked { holder, .. }) if holder.contains(&whoami())), "{err:?}");
        drop(held);
        assert!(write_atomic(&p, b"y", Some(ContentStamp::of(b"x")), Durability::Sync).is_ok());
    }

    #[test]
    fn refuses_non_text_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("bin.json");
        fs::write(&p, [0xff, 0xfe, 0x00]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(read_text(&p), Err(StoreError::NotText { .. })));
        let missing = read_text(&dir.path().join("nope.json")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(missing.contains("nope.json"), "{missing}");
    }

    #[test]
    fn a_write_into_a_deleted_folder_is_a_conflict() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("svc").join("e.json");
        let s = write_atomic(&p, b"1", None, Durability::Sync).unwrap_or_else(|e| panic!("{e}"));
        fs::remove_dir_all(dir.path().join("svc")).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(write_atomic(&p, b"2", Some(s), Durability::Sync), Err(StoreError::Conflict { .. })));
        assert!(!dir.path().join("svc").exists(), "the folder must not come back");
    }

    #[test]
    fn versions_are_kept_and_pruned() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("e.json");
        let mut stamp = None;
        for i in 0..14 {
            let keep = KeepVersion::SessionStart;
            stamp =
                Some(write_versioned(&p, format!("v{i}").as_bytes(), stamp, keep).unwrap_or_else(|e| panic!("{e}")));
        }
        let versions = saved_versions(&p);
        assert_eq!(versions.len(), 10);
        // Newest first: the version before the current one is v12.
        assert_eq!(fs::read_to_string(&versions[0]).unwrap_or_default(), "v12");
        assert_eq!(fs::read_to_string(&versions[9]).unwrap_or_default(), "v3");
        assert_eq!(fs::read_to_string(&p).unwrap_or_default(), "v13");
        // Many periodic versions and saves that keep none never push out a session's start.
        for i in 14..60 {
            let keep = if i % 2 == 0 { KeepVersion::Periodic } else { KeepVersion::No };
            stamp =
                Some(write_versioned(&p, format!("v{i}").as_bytes(), stamp, keep).unwrap_or_else(|e| panic!("{e}")));
        }
        let versions = saved_versions(&p);
        assert_eq!(versions.len(), 20, "10 session starts and 10 periodic");
        let texts: Vec<String> = versions.iter().map(|v| fs::read_to_string(v).unwrap_or_default()).collect();
        assert!(texts.contains(&"v12".to_string()) && texts.contains(&"v3".to_string()), "{texts:?}");
        assert_eq!(texts[0], "v57", "the content before the last periodic save: {texts:?}");
    }

    #[test]
    #[cfg(unix)]
    fn files_and_folders_take_their_folders_access() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0);
        // (workspace folder, files, new folders): private stays private, a group folder is
        // shared with the group, nothing is ever writable for others.
        for (folder, file, sub) in
            [(0o700, 0o600, 0o700), (0o2770, 0o660, 0o2770), (0o755, 0o644, 0o755), (0o777, 0o664, 0o775)]
        {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            fs::set_permissions(dir.path(), fs::Permissions::from_mode(folder)).unwrap_or_else(|e| panic!("{e}"));
            let p = dir.path().join("sub").join("f.json");
            let s = write_versioned(&p, b"1", None, KeepVersion::SessionStart).unwrap_or_else(|e| panic!("{e}"));
            write_versioned(&p, b"2", Some(s), KeepVersion::SessionStart).unwrap_or_else(|e| panic!("{e}"));
            write_new(&dir.path().join("new").join("n.json"), b"x").unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(mode(p.parent().unwrap_or(dir.path())), sub, "folder in {folder:o}");
            assert_eq!(mode(&p), file & 0o777, "file in {folder:o}");
            assert_eq!(mode(&saved_versions(&p)[0]), file & 0o777, "version in {folder:o}");
            assert_eq!(mode(&dir.path().join("new").join("n.json")), file & 0o777);
        }
    }

    #[test]
    fn scratch_names() {
        assert!(is_scratch_file(".a.json.tmp.12.0"));
        assert!(is_scratch_file("a.json.lock"));
        assert!(!is_scratch_file("a.json"));
    }
}
