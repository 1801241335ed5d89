//! Any page a server could send, and any address in it: the links found, the
//! document a viewer page shows, the entries of a sitemap, and the file name
//! each would be saved under. The properties checked, not just "no panic":
//! every name is one plain file name (see `store::is_safe_name`), so no
//! address can place a file outside the source's folder; and every address a
//! crawl would keep is http or https, without a user name or a fragment.
#![no_main]
use dossier::extract::html::viewer::document_behind;
use dossier::fetch::links::links;
use dossier::fetch::scope::normalise;
use dossier::fetch::sitemap::{Sitemap, parse};
use dossier::fetch::store::{file_name_for, is_safe_name};
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let base = Url::parse("https://www.nato.int/cps/en/natohq/topics_181779.htm").unwrap();
    let mut candidates = links(&text, &base, 10_000).urls;
    // The bytes as an address of their own, relative and absolute.
    if let Ok(url) = base.join(&text) {
        candidates.push(url);
    }
    if let Ok(url) = Url::parse(&text) {
        candidates.push(url);
    }
    if let Some(shown) = document_behind(&text)
        && let Ok(url) = base.join(&shown)
    {
        candidates.push(url);
    }
    if let Ok(sitemap) = parse(data) {
        let entries = match sitemap {
            Sitemap::Pages(pages) => pages.into_iter().map(|p| p.url).collect(),
            Sitemap::Index(sitemaps) => sitemaps,
        };
        candidates.extend(entries.iter().filter_map(|e| Url::parse(e).ok()));
    }
    for url in candidates {
        if let Some(kept) = normalise(url.clone()) {
            assert!(matches!(kept.scheme(), "http" | "https"), "{kept}");
            assert!(kept.username().is_empty() && kept.password().is_none(), "{kept}");
            assert!(kept.fragment().is_none(), "{kept}");
        }
        for content_type in [None, Some("application/pdf"), Some(text.as_ref())] {
            let name = file_name_for(&url, content_type);
            assert!(is_safe_name(&name), "{url} gave {name:?}");
        }
    }
});
