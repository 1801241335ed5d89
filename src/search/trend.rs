//! Trends: matching documents (or occurrences) per year or decade, optionally
//! one series per source, topic or language. Document counts come from the
//! same facet collector as `search`'s facet counts, so the two always agree.
//! Charts, CSV and JSON are `views::trend`'s.

use std::collections::{BTreeMap, BTreeSet};

use super::occurrences::for_each_match;
use super::{SearchRequest, Split, facet_counts};
use crate::Result;
use crate::index::DossierIndex;
use crate::text::{TopicId, YearRange};

/// What a trend counts in: years or decades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrendBy {
    #[default]
    Year,
    Decade,
}

/// The series name when there is no split.
pub const ALL: &str = "all";

/// How many documents a query matched, each counted once, and how many of
/// them have no year (and so stand in no bucket).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Matched {
    pub documents: u64,
    pub without_year: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// The queries, one series each when there are several.
    pub queries: Vec<String>,
    pub by: TrendBy,
    pub occurrences: bool,
    /// Series name → bucket (year, or first year of the decade) → count.
    pub series: BTreeMap<String, BTreeMap<u64, u64>>,
    /// Per query: the documents it matched, once each.
    pub matched: Vec<Matched>,
    /// With `share`: every document per bucket under the same filters, the
    /// denominator of each share.
    pub base: Option<BTreeMap<u64, u64>>,
    /// The years asked for (`--year`): buckets cover them, zeros included.
    pub years: Option<YearRange>,
}

fn bucket(by: TrendBy, year: u64) -> u64 {
    match by {
        TrendBy::Year => year,
        TrendBy::Decade => year / 10 * 10,
    }
}

/// What a trend counts: one request per query (the same filters), per year
/// or decade, split or not, documents or occurrences, shares or counts.
#[derive(Debug, Clone)]
pub struct TrendRequest {
    pub requests: Vec<SearchRequest>,
    pub by: TrendBy,
    /// With one query only.
    pub split: Option<Split>,
    pub occurrences: bool,
    pub share: bool,
}

pub fn compute(index: &DossierIndex, asked: &TrendRequest) -> Result<Trend> {
    let by = asked.by;
    let several = asked.requests.len() > 1;
    let mut series: BTreeMap<String, BTreeMap<u64, u64>> = BTreeMap::new();
    let mut matched = Vec::with_capacity(asked.requests.len());
    for request in &asked.requests {
        let mut add = |name: &str, year: u64, n: u64| {
            let name = if several {
                request.query.as_str()
            } else {
                name
            };
            let counts = series.entry(name.to_string()).or_default();
            if n > 0 {
                *counts.entry(bucket(by, year)).or_default() += n;
            }
        };
        let split = if several { None } else { asked.split.clone() };
        let (total, facets) = facet_counts(index, request, split.clone())?;
        matched.push(Matched {
            documents: total as u64,
            without_year: facets.without_year,
        });
        if asked.occurrences {
            let per_document = for_each_match(index, request, |occ| {
                let d = occ.document;
                (
                    d.year,
                    d.source,
                    d.lang,
                    d.topics,
                    d.fields,
                    occ.matches.len() as u64,
                )
            })?;
            for (year, source, lang, topics, fields, n) in per_document {
                let Some(year) = year else { continue };
                match &split {
                    None => add(ALL, year, n),
                    Some(Split::Source) => add(source.as_str(), year, n),
                    Some(Split::Lang) => add(lang.as_str(), year, n),
                    Some(Split::Field(name)) => {
                        if let Some(value) = fields.get(name) {
                            add(value, year, n);
                        }
                    }
                    Some(Split::Topic) => {
                        for topic in with_ancestors(&topics) {
                            add(topic.as_str(), year, n);
                        }
                    }
                }
            }
        } else {
            match &split {
                None => {
                    add(ALL, 0, 0);
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
    }
    let base = match (asked.share, asked.requests.first()) {
        (true, Some(first)) => {
            let everything = SearchRequest {
                query: "*".into(),
                plain: false,
                ..first.clone()
            };
            let (_, facets) = facet_counts(index, &everything, None)?;
            let mut base = BTreeMap::new();
            for (year, n) in facets.year {
                *base.entry(bucket(by, year)).or_default() += n;
            }
            Some(base)
        }
        _ => None,
    };
    Ok(Trend {
        queries: asked.requests.iter().map(|r| r.query.clone()).collect(),
        by,
        occurrences: asked.occurrences,
        series,
        matched,
        base,
        years: asked.requests.first().and_then(|r| r.years),
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

    /// Every bucket from the first to the last, so that gaps show as zeros;
    /// from and to the years asked for, when they were. With shares, every
    /// year that has documents counts: a year where nothing matches is a 0 %
    /// share, which a comparison needs to see.
    pub fn buckets(&self) -> Vec<u64> {
        let all: BTreeSet<u64> = self
            .series
            .values()
            .flat_map(|s| s.keys().copied())
            .chain(self.base.iter().flat_map(|b| b.keys().copied()))
            .collect();
        let asked = |end: Option<u64>| end.map(|y| bucket(self.by, y));
        let first = asked(self.years.and_then(|y| y.start)).or(all.first().copied());
        let last = asked(self.years.and_then(|y| y.end)).or(all.last().copied());
        let (Some(first), Some(last)) = (first, last) else {
            return Vec::new();
        };
        let step = if self.by == TrendBy::Decade { 10 } else { 1 };
        (first..=last.max(first)).step_by(step).collect()
    }

    /// The share of a bucket's documents a count is (0 when it has none),
    /// with `share`; `None` without.
    pub fn share(&self, series: &str, bucket: u64) -> Option<f64> {
        let base = self.base.as_ref()?;
        let all = base.get(&bucket).copied().unwrap_or(0);
        Some(if all == 0 {
            0.0
        } else {
            self.count(series, bucket) as f64 / all as f64
        })
    }

    /// The query as one text: `'a', 'b'` when there are several.
    pub fn query_text(&self) -> String {
        self.queries.join(" | ")
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
