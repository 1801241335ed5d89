//! What the index holds: documents per source, year, language and topic, its
//! size on disk, and when it was last refreshed from which folder
//! (`dossier stats`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{FacetCounts, SearchRequest, Split, facet_counts};
use crate::Result;
use crate::index::DossierIndex;
use crate::text::{LangCode, SourceId, TopicId};

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub documents_without_year: u64,
    pub sources: BTreeMap<SourceId, u64>,
    pub years: BTreeMap<String, u64>,
    pub langs: BTreeMap<LangCode, u64>,
    pub topics: BTreeMap<TopicId, u64>,
    pub index: String,
    pub index_bytes: u64,
    pub last_refresh: Option<String>,
    /// The last refresh's generation: what `export --since` takes.
    pub commit: u64,
    pub sources_folder: Option<String>,
    /// Each source's first and last year (a folder of resolutions that
    /// stops in 1994 says so here).
    pub source_years: BTreeMap<SourceId, (u64, u64)>,
    /// The same counts, as `search` prints them.
    #[serde(skip)]
    pub facets: FacetCounts,
}

pub fn compute(index: &DossierIndex) -> Result<Stats> {
    let (total, facets) = facet_counts(index, &SearchRequest::new("*"), Some(Split::Source))?;
    let source_years = facets
        .year_by_split
        .iter()
        .filter_map(|(source, years)| {
            let first = *years.keys().next()?;
            let last = *years.keys().next_back()?;
            Some((SourceId::from_encoded(source), (first, last)))
        })
        .collect();
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
        commit: info.as_ref().map_or(0, |i| i.generation),
        sources_folder: info.map(|i| i.sources),
        source_years,
        facets,
    })
}
