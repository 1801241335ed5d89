//! The one place that names every field of the index and its analysers.
//!
//! The body (and title) is indexed twice: stemmed (`body`, English Snowball
//! stemmer, for recall on unquoted words) and exact (`body_exact`: lower-cased,
//! accents folded, with positions, for quoted phrases: `"human security"` must
//! not match "humans securing"). Custom tokenizers are not stored in the index,
//! so [`register_tokenizers`] runs every time an index is opened.

use tantivy::Index;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, FacetOptions, Field, IndexRecordOption, NumericOptions,
    STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

use super::stem_cache::CachedEnglishStemmer;

/// Bumped whenever the schema or the analysers change meaning: an index of
/// another version is refused with a message, never read wrongly.
pub const SCHEMA_VERSION: u32 = 3;

pub const STEM_TOKENIZER: &str = "dossier_stem";
pub const EXACT_TOKENIZER: &str = "dossier_exact";

/// Tokens longer than this are dropped: base64 blobs and runaway strings are
/// not words, and they bloat the term dictionary.
const MAX_TOKEN_BYTES: usize = 64;

/// Field handles, looked up once from the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Unique: the file's id (its path relative to the sources folder,
    /// `/`-separated), or for a line of a JSON Lines collection `<file>#<_id>`.
    pub id: Field,
    /// The id of the file the document came from: a refresh replaces or removes
    /// all of a file's documents together.
    pub file: Field,
    /// Path of the file as it was read.
    pub path: Field,
    pub url: Field,
    pub title: Field,
    pub title_exact: Field,
    pub body: Field,
    pub body_exact: Field,
    /// Title and body together, stemmed, with positions: what ranking scores
    /// (one field ranks better than title and body scored apart) and what
    /// proximity boosts read.
    pub text: Field,
    pub year: Field,
    pub date: Field,
    pub source: Field,
    pub source_name: Field,
    pub topic: Field,
    /// BLAKE3 of the file's bytes, hex: confirms a change that size and mtime suggest.
    pub hash: Field,
    pub size: Field,
    pub mtime: Field,
    /// Fingerprint of the source settings the document was indexed with
    /// (source id, name, default topics): when `sources.toml` changes, the
    /// documents it affects are indexed again.
    pub source_key: Field,
    /// JSON: where the title, date and year came from, format and encoding.
    pub provenance: Field,
}

pub fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let stemmed = |stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(STEM_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(EXACT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED | FAST),
        file: builder.add_text_field("file", STRING | STORED | FAST),
        path: builder.add_text_field("path", STORED),
        url: builder.add_text_field("url", STRING | STORED),
        title: builder.add_text_field("title", stemmed(true)),
        title_exact: builder.add_text_field("title_exact", exact.clone()),
        // Stored for snippets, the concordance and re-tagging; searched through
        // `text` (stemmed) and `body_exact` (phrases).
        body: builder.add_text_field("body", STORED),
        body_exact: builder.add_text_field("body_exact", exact),
        text: builder.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(STEM_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        year: builder.add_u64_field(
            "year",
            NumericOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored(),
        ),
        date: builder.add_date_field(
            "date",
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored()
                .set_precision(DateTimePrecision::Seconds),
        ),
        source: builder.add_facet_field("source", FacetOptions::default().set_stored()),
        source_name: builder.add_text_field("source_name", STORED),
        topic: builder.add_facet_field("topic", FacetOptions::default().set_stored()),
        hash: builder.add_text_field("hash", STRING | STORED | FAST),
        size: builder.add_u64_field("size", FAST | STORED),
        mtime: builder.add_i64_field("mtime", FAST | STORED),
        source_key: builder.add_text_field("source_key", STRING | FAST | STORED),
        provenance: builder.add_text_field("provenance", STORED),
    };
    (builder.build(), fields)
}

/// Stemmed analyser: words, lower-cased, accents folded, English Snowball stems.
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedEnglishStemmer)
        .build()
}

/// Exact analyser: the same words, not stemmed.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(STEM_TOKENIZER, stem_analyzer());
    index
        .tokenizers()
        .register(EXACT_TOKENIZER, exact_analyzer());
}

/// Calls `f(start, end, position, word)` for each token the exact analyser
/// gives for `text`, in order, with the same words, byte offsets and
/// positions, several times faster: ASCII words (most of them) are
/// lower-cased in place of running the filter chain, and only words with
/// other letters go through the analyser. Snippets, the concordance and topic
/// tagging scan whole documents with it.
pub fn for_each_exact_token(text: &str, mut f: impl FnMut(usize, usize, usize, &str)) {
    let mut analyzer: Option<TextAnalyzer> = None;
    let mut word = String::new();
    let mut position = 0usize;
    let mut start: Option<usize> = None;
    let mut emit = |from: usize, to: usize, position: &mut usize| {
        let token = &text[from..to];
        let at = *position;
        *position += 1;
        if token.len() > MAX_TOKEN_BYTES {
            return;
        }
        if token.is_ascii() {
            word.clear();
            word.extend(token.bytes().map(|b| b.to_ascii_lowercase() as char));
            f(from, to, at, &word);
        } else {
            let analyzer = analyzer.get_or_insert_with(exact_analyzer);
            let mut stream = analyzer.token_stream(token);
            if let Some(t) = stream.next() {
                f(from, to, at, &t.text);
            }
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(from) = start.take() {
            emit(from, i, &mut position);
        }
    }
    if let Some(from) = start {
        emit(from, text.len(), &mut position);
    }
}

/// The analysed tokens of `text`, as the index sees them.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.text.clone());
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_exact_tokens_are_the_analysers() {
        let long = "x".repeat(70);
        for text in [
            "Human Security, protection-of-civilians; 1999/2000 ½ Résolution 1325 (2000)",
            "Curly ’quotes’ and “dashes” — ÆSIR Ærø straße İstanbul ǅemal ﬁne",
            &format!("before {long} after a{long}b end"),
            "",
            "   ",
            "数字 and العربية text Ⅻ ①",
        ] {
            let mut analyzer = exact_analyzer();
            let mut stream = analyzer.token_stream(text);
            let mut expected = Vec::new();
            while let Some(t) = stream.next() {
                expected.push((t.offset_from, t.offset_to, t.position, t.text.clone()));
            }
            let mut got = Vec::new();
            for_each_exact_token(text, |s, e, p, w| got.push((s, e, p, w.to_string())));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn stemmed_and_exact_differ_only_by_stemming() {
        assert_eq!(
            analyze(&mut stem_analyzer(), "Humans securing Sécurité"),
            ["human", "secur", "securit"]
        );
        assert_eq!(
            analyze(&mut exact_analyzer(), "Humans securing Sécurité"),
            ["humans", "securing", "securite"]
        );
        assert_eq!(
            analyze(&mut exact_analyzer(), "conflict-related"),
            ["conflict", "related"]
        );
    }
}
