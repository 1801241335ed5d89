//! Any text as a query, in both modes: parsed and compiled into a tantivy query
//! and highlight terms, or refused with a message; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, fields) = dossier::index::schema::build_schema();
    let mut compiler = dossier::search::query::QueryCompiler::new(fields);
    for node in [
        dossier::search::query::parse_query(text),
        dossier::search::query::plain_query(text),
    ]
    .into_iter()
    .flatten()
    {
        let _ = compiler.compile(&node);
        let highlights = compiler.highlights(&node);
        let mut matcher = dossier::search::matcher::Matcher::new(highlights);
        let matches = matcher.find(text);
        let _ = dossier::search::matcher::make_snippet(text, &matches, 120);
    }
    let _ = dossier::search::query::YearRange::parse(text);
});
