//! The laws of the merge over random edits of two annotators (issue 14), and
//! its rules case by case.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::{MergeError, merge};
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::conflict::{Conflict, ConflictField};
use crate::model::edit::Edit;
use crate::model::project::{Project, SourceInfo};
use crate::model::relations::RelationTypeId;
use crate::model::span::Span;
use crate::model::tag_set::{TagId, TagSet};
use crate::model::uid::Uid;

/// ASCII, so byte offsets are character offsets and every offset is a boundary.
const TEXT: &str = "Prices exploded. The minister said nothing, as always. Everybody knows why.";
const TAGS: [&str; 4] = ["Claim", "Evidence", "Doubt", "Loaded_Language"];

fn tag(name: &str) -> TagId {
    TagId(name.to_owned())
}

fn span(start: usize, length: usize) -> Span {
    let start = start % TEXT.len();
    Span::new(start, (start + length).min(TEXT.len()))
}

/// Moves annotation `id` of `project` to `to`.
fn set_span(project: &mut Project, id: AnnotationId, to: Span) {
    Edit::SetSpan { id, span: to }.apply(project).unwrap();
}

/// Adds a new five-character annotation tagged `tag_name` at `start`; its id.
fn added(project: &mut Project, start: usize, tag_name: &str) -> AnnotationId {
    let mut annotation = Annotation::created(project.next_annotation_id(), span(start, 5));
    annotation.tags.push(tag(tag_name));
    let id = annotation.id;
    Edit::AddAnnotation(annotation).apply(project).unwrap();
    id
}

/// A base of `marks` (start, length, tag), with uids derived as for an old file.
fn base(marks: &[(usize, usize, usize)]) -> Project {
    let annotations = marks
        .iter()
        .enumerate()
        .map(|(i, &(start, length, t))| {
            let mut annotation = Annotation::new(AnnotationId(i as u64 + 1), span(start, length));
            annotation.tags.push(tag(TAGS[t % TAGS.len()]));
            annotation
        })
        .collect();
    Project::from_parts(
        TEXT.into(),
        SourceInfo::of_text(TEXT),
        TagSet::default_set(),
        annotations,
    )
    .unwrap()
}

/// One annotator's change, to the `target`-th annotation of base (modulo their count).
#[derive(Clone, Debug)]
enum Op {
    Remove(usize),
    Move(usize, usize, usize),
    Retag(usize, usize),
    Claim(usize, String),
    Add(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<usize>().prop_map(Op::Remove),
        (any::<usize>(), 0..80usize, 0..12usize).prop_map(|(i, s, l)| Op::Move(i, s, l)),
        (any::<usize>(), 0..4usize).prop_map(|(i, t)| Op::Retag(i, t)),
        (any::<usize>(), "[a-z ]{1,6}").prop_map(|(i, text)| Op::Claim(i, text)),
        (0..80usize, 0..12usize).prop_map(|(s, l)| Op::Add(s, l)),
    ]
}

fn marks() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    proptest::collection::vec((0..80usize, 0..12usize, 0..4usize), 0..8)
}

/// The base annotation an op targets, if `allowed` lets this side touch it.
fn target(base: &Project, index: usize, allowed: &dyn Fn(usize) -> bool) -> Option<Uid> {
    let count = base.annotation_count();
    if count == 0 || !allowed(index % count) {
        return None;
    }
    base.annotations().nth(index % count).map(|annotation| annotation.uid)
}

/// Base edited by `ops` through `Edit`s, as the window would; ops on base
/// annotations `allowed` forbids, or already removed, are skipped. New
/// annotations get `added_tag`.
fn edited(base: &Project, ops: &[Op], allowed: &dyn Fn(usize) -> bool, added_tag: &str) -> Project {
    let mut project = base.clone();
    for op in ops {
        let annotation =
            |index: usize| target(base, index, allowed).and_then(|uid| project.annotation_by_uid(uid).cloned());
        let edit = match op {
            Op::Remove(i) => annotation(*i).map(|a| Edit::RemoveAnnotation(a.id)),
            Op::Move(i, s, l) => annotation(*i).map(|a| Edit::SetSpan {
                id: a.id,
                span: span(*s, *l),
            }),
            Op::Retag(i, t) => annotation(*i).map(|a| {
                let new = tag(TAGS[*t]);
                if a.tags.contains(&new) {
                    Edit::RemoveTag { id: a.id, tag: new }
                } else {
                    Edit::InsertTag {
                        id: a.id,
                        index: a.tags.len(),
                        tag: new,
                    }
                }
            }),
            Op::Claim(i, text) => annotation(*i).map(|a| Edit::InsertCounterClaim {
                id: a.id,
                index: a.counter_claims.len(),
                claim: CounterClaim::new(text.clone()),
            }),
            Op::Add(s, l) => {
                let mut added = Annotation::created(project.next_annotation_id(), span(*s, *l));
                added.tags.push(tag(added_tag));
                Some(Edit::AddAnnotation(added))
            }
        };
        if let Some(edit) = edit {
            edit.apply(&mut project).unwrap();
        }
    }
    project
}

/// What an annotation says, its number and uid aside (claims as text and sources, to be sortable).
type Content = (Span, Vec<TagId>, Vec<(String, Vec<String>)>);

fn content(annotation: &Annotation) -> Content {
    let claims = annotation
        .counter_claims
        .iter()
        .map(|claim| (claim.text.clone(), claim.sources.clone()))
        .collect();
    (annotation.span, annotation.tags.clone(), claims)
}

fn conflicted_uids(project: &Project) -> BTreeSet<Uid> {
    project
        .conflicts()
        .iter()
        .filter_map(|conflict| match conflict {
            Conflict::Annotation { uid, .. } => Some(*uid),
            Conflict::Tag { .. } => None,
        })
        .collect()
}

/// The contents of the annotations not in conflict, sorted: equal for two
/// merges that differ only in which side was ours.
fn settled(project: &Project) -> Vec<Content> {
    let conflicted = conflicted_uids(project);
    let mut contents: Vec<_> = project
        .annotations()
        .filter(|annotation| !conflicted.contains(&annotation.uid))
        .map(content)
        .collect();
    contents.sort();
    contents
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merging_a_side_with_an_unchanged_other_gives_that_side(marks in marks(), ops in proptest::collection::vec(op(), 0..10)) {
        let base = base(&marks);
        let x = edited(&base, &ops, &|_| true, "Claim");
        let merged = merge(&base, &x, &base).unwrap();
        prop_assert_eq!(merged.new_conflicts, 0);
        prop_assert_eq!(&merged.project, &x);
    }

    #[test]
    fn merging_is_symmetric_up_to_conflict_sides(
        marks in marks(),
        ours in proptest::collection::vec(op(), 0..10),
        theirs in proptest::collection::vec(op(), 0..10),
    ) {
        let base = base(&marks);
        let x = edited(&base, &ours, &|_| true, "Claim");
        let y = edited(&base, &theirs, &|_| true, "Evidence");
        let xy = merge(&base, &x, &y).unwrap().project;
        let yx = merge(&base, &y, &x).unwrap().project;
        prop_assert_eq!(conflicted_uids(&xy), conflicted_uids(&yx));
        prop_assert_eq!(settled(&xy), settled(&yx));
        let swapped: Vec<Conflict> = yx.conflicts().iter().cloned().map(|conflict| match conflict {
            Conflict::Annotation { uid, fields, mut sides } => {
                std::mem::swap(&mut sides.ours, &mut sides.theirs);
                Conflict::Annotation { uid, fields, sides }
            }
            Conflict::Tag { id, fields, mut sides } => {
                std::mem::swap(&mut sides.ours, &mut sides.theirs);
                Conflict::Tag { id, fields, sides }
            }
        }).collect();
        prop_assert_eq!(xy.conflicts(), &swapped[..]);
    }

    #[test]
    fn edits_that_do_not_meet_merge_into_their_union(
        marks in marks(),
        ours in proptest::collection::vec(op(), 0..10),
        theirs in proptest::collection::vec(op(), 0..10),
    ) {
        let base = base(&marks);
        // Ours touches even-numbered base annotations, theirs odd ones; both add.
        let x = edited(&base, &ours, &|i| i % 2 == 0, "Claim");
        let y = edited(&base, &theirs, &|i| i % 2 == 1, "Evidence");
        let merged = merge(&base, &x, &y).unwrap();
        prop_assert_eq!(merged.new_conflicts, 0);
        let mut expected: BTreeMap<Uid, _> = BTreeMap::new();
        for (i, annotation) in base.annotations().enumerate() {
            let side = if i % 2 == 0 { &x } else { &y };
            if let Some(now) = side.annotation_by_uid(annotation.uid) {
                expected.insert(annotation.uid, content(now));
            }
        }
        for side in [&x, &y] {
            for added in side.annotations().filter(|a| base.annotation_by_uid(a.uid).is_none()) {
                expected.insert(added.uid, content(added));
            }
        }
        let got: BTreeMap<Uid, _> = merged.project.annotations().map(|a| (a.uid, content(a))).collect();
        prop_assert_eq!(got, expected);
        let ids: BTreeSet<AnnotationId> = merged.project.annotations().map(|a| a.id).collect();
        prop_assert_eq!(ids.len(), merged.project.annotation_count());
    }

    #[test]
    fn no_merge_loses_an_annotation_neither_side_removed(
        marks in marks(),
        ours in proptest::collection::vec(op(), 0..10),
        theirs in proptest::collection::vec(op(), 0..10),
    ) {
        let base = base(&marks);
        let x = edited(&base, &ours, &|_| true, "Claim");
        let y = edited(&base, &theirs, &|_| true, "Claim");
        let merged = merge(&base, &x, &y).unwrap().project;
        let contents: BTreeSet<_> = merged.annotations().map(content).collect();
        for (side, other) in [(&x, &y), (&y, &x)] {
            for annotation in side.annotations() {
                let removed_by_other = base.annotation_by_uid(annotation.uid).is_some()
                    && other.annotation_by_uid(annotation.uid).is_none();
                if removed_by_other {
                    continue;
                }
                // Kept under its uid, or once as the other's identical addition.
                prop_assert!(
                    merged.annotation_by_uid(annotation.uid).is_some() || contents.contains(&content(annotation)),
                    "{annotation:?} lost"
                );
            }
        }
    }
}

#[test]
fn changes_on_both_sides_become_conflicts_keeping_ours_and_every_version() {
    let base = base(&[(0, 6, 0), (17, 12, 1)]);
    let first = base.annotations().next().unwrap().clone();
    let second = base.annotations().nth(1).unwrap().clone();
    let mut x = base.clone();
    let mut y = base.clone();
    set_span(&mut x, first.id, span(0, 15));
    set_span(&mut y, first.id, span(7, 8));
    // Ours removes the second, theirs tags it.
    Edit::RemoveAnnotation(second.id).apply(&mut x).unwrap();
    Edit::InsertTag {
        id: second.id,
        index: 1,
        tag: tag("Doubt"),
    }
    .apply(&mut y)
    .unwrap();
    let merged = merge(&base, &x, &y).unwrap();
    assert_eq!(merged.new_conflicts, 2);
    let project = &merged.project;
    assert_eq!(
        project.annotation(first.id).unwrap().span,
        span(0, 15),
        "ours stays until resolved"
    );
    assert_eq!(
        project.annotation(second.id).unwrap().tags,
        [tag("Evidence"), tag("Doubt")],
        "theirs' change is kept"
    );
    let [
        Conflict::Annotation { uid, fields, sides },
        Conflict::Annotation {
            fields: removed_fields,
            sides: removed,
            ..
        },
    ] = project.conflicts()
    else {
        panic!("{:?}", project.conflicts());
    };
    assert_eq!((*uid, &fields[..]), (first.uid, &[ConflictField::Span][..]));
    assert_eq!(sides.theirs.as_ref().unwrap().span, span(7, 8));
    assert_eq!(sides.base.as_ref().unwrap().span, span(0, 6));
    assert_eq!(&removed_fields[..], [ConflictField::Tags]);
    assert!(removed.ours.is_none() && removed.theirs.is_some());
    assert!(
        project.conflicts()[1].describe().contains("ours removed it"),
        "{}",
        project.conflicts()[1].describe()
    );
}

#[test]
fn numbers_only_theirs_gave_are_renumbered_when_ours_gave_them_too() {
    let base = base(&[(0, 6, 0)]);
    let mut x = base.clone();
    let mut y = base.clone();
    added(&mut x, 17, "Claim");
    added(&mut y, 30, "Doubt");
    added(&mut y, 40, "Doubt");
    let merged = merge(&base, &x, &y).unwrap().project;
    let numbers: Vec<(u64, usize)> = merged.annotations().map(|a| (a.id.0, a.span.start.0)).collect();
    // Ours' #2 stays; theirs' #3 is free and never ours' to give; theirs' #2 takes the next free number, 4.
    assert_eq!(numbers, [(1, 0), (2, 17), (3, 40), (4, 30)]);
    assert_eq!(merged.next_annotation_id(), AnnotationId(5));
    assert!(merged.conflicts().is_empty());
}

#[test]
fn the_same_mark_added_on_both_sides_is_kept_once() {
    let base = base(&[]);
    let mut x = base.clone();
    let mut y = base.clone();
    for project in [&mut x, &mut y] {
        let (edit, _) = Edit::tag_span(project, span(7, 8), tag("Claim")).unwrap();
        edit.apply(project).unwrap();
    }
    let merged = merge(&base, &x, &y).unwrap().project;
    assert_eq!(merged.annotation_count(), 1);
    assert_eq!(
        merged.annotations().next().unwrap().uid,
        x.annotations().next().unwrap().uid
    );
}

#[test]
fn a_tag_removed_on_one_side_and_used_on_the_other_comes_back_as_a_conflict() {
    let base = base(&[(0, 6, 0)]);
    let mut x = base.clone();
    let mut y = base.clone();
    Edit::RemoveTagDefinition(tag("Doubt")).apply(&mut y).unwrap();
    let (edit, _) = Edit::tag_span(&x, span(20, 5), tag("Doubt")).unwrap();
    edit.apply(&mut x).unwrap();
    let merged = merge(&base, &x, &y).unwrap().project;
    assert!(merged.tag_set().get(&tag("Doubt")).is_some());
    assert!(
        matches!(merged.conflicts(), [Conflict::Tag { id, sides, .. }] if *id == tag("Doubt") && sides.theirs.is_none())
    );
}

#[test]
fn different_texts_are_refused() {
    let base = base(&[]);
    let other = "Prices fell.";
    let y = Project::new(other.into(), SourceInfo::of_text(other), TagSet::default_set());
    let error = merge(&base, &base, &y).unwrap_err();
    assert!(
        matches!(error, MergeError::DifferentTexts { side: "theirs", .. }),
        "{error}"
    );
    assert!(error.to_string().contains("line 1, column 8"), "{error}");
    let mut source = SourceInfo::of_text(TEXT);
    source.sha256 = "0".repeat(64);
    let z = Project::new(TEXT.into(), source, TagSet::default_set());
    let error = merge(&base, &base, &z).unwrap_err();
    assert!(
        matches!(error, MergeError::DifferentHashes { side: "theirs", .. }),
        "{error}"
    );
}

#[test]
fn each_choice_settles_a_conflict_in_one_edit_that_undoes_exactly() {
    use crate::model::conflict::{Choice, choices, resolution};
    let base = base(&[(0, 6, 0), (17, 12, 1)]);
    let first = base.annotations().next().unwrap().clone();
    let second = base.annotations().nth(1).unwrap().clone();
    let (mut x, mut y) = (base.clone(), base.clone());
    set_span(&mut x, first.id, span(0, 15));
    set_span(&mut y, first.id, span(7, 8));
    Edit::RemoveAnnotation(second.id).apply(&mut x).unwrap();
    Edit::InsertCounterClaim {
        id: second.id,
        index: 0,
        claim: CounterClaim::new("No."),
    }
    .apply(&mut y)
    .unwrap();
    let merged = merge(&base, &x, &y).unwrap().project;
    assert_eq!(
        choices(&merged.conflicts()[0]),
        [Choice::Base, Choice::Ours, Choice::Theirs, Choice::Both]
    );
    assert_eq!(
        choices(&merged.conflicts()[1]),
        [Choice::Base, Choice::Ours, Choice::Theirs]
    );
    let expected_first = [
        (Choice::Base, span(0, 6)),
        (Choice::Ours, span(0, 15)),
        (Choice::Theirs, span(7, 8)),
    ];
    for (choice, wanted) in expected_first {
        let mut project = merged.clone();
        let undo = resolution(&project, 0, choice).unwrap().apply(&mut project).unwrap();
        assert_eq!(project.annotation(first.id).unwrap().span, wanted, "{choice:?}");
        assert_eq!(project.conflicts().len(), 1);
        undo.apply(&mut project).unwrap();
        assert_eq!(project, merged, "{choice:?} undoes exactly");
    }
    // Ours removed the second: choosing ours removes it, base brings it back without theirs' claim.
    let mut project = merged.clone();
    resolution(&project, 1, Choice::Ours)
        .unwrap()
        .apply(&mut project)
        .unwrap();
    assert!(project.annotation_by_uid(second.uid).is_none());
    let mut project = merged.clone();
    resolution(&project, 1, Choice::Base)
        .unwrap()
        .apply(&mut project)
        .unwrap();
    let back = project.annotation_by_uid(second.uid).unwrap();
    assert!(back.counter_claims.is_empty() && back.id == second.id);
    assert_eq!(resolution(&project, 5, Choice::Ours), None);
}

#[test]
fn links_merge_as_a_set_following_renumbered_annotations_and_labels_changed_on_both_sides_are_refused() {
    let base = base(&[(0, 6, 0), (17, 5, 1)]);
    let mut x = base.clone();
    let mut y = base.clone();
    let link = |project: &mut Project, kind: &str, from: AnnotationId, to: AnnotationId| {
        let (edit, _) = Edit::add_relation(project, &RelationTypeId(kind.into()), from, to).unwrap();
        edit.apply(project).unwrap();
    };
    // Both link #2 to #1 before they part: the base has it.
    let mut base = base;
    link(&mut base, "supports", AnnotationId(2), AnnotationId(1));
    link(&mut x, "supports", AnnotationId(2), AnnotationId(1));
    link(&mut y, "supports", AnnotationId(2), AnnotationId(1));
    let ours_new = added(&mut x, 30, "Claim");
    link(&mut x, "attacks", ours_new, AnnotationId(2));
    let theirs_new = added(&mut y, 40, "Claim");
    link(&mut y, "supports", theirs_new, AnnotationId(1));
    // Theirs removes the shared link.
    let shared = y.relations().next().unwrap().id;
    Edit::RemoveRelation(shared).apply(&mut y).unwrap();

    let merged = merge(&base, &x, &y).unwrap().project;
    let start = |id| merged.annotation(id).unwrap().span.start.0;
    let links: Vec<(String, usize, usize)> = merged
        .relations()
        .map(|r| (r.kind.0.clone(), start(r.from), start(r.to)))
        .collect();
    // Ours' new link, and theirs' on their renumbered annotation; the removed one is gone.
    assert_eq!(links, [("attacks".to_owned(), 30, 17), ("supports".to_owned(), 40, 0)]);
    let ids: BTreeSet<u64> = merged.relations().map(|r| r.id.0).collect();
    assert_eq!(ids.len(), 2);

    x.set_document_labels([("Verdict".to_owned(), "False".to_owned())].into_iter().collect());
    y.set_document_labels([("Verdict".to_owned(), "True".to_owned())].into_iter().collect());
    assert_eq!(merge(&base, &x, &y), Err(MergeError::DifferentLinks));
}
