//! Where a query matches in one document's text: what `show --match`
//! highlights. Matches mean what a search's matches mean: phrases where
//! their words stand in order, words wherever their stem appears (in the
//! document's language).

use super::compiler::QueryCompiler;
use super::grammar::parse_query;
use super::matcher::Matcher;
use super::stored::StoredDocument;
use crate::Result;
use crate::index::Fields;
use crate::text::AnalysisGroup;

/// Byte ranges of the body of `doc` where `query` matches, in order.
pub fn matches_in(
    fields: Fields,
    doc: &StoredDocument,
    query: &str,
) -> Result<Vec<(usize, usize)>> {
    let node = parse_query(query)?;
    // What to highlight does not depend on the index's languages: any
    // group compiles it.
    let highlights =
        QueryCompiler::new(fields, &[AnalysisGroup::ENGLISH], Default::default()).highlights(&node);
    Ok(Matcher::new(highlights, doc.lang)
        .find(&doc.body)
        .iter()
        .map(|m| (m.start, m.end))
        .collect())
}
