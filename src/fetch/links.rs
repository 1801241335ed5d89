//! Links of a fetched HTML page, resolved against the page's address (or its
//! `<base href>`), without fragments, http and https only. A crawl follows
//! those that start with one of the source's `follow` prefixes.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

static HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)<(a|area)(?-u:\b)[^>]*?(?-u:\b)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#,
    )
    .expect("valid regex")
});

static BASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<base(?-u:\b)[^>]*?(?-u:\b)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("valid regex")
});

/// The distinct links of a page, in page order, up to a cap.
#[derive(Debug, Default)]
pub struct Links {
    pub urls: Vec<Url>,
    /// Links past the cap, counted, not kept (repeats among them included).
    pub more: usize,
}

/// The first `max` distinct links of `html`, in page order; the rest are
/// counted only, so a page of a million links costs no more memory than one
/// of `max`.
pub fn links(html: &str, page: &Url, max: usize) -> Links {
    let base = BASE
        .captures(html)
        .and_then(|c| c.get(1).or(c.get(2)).or(c.get(3)))
        .and_then(|m| page.join(&unescape(m.as_str())).ok())
        .unwrap_or_else(|| page.clone());
    let mut seen = std::collections::HashSet::new();
    let mut out = Links::default();
    for captures in HREF.captures_iter(html) {
        if out.urls.len() >= max {
            out.more += 1;
            continue;
        }
        let Some(href) = captures.get(2).or(captures.get(3)).or(captures.get(4)) else {
            continue;
        };
        let href = unescape(href.as_str().trim());
        if href.is_empty() || href.starts_with('#') {
            continue;
        }
        let Ok(mut url) = base.join(&href) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        url.set_fragment(None);
        if seen.insert(url.to_string()) {
            out.urls.push(url);
        }
    }
    out
}

/// Whether a crawl may follow `url`: it starts with one of the prefixes.
pub fn in_scope(url: &Url, follow: &[String]) -> bool {
    let text = url.as_str();
    follow
        .iter()
        .any(|prefix| text.starts_with(prefix.as_str()))
}

/// The entities that appear in real hrefs.
fn unescape(href: &str) -> String {
    href.replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&#x26;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_and_filters_links() {
        let page = Url::parse("https://www.nato.int/cps/en/natohq/topics_181779.htm").unwrap();
        let html = r##"<a href="topics_51260.htm">Protection of civilians</a>
            <A HREF='/cps/en/natohq/topics_50325.htm#x'>CRSV</A>
            <a class=x href=news.htm?a=1&amp;b=2>News</a>
            <a href="mailto:a@b">mail</a> <a href="#top">top</a>
            <a href="javascript:void(0)">js</a>
            <a href="topics_51260.htm">again</a>"##;
        let found: Vec<String> = links(html, &page, 100)
            .urls
            .iter()
            .map(|u| u.to_string())
            .collect();
        assert_eq!(
            found,
            [
                "https://www.nato.int/cps/en/natohq/topics_51260.htm",
                "https://www.nato.int/cps/en/natohq/topics_50325.htm",
                "https://www.nato.int/cps/en/natohq/news.htm?a=1&b=2",
            ]
        );
        let based = links(
            r#"<base href="https://example.org/dir/"><a href="a.html">a</a>"#,
            &page,
            100,
        )
        .urls;
        assert_eq!(based[0].as_str(), "https://example.org/dir/a.html");
        assert!(in_scope(&based[0], &["https://example.org/dir/".into()]));
        assert!(!in_scope(&based[0], &["https://example.org/other/".into()]));
        // Past the cap, links are counted, not kept.
        let many: String = (0..50).map(|i| format!("<a href=\"/{i}\">x</a>")).collect();
        let capped = links(&many, &page, 10);
        assert_eq!((capped.urls.len(), capped.more), (10, 40));
    }
}
