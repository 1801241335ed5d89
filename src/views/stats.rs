//! `dossier stats`: what the index holds: documents per source, year, language and topic,
//! its size on disk, and when it was last refreshed from which folder.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::style::Style;
use super::terminal::write_facets;
use crate::Result;
use crate::index::DossierIndex;
use crate::search::{FacetCounts, SearchRequest, facet_counts};

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub documents_without_year: u64,
    pub sources: BTreeMap<String, u64>,
    pub years: BTreeMap<String, u64>,
    pub langs: BTreeMap<String, u64>,
    pub topics: BTreeMap<String, u64>,
    pub index: String,
    pub index_bytes: u64,
    pub last_refresh: Option<String>,
    pub sources_folder: Option<String>,
    #[serde(skip)]
    facets: FacetCounts,
}

pub fn compute(index: &DossierIndex) -> Result<Stats> {
    let (total, facets) = facet_counts(index, &SearchRequest::new("*"), None)?;
    let info = index.commit_info();
    let with_year: u64 = facets.year.values().sum();
    Ok(Stats {
        documents: total as u64,
        documents_without_year: total as u64 - with_year,
        sources: facets.source.clone(),
        years: facets
            .year
            .iter()
            .map(|(y, n)| (y.to_string(), *n))
            .collect(),
        langs: facets.lang.clone(),
        topics: facets.topic.clone(),
        index: index.dir.display().to_string(),
        index_bytes: crate::index::folder_bytes(&index.dir),
        last_refresh: info.as_ref().map(|i| i.refreshed_at.clone()),
        sources_folder: info.map(|i| i.sources),
        facets,
    })
}

pub fn write_stats(out: &mut dyn Write, stats: &Stats, style: Style) -> io::Result<()> {
    let row = |out: &mut dyn Write, name: &str, value: String| {
        writeln!(out, "{}{value}", style.label(&format!("{name:<14}")))
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
