//! A query matching a given set of documents: the second pass of a search
//! re-scores the first pass's best candidates with the full ranking (with
//! proximity), without matching phrases across the whole index.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, TantivyError,
};

#[derive(Debug, Clone)]
pub struct CandidateQuery {
    docs: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl CandidateQuery {
    pub fn new(searcher: &Searcher, addresses: &[DocAddress]) -> Self {
        let mut docs: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for address in addresses {
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            docs.entry(segment).or_default().push(address.doc_id);
        }
        for ids in docs.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        CandidateQuery {
            docs: Arc::new(docs),
        }
    }
}

impl Query for CandidateQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for CandidateQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.docs.get(&reader.segment_id()) {
            Some(ids) => Box::new(ConstScorer::new(SortedDocs::new(ids.clone()), boost)),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} is not a candidate"
            )));
        }
        Ok(Explanation::new("candidate", scorer.score()))
    }
}

/// Documents of one segment, in increasing order.
struct SortedDocs {
    docs: Vec<DocId>,
    at: usize,
}

impl SortedDocs {
    fn new(docs: Vec<DocId>) -> Self {
        SortedDocs { docs, at: 0 }
    }
}

impl DocSet for SortedDocs {
    fn advance(&mut self) -> DocId {
        if self.at < self.docs.len() {
            self.at += 1;
        }
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.docs[self.at..];
        self.at += rest.partition_point(|d| *d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at) as u32
    }
}
