//! Every command and flag, defined once: the definitions are the `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::search::Split;
use crate::views::kwic::KwicSort;
use crate::views::style::ColorChoice;
use crate::views::trend::TrendBy;

const EXAMPLES: &str = "\
Examples:
  dossier update                                     fetch the sources in sources/sources.toml, then index
  dossier update --source kfor --dry-run             what an update of one source would do
  dossier index                                      build or refresh ./index from ./sources
  dossier search '\"human security\"'                  exact phrase, ranked, with facet counts
  dossier search civilians --source nato --year 2016..2023 --json
  dossier search 'kosovo OR kfor -serbia' --limit 20
  dossier search pauvreté --lang fr                    words stemmed in each document's language
  dossier kwic '\"human security\"' --source un-general-debate --sort left
  dossier trend '\"human security\"' --split source --svg trend.svg
  dossier topics
  dossier show un-security-council/S_RES_1325_2000_EN_GOLD.txt --match 'women'
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

    /// When to colour output: auto colours on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

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
    Stats(JsonArgs),

    /// Show one document: its metadata, where each field came from, and its text.
    Show(ShowArgs),

    /// Write the index out for a search cluster: documents, or a Quickwit index config.
    ///
    /// --ndjson writes every document, one JSON object a line, with all its
    /// metadata, as `quickwit index ingest` and Quickwit's ingest API take it;
    /// --bulk INDEX writes the same documents as Elasticsearch/OpenSearch (and
    /// Quickwit's _elastic) _bulk requests. --quickwit-config writes a Quickwit
    /// index config (YAML) whose fields and tokenizers mirror dossier's schema.
    /// Output goes to standard output, streamed: an index of any size.
    #[command(
        after_help = "Examples:\n  dossier export --quickwit-config > dossier.yaml\n  quickwit index create --index-config dossier.yaml\n  dossier export --ndjson | quickwit index ingest --index dossier\n  dossier export --bulk dossier | curl -s -H 'Content-Type: application/x-ndjson' --data-binary @- localhost:9200/_bulk\n  dossier export --ndjson --source nato --lang fr > nato-fr.ndjson"
    )]
    Export(ExportArgs),
}

/// What `export` writes.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["ndjson", "bulk", "quickwit_config"])))]
pub struct ExportArgs {
    /// Every document as a line of JSON (Quickwit ingest, any NDJSON reader).
    #[arg(long)]
    pub ndjson: bool,

    /// Every document as a _bulk request pair for this index (Elasticsearch,
    /// OpenSearch, Quickwit's Elasticsearch-compatible API).
    #[arg(long, value_name = "INDEX")]
    pub bulk: Option<String>,

    /// A Quickwit index config (YAML) mirroring dossier's schema.
    #[arg(long)]
    pub quickwit_config: bool,

    /// The index id the Quickwit config names.
    #[arg(long, default_value = "dossier", value_name = "ID")]
    pub index_id: String,

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

    /// Characters of context on each side.
    #[arg(long, short = 'w', default_value_t = 40, value_name = "CHARS")]
    pub width: usize,

    /// Order of the lines.
    #[arg(long, value_enum, default_value_t = KwicSort::Document)]
    pub sort: KwicSort,

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
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Count per year or per decade.
    #[arg(long, value_enum, default_value_t = TrendBy::Year)]
    pub by: TrendBy,

    /// One series per source, per topic or per language.
    #[arg(long, value_enum)]
    pub split: Option<Split>,

    /// Count occurrences of the query's words and phrases, not documents.
    #[arg(long)]
    pub occurrences: bool,

    /// Print the numbers as CSV: a column per series, a row per year.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,

    /// Print one JSON object: {query, by, unit, series: {name: {year: n}}}.
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

    /// Retries after a 429, a 5xx or a dropped connection, with growing pauses.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub retries: u32,

    /// Seconds before the first retry; each next pause doubles (a server's
    /// Retry-After, if longer, is honoured up to 60 s).
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

    /// How many hits to show (0: only the counts).
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,

    /// Skip this many hits first (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,

    /// Print one JSON object: query, total, hits (id, title, source, lang, year,
    /// topics, path, url, score, snippet), facets (year, source, lang, topic).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The document's id: its path relative to the sources folder.
    #[arg(value_name = "ID")]
    pub id: String,

    /// Print the metadata only, without the text.
    #[arg(long)]
    pub no_text: bool,

    /// Highlight this query's words and phrases in the text.
    #[arg(long = "match", short = 'm', value_name = "QUERY")]
    pub matching: Option<String>,

    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
