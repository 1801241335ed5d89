//! What dossier needs of tantivy's `meta.json` when it opens an index: each
//! segment's id and document counts, and the commit's payload. Read with
//! everything else skipped (serde passes over unknown keys): the schema in that file (hundreds of fields, a
//! pair per language) is what tantivy parses anyway, and parsing it a
//! second time was a sixth of a search that finds nothing.

use std::path::Path;

use serde::Deserialize;

use super::CommitInfo;

#[derive(Debug, Deserialize)]
pub struct MetaSummary {
    #[serde(default)]
    pub segments: Vec<SegmentSummary>,
    #[serde(default)]
    pub payload: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SegmentSummary {
    /// Read as tantivy reads it (braced, URN and byte-array forms too).
    pub segment_id: uuid::Uuid,
    pub max_doc: u32,
    #[serde(default)]
    pub deletes: Option<DeleteSummary>,
}

#[derive(Debug, Deserialize)]
pub struct DeleteSummary {
    pub num_deleted_docs: u32,
}

impl SegmentSummary {
    /// The segment's documents not deleted.
    pub fn num_docs(&self) -> u32 {
        self.max_doc
            .saturating_sub(self.deletes.as_ref().map_or(0, |d| d.num_deleted_docs))
    }

    /// The id as tantivy names the segment's files: 32 hexadecimal digits.
    pub fn file_stem(&self) -> String {
        self.segment_id.simple().to_string()
    }
}

impl MetaSummary {
    /// `meta.json` in `dir`, or `None` when it cannot be read as one.
    pub fn read(dir: &Path) -> Option<MetaSummary> {
        Self::from_bytes(&std::fs::read(dir.join("meta.json")).ok()?)
    }

    pub fn from_bytes(meta_json: &[u8]) -> Option<MetaSummary> {
        serde_json::from_slice(meta_json).ok()
    }

    /// The same, read from the file's two ends as tantivy lays it out: the
    /// members before the schema (the segments among them) and the last
    /// one (the payload). The schema between them, most of the file, is
    /// not read, and not checked: `None` for a file laid out otherwise.
    pub fn from_ends(meta_json: &[u8]) -> Option<MetaSummary> {
        let before = super::json_members::members_before(meta_json, b"schema")?;
        let mut segments = before.iter().filter(|m| m.name(meta_json) == b"segments");
        let (Some(segments), None) = (segments.next(), segments.next()) else {
            return None;
        };
        let payload = super::json_members::last_string_member(meta_json)?;
        if payload.name(meta_json) != b"payload" {
            return None;
        }
        Some(MetaSummary {
            segments: serde_json::from_slice(&meta_json[segments.value.clone()]).ok()?,
            payload: Some(serde_json::from_slice(&meta_json[payload.value]).ok()?),
        })
    }

    /// The commit's payload, when dossier wrote it.
    pub fn commit_info(&self) -> Option<CommitInfo> {
        serde_json::from_str(self.payload.as_deref()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `meta.json` as tantivy writes it for dossier's schema, after two
    /// commits (two segments) and a deletion, with a payload of quotes and
    /// backslashes.
    fn committed_meta() -> Vec<u8> {
        let folder = tempfile::tempdir().unwrap();
        let (schema, fields) = crate::index::schema::build_schema();
        let index = tantivy::IndexBuilder::new()
            .schema(schema)
            .settings(crate::index::schema::index_settings())
            .create_in_dir(folder.path())
            .unwrap();
        crate::index::register_tokenizers(&index);
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for ids in [&["a", "b"][..], &["c"]] {
            for id in ids {
                writer
                    .add_document(tantivy::doc!(fields.id => *id))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        writer.delete_term(tantivy::Term::from_field_text(fields.id, "a"));
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(r#"{"schema_version":9,"refreshed_at":"2026-12-01T00:00:00Z","sources":"C:\\thèse \"x\"","generation":3}"#);
        commit.commit().unwrap();
        std::fs::read(folder.path().join("meta.json")).unwrap()
    }

    #[test]
    fn the_two_ends_say_what_the_whole_file_says() {
        let meta = committed_meta();
        let whole = MetaSummary::from_bytes(&meta).unwrap();
        let ends = MetaSummary::from_ends(&meta).expect("tantivy's layout");
        assert_eq!(whole.payload, ends.payload);
        assert_eq!(ends.commit_info().unwrap().generation, 3);
        let summary = |m: &MetaSummary| {
            m.segments
                .iter()
                .map(|s| (s.file_stem(), s.max_doc, s.num_docs()))
                .collect::<Vec<_>>()
        };
        assert_eq!(summary(&whole), summary(&ends));
        assert_eq!(summary(&ends).len(), 2);
        assert_eq!(ends.segments.iter().map(|s| s.num_docs()).sum::<u32>(), 2);
    }

    #[test]
    fn a_file_laid_out_otherwise_is_not_read_from_its_ends() {
        let meta = String::from_utf8(committed_meta()).unwrap();
        for other in [
            // The payload not last, the segments after the schema, twice, none.
            meta.replacen("\n  \"payload\": ", "\n  \"payload\": null,\n  \"p\": ", 1),
            meta.replacen("\n  \"segments\": ", "\n  \"s\": ", 1)
                .replacen(
                    "\n  \"opstamp\": ",
                    "\n  \"segments\": [],\n  \"opstamp\": ",
                    1,
                ),
            meta.replacen(
                "\n  \"schema\": ",
                "\n  \"segments\": [],\n  \"schema\": ",
                1,
            ),
            meta.replacen("\n  \"segments\": ", "\n  \"s\": ", 1),
            meta.trim_end().trim_end_matches('}').to_string(),
        ] {
            assert_ne!(other, meta);
            assert!(
                MetaSummary::from_ends(other.as_bytes()).is_none(),
                "{other}"
            );
        }
    }
}
