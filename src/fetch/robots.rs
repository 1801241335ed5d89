//! robots.txt, fetched once per host and obeyed (RFC 9309): rules for the
//! `dossier` product token, else for `*`. A missing robots.txt (4xx) allows
//! everything; one that cannot be fetched (5xx, no connection) allows nothing
//! on that host, as the RFC asks. `Crawl-delay` lengthens the pause between
//! requests, up to a bound.

use std::collections::HashMap;
use std::time::Duration;

use texting_robots::Robot;
use url::Url;

use super::client::{Client, ROBOTS_AGENT, Response, Validators};

/// A robots.txt larger than this is read only up to here (RFC 9309: at least 500 KiB).
const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// A Crawl-delay above this is taken as this: an update should end today.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

enum Rules {
    All,
    Nothing(String),
    /// robots.txt could not be asked for at all: the host is unreachable.
    Unreachable(String),
    Parsed(Box<Robot>),
}

/// Whether a URL may be fetched, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Disallowed(String),
    Unreachable(String),
}

#[derive(Default)]
pub struct RobotsCache {
    by_origin: HashMap<String, Rules>,
}

impl RobotsCache {
    pub fn check(&mut self, client: &mut Client, url: &Url, delay: Duration) -> Verdict {
        let origin = url.origin().ascii_serialization();
        let rules = self
            .by_origin
            .entry(origin.clone())
            .or_insert_with(|| fetch_rules(client, &origin, delay));
        match rules {
            Rules::All => Verdict::Allowed,
            Rules::Nothing(reason) => Verdict::Disallowed(reason.clone()),
            Rules::Unreachable(reason) => Verdict::Unreachable(reason.clone()),
            Rules::Parsed(robot) => {
                if robot.allowed(url.as_str()) {
                    Verdict::Allowed
                } else {
                    Verdict::Disallowed(format!("disallowed by {origin}/robots.txt"))
                }
            }
        }
    }

    /// The pause robots.txt asks for on this URL's host, if any.
    pub fn crawl_delay(&self, url: &Url) -> Option<Duration> {
        match self.by_origin.get(&url.origin().ascii_serialization())? {
            Rules::Parsed(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY)),
            _ => None,
        }
    }
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
    for _ in 0..super::client::MAX_REDIRECTS {
        let Response::Redirect(next) = &response else {
            break;
        };
        url = next.clone();
        response = client.get(&url, &Validators::default(), delay);
    }
    match response {
        Response::Fetched { body, .. } => {
            let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
            match Robot::new(ROBOTS_AGENT, body) {
                Ok(robot) => Rules::Parsed(Box::new(robot)),
                // Unparseable rules are no rules (as crawlers treat them).
                Err(_) => Rules::All,
            }
        }
        Response::NotModified { .. } => Rules::All,
        Response::Redirect(_) => Rules::All,
        Response::Status { status, .. } if (400..500).contains(&status) => Rules::All,
        Response::Status { status, .. } => Rules::Nothing(format!(
            "{robots_url} answered {status}; nothing on that host is fetched until it answers"
        )),
        Response::Failed {
            reason,
            network: true,
        } => Rules::Unreachable(reason),
        Response::Failed { reason, .. } => Rules::Nothing(format!(
            "could not fetch {robots_url} ({reason}); nothing on that host is fetched"
        )),
    }
}
