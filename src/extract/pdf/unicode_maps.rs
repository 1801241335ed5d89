//! ToUnicode maps, read once per document and written back compactly.
//!
//! pdf-extract builds every font again on each page (its font table is
//! cleared per page, since font names are per page), and with it parses
//! the font's ToUnicode map (adobe-cmap-parser, about 3.5 MB/s): on
//! `../shared/pdfs` that parsing was a quarter of all the reading time. A
//! map is therefore read here once, and its stream replaced by the same
//! mapping in its shortest form: no header, consecutive codes that map to
//! consecutive letters as one range, uncompressed. The rewritten form is
//! read back and kept only when it gives the same map.
//!
//! Entries pdf-extract cannot take are dropped on the way, where it would
//! panic and lose the whole page: a value of an odd number of bytes, or
//! one that is not UTF-16 (a lone surrogate half). A map whose stream does
//! not parse at all is left as it is.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Maps larger than this (decompressed) are left alone: the largest real
/// ones (a whole CJK collection) are a few hundred kilobytes.
const MAX_MAP_BYTES: usize = 4 * 1024 * 1024;

/// At most this many maps are rewritten in one document.
const MAX_MAPS: usize = 10_000;

/// Codes and the UTF-16 units each maps to, sorted by code.
pub type Entries = Vec<(u32, Vec<u16>)>;

/// Rewrites every ToUnicode map the document's fonts refer to in its
/// compact form (see the module's documentation).
pub fn compact_unicode_maps(doc: &mut Document) {
    let mut ids = BTreeSet::new();
    for object in doc.objects.values() {
        if let Ok(dict) = object.as_dict()
            && let Ok(Object::Reference(id)) = dict.get(b"ToUnicode")
        {
            ids.insert(*id);
            if ids.len() >= MAX_MAPS {
                break;
            }
        }
    }
    for id in ids {
        let Some(compact) = compact_stream(doc, id) else {
            continue;
        };
        doc.objects.insert(
            id,
            Object::Stream(Stream::new(Dictionary::new(), compact.into_bytes())),
        );
    }
}

/// The compact text of the map in stream `id`, when it is shorter than the
/// stream's and reads back the same.
fn compact_stream(doc: &Document, id: ObjectId) -> Option<String> {
    let Ok(Object::Stream(stream)) = doc.get_object(id) else {
        return None;
    };
    let data = if stream.dict.has(b"Filter") {
        stream.decompressed_content().ok()?
    } else {
        stream.content.clone()
    };
    if data.len() > MAX_MAP_BYTES {
        return None;
    }
    let entries = read_map(&data)?;
    let compact = write_map(&entries);
    (compact.len() < data.len() && read_map(compact.as_bytes()).as_ref() == Some(&entries))
        .then_some(compact)
}

/// The entries of a ToUnicode map as pdf-extract reads them (with
/// adobe-cmap-parser), less those it would panic on; `None` when the map
/// does not parse.
fn read_map(data: &[u8]) -> Option<Entries> {
    let map: HashMap<u32, Vec<u8>> = catch_unwind(AssertUnwindSafe(|| {
        adobe_cmap_parser::get_unicode_map(data)
    }))
    .ok()?
    .ok()?;
    let mut entries: Entries = map
        .into_iter()
        .filter_map(|(code, bytes)| {
            if bytes.is_empty() || bytes.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            char::decode_utf16(units.iter().copied())
                .all(|c| c.is_ok())
                .then_some((code, units))
        })
        .collect();
    entries.sort_unstable_by_key(|(code, _)| *code);
    Some(entries)
}

/// A map as the shortest text pdf-extract reads back the same: runs of
/// consecutive codes mapped to consecutive single units as `bfrange`
/// lines, the rest as `bfchar` lines, a hundred to a section as the
/// CMap format asks. `entries` are sorted by code, each code once.
pub fn write_map(entries: &[(u32, Vec<u16>)]) -> String {
    let mut singles: Vec<&(u32, Vec<u16>)> = Vec::new();
    let mut ranges: Vec<(u32, u32, u16)> = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let (code, units) = &entries[i];
        let mut end = i;
        if let [first] = units[..] {
            while let Some((next_code, next_units)) = entries.get(end + 1)
                && let [next] = next_units[..]
                && Some(*next_code) == entries[end].0.checked_add(1)
                && Some(next) == entries[end].1[0].checked_add(1)
            {
                end += 1;
            }
            if end > i {
                ranges.push((*code, entries[end].0, first));
            }
        }
        if end == i {
            singles.push(&entries[i]);
        }
        i = end + 1;
    }
    let mut text = String::new();
    for block in singles.chunks(100) {
        let _ = writeln!(text, "{} beginbfchar", block.len());
        for (code, units) in block {
            let _ = write!(text, "<{}> <", code_hex(*code));
            for unit in units {
                let _ = write!(text, "{unit:04X}");
            }
            text.push_str(">\n");
        }
        text.push_str("endbfchar\n");
    }
    for block in ranges.chunks(100) {
        let _ = writeln!(text, "{} beginbfrange", block.len());
        for (low, high, first) in block {
            let _ = writeln!(
                text,
                "<{}> <{}> <{first:04X}>",
                code_hex(*low),
                code_hex(*high)
            );
        }
        text.push_str("endbfrange\n");
    }
    text
}

/// A code in hexadecimal, in whole bytes.
fn code_hex(code: u32) -> String {
    match code {
        0..=0xFF => format!("{code:02X}"),
        0x100..=0xFFFF => format!("{code:04X}"),
        0x1_0000..=0xFF_FFFF => format!("{code:06X}"),
        _ => format!("{code:08X}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORD_STYLE: &str = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        /CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS) /Supplement 0 >> def\n\
        /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n\
        endcodespacerange\n9 beginbfchar\n<20> <0020>\n<30> <0030>\n<31> <0031>\n<32> <0032>\n\
        <41> <0041>\n<92> <2019>\n<93> <00660069>\n<94> <D835DC9C>\n<95> <0065>\nendbfchar\n\
        endcmap CMapName currentdict /CMap defineresource pop end end\n";

    #[test]
    fn a_map_is_written_shorter_and_reads_back_the_same() {
        let entries = read_map(WORD_STYLE.as_bytes()).expect("the map parses");
        assert_eq!(entries.len(), 9);
        let compact = write_map(&entries);
        assert!(compact.len() < WORD_STYLE.len() / 2, "{compact}");
        assert!(compact.contains("<30> <32> <0030>"), "{compact}");
        assert_eq!(read_map(compact.as_bytes()), Some(entries));
    }

    #[test]
    fn entries_pdf_extract_would_panic_on_are_dropped() {
        let map = "3 beginbfchar\n<01> <0041>\n<02> <00>\n<03> <D800>\nendbfchar\n";
        assert_eq!(read_map(map.as_bytes()), Some(vec![(1, vec![0x41])]));
    }

    #[test]
    fn a_map_that_does_not_parse_is_left_alone() {
        assert_eq!(read_map(b"1 beginbfchar\n<01>\nendbfchar"), None);
    }

    #[test]
    fn two_byte_codes_and_ranges_at_the_edges() {
        let entries: Entries = vec![
            (0x00FE, vec![0xFFFE]),
            (0x00FF, vec![0xFFFF]),
            (0x0100, vec![0x0100]),
            (0xFFFF, vec![0x0041]),
        ];
        let compact = write_map(&entries);
        assert_eq!(read_map(compact.as_bytes()), Some(entries));
    }
}
