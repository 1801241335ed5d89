//! How much of a PDF's text dossier gets back, word for word.
//!
//! Known texts (real UN documents from `../shared/corpus` when it is there,
//! else the test fixtures) are turned into PDFs by several producers, read
//! back with dossier's PDF extractor, and compared with the original as the
//! index sees words (lower-cased, accents folded, split at punctuation):
//!
//! - *bag recall*: the share of the original's words that come back, counted
//!   with multiplicity;
//! - *in-order recall*: the longest common subsequence of the two word
//!   sequences, over the original's length (words back in reading order);
//! - *extra*: words that come back but were not in the original.
//!
//! Producers: lopdf (a Rust PDF writer; Helvetica, WinAnsi), LibreOffice
//! (`soffice --headless --convert-to pdf`), Ghostscript (`gs -sDEVICE=pdfwrite`
//! from PostScript this program writes). A producer that is not installed is
//! skipped with a message. poppler's `pdftotext`, when installed, reads the
//! same PDFs as a reference.
//!
//! First, though, the real-world PDFs of `../shared/pdfs` per kind against
//! `pdftotext` ([`real_pdfs`]): what the issue of PDF text measures.
//!
//! ```sh
//! cargo bench --bench pdf_quality                 # 12 documents
//! cargo bench --bench pdf_quality -- --docs 40
//! cargo bench --bench pdf_quality -- --real-only  # only ../shared/pdfs
//! ```

mod common;
#[path = "pdf_quality/real_pdfs.rs"]
mod real_pdfs;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use dossier::extract::pdf::extract_pdf;
use dossier::text::analysis::{analyze, exact_analyzer};

const MAX_WORDS: usize = 2_500;

/// Writes a sample as a PDF in a folder; an error when the tool is missing.
type Producer = fn(&Sample, &Path) -> Result<PathBuf, String>;

struct Sample {
    name: String,
    text: String,
}

#[derive(Default)]
struct Totals {
    docs: usize,
    failed: usize,
    words: usize,
    bag: usize,
    in_order: usize,
    extra: usize,
    pages: usize,
    millis: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let docs = args
        .iter()
        .position(|a| a == "--docs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(12usize);
    real_pdfs::report(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if args.iter().any(|a| a == "--real-only") {
        return;
    }
    let samples = samples(docs);
    let words: usize = samples.iter().map(|s| words_of(&s.text).len()).sum();
    println!(
        "{} documents, {} words (first {} words of each)\n",
        samples.len(),
        words,
        MAX_WORDS
    );
    let work = tempfile::tempdir().expect("temporary folder");

    let producers: [(&str, Producer); 3] = [
        ("lopdf (Rust)", produce_lopdf),
        ("LibreOffice", produce_libreoffice),
        ("Ghostscript", produce_ghostscript),
    ];
    let pdftotext = which("pdftotext");
    println!(
        "{:<14} {:>5} {:>7} {:>11} {:>15} {:>7} {:>6} {:>9}   reader",
        "producer", "docs", "failed", "bag recall", "in-order recall", "extra", "pages", "ms/doc"
    );
    for (name, produce) in &producers {
        let dir = work
            .path()
            .join(name.split_whitespace().next().unwrap_or("p"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut pdfs = Vec::new();
        let mut skipped = None;
        for sample in &samples {
            match produce(sample, &dir) {
                Ok(path) => pdfs.push((sample, path)),
                Err(e) => {
                    skipped = Some(e);
                    break;
                }
            }
        }
        if let Some(reason) = skipped {
            println!("{name:<14} skipped: {reason}");
            continue;
        }
        let dossier = measure(&pdfs, |bytes, _| {
            extract_pdf(bytes).map(|p| (p.text, p.pages))
        });
        print_row(name, &dossier, "dossier");
        if pdftotext {
            let poppler = measure(&pdfs, |_, path| {
                let out = Command::new("pdftotext")
                    .arg(path)
                    .arg("-")
                    .output()
                    .map_err(|e| e.to_string())?;
                let text = String::from_utf8_lossy(&out.stdout).into_owned();
                let pages = text.matches('\x0c').count();
                Ok((text, pages))
            });
            print_row("", &poppler, "pdftotext (reference)");
        }
    }
}

fn print_row(name: &str, t: &Totals, reader: &str) {
    let pct = |n: usize| {
        if t.words == 0 {
            0.0
        } else {
            100.0 * n as f64 / t.words as f64
        }
    };
    println!(
        "{:<14} {:>5} {:>7} {:>10.2}% {:>14.2}% {:>6.2}% {:>6} {:>9.1}   {reader}",
        name,
        t.docs,
        t.failed,
        pct(t.bag),
        pct(t.in_order),
        pct(t.extra),
        t.pages,
        t.millis / t.docs.max(1) as f64
    );
}

fn measure(
    pdfs: &[(&Sample, PathBuf)],
    read: impl Fn(&[u8], &Path) -> Result<(String, usize), String>,
) -> Totals {
    let mut totals = Totals::default();
    for (sample, path) in pdfs {
        let bytes = std::fs::read(path).unwrap();
        let original = words_of(&sample.text);
        totals.docs += 1;
        totals.words += original.len();
        let started = Instant::now();
        let result = read(&bytes, path);
        totals.millis += started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok((text, pages)) => {
                let back = words_of(&text);
                let (bag, extra) = bag_overlap(&original, &back);
                totals.bag += bag;
                totals.extra += extra;
                totals.in_order += lcs(&original, &back);
                totals.pages += pages;
            }
            Err(e) => {
                eprintln!("  {}: {e}", sample.name);
                totals.failed += 1;
            }
        }
    }
    totals
}

fn words_of(text: &str) -> Vec<String> {
    let mut words = analyze(&mut exact_analyzer(), text);
    words.truncate(MAX_WORDS);
    words
}

/// Words of `original` found in `back` (with multiplicity), and words of
/// `back` beyond those.
fn bag_overlap(original: &[String], back: &[String]) -> (usize, usize) {
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for w in back {
        *counts.entry(w).or_default() += 1;
    }
    let mut found = 0;
    for w in original {
        if let Some(c) = counts.get_mut(w.as_str())
            && *c > 0
        {
            *c -= 1;
            found += 1;
        }
    }
    let extra = counts
        .values()
        .filter(|c| **c > 0)
        .map(|c| *c as usize)
        .sum();
    (found, extra)
}

/// Longest common subsequence length, in O(n·m) time and O(m) memory.
fn lcs(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0u32; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()] as usize
}

fn samples(count: usize) -> Vec<Sample> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut paths = Vec::new();
    if shared.is_dir() {
        for folder in ["un-security-council", "un-general-debate"] {
            let mut files: Vec<PathBuf> = common::list_files(&shared.join(folder))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            files.sort();
            // Spread over the years rather than the first few.
            let step = (files.len() / (count / 2).max(1)).max(1);
            paths.extend(files.into_iter().step_by(step).take(count / 2 + count % 2));
        }
        paths.truncate(count);
    } else {
        println!("../shared/corpus is absent: using the test fixtures as known text");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        paths = common::list_files(&fixtures)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            // Known text: the words, set again by each producer (pages_of).
            let text: String = text
                .replace('\r', "")
                .split_whitespace()
                .take(MAX_WORDS)
                .collect::<Vec<_>>()
                .join(" ");
            Some(Sample {
                name: p.file_name()?.to_string_lossy().into_owned(),
                text,
            })
        })
        .collect()
}

/// Pages of about 400 words, as paragraphs of about 80.
fn pages_of(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .chunks(400)
        .map(|page| {
            page.chunks(80)
                .map(|p| p.join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

fn produce_lopdf(sample: &Sample, dir: &Path) -> Result<PathBuf, String> {
    let pages = pages_of(&sample.text);
    let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
    let bytes = common::pdf_writer::write_pdf(
        &refs,
        &common::pdf_writer::PdfInfo {
            title: None,
            creation_date: None,
            quote_lines: false,
        },
        true,
    );
    let path = dir.join(format!("{}.pdf", sample.name));
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    Ok(path)
}

fn produce_libreoffice(sample: &Sample, dir: &Path) -> Result<PathBuf, String> {
    if !which("soffice") {
        return Err("soffice not installed (apt-get install libreoffice-writer-nogui)".into());
    }
    let stem = sample.name.trim_end_matches(".txt");
    let txt = dir.join(format!("{stem}.txt"));
    std::fs::write(&txt, pages_of(&sample.text).join("\n\n")).map_err(|e| e.to_string())?;
    let status = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&txt)
        .env("HOME", dir)
        .output()
        .map_err(|e| e.to_string())?;
    let pdf = dir.join(format!("{stem}.pdf"));
    if !pdf.exists() {
        return Err(format!(
            "soffice made no PDF: {}",
            String::from_utf8_lossy(&status.stderr)
        ));
    }
    Ok(pdf)
}

fn produce_ghostscript(sample: &Sample, dir: &Path) -> Result<PathBuf, String> {
    if !which("gs") {
        return Err("gs not installed (apt-get install ghostscript)".into());
    }
    let stem = sample.name.trim_end_matches(".txt");
    let ps = dir.join(format!("{stem}.ps"));
    std::fs::write(&ps, postscript(&sample.text)).map_err(|e| e.to_string())?;
    let pdf = dir.join(format!("{stem}.pdf"));
    let out = Command::new("gs")
        .args(["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite"])
        .arg(format!("-sOutputFile={}", pdf.display()))
        .arg(&ps)
        .output()
        .map_err(|e| e.to_string())?;
    if !pdf.exists() {
        return Err(format!(
            "gs made no PDF: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(pdf)
}

/// A PostScript program that sets the text in Times-Roman (Latin-1), 80
/// characters a line, 60 lines a page.
fn postscript(text: &str) -> Vec<u8> {
    let mut out = b"%!PS-Adobe-3.0\n/Times-Roman findfont dup length dict begin {1 index /FID ne {def} {pop pop} ifelse} forall /Encoding ISOLatin1Encoding def currentdict end /TR exch definefont pop\n/TR findfont 10 scalefont setfont\n".to_vec();
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > 80 {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    for page in lines.chunks(60) {
        for (i, l) in page.iter().enumerate() {
            let y = 770 - 12 * i as i32;
            out.extend_from_slice(format!("56 {y} moveto (").as_bytes());
            for c in l.chars() {
                match c {
                    '(' | ')' | '\\' => {
                        out.push(b'\\');
                        out.push(c as u8);
                    }
                    c if (c as u32) < 0x20 => out.push(b' '),
                    c if (c as u32) < 0x80 => out.push(c as u8),
                    c if (c as u32) <= 0xff => {
                        out.extend_from_slice(format!("\\{:03o}", c as u32).as_bytes())
                    }
                    _ => out.push(b'?'),
                }
            }
            out.extend_from_slice(b") show\n");
        }
        out.extend_from_slice(b"showpage\n");
    }
    out
}

fn which(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
