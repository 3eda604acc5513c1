//! The workspace: a folder of human-readable JSON files, one folder per service.
//!
//! ```text
//! WORKSPACE/
//!   scales/                      optional: extra or corrected scale files
//!   services/<folder>/service.json
//!   services/<folder>/evaluations/<YYYY-MM-DD>_<type>.json
//! ```
//!
//! Loading never stops at a bad file: it is listed in [`Workspace::problems`] by name, kept
//! out of the model and never written to. Writes go through [`crate::store`], atomic and
//! checked against what was read, so two processes sharing a folder cannot silently
//! overwrite each other.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use ips_domain::brief::ServiceBrief;
use ips_domain::evaluation::{Evaluation, EvaluationType, FORMAT_VERSION, ReviewStatus, ServiceInfo};
use ips_domain::history::ReviewFacts;
use ips_domain::meetings::MeetingsFile;
use ips_domain::outcomes::{OutcomesFile, QuarterFigures, QuarterMerge};
use ips_domain::scale::{DataFileError, Scale, parse_json};
use ips_domain::service::{ContentStamp, EvaluationRecord, ScaleSet, Service};
use ips_domain::summary::SummaryService;
use ips_text::i18n::Msg;

use crate::outcomes_csv::OutcomeRow;
use crate::store::{self, Durability, StoreError};
use ips_text::text::Lang;

pub use crate::store::{HISTORY_KEEP, KeepVersion};

/// A problem with one file in the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub path: PathBuf,
    /// Where in the file (a JSON path), or empty.
    pub location: String,
    /// Turned into words where it is shown.
    pub message: Msg,
}

impl FileProblem {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<Msg>) -> Self {
        FileProblem { path: path.into(), location: String::new(), message: message.into() }
    }

    /// Every problem of a data file, as problems of `path`.
    pub fn from_data(path: &Path, e: DataFileError) -> Vec<FileProblem> {
        e.problems
            .into_iter()
            .map(|p| FileProblem { path: path.to_path_buf(), location: p.location, message: p.message })
            .collect()
    }

    /// A storage error, as a problem of its file.
    pub fn from_store(e: &StoreError) -> FileProblem {
        FileProblem::new(e.path(), e.msg())
    }

    /// "path: location: message" in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        if self.location.is_empty() {
            format!("{}: {}", self.path.display(), self.message.text(lang))
        } else {
            format!("{}: {}: {}", self.path.display(), self.location, self.message.text(lang))
        }
    }
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// The folder in a workspace's `scales/` for versions that came with a package: kept for
/// the reviews that name them, not used for new reviews until adopted
/// ([`Workspace::adopt_scale`] moves the file up into `scales/`).
pub const CARRIED_SCALES_DIR: &str = "carried";

/// Loads every `*.json` in `dir` into `scales`; bad files are returned, not loaded.
pub fn load_scale_dir(scales: &mut ScaleSet, dir: &Path) -> Vec<FileProblem> {
    load_scale_files(dir, |s, json| scales.insert_from_workspace(s, json))
}

/// Loads a workspace's scale versions: those carried by packages (`scales/carried/`), then
/// its own (`scales/`, which win over a carried file of the same version).
pub fn load_workspace_scales(scales: &mut ScaleSet, root: &Path) -> Vec<FileProblem> {
    let dir = root.join("scales");
    let mut problems = load_scale_files(&dir.join(CARRIED_SCALES_DIR), |s, json| scales.insert_carried(s, json));
    problems.extend(load_scale_dir(scales, &dir));
    problems
}

fn load_scale_files(dir: &Path, mut insert: impl FnMut(Scale, std::sync::Arc<str>)) -> Vec<FileProblem> {
    let mut problems = Vec::new();
    let files = match json_files(dir) {
        Ok(files) => files,
        Err(e) => return vec![FileProblem::new(dir, ips_text::msg!("core.cannot_list", error = e))],
    };
    for path in files {
        match load_scale_file_with_source(&path) {
            Ok((s, json)) => insert(s, json),
            Err(e) => problems.extend(FileProblem::from_data(&path, e)),
        }
    }
    problems
}

fn load_scale_file_with_source(path: &Path) -> Result<(Scale, std::sync::Arc<str>), DataFileError> {
    let name = path.display().to_string();
    let (text, _) = store::read_text(path).map_err(|e| DataFileError::single(&name, "", e.msg()))?;
    let scale = Scale::from_json(&name, &text)?;
    Ok((scale, std::sync::Arc::from(text)))
}

/// Reads and validates one scale file.
pub fn load_scale_file(path: &Path) -> Result<Scale, DataFileError> {
    let name = path.display().to_string();
    let (text, _) = store::read_text(path).map_err(|e| DataFileError::single(&name, "", e.msg()))?;
    Scale::from_json(&name, &text)
}

/// The `*.json` files of a folder, sorted, skipping scratch and hidden files. A folder that
/// does not exist has none; one that cannot be listed is an error.
fn json_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    Ok(json_files_listed(dir)?.into_iter().map(|(p, _)| p).collect())
}

/// [`json_files`], each with the metadata the listing brought where the system gives it
/// ([`crate::index::listed_meta`]: on Windows, so an unchanged file costs no open).
fn json_files_listed(dir: &Path) -> io::Result<Vec<(PathBuf, Option<crate::index::FileMeta>)>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files: Vec<(PathBuf, Option<crate::index::FileMeta>)> = entries
        .flatten()
        // One listing cleans old temporary files and finds the reviews (each listing of a
        // folder on a share is a round trip).
        .filter(|e| !store::clean_if_scratch(e))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".json") && !name.starts_with('.') && !store::is_scratch_file(&name)
        })
        .map(|e| (e.path(), crate::index::listed_meta(&e)))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// One service as read from its folder: the domain's [`Service`], with what storage keeps
/// beside it (the stamps of its side files, its sync conflict copies, and its brief while
/// its reviews are not held in memory). It derefs to the [`Service`], so the read models
/// take it as one.
#[derive(Debug, Clone, Default)]
pub struct ServiceRecord {
    pub service: Service,
    /// The content `service.json` was read from.
    pub stamp: Option<ContentStamp>,
    /// Sync services' conflict copies of its reviews, not counted.
    pub conflict_copies: Vec<ConflictCopy>,
    pub outcomes_stamp: Option<ContentStamp>,
    pub meetings_stamp: Option<ContentStamp>,
    /// Set when the reviews are not held in memory ([`Workspace::load_brief`]): what the
    /// overview and the summary need of them. `evaluations` is then empty until
    /// [`Workspace::ensure_loaded`] reads them.
    pub brief: Option<Box<ServiceBrief>>,
    /// Its review files as read (also while in brief): what a later look at the folder
    /// compares to say what a colleague added or changed.
    pub review_files: Vec<ReviewFile>,
    /// The metadata of its files as read through the local index: a look at the folder
    /// that finds the same reads nothing ([`look_for_changes`]).
    pub disk: Option<std::collections::BTreeMap<String, crate::index::FileMeta>>,
}

/// One review file of a service as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFile {
    pub file_name: String,
    pub date: NaiveDate,
    pub stamp: Option<ContentStamp>,
    /// Who last changed it, by its audit trail (empty when it says nobody).
    pub by: String,
}

impl std::ops::Deref for ServiceRecord {
    type Target = Service;
    fn deref(&self) -> &Service {
        &self.service
    }
}

impl std::ops::DerefMut for ServiceRecord {
    fn deref_mut(&mut self) -> &mut Service {
        &mut self.service
    }
}

impl ServiceRecord {
    /// Whether the reviews are in memory (not only in brief).
    pub fn is_loaded(&self) -> bool {
        self.brief.is_none()
    }

    /// Each review file with the stamp of its content as this program holds it (after its
    /// own saves too): for a service in memory, from its reviews; in brief, as read.
    pub fn review_stamps(&self) -> std::collections::BTreeMap<&str, Option<ContentStamp>> {
        if self.is_loaded() {
            self.evaluations.iter().map(|r| (r.file_name.as_str(), r.stamp)).collect()
        } else {
            self.review_files.iter().map(|f| (f.file_name.as_str(), f.stamp)).collect()
        }
    }

    /// Whether `other` (the same folder read again) holds other content than this: a review,
    /// a side file or a conflict copy added, changed or gone.
    pub fn differs_from(&self, other: &ServiceRecord) -> bool {
        let copies = |r: &ServiceRecord| -> Vec<(String, Option<ContentStamp>)> {
            r.conflict_copies.iter().map(|c| (c.file_name.clone(), c.stamp)).collect()
        };
        self.review_stamps() != other.review_stamps()
            || (self.stamp, self.outcomes_stamp, self.meetings_stamp)
                != (other.stamp, other.outcomes_stamp, other.meetings_stamp)
            || copies(self) != copies(other)
    }

    /// Keeps the service in brief and lets go of its reviews.
    fn into_brief(mut self, scales: &ScaleSet, today: NaiveDate) -> ServiceRecord {
        let brief = ServiceBrief::of(&self.service, scales, today);
        self.service.evaluations = Vec::new();
        self.brief = Some(Box::new(brief));
        self
    }
}

/// What happened to one imported evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewMerge {
    Added {
        path: PathBuf,
    },
    Unchanged {
        path: PathBuf,
    },
    /// An evaluation with the same service, date and type exists with other scores.
    Conflict {
        path: PathBuf,
    },
    /// Not written: a folder that may be this service has a `service.json` (`path`) that
    /// cannot be read, for `why`; a second service of the same name would split it.
    Blocked {
        path: PathBuf,
        why: Msg,
    },
}

/// A service folder whose `service.json` cannot be read.
#[derive(Debug, Clone)]
struct UnreadableService {
    folder: String,
    problem: FileProblem,
}

impl UnreadableService {
    /// Whether the folder may hold the service named `name`: its folder name, or that name
    /// with a number (`ips-nordby`, `ips-nordby-2`).
    fn blocks(&self, name: &str) -> bool {
        let base = folder_name(name);
        self.folder == base
            || self
                .folder
                .strip_prefix(&format!("{base}-"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }

    fn refusal(&self) -> StoreError {
        let reason = ips_text::msg!("core.service_unreadable_blocks");
        StoreError::Refused { path: self.problem.path.clone(), reason }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StagedOutcome {
    Added,
    /// The same review twice in one import, with the same scores.
    Repeated,
    /// The same review twice in one import, with other scores.
    Conflict,
}

/// A new service written into a hidden folder, waiting to be renamed into place.
struct Staged {
    staging: PathBuf,
    base: String,
    record: ServiceRecord,
    /// Per incoming evaluation, its outcome with the file name in the service folder.
    outcomes: Vec<(StagedOutcome, String)>,
}

static STAGE_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Why outcome figures could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum FiguresImportError {
    /// Rows name services the workspace does not have; nothing was written.
    #[error("unknown services: {}", .0.join(", "))]
    UnknownServices(Vec<String>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a version could not be restored.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FileProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RestoreError {
    /// The reason in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            RestoreError::Invalid(problems) => problems.iter().map(|p| p.text(lang)).collect::<Vec<_>>().join("; "),
            RestoreError::Store(e) => e.text(lang),
        }
    }
}

/// The loaded workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub scales: ScaleSet,
    pub services: Vec<ServiceRecord>,
    pub problems: Vec<FileProblem>,
    /// Files that loaded but need attention: a review whose scale version is not known here
    /// (scored on the newest version meanwhile).
    pub warnings: Vec<FileProblem>,
    /// Set when the workspace's folder exists but cannot be listed (a network share that
    /// dropped, a folder that is a file): then nothing is known about its services, which
    /// is not the same as having none.
    pub unreachable: Option<FileProblem>,
}

/// The file name of an evaluation: `<date>_<type>.json`.
pub fn evaluation_file_name(date: NaiveDate, kind: EvaluationType) -> String {
    format!("{}_{}.json", date.format("%Y-%m-%d"), kind.code())
}

/// The date and type a review's file name stands for, if it is one the program writes
/// (`2026-04-21_independent.json`).
pub fn parse_evaluation_file_name(name: &str) -> Option<(NaiveDate, EvaluationType)> {
    let stem = name.strip_suffix(".json")?;
    let (date, kind) = stem.split_once('_')?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let kind = [EvaluationType::Independent, EvaluationType::SelfAssessment].into_iter().find(|k| k.code() == kind)?;
    Some((date, kind))
}

/// A sync service's conflict copy of a review (see [`crate::synced`]): listed apart, never
/// counted as a review.
#[derive(Debug, Clone)]
pub struct ConflictCopy {
    pub file_name: String,
    /// The review file it is a copy of.
    pub original: String,
    pub made_by: crate::synced::SyncService,
    /// Its content, or why it cannot be read.
    pub evaluation: Result<Evaluation, Vec<FileProblem>>,
    pub stamp: Option<ContentStamp>,
}

/// Windows device names that cannot be file or folder names.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A folder name for a service: lower-case ASCII letters, digits and '-', never a path
/// separator, `..`, or a reserved Windows name, at most 60 characters.
pub fn folder_name(service_name: &str) -> String {
    let mut out = String::new();
    for c in service_name.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'æ' => "ae",
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => "o",
            'å' | 'ä' | 'á' | 'à' | 'â' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' | 'ù' => "u",
            'í' | 'ì' | 'ï' => "i",
            _ => "",
        };
        if !mapped.is_empty() {
            out.push_str(mapped);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut name: String = out.trim_matches('-').chars().take(60).collect();
    name = name.trim_matches('-').to_string();
    if name.is_empty() {
        name = "tjeneste".to_string();
    }
    if RESERVED.contains(&name.as_str()) {
        name.push_str("-tjeneste");
    }
    name
}

impl Workspace {
    pub fn services_dir(root: &Path) -> PathBuf {
        root.join("services")
    }

    /// A workspace with nothing read yet: the built-in scales and no services.
    pub fn empty(root: &Path) -> Workspace {
        let (scales, _) = ScaleSet::builtin();
        let (services, problems, warnings) = (Vec::new(), Vec::new(), Vec::new());
        Workspace { root: root.to_path_buf(), scales, services, problems, warnings, unreachable: None }
    }

    /// Loads a workspace folder (it need not exist yet). Bad files are listed in `problems`.
    pub fn load(root: &Path) -> Workspace {
        Self::load_with(root, LoadMode::default())
    }

    /// Loads a workspace with every service in brief ([`ServiceBrief`]): what the
    /// overview on `today` and the summary need, without holding the reviews. A service's
    /// reviews are read when it is opened ([`Workspace::ensure_loaded`]).
    pub fn load_brief(root: &Path, today: NaiveDate, progress: Option<&std::sync::atomic::AtomicUsize>) -> Workspace {
        Self::load_with(root, LoadMode { brief_on: Some(today), progress, ..LoadMode::default() })
    }

    /// [`Workspace::load_brief`] through the user's local index of this workspace (in the
    /// cache folder, [`crate::index`]): only new or changed files are read from the folder.
    pub fn open_brief(root: &Path, today: NaiveDate, progress: Option<&std::sync::atomic::AtomicUsize>) -> Workspace {
        Self::open_brief_filling(root, today, progress, None)
    }

    /// [`Workspace::open_brief`], with each service's overview row put into `rows` as soon
    /// as it is read.
    pub fn open_brief_filling(
        root: &Path,
        today: NaiveDate,
        progress: Option<&std::sync::atomic::AtomicUsize>,
        rows: Option<&std::sync::Mutex<Vec<ips_domain::trends::ServiceOverview>>>,
    ) -> Workspace {
        let index = crate::index::WorkspaceIndex::default_for(root);
        Self::load_with(root, LoadMode { brief_on: Some(today), progress, index: index.as_ref(), rows, once: false })
    }

    /// [`Workspace::load`] through the user's local index of this workspace, for a command
    /// that reads it once.
    pub fn open(root: &Path) -> Workspace {
        let index = crate::index::WorkspaceIndex::default_for(root);
        Self::load_with(root, LoadMode { index: index.as_ref(), once: true, ..LoadMode::default() })
    }

    /// [`Workspace::open_brief`] for a command that reads the workspace once and exits
    /// (a summary, an export): no file's metadata is kept for a later look.
    pub fn open_brief_once(root: &Path, today: NaiveDate) -> Workspace {
        let index = crate::index::WorkspaceIndex::default_for(root);
        let mode = LoadMode { brief_on: Some(today), index: index.as_ref(), once: true, ..LoadMode::default() };
        Self::load_with(root, mode)
    }

    /// How many service folders the workspace at `root` has (for a progress bar).
    pub fn count_services(root: &Path) -> usize {
        service_folders(&Self::services_dir(root)).len()
    }

    /// Loads a workspace as `mode` says: in brief or whole, counting progress, through the
    /// local index (the app, `export`, `summary` and `report` open through it).
    pub fn load_with(root: &Path, mode: LoadMode<'_>) -> Workspace {
        let (mut scales, builtin_errors) = ScaleSet::builtin();
        let mut problems: Vec<FileProblem> =
            builtin_errors.iter().flat_map(|e| FileProblem::from_data(&PathBuf::from(&e.file), e.clone())).collect();
        problems.extend(load_workspace_scales(&mut scales, root));
        let services_dir = Self::services_dir(root);
        if let Some(e) = unreachable_problem(root, &services_dir) {
            return Workspace {
                root: root.to_path_buf(),
                scales,
                services: Vec::new(),
                problems,
                warnings: Vec::new(),
                unreachable: Some(e),
            };
        }
        store::clean_scratch(&services_dir);
        let (mut services, load_problems, warnings) =
            load_service_dirs(&service_folders(&services_dir), &scales, &services_dir, mode);
        problems.extend(load_problems);
        services.sort_by_key(|a| ips_text::text::sort_key(&a.info.name));
        Workspace { root: root.to_path_buf(), scales, services, problems, warnings, unreachable: None }
    }

    /// Reads the reviews of a service held in brief, and returns the files it could not
    /// use (left out, as at a full load). When the service's own file cannot be read it
    /// stays in brief ([`ServiceRecord::is_loaded`] tells). Nothing to do for a loaded one.
    pub fn ensure_loaded(&mut self, service: usize) -> Vec<FileProblem> {
        if self.services[service].is_loaded() {
            return Vec::new();
        }
        let (read, problems) = read_service(&self.service_dir(service), &self.scales);
        self.take_read(service, read);
        problems
    }

    /// Puts a service read by [`read_service`] in place of its brief (nothing when it
    /// could not be read, or when it was read meanwhile).
    pub fn take_read(&mut self, service: usize, read: Option<ServiceRecord>) {
        if let Some(read) = read
            && let Some(slot) = self.services.get_mut(service)
            && !slot.is_loaded()
            && slot.folder == read.folder
        {
            *slot = read;
        }
    }

    /// Reads every service held in brief (before an operation over all reviews).
    pub fn ensure_all_loaded(&mut self) -> Vec<FileProblem> {
        (0..self.services.len()).flat_map(|i| self.ensure_loaded(i)).collect()
    }

    /// Each service's folder and its files' metadata as read: what
    /// [`look_for_changes`] compares.
    pub fn disk_state(&self) -> Vec<(String, Option<std::collections::BTreeMap<String, crate::index::FileMeta>>)> {
        self.services.iter().map(|s| (s.folder.clone(), s.disk.clone())).collect()
    }

    pub fn service_dir(&self, service: usize) -> PathBuf {
        Self::services_dir(&self.root).join(&self.services[service].folder)
    }

    pub fn evaluation_path(&self, service: usize, evaluation: usize) -> PathBuf {
        self.service_dir(service).join("evaluations").join(&self.services[service].evaluations[evaluation].file_name)
    }

    /// The service in `folder` (its folder name: a stable id).
    pub fn service_index(&self, folder: &str) -> Option<usize> {
        self.services.iter().position(|s| s.folder == folder)
    }

    /// Service and evaluation indices of a (folder, file) pair.
    pub fn locate(&self, folder: &str, file: &str) -> Option<(usize, usize)> {
        let si = self.service_index(folder)?;
        Some((si, self.services[si].evaluation_index(file)?))
    }

    /// The service named `name`, names compared as [`ips_text::text::name_key`] does ("IPS
    /// Nordby", "ips nordby." and "IPS  Nordby" are one service); a blank name is none.
    pub fn find_service(&self, name: &str) -> Option<usize> {
        let wanted = ips_text::text::name_key(name);
        if wanted.is_empty() {
            return None;
        }
        self.services
            .iter()
            .position(|s| s.info.name.trim() == name.trim())
            .or_else(|| self.services.iter().position(|s| ips_text::text::name_key(&s.info.name) == wanted))
    }

    /// Creates a service folder and its `service.json`. Returns its index. The folder is
    /// prepared under a hidden name and renamed into place, so a crash never leaves a
    /// service folder without its `service.json`. Refused when a service of that name is
    /// there (also one another program has just made) or a folder that may be it cannot be
    /// read.
    pub fn create_service(&mut self, info: ServiceInfo) -> Result<usize, StoreError> {
        let _lock = self.lock_services()?;
        let unreadable = self.take_in_new_services();
        if let Some(i) = self.find_service(&info.name) {
            let path = self.service_dir(i).join("service.json");
            let reason = ips_text::msg!("core.service_exists", name = self.services[i].info.name);
            return Err(StoreError::Refused { path, reason });
        }
        if let Some(u) = unreadable.iter().find(|u| u.blocks(&info.name)) {
            return Err(u.refusal());
        }
        self.create_unlocked(info)
    }

    fn create_unlocked(&mut self, info: ServiceInfo) -> Result<usize, StoreError> {
        // The same staging path as an import, with the syncs done at once.
        let mut written = Vec::new();
        let stage = self.stage_service(info, Vec::new(), &mut written)?;
        store::sync_paths(&written, &[])?;
        self.commit_staged(stage)?;
        store::sync_folder(&Self::services_dir(&self.root))?;
        Ok(self.services.len() - 1)
    }

    /// Writes a service's `service.json` (after the caller changed `info`).
    pub fn save_service(&mut self, service: usize) -> Result<(), StoreError> {
        self.save_side(service, SideFile::Service)
    }

    /// Writes the service's `outcomes.json` (after the caller changed `outcomes`).
    pub fn save_outcomes(&mut self, service: usize) -> Result<(), StoreError> {
        self.save_side(service, SideFile::Outcomes)
    }

    /// Writes the service's `meetings.json` (after the caller changed `meetings`).
    pub fn save_meetings(&mut self, service: usize) -> Result<(), StoreError> {
        self.save_side(service, SideFile::Meetings)
    }

    fn save_side(&mut self, service: usize, which: SideFile) -> Result<(), StoreError> {
        let stamp = self.side_write(service, which).run()?;
        self.side_written(service, which, stamp);
        Ok(())
    }

    /// The write of one of a service's own files as it is in memory, to be run here or on
    /// a writer thread ([`FileWrite::run`]); nothing is written yet. Outcomes and meetings
    /// are kept in date order, in memory as in the file.
    pub fn side_write(&mut self, service: usize, which: SideFile) -> FileWrite {
        let path = self.service_dir(service).join(which.file_name());
        let rec = &mut self.services[service];
        let (bytes, expected) = match which {
            SideFile::Service => (service_json(&rec.info), rec.stamp),
            SideFile::Outcomes => {
                rec.outcomes.sort_by_key(|q| q.period);
                let file = OutcomesFile { format_version: 1, quarters: rec.outcomes.clone() };
                (file.to_json(), rec.outcomes_stamp)
            }
            SideFile::Meetings => {
                rec.meetings.sort_by_key(|m| m.date);
                let file = MeetingsFile { format_version: 1, meetings: rec.meetings.clone() };
                (file.to_json(), rec.meetings_stamp)
            }
        };
        FileWrite { path, bytes: bytes.into_bytes(), expected, keep: KeepVersion::SessionStart }
    }

    /// Notes that a [`FileWrite`] of the service's file is on disk with `stamp`.
    pub fn side_written(&mut self, service: usize, which: SideFile, stamp: ContentStamp) {
        let rec = &mut self.services[service];
        *match which {
            SideFile::Service => &mut rec.stamp,
            SideFile::Outcomes => &mut rec.outcomes_stamp,
            SideFile::Meetings => &mut rec.meetings_stamp,
        } = Some(stamp);
    }

    /// Reads one of a service's own files again (after a colleague changed it): memory
    /// then holds what is on disk. A file that cannot be read is said and left as it is.
    pub fn reload_side(&mut self, service: usize, which: SideFile) -> Vec<FileProblem> {
        let path = self.service_dir(service).join(which.file_name());
        let mut problems = Vec::new();
        let rec = &mut self.services[service];
        match which {
            SideFile::Service => match load_service_file(&path) {
                Ok((info, stamp)) => (rec.info, rec.stamp) = (info, Some(stamp)),
                Err(p) => problems = p,
            },
            SideFile::Outcomes => {
                let loaded = load_side_file(&path, OutcomesFile::from_json, &mut problems);
                (rec.outcomes, rec.outcomes_stamp) = loaded.map_or((Vec::new(), None), |(f, s)| (f.quarters, Some(s)));
            }
            SideFile::Meetings => {
                let loaded = load_side_file(&path, MeetingsFile::from_json, &mut problems);
                (rec.meetings, rec.meetings_stamp) = loaded.map_or((Vec::new(), None), |(f, s)| (f.meetings, Some(s)));
            }
        }
        problems
    }

    /// Imports outcome rows: every row's service must exist (else nothing is written and the
    /// unknown names are returned); a quarter not there is added, the same figures change
    /// nothing, and other figures for a quarter already there are a conflict, never
    /// overwritten. Each service's file is written once.
    pub fn import_outcomes(&mut self, rows: Vec<OutcomeRow>) -> Result<Vec<QuarterMerge>, FiguresImportError> {
        let unknown: Vec<String> = rows
            .iter()
            .filter(|r| self.find_service(&r.service).is_none())
            .map(|r| r.service.clone())
            .fold(Vec::new(), |mut v, n| {
                if !v.contains(&n) {
                    v.push(n);
                }
                v
            });
        if !unknown.is_empty() {
            return Err(FiguresImportError::UnknownServices(unknown));
        }
        let mut outcomes = Vec::new();
        let mut touched: Vec<(usize, Vec<QuarterFigures>)> = Vec::new();
        for row in rows {
            let si = self.find_service(&row.service).unwrap_or(0);
            let name = self.services[si].info.name.clone();
            let period = row.figures.period;
            let at = match touched.iter().position(|(s, _)| *s == si) {
                Some(i) => i,
                None => {
                    touched.push((si, self.services[si].outcomes.clone()));
                    touched.len() - 1
                }
            };
            let list = &mut touched[at].1;
            outcomes.push(match list.iter().find(|q| q.period == period) {
                Some(q) if *q == row.figures => QuarterMerge::Unchanged { service: name, period },
                Some(_) => QuarterMerge::Conflict { service: name, period },
                None => {
                    list.push(row.figures);
                    QuarterMerge::Added { service: name, period }
                }
            });
        }
        for (si, list) in touched {
            if list.len() == self.services[si].outcomes.len() {
                continue;
            }
            let old = std::mem::replace(&mut self.services[si].outcomes, list);
            if let Err(e) = self.save_outcomes(si) {
                self.services[si].outcomes = old;
                return Err(FiguresImportError::Store(e));
            }
        }
        Ok(outcomes)
    }

    /// Deletes a service folder, after checking that no file in it changed since it was read.
    /// The folder is moved to `WORKSPACE/.trash/` rather than erased, so nothing is lost.
    pub fn delete_service(&mut self, service: usize) -> Result<(), StoreError> {
        let dir = self.service_dir(service);
        let rec = &self.services[service];
        let check = |path: &Path, stamp: Option<ContentStamp>| -> Result<(), StoreError> {
            let (_, now) = store::read_text(path)?;
            if Some(now) != stamp {
                return Err(StoreError::Conflict { path: path.to_path_buf() });
            }
            Ok(())
        };
        check(&dir.join("service.json"), rec.stamp)?;
        for e in &rec.evaluations {
            check(&dir.join("evaluations").join(&e.file_name), e.stamp)?;
        }
        let trash = self.root.join(".trash");
        fs::create_dir_all(&trash).map_err(|e| StoreError::Io { path: trash.clone(), error: e })?;
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let target = trash.join(format!("{}-{stamp}", rec.folder));
        fs::rename(&dir, &target).map_err(|e| StoreError::Io { path: dir, error: e })?;
        self.services.remove(service);
        Ok(())
    }

    /// Adds a new evaluation to a service and writes it. Refuses when one with the same date
    /// and type exists (it would be the same file).
    pub fn add_evaluation(&mut self, service: usize, evaluation: Evaluation) -> Result<usize, StoreError> {
        let (record, scale_file) = self.new_evaluation_write(service, evaluation).run()?;
        Ok(self.insert_evaluation(service, record, scale_file))
    }

    /// The use-case "new review" both front ends share: the review of `kind` on `date` for
    /// the service, on the default scale, `planned` when booked for a later day than
    /// `today` and `scoring` otherwise, with the reviewers' names carried over from the
    /// previous review of that type. `None` when the service already has that review (it
    /// would be the same file) or no default scale is installed. Nothing is written yet:
    /// [`NewEvaluationWrite::run`] writes it, off the window's thread.
    pub fn new_review(
        &self,
        service: usize,
        date: NaiveDate,
        kind: EvaluationType,
        today: NaiveDate,
    ) -> Option<NewEvaluationWrite> {
        let scale = self.scales.default_scale()?;
        let rec = self.services.get(service)?;
        if rec.find(date, kind).is_some() {
            return None;
        }
        let mut e = Evaluation::new(scale, &rec.info.name, date, kind);
        e.status = Some(if date > today { ReviewStatus::Planned } else { ReviewStatus::Scoring });
        if let Some(prev) = rec.latest(kind) {
            e.reviewers = prev
                .evaluation
                .reviewers
                .iter()
                .map(|r| ips_domain::evaluation::Reviewer { name: r.name.clone(), ..Default::default() })
                .collect();
        }
        Some(self.new_evaluation_write(service, e))
    }

    /// The write of a new evaluation (and of the scale version's copy it needs), decided in
    /// memory; run it anywhere, then [`Workspace::insert_evaluation`] what it returns.
    pub fn new_evaluation_write(&self, service: usize, mut evaluation: Evaluation) -> NewEvaluationWrite {
        let scale_file = self.scale_version_of(&mut evaluation);
        let file_name = evaluation_file_name(evaluation.date, evaluation.kind);
        let path = self.service_dir(service).join("evaluations").join(&file_name);
        NewEvaluationWrite { path, file_name, evaluation, scale_file }
    }

    /// Puts a new evaluation written by [`NewEvaluationWrite::run`] into memory; returns
    /// its place in the service's list.
    pub fn insert_evaluation(
        &mut self,
        service: usize,
        record: EvaluationRecord,
        scale_file: Option<ScaleFile>,
    ) -> usize {
        self.scale_file_written(scale_file);
        let key = (record.evaluation.date, record.evaluation.kind);
        self.insert_record(service, record);
        self.services[service].find(key.0, key.1).unwrap_or(0)
    }

    /// Inserts a record keeping the service's evaluations in (date, type) order.
    fn insert_record(&mut self, service: usize, record: EvaluationRecord) {
        let evals = &mut self.services[service].evaluations;
        let key = (record.evaluation.date, record.evaluation.kind);
        let at = evals.partition_point(|r| (r.evaluation.date, r.evaluation.kind) < key);
        evals.insert(at, record);
    }

    /// Writes an evaluation after the caller changed it in memory.
    pub fn save_evaluation(&mut self, service: usize, evaluation: usize) -> Result<(), StoreError> {
        let e = self.services[service].evaluations[evaluation].evaluation.clone();
        let write = self.review_write(service, evaluation, e, KeepVersion::SessionStart);
        let scale_file = write.scale_file.clone();
        let (e, result) = write.run();
        let rec = &mut self.services[service].evaluations[evaluation];
        rec.evaluation = e;
        rec.stamp = Some(result?);
        self.scale_file_written(scale_file);
        Ok(())
    }

    /// The write of `e` as review `evaluation` of `service`, to be run here or on a writer
    /// thread ([`ReviewWrite::run`]); nothing is written yet. A review without a scale
    /// version gets the one it is scored on, and that version's file goes into the
    /// workspace first if it is not there ([`Workspace::scale_file_written`] after).
    pub fn review_write(&self, service: usize, evaluation: usize, mut e: Evaluation, keep: KeepVersion) -> ReviewWrite {
        let scale_file = self.scale_version_of(&mut e);
        ReviewWrite {
            path: self.evaluation_path(service, evaluation),
            expected: self.services[service].evaluations[evaluation].stamp,
            evaluation: e,
            keep,
            scale_file,
        }
    }

    /// The rule, once, for a review about to be written: one without `scale_version` (a
    /// hand-written file) gets the version it is scored on, and that version's file is
    /// returned when the workspace does not keep it yet. A version the file names but that
    /// is not known here is left as it is: it may turn up (a colleague's scale file).
    fn scale_version_of(&self, e: &mut Evaluation) -> Option<ScaleFile> {
        let resolved = self.scales.resolve(e).filter(|r| r.missing_version.is_none())?;
        let (id, version) = (resolved.scale.id.clone(), resolved.scale.version.clone());
        if e.scale_version.is_none() {
            e.scale_version = Some(version.clone());
        }
        if self.scales.in_workspace(&id, &version) {
            return None;
        }
        let (scale, json) = (self.scales.get_version(&id, &version)?, self.scales.source_json(&id, &version)?);
        Some(ScaleFile {
            path: self.scale_file_path(scale),
            json: std::sync::Arc::from(json),
            scale: Box::new(scale.clone()),
        })
    }

    /// Notes that a [`ReviewWrite`]'s scale file was written: the version is the
    /// workspace's now.
    pub fn scale_file_written(&mut self, file: Option<ScaleFile>) {
        if let Some(f) = file {
            self.scales.insert_from_workspace(*f.scale, f.json);
        }
    }

    fn scale_file_path(&self, scale: &Scale) -> PathBuf {
        self.root.join("scales").join(format!("{}_{}.json", folder_name(&scale.id), folder_name(&scale.version)))
    }

    /// Resolves a sync service's conflict copy: `result` (the version kept, or the items
    /// taken from each) is saved over the original through the normal checked write, with
    /// its history, and the copy is moved to `conflicts/resolved/<service folder>/`, so
    /// nothing is deleted. Returns where the copy went.
    pub fn resolve_conflict_copy(
        &mut self,
        service: usize,
        copy_file: &str,
        result: Evaluation,
    ) -> Result<PathBuf, StoreError> {
        let svc = &self.services[service];
        let Some(ci) = svc.conflict_copies.iter().position(|c| c.file_name == copy_file) else {
            return Err(StoreError::Conflict { path: self.service_dir(service).join("evaluations").join(copy_file) });
        };
        let original = svc.conflict_copies[ci].original.clone();
        let Some(ei) = svc.evaluation_index(&original) else {
            return Err(StoreError::Conflict { path: self.service_dir(service).join("evaluations").join(original) });
        };
        if self.services[service].evaluations[ei].evaluation != result {
            let previous = std::mem::replace(&mut self.services[service].evaluations[ei].evaluation, result);
            if let Err(e) = self.save_evaluation(service, ei) {
                self.services[service].evaluations[ei].evaluation = previous;
                return Err(e);
            }
        }
        let from = self.service_dir(service).join("evaluations").join(copy_file);
        let to_dir = self.root.join("conflicts").join("resolved").join(&self.services[service].folder);
        store::create_dirs(&to_dir, store::Durability::Sync).map_err(|e| StoreError::io(&to_dir, e))?;
        let mut to = to_dir.join(copy_file);
        let mut n = 1;
        while to.exists() {
            n += 1;
            to = to_dir.join(format!("{n}_{copy_file}"));
        }
        fs::rename(&from, &to).map_err(|e| StoreError::io(&from, e))?;
        self.services[service].conflict_copies.remove(ci);
        self.warnings.retain(|w| w.path != from);
        Ok(to)
    }

    /// Reads one evaluation again from disk (after a conflict: someone else saved it).
    pub fn reload_evaluation(&mut self, service: usize, evaluation: usize) -> Result<(), Vec<FileProblem>> {
        let path = self.evaluation_path(service, evaluation);
        let (e, stamp) = load_evaluation_file(&path, &self.scales)?;
        let rec = &mut self.services[service].evaluations[evaluation];
        rec.evaluation = e;
        rec.stamp = Some(stamp);
        Ok(())
    }

    /// Earlier versions of an evaluation's file, newest first.
    pub fn saved_versions(&self, service: usize, evaluation: usize) -> Vec<PathBuf> {
        store::saved_versions(&self.evaluation_path(service, evaluation))
    }

    /// Makes an earlier version the current one (the current one goes into the history,
    /// so a restore can itself be undone).
    pub fn restore_evaluation(
        &mut self,
        service: usize,
        evaluation: usize,
        version: &Path,
    ) -> Result<(), RestoreError> {
        let (evaluation_data, _) = load_evaluation_file(version, &self.scales).map_err(RestoreError::Invalid)?;
        let rec = &mut self.services[service].evaluations[evaluation];
        let current = std::mem::replace(&mut rec.evaluation, evaluation_data);
        if let Err(e) = self.save_evaluation(service, evaluation) {
            // Not saved: the loaded data stays what is on disk.
            self.services[service].evaluations[evaluation].evaluation = current;
            return Err(RestoreError::Store(e));
        }
        Ok(())
    }

    /// Imports evaluations: new ones are written, identical ones left alone, and ones that
    /// exist with other scores reported as conflicts without writing anything. All files
    /// written are synced to disk before this returns.
    pub fn import(&mut self, evaluations: Vec<Evaluation>) -> Result<Vec<ReviewMerge>, StoreError> {
        let mut merges = Vec::new();
        self.import_into(evaluations, &mut merges).map(|()| merges)
    }

    /// As [`Workspace::import`], with what was written before a write failed left in
    /// `merges`, so the user learns how much is in (a full disk in the middle of 200 rows).
    pub fn import_into(
        &mut self,
        mut evaluations: Vec<Evaluation>,
        merges: &mut Vec<ReviewMerge>,
    ) -> Result<(), StoreError> {
        // Evaluations of services that do not exist yet are written into a hidden staging
        // folder per service, synced, and renamed into place: a whole new service appears at
        // once, and each of its files costs one create instead of a lock, a temporary file
        // and a rename.
        let mut by_new_service: Vec<(ServiceInfo, Vec<Evaluation>)> = Vec::new();
        // Names compared as one service is one name (`name_key`): "IPS  Nordby" is IPS Nordby;
        // looked up, not searched, for each of 60,000 rows.
        let known = |ws: &Workspace| -> std::collections::HashSet<String> {
            ws.services.iter().map(|s| ips_text::text::name_key(&s.info.name)).collect()
        };
        let mut existing = known(self);
        // New services are looked up again and made under the services lock, so two imports
        // at once (two people, two windows) never make one service twice ("-2" twins).
        let mut _services_lock = None;
        let mut unreadable = Vec::new();
        if evaluations.iter().any(|e| !existing.contains(&ips_text::text::name_key(e.service.name()))) {
            _services_lock = Some(self.lock_services()?);
            unreadable = self.take_in_new_services();
            existing = known(self);
        }
        // The scale version each is scored on is kept in the workspace (not for reviews
        // that will not be written: nothing at all is written for those).
        for e in &mut evaluations {
            if !unreadable.iter().any(|u| u.blocks(e.service.name())) {
                self.settle_scale_version(e)?;
            }
        }
        enum Slot {
            New(usize),
            Existing,
            Blocked(ReviewMerge),
        }
        let mut groups_by_name: HashMap<String, usize> = HashMap::new();
        let mut for_existing = Vec::new();
        let mut order = Vec::new();
        for e in evaluations {
            let key = ips_text::text::name_key(e.service.name());
            if existing.contains(&key) {
                order.push(Slot::Existing);
                for_existing.push(e);
            } else if let Some(u) = unreadable.iter().find(|u| u.blocks(e.service.name())) {
                order.push(Slot::Blocked(ReviewMerge::Blocked {
                    path: u.problem.path.clone(),
                    why: u.problem.message.clone(),
                }));
            } else {
                let group = *groups_by_name.entry(key).or_insert_with(|| {
                    by_new_service.push((e.service.info(), Vec::new()));
                    by_new_service.len() - 1
                });
                order.push(Slot::New(group));
                by_new_service[group].1.push(e);
            }
        }
        // File creation waits on the disk, not the processor: stage services on several
        // threads (each writes only its own staging folder).
        let threads = 8.min(by_new_service.len()).max(1);
        let per_thread = by_new_service.len().div_ceil(threads).max(1);
        let mut groups: Vec<Vec<(ServiceInfo, Vec<Evaluation>)>> = Vec::new();
        let mut rest = by_new_service.into_iter().peekable();
        while rest.peek().is_some() {
            groups.push(rest.by_ref().take(per_thread).collect());
        }
        let this = &*self;
        let results: Vec<(Vec<Staged>, Vec<PathBuf>, Option<StoreError>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = groups
                .into_iter()
                .map(|group| {
                    scope.spawn(move || {
                        let (mut staged, mut written) = (Vec::new(), Vec::new());
                        for (info, evals) in group {
                            match this.stage_service(info, evals, &mut written) {
                                Ok(s) => staged.push(s),
                                Err(e) => return (staged, written, Some(e)),
                            }
                        }
                        (staged, written, None)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        (
                            Vec::new(),
                            Vec::new(),
                            Some(StoreError::Io {
                                path: self.root.clone(),
                                error: std::io::Error::other("an import thread failed"),
                            }),
                        )
                    })
                })
                .collect()
        });
        let (mut staged, mut written, mut failure) = (Vec::new(), Vec::new(), None);
        for (s, w, e) in results {
            staged.extend(s);
            written.extend(w);
            failure = failure.or(e);
        }
        // A failed import leaves no staging folder behind: the services staged so far are
        // removed with the one that failed, and nothing of them was in place yet.
        let drop_staged = |staged: &[Staged]| {
            for s in staged {
                let _ = fs::remove_dir_all(&s.staging);
            }
        };
        if let Some(e) = failure {
            drop_staged(&staged);
            return Err(e);
        }
        if let Err(e) = store::sync_paths(&written, &[]) {
            drop_staged(&staged);
            return Err(e);
        }
        let mut new_outcomes = Vec::new();
        let mut staged = staged.into_iter();
        while let Some(stage) = staged.next() {
            match self.commit_staged(stage) {
                Ok(o) => new_outcomes.push(o),
                Err(e) => {
                    drop_staged(&staged.collect::<Vec<_>>());
                    merges.extend(new_outcomes.into_iter().flatten());
                    return Err(e);
                }
            }
        }
        drop(_services_lock);
        let services_dir = Self::services_dir(&self.root);
        let mut dirs = vec![services_dir];
        let mut written = Vec::new();
        let mut existing_outcomes = Vec::new();
        let result = (|| {
            for evaluation in for_existing {
                existing_outcomes.push(self.import_one(evaluation, &mut written)?);
            }
            Ok::<(), StoreError>(())
        })();
        dirs.extend(written.iter().map(|p: &PathBuf| store::folder_of(p).to_path_buf()));
        if written.is_empty() {
            dirs.clear();
        }
        // Whatever was written is made durable, also when the import stopped on an error.
        let synced = store::sync_paths(&written, &dirs);
        if let Err(e) = result.and(synced) {
            merges.extend(new_outcomes.into_iter().flatten());
            merges.extend(existing_outcomes);
            merges.extend(order.into_iter().filter_map(|slot| match slot {
                Slot::Blocked(merge) => Some(merge),
                _ => None,
            }));
            return Err(e);
        }
        // Report in the order the evaluations came.
        let mut new_iters: Vec<std::vec::IntoIter<ReviewMerge>> =
            new_outcomes.into_iter().map(Vec::into_iter).collect();
        let mut existing = existing_outcomes.into_iter();
        merges.extend(order.into_iter().filter_map(|slot| match slot {
            Slot::New(group) => new_iters.get_mut(group).and_then(Iterator::next),
            Slot::Existing => existing.next(),
            Slot::Blocked(merge) => Some(merge),
        }));
        Ok(())
    }

    /// The lock held while services are looked up and created (`WORKSPACE/.services.lock`,
    /// beside `services/`, which holds nothing but service folders): one process at a time,
    /// so a service is made once however many import at once.
    fn lock_services(&self) -> Result<store::WriteLock, StoreError> {
        let services_dir = Self::services_dir(&self.root);
        fs::create_dir_all(&services_dir).map_err(|e| StoreError::io(&services_dir, e))?;
        store::WriteLock::acquire_within(&services_dir, store::SERVICES_LOCK_WAIT)
    }

    /// Under the services lock: takes in the services other programs made since this
    /// workspace was read, and returns the folders whose `service.json` cannot be read
    /// (their names are unknown, so no service may be made that could be one of them).
    fn take_in_new_services(&mut self) -> Vec<UnreadableService> {
        let mut unreadable = Vec::new();
        for dir in service_folders(&Self::services_dir(&self.root)) {
            let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if self.service_index(&folder).is_some() {
                continue;
            }
            match read_service(&dir, &self.scales) {
                (Some(record), _) => self.services.push(record),
                (None, problems) => {
                    let problem = problems
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| FileProblem::new(&dir, ips_text::msg!("core.service_gone")));
                    unreadable.push(UnreadableService { folder, problem });
                }
            }
        }
        unreadable
    }

    /// The service named `info.name`, made if there is none (looked up again under the
    /// services lock). Refused when a folder that may be that service cannot be read.
    pub fn find_or_create_service(&mut self, info: ServiceInfo) -> Result<usize, StoreError> {
        if let Some(i) = self.find_service(&info.name) {
            return Ok(i);
        }
        let _lock = self.lock_services()?;
        let unreadable = self.take_in_new_services();
        if let Some(i) = self.find_service(&info.name) {
            return Ok(i);
        }
        if let Some(u) = unreadable.iter().find(|u| u.blocks(&info.name)) {
            return Err(u.refusal());
        }
        self.create_unlocked(info)
    }

    /// Imports one evaluation into an existing service.
    fn import_one(&mut self, evaluation: Evaluation, written: &mut Vec<PathBuf>) -> Result<ReviewMerge, StoreError> {
        let service = self.find_service(evaluation.service.name()).unwrap_or(0);
        // Compared with the reviews there, which a service in brief reads first (a file it
        // cannot read stays a conflict below: never overwritten).
        let _ = self.ensure_loaded(service);
        let file_name = evaluation_file_name(evaluation.date, evaluation.kind);
        let path = self.service_dir(service).join("evaluations").join(&file_name);
        if let Some(i) = self.services[service].find(evaluation.date, evaluation.kind) {
            let existing = &self.services[service].evaluations[i].evaluation;
            return Ok(if existing.scores == evaluation.scores {
                ReviewMerge::Unchanged { path }
            } else {
                ReviewMerge::Conflict { path }
            });
        }
        if path.exists() {
            // A file that is there but could not be read: never overwrite it.
            return Ok(ReviewMerge::Conflict { path });
        }
        let stamp = store::write_atomic(&path, evaluation.to_json().as_bytes(), None, Durability::Deferred)?;
        written.push(path.clone());
        self.insert_record(service, EvaluationRecord { file_name, evaluation, stamp: Some(stamp) });
        Ok(ReviewMerge::Added { path })
    }

    /// Writes a new service with its evaluations into a hidden staging folder.
    fn stage_service(
        &self,
        mut info: ServiceInfo,
        evaluations: Vec<Evaluation>,
        written: &mut Vec<PathBuf>,
    ) -> Result<Staged, StoreError> {
        info.format_version = FORMAT_VERSION;
        let base = folder_name(&info.name);
        let n = STAGE_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let staging = Self::services_dir(&self.root).join(format!(".new-{base}-{}-{n}", std::process::id()));
        let before = written.len();
        self.stage_into(&staging, &base, info, evaluations, written).map_err(|e| {
            // Nothing half-made stays behind (a full disk), and the error names the file
            // where it was going, not the hidden folder that is gone now.
            let _ = fs::remove_dir_all(&staging);
            written.truncate(before);
            let place = e.path().strip_prefix(&staging).map(|rest| staging.with_file_name(&base).join(rest));
            match place {
                Ok(p) => e.at(p),
                Err(_) => e,
            }
        })
    }

    fn stage_into(
        &self,
        staging: &Path,
        base: &str,
        info: ServiceInfo,
        evaluations: Vec<Evaluation>,
        written: &mut Vec<PathBuf>,
    ) -> Result<Staged, StoreError> {
        let (staging, base) = (staging.to_path_buf(), base.to_string());
        let mut record = ServiceRecord { service: Service { info, ..Service::default() }, ..ServiceRecord::default() };
        let mut outcomes = Vec::new();
        let stamp = store::write_new(&staging.join("service.json"), service_json(&record.info).as_bytes())?;
        written.push(staging.join("service.json"));
        record.stamp = Some(stamp);
        for evaluation in evaluations {
            let file_name = evaluation_file_name(evaluation.date, evaluation.kind);
            if let Some(i) = record.find(evaluation.date, evaluation.kind) {
                let same = record.evaluations[i].evaluation.scores == evaluation.scores;
                outcomes.push((if same { StagedOutcome::Repeated } else { StagedOutcome::Conflict }, file_name));
                continue;
            }
            let path = staging.join("evaluations").join(&file_name);
            let stamp = store::write_new(&path, evaluation.to_json().as_bytes())?;
            written.push(path);
            record.evaluations.push(EvaluationRecord { file_name: file_name.clone(), evaluation, stamp: Some(stamp) });
            outcomes.push((StagedOutcome::Added, file_name));
        }
        record.evaluations.sort_by_key(|r| (r.evaluation.date, r.evaluation.kind));
        Ok(Staged { staging, base, record, outcomes })
    }

    /// Renames a staged service into place under a free folder name.
    fn commit_staged(&mut self, stage: Staged) -> Result<Vec<ReviewMerge>, StoreError> {
        let services_dir = Self::services_dir(&self.root);
        let mut n = 1;
        let folder = loop {
            let folder = if n == 1 { stage.base.clone() } else { format!("{}-{n}", stage.base) };
            let target = services_dir.join(&folder);
            if !target.exists() && fs::rename(&stage.staging, &target).is_ok() {
                break folder;
            }
            n += 1;
            if n > 10_000 {
                let _ = fs::remove_dir_all(&stage.staging);
                return Err(StoreError::Io { path: target, error: std::io::Error::other("no free folder name") });
            }
        };
        let mut record = stage.record;
        record.folder = folder;
        let dir = services_dir.join(&record.folder).join("evaluations");
        let outcomes = stage
            .outcomes
            .into_iter()
            .map(|(outcome, file)| {
                let path = dir.join(&file);
                match outcome {
                    StagedOutcome::Added => ReviewMerge::Added { path },
                    StagedOutcome::Repeated => ReviewMerge::Unchanged { path },
                    StagedOutcome::Conflict => ReviewMerge::Conflict { path },
                }
            })
            .collect();
        self.services.push(record);
        Ok(outcomes)
    }

    /// The scale an evaluation is scored on: the version it records (see [`ScaleSet::resolve`]).
    pub fn scale_of(&self, evaluation: &Evaluation) -> Option<&Scale> {
        self.scales.for_evaluation(evaluation)
    }

    /// Keeps a copy of a scale version in the workspace's `scales/` folder, so reviews scored
    /// on it keep their scores and bands after the program's built-in scale changes. Called
    /// when a review on that version is written; a version already there is left alone.
    pub fn pin_scale_version(&mut self, scale: &Scale) -> Result<(), StoreError> {
        if self.scales.in_workspace(&scale.id, &scale.version) {
            return Ok(());
        }
        let Some(json) = self.scales.source_json(&scale.id, &scale.version) else {
            return Ok(());
        };
        let json = json.to_string();
        self.keep_scale_file(scale.clone(), &json)
    }

    /// Writes a scale version's file into the workspace's `scales/` (unless it is there) and
    /// adds it to the set, as read from the workspace.
    pub fn keep_scale_file(&mut self, scale: Scale, json: &str) -> Result<(), StoreError> {
        write_scale_file(&self.scale_file_path(&scale), json)?;
        self.scales.insert_from_workspace(scale, std::sync::Arc::from(json));
        Ok(())
    }

    /// Keeps a scale version a package carried in `scales/carried/`: the package's reviews
    /// that name it are scored on it, new reviews are not until it is adopted
    /// ([`Workspace::adopt_scale`]).
    pub fn keep_carried_scale(&mut self, scale: Scale, json: &str) -> Result<(), StoreError> {
        let path = self.carried_scale_path(&scale);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        }
        write_scale_file(&path, json)?;
        self.scales.insert_carried(scale, std::sync::Arc::from(json));
        Ok(())
    }

    fn carried_scale_path(&self, scale: &Scale) -> PathBuf {
        let own = self.scale_file_path(scale);
        let name = own.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
        self.root.join("scales").join(CARRIED_SCALES_DIR).join(name)
    }

    /// Adopts a carried scale version: from now on new reviews of that scale are scored on
    /// it (when it is the newest). Its file moves from `scales/carried/` into `scales/`.
    /// Returns what changes against the version new reviews were scored on until now.
    pub fn adopt_scale(&mut self, id: &str, version: &str, lang: Lang) -> Result<Adoption, StoreError> {
        let Some(scale) = self.scales.get_version(id, version).cloned() else {
            let known = self.scales.all().iter().map(|s| format!("{} {}", s.id, s.version)).collect();
            return Ok(Adoption::Unknown { known });
        };
        if self.scales.is_adopted(id, version) {
            return Ok(Adoption::AlreadyAdopted);
        }
        let changes = match self.scales.get(id) {
            Some(current) => ips_domain::scale_change::changes(current, &scale, lang),
            None => Vec::new(),
        };
        let json = self.scales.source_json(id, version).unwrap_or_default().to_string();
        write_scale_file(&self.scale_file_path(&scale), &json)?;
        // The carried copy goes once the adopted one is safely there (a copy left behind
        // by a failed removal is harmless: the adopted file wins).
        let _ = fs::remove_file(self.carried_scale_path(&scale));
        self.scales.adopt(id, version);
        Ok(Adoption::Adopted { changes })
    }

    /// Before an evaluation is written: one without `scale_version` (a hand-written file)
    /// gets the version it is scored on, and that version is kept in the workspace.
    fn settle_scale_version(&mut self, evaluation: &mut Evaluation) -> Result<(), StoreError> {
        let file = self.scale_version_of(evaluation);
        if let Some(f) = &file {
            write_scale_file(&f.path, &f.json)?;
        }
        self.scale_file_written(file);
        Ok(())
    }

    /// Every service as the summary reads it, with the facts computed for each
    /// (`facts[i]` for `services[i]`): a service held in brief brings its brief.
    fn summary_services<'a>(&'a self, facts: &'a [Vec<ReviewFacts>]) -> Vec<SummaryService<'a>> {
        self.services
            .iter()
            .zip(facts)
            .map(|(rec, facts)| SummaryService {
                service: &rec.service,
                facts,
                brief: rec.brief.as_deref().map(|b| (&b.summary, b.overview.schedule.as_ref())),
            })
            .collect()
    }

    /// The summary of `selection` on the scale `scale` ([`ips_domain::summary::summarize`]),
    /// its facts computed from the services as read. The one way the CLI, the exports and
    /// the app make it (the app passes the facts it keeps: [`Workspace::summary_with`]).
    pub fn summary(
        &self,
        scale: &str,
        selection: &ips_domain::summary::Selection,
        lang: Lang,
        today: NaiveDate,
    ) -> Option<ips_domain::summary::Summary> {
        let facts: Vec<_> = self.services.iter().map(|s| ips_domain::history::review_facts(s, &self.scales)).collect();
        self.summary_with(&facts, scale, selection, lang, today)
    }

    /// [`Workspace::summary`] with each service's facts already computed (in the order of
    /// [`Workspace::services`]).
    pub fn summary_with(
        &self,
        facts: &[Vec<ReviewFacts>],
        scale: &str,
        selection: &ips_domain::summary::Selection,
        lang: Lang,
        today: NaiveDate,
    ) -> Option<ips_domain::summary::Summary> {
        ips_domain::summary::summarize(&self.summary_services(facts), &self.scales, scale, selection, lang, today)
    }

    /// The regions in use ([`ips_domain::summary::regions`]).
    pub fn regions(&self) -> Vec<String> {
        ips_domain::summary::regions(self.services.iter().map(|rec| &rec.service))
    }

    /// Every evaluation of every service, in (service, date) order.
    pub fn all_evaluations(&self) -> impl Iterator<Item = (&ServiceRecord, &EvaluationRecord)> {
        self.services.iter().flat_map(|s| s.evaluations.iter().map(move |e| (s, e)))
    }
}

/// The reviews of `svc` (in `services_dir`) whose recorded scale version is not known here.
fn missing_versions_of(services_dir: &Path, svc: &ServiceRecord, scales: &ScaleSet) -> Vec<FileProblem> {
    let mut out = Vec::new();
    for rec in &svc.evaluations {
        if let Some(r) = scales.resolve(&rec.evaluation)
            && let Some(missing) = r.missing_version
        {
            out.push(FileProblem::new(
                services_dir.join(&svc.folder).join("evaluations").join(&rec.file_name),
                ips_text::msg!(
                    "core.scale_version_missing",
                    missing = missing,
                    scale = r.scale.id,
                    version = r.scale.version
                ),
            ));
        }
    }
    out
}

/// One note per sync conflict copy of `svc`'s reviews.
fn conflict_notes_of(services_dir: &Path, svc: &ServiceRecord) -> Vec<FileProblem> {
    svc.conflict_copies
        .iter()
        .map(|c| {
            FileProblem::new(
                services_dir.join(&svc.folder).join("evaluations").join(&c.file_name),
                match c.made_by {
                    crate::synced::SyncService::FileCopy => ips_text::msg!("core.file_copy", original = c.original),
                    _ => ips_text::msg!("core.conflict_copy", service = c.made_by.name(), original = c.original),
                },
            )
        })
        .collect()
}

/// Writes a scale version's file into a workspace unless it is there.
fn write_scale_file(path: &Path, json: &str) -> Result<(), StoreError> {
    if path.exists() {
        return Ok(());
    }
    match store::write_atomic(path, json.as_bytes(), None, Durability::Sync) {
        Ok(_) => Ok(()),
        // A colleague pinned the same version a moment before: the same file is there.
        Err(StoreError::Conflict { .. }) if store::read_text(path).is_ok_and(|(text, _)| text == json) => Ok(()),
        Err(e) => Err(e),
    }
}

/// What [`Workspace::adopt_scale`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Adoption {
    /// New reviews are scored on it from now on; what changed against the one before.
    Adopted { changes: Vec<ips_domain::scale_change::ScaleChange> },
    /// It was already a version new reviews may use (built in, or in `scales/`).
    AlreadyAdopted,
    /// No such version here; the versions that are.
    Unknown { known: Vec<String> },
}

/// One of a service's own files beside its reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SideFile {
    /// `service.json`: the service's details.
    Service,
    /// `outcomes.json`: outcome figures per quarter.
    Outcomes,
    /// `meetings.json`: the styringsgruppe's meetings.
    Meetings,
}

impl SideFile {
    pub fn file_name(self) -> &'static str {
        match self {
            SideFile::Service => "service.json",
            SideFile::Outcomes => OUTCOMES_FILE,
            SideFile::Meetings => MEETINGS_FILE,
        }
    }
}

/// One write of a service's own file, complete: the check that nobody else changed it
/// since it was read, the history, and the durable, atomic write.
#[derive(Debug, Clone)]
pub struct FileWrite {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// The stamp of the content it was read from (`None`: a new file).
    pub expected: Option<ContentStamp>,
    pub keep: KeepVersion,
}

impl FileWrite {
    pub fn run(self) -> Result<ContentStamp, StoreError> {
        // Temporary files a crashed writer left in the service's folder go now, when the
        // folder is written to anyway (an open only reads: it lists no more than it must).
        store::clean_scratch(store::folder_of(&self.path));
        store::write_versioned(&self.path, &self.bytes, self.expected, self.keep)
    }
}

/// A new evaluation's file to write (see [`Workspace::new_review`]).
#[derive(Debug, Clone)]
pub struct NewEvaluationWrite {
    path: PathBuf,
    pub file_name: String,
    pub evaluation: Evaluation,
    scale_file: Option<ScaleFile>,
}

impl NewEvaluationWrite {
    /// Writes the scale version's copy (if the workspace has none) and the review, durably
    /// and atomically; refuses to replace a file that is there already.
    pub fn run(self) -> Result<(EvaluationRecord, Option<ScaleFile>), StoreError> {
        if let Some(f) = &self.scale_file {
            write_scale_file(&f.path, &f.json)?;
        }
        if self.path.exists() {
            return Err(StoreError::Conflict { path: self.path });
        }
        let stamp = store::write_atomic(&self.path, self.evaluation.to_json().as_bytes(), None, Durability::Sync)?;
        let record = EvaluationRecord { file_name: self.file_name, evaluation: self.evaluation, stamp: Some(stamp) };
        Ok((record, self.scale_file))
    }
}

/// A scale version's file a review write puts into the workspace first.
#[derive(Debug, Clone)]
pub struct ScaleFile {
    pub path: PathBuf,
    pub json: std::sync::Arc<str>,
    pub scale: Box<Scale>,
}

/// One review write, complete: the lifecycle's rules against the file on disk (a final
/// review is locked; the audit trail only grows), the history, and the checked, durable,
/// atomic write. Every path that writes a review goes through it; the app runs it on its
/// writer thread, so a slow share never holds up the window.
#[derive(Debug, Clone)]
pub struct ReviewWrite {
    pub path: PathBuf,
    pub evaluation: Evaluation,
    /// The stamp of the content this review was read from (`None`: a new file).
    pub expected: Option<ContentStamp>,
    pub keep: KeepVersion,
    /// The scale version's file, when the workspace does not have it yet.
    pub scale_file: Option<ScaleFile>,
}

impl ReviewWrite {
    /// Runs the write. Returns the review as written (its audit trail may have grown)
    /// with the new stamp, or with why nothing was written.
    pub fn run(self) -> (Evaluation, Result<ContentStamp, StoreError>) {
        let ReviewWrite { path, mut evaluation, expected, keep, scale_file } = self;
        if let Some(f) = &scale_file
            && let Err(e) = write_scale_file(&f.path, &f.json)
        {
            return (evaluation, Err(e));
        }
        if let Err(e) = check_against_disk(&path, &mut evaluation) {
            return (evaluation, Err(e));
        }
        let result = store::write_versioned(&path, evaluation.to_json().as_bytes(), expected, keep);
        (evaluation, result)
    }
}

/// What a [`scan`] found besides the services it handed over.
#[derive(Debug)]
pub struct Scan {
    pub scales: ScaleSet,
    pub problems: Vec<FileProblem>,
    pub warnings: Vec<FileProblem>,
    /// As [`Workspace::unreachable`]: nothing was visited.
    pub unreachable: Option<FileProblem>,
}

/// How many services a [`scan`] loads at once: enough to keep every core busy, few enough
/// that a pass over 60,000 reviews holds a few megabytes.
const SCAN_BATCH: usize = 64;

/// Visits every service of the workspace at `root` once, fully loaded, in the order
/// [`Workspace::load`] gives them (by name), holding one batch of services in memory at a
/// time rather than the whole workspace: for passes over everything, such as an export.
/// Stops at the first error `visit` returns.
pub fn scan<E>(root: &Path, visit: impl FnMut(&ScaleSet, ServiceRecord) -> Result<(), E>) -> Result<Scan, E> {
    scan_with(root, None, visit)
}

/// [`scan`] through the local index ([`crate::index`]).
pub fn scan_with<E>(
    root: &Path,
    index: Option<&crate::index::WorkspaceIndex>,
    mut visit: impl FnMut(&ScaleSet, ServiceRecord) -> Result<(), E>,
) -> Result<Scan, E> {
    let (mut scales, builtin_errors) = ScaleSet::builtin();
    let mut problems: Vec<FileProblem> =
        builtin_errors.iter().flat_map(|e| FileProblem::from_data(&PathBuf::from(&e.file), e.clone())).collect();
    problems.extend(load_workspace_scales(&mut scales, root));
    let services_dir = Workspace::services_dir(root);
    if let Some(e) = unreachable_problem(root, &services_dir) {
        return Ok(Scan { scales, problems, warnings: Vec::new(), unreachable: Some(e) });
    }
    // Names first (one small file per service), so the services come in the same order
    // as in the app and in a full load.
    // A service whose `service.json` cannot be read is left out, and said (never silently).
    let mut folders: Vec<(String, PathBuf)> = Vec::new();
    // Through the index a shard at a time: the names need only each `service.json`.
    let mut by_shard: std::collections::BTreeMap<Option<usize>, Vec<(String, PathBuf)>> = Default::default();
    for dir in service_folders(&services_dir) {
        let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let shard = index.map(|_| crate::index::WorkspaceIndex::shard_of(&folder));
        by_shard.entry(shard).or_default().push((folder, dir));
    }
    for (shard, dirs) in by_shard {
        let shard = shard.zip(index).map(|(i, index)| index.open_shard(i));
        for (folder, dir) in dirs {
            let service_index = shard.as_ref().map(|s| s.service(&folder));
            let texts = service_index.as_ref().map_or(Texts::Files, Texts::Indexed);
            match load_service_file_from(&dir.join("service.json"), &texts) {
                Ok((info, _)) => folders.push((ips_text::text::sort_key(&info.name), dir)),
                Err(p) => problems.extend(p),
            }
        }
    }
    folders.sort();
    let mut warnings = Vec::new();
    for batch in folders.chunks(SCAN_BATCH) {
        let dirs: Vec<PathBuf> = batch.iter().map(|(_, d)| d.clone()).collect();
        let (loaded, batch_problems, batch_warnings) =
            load_service_dirs(&dirs, &scales, &services_dir, LoadMode { index, once: true, ..LoadMode::default() });
        problems.extend(batch_problems);
        warnings.extend(batch_warnings);
        for svc in loaded {
            visit(&scales, svc)?;
        }
    }
    Ok(Scan { scales, problems, warnings, unreachable: None })
}

/// What a look at the workspace's folder found changed since its services were read.
#[derive(Debug, Default)]
pub struct DiskChanges {
    /// Services read again (in brief on the day given) because a file of theirs is new,
    /// changed or gone by its metadata, and services new on disk. Whether their content
    /// differs is for the caller to compare ([`ServiceRecord::differs_from`]).
    pub read: Vec<ServiceRecord>,
    /// Folders of services no longer on disk.
    pub gone: Vec<String>,
    /// Files that could not be read meanwhile.
    pub problems: Vec<FileProblem>,
}

/// Looks at the workspace's folder for what changed since `known` (each service's folder and
/// the metadata its files had when read): one listing of the services folder and of each
/// service's reviews, one look at each file's metadata, and reads (through the index) only
/// the services where something differs. What a colleague's program added, changed or
/// removed shows without reading every file again.
pub fn look_for_changes(
    root: &Path,
    scales: &ScaleSet,
    known: &[(String, Option<std::collections::BTreeMap<String, crate::index::FileMeta>>)],
    today: NaiveDate,
    index: Option<&crate::index::WorkspaceIndex>,
) -> DiskChanges {
    let services_dir = Workspace::services_dir(root);
    let mut changes = DiskChanges::default();
    if unreachable_problem(root, &services_dir).is_some() {
        return changes;
    }
    let on_disk = service_folders(&services_dir);
    let names: std::collections::HashSet<String> =
        on_disk.iter().filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
    changes.gone = known.iter().filter(|(f, _)| !names.contains(f)).map(|(f, _)| f.clone()).collect();
    let known: HashMap<&str, &Option<std::collections::BTreeMap<String, crate::index::FileMeta>>> =
        known.iter().map(|(f, d)| (f.as_str(), d)).collect();
    let to_read: Vec<PathBuf> = on_disk
        .into_iter()
        .filter(|dir| {
            let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match known.get(folder.as_str()) {
                None => true,
                Some(Some(seen)) => disk_now(dir).as_ref() != Some(seen),
                Some(None) => true,
            }
        })
        .collect();
    if to_read.is_empty() {
        return changes;
    }
    let mode = LoadMode { brief_on: Some(today), index, ..LoadMode::default() };
    let (read, problems, _) = load_service_dirs(&to_read, scales, &services_dir, mode);
    changes.read = read;
    changes.problems = problems;
    changes
}

/// The metadata of a service folder's files now, named as the index names them; `None` when
/// the folder cannot be listed (then it is read again).
fn disk_now(dir: &Path) -> Option<std::collections::BTreeMap<String, crate::index::FileMeta>> {
    let mut out = std::collections::BTreeMap::new();
    for side in ["service.json", OUTCOMES_FILE, MEETINGS_FILE] {
        if let Some(meta) = crate::index::metadata_of(&dir.join(side)).ok()? {
            out.insert(side.to_string(), meta);
        }
    }
    for path in json_files(&dir.join("evaluations")).ok()? {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(meta) = crate::index::metadata_of(&path).ok()? {
            out.insert(format!("evaluations/{name}"), meta);
        }
    }
    Some(out)
}

/// Why the workspace's folder cannot be read, if it cannot: a share that dropped, a folder
/// that is a file. A folder that does not exist yet is fine (an empty workspace).
fn unreachable_problem(root: &Path, services_dir: &Path) -> Option<FileProblem> {
    match fs::metadata(root) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Some(FileProblem::from_store(&StoreError::io(root, e))),
        _ => match fs::read_dir(services_dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                Some(FileProblem::from_store(&StoreError::io(services_dir, e)))
            }
            _ => None,
        },
    }
}

/// The service folders in `services_dir`, sorted by folder name.
fn service_folders(services_dir: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = fs::read_dir(services_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    folders.sort();
    folders
}

/// How a workspace's services are read: whole, or each kept in brief (with the day the
/// overview is for), counting services read into `progress` as it goes.
#[derive(Clone, Copy, Default)]
pub struct LoadMode<'a> {
    pub brief_on: Option<NaiveDate>,
    pub progress: Option<&'a std::sync::atomic::AtomicUsize>,
    /// Files unchanged since the local index saw them are read from it ([`crate::index`]).
    pub index: Option<&'a crate::index::WorkspaceIndex>,
    /// Each service's overview row as soon as it is read (in brief), for a window that
    /// shows the overview filling in while a large workspace is read.
    pub rows: Option<&'a std::sync::Mutex<Vec<ips_domain::trends::ServiceOverview>>>,
    /// The workspace is read once, by a command that then exits: no file's metadata is
    /// kept for a later look at the folder ([`crate::index::Shard::once`]).
    pub once: bool,
}

/// Loads service folders on all cores (reading and parsing thousands of files is most of
/// an export or of opening the app), in the order given, with each one's warnings.
fn load_service_dirs(
    folders: &[PathBuf],
    scales: &ScaleSet,
    services_dir: &Path,
    mode: LoadMode<'_>,
) -> (Vec<ServiceRecord>, Vec<FileProblem>, Vec<FileProblem>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    // The work in parts, each with its folders' places in `folders`: through the index, one
    // part per shard (a thread reads one shard, its services, and writes it back when
    // something changed: a load holds one shard per thread); else even chunks.
    // (the shard, if any; each folder with its place in `folders`)
    type Work<'f> = (Option<usize>, Vec<(usize, &'f PathBuf)>);
    let mut parts: Vec<Work<'_>> = Vec::new();
    match mode.index {
        Some(_) => {
            let mut by_shard: std::collections::BTreeMap<usize, Vec<(usize, &PathBuf)>> = Default::default();
            for (at, dir) in folders.iter().enumerate() {
                let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                by_shard.entry(crate::index::WorkspaceIndex::shard_of(&folder)).or_default().push((at, dir));
            }
            parts.extend(by_shard.into_iter().map(|(i, dirs)| (Some(i), dirs)));
        }
        None => {
            let chunk = folders.len().div_ceil(threads).max(1);
            let all: Vec<(usize, &PathBuf)> = folders.iter().enumerate().collect();
            parts.extend(all.chunks(chunk).map(|c| (None, c.to_vec())));
        }
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    type Part = (Vec<(usize, ServiceRecord)>, Vec<FileProblem>, Vec<FileProblem>);
    let loaded: Vec<Part> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.min(parts.len()).max(1))
            .map(|_| {
                let (parts, next) = (&parts, &next);
                scope.spawn(move || {
                    let (mut services, mut problems, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
                    while let Some((shard, dirs)) = parts.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                        let shard = shard.zip(mode.index).map(|(i, index)| {
                            let shard = index.open_shard(i);
                            if mode.once { shard.once() } else { shard }
                        });
                        for &(at, dir) in dirs {
                            if let Some(s) = load_service_dir(dir, scales, &mut problems, shard.as_ref()) {
                                warnings.extend(missing_versions_of(services_dir, &s, scales));
                                warnings.extend(conflict_notes_of(services_dir, &s));
                                let s = match mode.brief_on {
                                    Some(today) => s.into_brief(scales, today),
                                    None => s,
                                };
                                if let (Some(rows), Some(brief)) = (mode.rows, &s.brief)
                                    && let Ok(mut rows) = rows.lock()
                                {
                                    rows.push(brief.overview.clone());
                                }
                                services.push((at, s));
                            }
                            if let Some(p) = mode.progress {
                                p.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                        }
                        if let Some(shard) = shard {
                            shard.finish();
                        }
                    }
                    (services, problems, warnings)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let (mut services, mut problems, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    for (s, p, w) in loaded {
        services.extend(s);
        problems.extend(p);
        warnings.extend(w);
    }
    // In the order given (the scan's batches are in name order).
    services.sort_by_key(|(at, _)| *at);
    (services.into_iter().map(|(_, s)| s).collect(), problems, warnings)
}

/// Loads one service folder; its bad files go to `problems`.
/// Reads the service in `dir` whole (a service held in brief, opened): the part of
/// [`Workspace::ensure_loaded`] that touches the disk, for a thread of its own.
pub fn read_service(dir: &Path, scales: &ScaleSet) -> (Option<ServiceRecord>, Vec<FileProblem>) {
    let mut problems = Vec::new();
    let read = load_service_dir(dir, scales, &mut problems, None);
    if read.is_none() && problems.is_empty() {
        problems.push(FileProblem::new(dir, ips_text::msg!("core.service_gone")));
    }
    (read, problems)
}

fn load_service_dir(
    dir: &Path,
    scales: &ScaleSet,
    problems: &mut Vec<FileProblem>,
    shard: Option<&crate::index::Shard>,
) -> Option<ServiceRecord> {
    let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if folder.starts_with('.') {
        return None;
    }
    let service_index = shard.map(|i| i.service(&folder));
    let texts = match &service_index {
        Some(i) => Texts::Indexed(i),
        None => Texts::Files,
    };
    let mut read = load_service_dir_from(dir, folder, scales, problems, &texts);
    if let Some(i) = service_index {
        if let Some(r) = &mut read {
            r.disk = i.disk_state();
        }
        i.save();
    }
    read
}

fn load_service_dir_from(
    dir: &Path,
    folder: String,
    scales: &ScaleSet,
    problems: &mut Vec<FileProblem>,
    texts: &Texts<'_>,
) -> Option<ServiceRecord> {
    let (info, stamp) = match load_service_file_from(&dir.join("service.json"), texts) {
        Ok(x) => x,
        Err(p) => {
            problems.extend(p);
            return None;
        }
    };
    let eval_dir = dir.join("evaluations");
    let mut evaluations = Vec::new();
    let mut conflict_copies = Vec::new();
    let files = match json_files_listed(&eval_dir) {
        Ok(files) => files,
        Err(e) => {
            // Not listed is not empty: the service is left out, and said why.
            problems.push(FileProblem::new(&eval_dir, ips_text::msg!("core.cannot_list", error = e)));
            return None;
        }
    };
    if let Texts::Indexed(index) = texts {
        for (path, meta) in &files {
            if let (Some(meta), Some(name)) = (meta, path.file_name()) {
                index.note_listed(&format!("evaluations/{}", name.to_string_lossy()), *meta);
            }
        }
    }
    let files: Vec<PathBuf> = files.into_iter().map(|(p, _)| p).collect();
    let names: Vec<String> =
        files.iter().map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).collect();
    for (path, name) in files.iter().zip(&names) {
        // A copy is one only beside its original: alone, it is the review.
        let copy_of = crate::synced::conflict_copy_of(name, |n| {
            parse_evaluation_file_name(n).is_some() && names.iter().any(|m| m == n)
        });
        let in_folder = format!("evaluations/{name}");
        if let Some((original, made_by)) = copy_of {
            let loaded = load_evaluation_from(path, &in_folder, scales, texts);
            conflict_copies.push(ConflictCopy {
                file_name: name.clone(),
                original,
                made_by,
                stamp: loaded.as_ref().ok().map(|(_, s)| *s),
                evaluation: loaded.map(|(e, _)| e),
            });
            continue;
        }
        let path = path.clone();
        match load_evaluation_from(&path, &in_folder, scales, texts) {
            Ok((evaluation, stamp)) => evaluations.push(EvaluationRecord {
                file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                evaluation,
                stamp: Some(stamp),
            }),
            Err(ps) => problems.extend(ps),
        }
    }
    evaluations.sort_by_key(|a| (a.evaluation.date, a.evaluation.kind));
    set_apart_second_files(&mut evaluations, &mut conflict_copies);
    let review_files = evaluations
        .iter()
        .map(|r| ReviewFile {
            file_name: r.file_name.clone(),
            date: r.evaluation.date,
            stamp: r.stamp,
            by: r.evaluation.audit.last().map(|a| a.by.clone()).unwrap_or_default(),
        })
        .collect();
    let mut record = ServiceRecord {
        service: Service { folder, info, evaluations, ..Service::default() },
        stamp: Some(stamp),
        conflict_copies,
        review_files,
        ..Default::default()
    };
    // A file that cannot be read keeps no stamp: saving then refuses to replace it.
    if let Some((f, stamp)) = load_side_file_from(&dir.join(OUTCOMES_FILE), OutcomesFile::from_json, problems, texts) {
        record.outcomes = f.quarters;
        record.outcomes_stamp = Some(stamp);
    }
    if let Some((f, stamp)) = load_side_file_from(&dir.join(MEETINGS_FILE), MeetingsFile::from_json, problems, texts) {
        record.meetings = f.meetings;
        record.meetings_stamp = Some(stamp);
    }
    Some(record)
}

/// Two files that hold a review of the same date and type (a copy under a name no pattern
/// knows, `IPS review.json` beside `2026-04-21_independent.json`) are one review and a copy,
/// never two reviews: the file with the review's own name is the review (else the first
/// by name), and the others are listed as copies to compare, never counted.
fn set_apart_second_files(evaluations: &mut Vec<EvaluationRecord>, copies: &mut Vec<ConflictCopy>) {
    let mut i = 0;
    while i < evaluations.len() {
        let key = (evaluations[i].evaluation.date, evaluations[i].evaluation.kind);
        let same: Vec<usize> = (i..evaluations.len())
            .take_while(|&j| (evaluations[j].evaluation.date, evaluations[j].evaluation.kind) == key)
            .collect();
        if same.len() < 2 {
            i += 1;
            continue;
        }
        let own = evaluation_file_name(key.0, key.1);
        let keep = same
            .iter()
            .copied()
            .find(|&j| evaluations[j].file_name == own)
            .or_else(|| same.iter().copied().min_by(|&a, &b| evaluations[a].file_name.cmp(&evaluations[b].file_name)))
            .unwrap_or(i);
        let original = evaluations[keep].file_name.clone();
        for &j in same.iter().rev() {
            if j != keep {
                let r = evaluations.remove(j);
                copies.push(ConflictCopy {
                    file_name: r.file_name,
                    original: original.clone(),
                    made_by: crate::synced::SyncService::FileCopy,
                    evaluation: Ok(r.evaluation),
                    stamp: r.stamp,
                });
            }
        }
        i += 1;
    }
}

/// The service's outcome figures and meeting files, beside `service.json`.
pub const OUTCOMES_FILE: &str = "outcomes.json";
pub const MEETINGS_FILE: &str = "meetings.json";

/// Reads an optional file of a service; a missing one is `None` without a problem.
fn load_side_file<T>(
    path: &Path,
    parse: fn(&str, &str) -> Result<T, DataFileError>,
    problems: &mut Vec<FileProblem>,
) -> Option<(T, ContentStamp)> {
    load_side_file_from(path, parse, problems, &Texts::Files)
}

fn load_side_file_from<T>(
    path: &Path,
    parse: fn(&str, &str) -> Result<T, DataFileError>,
    problems: &mut Vec<FileProblem>,
    texts: &Texts<'_>,
) -> Option<(T, ContentStamp)> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (text, stamp) = match texts.read(path, &name) {
        Ok(Some(x)) => x,
        Ok(None) => return None,
        Err(e) => {
            problems.push(FileProblem::from_store(&e));
            return None;
        }
    };
    match parse(&path.display().to_string(), &text) {
        Ok(v) => Some((v, stamp)),
        Err(e) => {
            problems.extend(FileProblem::from_data(path, e));
            None
        }
    }
}

/// The lifecycle's rules for writing `e` over the review on disk (a final review is locked;
/// the audit trail only grows). A file that cannot be read is left to the write's own
/// check, which refuses to replace what it did not read.
fn check_against_disk(path: &Path, e: &mut Evaluation) -> Result<(), StoreError> {
    let Ok((text, _)) = store::read_text(path) else {
        return Ok(());
    };
    let Ok(old) = Evaluation::from_json(&path.display().to_string(), &text) else {
        return Ok(());
    };
    ips_domain::lifecycle::check_write(&old, e, &crate::store::signature_now())
        .map_err(|reason| StoreError::Refused { path: path.to_path_buf(), reason })
}

fn service_json(info: &ServiceInfo) -> String {
    serde_json::to_string_pretty(info).unwrap_or_else(|_| "{}".to_string()) + "\n"
}

/// Where a load reads a file's text: the file itself, or the local index when the file is
/// unchanged since the index saw it ([`crate::index`]).
enum Texts<'a> {
    Files,
    Indexed(&'a crate::index::ServiceIndex<'a>),
}

impl Texts<'_> {
    /// The text of `path` (`name`: its path inside the service folder) and its stamp;
    /// `Ok(None)` when it is not there.
    fn read(&self, path: &Path, name: &str) -> Result<Option<(std::sync::Arc<String>, ContentStamp)>, StoreError> {
        match self {
            Texts::Files => match store::read_text(path) {
                Ok((text, stamp)) => Ok(Some((std::sync::Arc::new(text), stamp))),
                Err(StoreError::Io { error, .. }) if error.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            Texts::Indexed(index) => index.read(path, name),
        }
    }

    /// As `read`, with a file that is not there an error (it was listed a moment ago).
    fn read_listed(&self, path: &Path, name: &str) -> Result<(std::sync::Arc<String>, ContentStamp), StoreError> {
        let read = match self {
            Texts::Files => self.read(path, name)?,
            Texts::Indexed(index) => index.read_listed(path, name)?,
        };
        read.ok_or_else(|| StoreError::io(path, io::Error::from(io::ErrorKind::NotFound)))
    }
}

fn load_service_file(path: &Path) -> Result<(ServiceInfo, ContentStamp), Vec<FileProblem>> {
    load_service_file_from(path, &Texts::Files)
}

fn load_service_file_from(path: &Path, texts: &Texts<'_>) -> Result<(ServiceInfo, ContentStamp), Vec<FileProblem>> {
    let (text, stamp) = texts.read_listed(path, "service.json").map_err(|e| vec![FileProblem::from_store(&e)])?;
    let name = path.display().to_string();
    let info: ServiceInfo = parse_json(&name, &text).map_err(|e| FileProblem::from_data(path, e))?;
    if info.format_version > FORMAT_VERSION || info.format_version == 0 {
        let m = ips_text::msg!("core.format_version", found = info.format_version, supported = FORMAT_VERSION);
        return Err(vec![FileProblem::new(path, m)]);
    }
    if info.name.trim().is_empty() {
        return Err(vec![FileProblem::new(path, ips_text::msg!("core.service_no_name"))]);
    }
    Ok((info, stamp))
}

/// Reads, parses and checks an evaluation file against its scale.
pub fn load_evaluation_file(path: &Path, scales: &ScaleSet) -> Result<(Evaluation, ContentStamp), Vec<FileProblem>> {
    load_evaluation_from(path, "", scales, &Texts::Files)
}

fn load_evaluation_from(
    path: &Path,
    name: &str,
    scales: &ScaleSet,
    texts: &Texts<'_>,
) -> Result<(Evaluation, ContentStamp), Vec<FileProblem>> {
    let (text, stamp) = texts.read_listed(path, name).map_err(|e| vec![FileProblem::from_store(&e)])?;
    let name = path.display().to_string();
    let evaluation = Evaluation::from_json(&name, &text).map_err(|e| FileProblem::from_data(path, e))?;
    let Some(scale) = scales.for_evaluation(&evaluation) else {
        let m = ips_text::msg!("core.unknown_scale", scale = evaluation.scale);
        return Err(vec![FileProblem { path: path.to_path_buf(), location: "scale".into(), message: m }]);
    };
    let issues = evaluation.check(scale);
    if !issues.is_empty() {
        return Err(FileProblem::from_data(path, DataFileError { file: name, problems: issues }));
    }
    Ok((evaluation, stamp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_safe() {
        assert_eq!(folder_name("IPS Bodø"), "ips-bodo");
        assert_eq!(folder_name("Årstad / Fana"), "arstad-fana");
        assert_eq!(folder_name("../../etc/passwd"), "etc-passwd");
        assert_eq!(folder_name("C:\\Windows"), "c-windows");
        assert_eq!(folder_name("CON"), "con-tjeneste");
        assert_eq!(folder_name("..."), "tjeneste");
        assert_eq!(folder_name("\u{202e}gnp.exe"), "gnp-exe");
        assert!(folder_name(&"x".repeat(500)).len() <= 60);
    }

    #[test]
    fn builtin_scales_are_valid() {
        let (set, errors) = ScaleSet::builtin();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(set.all().len(), ips_domain::service::BUILTIN_SCALES.len());
        assert!(set.get("ips-25").is_some());
    }

    #[test]
    fn create_save_reload_and_conflict() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut ws = Workspace::load(dir.path());
        assert!(ws.problems.is_empty(), "{:?}", ws.problems);
        let i = ws.create_service(ServiceInfo::named("IPS Ørland")).unwrap_or_else(|e| panic!("{e}"));
        let j = ws.create_service(ServiceInfo::named("IPS Orland")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ws.services[i].folder, "ips-orland");
        assert_eq!(ws.services[j].folder, "ips-orland-2");
        let scale = ws.scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let date = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
        let mut e = Evaluation::new(&scale, "IPS Ørland", date, EvaluationType::Independent);
        e.scores.insert("B1".into(), 4);
        ws.add_evaluation(i, e.clone()).unwrap_or_else(|err| panic!("{err}"));
        assert!(ws.add_evaluation(i, e).is_err(), "same date and type twice");

        // A second process loads the same workspace and saves first.
        let mut other = Workspace::load(dir.path());
        let oi = other.find_service("IPS Ørland").unwrap_or_else(|| panic!("service"));
        other.services[oi].evaluations[0].evaluation.scores.insert("B2".into(), 3);
        other.save_evaluation(oi, 0).unwrap_or_else(|err| panic!("{err}"));

        ws.services[i].evaluations[0].evaluation.scores.insert("B3".into(), 5);
        let err = ws.save_evaluation(i, 0);
        assert!(matches!(err, Err(StoreError::Conflict { .. })), "{err:?}");

        let reloaded = Workspace::load(dir.path());
        let ri = reloaded.find_service("ips ørland").unwrap_or_else(|| panic!("service"));
        let scores = &reloaded.services[ri].evaluations[0].evaluation.scores;
        assert_eq!(scores.get("B2"), Some(&3), "the other process's change survives");
        assert_eq!(scores.get("B3"), None);
    }

    #[test]
    fn bad_files_are_reported_and_the_rest_loads() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut ws = Workspace::load(dir.path());
        let i = ws.create_service(ServiceInfo::named("God")).unwrap_or_else(|e| panic!("{e}"));
        let scale = ws.scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let e = Evaluation::new(
            &scale,
            "God",
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
            EvaluationType::Independent,
        );
        ws.add_evaluation(i, e).unwrap_or_else(|err| panic!("{err}"));
        let evals = ws.service_dir(i).join("evaluations");
        fs::write(evals.join("2025-02-01_independent.json"), "{\"scale\": \"ips-25\", ")
            .unwrap_or_else(|e| panic!("{e}"));
        fs::write(
            evals.join("2025-03-01_independent.json"),
            r#"{"scale": "ips-25", "service": "God", "date": "2025-03-01", "scores": {"B1": 7, "ZZ": 1}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        fs::write(evals.join(".2025-04-01_independent.json.tmp.1.0"), "junk").unwrap_or_else(|e| panic!("{e}"));
        let broken = Workspace::services_dir(dir.path()).join("broken");
        fs::create_dir_all(&broken).unwrap_or_else(|e| panic!("{e}"));
        fs::write(broken.join("service.json"), [0u8, 159, 146, 150]).unwrap_or_else(|e| panic!("{e}"));

        let ws = Workspace::load(dir.path());
        assert_eq!(ws.services.len(), 1);
        assert_eq!(ws.services[0].evaluations.len(), 1);
        let text: Vec<String> = ws.problems.iter().map(ToString::to_string).collect();
        let text = text.join("\n");
        assert!(text.contains("2025-02-01_independent.json: the file ends too early"), "{text}");
        assert!(text.contains("2025-03-01_independent.json: scores.B1: score 7 is outside"), "{text}");
        assert!(text.contains("2025-03-01_independent.json: scores.ZZ: unknown item id 'ZZ'"), "{text}");
        assert!(
            text.contains("broken/service.json: the file is not UTF-8 text") || text.contains("broken\\service.json"),
            "{text}"
        );
        assert!(!text.contains(".tmp."), "{text}");
    }

    #[test]
    fn import_outcomes_for_new_and_existing_services() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut ws = Workspace::load(dir.path());
        let scale = ws.scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let date = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
        let e = |service: &str, b1: u8| {
            let mut e = Evaluation::new(&scale, service, date, EvaluationType::Independent);
            e.scores.insert("B1".into(), b1);
            e
        };
        let kinds = |o: &[ReviewMerge]| -> Vec<&'static str> {
            o.iter()
                .map(|x| match x {
                    ReviewMerge::Added { .. } => "added",
                    ReviewMerge::Unchanged { .. } => "unchanged",
                    ReviewMerge::Conflict { .. } => "conflict",
                    ReviewMerge::Blocked { .. } => "blocked",
                })
                .collect()
        };
        // A new service, its review three times; another new service in between.
        let out =
            ws.import(vec![e("Ny", 3), e("Annen", 2), e("Ny", 3), e("Ny", 4)]).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(kinds(&out), ["added", "added", "unchanged", "conflict"]);
        // Now existing: the same again, and a change.
        let out = ws.import(vec![e("Ny", 3), e("Ny", 5)]).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(kinds(&out), ["unchanged", "conflict"]);
        let reloaded = Workspace::load(dir.path());
        assert!(reloaded.problems.is_empty(), "{:?}", reloaded.problems);
        assert_eq!(reloaded.services.len(), 2);
        let ny = reloaded.find_service("Ny").unwrap_or_else(|| panic!("Ny"));
        assert_eq!(reloaded.services[ny].evaluations[0].evaluation.scores.get("B1"), Some(&3));
        // No staging folders are left.
        let hidden = fs::read_dir(Workspace::services_dir(dir.path()))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".new-"))
            .count();
        assert_eq!(hidden, 0);
    }

    #[test]
    fn delete_moves_to_trash() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut ws = Workspace::load(dir.path());
        let i = ws.create_service(ServiceInfo::named("Slett meg")).unwrap_or_else(|e| panic!("{e}"));
        ws.delete_service(i).unwrap_or_else(|e| panic!("{e}"));
        assert!(ws.services.is_empty());
        assert!(Workspace::load(dir.path()).services.is_empty());
        assert_eq!(fs::read_dir(dir.path().join(".trash")).map(|r| r.count()).unwrap_or(0), 1);
    }

    #[test]
    fn report_model_of_the_example_service() {
        let ws =
            Workspace::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/workspace")));
        let svc = &ws.services[0];
        let latest = &svc.evaluations[2].evaluation;
        let scale = ws.scale_of(latest).cloned().unwrap_or_else(|| panic!("scale"));
        let history: Vec<&ips_domain::evaluation::Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
        let texts = ips_domain::report::ReportTexts::builtin(ips_text::text::Lang::Nb);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let m = ips_domain::report::build(&ws.scales, &svc.info, latest, &history, texts, today)
            .unwrap_or_else(|| panic!("model"));
        assert!(!m.preliminary);
        assert_eq!(m.total, ips_domain::scoring::score(&scale, &latest.scores).total);
        assert_eq!(m.band.as_deref(), Some("Bra kvalitet"));
        assert_eq!(m.series.len(), 3);
        assert_eq!(m.series.iter().filter(|p| p.current).count(), 1);
        assert!(m.change_line.contains('+'), "{}", m.change_line);
        assert_eq!(m.items.len(), 25);
        assert_eq!(m.sections.iter().map(|s| s.total).sum::<u32>(), m.total);
        assert!(m.improvements.iter().all(|r| r.score.is_some_and(|s| s <= 3)));
        assert!(m.strengths.iter().all(|r| r.score == Some(5)));
        assert_eq!(m.actions.len(), latest.actions.len());
        assert_eq!(m.agenda.len(), 6);
        assert!(m.steering_lines[0].contains('2'), "{:?}", m.steering_lines);
    }
}
