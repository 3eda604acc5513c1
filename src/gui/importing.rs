//! Imports (CSV files, workbooks, review files, packages dropped on the window or chosen in a dialog)
//! run on the job runner's write lane, like reading a workspace: an import of 60,000
//! reviews takes seconds, and the window shows that it is at work meanwhile. The job imports
//! into a copy of the workspace the app holds through the store's use-case (the CLI's
//! `import` calls the same) and reads it again from disk afterwards; the app takes that and
//! the messages once it is done.

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

/// Imports `paths` into `ws` through the store's use-case ([`ips_store::import`]); each file
/// is all or nothing, and a review that differs from one already here is a conflict, never
/// overwritten. The messages say what needs the user: what was left out, the conflicts, a
/// failed write, and the counts.
pub fn import(
    mut ws: Workspace,
    paths: &[PathBuf],
    workbooks: &[(PathBuf, ips_store::xlsx_in::WorkbookRead)],
    defaults: &ips_store::xlsx_in::SheetDefaults,
    lang: Lang,
    today: NaiveDate,
    progress: Option<&std::sync::atomic::AtomicUsize>,
) -> Imported {
    use ips_domain::outcomes::QuarterMerge;
    use ips_store::import::ImportEvent;
    use ips_store::package::ReviewerMerge;
    use ips_store::workspace::ReviewMerge;

    let mut out = Imported::default();
    let mut report = ips_store::import::import_previewed(&mut ws, paths, workbooks, defaults, lang);
    let had_content = report.had_content();
    for event in std::mem::take(&mut report.events) {
        let said = match event {
            ImportEvent::NotSupported { path } => {
                Message::error(|s, _| format!("{}: {}", path.display(), s.import_not_supported))
            }
            ImportEvent::Unreadable { path, lines } => {
                Message::error(|s, _| format!("{} {}:\n{}", s.import_nothing, path.display(), lines.join("\n")))
            }
            ImportEvent::Note(note) => Message::error(|_, _| note.clone()),
            ImportEvent::UnknownServices { file, names, .. } => Message::error(|s, _| {
                format!("{} {}: {} {}", s.import_nothing, file.display(), s.unknown_services, names.join(", "))
            }),
            ImportEvent::Quarter { file, merge: QuarterMerge::Conflict { service, period } } => {
                Message::error(move |s, lang| {
                    format!("{}: {service} {}: {}", file.display(), period.label(lang), s.outcome_conflict)
                })
            }
            ImportEvent::Review(ReviewMerge::Conflict { path }) => {
                Message::error(|s, _| format!("{}: {}", path.display(), s.import_conflict))
            }
            ImportEvent::Reviewer(ReviewerMerge::Conflict { path, reviewer, here, incoming }) => {
                let said = Message::error(|s, _| {
                    let at = path.display().to_string();
                    ips_text::i18n::fill(s.reviewer_conflict, &[("reviewer", reviewer.clone()), ("path", at)])
                });
                out.reviewer_conflicts.push(ReviewerConflict { path, here: *here, incoming: *incoming });
                said
            }
            ImportEvent::ServiceBlocked { path, why, reviews } => Message::error(move |_, lang| {
                let at = path.display().to_string();
                ips_text::msg!("cli.service_blocked", path = at, why = why.text(lang), count = reviews).text(lang)
            }),
            ImportEvent::PackageRefused { file, error } => Message::error(move |s, lang| {
                format!("{} {}: {}", s.import_nothing, file.display(), store_error_text(&error, lang))
            }),
            // Kept for the package's reviews; the overview offers to adopt it.
            ImportEvent::ScaleAdded(scale) => {
                Message::info(move |s, _| ips_text::i18n::fill(s.scale_carried, &[("scale", scale.clone())]))
            }
            // Said by the counts.
            ImportEvent::Review(_)
            | ImportEvent::Reviewer(_)
            | ImportEvent::Quarter { .. }
            | ImportEvent::MeetingConflict { .. } => continue,
        };
        out.messages.push(said);
    }
    if !had_content {
        return out;
    }
    if let Some(e) = &report.failed {
        out.messages.push(Message::error(|_, lang| store_error_text(e, lang)));
        let added = report.added;
        if added > 0 {
            out.messages
                .push(Message::error(move |_, lang| ips_text::msg!("cli.import_partial", added = added).text(lang)));
        }
    }
    let counts = [("added", report.added), ("unchanged", report.unchanged), ("conflicts", report.conflicts)];
    let summary =
        |s: &strings::Strings, _| ips_text::i18n::fill(s.import_summary, &counts.map(|(k, n)| (k, n.to_string())));
    out.messages.push(if report.conflicts > 0 { Message::error(summary) } else { Message::info(summary) });
    // Read again from disk: the views start from what is there now.
    out.ws = Some(Workspace::open_brief(&ws.root, today, progress));
    out
}
