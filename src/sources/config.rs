//! `sources/sources.toml`: one `[[source]]` table per source. For indexing, a
//! definition maps a folder under the sources folder to a source id and name,
//! gives the default topics of its documents, and may read fields (a title, a
//! year) from their addresses or paths; fetching (`dossier update`) uses the
//! crawl settings. A folder without a definition is a source named after itself.
//! Everything is checked when the file is read, and an error names the line and
//! the key.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::fields::FieldRule;
use super::follow::{FollowEntry, FollowRule, parse_address};
use super::scan::CONFIG_FILES;
use crate::text::{LangCode, SourceId, TopicId};
use crate::{Error, Result};

/// The file name, at the top of the sources folder.
pub const SOURCES_FILE: &str = "sources.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesConfig {
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceDefinition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDefinition {
    /// Short id used in `--source` and facets, e.g. `nato`.
    pub id: String,
    /// Human name, e.g. "NATO human security pages".
    #[serde(default)]
    pub name: Option<String>,
    /// Folder under the sources folder holding this source's files; defaults to `id`.
    #[serde(default)]
    pub folder: Option<String>,
    /// Default topics of every document of this source.
    #[serde(default)]
    pub topics: Vec<String>,
    /// The language of this source's documents that declare none (ISO 639-1,
    /// e.g. "fr"): it replaces detection, which short pages can defeat.
    #[serde(default)]
    pub lang: Option<String>,
    /// A regular expression with named groups, read from a fetched
    /// document's address, else its path (see [`FieldRule`]).
    #[serde(default)]
    pub fields: Option<String>,
    /// A title made of the groups of `fields`, e.g. "S/RES/{number} ({year})".
    #[serde(default)]
    pub title: Option<String>,
    /// The name a fetched document is kept under, made of the groups of
    /// `fields` read from its address (the extension comes from its type).
    #[serde(default)]
    pub save_as: Option<String>,
    /// A document's symbol, made of the groups of `fields`, for citations
    /// (e.g. "S/RES/{number} ({year})").
    #[serde(default)]
    pub symbol: Option<String>,
    /// Who wrote the source's documents, as a citation names them (a body:
    /// "North Atlantic Treaty Organization"); defaults to `name`.
    #[serde(default)]
    pub author: Option<String>,
    /// Crawl settings for `dossier update`.
    #[serde(default)]
    pub start: Vec<String>,
    #[serde(default)]
    pub follow: Vec<FollowEntry>,
    /// Also take addresses from the sitemaps of the start pages' hosts.
    #[serde(default)]
    pub sitemaps: bool,
    #[serde(default)]
    pub max_depth: Option<u32>,
    #[serde(default)]
    pub max_pages: Option<u32>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

impl SourceDefinition {
    pub fn folder(&self) -> &str {
        self.folder.as_deref().unwrap_or(&self.id)
    }

    /// The `follow` entries, parsed (checked when the file was read).
    pub fn follow_rules(&self) -> Vec<FollowRule> {
        self.follow
            .iter()
            .filter_map(|entry| FollowRule::parse(entry).ok())
            .collect()
    }

    /// `fields`, `title` and `save_as`, parsed (checked when the file was read).
    pub fn field_rule(&self) -> Option<FieldRule> {
        FieldRule::parse(
            self.fields.as_deref()?,
            self.title.as_deref(),
            self.save_as.as_deref(),
        )
        .and_then(|rule| rule.with_symbol(self.symbol.as_deref()))
        .ok()
    }
}

/// The source a file belongs to, as the index records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    pub id: SourceId,
    pub name: String,
    pub topics: Vec<TopicId>,
    /// The language of its documents that declare none, if set.
    pub lang: Option<LangCode>,
    /// Fields read from its documents' addresses or paths, if set.
    pub fields: Option<FieldRule>,
}

impl SourcesConfig {
    /// Reads `<sources>/sources.toml`; a missing file is an empty configuration.
    pub fn load(sources_dir: &Path) -> Result<Self> {
        Self::load_with(sources_dir, None)
    }

    /// Reads `config` when given (a `sources.toml` kept outside a sources
    /// folder that may be read-only: it must exist), else
    /// `<sources>/sources.toml` (a missing one is an empty configuration).
    pub fn load_with(sources_dir: &Path, config: Option<&Path>) -> Result<Self> {
        if sources_dir.is_file() {
            return Err(Error::NotAFolder {
                path: sources_dir.to_path_buf(),
                what: "sources",
            });
        }
        let path = Self::file(sources_dir, config);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && config.is_none() => {
                return Ok(Self::default());
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        Self::parse(&text, &path)
    }

    /// Parses the file's text; errors name the line and the key.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let config: SourcesConfig = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: describe_toml_error(text, &e),
        })?;
        config.validate(text, path)?;
        Ok(config)
    }

    fn validate(&self, text: &str, path: &Path) -> Result<()> {
        let mut seen_ids = HashMap::new();
        let mut seen_folders = HashMap::new();
        for (n, def) in self.sources.iter().enumerate() {
            let what = format!("[[source]] number {} (id = {:?})", n + 1, def.id);
            let bad = |message: String| Error::Config {
                path: path.to_path_buf(),
                message,
            };
            // "line N, key `k`" for the key a message is about.
            let at = |key: &str| match key_line(text, n, key) {
                Some(line) => format!("line {line}, key `{key}`"),
                None => format!("key `{key}`"),
            };
            for value in &def.start {
                if let Err(reason) = parse_address(value) {
                    return Err(bad(format!("{}: {what}: {reason}", at("start"))));
                }
            }
            for entry in &def.follow {
                if let Err(reason) = FollowRule::parse(entry) {
                    return Err(bad(format!("{}: {what}: {reason}", at("follow"))));
                }
            }
            if def.sitemaps && def.follow.is_empty() {
                return Err(bad(format!(
                    "{}: {what}: sitemaps list whole sites; give `follow` prefixes to say which of their addresses this source takes",
                    at("sitemaps")
                )));
            }
            match (&def.fields, &def.title, &def.save_as, &def.symbol) {
                (Some(fields), title, save_as, symbol) => {
                    if let Err(reason) =
                        FieldRule::parse(fields, title.as_deref(), save_as.as_deref())
                            .and_then(|rule| rule.with_symbol(symbol.as_deref()))
                    {
                        return Err(bad(format!("{}: {what}: {reason}", at("fields"))));
                    }
                }
                (None, Some(_), _, _) | (None, _, Some(_), _) | (None, _, _, Some(_)) => {
                    let key = if def.title.is_some() {
                        "title"
                    } else if def.save_as.is_some() {
                        "save_as"
                    } else {
                        "symbol"
                    };
                    return Err(bad(format!(
                        "{}: {what}: `{key}` is made of the groups of `fields`; add `fields`",
                        at(key)
                    )));
                }
                (None, None, None, None) => {}
            }
            if def.max_pages == Some(0) {
                return Err(bad(format!(
                    "{}: {what}: must be at least 1",
                    at("max_pages")
                )));
            }
            if !is_valid_source_id(&def.id) {
                return Err(bad(format!(
                    "{what}: key `id` must be letters, digits, '-', '_' or '.', not empty and without '/'"
                )));
            }
            if let Err(reason) = check_folder(def.folder()) {
                let key = if def.folder.is_some() { "folder" } else { "id" };
                return Err(bad(format!(
                    "{}: {what}: the source's folder {:?} {reason}",
                    at(key),
                    def.folder()
                )));
            }
            if let Some(prev) = seen_ids.insert(def.id.clone(), n) {
                return Err(bad(format!(
                    "{what}: key `id` repeats the id of [[source]] number {}",
                    prev + 1
                )));
            }
            if let Some(prev) = seen_folders.insert(def.folder().to_string(), n) {
                return Err(bad(format!(
                    "{what}: key `folder` names the same folder as [[source]] number {}",
                    prev + 1
                )));
            }
            if let Some(lang) = &def.lang
                && LangCode::from_tag(lang).is_none()
            {
                return Err(bad(format!(
                    "{}: {what}: {lang:?} is not a language code; write an ISO 639-1 code such as \"fr\" or \"ru\"",
                    at("lang")
                )));
            }
            for topic in &def.topics {
                if topic.trim_matches('/') != topic || TopicId::parse(topic).is_err() {
                    return Err(bad(format!(
                        "{what}: key `topics` has {topic:?}; a topic id is a path such as \"human-security/protection-of-civilians\""
                    )));
                }
            }
        }
        Ok(())
    }

    /// The source a top-level folder of the sources folder belongs to: its
    /// definition's, or one named after the folder. `None` for a folder
    /// whose name cannot be a source id (it holds a '/': never on disk).
    pub fn source_for_folder(&self, folder: &str) -> Option<SourceRef> {
        Some(match self.sources.iter().find(|d| d.folder() == folder) {
            Some(def) => SourceRef {
                id: SourceId::parse(&def.id).ok()?,
                name: def.name.clone().unwrap_or_else(|| def.id.clone()),
                // Checked when the file was read.
                topics: def
                    .topics
                    .iter()
                    .filter_map(|t| TopicId::parse(t).ok())
                    .collect(),
                lang: def.lang.as_deref().and_then(LangCode::from_tag),
                fields: def.field_rule(),
            },
            None => SourceRef {
                id: SourceId::of_folder(folder)?,
                name: folder.to_string(),
                topics: Vec::new(),
                lang: None,
                fields: None,
            },
        })
    }

    pub fn path(sources_dir: &Path) -> PathBuf {
        sources_dir.join(SOURCES_FILE)
    }

    /// The file a configuration is read from: `config` when given, else
    /// `<sources>/sources.toml`. Errors about the configuration name it.
    pub fn file(sources_dir: &Path, config: Option<&Path>) -> PathBuf {
        match config {
            Some(path) => path.to_path_buf(),
            None => Self::path(sources_dir),
        }
    }
}

/// The line (from 1) of `key` inside the `n`th (from 0) `[[source]]` table.
fn key_line(text: &str, n: usize, key: &str) -> Option<usize> {
    let mut table = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with("[[source]]") {
            table = Some(table.map_or(0, |t: usize| t + 1));
            continue;
        }
        if table == Some(n)
            && let Some((k, _)) = line.split_once('=')
            && k.trim() == key
        {
            return Some(i + 1);
        }
    }
    None
}

/// Turns toml's error into "line N, key `k`: reason".
pub(crate) fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().to_string();
    match error.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            // A line may be a whole file's worth (one deep array): quoted
            // cut to a line a message can hold.
            let line_text = text.lines().nth(line - 1).unwrap_or("").trim();
            let quoted = crate::text::controls::one_short_line(line_text, 120);
            let key = line_text
                .split_once('=')
                .map(|(k, _)| crate::text::controls::one_short_line(k, 60))
                .filter(|k| !k.is_empty() && !k.starts_with('['));
            match key {
                Some(key) => {
                    format!("line {line}, key `{key}`: {message} (the line reads: {quoted})")
                }
                None => format!("line {line}: {message} (the line reads: {quoted})"),
            }
        }
        None => message,
    }
}

pub fn is_valid_source_id(id: &str) -> bool {
    !id.is_empty()
        && id != "."
        && id != ".."
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A source's folder: one plain, visible name directly under the sources
/// folder, and not a name dossier keeps for itself there.
fn check_folder(folder: &str) -> std::result::Result<(), &'static str> {
    if folder.is_empty() || folder == "." || folder == ".." || folder.contains(['/', '\\']) {
        return Err("must be one folder name directly under the sources folder");
    }
    if folder.starts_with('.') {
        return Err("starts with '.': hidden folders are not read");
    }
    if CONFIG_FILES.contains(&folder) || super::record::is_record(folder) {
        return Err("is a name dossier keeps for its own files");
    }
    if folder.chars().any(char::is_control) {
        return Err("holds a control character");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_folder_to_id_and_name() {
        let config = SourcesConfig::parse(
            "[[source]]\nid = \"unsc\"\nname = \"UN Security Council\"\nfolder = \"un-security-council\"\ntopics = [\"peacebuilding\"]\n",
            Path::new("sources.toml"),
        )
        .unwrap();
        let source = config.source_for_folder("un-security-council").unwrap();
        assert_eq!(source.id.as_str(), "unsc");
        assert_eq!(source.name, "UN Security Council");
        assert_eq!(source.topics, [TopicId::parse("peacebuilding").unwrap()]);
        assert_eq!(
            config.source_for_folder("other").unwrap().id.as_str(),
            "other"
        );
    }

    #[test]
    fn errors_name_line_and_key() {
        let err = SourcesConfig::parse(
            "[[source]]\nid = \"nato\"\nmax_pages = \"many\"\n",
            Path::new("sources.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("max_pages"), "{err}");

        let err = SourcesConfig::parse("[[source]]\nid = \"nato\"\ncolour = 1\n", Path::new("s"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("colour"), "{err}");
    }

    #[test]
    fn crawl_settings_are_checked_with_line_and_key() {
        let err = SourcesConfig::parse(
            "[[source]]\nid = \"a\"\nstart = [\"https://a.org/\"]\n\n[[source]]\nid = \"b\"\nfollow = [\"ftp://x.org/\"]\n",
            Path::new("s"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 7, key `follow`"), "{err}");
        let err = SourcesConfig::parse(
            "[[source]]\nid = \"a\"\nstart = [\"www.nato.int\"]\n",
            Path::new("s"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 3, key `start`"), "{err}");
    }

    #[test]
    fn rejects_ids_that_would_escape_or_repeat() {
        for bad in [
            "[[source]]\nid = \"../x\"\n",
            "[[source]]\nid = \"a\"\n[[source]]\nid = \"a\"\n",
            "[[source]]\nid = \"a\"\nfolder = \"x/y\"\n",
        ] {
            assert!(SourcesConfig::parse(bad, Path::new("s")).is_err(), "{bad}");
        }
    }

    #[test]
    fn folders_are_plain_visible_and_not_reserved() {
        // A folder named topics.toml broke every command; `.hidden` hid
        // every page from the scan.
        for (text, says) in [
            (
                "id = \"a\"\nfolder = \"topics.toml\"",
                "keeps for its own files",
            ),
            (
                "id = \"a\"\nfolder = \"sources.toml\"",
                "keeps for its own files",
            ),
            ("id = \"topics.toml\"", "keeps for its own files"),
            ("id = \"a\"\nfolder = \".hidden\"", "hidden"),
            (
                "id = \"a\"\nfolder = \"x.fetch.json\"",
                "keeps for its own files",
            ),
        ] {
            let err = SourcesConfig::parse(&format!("[[source]]\n{text}\n"), Path::new("s"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(says) && err.contains("line "), "{text}: {err}");
        }
    }

    #[test]
    fn follow_words_sitemaps_and_fields_are_checked() {
        let ok = SourcesConfig::parse(
            "[[source]]\nid = \"k\"\nstart = [\"https://www.nato.int/a\"]\nsitemaps = true\nfollow = [{ prefix = \"https://www.nato.int/en/news/\", words = [\"kosovo\"] }, \"https://www.nato.int/cps/en/natohq/topics_*\"]\nfields = '(?P<y>\\d{4})'\ntitle = \"T {y}\"\n",
            Path::new("s"),
        )
        .unwrap();
        assert_eq!(ok.sources[0].follow_rules().len(), 2);
        assert!(ok.sources[0].field_rule().is_some());
        for (text, says) in [
            ("sitemaps = true", "`follow` prefixes"),
            ("title = \"x\"", "add `fields`"),
            ("fields = '('", "not a regular expression"),
            (
                "fields = '(?P<a>x)'\nsave_as = \"{b}\"",
                "no group of that name",
            ),
            ("follow = [\"https://a.org/x*/y\"]", "whole path segment"),
            ("start = [\"https://u:p@a.org/\"]", "user or password"),
        ] {
            let err =
                SourcesConfig::parse(&format!("[[source]]\nid = \"k\"\n{text}\n"), Path::new("s"))
                    .unwrap_err()
                    .to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
