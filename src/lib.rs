//! dossier: a search engine for the documents security-policy researchers keep.
//!
//! The data flows one way, and the modules follow it:
//!
//! ```text
//! sources.toml ─► fetch (`dossier update`: polite crawl into sources/<id>/)
//! sources/ ─► sources (what files exist, which source they belong to)
//!          ─► extract (bytes → text, title, date, year, language)
//!          ─► index   (tantivy: schema, incremental refresh)
//!          ─► search  (query language, ranking, facets, snippets, the research views' data)
//!          ─► views   (terminal, JSON, CSV and SVG output)
//!          ─► export  (documents as NDJSON / _bulk, a Quickwit index config)
//! ```
//!
//! The layers, bottom up; a module uses its own layer and those below it,
//! never one above (`tests/architecture.rs` checks the imports):
//!
//! ```text
//! text, error, progress   words, stems, language codes, typed ids; errors; progress sink
//! sources                 sources.toml, the files on disk
//! extract                 bytes → a document
//! index                   the tantivy index and its refresh
//! search, eval            queries, hits, facets, the views' data; relevance measures
//! fetch                   `update` (uses sources, extract and text only)
//! views, export           rendering; the way out to a search cluster
//! app                     one command: library calls and a view, an exit status
//! cli                     flags, checked once, into commands
//! ```
//!
//! `main.rs` only parses arguments (see [`cli`]) and hands them to [`app::run`];
//! everything a test or benchmark needs is reachable from here.

pub mod app;
pub mod cli;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod fetch;
pub mod index;
pub mod progress;
pub mod search;
pub mod sources;
pub mod text;
pub mod views;

pub use error::{Error, Result};
