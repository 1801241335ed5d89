//! The index, written out for a search cluster: every document with its
//! metadata as JSON lines (Quickwit's ingest format, and with action lines
//! the `_bulk` format of Elasticsearch and OpenSearch), and a Quickwit index
//! config mirroring dossier's schema ([`quickwit`]).
//!
//! Documents are read segment by segment from the stored fields and written
//! one at a time: memory does not grow with the index. They go to one stream,
//! or to numbered request files under a size a server accepts ([`requests`]).
//! With `since`, only what changed after an earlier export is written, and
//! the ids to delete ([`Changes`]).

pub mod names;
pub mod quickwit;
pub mod requests;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use serde::{Deserialize, Serialize};
use tantivy::query::EnableScoring;
use tantivy::{DocId, DocSet, TERMINATED, TantivyDocument};

use self::names::{BulkIndex, keyword};
use self::requests::Output;
use crate::extract::Provenance;
use crate::index::column_terms::terms_of;
use crate::index::{DossierIndex, history, index_error};
use crate::search::{SearchRequest, StoredDocument, prepare};
use crate::text::{LangCode, SourceId};
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
    /// The keyword fields a source's `fields` read (`{"country": "THA"}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
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
    /// An action line (`{"index":{"_index":…,"_id":…}}`) before each document,
    /// and with `since` a `delete` action for each id removed.
    Bulk { index: BulkIndex },
}

/// The action line of a `_bulk` request: index this document under this id.
#[derive(Serialize)]
struct BulkAction<'a> {
    index: BulkTarget<'a>,
}

/// The action line that deletes a document by id.
#[derive(Serialize)]
struct BulkDelete<'a> {
    delete: BulkTarget<'a>,
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

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Documents written.
    pub documents: u64,
    /// The index's generation: what a later `since` takes.
    pub generation: u64,
    /// With `since`: what changed, for the cluster's deletes.
    pub changes: Option<Changes>,
    /// Request files written (with [`Output::Requests`]).
    pub files: usize,
    /// Documents too large for one request on their own: each in a file of
    /// its own, which a server may refuse.
    pub oversized: Vec<String>,
    /// Documents whose id in the index's id column is not their stored id
    /// (a damaged column): written, but their place in the id order is not
    /// sure.
    pub out_of_order: u64,
}

/// The documents to delete from a cluster before it takes an export made
/// with `since`: those the index no longer has, and the old copies of those
/// it wrote again (a Quickwit index does not replace by id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub removed: BTreeSet<String>,
    pub written: BTreeSet<String>,
}

/// `since` names a generation the index cannot answer for.
fn check_since(index: &DossierIndex, since: u64) -> Result<u64> {
    let info = index.commit_info().unwrap_or_default();
    if since > info.generation {
        return Err(Error::CommitAhead {
            since,
            generation: info.generation,
        });
    }
    // The history knows the removals of commits from `history_from` on, and
    // not those of that commit itself when it rebuilt a cleared index: the
    // cluster must be at that commit or later.
    if info.history_from > 0 && since < info.history_from {
        return Err(Error::HistoryLost {
            since,
            from: info.history_from,
        });
    }
    Ok(info.generation)
}

/// Writes the selected documents (with `since`, only those written after
/// that generation) to `out`.
pub fn export_documents(
    index: &DossierIndex,
    selection: &Selection,
    format: &Format,
    since: Option<u64>,
    out: &mut Output,
) -> Result<ExportSummary> {
    let fields = index.fields;
    // The documents and the commit number of one snapshot: a refresh that
    // commits meanwhile would give the number of a commit whose documents
    // were not read (and the next export since it would never send them).
    let mut attempts = 0;
    let (searcher, generation) = loop {
        let before = index.commit_info().map(|info| info.generation);
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let after = index.commit_info().map(|info| info.generation);
        attempts += 1;
        if before == after || attempts == 10 {
            let generation = match since {
                Some(since) => check_since(index, since)?,
                None => after.unwrap_or(0),
            };
            break (searcher, generation);
        }
    };
    let mut summary = ExportSummary {
        generation,
        ..ExportSummary::default()
    };
    let mut changes = Changes::default();
    if let Some(since) = since {
        let present: HashSet<String> = history::ids_of_files(&searcher, &fields, None)
            .map_err(|e| index_error(&index.dir, e))?
            .into_iter()
            .collect();
        changes.removed = history::removed_since(&index.dir, since, generation)?
            .into_iter()
            .filter(|id| !present.contains(id))
            .map(keyword)
            .collect();
        // A document written since that no longer belongs to the part
        // exported (its language or source changed) leaves the cluster too.
        if !selection.sources.is_empty() || !selection.langs.is_empty() {
            changes
                .removed
                .extend(left_selection(index, &searcher, selection, since)?);
        }
        if let Format::Bulk { index: name } = format {
            let mut line = Vec::new();
            for id in &changes.removed {
                line.clear();
                let action = BulkDelete {
                    delete: BulkTarget {
                        index: name.as_str(),
                        id,
                    },
                };
                crate::text::json::to_writer(&mut line, &action).map_err(output_error)?;
                line.push(b'\n');
                out.write_record(&line).map_err(output_error)?;
            }
        }
    }
    let generation_column = |segment: &tantivy::SegmentReader| {
        segment
            .fast_fields()
            .u64(searcher.schema().get_field_name(fields.generation))
            .ok()
    };
    let request = SearchRequest {
        sources: selection.sources.clone(),
        langs: selection.langs.clone(),
        ..SearchRequest::new("*")
    };
    let query = prepare(index, &searcher, &request)?.query;
    let weight = query
        .weight(EnableScoring::disabled_from_searcher(&searcher))
        .map_err(|e| index_error(&index.dir, e))?;
    // Documents in id order, not in the order of the segments that hold
    // them: those depend on the indexing threads, and two exports of the
    // same documents must be the same bytes.
    let id_name = searcher.schema().get_field_name(fields.id).to_string();
    let mut stores = Vec::new();
    let mut order: Vec<(String, usize, DocId)> = Vec::new();
    for (at, segment) in searcher.segment_readers().iter().enumerate() {
        let store = segment
            .get_store_reader(1)
            .map_err(|e| index_error(&index.dir, e.into()))?;
        let alive = segment.alive_bitset();
        let mut scorer = weight
            .scorer(segment, 1.0)
            .map_err(|e| index_error(&index.dir, e))?;
        // Read only for `since`: a plain export needs no column but the ids'.
        let written_by = since.and_then(|_| generation_column(segment));
        let changed = |doc| match (since, &written_by) {
            (None, _) => true,
            (Some(since), Some(column)) => column.first(doc).is_some_and(|g| g > since),
            (Some(_), None) => true,
        };
        let mut docs = Vec::new();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) && changed(doc) {
                docs.push(doc);
            }
            doc = scorer.advance();
        }
        // The id column only from a columns file that passes its checksum:
        // its dictionary has none of its own, and a flipped byte there can
        // read as other ids without failing.
        let column_whole = index.check_columns_file(segment.segment_id()).is_ok();
        let ids = ids_of(segment, column_whole, &store, &id_name, fields, &docs)
            .map_err(|e| index_error(&index.dir, e))?;
        order.extend(
            ids.into_iter()
                .zip(docs)
                .map(|(id, doc)| (keyword(id), at, doc)),
        );
        stores.push(store);
    }
    order.sort_unstable();
    let mut written = 0u64;
    let mut line: Vec<u8> = Vec::with_capacity(64 * 1024);
    for (id, at, doc) in order {
        let stored: TantivyDocument = crate::index::stored_bytes::checked_get(&stores[at], doc)
            .map_err(|e| index_error(&index.dir, e))?;
        let exported = exported_document(StoredDocument::from_stored(fields, &stored));
        // The column's id against the stored one: a damaged column can read
        // as other ids without failing, and the order with them.
        if exported.id != id {
            summary.out_of_order += 1;
        }
        line.clear();
        if let Format::Bulk { index: name } = format {
            let action = BulkAction {
                index: BulkTarget {
                    index: name.as_str(),
                    id: &exported.id,
                },
            };
            crate::text::json::to_writer(&mut line, &action).map_err(output_error)?;
            line.push(b'\n');
        }
        crate::text::json::to_writer(&mut line, &exported).map_err(output_error)?;
        line.push(b'\n');
        if out.write_record(&line).map_err(output_error)? {
            summary.oversized.push(exported.id.clone());
        }
        if since.is_some() {
            changes.written.insert(exported.id);
        }
        written += 1;
    }
    summary.files = out.finish().map_err(output_error)?;
    summary.documents = written;
    summary.changes = since.map(|_| changes);
    Ok(summary)
}

/// The ids of `docs` (ascending) of `segment`, from its id column read in
/// one pass over its dictionary; from the stored documents when the
/// segment's columns file is not `column_whole`, or the column is missing,
/// or does not read whole and in order, or panics as it is read (a damaged
/// column must not stop an export the stored documents allow).
fn ids_of(
    segment: &tantivy::SegmentReader,
    column_whole: bool,
    store: &tantivy::store::StoreReader,
    id_name: &str,
    fields: crate::index::Fields,
    docs: &[DocId],
) -> tantivy::Result<Vec<String>> {
    let from_column = || -> Option<Vec<String>> {
        let column = segment.fast_fields().str(id_name).ok()??;
        let doc_ords: Option<Vec<u64>> = docs
            .iter()
            .map(|&doc| column.term_ords(doc).next())
            .collect();
        let doc_ords = doc_ords?;
        let mut ords = doc_ords.clone();
        ords.sort_unstable();
        ords.dedup();
        let read = terms_of(&column, &ords).ok()??;
        // Every ordinal is among those read: found.
        let id = |ord: &u64| read[ords.binary_search(ord).unwrap_or_default()].clone();
        Some(doc_ords.iter().map(id).collect())
    };
    // A damaged column can make tantivy panic as it opens or reads it.
    if column_whole && let Ok(Some(ids)) = catch_unwind(AssertUnwindSafe(from_column)) {
        return Ok(ids);
    }
    docs.iter()
        .map(|&doc| {
            let stored: TantivyDocument = crate::index::stored_bytes::checked_get(store, doc)?;
            Ok(StoredDocument::from_stored(fields, &stored).id)
        })
        .collect()
}

/// Writing to standard output failed (a closed pipe, a full disk).
fn output_error(error: impl Into<std::io::Error>) -> Error {
    let error = error.into();
    // Said where already, by the writer of standard output.
    if error
        .get_ref()
        .is_some_and(|inner| inner.is::<crate::error::StdoutFailed>())
    {
        return Error::Output(error);
    }
    Error::Write {
        what: "standard output".into(),
        source: error,
    }
}

/// A stored document, as exported.
/// Keyword values (ids, addresses, topics, fields) longer than a cluster's
/// keyword tokens may be are shortened with a marker ([`keyword`]).
pub fn exported_document(stored: StoredDocument) -> ExportedDocument {
    ExportedDocument {
        id: keyword(stored.id),
        file: keyword(stored.file),
        path: stored.path,
        url: stored.url.map(keyword),
        source: keyword(stored.source.to_string()),
        source_name: stored.source_name,
        topics: stored
            .topics
            .iter()
            .map(|t| keyword(t.to_string()))
            .collect(),
        fields: stored
            .fields
            .into_iter()
            .map(|(name, value)| (name, keyword(value)))
            .collect(),
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

/// The ids of documents written after `since` that the selection does not
/// hold now.
fn left_selection(
    index: &DossierIndex,
    searcher: &tantivy::Searcher,
    selection: &Selection,
    since: u64,
) -> Result<Vec<String>> {
    let fields = index.fields;
    let request = SearchRequest {
        sources: selection.sources.clone(),
        langs: selection.langs.clone(),
        ..SearchRequest::new("*")
    };
    let query = prepare(index, searcher, &request)?.query;
    let weight = query
        .weight(EnableScoring::disabled_from_searcher(searcher))
        .map_err(|e| index_error(&index.dir, e))?;
    let schema = searcher.schema();
    let mut left = Vec::new();
    let mut id = String::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Ok(Some(ids)), Ok(written_by)) = (
            fast.str(schema.get_field_name(fields.id)),
            fast.u64(schema.get_field_name(fields.generation)),
        ) else {
            continue;
        };
        let mut selected = HashSet::new();
        let mut docs = weight
            .scorer(segment, 1.0)
            .map_err(|e| index_error(&index.dir, e))?;
        let mut doc = docs.doc();
        while doc != TERMINATED {
            selected.insert(doc);
            doc = docs.advance();
        }
        for doc in segment.doc_ids_alive() {
            if selected.contains(&doc) || written_by.first(doc).is_none_or(|g| g <= since) {
                continue;
            }
            if let Some(ord) = ids.term_ords(doc).next() {
                id.clear();
                ids.ord_to_str(ord, &mut id)
                    .map_err(|e| index_error(&index.dir, e.into()))?;
                left.push(keyword(id.clone()));
            }
        }
    }
    Ok(left)
}
