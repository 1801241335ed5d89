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
//!     cargo bench --bench relevance -- --ablation     (each part of the ranking)
//!
//! `--ablation` ranks every collection with plain BM25 (title and body as one
//! field, Snowball stems, every query word), then adds each part of the
//! ranking alone (function words left out, the title share, proximity), then
//! all (the default), and prints each one's nDCG@10 with the queries it wins
//! and loses against plain BM25 (a change of more than 0.001 nDCG@10).
//!
//! `--run FILE` writes the ranking in trec_eval's run format (`qid Q0 docid
//! rank score tag`; with several collections, one file each, FILE.<name>).

use std::path::{Path, PathBuf};
use std::time::Instant;

use std::collections::BTreeMap;

mod common;

use common::lucene::{DocsWriter, Lucene};
use dossier::eval::{Qrels, Run, evaluate, ndcg_at, read_qrels, read_queries, write_run};
use dossier::index::{DossierIndex, RefreshOptions, refresh_index};
use dossier::progress::Silent;
use dossier::search::ranking::Ranking;
use dossier::search::{SearchRequest, search};

/// Published nDCG@10 to beat, from ../shared/eval/README.md.
const PUBLISHED: &[(&str, &str)] = &[
    ("scifact", "0.690 Elasticsearch; 0.679 Anserini BM25 flat"),
    ("cranfield", "0.369 Lucene-style BM25, Snowball"),
    ("med", "0.6986 plain BM25 (bm25s)"),
    ("time", "0.6755 plain BM25 (bm25s)"),
    ("lisa", "0.4707 plain BM25 (bm25s)"),
    ("adi", "0.4832 plain BM25 (bm25s)"),
];

struct Options {
    eval: PathBuf,
    collections: Vec<String>,
    run: Option<PathBuf>,
    limit: usize,
    ablation: bool,
}

fn options() -> Options {
    let mut options = Options {
        eval: Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval"),
        collections: Vec::new(),
        run: None,
        limit: 1000,
        ablation: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--eval" => options.eval = args.next().map(PathBuf::from).unwrap_or(options.eval),
            "--collection" => options.collections.extend(args.next()),
            "--run" => options.run = args.next().map(PathBuf::from),
            "--limit" => options.limit = args.next().and_then(|v| v.parse().ok()).unwrap_or(1000),
            "--ablation" => options.ablation = true,
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
    if options.ablation {
        ablation(&options, &names);
        return;
    }
    let lucene = Lucene::find();
    if lucene.is_none() {
        println!(
            "Lucene 9 column skipped: benches/install-tools.sh puts Anserini's jar in target/tools, and java must be on the PATH"
        );
    }
    println!(
        "{:<12} {:>8} {:>8} {:>8} {:>7} {:>10} {:>17}  published nDCG@10",
        "collection", "nDCG@10", "MAP", "R@100", "queries", "ms/query", "Lucene 9 .9/.4 1.2/.75"
    );
    for name in &names {
        let (index, queries, qrels, _work) = open_collection(&options.eval, name);
        let started = Instant::now();
        let run = rank(
            &index,
            name,
            &queries,
            &qrels,
            Ranking::DEFAULT,
            options.limit,
        );
        let per_query = started.elapsed().as_secs_f64() * 1e3 / run.len().max(1) as f64;
        let scores = evaluate(&run, &qrels);
        let published = PUBLISHED
            .iter()
            .find(|(n, _)| n == name)
            .map_or("-", |(_, p)| p);
        let lucene = match &lucene {
            Some(lucene) => lucene_ndcg10(lucene, &options.eval.join(name), &queries, &qrels)
                .map_or_else(
                    |e| format!("failed: {e}"),
                    |[a, b]| format!("{a:.4} {b:.4}"),
                ),
            None => "-".to_string(),
        };
        println!(
            "{name:<12} {:>8.4} {:>8.4} {:>8.4} {:>7} {per_query:>10.2} {lucene:>17}  {published}",
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

/// A collection indexed through dossier's own refresh (its `corpus.jsonl`
/// read as a collection), its queries and judgments; the temporary folder
/// lives as long as the index is used.
fn open_collection(
    eval: &Path,
    name: &str,
) -> (
    DossierIndex,
    BTreeMap<String, String>,
    Qrels,
    tempfile::TempDir,
) {
    let dir = eval.join(name);
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
    (index, queries, qrels, work)
}

/// Every judged query, ranked as `dossier search --plain --limit LIMIT`
/// would with this ranking.
fn rank(
    index: &DossierIndex,
    name: &str,
    queries: &BTreeMap<String, String>,
    qrels: &Qrels,
    ranking: Ranking,
    limit: usize,
) -> Run {
    let prefix = format!("{name}/corpus.jsonl#");
    let mut run = Run::new();
    for qid in qrels.keys() {
        let Some(text) = queries.get(qid) else {
            continue;
        };
        let request = SearchRequest {
            plain: true,
            limit,
            snippets: false,
            ranking,
            ..SearchRequest::new(text.clone())
        };
        let hits = match search(index, &request) {
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
        run.insert(qid.clone(), hits);
    }
    run
}

/// nDCG@10 of each judged query.
fn per_query(run: &Run, qrels: &Qrels) -> BTreeMap<String, f64> {
    let empty = Vec::new();
    qrels
        .iter()
        .filter(|(_, j)| j.values().any(|g| *g > 0))
        .map(|(qid, judged)| {
            let ranking = run.get(qid).unwrap_or(&empty);
            (qid.clone(), ndcg_at(ranking, judged, 10))
        })
        .collect()
}

/// Each part of the ranking alone on plain BM25, then all of them: nDCG@10,
/// and the queries won and lost against plain BM25.
fn ablation(options: &Options, names: &[String]) {
    let plain = Ranking::PLAIN_BM25;
    let configurations: [(&str, Ranking); 6] = [
        ("plain BM25", plain),
        (
            "+ function words out",
            Ranking {
                stop_words: true,
                ..plain
            },
        ),
        (
            "+ title share",
            Ranking {
                title_weight: Ranking::DEFAULT.title_weight,
                ..plain
            },
        ),
        (
            "+ proximity",
            Ranking {
                window_weight: Ranking::DEFAULT.window_weight,
                ..plain
            },
        ),
        (
            "all, side by side too",
            Ranking {
                adjacent_weight: 0.1,
                ..Ranking::DEFAULT
            },
        ),
        ("default (all)", Ranking::DEFAULT),
    ];
    println!("nDCG@10 (queries won / lost against plain BM25 by more than 0.001)");
    print!("{:<22}", "configuration");
    for name in names {
        print!(" {name:>16}");
    }
    println!();
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); configurations.len()];
    for name in names {
        let (index, queries, qrels, _work) = open_collection(&options.eval, name);
        let mut baseline = BTreeMap::new();
        for (row, (_, ranking)) in configurations.iter().enumerate() {
            let run = rank(&index, name, &queries, &qrels, *ranking, options.limit);
            let scores = evaluate(&run, &qrels);
            let each = per_query(&run, &qrels);
            if row == 0 {
                baseline = each.clone();
                rows[row].push(format!("{:.4}", scores.ndcg10));
                continue;
            }
            let won = each
                .iter()
                .filter(|(q, v)| **v > baseline[*q] + 0.001)
                .count();
            let lost = each
                .iter()
                .filter(|(q, v)| **v < baseline[*q] - 0.001)
                .count();
            rows[row].push(format!("{:.4} {won:>3}/{lost:<3}", scores.ndcg10));
        }
    }
    for ((label, _), cells) in configurations.iter().zip(rows) {
        print!("{label:<22}");
        for cell in cells {
            print!(" {cell:>16}");
        }
        println!();
    }
}

/// Lucene 9 beside dossier (benches/common/lucene.rs): BM25 over title and
/// text as one field with Lucene's English analyser, at Lucene's two usual
/// settings (k1 0.9, b 0.4 and k1 1.2, b 0.75), top 1,000, scored by the same
/// evaluation as dossier's runs: nDCG@10 at each setting.
fn lucene_ndcg10(
    lucene: &Lucene,
    collection: &Path,
    queries: &BTreeMap<String, String>,
    qrels: &Qrels,
) -> Result<[f64; 2], String> {
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let docs = work.path().join("docs");
    // {"_id", "title", "text"} -> {"id", "contents"}: title and text as one field.
    let corpus =
        std::fs::read_to_string(collection.join("corpus.jsonl")).map_err(|e| e.to_string())?;
    let lines: Vec<&str> = corpus.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut writer = DocsWriter::create(&docs, 1, lines.len()).map_err(|e| e.to_string())?;
    for line in lines {
        let doc: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let id = match &doc["_id"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let contents = format!(
            "{} {}",
            doc["title"].as_str().unwrap_or(""),
            doc["text"].as_str().unwrap_or("")
        );
        writer.add(&id, &contents).map_err(|e| e.to_string())?;
    }
    writer.finish().map_err(|e| e.to_string())?;
    let mut topics = String::new();
    for qid in qrels.keys() {
        if let Some(text) = queries.get(qid) {
            let text: String = text
                .chars()
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .collect();
            topics.push_str(&format!("{qid}\t{text}\n"));
        }
    }
    let topics_path = work.path().join("topics.tsv");
    std::fs::write(&topics_path, topics).map_err(|e| e.to_string())?;
    let index = work.path().join("index");
    let path = |p: &Path| p.to_string_lossy().into_owned();
    lucene.index(&docs, &index, 1)?;
    let mut figures = [0.0; 2];
    for (figure, (k1, b)) in figures.iter_mut().zip([("0.9", "0.4"), ("1.2", "0.75")]) {
        let run_path = work.path().join(format!("run-{k1}-{b}.txt"));
        lucene.run(
            "io.anserini.search.SearchCollection",
            &[
                "-index",
                &path(&index),
                "-topics",
                &path(&topics_path),
                "-topicreader",
                "TsvString",
                "-output",
                &path(&run_path),
                "-bm25",
                "-bm25.k1",
                k1,
                "-bm25.b",
                b,
                "-hits",
                "1000",
            ],
        )?;
        let mut run = Run::new();
        for line in std::fs::read_to_string(&run_path)
            .map_err(|e| e.to_string())?
            .lines()
        {
            let cells: Vec<&str> = line.split_whitespace().collect();
            if let [qid, _, doc, _, score, ..] = cells[..] {
                run.entry(qid.to_string())
                    .or_default()
                    .push((doc.to_string(), score.parse().unwrap_or(0.0)));
            }
        }
        *figure = evaluate(&run, qrels).ndcg10;
    }
    Ok(figures)
}
