//! What refers to annotations by id (comment placements, kept records of
//! other formats, relations) and goes with them: removing an annotation or a
//! counter-claim takes its references out in the same edit, and undoing it
//! puts them back at their places.

use super::project::{CommentPlacement, ForeignRecord};
use super::relations::Relation;

/// What refers to annotations by id and goes when they do: comment
/// placements and kept records of other formats, each with its position in
/// its list (ascending), so that putting them back restores the lists
/// exactly, and relations (kept by id, so they need no position).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct References {
    pub placements: Vec<(usize, CommentPlacement)>,
    pub foreign_records: Vec<(usize, ForeignRecord)>,
    pub relations: Vec<Relation>,
}

impl References {
    /// Whether there is nothing here.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.placements.is_empty() && self.foreign_records.is_empty() && self.relations.is_empty()
    }
}

/// Why a set of references cannot be put back or taken out: the lists are
/// not as they were when the references were taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the comment placements, kept records or relations are not as the edit expects")]
pub struct ReferencesChanged;

/// Removes the items that match, returning each with its position before removal.
pub(super) fn take_where<T>(list: &mut Vec<T>, matches: impl Fn(&T) -> bool) -> Vec<(usize, T)> {
    if !list.iter().any(&matches) {
        return Vec::new();
    }
    let mut taken = Vec::new();
    let mut kept = Vec::with_capacity(list.len());
    for (index, item) in std::mem::take(list).into_iter().enumerate() {
        if matches(&item) {
            taken.push((index, item));
        } else {
            kept.push(item);
        }
    }
    *list = kept;
    taken
}

/// Whether items at these ascending positions can be inserted, in order, into a list of `len`.
pub(super) fn fits_inserted<T>(items: &[(usize, T)], len: usize) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(count, (index, _))| *index <= len + count && (count == 0 || items[count - 1].0 < *index))
}

/// Whether the list holds exactly these items at these ascending positions.
pub(super) fn is_at<T: PartialEq>(items: &[(usize, T)], list: &[T]) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(count, (index, item))| list.get(*index) == Some(item) && (count == 0 || items[count - 1].0 < *index))
}

#[cfg(test)]
mod tests {
    use crate::model::annotation::{AnnotationId, CounterClaim};
    use crate::model::edit::Edit;
    use crate::model::history::History;
    use crate::model::project::{CommentPlacement, ForeignRecord, Project, SourceInfo};
    use crate::model::span::Span;
    use crate::model::tag_set::TagSet;

    const TEXT: &str = "Nobody believes it. Prices exploded.";

    fn project() -> Project {
        Project::new(TEXT.to_owned(), SourceInfo::of_text(TEXT), TagSet::default_set())
    }

    #[test]
    fn deleting_an_annotation_takes_what_refers_to_it_and_undo_brings_both_back() {
        let mut project = project();
        let mut history = History::new();
        let mut ids = Vec::new();
        for span in [Span::new(0, 6), Span::new(7, 15)] {
            let (edit, id) = Edit::add_counter_claim(&project, span, CounterClaim::new("No."));
            history.apply(&mut project, edit, None).unwrap();
            ids.push(id);
        }
        let placement = |annotation: AnnotationId| CommentPlacement {
            annotation,
            claim: 0,
            leading: false,
            line_break: "\r\n".into(),
        };
        project.set_comment_layout(vec![placement(ids[0]), placement(ids[1])]);
        project.set_foreign_records(vec![
            ForeignRecord {
                format: "brat".into(),
                record: "R1\tRel Arg1:T1 Arg2:T2\t".into(),
                refers_to: vec![ids[0], ids[1]],
            },
            ForeignRecord {
                format: "brat".into(),
                record: "A1\tSure T2".into(),
                refers_to: vec![ids[1]],
            },
            ForeignRecord {
                format: "semeval".into(),
                record: "article 7".into(),
                refers_to: Vec::new(),
            },
        ]);
        let before = project.clone();
        history
            .apply(&mut project, Edit::RemoveAnnotation(ids[0]), None)
            .unwrap();
        assert_eq!(project.comment_layout(), [placement(ids[1])]);
        let kept: Vec<&str> = project.foreign_records().iter().map(|r| r.record.as_str()).collect();
        assert_eq!(kept, ["A1\tSure T2", "article 7"]);
        assert!(history.undo(&mut project).unwrap());
        assert_eq!(project, before);
        assert!(history.redo(&mut project).unwrap());
        assert_eq!(project.comment_layout(), [placement(ids[1])]);
        assert!(history.undo(&mut project).unwrap());
        assert_eq!(project, before);
    }

    #[test]
    fn placements_follow_their_counter_claim_when_another_is_removed() {
        let mut project = project();
        let mut history = History::new();
        let (edit, id) = Edit::add_counter_claim(&project, Span::new(0, 6), CounterClaim::new("first"));
        history.apply(&mut project, edit, None).unwrap();
        let (edit, _) = Edit::add_counter_claim(&project, Span::new(0, 6), CounterClaim::new("second"));
        history.apply(&mut project, edit, None).unwrap();
        let placement = |claim: usize, leading: bool| CommentPlacement {
            annotation: id,
            claim,
            leading,
            line_break: "\n".into(),
        };
        project.set_comment_layout(vec![placement(0, true), placement(1, false)]);
        let before = project.clone();
        history
            .apply(&mut project, Edit::RemoveCounterClaim { id, index: 0 }, None)
            .unwrap();
        assert_eq!(
            project.annotation(id).unwrap().counter_claims,
            [CounterClaim::new("second")]
        );
        assert_eq!(
            project.comment_layout(),
            [placement(0, false)],
            "the second claim's placement"
        );
        assert!(history.undo(&mut project).unwrap());
        assert_eq!(project, before);
        let claim = CounterClaim::new("inserted");
        history
            .apply(&mut project, Edit::InsertCounterClaim { id, index: 0, claim }, None)
            .unwrap();
        assert_eq!(project.comment_layout(), [placement(1, true), placement(2, false)]);
        assert!(history.undo(&mut project).unwrap());
        assert_eq!(project, before);
    }
}
