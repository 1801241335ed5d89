//! Any bytes through the PDF reader (lopdf's parser, the page-count and
//! inflation bounds, the `'` rewrite, pdf-extract per page): an error or
//! text, no crash. Panics inside the PDF crates are caught by dossier, as in
//! production; any other panic, or an abort, is a finding.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dossier::extract::pdf::extract_pdf(data);
});
