//! The index folder as a search opens it. tantivy parses `meta.json` when
//! an index opens (`Index::open`, for the schema) and again when a reader
//! opens (for the list of segments). The schema is most of the file (a pair
//! of fields per language: 86 fields, 13 KB) and most of the parse: 0.8 M of
//! the 3 M instructions of a search that finds nothing (docs/performance.md).
//!
//! So a search does not have tantivy parse the schema at all when it can
//! tell the file holds the one dossier expects: [`open_with_schema`] has
//! tantivy write the `meta.json` of a new index of that schema (kept in
//! memory, never written: this directory writes nothing), and when the
//! file's settings and schema members are those very bytes, tantivy's own
//! serialisation, the index is that one. Then every read of the unchanged file is given with
//! an empty schema, which is all the reader uses. Anything else (an index
//! of another schema, written by another tantivy, a damaged file) opens
//! through `Index::open` as before, which parses and reports; its later
//! reads are given without the schema too.
//!
//! Only a search opens the folder so: a writer reads the schema back when
//! it commits. A `meta.json` that changed between two reads (a refresh
//! committed meanwhile) is given whole.

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::schema::Schema;
use tantivy::{Directory, Index};

use super::json_members::{Member, object_members, object_members_knowing};
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
/// without its schema, and that writes nothing (see the module's comment).
#[derive(Clone, Debug)]
pub struct SearchDirectory {
    inner: MmapDirectory,
    first_read: Arc<Mutex<Option<FirstRead>>>,
    /// The `meta.json` tantivy wrote for a new index of dossier's schema,
    /// kept here instead of written.
    written_meta: Arc<Mutex<Option<Vec<u8>>>>,
}

/// `meta.json` as first read, and the same without its schema.
#[derive(Debug)]
struct FirstRead {
    whole: Vec<u8>,
    without_schema: Vec<u8>,
}

impl SearchDirectory {
    pub fn open(dir: &Path) -> tantivy::Result<SearchDirectory> {
        Ok(Self::over(MmapDirectory::open(dir)?))
    }

    /// Over `inner`, whose files already mapped are not mapped again.
    pub fn over(inner: MmapDirectory) -> SearchDirectory {
        SearchDirectory {
            inner,
            first_read: Arc::default(),
            written_meta: Arc::default(),
        }
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

/// The index in `directory` when its `meta.json` holds `schema` as tantivy
/// writes it (and the settings dossier's writer uses, [`super::schema::index_settings`]),
/// without parsing the schema; `None` when it cannot tell, and the caller
/// opens the index with `Index::open`.
pub fn open_with_schema(directory: &SearchDirectory, schema: &Schema) -> Option<Index> {
    let whole = directory.inner.atomic_read(Path::new(META_FILE)).ok()?;
    if whole.len() > MAX_KEPT_META_BYTES {
        return None;
    }
    let created = std::panic::catch_unwind(|| {
        Index::create(
            directory.clone(),
            schema.clone(),
            super::schema::index_settings(),
        )
    });
    let index = created.ok()?.ok()?;
    let expected = directory.written_meta.lock().ok()?.take()?;
    let without_schema = without_expected_schema(&whole, &expected)?;
    *directory.first_read.lock().ok()? = Some(FirstRead {
        whole,
        without_schema,
    });
    // The rest of the file as tantivy reads it (segments, payload): a file
    // it cannot read is left to `Index::open`, which says so as it always has.
    if index.load_metas().is_err() {
        *directory.first_read.lock().ok()? = None;
        return None;
    }
    Some(index)
}

/// A depth-one key as tantivy writes `meta.json`, pretty-printed: on a line
/// of its own, indented by two spaces. Used only on the file tantivy has
/// just written for dossier's schema, whose layout is known; a file from
/// disk is read by its structure ([`object_members_knowing`]), since JSON
/// allows the same bytes within nested values too.
fn member(key: &str) -> Vec<u8> {
    format!("\n  \"{key}\": ").into_bytes()
}

/// The value of member `key` in `expected`, tantivy's own `meta.json`, where
/// member `next` follows it.
fn value_before<'a>(expected: &'a [u8], key: &str, next: &str) -> Option<&'a [u8]> {
    let start = memchr::memmem::find(expected, &member(key))? + member(key).len();
    let end = start + memchr::memmem::find(&expected[start..], &member(next))?;
    expected[start..end].strip_suffix(b",")
}

/// The members tantivy writes; a file with any other is left to it.
const TANTIVY_MEMBERS: [&[u8]; 5] = [
    b"index_settings",
    b"segments",
    b"schema",
    b"opstamp",
    b"payload",
];

/// `meta` without its schema, when its settings and schema are byte for
/// byte those of `expected`, the `meta.json` tantivy writes for a new index
/// of dossier's schema, and it has no member but tantivy's, each once;
/// `None` otherwise.
pub(super) fn without_expected_schema(meta: &[u8], expected: &[u8]) -> Option<Vec<u8>> {
    let settings = value_before(expected, "index_settings", "segments")?;
    let schema = value_before(expected, "schema", "opstamp")?;
    // The schema, most of the file, is compared rather than scanned.
    let members = object_members_knowing(meta, Some((b"schema", schema)))?;
    for (i, m) in members.iter().enumerate() {
        let name = m.name(meta);
        if !TANTIVY_MEMBERS.contains(&name) || members[..i].iter().any(|o| o.name(meta) == name) {
            return None;
        }
    }
    let value = |name: &[u8]| {
        members
            .iter()
            .find(|m| m.name(meta) == name)
            .map(|m| &meta[m.value.clone()])
    };
    if value(b"index_settings") != Some(settings) || value(b"schema") != Some(schema) {
        return None;
    }
    Some(rejoined_without_schema(meta, &members))
}

/// `meta` with `"schema":[]`, every other member as it was; `None` when it
/// is no JSON object [`object_members`] follows (tantivy, which reads the
/// file whole first, then says what is wrong with it, or gets it whole).
fn without_schema(meta: &[u8]) -> Option<Vec<u8>> {
    Some(rejoined_without_schema(meta, &object_members(meta)?))
}

/// The object of `members` of `meta` again, with `"schema":[]` for its schema.
fn rejoined_without_schema(meta: &[u8], members: &[Member]) -> Vec<u8> {
    let mut json = Vec::with_capacity(meta.len().min(4096));
    json.extend_from_slice(b"{\"schema\":[]");
    for member in members.iter().filter(|m| m.name(meta) != b"schema") {
        json.push(b',');
        json.extend_from_slice(&meta[member.key.clone()]);
        json.push(b':');
        json.extend_from_slice(&meta[member.value.clone()]);
    }
    json.push(b'}');
    json
}

impl Directory for SearchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        super::store_check::checked_handle(&self.inner, path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(
            read_only(),
            path.to_path_buf(),
        ))
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

    /// Only the `meta.json` of [`open_with_schema`]'s new index is
    /// "written", and kept in memory: a search changes nothing on disk.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        if path != Path::new(META_FILE) {
            return Err(read_only());
        }
        let mut written = self.written_meta.lock().map_err(|_| read_only())?;
        *written = Some(data.to_vec());
        Ok(())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// The one lock a reader takes, tantivy's meta lock, keeps a writer in
    /// another process from collecting a commit's files while they open. A
    /// search in a folder it may not write (an index shared read-only, a
    /// read-only disk) cannot take it, and is where it matters least: no
    /// writer of the same user runs there. It searches without it rather
    /// than calling the index damaged. Any other failure is reported.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(error))
                if matches!(
                    error.kind(),
                    io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

fn read_only() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "an index opened to search is not written to",
    )
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

    /// The `meta.json` tantivy writes for a new index of `schema`, and the
    /// one it writes after a commit of two documents.
    fn new_and_committed(schema: Schema) -> (Vec<u8>, Vec<u8>) {
        let folder = tempfile::tempdir().unwrap();
        let index = Index::create_in_dir(folder.path(), schema.clone()).unwrap();
        let new = std::fs::read(folder.path().join(META_FILE)).unwrap();
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let field = schema.fields().next().unwrap().0;
        writer.add_document(tantivy::doc!(field => "one")).unwrap();
        writer.add_document(tantivy::doc!(field => "two")).unwrap();
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload("{\"generation\":1}");
        commit.commit().unwrap();
        let committed = std::fs::read(folder.path().join(META_FILE)).unwrap();
        (new, committed)
    }

    fn schema_of(fields: &[&str]) -> Schema {
        let mut builder = Schema::builder();
        for name in fields {
            builder.add_text_field(name, tantivy::schema::TEXT | tantivy::schema::STORED);
        }
        builder.build()
    }

    #[test]
    fn a_committed_index_of_the_expected_schema_is_read_without_it() {
        let (expected, committed) = new_and_committed(schema_of(&["body", "title"]));
        let slim = without_expected_schema(&committed, &expected).expect("the same schema");
        let slim: serde_json::Value = serde_json::from_slice(&slim).unwrap();
        let whole: serde_json::Value = serde_json::from_slice(&committed).unwrap();
        assert_eq!(slim["schema"], serde_json::json!([]));
        assert_eq!(whole["segments"].as_array().unwrap().len(), 1);
        for key in ["index_settings", "segments", "opstamp", "payload"] {
            assert_eq!(slim[key], whole[key], "{key}");
        }
    }

    #[test]
    fn an_index_of_any_other_schema_or_settings_is_left_to_tantivy() {
        let (expected, _) = new_and_committed(schema_of(&["body", "title"]));
        for other in [
            &["body"][..],
            &["body", "title", "url"],
            &["title", "body"],
            &["body", "titles"],
        ] {
            let (_, committed) = new_and_committed(schema_of(other));
            assert_eq!(
                without_expected_schema(&committed, &expected),
                None,
                "{other:?}"
            );
        }
        let (_, committed) = new_and_committed(schema_of(&["body", "title"]));
        let text = String::from_utf8(committed.clone()).unwrap();
        let schema_member = {
            let start = text.find("\n  \"schema\": ").unwrap();
            let end = text.find("\n  \"opstamp\": ").unwrap();
            text[start..end].trim_end_matches(',').to_string()
        };
        let other_schema = text.replacen("\"stored\": true", "\"stored\": false", 1);
        for changed in [
            text.replace("\"lz4\"", "\"zstd\""),
            other_schema.clone(),
            // Dossier's schema nested in a segment, another at the top.
            other_schema.replacen(
                "\"deletes\": null",
                &format!("\"deletes\": null,{schema_member},\n  \"opstamp\": 1"),
                1,
            ),
            // A member twice, one tantivy does not write, text after the end.
            text.replacen(
                "\n  \"opstamp\": ",
                "\n  \"opstamp\": 1,\n  \"opstamp\": ",
                1,
            ),
            text.replacen("\n  \"opstamp\": ", "\n  \"extra\": 1,\n  \"opstamp\": ", 1),
            text.clone() + "x",
            text.trim_end().trim_end_matches('}').to_string(),
        ] {
            assert_ne!(changed, text);
            assert_eq!(
                without_expected_schema(changed.as_bytes(), &expected),
                None,
                "{changed}"
            );
        }
        // The same JSON with other white space between members is the same.
        let spaced = text.replace("\n  \"schema\": ", "\n\"schema\":");
        for same in [&text, &spaced] {
            assert!(
                without_expected_schema(same.as_bytes(), &expected).is_some(),
                "{same}"
            );
        }
        assert_eq!(without_expected_schema(b"", &expected), None);
        assert_eq!(without_expected_schema(&committed, b"{}"), None);
    }
}
