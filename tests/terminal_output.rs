//! No output of dossier contains a control character that came from input:
//! documents, file and folder names, fetch records, settings, queries. Every
//! command and format is run over a sources folder full of escape sequences
//! (a title that retitles the window and clears the screen, OSC 52, CSI in
//! C1 form, backspaces, bells) and its output scanned byte by byte.

use crate::common::Workspace;
use crate::common::pdf::{PdfInfo, write_pdf};

/// What a hostile document says: retitle, clear, clipboard, C1 CSI, bell.
const EVIL: &str = "\u{1b}]0;OWNED\u{7}\u{1b}[2J\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{9b}31m\u{8}\u{7f}";

/// The control characters in `output` other than newline and tab, with
/// where they are.
fn controls(output: &str) -> Vec<(usize, char)> {
    output
        .char_indices()
        .filter(|(_, c)| {
            matches!(*c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}') && !matches!(*c, '\n' | '\t')
        })
        .collect()
}

/// `text` in a TOML or JSON string: control characters as `\uXXXX`.
fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{:04x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn hostile_workspace() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        format!(
            "[[source]]\nid = \"web\"\nname = \"Web {}\"\nstart = [\"https://example.org/{}\"]\nfollow = [\"https://example.org/\"]\n\n\
             [[source]]\nid = \"down\"\nstart = [\"http://127.0.0.1:1/start\"]\nfollow = [\"http://127.0.0.1:1/\"]\n",
            escaped(EVIL),
            "%1B%5D0%3Bx"
        ),
    );
    ws.write(
        "topics.toml",
        format!(
            "[[topic]]\nid = \"human-security\"\nlabel = \"Human {}\"\nphrases = [\"human security\"]\n",
            escaped(EVIL)
        ),
    );
    // A page whose title, body, canonical address and record carry escapes.
    ws.write(
        "web/page.html",
        format!(
            "<html><head><title>Evil {EVIL}</title><link rel=\"canonical\" href=\"https://example.org/{EVIL}\"></head>\
             <body><main><p>Human security {EVIL} and the protection of civilians.</p></main></body></html>"
        ),
    );
    ws.write(
        "web/page.html.fetch.json",
        format!(
            "{{\"url\": \"https://example.org/page\", \"final_url\": \"https://example.org/{}\", \"fetched_at\": \"2026-11-30T00:00:00Z\"}}",
            escaped(EVIL)
        ),
    );
    // A file and a folder named with escapes (a folder is a source).
    ws.write(
        &format!("folder{EVIL}/name{EVIL}.txt"),
        format!("Human security {EVIL}\n\nText on human security.\x0cPage two on human security."),
    );
    // A PDF whose /Title carries escapes.
    ws.write(
        "pdfs/evil.pdf",
        write_pdf(
            &["Human security in a PDF.", "Page two: human security."],
            &PdfInfo {
                title: Some("PDF \u{1b}]0;OWNED\u{7}\u{1b}[2J"),
                creation_date: Some("D:20200101"),
                quote_lines: false,
            },
            false,
        ),
    );
    // A file that cannot be read, named with escapes: the error report.
    ws.write(&format!("bad/binary{EVIL}.html"), b"\x00\x01\x02\x03binary");
    ws
}

#[test]
fn no_command_prints_a_control_character_from_its_input() {
    let ws = hostile_workspace();
    let mut runs = Vec::new();
    let evil_query = format!("human {EVIL}");
    let svg = ws
        .index()
        .with_file_name(format!("chart{EVIL}.svg"))
        .display()
        .to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["index"],
        vec!["index", "--json"],
        vec!["search", "human security"],
        vec!["search", "\"human security\"", "--json"],
        vec!["search", "*", "--limit", "100"],
        vec!["search", &evil_query],
        vec!["search", "colour:\u{1b}[2J"],
        vec!["kwic", "\"human security\""],
        vec!["kwic", "\"human security\"", "--json"],
        vec!["kwic", "security", "--count"],
        vec!["topics"],
        vec!["topics", "--json"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["trend", "security", "--split", "source"],
        vec!["trend", "security", "--split", "source", "--csv"],
        vec!["update", "--dry-run"],
        vec!["update", "--dry-run", "--json"],
        vec!["export", "--ndjson"],
        vec!["show", "no\u{1b}[2J/such.txt"],
        // Nothing can be reached: the message names the indexed sources,
        // a folder named with escapes among them.
        vec![
            "update",
            "--source",
            "down",
            "--retries",
            "0",
            "--timeout",
            "5",
        ],
        vec!["update", "--source", "down", "--retries", "0", "--json"],
        // Arguments are input too: clap quotes them in its errors.
        vec!["trend", "x", "--split", "\u{9b}31m"],
        vec!["search", "--limit", "\u{9b}2J", "x"],
        vec!["search", "x", "--year", "\u{1b}]0;OWNED\u{7}"],
        vec!["trend", "security", "--svg", &svg],
    ];
    for args in &commands {
        let run = ws.run(args);
        runs.push((format!("{args:?}"), run));
    }
    assert_eq!(
        runs[0].1.code, 2,
        "the binary file fails: {}",
        runs[0].1.stderr
    );
    // show, for every document the index holds.
    let (_, all) = ws.search(&["*"]);
    for hit in all["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap().to_string();
        for extra in [&[][..], &["--json"], &["--match", "human security"]] {
            let mut args = vec!["show", id.as_str()];
            args.extend_from_slice(extra);
            runs.push((format!("{args:?}"), ws.run(&args)));
        }
    }
    assert_eq!(all["total"], 3, "{}", runs[0].1.stderr);
    for (what, run) in &runs {
        assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
        for (stream, output) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            let found = controls(output);
            assert!(
                found.is_empty(),
                "{what} {stream} has control characters {found:?}:\n{output}"
            );
        }
    }
    let offline = &runs
        .iter()
        .find(|(what, _)| what.contains("\"--timeout\", \"5\""))
        .unwrap()
        .1;
    assert!(
        offline.stderr.contains("no source could be reached")
            && offline.stderr.contains("folder\\x1b]0;OWNED"),
        "{}",
        offline.stderr
    );
    // And the escapes are shown, not lost: the title says what it holds.
    let run = ws.run(&["search", "*", "--limit", "100"]);
    assert!(run.stdout.contains("[2J"), "{}", run.stdout);
    assert!(run.stdout.contains("folder\\x1b]0;OWNED"), "{}", run.stdout);
}

#[test]
fn show_renders_page_breaks_as_markers() {
    let ws = Workspace::new();
    ws.write("un/report.txt", "Report\n\nFirst page.\x0cSecond page.");
    ws.index_json();
    let run = ws.run(&["show", "un/report.txt"]);
    assert!(
        run.stdout.contains("--- page 2 ---\nSecond page."),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x0c'));
}

/// Standard output is written in blocks when piped; a note on standard
/// error must still come after the results it follows when both streams go
/// to one file (`2>&1`), as it did when stdout was written line by line.
#[test]
fn a_note_on_standard_error_follows_the_results_in_one_stream() {
    let ws = Workspace::with_fixtures();
    ws.index_json();
    let both = ws.dir.path().join("both.txt");
    let file = std::fs::File::create(&both).expect("output file");
    let status = ws
        .command(&["search", "zzzzqqq", "--year", "1800..1801"])
        .stdout(file.try_clone().expect("clone"))
        .stderr(file)
        .status()
        .expect("run dossier");
    assert_eq!(status.code(), Some(1));
    let text = std::fs::read_to_string(&both).expect("read output");
    let results = text.find("0 documents match").expect("the result line");
    let note = text
        .find("nothing matched with the filters")
        .expect("the note");
    assert!(results < note, "{text}");
    // `*` alone is no operator: --plain is not suggested for it.
    let run = ws.run(&["search", "*", "--year", "1800..1801"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("nothing matched with the filters"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--plain"), "{}", run.stderr);
    let run = ws.run(&["search", "zzzzqqq*", "--year", "1800..1801"]);
    assert!(run.stderr.contains("add --plain"), "{}", run.stderr);
}

/// A right-to-left override in a document reverses what follows it on a
/// terminal that draws right-to-left text, and a newline in a folder's name
/// broke a hit's line of facts: both are printed as escapes.
#[test]
fn bidirectional_controls_and_newlines_in_names_are_escaped() {
    let ws = Workspace::new();
    ws.write(
        "memos/bidi.txt",
        "Trojan \u{202e}exe.txt\u{202c} on the protection of civilians\n\nCivilians \u{2066}first\u{2069}.",
    );
    ws.write("line\nbreak/a.txt", "On the protection of civilians.\n");
    ws.index_json();
    let bidi = ['\u{202e}', '\u{202c}', '\u{2066}', '\u{2069}'];
    for args in [
        &["search", "civilians"][..],
        &["kwic", "civilians"],
        &["show", "bidi.txt"],
        &["show", "bidi.txt", "--match", "civilians"],
        &["search", "*", "--limit", "10"],
        &["search", "civilians", "--cite", "ris"],
        &["search", "civilians", "--cite", "bibtex"],
        &["show", "bidi.txt", "--cite", "csl-json"],
        &["stats"],
    ] {
        let run = ws.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            !run.stdout.contains(bidi),
            "{args:?} printed a bidirectional control: {}",
            run.stdout
        );
    }
    let search = ws.run(&["search", "civilians"]);
    assert!(
        search.stdout.contains("\\u{202e}exe.txt"),
        "{}",
        search.stdout
    );
    // The source named with a newline: its hit's facts stay on one line.
    for line in search.stdout.lines() {
        assert_ne!(line.trim(), "break", "a raw newline: {}", search.stdout);
    }
    assert!(
        search.stdout.contains("line\\x0abreak · "),
        "{}",
        search.stdout
    );
}
