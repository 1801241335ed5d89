//! The research views: topics (taxonomy, tagging, re-tagging), the
//! concordance (kwic), trends, `show --match` and `stats`.

use crate::common::{Workspace, nonzero};
use serde_json::{Value, json};

fn corpus() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "nato/poc_2016.txt",
        "Protection of civilians policy\n\nThe protection of civilians is central. Civilian protection and the protection of civilians again; protection of civilians, and once more: protection-of-civilians.",
    );
    ws.write(
        "nato/wps_2018.txt",
        "Women, peace and security\n\nResolution 1325 and the gender perspective in operations.",
    );
    ws.write(
        "un/speech_1999.txt",
        "Statement\n\nHuman security matters. The concept of human security was born in 1994.",
    );
    ws.write(
        "un/speech_2004.txt",
        "Statement\n\nWe discuss human security and the protection of civilians in Kosovo.",
    );
    ws.write(
        "un/other_2004.txt",
        "Statement\n\nNothing about the subject at hand.",
    );
    ws
}

fn lines(ws: &Workspace, args: &[&str]) -> Value {
    let mut all = vec!["kwic", "--json"];
    all.extend_from_slice(args);
    let run = ws.run(&all);
    assert!(run.code <= 1, "{}", run.stderr);
    run.json()
}

#[test]
fn shipped_taxonomy_tags_documents_and_topic_filters_include_subtopics() {
    let ws = corpus();
    ws.index_json();
    assert_eq!(
        ws.ids(&["*", "--topic", "human-security/protection-of-civilians"]),
        ["nato/poc_2016.txt", "un/speech_2004.txt"]
    );
    // human-security: tagged directly (the phrase) or through a sub-topic.
    assert_eq!(
        ws.ids(&["*", "--topic", "human-security"]),
        [
            "nato/poc_2016.txt",
            "un/speech_1999.txt",
            "un/speech_2004.txt"
        ]
    );
    assert_eq!(
        ws.ids(&["civilians", "--topic", "women-peace-and-security"]),
        Vec::<String>::new()
    );
    assert_eq!(
        ws.ids(&["*", "--topic", "women-peace-and-security"]),
        ["nato/wps_2018.txt"]
    );
    assert_eq!(ws.ids(&["topic:kosovo"]), ["un/speech_2004.txt"]);

    let run = ws.run(&["topics", "--json"]);
    assert_eq!(run.code, 0);
    let tree = run.json();
    assert_eq!(tree["taxonomy"], "built-in");
    let human = tree["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "human-security")
        .unwrap();
    assert_eq!(human["label"], "Human security");
    assert_eq!(human["documents"], 3);
    let poc = human["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "human-security/protection-of-civilians")
        .unwrap();
    assert_eq!(poc["documents"], 2);
    let text = ws.run(&["topics"]).stdout;
    assert!(
        text.contains("        2    protection-of-civilians"),
        "{text}"
    );
}

#[test]
fn editing_topics_toml_retags_from_the_index_without_reading_sources() {
    let ws = corpus();
    ws.index_json();
    // Change a file's bytes behind the index's back, keeping size and mtime:
    // a refresh that read the sources would see "ZZZZZZ", one that re-tags
    // from the stored text sees the old words.
    let path = ws.sources().join("un/speech_1999.txt");
    let original = std::fs::read_to_string(&path).unwrap();
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, original.replace("concept", "ZZZZZZZ")).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(mtime).unwrap();
    drop(file);

    ws.write("topics.toml", "[[topic]]\nid = \"ideas/concepts\"\nlabel = \"Concepts\"\nphrases = [\"concept\"]\n\n[[topic]]\nid = \"ideas\"\nlabel = \"Ideas\"\n");
    let summary = ws.index_json();
    assert_eq!(
        (
            summary["added"].as_u64(),
            summary["updated"].as_u64(),
            summary["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(5))
    );
    // Four documents' topics changed; the fifth had none before and has none now.
    assert_eq!(summary["retagged"], 4, "{summary}");
    assert_eq!(
        ws.ids(&["*", "--topic", "ideas"]),
        ["un/speech_1999.txt"],
        "tagged from the stored text"
    );
    // The shipped taxonomy no longer applies: its topics are unknown now.
    let gone = ws.run(&["search", "*", "--topic", "human-security"]);
    assert_eq!(gone.code, 2, "{}", gone.stderr);
    assert!(
        gone.stderr.contains("no topic 'human-security'"),
        "{}",
        gone.stderr
    );
    assert!(
        ws.ids(&["zzzzzzz"]).is_empty(),
        "the source file was not read again"
    );
    // Searching still works on the re-tagged documents, phrases included.
    assert_eq!(
        ws.ids(&["\"concept of human security\""]),
        ["un/speech_1999.txt"]
    );
    assert_eq!(
        ws.index_json()["retagged"],
        0,
        "a second refresh has nothing to re-tag"
    );
    let tree = ws.run(&["topics", "--json"]).json();
    assert_eq!(tree["topics"][0]["id"], "ideas");
    assert_eq!(tree["topics"][0]["children"][0]["documents"], 1);
}

#[test]
fn source_default_topics_are_added() {
    let ws = corpus();
    ws.write(
        "sources.toml",
        "[[source]]\nid = \"un\"\ntopics = [\"un-system\"]\n",
    );
    ws.index_json();
    assert_eq!(ws.ids(&["*", "--topic", "un-system"]).len(), 3);
    let (_, json) = ws.search(&["\"concept of human security\""]);
    assert_eq!(
        json["hits"][0]["topics"],
        json!(["un-system", "human-security"])
    );
}

#[test]
fn bad_topics_toml_is_an_error_naming_the_key() {
    let ws = corpus();
    ws.write(
        "topics.toml",
        "[[topic]]\nid = \"a\"\nlabel = \"A\"\nmin_count = \"two\"\n",
    );
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("topics.toml")
            && run.stderr.contains("line 4")
            && run.stderr.contains("min_count"),
        "{}",
        run.stderr
    );
}

#[test]
fn kwic_lists_every_occurrence_exactly() {
    let ws = corpus();
    ws.index_json();
    let json = lines(&ws, &["\"protection of civilians\""]);
    assert_eq!(json["query"], "\"protection of civilians\"");
    // poc_2016: title once, body four times (the hyphenated form included); speech_2004 once.
    let per_doc: Vec<(String, usize)> = {
        let mut map = std::collections::BTreeMap::<String, usize>::new();
        for line in json["lines"].as_array().unwrap() {
            *map.entry(line["id"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        map.into_iter().collect()
    };
    assert_eq!(
        per_doc,
        [
            ("nato/poc_2016.txt".to_string(), 5),
            ("un/speech_2004.txt".to_string(), 1)
        ]
    );
    assert_eq!(json["total"], 6);
    let first = &json["lines"][0];
    assert_eq!(first["match"], "Protection of civilians");
    assert_eq!(first["left"], "");
    assert!(
        first["right"]
            .as_str()
            .unwrap()
            .starts_with(" policy The protection"),
        "{first}"
    );
    assert_eq!(first["year"], 2016);
    assert!(first["page"].is_null());
    let hyphenated = json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["match"] == "protection-of-civilians")
        .unwrap();
    assert!(
        hyphenated["left"]
            .as_str()
            .unwrap()
            .ends_with("once more: ")
    );

    let counts = ws
        .run(&["kwic", "\"protection of civilians\"", "--count", "--json"])
        .json();
    assert_eq!(
        counts,
        json!({"query": "\"protection of civilians\"", "total": 6, "documents": [{"id": "nato/poc_2016.txt", "count": 5}, {"id": "un/speech_2004.txt", "count": 1}]})
    );

    // Words match their stems; filters apply as in search.
    let json = lines(&ws, &["civilian", "--year", "2004"]);
    assert_eq!(json["total"], 1);
    assert_eq!(json["lines"][0]["match"], "civilians");
    let run = ws.run(&["kwic", "\"no such phrase\""]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("0 occurrences in 0 documents"));
}

#[test]
fn kwic_and_occurrences_of_no_words_say_so() {
    let ws = corpus();
    ws.index_json();
    for args in [
        vec!["kwic", "*"],
        vec!["kwic", "*", "--count"],
        vec!["trend", "*", "--occurrences"],
    ] {
        let run = ws.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.contains("no words or phrases"),
            "{args:?}: {}",
            run.stderr
        );
    }
    // A word beside the filter is what is listed.
    assert_eq!(ws.run(&["kwic", "* civilians"]).code, 0);
}

#[test]
fn kwic_sorts_and_aligns() {
    let ws = corpus();
    ws.index_json();
    let matches = |sort: &str| -> Vec<(String, String)> {
        lines(&ws, &["\"human security\"", "--sort", sort])["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["id"].as_str().unwrap().to_string(),
                    l["left"].as_str().unwrap().trim().to_string(),
                )
            })
            .collect()
    };
    let by_document = matches("document");
    assert_eq!(
        by_document
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        [
            "un/speech_1999.txt",
            "un/speech_1999.txt",
            "un/speech_2004.txt"
        ]
    );
    let by_left = matches("left");
    let lefts: Vec<&str> = by_left
        .iter()
        .map(|(_, l)| l.split_whitespace().last().unwrap_or(""))
        .collect();
    assert_eq!(
        lefts,
        ["discuss", "of", "Statement"],
        "sorted by the word just left of the match"
    );
    let by_year = matches("year");
    assert_eq!(by_year.last().unwrap().0, "un/speech_2004.txt");

    let run = ws.run(&["kwic", "\"human security\"", "--width", "12"]);
    let starts: Vec<usize> = run
        .stdout
        .lines()
        .filter(|l| l.contains("**"))
        .map(|l| l.find("**").unwrap())
        .collect();
    assert_eq!(starts.len(), 3);
    assert!(
        starts.iter().all(|s| *s == starts[0]),
        "matches aligned:\n{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  We discuss **human security** and the pro\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("3 occurrences in 2 documents\n"));
}

#[test]
fn trend_counts_equal_facet_counts_year_by_year() {
    let ws = corpus();
    ws.index_json();
    let trend = ws
        .run(&["trend", "\"human security\" OR civilians", "--json"])
        .json();
    let (_, search) = ws.search(&["\"human security\" OR civilians", "--limit", "0"]);
    // JSON series cover every year from first to last, zeros included (as
    // CSV does); the years with documents are the facet's.
    assert_eq!(nonzero(&trend["series"]["all"]), search["facets"]["year"]);
    assert_eq!(trend["series"]["all"]["2000"], 0);
    assert_eq!(trend["by"], "year");
    assert_eq!(trend["unit"], "documents");

    let split = ws
        .run(&[
            "trend",
            "\"human security\" OR civilians",
            "--split",
            "source",
            "--json",
        ])
        .json();
    assert_eq!(
        json!({"nato": nonzero(&split["series"]["nato"]), "un": nonzero(&split["series"]["un"])}),
        json!({"nato": {"2016": 1}, "un": {"1999": 1, "2004": 1}})
    );
    let occurrences = ws
        .run(&["trend", "\"human security\"", "--occurrences", "--json"])
        .json();
    assert_eq!(occurrences["unit"], "occurrences");
    assert_eq!(
        nonzero(&occurrences["series"]["all"]),
        json!({"1999": 2, "2004": 1})
    );
    let decade = ws
        .run(&["trend", "statement", "--by", "decade", "--json"])
        .json();
    assert_eq!(
        nonzero(&decade["series"]["all"]),
        json!({"1990": 1, "2000": 2})
    );

    let csv = ws
        .run(&[
            "trend",
            "\"human security\" OR civilians",
            "--split",
            "source",
            "--csv",
        ])
        .stdout;
    assert_eq!(csv.lines().next(), Some("year,un,nato"));
    assert_eq!(
        csv.lines().count(),
        1 + (2016 - 1999 + 1),
        "every year from first to last"
    );
    assert!(csv.contains("\n2000,0,0\n"));

    let svg = ws.dir.path().join("trend.svg");
    let run = ws.run(&[
        "trend",
        "\"human security\"",
        "--split",
        "source",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("1999  "), "{}", run.stdout);
    // Each bar names the series it draws (the year's largest).
    assert!(
        run.stdout
            .lines()
            .filter(|l| l.contains('█'))
            .all(|l| l.ends_with("█ un") || l.ends_with("█ nato")),
        "{}",
        run.stdout
    );
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<polyline") && svg.contains(">un</text>"));
    assert_eq!(ws.run(&["trend", "\"no such phrase\""]).code, 1);
    // A chart that cannot be written says so (it said "cannot read").
    let folder = ws.dir.path().to_str().unwrap();
    let run = ws.run(&["trend", "\"human security\"", "--svg", folder]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!("cannot write to {folder}")),
        "{}",
        run.stderr
    );
}

/// Output that cannot be written (a full disk) says it was standard output.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_named() {
    let ws = corpus();
    ws.index_json();
    for args in [
        &["search", "security"][..],
        &["kwic", "security"],
        &["export", "--ndjson"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = ws.command(args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output: No space left"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.matches("standard output").count(), 1, "{stderr}");
    }
}

#[test]
fn show_match_highlights_and_stats_summarise() {
    let ws = corpus();
    ws.index_json();
    let run = ws.run(&[
        "show",
        "un/speech_1999.txt",
        "--match",
        "\"human security\"",
    ]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("**Human security** matters. The concept of **human security** was"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2 matches"));
    let json = ws
        .run(&["show", "un/speech_1999.txt", "--match", "concept", "--json"])
        .json();
    let text = json["text"].as_str().unwrap();
    let [start, end] = [
        json["matches"][0][0].as_u64().unwrap() as usize,
        json["matches"][0][1].as_u64().unwrap() as usize,
    ];
    assert_eq!(
        text.chars()
            .skip(start)
            .take(end - start)
            .collect::<String>(),
        "concept"
    );
    assert_eq!(
        ws.run(&["show", "un/speech_1999.txt", "--match", "kosovo"])
            .code,
        1
    );

    let stats = ws.run(&["stats", "--json"]).json();
    assert_eq!(stats["documents"], 5);
    assert_eq!(stats["sources"], json!({"nato": 2, "un": 3}));
    assert_eq!(
        stats["years"],
        json!({"1999": 1, "2004": 2, "2016": 1, "2018": 1})
    );
    assert_eq!(stats["topics"]["human-security"], 3);
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    let refreshed = stats["last_refresh"].as_str().unwrap();
    assert!(refreshed.parse::<jiff::Timestamp>().is_ok(), "{refreshed}");
    let text = ws.run(&["stats"]).stdout;
    assert!(
        text.starts_with("documents     5 (0 without a year)\n"),
        "{text}"
    );
}
