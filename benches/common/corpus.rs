//! A seeded, deterministic generator of policy-document corpora at any size:
//! text, HTML and PDF files under `<source>/<year>/`, with Zipfian word
//! frequencies, the field's phrases at the rates they have in the real UN
//! corpus, dates in paths and metadata, and several sources. The same seed
//! and size give the same bytes, so growth can be measured at 10k, 100k and
//! 1M documents and compared across machines.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::pdf_writer;

/// The generator's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub docs: usize,
    /// Mean words per document (lengths vary from a third to three times this).
    pub words: usize,
    pub seed: u64,
}

/// Words a policy text is made of, most frequent first: the head of the
/// Zipf curve. Rarer words are made from syllables below.
const HEAD: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "for",
    "is",
    "on",
    "we",
    "with",
    "as",
    "our",
    "by",
    "this",
    "be",
    "are",
    "international",
    "its",
    "it",
    "all",
    "has",
    "have",
    "united",
    "nations",
    "security",
    "development",
    "peace",
    "which",
    "not",
    "world",
    "countries",
    "an",
    "at",
    "from",
    "their",
    "people",
    "also",
    "will",
    "must",
    "council",
    "country",
    "government",
    "human",
    "rights",
    "general",
    "assembly",
    "republic",
    "states",
    "conflict",
    "support",
    "economic",
    "global",
    "efforts",
    "region",
    "community",
    "cooperation",
    "state",
    "political",
    "women",
    "children",
    "resolution",
    "process",
    "situation",
    "continue",
    "national",
    "organization",
    "implementation",
    "important",
    "president",
    "members",
    "member",
    "its",
    "such",
    "new",
    "more",
    "these",
    "been",
    "other",
    "there",
    "can",
    "would",
    "those",
    "them",
    "social",
    "sustainable",
    "protection",
    "civilians",
    "armed",
    "forces",
    "humanitarian",
    "violence",
    "law",
    "agreement",
    "secretary",
    "mission",
    "operations",
    "military",
    "force",
    "crisis",
    "assistance",
    "efforts",
    "stability",
    "reconstruction",
    "refugees",
    "return",
    "kosovo",
    "nato",
    "kfor",
    "partners",
    "allies",
    "alliance",
    "summit",
    "policy",
    "approach",
    "gender",
    "equality",
    "participation",
    "prevention",
    "response",
    "climate",
    "change",
    "terrorism",
    "disarmament",
    "nuclear",
    "weapons",
    "poverty",
    "health",
    "education",
    "food",
    "environment",
    "democracy",
    "governance",
    "justice",
    "accountability",
    "dialogue",
    "negotiations",
    "sovereignty",
    "territorial",
    "integrity",
    "cultural",
    "property",
    "trafficking",
    "beings",
    "sexual",
    "related",
    "mandate",
    "report",
    "decides",
    "calls",
    "upon",
    "urges",
    "welcomes",
    "recalling",
    "reaffirming",
    "expressing",
    "concern",
    "deep",
];

/// The field's phrases, with their rate per word in the UN General Debate
/// corpus (`../shared/corpus/un-general-debate`, 31,908,375 words; counts by
/// `dossier kwic`: "Security Council" 28,735, "human rights" 25,714,
/// "sustainable development" 10,332, "human security" 537, "protection of
/// civilians" 136, "women, peace and security" 65, "Kosovo Force" 12,
/// "conflict-related sexual violence" 5).
const PHRASES: &[(&str, f64)] = &[
    ("Security Council", 9.0e-4),
    ("human rights", 8.06e-4),
    ("sustainable development", 3.24e-4),
    ("human security", 1.68e-5),
    ("protection of civilians", 4.3e-6),
    ("women, peace and security", 2.0e-6),
    ("Kosovo Force", 3.8e-7),
    ("conflict-related sexual violence", 1.6e-7),
];

const SOURCES: &[(&str, u32)] = &[
    ("un-general-debate", 60),
    ("un-security-council", 20),
    ("nato", 10),
    ("kfor", 6),
    ("undp", 4),
];

/// xorshift64*: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The vocabulary (head words, then made-up words) and its Zipf cumulative
/// distribution (exponent 1.07, as measured on English text).
pub struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    pub fn new(size: usize) -> Self {
        const SYLLABLES: &[&str] = &[
            "ka", "ro", "mi", "tes", "lan", "dor", "vi", "pre", "con", "sta", "bil", "ity", "tion",
            "ment", "al", "ive", "par", "ter", "ra", "gen", "cor", "do", "ma", "ne", "sul", "tri",
        ];
        let mut words: Vec<String> = HEAD.iter().map(|w| w.to_string()).collect();
        let mut rng = Rng::new(7);
        while words.len() < size {
            let n = 2 + rng.below(3);
            let word: String = (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            words.push(word);
        }
        let mut cumulative = Vec::with_capacity(words.len());
        let mut total = 0.0;
        for rank in 1..=words.len() {
            total += 1.0 / (rank as f64).powf(1.07);
            cumulative.push(total);
        }
        for c in &mut cumulative {
            *c /= total;
        }
        Vocabulary { words, cumulative }
    }

    pub fn word(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let i = self.cumulative.partition_point(|c| *c < u);
        &self.words[i.min(self.words.len() - 1)]
    }
}

/// The prose of one document: sentences of 12 to 30 words, paragraphs of 3
/// to 7 sentences, the field's phrases at their rates.
pub fn prose(vocab: &Vocabulary, rng: &mut Rng, words: usize) -> String {
    let mut out = String::with_capacity(words * 7);
    let mut written = 0;
    while written < words {
        let sentences = 3 + rng.below(5);
        for _ in 0..sentences {
            let length = 12 + rng.below(19);
            for k in 0..length {
                let mut phrase = None;
                let u = rng.unit();
                let mut acc = 0.0;
                for (p, rate) in PHRASES {
                    acc += rate;
                    if u < acc {
                        phrase = Some(*p);
                        break;
                    }
                }
                let word = phrase.unwrap_or_else(|| vocab.word(rng));
                if k == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(chars.as_str());
                    }
                } else {
                    out.push_str(word);
                }
                out.push(if k + 1 == length { '.' } else { ' ' });
                written += 1;
            }
            out.push(' ');
        }
        out.push_str("\n\n");
    }
    out
}

fn pick_source(rng: &mut Rng) -> &'static str {
    let total: u32 = SOURCES.iter().map(|s| s.1).sum();
    let mut at = rng.below(total as usize) as u32;
    for (name, weight) in SOURCES {
        if at < *weight {
            return name;
        }
        at -= weight;
    }
    SOURCES[0].0
}

/// Writes the corpus under `dir`; returns the number of bytes written.
/// Document `i` depends only on the seed and `i`, so the corpus of 100k
/// documents starts with the corpus of 10k.
pub fn generate(dir: &Path, settings: &Settings) -> u64 {
    let vocab = Vocabulary::new(50_000);
    (0..settings.docs)
        .into_par_iter()
        .map(|i| {
            let mut rng = Rng::new(settings.seed ^ (i as u64).wrapping_mul(0x1000_0000_01B3));
            let (path, bytes) = document(&vocab, &mut rng, i, settings.words);
            let path = dir.join(path);
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            std::fs::write(&path, &bytes).expect("write a generated document");
            bytes.len() as u64
        })
        .sum()
}

/// One document: its relative path and bytes.
pub fn document(
    vocab: &Vocabulary,
    rng: &mut Rng,
    i: usize,
    mean_words: usize,
) -> (PathBuf, Vec<u8>) {
    let source = pick_source(rng);
    let year = 1946 + rng.below(80);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    // Lengths from a third to three times the mean, skewed short (log-uniform:
    // the factor's mean is 8 / (3 ln 9) = 1.214, divided out).
    let factor = (1.0 / 3.0) * 9f64.powf(rng.unit()) / 1.214;
    let words = ((mean_words as f64) * factor).max(30.0) as usize;
    let title = format!(
        "{} {} {}",
        [
            "Statement on",
            "Report on",
            "Resolution on",
            "Address on",
            "Note on"
        ][rng.below(5)],
        vocab.word(rng),
        vocab.word(rng)
    );
    let body = prose(vocab, rng, words);
    let kind = rng.below(100);
    let stem = format!("{source}/{year}/doc-{i:07}");
    if kind < 70 {
        let text = format!("{title}\n\n{day} {} {year}\n\n{body}", month_name(month));
        (PathBuf::from(format!("{stem}.txt")), text.into_bytes())
    } else if kind < 95 {
        let paragraphs: String = body
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("<p>{p}</p>\n"))
            .collect();
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <meta name=\"date\" content=\"{year}-{month:02}-{day:02}\"></head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/topics\">Topics</a> <a href=\"/news\">News</a></nav>\
             <main><h1>{title}</h1>\n{paragraphs}</main><footer>Public diplomacy division</footer></body></html>\n"
        );
        (PathBuf::from(format!("{stem}.html")), html.into_bytes())
    } else {
        let words: Vec<&str> = body.split_whitespace().collect();
        let pages: Vec<String> = words.chunks(400).map(|c| c.join(" ")).collect();
        let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
        let date = format!("D:{year}{month:02}{day:02}");
        let bytes = pdf_writer::write_pdf(
            &refs,
            &pdf_writer::PdfInfo {
                title: Some(&title),
                creation_date: Some(&date),
                quote_lines: false,
            },
            true,
        );
        (PathBuf::from(format!("{stem}.pdf")), bytes)
    }
}

fn month_name(month: usize) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][(month - 1) % 12]
}
