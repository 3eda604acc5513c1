//! `report`: the PDF report of a review file or of a workspace service's review.

use super::*;

pub(super) fn report_cmd(
    file: Option<&Path>,
    output: &Path,
    service: Option<&str>,
    date: Option<chrono::NaiveDate>,
    io: Io<'_>,
) -> Outcome {
    let Io { ws_dir, t, out, err } = io;
    let lang = t.lang;
    let today = chrono::Local::now().date_naive();
    let mut left_out = 0;
    let bytes = match (file, service) {
        (Some(file), _) => {
            let Some(scales) = scales_for(ws_dir, &[], t, err)? else {
                return Ok(bad_input());
            };
            let Some(e) = read_evaluation(file, &scales, t, err)? else {
                return Ok(bad_input());
            };
            ips_pdf::report(&scales, &e.service.info(), &e, &[], lang, today)
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
            ips_pdf::report(&ws.scales, &svc.info, &rec.evaluation, &history, lang, today)
        }
        (None, None) => {
            writeln!(err, "{}", t.report_needs_input)?;
            return Ok(bad_input());
        }
    };
    written_without(write_pdf(output, &bytes?, t, out), left_out, t, err)
}
