//! What the speed benchmarks share: medians, folder sizes, whole-process
//! timing with peak memory, and finding the tools dossier is compared with.

#![allow(dead_code)]

pub mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[samples.len() / 2]
}

pub fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match entry.metadata() {
                Ok(m) if m.is_dir() => stack.push(entry.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
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

/// Peak resident memory (MB) of one run, from GNU time; `None` without it.
pub fn peak_mb(program: &Path, args: &[&str]) -> Option<f64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let out = Command::new(time)
        .arg("-f")
        .arg("%M")
        .arg(program)
        .args(args)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let kb: f64 = text.lines().last()?.trim().parse().ok()?;
    Some(kb / 1024.0)
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
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let _ = std::fs::read(&path);
            }
        }
    }
}

pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
