//! `dossier export`: the index's documents, or a Quickwit index config.

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Status};
use crate::export::quickwit::{self, IndexId, QuickwitVersion};
use crate::export::requests::{Output, RequestFiles};
use crate::export::{self as exporter, Format, Selection};
use crate::index::DossierIndex;
use crate::views::escape::one_line;

#[derive(Debug, Clone)]
pub struct ExportCommand {
    pub what: ExportWhat,
}

#[derive(Debug, Clone)]
pub enum ExportWhat {
    /// The selected documents, in this format.
    Documents {
        format: Format,
        selection: Selection,
        /// Only what changed after this generation.
        since: Option<u64>,
        /// Where Quickwit delete-task bodies go (with `since`).
        deletes: Option<PathBuf>,
        /// Request files in this folder, each at most this many bytes.
        requests: Option<(PathBuf, u64)>,
    },
    /// A Quickwit index config for this index id and Quickwit version.
    QuickwitConfig(IndexId, QuickwitVersion),
}

pub fn run(
    context: &Context,
    command: &ExportCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let (format, selection, since, deletes, requests) = match &command.what {
        ExportWhat::QuickwitConfig(id, version) => {
            out.write_all(quickwit::config(id, *version).as_bytes())?;
            return Ok(Status::Found);
        }
        ExportWhat::Documents {
            format,
            selection,
            since,
            deletes,
            requests,
        } => (format, selection, *since, deletes, requests),
    };
    let index = DossierIndex::open(&context.index)?;
    // The deletes file is made before anything is written: a path that
    // cannot be written must not leave the documents sent and the deletes
    // lost.
    let cannot_write = |path: &PathBuf, e: std::io::Error| {
        anyhow::anyhow!(
            "cannot write {}: {e}",
            one_line(&path.display().to_string())
        )
    };
    let mut deletes_file = match deletes {
        Some(path) => Some((
            std::fs::File::create(path).map_err(|e| cannot_write(path, e))?,
            path,
        )),
        None => None,
    };
    let mut output = match requests {
        Some((dir, max_bytes)) => Output::Requests(RequestFiles::create(dir, *max_bytes)?),
        None => Output::Stream(out),
    };
    let summary = exporter::export_documents(&index, selection, format, since, &mut output)?;
    let mut tasks = 0;
    if let (Some((file, path)), Some(changes)) = (&mut deletes_file, &summary.changes) {
        let ids = changes.removed.iter().chain(&changes.written);
        let bodies = quickwit::delete_task_bodies(ids.map(String::as_str));
        tasks = bodies.len();
        let mut text = bodies.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        file.write_all(text.as_bytes())
            .map_err(|e| cannot_write(path, e))?;
    }
    for id in &summary.oversized {
        super::report(&format!(
            "dossier: warning: {} is larger than a request may be; it has a request file of its own, which a server may refuse\n",
            one_line(id)
        ));
    }
    if summary.out_of_order > 0 {
        super::report(&format!(
            "dossier: warning: {} documents have another id in the index's id column than in their stored text: all are exported, but not surely in id order; the index is damaged (`dossier stats --check` says where; `dossier index --rebuild` mends it)\n",
            summary.out_of_order
        ));
    }
    let removed = summary.changes.as_ref().map_or(0, |c| c.removed.len());
    let mut told = format!("dossier: exported {} documents", summary.documents);
    if since.is_some() {
        told.push_str(&format!(" changed since commit {}", since.unwrap_or(0)));
        told.push_str(&format!(", {removed} removed"));
    }
    if summary.files > 0 {
        told.push_str(&format!(
            ", in {} request {}",
            summary.files,
            if summary.files == 1 { "file" } else { "files" }
        ));
    }
    if deletes.is_some() {
        told.push_str(&format!(", {tasks} delete tasks"));
    }
    told.push_str(&format!(
        "; the index is at commit {g}: export what changes next with --since {g}\n",
        g = summary.generation
    ));
    super::report(&told);
    if summary.documents > 0 || removed > 0 {
        return Ok(Status::Found);
    }
    if let Some(since) = since {
        super::report(&format!("dossier: nothing changed since commit {since}\n"));
        return Ok(Status::NothingFound);
    }
    let why = if selection.sources.is_empty() && selection.langs.is_empty() {
        ": the index is empty (run `dossier index`)"
    } else {
        " from the sources and languages asked for"
    };
    super::report(&format!(
        "dossier: no document to export from {}{why}\n",
        one_line(&context.index.display().to_string())
    ));
    Ok(Status::NothingFound)
}
