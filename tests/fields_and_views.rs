//! Research views and metadata that answer thesis questions at a glance:
//! keyword fields read from paths (`country:THA`, `--facet country`, `trend
//! --split country`), a `sources.toml` kept outside a read-only corpus,
//! titles that are titles, trends that count documents once and compare
//! queries, output that fits 80 columns, an index tied to its folder, and
//! shell completions. Counts are checked against counts made here.

use serde_json::Value;

use crate::common::Workspace;

/// Speeches named as the UN General Debate names them: `CCC_SS_YYYY.txt`,
/// whose first line is no title. Returns the workspace and, per country,
/// how many speeches mention "human security".
fn debates(ws: &Workspace) -> std::collections::BTreeMap<&'static str, u64> {
    let speeches: [(&str, u32, u32, &str); 7] = [
        (
            "THA",
            54,
            1999,
            "My\ndelegation speaks of human security today.",
        ),
        (
            "THA",
            55,
            2000,
            "At the outset, I\nwish to speak of human security again.",
        ),
        (
            "DNK",
            54,
            1999,
            "On behalf of the\nGovernment, human security and development.",
        ),
        (
            "DNK",
            60,
            2005,
            "We\nsay nothing of that here, only of trade.",
        ),
        (
            "JPN",
            54,
            1999,
            "Japan\nbelieves in human security as a guide.",
        ),
        ("JPN", 55, 2000, "Japan\nspeaks of disarmament."),
        (
            "CAN",
            55,
            2000,
            "Canada\nspeaks of human security and landmines.",
        ),
    ];
    let mut expected = std::collections::BTreeMap::new();
    for (country, session, year, text) in speeches {
        ws.write(
            &format!("debate/Session {session} - {year}/{country}_{session}_{year}.txt"),
            text,
        );
        if text.contains("human security") {
            *expected.entry(country).or_default() += 1;
        }
    }
    expected
}

const DEBATE_SOURCE: &str = "[[source]]\nid = \"debate\"\nname = \"UN General Debate\"\n\
    fields = '(?P<country>[A-Z]{3})_(?P<session>\\d+)_(?P<year>\\d{4})\\.txt$'\n\
    title = \"{country} {year}, session {session}\"\n";

#[test]
fn keyword_fields_from_paths_are_queried_counted_and_split() {
    let ws = Workspace::new();
    ws.write("sources.toml", DEBATE_SOURCE);
    let expected = debates(&ws);
    ws.index_json();
    // country:THA, in any case.
    let (_, thailand) = ws.search(&["country:THA"]);
    assert_eq!(thailand["total"], 2);
    assert_eq!(ws.search(&["country:tha"]).1["total"], 2);
    assert_eq!(
        thailand["hits"][0]["fields"]["country"], "THA",
        "{thailand}"
    );
    assert!(thailand["hits"][0]["fields"]["session"].is_string());
    // `country:` without a value is a value missing, not 'no field'; and
    // a word made a field by its colon is told the index's fields too.
    for typed in ["country:", "Country:"] {
        let run = ws.run(&["search", typed]);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("'country:' at character 1 needs a value"),
            "{}",
            run.stderr
        );
    }
    let run = ws.run(&["search", "Human security: a new concept"]);
    assert!(
        run.stderr.contains("is no field") && run.stderr.contains(", country"),
        "{}",
        run.stderr
    );
    assert_eq!(
        thailand["hits"][0]["title"].as_str().unwrap().len(),
        "THA 1999, session 54".len()
    );
    // --facet country counts what was counted here.
    let (_, json) = ws.search(&["\"human security\"", "--facet", "country"]);
    let counted: std::collections::BTreeMap<String, u64> =
        serde_json::from_value(json["facets"]["country"].clone()).unwrap();
    let expected: std::collections::BTreeMap<String, u64> =
        expected.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(counted, expected);
    let run = ws.run(&["search", "\"human security\"", "--facet", "country"]);
    assert!(run.stdout.contains("country THA (2)"), "{}", run.stdout);
    // trend --split country.
    let run = ws.run(&[
        "trend",
        "\"human security\"",
        "--split",
        "country",
        "--json",
    ]);
    let trend: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(trend["series"]["THA"]["1999"], 1, "{trend}");
    assert_eq!(trend["series"]["THA"]["2000"], 1, "{trend}");
    assert_eq!(trend["series"]["CAN"]["2000"], 1, "{trend}");
    // Names that are no field are said so, with those that are.
    let run = ws.run(&["search", "colour:red"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown field 'colour'") && run.stderr.contains("country"),
        "{}",
        run.stderr
    );
    let run = ws.run(&["search", "x", "--facet", "colour"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("keyword fields: country, session"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_read_only_corpus_takes_its_sources_toml_from_elsewhere() {
    let ws = Workspace::new();
    debates(&ws);
    let config = ws.index().with_file_name("my-sources.toml");
    std::fs::write(&config, DEBATE_SOURCE).unwrap();
    let config = config.to_str().unwrap();
    let run = ws.run(&["--config", config, "index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ws.search(&["country:DNK"]).1["total"], 2);
    // The environment variable does the same; a missing file is an error.
    let run = ws
        .command(&["search", "country:JPN", "--json"])
        .env("DOSSIER_CONFIG", config)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let run = ws.run(&["--config", "/no/such/sources.toml", "index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("/no/such/sources.toml"),
        "{}",
        run.stderr
    );
    // `update` names the file it read, not `<sources>/sources.toml`.
    for args in [&["update", "--dry-run"][..], &["update"]] {
        let mut all = vec!["--config", config];
        all.extend_from_slice(args);
        let run = ws.run(&all);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.contains("my-sources.toml") && run.stderr.contains("nothing to fetch"),
            "{args:?}: {}",
            run.stderr
        );
    }
    // A bad expression is refused with its line.
    std::fs::write(
        ws.index().with_file_name("bad.toml"),
        "[[source]]\nid = \"debate\"\nfields = '(?P<country>[A-Z'\n",
    )
    .unwrap();
    let bad = ws.index().with_file_name("bad.toml");
    let run = ws.run(&["--config", bad.to_str().unwrap(), "index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("line 3") && run.stderr.contains("regular expression"),
        "{}",
        run.stderr
    );
}

#[test]
fn first_lines_that_are_no_titles_give_way_to_the_file_name() {
    let ws = Workspace::new();
    debates(&ws);
    ws.write(
        "notes/briefing.txt",
        "Protection of civilians in armed conflict\n\nThe Council met.",
    );
    ws.write("notes/bom.txt", "ï»¿Women, peace and security\n\nText.");
    ws.index_json();
    let title = |id: &str| {
        let run = ws.run(&["show", id, "--json"]);
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        json["title"].as_str().unwrap().to_string()
    };
    assert_eq!(title("THA_54_1999.txt"), "THA_54_1999.txt");
    assert_eq!(title("THA_55_2000.txt"), "THA_55_2000.txt");
    assert_eq!(title("DNK_54_1999.txt"), "DNK_54_1999.txt");
    assert_eq!(
        title("briefing.txt"),
        "Protection of civilians in armed conflict"
    );
    assert_eq!(title("bom.txt"), "Women, peace and security");
}

#[test]
fn trends_count_documents_once_compare_queries_and_cover_the_years_asked() {
    let ws = Workspace::new();
    ws.write("sources.toml", DEBATE_SOURCE);
    debates(&ws);
    // A document without a year.
    ws.write("notes/undated.txt", "Undated note\n\nOn human security.");
    ws.index_json();
    let trend = |args: &[&str]| -> Value {
        let mut all = vec!["trend"];
        all.extend_from_slice(args);
        all.push("--json");
        let run = ws.run(&all);
        assert!(run.code <= 1, "{args:?}: {}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let (_, search) = ws.search(&["\"human security\""]);
    let json = trend(&["\"human security\"", "--split", "topic"]);
    assert_eq!(
        json["documents"][0], search["total"],
        "documents once, whatever the split"
    );
    assert_eq!(json["without_year"][0], 1);
    let run = ws.run(&["trend", "\"human security\""]);
    assert!(
        run.stdout.contains("(1 without a year, in no year)"),
        "{}",
        run.stdout
    );
    // Two queries, two series.
    let json = trend(&["--query", "\"human security\"", "--query", "disarmament"]);
    assert_eq!(json["series"]["\"human security\""]["1999"], 3, "{json}");
    assert_eq!(json["series"]["disarmament"]["2000"], 1, "{json}");
    // The years asked for, zeros included.
    let json = trend(&["\"human security\"", "--year", "1997..2003"]);
    let years: Vec<&String> = json["series"]["all"].as_object().unwrap().keys().collect();
    assert_eq!(years.len(), 7, "{json}");
    assert_eq!(json["series"]["all"]["1997"], 0);
    // Shares of each year's documents: 1999 has 3 speeches, all 3 match.
    let json = trend(&["\"human security\"", "--share"]);
    assert_eq!(json["base"]["1999"], 3, "{json}");
    assert_eq!(json["shares"]["all"]["1999"], 1.0);
    assert_eq!(json["shares"]["all"]["2005"], 0.0);
    // The chart of shares says it shows shares, not documents.
    let svg = ws.dir.path().join("share.svg");
    let run = ws.run(&[
        "trend",
        "\"human security\"",
        "--share",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(
        svg.contains("Share of each year&apos;s documents")
            || svg.contains("Share of each year's documents"),
        "{svg}"
    );
    let run = ws.run(&["trend", "x", "--query", "y", "--split", "source"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("one query"), "{}", run.stderr);
}

#[test]
fn output_fits_eighty_columns() {
    let ws = Workspace::new();
    ws.write("sources.toml", DEBATE_SOURCE);
    debates(&ws);
    for i in 0..12 {
        ws.write(
            &format!("a-source-with-a-rather-long-name/document-number-{i}.txt"),
            format!("Document {i}\n\nA long paragraph on human security and the protection of civilians in armed conflict, number {i}."),
        );
    }
    ws.index_json();
    for args in [
        &["search", "\"human security\"", "--facet", "country"][..],
        &["kwic", "\"human security\""],
        &["stats"],
    ] {
        let run = ws.command(args).env("COLUMNS", "80").output().unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout);
        for line in stdout.lines() {
            // Snippets are prose a terminal wraps between words.
            if args[0] == "search" && line.starts_with("   ") && line.contains("**") {
                continue;
            }
            assert!(
                line.chars().count() <= 80,
                "{args:?}: {} columns: {line}",
                line.chars().count()
            );
        }
    }
    // stats shows each source's years.
    let run = ws.run(&["stats"]);
    assert!(run.stdout.contains("1999–2005"), "{}", run.stdout);
}

#[test]
fn show_context_prints_only_the_matching_paragraphs() {
    let ws = Workspace::new();
    ws.write(
        "un/report.txt",
        "Report\n\nFirst paragraph on trade.\n\nSecond on human security.\n\nThird on fisheries.\n\nFourth on oceans.",
    );
    ws.index_json();
    let run = ws.run(&[
        "show",
        "report.txt",
        "--match",
        "\"human security\"",
        "--context",
        "0",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Second on **human security**."),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("trade") && !run.stdout.contains("oceans"),
        "{}",
        run.stdout
    );
    let run = ws.run(&[
        "show",
        "report.txt",
        "--match",
        "\"human security\"",
        "--context",
        "1",
    ]);
    assert!(
        run.stdout.contains("trade") && run.stdout.contains("fisheries"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("oceans"), "{}", run.stdout);
    // The largest context is the whole document (it once wrapped around,
    // leaving out paragraphs after the match).
    let whole = |context: &str| {
        let run = ws.run(&[
            "show",
            "report.txt",
            "-m",
            "\"human security\"",
            "--context",
            context,
        ]);
        assert_eq!(run.code, 0, "--context {context}: {}", run.stderr);
        run.stdout
    };
    assert_eq!(whole(&u64::MAX.to_string()), whole("10"));
    assert!(whole("10").contains("oceans"));
}

#[test]
fn an_index_keeps_to_its_sources_folder() {
    let ws = Workspace::new();
    ws.write("un/a.txt", "A\n\nHuman security.");
    ws.index_json();
    let other = ws.index().with_file_name("other-sources");
    std::fs::create_dir_all(other.join("x")).unwrap();
    std::fs::write(other.join("x/b.txt"), "B\n\nSomething else.").unwrap();
    let run = ws.run(&["--sources", other.to_str().unwrap(), "index"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("holds the documents of the sources folder"),
        "{}",
        run.stderr
    );
    assert_eq!(
        ws.search(&["security"]).1["total"],
        1,
        "nothing was removed"
    );
    let run = ws.run(&["--sources", other.to_str().unwrap(), "index", "--rebuild"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A refresh with nothing to do still meets the lock of one under way.
    let lock = std::fs::File::create(ws.index().join(".tantivy-writer.lock")).unwrap();
    lock.lock().unwrap();
    let run = ws.run(&["--sources", other.to_str().unwrap(), "index"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("another `dossier index`"),
        "{}",
        run.stderr
    );
}

#[test]
fn completions_and_a_man_page_from_the_same_flags() {
    let ws = Workspace::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = ws.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(
            run.stdout.contains("kwic") && run.stdout.contains("source"),
            "{shell}"
        );
        assert!(
            !run.stdout.contains("__read-pdf"),
            "{shell}: the hidden command stays hidden"
        );
    }
    let man = ws.run(&["man"]);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH dossier 1"),
        "{}",
        &man.stdout[..200]
    );
}
