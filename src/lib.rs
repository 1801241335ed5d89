//! dossier: a search engine for the documents security-policy researchers keep.
//!
//! The data flows one way, and the modules follow it:
//!
//! ```text
//! sources.toml ─► fetch (`dossier update`: polite crawl into sources/<id>/)
//! sources/ ─► sources (what files exist, which source they belong to)
//!          ─► extract (bytes → text, title, date, year)
//!          ─► index   (tantivy: schema, incremental refresh)
//!          ─► search  (query language, ranking, facets, snippets)
//!          ─► views   (terminal and JSON output)
//!          ─► export  (documents as NDJSON / _bulk, a Quickwit index config)
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
pub mod search;
pub mod sources;
pub mod views;

pub use error::{Error, Result};
