//! Every command and flag, defined once: the definitions are the `--help`.
//! Values are checked here, once, and turned into the typed commands of
//! [`crate::app`]; an error names the flag and what was typed after it.
//! Below this module no code names a flag.

mod man;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::Error;
use crate::app::{
    Command as AppCommand, ExportCommand, ExportWhat, IndexCommand, Invocation, KwicCommand,
    SearchCommand, ShowCommand, TrendCommand, TrendOutput, UpdateCommand,
};
use crate::export::names::BulkIndex;
use crate::export::quickwit::{IndexId, QuickwitVersion};
use crate::export::requests::DEFAULT_REQUEST_BYTES;
use crate::export::{Format, Selection};
use crate::fetch::ClientOptions;
use crate::search::concordance::KwicSort;
use crate::search::trend::{TrendBy, TrendRequest};
use crate::search::{SearchRequest, Split};
use crate::text::{LangCode, SourceId, TopicId, YearRange};
use crate::views::cite::CitationFormat;
use crate::views::style::ColorChoice;

/// A page of search hits: refused above [`crate::search::MAX_LIMIT`] rather
/// than cut to it without a word.
fn page_limit(value: &str) -> Result<usize, String> {
    let limit: usize = value
        .parse()
        .map_err(|_| format!("'{value}' is not a number of hits"))?;
    if limit > crate::search::MAX_LIMIT {
        return Err(format!(
            "at most {} hits a page; page on with --offset",
            crate::search::MAX_LIMIT
        ));
    }
    Ok(limit)
}

const EXAMPLES: &str = "\
Examples:
  dossier update                                     fetch the sources in sources.toml, then index
  dossier update --source kfor --dry-run             what an update of one source would do
  dossier index                                      build or refresh ./index from ./sources
  dossier search '\"human security\"'                  exact phrase, ranked, with facet counts
  dossier search civilians --source nato --year 2016..2023 --json
  dossier search '(kosovo OR kfor) -serbia' --limit 20
  dossier search pauvreté --lang fr                  words stemmed in each document's language
  dossier kwic '\"human security\"' --source un-general-debate --sort left
  dossier trend '\"human security\"' --split source --svg trend.svg
  dossier topics
  dossier show un-security-council/S_RES_0688_1991_EN_GOLD.txt --match '\"civilian population\"'
  dossier export --ndjson > dossier.ndjson           every document, for Quickwit or Elasticsearch

Exit status: 0 something found (or done), 1 nothing found, 2 an error.";

/// dossier: search what NATO, KFOR and the UN have written on human security.
///
/// Every file under the sources folder is a document: HTML pages, PDFs, plain
/// text and Markdown, in any common encoding and any language. `dossier index`
/// keeps a full-text index of them up to date; `dossier search` ranks them
/// (BM25), shows snippets and counts matches per year, source, language and
/// topic.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, after_help = EXAMPLES, args_override_self = true)]
pub struct Cli {
    /// Folder of documents; its first-level folders are the sources.
    #[arg(
        long,
        global = true,
        env = "DOSSIER_SOURCES",
        default_value = "sources",
        value_name = "DIR"
    )]
    pub sources: PathBuf,

    /// Folder of the index (created by `dossier index`).
    #[arg(
        long,
        global = true,
        env = "DOSSIER_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    pub index: PathBuf,

    /// A sources.toml kept outside the sources folder (for a folder you may
    /// not write to, such as a shared corpus); by default
    /// <sources>/sources.toml.
    #[arg(long, global = true, env = "DOSSIER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to colour output: auto colours on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch the sources listed in sources/sources.toml, then refresh the index.
    ///
    /// Each [[source]] with `start` addresses is crawled: its start pages, then
    /// links that begin with one of its `follow` prefixes, down to `max_depth`
    /// links and up to `max_pages` requests. Fetching is polite: robots.txt is
    /// obeyed, `delay_ms` (or robots.txt's Crawl-delay, if longer) separates two
    /// requests to one host, and a page already kept is asked for conditionally,
    /// so an unchanged one costs a 304. Documents are saved under
    /// sources/<folder>/ with a `.fetch.json` record beside each (address, final
    /// address, fetch time, content type, ETag, Last-Modified). Pages that now
    /// answer 404 or 410 are reported and kept, unless --prune. The index is then
    /// refreshed as `dossier index` does. Exit status 2 if anything failed.
    #[command(
        after_help = "Examples:\n  dossier update\n  dossier update --source kfor --dry-run\n  dossier update --source nato --source unsc --json\n  dossier update --no-index --timeout 60\n\nWithout a network, every request fails and dossier says so: put files you already have under sources/<name>/ and run `dossier index` instead."
    )]
    Update(UpdateArgs),

    /// Build or refresh the index from the sources folder.
    ///
    /// Only new, changed and deleted files cost work: unchanged files are
    /// recognised by size and modification time (a content hash confirms a
    /// change). The refresh is one atomic commit: a search running meanwhile sees
    /// the old index or the new one, and an interrupted refresh leaves the old one.
    /// Files that cannot be read are reported with the reason; the rest are indexed
    /// and the exit status is 2.
    #[command(
        after_help = "Examples:\n  dossier index\n  dossier --sources ~/corpora/un index --json\n  dossier index --rebuild"
    )]
    Index(IndexArgs),

    /// Search the index: ranked hits with snippets, and facet counts.
    ///
    /// Words match their stemmed forms (civilians finds civilian) in the title or
    /// body, and all words must match (function words such as "the" and "of" are
    /// left out when there are others). "Quoted phrases" match the exact words in
    /// order. Operators: OR, AND, NOT or a leading '-', parentheses. Fields:
    /// title:, body:, source:, topic:, year: (1999, 1999..2008, 2015.., ..1999),
    /// lang: (fr, ru, zh…), id:. '*' matches every document. Ranking: BM25 over
    /// title and body, with a share for title matches and a reward for query
    /// words close together. Words are stemmed for each language the index
    /// holds (pauvreté finds French documents by French stems); phrases match
    /// exactly in every language. Facet counts (year, source, language, topic)
    /// cover every match, not only the hits shown.
    #[command(
        after_help = "Examples:\n  dossier search '\"human security\"'\n  dossier search 'title:kosovo \"protection of civilians\"' --year 1999..\n  dossier search --plain 'What has NATO said about children in armed conflict?'\n  dossier search '*' --source un-security-council --limit 0    (facet counts only)\n  dossier search pauvreté --lang fr\n  dossier search '\"устойчивого развития\"' --lang ru"
    )]
    Search(SearchArgs),

    /// Every occurrence of the query's words and phrases, in context.
    ///
    /// One line per occurrence: document, year, and the left and right context
    /// aligned on the match. Occurrences are counted exactly: a phrase said four
    /// times in a document gives four lines. Context comes from the document's
    /// body text. --count lists occurrences per document instead.
    #[command(
        after_help = "Examples:\n  dossier kwic '\"human security\"' --source un-general-debate\n  dossier kwic '\"protection of civilians\"' --sort left --width 50\n  dossier kwic '\"human security\"' --count --json"
    )]
    Kwic(KwicArgs),

    /// Matching documents (or occurrences) per year, as a chart or numbers.
    ///
    /// Document counts are those of `search`'s year facet, year by year.
    #[command(
        after_help = "Examples:\n  dossier trend '\"human security\"'\n  dossier trend '\"human security\"' --split source --csv\n  dossier trend kosovo --occurrences --by decade --svg kosovo.svg"
    )]
    Trend(TrendArgs),

    /// The topic taxonomy, with the number of documents of each topic.
    ///
    /// Topics come from <sources>/topics.toml (else the taxonomy built into
    /// dossier) and from the sources' default topics in sources.toml.
    Topics(JsonArgs),

    /// What the index holds: documents per source, year, language and topic, size, last refresh.
    Stats(StatsArgs),

    /// Show one document: its metadata, where each field came from, and its text.
    Show(ShowArgs),

    /// Write the index out for a search cluster: documents, or a Quickwit index config.
    ///
    /// --ndjson writes every document, one JSON object a line, with all its
    /// metadata, as `quickwit index ingest` and Quickwit's ingest API take it;
    /// --bulk INDEX writes the same documents as Elasticsearch/OpenSearch (and
    /// Quickwit's _elastic) _bulk requests. --quickwit-config writes a Quickwit
    /// index config (YAML) whose fields and tokenizers mirror dossier's schema
    /// as far as that Quickwit version allows. Output goes to standard output,
    /// streamed, or with --requests DIR to numbered files each small enough
    /// for one request. Each export says the index's commit on standard
    /// error: --since COMMIT later writes only what changed after it.
    #[command(
        after_help = "Examples:\n  dossier export --quickwit-config > dossier.yaml          # Quickwit 0.9; --quickwit-version 0.8\n  quickwit index create --index-config dossier.yaml\n  dossier export --ndjson --requests out/                  # out/request-000001.ndjson, … (9 MiB each)\n  for f in out/request-*; do curl -s -XPOST localhost:7280/api/v1/dossier/ingest --data-binary @$f; done\n  dossier export --bulk dossier --requests bulk/           # Elasticsearch / OpenSearch _bulk bodies\n  dossier export --bulk dossier --since 7 --requests bulk/ # only what changed after commit 7, deletes first\n  dossier export --ndjson --since 7 --deletes deletes.ndjson --requests out/   # Quickwit: delete tasks, then ingest\n  dossier export --ndjson --source nato --lang fr > nato-fr.ndjson"
    )]
    Export(ExportArgs),

    /// Print a completion script for a shell.
    #[command(
        after_help = "Install:\n  bash: dossier completions bash > ~/.local/share/bash-completion/completions/dossier\n  zsh:  dossier completions zsh > ~/.zfunc/_dossier   (with fpath+=~/.zfunc before compinit)\n  fish: dossier completions fish > ~/.config/fish/completions/dossier.fish\n  PowerShell: dossier completions powershell >> $PROFILE"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff).
    #[command(
        after_help = "Install:\n  dossier man > ~/.local/share/man/man1/dossier.1\n  man dossier"
    )]
    Man,

    /// Reads one PDF from standard input within a memory limit (in MB) and
    /// writes its text as JSON: dossier starts itself this way to read PDFs
    /// in a child process. Not for people.
    #[command(name = "__read-pdf", hide = true)]
    ReadPdf {
        #[arg(value_name = "MB")]
        memory_mb: u64,
    },
}

/// What `export` writes.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["ndjson", "bulk", "quickwit_config"])))]
pub struct ExportArgs {
    /// Every document as a line of JSON (Quickwit ingest, any NDJSON reader).
    #[arg(long)]
    pub ndjson: bool,

    /// Every document as a _bulk request pair for this index (Elasticsearch,
    /// OpenSearch, Quickwit's Elasticsearch-compatible API). INDEX is a name
    /// both accept: a lower-case letter, then lower-case letters, digits,
    /// '-', '_' or '.', 3 to 255 characters.
    #[arg(long, value_name = "INDEX")]
    pub bulk: Option<String>,

    /// A Quickwit index config (YAML) mirroring dossier's schema.
    #[arg(long, conflicts_with_all = ["since", "deletes", "requests", "export_source", "export_lang"])]
    pub quickwit_config: bool,

    /// The index id the Quickwit config names.
    #[arg(long, default_value = "dossier", value_name = "ID")]
    pub index_id: String,

    /// The Quickwit version the config is for: 0.9 (the current release; no
    /// stemming) or 0.8 (stems English with en_stem, removed in 0.9).
    #[arg(long, default_value = "0.9", value_name = "VERSION", value_parser = ["0.9", "0.8"])]
    pub quickwit_version: String,

    /// Only what changed after this commit (the number an earlier export
    /// printed): documents added or changed, and with --bulk a delete action
    /// for each document removed.
    #[arg(long, value_name = "COMMIT")]
    pub since: Option<u64>,

    /// With --since: write Quickwit delete-task bodies (one JSON object a line,
    /// for POST /api/v1/INDEX/delete-tasks) for the documents removed and the
    /// old copies of those changed, to run before ingesting.
    #[arg(long, value_name = "FILE", requires = "since", conflicts_with = "bulk")]
    pub deletes: Option<std::path::PathBuf>,

    /// Write numbered request files (request-000001.ndjson, …) into this
    /// folder instead of standard output, each at most --request-bytes.
    #[arg(long, value_name = "DIR")]
    pub requests: Option<std::path::PathBuf>,

    /// The largest request file, in bytes (64 KiB to 100 MiB; default 9 MiB,
    /// under Quickwit's 10 MiB limit).
    #[arg(long, value_name = "BYTES", requires = "requests", default_value_t = DEFAULT_REQUEST_BYTES, value_parser = clap::value_parser!(u64).range(65_536..=104_857_600))]
    pub request_bytes: u64,

    /// Only documents of this source (repeatable).
    #[arg(long = "source", id = "export_source", value_name = "SOURCE")]
    pub sources: Vec<String>,

    /// Only documents in this language (repeatable).
    #[arg(long = "lang", id = "export_lang", value_name = "CODE")]
    pub langs: Vec<String>,
}

/// Narrowing flags, the same for search, kwic and trend.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only documents of this source (repeatable: any of them).
    #[arg(
        long = "source",
        id = "source_filter",
        short = 's',
        value_name = "SOURCE"
    )]
    pub sources: Vec<String>,

    /// Only documents with this topic or one of its sub-topics (repeatable).
    #[arg(long = "topic", id = "topic_filter", short = 't', value_name = "TOPIC")]
    pub topics: Vec<String>,

    /// Only documents in this language, an ISO 639-1 code as the facet counts
    /// print it: en, fr, es, ru, ar, zh… (repeatable; `und`: not told).
    #[arg(long = "lang", id = "lang_filter", short = 'l', value_name = "CODE")]
    pub langs: Vec<String>,

    /// Only documents of these years: 2022, 1999..2008, 2015.. or ..1999.
    #[arg(long, short = 'y', value_name = "YEARS")]
    pub year: Option<String>,

    /// Read the query as plain words, without operators or fields; any word may
    /// match. For pasting a sentence.
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The query; several arguments are joined with spaces.
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Characters of context on each side (1 to 1,000).
    #[arg(long, short = 'w', default_value_t = 40, value_name = "CHARS", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub width: u16,

    /// Order of the lines.
    #[arg(long, value_enum, default_value_t = SortArg::Document)]
    pub sort: SortArg,

    /// Occurrences per document, most first, instead of lines.
    #[arg(long)]
    pub count: bool,

    /// Show at most this many lines (or documents with --count).
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,

    /// Print one JSON object: {query, total, lines: [{id, year, page, left, match,
    /// right}]}, or with --count {query, total, documents: [{id, count}]}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// The query; several arguments are joined with spaces.
    #[arg(required_unless_present = "queries", num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,

    /// Another query, drawn as a series of its own beside the first (repeat
    /// for more): --query '"human security"' --query '"protection of civilians"'.
    #[arg(long = "query", short = 'q', value_name = "QUERY")]
    pub queries: Vec<String>,

    /// Each year's (or decade's) matches as a share of all its documents
    /// (under the same filters), so that a year with more documents does not
    /// look like more interest.
    #[arg(long)]
    pub share: bool,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Count per year or per decade.
    #[arg(long, value_enum, default_value_t = ByArg::Year)]
    pub by: ByArg,

    /// One series per source, topic or language, or per value of a
    /// keyword field a source's `fields` read (`--split country`); with one
    /// query only.
    #[arg(long, value_name = "source|topic|lang|FIELD")]
    pub split: Option<String>,

    /// Count occurrences of the query's words and phrases, not documents.
    #[arg(long)]
    pub occurrences: bool,

    /// Print the numbers as CSV: a column per series, a row per year.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,

    /// Print one JSON object: {query, queries, by, unit, documents,
    /// without_year, series: {name: {year: n}}, with --share also shares and
    /// base: {year: documents}}.
    #[arg(long)]
    pub json: bool,

    /// Also write the chart as an SVG file (a line per series, for a paper).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,

    /// Charts (terminal and SVG) draw the N largest series; CSV and JSON have all.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub top: usize,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Also read every file of the index and check its checksum: damage
    /// where no search has read yet shows only this way (exit 2 if any).
    #[arg(long)]
    pub check: bool,

    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Print the summary as one JSON object: added, updated, removed, unchanged,
    /// failed (a list of {path, error}), seconds, documents.
    #[arg(long)]
    pub json: bool,

    /// Drop every document and index the whole sources folder again.
    #[arg(long)]
    pub rebuild: bool,

    /// No progress bar, even on a terminal.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Only this source (its `id` in sources.toml); repeat for several.
    #[arg(long = "source", id = "source_filter", value_name = "ID")]
    pub sources: Vec<String>,

    /// Show what would be fetched (each source's addresses, scope and limits,
    /// and what is kept already) without any request or write.
    #[arg(long)]
    pub dry_run: bool,

    /// Delete kept documents whose address now answers 404 or 410.
    #[arg(long)]
    pub prune: bool,

    /// Fetch only; leave the index as it is.
    #[arg(long)]
    pub no_index: bool,

    /// Seconds one request may take, from connecting to the last byte.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub timeout: f64,

    /// Responses larger than this many megabytes are refused, not kept.
    #[arg(long, default_value_t = 64, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_size: u64,

    /// Retries after a 429, a 5xx or a dropped connection, with growing pauses
    /// (0 to 10).
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,

    /// Seconds before the first retry; each next pause doubles, up to 60 s
    /// (a server's Retry-After, if longer, is honoured up to 60 s).
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub backoff: f64,

    /// Print the report as one JSON object: per source what was new, changed,
    /// not modified (304), the same, failed (with reasons), disallowed by
    /// robots.txt and gone; then what the index did.
    #[arg(long)]
    pub json: bool,

    /// No progress bars, even on a terminal.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query; several arguments are joined with spaces. A query that starts
    /// with '-' goes after `--`: dossier search -- -kosovo civilians
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// How many hits to show (0: only the counts; at most 100000).
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N", value_parser = page_limit)]
    pub limit: usize,

    /// Skip this many hits first (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,

    /// Print one JSON object: query, total, hits (id, title, source, lang, year,
    /// topics, path, url, score, snippet), facets (year, source, lang, topic).
    #[arg(long, conflicts_with = "cite")]
    pub json: bool,

    /// Print the hits shown as citations to import into Zotero or a
    /// bibliography: bibtex, ris or csl-json.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub cite: Option<CiteArg>,

    /// Also count the values of a keyword field a source's `fields` read
    /// (repeatable): --facet country.
    #[arg(long = "facet", value_name = "FIELD")]
    pub facets: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The document: its id as search prints it, the path of its file, or
    /// its file name when no other document has it.
    #[arg(value_name = "ID")]
    pub id: String,

    /// Print the metadata only, without the text.
    #[arg(long)]
    pub no_text: bool,

    /// Highlight this query's words and phrases in the text.
    #[arg(long = "match", short = 'm', value_name = "QUERY")]
    pub matching: Option<String>,

    /// With --match: print only the paragraphs that match, and N paragraphs
    /// around each (0: the matching ones alone).
    #[arg(long, short = 'C', value_name = "N", requires = "matching")]
    pub context: Option<usize>,

    /// Print one JSON object.
    #[arg(long, conflicts_with = "cite")]
    pub json: bool,

    /// Print the document as a citation: bibtex, ris or csl-json.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub cite: Option<CiteArg>,
}

/// `--cite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiteArg {
    /// BibTeX (biblatex fields: @report, @online, @misc).
    Bibtex,
    /// RIS (RPRT, ELEC, GEN).
    Ris,
    /// CSL-JSON, an array of items.
    CslJson,
}

impl From<CiteArg> for CitationFormat {
    fn from(arg: CiteArg) -> Self {
        match arg {
            CiteArg::Bibtex => CitationFormat::Bibtex,
            CiteArg::Ris => CitationFormat::Ris,
            CiteArg::CslJson => CitationFormat::CslJson,
        }
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

/// `kwic --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// By document id, then position in the document.
    Document,
    /// By year (unknown last), then document.
    Year,
    /// By the words just left of the match, nearest first.
    Left,
    /// By the words just right of the match.
    Right,
}

/// `trend --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Year,
    Decade,
}

impl Cli {
    /// The command to run, every value checked.
    pub fn into_invocation(self) -> anyhow::Result<Invocation> {
        let color = match self.color {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        };
        let mut command = match self.command {
            Command::Update(args) => AppCommand::Update(args.into_command()?),
            Command::Index(args) => AppCommand::Index(IndexCommand {
                rebuild: args.rebuild,
                json: args.json,
                quiet: args.quiet,
            }),
            Command::Search(args) => AppCommand::Search(SearchCommand {
                request: SearchRequest {
                    limit: args.limit,
                    offset: args.offset,
                    ..args.filters.request(&args.query)?
                },
                json: args.json,
                cite: args.cite.map(CitationFormat::from),
                facets: args.facets,
            }),
            Command::Show(args) => AppCommand::Show(ShowCommand {
                id: args.id,
                no_text: args.no_text,
                matching: args.matching,
                context: args.context,
                json: args.json,
                cite: args.cite.map(CitationFormat::from),
            }),
            Command::Kwic(args) => AppCommand::Kwic(KwicCommand {
                request: args.filters.request(&args.query)?,
                width: usize::from(args.width),
                sort: match args.sort {
                    SortArg::Document => KwicSort::Document,
                    SortArg::Year => KwicSort::Year,
                    SortArg::Left => KwicSort::Left,
                    SortArg::Right => KwicSort::Right,
                },
                count: args.count,
                limit: args.limit,
                json: args.json,
            }),
            Command::Trend(args) => AppCommand::Trend(TrendCommand {
                trend: args.trend_request()?,
                output: if args.json {
                    TrendOutput::Json
                } else if args.csv {
                    TrendOutput::Csv
                } else {
                    TrendOutput::Chart
                },
                svg: args.svg,
                top: args.top,
            }),
            Command::Topics(args) => AppCommand::Topics { json: args.json },
            Command::Stats(args) => AppCommand::Stats {
                json: args.json,
                check: args.check,
            },
            Command::Export(args) => AppCommand::Export(args.into_command()?),
            Command::ReadPdf { memory_mb } => AppCommand::ReadPdf { memory_mb },
            Command::Completions { .. } | Command::Man => {
                bail!("completions and the man page are written by `Cli::write_builtin`")
            }
        };
        // Filters may name what sources.toml and topics.toml define.
        let locate = |request: &mut SearchRequest| {
            request.sources_dir = Some(self.sources.clone());
            request.config = self.config.clone();
        };
        match &mut command {
            AppCommand::Search(c) => locate(&mut c.request),
            AppCommand::Kwic(c) => locate(&mut c.request),
            AppCommand::Trend(c) => c.trend.requests.iter_mut().for_each(locate),
            _ => {}
        }
        Ok(Invocation {
            sources: self.sources,
            index: self.index,
            config: self.config,
            color,
            command,
        })
    }

    /// Writes what the command line itself answers (completions, the man
    /// page) to `out`; `None` for the commands the library runs.
    pub fn write_builtin(&self, out: &mut dyn std::io::Write) -> Option<std::io::Result<()>> {
        use clap::CommandFactory;
        match &self.command {
            Command::Completions { shell } => {
                let command = Cli::command();
                // Shells would complete hidden commands too (clap_complete
                // lists every subcommand): offer only what people run.
                let mut public = clap::Command::new("dossier")
                    .args(command.get_arguments().cloned())
                    .subcommands(
                        command
                            .get_subcommands()
                            .filter(|s| !s.is_hide_set())
                            .cloned(),
                    );
                // clap_complete panics when its writer fails (a closed
                // pipe): it writes to memory, and this to `out`.
                let mut script = Vec::new();
                clap_complete::generate(*shell, &mut public, "dossier", &mut script);
                Some(out.write_all(&script))
            }
            // The definition is built only here: every other command would
            // pay a fifth of a millisecond for it.
            Command::Man => Some(man::write(out)),
            _ => None,
        }
    }

    /// What to tell about errors of this command line, taken before it is run.
    pub fn hints(&self) -> Hints {
        Hints {
            plain: match &self.command {
                Command::Search(args) => !args.filters.plain,
                Command::Kwic(args) => !args.filters.plain,
                Command::Trend(args) => !args.filters.plain,
                _ => false,
            },
        }
    }
}

/// What the user can do about an error with the flags at hand: the library
/// describes its errors without naming flags, and this adds them.
#[derive(Debug, Clone, Copy)]
pub struct Hints {
    /// The command reads a query that `--plain` could read as plain words.
    plain: bool,
}

impl Hints {
    /// What `dossier: …` says of `error`: the error and its causes, each
    /// said once, then the hint if any; control characters escaped (a file
    /// name may hold any).
    pub fn message(&self, error: &anyhow::Error) -> String {
        let mut message = error.to_string();
        for cause in error.chain().skip(1) {
            let cause = cause.to_string();
            if !message.contains(&cause) {
                message.push_str(": ");
                message.push_str(&cause);
            }
        }
        if let Some(hint) = self.for_error(error) {
            message.push_str("; ");
            message.push_str(hint);
        }
        crate::views::escape::one_line(&message).into_owned()
    }

    /// The hint for `error`, to follow its message.
    pub fn for_error(&self, error: &anyhow::Error) -> Option<&'static str> {
        let library = error.chain().find_map(|e| e.downcast_ref::<Error>())?;
        Some(match library {
            Error::Query(query) if query.plain_words_would_do() && self.plain => {
                "or use --plain to search the words as they are"
            }
            Error::NoIndex { .. } => "or point --index / DOSSIER_INDEX at an existing one",
            Error::NoSources { .. } => {
                "or point --sources / DOSSIER_SOURCES at the folder that holds them"
            }
            Error::NotWritable { .. } => "or point --index at a folder you can write",
            Error::NotAnIndex { .. } => {
                "point --index / DOSSIER_INDEX at the folder of your index, or at a new one"
            }
            Error::OtherSources { .. } => {
                "give that folder with --sources, another index with --index, or replace this index's documents with `dossier index --rebuild`"
            }
            Error::IndexInSources { .. } => {
                "keep the index beside the sources (the default is ./index beside ./sources): point --index / DOSSIER_INDEX there"
            }
            Error::CommitAhead { .. } => {
                "give --since the commit an earlier export printed (`dossier stats` shows the index's)"
            }
            Error::HistoryLost { .. } => {
                "export everything without --since into a new cluster index, then --since from the commit that prints"
            }
            Error::IndexDamaged { .. } | Error::IndexVersion { .. } => {
                "run `dossier index --rebuild` to rebuild it from the sources"
            }
            Error::NotAFolder { what: "index", .. } => {
                "point --index / DOSSIER_INDEX at a folder (it is created if missing)"
            }
            Error::NotAFolder { .. } => {
                "point --sources / DOSSIER_SOURCES at the folder that holds your documents"
            }
            _ => return None,
        })
    }
}

impl FilterArgs {
    /// A search request for `query` (words joined by spaces), narrowed by
    /// these flags.
    fn request(&self, query: &[String]) -> anyhow::Result<SearchRequest> {
        let sources = self
            .sources
            .iter()
            .map(|value| {
                SourceId::parse(value).map_err(|e| {
                    anyhow::anyhow!(
                        "--source {value:?} is not a valid id ({e}): use ids as the facet counts print them, e.g. --source un-security-council"
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let topics = self
            .topics
            .iter()
            .map(|value| {
                TopicId::parse(value).map_err(|e| {
                    anyhow::anyhow!(
                        "--topic {value:?} is not a valid id ({e}): use ids as the facet counts print them, e.g. --topic human-security"
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let langs = self
            .langs
            .iter()
            .map(|value| {
                LangCode::from_filter(value).with_context(|| {
                    format!(
                        "--lang {value:?} is not a language code: use codes as the facet counts print them (ISO 639-1), e.g. --lang fr, or --lang und for documents whose language was not told"
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let years = match &self.year {
            Some(value) => Some(YearRange::parse(value).map_err(|reason| {
                anyhow::anyhow!(
                    "bad --year value '{value}': {reason} (use {})",
                    YearRange::FORMS
                )
            })?),
            None => None,
        };
        Ok(SearchRequest {
            plain: self.plain,
            sources,
            topics,
            langs,
            years,
            ..SearchRequest::new(query.join(" "))
        })
    }
}

impl TrendArgs {
    /// The queries (the positional one first), their filters, and how to
    /// count them.
    fn trend_request(&self) -> anyhow::Result<TrendRequest> {
        let mut requests = Vec::new();
        if !self.query.is_empty() {
            requests.push(self.filters.request(&self.query)?);
        }
        for query in &self.queries {
            requests.push(self.filters.request(std::slice::from_ref(query))?);
        }
        let split = self.split.as_deref().map(|split| match split {
            "source" => Split::Source,
            "topic" => Split::Topic,
            "lang" => Split::Lang,
            field => Split::Field(field.to_string()),
        });
        if split.is_some() && requests.len() > 1 {
            bail!(
                "--split draws one series per value of one query: give one query, or several with --query and no --split"
            );
        }
        if let Some(Split::Field(field)) = &split
            && !crate::sources::fields::is_field_name(field)
        {
            bail!(
                "bad --split value '{field}': give source, topic, lang, or the name of a keyword field (a group of a source's `fields`, such as country)"
            );
        }
        Ok(TrendRequest {
            requests,
            by: match self.by {
                ByArg::Year => TrendBy::Year,
                ByArg::Decade => TrendBy::Decade,
            },
            split,
            occurrences: self.occurrences,
            share: self.share,
        })
    }
}

impl UpdateArgs {
    fn into_command(self) -> anyhow::Result<UpdateCommand> {
        let seconds = |value: f64, flag: &str| {
            if value.is_finite() && value > 0.0 && value < 86_400.0 {
                Ok(Duration::from_secs_f64(value))
            } else {
                bail!("bad {flag} value {value}: give a number of seconds above 0, such as 30")
            }
        };
        Ok(UpdateCommand {
            client: ClientOptions {
                timeout: seconds(self.timeout, "--timeout")?,
                retries: self.retries,
                backoff: seconds(self.backoff, "--backoff")?,
                max_bytes: self.max_size * 1024 * 1024,
            },
            only: self.sources,
            dry_run: self.dry_run,
            prune: self.prune,
            no_index: self.no_index,
            json: self.json,
            quiet: self.quiet,
        })
    }
}

impl ExportArgs {
    fn into_command(self) -> anyhow::Result<ExportCommand> {
        if self.quickwit_config {
            let id = IndexId::parse(&self.index_id)
                .map_err(|e| anyhow::anyhow!("--index-id {:?} is {e}", self.index_id))?;
            let version = match self.quickwit_version.as_str() {
                "0.8" => QuickwitVersion::V0_8,
                _ => QuickwitVersion::V0_9,
            };
            return Ok(ExportCommand {
                what: ExportWhat::QuickwitConfig(id, version),
            });
        }
        let filters = FilterArgs {
            sources: self.sources,
            topics: Vec::new(),
            langs: self.langs,
            year: None,
            plain: false,
        };
        let request = filters.request(&[])?;
        Ok(ExportCommand {
            what: ExportWhat::Documents {
                format: match self.bulk {
                    Some(index) => Format::Bulk {
                        index: BulkIndex::parse(&index)
                            .map_err(|e| anyhow::anyhow!("--bulk {index:?} is {e}"))?,
                    },
                    None => Format::Ndjson,
                },
                selection: Selection {
                    sources: request.sources,
                    langs: request.langs,
                },
                since: self.since,
                deletes: self.deletes,
                requests: self.requests.map(|dir| (dir, self.request_bytes)),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
