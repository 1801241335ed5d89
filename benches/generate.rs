//! Writes a generated corpus (see `benches/common/corpus.rs`) to a folder:
//!
//! ```sh
//! cargo bench --bench generate -- --docs 100000 --out target/corpus-100k
//! cargo bench --bench generate -- --docs 1000000 --words 300 --seed 7 --out target/corpus-1m
//! ```

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::arg;
use common::corpus::{Settings, generate};

fn main() {
    let settings = Settings {
        docs: arg("--docs").and_then(|v| v.parse().ok()).unwrap_or(10_000),
        words: arg("--words").and_then(|v| v.parse().ok()).unwrap_or(3_000),
        seed: arg("--seed").and_then(|v| v.parse().ok()).unwrap_or(1),
    };
    let Some(out) = arg("--out").map(PathBuf::from) else {
        println!(
            "usage: cargo bench --bench generate -- --docs N [--words MEAN] [--seed S] --out DIR"
        );
        return;
    };
    let started = Instant::now();
    let bytes = generate(&out, &settings);
    println!(
        "{} documents, {:.0} MB in {:.1} s → {}",
        settings.docs,
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        out.display()
    );
}
