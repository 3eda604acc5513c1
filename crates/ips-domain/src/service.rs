//! A service and the scales it is scored on: the set of every known scale version
//! ([`ScaleSet`]), a service with its reviews, outcome figures and meetings ([`Service`]),
//! and the content stamp storage records for each review it read ([`ContentStamp`]).
//!
//! Nothing here touches a file: storage reads the files and builds these values.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::evaluation::{Evaluation, EvaluationType, ServiceInfo};
use crate::meetings::Meeting;
use crate::outcomes::QuarterFigures;
use crate::scale::{DataFileError, Scale};

/// The scales compiled into the program; a workspace's `scales/` folder may add to them or
/// replace one by id.
pub const BUILTIN_SCALES: &[(&str, &str)] = &[
    ("scales/ips-25.json", include_str!("../../../scales/ips-25.json")),
    ("scales/se-15.json", include_str!("../../../scales/se-15.json")),
];

/// The scale used when a file or CSV row names none.
pub const DEFAULT_SCALE: &str = "ips-25";

/// The length and a hash of the bytes a file was read from or written as. Storage keeps it
/// beside what it read, so that a later write can tell whether the file changed under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentStamp {
    pub len: u64,
    pub hash: u64,
}

impl ContentStamp {
    /// The stamp of `bytes` (FNV-1a, 64 bits).
    pub fn of(bytes: &[u8]) -> ContentStamp {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        ContentStamp { len: bytes.len() as u64, hash }
    }
}

/// The known scales: every version of every scale id, built-in and from the workspace.
///
/// A review is scored on the version it records (`scale_version`), so a corrected scale file
/// dropped into `WORKSPACE/scales/` is used for new reviews and never re-bands old ones.
///
/// A version that came with a package is *carried*: the reviews that name it are scored on
/// it, but new reviews are scored on the newest *adopted* version until someone adopts the
/// carried one (a package must not change how everyone scores).
#[derive(Debug, Clone, Default)]
pub struct ScaleSet {
    /// Sorted by id, then version (oldest first).
    scales: Vec<Scale>,
    /// Per scale (same index): where it was read from.
    sources: Vec<ScaleSource>,
}

/// Where a scale version in a [`ScaleSet`] was read from.
#[derive(Debug, Clone)]
struct ScaleSource {
    /// The raw JSON (to pin a used version into the workspace).
    json: Arc<str>,
    /// A file in the workspace (`scales/`, or carried in `scales/carried/`).
    in_workspace: bool,
    /// New reviews may be scored on it (built in, or a file in `scales/`).
    adopted: bool,
}

/// How an evaluation's scale was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved<'a> {
    pub scale: &'a Scale,
    /// The version the review records but that is not known here; it is scored on `scale`
    /// (the newest version) instead.
    pub missing_version: Option<&'a str>,
}

impl ScaleSet {
    /// The built-in scales. A built-in scale that fails validation is a build defect caught by
    /// the tests; it is reported rather than panicking.
    pub fn builtin() -> (ScaleSet, Vec<DataFileError>) {
        let mut set = ScaleSet::default();
        let mut errors = Vec::new();
        for (name, json) in BUILTIN_SCALES {
            match Scale::from_json(name, json) {
                Ok(s) => set
                    .insert_with_source(s, ScaleSource { json: Arc::from(*json), in_workspace: false, adopted: true }),
                Err(e) => errors.push(e),
            }
        }
        (set, errors)
    }

    /// Adds a scale, or replaces the one with the same id and version.
    pub fn insert(&mut self, scale: Scale) {
        self.insert_with_source(scale, ScaleSource { json: Arc::from(""), in_workspace: false, adopted: true });
    }

    /// Adds a scale read from a workspace's own `scales/` folder, with the JSON it was read
    /// from (kept to pin the version a review uses).
    pub fn insert_from_workspace(&mut self, scale: Scale, json: Arc<str>) {
        self.insert_with_source(scale, ScaleSource { json, in_workspace: true, adopted: true });
    }

    /// Adds a version a package carried (kept in the workspace's `scales/carried/`): the
    /// reviews that name it are scored on it, new reviews are not until it is adopted.
    pub fn insert_carried(&mut self, scale: Scale, json: Arc<str>) {
        // A version known here (built in, or the workspace's own) is never replaced by a
        // carried copy: the one here is the one new reviews may use.
        if self.get_version(&scale.id, &scale.version).is_some() {
            return;
        }
        self.insert_with_source(scale, ScaleSource { json, in_workspace: true, adopted: false });
    }

    /// Marks a carried version adopted (after its file moved into `scales/`): from now on
    /// new reviews of that scale are scored on it, when it is the newest.
    pub fn adopt(&mut self, id: &str, version: &str) {
        if let Some(i) = self.scales.iter().position(|s| s.id == id && s.version == version) {
            self.sources[i].adopted = true;
        }
    }

    /// Whether new reviews may be scored on this version.
    pub fn is_adopted(&self, id: &str, version: &str) -> bool {
        self.scales.iter().position(|s| s.id == id && s.version == version).is_some_and(|i| self.sources[i].adopted)
    }

    /// Carried versions newer than what new reviews are scored on: each with the adopted
    /// version it would replace (if that scale has one), for the user to compare and adopt.
    pub fn carried_newer(&self) -> Vec<(Option<&Scale>, &Scale)> {
        self.scales
            .iter()
            .zip(&self.sources)
            .filter(|(_, src)| !src.adopted)
            .map(|(s, _)| (self.get(&s.id), s))
            .filter(|(current, s)| current.is_none_or(|c| VersionKey::of(&s.version) > VersionKey::of(&c.version)))
            .collect()
    }

    fn insert_with_source(&mut self, scale: Scale, json: ScaleSource) {
        match self.scales.iter().position(|s| s.id == scale.id && s.version == scale.version) {
            Some(i) => {
                self.scales[i] = scale;
                self.sources[i] = json;
            }
            None => {
                let at = self.scales.partition_point(|s| {
                    (s.id.as_str(), VersionKey::of(&s.version)) < (scale.id.as_str(), VersionKey::of(&scale.version))
                });
                self.scales.insert(at, scale);
                self.sources.insert(at, json);
            }
        }
    }

    /// The newest adopted version of a scale: the one new reviews are scored on.
    pub fn get(&self, id: &str) -> Option<&Scale> {
        self.scales.iter().zip(&self.sources).rfind(|(s, src)| s.id == id && src.adopted).map(|(s, _)| s)
    }

    /// The version whose layout (items, sections) a view or an export of scale `id` uses:
    /// the one new reviews are scored on, or, for a scale known only from a package, its
    /// newest carried version.
    pub fn layout(&self, id: &str) -> Option<&Scale> {
        self.get(id).or_else(|| self.scales.iter().rfind(|s| s.id == id))
    }

    /// One exact version of a scale.
    pub fn get_version(&self, id: &str, version: &str) -> Option<&Scale> {
        self.scales.iter().find(|s| s.id == id && s.version == version)
    }

    /// The scale an evaluation is scored on: the version it records, or the newest version
    /// when it records none (a hand-written file) or one that is not known here (then
    /// `missing_version` names it, for a visible warning).
    pub fn resolve<'a>(&'a self, evaluation: &'a Evaluation) -> Option<Resolved<'a>> {
        let scale = self.for_evaluation(evaluation)?;
        let missing_version = evaluation.scale_version.as_deref().filter(|v| *v != scale.version);
        Some(Resolved { scale, missing_version })
    }

    /// The checks every review that comes in passes before anything of it is written,
    /// whichever way it comes (a review's file, a CSV row, a package, one reviewer's
    /// package): its scale is known here, and it passes [`Evaluation::check`] against the
    /// version it is scored on (scores in range, known items, a plausible date).
    pub fn check_incoming<'a>(
        &'a self,
        evaluation: &'a Evaluation,
    ) -> Result<Resolved<'a>, Vec<crate::scale::Problem>> {
        let Some(resolved) = self.resolve(evaluation) else {
            let known: Vec<&str> = self.newest().map(|s| s.id.as_str()).collect();
            let m = ips_text::msg!("core.unknown_scale_known", scale = evaluation.scale, known = known.join(", "));
            return Err(vec![crate::scale::Problem::new("scale", m)]);
        };
        let mut problems = evaluation.check(resolved.scale);
        // A date from a typo or a broken file (`0000-01-01`, `+99999-01-01`) would make a
        // file name nobody can sort, and a review no report can place. Checked as reviews
        // come in, not at every load: a file already here stays readable.
        let years = crate::evaluation::PLAUSIBLE_YEARS;
        if !years.contains(&chrono::Datelike::year(&evaluation.date)) {
            let m = ips_text::msg!(
                "core.eval.implausible_date",
                date = evaluation.date,
                from = years.start(),
                to = years.end()
            );
            problems.insert(0, crate::scale::Problem::new("date", m));
        }
        if problems.is_empty() { Ok(resolved) } else { Err(problems) }
    }

    /// The scale an evaluation is scored on (see [`ScaleSet::resolve`]).
    pub fn for_evaluation(&self, evaluation: &Evaluation) -> Option<&Scale> {
        let id = &evaluation.scale;
        evaluation
            .scale_version
            .as_deref()
            .and_then(|v| self.get_version(id, v))
            .or_else(|| self.get(id))
            // A scale known only from a package: its newest carried version.
            .or_else(|| self.scales.iter().rfind(|s| &s.id == id))
    }

    /// A newer version than the one the evaluation is scored on, if there is one.
    pub fn newer_than(&self, evaluation: &Evaluation) -> Option<&Scale> {
        let current = self.for_evaluation(evaluation)?;
        self.get(&current.id).filter(|n| VersionKey::of(&n.version) > VersionKey::of(&current.version))
    }

    /// Every version of scale `id` in the order a table of reviews lays out its item
    /// columns: the version new reviews use first (its order is the columns' order), then
    /// the others, so an item only an older or a carried version has keeps its scores.
    pub fn versions_for_columns<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Scale> + 'a {
        self.layout(id).into_iter().chain(self.scales.iter().filter(move |s| s.id == id))
    }

    /// Every scale, newest version last within an id.
    pub fn all(&self) -> &[Scale] {
        &self.scales
    }

    /// The newest adopted version of each scale id (what new reviews may be scored on).
    pub fn newest(&self) -> impl Iterator<Item = &Scale> {
        self.scales
            .iter()
            .enumerate()
            .filter(|(i, s)| self.scales.get(i + 1).is_none_or(|n| n.id != s.id))
            .filter_map(|(_, s)| self.get(&s.id))
    }

    /// The IPS-25 scale when present, else the first.
    pub fn default_scale(&self) -> Option<&Scale> {
        self.get(DEFAULT_SCALE).or_else(|| self.scales.last())
    }

    /// The JSON a scale version was read from (empty for a scale built in code).
    pub fn source_json(&self, id: &str, version: &str) -> Option<&str> {
        let i = self.scales.iter().position(|s| s.id == id && s.version == version)?;
        Some(&*self.sources[i].json).filter(|s| !s.is_empty())
    }

    /// Whether a scale version was read from the workspace's own `scales/` folder.
    pub fn in_workspace(&self, id: &str, version: &str) -> bool {
        self.scales
            .iter()
            .position(|s| s.id == id && s.version == version)
            .is_some_and(|i| self.sources[i].in_workspace)
    }
}

/// Orders version strings the way people read them: "2026.2" < "2026.10" < "2027.1".
/// Numeric parts compare as numbers, other parts as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VersionKey(Vec<(u64, String)>);

impl VersionKey {
    pub fn of(version: &str) -> VersionKey {
        VersionKey(
            version
                .split(['.', '-', '_'])
                .map(|part| match part.parse::<u64>() {
                    Ok(n) => (n, String::new()),
                    Err(_) => (u64::MAX, part.to_string()),
                })
                .collect(),
        )
    }
}

/// One review of a service, with the name of the file it is kept in (its stable id).
#[derive(Debug, Clone)]
pub struct EvaluationRecord {
    pub file_name: String,
    pub evaluation: Evaluation,
    /// The content read from disk; `None` for an evaluation not yet written.
    pub stamp: Option<ContentStamp>,
}

/// One service with its reviews (oldest first), outcome figures and meetings.
#[derive(Debug, Clone, Default)]
pub struct Service {
    /// The service's folder name: its stable id in the workspace.
    pub folder: String,
    pub info: ServiceInfo,
    pub evaluations: Vec<EvaluationRecord>,
    /// Outcome figures per quarter, oldest first.
    pub outcomes: Vec<QuarterFigures>,
    /// Styringsgruppe meetings, oldest first.
    pub meetings: Vec<Meeting>,
}

impl Service {
    /// The latest review of `kind`.
    pub fn latest(&self, kind: EvaluationType) -> Option<&EvaluationRecord> {
        self.evaluations.iter().filter(|r| r.evaluation.kind == kind).max_by_key(|r| r.evaluation.date)
    }

    /// The evaluation stored in `file` (its file name: a stable id).
    pub fn evaluation_index(&self, file: &str) -> Option<usize> {
        self.evaluations.iter().position(|r| r.file_name == file)
    }

    /// The review of `kind` on `date`.
    pub fn find(&self, date: NaiveDate, kind: EvaluationType) -> Option<usize> {
        self.evaluations.iter().position(|r| r.evaluation.date == date && r.evaluation.kind == kind)
    }
}

/// The one comparison of region names, for the overview's filter, the region dropdown, the
/// summary's selection and `summary --region`: trimmed, runs of spaces as one, and Unicode
/// lower case, so "Sør", "SØR" and " sør " are one region.
pub fn same_region(a: &str, b: &str) -> bool {
    region_key(a) == region_key(b)
}

fn region_key(region: &str) -> String {
    region.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_one_whatever_their_case_or_spacing() {
        assert!(same_region("Sør", "SØR") && same_region("sør", " Sør ") && same_region("Nord  Norge", "nord norge"));
        assert!(!same_region("Sør", "Nord") && !same_region("Sør", "Sor"));
    }
}
