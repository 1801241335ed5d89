//! The library's error type. Each variant reads as a sentence a user can act on:
//! what went wrong, where, and what to do next. Per-file extraction problems are
//! not errors of this kind: a refresh reports them and goes on.
//!
//! The library never names a command-line flag: a value typed after a flag is
//! checked, and its error worded, where flags are read (`cli`).

mod query;

use std::path::PathBuf;

pub use query::QueryError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a failed write to standard output carries inside its I/O error, so
/// that the message says where ("cannot write to standard output: No space
/// left on device") once, however many layers pass it on.
#[derive(Debug)]
pub struct StdoutFailed(pub std::io::Error);

impl std::fmt::Display for StdoutFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write to standard output: {}", self.0)
    }
}

impl std::error::Error for StdoutFailed {}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {path}: build it first with `dossier index`")]
    NoIndex { path: PathBuf },

    /// The command line adds how to rebuild it.
    #[error("the index at {path} was written by a different version of dossier ({found})")]
    IndexVersion { path: PathBuf, found: String },

    /// The command line adds how to rebuild it.
    #[error("the index at {path} is damaged ({detail})")]
    IndexDamaged { path: PathBuf, detail: String },

    /// The command line adds what to do.
    #[error(
        "the index at {index} holds the documents of the sources folder {recorded}, not of {given}"
    )]
    OtherSources {
        index: PathBuf,
        recorded: PathBuf,
        given: PathBuf,
    },

    /// The command line adds what to do.
    #[error(
        "the index folder {index} is inside the sources folder {sources}: its own files would be read as documents"
    )]
    IndexInSources { index: PathBuf, sources: PathBuf },

    /// The command line adds what to do.
    #[error("commit {since} is later than the index's last commit ({generation})")]
    CommitAhead { since: u64, generation: u64 },

    /// The command line adds what to do.
    #[error(
        "the index keeps what changed only since commit {from} (it was rebuilt then from an index it could not read), not since commit {since}"
    )]
    HistoryLost { since: u64, from: u64 },

    /// The command line adds what to do.
    #[error("{path} holds a meta.json that is not a dossier index, and no index files")]
    NotAnIndex { path: PathBuf },

    #[error("{path} is a file, where the {what} folder should be")]
    NotAFolder { path: PathBuf, what: &'static str },

    #[error(
        "another `dossier index` is writing to {path} (it holds the lock {lock}); wait for it to finish, then run again"
    )]
    IndexLocked { path: PathBuf, lock: PathBuf },

    #[error("the sources folder {path} does not exist: create it and put documents in it")]
    NoSources { path: PathBuf },

    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A write to standard output that failed, said so already
    /// ([`StdoutFailed`]).
    #[error(transparent)]
    Output(std::io::Error),

    #[error("cannot write to {what}: {source}")]
    Write {
        what: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },

    #[error("cannot understand the query: {0}")]
    Query(#[from] QueryError),

    #[error(
        "no {what} '{typed}' in the index or the sources folder{suggestion}; the {what}s are: {known}"
    )]
    UnknownFilter {
        what: &'static str,
        typed: String,
        /// " (did you mean 'x'?)", or nothing.
        suggestion: String,
        known: String,
    },

    #[error("the topic '{typed}' could be any of {candidates}: give the whole id")]
    AmbiguousTopic { typed: String, candidates: String },

    #[error("{count} documents have the file name '{typed}': give the whole id ({candidates})")]
    AmbiguousDocument {
        typed: String,
        count: usize,
        candidates: String,
    },

    #[error(
        "no document with id '{0}' in the index: give an id as search results print it (a path under the sources folder), the file's path, or its file name"
    )]
    NoSuchDocument(String),

    #[error(
        "no space left to write the index in {path} (the disk is full, or a quota or file-size limit was reached); the index is unchanged: free some space and run `dossier index` again"
    )]
    NoSpace { path: PathBuf },

    #[error(
        "cannot write to the index folder {path} ({reason}); the index is unchanged: make it writable"
    )]
    NotWritable { path: PathBuf, reason: String },

    #[error("index error in {path}: {source}")]
    Index {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },

    #[error(
        "dossier stopped on an internal error ({0}); this is a bug: please report it with the command you ran"
    )]
    Internal(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A damaged index, with what was found wrong cut to one short line:
    /// the detail may quote a whole file.
    pub fn damaged(path: impl Into<PathBuf>, detail: impl std::fmt::Display) -> Self {
        Error::IndexDamaged {
            path: path.into(),
            detail: crate::text::controls::one_short_line(&detail.to_string(), 160),
        }
    }
}
