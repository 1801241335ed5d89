//! BM25 with parameters of our choosing. tantivy scores with BM25 but fixes
//! k1 = 1.2 and b = 0.75; ranking quality on real judgments (see
//! `benches/relevance.rs`) depends on them, so this term query computes the
//! same formula (Lucene's idf, tantivy's quantised field lengths) with the
//! `k1` and `b` dossier ships.
//!
//! score = idf · (k1 + 1) · tf / (tf + k1 · (1 − b + b · dl / avgdl)),
//! idf = ln(1 + (N − df + 0.5) / (df + 0.5)).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25Params {
    pub k1: f32,
    pub b: f32,
}

/// One term in one field, scored with BM25 and the given parameters.
#[derive(Debug, Clone)]
pub struct Bm25TermQuery {
    term: Term,
    params: Bm25Params,
}

impl Bm25TermQuery {
    pub fn new(term: Term, params: Bm25Params) -> Self {
        Bm25TermQuery { term, params }
    }
}

fn idf(doc_freq: u64, doc_count: u64) -> f32 {
    let doc_freq = doc_freq.min(doc_count);
    let x = ((doc_count - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

impl Query for Bm25TermQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let (idf, average_length) = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let docs = statistics_provider.total_num_docs()?;
                let tokens = statistics_provider.total_num_tokens(self.term.field())?;
                let doc_freq = statistics_provider.doc_freq(&self.term)?;
                let average = if docs == 0 {
                    1.0
                } else {
                    (tokens as f32 / docs as f32).max(1.0)
                };
                (idf(doc_freq, docs), average)
            }
            EnableScoring::Disabled { .. } => (0.0, 1.0),
        };
        let Bm25Params { k1, b } = self.params;
        let mut length_norm = [0f32; 256];
        for (id, norm) in length_norm.iter_mut().enumerate() {
            let length = FieldNormReader::id_to_fieldnorm(id as u8) as f32;
            *norm = k1 * (1.0 - b + b * length / average_length);
        }
        Ok(Box::new(Bm25TermWeight {
            term: self.term.clone(),
            weight: idf * (k1 + 1.0),
            length_norm,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

struct Bm25TermWeight {
    term: Term,
    /// idf · (k1 + 1)
    weight: f32,
    /// k1 · (1 − b + b · dl / avgdl), for each quantised field length.
    length_norm: [f32; 256],
}

impl Weight for Bm25TermWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let (weight, length_norm) = (self.weight * boost, self.length_norm);
        PostingsScorer::open(reader, &self.term, self.term.field(), move |length, tf| {
            let tf = tf as f32;
            weight * tf / (tf + length_norm[length as usize])
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_one(self.scorer(reader, 1.0)?, doc, "BM25 (dossier's k1, b)")
    }
}

/// tantivy's BM25 weight of a phrase of `terms` (the sum of their idf, their
/// field's average length), or `None` when scores are not asked for: what
/// the queries that score a phrase's count as tantivy's phrase query does
/// (proximity, common-word pairs) start from.
pub fn phrase_weight(
    enable_scoring: EnableScoring<'_>,
    terms: &[Term],
) -> tantivy::Result<Option<Bm25Weight>> {
    match enable_scoring {
        EnableScoring::Enabled {
            statistics_provider,
            ..
        } => Bm25Weight::for_terms(statistics_provider, terms).map(Some),
        EnableScoring::Disabled { .. } => Ok(None),
    }
}

/// One term's postings, each document scored from its length in
/// `lengths_of` (quantised, as tantivy stores it) and the term's frequency
/// in it: dossier's BM25 of a word, and a pair of common words scored as its
/// phrase (whose lengths are another field's).
pub struct PostingsScorer<S> {
    postings: SegmentPostings,
    lengths: FieldNormReader,
    score: S,
}

impl<S: Fn(u8, u32) -> Score + Send + 'static> PostingsScorer<S> {
    /// The scorer of `term` in a segment; an empty one when the segment
    /// lacks the term.
    pub fn open(
        reader: &SegmentReader,
        term: &Term,
        lengths_of: Field,
        score: S,
    ) -> tantivy::Result<Box<dyn Scorer>> {
        let postings = reader
            .inverted_index(term.field())?
            .read_postings(term, IndexRecordOption::WithFreqs)?;
        Ok(match postings {
            Some(postings) => Box::new(PostingsScorer {
                postings,
                lengths: reader.get_fieldnorms_reader(lengths_of)?,
                score,
            }),
            None => Box::new(EmptyScorer),
        })
    }
}

impl<S: Send + 'static> DocSet for PostingsScorer<S> {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl<S: Fn(u8, u32) -> Score + Send + 'static> Scorer for PostingsScorer<S> {
    fn score(&mut self) -> Score {
        let doc = self.postings.doc();
        (self.score)(self.lengths.fieldnorm_id(doc), self.postings.term_freq())
    }
}

/// The explanation of one document's score: `label` and the score.
pub fn explain_one(
    mut scorer: Box<dyn Scorer>,
    doc: DocId,
    label: &'static str,
) -> tantivy::Result<Explanation> {
    if scorer.doc() > doc || scorer.seek(doc) != doc {
        return Err(TantivyError::InvalidArgument(format!(
            "document {doc} does not match"
        )));
    }
    Ok(Explanation::new(label, scorer.score()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    /// With tantivy's own parameters, the scores equal tantivy's BM25.
    #[test]
    fn equals_tantivy_bm25_at_its_parameters() {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(1, 20_000_000)
            .unwrap();
        for text in ["a b c a", "a", "b c d e f g h", "a a a b b c c d d e e"] {
            let mut doc = TantivyDocument::new();
            doc.add_text(body, text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = Term::from_field_text(body, "a");
        let ours = searcher
            .search(
                &Bm25TermQuery::new(term.clone(), Bm25Params { k1: 1.2, b: 0.75 }),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        let theirs = searcher
            .search(
                &TermQuery::new(term, IndexRecordOption::WithFreqs),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        assert_eq!(ours.len(), 3);
        for ((a, da), (b, db)) in ours.iter().zip(&theirs) {
            assert_eq!(da, db);
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }
}
