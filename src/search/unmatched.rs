//! A search the index's words rule out, answered from its term dictionaries
//! alone: `zzzqqxx`, a typo, a word no document holds. Opening the whole
//! index (tantivy's schema, every segment's readers) was two thirds of such
//! a search; its dictionaries ([`Lexicon`]) are enough to tell that no
//! document can match, and the answer is the one a full search gives: no
//! hit, no facet, no note.
//!
//! Only queries whose every part is read the same way here and in
//! [`super::prepare`]: no source, topic or keyword filter (those are checked
//! against the index and may be an error to report), no prefix (expanded
//! over the index's words, with notes). Anything else, or any doubt, is
//! `None`, and the caller searches the index.

use super::compiler::QueryCompiler;
use super::facets::FacetCounts;
use super::grammar::Node;
use super::{SearchRequest, SearchResults, filters, languages};
use crate::index::lexicon::Lexicon;
use crate::index::schema::dossier_schema;

/// The answer to `request` when the index's term dictionaries, `lexicon`,
/// show that no document can match it; `None` when they do not show it (or
/// cannot be read).
pub fn nothing_matches(lexicon: &Lexicon, request: &SearchRequest) -> Option<SearchResults> {
    if !request.sources.is_empty() || !request.topics.is_empty() {
        return None;
    }
    let node = request.parse().ok()?;
    if filters::names_filters(&node) || node.any(&|n| matches!(n, Node::Prefix(..))) {
        return None;
    }
    let (_, fields) = dossier_schema();
    // A language no document is in is for the whole search to tell: an
    // error (`--lang xx`) or a note (`lang:pt`), not a bare nothing.
    let held = |code: &crate::text::LangCode| {
        lexicon.holds(&tantivy::Term::from_facet(fields.lang, &code.facet())) == Some(true)
    };
    if !request.langs.iter().all(held)
        || node.any(&|n| matches!(n, Node::Lang(code) if !held(code)))
    {
        return None;
    }
    let groups = languages::present_groups_in(lexicon, &fields)?;
    let mut compiler = QueryCompiler::new(fields, &groups, request.ranking);
    let mut unreadable = false;
    let may_match = compiler.may_match(&node, &mut |term| {
        lexicon.holds(term).unwrap_or_else(|| {
            unreadable = true;
            true
        })
    })?;
    if may_match || unreadable {
        return None;
    }
    Some(SearchResults {
        query: request.query.clone(),
        total: 0,
        offset: request.offset,
        hits: Vec::new(),
        facets: FacetCounts::default(),
        notes: Vec::new(),
    })
}
