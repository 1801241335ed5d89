//! What a citation of a document says: a thesis cites what it quotes, and
//! Zotero imports BibTeX, RIS and CSL-JSON (rendered in `views::cite`). The
//! author is the body that wrote the source (`author` in its `[[source]]`,
//! else its name), the symbol comes from the source's `symbol` template over
//! the document's address or path (`S/RES/1325 (2000)`), the URL and the date
//! it was fetched from the fetch record beside the file. The key is made of
//! the source, the year and a hash of the document's id: the same on every
//! run, and different for two documents.

use std::path::Path;

use crate::sources::SourcesConfig;
use crate::sources::record::FetchRecord;
use crate::text::{LangCode, SourceId};

/// What kind of item a citation is (Zotero's item types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationKind {
    /// A document with a symbol, or a PDF: a report.
    Report,
    /// A page of a web site.
    Webpage,
    /// Anything else.
    Document,
}

/// One document, cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub key: String,
    pub kind: CitationKind,
    pub title: String,
    /// A body, not a person: "United Nations Security Council".
    pub author: String,
    pub year: Option<u64>,
    /// `YYYY-MM-DD` when the document's date is known.
    pub date: Option<String>,
    pub symbol: Option<String>,
    pub page: Option<u32>,
    pub url: Option<String>,
    /// `YYYY-MM-DD`: when dossier fetched it.
    pub accessed: Option<String>,
    pub lang: LangCode,
    /// The document's id in dossier.
    pub id: String,
}

/// What a citation is made from: a hit or a stored document.
pub struct CitedDocument<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub source: &'a SourceId,
    pub source_name: Option<&'a str>,
    pub lang: LangCode,
    pub year: Option<u64>,
    pub date: Option<&'a str>,
    pub url: Option<&'a str>,
    /// The file's path, for its fetch record and its kind.
    pub path: &'a str,
    pub page: Option<u32>,
}

/// Makes citations with what the sources folder says of each source.
pub struct Citer {
    config: SourcesConfig,
}

impl Citer {
    /// Reads `sources.toml` of `sources_dir`, if any (a broken one is read
    /// as none: the citation then names the source as the index does).
    pub fn new(sources_dir: &Path, config: Option<&Path>) -> Self {
        Citer {
            config: SourcesConfig::load_with(sources_dir, config).unwrap_or_default(),
        }
    }

    pub fn cite(&self, doc: &CitedDocument) -> Citation {
        let definition = self
            .config
            .sources
            .iter()
            .find(|s| s.id == doc.source.as_str());
        let author = definition
            .and_then(|d| d.author.clone().or_else(|| d.name.clone()))
            .or_else(|| {
                doc.source_name
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| doc.source.as_str().to_string());
        let record = FetchRecord::read_beside(Path::new(doc.path));
        let url = doc
            .url
            .map(str::to_string)
            .or_else(|| record.as_ref().map(|r| r.url.clone()));
        let symbol = definition.and_then(|d| d.field_rule()).and_then(|rule| {
            let template = rule.symbol()?;
            let values = rule.read(url.as_deref().into_iter().chain([doc.path]))?;
            Some(template.fill(&values))
        });
        let accessed = record
            .as_ref()
            .and_then(|r| r.fetched_at.get(..10))
            .filter(|d| d.len() == 10)
            .map(str::to_string);
        let is_pdf = doc.path.to_ascii_lowercase().ends_with(".pdf");
        let is_page = [".html", ".htm", ".xhtml"]
            .iter()
            .any(|ext| doc.path.to_ascii_lowercase().ends_with(ext));
        let kind = if symbol.is_some() || is_pdf {
            CitationKind::Report
        } else if is_page && url.is_some() {
            CitationKind::Webpage
        } else {
            CitationKind::Document
        };
        Citation {
            key: key(doc.source, doc.year, doc.id),
            kind,
            title: doc.title.to_string(),
            author,
            year: doc.year,
            date: doc.date.map(str::to_string),
            symbol,
            page: doc.page,
            url,
            accessed,
            lang: doc.lang,
            id: doc.id.to_string(),
        }
    }
}

/// `unsc2000-3f9a2c`: the source's letters and digits, the year (`nd`
/// without one), six hex digits of the id's hash.
fn key(source: &SourceId, year: Option<u64>, id: &str) -> String {
    let source: String = source
        .as_str()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let source = if source.is_empty() {
        "doc".into()
    } else {
        source
    };
    let year = year.map_or_else(|| "nd".to_string(), |y| y.to_string());
    let hash = blake3::hash(id.as_bytes()).to_hex();
    format!("{source}{year}-{}", &hash[..6])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_tell_documents_apart() {
        let unsc = SourceId::parse("un-security-council").unwrap();
        let a = key(&unsc, Some(2000), "un-security-council/S_RES_1325_2000.pdf");
        assert_eq!(
            a,
            key(&unsc, Some(2000), "un-security-council/S_RES_1325_2000.pdf")
        );
        assert!(a.starts_with("unsecuritycouncil2000-"), "{a}");
        assert_ne!(
            a,
            key(&unsc, Some(2000), "un-security-council/S_RES_1820_2008.pdf")
        );
        assert!(key(&unsc, None, "x").starts_with("unsecuritycouncilnd-"));
    }
}
