//! The use-case "import these files", which the CLI's `import` and the app's import (a
//! dialog, or files dropped on the window) both call, so that they read, order, merge and
//! count the same way: every file is read and checked first (a file that cannot be read is
//! left out whole), then the reviews of all CSV, workbook and review files are merged, then each
//! package, then the outcome figures. A review, a quarter, a meeting or a reviewer's scores
//! that differ from what is here are conflicts, never overwritten. The first write that
//! fails stops the import (what was written before it stays) and is reported.
//!
//! What happened comes back as [`ImportEvent`]s in order, with the counts: each front end
//! puts them into its own words.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use ips_domain::outcomes::QuarterMerge;
use ips_text::text::Lang;

use crate::intake;
use crate::package::ReviewerMerge;
use crate::store::StoreError;
use crate::workspace::{FiguresImportError, ReviewMerge, Workspace};
use crate::xlsx_in::{SheetDefaults, WorkbookRead};

/// One thing an import did or refused, in the order it happened.
#[derive(Debug)]
pub enum ImportEvent {
    /// Not a file the import reads (only CSV, workbooks and JSON are).
    NotSupported {
        path: PathBuf,
    },
    /// The file could not be read or is not valid: nothing of it was imported.
    Unreadable {
        path: PathBuf,
        lines: Vec<String>,
    },
    /// A remark that does not stop the import (a review's scale version unknown here).
    Note(String),
    /// A package brought a scale version the workspace now keeps.
    ScaleAdded(String),
    Review(ReviewMerge),
    Reviewer(ReviewerMerge),
    /// A quarter of outcome figures from `file` (a CSV, or a package).
    Quarter {
        file: PathBuf,
        merge: QuarterMerge,
    },
    /// A package's meeting on a date recorded here with other content.
    MeetingConflict {
        date: NaiveDate,
    },
    /// Reviews for a service whose folder's `service.json` (`path`) cannot be read: not
    /// written (a second service of that name would split it). Said once per file.
    ServiceBlocked {
        path: PathBuf,
        why: ips_text::i18n::Msg,
        reviews: usize,
    },
    /// A package refused whole before anything of it was written (its service's file
    /// cannot be read, say).
    PackageRefused {
        file: PathBuf,
        error: StoreError,
    },
    /// A figures file names services the workspace does not have: nothing of it was written.
    UnknownServices {
        file: PathBuf,
        names: Vec<String>,
        known: Vec<String>,
    },
}

/// What importing a set of files did.
#[derive(Debug, Default)]
pub struct FilesImport {
    pub events: Vec<ImportEvent>,
    pub added: usize,
    pub unchanged: usize,
    pub conflicts: usize,
    /// Files left out whole (not supported, unreadable, or naming unknown services).
    pub files_refused: usize,
    /// Reviews not written because their service's file cannot be read.
    pub blocked: usize,
    /// The write that failed and stopped the import.
    pub failed: Option<StoreError>,
}

impl FilesImport {
    /// Whether anything was there to import at all (else nothing was written).
    pub fn had_content(&self) -> bool {
        self.added + self.unchanged + self.conflicts > 0 || self.failed.is_some()
    }

    fn review(&mut self, merge: ReviewMerge) {
        match &merge {
            ReviewMerge::Added { .. } => self.added += 1,
            ReviewMerge::Unchanged { .. } => self.unchanged += 1,
            ReviewMerge::Conflict { .. } => self.conflicts += 1,
            ReviewMerge::Blocked { path, why } => {
                self.blocked += 1;
                let said = self.events.iter_mut().find_map(|e| match e {
                    ImportEvent::ServiceBlocked { path: p, reviews, .. } if p == path => Some(reviews),
                    _ => None,
                });
                match said {
                    Some(reviews) => *reviews += 1,
                    None => self.events.push(ImportEvent::ServiceBlocked {
                        path: path.clone(),
                        why: why.clone(),
                        reviews: 1,
                    }),
                }
                return;
            }
        }
        self.events.push(ImportEvent::Review(merge));
    }

    fn quarter(&mut self, file: &Path, merge: QuarterMerge) {
        match &merge {
            QuarterMerge::Added { .. } => self.added += 1,
            QuarterMerge::Unchanged { .. } => self.unchanged += 1,
            QuarterMerge::Conflict { .. } => self.conflicts += 1,
        }
        self.events.push(ImportEvent::Quarter { file: file.to_path_buf(), merge });
    }

    fn reviewer(&mut self, merge: ReviewerMerge) {
        match &merge {
            ReviewerMerge::Added { .. } => self.added += 1,
            ReviewerMerge::Unchanged { .. } => self.unchanged += 1,
            ReviewerMerge::Conflict { .. } => self.conflicts += 1,
        }
        self.events.push(ImportEvent::Reviewer(merge));
    }
}

/// Whether the import reads this file (by its extension, as the user's system names it).
pub fn is_supported(path: &Path) -> bool {
    intake::is_csv(path)
        || crate::xlsx_in::is_workbook(path)
        || path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json"))
}

/// Imports `paths` into `ws` (see the module's text for the order and the rules);
/// `defaults` gives a workbook's scoring sheets their service and date where they have none.
pub fn import_files(ws: &mut Workspace, paths: &[PathBuf], defaults: &SheetDefaults, lang: Lang) -> FilesImport {
    import_previewed(ws, paths, &[], defaults, lang)
}

/// [`import_files`] where some workbooks among `paths` were read already (the app's
/// preview): those are imported as they were read and shown, not read again.
pub fn import_previewed(
    ws: &mut Workspace,
    paths: &[PathBuf],
    workbooks: &[(PathBuf, WorkbookRead)],
    defaults: &SheetDefaults,
    lang: Lang,
) -> FilesImport {
    let mut report = FilesImport::default();
    let mut evaluations = Vec::new();
    let mut packages = Vec::new();
    let mut figures = Vec::new();
    for path in paths {
        if !is_supported(path) {
            report.files_refused += 1;
            report.events.push(ImportEvent::NotSupported { path: path.clone() });
            continue;
        }
        let read = match workbooks.iter().find(|(p, _)| p == path) {
            Some((_, workbook)) => intake::from_workbook(path, workbook, &ws.scales, defaults),
            None => intake::read_file(path, &ws.scales, defaults, lang),
        };
        match read {
            Ok(read) => {
                report.events.extend(read.notes.into_iter().map(ImportEvent::Note));
                evaluations.extend(read.evaluations);
                packages.extend(read.package.map(|p| (path.clone(), p)));
                if !read.outcomes.is_empty() {
                    figures.push((path.clone(), read.outcomes));
                }
            }
            Err(e) => {
                report.files_refused += 1;
                report.events.push(ImportEvent::Unreadable { path: path.clone(), lines: e.lines_in(lang) });
            }
        }
    }
    if let Err(e) = merge(ws, &mut report, evaluations, packages, figures) {
        report.failed = Some(e);
    }
    report
}

type Packages = Vec<(PathBuf, crate::package::Package)>;
type Figures = Vec<(PathBuf, Vec<crate::outcomes_csv::OutcomeRow>)>;

fn merge(
    ws: &mut Workspace,
    report: &mut FilesImport,
    evaluations: Vec<ips_domain::evaluation::Evaluation>,
    packages: Packages,
    figures: Figures,
) -> Result<(), StoreError> {
    if !evaluations.is_empty() {
        let mut merges = Vec::new();
        let imported = ws.import_into(evaluations, &mut merges);
        // What was written before a failed write is counted, so the user learns how much is in.
        for merge in merges {
            report.review(merge);
        }
        imported?;
    }
    for (file, package) in packages {
        let merged = match ws.import_package(package) {
            Ok(merged) => merged,
            Err(error @ StoreError::Refused { .. }) => {
                report.files_refused += 1;
                report.events.push(ImportEvent::PackageRefused { file, error });
                continue;
            }
            Err(e) => return Err(e),
        };
        report.events.extend(merged.scales_added.into_iter().map(ImportEvent::ScaleAdded));
        for r in merged.reviewers {
            report.reviewer(r);
        }
        for q in merged.outcomes {
            report.quarter(&file, q);
        }
        report.added += merged.meetings_added;
        report.unchanged += merged.meetings_unchanged;
        for date in merged.meeting_conflicts {
            report.conflicts += 1;
            report.events.push(ImportEvent::MeetingConflict { date });
        }
        for r in merged.reviews {
            report.review(r);
        }
    }
    for (file, rows) in figures {
        match ws.import_outcomes(rows) {
            Ok(results) => {
                for q in results {
                    report.quarter(&file, q);
                }
            }
            Err(FiguresImportError::UnknownServices(names)) => {
                report.files_refused += 1;
                let known = ws.services.iter().map(|s| s.info.name.clone()).collect();
                report.events.push(ImportEvent::UnknownServices { file, names, known });
            }
            Err(FiguresImportError::Store(e)) => return Err(e),
        }
    }
    Ok(())
}
