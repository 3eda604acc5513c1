//! `import`: prints what the store's import use-case (`ips_store::import`) did, one line per change or conflict, and the counts.

use super::*;

pub(super) fn import_cmd(
    files: &[PathBuf],
    defaults: &ips_store::xlsx_in::SheetDefaults,
    ws_dir: &Path,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    use ips_domain::outcomes::QuarterMerge;
    use ips_store::import::ImportEvent;
    use ips_store::package::ReviewerMerge;

    let Some(mut ws) = load_workspace(ws_dir, t.lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    for p in ws.problems.iter().chain(&ws.warnings) {
        writeln!(err, "{}", p.text(t.lang))?;
    }
    let report = ips_store::import::import_files(&mut ws, files, defaults, t.lang);
    for event in &report.events {
        match event {
            ImportEvent::NotSupported { path } => say!(err, t.not_supported, path = path.display())?,
            ImportEvent::Unreadable { lines, .. } => {
                for line in lines {
                    writeln!(err, "{line}")?;
                }
            }
            ImportEvent::Note(note) => writeln!(err, "{note}")?,
            ImportEvent::ScaleAdded(scale) => say!(out, t.scale_added, scale = scale)?,
            ImportEvent::Review(ReviewMerge::Added { path }) => say!(out, t.added, path = path.display())?,
            ImportEvent::Review(ReviewMerge::Conflict { path }) => say!(err, t.conflict, path = path.display())?,
            ImportEvent::Reviewer(ReviewerMerge::Added { path, reviewer }) => {
                say!(out, t.reviewer_added, reviewer = reviewer, path = path.display())?
            }
            ImportEvent::Reviewer(ReviewerMerge::Conflict { path, reviewer, .. }) => {
                say!(err, t.reviewer_conflict, reviewer = reviewer, path = path.display())?
            }
            ImportEvent::Quarter { merge: QuarterMerge::Added { service, period }, .. } => {
                say!(out, t.outcome_added, service = service, period = period.label(t.lang))?
            }
            ImportEvent::Quarter { file, merge: QuarterMerge::Conflict { service, period } } => {
                say!(err, t.outcome_conflict, file = file.display(), service = service, period = period.label(t.lang))?
            }
            ImportEvent::MeetingConflict { date } => say!(err, t.meeting_conflict, date = format_date(*date, t.lang))?,
            ImportEvent::ServiceBlocked { path, why, reviews } => {
                say!(err, t.service_blocked, path = path.display(), why = why.text(t.lang), count = reviews)?
            }
            ImportEvent::PackageRefused { file, error } => writeln!(err, "{}: {}", file.display(), error.text(t.lang))?,
            ImportEvent::UnknownServices { file, names, known } => {
                let known = if known.is_empty() { t.none.to_string() } else { known.join(", ") };
                for n in names {
                    say!(err, t.no_service, workspace = file.display(), name = n, known = known)?;
                }
            }
            ImportEvent::Review(ReviewMerge::Unchanged { .. } | ReviewMerge::Blocked { .. })
            | ImportEvent::Reviewer(ReviewerMerge::Unchanged { .. })
            | ImportEvent::Quarter { merge: QuarterMerge::Unchanged { .. }, .. } => {}
        }
    }
    if let Some(e) = &report.failed {
        // How much is in, so nobody has to count the files to know where to start again.
        if report.added > 0 {
            say!(err, t.import_partial, added = report.added)?;
        }
        return Err(write_failed(e, t.lang));
    }
    say!(
        out,
        t.import_summary,
        added = report.added,
        unchanged = report.unchanged,
        conflicts = report.conflicts,
        workspace = ws_dir.display()
    )?;
    Ok(if report.files_refused > 0 || report.conflicts > 0 || report.blocked > 0 {
        bad_input()
    } else {
        ExitCode::SUCCESS
    })
}
