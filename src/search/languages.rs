//! Which languages an index holds: a query is analysed once for each.

use std::collections::BTreeSet;

use tantivy::Searcher;

use crate::index::Fields;
use crate::index::lexicon::Lexicon;
use crate::text::{AnalysisGroup, LangCode};

/// The language codes of the index's documents, from the `lang` facet's
/// term dictionary (a few dozen terms at most: no document is read).
pub fn present_languages(
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<BTreeSet<LangCode>> {
    let mut codes = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.lang)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            codes.extend(language_of(terms.key()));
        }
    }
    Ok(codes)
}

/// The analysis groups of the index's languages, English first when there
/// is nothing else to go by (an empty index still compiles queries).
pub fn present_groups(searcher: &Searcher, fields: &Fields) -> tantivy::Result<Vec<AnalysisGroup>> {
    Ok(groups_of(present_languages(searcher, fields)?))
}

/// [`present_groups`], from the term dictionaries alone; `None` when one
/// cannot be read.
pub fn present_groups_in(lexicon: &Lexicon, fields: &Fields) -> Option<Vec<AnalysisGroup>> {
    let mut codes = BTreeSet::new();
    lexicon.for_each_term(fields.lang, |key| codes.extend(language_of(key)))?;
    Some(groups_of(codes))
}

/// The language a term of the `lang` facet names; `None` for the root of
/// every facet, an empty term tantivy also indexes.
fn language_of(key: &[u8]) -> Option<LangCode> {
    let encoded = std::str::from_utf8(key).ok()?;
    (!crate::text::ids::facet_text(encoded).is_empty()).then(|| LangCode::from_encoded(encoded))
}

fn groups_of(codes: BTreeSet<LangCode>) -> Vec<AnalysisGroup> {
    let mut groups: Vec<AnalysisGroup> = codes.into_iter().map(AnalysisGroup::of).collect();
    groups.sort_unstable();
    groups.dedup();
    if groups.is_empty() {
        groups.push(AnalysisGroup::ENGLISH);
    }
    groups
}
