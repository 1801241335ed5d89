//! `dossier update` against a site served on 127.0.0.1 by the test itself
//! (no test touches the internet): scope, robots.txt, depth and page cap,
//! redirects, a PDF of several pages, 304s on a second run, a changed page
//! re-indexed, retries, timeouts, size caps, gone pages, and URLs that try to
//! leave the source's folder.

use std::time::Duration;

use crate::common::Workspace;
use crate::common::files::list_files;
use crate::common::pdf::{PdfInfo, write_pdf};
use crate::common::site::{Page, Site};
use serde_json::Value;

const NATO: &str = "/cps/en/natohq/";

fn sources_toml(site: &Site, extra: &str) -> String {
    format!(
        r#"
[[source]]
id = "nato"
name = "NATO (test site)"
topics = ["human-security"]
start = ["{start}"]
follow = ["{follow}"]
max_depth = 2
max_pages = 20
delay_ms = 0
{extra}
"#,
        start = site.url(&format!("{NATO}topics_181779.htm")),
        follow = site.url(NATO),
    )
}

fn page(title: &str, body: &str, links: &[&str]) -> Page {
    let links: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">{l}</a></li>\n"))
        .collect();
    Page::html(&format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><nav><ul>{links}</ul></nav><main><h1>{title}</h1><p>{body}</p></main></body></html>"
    ))
}

fn chronicle() -> Vec<u8> {
    write_pdf(
        &[
            "KFOR Chronicle\nThe Kosovo Force marks its anniversary.",
            "Gender advisers briefed the troops on conflict-related sexual violence.",
            "Multinational Battle Group East trained in Kosovo.",
        ],
        &PdfInfo {
            title: Some("KFOR Chronicle, June 2019"),
            creation_date: Some("D:20190612"),
            quote_lines: false,
        },
        true,
    )
}

/// The nato.int-shaped site most tests use.
fn nato_site() -> Site {
    let site = Site::start();
    site.set(
        "/robots.txt",
        Page::text("User-agent: *\nDisallow: /cps/en/natohq/private/\n"),
    );
    site.set(
        &format!("{NATO}topics_181779.htm"),
        page(
            "Human security",
            "NATO's approach to human security covers protection of civilians.",
            &[
                "topics_51260.htm",
                "private/internal.htm",
                "/cps/fr/natohq/topics_181779.htm",
                "https://example.invalid/elsewhere.htm",
                "old-address.htm",
                "chronicle.pdf",
                "flaky.htm",
                "changing.htm",
                "deep-1.htm",
                "missing.htm",
                "to-private.htm",
            ],
        ),
    );
    site.set(
        &format!("{NATO}topics_51260.htm"),
        Page::Body {
            content_type: "text/html",
            body: b"<html><head><title>Protection of civilians</title></head><body><main><p>Protection of civilians is a legal obligation.</p></main></body></html>".to_vec(),
            last_modified: Some("Tue, 14 Feb 2023 10:00:00 GMT"),
        },
    );
    site.set(
        &format!("{NATO}private/internal.htm"),
        page("Internal", "must never be fetched", &[]),
    );
    site.set(
        &format!("{NATO}old-address.htm"),
        Page::Redirect(301, format!("{NATO}new-address.htm")),
    );
    site.set(
        &format!("{NATO}to-private.htm"),
        Page::Redirect(302, format!("{NATO}private/internal.htm")),
    );
    site.set(
        &format!("{NATO}new-address.htm"),
        page("Moved page", "Children and armed conflict.", &[]),
    );
    site.set(&format!("{NATO}chronicle.pdf"), Page::pdf(chronicle()));
    site.set(
        &format!("{NATO}flaky.htm"),
        Page::FailFirst(
            500,
            1,
            Box::new(page("Flaky", "Cultural property protection.", &[])),
        ),
    );
    site.set(
        &format!("{NATO}changing.htm"),
        page(
            "Changing",
            "Trafficking in human beings, first version.",
            &[],
        ),
    );
    site.set(
        &format!("{NATO}deep-1.htm"),
        page("Deep 1", "one", &["deep-2.htm"]),
    );
    site.set(
        &format!("{NATO}deep-2.htm"),
        page("Deep 2", "two", &["deep-3.htm"]),
    );
    site.set(&format!("{NATO}deep-3.htm"), page("Deep 3", "three", &[]));
    site
}

fn update(ws: &Workspace, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["update", "--json", "--backoff", "0.05", "--timeout", "2"];
    args.extend_from_slice(extra);
    let run = ws.run(&args);
    assert!(
        run.code == 0 || run.code == 2,
        "update crashed: {}\n{}",
        run.stdout,
        run.stderr
    );
    (run.code, run.json())
}

fn urls(report: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = report["sources"][0][key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {report}"))
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other["url"].as_str().unwrap().to_string(),
        })
        .map(|u| u.split_once(NATO).map(|(_, p)| p.to_string()).unwrap_or(u))
        .collect();
    out.sort();
    out
}

/// The nato.int-shaped site after a first update: the site (its request log
/// holds the first run), the workspace, and the update's report.
fn first_update() -> (Site, Workspace, Value) {
    let site = nato_site();
    let ws = Workspace::new();
    ws.write("sources.toml", sources_toml(&site, ""));
    let (code, report) = update(&ws, &[]);
    assert_eq!(
        code, 2,
        "missing.htm fails, so the exit status is 2: {report}"
    );
    (site, ws, report)
}

#[test]
fn an_update_fetches_what_is_in_scope_and_allowed() {
    let (site, _ws, report) = first_update();
    assert_eq!(
        urls(&report, "new"),
        [
            "changing.htm",
            "chronicle.pdf",
            "deep-1.htm",
            "deep-2.htm",
            "flaky.htm",
            "old-address.htm",
            "topics_181779.htm",
            "topics_51260.htm",
        ],
        "{report}"
    );
    assert_eq!(urls(&report, "disallowed"), ["private/internal.htm"]);
    assert_eq!(urls(&report, "failed"), ["missing.htm", "to-private.htm"]);
    let redirect_reason = report["sources"][0]["failed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"].as_str().unwrap().ends_with("to-private.htm"))
        .unwrap()["reason"]
        .to_string();
    assert!(redirect_reason.contains("robots.txt"), "{redirect_reason}");
    let source = &report["sources"][0];
    assert_eq!(source["out_of_scope"], 2, "{source}");
    assert_eq!(source["too_deep"], 1, "deep-3 is three links away");
    // Never asked for: robots-disallowed, out of scope, too deep.
    assert_eq!(site.requests_for(&format!("{NATO}private/internal.htm")), 0);
    assert_eq!(site.requests_for("/cps/fr/natohq/topics_181779.htm"), 0);
    assert_eq!(site.requests_for(&format!("{NATO}deep-3.htm")), 0);
}

#[test]
fn an_update_is_polite() {
    let (site, _ws, _report) = first_update();
    // robots.txt once; the flaky page twice (500, then 200).
    assert_eq!(site.requests_for("/robots.txt"), 1);
    assert_eq!(site.requests_for(&format!("{NATO}flaky.htm")), 2);
    assert!(site.log().iter().all(|h| {
        h.user_agent
            .as_deref()
            .is_some_and(|ua| ua.starts_with("dossier/"))
    }));
}

#[test]
fn fetched_documents_and_their_records_stay_in_the_source_folder() {
    let (_site, ws, _report) = first_update();
    let folder = ws.sources().join("nato");
    let files = list_files(&ws.sources());
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            file.starts_with(&folder) || name == "sources.toml",
            "{} outside the folder",
            file.display()
        );
    }
    let records = files
        .iter()
        .filter(|f| f.to_str().unwrap().ends_with(".fetch.json"))
        .count();
    assert_eq!(records, 8);
    let record: Value = serde_json::from_slice(
        &std::fs::read(folder.join("127.0.0.1_cps_en_natohq_old-address.htm.fetch.json")).unwrap(),
    )
    .unwrap();
    assert!(record["url"].as_str().unwrap().ends_with("old-address.htm"));
    assert!(
        record["final_url"]
            .as_str()
            .unwrap()
            .ends_with("new-address.htm")
    );
    assert!(record["etag"].is_string() && record["fetched_at"].is_string());
    assert!(
        record["content_type"]
            .as_str()
            .unwrap()
            .starts_with("text/html")
    );
}

#[test]
fn fetched_documents_are_indexed_with_their_page_address_and_date() {
    // The PDF's phrase on page 2, the URL from the record, the Last-Modified
    // date for a page that names no date of its own.
    let (_site, ws, report) = first_update();
    assert_eq!(report["index"]["added"], 8, "{report}");
    let (_, hits) = ws.search(&["\"conflict-related sexual violence\""]);
    let hit = &hits["hits"][0];
    assert_eq!(hit["page"], 2, "{hit}");
    assert_eq!(hit["title"], "KFOR Chronicle, June 2019");
    assert_eq!(hit["source"], "nato");
    assert!(hit["url"].as_str().unwrap().ends_with("/chronicle.pdf"));
    let (_, hits) = ws.search(&["\"legal obligation\""]);
    assert_eq!(hits["hits"][0]["date"], "2023-02-14", "{hits}");
    assert_eq!(hits["hits"][0]["year_from"], "HTTP Last-Modified");
    let (_, hits) = ws.search(&["\"children and armed conflict\""]);
    assert!(
        hits["hits"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/new-address.htm"),
        "the final address after the redirect: {hits}"
    );
}

/// A second update after one page changed and one is gone.
fn second_update(site: &Site, ws: &Workspace) -> Value {
    site.clear_log();
    site.set(
        &format!("{NATO}changing.htm"),
        page(
            "Changing",
            "Trafficking in human beings, second version.",
            &[],
        ),
    );
    site.set(&format!("{NATO}deep-2.htm"), Page::Status(410));
    update(ws, &[]).1
}

#[test]
fn a_second_update_asks_conditionally_and_reindexes_only_what_changed() {
    let (site, ws, _) = first_update();
    let report = second_update(&site, &ws);
    assert_eq!(urls(&report, "changed"), ["changing.htm"], "{report}");
    assert!(urls(&report, "new").is_empty(), "{report}");
    assert_eq!(
        urls(&report, "not_modified"),
        [
            "chronicle.pdf",
            "deep-1.htm",
            "flaky.htm",
            "old-address.htm",
            "topics_181779.htm",
            "topics_51260.htm",
        ]
    );
    let conditional = site
        .log()
        .iter()
        .filter(|h| h.if_none_match.is_some())
        .count();
    assert!(conditional >= 7, "{:?}", site.log());
    assert_eq!(report["index"]["updated"], 1, "{report}");
    assert_eq!(report["index"]["added"], 0);
    assert_eq!(ws.ids(&["\"second version\""]).len(), 1);
    assert!(ws.ids(&["\"first version\""]).is_empty());
}

#[test]
fn a_gone_page_is_kept_until_prune_deletes_it() {
    let (site, ws, _) = first_update();
    let report = second_update(&site, &ws);
    assert_eq!(urls(&report, "gone"), ["deep-2.htm"]);
    assert_eq!(report["sources"][0]["gone"][0]["pruned"], false);
    assert_eq!(ws.ids(&["two"]).len(), 1, "a gone page is kept");

    // --prune deletes what is gone, and the index follows.
    let (_, report) = update(&ws, &["--prune"]);
    assert_eq!(report["sources"][0]["gone"][0]["pruned"], true, "{report}");
    assert_eq!(report["index"]["removed"], 1);
    assert!(ws.ids(&["two"]).is_empty());
}

#[test]
fn timeouts_size_caps_and_errors_are_reported_not_fatal() {
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    site.set(
        "/start.htm",
        page(
            "Start",
            "Women, peace and security.",
            &[
                "slow.htm",
                "huge.htm",
                "broken.htm",
                "loop.htm",
                "ftp.htm",
                "bad.pdf",
            ],
        ),
    );
    site.set(
        "/slow.htm",
        Page::Slow(Duration::from_secs(5), Box::new(page("Slow", "late", &[]))),
    );
    site.set(
        "/huge.htm",
        Page::html(&format!(
            "<html><body>{}</body></html>",
            "x".repeat(2 << 20)
        )),
    );
    site.set("/broken.htm", Page::Status(500));
    site.set("/loop.htm", Page::Redirect(302, "/loop.htm".into()));
    site.set(
        "/ftp.htm",
        Page::Redirect(301, "ftp://127.0.0.1/file".into()),
    );
    site.set("/bad.pdf", Page::pdf(b"%PDF-1.4 broken".to_vec()));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        format!(
            "[[source]]\nid = \"un\"\nstart = [\"{}\"]\nfollow = [\"{}/\"]\ndelay_ms = 0\n",
            site.url("/start.htm"),
            site.base
        ),
    );
    let started = std::time::Instant::now();
    let (code, report) = update(&ws, &["--max-size", "1", "--retries", "1"]);
    assert_eq!(code, 2);
    let failed = &report["sources"][0]["failed"];
    let reason = |path: &str| {
        failed
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["url"].as_str().unwrap().ends_with(path))
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{path} not in {failed}"))
    };
    assert!(reason("/slow.htm").contains("timed out"));
    assert!(reason("/huge.htm").contains("larger than 1 MB"));
    assert!(reason("/broken.htm").contains("500"));
    assert!(reason("/loop.htm").contains("redirects"));
    assert!(reason("/ftp.htm").contains("not http or https"));
    assert_eq!(site.requests_for("/broken.htm"), 2, "one retry");
    assert!(started.elapsed() < Duration::from_secs(30));
    // The broken PDF is saved (it is what the server sent) and reported by
    // the index; the good page is searchable.
    let index_failed = report["index"]["failed"].as_array().unwrap();
    assert_eq!(index_failed.len(), 1, "{report}");
    assert!(index_failed[0]["path"].as_str().unwrap().ends_with(".pdf"));
    assert_eq!(ws.ids(&["\"peace and security\""]).len(), 1);
    // Nothing of the refused answers was kept.
    assert!(
        list_files(&ws.sources())
            .iter()
            .all(|f| !f.to_str().unwrap().contains("huge") && !f.to_str().unwrap().contains("slow"))
    );
}

#[test]
fn urls_that_try_to_escape_the_folder_stay_inside_it() {
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    let hostile = [
        "../../../../etc/passwd",
        "%2e%2e/%2e%2e/%2e%2e/escape-encoded.htm",
        "%2E%2E%2F%2E%2E%2Fescape-slash.htm",
        "..%5c..%5cescape-backslash.htm",
        "/absolute/../../escape-absolute.htm",
        "//127.0.0.1:1/other-host.htm",
        ".hidden.htm",
        "a%00nul.htm",
        "x.htm.fetch.json",
    ];
    site.set("/dir/start.htm", page("Start", "Hostile links.", &hostile));
    let ws = Workspace::new();
    // The whole host is in scope, so every hostile link is fetched.
    ws.write(
        "sources.toml",
        format!(
            "[[source]]\nid = \"h\"\nstart = [\"{}\"]\nfollow = [\"{}/\"]\ndelay_ms = 0\nmax_depth = 1\n",
            site.url("/dir/start.htm"),
            site.base
        ),
    );
    // Every path answers with a page (the site's default is 404; set them all).
    for path in [
        "/etc/passwd",
        "/escape-encoded.htm",
        "/dir/%2E%2E%2F%2E%2E%2Fescape-slash.htm",
        "/dir/..%5c..%5cescape-backslash.htm",
        "/escape-absolute.htm",
        "/dir/.hidden.htm",
        "/dir/a%00nul.htm",
        "/dir/x.htm.fetch.json",
    ] {
        site.set(path, page("Trap", "escape attempt", &[]));
    }
    let outside_before = list_files(ws.dir.path());
    let (_, report) = update(&ws, &["--no-index", "--retries", "0"]);
    let saved = report["sources"][0]["new"].as_array().unwrap();
    assert!(saved.len() >= 8, "the hostile pages were fetched: {report}");
    let folder = ws.sources().join("h");
    for file in list_files(ws.dir.path()) {
        if outside_before.contains(&file) {
            continue;
        }
        assert!(
            file.starts_with(&folder),
            "{} was written outside {}",
            file.display(),
            folder.display()
        );
        assert_eq!(file.parent().unwrap(), folder, "no sub-folders either");
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(!name.starts_with('.'), "no hidden files: {name}");
    }
    // Each document has exactly one record, and the scan sees the documents only.
    let run = ws.run(&["index", "--json"]);
    assert_eq!(run.json()["added"].as_u64().unwrap() as usize, saved.len());
}

#[test]
fn dry_run_requests_and_writes_nothing() {
    let site = nato_site();
    let ws = Workspace::new();
    ws.write("sources.toml", sources_toml(&site, ""));
    let run = ws.run(&["update", "--dry-run", "--source", "nato"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("topics_181779.htm"), "{}", run.stdout);
    assert!(run.stdout.contains("depth 2"), "{}", run.stdout);
    assert!(run.stdout.contains("nothing was fetched"), "{}", run.stdout);
    assert!(site.log().is_empty());
    assert!(!ws.sources().join("nato").exists());
    assert!(!ws.index().exists());

    let run = ws.run(&["update", "--source", "kfor"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no source with id `kfor`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nato"), "{}", run.stderr);
}

#[test]
fn page_cap_stops_the_crawl_and_says_so() {
    let site = nato_site();
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site, "").replace("max_pages = 20", "max_pages = 3"),
    );
    let (_, report) = update(&ws, &["--no-index"]);
    let source = &report["sources"][0];
    let requests = [
        "new",
        "changed",
        "not_modified",
        "same_content",
        "failed",
        "gone",
    ]
    .iter()
    .map(|k| source[k].as_array().unwrap().len())
    .sum::<usize>();
    // Every request counts: robots.txt took one of the three.
    assert_eq!(site.log().len(), 3, "{report}");
    assert_eq!(requests, 2, "{report}");
    assert!(source["over_page_cap"].as_u64().unwrap() > 0, "{report}");
}

#[test]
fn without_a_network_update_says_so_and_how_to_index_local_files() {
    // A port nothing listens on: the connection is refused at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        format!(
            "[[source]]\nid = \"nato\"\nstart = [\"http://127.0.0.1:{port}/a.htm\"]\ndelay_ms = 0\n"
        ),
    );
    let run = ws.run(&["update", "--retries", "0", "--no-index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no source could be reached"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("dossier index"), "{}", run.stderr);
    assert!(run.stdout.contains("1 failed"), "{}", run.stdout);
}

#[test]
fn an_update_that_cannot_fetch_ends_quickly_and_leaves_a_searchable_index() {
    // Two sources on a port nothing listens on (refused at once), three
    // addresses between them, and documents already in the sources folder.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    drop(listener);
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        format!(
            "[[source]]\nid = \"a\"\nstart = [\"{dead}/one\", \"{dead}/two\"]\ndelay_ms = 0\n\n\
             [[source]]\nid = \"b\"\nstart = [\"{dead}/three\"]\ndelay_ms = 0\n"
        ),
    );
    ws.write(
        "mine/notes.txt",
        "Notes\n\nThe protection of civilians in Kosovo.",
    );
    let started = std::time::Instant::now();
    let run = ws.run(&["update", "--json"]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 2, "fetching failed: {}", run.stderr);
    let report = run.json();
    // Once per host: the first address fails, the others are not tried.
    let failed: usize = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["failed"].as_array().unwrap().len())
        .sum();
    let not_tried: usize = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["not_tried"].as_array().unwrap().len())
        .sum();
    assert_eq!((failed, not_tried), (1, 2), "{report}");
    assert!(
        run.stderr.contains("no source could be reached"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("refused"),
        "names the first error: {}",
        run.stderr
    );
    assert_eq!(report["index"]["added"], 1);
    assert_eq!(ws.ids(&["\"protection of civilians\""]), ["mine/notes.txt"]);
}

#[test]
fn the_shipped_sample_answers_the_first_search_without_a_network() {
    // The shipped sources folder, its addresses pointing at a port nothing
    // listens on: what a fresh clone on an offline machine gets.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    drop(listener);
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sources");
    let ws = Workspace::new();
    let config = std::fs::read_to_string(shipped.join("sources.toml")).unwrap();
    let config = with_hosts_at(&config, &dead);
    ws.write("sources.toml", config);
    for entry in std::fs::read_dir(shipped.join("un-general-debate-sample")).unwrap() {
        let entry = entry.unwrap();
        ws.write(
            &format!(
                "un-general-debate-sample/{}",
                entry.file_name().to_string_lossy()
            ),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    let started = std::time::Instant::now();
    let run = ws.run(&["update"]);
    assert_eq!(run.code, 2);
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(
        run.stderr.contains("un-general-debate-sample (67)"),
        "says what was indexed: {}",
        run.stderr
    );
    let run = ws.run(&["search", "\"human security\""]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("1. "), "{}", run.stdout);
    assert!(
        run.stdout.contains("un-general-debate-sample"),
        "{}",
        run.stdout
    );
}

/// Every `https://host` of a sources.toml pointed at `base`.
fn with_hosts_at(config: &str, base: &str) -> String {
    let mut out = String::new();
    let mut rest = config;
    while let Some(at) = rest.find("https://") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "https://".len()..];
        let end = after.find(['/', '"']).unwrap_or(after.len());
        out.push_str(base);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}
