//! Working out what a refresh must do, before any file is read: which files
//! are new or may have changed (size, modification time or their source's
//! settings moved), which are unchanged, and which indexed files are gone.
//! A file under a folder the walk could not read is not gone: its documents
//! stay.

use std::collections::{HashMap, HashSet};

use super::compose::source_key;
use crate::sources::SourceFile;

/// What the index holds for one file, read from fast fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedState {
    pub size: u64,
    pub mtime_ns: i64,
    /// BLAKE3 of the file's bytes: confirms a change that size and time suggest.
    pub hash: String,
    /// Fingerprint of the source settings the file was indexed with.
    pub source_key: String,
}

/// The work of a refresh.
#[derive(Debug, Default)]
pub struct Changes<'a> {
    /// Files to read: new ones (no state) and ones that may have changed.
    pub to_read: Vec<(&'a SourceFile, Option<&'a IndexedState>)>,
    /// Files whose size, time and source settings are as indexed.
    pub unchanged: usize,
    /// Ids of indexed files that are no longer on disk.
    pub removed: Vec<&'a str>,
}

/// Whether a file is as the index holds it, without reading it.
pub fn is_unchanged(file: &SourceFile, state: &IndexedState) -> bool {
    state.size == file.size
        && state.mtime_ns == file.mtime_ns
        && state.source_key == source_key(&file.source)
}

/// Compares the files on disk with what the index holds. `unreadable` are
/// folders (relative to the sources folder, `/`-separated) the walk could
/// not read.
pub fn work_out_changes<'a>(
    files: &'a [SourceFile],
    indexed: &'a HashMap<String, IndexedState>,
    unreadable: &[String],
) -> Changes<'a> {
    let mut changes = Changes::default();
    for file in files {
        match indexed.get(&file.id) {
            Some(state) if is_unchanged(file, state) => changes.unchanged += 1,
            state => changes.to_read.push((file, state)),
        }
    }
    if indexed.is_empty() {
        // A first build: nothing to remove, and no set of every id to build.
        return changes;
    }
    let on_disk: HashSet<&str> = files.iter().map(|f| f.id.as_str()).collect();
    let under_unreadable = |id: &str| {
        unreadable.iter().any(|p| {
            id == p
                || id
                    .strip_prefix(p.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    };
    changes.removed = indexed
        .keys()
        .map(String::as_str)
        .filter(|id| !on_disk.contains(id) && !under_unreadable(id))
        .collect();
    changes.removed.sort_unstable();
    changes
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::sources::config::SourceRef;
    use crate::text::SourceId;

    fn source(id: &str, topics: &[&str]) -> Arc<SourceRef> {
        Arc::new(SourceRef {
            id: SourceId::parse(id).unwrap(),
            name: id.to_string(),
            topics: topics
                .iter()
                .map(|t| crate::text::TopicId::parse(t).unwrap())
                .collect(),
            lang: None,
            fields: None,
        })
    }

    fn file(id: &str, size: u64, mtime_ns: i64, source: &Arc<SourceRef>) -> SourceFile {
        SourceFile {
            id: id.to_string(),
            root: Arc::from(Path::new("sources")),
            source: Arc::clone(source),
            size,
            mtime_ns,
        }
    }

    fn state(size: u64, mtime_ns: i64, source: &SourceRef) -> IndexedState {
        IndexedState {
            size,
            mtime_ns,
            hash: "h".into(),
            source_key: source_key(source),
        }
    }

    #[test]
    fn new_changed_unchanged_and_removed() {
        let nato = source("nato", &[]);
        let files = vec![
            file("nato/new.html", 10, 1, &nato),
            file("nato/same.html", 20, 2, &nato),
            file("nato/bigger.html", 31, 3, &nato),
            file("nato/touched.html", 40, 5, &nato),
        ];
        let indexed: HashMap<String, IndexedState> = [
            ("nato/same.html", state(20, 2, &nato)),
            ("nato/bigger.html", state(30, 3, &nato)),
            ("nato/touched.html", state(40, 4, &nato)),
            ("nato/deleted.html", state(1, 1, &nato)),
        ]
        .into_iter()
        .map(|(id, s)| (id.to_string(), s))
        .collect();
        let changes = work_out_changes(&files, &indexed, &[]);
        let read: Vec<(&str, bool)> = changes
            .to_read
            .iter()
            .map(|(f, s)| (f.id.as_str(), s.is_some()))
            .collect();
        assert_eq!(
            read,
            [
                ("nato/new.html", false),
                ("nato/bigger.html", true),
                ("nato/touched.html", true)
            ]
        );
        assert_eq!(changes.unchanged, 1);
        assert_eq!(changes.removed, ["nato/deleted.html"]);
    }

    #[test]
    fn changed_source_settings_mean_reading_again() {
        let before = source("nato", &[]);
        let after = source("nato", &["kosovo"]);
        let files = vec![file("nato/a.html", 1, 1, &after)];
        let indexed: HashMap<String, IndexedState> =
            [("nato/a.html".to_string(), state(1, 1, &before))].into();
        let changes = work_out_changes(&files, &indexed, &[]);
        assert_eq!(changes.to_read.len(), 1);
        assert_eq!(changes.unchanged, 0);
    }

    #[test]
    fn files_under_an_unreadable_folder_are_not_removed() {
        let s = source("un", &[]);
        let indexed: HashMap<String, IndexedState> = [
            ("un/locked/a.txt", state(1, 1, &s)),
            ("un/locked", state(1, 1, &s)),
            ("un/lockedness.txt", state(1, 1, &s)),
        ]
        .into_iter()
        .map(|(id, st)| (id.to_string(), st))
        .collect();
        let changes = work_out_changes(&[], &indexed, &["un/locked".to_string()]);
        assert_eq!(changes.removed, ["un/lockedness.txt"]);
    }

    #[test]
    fn a_first_build_reads_everything_and_removes_nothing() {
        let s = source("un", &[]);
        let files = vec![file("un/a.txt", 1, 1, &s), file("un/b.txt", 1, 1, &s)];
        let indexed = HashMap::new();
        let changes = work_out_changes(&files, &indexed, &[]);
        assert_eq!(changes.to_read.len(), 2);
        assert!(changes.removed.is_empty());
    }
}
