//! `dossier export`: every document and every field round-trips through the
//! NDJSON export; `--bulk` pairs each with an action line; the Quickwit
//! config is valid YAML holding every exported field with the options
//! Quickwit needs.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{Workspace, fixture};
use serde_json::Value;

/// The fixtures, plus documents in other languages and a PDF, so that every
/// kind of field and each text routing is exported.
fn workspace() -> Workspace {
    let ws = Workspace::with_fixtures();
    // Keyword fields from file names, exported as `fields`.
    ws.write(
        "sources.toml",
        "[[source]]\nid = \"un-security-council\"\nname = \"UN Security Council\"\nfields = 'S_RES_(?P<number>\\d+)_(?P<year>\\d{4})'\n",
    );
    ws.write(
        "un/fr.txt",
        "Protection des civils\n\nLe Conseil souligne que la protection des civils dans les \
         conflits armés incombe à chaque État, et que les femmes et les enfants souffrent le \
         plus des violences de la guerre (2019).",
    );
    ws.write(
        "un/zh.txt",
        "保护平民\n\n安理会强调，在武装冲突中保护平民是每个国家的责任，妇女和儿童受战争暴力之害最深。",
    );
    ws.write(
        "kfor/chronicle-2019-06.pdf",
        fixture("kfor/chronicle-2019-06.pdf"),
    );
    // A collection file: many documents, one file.
    ws.write(
        "coll/corpus.jsonl",
        "{\"_id\": \"d1\", \"title\": \"Sexual violence in conflict\", \"text\": \"The report documents conflict-related sexual violence.\"}\n\
         {\"_id\": \"d2\", \"title\": \"Children and armed conflict\", \"text\": \"Grave violations against children were verified.\"}\n",
    );
    ws.index_json();
    ws
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn ndjson_round_trips_every_document_and_field() {
    let ws = workspace();
    let run = ws.run(&["export", "--ndjson"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let exported = lines(&run.stdout);
    let stats = ws.run(&["stats", "--json"]).json();
    assert_eq!(exported.len() as u64, stats["documents"].as_u64().unwrap());
    assert_eq!(exported.len(), 8);

    let mut routes = BTreeSet::new();
    for doc in &exported {
        let id = doc["id"].as_str().unwrap();
        let shown = ws.run(&["show", id, "--json"]).json();
        // Every field `show` knows, equal; the text under its analysis' name.
        for field in [
            "id",
            "title",
            "source",
            "source_name",
            "lang",
            "year",
            "date",
            "topics",
            "path",
            "url",
            "size",
            "hash",
            "provenance",
        ] {
            let exported_value = match field {
                "title" => ["title", "title_cjk", "title_other"]
                    .iter()
                    .find_map(|k| doc.get(*k))
                    .cloned()
                    .unwrap_or(Value::Null),
                "date" => doc
                    .get("date")
                    .and_then(Value::as_str)
                    .map(|d| Value::String(d[..10].to_string()))
                    .unwrap_or(Value::Null),
                _ => doc.get(field).cloned().unwrap_or(Value::Null),
            };
            assert_eq!(exported_value, shown[field], "{id}: {field}");
        }
        let (key, body) = ["body", "body_cjk", "body_other"]
            .iter()
            .find_map(|k| doc.get(*k).map(|b| (*k, b)))
            .unwrap_or_else(|| panic!("{id}: no body"));
        assert_eq!(body, &shown["text"], "{id}: body");
        routes.insert((doc["lang"].as_str().unwrap().to_string(), key));
        // The file a document came from: itself, or the collection it is a line of.
        let file = if id.starts_with("coll/") {
            "coll/corpus.jsonl"
        } else {
            id
        };
        assert_eq!(doc["file"], file, "{id}");
        // Dates are RFC 3339, as the config's input format says.
        if let Some(date) = doc.get("date") {
            assert!(date.as_str().unwrap().ends_with("T00:00:00Z"), "{date}");
        }
    }
    // English stemmed, Chinese split, French folded.
    assert!(routes.contains(&("en".to_string(), "body")), "{routes:?}");
    assert!(
        routes.contains(&("zh".to_string(), "body_cjk")),
        "{routes:?}"
    );
    assert!(
        routes.contains(&("fr".to_string(), "body_other")),
        "{routes:?}"
    );
    // The PDF's pages survive (form feeds between them).
    let pdf = exported
        .iter()
        .find(|d| d["id"] == "kfor/chronicle-2019-06.pdf")
        .unwrap();
    assert!(pdf["body"].as_str().unwrap().contains('\x0c'));

    // Filters, and nothing to export.
    let run = ws.run(&["export", "--ndjson", "--lang", "fr"]);
    assert_eq!(lines(&run.stdout).len(), 1);
    let run = ws.run(&["export", "--ndjson", "--source", "kfor"]);
    assert_eq!(lines(&run.stdout).len(), 2);
    let run = ws.run(&["export", "--ndjson", "--lang", "pt"]);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    assert!(
        run.stderr.contains("no document to export"),
        "{}",
        run.stderr
    );
    // A code of no language dossier knows, and no document carries.
    let run = ws.run(&["export", "--ndjson", "--lang", "xx"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(run.stderr.contains("no language 'xx'"), "{}", run.stderr);
}

#[test]
fn bulk_pairs_each_document_with_its_action() {
    let ws = workspace();
    let run = ws.run(&["export", "--bulk", "dossier-test"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = lines(&run.stdout);
    assert_eq!(lines.len(), 16);
    for pair in lines.chunks(2) {
        assert_eq!(pair[0]["index"]["_index"], "dossier-test");
        assert_eq!(pair[0]["index"]["_id"], pair[1]["id"]);
    }
}

/// Six documents indexed one refresh each, in the order c, a, f, d, b, e:
/// six segments, which tantivy lists in an order of its own (by their random
/// ids), so that the same documents indexed again came out in another order.
#[test]
fn documents_are_exported_in_id_order_whatever_their_segments() {
    let ws = Workspace::new();
    for name in ["c", "a", "f", "d", "b", "e"] {
        ws.write(
            &format!("memos/{name}.txt"),
            format!("Memo {name}\n\nThe ceasefire holds along the boundary line."),
        );
        ws.index_json();
    }
    let expected = ["a", "b", "c", "d", "e", "f"].map(|name| format!("memos/{name}.txt"));
    let run = ws.run(&["export", "--ndjson"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<Value> = lines(&run.stdout).iter().map(|d| d["id"].clone()).collect();
    assert_eq!(ids, expected);
    let run = ws.run(&["export", "--bulk", "memos"]);
    let ids: Vec<Value> = lines(&run.stdout)
        .iter()
        .step_by(2)
        .map(|action| action["index"]["_id"].clone())
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn an_empty_or_missing_index_says_so() {
    let ws = Workspace::new();
    let run = ws.run(&["export", "--ndjson"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("dossier index"), "{}", run.stderr);
    // One of the three outputs must be named.
    let run = ws.run(&["export"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--ndjson"), "{}", run.stderr);
}

/// Quickwit 0.9's built-in tokenizers (quickwit-query's
/// `create_default_quickwit_tokenizer_manager` at v0.9.0), written out here
/// apart from the library's list so that a change to either shows.
const QUICKWIT_0_9_TOKENIZERS: &[&str] = &[
    "raw",
    "raw_lowercase",
    "lowercase",
    "default",
    "whitespace",
    "chinese_compatible",
    "source_code_default",
    "source_code_with_hex",
    "unicode_segmenter",
    "datadog",
];

#[test]
fn quickwit_config_is_valid_yaml_with_every_exported_field() {
    let ws = workspace();
    let run = ws.run(&["export", "--quickwit-config", "--index-id", "un-docs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config: serde_norway::Value = serde_norway::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not YAML ({e}):\n{}", run.stdout));
    // serde_norway's value → JSON's, for plain indexing.
    let config: Value = serde_json::to_value(&config).unwrap();
    assert_eq!(config["version"], "0.9");
    assert_eq!(config["index_id"], "un-docs");
    let mapping = &config["doc_mapping"];
    assert_eq!(mapping["mode"], "strict");
    let custom: BTreeSet<&str> = mapping["tokenizers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let fields: BTreeMap<&str, &Value> = mapping["field_mappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f))
        .collect();

    for (name, field) in &fields {
        let kind = field["type"].as_str().unwrap();
        assert!(
            ["text", "array<text>", "u64", "datetime", "json"].contains(&kind),
            "{name}: {kind}"
        );
        if kind.ends_with("text") && field["indexed"] != false {
            let tokenizer = field["tokenizer"].as_str().unwrap();
            assert!(
                QUICKWIT_0_9_TOKENIZERS.contains(&tokenizer) || custom.contains(tokenizer),
                "{name}: {tokenizer}"
            );
        }
    }
    // BM25 and phrases on the text; fast year and date; keywords for terms aggregations.
    for name in [
        "title",
        "body",
        "title_cjk",
        "body_cjk",
        "title_other",
        "body_other",
    ] {
        assert_eq!(fields[name]["fieldnorms"], true, "{name}");
        assert_eq!(fields[name]["record"], "position", "{name}");
    }
    assert_eq!(fields["year"]["fast"], true);
    assert_eq!(fields["date"]["fast"], true);
    assert_eq!(fields["date"]["input_formats"][0], "rfc3339");
    for name in ["source", "topics", "lang"] {
        assert_eq!(fields[name]["tokenizer"], "raw", "{name}");
        assert_eq!(fields[name]["fast"], true, "{name}");
    }
    for name in config["search_settings"]["default_search_fields"]
        .as_array()
        .unwrap()
    {
        assert!(fields.contains_key(name.as_str().unwrap()), "{name}");
    }

    // Strict mode refuses unknown fields: every exported key must be mapped.
    let exported = lines(&ws.run(&["export", "--ndjson"]).stdout);
    let keys: BTreeSet<String> = exported
        .iter()
        .flat_map(|d| d.as_object().unwrap().keys().cloned())
        .collect();
    for key in &keys {
        assert!(
            fields.contains_key(key.as_str()),
            "exported {key} is not mapped"
        );
    }
    // And nothing mapped is never exported.
    for name in fields.keys() {
        assert!(keys.contains(*name), "mapped {name} is never exported");
    }

    for tokenizer in mapping["tokenizers"].as_array().unwrap() {
        for filter in tokenizer["filters"].as_array().unwrap() {
            assert!(
                ["remove_long", "lower_caser", "ascii_folding"].contains(&filter.as_str().unwrap()),
                "{filter}"
            );
        }
    }
    // Quickwit 0.8 still stems English.
    let old = ws.run(&["export", "--quickwit-config", "--quickwit-version", "0.8"]);
    assert!(old.stdout.contains("version: \"0.8\"") && old.stdout.contains("tokenizer: en_stem"));

    let run = ws.run(&["export", "--quickwit-config", "--index-id", "1 bad"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a Quickwit index id"),
        "{}",
        run.stderr
    );
}

#[test]
fn bulk_index_names_are_those_both_clusters_accept() {
    let ws = workspace();
    for bad in ["Dossier", "_x", "un docs", "my/idx", "ab"] {
        let run = ws.run(&["export", "--bulk", bad]);
        assert_eq!(run.code, 2, "{bad}");
        assert!(
            run.stderr.contains("lower-case letter"),
            "{bad}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
}

/// Request files are each at most the size asked for, and together hold
/// exactly what the stream holds.
#[test]
fn request_files_stay_under_the_size_asked_for() {
    let ws = workspace();
    for i in 0..40 {
        ws.write(
            &format!("big/doc{i}.txt"),
            format!(
                "Document {i}\n\n{}",
                "human security and development ".repeat(300)
            ),
        );
    }
    ws.index_json();
    for format in [&["--ndjson"][..], &["--bulk", "dossier"]] {
        let mut args = vec!["export"];
        args.extend_from_slice(format);
        let stream = ws.run(&args).stdout;
        let dir = ws.dir.path().join(format!("requests{}", format.len()));
        let dir_arg = dir.to_str().unwrap();
        args.extend_from_slice(&["--requests", dir_arg, "--request-bytes", "65536"]);
        let run = ws.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        assert!(names.len() >= 3, "{names:?}");
        assert!(
            run.stderr
                .contains(&format!("in {} request files", names.len())),
            "{}",
            run.stderr
        );
        let mut joined = String::new();
        for name in &names {
            let text = std::fs::read_to_string(name).unwrap();
            assert!(text.len() <= 65536, "{name:?}: {}", text.len());
            // Whole records: a bulk file starts with an action line.
            if format.len() == 2 {
                assert!(text.starts_with("{\"index\""), "{name:?}");
            }
            joined.push_str(&text);
        }
        assert_eq!(joined, stream);
        // A second export into the same folder would mix two exports.
        assert_eq!(ws.run(&args).code, 2);
    }
}

fn commit_of(stderr: &str) -> u64 {
    let at = stderr.find("at commit ").expect(stderr) + "at commit ".len();
    stderr[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// After an update, an export `--since` the last one has the documents added
/// and changed, and the ids removed (Quickwit delete tasks, `_bulk` deletes).
#[test]
fn an_export_since_a_commit_holds_what_changed() {
    let ws = workspace();
    let first = ws.run(&["export", "--ndjson"]);
    let since = commit_of(&first.stderr);
    let since_arg = since.to_string();

    ws.write("un/new.txt", "New\n\nA new document on civilians.");
    ws.write("un/fr.txt", "Protection des civils\n\nUn texte changé.");
    ws.remove("un/zh.txt");
    // A collection loses one line and keeps the other unchanged.
    ws.write(
        "coll/corpus.jsonl",
        "{\"_id\": \"d1\", \"title\": \"Sexual violence in conflict\", \"text\": \"The report documents conflict-related sexual violence.\"}\n",
    );
    ws.index_json();

    let deletes = ws.dir.path().join("deletes.ndjson");
    let run = ws.run(&[
        "export",
        "--ndjson",
        "--since",
        &since_arg,
        "--deletes",
        deletes.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written: BTreeSet<String> = lines(&run.stdout)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    // The collection file changed, so its remaining line is written again.
    assert_eq!(
        written,
        ["coll/corpus.jsonl#d1", "un/fr.txt", "un/new.txt"]
            .map(String::from)
            .into()
    );
    assert!(run.stderr.contains("2 removed"), "{}", run.stderr);
    assert!(commit_of(&run.stderr) > since);
    let tasks = lines(&std::fs::read_to_string(&deletes).unwrap());
    assert_eq!(tasks.len(), 1);
    let query = tasks[0]["query"].as_str().unwrap();
    for id in [
        "un/zh.txt",
        "coll/corpus.jsonl#d2",
        "un/fr.txt",
        "un/new.txt",
    ] {
        assert!(query.contains(&format!("id:\"{id}\"")), "{query}");
    }
    assert!(
        !query.contains("S_RES"),
        "unchanged documents are kept: {query}"
    );

    // Elasticsearch: delete actions for the removed, then index actions.
    let bulk = ws.run(&["export", "--bulk", "dossier", "--since", &since_arg]);
    let actions = lines(&bulk.stdout);
    let deleted: BTreeSet<&str> = actions
        .iter()
        .filter_map(|a| a["delete"]["_id"].as_str())
        .collect();
    assert_eq!(deleted, ["coll/corpus.jsonl#d2", "un/zh.txt"].into());
    assert_eq!(actions.iter().filter(|a| a["index"].is_object()).count(), 3);

    // Nothing changed since the last commit: exit 1. A commit from the
    // future: exit 2.
    let now = commit_of(&run.stderr).to_string();
    let nothing = ws.run(&["export", "--ndjson", "--since", &now]);
    assert_eq!(nothing.code, 1, "{}", nothing.stderr);
    assert!(
        nothing.stderr.contains("nothing changed"),
        "{}",
        nothing.stderr
    );
    let ahead = ws.run(&["export", "--ndjson", "--since", "999"]);
    assert_eq!(ahead.code, 2);
    assert!(ahead.stderr.contains("later than"), "{}", ahead.stderr);

    // A rebuild writes every document again, and removes none for good.
    assert_eq!(ws.run(&["index", "--rebuild"]).code, 0);
    let rebuilt = ws.run(&["export", "--ndjson", "--since", &now]);
    let documents = ws.run(&["stats", "--json"]).json()["documents"]
        .as_u64()
        .unwrap();
    assert_eq!(
        lines(&rebuilt.stdout).len() as u64,
        documents,
        "{}",
        rebuilt.stderr
    );
    assert!(rebuilt.stderr.contains(" 0 removed"), "{}", rebuilt.stderr);
}

/// Keyword values longer than a keyword token may be (255 bytes) are
/// shortened with a marker, not dropped by the cluster silently.
#[test]
fn long_ids_are_shortened_with_a_marker() {
    let ws = Workspace::new();
    let deep = format!("un/{}/{}/report.txt", "a".repeat(150), "b".repeat(150));
    ws.write(&deep, "Report\n\nOn human security.");
    ws.index_json();
    let exported = lines(&ws.run(&["export", "--ndjson"]).stdout);
    let id = exported[0]["id"].as_str().unwrap();
    assert!(id.len() <= 255 && id.contains("…#"), "{id}");
    assert!(
        exported[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("report.txt")
    );
}

/// An index rebuilt from one it could not read (another version, damage)
/// has lost what was removed before: an export since an older commit is
/// refused with what to do, never silently short; commit numbers go on.
#[test]
fn a_rebuild_from_an_unreadable_index_refuses_older_commits() {
    let ws = workspace();
    let first = ws.run(&["export", "--ndjson"]);
    let since = commit_of(&first.stderr);
    // The index as another version of dossier wrote it.
    let meta_path = ws.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let mut json: Value = serde_json::from_str(&meta).unwrap();
    let payload = json["payload"].as_str().unwrap().to_string();
    let mut info: Value = serde_json::from_str(&payload).unwrap();
    info["schema_version"] = 1.into();
    json["payload"] = info.to_string().into();
    std::fs::write(&meta_path, json.to_string()).unwrap();
    assert_eq!(ws.run(&["search", "x"]).code, 2);
    assert_eq!(ws.run(&["index", "--rebuild"]).code, 0);
    ws.remove("un/zh.txt");
    ws.index_json();
    let run = ws.run(&["export", "--ndjson", "--since", &since.to_string()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("keeps what changed only since"),
        "{}",
        run.stderr
    );
    // From the rebuild's own commit on, exports are whole again.
    let stats = ws.run(&["stats", "--json"]).json();
    assert!(stats["commit"].as_u64().unwrap() > since, "{stats}");
}
