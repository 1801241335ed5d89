//! A JSON Lines collection (`corpus.jsonl`), streamed: one document per line,
//! in batches bounded by lines and by bytes, so that memory stays bounded
//! whatever the file's size or its lines' (1.7 GB of 40 MB lines took 3.4 GB
//! when batches were counted in lines only). The whole file is hashed
//! first: a file that cannot be read to its end keeps its old documents.
//! Lines that are not documents, or longer than one document may be, are
//! skipped and reported; the others are indexed.

use std::collections::HashSet;
use std::io::{BufRead, Read};
use std::sync::Arc;

use rayon::prelude::*;
use tantivy::Term;

use super::changes::IndexedState;
use super::compose::{FileStamp, build_document, content_hash, source_key, topics_for};
use super::failure::{FileProblem, IndexFailure, LineProblem};
use super::file::{FileResult, failed, outcome_for};
use super::writer::Writer;
use crate::extract::topics::Taxonomy;
use crate::extract::{ExtractError, ExtractedDocument, MAX_FILE_BYTES, jsonl};
use crate::index::schema::Fields;
use crate::sources::SourceFile;

/// A collection is streamed, so it may be large; one line of it may not.
const MAX_LINE_BYTES: u64 = MAX_FILE_BYTES;
/// Lines of a collection parsed and indexed together, in parallel.
const COLLECTION_BATCH: usize = 2048;
/// A batch is indexed once its lines hold this many bytes.
const COLLECTION_BATCH_BYTES: usize = 64 * 1024 * 1024;

pub fn index_collection(
    writer: &Writer,
    fields: &Fields,
    taxonomy: &Taxonomy,
    file: &SourceFile,
    previous: Option<&IndexedState>,
) -> tantivy::Result<FileResult> {
    let open = || std::fs::File::open(file.path()).map_err(FileProblem::read);
    let mut hasher = blake3::Hasher::new();
    if let Err(problem) = open().and_then(|f| {
        hasher
            .update_reader(f)
            .map(|_| ())
            .map_err(FileProblem::read)
    }) {
        return failed(file, problem);
    }
    let hash = content_hash(hasher.finalize());
    let key = source_key(&file.source);
    let mut reader = match open() {
        Ok(f) => std::io::BufReader::with_capacity(1 << 20, f),
        Err(problem) => return failed(file, problem),
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
            Err(error) => {
                return failed(
                    file,
                    FileProblem::CollectionRead {
                        after_line: line_number,
                        error: Arc::new(error),
                    },
                );
            }
        };
        if read == 0 {
            break;
        }
        line_number += 1;
        if buffer.len() as u64 > MAX_LINE_BYTES {
            buffer.clear();
            if let Err(error) = skip_rest_of_line(&mut reader) {
                return failed(
                    file,
                    FileProblem::CollectionRead {
                        after_line: line_number,
                        error: Arc::new(error),
                    },
                );
            }
            lines.skip(LineProblem::TooLong {
                line: line_number,
                limit: MAX_LINE_BYTES,
            });
            continue;
        }
        let line = String::from_utf8_lossy(&buffer).trim().to_string();
        if !line.is_empty() {
            lines.pending_bytes += line.len();
            lines.pending.push((line_number, line));
        }
        if lines.pending.len() == COLLECTION_BATCH || lines.pending_bytes >= COLLECTION_BATCH_BYTES
        {
            lines.flush(writer, fields, taxonomy, &stamp)?;
        }
    }
    lines.flush(writer, fields, taxonomy, &stamp)?;
    let partial = lines.first_problem.map(|first| IndexFailure {
        path: file.path(),
        problem: FileProblem::SkippedLines {
            count: lines.bad_lines,
            first,
        },
    });
    Ok(FileResult {
        outcome: outcome_for(previous, &hash, &key),
        partial,
        sparse: None,
    })
}

/// Lines of a collection waiting to be indexed, and what was wrong with the
/// lines so far.
#[derive(Default)]
struct LineBatch {
    pending: Vec<(usize, String)>,
    pending_bytes: usize,
    /// The ids read so far, by hash: a file of millions of lines keeps 16
    /// bytes each, whatever the ids' length.
    seen_ids: HashSet<[u8; 16]>,
    bad_lines: usize,
    first_problem: Option<LineProblem>,
}

fn id_hash(id: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    out.copy_from_slice(&blake3::hash(id.as_bytes()).as_bytes()[..16]);
    out
}

/// Reads past the rest of a line without keeping it.
fn skip_rest_of_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|b| *b == b'\n') {
            Some(end) => {
                reader.consume(end + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                reader.consume(n);
            }
        }
    }
}

/// A collection line read: its `_id` and document, or why not.
type ParsedLine = Result<(String, ExtractedDocument), ExtractError>;

impl LineBatch {
    /// A line not indexed, counted and (the first) named in the report.
    fn skip(&mut self, problem: LineProblem) {
        self.bad_lines += 1;
        self.first_problem.get_or_insert(problem);
    }

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
        self.pending_bytes = 0;
        let mut documents = Vec::with_capacity(parsed.len());
        for (line, result) in parsed {
            let problem = match result {
                Ok((id, doc)) if self.seen_ids.insert(id_hash(&id)) => {
                    documents.push((id, doc));
                    continue;
                }
                Ok((id, _)) => LineProblem::RepeatedId { line, id },
                Err(error) => LineProblem::Unreadable { line, error },
            };
            self.skip(problem);
        }
        documents.into_par_iter().try_for_each(|(id, doc)| {
            let topics = topics_for(taxonomy, &stamp.file.source, &doc.title, &doc.body);
            let doc_id = format!("{}#{id}", stamp.file.id);
            writer
                .add_document(build_document(fields, stamp, &doc_id, doc, &topics, None))
                .map(|_| ())
        })
    }
}
