//! One document's tag set brought to a change's target through model
//! [`Edit`]s, and one document aligned with the manifest.

use crate::model::annotation::Annotation;
use crate::model::edit::{Edit, EditError};
use crate::model::project::Project;
use crate::model::tag_set::{Tag, TagId, TagSet};

use super::TagChange;

/// Applies `change` to `project` step by step and returns the edits applied,
/// in order (empty when the project already has the target tag set): each
/// step is computed on the project as the steps before it left it, so the
/// list replays exactly on a copy of the original. On an error the steps
/// already applied are undone and the project is as it was.
pub(super) fn conform(change: &TagChange, project: &mut Project) -> Result<Vec<Edit>, EditError> {
    let mut applied: Vec<(Edit, Edit)> = Vec::new();
    let result = steps(change, project, &mut applied);
    if let Err(error) = result {
        for (_, inverse) in applied.into_iter().rev() {
            // Each inverse came from a successful apply on this very state.
            let _ = inverse.apply(project);
        }
        return Err(error);
    }
    Ok(applied.into_iter().map(|(forward, _)| forward).collect())
}

/// Applies one edit, recording it and its inverse.
fn step(project: &mut Project, edit: Edit, applied: &mut Vec<(Edit, Edit)>) -> Result<(), EditError> {
    let inverse = edit.clone().apply(project)?;
    applied.push((edit, inverse));
    Ok(())
}

fn steps(change: &TagChange, project: &mut Project, applied: &mut Vec<(Edit, Edit)>) -> Result<(), EditError> {
    let target = &change.target;
    // 1. Removed tags go, from the tag set and from every annotation (the
    //    annotations themselves stay, with their other tags and counter-claims).
    for id in change.removed_here() {
        if project.tag_set().get(id).is_some() {
            step(project, Edit::RemoveTagDefinition(id.clone()), applied)?;
        }
    }
    // 2. The target's tags, in its order, at the front; the document's own
    //    other tags keep their order after them.
    for (index, tag) in target.tags.iter().enumerate() {
        match project.tag_set().position(&tag.id) {
            None => step(
                project,
                Edit::InsertTagDefinition {
                    index,
                    tag: tag.clone(),
                },
                applied,
            )?,
            Some(position) if position == index => {
                if project.tag_set().tags[position] != *tag {
                    step(project, Edit::UpdateTagDefinition(tag.clone()), applied)?;
                }
            }
            Some(_) => step(project, moved(project, &tag.id, index, tag.clone()), applied)?,
        }
    }
    // 3. A digit key the target gives a tag is taken from the document's own tags.
    let target_keys: Vec<u8> = target.tags.iter().filter_map(|tag| tag.hotkey).collect();
    let clashing: Vec<_> = project.tag_set().tags[target.tags.len()..]
        .iter()
        .filter(|tag| tag.hotkey.is_some_and(|key| target_keys.contains(&key)))
        .cloned()
        .collect();
    for mut tag in clashing {
        tag.hotkey = None;
        step(project, Edit::UpdateTagDefinition(tag), applied)?;
    }
    // 4. Relation types: the target's are added or updated (the document's
    //    own are kept, and so are their relations).
    for (index, kind) in target.relation_types.iter().enumerate() {
        match project.tag_set().relation_type(&kind.id) {
            None => {
                let index = index.min(project.tag_set().relation_types.len());
                step(
                    project,
                    Edit::InsertRelationType {
                        index,
                        relation_type: kind.clone(),
                    },
                    applied,
                )?;
            }
            Some(existing) if existing != kind => {
                step(project, Edit::UpdateRelationType(kind.clone()), applied)?;
            }
            Some(_) => {}
        }
    }
    // 5. Document labels: the target's declarations, then the document's own
    //    others (values already set are never cleared here).
    let mut labels = target.document_labels.clone();
    labels.extend(
        project
            .tag_set()
            .document_labels
            .iter()
            .filter(|own| !target.document_labels.iter().any(|t| t.name == own.name))
            .cloned(),
    );
    if labels != project.tag_set().document_labels {
        step(project, Edit::SetDocumentLabelDeclarations(labels), applied)?;
    }
    Ok(())
}

/// The edit that moves the tag `id` to `index` (with the definition `tag`):
/// its definition taken out and put back there, and put back on every
/// annotation that had it, at the same place in its tag list.
fn moved(project: &Project, id: &TagId, index: usize, tag: Tag) -> Edit {
    let on_annotations = project.annotations().filter_map(|annotation: &Annotation| {
        let position = annotation.tags.iter().position(|t| t == id)?;
        Some(Edit::InsertTag {
            id: annotation.id,
            index: position,
            tag: id.clone(),
        })
    });
    let mut put_back = vec![Edit::InsertTagDefinition { index, tag }];
    put_back.extend(on_annotations);
    Edit::Batch(vec![Edit::RemoveTagDefinition(id.clone()), Edit::Batch(put_back)])
}

/// What bringing one document in line with the manifest takes; see [`align`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alignment {
    /// The manifest's tag set, grown by the tags (and relation types and
    /// document labels) the document uses that it lacks. When it grew, the
    /// caller saves it and applies it to every document of the corpus
    /// ([`super::apply`]); else only to this one.
    pub manifest: TagSet,
    /// The tags added to the manifest, because annotations of the document carry them.
    pub added_to_manifest: Vec<TagId>,
    /// The document's own tags that no annotation carries and the manifest
    /// lacks: their definitions leave the document.
    pub dropped: Vec<TagId>,
    /// The change that makes the document's tag set the (grown) manifest's.
    pub change: TagChange,
}

impl Alignment {
    /// Whether the manifest grew, so the other documents need the change too.
    #[must_use]
    pub fn manifest_grew(&self, before: &TagSet) -> bool {
        self.manifest != *before
    }

    /// The change the other documents of the corpus take when the manifest
    /// grew: the grown tag set, nothing removed (this document's dropped
    /// tags may be used elsewhere).
    #[must_use]
    pub fn corpus_change(&self) -> TagChange {
        TagChange {
            target: self.manifest.clone(),
            removed: Vec::new(),
        }
    }
}

/// How to bring `project`'s tag set in line with `manifest` without losing
/// anything an annotation carries: a tag the document uses and the manifest
/// lacks is added to the manifest (at its end) rather than taken off the
/// annotations; a tag the document only declares, unused, is dropped; a
/// definition both have is the manifest's (name, colour, hotkey);
/// relation types and document label declarations the document has and
/// the manifest lacks are added to the manifest.
#[must_use]
pub fn align(manifest: &TagSet, project: &Project) -> Alignment {
    let own = project.tag_set();
    let used = |id: &TagId| project.annotations().any(|a| a.tags.contains(id));
    let mut grown = manifest.clone();
    let mut added_to_manifest = Vec::new();
    let mut dropped = Vec::new();
    for tag in &own.tags {
        if grown.get(&tag.id).is_some() {
            continue;
        }
        if used(&tag.id) {
            let mut tag = tag.clone();
            if tag.hotkey.is_some_and(|key| grown.by_hotkey(key).is_some()) {
                tag.hotkey = None;
            }
            added_to_manifest.push(tag.id.clone());
            grown.tags.push(tag);
        } else {
            dropped.push(tag.id.clone());
        }
    }
    for kind in &own.relation_types {
        if grown.relation_type(&kind.id).is_none() {
            grown.relation_types.push(kind.clone());
        }
    }
    for label in &own.document_labels {
        if !grown.document_labels.iter().any(|l| l.name == label.name) {
            grown.document_labels.push(label.clone());
        }
    }
    Alignment {
        change: TagChange {
            target: grown.clone(),
            removed: dropped.clone(),
        },
        manifest: grown,
        added_to_manifest,
        dropped,
    }
}
