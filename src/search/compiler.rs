//! Parsed queries ([`super::grammar::Node`]) → tantivy queries, with the
//! index's own analysers and the ranking of [`super::ranking`]; and the words
//! and phrases to highlight in a hit's text.
//!
//! Words are analysed once for each language the index holds, each with its
//! language's stemmer, and matched in that language's fields: "pauvreté"
//! finds French documents by French stems. Phrases are matched exactly, in
//! every language.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::bm25::Bm25TermQuery;
use super::common_pairs::CommonPairQuery;
use super::grammar::{Node, TextScope};
use super::near::NearQuery;
use super::ranking;
use crate::index::schema::{Fields, RankingFields};
use crate::text::analysis::{QueryStems, analyze, exact_analyzer};
use crate::text::common_pairs::common_pair;
use crate::text::{AnalysisGroup, LangCode, YearRange};

/// A word's stems in each group's fields: as written, and folded first when
/// that differs.
type WordStems = Vec<(RankingFields, Vec<String>)>;

/// How much a quoted phrase in the title counts against one in the body.
pub const TITLE_BOOST: f32 = 2.0;

/// What to highlight in text: words (matched by stem, in the document's
/// language) and exact phrases from the positive (not negated) parts of a
/// query that search the body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Highlights {
    /// The query's single words, as typed: each language stems them its way.
    pub words: Vec<String>,
    /// Exact token sequences of the query's phrases (one token: an exact word).
    pub phrases: Vec<Vec<String>>,
    /// Proximities: exact tokens, and the moves allowed (see [`super::near`]).
    pub near: Vec<(Vec<String>, u32)>,
}

impl Highlights {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty() && self.near.is_empty()
    }
}

/// Turns parsed queries into tantivy queries, with the index's own analysers
/// and the ranking of [`super::ranking`].
pub struct QueryCompiler {
    fields: Fields,
    /// The analysis groups of the languages the index holds, with their
    /// stemmed analysers: a word is looked up in each.
    groups: Vec<(RankingFields, QueryStems)>,
    exact: TextAnalyzer,
    /// The proximity clauses of everything compiled: kept apart because they
    /// only add to scores (never change what matches), so that a search can
    /// apply them to its best candidates alone.
    pub proximity: Vec<Box<dyn Query>>,
    ranking: ranking::Ranking,
}

impl QueryCompiler {
    /// A compiler for an index holding the analysis groups `groups` (see
    /// [`super::languages::present_groups`]).
    pub fn new(fields: Fields, groups: &[AnalysisGroup], ranking: ranking::Ranking) -> Self {
        QueryCompiler {
            fields,
            groups: groups
                .iter()
                .map(|&g| (fields.ranking(g), g.query_stems()))
                .collect(),
            exact: exact_analyzer(),
            proximity: Vec::new(),
            ranking,
        }
    }

    /// A word's stems per group (as written, and folded first when that
    /// differs: see [`QueryStems`]), when it is a single word; `None` when
    /// the analysers split it (`conflict-related`, Chinese text).
    fn stems(&mut self, text: &str) -> Option<WordStems> {
        let mut out = Vec::with_capacity(self.groups.len());
        for (fields, stems) in &mut self.groups {
            out.push((*fields, stems.of(text)?));
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
            Node::Near(scope, text, slop) => self.near(*scope, text, *slop),
            // Prefixes are expanded over the index's words before compiling
            // (see `search::prefixes`); one left is read as the word itself.
            Node::Prefix(scope, text) => self.phrase(*scope, text),
            Node::Source(id) => Some(Box::new(TermQuery::new(
                Term::from_facet(f.source, &id.facet()),
                IndexRecordOption::Basic,
            ))),
            Node::Topic(id) => Some(Box::new(TermQuery::new(
                Term::from_facet(f.topic, &id.facet()),
                IndexRecordOption::Basic,
            ))),
            Node::Field { name, value, .. } => Some(Box::new(TermQuery::new(
                Term::from_facet(f.field, &Facet::from_path([name.as_str(), value.as_str()])),
                IndexRecordOption::Basic,
            ))),
            Node::Lang(code) => Some(lang_query(f, *code)),
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

    /// Whether `node` may match a document of an index whose term
    /// dictionaries hold the terms `holds` says they do: `Some(false)` only
    /// when whatever [`Self::compile`] makes of it matches no document
    /// without a term they lack; `None` when it compiles to nothing. Clause
    /// by clause as `compile`, with the same stems, fields and stop words.
    /// What terms alone cannot rule out (all documents, years, negations,
    /// and the filters and prefixes resolved against the index before
    /// compiling) may match.
    pub fn may_match(&mut self, node: &Node, holds: &mut dyn FnMut(&Term) -> bool) -> Option<bool> {
        let f = self.fields;
        match node {
            Node::All | Node::Year(_) | Node::Not(_) => Some(true),
            Node::Source(_) | Node::Topic(_) | Node::Field { .. } | Node::Prefix(..) => Some(true),
            Node::Lang(code) => Some(holds(&Term::from_facet(f.lang, &code.facet()))),
            Node::Id(id) => Some(holds(&Term::from_field_text(f.id, id))),
            Node::Word(scope, text) => {
                if analyze(&mut self.exact, text).is_empty() {
                    return None;
                }
                let Some(stems) = self.stems(text) else {
                    return self.phrase_may_match(*scope, text, holds);
                };
                let title_weight = self.ranking.title_weight;
                Some(stems.iter().any(|(fields, alternatives)| {
                    scope_fields(*scope, (fields.title, fields.text), title_weight)
                        .into_iter()
                        .any(|field| {
                            alternatives
                                .iter()
                                .any(|stem| holds(&Term::from_field_text(field, stem)))
                        })
                }))
            }
            Node::Phrase(scope, text) | Node::Near(scope, text, _) => {
                self.phrase_may_match(*scope, text, holds)
            }
            Node::And(parts) => {
                let mut any_clause = false;
                for part in self.without_stop_words(parts) {
                    match part {
                        Node::Not(inner) => {
                            any_clause |= self.may_match(&inner, holds).is_some();
                        }
                        other => match self.may_match(&other, holds) {
                            Some(false) => return Some(false),
                            Some(true) => any_clause = true,
                            None => {}
                        },
                    }
                }
                any_clause.then_some(true)
            }
            Node::Or(parts) => {
                let mut may = None;
                for part in self.without_stop_words(parts) {
                    if let Some(part_may) = self.may_match(&part, holds) {
                        may = Some(may.unwrap_or(false) || part_may);
                    }
                }
                may
            }
        }
    }

    /// A phrase (or proximity) matches a document only where each of its
    /// exact tokens is in one of the scope's exact fields.
    fn phrase_may_match(
        &mut self,
        scope: TextScope,
        text: &str,
        holds: &mut dyn FnMut(&Term) -> bool,
    ) -> Option<bool> {
        let tokens = analyze(&mut self.exact, text);
        if tokens.is_empty() {
            return None;
        }
        let fields = scope_fields(
            scope,
            (self.fields.title_exact, self.fields.body_exact),
            TITLE_BOOST,
        );
        Some(tokens.iter().all(|token| {
            fields
                .iter()
                .any(|&field| holds(&Term::from_field_text(field, token)))
        }))
    }

    /// The exact form of a word when it is a single stop word.
    fn stop_word(&mut self, node: &Node) -> bool {
        match node {
            Node::Word(TextScope::TitleOrBody, text) => {
                let tokens = analyze(&mut self.exact, text);
                self.ranking.stop_words && tokens.len() == 1 && ranking::is_stop_word(&tokens[0])
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
    fn word(&self, scope: TextScope, stems: &[(RankingFields, Vec<String>)]) -> Box<dyn Query> {
        let mut per_group: Vec<Box<dyn Query>> = stems
            .iter()
            .map(|(fields, alternatives)| {
                let mut each: Vec<Box<dyn Query>> = alternatives
                    .iter()
                    .map(|stem| {
                        in_scope(
                            scope,
                            (fields.title, fields.text),
                            self.ranking.title_weight,
                            |field| {
                                Box::new(Bm25TermQuery::new(
                                    Term::from_field_text(field, stem),
                                    self.ranking.bm25,
                                ))
                            },
                        )
                    })
                    .collect();
                // A document with accents holds both stems: the better
                // scores, not their sum.
                if each.len() == 1 {
                    each.remove(0)
                } else {
                    Box::new(DisjunctionMaxQuery::new(each)) as Box<dyn Query>
                }
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
        let stems: Vec<Option<WordStems>> = parts
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
            // The stems as written: what most documents hold.
            for ((fields, a), (_, b)) in a.iter().zip(b) {
                let (a, b) = (&a[0], &b[0]);
                for (slop, weight) in [
                    (0, self.ranking.adjacent_weight),
                    (self.ranking.window_slop, self.ranking.window_weight),
                ] {
                    if weight <= 0.0 {
                        continue;
                    }
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
            |field| exact_phrase(&f, field, &tokens),
        ))
    }

    /// A proximity: the words within `slop` moves of each other, in any
    /// order, on the unstemmed fields (one word: the word).
    fn near(&mut self, scope: TextScope, text: &str, slop: u32) -> Option<Box<dyn Query>> {
        let tokens = analyze(&mut self.exact, text);
        if tokens.len() < 2 {
            return self.phrase(scope, text);
        }
        let f = self.fields;
        Some(in_scope(
            scope,
            (f.title_exact, f.body_exact),
            TITLE_BOOST,
            |field| -> Box<dyn Query> {
                let terms = tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                Box::new(NearQuery::new(terms, slop))
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
            Node::Phrase(scope, text) | Node::Prefix(scope, text) if *scope != TextScope::Title => {
                let tokens = analyze(&mut self.exact, text);
                if !tokens.is_empty() {
                    out.phrases.push(tokens);
                }
            }
            Node::Near(scope, text, slop) if *scope != TextScope::Title => {
                let tokens = analyze(&mut self.exact, text);
                match tokens.len() {
                    0 => {}
                    1 => out.phrases.push(tokens),
                    _ => out.near.push((tokens, *slop)),
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

/// Exact tokens, adjacent, in one exact field. In the body, pairs of common
/// words are read from the pair field: a phrase of two common words is that
/// pair's term (same documents, same scores: see [`CommonPairQuery`]), and a
/// longer phrase holding such pairs checks positions only in the documents
/// that hold them.
fn exact_phrase(f: &Fields, field: Field, tokens: &[String]) -> Box<dyn Query> {
    let terms: Vec<Term> = tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    if let [term] = terms.as_slice() {
        return Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
    }
    let pairs: Vec<Term> = if field == f.body_exact {
        tokens
            .windows(2)
            .filter_map(|w| common_pair(&w[0], &w[1]))
            .map(|pair| Term::from_field_text(f.body_pairs, &pair))
            .collect()
    } else {
        Vec::new()
    };
    match (pairs.as_slice(), terms.as_slice()) {
        ([], _) => Box::new(PhraseQuery::new(terms)),
        ([pair], [first, second]) => Box::new(CommonPairQuery::new(
            pair.clone(),
            [first.clone(), second.clone()],
        )),
        _ => {
            let mut clauses = vec![(
                Occur::Must,
                Box::new(PhraseQuery::new(terms)) as Box<dyn Query>,
            )];
            clauses.extend(pairs.into_iter().map(|pair| {
                filter_clause(Box::new(TermQuery::new(pair, IndexRecordOption::Basic)))
            }));
            Box::new(BooleanQuery::new(clauses))
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
    match scope_fields(scope, (title, body), title_weight).as_slice() {
        [field] => make(*field),
        _ => Box::new(BooleanQuery::new(vec![
            (Occur::Should, make(body)),
            (
                Occur::Should,
                Box::new(BoostQuery::new(make(title), title_weight)),
            ),
        ])),
    }
}

/// The fields a query in `scope` reads, of `(title, body)`: the title only
/// when its score counts (`title_weight`).
fn scope_fields(scope: TextScope, (title, body): (Field, Field), title_weight: f32) -> Vec<Field> {
    match scope {
        TextScope::Title => vec![title],
        TextScope::Body => vec![body],
        TextScope::TitleOrBody if title_weight <= 0.0 => vec![body],
        TextScope::TitleOrBody => vec![body, title],
    }
}

/// Filters narrow what matches without changing the ranking.
pub fn filter_clause(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

pub fn lang_query(fields: Fields, code: LangCode) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(fields.lang, &code.facet()),
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
