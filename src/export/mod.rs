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
use tantivy::query::EnableScoring;
use tantivy::{DocSet, TERMINATED, TantivyDocument};

use crate::extract::Provenance;
use crate::index::{DossierIndex, index_error};
use crate::search::{SearchRequest, StoredDocument, prepare};
use crate::text::{LangCode, SourceId, TopicId};
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
    pub fn new(lang: LangCode, title: String, body: String) -> Self {
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
}

/// How documents are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// One JSON object a line.
    Ndjson,
    /// An action line (`{"index":{"_index":…,"_id":…}}`) before each document.
    Bulk { index: String },
}

/// The action line of a `_bulk` request: index this document under this id.
#[derive(Serialize)]
struct BulkAction<'a> {
    index: BulkTarget<'a>,
}

#[derive(Serialize)]
struct BulkTarget<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

/// Which documents to write: all, or those of some sources or languages
/// (narrowed as a search's filters narrow).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub sources: Vec<SourceId>,
    pub langs: Vec<LangCode>,
}

/// Writes the selected documents to `out`; returns how many.
pub fn export_documents(
    index: &DossierIndex,
    selection: &Selection,
    format: &Format,
    out: &mut dyn Write,
) -> Result<u64> {
    let fields = index.fields;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let request = SearchRequest {
        sources: selection.sources.clone(),
        langs: selection.langs.clone(),
        ..SearchRequest::new("*")
    };
    let query = prepare(index, &searcher, &request)?.query;
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
                let exported = exported_document(StoredDocument::from_stored(fields, &stored));
                line.clear();
                if let Format::Bulk { index: name } = format {
                    let action = BulkAction {
                        index: BulkTarget {
                            index: name,
                            id: &exported.id,
                        },
                    };
                    crate::text::json::to_writer(&mut line, &action).map_err(output_error)?;
                    line.push(b'\n');
                }
                crate::text::json::to_writer(&mut line, &exported).map_err(output_error)?;
                line.push(b'\n');
                out.write_all(&line).map_err(output_error)?;
                written += 1;
            }
            doc = docs.advance();
        }
    }
    out.flush().map_err(output_error)?;
    Ok(written)
}

/// Writing to standard output failed (a closed pipe, a full disk).
fn output_error(error: impl Into<std::io::Error>) -> Error {
    Error::Write {
        what: "standard output".into(),
        source: error.into(),
    }
}

/// A stored document, as exported.
pub fn exported_document(stored: StoredDocument) -> ExportedDocument {
    ExportedDocument {
        id: stored.id,
        file: stored.file,
        path: stored.path,
        url: stored.url,
        source: stored.source.to_string(),
        source_name: stored.source_name,
        topics: stored.topics.iter().map(TopicId::to_string).collect(),
        year: stored.year,
        // Dates are indexed as midnight UTC of the day.
        date: stored.date.map(|day| format!("{day}T00:00:00Z")),
        size: stored.size,
        hash: stored.hash,
        provenance: stored.provenance,
        text: ExportedText::new(stored.lang, stored.title, stored.body),
        lang: stored.lang.to_string(),
    }
}
