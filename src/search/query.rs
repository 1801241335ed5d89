//! The query language, parsed by dossier itself rather than tantivy's
//! `QueryParser`: quoted phrases must go to the exact (unstemmed) fields while
//! words go to the stemmed ones, repeated words must keep their weight, and
//! filters must be query objects, never text pasted into the user's query.
//!
//! ```text
//! human security            both words (stemmed), anywhere in title or body
//! "human security"          the exact words, in this order
//! kosovo OR kfor            either
//! civilians -kosovo         NOT and a leading '-' exclude; '+' is accepted
//! (a OR b) AND c            parentheses group
//! title:kosovo body:"sexual violence" source:nato topic:human-security
//! year:1999  year:1999..2008  year:2015..  year:..1999  id:"path/of/a file.txt"
//! lang:fr                   documents in French (ISO 639-1 codes; `und`: not told)
//! *                         every document (to browse facets)
//! ```
//!
//! Words are analysed once for each language the index holds, each with its
//! language's stemmer, and matched in that language's fields: "pauvreté"
//! finds French documents by French stems. Phrases are matched exactly, in
//! every language.
//!
//! `--plain` reads the text as plain words with no operators, any of which may
//! match, ranked by BM25: the mode for pasting a sentence.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::bm25::Bm25TermQuery;
use super::ranking;
use crate::extract::lang::normalise_code;
use crate::index::analysis::{GROUPS, analyze, exact_analyzer};
use crate::index::refresh::topic_facet;
use crate::index::schema::{Fields, RankingFields};
use crate::sources::config::{is_source_name, is_valid_topic_id};
use crate::{Error, Result};

/// How much a quoted phrase in the title counts against one in the body.
pub const TITLE_BOOST: f32 = 2.0;
/// Parentheses nested deeper than this are refused rather than recursed into.
const MAX_DEPTH: usize = 64;
/// Longer query strings are refused: no real question is this long.
const MAX_QUERY_CHARS: usize = 20_000;

pub const QUERY_FIELDS: &[&str] = &["title", "body", "source", "topic", "year", "lang", "id"];

/// An inclusive range of years; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    pub start: Option<u64>,
    pub end: Option<u64>,
}

impl YearRange {
    /// Parses `2022`, `1999..2008`, `2015..` or `..1999`.
    pub fn parse(value: &str) -> Result<Self> {
        let bad = |reason: &str| Error::YearRange {
            value: value.to_string(),
            reason: reason.to_string(),
        };
        let year = |s: &str| -> Result<u64> {
            let s = s.trim();
            if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(&format!("'{s}' is not a 4-digit year")));
            }
            s.parse().map_err(|_| bad("not a year"))
        };
        let range = match value.trim().split_once("..") {
            None => {
                let y = year(value)?;
                YearRange {
                    start: Some(y),
                    end: Some(y),
                }
            }
            Some(("", "")) => return Err(bad("a range needs at least one end")),
            Some((start, end)) => YearRange {
                start: if start.trim().is_empty() {
                    None
                } else {
                    Some(year(start)?)
                },
                end: if end.trim().is_empty() {
                    None
                } else {
                    Some(year(end)?)
                },
            },
        };
        if let (Some(s), Some(e)) = (range.start, range.end)
            && s > e
        {
            return Err(bad("the first year comes after the last"));
        }
        Ok(range)
    }

    pub fn contains(&self, year: u64) -> bool {
        self.start.is_none_or(|s| year >= s) && self.end.is_none_or(|e| year <= e)
    }
}

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
    Source(String),
    Topic(String),
    Lang(String),
    Year(YearRange),
    Id(String),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen { negated: bool, at: usize },
    RParen { at: usize },
    And { at: usize },
    Or { at: usize },
    Not { at: usize },
    Term { negated: bool, node: Node },
}

fn query_error(message: String) -> Error {
    Error::Query(message)
}

/// Parses query text in the query language.
pub fn parse_query(text: &str) -> Result<Node> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(query_error(format!(
            "the query is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    if text.trim().is_empty() {
        return Err(query_error(
            "the query is empty: give words to search for, or '*' for every document".into(),
        ));
    }
    let tokens = lex(text)?;
    let mut parser = Parser { tokens, pos: 0 };
    let node = parser.or_expr(0)?;
    if let Some(tok) = parser.tokens.get(parser.pos) {
        return Err(match tok {
            Tok::RParen { at } => query_error(format!(
                "unbalanced parentheses: the ')' at character {} closes nothing",
                at + 1
            )),
            _ => query_error("unexpected text after the end of the query".into()),
        });
    }
    Ok(node)
}

/// Reads text as plain words: no operators, no fields, any word may match.
pub fn plain_query(text: &str) -> Result<Node> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(query_error(format!(
            "the query is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
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
        return Err(query_error(
            "the query is empty: give words to search for".into(),
        ));
    }
    Ok(Node::Or(words))
}

fn lex(text: &str) -> Result<Vec<Tok>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' => {
                tokens.push(Tok::LParen {
                    negated: false,
                    at: i,
                });
                i += 1;
                continue;
            }
            ')' => {
                tokens.push(Tok::RParen { at: i });
                i += 1;
                continue;
            }
            _ => {}
        }
        // A leading '-' negates, a leading '+' is accepted and ignored, when
        // followed by something to apply to.
        let mut negated = false;
        if (c == '-' || c == '+')
            && chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != ')')
        {
            negated = c == '-';
            i += 1;
            if chars[i] == '(' {
                tokens.push(Tok::LParen { negated, at: i });
                i += 1;
                continue;
            }
        }
        if chars[i] == '"' {
            let (phrase, next) = read_phrase(&chars, i)?;
            tokens.push(Tok::Term {
                negated,
                node: Node::Phrase(TextScope::TitleOrBody, phrase),
            });
            i = next;
            continue;
        }
        let word_start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
            i += 1;
        }
        let word: String = chars[word_start..i].iter().collect();
        if !negated && start == word_start {
            match word.as_str() {
                "AND" | "&&" => {
                    tokens.push(Tok::And { at: start });
                    continue;
                }
                "OR" | "||" => {
                    tokens.push(Tok::Or { at: start });
                    continue;
                }
                "NOT" => {
                    tokens.push(Tok::Not { at: start });
                    continue;
                }
                _ => {}
            }
        }
        if let Some((name, value)) = field_prefix(&word) {
            let (value, quoted) = if value.is_empty() && chars.get(i) == Some(&'"') {
                let (phrase, next) = read_phrase(&chars, i)?;
                i = next;
                (phrase, true)
            } else if value.is_empty() {
                return Err(query_error(format!(
                    "'{name}:' at character {} needs a value right after the colon, e.g. {name}:{}",
                    word_start + 1,
                    field_example(&name)
                )));
            } else {
                (value.to_string(), false)
            };
            let node = field_node(&name, value, quoted, word_start)?;
            tokens.push(Tok::Term { negated, node });
            continue;
        }
        if word == "*" || word == "*:*" {
            tokens.push(Tok::Term {
                negated,
                node: Node::All,
            });
            continue;
        }
        tokens.push(Tok::Term {
            negated,
            node: Node::Word(TextScope::TitleOrBody, word),
        });
    }
    Ok(tokens)
}

/// Reads a quoted phrase starting at the quote at `open`; returns its text and
/// the index after the closing quote.
fn read_phrase(chars: &[char], open: usize) -> Result<(String, usize)> {
    let mut end = open + 1;
    while end < chars.len() && chars[end] != '"' {
        end += 1;
    }
    if end >= chars.len() {
        return Err(query_error(format!(
            "unbalanced quotes: the phrase opened at character {} is never closed (or use --plain to search the words as they are)",
            open + 1
        )));
    }
    Ok((chars[open + 1..end].iter().collect(), end + 1))
}

/// `name:value` where `name` looks like a field name.
fn field_prefix(word: &str) -> Option<(String, &str)> {
    let (name, value) = word.split_once(':')?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    Some((name.to_ascii_lowercase(), value))
}

fn field_example(name: &str) -> &'static str {
    match name {
        "year" => "1999..2008",
        "source" => "un-security-council",
        "topic" => "human-security",
        "lang" => "fr",
        "id" => "\"un-security-council/S_RES_1325_2000_EN_GOLD.txt\"",
        _ => "kosovo",
    }
}

fn field_node(name: &str, value: String, quoted: bool, at: usize) -> Result<Node> {
    let text_node = |scope| {
        if quoted {
            Node::Phrase(scope, value.clone())
        } else {
            Node::Word(scope, value.clone())
        }
    };
    let check = |valid: fn(&str) -> bool, value: &str| {
        if valid(value) {
            Ok(())
        } else {
            Err(query_error(format!(
                "'{name}:' at character {} needs an id such as {name}:{}",
                at + 1,
                field_example(name)
            )))
        }
    };
    Ok(match name {
        "title" => text_node(TextScope::Title),
        "body" | "text" => text_node(TextScope::Body),
        "source" => {
            check(is_source_name, &value)?;
            Node::Source(value)
        }
        "topic" => {
            let topic = value.trim_matches('/').to_string();
            check(is_valid_topic_id, &topic)?;
            Node::Topic(topic)
        }
        "year" => Node::Year(YearRange::parse(&value)?),
        "lang" => {
            let code = lang_code(&value).ok_or_else(|| {
                query_error(format!(
                    "'lang:' at character {} needs a language code such as lang:fr (ISO 639-1; und for documents whose language was not told)",
                    at + 1
                ))
            })?;
            Node::Lang(code)
        }
        "id" => Node::Id(value),
        other => {
            return Err(query_error(format!(
                "unknown field '{other}' at character {}: the fields are {} (to search for text with a colon, quote it or use --plain)",
                at + 1,
                QUERY_FIELDS.join(", ")
            )));
        }
    })
}

/// A language code as the index stores it: `fr`, `FR`, `fr-CA`, `fra` → `fr`;
/// `und` stays `und`.
pub fn lang_code(value: &str) -> Option<String> {
    if value.trim().eq_ignore_ascii_case("und") {
        return Some("und".into());
    }
    normalise_code(value)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn or_expr(&mut self, depth: usize) -> Result<Node> {
        let mut alternatives = vec![self.and_expr(depth)?];
        while let Some(Tok::Or { at }) = self.peek() {
            let at = *at;
            self.pos += 1;
            if self.at_end_of_group() {
                return Err(query_error(format!(
                    "'OR' at character {} needs something to search on both sides",
                    at + 1
                )));
            }
            alternatives.push(self.and_expr(depth)?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().unwrap_or(Node::All)
        } else {
            Node::Or(alternatives)
        })
    }

    fn at_end_of_group(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(Tok::RParen { .. }) | Some(Tok::Or { .. }) | Some(Tok::And { .. })
        )
    }

    fn and_expr(&mut self, depth: usize) -> Result<Node> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen { .. }) | Some(Tok::Or { .. }) => break,
                Some(Tok::And { at }) => {
                    let at = *at;
                    self.pos += 1;
                    if parts.is_empty() || self.at_end_of_group() {
                        return Err(query_error(format!(
                            "'AND' at character {} needs something to search on both sides",
                            at + 1
                        )));
                    }
                }
                Some(_) => parts.push(self.unary(depth)?),
            }
        }
        match parts.len() {
            0 => Err(query_error(match self.peek() {
                Some(Tok::Or { at }) => format!(
                    "'OR' at character {} needs something to search on both sides",
                    at + 1
                ),
                Some(Tok::RParen { at }) => {
                    format!("empty parentheses or a stray ')' at character {}", at + 1)
                }
                _ => "the query has nothing to search for".into(),
            })),
            1 => Ok(parts.pop().unwrap_or(Node::All)),
            _ => Ok(Node::And(parts)),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Node> {
        if depth > MAX_DEPTH {
            return Err(query_error(format!(
                "the query nests parentheses or NOTs more than {MAX_DEPTH} deep"
            )));
        }
        match self.tokens.get(self.pos).cloned() {
            Some(Tok::Not { at }) => {
                self.pos += 1;
                if self.at_end_of_group() {
                    return Err(query_error(format!(
                        "'NOT' at character {} needs something after it",
                        at + 1
                    )));
                }
                Ok(Node::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some(Tok::LParen { negated, at }) => {
                self.pos += 1;
                let inner = self.or_expr(depth + 1)?;
                match self.peek() {
                    Some(Tok::RParen { .. }) => self.pos += 1,
                    _ => {
                        return Err(query_error(format!(
                            "unbalanced parentheses: the '(' at character {} is never closed",
                            at + 1
                        )));
                    }
                }
                Ok(if negated {
                    Node::Not(Box::new(inner))
                } else {
                    inner
                })
            }
            Some(Tok::Term { negated, node }) => {
                self.pos += 1;
                Ok(if negated {
                    Node::Not(Box::new(node))
                } else {
                    node
                })
            }
            _ => Err(query_error("expected a word, a phrase or '('".into())),
        }
    }
}

/// What to highlight in text: words (matched by stem, in the document's
/// language) and exact phrases from the positive (not negated) parts of a
/// query that search the body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Highlights {
    /// The query's single words, as typed: each language stems them its way.
    pub words: Vec<String>,
    /// Exact token sequences of the query's phrases (one token: an exact word).
    pub phrases: Vec<Vec<String>>,
}

impl Highlights {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }
}

/// Turns parsed queries into tantivy queries, with the index's own analysers
/// and the ranking of [`super::ranking`].
pub struct QueryCompiler {
    fields: Fields,
    /// The analysis groups of the languages the index holds, with their
    /// stemmed analysers: a word is looked up in each.
    groups: Vec<(RankingFields, TextAnalyzer)>,
    exact: TextAnalyzer,
    /// The proximity clauses of everything compiled: kept apart because they
    /// only add to scores (never change what matches), so that a search can
    /// apply them to its best candidates alone.
    pub proximity: Vec<Box<dyn Query>>,
}

impl QueryCompiler {
    /// A compiler for an index holding the analysis groups `groups` (indexes
    /// into [`GROUPS`]; see [`super::languages::present_groups`]).
    pub fn new(fields: Fields, groups: &[usize]) -> Self {
        QueryCompiler {
            fields,
            groups: groups
                .iter()
                .map(|&g| (fields.ranking[g], GROUPS[g].analyzer()))
                .collect(),
            exact: exact_analyzer(),
            proximity: Vec::new(),
        }
    }

    /// A word's stems, one per group, when it is a single word; `None` when
    /// the analysers split it (`conflict-related`, Chinese text).
    fn stems(&mut self, text: &str) -> Option<Vec<(RankingFields, String)>> {
        let mut out = Vec::with_capacity(self.groups.len());
        for (fields, analyzer) in &mut self.groups {
            let mut stems = analyze(analyzer, text);
            if stems.len() != 1 {
                return None;
            }
            out.push((*fields, stems.remove(0)));
        }
        Some(out)
    }

    /// Compiles `node`; `None` when it has nothing searchable (only punctuation).
    pub fn compile(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        let f = self.fields;
        match node {
            Node::All => Some(Box::new(AllQuery)),
            Node::Word(scope, text) => {
                if analyze(&mut self.exact, text).is_empty() {
                    return None;
                }
                match self.stems(text) {
                    Some(stems) => Some(self.word(*scope, &stems)),
                    // "conflict-related" is two tokens: the words, adjacent.
                    None => self.phrase(*scope, text),
                }
            }
            Node::Phrase(scope, text) => self.phrase(*scope, text),
            Node::Source(id) => Some(Box::new(TermQuery::new(
                Term::from_facet(f.source, &Facet::from_path([id.as_str()])),
                IndexRecordOption::Basic,
            ))),
            Node::Topic(id) => Some(Box::new(TermQuery::new(
                Term::from_facet(f.topic, &topic_facet(id)),
                IndexRecordOption::Basic,
            ))),
            Node::Lang(code) => Some(lang_query(f, code)),
            Node::Year(range) => Some(year_query(f, range)),
            Node::Id(id) => Some(Box::new(TermQuery::new(
                Term::from_field_text(f.id, id),
                IndexRecordOption::Basic,
            ))),
            Node::And(parts) => {
                let parts = self.without_stop_words(parts);
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for part in &parts {
                    match part {
                        Node::Not(inner) => {
                            if let Some(q) = self.compile(inner) {
                                clauses.push((Occur::MustNot, q));
                            }
                        }
                        other => {
                            if let Some(q) = self.compile(other) {
                                clauses.push((Occur::Must, q));
                            }
                        }
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                self.add_proximity(&parts);
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(parts) => {
                let parts = self.without_stop_words(parts);
                let clauses: Vec<(Occur, Box<dyn Query>)> = parts
                    .iter()
                    .filter_map(|p| self.compile(p))
                    .map(|q| (Occur::Should, q))
                    .collect();
                if clauses.is_empty() {
                    return None;
                }
                self.add_proximity(&parts);
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Not(inner) => {
                let excluded = self.compile(inner).unwrap_or_else(|| Box::new(EmptyQuery));
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                    (Occur::MustNot, excluded),
                ])))
            }
        }
    }

    /// The exact form of a word when it is a single stop word.
    fn stop_word(&mut self, node: &Node) -> bool {
        match node {
            Node::Word(TextScope::TitleOrBody, text) => {
                let tokens = analyze(&mut self.exact, text);
                tokens.len() == 1 && ranking::is_stop_word(&tokens[0])
            }
            _ => false,
        }
    }

    /// A group's parts without its stop words, unless nothing else would remain
    /// (a search for `"to be or not to be"` unquoted still searches something).
    fn without_stop_words(&mut self, parts: &[Node]) -> Vec<Node> {
        let kept: Vec<Node> = parts
            .iter()
            .filter(|p| !self.stop_word(p))
            .cloned()
            .collect();
        if kept.iter().any(|p| !matches!(p, Node::Not(_))) {
            kept
        } else {
            parts.to_vec()
        }
    }

    /// One word: BM25 on title and body together, plus a share of its title
    /// score, in each language's fields (a document is in one language, so
    /// only its own language's clause scores it).
    fn word(&self, scope: TextScope, stems: &[(RankingFields, String)]) -> Box<dyn Query> {
        let mut per_group: Vec<Box<dyn Query>> = stems
            .iter()
            .map(|(fields, stem)| {
                in_scope(
                    scope,
                    (fields.title, fields.text),
                    ranking::TITLE_WEIGHT,
                    |field| {
                        Box::new(Bm25TermQuery::new(
                            Term::from_field_text(field, stem),
                            ranking::BM25,
                        ))
                    },
                )
            })
            .collect();
        if per_group.len() == 1 {
            return per_group.remove(0);
        }
        Box::new(BooleanQuery::new(
            per_group.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))
    }

    /// Clauses rewarding adjacent words of a group that stand close together
    /// in a document: side by side, and within a few words.
    fn add_proximity(&mut self, parts: &[Node]) {
        let stems: Vec<Option<Vec<(RankingFields, String)>>> = parts
            .iter()
            .map(|p| match p {
                Node::Word(TextScope::TitleOrBody, text) => self.stems(text),
                _ => None,
            })
            .collect();
        for pair in stems.windows(2) {
            let (Some(a), Some(b)) = (&pair[0], &pair[1]) else {
                continue;
            };
            for ((fields, a), (_, b)) in a.iter().zip(b) {
                for (slop, weight) in [
                    (0, ranking::ADJACENT_WEIGHT),
                    (ranking::WINDOW_SLOP, ranking::WINDOW_WEIGHT),
                ] {
                    let mut phrase = PhraseQuery::new(vec![
                        Term::from_field_text(fields.text, a),
                        Term::from_field_text(fields.text, b),
                    ]);
                    phrase.set_slop(slop);
                    self.proximity
                        .push(Box::new(BoostQuery::new(Box::new(phrase), weight)));
                }
            }
        }
    }

    /// A quoted word or phrase, on the unstemmed fields.
    fn phrase(&mut self, scope: TextScope, text: &str) -> Option<Box<dyn Query>> {
        let tokens = analyze(&mut self.exact, text);
        if tokens.is_empty() {
            return None;
        }
        let f = self.fields;
        Some(in_scope(
            scope,
            (f.title_exact, f.body_exact),
            TITLE_BOOST,
            |field| -> Box<dyn Query> {
                let terms: Vec<Term> = tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                match terms.len() {
                    1 => Box::new(TermQuery::new(
                        terms[0].clone(),
                        IndexRecordOption::WithFreqs,
                    )),
                    _ => Box::new(PhraseQuery::new(terms)),
                }
            },
        ))
    }

    /// The words and phrases to highlight in a document's body.
    pub fn highlights(&mut self, node: &Node) -> Highlights {
        let mut out = Highlights::default();
        self.collect_highlights(node, &mut out);
        out
    }

    fn collect_highlights(&mut self, node: &Node, out: &mut Highlights) {
        match node {
            Node::Word(scope, text) if *scope != TextScope::Title => {
                let tokens = analyze(&mut self.exact, text);
                if tokens.len() == 1 {
                    out.words.push(text.clone());
                } else if tokens.len() > 1 {
                    out.phrases.push(tokens);
                }
            }
            Node::Phrase(scope, text) if *scope != TextScope::Title => {
                let tokens = analyze(&mut self.exact, text);
                if !tokens.is_empty() {
                    out.phrases.push(tokens);
                }
            }
            Node::And(parts) | Node::Or(parts) => {
                for part in self.without_stop_words(parts) {
                    self.collect_highlights(&part, out);
                }
            }
            _ => {}
        }
    }
}

/// A query in the scope's field: the title's, the body's, or both with the
/// title's score weighted by `title_weight`. `make` builds it for one field.
fn in_scope(
    scope: TextScope,
    (title, body): (Field, Field),
    title_weight: f32,
    make: impl Fn(Field) -> Box<dyn Query>,
) -> Box<dyn Query> {
    match scope {
        TextScope::Title => make(title),
        TextScope::Body => make(body),
        TextScope::TitleOrBody => Box::new(BooleanQuery::new(vec![
            (Occur::Should, make(body)),
            (
                Occur::Should,
                Box::new(BoostQuery::new(make(title), title_weight)),
            ),
        ])),
    }
}

/// Filters narrow what matches without changing the ranking.
pub fn filter_clause(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

pub fn lang_query(fields: Fields, code: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(fields.lang, &Facet::from_path([code])),
        IndexRecordOption::Basic,
    ))
}

pub fn year_query(fields: Fields, range: &YearRange) -> Box<dyn Query> {
    let bound = |year: Option<u64>| match year {
        Some(y) => Bound::Included(Term::from_field_u64(fields.year, y)),
        None => Bound::Unbounded,
    };
    match (range.start, range.end) {
        (None, None) => Box::new(AllQuery),
        _ => Box::new(RangeQuery::new(bound(range.start), bound(range.end))),
    }
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
            ("source:nato", Node::Source("nato".into())),
            (
                "topic:human-security/protection-of-civilians",
                Node::Topic("human-security/protection-of-civilians".into()),
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
            ("colour:red", "unknown field 'colour'"),
            ("year:19999", "4-digit"),
            ("year:2008..1999", "comes after"),
            ("a OR", "both sides"),
            ("AND a", "both sides"),
            ("NOT", "needs something"),
            ("title:", "needs a value"),
            ("()", "empty parentheses"),
            ("topic:/", "needs an id"),
            ("source:\"\"", "needs an id"),
        ] {
            let err = parse_query(text).unwrap_err().to_string();
            assert!(err.contains(says), "{text:?}: {err}");
        }
        let deep = "(".repeat(500) + "a" + &")".repeat(500);
        assert!(parse_query(&deep).unwrap_err().to_string().contains("deep"));
    }

    #[test]
    fn year_ranges() {
        assert_eq!(
            YearRange::parse("2022").unwrap(),
            YearRange {
                start: Some(2022),
                end: Some(2022)
            }
        );
        assert_eq!(
            YearRange::parse("2015..").unwrap(),
            YearRange {
                start: Some(2015),
                end: None
            }
        );
        assert_eq!(
            YearRange::parse("..1999").unwrap(),
            YearRange {
                start: None,
                end: Some(1999)
            }
        );
        for bad in ["..", "99", "abcd", "1999..20x8", "2001-2003"] {
            assert!(YearRange::parse(bad).is_err(), "{bad}");
        }
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
