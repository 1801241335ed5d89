//! PDF text for every script and font: one test per failure class that
//! real PDFs showed (docs/pdf.md has the measurements on `../shared/pdfs`).
//! The PDFs are written here (`common::cid_pdf`), shaped as producers write
//! them: composite fonts with two-byte codes.

use dossier::extract::pdf::reader::read_pdf;

use crate::common::cid_pdf::{CidPdf, Mapping};
use crate::common::pdf::{HELVETICA, file_of_objects, pages_of, stream_object as stream};

fn text_of(pdf: &CidPdf) -> String {
    let read = read_pdf(&pdf.write()).expect("the fixture reads");
    assert_eq!(read.pages, 1);
    read.text
}

/// The text of a PDF showing `lines` in a font with a ToUnicode map.
fn text_with_unicode_map(lines: &[&str]) -> String {
    text_of(&CidPdf {
        lines,
        mapping: Mapping::ToUnicode,
        indirect_filter: false,
    })
}

/// Each line reversed: how a producer that draws Arabic left to right,
/// glyph by glyph, orders it in the content stream.
fn drawn_left_to_right(line: &str) -> String {
    line.chars().rev().collect()
}

#[test]
fn arabic_drawn_left_to_right_reads_right_to_left() {
    let logical = [
        "انواع الخطوط العربية",
        "حماية المدنيين في النزاعات المسلحة",
        "المرأة والسلام والأمن",
    ];
    let drawn: Vec<String> = logical.iter().map(|l| drawn_left_to_right(l)).collect();
    let lines: Vec<&str> = drawn.iter().map(String::as_str).collect();
    let text = text_with_unicode_map(&lines);
    for line in logical {
        assert!(text.contains(line), "{line:?} not in {text:?}");
    }
}

#[test]
fn arabic_already_in_reading_order_is_left_as_it_is() {
    let lines = ["حماية المدنيين في النزاعات المسلحة", "المرأة والسلام والأمن"];
    let text = text_with_unicode_map(&lines);
    for line in lines {
        assert!(text.contains(line), "{line:?} not in {text:?}");
    }
}

#[test]
fn ligatures_are_folded_and_the_space_after_one_closed() {
    let lines = [
        "the beneﬁ ts of the ﬁeld mission",
        "benefits for all who ﬂed",
    ];
    let text = text_with_unicode_map(&lines);
    assert!(
        text.contains("the benefits of the field mission"),
        "{text:?}"
    );
    assert!(text.contains("fled"), "{text:?}");
    assert!(!text.contains('ﬁ') && !text.contains('ﬂ'), "{text:?}");
}

#[test]
fn line_end_hyphens_join_words_the_document_knows() {
    let lines = [
        "the inter-",
        "preter said that an interpreter is a well-",
        "known person, as well known as the Entde-",
        "ckung of the mission",
    ];
    let text = text_with_unicode_map(&lines);
    assert!(text.contains("the interpreter\nsaid"), "{text:?}");
    assert!(
        text.contains("well-\nknown"),
        "a hyphen between two words the document uses stays: {text:?}"
    );
    assert!(
        text.contains("Entdeckung\nof"),
        "a syllable the document has nowhere else is joined: {text:?}"
    );
}

#[test]
fn a_filter_given_as_a_reference_is_followed() {
    let lines = ["Protection of civilians in armed conflict"];
    let text = text_of(&CidPdf {
        lines: &lines,
        mapping: Mapping::ToUnicode,
        indirect_filter: true,
    });
    assert!(text.contains("Protection of civilians"), "{text:?}");
}

#[test]
fn a_font_without_a_unicode_map_is_read_by_its_own_cmap() {
    let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let Ok(font) = std::fs::read(path) else {
        eprintln!("skipped: {path} is absent (Debian's fonts-dejavu-core)");
        return;
    };
    let lines = [
        "Faktura nr FV 1/2021",
        "Sprzedawca: Kacza 11/2, 91-504 Łódź",
    ];
    let text = text_of(&CidPdf {
        lines: &lines,
        mapping: Mapping::EmbeddedOnly(&font),
        indirect_filter: false,
    });
    for line in lines {
        assert!(text.contains(line), "{line:?} not in {text:?}");
    }
}

#[test]
fn chinese_in_a_predefined_cmap_is_read() {
    let lines = ["公司深度短期借款", "交易性金融负债"];
    let text = text_of(&CidPdf {
        lines: &lines,
        mapping: Mapping::PredefinedUcs2,
        indirect_filter: false,
    });
    for line in lines {
        assert!(text.contains(line), "{line:?} not in {text:?}");
    }
}

/// A font not embedded (Ryumin-Light), Identity-H, no ToUnicode: the codes
/// are CIDs of Adobe's Japan1 collection, whose Unicode meaning is known.
/// A Japanese statute came back with 4 of pdftotext's 2,377 words.
#[test]
fn japanese_cids_of_a_font_not_embedded_are_read() {
    let lines = ["第十条の規定により", "同項第二号に掲げる"];
    // Their Adobe-Japan1 CIDs (Adobe's UniJIS-UTF32-H), written here so
    // that the test does not read dossier's own tables backwards.
    let cids: std::collections::BTreeMap<char, u16> = [
        ('第', 2888),
        ('十', 2375),
        ('条', 2522),
        ('の', 887),
        ('規', 1606),
        ('定', 3078),
        ('に', 884),
        ('よ', 913),
        ('り', 915),
        ('同', 3209),
        ('項', 2034),
        ('二', 3275),
        ('号', 2040),
        ('掲', 1821),
        ('げ', 859),
        ('る', 916),
    ]
    .into_iter()
    .collect();
    let text = text_of(&CidPdf {
        lines: &lines,
        mapping: Mapping::JapaneseCids(&cids),
        indirect_filter: false,
    });
    for line in lines {
        assert!(text.contains(line), "{line:?} not in {text:?}");
    }
}

/// Two Arabic words have none of the letters that tell the order ("ال" at
/// a start, "ة" at an end): the drawing tells it, letters placed left to
/// right in one string being in visual order.
#[test]
fn a_short_arabic_line_drawn_left_to_right_reads_right_to_left() {
    let logical = "مرحبا بالعالم";
    let drawn = drawn_left_to_right(logical);
    let text = text_with_unicode_map(&[&drawn]);
    assert!(text.contains(logical), "{logical:?} not in {text:?}");
}

/// Helvetica whose encoding draws every lower-case code as its capital:
/// the same string reads differently in it and in plain Helvetica, so a
/// text says which font drew it.
const CAPITALS_FONT: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
    /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [97 \
    /A /B /C /D /E /F /G /H /I /J /K /L /M /N /O /P /Q /R /S /T /U /V /W /X /Y /Z] >> >>";

/// The first reader keeps the fonts it builds for the whole document (a
/// font built again on every page was 44% of its time), so a font name
/// that means another font on the next page must not bring back the
/// first page's font.
#[test]
fn a_font_name_that_means_another_font_on_the_next_page_reads_in_that_font() {
    let content = "BT /F1 12 Tf 100 700 Td (protection of civilians) Tj ET";
    let pdf = pages_of(&[
        (HELVETICA, stream("", content)),
        (CAPITALS_FONT, stream("", content)),
    ]);
    let read = read_pdf(&pdf).expect("the fixture reads");
    let pages: Vec<&str> = read.text.split('\x0c').map(str::trim).collect();
    assert_eq!(
        pages,
        ["protection of civilians", "PROTECTION OF CIVILIANS"],
        "{:?}",
        read.text
    );
}

/// A form drawn on a page has resources of its own, where the page's font
/// name may mean another font: pdf-extract kept fonts by name for the
/// whole page, and read the form's text in the page's font.
#[test]
fn a_form_whose_font_name_means_another_font_reads_in_its_own_font() {
    let pdf = file_of_objects(
        "1.4",
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R \
              /Resources << /Font << /F1 4 0 R >> /XObject << /X1 6 0 R >> >> \
              /Contents 7 0 R /MediaBox [0 0 612 792] >>"
                .to_vec(),
            HELVETICA.to_vec(),
            CAPITALS_FONT.to_vec(),
            stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 612 792] \
                 /Resources << /Font << /F1 5 0 R >> >>",
                "BT /F1 12 Tf 100 600 Td (women, peace and security) Tj ET",
            ),
            stream(
                "",
                "BT /F1 12 Tf 100 700 Td (protection of civilians) Tj ET /X1 Do",
            ),
        ],
    );
    let text = read_pdf(&pdf).expect("the fixture reads").text;
    assert!(text.contains("protection of civilians"), "{text:?}");
    assert!(text.contains("WOMEN, PEACE AND SECURITY"), "{text:?}");
}

/// A font the first reader cannot build (here a composite font whose
/// descendant font is missing; in the real file, an icon font) made it
/// drop the whole page, and every word the page's other fonts drew.
#[test]
fn a_font_that_cannot_be_built_does_not_cost_its_page() {
    let content = "BT /F1 12 Tf 72 700 Td (Women, peace and security: the resolution asks \
                   all parties to armed conflict to protect women and girls.) Tj ET \
                   BT /F2 12 Tf 72 650 Td <0001000200030004> Tj ET \
                   BT /F1 12 Tf 72 600 Td (Protection of civilians remains at the heart \
                   of the mandate of every peacekeeping mission.) Tj ET";
    let pdf = file_of_objects(
        "1.4",
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> \
              /Contents 6 0 R /MediaBox [0 0 612 792] >>"
                .to_vec(),
            HELVETICA.to_vec(),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Icons /Encoding /Identity-H \
              /DescendantFonts [99 0 R] >>"
                .to_vec(),
            stream("", content),
        ],
    );
    let read = read_pdf(&pdf).expect("the page is read");
    assert!(read.unreadable_pages.is_empty(), "{read:?}");
    for words in ["women and girls", "every peacekeeping mission"] {
        assert!(
            read.text.contains(words),
            "{words:?} not in {:?}",
            read.text
        );
    }
}
