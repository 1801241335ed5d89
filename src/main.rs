//! The `dossier` binary: parse arguments, run, report errors, exit like grep
//! (0 found, 1 nothing found, 2 error). Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use dossier::app::{self, Status};
use dossier::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
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
            eprintln!("dossier: {}", hints.message(&error));
            ExitCode::from(Status::Error as u8)
        }
    }
}
