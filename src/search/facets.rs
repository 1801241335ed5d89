//! Facet counts over every matching document (not only the page shown): year
//! from the numeric fast field, source, language and topic from their facet
//! columns.
//! A topic counts for itself and for each of its ancestors, once per document:
//! a document tagged `human-security/protection-of-civilians` counts under
//! `human-security` too.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::{SearchRequest, prepare};
use crate::Result;
use crate::index::{DossierIndex, index_error};
use crate::text::{LangCode, SourceId, TopicId};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    pub year: BTreeMap<u64, u64>,
    pub source: BTreeMap<SourceId, u64>,
    pub topic: BTreeMap<TopicId, u64>,
    pub lang: BTreeMap<LangCode, u64>,
    /// Keyword fields (`country` → `THA` → documents).
    pub fields: BTreeMap<String, BTreeMap<String, u64>>,
    /// Matching documents without a year (not in `year`).
    pub without_year: u64,
    /// With a split: per source, topic or language, documents per year.
    #[serde(skip)]
    pub year_by_split: BTreeMap<String, BTreeMap<u64, u64>>,
}

/// A second facet to count years by, for `trend --split`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    Source,
    Topic,
    Lang,
    /// A keyword field a source's `fields` read (`country`).
    Field(String),
}

/// Facet counts of every document a request matches; with a split, also
/// documents per year for each source, topic or language. Returns how many
/// documents match, and their counts.
pub fn facet_counts(
    index: &DossierIndex,
    request: &SearchRequest,
    split: Option<Split>,
) -> Result<(usize, FacetCounts)> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let prepared = prepare(index, &searcher, request)?;
    searcher
        .search(&prepared.query, &(Count, FacetCollector::new(split)))
        .map_err(|e| index_error(&index.dir, e))
}

/// Counts years, sources, topics and languages of the documents it collects.
pub struct FacetCollector {
    year_field: &'static str,
    source_field: &'static str,
    topic_field: &'static str,
    lang_field: &'static str,
    field_field: &'static str,
    split: Option<Split>,
}

impl FacetCollector {
    pub fn new(split: Option<Split>) -> Self {
        FacetCollector {
            year_field: "year",
            source_field: "source",
            topic_field: "topic",
            lang_field: "lang",
            field_field: "field",
            split,
        }
    }
}

pub struct SegmentFacets {
    year: Column<u64>,
    source: FacetReader,
    topic: FacetReader,
    years: HashMap<u64, u64>,
    source_by_ord: Vec<u64>,
    lang: FacetReader,
    lang_by_ord: Vec<u64>,
    field: FacetReader,
    field_by_ord: Vec<u64>,
    /// Each keyword facet ordinal's (name, value).
    field_paths: Vec<(String, String)>,
    without_year: u64,
    /// For each topic ordinal, the indices of its path and ancestors in `topic_paths`.
    topic_ancestors: Vec<Vec<usize>>,
    topic_paths: Vec<String>,
    topic_counts: Vec<u64>,
    scratch: Vec<usize>,
    split: Option<Split>,
    /// (source or language ordinal, or topic path index, year) → documents.
    joint: HashMap<(usize, u64), u64>,
}

fn facet_path(reader: &FacetReader, ord: u64) -> String {
    let mut facet = Facet::root();
    if reader.facet_from_ord(ord, &mut facet).is_err() {
        return String::new();
    }
    facet.to_path().join("/")
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let year = segment.fast_fields().u64(self.year_field)?;
        let source = segment.facet_reader(self.source_field)?;
        let topic = segment.facet_reader(self.topic_field)?;
        let lang = segment.facet_reader(self.lang_field)?;
        let field = segment.facet_reader(self.field_field)?;
        let [sources, topics, langs, fields] = [&source, &topic, &lang, &field].map(checked_facets);
        let (sources, topics, langs, fields) = (sources?, topics?, langs?, fields?);
        let field_paths: Vec<(String, String)> = (0..fields as u64)
            .map(|ord| {
                let path = facet_path(&field, ord);
                match path.split_once('/') {
                    Some((name, value)) => (name.to_string(), value.to_string()),
                    None => (path, String::new()),
                }
            })
            .collect();
        let mut topic_paths: Vec<String> = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        let mut topic_ancestors = Vec::with_capacity(topics);
        for ord in 0..topics as u64 {
            let path = facet_path(&topic, ord);
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let mut ancestors = Vec::new();
            for depth in 1..=segments.len() {
                let prefix = segments[..depth].join("/");
                let next = topic_paths.len();
                let idx = *index_of.entry(prefix.clone()).or_insert(next);
                if idx == next {
                    topic_paths.push(prefix);
                }
                ancestors.push(idx);
            }
            topic_ancestors.push(ancestors);
        }
        Ok(SegmentFacets {
            year,
            source_by_ord: vec![0; sources],
            source,
            lang_by_ord: vec![0; langs],
            lang,
            field_by_ord: vec![0; fields],
            field,
            field_paths,
            without_year: 0,
            topic_counts: vec![0; topic_paths.len()],
            topic,
            topic_ancestors,
            topic_paths,
            years: HashMap::new(),
            scratch: Vec::new(),
            split: self.split.clone(),
            joint: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::default();
        for fruit in fruits {
            for (k, v) in fruit.year {
                *total.year.entry(k).or_default() += v;
            }
            for (k, v) in fruit.source {
                *total.source.entry(k).or_default() += v;
            }
            for (k, v) in fruit.topic {
                *total.topic.entry(k).or_default() += v;
            }
            for (k, v) in fruit.lang {
                *total.lang.entry(k).or_default() += v;
            }
            for (name, values) in fruit.fields {
                let target = total.fields.entry(name).or_default();
                for (value, n) in values {
                    *target.entry(value).or_default() += n;
                }
            }
            total.without_year += fruit.without_year;
            for (series, years) in fruit.year_by_split {
                let target = total.year_by_split.entry(series).or_default();
                for (year, n) in years {
                    *target.entry(year).or_default() += n;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let year = self.year.first(doc);
        match year {
            Some(year) => *self.years.entry(year).or_default() += 1,
            None => self.without_year += 1,
        }
        for ord in self.field.facet_ords(doc) {
            if let Some(count) = self.field_by_ord.get_mut(ord as usize) {
                *count += 1;
                if let (Some(Split::Field(name)), Some(year)) = (&self.split, year)
                    && self.field_paths[ord as usize].0 == *name
                {
                    *self.joint.entry((ord as usize, year)).or_default() += 1;
                }
            }
        }
        for ord in self.source.facet_ords(doc) {
            if let Some(count) = self.source_by_ord.get_mut(ord as usize) {
                *count += 1;
                if let (Some(Split::Source), Some(year)) = (&self.split, year) {
                    *self.joint.entry((ord as usize, year)).or_default() += 1;
                }
            }
        }
        for ord in self.lang.facet_ords(doc) {
            if let Some(count) = self.lang_by_ord.get_mut(ord as usize) {
                *count += 1;
                if let (Some(Split::Lang), Some(year)) = (&self.split, year) {
                    *self.joint.entry((ord as usize, year)).or_default() += 1;
                }
            }
        }
        self.scratch.clear();
        for ord in self.topic.facet_ords(doc) {
            if let Some(ancestors) = self.topic_ancestors.get(ord as usize) {
                self.scratch.extend_from_slice(ancestors);
            }
        }
        self.scratch.sort_unstable();
        self.scratch.dedup();
        for &idx in &self.scratch {
            self.topic_counts[idx] += 1;
            if let (Some(Split::Topic), Some(year)) = (&self.split, year) {
                *self.joint.entry((idx, year)).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut counts = FacetCounts {
            year: self.years.into_iter().collect(),
            without_year: self.without_year,
            ..FacetCounts::default()
        };
        for (ord, n) in self.field_by_ord.iter().enumerate() {
            if *n > 0 {
                let (name, value) = &self.field_paths[ord];
                *counts
                    .fields
                    .entry(name.clone())
                    .or_default()
                    .entry(value.clone())
                    .or_default() += n;
            }
        }
        for (ord, n) in self.source_by_ord.iter().enumerate() {
            if *n > 0 {
                let path = facet_path(&self.source, ord as u64);
                *counts
                    .source
                    .entry(SourceId::from_encoded(&path))
                    .or_default() += n;
            }
        }
        for (ord, n) in self.lang_by_ord.iter().enumerate() {
            if *n > 0 {
                let path = facet_path(&self.lang, ord as u64);
                *counts
                    .lang
                    .entry(LangCode::from_encoded(&path))
                    .or_default() += n;
            }
        }
        for (idx, n) in self.topic_counts.iter().enumerate() {
            if *n > 0 {
                *counts
                    .topic
                    .entry(TopicId::from_encoded(&self.topic_paths[idx]))
                    .or_default() += n;
            }
        }
        for ((key, year), n) in self.joint {
            let series = match &self.split {
                Some(Split::Source) => facet_path(&self.source, key as u64),
                Some(Split::Lang) => facet_path(&self.lang, key as u64),
                Some(Split::Field(_)) => self.field_paths[key].1.clone(),
                _ => self.topic_paths[key].clone(),
            };
            *counts
                .year_by_split
                .entry(series)
                .or_default()
                .entry(year)
                .or_default() += n;
        }
        counts
    }
}

/// How many facets a segment's reader holds, checked against its dictionary:
/// a corrupted dictionary footer can claim billions, and allocating for them
/// aborts the process (a panic could be caught; an allocation failure not).
fn checked_facets(reader: &FacetReader) -> tantivy::Result<usize> {
    let n = reader.num_facets();
    let mut last = Vec::new();
    if n > 0 && !reader.facet_dict().ord_to_term(n as u64 - 1, &mut last)? {
        return Err(tantivy::TantivyError::DataCorruption(
            tantivy::error::DataCorruption::comment_only(format!(
                "a facet dictionary claims {n} terms it does not hold"
            )),
        ));
    }
    Ok(n)
}
