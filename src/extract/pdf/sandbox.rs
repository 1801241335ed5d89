//! Reading a PDF in a child process with a memory and a time limit. The PDF
//! readers inflate streams as they parse (object streams, filter chains, raw
//! deflate behind junk bytes): a crafted file made them allocate gigabytes,
//! or abort, and took the whole refresh with it. In a child, a bomb exhausts
//! the child's memory limit and the parent reports the file and goes on.
//!
//! The child is the program itself (`dossier __read-pdf`), enabled by the
//! program at start ([`enable`]); it reads the PDF's bytes from its standard
//! input and writes the outcome as JSON on its standard output. A library
//! caller that does not enable it reads PDFs in its own process.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{MAX_READING_TIME, PdfText, reader};

/// The argument that makes the program read one PDF as a child.
pub const COMMAND: &str = "__read-pdf";

/// The memory a child may map, unless `DOSSIER_PDF_MEMORY_MB` says otherwise
/// (smaller machines, tests): the largest real PDFs read in a few hundred MB.
pub const DEFAULT_MEMORY_MB: u64 = 2048;

/// A limit above this (a terabyte) is no limit to speak of, and would
/// overflow once in bytes.
const MAX_MEMORY_MB: u64 = 1 << 20;

/// A child that has not answered by then is stopped: reading stops itself
/// after [`MAX_READING_TIME`]; this catches a child that hangs before.
const TIME_LIMIT: Duration = Duration::from_secs(MAX_READING_TIME.as_secs() + 30);

static EXECUTABLE: OnceLock<PathBuf> = OnceLock::new();

/// From now on, PDFs are read by `program COMMAND` in a child process.
pub fn enable(program: PathBuf) {
    let _ = EXECUTABLE.set(program);
}

/// The program children are started from, if the sandbox is enabled.
pub fn executable() -> Option<&'static Path> {
    EXECUTABLE.get().map(PathBuf::as_path)
}

/// What a child says.
#[derive(Serialize, Deserialize)]
enum Outcome {
    Read(PdfText),
    Refused(String),
}

/// The memory limit for children, in MB.
fn memory_mb() -> u64 {
    std::env::var("DOSSIER_PDF_MEMORY_MB")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|mb| (16..=MAX_MEMORY_MB).contains(mb))
        .unwrap_or(DEFAULT_MEMORY_MB)
}

/// Reads `bytes` in a child of `program`.
pub fn read_in_child(program: &Path, bytes: &[u8]) -> Result<PdfText, String> {
    let memory = memory_mb();
    let spawned = Command::new(program)
        .arg(COMMAND)
        .arg(memory.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        // The program cannot be started again (moved while running): read
        // here rather than not at all.
        Err(_) => return reader::read_pdf(bytes),
    };
    let input = bytes.to_vec();
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            // A child that stops early closes its end: not an error here.
            let _ = stdin.write_all(&input);
        }
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(stdout) = stdout.as_mut() {
            let _ = stdout.read_to_end(&mut out);
        }
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let output = reader.join().unwrap_or_default();
    match status {
        Some(status) if status.success() => match serde_json::from_slice(&output) {
            Ok(Outcome::Read(text)) => Ok(text),
            Ok(Outcome::Refused(reason)) => Err(reason),
            Err(_) => Err("not a readable PDF (its reader gave no answer)".into()),
        },
        Some(_) => Err(format!(
            "the PDF reader stopped: it crashed, or passed the {memory} MB of memory a PDF may use (a PDF bomb?); not indexed"
        )),
        None => Err(format!(
            "reading the PDF took more than {} s; not indexed",
            TIME_LIMIT.as_secs()
        )),
    }
}

/// The child's side: limits its own memory to `memory_mb`, reads a PDF from
/// `input`, writes the outcome to `output`.
pub fn serve(memory_mb: u64, mut input: impl Read, mut output: impl Write) -> io::Result<()> {
    limit_memory(memory_mb.clamp(16, MAX_MEMORY_MB) * 1024 * 1024);
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let outcome = match reader::read_pdf(&bytes) {
        Ok(text) => Outcome::Read(text),
        Err(reason) => Outcome::Refused(reason),
    };
    serde_json::to_writer(&mut output, &outcome).map_err(io::Error::from)?;
    output.flush()
}

/// Sets this process's address-space limit: an allocation past it fails,
/// and the process stops, instead of the machine swapping.
#[cfg(unix)]
fn limit_memory(bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct passed by reference and changes
    // only this process's limits; its failure leaves them as they were.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

#[cfg(not(unix))]
fn limit_memory(_bytes: u64) {}
