//! Re-tagging after the taxonomy changed: the documents whose files did not
//! change get their topics again from the text the index stores, so editing
//! `topics.toml` costs no read of the sources. A document is rewritten only
//! when its topics differ.

use std::collections::HashMap;

use rayon::prelude::*;
use tantivy::schema::{Facet, OwnedValue, Value};
use tantivy::store::StoreReader;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::compose::{add_title_and_body, topics_for};
use super::writer::Writer;
use crate::extract::topics::Taxonomy;
use crate::index::document::IndexDocument;
use crate::index::schema::Fields;
use crate::index::stored_bytes::{checked_get, store_cache_blocks};
use crate::sources::SourceFile;
use crate::text::LangCode;

/// Re-tags the documents of the `untouched` files (by file id); returns how
/// many were rewritten.
pub fn retag_documents(
    searcher: &Searcher,
    fields: &Fields,
    taxonomy: &Taxonomy,
    untouched: &HashMap<&str, &SourceFile>,
    writer: &Writer,
) -> tantivy::Result<usize> {
    let mut addresses = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                addresses.push(DocAddress::new(ord as u32, doc));
            }
        }
    }
    // One reader per segment, shared by the threads: each document's block
    // is then read once (checked_get reads it twice) and its neighbours'
    // with it.
    let stores: Vec<StoreReader> = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.get_store_reader(store_cache_blocks()))
        .collect::<std::io::Result<_>>()?;
    let rewritten: tantivy::Result<Vec<bool>> = addresses
        .par_iter()
        .map(|address| retag_one(&stores, fields, taxonomy, untouched, writer, *address))
        .collect();
    Ok(rewritten?.into_iter().filter(|r| *r).count())
}

fn retag_one(
    stores: &[StoreReader],
    fields: &Fields,
    taxonomy: &Taxonomy,
    untouched: &HashMap<&str, &SourceFile>,
    writer: &Writer,
    address: DocAddress,
) -> tantivy::Result<bool> {
    let stored: TantivyDocument =
        checked_get(&stores[address.segment_ord as usize], address.doc_id)?;
    let text = |field| {
        stored
            .get_first(field)
            .and_then(|v| v.as_str().map(str::to_string))
    };
    let Some(id) = text(fields.id) else {
        return Ok(false);
    };
    let Some(file) = text(fields.file).and_then(|f| untouched.get(f.as_str()).copied()) else {
        return Ok(false);
    };
    let title = text(fields.title).unwrap_or_default();
    let body = text(fields.body).unwrap_or_default();
    let topics = topics_for(taxonomy, &file.source, &title, &body);
    let old: Vec<String> = stored
        .get_all(fields.topic)
        .filter_map(|v| v.as_facet().map(str::to_string))
        .collect();
    let new: Vec<Facet> = topics.iter().map(|t| t.facet()).collect();
    if old.iter().eq(new.iter().map(|f| f.encoded_str())) {
        return Ok(false);
    }
    let mut doc = IndexDocument::new();
    for (field, value) in stored.field_values() {
        // The writer gives the generation of this refresh.
        if ![fields.topic, fields.title, fields.body, fields.generation].contains(&field) {
            doc.add_owned(field, OwnedValue::from(value));
        }
    }
    // The exact and ranking fields are indexed, not stored: rebuild them
    // from the stored title and body.
    let lang = stored
        .get_first(fields.lang)
        .and_then(|v| v.as_facet())
        .map_or(LangCode::UNDETERMINED, LangCode::from_encoded);
    let derived = text(fields.provenance)
        .and_then(|p| serde_json::from_str::<crate::extract::Provenance>(&p).ok())
        .is_some_and(|p| p.derived_title);
    add_title_and_body(&mut doc, fields, lang, title, body, derived);
    for facet in new {
        doc.add_facet(fields.topic, facet);
    }
    writer.delete_term(Term::from_field_text(fields.id, &id));
    writer.add_document(doc)?;
    Ok(true)
}
