//! Imports (CSV files, review files, packages dropped on the window or chosen in a dialog)
//! run on a thread of their own, like reading a workspace: an import of 60,000 reviews
//! takes seconds, and the window shows that it is at work meanwhile. The thread imports
//! into a copy of the workspace the app holds and reads it again from disk afterwards;
//! the app takes that and the messages once it is done.

use std::path::PathBuf;

use chrono::NaiveDate;

use ips_store::workspace::Workspace;
use ips_text::text::Lang;

use super::strings;
use super::{Message, ReviewerConflict, store_error_text};

/// What an import brings back to the window.
#[derive(Debug, Default)]
pub struct Imported {
    /// The workspace read again after something was written (`None`: nothing was).
    pub ws: Option<Workspace>,
    pub messages: Vec<Message>,
    pub reviewer_conflicts: Vec<ReviewerConflict>,
}

/// Imports `paths` into `ws`; each file is all or nothing, and a review that differs from
/// one already here is a conflict, never overwritten.
pub fn import(
    mut ws: Workspace,
    paths: &[PathBuf],
    lang: Lang,
    today: NaiveDate,
    progress: Option<&std::sync::atomic::AtomicUsize>,
) -> Imported {
    let s = strings::get(lang);
    let mut out = Imported::default();
    let mut evaluations = Vec::new();
    let mut packages = Vec::new();
    let mut figures = Vec::new();
    for path in paths {
        let supported =
            ips_store::intake::is_csv(path) || path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json"));
        if !supported {
            out.messages.push(Message::error(format!("{}: {}", path.display(), s.import_not_supported)));
            continue;
        }
        match ips_store::intake::read_file(path, &ws.scales, lang) {
            Ok(intake) => {
                for note in intake.notes {
                    out.messages.push(Message::error(note));
                }
                evaluations.extend(intake.evaluations);
                packages.extend(intake.package);
                if !intake.outcomes.is_empty() {
                    figures.push((path.clone(), intake.outcomes));
                }
            }
            Err(e) => {
                let text = format!("{} {}:\n{}", s.import_nothing, path.display(), e.lines_in(lang).join("\n"));
                out.messages.push(Message::error(text));
            }
        }
    }
    if evaluations.is_empty() && packages.is_empty() && figures.is_empty() {
        return out;
    }
    let (mut added, mut unchanged, mut conflicts) = (0, 0, 0);
    let mut failed = None;
    let mut outcomes = Vec::new();
    for (path, rows) in figures {
        match ws.import_outcomes(rows) {
            Ok(results) => {
                for r in results {
                    match r {
                        ips_domain::outcomes::OutcomeImport::Added { .. } => added += 1,
                        ips_domain::outcomes::OutcomeImport::Unchanged { .. } => unchanged += 1,
                        ips_domain::outcomes::OutcomeImport::Conflict { service, period } => {
                            conflicts += 1;
                            let text = format!("{}: {service} {period}: {}", path.display(), s.outcome_conflict);
                            out.messages.push(Message::error(text));
                        }
                    }
                }
            }
            Err(ips_store::workspace::OutcomeImportError::UnknownServices(names)) => {
                let text =
                    format!("{} {}: {} {}", s.import_nothing, path.display(), s.unknown_services, names.join(", "));
                out.messages.push(Message::error(text));
            }
            Err(ips_store::workspace::OutcomeImportError::Store(e)) => failed = Some(e),
        }
    }
    if !evaluations.is_empty() {
        match ws.import(evaluations) {
            Ok(o) => outcomes.extend(o),
            Err(e) => failed = Some(e),
        }
    }
    for p in packages {
        if failed.is_some() {
            break;
        }
        match ws.import_package(p) {
            Ok(merged) => {
                outcomes.extend(merged.reviews);
                for o in &merged.outcomes {
                    match o {
                        ips_domain::outcomes::OutcomeImport::Added { .. } => added += 1,
                        ips_domain::outcomes::OutcomeImport::Unchanged { .. } => unchanged += 1,
                        ips_domain::outcomes::OutcomeImport::Conflict { .. } => conflicts += 1,
                    }
                }
                added += merged.meetings_added;
                unchanged += merged.meetings_unchanged;
                conflicts += merged.meeting_conflicts.len();
                for r in merged.reviewers {
                    match r {
                        ips_store::package::ReviewerOutcome::Added { .. } => added += 1,
                        ips_store::package::ReviewerOutcome::Unchanged { .. } => unchanged += 1,
                        ips_store::package::ReviewerOutcome::Conflict { path, reviewer, here, incoming } => {
                            conflicts += 1;
                            let text = ips_text::i18n::fill(
                                s.reviewer_conflict,
                                &[("reviewer", reviewer), ("path", path.display().to_string())],
                            );
                            out.messages.push(Message::error(text));
                            out.reviewer_conflicts.push(ReviewerConflict { path, here: *here, incoming: *incoming });
                        }
                    }
                }
            }
            Err(e) => failed = Some(e),
        }
    }
    for o in &outcomes {
        match o {
            ips_store::workspace::ImportOutcome::Added { .. } => added += 1,
            ips_store::workspace::ImportOutcome::Unchanged { .. } => unchanged += 1,
            ips_store::workspace::ImportOutcome::Conflict { path } => {
                conflicts += 1;
                out.messages.push(Message::error(format!("{}: {}", path.display(), s.import_conflict)));
            }
        }
    }
    if let Some(e) = &failed {
        out.messages.push(Message::error(store_error_text(e, lang)));
    }
    let text = ips_text::i18n::fill(
        s.import_summary,
        &[("added", added.to_string()), ("unchanged", unchanged.to_string()), ("conflicts", conflicts.to_string())],
    );
    out.messages.push(if conflicts > 0 { Message::error(text) } else { Message::info(text) });
    // Read again from disk: the views start from what is there now.
    out.ws = Some(Workspace::load_brief(&ws.root, today, progress));
    out
}
