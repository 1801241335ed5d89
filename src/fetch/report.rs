//! What one source's update did, address by address, and what the source
//! holds afterwards. `update --json` prints exactly this.

use serde::Serialize;

use super::failure::FetchFailure;

/// A saved document: its address and the file it went to.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub url: String,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gone {
    pub url: String,
    pub file: String,
    pub status: u16,
    /// Deleted (`--prune`), or kept.
    pub pruned: bool,
}

/// The documents a source's folder holds after the update, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Holdings {
    /// HTML pages (and other text).
    pub pages: usize,
    pub pdfs: usize,
    /// Pages with fewer than 50 words of main text: shells, pages a site
    /// builds with JavaScript, error pages.
    pub near_empty_pages: usize,
}

impl Holdings {
    pub fn documents(&self) -> usize {
        self.pages + self.pdfs
    }
}

/// What one source's update did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReport {
    pub id: String,
    pub folder: String,
    pub new: Vec<Saved>,
    pub changed: Vec<Saved>,
    /// 304 Not Modified: the kept copy is current.
    pub not_modified: Vec<String>,
    /// 200, but the same bytes as the kept copy.
    pub same_content: Vec<String>,
    /// Listed by a sitemap as unchanged since it was kept: not asked for.
    pub unchanged_in_sitemap: Vec<String>,
    pub failed: Vec<FetchFailure>,
    /// Not asked for: the machine seems to have no network.
    pub not_tried: Vec<String>,
    /// Not fetched because robots.txt disallows it.
    pub disallowed: Vec<FetchFailure>,
    /// Kept copies whose address now answers 404 or 410.
    pub gone: Vec<Gone>,
    /// Answers that are no document to search (an image, a script…), with
    /// their type: not kept.
    pub not_documents: Vec<String>,
    /// Addresses whose document is already kept under another address (the
    /// same page reached by an old and a new address): not kept twice.
    pub duplicates: Vec<String>,
    /// Requests for sitemaps (they count towards `max_pages`).
    pub sitemap_requests: usize,
    /// Links seen but outside the `follow` prefixes.
    pub out_of_scope: usize,
    /// Links under a `follow` prefix but without any of its words.
    pub without_words: usize,
    /// Links in scope but deeper than `max_depth`.
    pub too_deep: usize,
    /// Links to files that are no documents (images, scripts, archives).
    pub not_document_links: usize,
    /// Links in scope left unfetched because `max_pages` was reached.
    pub over_page_cap: usize,
    /// Links not read because a page had too many, or the queue was full.
    pub over_link_cap: usize,
    /// Failures that were the network's (no route, refused, unknown host).
    pub network_failures: usize,
    /// Hosts that could not be reached, each with its first error: their
    /// other addresses were not tried.
    pub unreachable_hosts: Vec<String>,
    /// The longest pause used between two requests to one host.
    pub delay_ms: u64,
    /// What the source's folder holds afterwards.
    pub holds: Holdings,
    /// What a reader should know: an empty source, a start page that moved,
    /// a robots.txt that could not be read, a cap that was hit.
    pub warnings: Vec<String>,
}

impl SourceReport {
    /// Requests that were answered or failed (sitemaps aside).
    pub fn requests(&self) -> usize {
        self.new.len()
            + self.changed.len()
            + self.not_modified.len()
            + self.same_content.len()
            + self.failed.len()
            + self.gone.len()
    }

    /// Whether any server answered (a document, a 304, a 404…).
    pub fn answered(&self) -> bool {
        !(self.new.is_empty()
            && self.changed.is_empty()
            && self.not_modified.is_empty()
            && self.same_content.is_empty()
            && self.gone.is_empty()
            && self.disallowed.is_empty()
            && self.unchanged_in_sitemap.is_empty())
            || self.failed.len() > self.network_failures.saturating_sub(self.not_tried.len())
    }

    pub fn warn(&mut self, warning: String) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }
}
