//! Parses a dossier export with Quickwit's own code: the index config as
//! `quickwit index create` parses and validates it, then every document as
//! ingest maps it (strict mode refuses a field the mapping lacks), then index
//! names as Quickwit validates an index id. Built by `check.sh` against a
//! Quickwit source tree; not part of dossier's build.
//!
//! Usage: checker CONFIG.yaml DOCUMENTS.ndjson [NAME…]
//! Prints one line per finding; exits 1 when Quickwit refuses anything.

use std::io::BufRead;
use std::str::FromStr;

use quickwit_common::uri::Uri;
use quickwit_config::{ConfigFormat, build_doc_mapper, load_index_config_from_user_config};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, config_path, documents_path, names @ ..] = args.as_slice() else {
        anyhow::bail!("usage: checker CONFIG.yaml DOCUMENTS.ndjson [NAME…]");
    };
    let mut refused = 0;

    let config = std::fs::read(config_path)?;
    let root = Uri::from_str("ram:///indexes")?;
    let index_config = load_index_config_from_user_config(ConfigFormat::Yaml, &config, &root)
        .map_err(|e| anyhow::anyhow!("Quickwit refuses the config {config_path}: {e:#}"))?;
    let mapper = build_doc_mapper(&index_config.doc_mapping, &index_config.search_settings)?;
    println!(
        "config accepted: index {}, {} field mappings, mode {:?}",
        index_config.index_id,
        index_config.doc_mapping.field_mappings.len(),
        index_config.doc_mapping.mode,
    );

    let file = std::io::BufReader::new(std::fs::File::open(documents_path)?);
    let mut parsed = 0;
    for (number, line) in file.lines().enumerate() {
        let line = line?;
        match mapper.doc_from_json_str(&line) {
            Ok(_) => parsed += 1,
            Err(error) => {
                refused += 1;
                let start: String = line.chars().take(120).collect();
                println!("document {} refused: {error}: {start}", number + 1);
            }
        }
    }
    println!("{parsed} documents parsed, {refused} refused");

    for name in names {
        match quickwit_config::validate_identifier("Index ID", name) {
            Ok(()) => println!("name {name:?} accepted"),
            Err(error) => println!("name {name:?} refused: {error}"),
        }
    }
    if refused > 0 {
        std::process::exit(1);
    }
    Ok(())
}
