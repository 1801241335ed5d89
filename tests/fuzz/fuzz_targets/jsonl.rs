//! Any line of a BEIR-style collection: a document or a reason; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let _ = dossier::extract::jsonl::is_collection("c/corpus.jsonl", data);
    let _ = dossier::extract::jsonl::parse_line(&line, "c/corpus.jsonl");
});
