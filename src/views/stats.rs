//! `dossier stats` on a terminal.

use std::io::{self, Write};

use super::style::Style;
use super::terminal::write_facets;
use crate::search::stats::Stats;

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
        stats.last_refresh.clone().unwrap_or_else(|| "never".into()),
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
    write_facets(out, &stats.facets, style)
}
