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
    // Two requests (robots.txt, then the start page) used max_pages up.
    assert_eq!(source["over_page_cap"], 10_000);
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
    let encoded = |headers: &[(&'static str, &str)]| {
        let mut all = vec![("Content-Type", "text/html".to_string())];
        all.extend(headers.iter().map(|(n, v)| (*n, v.to_string())));
        Page::Raw {
            status: 200,
            headers: all,
            body: vec![0x78, 0x9c, 0x01, 0x02, 0x03, 0xff, 0x00],
        }
    };
    type Headers<'a> = &'a [(&'static str, &'a str)];
    let cases: [(&str, Headers, &str); 5] = [
        ("/deflate", &[("Content-Encoding", "deflate")], "deflate"),
        ("/br", &[("Content-Encoding", "br")], "br"),
        ("/weird", &[("Content-Encoding", "x-custom")], "x-custom"),
        // A second header hid behind the first: only the first was read.
        (
            "/second",
            &[
                ("Content-Encoding", "identity"),
                ("Content-Encoding", "deflate"),
            ],
            "deflate",
        ),
        (
            "/two",
            &[
                ("Content-Encoding", "gzip"),
                ("Content-Encoding", "deflate"),
            ],
            "gzip, deflate",
        ),
    ];
    for (path, headers, _) in &cases {
        site.set(path, encoded(headers));
    }
    // gzip is decoded, and kept decoded.
    let gzipped = {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder
            .write_all(b"<html><body><main><p>Gzipped human security.</p></main></body></html>")
            .unwrap();
        encoder.finish().unwrap()
    };
    site.set(
        "/gz",
        Page::Raw {
            status: 200,
            headers: vec![
                ("Content-Type", "text/html".into()),
                ("Content-Encoding", "gzip".into()),
            ],
            body: gzipped,
        },
    );
    let mut links: Vec<String> = cases.iter().map(|(p, _, _)| p.to_string()).collect();
    links.push("/gz".into());
    site.set("/start", page(&links));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let (_, report) = update(&ws, &[]);
    let failed = reasons(&report);
    for (_, _, named) in &cases {
        assert!(
            failed.contains(&format!("encoded as \\\"{named}\\\"")),
            "{named}: {failed}"
        );
    }
    let kept = list_files(&ws.sources().join("h"));
    assert_eq!(
        kept.len(),
        4,
        "the start page, the gzipped page and their records only: {kept:?}"
    );
    let gz = kept
        .iter()
        .find(|f| f.to_string_lossy().ends_with("_gz.html"))
        .unwrap_or_else(|| panic!("{kept:?}"));
    let body = std::fs::read_to_string(ws.sources().join("h").join(gz)).unwrap();
    assert!(body.contains("Gzipped human security"), "{body}");
}

/// The ETag of one address was sent to the address another redirect led
/// to, and a 304 from there was taken as "unchanged".
#[test]
fn validators_go_only_to_the_address_they_came_from() {
    let (a, b) = (Site::start(), Site::start());
    for site in [&a, &b] {
        site.set("/robots.txt", Page::Status(404));
    }
    a.set("/moved", Page::Redirect(302, b.url("/target")));
    b.set("/target", page(&[]));
    b.set("/never", Page::Status(304));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&a.url("/moved"), &format!("{}/", a.base), ""),
    );
    let (code, _) = update(&ws, &[]);
    assert_eq!(code, 0);
    // Unchanged: the redirect is asked unconditionally, the target with its ETag.
    a.clear_log();
    b.clear_log();
    let (code, report) = update(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["sources"][0]["not_modified"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(a.log().iter().all(|hit| hit.if_none_match.is_none()));
    let target = b.log().into_iter().find(|h| h.path == "/target").unwrap();
    assert!(target.if_none_match.is_some());
    // The redirect now leads elsewhere, which answers 304 to anything.
    a.set("/moved", Page::Redirect(302, b.url("/never")));
    let (code, report) = update(&ws, &[]);
    assert_eq!(code, 2, "{report}");
    assert!(reasons(&report).contains("not conditional"), "{report}");
    let never = b.log().into_iter().find(|h| h.path == "/never").unwrap();
    assert_eq!(never.if_none_match, None);
}

/// A link from one source to a host another source starts on was refused
/// (rightly), and the refusal was kept as that host's robots.txt: the
/// other source was then refused too.
#[test]
fn a_refusal_for_one_source_does_not_lock_out_another() {
    let public = Site::start();
    let intranet = Site::start_on("127.0.0.2");
    for site in [&public, &intranet] {
        site.set("/robots.txt", Page::Status(404));
    }
    public.set("/start", page(&["/go".into()]));
    public.set("/go", Page::Redirect(302, intranet.url("/secret")));
    intranet.set("/secret", page(&[]));
    intranet.set("/wiki", page(&[]));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        format!(
            "{}\n[[source]]\nid = \"intra\"\nstart = [\"{}\"]\nfollow = [\"{}/\"]\ndelay_ms = 0\n",
            sources_toml(&public.url("/start"), &format!("{}/", public.base), ""),
            intranet.url("/wiki"),
            intranet.base
        ),
    );
    let (_, report) = update(&ws, &[]);
    assert_eq!(intranet.requests_for("/secret"), 0, "{report}");
    assert_eq!(intranet.requests_for("/wiki"), 1, "{report}");
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

/// A proxy that tunnels `CONNECT host:port` to loopback and logs each
/// request line, on 127.0.0.3: the first line of every request it got.
fn tunnelling_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.3:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(client.try_clone().unwrap());
                let mut first = String::new();
                let _ = reader.read_line(&mut first);
                seen.lock().unwrap().push(first.trim().to_string());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let mut client = client;
                let target = first.split_whitespace().nth(1).unwrap_or("").to_string();
                let Some(upstream) = first
                    .starts_with("CONNECT ")
                    .then(|| TcpStream::connect(&target).ok())
                    .flatten()
                else {
                    let _ =
                        client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut up_read, mut up_write) = (upstream.try_clone().unwrap(), upstream);
                let mut client_write = client.try_clone().unwrap();
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut reader, &mut up_write);
                });
                let _ = std::io::copy(&mut up_read, &mut client_write);
            });
        }
    });
    (address, log)
}

/// Behind a proxy, the proxy resolves the host, not dossier: the guard
/// never saw where a redirect led.
#[test]
fn a_proxy_does_not_open_the_way_to_the_local_network() {
    let site = Site::start();
    let inside = Site::start_on("127.0.0.2");
    site.set("/robots.txt", Page::Status(404));
    inside.set("/robots.txt", Page::Status(404));
    site.set("/start", page(&["/go".into()]));
    site.set("/go", Page::Redirect(302, inside.url("/latest/meta-data/")));
    inside.set("/latest/meta-data/", page(&[]));
    let (proxy, proxied) = tunnelling_proxy();
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let run = ws
        .command(&[
            "update",
            "--json",
            "--retries",
            "0",
            "--timeout",
            "5",
            "--no-index",
        ])
        .env("HTTP_PROXY", &proxy)
        .env("HTTPS_PROXY", &proxy)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let proxied = proxied.lock().unwrap().clone();
    // The proxy was used, for the start page…
    assert!(
        proxied.iter().any(|line| line.contains("127.0.0.1")),
        "{proxied:?}"
    );
    assert_eq!(site.requests_for("/start"), 1, "{report}");
    // …and never asked for the inside host.
    assert!(
        !proxied.iter().any(|line| line.contains("127.0.0.2")),
        "{proxied:?}"
    );
    assert_eq!(inside.requests_for("/latest/meta-data/"), 0, "{report}");
    assert!(reasons(&report).contains("refused"), "{report}");
}

/// A host that answered (with a redirect for its robots.txt to a name that
/// does not resolve) was counted as unresolved: two such made the machine
/// look offline, and every later source was skipped.
#[test]
fn names_that_do_not_resolve_behind_a_redirect_are_not_a_lost_network() {
    let (a, c) = (Site::start(), Site::start_on("127.0.0.3"));
    a.set(
        "/robots.txt",
        Page::Redirect(302, "http://a.invalid/robots.txt".into()),
    );
    c.set(
        "/robots.txt",
        Page::Redirect(302, "http://b.invalid/robots.txt".into()),
    );
    let b = Site::start_on("127.0.0.2");
    b.set("/robots.txt", Page::Status(404));
    b.set("/start", page(&[]));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        format!(
            "[[source]]\nid = \"a\"\nstart = [\"{}\", \"{}\"]\ndelay_ms = 0\n\n\
             [[source]]\nid = \"b\"\nstart = [\"{}\"]\ndelay_ms = 0\n",
            a.url("/start"),
            c.url("/start"),
            b.url("/start")
        ),
    );
    let (code, report) = update(&ws, &[]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(b.requests_for("/start"), 1, "{report}");
    assert!(
        report["sources"][1]["not_tried"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{report}"
    );
}

/// One failed connection marked the whole host down, whatever the port:
/// an iframe to port 1 stopped every later source on that host.
#[test]
fn a_dead_port_does_not_take_its_host_down() {
    let (evil, victim) = (Site::start(), Site::start());
    for site in [&evil, &victim] {
        site.set("/robots.txt", Page::Status(404));
    }
    evil.set(
        "/start",
        Page::html(
            r#"<html><body><iframe src="http://127.0.0.1:1/doc.pdf"></iframe></body></html>"#,
        ),
    );
    victim.set("/start", page(&[]));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        format!(
            "[[source]]\nid = \"evil\"\nstart = [\"{}\"]\ndelay_ms = 0\n\n\
             [[source]]\nid = \"victim\"\nstart = [\"{}\"]\ndelay_ms = 0\n",
            evil.url("/start"),
            victim.url("/start")
        ),
    );
    let (_, report) = update(&ws, &[]);
    assert_eq!(victim.requests_for("/start"), 1, "{report}");
}

/// Redirect hops and robots.txt were not counted: `max_pages = 1` allowed
/// dozens of requests.
#[test]
fn max_pages_counts_every_request() {
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    let links: Vec<String> = (0..10).map(|i| format!("/p/{i}")).collect();
    for link in &links {
        site.set(link, Page::Redirect(302, format!("{link}/1")));
        site.set(
            &format!("{link}/1"),
            Page::Redirect(302, format!("{link}/2")),
        );
        site.set(&format!("{link}/2"), page(&[]));
    }
    site.set("/start", page(&links));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(
            &site.url("/start"),
            &format!("{}/", site.base),
            "max_pages = 4",
        ),
    );
    let (_, report) = update(&ws, &[]);
    // robots.txt, the start page, then one link and its two redirects: the
    // address under way finishes its redirects (five at most).
    let requests = site.log().len();
    assert!(requests <= 4 + 5, "{requests} requests: {report}");
    assert!(requests >= 4, "{requests} requests: {report}");
    assert!(
        report["sources"][0]["over_page_cap"].as_u64().unwrap() >= 8,
        "{report}"
    );
}

/// A page nested 60,000 levels deep took minutes of CPU in the HTML
/// parser (quadratic in depth) before any limit applied.
#[test]
fn a_page_too_deep_for_a_dom_is_crawled_in_seconds() {
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    site.set(
        "/start",
        Page::html(&format!(
            "<html><body><main><p>hello</p>{}<a href=\"/next\">next</a></main></body></html>",
            "<div>".repeat(60_000)
        )),
    );
    site.set("/next", page(&[]));
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let started = std::time::Instant::now();
    let (code, report) = update(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(site.requests_for("/next"), 1, "its links are still read");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

/// `--retries 40` overflowed the backoff (a panic, exit 101).
#[test]
fn retries_are_bounded_and_their_pauses_never_overflow() {
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        sources_toml("http://127.0.0.1:1/start", "http://127.0.0.1:1/", ""),
    );
    let run = ws.run(&["update", "--retries", "40"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--retries"), "{}", run.stderr);
    let site = Site::start();
    site.set("/robots.txt", Page::Status(404));
    site.set("/start", Page::Status(503));
    ws.write(
        "sources.toml",
        sources_toml(&site.url("/start"), &format!("{}/", site.base), ""),
    );
    let run = ws.run(&[
        "update",
        "--json",
        "--no-index",
        "--retries",
        "10",
        "--backoff",
        "0.000000001",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(site.requests_for("/start"), 11);
}
