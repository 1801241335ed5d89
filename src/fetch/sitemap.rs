//! Sitemaps (sitemaps.org): the addresses a site lists for crawlers, with the
//! date each last changed. Pages that a site builds with JavaScript (NATO's
//! news lists) have no plain links to follow; their sitemap still lists every
//! article. A sitemap may be gzipped and may be an index of other sitemaps.

use std::io::Read;

use jiff::Timestamp;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// A sitemap larger than this, once decompressed, is read only up to here:
/// the protocol allows 50 MB, and a gzip bomb must not fill memory.
const MAX_SITEMAP_BYTES: u64 = 50 * 1024 * 1024;

/// One listed address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub url: String,
    /// When the page last changed, if the sitemap says.
    pub lastmod: Option<Timestamp>,
}

/// What a sitemap lists: pages, or other sitemaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    Pages(Vec<SitemapEntry>),
    Index(Vec<String>),
}

/// Reads a sitemap (gzipped or not). An error says what is wrong with it.
pub fn parse(bytes: &[u8]) -> Result<Sitemap, String> {
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_SITEMAP_BYTES)
            .read_to_end(&mut out)
            .map_err(|e| format!("not a readable gzipped sitemap ({e})"))?;
        String::from_utf8_lossy(&out).into_owned()
    } else {
        let end = bytes.len().min(MAX_SITEMAP_BYTES as usize);
        String::from_utf8_lossy(&bytes[..end]).into_owned()
    };
    let mut reader = Reader::from_str(&text);
    reader.config_mut().trim_text_start = true;
    reader.config_mut().trim_text_end = true;
    let mut pages = Vec::new();
    let mut sitemaps = Vec::new();
    let mut is_index = None;
    // The element whose text is being read, and the entry being built.
    let mut field: Option<&'static str> = None;
    let mut value = String::new();
    let mut entry: Option<SitemapEntry> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not a sitemap: {e}"))?;
        match event {
            Event::Start(tag) => match tag.local_name().as_ref() {
                "urlset" => is_index = Some(false),
                "sitemapindex" => is_index = Some(true),
                "url" | "sitemap" => {
                    entry = Some(SitemapEntry {
                        url: String::new(),
                        lastmod: None,
                    })
                }
                "loc" => (field, value) = (Some("loc"), String::new()),
                "lastmod" => (field, value) = (Some("lastmod"), String::new()),
                _ => field = None,
            },
            Event::Text(text) if field.is_some() => value.push_str(&text),
            Event::CData(data) if field.is_some() => {
                value.push_str(&data);
            }
            Event::GeneralRef(name) if field.is_some() => {
                let reference = format!("&{};", &*name);
                if let Ok(resolved) = quick_xml::escape::unescape(&reference) {
                    value.push_str(&resolved);
                }
            }
            Event::End(tag) => match tag.local_name().as_ref() {
                "loc" | "lastmod" => {
                    if let Some(entry) = entry.as_mut() {
                        let value = value.trim();
                        match field {
                            Some("loc") => entry.url = value.to_string(),
                            Some("lastmod") => entry.lastmod = parse_lastmod(value),
                            _ => {}
                        }
                    }
                    field = None;
                }
                "url" => {
                    if let Some(entry) = entry.take().filter(|e| !e.url.is_empty()) {
                        pages.push(entry);
                    }
                }
                "sitemap" => {
                    if let Some(entry) = entry.take().filter(|e| !e.url.is_empty()) {
                        sitemaps.push(entry.url);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    match is_index {
        Some(true) => Ok(Sitemap::Index(sitemaps)),
        Some(false) => Ok(Sitemap::Pages(pages)),
        None => Err("not a sitemap: no <urlset> or <sitemapindex>".into()),
    }
}

/// A W3C datetime as sitemaps write it: `2025-06-12`, `2025-06-12T10:00Z`,
/// `2025-06-12T10:00:00+02:00`. A date alone is its midnight, UTC.
pub fn parse_lastmod(value: &str) -> Option<Timestamp> {
    if let Ok(timestamp) = value.parse::<Timestamp>() {
        return Some(timestamp);
    }
    // Minutes without seconds are valid W3C datetimes, not RFC 3339.
    if let Some((date, time)) = value.split_once('T')
        && time.len() >= 5
        && time.as_bytes().get(5).is_none_or(|b| *b != b':')
    {
        let with_seconds = format!("{date}T{}:00{}", &time[..5], &time[5..]);
        if let Ok(timestamp) = with_seconds.parse::<Timestamp>() {
            return Some(timestamp);
        }
    }
    let date: jiff::civil::Date = value.get(..10)?.parse().ok()?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const PAGES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://www.nato.int/en/news-and-events/articles/news/2025/06/12/kfor-marks-26-years</loc><lastmod>2025-06-12</lastmod></url>
  <url><loc> https://www.nato.int/en/a?x=1&amp;y=2 </loc><lastmod>2025-06-12T10:00Z</lastmod></url>
  <url><loc><![CDATA[https://www.nato.int/en/b]]></loc></url>
  <url><lastmod>2025-01-01</lastmod></url>
</urlset>"#;

    #[test]
    fn pages_with_their_dates() {
        let Sitemap::Pages(pages) = parse(PAGES.as_bytes()).unwrap() else {
            panic!("not pages");
        };
        let urls: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://www.nato.int/en/news-and-events/articles/news/2025/06/12/kfor-marks-26-years",
                "https://www.nato.int/en/a?x=1&y=2",
                "https://www.nato.int/en/b"
            ]
        );
        assert_eq!(
            pages[0].lastmod,
            Some("2025-06-12T00:00:00Z".parse().unwrap())
        );
        assert_eq!(
            pages[1].lastmod,
            Some("2025-06-12T10:00:00Z".parse().unwrap())
        );
        assert_eq!(pages[2].lastmod, None);
    }

    #[test]
    fn indexes_and_gzip() {
        let index = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://a.org/s1.xml.gz</loc></sitemap><sitemap><loc>https://a.org/s2.xml</loc><lastmod>2024-01-01</lastmod></sitemap></sitemapindex>"#;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(index.as_bytes()).unwrap();
        assert_eq!(
            parse(&gz.finish().unwrap()).unwrap(),
            Sitemap::Index(vec![
                "https://a.org/s1.xml.gz".into(),
                "https://a.org/s2.xml".into()
            ])
        );
    }

    #[test]
    fn what_is_not_a_sitemap_says_so() {
        assert!(parse(b"<html><body>Not found</body></html>").is_err());
        assert!(parse(b"\x1f\x8b garbage").is_err());
        assert!(parse(b"").is_err());
    }

    #[test]
    fn a_gzip_bomb_is_read_only_so_far() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(b"<urlset>").unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..60 {
            gz.write_all(&zeros).unwrap();
        }
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < 1 << 20);
        // Read up to the cap, then an unclosed urlset: pages, none.
        assert_eq!(parse(&bomb).unwrap(), Sitemap::Pages(Vec::new()));
    }
}
