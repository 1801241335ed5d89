//! `dossier search` and `dossier show`.

use std::io::Write;
use std::mem::ManuallyDrop;

use super::{Context, Status, found};
use crate::Error;
use crate::index::DossierIndex;
use crate::index::lexicon::Lexicon;
use crate::search::citation::{Citation, CitedDocument, Citer};
use crate::search::filters::KnownValues;
use crate::search::highlight::matches_in;
use crate::search::stored::resolve_id;
use crate::search::unmatched::nothing_matches;
use crate::search::{SearchRequest, find_document, search};
use crate::views::cite::{CitationFormat, write_citations};
use crate::views::escape::one_line;
use crate::views::json::{self, DocumentJson, SearchJson};
use crate::views::terminal;

#[derive(Debug, Clone)]
pub struct SearchCommand {
    pub request: SearchRequest,
    pub json: bool,
    /// Print the hits shown as citations instead.
    pub cite: Option<CitationFormat>,
    /// Keyword fields whose counts join the facets (`--facet country`).
    pub facets: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ShowCommand {
    /// The document's id.
    pub id: String,
    /// Leave the text out.
    pub no_text: bool,
    /// Highlight this query's matches.
    pub matching: Option<String>,
    /// Print only the matching paragraphs, with this many around each.
    pub context: Option<usize>,
    pub json: bool,
    /// Print the document as a citation instead.
    pub cite: Option<CitationFormat>,
}

pub fn run_search(
    context: &Context,
    command: &SearchCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    // A query whose words the index does not hold is answered from its
    // term dictionaries, without opening the rest (`search::unmatched`);
    // any other opens the index beside them, mapping them once.
    let lexicon = command
        .facets
        .is_empty()
        .then(|| Lexicon::open(&context.index))
        .flatten();
    let unmatched = lexicon
        .as_ref()
        .and_then(|lexicon| nothing_matches(lexicon, &command.request));
    let results = match unmatched {
        Some(results) => results,
        None => {
            // Never dropped: the process ends after one search, and the
            // kernel unmaps the index's files at exit all at once, where
            // dropping the index unmaps them one by one (a tenth of a
            // millisecond in a search of two).
            let index = ManuallyDrop::new(context.open_filled_index_after(lexicon.as_ref())?);
            if !command.facets.is_empty() {
                check_keyword_fields(&index, &command.facets)?;
            }
            search(&index, &command.request)?
        }
    };
    if let Some(format) = command.cite {
        let citer = Citer::new(&context.sources, context.config.as_deref());
        let citations: Vec<Citation> = results
            .hits
            .iter()
            .map(|hit| {
                citer.cite(&CitedDocument {
                    id: &hit.id,
                    title: &hit.title,
                    source: &hit.source,
                    source_name: None,
                    lang: hit.lang,
                    year: hit.year,
                    date: hit.date.as_deref(),
                    url: hit.url.as_deref(),
                    path: &hit.path,
                    page: hit.page,
                })
            })
            .collect();
        write_citations(out, &citations, format)?;
        return Ok(found(results.total > 0));
    }
    if command.json {
        json::write(out, &SearchJson::new(&results, &command.facets))?;
    } else {
        terminal::write_search_results(out, &results, &command.facets, context.style)?;
        super::tell(&results.notes);
        if results.total == 0 {
            super::explain_nothing(&command.request);
        }
    }
    Ok(found(results.total > 0))
}

pub fn run_show(
    context: &Context,
    command: &ShowCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let index = DossierIndex::open(&context.index)?;
    let looked_up =
        resolve_id(&index, &command.id, &context.sources).and_then(|id| find_document(&index, &id));
    let doc = match looked_up {
        Ok(doc) => doc,
        Err(error @ Error::NoSuchDocument(_)) => {
            super::report(&format!("dossier: {}\n", one_line(&error.to_string())));
            return Ok(Status::NothingFound);
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(format) = command.cite {
        let citation =
            Citer::new(&context.sources, context.config.as_deref()).cite(&CitedDocument {
                id: &doc.id,
                title: &doc.title,
                source: &doc.source,
                source_name: Some(&doc.source_name),
                lang: doc.lang,
                year: doc.year,
                date: doc.date.as_deref(),
                url: doc.url.as_deref(),
                path: &doc.path,
                page: None,
            });
        write_citations(out, &[citation], format)?;
        return Ok(Status::Found);
    }
    let matches = match &command.matching {
        Some(query) => Some(matches_in(index.fields, &doc, query)?),
        None => None,
    };
    if command.json {
        let value = DocumentJson::new(&doc, !command.no_text, matches.as_deref());
        json::write(out, &value)?;
    } else {
        let marked = (!command.no_text).then(|| {
            let matches = matches.as_deref().unwrap_or(&[]);
            match command.context {
                Some(around) => {
                    terminal::matching_paragraphs(&doc.body, matches, around, context.style)
                }
                None => terminal::highlighted(&doc.body, matches, context.style),
            }
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

/// Keyword fields the index holds, or an error naming those it does.
fn check_keyword_fields(index: &DossierIndex, names: &[String]) -> anyhow::Result<()> {
    let reader = index.reader()?;
    let known = KnownValues::read(index, &reader.searcher(), None, None)?;
    let holds = known.keyword_names();
    if let Some(unknown) = names.iter().find(|n| !holds.contains(&n.as_str())) {
        anyhow::bail!(
            "bad --facet value '{unknown}': the index has no keyword field of that name (its keyword fields: {}; the year, source, lang and topic counts are always there)",
            if holds.is_empty() {
                "none: a source's `fields` in sources.toml makes them".to_string()
            } else {
                holds.join(", ")
            }
        );
    }
    Ok(())
}
