//! An interval index over annotation spans: which annotations overlap a byte
//! range, or cover an offset, in `O(log n + k)` for `k` answers (expected),
//! kept up to date edit by edit in `O(log n)` per span an edit adds, removes
//! or moves.
//!
//! The spans sit in a treap: a binary search tree in document order (start,
//! end, id) that is also a heap on a rank drawn from the annotation id. The
//! ranks keep it balanced (expected depth `O(log n)`) whatever order the
//! edits come in, and a given set of spans always has the same shape, so an
//! index kept up to date is the very tree a rebuild would give. Every node
//! stores the largest end in its subtree, so whole subtrees that end before
//! the query are skipped.
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
//! After an edit: take [`SpansBefore::of`] the edit, apply it, then hand that
//! to [`SpanIndex::update`] (undo and redo likewise, with the edit the
//! history is about to apply).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::annotation::AnnotationId;
use super::edit::Edit;
use super::offsets::ByteOffset;
use super::project::Project;
use super::span::Span;

/// No node: an empty subtree.
const NIL: usize = usize::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    span: Span,
    id: AnnotationId,
}

impl Entry {
    /// Document order, the order of the tree.
    fn key(self) -> (ByteOffset, ByteOffset, AnnotationId) {
        (self.span.start, self.span.end, self.id)
    }

    /// Heap order: a node outranks its children. Mixed from the id (unique
    /// in a project), ties broken by the key, so every set has one shape.
    fn rank(self) -> (u64, (ByteOffset, ByteOffset, AnnotationId)) {
        (mix(self.id.0), self.key())
    }
}

/// `SplitMix64`'s finaliser: nearby ids get unrelated ranks.
fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[derive(Clone, Copy, Debug)]
struct Node {
    entry: Entry,
    left: usize,
    right: usize,
    /// The largest end in the subtree rooted here.
    max_end: usize,
}

/// Annotation spans of one project state, indexed for overlap queries.
#[derive(Clone, Debug)]
pub struct SpanIndex {
    /// The nodes; removed ones are listed in `free` for reuse.
    nodes: Vec<Node>,
    free: Vec<usize>,
    root: usize,
    len: usize,
}

impl Default for SpanIndex {
    fn default() -> Self {
        Self {
            nodes: Vec::new(),
            free: Vec::new(),
            root: NIL,
            len: 0,
        }
    }
}

impl SpanIndex {
    /// Indexes every annotation of `project`.
    #[must_use]
    pub fn new(project: &Project) -> Self {
        Self::from_spans(project.annotations().map(|a| (a.id, a.span)))
    }

    /// Indexes the given spans (their ids distinct), in `O(n log n)`.
    #[must_use]
    pub fn from_spans(spans: impl IntoIterator<Item = (AnnotationId, Span)>) -> Self {
        let mut entries: Vec<Entry> = spans.into_iter().map(|(id, span)| Entry { span, id }).collect();
        entries.sort_unstable_by_key(|e| e.key());
        let mut index = Self {
            nodes: Vec::with_capacity(entries.len()),
            len: entries.len(),
            ..Self::default()
        };
        // In document order, each node goes on the right edge of the tree
        // built so far: it takes the lower-ranked tail of that edge as its left
        // subtree (a Cartesian tree, built in linear time).
        let mut right_edge: Vec<usize> = Vec::new();
        for entry in entries {
            let node = index.nodes.len();
            index.nodes.push(Node {
                entry,
                left: NIL,
                right: NIL,
                max_end: entry.span.end.0,
            });
            let mut below = NIL;
            while let Some(&top) = right_edge.last()
                && index.nodes[top].entry.rank() < entry.rank()
            {
                below = top;
                right_edge.pop();
            }
            index.nodes[node].left = below;
            if let Some(&parent) = right_edge.last() {
                index.nodes[parent].right = node;
            }
            right_edge.push(node);
        }
        index.root = right_edge.first().copied().unwrap_or(NIL);
        index.fill_max_end(index.root);
        index
    }

    /// How many spans are indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The annotations that overlap `range` by [`Span::overlaps`], in
    /// document order (start, end, id).
    #[must_use]
    pub fn overlapping(&self, range: Span) -> Vec<(AnnotationId, Span)> {
        let mut found = Vec::new();
        self.visit(self.root, range, &mut found);
        found
    }

    /// The annotations covering the character that starts at `offset`.
    #[must_use]
    pub fn at(&self, offset: ByteOffset) -> Vec<(AnnotationId, Span)> {
        self.overlapping(Span::new(offset.0, offset.0 + 1))
    }

    /// Every indexed annotation in document order (start, end, id), in `O(n)`
    /// with no sorting.
    pub fn in_document_order(&self) -> impl Iterator<Item = (AnnotationId, Span)> + '_ {
        InOrder {
            index: self,
            above: Vec::new(),
            next: self.root,
        }
    }

    /// Adds annotation `id` at `span`, in `O(log n)` expected.
    pub fn insert(&mut self, id: AnnotationId, span: Span) {
        let node = Node {
            entry: Entry { span, id },
            left: NIL,
            right: NIL,
            max_end: span.end.0,
        };
        let slot = if let Some(slot) = self.free.pop() {
            self.nodes[slot] = node;
            slot
        } else {
            self.nodes.push(node);
            self.nodes.len() - 1
        };
        self.root = self.insert_under(self.root, slot);
        self.len += 1;
    }

    /// Removes annotation `id` at `span`, in `O(log n)` expected; false if it was not indexed there.
    pub fn remove(&mut self, id: AnnotationId, span: Span) -> bool {
        let (root, removed) = self.remove_under(self.root, (span.start, span.end, id));
        self.root = root;
        if removed {
            self.len -= 1;
        }
        removed
    }

    /// Brings the index up to date after the edit `before` was taken of:
    /// each span it touched leaves its old place and takes its new one.
    pub fn update(&mut self, before: SpansBefore, project: &Project) {
        for (id, old) in before.0 {
            let new = project.annotation(id).map(|a| a.span);
            if old == new {
                continue;
            }
            if let Some(span) = old {
                self.remove(id, span);
            }
            if let Some(span) = new {
                self.insert(id, span);
            }
        }
    }

    fn visit(&self, node: usize, range: Span, found: &mut Vec<(AnnotationId, Span)>) {
        if node == NIL || self.nodes[node].max_end <= range.start.0 {
            return;
        }
        let Node { entry, left, right, .. } = self.nodes[node];
        self.visit(left, range, found);
        if entry.span.start >= range.end {
            return;
        }
        if entry.span.overlaps(range) {
            found.push((entry.id, entry.span));
        }
        self.visit(right, range, found);
    }

    fn max_end_of(&self, node: usize) -> usize {
        if node == NIL { 0 } else { self.nodes[node].max_end }
    }

    /// Recomputes a node's `max_end` from its children's.
    fn pull(&mut self, node: usize) {
        let Node { entry, left, right, .. } = self.nodes[node];
        self.nodes[node].max_end = entry.span.end.0.max(self.max_end_of(left)).max(self.max_end_of(right));
    }

    fn fill_max_end(&mut self, node: usize) {
        if node == NIL {
            return;
        }
        self.fill_max_end(self.nodes[node].left);
        self.fill_max_end(self.nodes[node].right);
        self.pull(node);
    }

    /// Puts the lone node `new` into the subtree `under`; returns the subtree's root.
    fn insert_under(&mut self, under: usize, new: usize) -> usize {
        if under == NIL {
            return new;
        }
        let entry = self.nodes[new].entry;
        if entry.rank() > self.nodes[under].entry.rank() {
            let (left, right) = self.split(under, entry.key());
            self.nodes[new].left = left;
            self.nodes[new].right = right;
            self.pull(new);
            return new;
        }
        if entry.key() < self.nodes[under].entry.key() {
            let left = self.insert_under(self.nodes[under].left, new);
            self.nodes[under].left = left;
        } else {
            let right = self.insert_under(self.nodes[under].right, new);
            self.nodes[under].right = right;
        }
        self.pull(under);
        under
    }

    /// Splits a subtree into the nodes before `key` and the rest.
    fn split(&mut self, node: usize, key: (ByteOffset, ByteOffset, AnnotationId)) -> (usize, usize) {
        if node == NIL {
            return (NIL, NIL);
        }
        if self.nodes[node].entry.key() < key {
            let (left, right) = self.split(self.nodes[node].right, key);
            self.nodes[node].right = left;
            self.pull(node);
            (node, right)
        } else {
            let (left, right) = self.split(self.nodes[node].left, key);
            self.nodes[node].left = right;
            self.pull(node);
            (left, node)
        }
    }

    /// Joins two subtrees, every key of `first` before every key of `second`.
    fn merge(&mut self, first: usize, second: usize) -> usize {
        if first == NIL {
            return second;
        }
        if second == NIL {
            return first;
        }
        if self.nodes[first].entry.rank() > self.nodes[second].entry.rank() {
            let right = self.merge(self.nodes[first].right, second);
            self.nodes[first].right = right;
            self.pull(first);
            first
        } else {
            let left = self.merge(first, self.nodes[second].left);
            self.nodes[second].left = left;
            self.pull(second);
            second
        }
    }

    /// Removes the node with `key` from a subtree; its new root, and whether it was there.
    fn remove_under(&mut self, node: usize, key: (ByteOffset, ByteOffset, AnnotationId)) -> (usize, bool) {
        if node == NIL {
            return (NIL, false);
        }
        let Node { entry, left, right, .. } = self.nodes[node];
        let removed = match key.cmp(&entry.key()) {
            Ordering::Equal => {
                self.free.push(node);
                return (self.merge(left, right), true);
            }
            Ordering::Less => {
                let (left, removed) = self.remove_under(left, key);
                self.nodes[node].left = left;
                removed
            }
            Ordering::Greater => {
                let (right, removed) = self.remove_under(right, key);
                self.nodes[node].right = right;
                removed
            }
        };
        if removed {
            self.pull(node);
        }
        (node, removed)
    }
}

/// An in-order walk of the tree.
struct InOrder<'a> {
    index: &'a SpanIndex,
    /// Nodes whose left subtree is being walked: each comes next once it is done.
    above: Vec<usize>,
    /// The subtree to walk before them.
    next: usize,
}

impl Iterator for InOrder<'_> {
    type Item = (AnnotationId, Span);

    fn next(&mut self) -> Option<Self::Item> {
        while self.next != NIL {
            self.above.push(self.next);
            self.next = self.index.nodes[self.next].left;
        }
        let node = self.above.pop()?;
        let Node { entry, right, .. } = self.index.nodes[node];
        self.next = right;
        Some((entry.id, entry.span))
    }
}

/// The spans an edit may add, remove or move, as they are before it is
/// applied: taken with [`SpansBefore::of`], handed to [`SpanIndex::update`] after.
#[derive(Debug, Default)]
pub struct SpansBefore(Vec<(AnnotationId, Option<Span>)>);

impl SpansBefore {
    /// The spans now of the annotations `edit` adds, removes or moves (`None` where there is none yet).
    #[must_use]
    pub fn of(edit: &Edit, project: &Project) -> Self {
        let mut ids = Vec::new();
        touched(edit, &mut ids);
        ids.sort_unstable();
        ids.dedup();
        Self(
            ids.into_iter()
                .map(|id| (id, project.annotation(id).map(|a| a.span)))
                .collect(),
        )
    }
}

/// The annotations whose span `edit` may add, remove or move. Every kind of
/// edit is named, so a new one must say whether it moves spans.
fn touched(edit: &Edit, ids: &mut Vec<AnnotationId>) {
    match edit {
        Edit::AddAnnotation(annotation) => ids.push(annotation.id),
        Edit::RemoveAnnotation(id) | Edit::SetSpan { id, .. } => ids.push(*id),
        Edit::Batch(edits) => {
            for edit in edits {
                touched(edit, ids);
            }
        }
        Edit::InsertTag { .. }
        | Edit::RemoveTag { .. }
        | Edit::InsertCounterClaim { .. }
        | Edit::RemoveCounterClaim { .. }
        | Edit::SetCounterClaim { .. }
        | Edit::InsertTagDefinition { .. }
        | Edit::UpdateTagDefinition(_)
        | Edit::RemoveTagDefinition(_)
        | Edit::SetReview { .. }
        | Edit::InsertReferences(_)
        | Edit::RemoveReferences(_)
        | Edit::InsertConflict { .. }
        | Edit::RemoveConflict(_)
        | Edit::AddRelation(_)
        | Edit::RemoveRelation(_)
        | Edit::SetRelationType { .. }
        | Edit::InsertRelationType { .. }
        | Edit::UpdateRelationType(_)
        | Edit::RemoveRelationType(_)
        | Edit::SetAttribute { .. }
        | Edit::SetDocumentLabel { .. }
        | Edit::SetDocumentLabelDeclarations(_) => {}
    }
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
mod tests;
