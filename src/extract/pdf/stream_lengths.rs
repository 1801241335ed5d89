//! Streams whose stated `/Length` is wrong. A hand-made or carelessly
//! edited PDF may say `/Length 86` for a content stream of 251 bytes; the
//! parser then takes 86 bytes, finds no `endstream` there, and the page
//! loses its text (both readers read the first line of such a page, where
//! pdftotext, which looks for `endstream`, reads them all: two of 46
//! held-out test files). Such a file gets each wrong length replaced by
//! the measured one, and its cross-reference table rebuilt, since every
//! offset after the first change has moved.
//!
//! Only direct lengths are checked (`/Length 86`, not `/Length 6 0 R`: a
//! writer that counts the length after writing the stream rarely counts
//! wrong), and only in a whole, unencrypted file without object streams,
//! the files that [`super::repair::with_rebuilt_cross_references`] can
//! rebuild: such errors come from old or hand-written files, which have
//! none.

use memchr::memmem;

use super::repair;

/// How far before its `stream` keyword a stream's dictionary is looked
/// for: stream dictionaries are a few hundred bytes at most.
const DICTIONARY_REACH: usize = 4096;

/// `bytes` with every wrong direct stream length replaced by the measured
/// one and the cross-reference table rebuilt; `None` when every length is
/// right (nearly every file: then nothing is copied) or the file may not
/// be rebuilt.
pub fn with_stream_lengths_measured(bytes: &[u8]) -> Option<Vec<u8>> {
    if !repair::whole_and_unencrypted(bytes) || memmem::find(bytes, b"/ObjStm").is_some() {
        return None;
    }
    let fixes = wrong_lengths(bytes);
    if fixes.is_empty() {
        return None;
    }
    let mut fixed = Vec::with_capacity(bytes.len() + 16 * fixes.len());
    let mut from = 0;
    for fix in &fixes {
        fixed.extend_from_slice(&bytes[from..fix.digits.start]);
        fixed.extend_from_slice(fix.measured.to_string().as_bytes());
        from = fix.digits.end;
    }
    fixed.extend_from_slice(&bytes[from..]);
    repair::with_rebuilt_cross_references(&fixed)
}

/// A stated length to replace: where its digits stand, and the length
/// measured up to `endstream`.
struct Fix {
    digits: std::ops::Range<usize>,
    measured: usize,
}

/// The direct stream lengths in `bytes` that do not end at `endstream`, in
/// file order.
fn wrong_lengths(bytes: &[u8]) -> Vec<Fix> {
    let mut fixes = Vec::new();
    // The end of the last stream's data: the word "stream" inside it is
    // data, not a keyword.
    let mut data_end = 0;
    for keyword in memmem::find_iter(bytes, b"stream") {
        if keyword < data_end || (keyword >= 3 && &bytes[keyword - 3..keyword] == b"end") {
            continue;
        }
        // The data starts after the end of the keyword's line.
        let Some(start) = after_eol(bytes, keyword + b"stream".len()) else {
            continue;
        };
        let Some((digits, stated)) = stated_length(bytes, keyword) else {
            continue;
        };
        if ends_at_endstream(bytes, start.saturating_add(stated)) {
            data_end = start + stated;
            continue;
        }
        let Some(end) = memmem::find(&bytes[start..], b"endstream") else {
            continue;
        };
        let mut measured = end;
        // The end-of-line before `endstream` is not part of the data.
        if bytes[start..start + measured].ends_with(b"\r\n") {
            measured -= 2;
        } else if bytes[start..start + measured].ends_with(b"\n")
            || bytes[start..start + measured].ends_with(b"\r")
        {
            measured -= 1;
        }
        data_end = start + measured;
        if measured != stated {
            fixes.push(Fix { digits, measured });
        }
    }
    fixes
}

/// Where the line after `at` starts, when only spaces and an end of line
/// (`\r\n`, `\n` or `\r`) follow the keyword.
fn after_eol(bytes: &[u8], mut at: usize) -> Option<usize> {
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\r'), Some(b'\n')) => Some(at + 2),
        (Some(b'\n'), _) | (Some(b'\r'), _) => Some(at + 1),
        _ => None,
    }
}

/// Whether `endstream` follows `at`, after at most one end of line: what
/// the parser accepts.
fn ends_at_endstream(bytes: &[u8], at: usize) -> bool {
    let Some(rest) = bytes.get(at..) else {
        return false;
    };
    let rest = rest
        .strip_prefix(b"\r\n")
        .or_else(|| rest.strip_prefix(b"\n"))
        .or_else(|| rest.strip_prefix(b"\r"))
        .unwrap_or(rest);
    rest.starts_with(b"endstream")
}

/// The direct `/Length` of the dictionary before the `stream` keyword at
/// `keyword`: where its digits stand and their value; `None` for an
/// indirect length, or none found within the object.
fn stated_length(bytes: &[u8], keyword: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let from = keyword.saturating_sub(DICTIONARY_REACH);
    let before = &bytes[from..keyword];
    // The dictionary lies after the object's header: not past an `obj`
    // keyword, nor into the stream before it.
    let begins = [b"obj".as_slice(), b"endstream"]
        .iter()
        .filter_map(|word| memmem::rfind(before, word).map(|at| at + word.len()))
        .max()
        .unwrap_or(0);
    let dictionary = &before[begins..];
    // The last `/Length` key: not `/Length1`, `/Length2`, `/Length3` (a
    // font program's own lengths).
    let key = memmem::rfind_iter(dictionary, b"/Length").find(|&at| {
        dictionary
            .get(at + b"/Length".len())
            .is_some_and(|c| c.is_ascii_whitespace())
    })?;
    let mut at = key + b"/Length".len();
    while dictionary.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    let digits_start = at;
    while dictionary.get(at).is_some_and(u8::is_ascii_digit) {
        at += 1;
    }
    if at == digits_start || at - digits_start > 12 {
        return None;
    }
    let value: usize = std::str::from_utf8(&dictionary[digits_start..at])
        .ok()?
        .parse()
        .ok()?;
    // `6 0 R`: a reference, not a length.
    let mut next = at;
    while dictionary.get(next).is_some_and(u8::is_ascii_whitespace) {
        next += 1;
    }
    if dictionary.get(next).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let offset = from + begins;
    Some((offset + digits_start..offset + at, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(dictionary: &str, data: &str) -> Vec<u8> {
        format!("5 0 obj\n<< {dictionary} >>\nstream\n{data}\nendstream\nendobj\n").into_bytes()
    }

    #[test]
    fn a_right_length_is_left_alone() {
        let data = "BT (Hello) Tj ET";
        assert!(wrong_lengths(&stream(&format!("/Length {}", data.len()), data)).is_empty());
        // With the end of line counted, as some writers do.
        let counted = stream(&format!("/Length {}", data.len() + 1), data);
        assert!(wrong_lengths(&counted).is_empty());
        // The word inside a stream's data is no keyword.
        let inner = "BT (a\nstream\n) Tj ET";
        assert!(wrong_lengths(&stream(&format!("/Length {}", inner.len()), inner)).is_empty());
    }

    #[test]
    fn a_wrong_length_is_measured_to_endstream() {
        let data = "BT (Hello) Tj\n0 -100 Td (World) Tj ET";
        let bytes = stream("/Length 5", data);
        let fixes = wrong_lengths(&bytes);
        assert_eq!(fixes.len(), 1);
        assert_eq!(fixes[0].measured, data.len());
        assert_eq!(&bytes[fixes[0].digits.clone()], b"5");
        let crlf =
            format!("5 0 obj\r\n<< /Length 500 >>\r\nstream\r\n{data}\r\nendstream\r\nendobj");
        assert_eq!(wrong_lengths(crlf.as_bytes())[0].measured, data.len());
    }

    #[test]
    fn indirect_lengths_and_font_lengths_are_not_read_as_lengths() {
        let data = "BT (Hello) Tj ET";
        assert!(wrong_lengths(&stream("/Length 6 0 R", data)).is_empty());
        assert!(wrong_lengths(&stream("/Length1 3 /Length 6 0 R", data)).is_empty());
        let fixes = wrong_lengths(&stream("/Length 3 /Length1 400", data));
        assert_eq!(fixes.len(), 1);
        assert_eq!(fixes[0].measured, data.len());
    }
}
