//! Filters as a researcher types them. A source or topic that names nothing
//! the index or the sources folder knows was a silent "0 documents match":
//! now it is an error that lists the valid values with the nearest as a
//! suggestion. Case does not matter, and a topic may be named by its last
//! word when only one topic ends so (`protection-of-civilians`, as `topics`
//! prints it under its parent). A source defined in `sources.toml` that has
//! no documents yet, or a topic of the taxonomy no document carries, is no
//! error: the search runs, and a note says why it finds nothing there.
//!
//! Applies to `--source` and `--topic` and to `source:` and `topic:` in the
//! query, in every command that searches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tantivy::schema::IndexRecordOption;
use tantivy::schema::{Facet, Field};
use tantivy::{DocSet, Searcher, TERMINATED};

use super::grammar::Node;
use crate::Result;
use crate::error::{Error, QueryError};
use crate::extract::topics::Taxonomy;
use crate::index::DossierIndex;
use crate::sources::SourcesConfig;
use crate::text::{LangCode, SourceId, TopicId};

/// Known values listed in an error, at most.
const LISTED: usize = 25;

/// What the index holds and the sources folder defines.
pub struct KnownValues {
    indexed_sources: BTreeSet<SourceId>,
    defined_sources: BTreeSet<SourceId>,
    /// A defined source's folder, which names it too (ids show the folder).
    folders: Vec<(String, SourceId)>,
    indexed_topics: BTreeSet<TopicId>,
    defined_topics: BTreeSet<TopicId>,
    /// Keyword fields the index holds, with their values.
    keyword_fields: BTreeMap<String, BTreeSet<String>>,
    /// The language codes the index's documents carry.
    indexed_langs: BTreeSet<LangCode>,
}

impl KnownValues {
    /// Read from the index's dictionaries (no document is read) and from
    /// `sources_dir`'s `sources.toml` and `topics.toml` when it has them (a
    /// broken one is read as empty here: indexing reports it).
    pub fn read(
        index: &DossierIndex,
        searcher: &Searcher,
        sources_dir: Option<&Path>,
        config: Option<&Path>,
    ) -> Result<Self> {
        let indexed = |field: Field| -> Result<Vec<String>> {
            let mut out = BTreeSet::new();
            for segment in searcher.segment_readers() {
                let dictionary = segment
                    .inverted_index(field)
                    .map_err(|e| Error::damaged(&index.dir, e))?;
                let mut stream = dictionary
                    .terms()
                    .stream()
                    .map_err(|e| Error::damaged(&index.dir, e))?;
                while stream.advance() {
                    // A term whose documents were all replaced (re-tagged,
                    // deleted) stays in the dictionary until segments merge:
                    // it names nothing, so it is not a known value.
                    if let Some(alive) = segment.alive_bitset() {
                        let mut postings = dictionary
                            .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                            .map_err(|e| Error::damaged(&index.dir, e))?;
                        let mut doc = postings.doc();
                        while doc != TERMINATED && !alive.is_alive(doc) {
                            doc = postings.advance();
                        }
                        if doc == TERMINATED {
                            continue;
                        }
                    }
                    if let Ok(text) = std::str::from_utf8(stream.key()) {
                        out.insert(text.to_string());
                    }
                }
            }
            Ok(out.into_iter().collect())
        };
        let indexed_sources = indexed(index.fields.source)?
            .iter()
            .map(|encoded| SourceId::from_encoded(encoded))
            .filter(|s| !s.as_str().is_empty())
            .collect();
        let indexed_topics = indexed(index.fields.topic)?
            .iter()
            .map(|encoded| TopicId::from_encoded(encoded))
            .filter(|t| !t.as_str().is_empty())
            .collect();
        let indexed_langs = indexed(index.fields.lang)?
            .iter()
            // Not the facets' root, which is no language.
            .filter(|encoded| !encoded.is_empty())
            .map(|encoded| LangCode::from_encoded(encoded))
            .collect();
        let mut keyword_fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for encoded in indexed(index.fields.field)? {
            let facet = Facet::from_encoded(encoded.into_bytes()).ok();
            if let Some([name, value]) = facet.as_ref().map(|f| f.to_path()).as_deref() {
                keyword_fields
                    .entry(name.to_string())
                    .or_default()
                    .insert(value.to_string());
            }
        }
        let config = sources_dir
            .and_then(|dir| SourcesConfig::load_with(dir, config).ok())
            .unwrap_or_default();
        let folders: Vec<(String, SourceId)> = config
            .sources
            .iter()
            .filter_map(|s| Some((s.folder().to_string(), SourceId::parse(&s.id).ok()?)))
            .collect();
        let defined_sources = folders.iter().map(|(_, id)| id.clone()).collect();
        let defined_topics = sources_dir
            .and_then(|dir| Taxonomy::load(dir).ok())
            .map(|t| t.topics.into_iter().map(|t| t.id).collect())
            .unwrap_or_default();
        Ok(KnownValues {
            keyword_fields,
            indexed_langs,
            indexed_sources,
            defined_sources,
            folders,
            indexed_topics,
            defined_topics,
        })
    }

    /// The source `typed` names, or why none; `notes` learns of a source
    /// without documents.
    pub fn source(&self, typed: &SourceId, notes: &mut Vec<String>) -> Result<SourceId> {
        let all: BTreeSet<&SourceId> = self
            .indexed_sources
            .iter()
            .chain(&self.defined_sources)
            .collect();
        let by_folder = self
            .folders
            .iter()
            .find(|(folder, _)| folder.eq_ignore_ascii_case(typed.as_str()))
            .map(|(_, id)| id);
        let found = all
            .iter()
            .find(|s| *s == &typed)
            .or_else(|| {
                all.iter()
                    .find(|s| s.as_str().eq_ignore_ascii_case(typed.as_str()))
            })
            .copied()
            .or(by_folder);
        let Some(found) = found else {
            let names: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
            let mut candidates = names.clone();
            candidates.extend(self.folders.iter().map(|(folder, _)| folder.as_str()));
            return Err(unknown("source", typed.as_str(), &names, &candidates));
        };
        if !self.indexed_sources.contains(found) {
            notes.push(format!(
                "the source '{found}' is defined in sources.toml but has no documents in the index yet: fetch them with `dossier update`, then search again"
            ));
        }
        Ok(found.clone())
    }

    /// The topic `typed` names (its id, in any case, or its last word when
    /// only one topic ends so), or why none.
    pub fn topic(&self, typed: &TopicId, notes: &mut Vec<String>) -> Result<TopicId> {
        let all: BTreeSet<&TopicId> = self
            .indexed_topics
            .iter()
            .chain(&self.defined_topics)
            .collect();
        let wanted = typed.as_str();
        let exact = all
            .iter()
            .find(|t| *t == &typed)
            .or_else(|| all.iter().find(|t| t.as_str().eq_ignore_ascii_case(wanted)));
        let found = match exact {
            Some(found) => (*found).clone(),
            None => {
                let leaves: Vec<&&TopicId> = all
                    .iter()
                    .filter(|t| t.leaf().eq_ignore_ascii_case(wanted))
                    .collect();
                match leaves.as_slice() {
                    [one] => (**one).clone(),
                    [] => {
                        let names: Vec<&str> = all.iter().map(|t| t.as_str()).collect();
                        // Suggestions may come from a whole id or its last word.
                        let mut candidates = names.clone();
                        candidates.extend(all.iter().map(|t| t.leaf()));
                        return Err(unknown("topic", wanted, &names, &candidates));
                    }
                    several => {
                        return Err(Error::AmbiguousTopic {
                            typed: wanted.to_string(),
                            candidates: several
                                .iter()
                                .map(|t| t.as_str().to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                        });
                    }
                }
            }
        };
        if !self.indexed_topics.contains(&found) {
            notes.push(format!(
                "no document in the index carries the topic '{found}' yet"
            ));
        }
        Ok(found)
    }

    /// A language filter: a code the index's documents carry, `und`, or a
    /// language dossier knows that no document is in yet (a note says so);
    /// any other code (`--lang xx`) is an error listing the index's.
    pub fn lang(&self, typed: LangCode, notes: &mut Vec<String>) -> Result<LangCode> {
        if typed.is_undetermined() || self.indexed_langs.contains(&typed) {
            return Ok(typed);
        }
        if let Some(name) = typed.name() {
            notes.push(format!(
                "no document in the index is in {name} ('{typed}') yet"
            ));
            return Ok(typed);
        }
        let names: Vec<&str> = self.indexed_langs.iter().map(LangCode::as_str).collect();
        Err(unknown("language", typed.as_str(), &names, &names))
    }

    /// The error for `word:` with nothing after the colon, which the query's
    /// grammar takes for a word made a field: for a keyword field the index
    /// holds (`country:`), a value is missing; otherwise the error lists
    /// those fields with the others.
    pub fn colon_error(&self, word: String, at: usize) -> QueryError {
        // Field names are read in any case (`Country:AFG`).
        let name = word.to_lowercase();
        match self.keyword_fields.get(&name) {
            Some(values) => QueryError::MissingValue {
                example: values.iter().next().cloned().unwrap_or_default(),
                field: name,
                at,
            },
            None => QueryError::ColonMadeAField {
                word,
                at,
                others: self.other_fields(),
            },
        }
    }

    /// The keyword fields the index holds, as an error lists them after the
    /// query language's own: ", country, session".
    fn other_fields(&self) -> String {
        self.keyword_fields
            .keys()
            .map(|k| format!(", {k}"))
            .collect()
    }

    /// The names of the keyword fields the index holds.
    pub fn keyword_names(&self) -> Vec<&str> {
        self.keyword_fields.keys().map(String::as_str).collect()
    }

    /// `name:value` for a keyword field: its values in any case (`country:tha`
    /// finds THA); a name the index has no field of is an error.
    fn keyword(&self, name: String, value: String, at: usize) -> Result<Node> {
        let Some(values) = self.keyword_fields.get(&name) else {
            return Err(Error::Query(QueryError::UnknownField {
                field: name,
                at,
                others: self.other_fields(),
            }));
        };
        let same: Vec<Node> = values
            .iter()
            .filter(|v| v.eq_ignore_ascii_case(&value) || v.to_lowercase() == value.to_lowercase())
            .map(|v| Node::Field {
                name: name.clone(),
                value: v.clone(),
                at,
            })
            .collect();
        Ok(match same.len() {
            // No document has it: the node as typed matches nothing.
            0 => Node::Field { name, value, at },
            1 => same.into_iter().next().unwrap_or(Node::All),
            _ => Node::Or(same),
        })
    }

    /// `node` with every `source:` and `topic:` resolved.
    pub fn resolve_node(&self, node: Node, notes: &mut Vec<String>) -> Result<Node> {
        Ok(match node {
            Node::Source(id) => Node::Source(self.source(&id, notes)?),
            Node::Topic(id) => Node::Topic(self.topic(&id, notes)?),
            Node::Field { name, value, at } => self.keyword(name, value, at)?,
            Node::Lang(code) => Node::Lang(self.lang(code, notes)?),
            Node::And(parts) => Node::And(
                parts
                    .into_iter()
                    .map(|p| self.resolve_node(p, notes))
                    .collect::<Result<_>>()?,
            ),
            Node::Or(parts) => Node::Or(
                parts
                    .into_iter()
                    .map(|p| self.resolve_node(p, notes))
                    .collect::<Result<_>>()?,
            ),
            Node::Not(inner) => Node::Not(Box::new(self.resolve_node(*inner, notes)?)),
            other => other,
        })
    }
}

/// Whether a query names a source or a topic anywhere.
pub fn names_filters(node: &Node) -> bool {
    node.any(&|n| matches!(n, Node::Source(_) | Node::Topic(_) | Node::Field { .. }))
}

/// The error for a value that names nothing: the valid values, and the
/// nearest of `candidates` when one is near enough to be a typo.
fn unknown(what: &'static str, typed: &str, names: &[&str], candidates: &[&str]) -> Error {
    let lower = typed.to_lowercase();
    let nearest = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string());
    let mut known: Vec<&str> = names.to_vec();
    known.sort_unstable();
    known.dedup();
    let listed = if known.is_empty() {
        "none yet".to_string()
    } else if known.len() > LISTED {
        format!("{}, … ({} in all)", known[..LISTED].join(", "), known.len())
    } else {
        known.join(", ")
    };
    Error::UnknownFilter {
        what,
        typed: typed.to_string(),
        suggestion: nearest
            .map(|n| format!(" (did you mean '{n}'?)"))
            .unwrap_or_default(),
        known: listed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownValues {
        let sources = |ids: &[&str]| ids.iter().map(|s| SourceId::parse(s).unwrap()).collect();
        let topics = |ids: &[&str]| ids.iter().map(|s| TopicId::parse(s).unwrap()).collect();
        KnownValues {
            indexed_sources: sources(&["unsc", "nato"]),
            defined_sources: sources(&["nato", "kfor", "unsc"]),
            folders: vec![(
                "un-security-council".into(),
                SourceId::parse("unsc").unwrap(),
            )],
            indexed_topics: topics(&[
                "human-security",
                "human-security/protection-of-civilians",
                "kosovo",
            ]),
            defined_topics: topics(&["human-security/children", "peacebuilding/children"]),
            keyword_fields: BTreeMap::from([(
                "country".to_string(),
                BTreeSet::from(["THA".to_string(), "DNK".to_string()]),
            )]),
            indexed_langs: ["en", "fr"]
                .iter()
                .map(|code| LangCode::from_filter(code).unwrap())
                .collect(),
        }
    }

    /// A language the index holds, `und`, or one dossier knows (with a
    /// note that nothing is in it) is a filter; another code is an error.
    #[test]
    fn languages_are_checked_against_the_index() {
        let known = known();
        let mut notes = Vec::new();
        let lang = |code: &str| LangCode::from_filter(code).unwrap();
        for code in ["fr", "EN", "und"] {
            assert_eq!(known.lang(lang(code), &mut notes).unwrap(), lang(code));
        }
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(known.lang(lang("pt"), &mut notes).unwrap(), lang("pt"));
        assert!(notes[0].contains("Portuguese"), "{notes:?}");
        let error = known.lang(lang("xx"), &mut notes).unwrap_err().to_string();
        assert!(
            error.contains("no language 'xx'") && error.contains("en, fr"),
            "{error}"
        );
        // The same in the query: `lang:xx`.
        assert!(
            known
                .resolve_node(Node::Lang(lang("xx")), &mut notes)
                .is_err()
        );
        assert!(
            known
                .resolve_node(Node::Lang(lang("fr")), &mut notes)
                .is_ok()
        );
    }

    #[test]
    fn sources_are_found_in_any_case_and_typos_get_a_suggestion() {
        let known = known();
        let mut notes = Vec::new();
        let source = |s: &str| SourceId::parse(s).unwrap();
        assert_eq!(
            known.source(&source("NATO"), &mut notes).unwrap().as_str(),
            "nato"
        );
        assert!(notes.is_empty());
        assert_eq!(
            known.source(&source("kfor"), &mut notes).unwrap().as_str(),
            "kfor"
        );
        assert!(
            notes[0].contains("no documents in the index yet"),
            "{notes:?}"
        );
        let error = known
            .source(&source("un-security-councl"), &mut notes)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("did you mean 'un-security-council'"),
            "{error}"
        );
        assert!(error.contains("are: kfor, nato, unsc"), "{error}");
        // A source's folder names it.
        assert_eq!(
            known
                .source(&source("UN-Security-Council"), &mut notes)
                .unwrap()
                .as_str(),
            "unsc"
        );
    }

    #[test]
    fn topics_by_id_by_last_word_and_not_when_ambiguous() {
        let known = known();
        let mut notes = Vec::new();
        let topic = |s: &str| TopicId::parse(s).unwrap();
        assert_eq!(
            known
                .topic(&topic("protection-of-civilians"), &mut notes)
                .unwrap()
                .as_str(),
            "human-security/protection-of-civilians"
        );
        assert_eq!(
            known.topic(&topic("Kosovo"), &mut notes).unwrap().as_str(),
            "kosovo"
        );
        let error = known
            .topic(&topic("children"), &mut notes)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("human-security/children, peacebuilding/children"),
            "{error}"
        );
        let error = known
            .topic(&topic("protection-of-civilian"), &mut notes)
            .unwrap_err()
            .to_string();
        assert!(error.contains("did you mean"), "{error}");
    }
}
