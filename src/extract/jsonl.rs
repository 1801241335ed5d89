//! BEIR-style collections: a `corpus.jsonl` holds one document per line,
//! `{"_id": "...", "title": "...", "text": "..."}`. Each becomes a document of
//! its own, with the id `<file id>#<_id>`, so that anyone can search or evaluate
//! such a collection with dossier (see `benches/relevance.rs`).

use serde::Deserialize;

use super::{ExtractError, ExtractedDocument, Provenance, meta, text};

/// Whether a file is a JSON Lines collection: named `.jsonl` (or `.ndjson`) and
/// its first non-empty line is an object with an `_id`.
pub fn is_collection(relative_path: &str, head: &[u8]) -> bool {
    if !has_collection_name(relative_path) {
        return false;
    }
    let head = String::from_utf8_lossy(head);
    let Some(first) = head.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    // The first line may be cut by the sniffing window: look for the key.
    first.starts_with('{') && first.contains("\"_id\"")
}

/// Only files named `.jsonl` or `.ndjson` can be collections: other files are
/// not opened twice to find out.
pub fn has_collection_name(relative_path: &str) -> bool {
    let lower = relative_path.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
}

#[derive(Deserialize)]
struct Line {
    #[serde(rename = "_id")]
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

/// A line's `_id` may be this long at most: ids are looked up as whole
/// terms, which tantivy keeps under 64 KB, and a collection's ids are all
/// remembered while it is read.
pub const MAX_ID_BYTES: usize = 1024;

/// One line of a collection → its `_id` and document. `relative_path` gives the
/// year when the path names one, as for any document.
pub fn parse_line(
    line: &str,
    relative_path: &str,
) -> Result<(String, ExtractedDocument), ExtractError> {
    let bad = ExtractError::NotACollectionLine;
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
    if !value.is_object() {
        return Err(bad("the line is not an object".into()));
    }
    let parsed = Line::deserialize(value).map_err(|e| bad(e.to_string()))?;
    let id = match parsed.id {
        serde_json::Value::String(s) if !s.is_empty() => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => {
            return Err(ExtractError::BadCollectionId);
        }
    };
    if id.len() > MAX_ID_BYTES {
        return Err(ExtractError::LongCollectionId { max: MAX_ID_BYTES });
    }
    let body = parsed.text.unwrap_or_default();
    let (title, title_from, derived_title) = match parsed.title.filter(|t| !t.trim().is_empty()) {
        Some(t) => (t.trim().to_string(), "\"title\"", false),
        None => (
            text::title_from_text(&body).unwrap_or_else(|| id.clone()),
            "first line of \"text\"",
            true,
        ),
    };
    let year = meta::year_from_path(relative_path);
    let detected = super::lang::language(&title, &body, None);
    let provenance = Provenance {
        format: "jsonl".into(),
        encoding: "UTF-8".into(),
        title: title_from.into(),
        date: None,
        year: year.map(|_| "path".to_string()),
        lang: detected.from,
        derived_title,
    };
    Ok((
        id,
        ExtractedDocument {
            title,
            body,
            date: None,
            year,
            url: None,
            lang: detected.code,
            lang_declared: detected.declared,
            provenance,
            incomplete: None,
            sparse: None,
        }
        .cleaned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_beir_lines() {
        let (id, doc) = parse_line(r#"{"_id": "4983", "title": "Microstructural development", "text": "Alterations of the architecture.", "metadata": {}}"#, "scifact/corpus.jsonl").unwrap();
        assert_eq!(id, "4983");
        assert_eq!(doc.title, "Microstructural development");
        assert_eq!(doc.body, "Alterations of the architecture.");
        let (id, doc) = parse_line(
            r#"{"_id": 7, "text": "First line\nsecond"}"#,
            "c/corpus.jsonl",
        )
        .unwrap();
        assert_eq!((id.as_str(), doc.title.as_str()), ("7", "First line"));
        for bad in [
            "{}",
            "[1]",
            "{\"_id\": \"\"}",
            "not json",
            "{\"_id\": null}",
        ] {
            assert!(parse_line(bad, "c/corpus.jsonl").is_err(), "{bad}");
        }
    }

    #[test]
    fn recognises_collections() {
        assert!(is_collection(
            "scifact/corpus.jsonl",
            b"{\"_id\": \"1\", \"title\": \"t\"}\n"
        ));
        assert!(!is_collection(
            "notes/log.jsonl",
            b"{\"level\": \"info\"}\n"
        ));
        assert!(!is_collection("scifact/corpus.txt", b"{\"_id\": \"1\"}\n"));
    }
}
