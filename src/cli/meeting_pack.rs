//! `meeting-pack`: the styringsgruppe's meeting pack PDF for a service and a date.

use super::*;

pub(super) fn meeting_pack_cmd(service: &str, date: Option<chrono::NaiveDate>, output: &Path, io: Io<'_>) -> Outcome {
    let Io { ws_dir, t, out, err } = io;
    let Some(ws) = open_workspace(ws_dir, t.lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    // Every file left out is named; one of this service's makes the exit code 4.
    let _ = say_skipped(&ws, t, err)?;
    let Some(si) = service_or_say(&ws, ws_dir, service, t, err)? else {
        return Ok(bad_input());
    };
    let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let pack = ips_domain::meeting_pack::pack(&ws.services[si], &ws.scales, date, t.lang);
    let bytes = ips_pdf::meeting_pack(&pack, t.lang)?;
    written_without(write_pdf(output, &bytes, t, out), left_out_of(&ws, si), t, err)
}
