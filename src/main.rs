//! The `ips-fidelity` binary: parses the command line, runs a command or opens the app.

use std::process::ExitCode;

use ips_fidelity::cli;

fn main() -> ExitCode {
    // On Windows the program expands `*.json` itself, as a Unix shell would (cmd does not).
    let cli = match cli::help::parse(wild::args_os()) {
        Ok(c) => c,
        Err((e, lang)) => {
            // Help and version go to stdout; a usage error, in the user's language, to
            // stderr (exit code 2).
            if e.use_stderr() {
                eprint!("{}", cli::help::error_text(&e, lang));
            } else {
                // Help and version: clap prints them, styled where stdout is a terminal.
                let _ = e.print();
            }
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
