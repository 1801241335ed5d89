//! The shipped `sources/sources.toml`, run against local stand-ins of the
//! sites it names (`common::stand_ins`): each real host is mapped to its
//! stand-in on 127.0.0.1 and every delay set to 0, nothing else changed. What
//! each source ends up holding is what a researcher would get from the real
//! sites as they now stand.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::Workspace;
use crate::common::files::list_files;
use crate::common::stand_ins::{CHRONICLES, KOSOVO_NEWS, RESOLUTIONS, StandIns};

const SOURCES: [&str; 5] = ["nato", "nato-kosovo", "kfor", "kfor-news", "unsc"];

/// An update of the five stood-in sources; returns the report.
fn update(ws: &Workspace) -> Value {
    let mut args = vec!["update", "--json", "--timeout", "5", "--retries", "0"];
    for source in SOURCES {
        args.extend(["--source", source]);
    }
    let run = ws.run(&args);
    assert!(
        run.code == 0 || run.code == 2,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.json()
}

fn source<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report}"))
}

fn kept_files(ws: &Workspace, folder: &str) -> BTreeSet<String> {
    list_files(&ws.sources().join(folder))
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".fetch.json"))
        .collect()
}

/// One run shared by the checks below.
fn updated() -> (StandIns, Workspace, Value) {
    let sites = StandIns::start();
    let ws = Workspace::new();
    ws.write("sources.toml", sites.sources_toml());
    let report = update(&ws);
    (sites, ws, report)
}

#[test]
fn nato_texts_and_pdfs_are_reached_through_the_redirected_old_addresses() {
    let (sites, ws, report) = updated();
    let nato = source(&report, "nato");
    // Ten start pages moved (301), one moved without a redirect, two PDFs.
    let holds = &nato["holds"];
    assert!(holds["pages"].as_u64().unwrap() >= 10, "{nato}");
    assert_eq!(holds["pdfs"], 2, "{nato}");
    let (_, hits) = ws.search(&["\"avoid, minimise and mitigate harm\"", "--source", "nato"]);
    assert_eq!(hits["hits"][0]["page"], 2, "{hits}");
    // The old address of a start page, reached again by its session-carrying
    // link, is the same document: kept once.
    let (_, all) = ws.search(&["*", "--source", "nato"]);
    let policy = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| {
            h["url"]
                .as_str()
                .is_some_and(|u| u.ends_with("/nato-policy-for-the-protection-of-civilians"))
        })
        .count();
    assert_eq!(policy, 1, "{}", nato["duplicates"]);
    // The start page that moved without a redirect is said.
    let warnings = nato["warnings"].to_string();
    assert!(
        warnings.contains("topics_156399.htm answered 404"),
        "{warnings}"
    );
    // robots.txt obeyed; images not fetched.
    assert_eq!(sites.nato.requests_for("/en/search/?q=kosovo"), 0);
    assert_eq!(
        sites
            .nato
            .requests_for("/content/dam/nato/webready/images/human-security.jpg"),
        0
    );
}

#[test]
fn kosovo_news_comes_from_the_sitemap_and_nothing_unrelated() {
    let (sites, ws, report) = updated();
    let kosovo = source(&report, "nato-kosovo");
    for path in KOSOVO_NEWS {
        assert_eq!(sites.nato.requests_for(path), 1, "{path}: {kosovo}");
    }
    let unrelated = sites
        .nato
        .log()
        .iter()
        .filter(|h| h.path.contains("allies-meet-on-topic"))
        .count();
    assert_eq!(unrelated, 0, "no unrelated article is asked for");
    assert!(
        kosovo["sitemap_requests"].as_u64().unwrap() >= 3,
        "{kosovo}"
    );
    // Besides its start page, the source holds Kosovo and KFOR pages only.
    let kept = kept_files(&ws, "nato-kosovo");
    let others: Vec<&String> = kept
        .iter()
        .filter(|f| !f.contains("topics_48818"))
        .collect();
    assert!(
        others
            .iter()
            .all(|f| f.contains("kosovo") || f.contains("kfor")),
        "{kept:?}"
    );
    assert!(others.len() > KOSOVO_NEWS.len(), "{kept:?}");

    // A second update: the sitemap says nothing changed, so nothing is asked.
    sites.nato.clear_log();
    let report = update(&ws);
    let kosovo = source(&report, "nato-kosovo");
    assert_eq!(
        kosovo["unchanged_in_sitemap"].as_array().unwrap().len(),
        KOSOVO_NEWS.len(),
        "{kosovo}"
    );
    for path in KOSOVO_NEWS {
        assert_eq!(sites.nato.requests_for(path), 0, "{path}");
    }
}

#[test]
fn kfor_chronicles_are_found_from_the_media_centre_with_their_pages() {
    let (sites, ws, report) = updated();
    let kfor = source(&report, "kfor");
    assert_eq!(kfor["holds"]["pdfs"], CHRONICLES.len(), "{kfor}");
    for (name, phrase) in CHRONICLES {
        let (_, hits) = ws.search(&[&format!("\"{phrase}\""), "--source", "kfor"]);
        let hit = &hits["hits"][0];
        assert_eq!(hit["page"], 2, "{name}: {hits}");
        assert!(hit["url"].as_str().unwrap().contains("%20"), "{hit}");
    }
    // Pages without "chronicle" in their address, and images, are not fetched.
    assert_eq!(
        sites
            .jfcnaples
            .requests_for("/kfor/media-center/photo-gallery"),
        0
    );
    assert!(
        sites
            .jfcnaples
            .log()
            .iter()
            .all(|h| !h.path.ends_with(".jpg")),
        "{:?}",
        sites.jfcnaples.log()
    );
    let news = source(&report, "kfor-news");
    assert_eq!(news["holds"]["pages"], 5, "{news}");
    assert_eq!(
        ws.ids(&["\"dialogue with communities\"", "--source", "kfor-news"])
            .len(),
        2
    );
}

#[test]
fn resolutions_by_symbol_are_their_pdfs_named_titled_and_dated_by_the_symbol() {
    let (_sites, ws, report) = updated();
    let unsc = source(&report, "unsc");
    assert_eq!(unsc["holds"]["pdfs"], RESOLUTIONS.len(), "{unsc}");
    assert_eq!(unsc["holds"]["pages"], 0, "no viewer page is kept: {unsc}");
    let kept = kept_files(&ws, "un-security-council");
    for (number, year, phrase) in RESOLUTIONS {
        assert!(
            kept.contains(&format!("S_RES_{number}_{year}.pdf")),
            "{kept:?}"
        );
        let (_, hits) = ws.search(&[&format!("\"{phrase}\""), "--source", "unsc"]);
        let hit = &hits["hits"][0];
        assert_eq!(hit["title"], format!("S/RES/{number} ({year})"), "{hit}");
        assert_eq!(hit["year"], year.parse::<u64>().unwrap(), "{hit}");
        assert_eq!(hit["year_from"], "sources.toml fields");
        assert_eq!(hit["page"], 2, "{hit}");
    }
    // A second update asks each viewer page again and its PDF conditionally:
    // six 304s, nothing downloaded twice.
    let report = update(&ws);
    let unsc = source(&report, "unsc");
    assert_eq!(
        unsc["not_modified"].as_array().unwrap().len(),
        RESOLUTIONS.len(),
        "{unsc}"
    );
    assert!(unsc["new"].as_array().unwrap().is_empty(), "{unsc}");
}

#[test]
fn nothing_is_written_outside_the_sources_and_the_index() {
    let sites = StandIns::start();
    let ws = Workspace::new();
    ws.write("sources.toml", sites.sources_toml());
    let before: BTreeSet<_> = list_files(ws.dir.path()).into_iter().collect();
    update(&ws);
    for file in list_files(ws.dir.path()) {
        if before.contains(&file) {
            continue;
        }
        assert!(
            file.starts_with(ws.sources()) || file.starts_with(ws.index()),
            "{} was written outside sources/ and the index",
            file.display()
        );
    }
}
