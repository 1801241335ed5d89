//! Any page a server could send, and any address in it: the links found, and
//! the file name each would be saved under. The property checked, not just
//! "no panic": every name is one plain file name (see `store::is_safe_name`),
//! so no address can place a file outside the source's folder.
#![no_main]
use dossier::fetch::links::links;
use dossier::fetch::store::{file_name_for, is_safe_name};
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let base = Url::parse("https://www.nato.int/cps/en/natohq/topics_181779.htm").unwrap();
    let mut candidates = links(&text, &base);
    // The bytes as an address of their own, relative and absolute.
    if let Ok(url) = base.join(&text) {
        candidates.push(url);
    }
    if let Ok(url) = Url::parse(&text) {
        candidates.push(url);
    }
    for url in candidates {
        for content_type in [None, Some("application/pdf"), Some(text.as_ref())] {
            let name = file_name_for(&url, content_type);
            assert!(is_safe_name(&name), "{url} gave {name:?}");
        }
    }
});
