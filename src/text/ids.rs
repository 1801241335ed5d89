//! The ids that travel through every layer: which source a document belongs
//! to, which topics it carries. Each is checked once, where it enters (a
//! `sources.toml`, a flag, a query, the index), and is then a value of its own
//! type rather than a string anyone may build.
//!
//! Both are stored in the index as facets: a source as a one-segment path
//! (`/nato`), a topic as its path (`/human-security/protection-of-civilians`).

use std::fmt;

use serde::{Serialize, Serializer};
use tantivy::schema::Facet;

/// Why a text is not an id, for the caller to put in its own words (a flag,
/// a query field, a line of a settings file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error("a source id is one name, without '/'")]
    SourceWithSlash,
    #[error("a topic id is words of letters, digits, '-' and '_' joined by '/'")]
    BadTopic,
}

/// A source: the id `sources.toml` gives a folder of the sources folder, or
/// the folder's own name when it gives none.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(String);

impl SourceId {
    /// Any name a folder can have: not empty, without `/`.
    pub fn parse(value: &str) -> Result<SourceId, IdError> {
        if value.trim().is_empty() {
            return Err(IdError::Empty);
        }
        if value.contains('/') {
            return Err(IdError::SourceWithSlash);
        }
        Ok(SourceId(value.to_string()))
    }

    /// The source a folder without a definition stands for: named after
    /// the folder, whatever its name (a folder named " " is a source too).
    pub fn of_folder(name: &str) -> Option<SourceId> {
        (!name.is_empty() && !name.contains('/')).then(|| SourceId(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn facet(&self) -> Facet {
        Facet::from_path([self.0.as_str()])
    }

    /// The source a facet read back from the index names.
    pub fn from_facet(facet: &Facet) -> SourceId {
        SourceId(facet_path(facet))
    }

    /// The source a stored facet value (`\0nato`) names.
    pub fn from_encoded(encoded: &str) -> SourceId {
        SourceId(facet_text(encoded))
    }
}

/// A topic: a path of one or more words, most general first
/// (`human-security/protection-of-civilians`). A document carrying a topic
/// counts under each of its ancestors too.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicId(String);

impl TopicId {
    /// A topic id as people write it; slashes around it are ignored
    /// (`/human-security/` is `human-security`).
    pub fn parse(value: &str) -> Result<TopicId, IdError> {
        let path = value.trim_matches('/');
        if path.is_empty() {
            return Err(IdError::Empty);
        }
        let word_ok = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        };
        if !path.split('/').all(word_ok) {
            return Err(IdError::BadTopic);
        }
        Ok(TopicId(path.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn facet(&self) -> Facet {
        Facet::from_path(self.0.split('/'))
    }

    /// The topic a facet read back from the index names.
    pub fn from_facet(facet: &Facet) -> TopicId {
        TopicId(facet_path(facet))
    }

    /// The topic a stored facet value (`\0human-security\0dimensions`) names.
    pub fn from_encoded(encoded: &str) -> TopicId {
        TopicId(facet_text(encoded))
    }

    /// Its last word: `protection-of-civilians` of
    /// `human-security/protection-of-civilians`.
    pub fn leaf(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// The topic it belongs under, if any.
    pub fn parent(&self) -> Option<TopicId> {
        self.0
            .rsplit_once('/')
            .map(|(parent, _)| TopicId(parent.to_string()))
    }

    /// Itself and every ancestor, most general first: `a`, `a/b`, `a/b/c`.
    pub fn with_ancestors(&self) -> impl Iterator<Item = TopicId> + '_ {
        self.0
            .match_indices('/')
            .map(|(at, _)| at)
            .chain([self.0.len()])
            .map(|end| TopicId(self.0[..end].to_string()))
    }
}

/// A facet as dossier prints it: `/human-security/dimensions` →
/// `human-security/dimensions`.
fn facet_path(facet: &Facet) -> String {
    facet.to_path().join("/")
}

/// A facet value as tantivy stores and indexes it (`\0human-security\0dimensions`),
/// as dossier prints it (`human-security/dimensions`).
pub fn facet_text(encoded: &str) -> String {
    encoded
        .split('\0')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

macro_rules! text_id {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_id!(SourceId);
text_id!(TopicId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_paths_checked_once() {
        let topic = TopicId::parse("/human-security/dimensions/food/").unwrap();
        assert_eq!(topic.as_str(), "human-security/dimensions/food");
        assert_eq!(topic.leaf(), "food");
        assert_eq!(
            topic.parent().unwrap().as_str(),
            "human-security/dimensions"
        );
        let all: Vec<String> = topic.with_ancestors().map(|t| t.to_string()).collect();
        assert_eq!(
            all,
            [
                "human-security",
                "human-security/dimensions",
                "human-security/dimensions/food"
            ]
        );
        assert_eq!(TopicId::from_facet(&topic.facet()), topic);
        for bad in ["", "/", "a//b", "a b", "a/b c"] {
            assert!(TopicId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sources_are_one_name() {
        let source = SourceId::parse("un-security-council").unwrap();
        assert_eq!(SourceId::from_facet(&source.facet()), source);
        assert_eq!(SourceId::parse(""), Err(IdError::Empty));
        assert_eq!(SourceId::parse(" "), Err(IdError::Empty));
        assert_eq!(SourceId::parse("a/b"), Err(IdError::SourceWithSlash));
        assert_eq!(
            facet_text("\0human-security\0dimensions"),
            "human-security/dimensions"
        );
    }
}
