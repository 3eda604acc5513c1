//! Reading files to import: a CSV in the export's layout, one review's JSON or a review
//! package ([`crate::package`]), checked
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

/// Reads one file to import: a CSV (any number of reviews) or a review's JSON.
pub fn read_file(path: &Path, scales: &ScaleSet, lang: Lang) -> Result<Intake, IntakeError> {
    let name = path.display().to_string();
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
        return Ok(Intake { package: Some(package), ..Intake::default() });
    }
    review_from_text(&name, &text, scales, lang)
}

/// Reads one review's JSON file, checked against its scale.
pub fn read_review(path: &Path, scales: &ScaleSet, lang: Lang) -> Result<Intake, IntakeError> {
    let (text, _) = store::read_text_up_to(path, store::MAX_IMPORT_BYTES)?;
    review_from_text(&path.display().to_string(), &text, scales, lang)
}

fn review_from_text(name: &str, text: &str, scales: &ScaleSet, lang: Lang) -> Result<Intake, IntakeError> {
    let name = name.to_string();
    let evaluation = Evaluation::from_json(&name, text)?;
    let Some(resolved) = scales.resolve(&evaluation) else {
        let known: Vec<&str> = scales.newest().map(|s| s.id.as_str()).collect();
        let m = ips_text::msg!("core.unknown_scale_known", scale = evaluation.scale, known = known.join(", "));
        return Err(DataFileError::single(name, "scale", m).into());
    };
    let scale = resolved.scale;
    let mut notes = Vec::new();
    if let Some(missing) = resolved.missing_version {
        let m: Msg =
            ips_text::msg!("core.scale_version_missing", missing = missing, scale = scale.id, version = scale.version);
        notes.push(format!("{name}: {}", m.text(lang)));
    }
    let problems = evaluation.check(scale);
    if !problems.is_empty() {
        return Err(DataFileError { file: name, problems }.into());
    }
    Ok(Intake { evaluations: vec![evaluation], notes, ..Intake::default() })
}
