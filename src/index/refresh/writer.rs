//! The index writer of a refresh: how many threads, how much memory, how many
//! bytes of documents may wait for it, and the one commit that records the
//! refresh.

use std::sync::Arc;

use tantivy::schema::Field;
use tantivy::{IndexWriter, Term};

use crate::index::document::{Budget, IndexDocument};
use crate::index::{CommitInfo, DossierIndex};

/// Two indexing threads: indexing (tokenising the text twice, stemmed and
/// exact, with positions) costs more than extraction, so both cores index
/// while extraction fills the gaps. Measured on the UN General Debate corpus
/// (199 MB, 2 cores): 7.0 s with two threads against 9.7 s with one. Two
/// threads write two segments: a phrase search on one segment instead took
/// 4.45 ms against 4.71, but merging the two after the commit made the
/// build 2.5-10 s longer (docs/performance.md), so they stay two.
const WRITER_THREADS: usize = 2;

/// A build's memory is the writer's arena (shared by its threads) plus what
/// is kept per file (its id, source, size and time), budgeted at
/// [`BYTES_PER_FILE`]. One budget covers both, so that a build stays under
/// 500 MB whatever the number of files: the arena gets what the files leave,
/// never less than [`MIN_WRITER_MEMORY`] (more, smaller segments cost merges).
const MEMORY_BUDGET: usize = 256 * 1024 * 1024;
const BYTES_PER_FILE: usize = 160;
const MIN_WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// Text of extracted documents allowed to wait for the writer: enough to keep
/// its threads busy, small enough that a build's memory does not grow with
/// the corpus (tantivy's own queue holds up to 10,000 documents).
const QUEUED_TEXT_BYTES: usize = 32 * 1024 * 1024;

fn writer_memory(files: usize) -> usize {
    MEMORY_BUDGET
        .saturating_sub(files.saturating_mul(BYTES_PER_FILE))
        .max(MIN_WRITER_MEMORY)
}

/// tantivy's writer with the budget of text waiting for it.
pub struct Writer {
    inner: IndexWriter<IndexDocument>,
    budget: Arc<Budget>,
    /// Every document written gets this refresh's generation.
    generation: (Field, u64),
}

impl Writer {
    /// A writer for a refresh of `files` files. Files a commit killed midway
    /// left behind (a deletes file named after a segment and an opstamp that
    /// this run will reach again) are collected first, or writing that name
    /// fails.
    pub fn open(index: &DossierIndex, files: usize, generation: u64) -> tantivy::Result<Writer> {
        let inner = index
            .index
            .writer_with_num_threads(WRITER_THREADS, writer_memory(files))?;
        inner.garbage_collect_files().wait()?;
        Ok(Writer {
            inner,
            budget: Budget::new(QUEUED_TEXT_BYTES),
            generation: (index.fields.generation, generation),
        })
    }

    /// Queues a document, waiting while the budget is spent.
    pub fn add_document(&self, mut doc: IndexDocument) -> tantivy::Result<u64> {
        let (field, generation) = self.generation;
        doc.add_u64(field, generation);
        self.inner.add_document(doc.reserve(&self.budget))
    }

    pub fn delete_term(&self, term: Term) {
        self.inner.delete_term(term);
    }

    pub fn delete_all_documents(&self) -> tantivy::Result<()> {
        self.inner.delete_all_documents().map(|_| ())
    }

    /// Commits everything queued, with `info` as the commit's payload: one
    /// atomic swap of the index's metadata. Returns once merges are done.
    pub fn commit(mut self, info: &CommitInfo) -> tantivy::Result<()> {
        let mut commit = self.inner.prepare_commit()?;
        commit.set_payload(&serde_json::to_string(info).unwrap_or_default());
        commit.commit()?;
        self.inner.wait_merging_threads()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arena_gets_what_the_files_leave() {
        assert_eq!(writer_memory(0), MEMORY_BUDGET);
        assert_eq!(
            writer_memory(100_000),
            MEMORY_BUDGET - 100_000 * BYTES_PER_FILE
        );
        assert_eq!(writer_memory(10_000_000), MIN_WRITER_MEMORY);
        assert_eq!(writer_memory(usize::MAX), MIN_WRITER_MEMORY);
    }
}
