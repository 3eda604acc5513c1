//! The `ips-fidelity` binary: parses the command line, runs a command or opens the app.

use std::process::ExitCode;

use clap::Parser;
use ips_fidelity::cli::{self, Cli};

fn main() -> ExitCode {
    // On Windows the program expands `*.json` itself, as a Unix shell would (cmd does not).
    let cli = match Cli::try_parse_from(wild::args_os()) {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout and usage errors to stderr (exit code 2).
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(cli::EXIT_BAD_INPUT));
        }
    };
    let explicit = cli.workspace.clone();
    let ws = cli::workspace_dir(None);
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr());
    match cli::run(cli, &mut out, &mut err) {
        Some(Ok(code)) => code,
        // A reader that stopped reading (`| head`) is not an error to report.
        Some(Err(e))
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Some(Err(e)) => {
            eprintln!("ips-fidelity: {}", cli::error_text(&e));
            ExitCode::from(cli::exit_code_of(&e))
        }
        None => {
            drop(out);
            match ips_fidelity::gui::run(explicit, ws) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("ips-fidelity: {}", cli::error_text(&e));
                    ExitCode::FAILURE
                }
            }
        }
    }
}
