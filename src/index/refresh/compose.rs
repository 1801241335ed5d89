//! What an extracted document becomes in the index: its fields, filled from
//! the document, the file it came from, its source's settings, its fetch
//! record and its topics.

use std::path::Path;

use tantivy::DateTime;
use tantivy::schema::Facet;

use crate::extract::ExtractedDocument;
use crate::extract::meta::PLAUSIBLE_YEARS;
use crate::extract::topics::Taxonomy;
use crate::index::document::IndexDocument;
use crate::index::schema::Fields;
use crate::sources::config::SourceRef;
use crate::sources::fields::{FieldRule, FieldValues};
use crate::sources::{FetchRecord, SourceFile};
use crate::text::controls::{Keep, is_control, strip_controls};
use crate::text::{AnalysisGroup, LangCode, TopicId};

/// What every document of a file records about the file.
pub struct FileStamp<'a> {
    pub file: &'a SourceFile,
    /// BLAKE3 of the file's bytes, hex, first 128 bits.
    pub hash: &'a str,
    pub source_key: &'a str,
}

/// BLAKE3 of a file's bytes as the index records it: hex, first 128 bits.
pub fn content_hash(hash: blake3::Hash) -> String {
    hash.to_hex()[..32].to_string()
}

/// Fingerprint of the source settings a document is indexed with: when
/// `sources.toml` changes them, the documents they affect are indexed again.
pub fn source_key(source: &SourceRef) -> String {
    let mut text = format!("{}\0{}", source.id, source.name);
    for topic in &source.topics {
        text.push('\0');
        text.push_str(topic.as_str());
    }
    if let Some(lang) = &source.lang {
        text.push_str("\0lang=");
        text.push_str(lang.as_str());
    }
    if let Some(fields) = &source.fields {
        text.push_str("\0fields=");
        text.push_str(&fields.key());
    }
    blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
}

/// A document's topics: its source's defaults, then what the taxonomy finds.
pub fn topics_for(
    taxonomy: &Taxonomy,
    source: &SourceRef,
    title: &str,
    body: &str,
) -> Vec<TopicId> {
    let mut topics = source.topics.clone();
    for topic in taxonomy.tag(title, body) {
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
    topics
}

/// What a fetched document's record says of it: its address is the one it
/// was fetched from; when it names no date of its own, the server's
/// Last-Modified date serves. The source's `fields` are then read from the
/// address asked for, else from the file's path.
pub fn with_record_and_fields(
    doc: ExtractedDocument,
    path: &Path,
    relative_path: &str,
    source: &SourceRef,
) -> (ExtractedDocument, Option<FieldValues>) {
    let record = FetchRecord::read_beside(path);
    let doc = match &record {
        Some(record) => with_fetch_record(doc, record),
        None => doc,
    };
    match &source.fields {
        Some(rule) => {
            let address = record.as_ref().map(|r| r.url.as_str());
            let values = rule.read(address.into_iter().chain([relative_path]));
            match values {
                Some(values) => (with_fields(doc, rule, &values), Some(values)),
                None => (doc, None),
            }
        }
        None => (doc, None),
    }
}

/// A document's title and year from its source's `fields`: a `year` group
/// wins over what the document says (a resolution's symbol names its year;
/// its PDF's date may be a later scan's), and the `title` template over any
/// title it has.
fn with_fields(
    mut doc: ExtractedDocument,
    rule: &FieldRule,
    values: &FieldValues,
) -> ExtractedDocument {
    const FROM: &str = "sources.toml fields";
    if let Some(year) = values.year() {
        doc.year = Some(year);
        doc.provenance.year = Some(FROM.into());
        if doc.date.is_some_and(|d| d.year() != year) {
            doc.date = None;
            doc.provenance.date = None;
        }
    }
    if let Some(title) = rule.title() {
        // The values come from a path or an address: no control character
        // of a file name reaches the title.
        doc.title = strip_controls(&title.fill(values), Keep::Nothing).into_owned();
        doc.provenance.title = "sources.toml title".into();
        doc.provenance.derived_title = false;
    }
    doc
}

fn with_fetch_record(mut doc: ExtractedDocument, record: &FetchRecord) -> ExtractedDocument {
    // A record is written by dossier, but it is a file anyone may edit.
    if !record.final_url.chars().any(is_control) {
        doc.url = Some(record.final_url.clone());
    }
    // A server's clock, or a hand-edited record, may say any year; dates a
    // document gives are kept to PLAUSIBLE_YEARS, and one outside it would
    // read as damage to the views (search::stored) and overflow the index's
    // date (beyond 1678-2262) into another day.
    if doc.date.is_none()
        && let Some(date) = record.last_modified_date()
        && PLAUSIBLE_YEARS.contains(&date.year())
        && doc.year.is_none_or(|year| year == date.year())
    {
        const FROM: &str = "HTTP Last-Modified";
        doc.date = Some(date);
        doc.provenance.date = Some(FROM.into());
        if doc.year.is_none() {
            doc.year = Some(date.year());
            doc.provenance.year = Some(FROM.into());
        }
    }
    doc
}

/// A source's `lang` stands for documents that declare none: whoever set it
/// knows the folder better than a detector knows a short page.
fn with_source_language(mut doc: ExtractedDocument, source: &SourceRef) -> ExtractedDocument {
    if let Some(lang) = source.lang
        && !doc.lang_declared
    {
        doc.lang = lang;
        doc.provenance.lang = format!("sources.toml (source {})", source.id);
    }
    doc
}

/// Title and body under every field that holds them: stored, exact, and the
/// ranking fields of the document's language.
/// A title the document gave is ranked as a title and as text; one made
/// from its first line or file name (`derived`) is kept and searchable with
/// `title:`, not ranked again.
pub fn add_title_and_body(
    out: &mut IndexDocument,
    fields: &Fields,
    lang: LangCode,
    title: String,
    body: String,
    derived: bool,
) {
    let ranking = fields.ranking(AnalysisGroup::of(lang));
    if derived {
        out.add_text(&[fields.title, fields.title_exact, ranking.title], title);
    } else {
        out.add_text(
            &[
                fields.title,
                fields.title_exact,
                ranking.title,
                ranking.text,
            ],
            title,
        );
    }
    out.add_text(
        &[
            ranking.text,
            fields.body_exact,
            fields.body_pairs,
            fields.body,
        ],
        body,
    );
}

/// The index document of an extracted one; `id` is the file's id, or for a
/// line of a collection `<file>#<_id>`.
pub fn build_document(
    fields: &Fields,
    stamp: &FileStamp,
    id: &str,
    doc: ExtractedDocument,
    topics: &[TopicId],
    values: Option<&FieldValues>,
) -> IndexDocument {
    let file = stamp.file;
    let doc = with_source_language(doc, &file.source);
    let mut out = IndexDocument::new();
    out.add_text(&[fields.id], id);
    out.add_text(&[fields.file], &file.id);
    out.add_text(&[fields.path], file.path().display().to_string());
    if let Some(url) = &doc.url {
        out.add_text(&[fields.url], url);
    }
    let derived = doc.provenance.derived_title;
    add_title_and_body(&mut out, fields, doc.lang, doc.title, doc.body, derived);
    if let Some(year) = doc.year {
        out.add_u64(fields.year, year as u64);
    }
    if let Some(date) = doc.date
        && let Ok(zoned) = date.to_zoned(jiff::tz::TimeZone::UTC)
    {
        out.add_date(
            fields.date,
            DateTime::from_timestamp_secs(zoned.timestamp().as_second()),
        );
    }
    out.add_facet(fields.source, file.source.id.facet());
    out.add_facet(fields.lang, doc.lang.facet());
    out.add_text(&[fields.source_name], &file.source.name);
    for topic in topics {
        out.add_facet(fields.topic, topic.facet());
    }
    for (name, value) in values.iter().flat_map(|v| v.keywords()) {
        // From a path or an address: no control character is kept.
        let value = strip_controls(value, Keep::Nothing);
        out.add_facet(fields.field, Facet::from_path([name, value.as_ref()]));
    }
    out.add_text(&[fields.hash], stamp.hash);
    out.add_u64(fields.size, file.size);
    out.add_i64(fields.mtime, file.mtime_ns);
    out.add_text(&[fields.source_key], stamp.source_key);
    out.add_text(
        &[fields.provenance],
        serde_json::to_string(&doc.provenance).unwrap_or_default(),
    );
    out
}
