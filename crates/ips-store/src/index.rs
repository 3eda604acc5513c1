//! The local index of a workspace: the text of every file a load reads, kept in the user's
//! cache folder (never in the workspace), so that opening a workspace on a network share or
//! a OneDrive folder reads only the files that are new or changed since the last open.
//!
//! The index of one workspace is 32 shard files, `<cache>/<workspace key>/shard-NN.bin`; a
//! service folder's shard follows from its name. Per file it holds the size, modification
//! time (to the nanosecond), change time and file id where the system gives them, the text
//! and the text's stamp. A file is taken from the index only when all of them are as
//! recorded and the text still has its stamp; anything else (a new, edited or removed file,
//! a missing, old, garbled or half-written shard) is read from the workspace. A shard is
//! binary (postcard, behind a header that names the format): the texts are copied in and
//! out as they are, where JSON escaped every quote of the review files on the way in and
//! unescaped it on the way out, which made a first open of a big workspace slower than
//! opening it with no index at all. A load reads a shard, the services in it, and writes the shard
//! back whole under a new name renamed into place when something differed, so a load holds
//! one shard per thread, and two programs updating it at once leave one or the other's
//! complete file, both right.
//!
//! An index is written only where it saves time: when most of the files a load read from
//! the workspace took longer than [`SLOW_READ`] each (a network share, a OneDrive folder that
//! downloads on open, a spinning disk). On a fast local disk the files come from the page
//! cache as quickly as the index would, and writing a large workspace's index made the first
//! open slower than no index at all (BENCHMARKS.md), so there a load leaves it as it is.
//!
//! What it cannot see: a file rewritten with the same size, and with the modification and
//! change times and the file id put back as they were. No program can set a file's change
//! time on Linux or macOS through the file system; on Windows, where the index has no change
//! time or file id, a program would have to write the same number of bytes and then set the
//! modification time back to the 100 ns tick it had. Sync clients and editors do not do
//! that: a write moves the modification time.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ips_domain::service::ContentStamp;
use serde::{Deserialize, Serialize};

use crate::store::{self, StoreError};

/// The index files' format; an index of another format is ignored and rebuilt.
const INDEX_FORMAT: u32 = 3;

/// What a shard file starts with: these bytes, then [`INDEX_FORMAT`] (4 bytes, little
/// endian), then the services (postcard) and nothing after them.
const SHARD_MAGIC: &[u8; 8] = b"IPSINDEX";

/// How many files the index of one workspace is spread over: few enough that opening them
/// costs little even where every open is a round trip, enough that a change rewrites a
/// small part of it and that loads on several threads each parse their own.
const SHARDS: usize = 32;

/// A read from the workspace slower than this is one the index saves: a local disk answers
/// from the page cache in tens of microseconds, a share takes at least a round trip.
pub const SLOW_READ: Duration = Duration::from_micros(500);

/// How many reads of a shard tell a fast disk from a slow one.
const SETTLED_AFTER: u64 = 16;

/// When a load writes what it read back into the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritePolicy {
    /// When most of the files a shard's load read from the workspace were slower than
    /// [`SLOW_READ`], or nothing was read and files went away: where the index pays.
    WhenSlow,
    /// Whenever what was read differs from the index (`IPS_FIDELITY_INDEX_WRITE=always`:
    /// tests that count the files an open reads, a local disk that is slow in other ways).
    Always,
}

impl WritePolicy {
    /// `IPS_FIDELITY_INDEX_WRITE=always`, else [`WritePolicy::WhenSlow`].
    pub fn from_env() -> WritePolicy {
        match std::env::var("IPS_FIDELITY_INDEX_WRITE") {
            Ok(v) if v.eq_ignore_ascii_case("always") => WritePolicy::Always,
            _ => WritePolicy::WhenSlow,
        }
    }

    /// Whether enough of a shard's reads were fast that it will not be written whatever
    /// comes after: then its load keeps no texts for it.
    fn settled_fast(self, reads: u64, slow: u64) -> bool {
        self == WritePolicy::WhenSlow && reads >= SETTLED_AFTER && slow * 2 <= reads
    }

    /// Whether a shard whose load read `reads` files from the workspace, `slow` of them
    /// slower than [`SLOW_READ`], is written back (it differs from what the index held).
    pub fn writes(self, reads: u64, slow: u64) -> bool {
        match self {
            WritePolicy::Always => true,
            // Nothing read: only files gone, and a smaller shard is cheap to write.
            WritePolicy::WhenSlow => reads == 0 || slow * 2 > reads,
        }
    }
}

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

/// The index of one workspace: where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceIndex {
    dir: PathBuf,
    policy: WritePolicy,
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
        WorkspaceIndex { dir: cache_root.join(format!("{name}-{:016x}", key.hash)), policy: WritePolicy::WhenSlow }
    }

    /// The same index, written back under `policy`.
    pub fn writing(self, policy: WritePolicy) -> WorkspaceIndex {
        WorkspaceIndex { policy, ..self }
    }

    /// The index of `workspace` in the default cache folder, if the system has one.
    pub fn default_for(workspace: &Path) -> Option<WorkspaceIndex> {
        default_cache_root().map(|root| WorkspaceIndex::new(&root, workspace).writing(WritePolicy::from_env()))
    }

    /// The folder its files are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Which shard holds service folder `folder`.
    pub fn shard_of(folder: &str) -> usize {
        (ContentStamp::of(folder.as_bytes()).hash % SHARDS as u64) as usize
    }

    /// Reads shard `i` (empty when missing, unreadable, garbled or of another format): a
    /// load reads the services of one shard through it, then [`Shard::finish`]es it, so a
    /// load holds no more than one shard per thread.
    pub fn open_shard(&self, i: usize) -> Shard {
        let services = fs::read(self.dir.join(shard_name(i))).ok().and_then(|b| decode_shard(&b)).unwrap_or_default();
        Shard {
            dir: self.dir.clone(),
            index: i,
            services,
            seen: Mutex::new(HashMap::new()),
            policy: self.policy,
            keep_disk_state: true,
            disk_reads: AtomicU64::new(0),
            slow_reads: AtomicU64::new(0),
        }
    }
}

fn shard_name(i: usize) -> String {
    format!("shard-{i:02}.bin")
}

/// The services of a shard file's bytes, or `None` when they are not a whole shard of
/// this format (empty, cut off, garbled, another format, bytes after the end).
fn decode_shard(bytes: &[u8]) -> Option<HashMap<String, Files>> {
    let rest = bytes.strip_prefix(SHARD_MAGIC)?;
    let (format, payload) = rest.split_first_chunk::<4>()?;
    if u32::from_le_bytes(*format) != INDEX_FORMAT {
        return None;
    }
    match postcard::take_from_bytes::<HashMap<String, Files>>(payload) {
        Ok((services, [])) => Some(services),
        _ => None,
    }
}

/// Whether the file at `path` is a whole shard that an open would use: for tests and
/// tools that check the index after programs wrote it at once.
pub fn is_whole_shard(path: &Path) -> bool {
    fs::read(path).ok().and_then(|b| decode_shard(&b)).is_some()
}

/// A file's metadata as the index compares it: equal metadata, same file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub size: u64,
    /// Modification time, nanoseconds since 1970 (an `i64` lasts until 2262).
    pub modified: i64,
    /// Change time (Unix), nanoseconds since 1970.
    pub changed: Option<i64>,
    /// The file's id on its device (Unix inode).
    pub id: Option<u64>,
}

/// What is known of one file: the metadata that must match, its text, and the text's
/// stamp (what a load needs anyway, and how a damaged text in the index is told apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    meta: FileMeta,
    stamp: Stamp,
    /// Shared with the load that read it: a text is never copied between the file, the
    /// load and the index.
    text: Arc<String>,
}

/// [`ContentStamp`] as the index keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    hash: u64,
}

impl From<ContentStamp> for Stamp {
    fn from(s: ContentStamp) -> Stamp {
        Stamp { len: s.len, hash: s.hash }
    }
}

/// A service folder's files, by their path inside the folder.
type Files = HashMap<String, Entry>;

/// What one load saw of a file: its metadata, and its text and stamp when it was read from
/// the workspace (an unchanged file's text stays in the shard, not copied).
#[derive(Debug, Clone)]
struct Seen {
    meta: FileMeta,
    read: Option<(Arc<String>, Stamp)>,
}

/// What one load saw of a service folder's files, and whether it differs from the shard.
type SeenService = (HashMap<String, Seen>, bool);

/// One shard of a workspace's index, read for one load of its services.
#[derive(Debug)]
pub struct Shard {
    dir: PathBuf,
    index: usize,
    services: HashMap<String, Files>,
    /// Per service folder read: what was seen, and whether it differs from the shard.
    seen: Mutex<HashMap<String, SeenService>>,
    policy: WritePolicy,
    /// Whether each file's metadata is kept for a later look at the folder (the app's):
    /// a command that reads the workspace once and exits needs none.
    keep_disk_state: bool,
    /// Files read from the workspace during this load, and how many of them were slow.
    disk_reads: AtomicU64,
    slow_reads: AtomicU64,
}

impl Shard {
    /// The same shard, for a load that reads the workspace once (a command that then
    /// exits): once the shard's reads have shown the disk fast, nothing is kept of its
    /// files, neither texts nor metadata.
    pub fn once(mut self) -> Shard {
        self.keep_disk_state = false;
        self
    }

    /// The index of one service folder of this shard, for reading it.
    pub fn service(&self, folder: &str) -> ServiceIndex<'_> {
        ServiceIndex {
            shard: self,
            folder: folder.to_string(),
            known: self.services.get(folder),
            seen: Mutex::new(HashMap::new()),
            listed: Mutex::new(HashMap::new()),
            read_from_disk: AtomicBool::new(false),
        }
    }

    /// Writes the shard back when a service read through it differs from what it held and
    /// the policy says it pays ([`WritePolicy`]). A failure is no loss: the next open reads
    /// those files from the workspace.
    pub fn finish(mut self) {
        let seen = self.seen.into_inner().unwrap_or_default();
        let (reads, slow) = (self.disk_reads.load(Ordering::Relaxed), self.slow_reads.load(Ordering::Relaxed));
        if !seen.values().any(|(_, changed)| *changed)
            || !self.policy.writes(reads, slow)
            || fs::create_dir_all(&self.dir).is_err()
        {
            return;
        }
        for (folder, (files, _)) in seen {
            let mut old = self.services.remove(&folder).unwrap_or_default();
            let files: Files = files
                .into_iter()
                .filter_map(|(name, s)| {
                    let (text, stamp) = s.read.or_else(|| old.remove(&name).map(|e| (e.text, e.stamp)))?;
                    Some((name, Entry { meta: s.meta, stamp, text }))
                })
                .collect();
            self.services.insert(folder, files);
        }
        write_whole(&self.dir, &shard_name(self.index), &self.services);
        // The shard of the index format before this one (JSON), which nothing reads now.
        let _ = fs::remove_file(self.dir.join(format!("shard-{:02}.json", self.index)));
    }
}

/// Writes `services` as shard `name` in `dir`, under a name of its own renamed into place:
/// never half a file, and two writers at once leave one or the other's whole.
fn write_whole(dir: &Path, name: &str, services: &HashMap<String, Files>) {
    let mut bytes = Vec::with_capacity(SHARD_MAGIC.len() + 4 + services.len() * 64 * 1024);
    bytes.extend_from_slice(SHARD_MAGIC);
    bytes.extend_from_slice(&INDEX_FORMAT.to_le_bytes());
    let Ok(bytes) = postcard::to_extend(services, bytes) else {
        return;
    };
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    if fs::write(&temp, &bytes).is_err() || fs::rename(&temp, dir.join(name)).is_err() {
        let _ = fs::remove_file(&temp);
    }
}

/// The index of one service folder during one load: reads a file's text from the index when
/// the file is unchanged, from the file otherwise, and remembers what it saw.
#[derive(Debug)]
pub struct ServiceIndex<'a> {
    shard: &'a Shard,
    folder: String,
    known: Option<&'a Files>,
    /// Every file read during this load, by its path inside the service folder.
    seen: Mutex<HashMap<String, Seen>>,
    /// What the folder listing said of files, where it says anything ([`listed_meta`]).
    listed: Mutex<HashMap<String, FileMeta>>,
    read_from_disk: AtomicBool,
}

/// The metadata an entry must match, or `None` when the file is not there.
pub fn metadata_of(path: &Path) -> Result<Option<FileMeta>, StoreError> {
    match fs::metadata(path) {
        Ok(m) => Ok(Some(FileMeta::from(&m))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// The metadata a folder listing brings with an entry, where the system gives it without
/// another call: on Windows the listing carries each file's size and modification time
/// (what [`FileMeta`] holds there), so an unchanged file costs no open at all; elsewhere
/// `None` (a listing gives names, and the metadata is one `stat` away).
pub fn listed_meta(entry: &fs::DirEntry) -> Option<FileMeta> {
    #[cfg(windows)]
    {
        entry.metadata().ok().map(|m| FileMeta::from(&m))
    }
    #[cfg(not(windows))]
    {
        let _ = entry;
        None
    }
}

impl From<&fs::Metadata> for FileMeta {
    fn from(meta: &fs::Metadata) -> FileMeta {
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
        // Windows: the file index needs a handle of its own (and is not stable in std),
        // and the change time is not in the listing; size and a 100 ns modification time
        // are what the listing and a handle agree on.
        #[cfg(not(unix))]
        let (changed, id) = (None, None);
        FileMeta { size: meta.len(), modified, changed, id }
    }
}

impl ServiceIndex<'_> {
    /// Notes the metadata the folder listing brought for `name` ([`listed_meta`]), so that
    /// reading it compares that instead of asking the system again.
    pub fn note_listed(&self, name: &str, meta: FileMeta) {
        if let Ok(mut listed) = self.listed.lock() {
            listed.insert(name.to_string(), meta);
        }
    }

    /// The text of `path` (a file in this service's folder, `name` its path inside it) and
    /// its stamp; `Ok(None)` when the file is not there. For a file that may well not be
    /// there (most services have no meetings file): its metadata is looked at first, which
    /// costs no open.
    pub fn read(&self, path: &Path, name: &str) -> Result<Option<(Arc<String>, ContentStamp)>, StoreError> {
        self.read_checked(path, name, true)
    }

    /// As [`ServiceIndex::read`], for a file the folder listing just named: one the index
    /// does not know is opened at once (a first open then costs one call per file, not a
    /// look and an open).
    pub fn read_listed(&self, path: &Path, name: &str) -> Result<Option<(Arc<String>, ContentStamp)>, StoreError> {
        self.read_checked(path, name, false)
    }

    fn read_checked(
        &self,
        path: &Path,
        name: &str,
        look_first: bool,
    ) -> Result<Option<(Arc<String>, ContentStamp)>, StoreError> {
        // The metadata first (from the listing where it brought it): an unchanged file costs
        // no open, and a removed one is seen.
        let known = self.known.and_then(|k| k.get(name));
        if known.is_some() || look_first {
            let listed = self.listed.lock().ok().and_then(|l| l.get(name).copied());
            let Some(meta) = listed.map_or_else(|| metadata_of(path), |m| Ok(Some(m)))? else {
                return Ok(None);
            };
            if let Some(e) = known
                && e.meta == meta
            {
                let stamp = ContentStamp::of(e.text.as_bytes());
                if Stamp::from(stamp) == e.stamp {
                    self.remember(name, Seen { meta, read: None });
                    return Ok(Some((Arc::clone(&e.text), stamp)));
                }
            }
        }
        // New or changed: what is kept is the metadata of the open file whose bytes were
        // read. A write while it is read moves the file's time past what is kept, and the
        // next open reads it again.
        let started = Instant::now();
        let read = store::read_text_and_metadata(path, store::MAX_FILE_BYTES);
        let took = started.elapsed();
        let (text, stamp, metadata) = match read {
            Ok(x) => x,
            Err(StoreError::Io { error, .. }) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        self.read_from_disk.store(true, Ordering::Relaxed);
        let reads = self.shard.disk_reads.fetch_add(1, Ordering::Relaxed) + 1;
        let slow = if took > SLOW_READ {
            self.shard.slow_reads.fetch_add(1, Ordering::Relaxed) + 1
        } else {
            self.shard.slow_reads.load(Ordering::Relaxed)
        };
        let text = Arc::new(text);
        // A shard whose reads have shown the disk fast will not be written: its texts need
        // not be held until the end of the load, and its metadata only for a later look.
        let settled_fast = self.shard.policy.settled_fast(reads, slow);
        if !settled_fast || self.shard.keep_disk_state {
            let kept = (!settled_fast).then(|| (Arc::clone(&text), stamp.into()));
            self.remember(name, Seen { meta: FileMeta::from(&metadata), read: kept });
        }
        Ok(Some((text, stamp)))
    }

    fn remember(&self, name: &str, entry: Seen) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(name.to_string(), entry);
        }
    }

    /// The metadata of every file read through this index so far, by its path inside the
    /// service folder: what a later look compares to see whether anything changed; `None`
    /// for a load that reads the workspace once ([`Shard::once`]).
    pub fn disk_state(&self) -> Option<std::collections::BTreeMap<String, FileMeta>> {
        self.shard.keep_disk_state.then(|| self.seen())
    }

    /// The metadata of every file read through this index so far, by its path inside the
    /// service folder.
    pub fn seen(&self) -> std::collections::BTreeMap<String, FileMeta> {
        self.seen.lock().map(|s| s.iter().map(|(k, e)| (k.clone(), e.meta)).collect()).unwrap_or_default()
    }

    /// Hands what this load of the service saw to its shard, to be written back when the
    /// shard is finished if it differs from what the index held (a file read from disk, or
    /// one gone).
    pub fn save(self) {
        let (reads, slow) =
            (self.shard.disk_reads.load(Ordering::Relaxed), self.shard.slow_reads.load(Ordering::Relaxed));
        if self.shard.policy.settled_fast(reads, slow) {
            // The shard will not be written: nothing to hand over, nothing to hold.
            return;
        }
        let seen = self.seen.into_inner().unwrap_or_default();
        let changed = self.read_from_disk.load(Ordering::Relaxed) || self.known.map_or(0, HashMap::len) != seen.len();
        if let Ok(mut all) = self.shard.seen.lock() {
            all.insert(self.folder, (seen, changed));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(s: &ServiceIndex<'_>, file: &Path) -> Option<String> {
        s.read(file, "a.json").expect("read").map(|(t, _)| t.to_string())
    }

    /// On a fast disk (this test's temporary folder) a load that reads the workspace once
    /// keeps nothing of its files once the shard has settled; the app's load keeps each
    /// file's metadata for its next look at the folder; neither writes the shard.
    #[test]
    fn a_load_that_reads_once_keeps_no_metadata_on_a_fast_disk() {
        let (cache, ws) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
        let files: Vec<PathBuf> = (0..40).map(|n| ws.path().join(format!("{n}.json"))).collect();
        for f in &files {
            fs::write(f, "{\"score\": 4}").expect("write");
        }
        let index = WorkspaceIndex::new(cache.path(), ws.path());
        for (once, kept) in [(true, false), (false, true)] {
            let shard = index.open_shard(0);
            let shard = if once { shard.once() } else { shard };
            let service = shard.service("s");
            for (n, f) in files.iter().enumerate() {
                assert!(service.read_listed(f, &format!("{n}.json")).expect("read").is_some());
            }
            let state = service.disk_state();
            assert_eq!(state.is_some(), kept, "once: {once}");
            if let Some(state) = state {
                assert_eq!(state.len(), files.len(), "every file's metadata");
            }
            service.save();
            shard.finish();
            assert!(!index.dir().exists(), "a fast disk: no index written");
        }
    }

    #[test]
    fn the_index_is_written_when_most_reads_were_slow_or_always_when_asked() {
        assert!(WritePolicy::Always.writes(10, 0));
        assert!(WritePolicy::WhenSlow.writes(0, 0), "only files gone");
        assert!(WritePolicy::WhenSlow.writes(10, 6));
        assert!(!WritePolicy::WhenSlow.writes(10, 5), "half is not most");
        assert!(!WritePolicy::WhenSlow.writes(10, 0));
    }

    #[test]
    fn an_unchanged_file_comes_from_the_index_and_an_edited_one_from_disk() {
        let (cache, ws) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
        let index = WorkspaceIndex::new(cache.path(), ws.path()).writing(WritePolicy::Always);
        let file = ws.path().join("a.json");
        fs::write(&file, "{\"a\": 1}").expect("write");
        let shard = index.open_shard(WorkspaceIndex::shard_of("s"));
        let first = shard.service("s");
        assert_eq!(text_of(&first, &file).as_deref(), Some("{\"a\": 1}"));
        first.save();
        shard.finish();
        // Edited for real (another size and time): read from the file.
        let shard = index.open_shard(WorkspaceIndex::shard_of("s"));
        let second = shard.service("s");
        assert!(second.known.is_some_and(|k| k.contains_key("a.json")));
        fs::write(&file, "{\"a\": 22}").expect("write");
        assert_eq!(text_of(&second, &file).as_deref(), Some("{\"a\": 22}"));
        assert!(second.read_from_disk.load(Ordering::Relaxed));
        second.save();
        shard.finish();
        let shard = index.open_shard(WorkspaceIndex::shard_of("s"));
        let third = shard.service("s");
        assert_eq!(text_of(&third, &file).as_deref(), Some("{\"a\": 22}"));
        assert!(!third.read_from_disk.load(Ordering::Relaxed), "unchanged: from the index");
        fs::remove_file(&file).expect("remove");
        assert_eq!(text_of(&third, &file), None);
    }

    #[test]
    fn a_garbled_index_is_ignored_and_rebuilt() {
        let (cache, ws) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
        let index = WorkspaceIndex::new(cache.path(), ws.path()).writing(WritePolicy::Always);
        fs::create_dir_all(index.dir()).expect("dir");
        let i = WorkspaceIndex::shard_of("s");
        fs::write(index.dir().join(shard_name(i)), b"IPSINDEX\x03\0\0\0\x05\x01s").expect("cut off");
        let file = ws.path().join("a.json");
        fs::write(&file, "x").expect("write");
        let shard = index.open_shard(i);
        let s = shard.service("s");
        assert_eq!(text_of(&s, &file).as_deref(), Some("x"));
        s.save();
        shard.finish();
        let shard = index.open_shard(i);
        assert!(shard.service("s").known.is_some_and(|k| k.contains_key("a.json")), "rebuilt");
    }

    #[test]
    fn a_text_damaged_in_the_index_is_read_from_the_file() {
        let (cache, ws) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
        let index = WorkspaceIndex::new(cache.path(), ws.path()).writing(WritePolicy::Always);
        let file = ws.path().join("a.json");
        fs::write(&file, "{\"score\": 4}").expect("write");
        let i = WorkspaceIndex::shard_of("s");
        let shard = index.open_shard(i);
        let s = shard.service("s");
        assert_eq!(text_of(&s, &file).as_deref(), Some("{\"score\": 4}"));
        s.save();
        shard.finish();
        let path = index.dir().join(shard_name(i));
        assert!(is_whole_shard(&path));
        // One byte of the text changed in the index (a bad sector, a stray write): the file
        // still decodes, but the text no longer has its stamp.
        let mut bytes = fs::read(&path).expect("shard");
        let at = bytes.windows(4).position(|w| w == b": 4}").expect("the text is in the shard");
        bytes[at + 2] = b'5';
        fs::write(&path, &bytes).expect("damage");
        assert!(is_whole_shard(&path));
        let shard = index.open_shard(i);
        let s = shard.service("s");
        assert_eq!(text_of(&s, &file).as_deref(), Some("{\"score\": 4}"));
        assert!(s.read_from_disk.load(Ordering::Relaxed), "read from the file, not the damaged index");
    }

    #[test]
    fn a_shard_of_the_json_format_is_replaced() {
        let (cache, ws) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
        let index = WorkspaceIndex::new(cache.path(), ws.path()).writing(WritePolicy::Always);
        fs::create_dir_all(index.dir()).expect("dir");
        let i = WorkspaceIndex::shard_of("s");
        let old = index.dir().join(format!("shard-{i:02}.json"));
        fs::write(&old, "{\"format_version\": 2, \"services\": {}}").expect("old shard");
        let file = ws.path().join("a.json");
        fs::write(&file, "x").expect("write");
        let shard = index.open_shard(i);
        let s = shard.service("s");
        assert_eq!(text_of(&s, &file).as_deref(), Some("x"));
        s.save();
        shard.finish();
        assert!(!old.exists(), "the old format's file is gone");
        assert!(is_whole_shard(&index.dir().join(shard_name(i))));
    }
}
