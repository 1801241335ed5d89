//! What the index holds for each file, read from fast fields alone: a refresh
//! with nothing changed reads no stored document.

use std::collections::HashMap;

use tantivy::Searcher;
use tantivy::columnar::StrColumn;

use super::changes::IndexedState;
use crate::index::schema::Fields;

/// File id → what the index holds for it (the documents of one file share
/// these values).
pub fn indexed_states(
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<HashMap<String, IndexedState>> {
    let schema = searcher.schema();
    let name = |f| schema.get_field_name(f).to_string();
    let mut states = HashMap::with_capacity(searcher.num_docs() as usize);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(ids), Some(hashes), Some(keys)) = (
            fast.str(&name(fields.file))?,
            fast.str(&name(fields.hash))?,
            fast.str(&name(fields.source_key))?,
        ) else {
            continue;
        };
        let sizes = fast.u64(&name(fields.size))?;
        let mtimes = fast.i64(&name(fields.mtime))?;
        let (id_terms, hash_terms, key_terms) =
            (all_terms(&ids)?, all_terms(&hashes)?, all_terms(&keys)?);
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let term = |column: &StrColumn, terms: &[String]| {
                column
                    .ords()
                    .first(doc)
                    .and_then(|ord| terms.get(ord as usize))
                    .cloned()
            };
            let (Some(id), Some(hash), Some(source_key)) = (
                term(&ids, &id_terms),
                term(&hashes, &hash_terms),
                term(&keys, &key_terms),
            ) else {
                continue;
            };
            states.insert(
                id,
                IndexedState {
                    size: sizes.first(doc).unwrap_or(0),
                    mtime_ns: mtimes.first(doc).unwrap_or(0),
                    hash,
                    source_key,
                },
            );
        }
    }
    Ok(states)
}

/// Every term of a string column, by ordinal: one pass over the dictionary
/// instead of a lookup per document.
fn all_terms(column: &StrColumn) -> std::io::Result<Vec<String>> {
    // Not `with_capacity(num_terms)`: a corrupted footer can claim billions.
    let mut terms = Vec::new();
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}
