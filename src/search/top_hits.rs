//! The best hits by score, ties broken by document id.
//!
//! tantivy's `TopDocs` breaks ties by address (segment, then document
//! number), and which segment a document lands in depends on which indexing
//! thread took it: the same sources indexed twice gave two orders of tied
//! hits (`search '*'`, a filter alone, two resolutions of the same score;
//! BM25 ties often, its document lengths being rounded to 256 values). A
//! page a researcher cites must not depend on that, so ties go to the
//! smaller id. Within a segment the id column's ordinals are in id order
//! and compare as the ids do (the segment's columns file checked first
//! where they decide the page: a flipped ordinal names another id). Across
//! segments the ids themselves are compared, and only where it shows: on
//! the page, or where the list is
//! cut. They come from the stored documents when the page reads them anyway
//! (or all but a few), else from the id column's dictionary, read once per
//! segment (it is compressed by block: a read costs a few documents).

use std::cmp::Ordering;
use std::ops::Range;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::column_terms::terms_of;

/// A tie across segments takes its ids from the stored documents when the
/// page does not show at most this many of it (each one more to read)...
const STORED_IDS_BEYOND_PAGE: usize = 2;
/// ... and it has at most this many hits: the documents read are kept for
/// the page, and a page of thousands of tied hits (`*`) kept whole took
/// twenty times the memory of one streamed (and twice the time).
const STORED_IDS_AT_MOST: usize = 16;

/// One hit: its score, and where it is.
#[derive(Debug, Clone)]
pub struct RankedDoc {
    pub score: Score,
    pub address: DocAddress,
    /// Its id as its segment's id column numbers it (`u64::MAX`: none).
    ord: u64,
}

/// Hits best first: by score, then by id within a segment; ties across
/// segments are put in order by [`RankedDocs::order`].
#[derive(Default)]
pub struct RankedDocs {
    pub hits: Vec<RankedDoc>,
    /// Each segment's id column, by segment ordinal.
    columns: Vec<Option<StrColumn>>,
    /// By segment ordinal: the score at which its collector, or the merge,
    /// let id ordinals choose which of equal documents were kept (the last
    /// place's score, where more documents had it than there were places).
    chosen_by_id: Vec<Option<Score>>,
}

impl RankedDocs {
    fn sort_within_segments(&mut self) {
        self.hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.address.segment_ord.cmp(&b.address.segment_ord))
                .then(a.ord.cmp(&b.ord))
                .then(a.address.doc_id.cmp(&b.address.doc_id))
        });
    }

    /// The runs of equal scores, as ranges of `hits` (sorted by
    /// [`Self::sort_within_segments`]), best first.
    fn equal_scores(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let mut start = 0;
        std::iter::from_fn(move || {
            let first = self.hits.get(start)?;
            let end = start
                + self.hits[start..]
                    .iter()
                    .take_while(|hit| hit.score.total_cmp(&first.score).is_eq())
                    .count();
            let run = start..end;
            start = end;
            Some(run)
        })
    }

    /// The runs of equal scores across segments.
    fn ties_across_segments(&self) -> Vec<Range<usize>> {
        self.equal_scores()
            .filter(|run| {
                let first = self.hits[run.start].address.segment_ord;
                self.hits[run.clone()]
                    .iter()
                    .any(|hit| hit.address.segment_ord != first)
            })
            .collect()
    }

    /// Puts the hits in `window` (the positions a page shows) in their
    /// order, best first: higher score, then smaller id; and cuts the list
    /// after `cut` hits, keeping the smaller ids of a tie across the cut.
    /// `stored_id` reads a document's id from the store (`None` for none:
    /// it ranks after those with one, as where the column has none).
    /// `check_columns` checks a segment's columns file whole before its id
    /// column orders a tie: a byte flipped in the column's dictionary can
    /// read as other ids still in order ('a' as 'q'), and one flipped in the
    /// file's list of columns loses the segment's id column; either moves
    /// documents off the page, where no check of what is shown can see it.
    pub fn order(
        &mut self,
        window: Range<usize>,
        cut: usize,
        mut stored_id: impl FnMut(DocAddress) -> tantivy::Result<Option<String>>,
        mut check_columns: impl FnMut(SegmentOrdinal) -> tantivy::Result<()>,
    ) -> tantivy::Result<()> {
        self.sort_within_segments();
        self.check_ordinals_used(&window, cut, &mut check_columns)?;
        for tie in self.ties_across_segments() {
            let shown = tie.start.max(window.start)..tie.end.min(window.end).min(cut);
            let across_cut = tie.start < cut && tie.end > cut;
            if shown.is_empty() && !across_cut {
                continue;
            }
            let beyond_page = tie.len() - shown.len();
            let ids = if beyond_page <= STORED_IDS_BEYOND_PAGE && tie.len() <= STORED_IDS_AT_MOST {
                let mut ids = Vec::with_capacity(tie.len());
                for hit in &self.hits[tie.clone()] {
                    ids.push(stored_id(hit.address)?);
                }
                ids
            } else {
                self.column_ids(tie.clone(), &mut check_columns)?
            };
            let mut keyed: Vec<(Option<String>, RankedDoc)> = ids
                .into_iter()
                .zip(self.hits[tie.clone()].iter().cloned())
                .collect();
            // A document without an id ranks after those with one.
            keyed.sort_by(|(a, a_hit), (b, b_hit)| {
                match (a, b) {
                    (Some(a), Some(b)) => a.cmp(b),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
                .then(a_hit.address.cmp(&b_hit.address))
            });
            for (slot, (_, hit)) in self.hits[tie].iter_mut().zip(keyed) {
                *slot = hit;
            }
        }
        self.hits.truncate(cut);
        Ok(())
    }

    /// Checks the columns file of each segment whose id ordinals decide what
    /// the page shows or what is kept before `cut`: equal scores in one
    /// segment, shown or across the cut, go by ordinal; and a segment's
    /// collector kept equal documents by ordinal where they outnumbered its
    /// places. A flipped byte among the ordinals names another id, which
    /// nothing the page reads can see (a tie across segments is ordered by
    /// the ids themselves, or checked in [`Self::column_ids`]).
    fn check_ordinals_used(
        &self,
        window: &Range<usize>,
        cut: usize,
        check_columns: &mut impl FnMut(SegmentOrdinal) -> tantivy::Result<()>,
    ) -> tantivy::Result<()> {
        for Range { start, end } in self.equal_scores().take_while(|run| run.start < cut) {
            let score = self.hits[start].score;
            let run = &self.hits[start..end];
            let shown = start.max(window.start) < end.min(window.end).min(cut);
            let across_cut = end > cut;
            let mut segments: Vec<SegmentOrdinal> =
                run.iter().map(|hit| hit.address.segment_ord).collect();
            segments.sort_unstable();
            // Equal scores across segments are ordered by the ids themselves.
            let one_segment = segments.first() == segments.last();
            for (at, &segment) in segments.iter().enumerate() {
                if at > 0 && segments[at - 1] == segment {
                    continue;
                }
                let several = segments.get(at + 1) == Some(&segment);
                let chosen = self
                    .chosen_by_id
                    .get(segment as usize)
                    .copied()
                    .flatten()
                    .is_some_and(|at_score| at_score.total_cmp(&score).is_eq());
                if (one_segment && several && (shown || across_cut)) || chosen {
                    check_columns(segment)?;
                }
            }
        }
        Ok(())
    }

    /// The ids of the hits at `positions` (`None` for one a column does not
    /// hold), read in one pass over each segment's dictionary.
    fn column_ids(
        &self,
        positions: Range<usize>,
        check_columns: &mut impl FnMut(SegmentOrdinal) -> tantivy::Result<()>,
    ) -> tantivy::Result<Vec<Option<String>>> {
        let hits = &self.hits[positions];
        let mut out = vec![None; hits.len()];
        let mut segments: Vec<SegmentOrdinal> =
            hits.iter().map(|hit| hit.address.segment_ord).collect();
        segments.sort_unstable();
        segments.dedup();
        for segment in segments {
            // Also where the segment has no id column: its list of columns
            // may be what is damaged.
            check_columns(segment)?;
            let Some(Some(column)) = self.columns.get(segment as usize) else {
                continue;
            };
            let in_segment = || {
                hits.iter()
                    .enumerate()
                    .filter(move |(_, hit)| hit.address.segment_ord == segment)
            };
            let mut ords: Vec<u64> = in_segment()
                .map(|(_, hit)| hit.ord)
                .filter(|&ord| ord != u64::MAX)
                .collect();
            ords.sort_unstable();
            let distinct = ords.len();
            ords.dedup();
            // A dictionary that ends before an ordinal its column holds, or
            // whose ids are out of order, is damaged, as is a column giving
            // two documents one id; an order read from them would be
            // silently wrong. (A flipped ordinal that names another id is
            // not seen here: `stats --check` sees it.)
            let read = terms_of(column, &ords)?.filter(|_| distinct == ords.len());
            let Some(read) = read else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("the id column of segment {segment} does not read in order"),
                )
                .into());
            };
            for (at, hit) in in_segment() {
                out[at] = ords
                    .binary_search(&hit.ord)
                    .ok()
                    .and_then(|found| read.get(found).cloned());
            }
        }
        Ok(out)
    }
}

/// Collects the `limit` best documents of each segment, by score then id;
/// merged, they hold the `limit` best of all, which [`RankedDocs::order`]
/// then picks (a tie across the `limit`-th is kept whole for it).
pub struct TopHits {
    limit: usize,
    /// The id field, whose column orders ties.
    id: Field,
}

impl TopHits {
    pub fn new(limit: usize, id: Field) -> Self {
        TopHits { limit, id }
    }
}

impl Collector for TopHits {
    type Fruit = RankedDocs;
    type Child = SegmentTopHits;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTopHits> {
        // Counts alone (`--limit 0`) read no id: damage there is not theirs.
        let ids = match self.limit {
            0 => None,
            _ => reader
                .fast_fields()
                .str(reader.schema().get_field_name(self.id))?,
        };
        Ok(SegmentTopHits {
            segment,
            ids,
            top: TopBuffer::new(self.limit),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<RankedDocs>) -> tantivy::Result<RankedDocs> {
        let mut ranked = RankedDocs::default();
        for segment in segments {
            by_segment(&mut ranked.columns, segment.columns);
            by_segment(&mut ranked.chosen_by_id, segment.chosen_by_id);
            ranked.hits.extend(segment.hits);
        }
        ranked.sort_within_segments();
        let keep = ranked
            .ties_across_segments()
            .into_iter()
            .find(|tie| tie.start < self.limit && tie.end > self.limit)
            .map_or(self.limit, |tie| tie.end);
        // Equal scores of one segment across the limit are cut by ordinal.
        if let (Some(last), Some(next)) = (
            keep.checked_sub(1).and_then(|at| ranked.hits.get(at)),
            ranked.hits.get(keep),
        ) && last.score.total_cmp(&next.score).is_eq()
        {
            let segment = last.address.segment_ord as usize;
            if ranked.chosen_by_id.len() <= segment {
                ranked.chosen_by_id.resize(segment + 1, None);
            }
            ranked.chosen_by_id[segment] = Some(last.score);
        }
        ranked.hits.truncate(keep);
        Ok(ranked)
    }
}

/// A segment's values (by segment ordinal) set into those of all.
fn by_segment<T>(all: &mut Vec<Option<T>>, segment: Vec<Option<T>>) {
    if all.len() < segment.len() {
        all.resize_with(segment.len(), || None);
    }
    for (at, value) in segment.into_iter().enumerate() {
        if value.is_some() {
            all[at] = value;
        }
    }
}

/// An ordinal not looked up yet.
const UNREAD: u64 = u64::MAX - 1;

/// The ordinal of `doc`'s id in `ids` (`u64::MAX` for none: it ranks last).
fn ord_in(ids: &Option<StrColumn>, doc: DocId) -> u64 {
    ids.as_ref()
        .and_then(|ids| ids.ords().first(doc))
        .unwrap_or(u64::MAX)
}

/// The `limit` best documents of those it is given: higher score, then
/// smaller id ordinal (then smaller document number, for documents without
/// an id). `ord_of` looks an ordinal up; it is asked only for documents tied
/// with the last place.
struct TopBuffer {
    limit: usize,
    /// Documents that may be among the best, with their id's ordinal once
    /// looked up; up to twice `limit` before it is cut back (amortised: no
    /// heap to keep in order at every document).
    buffer: Vec<(Score, DocId, u64)>,
    /// The lowest score kept at the last cut: a lower one cannot get in.
    threshold: Option<Score>,
    /// When the last cut gave every place to documents of that score, chosen
    /// by id: the greatest ordinal it kept, which an equal score must beat
    /// (so that a flat run of scores, as `*` gives, is not buffered).
    threshold_ord: Option<u64>,
    /// The score of the last documents left out for their ordinals (a
    /// document of an equal score kept instead): the id column decided.
    left_out_by_id: Option<Score>,
}

impl TopBuffer {
    fn new(limit: usize) -> Self {
        TopBuffer {
            limit,
            buffer: Vec::new(),
            threshold: None,
            threshold_ord: None,
            left_out_by_id: None,
        }
    }

    fn push(&mut self, doc: DocId, score: Score, ord_of: impl Fn(DocId) -> u64) {
        let mut ord = UNREAD;
        if let Some(lowest) = self.threshold {
            if score.total_cmp(&lowest).is_lt() {
                return;
            }
            if let Some(greatest) = self.threshold_ord
                && score.total_cmp(&lowest).is_eq()
            {
                ord = ord_of(doc);
                // (`left_out_by_id` was set by the cut that set `greatest`.)
                if ord > greatest {
                    return;
                }
            }
        }
        if self.limit == 0 {
            return;
        }
        self.buffer.push((score, doc, ord));
        if self.buffer.len() >= self.limit.saturating_mul(2).max(64) {
            self.cut(ord_of);
        }
    }

    /// Keeps the `limit` best of the buffer: by score, and among those
    /// tied with the last place, by id (the only ids looked up).
    fn cut(&mut self, ord_of: impl Fn(DocId) -> u64) {
        if self.buffer.len() <= self.limit {
            return;
        }
        self.buffer
            .select_nth_unstable_by(self.limit - 1, |a, b| b.0.total_cmp(&a.0));
        let last = self.buffer[self.limit - 1].0;
        self.buffer.retain(|entry| entry.0.total_cmp(&last).is_ge());
        if self.buffer.len() > self.limit {
            for entry in &mut self.buffer {
                if entry.2 == UNREAD && entry.0.total_cmp(&last).is_eq() {
                    entry.2 = ord_of(entry.1);
                }
            }
            self.buffer.sort_unstable_by(|a, b| {
                b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1))
            });
            self.buffer.truncate(self.limit);
            self.left_out_by_id = Some(last);
            // Every place went to a tie (a flat run of scores): later equal
            // scores are looked up at once, to be let in only before the
            // last kept; otherwise they are buffered, most of them to fall
            // to a higher threshold unread.
            let flat = self.buffer[0].0.total_cmp(&last).is_eq();
            self.threshold_ord = flat.then(|| self.buffer[self.limit - 1].2);
        } else {
            self.threshold_ord = None;
        }
        self.threshold = Some(last);
    }

    /// What it kept, each with its ordinal, in no particular order; and the
    /// score at which ordinals chose between equal documents, if they did
    /// for its last place (earlier choices fell below it, moot).
    fn kept(mut self, ord_of: impl Fn(DocId) -> u64) -> (Vec<(Score, DocId, u64)>, Option<Score>) {
        self.cut(&ord_of);
        for entry in &mut self.buffer {
            if entry.2 == UNREAD {
                entry.2 = ord_of(entry.1);
            }
        }
        let chosen = self.left_out_by_id.filter(|&score| {
            self.threshold
                .is_some_and(|last| last.total_cmp(&score).is_eq())
        });
        (self.buffer, chosen)
    }
}

pub struct SegmentTopHits {
    segment: SegmentOrdinal,
    ids: Option<StrColumn>,
    top: TopBuffer,
}

impl SegmentCollector for SegmentTopHits {
    type Fruit = RankedDocs;

    fn collect(&mut self, doc: DocId, score: Score) {
        let ids = &self.ids;
        self.top.push(doc, score, |doc| ord_in(ids, doc));
    }

    fn harvest(self) -> RankedDocs {
        let ids = &self.ids;
        let (kept, chosen) = self.top.kept(|doc| ord_in(ids, doc));
        let hits = kept
            .into_iter()
            .map(|(score, doc, ord)| RankedDoc {
                score,
                address: DocAddress::new(self.segment, doc),
                ord,
            })
            .collect();
        let mut columns = vec![None; self.segment as usize + 1];
        columns[self.segment as usize] = self.ids;
        let mut chosen_by_id = vec![None; self.segment as usize + 1];
        chosen_by_id[self.segment as usize] = chosen;
        RankedDocs {
            hits,
            columns,
            chosen_by_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::test_random;

    fn hit(score: Score, segment: SegmentOrdinal, doc: DocId) -> RankedDoc {
        RankedDoc {
            score,
            address: DocAddress::new(segment, doc),
            ord: u64::from(doc),
        }
    }

    /// Segments' fruits merged for a page of `limit` and put in order; the
    /// segments whose columns were checked.
    fn checked_for(limit: usize, segments: Vec<(Vec<RankedDoc>, Option<Score>)>) -> Vec<u32> {
        let count = segments.len();
        let fruits = segments
            .into_iter()
            .map(|(hits, chosen)| RankedDocs {
                hits,
                columns: vec![None; count],
                chosen_by_id: vec![chosen; count],
            })
            .collect();
        let mut merged = TopHits::new(limit, Field::from_field_id(0))
            .merge_fruits(fruits)
            .unwrap();
        let mut checked = Vec::new();
        merged
            .order(
                0..limit,
                limit,
                |_| Ok(Some("id".into())),
                |segment| {
                    checked.push(segment);
                    Ok(())
                },
            )
            .unwrap();
        checked
    }

    /// The columns of a segment are checked where its ordinals decide what
    /// a page shows, and only there.
    #[test]
    fn ordinals_deciding_the_page_have_their_columns_checked() {
        // No equal scores: nothing goes by ordinal.
        let distinct = vec![(vec![hit(7.0, 0, 0), hit(3.0, 0, 1)], None)];
        assert_eq!(checked_for(2, distinct), Vec::<u32>::new());
        // Two equal scores of one segment shown: their order.
        let shown = vec![(vec![hit(5.0, 0, 0), hit(5.0, 0, 1)], None)];
        assert_eq!(checked_for(2, shown), vec![0]);
        // One shown, but chosen by its collector from more of that score.
        let chosen = vec![(vec![hit(5.0, 0, 0)], Some(5.0))];
        assert_eq!(checked_for(1, chosen), vec![0]);
        // A choice at a score the page does not reach is moot.
        let moot = vec![
            (vec![hit(9.0, 0, 0)], None),
            (vec![hit(5.0, 1, 0)], Some(5.0)),
        ];
        assert_eq!(checked_for(1, moot), Vec::<u32>::new());
        // Equal scores of one segment cut by the merge at the page's end.
        let cut = vec![
            (vec![hit(7.0, 0, 0), hit(3.0, 0, 1)], None),
            (vec![hit(5.0, 1, 0), hit(5.0, 1, 1)], None),
        ];
        assert_eq!(checked_for(2, cut), vec![1]);
        // Equal scores across segments, their ids read from the stored
        // documents: no ordinal orders them.
        let across = vec![(vec![hit(5.0, 0, 0)], None), (vec![hit(5.0, 1, 0)], None)];
        assert_eq!(checked_for(2, across), Vec::<u32>::new());
    }

    /// Whatever the scores (few values, many ties, or all equal) and the
    /// ids' order, the buffer keeps what sorting everything would.
    #[test]
    fn keeps_the_best_by_score_then_id() {
        let mut below = test_random(0x5eed_1e55);
        for round in 0..400 {
            let docs = 1 + below(700) as u32;
            let limit = [1, 2, 3, 5, 10, 33, 64, 100, 1000][round % 9];
            let distinct_scores = [1, 2, 5, 50][round % 4];
            // A permutation of ordinals, and some documents without an id.
            let mut ords: Vec<u64> = (0..docs as u64).collect();
            for i in (1..ords.len()).rev() {
                ords.swap(i, below(i + 1));
            }
            for ord in ords.iter_mut() {
                if below(20) == 0 {
                    *ord = u64::MAX;
                }
            }
            let scores: Vec<Score> = (0..docs)
                .map(|_| below(distinct_scores) as Score / 4.0)
                .collect();
            let mut top = TopBuffer::new(limit);
            for doc in 0..docs {
                top.push(doc, scores[doc as usize], |d| ords[d as usize]);
            }
            let (mut kept, chosen) = top.kept(|d| ords[d as usize]);
            kept.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
            let mut all: Vec<(Score, DocId, u64)> = (0..docs)
                .map(|doc| (scores[doc as usize], doc, ords[doc as usize]))
                .collect();
            all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
            // Ids chose at the last place when one of its score was left out.
            let left_out = all
                .get(limit)
                .filter(|next| next.0 == all[limit - 1].0)
                .map(|next| next.0);
            all.truncate(limit);
            let at = format!("round {round}: {docs} documents, limit {limit}");
            assert_eq!(kept, all, "{at}");
            assert_eq!(chosen, left_out, "{at}");
        }
    }
}
