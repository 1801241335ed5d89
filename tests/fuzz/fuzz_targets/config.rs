//! Any text as sources.toml and as topics.toml: a configuration or an error
//! naming the line and key; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) =
        dossier::sources::SourcesConfig::parse(text, std::path::Path::new("sources.toml"))
    {
        for def in &config.sources {
            let _ = config.source_for_folder(def.folder());
        }
    }
    if let Ok(taxonomy) = dossier::extract::topics::Taxonomy::parse(text, "topics.toml") {
        let _ = taxonomy.tag("Human security", "the protection of civilians");
    }
});
