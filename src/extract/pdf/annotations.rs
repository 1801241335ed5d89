//! What a filled form says (its fields' values, a text box's words) is
//! drawn by its annotations, not by the page's content, and the readers
//! read only the content: a form came back without its values ("U.S.
//! Department of the Interior, Fish and Wildlife Service" missing from an
//! SF-424), where viewers and pdftotext show them. So, before the pages
//! are read, each visible annotation's normal appearance is drawn into its
//! page, after the page's own content, moved to the annotation's rectangle;
//! and a text or choice field whose appearance draws no text (LibreOffice
//! leaves them empty and asks viewers to draw the value) has its value
//! drawn there instead, in a font whose ToUnicode map says what each code
//! means.

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

/// Draws the visible annotations of `pages` into them (see the module).
pub fn draw_into_pages(doc: &mut Document, pages: &BTreeMap<u32, ObjectId>) {
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
        let mut content = String::new();
        let mut values = false;
        for (what, (x, y)) in shown {
            drawn += 1;
            match what {
                Shown::Appearance(appearance) => {
                    let name = format!("DossierAnnotation{drawn}");
                    xobjects.set(name.as_bytes(), Object::Reference(appearance));
                    let _ = writeln!(content, "q 1 0 0 1 {x:.3} {y:.3} cm /{name} Do Q");
                }
                Shown::Value(value) => {
                    values = true;
                    let mut hex = String::new();
                    for c in value.chars() {
                        let next = u16::try_from(codes.len() + 1).unwrap_or(u16::MAX);
                        let code = *codes.entry(c).or_insert(next);
                        let _ = write!(hex, "{code:04X}");
                    }
                    let _ = writeln!(
                        content,
                        "BT /{VALUE_FONT} 10 Tf 1 0 0 1 {:.3} {:.3} Tm <{hex}> Tj ET",
                        x + 2.0,
                        y + 2.0
                    );
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
        if let Ok(Object::Dictionary(page)) = doc.get_object_mut(page_id) {
            // The page gets its own resources: a dictionary shared by other
            // pages, or inherited from the page tree, is left as it was.
            page.set("Resources", Object::Dictionary(resources));
        }
        let _ = doc.add_page_contents(page_id, content.into_bytes());
    }
    if !codes.is_empty() {
        let entries: Vec<(u16, char)> = codes.iter().map(|(&c, &code)| (code, c)).collect();
        if let Some(cmap) = to_unicode_cmap(&entries) {
            let map = doc.add_object(Stream::new(Dictionary::new(), cmap.into_bytes()));
            let descendant = doc.add_object(dictionary! {
                "Type" => "Font",
                "Subtype" => "CIDFontType2",
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
/// it), as text.
fn field_value(doc: &Document, annotation: &Dictionary) -> Option<String> {
    let mut node = annotation;
    // The field a widget belongs to may be its parent (a few levels at
    // most; a loop in a crafted file ends).
    for _ in 0..4 {
        let kind = node.get(b"FT").and_then(Object::as_name).ok();
        if let (Some(kind), Ok(value)) = (kind, node.get(b"V")) {
            if kind != b"Tx" && kind != b"Ch" {
                return None;
            }
            let text = match resolve(doc, value)? {
                value @ Object::String(..) => lopdf::decode_text_string(value).ok()?,
                Object::Array(items) => items
                    .iter()
                    .filter_map(|item| lopdf::decode_text_string(resolve(doc, item)?).ok())
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => return None,
            };
            let text: String = text
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
