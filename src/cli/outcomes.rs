//! `outcomes import`: a service's outcome figures (måltall) from a CSV, quarter by quarter.

use super::*;

/// Prints what became of imported outcome figures; returns (added, unchanged, conflicts).
pub(super) fn print_outcome_results(
    results: Vec<ips_domain::outcomes::QuarterMerge>,
    file: &str,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<(usize, usize, usize)> {
    let (mut added, mut unchanged, mut conflicts) = (0, 0, 0);
    for r in results {
        match r {
            ips_domain::outcomes::QuarterMerge::Added { service, period } => {
                added += 1;
                say!(out, t.outcome_added, service = service, period = period.label(t.lang))?;
            }
            ips_domain::outcomes::QuarterMerge::Unchanged { .. } => unchanged += 1,
            ips_domain::outcomes::QuarterMerge::Conflict { service, period } => {
                conflicts += 1;
                say!(err, t.outcome_conflict, file = file, service = service, period = period.label(t.lang))?;
            }
        }
    }
    Ok((added, unchanged, conflicts))
}

/// Imports one file's outcome rows; `None` (after naming them) when rows name services the
/// workspace does not have, and then nothing is written.
pub(super) fn import_outcome_rows(
    ws: &mut Workspace,
    rows: Vec<ips_store::outcomes_csv::OutcomeRow>,
    file: &str,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Option<(usize, usize, usize)>, anyhow::Error> {
    match ws.import_outcomes(rows) {
        Ok(results) => Ok(Some(print_outcome_results(results, file, t, out, err)?)),
        Err(ips_store::workspace::FiguresImportError::UnknownServices(names)) => {
            let known: Vec<&str> = ws.services.iter().map(|s| s.info.name.as_str()).collect();
            let known = if known.is_empty() { t.none.to_string() } else { known.join(", ") };
            for n in names {
                say!(err, t.no_service, workspace = file, name = n, known = known)?;
            }
            Ok(None)
        }
        Err(ips_store::workspace::FiguresImportError::Store(e)) => Err(write_failed(&e, t.lang)),
    }
}

pub(super) fn outcomes_cmd(
    ws_dir: &Path,
    file: &Path,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let lang = t.lang;
    let Some(mut ws) = load_workspace(ws_dir, lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    let name = file.display().to_string();
    let text = match store::read_text(file) {
        Ok((text, _)) => text,
        Err(e) => {
            writeln!(err, "{}", e.text(lang))?;
            return Ok(bad_input());
        }
    };
    let rows = match ips_store::outcomes_csv::parse_csv(&name, &text) {
        Ok(rows) => rows,
        Err(e) => {
            print_problems(err, &e, t)?;
            return Ok(bad_input());
        }
    };
    let Some((added, unchanged, conflicts)) = import_outcome_rows(&mut ws, rows, &name, t, out, err)? else {
        return Ok(bad_input());
    };
    let ws_name = ws_dir.display();
    say!(out, t.import_summary, added = added, unchanged = unchanged, conflicts = conflicts, workspace = ws_name)?;
    Ok(if conflicts > 0 { bad_input() } else { ExitCode::SUCCESS })
}
