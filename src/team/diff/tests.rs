//! Pairing annotations between two projects, and what is reported as changed.

use super::*;
use crate::model::project::SourceInfo;
use crate::model::tag_set::TagSet;

const TEXT: &str = "Officials say the plan is a triumph; critics call it a reckless gamble.";

fn annotation(id: u64, start: usize, end: usize, tags: &[&str]) -> Annotation {
    let mut annotation = Annotation::new(AnnotationId(id), Span::new(start, end));
    annotation.tags = tags.iter().map(|tag| TagId((*tag).into())).collect();
    annotation
}

fn project(annotations: Vec<Annotation>) -> Project {
    Project::from_parts(
        TEXT.into(),
        SourceInfo::of_text(TEXT),
        TagSet::default_set(),
        annotations,
    )
    .unwrap()
}

fn at(quote: &str) -> (usize, usize) {
    let start = TEXT.find(quote).unwrap();
    (start, start + quote.len())
}

fn ids(change: &AnnotationChange<'_>) -> (Option<u64>, Option<u64>) {
    match change {
        AnnotationChange::Added(b) => (None, Some(b.id.0)),
        AnnotationChange::Removed(a) => (Some(a.id.0), None),
        AnnotationChange::Changed { old, new } => (Some(old.id.0), Some(new.id.0)),
    }
}

#[test]
fn identical_projects_have_no_differences() {
    let (s, e) = at("a triumph");
    let old = project(vec![annotation(1, s, e, &["Loaded_Language", "Doubt"])]);
    let new = project(vec![annotation(1, s, e, &["Doubt", "Loaded_Language"])]);
    let found = diff(&old, &new).unwrap();
    assert!(found.is_empty(), "tags in another order are the same tags: {found:?}");
    assert_eq!((found.unchanged, found.renumbered), (1, 0));
}

#[test]
fn added_removed_and_changed_in_document_order() {
    let (ts, te) = at("a triumph");
    let (gs, ge) = at("a reckless gamble");
    let (cs, ce) = at("critics call it");
    let old = project(vec![
        annotation(1, gs, ge, &["Loaded_Language"]),
        annotation(2, ts, te, &["Exaggeration-Minimisation"]),
        annotation(3, cs, ce, &["Doubt"]),
    ]);
    let mut changed = annotation(1, gs + 2, ge, &["Loaded_Language", "Appeal_to_Fear-Prejudice"]);
    changed.counter_claims.push(CounterClaim::new("The plan was costed."));
    let new = project(vec![
        changed,
        annotation(2, ts, te, &["Exaggeration-Minimisation"]),
        annotation(4, 0, 9, &["Claim"]),
    ]);
    let found = diff(&old, &new).unwrap();
    let listed: Vec<_> = found.annotations.iter().map(ids).collect();
    assert_eq!(listed, vec![(None, Some(4)), (Some(3), None), (Some(1), Some(1))]);
    assert_eq!(found.unchanged, 1);
    let AnnotationChange::Changed { old: a, new: b } = found.annotations[2] else {
        panic!("changed");
    };
    let what = changes(a, b);
    assert_eq!(what.span, Some((Span::new(gs, ge), Span::new(gs + 2, ge))));
    assert_eq!(what.tags_added, vec![&TagId("Appeal_to_Fear-Prejudice".into())]);
    assert!(what.tags_removed.is_empty());
    assert_eq!(what.claims_added.len(), 1);
    assert!(what.claims_removed.is_empty());
}

#[test]
fn two_annotators_numbering_the_same_mark_differently_agree() {
    // Both started from #1; each added one more, both numbered 2, on different
    // words, and one also marked the other's phrase as #3.
    let (ts, te) = at("a triumph");
    let (gs, ge) = at("a reckless gamble");
    let base = annotation(1, 0, 9, &["Claim"]);
    let mine = project(vec![base.clone(), annotation(2, ts, te, &["Loaded_Language"])]);
    let theirs = project(vec![
        base,
        annotation(2, gs, ge, &["Loaded_Language"]),
        annotation(3, ts, te, &["Loaded_Language"]),
    ]);
    let found = diff(&mine, &theirs).unwrap();
    assert_eq!(
        found.annotations.iter().map(ids).collect::<Vec<_>>(),
        vec![(None, Some(2))]
    );
    assert_eq!((found.unchanged, found.renumbered), (2, 1));
}

#[test]
fn same_span_other_id_and_other_tags_is_a_change_not_two() {
    let (s, e) = at("a reckless gamble");
    let old = project(vec![annotation(5, s, e, &["Loaded_Language"])]);
    let new = project(vec![annotation(9, s, e, &["Doubt"])]);
    let found = diff(&old, &new).unwrap();
    assert_eq!(
        found.annotations.iter().map(ids).collect::<Vec<_>>(),
        vec![(Some(5), Some(9))]
    );
}

#[test]
fn tag_set_and_kept_record_changes_are_listed() {
    let old = project(Vec::new());
    let mut tags = TagSet::default_set();
    let removed = tags.tags.remove(0);
    tags.tags[0].name = "Guilt by association (renamed)".into();
    let mut new = Project::new(TEXT.into(), SourceInfo::of_text(TEXT), tags);
    new.set_foreign_records(vec![ForeignRecord {
        format: "brat".into(),
        record: "#1\tAnnotatorNotes T1\tchecked".into(),
        refers_to: Vec::new(),
    }]);
    let found = diff(&old, &new).unwrap();
    assert_eq!(found.tags.len(), 2);
    assert_eq!(found.tags[0], TagChange::Removed(&removed));
    assert!(
        matches!(found.tags[1], TagChange::Changed { old, new } if old.id == new.id && new.name.ends_with("(renamed)"))
    );
    assert_eq!(found.records_added.len(), 1);
    assert!(!found.is_empty());
}

#[test]
fn another_text_is_refused() {
    let old = project(Vec::new());
    let other = TEXT.replace("triumph", "success");
    let new = Project::new(other.clone(), SourceInfo::of_text(&other), TagSet::default_set());
    assert!(diff(&old, &new).is_err());
}

#[test]
fn a_renumbered_copy_is_the_same_project() {
    let marks = [
        "Officials",
        "the plan",
        "a triumph",
        "critics call it",
        "a reckless gamble",
    ];
    let numbered = |first: u64| {
        project(
            marks
                .iter()
                .enumerate()
                .map(|(index, quote)| {
                    let (s, e) = at(quote);
                    annotation(first + (marks.len() - index) as u64, s, e, &["Doubt"])
                })
                .collect(),
        )
    };
    let (old, new) = (numbered(1), numbered(40));
    let found = diff(&old, &new).unwrap();
    assert!(found.is_empty(), "{found:?}");
    assert_eq!((found.unchanged, found.renumbered), (5, 5));
}
