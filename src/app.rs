//! Runs a parsed command line: calls the library, prints through `views`, and
//! decides the exit status (0 found or done, 1 nothing found, 2 error).

use std::io::{self, Write};

use crate::Error;
use crate::cli::{Cli, Command, IndexArgs, SearchArgs, ShowArgs};
use crate::index::{DossierIndex, RefreshOptions, refresh_index};
use crate::search::query::YearRange;
use crate::search::{SearchRequest, find_document, search};
use crate::views::style::Style;
use crate::views::{json, terminal};

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
        Command::Index(args) => run_index(&cli, args, &mut out)?,
        Command::Search(args) => run_search(&cli, args, &mut out, style)?,
        Command::Show(args) => run_show(&cli, args, &mut out, style)?,
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
        serde_json::to_writer(&mut *out, &summary)?;
        writeln!(out)?;
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

fn run_search(
    cli: &Cli,
    args: &SearchArgs,
    out: &mut dyn Write,
    style: Style,
) -> anyhow::Result<Status> {
    let years = args.year.as_deref().map(YearRange::parse).transpose()?;
    let request = SearchRequest {
        query: args.query.join(" "),
        plain: args.plain,
        sources: args.sources.clone(),
        topics: args.topics.clone(),
        years,
        limit: args.limit,
        offset: args.offset,
    };
    let index = DossierIndex::open(&cli.index)?;
    if index.reader()?.searcher().num_docs() == 0 {
        anyhow::bail!(
            "the index at {} is empty: put documents under {} and run `dossier index`",
            cli.index.display(),
            cli.sources.display()
        );
    }
    let results = search(&index, &request)?;
    if args.json {
        serde_json::to_writer(&mut *out, &json::search_results(&results))?;
        writeln!(out)?;
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
    if args.json {
        serde_json::to_writer(&mut *out, &json::document(&doc, text))?;
        writeln!(out)?;
    } else {
        terminal::write_document(out, &doc, text, style)?;
    }
    Ok(Status::Found)
}
