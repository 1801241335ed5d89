//! Searching the index: query text and flags → ranked hits with snippets, and
//! facet counts over every match. Rendering the results is `views`' job.

pub mod bm25;
pub mod candidates;
pub mod facets;
pub mod languages;
pub mod matcher;
pub mod occurrences;
pub mod pages;
pub mod query;
pub mod ranking;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::extract::Provenance;
use crate::index::refresh::topic_facet;
use crate::index::schema::facet_text;
use crate::index::{DossierIndex, Fields};
use crate::sources::config::{is_source_name, is_valid_topic_id};
use crate::{Error, Result};
use facets::FacetCollector;
pub use facets::{FacetCounts, Split};
use matcher::{Matchers, Snippet, make_snippet};
use query::{QueryCompiler, YearRange, filter_clause, year_query};

/// Snippet length in bytes (about two lines of a terminal).
pub const SNIPPET_BYTES: usize = 220;
/// The most hits one request may ask for.
pub const MAX_LIMIT: usize = 100_000;

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Plain words, no operators: any may match, ranked by BM25.
    pub plain: bool,
    pub sources: Vec<String>,
    pub topics: Vec<String>,
    /// Language codes (ISO 639-1, `und`): any of them.
    pub langs: Vec<String>,
    pub years: Option<YearRange>,
    pub limit: usize,
    pub offset: usize,
    /// Make a snippet for each hit (presentation only: the ranking is the same).
    pub snippets: bool,
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
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub source: String,
    /// ISO 639-1 code of the document's language (`und`: not told).
    pub lang: String,
    pub year: Option<u64>,
    /// Where the year came from: a meta tag, "path" or "text".
    pub year_from: Option<String>,
    pub date: Option<String>,
    pub topics: Vec<String>,
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
}

/// The stored fields of one document, as `show` and hits need them.
#[derive(Debug, Clone, Serialize)]
pub struct StoredDocument {
    pub id: String,
    /// The file it came from: itself, or the collection it is a line of.
    pub file: String,
    pub title: String,
    pub source: String,
    pub source_name: String,
    pub lang: String,
    pub year: Option<u64>,
    pub date: Option<String>,
    pub topics: Vec<String>,
    pub path: String,
    pub url: Option<String>,
    pub size: u64,
    pub hash: String,
    pub provenance: Provenance,
    #[serde(skip)]
    pub body: String,
}

/// The query of a request, with its filters, and what to highlight.
pub struct PreparedQuery {
    /// What matches, scored by BM25: counts, facets and the first pass.
    pub query: Box<dyn Query>,
    /// Proximity clauses: the second pass adds their scores to the first
    /// pass's best candidates (they never change what matches).
    pub proximity: Vec<Box<dyn Query>>,
    pub highlights: query::Highlights,
}

/// The first pass keeps at least this many candidates for the second: enough
/// that re-scoring changes no page a reader looks at (and the top 1,000 that
/// relevance evaluation reads).
pub const RESCORE_CANDIDATES: usize = 100;

/// Parses and compiles a request's query and filters, for the languages
/// `searcher` holds.
pub fn prepare(
    index: &DossierIndex,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<PreparedQuery> {
    let fields = index.fields;
    let groups = languages::present_groups(searcher, &fields)
        .map_err(|e| crate::index::index_error(&index.dir, e))?;
    let node = if request.plain {
        query::plain_query(&request.query)?
    } else {
        query::parse_query(&request.query)?
    };
    let mut compiler = QueryCompiler::new(fields, &groups);
    let main = compiler.compile(&node).ok_or_else(|| {
        Error::Query("the query has no searchable words (only punctuation or symbols)".into())
    })?;
    for source in &request.sources {
        check_filter_value("--source", source, is_source_name)?;
    }
    for topic in &request.topics {
        check_filter_value("--topic", topic.trim_matches('/'), is_valid_topic_id)?;
    }
    let langs = request
        .langs
        .iter()
        .map(|l| {
            query::lang_code(l).ok_or_else(|| {
                Error::Query(format!(
                    "--lang {l:?} is not a language code: use codes as the facet counts print them (ISO 639-1), e.g. --lang fr, or --lang und for documents whose language was not told"
                ))
            })
        })
        .collect::<Result<Vec<String>>>()?;
    Ok(PreparedQuery {
        query: with_filters(fields, main, request, &langs),
        highlights: compiler.highlights(&node),
        proximity: std::mem::take(&mut compiler.proximity),
    })
}

/// Facet counts of every document a request matches; with a split, also
/// documents per year for each source or topic.
pub fn facet_counts(
    index: &DossierIndex,
    request: &SearchRequest,
    split: Option<Split>,
) -> Result<(usize, FacetCounts)> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let prepared = prepare(index, &searcher, request)?;
    let collector = FacetCollector {
        split,
        ..facet_collector()
    };
    search_segments(&searcher, &prepared.query, &(Count, collector))
        .map_err(|e| crate::index::index_error(&index.dir, e))
}

fn facet_collector() -> FacetCollector {
    FacetCollector {
        year_field: "year".into(),
        source_field: "source".into(),
        topic_field: "topic".into(),
        lang_field: "lang".into(),
        split: None,
    }
}

/// Runs a search over an open index.
pub fn search(index: &DossierIndex, request: &SearchRequest) -> Result<SearchResults> {
    let fields = index.fields;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let PreparedQuery {
        query,
        proximity,
        highlights,
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
    let (total, first_top, facets) =
        search_segments(&searcher, &query, &(Count, first, facet_collector()))
            .map_err(|e| crate::index::index_error(&index.dir, e))?;
    let top = if proximity.is_empty() || first_top.is_empty() {
        first_top
    } else {
        let addresses: Vec<DocAddress> = first_top.iter().map(|(_, a)| *a).collect();
        let candidates = candidates::CandidateQuery::new(&searcher, &addresses);
        // One intersection per clause, driven by the candidates: a union of
        // the clauses would walk every phrase match in the index instead.
        let mut bonus: std::collections::HashMap<DocAddress, f32> =
            std::collections::HashMap::new();
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
                .map_err(|e| crate::index::index_error(&index.dir, e))?;
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
    for (score, address) in top.into_iter().take(request.limit) {
        let doc = stored_document(&searcher, fields, address)
            .map_err(|e| crate::index::index_error(&index.dir, e))?;
        let snippet = if request.snippets {
            let matches = matchers.for_lang(&doc.lang).find(&doc.body);
            make_snippet(&doc.body, &matches, SNIPPET_BYTES)
        } else {
            Snippet {
                text: String::new(),
                highlights: Vec::new(),
                anchor: None,
            }
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
    })
}

/// Below this many documents a search is a few milliseconds on one core and
/// starting threads would cost more than it saves.
const PARALLEL_FROM_DOCUMENTS: u64 = 20_000;

/// Runs `collector` over every segment: on a large index with several
/// segments, on every core (one task per segment), since matching a phrase
/// of common words checks positions in most documents and is the costliest
/// step of a search on a large corpus.
pub(crate) fn search_segments<C: tantivy::collector::Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    search_segments_from(searcher, query, collector, PARALLEL_FROM_DOCUMENTS)
}

fn search_segments_from<C: tantivy::collector::Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
    parallel_from: u64,
) -> tantivy::Result<C::Fruit> {
    let segments = searcher.segment_readers().len();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if segments < 2 || cores < 2 || searcher.num_docs() < parallel_from {
        return searcher.search(query, collector);
    }
    let executor = tantivy::Executor::multi_thread(cores.min(segments), "dossier-search-")?;
    let scoring = if collector.requires_scoring() {
        tantivy::query::EnableScoring::enabled_from_searcher(searcher)
    } else {
        tantivy::query::EnableScoring::disabled_from_searcher(searcher)
    };
    searcher.search_with_executor(query, collector, &executor, scoring)
}

fn check_filter_value(flag: &str, value: &str, valid: fn(&str) -> bool) -> Result<()> {
    if valid(value) {
        Ok(())
    } else {
        Err(Error::Query(format!(
            "{flag} {value:?} is not a valid id: use ids as the facet counts print them, e.g. {flag} {}",
            if flag == "--topic" {
                "human-security"
            } else {
                "un-security-council"
            }
        )))
    }
}

/// The user's query, narrowed by the flag filters. Filters are query objects
/// that do not score: `--source nato` changes what matches, not the ranking.
fn with_filters(
    fields: Fields,
    main: Box<dyn Query>,
    request: &SearchRequest,
    langs: &[String],
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    let any_of = |terms: Vec<Term>| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            terms
                .into_iter()
                .map(|t| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect(),
        ))
    };
    if !request.sources.is_empty() {
        let terms = request
            .sources
            .iter()
            .map(|s| Term::from_facet(fields.source, &Facet::from_path([s.as_str()])))
            .collect();
        clauses.push(filter_clause(any_of(terms)));
    }
    if !langs.is_empty() {
        let terms = langs
            .iter()
            .map(|l| Term::from_facet(fields.lang, &Facet::from_path([l.as_str()])))
            .collect();
        clauses.push(filter_clause(any_of(terms)));
    }
    if !request.topics.is_empty() {
        let terms = request
            .topics
            .iter()
            .map(|t| Term::from_facet(fields.topic, &topic_facet(t.trim_matches('/'))))
            .collect();
        clauses.push(filter_clause(any_of(terms)));
    }
    if let Some(range) = &request.years {
        clauses.push(filter_clause(year_query(fields, range)));
    }
    if clauses.len() == 1 {
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Reads a document's stored fields.
pub fn stored_document(
    searcher: &Searcher,
    f: Fields,
    address: DocAddress,
) -> tantivy::Result<StoredDocument> {
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(StoredDocument::from_stored(f, &doc))
}

impl StoredDocument {
    /// The fields of a document as the index stored them.
    pub fn from_stored(f: Fields, doc: &TantivyDocument) -> Self {
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let date = doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .and_then(|d| {
                jiff::Timestamp::from_second(d.into_timestamp_secs())
                    .ok()
                    .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
            });
        StoredDocument {
            id: text(f.id).unwrap_or_default(),
            file: text(f.file).unwrap_or_default(),
            title: text(f.title).unwrap_or_default(),
            source: doc
                .get_first(f.source)
                .and_then(|v| v.as_facet().map(facet_text))
                .unwrap_or_default(),
            source_name: text(f.source_name).unwrap_or_default(),
            lang: doc
                .get_first(f.lang)
                .and_then(|v| v.as_facet().map(facet_text))
                .unwrap_or_default(),
            year: doc.get_first(f.year).and_then(|v| v.as_u64()),
            date,
            topics: doc
                .get_all(f.topic)
                .filter_map(|v| v.as_facet().map(facet_text))
                .collect(),
            path: text(f.path).unwrap_or_default(),
            url: text(f.url),
            size: doc.get_first(f.size).and_then(|v| v.as_u64()).unwrap_or(0),
            hash: text(f.hash).unwrap_or_default(),
            provenance: text(f.provenance)
                .and_then(|p| serde_json::from_str(&p).ok())
                .unwrap_or_default(),
            body: text(f.body).unwrap_or_default(),
        }
    }
}

/// Looks a document up by id.
pub fn find_document(index: &DossierIndex, id: &str) -> Result<StoredDocument> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(index.fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(|e| crate::index::index_error(&index.dir, e))?;
    let (_, address) = top
        .into_iter()
        .next()
        .ok_or_else(|| Error::NoSuchDocument(id.to_string()))?;
    stored_document(&searcher, index.fields, address)
        .map_err(|e| crate::index::index_error(&index.dir, e))
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::doc;
    use tantivy::query::QueryParser;
    use tantivy::schema::{STORED, Schema, TEXT};

    use super::*;

    #[test]
    fn segments_on_every_core_find_what_one_core_finds() {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT | STORED);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Three commits, three segments.
        for part in 0..3 {
            for i in 0..200 {
                let text = if i % 7 == part {
                    "human security and protection of civilians"
                } else {
                    "security council human rights"
                };
                writer.add_document(doc!(body => text)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let query = QueryParser::for_index(&index, vec![body])
            .parse_query("\"human security\"")
            .unwrap();
        let collector = (Count, TopDocs::with_limit(10).order_by_score());
        let one = searcher.search(&query, &collector).unwrap();
        let every = search_segments_from(&searcher, &query, &collector, 0).unwrap();
        assert_eq!(one.0, 87);
        assert_eq!(one.0, every.0);
        assert_eq!(one.1, every.1);
    }
}
