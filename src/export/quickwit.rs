//! A Quickwit index config (YAML) whose doc mapping holds the exported
//! documents' fields, for the Quickwit version asked for.
//!
//! What maps one to one: year (u64) and date (datetime) are fast, for range
//! filters and histograms; source, lang, topics and the keyword fields are raw
//! keywords, fast, for term aggregations (dossier's facet counts); text fields
//! record positions (phrases) and field norms (BM25). What differs: Quickwit's
//! analysers. Quickwit 0.8 stems English only (`en_stem`); 0.9 removed it
//! (its pull request #6154) and stems nothing: its built-in tokenizers are
//! [`BUILT_IN_TOKENIZERS_0_9`], and a custom one may only split, lower-case,
//! fold accents and drop long tokens. So under 0.9 every language but CJK gets
//! folded words without stems (`civilians` no longer finds `civilian`), and
//! under both Chinese, Japanese and Korean are split by character
//! (`chinese_compatible`).

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

/// The Quickwit version a config is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuickwitVersion {
    V0_8,
    V0_9,
}

impl QuickwitVersion {
    /// The config's `version` key.
    pub fn config_version(self) -> &'static str {
        match self {
            QuickwitVersion::V0_8 => "0.8",
            QuickwitVersion::V0_9 => "0.9",
        }
    }

    /// The tokenizer of the English fields: Quickwit 0.8's stemmer, or under
    /// 0.9 (which has none) the folded words every other language gets.
    fn english_tokenizer(self) -> &'static str {
        match self {
            QuickwitVersion::V0_8 => "en_stem",
            QuickwitVersion::V0_9 => FOLDED_TOKENIZER,
        }
    }
}

/// Quickwit 0.9's built-in tokenizers, as its tokenizer manager registers
/// them (quickwit-query/src/tokenizers/mod.rs).
pub const BUILT_IN_TOKENIZERS_0_9: &[&str] = &[
    "raw",
    "raw_lowercase",
    "lowercase",
    "default",
    "whitespace",
    "chinese_compatible",
    "source_code_default",
    "source_code_with_hex",
    "unicode_segmenter",
    "datadog",
];

/// The filters a 0.9 custom tokenizer may have.
pub const CUSTOM_FILTERS_0_9: &[&str] = &["remove_long", "lower_caser", "ascii_folding"];

/// The name of the custom tokenizer for folded, unstemmed words.
pub const FOLDED_TOKENIZER: &str = "dossier_folded";

/// The text fields and their tokenizers, in the order the config lists them.
pub fn text_fields(version: QuickwitVersion) -> [(&'static str, &'static str); 6] {
    [
        ("title", version.english_tokenizer()),
        ("body", version.english_tokenizer()),
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
        Mapping {
            name: "fields",
            kind: "json",
            options: RAW_FAST,
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
pub fn config(index_id: &IndexId, version: QuickwitVersion) -> String {
    let index_id = index_id.as_str();
    let mut y = String::new();
    let w = &mut y;
    // Writing to a String cannot fail.
    let stems = match version {
        QuickwitVersion::V0_8 => {
            "English is stemmed (en_stem); other languages are folded, not stemmed"
        }
        QuickwitVersion::V0_9 => "no language is stemmed (0.9 has no stemmer); words are folded",
    };
    let _ = writeln!(
        w,
        "# Quickwit {v} index config for documents from `dossier export --ndjson`.\n\
         # {stems}; Chinese, Japanese and Korean are split by character.\n\
         # Create the index:  quickwit index create --index-config this-file.yaml\n\
         # Ingest:            dossier export --ndjson | quickwit index ingest --index {index_id}",
        v = version.config_version()
    );
    let _ = writeln!(w, "version: \"{}\"", version.config_version());
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
    for (name, tokenizer) in text_fields(version) {
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
    let names: Vec<&str> = text_fields(version).iter().map(|(n, _)| *n).collect();
    let _ = writeln!(w, "  default_search_fields: [{}]", names.join(", "));
    let _ = writeln!(w, "indexing_settings:");
    let _ = writeln!(w, "  commit_timeout_secs: 30");
    y
}

/// Ids per delete task: a query Quickwit parses quickly and a task list a
/// person can read.
const IDS_PER_DELETE_TASK: usize = 100;

/// Bodies for Quickwit's delete-tasks API (`POST /api/v1/INDEX/delete-tasks`),
/// one JSON object each: `{"query": "id:\"a\" OR id:\"b\""}`, up to
/// [`IDS_PER_DELETE_TASK`] ids each. An id is a quoted phrase with `"` and `\`
/// escaped: on a `raw` field it is one token, matched whole.
pub fn delete_task_bodies<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let ids: Vec<&str> = ids.collect();
    ids.chunks(IDS_PER_DELETE_TASK)
        .map(|chunk| {
            let query = chunk
                .iter()
                .map(|id| format!("id:\"{}\"", id.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect::<Vec<_>>()
                .join(" OR ");
            let mut body = Vec::new();
            // Writing to a Vec cannot fail.
            let _ = crate::text::json::to_writer(&mut body, &serde_json::json!({ "query": query }));
            String::from_utf8_lossy(&body).into_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The config names only tokenizers the version has (built-in, or its
    /// own custom one with filters the version allows).
    #[test]
    fn a_0_9_config_names_only_0_9_tokenizers() {
        let id = IndexId::parse("dossier").unwrap();
        let yaml = config(&id, QuickwitVersion::V0_9);
        assert!(yaml.contains("version: \"0.9\""));
        assert!(!yaml.contains("en_stem"));
        for line in yaml.lines() {
            if let Some(name) = line.trim().strip_prefix("tokenizer: ") {
                assert!(
                    BUILT_IN_TOKENIZERS_0_9.contains(&name) || name == FOLDED_TOKENIZER,
                    "{name}"
                );
            }
            if let Some(list) = line.trim().strip_prefix("filters: ") {
                for filter in list.trim_matches(['[', ']']).split(", ") {
                    assert!(CUSTOM_FILTERS_0_9.contains(&filter), "{filter}");
                }
            }
        }
        let old = config(&id, QuickwitVersion::V0_8);
        assert!(old.contains("version: \"0.8\"") && old.contains("tokenizer: en_stem"));
    }

    /// Each delete query parses with tantivy's query grammar (the one
    /// Quickwit's delete-task API parses with) into exactly the ids given.
    #[test]
    fn delete_queries_name_each_id_whole() {
        use tantivy::query_grammar::{UserInputAst, UserInputLeaf, parse_query};
        let ids = ["un/a b.txt", "x/\"quoted\".txt", "back\\slash", "c#1:(x)"];
        let bodies = delete_task_bodies(ids.iter().copied());
        assert_eq!(bodies.len(), 1);
        let body: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
        let ast = parse_query(body["query"].as_str().unwrap()).unwrap();
        let UserInputAst::Clause(clauses) = ast else {
            panic!("{ast:?}")
        };
        let found: Vec<String> = clauses
            .into_iter()
            .map(|(_, leaf)| match leaf {
                UserInputAst::Leaf(leaf) => match *leaf {
                    UserInputLeaf::Literal(literal) => {
                        assert_eq!(literal.field_name.as_deref(), Some("id"));
                        literal.phrase
                    }
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(found, ids);
        let many: Vec<String> = (0..250).map(|i| format!("d{i}")).collect();
        assert_eq!(delete_task_bodies(many.iter().map(String::as_str)).len(), 3);
    }

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
