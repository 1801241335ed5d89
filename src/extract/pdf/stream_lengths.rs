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
/// bytes in `bytes` (at its cross-reference offset) are a dictionary, the
/// keyword `stream` and data up to `endstream`, becomes that stream again,
/// its /Length set to what it holds. Other dictionaries with a /Length (an
/// /Encrypt dictionary's key length) are not streams in the file and stay.
///
/// An object is looked for only up to the next object's offset, so the
/// searches of a file whose every stream is wrong (or that has no
/// `endstream` at all) read it once in all, not once a stream.
pub fn mend(bytes: &[u8], doc: &mut Document) {
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
    for (id, offset) in lost {
        let next = offsets.partition_point(|&o| o <= offset);
        let end = offsets.get(next).copied().unwrap_or(bytes.len());
        let Some(data) = bytes
            .get(offset..end.min(bytes.len()))
            .and_then(|object| stream_data_at(object, 0))
        else {
            continue;
        };
        if let Some(Object::Dictionary(dict)) = doc.objects.get(&id) {
            let mut dict = dict.clone();
            dict.set("Length", data.len() as i64);
            doc.objects
                .insert(id, Object::Stream(Stream::new(dict, data.to_vec())));
        }
    }
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
