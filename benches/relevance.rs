//! Ranking quality on real test collections with human judgments.
//!
//! For each collection in `../shared/eval` (BEIR layout), the corpus is indexed
//! through dossier's own refresh (its `corpus.jsonl` read as a collection, the
//! same schema and analysers as any index), every judged query runs through
//! the same search as `dossier search --plain --limit 1000`, and nDCG@10, MAP
//! and recall@100 (trec_eval's definitions, `src/eval.rs`) are printed next to
//! the published BM25 figures.
//!
//!     cargo bench --bench relevance
//!     cargo bench --bench relevance -- --collection scifact --run scifact.run
//!     cargo bench --bench relevance -- --eval DIR     (other BEIR collections)
//!     cargo bench --bench relevance -- --limit 10     (as an interactive search)
//!
//! `--run FILE` writes the ranking in trec_eval's run format (`qid Q0 docid
//! rank score tag`; with several collections, one file each, FILE.<name>).

use std::path::{Path, PathBuf};
use std::time::Instant;

use dossier::eval::{Run, evaluate, read_qrels, read_queries, write_run};
use dossier::index::{DossierIndex, RefreshOptions, refresh_index};
use dossier::progress::Silent;
use dossier::search::{SearchRequest, search};

/// Published nDCG@10 to beat, from ../shared/eval/README.md.
const PUBLISHED: &[(&str, &str)] = &[
    ("scifact", "0.690 Elasticsearch; 0.679 Anserini BM25 flat"),
    ("cranfield", "0.369 Lucene-style BM25, Snowball"),
];

struct Options {
    eval: PathBuf,
    collections: Vec<String>,
    run: Option<PathBuf>,
    limit: usize,
}

fn options() -> Options {
    let mut options = Options {
        eval: Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval"),
        collections: Vec::new(),
        run: None,
        limit: 1000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--eval" => options.eval = args.next().map(PathBuf::from).unwrap_or(options.eval),
            "--collection" => options.collections.extend(args.next()),
            "--run" => options.run = args.next().map(PathBuf::from),
            "--limit" => options.limit = args.next().and_then(|v| v.parse().ok()).unwrap_or(1000),
            _ => {} // cargo bench passes --bench
        }
    }
    options
}

fn main() {
    let options = options();
    if !options.eval.is_dir() {
        println!(
            "skipped: {} is absent (../shared/eval lies beside the project root in CI)",
            options.eval.display()
        );
        return;
    }
    let mut names: Vec<String> = std::fs::read_dir(&options.eval)
        .expect("read eval folder")
        .flatten()
        .filter(|e| {
            e.path().join("corpus.jsonl").is_file() && e.path().join("qrels/test.tsv").is_file()
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| options.collections.is_empty() || options.collections.contains(n))
        .collect();
    names.sort();
    println!(
        "{:<12} {:>8} {:>8} {:>8} {:>7} {:>10}  published nDCG@10",
        "collection", "nDCG@10", "MAP", "R@100", "queries", "ms/query"
    );
    for name in &names {
        let dir = options.eval.join(name);
        let work = tempfile::tempdir().expect("temporary folder");
        let sources = work.path().join("sources");
        std::fs::create_dir_all(sources.join(name)).expect("sources folder");
        std::os::unix::fs::symlink(
            dir.join("corpus.jsonl"),
            sources.join(name).join("corpus.jsonl"),
        )
        .expect("link corpus");
        let index_dir = work.path().join("index");
        refresh_index(&sources, &index_dir, &RefreshOptions::default(), &Silent)
            .expect("index the collection");
        let index = DossierIndex::open(&index_dir).expect("open index");

        let qrels = read_qrels(&dir.join("qrels/test.tsv")).expect("qrels");
        let queries = read_queries(&dir.join("queries.jsonl")).expect("queries");
        let prefix = format!("{name}/corpus.jsonl#");
        let mut run = Run::new();
        let started = Instant::now();
        for qid in qrels.keys() {
            let Some(text) = queries.get(qid) else {
                continue;
            };
            let request = SearchRequest {
                plain: true,
                limit: options.limit,
                snippets: false,
                ..SearchRequest::new(text.clone())
            };
            let ranking = match search(&index, &request) {
                Ok(results) => results
                    .hits
                    .into_iter()
                    .map(|h| {
                        (
                            h.id.strip_prefix(&prefix).unwrap_or(&h.id).to_string(),
                            h.score as f64,
                        )
                    })
                    .collect(),
                Err(_) => Vec::new(), // a query of punctuation only: no results
            };
            run.insert(qid.clone(), ranking);
        }
        let per_query = started.elapsed().as_secs_f64() * 1e3 / run.len().max(1) as f64;
        let scores = evaluate(&run, &qrels);
        let published = PUBLISHED
            .iter()
            .find(|(n, _)| n == name)
            .map_or("-", |(_, p)| p);
        println!(
            "{name:<12} {:>8.4} {:>8.4} {:>8.4} {:>7} {per_query:>10.2}  {published}",
            scores.ndcg10, scores.map, scores.recall100, scores.queries
        );
        if let Some(path) = &options.run {
            let path = if names.len() == 1 {
                path.clone()
            } else {
                PathBuf::from(format!("{}.{name}", path.display()))
            };
            let mut file = std::fs::File::create(&path).expect("create run file");
            write_run(&mut file, &run, "dossier").expect("write run file");
        }
    }
}
