//! The index, written out for a search cluster: every document with its
//! metadata as JSON lines (Quickwit's ingest format, and with action lines
//! the `_bulk` format of Elasticsearch and OpenSearch), and a Quickwit index
//! config mirroring dossier's schema ([`quickwit`]).
//!
//! Documents are read segment by segment from the stored fields and written
//! one at a time: memory does not grow with the index.

pub mod quickwit;

use std::io::Write;

use serde::{Deserialize, Serialize};
use tantivy::query::{AllQuery, BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DocSet, TERMINATED, TantivyDocument, Term};

use crate::extract::Provenance;
use crate::index::{DossierIndex, Fields, index_error};
use crate::search::query::lang_code;
use crate::sources::config::is_source_name;
use crate::{Error, Result};

/// One document as exported. The text goes to the fields of the analysis a
/// Quickwit cluster can give its language (see [`quickwit::text_fields`]):
/// `title`/`body` (English, stemmed), `title_cjk`/`body_cjk` (Chinese,
/// Japanese, Korean), or `title_other`/`body_other` (folded, not stemmed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedDocument {
    pub id: String,
    /// The file the document came from (a JSON Lines file holds many).
    pub file: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub lang: String,
    pub source: String,
    pub source_name: String,
    pub topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u64>,
    /// RFC 3339, midnight UTC of the document's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub size: u64,
    /// BLAKE3 of the file's bytes.
    pub hash: String,
    pub provenance: Provenance,
    #[serde(flatten)]
    pub text: ExportedText,
}

/// Title and body under the field names of one analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ExportedText {
    English {
        title: String,
        body: String,
    },
    Cjk {
        title_cjk: String,
        body_cjk: String,
    },
    Other {
        title_other: String,
        body_other: String,
    },
}

impl ExportedText {
    pub fn new(lang: &str, title: String, body: String) -> Self {
        match quickwit::analysis_of(lang) {
            quickwit::Analysis::English => ExportedText::English { title, body },
            quickwit::Analysis::Cjk => ExportedText::Cjk {
                title_cjk: title,
                body_cjk: body,
            },
            quickwit::Analysis::Other => ExportedText::Other {
                title_other: title,
                body_other: body,
            },
        }
    }

    pub fn title(&self) -> &str {
        match self {
            ExportedText::English { title, .. }
            | ExportedText::Cjk {
                title_cjk: title, ..
            }
            | ExportedText::Other {
                title_other: title, ..
            } => title,
        }
    }

    pub fn body(&self) -> &str {
        match self {
            ExportedText::English { body, .. }
            | ExportedText::Cjk { body_cjk: body, .. }
            | ExportedText::Other {
                body_other: body, ..
            } => body,
        }
    }
}

/// How documents are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// One JSON object a line.
    Ndjson,
    /// An action line (`{"index":{"_index":…,"_id":…}}`) before each document.
    Bulk { index: String },
}

/// Which documents to write: all, or those of some sources or languages.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub sources: Vec<String>,
    pub langs: Vec<String>,
}

/// Writes the selected documents to `out`; returns how many.
pub fn export_documents(
    index: &DossierIndex,
    selection: &Selection,
    format: &Format,
    out: &mut dyn Write,
) -> Result<u64> {
    let fields = index.fields;
    let query = selection_query(fields, selection)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let weight = query
        .weight(EnableScoring::disabled_from_searcher(&searcher))
        .map_err(|e| index_error(&index.dir, e))?;
    let mut written = 0u64;
    let mut line = Vec::with_capacity(64 * 1024);
    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(1)
            .map_err(|e| index_error(&index.dir, e.into()))?;
        let alive = segment.alive_bitset();
        let mut docs = weight
            .scorer(segment, 1.0)
            .map_err(|e| index_error(&index.dir, e))?;
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let stored: TantivyDocument =
                    store.get(doc).map_err(|e| index_error(&index.dir, e))?;
                let exported = exported_document(fields, &stored);
                line.clear();
                if let Format::Bulk { index: name } = format {
                    serde_json::to_writer(
                        &mut line,
                        &serde_json::json!({"index": {"_index": name, "_id": exported.id}}),
                    )
                    .map_err(|e| Error::Query(e.to_string()))?;
                    line.push(b'\n');
                }
                serde_json::to_writer(&mut line, &exported)
                    .map_err(|e| Error::Query(e.to_string()))?;
                line.push(b'\n');
                out.write_all(&line)
                    .map_err(|e| Error::io(std::path::Path::new("standard output"), e))?;
                written += 1;
            }
            doc = docs.advance();
        }
    }
    out.flush()
        .map_err(|e| Error::io(std::path::Path::new("standard output"), e))?;
    Ok(written)
}

fn selection_query(fields: Fields, selection: &Selection) -> Result<Box<dyn Query>> {
    let any_of = |terms: Vec<Term>| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            terms
                .into_iter()
                .map(|t| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect(),
        ))
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
    if !selection.sources.is_empty() {
        let mut terms = Vec::new();
        for source in &selection.sources {
            if !is_source_name(source) {
                return Err(Error::Query(format!(
                    "--source {source:?} is not a valid id: use ids as `dossier stats` prints them, e.g. --source un-security-council"
                )));
            }
            terms.push(Term::from_facet(
                fields.source,
                &Facet::from_path([source.as_str()]),
            ));
        }
        clauses.push((Occur::Must, any_of(terms)));
    }
    if !selection.langs.is_empty() {
        let mut terms = Vec::new();
        for lang in &selection.langs {
            let code = lang_code(lang).ok_or_else(|| {
                Error::Query(format!(
                    "--lang {lang:?} is not a language code: use ISO 639-1 codes as `dossier stats` prints them, e.g. --lang fr"
                ))
            })?;
            terms.push(Term::from_facet(
                fields.lang,
                &Facet::from_path([code.as_str()]),
            ));
        }
        clauses.push((Occur::Must, any_of(terms)));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// A stored document, as exported.
pub fn exported_document(f: Fields, doc: &TantivyDocument) -> ExportedDocument {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str().map(str::to_string))
    };
    let facet = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_facet().map(facet_path))
            .unwrap_or_default()
    };
    let lang = facet(f.lang);
    let date = doc
        .get_first(f.date)
        .and_then(|v| v.as_datetime())
        .and_then(|d| jiff::Timestamp::from_second(d.into_timestamp_secs()).ok())
        .map(|t| t.to_string());
    ExportedDocument {
        id: text(f.id).unwrap_or_default(),
        file: text(f.file).unwrap_or_default(),
        path: text(f.path).unwrap_or_default(),
        url: text(f.url),
        source: facet(f.source),
        source_name: text(f.source_name).unwrap_or_default(),
        topics: doc
            .get_all(f.topic)
            .filter_map(|v| v.as_facet().map(facet_path))
            .collect(),
        year: doc.get_first(f.year).and_then(|v| v.as_u64()),
        date,
        size: doc.get_first(f.size).and_then(|v| v.as_u64()).unwrap_or(0),
        hash: text(f.hash).unwrap_or_default(),
        provenance: text(f.provenance)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default(),
        text: ExportedText::new(
            &lang,
            text(f.title).unwrap_or_default(),
            text(f.body).unwrap_or_default(),
        ),
        lang,
    }
}

/// A facet's path as `dossier` prints it: `human-security/protection-of-civilians`.
fn facet_path(encoded: &str) -> String {
    encoded
        .split('\0')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}
