//! `follow` entries: the addresses a crawl may go on to from a source's start
//! pages (and may take from its sitemaps).
//!
//! An entry is an address prefix, matched on the parsed address, never as a
//! string: scheme, host and port must be the same, then the prefix's path
//! segments, whole (`/kfor/media` does not match `/kfor/media-center`). A
//! segment `*` stands for any one segment (NATO's old links carry a session
//! segment: `/cps/en/SID-…/natolive/…`), and a prefix ending in `*` lets its
//! last segment be the start of one (`/cps/en/natohq/topics_*` matches
//! `/cps/en/natohq/topics_181779.htm`). A prefix without a path stands for the
//! whole site. An entry may also name
//! words of which at least one must appear in the address (case ignored), so
//! that a source for NATO's Kosovo news does not take all of NATO's news.

use serde::Deserialize;
use url::Url;

/// An entry as `sources.toml` writes it: a prefix, or a table with words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FollowEntry {
    Prefix(String),
    Rule {
        prefix: String,
        #[serde(default)]
        words: Vec<String>,
    },
}

impl FollowEntry {
    pub fn prefix(&self) -> &str {
        match self {
            FollowEntry::Prefix(prefix) | FollowEntry::Rule { prefix, .. } => prefix,
        }
    }

    pub fn words(&self) -> &[String] {
        match self {
            FollowEntry::Prefix(_) => &[],
            FollowEntry::Rule { words, .. } => words,
        }
    }
}

/// A parsed `follow` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowRule {
    scheme: String,
    host: String,
    port: u16,
    /// Path segments that must match whole.
    segments: Vec<String>,
    /// The start of the segment after them, for a prefix ending in `*`.
    partial: Option<String>,
    /// Lower-case words, one of which must be in the address (none: any).
    words: Vec<String>,
}

impl FollowRule {
    /// Parses an entry; the error says what is wrong with it.
    pub fn parse(entry: &FollowEntry) -> Result<FollowRule, String> {
        let prefix = entry.prefix().trim();
        let (text, partial) = match prefix.strip_suffix('*') {
            Some(rest) => (rest, true),
            None => (prefix, false),
        };
        let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if host.contains('*') || path.split('/').any(|s| s.contains('*') && s != "*") {
            return Err(format!(
                "{prefix:?}: '*' stands for a whole path segment (/cps/en/*/natolive/), or ends a prefix (/cps/en/natohq/topics_*)"
            ));
        }
        let url = parse_address(text)?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "{prefix:?}: a prefix is an address without '?' or '#'"
            ));
        }
        let mut segments: Vec<String> = url
            .path_segments()
            .map(|s| s.map(str::to_string).collect())
            .unwrap_or_default();
        // "/a/b/" splits into a, b and an empty last segment: beneath b.
        let last = segments.pop().unwrap_or_default();
        let partial = if partial {
            Some(last)
        } else {
            if !last.is_empty() {
                segments.push(last);
            }
            None
        };
        let words: Vec<String> = entry
            .words()
            .iter()
            .map(|w| w.trim().to_lowercase())
            .collect();
        if words.iter().any(String::is_empty) {
            return Err(format!("{prefix:?}: a word in `words` is empty"));
        }
        Ok(FollowRule {
            scheme: url.scheme().to_string(),
            host: url.host_str().unwrap_or_default().to_string(),
            port: url.port_or_known_default().unwrap_or(0),
            segments,
            partial,
            words,
        })
    }

    /// Whether `url` lies under the prefix (words aside).
    pub fn covers(&self, url: &Url) -> bool {
        if url.scheme() != self.scheme
            || url.host_str() != Some(self.host.as_str())
            || url.port_or_known_default() != Some(self.port)
        {
            return false;
        }
        let mut path = url.path_segments().into_iter().flatten();
        for wanted in &self.segments {
            match path.next() {
                Some(segment) if wanted == "*" || segment == wanted => {}
                _ => return false,
            }
        }
        match &self.partial {
            None => true,
            Some(start) => path.next().is_some_and(|s| s.starts_with(start.as_str())),
        }
    }

    /// Whether one of the rule's words is in the address (always, without
    /// words). The address is read decoded and lower-cased.
    pub fn has_words(&self, url: &Url) -> bool {
        if self.words.is_empty() {
            return true;
        }
        let mut address = url.path().to_string();
        if let Some(query) = url.query() {
            address.push('?');
            address.push_str(query);
        }
        let address = percent_decoded(&address).to_lowercase();
        self.words.iter().any(|w| address.contains(w.as_str()))
    }

    pub fn admits(&self, url: &Url) -> bool {
        self.covers(url) && self.has_words(url)
    }
}

/// An http or https address with a host, without user name or password.
pub fn parse_address(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("{text:?} is not an address ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return Err(format!(
            "{text:?} is not an http or https address (write it in full, e.g. \"https://www.nato.int/\")"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{text:?} names a user or password: an address here names a host only"
        ));
    }
    Ok(url)
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(value) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(value);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(prefix: &str, words: &[&str]) -> FollowRule {
        FollowRule::parse(&FollowEntry::Rule {
            prefix: prefix.into(),
            words: words.iter().map(|w| w.to_string()).collect(),
        })
        .unwrap()
    }

    fn admits(rule: &FollowRule, url: &str) -> bool {
        rule.admits(&Url::parse(url).unwrap())
    }

    #[test]
    fn prefixes_match_parsed_addresses_by_whole_segments() {
        let r = rule("https://jfcnaples.nato.int/kfor/media-center/", &[]);
        assert!(admits(&r, "https://jfcnaples.nato.int/kfor/media-center"));
        assert!(admits(
            &r,
            "https://jfcnaples.nato.int/kfor/media-center/archive/news/2024/x"
        ));
        assert!(admits(
            &r,
            "https://JFCNAPLES.nato.int:443/kfor/media-center/a?b=c#d"
        ));
        assert!(!admits(
            &r,
            "https://jfcnaples.nato.int/kfor/media-centerfold"
        ));
        assert!(!admits(&r, "http://jfcnaples.nato.int/kfor/media-center/a"));
        assert!(!admits(
            &r,
            "https://jfcnaples.nato.int:8443/kfor/media-center/a"
        ));
        assert!(!admits(&r, "https://evil.int/kfor/media-center/a"));
        let r = rule("https://www.nato.int/cps/en/natohq/topics_*", &[]);
        assert!(admits(
            &r,
            "https://www.nato.int/cps/en/natohq/topics_181779.htm"
        ));
        assert!(!admits(&r, "https://www.nato.int/cps/en/natohq/news_1.htm"));
        assert!(!admits(&r, "https://www.nato.int/cps/en/natohq"));
        let r = rule("https://www.nato.int/cps/en/*/official_texts_*", &[]);
        assert!(
            !admits(
                &r,
                "https://www.nato.int/cps/en/SID-1A2B3C4D-5E6F7A8B/natolive/official_texts_133945.htm"
            ),
            "two segments, not one"
        );
        assert!(admits(
            &r,
            "https://www.nato.int/cps/en/natolive/official_texts_133945.htm"
        ));
        assert!(admits(
            &r,
            "https://www.nato.int/cps/en/natohq/official_texts_1.htm"
        ));
        let r = rule("https://www.nato.int/cps/en/*/*/official_texts_*", &[]);
        assert!(admits(
            &r,
            "https://www.nato.int/cps/en/SID-1A2B3C4D-5E6F7A8B/natolive/official_texts_133945.htm"
        ));
    }

    #[test]
    fn a_user_name_in_a_link_is_another_host_not_the_prefix() {
        // What a string prefix let through: userinfo makes it another host.
        let r = rule("http://127.0.0.1:18050", &[]);
        assert!(admits(&r, "http://127.0.0.1:18050/x"));
        assert!(!admits(&r, "http://127.0.0.1:18050@127.0.0.1:18051/x"));
        let r = rule("http://127.0.0.1", &[]);
        assert!(!admits(&r, "http://127.0.0.10/x"), "another host");
        assert!(FollowRule::parse(&FollowEntry::Prefix("http://u:p@example.org/".into())).is_err());
    }

    #[test]
    fn words_narrow_a_prefix() {
        let r = rule(
            "https://www.nato.int/en/news-and-events/articles/news/",
            &["Kosovo", "kfor"],
        );
        assert!(admits(
            &r,
            "https://www.nato.int/en/news-and-events/articles/news/2025/06/12/kfor-marks-26-years"
        ));
        assert!(admits(
            &r,
            "https://www.nato.int/en/news-and-events/articles/news/2025/06/12/a%20KOSOVO%20visit"
        ));
        assert!(!admits(
            &r,
            "https://www.nato.int/en/news-and-events/articles/news/2025/06/12/summit-in-the-hague"
        ));
    }

    #[test]
    fn bad_prefixes_are_refused_with_a_reason() {
        for bad in [
            "ftp://x.org/",
            "www.nato.int",
            "https://a.org/x*/b",
            "https://*.a.org/b",
            "https://a.org/x?y",
            "",
        ] {
            assert!(
                FollowRule::parse(&FollowEntry::Prefix(bad.into())).is_err(),
                "{bad}"
            );
        }
    }
}
