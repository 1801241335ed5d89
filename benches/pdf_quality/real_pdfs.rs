//! dossier's PDF text on the real-world PDFs of `../shared/pdfs`, per kind,
//! against poppler's `pdftotext` as the reference (each PDF read as the `dossier` binary reads it, in
//! its bounded child process): *folded word recall*,
//! the share of the reference's words (NFKC, lower case, runs of letters
//! and digits; a CJK character is a word) that dossier's text also has,
//! counted with multiplicity. Files whose reference MANIFEST.tsv marks as
//! unusable are listed with what dossier got, not scored.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use dossier::extract::pdf::extract_pdf;
use unicode_normalization::UnicodeNormalization;

struct Entry {
    file: String,
    kind: String,
    reference_usable: bool,
}

struct Scored {
    file: String,
    recall: f64,
}

pub fn report(shared: &Path) {
    let dir = shared.join("pdfs");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        println!("{} is absent: no real-PDF figures\n", dir.display());
        return;
    };
    if Command::new("pdftotext").arg("-v").output().is_err() {
        println!(
            "pdftotext is not installed (apt-get install poppler-utils): no reference for {}\n",
            dir.display()
        );
        return;
    }
    let entries: Vec<Entry> = manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Some(Entry {
                file: cols.first()?.to_string(),
                kind: cols.get(1)?.to_string(),
                reference_usable: cols.get(4).is_some_and(|c| *c == "yes"),
            })
        })
        .collect();
    // Read as dossier reads them: in the bounded child process.
    dossier::extract::pdf::sandbox::enable(env!("CARGO_BIN_EXE_dossier").into());
    let mut by_kind: Vec<(String, Vec<Scored>)> = Vec::new();
    let mut unscored = Vec::new();
    let (mut ours_ms, mut theirs_ms) = (0.0, 0.0);
    for entry in &entries {
        let path = dir.join(&entry.file);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let started = Instant::now();
        let ours = extract_pdf(&bytes);
        ours_ms += started.elapsed().as_secs_f64() * 1000.0;
        let started = Instant::now();
        let theirs = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        theirs_ms += started.elapsed().as_secs_f64() * 1000.0;
        let our_text = ours.as_ref().map(|p| p.text.clone()).unwrap_or_default();
        let reference = theirs.unwrap_or_default();
        let reference_words = folded_words(&reference);
        if !entry.reference_usable || reference_words.is_empty() {
            let what = match &ours {
                Ok(p) => format!("{} words on {} pages", folded_words(&p.text).len(), p.pages),
                Err(e) => format!("refused: {e}"),
            };
            unscored.push(format!("{:<10} {:<60} {what}", entry.kind, entry.file));
            continue;
        }
        let recall = recall(&reference_words, &folded_words(&our_text));
        let scored = Scored {
            file: entry.file.clone(),
            recall,
        };
        match by_kind.iter_mut().find(|(k, _)| *k == entry.kind) {
            Some((_, list)) => list.push(scored),
            None => by_kind.push((entry.kind.clone(), vec![scored])),
        }
    }
    by_kind.sort_by(|a, b| a.0.cmp(&b.0));
    println!(
        "Real PDFs ({}), folded word recall against pdftotext:\n",
        dir.display()
    );
    println!(
        "{:<10} {:>3} {:>7} {:>7} {:>7}   worst file",
        "kind", "n", "median", "worst", "≥0.95"
    );
    let mut all = Vec::new();
    for (kind, list) in &by_kind {
        let recalls: Vec<f64> = list.iter().map(|s| s.recall).collect();
        let worst = list
            .iter()
            .min_by(|a, b| a.recall.total_cmp(&b.recall))
            .expect("a kind has files");
        println!(
            "{:<10} {:>3} {:>7.3} {:>7.3} {:>7}   {}",
            kind,
            list.len(),
            median(recalls.clone()),
            worst.recall,
            recalls.iter().filter(|r| **r >= 0.95).count(),
            worst.file
        );
        all.extend(recalls);
    }
    println!(
        "{:<10} {:>3} {:>7.3} {:>7.3} {:>7}",
        "all",
        all.len(),
        median(all.clone()),
        all.iter().copied().fold(f64::INFINITY, f64::min),
        all.iter().filter(|r| **r >= 0.95).count()
    );
    println!("\nBelow 0.95:");
    for (kind, list) in &by_kind {
        for s in list.iter().filter(|s| s.recall < 0.95) {
            println!("  {:.3}  {:<10} {}", s.recall, kind, s.file);
        }
    }
    println!("\nNo usable reference (what dossier got):");
    for line in &unscored {
        println!("  {line}");
    }
    println!(
        "\nTime for all {} files: dossier {:.0} ms, pdftotext {:.0} ms\n",
        entries.len(),
        ours_ms,
        theirs_ms
    );
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Words as the recall counts them: NFKC, lower case, runs of letters,
/// marks and digits; each CJK character a word of its own.
fn folded_words(text: &str) -> Vec<String> {
    let folded: String = text.nfkc().collect::<String>().to_lowercase();
    let mut words = Vec::new();
    let mut word = String::new();
    for c in folded.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            words.push(c.to_string());
        } else if c.is_alphanumeric() || is_mark(c) {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Combining marks (Arabic vowels, Thai and Devanagari signs) belong to
/// their word.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}' | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}')
}

fn recall(reference: &[String], ours: &[String]) -> f64 {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in ours {
        *counts.entry(w).or_default() += 1;
    }
    let found = reference
        .iter()
        .filter(|w| {
            counts.get_mut(w.as_str()).is_some_and(|c| {
                let had = *c > 0;
                *c = c.saturating_sub(1);
                had
            })
        })
        .count();
    found as f64 / reference.len().max(1) as f64
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}
