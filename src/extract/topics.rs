//! The topic taxonomy (`<sources>/topics.toml`, else the shipped one built into
//! the binary) and tagging: a document gets a topic when the topic's phrases
//! occur in its title and text at least `min_count` times in all. Phrases match
//! exact words in order, with the index's own exact analyser, so a rule means
//! what a quoted search means.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

use crate::text::TopicId;
use crate::text::analysis::{analyze, exact_analyzer, for_each_exact_token};
use crate::{Error, Result};

/// The file name, at the top of the sources folder.
pub const TOPICS_FILE: &str = "topics.toml";
/// The shipped taxonomy, the same file as `sources/topics.toml` in the repository.
pub const SHIPPED_TOPICS: &str = include_str!("../../sources/topics.toml");

/// `topics.toml` as written. Its `Debug` text is the taxonomy's fingerprint,
/// so its names stay as they were.
mod file {
    use serde::Deserialize;

    #[derive(Debug, Clone, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct TopicsFile {
        #[serde(default, rename = "topic")]
        pub topics: Vec<TopicDefinition>,
    }

    #[derive(Debug, Clone, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct TopicDefinition {
        pub id: String,
        pub label: String,
        #[serde(default)]
        pub phrases: Vec<String>,
        #[serde(default = "one")]
        pub min_count: usize,
    }

    fn one() -> usize {
        1
    }
}

/// One topic of the taxonomy.
#[derive(Debug, Clone)]
pub struct TopicDefinition {
    pub id: TopicId,
    pub label: String,
    pub phrases: Vec<String>,
    pub min_count: usize,
}

/// A loaded taxonomy, ready to tag documents.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub topics: Vec<TopicDefinition>,
    /// Where it came from: the file's path, or "built-in".
    pub origin: String,
    /// Changes whenever the rules change: a refresh re-tags when it does.
    pub fingerprint: String,
    /// First token of each phrase → (topic index, phrase tokens).
    by_first_token: FxHashMap<String, Vec<(usize, Vec<String>)>>,
}

impl Taxonomy {
    /// `<sources>/topics.toml` when present, else the shipped taxonomy.
    pub fn load(sources_dir: &Path) -> Result<Self> {
        let path = sources_dir.join(TOPICS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::shipped(),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    pub fn shipped() -> Result<Self> {
        Self::parse(SHIPPED_TOPICS, "built-in")
    }

    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let config_error = |message: String| Error::Config {
            path: PathBuf::from(origin),
            message,
        };
        let file: file::TopicsFile = toml::from_str(text)
            .map_err(|e| config_error(crate::sources::config::describe_toml_error(text, &e)))?;
        let mut seen = HashMap::new();
        let mut topics = Vec::with_capacity(file.topics.len());
        for (n, topic) in file.topics.iter().enumerate() {
            let what = format!("[[topic]] number {} (id = {:?})", n + 1, topic.id);
            let id = match TopicId::parse(&topic.id) {
                Ok(id) if id.as_str() == topic.id => id,
                _ => {
                    return Err(config_error(format!(
                        "{what}: key `id` must be a path of words joined by '/', such as \"human-security/protection-of-civilians\""
                    )));
                }
            };
            if let Some(prev) = seen.insert(topic.id.clone(), n) {
                return Err(config_error(format!(
                    "{what}: key `id` repeats [[topic]] number {}",
                    prev + 1
                )));
            }
            if topic.min_count == 0 {
                return Err(config_error(format!(
                    "{what}: key `min_count` must be at least 1"
                )));
            }
            topics.push(TopicDefinition {
                id,
                label: topic.label.clone(),
                phrases: topic.phrases.clone(),
                min_count: topic.min_count,
            });
        }
        let mut analyzer = exact_analyzer();
        let mut by_first_token: FxHashMap<String, Vec<(usize, Vec<String>)>> = FxHashMap::default();
        for (t, topic) in topics.iter().enumerate() {
            for phrase in &topic.phrases {
                let tokens = analyze(&mut analyzer, phrase);
                if let Some(first) = tokens.first() {
                    by_first_token
                        .entry(first.clone())
                        .or_default()
                        .push((t, tokens));
                }
            }
        }
        let fingerprint =
            blake3::hash(format!("{:?}", file.topics).as_bytes()).to_hex()[..16].to_string();
        Ok(Taxonomy {
            topics,
            origin: origin.to_string(),
            fingerprint,
            by_first_token,
        })
    }

    /// The topics whose rules a document meets, in taxonomy order.
    pub fn tag(&self, title: &str, body: &str) -> Vec<TopicId> {
        if self.by_first_token.is_empty() {
            return Vec::new();
        }
        let mut counts = vec![0usize; self.topics.len()];
        // Tokens in one buffer (no allocation per token): a full build tags
        // every document, and this was a visible share of it.
        let mut buffer = String::new();
        let mut tokens: Vec<(usize, usize, usize)> = Vec::new();
        for text in [title, body] {
            buffer.clear();
            tokens.clear();
            for_each_exact_token(text, |_, _, position, word| {
                let start = buffer.len();
                buffer.push_str(word);
                tokens.push((start, buffer.len(), position));
            });
            let word = |i: usize| &buffer[tokens[i].0..tokens[i].1];
            for i in 0..tokens.len() {
                let Some(candidates) = self.by_first_token.get(word(i)) else {
                    continue;
                };
                let position = tokens[i].2;
                for (topic, phrase) in candidates {
                    let n = phrase.len();
                    if i + n <= tokens.len()
                        && phrase
                            .iter()
                            .enumerate()
                            .all(|(k, w)| word(i + k) == w && tokens[i + k].2 == position + k)
                    {
                        counts[*topic] += 1;
                    }
                }
            }
        }
        self.topics
            .iter()
            .zip(counts)
            .filter(|(topic, count)| !topic.phrases.is_empty() && *count >= topic.min_count)
            .map(|(topic, _)| topic.id.clone())
            .collect()
    }

    pub fn label(&self, id: &TopicId) -> Option<&str> {
        self.topics
            .iter()
            .find(|t| t.id == *id)
            .map(|t| t.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_taxonomy_covers_the_field() {
        let taxonomy = Taxonomy::shipped().unwrap();
        for id in [
            "human-security",
            "human-security/protection-of-civilians",
            "human-security/conflict-related-sexual-violence",
            "human-security/trafficking-in-human-beings",
            "human-security/children-and-armed-conflict",
            "human-security/cultural-property-protection",
            "women-peace-and-security",
            "climate-change-and-security",
            "sdgs",
            "kosovo",
            "counter-terrorism",
            "collective-defence",
            "peacebuilding",
            "human-security/dimensions/economic",
            "human-security/dimensions/food",
            "human-security/dimensions/health",
            "human-security/dimensions/environmental",
            "human-security/dimensions/personal",
            "human-security/dimensions/community",
            "human-security/dimensions/political",
        ] {
            assert!(
                taxonomy.label(&TopicId::parse(id).unwrap()).is_some(),
                "{id} missing"
            );
        }
    }

    #[test]
    fn tags_by_phrase_count() {
        let taxonomy = Taxonomy::parse(
            "[[topic]]\nid = \"a\"\nlabel = \"A\"\nphrases = [\"protection of civilians\"]\n\n[[topic]]\nid = \"b\"\nlabel = \"B\"\nphrases = [\"terrorism\", \"terrorist\"]\nmin_count = 3\n",
            "test",
        )
        .unwrap();
        let ids = |topics: Vec<TopicId>| -> Vec<String> {
            topics.iter().map(|t| t.to_string()).collect()
        };
        assert_eq!(
            ids(taxonomy.tag("", "The Protection of Civilians matters.")),
            ["a"]
        );
        assert!(taxonomy.tag("", "protection for civilians").is_empty());
        assert!(taxonomy.tag("", "terrorism and a terrorist").is_empty());
        assert_eq!(
            ids(taxonomy.tag("Terrorism", "terrorism and a terrorist")),
            ["b"]
        );
    }

    #[test]
    fn errors_name_the_topic_and_key() {
        for (text, says) in [
            ("[[topic]]\nid = \"a b\"\nlabel = \"x\"\n", "key `id`"),
            (
                "[[topic]]\nid = \"a\"\nlabel = \"x\"\n[[topic]]\nid = \"a\"\nlabel = \"y\"\n",
                "repeats",
            ),
            (
                "[[topic]]\nid = \"a\"\nlabel = \"x\"\nmin_count = 0\n",
                "min_count",
            ),
            ("[[topic]]\nid = \"a\"\n", "label"),
            (
                "[[topic]]\nid = \"a\"\nlabel = \"x\"\nphrases = \"one\"\n",
                "line 4",
            ),
        ] {
            let err = Taxonomy::parse(text, "topics.toml")
                .unwrap_err()
                .to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
