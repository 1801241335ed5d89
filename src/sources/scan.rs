//! Walking the sources folder: every regular file is a document, except hidden
//! files and folders and the configuration files at the top. Symbolic links are
//! followed (researchers link corpora into `sources/`), with loops detected.
//! Fetch records (`*.fetch.json`, beside fetched documents) are not documents.
//! A file's id is its path relative to the sources folder, with `/` separators;
//! its source is the first folder of that path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use super::config::{SOURCES_FILE, SourceRef, SourcesConfig};
use super::record;
use crate::{Error, Result};

/// Files at the top of the sources folder that configure or describe it, not
/// documents: the source definitions, the taxonomy, and a README saying what
/// the folder holds (the shipped sample's licence and citation).
pub const CONFIG_FILES: &[&str] = &[SOURCES_FILE, "topics.toml", "README.md"];

/// Source id for files lying directly in the sources folder, outside any folder.
pub const LOOSE_FILES_SOURCE: &str = "local";

/// One document file found on disk, before it is read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the sources folder, `/`-separated: the document's id.
    pub id: String,
    /// The sources folder, shared by every file (the path is `root/id`: a
    /// million files need not keep a million copies of the folder's name).
    pub root: Arc<Path>,
    /// Shared by every file of the source: a million files need one copy.
    pub source: Arc<SourceRef>,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime_ns: i64,
}

impl SourceFile {
    /// Where the file is: the sources folder joined with the id.
    pub fn path(&self) -> PathBuf {
        self.root.join(&self.id)
    }
}

/// A path the walk could not turn into a document, and why.
#[derive(Debug, Clone)]
pub struct ScanProblem {
    pub path: PathBuf,
    pub error: ScanError,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ScanError {
    #[error("symbolic link loop: this folder links back to one of its parents; skipped")]
    LinkLoop,
    #[error("the file name is not valid UTF-8, so it cannot be given an id; rename the file")]
    NameNotUtf8,
    #[error("{0}")]
    Io(Arc<std::io::Error>),
    /// What the walk said, when it gave no I/O error.
    #[error("{0}")]
    Walk(String),
}

/// Lists the document files under `sources_dir`, sorted by id.
pub fn scan_sources(
    sources_dir: &Path,
    config: &SourcesConfig,
) -> Result<(Vec<SourceFile>, Vec<ScanProblem>)> {
    match std::fs::metadata(sources_dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(Error::NotAFolder {
                path: sources_dir.to_path_buf(),
                what: "sources",
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NoSources {
                path: sources_dir.to_path_buf(),
            });
        }
        Err(e) => return Err(Error::io(sources_dir, e)),
    }

    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut sources_by_folder: HashMap<String, Arc<SourceRef>> = HashMap::new();
    let root: Arc<Path> = Arc::from(sources_dir);
    let walker = WalkDir::new(sources_dir)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !is_hidden(entry.file_name()));

    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| sources_dir.to_path_buf());
                let error = if e.loop_ancestor().is_some() {
                    ScanError::LinkLoop
                } else {
                    let text = e.to_string();
                    match e.into_io_error() {
                        Some(io) => ScanError::Io(Arc::new(io)),
                        None => ScanError::Walk(text),
                    }
                };
                problems.push(ScanProblem { path, error });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = match entry.path().strip_prefix(sources_dir) {
            Ok(relative) => relative,
            Err(_) => continue,
        };
        let Some(id) = relative_id(relative) else {
            problems.push(ScanProblem {
                path: entry.path().to_path_buf(),
                error: ScanError::NameNotUtf8,
            });
            continue;
        };
        if !id.contains('/') && CONFIG_FILES.contains(&id.as_str()) {
            continue;
        }
        if record::is_record(&id) {
            continue;
        }
        let metadata = match entry.metadata() {
            Ok(m) => m,
            Err(e) => {
                problems.push(ScanProblem {
                    path: entry.path().to_path_buf(),
                    error: ScanError::Io(Arc::new(e.into())),
                });
                continue;
            }
        };
        let folder = match id.split_once('/') {
            Some((folder, _)) => folder,
            None => LOOSE_FILES_SOURCE,
        };
        let source = match sources_by_folder.get(folder) {
            Some(source) => Arc::clone(source),
            None => {
                let Some(source) = config.source_for_folder(folder) else {
                    continue;
                };
                let source = Arc::new(source);
                sources_by_folder.insert(folder.to_string(), Arc::clone(&source));
                source
            }
        };
        files.push(SourceFile {
            source,
            root: Arc::clone(&root),
            size: metadata.len(),
            mtime_ns: mtime_ns(&metadata),
            id,
        });
    }
    files.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((files, problems))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn relative_id(relative: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

fn mtime_ns(metadata: &std::fs::Metadata) -> i64 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos().min(i64::MAX as u128) as i64)
        .unwrap_or(0)
}
