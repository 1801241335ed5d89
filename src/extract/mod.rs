//! Bytes of one file → an [`ExtractedDocument`]: text, title, date, year, and
//! where each came from. The format is decided by content, not only by the
//! file's extension. Extraction never panics on bad input: what cannot be read
//! is an [`ExtractError`] with a reason, and the refresh goes on.

pub mod decode;
pub mod html;
pub mod jsonl;
pub mod lang;
pub mod meta;
pub mod pdf;
pub mod text;
pub mod topics;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::text::LangCode;
use crate::text::controls::{Keep, strip_controls};

/// Files above this size are reported, not read: no real document is this big,
/// and one runaway file must not exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedDocument {
    pub title: String,
    pub body: String,
    pub date: Option<Date>,
    pub year: Option<i16>,
    /// A canonical URL the document names for itself.
    pub url: Option<String>,
    /// Its language (`und` when it cannot be told).
    pub lang: LangCode,
    /// The document declared its language (else it was detected).
    pub lang_declared: bool,
    pub provenance: Provenance,
    /// Why only part of the document was read (a PDF whose reading stopped),
    /// for the refresh to report: what was read is indexed.
    pub incomplete: Option<String>,
    /// Why the text is too little for the document (a PDF of scanned pages
    /// without a text layer, or fonts without a Unicode map): indexed, but
    /// reported, so that an unsearchable document is known.
    pub sparse: Option<String>,
}

/// A title is one line of at most this many characters (a PDF's title
/// came 200 MB long from a 408 KB file).
pub const MAX_TITLE_CHARS: usize = 300;

impl ExtractedDocument {
    /// The document without control characters (see
    /// [`crate::text::controls`]): the body keeps tabs, newlines and its
    /// page breaks; the title is one line; an address that is not one in
    /// full is dropped.
    pub fn cleaned(mut self) -> Self {
        if let std::borrow::Cow::Owned(body) = strip_controls(&self.body, Keep::Pages) {
            self.body = body;
        }
        if let std::borrow::Cow::Owned(title) = strip_controls(&self.title, Keep::Nothing) {
            self.title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        if self.title.chars().count() > MAX_TITLE_CHARS {
            self.title = text::shorten(&self.title, MAX_TITLE_CHARS);
        }
        self.url = self
            .url
            .take()
            .filter(|u| !u.chars().any(crate::text::controls::is_control))
            .and_then(|u| url::Url::parse(u.trim()).ok())
            .map(|u| u.to_string());
        self
    }
}

/// Where each piece of metadata came from, for `dossier show` and `--json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub format: String,
    pub encoding: String,
    pub title: String,
    pub date: Option<String>,
    pub year: Option<String>,
    /// Where the language came from: declared (and where) or detected.
    #[serde(default)]
    pub lang: String,
    /// The title was made from the text's first line or the file name, not
    /// given by the document: it is shown and searched with `title:`, but
    /// not ranked as a title (the first line of an abstract is no heading,
    /// and counting it again as the title costs ranking where documents have
    /// no titles).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived_title: bool,
}

/// Why a file (or a line of a collection) gives no document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("binary content (NUL bytes near the start): not text, HTML or a PDF")]
    Binary,
    /// The PDF reader's reason (not a PDF, encrypted, too large…).
    #[error("{0}")]
    Pdf(String),
    #[error("{0}")]
    Html(String),
    #[error("not a JSON object with \"_id\": {0}")]
    NotACollectionLine(String),
    #[error("\"_id\" must be a non-empty string or a number")]
    BadCollectionId,
    #[error("\"_id\" is longer than {max} bytes: no id is, and the index could not look it up")]
    LongCollectionId { max: usize },
}

/// The formats dossier reads, decided from content and extension together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
    Text,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }
}

fn extension(relative_path: &str) -> String {
    let name = relative_path.rsplit('/').next().unwrap_or("");
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Extracts one document. `relative_path` is its id: it gives the year when the
/// document's metadata does not, and an extension hint.
pub fn extract(bytes: &[u8], relative_path: &str) -> Result<ExtractedDocument, ExtractError> {
    if looks_like_pdf(bytes) {
        return extract_pdf_document(bytes, relative_path);
    }
    if decode::looks_binary(bytes) {
        return Err(ExtractError::Binary);
    }
    let ext = extension(relative_path);
    let html_by_name = matches!(
        ext.as_str(),
        "html" | "htm" | "xhtml" | "shtml" | "php" | "asp" | "aspx"
    );
    let declared = if html_by_name || bytes.starts_with(b"<") || bytes.contains(&b'<') {
        html::declared_charset(bytes)
    } else {
        None
    };
    let decoded = decode::decode(bytes, declared);
    let format = if html_by_name || html::looks_like_html(&decoded.text) {
        Format::Html
    } else if matches!(ext.as_str(), "md" | "markdown") {
        Format::Markdown
    } else {
        Format::Text
    };

    let mut provenance = Provenance {
        format: format.name().into(),
        encoding: decoded.encoding.into(),
        ..Provenance::default()
    };
    let (title, body, meta_date, url, declared_lang) = match format {
        Format::Html => {
            let page = html::extract_html(&decoded.text).map_err(ExtractError::Html)?;
            if page.tags_stripped {
                provenance.format = "html (nested too deeply for a DOM: tags stripped)".into();
            }
            let title = page.title.map(|(t, from)| (t, from.to_string()));
            (title, page.text, page.date, page.url, page.lang)
        }
        Format::Markdown | Format::Text => {
            let title = text::title_like_first_line(&decoded.text)
                .map(|t| (t, "first line".to_string()))
                .or_else(|| {
                    provenance.derived_title = true;
                    Some((
                        file_name(relative_path).to_string(),
                        "file name (the first line is no title)".to_string(),
                    ))
                });
            (title, decoded.text, None, None, None)
        }
    };

    let title = match title {
        Some((title, from)) => {
            provenance.title = from;
            title
        }
        None => {
            provenance.derived_title = true;
            match text::title_from_text(&body) {
                Some(t) => {
                    provenance.title = "first line of the text".into();
                    t
                }
                None => {
                    provenance.title = "file name".into();
                    file_name(relative_path).to_string()
                }
            }
        }
    };

    let (date, year) = date_and_year(meta_date, relative_path, &body, &mut provenance);
    let declared = declared_lang.as_ref().map(|(v, from)| (v.as_str(), *from));
    let detected = lang::language(&title, &body, declared);
    provenance.lang = detected.from;
    Ok(ExtractedDocument {
        title,
        body,
        date,
        year,
        url,
        lang: detected.code,
        lang_declared: detected.declared,
        provenance,
        incomplete: None,
        sparse: None,
    }
    .cleaned())
}

/// Fewer words a page than this, on average, is a PDF whose text layer is
/// missing or unreadable: a page of prose holds hundreds.
pub const MIN_WORDS_PER_PAGE: usize = 20;

/// Why a PDF's text is too little to search, if it is: fewer than
/// [`MIN_WORDS_PER_PAGE`] words a page, or mostly characters with no Unicode
/// meaning (U+FFFD, private use) that fonts without a map give.
pub fn sparse_text(text: &str, pages: usize) -> Option<String> {
    if pages == 0 {
        return None;
    }
    let words = word_count(text);
    let (mut letters, mut meaningless) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        letters += 1;
        if without_meaning(c) {
            meaningless += 1;
        }
    }
    if meaningless * 2 > letters {
        return Some(format!(
            "almost no readable text: {meaningless} of {letters} characters have no Unicode meaning (fonts without a map?)"
        ));
    }
    (words < MIN_WORDS_PER_PAGE * pages).then(|| {
        format!(
            "almost no text: {words} {} on {} (a scan without a text layer, or fonts dossier cannot read)",
            if words == 1 { "word" } else { "words" },
            pages_noun(pages)
        )
    })
}

/// Words as [`sparse_text`] counts them: runs between white space that hold
/// a letter or a digit.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
}

/// How many [`words`] `text` has.
pub(crate) fn word_count(text: &str) -> usize {
    words(text).count()
}

/// A character a font without a Unicode map gives: U+FFFD or private use.
pub(crate) fn without_meaning(c: char) -> bool {
    c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// A PDF starts with `%PDF-`, though readers accept it anywhere in the first
/// kilobyte (some servers prepend junk).
fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

fn extract_pdf_document(
    bytes: &[u8],
    relative_path: &str,
) -> Result<ExtractedDocument, ExtractError> {
    let read = pdf::extract_pdf(bytes).map_err(ExtractError::Pdf)?;
    let incomplete = match (read.stopped_at, read.text_cut_at) {
        (Some(page), _) => Some(format!(
            "reading stopped at page {page} of {} after {} s; the pages before are indexed",
            read.pages,
            pdf::MAX_READING_TIME.as_secs()
        )),
        (None, Some(page)) => Some(format!(
            "reading stopped at page {page} of {}: its text passed {} MB (a PDF bomb?); the pages before are indexed",
            read.pages,
            pdf::MAX_TEXT_BYTES / (1024 * 1024)
        )),
        (None, None) => None,
    };
    let mut provenance = Provenance {
        format: if let Some(page) = read.text_cut_at {
            format!(
                "pdf, {}; text cut at page {page} (more than {} MB)",
                pages_noun(read.pages),
                pdf::MAX_TEXT_BYTES / (1024 * 1024)
            )
        } else if let Some(page) = read.stopped_at {
            format!(
                "pdf, {}; reading stopped at page {page} after {} s",
                pages_noun(read.pages),
                pdf::MAX_READING_TIME.as_secs()
            )
        } else if read.unreadable_pages.is_empty() {
            format!("pdf, {}", pages_noun(read.pages))
        } else {
            format!(
                "pdf, {} ({} unreadable: {})",
                pages_noun(read.pages),
                read.unreadable_pages.len(),
                read.unreadable_pages
                    .iter()
                    .take(10)
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        encoding: "from the PDF's fonts".into(),
        ..Provenance::default()
    };
    let title = match read.title {
        Some(title) => {
            provenance.title = "PDF metadata".into();
            title
        }
        None => {
            provenance.derived_title = true;
            match text::title_from_text(&read.text) {
                Some(title) => {
                    provenance.title = "first line of the text".into();
                    title
                }
                None => {
                    provenance.title = "file name".into();
                    file_name(relative_path).to_string()
                }
            }
        }
    };
    let sparse = sparse_text(&read.text, read.pages);
    if let Some(why) = &sparse {
        // `show` says it with the format.
        provenance.format.push_str(&format!("; {why}"));
    }
    let meta_date = read.date.map(|d| (d, "PDF metadata".to_string()));
    let (date, year) = date_and_year(meta_date, relative_path, &read.text, &mut provenance);
    let detected = lang::language(&title, &read.text, None);
    provenance.lang = detected.from;
    Ok(ExtractedDocument {
        title,
        body: read.text,
        date,
        year,
        url: None,
        lang: detected.code,
        lang_declared: detected.declared,
        provenance,
        incomplete,
        sparse,
    }
    .cleaned())
}

fn pages_noun(pages: usize) -> String {
    if pages == 1 {
        "1 page".into()
    } else {
        format!("{pages} pages")
    }
}

fn file_name(relative_path: &str) -> &str {
    relative_path.rsplit('/').next().unwrap_or(relative_path)
}

/// The year rule: metadata, then the path, then the first full date in the
/// text. A date from the text is kept only when it agrees with the year: the
/// first date in a 1995 speech may well be 24 October 1945.
fn date_and_year(
    meta_date: Option<(Date, String)>,
    relative_path: &str,
    body: &str,
    provenance: &mut Provenance,
) -> (Option<Date>, Option<i16>) {
    if let Some((date, from)) = meta_date {
        provenance.date = Some(from.clone());
        provenance.year = Some(from);
        return (Some(date), Some(date.year()));
    }
    let text_date = meta::first_full_date(body);
    if let Some(year) = meta::year_from_path(relative_path) {
        provenance.year = Some("path".into());
        let date = text_date.filter(|d| d.year() == year);
        if date.is_some() {
            provenance.date = Some("text".into());
        }
        return (date, Some(year));
    }
    if let Some(date) = text_date {
        provenance.date = Some("text".into());
        provenance.year = Some("text".into());
        return (Some(date), Some(date.year()));
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_rule_order() {
        let doc = extract(
            b"MILITARY STAFF COMMITTEE\n\nResolution of 25 January 1946",
            "unsc/S_RES_0001_1946_EN.txt",
        )
        .unwrap();
        assert_eq!(doc.year, Some(1946));
        assert_eq!(doc.provenance.year.as_deref(), Some("path"));
        assert_eq!(doc.date, Date::new(1946, 1, 25).ok());

        let doc = extract(
            "On the eve of the anniversary of 24 October 1945".as_bytes(),
            "gd/Session 50 - 1995/USA_50_1995.txt",
        )
        .unwrap();
        assert_eq!(doc.year, Some(1995));
        assert_eq!(
            doc.date, None,
            "a date of another year is not the document's date"
        );

        let doc = extract(b"Notes\nMeeting held on 3 March 2021.", "notes/meeting.txt").unwrap();
        assert_eq!(
            (doc.year, doc.provenance.year.as_deref()),
            (Some(2021), Some("text"))
        );

        let html = br#"<html><head><meta name="date" content="2016-05-01"><title>T</title></head><body>1999</body></html>"#;
        let doc = extract(html, "nato/page_2010.html").unwrap();
        assert_eq!(doc.year, Some(2016));
        assert_eq!(doc.provenance.year.as_deref(), Some("<meta date>"));
    }

    #[test]
    fn format_by_content_not_only_extension() {
        let doc = extract(b"<!DOCTYPE html><html><head><title>Saved page</title></head><body><p>Text</p></body></html>", "nato/saved.txt").unwrap();
        assert_eq!(doc.provenance.format, "html");
        assert_eq!(doc.title, "Saved page");
        let doc = extract(b"Kosovo Force\n\nKFOR", "kfor/notes.html.bak").unwrap();
        assert_eq!(doc.provenance.format, "text");
    }

    #[test]
    fn control_characters_never_enter_the_stored_text() {
        let page = "<html><head><title>Evil \u{1b}]0;OWNED\u{7}\u{1b}[2J</title>\
            <link rel=\"canonical\" href=\"https://a.org/\u{1b}[2J\"></head>\
            <body><p>Body \u{9b}31m text\u{8}.</p></body></html>";
        let doc = extract(page.as_bytes(), "x/evil.html").unwrap();
        let controls = |t: &str| {
            t.chars()
                .filter(|c| crate::text::controls::is_control(*c) && *c != '\n')
                .count()
        };
        assert_eq!(controls(&doc.title), 0, "{:?}", doc.title);
        assert_eq!(controls(&doc.body), 0, "{:?}", doc.body);
        assert_eq!(doc.url, None);
        // A text file's form feeds are its pages: they stay.
        let doc = extract(b"Page one\x0cPage two \x1b[2J", "x/a.txt").unwrap();
        assert_eq!(doc.body, "Page one\x0cPage two  [2J");
        // A name made of controls gives a title without them.
        let doc = extract(b"", "x/\x1b]0;t\x07.txt").unwrap();
        assert!(
            !doc.title.chars().any(crate::text::controls::is_control),
            "{:?}",
            doc.title
        );
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert!(extract(b"\x00\x01\x02binary", "x/a.html").is_err());
        let err = extract(b"%PDF-1.7 ...", "x/a.pdf").unwrap_err();
        assert!(err.to_string().contains("not a readable PDF"), "{err}");
        let empty = extract(b"", "x/empty.txt").unwrap();
        assert_eq!(empty.title, "empty.txt");
        assert!(empty.body.is_empty());
    }
}
