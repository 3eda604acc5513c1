//! `report`: the report of a review file or of a workspace service's review, as PDF, or as
//! a Word document when the output ends in .docx (`--plan-only`: the handlingsplan alone).

use super::*;

/// Which review, and what of it.
pub(super) struct What<'a> {
    pub file: Option<&'a Path>,
    pub service: Option<&'a str>,
    pub date: Option<chrono::NaiveDate>,
    pub plan_only: bool,
    /// The language given with `--lang` (else a service's own report language decides).
    pub lang: Option<Lang>,
}

/// Whether the output is a Word document (by its extension).
fn is_docx(output: &Path) -> bool {
    output.extension().is_some_and(|x| x.eq_ignore_ascii_case("docx"))
}

pub(super) fn report_cmd(what: What<'_>, output: &Path, io: Io<'_>) -> Outcome {
    let What { file, service, date, plan_only, lang: asked } = what;
    let Io { ws_dir, t, out, err } = io;
    let lang = t.lang;
    let now = chrono::Local::now().fixed_offset();
    let today = now.date_naive();
    let word = is_docx(output);
    if plan_only && !word {
        writeln!(err, "{}", t.plan_only_docx)?;
        return Ok(bad_input());
    }
    let kind = if plan_only { ips_docx::Kind::PlanOnly } else { ips_docx::Kind::Report };
    let render = |scales: &ScaleSet,
                  info: &ips_domain::evaluation::ServiceInfo,
                  e: &Evaluation,
                  history: &[&Evaluation]|
     -> Result<Vec<u8>, String> {
        let lang = info.report_language(asked, lang);
        if word {
            ips_docx::report(scales, info, e, history, lang, now, kind).map_err(|e| e.to_string())
        } else {
            ips_pdf::report(scales, info, e, history, lang, today).map_err(|e| e.to_string())
        }
    };
    let mut left_out = 0;
    let bytes = match (file, service) {
        (Some(file), _) => {
            let Some(scales) = scales_for(ws_dir, &[], t, err)? else {
                return Ok(bad_input());
            };
            let Some(e) = read_evaluation(file, &scales, t, err)? else {
                return Ok(bad_input());
            };
            render(&scales, &e.service.info(), &e, &[])
        }
        (None, Some(name)) => {
            let Some(ws) = open_workspace(ws_dir, lang, err)? else {
                return Ok(ExitCode::FAILURE);
            };
            // Every file left out is named; one of this service's makes the exit code 4.
            let _ = say_skipped(&ws, t, err)?;
            let Some(si) = service_or_say(&ws, ws_dir, name, t, err)? else {
                return Ok(bad_input());
            };
            let svc = &ws.services[si];
            let chosen = match date {
                Some(d) => svc
                    .evaluations
                    .iter()
                    .filter(|r| r.evaluation.date == d)
                    .max_by_key(|r| r.evaluation.kind == EvaluationType::Independent),
                None => svc.latest(EvaluationType::Independent).or_else(|| svc.evaluations.last()),
            };
            let Some(rec) = chosen else {
                match date {
                    Some(d) => {
                        let date = format_date(d, lang);
                        say!(err, t.no_review_on, workspace = ws_dir.display(), service = svc.info.name, date = date)?
                    }
                    None => say!(err, t.no_review, workspace = ws_dir.display(), service = svc.info.name)?,
                }
                return Ok(bad_input());
            };
            left_out = left_out_of(&ws, si);
            // This service's warnings: a review's missing scale version, sync conflict copies.
            let dir = ws.service_dir(si);
            for w in ws.warnings.iter().filter(|w| w.path.starts_with(&dir)) {
                writeln!(err, "{}", w.text(lang))?;
            }
            let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
            render(&ws.scales, &svc.info, &rec.evaluation, &history)
        }
        (None, None) => {
            writeln!(err, "{}", t.report_needs_input)?;
            return Ok(bad_input());
        }
    };
    let bytes = bytes.map_err(anyhow::Error::msg)?;
    written_without(write_pdf(output, &bytes, t, out), left_out, t, err)
}
