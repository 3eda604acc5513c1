//! A review package: one file that carries a service between workspaces that share no
//! folder (by e-mail, a USB stick): the service's details, its reviews with everything in
//! them, and the scale versions they are scored on. Importing merges it: new reviews are
//! added, identical ones change nothing, and a review that differs from the one already
//! there is a conflict, never overwritten.
//!
//! A package can also carry one reviewer's own scores for one review, so two reviewers who
//! scored on their own laptops can bring their scores together: the reviewer's entry is
//! added to the same review in the colleague's workspace, and the consensus view works as
//! if both had scored in one file. Blind scoring holds: only a reviewer marked done can be
//! packaged this way.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::outcomes_csv::OutcomeRow;
use crate::store::StoreError;
use crate::workspace::{ReviewMerge, Workspace};
use ips_domain::evaluation::{Evaluation, EvaluationType, Reviewer, ServiceInfo, ServiceRef};
use ips_domain::meetings::Meeting;
use ips_domain::outcomes::QuarterFigures;
use ips_domain::scale::{DataFileError, Scale, parse_json};

/// The `format` field that marks a package.
pub const PACKAGE_FORMAT: &str = "ips-fidelity-package";
pub const PACKAGE_VERSION: u32 = 1;

/// A scale version carried along, as its file's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackagedScale {
    pub id: String,
    pub version: String,
    pub json: String,
}

/// The package file's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Package {
    pub format: String,
    pub format_version: u32,
    pub service: ServiceInfo,
    pub reviews: Vec<Evaluation>,
    #[serde(default)]
    pub scales: Vec<PackagedScale>,
    /// Set when the package carries this reviewer's own scores only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// The service's outcome figures per quarter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<QuarterFigures>,
    /// The styringsgruppe's meetings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<Meeting>,
}

/// Why a package cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageRefusal {
    /// No review of the service on that date (and type).
    NoReview,
    /// The review has no reviewer of that name.
    NoReviewer,
    /// The reviewer has not marked their scoring done: sending it would break blind scoring.
    NotDone,
}

impl Package {
    /// The whole service: its details, every review, and the scale versions they use.
    pub fn of_service(ws: &Workspace, service: usize) -> Package {
        let svc = &ws.services[service];
        let reviews: Vec<Evaluation> = svc.evaluations.iter().map(|r| r.evaluation.clone()).collect();
        Package {
            format: PACKAGE_FORMAT.to_string(),
            format_version: PACKAGE_VERSION,
            service: svc.info.clone(),
            scales: scales_of(ws, &reviews),
            reviews,
            reviewer: None,
            outcomes: svc.outcomes.clone(),
            meetings: svc.meetings.clone(),
        }
    }

    /// One reviewer's own scores for one review, with nothing else of the review: for the
    /// colleague who scores the same review on another machine.
    pub fn of_reviewer(
        ws: &Workspace,
        service: usize,
        date: NaiveDate,
        kind: EvaluationType,
        reviewer: &str,
    ) -> Result<Package, PackageRefusal> {
        let svc = &ws.services[service];
        let i = svc.find(date, kind).ok_or(PackageRefusal::NoReview)?;
        let e = &svc.evaluations[i].evaluation;
        let r = e.reviewers.iter().find(|r| r.name.trim() == reviewer.trim()).ok_or(PackageRefusal::NoReviewer)?;
        if !r.done {
            return Err(PackageRefusal::NotDone);
        }
        let mut only = e.clone();
        only.reviewers = vec![r.clone()];
        only.scores.clear();
        only.items.clear();
        only.actions.clear();
        only.notes.clear();
        only.accuracy.clear();
        only.audit.clear();
        only.plan_delivered = None;
        let reviews = vec![only];
        Ok(Package {
            format: PACKAGE_FORMAT.to_string(),
            format_version: PACKAGE_VERSION,
            service: svc.info.clone(),
            scales: scales_of(ws, &reviews),
            reviews,
            reviewer: Some(r.name.clone()),
            outcomes: Vec::new(),
            meetings: Vec::new(),
        })
    }

    pub fn to_json(&self) -> String {
        // Compact: a package travels by e-mail and is read by a program (a pretty-printed
        // service of 1,000 reviews was 20.7 MB).
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string()) + "\n"
    }

    /// Whether a JSON text is a package (its `format` field says so).
    pub fn is_package(text: &str) -> bool {
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
        }
        serde_json::from_str::<Head>(text).ok().and_then(|h| h.format).as_deref() == Some(PACKAGE_FORMAT)
    }

    /// Reads a package, checking every review and carried scale.
    pub fn from_json(file: &str, text: &str) -> Result<Package, DataFileError> {
        let p: Package = parse_json(file, text)?;
        if p.format_version > PACKAGE_VERSION || p.format_version == 0 {
            let m = ips_text::msg!("core.format_version", found = p.format_version, supported = PACKAGE_VERSION);
            return Err(DataFileError::single(file, "format_version", m));
        }
        let mut problems = Vec::new();
        // A blank name would make a folder nobody can find again ("tjeneste", "tjeneste-2").
        if ips_text::text::name_key(&p.service.name).is_empty() {
            problems.push(ips_domain::scale::Problem::new("service.name", ips_text::msg!("core.name_blank")));
        }
        for (k, s) in p.scales.iter().enumerate() {
            if let Err(e) = Scale::from_json(&format!("{file}: scales[{k}]"), &s.json) {
                problems.extend(e.problems);
            }
        }
        // One reviewer's scores: each review must carry that reviewer, or nothing of it
        // would be brought in, and nobody would be told.
        if let Some(reviewer) = &p.reviewer {
            for (k, e) in p.reviews.iter().enumerate() {
                if !e.reviewers.iter().any(|r| r.name.trim() == reviewer.trim()) {
                    let m = ips_text::msg!("core.package.reviewer_missing", reviewer = reviewer);
                    problems.push(ips_domain::scale::Problem::new(format!("reviews[{k}].reviewers"), m));
                }
            }
        }
        // Figures the service's `outcomes.json` would refuse are refused here, at the door.
        for (k, q) in p.outcomes.iter().enumerate() {
            problems
                .extend(q.problems().into_iter().map(|m| ips_domain::scale::Problem::new(format!("outcomes[{k}]"), m)));
        }
        if !problems.is_empty() {
            return Err(DataFileError { file: file.to_string(), problems });
        }
        Ok(p)
    }
}

/// The scale versions the reviews are scored on, as their files' text.
fn scales_of(ws: &Workspace, reviews: &[Evaluation]) -> Vec<PackagedScale> {
    let mut out: Vec<PackagedScale> = Vec::new();
    for e in reviews {
        let Some(scale) = ws.scales.for_evaluation(e) else {
            continue;
        };
        if out.iter().any(|s| s.id == scale.id && s.version == scale.version) {
            continue;
        }
        if let Some(json) = ws.scales.source_json(&scale.id, &scale.version) {
            out.push(PackagedScale { id: scale.id.clone(), version: scale.version.clone(), json: json.to_string() });
        }
    }
    out
}

/// What happened to a reviewer's scores brought in by a package.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewerMerge {
    Added {
        path: PathBuf,
        reviewer: String,
    },
    Unchanged {
        path: PathBuf,
        reviewer: String,
    },
    /// The review already has this reviewer with other scores: nothing was changed.
    /// Both entries are kept here, for the user to compare and choose.
    Conflict {
        path: PathBuf,
        reviewer: String,
        here: Box<Reviewer>,
        incoming: Box<Reviewer>,
    },
}

/// What importing a package did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PackageImport {
    pub reviews: Vec<ReviewMerge>,
    pub reviewers: Vec<ReviewerMerge>,
    /// Quarters of outcome figures, and meetings by date: added, unchanged or in conflict
    /// (never overwritten).
    pub outcomes: Vec<ips_domain::outcomes::QuarterMerge>,
    pub meetings_added: usize,
    pub meetings_unchanged: usize,
    /// Dates of meetings recorded here with other content.
    pub meeting_conflicts: Vec<NaiveDate>,
    /// Scale versions the workspace did not have and now keeps.
    pub scales_added: Vec<String>,
}

impl Workspace {
    /// Replaces a reviewer's entry in a review with `incoming` (the user chose the one a
    /// package brought after a conflict), through the normal checked, versioned write.
    pub fn replace_reviewer(
        &mut self,
        service: usize,
        evaluation: usize,
        incoming: Reviewer,
    ) -> Result<(), StoreError> {
        let e = &mut self.services[service].evaluations[evaluation].evaluation;
        let Some(i) = e.reviewers.iter().position(|r| r.name.trim() == incoming.name.trim()) else {
            return Ok(());
        };
        let before = std::mem::replace(&mut e.reviewers[i], incoming);
        if let Err(err) = self.save_evaluation(service, evaluation) {
            self.services[service].evaluations[evaluation].evaluation.reviewers[i] = before;
            return Err(err);
        }
        Ok(())
    }

    /// Merges a package: the scale versions it carries that are missing here are kept, a
    /// missing service is created with the package's details, new reviews are added,
    /// identical ones change nothing and differing ones are conflicts, never overwritten. A
    /// reviewer package adds that reviewer's entry to the review (creating the review if it
    /// is not here yet).
    pub fn import_package(&mut self, package: Package) -> Result<PackageImport, StoreError> {
        let mut result = PackageImport::default();
        // The service first: a name blocked by an unreadable service file refuses the
        // package before anything of it is written.
        let service = self.find_or_create_service(package.service.clone())?;
        for s in &package.scales {
            let known = self.scales.get_version(&s.id, &s.version).is_some();
            if known {
                continue;
            }
            let Ok(scale) = Scale::from_json(&s.id, &s.json) else {
                continue;
            };
            // Kept for the package's reviews; never what new reviews are scored on until
            // someone adopts it.
            self.keep_carried_scale(scale, &s.json)?;
            result.scales_added.push(format!("{} {}", s.id, s.version));
        }
        // Compared with the reviews there: a service in brief reads them first.
        let _ = self.ensure_loaded(service);
        let name = self.services[service].info.name.clone();
        let mut new = Vec::new();
        for mut e in package.reviews {
            e.service = ServiceRef::Name(name.clone());
            let svc = &self.services[service];
            let existing = svc.find(e.date, e.kind);
            let path = self
                .service_dir(service)
                .join("evaluations")
                .join(crate::workspace::evaluation_file_name(e.date, e.kind));
            if let Some(reviewer) = &package.reviewer {
                let Some(incoming) = e.reviewers.iter().find(|r| r.name.trim() == reviewer.trim()).cloned() else {
                    continue;
                };
                match existing {
                    // The colleague has not started this review here yet: it begins with this
                    // reviewer's scores (said below, from what the import did).
                    None => new.push(e),
                    Some(ei) => result.reviewers.push(self.merge_reviewer(service, ei, incoming, path)?),
                }
                continue;
            }
            match existing {
                None => new.push(e),
                Some(ei) => {
                    let mut here = svc.evaluations[ei].evaluation.clone();
                    here.service = ServiceRef::Name(name.clone());
                    result.reviews.push(if here == e {
                        ReviewMerge::Unchanged { path }
                    } else {
                        ReviewMerge::Conflict { path }
                    });
                }
            }
        }
        if !new.is_empty() {
            let merged = self.import(new)?;
            match &package.reviewer {
                None => result.reviews.extend(merged),
                // A review begun with one reviewer's scores is that reviewer's scores added,
                // said once; one that could not be written (a file here that cannot be read)
                // stays what the import found.
                Some(reviewer) => {
                    for m in merged {
                        match m {
                            ReviewMerge::Added { path } => {
                                result.reviewers.push(ReviewerMerge::Added { path, reviewer: reviewer.clone() })
                            }
                            ReviewMerge::Unchanged { path } => {
                                result.reviewers.push(ReviewerMerge::Unchanged { path, reviewer: reviewer.clone() })
                            }
                            other => result.reviews.push(other),
                        }
                    }
                }
            }
        }
        if !package.outcomes.is_empty() {
            let rows =
                package.outcomes.into_iter().map(|figures| OutcomeRow { service: name.clone(), figures }).collect();
            result.outcomes = match self.import_outcomes(rows) {
                Ok(o) => o,
                Err(crate::workspace::FiguresImportError::Store(e)) => return Err(e),
                // The service was found or made above.
                Err(crate::workspace::FiguresImportError::UnknownServices(_)) => Vec::new(),
            };
        }
        let mut meetings = self.services[service].meetings.clone();
        for m in package.meetings {
            match meetings.iter().find(|x| x.date == m.date) {
                Some(x) if *x == m => result.meetings_unchanged += 1,
                Some(_) => result.meeting_conflicts.push(m.date),
                None => {
                    meetings.push(m);
                    result.meetings_added += 1;
                }
            }
        }
        if result.meetings_added > 0 {
            let old = std::mem::replace(&mut self.services[service].meetings, meetings);
            if let Err(e) = self.save_meetings(service) {
                self.services[service].meetings = old;
                return Err(e);
            }
        }
        Ok(result)
    }

    fn merge_reviewer(
        &mut self,
        service: usize,
        ei: usize,
        incoming: Reviewer,
        path: PathBuf,
    ) -> Result<ReviewerMerge, StoreError> {
        let reviewer = incoming.name.clone();
        let e = &self.services[service].evaluations[ei].evaluation;
        match e.reviewers.iter().find(|r| r.name.trim() == incoming.name.trim()) {
            Some(r) if *r == incoming => Ok(ReviewerMerge::Unchanged { path, reviewer }),
            Some(r) => {
                Ok(ReviewerMerge::Conflict { path, reviewer, here: Box::new(r.clone()), incoming: Box::new(incoming) })
            }
            None => {
                self.services[service].evaluations[ei].evaluation.reviewers.push(incoming);
                if let Err(err) = self.save_evaluation(service, ei) {
                    self.services[service].evaluations[ei].evaluation.reviewers.pop();
                    return Err(err);
                }
                Ok(ReviewerMerge::Added { path, reviewer })
            }
        }
    }
}
