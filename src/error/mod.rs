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

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {path}: build it first with `dossier index`")]
    NoIndex { path: PathBuf },

    #[error(
        "the index at {path} was written by a different version of dossier ({found}); delete that folder and run `dossier index` to rebuild it"
    )]
    IndexVersion { path: PathBuf, found: String },

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

    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },

    #[error("cannot understand the query: {0}")]
    Query(#[from] QueryError),

    #[error(
        "no document with id '{0}' in the index: ids are paths relative to the sources folder, as search results give them"
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
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
