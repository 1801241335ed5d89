//! Hits with equal scores come in id order, whatever segment each landed in
//! (which depends on the indexing thread that took it, so that the same
//! sources indexed twice listed tied hits in two orders).

use serde_json::Value;

use crate::common::Workspace;
use crate::common::rng::Rng;

/// Six documents of the same text, so the same score for any query,
/// indexed one refresh each in the order c, a, f, d, b, e: six segments,
/// which tantivy lists in an order of their own (by their random ids), so
/// that before, the tied hits came in id order once in 720 runs.
fn workspace() -> Workspace {
    let ws = Workspace::new();
    for name in ["c", "a", "f", "d", "b", "e"] {
        ws.write(
            &format!("memos/{name}.txt"),
            "Ceasefire monitoring\n\nThe ceasefire holds along the boundary line.",
        );
        ws.index_json();
    }
    ws
}

fn hits(ws: &Workspace, args: &[&str]) -> Vec<(String, f64)> {
    let (_, json) = ws.search(args);
    json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit: &Value| {
            (
                hit["id"].as_str().unwrap().to_string(),
                hit["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn ids(hits: &[(String, f64)]) -> Vec<&str> {
    hits.iter().map(|(id, _)| id.as_str()).collect()
}

#[test]
fn tied_hits_are_listed_by_id_on_every_page() {
    let ws = workspace();
    let all = [
        "memos/a.txt",
        "memos/b.txt",
        "memos/c.txt",
        "memos/d.txt",
        "memos/e.txt",
        "memos/f.txt",
    ];
    // A word, a query with a proximity bonus (ranked again), everything.
    for query in ["ceasefire", "ceasefire holds", "*"] {
        let found = hits(&ws, &[query]);
        assert!(
            found.iter().all(|(_, score)| *score == found[0].1),
            "{query}: the scores should tie: {found:?}"
        );
        assert_eq!(ids(&found), all, "{query}");
        // A page cut inside the tie keeps the smaller ids, and the next
        // page goes on from there.
        assert_eq!(
            ids(&hits(&ws, &[query, "--limit", "2"])),
            all[..2],
            "{query}"
        );
        assert_eq!(
            ids(&hits(&ws, &[query, "--limit", "2", "--offset", "1"])),
            all[1..3],
            "{query}"
        );
        assert_eq!(
            ids(&hits(&ws, &[query, "--limit", "1", "--offset", "5"])),
            all[5..],
            "{query}"
        );
    }
}

/// Many documents of four texts (four scores for a word, many ties), in
/// two refreshes (segments of more documents than a page keeps while it
/// collects), their ids in no order: every page, of any length and offset,
/// is the slice of the whole ranking by score then id.
#[test]
fn every_page_is_a_slice_of_one_order() {
    let ws = Workspace::new();
    let texts = [
        "Ceasefire report\n\nThe ceasefire holds.",
        "Ceasefire report\n\nThe ceasefire holds, and the ceasefire line is quiet.",
        "Monitoring report\n\nObservers saw the ceasefire hold along the line of contact.",
        "Monitoring report\n\nNothing to report from the northern valleys this week, where the ceasefire was signed.",
    ];
    let mut rng = Rng(0x7ee5_1e55);
    let mut names: Vec<usize> = (0..300).collect();
    for i in (1..names.len()).rev() {
        names.swap(i, rng.below(i + 1));
    }
    for batch in names.chunks(150) {
        for &n in batch {
            ws.write(&format!("memos/{n:03}.txt"), texts[rng.below(texts.len())]);
        }
        ws.index_json();
    }
    for query in ["ceasefire", "ceasefire line", "*"] {
        let whole = hits(&ws, &[query]);
        assert!(whole.len() >= 140, "{query}: {}", whole.len());
        let mut expected = whole.clone();
        expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(whole, expected, "{query}: not by score, then id");
        for (limit, offset) in [
            (1, 0),
            (2, 0),
            (7, 0),
            (10, 0),
            (10, 3),
            (33, 1),
            (64, 40),
            (100, 49),
            (3, 147),
        ] {
            let page = hits(
                &ws,
                &[
                    query,
                    "--limit",
                    &limit.to_string(),
                    "--offset",
                    &offset.to_string(),
                ],
            );
            let start = offset.min(whole.len());
            let end = (offset + limit).min(whole.len());
            assert_eq!(
                page,
                whole[start..end],
                "{query} --limit {limit} --offset {offset}"
            );
        }
    }
}
