//! The integration tests, one binary: each module runs the real `dossier`
//! binary (or the library) in a temporary folder it fills itself. Helpers and
//! fixtures shared by all are in `common`; `regression` holds one test per
//! bug found, named after what broke.
//!
//! Tests that need `../shared` (the real corpus, judged collections) skip,
//! saying why, when it is absent.

mod common;

mod architecture;
mod collections;
mod crash_safety;
mod damaged_index;
mod export;
mod fields_and_views;
mod hostile;
mod hostile_server;
mod index_and_search;
mod languages;
mod pdf;
mod pdf_fonts;
mod pdf_layout;
mod real_corpus;
mod real_sources;
mod refresh;
mod research_queries;
mod research_views;
mod terminal_output;
mod tied_scores;
mod unmatched;
mod update;
