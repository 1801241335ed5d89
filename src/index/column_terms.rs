//! The terms of a string column's ordinals, read in one pass over its
//! dictionary, and checked: the dictionary's blocks carry no checksum, so a
//! damaged one shows only as a dictionary that ends early or whose terms do
//! not come in order. Both the page of hits (ids of tied documents) and
//! `export` (every id, to write documents in id order) read ids this way.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tantivy::columnar::StrColumn;

/// The terms of `ords` (ascending, distinct) in `column`'s dictionary, in
/// that order; `None` when the dictionary does not hold each of them, they
/// do not read in strictly ascending order, or reading a block panics
/// (tantivy's block reader slices by the lengths a damaged block claims).
pub fn terms_of(column: &StrColumn, ords: &[u64]) -> tantivy::Result<Option<Vec<String>>> {
    let mut terms: Vec<String> = Vec::with_capacity(ords.len());
    let read = catch_unwind(AssertUnwindSafe(|| {
        column.dictionary().sorted_ords_to_term_cb(ords, |bytes| {
            terms.push(String::from_utf8_lossy(bytes).into_owned());
        })
    }));
    let Ok(whole) = read else {
        return Ok(None);
    };
    let readable = whole? && terms.len() == ords.len() && terms.is_sorted_by(|a, b| a < b);
    Ok(readable.then_some(terms))
}
