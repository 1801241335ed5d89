//! `dossier export`: the index's documents, or a Quickwit index config.

use std::io::Write;

use super::{Context, Status};
use crate::export::quickwit::{self, IndexId};
use crate::export::{self as exporter, Format, Selection};
use crate::index::DossierIndex;

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
    },
    /// A Quickwit index config for this index id.
    QuickwitConfig(IndexId),
}

pub fn run(
    context: &Context,
    command: &ExportCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let (format, selection) = match &command.what {
        ExportWhat::QuickwitConfig(id) => {
            out.write_all(quickwit::config(id).as_bytes())?;
            return Ok(Status::Found);
        }
        ExportWhat::Documents { format, selection } => (format, selection),
    };
    let index = DossierIndex::open(&context.index)?;
    let written = exporter::export_documents(&index, selection, format, out)?;
    if written > 0 {
        return Ok(Status::Found);
    }
    let why = if selection.sources.is_empty() && selection.langs.is_empty() {
        ": the index is empty (run `dossier index`)"
    } else {
        " from the sources and languages asked for"
    };
    super::report(&format!(
        "dossier: no document to export from {}{why}\n",
        crate::views::escape::one_line(&context.index.display().to_string())
    ));
    Ok(Status::NothingFound)
}
