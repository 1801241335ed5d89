//! The query language: text → [`Node`], parsed by dossier itself rather than
//! tantivy's `QueryParser`, and kept apart from its compilation to tantivy
//! queries ([`super::compiler`]), as tantivy keeps its `query-grammar` apart.
//! Quoted phrases must go to the exact (unstemmed) fields while words go to the
//! stemmed ones, repeated words must keep their weight, and filters must be
//! query objects, never text pasted into the user's query.
//!
//! ```text
//! human security            both words (stemmed), anywhere in title or body
//! "human security"          the exact words, in this order (“curly” and «French» quotes too)
//! "nato human security"~10  the words within 10 moves of each other, any order
//! kosov*                    words starting with "kosov" (Kosovo, Kosova, Kosovar)
//! kosovo OR kfor            either
//! civilians -kosovo         NOT and a leading '-' exclude; '+' is accepted
//! (a OR b) AND c            parentheses group
//! title:kosovo body:"sexual violence" source:nato topic:human-security
//! year:1999  year:1999..2008  year:2015..  year:..1999  id:"path/of/a file.txt"
//! lang:fr                   documents in French (ISO 639-1 codes; `und`: not told)
//! *                         every document (to browse facets)
//! ```
//!
//! Plain words ([`plain_query`]) read the text with no operators, any word of
//! which may match, ranked by BM25: the mode for pasting a sentence.
//!
//! The lexer ([`lexer`]) turns characters into tokens, words, phrases and
//! fields; the parser ([`parser`]) gives operators their precedence.

mod lexer;
mod parser;

use crate::error::QueryError;
use crate::text::{LangCode, SourceId, TopicId, YearRange};

/// Longer query strings are refused: no real question is this long.
const MAX_QUERY_CHARS: usize = 20_000;

/// A field a word or phrase may be confined to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextScope {
    TitleOrBody,
    Title,
    Body,
}

/// The parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    All,
    Word(TextScope, String),
    Phrase(TextScope, String),
    /// A phrase's words within this many moves of each other, in any order
    /// (Lucene's `"…"~N`).
    Near(TextScope, String, u32),
    /// Words starting with this text (as typed, before analysis).
    Prefix(TextScope, String),
    /// A keyword field a source's `fields` read (`country:THA`): checked
    /// against the index when the query is prepared; `at` is where it starts.
    Field {
        name: String,
        value: String,
        at: usize,
    },
    Source(SourceId),
    Topic(TopicId),
    Lang(LangCode),
    Year(YearRange),
    Id(String),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

impl Node {
    /// Whether this node, or any part of it (under AND, OR, NOT), is one
    /// `is` says yes to.
    pub fn any(&self, is: &impl Fn(&Node) -> bool) -> bool {
        is(self)
            || match self {
                Node::And(parts) | Node::Or(parts) => parts.iter().any(|p| p.any(is)),
                Node::Not(inner) => inner.any(is),
                _ => false,
            }
    }
}

/// Parses query text in the query language.
pub fn parse_query(text: &str) -> Result<Node, QueryError> {
    check_length(text)?;
    if text.trim().is_empty() {
        return Err(QueryError::Empty);
    }
    parser::parse(lexer::lex(&lexer::straight_quotes(text))?)
}

/// Reads text as plain words: no operators, no fields, any word may match.
pub fn plain_query(text: &str) -> Result<Node, QueryError> {
    check_length(text)?;
    // Plain words are a bag of words: "IL-6" and "0-dimensional" are two words
    // each, not a phrase (reading them as phrases cost 0.015 nDCG@10 on SciFact).
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<Node> = cleaned
        .split_whitespace()
        .map(|w| Node::Word(TextScope::TitleOrBody, w.to_string()))
        .collect();
    if words.is_empty() {
        return Err(QueryError::NoPlainWords);
    }
    Ok(Node::Or(words))
}

fn check_length(text: &str) -> Result<(), QueryError> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong {
            max: MAX_QUERY_CHARS,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Node {
        Node::Word(TextScope::TitleOrBody, s.into())
    }

    #[test]
    fn parses_the_language() {
        let cases: Vec<(&str, Node)> = vec![
            ("civilians", w("civilians")),
            ("human security", Node::And(vec![w("human"), w("security")])),
            (
                "\"human security\"",
                Node::Phrase(TextScope::TitleOrBody, "human security".into()),
            ),
            ("a OR b", Node::Or(vec![w("a"), w("b")])),
            (
                "a AND NOT b",
                Node::And(vec![w("a"), Node::Not(Box::new(w("b")))]),
            ),
            ("a -b", Node::And(vec![w("a"), Node::Not(Box::new(w("b")))])),
            ("+a", w("a")),
            (
                "(a OR b) c",
                Node::And(vec![Node::Or(vec![w("a"), w("b")]), w("c")]),
            ),
            (
                "title:kosovo",
                Node::Word(TextScope::Title, "kosovo".into()),
            ),
            (
                "body:\"sexual violence\"",
                Node::Phrase(TextScope::Body, "sexual violence".into()),
            ),
            (
                "source:nato",
                Node::Source(SourceId::parse("nato").unwrap()),
            ),
            (
                "topic:human-security/protection-of-civilians",
                Node::Topic(TopicId::parse("human-security/protection-of-civilians").unwrap()),
            ),
            (
                "year:1999..2008",
                Node::Year(YearRange {
                    start: Some(1999),
                    end: Some(2008),
                }),
            ),
            (
                "-(a b)",
                Node::Not(Box::new(Node::And(vec![w("a"), w("b")]))),
            ),
            ("*", Node::All),
            ("well-being", w("well-being")),
            // Quotes as Word, PDFs and theses write them.
            (
                "“human security”",
                Node::Phrase(TextScope::TitleOrBody, "human security".into()),
            ),
            (
                "«human security» „protection of civilians‟",
                Node::And(vec![
                    Node::Phrase(TextScope::TitleOrBody, "human security".into()),
                    Node::Phrase(TextScope::TitleOrBody, "protection of civilians".into()),
                ]),
            ),
            (
                "‘human security’",
                Node::Phrase(TextScope::TitleOrBody, "human security".into()),
            ),
            // An apostrophe stays one.
            (
                "NATO’s approach",
                Node::And(vec![w("NATO’s"), w("approach")]),
            ),
            (
                "\"nato human security\"~10",
                Node::Near(TextScope::TitleOrBody, "nato human security".into(), 10),
            ),
            (
                "body:\"sexual violence\"~3",
                Node::Near(TextScope::Body, "sexual violence".into(), 3),
            ),
            (
                "kosov*",
                Node::Prefix(TextScope::TitleOrBody, "kosov".into()),
            ),
            (
                "country:THA session:\"54\"",
                Node::And(vec![
                    Node::Field {
                        name: "country".into(),
                        value: "THA".into(),
                        at: 1,
                    },
                    Node::Field {
                        name: "session".into(),
                        value: "54".into(),
                        at: 13,
                    },
                ]),
            ),
            (
                "title:kosov* -kosovo",
                Node::And(vec![
                    Node::Prefix(TextScope::Title, "kosov".into()),
                    Node::Not(Box::new(w("kosovo"))),
                ]),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_query(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for (text, says) in [
            ("", "empty"),
            ("\"human security", "unbalanced quotes"),
            ("(a OR b", "never closed"),
            ("a)", "closes nothing"),
            ("year:19999", "4-digit"),
            ("year:2008..1999", "comes after"),
            ("a OR", "both sides"),
            ("AND a", "both sides"),
            ("NOT", "needs something"),
            ("title:", "needs a value"),
            ("()", "empty parentheses"),
            ("topic:/", "needs an id"),
            ("source:\"\"", "needs an id"),
            ("Human security: a new concept", "is no field"),
            ("k*", "at least 2 letters"),
            ("ko*vo", "only end a word"),
            ("\"a b\"~", "needs a number"),
            ("\"a b\"~x", "needs a number"),
            ("\"a b\"~100000", "at most"),
        ] {
            let err = parse_query(text).unwrap_err().to_string();
            assert!(err.contains(says), "{text:?}: {err}");
        }
        let deep = "(".repeat(500) + "a" + &")".repeat(500);
        assert!(parse_query(&deep).unwrap_err().to_string().contains("deep"));
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            parse_query("kosovo year:19999").unwrap_err(),
            QueryError::BadYears {
                at: 8,
                reason: crate::text::YearRangeError::NotAYear("19999".into())
            }
        );
        assert_eq!(
            parse_query("a (b").unwrap_err(),
            QueryError::UnclosedParenthesis { at: 3 }
        );
    }

    #[test]
    fn plain_keeps_every_word_even_repeated() {
        assert_eq!(
            plain_query("what titles: what (titles) IL-6").unwrap(),
            Node::Or(
                ["what", "titles", "what", "titles", "IL", "6"]
                    .map(w)
                    .to_vec()
            )
        );
    }
}
