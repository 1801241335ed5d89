//! Any bytes, under any of the names dossier sniffs by, through extraction
//! (encodings, HTML, text, dates, titles): an error or a document, no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let names = [
        "nato/page.html",
        "un/S_RES_1325_2000.txt",
        "notes/readme.md",
        "kfor/news",
    ];
    let name = names[data.first().map_or(0, |b| *b as usize) % names.len()];
    if let Ok(doc) = dossier::extract::extract(data, name) {
        // What the index and the views then do with the text must hold too.
        let _ = dossier::extract::topics::Taxonomy::shipped().map(|t| t.tag(&doc.title, &doc.body));
    }
});
