//! Pairs of common words, for quoted phrases made of them.
//!
//! A phrase such as `"human security"` or `"united nations"` is made of words found
//! in nearly every document of a policy library: matching it exactly reads
//! the positions of both words in every document that holds both, which
//! grows with the corpus (at 2 GB, most of a search's time). Lucene's
//! answer, CommonGrams, is borrowed here in a small form: the index keeps one
//! more field whose terms are the pairs of adjacent words that are *both* in
//! [`COMMON_WORDS`], written `"human security"` (exact words never hold a
//! space). A phrase of two such words is then one term's posting list, and a
//! longer phrase holding such a pair reads positions only in the documents
//! that hold the pair.
//!
//! Only pairs of two common words are kept, so the field stays small: about
//! 7% of a UN text's words make one, with no positions; some 15,000
//! distinct terms in the UN General Debate corpus. The list is fixed: changing it changes what the index
//! holds, so it is part of the schema version and means a rebuild.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::analysis::ExactWords;

/// The most frequent content words of UN and NATO policy writing (united,
/// nations, security, council, human, rights, peace, development, women,
/// protection…), in English and the UN's French, Spanish and Russian, with
/// the two words that join them in phrases ("and", "of"; "de", "et", "y",
/// "и"), as the exact analyser folds them (lower case, no accents); sorted,
/// once each (a test checks). Function words such as "the" and "to" are left
/// out on purpose: they would make pairs of a third of a text's words and
/// slow every build by a fifth, for phrases ("of the") nobody researches;
/// with them out, pairs are about 7% of a UN text's words. A word missing
/// here costs speed, never a result: a phrase of other words is matched from
/// its words' positions as before.
pub const COMMON_WORDS: &[&str] = &[
    "achieve",
    "action",
    "agenda",
    "agreement",
    "alliance",
    "allies",
    "and",
    "arms",
    "assembly",
    "assistance",
    "based",
    "basis",
    "call",
    "change",
    "charter",
    "children",
    "civilians",
    "climate",
    "commitment",
    "common",
    "community",
    "concern",
    "conditions",
    "conference",
    "conflict",
    "conflicts",
    "conseil",
    "consejo",
    "continue",
    "cooperation",
    "council",
    "countries",
    "country",
    "crimes",
    "crisis",
    "de",
    "defence",
    "defense",
    "delegation",
    "democratic",
    "derechos",
    "desarrollo",
    "determination",
    "developed",
    "developing",
    "development",
    "developpement",
    "disarmament",
    "droits",
    "economic",
    "education",
    "effective",
    "efforts",
    "end",
    "ensure",
    "et",
    "fact",
    "financial",
    "first",
    "force",
    "forces",
    "foreign",
    "free",
    "freedom",
    "full",
    "future",
    "general",
    "global",
    "good",
    "government",
    "great",
    "health",
    "high",
    "history",
    "homme",
    "hope",
    "human",
    "humanitarian",
    "humanos",
    "implementation",
    "important",
    "independence",
    "interests",
    "internacional",
    "international",
    "internationale",
    "issues",
    "justice",
    "last",
    "law",
    "life",
    "long",
    "major",
    "make",
    "means",
    "measures",
    "meeting",
    "member",
    "members",
    "military",
    "mission",
    "missions",
    "naciones",
    "national",
    "nations",
    "nato",
    "need",
    "negotiations",
    "nuclear",
    "of",
    "operation",
    "operations",
    "opportunity",
    "order",
    "organization",
    "paises",
    "paix",
    "part",
    "particular",
    "parties",
    "pays",
    "paz",
    "peace",
    "peaceful",
    "people",
    "peoples",
    "place",
    "policy",
    "political",
    "possible",
    "poverty",
    "power",
    "powers",
    "present",
    "president",
    "principles",
    "problem",
    "problems",
    "process",
    "progress",
    "protect",
    "protection",
    "question",
    "recent",
    "regard",
    "region",
    "regional",
    "relations",
    "republic",
    "resolution",
    "resolutions",
    "resources",
    "respect",
    "responsibility",
    "right",
    "rights",
    "role",
    "secretary",
    "securite",
    "security",
    "seguridad",
    "self",
    "session",
    "settlement",
    "situation",
    "small",
    "social",
    "solution",
    "special",
    "stability",
    "state",
    "states",
    "support",
    "sustainable",
    "system",
    "take",
    "terrorism",
    "time",
    "today",
    "trade",
    "treaty",
    "two",
    "unidas",
    "unies",
    "union",
    "united",
    "use",
    "view",
    "violence",
    "war",
    "way",
    "weapons",
    "women",
    "work",
    "world",
    "y",
    "year",
    "years",
    "безопасности",
    "и",
    "мира",
    "наций",
    "объединенных",
    "совета",
];

/// Whether `word` (an exact token) is one of [`COMMON_WORDS`]. Asked of
/// every word of every body at indexing: a hash set, not a search of the list.
pub fn is_common(word: &str) -> bool {
    static SET: LazyLock<FxHashSet<&'static str>> =
        LazyLock::new(|| COMMON_WORDS.iter().copied().collect());
    word.len() <= MAX_COMMON_BYTES && SET.contains(word)
}

/// The longest common word, in bytes: longer words need no lookup.
const MAX_COMMON_BYTES: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < COMMON_WORDS.len() {
        if COMMON_WORDS[i].len() > max {
            max = COMMON_WORDS[i].len();
        }
        i += 1;
    }
    max
};

/// The pair field's term for two adjacent exact words, or `None` unless both
/// are common.
pub fn common_pair(first: &str, second: &str) -> Option<String> {
    (is_common(first) && is_common(second)).then(|| {
        let mut term = String::new();
        write_pair(&mut term, first, second);
        term
    })
}

/// Writes the pair term of two words into `term`, the one place its form is
/// made (exact words never hold a space, so a space joins them), for the
/// index's tokens and the queries' terms alike.
fn write_pair(term: &mut String, first: &str, second: &str) {
    term.clear();
    term.push_str(first);
    term.push(' ');
    term.push_str(second);
}

/// The name the pair field's tokenizer is registered under.
pub const PAIRS_TOKENIZER: &str = "dossier_common_pairs";

/// The pair field's tokenizer: for each two words of the exact analyser at
/// adjacent positions that are both common, one token `"first second"` at
/// the first word's position, spanning both. Words the exact analyser drops
/// (too long, folded to nothing) leave a gap, as they do for phrases, so a
/// pair is never made across one. Pairs are made as tantivy asks for them:
/// a body of nothing but common words holds no list of its pairs.
#[derive(Clone, Copy, Default)]
pub struct CommonPairTokenizer;

/// The pairs of one text, one at a time.
pub struct CommonPairStream<'a> {
    words: ExactWords<'a>,
    /// The previous word, when it was common: its start and position.
    previous: Option<(usize, usize)>,
    previous_word: String,
    token: Token,
}

impl Tokenizer for CommonPairTokenizer {
    type TokenStream<'a> = CommonPairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CommonPairStream<'a> {
        CommonPairStream {
            words: ExactWords::new(text),
            previous: None,
            previous_word: String::new(),
            token: Token::default(),
        }
    }
}

impl TokenStream for CommonPairStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, end, position)) = self.words.next_word() {
            let word = self.words.word();
            if !is_common(word) {
                self.previous = None;
                continue;
            }
            let made = match self.previous {
                Some((from, at)) if at + 1 == position => {
                    let token = &mut self.token;
                    write_pair(&mut token.text, &self.previous_word, word);
                    token.offset_from = from;
                    token.offset_to = end;
                    token.position = at;
                    token.position_length = 2;
                    true
                }
                _ => false,
            };
            self.previous = Some((start, position));
            self.previous_word.clear();
            self.previous_word.push_str(word);
            if made {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analysis::{analyze, exact_analyzer};

    fn pairs(text: &str) -> Vec<(usize, String)> {
        let mut tokenizer = CommonPairTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().position, stream.token().text.clone()));
        }
        out
    }

    #[test]
    fn the_list_is_sorted_and_folded_as_the_index_folds() {
        assert!(
            COMMON_WORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted, once each"
        );
        let mut exact = exact_analyzer();
        for word in COMMON_WORDS {
            assert_eq!(analyze(&mut exact, word), [*word], "{word}");
        }
    }

    #[test]
    fn pairs_of_two_common_words_only() {
        assert_eq!(
            pairs("The Human Security of Kosovo and the United Nations."),
            [
                (1, "human security".to_string()),
                (2, "security of".to_string()),
                (7, "united nations".to_string()),
            ]
        );
        assert_eq!(
            pairs("Sécurité de l’homme"),
            [(0, "securite de".to_string())]
        );
        assert!(pairs("kosovo force").is_empty());
        assert!(pairs("of the").is_empty(), "function words make no pair");
    }

    #[test]
    fn no_pair_across_a_word_the_analyser_drops() {
        // A word longer than the analyser keeps holds a position, as in phrases.
        let long = "x".repeat(70);
        assert!(pairs(&format!("human {long} security")).is_empty());
        assert_eq!(pairs("human security").len(), 1);
    }

    #[test]
    fn offsets_span_both_words() {
        let mut tokenizer = CommonPairTokenizer;
        let text = "For the   United Nations and  Peace";
        let mut stream = tokenizer.token_stream(text);
        let mut spans = Vec::new();
        while stream.advance() {
            let t = stream.token();
            spans.push(&text[t.offset_from..t.offset_to]);
        }
        assert_eq!(spans, ["United Nations", "Nations and", "and  Peace"]);
    }
}
