//! `summary`: the regional summary across services (text, `--json`, or PDF).

use super::*;

pub(super) fn summary_cmd(
    region: Option<String>,
    scale: &str,
    json: bool,
    output: Option<&Path>,
    io: Io<'_>,
) -> Outcome {
    let Io { ws_dir, t, out, err } = io;
    let lang = t.lang;
    let today = chrono::Local::now().date_naive();
    // Every service in brief: the summary needs its latest review and its reviewer pairs,
    // not every review's text in memory.
    let ws = Workspace::open_brief_once(ws_dir, today);
    if let Some(p) = &ws.unreachable {
        writeln!(err, "{}", p.text(lang))?;
        return Ok(ExitCode::FAILURE);
    }
    let skipped = say_skipped(&ws, t, err)?;
    for p in &ws.warnings {
        writeln!(err, "{}", p.text(lang))?;
    }
    if let Some(r) = &region
        && !ws.services.iter().any(|s| ips_domain::service::same_region(&s.info.region, r))
    {
        let known = ws.regions();
        let known = if known.is_empty() { t.none.to_string() } else { known.join(", ") };
        say!(err, t.no_region, region = r, known = known)?;
        return Ok(bad_input());
    }
    let selection = ips_domain::summary::Selection { region };
    let Some(sum) = ws.summary(scale, &selection, lang, today) else {
        let known: Vec<&str> = ws.scales.newest().map(|s| s.id.as_str()).collect();
        say!(err, t.no_scale, scale = scale, known = known.join(", "))?;
        return Ok(bad_input());
    };
    let scale_name = ws.scales.layout(scale).map_or(scale.to_string(), |s| s.name.get(lang).to_string());
    if let Some(path) = output {
        let workbook = is_xlsx(path);
        let bytes = if workbook {
            ips_store::xlsx_out::summary_workbook(&sum, lang)?
        } else {
            ips_pdf::summary(&sum, &scale_name, lang, today)?
        };
        if is_stdout(path) {
            out.write_all(&bytes)?;
            out.flush()?;
            return finished(skipped, t, err);
        }
        replace_file(path, &bytes).map_err(|e| write_failed(&e, lang))?;
        say!(err, t.report_written, path = path.display(), kb = bytes.len().div_ceil(1024))?;
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&sum)?)?;
        return finished(skipped, t, err);
    }
    let num = |v: f64| ips_text::text::format_decimal(v, 1, lang);
    let region_text = sum.region.as_ref().map_or(String::new(), |r| format!(" ({} {r})", t.region));
    say!(out, t.summary_head, scale = scale_name, services = sum.services, region = region_text)?;
    let bands: Vec<String> = sum.bands.iter().map(|b| format!("{} {}", b.label, b.count)).collect();
    writeln!(out, "{}: {}", t.band, bands.join(", "))?;
    let weakest = sum.weakest_lines(lang);
    writeln!(out, "{}: {}", t.weakest, if weakest.is_empty() { t.none.to_string() } else { weakest.join("; ") })?;
    for i in &sum.items {
        writeln!(out, "  {:<4} {:>4}  {}", i.id, num(i.mean), i.name)?;
    }
    let overdue: Vec<String> = sum
        .overdue
        .iter()
        .map(|o| format!("{} ({} {})", o.name, o.what.label(lang), format_date(o.due, lang)))
        .collect();
    writeln!(
        out,
        "{}: {}",
        t.overdue_reviews,
        if overdue.is_empty() { t.none.to_string() } else { overdue.join(", ") }
    )?;
    let a = &sum.agreement;
    let apart = if a.most_apart.is_empty() { t.none.to_string() } else { a.most_apart.join(", ") };
    say!(out, t.calibration_line, reviews = a.reviews, items = apart)?;
    for p in &a.pairs {
        let share = |n: usize| ips_text::text::format_share(n, p.compared, lang).unwrap_or_else(|| "–".to_string());
        say!(
            out,
            t.calibration_pair,
            a = p.reviewers[0],
            b = p.reviewers[1],
            reviews = p.reviews,
            exact = share(p.exact),
            within = share(p.within_one),
            kappa = p.kappa.map_or("–".to_string(), |k| ips_text::text::format_decimal(k, 2, lang))
        )?;
    }
    finished(skipped, t, err)
}
