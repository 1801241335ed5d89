//! Splitting text into words, in every script.
//!
//! One word splitter serves all languages: runs of letters, digits and
//! combining marks are words, and scripts written without spaces between
//! words (Chinese, Japanese kana, Thai, Lao, Khmer, Burmese) become
//! overlapping pairs of characters, as Lucene's CJK analyser does: without a
//! dictionary, a pair is the smallest unit that still finds a word, and a
//! quoted phrase is then its pairs in order, so phrases stay exact in every
//! language.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Characters of scripts written without spaces between words: each run is
/// indexed as overlapping pairs.
fn is_paired(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width Katakana
        | '\u{20000}'..='\u{2FFFF}' // CJK extensions B–F
    )
}

/// Letters, digits, and the marks that belong inside a word (accents written
/// apart, Arabic and Hebrew vowel marks, Indic vowel signs and viramas).
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{05BF}' | '\u{05C1}' | '\u{05C2}' | '\u{05C4}' | '\u{05C5}' | '\u{05C7}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E4}'
            | '\u{06E7}' | '\u{06E8}'
            | '\u{06EA}'..='\u{06ED}')
        || (('\u{0900}'..='\u{0DFF}').contains(&c)
            && !matches!(c, '\u{0964}' | '\u{0965}' | '\u{0970}' | '\u{0DF4}'))
}

/// Byte ranges of the tokens of `text`, in order: words, and pairs within
/// runs of paired scripts (a run of one character is one token).
pub struct Segments<'a> {
    text: &'a str,
    at: usize,
    /// Inside a run of paired characters: where the previous one starts, and
    /// whether a pair was already given.
    run: Option<(usize, bool)>,
}

impl<'a> Segments<'a> {
    pub fn new(text: &'a str) -> Self {
        Segments {
            text,
            at: 0,
            run: None,
        }
    }
}

/// What an ASCII byte is to the splitter: part of a word (letters, digits),
/// or a separator; bytes of other characters are looked at as characters.
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

impl Segments<'_> {
    /// Where the word that starts before `at` ends: letters, digits and
    /// marks, up to a separator or a character of a paired script.
    #[inline]
    fn word_end(&self, mut at: usize) -> usize {
        let bytes = self.text.as_bytes();
        while at < bytes.len() {
            let b = bytes[at];
            if b < 0x80 {
                if !ASCII_WORD[b as usize] {
                    break;
                }
                at += 1;
            } else {
                let c = self.text[at..].chars().next().unwrap_or(' ');
                if !is_word(c) || is_paired(c) {
                    break;
                }
                at += c.len_utf8();
            }
        }
        at
    }
}

impl Iterator for Segments<'_> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        loop {
            if self.run.is_none() {
                // ASCII outside a run: skip separators byte by byte; a word
                // that starts with an ASCII letter or digit (most words, in
                // most texts) is taken without decoding a character. Every
                // body is split three or four times at indexing: this is the
                // hottest loop of a build.
                let mut at = self.at;
                while at < bytes.len() && bytes[at] < 0x80 && !ASCII_WORD[bytes[at] as usize] {
                    at += 1;
                }
                if at < bytes.len() && bytes[at] < 0x80 {
                    self.at = self.word_end(at + 1);
                    return Some((at, self.at));
                }
                self.at = at;
            }
            let c = self.text[self.at..].chars().next();
            if let Some((previous, paired)) = self.run {
                match c {
                    Some(c) if is_paired(c) => {
                        let end = self.at + c.len_utf8();
                        self.run = Some((self.at, true));
                        self.at = end;
                        return Some((previous, end));
                    }
                    _ => {
                        self.run = None;
                        if !paired {
                            return Some((previous, self.at));
                        }
                        continue;
                    }
                }
            }
            let c = c?;
            let start = self.at;
            self.at += c.len_utf8();
            if is_paired(c) {
                self.run = Some((start, false));
            } else if is_word(c) {
                self.at = self.word_end(self.at);
                return Some((start, self.at));
            }
        }
    }
}

/// Tantivy's side of [`Segments`].
#[derive(Clone, Copy, Default)]
pub struct WordTokenizer;

pub struct WordTokenStream<'a> {
    text: &'a str,
    segments: Segments<'a>,
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            segments: Segments::new(text),
            token: Token::default(),
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end)) = self.segments.next() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}
