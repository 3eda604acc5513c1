//! `scale check`: checks scale files and says what is wrong in each.

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
