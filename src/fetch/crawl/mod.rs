//! One source's crawl: its start pages (and, with `sitemaps`, the addresses
//! its hosts' sitemaps list), then, breadth first, the links its scope admits
//! ([`super::scope`]), down to `max_depth` links from a start page and up to
//! `max_pages` requests. Each page is asked for conditionally when a copy is
//! kept, saved when it is new or changed, and reported either way
//! ([`page`]); a viewer page is followed to the document it shows.

mod page;
mod sitemaps;

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use url::Url;

use super::client::{Client, FailKind, Response};
use super::failure::{FetchFailure, FetchProblem};
use super::holdings::{Holdings, holdings_of};
use super::report::SourceReport;
use super::robots::{MAX_CRAWL_DELAY, RobotsCache, Verdict};
use super::scope::{Admission, MAX_LINKS_PER_PAGE, MAX_QUEUE, Scope, normalise};
use super::store::SourceStore;
use crate::progress::Progress;
use crate::sources::SourceDefinition;
use crate::sources::fields::FieldRule;

pub struct CrawlSettings<'a> {
    pub prune: bool,
    /// Where each request is reported.
    pub progress: &'a dyn Progress,
}

/// What the update has learned about the network. A host that could not be
/// reached (its name did not resolve, or nothing answered) is not asked again
/// in this update: its other addresses are not tried, and it is reported once.
/// Two names that do not resolve and no answer anywhere: the machine has no
/// network, and the rest of the update is not tried (an offline machine
/// learns it in a second, not after a failure per address).
#[derive(Debug, Default)]
pub struct Network {
    unresolved: HashSet<String>,
    /// Hosts that could not be reached, with the first error for each.
    down: HashMap<String, String>,
    answered: bool,
}

impl Network {
    fn note(&mut self, url: &Url, failure: Option<(FailKind, &str)>) {
        match failure {
            Some((kind, reason)) if kind.is_network() => {
                if kind == FailKind::NoSuchHost {
                    self.unresolved
                        .insert(url.host_str().unwrap_or_default().to_string());
                }
                self.down
                    .entry(host_and_port(url))
                    .or_insert_with(|| reason.to_string());
            }
            Some(_) => {}
            None => self.answered = true,
        }
    }

    /// Why `url`'s host (on its port) is not asked again, if it could not
    /// be reached.
    fn down(&self, url: &Url) -> Option<&str> {
        self.down.get(&host_and_port(url)).map(String::as_str)
    }

    pub fn seems_offline(&self) -> bool {
        !self.answered && self.unresolved.len() >= 2
    }
}

/// `www.nato.int`, or `127.0.0.1:8080` when the port is not the scheme's
/// own: what could not be reached is a server, and one host may run several
/// (a link to `www.nato.int:81` that fails says nothing of port 443).
fn host_and_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// An address waiting to be fetched, and how many links from a start page.
struct Job {
    url: Url,
    depth: u32,
}

/// A start page that could not be fetched, and what happened.
struct StartFailure {
    url: String,
    /// "answered 404", "failed (timed out)".
    what: String,
    /// Its host could not be reached: the network's doing, not the site's.
    unreachable: bool,
}

/// A crawl under way.
struct Crawl<'a> {
    scope: Scope,
    fields: Option<FieldRule>,
    store: &'a mut SourceStore,
    client: &'a mut Client,
    robots: &'a mut RobotsCache,
    network: &'a mut Network,
    settings: &'a CrawlSettings<'a>,
    report: SourceReport,
    queue: VecDeque<Job>,
    /// Addresses queued or fetched (links too deep to follow are counted,
    /// not kept).
    seen: HashSet<String>,
    /// The client's request count when this crawl began.
    first_request: usize,
    /// Start pages that could not be fetched.
    failed_starts: Vec<StartFailure>,
}

/// Crawls one source into `store`.
pub fn crawl_source(
    def: &SourceDefinition,
    store: &mut SourceStore,
    client: &mut Client,
    robots: &mut RobotsCache,
    network: &mut Network,
    settings: &CrawlSettings,
) -> SourceReport {
    let scope = Scope::of(def);
    let starts: Vec<Url> = def
        .start
        .iter()
        .filter_map(|s| Url::parse(s).ok().and_then(normalise))
        .collect();
    // Non-public addresses are allowed only on the hosts this source starts on.
    client.guard().trust_only(
        starts
            .iter()
            .filter_map(|u| u.host_str().map(str::to_string)),
    );
    let first_request = client.requests();
    let mut crawl = Crawl {
        fields: def.field_rule(),
        store,
        client,
        robots,
        network,
        settings,
        report: SourceReport {
            id: def.id.clone(),
            folder: def.folder().to_string(),
            ..SourceReport::default()
        },
        queue: VecDeque::new(),
        seen: HashSet::new(),
        first_request,
        failed_starts: Vec::new(),
        scope,
    };
    if crawl.scope.delay_capped {
        crawl.report.warn(format!(
            "delay_ms asks for more than {} s between requests; dossier waits {} s",
            super::scope::MAX_DELAY.as_secs(),
            super::scope::MAX_DELAY.as_secs()
        ));
    }
    crawl.report.delay_ms = crawl.scope.delay.as_millis() as u64;
    settings
        .progress
        .begin(&def.id, crawl.scope.max_pages as u64, "pages at most");
    for start in &starts {
        if crawl.seen.insert(start.to_string()) {
            crawl.queue.push_back(Job {
                url: start.clone(),
                depth: 0,
            });
        }
    }
    if crawl.scope.sitemaps {
        crawl.read_sitemaps(&starts);
    }
    crawl.run();
    settings.progress.finish();
    crawl.finish()
}

impl Crawl<'_> {
    /// Requests sent for this source so far: pages, their redirects and
    /// retries, viewer documents, robots.txt and sitemaps. `max_pages`
    /// bounds them; the address under way may finish its redirects.
    fn requests(&self) -> usize {
        self.client.requests() - self.first_request
    }

    fn run(&mut self) {
        while let Some(job) = self.queue.pop_front() {
            if self.network.seems_offline() {
                self.not_tried(job.url);
                continue;
            }
            if let Some(reason) = self.network.down(&job.url) {
                if job.depth == 0 {
                    let what = format!("was not tried: its host could not be reached ({reason})");
                    self.start_failed(&job.url, what, true);
                }
                self.not_tried(job.url);
                continue;
            }
            if self.requests() >= self.scope.max_pages {
                self.report.over_page_cap = self.queue.len() + 1;
                break;
            }
            let Some(delay) = self.may_fetch(&job.url) else {
                if job.depth == 0 {
                    let unreachable = self.network.down(&job.url).is_some();
                    let what = match self.report.failed.last() {
                        Some(f) if f.url == job.url.as_str() => format!("failed ({})", f.reason),
                        _ => "is disallowed by robots.txt".to_string(),
                    };
                    self.start_failed(&job.url, what, unreachable);
                }
                continue;
            };
            self.settings.progress.advance(job.url.as_str());
            let Some(page) = self.fetch_page(&job.url, delay, job.depth == 0) else {
                continue;
            };
            self.follow_links(&page.html, &page.base, job.depth);
        }
    }

    /// Asks robots.txt whether `url` may be fetched; the pause to keep before
    /// asking its host, or `None` (reported) when it may not.
    fn may_fetch(&mut self, url: &Url) -> Option<Duration> {
        match self.robots.check(self.client, url, self.scope.delay) {
            Verdict::Allowed => {
                self.network.note(url, None);
                Some(self.delay_for(url))
            }
            Verdict::Disallowed(reason) => {
                self.network.note(url, None);
                let failure = FetchFailure {
                    url: url.to_string(),
                    reason: FetchProblem::Request(reason),
                };
                // A robots.txt that cannot be read stops the whole host: a
                // failure to fix, not a rule obeyed.
                if let Some(trouble) = self.robots.trouble(url) {
                    let host = url.host_str().unwrap_or_default();
                    self.report
                        .warn(format!("nothing was fetched from {host}: {trouble}"));
                    self.report.failed.push(failure);
                } else {
                    self.report.disallowed.push(failure);
                }
                None
            }
            Verdict::Refused(reason) => {
                let host = url.host_str().unwrap_or_default();
                self.report
                    .warn(format!("nothing was fetched from {host}: {reason}"));
                self.report.failed.push(FetchFailure {
                    url: url.to_string(),
                    reason: FetchProblem::Request(reason),
                });
                None
            }
            Verdict::Unreachable(reason, kind) => {
                self.network.note(url, Some((kind, &reason)));
                self.note_unreachable(url, &reason);
                self.report.network_failures += 1;
                self.report.failed.push(FetchFailure {
                    url: url.to_string(),
                    reason: FetchProblem::Request(reason),
                });
                None
            }
        }
    }

    /// The pause before asking `url`'s host again: the source's delay, or
    /// its robots.txt's Crawl-delay if longer (capped).
    fn delay_for(&mut self, url: &Url) -> Duration {
        let Some((asked, capped)) = self.robots.crawl_delay(url) else {
            return self.scope.delay;
        };
        let host = url.host_str().unwrap_or_default().to_string();
        if capped {
            self.report.warn(format!(
                "{host}: robots.txt asks for more than {} s between requests; dossier waits {} s",
                MAX_CRAWL_DELAY.as_secs(),
                MAX_CRAWL_DELAY.as_secs()
            ));
        }
        if asked > self.scope.delay {
            let minutes = (asked.as_secs_f64() * self.scope.max_pages as f64 / 60.0).ceil();
            self.report.warn(format!(
                "{host}: robots.txt asks for {} s between requests, more than delay_ms; {} requests at most take up to {minutes} min",
                asked.as_secs_f64(),
                self.scope.max_pages
            ));
            self.report.delay_ms = self.report.delay_ms.max(asked.as_millis() as u64);
        }
        asked.max(self.scope.delay)
    }

    /// Queues the links of a fetched page that the scope admits.
    fn follow_links(&mut self, html: &str, base: &Url, depth: u32) {
        let found = super::links::links(html, base, MAX_LINKS_PER_PAGE);
        self.report.over_link_cap += found.more;
        for link in found.urls {
            let Some(link) = normalise(link) else {
                continue;
            };
            match self.scope.admits(&link) {
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
            if self.seen.contains(link.as_str()) {
                continue;
            }
            if depth + 1 > self.scope.max_depth {
                self.report.too_deep += 1;
                continue;
            }
            self.enqueue(link, depth + 1);
        }
    }

    /// Queues an address not seen before, unless the queue is full.
    fn enqueue(&mut self, url: Url, depth: u32) {
        if self.queue.len() >= MAX_QUEUE {
            self.report.over_link_cap += 1;
            return;
        }
        if self.seen.insert(url.to_string()) {
            self.queue.push_back(Job { url, depth });
        }
    }

    /// An address left untried because the machine seems to have no network.
    fn not_tried(&mut self, url: Url) {
        self.report.network_failures += 1;
        self.report.not_tried.push(url.to_string());
    }

    /// Notes a network failure or an answer for the offline guess.
    fn note_response(&mut self, url: &Url, response: &Response) {
        let failure = match response {
            Response::Failed { kind, reason } => Some((*kind, reason.as_str())),
            _ => None,
        };
        self.network.note(url, failure);
        if let Some((kind, reason)) = failure
            && kind.is_network()
        {
            self.note_unreachable(url, reason);
        }
    }

    /// Says once per host that it could not be reached.
    fn note_unreachable(&mut self, url: &Url, reason: &str) {
        let host = host_and_port(url);
        let host = host.as_str();
        if !self
            .report
            .unreachable_hosts
            .iter()
            .any(|h| h.split_once(": ").is_some_and(|(name, _)| name == host))
        {
            self.report
                .unreachable_hosts
                .push(format!("{host}: {reason}"));
        }
    }

    pub(super) fn start_failed(&mut self, url: &Url, what: String, unreachable: bool) {
        self.failed_starts.push(StartFailure {
            url: url.to_string(),
            what,
            unreachable,
        });
    }

    /// The report, with what the folder holds and what a reader should know.
    fn finish(mut self) -> SourceReport {
        if self.report.over_link_cap > 0 {
            self.report.warn(format!(
                "{} links were not read: a page had more than {MAX_LINKS_PER_PAGE}, or more than {MAX_QUEUE} waited",
                self.report.over_link_cap
            ));
        }
        let holds: Holdings = holdings_of(self.store.dir());
        let id = self.report.id.clone();
        let moved: Vec<&StartFailure> = self
            .failed_starts
            .iter()
            .filter(|f| !f.unreachable)
            .collect();
        let mut warnings = Vec::new();
        if holds.documents() == 0 {
            warnings.push(match moved.first() {
                // A site's answer (404, 410, a refusal by robots.txt): it
                // may have moved.
                Some(f) => format!(
                    "{id}: 0 documents; its start page {} {}: the site may have moved; see sources.toml",
                    f.url, f.what
                ),
                None if !self.report.unreachable_hosts.is_empty()
                    || !self.report.not_tried.is_empty() =>
                {
                    format!("{id}: 0 documents: its sites could not be reached")
                }
                None => format!("{id}: 0 documents"),
            });
        } else {
            if holds.pdfs == 0 && holds.near_empty_pages == holds.pages {
                warnings.push(format!(
                    "{id}: its {} pages all have under 50 words of text: the site may build them with JavaScript (a sitemap may list what they show: see `sitemaps` in sources.toml)",
                    holds.pages
                ));
            }
            for f in &moved {
                warnings.push(format!(
                    "{id}: its start page {} {}: it may have moved; see sources.toml",
                    f.url, f.what
                ));
            }
        }
        for warning in warnings {
            self.report.warn(warning);
        }
        self.report.holds = holds;
        self.report
    }
}
