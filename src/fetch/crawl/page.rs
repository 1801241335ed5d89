//! One address of a crawl: ask for it (conditionally when a copy is kept),
//! follow its redirects hop by hop, follow a viewer page to the document it
//! shows, keep what came back, and report what happened.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use url::Url;

use super::Crawl;
use crate::extract::html::viewer::document_behind;
use crate::extract::{decode, html};
use crate::fetch::client::{Client, FailKind, MAX_REDIRECTS, Response, Validators};
use crate::fetch::failure::{FetchFailure, FetchProblem};
use crate::fetch::report::{Gone, Saved};
use crate::fetch::robots::{RobotsCache, Verdict};
use crate::fetch::scope::normalise;
use crate::sources::record::FetchRecord;

/// A fetched (or kept) HTML page, for its links.
pub(super) struct FetchedHtml {
    pub html: String,
    /// The address its relative links are read against: where it was found
    /// after redirects.
    pub base: Url,
}

/// A document's answer, ready to keep.
struct Answer {
    final_url: Url,
    content_type: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    body: Vec<u8>,
}

impl Crawl<'_> {
    /// Fetches one address; returns its HTML when it is a page whose links
    /// may be followed.
    pub(super) fn fetch_page(
        &mut self,
        url: &Url,
        delay: Duration,
        is_start: bool,
    ) -> Option<FetchedHtml> {
        let key = url.to_string();
        let previous = self.store.record(&key);
        let kept = self.store.read(&key);
        let by_viewer = previous.as_ref().is_some_and(|r| r.viewer.is_some());
        // A viewer's validators are its document's: the page itself is
        // asked for unconditionally.
        let validators = validators_of(previous.as_ref(), kept.is_some() && !by_viewer);
        let response =
            get_following_redirects(url, self.client, self.robots, validators.as_ref(), delay);
        self.note_response(url, &response);
        match response {
            Response::Fetched {
                final_url,
                content_type,
                etag,
                last_modified,
                body,
            } => {
                let page = is_html(content_type.as_deref(), &body).then(|| {
                    let declared = html::declared_charset(&body);
                    decode::decode(&body, declared).text
                });
                if let Some(text) = &page
                    && let Some(target) = document_behind(text)
                {
                    self.fetch_behind_viewer(&key, &final_url, &target, kept, by_viewer, delay);
                    return None;
                }
                let answer = Answer {
                    final_url: final_url.clone(),
                    content_type,
                    etag,
                    last_modified,
                    body,
                };
                self.keep(&key, answer, kept.as_deref(), None);
                page.map(|html| FetchedHtml {
                    html,
                    base: final_url,
                })
            }
            Response::NotModified { final_url } => {
                let Some(kept) = kept else {
                    self.fail(
                        &key,
                        FetchProblem::Request(
                            "answered 304 Not Modified, but no copy is kept and the request was not conditional"
                                .into(),
                        ),
                    );
                    return None;
                };
                self.report.not_modified.push(key);
                let content_type = previous.and_then(|r| r.content_type);
                is_html(content_type.as_deref(), &kept).then(|| FetchedHtml {
                    html: decode::decode(&kept, html::declared_charset(&kept)).text,
                    base: final_url,
                })
            }
            Response::Redirect(next) => {
                self.fail(&key, FetchProblem::RedirectNotFollowed(next.to_string()));
                None
            }
            Response::Status { status, .. } => {
                if is_start {
                    self.start_failed(url, format!("answered {status}"), false);
                }
                if matches!(status, 404 | 410) {
                    self.gone(&key, status);
                } else {
                    self.fail(&key, FetchProblem::Status(status));
                }
                None
            }
            Response::Failed { reason, kind } => {
                if is_start {
                    self.start_failed(url, format!("failed ({reason})"), kind.is_network());
                }
                if kind.is_network() {
                    self.report.network_failures += 1;
                }
                self.fail(&key, FetchProblem::Request(reason));
                None
            }
        }
    }

    /// `key` answered with a viewer page around `target`: fetches the
    /// document and keeps it under `key`. The page itself is not kept, nor
    /// its links followed.
    fn fetch_behind_viewer(
        &mut self,
        key: &str,
        page_url: &Url,
        target: &str,
        kept: Option<Vec<u8>>,
        by_viewer: bool,
        delay: Duration,
    ) {
        let Some(document) = page_url.join(target).ok().and_then(normalise) else {
            self.fail(
                key,
                FetchProblem::Request(format!(
                    "a viewer page around {target:?}, which is not an http or https address"
                )),
            );
            return;
        };
        if document.as_str() != key && !self.seen.insert(document.to_string()) {
            // The document is fetched under its own address in this crawl.
            return;
        }
        let Some(delay) = self.may_fetch(&document).map(|d| d.max(delay)) else {
            return;
        };
        if self.requests() >= self.scope.max_pages {
            self.report.over_page_cap += 1;
            return;
        }
        self.settings.progress.advance(document.as_str());
        let previous = self.store.record(key);
        let validators = validators_of(previous.as_ref(), kept.is_some() && by_viewer);
        let response = get_following_redirects(
            &document,
            self.client,
            self.robots,
            validators.as_ref(),
            delay,
        );
        self.note_response(&document, &response);
        match response {
            Response::Fetched {
                final_url,
                content_type,
                etag,
                last_modified,
                body,
            } => {
                let answer = Answer {
                    final_url,
                    content_type,
                    etag,
                    last_modified,
                    body,
                };
                self.keep(key, answer, kept.as_deref(), Some(page_url));
            }
            Response::NotModified { .. } if kept.is_some() => {
                self.report.not_modified.push(key.to_string());
            }
            other => {
                let what = match other {
                    Response::Status { status, .. } => format!("answered {status}"),
                    Response::Failed { reason, .. } => reason,
                    Response::Redirect(next) => format!("redirects to {next}"),
                    _ => "answered 304 Not Modified to a request that was not conditional".into(),
                };
                self.fail(
                    key,
                    FetchProblem::Request(format!(
                        "a viewer page around {document}, which {what}; nothing kept"
                    )),
                );
            }
        }
    }

    /// Keeps a fetched document under `key` (with its record), unless it is
    /// the same as the kept copy, no document, or kept under another
    /// address already; reports which.
    fn keep(&mut self, key: &str, answer: Answer, kept: Option<&[u8]>, viewer: Option<&Url>) {
        if let Some(kind) = not_a_document(answer.content_type.as_deref(), &answer.body) {
            self.report.not_documents.push(format!("{key} ({kind})"));
            return;
        }
        if self
            .store
            .holder_of(answer.final_url.as_str())
            .is_some_and(|holder| holder != key)
        {
            self.report.duplicates.push(key.to_string());
            return;
        }
        let record = FetchRecord {
            url: key.to_string(),
            final_url: answer.final_url.to_string(),
            fetched_at: Timestamp::now().to_string(),
            content_type: answer.content_type,
            etag: answer.etag,
            last_modified: answer.last_modified,
            viewer: viewer.map(Url::to_string),
        };
        let same = kept == Some(answer.body.as_slice());
        let name = self.fields.as_ref().and_then(|rule| {
            let values = rule.read([key])?;
            Some(rule.save_as()?.fill(&values))
        });
        let body = (!same).then_some(answer.body.as_slice());
        match self.store.save(&record, body, name.as_deref()) {
            Ok(path) => {
                let saved = Saved {
                    url: key.to_string(),
                    file: path.display().to_string(),
                };
                match (kept.is_some(), same) {
                    (_, true) => self.report.same_content.push(key.to_string()),
                    (true, false) => self.report.changed.push(saved),
                    (false, _) => self.report.new.push(saved),
                }
            }
            Err(error) => {
                let dir = self.store.dir().to_path_buf();
                self.fail(
                    key,
                    FetchProblem::NotSaved {
                        dir,
                        error: Arc::new(error),
                    },
                );
            }
        }
    }

    /// A kept copy's address answers 404 or 410: reported, and deleted with
    /// `--prune`; an address never kept is a failure.
    fn gone(&mut self, key: &str, status: u16) {
        match self.store.path_for_url(key) {
            Some(path) => {
                let pruned = self.settings.prune && self.store.remove(key).is_ok();
                self.report.gone.push(Gone {
                    url: key.to_string(),
                    file: path.display().to_string(),
                    status,
                    pruned,
                });
            }
            None => self.fail(key, FetchProblem::NotFound(status)),
        }
    }

    pub(super) fn fail(&mut self, key: &str, reason: FetchProblem) {
        self.report.failed.push(FetchFailure {
            url: key.to_string(),
            reason,
        });
    }
}

/// The validators of a kept copy and the address they were given for (its
/// final address, after redirects): a conditional request goes there only.
pub(super) struct Conditional {
    validators: Validators,
    url: String,
}

/// The validators of a kept copy, when the request may be conditional.
fn validators_of(record: Option<&FetchRecord>, conditional: bool) -> Option<Conditional> {
    record.filter(|_| conditional).map(|r| Conditional {
        validators: Validators {
            etag: r.etag.clone(),
            last_modified: r.last_modified.clone(),
        },
        url: r.final_url.clone(),
    })
}

/// GET with redirects followed by hand: at most [`MAX_REDIRECTS`] hops, each
/// allowed by its host's robots.txt (and, through the client, by the host
/// guard). A redirect may leave the `follow` scope (undocs.org sends
/// resolutions to documents.un.org): the scope decides which links are
/// followed, not where a chosen address is served from. Validators go only
/// to the address they came from: an ETag is never sent to another server,
/// and a 304 from an address never fetched is a failure (the client's).
pub(super) fn get_following_redirects(
    url: &Url,
    client: &mut Client,
    robots: &mut RobotsCache,
    conditional: Option<&Conditional>,
    delay: Duration,
) -> Response {
    let unconditional = Validators::default();
    let mut current = url.clone();
    for _ in 0..=MAX_REDIRECTS {
        let validators = match conditional {
            Some(c) if c.url == current.as_str() => &c.validators,
            _ => &unconditional,
        };
        match client.get(&current, validators, delay) {
            Response::Redirect(next) => {
                let Some(next) = normalise(next) else {
                    return Response::Failed {
                        reason: "redirect to an address that is not http or https".into(),
                        kind: FailKind::Other,
                    };
                };
                let delay = robots
                    .crawl_delay(&next)
                    .map_or(delay, |(d, _)| d.max(delay));
                match robots.check(client, &next, delay) {
                    Verdict::Allowed => current = next,
                    Verdict::Disallowed(reason)
                    | Verdict::Refused(reason)
                    | Verdict::Unreachable(reason, _) => {
                        return Response::Failed {
                            reason: format!("redirected to {next}, but {reason}"),
                            kind: FailKind::Other,
                        };
                    }
                }
            }
            other => return other,
        }
    }
    Response::Failed {
        reason: format!("more than {MAX_REDIRECTS} redirects"),
        kind: FailKind::Other,
    }
}

/// The type of an answer that is no document to search (an image, a video,
/// a script, an archive), or `None` for a document. A missing or generic
/// type is judged by the bytes: a PDF, or text.
fn not_a_document(content_type: Option<&str>, body: &[u8]) -> Option<String> {
    let mime = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let document = match mime.as_str() {
        "" | "application/octet-stream" | "binary/octet-stream" => {
            body[..body.len().min(1024)]
                .windows(5)
                .any(|w| w == b"%PDF-")
                || !decode::looks_binary(body)
        }
        m => {
            m.contains("html")
                || m.contains("pdf")
                || (m.starts_with("text/") && !matches!(m, "text/css" | "text/javascript"))
                || matches!(
                    m,
                    "application/xml" | "application/json" | "application/x-pdf"
                )
        }
    };
    (!document).then_some(if mime.is_empty() {
        "binary".into()
    } else {
        mime
    })
}

fn is_html(content_type: Option<&str>, bytes: &[u8]) -> bool {
    match content_type {
        Some(ct) => ct.to_ascii_lowercase().contains("html"),
        None => {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
            html::looks_like_html(&head)
        }
    }
}
