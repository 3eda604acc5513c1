//! `score`: a review file's total, band, section subtotals and missing items (`--json`: the domain's `ScoreReport`).

use super::*;

pub(super) fn score_cmd(
    file: &Path,
    json: bool,
    t: &CliTexts,
    extra_scales: &[PathBuf],
    ws_dir: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let lang = t.lang;
    let Some(scales) = scales_for(ws_dir, extra_scales, t, err)? else {
        return Ok(bad_input());
    };
    let Some(e) = read_evaluation(file, &scales, t, err)? else {
        return Ok(bad_input());
    };
    let Some(scale) = scales.for_evaluation(&e) else {
        return Ok(bad_input());
    };
    let s = score(scale, &e.scores);
    if json {
        let v = ips_domain::scoring::ScoreReport::of(scale, &e, lang);
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} – {} ({})", e.service.name(), format_date(e.date, lang), e.kind.label(lang))?;
    writeln!(out, "{}: {} ({} {})", t.scale, scale.name.get(lang), scale.id, scale.version)?;
    writeln!(out, "{}: {} {} {}", t.total, s.total, t.of, s.max)?;
    match s.band(scale) {
        Some(b) => writeln!(out, "{}: {}", t.band, b.label.get(lang))?,
        None => {
            writeln!(out, "{}: {} {} {} {}", t.preliminary, s.scored, t.of, scale.items.len(), t.items_scored_no_band)?
        }
    }
    for (x, sec) in s.sections.iter().zip(&scale.sections) {
        writeln!(out, "  {}: {} {} {}", sec.name.get(lang), x.total, t.of, x.max)?;
    }
    if !s.missing.is_empty() {
        writeln!(out, "{}: {}", t.missing, s.missing.join(", "))?;
    }
    if let Some(n) = next_band(scale, &e, &s) {
        let text = next_band_text(scale, &n, lang);
        writeln!(out, "{}", text.heading)?;
        for line in &text.items {
            writeln!(out, "  • {line}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
