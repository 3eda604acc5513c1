//! `export`: every review of the workspace as CSV (for Excel or plain), as an Excel
//! workbook, or as a package.

use super::*;

pub(super) fn export_cmd(
    ws_dir: &Path,
    output: Option<&Path>,
    excel: bool,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let dialect = if excel { Dialect::Excel } else { Dialect::Plain };
    // Streamed: the services are read a batch at a time and the rows kept compact, so the
    // export's memory does not grow with the reviews' text.
    let index = ips_store::index::WorkspaceIndex::default_for(ws_dir);
    let (export, found) = csv_io::gather_from_disk(ws_dir, index.as_ref(), t.lang);
    if let Some(p) = &found.unreachable {
        writeln!(err, "{}", p.text(t.lang))?;
        return Ok(ExitCode::FAILURE);
    }
    for p in &found.problems {
        say!(err, t.skipped, problem = p.text(t.lang))?;
    }
    let skipped = found.problems.len();
    for p in &found.warnings {
        writeln!(err, "{}", p.text(t.lang))?;
    }
    match output.filter(|p| !is_stdout(p)) {
        None => {
            let mut w = std::io::BufWriter::with_capacity(256 * 1024, out);
            export.write(dialect, &mut w)?;
            w.flush()?;
        }
        Some(path) => {
            let rows = store::write_output_with(path, |w| export.write(dialect, w)).map_err(|e| match e {
                store::OutputError::Store(e) => write_failed(&e, t.lang),
                store::OutputError::Write(e) => write_failed(&store::StoreError::io(path, e), t.lang),
            })?;
            say!(err, t.export_written, rows = rows, path = path.display())?;
        }
    }
    finished(skipped, t, err)
}

/// `export --format xlsx -o FILE.xlsx`: the reviews, the summary and the outcome figures as
/// an Excel workbook ([`ips_store::xlsx_out`]), replacing `FILE.xlsx` whole.
pub(super) fn export_xlsx_cmd(ws_dir: &Path, output: Option<&Path>, io: Io<'_>) -> Outcome {
    let Io { t, err, .. } = io;
    // A workbook is binary: it goes to a file the user names, never to the terminal.
    let Some(path) = output.filter(|p| !is_stdout(p)) else {
        writeln!(err, "{}", t.xlsx_needs_output)?;
        return Ok(bad_input());
    };
    let index = ips_store::index::WorkspaceIndex::default_for(ws_dir);
    let today = chrono::Local::now().date_naive();
    let (made, found) = ips_store::xlsx_out::export_from_disk(ws_dir, index.as_ref(), t.lang, today);
    if let Some(p) = &found.unreachable {
        writeln!(err, "{}", p.text(t.lang))?;
        return Ok(ExitCode::FAILURE);
    }
    for p in &found.problems {
        say!(err, t.skipped, problem = p.text(t.lang))?;
    }
    for p in &found.warnings {
        writeln!(err, "{}", p.text(t.lang))?;
    }
    let (bytes, rows) = made?;
    replace_file(path, &bytes).map_err(|e| write_failed(&e, t.lang))?;
    say!(err, t.export_written, rows = rows, path = path.display())?;
    finished(found.problems.len(), t, err)
}

/// Whether `path` names an Excel workbook (by its extension, in any case).
pub(super) fn is_xlsx(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}
