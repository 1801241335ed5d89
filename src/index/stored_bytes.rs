//! A stored document's values read straight from the bytes tantivy's
//! document store keeps, each string copied once from them (or, for the
//! body a research view looks in, borrowed: [`stored_values_borrowing`]).
//!
//! Why not tantivy's own reader: it reads every string through
//! `Read::read_to_string`, which zeroes the string's room, copies into it and
//! then checks it, and that was a seventh of a concordance's instructions (a
//! concordance reads the body of every matching document: 160 MB for
//! `kwic '"Security Council"'` over the UN General Debate). Here each value
//! is a slice of the block the store already decompressed.
//!
//! The format, as tantivy 0.27 writes it (`schema/document/se.rs`): a VInt
//! count of values, then for each value its field (`u32`, little-endian), a
//! type code (`u8`) and the value: a string or a facet as a VInt length and
//! that many bytes of UTF-8; a `u64`, an `i64` or a date as 8 bytes,
//! little-endian. These are the types dossier's schema stores, so anything
//! else (another type code, a count or a length beyond the bytes, a value
//! cut short, bytes that are not UTF-8, bytes left over) is damage, and this
//! reader says so (`None`). Callers report the index damaged rather than
//! hand such bytes to tantivy's reader, which reserves memory for whatever
//! count or length it reads first and aborts the process on a damaged one.
//! A test compares the two readers on documents of every shape dossier
//! stores, so that a change of format in a new tantivy fails there, not in
//! a user's concordance.
//!
//! Dates are skipped: their unit (micro- or nanoseconds) depends on the
//! store's version, which tantivy does not say; the views that read
//! documents this way do not print dates.

use tantivy::directory::OwnedBytes;
use tantivy::error::DataCorruption;
use tantivy::schema::document::DocumentDeserialize;
use tantivy::schema::{Facet, Field, OwnedValue};
use tantivy::store::StoreReader;
use tantivy::{DocId, TantivyError};

/// tantivy's type codes (`schema::document::type_codes`, not public).
const TEXT: u8 = 0;
const U64: u8 = 1;
const I64: u8 = 2;
const FACET: u8 = 3;
const DATE: u8 = 5;

/// A stored document's values, in the order stored.
pub type DocumentValues = Vec<(Field, OwnedValue)>;

/// The values of one stored document, in the order stored, dates left out;
/// `None` when the bytes are not a document of the shapes above: damage.
pub fn stored_values(bytes: &[u8]) -> Option<DocumentValues> {
    values_borrowing(bytes, None).map(|(values, _)| values)
}

/// The same, but the first value of `borrowed` (a document's body), when it
/// is a string, is left in `bytes` rather than copied: the concordance reads
/// the body of every matching document and needs it only while it looks in
/// it (a copy was a tenth of `kwic`'s time). It is not among the values
/// returned.
pub fn stored_values_borrowing(
    bytes: &[u8],
    borrowed: Field,
) -> Option<(DocumentValues, Option<&str>)> {
    values_borrowing(bytes, Some(borrowed))
}

fn values_borrowing(
    bytes: &[u8],
    borrowed: Option<Field>,
) -> Option<(DocumentValues, Option<&str>)> {
    let mut kept = None;
    let mut borrowing = borrowed;
    let mut at = Cursor { bytes, at: 0 };
    let count = at.vint()?;
    // Every value takes at least five bytes: a count beyond that is damage,
    // not a reason to reserve memory.
    if count > (bytes.len() / 5) as u64 {
        return None;
    }
    let mut values = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let field = Field::from_field_id(u32::from_le_bytes(at.array()?));
        let code = at.byte()?;
        // The field's first value (dates left out, as everywhere) is the
        // body, as for a document read whole: borrowed when it is text, and
        // otherwise no body at all; later values are read like the others.
        if borrowing == Some(field) && code != DATE {
            borrowing = None;
            if code == TEXT {
                kept = Some(at.text()?);
                continue;
            }
        }
        let value = match code {
            TEXT => OwnedValue::Str(at.text()?.to_owned()),
            FACET => OwnedValue::Facet(Facet::from_encoded(at.text()?.as_bytes().to_vec()).ok()?),
            U64 => OwnedValue::U64(u64::from_le_bytes(at.array()?)),
            I64 => OwnedValue::I64(i64::from_le_bytes(at.array()?)),
            DATE => {
                at.array::<8>()?;
                continue;
            }
            _ => return None,
        };
        values.push((field, value));
    }
    (at.at == bytes.len()).then_some((values, kept))
}

/// Document `doc` of `store` read by tantivy, once its bytes are seen to be
/// a document of dossier's shapes: damage is an error, not an abort. The
/// block is read twice: a store that caches a block or more reads it once.
pub fn checked_get<D: DocumentDeserialize>(store: &StoreReader, doc: DocId) -> tantivy::Result<D> {
    checked_values(store, doc)?;
    store.get(doc)
}

/// The values of document `doc` of `store`, read directly ([`stored_values`],
/// dates left out); bytes of another shape are damage. The index says the
/// document is there, so failing to find its bytes is damage too: tantivy's
/// words for a damaged skip index ("Attempted to read doc from wrong
/// block", an internal error; "Failed to lookup Doc #475", an invalid
/// argument) would reach the user without the hint to rebuild.
pub fn checked_values(store: &StoreReader, doc: DocId) -> tantivy::Result<DocumentValues> {
    stored_values(&document_bytes(store, doc)?).ok_or_else(unreadable_document)
}

/// The stored bytes of document `doc` of `store`; not finding them is
/// damage (see [`checked_values`]).
pub fn document_bytes(store: &StoreReader, doc: DocId) -> tantivy::Result<OwnedBytes> {
    store
        .get_document_bytes(doc)
        .map_err(|_| unreadable_document())
}

/// Blocks a store reader keeps for threads reading many documents in
/// order (a research view, the refresh's retagging, on rayon's current
/// pool): a block holds a few short documents, read one after another, so
/// each thread needs its last block or two, and a cache shared by all
/// threads keeps two for each. tantivy's searcher keeps 100, which for a
/// concordance meant each block read (20-40 KB of a speech) went to fresh
/// memory while 100 older ones waited to be freed; with four (two threads),
/// the memory of one block is soon reused for the next. UN General Debate
/// (one speech a block): `kwic '"Security Council"'` 242.6 -> 222.7 ms,
/// `trend security --occurrences` 200.2 -> 179.3 ms; Security Council
/// resolutions and library pages (several a block): `kwic security` 32.7
/// -> 29.5 ms. Two per thread, not four in all: a review's simulation of 8
/// and 16 threads sharing four blocks missed 50-80% of blocks of short
/// documents, against 2-25% with 100.
pub fn store_cache_blocks() -> usize {
    2 * rayon::current_num_threads().max(2)
}

/// The error for stored bytes that are not a document of dossier's schema.
pub fn unreadable_document() -> TantivyError {
    TantivyError::DataCorruption(DataCorruption::comment_only(
        "a stored document cannot be read",
    ))
}

/// A position in a document's bytes; every read checks the length.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let end = self.at.checked_add(N)?;
        let array = self.bytes.get(self.at..end)?.try_into().ok()?;
        self.at = end;
        Some(array)
    }

    /// tantivy's VInt: seven bits a byte, least significant first, the last
    /// byte marked by its high bit.
    fn vint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 != 0 {
                return Some(value);
            }
        }
        None
    }

    /// A VInt length and that many bytes of UTF-8. Checked with SIMD: a
    /// concordance checks the body of every matching document (160 MB for
    /// `kwic '"Security Council"'`), and std's check was a twentieth of it.
    fn text(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.vint()?).ok()?;
        let end = self.at.checked_add(len)?;
        let text = simdutf8::basic::from_utf8(self.bytes.get(self.at..end)?).ok()?;
        self.at = end;
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes as tantivy writes them: a count, then (field, code, payload).
    fn document(values: &[(u32, u8, Vec<u8>)]) -> Vec<u8> {
        let mut out = vec![0x80 | values.len() as u8];
        for (field, code, payload) in values {
            out.extend(field.to_le_bytes());
            out.push(*code);
            out.extend(payload);
        }
        out
    }

    fn text(s: &str) -> Vec<u8> {
        let mut out = vec![0x80 | s.len() as u8];
        out.extend(s.as_bytes());
        out
    }

    #[test]
    fn reads_each_shape_and_skips_dates() {
        let bytes = document(&[
            (0, TEXT, text("a/b.txt")),
            (3, DATE, 7i64.to_le_bytes().to_vec()),
            (4, U64, 1995u64.to_le_bytes().to_vec()),
            (5, FACET, text("\0en")),
            (6, I64, (-2i64).to_le_bytes().to_vec()),
        ]);
        let values = stored_values(&bytes).expect("a document of known shapes");
        let fields: Vec<u32> = values.iter().map(|(f, _)| f.field_id()).collect();
        assert_eq!(fields, [0, 4, 5, 6]);
        assert_eq!(values[0].1, OwnedValue::Str("a/b.txt".into()));
        assert_eq!(values[1].1, OwnedValue::U64(1995));
        assert_eq!(
            values[2].1,
            OwnedValue::Facet(Facet::from_encoded(b"\0en".to_vec()).unwrap())
        );
        assert_eq!(values[3].1, OwnedValue::I64(-2));
    }

    #[test]
    fn a_long_string_takes_a_vint_of_several_bytes() {
        let long = "x".repeat(300);
        // 300 = 0b10_0101100: 44 then 2, the last byte marked.
        let mut payload = vec![44, 0x80 | 2];
        payload.extend(long.as_bytes());
        let values = stored_values(&document(&[(1, TEXT, payload)])).unwrap();
        assert_eq!(values[0].1, OwnedValue::Str(long));
    }

    #[test]
    fn the_borrowed_string_is_the_first_of_its_field_and_the_rest_as_owned() {
        let bytes = document(&[
            (0, TEXT, text("id")),
            (2, TEXT, text("the body")),
            (4, U64, 1995u64.to_le_bytes().to_vec()),
            (2, TEXT, text("a second body")),
        ]);
        let owned = stored_values(&bytes).unwrap();
        let (values, body) = stored_values_borrowing(&bytes, Field::from_field_id(2)).unwrap();
        assert_eq!(body, Some("the body"));
        let mut without_first_body = owned.clone();
        without_first_body.remove(1);
        assert_eq!(values, without_first_body);
        // A first value that is not text is no body, and the field's later
        // strings stay among the values, as a document read whole has it.
        let facet_first = document(&[(2, FACET, text("\0en")), (2, TEXT, text("not the body"))]);
        let (values, body) =
            stored_values_borrowing(&facet_first, Field::from_field_id(2)).unwrap();
        assert_eq!(body, None);
        assert_eq!(values, stored_values(&facet_first).unwrap());
        // A field that is not there borrows nothing and keeps every value.
        let (values, body) = stored_values_borrowing(&bytes, Field::from_field_id(9)).unwrap();
        assert_eq!((values, body), (owned, None));
        // Damage is damage whichever field is borrowed.
        for end in 0..bytes.len() {
            assert_eq!(
                stored_values_borrowing(&bytes[..end], Field::from_field_id(2)),
                None
            );
        }
    }

    #[test]
    fn gives_up_on_what_it_does_not_know_rather_than_guess() {
        let good = document(&[(0, TEXT, text("id")), (1, U64, 1u64.to_le_bytes().to_vec())]);
        assert!(stored_values(&good).is_some());
        // Every cut of a good document.
        for end in 0..good.len() {
            assert_eq!(stored_values(&good[..end]), None, "cut at {end}");
        }
        // Bytes left over.
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(stored_values(&longer), None);
        // A type dossier does not store (bytes, f64, pre-tokenized text,
        // bool, an array, an object), or no type at all.
        for code in [4, 6, 7, 9, 12, 13, 200] {
            assert_eq!(stored_values(&document(&[(0, code, text("x"))])), None);
        }
        // A string that is not UTF-8, short or long enough for the SIMD
        // check (64 bytes and more), wherever the bad byte stands.
        assert_eq!(
            stored_values(&document(&[(0, TEXT, vec![0x81, 0xff])])),
            None
        );
        for at in [0, 63, 64, 100, 199] {
            let mut long = "é".repeat(100).into_bytes();
            long[at] = 0xff;
            let mut payload = vec![72, 0x80 | 1]; // 200
            payload.extend(long);
            let bad = document(&[(0, TEXT, payload)]);
            assert_eq!(stored_values(&bad), None, "bad byte at {at}");
            assert_eq!(stored_values_borrowing(&bad, Field::from_field_id(0)), None);
        }
        // A count no document of this length can hold.
        let mut huge = vec![0x7f, 0x7f, 0x7f, 0x7f, 0x8f];
        huge.extend(&good[1..]);
        assert_eq!(stored_values(&huge), None);
    }
}
