//! One polite HTTP client for a whole update: a clear User-Agent, a pause of
//! at least the source's delay between two requests to one host, timeouts, a
//! size cap per response, redirects returned hop by hop (the crawl follows
//! at most [`MAX_REDIRECTS`], http and https only, checking each), retries
//! with growing pauses on 429 and 5xx, and conditional requests. Every host
//! is resolved behind the [`HostGuard`] (and, behind a proxy, checked before
//! the proxy is asked); a body is kept only as the document itself (gzip is
//! decoded here; any other coding, or two of them, is refused, never stored).
//! Every request counts ([`Client::requests`]): a crawl's `max_pages` bounds
//! them all, redirects, robots.txt and retries included.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use url::Url;

use super::hosts::{GuardedResolver, HostGuard, RefusedAddress};

/// Redirects followed for one address before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// The User-Agent sent with every request; robots.txt rules for `dossier` apply.
pub const USER_AGENT: &str = concat!(
    "dossier/",
    env!("CARGO_PKG_VERSION"),
    " (research search tool; fetches public documents listed in sources.toml)"
);

/// The product token robots.txt rules are matched against.
pub const ROBOTS_AGENT: &str = "dossier";

/// Connecting (name, TCP, TLS) may take this long at most, within the whole
/// request's timeout: an address nothing answers at (no route, a dropped
/// packet) is known to be unreachable in seconds, not after the whole timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest pause between two attempts at one address.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// For the whole of one request: connecting, headers and body.
    pub timeout: Duration,
    /// Larger responses are refused (and not kept).
    pub max_bytes: u64,
    /// Further attempts after a 429, a 5xx or a dropped connection.
    pub retries: u32,
    /// The first pause before a retry; each next one doubles.
    pub backoff: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            max_bytes: crate::extract::MAX_FILE_BYTES,
            retries: 2,
            backoff: Duration::from_secs(2),
        }
    }
}

/// What a conditional request sends back: the validators of the copy we have.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// No validator: the request is not conditional.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

#[derive(Debug)]
pub enum Response {
    /// 2xx with its body.
    Fetched {
        final_url: Url,
        content_type: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
        body: Vec<u8>,
    },
    /// 304 to a conditional request: the copy we have is current. (A 304
    /// to a request that was not conditional is a [`Response::Failed`].)
    NotModified { final_url: Url },
    /// 3xx with a usable Location: where to ask next.
    Redirect(Url),
    /// Any other status after retries (404 and 410 say the page is gone).
    Status { status: u16, final_url: Url },
    /// No usable answer: the reason, for the report.
    Failed { reason: String, kind: FailKind },
}

/// What kind of failure a request met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailKind {
    /// The host's name did not resolve: a wrong address, or no network.
    NoSuchHost,
    /// The host could not be reached (refused, reset, no route).
    Unreachable,
    /// The address was refused before connecting (see [`HostGuard`]).
    Refused,
    /// The server answered, but not usably (too large, encoded, a bad redirect).
    Other,
}

impl FailKind {
    /// The network's fault rather than the page's.
    pub fn is_network(self) -> bool {
        matches!(self, FailKind::NoSuchHost | FailKind::Unreachable)
    }
}

pub struct Client {
    agent: ureq::Agent,
    options: ClientOptions,
    guard: Arc<HostGuard>,
    /// Requests go through a proxy (from the environment): the proxy, not
    /// dossier, resolves the host, so the guard checks it before asking.
    proxied: bool,
    last_request: HashMap<String, Instant>,
    requests: usize,
}

impl Client {
    pub fn new(options: ClientOptions) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(CONNECT_TIMEOUT.min(options.timeout)))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .accept_encoding("gzip")
            .build();
        let guard = Arc::new(HostGuard::default());
        let proxy_host = config.proxy().map(|p| p.host().to_string());
        let proxied = proxy_host.is_some();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            GuardedResolver::new(Arc::clone(&guard), proxy_host),
        );
        Client {
            agent,
            options,
            guard,
            proxied,
            last_request: HashMap::new(),
            requests: 0,
        }
    }

    /// How many requests this client has sent (retries and redirects each
    /// count one).
    pub fn requests(&self) -> usize {
        self.requests
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The guard that decides which addresses may be connected to.
    pub fn guard(&self) -> &HostGuard {
        &self.guard
    }

    /// GET `url` (one hop: a redirect is returned, not followed, so that
    /// the caller can check robots.txt and scope for the next address),
    /// waiting `delay` since the last request to the same host, retrying on
    /// 429, 5xx and dropped connections.
    pub fn get(&mut self, url: &Url, validators: &Validators, delay: Duration) -> Response {
        match self.get_once(url, validators, delay) {
            Hop::Done(response) => response,
            Hop::Redirect(location) => match url.join(&location) {
                Ok(next) if matches!(next.scheme(), "http" | "https") => Response::Redirect(next),
                Ok(next) => Response::Failed {
                    reason: format!("redirect to {next}, which is not http or https"),
                    kind: FailKind::Other,
                },
                Err(e) => Response::Failed {
                    reason: format!("redirect to an invalid address {location:?} ({e})"),
                    kind: FailKind::Other,
                },
            },
        }
    }

    fn get_once(&mut self, url: &Url, validators: &Validators, delay: Duration) -> Hop {
        let mut attempt = 0;
        loop {
            self.wait_for_host(url, delay);
            let outcome = self.send(url, validators);
            let retry_after = match &outcome {
                Sent::Status {
                    status,
                    retry_after,
                    ..
                } if *status == 429 || *status >= 500 => *retry_after,
                Sent::Transport { retry: true, .. } => None,
                _ => return outcome.into_hop(url),
            };
            if attempt >= self.options.retries {
                return outcome.into_hop(url);
            }
            let backoff = backoff_for(self.options.backoff, attempt);
            let pause = retry_after
                .map(|s| Duration::from_secs(s.min(60)))
                .unwrap_or(backoff)
                .max(backoff);
            std::thread::sleep(pause);
            attempt += 1;
        }
    }

    fn wait_for_host(&mut self, url: &Url, delay: Duration) {
        let host = url.host_str().unwrap_or("").to_string();
        if let Some(last) = self.last_request.get(&host) {
            let since = last.elapsed();
            if since < delay {
                std::thread::sleep(delay - since);
            }
        }
        self.last_request.insert(host, Instant::now());
    }

    fn send(&mut self, url: &Url, validators: &Validators) -> Sent {
        if self.proxied
            && let Err(refused) = self.guard.check_url(url)
        {
            return Sent::Transport {
                reason: refused.to_string(),
                retry: false,
                kind: FailKind::Refused,
            };
        }
        self.requests += 1;
        let mut request = self.agent.get(url.as_str());
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header("If-Modified-Since", date);
        }
        let mut response = match request.call() {
            Ok(response) => response,
            Err(e) => return Sent::transport(e),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let location = header("location");
        let content_type = header("content-type");
        let etag = header("etag");
        let last_modified = header("last-modified");
        let retry_after = header("retry-after").and_then(|v| v.parse::<u64>().ok());
        if status == 304 && validators.is_empty() {
            return Sent::Transport {
                reason: "answered 304 Not Modified to a request that was not conditional".into(),
                retry: false,
                kind: FailKind::Other,
            };
        }
        if !(200..300).contains(&status) {
            return Sent::Status {
                status,
                location,
                retry_after,
            };
        }
        let coding = match Coding::of(response.headers()) {
            Ok(coding) => coding,
            Err(reason) => {
                return Sent::Transport {
                    reason,
                    retry: false,
                    kind: FailKind::Other,
                };
            }
        };
        let limit = self.options.max_bytes;
        let too_large = || Sent::Transport {
            reason: format!(
                "the response is larger than {} MB; not kept",
                limit / (1024 * 1024)
            ),
            retry: false,
            kind: FailKind::Other,
        };
        let body = match response.body_mut().with_config().limit(limit).read_to_vec() {
            Ok(body) => body,
            Err(ureq::Error::BodyExceedsLimit(_)) => return too_large(),
            Err(e) => return Sent::transport(e),
        };
        let body = match coding {
            Coding::Identity => body,
            Coding::Gzip => match gunzip(&body, limit) {
                Ok(Some(body)) => body,
                Ok(None) => return too_large(),
                Err(e) => {
                    return Sent::Transport {
                        reason: format!(
                            "the gzip-encoded body could not be decoded ({e}); not kept"
                        ),
                        retry: false,
                        kind: FailKind::Other,
                    };
                }
            },
        };
        Sent::Body {
            content_type,
            etag,
            last_modified,
            body,
        }
    }
}

/// The pause before attempt `attempt + 1`: `first` doubled `attempt` times,
/// at most [`MAX_BACKOFF`] (no overflow, however many retries).
fn backoff_for(first: Duration, attempt: u32) -> Duration {
    let factor = 1u32.checked_shl(attempt).unwrap_or(u32::MAX);
    first.saturating_mul(factor).min(MAX_BACKOFF)
}

/// How a body was encoded on the way.
#[derive(Debug, PartialEq, Eq)]
enum Coding {
    Identity,
    Gzip,
}

impl Coding {
    /// From every `Content-Encoding` and `Transfer-Encoding` header (a server
    /// may send several): gzip once, or nothing; anything else would leave
    /// bytes that are not the document, so it is refused.
    fn of(headers: &ureq::http::HeaderMap) -> Result<Coding, String> {
        let codings = |name: &str| -> Vec<String> {
            headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .flat_map(|v| {
                    v.split(',')
                        .map(|c| c.trim().to_ascii_lowercase())
                        .collect::<Vec<_>>()
                })
                .filter(|c| !c.is_empty() && c != "identity")
                .collect()
        };
        let transfer: Vec<String> = codings("transfer-encoding")
            .into_iter()
            .filter(|c| c != "chunked")
            .collect();
        if !transfer.is_empty() {
            return Err(format!(
                "the server sent the document with the transfer coding {:?}, which dossier does not decode; not kept",
                transfer.join(", ")
            ));
        }
        match codings("content-encoding").as_slice() {
            [] => Ok(Coding::Identity),
            [only] if only == "gzip" || only == "x-gzip" => Ok(Coding::Gzip),
            other => Err(format!(
                "the server sent the document encoded as {:?}, which dossier does not decode; not kept",
                other.join(", ")
            )),
        }
    }
}

/// `body` gunzipped, or `None` when it inflates past `limit` bytes (a gzip
/// bomb is stopped there, not read to its end).
fn gunzip(body: &[u8], limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(body)
        .take(limit + 1)
        .read_to_end(&mut out)?;
    Ok((out.len() as u64 <= limit).then_some(out))
}

enum Hop {
    Redirect(String),
    Done(Response),
}

enum Sent {
    Body {
        content_type: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
        body: Vec<u8>,
    },
    Status {
        status: u16,
        location: Option<String>,
        retry_after: Option<u64>,
    },
    Transport {
        reason: String,
        retry: bool,
        kind: FailKind,
    },
}

impl Sent {
    fn transport(error: ureq::Error) -> Sent {
        let (reason, retry, kind) = match &error {
            ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => (
                "could not connect in time (no route, or the host does not answer)".to_string(),
                false,
                FailKind::Unreachable,
            ),
            ureq::Error::Timeout(_) => ("timed out".to_string(), false, FailKind::Other),
            ureq::Error::HostNotFound => (
                "host not found (no network, or a wrong address)".to_string(),
                false,
                FailKind::NoSuchHost,
            ),
            // Refused at once: asking again a few seconds later rarely helps,
            // and an update against a host that is down should end quickly.
            ureq::Error::ConnectionFailed => (
                "connection refused or failed".to_string(),
                false,
                FailKind::Unreachable,
            ),
            ureq::Error::Io(e) => {
                match e.get_ref().and_then(|r| r.downcast_ref::<RefusedAddress>()) {
                    Some(refused) => (refused.to_string(), false, FailKind::Refused),
                    None => (
                        format!("connection error: {e}"),
                        true,
                        FailKind::Unreachable,
                    ),
                }
            }
            ureq::Error::Tls(e) => (format!("TLS error: {e}"), false, FailKind::Other),
            ureq::Error::Rustls(e) => (format!("TLS error: {e}"), false, FailKind::Other),
            other => (other.to_string(), false, FailKind::Other),
        };
        Sent::Transport {
            reason,
            retry,
            kind,
        }
    }

    fn into_hop(self, url: &Url) -> Hop {
        match self {
            Sent::Body {
                content_type,
                etag,
                last_modified,
                body,
            } => Hop::Done(Response::Fetched {
                final_url: url.clone(),
                content_type,
                etag,
                last_modified,
                body,
            }),
            Sent::Status { status: 304, .. } => Hop::Done(Response::NotModified {
                final_url: url.clone(),
            }),
            Sent::Status {
                status: 301 | 302 | 303 | 307 | 308,
                location: Some(location),
                ..
            } => Hop::Redirect(location),
            Sent::Status { status, .. } => Hop::Done(Response::Status {
                status,
                final_url: url.clone(),
            }),
            Sent::Transport { reason, kind, .. } => Hop::Done(Response::Failed { reason, kind }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute_and_never_overflows() {
        let first = Duration::from_secs(2);
        assert_eq!(backoff_for(first, 0), Duration::from_secs(2));
        assert_eq!(backoff_for(first, 3), Duration::from_secs(16));
        assert_eq!(backoff_for(first, 10), MAX_BACKOFF);
        // 2^40 overflowed `2u32.pow` (a panic in debug builds).
        assert!(backoff_for(Duration::from_nanos(1), 40) <= MAX_BACKOFF);
        assert_eq!(backoff_for(first, u32::MAX), MAX_BACKOFF);
    }

    fn headers(pairs: &[(&str, &str)]) -> ureq::http::HeaderMap {
        let mut map = ureq::http::HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                ureq::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    #[test]
    fn codings_are_read_from_every_header() {
        assert_eq!(Coding::of(&headers(&[])), Ok(Coding::Identity));
        assert_eq!(
            Coding::of(&headers(&[("Content-Encoding", "gzip")])),
            Ok(Coding::Gzip)
        );
        assert_eq!(
            Coding::of(&headers(&[("Transfer-Encoding", "chunked")])),
            Ok(Coding::Identity)
        );
        for refused in [
            &[
                ("Content-Encoding", "identity"),
                ("Content-Encoding", "deflate"),
            ][..],
            &[
                ("Content-Encoding", "gzip"),
                ("Content-Encoding", "deflate"),
            ],
            &[("Content-Encoding", "gzip, gzip")],
            &[("Content-Encoding", "br")],
            &[("Transfer-Encoding", "gzip, chunked")],
            &[
                ("Transfer-Encoding", "deflate"),
                ("Transfer-Encoding", "chunked"),
            ],
        ] {
            assert!(Coding::of(&headers(refused)).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn gzip_bombs_stop_at_the_limit() {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![b' '; 10 << 20]).unwrap();
        let bomb = encoder.finish().unwrap();
        assert_eq!(gunzip(&bomb, 1 << 20).unwrap(), None);
        assert_eq!(
            gunzip(&bomb, 10 << 20).unwrap().map(|b| b.len()),
            Some(10 << 20)
        );
        assert!(gunzip(b"not gzip", 100).is_err());
    }
}
