//! A page's main text: the DOM narrowed to the main content (`<main>`, else a
//! single `<article>`, else `<body>`) without navigation and site furniture,
//! rendered by html2text. Pages too deep or too large for a DOM (see
//! [`super::shape`]) get their text with the tags stripped instead, in
//! linear time.

use std::sync::LazyLock;

use html2text::{Handle, RcDom};
use regex::Regex;

use super::dom::{attribute, element_name, elements, is_inside};

/// Elements whose content is never part of the main text.
const DROPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "iframe", "svg", "form", "button", "select",
    "dialog", "menu",
];
/// Site furniture: dropped unless inside the chosen main element.
const FURNITURE_ELEMENTS: &[&str] = &["header", "footer", "aside"];
/// ARIA roles of navigation and site furniture.
const DROPPED_ROLES: &[&str] = &["navigation", "banner", "contentinfo", "search", "menu"];
/// Rendering width: wide, so that sentences are rarely wrapped.
const RENDER_WIDTH: usize = 400;
static TAGS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("valid regex"));

/// The page's main text; the DOM is narrowed in place.
pub fn main_text(dom: &RcDom) -> Result<String, String> {
    keep_main_content(dom);
    let config = html2text::config::plain_no_decorate()
        .raw_mode(true)
        .link_footnotes(false);
    let tree = config
        .dom_to_render_tree(dom)
        .map_err(|e| format!("cannot render HTML: {e}"))?;
    let text = config
        .render_to_string(tree, RENDER_WIDTH)
        .map_err(|e| format!("cannot render HTML: {e}"))?;
    Ok(tidy_rendered_text(&text))
}

static SCRIPT_OR_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<head(?-u:\b).*?</head\s*>|<script(?-u:\b).*?</script\s*>|<style(?-u:\b).*?</style\s*>")
        .expect("valid regex")
});

/// Text of a page without a DOM: head, scripts and styles removed, tags stripped,
/// entities decoded. Linear in the page's size.
pub fn stripped_text(source: &str) -> String {
    let without_code = SCRIPT_OR_STYLE.replace_all(source, " ");
    let without_tags = TAGS.replace_all(&without_code, " ");
    let lines: Vec<String> = without_tags
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    decode_entities(&lines.join("\n"))
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
