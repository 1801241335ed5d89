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
