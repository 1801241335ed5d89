//! What is in the sources folder: the source definitions (`sources.toml`) and the
//! files on disk, each with the source it belongs to. Nothing here reads a file's
//! content; that is `extract`'s job.

pub mod config;
pub mod fields;
pub mod follow;
pub mod record;
pub mod scan;

pub use config::{SourceDefinition, SourcesConfig};
pub use record::FetchRecord;
pub use scan::{ScanError, ScanProblem, SourceFile, scan_sources};
