//! What can go wrong with one file of a refresh. A refresh reports these and
//! goes on: the file's earlier version (if any) stays in the index.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::extract::{ExtractError, MAX_FILE_BYTES};
use crate::sources::ScanError;

/// A file a refresh could not index (or only in part), and why. `--json`
/// writes it as `{"path": …, "error": …}`.
#[derive(Debug, Clone)]
pub struct IndexFailure {
    pub path: PathBuf,
    pub problem: FileProblem,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum FileProblem {
    /// The walk of the sources folder could not read it.
    #[error("{0}")]
    Scan(ScanError),

    #[error(
        "the file is larger than {} MB, the limit for one document; split it or remove it from the sources folder",
        MAX_FILE_BYTES / (1024 * 1024)
    )]
    TooLarge,

    #[error("{0}")]
    Read(Arc<std::io::Error>),

    #[error("{0}")]
    Extract(ExtractError),

    #[error("read error after line {after_line}: {error}")]
    CollectionRead {
        after_line: usize,
        error: Arc<std::io::Error>,
    },

    /// Only part of the file could be read; that part is indexed.
    #[error("{0}")]
    Incomplete(String),

    /// Some lines of a collection were skipped; the others were indexed.
    #[error("{count} line(s) skipped; the first: {first}")]
    SkippedLines { count: usize, first: LineProblem },
}

/// Why a line of a collection was skipped.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LineProblem {
    #[error("line {line}: \"_id\" {id:?} repeats an earlier line")]
    RepeatedId { line: usize, id: String },

    #[error("line {line}: {error}")]
    Unreadable { line: usize, error: ExtractError },

    #[error("line {line} is longer than {} MB, the most one document may be", limit / (1024 * 1024))]
    TooLong { line: usize, limit: u64 },
}

impl FileProblem {
    pub fn read(error: std::io::Error) -> Self {
        FileProblem::Read(Arc::new(error))
    }
}

impl fmt::Display for IndexFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.problem)
    }
}

/// A document indexed with too little text to be found (a scanned PDF
/// without a text layer): reported, not a failure. `--json` writes it as
/// `{"path": …, "reason": …}`.
#[derive(Debug, Clone, Serialize)]
pub struct SparseDocument {
    #[serde(serialize_with = "display_path")]
    pub path: PathBuf,
    pub reason: String,
}

fn display_path<S: Serializer>(path: &std::path::Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.display().to_string())
}

impl Serialize for IndexFailure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("IndexFailure", 2)?;
        out.serialize_field("path", &self.path.display().to_string())?;
        out.serialize_field("error", &self.problem.to_string())?;
        out.end()
    }
}
