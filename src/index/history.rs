//! What each refresh removed: the ids of documents that a refresh deleted or
//! replaced, by generation, so that a search cluster fed by `dossier export`
//! can be brought in step with the laptop (`export --since`).
//!
//! The ids live beside the index in one JSON Lines file, appended before the
//! commit they belong to. A refresh that never committed may have appended
//! lines of a generation that does not exist: every refresh first drops the
//! lines past the committed generation, so the file never claims a removal
//! the index did not make.

use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::Searcher;

use super::schema::Fields;

use crate::{Error, Result};

/// The file's name in the index folder.
pub const FILE_NAME: &str = "dossier-removed.jsonl";

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    generation: u64,
    id: String,
}

/// Drops the lines of generations after `committed` (a refresh that did not
/// commit wrote them), rewriting the file atomically when there are any.
pub fn drop_uncommitted(index_dir: &Path, committed: u64) -> Result<()> {
    let path = index_dir.join(FILE_NAME);
    let Ok(file) = std::fs::File::open(&path) else {
        return Ok(());
    };
    let mut kept = Vec::new();
    let mut dropped = false;
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| Error::io(&path, e))?;
        match serde_json::from_str::<Entry>(&line) {
            Ok(entry) if entry.generation <= committed => kept.push(line),
            _ => dropped = true,
        }
    }
    if !dropped {
        return Ok(());
    }
    let temporary = index_dir.join(format!("{FILE_NAME}.tmp"));
    let mut text = kept.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    std::fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
    std::fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
}

/// Appends the ids a refresh of `generation` deletes or replaces.
pub fn record<'a>(
    index_dir: &Path,
    generation: u64,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<()> {
    let path = index_dir.join(FILE_NAME);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    let mut out = std::io::BufWriter::new(file);
    for id in ids {
        let entry = Entry {
            generation,
            id: id.to_string(),
        };
        let line = serde_json::to_string(&entry).unwrap_or_default();
        writeln!(out, "{line}").map_err(|e| Error::io(&path, e))?;
    }
    out.flush().map_err(|e| Error::io(&path, e))?;
    out.get_ref().sync_all().map_err(|e| Error::io(&path, e))
}

/// The ids deleted or replaced by the refreshes after generation `since`, up
/// to `committed` (some may have been added again since).
pub fn removed_since(index_dir: &Path, since: u64, committed: u64) -> Result<BTreeSet<String>> {
    let path = index_dir.join(FILE_NAME);
    let mut ids = BTreeSet::new();
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ids),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let mut unreadable: Option<(usize, serde_json::Error)> = None;
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::io(&path, e))?;
        // A line that does not parse is half a line a killed refresh left
        // at the end (its commit never happened: lines are flushed to disk
        // before a commit): only one followed by others is damage.
        if let Some((at, error)) = unreadable.take() {
            return Err(Error::IndexDamaged {
                path: path.clone(),
                detail: crate::text::controls::one_short_line(
                    &format!("line {}: {error}", at + 1),
                    160,
                ),
            });
        }
        match serde_json::from_str::<Entry>(&line) {
            Ok(entry) if entry.generation > since && entry.generation <= committed => {
                ids.insert(entry.id);
            }
            Ok(_) => {}
            Err(error) => unreadable = Some((number, error)),
        }
    }
    Ok(ids)
}

/// The ids of the live documents of these files (all files with `None`),
/// read from the fast columns: no stored document is decompressed.
pub fn ids_of_files(
    searcher: &Searcher,
    fields: &Fields,
    files: Option<&HashSet<&str>>,
) -> tantivy::Result<Vec<String>> {
    let mut ids = Vec::new();
    if files.is_some_and(HashSet::is_empty) {
        return Ok(ids);
    }
    let id_name = searcher.schema().get_field_name(fields.id).to_string();
    let file_name = searcher.schema().get_field_name(fields.file).to_string();
    let (mut id, mut file) = (String::new(), String::new());
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(id_column), Some(file_column)) = (fast.str(&id_name)?, fast.str(&file_name)?)
        else {
            continue;
        };
        for doc in segment.doc_ids_alive() {
            if let Some(wanted) = files {
                let Some(ord) = file_column.term_ords(doc).next() else {
                    continue;
                };
                file.clear();
                file_column.ord_to_str(ord, &mut file)?;
                if !wanted.contains(file.as_str()) {
                    continue;
                }
            }
            if let Some(ord) = id_column.term_ords(doc).next() {
                id.clear();
                id_column.ord_to_str(ord, &mut id)?;
                ids.push(id.clone());
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_a_refresh_that_did_not_commit_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        record(dir.path(), 1, ["a"]).unwrap();
        record(dir.path(), 2, ["b", "c"]).unwrap();
        // Generation 3 was recorded, then the refresh died before its commit.
        record(dir.path(), 3, ["d"]).unwrap();
        drop_uncommitted(dir.path(), 2).unwrap();
        record(dir.path(), 3, ["e"]).unwrap();
        let since = |g| removed_since(dir.path(), g, 3).unwrap();
        assert_eq!(since(0), ["a", "b", "c", "e"].map(String::from).into());
        assert_eq!(since(1), ["b", "c", "e"].map(String::from).into());
        assert_eq!(since(3), BTreeSet::new());
    }

    #[test]
    fn half_a_last_line_is_a_killed_refresh_not_damage() {
        let dir = tempfile::tempdir().unwrap();
        record(dir.path(), 1, ["a"]).unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"generation\": 2, \"id\": \"hal");
        std::fs::write(&path, &text).unwrap();
        assert_eq!(
            removed_since(dir.path(), 0, 1).unwrap(),
            ["a".to_string()].into()
        );
        // In the middle, it is damage, named by its line.
        text.push_str("\n{\"generation\": 2, \"id\": \"b\"}\n");
        std::fs::write(&path, &text).unwrap();
        let error = removed_since(dir.path(), 0, 2).unwrap_err().to_string();
        assert!(error.contains("line 2"), "{error}");
        // The next refresh drops it.
        drop_uncommitted(dir.path(), 1).unwrap();
        assert_eq!(
            removed_since(dir.path(), 0, 2).unwrap(),
            ["a".to_string()].into()
        );
    }
}
