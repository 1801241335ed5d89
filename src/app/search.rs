//! `dossier search` and `dossier show`.

use std::io::Write;

use super::{Context, Status, found};
use crate::Error;
use crate::index::DossierIndex;
use crate::search::highlight::matches_in;
use crate::search::{SearchRequest, find_document, search};
use crate::views::escape::one_line;
use crate::views::json::{self, DocumentJson, SearchJson};
use crate::views::terminal;

#[derive(Debug, Clone)]
pub struct SearchCommand {
    pub request: SearchRequest,
    pub json: bool,
}

#[derive(Debug, Clone)]
pub struct ShowCommand {
    /// The document's id.
    pub id: String,
    /// Leave the text out.
    pub no_text: bool,
    /// Highlight this query's matches.
    pub matching: Option<String>,
    pub json: bool,
}

pub fn run_search(
    context: &Context,
    command: &SearchCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let index = context.open_filled_index()?;
    let results = search(&index, &command.request)?;
    if command.json {
        json::write(out, &SearchJson::new(&results))?;
    } else {
        terminal::write_search_results(out, &results, context.style)?;
    }
    Ok(found(results.total > 0))
}

pub fn run_show(
    context: &Context,
    command: &ShowCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let index = DossierIndex::open(&context.index)?;
    let doc = match find_document(&index, &command.id) {
        Ok(doc) => doc,
        Err(error @ Error::NoSuchDocument(_)) => {
            super::report(&format!("dossier: {}\n", one_line(&error.to_string())));
            return Ok(Status::NothingFound);
        }
        Err(e) => return Err(e.into()),
    };
    let matches = match &command.matching {
        Some(query) => Some(matches_in(index.fields, &doc, query)?),
        None => None,
    };
    if command.json {
        let value = DocumentJson::new(&doc, !command.no_text, matches.as_deref());
        json::write(out, &value)?;
    } else {
        let marked = (!command.no_text).then(|| {
            terminal::highlighted(&doc.body, matches.as_deref().unwrap_or(&[]), context.style)
        });
        terminal::write_document(out, &doc, marked.as_deref(), context.style)?;
        if let Some(matches) = &matches {
            writeln!(out, "\n{} matches", matches.len())?;
        }
    }
    Ok(match &matches {
        Some(matches) => found(!matches.is_empty()),
        None => Status::Found,
    })
}
