//! A document as the index stored it: what hits, `show`, the research views
//! and export read back.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::directory::OwnedBytes;
use tantivy::error::DataCorruption;
use tantivy::query::TermQuery;
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue};
use tantivy::store::StoreReader;
use tantivy::{DateTime, DocAddress, Searcher, TantivyDocument, Term};

use crate::extract::Provenance;
use crate::extract::meta::PLAUSIBLE_YEARS;
use crate::index::stored_bytes::{self, DocumentValues, store_cache_blocks};
use crate::index::{DossierIndex, Fields, index_error};
use crate::text::{LangCode, SourceId, TopicId};
use crate::{Error, Result};

/// The stored fields of one document.
#[derive(Debug, Clone, Serialize)]
pub struct StoredDocument {
    pub id: String,
    /// The file it came from: itself, or the collection it is a line of.
    pub file: String,
    pub title: String,
    pub source: SourceId,
    pub source_name: String,
    pub lang: LangCode,
    pub year: Option<u64>,
    pub date: Option<String>,
    pub topics: Vec<TopicId>,
    /// Keyword fields its source's `fields` read (`country` → `THA`).
    pub fields: BTreeMap<String, String>,
    pub path: String,
    pub url: Option<String>,
    pub size: u64,
    pub hash: String,
    pub provenance: Provenance,
    #[serde(skip)]
    pub body: String,
}

impl StoredDocument {
    /// The fields of a document as the index stored them.
    pub fn from_stored(f: Fields, doc: &TantivyDocument) -> Self {
        let values = doc
            .field_values()
            .map(|(field, value)| (field, OwnedValue::from(value)))
            .collect();
        Self::from_values(f, StoredValues(values))
    }

    /// The same from values read as owned ones: strings, the body above
    /// all, are moved in rather than copied (the concordance reads the body
    /// of every matching document).
    fn from_values(f: Fields, StoredValues(mut values): StoredValues) -> Self {
        let id = take_text(&mut values, f.id).unwrap_or_default();
        let file = take_text(&mut values, f.file).unwrap_or_default();
        let title = take_text(&mut values, f.title).unwrap_or_default();
        let source_name = take_text(&mut values, f.source_name).unwrap_or_default();
        let path = take_text(&mut values, f.path).unwrap_or_default();
        let url = take_text(&mut values, f.url);
        let hash = take_text(&mut values, f.hash).unwrap_or_default();
        let provenance = take_text(&mut values, f.provenance)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default();
        let body = take_text(&mut values, f.body).unwrap_or_default();
        let date = match first(&values, f.date) {
            Some(OwnedValue::Date(d)) => jiff::Timestamp::from_second(d.into_timestamp_secs())
                .ok()
                .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()),
            _ => None,
        };
        StoredDocument {
            id,
            file,
            title,
            source: source_of(&values, f),
            source_name,
            lang: lang_of(&values, f),
            year: number(&values, f.year),
            date,
            topics: topics_of(&values, f),
            fields: keywords_of(&values, f),
            path,
            url,
            size: number(&values, f.size).unwrap_or(0),
            hash,
            provenance,
            body,
        }
    }
}

/// What a research view reads of each matching document: the stored fields
/// it prints, counts by or searches, and not the others (a date, above all,
/// is not read: see [`stored_bytes`]).
///
/// Its body is borrowed from the stored bytes ([`MatchedDocuments::bytes`]),
/// not copied: a view looks in it and keeps what it found.
pub struct MatchedDocument<'a> {
    pub id: String,
    pub year: Option<u64>,
    pub source: SourceId,
    pub lang: LangCode,
    pub topics: Vec<TopicId>,
    /// Keyword fields its source's `fields` read (`country` → `THA`).
    pub fields: BTreeMap<String, String>,
    pub body: &'a str,
}

impl<'a> MatchedDocument<'a> {
    fn from_values(f: Fields, mut values: DocumentValues, body: Option<&'a str>) -> Self {
        MatchedDocument {
            id: take_text(&mut values, f.id).unwrap_or_default(),
            year: number(&values, f.year),
            source: source_of(&values, f),
            lang: lang_of(&values, f),
            topics: topics_of(&values, f),
            fields: keywords_of(&values, f),
            body: body.unwrap_or_default(),
        }
    }
}

/// Reads stored documents from the stored bytes directly ([`stored_bytes`];
/// bytes of another shape are damage): the matching documents of a research
/// view, thousands of them ([`Self::bytes`], then [`Self::matched`]), and
/// whole ones for a page of hits or `show` ([`Self::read_whole`]). Read through tantivy, a page of ten
/// hits parsed each document twice (once to check it) and copied its block
/// twice: 1.4 M of a phrase search's 6 M instructions.
pub struct MatchedDocuments {
    /// One per segment, in the searcher's order. A searcher keeps its own,
    /// but reads documents only through tantivy's reader.
    stores: Vec<StoreReader>,
    /// Each segment's `date` column: the unit of a stored date depends on
    /// the store's version, which only tantivy knows. The column keeps
    /// seconds, and a date is shown as a day.
    dates: Vec<Column<DateTime>>,
    fields: Fields,
}

impl MatchedDocuments {
    /// For reading many documents in order, from several threads: each
    /// segment's store keeps the blocks it read last.
    pub fn new(searcher: &Searcher, fields: Fields) -> tantivy::Result<Self> {
        Self::with_cache(searcher, fields, store_cache_blocks())
    }

    /// For a page of hits, or the one document `show` reads: no block is
    /// kept, so each block read reuses the memory of the last one. Kept,
    /// ten blocks of a page were ten fresh stretches of heap, each 4 KB of
    /// it a page fault (42 of a phrase search's 364).
    pub fn for_page(searcher: &Searcher, fields: Fields) -> tantivy::Result<Self> {
        Self::with_cache(searcher, fields, 0)
    }

    fn with_cache(searcher: &Searcher, fields: Fields, blocks: usize) -> tantivy::Result<Self> {
        let segments = searcher.segment_readers();
        let stores = segments
            .iter()
            .map(|segment| segment.get_store_reader(blocks))
            .collect::<std::io::Result<_>>()?;
        let date = searcher.schema().get_field_name(fields.date);
        let dates = segments
            .iter()
            .map(|segment| segment.fast_fields().date(date))
            .collect::<tantivy::Result<_>>()?;
        Ok(MatchedDocuments {
            stores,
            dates,
            fields,
        })
    }

    /// The store of the segment of `address`.
    fn store(&self, address: DocAddress) -> tantivy::Result<&StoreReader> {
        self.stores
            .get(address.segment_ord as usize)
            .ok_or_else(|| {
                tantivy::TantivyError::InvalidArgument(format!(
                    "no segment {} in this searcher",
                    address.segment_ord
                ))
            })
    }

    /// The stored values of the document at `address`, dates left out.
    fn values(&self, address: DocAddress) -> tantivy::Result<DocumentValues> {
        stored_bytes::checked_values(self.store(address)?, address.doc_id)
    }

    /// The stored bytes of the document at `address`, for [`Self::matched`].
    pub fn bytes(&self, address: DocAddress) -> tantivy::Result<OwnedBytes> {
        stored_bytes::document_bytes(self.store(address)?, address.doc_id)
    }

    /// Every stored field of the document at `address`, its date from the
    /// `date` column.
    pub fn read_whole(&self, address: DocAddress) -> tantivy::Result<StoredDocument> {
        let mut values = self.values(address)?;
        let date = self.dates[address.segment_ord as usize].first(address.doc_id);
        if let Some(date) = date {
            values.push((self.fields.date, OwnedValue::Date(date)));
        }
        Ok(StoredDocument::from_values(
            self.fields,
            StoredValues(values),
        ))
    }

    /// The document whose stored bytes ([`Self::bytes`]) are `bytes`, its
    /// body borrowed from them.
    pub fn matched<'a>(&self, bytes: &'a [u8]) -> tantivy::Result<MatchedDocument<'a>> {
        let (values, body) = stored_bytes::stored_values_borrowing(bytes, self.fields.body)
            .ok_or_else(stored_bytes::unreadable_document)?;
        let document = MatchedDocument::from_values(self.fields, values, body);
        // Every year dossier stores is a plausible one (see extract::meta):
        // another is damage, and a view that counts by year would make room
        // for every year up to it.
        if let Some(year) = document.year
            && !i16::try_from(year).is_ok_and(|y| PLAUSIBLE_YEARS.contains(&y))
        {
            return Err(tantivy::TantivyError::DataCorruption(
                DataCorruption::comment_only(format!("a stored document has the year {year}")),
            ));
        }
        Ok(document)
    }
}

/// Moves the first string stored under `field` out of `values`.
fn take_text(values: &mut [(Field, OwnedValue)], field: Field) -> Option<String> {
    values
        .iter_mut()
        .find(|(at, _)| *at == field)
        .and_then(|(_, value)| match value {
            OwnedValue::Str(text) => Some(std::mem::take(text)),
            _ => None,
        })
}

/// The first facet stored under `field`, encoded.
fn facet(values: &[(Field, OwnedValue)], field: Field) -> Option<&str> {
    match first(values, field) {
        Some(OwnedValue::Facet(facet)) => Some(facet.encoded_str()),
        _ => None,
    }
}

/// Every facet stored under `field`, encoded.
fn facets(values: &[(Field, OwnedValue)], field: Field) -> impl Iterator<Item = &str> {
    values.iter().filter_map(move |(at, value)| match value {
        OwnedValue::Facet(facet) if *at == field => Some(facet.encoded_str()),
        _ => None,
    })
}

fn number(values: &[(Field, OwnedValue)], field: Field) -> Option<u64> {
    match first(values, field) {
        Some(OwnedValue::U64(n)) => Some(*n),
        _ => None,
    }
}

fn source_of(values: &[(Field, OwnedValue)], f: Fields) -> SourceId {
    SourceId::from_encoded(facet(values, f.source).unwrap_or_default())
}

fn lang_of(values: &[(Field, OwnedValue)], f: Fields) -> LangCode {
    facet(values, f.lang).map_or(LangCode::UNDETERMINED, LangCode::from_encoded)
}

fn topics_of(values: &[(Field, OwnedValue)], f: Fields) -> Vec<TopicId> {
    facets(values, f.topic).map(TopicId::from_encoded).collect()
}

fn keywords_of(values: &[(Field, OwnedValue)], f: Fields) -> BTreeMap<String, String> {
    facets(values, f.field)
        .filter_map(keyword_of_facet)
        .collect()
}

/// The first value stored under `field`.
fn first(values: &[(Field, OwnedValue)], field: Field) -> Option<&OwnedValue> {
    values
        .iter()
        .find(|(at, _)| *at == field)
        .map(|(_, value)| value)
}

/// A document's stored values, owned, in the order stored.
struct StoredValues(DocumentValues);

impl DocumentDeserialize for StoredValues {
    fn deserialize<'de, D>(mut deserializer: D) -> std::result::Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        // The hint is the stored count: bounded, in case it is damaged.
        let mut values = Vec::with_capacity(deserializer.size_hint().min(256));
        while let Some(entry) = deserializer.next_field::<OwnedValue>()? {
            values.push(entry);
        }
        Ok(StoredValues(values))
    }
}

/// `("country", "THA")` of a stored keyword facet (`\0country\0THA`).
pub fn keyword_of_facet(encoded: &str) -> Option<(String, String)> {
    let facet = tantivy::schema::Facet::from_encoded(encoded.as_bytes().to_vec()).ok()?;
    match facet.to_path().as_slice() {
        [name, value] => Some((name.to_string(), value.to_string())),
        _ => None,
    }
}

/// Looks a document up by id.
pub fn find_document(index: &DossierIndex, id: &str) -> Result<StoredDocument> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(index.fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(|e| index_error(&index.dir, e))?;
    let (_, address) = top
        .into_iter()
        .next()
        .ok_or_else(|| Error::NoSuchDocument(id.to_string()))?;
    MatchedDocuments::for_page(&searcher, index.fields)
        .and_then(|documents| documents.read_whole(address))
        .map_err(|e| index_error(&index.dir, e))
}

/// The document id `typed` names: an id as `search` prints it, the path of
/// its file as a shell completes it (`sources/un/doc.txt`, relative or
/// absolute), or a file name only one document has (`S_RES_1325_2000.pdf`).
pub fn resolve_id(
    index: &DossierIndex,
    typed: &str,
    sources_dir: &std::path::Path,
) -> Result<String> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let tantivy_error = |e| index_error(&index.dir, e);
    let exists = |id: &str| -> Result<bool> {
        let term = Term::from_field_text(index.fields.id, id);
        Ok(searcher.doc_freq(&term).map_err(tantivy_error)? > 0)
    };
    if exists(typed)? {
        return Ok(typed.to_string());
    }
    // A path under the sources folder.
    let as_path = std::path::Path::new(typed);
    let relative = |path: &std::path::Path, base: &std::path::Path| {
        path.strip_prefix(base).ok().and_then(|rel| {
            let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
            (!parts.is_empty()).then(|| parts.join("/"))
        })
    };
    let mut candidates = Vec::new();
    candidates.extend(relative(as_path, sources_dir));
    if let (Ok(path), Ok(base)) = (as_path.canonicalize(), sources_dir.canonicalize()) {
        candidates.extend(relative(&path, &base));
    }
    for id in candidates {
        if exists(&id)? {
            return Ok(id);
        }
    }
    // A file name: the ids that end with it.
    let name = typed.rsplit('/').next().unwrap_or(typed);
    let mut owners = Vec::new();
    for segment in searcher.segment_readers() {
        let dictionary = segment
            .inverted_index(index.fields.id)
            .map_err(tantivy_error)?;
        let mut stream = dictionary
            .terms()
            .stream()
            .map_err(|e| Error::damaged(&index.dir, e))?;
        while stream.advance() {
            let Ok(id) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if id.rsplit('/').next() == Some(name) && !owners.iter().any(|o| o == id) {
                owners.push(id.to_string());
            }
        }
    }
    match owners.len() {
        1 => Ok(owners.remove(0)),
        0 => Err(Error::NoSuchDocument(typed.to_string())),
        n => {
            owners.sort();
            owners.truncate(10);
            let more = match n - owners.len() {
                0 => String::new(),
                rest => format!(", and {rest} more"),
            };
            Err(Error::AmbiguousDocument {
                typed: typed.to_string(),
                count: n,
                candidates: owners.join(", ") + &more,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Facet, FieldType, Schema};
    use tantivy::{DateTime, Index, IndexWriter};

    /// Document `n`: a value in every stored field of `schema`, of the field's
    /// type: strings of many lengths (a length of 128 bytes or more takes a
    /// VInt of two bytes) in several scripts, two values in facet fields.
    fn every_stored_field(schema: &Schema, n: u64) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        for (field, entry) in schema.fields() {
            if !entry.is_stored() {
                continue;
            }
            let i = n + u64::from(field.field_id());
            match entry.field_type() {
                FieldType::Str(_) => {
                    let word = ["peace", "sécurité", "безопасность", "安全", "x\u{1}y"];
                    // Every fifth document a string of over 16 KB: a VInt
                    // of three bytes.
                    let times = if n.is_multiple_of(5) {
                        4_000
                    } else {
                        i * 37 % 300
                    };
                    doc.add_text(field, word[i as usize % word.len()].repeat(times as usize));
                }
                // Years as dossier stores them, plausible ones.
                FieldType::U64(_) => doc.add_u64(field, 1800 + i % 300),
                FieldType::I64(_) => doc.add_i64(field, -(i as i64) * 99_999),
                FieldType::Date(_) => doc.add_date(
                    field,
                    DateTime::from_timestamp_secs(i as i64 * 86_400 * 365),
                ),
                FieldType::Facet(_) => {
                    doc.add_facet(field, Facet::from_path(["unit", &format!("v{i}")]));
                    doc.add_facet(field, Facet::from_path([format!("w{i}")]));
                }
                other => panic!("a stored field of a type this test does not fill: {other:?}"),
            }
        }
        doc
    }

    /// An index of dossier's schema and settings, in memory, with `documents`
    /// committed in two parts (two segments at least).
    fn index_of(documents: &[TantivyDocument]) -> Index {
        let (schema, _) = crate::index::schema::build_schema();
        let index = tantivy::IndexBuilder::new()
            .schema(schema)
            .settings(crate::index::schema::index_settings())
            .create_in_ram()
            .unwrap();
        crate::index::register_tokenizers(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let (first, second) = documents.split_at(documents.len() / 2);
        for part in [first, second] {
            for doc in part {
                writer.add_document(doc.clone()).unwrap();
            }
            writer.commit().unwrap();
        }
        index
    }

    #[test]
    fn matched_documents_read_what_tantivy_reads_of_every_stored_field() {
        let (schema, fields) = crate::index::schema::build_schema();
        let documents: Vec<_> = (0..40).map(|n| every_stored_field(&schema, n)).collect();
        let index = index_of(&documents);
        let searcher = index.reader().unwrap().searcher();
        let documents = MatchedDocuments::new(&searcher, fields).unwrap();
        let mut read = 0;
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let store = &documents.stores[segment_ord];
            for doc_id in 0..segment.max_doc() {
                let bytes = store.get_document_bytes(doc_id).unwrap();
                let direct = stored_bytes::stored_values(&bytes)
                    .expect("dossier's documents are read directly, not through tantivy");
                let StoredValues(through_tantivy) = store.get(doc_id).unwrap();
                let without_dates: Vec<_> = through_tantivy
                    .into_iter()
                    .filter(|(_, value)| !matches!(value, OwnedValue::Date(_)))
                    .collect();
                assert_eq!(direct, without_dates, "document {doc_id}");

                let address = DocAddress::new(segment_ord as u32, doc_id);
                let bytes = documents.bytes(address).unwrap();
                let matched = documents.matched(&bytes).unwrap();
                let stored = documents.read_whole(address).unwrap();
                // The date from its column, the rest from the stored bytes:
                // what tantivy's reader reads.
                let through_tantivy: TantivyDocument = store.get(doc_id).unwrap();
                let tantivy_read = StoredDocument::from_stored(fields, &through_tantivy);
                assert!(stored.date.is_some());
                assert_eq!(
                    serde_json::to_value(&stored).unwrap(),
                    serde_json::to_value(&tantivy_read).unwrap(),
                    "document {doc_id}"
                );
                assert_eq!(stored.body, tantivy_read.body);
                assert_eq!(
                    (matched.id, matched.year, matched.source, matched.lang),
                    (stored.id, stored.year, stored.source, stored.lang)
                );
                assert_eq!(
                    (matched.topics, matched.fields, matched.body.to_string()),
                    (stored.topics, stored.fields, stored.body)
                );
                read += 1;
            }
        }
        assert_eq!(read, 40);
        assert!(searcher.segment_readers().len() >= 2);
    }

    #[test]
    fn a_stored_year_no_document_can_have_is_damage() {
        let (schema, fields) = crate::index::schema::build_schema();
        let mut documents: Vec<_> = (0..4).map(|n| every_stored_field(&schema, n)).collect();
        let mut odd = TantivyDocument::new();
        odd.add_text(fields.id, "odd.txt");
        odd.add_u64(fields.year, (1 << 40) + 1946);
        documents.push(odd);
        let index = index_of(&documents);
        let searcher = index.reader().unwrap().searcher();
        let matched = MatchedDocuments::new(&searcher, fields).unwrap();
        let mut damaged = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..segment.max_doc() {
                let bytes = matched.bytes(DocAddress::new(ord as u32, doc)).unwrap();
                match matched.matched(&bytes) {
                    Ok(document) => assert!(document.year.is_some_and(|y| y < 2101)),
                    Err(tantivy::TantivyError::DataCorruption(_)) => damaged += 1,
                    Err(other) => panic!("{other}"),
                }
            }
        }
        assert_eq!(damaged, 1);
    }
}
