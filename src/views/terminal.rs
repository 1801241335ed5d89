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
    keywords: &[String],
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
        let mut meta = vec![
            one_line(hit.source.as_ref()).into_owned(),
            year,
            one_line(&hit.lang.to_string()).into_owned(),
            format!("score {:.2}", hit.score),
        ];
        meta.extend(hit.topics.iter().map(|t| one_line(t.as_ref()).into_owned()));
        for line in wrapped(
            &meta,
            " · ",
            style.width.unwrap_or(usize::MAX).saturating_sub(3),
        ) {
            writeln!(out, "   {}", style.dim(&line))?;
        }
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
        "document matches"
    } else {
        "documents match"
    };
    writeln!(
        out,
        "{} {noun} {}{shown}",
        results.total,
        quoted(&results.query)
    )?;
    if results.total > 0 {
        write_facets(out, &results.facets, keywords, None, style)?;
    }
    Ok(())
}

/// Parts joined by `separator` into lines of at most `width` columns, broken
/// between parts only (a part longer than the width gets a line of its own).
fn wrapped(parts: &[String], separator: &str, width: usize) -> Vec<String> {
    let columns = |text: &str| text.chars().count();
    let mut lines = Vec::new();
    let mut line = String::new();
    for part in parts {
        if !line.is_empty() && columns(&line) + columns(separator) + columns(part) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push_str(separator);
        }
        line.push_str(part);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
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

/// The paragraphs of `body` that hold a match, with `around` paragraphs
/// before and after each, highlighted; runs left out are marked `[…]`.
/// Paragraphs are separated by blank lines or page breaks.
pub fn matching_paragraphs(
    body: &str,
    highlights: &[(usize, usize)],
    around: usize,
    style: Style,
) -> String {
    // Byte ranges of the paragraphs.
    let mut paragraphs: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let at_break =
            bytes[i] == b'\x0c' || (bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n'));
        if at_break {
            if body[start..i].trim().is_empty() {
                start = i + 1;
            } else {
                paragraphs.push((start, i));
                start = i + 1;
            }
        }
        i += 1;
    }
    if !body[start.min(body.len())..].trim().is_empty() {
        paragraphs.push((start, body.len()));
    }
    // A text without blank lines between its paragraphs (a speech of one
    // line per paragraph, or hard-wrapped) is read line by line.
    let lines_only = paragraphs
        .iter()
        .any(|&(from, to)| body[from..to].lines().count() > 20);
    if lines_only {
        paragraphs.clear();
        let mut from = 0;
        for line in body.split_inclusive(['\n', '\x0c']) {
            let to = from + line.len();
            if !line.trim().is_empty() {
                paragraphs.push((from, to));
            }
            from = to;
        }
    }
    // Without the newlines around them, so that offsets stay as they are.
    for (from, to) in paragraphs.iter_mut() {
        while *from < *to && bytes[*from] == b'\n' {
            *from += 1;
        }
        while *to > *from && matches!(bytes[*to - 1], b'\n' | b'\x0c') {
            *to -= 1;
        }
    }
    let holds = |&(from, to): &(usize, usize)| highlights.iter().any(|&(a, _)| a >= from && a < to);
    let mut keep = vec![false; paragraphs.len()];
    for (p, range) in paragraphs.iter().enumerate() {
        if holds(range) {
            let first = p.saturating_sub(around);
            let last = p.saturating_add(around).min(paragraphs.len() - 1);
            keep[first..=last].iter_mut().for_each(|k| *k = true);
        }
    }
    let mut out = String::new();
    let mut skipped = false;
    for (p, &(from, to)) in paragraphs.iter().enumerate() {
        if !keep[p] {
            skipped = true;
            continue;
        }
        let separator = if lines_only { "\n" } else { "\n\n" };
        if skipped {
            out.push_str(&format!("{separator}[…]{separator}"));
        } else if !out.is_empty() {
            out.push_str(separator);
        }
        skipped = false;
        let local: Vec<(usize, usize)> = highlights
            .iter()
            .filter(|&&(a, b)| a >= from && b <= to)
            .map(|&(a, b)| (a - from, b - from))
            .collect();
        out.push_str(&highlighted(&body[from..to], &local, style));
    }
    if skipped && !out.is_empty() {
        out.push_str(if lines_only { "\n[…]" } else { "\n\n[…]" });
    }
    out
}

/// Facet counts: years in order, sources, languages and topics by count,
/// then the keyword fields asked for (`--facet country`).
/// `keyword_values`: at most this many values of each keyword field (the
/// most frequent), and how many more there are; `None` for all of them.
pub fn write_facets(
    out: &mut dyn Write,
    facets: &FacetCounts,
    keywords: &[String],
    keyword_values: Option<usize>,
    style: Style,
) -> io::Result<()> {
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
    write_facet_line(out, "topic", &by_count(&facets.topic), style)?;
    let none = BTreeMap::new();
    for name in keywords {
        let values = facets.fields.get(name).unwrap_or(&none);
        let entries = by_count(values);
        write_facet_line(out, name, &most_of(entries, keyword_values), style)?;
    }
    Ok(())
}

/// The first `most` entries, and a last one saying how many are left out.
fn most_of(mut entries: Vec<String>, most: Option<usize>) -> Vec<String> {
    if let Some(most) = most
        && entries.len() > most
    {
        let more = entries.len() - most;
        entries.truncate(most);
        entries.push(format!("… {more} more"));
    }
    entries
}

fn write_facet_line(
    out: &mut dyn Write,
    name: &str,
    entries: &[String],
    style: Style,
) -> io::Result<()> {
    let indent = 7.max(name.chars().count() + 1);
    let label = style.label(&format!("{name:<indent$}"));
    if entries.is_empty() {
        return writeln!(out, "{label}{}", style.dim("(none)"));
    }
    // Wrapped between entries, never inside one.
    let width = style.width.unwrap_or(FACET_LINE_WIDTH);
    let columns = |text: &str| text.chars().count();
    let mut line = String::new();
    let mut first_line = true;
    for entry in entries {
        if !line.is_empty() && indent + columns(&line) + 2 + columns(entry) > width {
            let prefix = if first_line {
                label.clone()
            } else {
                " ".repeat(indent)
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
    let prefix = if first_line {
        label
    } else {
        " ".repeat(indent)
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_facet_list_is_cut_with_a_count() {
        let entries: Vec<String> = (0..5).map(|i| format!("v{i} (1)")).collect();
        assert_eq!(
            most_of(entries.clone(), Some(2)),
            ["v0 (1)", "v1 (1)", "… 3 more"]
        );
        assert_eq!(most_of(entries.clone(), Some(5)), entries);
        assert_eq!(most_of(entries.clone(), None), entries);
    }
}
