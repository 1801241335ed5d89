//! Streams whose /Length is wrong, read to their `endstream` as pdftotext
//! reads them. lopdf takes exactly /Length bytes and wants `endstream`
//! there; when it is not, the object is kept as its bare dictionary, without
//! a word, and a page whose content it was draws nothing or, with a /Length
//! that ends inside the content, only its start (pdf_oxide trusts /Length
//! too). Writers that patch a content stream by hand leave its old length:
//! pdfminer's and pdfannots' sample `simple1.pdf` read "Hello World" of its
//! four lines.

use lopdf::xref::XrefEntry;
use lopdf::{Document, Object, ObjectId, Stream};
use memchr::memmem;

/// Every object lopdf kept as a bare dictionary with a /Length, whose
/// bytes in `bytes` (at its cross-reference offset, counted as lopdf counts
/// it: from `%PDF-`) are its own `N G obj`, a dictionary, the keyword
/// `stream` and data up to `endstream`, becomes that stream again, its
/// /Length set to what it holds. Other dictionaries with a /Length (an
/// /Encrypt dictionary's key length) are not streams in the file and stay.
///
/// An object is looked for only up to the next object's offset, and an
/// offset that names another object is passed over, so the searches of a
/// file whose every stream is wrong (or that has no `endstream` at all, or
/// many numbers pointing at one object) read it once in all. A file that
/// was encrypted is left alone: lopdf decrypts as it loads, and the data
/// taken from the file would stay encrypted.
pub fn mend(bytes: &[u8], doc: &mut Document) {
    if doc.was_encrypted() || doc.is_encrypted() {
        return;
    }
    let lost: Vec<(ObjectId, usize)> = doc
        .objects
        .iter()
        .filter(
            |(_, object)| matches!(object, Object::Dictionary(dict) if dict.get(b"Length").is_ok()),
        )
        .filter_map(|(&id, _)| match doc.reference_table.get(id.0) {
            Some(&XrefEntry::Normal { offset, generation }) if generation == id.1 => {
                Some((id, offset as usize))
            }
            _ => None,
        })
        .collect();
    // Most PDFs have none: nothing more is built for them.
    if lost.is_empty() {
        return;
    }
    // lopdf reads from the first `%PDF-`; offsets count from there.
    let Some(start) = memmem::find(bytes, b"%PDF-") else {
        return;
    };
    let bytes = &bytes[start..];
    let mut offsets: Vec<usize> = doc
        .reference_table
        .entries
        .values()
        .filter_map(|entry| match *entry {
            XrefEntry::Normal { offset, .. } => Some(offset as usize),
            _ => None,
        })
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    for (id, offset) in lost {
        let next = offsets.partition_point(|&o| o <= offset);
        let end = offsets.get(next).copied().unwrap_or(bytes.len());
        let Some(data) = bytes
            .get(offset..end.min(bytes.len()))
            .filter(|object| starts_with_header(object, id))
            .and_then(|object| stream_data_at(object, 0))
        else {
            continue;
        };
        // Stream::new sets /Length to what the data holds.
        if let Some(Object::Dictionary(dict)) = doc.objects.get(&id) {
            let stream = Stream::new(dict.clone(), data.to_vec());
            doc.objects.insert(id, Object::Stream(stream));
        }
    }
}

/// Whether `object` begins (after white space) with `N G obj` for `id`.
fn starts_with_header(object: &[u8], id: ObjectId) -> bool {
    let header = format!("{} {} obj", id.0, id.1);
    object.trim_ascii_start().starts_with(header.as_bytes())
}

/// The data of the stream whose object starts at `offset`: from the end of
/// the line after `stream` (which follows the dictionary's `>>`) to the
/// last `endstream` before `endobj`, less the line end before it.
fn stream_data_at(bytes: &[u8], offset: usize) -> Option<&[u8]> {
    let rest = bytes.get(offset..)?;
    let object = &rest[..memmem::find(rest, b"endobj")?];
    let keyword = memmem::find_iter(object, b"stream")
        .find(|&at| object[..at].trim_ascii_end().ends_with(b">>"))?;
    let mut start = keyword + b"stream".len();
    // The keyword's line ends in CRLF or LF; a lone CR is taken as one too.
    if object[start..].starts_with(b"\r\n") {
        start += 2;
    } else if object[start..].starts_with(b"\n") || object[start..].starts_with(b"\r") {
        start += 1;
    }
    let end = start + memmem::rfind(&object[start..], b"endstream")?;
    let data = &object[start..end];
    let data = data
        .strip_suffix(b"\r\n")
        .or_else(|| data.strip_suffix(b"\n"))
        .or_else(|| data.strip_suffix(b"\r"))
        .unwrap_or(data);
    Some(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_runs_to_endstream_whatever_the_length_says() {
        let file = b"5 0 obj\n<< /Length 3 >>\nstream\nBT (Hello) Tj ET\nendstream\nendobj\n";
        assert_eq!(stream_data_at(file, 0), Some(&b"BT (Hello) Tj ET"[..]));
        let crlf = b"5 0 obj << /Length 99 >> stream\r\nabc\r\nendstream endobj";
        assert_eq!(stream_data_at(crlf, 0), Some(&b"abc"[..]));
    }

    #[test]
    fn an_object_is_known_by_its_own_header() {
        assert!(starts_with_header(b"\n12 0 obj << >>", (12, 0)));
        assert!(!starts_with_header(b"2 0 obj << >>", (12, 0)));
        assert!(!starts_with_header(b"12 1 obj << >>", (12, 0)));
        assert!(!starts_with_header(b"stream data 12 0 obj", (12, 0)));
    }

    #[test]
    fn a_dictionary_that_is_no_stream_has_no_data() {
        // An /Encrypt dictionary has a /Length (its key's), and no stream.
        let file =
            b"9 0 obj\n<< /Filter /Standard /Length 128 /Note (a stream of words) >>\nendobj\n";
        assert_eq!(stream_data_at(file, 0), None);
        assert_eq!(stream_data_at(file, 500), None);
        let unterminated = b"5 0 obj\n<< /Length 3 >>\nstream\nBT (Hello) Tj ET\nendobj\n";
        assert_eq!(stream_data_at(unterminated, 0), None);
    }
}
