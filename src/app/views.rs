//! The research views: `kwic`, `trend`, `topics`, `stats`.

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Status, found};
use crate::Error;
use crate::extract::topics::Taxonomy;
use crate::index::DossierIndex;
use crate::search::concordance::{KwicSort, concordance, counts};
use crate::search::filters::KnownValues;
use crate::search::stats;
use crate::search::topic_tree::topic_tree;
use crate::search::trend::{self, TrendRequest};
use crate::search::{SearchRequest, Split, facet_counts, query_notes};
use crate::views::json::{self, KwicCountJson, KwicJson, TopicsJson};
use crate::views::trend::{TrendJson, svg, write_chart, write_csv};
use crate::views::{self, escape, kwic, topics};

#[derive(Debug, Clone)]
pub struct KwicCommand {
    pub request: SearchRequest,
    /// Characters of context on each side.
    pub width: usize,
    pub sort: KwicSort,
    /// Occurrences per document instead of lines.
    pub count: bool,
    /// Show at most this many lines (or documents).
    pub limit: Option<usize>,
    pub json: bool,
}

#[derive(Debug, Clone)]
pub struct TrendCommand {
    pub trend: TrendRequest,
    pub output: TrendOutput,
    /// Also write the chart as SVG here.
    pub svg: Option<PathBuf>,
    /// Charts draw the largest `top` series.
    pub top: usize,
}

/// How a trend is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendOutput {
    Chart,
    Csv,
    Json,
}

pub fn run_kwic(
    context: &Context,
    command: &KwicCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let request = &command.request;
    let index = context.open_filled_index()?;
    let limit = command.limit.unwrap_or(usize::MAX);
    if command.count {
        let counts = counts(&index, request)?;
        let total: usize = counts.iter().map(|c| c.count).sum();
        if command.json {
            let documents = &counts[..counts.len().min(limit)];
            json::write(
                out,
                &KwicCountJson {
                    query: &request.query,
                    total,
                    documents,
                },
            )?;
        } else {
            kwic::write_counts(out, &counts, limit)?;
        }
        return Ok(found(total > 0));
    }
    let lines = concordance(&index, request, command.width, command.sort)?;
    if !command.json {
        super::tell(&query_notes(&index, request)?);
        if lines.is_empty() {
            super::explain_nothing(request);
        }
    }
    if command.json {
        json::write(
            out,
            &KwicJson {
                query: &request.query,
                total: lines.len(),
                lines: &lines[..lines.len().min(limit)],
            },
        )?;
    } else {
        kwic::write_lines(out, &lines, limit, command.width, context.style)?;
    }
    Ok(found(!lines.is_empty()))
}

pub fn run_trend(
    context: &Context,
    command: &TrendCommand,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let index = context.open_filled_index()?;
    if let Some(Split::Field(name)) = &command.trend.split {
        check_keyword_field(&index, name)?;
    }
    let trend = trend::compute(&index, &command.trend)?;
    if let Some(path) = &command.svg {
        std::fs::write(path, svg(&trend, command.top)).map_err(|source| Error::Write {
            what: path.display().to_string(),
            source,
        })?;
    }
    match command.output {
        TrendOutput::Json => json::write(out, &TrendJson::new(&trend))?,
        TrendOutput::Csv => write_csv(out, &trend)?,
        TrendOutput::Chart => {
            write_chart(out, &trend, command.top, context.style)?;
            if let Some(path) = &command.svg {
                let path = path.display().to_string();
                writeln!(out, "chart written to {}", escape::one_line(&path))?;
            }
        }
    }
    if command.output == TrendOutput::Chart {
        for request in &command.trend.requests {
            super::tell(&query_notes(&index, request)?);
        }
    }
    Ok(found(trend.series.values().any(|s| !s.is_empty())))
}

/// A keyword field the index holds, or an error naming those it does.
fn check_keyword_field(index: &DossierIndex, name: &str) -> anyhow::Result<()> {
    let reader = index.reader()?;
    let known = KnownValues::read(index, &reader.searcher(), None, None)?;
    let names = known.keyword_names();
    if names.contains(&name) {
        return Ok(());
    }
    anyhow::bail!(
        "bad --split value '{name}': the index has no keyword field of that name (its keyword fields: {}); give source, topic or lang, or one of those",
        if names.is_empty() {
            "none: a source's `fields` in sources.toml makes them".to_string()
        } else {
            names.join(", ")
        }
    )
}

pub fn run_topics(context: &Context, json: bool, out: &mut dyn Write) -> anyhow::Result<Status> {
    let taxonomy = Taxonomy::load(&context.sources)?;
    let index = DossierIndex::open(&context.index)?;
    let (_, facets) = facet_counts(&index, &SearchRequest::new("*"), None)?;
    let tree = topic_tree(&taxonomy, &facets.topic);
    if json {
        json::write(
            out,
            &TopicsJson {
                taxonomy: &taxonomy.origin,
                topics: &tree,
            },
        )?;
    } else {
        topics::write_tree(out, &tree, &taxonomy.origin, context.style)?;
    }
    Ok(Status::Found)
}

pub fn run_stats(
    context: &Context,
    json: bool,
    check: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let index = DossierIndex::open(&context.index)?;
    if check {
        match crate::index::damaged_files(&context.index) {
            Some(damaged) if damaged.is_empty() => {}
            Some(damaged) => {
                return Err(Error::damaged(
                    &context.index,
                    format!("{} failed its checksum", damaged.join(", ")),
                )
                .into());
            }
            None => return Err(Error::damaged(&context.index, "it could not be read").into()),
        }
    }
    let stats = stats::compute(&index)?;
    if json {
        json::write(out, &stats)?;
    } else {
        views::stats::write_stats(out, &stats, context.style)?;
        if check {
            writeln!(out, "\nevery file of the index passed its checksum")?;
        }
    }
    Ok(Status::Found)
}
