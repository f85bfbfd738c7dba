//! An interval index over annotation spans: which annotations overlap a byte
//! range, or cover an offset, in `O(log n + k)` for `k` answers.
//!
//! The entries are sorted by start and read as an implicit balanced tree
//! (the middle of each range is its root); every root stores the largest end
//! in its subtree, so whole subtrees that end before the query are skipped.
//!
//! ```text
//!   spans:   [0,4) [2,9) [5,6) [7,8)      query [6,8)
//!   tree:          [5,6) max 9
//!               /        \
//!         [2,9) max 9    [7,8) max 8
//!         /
//!   [0,4) max 4   ← skipped: ends at 4 ≤ 6
//! ```
//!
//! The index is a snapshot: rebuild it when the project's revision changes.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::annotation::AnnotationId;
use super::offsets::ByteOffset;
use super::project::Project;
use super::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    span: Span,
    id: AnnotationId,
}

/// Annotation spans of one project state, indexed for overlap queries.
#[derive(Clone, Debug, Default)]
pub struct SpanIndex {
    /// Sorted by (start, end, id): document order.
    entries: Vec<Entry>,
    /// For the subtree rooted at each position, the largest end in it.
    subtree_max_end: Vec<usize>,
}

impl SpanIndex {
    /// Indexes every annotation of `project`.
    #[must_use]
    pub fn new(project: &Project) -> Self {
        Self::from_spans(project.annotations().map(|a| (a.id, a.span)))
    }

    /// Indexes the given spans.
    #[must_use]
    pub fn from_spans(spans: impl IntoIterator<Item = (AnnotationId, Span)>) -> Self {
        let mut entries: Vec<Entry> = spans.into_iter().map(|(id, span)| Entry { span, id }).collect();
        entries.sort_by_key(|e| (e.span.start, e.span.end, e.id));
        let mut subtree_max_end = vec![0; entries.len()];
        fill_max_end(&entries, &mut subtree_max_end, 0, entries.len());
        Self {
            entries,
            subtree_max_end,
        }
    }

    /// How many spans are indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The annotations that overlap `range` by [`Span::overlaps`], in
    /// document order (start, end, id).
    #[must_use]
    pub fn overlapping(&self, range: Span) -> Vec<(AnnotationId, Span)> {
        let mut found = Vec::new();
        self.visit(0, self.entries.len(), range, &mut found);
        found
    }

    /// The annotations covering the character that starts at `offset`.
    #[must_use]
    pub fn at(&self, offset: ByteOffset) -> Vec<(AnnotationId, Span)> {
        self.overlapping(Span::new(offset.0, offset.0 + 1))
    }

    fn visit(&self, lo: usize, hi: usize, range: Span, found: &mut Vec<(AnnotationId, Span)>) {
        if lo >= hi {
            return;
        }
        let mid = lo + (hi - lo) / 2;
        if self.subtree_max_end[mid] <= range.start.0 {
            return;
        }
        self.visit(lo, mid, range, found);
        let entry = self.entries[mid];
        if entry.span.start >= range.end {
            return;
        }
        if entry.span.overlaps(range) {
            found.push((entry.id, entry.span));
        }
        self.visit(mid + 1, hi, range, found);
    }
}

fn fill_max_end(entries: &[Entry], max_end: &mut [usize], lo: usize, hi: usize) -> usize {
    if lo >= hi {
        return 0;
    }
    let mid = lo + (hi - lo) / 2;
    let left = fill_max_end(entries, max_end, lo, mid);
    let right = fill_max_end(entries, max_end, mid + 1, hi);
    let here = entries[mid].span.end.0.max(left).max(right);
    max_end[mid] = here;
    here
}

/// Gives each span a lane (0, 1, 2, …) so that spans sharing a byte never
/// share a lane: the drawing depth of stacked underlines. Spans are taken in
/// document order and each gets the lowest lane free at its start, so an
/// outer span sits below the spans nested in it. Returns lanes in input order.
#[must_use]
pub fn assign_lanes(spans: &[Span]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].start, std::cmp::Reverse(spans[i].end), i));
    // Lanes in use, by when they come free, and lanes free again, lowest first:
    // dense paragraphs have hundreds of lanes, so no lane is searched for.
    let mut busy: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut free: BinaryHeap<Reverse<usize>> = BinaryHeap::new();
    let mut lane_count = 0;
    let mut lanes = vec![0; spans.len()];
    for i in order {
        let span = spans[i];
        while let Some(&Reverse((end, lane))) = busy.peek()
            && end <= span.start.0
        {
            busy.pop();
            free.push(Reverse(lane));
        }
        let lane = free.pop().map_or_else(
            || {
                lane_count += 1;
                lane_count - 1
            },
            |Reverse(lane)| lane,
        );
        busy.push(Reverse((span.end.0, lane)));
        lanes[i] = lane;
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn index(spans: &[(usize, usize)]) -> SpanIndex {
        SpanIndex::from_spans(
            spans
                .iter()
                .enumerate()
                .map(|(i, &(s, e))| (AnnotationId(i as u64 + 1), Span::new(s, e))),
        )
    }

    fn ids(found: &[(AnnotationId, Span)]) -> Vec<u64> {
        found.iter().map(|(id, _)| id.0).collect()
    }

    #[test]
    fn finds_overlaps_in_document_order() {
        // 1: [0,4)  2: [2,9)  3: [5,6)  4: [7,8)  5: [3,3) empty, strictly inside 1 and 2
        let index = index(&[(0, 4), (2, 9), (5, 6), (7, 8), (3, 3)]);
        assert_eq!(ids(&index.overlapping(Span::new(6, 8))), [2, 4]);
        assert_eq!(ids(&index.overlapping(Span::new(0, 100))), [1, 2, 5, 3, 4]);
        assert_eq!(ids(&index.at(ByteOffset(3))), [1, 2]);
        assert_eq!(ids(&index.at(ByteOffset(4))), [2]);
        assert!(index.overlapping(Span::new(9, 20)).is_empty());
        assert_eq!(ids(&index.overlapping(Span::new(3, 3))), [1, 2]);
    }

    #[test]
    fn nested_spans_get_deeper_lanes() {
        let spans = [
            Span::new(0, 10),
            Span::new(2, 5),
            Span::new(3, 4),
            Span::new(6, 9),
            Span::new(10, 12),
        ];
        assert_eq!(assign_lanes(&spans), [0, 1, 2, 1, 0]);
    }

    proptest! {
        #[test]
        fn overlap_queries_match_a_brute_force_scan(
            spans in proptest::collection::vec((0usize..60, 0usize..20), 0..80),
            start in 0usize..80,
            len in 0usize..30,
        ) {
            let spans: Vec<(usize, usize)> = spans.into_iter().map(|(s, l)| (s, s + l)).collect();
            let index = index(&spans);
            let query = Span::new(start, start + len);
            let mut expected: Vec<(usize, usize, u64)> = spans
                .iter()
                .enumerate()
                .filter(|&(_, &(s, e))| Span::new(s, e).overlaps(query))
                .map(|(i, &(s, e))| (s, e, i as u64 + 1))
                .collect();
            expected.sort_unstable();
            let expected: Vec<u64> = expected.into_iter().map(|(_, _, id)| id).collect();
            prop_assert_eq!(ids(&index.overlapping(query)), expected);
        }

        #[test]
        fn overlapping_spans_never_share_a_lane(
            spans in proptest::collection::vec((0usize..60, 1usize..20), 0..40),
        ) {
            let spans: Vec<Span> = spans.into_iter().map(|(s, l)| Span::new(s, s + l)).collect();
            let lanes = assign_lanes(&spans);
            for i in 0..spans.len() {
                for j in 0..i {
                    if spans[i].overlaps(spans[j]) {
                        prop_assert_ne!(lanes[i], lanes[j]);
                    }
                }
            }
        }

        /// Each span takes the lowest lane free at its start, as a plain search would give.
        #[test]
        fn lanes_are_the_lowest_free_ones(
            spans in proptest::collection::vec((0usize..60, 0usize..20), 0..40),
        ) {
            let spans: Vec<Span> = spans.into_iter().map(|(s, l)| Span::new(s, s + l)).collect();
            let mut order: Vec<usize> = (0..spans.len()).collect();
            order.sort_by_key(|&i| (spans[i].start, std::cmp::Reverse(spans[i].end), i));
            let mut lane_ends: Vec<usize> = Vec::new();
            let mut expected = vec![0; spans.len()];
            for i in order {
                let lane = lane_ends.iter().position(|&end| end <= spans[i].start.0).unwrap_or(lane_ends.len());
                if lane == lane_ends.len() {
                    lane_ends.push(0);
                }
                lane_ends[lane] = spans[i].end.0;
                expected[i] = lane;
            }
            prop_assert_eq!(assign_lanes(&spans), expected);
        }
    }
}
