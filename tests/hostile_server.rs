//! `dossier update` against a server that means harm (or is merely broken),
//! on loopback addresses: each test is a case an adversarial run found.
//! No test connects to a private range: refusals happen before connecting.

use std::time::Duration;

use serde_json::Value;

use crate::common::Workspace;
use crate::common::files::list_files;
use crate::common::site::{Page, Site};

fn page(links: &[String]) -> Page {
    let links: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">{l}</a></li>\n"))
        .collect();
    Page::html(&format!(
        "<!DOCTYPE html><html><head><title>Start</title></head><body><main><h1>Start</h1>\
         <p>Protection of civilians, women, peace and security.</p><ul>{links}</ul></main></body></html>"
    ))
}

fn sources_toml(start: &str, follow: &str, extra: &str) -> String {
    format!(
        "[[source]]\nid = \"h\"\nstart = [\"{start}\"]\nfollow = [\"{follow}\"]\ndelay_ms = 0\n{extra}\n"
    )
}

fn update(ws: &Workspace, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "update",
        "--json",
        "--retries",
        "0",
        "--timeout",
        "5",
        "--no-index",
    ];
    args.extend_from_slice(extra);
    let run = ws.run(&args);
    assert!(
        run.code == 0 || run.code == 2,
        "exit {}: {}\n{}",
        run.code,
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    (run.code, run.json())
}

fn reasons(report: &Value) -> String {
    report["sources"][0]["failed"].to_string()
}

#[test]
fn a_user_name_in_a_link_does_not_pass_for_the_follow_prefix() {
    let (a, b) = (Site::start(), Site::start());
    a.set("/robots.txt", Page::Status(404));
    b.set("/robots.txt", Page::Status(404));
    let authority = a.base.trim_start_matches("http://");
    // With userinfo, this link's host is b: a string prefix let it through.
    let sneaky = format!(
        "http://{authority}@{}/secret",
        b.base.trim_start_matches("http://")
    );
    a.set("/start", page(&[sneaky]));
    b.set("/secret", page(&[]));
    let ws = Workspace::new();
    // A prefix without a path (and without a slash), as the attack had it.
    ws.write("sources.toml", sources_toml(&a.url("/start"), &a.base, ""));
    let (_, report) = update(&ws, &[]);
    assert_eq!(b.requests_for("/secret"), 0, "{report}");
    assert_eq!(report["sources"][0]["out_of_scope"], 1, "{report}");
}

#[test]
fn redirects_to_this_machine_or_the_local_network_are_refused() {
    let site = Site::start();
    // Another host on this machine, listening: it must never be asked.
    let inside = Site::start_on("127.0.0.2");
    site.set("/robots.txt", Page::Status(404));
    inside.set("/robots.txt", Page::Status(404));
    inside.set("/admin", page(&[]));
    let port = site.base.rsplit(':').next().unwrap().to_string();
    let targets = [
        ("/to-loopback", format!("{}/admin", inside.base)),
        (
            "/to-metadata",
            "http://169.254.169.254/latest/meta-data/".into(),
        ),
        ("/to-private", "http://10.0.0.1/".into()),
        ("/to-mapped", "http://[::ffff:127.0.0.2]/".into()),
        ("/to-localhost", format!("http://localhost:{port}/start")),
        ("/to-zero", "http://0.0.0.0/".into()),
    ];
    let mut links = Vec::new();
    for (from, to) in &targets {
        site.set(from, Page::Redirect(302, to.clone()));
        links.push(from.to_string());
    }
    site.set("/start", page(&links));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let started = std::time::Instant::now();
    let (code, report) = update(&ws, &[]);
    assert_eq!(code, 2, "{report}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused at once"
    );
    assert_eq!(inside.requests_for("/admin"), 0, "{report}");
    assert!(inside.log().is_empty(), "{:?}", inside.log());
    let failed = report["sources"][0]["failed"].as_array().unwrap();
    for (from, _) in &targets {
        let failure = failed
            .iter()
            .find(|f| f["url"].as_str().unwrap().ends_with(from))
            .unwrap_or_else(|| panic!("{from} not failed: {report}"));
        assert!(
            failure["reason"].as_str().unwrap().contains("refused"),
            "{from}: {failure}"
        );
    }
    // The start host itself stays allowed: its own pages were fetched.
    assert_eq!(report["sources"][0]["new"].as_array().unwrap().len(), 1);
}

#[test]
fn a_source_may_live_on_a_local_host_and_stay_there() {
    // An intranet or a test site: the start host is trusted, nothing else.
    let site = Site::start_on("127.0.0.3");
    site.set("/robots.txt", Page::Status(404));
    site.set("/start", page(&["/a".to_string()]));
    site.set("/a", page(&[]));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let (code, report) = update(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["sources"][0]["new"].as_array().unwrap().len(), 2);
}

#[test]
fn an_absurd_crawl_delay_is_capped_and_said() {
    let site = Site::start();
    // 1e30 seconds panicked when turned into a pause.
    site.set(
        "/robots.txt",
        Page::text("User-agent: *\nCrawl-delay: 1e30\nAllow: /\n"),
    );
    site.set("/start", page(&[]));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let (code, report) = update(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    let source = &report["sources"][0];
    assert_eq!(source["new"].as_array().unwrap().len(), 1, "{report}");
    assert!(
        source["warnings"].to_string().contains("more than 30 s"),
        "{source}"
    );
}

#[test]
fn a_huge_delay_ms_is_capped() {
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(
            "http://127.0.0.1:9/start",
            "http://127.0.0.1:9/",
            "delay_ms = 9223372036854775807",
        )
        .replace("delay_ms = 0\n", ""),
    );
    let run = ws.run(&["update", "--dry-run", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["sources"][0]["delay_ms"], 60_000);
}

#[test]
fn pages_full_of_links_cannot_fill_memory() {
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    // 20,000 unique in-scope links on one page: half are read.
    let links: Vec<String> = (0..20_000).map(|i| format!("/p/{i}")).collect();
    site.set("/start", page(&links));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(
            &site.url("/start"),
            &format!("{}/", site.base),
            "max_pages = 2",
        ),
    );
    let (_, report) = update(&ws, &[]);
    let source = &report["sources"][0];
    assert_eq!(source["over_link_cap"], 10_000, "{source}");
    assert!(
        source["warnings"]
            .to_string()
            .contains("links were not read")
    );
    assert_eq!(source["over_page_cap"], 10_000 - 1);
}

#[test]
fn a_killed_update_leaves_one_document_per_address() {
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    let links: Vec<String> = (0..40).map(|i| format!("/doc/{i}.htm")).collect();
    for link in &links {
        site.set(link, page(&[]));
    }
    site.set("/start", page(&links));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    // Kill updates at growing moments, then let one finish.
    for millis in [5u64, 15, 30, 50, 80, 120] {
        let mut child = ws
            .command(&["update", "--no-index", "--quiet"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(millis));
        let _ = child.kill();
        child.wait().unwrap();
    }
    let (code, _) = update(&ws, &[]);
    assert_eq!(code, 0);
    let files = list_files(&ws.sources().join("h"));
    let documents = files
        .iter()
        .filter(|f| !f.to_string_lossy().ends_with(".fetch.json"))
        .count();
    let records = files.len() - documents;
    assert_eq!(documents, 41, "{files:?}");
    assert_eq!(records, 41, "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| !f.file_name().unwrap().to_string_lossy().starts_with('.')),
        "no temporary file is left: {files:?}"
    );
}

#[test]
fn a_304_for_a_page_never_asked_conditionally_is_a_failure() {
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    site.set("/start", Page::Status(304));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let (code, report) = update(&ws, &[]);
    assert_eq!(code, 2, "{report}");
    assert!(reasons(&report).contains("304"), "{report}");
    assert!(
        report["sources"][0]["not_modified"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn encoded_bodies_are_refused_never_stored() {
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    for (path, encoding) in [
        ("/deflate", "deflate"),
        ("/br", "br"),
        ("/weird", "x-custom"),
    ] {
        site.set(
            path,
            Page::Raw {
                status: 200,
                headers: vec![
                    ("Content-Type", "text/html".into()),
                    ("Content-Encoding", encoding.into()),
                ],
                body: vec![0x78, 0x9c, 0x01, 0x02, 0x03, 0xff, 0x00],
            },
        );
    }
    site.set(
        "/start",
        page(&["/deflate".into(), "/br".into(), "/weird".into()]),
    );
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let (_, report) = update(&ws, &[]);
    let failed = reasons(&report);
    for encoding in ["deflate", "br", "x-custom"] {
        assert!(
            failed.contains(&format!("encoded as \\\"{encoding}\\\"")),
            "{failed}"
        );
    }
    let kept = list_files(&ws.sources().join("h"));
    assert_eq!(
        kept.len(),
        2,
        "the start page and its record only: {kept:?}"
    );
}

#[test]
fn a_robots_txt_that_cannot_be_read_is_said() {
    for robots in [
        Page::Status(503),
        Page::Redirect(302, "file:///etc/robots.txt".into()),
        Page::Slow(
            Duration::from_secs(8),
            Box::new(Page::text("User-agent: *\n")),
        ),
    ] {
        let site = Site::start();
        site.set("/robots.txt", robots);
        site.set("/start", page(&[]));
        let ws = Workspace::new();
        ws.write(
            "sources.toml",
            sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
        );
        let (code, report) = update(&ws, &["--timeout", "2"]);
        assert_eq!(code, 2, "{report}");
        let source = &report["sources"][0];
        assert_eq!(site.requests_for("/start"), 0, "{report}");
        assert!(
            source["warnings"]
                .to_string()
                .contains("nothing was fetched from 127.0.0.1"),
            "{source}"
        );
    }
}

#[test]
fn a_folder_name_dossier_keeps_for_itself_is_refused() {
    for folder in ["topics.toml", ".hidden", "sources.toml"] {
        let ws = Workspace::new();
        ws.write(
            "sources.toml",
            format!("[[source]]\nid = \"x\"\nfolder = \"{folder}\"\n"),
        );
        ws.write("a/doc.txt", "A document.");
        let run = ws.run(&["index"]);
        assert_eq!(run.code, 2, "{folder}: {}", run.stderr);
        assert!(
            run.stderr.contains("line 3") && run.stderr.contains("folder"),
            "{folder}: {}",
            run.stderr
        );
    }
}
