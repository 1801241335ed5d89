//! ToUnicode maps in the compact form pdf-extract reads, for the maps
//! dossier writes itself (from an embedded font's `cmap`, a CJK
//! collection, a form field's font). pdf-extract builds every font again
//! on each page and parses its map each time (adobe-cmap-parser, about
//! 3.5 MB/s), so a map has no header, and consecutive codes mapped to
//! consecutive letters are one range. (Rewriting the document's own maps
//! this way was tried and taken back: docs/pdf.md says why.)

use std::fmt::Write as _;

/// Codes and the UTF-16 units each maps to, sorted by code.
pub type Entries = Vec<(u32, Vec<u16>)>;

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

    /// The entries of a ToUnicode map as pdf-extract reads them (with
    /// adobe-cmap-parser), less those it would panic on (the writer is
    /// never given such); `None` when the map does not parse.
    fn read_map(data: &[u8]) -> Option<Entries> {
        use std::panic::{AssertUnwindSafe, catch_unwind};
        let map: std::collections::HashMap<u32, Vec<u8>> = catch_unwind(AssertUnwindSafe(|| {
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
