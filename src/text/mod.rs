//! The text layer, beneath extraction, indexing and searching: how text is
//! split into words, folded and stemmed in every language, and the small
//! vocabulary every layer speaks (language codes, source and topic ids,
//! ranges of years). It speaks tantivy's tokenizer and facet types, but knows
//! nothing of files, of what an index holds, or of commands.

pub mod analysis;
pub mod common_pairs;
pub mod controls;
pub mod fold;
pub mod ids;
pub mod json;
pub mod lang;
pub mod normalize;
pub mod stem;
pub mod words;
pub mod years;

pub use analysis::AnalysisGroup;
pub use ids::{IdError, SourceId, TopicId};
pub use lang::LangCode;
pub use years::{YearRange, YearRangeError};
