//! Which languages an index holds: a query is analysed once for each.

use std::collections::BTreeSet;

use tantivy::Searcher;

use crate::index::Fields;
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
            // tantivy also indexes the root of every facet: an empty term.
            if let Ok(encoded) = std::str::from_utf8(terms.key())
                && !crate::text::ids::facet_text(encoded).is_empty()
            {
                codes.insert(LangCode::from_encoded(encoded));
            }
        }
    }
    Ok(codes)
}

/// The analysis groups of the index's languages, English first when there
/// is nothing else to go by (an empty index still compiles queries).
pub fn present_groups(searcher: &Searcher, fields: &Fields) -> tantivy::Result<Vec<AnalysisGroup>> {
    let mut groups: Vec<AnalysisGroup> = present_languages(searcher, fields)?
        .into_iter()
        .map(AnalysisGroup::of)
        .collect();
    groups.sort_unstable();
    groups.dedup();
    if groups.is_empty() {
        groups.push(AnalysisGroup::ENGLISH);
    }
    Ok(groups)
}
