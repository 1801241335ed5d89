//! Lucene 9 beside dossier: Anserini 0.21's command-line tools (the jar in
//! pyserini 0.21.0's wheel, Lucene 9.4 inside, put in target/tools by
//! benches/install-tools.sh) run by the `java` on the PATH. Its
//! `IndexCollection` reads files of `{"id", "contents"}` lines and indexes
//! them with Lucene's English analysis (Anserini's DefaultEnglishAnalyzer:
//! StandardTokenizer, possessives, lower case, 33 stop words, Porter).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{find_tool, project_dir};

pub struct Lucene {
    pub jar: PathBuf,
    pub java: PathBuf,
}

impl Lucene {
    /// The jar in target/tools and a `java` that runs, or `None`.
    pub fn find() -> Option<Lucene> {
        let jar = project_dir().join("target/tools/anserini-0.21.0-fatjar.jar");
        let java = find_tool("java", &[])?;
        let runs = Command::new(&java)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success());
        (jar.is_file() && runs).then_some(Lucene { jar, java })
    }

    /// Runs one of the jar's classes, output captured; the last line it wrote
    /// to standard error when it fails.
    pub fn run(&self, class: &str, args: &[&str]) -> Result<(), String> {
        let output = Command::new(&self.java)
            .arg("-cp")
            .arg(&self.jar)
            .arg(class)
            .args(args)
            .output()
            .map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Err(stderr.lines().last().unwrap_or("java failed").to_string())
        }
    }

    /// `java`'s arguments that run one of the jar's classes.
    pub fn java_args(&self, class: &str, args: &[String]) -> Vec<String> {
        let mut all = vec![
            "-cp".to_string(),
            self.jar.display().to_string(),
            class.to_string(),
        ];
        all.extend(args.iter().cloned());
        all
    }

    /// Builds an index (see `index_args`).
    pub fn index(&self, docs: &Path, index: &Path, threads: usize) -> Result<(), String> {
        let args = index_args(docs, index, threads);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(INDEX_COLLECTION, &args)
    }

    /// Compiles benches/lucene/SpeedHarness.java against the jar into `out`,
    /// and returns the class path that runs it.
    pub fn compile_harness(&self, out: &Path) -> Result<String, String> {
        let javac = find_tool("javac", &[]).ok_or("javac not found (a JDK, not only a JRE)")?;
        let source = project_dir().join("benches/lucene/SpeedHarness.java");
        let output = Command::new(javac)
            .arg("-cp")
            .arg(&self.jar)
            .arg("-d")
            .arg(out)
            .arg(&source)
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!("javac failed: {}", stderr.trim()));
        }
        Ok(format!("{}:{}", self.jar.display(), out.display()))
    }
}

pub const INDEX_COLLECTION: &str = "io.anserini.index.IndexCollection";

/// The arguments of Anserini's `IndexCollection` over a folder of
/// `{"id", "contents"}` files: the default analyser, positions (for phrases),
/// the text not stored, on `threads` threads (each takes one file at a time).
pub fn index_args(docs: &Path, index: &Path, threads: usize) -> Vec<String> {
    let (docs, index) = (docs.display().to_string(), index.display().to_string());
    [
        "-collection",
        "JsonCollection",
        "-input",
        &docs,
        "-index",
        &index,
        "-generator",
        "DefaultLuceneDocumentGenerator",
        "-threads",
        &threads.to_string(),
        "-storePositions",
    ]
    .map(String::from)
    .to_vec()
}

/// Documents written as `{"id", "contents"}` lines for `IndexCollection`,
/// into `parts` files in a folder, in order, about as many documents each
/// (its threads take one file each).
pub struct DocsWriter {
    parts: Vec<std::io::BufWriter<std::fs::File>>,
    per_part: usize,
    written: usize,
    bytes: u64,
}

impl DocsWriter {
    /// `total`: how many documents will be added.
    pub fn create(dir: &Path, parts: usize, total: usize) -> std::io::Result<DocsWriter> {
        std::fs::create_dir_all(dir)?;
        let parts = parts.max(1);
        Ok(DocsWriter {
            parts: (0..parts)
                .map(|i| {
                    let file = std::fs::File::create(dir.join(format!("docs{i:02}.jsonl")))?;
                    Ok(std::io::BufWriter::new(file))
                })
                .collect::<std::io::Result<_>>()?,
            per_part: total.div_ceil(parts).max(1),
            written: 0,
            bytes: 0,
        })
    }

    pub fn add(&mut self, id: &str, contents: &str) -> std::io::Result<()> {
        let line = serde_json::json!({"id": id, "contents": contents}).to_string();
        let part = (self.written / self.per_part).min(self.parts.len() - 1);
        writeln!(self.parts[part], "{line}")?;
        self.written += 1;
        self.bytes += line.len() as u64 + 1;
        Ok(())
    }

    /// Flushes the files; returns the bytes written.
    pub fn finish(mut self) -> std::io::Result<u64> {
        for part in &mut self.parts {
            part.flush()?;
        }
        Ok(self.bytes)
    }
}
