//! `dev`: tools for tests and benchmarks (hidden from help): a generated workspace, repeated saves.

use super::*;

#[cfg(debug_assertions)]
pub(super) fn bump_cmd(rounds: u32, ws_dir: &Path, out: &mut dyn Write) -> Outcome {
    let mut ws = Workspace::load(ws_dir);
    let (mut saved, mut retries) = (0u64, 0u64);
    for _ in 0..rounds {
        for si in 0..ws.services.len() {
            for ei in 0..ws.services[si].evaluations.len() {
                loop {
                    let e = &mut ws.services[si].evaluations[ei].evaluation;
                    let n: u64 = e.notes.trim().parse().unwrap_or(0);
                    e.notes = (n + 1).to_string();
                    match ws.save_evaluation(si, ei) {
                        Ok(()) => break,
                        Err(store::StoreError::Conflict { .. } | store::StoreError::Locked { .. }) => {
                            retries += 1;
                            ws.reload_evaluation(si, ei).map_err(|p| anyhow::anyhow!("{}", p[0]))?;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                saved += 1;
            }
        }
    }
    writeln!(out, "{saved} saves, {retries} conflicts retried")?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn generate_cmd(services: u32, reviews: u32, seed: u64, csv: Option<&Path>, io: Io<'_>) -> Outcome {
    let Io { ws_dir, t, out, err } = io;
    // It writes a whole workspace: never into one that has anything in it.
    if std::fs::read_dir(ws_dir).is_ok_and(|mut entries| entries.next().is_some()) {
        say!(err, t.generate_not_empty, folder = ws_dir.display())?;
        return Ok(bad_input());
    }
    crate::generate::generate(ws_dir, services, reviews, seed, csv)?;
    writeln!(out, "{services} services × {reviews} reviews written to {}", ws_dir.display())?;
    Ok(ExitCode::SUCCESS)
}
