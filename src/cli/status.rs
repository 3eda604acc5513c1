//! `review set-status`: moves a review through the cycle (planned to final) by the domain's rule.

use super::*;

pub(super) fn set_status_cmd(
    service: &str,
    date: chrono::NaiveDate,
    kind: EvaluationType,
    to: ReviewStatus,
    reason: &str,
    io: Io<'_>,
) -> Outcome {
    let Io { ws_dir, t, out, err } = io;
    let lang = t.lang;
    let Some(mut ws) = load_workspace(ws_dir, lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    let Some(si) = service_or_say(&ws, ws_dir, service, t, err)? else {
        return Ok(bad_input());
    };
    let Some(ei) = ws.services[si].find(date, kind) else {
        let name = ws.services[si].info.name.clone();
        say!(err, t.no_review_on, workspace = ws_dir.display(), service = name, date = format_date(date, lang))?;
        return Ok(bad_input());
    };
    let path = ws.evaluation_path(si, ei);
    let rec = &ws.services[si].evaluations[ei];
    let Some(scale) = ws.scales.for_evaluation(&rec.evaluation).cloned() else {
        return Ok(bad_input());
    };
    let mut e = rec.evaluation.clone();
    let from = ips_domain::lifecycle::status_of(&e);
    match ips_domain::lifecycle::set_status(&mut e, &scale, to, reason, &ips_store::store::signature_now()) {
        Ok(false) => {
            say!(out, t.status_unchanged, path = path.display(), status = to.label(lang).to_lowercase())?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(true) => {
            ws.services[si].evaluations[ei].evaluation = e;
            ws.save_evaluation(si, ei).map_err(|e| write_failed(&e, lang))?;
            say!(out, t.status_changed, path = path.display(), from = from.label(lang), to = to.label(lang))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(refusal) => {
            writeln!(err, "{}: {}", path.display(), refusal.msg().text(lang))?;
            Ok(bad_input())
        }
    }
}
