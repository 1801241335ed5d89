//! Writes simple PDFs from known text with lopdf: one page per string, lines
//! wrapped at about 80 characters, Helvetica (a standard font, so no font
//! file is embedded). Tests use it for PDFs of several pages; the PDF quality
//! benchmark uses it as one of its producers.

#![allow(dead_code)]

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, ObjectId, Stream, dictionary};

#[derive(Default)]
pub struct PdfInfo<'a> {
    pub title: Option<&'a str>,
    /// `D:YYYYMMDD…`
    pub creation_date: Option<&'a str>,
    /// Lines after the first with the `'` operator (next line and show), as
    /// Ghostscript writes them, instead of `T*` then `Tj`.
    pub quote_lines: bool,
}

/// A PDF whose page `n` shows `pages[n - 1]`; compressed streams when `compress`.
pub fn write_pdf(pages: &[&str], info: &PdfInfo, compress: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = helvetica(&mut doc);
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for text in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![56.into(), 790.into()]),
        ];
        for (i, line) in wrap(text, 80).iter().enumerate() {
            let shown = vec![Object::string_literal(win_ansi(line))];
            if info.quote_lines && i > 0 {
                operations.push(Operation::new("'", shown));
            } else {
                if i > 0 {
                    operations.push(Operation::new("T*", vec![]));
                }
                operations.push(Operation::new("Tj", shown));
            }
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations };
        let mut stream = Stream::new(dictionary! {}, content.encode().unwrap());
        if compress {
            let _ = stream.compress();
        }
        let content_id = doc.add_object(stream);
        kids.push(add_page(&mut doc, pages_id, content_id, resources_id.into()).into());
    }
    set_page_tree(&mut doc, pages_id, kids);
    let mut info_dict = lopdf::Dictionary::new();
    if let Some(title) = info.title {
        info_dict.set("Title", Object::string_literal(title));
    }
    if let Some(date) = info.creation_date {
        info_dict.set("CreationDate", Object::string_literal(date));
    }
    if !info_dict.is_empty() {
        let info_id = doc.add_object(info_dict);
        doc.trailer.set("Info", info_id);
    }
    save(doc)
}

/// A one-page PDF drawing `content` (a raw content stream) with Helvetica
/// as `/F1`: for tests of where glyphs are placed.
pub fn pdf_with_content(content: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = helvetica(&mut doc);
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
    let page_id = add_page(&mut doc, pages_id, content_id, resources_id.into());
    set_page_tree(&mut doc, pages_id, vec![page_id.into()]);
    save(doc)
}

/// How a filled text field carries its value.
#[derive(Clone, Copy, PartialEq)]
pub enum Field {
    /// Its appearance stream draws the value.
    Drawn,
    /// Its appearance stream is empty (LibreOffice: viewers draw `/V`).
    ValueOnly,
    /// Drawn, but the field is flagged hidden (viewers do not draw it).
    Hidden,
}

/// A one-page form: the page draws `label`; a text field holds `value`,
/// as a filled form carries what was typed in.
pub fn pdf_with_filled_field(label: &str, value: &str, field: Field) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = helvetica(&mut doc);
    let content = format!("BT /F1 11 Tf 56 700 Td ({label}) Tj ET");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let appearance = if field == Field::ValueOnly {
        "/Tx BMC\nEMC\n".to_string()
    } else {
        format!("/Tx BMC BT /Helv 10 Tf 2 4 Td ({value}) Tj ET EMC")
    };
    let appearance_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 300.into(), 16.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "Helv" => font_id } },
        },
        appearance.into_bytes(),
    ));
    let field_id = doc.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Widget",
        "FT" => "Tx",
        "T" => Object::string_literal("agency"),
        "V" => Object::string_literal(value),
        "F" => if field == Field::Hidden { 2 } else { 4 },
        "Rect" => vec![200.into(), 696.into(), 500.into(), 712.into()],
        "AP" => dictionary! { "N" => appearance_id },
    });
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        "Annots" => vec![field_id.into()],
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    set_page_tree(&mut doc, pages_id, vec![page_id.into()]);
    save(doc)
}

/// Helvetica, a standard font (no program embedded), WinAnsi-encoded.
fn helvetica(doc: &mut Document) -> ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    })
}

/// An A4 page of the tree `pages_id` drawing `content_id` with `resources`.
fn add_page(
    doc: &mut Document,
    pages_id: ObjectId,
    content_id: ObjectId,
    resources: Object,
) -> ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    })
}

/// Puts `kids` in the page tree `pages_id` and makes it the catalog's.
pub fn set_page_tree(doc: &mut Document, pages_id: ObjectId, kids: Vec<Object>) {
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
}

/// The document's bytes.
pub fn save(mut doc: Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// Helvetica with WinAnsiEncoding shows Windows-1252 bytes.
fn win_ansi(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    bytes.into_owned()
}

/// A one-page PDF whose content stream inflates to `inflated` bytes of
/// spaces: a decompression bomb (about 1,000 : 1).
pub fn inflation_bomb(inflated: usize) -> Vec<u8> {
    inflation_bomb_with(inflated, false)
}

/// [`inflation_bomb`], its `/Filter` given as a reference to a name object
/// when `indirect_filter`.
pub fn inflation_bomb_with(inflated: usize, indirect_filter: bool) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(chunk.len());
        encoder.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    let compressed = encoder.finish().unwrap();
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let filter = if indirect_filter {
        Object::Reference(doc.add_object(Object::Name(b"FlateDecode".to_vec())))
    } else {
        Object::Name(b"FlateDecode".to_vec())
    };
    let content_id = doc.add_object(Stream::new(dictionary! { "Filter" => filter }, compressed));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    set_page_tree(&mut doc, pages_id, vec![page_id.into()]);
    save(doc)
}

/// `inflated` bytes of spaces, zlib-compressed (about 1,000 : 1).
fn deflated_spaces(inflated: usize, raw: bool) -> Vec<u8> {
    use std::io::Write;
    let chunk = vec![b' '; 1 << 20];
    let write_all = |w: &mut dyn Write| {
        let mut left = inflated;
        while left > 0 {
            let n = left.min(chunk.len());
            w.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
    };
    if raw {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        write_all(&mut encoder);
        encoder.finish().unwrap()
    } else {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        write_all(&mut encoder);
        encoder.finish().unwrap()
    }
}

/// Adobe's ASCII85, with its `~>` end.
fn ascii85(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 5 / 4 + 8);
    for chunk in bytes.chunks(4) {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        let mut value = u32::from_be_bytes(word);
        if value == 0 && chunk.len() == 4 {
            out.push(b'z');
            continue;
        }
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = (value % 85) as u8 + b'!';
            value /= 85;
        }
        out.extend_from_slice(&digits[..chunk.len() + 1]);
    }
    out.extend_from_slice(b"~>");
    out
}

/// A one-page PDF around a content stream with these filter and bytes.
fn one_page_with_content(filter: Object, content: Vec<u8>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(dictionary! { "Filter" => filter }, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    set_page_tree(&mut doc, pages_id, vec![page_id.into()]);
    save(doc)
}

/// A bomb behind a filter chain: `[/ASCII85Decode /FlateDecode]`.
pub fn chained_inflation_bomb(inflated: usize) -> Vec<u8> {
    one_page_with_content(
        Object::Array(vec!["ASCII85Decode".into(), "FlateDecode".into()]),
        ascii85(&deflated_spaces(inflated, false)),
    )
}

/// A bomb of raw deflate behind two junk bytes where a zlib header should
/// be: a zlib reader refuses it, lopdf then tries raw deflate after them.
pub fn raw_deflate_bomb(inflated: usize) -> Vec<u8> {
    let mut content = b"\x00\x00".to_vec();
    content.extend(deflated_spaces(inflated, true));
    one_page_with_content("FlateDecode".into(), content)
}

/// A bomb in an object stream, which a parser inflates as it loads the file.
pub fn object_stream_bomb(inflated: usize) -> Vec<u8> {
    let mut packed = b"5 0 ".to_vec();
    packed.extend(std::iter::repeat_n(b' ', 16));
    let header_len = packed.len();
    let mut body = packed;
    body.extend(b"<< /Filler true >>");
    let mut raw = body;
    raw.resize(raw.len() + inflated, b' ');
    let compressed = {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&raw).unwrap();
        encoder.finish().unwrap()
    };
    let mut stream = format!(
        "<< /Type /ObjStm /N 1 /First {header_len} /Filter /FlateDecode /Length {} >> stream\n",
        compressed.len()
    )
    .into_bytes();
    stream.extend(&compressed);
    stream.extend(b"\nendstream");
    file_of_objects(
        "1.5",
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
            stream,
        ],
    )
}

/// A PDF file of `objects` (their bodies, numbered from 1, the first the
/// catalog) after a `%PDF-{version}` header, with a classic
/// cross-reference table: for files lopdf would not write (a wrong
/// /Length, an object stream made by hand).
pub fn file_of_objects(version: &str, objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = format!("%PDF-{version}\n").into_bytes();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(object);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for offset in &offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Helvetica, the font the hand-written test PDFs draw in.
pub const HELVETICA: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// The body of a stream object holding `content`, with `dict`'s entries
/// besides its /Length.
pub fn stream_object(dict: &str, content: &str) -> Vec<u8> {
    format!(
        "<< {dict} /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
    .into_bytes()
}

/// A PDF of a page for each `(font, content)`: the page draws its content,
/// a stream object's body written by hand (so that its length may be
/// wrong), with `font` as `/F1`. The objects are numbered: 1 the catalog,
/// 2 the page tree, then each page's page, font and content in turn (3, 4,
/// 5; 6, 7, 8; …).
pub fn pages_of(pages: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
    let first = |page: usize| 3 + 3 * page;
    let kids: Vec<String> = (0..pages.len())
        .map(|page| format!("{} 0 R", first(page)))
        .collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Count {} /Kids [{}] >>",
            pages.len(),
            kids.join(" ")
        )
        .into_bytes(),
    ];
    for (page, (font, content)) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 {} 0 R >> >> \
                 /Contents {} 0 R /MediaBox [0 0 612 792] >>",
                first(page) + 1,
                first(page) + 2
            )
            .into_bytes(),
        );
        objects.push(font.to_vec());
        objects.push(content.clone());
    }
    file_of_objects("1.4", &objects)
}

/// A one-page PDF in Helvetica whose content is `stream_object` (see
/// [`pages_of`]).
pub fn one_page_in_helvetica(stream_object: Vec<u8>) -> Vec<u8> {
    pages_of(&[(HELVETICA, stream_object)])
}

/// A PDF of `pages` pages that all show one compressed content stream of
/// about `stream_mb` MB of text: a small file whose text is `pages` times
/// that (a text bomb, not an inflation bomb: each stream inflates honestly).
pub fn text_amplification_bomb(pages: usize, stream_mb: usize) -> Vec<u8> {
    text_bomb(pages, stream_mb, DrawnBy::Page)
}

/// Who draws the text of a [`text_bomb`].
#[derive(Clone, Copy, PartialEq)]
pub enum DrawnBy {
    /// Each page's content stream.
    Page,
    /// An annotation on each page, its appearance stream; the pages' own
    /// content is two words.
    Annotation,
}

/// [`text_amplification_bomb`], the text drawn by `drawn_by`.
pub fn text_bomb(pages: usize, stream_mb: usize, drawn_by: DrawnBy) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = helvetica(&mut doc);
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let line = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu";
    let mut operations = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 11.into()]),
        Operation::new("TL", vec![14.into()]),
        Operation::new("Td", vec![56.into(), 790.into()]),
    ];
    for _ in 0..(stream_mb << 20) / (line.len() + 1) {
        let line = vec![Object::string_literal(line.as_bytes().to_vec())];
        // Pages' `'` operators are rewritten before reading (pdf-extract
        // has none); a form's are not, so an appearance moves and shows.
        if drawn_by == DrawnBy::Page {
            operations.push(Operation::new("'", line));
        } else {
            operations.push(Operation::new("T*", vec![]));
            operations.push(Operation::new("Tj", line));
        }
    }
    operations.push(Operation::new("ET", vec![]));
    let mut stream = Stream::new(dictionary! {}, Content { operations }.encode().unwrap());
    let _ = stream.compress();
    let (content_id, annotations) = match drawn_by {
        DrawnBy::Page => (doc.add_object(stream), vec![]),
        DrawnBy::Annotation => {
            stream.dict.set("Type", "XObject");
            stream.dict.set("Subtype", "Form");
            stream
                .dict
                .set("BBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
            stream.dict.set("Resources", resources_id);
            let appearance = doc.add_object(stream);
            let annotation = doc.add_object(dictionary! {
                "Type" => "Annot",
                "Subtype" => "FreeText",
                "Rect" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "AP" => dictionary! { "N" => appearance },
            });
            let body = b"BT /F1 12 Tf 56 800 Td (page body) Tj ET".to_vec();
            (
                doc.add_object(Stream::new(dictionary! {}, body)),
                vec![annotation.into()],
            )
        }
    };
    let kids: Vec<Object> = (0..pages)
        .map(|_| {
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content_id,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Annots" => annotations.clone(),
            })
            .into()
        })
        .collect();
    set_page_tree(&mut doc, pages_id, kids);
    save(doc)
}
