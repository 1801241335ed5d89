//! What can go wrong with one address of an update. An update reports these
//! per address and goes on; `--json` writes each as `{"url": …, "reason": …}`.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// An address an update could not fetch or keep, and why.
#[derive(Debug, Clone)]
pub struct FetchFailure {
    pub url: String,
    pub reason: FetchProblem,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchProblem {
    #[error("not a valid address ({0})")]
    InvalidAddress(String),

    #[error("redirect to {0} not followed")]
    RedirectNotFollowed(String),

    #[error("fetched, but could not be saved in {} ({error})", dir.display())]
    NotSaved {
        dir: PathBuf,
        error: Arc<std::io::Error>,
    },

    #[error("HTTP {0} (not found)")]
    NotFound(u16),

    #[error("HTTP {0}")]
    Status(u16),

    /// What the HTTP client or robots.txt said: timeouts, refused
    /// connections, oversized answers, redirects that cannot be followed,
    /// a disallowing rule.
    #[error("{0}")]
    Request(String),
}

impl fmt::Display for FetchFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.reason)
    }
}

impl Serialize for FetchFailure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("FetchFailure", 2)?;
        out.serialize_field("url", &self.url)?;
        out.serialize_field("reason", &self.reason.to_string())?;
        out.end()
    }
}
