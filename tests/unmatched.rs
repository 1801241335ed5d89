//! A search whose words the index does not hold is answered from its term
//! dictionaries alone (`search::unmatched`): the very answer a search of the
//! whole index gives, and never "nothing" for a query that matches.

use dossier::index::DossierIndex;
use dossier::index::lexicon::Lexicon;
use dossier::search::unmatched::nothing_matches;
use dossier::search::{SearchRequest, search};

use crate::common::files::files_ending;
use crate::common::{Workspace, run_on_damage};

/// Documents in four languages over three refreshes (several segments),
/// words in a title, and a document removed after it was indexed.
fn workspace() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "un/en.txt",
        "Protection of civilians\n\nThe Council underlines that the protection of civilians \
         in armed conflict is the responsibility of every State, and that women and children \
         suffer most from the violence of war.",
    );
    ws.write(
        "un/fr.txt",
        "Protection des civils\n\nLe Conseil souligne que la protection des civils incombe à \
         chaque État, et demande de lutter contre la pauvreté des populations déplacées.",
    );
    ws.write(
        "nato/page.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>Chronicle of Kosovo</title></head>\
         <body><p>Peacekeepers patrolled the northern municipalities in 2019.</p></body></html>",
    );
    ws.index_json();
    ws.write(
        "un/ru.txt",
        "Защита гражданского населения\n\nСовет подчеркивает, что защита гражданского \
         населения является обязанностью каждого государства.",
    );
    ws.write(
        "un/removed.txt",
        "Ephemeral note\n\nA xylophonist wrote this, and it will be removed.",
    );
    ws.index_json();
    ws.remove("un/removed.txt");
    ws.index_json();
    ws
}

/// Words the index holds (in a body, in a title, only in French, only in
/// Russian, only in the removed document), words it does not, and a stop
/// word no document holds.
const WORDS: [&str; 10] = [
    "civilians",
    "peacekeepers",
    "chronicle",
    "pauvreté",
    "защита",
    "xylophonist",
    "zzzqqxx",
    "qqqzzzx",
    "myself",
    "protection",
];

/// Every form of the query language each word (or pair of words) is read
/// in: alone, in fields, quoted, near, together, either, without, with
/// filters the dictionaries cannot rule out.
fn queries() -> Vec<String> {
    let mut out = Vec::new();
    for a in WORDS {
        for form in [
            "{a}",
            "title:{a}",
            "body:{a}",
            "\"{a}\"",
            "-{a}",
            "lang:fr {a}",
            "lang:de {a}",
            "year:2019 {a}",
        ] {
            out.push(form.replace("{a}", a));
        }
        for b in WORDS {
            for form in [
                "{a} {b}",
                "{a} OR {b}",
                "{a} -{b}",
                "\"{a} {b}\"",
                "\"{a} {b}\"~3",
                "title:{a} {b}",
                "({a} OR {b}) {a}",
            ] {
                out.push(form.replace("{a}", a).replace("{b}", b));
            }
        }
    }
    out.push("lang:de".to_string());
    out.push("id:\"un/en.txt\" zzzqqxx".to_string());
    out.push("id:\"un/nothing.txt\"".to_string());
    out
}

#[test]
fn the_dictionaries_say_nothing_only_where_a_whole_search_finds_nothing() {
    let ws = workspace();
    let lexicon = Lexicon::open(&ws.index()).expect("the dictionaries of a fresh index");
    let index = DossierIndex::open(&ws.index()).expect("the index");
    let mut answered = Vec::new();
    for query in queries() {
        for (plain, offset) in [(false, 0), (true, 0), (false, 5)] {
            let mut request = SearchRequest::new(query.as_str());
            request.plain = plain;
            request.offset = offset;
            let Some(answer) = nothing_matches(&lexicon, &request) else {
                continue;
            };
            let whole = search(&index, &request)
                .unwrap_or_else(|e| panic!("{query:?} (plain: {plain}): {e}"));
            assert_eq!(whole.total, 0, "{query:?} (plain: {plain}) matches");
            assert_eq!(
                (answer.query, answer.offset, answer.hits.len()),
                (whole.query, whole.offset, whole.hits.len()),
                "{query:?}"
            );
            assert_eq!(answer.facets, whole.facets, "{query:?}");
            assert_eq!(answer.notes, whole.notes, "{query:?}");
            if offset == 0 {
                answered.push(query.clone());
            }
        }
    }
    // And it does answer: a word no document holds, alone or required.
    for query in [
        "zzzqqxx",
        "zzzqqxx civilians",
        "\"civilians zzzqqxx\"",
        "title:civilians zzzqqxx",
        "title:peacekeepers",
        // (A language no document is in, lang:de, is left to the whole
        // search: it says so in a note.)
        "lang:fr zzzqqxx",
        "zzzqqxx OR qqqzzzx",
        "\"zzzqqxx myself\"~3",
        "id:\"un/nothing.txt\"",
    ] {
        assert!(
            answered.iter().any(|a| a == query),
            "{query:?} was not answered from the dictionaries"
        );
    }
}

#[test]
fn the_cli_answers_from_the_dictionaries_as_from_the_index() {
    let ws = workspace();
    for args in [
        &["search", "zzzqqxx"][..],
        &["search", "--json", "zzzqqxx civilians"],
        &["search", "--cite", "bibtex", "zzzqqxx"],
        &["search", "--lang", "fr", "--year", "2019", "zzzqqxx"],
    ] {
        let run = ws.run(args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        // `--facet` names a keyword field the index is asked about: such a
        // search opens the index, which says it has no such field.
        let mut with_facet = args.to_vec();
        with_facet.extend(["--facet", "nothing-here"]);
        let whole = ws.run(&with_facet);
        assert_eq!(whole.code, 2, "{with_facet:?}: {}", whole.stderr);
        assert!(whole.stderr.contains("nothing-here"), "{}", whole.stderr);
    }
    // What is printed is what a whole search prints when it finds nothing:
    // "civilians -civilians" may match as far as the dictionaries can tell.
    for flags in [
        &[][..],
        &["--json"],
        &["--json", "--offset", "5"],
        &["--cite", "ris"],
    ] {
        let run = |query: &str| {
            let mut args = vec!["search"];
            args.extend_from_slice(flags);
            args.push(query);
            let run = ws.run(&args);
            (run.code, run.stdout.replace(query, "QUERY"))
        };
        let (answered, whole) = (run("zzzqqxx"), run("civilians -civilians"));
        assert_eq!(answered, whole, "{flags:?}");
        assert_eq!(answered.0, 1, "{flags:?}");
    }
}

/// What the dictionaries' search reads of the index, damaged, is said as
/// opening the whole index says it: the answer is never "nothing" there.
#[test]
fn damage_in_what_the_dictionaries_read_is_said_as_before() {
    let ws = Workspace::new();
    for n in 0..40 {
        ws.write(
            &format!("un/note-{n}.txt"),
            format!("Note {n}\n\nThe protection of civilians, note number {n}."),
        );
    }
    ws.index_json();
    // A document removed: its segment keeps the others, and a file of
    // deletions.
    ws.remove("un/note-7.txt");
    ws.index_json();
    let index = ws.index();
    assert_eq!(ws.run(&["search", "zzzqqxx"]).code, 1);

    let refused = || run_on_damage(&ws, &["search", "zzzqqxx"]);

    // A list naming a file outside the index.
    let managed = index.join(".managed.json");
    let list = std::fs::read(&managed).unwrap();
    std::fs::write(&managed, br#"["../thesis.docx", "meta.json"]"#).unwrap();
    let run = refused();
    assert!(run.stderr.contains("thesis.docx"), "{}", run.stderr);
    // One that is no list at all.
    std::fs::write(&managed, b"{{{").unwrap();
    let run = refused();
    assert!(run.stderr.contains("managed.json"), "{}", run.stderr);
    std::fs::write(&managed, list).unwrap();
    assert_eq!(ws.run(&["search", "zzzqqxx"]).code, 1);

    // A commit whose number is none (tantivy requires one).
    let meta_path = index.join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let without = meta.replacen("\n  \"opstamp\": ", "\n  \"opstamp\": -", 1);
    assert_ne!(without, meta);
    std::fs::write(&meta_path, without).unwrap();
    refused();
    std::fs::write(&meta_path, &meta).unwrap();

    // A segment's store gone.
    let store = files_ending(&index, ".store").remove(0);
    let kept = std::fs::read(&store).unwrap();
    std::fs::remove_file(&store).unwrap();
    refused();
    std::fs::write(&store, kept).unwrap();
    assert_eq!(ws.run(&["search", "zzzqqxx"]).code, 1);

    // A segment said to hold more documents than its files can.
    let inflated = meta.replacen("\"max_doc\": ", "\"max_doc\": 4000000", 1);
    assert_ne!(inflated, meta);
    std::fs::write(&meta_path, inflated).unwrap();
    refused();
    std::fs::write(&meta_path, &meta).unwrap();

    // The file of deletions gone (the removed document's).
    let deletes = files_ending(&index, ".del");
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    std::fs::remove_file(&deletes[0]).unwrap();
    refused();
}
