//! End-to-end tests of `dossier index`, `search` and `show`, running the real
//! binary on small sources folders that the tests write.

use crate::common::Workspace;
use serde_json::Value;

fn sum(map: &Value) -> u64 {
    map.as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum()
}

#[test]
fn quoted_phrase_matches_exact_words_in_order() {
    let ws = Workspace::new();
    ws.write(
        "a/exact.txt",
        "Title\n\nThis is about human security in Kosovo.",
    );
    ws.write(
        "a/stemmed.txt",
        "Title\n\nHumans securing the border is another matter.",
    );
    ws.write("a/reversed.txt", "Title\n\nSecurity for every human being.");
    ws.write(
        "a/linebreak.txt",
        "Title\n\nThe concept of human\r\nsecurity was coined in 1994.",
    );
    ws.index_json();

    assert_eq!(
        ws.ids(&["\"human security\""]),
        ["a/exact.txt", "a/linebreak.txt"]
    );
    // Unquoted words match stemmed forms, in any order.
    assert_eq!(
        ws.ids(&["human security"]),
        [
            "a/exact.txt",
            "a/linebreak.txt",
            "a/reversed.txt",
            "a/stemmed.txt"
        ]
    );
    assert_eq!(ws.ids(&["\"humans securing\""]), ["a/stemmed.txt"]);
}

#[test]
fn boolean_operators_fields_and_grouping() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let cases: &[(&str, &[&str])] = &[
        ("kosovo", &["kfor/news-2019-06-12.html"]),
        (
            "kosovo OR resolution",
            &[
                "kfor/news-2019-06-12.html",
                "nato/topics_181779.htm",
                "un-security-council/S_RES_1325_2000_EN.txt",
            ],
        ),
        (
            "resolution -kosovo",
            &[
                "nato/topics_181779.htm",
                "un-security-council/S_RES_1325_2000_EN.txt",
            ],
        ),
        (
            "resolution AND NOT kosovo",
            &[
                "nato/topics_181779.htm",
                "un-security-council/S_RES_1325_2000_EN.txt",
            ],
        ),
        ("(kosovo OR warsaw) civilians", &["nato/topics_181779.htm"]),
        ("title:kosovo", &["kfor/news-2019-06-12.html"]),
        ("title:\"human security\"", &["nato/topics_181779.htm"]),
        ("source:kfor", &["kfor/news-2019-06-12.html"]),
        ("year:2000", &["un-security-council/S_RES_1325_2000_EN.txt"]),
        (
            "year:2019.. security",
            &["kfor/news-2019-06-12.html", "nato/topics_181779.htm"],
        ),
        ("id:\"nato/topics_181779.htm\"", &["nato/topics_181779.htm"]),
        (
            "*",
            &[
                "kfor/news-2019-06-12.html",
                "nato/topics_181779.htm",
                "un-security-council/S_RES_1325_2000_EN.txt",
            ],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(ws.ids(&[query]), *expected, "query {query}");
    }
}

#[test]
fn html_main_text_title_date_and_url() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let (_, json) = ws.search(&["\"protection of civilians\""]);
    let hit = &json["hits"][0];
    assert_eq!(hit["title"], "NATO - Topic: Human security");
    assert_eq!(hit["year"], 2022);
    assert_eq!(hit["year_from"], "<meta date>");
    assert_eq!(
        hit["url"],
        "https://www.nato.int/cps/en/natohq/topics_181779.htm"
    );
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("protection of civilians")
    );
    // Navigation, scripts, styles and site footers are not the page's text.
    for furniture in [
        "Homepage",
        "Newsroom",
        "tracking",
        "breadcrumb",
        "Boulevard",
        "\"Chronicle archive\"",
    ] {
        let (code, json) = ws.search(&[furniture]);
        assert_eq!(
            (code, json["total"].as_u64()),
            (1, Some(0)),
            "{furniture} was indexed"
        );
    }
    // The KFOR page: Windows-1252 as declared, title, date from <time>.
    let (_, json) = ws.search(&["\"community leaders\""]);
    assert_eq!(json["total"], 1);
    let snippet = json["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("PRISTINA \u{2013} Commander"),
        "Windows-1252 dash decoded: {snippet}"
    );
    assert_eq!(
        json["hits"][0]["title"],
        "KFOR Chronicle: Kosovo Force marks anniversary"
    );
    assert_eq!(json["hits"][0]["date"], "2019-06-12");
    let (_, json) = ws.search(&["\"Freedom of movement\""]);
    assert!(
        json["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("\u{201c}Freedom of movement")
    );
}

#[test]
fn every_encoding_is_decoded() {
    let ws = Workspace::new();
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Sécurité humaine\n\nrésolution"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(
            "Protection des civils\nrésolution"
                .encode_utf16()
                .flat_map(|u| u.to_be_bytes()),
        )
        .collect();
    ws.write("enc/utf16le.txt", utf16le);
    ws.write("enc/utf16be.txt", utf16be);
    ws.write(
        "enc/bom.txt",
        b"\xEF\xBB\xBFPeacebuilding\r\n\r\nr\xC3\xA9solution\r\n",
    );
    ws.write(
        "enc/cp1252.txt",
        b"Women, peace and security\nr\xE9solution \x93quoted\x94\n",
    );
    ws.write(
        "enc/latin1.html",
        b"<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9</title></head><body><p>r\xe9solution</p></body></html>",
    );
    let summary = ws.index_json();
    assert_eq!(summary["added"], 5);
    // Accents are folded: "resolution" finds "résolution" in every file.
    assert_eq!(ws.ids(&["\"resolution\""]).len(), 5);
    let (_, json) = ws.search(&["\"peacebuilding\""]);
    assert_eq!(
        json["hits"][0]["title"], "Peacebuilding",
        "BOM stripped from the title"
    );
    let (_, json) = ws.search(&["café"]);
    assert_eq!(json["hits"][0]["title"], "Café");
    let (_, json) = ws.search(&["\"securite humaine\""]);
    assert_eq!(json["hits"][0]["title"], "Sécurité humaine");
}

#[test]
fn facet_counts_cover_every_match_not_only_the_page() {
    let ws = Workspace::new();
    for (i, year) in [1999, 1999, 2004, 2010, 2010, 2010].iter().enumerate() {
        let source = if i % 2 == 0 {
            "un-general-debate"
        } else {
            "nato"
        };
        ws.write(
            &format!("{source}/speech_{i}_{year}.txt"),
            format!("Speech\n\nOn human security, part {i}."),
        );
    }
    ws.write("nato/other_2010.txt", "Other\n\nNothing relevant.");
    ws.index_json();
    let run = ws.run(&["search", "\"human security\"", "--json", "--limit", "2"]);
    assert_eq!(run.code, 0);
    let json = run.json();
    assert_eq!(json["total"], 6);
    assert_eq!(json["hits"].as_array().unwrap().len(), 2);
    assert_eq!(
        json["facets"]["year"],
        serde_json::json!({"1999": 2, "2004": 1, "2010": 3})
    );
    assert_eq!(
        json["facets"]["source"],
        serde_json::json!({"un-general-debate": 3, "nato": 3})
    );
    assert_eq!(sum(&json["facets"]["year"]), 6);

    // Facets follow the filters.
    let (_, json) = ws.search(&["\"human security\"", "--source", "nato", "--year", "2000.."]);
    assert_eq!(json["total"], 2);
    assert_eq!(json["facets"]["year"], serde_json::json!({"2010": 2}));
}

#[test]
fn year_source_and_topic_filters() {
    let ws = Workspace::new();
    ws.write("sources.toml", "[[source]]\nid = \"unsc\"\nname = \"UN Security Council\"\nfolder = \"un-security-council\"\ntopics = [\"peacebuilding\", \"human-security/protection-of-civilians\"]\n");
    for year in [1946, 1999, 2008, 2015, 2022] {
        ws.write(
            &format!("un-security-council/S_RES_{:04}_{year}_EN.txt", year - 1900),
            "Resolution\n\ncivilians",
        );
        ws.write(&format!("nato/page_{year}.txt"), "Page\n\ncivilians");
    }
    ws.index_json();
    let count = |args: &[&str]| {
        let mut all = vec!["civilians"];
        all.extend_from_slice(args);
        ws.search(&all).1["total"].as_u64().unwrap()
    };
    assert_eq!(count(&[]), 10);
    assert_eq!(count(&["--year", "2022"]), 2);
    assert_eq!(count(&["--year", "1999..2008"]), 4);
    assert_eq!(count(&["--year", "2015.."]), 4);
    assert_eq!(count(&["--year", "..1999"]), 4);
    assert_eq!(count(&["--source", "unsc"]), 5);
    assert_eq!(count(&["--source", "unsc", "--source", "nato"]), 10);
    assert_eq!(
        count(&["--source", "un-security-council"]),
        5,
        "the folder names its source too"
    );
    assert_eq!(
        count(&["--topic", "human-security"]),
        5,
        "a topic matches its sub-topics"
    );
    assert_eq!(
        count(&[
            "--topic",
            "human-security/protection-of-civilians",
            "--year",
            "2022"
        ]),
        1
    );
    let (_, json) = ws.search(&["civilians", "--source", "unsc", "--limit", "1"]);
    assert_eq!(json["hits"][0]["source"], "unsc");
    assert_eq!(json["facets"]["topic"]["human-security"], 5);
    assert_eq!(
        json["facets"]["topic"]["human-security/protection-of-civilians"],
        5
    );
    let topics: Vec<&str> = json["hits"][0]["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(topics.contains(&"peacebuilding"), "{topics:?}");
}

#[test]
fn json_output_has_the_documented_shape() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let (code, json) = ws.search(&["security"]);
    assert_eq!(code, 0);
    assert_eq!(json["query"], "security");
    assert!(json["total"].is_u64());
    for hit in json["hits"].as_array().unwrap() {
        for key in ["id", "title", "source", "path", "snippet"] {
            assert!(hit[key].is_string(), "{key} in {hit}");
        }
        assert!(hit["year"].is_u64() || hit["year"].is_null());
        assert!(hit["score"].is_f64());
        assert!(hit["topics"].is_array());
        assert!(hit["url"].is_string() || hit["url"].is_null());
    }
    for facet in ["year", "source", "topic"] {
        assert!(json["facets"][facet].is_object(), "{facet}");
    }
    // Ranked by score, best first.
    let scores: Vec<f64> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn title_outranks_body() {
    let ws = Workspace::new();
    ws.write("a/body.txt", "Annual report\n\nA paragraph that mentions Kosovo once among many other words about the year.");
    ws.write("a/title.txt", "Kosovo\n\nA paragraph that mentions the region once among many other words about the year.");
    ws.index_json();
    let (_, json) = ws.search(&["kosovo"]);
    assert_eq!(json["hits"][0]["id"], "a/title.txt");
}

#[test]
fn terminal_output_shows_rank_title_snippet_and_facets() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let run = ws.run(&["search", "\"safe and secure environment\""]);
    assert_eq!(run.code, 0);
    let expected_start =
        "1. KFOR Chronicle: Kosovo Force marks anniversary\n   kfor · 2019 · en · score ";
    assert!(run.stdout.starts_with(expected_start), "{}", run.stdout);
    assert!(
        run.stdout.contains("**safe and secure environment**"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 document matches '\"safe and secure environment\"' (showing 1–1)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("year   2019 (1)"));
    assert!(run.stdout.contains("source kfor (1)"));
    assert!(!run.stdout.contains('\x1b'), "no colour when piped");
}

#[test]
fn paging_with_limit_and_offset() {
    let ws = Workspace::new();
    for i in 0..12 {
        ws.write(
            &format!("a/doc{i:02}.txt"),
            format!("Doc {i}\n\n{}", "kosovo ".repeat(i + 1)),
        );
    }
    ws.index_json();
    let page = |offset: &str, limit: &str| -> Vec<String> {
        let run = ws.run(&[
            "search", "kosovo", "--json", "--offset", offset, "--limit", limit,
        ]);
        run.json()["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = page("0", "12");
    assert_eq!(all.len(), 12);
    assert_eq!(page("0", "10").len(), 10, "default page size");
    assert_eq!(page("5", "3"), all[5..8]);
    assert!(page("20", "5").is_empty());
    let run = ws.run(&["search", "kosovo", "--json", "--limit", "0"]);
    assert_eq!(
        (run.code, run.json()["total"].as_u64()),
        (0, Some(12)),
        "--limit 0 gives counts only"
    );
}

#[test]
fn plain_mode_reads_a_pasted_sentence() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    // Operators, quotes and colons are plain text here; any word may match.
    let (code, json) = ws.search(&[
        "--plain",
        "What did (Resolution 1325) say about: \"women\" AND children?",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        json["hits"][0]["id"],
        "un-security-council/S_RES_1325_2000_EN.txt"
    );
    // The same text is not a valid query in the query language.
    let run = ws.run(&["search", "say about: \"women"]);
    assert_eq!(run.code, 2);
}

#[test]
fn exit_codes_and_error_messages() {
    let ws = Workspace::with_fixtures();
    // No index yet: say how to build it.
    let run = ws.run(&["search", "kosovo"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("dossier index"), "{}", run.stderr);
    ws.index_json();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["search", "kosovo"], 0, ""),
        (&["search", "nonexistentword"], 1, ""),
        (&["search", "colour:red"], 2, "unknown field 'colour'"),
        (&["search", "\"open phrase"], 2, "unbalanced quotes"),
        (&["search", "(a OR b"], 2, "never closed"),
        (
            &["search", "kosovo", "--year", "19x9"],
            2,
            "bad --year value '19x9'",
        ),
        (
            &["search", "kosovo", "--year", "2010..2000"],
            2,
            "comes after",
        ),
        (&["search", "year:abc"], 2, "4-digit year"),
        (&["search", "..."], 2, "no searchable words"),
        (&["search", "--", "-kosovo"], 0, ""),
        (&["show", "nato/topics_181779.htm"], 0, ""),
        (&["show", "no/such/file.txt"], 1, "no document with id"),
        (&["search"], 2, "QUERY"),
        (&["frobnicate"], 2, "unrecognized subcommand"),
    ];
    for (args, code, message) in cases {
        let run = ws.run(args);
        assert_eq!(run.code, *code, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn empty_sources_and_empty_index_say_what_to_do() {
    let ws = Workspace::new();
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    std::fs::create_dir_all(ws.sources()).unwrap();
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("holds no documents"), "{}", run.stderr);
    let run = ws.run(&["search", "anything"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is empty"), "{}", run.stderr);
}

#[test]
fn show_tells_where_the_year_came_from() {
    let ws = Workspace::with_fixtures();
    ws.write(
        "notes/meeting.md",
        "# Meeting notes\n\nHeld on 3 March 2021 in Brussels.",
    );
    ws.index_json();
    let from = |id: &str| {
        let run = ws.run(&["show", id, "--json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json = run.json();
        (
            json["year"].as_u64(),
            json["provenance"]["year"].as_str().map(str::to_string),
        )
    };
    assert_eq!(
        from("un-security-council/S_RES_1325_2000_EN.txt"),
        (Some(2000), Some("path".into()))
    );
    assert_eq!(
        from("nato/topics_181779.htm"),
        (Some(2022), Some("<meta date>".into()))
    );
    assert_eq!(
        from("kfor/news-2019-06-12.html"),
        (Some(2019), Some("<time datetime>".into()))
    );
    assert_eq!(from("notes/meeting.md"), (Some(2021), Some("text".into())));
    let run = ws.run(&["show", "notes/meeting.md"]);
    assert!(
        run.stdout
            .contains("title    Meeting notes  (from first line)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("year     2021  (from text)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Held on 3 March 2021"), "text shown");
}

#[test]
fn sources_folder_rules_hidden_files_config_and_spaces() {
    let ws = Workspace::new();
    ws.write(
        "un-general-debate/Session 01 - 1946/ARG_01_1946.txt",
        "Argentina\n\nSpeech text.",
    );
    ws.write("loose-file.txt", "Loose\n\nSpeech text.");
    ws.write(".hidden/secret.txt", "Speech text.");
    ws.write("nato/.draft.txt", "Speech text.");
    ws.write("sources.toml", "# speech text\n");
    ws.index_json();
    let (_, json) = ws.search(&["speech"]);
    let mut ids: Vec<(&str, &str)> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_str().unwrap(), h["source"].as_str().unwrap()))
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            ("loose-file.txt", "local"),
            (
                "un-general-debate/Session 01 - 1946/ARG_01_1946.txt",
                "un-general-debate"
            )
        ]
    );
    assert_eq!(
        json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["source"] == "un-general-debate")
            .unwrap()["year"],
        1946
    );
}

#[test]
fn bad_sources_toml_names_line_and_key() {
    let ws = Workspace::with_fixtures();
    ws.write(
        "sources.toml",
        "[[source]]\nid = \"nato\"\nmax_pages = \"lots\"\n",
    );
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("sources.toml")
            && run.stderr.contains("line 3")
            && run.stderr.contains("max_pages"),
        "{}",
        run.stderr
    );
}

#[test]
fn filter_values_and_huge_numbers_never_crash() {
    let ws = Workspace::new();
    ws.write("My Notes/note.txt", "Note\n\nkosovo");
    ws.index_json();
    assert_eq!(
        ws.ids(&["kosovo", "--source", "My Notes"]),
        ["My Notes/note.txt"]
    );
    assert_eq!(ws.ids(&["source:\"My Notes\""]), ["My Notes/note.txt"]);
    for args in [
        &["search", "kosovo", "--offset", "18446744073709551615"][..],
        &[
            "search",
            "kosovo",
            "--offset",
            "1000000000000",
            "--limit",
            "100000",
        ],
    ] {
        let run = ws.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    for args in [
        &["search", "kosovo", "--topic", ""][..],
        &["search", "kosovo", "--topic", "a//b"],
        &["search", "kosovo", "--source", ""],
        &["search", "kosovo", "--source", "a/b"],
        &["search", "topic:/"],
    ] {
        let run = ws.run(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains("id"), "{args:?}: {}", run.stderr);
    }
}

/// A page larger than the largest is refused, not cut to it silently.
#[test]
fn a_limit_above_the_largest_page_is_refused() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let run = ws.run(&["search", "security", "--limit", "100001"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("at most 100000 hits a page"),
        "{}",
        run.stderr
    );
    assert_eq!(ws.run(&["search", "security", "--limit", "100000"]).code, 0);
}
