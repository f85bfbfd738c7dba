//! What `counterpoint check` says about the relations, attribute values and
//! document labels of a file (format version 3): relations that cannot be
//! loaded are problems; values their declarations do not allow, and links
//! their type does not allow between those tags, are warnings (the file
//! loads, and the window shows them as they are).

use std::collections::{BTreeSet, HashMap};

use super::schema::ContentError;
use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::attributes::{self, AttributeValues};
use crate::model::project::ProjectError;
use crate::model::relations::{Relation, RelationId};
use crate::model::tag_set::TagSet;

/// Problems (relations that name no annotation, no type, or themselves;
/// repeated or out-of-range ids) and warnings (undeclared or unfit values,
/// links between tags their type does not allow).
pub(super) fn relations_and_values(
    tag_set: &TagSet,
    annotations: &[Annotation],
    relations: &[Relation],
    document_labels: &AttributeValues,
    next_relation_id: u64,
) -> (Vec<ContentError>, Vec<String>) {
    let mut problems: Vec<ContentError> = Vec::new();
    let mut warnings = Vec::new();
    for (index, kind) in tag_set.relation_types.iter().enumerate() {
        if tag_set.relation_types[..index]
            .iter()
            .any(|earlier| earlier.id == kind.id)
        {
            problems.push(ProjectError::DuplicateRelationType(kind.id.clone()).into());
        }
    }
    let by_id: HashMap<AnnotationId, &Annotation> = annotations.iter().map(|a| (a.id, a)).collect();
    let mut seen = BTreeSet::new();
    for relation in relations {
        let id = relation.id;
        if !id.is_in_range() {
            problems.push(ProjectError::RelationIdOutOfRange { id }.into());
        }
        if !seen.insert(id) {
            problems.push(ProjectError::DuplicateRelation { id }.into());
        }
        let kind = tag_set.relation_type(&relation.kind);
        if kind.is_none() {
            problems.push(
                ProjectError::UnknownRelationType {
                    id,
                    kind: relation.kind.clone(),
                }
                .into(),
            );
        }
        for end in [relation.from, relation.to] {
            if !by_id.contains_key(&end) {
                problems.push(ProjectError::DanglingRelation { id, end }.into());
            }
        }
        if relation.from == relation.to {
            problems.push(ProjectError::SelfRelation { id, end: relation.from }.into());
        }
        if let (Some(kind), Some(from), Some(to)) = (kind, by_id.get(&relation.from), by_id.get(&relation.to))
            && !kind.allows(&from.tags, &to.tags)
        {
            warnings.push(format!(
                "relation {id}: a {} link from annotation {} to annotation {}, whose tags its type does not list at those ends",
                echo(kind.id.as_str()),
                relation.from,
                relation.to
            ));
        }
    }
    if next_relation_id > RelationId::MAX.0 + 1 {
        problems.push(ProjectError::NextRelationIdOutOfRange { next: next_relation_id }.into());
    }
    for annotation in annotations {
        for (name, value) in &annotation.attributes {
            if let Err(unfit) = attributes::check_value(tag_set, &annotation.tags, name, value) {
                warnings.push(format!("annotation {}: {unfit}", annotation.id));
            }
        }
    }
    for (name, value) in document_labels {
        let fits = attributes::find(&tag_set.document_labels, name).map_or_else(
            || Err(attributes::ValueError::Undeclared { name: name.clone() }),
            |decl| decl.check(value),
        );
        if let Err(unfit) = fits {
            warnings.push(format!("document label: {unfit}"));
        }
    }
    (problems, warnings)
}
