//! Where fetched documents are kept: `sources/<id>/<name>`, with the fetch
//! record beside each. A name is derived from the URL alone (or from the
//! source's `save_as`) and is one plain file name (letters, digits, `.`, `-`,
//! `_`; never hidden, never `..`), so no URL, encoded or not, and no redirect
//! can place a file outside the source's folder.
//!
//! Saving is one recoverable step: each file goes to a hidden temporary name
//! first and is renamed into place, and the record is written before the
//! document. A crash between the two leaves a record without its document,
//! which the next update takes as "not kept" (it asks again, unconditionally,
//! and writes the document under the record's name); temporary files a crash
//! left are removed when the folder is next opened; a document left without
//! its record by an older version is taken over by the address it was named
//! after, never saved twice.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use url::Url;

use crate::sources::record::{FetchRecord, RECORD_SUFFIX};

/// Longest name kept before a hash replaces the rest.
const MAX_NAME_BYTES: usize = 120;

/// Extensions kept from the URL: the ones the extractor and a reader recognise.
const KNOWN_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "pdf", "txt", "md", "xml", "json", "php", "asp", "aspx",
];

/// The folder of one source, and what was fetched into it before.
pub struct SourceStore {
    dir: PathBuf,
    /// Requested URL → file name, from the records found on disk.
    names: HashMap<String, String>,
    /// Where each kept document was found (after redirects) → the address
    /// it is kept under.
    finals: HashMap<String, String>,
}

impl SourceStore {
    /// Opens (without creating) `dir`, reads the records in it, and removes
    /// the temporary files an interrupted update left.
    pub fn open(dir: &Path) -> SourceStore {
        let mut names = HashMap::new();
        let mut finals = HashMap::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let file_name = entry.file_name();
                let Some(file_name) = file_name.to_str() else {
                    continue;
                };
                if is_temporary(file_name) {
                    let _ = std::fs::remove_file(entry.path());
                    continue;
                }
                let Some(name) = file_name.strip_suffix(RECORD_SUFFIX) else {
                    continue;
                };
                if !is_safe_name(name) {
                    continue;
                }
                if let Some(record) = FetchRecord::read_beside(&dir.join(name)) {
                    finals.insert(record.final_url.clone(), record.url.clone());
                    names.insert(record.url, name.to_string());
                }
            }
        }
        SourceStore {
            dir: dir.to_path_buf(),
            names,
            finals,
        }
    }

    /// The address a document found at `final_url` is kept under, if any.
    pub fn holder_of(&self, final_url: &str) -> Option<&str> {
        self.finals.get(final_url).map(String::as_str)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// URLs fetched by earlier updates, with their file names.
    pub fn known(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(|(u, n)| (u.as_str(), n.as_str()))
    }

    /// The name already used for `url`, if any.
    pub fn name_of(&self, url: &str) -> Option<&str> {
        self.names.get(url).map(String::as_str)
    }

    pub fn record(&self, url: &str) -> Option<FetchRecord> {
        let name = self.name_of(url)?;
        FetchRecord::read_beside(&self.dir.join(name))
    }

    /// The kept copy of `url`'s document.
    pub fn read(&self, url: &str) -> Option<Vec<u8>> {
        std::fs::read(self.dir.join(self.name_of(url)?)).ok()
    }

    /// Saves a document and its record; returns its path. `name_hint` is the
    /// source's `save_as` for this address, if any. The record is written
    /// first (see the module's notes on crashes).
    pub fn save(
        &mut self,
        record: &FetchRecord,
        body: Option<&[u8]>,
        name_hint: Option<&str>,
    ) -> std::io::Result<PathBuf> {
        let name = match self.names.get(&record.url) {
            Some(name) => name.clone(),
            None => {
                let url = Url::parse(&record.url).map_err(std::io::Error::other)?;
                let content_type = record.content_type.as_deref();
                let natural = match name_hint.and_then(|hint| named(hint, content_type)) {
                    Some(name) => name,
                    None => file_name_for(&url, content_type),
                };
                self.name_for_new(natural)
            }
        };
        let path = self.path_of(&name)?;
        let record_path = FetchRecord::path_for(&path);
        std::fs::create_dir_all(&self.dir)?;
        let json =
            |record: &FetchRecord| serde_json::to_vec_pretty(record).map_err(std::io::Error::other);
        let has_validators = record.etag.is_some() || record.last_modified.is_some();
        if body.is_some() && has_validators {
            // The record goes first (a document never lies without one), but
            // without validators until the new body is in place: killed in
            // between, a record with the new ETag beside the old body would
            // make every later update hear 304 and keep the old body.
            let provisional = FetchRecord {
                etag: None,
                last_modified: None,
                ..record.clone()
            };
            write_atomically(&record_path, &json(&provisional)?)?;
        } else {
            write_atomically(&record_path, &json(record)?)?;
        }
        self.names.insert(record.url.clone(), name);
        self.finals
            .insert(record.final_url.clone(), record.url.clone());
        if let Some(body) = body {
            write_atomically(&path, body)?;
            if has_validators {
                write_atomically(&record_path, &json(record)?)?;
            }
        }
        Ok(path)
    }

    /// Deletes a document and its record (`--prune`).
    pub fn remove(&mut self, url: &str) -> std::io::Result<Option<PathBuf>> {
        let Some(name) = self.names.remove(url) else {
            return Ok(None);
        };
        self.finals.retain(|_, holder| holder != url);
        let path = self.path_of(&name)?;
        for p in [FetchRecord::path_for(&path), path.clone()] {
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Some(path))
    }

    pub fn path_for_url(&self, url: &str) -> Option<PathBuf> {
        self.name_of(url).and_then(|n| self.path_of(n).ok())
    }

    /// The one place a name becomes a path: refuses anything but a plain name.
    fn path_of(&self, name: &str) -> std::io::Result<PathBuf> {
        if !is_safe_name(name) {
            return Err(std::io::Error::other(format!(
                "refusing the file name {name:?}: not a plain file name"
            )));
        }
        Ok(self.dir.join(name))
    }

    /// The name for an address saved for the first time: `name`, unless
    /// another address has it, then `name` with a number added. A file of
    /// that name without a record is a document an interrupted update left
    /// (a user's own file would not bear a URL's name): it is taken over.
    fn name_for_new(&self, name: String) -> String {
        let has_owner = |n: &str| self.names.values().any(|v| v == n);
        let exists = |n: &str| self.dir.join(n).exists();
        if !has_owner(&name) {
            return name;
        }
        let taken = |n: &str| has_owner(n) || exists(n);
        let (stem, ext) = split_extension(&name);
        (2..)
            .map(|i| format!("{stem}-{i}{ext}"))
            .find(|n| !taken(n))
            .unwrap_or(name)
    }
}

/// A plain file name: no separators, not hidden, not `.`/`..`, only the
/// characters [`file_name_for`] produces.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && !name.ends_with(RECORD_SUFFIX)
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// A readable, safe file name for a URL: host and path with every other
/// character turned into `_`, a short hash of the whole URL when anything was
/// lost (a query, replaced characters, a cut), and an extension from the URL
/// or else from the content type.
pub fn file_name_for(url: &Url, content_type: Option<&str>) -> String {
    let host = url.host_str().unwrap_or("host");
    let decoded_path = percent_decode(url.path());
    let mut path = decoded_path.trim_matches('/').to_string();
    if path.is_empty() || url.path().ends_with('/') {
        path.push_str(if path.is_empty() { "index" } else { "/index" });
    }
    let raw = format!("{host}/{path}");
    let (raw_stem, raw_ext) = split_extension(&raw);
    let ext = raw_ext.trim_start_matches('.').to_ascii_lowercase();
    let (stem_source, ext) = if KNOWN_EXTENSIONS.contains(&ext.as_str()) {
        (raw_stem.to_string(), ext)
    } else {
        (raw.clone(), extension_for(content_type).to_string())
    };

    let mut stem = String::with_capacity(stem_source.len());
    let mut lossy = url.query().is_some();
    for c in stem_source.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
        if keep {
            stem.push(c);
        } else {
            if c != '/' {
                lossy = true;
            }
            if !stem.ends_with('_') {
                stem.push('_');
            }
        }
    }
    let mut stem = stem.trim_start_matches(['.', '_', '-']).to_string();
    if stem.len() > MAX_NAME_BYTES {
        stem.truncate(MAX_NAME_BYTES);
        lossy = true;
    }
    if stem.is_empty() {
        stem.push_str("page");
    }
    if lossy {
        let hash = blake3::hash(url.as_str().as_bytes()).to_hex();
        stem.push('-');
        stem.push_str(&hash[..10]);
    }
    let name = format!("{stem}.{ext}");
    if name.ends_with(RECORD_SUFFIX) {
        // Would pass for a record and be skipped by the scan.
        return format!("{name}.txt");
    }
    name
}

fn extension_for(content_type: Option<&str>) -> &'static str {
    let mime = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        "text/markdown" => "md",
        "application/json" => "json",
        "application/xml" | "text/xml" => "xml",
        _ => "html",
    }
}

fn split_extension(name: &str) -> (&str, &str) {
    let last_segment_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[last_segment_start..].rfind('.') {
        Some(dot) if dot > 0 => name.split_at(last_segment_start + dot),
        _ => (name, ""),
    }
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A name made from `save_as` (its characters outside a plain name become
/// `_`), with the extension of the content type; `None` if nothing is left.
fn named(hint: &str, content_type: Option<&str>) -> Option<String> {
    let stem: String = hint
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches(['.', '_', '-']);
    let stem = &stem[..stem.len().min(MAX_NAME_BYTES)];
    if stem.is_empty() {
        return None;
    }
    let name = format!("{stem}.{}", extension_for(content_type));
    is_safe_name(&name).then_some(name)
}

/// The prefix and suffix of the temporary files of [`write_atomically`].
const TEMPORARY_PREFIX: &str = ".";
const TEMPORARY_SUFFIX: &str = ".part";

fn is_temporary(file_name: &str) -> bool {
    file_name.starts_with(TEMPORARY_PREFIX) && file_name.ends_with(TEMPORARY_SUFFIX)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!("{TEMPORARY_PREFIX}{name}{TEMPORARY_SUFFIX}"));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body that cannot be written (here, a folder stands where it goes;
    /// in life, a kill) leaves the record without the new validators, so
    /// the next update asks for the whole document again.
    #[test]
    fn validators_are_recorded_only_with_their_body() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SourceStore::open(dir.path());
        let record = FetchRecord {
            url: "https://example.org/doc.html".into(),
            final_url: "https://example.org/doc.html".into(),
            fetched_at: "2026-11-30T00:00:00Z".into(),
            content_type: Some("text/html".into()),
            etag: Some("\"v1\"".into()),
            last_modified: None,
            viewer: None,
        };
        let path = store.save(&record, Some(b"version one"), None).unwrap();
        assert_eq!(
            store.record(&record.url).unwrap().etag.as_deref(),
            Some("\"v1\"")
        );
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        let v2 = FetchRecord {
            etag: Some("\"v2\"".into()),
            ..record.clone()
        };
        assert!(store.save(&v2, Some(b"version two"), None).is_err());
        let kept = store.record(&record.url).unwrap();
        assert_eq!(kept.etag, None, "{kept:?}");
    }

    fn name(url: &str) -> String {
        file_name_for(&Url::parse(url).unwrap(), None)
    }

    #[test]
    fn names_are_readable_and_plain() {
        assert_eq!(
            name("https://www.nato.int/cps/en/natohq/topics_181779.htm"),
            "www.nato.int_cps_en_natohq_topics_181779.htm"
        );
        assert_eq!(
            file_name_for(
                &Url::parse("https://jfcnaples.nato.int/kfor/media/chronicle").unwrap(),
                Some("application/pdf")
            ),
            "jfcnaples.nato.int_kfor_media_chronicle.pdf"
        );
        assert_eq!(name("https://example.org/"), "example.org_index.html");
        let with_query = name("https://www.nato.int/cps/en/natohq/news.htm?selectedLocale=en");
        assert!(
            with_query.starts_with("www.nato.int_cps_en_natohq_news-")
                && with_query.ends_with(".htm"),
            "{with_query}"
        );
        assert_ne!(
            with_query,
            name("https://www.nato.int/cps/en/natohq/news.htm?selectedLocale=fr")
        );
    }

    fn record(url: &str) -> FetchRecord {
        FetchRecord {
            url: url.into(),
            final_url: url.into(),
            fetched_at: "2026-11-30T00:00:00Z".into(),
            content_type: Some("text/html".into()),
            etag: None,
            last_modified: None,
            viewer: None,
        }
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_crash_between_record_and_document_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://www.nato.int/a.htm";
        // What a killed update can leave: the record, and the document's
        // temporary file, but not the document.
        let mut store = SourceStore::open(dir.path());
        store.save(&record(url), None, None).unwrap();
        std::fs::write(dir.path().join(".www.nato.int_a.htm.part"), "half").unwrap();
        let mut store = SourceStore::open(dir.path());
        assert_eq!(store.read(url), None, "not kept: asked for again");
        store.save(&record(url), Some(b"whole"), None).unwrap();
        assert_eq!(
            files_in(dir.path()),
            ["www.nato.int_a.htm", "www.nato.int_a.htm.fetch.json"]
        );
        assert_eq!(store.read(url).as_deref(), Some(&b"whole"[..]));
    }

    #[test]
    fn a_document_left_without_its_record_is_taken_over_not_duplicated() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("www.nato.int_a.htm"), "old").unwrap();
        let mut store = SourceStore::open(dir.path());
        let url = "https://www.nato.int/a.htm";
        store.save(&record(url), Some(b"new"), None).unwrap();
        assert_eq!(
            files_in(dir.path()),
            ["www.nato.int_a.htm", "www.nato.int_a.htm.fetch.json"]
        );
        // Another address with the same name gets a number.
        store
            .save(
                &record("https://www.nato.int/b.htm"),
                Some(b"b"),
                Some("doc"),
            )
            .unwrap();
        let path = store
            .save(
                &record("https://www.nato.int/c.htm"),
                Some(b"c"),
                Some("doc"),
            )
            .unwrap();
        assert!(path.ends_with("doc-2.html"), "{}", path.display());
    }

    #[test]
    fn save_as_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SourceStore::open(dir.path());
        let mut r = record("https://undocs.org/S/RES/1325(2000)");
        r.content_type = Some("application/pdf".into());
        let path = store
            .save(&r, Some(b"%PDF-"), Some("S_RES_1325_2000"))
            .unwrap();
        assert!(path.ends_with("S_RES_1325_2000.pdf"), "{}", path.display());
        assert_eq!(
            named("../../x y", Some("text/html")).as_deref(),
            Some("x_y.html")
        );
        assert_eq!(named("///", None), None);
    }

    #[test]
    fn no_url_escapes_the_folder() {
        for url in [
            "http://127.0.0.1/../../etc/passwd",
            "http://127.0.0.1/%2e%2e/%2e%2e/etc/passwd",
            "http://127.0.0.1/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "http://127.0.0.1//etc/passwd",
            "http://127.0.0.1/a/..%5c..%5cwindows",
            "http://127.0.0.1/.hidden",
            "http://127.0.0.1/%00nul",
            "http://127.0.0.1/x.fetch.json",
            "http://[::1]/..",
        ] {
            let n = name(url);
            assert!(is_safe_name(&n), "{url} → {n}");
            assert!(!n.contains('/') && !n.starts_with('.'), "{url} → {n}");
        }
        let long = format!("http://127.0.0.1/{}", "a".repeat(5000));
        assert!(name(&long).len() <= MAX_NAME_BYTES + 20);
    }
}
