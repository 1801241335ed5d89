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

    /// The commit's payload, when dossier wrote it.
    pub fn commit_info(&self) -> Option<CommitInfo> {
        serde_json::from_str(self.payload.as_deref()?).ok()
    }
}
