//! `dossier update`: fetch the sources, then refresh the index.

use std::io::Write;

use super::index::{report_failures, status_of};
use super::{Context, Status};
use crate::fetch::{self, ClientOptions, UpdateOptions};
use crate::index::{RefreshOptions, index_outside_sources, refresh_index};
use crate::sources::SourcesConfig;
use crate::views::json::{self, UpdateJson, UpdatePlanJson};
use crate::views::progress::ProgressBars;
use crate::views::{terminal, update};

#[derive(Debug, Clone)]
pub struct UpdateCommand {
    /// Only these source ids (every source with start addresses when empty).
    pub only: Vec<String>,
    /// Show what would be fetched, without a request or a write.
    pub dry_run: bool,
    pub prune: bool,
    /// Fetch only; leave the index as it is.
    pub no_index: bool,
    pub client: ClientOptions,
    pub json: bool,
    /// No progress bars.
    pub quiet: bool,
}

pub fn run(
    context: &Context,
    command: &UpdateCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let config = SourcesConfig::load_with(&context.sources, context.config.as_deref())?;
    let config_file = SourcesConfig::file(&context.sources, context.config.as_deref());
    let defs = fetch::selected(&config, &command.only, &config_file)?;
    if command.dry_run {
        let plan = fetch::plan(&context.sources, &defs);
        if command.json {
            json::write(
                out,
                &UpdatePlanJson {
                    dry_run: true,
                    sources: &plan,
                },
            )?;
        } else {
            update::write_plan(out, &plan, context.style)?;
        }
        return Ok(Status::Found);
    }
    let options = UpdateOptions {
        only: command.only.clone(),
        prune: command.prune,
        client: command.client.clone(),
    };
    // Refused before any request, not after the fetching.
    if !command.no_index {
        index_outside_sources(&context.index, &context.sources)?;
    }
    let progress = ProgressBars::new(!command.quiet && !command.json);
    let reports = fetch::fetch_sources(&context.sources, &defs, &options, &progress);
    let index = if command.no_index {
        None
    } else {
        Some(refresh_index(
            &context.sources,
            &context.index,
            &RefreshOptions {
                config: context.config.clone(),
                ..RefreshOptions::default()
            },
            &progress,
        )?)
    };
    let network: usize = reports.iter().map(|r| r.network_failures).sum();
    let failed = reports
        .iter()
        .any(|r| !r.failed.is_empty() || !r.not_tried.is_empty())
        || index
            .as_ref()
            .is_some_and(|s| status_of(s) == Status::Error);
    if command.json {
        json::write(
            out,
            &UpdateJson {
                sources: &reports,
                index: index.as_ref(),
            },
        )?;
    } else {
        update::write_report(out, &reports, context.style)?;
        if let Some(summary) = &index {
            report_failures(summary);
            write!(out, "index: ")?;
            terminal::write_refresh_summary(out, summary)?;
        }
    }
    let nothing_reached = network > 0 && !reports.iter().any(|r| r.answered());
    if nothing_reached {
        let first = reports
            .iter()
            .flat_map(|r| &r.unreachable_hosts)
            .next()
            .map(|h| format!(" (first: {h})"))
            .unwrap_or_default();
        let sources =
            crate::views::escape::one_line(&context.sources.display().to_string()).into_owned();
        let then = if command.no_index {
            format!(
                "To search documents you already have, put them in folders under {sources} (one folder per source) and run `dossier index`."
            )
        } else {
            let documents = index.as_ref().map_or(0, |s| s.documents);
            format!(
                "What is already under {sources} was indexed ({documents} documents{}): `dossier search` finds it; run `dossier update` again with a network to fetch the sources in sources.toml.",
                indexed_sources(context)
            )
        };
        super::report(&format!(
            "dossier: no source could be reached{}: this machine seems to have no network (or a proxy is needed: set HTTPS_PROXY). {then}\n",
            crate::views::escape::one_line(&first),
        ));
    }
    Ok(if failed { Status::Error } else { Status::Found })
}

/// ", from un-general-debate-sample (67)": which sources the index holds,
/// for the message of an update that fetched nothing.
fn indexed_sources(context: &Context) -> String {
    let Ok(index) = crate::index::DossierIndex::open(&context.index) else {
        return String::new();
    };
    let Ok((_, facets)) =
        crate::search::facet_counts(&index, &crate::search::SearchRequest::new("*"), None)
    else {
        return String::new();
    };
    let sources: Vec<String> = facets
        .source
        .iter()
        .map(|(source, n)| format!("{} ({n})", crate::views::escape::one_line(source.as_str())))
        .collect();
    if sources.is_empty() {
        String::new()
    } else {
        format!(", from {}", sources.join(", "))
    }
}
