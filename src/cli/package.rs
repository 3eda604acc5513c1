//! `package`: a service's package, or one reviewer's own scores, for a colleague without the shared folder.

use super::*;

pub(super) fn package_cmd(
    output: Option<&Path>,
    service: Option<&str>,
    reviewer: Option<&str>,
    date: Option<chrono::NaiveDate>,
    kind: EvaluationType,
    io: Io<'_>,
) -> Outcome {
    let Io { ws_dir, t, out, err } = io;
    let lang = t.lang;
    let Some(name) = service else {
        writeln!(err, "{}", t.package_needs_service)?;
        return Ok(bad_input());
    };
    let Some(ws) = open_workspace(ws_dir, lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    // A review that cannot be read is not in the package: the colleague must learn so.
    let skipped = say_skipped(&ws, t, err)?;
    let Some(si) = ws.find_service(name) else {
        let known: Vec<&str> = ws.services.iter().map(|s| s.info.name.as_str()).collect();
        let known = if known.is_empty() { t.none.to_string() } else { known.join(", ") };
        say!(err, t.no_service, workspace = ws_dir.display(), name = name, known = known)?;
        return Ok(bad_input());
    };
    let package = match (reviewer, date) {
        (Some(r), Some(d)) => match ips_store::package::Package::of_reviewer(&ws, si, d, kind, r) {
            Ok(p) => p,
            Err(refusal) => {
                let date = format_date(d, lang);
                let service = ws.services[si].info.name.as_str();
                match refusal {
                    ips_store::package::PackageRefusal::NoReview => {
                        say!(err, t.no_review_on, workspace = ws_dir.display(), service = service, date = date)?
                    }
                    ips_store::package::PackageRefusal::NoReviewer => {
                        say!(err, t.no_reviewer, reviewer = r, service = service, date = date)?
                    }
                    ips_store::package::PackageRefusal::NotDone => say!(err, t.reviewer_not_done, reviewer = r)?,
                }
                return Ok(bad_input());
            }
        },
        _ => ips_store::package::Package::of_service(&ws, si),
    };
    let bytes = package.to_json().into_bytes();
    // What another workspace could not read back is not written.
    if bytes.len() as u64 > store::MAX_IMPORT_BYTES {
        let size = ips_text::text::format_size(bytes.len() as u64);
        let max = ips_text::text::format_size(store::MAX_IMPORT_BYTES);
        say!(err, t.package_too_large, size = size, max = max)?;
        return Ok(bad_input());
    }
    match output.filter(|p| !is_stdout(p)) {
        None => out.write_all(&bytes)?,
        Some(path) => {
            replace_file(path, &bytes).map_err(|e| write_failed(&e, lang))?;
            say!(err, t.package_written, reviews = package.reviews.len(), path = path.display())?;
        }
    }
    finished(skipped, t, err)
}
