//! PDFs with a composite (Type0) font, as UN and magazine PDFs use for any
//! script: each line of text is shown as two-byte codes, and what the codes
//! mean comes from the font's ToUnicode map, from an embedded TrueType
//! program's own cmap, or from a predefined CMap. No font outlines are
//! needed to read text, so none is embedded unless a test asks for it
//! (Debian's DejaVu Sans, Bitstream Vera licence).

#![allow(dead_code)]

use std::collections::BTreeMap;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, dictionary};

/// How the font says what its codes mean.
pub enum Mapping<'a> {
    /// A ToUnicode map; codes numbered 1, 2, … by first use. A string value
    /// overrides what a character maps to (a ligature glyph's "ﬁ").
    ToUnicode,
    /// No ToUnicode: codes are glyph numbers of this embedded TrueType font.
    EmbeddedOnly(&'a [u8]),
    /// A predefined CMap (`/UniGB-UCS2-H`): codes are UCS-2, the font is
    /// Adobe's non-embedded STSong-Light.
    PredefinedUcs2,
    /// Identity-H with no ToUnicode, Adobe's non-embedded Ryumin-Light:
    /// codes are CIDs of the Adobe-Japan1 collection (these, from
    /// characters).
    JapaneseCids(&'a BTreeMap<char, u16>),
}

pub struct CidPdf<'a> {
    /// One page: its lines, top to bottom, each shown as drawn.
    pub lines: &'a [&'a str],
    pub mapping: Mapping<'a>,
    /// The content stream's `/Filter` given as a reference to a name object.
    pub indirect_filter: bool,
}

impl CidPdf<'_> {
    pub fn write(&self) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        // Code for each character.
        let mut codes: BTreeMap<char, u16> = BTreeMap::new();
        let face = match self.mapping {
            Mapping::EmbeddedOnly(font) => Some(ttf_parser::Face::parse(font, 0).unwrap()),
            _ => None,
        };
        let code_of = |c: char, codes: &mut BTreeMap<char, u16>| -> u16 {
            match (&self.mapping, &face) {
                (Mapping::EmbeddedOnly(_), Some(face)) => face.glyph_index(c).map_or(0, |g| g.0),
                (Mapping::PredefinedUcs2, _) => c as u16,
                (Mapping::JapaneseCids(cids), _) => cids.get(&c).copied().unwrap_or(0),
                _ => {
                    let next = codes.len() as u16 + 1;
                    *codes.entry(c).or_insert(next)
                }
            }
        };
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("TL", vec![16.into()]),
            Operation::new("Td", vec![56.into(), 790.into()]),
        ];
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                operations.push(Operation::new("T*", vec![]));
            }
            let mut bytes = Vec::new();
            for c in line.chars() {
                bytes.extend(code_of(c, &mut codes).to_be_bytes());
            }
            operations.push(Operation::new(
                "Tj",
                vec![Object::String(bytes, lopdf::StringFormat::Hexadecimal)],
            ));
        }
        operations.push(Operation::new("ET", vec![]));
        let mut content = Stream::new(dictionary! {}, Content { operations }.encode().unwrap());
        content.compress().unwrap();
        if self.indirect_filter {
            let name_id = doc.add_object(Object::Name(b"FlateDecode".to_vec()));
            content.dict.set("Filter", Object::Reference(name_id));
        }
        let content_id = doc.add_object(content);

        let font_id = self.font(&mut doc, &codes);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        super::pdf::set_page_tree(&mut doc, pages_id, vec![page_id.into()]);
        super::pdf::save(doc)
    }

    fn font(&self, doc: &mut Document, codes: &BTreeMap<char, u16>) -> lopdf::ObjectId {
        let (registry_ordering, base, encoding) = match self.mapping {
            Mapping::PredefinedUcs2 => (("Adobe", "GB1", 2), "STSong-Light", "UniGB-UCS2-H"),
            Mapping::JapaneseCids(_) => (("Adobe", "Japan1", 2), "Ryumin-Light", "Identity-H"),
            _ => (("Adobe", "Identity", 0), "DejaVuSans", "Identity-H"),
        };
        let mut descriptor = dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => base,
            "Flags" => 32,
            "FontBBox" => vec![0.into(), (-200).into(), 1000.into(), 900.into()],
            "ItalicAngle" => 0,
            "Ascent" => 900,
            "Descent" => -200,
            "CapHeight" => 700,
            "StemV" => 80,
        };
        if let Mapping::EmbeddedOnly(font) = self.mapping {
            let program = doc.add_object(Stream::new(
                dictionary! { "Length1" => font.len() as i64 },
                font.to_vec(),
            ));
            descriptor.set("FontFile2", program);
        }
        let descriptor_id = doc.add_object(descriptor);
        let mut cid_font: Dictionary = dictionary! {
            "Type" => "Font",
            "Subtype" => if matches!(self.mapping, Mapping::PredefinedUcs2 | Mapping::JapaneseCids(_)) { "CIDFontType0" } else { "CIDFontType2" },
            "BaseFont" => base,
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal(registry_ordering.0),
                "Ordering" => Object::string_literal(registry_ordering.1),
                "Supplement" => registry_ordering.2,
            },
            "FontDescriptor" => descriptor_id,
            "DW" => 600,
        };
        if !matches!(
            self.mapping,
            Mapping::PredefinedUcs2 | Mapping::JapaneseCids(_)
        ) {
            cid_font.set("CIDToGIDMap", "Identity");
        }
        let cid_font_id = doc.add_object(cid_font);
        let mut font = dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => base,
            "Encoding" => encoding,
            "DescendantFonts" => vec![cid_font_id.into()],
        };
        if matches!(self.mapping, Mapping::ToUnicode) {
            let mut cmap = String::from(
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Test def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
            );
            cmap.push_str(&format!("{} beginbfchar\n", codes.len()));
            for (c, code) in codes {
                let mut units = [0u16; 2];
                let hex: String = c
                    .encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("{u:04X}"))
                    .collect();
                cmap.push_str(&format!("<{code:04X}> <{hex}>\n"));
            }
            cmap.push_str(
                "endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n",
            );
            let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
            font.set("ToUnicode", to_unicode);
        }
        doc.add_object(font)
    }
}
