//! Every change to a project is an [`Edit`]: data that applies itself and
//! returns its own inverse, so undo and redo are the same operation.

use super::annotation::{Annotation, AnnotationId, CounterClaim};
use super::attributes::{AttributeDecl, ValueError};
use super::conflict::Conflict;
use super::project::{Project, ProjectError};
use super::references::{References, ReferencesChanged};
use super::relations::{Relation, RelationId, RelationType, RelationTypeId};
use super::review::ReviewMark;
use super::span::{self, Span, SpanError};
use super::tag_set::{Tag, TagId};
use crate::messages::echo;

/// One change to a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Adds an annotation (its id must be unused and in range). A new one
    /// takes [`Project::next_annotation_id`]; undo puts back an old one.
    AddAnnotation(Annotation),
    /// Removes an annotation and everything that names it (comment
    /// placements, kept records of other formats, relations); undo brings back both.
    RemoveAnnotation(AnnotationId),
    /// Moves or resizes an annotation's span.
    SetSpan {
        id: AnnotationId,
        span: Span,
    },
    /// Attaches a tag to an annotation at a position in its tag list.
    InsertTag {
        id: AnnotationId,
        index: usize,
        tag: TagId,
    },
    RemoveTag {
        id: AnnotationId,
        tag: TagId,
    },
    InsertCounterClaim {
        id: AnnotationId,
        index: usize,
        claim: CounterClaim,
    },
    RemoveCounterClaim {
        id: AnnotationId,
        index: usize,
    },
    /// Replaces a counter-claim's text and sources.
    SetCounterClaim {
        id: AnnotationId,
        index: usize,
        claim: CounterClaim,
    },
    /// Adds a tag to the tag set at a position.
    InsertTagDefinition {
        index: usize,
        tag: Tag,
    },
    /// Changes a tag's name, colour, description, category or hotkey (found by id).
    UpdateTagDefinition(Tag),
    /// Removes a tag from the tag set and from every annotation that has it.
    RemoveTagDefinition(TagId),
    /// Sets or clears an annotation's review mark (clearing it resolves the
    /// review; see [`Edit::accept_review`] and [`Edit::place_review`]).
    SetReview {
        id: AnnotationId,
        review: Option<ReviewMark>,
    },
    /// Puts back comment placements and kept records taken out with an
    /// annotation or counter-claim (the second half of undoing that removal).
    InsertReferences(References),
    /// Takes out references put back by [`Edit::InsertReferences`].
    RemoveReferences(References),
    /// Puts a merge conflict back into the list of those to resolve.
    InsertConflict {
        index: usize,
        conflict: Box<Conflict>,
    },
    /// Drops a merge conflict from the list (resolving it, with the edits
    /// that give the chosen version, in one batch).
    RemoveConflict(usize),
    /// Adds a relation: its id unused and in range, both ends present and
    /// different, its type in the tag set. A new one takes
    /// [`Project::next_relation_id`] (see [`Edit::add_relation`], which also
    /// checks the type's allowed ends); undo puts back an old one.
    AddRelation(Relation),
    RemoveRelation(RelationId),
    /// Changes the type of a relation.
    SetRelationType {
        id: RelationId,
        kind: RelationTypeId,
    },
    /// Adds a relation type to the tag set at a position.
    InsertRelationType {
        index: usize,
        relation_type: RelationType,
    },
    /// Changes a relation type's name, colour, description, hotkey or allowed ends (found by id).
    UpdateRelationType(RelationType),
    /// Removes a relation type and every relation of that type.
    RemoveRelationType(RelationTypeId),
    /// Sets (`Some`) or clears (`None`) the value of an annotation's
    /// attribute. Any value applies, so undo restores exactly what was there;
    /// [`Edit::set_attribute`] checks it against the declarations.
    SetAttribute {
        id: AnnotationId,
        name: String,
        value: Option<String>,
    },
    /// Sets or clears a document label, as [`Edit::SetAttribute`] does an
    /// annotation's (checked by [`Edit::set_document_label`]).
    SetDocumentLabel {
        name: String,
        value: Option<String>,
    },
    /// Replaces the tag set's document label declarations (see
    /// [`Edit::set_document_label_declarations`], which also clears values
    /// they no longer allow).
    SetDocumentLabelDeclarations(Vec<AttributeDecl>),
    /// Several edits as one step, applied in order.
    Batch(Vec<Edit>),
}

/// Why an edit could not be applied. The project is unchanged when this is returned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("there is no annotation {0}")]
    NoSuchAnnotation(AnnotationId),
    #[error("annotation {0} already exists")]
    AnnotationExists(AnnotationId),
    #[error(
        "no annotation ids are left: the project's ids have reached {max}, the highest there is",
        max = AnnotationId::MAX.0
    )]
    IdOutOfRange(AnnotationId),
    #[error("the span does not fit the text: {0}")]
    BadSpan(#[from] SpanError),
    #[error("there is no tag {} in the tag set", echo(.0.as_str()))]
    NoSuchTag(TagId),
    #[error("the tag {} is already in the tag set", echo(.0.as_str()))]
    TagExists(TagId),
    #[error("annotation {id} already has the tag {}", echo(.tag.as_str()))]
    AlreadyTagged { id: AnnotationId, tag: TagId },
    #[error("annotation {id} does not have the tag {}", echo(.tag.as_str()))]
    NotTagged { id: AnnotationId, tag: TagId },
    #[error("annotation {id} has no counter-claim number {index}")]
    NoSuchCounterClaim { id: AnnotationId, index: usize },
    #[error("position {index} is past the end of the list")]
    BadIndex { index: usize },
    #[error("there is no conflict number {0} to resolve")]
    NoSuchConflict(usize),
    #[error(transparent)]
    ReferencesChanged(#[from] ReferencesChanged),
    #[error("there is no relation {0}")]
    NoSuchRelation(RelationId),
    #[error("relation {0} already exists")]
    RelationExists(RelationId),
    #[error("{0}")]
    BadRelation(#[from] ProjectError),
    #[error("there is no relation type {}", echo(.0.as_str()))]
    NoSuchRelationType(RelationTypeId),
    #[error("the relation type {} already exists", echo(.0.as_str()))]
    RelationTypeExists(RelationTypeId),
    #[error("a {} link cannot go from annotation {from} to annotation {to}: the type allows other tags at its ends", echo(.kind.as_str()))]
    RelationNotAllowed {
        kind: RelationTypeId,
        from: AnnotationId,
        to: AnnotationId,
    },
    #[error("annotation {from} already has a {} link to annotation {to}", echo(.kind.as_str()))]
    AlreadyLinked {
        kind: RelationTypeId,
        from: AnnotationId,
        to: AnnotationId,
    },
    #[error("{0}")]
    BadValue(#[from] ValueError),
    #[error("an attribute or label needs a name")]
    EmptyName,
}

impl Edit {
    /// The edit that tags `span` with `tag`: adds the tag to the annotation
    /// that already has exactly this span (the first by id), or creates one.
    /// The span is snapped outwards to whole grapheme clusters first, so a
    /// span made this way never splits one (nor a CRLF pair).
    /// Returns `None` when the annotation already has the tag.
    #[must_use]
    pub fn tag_span(project: &Project, span: Span, tag: TagId) -> Option<(Edit, AnnotationId)> {
        let span = span::snap_span_outwards(project.text(), span);
        if let Some(existing) = project.annotations().find(|a| a.span == span) {
            if existing.tags.contains(&tag) {
                return None;
            }
            let edit = Edit::InsertTag {
                id: existing.id,
                index: existing.tags.len(),
                tag,
            };
            return Some((edit, existing.id));
        }
        let id = project.next_annotation_id();
        let mut annotation = Annotation::created(id, span);
        annotation.tags.push(tag);
        Some((Edit::AddAnnotation(annotation), id))
    }

    /// One edit that gives every span in `spans` all of `tags`, snapped like
    /// [`Edit::tag_span`]: tags missing from the annotation with exactly that
    /// span are added, and spans without one get a new annotation (fresh ids
    /// in order). `None` when every span already has every tag.
    #[must_use]
    pub fn tag_spans(project: &Project, spans: &[Span], tags: &[TagId]) -> Option<Edit> {
        let mut existing: std::collections::HashMap<Span, &Annotation> = std::collections::HashMap::new();
        for annotation in project.annotations() {
            existing.entry(annotation.span).or_insert(annotation);
        }
        let mut next_id = project.next_annotation_id();
        let mut created: std::collections::HashSet<Span> = std::collections::HashSet::new();
        let mut edits = Vec::new();
        for span in spans {
            let span = span::snap_span_outwards(project.text(), *span);
            if let Some(annotation) = existing.get(&span) {
                let missing = tags.iter().filter(|tag| !annotation.tags.contains(tag));
                for (index, tag) in (annotation.tags.len()..).zip(missing) {
                    edits.push(Edit::InsertTag {
                        id: annotation.id,
                        index,
                        tag: tag.clone(),
                    });
                }
            } else if !tags.is_empty() && created.insert(span) {
                let mut annotation = Annotation::created(next_id, span);
                annotation.tags.extend(tags.iter().cloned());
                edits.push(Edit::AddAnnotation(annotation));
                next_id = AnnotationId(next_id.0 + 1);
            }
        }
        (!edits.is_empty()).then_some(Edit::Batch(edits))
    }

    /// The edit that attaches a new counter-claim to `span`, snapped like
    /// [`Edit::tag_span`]: to the annotation with exactly this span, or a new one.
    #[must_use]
    pub fn add_counter_claim(project: &Project, span: Span, claim: CounterClaim) -> (Edit, AnnotationId) {
        let span = span::snap_span_outwards(project.text(), span);
        if let Some(existing) = project.annotations().find(|a| a.span == span) {
            let edit = Edit::InsertCounterClaim {
                id: existing.id,
                index: existing.counter_claims.len(),
                claim,
            };
            return (edit, existing.id);
        }
        let id = project.next_annotation_id();
        let mut annotation = Annotation::created(id, span);
        annotation.counter_claims.push(claim);
        (Edit::AddAnnotation(annotation), id)
    }

    /// The edit that accepts where a marked annotation now sits: it removes
    /// the mark. `None` when it has no mark, or no candidate to accept (its
    /// text was deleted: place it on a span or delete it instead).
    #[must_use]
    pub fn accept_review(project: &Project, id: AnnotationId) -> Option<Edit> {
        let review = project.annotation(id)?.review.as_ref()?;
        review
            .reason
            .has_candidate()
            .then_some(Edit::SetReview { id, review: None })
    }

    /// The edit that puts a marked annotation on `span` (snapped outwards to
    /// whole grapheme clusters, like [`Edit::tag_span`]) and removes its mark,
    /// as one step. `None` when it has no mark or `span` is empty.
    #[must_use]
    pub fn place_review(project: &Project, id: AnnotationId, span: Span) -> Option<Edit> {
        project.annotation(id)?.review.as_ref()?;
        let span = span::snap_span_outwards(project.text(), span);
        (!span.is_empty()).then(|| Edit::Batch(vec![Edit::SetSpan { id, span }, Edit::SetReview { id, review: None }]))
    }

    /// Applies the edit and returns the edit that undoes it. On error the
    /// project is left as it was.
    pub fn apply(self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::AddAnnotation(annotation) => add_annotation(project, annotation),
            Edit::RemoveAnnotation(id) => {
                let removed = project.remove_annotation(id).ok_or(EditError::NoSuchAnnotation(id))?;
                let references = project.take_references_to(id);
                Ok(with_references(Edit::AddAnnotation(removed), references))
            }
            Edit::SetSpan { id, span } => {
                span.check_characters(project.text())?;
                let annotation = annotation_mut(project, id)?;
                let old = std::mem::replace(&mut annotation.span, span);
                Ok(Edit::SetSpan { id, span: old })
            }
            Edit::InsertTag { id, index, tag } => insert_tag(project, id, index, tag),
            Edit::RemoveTag { id, tag } => {
                let annotation = annotation_mut(project, id)?;
                let index = annotation
                    .tags
                    .iter()
                    .position(|t| *t == tag)
                    .ok_or(EditError::NotTagged { id, tag })?;
                let tag = annotation.tags.remove(index);
                Ok(Edit::InsertTag { id, index, tag })
            }
            Edit::InsertCounterClaim { id, index, claim } => {
                let annotation = annotation_mut(project, id)?;
                if index > annotation.counter_claims.len() {
                    return Err(EditError::BadIndex { index });
                }
                annotation.counter_claims.insert(index, claim);
                project.make_room_for_claim(id, index);
                Ok(Edit::RemoveCounterClaim { id, index })
            }
            Edit::RemoveCounterClaim { id, index } => {
                let annotation = annotation_mut(project, id)?;
                if index >= annotation.counter_claims.len() {
                    return Err(EditError::NoSuchCounterClaim { id, index });
                }
                let claim = annotation.counter_claims.remove(index);
                let references = project.take_claim_placements(id, index);
                Ok(with_references(
                    Edit::InsertCounterClaim { id, index, claim },
                    references,
                ))
            }
            Edit::SetCounterClaim { id, index, claim } => {
                let annotation = annotation_mut(project, id)?;
                let slot = annotation
                    .counter_claims
                    .get_mut(index)
                    .ok_or(EditError::NoSuchCounterClaim { id, index })?;
                let old = std::mem::replace(slot, claim);
                Ok(Edit::SetCounterClaim { id, index, claim: old })
            }
            Edit::InsertTagDefinition { index, tag } => {
                let tags = &mut project.tag_set_mut().tags;
                if tags.iter().any(|t| t.id == tag.id) {
                    return Err(EditError::TagExists(tag.id));
                }
                if index > tags.len() {
                    return Err(EditError::BadIndex { index });
                }
                let id = tag.id.clone();
                tags.insert(index, tag);
                Ok(Edit::RemoveTagDefinition(id))
            }
            Edit::UpdateTagDefinition(tag) => {
                let tags = &mut project.tag_set_mut().tags;
                let slot = tags
                    .iter_mut()
                    .find(|t| t.id == tag.id)
                    .ok_or_else(|| EditError::NoSuchTag(tag.id.clone()))?;
                Ok(Edit::UpdateTagDefinition(std::mem::replace(slot, tag)))
            }
            Edit::RemoveTagDefinition(id) => remove_tag_definition(project, &id),
            Edit::SetReview { id, review } => {
                let annotation = annotation_mut(project, id)?;
                let old = std::mem::replace(&mut annotation.review, review);
                Ok(Edit::SetReview { id, review: old })
            }
            Edit::InsertReferences(references) => {
                project.insert_references(&references)?;
                Ok(Edit::RemoveReferences(references))
            }
            Edit::RemoveReferences(references) => {
                project.remove_references(&references)?;
                Ok(Edit::InsertReferences(references))
            }
            Edit::InsertConflict { index, conflict } => {
                let conflicts = project.conflicts_mut();
                if index > conflicts.len() {
                    return Err(EditError::BadIndex { index });
                }
                conflicts.insert(index, *conflict);
                Ok(Edit::RemoveConflict(index))
            }
            Edit::RemoveConflict(index) => {
                let conflicts = project.conflicts_mut();
                if index >= conflicts.len() {
                    return Err(EditError::NoSuchConflict(index));
                }
                let conflict = Box::new(conflicts.remove(index));
                Ok(Edit::InsertConflict { index, conflict })
            }
            Edit::AddRelation(relation) => links::add_relation(project, relation),
            Edit::RemoveRelation(id) => links::remove_relation(project, id),
            Edit::SetRelationType { id, kind } => links::set_relation_type(project, id, kind),
            Edit::InsertRelationType { index, relation_type } => {
                links::insert_relation_type(project, index, relation_type)
            }
            Edit::UpdateRelationType(relation_type) => links::update_relation_type(project, relation_type),
            Edit::RemoveRelationType(id) => links::remove_relation_type(project, &id),
            Edit::SetAttribute { id, name, value } => links::set_attribute(project, id, name, value),
            Edit::SetDocumentLabel { name, value } => links::set_document_label(project, name, value),
            Edit::SetDocumentLabelDeclarations(declarations) => {
                let old = std::mem::replace(&mut project.tag_set_mut().document_labels, declarations);
                Ok(Edit::SetDocumentLabelDeclarations(old))
            }
            Edit::Batch(edits) => apply_batch(project, edits),
        }
    }

    /// Combines the inverse of a newer edit with the inverse of an older one
    /// into one undo step (newer undone first). Successive text changes to the
    /// same counter-claim keep only the oldest text, so a typing session
    /// costs one entry, not one per keystroke.
    #[must_use]
    pub fn merge_inverses(newer: Edit, older: Edit) -> Edit {
        match (&newer, &older) {
            (
                Edit::SetCounterClaim {
                    id: newer_id,
                    index: newer_index,
                    ..
                },
                Edit::SetCounterClaim {
                    id: older_id,
                    index: older_index,
                    ..
                },
            ) if newer_id == older_id && newer_index == older_index => older,
            // Typing in a free-text attribute or label: one step per session, as above.
            (
                Edit::SetAttribute {
                    id: newer_id,
                    name: newer_name,
                    ..
                },
                Edit::SetAttribute {
                    id: older_id,
                    name: older_name,
                    ..
                },
            ) if newer_id == older_id && newer_name == older_name => older,
            (Edit::SetDocumentLabel { name: newer_name, .. }, Edit::SetDocumentLabel { name: older_name, .. })
                if newer_name == older_name =>
            {
                older
            }
            // A session that began by creating the counter-claim: its older
            // inverse already restores an earlier text first, so the newer
            // text change adds nothing (and the step does not grow per keystroke).
            (Edit::SetCounterClaim { id, index, .. }, Edit::Batch(older_steps))
                if matches!(older_steps.first(), Some(Edit::SetCounterClaim { id: first_id, index: first_index, .. })
                    if first_id == id && first_index == index) =>
            {
                older
            }
            _ => Edit::Batch(vec![newer, older]),
        }
    }
}

pub(super) fn annotation_mut(project: &mut Project, id: AnnotationId) -> Result<&mut Annotation, EditError> {
    project.annotation_mut(id).ok_or(EditError::NoSuchAnnotation(id))
}

/// The inverse of a removal: `restore`, then the references taken with it (if any).
fn with_references(restore: Edit, references: References) -> Edit {
    if references.is_empty() {
        restore
    } else {
        Edit::Batch(vec![restore, Edit::InsertReferences(references)])
    }
}

fn add_annotation(project: &mut Project, annotation: Annotation) -> Result<Edit, EditError> {
    if !annotation.id.is_in_range() {
        return Err(EditError::IdOutOfRange(annotation.id));
    }
    annotation.span.check_characters(project.text())?;
    if let Some(tag) = annotation.tags.iter().find(|tag| project.tag_set().get(tag).is_none()) {
        return Err(EditError::NoSuchTag(tag.clone()));
    }
    let id = annotation.id;
    if project.insert_annotation(annotation) {
        Ok(Edit::RemoveAnnotation(id))
    } else {
        Err(EditError::AnnotationExists(id))
    }
}

fn insert_tag(project: &mut Project, id: AnnotationId, index: usize, tag: TagId) -> Result<Edit, EditError> {
    if project.tag_set().get(&tag).is_none() {
        return Err(EditError::NoSuchTag(tag));
    }
    let annotation = annotation_mut(project, id)?;
    if annotation.tags.contains(&tag) {
        return Err(EditError::AlreadyTagged { id, tag });
    }
    if index > annotation.tags.len() {
        return Err(EditError::BadIndex { index });
    }
    annotation.tags.insert(index, tag.clone());
    Ok(Edit::RemoveTag { id, tag })
}

fn remove_tag_definition(project: &mut Project, id: &TagId) -> Result<Edit, EditError> {
    let index = project
        .tag_set()
        .position(id)
        .ok_or_else(|| EditError::NoSuchTag(id.clone()))?;
    let mut restore = Vec::new();
    for annotation in project.annotations_mut() {
        if let Some(position) = annotation.tags.iter().position(|t| t == id) {
            annotation.tags.remove(position);
            restore.push((annotation.id, position));
        }
    }
    let tag = project.tag_set_mut().tags.remove(index);
    let mut inverse = vec![Edit::InsertTagDefinition { index, tag }];
    inverse.extend(restore.into_iter().map(|(annotation, position)| Edit::InsertTag {
        id: annotation,
        index: position,
        tag: id.clone(),
    }));
    Ok(Edit::Batch(inverse))
}

/// Applies edits in order; if one fails, the ones already applied are undone
/// so the batch is all or nothing (the next annotation id included: an
/// edit that failed gave out no id).
fn apply_batch(project: &mut Project, edits: Vec<Edit>) -> Result<Edit, EditError> {
    let next_id = project.next_annotation_id();
    let next_relation_id = project.next_relation_id();
    let mut inverses = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit.apply(project) {
            Ok(inverse) => inverses.push(inverse),
            Err(error) => {
                for inverse in inverses.into_iter().rev() {
                    // Each inverse was produced by a successful apply on this very state.
                    let _ = inverse.apply(project);
                }
                project.restore_next_ids(next_id, next_relation_id);
                return Err(error);
            }
        }
    }
    inverses.reverse();
    Ok(Edit::Batch(inverses))
}

mod links;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::history::History;
    use crate::model::project::SourceInfo;
    use crate::model::review::{ReviewMark, ReviewReason};
    use crate::model::tag_set::TagSet;

    /// A project on a new text with three annotations marked for review.
    fn marked() -> (Project, [AnnotationId; 3]) {
        let text = "Moscow denies it. Kyiv agrees.";
        let mut project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
        let marks = [
            (Span::new(0, 6), ReviewReason::QuoteChanged, "Mosocw"),
            (Span::new(18, 22), ReviewReason::Ambiguous { places: 2 }, "Kyiv"),
            (Span::new(17, 17), ReviewReason::Deleted, "It was said."),
        ];
        let mut ids = [AnnotationId(0); 3];
        for (slot, (span, reason, old_quote)) in ids.iter_mut().zip(marks) {
            let mut annotation = Annotation::new(project.next_annotation_id(), span);
            annotation.tags.push(TagId("Claim".into()));
            annotation.review = Some(ReviewMark {
                reason,
                old_quote: old_quote.into(),
            });
            *slot = annotation.id;
            Edit::AddAnnotation(annotation).apply(&mut project).unwrap();
        }
        (project, ids)
    }

    #[test]
    fn resolving_reviews_removes_the_marks_and_each_step_undoes() {
        let (mut project, [changed, ambiguous, deleted]) = marked();
        let before = project.clone();
        let mut history = History::new();
        assert_eq!(project.annotations_needing_review().len(), 3);
        assert!(Edit::accept_review(&project, deleted).is_none(), "nothing to accept");
        let accept = Edit::accept_review(&project, changed).unwrap();
        history.apply(&mut project, accept, None).unwrap();
        assert_eq!(project.annotation(changed).unwrap().review, None);
        assert_eq!(project.annotation(changed).unwrap().span, Span::new(0, 6));
        // Placed on "it." (the selection snapped to whole characters).
        let place = Edit::place_review(&project, deleted, Span::new(14, 17)).unwrap();
        history.apply(&mut project, place, None).unwrap();
        let placed = project.annotation(deleted).unwrap();
        assert_eq!((placed.span, &placed.review), (Span::new(14, 17), &None));
        assert!(
            Edit::place_review(&project, deleted, Span::new(3, 9)).is_none(),
            "no mark left"
        );
        assert!(
            Edit::place_review(&project, ambiguous, Span::new(3, 3)).is_none(),
            "empty span"
        );
        history
            .apply(&mut project, Edit::RemoveAnnotation(ambiguous), None)
            .unwrap();
        assert!(project.annotations_needing_review().is_empty(), "the list is empty");
        for _ in 0..3 {
            assert!(history.undo(&mut project).unwrap());
        }
        assert_eq!(project, before, "undo restores every mark and span");
        for _ in 0..3 {
            assert!(history.redo(&mut project).unwrap());
        }
        assert!(project.annotations_needing_review().is_empty());
    }

    #[test]
    fn setting_a_review_returns_the_old_mark() {
        let (mut project, [changed, ..]) = marked();
        let old = project.annotation(changed).unwrap().review.clone();
        let inverse = Edit::SetReview {
            id: changed,
            review: None,
        }
        .apply(&mut project)
        .unwrap();
        assert_eq!(
            inverse,
            Edit::SetReview {
                id: changed,
                review: old
            }
        );
        assert_eq!(
            Edit::SetReview {
                id: AnnotationId(99),
                review: None
            }
            .apply(&mut project),
            Err(EditError::NoSuchAnnotation(AnnotationId(99)))
        );
    }

    #[test]
    fn tagging_many_spans_is_one_edit_with_fresh_ids_and_undoes_whole() {
        let text = "war and war and war";
        let mut project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
        let claim = TagId("Claim".into());
        let (first, _) = Edit::tag_span(&project, Span::new(0, 3), claim.clone()).unwrap();
        first.apply(&mut project).unwrap();
        let before = project.clone();
        let spans = [Span::new(0, 3), Span::new(8, 11), Span::new(16, 19), Span::new(16, 19)];
        let tags = [claim.clone(), TagId("Evidence".into())];
        let edit = Edit::tag_spans(&project, &spans, &tags).unwrap();
        let inverse = edit.apply(&mut project).unwrap();
        assert_eq!(project.annotation_count(), 3, "a repeated span gets one annotation");
        for annotation in project.annotations() {
            assert_eq!(annotation.tags, tags, "{:?}", annotation.span);
        }
        assert!(
            Edit::tag_spans(&project, &spans, &tags).is_none(),
            "nothing left to tag"
        );
        inverse.apply(&mut project).unwrap();
        // Undo takes every annotation away; the next id never goes down, so no id is given twice.
        let mut expected = before;
        expected
            .raise_next_annotation_id(project.next_annotation_id().0)
            .unwrap();
        assert_eq!(project, expected);
    }
}
