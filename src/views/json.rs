//! `--json` output: one JSON object per command, each of one type below, so
//! that its keys are stable and written down in one place. Offsets in
//! `highlights` and `matches` count Unicode characters, so that scripts in
//! any language can slice with them.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::fetch::{SourcePlan, SourceReport};
use crate::index::RefreshSummary;
use crate::search::concordance::{DocumentCount, KwicLine};
use crate::search::matcher::Snippet;
use crate::search::topic_tree::TopicNode;
use crate::search::{FacetCounts, SearchResults, StoredDocument};
use crate::text::{LangCode, SourceId, TopicId};

/// One JSON object on a line of its own: the whole of a command's `--json`
/// output, every control character escaped.
pub fn write(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    crate::text::json::to_writer(out, value)?;
    writeln!(out)
}

/// Byte ranges of `text` as character offsets.
pub fn char_offsets(text: &str, ranges: &[(usize, usize)]) -> Vec<[usize; 2]> {
    ranges
        .iter()
        .filter(|(s, e)| s <= e && text.is_char_boundary(*s) && text.is_char_boundary(*e))
        .map(|&(s, e)| {
            let start = text[..s].chars().count();
            [start, start + text[s..e].chars().count()]
        })
        .collect()
}

/// `search --json`.
#[derive(Serialize)]
pub struct SearchJson<'a> {
    query: &'a str,
    total: usize,
    offset: usize,
    hits: Vec<HitJson<'a>>,
    facets: FacetsJson<'a>,
    /// How the query was read, when the reader should know (a prefix that
    /// stood for too many words, a source without documents yet).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

#[derive(Serialize)]
struct HitJson<'a> {
    id: &'a str,
    title: &'a str,
    source: &'a SourceId,
    lang: LangCode,
    year: Option<u64>,
    year_from: Option<&'a str>,
    date: Option<&'a str>,
    topics: &'a [TopicId],
    /// Keyword fields its source's `fields` read: {"country": "THA"}.
    fields: &'a BTreeMap<String, String>,
    path: &'a str,
    url: Option<&'a str>,
    /// Page of the snippet's first match in a document with pages (PDFs).
    page: Option<u32>,
    score: f32,
    snippet: &'a str,
    highlights: Vec<[usize; 2]>,
}

/// Facet counts; years as strings, since JSON keys are.
#[derive(Serialize)]
pub struct FacetsJson<'a> {
    year: BTreeMap<String, u64>,
    source: &'a BTreeMap<SourceId, u64>,
    lang: &'a BTreeMap<LangCode, u64>,
    topic: &'a BTreeMap<TopicId, u64>,
    /// The keyword fields asked for (`--facet country`), each a key of its own.
    #[serde(flatten)]
    keywords: BTreeMap<&'a str, BTreeMap<String, u64>>,
}

impl<'a> FacetsJson<'a> {
    pub fn new(facets: &'a FacetCounts, keywords: &'a [String]) -> Self {
        FacetsJson {
            year: facets
                .year
                .iter()
                .map(|(y, n)| (y.to_string(), *n))
                .collect(),
            source: &facets.source,
            lang: &facets.lang,
            topic: &facets.topic,
            keywords: keywords
                .iter()
                .map(|name| {
                    (
                        name.as_str(),
                        facets.fields.get(name).cloned().unwrap_or_default(),
                    )
                })
                .collect(),
        }
    }
}

impl<'a> SearchJson<'a> {
    pub fn new(results: &'a SearchResults, keywords: &'a [String]) -> Self {
        let snippet_offsets = |s: &Snippet| char_offsets(&s.text, &s.highlights);
        SearchJson {
            query: &results.query,
            total: results.total,
            offset: results.offset,
            notes: &results.notes,
            hits: results
                .hits
                .iter()
                .map(|h| HitJson {
                    id: &h.id,
                    title: &h.title,
                    source: &h.source,
                    lang: h.lang,
                    year: h.year,
                    year_from: h.year_from.as_deref(),
                    date: h.date.as_deref(),
                    topics: &h.topics,
                    fields: &h.fields,
                    path: &h.path,
                    url: h.url.as_deref(),
                    page: h.page,
                    score: h.score,
                    snippet: &h.snippet.text,
                    highlights: snippet_offsets(&h.snippet),
                })
                .collect(),
            facets: FacetsJson::new(&results.facets, keywords),
        }
    }
}

/// `show --json`: the document's fields, its text unless `--no-text`, and
/// with `--match` the character ranges of the matches in the text.
#[derive(Serialize)]
pub struct DocumentJson<'a> {
    #[serde(flatten)]
    document: &'a StoredDocument,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matches: Option<Vec<[usize; 2]>>,
}

impl<'a> DocumentJson<'a> {
    pub fn new(
        document: &'a StoredDocument,
        with_text: bool,
        matches: Option<&[(usize, usize)]>,
    ) -> Self {
        DocumentJson {
            document,
            text: with_text.then_some(document.body.as_str()),
            matches: matches.map(|m| char_offsets(&document.body, m)),
        }
    }
}

/// `kwic --json`.
#[derive(Serialize)]
pub struct KwicJson<'a> {
    pub query: &'a str,
    pub total: usize,
    pub lines: &'a [KwicLine],
}

/// `kwic --count --json`.
#[derive(Serialize)]
pub struct KwicCountJson<'a> {
    pub query: &'a str,
    pub total: usize,
    pub documents: &'a [DocumentCount],
}

/// `topics --json`.
#[derive(Serialize)]
pub struct TopicsJson<'a> {
    pub taxonomy: &'a str,
    pub topics: &'a [TopicNode],
}

/// `update --dry-run --json`.
#[derive(Serialize)]
pub struct UpdatePlanJson<'a> {
    pub dry_run: bool,
    pub sources: &'a [SourcePlan],
}

/// `update --json`: what each source's fetch did, then the index's refresh
/// (`null` with `--no-index`).
#[derive(Serialize)]
pub struct UpdateJson<'a> {
    pub sources: &'a [SourceReport],
    pub index: Option<&'a RefreshSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters() {
        let text = "é human security";
        let start = text.find("human").unwrap();
        assert_eq!(char_offsets(text, &[(start, text.len())]), [[2, 16]]);
        // A range that is not on character boundaries is left out.
        assert!(char_offsets(text, &[(1, 3)]).is_empty());
    }
}
