//! Keeping the index in step with the sources folder.
//!
//! The unit of work is the file: the summary counts files, and a file's
//! documents (one, or one per line of a JSON Lines collection) are replaced or
//! removed together.
//!
//! A refresh compares what is on disk with what the index holds ([`changes`]:
//! id, size, modification time, source settings, all read from fast fields by
//! [`indexed`], so a refresh with nothing changed reads no document). Only new
//! files and files whose size or mtime moved are read ([`file`],
//! [`collection`]); their content hash confirms the change. Everything goes
//! into one commit ([`writer`]), which tantivy swaps in atomically: a search
//! during a refresh sees the old state or the new one, and a crash leaves the
//! old one. A file that cannot be read is reported ([`failure`]), and its
//! previously indexed version (if any) is kept: nothing already indexed is
//! lost to a bad read. When the topic taxonomy changed, unchanged documents
//! are re-tagged from their stored text ([`retag`]).

mod changes;
mod collection;
mod compose;
mod failure;
mod file;
mod indexed;
mod retag;
mod writer;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::{IndexReader, Term};

pub use failure::{FileProblem, IndexFailure, LineProblem, SparseDocument};

use self::changes::{is_unchanged, work_out_changes};
use self::file::{Outcome, index_file};
use self::writer::Writer;
use super::{
    CommitInfo, DossierIndex, SCHEMA_VERSION, clear_index_folder, ensure_unlocked, history,
    index_error,
};
use crate::extract::topics::Taxonomy;
use crate::progress::Progress;
use crate::sources::{SourceFile, SourcesConfig, scan_sources};
use crate::{Error, Result};

/// Extraction threads get a large stack: HTML parsers recurse on deep markup.
const EXTRACT_STACK_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct RefreshOptions {
    /// Drop every document and index the whole folder again.
    pub rebuild: bool,
    /// A `sources.toml` kept elsewhere than in the sources folder.
    pub config: Option<std::path::PathBuf>,
}

/// What a refresh did. `--json` prints exactly this.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RefreshSummary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Unchanged documents whose topics changed with the taxonomy.
    pub retagged: usize,
    pub failed: Vec<IndexFailure>,
    /// Documents indexed with too little text to be found (scans without a
    /// text layer): reported, not failures.
    pub sparse: Vec<SparseDocument>,
    pub seconds: f64,
    /// Documents in the index after the refresh (a collection file holds many).
    pub documents: u64,
}

/// The index to refresh and a reader on it. A rebuild works on any index
/// folder: one too damaged to open, or written by another version, is
/// cleared (its tantivy files only) and created afresh.
fn open_for_refresh(
    index_dir: &Path,
    rebuild: bool,
) -> Result<(DossierIndex, IndexReader, Lineage)> {
    let open = || {
        let index = DossierIndex::open_or_create(index_dir)?;
        let reader = index.reader()?;
        Ok((index, reader))
    };
    // An index folder that held an index (its meta.json) before this run.
    let existed = index_dir.join("meta.json").is_file();
    match open() {
        Err(Error::IndexDamaged { .. } | Error::IndexVersion { .. }) if rebuild => {
            let old = crate::index::commit_info_of_file(&index_dir.join("meta.json"));
            clear_index_folder(index_dir)?;
            let (index, reader) = open()?;
            Ok((
                index,
                reader,
                Lineage::Cleared(old.map(|info| info.generation)),
            ))
        }
        Ok((index, reader)) if !existed => Ok((index, reader, Lineage::New)),
        other => other.map(|(index, reader)| (index, reader, Lineage::Kept)),
    }
}

/// Where an index's commit numbers stand at the start of a refresh.
enum Lineage {
    /// No index was there: commits count from 1, and an export since 0 is
    /// everything.
    New,
    /// The index was read: its numbers and its history go on.
    Kept,
    /// An index that could not be read (damaged, or another version) was
    /// cleared; its last commit number, when its meta.json still said it.
    Cleared(Option<u64>),
}

/// The generation of this refresh and the first one whose removals the
/// history knows. A cleared index's removals are lost: its numbers go on
/// past the old ones (or, when those are unknown, from the time in seconds,
/// past any counter), and its history starts again at this commit, so that
/// an export since an older commit is refused, never silently short.
fn generations(last: Option<&CommitInfo>, lineage: &Lineage) -> (u64, u64) {
    match (last, lineage) {
        (Some(info), _) => (info.generation + 1, info.history_from),
        (None, Lineage::Cleared(old)) => {
            let now = jiff::Timestamp::now().as_second().max(0) as u64;
            let generation = old.map_or(now, |g| (g + 1).max(1));
            (generation, generation)
        }
        (None, _) => (1, 0),
    }
}

/// A folder as an absolute path without links, when it can be made one.
fn canonical(dir: &Path) -> std::path::PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// A folder as an absolute path without links: its part that exists
/// resolved, the rest (to be created, so holding no links) appended, its
/// `..` taken lexically.
fn resolved(dir: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut out = std::path::PathBuf::new();
    let mut exists = true;
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if !exists => {
                out.pop();
                // Back in a folder that exists (`new/../link`): resolved
                // again from here on.
                if let Ok(found) = out.canonicalize() {
                    out = found;
                    exists = true;
                }
            }
            _ => {
                out.push(part);
                if exists {
                    match out.canonicalize() {
                        Ok(found) => out = found,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    out
}

/// An index inside its sources folder (`--index sources/index`, or the
/// sources folder itself) would read its own files as documents at the next
/// refresh, more failures at each: refused before anything is written.
pub fn index_outside_sources(index_dir: &Path, sources_dir: &Path) -> Result<()> {
    if resolved(index_dir).starts_with(resolved(sources_dir)) {
        return Err(Error::IndexInSources {
            index: index_dir.to_path_buf(),
            sources: sources_dir.to_path_buf(),
        });
    }
    Ok(())
}

/// An index holds the documents of one sources folder: refreshing it from
/// another would remove them all ("79 added, 902 removed"), so that is an
/// error, unless the index is rebuilt.
fn same_sources(index: &DossierIndex, sources_dir: &Path) -> Result<()> {
    let Some(info) = index.commit_info() else {
        return Ok(());
    };
    let recorded = Path::new(&info.sources);
    if info.sources.is_empty() || canonical(recorded) == canonical(sources_dir) {
        return Ok(());
    }
    Err(Error::OtherSources {
        index: index.dir.clone(),
        recorded: recorded.to_path_buf(),
        given: sources_dir.to_path_buf(),
    })
}

/// Brings the index in `index_dir` up to date with `sources_dir`, reporting
/// each file read to `progress`.
pub fn refresh_index(
    sources_dir: &Path,
    index_dir: &Path,
    options: &RefreshOptions,
    progress: &dyn Progress,
) -> Result<RefreshSummary> {
    let started = Instant::now();
    index_outside_sources(index_dir, sources_dir)?;
    let config = SourcesConfig::load_with(sources_dir, options.config.as_deref())?;
    let taxonomy = Taxonomy::load(sources_dir)?;
    let (files, problems) = scan_sources(sources_dir, &config)?;
    let (index, reader, lineage) = open_for_refresh(index_dir, options.rebuild)?;
    if !options.rebuild {
        same_sources(&index, sources_dir)?;
    }
    let fields = index.fields;
    let searcher = reader.searcher();
    let tantivy_error = |e| index_error(index_dir, e);
    let indexed = if options.rebuild {
        HashMap::new()
    } else {
        indexed::indexed_states(&searcher, &fields).map_err(tantivy_error)?
    };

    let mut summary = RefreshSummary::default();
    // Folders the walk could not read: their documents are not "removed".
    let unreadable: Vec<String> = problems
        .iter()
        .filter_map(|p| p.path.strip_prefix(sources_dir).ok())
        .filter_map(|rel| rel.to_str().map(|s| s.replace('\\', "/")))
        .collect();
    summary
        .failed
        .extend(problems.into_iter().map(|p| IndexFailure {
            path: p.path,
            problem: FileProblem::Scan(p.error),
        }));
    let changes = work_out_changes(&files, &indexed, &unreadable);
    summary.unchanged = changes.unchanged;

    let last_commit = index.commit_info();
    let retag = !options.rebuild
        && last_commit
            .as_ref()
            .is_some_and(|info| info.taxonomy != taxonomy.fingerprint);
    if changes.to_read.is_empty()
        && changes.removed.is_empty()
        && !options.rebuild
        && !retag
        && last_commit.is_some()
    {
        // Nothing to write: but a refresh under way elsewhere (a rebuild)
        // would make "unchanged" a lie about the index it is replacing.
        ensure_unlocked(index_dir)?;
        summary.documents = searcher.num_docs();
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }

    // This refresh's generation. The writer's lock comes first: the history
    // file is this refresh's from here (a refused second refresh touches
    // nothing); the removals of any refresh that did not commit are
    // forgotten, then this one's recorded before its commit.
    let (generation, history_from) = generations(last_commit.as_ref(), &lineage);
    let writer = Writer::open(&index, files.len(), generation).map_err(tantivy_error)?;
    history::drop_uncommitted(index_dir, generation - 1)?;
    let replaced: HashSet<&str> = changes
        .to_read
        .iter()
        .filter(|(_, previous)| previous.is_some())
        .map(|(file, _)| file.id.as_str())
        .chain(changes.removed.iter().copied())
        .collect();
    // A rebuild replaces every document: all of the old ones are recorded,
    // when the old index can still be read (a rebuild mends a damaged one:
    // then its removals are lost, and the history starts again here).
    let (old_ids, history_from) = if options.rebuild {
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            history::ids_of_files(&searcher, &fields, None)
        }));
        match read {
            Ok(Ok(ids)) => (ids, history_from),
            _ => (Vec::new(), generation),
        }
    } else {
        let ids =
            history::ids_of_files(&searcher, &fields, Some(&replaced)).map_err(tantivy_error)?;
        (ids, history_from)
    };
    history::record(index_dir, generation, old_ids.iter().map(String::as_str))?;

    if options.rebuild {
        writer.delete_all_documents().map_err(tantivy_error)?;
    }
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(EXTRACT_STACK_BYTES)
        .build()
        .map_err(|e| Error::io(index_dir, std::io::Error::other(e)))?;

    progress.begin("indexing", changes.to_read.len() as u64, "files");
    // Outcomes are counted as they come, not collected: a million files'
    // results would hold hundreds of megabytes until the end.
    let counted: tantivy::Result<RefreshSummary> = pool.install(|| {
        changes
            .to_read
            .par_iter()
            .map(|(file, previous)| {
                let outcome = index_file(&writer, &fields, &taxonomy, file, *previous);
                progress.advance(&file.id);
                outcome
            })
            .try_fold(RefreshSummary::default, |mut part, result| {
                let result = result?;
                part.failed.extend(result.partial);
                part.sparse.extend(result.sparse);
                match result.outcome {
                    Outcome::Added => part.added += 1,
                    Outcome::Updated => part.updated += 1,
                    Outcome::Touched => part.unchanged += 1,
                    Outcome::Failed(failure) => part.failed.push(failure),
                }
                Ok(part)
            })
            .try_reduce(RefreshSummary::default, |mut a, b| {
                a.added += b.added;
                a.updated += b.updated;
                a.unchanged += b.unchanged;
                a.failed.extend(b.failed);
                a.sparse.extend(b.sparse);
                Ok(a)
            })
    });
    progress.finish();
    let counted = counted.map_err(tantivy_error)?;
    summary.added += counted.added;
    summary.updated += counted.updated;
    summary.unchanged += counted.unchanged;
    summary.failed.extend(counted.failed);
    summary.sparse.extend(counted.sparse);
    summary.sparse.sort_by(|a, b| a.path.cmp(&b.path));
    for id in &changes.removed {
        writer.delete_term(Term::from_field_text(fields.file, id));
    }
    summary.removed = changes.removed.len();
    if retag {
        let untouched: HashMap<&str, &SourceFile> = files
            .iter()
            .filter(|f| {
                indexed
                    .get(&f.id)
                    .is_some_and(|state| is_unchanged(f, state))
            })
            .map(|f| (f.id.as_str(), f))
            .collect();
        summary.retagged = pool
            .install(|| retag::retag_documents(&searcher, &fields, &taxonomy, &untouched, &writer))
            .map_err(tantivy_error)?;
    }

    let info = CommitInfo {
        schema_version: SCHEMA_VERSION,
        refreshed_at: jiff::Timestamp::now().to_string(),
        sources: canonical(sources_dir).display().to_string(),
        taxonomy: taxonomy.fingerprint.clone(),
        generation,
        history_from,
    };
    progress.begin(
        "committing",
        0,
        "the index (writing and merging its segments; the old index stays until this ends)",
    );
    let committed = writer.commit(&info).map_err(tantivy_error);
    progress.finish();
    committed?;
    reader.reload().map_err(tantivy_error)?;
    summary.documents = reader.searcher().num_docs();

    summary
        .failed
        .sort_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
