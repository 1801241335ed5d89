//! robots.txt, fetched once per host and obeyed (RFC 9309): rules for the
//! `dossier` product token, else for `*`. A missing robots.txt (4xx) allows
//! everything; one that cannot be fetched (5xx, 429, no connection) allows
//! nothing on that host, as the RFC asks. `Crawl-delay` lengthens the pause
//! between requests, up to a bound.
//!
//! The answer is kept per origin for the whole update, except a refusal by
//! the host guard: that depends on the source being crawled (a host one
//! source may not reach, another may start on), so it is asked again.

use std::collections::HashMap;
use std::time::Duration;

use texting_robots::Robot;
use url::Url;

use super::client::{Client, FailKind, ROBOTS_AGENT, Response, Validators};

/// A robots.txt larger than this is read only up to here (RFC 9309: at least 500 KiB).
const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// A Crawl-delay above this is taken as this: an update should end today.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

enum Rules {
    All,
    /// robots.txt could not be read (a 5xx, a timeout, a redirect that
    /// cannot be followed): nothing on the host is fetched, as RFC 9309 asks.
    Nothing(String),
    /// robots.txt could not be asked for at all: the host is unreachable.
    Unreachable(String, FailKind),
    Parsed(Box<Robot>),
    /// The host guard refused the host for this source: not kept.
    Refused(String),
}

/// Whether a URL may be fetched, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Disallowed(String),
    /// The host guard refused the host's address for this source.
    Refused(String),
    /// The host could not be reached (how, for telling a missing network).
    Unreachable(String, FailKind),
}

#[derive(Default)]
pub struct RobotsCache {
    by_origin: HashMap<String, Rules>,
}

impl RobotsCache {
    pub fn check(&mut self, client: &mut Client, url: &Url, delay: Duration) -> Verdict {
        let origin = url.origin().ascii_serialization();
        if !self.by_origin.contains_key(&origin) {
            match fetch_rules(client, &origin, delay) {
                Rules::Refused(reason) => return Verdict::Refused(reason),
                rules => {
                    self.by_origin.insert(origin.clone(), rules);
                }
            }
        }
        let Some(rules) = self.by_origin.get(&origin) else {
            return Verdict::Allowed;
        };
        match rules {
            Rules::Refused(reason) => Verdict::Refused(reason.clone()),
            Rules::All => Verdict::Allowed,
            Rules::Nothing(reason) => Verdict::Disallowed(reason.clone()),
            Rules::Unreachable(reason, kind) => Verdict::Unreachable(reason.clone(), *kind),
            Rules::Parsed(robot) => {
                if robot.allowed(url.as_str()) {
                    Verdict::Allowed
                } else {
                    Verdict::Disallowed(format!("disallowed by {origin}/robots.txt"))
                }
            }
        }
    }

    /// The pause robots.txt asks for on this URL's host, if any, and whether
    /// it asked for more than [`MAX_CRAWL_DELAY`] (which is what it gets).
    pub fn crawl_delay(&self, url: &Url) -> Option<(Duration, bool)> {
        match self.by_origin.get(&url.origin().ascii_serialization())? {
            Rules::Parsed(robot) => robot.delay.and_then(capped_delay),
            _ => None,
        }
    }

    /// Why nothing may be fetched from this URL's host, when its robots.txt
    /// could not be read at all.
    pub fn trouble(&self, url: &Url) -> Option<&str> {
        match self.by_origin.get(&url.origin().ascii_serialization())? {
            Rules::Nothing(reason) | Rules::Unreachable(reason, _) => Some(reason),
            _ => None,
        }
    }

    /// The sitemaps this URL's host lists in its robots.txt (fetched by an
    /// earlier [`RobotsCache::check`]).
    pub fn sitemaps(&self, url: &Url) -> Vec<String> {
        match self.by_origin.get(&url.origin().ascii_serialization()) {
            Some(Rules::Parsed(robot)) => robot.sitemaps.clone(),
            _ => Vec::new(),
        }
    }
}

/// A Crawl-delay in seconds as a pause, capped before it becomes a
/// `Duration` (1e30 seconds does not fit one); `true` when it was capped.
fn capped_delay(seconds: f32) -> Option<(Duration, bool)> {
    if seconds.is_nan() || seconds <= 0.0 {
        return None;
    }
    let cap = MAX_CRAWL_DELAY.as_secs_f32();
    Some(if seconds > cap {
        (MAX_CRAWL_DELAY, true)
    } else {
        (Duration::from_secs_f32(seconds), false)
    })
}

fn fetch_rules(client: &mut Client, origin: &str, delay: Duration) -> Rules {
    let Ok(robots_url) = Url::parse(&format!("{origin}/robots.txt")) else {
        return Rules::Nothing(format!(
            "{origin} is not an address robots.txt can be asked for"
        ));
    };
    // robots.txt may itself redirect (to https, or www.): follow a few hops.
    let mut url = robots_url.clone();
    let mut response = client.get(&url, &Validators::default(), delay);
    let mut answered = false;
    for _ in 0..super::client::MAX_REDIRECTS {
        let Response::Redirect(next) = &response else {
            break;
        };
        answered = true;
        url = next.clone();
        response = client.get(&url, &Validators::default(), delay);
    }
    match response {
        // The host answered, and its redirect led nowhere: robots.txt
        // cannot be read, but the host (and the network) is up.
        Response::Failed { reason, kind } if answered && kind.is_network() => Rules::Nothing(
            format!("could not fetch {robots_url} ({reason}); nothing on that host is fetched"),
        ),
        Response::Fetched { body, .. } => {
            let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
            match Robot::new(ROBOTS_AGENT, body) {
                Ok(robot) => Rules::Parsed(Box::new(robot)),
                // Unparseable rules are no rules (as crawlers treat them).
                Err(_) => Rules::All,
            }
        }
        // Never asked conditionally, so the client makes this a failure.
        Response::NotModified { .. } => Rules::Nothing(format!(
            "{robots_url} answered 304 Not Modified; nothing on that host is fetched"
        )),
        // More redirects than RFC 9309 asks a crawler to follow: unavailable,
        // as a 4xx is.
        Response::Redirect(_) => Rules::All,
        // 429 asks to slow down: read as "unreachable", as a 5xx (and as
        // Google reads it), not as "no rules".
        Response::Status { status, .. } if (400..500).contains(&status) && status != 429 => {
            Rules::All
        }
        Response::Status { status, .. } => Rules::Nothing(format!(
            "{robots_url} answered {status}; nothing on that host is fetched until it answers"
        )),
        Response::Failed { reason, kind } if kind.is_network() => Rules::Unreachable(reason, kind),
        Response::Failed {
            reason,
            kind: FailKind::Refused,
        } => Rules::Refused(reason),
        Response::Failed { reason, .. } => Rules::Nothing(format!(
            "could not fetch {robots_url} ({reason}); nothing on that host is fetched"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawl_delays_are_capped_before_they_become_durations() {
        // 1e30 seconds panicked Duration::from_secs_f32.
        assert_eq!(capped_delay(1e30), Some((MAX_CRAWL_DELAY, true)));
        assert_eq!(capped_delay(f32::INFINITY), Some((MAX_CRAWL_DELAY, true)));
        assert_eq!(capped_delay(f32::NAN), None);
        assert_eq!(capped_delay(-1.0), None);
        assert_eq!(capped_delay(0.0), None);
        assert_eq!(capped_delay(10.0), Some((Duration::from_secs(10), false)));
    }
}
