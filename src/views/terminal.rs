//! Text output for people: search results with snippets and facet counts, the
//! refresh summary, one document. Stable when piped: no colour, no widths that
//! depend on the terminal.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::{self, Write};

use crate::index::RefreshSummary;
use crate::search::{FacetCounts, SearchResults, StoredDocument};

use super::escape::{body, one_line};
use super::style::Style;

/// Facet lines wrap at this width.
const FACET_LINE_WIDTH: usize = 100;

pub fn write_search_results(
    out: &mut dyn Write,
    results: &SearchResults,
    style: Style,
) -> io::Result<()> {
    for (i, hit) in results.hits.iter().enumerate() {
        let rank = results.offset + i + 1;
        writeln!(out, "{}. {}", rank, style.title(&hit.title))?;
        let year = hit
            .year
            .map_or_else(|| "year unknown".to_string(), |y| y.to_string());
        // The id, which `show` takes back, and where it came from.
        let place = match hit.url.as_deref() {
            Some(url) => format!("{} · {}", one_line(&hit.id), one_line(url)),
            None => one_line(&hit.id).into_owned(),
        };
        let mut meta = format!(
            "{} · {} · {} · score {:.2}",
            hit.source, year, hit.lang, hit.score
        );
        if !hit.topics.is_empty() {
            meta.push_str(&format!(" · {}", join(&hit.topics)));
        }
        writeln!(out, "   {}", style.dim(&meta))?;
        match hit.page {
            Some(page) => writeln!(out, "   {}", style.dim(&format!("{place} · p. {page}")))?,
            None => writeln!(out, "   {}", style.dim(&place))?,
        }
        if !hit.snippet.text.is_empty() {
            writeln!(
                out,
                "   {}",
                highlighted(&hit.snippet.text, &hit.snippet.highlights, style)
            )?;
        }
        writeln!(out)?;
    }
    let shown = if results.hits.is_empty() {
        String::new()
    } else {
        format!(
            " (showing {}–{})",
            results.offset + 1,
            results.offset + results.hits.len()
        )
    };
    let noun = if results.total == 1 {
        "document"
    } else {
        "documents"
    };
    writeln!(
        out,
        "{} {noun} match {}{shown}",
        results.total,
        quoted(&results.query)
    )?;
    if results.total > 0 {
        write_facets(out, &results.facets, style)?;
    }
    Ok(())
}

/// A query as output quotes it: in single quotes, or brackets when it has one.
pub fn quoted(query: &str) -> String {
    let query = one_line(query);
    if query.contains('\'') {
        format!("[{query}]")
    } else {
        format!("'{query}'")
    }
}

/// `content` with its byte ranges `highlights` marked (in order, not
/// overlapping); page breaks become markers, other controls escapes.
pub fn highlighted(content: &str, highlights: &[(usize, usize)], style: Style) -> String {
    let mut out = String::with_capacity(content.len() + 16);
    let mut at = 0;
    for &(start, end) in highlights {
        if start < at
            || end > content.len()
            || start > end
            || !content.is_char_boundary(start)
            || !content.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&body(&content[at..start]));
        out.push_str(&style.highlight(&content[start..end]));
        at = end;
    }
    out.push_str(&body(&content[at..]));
    out
}

/// Facet counts: years in order, sources and topics by count.
pub fn write_facets(out: &mut dyn Write, facets: &FacetCounts, style: Style) -> io::Result<()> {
    let years: Vec<String> = facets
        .year
        .iter()
        .map(|(y, n)| format!("{y} ({n})"))
        .collect();
    fn by_count<K: Ord + std::fmt::Display>(map: &BTreeMap<K, u64>) -> Vec<String> {
        let mut entries: Vec<(&K, &u64)> = map.iter().collect();
        entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        entries
            .into_iter()
            .map(|(k, n)| format!("{} ({n})", one_line(&k.to_string())))
            .collect()
    }
    write_facet_line(out, "year", &years, style)?;
    write_facet_line(out, "source", &by_count(&facets.source), style)?;
    write_facet_line(out, "lang", &by_count(&facets.lang), style)?;
    write_facet_line(out, "topic", &by_count(&facets.topic), style)
}

fn write_facet_line(
    out: &mut dyn Write,
    name: &str,
    entries: &[String],
    style: Style,
) -> io::Result<()> {
    let label = style.label(&format!("{name:<7}"));
    if entries.is_empty() {
        return writeln!(out, "{label}{}", style.dim("(none)"));
    }
    let mut line = String::new();
    let mut first_line = true;
    for entry in entries {
        if !line.is_empty() && 7 + line.len() + 2 + entry.len() > FACET_LINE_WIDTH {
            let prefix = if first_line {
                label.clone()
            } else {
                " ".repeat(7)
            };
            writeln!(out, "{prefix}{line}")?;
            line.clear();
            first_line = false;
        }
        if !line.is_empty() {
            line.push_str("  ");
        }
        line.push_str(entry);
    }
    let prefix = if first_line { label } else { " ".repeat(7) };
    writeln!(out, "{prefix}{line}")
}

pub fn write_refresh_summary(out: &mut dyn Write, summary: &RefreshSummary) -> io::Result<()> {
    let retagged = if summary.retagged > 0 {
        format!(" ({} re-tagged)", summary.retagged)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} added, {} updated, {} removed, {} unchanged{retagged}, {} failed in {:.2} s; {} documents in the index",
        summary.added,
        summary.updated,
        summary.removed,
        summary.unchanged,
        summary.failed.len(),
        summary.seconds,
        summary.documents
    )
}

/// One document: its metadata, then `marked_text` (its body as
/// [`highlighted`] prints it), if given.
pub fn write_document(
    out: &mut dyn Write,
    doc: &StoredDocument,
    marked_text: Option<&str>,
    style: Style,
) -> io::Result<()> {
    let from = |what: Option<&String>| match what {
        Some(w) => style.dim(&format!("  (from {})", one_line(w))),
        None => String::new(),
    };
    let p = &doc.provenance;
    let row = |out: &mut dyn Write, name: &str, value: &str, note: String| {
        writeln!(
            out,
            "{}{}{note}",
            style.label(&format!("{name:<9}")),
            one_line(value)
        )
    };
    row(out, "id", &doc.id, String::new())?;
    row(
        out,
        "title",
        &doc.title,
        from(Some(&p.title).filter(|t| !t.is_empty())),
    )?;
    let source = if doc.source_name != doc.source.as_str() && !doc.source_name.is_empty() {
        format!("{} ({})", doc.source, doc.source_name)
    } else {
        doc.source.to_string()
    };
    row(out, "source", &source, String::new())?;
    let lang = match doc.lang.name() {
        Some(name) => format!("{} ({name})", doc.lang),
        None => doc.lang.to_string(),
    };
    row(
        out,
        "language",
        &lang,
        from(Some(&p.lang).filter(|l| !l.is_empty())),
    )?;
    let year = doc
        .year
        .map_or_else(|| "unknown".to_string(), |y| y.to_string());
    row(out, "year", &year, from(p.year.as_ref()))?;
    row(
        out,
        "date",
        doc.date.as_deref().unwrap_or("unknown"),
        from(p.date.as_ref()),
    )?;
    let topics = if doc.topics.is_empty() {
        "(none)".to_string()
    } else {
        join(&doc.topics)
    };
    row(out, "topics", &topics, String::new())?;
    row(out, "path", &doc.path, String::new())?;
    if let Some(url) = &doc.url {
        row(out, "url", url, String::new())?;
    }
    row(
        out,
        "format",
        &format!("{}, {}", p.format, p.encoding),
        String::new(),
    )?;
    row(out, "size", &format!("{} bytes", doc.size), String::new())?;
    row(
        out,
        "hash",
        &doc.hash,
        style.dim("  (BLAKE3, first 128 bits)"),
    )?;
    if let Some(shown) = marked_text {
        writeln!(out)?;
        writeln!(out, "{shown}")?;
    }
    Ok(())
}

/// Ids joined with commas.
fn join(ids: &[impl Display]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
