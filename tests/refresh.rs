//! Every refresh case of `dossier index`: new, unchanged, changed, touched,
//! deleted, re-mapped and malformed files, rebuilds, the writer lock, and
//! searches running while a refresh commits.

use std::time::{Duration, SystemTime};

use crate::common::Workspace;
use serde_json::{Value, json};

fn counts(summary: &Value) -> (u64, u64, u64, u64, usize) {
    (
        summary["added"].as_u64().unwrap(),
        summary["updated"].as_u64().unwrap(),
        summary["removed"].as_u64().unwrap(),
        summary["unchanged"].as_u64().unwrap(),
        summary["failed"].as_array().unwrap().len(),
    )
}

#[test]
fn new_unchanged_changed_touched_and_deleted_files() {
    let ws = Workspace::new();
    ws.write("a/one.txt", "One\n\nalpha text");
    ws.write("a/two.txt", "Two\n\nalpha text");
    ws.write("b/three.txt", "Three\n\nalpha text");

    let first = ws.index_json();
    assert_eq!(counts(&first), (3, 0, 0, 0, 0));
    for key in [
        "added",
        "updated",
        "removed",
        "unchanged",
        "failed",
        "seconds",
    ] {
        assert!(first.get(key).is_some(), "summary lacks {key}: {first}");
    }
    assert!(first["seconds"].is_f64());
    assert_eq!(first["documents"], 3);

    assert_eq!(counts(&ws.index_json()), (0, 0, 0, 3, 0), "nothing changed");

    // A changed file is indexed again: the new words are found, the old ones gone.
    ws.write("a/two.txt", "Two\n\nbeta text, longer now");
    ws.remove("b/three.txt");
    ws.write("b/four.txt", "Four\n\nalpha text");
    let summary = ws.index_json();
    assert_eq!(counts(&summary), (1, 1, 1, 1, 0));
    assert_eq!(summary["documents"], 3);
    assert_eq!(ws.ids(&["alpha"]), ["a/one.txt", "b/four.txt"]);
    assert_eq!(ws.ids(&["beta"]), ["a/two.txt"]);
    assert!(ws.ids(&["three"]).is_empty(), "deleted file is gone");

    // Touched (new mtime, same bytes): confirmed unchanged by its hash.
    let file = std::fs::File::options()
        .write(true)
        .open(ws.sources().join("a/one.txt"))
        .unwrap();
    file.set_modified(SystemTime::now() + Duration::from_secs(60))
        .unwrap();
    drop(file);
    assert_eq!(counts(&ws.index_json()), (0, 0, 0, 3, 0));
    assert_eq!(counts(&ws.index_json()), (0, 0, 0, 3, 0));

    // No duplicates, whatever happened before.
    let (_, json) = ws.search(&["*"]);
    assert_eq!(json["total"], 3);
}

#[test]
fn same_size_change_is_detected() {
    let ws = Workspace::new();
    let path = ws.write("a/doc.txt", "Doc\n\nalpha");
    ws.index_json();
    std::fs::write(&path, "Doc\n\ngamma").unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(file);
    assert_eq!(counts(&ws.index_json()), (0, 1, 0, 0, 0));
    assert_eq!(ws.ids(&["gamma"]), ["a/doc.txt"]);
}

#[test]
fn remapping_a_source_reindexes_its_documents() {
    let ws = Workspace::new();
    ws.write(
        "un-security-council/S_RES_0001_1946_EN.txt",
        "Resolution\n\ntext",
    );
    ws.write("nato/page.txt", "Page\n\ntext");
    ws.index_json();
    ws.write("sources.toml", "[[source]]\nid = \"unsc\"\nname = \"UN Security Council\"\nfolder = \"un-security-council\"\n");
    assert_eq!(counts(&ws.index_json()), (0, 1, 0, 1, 0));
    let (_, json) = ws.search(&["text"]);
    assert_eq!(json["facets"]["source"], json!({"unsc": 1, "nato": 1}));
}

#[test]
fn malformed_files_are_reported_and_the_rest_indexed() {
    let ws = Workspace::with_fixtures();
    ws.write("bad/binary.html", [0u8, 159, 146, 150, 0, 0, 1, 2, 3]);
    ws.write("bad/fake.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\ngarbage");
    ws.write("bad/empty.txt", b"");
    let run = ws.run(&["index", "--json"]);
    assert_eq!(run.code, 2, "failures make the exit status 2");
    let summary = run.json();
    assert_eq!(
        summary["added"], 4,
        "three fixtures and the empty file: {summary}"
    );
    let failed = summary["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{summary}");
    assert!(
        failed[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("bad/binary.html")
    );
    assert!(failed[0]["error"].as_str().unwrap().contains("binary"));
    assert!(
        failed[1]["path"]
            .as_str()
            .unwrap()
            .ends_with("bad/fake.pdf")
    );
    assert!(!failed[1]["error"].as_str().unwrap().is_empty());
    assert_eq!(ws.ids(&["kosovo"]), ["kfor/news-2019-06-12.html"]);

    // Plain output names each failure with its path, on standard error.
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("bad/binary.html: binary content"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("0 added, 0 updated, 0 removed, 4 unchanged, 2 failed"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_file_that_turns_bad_keeps_its_indexed_version() {
    let ws = Workspace::new();
    let path = ws.write(
        "a/doc.html",
        "<html><head><title>Kept</title></head><body><p>precious words</p></body></html>",
    );
    ws.index_json();
    std::fs::write(&path, [0u8; 64]).unwrap();
    let run = ws.run(&["index", "--json"]);
    assert_eq!(run.code, 2);
    assert_eq!(counts(&run.json()), (0, 0, 0, 0, 1));
    assert_eq!(
        ws.ids(&["precious"]),
        ["a/doc.html"],
        "the old version is not lost"
    );
    // Once fixed, it is updated.
    std::fs::write(&path, "<html><body><p>repaired words</p></body></html>").unwrap();
    assert_eq!(counts(&ws.index_json()), (0, 1, 0, 0, 0));
    assert!(ws.ids(&["precious"]).is_empty());
}

#[test]
fn rebuild_indexes_everything_again() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let run = ws.run(&["index", "--rebuild", "--json"]);
    assert_eq!(run.code, 0);
    assert_eq!(counts(&run.json()), (3, 0, 0, 0, 0));
    let (_, json) = ws.search(&["*"]);
    assert_eq!(json["total"], 3);
}

#[test]
fn a_second_writer_is_told_about_the_lock() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    ws.write("a/new.txt", "New\n\ntext");
    let index = dossier::index::DossierIndex::open(&ws.index()).unwrap();
    let writer: tantivy::IndexWriter = index.index.writer(50_000_000).unwrap();
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("another `dossier index` is writing"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(".tantivy-writer.lock"),
        "{}",
        run.stderr
    );
    drop(writer);
    // Released: the next run goes through.
    assert_eq!(counts(&ws.index_json()), (1, 0, 0, 3, 0));
}

#[test]
fn searches_during_a_refresh_see_the_old_or_the_new_state() {
    // Old documents are dated 2000, new ones 2010: one search's year facets
    // show which state it saw, from a single snapshot of the index.
    let ws = Workspace::new();
    const FILES: u64 = 600;
    for i in 0..FILES {
        ws.write(
            &format!("a/doc{i:04}.txt"),
            format!(
                "Doc {i}\n\nSigned on 1 January 2000. {}",
                "filler words ".repeat(50)
            ),
        );
    }
    ws.index_json();
    for i in 0..FILES {
        ws.write(
            &format!("a/doc{i:04}.txt"),
            format!(
                "Doc {i}\n\nSigned on 1 January 2010. {}",
                "other filler ".repeat(60)
            ),
        );
    }
    let old = json!({"2000": FILES});
    let new = json!({"2010": FILES});
    let mut refresh = ws
        .command(&["index", "--json"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut saw_new = false;
    loop {
        let finished = refresh.try_wait().unwrap().is_some();
        let (_, json) = ws.search(&["*", "--limit", "0"]);
        let years = &json["facets"]["year"];
        assert!(
            *years == old || *years == new,
            "half a refresh seen: {years}"
        );
        assert_eq!(json["total"], FILES);
        saw_new |= *years == new;
        if finished {
            break;
        }
    }
    assert!(refresh.wait().unwrap().success());
    assert!(saw_new);
}

#[test]
fn nothing_on_stderr_when_piped() {
    let ws = Workspace::with_fixtures();
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "", "no progress bar when not on a terminal");
    assert!(
        run.stdout
            .starts_with("3 added, 0 updated, 0 removed, 0 unchanged, 0 failed in "),
        "{}",
        run.stdout
    );
}
