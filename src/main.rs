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
            let mut message = describe(&error);
            if let Some(hint) = hints.for_error(&error) {
                message.push_str("; ");
                message.push_str(hint);
            }
            eprintln!("dossier: {message}");
            ExitCode::from(Status::Error as u8)
        }
    }
}

/// The error and its causes, each said once.
fn describe(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}
