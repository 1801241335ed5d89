//! A search's answer: what matches, counted and faceted, and the best hits,
//! ranked in two passes (BM25 for everything that matches, then proximity for
//! the best candidates alone), each with a snippet around its matches.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur};
use tantivy::{DocAddress, SegmentOrdinal};

use super::candidates::CandidateQuery;
use super::compiler::filter_clause;
use super::facets::{FacetCollector, FacetCounts};
use super::matcher::{Matchers, Snippet, make_snippet};
use super::top_hits::{RankedDoc, TopHits};
use super::{MatchedDocuments, PreparedQuery, SearchRequest, StoredDocument, pages, prepare};
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
    let page = offset..offset + limit;
    // Ties go to the smaller id (see `top_hits`), in both passes; the ids of
    // a tie the page shows whole are read from the stored documents, kept
    // for the page.
    let stored = MatchedDocuments::for_page(&searcher, fields).map_err(tantivy_error)?;
    let mut read: HashMap<DocAddress, StoredDocument> = HashMap::new();
    let mut id_of = |address: DocAddress| -> tantivy::Result<Option<String>> {
        let doc = stored.read_whole(address)?;
        let id = Some(doc.id.clone()).filter(|id| !id.is_empty());
        read.insert(address, doc);
        Ok(id)
    };
    // Each segment's columns file checked once, if a tie reads its ids.
    let mut checked: Vec<SegmentOrdinal> = Vec::new();
    let mut check_columns = |segment: SegmentOrdinal| -> tantivy::Result<()> {
        if !checked.contains(&segment) {
            index.check_columns_file(searcher.segment_reader(segment).segment_id())?;
            checked.push(segment);
        }
        Ok(())
    };
    // Counts alone (`--limit 0`) keep no hit: there is no page to order.
    let first = TopHits::new(
        if request.limit == 0 {
            0
        } else if proximity.is_empty() {
            page.end
        } else {
            candidates
        },
        fields.id,
    );
    let (total, mut first_top, facets) = searcher
        .search(&query, &(Count, first, FacetCollector::new(None)))
        .map_err(tantivy_error)?;
    let top = if proximity.is_empty() || first_top.hits.is_empty() {
        first_top
            .order(page.clone(), page.end, &mut id_of, &mut check_columns)
            .map_err(tantivy_error)?;
        first_top.hits
    } else {
        // Which documents are candidates; their order comes after rescoring.
        first_top
            .order(
                candidates..candidates,
                candidates,
                &mut id_of,
                &mut check_columns,
            )
            .map_err(tantivy_error)?;
        let addresses: Vec<DocAddress> = first_top.hits.iter().map(|hit| hit.address).collect();
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
        let mut rescored = first_top;
        for hit in &mut rescored.hits {
            hit.score += bonus.get(&hit.address).copied().unwrap_or(0.0);
        }
        rescored
            .order(page.clone(), page.end, &mut id_of, &mut check_columns)
            .map_err(tantivy_error)?;
        rescored.hits
    };

    let mut matchers = Matchers::new(highlights);
    let mut hits = Vec::new();
    for RankedDoc { score, address, .. } in top.into_iter().skip(offset).take(request.limit) {
        let doc = match read.remove(&address) {
            Some(doc) => doc,
            None => stored.read_whole(address).map_err(tantivy_error)?,
        };
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
