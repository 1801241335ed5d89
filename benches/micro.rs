//! Where time goes, stage by stage (divan): extraction of one HTML page, one
//! text file and one PDF (the test fixtures), and the query path on an index:
//! opening it, a reader, parsing and compiling a query, the search without
//! and with snippets.
//!
//! ```sh
//! cargo bench --bench micro                                   # index of the fixtures ×300
//! DOSSIER_BENCH_INDEX=/path/to/index cargo bench --bench micro  # an existing index
//! ```

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dossier::extract::extract;
use dossier::index::{DossierIndex, RefreshOptions, refresh_index};
use dossier::progress::Silent;
use dossier::search::{SearchRequest, prepare, search};

fn main() {
    divan::main();
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(rel),
    )
    .expect("fixture")
}

#[divan::bench]
fn extract_html(bencher: divan::Bencher) {
    let bytes = fixture("nato/topics_181779.htm");
    bencher
        .counter(divan::counter::BytesCount::of_slice(&bytes))
        .bench(|| extract(divan::black_box(&bytes), "nato/topics_181779.htm"));
}

#[divan::bench]
fn extract_text(bencher: divan::Bencher) {
    let bytes = fixture("un-security-council/S_RES_1325_2000_EN.txt");
    bencher
        .counter(divan::counter::BytesCount::of_slice(&bytes))
        .bench(|| extract(divan::black_box(&bytes), "unsc/S_RES_1325_2000_EN.txt"));
}

#[divan::bench]
fn extract_pdf(bencher: divan::Bencher) {
    let bytes = fixture("kfor/chronicle-2019-06.pdf");
    bencher
        .counter(divan::counter::BytesCount::of_slice(&bytes))
        .bench(|| extract(divan::black_box(&bytes), "kfor/chronicle-2019-06.pdf"));
}

/// The index the query benchmarks read: `DOSSIER_BENCH_INDEX`, or one built
/// once from the fixtures copied 300 times.
fn index_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("DOSSIER_BENCH_INDEX") {
            return PathBuf::from(dir);
        }
        let work = std::env::temp_dir().join(format!("dossier-micro-{}", std::process::id()));
        let sources = work.join("sources");
        for (rel, name) in [
            ("nato/topics_181779.htm", "nato"),
            ("kfor/news-2019-06-12.html", "kfor"),
            ("un-security-council/S_RES_1325_2000_EN.txt", "unsc"),
            ("kfor/chronicle-2019-06.pdf", "kfor"),
        ] {
            let bytes = fixture(rel);
            let ext = rel.rsplit('.').next().unwrap_or("txt");
            for i in 0..300 {
                let path = sources
                    .join(name)
                    .join(format!("{i:04}-{}.{ext}", rel.len()));
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, &bytes).unwrap();
            }
        }
        let index = work.join("index");
        refresh_index(&sources, &index, &RefreshOptions::default(), &Silent).expect("index");
        index
    })
}

const QUERIES: &[&str] = &[
    "\"human security\"",
    "nuclear disarmament",
    "kosovo OR kfor -serbia",
];

#[divan::bench]
fn open_index() -> DossierIndex {
    DossierIndex::open(index_dir()).expect("open")
}

#[divan::bench]
fn open_reader(bencher: divan::Bencher) {
    let index = DossierIndex::open(index_dir()).expect("open");
    bencher.bench(|| index.reader().expect("reader"));
}

#[divan::bench(args = QUERIES)]
fn parse_and_compile(bencher: divan::Bencher, query: &str) {
    let index = DossierIndex::open(index_dir()).expect("open");
    let request = SearchRequest::new(query);
    let reader = index.reader().expect("reader");
    let searcher = reader.searcher();
    bencher.bench(|| prepare(&index, &searcher, &request).map(|p| p.proximity.len()));
}

#[divan::bench(args = QUERIES)]
fn search_without_snippets(bencher: divan::Bencher, query: &str) {
    let index = DossierIndex::open(index_dir()).expect("open");
    let request = SearchRequest {
        snippets: false,
        ..SearchRequest::new(query)
    };
    bencher.bench(|| search(&index, &request).expect("search").total);
}

#[divan::bench(args = QUERIES)]
fn search_with_snippets(bencher: divan::Bencher, query: &str) {
    let index = DossierIndex::open(index_dir()).expect("open");
    let request = SearchRequest::new(query);
    bencher.bench(|| search(&index, &request).expect("search").total);
}
