//! `prepare`: the reviewers' preparation pack PDF for a scale.

use super::*;

pub(super) fn prepare_cmd(
    ws_dir: &Path,
    scale: &str,
    output: &Path,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let Some(scales) = scales_for(ws_dir, &[], t, err)? else {
        return Ok(bad_input());
    };
    let Some(scale) = scales.get(scale) else {
        let known: Vec<&str> = scales.newest().map(|s| s.id.as_str()).collect();
        say!(err, t.no_scale, scale = scale, known = known.join(", "))?;
        return Ok(bad_input());
    };
    let bytes = ips_pdf::prepare(&ips_domain::prepare::pack(scale, t.lang))?;
    write_pdf(output, &bytes, t, out)
}
