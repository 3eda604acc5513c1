//! The local index of a workspace: the text of every file a load reads, kept in the user's
//! cache folder (never in the workspace), so that opening a workspace on a network share or
//! a OneDrive folder reads only the files that are new or changed since the last open.
//!
//! Each service folder has one index file, `<cache>/<workspace key>/<folder>.json`, holding
//! per file its size, modification time (to the nanosecond), change time and file id where
//! the system gives them, and the text. A file is taken from the index only when all of them
//! are as recorded; anything else (a new, edited or removed file, a missing, old, garbled or
//! half-written index file) is read from the workspace, and the index file is rewritten
//! whole under a new name and renamed into place, so two programs updating it at once leave
//! one or the other's complete file, both right.
//!
//! What it cannot see: a file rewritten with the same size, and with the modification and
//! change times and the file id put back as they were. Only a tool that sets the change
//! time (which no program can do through the file system; it takes changing the system
//! clock or the raw disk) could do that on Linux and macOS; on Windows, where the index has
//! no change time or file id, a program would have to write the same number of bytes and
//! then set the modification time back to the 100 ns tick it had. Sync clients and editors
//! do not do that: a write moves the modification time.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use ips_domain::service::ContentStamp;
use serde::{Deserialize, Serialize};

use crate::store::{self, StoreError};

/// The index files' format; an index of another format is ignored and rebuilt.
const INDEX_FORMAT: u32 = 1;

/// Where the indexes of one user's workspaces live: `IPS_FIDELITY_CACHE_DIR` when set (tests,
/// a portable setup; `none` for no index at all), else the platform's cache folder
/// (`~/.cache/ips-fidelity` on Linux, `%LOCALAPPDATA%\IPS\ips-fidelity\cache` on Windows,
/// `~/Library/Caches/…` on macOS).
pub fn default_cache_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("IPS_FIDELITY_CACHE_DIR").filter(|d| !d.is_empty()) {
        return (dir != "none").then(|| PathBuf::from(dir));
    }
    directories::ProjectDirs::from("no", "IPS", "ips-fidelity").map(|d| d.cache_dir().to_path_buf())
}

/// The index of one workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceIndex {
    dir: PathBuf,
}

impl WorkspaceIndex {
    /// The index of the workspace at `workspace`, under `cache_root`: keyed by the
    /// workspace's absolute path, so two workspaces never share one.
    pub fn new(cache_root: &Path, workspace: &Path) -> WorkspaceIndex {
        let absolute = std::path::absolute(workspace).unwrap_or_else(|_| workspace.to_path_buf());
        let key = ContentStamp::of(absolute.to_string_lossy().as_bytes());
        // The folder's name, in letters and digits only, so a person can tell the caches apart.
        let name: String = absolute
            .file_name()
            .map(|n| n.to_string_lossy().chars().filter(char::is_ascii_alphanumeric).take(40).collect())
            .filter(|n: &String| !n.is_empty())
            .unwrap_or_else(|| "workspace".to_string());
        WorkspaceIndex { dir: cache_root.join(format!("{name}-{:016x}", key.hash)) }
    }

    /// The index of `workspace` in the default cache folder, if the system has one.
    pub fn default_for(workspace: &Path) -> Option<WorkspaceIndex> {
        default_cache_root().map(|root| WorkspaceIndex::new(&root, workspace))
    }

    /// The folder its files are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The index of one service folder, for one load of it.
    pub fn service(&self, folder: &str) -> ServiceIndex {
        let path = self.dir.join(format!("{folder}.json"));
        // Missing, unreadable, garbled or of another format: start afresh (rebuilt on save).
        let files = fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<IndexFile>(&bytes).ok())
            .filter(|f| f.format_version == INDEX_FORMAT && f.folder == folder)
            .map(|f| f.files)
            .unwrap_or_default();
        ServiceIndex {
            path,
            folder: folder.to_string(),
            known: files,
            seen: Mutex::new(HashMap::new()),
            read_from_disk: AtomicBool::new(false),
        }
    }
}

/// A file's metadata as the index compares it: equal metadata, same file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub size: u64,
    /// Modification time, nanoseconds since 1970 (an `i64` lasts until 2262).
    pub modified: i64,
    /// Change time (Unix), nanoseconds since 1970.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<i64>,
    /// The file's id on its device (Unix inode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
}

/// What is known of one file: the metadata that must match, and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    meta: FileMeta,
    text: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct IndexFile {
    format_version: u32,
    folder: String,
    files: HashMap<String, Entry>,
}

/// The index of one service folder during one load: reads a file's text from the index when
/// the file is unchanged, from the file otherwise, and remembers what it saw.
#[derive(Debug)]
pub struct ServiceIndex {
    path: PathBuf,
    folder: String,
    known: HashMap<String, Entry>,
    /// Every file read during this load, by its path inside the service folder.
    seen: Mutex<HashMap<String, Entry>>,
    read_from_disk: AtomicBool,
}

/// The metadata an entry must match, or `None` when the file is not there.
pub fn metadata_of(path: &Path) -> Result<Option<FileMeta>, StoreError> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    let nanos = |t: std::io::Result<std::time::SystemTime>| {
        t.ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
    };
    let modified = nanos(meta.modified());
    #[cfg(unix)]
    let (changed, id) = {
        use std::os::unix::fs::MetadataExt;
        (Some(meta.ctime().saturating_mul(1_000_000_000).saturating_add(meta.ctime_nsec())), Some(meta.ino()))
    };
    #[cfg(not(unix))]
    let (changed, id) = (None, None);
    Ok(Some(FileMeta { size: meta.len(), modified, changed, id }))
}

impl ServiceIndex {
    /// The text of `path` (a file in this service's folder, `name` its path inside it) and
    /// its stamp; `Ok(None)` when the file is not there.
    pub fn read(&self, path: &Path, name: &str) -> Result<Option<(String, ContentStamp)>, StoreError> {
        let Some(meta) = metadata_of(path)? else {
            return Ok(None);
        };
        if let Some(e) = self.known.get(name)
            && e.meta == meta
        {
            let stamp = ContentStamp::of(e.text.as_bytes());
            let text = e.text.clone();
            self.remember(name, e.clone());
            return Ok(Some((text, stamp)));
        }
        let (text, stamp) = match store::read_text(path) {
            Ok(x) => x,
            Err(StoreError::Io { error, .. }) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        self.read_from_disk.store(true, Ordering::Relaxed);
        // Kept only when the file did not change while it was read.
        if metadata_of(path)? == Some(meta) {
            self.remember(name, Entry { meta, text: text.clone() });
        }
        Ok(Some((text, stamp)))
    }

    fn remember(&self, name: &str, entry: Entry) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(name.to_string(), entry);
        }
    }

    /// The metadata of every file read through this index so far, by its path inside the
    /// service folder: what a later look compares to see whether anything changed.
    pub fn seen(&self) -> std::collections::BTreeMap<String, FileMeta> {
        self.seen.lock().map(|s| s.iter().map(|(k, e)| (k.clone(), e.meta)).collect()).unwrap_or_default()
    }

    /// Writes the index file again when what was seen differs from what it held (a file
    /// read from disk, or one gone). A failure is no loss: the next open reads those files.
    pub fn save(self) {
        let seen = self.seen.into_inner().unwrap_or_default();
        if !self.read_from_disk.load(Ordering::Relaxed) && seen.len() == self.known.len() {
            return;
        }
        let file = IndexFile { format_version: INDEX_FORMAT, folder: self.folder, files: seen };
        let Ok(bytes) = serde_json::to_vec(&file) else {
            return;
        };
        let Some(dir) = self.path.parent() else {
            return;
        };
        if fs::create_dir_all(dir).is_err() {
            return;
        }
        // A name of its own per writer, renamed over the index: never half a file.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{}.{}-{n}.tmp", file.folder, std::process::id()));
        if fs::write(&temp, &bytes).is_err() || fs::rename(&temp, &self.path).is_err() {
            let _ = fs::remove_file(&temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_file_comes_from_the_index_and_an_edited_one_from_disk() {
        let (cache, ws) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
        let index = WorkspaceIndex::new(cache.path(), ws.path());
        let file = ws.path().join("a.json");
        fs::write(&file, "{\"a\": 1}").expect("write");
        let first = index.service("s");
        assert_eq!(first.read(&file, "a.json").expect("read").map(|(t, _)| t).as_deref(), Some("{\"a\": 1}"));
        first.save();
        // The index holds the text: the file's bytes replaced behind the index's back with
        // the metadata unchanged would be served from it, so the test changes the file for
        // real and expects the new text.
        let second = index.service("s");
        assert!(second.known.contains_key("a.json"));
        fs::write(&file, "{\"a\": 22}").expect("write");
        assert_eq!(second.read(&file, "a.json").expect("read").map(|(t, _)| t).as_deref(), Some("{\"a\": 22}"));
        assert!(second.read_from_disk.load(Ordering::Relaxed));
        second.save();
        let third = index.service("s");
        assert_eq!(third.read(&file, "a.json").expect("read").map(|(t, _)| t).as_deref(), Some("{\"a\": 22}"));
        assert!(!third.read_from_disk.load(Ordering::Relaxed), "unchanged: from the index");
        fs::remove_file(&file).expect("remove");
        assert_eq!(third.read(&file, "a.json").expect("read"), None);
    }

    #[test]
    fn a_garbled_index_is_ignored_and_rebuilt() {
        let (cache, ws) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
        let index = WorkspaceIndex::new(cache.path(), ws.path());
        fs::create_dir_all(index.dir()).expect("dir");
        fs::write(index.dir().join("s.json"), "{\"format_version\": 1, \"fol").expect("garble");
        let file = ws.path().join("a.json");
        fs::write(&file, "x").expect("write");
        let s = index.service("s");
        assert_eq!(s.read(&file, "a.json").expect("read").map(|(t, _)| t).as_deref(), Some("x"));
        s.save();
        assert!(index.service("s").known.contains_key("a.json"), "rebuilt");
    }
}
