//! Queries as researchers type them, and hits they can name and cite: pasted
//! curly quotes, filters that name nothing, prefixes and proximity, ids that
//! `show` takes back, citations for Zotero. Counts are checked against
//! counts made here, independently, over the same texts.

use serde_json::Value;

use crate::common::Workspace;

/// The small corpus's files and texts.
const DOCS: [(&str, &str); 5] = [
    (
        "un-security-council/S_RES_1244_1999.txt",
        "Resolution 1244\n\nThe situation in Kosovo. NATO and human security in the region. Kosovar refugees return.",
    ),
    (
        "un-security-council/S_RES_1325_2000.txt",
        "Resolution 1325\n\nWomen, peace and security. Human security is a concern of NATO’s partners.",
    ),
    (
        "nato/topic.txt",
        "Human security\n\nNATO's approach: the security of the human person, and human security as a whole. Kosova.",
    ),
    (
        "nato/far.txt",
        "Far apart\n\nNATO said many things over many years before it came to speak of the human side of security.",
    ),
    (
        "nato/other/topic.txt",
        "Another topic page\n\nThe Alliance and civilians.",
    ),
];

/// A small corpus in two sources, with Kosovo's names and the words of a
/// proximity question at known distances.
fn corpus() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        "[[source]]\nid = \"unsc\"\nname = \"UN Security Council resolutions\"\nauthor = \"United Nations Security Council\"\nfolder = \"un-security-council\"\nfields = 'S_RES_(?P<number>\\d+)_(?P<year>\\d{4})'\nsymbol = \"S/RES/{number} ({year})\"\n\n\
         [[source]]\nid = \"kfor\"\nname = \"KFOR Chronicle\"\nstart = [\"https://jfcnaples.nato.int/kfor/media-center\"]\n",
    );
    for (path, text) in DOCS {
        ws.write(path, text);
    }
    ws.index_json();
    ws
}

fn total(ws: &Workspace, args: &[&str]) -> u64 {
    let (code, json) = ws.search(args);
    assert!(code == 0 || code == 1, "{args:?}: {json}");
    json["total"].as_u64().unwrap()
}

#[test]
fn curly_and_angle_quotes_are_phrase_quotes_and_apostrophes_stay() {
    let ws = corpus();
    let straight = total(&ws, &["\"human security\""]);
    assert_eq!(straight, 3);
    assert!(total(&ws, &["human security"]) > straight - 1);
    for pasted in [
        "“human security”",
        "«human security»",
        "„human security‟",
        "‘human security’",
    ] {
        assert_eq!(total(&ws, &[pasted]), straight, "{pasted}");
    }
    // The apostrophe in NATO’s is no quote.
    assert_eq!(total(&ws, &["NATO’s partners"]), 1);
    // kwic and trend read the same language.
    let run = ws.run(&["kwic", "“human security”", "--count", "--json"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["total"], 4, "{json}");
}

#[test]
fn filters_that_name_nothing_say_so_and_suggest() {
    let ws = corpus();
    let run = ws.run(&["search", "security", "--source", "un-security-councl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean 'un-security-council'"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("kfor, nato, unsc"), "{}", run.stderr);
    // The folder and the id, in any case.
    assert_eq!(
        total(&ws, &["security", "--source", "UN-Security-Council"]),
        2
    );
    assert_eq!(total(&ws, &["security", "--source", "UNSC"]), 2);
    assert_eq!(total(&ws, &["security source:unsc"]), 2);
    // A source defined but not fetched yet: no error, a note, exit 1.
    let run = ws.run(&["search", "security", "--source", "kfor"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no documents in the index yet"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--source kfor"), "{}", run.stderr);
    // Topics by their last word, in any case.
    let leaf = total(&ws, &["security", "--topic", "Kosovo"]);
    assert_eq!(leaf, total(&ws, &["security", "--topic", "kosovo"]));
    let run = ws.run(&["search", "security", "--topic", "protection-of-civilian"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean"), "{}", run.stderr);
    // A query with operators that finds nothing suggests --plain.
    let run = ws.run(&["search", "\"security human person\""]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--plain"), "{}", run.stderr);
    // A colon after a word.
    let run = ws.run(&["search", "Human security: a new concept"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("'security:' at character 7 is no field"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--plain"), "{}", run.stderr);
}

#[test]
fn hits_are_named_by_ids_that_show_takes_back() {
    let ws = corpus();
    let run = ws.run(&["search", "kosovo"]);
    assert!(
        run.stdout
            .contains("   un-security-council/S_RES_1244_1999.txt\n"),
        "{}",
        run.stdout
    );
    for name in [
        "un-security-council/S_RES_1244_1999.txt",
        "S_RES_1244_1999.txt",
        &ws.sources()
            .join("un-security-council/S_RES_1244_1999.txt")
            .display()
            .to_string(),
    ] {
        let run = ws.run(&["show", name, "--no-text"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(
            run.stdout
                .contains("un-security-council/S_RES_1244_1999.txt"),
            "{name}"
        );
    }
    // Two documents share this file name: the ids are listed.
    let run = ws.run(&["show", "topic.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("nato/other/topic.txt, nato/topic.txt"),
        "{}",
        run.stderr
    );
    // kwic prints ids whole.
    let run = ws.run(&["kwic", "kosovo"]);
    assert!(
        run.stdout
            .starts_with("un-security-council/S_RES_1244_1999.txt"),
        "{}",
        run.stdout
    );
}

/// Documents whose text has a word starting with `prefix`, counted here.
fn documents_with_prefix(ws: &Workspace, prefix: &str) -> usize {
    let files = crate::common::files::list_files(&ws.sources());
    files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "txt"))
        .filter(|f| {
            let text = std::fs::read_to_string(ws.sources().join(f))
                .unwrap()
                .to_lowercase();
            text.split(|c: char| !c.is_alphanumeric())
                .any(|w| w.starts_with(prefix))
        })
        .count()
}

#[test]
fn prefixes_find_every_form_and_are_capped_with_a_note() {
    let ws = corpus();
    let expected = documents_with_prefix(&ws, "kosov");
    assert_eq!(expected, 2);
    assert_eq!(total(&ws, &["kosov*"]), expected as u64);
    // kwic counts each word: Kosovo, Kosovar, Kosova.
    let run = ws.run(&["kwic", "kosov*", "--json"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["total"], 3, "{json}");
    assert_eq!(total(&ws, &["title:resol*"]), 2);
    let run = ws.run(&["search", "k*"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("at least 2 letters"), "{}", run.stderr);
    // A prefix of 1,200 words: the most frequent 1,000, and a note.
    let words: String = (0..1200).map(|i| format!("zq{i:04} ")).collect();
    ws.write("many/words.txt", format!("Many\n\n{words}"));
    ws.index_json();
    let run = ws.run(&["search", "zq*"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("zq* stands for 1200 words"),
        "{}",
        run.stderr
    );
    let (_, json) = ws.search(&["zq*"]);
    assert!(
        json["notes"][0]
            .as_str()
            .unwrap()
            .contains("1000 most frequent"),
        "{json}"
    );
}

#[test]
fn proximity_has_lucenes_meaning_in_search_and_kwic() {
    let ws = corpus();
    // "nato … human security": within 2 moves in S_RES_1244 ("NATO and human
    // security"), reordered in nato/topic ("security of the human person"),
    // far apart in nato/far.
    assert_eq!(total(&ws, &["\"nato human security\"~0"]), 0);
    assert_eq!(total(&ws, &["\"nato human security\"~1"]), 1);
    assert_eq!(
        total(&ws, &["\"human security\"~0"]),
        total(&ws, &["\"human security\""])
    );
    // "the human side of security": two words between, two moves.
    assert_eq!(total(&ws, &["\"human security\"~1"]), 3);
    assert_eq!(total(&ws, &["\"human security\"~2"]), 4);
    assert_eq!(total(&ws, &["\"nato security\"~30"]), 4);
    // kwic: one occurrence per match, highlighted whole.
    let run = ws.run(&["kwic", "\"nato human security\"~1", "--json"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["total"], 1, "{json}");
    assert_eq!(
        json["lines"][0]["match"], "NATO and human security",
        "{json}"
    );
    let run = ws.run(&["search", "\"a b\"~x"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("needs a number"), "{}", run.stderr);
}

/// A Last-Modified header may say any year (a server's clock, a record
/// edited by hand): one outside the years a document can have is no date.
/// It used to be kept: year 1600 was shown as the date 2184-07-20, and
/// `kwic` called the index damaged, with a rebuild that could not mend it.
#[test]
fn a_last_modified_year_no_document_can_have_is_no_date() {
    let ws = Workspace::new();
    for (name, header) in [
        ("old", "Sat, 01 Jan 1600 00:00:00 GMT"),
        ("future", "Fri, 31 Dec 9999 00:00:00 GMT"),
        ("plausible", "Tue, 14 Feb 2023 10:00:00 GMT"),
    ] {
        ws.write(
            &format!("fetched/{name}.html"),
            format!("<html><head><title>{name}</title></head><body><p>Protection of civilians, {name}.</p></body></html>"),
        );
        ws.write(
            &format!("fetched/{name}.html.fetch.json"),
            format!(r#"{{"url": "https://example.org/{name}.html", "final_url": "https://example.org/{name}.html", "fetched_at": "2024-01-01T00:00:00Z", "last_modified": "{header}"}}"#),
        );
    }
    ws.index_json();
    for (name, year, date) in [
        ("old", None, None),
        ("future", None, None),
        ("plausible", Some(2023), Some("2023-02-14")),
    ] {
        let shown = ws.run(&[
            "show",
            &format!("fetched/{name}.html"),
            "--json",
            "--no-text",
        ]);
        assert_eq!(shown.code, 0, "{}", shown.stderr);
        let doc: Value = serde_json::from_str(&shown.stdout).unwrap();
        assert_eq!(doc["year"].as_u64(), year, "{name}: {doc}");
        assert_eq!(doc["date"].as_str(), date, "{name}: {doc}");
    }
    let kwic = ws.run(&["kwic", "civilians", "--count"]);
    assert_eq!(kwic.code, 0, "{}", kwic.stderr);
    let trend = ws.run(&["trend", "civilians"]);
    assert_eq!(trend.code, 0, "{}", trend.stderr);
    assert!(trend.stdout.lines().count() < 20, "{}", trend.stdout);
}

#[test]
fn citations_for_zotero_are_stable() {
    let ws = corpus();
    // A fetch record gives the address and the date it was fetched.
    ws.write(
        "un-security-council/S_RES_1325_2000.txt.fetch.json",
        r#"{"url": "https://undocs.org/S/RES/1325(2000)", "final_url": "https://documents.un.org/x.pdf", "fetched_at": "2026-11-29T10:00:00Z"}"#,
    );
    ws.index_json();
    let bibtex = ws.run(&["show", "S_RES_1325_2000.txt", "--cite", "bibtex"]);
    assert_eq!(bibtex.code, 0, "{}", bibtex.stderr);
    for field in [
        "@report{unsc2000-",
        "author = {{United Nations Security Council}}",
        "number = {S/RES/1325 (2000)}",
        "urldate = {2026-11-29}",
        "year = {2000}",
    ] {
        assert!(bibtex.stdout.contains(field), "{field}: {}", bibtex.stdout);
    }
    assert_eq!(
        bibtex.stdout,
        ws.run(&["show", "S_RES_1325_2000.txt", "--cite", "bibtex"])
            .stdout,
        "keys and fields are the same on every run"
    );
    let ris = ws.run(&["search", "\"human security\"", "--cite", "ris"]);
    assert_eq!(ris.stdout.matches("TY  - ").count(), 3, "{}", ris.stdout);
    assert_eq!(ris.stdout.matches("ER  - ").count(), 3);
    let csl = ws.run(&["search", "resolution", "--cite", "csl-json"]);
    let items: Value = serde_json::from_str(&csl.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|i| i["author"][0]["literal"] == "United Nations Security Council")
    );
    let keys: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), 2, "keys tell documents apart");
}

/// Documents of [`DOCS`] holding `words` one after another, counted here:
/// lower case, split at anything not a letter or digit.
fn documents_with_sequence(words: &[&str]) -> u64 {
    DOCS.iter()
        .filter(|(_, text)| {
            let tokens: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect();
            tokens
                .windows(words.len())
                .any(|w| w.iter().zip(words).all(|(a, b)| a == b))
        })
        .count() as u64
}

/// Phrases of common words are answered from the index's pairs of common
/// words (alone, or beside positions): the documents are the phrase's.
#[test]
fn phrases_of_common_words_find_exactly_their_documents() {
    let ws = corpus();
    for phrase in [
        "human security",
        "the human",
        "of the human",
        "security of the human person",
        "human security in the region",
        "security human",
        "in the",
        "of the security",
        "women peace and security",
        "united nations",
    ] {
        let words: Vec<&str> = phrase.split(' ').collect();
        assert_eq!(
            total(&ws, &[&format!("\"{phrase}\"")]),
            documents_with_sequence(&words),
            "{phrase}"
        );
    }
    assert_eq!(documents_with_sequence(&["of", "the", "human"]), 2);
}
