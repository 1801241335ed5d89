//! What a source's folder holds after an update, by kind, and how many of its
//! pages are near empty: a source that comes back with nothing, or with
//! shells only, must say so rather than leave an index that finds nothing.

use std::path::Path;

use crate::extract::{self, MAX_FILE_BYTES};
use crate::sources::record::is_record;

pub use super::report::Holdings;

/// A page with fewer words of main text than this is near empty.
pub const NEAR_EMPTY_WORDS: usize = 50;

/// Counts the documents directly in `dir` (where an update keeps them).
pub fn holdings_of(dir: &Path) -> Holdings {
    let mut holds = Holdings::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return holds;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || is_record(&name) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        // PDFs are counted by their header, not read: they can be large,
        // and the index reads them anyway.
        if bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
        {
            holds.pdfs += 1;
            continue;
        }
        if let Ok(doc) = extract::extract(&bytes, &name) {
            holds.pages += 1;
            if doc.body.split_whitespace().count() < NEAR_EMPTY_WORDS {
                holds.near_empty_pages += 1;
            }
        }
    }
    holds
}
