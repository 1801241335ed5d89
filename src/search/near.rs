//! Proximity: `"nato human security"~10`, Lucene's meaning. The words match
//! where each stands within `slop` moves of where the phrase would put it,
//! in any order: with `p_i` the position of the phrase's `i`-th word,
//! `max(p_i − i) − min(p_i − i) ≤ slop` (so `"a b"~0` is the phrase, and `b
//! a` needs `~2`). tantivy's phrase slop keeps the order, so this is a query
//! of its own, and [`near_matches`] is the one definition of a match that the
//! index side ([`NearQuery`]) and the text side (the matcher: snippets,
//! `kwic`, occurrence counts) share: matches are found left to right and do
//! not overlap, so a count of matches is the same on both sides.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use super::bm25::{explain_one, phrase_weight};

/// The matches of a proximity in one text: `slots[i]` holds the sorted
/// positions of the phrase's `i`-th word (a word the phrase repeats has the
/// same positions in each of its slots). Each match is the first and last
/// position it spans; matches are taken left to right, without overlap.
///
/// A sweep: while the words' offsets from their places in the phrase span
/// more than `slop`, the slot furthest behind moves on. The slots of a
/// repeated word take distinct tokens in slot order (any match can be so
/// assigned without widening it: crossed pairs span at least as much), so
/// moving one pushes those after it, and no step compares every pair:
/// `"the the ... the"~1000` of twenty words took seconds per search, and
/// minutes at fifty, when collisions were settled pair by pair.
pub fn near_matches(slots: &[&[u32]], slop: u32) -> Vec<(u32, u32)> {
    let k = slots.len();
    let mut matches = Vec::new();
    if k == 0 || slots.iter().any(|s| s.is_empty()) {
        return matches;
    }
    // The next slot of the same word, and whether a slot is its word's first.
    let next_same: Vec<Option<usize>> = (0..k)
        .map(|i| (i + 1..k).find(|&j| slots[j] == slots[i]))
        .collect();
    let first_of_word: Vec<bool> = (0..k)
        .map(|i| !(0..i).any(|j| slots[j] == slots[i]))
        .collect();
    // Keeps the slots after `i` of its word on later tokens than `i`'s.
    let settle = |at: &mut [usize], mut i: usize| {
        while let Some(j) = next_same[i] {
            if at[j] > at[i] {
                break;
            }
            at[j] = at[i] + 1;
            i = j;
        }
    };
    let mut at = vec![0usize; k];
    for i in (0..k).filter(|&i| first_of_word[i]) {
        settle(&mut at, i);
    }
    while (0..k).all(|i| at[i] < slots[i].len()) {
        let position = |i: usize| slots[i][at[i]];
        let shifted = |i: usize| i64::from(position(i)) - i as i64;
        let (mut low, mut high) = (0usize, 0usize);
        for i in 1..k {
            if shifted(i) < shifted(low) {
                low = i;
            }
            if shifted(i) > shifted(high) {
                high = i;
            }
        }
        if shifted(high) - shifted(low) <= i64::from(slop) {
            let first = (0..k).map(position).min().unwrap_or(0);
            let last = (0..k).map(position).max().unwrap_or(0);
            matches.push((first, last));
            // The next match starts after this one.
            for i in 0..k {
                at[i] = at[i].max(slots[i].partition_point(|&p| p <= last));
            }
            for i in (0..k).filter(|&i| first_of_word[i]) {
                settle(&mut at, i);
            }
        } else {
            at[low] += 1;
            settle(&mut at, low);
        }
    }
    matches
}

/// The words of a phrase (exact tokens, in one field) within `slop` moves
/// of each other, scored by BM25 on the number of matches.
#[derive(Debug, Clone)]
pub struct NearQuery {
    terms: Vec<Term>,
    slop: u32,
}

impl NearQuery {
    /// `terms` in phrase order, all of one field, at least two.
    pub fn new(terms: Vec<Term>, slop: u32) -> Self {
        NearQuery { terms, slop }
    }
}

impl Query for NearQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(NearWeight {
            query: self.clone(),
            bm25: phrase_weight(enable_scoring, &self.terms)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in &self.terms {
            visitor(term, true);
        }
    }
}

struct NearWeight {
    query: NearQuery,
    bm25: Option<Bm25Weight>,
}

impl NearWeight {
    fn near_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<NearScorer>> {
        let Some(first) = self.query.terms.first() else {
            return Ok(None);
        };
        let field = first.field();
        let index = reader.inverted_index(field)?;
        // One postings list per distinct word; each slot points at its word's.
        let mut distinct: Vec<&Term> = Vec::new();
        let mut slot_word = Vec::with_capacity(self.query.terms.len());
        for term in &self.query.terms {
            let word = match distinct.iter().position(|t| *t == term) {
                Some(word) => word,
                None => {
                    distinct.push(term);
                    distinct.len() - 1
                }
            };
            slot_word.push(word);
        }
        let mut postings = Vec::with_capacity(distinct.len());
        for term in distinct {
            match index.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => postings.push(p),
                None => return Ok(None),
            }
        }
        let lengths = match reader.fieldnorms_readers().get_field(field)? {
            Some(lengths) => lengths,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let mut scorer = NearScorer {
            postings,
            slot_word,
            slop: self.query.slop,
            positions: Vec::new(),
            matches: 0,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
            lengths,
            doc: 0,
        };
        scorer.doc = scorer.next_match(false);
        Ok(Some(scorer))
    }
}

impl Weight for NearWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.near_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_one(
            self.scorer(reader, 1.0)?,
            doc,
            "proximity (BM25 on its matches)",
        )
    }
}

struct NearScorer {
    postings: Vec<SegmentPostings>,
    slot_word: Vec<usize>,
    slop: u32,
    /// The current document's positions, per distinct word.
    positions: Vec<Vec<u32>>,
    /// Matches in the current document.
    matches: u32,
    bm25: Option<Bm25Weight>,
    lengths: FieldNormReader,
    doc: DocId,
}

impl NearScorer {
    /// The next document (after the current one when `step`) where every
    /// word occurs and the words stand close enough; TERMINATED at the end.
    fn next_match(&mut self, step: bool) -> DocId {
        let mut target = if step {
            self.postings[0].advance()
        } else {
            self.postings[0].doc()
        };
        loop {
            // Every list on one document (leapfrog).
            let mut agreed = true;
            for p in self.postings.iter_mut() {
                if target == TERMINATED {
                    return TERMINATED;
                }
                let doc = if p.doc() < target {
                    p.seek(target)
                } else {
                    p.doc()
                };
                if doc != target {
                    target = doc;
                    agreed = false;
                    break;
                }
            }
            if target == TERMINATED {
                return TERMINATED;
            }
            if agreed {
                if self.count_matches() > 0 {
                    return target;
                }
                target = self.postings[0].advance();
            } else if self.postings[0].doc() < target {
                target = self.postings[0].seek(target);
            }
        }
    }

    fn count_matches(&mut self) -> u32 {
        self.positions.resize_with(self.postings.len(), Vec::new);
        for (p, out) in self.postings.iter_mut().zip(self.positions.iter_mut()) {
            p.positions(out);
        }
        let slots: Vec<&[u32]> = self
            .slot_word
            .iter()
            .map(|&w| self.positions[w].as_slice())
            .collect();
        self.matches = near_matches(&slots, self.slop).len() as u32;
        self.matches
    }
}

impl DocSet for NearScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.next_match(true);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(|p| p.size_hint())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for NearScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.lengths.fieldnorm_id(self.doc), self.matches),
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    fn matches(slots: &[&[u32]], slop: u32) -> Vec<(u32, u32)> {
        near_matches(slots, slop)
    }

    /// The sweep as it was (pairs of slots compared at every step): the
    /// reference the new one must agree with.
    /// The matches of a proximity in one text: `slots[i]` holds the sorted
    /// positions of the phrase's `i`-th word (a word the phrase repeats has the
    /// same positions in each of its slots). Each match is the first and last
    /// position it spans; matches are taken left to right, without overlap.
    fn reference(slots: &[&[u32]], slop: u32) -> Vec<(u32, u32)> {
        let k = slots.len();
        let mut matches = Vec::new();
        if k == 0 || slots.iter().any(|s| s.is_empty()) {
            return matches;
        }
        let mut at = vec![0usize; k];
        'sweep: loop {
            if (0..k).any(|i| at[i] >= slots[i].len()) {
                break;
            }
            let position = |i: usize, at: &[usize]| slots[i][at[i]];
            // Two slots of a repeated word cannot share one token: the later
            // slot moves on.
            for later in 1..k {
                for earlier in 0..later {
                    if position(earlier, &at) == position(later, &at) {
                        at[later] += 1;
                        continue 'sweep;
                    }
                }
            }
            let shifted = |i: usize| i64::from(position(i, &at)) - i as i64;
            let (mut low, mut high) = (0usize, 0usize);
            for i in 1..k {
                if shifted(i) < shifted(low) {
                    low = i;
                }
                if shifted(i) > shifted(high) {
                    high = i;
                }
            }
            if shifted(high) - shifted(low) <= i64::from(slop) {
                let first = (0..k).map(|i| position(i, &at)).min().unwrap_or(0);
                let last = (0..k).map(|i| position(i, &at)).max().unwrap_or(0);
                matches.push((first, last));
                // The next match starts after this one.
                for i in 0..k {
                    while at[i] < slots[i].len() && slots[i][at[i]] <= last {
                        at[i] += 1;
                    }
                }
            } else {
                at[low] += 1;
            }
        }
        matches
    }

    /// Random texts of a few words, phrases with and without repeated
    /// words: the sweep finds what the pairwise one found.
    #[test]
    fn agrees_with_the_pairwise_sweep() {
        let mut below = crate::search::test_random(0x9ea2_5eed);
        let (mut compared, mut repeated) = (0, 0);
        for _ in 0..20_000 {
            let vocabulary = 1 + below(4);
            let text: Vec<usize> = (0..below(40)).map(|_| below(vocabulary)).collect();
            let phrase: Vec<usize> = (0..1 + below(5)).map(|_| below(vocabulary)).collect();
            let positions: Vec<Vec<u32>> = (0..vocabulary)
                .map(|word| {
                    (0..text.len() as u32)
                        .filter(|&p| text[p as usize] == word)
                        .collect()
                })
                .collect();
            let slots: Vec<&[u32]> = phrase.iter().map(|&w| &positions[w][..]).collect();
            let slop = below(12) as u32;
            assert_eq!(
                near_matches(&slots, slop),
                reference(&slots, slop),
                "text {text:?}, phrase {phrase:?}, slop {slop}"
            );
            compared += 1;
            let mut words = phrase.clone();
            words.sort_unstable();
            words.dedup();
            repeated += usize::from(words.len() < phrase.len());
        }
        assert!(repeated > 1000, "{repeated} of {compared} repeated a word");
    }

    /// Fifty slots of one word over a thousand positions.
    #[test]
    fn a_word_repeated_fifty_times_takes_fifty_tokens_a_match() {
        let positions: Vec<u32> = (0..1000).map(|p| p * 3).collect();
        let slots = vec![&positions[..]; 50];
        // Each match takes fifty tokens in a row, their offsets from their
        // places 2 apart: 98 moves, twenty matches.
        assert_eq!(near_matches(&slots, 98).len(), 20);
        assert_eq!(near_matches(&slots, 97).len(), 0);
    }

    #[test]
    fn lucene_moves() {
        // "a b": a at 0, b at 1 is the phrase.
        assert_eq!(matches(&[&[0], &[1]], 0), [(0, 1)]);
        // "b a" needs two moves.
        assert_eq!(matches(&[&[1], &[0]], 1), []);
        assert_eq!(matches(&[&[1], &[0]], 2), [(0, 1)]);
        // One word between: one move.
        assert_eq!(matches(&[&[0], &[2]], 0), []);
        assert_eq!(matches(&[&[0], &[2]], 1), [(0, 2)]);
        // Three words, the middle one far.
        assert_eq!(matches(&[&[0], &[9], &[2]], 6), []);
        assert_eq!(matches(&[&[0], &[9], &[2]], 8), [(0, 9)]);
        // Matches do not overlap, and all are found.
        assert_eq!(
            matches(&[&[0, 10, 20], &[1, 11, 30]], 0),
            [(0, 1), (10, 11)]
        );
        // A repeated word needs two tokens.
        assert_eq!(matches(&[&[3], &[3]], 5), []);
        assert_eq!(matches(&[&[3, 4], &[3, 4]], 0), [(3, 4)]);
        assert_eq!(matches(&[&[], &[1]], 5), []);
    }

    #[test]
    fn the_query_finds_what_the_definition_finds() {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(1, 20_000_000)
            .unwrap();
        for text in [
            "nato and human security",                  // 0: in order, 1 word between
            "security of the human beings nato agreed", // 1: reversed, far
            "nato security",                            // 2: no "human"
            "human security nato",                      // 3: reordered, close
        ] {
            let mut doc = TantivyDocument::new();
            doc.add_text(body, text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let terms = |words: &[&str]| {
            words
                .iter()
                .map(|w| Term::from_field_text(body, w))
                .collect::<Vec<_>>()
        };
        let count = |slop| {
            searcher
                .search(
                    &NearQuery::new(terms(&["nato", "human", "security"]), slop),
                    &Count,
                )
                .unwrap()
        };
        assert_eq!(count(0), 0);
        // "nato and human security": human moved once.
        assert_eq!(count(1), 1);
        // "human security nato": offsets 0-1, 1-2, 2-0 → range 3.
        assert_eq!(count(3), 2);
        assert_eq!(count(10), 3);
        let top = searcher
            .search(
                &NearQuery::new(terms(&["nato", "human", "security"]), 10),
                &TopDocs::with_limit(5).order_by_score(),
            )
            .unwrap();
        assert_eq!(top.len(), 3);
    }
}
