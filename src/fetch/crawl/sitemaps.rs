//! Candidates from sitemaps, for a source with `sitemaps = true`: the
//! sitemaps each start host names in its robots.txt (else its
//! `/sitemap.xml`), and the sitemaps their indexes list on the same host.
//! Every sitemap request counts towards `max_pages`. An address is taken
//! when the source's scope admits it (prefixes and words) and, if a copy is
//! kept, only when the sitemap says it changed since that copy was fetched.

use std::collections::{BTreeSet, VecDeque};

use jiff::Timestamp;
use url::Url;

use super::Crawl;
use super::page::get_following_redirects;
use crate::fetch::client::Response;
use crate::fetch::failure::FetchProblem;
use crate::fetch::scope::{Admission, normalise};
use crate::fetch::sitemap::{Sitemap, SitemapEntry, parse};

/// Sitemap files read for one source at most (indexes included).
const MAX_SITEMAPS: usize = 50;

impl Crawl<'_> {
    pub(super) fn read_sitemaps(&mut self, starts: &[Url]) {
        let mut origins = BTreeSet::new();
        let mut queue: VecDeque<Url> = VecDeque::new();
        for start in starts {
            if !origins.insert(start.origin().ascii_serialization())
                || self.network.seems_offline()
                || self.network.down(start).is_some()
            {
                continue;
            }
            // robots.txt names the host's sitemaps: ask it first.
            if self.may_fetch(start).is_none() {
                continue;
            }
            let named: Vec<Url> = self
                .robots
                .sitemaps(start)
                .iter()
                .filter_map(|s| Url::parse(s).ok().and_then(normalise))
                .filter(|s| s.origin() == start.origin())
                .collect();
            if named.is_empty() {
                if let Ok(default) = start.join("/sitemap.xml") {
                    queue.push_back(default);
                }
            } else {
                queue.extend(named);
            }
        }
        let mut read = BTreeSet::new();
        while let Some(sitemap) = queue.pop_front() {
            if read.len() >= MAX_SITEMAPS {
                self.report.warn(format!(
                    "more than {MAX_SITEMAPS} sitemaps: the rest were not read"
                ));
                break;
            }
            if !read.insert(sitemap.to_string())
                || self.network.seems_offline()
                || self.network.down(&sitemap).is_some()
            {
                continue;
            }
            if self.requests() >= self.scope.max_pages {
                self.report.warn(
                    "max_pages was reached while reading sitemaps: raise it to fetch their pages"
                        .into(),
                );
                break;
            }
            let Some(delay) = self.may_fetch(&sitemap) else {
                continue;
            };
            self.report.sitemap_requests += 1;
            self.settings.progress.advance(sitemap.as_str());
            let response = get_following_redirects(&sitemap, self.client, self.robots, None, delay);
            self.note_response(&sitemap, &response);
            let body = match response {
                Response::Fetched { body, .. } => body,
                Response::Status { status, .. } => {
                    self.report.warn(format!(
                        "the sitemap {sitemap} answered {status}: no address was taken from it"
                    ));
                    continue;
                }
                Response::Failed { reason, .. } => {
                    self.fail(sitemap.as_str(), FetchProblem::Request(reason));
                    continue;
                }
                _ => continue,
            };
            match parse(&body) {
                Ok(Sitemap::Index(children)) => queue.extend(
                    children
                        .iter()
                        .filter_map(|c| Url::parse(c).ok().and_then(normalise))
                        .filter(|c| c.origin() == sitemap.origin()),
                ),
                Ok(Sitemap::Pages(pages)) => self.take_from_sitemap(pages),
                Err(reason) => self
                    .report
                    .warn(format!("the sitemap {sitemap} could not be read: {reason}")),
            }
        }
    }

    /// Queues the admitted pages of a sitemap that changed since kept.
    fn take_from_sitemap(&mut self, pages: Vec<SitemapEntry>) {
        for entry in pages {
            let Some(url) = Url::parse(&entry.url).ok().and_then(normalise) else {
                continue;
            };
            match self.scope.admits(&url) {
                Admission::Follow => {}
                Admission::OutOfScope => {
                    self.report.out_of_scope += 1;
                    continue;
                }
                Admission::MissingWords => {
                    self.report.without_words += 1;
                    continue;
                }
                Admission::NotADocument => {
                    self.report.not_document_links += 1;
                    continue;
                }
            }
            if self.seen.contains(url.as_str()) {
                continue;
            }
            if let Some(changed) = entry.lastmod
                && self.kept_since(url.as_str(), changed)
            {
                self.seen.insert(url.to_string());
                self.report.unchanged_in_sitemap.push(url.to_string());
                continue;
            }
            // A sitemap's pages count as one link from a start page.
            self.enqueue(url, 1);
        }
    }

    /// Whether a copy of `url` is kept that was fetched after `changed`.
    fn kept_since(&self, url: &str, changed: Timestamp) -> bool {
        self.store.path_for_url(url).is_some_and(|p| p.is_file())
            && self
                .store
                .record(url)
                .and_then(|r| r.fetched_at.parse::<Timestamp>().ok())
                .is_some_and(|fetched| fetched >= changed)
    }
}
