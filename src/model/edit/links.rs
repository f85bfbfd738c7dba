//! Edits of relations, relation types, attribute values and document labels,
//! and the constructors the window uses to make them (which check what the
//! raw edits leave to them: a type's allowed ends, declared values).

use super::{Edit, EditError, annotation_mut};
use crate::model::annotation::AnnotationId;
use crate::model::attributes::{self, AttributeDecl, ValueError};
use crate::model::project::Project;
use crate::model::relations::{Relation, RelationId, RelationType, RelationTypeId};
use crate::model::tag_set::{Tag, TagId};

impl Edit {
    /// The edit that links `from` to `to` with a new relation of type `kind`
    /// (the next relation id), after checking that the type exists and
    /// allows these ends, the ends exist and differ, and no such link is
    /// there already.
    pub fn add_relation(
        project: &Project,
        kind: &RelationTypeId,
        from: AnnotationId,
        to: AnnotationId,
    ) -> Result<(Edit, RelationId), EditError> {
        let relation_type = project
            .tag_set()
            .relation_type(kind)
            .ok_or_else(|| EditError::NoSuchRelationType(kind.clone()))?;
        let tags_of = |id: AnnotationId| {
            project
                .annotation(id)
                .map(|a| a.tags.as_slice())
                .ok_or(EditError::NoSuchAnnotation(id))
        };
        if !relation_type.allows(tags_of(from)?, tags_of(to)?) {
            return Err(EditError::RelationNotAllowed {
                kind: kind.clone(),
                from,
                to,
            });
        }
        if project
            .relations_of(from)
            .any(|r| r.from == from && r.to == to && &r.kind == kind)
        {
            return Err(EditError::AlreadyLinked {
                kind: kind.clone(),
                from,
                to,
            });
        }
        let relation = Relation {
            id: project.next_relation_id(),
            kind: kind.clone(),
            from,
            to,
        };
        project.check_relation(&relation)?;
        let id = relation.id;
        Ok((Edit::AddRelation(relation), id))
    }

    /// The edit that sets (`Some`) or clears (`None`) an annotation's
    /// attribute, after checking the value against what its tags declare
    /// (clearing is always allowed).
    pub fn set_attribute(
        project: &Project,
        id: AnnotationId,
        name: &str,
        value: Option<String>,
    ) -> Result<Edit, EditError> {
        let annotation = project.annotation(id).ok_or(EditError::NoSuchAnnotation(id))?;
        if let Some(value) = &value {
            attributes::check_value(project.tag_set(), &annotation.tags, name, value)?;
        }
        Ok(Edit::SetAttribute {
            id,
            name: name.to_owned(),
            value,
        })
    }

    /// The edit that sets or clears a document label, after checking the
    /// value against the tag set's declaration of it.
    pub fn set_document_label(project: &Project, name: &str, value: Option<String>) -> Result<Edit, EditError> {
        if let Some(value) = &value {
            attributes::find(&project.tag_set().document_labels, name)
                .ok_or_else(|| ValueError::Undeclared { name: name.to_owned() })?
                .check(value)?;
        }
        Ok(Edit::SetDocumentLabel {
            name: name.to_owned(),
            value,
        })
    }

    /// The edit that changes a tag's definition (its attribute declarations
    /// included) and, in the same step, clears the attribute values it no
    /// longer allows on annotations that have the tag.
    #[must_use]
    pub fn update_tag_definition(project: &Project, tag: Tag) -> Edit {
        let mut edits: Vec<Edit> = project
            .annotations()
            .filter(|a| a.tags.contains(&tag.id) && !a.attributes.is_empty())
            .flat_map(|a| {
                attributes::unfit_after_update(project.tag_set(), &a.tags, &a.attributes, &tag)
                    .into_iter()
                    .map(|name| Edit::SetAttribute {
                        id: a.id,
                        name,
                        value: None,
                    })
            })
            .collect();
        if edits.is_empty() {
            return Edit::UpdateTagDefinition(tag);
        }
        edits.push(Edit::UpdateTagDefinition(tag));
        Edit::Batch(edits)
    }

    /// The edit that takes a tag off an annotation and, in the same step,
    /// clears the attribute values only that tag declared.
    #[must_use]
    pub fn remove_tag(project: &Project, id: AnnotationId, tag: TagId) -> Edit {
        let Some(annotation) = project.annotation(id) else {
            return Edit::RemoveTag { id, tag };
        };
        let remaining: Vec<TagId> = annotation.tags.iter().filter(|t| **t != tag).cloned().collect();
        let mut edits: Vec<Edit> = annotation
            .attributes
            .iter()
            .filter(|(name, value)| {
                attributes::check_value(project.tag_set(), &annotation.tags, name, value).is_ok()
                    && attributes::check_value(project.tag_set(), &remaining, name, value).is_err()
            })
            .map(|(name, _)| Edit::SetAttribute {
                id,
                name: name.clone(),
                value: None,
            })
            .collect();
        if edits.is_empty() {
            return Edit::RemoveTag { id, tag };
        }
        edits.push(Edit::RemoveTag { id, tag });
        Edit::Batch(edits)
    }

    /// The edit that replaces the document label declarations and, in the
    /// same step, clears the labels they no longer allow.
    #[must_use]
    pub fn set_document_label_declarations(project: &Project, declarations: Vec<AttributeDecl>) -> Edit {
        let old = &project.tag_set().document_labels;
        let fits = |decls: &[AttributeDecl], name: &str, value: &str| {
            attributes::find(decls, name).is_some_and(|decl| decl.check(value).is_ok())
        };
        let mut edits: Vec<Edit> = project
            .document_labels()
            .iter()
            .filter(|(name, value)| fits(old, name, value) && !fits(&declarations, name, value))
            .map(|(name, _)| Edit::SetDocumentLabel {
                name: name.clone(),
                value: None,
            })
            .collect();
        if edits.is_empty() {
            return Edit::SetDocumentLabelDeclarations(declarations);
        }
        edits.push(Edit::SetDocumentLabelDeclarations(declarations));
        Edit::Batch(edits)
    }
}

pub(super) fn add_relation(project: &mut Project, relation: Relation) -> Result<Edit, EditError> {
    if project.relation(relation.id).is_some() {
        return Err(EditError::RelationExists(relation.id));
    }
    project.check_relation(&relation)?;
    let id = relation.id;
    project.insert_relation(relation);
    Ok(Edit::RemoveRelation(id))
}

pub(super) fn remove_relation(project: &mut Project, id: RelationId) -> Result<Edit, EditError> {
    let relation = project.remove_relation(id).ok_or(EditError::NoSuchRelation(id))?;
    Ok(Edit::AddRelation(relation))
}

pub(super) fn set_relation_type(
    project: &mut Project,
    id: RelationId,
    kind: RelationTypeId,
) -> Result<Edit, EditError> {
    if project.tag_set().relation_type(&kind).is_none() {
        return Err(EditError::NoSuchRelationType(kind));
    }
    let old = project
        .set_relation_kind(id, kind)
        .ok_or(EditError::NoSuchRelation(id))?;
    Ok(Edit::SetRelationType { id, kind: old })
}

pub(super) fn insert_relation_type(
    project: &mut Project,
    index: usize,
    relation_type: RelationType,
) -> Result<Edit, EditError> {
    let types = &mut project.tag_set_mut().relation_types;
    if types.iter().any(|t| t.id == relation_type.id) {
        return Err(EditError::RelationTypeExists(relation_type.id));
    }
    if index > types.len() {
        return Err(EditError::BadIndex { index });
    }
    let id = relation_type.id.clone();
    types.insert(index, relation_type);
    Ok(Edit::RemoveRelationType(id))
}

pub(super) fn update_relation_type(project: &mut Project, relation_type: RelationType) -> Result<Edit, EditError> {
    let slot = project
        .tag_set_mut()
        .relation_types
        .iter_mut()
        .find(|t| t.id == relation_type.id)
        .ok_or_else(|| EditError::NoSuchRelationType(relation_type.id.clone()))?;
    Ok(Edit::UpdateRelationType(std::mem::replace(slot, relation_type)))
}

pub(super) fn remove_relation_type(project: &mut Project, id: &RelationTypeId) -> Result<Edit, EditError> {
    let index = project
        .tag_set()
        .relation_types
        .iter()
        .position(|t| &t.id == id)
        .ok_or_else(|| EditError::NoSuchRelationType(id.clone()))?;
    let removed = project.take_relations_where(|r| &r.kind == id);
    let relation_type = project.tag_set_mut().relation_types.remove(index);
    let mut inverse = vec![Edit::InsertRelationType { index, relation_type }];
    inverse.extend(removed.into_iter().map(Edit::AddRelation));
    Ok(Edit::Batch(inverse))
}

pub(super) fn set_attribute(
    project: &mut Project,
    id: AnnotationId,
    name: String,
    value: Option<String>,
) -> Result<Edit, EditError> {
    if name.is_empty() {
        return Err(EditError::EmptyName);
    }
    let values = &mut annotation_mut(project, id)?.attributes;
    let old = match value {
        Some(value) => values.insert(name.clone(), value),
        None => values.remove(&name),
    };
    Ok(Edit::SetAttribute { id, name, value: old })
}

pub(super) fn set_document_label(
    project: &mut Project,
    name: String,
    value: Option<String>,
) -> Result<Edit, EditError> {
    if name.is_empty() {
        return Err(EditError::EmptyName);
    }
    let labels = project.document_labels_mut();
    let old = match value {
        Some(value) => labels.insert(name.clone(), value),
        None => labels.remove(&name),
    };
    Ok(Edit::SetDocumentLabel { name, value: old })
}

#[cfg(test)]
mod tests {
    use crate::model::annotation::{AnnotationId, CounterClaim};
    use crate::model::attributes::{AttributeDecl, AttributeKind, FLAG_SET};
    use crate::model::edit::{Edit, EditError};
    use crate::model::history::History;
    use crate::model::project::{Project, SourceInfo};
    use crate::model::relations::RelationTypeId;
    use crate::model::span::Span;
    use crate::model::tag_set::{TagId, TagSet};

    const TEXT: &str = "Prices fell. Nobody lies. Prices rose.";

    fn kind(id: &str) -> RelationTypeId {
        RelationTypeId(id.into())
    }

    /// A project with three annotations: two claims and one piece of evidence.
    fn project() -> (Project, History, [AnnotationId; 3]) {
        let mut project = Project::new(TEXT.into(), SourceInfo::of_text(TEXT), TagSet::default_set());
        let mut history = History::new();
        let mut ids = [AnnotationId(0); 3];
        for (slot, (span, tag)) in ids.iter_mut().zip([
            (Span::new(0, 11), "Claim"),
            (Span::new(13, 24), "Evidence"),
            (Span::new(26, 37), "Claim"),
        ]) {
            let (edit, id) = Edit::tag_span(&project, span, TagId(tag.into())).unwrap();
            history.apply(&mut project, edit, None).unwrap();
            *slot = id;
        }
        (project, history, ids)
    }

    #[test]
    fn links_follow_their_types_rules_and_undo_exactly() {
        let (mut project, mut history, [claim, evidence, other]) = project();
        let before = project.clone();
        let (edit, id) = Edit::add_relation(&project, &kind("supports"), evidence, claim).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        let relation = project.relation(id).unwrap();
        assert_eq!((relation.from, relation.to), (evidence, claim));
        assert_eq!(project.relations_of(claim).count(), 1);
        assert!(matches!(
            Edit::add_relation(&project, &kind("supports"), evidence, claim),
            Err(EditError::AlreadyLinked { .. })
        ));
        assert!(matches!(
            Edit::add_relation(&project, &kind("same-claim"), evidence, claim),
            Err(EditError::RelationNotAllowed { .. })
        ));
        assert!(matches!(
            Edit::add_relation(&project, &kind("attacks"), claim, claim),
            Err(EditError::BadRelation(_))
        ));
        assert!(matches!(
            Edit::add_relation(&project, &kind("nope"), claim, other),
            Err(EditError::NoSuchRelationType(_))
        ));
        history
            .apply(
                &mut project,
                Edit::SetRelationType {
                    id,
                    kind: kind("attacks"),
                },
                None,
            )
            .unwrap();
        assert_eq!(project.relation(id).unwrap().kind, kind("attacks"));
        let after = project.clone();
        history.undo(&mut project).unwrap();
        history.undo(&mut project).unwrap();
        assert_eq!(project.relations().count(), 0);
        assert_eq!(project.next_relation_id().0, id.0 + 1, "the id is not given again");
        let mut expected = before;
        expected.raise_next_relation_id(project.next_relation_id().0).unwrap();
        assert_eq!(project, expected);
        history.redo(&mut project).unwrap();
        history.redo(&mut project).unwrap();
        assert_eq!(project, after);
    }

    #[test]
    fn deleting_a_linked_annotation_takes_its_links_and_undo_brings_both_back() {
        let (mut project, mut history, [claim, evidence, other]) = project();
        for (kind_id, from, to) in [
            ("supports", evidence, claim),
            ("same-claim", other, claim),
            ("attacks", evidence, other),
        ] {
            let (edit, _) = Edit::add_relation(&project, &kind(kind_id), from, to).unwrap();
            history.apply(&mut project, edit, None).unwrap();
        }
        let before = project.clone();
        history
            .apply(&mut project, Edit::RemoveAnnotation(claim), None)
            .unwrap();
        let left: Vec<_> = project.relations().map(|r| (r.from, r.to)).collect();
        assert_eq!(left, [(evidence, other)]);
        history.undo(&mut project).unwrap();
        assert_eq!(project, before);
        history.redo(&mut project).unwrap();
        assert_eq!(project.relations().count(), 1);
    }

    #[test]
    fn removing_a_relation_type_removes_its_links_and_undo_restores_them() {
        let (mut project, mut history, [claim, evidence, other]) = project();
        for (kind_id, from, to) in [("supports", evidence, claim), ("attacks", evidence, other)] {
            let (edit, _) = Edit::add_relation(&project, &kind(kind_id), from, to).unwrap();
            history.apply(&mut project, edit, None).unwrap();
        }
        let before = project.clone();
        history
            .apply(&mut project, Edit::RemoveRelationType(kind("supports")), None)
            .unwrap();
        assert!(project.tag_set().relation_type(&kind("supports")).is_none());
        assert_eq!(project.relations().count(), 1);
        history.undo(&mut project).unwrap();
        assert_eq!(project, before);
    }

    #[test]
    fn attributes_and_labels_are_checked_set_cleared_and_undone() {
        let (mut project, mut history, [claim, evidence, _]) = project();
        let before = project.clone();
        let edit = Edit::set_attribute(&project, claim, "Verdict", Some("Mostly false".into())).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        let edit = Edit::set_attribute(&project, claim, "Negated", Some(FLAG_SET.into())).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        assert!(Edit::set_attribute(&project, claim, "Verdict", Some("Maybe".into())).is_err());
        assert!(Edit::set_attribute(&project, evidence, "Verdict", Some("False".into())).is_err());
        let edit = Edit::set_document_label(&project, "URL", Some("https://example.org/a".into())).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        assert!(Edit::set_document_label(&project, "Verdict", Some("Nope".into())).is_err());
        assert!(Edit::set_document_label(&project, "Colour", Some("red".into())).is_err());
        let values: Vec<_> = project.annotation(claim).unwrap().attributes.iter().collect();
        assert_eq!(values.len(), 2);
        assert_eq!(project.document_labels()["URL"], "https://example.org/a");
        let edit = Edit::set_attribute(&project, claim, "Negated", None).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        assert!(!project.annotation(claim).unwrap().attributes.contains_key("Negated"));
        for _ in 0..4 {
            history.undo(&mut project).unwrap();
        }
        assert_eq!(project, before);
    }

    #[test]
    fn typing_a_label_is_one_undo_step() {
        let (mut project, mut history, _) = project();
        let before = project.clone();
        let key = Some(crate::model::history::GroupKey("label Outlet".into()));
        for typed in ["T", "Th", "The Times"] {
            let edit = Edit::set_document_label(&project, "Outlet", Some(typed.into())).unwrap();
            history.apply(&mut project, edit, key.clone()).unwrap();
        }
        history.undo(&mut project).unwrap();
        assert_eq!(project, before);
    }

    #[test]
    fn changing_declarations_clears_the_values_they_no_longer_allow_in_one_step() {
        let (mut project, mut history, [claim, _, other]) = project();
        let edit = Edit::set_attribute(&project, claim, "Verdict", Some("False".into())).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        let edit = Edit::set_attribute(&project, other, "Confidence", Some("High".into())).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        let edit = Edit::set_document_label(&project, "Verdict", Some("Mixed".into())).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        let before = project.clone();
        let mut tag = project.tag_set().get(&TagId("Claim".into())).unwrap().clone();
        tag.attributes.retain(|decl| decl.name != "Verdict");
        let edit = Edit::update_tag_definition(&project, tag);
        history.apply(&mut project, edit, None).unwrap();
        assert!(project.annotation(claim).unwrap().attributes.is_empty());
        assert_eq!(project.annotation(other).unwrap().attributes.len(), 1);
        let declarations = vec![AttributeDecl::new(
            "Verdict",
            AttributeKind::Choice(vec!["Wrong".into()]),
        )];
        let edit = Edit::set_document_label_declarations(&project, declarations);
        history.apply(&mut project, edit, None).unwrap();
        assert!(project.document_labels().is_empty());
        let edit = Edit::remove_tag(&project, other, TagId("Claim".into()));
        history.apply(&mut project, edit, None).unwrap();
        assert!(project.annotation(other).unwrap().attributes.is_empty());
        for _ in 0..3 {
            history.undo(&mut project).unwrap();
        }
        assert_eq!(project, before);
    }

    #[test]
    fn a_counter_claim_can_also_be_linked() {
        let (mut project, mut history, [claim, _, _]) = project();
        let (edit, answer) = Edit::add_counter_claim(&project, Span::new(26, 37), CounterClaim::new("No."));
        history.apply(&mut project, edit, None).unwrap();
        let (edit, _) = Edit::add_relation(&project, &kind("rebuts"), answer, claim).unwrap();
        history.apply(&mut project, edit, None).unwrap();
        assert_eq!(project.relations_of(answer).count(), 1);
    }
}
