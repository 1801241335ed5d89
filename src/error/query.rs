//! What can be wrong with a query as typed: each error says what, and at
//! which character (counted from 1), so that a reader finds it in what they
//! typed.

use crate::text::YearRangeError;

/// The fields a query may name, for the error that lists them.
pub const QUERY_FIELDS: &str = "title, body, source, topic, year, lang, id";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is longer than {max} characters")]
    TooLong { max: usize },

    #[error("the query is empty: give words to search for, or '*' for every document")]
    Empty,

    #[error("the query is empty: give words to search for")]
    NoPlainWords,

    /// Occurrences are of words: `*` and field filters pick documents.
    #[error(
        "the query has no words or phrases whose occurrences can be listed or counted: '*' and field filters (year:, country:, …) pick documents, not words; add a word or a phrase to them"
    )]
    NoWordsToShow,

    #[error("unbalanced quotes: the phrase opened at character {at} is never closed")]
    UnclosedQuote { at: usize },

    #[error("unbalanced parentheses: the '(' at character {at} is never closed")]
    UnclosedParenthesis { at: usize },

    #[error("unbalanced parentheses: the ')' at character {at} closes nothing")]
    StrayParenthesis { at: usize },

    #[error("empty parentheses or a stray ')' at character {at}")]
    EmptyParentheses { at: usize },

    #[error("'{operator}' at character {at} needs something to search on both sides")]
    MissingOperand { operator: &'static str, at: usize },

    #[error("'NOT' at character {at} needs something after it")]
    NothingToNegate { at: usize },

    #[error("the query nests parentheses or NOTs more than {max} deep")]
    TooDeep { max: usize },

    #[error(
        "'{field}:' at character {at} needs a value right after the colon, e.g. {field}:{example}"
    )]
    MissingValue {
        field: String,
        at: usize,
        example: String,
    },

    #[error("'{field}:' at character {at} needs an id such as {field}:{example}")]
    BadId {
        field: &'static str,
        at: usize,
        example: &'static str,
    },

    #[error(
        "'year:' at character {at}: {reason} (e.g. year:2022, year:1999..2008, year:2015.. or year:..1999)"
    )]
    BadYears { at: usize, reason: YearRangeError },

    #[error(
        "'lang:' at character {at} needs a language code such as lang:fr (ISO 639-1; und for documents whose language was not told)"
    )]
    BadLanguage { at: usize },

    #[error(
        "unknown field '{field}' at character {at}: the fields are {QUERY_FIELDS}{others} (to search for text with a colon, quote it)"
    )]
    UnknownField {
        field: String,
        at: usize,
        /// ", country, session": the keyword fields the index holds.
        others: String,
    },

    #[error(
        "'{word}:' at character {at} is no field: a colon right after a word makes it a field name (the fields are {QUERY_FIELDS}{others}); to search for the words, put them in quotes: \"{word}: …\""
    )]
    ColonMadeAField {
        word: String,
        at: usize,
        /// ", country, session": the keyword fields the index holds.
        others: String,
    },

    #[error(
        "'{word}' at character {at}: a prefix needs at least 2 letters before the '*' (kosov*)"
    )]
    ShortPrefix { word: String, at: usize },

    #[error("'{word}' at character {at}: a '*' may only end a word (kosov*)")]
    StarInsideWord { word: String, at: usize },

    #[error(
        "the '~' at character {at} needs a number right after it: \"nato human security\"~10 finds the words within 10 moves of each other"
    )]
    BadSlop { at: usize },

    #[error("the '~' at character {at} allows at most {max} moves")]
    SlopTooLarge { at: usize, max: u32 },

    #[error("'{word}': a prefix must be one word (kosov*)")]
    PrefixNotOneWord { word: String },

    #[error("the query has nothing to search for")]
    NothingToSearch,

    #[error("unexpected text after the end of the query")]
    TrailingText,

    #[error("expected a word, a phrase or '('")]
    ExpectedTerm,

    #[error("the query has no searchable words (only punctuation or symbols)")]
    NoSearchableWords,
}

impl QueryError {
    /// Whether reading the text as plain words (no operators, no fields)
    /// would have avoided this error: the caller may say how to ask for it.
    pub fn plain_words_would_do(&self) -> bool {
        matches!(
            self,
            QueryError::UnclosedQuote { .. }
                | QueryError::UnclosedParenthesis { .. }
                | QueryError::StrayParenthesis { .. }
                | QueryError::UnknownField { .. }
                | QueryError::MissingValue { .. }
                | QueryError::ColonMadeAField { .. }
                | QueryError::StarInsideWord { .. }
                | QueryError::ShortPrefix { .. }
                | QueryError::BadSlop { .. }
        )
    }
}
