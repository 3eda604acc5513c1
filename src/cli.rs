//! The command line: `ips-fidelity [--workspace DIR] [COMMAND]`. With no command it opens
//! the desktop app. Every command is a thin printer of what [`crate::core`] computes.
//! Bad input gives one line per problem on stderr, naming the file, and exit code 2.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::core::csv_io::{self, Dialect};
use crate::core::evaluation::Evaluation;
use crate::core::scale::DataFileError;
use crate::core::scoring::{next_band, score};
use crate::core::store;
use crate::core::text::Lang;
use crate::core::workspace::{ImportOutcome, ScaleSet, Workspace, load_scale_file};

/// Exit code for bad input (a malformed file, an unknown item, a score out of range).
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "ips-fidelity",
    version,
    about = "IPS kvalitetsskala: score fidelity reviews and follow a service over the years.\nWith no command, the desktop app opens."
)]
pub struct Cli {
    /// Workspace folder (default: the platform's data folder).
    #[arg(long, global = true, env = "IPS_FIDELITY_WORKSPACE", value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scale definition files.
    Scale {
        #[command(subcommand)]
        command: ScaleCommand,
    },
    /// Score an evaluation file: total, band, section subtotals, missing items.
    Score {
        file: PathBuf,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "nb", value_parser = parse_lang)]
        lang: Lang,
        /// An extra scale file to score against (besides the built-in ones).
        #[arg(long, value_name = "FILE")]
        scale: Vec<PathBuf>,
    },
    /// Import evaluation JSON files or CSV files into the workspace.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Make the PDF report for one evaluation file, or for a service in the workspace.
    Report {
        /// An evaluation file (leave out and use --service for a workspace service).
        file: Option<PathBuf>,
        /// The PDF to write.
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
        /// A service in the workspace (its latest review unless --date is given).
        #[arg(long, conflicts_with = "file")]
        service: Option<String>,
        /// The date of the service's review (YYYY-MM-DD).
        #[arg(long, requires = "service")]
        date: Option<chrono::NaiveDate>,
        #[arg(long, default_value = "nb", value_parser = parse_lang)]
        lang: Lang,
    },
    #[command(hide = true)]
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
    /// Export every evaluation of the workspace.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Output file (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Semicolons and a byte-order mark, for Norwegian Excel.
        #[arg(long)]
        excel: bool,
        #[arg(long, default_value = "nb", value_parser = parse_lang)]
        lang: Lang,
    },
}

/// Developer tools for tests and benchmarks (hidden from help).
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Read-modify-write every evaluation's `notes` counter ROUNDS times, reloading and
    /// retrying on conflicts: two of these at once must end with every counter at the sum.
    Bump {
        #[arg(long, default_value_t = 10)]
        rounds: u32,
    },
    /// Write a deterministic workspace of SERVICES services with REVIEWS reviews each.
    Generate {
        #[arg(long, default_value_t = 300)]
        services: u32,
        #[arg(long, default_value_t = 20)]
        reviews: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write all reviews as one CSV file.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScaleCommand {
    /// Validate scale files; exit 0 when all are valid, 2 otherwise.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

/// The workspace folder: `--workspace`, `IPS_FIDELITY_WORKSPACE`, or the platform data folder.
pub fn workspace_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.unwrap_or_else(|| {
        directories::ProjectDirs::from("no", "IPS", "ips-fidelity")
            .map(|d| d.data_dir().join("workspace"))
            .unwrap_or_else(|| PathBuf::from("ips-fidelity-workspace"))
    })
}

/// A command's result: the exit code, after the command printed what it had to say.
type Outcome = Result<ExitCode, anyhow::Error>;

/// Runs a parsed command line. `None` when the desktop app should open.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Option<Outcome> {
    let ws_dir = workspace_dir(cli.workspace);
    let command = cli.command?;
    Some(match command {
        Command::Scale { command: ScaleCommand::Check { files } } => scale_check(&files, out, err),
        Command::Score { file, json, lang, scale } => score_cmd(&file, json, lang, &scale, &ws_dir, out, err),
        Command::Import { files } => import_cmd(&files, &ws_dir, out, err),
        Command::Dev { command } => match command {
            DevCommand::Bump { rounds } => bump_cmd(rounds, &ws_dir, out),
            DevCommand::Generate { services, reviews, seed, csv } => {
                generate_cmd(services, reviews, seed, csv.as_deref(), &ws_dir, out)
            }
        },
        Command::Report { file, output, service, date, lang } => {
            report_cmd(file.as_deref(), &output, service.as_deref(), date, lang, &ws_dir, out, err)
        }
        Command::Export { format: ExportFormat::Csv, output, excel, lang } => {
            export_cmd(&ws_dir, output.as_deref(), excel, lang, out, err)
        }
    })
}

/// Parses arguments and runs; for tests and `main`.
pub fn run_args<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> Result<Option<Outcome>, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::try_parse_from(args)?;
    Ok(run(cli, out, err))
}

fn bad_input() -> ExitCode {
    ExitCode::from(EXIT_BAD_INPUT)
}

fn print_problems(err: &mut dyn Write, e: &DataFileError) -> std::io::Result<()> {
    for line in e.lines() {
        writeln!(err, "{line}")?;
    }
    Ok(())
}

fn scale_check(files: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let mut ok = true;
    for f in files {
        match load_scale_file(f) {
            Ok(s) => writeln!(
                out,
                "{}: OK ({} {}, {} items, totals {}-{}, {} bands)",
                f.display(),
                s.id,
                s.version,
                s.items.len(),
                s.min_total(),
                s.max_total(),
                s.bands.len()
            )?,
            Err(e) => {
                ok = false;
                print_problems(err, &e)?;
            }
        }
    }
    Ok(if ok { ExitCode::SUCCESS } else { bad_input() })
}

/// The built-in scales, the workspace's and any given on the command line.
fn scales_for(ws_dir: &Path, extra: &[PathBuf], err: &mut dyn Write) -> Result<Option<ScaleSet>, anyhow::Error> {
    let (mut set, builtin_errors) = ScaleSet::builtin();
    for e in &builtin_errors {
        print_problems(err, e)?;
    }
    for p in set.load_dir(&ws_dir.join("scales")) {
        writeln!(err, "{p}")?;
    }
    let mut ok = true;
    for f in extra {
        match load_scale_file(f) {
            Ok(s) => set.insert(s),
            Err(e) => {
                ok = false;
                print_problems(err, &e)?;
            }
        }
    }
    Ok(ok.then_some(set))
}

/// Reads an evaluation file and checks it against its scale.
fn read_evaluation(file: &Path, scales: &ScaleSet, err: &mut dyn Write) -> Result<Option<Evaluation>, anyhow::Error> {
    let name = file.display().to_string();
    let text = match store::read_text(file) {
        Ok((t, _)) => t,
        Err(e) => {
            writeln!(err, "{e}")?;
            return Ok(None);
        }
    };
    let evaluation = match Evaluation::from_json(&name, &text) {
        Ok(e) => e,
        Err(e) => {
            print_problems(err, &e)?;
            return Ok(None);
        }
    };
    let Some(scale) = scales.get(&evaluation.scale) else {
        let known: Vec<&str> = scales.all().iter().map(|s| s.id.as_str()).collect();
        writeln!(err, "{name}: scale: unknown scale '{}' (known: {})", evaluation.scale, known.join(", "))?;
        return Ok(None);
    };
    let problems = evaluation.check(scale);
    if !problems.is_empty() {
        print_problems(err, &DataFileError { file: name, problems })?;
        return Ok(None);
    }
    Ok(Some(evaluation))
}

fn score_cmd(
    file: &Path,
    json: bool,
    lang: Lang,
    extra_scales: &[PathBuf],
    ws_dir: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let Some(scales) = scales_for(ws_dir, extra_scales, err)? else {
        return Ok(bad_input());
    };
    let Some(e) = read_evaluation(file, &scales, err)? else {
        return Ok(bad_input());
    };
    let Some(scale) = scales.get(&e.scale) else {
        return Ok(bad_input());
    };
    let s = score(scale, &e.scores);
    if json {
        let band = s.band(scale).map(|b| serde_json::json!({"id": b.id, "label": b.label.get(lang)}));
        let sections: Vec<_> = s
            .sections
            .iter()
            .zip(&scale.sections)
            .map(|(x, sec)| serde_json::json!({"id": x.id, "name": sec.name.get(lang), "total": x.total, "max": x.max}))
            .collect();
        let nb = next_band(scale, &e, &s).map(|n| {
            serde_json::json!({"band": scale.bands[n.band_index].id, "points_missing": n.points_missing,
                "closest": n.closest.iter().map(|h| h.id.clone()).collect::<Vec<_>>()})
        });
        let v = serde_json::json!({
            "service": e.service.name(),
            "date": e.date,
            "type": e.kind.code(),
            "scale": scale.id,
            "total": s.total,
            "max": s.max,
            "complete": s.complete,
            "missing": s.missing,
            "band": band,
            "sections": sections,
            "next_band": nb,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let t = |nb: &'static str, en: &'static str| if lang == Lang::Nb { nb } else { en };
    writeln!(out, "{} – {} ({})", e.service.name(), e.date, e.kind.label(lang))?;
    writeln!(out, "{}: {} ({} {})", t("Skala", "Scale"), scale.name.get(lang), scale.id, scale.version)?;
    writeln!(out, "{}: {} {} {}", t("Total", "Total"), s.total, t("av", "of"), s.max)?;
    match s.band(scale) {
        Some(b) => writeln!(out, "{}: {}", t("Kvalitet", "Fidelity"), b.label.get(lang))?,
        None => writeln!(
            out,
            "{}: {} {} {} {}",
            t("Foreløpig", "Preliminary"),
            s.scored,
            t("av", "of"),
            scale.items.len(),
            t("punkter skåret, ingen kvalitetsgrad", "items scored, no band")
        )?,
    }
    for (x, sec) in s.sections.iter().zip(&scale.sections) {
        writeln!(out, "  {}: {} {} {}", sec.name.get(lang), x.total, t("av", "of"), x.max)?;
    }
    if !s.missing.is_empty() {
        writeln!(out, "{}: {}", t("Mangler", "Missing"), s.missing.join(", "))?;
    }
    if let Some(n) = next_band(scale, &e, &s) {
        writeln!(
            out,
            "{} {}: {} {}; {}: {}",
            t("Til", "To reach"),
            crate::core::text::quoted(scale.bands[n.band_index].label.get(lang), lang),
            n.points_missing,
            t("poeng", "points"),
            t("nærmest neste nivå", "closest to their next level"),
            n.closest.iter().map(|h| h.id.as_str()).collect::<Vec<_>>().join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn import_cmd(files: &[PathBuf], ws_dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let mut ws = Workspace::load(ws_dir);
    for p in &ws.problems {
        writeln!(err, "{p}")?;
    }
    let mut bad = false;
    let mut evaluations = Vec::new();
    for f in files {
        let is_csv = f.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        if is_csv {
            let text = match store::read_text(f) {
                Ok((t, _)) => t,
                Err(e) => {
                    writeln!(err, "{e}")?;
                    bad = true;
                    continue;
                }
            };
            match csv_io::import(&f.display().to_string(), &text, &ws.scales) {
                Ok(evs) => evaluations.extend(evs),
                Err(e) => {
                    print_problems(err, &e)?;
                    bad = true;
                }
            }
        } else {
            match read_evaluation(f, &ws.scales, err)? {
                Some(e) => evaluations.push(e),
                None => bad = true,
            }
        }
    }
    let (mut added, mut unchanged, mut conflicts) = (0, 0, 0);
    for outcome in ws.import(evaluations)? {
        match outcome {
            ImportOutcome::Added { path } => {
                added += 1;
                writeln!(out, "added: {}", path.display())?;
            }
            ImportOutcome::Unchanged { .. } => unchanged += 1,
            ImportOutcome::Conflict { path } => {
                conflicts += 1;
                writeln!(
                    err,
                    "{}: conflict: an evaluation of the same service, date and type exists with other scores; it was not overwritten",
                    path.display()
                )?;
            }
        }
    }
    writeln!(out, "{added} added, {unchanged} unchanged, {conflicts} conflicts (workspace {})", ws_dir.display())?;
    Ok(if bad || conflicts > 0 { bad_input() } else { ExitCode::SUCCESS })
}

fn export_cmd(
    ws_dir: &Path,
    output: Option<&Path>,
    excel: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let ws = Workspace::load(ws_dir);
    for p in &ws.problems {
        writeln!(err, "{p} (skipped)")?;
    }
    let dialect = if excel { Dialect::Excel } else { Dialect::Plain };
    match output {
        None => {
            csv_io::export(&ws, lang, dialect, out)?;
        }
        Some(path) => {
            let mut buf = Vec::new();
            let rows = csv_io::export(&ws, lang, dialect, &mut buf)?;
            // An existing export may be replaced, but atomically: never a half-written file.
            let expected = std::fs::read(path).ok().map(|b| store::Stamp::of(&b));
            store::write_atomic(path, &buf, expected, store::Durability::Sync)?;
            writeln!(err, "{rows} evaluations written to {}", path.display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
fn report_cmd(
    file: Option<&Path>,
    output: &Path,
    service: Option<&str>,
    date: Option<chrono::NaiveDate>,
    lang: Lang,
    ws_dir: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let today = chrono::Local::now().date_naive();
    let bytes = match (file, service) {
        (Some(file), _) => {
            let Some(scales) = scales_for(ws_dir, &[], err)? else {
                return Ok(bad_input());
            };
            let Some(e) = read_evaluation(file, &scales, err)? else {
                return Ok(bad_input());
            };
            let Some(scale) = scales.get(&e.scale) else {
                return Ok(bad_input());
            };
            crate::pdf::report(scale, &e.service.info(), &e, &[], lang, today)
        }
        (None, Some(name)) => {
            let ws = Workspace::load(ws_dir);
            for p in &ws.problems {
                writeln!(err, "{p} (skipped)")?;
            }
            let Some(si) = ws.find_service(name) else {
                let known: Vec<&str> = ws.services.iter().map(|s| s.info.name.as_str()).collect();
                writeln!(
                    err,
                    "{}: no service named '{name}' (services: {})",
                    ws_dir.display(),
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                )?;
                return Ok(bad_input());
            };
            let svc = &ws.services[si];
            let chosen = match date {
                Some(d) => svc
                    .evaluations
                    .iter()
                    .filter(|r| r.evaluation.date == d)
                    .max_by_key(|r| r.evaluation.kind == crate::core::evaluation::EvaluationType::Independent),
                None => {
                    svc.latest(crate::core::evaluation::EvaluationType::Independent).or_else(|| svc.evaluations.last())
                }
            };
            let Some(rec) = chosen else {
                let when = date.map_or(String::new(), |d| format!(" on {d}"));
                writeln!(err, "{}: the service '{}' has no review{when}", ws_dir.display(), svc.info.name)?;
                return Ok(bad_input());
            };
            let Some(scale) = ws.scale_of(&rec.evaluation) else {
                writeln!(err, "{}: unknown scale '{}'", rec.file_name, rec.evaluation.scale)?;
                return Ok(bad_input());
            };
            let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
            crate::pdf::report(scale, &svc.info, &rec.evaluation, &history, lang, today)
        }
        (None, None) => {
            writeln!(err, "report: give an evaluation FILE or --service NAME")?;
            return Ok(bad_input());
        }
    };
    let bytes = bytes?;
    // Replace an earlier report, atomically: never a half-written PDF.
    let expected = std::fs::read(output).ok().map(|b| store::Stamp::of(&b));
    store::write_atomic(output, &bytes, expected, store::Durability::Sync)?;
    writeln!(out, "{} ({} KB)", output.display(), bytes.len().div_ceil(1024))?;
    Ok(ExitCode::SUCCESS)
}

fn bump_cmd(rounds: u32, ws_dir: &Path, out: &mut dyn Write) -> Outcome {
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

fn generate_cmd(
    services: u32,
    reviews: u32,
    seed: u64,
    csv: Option<&Path>,
    ws_dir: &Path,
    out: &mut dyn Write,
) -> Outcome {
    crate::core::generate::generate(ws_dir, services, reviews, seed, csv)?;
    writeln!(out, "{services} services × {reviews} reviews written to {}", ws_dir.display())?;
    Ok(ExitCode::SUCCESS)
}
