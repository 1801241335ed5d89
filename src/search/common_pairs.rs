//! A quoted phrase of two common words, answered from the pair field.
//!
//! `"human security"` matched as a phrase reads the positions of "human"
//! and "security" in every document holding both; the index's pair field
//! (see [`crate::text::common_pairs`]) holds the term `human security` with
//! its count in each document, which is the phrase's count. This query reads
//! that one posting list and scores it exactly as tantivy scores the phrase:
//! BM25 with the sum of the words' idf, the phrase's count as the term
//! frequency, and the exact field's document lengths. Results and scores
//! are the phrase's; only the work differs.

use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, Score, SegmentReader, Term};

use super::bm25::{PostingsScorer, explain_one, phrase_weight};

/// Two adjacent common words: `pair` in the pair field, `words` the same
/// words in the exact field (whose statistics and lengths score it).
#[derive(Debug, Clone)]
pub struct CommonPairQuery {
    pair: Term,
    words: [Term; 2],
}

impl CommonPairQuery {
    pub fn new(pair: Term, words: [Term; 2]) -> Self {
        CommonPairQuery { pair, words }
    }
}

impl Query for CommonPairQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CommonPairWeight {
            pair: self.pair.clone(),
            lengths_of: self.words[0].field(),
            bm25: phrase_weight(enable_scoring, &self.words)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.pair, false);
    }
}

struct CommonPairWeight {
    pair: Term,
    /// The exact field, whose document lengths score the pair.
    lengths_of: Field,
    /// `None` when scores are not asked for.
    bm25: Option<Bm25Weight>,
}

impl Weight for CommonPairWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let bm25 = self.bm25.as_ref().map(|bm25| bm25.boost_by(boost));
        PostingsScorer::open(reader, &self.pair, self.lengths_of, move |length, tf| {
            bm25.as_ref().map_or(1.0, |bm25| bm25.score(length, tf))
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_one(
            self.scorer(reader, 1.0)?,
            doc,
            "BM25 of a phrase of two common words (from the pair field)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analysis::{EXACT_TOKENIZER, exact_analyzer};
    use crate::text::common_pairs::{CommonPairTokenizer, PAIRS_TOKENIZER, common_pair};
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::PhraseQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use tantivy::{Index, TantivyDocument};

    /// The pair query finds the documents the phrase finds, with the same
    /// scores, whatever stands between or around the words.
    #[test]
    fn the_pair_answers_as_the_phrase_does() {
        let mut builder = Schema::builder();
        let field = |tokenizer: &str, record: IndexRecordOption, norms: bool| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(record)
                    .set_fieldnorms(norms),
            )
        };
        let exact = builder.add_text_field(
            "exact",
            field(
                EXACT_TOKENIZER,
                IndexRecordOption::WithFreqsAndPositions,
                true,
            ),
        );
        let pairs = builder.add_text_field(
            "pairs",
            field(PAIRS_TOKENIZER, IndexRecordOption::WithFreqs, false),
        );
        let index = Index::create_in_ram(builder.build());
        index
            .tokenizers()
            .register(EXACT_TOKENIZER, exact_analyzer());
        index
            .tokenizers()
            .register(PAIRS_TOKENIZER, CommonPairTokenizer);
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(1, 20_000_000)
            .unwrap();
        let long = "x".repeat(70);
        let texts = [
            "Human security, human security and HUMAN SECURITY.".to_string(),
            "Human security in a long text about many other things than it.".to_string(),
            "Security of the human person; human, security.".to_string(),
            format!("human {long} security"),
            "human\u{301} security".to_string(),
            "The United Nations and human security.".to_string(),
            "nothing here".to_string(),
        ];
        for text in &texts {
            let mut doc = TantivyDocument::new();
            doc.add_text(exact, text);
            doc.add_text(pairs, text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        for (a, b) in [
            ("human", "security"),
            ("united", "nations"),
            ("security", "of"),
        ] {
            let words = [
                Term::from_field_text(exact, a),
                Term::from_field_text(exact, b),
            ];
            let pair = Term::from_field_text(pairs, &common_pair(a, b).unwrap());
            let ours = CommonPairQuery::new(pair, words.clone());
            let phrase = PhraseQuery::new(words.to_vec());
            let top = TopDocs::with_limit(10).order_by_score();
            let got = searcher.search(&ours, &top).unwrap();
            let expected = searcher.search(&phrase, &top).unwrap();
            assert!(!expected.is_empty(), "{a} {b}");
            assert_eq!(got.len(), expected.len(), "{a} {b}");
            for ((s1, d1), (s2, d2)) in got.iter().zip(&expected) {
                assert_eq!(d1, d2, "{a} {b}");
                assert!((s1 - s2).abs() < 1e-6, "{a} {b}: {s1} vs {s2}");
            }
            assert_eq!(
                searcher.search(&ours, &Count).unwrap(),
                searcher.search(&phrase, &Count).unwrap()
            );
        }
    }
}
