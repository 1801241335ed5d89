//! A page's metadata, read from its DOM: title (`<title>`, else `og:title`,
//! else the first `<h1>`), publication date (date `<meta>` tags in order of
//! trust, else the first `<time datetime>`), canonical address (`<link
//! rel=canonical>`, else `og:url`) and declared language (`<html lang>`, else
//! `Content-Language`, `DC.language`, `og:locale`). The parser has already
//! decoded every entity.

use html2text::Handle;
use jiff::civil::Date;

use super::dom::{attribute, element_name, elements, text_of};
use crate::extract::meta::parse_date_value;

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

/// Reads the metadata of the DOM rooted at `document`, before anything is
/// removed from it.
pub fn read_metadata(document: &Handle) -> Metadata {
    let all = elements(document);
    let first = |name: &str| all.iter().find(|n| element_name(n) == Some(name));
    // `(name, content)` of every `<meta>` tag, names lower-cased: `name`,
    // `property`, `itemprop` and `http-equiv` all name one.
    let metas: Vec<(String, String)> = all
        .iter()
        .filter(|n| element_name(n) == Some("meta"))
        .filter_map(|n| {
            let name = ["name", "property", "itemprop", "http-equiv"]
                .iter()
                .find_map(|a| attribute(n, a))?;
            Some((name.to_ascii_lowercase(), attribute(n, "content")?))
        })
        .collect();
    let meta = |wanted: &str| -> Option<String> {
        metas
            .iter()
            .find(|(n, v)| n == wanted && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    };

    let title = first("title")
        .map(text_of)
        .filter(|t| !t.is_empty())
        .map(|t| (t, "<title>"))
        .or_else(|| meta("og:title").map(|t| (t, "og:title")))
        .or_else(|| {
            first("h1")
                .map(text_of)
                .filter(|t| !t.is_empty())
                .map(|t| (t, "first <h1>"))
        });

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

    let lang = first("html")
        .and_then(|html| attribute(html, "lang").or_else(|| attribute(html, "xml:lang")))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
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
