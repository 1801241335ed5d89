//! The concordance on a terminal: left context right-aligned, the match, the
//! right context, so that matches line up; or occurrences per document.

use std::fmt::Write as _;
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
    // On a terminal too narrow for the id and useful contexts on one line,
    // each document's id heads its lines instead.
    let marks = if style.color { 0 } else { 4 };
    let widest_match = lines
        .iter()
        .map(|l| one_line(&l.matched).chars().count() + marks)
        .max()
        .unwrap_or(0);
    let fixed = id_width + 2 + 4 + if any_page { 7 } else { 0 } + 2;
    if let Some(columns) = style.width
        && columns < fixed + widest_match + 2 * USEFUL_CONTEXT.min(width)
    {
        write_stacked(out, lines, columns, width, marks, style)?;
        return write_summary(out, all, lines);
    }
    // Each line is built in one reused buffer: a concordance prints tens of
    // thousands of lines, and an allocation per piece was a fifth of its time.
    let mut buffer = String::new();
    let mut cell = String::new();
    for line in lines {
        let id = one_line(&line.id);
        let id_columns = id_width.max(id.chars().count());
        buffer.clear();
        // The id padded to its column, dimmed with its padding.
        cell.clear();
        write!(cell, "{id:<id_width$}").expect("writing to a String");
        style.push_dim(&mut buffer, &cell);
        buffer.push_str("  ");
        cell.clear();
        match line.year {
            Some(y) => write!(cell, "{y}"),
            None => write!(cell, "----"),
        }
        .expect("writing to a String");
        let year_width = cell.chars().count();
        style.push_dim(&mut buffer, &cell);
        let mut page_width = 0;
        if any_page {
            let at = buffer.len();
            match line.page {
                Some(p) => {
                    cell.clear();
                    write!(cell, "p. {p}").expect("writing to a String");
                    write!(buffer, " {cell:<6}").expect("writing to a String");
                }
                None => buffer.push_str("       "),
            }
            page_width = buffer[at..].chars().count();
        }
        buffer.push_str("  ");
        let (left, right) = (one_line(&line.left), one_line(&line.right));
        let matched = one_line(&line.matched);
        // On a terminal, the contexts give way so that the line fits.
        let fixed = id_columns + 2 + year_width + page_width + 2;
        let matched_width = matched.chars().count() + marks;
        let side = match style.width {
            Some(columns) => width.min(columns.saturating_sub(fixed + matched_width) / 2),
            None => width,
        };
        let left = keep_right(&left, side);
        let right = keep_left(&right, side);
        let pad = side.saturating_sub(left.chars().count());
        buffer.extend(std::iter::repeat_n(' ', pad));
        buffer.push_str(left);
        style.push_highlight(&mut buffer, &matched);
        buffer.push_str(right);
        buffer.push('\n');
        out.write_all(buffer.as_bytes())?;
    }
    write_summary(out, all, lines)
}

fn write_summary(out: &mut dyn Write, all: &[KwicLine], lines: &[KwicLine]) -> io::Result<()> {
    let documents: std::collections::BTreeSet<&str> = all.iter().map(|l| l.id.as_str()).collect();
    let cut = if lines.len() < all.len() {
        format!(" (first {} shown; --limit changes that)", lines.len())
    } else {
        String::new()
    };
    write_total(out, all.len(), documents.len(), cut)
}

/// Context a line should keep on each side to be worth reading.
const USEFUL_CONTEXT: usize = 15;

/// The narrow layout: a document's id, year and page on a line, then its
/// matches indented, each context cut to fit `columns`.
fn write_stacked(
    out: &mut dyn Write,
    lines: &[KwicLine],
    columns: usize,
    width: usize,
    marks: usize,
    style: Style,
) -> io::Result<()> {
    let mut heading: Option<(String, Option<u64>, Option<u32>)> = None;
    for line in lines {
        let this = (line.id.clone(), line.year, line.page);
        if heading.as_ref() != Some(&this) {
            let year = line.year.map_or_else(|| "----".into(), |y| y.to_string());
            let page = line.page.map(|p| format!("  p. {p}")).unwrap_or_default();
            writeln!(
                out,
                "{}",
                style.dim(&format!("{}  {year}{page}", one_line(&line.id)))
            )?;
            heading = Some(this);
        }
        let (left, right) = (one_line(&line.left), one_line(&line.right));
        let matched = one_line(&line.matched);
        let side = width.min(columns.saturating_sub(4 + matched.chars().count() + marks) / 2);
        let left = keep_right(&left, side);
        let right = keep_left(&right, side);
        let pad = side.saturating_sub(left.chars().count());
        writeln!(
            out,
            "    {}{left}{}{right}",
            " ".repeat(pad),
            style.highlight(&matched)
        )?;
    }
    Ok(())
}

/// The last `n` characters of `text`.
fn keep_right(text: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    match text.char_indices().rev().nth(n - 1) {
        Some((at, _)) => &text[at..],
        None => text,
    }
}

/// The first `n` characters of `text`.
fn keep_left(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((at, _)) => &text[..at],
        None => text,
    }
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
