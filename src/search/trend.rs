//! Trends: matching documents (or occurrences) per year or decade, optionally
//! one series per source, topic or language. Document counts come from the
//! same facet collector as `search`'s facet counts, so the two always agree.
//! Charts, CSV and JSON are `views::trend`'s.

use std::collections::{BTreeMap, BTreeSet};

use super::occurrences::for_each_match;
use super::{SearchRequest, Split, facet_counts};
use crate::Result;
use crate::index::DossierIndex;
use crate::text::TopicId;

/// What a trend counts in: years or decades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrendBy {
    #[default]
    Year,
    Decade,
}

/// The series name when there is no split.
pub const ALL: &str = "all";

#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub query: String,
    pub by: TrendBy,
    pub occurrences: bool,
    /// Series name → bucket (year, or first year of the decade) → count.
    pub series: BTreeMap<String, BTreeMap<u64, u64>>,
}

fn bucket(by: TrendBy, year: u64) -> u64 {
    match by {
        TrendBy::Year => year,
        TrendBy::Decade => year / 10 * 10,
    }
}

pub fn compute(
    index: &DossierIndex,
    request: &SearchRequest,
    by: TrendBy,
    split: Option<Split>,
    occurrences: bool,
) -> Result<Trend> {
    let mut series: BTreeMap<String, BTreeMap<u64, u64>> = BTreeMap::new();
    let mut add = |name: &str, year: u64, n: u64| {
        if n > 0 {
            *series
                .entry(name.to_string())
                .or_default()
                .entry(bucket(by, year))
                .or_default() += n;
        }
    };
    if occurrences {
        let per_document = for_each_match(index, request, |occ| {
            let d = occ.document;
            (d.year, d.source, d.lang, d.topics, occ.matches.len() as u64)
        })?;
        for (year, source, lang, topics, n) in per_document {
            let Some(year) = year else { continue };
            match split {
                None => add(ALL, year, n),
                Some(Split::Source) => add(source.as_str(), year, n),
                Some(Split::Lang) => add(lang.as_str(), year, n),
                Some(Split::Topic) => {
                    for topic in with_ancestors(&topics) {
                        add(topic.as_str(), year, n);
                    }
                }
            }
        }
    } else {
        let (_, facets) = facet_counts(index, request, split)?;
        match split {
            None => {
                for (year, n) in &facets.year {
                    add(ALL, *year, *n);
                }
            }
            Some(_) => {
                for (name, years) in &facets.year_by_split {
                    for (year, n) in years {
                        add(name, *year, *n);
                    }
                }
            }
        }
    }
    Ok(Trend {
        query: request.query.clone(),
        by,
        occurrences,
        series,
    })
}

/// A document's topics and their ancestors, each once (as the facets count).
fn with_ancestors(topics: &[TopicId]) -> BTreeSet<TopicId> {
    topics.iter().flat_map(TopicId::with_ancestors).collect()
}

impl Trend {
    pub fn unit(&self) -> &'static str {
        if self.occurrences {
            "occurrences"
        } else {
            "documents"
        }
    }

    pub fn by_name(&self) -> &'static str {
        match self.by {
            TrendBy::Year => "year",
            TrendBy::Decade => "decade",
        }
    }

    /// Every bucket from the first to the last, so that gaps show as zeros.
    pub fn buckets(&self) -> Vec<u64> {
        let all: BTreeSet<u64> = self
            .series
            .values()
            .flat_map(|s| s.keys().copied())
            .collect();
        let (Some(first), Some(last)) = (all.first(), all.last()) else {
            return Vec::new();
        };
        let step = if self.by == TrendBy::Decade { 10 } else { 1 };
        (*first..=*last).step_by(step).collect()
    }

    /// Series names, largest total first.
    pub fn series_names(&self) -> Vec<&String> {
        let mut names: Vec<&String> = self.series.keys().collect();
        let total = |n: &String| -> u64 { self.series[n].values().sum() };
        names.sort_by(|a, b| total(b).cmp(&total(a)).then(a.cmp(b)));
        names
    }

    /// The series a chart draws: the `top` largest. CSV and JSON keep them all.
    pub fn chart_series(&self, top: usize) -> Vec<&String> {
        self.series_names().into_iter().take(top.max(1)).collect()
    }

    pub fn count(&self, series: &str, bucket: u64) -> u64 {
        self.series
            .get(series)
            .and_then(|s| s.get(&bucket))
            .copied()
            .unwrap_or(0)
    }
}
