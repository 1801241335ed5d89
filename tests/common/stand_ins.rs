//! Local stand-ins for the sites `sources/sources.toml` names, shaped as the
//! public evidence says the real ones stand in 2025-2026 (not a copy of them):
//!
//! - nato.int, redesigned: old `/cps/en/natohq/topics_N.htm` and
//!   `official_texts_N.htm` addresses answer 301 to the new shapes
//!   (`/en/what-we-do/<section>/<slug>`,
//!   `/en/about-us/official-texts-and-resources/official-texts/YYYY/MM/DD/<slug>`),
//!   PDFs under `/content/dam/nato/…`, old links with a session segment
//!   (`/cps/en/SID-…/natolive/…`), a news hub built by JavaScript (no plain
//!   links to its articles), and a sitemap index (one part gzipped) that lists
//!   hundreds of unrelated pages beside a few about Kosovo;
//! - jfcnaples.nato.int: KFOR's media centre, a Chronicle page that lists PDF
//!   issues as files under `/resources/site795/…` with spaces in their names,
//!   images beside them, and a news archive by year;
//! - undocs.org: a viewer page per resolution symbol whose frame points at
//!   documents.un.org, which redirects to the PDF (a later scan: its own date
//!   is not the resolution's).

#![allow(dead_code)]

use std::io::Write;

use super::pdf::{PdfInfo, write_pdf};
use super::site::{Page, Site};

/// The stand-in sites, each on its own port of 127.0.0.1.
pub struct StandIns {
    pub nato: Site,
    pub jfcnaples: Site,
    pub undocs: Site,
    pub documents: Site,
}

/// Kosovo and KFOR news articles, as the NATO sitemap lists them.
pub const KOSOVO_NEWS: &[&str] = &[
    "/en/news-and-events/articles/news/2025/06/12/kfor-marks-26-years-in-kosovo",
    "/en/news-and-events/articles/news/2025/09/03/secretary-general-visits-kfor",
    "/en/news-and-events/articles/news/2026/02/17/kosovo-security-force-training",
];

/// Unrelated articles the NATO sitemap lists beside them.
pub const UNRELATED_NEWS: usize = 300;

/// The six resolutions `sources.toml` fetches, and a phrase on page 2 of each.
pub const RESOLUTIONS: &[(&str, &str, &str)] = &[
    ("1244", "1999", "international civil and security presences"),
    (
        "1325",
        "2000",
        "gender perspective into peacekeeping operations",
    ),
    (
        "1612",
        "2005",
        "monitoring and reporting mechanism on children",
    ),
    (
        "1820",
        "2008",
        "sexual violence when used as a tactic of war",
    ),
    (
        "2282",
        "2016",
        "sustaining peace should be broadly understood",
    ),
    (
        "2553",
        "2020",
        "security sector reform is a nationally owned process",
    ),
];

/// The Chronicle issues the KFOR stand-in offers: (name with spaces, phrase
/// on page 2).
pub const CHRONICLES: &[(&str, &str)] = &[
    (
        "KFOR Chronicle June 2019",
        "liaison and monitoring teams met women leaders",
    ),
    (
        "KFOR Chronicle December 2019",
        "multinational battle group east trained in winter",
    ),
];

fn html(title: &str, nav: &[(&str, &str)], main: &str) -> Page {
    let nav: String = nav
        .iter()
        .map(|(href, text)| format!("<li><a href=\"{href}\">{text}</a></li>"))
        .collect();
    Page::html(&format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><header class=\"cmp-header\"><nav><ul>{nav}</ul></nav></header>\
         <main class=\"cmp-main\"><h1>{title}</h1>{main}</main>\
         <footer>North Atlantic Treaty Organization</footer></body></html>"
    ))
}

/// A paragraph of at least fifty words on `subject`.
fn prose(subject: &str) -> String {
    format!(
        "<p>This page sets out how the Alliance approaches {subject}. It explains the policies \
         that guide NATO's work, the commitments Allies have made at successive summits, and the \
         practical measures taken in operations and missions to protect civilians, to prevent \
         conflict-related sexual violence and to integrate a gender perspective. It is kept up to \
         date as the policies change.</p>"
    )
}

fn pdf(pages: &[&str], title: Option<&str>, date: &str) -> Page {
    Page::pdf(write_pdf(
        pages,
        &PdfInfo {
            title,
            creation_date: Some(date),
            quote_lines: false,
        },
        true,
    ))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

impl StandIns {
    pub fn start() -> StandIns {
        let stand_ins = StandIns {
            nato: Site::start(),
            jfcnaples: Site::start(),
            undocs: Site::start(),
            documents: Site::start(),
        };
        stand_ins.nato_site();
        stand_ins.jfcnaples_site();
        stand_ins.undocs_sites();
        stand_ins
    }

    /// The shipped `sources.toml` with each real host mapped to its stand-in
    /// and no delay: what a test runs.
    pub fn sources_toml(&self) -> String {
        let shipped = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sources/sources.toml"),
        )
        .expect("the shipped sources.toml");
        let mut text = shipped
            .replace("https://www.nato.int", &self.nato.base)
            .replace("https://jfcnaples.nato.int", &self.jfcnaples.base)
            .replace("https://undocs.org", &self.undocs.base);
        // delay_ms = 0 everywhere: the tests do not wait.
        let mut out = String::new();
        for line in text.lines() {
            if line.trim_start().starts_with("delay_ms") {
                out.push_str("delay_ms = 0\n");
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        text = out;
        text
    }

    fn nato_site(&self) {
        let n = &self.nato;
        let nav: Vec<(&str, &str)> = vec![
            (
                "/en/what-we-do/deterrence-and-defence",
                "Deterrence and defence",
            ),
            (
                "/en/what-we-do/partnerships-and-cooperation/human-security",
                "Human security",
            ),
            ("/en/news-and-events/articles/news", "News"),
            ("/en/search/?q=kosovo", "Search"),
            ("/en/about-us", "About us"),
        ];
        n.set(
            "/robots.txt",
            Page::text(&format!(
                "User-agent: *\nDisallow: /en/search/\n\nSitemap: {}/sitemap.xml\n",
                n.base
            )),
        );
        // Old addresses: 301 to the new shapes (one has no new home).
        let moved = [
            (
                "topics_181779",
                "/en/what-we-do/partnerships-and-cooperation/human-security",
            ),
            (
                "official_texts_133945",
                "/en/about-us/official-texts-and-resources/official-texts/2016/05/25/nato-policy-for-the-protection-of-civilians",
            ),
            (
                "topics_176569",
                "/en/what-we-do/partnerships-and-cooperation/conflict-related-sexual-violence",
            ),
            (
                "official_texts_184570",
                "/en/about-us/official-texts-and-resources/official-texts/2021/06/01/policy-on-preventing-and-responding-to-conflict-related-sexual-violence",
            ),
            (
                "official_texts_71856",
                "/en/about-us/official-texts-and-resources/official-texts/2023/07/11/policy-on-combatting-trafficking-in-human-beings",
            ),
            (
                "topics_166114",
                "/en/what-we-do/partnerships-and-cooperation/cultural-property-protection",
            ),
            (
                "topics_91091",
                "/en/what-we-do/partnerships-and-cooperation/women-peace-and-security",
            ),
            (
                "topics_56626",
                "/en/what-we-do/introduction-to-nato/strategic-concepts",
            ),
            (
                "topics_91048",
                "/en/what-we-do/deterrence-and-defence/climate-change-and-security",
            ),
            (
                "topics_48818",
                "/en/what-we-do/operations-and-missions/nato-in-kosovo",
            ),
        ];
        for (old, new) in moved {
            n.set(
                &format!("/cps/en/natohq/{old}.htm"),
                Page::Redirect(301, format!("{}{new}", n.base)),
            );
            let title = new.rsplit('/').next().unwrap().replace('-', " ");
            n.set(new, html(&title, &nav, &prose(&title)));
        }
        // The old session-carrying address of a text also redirects.
        n.set(
            "/cps/en/SID-5F3A2B1C-8D7E6F5A/natolive/official_texts_133945.htm",
            Page::Redirect(301, format!("{}{}", n.base, moved[1].1)),
        );
        // topics_156399 (children in armed conflict) moved without a redirect.
        // The human security page links texts, PDFs and old addresses.
        n.set(
            moved[0].1,
            html(
                "Human security",
                &nav,
                &format!(
                    "{}<ul>\
                     <li><a href=\"/en/about-us/official-texts-and-resources/official-texts/2016/05/25/nato-policy-for-the-protection-of-civilians\">Protection of civilians policy</a></li>\
                     <li><a href=\"/cps/en/SID-5F3A2B1C-8D7E6F5A/natolive/official_texts_133945.htm\">Policy (old address)</a></li>\
                     <li><a href=\"/content/dam/nato/legacy-wcm/media_pdf/2016/7/pdf/160719-protection-civilians.pdf\">Policy (PDF)</a></li>\
                     <li><a href=\"/cps/fr/natohq/topics_181779.htm?selectedLocale=en\">Français</a></li>\
                     <li><a href=\"/content/dam/nato/webready/images/human-security.jpg\">Photo</a></li>\
                     </ul>",
                    prose("human security")
                ),
            ),
        );
        n.set(
            "/content/dam/nato/legacy-wcm/media_pdf/2016/7/pdf/160719-protection-civilians.pdf",
            pdf(
                &[
                    "NATO Policy for the Protection of Civilians",
                    "Allies will seek to avoid, minimise and mitigate harm to civilians.",
                ],
                Some("NATO Policy for the Protection of Civilians"),
                "D:20160719",
            ),
        );
        n.set(
            "/content/dam/nato/webready/documents/publications-and-reports/strategic-concepts/2022/290622-strategic-concept.pdf",
            pdf(
                &[
                    "NATO 2022 Strategic Concept",
                    "Human security, including the protection of civilians, is central to our approach.",
                ],
                Some("NATO 2022 Strategic Concept"),
                "D:20220629",
            ),
        );
        n.set(
            "/nato2030/",
            html("NATO 2030", &nav, &prose("the NATO 2030 agenda")),
        );
        // The Kosovo page, and the news hub whose list JavaScript builds.
        n.set(
            "/en/what-we-do/operations-and-missions/nato-in-kosovo",
            html(
                "NATO's role in Kosovo",
                &nav,
                &format!(
                    "{}<p><a href=\"/en/news-and-events/articles/news\">All news</a> \
                     <a href=\"/en/what-we-do/operations-and-missions/kosovo-force-kfor\">KFOR</a> \
                     <a href=\"/en/what-we-do/deterrence-and-defence\">Deterrence</a></p>",
                    prose("Kosovo")
                ),
            ),
        );
        n.set(
            "/en/what-we-do/operations-and-missions/kosovo-force-kfor",
            html("Kosovo Force (KFOR)", &nav, &prose("the Kosovo Force")),
        );
        n.set(
            "/en/news-and-events/articles/news",
            Page::html(
                "<!DOCTYPE html><html><head><title>News</title></head><body>\
                 <div class=\"cmp-newslist\" data-endpoint=\"/content/nato/en/news.model.json\"></div>\
                 <script>fetch(document.querySelector('.cmp-newslist').dataset.endpoint).then(r => r.json()).then(render);</script>\
                 </body></html>",
            ),
        );
        for path in KOSOVO_NEWS {
            let slug = path.rsplit('/').next().unwrap().replace('-', " ");
            n.set(path, html(&slug, &nav, &prose(&slug)));
        }
        // The sitemap: an index of a gzipped news part and a pages part.
        let mut news = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for i in 0..UNRELATED_NEWS {
            let path = format!(
                "/en/news-and-events/articles/news/2025/{:02}/{:02}/allies-meet-on-topic-{i}",
                1 + i % 12,
                1 + i % 28
            );
            n.set(&path, html("Unrelated", &nav, &prose("another topic")));
            news.push_str(&format!(
                "<url><loc>{}{path}</loc><lastmod>2025-06-01</lastmod></url>\n",
                n.base
            ));
        }
        for path in KOSOVO_NEWS {
            news.push_str(&format!(
                "<url><loc>{}{path}</loc><lastmod>2026-02-17T09:00:00+01:00</lastmod></url>\n",
                n.base
            ));
        }
        news.push_str("</urlset>\n");
        n.set(
            "/sitemap-news.xml.gz",
            Page::Body {
                content_type: "application/gzip",
                body: gzip(news.as_bytes()),
                last_modified: None,
            },
        );
        n.set(
            "/sitemap-pages.xml",
            Page::Body {
                content_type: "application/xml",
                body: format!(
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <url><loc>{b}/en/what-we-do/operations-and-missions/nato-in-kosovo</loc></url>\
                     <url><loc>{b}/en/what-we-do/deterrence-and-defence</loc></url>\
                     </urlset>",
                    b = n.base
                )
                .into_bytes(),
                last_modified: None,
            },
        );
        n.set(
            "/sitemap.xml",
            Page::Body {
                content_type: "application/xml",
                body: format!(
                    "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <sitemap><loc>{b}/sitemap-news.xml.gz</loc></sitemap>\
                     <sitemap><loc>{b}/sitemap-pages.xml</loc></sitemap>\
                     </sitemapindex>",
                    b = n.base
                )
                .into_bytes(),
                last_modified: None,
            },
        );
        n.set(
            "/en/what-we-do/deterrence-and-defence",
            html(
                "Deterrence and defence",
                &nav,
                &prose("deterrence and defence"),
            ),
        );
    }

    fn jfcnaples_site(&self) {
        let j = &self.jfcnaples;
        let nav: Vec<(&str, &str)> = vec![
            ("/kfor/media-center", "Media centre"),
            ("/kfor/media-center/kfor-chronicle", "KFOR Chronicle"),
            ("/kfor/media-center/photo-gallery", "Photos"),
            ("/kfor/media-center/archive/news", "News archive"),
            ("/kfor/about-us/welcome-to-kfor", "About KFOR"),
            ("/resources/site795/images/kfor-logo.jpg", "Logo"),
        ];
        j.set(
            "/robots.txt",
            Page::text("User-agent: *\nDisallow: /systems/\n"),
        );
        j.set(
            "/kfor/media-center",
            html(
                "KFOR Media Centre",
                &nav,
                &prose("KFOR's public information"),
            ),
        );
        j.set(
            "/kfor/media-center/photo-gallery",
            html("Photo gallery", &nav, &prose("KFOR in pictures")),
        );
        let issues: String = CHRONICLES
            .iter()
            .map(|(name, _)| {
                format!(
                    "<li><img src=\"/resources/site795/kfor/Chronicle/{name}.jpg\"><a href=\"/resources/site795/kfor/Chronicle/{name}.pdf\">{name}</a> \
                     <a href=\"/resources/site795/kfor/Chronicle/{name} cover.jpg\">cover</a></li>"
                )
            })
            .collect();
        j.set(
            "/kfor/media-center/kfor-chronicle",
            html(
                "KFOR Chronicle",
                &nav,
                &format!("{}<ul>{issues}</ul>", prose("the KFOR Chronicle magazine")),
            ),
        );
        for (name, phrase) in CHRONICLES {
            let page2 = format!("Inside this issue: {phrase}.");
            j.set(
                &format!(
                    "/resources/site795/kfor/Chronicle/{}.pdf",
                    name.replace(' ', "%20")
                ),
                pdf(
                    &[name, &page2, "KFOR: a safe and secure environment."],
                    None,
                    "D:20190612",
                ),
            );
        }
        j.set(
            "/kfor/media-center/archive/news",
            html(
                "News archive",
                &nav,
                "<ul><li><a href=\"/kfor/media-center/archive/news/2024\">2024</a></li>\
                 <li><a href=\"/kfor/media-center/archive/news/2025\">2025</a></li></ul>",
            ),
        );
        for year in ["2024", "2025"] {
            let article = format!(
                "/kfor/media-center/archive/news/{year}/kfor-commander-meets-community-leaders-{year}"
            );
            j.set(
                &format!("/kfor/media-center/archive/news/{year}"),
                html(
                    &format!("News {year}"),
                    &nav,
                    &format!("<ul><li><a href=\"{article}\">KFOR Commander meets community leaders</a></li></ul>"),
                ),
            );
            j.set(
                &article,
                html(
                    &format!("KFOR Commander meets community leaders ({year})"),
                    &nav,
                    &prose("KFOR's dialogue with communities in Kosovo"),
                ),
            );
        }
    }

    fn undocs_sites(&self) {
        let (u, d) = (&self.undocs, &self.documents);
        u.set("/robots.txt", Page::Status(404));
        d.set("/robots.txt", Page::text("User-agent: *\nAllow: /\n"));
        for (number, year, phrase) in RESOLUTIONS {
            let symbol = format!("S/RES/{number}({year})");
            let access = format!("/api/symbol/access?s={symbol}&l=en&t=pdf");
            u.set(
                &format!("/{symbol}"),
                Page::html(&format!(
                    "<!DOCTYPE html><html><head><title>{symbol}</title></head><body>\
                     <div class=\"viewer-header\">United Nations Official Document System</div>\
                     <iframe src=\"{}{}\" width=\"100%\" height=\"100%\"></iframe></body></html>",
                    d.base,
                    access.replace('&', "&amp;")
                )),
            );
            let file = format!("/pdf/N{number}0{year}.pdf");
            d.set(&access, Page::Redirect(302, format!("{}{file}", d.base)));
            let page1 = format!(
                "United Nations S/RES/{number} ({year})\nSecurity Council\nResolution {number} ({year})"
            );
            let page2 = format!("The Security Council stresses that {phrase}.");
            // A later scan: the PDF's own date is not the resolution's year.
            d.set(&file, pdf(&[&page1, &page2], None, "D:20070319"));
        }
    }
}
