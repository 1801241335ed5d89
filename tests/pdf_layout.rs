//! Where spaces and line breaks go between the glyphs a page draws: one test
//! per way real PDFs broke words apart or ran them together (docs/pdf.md).
//! Each PDF is a raw content stream in Helvetica, placed as the producer
//! that showed the problem placed it.

use dossier::extract::pdf::reader::read_pdf;

use crate::common::pdf::{
    Field, HELVETICA, PdfInfo, one_page_in_helvetica, pages_of, pdf_with_content,
    pdf_with_filled_field, stream_object, write_pdf,
};

fn text_of(content: &str) -> String {
    read_pdf(&pdf_with_content(content))
        .expect("the fixture reads")
        .text
}

/// Lines set at 90° in both margins gave a font size of NaN, and no space
/// or break was written between them: "Printed 2018" ran into "Page 1",
/// and that into the next ("20181", "1zen").
#[test]
fn rotated_lines_stay_apart_from_each_other() {
    let text = text_of(
        "BT /F1 10 Tf 0 1 -1 0 30 100 Tm (Printed 2018) Tj ET \
         BT /F1 10 Tf 0 1 -1 0 560 300 Tm (Page 1) Tj ET \
         BT /F1 10 Tf 0 1 -1 0 300 100 Tm (zen of python) Tj ET \
         BT /F1 10 Tf 1 0 0 1 100 700 Tm (level text) Tj ET",
    );
    for apart in ["Printed 2018", "Page 1", "zen of python", "level text"] {
        assert!(text.contains(apart), "{apart:?} not in {text:?}");
    }
    assert!(
        !text.contains("20181") && !text.contains("1zen"),
        "{text:?}"
    );
}

/// An exporter that draws "ﬂ" where "fl" was keeps a space glyph inside it,
/// and the next letter right after the ligature: the space separates
/// nothing ("Verzweifl ung"). "Verzweifl" is 40.56 pt wide in 10 pt
/// Helvetica; the space is drawn 3 pt before its end.
#[test]
fn a_space_drawn_inside_the_glyph_before_it_separates_nothing() {
    let text = text_of(
        "BT /F1 10 Tf 100 700 Td (Verzweifl) Tj ET \
         BT /F1 10 Tf 137.56 700 Td ( ung: kein Mensch) Tj ET",
    );
    assert!(text.contains("Verzweiflung: kein Mensch"), "{text:?}");
}

/// Fake bold draws a string twice, a fraction of a point apart; real double
/// letters ("greengrocer") are a glyph's width apart and stay, and so does
/// one glyph that happens to fall on the same glyph (the "e" of "ex" drawn
/// on the first "e" of "level", 2.22 pt from its start).
#[test]
fn a_string_drawn_twice_for_bold_comes_out_once() {
    let text = text_of(
        "BT /F1 10 Tf 100 700 Td (Protection of civilians) Tj ET \
         BT /F1 10 Tf 100.3 700 Td (Protection of civilians) Tj ET \
         BT /F1 10 Tf 100 680 Td (the greengrocer) Tj ET \
         BT /F1 10 Tf 100 660 Td (level) Tj ET \
         BT /F1 10 Tf 102.22 660 Td (ex) Tj ET",
    );
    assert_eq!(text.matches("Protection").count(), 1, "{text:?}");
    assert!(text.contains("Protection of civilians"), "{text:?}");
    assert!(text.contains("greengrocer"), "{text:?}");
    assert!(text.contains("ex"), "{text:?}");
}

/// Letters set far apart by the character spacing (a formula's "u × v",
/// the symbol drawn between them later) are separate words; a headline's
/// tracking keeps its word whole.
#[test]
fn letters_set_far_apart_are_words_and_tracked_ones_are_not() {
    let text = text_of(
        "BT /F1 10 Tf 100 700 Td 6 Tc (uv) Tj ET \
         BT /F1 10 Tf 100 650 Td 1.5 Tc (EDITORIAL) Tj ET",
    );
    assert!(text.contains("u v"), "{text:?}");
    assert!(text.contains("EDITORIAL"), "{text:?}");
}

/// A filled form's values are drawn by its fields' appearance streams, not
/// by the page: an SF-424 came back without "U.S. Department of the
/// Interior, Fish and Wildlife Service"; a field whose appearance is empty
/// (LibreOffice leaves the drawing to viewers) came back without its value
/// too. A hidden field stays unread.
#[test]
fn a_filled_form_field_is_read_and_a_hidden_one_is_not() {
    let read = |field| {
        // More than 20 words on the page: the first reader's text stands.
        read_pdf(&pdf_with_filled_field(
            "Section 5 of the application for federal assistance asks for the name of \
             the agency that will receive it and the office within it. Agency name:",
            "Fish and Wildlife Service",
            field,
        ))
        .expect("the fixture reads")
        .text
    };
    for field in [Field::Drawn, Field::ValueOnly] {
        let text = read(field);
        assert!(text.contains("Agency name:"), "{text:?}");
        assert!(text.contains("Fish and Wildlife Service"), "{text:?}");
    }
    let text = read(Field::Hidden);
    assert!(!text.contains("Wildlife"), "{text:?}");
}

/// A cross-reference table that does not parse (pdftotext rebuilds it)
/// left the document unread: the table is rebuilt from where each object
/// stands, and the document read as any other (its title too, which only
/// the first reader gives).
#[test]
fn a_pdf_whose_cross_reference_table_is_broken_is_still_read() {
    let mut bytes = write_pdf(
        &["Protection of civilians in armed conflict"],
        &PdfInfo {
            title: Some("KFOR Chronicle"),
            ..PdfInfo::default()
        },
        false,
    );
    let at = bytes
        .windows(9)
        .rposition(|w| w == b"startxref")
        .expect("a startxref");
    // The table's offset now points nowhere.
    bytes[at + 10] = b'9';
    bytes[at + 11] = b'9';
    let read = read_pdf(&bytes).expect("read with a rebuilt table");
    assert!(
        read.text.contains("Protection of civilians"),
        "{:?}",
        read.text
    );
    assert_eq!(read.title.as_deref(), Some("KFOR Chronicle"));
}

/// A content stream whose /Length is wrong (0, as some writers leave it)
/// loses its data in the first reader's parser without a word (the object
/// is kept as a bare dictionary), and the page looks like a short page read
/// whole: its text comes from the second reader, which finds the stream's
/// end itself. A short page is read again only when its content is seen
/// whole (`whole_content`), and a page naming no stream is not.
#[test]
fn a_short_page_whose_stream_length_is_wrong_is_still_read() {
    let content = "BT /F1 20 Tf 100 600 Td (Annex 2: protection of civilians) Tj ET";
    let pdf = one_page_in_helvetica(
        format!("<< /Length 0 >>\nstream\n{content}\nendstream").into_bytes(),
    );
    let read = read_pdf(&pdf).expect("the page is read");
    assert!(
        read.text.contains("protection of civilians"),
        "{:?}",
        read.text
    );
}

/// A /Length that ends inside the content (a stream edited by hand, its
/// old length left: pdfminer's sample `simple1.pdf`) cost everything after
/// it: lopdf kept the object a bare dictionary, and the second reader, which
/// trusts the length there, read only the first line. The stream is read
/// to its `endstream`, as pdftotext reads it.
#[test]
fn a_stream_longer_than_its_length_says_is_read_to_its_end() {
    let content = "BT\n/F1 20 Tf\n100 700 Td\n(Annex 2) Tj\n0 -50 Td\n\
                   (Protection of civilians in armed conflict) Tj\n0 -50 Td\n\
                   (Women, peace and security) Tj\nET";
    let first_line_ends = content.find("Tj\n").expect("a line") + 2;
    let pdf = one_page_in_helvetica(
        format!("<< /Length {first_line_ends} >>\nstream\n{content}\nendstream").into_bytes(),
    );
    let text = read_pdf(&pdf).expect("the page is read").text;
    for line in [
        "Annex 2",
        "Protection of civilians",
        "Women, peace and security",
    ] {
        assert!(text.contains(line), "{line:?} not in {text:?}");
    }
}

/// Offsets in a PDF count from its `%PDF-` header, and some files have
/// bytes before it (a MacBinary header, a server's): a stream whose length
/// is wrong was looked for that many bytes too early, and a page read the
/// stream before it, another page's.
#[test]
fn a_wrong_length_in_a_file_with_bytes_before_its_header_reads_its_own_stream() {
    let page = |first: &str, second: &str| {
        format!("BT\n/F1 12 Tf\n100 700 Td\n({first}) Tj\n0 -50 Td\n({second}) Tj\nET")
    };
    let one = page("First page opening", "First page closing");
    let two = page("Second page opening", "Second page closing");
    let pdf = pages_of(&[
        (HELVETICA, stream_object("", &one)),
        (
            HELVETICA,
            format!("<< /Length 25 >>\nstream\n{two}\nendstream").into_bytes(),
        ),
    ]);
    // As many bytes before the header as put page 2's offset, counted from
    // the file's first byte, inside the object before it (page 1's stream).
    let at = |what: &[u8]| {
        pdf.windows(what.len())
            .position(|w| w == what)
            .expect("an object")
    };
    let junk = vec![b'x'; at(b"8 0 obj") - at(b"5 0 obj") - 2];
    let text = read_pdf(&[&junk[..], &pdf[..]].concat())
        .expect("read")
        .text;
    let pages: Vec<&str> = text.split('\x0c').collect();
    assert_eq!(pages.len(), 2, "{text:?}");
    assert!(pages[0].contains("First page closing"), "{text:?}");
    assert!(pages[1].contains("Second page opening"), "{text:?}");
    assert!(pages[1].contains("Second page closing"), "{text:?}");
    assert!(!pages[1].contains("First page"), "{text:?}");
}
