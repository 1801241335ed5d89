//! The fetch record: a small JSON file beside each fetched document
//! (`<name>.fetch.json` beside `<name>`) saying where it came from and what the
//! server said about it. `dossier update` writes it and reads it back for
//! conditional requests; `dossier index` takes the document's URL from it, and
//! the HTTP Last-Modified date when the document names no date of its own.
//! Records are not documents: the scan skips them.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Appended to a document's file name to name its record.
pub const RECORD_SUFFIX: &str = ".fetch.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchRecord {
    /// The address dossier asked for (a start page or a followed link).
    pub url: String,
    /// Where the content was found after redirects.
    pub final_url: String,
    /// RFC 3339, UTC.
    pub fetched_at: String,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub etag: Option<String>,
    /// As the server sent it (an HTTP date).
    #[serde(default)]
    pub last_modified: Option<String>,
    /// When `url` answered with a viewer page around the document (the UN's
    /// document viewer), that page's address; `final_url` is then the
    /// document's, and the validators are the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<String>,
}

impl FetchRecord {
    pub fn path_for(document: &Path) -> PathBuf {
        let mut name = document.as_os_str().to_owned();
        name.push(RECORD_SUFFIX);
        PathBuf::from(name)
    }

    /// The record beside `document`, if there is a readable one. A damaged
    /// record is ignored: the document is still a document.
    pub fn read_beside(document: &Path) -> Option<FetchRecord> {
        let bytes = std::fs::read(Self::path_for(document)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The Last-Modified header as a calendar date (UTC).
    pub fn last_modified_date(&self) -> Option<Date> {
        let value = self.last_modified.as_deref()?;
        let zoned = jiff::fmt::rfc2822::parse(value).ok()?;
        Some(zoned.with_time_zone(jiff::tz::TimeZone::UTC).date())
    }
}

/// Whether a file in the sources folder is a fetch record rather than a document.
pub fn is_record(file_name: &str) -> bool {
    file_name.ends_with(RECORD_SUFFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_become_calendar_dates() {
        let record = FetchRecord {
            url: "https://www.nato.int/a".into(),
            final_url: "https://www.nato.int/a".into(),
            fetched_at: "2026-11-27T10:00:00Z".into(),
            content_type: None,
            etag: None,
            last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
            viewer: None,
        };
        assert_eq!(record.last_modified_date(), Date::new(2015, 10, 21).ok());
        assert_eq!(
            FetchRecord::path_for(Path::new("sources/nato/a.html")),
            PathBuf::from("sources/nato/a.html.fetch.json")
        );
        assert!(is_record("a.html.fetch.json"));
        assert!(!is_record("a.html"));
    }
}
