//! `--json` output: one JSON object per command, with stable keys. Offsets in
//! `highlights` count Unicode characters of `snippet`, so that scripts in any
//! language can slice with them.

use std::collections::BTreeMap;

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use crate::search::matcher::Snippet;
use crate::search::{SearchResults, StoredDocument};

#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    title: &'a str,
    source: &'a str,
    lang: &'a str,
    year: Option<u64>,
    year_from: Option<&'a str>,
    date: Option<&'a str>,
    topics: &'a [String],
    path: &'a str,
    url: Option<&'a str>,
    /// Page of the snippet's first match in a document with pages (PDFs).
    page: Option<u32>,
    score: f32,
    snippet: &'a str,
    highlights: Vec<[usize; 2]>,
}

/// Byte ranges of highlights as character offsets into the snippet text.
pub fn char_offsets(snippet: &Snippet) -> Vec<[usize; 2]> {
    snippet
        .highlights
        .iter()
        .filter(|(s, e)| snippet.text.is_char_boundary(*s) && snippet.text.is_char_boundary(*e))
        .map(|&(s, e)| {
            let start = snippet.text[..s].chars().count();
            [start, start + snippet.text[s..e].chars().count()]
        })
        .collect()
}

pub fn search_results(results: &SearchResults) -> Value {
    let hits: Vec<JsonHit> = results
        .hits
        .iter()
        .map(|h| JsonHit {
            id: &h.id,
            title: &h.title,
            source: &h.source,
            lang: &h.lang,
            year: h.year,
            year_from: h.year_from.as_deref(),
            date: h.date.as_deref(),
            topics: &h.topics,
            path: &h.path,
            url: h.url.as_deref(),
            page: h.page,
            score: h.score,
            snippet: &h.snippet.text,
            highlights: char_offsets(&h.snippet),
        })
        .collect();
    let years: BTreeMap<String, u64> = results
        .facets
        .year
        .iter()
        .map(|(y, n)| (y.to_string(), *n))
        .collect();
    json!({
        "query": results.query,
        "total": results.total,
        "offset": results.offset,
        "hits": hits,
        "facets": {
            "year": years,
            "source": results.facets.source,
            "lang": results.facets.lang,
            "topic": results.facets.topic,
        }
    })
}

pub fn document(doc: &StoredDocument, text: Option<&str>) -> Value {
    let mut value = serde_json::to_value(doc).unwrap_or(Value::Null);
    if let (Some(text), Value::Object(map)) = (text, &mut value) {
        map.insert("text".into(), Value::String(text.to_string()));
    }
    value
}

/// One JSON object on a line of its own: the whole of a command's `--json` output.
pub fn write(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}
