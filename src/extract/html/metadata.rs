//! A page's metadata, read from its DOM: title (`<title>`, else `og:title`,
//! else the first `<h1>`), publication date (date `<meta>` tags in order of
//! trust, else the first `<time datetime>`), canonical address (`<link
//! rel=canonical>`, else `og:url`) and declared language (`<html lang>`, else
//! `Content-Language`, `DC.language`, `og:locale`). The parser has already
//! decoded every entity.

use html2text::Handle;
use jiff::civil::Date;

use super::dom::{attribute, element_name, elements, first_attribute, text_of};
use crate::extract::meta::parse_date_value;
use crate::extract::text::shorten;

/// Titles longer than this are cut at a word boundary.
const MAX_TITLE_CHARS: usize = 300;

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

/// What a page says about itself, each with where it was found.
#[derive(Debug, Default)]
pub struct Metadata {
    pub title: Option<(String, &'static str)>,
    pub date: Option<(Date, String)>,
    pub url: Option<String>,
    /// The language the page declares, as written.
    pub lang: Option<(String, &'static str)>,
}

/// Reads the metadata of the DOM rooted at `document` (parsed from
/// `source`), before anything is removed from it.
pub fn read_metadata(document: &Handle, source: &str) -> Metadata {
    let all = elements(document);
    let first = |name: &str| all.iter().find(|n| element_name(n) == Some(name));
    // `(name, content)` of every `<meta>` tag, names lower-cased: `name`,
    // `property`, `itemprop` and `http-equiv` all name one.
    let metas: Vec<(String, String)> = all
        .iter()
        .filter(|n| element_name(n) == Some("meta"))
        .filter_map(|n| {
            let name = first_attribute(n, &["name", "property", "itemprop", "http-equiv"])?;
            Some((name.to_ascii_lowercase(), attribute(n, "content")?))
        })
        .collect();
    let meta = |wanted: &str| -> Option<String> {
        metas
            .iter()
            .find(|(n, v)| n == wanted && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    };

    // An element never closed takes in the rest of the page: its text is
    // no title.
    let closed = |tag: &str| has_end_tag(source, tag);
    let title_of = |tag: &str| {
        first(tag)
            .filter(|_| closed(tag))
            .map(text_of)
            .filter(|t| !t.is_empty())
            .map(|t| shorten(&t, MAX_TITLE_CHARS))
    };
    let title = title_of("title")
        .map(|t| (t, "<title>"))
        .or_else(|| meta("og:title").map(|t| (shorten(&t, MAX_TITLE_CHARS), "og:title")))
        .or_else(|| title_of("h1").map(|t| (t, "first <h1>")));

    let date = DATE_META_NAMES
        .iter()
        .find_map(|name| {
            let value = meta(name)?;
            parse_date_value(&value).map(|d| (d, format!("<meta {name}>")))
        })
        .or_else(|| {
            all.iter()
                .filter(|n| element_name(n) == Some("time"))
                .find_map(|n| {
                    let value = attribute(n, "datetime")?;
                    parse_date_value(&value).map(|d| (d, "<time datetime>".to_string()))
                })
        });

    let url = all
        .iter()
        .filter(|n| element_name(n) == Some("link"))
        .filter(|n| {
            attribute(n, "rel").is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
            })
        })
        .find_map(|n| attribute(n, "href"))
        .or_else(|| meta("og:url"))
        .map(|u| u.trim().to_string())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));

    let declared = |html: &Handle, name: &str| {
        attribute(html, name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let lang = first("html")
        .and_then(|html| declared(html, "lang").or_else(|| declared(html, "xml:lang")))
        .map(|v| (v, "<html lang>"))
        .or_else(|| {
            [
                ("content-language", "<meta content-language>"),
                ("dc.language", "<meta dc.language>"),
                ("og:locale", "<meta og:locale>"),
            ]
            .iter()
            .find_map(|(name, from)| meta(name).map(|v| (v, *from)))
        });

    Metadata {
        title,
        date,
        url,
        lang,
    }
}

/// Whether the markup has an end tag `</tag` (any case).
fn has_end_tag(source: &str, tag: &str) -> bool {
    source.match_indices("</").any(|(at, _)| {
        source.as_bytes()[at + 2..]
            .get(..tag.len())
            .is_some_and(|name| name.eq_ignore_ascii_case(tag.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(html: &str) -> Metadata {
        let dom = html2text::config::plain_no_decorate()
            .parse_html(html.as_bytes())
            .unwrap();
        read_metadata(&dom.document, html)
    }

    #[test]
    fn an_element_never_closed_is_no_title() {
        let body = "<p>Body text.</p>".repeat(500);
        let m = metadata(&format!(
            "<html><body><h1>Kosovo report<div>{body}</div></body></html>"
        ));
        assert_eq!(m.title, None);
        let m = metadata(&format!(
            "<html><head><title>Kosovo Force</head><body>{body}</body></html>"
        ));
        assert_eq!(m.title, None);
        let long = "word ".repeat(200);
        let m = metadata(&format!("<html><head><title>{long}</title></head></html>"));
        assert!(m.title.unwrap().0.chars().count() <= MAX_TITLE_CHARS + 1);
    }

    #[test]
    fn an_empty_lang_does_not_hide_xml_lang() {
        let m = metadata(r#"<html lang="" xml:lang="fr"><body>x</body></html>"#);
        assert_eq!(m.lang, Some(("fr".to_string(), "<html lang>")));
        let m = metadata(
            r#"<html lang="  "><head><meta http-equiv="content-language" content="de"></head></html>"#,
        );
        assert_eq!(m.lang, Some(("de".to_string(), "<meta content-language>")));
    }

    #[test]
    fn a_meta_tag_is_named_by_its_first_naming_attribute() {
        let m = metadata(
            r#"<html><head><meta property="og:title" name="twitter:title" content="Property wins"></head></html>"#,
        );
        assert_eq!(m.title, Some(("Property wins".to_string(), "og:title")));
    }
}
