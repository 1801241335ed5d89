//! The index folder as a search opens it. tantivy reads and parses
//! `meta.json` twice when an index opens to search: `Index::open` for the
//! schema, then the reader for the list of segments. The schema is most of
//! the file (a pair of fields per language: 86 fields, 13 KB) and of the
//! parse, and the second parse uses only the segments, so the second and
//! later reads of an unchanged `meta.json` are given the same file with an
//! empty schema: 0.8 M of the 3.8 M instructions of a search that finds
//! nothing (docs/performance.md).
//!
//! Only a search opens the folder so: a writer reads the schema back when
//! it commits. A `meta.json` that changed between two reads (a refresh
//! committed meanwhile) is given whole.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::value::RawValue;
use tantivy::Directory;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

const META_FILE: &str = "meta.json";

/// A larger `meta.json` is given whole every time, as tantivy reads it:
/// dossier's is some 13 KB (thousands of segments would take a few hundred),
/// and a hostile one of 50 MB kept twice in memory cost more than the parse
/// saves.
const MAX_KEPT_META_BYTES: usize = 1 << 20;

/// An [`MmapDirectory`] whose `meta.json`, once read, is read again
/// without its schema (see the module's comment).
#[derive(Clone, Debug)]
pub struct SearchDirectory {
    inner: MmapDirectory,
    first_read: Arc<Mutex<Option<FirstRead>>>,
}

/// `meta.json` as first read, and the same without its schema.
#[derive(Debug)]
struct FirstRead {
    whole: Vec<u8>,
    without_schema: Vec<u8>,
}

impl SearchDirectory {
    pub fn open(dir: &Path) -> tantivy::Result<SearchDirectory> {
        Ok(SearchDirectory {
            inner: MmapDirectory::open(dir)?,
            first_read: Arc::default(),
        })
    }

    /// `meta.json` as first read, without its schema: its segments and
    /// payload, to read cheaply.
    pub fn meta_without_schema(&self) -> Option<Vec<u8>> {
        let first_read = self.first_read.lock().ok()?;
        first_read
            .as_ref()
            .map(|first| first.without_schema.clone())
    }
}

/// `meta` with `"schema": []`, every other key as it was; `None` when it is
/// no JSON object (tantivy then says what is wrong with it).
fn without_schema(meta: &[u8]) -> Option<Vec<u8>> {
    let object: BTreeMap<String, &RawValue> = serde_json::from_slice(meta).ok()?;
    let mut json = String::from("{\"schema\":[]");
    for (key, value) in object.iter().filter(|(key, _)| *key != "schema") {
        json.push(',');
        json.push_str(&serde_json::to_string(key).ok()?);
        json.push(':');
        json.push_str(value.get());
    }
    json.push('}');
    Some(json.into_bytes())
}

impl Directory for SearchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let bytes = self.inner.atomic_read(path)?;
        if path != Path::new(META_FILE) {
            return Ok(bytes);
        }
        let Ok(mut first_read) = self.first_read.lock() else {
            return Ok(bytes);
        };
        match first_read.as_ref() {
            Some(first) if first.whole == bytes => Ok(first.without_schema.clone()),
            Some(_) => Ok(bytes),
            None if bytes.len() > MAX_KEPT_META_BYTES => Ok(bytes),
            None => {
                if let Some(slim) = without_schema(&bytes) {
                    *first_read = Some(FirstRead {
                        whole: bytes.clone(),
                        without_schema: slim,
                    });
                }
                Ok(bytes)
            }
        }
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_goes_and_the_rest_stays() {
        let meta = br#"{"index_settings":{"docstore_compression":"lz4"},"segments":[{"segment_id":"a","max_doc":3}],"schema":[{"name":"body","type":"text"}],"opstamp":7,"payload":"{\"generation\":2}"}"#;
        let slim: serde_json::Value =
            serde_json::from_slice(&without_schema(meta).expect("an object")).unwrap();
        let whole: serde_json::Value = serde_json::from_slice(meta).unwrap();
        assert_eq!(slim["schema"], serde_json::json!([]));
        for key in ["index_settings", "segments", "opstamp", "payload"] {
            assert_eq!(slim[key], whole[key], "{key}");
        }
        assert_eq!(without_schema(b"[1, 2]"), None);
        assert_eq!(without_schema(b"{\"segments\": [1,"), None);
    }
}
