//! The index against brute force and against a rebuild, through edits, undos and redos.

use super::*;
use crate::model::annotation::Annotation;
use crate::model::history::History;
use crate::model::project::SourceInfo;
use crate::model::tag_set::{TagId, TagSet};
use proptest::prelude::*;

const TEXT: &str = "Prices exploded last week, and nobody knows why; experts disagree.";

/// One change to make, by the position of an annotation among those there.
#[derive(Clone, Debug)]
enum Change {
    Add { start: usize, len: usize },
    Remove { nth: usize },
    Move { nth: usize, start: usize, len: usize },
    Tag { nth: usize },
}

impl Change {
    fn edit(self, project: &Project) -> Option<Edit> {
        let span = |start: usize, len: usize| Span::new(start, (start + len).min(TEXT.len()));
        let nth = |nth: usize| {
            let count = project.annotation_count();
            (count > 0)
                .then(|| project.annotations().nth(nth % count).map(|a| a.id))
                .flatten()
        };
        Some(match self {
            Change::Add { start, len } => {
                Edit::AddAnnotation(Annotation::new(project.next_annotation_id(), span(start, len)))
            }
            Change::Remove { nth: n } => Edit::RemoveAnnotation(nth(n)?),
            Change::Move { nth: n, start, len } => Edit::SetSpan {
                id: nth(n)?,
                span: span(start, len),
            },
            Change::Tag { nth: n } => Edit::InsertTag {
                id: nth(n)?,
                index: 0,
                tag: TagId("Claim".into()),
            },
        })
    }
}

#[derive(Clone, Debug)]
enum Step {
    /// One change, or several as a batch.
    Edit(Vec<Change>),
    Undo,
    Redo,
}

fn change_strategy() -> impl Strategy<Value = Change> {
    let at = 0usize..TEXT.len();
    prop_oneof![
        3 => (at.clone(), 0usize..15).prop_map(|(start, len)| Change::Add { start, len }),
        1 => any::<usize>().prop_map(|nth| Change::Remove { nth }),
        2 => (any::<usize>(), at, 0usize..15).prop_map(|(nth, start, len)| Change::Move { nth, start, len }),
        1 => any::<usize>().prop_map(|nth| Change::Tag { nth }),
    ]
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => proptest::collection::vec(change_strategy(), 1..4).prop_map(Step::Edit),
        1 => Just(Step::Undo),
        1 => Just(Step::Redo),
    ]
}

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

/// Every node in order, heap-ordered by rank, with the right `max_end`,
/// and as many as `len` says; returns the entries in order.
fn checked_entries(index: &SpanIndex) -> Vec<Entry> {
    fn walk(index: &SpanIndex, node: usize, out: &mut Vec<Entry>) -> usize {
        if node == NIL {
            return 0;
        }
        let Node {
            entry,
            left,
            right,
            max_end,
        } = index.nodes[node];
        for child in [left, right] {
            if child != NIL {
                assert!(index.nodes[child].entry.rank() < entry.rank(), "heap order");
            }
        }
        let left_max = walk(index, left, out);
        out.push(entry);
        let right_max = walk(index, right, out);
        assert_eq!(max_end, entry.span.end.0.max(left_max).max(right_max), "max_end");
        max_end
    }
    let mut entries = Vec::new();
    walk(index, index.root, &mut entries);
    assert!(
        entries.windows(2).all(|pair| pair[0].key() < pair[1].key()),
        "document order"
    );
    assert_eq!(entries.len(), index.len());
    entries
}

#[test]
fn inserts_and_removes_keep_the_tree_a_rebuild_would_give() {
    let mut index = SpanIndex::default();
    let spans: Vec<(AnnotationId, Span)> = (0..200u64)
        .map(|i| {
            let start = usize::try_from(i * 37 % 101).unwrap();
            (
                AnnotationId(i + 1),
                Span::new(start, start + usize::try_from(i % 13).unwrap()),
            )
        })
        .collect();
    for &(id, span) in &spans {
        index.insert(id, span);
    }
    for &(id, span) in spans.iter().step_by(3) {
        assert!(index.remove(id, span));
        assert!(!index.remove(id, span), "gone already");
    }
    let kept: Vec<(AnnotationId, Span)> = spans
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, &pair)| pair)
        .collect();
    let rebuilt = SpanIndex::from_spans(kept);
    assert_eq!(checked_entries(&index), checked_entries(&rebuilt));
    assert_eq!(
        index.nodes[index.root].entry, rebuilt.nodes[rebuilt.root].entry,
        "the same shape"
    );
    assert_eq!(
        index.overlapping(Span::new(0, 200)),
        rebuilt.overlapping(Span::new(0, 200))
    );
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

    /// The index kept up to date through edits, undos and redos answers
    /// every query as an index rebuilt from the project does.
    #[test]
    fn an_index_kept_up_to_date_answers_as_a_rebuilt_one(
        steps in proptest::collection::vec(step_strategy(), 1..40),
        queries in proptest::collection::vec((0usize..TEXT.len(), 0usize..20), 8),
    ) {
        let mut project = Project::new(TEXT.into(), SourceInfo::of_text(TEXT), TagSet::default_set());
        let mut history = History::new();
        let mut index = SpanIndex::new(&project);
        for step in steps {
            let before_revision = history.revision();
            match step {
                Step::Edit(kinds) => {
                    // Each change is made against the project as the ones before it leave it.
                    let mut scratch = project.clone();
                    let mut edits = Vec::new();
                    for kind in kinds {
                        if let Some(edit) = kind.edit(&scratch)
                            && edit.clone().apply(&mut scratch).is_ok()
                        {
                            edits.push(edit);
                        }
                    }
                    let edit = match <[Edit; 1]>::try_from(edits) {
                        Ok([one]) => one,
                        Err(many) => Edit::Batch(many),
                    };
                    let before = SpansBefore::of(&edit, &project);
                    if history.apply(&mut project, edit, None).is_ok() {
                        index.update(before, &project);
                    }
                }
                Step::Undo | Step::Redo => {
                    let undo = matches!(step, Step::Undo);
                    let next = if undo { history.undo_edit() } else { history.redo_edit() };
                    let before = next.map(|edit| SpansBefore::of(edit, &project));
                    let done = if undo { history.undo(&mut project) } else { history.redo(&mut project) };
                    prop_assert_eq!(done.unwrap(), before.is_some());
                    if let Some(before) = before {
                        index.update(before, &project);
                    }
                }
            }
            let rebuilt = SpanIndex::new(&project);
            let in_order: Vec<(AnnotationId, Span)> = index.in_document_order().collect();
            let expected: Vec<(AnnotationId, Span)> = project
                .annotations_in_document_order()
                .into_iter()
                .map(|a| (a.id, a.span))
                .collect();
            prop_assert_eq!(in_order, expected);
            prop_assert_eq!(checked_entries(&index), checked_entries(&rebuilt), "after a step from revision {}", before_revision);
            for &(start, len) in &queries {
                let query = Span::new(start, (start + len).min(TEXT.len()));
                prop_assert_eq!(index.overlapping(query), rebuilt.overlapping(query));
                prop_assert_eq!(index.at(ByteOffset(start)), rebuilt.at(ByteOffset(start)));
            }
        }
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
