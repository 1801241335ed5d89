//! `dossier index`: refresh the index from the sources folder.

use std::io::Write;

use super::{Context, Status};
use crate::index::{RefreshOptions, RefreshSummary, refresh_index};
use crate::views::escape::one_line;
use crate::views::progress::ProgressBars;
use crate::views::{json, terminal};

#[derive(Debug, Clone, Default)]
pub struct IndexCommand {
    pub rebuild: bool,
    pub json: bool,
    /// No progress bar.
    pub quiet: bool,
}

pub fn run(
    context: &Context,
    command: &IndexCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let options = RefreshOptions {
        rebuild: command.rebuild,
        config: context.config.clone(),
    };
    let progress = ProgressBars::new(!command.quiet);
    let summary = refresh_index(&context.sources, &context.index, &options, &progress)?;
    if command.json {
        json::write(out, &summary)?;
    } else {
        report_failures(&summary);
        terminal::write_refresh_summary(out, &summary)?;
        if summary.documents == 0 {
            super::report(&format!(
                "dossier: {} holds no documents yet: put files (HTML, PDF, text, Markdown) in folders under it, one folder per source, or point --sources at a folder that has them\n",
                one_line(&context.sources.display().to_string())
            ));
        }
    }
    Ok(status_of(&summary))
}

/// Each file that could not be indexed, on standard error; then the
/// documents indexed with almost no text (not failures: they are in the
/// index, but no search will find them by their words).
pub fn report_failures(summary: &RefreshSummary) {
    for failure in &summary.failed {
        super::report(&format!("dossier: {}\n", one_line(&failure.to_string())));
    }
    const SHOWN: usize = 20;
    for sparse in summary.sparse.iter().take(SHOWN) {
        super::report(&format!(
            "dossier: note: {}: {}; indexed, but a search finds it only by those few words (`dossier show` says so too)\n",
            one_line(&sparse.path.display().to_string()),
            one_line(&sparse.reason)
        ));
    }
    if summary.sparse.len() > SHOWN {
        super::report(&format!(
            "dossier: note: {} more documents with almost no text (`dossier index --json` lists them all)\n",
            summary.sparse.len() - SHOWN
        ));
    }
}

/// A refresh that could not index every file exits 2.
pub fn status_of(summary: &RefreshSummary) -> Status {
    if summary.failed.is_empty() {
        Status::Found
    } else {
        Status::Error
    }
}
