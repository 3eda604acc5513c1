//! Reading files to import: a CSV in the export's layout, an Excel workbook
//! ([`crate::xlsx_in`]), one review's JSON or a review package ([`crate::package`]), checked
//! against the scales, before [`Workspace::import`](crate::workspace::Workspace::import)
//! merges them. One definition for the CLI's `import`, the app's import dialog and files
//! dropped on the window; each file is all or nothing.

use std::path::Path;

use crate::store::{self, StoreError};
use ips_domain::evaluation::Evaluation;
use ips_domain::scale::DataFileError;
use ips_domain::service::ScaleSet;
use ips_text::i18n::Msg;
use ips_text::text::Lang;

/// Why a file cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// The file could not be read (missing, no permission, a dropped share).
    #[error("{0}")]
    Read(#[from] StoreError),
    /// The file was read but its content is wrong; every problem is listed.
    #[error("{0}")]
    Data(#[from] DataFileError),
}

impl IntakeError {
    /// One line per problem, each naming the file, in `lang`.
    pub fn lines_in(&self, lang: Lang) -> Vec<String> {
        match self {
            IntakeError::Read(e) => vec![e.text(lang)],
            IntakeError::Data(e) => e.lines_in(lang),
        }
    }
}

/// What a readable file holds, with notes that do not stop the import (a review's scale
/// version is unknown here, so it is scored on the newest).
#[derive(Debug, Default)]
pub struct Intake {
    pub evaluations: Vec<Evaluation>,
    /// A review package (a service with its reviews, or one reviewer's scores).
    pub package: Option<crate::package::Package>,
    /// Outcome figures, from a CSV with the outcome columns (`period`, `job_seekers`, …).
    pub outcomes: Vec<crate::outcomes_csv::OutcomeRow>,
    pub notes: Vec<String>,
}

/// Whether the file is a CSV (by its extension, as the user's system names it).
pub fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"))
}

/// Reads one file to import: a CSV or a workbook (any number of reviews), a review's JSON
/// or a package. `defaults` gives a scoring sheet's service and date where it has none.
pub fn read_file(
    path: &Path,
    scales: &ScaleSet,
    defaults: &crate::xlsx_in::SheetDefaults,
    lang: Lang,
) -> Result<Intake, IntakeError> {
    let name = path.display().to_string();
    if crate::xlsx_in::is_workbook(path) {
        let read = read_workbook(path, scales, lang)?;
        return from_workbook(path, &read, scales, defaults);
    }
    let (text, _) = store::read_text_up_to(path, store::MAX_IMPORT_BYTES)?;
    if is_csv(path) {
        if crate::outcomes_csv::is_outcomes_csv(&text) {
            let outcomes = crate::outcomes_csv::parse_csv(&name, &text)?;
            return Ok(Intake { outcomes, ..Intake::default() });
        }
        let evaluations = crate::csv_io::import(&name, &text, scales)?;
        return Ok(Intake { evaluations, ..Intake::default() });
    }
    if crate::package::Package::is_package(&text) {
        let package = crate::package::Package::from_json(&name, &text)?;
        check_package_reviews(&name, &package, scales)?;
        return Ok(Intake { package: Some(package), ..Intake::default() });
    }
    review_from_text(&name, &text, scales, lang)
}

/// Reads a workbook to import and finds its reviews ([`crate::xlsx_in`]); the app's preview
/// shows them before the import.
pub fn read_workbook(path: &Path, scales: &ScaleSet, lang: Lang) -> Result<crate::xlsx_in::WorkbookRead, IntakeError> {
    let bytes = store::read_bytes_up_to(path, store::MAX_IMPORT_BYTES)?;
    Ok(crate::xlsx_in::read_workbook(&path.display().to_string(), &bytes, scales, lang)?)
}

/// The reviews of a workbook already read (by [`read_workbook`], for the app's preview), as
/// [`read_file`] gives them: what the user was shown is what is imported.
pub fn from_workbook(
    path: &Path,
    read: &crate::xlsx_in::WorkbookRead,
    scales: &ScaleSet,
    defaults: &crate::xlsx_in::SheetDefaults,
) -> Result<Intake, IntakeError> {
    let name = path.display().to_string();
    let evaluations = crate::xlsx_in::into_evaluations(&name, read, scales, defaults)?;
    let notes = read.notes.iter().map(|n| format!("{name}: {n}")).collect();
    Ok(Intake { evaluations, notes, ..Intake::default() })
}

/// Reads one review's JSON file, checked against its scale.
pub fn read_review(path: &Path, scales: &ScaleSet, lang: Lang) -> Result<Intake, IntakeError> {
    let (text, _) = store::read_text_up_to(path, store::MAX_IMPORT_BYTES)?;
    review_from_text(&path.display().to_string(), &text, scales, lang)
}

fn review_from_text(name: &str, text: &str, scales: &ScaleSet, lang: Lang) -> Result<Intake, IntakeError> {
    let name = name.to_string();
    let evaluation = Evaluation::from_json(&name, text)?;
    let resolved =
        scales.check_incoming(&evaluation).map_err(|problems| DataFileError { file: name.clone(), problems })?;
    let mut notes = Vec::new();
    if let Some(missing) = resolved.missing_version {
        let scale = resolved.scale;
        let m: Msg =
            ips_text::msg!("core.scale_version_missing", missing = missing, scale = scale.id, version = scale.version);
        notes.push(format!("{name}: {}", m.text(lang)));
    }
    Ok(Intake { evaluations: vec![evaluation], notes, ..Intake::default() })
}

/// Every review in a package passes the checks a review's own file does, against the
/// scale versions known here and those the package carries: a score of 0 or 6, an item
/// the scale does not have or an unknown scale refuses the whole package, before anything
/// of it is written.
fn check_package_reviews(
    name: &str,
    package: &crate::package::Package,
    scales: &ScaleSet,
) -> Result<(), DataFileError> {
    let mut with_carried;
    let scales = if package.scales.is_empty() {
        scales
    } else {
        with_carried = scales.clone();
        for s in &package.scales {
            // Checked by `Package::from_json`; a carried version never replaces one known here.
            if let Ok(scale) = ips_domain::scale::Scale::from_json(&s.id, &s.json)
                && with_carried.get_version(&scale.id, &scale.version).is_none()
            {
                with_carried.insert_carried(scale, std::sync::Arc::from(s.json.as_str()));
            }
        }
        &with_carried
    };
    let mut problems = Vec::new();
    for (k, e) in package.reviews.iter().enumerate() {
        if let Err(ps) = scales.check_incoming(e) {
            problems.extend(
                ps.into_iter()
                    .map(|p| ips_domain::scale::Problem::new(format!("reviews[{k}].{}", p.location), p.message)),
            );
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(DataFileError { file: name.to_string(), problems }) }
}
