//! The concordance (key word in context): one line per occurrence, with left
//! and right context aligned on the match, or occurrences per document.

use std::io::{self, Write};

use serde::Serialize;

use super::style::Style;
use crate::Result;
use crate::index::DossierIndex;
use crate::search::SearchRequest;
use crate::search::occurrences::for_each_match;
use crate::search::pages::PageBreaks;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum KwicSort {
    /// By document id, then position in the document.
    #[default]
    Document,
    /// By year (unknown last), then document.
    Year,
    /// By the words just left of the match, nearest first.
    Left,
    /// By the words just right of the match.
    Right,
}

#[derive(Debug, Clone, Serialize)]
pub struct KwicLine {
    pub id: String,
    pub year: Option<u64>,
    pub page: Option<u32>,
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
    #[serde(skip)]
    offset: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentCount {
    pub id: String,
    pub count: usize,
}

/// All concordance lines of a request, sorted.
pub fn concordance(
    index: &DossierIndex,
    request: &SearchRequest,
    width: usize,
    sort: KwicSort,
) -> Result<Vec<KwicLine>> {
    let per_document = for_each_match(index, request, |occ| {
        let body = &occ.document.body;
        let pages = PageBreaks::new(body);
        occ.matches
            .iter()
            .map(|m| KwicLine {
                id: occ.document.id.clone(),
                year: occ.document.year,
                page: pages.page_at(m.start),
                left: left_context(&body[..m.start], width),
                matched: fold_whitespace(&body[m.start..m.end]),
                right: right_context(&body[m.end..], width),
                offset: m.start,
            })
            .collect::<Vec<_>>()
    })?;
    let mut lines: Vec<KwicLine> = per_document.into_iter().flatten().collect();
    match sort {
        KwicSort::Document => lines.sort_by(|a, b| (&a.id, a.offset).cmp(&(&b.id, b.offset))),
        KwicSort::Year => lines.sort_by(|a, b| {
            (a.year.unwrap_or(u64::MAX), &a.id, a.offset).cmp(&(
                b.year.unwrap_or(u64::MAX),
                &b.id,
                b.offset,
            ))
        }),
        KwicSort::Left => lines.sort_by_cached_key(|l| {
            let words: Vec<String> = l
                .left
                .split_whitespace()
                .rev()
                .map(str::to_lowercase)
                .collect();
            (words, l.id.clone(), l.offset)
        }),
        KwicSort::Right => {
            lines.sort_by_cached_key(|l| (l.right.to_lowercase(), l.id.clone(), l.offset))
        }
    }
    Ok(lines)
}

/// Occurrences per document, most first.
pub fn counts(index: &DossierIndex, request: &SearchRequest) -> Result<Vec<DocumentCount>> {
    let mut counts: Vec<DocumentCount> = for_each_match(index, request, |occ| DocumentCount {
        id: occ.document.id,
        count: occ.matches.len(),
    })?
    .into_iter()
    .filter(|c| c.count > 0)
    .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    Ok(counts)
}

fn fold_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last `width` characters before a match, white space folded.
fn left_context(before: &str, width: usize) -> String {
    let mut start = before.len().saturating_sub(width * 4 + 16);
    while !before.is_char_boundary(start) {
        start -= 1;
    }
    let mut folded = fold_whitespace(&before[start..]);
    if before[start..].ends_with(char::is_whitespace) && !folded.is_empty() {
        folded.push(' ');
    }
    let count = folded.chars().count();
    folded.chars().skip(count.saturating_sub(width)).collect()
}

/// The first `width` characters after a match, white space folded.
fn right_context(after: &str, width: usize) -> String {
    let mut end = after.len().min(width * 4 + 16);
    while !after.is_char_boundary(end) {
        end -= 1;
    }
    let mut folded = fold_whitespace(&after[..end]);
    if after.starts_with(char::is_whitespace) && !folded.is_empty() {
        folded.insert(0, ' ');
    }
    folded.chars().take(width).collect()
}

/// Left context right-aligned, the match, the right context: matches line up.
/// `all` is every line, of which the first `shown` are printed.
pub fn write_lines(
    out: &mut dyn Write,
    all: &[KwicLine],
    shown: usize,
    width: usize,
    style: Style,
) -> io::Result<()> {
    let lines = &all[..shown.min(all.len())];
    const MAX_ID: usize = 48;
    let id_width = lines
        .iter()
        .map(|l| l.id.chars().count())
        .max()
        .unwrap_or(0)
        .min(MAX_ID);
    let any_page = lines.iter().any(|l| l.page.is_some());
    for line in lines {
        let id = shorten_left(&line.id, MAX_ID);
        let year = line
            .year
            .map_or_else(|| "----".to_string(), |y| y.to_string());
        let page = match (any_page, line.page) {
            (true, Some(p)) => format!(" {:<6}", format!("p. {p}")),
            (true, None) => " ".repeat(7),
            _ => String::new(),
        };
        let pad = width.saturating_sub(line.left.chars().count());
        writeln!(
            out,
            "{}  {}{page}  {}{}{}{}",
            style.dim(&format!("{id:<id_width$}")),
            style.dim(&year),
            " ".repeat(pad),
            line.left,
            style.highlight(&line.matched),
            line.right
        )?;
    }
    let documents: std::collections::BTreeSet<&str> = all.iter().map(|l| l.id.as_str()).collect();
    let cut = if lines.len() < all.len() {
        format!(" (first {} shown; --limit changes that)", lines.len())
    } else {
        String::new()
    };
    write_total(out, all.len(), documents.len(), cut)
}

fn write_total(
    out: &mut dyn Write,
    occurrences: usize,
    documents: usize,
    cut: String,
) -> io::Result<()> {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    writeln!(
        out,
        "{occurrences} occurrence{} in {documents} document{}{cut}",
        plural(occurrences),
        plural(documents)
    )
}

/// `all` is every document's count, most first; the first `shown` are printed.
pub fn write_counts(out: &mut dyn Write, all: &[DocumentCount], shown: usize) -> io::Result<()> {
    let counts = &all[..shown.min(all.len())];
    let number_width = counts.first().map_or(1, |c| c.count.to_string().len());
    for c in counts {
        writeln!(out, "{:>number_width$}  {}", c.count, c.id)?;
    }
    let cut = if counts.len() < all.len() {
        format!(
            " (first {} documents shown; --limit changes that)",
            counts.len()
        )
    } else {
        String::new()
    };
    write_total(out, all.iter().map(|c| c.count).sum(), all.len(), cut)
}

fn shorten_left(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        text.to_string()
    } else {
        format!(
            "…{}",
            text.chars().skip(count - max + 1).collect::<String>()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_fold_and_cut() {
        assert_eq!(left_context("one two\n\nthree   ", 10), "two three ");
        assert_eq!(right_context(" four\nfive six", 9), " four fiv");
        assert_eq!(left_context("", 5), "");
        assert_eq!(left_context("é".repeat(50).as_str(), 3), "ééé");
    }
}
