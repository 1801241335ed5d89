//! One file of a refresh: read it (within the size limit), extract its
//! document, and queue it for the writer in place of its earlier version.

use std::io::Read;
use std::path::Path;

use tantivy::Term;

use super::changes::IndexedState;
use super::collection::index_collection;
use super::compose::{
    FileStamp, build_document, content_hash, source_key, topics_for, with_record_and_fields,
};
use super::failure::{FileProblem, IndexFailure, SparseDocument};
use super::writer::Writer;
use crate::extract::topics::Taxonomy;
use crate::extract::{self, MAX_FILE_BYTES, jsonl};
use crate::index::schema::Fields;
use crate::sources::SourceFile;

/// What became of one file.
pub enum Outcome {
    Added,
    Updated,
    /// Size or mtime moved but the bytes did not: the stored mtime is refreshed.
    Touched,
    Failed(IndexFailure),
}

/// What became of one file, and a problem with part of it (bad lines of a
/// collection) that did not stop the rest.
pub struct FileResult {
    pub outcome: Outcome,
    pub partial: Option<IndexFailure>,
    /// Indexed with too little text to be found.
    pub sparse: Option<SparseDocument>,
}

impl From<Outcome> for FileResult {
    fn from(outcome: Outcome) -> Self {
        FileResult {
            outcome,
            partial: None,
            sparse: None,
        }
    }
}

/// The file could not be indexed, for this reason.
pub fn failed(file: &SourceFile, problem: FileProblem) -> tantivy::Result<FileResult> {
    Ok(Outcome::Failed(IndexFailure {
        path: file.path(),
        problem,
    })
    .into())
}

/// Whether the file was new, changed, or the same bytes under a new time.
pub fn outcome_for(previous: Option<&IndexedState>, hash: &str, key: &str) -> Outcome {
    match previous {
        None => Outcome::Added,
        Some(p) if p.hash == hash && p.source_key == key => Outcome::Touched,
        Some(_) => Outcome::Updated,
    }
}

/// Reads, extracts and queues one file. Only a failure of the index writer
/// itself is an `Err`; everything about the file is in the [`FileResult`].
pub fn index_file(
    writer: &Writer,
    fields: &Fields,
    taxonomy: &Taxonomy,
    file: &SourceFile,
    previous: Option<&IndexedState>,
) -> tantivy::Result<FileResult> {
    let path = file.path();
    if jsonl::has_collection_name(&file.id) {
        match read_head(&path) {
            Ok(head) if jsonl::is_collection(&file.id, &head) => {
                return index_collection(writer, fields, taxonomy, file, previous);
            }
            Ok(_) => {}
            Err(error) => return failed(file, FileProblem::read(error)),
        }
    }
    if file.size > MAX_FILE_BYTES {
        return failed(file, FileProblem::TooLarge);
    }
    let bytes = match read_capped(&path) {
        Ok(bytes) => bytes,
        Err(problem) => return failed(file, problem),
    };
    let hash = content_hash(blake3::hash(&bytes));
    let key = source_key(&file.source);
    let extracted = match extract::extract(&bytes, &file.id) {
        Ok(doc) => doc,
        Err(error) => return failed(file, FileProblem::Extract(error)),
    };
    drop(bytes);
    let partial = extracted.incomplete.clone().map(|reason| IndexFailure {
        path: file.path(),
        problem: FileProblem::Incomplete(reason),
    });
    let sparse = extracted.sparse.clone().map(|reason| SparseDocument {
        path: file.path(),
        reason,
    });
    let (extracted, values) = with_record_and_fields(extracted, &path, &file.id, &file.source);
    if previous.is_some() {
        writer.delete_term(Term::from_field_text(fields.file, &file.id));
    }
    let topics = topics_for(taxonomy, &file.source, &extracted.title, &extracted.body);
    let stamp = FileStamp {
        file,
        hash: &hash,
        source_key: &key,
    };
    writer.add_document(build_document(
        fields,
        &stamp,
        &file.id,
        extracted,
        &topics,
        values.as_ref(),
    ))?;
    Ok(FileResult {
        outcome: outcome_for(previous, &hash, &key),
        partial,
        sparse,
    })
}

/// The first bytes of a file, to recognise a collection.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)?
        .take(4096)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// The whole file, unless it is larger than a document may be (it may have
/// grown since it was listed).
fn read_capped(path: &Path) -> Result<Vec<u8>, FileProblem> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(FileProblem::read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge);
    }
    Ok(bytes)
}
