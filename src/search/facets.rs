//! Facet counts over every matching document (not only the page shown): year
//! from the numeric fast field, source, language and topic from their facet
//! columns.
//! A topic counts for itself and for each of its ancestors, once per document:
//! a document tagged `human-security/protection-of-civilians` counts under
//! `human-security` too.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
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
    source: FacetColumn,
    topic: FacetColumn,
    /// Counted for every matching document: hashed the fast way (SipHash was
    /// an eighth of collecting; the keys are years and ordinals from the
    /// index, and every count ends in a BTreeMap, so order does not matter).
    years: FxHashMap<u64, u64>,
    source_by_ord: Vec<u64>,
    lang: FacetColumn,
    lang_by_ord: Vec<u64>,
    field: FacetColumn,
    field_by_ord: Vec<u64>,
    /// With `trend --split <field>`: which keyword facet ordinals are values
    /// of that field.
    field_in_split: Vec<bool>,
    without_year: u64,
    /// For each topic ordinal met so far, the indices of its path and
    /// ancestors in `topic_paths`: made when a matching document first has
    /// it, so a search that matches little reads few topic names.
    topic_ancestors: Vec<Option<Vec<usize>>>,
    topic_paths: Vec<String>,
    topic_index: FxHashMap<String, usize>,
    topic_counts: Vec<u64>,
    /// The document each topic path was last counted for, so that a
    /// document counts once under an ancestor several of its topics share,
    /// without sorting its ancestors to drop the repeats (some 250
    /// instructions a document, an eighth of counting its facets).
    topic_counted_for: Vec<DocId>,
    ords: Vec<u64>,
    split: Option<Split>,
    /// (source or language ordinal, or topic path index, year) → documents.
    joint: FxHashMap<(usize, u64), u64>,
}

impl SegmentFacets {
    /// Counts document `doc` under topic ordinal `ord` and each of its
    /// ancestors, once per document however many of its topics share one.
    fn count_topic(&mut self, ord: u64, doc: DocId, year: Option<u64>) {
        let at = ord as usize;
        if self.topic_ancestors[at].is_none() {
            self.topic_ancestors[at] = Some(self.ancestors_of(ord));
        }
        let Some(ancestors) = &self.topic_ancestors[at] else {
            return;
        };
        for &idx in ancestors {
            if self.topic_counted_for[idx] == doc {
                continue;
            }
            self.topic_counted_for[idx] = doc;
            self.topic_counts[idx] += 1;
            if let (Some(Split::Topic), Some(year)) = (&self.split, year) {
                *self.joint.entry((idx, year)).or_default() += 1;
            }
        }
    }

    /// The indices in `topic_paths` of a topic ordinal's path and its
    /// ancestors', adding the paths not met before.
    fn ancestors_of(&mut self, ord: u64) -> Vec<usize> {
        let path = self.topic.path(ord);
        let mut ancestors = Vec::new();
        // Each ancestor's path in turn, one segment longer each time;
        // copied only when first met.
        let mut prefix = String::with_capacity(path.len());
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(segment);
            let idx = match self.topic_index.get(prefix.as_str()) {
                Some(&idx) => idx,
                None => {
                    let idx = self.topic_paths.len();
                    self.topic_index.insert(prefix.clone(), idx);
                    self.topic_paths.push(prefix.clone());
                    self.topic_counts.push(0);
                    self.topic_counted_for.push(NOT_COUNTED);
                    idx
                }
            };
            ancestors.push(idx);
        }
        ancestors
    }
}

/// No document: a segment's documents are numbered below `i32::MAX`.
const NOT_COUNTED: DocId = DocId::MAX;

/// A keyword facet's (name, value): `country/THA` → (`country`, `THA`).
fn field_name_and_value(column: &mut FacetColumn, ord: u64) -> (String, String) {
    let path = column.path(ord);
    match path.split_once('/') {
        Some((name, value)) => (name.to_string(), value.to_string()),
        None => (path, String::new()),
    }
}

/// A segment's facet column, and the paths of its ordinals.
struct FacetColumn {
    reader: FacetReader,
    len: usize,
    /// Every ordinal's path, read in one pass over the dictionary the first
    /// time a path is asked for, when the dictionary is small: a lookup by
    /// ordinal decodes the dictionary's block from its start (some 3,000
    /// instructions), and naming a search's counts asks for dozens.
    paths: Option<Vec<String>>,
}

/// Dictionaries up to this many facets are read whole when one is named.
const READ_WHOLE_DICTIONARY: usize = 4096;

impl FacetColumn {
    fn new(reader: FacetReader) -> tantivy::Result<Self> {
        Ok(FacetColumn {
            len: checked_facets(&reader)?,
            reader,
            paths: None,
        })
    }

    /// The path of facet `ord` (`topic/sub`), empty when there is none.
    fn path(&mut self, ord: u64) -> String {
        if self.len <= READ_WHOLE_DICTIONARY {
            let (reader, len) = (&self.reader, self.len);
            let paths = self.paths.get_or_insert_with(|| all_paths(reader, len));
            if let Some(path) = paths.get(ord as usize) {
                return path.clone();
            }
        }
        facet_path(&self.reader, ord)
    }
}

/// The paths of a facet dictionary's `len` terms in ordinal order, each
/// block read once; empty when the dictionary does not read as `len` terms
/// (each path is then looked up alone, as before this pass existed). Read
/// through ordinals, not tantivy's `Streamer`, which unwraps a block it
/// cannot read: a damaged block must not turn counts into a panic.
fn all_paths(reader: &FacetReader, len: usize) -> Vec<String> {
    let ords: Vec<u64> = (0..len as u64).collect();
    let mut paths = Vec::with_capacity(len);
    let mut readable = true;
    let found =
        reader.facet_dict().sorted_ords_to_term_cb(&ords, |bytes| {
            match Facet::from_encoded(bytes.to_vec()) {
                Ok(facet) => paths.push(facet.to_path().join("/")),
                Err(_) => readable = false,
            }
        });
    if matches!(found, Ok(true)) && readable && paths.len() == len {
        paths
    } else {
        Vec::new()
    }
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
        let (source, topic) = (FacetColumn::new(source)?, FacetColumn::new(topic)?);
        let (lang, mut field) = (FacetColumn::new(lang)?, FacetColumn::new(field)?);
        let (sources, topics, langs, fields) = (source.len, topic.len, lang.len, field.len);
        // Only a split by a keyword field needs names while collecting;
        // counts are named when harvested, for the ordinals that have one.
        let field_in_split = match &self.split {
            Some(Split::Field(name)) => (0..fields as u64)
                .map(|ord| field_name_and_value(&mut field, ord).0 == *name)
                .collect(),
            _ => Vec::new(),
        };
        Ok(SegmentFacets {
            year,
            source_by_ord: vec![0; sources],
            source,
            lang_by_ord: vec![0; langs],
            lang,
            field_by_ord: vec![0; fields],
            field,
            field_in_split,
            without_year: 0,
            years: FxHashMap::default(),
            topic_ancestors: vec![None; topics],
            topic_paths: Vec::new(),
            topic_index: FxHashMap::default(),
            topic_counts: Vec::new(),
            topic_counted_for: Vec::new(),
            topic,
            ords: Vec::new(),
            split: self.split.clone(),
            joint: FxHashMap::default(),
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
        for ord in self.field.reader.facet_ords(doc) {
            if let Some(count) = self.field_by_ord.get_mut(ord as usize) {
                *count += 1;
                if let (Some(Split::Field(_)), Some(year)) = (&self.split, year)
                    && self.field_in_split.get(ord as usize) == Some(&true)
                {
                    *self.joint.entry((ord as usize, year)).or_default() += 1;
                }
            }
        }
        for ord in self.source.reader.facet_ords(doc) {
            if let Some(count) = self.source_by_ord.get_mut(ord as usize) {
                *count += 1;
                if let (Some(Split::Source), Some(year)) = (&self.split, year) {
                    *self.joint.entry((ord as usize, year)).or_default() += 1;
                }
            }
        }
        for ord in self.lang.reader.facet_ords(doc) {
            if let Some(count) = self.lang_by_ord.get_mut(ord as usize) {
                *count += 1;
                if let (Some(Split::Lang), Some(year)) = (&self.split, year) {
                    *self.joint.entry((ord as usize, year)).or_default() += 1;
                }
            }
        }
        self.ords.clear();
        self.ords.extend(self.topic.reader.facet_ords(doc));
        for i in 0..self.ords.len() {
            let ord = self.ords[i];
            if (ord as usize) < self.topic_ancestors.len() {
                self.count_topic(ord, doc, year);
            }
        }
    }

    fn harvest(mut self) -> FacetCounts {
        let mut counts = FacetCounts {
            year: self.years.into_iter().collect(),
            without_year: self.without_year,
            ..FacetCounts::default()
        };
        for (ord, n) in self.field_by_ord.iter().enumerate() {
            if *n > 0 {
                let (name, value) = field_name_and_value(&mut self.field, ord as u64);
                *counts
                    .fields
                    .entry(name)
                    .or_default()
                    .entry(value)
                    .or_default() += n;
            }
        }
        for (ord, n) in self.source_by_ord.iter().enumerate() {
            if *n > 0 {
                let path = self.source.path(ord as u64);
                *counts
                    .source
                    .entry(SourceId::from_encoded(&path))
                    .or_default() += n;
            }
        }
        for (ord, n) in self.lang_by_ord.iter().enumerate() {
            if *n > 0 {
                let path = self.lang.path(ord as u64);
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
                Some(Split::Source) => self.source.path(key as u64),
                Some(Split::Lang) => self.lang.path(key as u64),
                Some(Split::Field(_)) => field_name_and_value(&mut self.field, key as u64).1,
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
