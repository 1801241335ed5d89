//! `dossier stats` on a terminal.

use std::io::{self, Write};

use super::style::Style;
use super::terminal::write_facets;
use crate::search::stats::Stats;

/// The values of each keyword field `stats` lists: the most frequent.
const STATS_KEYWORD_VALUES: usize = 12;

pub fn write_stats(out: &mut dyn Write, stats: &Stats, style: Style) -> io::Result<()> {
    let row = |out: &mut dyn Write, name: &str, value: String| {
        writeln!(
            out,
            "{}{}",
            style.label(&format!("{name:<14}")),
            super::escape::one_line(&value)
        )
    };
    row(
        out,
        "documents",
        format!(
            "{} ({} without a year)",
            stats.documents, stats.documents_without_year
        ),
    )?;
    row(
        out,
        "index",
        format!("{} ({:.1} MB)", stats.index, stats.index_bytes as f64 / 1e6),
    )?;
    row(
        out,
        "last refresh",
        match &stats.last_refresh {
            Some(at) => format!("{at} (commit {})", stats.commit),
            None => "never".into(),
        },
    )?;
    row(
        out,
        "sources from",
        stats
            .sources_folder
            .clone()
            .unwrap_or_else(|| "unknown".into()),
    )?;
    writeln!(out)?;
    // Each source: its documents and the years they span.
    let width = stats
        .sources
        .keys()
        .map(|s| s.as_str().chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    for (source, n) in &stats.sources {
        let years = match stats.source_years.get(source) {
            Some((first, last)) if first == last => format!("{first}"),
            Some((first, last)) => format!("{first}–{last}"),
            None => "no year".to_string(),
        };
        writeln!(
            out,
            "{}  {n:>7}  {}",
            style.label(&format!(
                "{:<width$}",
                super::escape::one_line(source.as_str())
            )),
            years
        )?;
    }
    writeln!(out)?;
    // An overview: a keyword field can hold hundreds of values (countries,
    // sessions); `search '*' --facet NAME` lists them all.
    let keywords: Vec<String> = stats.facets.fields.keys().cloned().collect();
    write_facets(
        out,
        &stats.facets,
        &keywords,
        Some(STATS_KEYWORD_VALUES),
        style,
    )?;
    if stats
        .facets
        .fields
        .values()
        .any(|values| values.len() > STATS_KEYWORD_VALUES)
    {
        writeln!(
            out,
            "{}",
            style.dim("(all values of a keyword field: dossier search '*' --limit 0 --facet NAME)")
        )?;
    }
    Ok(())
}
