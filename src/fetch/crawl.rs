//! One source's crawl: its start pages, then, breadth first, the links in its
//! `follow` scope, down to `max_depth` links from a start page and up to
//! `max_pages` requests. Each page is asked for conditionally when a copy is
//! kept, saved when it is new or changed, and reported either way.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use url::Url;

use super::client::{Client, MAX_REDIRECTS, Response, Validators};
use super::failure::{FetchFailure, FetchProblem};
use super::links::{in_scope, links};
use super::robots::{RobotsCache, Verdict};
use super::store::SourceStore;
use crate::extract::{decode, html};
use crate::progress::Progress;
use crate::sources::SourceDefinition;
use crate::sources::record::FetchRecord;

/// Defaults for a source that does not set them.
pub const DEFAULT_MAX_DEPTH: u32 = 1;
pub const DEFAULT_MAX_PAGES: u32 = 200;
pub const DEFAULT_DELAY_MS: u64 = 1_000;

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
    pub failed: Vec<FetchFailure>,
    /// Not fetched because robots.txt disallows it.
    pub disallowed: Vec<FetchFailure>,
    /// Kept copies whose address now answers 404 or 410.
    pub gone: Vec<Gone>,
    /// Links seen but outside the `follow` prefixes.
    pub out_of_scope: usize,
    /// Links in scope but deeper than `max_depth`.
    pub too_deep: usize,
    /// Links in scope left unfetched because `max_pages` was reached.
    pub over_page_cap: usize,
    /// Failures that were the network's (no route, refused, unknown host).
    pub network_failures: usize,
}

impl SourceReport {
    pub fn requests(&self) -> usize {
        self.new.len()
            + self.changed.len()
            + self.not_modified.len()
            + self.same_content.len()
            + self.failed.len()
            + self.gone.len()
    }
}

pub struct CrawlSettings<'a> {
    pub prune: bool,
    /// Where each request is reported.
    pub progress: &'a dyn Progress,
}

/// Crawls one source into `store`.
pub fn crawl_source(
    def: &SourceDefinition,
    store: &mut SourceStore,
    client: &mut Client,
    robots: &mut RobotsCache,
    settings: &CrawlSettings,
) -> SourceReport {
    let mut report = SourceReport {
        id: def.id.clone(),
        folder: def.folder().to_string(),
        ..SourceReport::default()
    };
    let max_depth = def.max_depth.unwrap_or(DEFAULT_MAX_DEPTH);
    let max_pages = def.max_pages.unwrap_or(DEFAULT_MAX_PAGES) as usize;
    let base_delay = Duration::from_millis(def.delay_ms.unwrap_or(DEFAULT_DELAY_MS));
    let progress = settings.progress;
    progress.begin(&def.id, max_pages as u64, "pages at most");

    let mut queue: VecDeque<(Url, u32)> = VecDeque::new();
    let mut seen: HashSet<String> = HashSet::new();
    for start in &def.start {
        match Url::parse(start) {
            Ok(url) => {
                if seen.insert(url.to_string()) {
                    queue.push_back((url, 0));
                }
            }
            Err(e) => report.failed.push(FetchFailure {
                url: start.clone(),
                reason: FetchProblem::InvalidAddress(e.to_string()),
            }),
        }
    }

    let mut requests = 0usize;
    while let Some((url, depth)) = queue.pop_front() {
        if requests >= max_pages {
            report.over_page_cap = queue.len() + 1;
            break;
        }
        let delay = robots.crawl_delay(&url).unwrap_or_default().max(base_delay);
        match robots.check(client, &url, delay) {
            Verdict::Allowed => {}
            Verdict::Disallowed(reason) => {
                report.disallowed.push(FetchFailure {
                    url: url.to_string(),
                    reason: FetchProblem::Request(reason),
                });
                continue;
            }
            Verdict::Unreachable(reason) => {
                report.network_failures += 1;
                report.failed.push(FetchFailure {
                    url: url.to_string(),
                    reason: FetchProblem::Request(reason),
                });
                continue;
            }
        }
        let delay = robots.crawl_delay(&url).unwrap_or_default().max(base_delay);
        requests += 1;
        progress.advance(url.as_str());
        let body = fetch_one(&url, store, client, robots, delay, settings, &mut report);

        let Some((bytes, content_type)) = body else {
            continue;
        };
        if !is_html(content_type.as_deref(), &bytes) {
            continue;
        }
        let declared = html::declared_charset(&bytes);
        let text = decode::decode(&bytes, declared).text;
        for link in links(&text, &url) {
            if !in_scope(&link, &def.follow) {
                report.out_of_scope += 1;
                continue;
            }
            if !seen.insert(link.to_string()) {
                continue;
            }
            if depth + 1 > max_depth {
                report.too_deep += 1;
                continue;
            }
            queue.push_back((link, depth + 1));
        }
    }
    progress.finish();
    report
}

/// Fetches one page and records the outcome; returns its bytes (fetched or
/// kept) for link extraction.
fn fetch_one(
    url: &Url,
    store: &mut SourceStore,
    client: &mut Client,
    robots: &mut RobotsCache,
    delay: Duration,
    settings: &CrawlSettings,
    report: &mut SourceReport,
) -> Option<(Vec<u8>, Option<String>)> {
    let key = url.to_string();
    let previous = store.record(&key);
    // The kept copy, read once: it decides whether to ask conditionally,
    // whether a 200 changed anything, and it gives a 304's links.
    let kept = store.read(&key);
    let validators = previous
        .as_ref()
        .filter(|_| kept.is_some())
        .map(|r| Validators {
            etag: r.etag.clone(),
            last_modified: r.last_modified.clone(),
        })
        .unwrap_or_default();
    let fail = |report: &mut SourceReport, reason: FetchProblem| {
        report.failed.push(FetchFailure {
            url: key.clone(),
            reason,
        });
    };

    match get_following_redirects(url, client, robots, &validators, delay) {
        Response::Redirect(next) => {
            fail(report, FetchProblem::RedirectNotFollowed(next.to_string()));
            None
        }
        Response::Fetched {
            final_url,
            content_type,
            etag,
            last_modified,
            body,
        } => {
            let record = FetchRecord {
                url: key.clone(),
                final_url: final_url.to_string(),
                fetched_at: Timestamp::now().to_string(),
                content_type: content_type.clone(),
                etag,
                last_modified,
            };
            let same = kept.as_deref() == Some(body.as_slice());
            let written = if same {
                store.save(&record, None)
            } else {
                store.save(&record, Some(&body))
            };
            match written {
                Ok(path) => {
                    let saved = Saved {
                        url: key.clone(),
                        file: path.display().to_string(),
                    };
                    match (kept.is_some(), same) {
                        (_, true) => report.same_content.push(key.clone()),
                        (true, false) => report.changed.push(saved),
                        (false, _) => report.new.push(saved),
                    }
                }
                Err(e) => fail(
                    report,
                    FetchProblem::NotSaved {
                        dir: store.dir().to_path_buf(),
                        error: std::sync::Arc::new(e),
                    },
                ),
            }
            Some((body, content_type))
        }
        Response::NotModified { .. } => {
            report.not_modified.push(key.clone());
            let content_type = previous.and_then(|r| r.content_type);
            kept.map(|bytes| (bytes, content_type))
        }
        Response::Status { status, .. } if matches!(status, 404 | 410) => {
            match store.path_for_url(&key) {
                Some(path) => {
                    let pruned = settings.prune && store.remove(&key).is_ok();
                    report.gone.push(Gone {
                        url: key.clone(),
                        file: path.display().to_string(),
                        status,
                        pruned,
                    });
                }
                None => fail(report, FetchProblem::NotFound(status)),
            }
            None
        }
        Response::Status { status, .. } => {
            fail(report, FetchProblem::Status(status));
            None
        }
        Response::Failed { reason, network } => {
            if network {
                report.network_failures += 1;
            }
            fail(report, FetchProblem::Request(reason));
            None
        }
    }
}

/// GET with redirects followed by hand: at most [`MAX_REDIRECTS`] hops, each
/// allowed by its host's robots.txt. A redirect may leave the `follow` scope
/// (undocs.org sends resolutions to documents.un.org): the scope decides which
/// links are followed, not where a chosen address is served from.
fn get_following_redirects(
    url: &Url,
    client: &mut Client,
    robots: &mut RobotsCache,
    validators: &Validators,
    delay: Duration,
) -> Response {
    let mut current = url.clone();
    for _ in 0..=MAX_REDIRECTS {
        match client.get(&current, validators, delay) {
            Response::Redirect(next) => {
                let delay = robots.crawl_delay(&next).unwrap_or_default().max(delay);
                match robots.check(client, &next, delay) {
                    Verdict::Allowed => current = next,
                    Verdict::Disallowed(reason) | Verdict::Unreachable(reason) => {
                        return Response::Failed {
                            reason: format!("redirected to {next}, but {reason}"),
                            network: false,
                        };
                    }
                }
            }
            other => return other,
        }
    }
    Response::Failed {
        reason: format!("more than {MAX_REDIRECTS} redirects"),
        network: false,
    }
}

fn is_html(content_type: Option<&str>, bytes: &[u8]) -> bool {
    match content_type {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            ct.contains("html")
        }
        None => {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
            html::looks_like_html(&head)
        }
    }
}
