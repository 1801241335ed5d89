//! Every occurrence of a query's words and phrases in every matching document:
//! what the concordance (`kwic`) lists and `trend --occurrences` counts. Counts
//! are exact: a phrase said four times in a document counts four. Occurrences
//! are found in the body text, with the same analysers as the index.

use rayon::prelude::*;
use tantivy::DocAddress;
use tantivy::collector::DocSetCollector;

use super::matcher::{Match, Matchers};
use super::stored::{MatchedDocument, MatchedDocuments};
use super::{SearchRequest, prepare};
use crate::Result;
use crate::error::QueryError;
use crate::index::{DossierIndex, index_error};

/// One matching document and where the query occurs in it.
pub struct DocumentOccurrences<'a> {
    pub document: MatchedDocument<'a>,
    pub matches: Vec<Match>,
}

/// Visits every document the request matches, in parallel, with its
/// occurrences; `visit` turns each into what the caller keeps (context lines,
/// counts), so that bodies are not all held in memory at once.
pub fn for_each_match<T: Send>(
    index: &DossierIndex,
    request: &SearchRequest,
    visit: impl Fn(DocumentOccurrences<'_>) -> T + Sync,
) -> Result<Vec<T>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let prepared = prepare(index, &searcher, request)?;
    if prepared.highlights.is_empty() {
        return Err(QueryError::NoWordsToShow.into());
    }
    let mut addresses: Vec<DocAddress> = searcher
        .search(&prepared.query, &DocSetCollector)
        .map_err(|e| index_error(&index.dir, e))?
        .into_iter()
        .collect();
    addresses.sort();
    let documents =
        MatchedDocuments::new(&searcher, index.fields).map_err(|e| index_error(&index.dir, e))?;
    let highlights = prepared.highlights;
    addresses
        .par_iter()
        .map_init(
            || Matchers::new(highlights.clone()),
            |matchers, address| {
                let bytes = documents
                    .bytes(*address)
                    .map_err(|e| index_error(&index.dir, e))?;
                let document = documents
                    .matched(&bytes)
                    .map_err(|e| index_error(&index.dir, e))?;
                let matches = matchers.for_lang(document.lang).find(document.body);
                Ok(visit(DocumentOccurrences { document, matches }))
            },
        )
        .collect()
}
