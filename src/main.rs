//! The `dossier` binary: parse arguments, run, report errors, exit like grep
//! (0 found, 1 nothing found, 2 error). Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use dossier::app::{self, Status};
use dossier::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage(error),
    };
    if let Some(written) = cli.write_builtin(&mut std::io::stdout().lock()) {
        return match written {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                app::report(&format!("dossier: cannot write: {e}\n"));
                ExitCode::from(Status::Error as u8)
            }
        };
    }
    let hints = cli.hints();
    match cli.into_invocation().and_then(app::run) {
        Ok(status) => ExitCode::from(status as u8),
        Err(error) => {
            // `dossier search x | head` closes the pipe early: that is success.
            if error
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            app::report(&format!("dossier: {}\n", hints.message(&error)));
            ExitCode::from(Status::Error as u8)
        }
    }
}

/// Help and version as clap prints them; a usage error as plain text with
/// control characters escaped (clap quotes the argument, which may hold
/// any), exit 2.
fn usage(error: clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => match error.print() {
            Ok(()) => ExitCode::from(error.exit_code() as u8),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                app::report(&format!("dossier: cannot write the help: {e}\n"));
                ExitCode::from(Status::Error as u8)
            }
        },
        _ => {
            app::report(&error.render().to_string());
            ExitCode::from(Status::Error as u8)
        }
    }
}
