//! The tantivy index in the index folder: opening it (with dossier's analysers
//! registered), what each commit records, and the refresh that keeps it in step
//! with the sources folder. Searching it is `search`'s job.

pub mod column_terms;
pub mod document;
pub mod history;
mod json_members;
pub mod lexicon;
mod meta_file;
pub mod refresh;
pub mod schema;
mod search_directory;
mod store_check;
pub mod stored_bytes;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::{LockError, OpenWriteError};
use tantivy::{Index, IndexMeta, IndexReader, ReloadPolicy, TantivyError};

pub use refresh::{
    FileProblem, IndexFailure, RefreshOptions, RefreshSummary, index_outside_sources, refresh_index,
};
pub use schema::{Fields, SCHEMA_VERSION};

use crate::text::AnalysisGroup;
use crate::text::analysis::{EXACT_TOKENIZER, exact_analyzer};
use crate::text::common_pairs::{CommonPairTokenizer, PAIRS_TOKENIZER};
use crate::{Error, Result};
use meta_file::MetaSummary;
use search_directory::SearchDirectory;

/// Below this many documents a search is a few milliseconds on one core, and
/// handing segments to threads would cost more than it saves.
const PARALLEL_SEARCH_FROM_DOCUMENTS: u64 = 20_000;

/// What every commit records beside the documents, in tantivy's commit
/// payload: it is swapped atomically with the documents it describes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommitInfo {
    pub schema_version: u32,
    /// When the refresh that made this commit finished (RFC 3339, UTC).
    pub refreshed_at: String,
    /// The sources folder it was built from.
    pub sources: String,
    /// Fingerprint of the topic taxonomy the documents were tagged with.
    #[serde(default)]
    pub taxonomy: String,
    /// Counts refreshes: 1 for the first commit, one more for each after.
    /// Each document records the generation that last wrote it, and
    /// [`history`] the ids each one removed.
    #[serde(default)]
    pub generation: u64,
    /// The first generation whose removals [`history`] knows: a rebuild of
    /// an index that could not be read starts the history again.
    #[serde(default)]
    pub history_from: u64,
}

/// What an index is opened for: searching it gets a thread pool on a large
/// index, a refresh does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Search,
    Write,
}

/// An open index with its field handles.
pub struct DossierIndex {
    pub index: Index,
    pub fields: Fields,
    pub dir: PathBuf,
    /// Opened to search: its reader, opened once (opening one reads
    /// meta.json and maps every segment's files, about a fifth of a whole
    /// search process's work); a refresh's reader must see each new commit.
    purpose: Purpose,
    search_reader: std::sync::OnceLock<IndexReader>,
}

impl DossierIndex {
    /// Opens an existing index; a missing or empty folder says how to build one.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_after(dir, None)
    }

    /// [`Self::open`], mapping no file `lexicon` (the term dictionaries of
    /// the same folder) has mapped already, while it lives.
    pub fn open_after(dir: &Path, lexicon: Option<&lexicon::Lexicon>) -> Result<Self> {
        not_a_file(dir)?;
        meta_not_a_folder(dir)?;
        if !dir.join("meta.json").is_file() {
            return Err(Error::NoIndex {
                path: dir.to_path_buf(),
            });
        }
        let schema = schema::dossier_schema();
        let mapped = lexicon
            .and_then(|lexicon| lexicon.directory_of(dir))
            .cloned();
        let (index, metas, checked) = open_existing(dir, Purpose::Search, &schema.0, mapped)?;
        Self::from_index(index, metas, dir, Purpose::Search, schema, checked)
    }

    /// Opens the index to write to it, creating the folder and an empty
    /// index when there is none.
    pub fn open_or_create(dir: &Path) -> Result<Self> {
        not_a_file(dir)?;
        meta_not_a_folder(dir)?;
        if dir.join("meta.json").is_file() {
            let schema = schema::build_schema();
            let (index, metas, checked) = open_existing(dir, Purpose::Write, &schema.0, None)?;
            return Self::from_index(index, metas, dir, Purpose::Write, schema, checked);
        }
        // Whatever stops the folder being made (no permission, a read-only
        // or virtual file system), the index cannot be written there.
        std::fs::create_dir_all(dir).map_err(|e| Error::NotWritable {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let schema = schema::build_schema();
        let index = tantivy::IndexBuilder::new()
            .schema(schema.0.clone())
            .settings(schema::index_settings())
            .create_in_dir(dir)
            .map_err(|e| index_error(dir, e))?;
        let metas = MetaSummary::read(dir);
        Self::from_index(index, metas, dir, Purpose::Write, schema, false)
    }

    /// `metas`: meta.json as read once when the index was opened, for the
    /// commit's payload and the segments. `(expected, fields)`: dossier's
    /// schema, which `checked` says the index was already seen to have.
    fn from_index(
        index: Index,
        metas: Option<MetaSummary>,
        dir: &Path,
        purpose: Purpose,
        (expected, fields): (tantivy::schema::Schema, Fields),
        checked: bool,
    ) -> Result<Self> {
        let info = metas.as_ref().and_then(MetaSummary::commit_info);
        // Field by field, names and options: what the JSON of each says.
        let same_schema = checked || index.schema() == expected;
        let version_ok = info
            .as_ref()
            .is_none_or(|info| info.schema_version == SCHEMA_VERSION);
        if !same_schema || !version_ok {
            let found = match info {
                Some(info) => format!("index format {}", info.schema_version),
                None => "an unknown schema".to_string(),
            };
            return Err(Error::IndexVersion {
                path: dir.to_path_buf(),
                found,
            });
        }
        register_tokenizers(&index);
        let mut index = index;
        if purpose == Purpose::Search
            && let Some(threads) = metas.as_ref().and_then(search_threads)
        {
            // One executor for the whole process: every search of this index
            // then runs one task per segment.
            index
                .set_multithread_executor(threads)
                .map_err(|e| index_error(dir, e))?;
        }
        Ok(DossierIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            purpose,
            search_reader: std::sync::OnceLock::new(),
        })
    }

    /// Whether a segment's columns file (`.fast`) is whole, by the checksum
    /// tantivy writes at its end, read over the file. Opening a segment does
    /// not check it (that would read every column of every segment); a
    /// search checks it where a column decides an order that what the page
    /// shows cannot confirm (`search::top_hits`).
    pub fn check_columns_file(&self, segment: tantivy::index::SegmentId) -> tantivy::Result<()> {
        let path = PathBuf::from(format!("{}.fast", segment.uuid_string()));
        if self.index.directory().validate_checksum(&path)? {
            return Ok(());
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} failed its checksum", path.display()),
        )
        .into())
    }

    /// A reader on the last commit. Searches never see a refresh half done.
    /// Opening one opens every segment's files: a missing or truncated file
    /// is a damaged index.
    pub fn reader(&self) -> Result<IndexReader> {
        if let Some(reader) = self.search_reader.get() {
            return Ok(reader.clone());
        }
        let reader = self.open_reader()?;
        if self.purpose == Purpose::Search {
            let _ = self.search_reader.set(reader.clone());
        }
        Ok(reader)
    }

    fn open_reader(&self) -> Result<IndexReader> {
        let reader: IndexReader = self.read_or_damaged("its files could not be read", || {
            self.index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
        })?;
        // meta.json's count of a segment's documents must be the count its
        // columns were written for: tantivy trusts it, and a wrong one reads
        // past their ends.
        for segment in reader.searcher().segment_readers() {
            let columns = self.read_or_damaged("its columns could not be read", || {
                segment.fast_fields().u64("size").map(|c| c.num_docs())
            })?;
            if columns != segment.max_doc() {
                return Err(Error::damaged(
                    &self.dir,
                    format!(
                        "meta.json says a segment holds {} documents; its columns hold {columns}",
                        segment.max_doc()
                    ),
                ));
            }
        }
        Ok(reader)
    }

    /// Reads part of the index's files with tantivy: an error, or a panic
    /// (tantivy slices what it reads, and corrupted bytes make it panic), is
    /// damage, which a rebuild clears; `what` says it for a panic.
    fn read_or_damaged<T>(
        &self,
        what: &str,
        read: impl FnOnce() -> tantivy::Result<T>,
    ) -> Result<T> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(as_damage(&self.dir, index_error(&self.dir, e))),
            Err(_) => Err(Error::damaged(&self.dir, what)),
        }
    }

    /// What the last commit recorded, if any commit was made.
    pub fn commit_info(&self) -> Option<CommitInfo> {
        read_commit_info(&self.index)
    }
}

/// The index path must not be a file (a typo, or `--index` and `--sources`
/// swapped): said as such, not as tantivy's "not a directory".
fn not_a_file(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::NotAFolder {
            path: dir.to_path_buf(),
            what: "index",
        });
    }
    Ok(())
}

/// A `meta.json` that is a folder (or anything but a file) is damage.
fn meta_not_a_folder(dir: &Path) -> Result<()> {
    let meta = dir.join("meta.json");
    if meta.exists() && !meta.is_file() {
        return Err(Error::damaged(dir, "its meta.json is not a file"));
    }
    Ok(())
}

/// Opens the index whose `meta.json` is in `dir`: one that cannot be opened
/// (a truncated `meta.json`, a garbage `.managed.json`) is damaged, unless
/// the cause is the lock, the disk or a permission. Before tantivy reads
/// them, its lists are checked: `.managed.json` names the files tantivy may
/// delete (a list naming `../thesis.docx` would have it deleted), and
/// `meta.json` the documents of each segment (an absurd count made a
/// refresh ask for 764 GB and abort).
///
/// Returns whether the index was seen to have `expected`, dossier's schema.
/// To search, `mapped` is the folder with the files mapped so far, if any.
fn open_existing(
    dir: &Path,
    purpose: Purpose,
    expected: &tantivy::schema::Schema,
    mapped: Option<MmapDirectory>,
) -> Result<(Index, Option<MetaSummary>, bool)> {
    // A list that does not read is tantivy's to report as it opens.
    check_managed_list(dir)?;
    // To search, meta.json's schema is parsed at most once, and not at all
    // when it is dossier's (search_directory.rs); its segments and payload
    // come from that read.
    let search_directory = match purpose {
        Purpose::Search => match mapped {
            Some(mapped) => Some(SearchDirectory::over(mapped)),
            None => SearchDirectory::open(dir).ok(),
        },
        Purpose::Write => None,
    };
    let as_expected = search_directory
        .as_ref()
        .and_then(|directory| search_directory::open_with_schema(directory, expected));
    let checked = as_expected.is_some();
    let opened = match as_expected {
        Some(index) => Ok(Ok(index)),
        None => std::panic::catch_unwind(|| match &search_directory {
            Some(directory) => Index::open(directory.clone()),
            None => store_check::CheckedDirectory::open(dir).and_then(Index::open),
        }),
    };
    let index = match opened {
        Ok(Ok(index)) => index,
        Ok(Err(e)) => {
            return Err(match as_damage(dir, index_error(dir, e)) {
                Error::IndexDamaged { .. } if !looks_like_an_index(dir) => Error::NotAnIndex {
                    path: dir.to_path_buf(),
                },
                other => other,
            });
        }
        Err(_) => return Err(Error::damaged(dir, "its meta.json could not be read")),
    };
    // tantivy has just read this meta.json: one dossier cannot read is
    // damaged, not a reason to skip the checks.
    let first_read = search_directory
        .and_then(|directory| directory.meta_without_schema())
        .and_then(|bytes| MetaSummary::from_bytes(&bytes));
    let metas = match first_read {
        // A refresh may have committed since, and removed the files of the
        // segments first read: the damage is real only if meta.json as it
        // is now says so too.
        Some(metas) if check_segment_sizes(dir, &metas).is_ok() => metas,
        _ => {
            let Some(metas) = MetaSummary::read(dir) else {
                return Err(Error::damaged(dir, "its meta.json could not be read"));
            };
            check_segment_sizes(dir, &metas)?;
            metas
        }
    };
    Ok((index, Some(metas), checked))
}

/// `.managed.json`, when there is one, names only files of the index
/// itself: plain names in the folder, of the kinds tantivy writes.
/// `Ok(false)` when it is there but cannot be read as a list of names:
/// tantivy's to report (as damage) when it opens the index, and a reason
/// for the term dictionaries' search (`lexicon`), which never asks
/// tantivy, to leave the search to it.
pub(super) fn check_managed_list(dir: &Path) -> Result<bool> {
    let names = match std::fs::read(dir.join(".managed.json")) {
        Ok(bytes) => serde_json::from_slice::<Vec<String>>(&bytes),
        Err(error) => return Ok(error.kind() == std::io::ErrorKind::NotFound),
    };
    let Ok(names) = names else {
        return Ok(false);
    };
    match names.iter().find(|n| !is_index_file(n)) {
        Some(name) => Err(Error::damaged(
            dir,
            format!(
                ".managed.json lists {:?}, which is no file of an index",
                crate::text::controls::one_short_line(name, 60)
            ),
        )),
        None => Ok(true),
    }
}

/// Each segment's document count is one its files can hold: its field
/// norms keep at least a byte per document.
pub(super) fn check_segment_sizes(dir: &Path, metas: &MetaSummary) -> Result<()> {
    for segment in &metas.segments {
        let id = segment.file_stem();
        let norms = dir.join(format!("{id}.fieldnorm"));
        let bytes = std::fs::metadata(&norms).map(|m| m.len()).unwrap_or(0);
        if u64::from(segment.max_doc) > bytes {
            return Err(Error::damaged(
                dir,
                format!(
                    "meta.json says segment {id} holds {} documents, more than its files can",
                    segment.max_doc
                ),
            ));
        }
    }
    Ok(())
}

/// Whether a folder holds tantivy's files, beside a `meta.json`: a folder
/// named by mistake (a project with a `meta.json` of its own) is not one,
/// and is never cleared.
pub fn looks_like_an_index(dir: &Path) -> bool {
    if dir.join(".managed.json").is_file() || dir.join(".tantivy-meta.lock").exists() {
        return true;
    }
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| is_index_file(n) && n != "meta.json" && n != ".managed.json")
        })
}

/// An error from reading an index's own files is damage, unless it is
/// about the lock, the disk or a permission.
fn as_damage(dir: &Path, error: Error) -> Error {
    match error {
        Error::Index { source, .. } => Error::damaged(dir, source),
        other => other,
    }
}

/// The index's files whose checksums fail (tantivy writes one at the end of
/// each), or `None` when the index cannot even be opened to check. For
/// telling a damaged index from a bug after a panic.
pub fn damaged_files(dir: &Path) -> Option<Vec<String>> {
    let checked = std::panic::catch_unwind(|| {
        let index = Index::open_in_dir(dir).ok()?;
        index.validate_checksum().ok()
    })
    .ok()
    .flatten()?;
    let mut names: Vec<String> = checked.iter().map(|p| p.display().to_string()).collect();
    names.sort();
    Some(names)
}

/// Deletes the files of a tantivy index in `dir` and nothing else: its
/// `meta.json`, `.managed.json`, and the segment files (named by a 32-digit
/// hexadecimal id), so that `dossier index --rebuild` starts afresh on an
/// index too damaged to open. Another file (the folder named by mistake)
/// is left alone. The writer's lock is taken first: a running `dossier
/// index` is not pulled from under.
pub fn clear_index_folder(dir: &Path) -> Result<usize> {
    if !looks_like_an_index(dir) {
        return Err(Error::NotAnIndex {
            path: dir.to_path_buf(),
        });
    }
    let lock_path = dir.join(".tantivy-writer.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, e))?;
    if let Err(std::fs::TryLockError::WouldBlock) = lock.try_lock() {
        return Err(Error::IndexLocked {
            path: dir.to_path_buf(),
            lock: lock_path,
        });
    }
    let mut removed = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_index_file(name) {
            continue;
        }
        let path = entry.path();
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            removed += 1;
        } else if name == "meta.json" && path.is_dir() {
            // A folder where tantivy's metadata should be: the index's own
            // name, in a folder that holds an index.
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
            removed += 1;
        }
    }
    drop(lock);
    Ok(removed)
}

/// Fails with [`Error::IndexLocked`] while a writer (another `dossier
/// index`) holds the index: for a refresh that has nothing to write and so
/// never opens a writer of its own.
pub fn ensure_unlocked(dir: &Path) -> Result<()> {
    let lock_path = dir.join(".tantivy-writer.lock");
    let Ok(lock) = std::fs::File::open(&lock_path) else {
        return Ok(());
    };
    match lock.try_lock_shared() {
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::IndexLocked {
            path: dir.to_path_buf(),
            lock: lock_path,
        }),
        _ => Ok(()),
    }
}

/// `meta.json`, `.managed.json`, or `<32 hex digits>.<extension>`.
fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json" | history::FILE_NAME) {
        return true;
    }
    let (id, rest) = name.split_at_checked(32).unwrap_or(("", ""));
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && rest.starts_with('.')
}

/// Registers every analyser; custom tokenizers are not stored in the index,
/// so this runs each time an index is opened.
pub(crate) fn register_tokenizers(index: &Index) {
    for group in AnalysisGroup::all() {
        index
            .tokenizers()
            .register(&group.tokenizer_name(), group.analyzer());
    }
    index
        .tokenizers()
        .register(EXACT_TOKENIZER, exact_analyzer());
    index
        .tokenizers()
        .register(PAIRS_TOKENIZER, CommonPairTokenizer);
}

/// How many threads searches of `index` should use, when more than one:
/// on a large index with several segments, one task per segment on every
/// core, since matching a phrase of common words checks positions in most
/// documents and is the costliest step of a search on a large corpus.
fn search_threads(metas: &MetaSummary) -> Option<usize> {
    let segments = &metas.segments;
    let documents: u64 = segments.iter().map(|s| u64::from(s.num_docs())).sum();
    if segments.len() < 2 || documents < PARALLEL_SEARCH_FROM_DOCUMENTS {
        // Asking for the cores reads the cgroup files: not worth it for a
        // search that runs on one.
        return None;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    threads_for(documents, segments.len(), cores)
}

fn threads_for(documents: u64, segments: usize, cores: usize) -> Option<usize> {
    (segments >= 2 && cores >= 2 && documents >= PARALLEL_SEARCH_FROM_DOCUMENTS)
        .then(|| cores.min(segments))
}

fn read_commit_info(index: &Index) -> Option<CommitInfo> {
    commit_info_of(&index.load_metas().ok()?)
}

fn commit_info_of(metas: &IndexMeta) -> Option<CommitInfo> {
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// The commit payload of a `meta.json` read as plain JSON, whatever tantivy
/// can make of the rest: an index of another version, or one damaged
/// elsewhere, still says its last commit number here.
pub fn commit_info_of_file(meta_json: &Path) -> Option<CommitInfo> {
    let text = std::fs::read_to_string(meta_json).ok()?;
    let meta: serde_json::Value = serde_json::from_str(&text).ok()?;
    serde_json::from_str(meta.get("payload")?.as_str()?).ok()
}

/// Turns tantivy's errors into ones a user can act on.
pub(crate) fn index_error(dir: &Path, error: TantivyError) -> Error {
    if let TantivyError::LockFailure(LockError::LockBusy, _) = error {
        return Error::IndexLocked {
            path: dir.to_path_buf(),
            lock: dir.join(".tantivy-writer.lock"),
        };
    }
    if let Some(io) = io_cause(&error) {
        // ENOSPC, EFBIG, EDQUOT; EACCES/EPERM, EROFS.
        match (io.kind(), io.raw_os_error()) {
            (std::io::ErrorKind::StorageFull, _) | (_, Some(27 | 28 | 122)) => {
                return Error::NoSpace {
                    path: dir.to_path_buf(),
                };
            }
            (std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem, _)
            | (_, Some(30)) => {
                return Error::NotWritable {
                    path: dir.to_path_buf(),
                    reason: io.to_string(),
                };
            }
            // What tantivy read from its own files made no sense.
            (std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof, _) => {
                return Error::damaged(dir, format!("its files could not be read: {io}"));
            }
            _ => {}
        }
    }
    // Some of tantivy's errors carry the I/O error only as text (a writer
    // thread's error): a full disk must still read as one.
    let text = error.to_string();
    if [
        "No space left on device",
        "Disk quota exceeded",
        "File too large",
    ]
    .iter()
    .any(|cause| text.contains(cause))
    {
        return Error::NoSpace {
            path: dir.to_path_buf(),
        };
    }
    // An I/O error tantivy made itself (no operating-system code), such as
    // "Unsupported sstable version" from a corrupted column's dictionary:
    // what it read from its own files made no sense.
    if io_cause(&error).is_some_and(|io| io.raw_os_error().is_none()) {
        return Error::damaged(dir, format!("its files could not be read: {text}"));
    }
    use tantivy::directory::error::OpenReadError;
    match error {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) => {
            Error::damaged(dir, format!("{} is missing", file.display()))
        }
        // What dossier found wrong in a store (store_check.rs) is said.
        TantivyError::OpenReadError(OpenReadError::IoError { filepath, io_error }) => {
            Error::damaged(
                dir,
                match store_check::store_damage(&io_error) {
                    Some(what) => format!("{} could not be read: {what}", filepath.display()),
                    None => format!("{} could not be read", filepath.display()),
                },
            )
        }
        TantivyError::DataCorruption(_) => match (corrupted_file(&text), corruption_comment(&text))
        {
            (Some(file), _) => Error::damaged(dir, format!("{file} cannot be read")),
            (None, Some(comment)) => Error::damaged(dir, comment),
            (None, None) => Error::damaged(dir, error),
        },
        TantivyError::OpenReadError(_)
        | TantivyError::IncompatibleIndex(_)
        | TantivyError::DeserializeError(_) => Error::damaged(dir, error),
        // The index's schema is dossier's (its version was checked when it
        // was opened), so a field it declares that a segment's files lack
        // ("Field norm not found", "Field `year` is missing or is not
        // configured as a fast field") was lost to damage.
        TantivyError::SchemaError(_) => Error::damaged(dir, error),
        _ => Error::Index {
            path: dir.to_path_buf(),
            source: error,
        },
    }
}

/// The file a tantivy data-corruption message names (it writes
/// ``in file `"meta.json"` ``, then quotes the file's content).
fn corrupted_file(text: &str) -> Option<&str> {
    let start = text.find("in file `\"")? + "in file `\"".len();
    let length = text[start..].find("\"`")?;
    Some(&text[start..start + length])
}

/// What a data-corruption error naming no file says, without tantivy's two
/// wrappers ("Data corrupted: 'Data corruption: a stored document cannot be
/// read.'" is "a stored document cannot be read").
fn corruption_comment(text: &str) -> Option<&str> {
    text.strip_prefix("Data corrupted: 'Data corruption: ")?
        .strip_suffix(".'")
}

/// The I/O error at the root of an error, if any: tantivy wraps them in
/// several layers (write errors, directory errors, Arc'd I/O errors).
fn io_cause<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut current: Option<&'a (dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        match e.downcast_ref::<TantivyError>() {
            Some(TantivyError::IoError(io)) => return Some(io.as_ref()),
            // A lock file that cannot be opened: a folder the user may not
            // write, not a damaged index.
            Some(TantivyError::LockFailure(LockError::IoError(io), _)) => {
                return Some(io.as_ref());
            }
            // Not reachable through source(): tantivy keeps it in a field.
            Some(TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. })) => {
                return Some(io_error.as_ref());
            }
            _ => {}
        }
        current = e.source();
    }
    None
}

/// Bytes of the files directly in a folder (an index is one flat folder).
pub fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::doc;
    use tantivy::query::QueryParser;
    use tantivy::schema::{STORED, Schema, TEXT};

    use super::*;

    #[test]
    fn a_corrupted_file_is_named_not_quoted() {
        let text = "Data corrupted: 'Data corruption (in file `\"meta.json\"`): Meta file cannot be deserialized. Content: {\"index_settings\"…";
        assert_eq!(corrupted_file(text), Some("meta.json"));
        assert_eq!(corrupted_file("Data corrupted"), None);
    }

    #[test]
    fn a_corruption_naming_no_file_is_said_in_its_own_words() {
        let error = TantivyError::DataCorruption(tantivy::error::DataCorruption::comment_only(
            "a stored document cannot be read",
        ));
        let text = error.to_string();
        assert_eq!(corrupted_file(&text), None);
        assert_eq!(
            corruption_comment(&text),
            Some("a stored document cannot be read")
        );
        let said = index_error(Path::new("/x/index"), error).to_string();
        assert!(
            said.contains("(a stored document cannot be read)"),
            "{said}"
        );
    }

    #[test]
    fn an_index_dossier_writes_is_searched_without_parsing_its_schema() {
        // The writer and the search must agree on settings as well as on the
        // schema: otherwise every search takes tantivy's slower way in.
        let folder = tempfile::tempdir().unwrap();
        let dir = folder.path().join("index");
        let written = DossierIndex::open_or_create(&dir).unwrap();
        let mut writer: tantivy::IndexWriter = written
            .index
            .writer_with_num_threads(1, 15_000_000)
            .unwrap();
        writer
            .add_document(doc!(written.fields.id => "a.txt", written.fields.size => 1u64))
            .unwrap();
        writer.commit().unwrap();
        let schema = schema::build_schema();
        let (_, _, checked) = open_existing(&dir, Purpose::Search, &schema.0, None).unwrap();
        assert!(
            checked,
            "{}",
            std::fs::read_to_string(dir.join("meta.json")).unwrap()
        );
    }

    #[test]
    fn only_tantivy_files_are_cleared() {
        assert!(is_index_file("meta.json"));
        assert!(is_index_file(".managed.json"));
        assert!(is_index_file("87191dbe1f4243c79d66b6442fe9a2e9.fast"));
        assert!(is_index_file("87191dbe1f4243c79d66b6442fe9a2e9.12.del"));
        assert!(!is_index_file("87191dbe1f4243c79d66b6442fe9a2e9"));
        assert!(!is_index_file("thesis.docx"));
        assert!(!is_index_file("87191dbe1f4243c79d66b6442fe9a2eX.fast"));
        assert!(!is_index_file(".tantivy-writer.lock"));
    }

    #[test]
    fn tantivy_errors_that_only_name_a_full_disk_read_as_one() {
        let error = TantivyError::InternalError("No space left on device (os error 28)".into());
        assert!(matches!(
            index_error(Path::new("index"), error),
            Error::NoSpace { .. }
        ));
    }

    #[test]
    fn large_indexes_with_several_segments_search_on_every_core() {
        assert_eq!(threads_for(19_999, 4, 8), None);
        assert_eq!(threads_for(20_000, 1, 8), None);
        assert_eq!(threads_for(20_000, 4, 1), None);
        assert_eq!(threads_for(20_000, 4, 2), Some(2));
        assert_eq!(threads_for(1_000_000, 3, 8), Some(3));
    }

    #[test]
    fn segments_on_every_core_find_what_one_core_finds() {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT | STORED);
        let mut index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Three commits, three segments.
        for part in 0..3 {
            for i in 0..200 {
                let text = if i % 7 == part {
                    "human security and protection of civilians"
                } else {
                    "security council human rights"
                };
                writer.add_document(doc!(body => text)).unwrap();
            }
            writer.commit().unwrap();
        }
        let query = QueryParser::for_index(&index, vec![body])
            .parse_query("\"human security\"")
            .unwrap();
        let collector = (Count, TopDocs::with_limit(10).order_by_score());
        let one = index
            .reader()
            .unwrap()
            .searcher()
            .search(&query, &collector)
            .unwrap();
        index.set_multithread_executor(3).unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let every = searcher.search(&query, &collector).unwrap();
        assert_eq!(one.0, 87);
        assert_eq!(one.0, every.0);
        assert_eq!(one.1, every.1);
    }
}
