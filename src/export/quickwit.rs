//! A Quickwit index config (YAML, config version 0.8) whose doc mapping
//! holds the exported documents' fields.
//!
//! What maps one to one: year (u64) and date (datetime) are fast, for range
//! filters and histograms; source, lang and topics are raw keywords, fast,
//! for term aggregations (dossier's facet counts); text fields record
//! positions (phrases) and field norms (BM25). What differs: Quickwit's
//! analysers. It stems English only (`en_stem`), splits Chinese, Japanese and
//! Korean characters (`chinese_compatible`), and folds accents with a custom
//! tokenizer; so English documents get stemmed fields, CJK ones their own, and
//! every other language folded words without stems.

use std::fmt::Write;

use crate::text::LangCode;

/// How a Quickwit cluster can analyse a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    English,
    Cjk,
    Other,
}

pub fn analysis_of(lang: LangCode) -> Analysis {
    if lang == LangCode::ENGLISH {
        Analysis::English
    } else if lang.is_cjk() {
        Analysis::Cjk
    } else {
        Analysis::Other
    }
}

/// The name of the custom tokenizer for folded, unstemmed words.
pub const FOLDED_TOKENIZER: &str = "dossier_folded";

/// The text fields and their tokenizers, in the order the config lists them.
pub fn text_fields() -> [(&'static str, &'static str); 6] {
    [
        ("title", "en_stem"),
        ("body", "en_stem"),
        ("title_cjk", "chinese_compatible"),
        ("body_cjk", "chinese_compatible"),
        ("title_other", FOLDED_TOKENIZER),
        ("body_other", FOLDED_TOKENIZER),
    ]
}

/// One field mapping, as lines of YAML under `- name: …`.
struct Mapping {
    name: &'static str,
    kind: &'static str,
    options: &'static [(&'static str, &'static str)],
}

const RAW_FAST: &[(&str, &str)] = &[("tokenizer", "raw"), ("fast", "true")];
const RAW: &[(&str, &str)] = &[("tokenizer", "raw")];
const STORED_ONLY: &[(&str, &str)] = &[("indexed", "false")];
const NUMBER_FAST: &[(&str, &str)] = &[("indexed", "true"), ("fast", "true")];

fn keyword_and_number_fields() -> Vec<Mapping> {
    vec![
        Mapping {
            name: "id",
            kind: "text",
            options: RAW,
        },
        Mapping {
            name: "file",
            kind: "text",
            options: RAW,
        },
        Mapping {
            name: "path",
            kind: "text",
            options: STORED_ONLY,
        },
        Mapping {
            name: "url",
            kind: "text",
            options: RAW,
        },
        Mapping {
            name: "lang",
            kind: "text",
            options: RAW_FAST,
        },
        Mapping {
            name: "source",
            kind: "text",
            options: RAW_FAST,
        },
        Mapping {
            name: "source_name",
            kind: "text",
            options: STORED_ONLY,
        },
        Mapping {
            name: "topics",
            kind: "array<text>",
            options: RAW_FAST,
        },
        Mapping {
            name: "year",
            kind: "u64",
            options: NUMBER_FAST,
        },
        Mapping {
            name: "size",
            kind: "u64",
            options: &[("indexed", "false")],
        },
        Mapping {
            name: "hash",
            kind: "text",
            options: RAW,
        },
        Mapping {
            name: "provenance",
            kind: "json",
            options: STORED_ONLY,
        },
    ]
}

/// A Quickwit index id: a letter, then letters, digits, `-`, `_` or `.`,
/// 3 to 255 characters in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexId(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "not a Quickwit index id: start with a letter, then letters, digits, '-', '_' or '.', 3 to 255 characters"
)]
pub struct IndexIdError;

impl IndexId {
    pub fn parse(id: &str) -> Result<IndexId, IndexIdError> {
        let mut chars = id.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && (3..=255).contains(&id.len());
        if valid {
            Ok(IndexId(id.to_string()))
        } else {
            Err(IndexIdError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The config, as YAML text.
pub fn config(index_id: &IndexId) -> String {
    let index_id = index_id.as_str();
    let mut y = String::new();
    let w = &mut y;
    // Writing to a String cannot fail.
    let _ = writeln!(
        w,
        "# Quickwit index config for documents from `dossier export --ndjson`.\n\
         # Create the index:  quickwit index create --index-config this-file.yaml\n\
         # Ingest:            dossier export --ndjson | quickwit index ingest --index {index_id}"
    );
    let _ = writeln!(w, "version: \"0.8\"");
    let _ = writeln!(w, "index_id: {index_id}");
    let _ = writeln!(w, "doc_mapping:");
    let _ = writeln!(w, "  mode: strict");
    let _ = writeln!(w, "  field_mappings:");
    for m in keyword_and_number_fields() {
        let _ = writeln!(w, "    - name: {}", m.name);
        let _ = writeln!(w, "      type: {}", m.kind);
        for (key, value) in m.options {
            let _ = writeln!(w, "      {key}: {value}");
        }
    }
    let _ = writeln!(w, "    - name: date");
    let _ = writeln!(w, "      type: datetime");
    let _ = writeln!(w, "      input_formats: [rfc3339]");
    let _ = writeln!(w, "      output_format: rfc3339");
    let _ = writeln!(w, "      fast: true");
    let _ = writeln!(w, "      fast_precision: seconds");
    for (name, tokenizer) in text_fields() {
        let _ = writeln!(w, "    - name: {name}");
        let _ = writeln!(w, "      type: text");
        let _ = writeln!(w, "      tokenizer: {tokenizer}");
        let _ = writeln!(w, "      record: position");
        let _ = writeln!(w, "      fieldnorms: true");
        let _ = writeln!(w, "      stored: true");
    }
    let _ = writeln!(w, "  tokenizers:");
    let _ = writeln!(w, "    - name: {FOLDED_TOKENIZER}");
    let _ = writeln!(w, "      type: simple");
    let _ = writeln!(
        w,
        "      filters: [remove_long, lower_caser, ascii_folding]"
    );
    let _ = writeln!(w, "search_settings:");
    let names: Vec<&str> = text_fields().iter().map(|(n, _)| *n).collect();
    let _ = writeln!(w, "  default_search_fields: [{}]", names.join(", "));
    let _ = writeln!(w, "indexing_settings:");
    let _ = writeln!(w, "  commit_timeout_secs: 30");
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_ids() {
        assert!(IndexId::parse("dossier").is_ok());
        assert!(IndexId::parse("un-docs_1945.v2").is_ok());
        for bad in [
            "",
            "ab",
            "1dossier",
            "dos sier",
            "dossier:x",
            "d\u{e9}j\u{e0}",
        ] {
            assert_eq!(IndexId::parse(bad), Err(IndexIdError), "{bad}");
        }
    }
}
