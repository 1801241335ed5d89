//! Repairs made to a PDF's objects before its pages are read, for what is
//! legal or common but the readers do not follow: each turns a document
//! that came out empty into one that reads (measured on `../shared/pdfs`,
//! docs/pdf.md).

use std::collections::BTreeMap;
use std::fmt::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::cid_unicode::Collection;

/// A filter chain longer than this is no real one (real chains have one or
/// two); it is left as it is.
const MAX_FILTERS: usize = 16;

/// At most this many fonts get a map written: real documents have dozens;
/// each map is a parse of the font program.
const MAX_FONT_REPAIRS: usize = 256;

/// A stream's `/Filter` (or `/DecodeParms`) given as a reference to an
/// object elsewhere is legal, but the readers take only a name or an array
/// there: the content was never decoded and the document indexed with no
/// text. The references are replaced by what they point to.
pub fn resolve_indirect_filters(doc: &mut Document) {
    let mut resolved = Vec::new();
    for (&id, object) in &doc.objects {
        let Object::Stream(stream) = object else {
            continue;
        };
        for key in [&b"Filter"[..], b"DecodeParms"] {
            let Ok(value) = stream.dict.get(key) else {
                continue;
            };
            // Only what may stand there: a name, an array of names or
            // dictionaries, a dictionary, null; never a stream (a reference
            // to a large one, repeated, would be copied each time).
            let small = |target: &lopdf::ObjectId| -> Option<Object> {
                match doc.get_object(*target).ok()? {
                    o @ (Object::Name(_) | Object::Dictionary(_) | Object::Null) => Some(o.clone()),
                    _ => None,
                }
            };
            let direct = match value {
                Object::Reference(target) => match doc.get_object(*target).ok() {
                    Some(Object::Array(items)) if items.len() <= MAX_FILTERS => {
                        Some(Object::Array(items.clone()))
                    }
                    _ => small(target),
                },
                Object::Array(items)
                    if items.len() <= MAX_FILTERS
                        && items.iter().any(|o| matches!(o, Object::Reference(_))) =>
                {
                    Some(Object::Array(
                        items
                            .iter()
                            .map(|item| match item {
                                Object::Reference(target) => small(target).unwrap_or(Object::Null),
                                other => other.clone(),
                            })
                            .collect(),
                    ))
                }
                _ => None,
            };
            if let Some(direct) = direct.filter(|o| !matches!(o, Object::Reference(_))) {
                resolved.push((id, key.to_vec(), direct));
            }
        }
    }
    for (id, key, direct) in resolved {
        if let Ok(Object::Stream(stream)) = doc.get_object_mut(id) {
            stream.dict.set(key, direct);
        }
    }
}

/// A composite (Type0) font with an embedded TrueType program but no usable
/// ToUnicode map (none, or a name such as `/Identity-H` where a stream
/// belongs) gives the readers glyph numbers and no letters: the document
/// came out blank. The embedded font's own `cmap` table says which letter
/// each glyph draws; from it (and the font's CIDToGIDMap) a ToUnicode map
/// is written and put in the font, where the readers look.
pub fn unicode_maps_from_embedded_fonts(doc: &mut Document) {
    // Object numbers must not wrap (a crafted xref can declare the last).
    if doc.max_id > u32::MAX - MAX_FONT_REPAIRS as u32 {
        return;
    }
    let mut repairs: Vec<(ObjectId, ObjectId)> = Vec::new();
    // Font program → the map written from it: fonts that share a program
    // share one map, and the program is parsed once.
    let mut maps: BTreeMap<ObjectId, Option<String>> = BTreeMap::new();
    // Fonts with no program of their own, in a collection dossier knows.
    let mut by_collection: Vec<(ObjectId, Collection)> = Vec::new();
    for (&id, object) in &doc.objects {
        if maps.len() >= MAX_FONT_REPAIRS {
            break;
        }
        let Ok(font) = object.as_dict() else {
            continue;
        };
        if !font.has_type(b"Font")
            || font.get(b"Subtype").and_then(Object::as_name).ok() != Some(&b"Type0"[..])
        {
            continue;
        }
        let has_map = font
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| resolve(doc, o))
            .is_some_and(|o| matches!(o, Object::Stream(_)));
        let encoding = font.get(b"Encoding").and_then(Object::as_name).ok();
        let identity = encoding == Some(&b"Identity-H"[..]) || encoding == Some(&b"Identity-V"[..]);
        if has_map || !identity {
            continue;
        }
        let Some((cid_font, program)) = embedded_program(doc, font) else {
            if let Some(collection) = character_collection(doc, font) {
                by_collection.push((id, collection));
            }
            continue;
        };
        let map = maps
            .entry(program)
            .or_insert_with(|| cmap_from_program(doc, cid_font, program));
        if map.is_some() {
            repairs.push((id, program));
        }
    }
    let mut streams: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
    for (font_id, program) in repairs {
        let stream_id = match streams.get(&program) {
            Some(&id) => id,
            None => {
                let Some(Some(cmap)) = maps.remove(&program) else {
                    continue;
                };
                let id = doc.add_object(Stream::new(Dictionary::new(), cmap.into_bytes()));
                streams.insert(program, id);
                id
            }
        };
        if let Ok(Object::Dictionary(font)) = doc.get_object_mut(font_id) {
            font.set("ToUnicode", Object::Reference(stream_id));
        }
    }
    let mut collection_streams: BTreeMap<Collection, Option<ObjectId>> = BTreeMap::new();
    for (font_id, collection) in by_collection {
        let stream_id = *collection_streams.entry(collection).or_insert_with(|| {
            let cmap = collection_cmap(collection)?;
            Some(doc.add_object(Stream::new(Dictionary::new(), cmap.into_bytes())))
        });
        if let (Some(stream_id), Ok(Object::Dictionary(font))) =
            (stream_id, doc.get_object_mut(font_id))
        {
            font.set("ToUnicode", Object::Reference(stream_id));
        }
    }
}

/// The collection of a composite font with Identity encoding whose
/// descendant names one of Adobe's (`/Registry (Adobe) /Ordering
/// (Japan1)`): a font not embedded (Ryumin-Light, STSong-Light…) that the
/// reader has only CIDs for. A Japanese statute came back with 4 words of
/// pdftotext's 2,377.
fn character_collection(doc: &Document, font: &Dictionary) -> Option<Collection> {
    let info = resolve(doc, descendant(doc, font)?.get(b"CIDSystemInfo").ok()?)?
        .as_dict()
        .ok()?;
    let text = |key: &[u8]| match info.get(key).ok().and_then(|o| resolve(doc, o)) {
        Some(Object::String(bytes, _)) => Some(bytes.clone()),
        _ => None,
    };
    if text(b"Registry")? != b"Adobe" {
        return None;
    }
    Collection::from_ordering(&text(b"Ordering")?)
}

/// The ToUnicode CMap of a whole collection.
fn collection_cmap(collection: Collection) -> Option<String> {
    let entries: Vec<(u16, char)> = collection.chars().filter(|&(cid, _)| cid > 0).collect();
    to_unicode_cmap(&entries)
}

/// A Type0 font's first descendant, and the object holding its embedded
/// TrueType program, when that is given by reference (as writers do).
fn embedded_program<'a>(
    doc: &'a Document,
    font: &'a Dictionary,
) -> Option<(&'a Dictionary, ObjectId)> {
    let cid_font = descendant(doc, font)?;
    let descriptor = resolve(doc, cid_font.get(b"FontDescriptor").ok()?)?
        .as_dict()
        .ok()?;
    match descriptor.get(b"FontFile2").ok()? {
        Object::Reference(id) => Some((cid_font, *id)),
        _ => None,
    }
}

/// A composite font's (first) descendant, its CIDFont.
fn descendant<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    let descendants = resolve(doc, font.get(b"DescendantFonts").ok()?)?
        .as_array()
        .ok()?;
    resolve(doc, descendants.first()?)?.as_dict().ok()
}

pub(super) fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

/// The ToUnicode CMap, as text, for a Type0 font with Identity encoding
/// (so code = CID), from its descendant `cid_font`'s TrueType `program`.
fn cmap_from_program(doc: &Document, cid_font: &Dictionary, program: ObjectId) -> Option<String> {
    let Ok(Object::Stream(program)) = doc.get_object(program) else {
        return None;
    };
    let bytes = program
        .decompressed_content()
        .unwrap_or_else(|_| program.content.clone());
    let face = ttf_parser::Face::parse(&bytes, 0).ok()?;
    // Glyph → letter, from the font's Unicode subtables (the first letter
    // found for a glyph wins: the base form before its variants).
    let mut letters: BTreeMap<u16, char> = BTreeMap::new();
    // Each Unicode subtable asked for every BMP code: a subtable's own list
    // of codes can span four billion (a crafted format-12 group), and the
    // letters a text search needs are in the BMP.
    for subtable in face
        .tables()
        .cmap?
        .subtables
        .into_iter()
        .filter(|t| t.is_unicode())
        .take(4)
    {
        for code in 0..=0xFFFFu32 {
            if let (Some(c), Some(glyph)) = (char::from_u32(code), subtable.glyph_index(code)) {
                letters.entry(glyph.0).or_insert(c);
            }
        }
    }
    if letters.is_empty() {
        return None;
    }
    // CID → glyph: identity, or two bytes a CID in the map stream.
    let cid_to_glyph: Option<Vec<u8>> = match cid_font
        .get(b"CIDToGIDMap")
        .ok()
        .and_then(|o| resolve(doc, o))
    {
        Some(Object::Stream(map)) => Some(
            map.decompressed_content()
                .unwrap_or_else(|_| map.content.clone()),
        ),
        _ => None,
    };
    let mut entries = Vec::new();
    match &cid_to_glyph {
        Some(map) => {
            for (cid, pair) in map.chunks_exact(2).enumerate().take(65_536) {
                let glyph = u16::from_be_bytes([pair[0], pair[1]]);
                if let Some(&c) = letters.get(&glyph).filter(|_| glyph != 0) {
                    entries.push((cid as u16, c));
                }
            }
        }
        None => entries.extend(letters.iter().map(|(&glyph, &c)| (glyph, c))),
    }
    to_unicode_cmap(&entries)
}

/// A ToUnicode CMap, as text, mapping each code to its letter, in the
/// compact form pdf-extract reads ([`super::unicode_maps::write_map`]);
/// `None` when there is none.
pub(super) fn to_unicode_cmap(entries: &[(u16, char)]) -> Option<String> {
    if entries.is_empty() {
        return None;
    }
    // By code; a code given twice maps as its last entry says.
    let map: BTreeMap<u32, Vec<u16>> = entries
        .iter()
        .map(|&(cid, c)| {
            let mut units = [0u16; 2];
            (u32::from(cid), c.encode_utf16(&mut units).to_vec())
        })
        .collect();
    let map: super::unicode_maps::Entries = map.into_iter().collect();
    Some(super::unicode_maps::write_map(&map))
}

/// At most this many objects are listed in a rebuilt cross-reference
/// table: the largest real documents have a few hundred thousand.
const MAX_REBUILT_OBJECTS: u32 = 4_000_000;

/// A PDF whose cross-reference table or trailer does not parse (wrong
/// offsets, a trailer cut short: hand-made and repaired files; pdftotext
/// rebuilds the table and reads them), with a table rebuilt from where each
/// `N G obj` stands and a trailer naming the last `/Root` (or the object
/// that is a `/Catalog`) and `/Info`, appended as an update. Only for a
/// file [`whole_and_unencrypted`]; `None` for one with no objects or no
/// catalog.
pub fn with_rebuilt_cross_references(bytes: &[u8]) -> Option<Vec<u8>> {
    use regex::bytes::Regex;
    use std::sync::LazyLock;
    static OBJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t]*(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj\b").unwrap()
    });
    static ROOT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/Root[ \t\r\n]*(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+R").unwrap()
    });
    static INFO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/Info[ \t\r\n]*(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+R").unwrap()
    });
    static CATALOG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"/Type[ \t\r\n]*/Catalog\b").unwrap());
    let number = |m: Option<regex::bytes::Match>| -> Option<u32> {
        std::str::from_utf8(m?.as_bytes()).ok()?.parse().ok()
    };
    // Object number → (generation, offset); a later definition (an update
    // appended to the file) wins.
    let mut objects: BTreeMap<u32, (u32, usize)> = BTreeMap::new();
    for found in OBJECT.captures_iter(bytes) {
        let (Some(id), Some(generation)) = (number(found.get(1)), number(found.get(2))) else {
            continue;
        };
        if id == 0 || id > MAX_REBUILT_OBJECTS || generation > 65_535 {
            continue;
        }
        let whole = found.get(0)?;
        let start =
            whole.start() + (whole.as_bytes().len() - whole.as_bytes().trim_ascii_start().len());
        objects.insert(id, (generation, start));
    }
    let last_reference = |pattern: &Regex| -> Option<(u32, u32)> {
        let found = pattern.captures_iter(bytes).last()?;
        Some((number(found.get(1))?, number(found.get(2))?))
    };
    let root = last_reference(&ROOT)
        .filter(|(id, _)| objects.contains_key(id))
        .or_else(|| {
            // The object whose body holds `/Type /Catalog`.
            let at = CATALOG.find_iter(bytes).last()?.start();
            objects
                .iter()
                .filter(|(_, (_, offset))| *offset < at)
                .max_by_key(|(_, (_, offset))| *offset)
                .map(|(&id, &(generation, _))| (id, generation))
        })?;
    let info = last_reference(&INFO).filter(|(id, _)| objects.contains_key(id));
    let size = objects.keys().next_back()? + 1;
    let mut out = bytes.to_vec();
    out.push(b'\n');
    let table_at = out.len();
    let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for id in 1..size {
        match objects.get(&id) {
            Some(&(generation, offset)) => {
                let _ = writeln!(table, "{offset:010} {generation:05} n ");
            }
            None => table.push_str("0000000000 65535 f \n"),
        }
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {size} /Root {} {} R",
        root.0, root.1
    );
    if let Some((id, generation)) = info {
        let _ = write!(table, " /Info {id} {generation} R");
    }
    let _ = write!(table, " >>\nstartxref\n{table_at}\n%%EOF\n");
    out.extend_from_slice(table.as_bytes());
    Some(out)
}

/// Whether a file that does not parse may be repaired or read otherwise:
/// it ends as a PDF ends (`%%EOF` in its last kilobyte; a truncated
/// download does not, and is reported, to be fetched again, rather than
/// indexed in part) and is not encrypted (its key needs the trailer as it
/// was; content that could not be decrypted would be read as garbage).
pub fn whole_and_unencrypted(bytes: &[u8]) -> bool {
    ends_as_a_pdf(bytes) && memchr::memmem::find(bytes, b"/Encrypt").is_none()
}

/// `%%EOF` in the last kilobyte, as every whole PDF ends.
pub fn ends_as_a_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    memchr::memmem::find(tail, b"%%EOF").is_some()
}
