//! Stemming: a Snowball stemmer behind a cache. Stemming was a fifth of a full build's
//! time (perf), and text repeats its words: a Zipfian vocabulary means a few
//! thousand words make up most tokens, so each analyser instance remembers
//! the stems it computed. The output is exactly the stemmer's, so the index
//! and its analysers mean the same as with tantivy's `Stemmer`.

use std::borrow::Cow;

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyser before the cache starts over: enough for a
/// corpus's common vocabulary, bounded for runaway ones.
const MAX_CACHED_WORDS: usize = 200_000;

/// A Snowball stemmer, and for Arabic the conjunctions Snowball leaves: it
/// strips the article from "الفقر" (the poverty) but not from "والفقر" (and
/// the poverty), since a word may itself begin with و or ف; before the
/// article they can only be conjunctions, so they go, as in Lucene's Arabic
/// stemmer.
pub struct WordStemmer {
    stemmer: frostem::Stemmer,
    arabic: bool,
}

impl WordStemmer {
    pub fn new(algorithm: Algorithm) -> Self {
        WordStemmer {
            stemmer: frostem::Stemmer::new(algorithm),
            arabic: algorithm == Algorithm::Arabic,
        }
    }

    pub fn stem(&self, word: &str) -> String {
        let word = if self.arabic {
            strip_conjunction(word)
        } else {
            word
        };
        match self.stemmer.stem(word) {
            Cow::Owned(stem) => stem,
            Cow::Borrowed(stem) => stem.to_string(),
        }
    }
}

/// `والفقر` → `الفقر`, `فالفقر` → `الفقر`; a word of three letters or fewer
/// after the article keeps its first letter (it may be a root letter).
fn strip_conjunction(word: &str) -> &str {
    for prefix in ["وال", "فال"] {
        if let Some(rest) = word.strip_prefix(prefix)
            && rest.chars().count() >= 2
        {
            return &word[prefix.len() - "ال".len()..];
        }
    }
    word
}

#[derive(Clone, Copy)]
pub struct CachedStemmer {
    algorithm: Algorithm,
}

impl CachedStemmer {
    pub fn new(algorithm: Algorithm) -> Self {
        CachedStemmer { algorithm }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            algorithm: self.algorithm,
            cache: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    algorithm: Algorithm,
    cache: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > MAX_CACHED_WORDS {
            self.cache.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
            stemmer: WordStemmer::new(self.algorithm),
        }
    }
}

pub struct CachedStemmerStream<'a, T> {
    tail: T,
    cache: &'a mut FxHashMap<String, String>,
    stemmer: WordStemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text);
        self.cache
            .insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Stems a word both ways a reader may have typed it, for the index: as
/// written (accents and all, then folded), which Snowball's accented suffixes
/// need (`éliminées` → `elimin`), and folded first, as a reader who types
/// without accents gets (`securite` → `securit`, where `sécurité` written
/// gives `secur`). When the two differ, both are indexed at the word's
/// position; a query is stemmed as written only (see
/// [`crate::text::AnalysisGroup::query_analyzer`]), and finds the document
/// either way. ASCII words are stemmed once: folding leaves them as they are.
#[derive(Clone)]
pub struct DualStemmer {
    algorithm: Algorithm,
}

impl DualStemmer {
    pub fn new(algorithm: Algorithm) -> Self {
        DualStemmer { algorithm }
    }
}

/// The stems of one word: as written then folded, and folded then stemmed
/// when that differs.
pub fn dual_stems(
    stemmer: &WordStemmer,
    folder: &mut TextAnalyzer,
    word: &str,
) -> (String, Option<String>) {
    let as_written = fold_word(folder, &stemmer.stem(word));
    if word.is_ascii() {
        return (as_written, None);
    }
    let folded_first = stemmer.stem(&fold_word(folder, word));
    if folded_first == as_written {
        (as_written, None)
    } else {
        (as_written, Some(folded_first))
    }
}

/// The analyser [`fold_word`] folds with: built once per stemmer filter,
/// not once per word.
fn folder() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(tantivy::tokenizer::AsciiFoldingFilter)
        .build()
}

/// A word folded as the analysers fold: Latin accents to ASCII, then
/// [`super::fold::fold_script`].
fn fold_word(folder: &mut TextAnalyzer, word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    let mut stream = folder.token_stream(word);
    let ascii = match stream.next() {
        Some(token) => token.text.clone(),
        None => word.to_string(),
    };
    super::fold::fold_script(&ascii).unwrap_or(ascii)
}

impl TokenFilter for DualStemmer {
    type Tokenizer<T: Tokenizer> = DualStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DualStemmerFilter<T> {
        DualStemmerFilter {
            inner: tokenizer,
            algorithm: self.algorithm,
            cache: FxHashMap::default(),
            folder: folder(),
        }
    }
}

#[derive(Clone)]
pub struct DualStemmerFilter<T> {
    inner: T,
    algorithm: Algorithm,
    cache: FxHashMap<String, (String, Option<String>)>,
    folder: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for DualStemmerFilter<T> {
    type TokenStream<'a> = DualStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > MAX_CACHED_WORDS {
            self.cache.clear();
        }
        DualStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
            folder: &mut self.folder,
            stemmer: WordStemmer::new(self.algorithm),
            second: None,
            token: Token::default(),
        }
    }
}

pub struct DualStemmerStream<'a, T> {
    tail: T,
    cache: &'a mut FxHashMap<String, (String, Option<String>)>,
    folder: &'a mut TextAnalyzer,
    stemmer: WordStemmer,
    /// The folded-first stem still to give, at the same position.
    second: Option<String>,
    token: Token,
}

impl<T: TokenStream> TokenStream for DualStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if let Some(second) = self.second.take() {
            self.token.text = second;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        // Every token of every body passes here: the stems are copied into
        // the token's own buffer, with no allocation when the cache has them.
        let tail = self.tail.token();
        let (first, second) = match self.cache.get(tail.text.as_str()) {
            Some(stems) => stems,
            None => {
                let stems = dual_stems(&self.stemmer, self.folder, &tail.text);
                self.cache.entry(tail.text.clone()).or_insert(stems)
            }
        };
        self.token.offset_from = tail.offset_from;
        self.token.offset_to = tail.offset_to;
        self.token.position = tail.position;
        self.token.position_length = tail.position_length;
        self.token.text.clear();
        self.token.text.push_str(first);
        self.second = second.clone();
        true
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
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;

    #[test]
    fn same_stems_as_tantivys_stemmer() {
        let text = "Humans securing the securities of civilians; civilian protections protected \
                    generously, happily, happiness, running runs ran. Humans again, securing again.";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::default())
            .build();
        let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer::new(Algorithm::English))
            .build();
        let a = crate::text::analysis::analyze(&mut plain, text);
        // Twice: the second pass is served from the cache.
        for _ in 0..2 {
            assert_eq!(crate::text::analysis::analyze(&mut cached, text), a);
        }
    }
}
