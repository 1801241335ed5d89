//! End to end over the real UN documents in `../shared/corpus` (skipped, saying
//! why, when that folder is absent): a mix of resolutions, General Debate
//! speeches (folders with spaces, BOMs, CRLF), library HTML pages and SDG texts,
//! linked into a temporary sources folder. Phrase hits are compared one by one
//! with an independent count over the same files.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{Workspace, nonzero, shared_corpus};
use regex::Regex;

const SESSIONS: &[&str] = &[
    "Session 49 - 1994",
    "Session 54 - 1999",
    "Session 58 - 2003",
    "Session 70 - 2015",
];

fn link(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Ids of the text files whose words contain `phrase`, case-insensitively,
/// with any run of non-word characters between the words: an independent
/// reading of what a phrase match means.
fn independent_phrase_ids(ws: &Workspace, folders: &[&str], phrase: &str) -> BTreeSet<String> {
    independent_occurrences(ws, folders, phrase)
        .into_keys()
        .collect()
}

/// Occurrences per document of `phrase`, by that independent reading.
fn independent_occurrences(
    ws: &Workspace,
    folders: &[&str],
    phrase: &str,
) -> std::collections::BTreeMap<String, u64> {
    let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
    let pattern = Regex::new(&format!(r"(?i)\b{}\b", words.join(r"[\W_]+"))).unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for folder in folders {
        for path in files_under(&ws.sources().join(folder)) {
            let bytes = std::fs::read(&path).unwrap();
            let text =
                String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
                    .into_owned();
            let n = pattern.find_iter(&text).count() as u64;
            if n > 0 {
                counts.insert(
                    path.strip_prefix(ws.sources())
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .to_string(),
                    n,
                );
            }
        }
    }
    counts
}

#[test]
fn real_corpus_mix_indexes_and_searches_exactly() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let ws = Workspace::new();
    link(
        &corpus.join("un-security-council"),
        &ws.sources().join("un-security-council"),
    );
    link(
        &corpus.join("un-library-html"),
        &ws.sources().join("un-library-html"),
    );
    link(&corpus.join("sdg/en"), &ws.sources().join("sdg/en"));
    for session in SESSIONS {
        link(
            &corpus.join("un-general-debate").join(session),
            &ws.sources().join("un-general-debate").join(session),
        );
    }
    let expected_files = files_under(&ws.sources()).len() as u64;
    assert!(expected_files > 1500, "{expected_files}");

    let summary = ws.index_json();
    assert_eq!(summary["added"], expected_files, "{summary}");
    assert_eq!(summary["failed"].as_array().unwrap().len(), 0, "{summary}");

    // Phrases, document by document, against the independent count.
    let text_folders = ["un-security-council", "un-general-debate"];
    for phrase in [
        "human security",
        "protection of civilians",
        "Security Council",
        "international peace and security",
    ] {
        let expected = independent_phrase_ids(&ws, &text_folders, phrase);
        let (_, json) = ws.search(&[
            &format!("\"{phrase}\""),
            "--source",
            "un-security-council",
            "--source",
            "un-general-debate",
            "--limit",
            "5000",
        ]);
        let found: BTreeSet<String> = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(json["total"].as_u64().unwrap() as usize, found.len());
        assert_eq!(found, expected, "phrase {phrase:?}");
        assert!(!found.is_empty(), "{phrase}");

        // Facet counts agree with the hits.
        let mut by_year = std::collections::BTreeMap::<String, u64>::new();
        for hit in json["hits"].as_array().unwrap() {
            *by_year.entry(hit["year"].to_string()).or_default() += 1;
        }
        let facet_years: std::collections::BTreeMap<String, u64> = json["facets"]["year"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect();
        assert_eq!(facet_years, by_year, "{phrase}");
    }

    // Years come from the file names for resolutions and speeches.
    let (_, json) = ws.search(&[
        "council",
        "--source",
        "un-security-council",
        "--limit",
        "2000",
    ]);
    let year_in_name = Regex::new(r"_(\d{4})_EN").unwrap();
    for hit in json["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap();
        let year: u64 = year_in_name.captures(id).unwrap()[1].parse().unwrap();
        assert_eq!(hit["year"].as_u64(), Some(year), "{id}");
    }
    let (_, json) = ws.search(&[
        "*",
        "--source",
        "un-general-debate",
        "--year",
        "1999",
        "--limit",
        "0",
    ]);
    let session_files =
        files_under(&ws.sources().join("un-general-debate/Session 54 - 1999")).len() as u64;
    assert_eq!(json["total"], session_files);

    // The library pages: HTML tables, one page per year (and a veto table).
    let phrase = "Meetings conducted by the Security Council";
    let expected = independent_phrase_ids(&ws, &["un-library-html"], phrase);
    assert_eq!(expected.len(), 78);
    assert_eq!(
        ws.ids(&[&format!("\"{phrase}\""), "--source", "un-library-html"])
            .into_iter()
            .collect::<BTreeSet<_>>(),
        expected
    );
    let (_, json) = ws.search(&["\"S/RES/1325\"", "--source", "un-library-html"]);
    assert_eq!(json["hits"][0]["year"], 2000, "{json}");

    // Concordance counts, document by document, and trends against facets.
    for phrase in ["human security", "Security Council", "Kosovo"] {
        let expected = independent_occurrences(&ws, &text_folders, phrase);
        let run = ws.run(&[
            "kwic",
            &format!("\"{phrase}\""),
            "--count",
            "--json",
            "--source",
            "un-security-council",
            "--source",
            "un-general-debate",
        ]);
        let json = run.json();
        let found: std::collections::BTreeMap<String, u64> = json["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().unwrap().to_string(),
                    d["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(found, expected, "{phrase}");
        assert_eq!(
            json["total"].as_u64().unwrap(),
            expected.values().sum::<u64>()
        );
        let query = format!("\"{phrase}\"");
        let trend = ws.run(&["trend", &query, "--json"]).json();
        let (_, search) = ws.search(&[&query, "--limit", "0"]);
        assert_eq!(
            nonzero(&trend["series"]["all"]),
            search["facets"]["year"],
            "{phrase}"
        );
    }

    // A second refresh with nothing changed does no work.
    let summary = ws.index_json();
    assert_eq!(summary["unchanged"], expected_files);
    assert_eq!(
        summary["added"].as_u64().unwrap() + summary["updated"].as_u64().unwrap(),
        0
    );
}

/// Snippets stem only words that start with a highlighted stem less its last
/// two letters (`search::matcher::stem_prefix`): that must hold for every word.
#[test]
fn every_word_starts_with_its_stems_prefix() {
    let Some(corpus) = crate::common::shared_corpus() else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
    let mut seen = std::collections::HashSet::new();
    let mut broken = Vec::new();
    let mut stack = vec![corpus];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            dossier::text::analysis::for_each_exact_token(&text, |_, _, _, word| {
                if seen.insert(word.to_string()) {
                    let stem = stemmer.stem(word);
                    let prefix = dossier::search::matcher::stem_prefix(&stem);
                    if !word.starts_with(&prefix) {
                        broken.push(format!("{word} → {stem}"));
                    }
                }
            });
        }
    }
    assert!(seen.len() > 100_000, "{} words", seen.len());
    assert!(broken.is_empty(), "{broken:?}");
}
