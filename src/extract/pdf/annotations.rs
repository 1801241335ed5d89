//! What a filled form says (its fields' values, a text box's words) is
//! drawn by its annotations, not by the page's content, and the readers
//! read only the content: a form came back without its values ("U.S.
//! Department of the Interior, Fish and Wildlife Service" missing from an
//! SF-424), where viewers and pdftotext show them. So each visible
//! annotation's normal appearance is drawn, moved to the annotation's
//! rectangle; and a text or choice field whose appearance draws no text
//! (LibreOffice leaves them empty and asks viewers to draw the value) has
//! its value drawn instead, in a font whose ToUnicode map says what each
//! code means. The drawings are read after the page, as a page of their
//! own: a drawing the reader fails on (it panics on some appearance
//! streams) costs only itself, never the page's own text.

use std::collections::BTreeMap;
use std::fmt::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

use super::repair::{resolve, to_unicode_cmap};

/// At most this many annotations are drawn into pages: a filled form has
/// hundreds; each costs a resources entry and a few bytes of content.
const MAX_ANNOTATIONS: usize = 10_000;

/// A field value longer than this is cut: values are names and dates.
const MAX_VALUE_CHARS: usize = 2_000;

/// Annotation flags: hidden (bit 2) and not to be viewed (bit 6).
const HIDDEN_FLAGS: i64 = (1 << 1) | (1 << 5);

/// The name the drawn values' font has in each page's resources.
const VALUE_FONT: &str = "DossierFieldValue";

/// What an annotation shows.
enum Shown {
    /// Its appearance stream.
    Appearance(ObjectId),
    /// A field's value, its appearance drawing no text.
    Value(String),
}

/// What a page's annotations draw: the resources their drawing needs (the
/// page's own, with the appearances and the values' font added) and one
/// piece of content per annotation.
pub struct Drawing {
    resources: Dictionary,
    pieces: Vec<String>,
}

/// The drawings of the visible annotations of `pages`, by page (see the
/// module); the pages themselves are left as they are.
pub fn drawings(
    doc: &mut Document,
    pages: &BTreeMap<u32, ObjectId>,
) -> BTreeMap<ObjectId, Drawing> {
    let mut found = BTreeMap::new();
    let mut drawn = 0usize;
    // Each character of a drawn value gets a two-byte code in one font.
    let mut codes: BTreeMap<char, u16> = BTreeMap::new();
    let value_font = doc.new_object_id();
    for &page_id in pages.values() {
        if drawn >= MAX_ANNOTATIONS {
            break;
        }
        let shown = page_annotations(doc, page_id, MAX_ANNOTATIONS - drawn);
        if shown.is_empty() {
            continue;
        }
        let Some(mut resources) = inherited_resources(doc, page_id) else {
            continue;
        };
        let mut xobjects = match resources.get(b"XObject").ok().and_then(|o| resolve(doc, o)) {
            Some(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        let mut pieces = Vec::new();
        let mut values = false;
        for (what, (x, y)) in shown {
            drawn += 1;
            match what {
                Shown::Appearance(appearance) => {
                    let name = format!("DossierAnnotation{drawn}");
                    xobjects.set(name.as_bytes(), Object::Reference(appearance));
                    pieces.push(format!("q 1 0 0 1 {x:.3} {y:.3} cm /{name} Do Q\n"));
                }
                Shown::Value(value) => {
                    values = true;
                    let mut hex = String::new();
                    for c in value.chars() {
                        let next = u16::try_from(codes.len() + 1).unwrap_or(u16::MAX);
                        let code = *codes.entry(c).or_insert(next);
                        let _ = write!(hex, "{code:04X}");
                    }
                    pieces.push(format!(
                        "BT /{VALUE_FONT} 10 Tf 1 0 0 1 {:.3} {:.3} Tm <{hex}> Tj ET\n",
                        x + 2.0,
                        y + 2.0
                    ));
                }
            }
        }
        resources.set("XObject", Object::Dictionary(xobjects));
        if values {
            let mut fonts = match resources.get(b"Font").ok().and_then(|o| resolve(doc, o)) {
                Some(Object::Dictionary(d)) => d.clone(),
                _ => Dictionary::new(),
            };
            fonts.set(VALUE_FONT, Object::Reference(value_font));
            resources.set("Font", Object::Dictionary(fonts));
        }
        found.insert(page_id, Drawing { resources, pieces });
    }
    if !codes.is_empty() {
        let entries: Vec<(u16, char)> = codes.iter().map(|(&c, &code)| (code, c)).collect();
        if let Some(cmap) = to_unicode_cmap(&entries) {
            let map = doc.add_object(Stream::new(Dictionary::new(), cmap.into_bytes()));
            // The reader requires a descriptor; no program: only the
            // ToUnicode map matters for text.
            let descriptor = doc.add_object(dictionary! {
                "Type" => "FontDescriptor",
                "FontName" => "DossierFieldValue",
                "Flags" => 32,
                "FontBBox" => vec![0.into(), (-200).into(), 1000.into(), 900.into()],
                "ItalicAngle" => 0,
                "Ascent" => 900,
                "Descent" => -200,
                "CapHeight" => 700,
                "StemV" => 80,
            });
            let descendant = doc.add_object(dictionary! {
                "Type" => "Font",
                "Subtype" => "CIDFontType2",
                "FontDescriptor" => descriptor,
                "BaseFont" => "DossierFieldValue",
                "CIDSystemInfo" => dictionary! {
                    "Registry" => Object::string_literal("Adobe"),
                    "Ordering" => Object::string_literal("Identity"),
                    "Supplement" => 0,
                },
                "DW" => 500,
                "CIDToGIDMap" => "Identity",
            });
            doc.objects.insert(
                value_font,
                Object::Dictionary(dictionary! {
                    "Type" => "Font",
                    "Subtype" => "Type0",
                    "BaseFont" => "DossierFieldValue",
                    "Encoding" => "Identity-H",
                    "DescendantFonts" => vec![descendant.into()],
                    "ToUnicode" => map,
                }),
            );
        }
    }
    found
}

/// The text of what `drawing` draws on page `page_id`, read by `read`
/// (the page's number to the reader) as a page of its own: the page's
/// content and resources are set to the drawing's while it is read, and
/// put back after. When the reader fails on the whole drawing, each
/// annotation is read alone, and those it fails on are left out.
pub fn read_drawing(
    doc: &mut Document,
    page_id: ObjectId,
    drawing: &Drawing,
    read: impl Fn(&Document) -> Option<String>,
) -> Option<String> {
    let (contents, resources) = {
        let page = doc.get_dictionary(page_id).ok()?;
        (
            page.get(b"Contents").ok().cloned(),
            page.get(b"Resources").ok().cloned(),
        )
    };
    let read_pieces = |doc: &mut Document, pieces: &[String]| -> Option<String> {
        let stream = doc.add_object(Stream::new(Dictionary::new(), pieces.concat().into_bytes()));
        let page = doc.get_object_mut(page_id).ok()?.as_dict_mut().ok()?;
        page.set("Contents", Object::Reference(stream));
        page.set("Resources", Object::Dictionary(drawing.resources.clone()));
        let text = read(doc);
        doc.objects.remove(&stream);
        text
    };
    let text = read_pieces(doc, &drawing.pieces).or_else(|| {
        let alone: Vec<String> = drawing
            .pieces
            .iter()
            .filter_map(|piece| read_pieces(doc, std::slice::from_ref(piece)))
            .collect();
        (!alone.is_empty()).then(|| alone.join("\n"))
    });
    if let Ok(Object::Dictionary(page)) = doc.get_object_mut(page_id) {
        for (key, value) in [(&b"Contents"[..], contents), (b"Resources", resources)] {
            match value {
                Some(value) => page.set(key, value),
                None => {
                    page.remove(key);
                }
            }
        }
    }
    text.filter(|t| !t.trim().is_empty())
}

/// What a page's visible annotations show, with the lower-left corner of
/// each one's rectangle; at most `limit`.
fn page_annotations(doc: &Document, page_id: ObjectId, limit: usize) -> Vec<(Shown, (f64, f64))> {
    let Ok(annotations) = doc.get_page_annotations(page_id) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for annotation in annotations.into_iter().take(limit) {
        let flags = annotation.get(b"F").and_then(Object::as_i64).unwrap_or(0);
        if flags & HIDDEN_FLAGS != 0 {
            continue;
        }
        let Some(corner) = corner(doc, annotation) else {
            continue;
        };
        let appearance = normal_appearance(doc, annotation);
        let draws_text = appearance.is_some_and(|id| stream_draws_text(doc, id));
        match (appearance, field_value(doc, annotation)) {
            (Some(id), _) if draws_text => found.push((Shown::Appearance(id), corner)),
            (_, Some(value)) => found.push((Shown::Value(value), corner)),
            (Some(id), None) => found.push((Shown::Appearance(id), corner)),
            (None, None) => {}
        }
    }
    found
}

/// The lower-left corner of an annotation's rectangle.
fn corner(doc: &Document, annotation: &Dictionary) -> Option<(f64, f64)> {
    let rect = resolve(doc, annotation.get(b"Rect").ok()?)?
        .as_array()
        .ok()?;
    let number = |i: usize| rect.get(i).and_then(|o| o.as_float().ok()).map(f64::from);
    let corner = (number(0)?.min(number(2)?), number(1)?.min(number(3)?));
    (corner.0.is_finite() && corner.1.is_finite()).then_some(corner)
}

/// The normal appearance stream: `/AP /N`, or the state `/AS` chooses in it
/// (check boxes).
fn normal_appearance(doc: &Document, annotation: &Dictionary) -> Option<ObjectId> {
    let normal = resolve(doc, annotation.get(b"AP").ok()?)?
        .as_dict()
        .ok()?
        .get(b"N")
        .ok()?;
    let state = |states: &Dictionary| {
        let state = annotation.get(b"AS").and_then(Object::as_name).ok()?;
        states.get(state).and_then(Object::as_reference).ok()
    };
    match normal {
        Object::Reference(id) => match doc.get_object(*id) {
            Ok(Object::Stream(_)) => Some(*id),
            Ok(Object::Dictionary(states)) => state(states),
            _ => None,
        },
        Object::Dictionary(states) => state(states),
        _ => None,
    }
}

/// Whether a stream shows any text (`Tj`, `TJ`, `'`, `"`).
fn stream_draws_text(doc: &Document, id: ObjectId) -> bool {
    let Ok(Object::Stream(stream)) = doc.get_object(id) else {
        return false;
    };
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    content
        .windows(2)
        .any(|w| w == b"Tj" || w == b"TJ" || w == b"' " || w == b"\" ")
}

/// A text or choice field's value (`/V`, on the widget or the field above
/// it), as text; for a list box (a choice field that is no combo box), its
/// options, which a viewer shows in the box whatever is chosen.
fn field_value(doc: &Document, annotation: &Dictionary) -> Option<String> {
    let mut node = annotation;
    // The field a widget belongs to may be its parent (a few levels at
    // most; a loop in a crafted file ends).
    for _ in 0..4 {
        if let Ok(kind) = node.get(b"FT").and_then(Object::as_name) {
            if kind != b"Tx" && kind != b"Ch" {
                return None;
            }
            let mut parts = Vec::new();
            if let Some(value) = node.get(b"V").ok().and_then(|v| resolve(doc, v)) {
                parts.extend(text_values(doc, value));
            }
            let flags = node.get(b"Ff").and_then(Object::as_i64).unwrap_or(0);
            let list_box = kind == b"Ch" && flags & COMBO_FLAG == 0;
            if let (true, Some(Object::Array(options))) = (
                list_box,
                node.get(b"Opt").ok().and_then(|o| resolve(doc, o)),
            ) {
                for option in options {
                    // An option is its text, or [export value, text shown].
                    let shown = match resolve(doc, option) {
                        Some(Object::Array(pair)) => pair.get(1).or(pair.first()),
                        _ => Some(option),
                    };
                    if let Some(shown) = shown.and_then(|o| resolve(doc, o)) {
                        parts.extend(text_values(doc, shown));
                    }
                }
                parts.dedup();
            }
            let text: String = parts
                .join(" ")
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .take(MAX_VALUE_CHARS)
                .collect();
            return (!text.trim().is_empty()).then_some(text);
        }
        node = doc
            .get_dictionary(node.get(b"Parent").and_then(Object::as_reference).ok()?)
            .ok()?;
    }
    None
}

/// A field's combo-box flag (bit 18 of `/Ff`).
const COMBO_FLAG: i64 = 1 << 17;

/// The text strings in a value: one, or an array of them (a multiple
/// choice).
fn text_values(doc: &Document, value: &Object) -> Vec<String> {
    match value {
        Object::String(..) => lopdf::decode_text_string(value).ok().into_iter().collect(),
        Object::Array(items) => items
            .iter()
            .take(1_000)
            .filter_map(|item| lopdf::decode_text_string(resolve(doc, item)?).ok())
            .collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|text| !text.trim().is_empty())
    .collect()
}

/// A copy of the resources a page uses: its own, or the nearest ancestor's
/// in the page tree (at most 64 levels up: a loop in a crafted tree ends).
fn inherited_resources(doc: &Document, page_id: ObjectId) -> Option<Dictionary> {
    let mut node = doc.get_dictionary(page_id).ok()?;
    for _ in 0..64 {
        if let Ok(resources) = node.get(b"Resources") {
            return resolve(doc, resources)?.as_dict().ok().cloned();
        }
        node = doc
            .get_dictionary(node.get(b"Parent").and_then(Object::as_reference).ok()?)
            .ok()?;
    }
    None
}
