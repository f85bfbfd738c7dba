//! Undo and redo over [`Edit`]s, with gestures grouped into one step and a
//! marker for "the state last saved".

use super::edit::{Edit, EditError};
use super::project::Project;

/// What a run of edits belongs to, so that a gesture (typing in one
/// counter-claim, say) undoes as one step. Edits with equal keys in a row,
/// with no [`History::close_group`] between them, merge.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupKey(pub String);

#[derive(Clone, Debug)]
struct Step {
    inverse: Edit,
    group: Option<GroupKey>,
    /// The state ids before and after this step; states are numbered so that
    /// "unsaved changes" survives undoing back to the saved state.
    state_before: u64,
    state_after: u64,
}

/// The undo and redo stacks of one open project.
#[derive(Clone, Debug)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    group_open: bool,
    state: u64,
    next_state: u64,
    saved_state: Option<u64>,
}

impl Default for History {
    fn default() -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            group_open: false,
            state: 0,
            next_state: 1,
            saved_state: Some(0),
        }
    }
}

impl History {
    /// A history whose current state counts as saved.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A history whose current state has never been saved (a new import, a recovered file).
    #[must_use]
    pub fn unsaved() -> Self {
        Self {
            saved_state: None,
            ..Self::default()
        }
    }

    /// Applies an edit as a new undo step, or merges it into the open step
    /// when it carries the same group key. Clears the redo stack.
    pub fn apply(&mut self, project: &mut Project, edit: Edit, group: Option<GroupKey>) -> Result<(), EditError> {
        let inverse = edit.apply(project)?;
        self.redo.clear();
        let state_after = self.fresh_state();
        let merge = self.group_open && group.is_some() && self.undo.last().is_some_and(|step| step.group == group);
        if merge && let Some(step) = self.undo.pop() {
            self.undo.push(Step {
                inverse: Edit::merge_inverses(inverse, step.inverse),
                group,
                state_before: step.state_before,
                state_after,
            });
        } else {
            self.group_open = group.is_some();
            self.undo.push(Step {
                inverse,
                group,
                state_before: self.state,
                state_after,
            });
        }
        self.state = state_after;
        Ok(())
    }

    /// Ends the current gesture: the next edit starts a new undo step even if
    /// it has the same group key.
    pub fn close_group(&mut self) {
        self.group_open = false;
    }

    /// Undoes the last step; returns false when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        self.group_open = false;
        let Some(step) = self.undo.pop() else { return Ok(false) };
        match step.inverse.clone().apply(project) {
            Ok(redo) => {
                self.state = step.state_before;
                self.redo.push(Step { inverse: redo, ..step });
                Ok(true)
            }
            Err(error) => {
                self.undo.push(step);
                Err(error)
            }
        }
    }

    /// Redoes the last undone step; returns false when there is nothing to redo.
    pub fn redo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        self.group_open = false;
        let Some(step) = self.redo.pop() else { return Ok(false) };
        match step.inverse.clone().apply(project) {
            Ok(undo) => {
                self.state = step.state_after;
                self.undo.push(Step { inverse: undo, ..step });
                Ok(true)
            }
            Err(error) => {
                self.redo.push(step);
                Err(error)
            }
        }
    }

    /// Whether there is a step to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_state = Some(self.state);
        self.group_open = false;
    }

    /// Records that the project as it was at `revision` is what is on disk:
    /// a save of a snapshot taken then has finished. Edits made since stay
    /// unsaved; undoing back to that state makes the project saved again.
    pub fn mark_saved_at(&mut self, revision: u64) {
        self.saved_state = Some(revision);
    }

    /// The edit [`History::undo`] would apply next (to know what it will change).
    #[must_use]
    pub fn undo_edit(&self) -> Option<&Edit> {
        self.undo.last().map(|step| &step.inverse)
    }

    /// The edit [`History::redo`] would apply next.
    #[must_use]
    pub fn redo_edit(&self) -> Option<&Edit> {
        self.redo.last().map(|step| &step.inverse)
    }

    /// Whether the project differs from what was last saved.
    #[must_use]
    pub fn has_unsaved_changes(&self) -> bool {
        self.saved_state != Some(self.state)
    }

    /// A number that changes whenever the project does (for caches).
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.state
    }

    fn fresh_state(&mut self) -> u64 {
        let state = self.next_state;
        self.next_state += 1;
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
    use crate::model::attributes::FLAG_SET;
    use crate::model::project::{CommentPlacement, ForeignRecord, SourceInfo};
    use crate::model::relations::{Relation, RelationId, RelationType, RelationTypeId};
    use crate::model::span::Span;
    use crate::model::tag_set::{Rgb, Tag, TagId, TagSet};
    use proptest::prelude::*;

    const TEXT: &str = "Nobody believes it. Prices e\u{301}xploded 👩\u{200d}👩\u{200d}👧\r\nThe end.";

    fn project() -> Project {
        Project::new(TEXT.to_owned(), SourceInfo::of_text(TEXT), TagSet::default_set())
    }

    fn tag(id: &str) -> TagId {
        TagId(id.to_owned())
    }

    /// The project as it was, with the next id it has now: undo restores
    /// everything but the next id, which never goes down.
    fn with_next_id_of(earlier: &Project, now: &Project) -> Project {
        assert!(
            now.next_annotation_id() >= earlier.next_annotation_id(),
            "the next id never goes down"
        );
        assert!(now.next_relation_id() >= earlier.next_relation_id());
        let mut earlier = earlier.clone();
        earlier.raise_next_annotation_id(now.next_annotation_id().0).unwrap();
        earlier.raise_next_relation_id(now.next_relation_id().0).unwrap();
        earlier
    }

    /// Clones share annotations until an edit changes one (autosave snapshots rely on it).
    #[test]
    fn an_edit_leaves_an_earlier_clone_as_it_was() {
        let mut project = project();
        let mut history = History::new();
        let (edit, id) = Edit::tag_span(&project, Span::new(0, 6), tag("Claim")).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        let snapshot = project.clone();
        let (edit, _) = Edit::tag_span(&project, Span::new(0, 6), tag("Doubt")).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        let (edit, _) = Edit::tag_span(&project, Span::new(7, 15), tag("Doubt")).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        assert_eq!(snapshot.annotation(id).unwrap().tags, [tag("Claim")]);
        assert_eq!(snapshot.annotation_count(), 1);
        assert_eq!(project.annotation(id).unwrap().tags, [tag("Claim"), tag("Doubt")]);
        assert!(history.undo(&mut project).unwrap());
        assert!(history.undo(&mut project).unwrap());
        assert_eq!(project, with_next_id_of(&snapshot, &project));
    }

    #[test]
    fn tagging_a_selection_creates_then_extends_one_annotation() {
        let mut project = project();
        let mut history = History::new();
        let (edit, id) = Edit::tag_span(&project, Span::new(0, 6), tag("Claim")).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        let (edit, same) = Edit::tag_span(&project, Span::new(0, 6), tag("Doubt")).unwrap();
        assert_eq!(same, id);
        history.apply(&mut project, edit, None).unwrap();
        assert_eq!(project.annotation(id).unwrap().tags, [tag("Claim"), tag("Doubt")]);
        assert!(Edit::tag_span(&project, Span::new(0, 6), tag("Doubt")).is_none());
        assert!(history.undo(&mut project).unwrap());
        assert_eq!(project.annotation(id).unwrap().tags, [tag("Claim")]);
        assert!(history.undo(&mut project).unwrap());
        assert_eq!(project.annotation_count(), 0);
        assert!(!history.undo(&mut project).unwrap());
        assert!(history.redo(&mut project).unwrap());
        assert!(history.redo(&mut project).unwrap());
        assert_eq!(project.annotation(id).unwrap().tags, [tag("Claim"), tag("Doubt")]);
    }

    #[test]
    fn spans_from_the_editor_are_snapped_to_whole_clusters() {
        let project = project();
        let e = TEXT.find('e').unwrap_or(0);
        let inside_family = TEXT.find('\u{200d}').unwrap() + 1;
        let crlf = TEXT.find('\n').unwrap();
        for (start, end) in [(e, e + 1), (inside_family, inside_family + 4), (crlf, crlf + 1)] {
            let (Edit::AddAnnotation(annotation), _) =
                Edit::tag_span(&project, Span::new(start, end), tag("Claim")).unwrap()
            else {
                panic!("expected a new annotation");
            };
            assert_eq!(annotation.span.check_graphemes(TEXT), Ok(()), "{start}..{end}");
        }
    }

    #[test]
    fn typing_in_a_counter_claim_undoes_as_one_step() {
        let mut project = project();
        let mut history = History::new();
        let (edit, id) = Edit::add_counter_claim(&project, Span::new(0, 6), CounterClaim::new(""));
        history.apply(&mut project, edit, None).unwrap();
        let key = Some(GroupKey(format!("claim {id} 0")));
        for text in ["M", "Ma", "Man", "Many do"] {
            let edit = Edit::SetCounterClaim {
                id,
                index: 0,
                claim: CounterClaim::new(text),
            };
            history.apply(&mut project, edit, key.clone()).unwrap();
        }
        history.close_group();
        let edit = Edit::SetCounterClaim {
            id,
            index: 0,
            claim: CounterClaim::new("Many do."),
        };
        history.apply(&mut project, edit, key).unwrap();
        history.undo(&mut project).unwrap();
        assert_eq!(project.annotation(id).unwrap().counter_claims[0].text, "Many do");
        history.undo(&mut project).unwrap();
        assert_eq!(project.annotation(id).unwrap().counter_claims[0].text, "");
        history.redo(&mut project).unwrap();
        assert_eq!(project.annotation(id).unwrap().counter_claims[0].text, "Many do");
    }

    #[test]
    fn creating_and_typing_a_counter_claim_is_one_small_step() {
        let mut project = project();
        let mut history = History::new();
        let key = Some(GroupKey("new claim".into()));
        let (edit, id) = Edit::add_counter_claim(&project, Span::new(0, 6), CounterClaim::new("N"));
        history.apply(&mut project, edit, key.clone()).unwrap();
        for text in ["No", "Not", "Not so"] {
            let claim = CounterClaim::new(text);
            history
                .apply(&mut project, Edit::SetCounterClaim { id, index: 0, claim }, key.clone())
                .unwrap();
        }
        let Some(Step {
            inverse: Edit::Batch(steps),
            ..
        }) = history.undo.last()
        else {
            panic!("expected one merged step");
        };
        assert_eq!(steps.len(), 2, "the step does not grow per keystroke");
        assert!(history.undo(&mut project).unwrap());
        assert_eq!(project.annotation_count(), 0);
        assert!(!history.can_undo());
        assert!(history.redo(&mut project).unwrap());
        assert_eq!(project.annotation(id).unwrap().counter_claims[0].text, "Not so");
    }

    #[test]
    fn unsaved_changes_follow_undo_back_to_the_saved_state() {
        let mut project = project();
        let mut history = History::new();
        assert!(!history.has_unsaved_changes());
        let (edit, _) = Edit::tag_span(&project, Span::new(0, 6), tag("Claim")).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        assert!(history.has_unsaved_changes());
        history.mark_saved();
        assert!(!history.has_unsaved_changes());
        history.undo(&mut project).unwrap();
        assert!(history.has_unsaved_changes());
        history.redo(&mut project).unwrap();
        assert!(!history.has_unsaved_changes());
        assert!(History::unsaved().has_unsaved_changes());
    }

    #[test]
    fn removing_a_used_tag_definition_undoes_everywhere() {
        let mut project = project();
        let mut history = History::new();
        for span in [Span::new(0, 6), Span::new(7, 15)] {
            let (edit, _) = Edit::tag_span(&project, span, tag("Doubt")).unwrap();
            history.apply(&mut project, edit, None).unwrap();
            let (edit, _) = Edit::tag_span(&project, span, tag("Claim")).unwrap();
            history.apply(&mut project, edit, None).unwrap();
        }
        let before = project.clone();
        history
            .apply(&mut project, Edit::RemoveTagDefinition(tag("Doubt")), None)
            .unwrap();
        assert!(project.tag_set().get(&tag("Doubt")).is_none());
        assert!(project.annotations().all(|a| a.tags == [tag("Claim")]));
        history.undo(&mut project).unwrap();
        assert_eq!(project, before);
    }

    #[test]
    fn failed_edits_change_nothing() {
        let mut project = project();
        let before = project.clone();
        let missing = AnnotationId(99);
        assert_eq!(
            Edit::RemoveAnnotation(missing).apply(&mut project),
            Err(EditError::NoSuchAnnotation(missing))
        );
        let bad = Edit::Batch(vec![
            Edit::tag_span(&project, Span::new(0, 6), tag("Claim")).unwrap().0,
            Edit::RemoveTag {
                id: missing,
                tag: tag("Claim"),
            },
        ]);
        assert!(bad.apply(&mut project).is_err());
        assert_eq!(project, before);
        let inside_char = TEXT.find('👩').unwrap() + 1;
        assert!(matches!(
            Edit::SetSpan {
                id: missing,
                span: Span::new(0, inside_char)
            }
            .apply(&mut project),
            Err(EditError::BadSpan(_))
        ));
        assert!(matches!(
            Edit::tag_span(&project, Span::new(0, 3), tag("No_Such_Tag"))
                .unwrap()
                .0
                .apply(&mut project),
            Err(EditError::NoSuchTag(_))
        ));
    }

    #[test]
    fn a_deleted_or_undone_annotations_id_is_never_given_again() {
        let mut project = project();
        let mut history = History::new();
        let mut ids = Vec::new();
        for span in [Span::new(0, 6), Span::new(7, 15), Span::new(16, 18)] {
            let (edit, id) = Edit::tag_span(&project, span, tag("Claim")).unwrap();
            history.apply(&mut project, edit, None).unwrap();
            ids.push(id);
        }
        let highest = ids[2];
        history
            .apply(&mut project, Edit::RemoveAnnotation(highest), None)
            .unwrap();
        let (edit, id) = Edit::tag_span(&project, Span::new(20, 26), tag("Claim")).unwrap();
        assert!(id > highest, "{id} after deleting {highest}");
        history.apply(&mut project, edit, None).unwrap();
        // Undoing an addition keeps the counter; redoing brings back the same id.
        assert!(history.undo(&mut project).unwrap());
        let (_, after_undo) = Edit::tag_span(&project, Span::new(20, 26), tag("Claim")).unwrap();
        assert!(after_undo > id, "{after_undo} after undoing {id}");
        assert!(history.redo(&mut project).unwrap());
        assert!(project.annotation(id).is_some());
    }

    #[test]
    fn when_every_id_is_used_up_adding_fails_with_a_message_and_changes_nothing() {
        let text = "Nobody believes it.";
        let mut last = Annotation::new(AnnotationId::MAX, Span::new(0, 6));
        last.tags.push(tag("Claim"));
        let mut project = Project::from_parts(
            text.into(),
            SourceInfo::of_text(text),
            TagSet::default_set(),
            vec![last],
        )
        .unwrap();
        let before = project.clone();
        let mut history = History::new();
        let (edit, id) = Edit::tag_span(&project, Span::new(7, 15), tag("Claim")).unwrap();
        assert!(!id.is_in_range());
        let error = history.apply(&mut project, edit, None).unwrap_err();
        assert_eq!(error, EditError::IdOutOfRange(id));
        assert!(error.to_string().contains("no annotation ids are left"), "{error}");
        assert_eq!(project, before);
    }

    fn arbitrary_edit(project: &Project, choice: u8, a: usize, b: usize, text: String) -> Option<Edit> {
        let len = project.text().len();
        let span = Span::new(a.min(b) % (len + 1), a.max(b) % (len + 1));
        let ids: Vec<AnnotationId> = project.annotations().map(|a| a.id).collect();
        let id = if ids.is_empty() {
            AnnotationId(1)
        } else {
            ids[a % ids.len()]
        };
        let tags: Vec<TagId> = project.tag_set().tags.iter().map(|t| t.id.clone()).collect();
        let some_tag = tags.get(b % tags.len().max(1)).cloned().unwrap_or_else(|| tag("Claim"));
        if choice % 20 >= 10 {
            return arbitrary_link_edit(project, choice, a, b, text);
        }
        Some(match choice % 10 {
            0 => Edit::tag_span(project, span, some_tag)?.0,
            1 => Edit::add_counter_claim(project, span, CounterClaim::new(text)).0,
            2 => Edit::RemoveAnnotation(id),
            3 => Edit::SetSpan {
                id,
                span: span::snap_span_outwards(project.text(), span),
            },
            4 => Edit::RemoveTag { id, tag: some_tag },
            5 => Edit::SetCounterClaim {
                id,
                index: 0,
                claim: CounterClaim {
                    text,
                    sources: vec!["https://example.org".into()],
                },
            },
            6 => Edit::RemoveCounterClaim { id, index: 0 },
            7 => Edit::RemoveTagDefinition(some_tag),
            8 => Edit::UpdateTagDefinition(Tag {
                name: text,
                color: Rgb([1, 2, 3]),
                ..project.tag_set().tags.get(b % tags.len().max(1))?.clone()
            }),
            _ => Edit::InsertTagDefinition {
                index: 0,
                tag: Tag {
                    id: project.tag_set().fresh_id(&text),
                    name: text,
                    category: "Mine".into(),
                    description: String::new(),
                    color: Rgb([9, 9, 9]),
                    hotkey: None,
                    attributes: Vec::new(),
                },
            },
        })
    }

    /// Edits of relations, relation types, attribute values and labels,
    /// checked through their constructors or raw (as undo applies them).
    fn arbitrary_link_edit(project: &Project, choice: u8, a: usize, b: usize, text: String) -> Option<Edit> {
        let ids: Vec<AnnotationId> = project.annotations().map(|a| a.id).collect();
        let pick = |n: usize| ids.get(n % ids.len().max(1)).copied();
        let kinds = &project.tag_set().relation_types;
        let kind = kinds.get(b % kinds.len().max(1)).map(|k| k.id.clone());
        let relations: Vec<RelationId> = project.relations().map(|r| r.id).collect();
        let relation = relations.get(a % relations.len().max(1)).copied();
        let names = ["Verdict", "Negated", "Confidence", "Note"];
        let values = ["True", "False", FLAG_SET, "High"];
        let value = (!b.is_multiple_of(5)).then(|| values[b % values.len()].to_owned());
        Some(match choice % 10 {
            0 | 1 => {
                let kind = kind?;
                let mut edit = Edit::add_relation(project, &kind, pick(a)?, pick(b)?).ok()?.0;
                if choice % 10 == 1 {
                    // Raw, past the type's allowed ends.
                    if let Edit::AddRelation(relation) = &mut edit {
                        relation.to = pick(b + 1)?;
                    }
                }
                edit
            }
            2 => Edit::RemoveRelation(relation?),
            3 => Edit::SetRelationType {
                id: relation?,
                kind: kind?,
            },
            4 => Edit::RemoveRelationType(kind?),
            5 => Edit::InsertRelationType {
                index: 0,
                relation_type: RelationType {
                    id: project.tag_set().fresh_relation_type_id(&text),
                    name: text,
                    description: String::new(),
                    color: Rgb([5, 5, 5]),
                    hotkey: None,
                    from_tags: Vec::new(),
                    to_tags: Vec::new(),
                },
            },
            6 => Edit::SetAttribute {
                id: pick(a)?,
                name: names[a % names.len()].to_owned(),
                value,
            },
            7 => Edit::set_attribute(project, pick(a)?, names[a % names.len()], value).ok()?,
            8 => Edit::SetDocumentLabel {
                name: ["URL", "Verdict", "Outlet"][a % 3].to_owned(),
                value: value.map(|v| format!("{v}{text}")),
            },
            _ => Edit::RemoveAnnotation(pick(a)?),
        })
    }

    /// No relation names an annotation the project does not have, and the
    /// index of relations by annotation lists exactly those that touch it.
    fn no_dangling_relation(project: &Project) -> bool {
        project
            .relations()
            .all(|r| project.annotation(r.from).is_some() && project.annotation(r.to).is_some())
            && project.annotations().all(|a| {
                let indexed: Vec<&Relation> = project.relations_of(a.id).collect();
                let scanned: Vec<&Relation> = project.relations().filter(|r| r.touches(a.id)).collect();
                indexed == scanned
            })
    }

    /// Three annotations with two counter-claims each, and records that name
    /// them (comment placements, a kept brat relation), as an import leaves them.
    fn project_with_references() -> Project {
        let annotations = [(0, 6), (7, 15), (16, 18)]
            .into_iter()
            .zip(1..)
            .map(|((start, end), id)| {
                let mut annotation = Annotation::new(AnnotationId(id), Span::new(start, end));
                annotation.counter_claims = vec![CounterClaim::new("first"), CounterClaim::new("second")];
                annotation.tags.push(tag(if id == 2 { "Evidence" } else { "Claim" }));
                annotation
            })
            .collect();
        let mut project = Project::from_parts(
            TEXT.to_owned(),
            SourceInfo::of_text(TEXT),
            TagSet::default_set(),
            annotations,
        )
        .unwrap();
        project.set_comment_layout(
            (1..=3)
                .flat_map(|id| {
                    (0..2).map(move |claim| CommentPlacement {
                        annotation: AnnotationId(id),
                        claim,
                        leading: claim == 0,
                        line_break: "\n".into(),
                    })
                })
                .collect(),
        );
        project.set_foreign_records(vec![ForeignRecord {
            format: "brat".into(),
            record: "R1\tRel Arg1:T1 Arg2:T2\t".into(),
            refers_to: vec![AnnotationId(1), AnnotationId(2)],
        }]);
        let link = |id: u64, kind: &str, from: u64, to: u64| Relation {
            id: RelationId(id),
            kind: RelationTypeId(kind.into()),
            from: AnnotationId(from),
            to: AnnotationId(to),
        };
        project
            .set_relations(vec![link(1, "supports", 2, 1), link(2, "attacks", 3, 1)])
            .unwrap();
        project
    }

    use crate::model::span;

    proptest! {
        /// Any sequence of edits, undone completely, gives back the starting
        /// project (but for the next id, which never goes down); redone
        /// completely, gives back the end state exactly.
        #[test]
        fn undo_all_then_redo_all_restores_each_end(
            steps in proptest::collection::vec((any::<u8>(), 0usize..200, 0usize..200, "\\PC{0,12}", any::<bool>()), 0..40)
        ) {
            let mut project = project_with_references();
            let start = project.clone();
            let mut history = History::new();
            let mut applied = 0;
            for (choice, a, b, text, grouped) in steps {
                if let Some(edit) = arbitrary_edit(&project, choice, a, b, text) {
                    let group = grouped.then(|| GroupKey("g".into()));
                    let before = project.clone();
                    if history.apply(&mut project, edit, group).is_ok() {
                        applied += 1;
                    } else {
                        prop_assert_eq!(&project, &before, "a failed edit changed the project");
                    }
                    prop_assert!(no_dangling_relation(&project));
                }
            }
            let end = project.clone();
            while history.undo(&mut project).unwrap() {
                prop_assert!(no_dangling_relation(&project));
            }
            prop_assert_eq!(&project, &with_next_id_of(&start, &project));
            prop_assert_eq!(project.next_annotation_id(), end.next_annotation_id());
            prop_assert_eq!(project.next_relation_id(), end.next_relation_id());
            prop_assert!(applied == 0 || history.can_redo());
            while history.redo(&mut project).unwrap() {
                prop_assert!(no_dangling_relation(&project));
            }
            prop_assert_eq!(&project, &end);
        }
    }
}
