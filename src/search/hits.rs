//! A search's answer: what matches, counted and faceted, and the best hits,
//! ranked in two passes (BM25 for everything that matches, then proximity for
//! the best candidates alone), each with a snippet around its matches.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::DocAddress;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur};

use super::candidates::CandidateQuery;
use super::compiler::filter_clause;
use super::facets::{FacetCollector, FacetCounts};
use super::matcher::{Matchers, Snippet, make_snippet};
use super::{MatchedDocuments, PreparedQuery, SearchRequest, pages, prepare};
use crate::Result;
use crate::index::{DossierIndex, index_error};
use crate::text::{LangCode, SourceId, TopicId};

/// Snippet length in bytes (about two lines of a terminal).
pub const SNIPPET_BYTES: usize = 220;
/// The most hits one request may ask for.
pub const MAX_LIMIT: usize = 100_000;
/// The first pass keeps at least this many candidates for the second: enough
/// that re-scoring changes no page a reader looks at (and the top 1,000 that
/// relevance evaluation reads).
pub const RESCORE_CANDIDATES: usize = 100;

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub source: SourceId,
    /// The document's language (`und`: not told).
    pub lang: LangCode,
    pub year: Option<u64>,
    /// Where the year came from: a meta tag, "path" or "text".
    pub year_from: Option<String>,
    pub date: Option<String>,
    pub topics: Vec<TopicId>,
    /// Keyword fields its source's `fields` read.
    pub fields: std::collections::BTreeMap<String, String>,
    pub path: String,
    pub url: Option<String>,
    /// The page of the snippet's first match, for documents with pages (PDFs).
    pub page: Option<u32>,
    pub score: f32,
    #[serde(skip)]
    pub snippet: Snippet,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
    /// How the query was read, where the reader should know (see
    /// [`super::PreparedQuery::notes`]).
    pub notes: Vec<String>,
}

/// Runs a search over an open index.
pub fn search(index: &DossierIndex, request: &SearchRequest) -> Result<SearchResults> {
    let fields = index.fields;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let tantivy_error = |e| index_error(&index.dir, e);
    let PreparedQuery {
        query,
        proximity,
        highlights,
        notes,
    } = prepare(index, &searcher, request)?;

    // The collector reserves room for offset + limit hits: never more than the
    // index holds, whatever was asked.
    let documents = (searcher.num_docs() as usize).max(1);
    let limit = request.limit.clamp(1, MAX_LIMIT).min(documents);
    let offset = request.offset.min(documents);
    // First pass: what matches, counted and faceted, and the best candidates
    // by BM25. Second pass: the proximity scores of those candidates alone,
    // added to their BM25 scores.
    let candidates = (offset + limit).max(RESCORE_CANDIDATES).min(documents);
    let first = if proximity.is_empty() {
        TopDocs::with_limit(limit)
            .and_offset(offset)
            .order_by_score()
    } else {
        TopDocs::with_limit(candidates).order_by_score()
    };
    let (total, first_top, facets) = searcher
        .search(&query, &(Count, first, FacetCollector::new(None)))
        .map_err(tantivy_error)?;
    let top = if proximity.is_empty() || first_top.is_empty() {
        first_top
    } else {
        let addresses: Vec<DocAddress> = first_top.iter().map(|(_, a)| *a).collect();
        let candidates = CandidateQuery::new(&searcher, &addresses);
        // One intersection per clause, driven by the candidates: a union of
        // the clauses would walk every phrase match in the index instead.
        let mut bonus: HashMap<DocAddress, f32> = HashMap::new();
        for clause in proximity {
            let restricted = BooleanQuery::new(vec![
                filter_clause(Box::new(candidates.clone())),
                (Occur::Must, clause),
            ]);
            let scored = searcher
                .search(
                    &restricted,
                    &TopDocs::with_limit(addresses.len()).order_by_score(),
                )
                .map_err(tantivy_error)?;
            for (score, address) in scored {
                *bonus.entry(address).or_default() += score;
            }
        }
        let mut rescored: Vec<(f32, DocAddress)> = first_top
            .into_iter()
            .map(|(score, address)| (score + bonus.get(&address).copied().unwrap_or(0.0), address))
            .collect();
        rescored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        rescored.into_iter().skip(offset).take(limit).collect()
    };

    let mut matchers = Matchers::new(highlights);
    let mut hits = Vec::new();
    let documents = MatchedDocuments::for_page(&searcher, fields).map_err(tantivy_error)?;
    for (score, address) in top.into_iter().take(request.limit) {
        let doc = documents.read_whole(address).map_err(tantivy_error)?;
        let snippet = if request.snippets {
            let matches = matchers.for_lang(doc.lang).find(&doc.body);
            make_snippet(&doc.body, &matches, SNIPPET_BYTES)
        } else {
            Snippet::default()
        };
        let page = snippet
            .anchor
            .and_then(|offset| pages::page_at(&doc.body, offset));
        hits.push(Hit {
            id: doc.id,
            title: doc.title,
            source: doc.source,
            lang: doc.lang,
            year: doc.year,
            year_from: doc.provenance.year,
            date: doc.date,
            topics: doc.topics,
            fields: doc.fields,
            path: doc.path,
            url: doc.url,
            page,
            score,
            snippet,
        });
    }
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        offset: request.offset,
        hits,
        facets,
        notes,
    })
}
