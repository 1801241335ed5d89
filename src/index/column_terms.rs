//! The terms of a string column's ordinals, read in one pass over its
//! dictionary, and checked: the dictionary's blocks carry no checksum, so a
//! damaged one shows only as a dictionary that ends early or whose terms do
//! not come in order. Both the page of hits (ids of tied documents) and
//! `export` (every id, to write documents in id order) read ids this way.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tantivy::columnar::StrColumn;

/// The terms of `ords` (ascending, distinct) in `column`'s dictionary, in
/// that order; `None` when the dictionary does not hold each of them, they
/// do not read in strictly ascending order, one is not UTF-8, or reading a
/// block panics (tantivy's block reader slices by the lengths a damaged
/// block claims).
///
/// A string column holds UTF-8 text only, so a term that is not is damage:
/// a byte flipped in a block's first term (the others share its start)
/// turns every term of the block into bytes that still come in order, and
/// read leniently they would put a whole segment's ids after all others.
pub fn terms_of(column: &StrColumn, ords: &[u64]) -> tantivy::Result<Option<Vec<String>>> {
    let mut terms: Vec<String> = Vec::with_capacity(ords.len());
    let mut all_text = true;
    let read = catch_unwind(AssertUnwindSafe(|| {
        column
            .dictionary()
            .sorted_ords_to_term_cb(ords, |bytes| match std::str::from_utf8(bytes) {
                Ok(term) => terms.push(term.to_owned()),
                Err(_) => all_text = false,
            })
    }));
    let Ok(whole) = read else {
        return Ok(None);
    };
    let readable =
        whole? && all_text && terms.len() == ords.len() && terms.is_sorted_by(|a, b| a < b);
    Ok(readable.then_some(terms))
}
