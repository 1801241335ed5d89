//! Whether a page's content is there whole. lopdf, which pdf-extract reads
//! through, loses content without saying so: its content parser stops at
//! the first token it cannot read and returns what came before; a stream
//! whose /Length is wrong loses its data (the object is kept as a bare
//! dictionary, or dropped), and the page then draws nothing; a deflate
//! stream cut short inflates to what it holds. A short page may so be a
//! page cut short, and is read again by the second reader. When every
//! stream the page draws is present, inflates to its end and parses
//! strictly to its last byte, a short page is short because it is (a cover,
//! a blank page, a scan): on `../shared/pdfs` the second reader never found
//! more on such pages, and opening a long document for one page cost it up
//! to 160 ms.

use std::collections::HashSet;
use std::io::Read;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// More form XObjects than this on one page are not checked one by one: the
/// page is taken as possibly cut short (read again), which is what it was
/// before this check.
const MAX_FORMS: usize = 256;

/// Whether the page's content, and every form XObject its resources name
/// (and theirs, in turn), is stored whole and parses whole. `false` when
/// anything is missing, malformed or too many: the safe answer, which sends
/// the page to the second reader.
pub fn parses_whole(doc: &Document, page_id: ObjectId) -> bool {
    let Ok(page) = doc.get_dictionary(page_id) else {
        return false;
    };
    let ids = doc.get_page_contents(page_id);
    if ids.is_empty() && page.has(b"Contents") {
        // Contents that name no stream lopdf kept (a wrong /Length).
        return false;
    }
    // The streams are one content stream, split anywhere (as lopdf joins
    // them for pdf-extract).
    let mut content = Vec::new();
    for id in ids {
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            return false;
        };
        let Some(data) = inflated_whole(doc, stream) else {
            return false;
        };
        content.extend_from_slice(&data);
        content.push(b'\n');
    }
    if Content::decode_strict(&content).is_err() {
        return false;
    }
    let Ok((direct, inherited)) = doc.get_page_resources(page_id) else {
        return false;
    };
    let mut seen = HashSet::new();
    let mut forms = 0usize;
    let resources = direct.into_iter().chain(
        inherited
            .iter()
            .filter_map(|id| doc.get_dictionary(*id).ok()),
    );
    for resources in resources {
        if !forms_parse_whole(doc, resources, &mut seen, &mut forms) {
            return false;
        }
    }
    true
}

/// A stream's data, inflated to its end: `None` when its data was never
/// read (a /Length that is not an integer: lopdf keeps the stream empty and
/// says nothing), a filter fails, or a deflate stream ends before its end
/// mark (lopdf keeps what inflated, and the page would look whole). Streams
/// without filters are as stored; other filters as lopdf decodes them.
fn inflated_whole(doc: &Document, stream: &Stream) -> Option<Vec<u8>> {
    let length = match stream.dict.get(b"Length") {
        Ok(Object::Reference(id)) => doc.get_object(*id).ok(),
        Ok(length) => Some(length),
        Err(_) => None,
    };
    if stream.start_position.is_some() || !matches!(length, Some(Object::Integer(n)) if *n >= 0) {
        return None;
    }
    let filters = stream.filters().unwrap_or_default();
    match filters.as_slice() {
        [] => Some(stream.content.clone()),
        [flate] if *flate == b"FlateDecode" && !stream.dict.has(b"DecodeParms") => {
            let mut data = Vec::new();
            flate2::read::ZlibDecoder::new(stream.content.as_slice())
                .read_to_end(&mut data)
                .ok()?;
            Some(data)
        }
        _ => stream.decompressed_content().ok(),
    }
}

/// Every form XObject named in `resources` is stored and parses whole, and
/// so do the forms their own resources name. `seen` stops cycles; `forms`
/// counts the work.
fn forms_parse_whole(
    doc: &Document,
    resources: &Dictionary,
    seen: &mut HashSet<ObjectId>,
    forms: &mut usize,
) -> bool {
    let Ok(xobjects) = resources
        .get(b"XObject")
        .and_then(|o| doc.dereference(o))
        .and_then(|(_, o)| o.as_dict())
    else {
        // No XObjects: nothing more to parse.
        return !resources.has(b"XObject");
    };
    for (_, entry) in xobjects.iter() {
        if let Object::Reference(id) = entry
            && !seen.insert(*id)
        {
            continue;
        }
        let Ok((_, Object::Stream(stream))) = doc.dereference(entry) else {
            return false;
        };
        let is_form = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|name| name == b"Form");
        if !is_form {
            continue;
        }
        *forms += 1;
        if *forms > MAX_FORMS {
            return false;
        }
        let Some(content) = inflated_whole(doc, stream) else {
            return false;
        };
        if Content::decode_strict(&content).is_err() {
            return false;
        }
        if let Ok(own) = stream.dict.get(b"Resources")
            && !own_resources_whole(doc, own, seen, forms)
        {
            return false;
        }
    }
    true
}

/// A form's own resources, given directly or by reference.
fn own_resources_whole(
    doc: &Document,
    own: &Object,
    seen: &mut HashSet<ObjectId>,
    forms: &mut usize,
) -> bool {
    match doc.dereference(own).and_then(|(_, o)| o.as_dict()) {
        Ok(own) => forms_parse_whole(doc, own, seen, forms),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, dictionary};

    /// A one-page document drawing `content`, with one form XObject drawing
    /// `form`.
    fn page(content: &[u8], form: &[u8]) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.5");
        let form_id = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()] },
            form.to_vec(),
        ));
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let pages_id = doc.new_object_id();
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! { "XObject" => dictionary! { "Fm1" => form_id } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        (doc, page_id)
    }

    #[test]
    fn a_page_parsed_to_its_end_is_whole() {
        let (doc, id) = page(b"BT /F1 12 Tf (Annex 2) Tj ET /Fm1 Do", b"BT (x) Tj ET");
        assert!(parses_whole(&doc, id));
    }

    #[test]
    fn a_bad_token_in_the_page_or_a_form_is_not_whole() {
        // An unclosed string: the lenient parser keeps the first operator
        // and drops the rest without an error.
        let (doc, id) = page(b"BT (Annex 2) Tj ET BT (cut", b"");
        assert!(!parses_whole(&doc, id));
        let (doc, id) = page(b"BT (Annex 2) Tj ET", b"BT (x) Tj ET ) ] >>");
        assert!(!parses_whole(&doc, id));
    }

    #[test]
    fn a_stream_lost_or_cut_short_is_not_whole() {
        // lopdf drops a stream whose /Length is wrong: the page names a
        // stream the document does not hold.
        let (mut doc, id) = page(b"BT (Annex 2) Tj ET", b"");
        let contents = doc.get_page_contents(id);
        doc.objects.remove(&contents[0]);
        assert!(!parses_whole(&doc, id));
        // A /Length that is no integer: lopdf keeps the stream, empty.
        let (mut doc, id) = page(b"", b"");
        let mut unread = Stream::new(dictionary! {}, Vec::new());
        unread.dict.set("Length", Object::Name(b"Foo".to_vec()));
        doc.objects
            .insert(doc.get_page_contents(id)[0], Object::Stream(unread));
        assert!(!parses_whole(&doc, id));
        // A deflate stream without its end inflates to a page that parses.
        let mut deflated = {
            use std::io::Write;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            // Operators of one letter, no operands: a prefix cut anywhere
            // still parses.
            z.write_all(b"BT (Annex 2) Tj ET\n").unwrap();
            for i in 0..20_000u32 {
                z.write_all(if i % 7 == 0 { b"q\n" } else { b"Q " })
                    .unwrap();
            }
            z.finish().unwrap()
        };
        let (mut doc, id) = page(b"", b"");
        let whole = Stream::new(dictionary! { "Filter" => "FlateDecode" }, deflated.clone());
        doc.objects
            .insert(doc.get_page_contents(id)[0], Object::Stream(whole));
        assert!(parses_whole(&doc, id));
        deflated.truncate(deflated.len() / 2);
        let cut = Stream::new(dictionary! { "Filter" => "FlateDecode" }, deflated);
        doc.objects
            .insert(doc.get_page_contents(id)[0], Object::Stream(cut));
        assert!(!parses_whole(&doc, id));
    }
}
