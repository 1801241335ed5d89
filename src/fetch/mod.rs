//! `dossier update`: fetch what `sources/sources.toml` lists into
//! `sources/<folder>/`, politely; the command then refreshes the index.
//!
//! ```text
//! sources.toml ─► crawl (start pages, sitemaps, links; viewer pages)
//!              ─► scope (follow rules on parsed addresses, depth, caps) ─► robots (per host)
//!              ─► client (hosts guard, delay, retries, redirects, 304s) ─► store (safe names, records)
//!              ─► holdings (what each source holds; warnings when it is empty)
//! ```

pub mod client;
pub mod crawl;
pub mod failure;
pub mod holdings;
pub mod hosts;
pub mod links;
pub mod report;
pub mod robots;
pub mod scope;
pub mod sitemap;
pub mod store;

use std::path::Path;

use serde::Serialize;

use crate::progress::Progress;
use crate::sources::{SourceDefinition, SourcesConfig};
use crate::{Error, Result};
pub use client::ClientOptions;
pub use failure::{FetchFailure, FetchProblem};
pub use report::SourceReport;

#[derive(Debug, Clone, Default)]
pub struct UpdateOptions {
    /// Only these source ids (all sources with start addresses when empty).
    pub only: Vec<String>,
    pub prune: bool,
    pub client: ClientOptions,
}

/// What `--dry-run` shows of one source: its settings, and what is kept.
#[derive(Debug, Clone, Serialize)]
pub struct SourcePlan {
    pub id: String,
    pub name: String,
    pub folder: String,
    pub start: Vec<String>,
    /// Each `follow` prefix, with its words if it has any.
    pub follow: Vec<String>,
    /// Whether the hosts' sitemaps are read too.
    pub sitemaps: bool,
    pub max_depth: u32,
    pub max_pages: u32,
    pub delay_ms: u64,
    /// Documents fetched by earlier updates and kept in the folder.
    pub kept: usize,
}

/// The sources an update works on: those named, or every source that has
/// start addresses. Naming an unknown source is an error that lists the ids
/// and names `config_file`, the file the configuration was read from.
pub fn selected<'a>(
    config: &'a SourcesConfig,
    only: &[String],
    config_file: &Path,
) -> Result<Vec<&'a SourceDefinition>> {
    let path = config_file.to_path_buf();
    let fetchable: Vec<&SourceDefinition> = config
        .sources
        .iter()
        .filter(|d| !d.start.is_empty())
        .collect();
    if only.is_empty() {
        if fetchable.is_empty() {
            return Err(Error::Config {
                path,
                message: "no [[source]] has `start` addresses, so there is nothing to fetch; add one (see the examples in the shipped sources.toml), or put files under the sources folder and run `dossier index`".into(),
            });
        }
        return Ok(fetchable);
    }
    let mut out = Vec::new();
    for id in only {
        match config.sources.iter().find(|d| &d.id == id) {
            Some(def) if def.start.is_empty() => {
                return Err(Error::Config {
                    path,
                    message: format!(
                        "source `{id}` has no `start` addresses: there is nothing to fetch for it"
                    ),
                });
            }
            Some(def) => out.push(def),
            None => {
                let ids: Vec<&str> = fetchable.iter().map(|d| d.id.as_str()).collect();
                return Err(Error::Config {
                    path,
                    message: format!(
                        "no source with id `{id}`; the sources that can be fetched are: {}",
                        if ids.is_empty() {
                            "none".to_string()
                        } else {
                            ids.join(", ")
                        }
                    ),
                });
            }
        }
    }
    Ok(out)
}

pub fn plan(sources_dir: &Path, defs: &[&SourceDefinition]) -> Vec<SourcePlan> {
    defs.iter()
        .map(|def| SourcePlan {
            id: def.id.clone(),
            name: def.name.clone().unwrap_or_else(|| def.id.clone()),
            folder: sources_dir.join(def.folder()).display().to_string(),
            start: def.start.clone(),
            follow: def
                .follow
                .iter()
                .map(|f| match f.words() {
                    [] => f.prefix().to_string(),
                    words => format!("{} (with one of: {})", f.prefix(), words.join(", ")),
                })
                .collect(),
            sitemaps: def.sitemaps,
            max_depth: scope::Scope::of(def).max_depth,
            max_pages: scope::Scope::of(def).max_pages as u32,
            delay_ms: scope::Scope::of(def).delay.as_millis() as u64,
            kept: store::SourceStore::open(&sources_dir.join(def.folder()))
                .known()
                .count(),
        })
        .collect()
}

/// Fetches every selected source; one client, so the pause between requests
/// to a host holds across sources that share it.
pub fn fetch_sources(
    sources_dir: &Path,
    defs: &[&SourceDefinition],
    options: &UpdateOptions,
    progress: &dyn Progress,
) -> Vec<SourceReport> {
    let mut client = client::Client::new(options.client.clone());
    let mut robots = robots::RobotsCache::default();
    let mut network = crawl::Network::default();
    let settings = crawl::CrawlSettings {
        prune: options.prune,
        progress,
    };
    defs.iter()
        .map(|def| {
            let mut store = store::SourceStore::open(&sources_dir.join(def.folder()));
            crawl::crawl_source(
                def,
                &mut store,
                &mut client,
                &mut robots,
                &mut network,
                &settings,
            )
        })
        .collect()
}
