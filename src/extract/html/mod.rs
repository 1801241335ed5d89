//! HTML pages: the main text without navigation, scripts and styles, the title,
//! the date, the canonical URL and the declared language.
//!
//! The page is parsed once, by html2text's HTML5 parser. Its DOM gives the
//! metadata ([`metadata`]), then serves to keep only the main content and
//! render it as text ([`main_text`]).

mod dom;
mod main_text;
mod metadata;
pub mod shape;
pub mod viewer;

use std::sync::LazyLock;

use encoding_rs::Encoding;
use jiff::civil::Date;
use regex::Regex;

use main_text::{main_text, stripped_text};
use metadata::{Metadata, read_metadata};
use shape::shape;

pub struct HtmlDocument {
    pub title: Option<(String, &'static str)>,
    pub date: Option<(Date, String)>,
    pub url: Option<String>,
    /// The language the page declares (`<html lang>`, `Content-Language`), as written.
    pub lang: Option<(String, &'static str)>,
    pub text: String,
    /// The page was too deep or too large for a DOM ([`shape`]): its tags
    /// were stripped, and its metadata read from its head alone.
    pub tags_stripped: bool,
}

static CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)"#).expect("valid regex")
});

/// The charset a page declares in its first 1024 bytes (the HTML prescan window).
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    let label = CHARSET.captures(&head)?.get(1)?.as_str().to_string();
    Encoding::for_label(label.as_bytes())
}

/// Whether decoded text is HTML: it opens like a page, or names the tags only a
/// page has near its top. Plain text that mentions `<p>` is not HTML.
pub fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let head: String = start
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || head.starts_with("<body")
        || (head.starts_with('<')
            && [
                "<html", "<head", "<body", "<title", "<meta ", "<table", "<div", "<p>", "<link ",
            ]
            .iter()
            .any(|tag| head.contains(tag)))
}

pub fn extract_html(source: &str) -> Result<HtmlDocument, String> {
    let parse = |html: &str| {
        html2text::config::plain_no_decorate()
            .parse_html(html.as_bytes())
            .map_err(|e| format!("cannot parse HTML: {e}"))
    };
    let tags_stripped = !shape(source).fits_a_dom();
    let (metadata, text) = if tags_stripped {
        let head = head_of(source);
        let metadata = if !shape(head).fits_a_dom() {
            Metadata::default()
        } else {
            read_metadata(&parse(head)?.document, head)
        };
        (metadata, stripped_text(source))
    } else {
        let dom = parse(source)?;
        (read_metadata(&dom.document, source), main_text(&dom)?)
    };
    Ok(HtmlDocument {
        title: metadata.title,
        date: metadata.date,
        url: metadata.url,
        lang: metadata.lang,
        text,
        tags_stripped,
    })
}

/// The markup of a page's head, where its metadata stands: up to `</head>`,
/// else up to `<body` (a head's script may well write `<body`).
fn head_of(source: &str) -> &str {
    static HEAD_END: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)</head\s*>").expect("valid regex"));
    static BODY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)<body(?-u:\b)").expect("valid regex"));
    if let Some(end) = HEAD_END.find(source) {
        return &source[..end.end()];
    }
    match BODY.find(source) {
        Some(body) => &source[..body.start()],
        None => source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>NATO - Topic: Human security</title>
<meta property="og:title" content="Human security">
<meta property="article:published_time" content="2022-10-07T09:00:00Z">
<link rel="canonical" href="https://www.nato.int/cps/en/natohq/topics_181779.htm">
<style>body { color: red }</style>
<script>var tracking = "protection of civilians";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<div role="navigation">Skip to content</div>
<main>
<h1>Human security</h1>
<p>NATO&rsquo;s approach to human security covers the protection of civilians.</p>
<footer>Last updated: 07 Oct. 2022</footer>
</main>
<footer>Follow us on social media</footer>
</body></html>"#;

    #[test]
    fn keeps_main_text_drops_furniture() {
        let doc = extract_html(PAGE).unwrap();
        assert!(
            doc.text
                .contains("NATO\u{2019}s approach to human security"),
            "{}",
            doc.text
        );
        assert!(doc.text.contains("Human security"));
        for gone in [
            "Home",
            "Skip to content",
            "tracking",
            "color: red",
            "social media",
        ] {
            assert!(!doc.text.contains(gone), "{gone} in {}", doc.text);
        }
        assert_eq!(doc.title.unwrap().0, "NATO - Topic: Human security");
        assert_eq!(doc.date.unwrap().0, Date::new(2022, 10, 7).unwrap());
        assert_eq!(
            doc.url.as_deref(),
            Some("https://www.nato.int/cps/en/natohq/topics_181779.htm")
        );
    }

    #[test]
    fn title_falls_back_to_og_title_then_h1() {
        let doc = extract_html(r#"<html><head><meta property="og:title" content="A &amp; B"></head><body><p>x</p></body></html>"#).unwrap();
        assert_eq!(doc.title.unwrap(), ("A & B".to_string(), "og:title"));
        let doc = extract_html("<html><body><h1>Kosovo <em>Force</em></h1><p>x</p></body></html>")
            .unwrap();
        assert_eq!(
            doc.title.unwrap(),
            ("Kosovo Force".to_string(), "first <h1>")
        );
    }

    #[test]
    fn date_from_time_element() {
        let doc = extract_html(r#"<html><body><article><time datetime="2019-06-12">12 June</time><p>KFOR</p></article></body></html>"#).unwrap();
        assert_eq!(doc.date.unwrap().0, Date::new(2019, 6, 12).unwrap());
    }

    #[test]
    fn deep_nesting_is_read_in_linear_time() {
        let deep = "<div>".repeat(100_000) + "deep &amp; text" + &"</div>".repeat(100_000);
        let started = std::time::Instant::now();
        let doc = extract_html(&format!(
            "<html><head><title>Deep</title></head><body>{deep}</body></html>"
        ))
        .unwrap();
        assert!(doc.tags_stripped);
        assert_eq!(doc.text, "deep & text");
        assert_eq!(doc.title.unwrap().0, "Deep");
        // Generous bound: the DOM parser took 29 s here; stripping takes milliseconds.
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        let shallow =
            extract_html("<html><body><div><p>a<br>b<img src=x/></p></div></body></html>").unwrap();
        assert!(!shallow.tags_stripped);
        // Deep and without a head: no metadata, the text all the same.
        let headless = extract_html(&deep).unwrap();
        assert!(headless.title.is_none());
        assert_eq!(headless.text, "deep & text");
    }

    /// Closing tags that close nothing (`</span>` with no span open) hid
    /// the depth from the old count: 40,000 `<div></span>` took 24 s.
    #[test]
    fn pages_that_would_cost_a_dom_too_much_are_stripped() {
        for page in [
            "<div></span>".repeat(40_000),
            "<b>x</b>".repeat(200_000),
            format!("<main><p>hello</p>{}</main>", "<div>".repeat(26_000)),
        ] {
            let started = std::time::Instant::now();
            let doc = extract_html(&page).unwrap();
            assert!(doc.tags_stripped);
            assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        }
    }

    #[test]
    fn sniffs_html() {
        assert!(looks_like_html("<!DOCTYPE html><html>"));
        assert!(looks_like_html(
            "\n<link href=x rel=stylesheet />\n<table class=t><tr>"
        ));
        assert!(!looks_like_html("Plain text mentioning <p> tags."));
    }
}
