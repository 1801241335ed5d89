//! Folding beyond what tantivy's ASCII folding does, so that a word typed one
//! way finds it written another (see [`ScriptFold`]).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Folding beyond Latin accents: combining marks written apart (after ASCII
/// folding, only accents are left of them), Arabic vowel marks and tatweel,
/// the forms of alef, alef maqsura and teh marbuta (as Lucene's Arabic
/// normaliser does), Cyrillic ё, and Greek accents and final sigma. A reader types these inconsistently, and
/// texts write them inconsistently.
#[derive(Clone, Copy, Default)]
pub struct ScriptFold;

pub fn fold_script(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let folded = |c: char| -> Option<Option<char>> {
        Some(match c {
            '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            'ё' => Some('е'),
            // Greek: final sigma and accents (tonos, dialytika), which
            // capitals drop: ΧΩΡΑΣ lower-cases to χωρασ, the text writes χώρας.
            'ς' => Some('σ'),
            'ά' => Some('α'),
            'έ' => Some('ε'),
            'ή' => Some('η'),
            'ί' | 'ϊ' | 'ΐ' => Some('ι'),
            'ό' => Some('ο'),
            'ύ' | 'ϋ' | 'ΰ' => Some('υ'),
            'ώ' => Some('ω'),
            _ => return None,
        })
    };
    if !word.chars().any(|c| folded(c).is_some()) {
        return None;
    }
    Some(
        word.chars()
            .filter_map(|c| folded(c).unwrap_or(Some(c)))
            .collect(),
    )
}

impl TokenFilter for ScriptFold {
    type Tokenizer<T: Tokenizer> = ScriptFoldFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ScriptFoldFilter<T> {
        ScriptFoldFilter(tokenizer)
    }
}

#[derive(Clone)]
pub struct ScriptFoldFilter<T>(T);

impl<T: Tokenizer> Tokenizer for ScriptFoldFilter<T> {
    type TokenStream<'a> = ScriptFoldStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ScriptFoldStream(self.0.token_stream(text))
    }
}

pub struct ScriptFoldStream<T>(T);

impl<T: TokenStream> TokenStream for ScriptFoldStream<T> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.0.advance() {
                return false;
            }
            let token = self.0.token_mut();
            if let Some(folded) = fold_script(&token.text) {
                token.text = folded;
            }
            // A token of marks alone folds to nothing: not a word.
            if !token.text.is_empty() {
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}
