//! `sources/sources.toml`: one `[[source]]` table per source. For indexing, a
//! definition maps a folder under the sources folder to a source id and name, and
//! gives the default topics of its documents; fetching (`dossier update`) uses the
//! crawl settings. A folder without a definition is a source named after itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

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
    /// Crawl settings for `dossier update`.
    #[serde(default)]
    pub start: Vec<String>,
    #[serde(default)]
    pub follow: Vec<String>,
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
}

/// The source a file belongs to, as the index records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    pub id: SourceId,
    pub name: String,
    pub topics: Vec<TopicId>,
    /// The language of its documents that declare none, if set.
    pub lang: Option<LangCode>,
}

impl SourcesConfig {
    /// Reads `<sources>/sources.toml`; a missing file is an empty configuration.
    pub fn load(sources_dir: &Path) -> Result<Self> {
        let path = sources_dir.join(SOURCES_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
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
            for (key, values) in [("start", &def.start), ("follow", &def.follow)] {
                for value in values {
                    let ok = url::Url::parse(value)
                        .map(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                        .unwrap_or(false);
                    if !ok {
                        return Err(bad(format!(
                            "{}: {what}: {value:?} is not an http or https address (write it in full, e.g. \"https://www.nato.int/cps/en/natohq/topics_181779.htm\")",
                            at(key)
                        )));
                    }
                }
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
            if !is_valid_folder(def.folder()) {
                return Err(bad(format!(
                    "{what}: key `folder` must be one folder name directly under the sources folder"
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
            },
            None => SourceRef {
                id: SourceId::parse(folder).ok()?,
                name: folder.to_string(),
                topics: Vec::new(),
                lang: None,
            },
        })
    }

    pub fn path(sources_dir: &Path) -> PathBuf {
        sources_dir.join(SOURCES_FILE)
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
            let line_text = text.lines().nth(line - 1).unwrap_or("").trim();
            let key = line_text
                .split_once('=')
                .map(|(k, _)| k.trim().to_string())
                .filter(|k| !k.is_empty() && !k.starts_with('['));
            match key {
                Some(key) => {
                    format!("line {line}, key `{key}`: {message} (the line reads: {line_text})")
                }
                None => format!("line {line}: {message} (the line reads: {line_text})"),
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

fn is_valid_folder(folder: &str) -> bool {
    !folder.is_empty() && folder != "." && folder != ".." && !folder.contains(['/', '\\'])
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
}
