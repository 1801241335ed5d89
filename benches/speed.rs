//! dossier against the tools a researcher would pick instead, on the same
//! machine and corpus, in one run: ripgrep over the raw files, tantivy-cli
//! over the same extracted text, and Lucene 9 (Anserini 0.21's jar) over the
//! same text too. Medians of several whole-process runs, page cache warm,
//! side by side with their ratios, and the targets in docs/performance.md.
//!
//! ```sh
//! bash benches/install-tools.sh        # ripgrep (Debian), tantivy-cli (into target/tools),
//!                                      # Anserini's jar (into target/tools) and a JDK
//! cargo bench --bench speed            # ../shared/corpus/un-general-debate
//! cargo bench --bench speed -- --corpus DIR --runs 21
//! cargo bench --bench speed -- --baseline OLD/target/release/dossier   # before/after, one run (its own index)
//! cargo bench --bench speed -- --builds 1          # one full build instead of three
//! cargo bench --bench speed -- --no-lucene         # without the Lucene builds and queries
//! ```
//!
//! Lucene is timed two ways: Anserini's `IndexCollection` builds (whole
//! process, on one thread and on two), and the queries both inside a warm JVM
//! (benches/lucene/SpeedHarness.java, compiled at run time with javac: the
//! median of 200 runs after 200 warm-up runs, each the work of one dossier
//! search) and as one whole `java` process, beside dossier's whole process.
//!
//! A tool that is not installed is skipped with a message, and its column
//! reads "—". Figures go in docs/performance.md, never in timed tests.

mod common;

use std::path::{Path, PathBuf};

use common::lucene::{DocsWriter, INDEX_COLLECTION, Lucene, index_args};
use common::{
    arg, dir_bytes, find_tool, list_files, median, peak_mb, project_dir, run_with_peak,
    time_interleaved, time_median, time_once, warm_page_cache,
};
use dossier::extract::extract;
use tantivy::schema::{INDEXED, STORED, STRING, Schema, TextFieldIndexing, TextOptions};

struct Options {
    corpus: PathBuf,
    runs: usize,
    /// Another dossier binary (an earlier commit's) timed beside this one on
    /// the same index, for a before/after in one run.
    baseline: Option<PathBuf>,
    /// Full builds timed (the median is reported); at least one.
    builds: usize,
    /// Leave Lucene out even when its jar and java are there.
    no_lucene: bool,
}

fn options() -> Options {
    Options {
        corpus: arg("--corpus")
            .map(PathBuf::from)
            .unwrap_or_else(|| project_dir().join("../shared/corpus/un-general-debate")),
        runs: arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(15),
        baseline: arg("--baseline").map(PathBuf::from),
        builds: arg("--builds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(3usize)
            .max(1),
        no_lucene: std::env::args().any(|a| a == "--no-lucene"),
    }
}

fn main() {
    let mut opts = options();
    if !opts.corpus.is_dir() {
        println!(
            "skipped: {} is absent (../shared lies beside the project root in CI)",
            opts.corpus.display()
        );
        return;
    }
    let dossier = PathBuf::from(env!("CARGO_BIN_EXE_dossier"));
    let rg = find_tool("rg", &[]);
    let tantivy = find_tool("tantivy", &[project_dir().join("target/tools/bin/tantivy")]);
    if rg.is_none() {
        println!(
            "ripgrep not found: its column is skipped (bash benches/install-tools.sh installs it)"
        );
    }
    if tantivy.is_none() {
        println!(
            "tantivy-cli not found: its column is skipped (bash benches/install-tools.sh installs it into target/tools)"
        );
    }
    let lucene = if opts.no_lucene {
        None
    } else {
        let found = Lucene::find();
        if found.is_none() {
            println!(
                "Lucene 9 skipped: benches/install-tools.sh puts Anserini's jar in target/tools, and java must be on the PATH"
            );
        }
        found
    };

    // A copy of the corpus, so that 1% of it can be changed; the page cache
    // is warmed for every tool alike.
    let work = tempfile::tempdir().expect("temporary folder");
    let sources = work.path().join("sources");
    let corpus_name = opts
        .corpus
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let corpus = sources.join(&corpus_name);
    copy_tree(&opts.corpus, &corpus);
    let files = list_files(&corpus);
    let corpus_mb = dir_bytes(&corpus) as f64 / 1e6;
    warm_page_cache(&corpus);
    // Both dossiers run from copies made here. The same bytes page in
    // slower from the file the linker wrote than from a copy (a search
    // that finds nothing: 3.92 against 3.35 ms, interleaved, 100 runs;
    // `--version` alike), and a baseline is usually a copy, as an
    // installed binary is.
    let dossier = copy_binary(&dossier, &work.path().join("dossier"));
    opts.baseline = opts
        .baseline
        .take()
        .map(|b| copy_binary(&b, &work.path().join("baseline")));
    let index = work.path().join("index");
    // dossier's arguments on an index of this corpus.
    let on_index = |index: &Path, args: &[&str]| -> Vec<String> {
        let mut all = vec![
            "--sources".to_string(),
            sources.display().to_string(),
            "--index".to_string(),
            index.display().to_string(),
        ];
        all.extend(args.iter().map(|a| a.to_string()));
        all
    };
    let d = |args: &[&str]| on_index(&index, args);
    // The baseline builds an index of its own: an index of another schema
    // version is refused, never read.
    let baseline_index = work.path().join("index-baseline");
    let db = |args: &[&str]| on_index(&baseline_index, args);

    println!(
        "corpus: {} ({} files, {:.0} MB); {} runs per query, page cache warm\n",
        opts.corpus.display(),
        files.len(),
        corpus_mb,
        opts.runs
    );

    // Full builds (three unless --builds says otherwise); a baseline's
    // alternate with them, so that both meet the machine in the same state.
    let build_args = d(&["index", "--rebuild", "-q"]);
    let baseline_build_args = db(&["index", "--rebuild", "-q"]);
    let mut builds = Vec::new();
    let mut baseline_builds = Vec::new();
    let mut build_peak = 0.0f64;
    for _ in 0..opts.builds {
        let _ = std::fs::remove_dir_all(&index);
        let (seconds, peak) = run_with_peak(&dossier, &run_d(&build_args)).expect("dossier index");
        builds.push(seconds);
        build_peak = build_peak.max(peak.unwrap_or(0.0));
        if let Some(b) = &opts.baseline {
            let _ = std::fs::remove_dir_all(&baseline_index);
            let (seconds, _) =
                run_with_peak(b, &run_d(&baseline_build_args)).expect("baseline dossier index");
            baseline_builds.push(seconds);
        }
    }
    let build = median(builds);
    let index_mb = dir_bytes(&index) as f64 / 1e6;
    let baseline_build = (!baseline_builds.is_empty()).then(|| {
        (
            median(baseline_builds),
            dir_bytes(&baseline_index) as f64 / 1e6,
        )
    });

    // tantivy-cli on the same text, extracted by dossier, as NDJSON; Lucene
    // on it too, as Anserini's {"id", "contents"} lines (title and body as one
    // field), in 8 files (IndexCollection's threads take one file each).
    let ndjson = work.path().join("corpus.ndjson");
    let lucene_docs = work.path().join("lucene-docs");
    let mut lucene_writer = lucene
        .as_ref()
        .map(|_| DocsWriter::create(&lucene_docs, 8, files.len()).expect("Lucene's input folder"));
    let ndjson_mb = write_ndjson(&files, &corpus, &ndjson, lucene_writer.as_mut()) as f64 / 1e6;
    let lucene_docs_mb =
        lucene_writer.map_or(0, |w| w.finish().expect("write Lucene's input")) as f64 / 1e6;
    let tantivy_build = tantivy
        .as_ref()
        .and_then(|t| tantivy_build(t, &ndjson, work.path()));
    let (lucene_builds, lucene_index) = match &lucene {
        Some(l) => lucene_builds(l, &lucene_docs, work.path(), opts.builds),
        None => (Vec::new(), None),
    };

    println!("BUILD                            dossier        tantivy-cli     ratio");
    let (tb, tmb, tpeak, tsize) = match &tantivy_build {
        Some(b) => (
            format!("{:.2} s", b.seconds),
            format!("{:.1} MB/s", ndjson_mb / b.seconds),
            format!("{:.0} MB", b.peak_mb),
            format!("{:.0} MB", b.index_mb),
        ),
        None => ("—".into(), "—".into(), "—".into(), "—".into()),
    };
    println!(
        "full build (median of {})      {:>10.2} s   {:>14}   {}",
        opts.builds,
        build,
        tb,
        ratio(tantivy_build.as_ref().map(|b| b.seconds), build)
    );
    if let Some((seconds, mb)) = baseline_build {
        println!(
            "full build (baseline, median) {seconds:>11.2} s   {:>14}   (index {mb:.0} MB)",
            ""
        );
    }
    println!(
        "input throughput              {:>8.1} MB/s   {:>14}   (dossier reads {:.0} MB of files, tantivy-cli {:.0} MB of NDJSON)",
        corpus_mb / build,
        tmb,
        corpus_mb,
        ndjson_mb
    );
    println!(
        "peak memory                   {:>10.0} MB   {:>14}",
        build_peak, tpeak
    );
    println!(
        "index size                    {:>10.0} MB   {:>14}   ({:.2}× the corpus; dossier stores the text for snippets and keeps positions twice)",
        index_mb,
        tsize,
        index_mb / corpus_mb
    );
    if !lucene_builds.is_empty() {
        println!(
            "Lucene 9, Anserini IndexCollection (median of {}; reads {:.0} MB of JSON; positions, text not stored)",
            opts.builds, lucene_docs_mb
        );
    }
    for b in &lucene_builds {
        let label = format!(
            "  {} thread{}",
            b.threads,
            if b.threads == 1 { "" } else { "s" }
        );
        println!(
            "{label:<30}{:>10.2} s   {:>9.1} MB/s   peak {:.0} MB, index {:.0} MB, {:.2}× (Lucene time / dossier time)",
            b.seconds,
            lucene_docs_mb / b.seconds,
            b.peak_mb,
            b.index_mb,
            b.seconds / build
        );
    }

    // Refreshes.
    let refresh_args = d(&["index", "-q"]);
    let no_change = time_median(&dossier, &run_d(&refresh_args), 5.min(opts.runs));
    let changed_count = (files.len() / 100).max(1);
    let mut one_percent = Vec::new();
    for round in 0..3 {
        let originals: Vec<(PathBuf, Vec<u8>)> = files
            .iter()
            .skip(round * 7)
            .step_by(files.len() / changed_count)
            .take(changed_count)
            .map(|f| (f.clone(), std::fs::read(f).unwrap()))
            .collect();
        for (path, bytes) in &originals {
            let mut changed = bytes.clone();
            changed.extend_from_slice(format!("\nRevised text {round}.\n").as_bytes());
            std::fs::write(path, changed).unwrap();
        }
        one_percent.push(time_once(&dossier, &run_d(&refresh_args)));
        // The baseline's index goes through the same refreshes (untimed),
        // so that both answer the queries below from the same state.
        let baseline_refresh = db(&["index", "-q"]);
        if let Some(b) = &opts.baseline {
            time_once(b, &run_d(&baseline_refresh));
        }
        for (path, bytes) in &originals {
            std::fs::write(path, bytes).unwrap();
        }
        time_once(&dossier, &run_d(&refresh_args));
        if let Some(b) = &opts.baseline {
            time_once(b, &run_d(&baseline_refresh));
        }
    }
    println!("\nREFRESH                          dossier");
    println!(
        "nothing changed (median of 5) {:>10.3} s   ({} files)",
        no_change,
        files.len()
    );
    println!(
        "1% changed (median of 3)      {:>10.3} s   ({changed_count} files)",
        median(one_percent)
    );

    // Queries, whole process: start, open, search, print.
    println!(
        "\nQUERY, whole process            dossier        ripgrep          tantivy-cli      dossier vs rg"
    );
    let tantivy_index = tantivy_build.as_ref().map(|b| b.index.clone());
    let corpus_arg = corpus.display().to_string();
    // Lucene's queries go through its classic QueryParser with every word
    // required (as dossier's), on the field holding title and body.
    let queries: [QueryCase; 6] = [
        (
            "phrase \"human security\"",
            vec!["search", "\"human security\""],
            Some(vec!["-i", "-c", "human security", &corpus_arg]),
            Some("\"human security\""),
            Some("\"human security\""),
        ),
        (
            "phrase \"protection of civilians\"",
            vec!["search", "\"protection of civilians\""],
            Some(vec![
                "-l",
                "-F",
                "-i",
                "protection of civilians",
                &corpus_arg,
            ]),
            Some("\"protection of civilians\""),
            Some("\"protection of civilians\""),
        ),
        (
            "two words nuclear disarmament",
            vec!["search", "nuclear disarmament"],
            None,
            Some("nuclear AND disarmament"),
            Some("nuclear disarmament"),
        ),
        (
            "faceted civilians, 1990s",
            vec!["search", "civilians", "--year", "1990..1999"],
            None,
            None,
            // Anserini's index here has no year.
            None,
        ),
        (
            "prefix kosov*",
            vec!["search", "kosov*"],
            Some(vec!["-l", "-i", "-w", "kosov[a-z]*", &corpus_arg]),
            // tantivy-cli's parser has no word prefix.
            None,
            // Scored per word it expands to, as dossier's (see the harness).
            Some("kosov*"),
        ),
        (
            "proximity ~10",
            vec!["search", "\"nato human security\"~10"],
            None,
            // tantivy-cli's slop keeps the order: not the same question.
            None,
            // Lucene's slop counts moves, an order changed costs two: not
            // the same question either.
            None,
        ),
    ];
    let mut phrase_ratio = None;
    let mut phrase_ms = 0.0;
    let mut dossier_ms = Vec::new();
    for (name, dargs, rgargs, tquery, _) in &queries {
        // dossier, ripgrep, tantivy-cli and the baseline in turn, so that
        // their ratios come from the same minutes.
        let ours = d(dargs);
        let theirs = db(dargs);
        let tantivy_ix = tantivy_index.as_ref().map(|ix| ix.display().to_string());
        let mut commands = vec![(dossier.as_path(), run_d(&ours), opts.runs)];
        let rg_at = (rg.as_ref().zip(rgargs.as_ref())).map(|(rg, args)| {
            commands.push((rg.as_path(), args.clone(), opts.runs.min(7)));
            commands.len() - 1
        });
        let tantivy_at = match (&tantivy, &tantivy_ix, tquery) {
            (Some(t), Some(ix), Some(q)) => {
                commands.push((t.as_path(), vec!["search", "-i", ix, "-q", q], opts.runs));
                Some(commands.len() - 1)
            }
            _ => None,
        };
        let before_at = opts.baseline.as_ref().map(|b| {
            commands.push((b.as_path(), run_d(&theirs), opts.runs));
            commands.len() - 1
        });
        let times = time_interleaved(&commands);
        let dossier_s = times[0];
        dossier_ms.push(dossier_s * 1000.0);
        let rg_s = rg_at.map(|i| times[i]);
        let tantivy_s = tantivy_at.map(|i| times[i]);
        let before = before_at.map(|i| times[i]);
        if phrase_ratio.is_none() {
            phrase_ratio = rg_s.map(|r| r / dossier_s);
            phrase_ms = dossier_s * 1000.0;
        }
        println!(
            "{:<30} {:>9.1} ms   {:>12}   {:>14}   {}",
            name,
            dossier_s * 1000.0,
            rg_s.map_or("—".into(), |s| format!("{:.1} ms", s * 1000.0)),
            tantivy_s.map_or("—".into(), |s| format!("{:.1} ms", s * 1000.0)),
            rg_s.map_or("—".into(), |r| format!("{:.1}× faster", r / dossier_s)),
        );
        if let Some(before) = before {
            println!("{:<30} {:>9.1} ms   (baseline)", "", before * 1000.0);
        }
    }
    let lucene_phrase_ms = match (&lucene, &lucene_index) {
        (Some(l), Some(ix)) => lucene_queries(l, ix, work.path(), &queries, &dossier_ms, &d),
        _ => None,
    };
    let views = views_and_start_up(
        &dossier,
        opts.baseline.as_deref(),
        rg.as_deref(),
        &d,
        &db,
        &corpus_arg,
        opts.runs,
    );
    let search_peak = peak_mb(&dossier, &run_d(&d(&["search", "\"human security\""])));
    println!(
        "peak memory of a search       {:>10}",
        search_peak.map_or("—".into(), |m| format!("{m:.0} MB"))
    );
    println!("\n(tantivy-cli prints every hit unranked, without snippets or facet counts;");
    println!(" ripgrep counts lines, with no index and no ranking.)");

    println!("\nTARGETS (docs/performance.md)");
    let check = |ok: bool| if ok { "met" } else { "MISSED" };
    println!(
        "phrase query under 10 ms: {phrase_ms:.1} ms, {}",
        check(phrase_ms < 10.0)
    );
    if let Some(lucene_ms) = lucene_phrase_ms {
        // The goal is the ratio to ripgrep below; this says how near it
        // brings a whole process to Lucene answering inside a running JVM.
        println!(
            "phrase query, whole process, beside Lucene inside a warm JVM: {phrase_ms:.1} vs {lucene_ms:.2} ms ({:.1}×; a Lucene process takes hundreds of ms)",
            phrase_ms / lucene_ms,
        );
    }
    if let Some(r) = phrase_ratio {
        println!(
            "phrase query at least 10× faster than rg -i -c: {r:.1}×, {}",
            check(r >= 10.0)
        );
        println!(
            "phrase query at least 25× faster than rg -i -c (as fast as Lucene in a warm JVM): {r:.1}×, {}",
            check(r >= 25.0)
        );
    }
    let [version, nothing, kwic, trend] = views;
    println!(
        "a query matching nothing within 1.5× `dossier --version`: {:.2}×, {}",
        nothing.0 / version.0,
        check(nothing.0 <= 1.5 * version.0)
    );
    for (name, (ours, rg), goal) in [
        ("kwic '\"Security Council\"'", kwic, 2.0),
        ("trend security --occurrences", trend, 3.0),
    ] {
        if let Some(rg) = rg {
            println!(
                "{name} within {goal}× ripgrep counting them: {:.2}×, {}",
                ours / rg,
                check(ours <= goal * rg)
            );
        }
    }
    if let Some(b) = &tantivy_build {
        let ours = corpus_mb / build;
        let theirs = ndjson_mb / b.seconds;
        println!(
            "build faster than tantivy-cli's defaults: {ours:.1} vs {theirs:.1} MB/s, {}",
            check(ours > theirs)
        );
    }
    println!(
        "refresh with nothing changed under 0.3 s: {no_change:.3} s, {}",
        check(no_change < 0.3)
    );
    println!(
        "build peak memory under 500 MB: {build_peak:.0} MB, {}",
        check(build_peak < 500.0)
    );
    if let Some(m) = search_peak {
        println!(
            "search peak memory under 50 MB: {m:.0} MB, {}",
            check(m < 50.0)
        );
    }
}

/// Whole-process times of start-up and the research views, each beside
/// ripgrep counting the same thing, and beside `baseline` (another dossier
/// binary, on its own index: `db` names it) when given. Returns (dossier,
/// ripgrep) seconds for `--version`, a query matching nothing, kwic and trend.
fn views_and_start_up(
    dossier: &Path,
    baseline: Option<&Path>,
    rg: Option<&Path>,
    d: &dyn Fn(&[&str]) -> Vec<String>,
    db: &dyn Fn(&[&str]) -> Vec<String>,
    corpus: &str,
    runs: usize,
) -> [(f64, Option<f64>); 4] {
    println!(
        "\nSTART-UP AND VIEWS, whole process   dossier   {:>12}   ripgrep (same count)",
        if baseline.is_some() { "baseline" } else { "" }
    );
    // (name, arguments, whether they name the index, ripgrep's arguments)
    let cases: [ViewCase; 4] = [
        ("dossier --version", vec!["--version"], false, None),
        (
            "a query matching nothing",
            vec!["search", "zzqxjvw"],
            true,
            None,
        ),
        (
            "kwic '\"Security Council\"'",
            vec!["kwic", "\"Security Council\""],
            true,
            Some(vec!["-c", "-i", "security council", corpus]),
        ),
        (
            "trend security --occurrences",
            vec!["trend", "security", "--occurrences"],
            true,
            Some(vec!["--count-matches", "-i", "-w", "security", corpus]),
        ),
    ];
    let mut out = [(0.0, None); 4];
    let with = |case: &ViewCase, index: &dyn Fn(&[&str]) -> Vec<String>| -> Vec<String> {
        if case.2 {
            index(&case.1)
        } else {
            case.1.iter().map(|a| a.to_string()).collect()
        }
    };
    // Each case with its peers in turn; `--version` and the query matching
    // nothing together, as their ratio is a goal.
    let mut timed: Vec<(f64, Option<f64>, Option<f64>)> = Vec::new();
    for group in [&cases[..2], &cases[2..3], &cases[3..]] {
        // The views take a second or less: fewer runs.
        let n = if group.len() == 2 { runs } else { runs.min(5) };
        let ours: Vec<Vec<String>> = group.iter().map(|c| with(c, d)).collect();
        let theirs: Vec<Vec<String>> = group.iter().map(|c| with(c, db)).collect();
        let mut commands: Vec<(&Path, Vec<&str>, usize)> = Vec::new();
        let mut at = Vec::new();
        for (k, case) in group.iter().enumerate() {
            commands.push((dossier, run_d(&ours[k]), n));
            let ours_at = commands.len() - 1;
            let before_at = baseline.map(|b| {
                commands.push((b, run_d(&theirs[k]), n));
                commands.len() - 1
            });
            let rg_at = match (rg, &case.3) {
                (Some(rg), Some(a)) => {
                    commands.push((rg, a.clone(), n));
                    Some(commands.len() - 1)
                }
                _ => None,
            };
            at.push((ours_at, before_at, rg_at));
        }
        let times = time_interleaved(&commands);
        for (ours_at, before_at, rg_at) in at {
            timed.push((
                times[ours_at],
                before_at.map(|i| times[i]),
                rg_at.map(|i| times[i]),
            ));
        }
    }
    for (i, ((name, ..), (ours, before, theirs))) in cases.iter().zip(timed).enumerate() {
        let ms = |s: Option<f64>| s.map_or("—".to_string(), |s| format!("{:.1} ms", s * 1000.0));
        println!(
            "{:<30} {:>12} {:>12} {:>12}",
            name,
            ms(Some(ours)),
            if baseline.is_some() {
                ms(before)
            } else {
                String::new()
            },
            ms(theirs)
        );
        out[i] = (ours, theirs);
    }
    out
}

/// A start-up or view case: its name, dossier's arguments, whether they name
/// the index, ripgrep's.
type ViewCase<'a> = (&'a str, Vec<&'a str>, bool, Option<Vec<&'a str>>);

/// A query: its name, dossier's arguments, ripgrep's (if it has an
/// equivalent), tantivy-cli's query and Lucene's (if they have one).
type QueryCase<'a> = (
    &'a str,
    Vec<&'a str>,
    Option<Vec<&'a str>>,
    Option<&'a str>,
    Option<&'a str>,
);

fn run_d(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn ratio(theirs: Option<f64>, ours: f64) -> String {
    theirs.map_or(String::new(), |t| {
        format!("{:.2}× (tantivy-cli time / dossier time)", t / ours)
    })
}

/// `binary` copied into the folder `into`, under its own name.
fn copy_binary(binary: &Path, into: &Path) -> PathBuf {
    std::fs::create_dir_all(into).expect("a folder for the binary");
    let copy = into.join(binary.file_name().expect("a binary's file name"));
    std::fs::copy(binary, &copy)
        .unwrap_or_else(|e| panic!("cannot copy {}: {e}", binary.display()));
    copy
}

fn copy_tree(from: &Path, to: &Path) {
    for file in list_files(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
}

/// The text dossier extracts, one JSON object per document: title, body,
/// year, source; and for Lucene, when asked, dossier's id and title and body
/// as one text. Returns the bytes of NDJSON written.
fn write_ndjson(
    files: &[PathBuf],
    corpus: &Path,
    out: &Path,
    mut lucene: Option<&mut DocsWriter>,
) -> u64 {
    use std::io::Write;
    let mut writer = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    let source = corpus.file_name().unwrap().to_string_lossy().into_owned();
    for file in files {
        let bytes = std::fs::read(file).unwrap();
        let id = file
            .strip_prefix(corpus)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if let Ok(doc) = extract(&bytes, &id) {
            let line = serde_json::json!({
                "title": doc.title,
                "body": doc.body,
                "year": doc.year.unwrap_or(0) as u64,
                "source": source,
            });
            writeln!(writer, "{line}").unwrap();
            if let Some(lucene) = lucene.as_mut() {
                let contents = format!("{} {}", doc.title, doc.body);
                lucene.add(&format!("{source}/{id}"), &contents).unwrap();
            }
        }
    }
    writer.flush().unwrap();
    std::fs::metadata(out).unwrap().len()
}

struct TantivyBuild {
    seconds: f64,
    peak_mb: f64,
    index_mb: f64,
    index: PathBuf,
}

/// tantivy-cli's `index` with its defaults (one thread, 1 GB budget) into an
/// index whose schema is what `tantivy new` makes by default for these
/// fields: English stemming with positions, the title stored, the body not.
fn tantivy_build(tantivy: &Path, ndjson: &Path, work: &Path) -> Option<TantivyBuild> {
    let mut runs = Vec::new();
    let mut peak = 0.0f64;
    let dir = work.join("tantivy-cli-index");
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).ok()?;
        tantivy::Index::create_in_dir(&dir, tantivy_cli_schema()).ok()?;
        let (dir_arg, ndjson_arg) = (dir.display().to_string(), ndjson.display().to_string());
        match run_with_peak(tantivy, &["index", "-i", &dir_arg, "-f", &ndjson_arg]) {
            Ok((seconds, run_peak)) => {
                peak = peak.max(run_peak.unwrap_or(0.0));
                runs.push(seconds);
            }
            Err(e) => {
                println!("tantivy-cli failed to index: {e}");
                return None;
            }
        }
    }
    Some(TantivyBuild {
        seconds: median(runs),
        peak_mb: peak,
        index_mb: dir_bytes(&dir) as f64 / 1e6,
        index: dir,
    })
}

fn tantivy_cli_schema() -> Schema {
    let mut builder = Schema::builder();
    let stemmed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(tantivy::schema::IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field("title", stemmed.clone().set_stored());
    builder.add_text_field("body", stemmed);
    builder.add_u64_field("year", INDEXED | STORED);
    builder.add_text_field("source", STRING | STORED);
    builder.build()
}

struct LuceneBuild {
    threads: usize,
    seconds: f64,
    peak_mb: f64,
    index_mb: f64,
}

/// Anserini's `IndexCollection` over the same text, `builds` times on one
/// thread and on two (the median of each). Returns them and the one-thread
/// index, for the queries; a build that fails is reported and left out.
fn lucene_builds(
    lucene: &Lucene,
    docs: &Path,
    work: &Path,
    builds: usize,
) -> (Vec<LuceneBuild>, Option<PathBuf>) {
    let mut out = Vec::new();
    let mut kept = None;
    for threads in [1, 2] {
        let dir = work.join(format!("lucene-index-{threads}"));
        let args = lucene.java_args(INDEX_COLLECTION, &index_args(docs, &dir, threads));
        let mut runs = Vec::new();
        let mut peak = 0.0f64;
        for _ in 0..builds {
            let _ = std::fs::remove_dir_all(&dir);
            match run_with_peak(&lucene.java, &run_d(&args)) {
                // Java exits with 1 on an uncaught exception; run_with_peak
                // lets 1 through (for grep), so look for the index itself.
                Ok((seconds, run_peak)) if has_lucene_index(&dir) => {
                    peak = peak.max(run_peak.unwrap_or(0.0));
                    runs.push(seconds);
                }
                Ok(_) => {
                    println!("Lucene failed to index on {threads} thread(s): no index written")
                }
                Err(e) => println!("Lucene failed to index on {threads} thread(s): {e}"),
            }
        }
        if runs.is_empty() {
            continue;
        }
        out.push(LuceneBuild {
            threads,
            seconds: median(runs),
            peak_mb: peak,
            index_mb: dir_bytes(&dir) as f64 / 1e6,
        });
        if threads == 1 {
            kept = Some(dir);
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    (out, kept)
}

fn has_lucene_index(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("segments_"))
    })
}

/// The queries Lucene can ask, in a warm JVM (the harness's median) and as
/// one whole process (after one untimed process), beside dossier's whole
/// process and both hit counts. Returns Lucene's in-JVM median for the first
/// query (the phrase), or `None` when the harness cannot run.
fn lucene_queries(
    lucene: &Lucene,
    index: &Path,
    work: &Path,
    queries: &[QueryCase],
    dossier_ms: &[f64],
    d: &dyn Fn(&[&str]) -> Vec<String>,
) -> Option<f64> {
    let classes = work.join("lucene-harness");
    let classpath = match std::fs::create_dir_all(&classes)
        .map_err(|e| e.to_string())
        .and_then(|_| lucene.compile_harness(&classes))
    {
        Ok(classpath) => classpath,
        Err(e) => {
            println!("\nLucene's queries skipped: {e}");
            return None;
        }
    };
    let index_arg = index.display().to_string();
    let asked: Vec<&str> = queries.iter().filter_map(|q| q.4).collect();
    let mut args = vec!["-cp", &classpath, "SpeedHarness", &index_arg];
    args.extend(&asked);
    let output = std::process::Command::new(&lucene.java)
        .args(&args)
        .output()
        .map_err(|e| e.to_string())
        .and_then(|o| {
            if o.status.success() {
                Ok(String::from_utf8_lossy(&o.stdout).into_owned())
            } else {
                Err(String::from_utf8_lossy(&o.stderr).trim().to_string())
            }
        });
    // Each line: median ms, hits, first id, query.
    let in_jvm: Vec<(f64, u64)> = match output {
        Ok(out) => out
            .lines()
            .filter_map(|l| {
                let mut cells = l.split('\t');
                Some((cells.next()?.parse().ok()?, cells.next()?.parse().ok()?))
            })
            .collect(),
        Err(e) => {
            println!("\nLucene's queries failed: {e}");
            return None;
        }
    };
    if in_jvm.len() != asked.len() {
        println!(
            "\nLucene's queries failed: the harness answered {} of {}",
            in_jvm.len(),
            asked.len()
        );
        return None;
    }
    println!(
        "\n{:<32} {:>12}   {:>13}   {:>14}   {:>13}   {:>6}",
        "QUERY, Lucene 9", "dossier", "Lucene in JVM", "Lucene process", "dossier hits", "Lucene"
    );
    let mut answers = in_jvm.into_iter();
    let mut phrase = None;
    for ((name, dargs, _, _, lquery), ours) in queries.iter().zip(dossier_ms) {
        let theirs = lquery.map(|q| {
            let (ms, hits) = answers.next().unwrap();
            let mut once = vec!["-cp", &classpath, "SpeedHarness", "--once", &index_arg];
            once.push(q);
            let process = time_median(&lucene.java, &once, 1);
            (ms, process * 1000.0, hits)
        });
        if phrase.is_none() {
            phrase = Some(theirs.map(|t| t.0));
        }
        let ms = |v: Option<f64>, digits: usize| {
            v.map_or("—".to_string(), |v| format!("{v:.digits$} ms"))
        };
        println!(
            "{:<32} {:>9.1} ms   {:>13}   {:>14}   {:>13}   {:>6}",
            name,
            ours,
            ms(theirs.map(|t| t.0), 2),
            ms(theirs.map(|t| t.1), 0),
            dossier_hits(&run_d(&d(dargs))).map_or("—".into(), |h| h.to_string()),
            theirs.map_or("—".into(), |t| t.2.to_string()),
        );
    }
    println!("(dossier: whole process, as above. Lucene in JVM: BM25 k1 0.9 b 0.4, one thread,");
    println!(" the median of 200 after 200 warm-up runs, each a parse, the top 10 with the exact");
    println!(" count and the 10 ids. Lucene process: one `java SpeedHarness --once` after an");
    println!(" untimed one: JVM start, opening the index, one search. Its index leaves out stop");
    println!(" words, so its \"protection of civilians\" takes any word for \"of\".)");
    phrase.flatten()
}

/// The number of hits dossier reports for a search (`--json --limit 0`).
fn dossier_hits(args: &[&str]) -> Option<u64> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .args(["--json", "--limit", "0", "--color", "never"])
        .output()
        .ok()?;
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    json["total"].as_u64()
}
