//! `scale check`: checks scale files and says what is wrong in each. `scale adopt`: the
//! user's consent to score new reviews on a version a package brought.

use super::*;

pub(super) fn scale_check(files: &[PathBuf], t: &CliTexts, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let mut ok = true;
    for f in files {
        match load_scale_file(f) {
            Ok(s) => say!(
                out,
                t.scale_ok,
                file = f.display(),
                id = s.id,
                version = s.version,
                items = s.items.len(),
                min = s.min_total(),
                max = s.max_total(),
                bands = s.bands.len()
            )?,
            Err(e) => {
                ok = false;
                print_problems(err, &e, t)?;
            }
        }
    }
    Ok(if ok { ExitCode::SUCCESS } else { bad_input() })
}

pub(super) fn scale_adopt(id: &str, version: &str, io: Io<'_>) -> Outcome {
    use ips_store::workspace::Adoption;
    let Io { ws_dir, t, out, err } = io;
    let Some(mut ws) = load_workspace(ws_dir, t.lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    for p in &ws.problems {
        writeln!(err, "{}", p.text(t.lang))?;
    }
    let scale = format!("{id} {version}");
    let before = ws.scales.get(id).map(|s| format!("{} {}", s.id, s.version));
    match ws.adopt_scale(id, version, t.lang) {
        Ok(Adoption::Adopted { changes }) => {
            if let Some(from) = before {
                if changes.is_empty() {
                    say!(out, t.scale_no_changes, from = from)?;
                } else {
                    say!(out, t.scale_changes_head, from = from)?;
                    for c in &changes {
                        writeln!(out, "  {}", c.msg().text(t.lang))?;
                    }
                }
            }
            say!(out, t.scale_adopted, scale = scale)?;
            // Adopted, but an even newer version is what new reviews use.
            if let Some(newest) = ws.scales.get(id).filter(|s| s.version != version) {
                say!(out, t.scale_newer_in_use, scale = format!("{} {}", newest.id, newest.version))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Ok(Adoption::AlreadyAdopted) => {
            say!(out, t.scale_already_adopted, scale = scale)?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(Adoption::Unknown { known }) => {
            say!(err, t.scale_unknown_version, scale = scale, workspace = ws_dir.display(), known = known.join(", "))?;
            Ok(bad_input())
        }
        Err(e) => Err(write_failed(&e, t.lang)),
    }
}
