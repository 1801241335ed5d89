//! The one scope gate of a crawl: which addresses a source may go on to (its
//! `follow` rules, on parsed addresses), how far and how much (depth, pages,
//! links per page, queue), and how slowly (its delay, capped). Links found on
//! pages and addresses found in sitemaps pass through it alike; start pages
//! and the document behind a viewer page are chosen, not found, and only meet
//! robots.txt and the [`super::hosts::HostGuard`].

use std::time::Duration;

use url::Url;

use crate::sources::SourceDefinition;
use crate::sources::follow::FollowRule;

/// Defaults for a source that does not set them.
pub const DEFAULT_MAX_DEPTH: u32 = 1;
pub const DEFAULT_MAX_PAGES: u32 = 200;
pub const DEFAULT_DELAY_MS: u64 = 1_000;

/// A `delay_ms` above this is taken as this: an update should end today.
pub const MAX_DELAY: Duration = Duration::from_secs(60);
/// Links read from one page; the rest are counted, not kept (a page full of
/// unique links took gigabytes of memory).
pub const MAX_LINKS_PER_PAGE: usize = 10_000;
/// Addresses waiting in one crawl's queue; beyond, they are counted, not kept.
pub const MAX_QUEUE: usize = 100_000;

/// Whether a found address may be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Follow,
    /// Under no `follow` prefix.
    OutOfScope,
    /// Under a prefix, but without any of its words.
    MissingWords,
    /// Its name says it is no document (an image, a script, an archive).
    NotADocument,
}

/// Extensions of files that are never documents to search: fetching them
/// would cost requests and keep nothing.
const NOT_DOCUMENTS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "mp4", "mp3", "m4a",
    "wav", "avi", "mov", "webm", "zip", "gz", "tgz", "rar", "7z", "css", "js", "woff", "woff2",
    "ttf", "otf", "eot", "exe", "dmg", "iso",
];

/// Whether an address names a file that is no document, by its extension.
pub fn names_no_document(url: &Url) -> bool {
    let last = url.path().rsplit('/').next().unwrap_or("");
    last.rsplit_once('.')
        .is_some_and(|(_, ext)| NOT_DOCUMENTS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// A source's crawl settings, checked and capped.
#[derive(Debug, Clone)]
pub struct Scope {
    rules: Vec<FollowRule>,
    pub max_depth: u32,
    pub max_pages: usize,
    /// The pause between two requests to one host (robots.txt may ask more).
    pub delay: Duration,
    /// `delay_ms` asked for more than [`MAX_DELAY`].
    pub delay_capped: bool,
    /// Take candidates from the hosts' sitemaps too.
    pub sitemaps: bool,
}

impl Scope {
    pub fn of(def: &SourceDefinition) -> Scope {
        let delay_ms = def.delay_ms.unwrap_or(DEFAULT_DELAY_MS);
        let delay = Duration::from_millis(delay_ms);
        Scope {
            rules: def.follow_rules(),
            max_depth: def.max_depth.unwrap_or(DEFAULT_MAX_DEPTH),
            max_pages: def.max_pages.unwrap_or(DEFAULT_MAX_PAGES) as usize,
            delay: delay.min(MAX_DELAY),
            delay_capped: delay > MAX_DELAY,
            sitemaps: def.sitemaps,
        }
    }

    /// Whether a found address may be followed.
    pub fn admits(&self, url: &Url) -> Admission {
        if names_no_document(url) {
            return Admission::NotADocument;
        }
        let covering: Vec<&FollowRule> = self.rules.iter().filter(|r| r.covers(url)).collect();
        if covering.is_empty() {
            Admission::OutOfScope
        } else if covering.iter().any(|r| r.has_words(url)) {
            Admission::Follow
        } else {
            Admission::MissingWords
        }
    }
}

/// An address as a crawl keeps it: http or https with a host, without a
/// fragment, and without a user name or password, which are never sent (a
/// link `http://a.org@b.org/` goes to `b.org`, and is judged as `b.org`).
pub fn normalise(mut url: Url) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return None;
    }
    url.set_fragment(None);
    // Both only fail for addresses without a host, excluded above.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::SourcesConfig;

    fn scope(toml: &str) -> Scope {
        let config = SourcesConfig::parse(toml, std::path::Path::new("s")).unwrap();
        Scope::of(&config.sources[0])
    }

    #[test]
    fn delays_are_capped() {
        let s = scope("[[source]]\nid = \"a\"\ndelay_ms = 9223372036854775807\n");
        assert_eq!(s.delay, MAX_DELAY);
        assert!(s.delay_capped);
        let s = scope("[[source]]\nid = \"a\"\n");
        assert_eq!(s.delay, Duration::from_millis(DEFAULT_DELAY_MS));
        assert!(!s.delay_capped);
    }

    #[test]
    fn user_names_are_dropped_and_judged_by_their_real_host() {
        let s = scope("[[source]]\nid = \"a\"\nfollow = [\"http://127.0.0.1:18050\"]\n");
        let sneaky =
            normalise(Url::parse("http://127.0.0.1:18050@127.0.0.1:18051/x#f").unwrap()).unwrap();
        assert_eq!(sneaky.as_str(), "http://127.0.0.1:18051/x");
        assert_eq!(s.admits(&sneaky), Admission::OutOfScope);
        let fine = normalise(Url::parse("http://127.0.0.1:18050/y").unwrap()).unwrap();
        assert_eq!(s.admits(&fine), Admission::Follow);
        assert!(normalise(Url::parse("file:///etc/passwd").unwrap()).is_none());
        assert!(normalise(Url::parse("javascript:alert(1)").unwrap()).is_none());
    }

    #[test]
    fn words_narrow_what_a_prefix_admits() {
        let s = scope(
            "[[source]]\nid = \"a\"\nfollow = [{ prefix = \"https://www.nato.int/en/news/\", words = [\"kosovo\"] }]\n",
        );
        let url = |u: &str| Url::parse(u).unwrap();
        assert_eq!(
            s.admits(&url("https://www.nato.int/en/news/2025/kosovo-visit")),
            Admission::Follow
        );
        assert_eq!(
            s.admits(&url("https://www.nato.int/en/news/2025/summit")),
            Admission::MissingWords
        );
        assert_eq!(
            s.admits(&url("https://www.nato.int/en/kosovo")),
            Admission::OutOfScope
        );
        assert_eq!(
            s.admits(&url("https://www.nato.int/en/news/kosovo/photo.JPG")),
            Admission::NotADocument
        );
    }
}
