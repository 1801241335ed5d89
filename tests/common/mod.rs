//! A temporary workspace (sources folder + index folder) and a way to run the
//! real `dossier` binary in it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod cid_pdf;
pub mod files;
pub mod pdf;
pub mod rng;
pub mod site;
pub mod stand_ins;

use serde_json::Value;

pub struct Workspace {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

impl Workspace {
    pub fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// A workspace whose sources folder holds the fixtures of `tests/fixtures`.
    pub fn with_fixtures() -> Self {
        let ws = Self::new();
        for rel in [
            "nato/topics_181779.htm",
            "kfor/news-2019-06-12.html",
            "un-security-council/S_RES_1325_2000_EN.txt",
        ] {
            ws.write(rel, fixture(rel));
        }
        ws
    }

    pub fn sources(&self) -> PathBuf {
        self.dir.path().join("sources")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.sources().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.sources().join(rel)).unwrap();
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.arg("--sources")
            .arg(self.sources())
            .arg("--index")
            .arg(self.index())
            .args(args)
            .env_remove("DOSSIER_SOURCES")
            .env_remove("DOSSIER_INDEX")
            .env("NO_COLOR", "1");
        // Tests talk to 127.0.0.1: a proxy from the caller's environment
        // would stand in between (the proxy test sets its own).
        for proxy in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env_remove(proxy);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output: Output = self.command(args).output().expect("run dossier");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `dossier index --json`, expecting success.
    pub fn index_json(&self) -> Value {
        let run = self.run(&["index", "--json"]);
        assert_eq!(run.code, 0, "index failed: {}\n{}", run.stdout, run.stderr);
        run.json()
    }

    /// `dossier search ... --json --limit 1000`, returning (exit code, JSON).
    pub fn search(&self, args: &[&str]) -> (i32, Value) {
        // Defaults first: a test's own flags come later and override them.
        let mut all = vec!["search", "--json", "--limit", "1000"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert!(
            run.code == 0 || run.code == 1,
            "search failed: {}",
            run.stderr
        );
        (run.code, run.json())
    }

    /// Ids of the documents a search finds, sorted.
    pub fn ids(&self, args: &[&str]) -> Vec<String> {
        let (_, json) = self.search(args);
        let mut ids: Vec<String> = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    }
}

/// A file of `tests/fixtures` (written for the tests, shaped like the real
/// pages and PDFs).
/// Runs `args` and checks that they fail (exit 2) saying the index is damaged.
pub fn run_on_damage(ws: &Workspace, args: &[&str]) -> Run {
    let run = ws.run(args);
    assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    assert!(
        run.stderr.contains("is damaged"),
        "{args:?}: {}",
        run.stderr
    );
    run
}

pub fn fixture(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// The shared real corpus beside the project, if present.
pub fn shared_corpus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!(
            "skipped: ../shared/corpus is absent (it lies beside the project root in CI; a plain clone does not have it)"
        );
        None
    }
}

/// A series without its zero entries.
pub fn nonzero(series: &Value) -> Value {
    let entries = series.as_object().expect("a series is an object");
    Value::Object(
        entries
            .iter()
            .filter(|(_, n)| n.as_u64() != Some(0))
            .map(|(k, n)| (k.clone(), n.clone()))
            .collect(),
    )
}
