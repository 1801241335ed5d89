//! Tokens made all at once, handed to tantivy one by one.
//!
//! The document tokenizers that scan a text with
//! [`super::analysis::for_each_exact_token`] (the exact words, their common
//! pairs) find every token in one pass; this keeps them in one string and
//! one list, with no allocation per token, and streams them to the indexer.

use tantivy::tokenizer::{Token, TokenStream};

/// The tokens of one text: their texts one after another, and where each lies.
#[derive(Clone, Default)]
pub struct TokenBuffer {
    texts: String,
    spans: Vec<Span>,
    token: Token,
}

#[derive(Clone)]
struct Span {
    text: (usize, usize),
    offsets: (usize, usize),
    position: usize,
    position_length: usize,
}

impl TokenBuffer {
    /// Empties the buffer for the next text, keeping its memory.
    pub fn clear(&mut self) {
        self.texts.clear();
        self.spans.clear();
    }

    /// Adds a token made of `parts` written one after another.
    pub fn push(
        &mut self,
        parts: &[&str],
        offsets: (usize, usize),
        position: usize,
        position_length: usize,
    ) {
        let start = self.texts.len();
        for part in parts {
            self.texts.push_str(part);
        }
        self.spans.push(Span {
            text: (start, self.texts.len()),
            offsets,
            position,
            position_length,
        });
    }

    /// The tokens, as tantivy reads them.
    pub fn stream(&mut self) -> BufferedTokens<'_> {
        self.token.reset();
        BufferedTokens {
            texts: &self.texts,
            spans: self.spans.iter(),
            token: &mut self.token,
        }
    }
}

/// A [`TokenBuffer`]'s tokens, one at a time.
pub struct BufferedTokens<'a> {
    texts: &'a str,
    spans: std::slice::Iter<'a, Span>,
    token: &'a mut Token,
}

impl TokenStream for BufferedTokens<'_> {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.next() else {
            return false;
        };
        self.token.text.clear();
        self.token
            .text
            .push_str(&self.texts[span.text.0..span.text.1]);
        self.token.offset_from = span.offsets.0;
        self.token.offset_to = span.offsets.1;
        self.token.position = span.position;
        self.token.position_length = span.position_length;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}
