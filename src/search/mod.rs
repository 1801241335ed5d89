//! Searching the index: a request (query text and filters) → ranked hits
//! with snippets, and facet counts over every match; and the data behind the
//! research views: every occurrence in context (`concordance`), counts per
//! year (`trend`), what the index holds (`stats`), the topic tree
//! (`topic_tree`), a document's matches (`highlight`). Rendering any of it is
//! `views`' job.
//!
//! A query travels: text → [`grammar`] (a `Node`) → [`compiler`] (tantivy
//! queries, and what to highlight) → [`hits`] (two-pass ranking, snippets
//! from [`matcher`]) or [`facets`] and [`occurrences`].

pub mod bm25;
pub mod candidates;
pub mod citation;
pub mod common_pairs;
pub mod compiler;
pub mod concordance;
pub mod facets;
pub mod filters;
pub mod grammar;
pub mod highlight;
pub mod hits;
pub mod languages;
pub mod matcher;
pub mod near;
pub mod occurrences;
pub mod pages;
pub mod prefixes;
pub mod ranking;
pub mod stats;
pub mod stored;
pub mod top_hits;
pub mod topic_tree;
pub mod trend;
pub mod unmatched;

use tantivy::Searcher;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::error::QueryError;
use crate::index::{DossierIndex, Fields, index_error};
use crate::text::{LangCode, SourceId, TopicId, YearRange};
use crate::{Error, Result};
use compiler::{Highlights, QueryCompiler, filter_clause, year_query};
use grammar::Node;

pub use facets::{FacetCounts, Split, facet_counts};
pub use hits::{Hit, MAX_LIMIT, SearchResults, search};
pub use stored::{MatchedDocuments, StoredDocument, find_document};

/// What to search for, and where. Its values have been checked where they
/// were typed: ids and codes are typed, not strings.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Plain words, no operators: any may match, ranked by BM25.
    pub plain: bool,
    /// Any of these sources.
    pub sources: Vec<SourceId>,
    /// Any of these topics (or their sub-topics).
    pub topics: Vec<TopicId>,
    /// Any of these languages.
    pub langs: Vec<LangCode>,
    pub years: Option<YearRange>,
    pub limit: usize,
    pub offset: usize,
    /// Make a snippet for each hit (presentation only: the ranking is the same).
    pub snippets: bool,
    /// The sources folder, whose `sources.toml` and `topics.toml` name the
    /// sources and topics a filter may name besides the index's own.
    pub sources_dir: Option<std::path::PathBuf>,
    /// A `sources.toml` kept elsewhere than in the sources folder.
    pub config: Option<std::path::PathBuf>,
    /// How to rank: always the default, but in the relevance benchmark.
    pub ranking: ranking::Ranking,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            plain: false,
            sources: Vec::new(),
            topics: Vec::new(),
            langs: Vec::new(),
            years: None,
            limit: 10,
            offset: 0,
            snippets: true,
            sources_dir: None,
            config: None,
            ranking: ranking::Ranking::DEFAULT,
        }
    }

    /// The request's query, parsed as its mode says.
    pub fn parse(&self) -> Result<Node, QueryError> {
        if self.plain {
            grammar::plain_query(&self.query)
        } else {
            grammar::parse_query(&self.query)
        }
    }
}

/// The query of a request, with its filters, and what to highlight.
pub struct PreparedQuery {
    /// What matches, scored by BM25: counts, facets and the first pass.
    pub query: Box<dyn Query>,
    /// Proximity clauses: the second pass adds their scores to the first
    /// pass's best candidates (they never change what matches).
    pub proximity: Vec<Box<dyn Query>>,
    pub highlights: Highlights,
    /// What the reader should know about how the query was read (a prefix
    /// that stood for too many words).
    pub notes: Vec<String>,
}

/// Parses and compiles a request's query and filters, for the languages
/// `searcher` holds.
pub fn prepare(
    index: &DossierIndex,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<PreparedQuery> {
    let fields = index.fields;
    let groups =
        languages::present_groups(searcher, &fields).map_err(|e| index_error(&index.dir, e))?;
    let mut notes = Vec::new();
    let mut node = match request.parse() {
        Ok(node) => node,
        Err(QueryError::ColonMadeAField { word, at, .. }) => {
            let known = filters::KnownValues::read(index, searcher, None, None)?;
            return Err(Error::Query(known.colon_error(word, at)));
        }
        Err(error) => return Err(error.into()),
    };
    let mut request = request.clone();
    if filters::names_filters(&node)
        || !request.sources.is_empty()
        || !request.topics.is_empty()
        || !request.langs.is_empty()
        || node.any(&|n| matches!(n, Node::Lang(_)))
    {
        let known = filters::KnownValues::read(
            index,
            searcher,
            request.sources_dir.as_deref(),
            request.config.as_deref(),
        )?;
        node = known.resolve_node(node, &mut notes)?;
        for source in &mut request.sources {
            *source = known.source(source, &mut notes)?;
        }
        for topic in &mut request.topics {
            *topic = known.topic(topic, &mut notes)?;
        }
        for lang in &mut request.langs {
            *lang = known.lang(*lang, &mut notes)?;
        }
    }
    let node = prefixes::expand_prefixes(node, index, searcher, &mut notes)?;
    let mut compiler = QueryCompiler::new(fields, &groups, request.ranking);
    let main = compiler
        .compile(&node)
        .ok_or(Error::Query(QueryError::NoSearchableWords))?;
    Ok(PreparedQuery {
        query: with_filters(fields, main, &request),
        highlights: compiler.highlights(&node),
        proximity: std::mem::take(&mut compiler.proximity),
        notes,
    })
}

/// What the reader should know about how a request's query and filters
/// were read (a prefix capped, a source without documents), for the views
/// whose results do not carry them.
pub fn query_notes(index: &DossierIndex, request: &SearchRequest) -> Result<Vec<String>> {
    let reader = index.reader()?;
    Ok(prepare(index, &reader.searcher(), request)?.notes)
}

/// The user's query, narrowed by the request's filters. Filters are query
/// objects that do not score: `--source nato` changes what matches, not the
/// ranking.
fn with_filters(fields: Fields, main: Box<dyn Query>, request: &SearchRequest) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    let any_of = |facets: Vec<tantivy::schema::Facet>, field| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            facets
                .iter()
                .map(|facet| {
                    let term = tantivy::Term::from_facet(field, facet);
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect(),
        ))
    };
    if !request.sources.is_empty() {
        let facets = request.sources.iter().map(SourceId::facet).collect();
        clauses.push(filter_clause(any_of(facets, fields.source)));
    }
    if !request.langs.is_empty() {
        let facets = request.langs.iter().map(LangCode::facet).collect();
        clauses.push(filter_clause(any_of(facets, fields.lang)));
    }
    if !request.topics.is_empty() {
        let facets = request.topics.iter().map(TopicId::facet).collect();
        clauses.push(filter_clause(any_of(facets, fields.topic)));
    }
    if let Some(range) = &request.years {
        clauses.push(filter_clause(year_query(fields, range)));
    }
    if clauses.len() == 1 {
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A seeded xorshift generator for the tests that compare two ways of doing
/// one thing over many generated texts: `next(n)` is below `n`.
#[cfg(test)]
pub(crate) fn test_random(mut state: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    }
}
