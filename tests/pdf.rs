//! PDFs end to end: text page by page, the page of a hit, title and date from
//! the PDF's metadata, and broken PDFs reported beside good files.

use crate::common::pdf::{PdfInfo, write_pdf};
use crate::common::{Workspace, fixture};

const PAGE_1: &str = "KFOR Chronicle\nThe Kosovo Force keeps a safe and secure environment.";
const PAGE_2: &str = "Liaison and monitoring teams met local communities.\nThey discussed conflict-related sexual violence and the protection of civilians.";
const PAGE_3: &str = "Multinational Battle Group East trained with the Kosovo Security Force.";

fn chronicle(compress: bool) -> Vec<u8> {
    write_pdf(
        &[PAGE_1, PAGE_2, PAGE_3],
        &PdfInfo {
            title: Some("KFOR Chronicle, June 2019"),
            creation_date: Some("D:20190612093000+02'00'"),
            quote_lines: false,
        },
        compress,
    )
}

#[test]
fn a_phrase_on_page_two_is_reported_as_page_two() {
    let ws = Workspace::new();
    ws.write("kfor/chronicle-2019-06.pdf", chronicle(true));
    ws.write("kfor/plain.pdf", chronicle(false));
    let report = ws.index_json();
    assert_eq!(report["added"], 2, "{report}");

    let (code, json) = ws.search(&["\"conflict-related sexual violence\""]);
    assert_eq!(code, 0);
    let hits = json["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2, "{json}");
    for hit in hits {
        assert_eq!(hit["page"], 2, "{hit}");
        assert_eq!(hit["title"], "KFOR Chronicle, June 2019");
        assert_eq!(hit["year"], 2019);
        assert_eq!(hit["date"], "2019-06-12");
    }
    let (_, json) = ws.search(&["\"Multinational Battle Group East\""]);
    assert_eq!(json["hits"][0]["page"], 3, "{json}");

    // Text output says the page too.
    let run = ws.run(&["search", "--limit", "1", "\"protection of civilians\""]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("p. 2"), "{}", run.stdout);

    // The concordance carries the page of each line.
    let run = ws.run(&["kwic", "--json", "Kosovo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json();
    let pages: Vec<u64> = lines["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["page"].as_u64().unwrap())
        .collect();
    assert_eq!(pages, [1, 3, 1, 3], "{lines}");

    // Every word of every page comes back.
    let run = ws.run(&["show", "--json", "kfor/plain.pdf"]);
    let text = run.json()["text"].as_str().unwrap().to_string();
    for page in [PAGE_1, PAGE_2, PAGE_3] {
        for word in page.split_whitespace() {
            assert!(text.contains(word), "{word:?} missing from {text:?}");
        }
    }
}

#[test]
fn ghostscript_style_line_operators_are_read() {
    // Ghostscript writes every line after the first with the `'` operator,
    // which pdf-extract alone does not know: all lines must come back.
    let ws = Workspace::new();
    let pdf = write_pdf(
        &[PAGE_1, PAGE_2],
        &PdfInfo {
            title: None,
            creation_date: None,
            quote_lines: true,
        },
        true,
    );
    ws.write("kfor/gs.pdf", pdf);
    ws.index_json();
    let (_, json) = ws.search(&["\"protection of civilians\""]);
    assert_eq!(json["hits"][0]["page"], 2, "{json}");
    let (_, json) = ws.search(&["\"safe and secure environment\""]);
    assert_eq!(json["hits"][0]["page"], 1, "{json}");
}

/// The chronicle, encrypted by lopdf with `user_password`.
fn encrypted_chronicle(user_password: &str) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(&chronicle(false)).unwrap();
    doc.trailer.set(
        "ID",
        vec![
            lopdf::Object::string_literal("dossier-test-id-0"),
            lopdf::Object::string_literal("dossier-test-id-0"),
        ],
    );
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn broken_and_encrypted_pdfs_are_reported_and_the_rest_indexed() {
    let ws = Workspace::new();
    ws.write("kfor/good.pdf", chronicle(true));
    let good = chronicle(true);
    ws.write("kfor/truncated.pdf", &good[..good.len() / 2]);
    ws.write("kfor/garbage.pdf", b"%PDF-1.4\n\x00\x01\x02 not really");
    // Encrypted (RC4, 128 bits) with a user password dossier does not have.
    ws.write("kfor/encrypted.pdf", encrypted_chronicle("secret"));
    let run = ws.run(&["index", "--json"]);
    assert_eq!(run.code, 2, "problems make the exit code 2: {}", run.stdout);
    let report = run.json();
    assert_eq!(report["added"], 1, "{report}");
    let problems = report["failed"].as_array().unwrap();
    let reason = |name: &str| {
        problems
            .iter()
            .find(|p| p["path"].as_str().unwrap().ends_with(name))
            .map(|p| p["error"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{name} not reported: {report}"))
    };
    assert!(reason("garbage.pdf").contains("PDF"));
    assert!(reason("truncated.pdf").contains("cut short"), "{report}");
    assert!(
        reason("truncated.pdf").contains("fetch it again"),
        "{report}"
    );
    assert!(reason("encrypted.pdf").contains("encrypted"));
    assert_eq!(ws.ids(&["Kosovo"]), ["kfor/good.pdf"]);
}

#[test]
fn the_fixture_chronicle_reads_page_by_page() {
    // tests/fixtures/kfor/chronicle-2019-06.pdf: hand-written, three pages:
    // plain, compressed, and Ghostscript-style `'` lines.
    let ws = Workspace::new();
    ws.write(
        "kfor/chronicle-2019-06.pdf",
        fixture("kfor/chronicle-2019-06.pdf"),
    );
    ws.index_json();
    for (query, page) in [
        ("\"UNSCR 1244\"", 1),
        ("\"conflict-related sexual violence\"", 2),
        ("\"Visoki Decani Monastery\"", 3),
    ] {
        let (code, json) = ws.search(&[query]);
        assert_eq!(code, 0, "{query}");
        assert_eq!(json["hits"][0]["page"], page, "{query}: {json}");
        assert_eq!(json["hits"][0]["date"], "2019-06-12");
    }
}

/// A PDF with almost no text for its pages (a scan without a text layer) is
/// indexed, reported in the summary (not as a failure: exit 0), and marked
/// in `show`; a PDF of prose is not.
#[test]
fn a_pdf_with_almost_no_text_is_reported_not_silent() {
    let ws = Workspace::new();
    let pages = ["Scan", "2", "3", "4", "5"];
    ws.write(
        "scans/report.pdf",
        write_pdf(&pages, &PdfInfo::default(), true),
    );
    let prose =
        "The Security Council stresses the protection of civilians in armed conflict. ".repeat(6);
    ws.write(
        "texts/prose.pdf",
        write_pdf(&[prose.as_str()], &PdfInfo::default(), true),
    );
    let run = ws.run(&["index", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.json();
    let sparse = summary["sparse"].as_array().unwrap();
    assert_eq!(sparse.len(), 1, "{summary}");
    assert!(
        sparse[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("scans/report.pdf")
    );
    assert!(
        sparse[0]["reason"]
            .as_str()
            .unwrap()
            .contains("5 words on 5 pages"),
        "{summary}"
    );
    let show = ws.run(&["show", "scans/report.pdf", "--no-text"]);
    assert!(show.stdout.contains("almost no text"), "{}", show.stdout);
    // On a terminal run the summary says it on standard error.
    let rebuild = ws.run(&["index", "--rebuild"]);
    assert_eq!(rebuild.code, 0);
    assert!(rebuild.stderr.contains("note:") && rebuild.stderr.contains("report.pdf"));
}
