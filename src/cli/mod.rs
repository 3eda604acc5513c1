//! The command line: `ips-fidelity [--workspace DIR] [COMMAND]`. With no command it opens
//! the desktop app. Every command is a thin printer of what [`ips_domain`] and [`ips_store`] compute.
//! Bad input gives one line per problem on stderr, naming the file, and exit code 2.
//!
//! This file holds the arguments (clap), the dispatch, the exit codes and the helpers the
//! commands share (loading the workspace, the texts, writing an output file); each command
//! is a file of its own beside it.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub mod help;
use help::ArgProblem;

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

/// What every command works with: the workspace folder, the texts in the user's language,
/// and where it prints (standard output and standard error, or the tests' buffers).
struct Io<'a> {
    ws_dir: &'a Path,
    t: &'a CliTexts,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
}

/// Exit code for bad input (a malformed file, an unknown item, a score out of range).
pub const EXIT_BAD_INPUT: u8 = 2;

/// The command line. Its help texts are in the catalogs (`clap.*`), in every language:
/// [`help::command`] puts them in.
#[derive(Debug, Parser)]
#[command(name = "ips-fidelity", version)]
pub struct Cli {
    #[arg(long, global = true, env = "IPS_FIDELITY_WORKSPACE", value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Scale {
        #[command(subcommand)]
        command: ScaleCommand,
    },
    Score {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "FILE")]
        scale: Vec<PathBuf>,
    },
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        service: Option<String>,
        #[arg(long, value_parser = parse_date_arg)]
        date: Option<chrono::NaiveDate>,
    },
    Report {
        file: Option<PathBuf>,
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
        #[arg(long, conflicts_with = "file")]
        service: Option<String>,
        #[arg(long, requires = "service", value_parser = parse_date_arg)]
        date: Option<chrono::NaiveDate>,
        #[arg(long)]
        plan_only: bool,
    },
    #[command(hide = true)]
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long)]
        excel: bool,
        #[arg(long)]
        service: Option<String>,
        #[arg(long, requires = "date")]
        reviewer: Option<String>,
        #[arg(long, value_parser = parse_date_arg)]
        date: Option<chrono::NaiveDate>,
        #[arg(long = "type", value_parser = parse_type_arg, default_value = "independent")]
        kind: EvaluationType,
    },
    Summary {
        #[arg(long)]
        region: Option<String>,
        #[arg(long, default_value = ips_domain::service::DEFAULT_SCALE)]
        scale: String,
        #[arg(long)]
        json: bool,
        #[arg(short, long, value_name = "OUT.pdf|OUT.xlsx")]
        output: Option<PathBuf>,
    },
    Review {
        #[command(subcommand)]
        command: ReviewCommand,
    },
    Prepare {
        #[arg(long, default_value = ips_domain::service::DEFAULT_SCALE)]
        scale: String,
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
    },
    Outcomes {
        #[command(subcommand)]
        command: OutcomesCommand,
    },
    MeetingPack {
        #[arg(long)]
        service: String,
        #[arg(long, value_parser = parse_date_arg)]
        date: Option<chrono::NaiveDate>,
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    SetStatus {
        #[arg(long)]
        service: String,
        #[arg(long, value_parser = parse_date_arg)]
        date: chrono::NaiveDate,
        #[arg(long = "type", value_parser = parse_type_arg, default_value = "independent")]
        kind: EvaluationType,
        #[arg(long, value_parser = parse_status_arg)]
        to: ReviewStatus,
        #[arg(long, default_value = "")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutcomesCommand {
    Import { file: PathBuf },
}

/// Developer tools for tests and benchmarks (hidden from help).
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Read-modify-write every evaluation's `notes` counter ROUNDS times, reloading and
    /// retrying on conflicts: two of these at once must end with every counter at the sum.
    /// It changes every review, so it exists only in debug builds (the tests').
    #[cfg(debug_assertions)]
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
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    Adopt {
        id: String,
        version: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Package,
}

fn parse_lang(s: &str) -> Result<Lang, ArgProblem> {
    Lang::from_code(s).ok_or_else(|| ArgProblem::NotALanguage(s.to_string()))
}

/// Dates on the command line are read like every other date ([`ips_text::text::parse_date`]).
fn parse_date_arg(s: &str) -> Result<chrono::NaiveDate, ArgProblem> {
    let date = ips_text::text::parse_date(s).ok_or_else(|| ArgProblem::NotADate(s.to_string()))?;
    let years = ips_domain::evaluation::PLAUSIBLE_YEARS;
    if !years.contains(&chrono::Datelike::year(&date)) {
        return Err(ArgProblem::YearOutOfRange { value: s.to_string(), from: *years.start(), to: *years.end() });
    }
    Ok(date)
}

fn parse_status_arg(s: &str) -> Result<ReviewStatus, ArgProblem> {
    ReviewStatus::from_code(s).ok_or_else(|| ArgProblem::NotAStatus(s.to_string()))
}

fn parse_type_arg(s: &str) -> Result<EvaluationType, ArgProblem> {
    EvaluationType::from_code(s).ok_or_else(|| ArgProblem::NotAReviewType(s.to_string()))
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
        Command::Scale { command: ScaleCommand::Adopt { id, version } } => {
            scale_adopt(&id, &version, Io { ws_dir: &ws_dir, t, out, err })
        }
        Command::Score { file, json, scale } => score_cmd(&file, json, t, &scale, &ws_dir, out, err),
        Command::Import { files, service, date } => {
            let defaults = ips_store::xlsx_in::SheetDefaults { service, date };
            import_cmd(&files, &defaults, &ws_dir, t, out, err)
        }
        Command::Dev { command } => match command {
            #[cfg(debug_assertions)]
            DevCommand::Bump { rounds } => bump_cmd(rounds, &ws_dir, out),
            DevCommand::Generate { services, reviews, seed, csv } => {
                generate_cmd(services, reviews, seed, csv.as_deref(), Io { ws_dir: &ws_dir, t, out, err })
            }
        },
        Command::Report { file, output, service, date, plan_only } => {
            let what =
                report::What { file: file.as_deref(), service: service.as_deref(), date, plan_only, lang: cli.lang };
            report_cmd(what, &output, Io { ws_dir: &ws_dir, t, out, err })
        }
        Command::Export { format: ExportFormat::Csv, output, excel, .. } => {
            export_cmd(&ws_dir, output.as_deref(), excel, t, out, err)
        }
        Command::Export { format: ExportFormat::Xlsx, output, .. } => {
            export_xlsx_cmd(&ws_dir, output.as_deref(), Io { ws_dir: &ws_dir, t, out, err })
        }
        Command::Export { format: ExportFormat::Package, output, service, reviewer, date, kind, .. } => package_cmd(
            output.as_deref(),
            service.as_deref(),
            reviewer.as_deref(),
            date,
            kind,
            Io { ws_dir: &ws_dir, t, out, err },
        ),
        Command::Summary { region, scale, json, output } => {
            summary_cmd(region, &scale, json, output.as_deref(), Io { ws_dir: &ws_dir, t, out, err })
        }
        Command::Review { command: ReviewCommand::SetStatus { service, date, kind, to, reason } } => {
            set_status_cmd(&service, date, kind, to, &reason, Io { ws_dir: &ws_dir, t, out, err })
        }
        Command::Prepare { scale, output } => prepare_cmd(&ws_dir, &scale, &output, t, out, err),
        Command::Outcomes { command: OutcomesCommand::Import { file } } => outcomes_cmd(&ws_dir, &file, t, out, err),
        Command::MeetingPack { service, date, output } => {
            meeting_pack_cmd(&service, date, &output, Io { ws_dir: &ws_dir, t, out, err })
        }
    })
}

/// Parses arguments (in the language they ask for, [`help::parse`]) and runs; for tests.
pub fn run_args<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> Result<Option<Outcome>, (clap::Error, Lang)>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = help::parse(args)?;
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

/// Exit code when the output was written but files of the workspace were left out because
/// they cannot be read (each is named on stderr): the output is not the whole workspace.
pub const EXIT_SKIPPED: u8 = 4;

/// Success, or [`EXIT_SKIPPED`] when files were left out, said in a last line (the files
/// themselves were named as they were met).
fn finished(left_out: usize, t: &CliTexts, err: &mut dyn Write) -> Outcome {
    if left_out == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(err, "{}", fill(t.files_left_out, &[("count", left_out.to_string())]))?;
    Ok(ExitCode::from(EXIT_SKIPPED))
}

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
    said_unless_unreachable(Workspace::load(dir), lang, err)
}

/// [`load_workspace`] for a command that only reads: through the local index, so that on a
/// share only new or changed files are read ([`ips_store::index`]).
fn open_workspace(dir: &Path, lang: Lang, err: &mut dyn Write) -> Result<Option<Workspace>, anyhow::Error> {
    said_unless_unreachable(Workspace::open(dir), lang, err)
}

fn said_unless_unreachable(ws: Workspace, lang: Lang, err: &mut dyn Write) -> Result<Option<Workspace>, anyhow::Error> {
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
        generate_not_empty,
        package_too_large,
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
        xlsx_needs_output,
        no_service,
        none,
        no_review,
        no_review_on,
        report_needs_input,
        plan_only_docx,
        report_written,
        status_changed,
        status_unchanged,
        outcome_added,
        outcome_conflict,
        meeting_conflict,
        scale_adopted,
        scale_changes_head,
        scale_no_changes,
        scale_already_adopted,
        scale_unknown_version,
        import_partial,
        files_left_out,
        scale_newer_in_use,
        service_blocked,
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
    for p in ips_store::workspace::load_workspace_scales(&mut set, ws_dir) {
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

/// Names the files a command leaves out because they cannot be read.
/// Names every file left out; true when there was one.
fn say_skipped(ws: &Workspace, t: &CliTexts, err: &mut dyn Write) -> std::io::Result<usize> {
    for p in &ws.problems {
        say!(err, t.skipped, problem = p.text(t.lang))?;
    }
    Ok(ws.problems.len())
}

/// How many files of service `si` (or scale versions) were left out: its PDF is then
/// written, but without them, and the exit code says so ([`EXIT_SKIPPED`]).
fn left_out_of(ws: &Workspace, si: usize) -> usize {
    let (dir, scales) = (ws.service_dir(si), ws.root.join("scales"));
    ws.problems.iter().filter(|p| p.path.starts_with(&dir) || p.path.starts_with(&scales)).count()
}

/// `written` (a PDF's outcome), with exit 4 and a line when files it should have shown
/// were left out.
fn written_without(written: Outcome, left_out: usize, t: &CliTexts, err: &mut dyn Write) -> Outcome {
    let code = written?;
    if code == ExitCode::SUCCESS { finished(left_out, t, err) } else { Ok(code) }
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

mod dev;
mod export;
mod import;
mod meeting_pack;
mod outcomes;
mod package;
mod prepare;
mod report;
mod scale;
mod score;
mod status;
mod summary;

#[cfg(debug_assertions)]
use dev::bump_cmd;
use dev::generate_cmd;
use export::{export_cmd, export_xlsx_cmd, is_xlsx};
use import::import_cmd;
use meeting_pack::meeting_pack_cmd;
use outcomes::outcomes_cmd;
use package::package_cmd;
use prepare::prepare_cmd;
use report::report_cmd;
use scale::{scale_adopt, scale_check};
use score::score_cmd;
use status::set_status_cmd;
use summary::summary_cmd;
