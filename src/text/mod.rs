//! The text layer, beneath extraction, indexing and searching: how text is
//! split into words, folded and stemmed in every language, and the small
//! vocabulary every layer speaks (language codes, source and topic ids,
//! ranges of years). It knows nothing of files, indexes or commands.

pub mod analysis;
pub mod fold;
pub mod ids;
pub mod lang;
pub mod stem;
pub mod words;
pub mod years;

pub use analysis::AnalysisGroup;
pub use ids::{IdError, SourceId, TopicId};
pub use lang::LangCode;
pub use years::{YearRange, YearRangeError};
