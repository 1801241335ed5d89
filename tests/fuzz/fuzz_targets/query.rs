//! Any text as a query, in both modes: parsed and compiled into a tantivy query
//! (for an index holding several languages) and highlight terms, or refused
//! with a message; never a panic. The text is also the document the matcher
//! scans, in each of those languages' analyses.
#![no_main]
use dossier::text::{AnalysisGroup, LangCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, fields) = dossier::index::schema::build_schema();
    let langs: Vec<LangCode> = ["en", "fr", "ru", "ar", "zh"]
        .iter()
        .filter_map(|code| LangCode::from_tag(code))
        .collect();
    let groups: Vec<AnalysisGroup> = langs.iter().map(|l| AnalysisGroup::of(*l)).collect();
    let mut compiler = dossier::search::compiler::QueryCompiler::new(fields, &groups, Default::default());
    for node in [
        dossier::search::grammar::parse_query(text),
        dossier::search::grammar::plain_query(text),
    ]
    .into_iter()
    .flatten()
    {
        let _ = compiler.compile(&node);
        let highlights = compiler.highlights(&node);
        for lang in &langs {
            let mut matcher = dossier::search::matcher::Matcher::new(highlights.clone(), *lang);
            let matches = matcher.find(text);
            let _ = dossier::search::matcher::make_snippet(text, &matches, 120);
        }
    }
    let _ = dossier::text::YearRange::parse(text);
});
