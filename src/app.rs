//! Runs a parsed command line: calls the library, prints through `views`, and
//! decides the exit status (0 found or done, 1 nothing found, 2 error).

use std::io::{self, Write};

use crate::Error;
use crate::cli::{
    Cli, Command, ExportArgs, FilterArgs, IndexArgs, JsonArgs, KwicArgs, SearchArgs, ShowArgs,
    TrendArgs, UpdateArgs,
};
use crate::export::{self, Selection};
use crate::extract::topics::Taxonomy;
use crate::fetch::{self, ClientOptions, UpdateOptions};
use crate::index::{DossierIndex, RefreshOptions, refresh_index};
use crate::search::matcher::{Matcher, Snippet};
use crate::search::query::{QueryCompiler, YearRange, parse_query};
use crate::search::{SearchRequest, facet_counts, find_document, search};
use crate::sources::SourcesConfig;
use crate::views::style::Style;
use crate::views::{json, kwic, stats, terminal, topics, trend, update};

/// The exit statuses, as grep has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Found = 0,
    NothingFound = 1,
    Error = 2,
}

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let style = Style::for_stdout(cli.color);
    let status = match &cli.command {
        Command::Update(args) => run_update(&cli, args, &mut out, style)?,
        Command::Index(args) => run_index(&cli, args, &mut out)?,
        Command::Search(args) => run_search(&cli, args, &mut out, style)?,
        Command::Show(args) => run_show(&cli, args, &mut out, style)?,
        Command::Kwic(args) => run_kwic(&cli, args, &mut out, style)?,
        Command::Trend(args) => run_trend(&cli, args, &mut out, style)?,
        Command::Topics(args) => run_topics(&cli, args, &mut out, style)?,
        Command::Stats(args) => run_stats(&cli, args, &mut out, style)?,
        Command::Export(args) => run_export(&cli, args, &mut out)?,
    };
    out.flush()?;
    Ok(status)
}

fn run_index(cli: &Cli, args: &IndexArgs, out: &mut dyn Write) -> anyhow::Result<Status> {
    let options = RefreshOptions {
        rebuild: args.rebuild,
        progress: !args.quiet,
    };
    let summary = refresh_index(&cli.sources, &cli.index, &options)?;
    if args.json {
        json::write(out, &summary)?;
    } else {
        for failure in &summary.failed {
            eprintln!("dossier: {}: {}", failure.path, failure.error);
        }
        terminal::write_refresh_summary(out, &summary)?;
        if summary.documents == 0 {
            eprintln!(
                "dossier: {} holds no documents yet: put files (HTML, text, Markdown) in folders under it, one folder per source, or point --sources at a folder that has them",
                cli.sources.display()
            );
        }
    }
    Ok(if summary.failed.is_empty() {
        Status::Found
    } else {
        Status::Error
    })
}

fn run_update(
    cli: &Cli,
    args: &UpdateArgs,
    out: &mut dyn Write,
    style: Style,
) -> anyhow::Result<Status> {
    let config = SourcesConfig::load(&cli.sources)?;
    let defs = fetch::selected(&config, &args.sources, &cli.sources)?;
    if args.dry_run {
        let plan = fetch::plan(&cli.sources, &defs);
        if args.json {
            json::write(
                out,
                &serde_json::json!({ "dry_run": true, "sources": plan }),
            )?;
        } else {
            update::write_plan(out, &plan, style)?;
        }
        return Ok(Status::Found);
    }
    let seconds = |value: f64, flag: &str| {
        if value.is_finite() && value > 0.0 && value < 86_400.0 {
            Ok(std::time::Duration::from_secs_f64(value))
        } else {
            Err(anyhow::anyhow!(
                "bad {flag} value {value}: give a number of seconds above 0, such as 30"
            ))
        }
    };
    let options = UpdateOptions {
        only: args.sources.clone(),
        prune: args.prune,
        progress: !args.quiet && !args.json,
        client: ClientOptions {
            timeout: seconds(args.timeout, "--timeout")?,
            retries: args.retries,
            backoff: seconds(args.backoff, "--backoff")?,
            max_bytes: args.max_size * 1024 * 1024,
        },
    };
    let reports = fetch::fetch_sources(&cli.sources, &defs, &options);
    let index = if args.no_index {
        None
    } else {
        let refresh = RefreshOptions {
            rebuild: false,
            progress: !args.quiet && !args.json,
        };
        Some(refresh_index(&cli.sources, &cli.index, &refresh)?)
    };
    let requests: usize = reports.iter().map(|r| r.requests()).sum();
    let network: usize = reports.iter().map(|r| r.network_failures).sum();
    let failed = reports.iter().any(|r| !r.failed.is_empty())
        || index.as_ref().is_some_and(|s| !s.failed.is_empty());
    if args.json {
        json::write(
            out,
            &serde_json::json!({ "sources": reports, "index": index }),
        )?;
    } else {
        update::write_report(out, &reports, style)?;
        if let Some(summary) = &index {
            for failure in &summary.failed {
                eprintln!("dossier: {}: {}", failure.path, failure.error);
            }
            write!(out, "index: ")?;
            terminal::write_refresh_summary(out, summary)?;
        }
    }
    let nothing_reached = network > 0
        && network == reports.iter().map(|r| r.failed.len()).sum::<usize>()
        && requests == reports.iter().map(|r| r.failed.len()).sum::<usize>();
    if nothing_reached {
        eprintln!(
            "dossier: no source could be reached: this machine seems to have no network (or a proxy is needed: set HTTPS_PROXY). \
             To search documents you already have, put them in folders under {} (one folder per source) and run `dossier index`.",
            cli.sources.display()
        );
    }
    Ok(if failed { Status::Error } else { Status::Found })
}

fn request(query: &[String], filters: &FilterArgs) -> anyhow::Result<SearchRequest> {
    Ok(SearchRequest {
        query: query.join(" "),
        plain: filters.plain,
        sources: filters.sources.clone(),
        topics: filters.topics.clone(),
        langs: filters.langs.clone(),
        years: filters.year.as_deref().map(YearRange::parse).transpose()?,
        ..SearchRequest::new("")
    })
}

fn run_export(cli: &Cli, args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<Status> {
    if args.quickwit_config {
        out.write_all(export::quickwit::config(&args.index_id)?.as_bytes())?;
        return Ok(Status::Found);
    }
    let format = match &args.bulk {
        Some(index) => export::Format::Bulk {
            index: index.clone(),
        },
        None => export::Format::Ndjson,
    };
    let index = DossierIndex::open(&cli.index)?;
    let selection = Selection {
        sources: args.sources.clone(),
        langs: args.langs.clone(),
    };
    let written = export::export_documents(&index, &selection, &format, out)?;
    Ok(if written > 0 {
        Status::Found
    } else {
        eprintln!(
            "dossier: no document to export from {}{}",
            cli.index.display(),
            if args.sources.is_empty() && args.langs.is_empty() {
                ": the index is empty (run `dossier index`)"
            } else {
                " with these --source/--lang filters"
            }
        );
        Status::NothingFound
    })
}

/// Opens the index for reading; an empty one says how to fill it.
fn open_filled_index(cli: &Cli) -> anyhow::Result<DossierIndex> {
    let index = DossierIndex::open(&cli.index)?;
    if index.reader()?.searcher().num_docs() == 0 {
        anyhow::bail!(
            "the index at {} is empty: put documents under {} and run `dossier index`",
            cli.index.display(),
            cli.sources.display()
        );
    }
    Ok(index)
}

fn found(any: bool) -> Status {
    if any {
        Status::Found
    } else {
        Status::NothingFound
    }
}

fn run_search(
    cli: &Cli,
    args: &SearchArgs,
    out: &mut dyn Write,
    style: Style,
) -> anyhow::Result<Status> {
    let request = SearchRequest {
        limit: args.limit,
        offset: args.offset,
        ..request(&args.query, &args.filters)?
    };
    let index = open_filled_index(cli)?;
    let results = search(&index, &request)?;
    if args.json {
        json::write(out, &json::search_results(&results))?;
    } else {
        terminal::write_search_results(out, &results, style)?;
    }
    Ok(if results.total > 0 {
        Status::Found
    } else {
        Status::NothingFound
    })
}

fn run_show(
    cli: &Cli,
    args: &ShowArgs,
    out: &mut dyn Write,
    style: Style,
) -> anyhow::Result<Status> {
    let index = DossierIndex::open(&cli.index)?;
    let doc = match find_document(&index, &args.id) {
        Ok(doc) => doc,
        Err(Error::NoSuchDocument(id)) => {
            eprintln!("dossier: {}", Error::NoSuchDocument(id));
            return Ok(Status::NothingFound);
        }
        Err(e) => return Err(e.into()),
    };
    let text = (!args.no_text).then_some(doc.body.as_str());
    let highlights = match &args.matching {
        Some(query) => {
            let node = parse_query(query)?;
            // Highlights do not depend on the index's languages: any group compiles them.
            let highlights = QueryCompiler::new(index.fields, &[0]).highlights(&node);
            let mut matcher = Matcher::new(highlights, &doc.lang);
            matcher
                .find(&doc.body)
                .iter()
                .map(|m| (m.start, m.end))
                .collect()
        }
        None => Vec::new(),
    };
    if args.json {
        let mut value = json::document(&doc, text);
        if args.matching.is_some() {
            let snippet = Snippet {
                text: doc.body.clone(),
                highlights: highlights.clone(),
                anchor: None,
            };
            value["matches"] = serde_json::json!(json::char_offsets(&snippet));
        }
        json::write(out, &value)?;
    } else {
        let marked = text.map(|t| {
            terminal::highlighted(
                &Snippet {
                    text: t.to_string(),
                    highlights: highlights.clone(),
                    anchor: None,
                },
                style,
            )
        });
        terminal::write_document(out, &doc, marked.as_deref(), style)?;
        if args.matching.is_some() {
            writeln!(out, "\n{} matches", highlights.len())?;
        }
    }
    Ok(if args.matching.is_some() && highlights.is_empty() {
        Status::NothingFound
    } else {
        Status::Found
    })
}

fn run_kwic(
    cli: &Cli,
    args: &KwicArgs,
    out: &mut dyn Write,
    style: Style,
) -> anyhow::Result<Status> {
    let request = request(&args.query, &args.filters)?;
    let index = open_filled_index(cli)?;
    let limit = args.limit.unwrap_or(usize::MAX);
    if args.count {
        let counts = kwic::counts(&index, &request)?;
        let total: usize = counts.iter().map(|c| c.count).sum();
        if args.json {
            let shown = &counts[..counts.len().min(limit)];
            let value =
                serde_json::json!({"query": request.query, "total": total, "documents": shown});
            json::write(out, &value)?;
        } else {
            kwic::write_counts(out, &counts, limit)?;
        }
        return Ok(found(total > 0));
    }
    let lines = kwic::concordance(&index, &request, args.width, args.sort)?;
    if args.json {
        let shown = &lines[..lines.len().min(limit)];
        let value =
            serde_json::json!({"query": request.query, "total": lines.len(), "lines": shown});
        json::write(out, &value)?;
    } else {
        kwic::write_lines(out, &lines, limit, args.width, style)?;
    }
    Ok(found(!lines.is_empty()))
}

fn run_trend(
    cli: &Cli,
    args: &TrendArgs,
    out: &mut dyn Write,
    style: Style,
) -> anyhow::Result<Status> {
    let request = request(&args.query, &args.filters)?;
    let index = open_filled_index(cli)?;
    let trend = trend::compute(&index, &request, args.by, args.split, args.occurrences)?;
    if let Some(path) = &args.svg {
        std::fs::write(path, trend.to_svg(args.top)).map_err(|e| Error::io(path, e))?;
    }
    if args.json {
        json::write(out, &trend.to_json())?;
    } else if args.csv {
        trend.write_csv(out)?;
    } else {
        trend.write_chart(out, args.top, style)?;
        if let Some(path) = &args.svg {
            writeln!(out, "chart written to {}", path.display())?;
        }
    }
    Ok(found(trend.series.values().any(|s| !s.is_empty())))
}

fn run_topics(
    cli: &Cli,
    args: &JsonArgs,
    out: &mut dyn Write,
    style: Style,
) -> anyhow::Result<Status> {
    let taxonomy = Taxonomy::load(&cli.sources)?;
    let index = DossierIndex::open(&cli.index)?;
    let (_, facets) = facet_counts(&index, &SearchRequest::new("*"), None)?;
    let tree = topics::topic_tree(&taxonomy, &facets.topic);
    if args.json {
        json::write(
            out,
            &serde_json::json!({"taxonomy": taxonomy.origin, "topics": tree}),
        )?;
    } else {
        topics::write_tree(out, &tree, &taxonomy.origin, style)?;
    }
    Ok(Status::Found)
}

fn run_stats(
    cli: &Cli,
    args: &JsonArgs,
    out: &mut dyn Write,
    style: Style,
) -> anyhow::Result<Status> {
    let index = DossierIndex::open(&cli.index)?;
    let stats = stats::compute(&index)?;
    if args.json {
        json::write(out, &stats)?;
    } else {
        stats::write_stats(out, &stats, style)?;
    }
    Ok(Status::Found)
}
