//! The concordance on a terminal: left context right-aligned, the match, the
//! right context, so that matches line up; or occurrences per document.

use std::io::{self, Write};

use super::escape::one_line;
use super::style::Style;
use crate::search::concordance::{DocumentCount, KwicLine};

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
    // Ids are printed whole, so that `show` takes them back; a long one
    // pushes its line rather than widening the column for all.
    const ALIGNED_ID: usize = 48;
    let id_width = lines
        .iter()
        .map(|l| l.id.chars().count())
        .max()
        .unwrap_or(0)
        .min(ALIGNED_ID);
    let any_page = lines.iter().any(|l| l.page.is_some());
    for line in lines {
        let id = one_line(&line.id);
        let year = line
            .year
            .map_or_else(|| "----".to_string(), |y| y.to_string());
        let page = match (any_page, line.page) {
            (true, Some(p)) => format!(" {:<6}", format!("p. {p}")),
            (true, None) => " ".repeat(7),
            _ => String::new(),
        };
        let (left, right) = (one_line(&line.left), one_line(&line.right));
        let pad = width.saturating_sub(left.chars().count());
        writeln!(
            out,
            "{}  {}{page}  {}{left}{}{right}",
            style.dim(&format!("{id:<id_width$}")),
            style.dim(&year),
            " ".repeat(pad),
            style.highlight(&one_line(&line.matched)),
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
        writeln!(out, "{:>number_width$}  {}", c.count, one_line(&c.id))?;
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
