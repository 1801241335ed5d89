//! Crash safety: `dossier index` killed with SIGKILL at 30 moments of a large
//! refresh, from its start to its commit. Each time the index must open and
//! hold exactly the state before the refresh or the state after it (the same
//! ids with the same content hashes), and a plain re-run must end identical to
//! an uninterrupted run. The killed process leaves its lock file behind; the
//! re-run must not be blocked by it.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::Workspace;
use dossier::index::DossierIndex;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

const FILES: usize = 400;
const KILL_POINTS: u32 = 30;

/// id → content hash of every document in the index.
fn snapshot(index_dir: &Path) -> BTreeMap<String, String> {
    let index = DossierIndex::open(index_dir).expect("the index opens");
    let searcher = index.reader().unwrap().searcher();
    let mut out = BTreeMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in 0..segment.max_doc() {
            if segment.alive_bitset().is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let stored: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc)).unwrap();
            let text = |f| {
                stored
                    .get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            out.insert(text(index.fields.id), text(index.fields.hash));
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_killed_refresh_leaves_the_old_or_the_new_index() {
    let ws = Workspace::new();
    for i in 0..FILES {
        ws.write(
            &format!("un/doc{i:04}.txt"),
            format!(
                "Doc {i}\n\nSigned on 1 January 2000. {}",
                "old words ".repeat(200)
            ),
        );
    }
    ws.index_json();
    let before = snapshot(&ws.index());
    let pristine = ws.dir.path().join("pristine-index");
    copy_dir(&ws.index(), &pristine);

    // The refresh to interrupt: every file changed, some removed, some new.
    for i in 0..FILES {
        if i % 10 == 0 {
            ws.remove(&format!("un/doc{i:04}.txt"));
        } else {
            ws.write(
                &format!("un/doc{i:04}.txt"),
                format!(
                    "Doc {i}\n\nSigned on 1 January 2010. {}",
                    "new words ".repeat(220)
                ),
            );
        }
    }
    for i in 0..FILES / 10 {
        ws.write(&format!("nato/new{i:04}.html"), format!("<html><head><title>New {i}</title></head><body><p>Added on 2 March 2011.</p></body></html>"));
    }

    // An uninterrupted run: how long it takes, and what it ends with.
    let started = Instant::now();
    ws.index_json();
    let duration = started.elapsed();
    let after = snapshot(&ws.index());
    assert_ne!(before, after);

    let mut seen_before = 0;
    let mut seen_after = 0;
    // From the start to a little past the uninterrupted run's end; the
    // machine may be busier now (other tests run beside this one), so when
    // no kill has landed after the commit, later ones follow, up to ten
    // times the run's duration.
    let mut delays: Vec<Duration> = (0..KILL_POINTS)
        .map(|point| duration.mul_f64(point as f64 / (KILL_POINTS - 4) as f64))
        .collect();
    let mut later = duration.mul_f64(1.5);
    let mut point = 0;
    while point < delays.len() {
        let delay = delays[point];
        copy_dir(&pristine, &ws.index());
        let mut child = ws
            .command(&["index", "--quiet"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();

        let state = snapshot(&ws.index());
        if state == before {
            seen_before += 1;
        } else if state == after {
            seen_after += 1;
        } else {
            panic!("kill point {point}: the index holds neither the old nor the new state");
        }
        let (_, json) = ws.search(&["*", "--limit", "0"]);
        assert_eq!(json["total"].as_u64().unwrap() as usize, state.len());

        // A plain re-run completes, despite the dead process's lock file.
        let run = ws.run(&["index", "--json"]);
        assert_eq!(run.code, 0, "kill point {point}: {}", run.stderr);
        assert_eq!(
            snapshot(&ws.index()),
            after,
            "kill point {point}: re-run differs"
        );
        point += 1;
        if point == delays.len() && seen_after == 0 && later < duration * 10 {
            delays.push(later);
            later = later.mul_f64(1.5);
        }
    }
    eprintln!("kills before the commit: {seen_before}, after: {seen_after}");
    // The kill points straddled the commit.
    assert!(seen_before > 0, "no kill landed before the commit");
    assert!(seen_after > 0, "no kill landed after the commit");
}

/// A full disk, simulated with a file-size limit (writes fail with EFBIG, as
/// with ENOSPC): a clear error, exit 2, the old index intact, and the next
/// run with room completes.
#[test]
fn a_full_disk_is_a_clear_error_and_the_index_is_unchanged() {
    if std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: prlimit (util-linux) is not installed");
        return;
    }
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let before = snapshot(&ws.index());
    let words: Vec<String> = (0..100_000).map(|i| format!("word{i}")).collect();
    ws.write("big/new.txt", format!("Big\n\n{}", words.join(" ")));
    let mut args = vec![
        "-c".to_string(),
        r#"trap "" XFSZ; exec prlimit --fsize=20000 "$@""#.to_string(),
        "limited".to_string(),
        env!("CARGO_BIN_EXE_dossier").to_string(),
    ];
    for arg in [
        "--sources",
        ws.sources().to_str().unwrap(),
        "--index",
        ws.index().to_str().unwrap(),
        "index",
        "--quiet",
    ] {
        args.push(arg.to_string());
    }
    let out = std::process::Command::new("bash")
        .args(&args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no space left to write the index"),
        "{stderr}"
    );
    assert!(stderr.contains("the index is unchanged"), "{stderr}");
    assert_eq!(snapshot(&ws.index()), before);
    let summary = ws.index_json();
    assert_eq!(summary["added"], 1);
    assert_eq!(ws.ids(&["word99999"]), ["big/new.txt"]);
}

/// Makes a folder immutable (`chattr +i`): even root cannot add, remove or
/// rename files in it, so the test means something when run as root, as CI
/// runs it. The attribute is removed again on drop.
struct Immutable<'a>(&'a Path);

impl<'a> Immutable<'a> {
    fn set(dir: &'a Path) -> Option<Self> {
        let ok = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok.then_some(Immutable(dir))
    }
}

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(self.0)
            .status();
    }
}

#[test]
fn a_read_only_index_folder_is_a_clear_error_and_the_index_is_unchanged() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let before = snapshot(&ws.index());
    ws.write("a/new.txt", "New\n\nprotection of civilians in Kosovo");
    let index_dir = ws.index();
    let Some(guard) = Immutable::set(&index_dir) else {
        eprintln!(
            "skipped: `chattr +i` is not available on this file system, so a read-only index folder cannot be made for root"
        );
        return;
    };
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("cannot write to the index folder")
            && run.stderr.contains("the index is unchanged")
            && run.stderr.contains("make it writable"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Searches still work and see the old state.
    assert!(
        ws.ids(&["\"protection of civilians in Kosovo\""])
            .is_empty()
    );
    assert_eq!(snapshot(&ws.index()), before);
    drop(guard);
    // Writable again: the refresh goes through.
    let report = ws.index_json();
    assert_eq!(report["added"], 1, "{report}");
}
