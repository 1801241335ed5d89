//! HTML pages: the main text without navigation, scripts and styles, the title,
//! the date and the canonical URL.
//!
//! The page is parsed once, by html2text's HTML5 parser. Its DOM serves to keep
//! only the main content (`<main>`, else a single `<article>`, else `<body>`)
//! and to drop navigation; html2text then renders the text. Metadata lives in
//! flat tags (`<meta>`, `<title>`, `<time>`, `<h1>`), which a scan of the raw
//! markup finds without a second parse.

use std::sync::LazyLock;

use encoding_rs::Encoding;
use html2text::{Element, Handle, RcDom};
use jiff::civil::Date;
use regex::Regex;

use super::meta::parse_date_value;

/// Elements whose content is never part of the main text.
const DROPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "iframe", "svg", "form", "button", "select",
    "dialog", "menu",
];
/// Site furniture: dropped unless inside the chosen main element.
const FURNITURE_ELEMENTS: &[&str] = &["header", "footer", "aside"];
/// ARIA roles of navigation and site furniture.
const DROPPED_ROLES: &[&str] = &["navigation", "banner", "contentinfo", "search", "menu"];

/// Metadata scans stop here: head tags and a first heading stand near the top.
const METADATA_SCAN_BYTES: usize = 512 * 1024;
/// Rendering width: wide, so that sentences are rarely wrapped.
const RENDER_WIDTH: usize = 400;
/// Pages nested deeper than this are not parsed into a DOM: the HTML5 parser's
/// scope checks make parsing quadratic in depth (100,000 nested `<div>`s: 29 s).
/// Real pages nest a few dozen levels; deeper ones get their text with the
/// tags stripped.
const MAX_DOM_DEPTH: usize = 1_000;
/// Elements that never have a closing tag, for the depth estimate.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Meta tags naming a publication date, most trusted first.
const DATE_META_NAMES: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "citation_publication_date",
    "date",
    "pubdate",
    "publish-date",
    "publication_date",
    "article:modified_time",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
];

pub struct HtmlDocument {
    pub title: Option<(String, &'static str)>,
    pub date: Option<(Date, String)>,
    pub url: Option<String>,
    /// The language the page declares (`<html lang>`, `Content-Language`), as written.
    pub lang: Option<(String, &'static str)>,
    pub text: String,
    /// The page was too deeply nested for a DOM: its tags were stripped.
    pub tags_stripped: bool,
}

static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<html(?-u:\b)([^>]*)>").expect("valid regex"));
static META_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<meta(?-u:\b)([^>]*)>").expect("valid regex"));
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)([a-z_:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("valid regex")
});
static TITLE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<title(?-u:\b)[^>]*>(.*?)</title\s*>").expect("valid regex")
});
static H1_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<h1(?-u:\b)[^>]*>(.*?)</h1\s*>").expect("valid regex"));
static TIME_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<time(?-u:\b)([^>]*)>").expect("valid regex"));
static LINK_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<link(?-u:\b)([^>]*)>").expect("valid regex"));
static TAGS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("valid regex"));
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
    let mut scan_end = source.len().min(METADATA_SCAN_BYTES);
    while !source.is_char_boundary(scan_end) {
        scan_end -= 1;
    }
    let head = &source[..scan_end];
    let metas = meta_tags(head);
    let meta = |names: &[&str]| -> Option<(String, String)> {
        names.iter().find_map(|name| {
            metas
                .iter()
                .find(|(n, v)| n == name && !v.trim().is_empty())
                .map(|(n, v)| (n.clone(), v.trim().to_string()))
        })
    };

    let title = TITLE_TAG
        .captures(head)
        .map(|c| inline_text(&c[1]))
        .filter(|t| !t.is_empty())
        .map(|t| (t, "<title>"))
        .or_else(|| meta(&["og:title"]).map(|(_, v)| (decode_entities(&v), "og:title")))
        .or_else(|| {
            H1_TAG
                .captures(head)
                .map(|c| inline_text(&c[1]))
                .filter(|t| !t.is_empty())
                .map(|t| (t, "first <h1>"))
        });

    let date = DATE_META_NAMES
        .iter()
        .find_map(|name| {
            let (n, v) = meta(&[name])?;
            parse_date_value(&v).map(|d| (d, format!("<meta {n}>")))
        })
        .or_else(|| {
            TIME_TAG.captures_iter(head).find_map(|c| {
                let value = attributes(&c[1])
                    .into_iter()
                    .find(|(n, _)| n == "datetime")?
                    .1;
                parse_date_value(&value).map(|d| (d, "<time datetime>".to_string()))
            })
        });

    let url = LINK_TAG
        .captures_iter(head)
        .find_map(|c| {
            let attrs = attributes(&c[1]);
            let is_canonical = attrs
                .iter()
                .any(|(n, v)| n == "rel" && v.eq_ignore_ascii_case("canonical"));
            is_canonical
                .then(|| attrs.into_iter().find(|(n, _)| n == "href").map(|(_, v)| v))
                .flatten()
        })
        .or_else(|| meta(&["og:url"]).map(|(_, v)| v))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));

    let lang = HTML_TAG
        .captures(head)
        .and_then(|c| {
            attributes(&c[1])
                .into_iter()
                .find(|(n, v)| (n == "lang" || n == "xml:lang") && !v.trim().is_empty())
                .map(|(_, v)| (v.trim().to_string(), "<html lang>"))
        })
        .or_else(|| {
            meta(&["content-language", "dc.language", "og:locale"]).map(|(n, v)| {
                let from = match n.as_str() {
                    "content-language" => "<meta content-language>",
                    "dc.language" => "<meta dc.language>",
                    _ => "<meta og:locale>",
                };
                (v, from)
            })
        });

    let tags_stripped = nesting_depth(source) > MAX_DOM_DEPTH;
    let text = if tags_stripped {
        stripped_text(source)
    } else {
        main_text(source)?
    };
    Ok(HtmlDocument {
        title,
        date,
        url,
        lang,
        text,
        tags_stripped,
    })
}

/// The deepest nesting of elements, estimated in one pass over the markup
/// (opening tags less closing tags, void and self-closed elements aside).
fn nesting_depth(source: &str) -> usize {
    let bytes = source.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|b| *b == b'<') {
        let start = i + offset + 1;
        i = start;
        match bytes.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = bytes[start..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |n| start + n);
                let name = source[start..name_end].to_ascii_lowercase();
                let tag_end = bytes[name_end..].iter().position(|b| *b == b'>');
                let self_closed = tag_end.is_some_and(|n| n > 0 && bytes[name_end + n - 1] == b'/');
                if !VOID_ELEMENTS.contains(&name.as_str()) && !self_closed {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
}

static SCRIPT_OR_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<head(?-u:\b).*?</head\s*>|<script(?-u:\b).*?</script\s*>|<style(?-u:\b).*?</style\s*>")
        .expect("valid regex")
});

/// Text of a page without a DOM: head, scripts and styles removed, tags stripped,
/// entities decoded. Linear in the page's size.
fn stripped_text(source: &str) -> String {
    let without_code = SCRIPT_OR_STYLE.replace_all(source, " ");
    let without_tags = TAGS.replace_all(&without_code, " ");
    let lines: Vec<String> = without_tags
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    decode_entities(&lines.join("\n"))
}

/// `(name, content)` of every `<meta>` tag, names lower-cased. `name`,
/// `property`, `itemprop` and `http-equiv` all name a meta tag.
fn meta_tags(head: &str) -> Vec<(String, String)> {
    META_TAG
        .captures_iter(head)
        .filter_map(|c| {
            let attrs = attributes(&c[1]);
            let name = attrs
                .iter()
                .find(|(n, _)| {
                    matches!(n.as_str(), "name" | "property" | "itemprop" | "http-equiv")
                })?
                .1
                .to_ascii_lowercase();
            let content = attrs.into_iter().find(|(n, _)| n == "content")?.1;
            Some((name, content))
        })
        .collect()
}

fn attributes(tag_body: &str) -> Vec<(String, String)> {
    ATTRIBUTE
        .captures_iter(tag_body)
        .map(|c| {
            let value = c
                .get(2)
                .or_else(|| c.get(3))
                .or_else(|| c.get(4))
                .map_or("", |m| m.as_str());
            (c[1].to_ascii_lowercase(), decode_entities(value))
        })
        .collect()
}

/// Text of a fragment such as a title: tags removed, entities decoded, spaces folded.
fn inline_text(fragment: &str) -> String {
    let without_tags = TAGS.replace_all(fragment, " ");
    decode_entities(&without_tags)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decodes character references by letting html2text's parser read the
/// fragment as text: it knows every named entity.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let escaped = value.replace('<', "&lt;").replace('>', "&gt;");
    html2text::config::plain_no_decorate()
        .string_from_read(escaped.as_bytes(), usize::MAX / 4)
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| value.to_string())
}

fn main_text(source: &str) -> Result<String, String> {
    let config = html2text::config::plain_no_decorate()
        .raw_mode(true)
        .link_footnotes(false);
    let dom = config
        .parse_html(source.as_bytes())
        .map_err(|e| format!("cannot parse HTML: {e}"))?;
    keep_main_content(&dom);
    let tree = config
        .dom_to_render_tree(&dom)
        .map_err(|e| format!("cannot render HTML: {e}"))?;
    let text = config
        .render_to_string(tree, RENDER_WIDTH)
        .map_err(|e| format!("cannot render HTML: {e}"))?;
    Ok(tidy_rendered_text(&text))
}

fn element_name(node: &Handle) -> Option<&str> {
    match &node.data {
        Element { name, .. } => Some(&*name.local),
        _ => None,
    }
}

fn attribute(node: &Handle, wanted: &str) -> Option<String> {
    match &node.data {
        Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == wanted)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// Every element in document order, walked without recursion: pages nested
/// thousands of levels deep must not overflow the stack.
fn elements(root: &Handle) -> Vec<Handle> {
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        if element_name(&node).is_some() {
            out.push(node.clone());
        }
        let children = node.children.borrow();
        stack.extend(children.iter().rev().cloned());
    }
    out
}

/// Narrows the DOM to the main content and removes navigation from it.
fn keep_main_content(dom: &RcDom) {
    let all = elements(&dom.document);
    let body = all
        .iter()
        .find(|n| element_name(n) == Some("body"))
        .cloned();
    let mains: Vec<&Handle> = all
        .iter()
        .filter(|n| element_name(n) == Some("main"))
        .collect();
    let articles: Vec<&Handle> = all
        .iter()
        .filter(|n| element_name(n) == Some("article"))
        .collect();
    let chosen = if mains.len() == 1 {
        Some(mains[0].clone())
    } else if articles.len() == 1 {
        Some(articles[0].clone())
    } else {
        None
    };
    if let (Some(body), Some(main)) = (&body, &chosen) {
        // Keep the page's <h1> if it stands outside the main element: it is the
        // document's heading, and searching it should find the page.
        let heading = all
            .iter()
            .find(|n| element_name(n) == Some("h1"))
            .filter(|h1| !is_inside(h1, main))
            .cloned();
        let mut kept = Vec::new();
        kept.extend(heading);
        kept.push(main.clone());
        *body.children.borrow_mut() = kept;
    }
    let protected = chosen.clone();
    for node in elements(&dom.document) {
        let mut children = node.children.borrow_mut();
        children.retain(|child| {
            let Some(name) = element_name(child) else {
                return true;
            };
            if DROPPED_ELEMENTS.contains(&name) {
                return false;
            }
            if let Some(role) = attribute(child, "role")
                && DROPPED_ROLES.contains(&role.to_ascii_lowercase().as_str())
            {
                return false;
            }
            if FURNITURE_ELEMENTS.contains(&name) {
                return protected
                    .as_ref()
                    .is_some_and(|main| is_inside(child, main));
            }
            true
        });
    }
}

fn is_inside(node: &Handle, ancestor: &Handle) -> bool {
    let mut current = node.parent.take();
    node.parent.set(current.clone());
    while let Some(weak) = current {
        let Some(parent) = weak.upgrade() else {
            return false;
        };
        if std::rc::Rc::ptr_eq(&parent, ancestor) {
            return true;
        }
        current = parent.parent.take();
        parent.parent.set(current.clone());
    }
    false
}

/// html2text pads table cells and leaves runs of blank lines; fold them.
fn tidy_rendered_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            if blank_run == 1 && !out.is_empty() {
                out.push('\n');
            }
            continue;
        }
        blank_run = 0;
        out.push_str(line.trim_start());
        out.push('\n');
    }
    out.trim_end().to_string()
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
        assert_eq!(
            nesting_depth("<html><body><div><p>a<br>b<img/></p></div></body></html>"),
            4
        );
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
