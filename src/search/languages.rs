//! Which languages an index holds: a query is analysed once for each.

use std::collections::BTreeSet;

use tantivy::Searcher;

use crate::index::Fields;
use crate::index::analysis::group_of;
use crate::index::schema::facet_text;

/// The language codes of the index's documents, from the `lang` facet's
/// term dictionary (a few dozen terms at most: no document is read).
pub fn present_languages(
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<BTreeSet<String>> {
    let mut codes = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.lang)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            let Ok(encoded) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            let code = facet_text(encoded);
            if !code.is_empty() {
                codes.insert(code);
            }
        }
    }
    Ok(codes)
}

/// The analysis groups of the index's languages, English first when there
/// is nothing else to go by (an empty index still compiles queries).
pub fn present_groups(searcher: &Searcher, fields: &Fields) -> tantivy::Result<Vec<usize>> {
    let mut groups: Vec<usize> = present_languages(searcher, fields)?
        .iter()
        .map(|code| group_of(code))
        .collect();
    groups.sort_unstable();
    groups.dedup();
    if groups.is_empty() {
        groups.push(group_of("en"));
    }
    Ok(groups)
}
