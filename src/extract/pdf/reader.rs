//! Reading a PDF in this process: lopdf parses it, pdf-extract gives each
//! page's text. PDFs come from the web, and the PDF readers in Rust panic on
//! some malformed files, so each page is read behind `catch_unwind`, and the
//! document's size is checked before its pages are read: the page count and
//! the total of its decompressed streams are bounded. That check cannot see
//! what the parser itself inflates on the way (object streams, filter
//! chains): [`super::sandbox`] bounds the memory of the whole reading.

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::time::Instant;

use jiff::civil::Date;
use lopdf::{Dictionary, Document, Object};
use pdf_extract::PageReader;

use super::PdfText;
use super::annotations;
use super::clean;
use super::layout::PageText;
use super::quote_operators;
use super::repair;
use super::second_reader;
use super::stream_lengths;
use super::whole_content;

/// More pages than this are not read: the longest UN report runs to a few
/// hundred, and each page costs a walk of the page tree.
pub const MAX_PAGES: usize = 3_000;

/// The streams of one PDF may inflate to at most this much in total.
pub const MAX_INFLATED_BYTES: u64 = 512 * 1024 * 1024;

/// Reading stops once the text passes this: a small PDF whose pages all
/// draw one large content stream gave 295 MB of text from 476 KB, which the
/// inflation count (each stream once) cannot see.
pub const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;

/// Reading stops after this long; the pages not reached are named as
/// unreadable. Real documents take milliseconds a page (see the PDF quality
/// benchmark), so only a pathological file meets it.
pub const MAX_READING_TIME: std::time::Duration = std::time::Duration::from_secs(60);

/// Reads a PDF's text page by page; a broken, encrypted or oversized PDF is
/// an error with a reason.
pub fn read_pdf(bytes: &[u8]) -> Result<PdfText, String> {
    quiet_pdf_panics();
    let mut doc = match load(bytes) {
        Ok(doc) => doc,
        // A whole, unencrypted file whose cross-reference table does not
        // parse: the table rebuilt from the objects themselves, else the
        // second reader alone.
        Err(refusal) if repair::whole_and_unencrypted(bytes) => {
            let rebuilt = catch_unwind(|| repair::with_rebuilt_cross_references(bytes))
                .ok()
                .flatten();
            match rebuilt.and_then(|rebuilt| load(&rebuilt).ok()) {
                Some(doc) => doc,
                None => return read_by_second_reader_alone(bytes, refusal),
            }
        }
        // What a download stopped midway leaves: said so, with what to do.
        Err(refusal) if bytes.starts_with(b"%PDF") && !repair::ends_as_a_pdf(bytes) => {
            return Err(format!(
                "the PDF is cut short (it does not end as a PDF ends, with %%EOF: a download stopped midway?); fetch it again or replace the file ({refusal})"
            ));
        }
        Err(refusal) => return Err(refusal),
    };
    // Streams whose /Length is wrong, read to their `endstream` before the
    // size checks and the readers see them (not in an encrypted file, which
    // lopdf has decrypted as it loaded: stream_lengths says why).
    let _ = catch_unwind(AssertUnwindSafe(|| stream_lengths::mend(bytes, &mut doc)));
    if doc.is_encrypted() {
        // Many PDFs are "encrypted" only to forbid printing, with an empty
        // user password: those can be read.
        match catch_unwind(AssertUnwindSafe(|| doc.decrypt(""))) {
            Ok(Ok(())) => {}
            _ => {
                return Err("the PDF is encrypted with a password; dossier cannot read it".into());
            }
        }
    }
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(format!(
            "the PDF has {} pages, more than the {MAX_PAGES} dossier reads (a PDF bomb, or split it)",
            pages.len()
        ));
    }
    // Filters given by reference are resolved first: the size check must
    // see the streams the readers will inflate.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        repair::resolve_indirect_filters(&mut doc)
    }));
    let inflated = inflated_size(&doc)?;
    if inflated > MAX_INFLATED_BYTES {
        return Err(format!(
            "the PDF's streams inflate to more than {} MB (a PDF bomb?)",
            MAX_INFLATED_BYTES / (1024 * 1024)
        ));
    }

    let _ = catch_unwind(AssertUnwindSafe(|| {
        repair::unicode_maps_from_embedded_fonts(&mut doc)
    }));
    let drawings = catch_unwind(AssertUnwindSafe(|| annotations::drawings(&mut doc, &pages)))
        .unwrap_or_default();
    for &page_id in pages.values() {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            quote_operators::expand(&mut doc, page_id)
        }));
    }
    let started = Instant::now();
    let deadline = started + MAX_READING_TIME;
    let mut first: Vec<Option<String>> = Vec::with_capacity(pages.len());
    let mut glyphs: Vec<Option<Glyphs>> = Vec::with_capacity(pages.len());
    let mut rtl_pairs = (0usize, 0usize);
    let mut stopped_at = None;
    let mut text_cut_at = None;
    let mut text_bytes = 0usize;
    // One reader for the pages between two that have annotations to draw:
    // it keeps the fonts it has built, which most pages share (building
    // them again on every page was 44% of the reading time, docs/pdf.md).
    // What a page's annotations draw (a filled form's values) follows its
    // text, read with the reader dropped: reading a drawing sets the page's
    // content to it for a while, which a reader holding the document
    // cannot allow. Drawings count against the deadline and the text cap
    // as pages do.
    let no_resources = Dictionary::new();
    let mut numbers = pages.iter().peekable();
    'reading: while numbers.peek().is_some() {
        let mut reader = page_reader(&doc, &no_resources);
        let mut to_draw = None;
        for (&number, page_id) in numbers.by_ref() {
            if stopped_at.is_none() && Instant::now() > deadline {
                stopped_at = Some(number);
            }
            if text_cut_at.is_none() && text_bytes > MAX_TEXT_BYTES {
                text_cut_at = Some(number);
            }
            if stopped_at.is_some() || text_cut_at.is_some() {
                break 'reading;
            }
            let read = reader
                .as_mut()
                .and_then(|reader| page_text(reader, number, &mut rtl_pairs));
            text_bytes += read.as_ref().map_or(0, |(text, _)| text.len());
            let (page, drawn) = read.unzip();
            first.push(page);
            glyphs.push(drawn);
            if let Some(drawing) = drawings.get(page_id) {
                to_draw = Some((number, *page_id, drawing));
                break;
            }
        }
        drop(reader);
        let Some((number, page_id, drawing)) = to_draw else {
            continue;
        };
        let drawn = annotations::read_drawing(&mut doc, page_id, drawing, |doc| {
            let mut reader = page_reader(doc, &no_resources)?;
            page_text(&mut reader, number, &mut (0, 0)).map(|(text, _)| text)
        });
        if let (Some(drawn), Some(page)) = (drawn, first.last_mut()) {
            text_bytes += drawn.len();
            let text = page.get_or_insert_with(String::new);
            text.push('\n');
            text.push_str(&drawn);
        }
    }
    first.resize(pages.len(), None);
    // A page the reader fails on wants the second reader, even when its
    // annotations give it some text. Whether the page is whole is asked
    // only when the answer counts (a short page whose glyphs mapped): it
    // parses the page again.
    let wanted_again: Vec<bool> = pages
        .values()
        .zip(&first)
        .zip(&glyphs)
        .map(|((page_id, page), drawn)| {
            drawn.is_none_or(|drawn| {
                drawn.want_second_reading(page.as_deref(), || {
                    catch_unwind(AssertUnwindSafe(|| {
                        whole_content::parses_whole(&doc, *page_id)
                    }))
                    .unwrap_or(false)
                })
            })
        })
        .collect();
    let complete = first.len() - first.iter().rev().take_while(|p| p.is_none()).count();
    let read_until = if stopped_at.is_some() || text_cut_at.is_some() {
        complete
    } else {
        first.len()
    };
    let chosen = with_second_reader(bytes, first, &wanted_again, read_until, deadline);
    let unreadable_pages = pages
        .keys()
        .zip(&chosen)
        .filter(|(_, page)| page.is_none())
        .map(|(&number, _)| number)
        .collect::<Vec<_>>();
    if !pages.is_empty() && unreadable_pages.len() == pages.len() {
        return Err(format!(
            "no page of the PDF could be read ({} pages; fonts or content streams it uses are not supported)",
            pages.len()
        ));
    }
    let text = cleaned_text(chosen, rtl_pairs);
    let (title, date) = info(&doc);
    Ok(PdfText {
        text,
        pages: pages.len(),
        unreadable_pages,
        stopped_at,
        text_cut_at,
        title,
        date,
    })
}

/// A page as read, and by which reader: the second reader puts
/// right-to-left lines in reading order itself; the first draws them.
struct ReadPage {
    text: String,
    by_second_reader: bool,
}

/// The glyphs the first reader drew on a page, and how many of them drew
/// no letter (nothing, U+FFFD, a private-use or control character).
#[derive(Clone, Copy)]
struct Glyphs {
    drawn: usize,
    unmapped: usize,
}

impl Glyphs {
    /// Whether the second reader may find what the first did not: when more
    /// than one glyph in ten drew no letter (a CJK font the first reader
    /// cannot map draws nothing, and the Latin words around it pass for a
    /// page read well), when the text is mostly without meaning, and when
    /// the page is short ([`second_reader::is_short`]) unless `parses_whole`
    /// says its content is there whole ([`whole_content`]): lopdf stops
    /// parsing a content stream at its first bad token, and loses a stream
    /// whose length is wrong, without saying so, and the glyphs before then
    /// look like a short page read whole. `parses_whole` is asked only then.
    fn want_second_reading(self, text: Option<&str>, parses_whole: impl FnOnce() -> bool) -> bool {
        if self.unmapped * 10 > self.drawn {
            return true;
        }
        let Some(text) = text else {
            return true;
        };
        second_reader::mostly_without_meaning(text)
            || (second_reader::is_short(text) && !parses_whole())
    }
}

/// The first reader's pages, with the second reader's text in place of
/// pages the first could not read or read clearly less of. The second
/// reader reads only the pages `wanted_again` names: those the first
/// failed on (even when their annotations gave them text) or whose glyphs
/// say it may do better ([`Glyphs::want_second_reading`]): most PDFs never
/// pay for it. Pages past `read_until` (reading stopped there) stay unread.
fn with_second_reader(
    bytes: &[u8],
    first: Vec<Option<String>>,
    wanted_again: &[bool],
    read_until: usize,
    deadline: Instant,
) -> Vec<Option<ReadPage>> {
    let wanted: Vec<bool> = wanted_again
        .iter()
        .enumerate()
        .map(|(i, &again)| again && i < read_until)
        .collect();
    let second = if wanted.contains(&true) {
        second_reader::read_pages(bytes, |i| wanted.get(i) == Some(&true), deadline)
    } else {
        None
    };
    let as_first = |text: String| ReadPage {
        text,
        by_second_reader: false,
    };
    let Some(mut second) = second.filter(|pages| pages.len() == first.len()) else {
        return first.into_iter().map(|p| p.map(as_first)).collect();
    };
    // The second reader's text counts against the same cap as the first's.
    let mut total: usize = first.iter().flatten().map(String::len).sum();
    first
        .into_iter()
        .enumerate()
        .map(|(i, page)| {
            let theirs = if i < read_until {
                second[i].take()
            } else {
                None
            };
            match theirs {
                Some(theirs)
                    if total + theirs.len() <= MAX_TEXT_BYTES
                        && second_reader::better_page(page.as_deref(), &theirs) =>
                {
                    total += theirs.len();
                    Some(ReadPage {
                        text: theirs,
                        by_second_reader: true,
                    })
                }
                _ => page.map(as_first),
            }
        })
        .collect()
}

/// The pages as one text, page breaks as form feeds, cleaned (see
/// [`clean`]): control characters out, ligatures and presentation forms
/// folded, right-to-left lines drawn in visual order read right to left,
/// words split at line ends joined.
fn cleaned_text(pages: Vec<Option<ReadPage>>, rtl_pairs: (usize, usize)) -> String {
    let pages: Vec<Option<(String, bool)>> = pages
        .into_iter()
        .map(|page| page.map(|p| (without_controls(&p.text), !p.by_second_reader)))
        .collect();
    // Told on folded letters, reordered before folding: a ligature of two
    // Arabic letters is one glyph, and must be reversed as one.
    let visual = clean::rtl_drawn_visually(
        pages
            .iter()
            .flatten()
            .filter(|(_, drawn)| *drawn)
            .map(|(page, _)| page.as_str()),
        rtl_pairs,
    );
    let mut text = String::new();
    let mut ligature_ends = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            text.push('\x0c');
        }
        let Some((page, drawn)) = page else {
            continue;
        };
        let ordered = if visual && *drawn {
            clean::page_to_logical(page)
        } else {
            page.clone()
        };
        let folded = clean::fold_with_ligature_ends(&ordered, text.len(), &mut ligature_ends);
        text.push_str(&folded);
    }
    let text = clean::join_after_ligatures(&text, &ligature_ends);
    clean::join_line_end_hyphens(&text)
}

/// The document lopdf parses from `bytes`, or why it cannot.
fn load(bytes: &[u8]) -> Result<Document, String> {
    match catch_unwind(|| Document::load_mem(bytes)) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => Err(format!("not a readable PDF ({e})")),
        Err(_) => Err("not a readable PDF (its structure is malformed)".into()),
    }
}

/// The first reader over `doc`, or `None` if it panics on the page tree;
/// `no_resources` is an empty dictionary, the resources of a page without.
fn page_reader<'a>(doc: &'a Document, no_resources: &'a Dictionary) -> Option<PageReader<'a>> {
    catch_unwind(AssertUnwindSafe(|| PageReader::new(doc, no_resources))).ok()
}

/// One page's text and its glyphs, read by `reader`; `None` when it fails
/// or panics on the page. Its right-to-left letter pairs are added to
/// `rtl_pairs`. A panic inside a font leaves the fonts built before it
/// whole: a font is kept only once built.
fn page_text(
    reader: &mut PageReader<'_>,
    number: u32,
    rtl_pairs: &mut (usize, usize),
) -> Option<(String, Glyphs)> {
    let mut out = String::new();
    let mut glyphs = Glyphs {
        drawn: 0,
        unmapped: 0,
    };
    let mut pairs = (0, 0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut output = PageText::new(&mut out);
        let read = reader.output_page(&mut output, number);
        glyphs = Glyphs {
            drawn: output.glyphs(),
            unmapped: output.unmapped_glyphs(),
        };
        pairs = output.rtl_pairs();
        read
    }));
    rtl_pairs.0 += pairs.0;
    rtl_pairs.1 += pairs.1;
    match result {
        Ok(Ok(())) => Some((out, glyphs)),
        _ => None,
    }
}

/// A PDF whose structure lopdf cannot parse (a broken cross-reference
/// table, a damaged trailer: pdftotext reads such files) read by the second
/// reader alone, which rebuilds the cross-reference table. Still in the
/// bounded child process, with the same deadline and text cap; no title or
/// date (those come from lopdf). For a whole, unencrypted file
/// ([`repair::whole_and_unencrypted`]); `refusal` is said when the second
/// reader reads nothing.
fn read_by_second_reader_alone(bytes: &[u8], refusal: String) -> Result<PdfText, String> {
    let deadline = Instant::now() + MAX_READING_TIME;
    let Some(pages) = second_reader::read_pages(bytes, |_| true, deadline) else {
        return Err(refusal);
    };
    if !pages
        .iter()
        .flatten()
        .any(|page| second_reader::searchable_chars(page) > 0)
    {
        return Err(refusal);
    }
    let unreadable_pages = (1..)
        .zip(&pages)
        .filter(|(_, page)| page.is_none())
        .map(|(number, _)| number)
        .collect();
    let count = pages.len();
    let chosen = pages
        .into_iter()
        .map(|page| {
            page.map(|text| ReadPage {
                text,
                by_second_reader: true,
            })
        })
        .collect();
    Ok(PdfText {
        text: cleaned_text(chosen, (0, 0)),
        pages: count,
        unreadable_pages,
        stopped_at: None,
        text_cut_at: None,
        title: None,
        date: None,
    })
}

/// The total size of every stream once inflated, counted without keeping the
/// output, and stopping as soon as the bound is passed.
fn inflated_size(doc: &Document) -> Result<u64, String> {
    let mut total = 0u64;
    let mut sink = vec![0u8; 64 * 1024];
    for object in doc.objects.values() {
        let Object::Stream(stream) = object else {
            continue;
        };
        // Flate anywhere in the chain: `[/ASCIIHexDecode /FlateDecode]`
        // inflates as much as Flate alone (counted on the raw bytes, a
        // bound for the hex-encoded case too, which only halves them).
        let flate = stream
            .filters()
            .map(|f| f.iter().any(|name| *name == b"FlateDecode"))
            .unwrap_or(false);
        if !flate {
            total += stream.content.len() as u64;
            continue;
        }
        let mut decoder = flate2::read::ZlibDecoder::new(stream.content.as_slice());
        loop {
            match decoder.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total += n as u64;
                    if total > MAX_INFLATED_BYTES {
                        return Ok(total);
                    }
                }
            }
        }
    }
    Ok(total)
}

/// Title and creation date from the information dictionary. Titles that only
/// name the file a PDF was made from ("Microsoft Word - draft3.docx") are not
/// titles.
fn info(doc: &Document) -> (Option<String>, Option<Date>) {
    let Some(dict) = doc.trailer.get(b"Info").ok().and_then(|o| match o {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }) else {
        return (None, None);
    };
    let text = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    let title = text(b"Title").filter(|t| is_real_title(t));
    let date = text(b"CreationDate").and_then(|d| parse_pdf_date(&d));
    (title, date)
}

fn is_real_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    let file_like = [
        ".doc", ".docx", ".indd", ".pdf", ".qxd", ".rtf", ".odt", ".txt",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext));
    !(file_like
        || lower.starts_with("microsoft word")
        || lower.starts_with("untitled")
        || lower == "title"
        || lower.chars().all(|c| !c.is_alphabetic()))
}

/// `D:YYYYMMDDHHmmSS+hh'mm'`: only the calendar date is kept.
pub fn parse_pdf_date(value: &str) -> Option<Date> {
    let digits = value.trim().trim_start_matches("D:");
    let year: i16 = digits.get(0..4)?.parse().ok()?;
    let month: i8 = digits.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(1);
    let day: i8 = digits.get(6..8).and_then(|d| d.parse().ok()).unwrap_or(1);
    if !(1800..=2100).contains(&year) {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// The PDF readers report malformed input by panicking; those panics are
/// caught, and their messages (written by the default hook before the catch)
/// would only alarm the user: silence panics raised inside those crates, and
/// leave every other panic's report as it was.
fn quiet_pdf_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_pdf_reader = info.location().is_some_and(|l| {
                let file = l.file();
                file.contains("pdf-extract")
                    || file.contains("lopdf")
                    || file.contains("cff-parser")
                    || file.contains("type1-encoding-parser")
                    || file.contains("adobe-cmap-parser")
                    || file.contains("euclid")
                    || file.contains("pdf_oxide")
                    || file.contains("ttf-parser")
            });
            if !in_pdf_reader {
                previous(info);
            }
        }));
    });
}

/// A page's text without control characters but newline and tab: a font
/// may map a glyph to one, and a form feed there would start a page that is
/// not one (23 pages became 1,468); only dossier's own separators are form
/// feeds.
fn without_controls(page: &str) -> String {
    page.chars()
        .map(|c| {
            if c == '\u{2028}' || c == '\u{2029}' {
                // Line and paragraph separators end a line, as `\n` does
                // (the right-to-left reordering works line by line).
                '\n'
            } else if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_from_fonts_are_no_page_breaks() {
        assert_eq!(
            without_controls("a\u{c}b\u{0}c\u{1b}[2J\u{9b}d\ne\tf\u{2029}g"),
            "a b c [2J d\ne\tf\ng"
        );
    }

    #[test]
    fn pages_with_unmapped_glyphs_or_few_words_are_read_again() {
        let glyphs = |drawn, unmapped| Glyphs { drawn, unmapped };
        let not_whole = || false;
        // A short page, even when every glyph drew a letter: the parse may
        // have stopped part-way.
        assert!(glyphs(7, 0).want_second_reading(Some("Annex 2"), not_whole));
        assert!(glyphs(0, 0).want_second_reading(Some(""), not_whole));
        // Unless its content was seen whole: then it is short.
        let asked = std::cell::Cell::new(false);
        let whole = || {
            asked.set(true);
            true
        };
        assert!(!glyphs(7, 0).want_second_reading(Some("Annex 2"), whole));
        assert!(asked.get());
        // Unmapped glyphs are read again however the page parsed, and
        // whether it is whole is not asked.
        asked.set(false);
        assert!(glyphs(7, 3).want_second_reading(Some("Annex 2"), whole));
        assert!(!asked.get());
        // A long page with more than one glyph in ten unmapped.
        let long = "word ".repeat(40);
        assert!(glyphs(240, 30).want_second_reading(Some(&long), not_whole));
        assert!(!glyphs(240, 20).want_second_reading(Some(&long), not_whole));
    }

    #[test]
    fn pdf_dates() {
        assert_eq!(
            parse_pdf_date("D:20230115093000+01'00'"),
            Date::new(2023, 1, 15).ok()
        );
        assert_eq!(parse_pdf_date("D:1999"), Date::new(1999, 1, 1).ok());
        assert_eq!(parse_pdf_date("D:20231399"), None);
        assert_eq!(parse_pdf_date("garbage"), None);
    }

    #[test]
    fn file_names_are_not_titles() {
        assert!(!is_real_title("Microsoft Word - KFOR Chronicle.docx"));
        assert!(!is_real_title("chronicle_03_2019.indd"));
        assert!(!is_real_title("untitled"));
        assert!(is_real_title("KFOR Chronicle, March 2019"));
    }

    #[test]
    fn broken_pdfs_are_errors() {
        assert!(read_pdf(b"%PDF-1.7\n1 0 obj << /Type /Catalog").is_err());
        assert!(read_pdf(b"%PDF-").is_err());
        assert!(read_pdf(&[b'%', b'P', b'D', b'F', b'-', 0xff, 0x00, 0x12]).is_err());
    }
}
