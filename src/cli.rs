//! The command line: `ips-fidelity [--workspace DIR] [COMMAND]`. With no command it opens
//! the desktop app. Every command is a thin printer of what [`ips_domain`] and [`ips_store`] compute.
//! Bad input gives one line per problem on stderr, naming the file, and exit code 2.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use ips_domain::evaluation::{Evaluation, EvaluationType, ReviewStatus};
use ips_domain::scale::DataFileError;
use ips_domain::scoring::{next_band, next_band_text, score};
use ips_domain::service::ScaleSet;
use ips_store::csv_io::{self, Dialect};
use ips_store::intake;
use ips_store::store;
use ips_store::workspace::{ReviewMerge, Workspace, load_scale_file};
use ips_text::i18n::fill;
use ips_text::text::{Lang, format_date};

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

    /// Language of the output: nb (Norwegian bokmål) or en. Default: the environment's
    /// language (LANG), else nb.
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,

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
        /// The PDF to write (`-` for standard output).
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
        /// A service in the workspace (its latest review unless --date is given).
        #[arg(long, conflicts_with = "file")]
        service: Option<String>,
        /// The date of the service's review (YYYY-MM-DD).
        #[arg(long, requires = "service", value_parser = parse_date_arg)]
        date: Option<chrono::NaiveDate>,
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
        /// Output file (default, or `-`: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Semicolons, a byte-order mark, CRLF and day-first dates, for Norwegian Excel.
        #[arg(long)]
        excel: bool,
        /// The service to package (with --format package).
        #[arg(long)]
        service: Option<String>,
        /// Only this reviewer's own scores for the review on --date (with --format package).
        #[arg(long, requires = "date")]
        reviewer: Option<String>,
        /// The review's date, for --reviewer.
        #[arg(long, value_parser = parse_date_arg)]
        date: Option<chrono::NaiveDate>,
        /// The review's type, for --reviewer.
        #[arg(long = "type", value_parser = parse_type_arg, default_value = "independent")]
        kind: EvaluationType,
    },
    /// Summarise many services: bands, item means, weakest items, overdue reviews and the
    /// reviewers' agreement, over each service's latest complete independent review.
    Summary {
        /// Only the services of this region (as written in their details).
        #[arg(long)]
        region: Option<String>,
        /// The scale (default ips-25).
        #[arg(long, default_value = ips_domain::service::DEFAULT_SCALE)]
        scale: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Also write the summary as a PDF for the resource centre (`-` for standard output).
        #[arg(short, long, value_name = "OUT.pdf")]
        output: Option<PathBuf>,
    },
    /// A review's cycle: planned, scoring, draft, final.
    Review {
        #[command(subcommand)]
        command: ReviewCommand,
    },
    /// The reviewers' preparation pack as a PDF: what to ask the service to send, the figures
    /// to collect, whom to interview, what to observe, and a blank scoring form.
    Prepare {
        /// The scale (default ips-25).
        #[arg(long, default_value = ips_domain::service::DEFAULT_SCALE)]
        scale: String,
        /// The PDF to write (`-` for standard output).
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
    },
    /// Outcome figures (måltall) per quarter and service.
    Outcomes {
        #[command(subcommand)]
        command: OutcomesCommand,
    },
    /// The styringsgruppe's meeting pack for a service as a PDF: status (portefølje,
    /// resultater, ressurser), the handlingsplan, the latest review and the agenda.
    MeetingPack {
        #[arg(long)]
        service: String,
        /// The meeting's date (default: today).
        #[arg(long, value_parser = parse_date_arg)]
        date: Option<chrono::NaiveDate>,
        /// The PDF to write (`-` for standard output).
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Move a review to another status. Leaving `final` needs --reason.
    SetStatus {
        #[arg(long)]
        service: String,
        /// The review's date.
        #[arg(long, value_parser = parse_date_arg)]
        date: chrono::NaiveDate,
        #[arg(long = "type", value_parser = parse_type_arg, default_value = "independent")]
        kind: EvaluationType,
        /// planned, scoring, draft or final.
        #[arg(long, value_parser = parse_status_arg)]
        to: ReviewStatus,
        /// Why (needed to leave `final`; kept in the review's audit trail).
        #[arg(long, default_value = "")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutcomesCommand {
    /// Import a CSV with the columns service,period,job_seekers,in_work,new_jobs,
    /// specialist_fte (in_education optional; period like 2026-Q1). All or nothing.
    Import { file: PathBuf },
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    /// One file with a service, its reviews and their scale versions (needs --service).
    Package,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

/// Dates on the command line are read like every other date ([`ips_text::text::parse_date`]).
fn parse_date_arg(s: &str) -> Result<chrono::NaiveDate, String> {
    ips_text::text::parse_date(s).ok_or_else(|| format!("'{s}' is not a date (2026-04-21 or 21.04.2026)"))
}

fn parse_status_arg(s: &str) -> Result<ReviewStatus, String> {
    ReviewStatus::from_code(s).ok_or_else(|| format!("'{s}' is not a status (planned, scoring, draft or final)"))
}

fn parse_type_arg(s: &str) -> Result<EvaluationType, String> {
    EvaluationType::from_code(s).ok_or_else(|| format!("'{s}' is not a review type (independent or self_assessment)"))
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
    let lang = cli.lang.unwrap_or_else(ips_text::i18n::env_lang);
    let t = CliTexts::get(lang);
    let command = cli.command?;
    Some(match command {
        Command::Scale { command: ScaleCommand::Check { files } } => scale_check(&files, t, out, err),
        Command::Score { file, json, scale } => score_cmd(&file, json, t, &scale, &ws_dir, out, err),
        Command::Import { files } => import_cmd(&files, &ws_dir, t, out, err),
        Command::Dev { command } => match command {
            DevCommand::Bump { rounds } => bump_cmd(rounds, &ws_dir, out),
            DevCommand::Generate { services, reviews, seed, csv } => {
                generate_cmd(services, reviews, seed, csv.as_deref(), &ws_dir, out)
            }
        },
        Command::Report { file, output, service, date } => {
            report_cmd(file.as_deref(), &output, service.as_deref(), date, t, &ws_dir, out, err)
        }
        Command::Export { format: ExportFormat::Csv, output, excel, .. } => {
            export_cmd(&ws_dir, output.as_deref(), excel, t, out, err)
        }
        Command::Export { format: ExportFormat::Package, output, service, reviewer, date, kind, .. } => {
            package_cmd(&ws_dir, output.as_deref(), service.as_deref(), reviewer.as_deref(), date, kind, t, out, err)
        }
        Command::Summary { region, scale, json, output } => {
            summary_cmd(&ws_dir, region, &scale, json, output.as_deref(), t, out, err)
        }
        Command::Review { command: ReviewCommand::SetStatus { service, date, kind, to, reason } } => {
            set_status_cmd(&ws_dir, &service, date, kind, to, &reason, t, out, err)
        }
        Command::Prepare { scale, output } => prepare_cmd(&ws_dir, &scale, &output, t, out, err),
        Command::Outcomes { command: OutcomesCommand::Import { file } } => outcomes_cmd(&ws_dir, &file, t, out, err),
        Command::MeetingPack { service, date, output } => {
            meeting_pack_cmd(&ws_dir, &service, date, &output, t, out, err)
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

/// An error with its causes, each said once: a cause whose text the message already holds
/// (`path: No space left on device` over the I/O error itself) is not repeated.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
    }
    text
}

/// Exit code when a file could not be written because the disk is full (other failed
/// writes give 1).
pub const EXIT_DISK_FULL: u8 = 3;

/// A file that could not be written, as the binary's edge reports it: one line in the
/// user's language, and the exit code it gives.
#[derive(Debug)]
pub struct WriteFailure {
    text: String,
    pub code: u8,
}

impl std::fmt::Display for WriteFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for WriteFailure {}

fn write_failed(e: &store::StoreError, lang: Lang) -> anyhow::Error {
    let code = if e.is_disk_full() { EXIT_DISK_FULL } else { 1 };
    anyhow::Error::new(WriteFailure { text: e.text(lang), code })
}

/// The exit code of a command that failed with `e`.
pub fn exit_code_of(e: &anyhow::Error) -> u8 {
    e.downcast_ref::<WriteFailure>().map_or(1, |f| f.code)
}

/// `-o -` means standard output, as in most command-line tools.
fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes an output file the user named, replacing an earlier one atomically: never a
/// half-written file. An output file is the user's to overwrite, so no stamp check here.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), store::StoreError> {
    store::write_output(path, bytes)
}

fn bad_input() -> ExitCode {
    ExitCode::from(EXIT_BAD_INPUT)
}

/// Loads the workspace, or says that its folder cannot be read (a dropped network share):
/// a command must not take an unreadable workspace for an empty one.
fn load_workspace(dir: &Path, lang: Lang, err: &mut dyn Write) -> Result<Option<Workspace>, anyhow::Error> {
    let ws = Workspace::load(dir);
    if let Some(p) = &ws.unreachable {
        writeln!(err, "{}", p.text(lang))?;
        return Ok(None);
    }
    Ok(Some(ws))
}

ips_text::texts!(
    /// The command line's texts (`cli.*` in `i18n/<lang>.json`).
    pub struct CliTexts, ips_text::i18n::Book::App, "cli.", {
        not_supported,
        scale_added,
        reviewer_added,
        reviewer_conflict,
        package_needs_service,
        no_reviewer,
        reviewer_not_done,
        package_written,
        no_region,
        no_scale,
        region,
        summary_head,
        weakest,
        overdue_reviews,
        calibration_line,
        calibration_pair,
        scale_ok,
        scale,
        total,
        of,
        band,
        preliminary,
        items_scored_no_band,
        missing,
        added,
        conflict,
        import_summary,
        skipped,
        export_written,
        no_service,
        none,
        no_review,
        no_review_on,
        report_needs_input,
        report_written,
        status_changed,
        status_unchanged,
        outcome_added,
        outcome_conflict,
        meeting_conflict,
    }
);

/// Writes a template filled with named values, as one line.
macro_rules! say {
    ($w:expr, $template:expr $(, $name:ident = $value:expr)* $(,)?) => {
        writeln!($w, "{}", fill($template, &[$((stringify!($name), ($value).to_string())),*]))
    };
}

fn print_problems(err: &mut dyn Write, e: &DataFileError, t: &CliTexts) -> std::io::Result<()> {
    for line in e.lines_in(t.lang) {
        writeln!(err, "{line}")?;
    }
    Ok(())
}

fn scale_check(files: &[PathBuf], t: &CliTexts, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
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

/// The built-in scales, the workspace's and any given on the command line.
fn scales_for(
    ws_dir: &Path,
    extra: &[PathBuf],
    t: &CliTexts,
    err: &mut dyn Write,
) -> Result<Option<ScaleSet>, anyhow::Error> {
    let (mut set, builtin_errors) = ScaleSet::builtin();
    for e in &builtin_errors {
        print_problems(err, e, t)?;
    }
    for p in ips_store::workspace::load_scale_dir(&mut set, &ws_dir.join("scales")) {
        writeln!(err, "{}", p.text(t.lang))?;
    }
    let mut ok = true;
    for f in extra {
        match load_scale_file(f) {
            Ok(s) => set.insert(s),
            Err(e) => {
                ok = false;
                print_problems(err, &e, t)?;
            }
        }
    }
    Ok(ok.then_some(set))
}

/// Reads an evaluation file and checks it against its scale.
fn read_evaluation(
    file: &Path,
    scales: &ScaleSet,
    t: &CliTexts,
    err: &mut dyn Write,
) -> Result<Option<Evaluation>, anyhow::Error> {
    match intake::read_review(file, scales, t.lang) {
        Ok(i) => {
            for note in &i.notes {
                writeln!(err, "{note}")?;
            }
            Ok(i.evaluations.into_iter().next())
        }
        Err(e) => {
            for line in e.lines_in(t.lang) {
                writeln!(err, "{line}")?;
            }
            Ok(None)
        }
    }
}

fn score_cmd(
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

fn import_cmd(files: &[PathBuf], ws_dir: &Path, t: &CliTexts, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    use ips_domain::outcomes::QuarterMerge;
    use ips_store::import::ImportEvent;
    use ips_store::package::ReviewerMerge;

    let Some(mut ws) = load_workspace(ws_dir, t.lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    for p in ws.problems.iter().chain(&ws.warnings) {
        writeln!(err, "{}", p.text(t.lang))?;
    }
    let report = ips_store::import::import_files(&mut ws, files, t.lang);
    for event in &report.events {
        match event {
            ImportEvent::NotSupported { path } => say!(err, t.not_supported, path = path.display())?,
            ImportEvent::Unreadable { lines, .. } => {
                for line in lines {
                    writeln!(err, "{line}")?;
                }
            }
            ImportEvent::Note(note) => writeln!(err, "{note}")?,
            ImportEvent::ScaleAdded(scale) => say!(out, t.scale_added, scale = scale)?,
            ImportEvent::Review(ReviewMerge::Added { path }) => say!(out, t.added, path = path.display())?,
            ImportEvent::Review(ReviewMerge::Conflict { path }) => say!(err, t.conflict, path = path.display())?,
            ImportEvent::Reviewer(ReviewerMerge::Added { path, reviewer }) => {
                say!(out, t.reviewer_added, reviewer = reviewer, path = path.display())?
            }
            ImportEvent::Reviewer(ReviewerMerge::Conflict { path, reviewer, .. }) => {
                say!(err, t.reviewer_conflict, reviewer = reviewer, path = path.display())?
            }
            ImportEvent::Quarter { merge: QuarterMerge::Added { service, period }, .. } => {
                say!(out, t.outcome_added, service = service, period = period)?
            }
            ImportEvent::Quarter { file, merge: QuarterMerge::Conflict { service, period } } => {
                say!(err, t.outcome_conflict, file = file.display(), service = service, period = period)?
            }
            ImportEvent::MeetingConflict { date } => say!(err, t.meeting_conflict, date = format_date(*date, t.lang))?,
            ImportEvent::UnknownServices { file, names, known } => {
                let known = if known.is_empty() { t.none.to_string() } else { known.join(", ") };
                for n in names {
                    say!(err, t.no_service, workspace = file.display(), name = n, known = known)?;
                }
            }
            ImportEvent::Review(ReviewMerge::Unchanged { .. })
            | ImportEvent::Reviewer(ReviewerMerge::Unchanged { .. })
            | ImportEvent::Quarter { merge: QuarterMerge::Unchanged { .. }, .. } => {}
        }
    }
    if let Some(e) = &report.failed {
        return Err(write_failed(e, t.lang));
    }
    say!(
        out,
        t.import_summary,
        added = report.added,
        unchanged = report.unchanged,
        conflicts = report.conflicts,
        workspace = ws_dir.display()
    )?;
    Ok(if report.files_refused > 0 || report.conflicts > 0 { bad_input() } else { ExitCode::SUCCESS })
}

fn export_cmd(
    ws_dir: &Path,
    output: Option<&Path>,
    excel: bool,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let dialect = if excel { Dialect::Excel } else { Dialect::Plain };
    // Streamed: the services are read a batch at a time and the rows kept compact, so the
    // export's memory does not grow with the reviews' text.
    let (export, found) = csv_io::gather_from_disk(ws_dir, t.lang);
    if let Some(p) = &found.unreachable {
        writeln!(err, "{}", p.text(t.lang))?;
        return Ok(ExitCode::FAILURE);
    }
    for p in &found.problems {
        say!(err, t.skipped, problem = p.text(t.lang))?;
    }
    for p in &found.warnings {
        writeln!(err, "{}", p.text(t.lang))?;
    }
    match output.filter(|p| !is_stdout(p)) {
        None => {
            let mut w = std::io::BufWriter::with_capacity(256 * 1024, out);
            export.write(dialect, &mut w)?;
            w.flush()?;
        }
        Some(path) => {
            let rows = store::write_output_with(path, |w| export.write(dialect, w)).map_err(|e| match e {
                store::OutputError::Store(e) => write_failed(&e, t.lang),
                store::OutputError::Write(e) => write_failed(&store::StoreError::io(path, e), t.lang),
            })?;
            say!(err, t.export_written, rows = rows, path = path.display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
fn package_cmd(
    ws_dir: &Path,
    output: Option<&Path>,
    service: Option<&str>,
    reviewer: Option<&str>,
    date: Option<chrono::NaiveDate>,
    kind: EvaluationType,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let lang = t.lang;
    let Some(name) = service else {
        writeln!(err, "{}", t.package_needs_service)?;
        return Ok(bad_input());
    };
    let Some(ws) = load_workspace(ws_dir, lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
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
    match output.filter(|p| !is_stdout(p)) {
        None => out.write_all(&bytes)?,
        Some(path) => {
            replace_file(path, &bytes).map_err(|e| write_failed(&e, lang))?;
            say!(err, t.package_written, reviews = package.reviews.len(), path = path.display())?;
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
    t: &CliTexts,
    ws_dir: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let lang = t.lang;
    let today = chrono::Local::now().date_naive();
    let bytes = match (file, service) {
        (Some(file), _) => {
            let Some(scales) = scales_for(ws_dir, &[], t, err)? else {
                return Ok(bad_input());
            };
            let Some(e) = read_evaluation(file, &scales, t, err)? else {
                return Ok(bad_input());
            };
            ips_pdf::report(&scales, &e.service.info(), &e, &[], lang, today)
        }
        (None, Some(name)) => {
            let Some(ws) = load_workspace(ws_dir, lang, err)? else {
                return Ok(ExitCode::FAILURE);
            };
            say_skipped(&ws, t, err)?;
            let Some(si) = service_or_say(&ws, ws_dir, name, t, err)? else {
                return Ok(bad_input());
            };
            let svc = &ws.services[si];
            let chosen = match date {
                Some(d) => svc
                    .evaluations
                    .iter()
                    .filter(|r| r.evaluation.date == d)
                    .max_by_key(|r| r.evaluation.kind == EvaluationType::Independent),
                None => svc.latest(EvaluationType::Independent).or_else(|| svc.evaluations.last()),
            };
            let Some(rec) = chosen else {
                match date {
                    Some(d) => {
                        let date = format_date(d, lang);
                        say!(err, t.no_review_on, workspace = ws_dir.display(), service = svc.info.name, date = date)?
                    }
                    None => say!(err, t.no_review, workspace = ws_dir.display(), service = svc.info.name)?,
                }
                return Ok(bad_input());
            };
            // This service's warnings: a review's missing scale version, sync conflict copies.
            let dir = ws.service_dir(si);
            for w in ws.warnings.iter().filter(|w| w.path.starts_with(&dir)) {
                writeln!(err, "{}", w.text(lang))?;
            }
            let history: Vec<&Evaluation> = svc.evaluations.iter().map(|r| &r.evaluation).collect();
            ips_pdf::report(&ws.scales, &svc.info, &rec.evaluation, &history, lang, today)
        }
        (None, None) => {
            writeln!(err, "{}", t.report_needs_input)?;
            return Ok(bad_input());
        }
    };
    write_pdf(output, &bytes?, t, out)
}

/// Names the files a command leaves out because they cannot be read.
fn say_skipped(ws: &Workspace, t: &CliTexts, err: &mut dyn Write) -> std::io::Result<()> {
    for p in &ws.problems {
        say!(err, t.skipped, problem = p.text(t.lang))?;
    }
    Ok(())
}

/// The service named `name`, or says which services there are.
fn service_or_say(
    ws: &Workspace,
    ws_dir: &Path,
    name: &str,
    t: &CliTexts,
    err: &mut dyn Write,
) -> Result<Option<usize>, anyhow::Error> {
    if let Some(si) = ws.find_service(name) {
        return Ok(Some(si));
    }
    let known: Vec<&str> = ws.services.iter().map(|s| s.info.name.as_str()).collect();
    let known = if known.is_empty() { t.none.to_string() } else { known.join(", ") };
    say!(err, t.no_service, workspace = ws_dir.display(), name = name, known = known)?;
    Ok(None)
}

/// Writes a PDF to `output` (or standard output for `-`) and says where it went.
fn write_pdf(output: &Path, bytes: &[u8], t: &CliTexts, out: &mut dyn Write) -> Outcome {
    if is_stdout(output) {
        out.write_all(bytes)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    replace_file(output, bytes).map_err(|e| write_failed(&e, t.lang))?;
    say!(out, t.report_written, path = output.display(), kb = bytes.len().div_ceil(1024))?;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
fn set_status_cmd(
    ws_dir: &Path,
    service: &str,
    date: chrono::NaiveDate,
    kind: EvaluationType,
    to: ReviewStatus,
    reason: &str,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
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

fn prepare_cmd(
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

/// Prints what became of imported outcome figures; returns (added, unchanged, conflicts).
fn print_outcome_results(
    results: Vec<ips_domain::outcomes::QuarterMerge>,
    file: &str,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<(usize, usize, usize)> {
    let (mut added, mut unchanged, mut conflicts) = (0, 0, 0);
    for r in results {
        match r {
            ips_domain::outcomes::QuarterMerge::Added { service, period } => {
                added += 1;
                say!(out, t.outcome_added, service = service, period = period)?;
            }
            ips_domain::outcomes::QuarterMerge::Unchanged { .. } => unchanged += 1,
            ips_domain::outcomes::QuarterMerge::Conflict { service, period } => {
                conflicts += 1;
                say!(err, t.outcome_conflict, file = file, service = service, period = period)?;
            }
        }
    }
    Ok((added, unchanged, conflicts))
}

/// Imports one file's outcome rows; `None` (after naming them) when rows name services the
/// workspace does not have, and then nothing is written.
fn import_outcome_rows(
    ws: &mut Workspace,
    rows: Vec<ips_store::outcomes_csv::OutcomeRow>,
    file: &str,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Option<(usize, usize, usize)>, anyhow::Error> {
    match ws.import_outcomes(rows) {
        Ok(results) => Ok(Some(print_outcome_results(results, file, t, out, err)?)),
        Err(ips_store::workspace::FiguresImportError::UnknownServices(names)) => {
            let known: Vec<&str> = ws.services.iter().map(|s| s.info.name.as_str()).collect();
            let known = if known.is_empty() { t.none.to_string() } else { known.join(", ") };
            for n in names {
                say!(err, t.no_service, workspace = file, name = n, known = known)?;
            }
            Ok(None)
        }
        Err(ips_store::workspace::FiguresImportError::Store(e)) => Err(write_failed(&e, t.lang)),
    }
}

fn outcomes_cmd(ws_dir: &Path, file: &Path, t: &CliTexts, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let lang = t.lang;
    let Some(mut ws) = load_workspace(ws_dir, lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    let name = file.display().to_string();
    let text = match store::read_text(file) {
        Ok((text, _)) => text,
        Err(e) => {
            writeln!(err, "{}", e.text(lang))?;
            return Ok(bad_input());
        }
    };
    let rows = match ips_store::outcomes_csv::parse_csv(&name, &text) {
        Ok(rows) => rows,
        Err(e) => {
            print_problems(err, &e, t)?;
            return Ok(bad_input());
        }
    };
    let Some((added, unchanged, conflicts)) = import_outcome_rows(&mut ws, rows, &name, t, out, err)? else {
        return Ok(bad_input());
    };
    let ws_name = ws_dir.display();
    say!(out, t.import_summary, added = added, unchanged = unchanged, conflicts = conflicts, workspace = ws_name)?;
    Ok(if conflicts > 0 { bad_input() } else { ExitCode::SUCCESS })
}

#[allow(clippy::too_many_arguments)]
fn meeting_pack_cmd(
    ws_dir: &Path,
    service: &str,
    date: Option<chrono::NaiveDate>,
    output: &Path,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let Some(ws) = load_workspace(ws_dir, t.lang, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    say_skipped(&ws, t, err)?;
    let Some(si) = service_or_say(&ws, ws_dir, service, t, err)? else {
        return Ok(bad_input());
    };
    let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let pack = ips_domain::meeting_pack::pack(&ws.services[si], &ws.scales, date, t.lang);
    let bytes = ips_pdf::meeting_pack(&pack, t.lang)?;
    write_pdf(output, &bytes, t, out)
}

#[allow(clippy::too_many_arguments)]
fn summary_cmd(
    ws_dir: &Path,
    region: Option<String>,
    scale: &str,
    json: bool,
    output: Option<&Path>,
    t: &CliTexts,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let lang = t.lang;
    let today = chrono::Local::now().date_naive();
    // Every service in brief: the summary needs its latest review and its reviewer pairs,
    // not every review's text in memory.
    let ws = Workspace::load_brief(ws_dir, today, None);
    if let Some(p) = &ws.unreachable {
        writeln!(err, "{}", p.text(lang))?;
        return Ok(ExitCode::FAILURE);
    }
    say_skipped(&ws, t, err)?;
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
    let facts: Vec<_> = ws.services.iter().map(|s| ips_domain::history::review_facts(s, &ws.scales)).collect();
    let selection = ips_domain::summary::Selection { region };
    let Some(sum) =
        ips_domain::summary::summarize(&ws.summary_services(&facts), &ws.scales, scale, &selection, lang, today)
    else {
        let known: Vec<&str> = ws.scales.newest().map(|s| s.id.as_str()).collect();
        say!(err, t.no_scale, scale = scale, known = known.join(", "))?;
        return Ok(bad_input());
    };
    let scale_name = ws.scales.get(scale).map_or(scale.to_string(), |s| s.name.get(lang).to_string());
    if let Some(path) = output {
        let bytes = ips_pdf::summary(&sum, &scale_name, lang, today)?;
        if is_stdout(path) {
            out.write_all(&bytes)?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        replace_file(path, &bytes).map_err(|e| write_failed(&e, lang))?;
        say!(err, t.report_written, path = path.display(), kb = bytes.len().div_ceil(1024))?;
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&sum)?)?;
        return Ok(ExitCode::SUCCESS);
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
            within = share(p.within_one)
        )?;
    }
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
    crate::generate::generate(ws_dir, services, reviews, seed, csv)?;
    writeln!(out, "{services} services × {reviews} reviews written to {}", ws_dir.display())?;
    Ok(ExitCode::SUCCESS)
}
