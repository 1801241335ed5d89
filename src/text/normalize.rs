//! Unicode composition before stemming. Snowball's rules spell accented
//! letters composed (French `-é`, `-ées`; Spanish, Portuguese, Romanian…),
//! and texts do not all write them so: the French SDG files are decomposed
//! throughout (é as e + U+0301). A stemmer that sees `e` + U+0301 finds no
//! suffix, and `éliminées` would never meet `éliminer`.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A word in Unicode's composed form (NFC), borrowed when it already is.
/// The dot that lower-casing Turkish `İ` leaves (`i` + U+0307: Unicode has
/// no composed form of it) goes too: `ÜLKENİN` must stem as `ülkenin`.
pub fn nfc(word: &str) -> std::borrow::Cow<'_, str> {
    if word.is_ascii() {
        return std::borrow::Cow::Borrowed(word);
    }
    let dotted_i = word.contains("i\u{307}");
    if !dotted_i && is_nfc_quick(word.chars()) == IsNormalized::Yes {
        return std::borrow::Cow::Borrowed(word);
    }
    let word = if dotted_i {
        std::borrow::Cow::Owned(word.replace("i\u{307}", "i"))
    } else {
        std::borrow::Cow::Borrowed(word)
    };
    std::borrow::Cow::Owned(word.nfc().collect())
}

/// Composes each token to NFC.
#[derive(Clone, Copy, Default)]
pub struct Nfc;

impl TokenFilter for Nfc {
    type Tokenizer<T: Tokenizer> = NfcFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> NfcFilter<T> {
        NfcFilter(tokenizer)
    }
}

#[derive(Clone)]
pub struct NfcFilter<T>(T);

impl<T: Tokenizer> Tokenizer for NfcFilter<T> {
    type TokenStream<'a> = NfcStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NfcStream(self.0.token_stream(text))
    }
}

pub struct NfcStream<T>(T);

impl<T: TokenStream> TokenStream for NfcStream<T> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if let std::borrow::Cow::Owned(composed) = nfc(&token.text) {
            token.text = composed;
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decomposed_words_are_composed() {
        assert_eq!(super::nfc("e\u{301}limine\u{301}es"), "éliminées");
        assert_eq!(super::nfc("éliminées"), "éliminées");
        // "ÜLKENİN".to_lowercase() is "ülkeni\u{307}n".
        assert_eq!(super::nfc(&"ÜLKENİN".to_lowercase()), "ülkenin");
        assert!(matches!(super::nfc("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
