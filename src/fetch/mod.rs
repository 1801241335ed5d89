//! `dossier update`: fetch what `sources/sources.toml` lists into
//! `sources/<folder>/`, politely; the command then refreshes the index.
//!
//! ```text
//! sources.toml ─► crawl (scope, depth, page cap) ─► robots (per host)
//!              ─► client (delay, retries, redirects, 304s) ─► store (safe names, records)
//! ```

pub mod client;
pub mod crawl;
pub mod failure;
pub mod links;
pub mod robots;
pub mod store;

use std::path::Path;

use serde::Serialize;

use crate::progress::Progress;
use crate::sources::{SourceDefinition, SourcesConfig};
use crate::{Error, Result};
pub use client::ClientOptions;
pub use crawl::SourceReport;
pub use failure::{FetchFailure, FetchProblem};

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
    pub follow: Vec<String>,
    pub max_depth: u32,
    pub max_pages: u32,
    pub delay_ms: u64,
    /// Documents fetched by earlier updates and kept in the folder.
    pub kept: usize,
}

/// The sources an update works on: those named, or every source that has
/// start addresses. Naming an unknown source is an error that lists the ids.
pub fn selected<'a>(
    config: &'a SourcesConfig,
    only: &[String],
    sources_dir: &Path,
) -> Result<Vec<&'a SourceDefinition>> {
    let path = SourcesConfig::path(sources_dir);
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
            follow: def.follow.clone(),
            max_depth: def.max_depth.unwrap_or(crawl::DEFAULT_MAX_DEPTH),
            max_pages: def.max_pages.unwrap_or(crawl::DEFAULT_MAX_PAGES),
            delay_ms: def.delay_ms.unwrap_or(crawl::DEFAULT_DELAY_MS),
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
    let settings = crawl::CrawlSettings {
        prune: options.prune,
        progress,
    };
    defs.iter()
        .map(|def| {
            let mut store = store::SourceStore::open(&sources_dir.join(def.folder()));
            crawl::crawl_source(def, &mut store, &mut client, &mut robots, &settings)
        })
        .collect()
}
