//! Which addresses an update may connect to. A link or a redirect from a
//! public site must never lead dossier to a machine on the local network or
//! to the computer it runs on (an SSRF path for anyone running `update` on a
//! server): every host is resolved here, and a non-public address is refused
//! unless the source itself starts on that host (a test site on 127.0.0.1,
//! an intranet). The check is on the resolved address, so a public name that
//! resolves to a private address is refused too; and the address checked is
//! the address connected to, so DNS cannot answer differently in between.
//!
//! Behind a proxy (`HTTPS_PROXY`, `HTTP_PROXY`), dossier connects to the
//! proxy and the proxy resolves the host: the resolver sees only the proxy's
//! name. The client then checks each address here first ([`HostGuard::check_url`]):
//! an address literal as it is, a name as this machine resolves it. A name
//! this machine cannot resolve (common behind a proxy) is left to the proxy.
//! A start host is trusted by name, on any port.

use std::collections::HashSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};
use std::sync::{Arc, Mutex};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Whether an address is on the public internet: not loopback, private,
/// link-local, shared (carrier-grade NAT), unique-local, unspecified, or an
/// IPv4-mapped form of one of these.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback() // 127.0.0.0/8
        || ip.is_private() // 10/8, 172.16/12, 192.168/16
        || ip.is_link_local() // 169.254/16
        || ip.is_unspecified()
        || a == 0 // 0.0.0.0/8
        || (a == 100 && (64..128).contains(&b)) // 100.64/10
        || ip.is_broadcast()
        || ip.is_multicast())
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback() // ::1
        || ip.is_unspecified() // ::
        || (first & 0xffc0) == 0xfe80 // fe80::/10
        || (first & 0xfe00) == 0xfc00 // fc00::/7
        || ip.is_multicast()
        || ip.to_ipv4().is_some_and(|v4| !is_public_v4(v4)))
}

/// The hosts a source started on: non-public addresses are allowed there.
#[derive(Debug, Default)]
pub struct HostGuard {
    trusted: Mutex<HashSet<String>>,
}

/// Why a connection was refused, with the host and address, for the report.
#[derive(Debug, Clone)]
pub struct RefusedAddress {
    pub host: String,
    pub ip: IpAddr,
}

impl fmt::Display for RefusedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refused: {} is at {}, an address on this machine or its local network, and this source does not start there",
            self.host, self.ip
        )
    }
}

impl std::error::Error for RefusedAddress {}

impl HostGuard {
    /// From now on, trust the hosts of `starts` (and only them): the guard
    /// follows the source being crawled.
    pub fn trust_only(&self, hosts: impl IntoIterator<Item = String>) {
        let mut trusted = self.trusted.lock().unwrap_or_else(|e| e.into_inner());
        trusted.clear();
        trusted.extend(hosts.into_iter().map(|h| normalise_host(&h)));
    }

    /// The addresses of `host` one may connect to, or why none.
    pub fn check(&self, host: &str, addresses: &[IpAddr]) -> Result<(), RefusedAddress> {
        let host = normalise_host(host);
        let trusted = self
            .trusted
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&host);
        match addresses.iter().find(|ip| !is_public(**ip)) {
            Some(ip) if !trusted => Err(RefusedAddress { host, ip: *ip }),
            _ => Ok(()),
        }
    }
}

impl HostGuard {
    /// Checks `url`'s host before a proxy is asked for it: an address
    /// literal as written, a name as this machine resolves it.
    pub fn check_url(&self, url: &url::Url) -> Result<(), RefusedAddress> {
        let addresses: Vec<IpAddr> = match url.host() {
            None => return Ok(()),
            Some(url::Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(url::Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            Some(url::Host::Domain(name)) => {
                let port = url.port_or_known_default().unwrap_or(80);
                match (name, port).to_socket_addrs() {
                    Ok(found) => found.map(|a| a.ip()).collect(),
                    // Only the proxy knows where this name leads.
                    Err(_) => Vec::new(),
                }
            }
        };
        self.check(url.host_str().unwrap_or_default(), &addresses)
    }
}

/// `[::1]` and `::1` alike, lower case.
fn normalise_host(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

/// ureq's resolver behind the [`HostGuard`].
#[derive(Debug)]
pub struct GuardedResolver {
    inner: DefaultResolver,
    guard: Arc<HostGuard>,
    /// The proxy from the environment, if any: dossier connects to it, and it
    /// is trusted as the user set it up.
    proxy_host: Option<String>,
}

impl GuardedResolver {
    pub fn new(guard: Arc<HostGuard>, proxy_host: Option<String>) -> Self {
        GuardedResolver {
            inner: DefaultResolver::default(),
            guard,
            proxy_host: proxy_host.map(|h| normalise_host(&h)),
        }
    }
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        // A name that does not resolve is a host not found, whatever the
        // system's resolver called it: no retry helps, and two of them with
        // no answer anywhere mean no network.
        let resolved = self
            .inner
            .resolve(uri, config, timeout)
            .map_err(|e| match e {
                ureq::Error::Io(_) => ureq::Error::HostNotFound,
                other => other,
            })?;
        let host = uri.host().unwrap_or_default();
        if self.proxy_host.as_deref() == Some(normalise_host(host).as_str()) {
            return Ok(resolved);
        }
        let addresses: Vec<IpAddr> = resolved.iter().map(|a| a.ip()).collect();
        match self.guard.check(host, &addresses) {
            Ok(()) => Ok(resolved),
            Err(refused) => Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                refused,
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn non_public_ranges() {
        for private in [
            "127.0.0.1",
            "127.9.9.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!is_public(ip(private)), "{private}");
        }
        for public in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "2a00:1450::1",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip(public)), "{public}");
        }
    }

    #[test]
    fn only_the_start_hosts_may_be_private() {
        let guard = HostGuard::default();
        guard.trust_only(["127.0.0.1".to_string()]);
        assert!(guard.check("127.0.0.1", &[ip("127.0.0.1")]).is_ok());
        assert!(guard.check("127.0.0.2", &[ip("127.0.0.2")]).is_err());
        assert!(guard.check("localhost", &[ip("127.0.0.1")]).is_err());
        // A public name that resolves to a private address (DNS rebinding).
        let refused = guard
            .check("docs.example.org", &[ip("93.184.216.34"), ip("10.0.0.7")])
            .unwrap_err();
        assert!(refused.to_string().contains("10.0.0.7"), "{refused}");
        assert!(guard.check("www.nato.int", &[ip("93.184.216.34")]).is_ok());
        // Before a proxy is asked: literals, and names this machine resolves.
        let url = |text: &str| url::Url::parse(text).unwrap();
        guard.trust_only(["127.0.0.1".to_string()]);
        assert!(guard.check_url(&url("http://127.0.0.1:8080/a")).is_ok());
        assert!(guard.check_url(&url("http://127.0.0.2/a")).is_err());
        assert!(guard.check_url(&url("http://[::ffff:7f00:2]/")).is_err());
        assert!(guard.check_url(&url("http://localhost/")).is_err());
        assert!(guard.check_url(&url("http://2130706434/")).is_err());
        assert!(guard.check_url(&url("http://93.184.216.34/")).is_ok());
        guard.trust_only(["[::1]".to_string()]);
        assert!(guard.check("::1", &[ip("::1")]).is_ok());
        assert!(guard.check("127.0.0.1", &[ip("127.0.0.1")]).is_err());
    }
}
