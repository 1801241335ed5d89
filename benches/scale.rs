//! How dossier's costs grow with the corpus: generated corpora (see
//! `benches/common/corpus.rs`) of increasing size, each measured for build
//! time, index size, peak memory, refresh with nothing changed, and a phrase
//! query against `rg -i -c` over the same files.
//!
//! ```sh
//! cargo bench --bench scale                                    # 10k and 100k documents, 3,000 words mean
//! cargo bench --bench scale -- --docs 10000,100000,1000000 --words 300
//! cargo bench --bench scale -- --docs 100000 --phrase "united nations"
//! cargo bench --bench scale -- --baseline OLD/target/release/dossier   # before/after, one run
//! ```
//!
//! With `--baseline`, another dossier binary (an earlier commit's) builds its
//! own index of the same corpus and answers the same phrase, in the same run.
//!
//! Corpora are generated once into `target/scale/<docs>-<words>` and reused.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::corpus::{Settings, generate};
use common::{
    arg, dir_bytes, find_tool, median, project_dir, run_sampling_memory, time_median, time_once,
};

fn main() {
    let sizes: Vec<usize> = arg("--docs")
        .unwrap_or_else(|| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let words: usize = arg("--words").and_then(|v| v.parse().ok()).unwrap_or(3_000);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(11);
    let phrase = arg("--phrase").unwrap_or_else(|| "human security".into());
    let baseline = arg("--baseline").map(PathBuf::from);
    let dossier = PathBuf::from(env!("CARGO_BIN_EXE_dossier"));
    let rg = find_tool("rg", &[]);
    if rg.is_none() {
        println!("ripgrep not found: its column is skipped (bash benches/install-tools.sh)");
    }

    println!("phrase: \"{phrase}\"");
    println!(
        "{:>9} {:>8} {:>9} {:>9} {:>13} {:>9} {:>11} {:>10} {:>10} {:>9}",
        "documents",
        "MB",
        "build s",
        "MB/s",
        "heap+map MB",
        "index MB",
        "refresh s",
        "phrase ms",
        "rg ms",
        "ratio"
    );
    for &docs in &sizes {
        let root = project_dir().join(format!("target/scale/{docs}-{words}"));
        let sources = root.join("sources");
        if !sources.join(".complete").exists() {
            let _ = std::fs::remove_dir_all(&root);
            let started = Instant::now();
            let bytes = generate(
                &sources,
                &Settings {
                    docs,
                    words,
                    seed: 1,
                },
            );
            std::fs::write(sources.join(".complete"), b"").unwrap();
            eprintln!(
                "generated {docs} documents, {:.0} MB, in {:.0} s",
                bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
        }
        let corpus_mb = dir_bytes(&sources) as f64 / 1e6;
        let index = root.join("index");
        let _ = std::fs::remove_dir_all(&index);
        let s = sources.display().to_string();
        let i = index.display().to_string();
        let (build, anon, file) =
            run_sampling_memory(&dossier, &["--sources", &s, "--index", &i, "index", "-q"]);
        let refresh = median(
            (0..3)
                .map(|_| time_once(&dossier, &["--sources", &s, "--index", &i, "index", "-q"]))
                .collect(),
        );
        let quoted = format!("\"{phrase}\"");
        let phrase_s = time_median(
            &dossier,
            &["--sources", &s, "--index", &i, "search", &quoted],
            runs,
        );
        let rg_s = rg
            .as_ref()
            // -F: the phrase as written, never a regular expression.
            .map(|rg| time_median(rg, &["-i", "-c", "-F", &phrase, &s], 3));
        println!(
            "{:>9} {:>8.0} {:>9.1} {:>9.1} {:>13} {:>9.0} {:>11.3} {:>10.1} {:>10} {:>9}",
            docs,
            corpus_mb,
            build,
            corpus_mb / build,
            format!("{anon:.0}+{file:.0}"),
            dir_bytes(&index) as f64 / 1e6,
            refresh,
            phrase_s * 1000.0,
            rg_s.map_or("—".into(), |r| format!("{:.0}", r * 1000.0)),
            rg_s.map_or("—".into(), |r| format!("{:.0}×", r / phrase_s)),
        );
        if let Some(baseline) = &baseline {
            let index = root.join("index-baseline");
            let _ = std::fs::remove_dir_all(&index);
            let i = index.display().to_string();
            let (build, anon, file) =
                run_sampling_memory(baseline, &["--sources", &s, "--index", &i, "index", "-q"]);
            let phrase_s = time_median(
                baseline,
                &["--sources", &s, "--index", &i, "search", &quoted],
                runs,
            );
            println!(
                "{:>9} {:>8} {:>9.1} {:>9.1} {:>13} {:>9.0} {:>11} {:>10.1} {:>10} {:>9}  (baseline)",
                "",
                "",
                build,
                corpus_mb / build,
                format!("{anon:.0}+{file:.0}"),
                dir_bytes(&index) as f64 / 1e6,
                "",
                phrase_s * 1000.0,
                "",
                rg_s.map_or("—".into(), |r| format!("{:.0}×", r / phrase_s)),
            );
            let _ = std::fs::remove_dir_all(&index);
        }
    }
}
