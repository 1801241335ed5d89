//! Speed of the index-and-search path on the real corpus (`../shared/corpus`):
//! full build, refresh with nothing changed, and whole-process query time of
//! the `dossier` binary (start, open, search, print), medians of several runs.
//!
//! Run: `cargo bench --bench index_and_search` (skips, saying why, without
//! `../shared/corpus`). Figures go in the README, never in timed tests.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use dossier::index::{RefreshOptions, refresh_index};

const RUNS: usize = 7;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[samples.len() / 2]
}

fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let meta = std::fs::metadata(&path);
        match meta {
            Ok(m) if m.is_dir() => total += dir_bytes(&path),
            Ok(m) => total += m.len(),
            Err(_) => {}
        }
    }
    total
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: ../shared/corpus is absent (it lies beside the project root in CI)");
        return;
    }
    let work = tempfile::tempdir().expect("temporary folder");
    let index = work.path().join("index");
    let input_mb = dir_bytes(&corpus) as f64 / 1e6;

    let started = Instant::now();
    let summary = refresh_index(&corpus, &index, &RefreshOptions::default()).expect("build");
    let build = started.elapsed().as_secs_f64();
    println!(
        "full build        {:>8.2} s  {} documents, {:.0} MB in, {:.1} MB/s, index {:.0} MB",
        build,
        summary.documents,
        input_mb,
        input_mb / build,
        dir_bytes(&index) as f64 / 1e6
    );

    let refresh: Vec<f64> = (0..RUNS)
        .map(|_| {
            let s = refresh_index(&corpus, &index, &RefreshOptions::default()).expect("refresh");
            assert_eq!(s.added + s.updated + s.removed, 0);
            s.seconds
        })
        .collect();
    println!(
        "refresh, no change{:>8.3} s  median of {RUNS}",
        median(refresh)
    );

    let binary = env!("CARGO_BIN_EXE_dossier");
    for query in [
        "\"human security\"",
        "nuclear disarmament",
        "civilians source:un-security-council year:1990..1999",
    ] {
        let run = || {
            let started = Instant::now();
            let out = Command::new(binary)
                .args(["--sources"])
                .arg(&corpus)
                .arg("--index")
                .arg(&index)
                .args(["search", query])
                .output()
                .expect("run dossier");
            assert!(out.status.code().is_some_and(|c| c <= 1));
            started.elapsed().as_secs_f64()
        };
        run(); // warm the page cache
        let samples: Vec<f64> = (0..RUNS).map(|_| run()).collect();
        println!(
            "search {:<40} {:>6.1} ms  whole process, median of {RUNS}",
            query,
            median(samples) * 1e3
        );
    }
}
