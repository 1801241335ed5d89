//! How dossier ranks: the one default configuration every search uses, chosen
//! on real relevance judgments (`cargo bench --bench relevance`, figures in
//! docs/ranking.md) and kept deliberately plain so that it carries over to
//! collections it was not measured on.
//!
//! - BM25 over one field holding title and body together (`text`): scoring
//!   title and body apart ranked worse (SciFact nDCG@10 0.611 vs 0.685).
//! - k1 = 1.2, b = 0.75: a scan of k1 ∈ {0.9 … 2.0} and b ∈ {0.4 … 0.9} moved
//!   nothing by more than noise, so the textbook values stay.
//! - Query words that are English function words ("the", "of", "what") are
//!   dropped when the query has other words: they match everything.
//! - A match in the title adds 0.3 of a title-field BM25 score. A title made
//!   from the text's first line (a collection line or PDF without one) is
//!   scored as a title but not counted again as text: counted twice, the
//!   first line of an abstract outweighed the rest (MED, TIME).
//! - Proximity, after Metzler and Croft's sequential dependence model: each
//!   pair of adjacent query words adds 0.1 of its phrase score when the two
//!   stand within four words of each other.
//! - One configuration for every collection: on the six judged collections
//!   of ../shared/eval it is above plain BM25 on each (docs/ranking.md has
//!   the table, and what each part wins and loses).
//! - Repeated query words keep their weight (tantivy's QueryParser would merge
//!   them; dossier parses its own queries).

use super::bm25::Bm25Params;

pub const BM25: Bm25Params = Bm25Params { k1: 1.2, b: 0.75 };
/// Weight of the title-field score added to the combined field's.
pub const TITLE_WEIGHT: f32 = 0.3;
/// Weight of the score of two adjacent query words standing side by side:
/// none, since they also stand within [`WINDOW_SLOP`] words, and counting
/// them twice over-rewarded long documents (TIME: 0.6808 with it, 0.6887
/// without; see docs/ranking.md).
pub const ADJACENT_WEIGHT: f32 = 0.0;
/// Weight of the score of two adjacent query words within `WINDOW_SLOP` words.
pub const WINDOW_WEIGHT: f32 = 0.1;
pub const WINDOW_SLOP: u32 = 4;

/// The ranking's parts, as one value: [`Ranking::DEFAULT`] for every search;
/// the relevance benchmark switches parts off one at a time to show what
/// each earns (`cargo bench --bench relevance -- --ablation`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranking {
    pub bm25: Bm25Params,
    /// English function words left out of a query with other words.
    pub stop_words: bool,
    /// Share of the title field's score (0: none).
    pub title_weight: f32,
    /// Share of the phrase score of adjacent query words side by side.
    pub adjacent_weight: f32,
    /// Share of their score within [`Ranking::window_slop`] words.
    pub window_weight: f32,
    pub window_slop: u32,
}

impl Ranking {
    pub const DEFAULT: Ranking = Ranking {
        bm25: BM25,
        stop_words: true,
        title_weight: TITLE_WEIGHT,
        adjacent_weight: ADJACENT_WEIGHT,
        window_weight: WINDOW_WEIGHT,
        window_slop: WINDOW_SLOP,
    };

    /// BM25 alone, on title and body together: the baseline.
    pub const PLAIN_BM25: Ranking = Ranking {
        bm25: BM25,
        stop_words: false,
        title_weight: 0.0,
        adjacent_weight: 0.0,
        window_weight: 0.0,
        window_slop: WINDOW_SLOP,
    };
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking::DEFAULT
    }
}

/// English function words (the NLTK list), as the exact analyser writes them.
const STOP_WORDS: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "s",
    "t",
    "can",
    "will",
    "just",
    "don",
    "should",
    "now",
];

pub fn is_stop_word(exact_token: &str) -> bool {
    STOP_WORDS.contains(&exact_token)
}

#[cfg(test)]
mod tests {
    #[test]
    fn stop_words_are_lower_case_and_sorted_out_once() {
        let mut seen = std::collections::HashSet::new();
        for w in super::STOP_WORDS {
            assert_eq!(*w, w.to_lowercase());
            assert!(seen.insert(w), "{w} twice");
        }
    }
}
