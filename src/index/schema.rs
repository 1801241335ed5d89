//! The one place that names every field of the index.
//!
//! Title and body are indexed three ways: stored (for display, snippets and
//! export), stemmed in their language's ranking fields (`title_<code>`,
//! `text_<code>`: see [`crate::text::analysis`]), and exact (`title_exact`,
//! `body_exact`: lower-cased, accents folded, with positions, for quoted
//! phrases: `"human security"` must not match "humans securing"). The body's
//! pairs of common words are a field of their own (`body_pairs`, see
//! [`crate::text::common_pairs`]): a phrase of common words reads one term.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, FacetOptions, Field, IndexRecordOption, NumericOptions,
    STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::text::AnalysisGroup;
use crate::text::analysis::{EXACT_TOKENIZER, GROUP_COUNT};
use crate::text::common_pairs::PAIRS_TOKENIZER;

/// Bumped whenever the schema, the analysers or the index settings change
/// meaning: an index of another version is refused with a message, never
/// read wrongly or slowly. 9: the document store uncompressed.
pub const SCHEMA_VERSION: u32 = 9;

/// The ranking fields of one analysis group.
#[derive(Debug, Clone, Copy)]
pub struct RankingFields {
    /// The title alone, stemmed: scored apart and weighted.
    pub title: Field,
    /// Title and body together, stemmed, with positions: what ranking scores
    /// (one field ranks better than title and body scored apart) and what
    /// proximity boosts read.
    pub text: Field,
}

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
    /// The title as shown.
    pub title: Field,
    pub title_exact: Field,
    pub body: Field,
    pub body_exact: Field,
    /// Adjacent common words of the body, one term a pair (`"united nations"`), with
    /// frequencies but no positions nor lengths: a phrase of two common
    /// words is scored from `body_exact`'s lengths and statistics, as the
    /// phrase itself would be.
    pub body_pairs: Field,
    /// Per analysis group, in the order of [`AnalysisGroup::all`]: see
    /// [`Fields::ranking`].
    ranking: [RankingFields; GROUP_COUNT],
    /// The document's language, ISO 639-1 where there is a code (`en`, `fr`,
    /// `zh`), `und` when it could not be told.
    pub lang: Field,
    pub year: Field,
    pub date: Field,
    pub source: Field,
    pub source_name: Field,
    pub topic: Field,
    /// Values a source's `fields` read from a document's path or address,
    /// as facets `/<name>/<value>` (`/country/THA`): `country:THA` in a
    /// query, `--facet country`, `trend --split country`.
    pub field: Field,
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
    /// The refresh that last wrote the document ([`crate::index::CommitInfo`]'s
    /// `generation`): an export of what changed since an earlier one.
    pub generation: Field,
}

/// How tantivy is to keep dossier's index: the document store uncompressed.
/// The research views read the text of every matching document (kwic over
/// the UN General Debate reads 160 MB of it) and lz4 decompressing it was a
/// third of kwic's time; uncompressed, kwic takes 1.6x ripgrep's time to
/// count the same phrase instead of 2x, for an index a third larger (233 ->
/// 310 MB for 199 MB of speeches) that builds faster. Searches that open an
/// index of other settings take tantivy's slower way in
/// (`search_directory`), and the version below refuses older indexes.
pub fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        ..Default::default()
    }
}

/// Dossier's schema and its field handles, built once per process: a
/// search that first asks the term dictionaries (`index::lexicon`) and then
/// opens the index needs them twice, and building 86 fields is a twelfth of
/// a search that finds nothing.
pub fn dossier_schema() -> (Schema, Fields) {
    static SCHEMA: std::sync::OnceLock<(Schema, Fields)> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(build_schema).clone()
}

pub fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let stemmed = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
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
        title: builder.add_text_field("title", STORED),
        title_exact: builder.add_text_field("title_exact", exact.clone()),
        // Stored for snippets, the concordance and re-tagging; searched through
        // the ranking fields (stemmed) and `body_exact` (phrases).
        body: builder.add_text_field("body", STORED),
        body_exact: builder.add_text_field("body_exact", exact),
        body_pairs: builder.add_text_field(
            "body_pairs",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PAIRS_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqs)
                    .set_fieldnorms(false),
            ),
        ),
        ranking: {
            let mut groups = AnalysisGroup::all();
            std::array::from_fn(|_| {
                let group = groups.next().unwrap_or(AnalysisGroup::OTHER);
                let tokenizer = group.tokenizer_name();
                RankingFields {
                    title: builder.add_text_field(
                        &format!("title_{}", group.code()),
                        stemmed(&tokenizer, IndexRecordOption::WithFreqs),
                    ),
                    text: builder.add_text_field(
                        &format!("text_{}", group.code()),
                        stemmed(&tokenizer, IndexRecordOption::WithFreqsAndPositions),
                    ),
                }
            })
        },
        lang: builder.add_facet_field("lang", FacetOptions::default().set_stored()),
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
        field: builder.add_facet_field("field", FacetOptions::default().set_stored()),
        hash: builder.add_text_field("hash", STRING | STORED | FAST),
        size: builder.add_u64_field("size", FAST | STORED),
        mtime: builder.add_i64_field("mtime", FAST | STORED),
        source_key: builder.add_text_field("source_key", STRING | FAST | STORED),
        provenance: builder.add_text_field("provenance", STORED),
        generation: builder.add_u64_field("generation", FAST | STORED),
    };
    (builder.build(), fields)
}

impl Fields {
    /// The ranking fields of one analysis group.
    pub fn ranking(&self, group: AnalysisGroup) -> RankingFields {
        self.ranking[group.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_has_its_fields() {
        let (schema, fields) = build_schema();
        for group in AnalysisGroup::all() {
            let ranking = fields.ranking(group);
            assert_eq!(
                schema.get_field_name(ranking.text),
                format!("text_{}", group.code())
            );
            assert_eq!(
                schema.get_field_name(ranking.title),
                format!("title_{}", group.code())
            );
        }
    }
}
