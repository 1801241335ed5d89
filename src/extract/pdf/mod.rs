//! PDF: the text of each page, joined by form feeds (`\x0c`), so that a match's
//! page is the number of form feeds before it plus one (searching reads pages
//! that way); text files converted from PDFs carry the same page breaks. Title
//! and date come from the document information dictionary when it has them.
//!
//! A PDF is read by [`reader`], in a child process when the program has
//! enabled [`sandbox`] (the `dossier` binary does): a PDF bomb that slips past
//! the reader's own checks (a filter chain, raw deflate behind junk, object
//! streams that the parser inflates as it loads them) then meets a memory and
//! time limit that stops the child, not the refresh.

mod annotations;
mod cid_unicode;
mod clean;
mod layout;
mod quote_operators;
pub mod reader;
mod repair;
pub mod sandbox;
mod second_reader;
mod stream_lengths;
mod unicode_maps;
mod whole_content;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use reader::{MAX_INFLATED_BYTES, MAX_PAGES, MAX_READING_TIME, MAX_TEXT_BYTES};

/// What a PDF yields before the common title and date rules run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PdfText {
    /// Pages joined by `\x0c`.
    pub text: String,
    pub pages: usize,
    /// Pages whose text could not be read (their place is kept, empty).
    pub unreadable_pages: Vec<u32>,
    /// The first page not read because [`MAX_READING_TIME`] ran out.
    pub stopped_at: Option<u32>,
    /// The first page not read because the text passed [`MAX_TEXT_BYTES`].
    #[serde(default)]
    pub text_cut_at: Option<u32>,
    pub title: Option<String>,
    #[serde(with = "date_text")]
    pub date: Option<Date>,
}

/// Reads a PDF's text: in a bounded child process when the sandbox is
/// enabled, else here. A broken, encrypted or oversized PDF, or one that
/// takes more than the sandbox allows, is an error with a reason.
pub fn extract_pdf(bytes: &[u8]) -> Result<PdfText, String> {
    match sandbox::executable() {
        Some(program) => sandbox::read_in_child(program, bytes),
        None => reader::read_pdf(bytes),
    }
}

/// A date as `YYYY-MM-DD` between the child and the parent.
mod date_text {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => s.serialize_some(&date.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        Ok(text.and_then(|t| t.parse().ok()))
    }
}
