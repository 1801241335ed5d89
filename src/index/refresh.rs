//! Keeping the index in step with the sources folder.
//!
//! The unit of work is the file: the summary counts files, and a file's
//! documents (one, or one per line of a JSON Lines collection) are replaced or
//! removed together.
//!
//! A refresh compares what is on disk with what the index holds (id, size,
//! modification time, content hash, source settings: all read from fast fields,
//! so a refresh with nothing changed reads no document). Only new files and files
//! whose size or mtime moved are read; their content hash confirms the change.
//! Everything goes into one commit, which tantivy swaps in atomically: a search
//! during a refresh sees the old state or the new one, and a crash leaves the old
//! one. A file that cannot be read is reported, and its previously indexed
//! version (if any) is kept: nothing already indexed is lost to a bad read.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;
use tantivy::schema::Facet;

use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

use super::analysis::group_of;
use super::document::{Budget, IndexDocument};
use super::schema::{Fields, facet_text};
use super::{CommitInfo, DossierIndex, SCHEMA_VERSION, index_error};
use crate::extract::topics::Taxonomy;
use crate::extract::{self, ExtractedDocument, MAX_FILE_BYTES, jsonl};
use crate::sources::config::SourceRef;
use crate::sources::{FetchRecord, SourceFile, SourcesConfig, scan_sources};
use crate::views::progress::Progress;
use crate::{Error, Result};

/// Two indexing threads sharing a 256 MB arena: indexing (tokenising the
/// text twice, stemmed and exact, with positions) costs more than extraction,
/// so both cores index while extraction fills the gaps. Measured on the UN
/// General Debate corpus (199 MB, 2 cores): 7.0 s and 350 MB peak with two
/// threads, against 9.7 s with one (6.2 s and 325 MB after later work); two
/// segments, which cost a phrase query about 0.5 ms.
const WRITER_THREADS: usize = 2;

/// A build's memory is the writer's arena plus what is kept per file (its
/// id, source, size and time: about 120 bytes a file, measured with a
/// million files). One budget covers both, so that a build stays under
/// 500 MB whatever the number of files: the arena gets what the files leave,
/// never less than [`MIN_WRITER_MEMORY`] (more, smaller segments cost merges).
const MEMORY_BUDGET: usize = 256 * 1024 * 1024;
const BYTES_PER_FILE: usize = 160;
const MIN_WRITER_MEMORY: usize = 128 * 1024 * 1024;

fn writer_memory(files: usize) -> usize {
    MEMORY_BUDGET
        .saturating_sub(files.saturating_mul(BYTES_PER_FILE))
        .max(MIN_WRITER_MEMORY)
}

/// Text of extracted documents allowed to wait for the writer: enough to keep
/// its threads busy, small enough that a build's memory does not grow with
/// the corpus (tantivy's own queue holds up to 10,000 documents).
const QUEUED_TEXT_BYTES: usize = 32 * 1024 * 1024;
/// Extraction threads get a large stack: HTML parsers recurse on deep markup.
const EXTRACT_STACK_BYTES: usize = 64 * 1024 * 1024;
/// A collection is streamed, so it may be large; one line of it may not.
const MAX_LINE_BYTES: u64 = MAX_FILE_BYTES;
/// Lines of a collection parsed and indexed together, in parallel.
const COLLECTION_BATCH: usize = 2048;

#[derive(Debug, Clone, Default)]
pub struct RefreshOptions {
    /// Drop every document and index the whole folder again.
    pub rebuild: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

/// What a refresh did. `--json` prints exactly this.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RefreshSummary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Unchanged documents whose topics changed with the taxonomy.
    pub retagged: usize,
    pub failed: Vec<Failure>,
    pub seconds: f64,
    /// Documents in the index after the refresh (a collection file holds many).
    pub documents: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Failure {
    pub path: String,
    pub error: String,
}

/// What the index holds for one document, read from fast fields.
#[derive(Debug, Clone)]
struct IndexedState {
    size: u64,
    mtime_ns: i64,
    hash: String,
    source_key: String,
}

enum Outcome {
    Added,
    Updated,
    /// Size or mtime moved but the bytes did not: the stored mtime is refreshed.
    Touched,
    Failed(Failure),
}

/// What became of one file, and a problem with part of it (bad lines of a
/// collection) that did not stop the rest.
struct FileResult {
    outcome: Outcome,
    partial: Option<Failure>,
}

impl From<Outcome> for FileResult {
    fn from(outcome: Outcome) -> Self {
        FileResult {
            outcome,
            partial: None,
        }
    }
}

/// Brings the index in `index_dir` up to date with `sources_dir`.
pub fn refresh_index(
    sources_dir: &Path,
    index_dir: &Path,
    options: &RefreshOptions,
) -> Result<RefreshSummary> {
    let started = Instant::now();
    let config = SourcesConfig::load(sources_dir)?;
    let taxonomy = Taxonomy::load(sources_dir)?;
    let (files, problems) = scan_sources(sources_dir, &config)?;
    let dossier_index = DossierIndex::open_or_create(index_dir)?;
    let fields = dossier_index.fields;
    let reader = dossier_index.reader()?;
    let searcher = reader.searcher();
    let indexed = if options.rebuild {
        HashMap::new()
    } else {
        indexed_states(&searcher, &fields).map_err(|e| index_error(index_dir, e))?
    };

    let mut summary = RefreshSummary::default();
    summary.failed.extend(problems.iter().map(|p| Failure {
        path: p.path.display().to_string(),
        error: p.error.clone(),
    }));

    // Folders the walk could not read: their documents are not "removed".
    let unreadable_prefixes: Vec<String> = problems
        .iter()
        .filter_map(|p| p.path.strip_prefix(sources_dir).ok())
        .filter_map(|rel| rel.to_str().map(|s| s.replace('\\', "/")))
        .collect();

    let mut to_read: Vec<(&SourceFile, Option<&IndexedState>)> = Vec::new();
    // Only needed to find removed files: a first build (nothing indexed yet)
    // skips a set of every id.
    let on_disk: HashSet<&str> = if indexed.is_empty() {
        HashSet::new()
    } else {
        files.iter().map(|f| f.id.as_str()).collect()
    };
    for file in &files {
        match indexed.get(&file.id) {
            None => to_read.push((file, None)),
            Some(state)
                if state.size == file.size
                    && state.mtime_ns == file.mtime_ns
                    && state.source_key == source_key(&file.source) =>
            {
                summary.unchanged += 1
            }
            Some(state) => to_read.push((file, Some(state))),
        }
    }
    let removed: Vec<&String> = indexed
        .keys()
        .filter(|id| !on_disk.contains(id.as_str()))
        .filter(|id| {
            !unreadable_prefixes
                .iter()
                .any(|p| id.as_str() == p || id.starts_with(&format!("{p}/")))
        })
        .collect();

    let last_commit = dossier_index.commit_info();
    let retag = !options.rebuild
        && last_commit
            .as_ref()
            .is_some_and(|info| info.taxonomy != taxonomy.fingerprint);
    if to_read.is_empty()
        && removed.is_empty()
        && !options.rebuild
        && !retag
        && last_commit.is_some()
    {
        summary.documents = searcher.num_docs();
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }

    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let mut writer = Writer {
        inner: dossier_index
            .index
            .writer_with_num_threads(WRITER_THREADS, writer_memory(files.len()))
            .map_err(|e| index_error(index_dir, e))?,
        budget: Budget::new(QUEUED_TEXT_BYTES),
    };
    // A refresh killed mid-commit can leave files its commit never referenced
    // (a deletes file named after a segment and an opstamp that this run will
    // reach again). Collect them first, or writing that name fails.
    writer
        .inner
        .garbage_collect_files()
        .wait()
        .map_err(|e| index_error(index_dir, e))?;
    if options.rebuild {
        writer
            .inner
            .delete_all_documents()
            .map_err(|e| index_error(index_dir, e))?;
    }

    let progress = Progress::new(options.progress, to_read.len() as u64, "indexing");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(EXTRACT_STACK_BYTES)
        .build()
        .map_err(|e| Error::io(index_dir, std::io::Error::other(e)))?;
    // Outcomes are counted as they come, not collected: a million files'
    // results would hold hundreds of megabytes until the end.
    let counted: tantivy::Result<RefreshSummary> = pool.install(|| {
        to_read
            .par_iter()
            .map(|(file, previous)| {
                let outcome = index_one(&writer, &fields, &taxonomy, file, *previous);
                progress.advance(&file.id);
                outcome
            })
            .try_fold(RefreshSummary::default, |mut part, result| {
                let result = result?;
                part.failed.extend(result.partial);
                match result.outcome {
                    Outcome::Added => part.added += 1,
                    Outcome::Updated => part.updated += 1,
                    Outcome::Touched => part.unchanged += 1,
                    Outcome::Failed(failure) => part.failed.push(failure),
                }
                Ok(part)
            })
            .try_reduce(RefreshSummary::default, |mut a, b| {
                a.added += b.added;
                a.updated += b.updated;
                a.unchanged += b.unchanged;
                a.failed.extend(b.failed);
                Ok(a)
            })
    });
    progress.finish();
    let counted = counted.map_err(|e| index_error(index_dir, e))?;
    summary.added += counted.added;
    summary.updated += counted.updated;
    summary.unchanged += counted.unchanged;
    summary.failed.extend(counted.failed);
    for id in &removed {
        writer.delete_term(Term::from_field_text(fields.file, id));
    }
    summary.removed = removed.len();
    if retag {
        let untouched: HashMap<&str, &SourceFile> = files
            .iter()
            .filter(|f| {
                indexed.get(&f.id).is_some_and(|state| {
                    state.size == f.size
                        && state.mtime_ns == f.mtime_ns
                        && state.source_key == source_key(&f.source)
                })
            })
            .map(|f| (f.id.as_str(), f))
            .collect();
        summary.retagged = pool
            .install(|| retag_documents(&searcher, &fields, &taxonomy, &untouched, &writer))
            .map_err(|e| index_error(index_dir, e))?;
    }

    let info = CommitInfo {
        schema_version: SCHEMA_VERSION,
        refreshed_at: jiff::Timestamp::now().to_string(),
        sources: sources_dir.display().to_string(),
        taxonomy: taxonomy.fingerprint.clone(),
    };
    let mut commit = writer
        .inner
        .prepare_commit()
        .map_err(|e| index_error(index_dir, e))?;
    commit.set_payload(&serde_json::to_string(&info).unwrap_or_default());
    commit.commit().map_err(|e| index_error(index_dir, e))?;
    writer
        .inner
        .wait_merging_threads()
        .map_err(|e| index_error(index_dir, e))?;
    reader.reload().map_err(|e| index_error(index_dir, e))?;
    summary.documents = reader.searcher().num_docs();

    summary.failed.sort_by(|a, b| a.path.cmp(&b.path));
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// tantivy's writer with the budget of text waiting for it.
struct Writer {
    inner: IndexWriter<IndexDocument>,
    budget: Arc<Budget>,
}

impl Writer {
    /// Queues a document, waiting while the budget is spent.
    fn add_document(&self, doc: IndexDocument) -> tantivy::Result<u64> {
        self.inner.add_document(doc.reserve(&self.budget))
    }

    fn delete_term(&self, term: Term) {
        self.inner.delete_term(term);
    }
}

/// The file could not be indexed, for this reason.
fn failure(file: &SourceFile, error: String) -> FileResult {
    FileResult::from(Outcome::Failed(Failure {
        path: file.path().display().to_string(),
        error,
    }))
}

/// Reads, extracts and queues one file. Only a failure of the index writer
/// itself is an `Err`; everything about the file is in the [`FileResult`].
fn index_one(
    writer: &Writer,
    fields: &Fields,
    taxonomy: &Taxonomy,
    file: &SourceFile,
    previous: Option<&IndexedState>,
) -> tantivy::Result<FileResult> {
    let failed = |error: String| Ok(failure(file, error));
    let path = file.path();
    if jsonl::has_collection_name(&file.id) {
        match read_head(&path) {
            Ok(head) if jsonl::is_collection(&file.id, &head) => {
                return index_collection(writer, fields, taxonomy, file, previous);
            }
            Ok(_) => {}
            Err(error) => return failed(error),
        }
    }
    if file.size > MAX_FILE_BYTES {
        return failed(too_large());
    }
    let bytes = match read_capped(&path) {
        Ok(bytes) => bytes,
        Err(error) => return failed(error),
    };
    let hash = blake3::hash(&bytes).to_hex()[..32].to_string();
    let key = source_key(&file.source);
    let extracted = match extract::extract(&bytes, &file.id) {
        Ok(doc) => doc,
        Err(error) => return failed(error.0),
    };
    drop(bytes);
    let extracted = with_fetch_record(extracted, &path);
    if previous.is_some() {
        writer.delete_term(Term::from_field_text(fields.file, &file.id));
    }
    let topics = topics_for(taxonomy, &file.source, &extracted.title, &extracted.body);
    let stamp = FileStamp {
        file,
        hash: &hash,
        source_key: &key,
    };
    writer.add_document(build_document(fields, &stamp, &file.id, extracted, &topics))?;
    Ok(outcome_for(previous, &hash, &key).into())
}

fn outcome_for(previous: Option<&IndexedState>, hash: &str, key: &str) -> Outcome {
    match previous {
        None => Outcome::Added,
        Some(p) if p.hash == hash && p.source_key == key => Outcome::Touched,
        Some(_) => Outcome::Updated,
    }
}

/// The first bytes of a file, to recognise a collection.
fn read_head(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut head = Vec::with_capacity(4096);
    file.take(4096)
        .read_to_end(&mut head)
        .map_err(|e| e.to_string())?;
    Ok(head)
}

/// A JSON Lines collection, streamed: one document per line, in batches, so
/// that memory stays bounded whatever the file's size. The whole file is
/// hashed first: a file that cannot be read to its end keeps its old
/// documents. Lines that are not documents are skipped and reported.
fn index_collection(
    writer: &Writer,
    fields: &Fields,
    taxonomy: &Taxonomy,
    file: &SourceFile,
    previous: Option<&IndexedState>,
) -> tantivy::Result<FileResult> {
    let failed = |error: String| Ok(failure(file, error));
    let mut hasher = blake3::Hasher::new();
    if let Err(e) = hasher.update_reader(match std::fs::File::open(file.path()) {
        Ok(f) => f,
        Err(e) => return failed(e.to_string()),
    }) {
        return failed(e.to_string());
    }
    let hash = hasher.finalize().to_hex()[..32].to_string();
    let key = source_key(&file.source);
    let mut reader = match std::fs::File::open(file.path()) {
        Ok(f) => std::io::BufReader::with_capacity(1 << 20, f),
        Err(e) => return failed(e.to_string()),
    };
    if previous.is_some() {
        writer.delete_term(Term::from_field_text(fields.file, &file.id));
    }
    let stamp = FileStamp {
        file,
        hash: &hash,
        source_key: &key,
    };
    let mut lines = LineBatch::default();
    let mut line_number = 0usize;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let read = match (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buffer)
        {
            Ok(n) => n,
            Err(e) => return failed(format!("read error after line {line_number}: {e}")),
        };
        if read == 0 {
            break;
        }
        line_number += 1;
        if buffer.len() as u64 > MAX_LINE_BYTES {
            return failed(format!(
                "line {line_number} is longer than {MAX_LINE_BYTES} bytes"
            ));
        }
        let line = String::from_utf8_lossy(&buffer).trim().to_string();
        if !line.is_empty() {
            lines.pending.push((line_number, line));
        }
        if lines.pending.len() == COLLECTION_BATCH {
            lines.flush(writer, fields, taxonomy, &stamp)?;
        }
    }
    lines.flush(writer, fields, taxonomy, &stamp)?;
    let partial = lines.first_problem.map(|first| Failure {
        path: file.path().display().to_string(),
        error: format!("{} line(s) skipped; the first: {first}", lines.bad_lines),
    });
    Ok(FileResult {
        outcome: outcome_for(previous, &hash, &key),
        partial,
    })
}

/// Lines of a collection waiting to be indexed, and what was wrong with the
/// lines so far.
#[derive(Default)]
struct LineBatch {
    pending: Vec<(usize, String)>,
    seen_ids: HashSet<String>,
    bad_lines: usize,
    first_problem: Option<String>,
}

impl LineBatch {
    /// Parses the pending lines in parallel and queues their documents.
    fn flush(
        &mut self,
        writer: &Writer,
        fields: &Fields,
        taxonomy: &Taxonomy,
        stamp: &FileStamp,
    ) -> tantivy::Result<()> {
        let parsed: Vec<(usize, ParsedLine)> = self
            .pending
            .par_iter()
            .map(|(n, line)| (*n, jsonl::parse_line(line, &stamp.file.id)))
            .collect();
        self.pending.clear();
        let mut documents = Vec::with_capacity(parsed.len());
        for (n, result) in parsed {
            let problem = match result {
                Ok((id, doc)) if self.seen_ids.insert(id.clone()) => {
                    documents.push((id, doc));
                    continue;
                }
                Ok((id, _)) => format!("line {n}: \"_id\" {id:?} repeats an earlier line"),
                Err(e) => format!("line {n}: {e}"),
            };
            self.bad_lines += 1;
            self.first_problem.get_or_insert(problem);
        }
        documents.into_par_iter().try_for_each(|(id, doc)| {
            let topics = topics_for(taxonomy, &stamp.file.source, &doc.title, &doc.body);
            let doc_id = format!("{}#{id}", stamp.file.id);
            writer
                .add_document(build_document(fields, stamp, &doc_id, doc, &topics))
                .map(|_| ())
        })
    }
}

/// A collection line read: its `_id` and document, or why not.
type ParsedLine = Result<(String, ExtractedDocument), extract::ExtractError>;

/// What every document of a file records about the file.
struct FileStamp<'a> {
    file: &'a SourceFile,
    hash: &'a str,
    source_key: &'a str,
}

fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

fn too_large() -> String {
    format!(
        "the file is larger than {} MB, the limit for one document; split it or remove it from the sources folder",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Fingerprint of the source settings a document is indexed with.
fn source_key(source: &SourceRef) -> String {
    let mut text = format!("{}\0{}", source.id, source.name);
    for topic in &source.topics {
        text.push('\0');
        text.push_str(topic);
    }
    if let Some(lang) = &source.lang {
        text.push_str("\0lang=");
        text.push_str(lang);
    }
    blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
}

pub(crate) fn topic_facet(topic: &str) -> Facet {
    Facet::from_path(topic.split('/').filter(|s| !s.is_empty()))
}

/// A document's topics: its source's defaults, then what the taxonomy finds.
fn topics_for(taxonomy: &Taxonomy, source: &SourceRef, title: &str, body: &str) -> Vec<String> {
    let mut topics = source.topics.clone();
    for topic in taxonomy.tag(title, body) {
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
    topics
}

/// A fetched document's address is the one it was fetched from; when it names
/// no date of its own, the server's Last-Modified date serves.
fn with_fetch_record(mut doc: ExtractedDocument, path: &Path) -> ExtractedDocument {
    let Some(record) = FetchRecord::read_beside(path) else {
        return doc;
    };
    doc.url = Some(record.final_url.clone());
    if doc.date.is_none()
        && let Some(date) = record.last_modified_date()
        && doc.year.is_none_or(|year| year == date.year())
    {
        const FROM: &str = "HTTP Last-Modified";
        doc.date = Some(date);
        doc.provenance.date = Some(FROM.into());
        if doc.year.is_none() {
            doc.year = Some(date.year());
            doc.provenance.year = Some(FROM.into());
        }
    }
    doc
}

/// Title and body under every field that holds them: stored, exact, and the
/// ranking fields of the document's language.
pub(crate) fn add_title_and_body(
    out: &mut IndexDocument,
    fields: &Fields,
    lang: &str,
    title: String,
    body: String,
) {
    let ranking = fields.ranking[group_of(lang)];
    out.add_text(
        &[
            fields.title,
            fields.title_exact,
            ranking.title,
            ranking.text,
        ],
        title,
    );
    out.add_text(&[ranking.text, fields.body_exact, fields.body], body);
}

/// A source's `lang` stands for documents that declare none: whoever set it
/// knows the folder better than a detector knows a short page.
fn with_source_language(mut doc: ExtractedDocument, source: &SourceRef) -> ExtractedDocument {
    if let Some(lang) = &source.lang
        && !doc.lang_declared
    {
        doc.lang = lang.clone();
        doc.provenance.lang = format!("sources.toml (source {})", source.id);
    }
    doc
}

fn build_document(
    fields: &Fields,
    stamp: &FileStamp,
    id: &str,
    doc: ExtractedDocument,
    topics: &[String],
) -> IndexDocument {
    let file = stamp.file;
    let doc = with_source_language(doc, &file.source);
    let mut out = IndexDocument::new();
    out.add_text(&[fields.id], id);
    out.add_text(&[fields.file], &file.id);
    out.add_text(&[fields.path], file.path().display().to_string());
    if let Some(url) = &doc.url {
        out.add_text(&[fields.url], url);
    }
    add_title_and_body(&mut out, fields, &doc.lang, doc.title, doc.body);
    if let Some(year) = doc.year {
        out.add_u64(fields.year, year as u64);
    }
    if let Some(date) = doc.date
        && let Ok(zoned) = date.to_zoned(jiff::tz::TimeZone::UTC)
    {
        out.add_date(
            fields.date,
            DateTime::from_timestamp_secs(zoned.timestamp().as_second()),
        );
    }
    out.add_facet(fields.source, Facet::from_path([file.source.id.as_str()]));
    out.add_facet(fields.lang, Facet::from_path([doc.lang.as_str()]));
    out.add_text(&[fields.source_name], &file.source.name);
    for topic in topics {
        out.add_facet(fields.topic, topic_facet(topic));
    }
    out.add_text(&[fields.hash], stamp.hash);
    out.add_u64(fields.size, file.size);
    out.add_i64(fields.mtime, file.mtime_ns);
    out.add_text(&[fields.source_key], stamp.source_key);
    out.add_text(
        &[fields.provenance],
        serde_json::to_string(&doc.provenance).unwrap_or_default(),
    );
    out
}

/// File id → what the index holds for it, from fast fields only (the
/// documents of one file share these values).
fn indexed_states(
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<HashMap<String, IndexedState>> {
    let schema = searcher.schema();
    let name = |f| schema.get_field_name(f).to_string();
    let mut states = HashMap::with_capacity(searcher.num_docs() as usize);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(ids), Some(hashes), Some(keys)) = (
            fast.str(&name(fields.file))?,
            fast.str(&name(fields.hash))?,
            fast.str(&name(fields.source_key))?,
        ) else {
            continue;
        };
        let sizes = fast.u64(&name(fields.size))?;
        let mtimes = fast.i64(&name(fields.mtime))?;
        let (id_terms, hash_terms, key_terms) =
            (all_terms(&ids)?, all_terms(&hashes)?, all_terms(&keys)?);
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let term = |column: &tantivy::columnar::StrColumn, terms: &[String]| {
                column
                    .ords()
                    .first(doc)
                    .and_then(|ord| terms.get(ord as usize))
                    .cloned()
            };
            let (Some(id), Some(hash), Some(source_key)) = (
                term(&ids, &id_terms),
                term(&hashes, &hash_terms),
                term(&keys, &key_terms),
            ) else {
                continue;
            };
            states.insert(
                id,
                IndexedState {
                    size: sizes.first(doc).unwrap_or(0),
                    mtime_ns: mtimes.first(doc).unwrap_or(0),
                    hash,
                    source_key,
                },
            );
        }
    }
    Ok(states)
}

/// Every term of a string column, by ordinal: one pass over the dictionary
/// instead of a lookup per document.
fn all_terms(column: &tantivy::columnar::StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}

/// Re-tags the documents whose files did not change, from the text the index
/// stores: editing `topics.toml` costs no read of the sources. A document is
/// rewritten only when its topics differ. Returns how many were.
fn retag_documents(
    searcher: &Searcher,
    fields: &Fields,
    taxonomy: &Taxonomy,
    untouched: &HashMap<&str, &SourceFile>,
    writer: &Writer,
) -> tantivy::Result<usize> {
    let mut addresses = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                addresses.push(tantivy::DocAddress::new(ord as u32, doc));
            }
        }
    }
    let rewritten: tantivy::Result<Vec<bool>> = addresses
        .par_iter()
        .map(|address| {
            let stored: TantivyDocument = searcher.doc(*address)?;
            let text = |field| {
                stored
                    .get_first(field)
                    .and_then(|v| tantivy::schema::Value::as_str(&v).map(str::to_string))
            };
            let Some(id) = text(fields.id) else {
                return Ok(false);
            };
            let Some(file) = text(fields.file).and_then(|f| untouched.get(f.as_str()).copied())
            else {
                return Ok(false);
            };
            let title = text(fields.title).unwrap_or_default();
            let body = text(fields.body).unwrap_or_default();
            let topics = topics_for(taxonomy, &file.source, &title, &body);
            let old: Vec<String> = stored
                .get_all(fields.topic)
                .filter_map(|v| tantivy::schema::Value::as_facet(&v).map(str::to_string))
                .collect();
            let new: Vec<Facet> = topics.iter().map(|t| topic_facet(t)).collect();
            if old.iter().eq(new.iter().map(|f| f.encoded_str())) {
                return Ok(false);
            }
            let mut doc = IndexDocument::new();
            for (field, value) in stored.field_values() {
                if field != fields.topic && field != fields.title && field != fields.body {
                    doc.add_owned(field, tantivy::schema::OwnedValue::from(value));
                }
            }
            // The exact and ranking fields are indexed, not stored: rebuild
            // them from the stored title and body.
            let lang = stored
                .get_first(fields.lang)
                .and_then(|v| tantivy::schema::Value::as_facet(&v).map(facet_text))
                .unwrap_or_default();
            add_title_and_body(&mut doc, fields, &lang, title, body);
            for facet in new {
                doc.add_facet(fields.topic, facet);
            }
            writer.delete_term(Term::from_field_text(fields.id, &id));
            writer.add_document(doc)?;
            Ok(true)
        })
        .collect();
    Ok(rewritten?.into_iter().filter(|r| *r).count())
}
