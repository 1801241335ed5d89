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
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
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
        let field = self.term.field();
        let postings = reader
            .inverted_index(field)?
            .read_postings(&self.term, IndexRecordOption::WithFreqs)?;
        let Some(postings) = postings else {
            return Ok(Box::new(EmptyScorer));
        };
        Ok(Box::new(Bm25TermScorer {
            postings,
            lengths: reader.get_fieldnorms_reader(field)?,
            length_norm: self.length_norm,
            weight: self.weight * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("BM25 (dossier's k1, b)", scorer.score()))
    }
}

struct Bm25TermScorer {
    postings: SegmentPostings,
    lengths: FieldNormReader,
    length_norm: [f32; 256],
    weight: f32,
}

impl DocSet for Bm25TermScorer {
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

impl Scorer for Bm25TermScorer {
    fn score(&mut self) -> Score {
        let doc = self.postings.doc();
        let tf = self.postings.term_freq() as f32;
        let norm = self.length_norm[self.lengths.fieldnorm_id(doc) as usize];
        self.weight * tf / (tf + norm)
    }
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
