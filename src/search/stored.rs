//! A document as the index stored it: what hits, `show`, the research views
//! and export read back.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::extract::Provenance;
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
        let mut text = |field| {
            values
                .iter_mut()
                .find(|(at, _)| *at == field)
                .and_then(|(_, value)| match value {
                    OwnedValue::Str(text) => Some(std::mem::take(text)),
                    _ => None,
                })
        };
        let id = text(f.id).unwrap_or_default();
        let file = text(f.file).unwrap_or_default();
        let title = text(f.title).unwrap_or_default();
        let source_name = text(f.source_name).unwrap_or_default();
        let path = text(f.path).unwrap_or_default();
        let url = text(f.url);
        let hash = text(f.hash).unwrap_or_default();
        let provenance = text(f.provenance)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default();
        let body = text(f.body).unwrap_or_default();
        let facet = |field| match first(&values, field) {
            Some(OwnedValue::Facet(facet)) => Some(facet.encoded_str()),
            _ => None,
        };
        let facets = |field| {
            values.iter().filter_map(move |(at, value)| match value {
                OwnedValue::Facet(facet) if *at == field => Some(facet.encoded_str()),
                _ => None,
            })
        };
        let number = |field| match first(&values, field) {
            Some(OwnedValue::U64(n)) => Some(*n),
            _ => None,
        };
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
            source: SourceId::from_encoded(facet(f.source).unwrap_or_default()),
            source_name,
            lang: facet(f.lang).map_or(LangCode::UNDETERMINED, LangCode::from_encoded),
            year: number(f.year),
            date,
            topics: facets(f.topic).map(TopicId::from_encoded).collect(),
            fields: facets(f.field).filter_map(keyword_of_facet).collect(),
            path,
            url,
            size: number(f.size).unwrap_or(0),
            hash,
            provenance,
            body,
        }
    }
}

/// The first value stored under `field`.
fn first(values: &[(Field, OwnedValue)], field: Field) -> Option<&OwnedValue> {
    values
        .iter()
        .find(|(at, _)| *at == field)
        .map(|(_, value)| value)
}

/// A document's stored values, owned, in the order stored.
struct StoredValues(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for StoredValues {
    fn deserialize<'de, D>(mut deserializer: D) -> std::result::Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
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

/// Reads a document's stored fields.
pub fn stored_document(
    searcher: &Searcher,
    fields: Fields,
    address: DocAddress,
) -> tantivy::Result<StoredDocument> {
    let values: StoredValues = searcher.doc(address)?;
    Ok(StoredDocument::from_values(fields, values))
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
    stored_document(&searcher, index.fields, address).map_err(|e| index_error(&index.dir, e))
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
            Err(Error::AmbiguousDocument {
                typed: typed.to_string(),
                count: n,
                candidates: owners.join(", "),
            })
        }
    }
}
