//! Relevance evaluation with trec_eval's definitions, for BEIR-layout test
//! collections (`corpus.jsonl`, `queries.jsonl`, `qrels/test.tsv`). Used by
//! `benches/relevance.rs`; kept in the library so the metrics are unit-tested.
//!
//! - nDCG@k: gain = the judged grade, discount log2(rank + 1), normalised by the
//!   ideal ordering of all judged documents (trec_eval `ndcg_cut`).
//! - MAP: mean over queries of average precision over the whole ranking, each
//!   relevant document retrieved at rank r adding precision@r, divided by the
//!   number of relevant documents (`map`).
//! - recall@k: relevant documents in the top k over all relevant (`recall_k`).
//!
//! Like trec_eval, a ranking is ordered by score, ties broken by document id
//! in decreasing order. Queries with judgments but no results count as zero.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::path::Path;

/// query id → document id → grade (only grades > 0 are relevant).
pub type Qrels = BTreeMap<String, HashMap<String, u32>>;
/// query id → (document id, score) in the engine's order.
pub type Run = BTreeMap<String, Vec<(String, f64)>>;

pub fn read_qrels(path: &Path) -> std::io::Result<Qrels> {
    let mut qrels = Qrels::new();
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        let parts: Vec<&str> = line.split('\t').collect();
        if parts.len() < 3 || parts[0] == "query-id" {
            continue;
        }
        let grade: i64 = parts[2].trim().parse().unwrap_or(0);
        qrels
            .entry(parts[0].to_string())
            .or_default()
            .insert(parts[1].to_string(), grade.max(0) as u32);
    }
    Ok(qrels)
}

/// `_id` → text of `queries.jsonl`.
pub fn read_queries(path: &Path) -> std::io::Result<BTreeMap<String, String>> {
    let mut queries = BTreeMap::new();
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let id = match &value["_id"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => continue,
        };
        queries.insert(id, value["text"].as_str().unwrap_or("").to_string());
    }
    Ok(queries)
}

/// trec_eval's order: score descending, then document id descending.
fn trec_order(ranking: &[(String, f64)]) -> Vec<&(String, f64)> {
    let mut sorted: Vec<&(String, f64)> = ranking.iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    sorted
}

pub fn ndcg_at(ranking: &[(String, f64)], judged: &HashMap<String, u32>, k: usize) -> f64 {
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let dcg: f64 = trec_order(ranking)
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, (doc, _))| judged.get(doc).copied().unwrap_or(0) as f64 * discount(i))
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().filter(|g| *g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, g)| *g as f64 * discount(i))
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

pub fn average_precision(ranking: &[(String, f64)], judged: &HashMap<String, u32>) -> f64 {
    let relevant = judged.values().filter(|g| **g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let mut found = 0;
    let mut sum = 0.0;
    for (i, (doc, _)) in trec_order(ranking).iter().enumerate() {
        if judged.get(doc).is_some_and(|g| *g > 0) {
            found += 1;
            sum += found as f64 / (i + 1) as f64;
        }
    }
    sum / relevant as f64
}

pub fn recall_at(ranking: &[(String, f64)], judged: &HashMap<String, u32>, k: usize) -> f64 {
    let relevant = judged.values().filter(|g| **g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = trec_order(ranking)
        .iter()
        .take(k)
        .filter(|(doc, _)| judged.get(doc).is_some_and(|g| *g > 0))
        .count();
    found as f64 / relevant as f64
}

/// Mean nDCG@10, MAP and recall@100 over every judged query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub ndcg10: f64,
    pub map: f64,
    pub recall100: f64,
    pub queries: usize,
}

pub fn evaluate(run: &Run, qrels: &Qrels) -> Scores {
    let empty = Vec::new();
    let judged: Vec<(&String, &HashMap<String, u32>)> = qrels
        .iter()
        .filter(|(_, j)| j.values().any(|g| *g > 0))
        .collect();
    let n = judged.len().max(1) as f64;
    let mut scores = Scores {
        ndcg10: 0.0,
        map: 0.0,
        recall100: 0.0,
        queries: judged.len(),
    };
    for (qid, judgments) in judged {
        let ranking = run.get(qid).unwrap_or(&empty);
        scores.ndcg10 += ndcg_at(ranking, judgments, 10) / n;
        scores.map += average_precision(ranking, judgments) / n;
        scores.recall100 += recall_at(ranking, judgments, 100) / n;
    }
    scores
}

/// Writes a run in trec_eval's format: `qid Q0 docid rank score tag`.
pub fn write_run(out: &mut dyn Write, run: &Run, tag: &str) -> std::io::Result<()> {
    for (qid, ranking) in run {
        for (rank, (doc, score)) in ranking.iter().enumerate() {
            writeln!(out, "{qid} Q0 {doc} {} {score:.6} {tag}", rank + 1)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(docs: &[&str]) -> Vec<(String, f64)> {
        docs.iter()
            .enumerate()
            .map(|(i, d)| (d.to_string(), 10.0 - i as f64))
            .collect()
    }

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    #[test]
    fn metrics_by_hand() {
        let r = ranking(&["a", "b", "c", "d"]);
        let j = judged(&[("b", 1), ("d", 1), ("z", 1)]);
        // AP: relevant at ranks 2 and 4, three relevant in all: (1/2 + 2/4) / 3.
        assert!((average_precision(&r, &j) - (0.5 + 0.5) / 3.0).abs() < 1e-12);
        assert!((recall_at(&r, &j, 2) - 1.0 / 3.0).abs() < 1e-12);
        // nDCG@10: (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/log2 4).
        let expected = (1.0 / 3f64.log2() + 1.0 / 5f64.log2()) / (1.0 + 1.0 / 3f64.log2() + 0.5);
        assert!((ndcg_at(&r, &j, 10) - expected).abs() < 1e-12);
    }

    #[test]
    fn graded_gains_and_ties() {
        // Ties on score are broken by document id, decreasing (trec_eval).
        let r = vec![("a".to_string(), 1.0), ("b".to_string(), 1.0)];
        let j = judged(&[("a", 3)]);
        let expected = (3.0 / 3f64.log2()) / 3.0;
        assert!((ndcg_at(&r, &j, 10) - expected).abs() < 1e-12);
    }

    #[test]
    fn unanswered_queries_count_as_zero() {
        let mut qrels = Qrels::new();
        qrels.insert("1".into(), judged(&[("a", 1)]));
        qrels.insert("2".into(), judged(&[("b", 1)]));
        let mut run = Run::new();
        run.insert("1".into(), ranking(&["a"]));
        let scores = evaluate(&run, &qrels);
        assert_eq!((scores.ndcg10, scores.queries), (0.5, 2));
    }
}
