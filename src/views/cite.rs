//! Citations as reference managers import them: BibTeX (biblatex fields,
//! which Zotero reads), RIS and CSL-JSON. Each format escapes what it must;
//! control characters never pass (a title is one line).

use std::io::{self, Write};

use serde::Serialize;

use crate::search::citation::{Citation, CitationKind};
use crate::text::controls::{Keep, strip_controls};

/// The formats `--cite` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationFormat {
    Bibtex,
    Ris,
    CslJson,
}

pub fn write_citations(
    out: &mut dyn Write,
    citations: &[Citation],
    format: CitationFormat,
) -> io::Result<()> {
    match format {
        CitationFormat::Bibtex => {
            for (i, c) in citations.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write_bibtex(out, c)?;
            }
            Ok(())
        }
        CitationFormat::Ris => citations.iter().try_for_each(|c| write_ris(out, c)),
        CitationFormat::CslJson => {
            let items: Vec<CslItem> = citations.iter().map(CslItem::from).collect();
            crate::views::json::write(out, &items)
        }
    }
}

/// One line, without control characters or bidirectional controls (a
/// citation goes to a terminal as readily as to a reference manager).
fn clean(text: &str) -> String {
    strip_controls(text, Keep::Nothing)
        .replace(crate::text::controls::is_bidi_control, "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// BibTeX's special characters, escaped; braces kept balanced.
fn bibtex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            other => out.push(other),
        }
    }
    out
}

fn write_bibtex(out: &mut dyn Write, c: &Citation) -> io::Result<()> {
    let entry = match c.kind {
        CitationKind::Report => "report",
        CitationKind::Webpage => "online",
        CitationKind::Document => "misc",
    };
    writeln!(out, "@{entry}{{{},", c.key)?;
    // Double braces: a body, not a person's family name.
    writeln!(out, "  author = {{{{{}}}}},", bibtex_text(&c.author))?;
    writeln!(out, "  title = {{{{{}}}}},", bibtex_text(&c.title))?;
    if c.kind == CitationKind::Report {
        writeln!(out, "  institution = {{{{{}}}}},", bibtex_text(&c.author))?;
    }
    if let Some(date) = &c.date {
        writeln!(out, "  date = {{{}}},", bibtex_text(date))?;
    }
    if let Some(year) = c.year {
        writeln!(out, "  year = {{{year}}},")?;
    }
    if let Some(symbol) = &c.symbol {
        writeln!(out, "  number = {{{}}},", bibtex_text(symbol))?;
    }
    if let Some(page) = c.page {
        writeln!(out, "  pages = {{{page}}},")?;
    }
    if let Some(url) = &c.url {
        // Inside url, only braces and % need care.
        let url: String = clean(url).replace('%', "\\%").replace(['{', '}'], "");
        writeln!(out, "  url = {{{url}}},")?;
    }
    if let Some(accessed) = &c.accessed {
        writeln!(out, "  urldate = {{{}}},", bibtex_text(accessed))?;
    }
    writeln!(out, "  langid = {{{}}},", c.lang)?;
    writeln!(out, "  note = {{dossier id: {}}}", bibtex_text(&c.id))?;
    writeln!(out, "}}")
}

fn write_ris(out: &mut dyn Write, c: &Citation) -> io::Result<()> {
    let kind = match c.kind {
        CitationKind::Report => "RPRT",
        CitationKind::Webpage => "ELEC",
        CitationKind::Document => "GEN",
    };
    let mut field = |tag: &str, value: &str| writeln!(out, "{tag}  - {}", clean(value));
    field("TY", kind)?;
    field("ID", &c.key)?;
    field("AU", &c.author)?;
    field("TI", &c.title)?;
    if let Some(year) = c.year {
        field("PY", &year.to_string())?;
    }
    if let Some(date) = &c.date {
        field("DA", &date.replace('-', "/"))?;
    }
    if let Some(symbol) = &c.symbol {
        field("SN", symbol)?;
    }
    if let Some(page) = c.page {
        field("SP", &page.to_string())?;
    }
    if let Some(url) = &c.url {
        field("UR", url)?;
    }
    if let Some(accessed) = &c.accessed {
        field("Y2", &accessed.replace('-', "/"))?;
    }
    field("LA", &c.lang.to_string())?;
    field("N1", &format!("dossier id: {}", c.id))?;
    field("ER", "")
}

/// One CSL-JSON item (the form Zotero and citeproc read).
#[derive(Serialize)]
struct CslItem {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    author: Vec<CslName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<CslDate>,
    language: String,
    note: String,
}

#[derive(Serialize)]
struct CslName {
    literal: String,
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Vec<Vec<u32>>,
}

/// `2000-10-31` → [[2000, 10, 31]]; a year alone → [[2000]].
fn csl_date(date: Option<&str>, year: Option<u64>) -> Option<CslDate> {
    let parts: Vec<u32> = match date {
        Some(date) => date.split('-').filter_map(|p| p.parse().ok()).collect(),
        None => vec![u32::try_from(year?).ok()?],
    };
    (!parts.is_empty()).then(|| CslDate {
        date_parts: vec![parts],
    })
}

impl From<&Citation> for CslItem {
    fn from(c: &Citation) -> Self {
        CslItem {
            id: c.key.clone(),
            kind: match c.kind {
                CitationKind::Report => "report",
                CitationKind::Webpage => "webpage",
                CitationKind::Document => "document",
            },
            title: clean(&c.title),
            author: vec![CslName {
                literal: clean(&c.author),
            }],
            issued: csl_date(c.date.as_deref(), c.year),
            number: c.symbol.as_deref().map(clean),
            page: c.page.map(|p| p.to_string()),
            url: c.url.as_deref().map(clean),
            accessed: csl_date(c.accessed.as_deref(), None),
            language: c.lang.to_string(),
            note: format!("dossier id: {}", clean(&c.id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::LangCode;

    fn resolution() -> Citation {
        Citation {
            key: "unsc2000-3f9a2c".into(),
            kind: CitationKind::Report,
            title: "Resolution 1325 (2000) {on} women & peace_and security".into(),
            author: "United Nations Security Council".into(),
            year: Some(2000),
            date: Some("2000-10-31".into()),
            symbol: Some("S/RES/1325 (2000)".into()),
            page: Some(3),
            url: Some("https://undocs.org/S/RES/1325(2000)".into()),
            accessed: Some("2026-11-30".into()),
            lang: LangCode::ENGLISH,
            id: "un-security-council/S_RES_1325_2000.pdf".into(),
        }
    }

    fn render(format: CitationFormat) -> String {
        let mut out = Vec::new();
        write_citations(&mut out, &[resolution()], format).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn bibtex_escapes_and_names_a_body() {
        let text = render(CitationFormat::Bibtex);
        assert!(text.starts_with("@report{unsc2000-3f9a2c,\n"), "{text}");
        assert!(
            text.contains("author = {{United Nations Security Council}}"),
            "{text}"
        );
        assert!(
            text.contains(r"\{on\} women \& peace\_and security"),
            "{text}"
        );
        assert!(text.contains("number = {S/RES/1325 (2000)}"), "{text}");
        assert!(text.contains("urldate = {2026-11-30}"), "{text}");
        assert_eq!(
            text.matches('{').count(),
            text.matches('}').count(),
            "{text}"
        );
    }

    #[test]
    fn ris_and_csl_json() {
        let ris = render(CitationFormat::Ris);
        assert!(ris.starts_with("TY  - RPRT\n"), "{ris}");
        assert!(
            ris.contains("DA  - 2000/10/31\n") && ris.contains("SP  - 3\n"),
            "{ris}"
        );
        assert!(ris.trim_end().ends_with("ER  -"), "{ris}");
        let json: serde_json::Value =
            serde_json::from_str(&render(CitationFormat::CslJson)).unwrap();
        assert_eq!(json[0]["type"], "report");
        assert_eq!(json[0]["issued"]["date-parts"][0][1], 10);
        assert_eq!(
            json[0]["author"][0]["literal"],
            "United Nations Security Council"
        );
        assert_eq!(json[0]["number"], "S/RES/1325 (2000)");
    }
}
