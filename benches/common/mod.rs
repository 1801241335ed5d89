//! What the speed benchmarks share: medians, folder sizes, whole-process
//! timing with peak memory, and finding the tools dossier is compared with
//! (Lucene's, through Anserini's jar, in lucene.rs).

#![allow(dead_code)]

pub mod corpus;
/// The file lister the tests use.
#[path = "../../tests/common/files.rs"]
mod files;
pub mod lucene;
pub use files::list_files;

/// The PDF writer the tests use (`tests/common/pdf.rs`), for generated
/// corpora and the PDF quality benchmark.
#[path = "../../tests/common/pdf.rs"]
pub mod pdf_writer;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[samples.len() / 2]
}

/// The value after `flag` on the bench's command line (`-- --runs 21`).
pub fn arg(flag: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

pub fn dir_bytes(dir: &Path) -> u64 {
    list_files(dir)
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum()
}

/// Wall time of one run of a command, output discarded; panics if it fails
/// with a status other than those allowed (grep-like tools exit 1 on no match).
pub fn time_once(program: &Path, args: &[&str]) -> f64 {
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "{} {args:?} failed: {status}",
        program.display()
    );
    seconds
}

/// Median wall time of `runs` runs after one warm-up run.
pub fn time_median(program: &Path, args: &[&str], runs: usize) -> f64 {
    time_once(program, args);
    median((0..runs).map(|_| time_once(program, args)).collect())
}

/// Median wall times of commands run in turn, round after round, after one
/// warm-up round: `(program, arguments, rounds)`, each command taking part
/// in the first `rounds` rounds. The machine's speed drifts between
/// minutes (blocks of 15 runs of one command, timed one block after the
/// other, swung by a factor of two here), so the ratio of two commands is
/// taken from the same rounds, where the drift cancels.
pub fn time_interleaved(commands: &[(&Path, Vec<&str>, usize)]) -> Vec<f64> {
    for (program, args, _) in commands {
        time_once(program, args);
    }
    let rounds = commands.iter().map(|c| c.2).max().unwrap_or(0);
    let mut samples = vec![Vec::new(); commands.len()];
    for round in 0..rounds {
        for (i, (program, args, runs)) in commands.iter().enumerate() {
            if round < *runs {
                samples[i].push(time_once(program, args));
            }
        }
    }
    samples.into_iter().map(median).collect()
}

/// Wall time and peak resident memory (MB, from GNU time when it is there)
/// of one run, or what the program wrote to standard error when it failed.
pub fn run_with_peak(program: &Path, args: &[&str]) -> Result<(f64, Option<f64>), String> {
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg(program);
        c
    } else {
        Command::new(program)
    };
    let started = Instant::now();
    let out = command
        .args(args)
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    if !out.status.success() && out.status.code() != Some(1) {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let peak = time.exists().then(|| {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .and_then(|l| l.trim().parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
    });
    Ok((seconds, peak.flatten()))
}

/// Peak resident memory (MB) of one run; `None` without GNU time.
pub fn peak_mb(program: &Path, args: &[&str]) -> Option<f64> {
    run_with_peak(program, args).ok().and_then(|(_, peak)| peak)
}

/// Wall time, and the largest anonymous and file-backed resident memory (MB)
/// of one run, sampled from /proc every 20 ms. GNU time's peak counts the
/// index files tantivy maps and merges (page cache, given back under
/// pressure) with the heap; this tells them apart. Linux only; for long runs
/// such as builds.
pub fn run_sampling_memory(program: &Path, args: &[&str]) -> (f64, f64, f64) {
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let status_path = format!("/proc/{}/status", child.id());
    let (mut anon, mut file) = (0f64, 0f64);
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            for line in status.lines() {
                let kb = |l: &str| {
                    l.split_whitespace()
                        .nth(1)
                        .and_then(|v| v.parse::<f64>().ok())
                        .unwrap_or(0.0)
                };
                if line.starts_with("RssAnon:") {
                    anon = anon.max(kb(line) / 1024.0);
                } else if line.starts_with("RssFile:") {
                    file = file.max(kb(line) / 1024.0);
                }
            }
        }
        if child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    (started.elapsed().as_secs_f64(), anon, file)
}

/// A program on the PATH, or at one of the given places.
pub fn find_tool(name: &str, also: &[PathBuf]) -> Option<PathBuf> {
    for place in also {
        if place.is_file() {
            return Some(place.clone());
        }
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// Reads every file under `dir` once, so that timings start from a warm page cache.
pub fn warm_page_cache(dir: &Path) {
    for file in list_files(dir) {
        let _ = std::fs::read(file);
    }
}

pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
