//! The three-way merge of projects on one text (BASE, OURS, THEIRS), as the
//! module docs of [`crate::team`] design it: annotations are paired by uid,
//! merged field by field, and what two sides changed differently becomes a
//! [`Conflict`] in the result instead of being decided.
//!
//! Pure: projects in, a project out. The command line (`src/cli/merge.rs`)
//! reads and writes the files.
//!
//! A field of an annotation or tag merges by the three-way rule
//! ([`field`]): the same on both sides, or changed on one side only, gives
//! that value; changed differently on both is a conflict, and ours' value
//! stays until it is resolved. A new field of [`Annotation`] is one more
//! line in [`merge_annotation_fields`] (and a [`ConflictField`] to name it).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::conflict::{Conflict, ConflictField, Sides};
use crate::model::project::{CommentPlacement, ForeignRecord, Project, ProjectError};
use crate::model::relations::{Relation, RelationId, RelationTypeId};
use crate::model::tag_set::{Tag, TagId, TagSet};
use crate::model::uid::Uid;

use super::study::{TextPlace, first_difference};

/// Why projects could not be merged. Nothing is merged when this is returned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error(
        "{side} annotates a different text from {other} (they first differ at {place}); only projects of one text can be merged"
    )]
    DifferentTexts {
        side: &'static str,
        other: &'static str,
        place: TextPlace,
    },
    #[error(
        "{side} records another text (SHA-256 {found}) than {other} ({expected}), though the texts read the same; only projects of one text can be merged"
    )]
    DifferentHashes {
        side: &'static str,
        other: &'static str,
        found: String,
        expected: String,
    },
    #[error(
        "both sides changed the link types or the document's labels, differently; this version merges those only when one side left them alone, so nothing was merged (merge the file by hand in Counterpoint)"
    )]
    DifferentLinks,
    /// Cannot happen while the rules keep every id and tag sound; said rather than written.
    #[error("the merged project would not be sound ({0}); nothing was merged")]
    Unsound(#[from] ProjectError),
}

/// The merged project; its [`Project::conflicts`] lists what is left to resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    pub project: Project,
    /// How many conflicts this merge found (earlier unresolved ones aside).
    pub new_conflicts: usize,
}

/// Merges OURS and THEIRS, both made from BASE. The result keeps ours'
/// numbers and source; annotations only theirs added are renumbered where
/// their numbers are taken (see the module docs of [`crate::team`]).
pub fn merge(base: &Project, ours: &Project, theirs: &Project) -> Result<Merged, MergeError> {
    check_same_text(base, ours, theirs)?;
    let links = links_from(base, ours, theirs)?;
    let mut conflicts = Vec::new();
    let tag_set = merge_tag_sets(base.tag_set(), ours.tag_set(), theirs.tag_set(), &mut conflicts);
    let mut annotations = merge_annotations(base, ours, theirs, &mut conflicts);
    let mut tag_set = restore_used_tags(tag_set, &annotations.kept, [ours, theirs, base], &mut conflicts);
    let links_side = match links {
        LinksFrom::Ours => ours,
        LinksFrom::Theirs => theirs,
    };
    tag_set.relation_types.clone_from(&links_side.tag_set().relation_types);
    tag_set
        .document_labels
        .clone_from(&links_side.tag_set().document_labels);
    let new_conflicts = conflicts.len();
    // Conflicts left from earlier merges merge like any list; the new ones follow.
    let mut all_conflicts = merge_lists(base.conflicts(), ours.conflicts(), theirs.conflicts());
    all_conflicts.append(&mut conflicts);

    let kept_ids: BTreeSet<AnnotationId> = annotations.kept.iter().map(|annotation| annotation.id).collect();
    let renumber = |map: &HashMap<AnnotationId, AnnotationId>, id: AnnotationId| map.get(&id).copied().unwrap_or(id);
    let placements = |project: &Project, map: &HashMap<AnnotationId, AnnotationId>| -> Vec<CommentPlacement> {
        project
            .comment_layout()
            .iter()
            .map(|placement| CommentPlacement {
                annotation: renumber(map, placement.annotation),
                ..placement.clone()
            })
            .collect()
    };
    let records = |project: &Project, map: &HashMap<AnnotationId, AnnotationId>| -> Vec<ForeignRecord> {
        project
            .foreign_records()
            .iter()
            .map(|record| ForeignRecord {
                refers_to: record.refers_to.iter().map(|id| renumber(map, *id)).collect(),
                ..record.clone()
            })
            .collect()
    };
    let mut comment_layout = merge_lists(
        &placements(base, &annotations.base_ids),
        ours.comment_layout(),
        &placements(theirs, &annotations.theirs_ids),
    );
    comment_layout.retain(|placement| kept_ids.contains(&placement.annotation));
    let mut foreign_records = merge_lists(
        &records(base, &annotations.base_ids),
        ours.foreign_records(),
        &records(theirs, &annotations.theirs_ids),
    );
    // A record naming a removed annotation goes with it, as deleting one does.
    foreign_records.retain(|record| record.refers_to.iter().all(|id| kept_ids.contains(id)));

    let next = [base, ours, theirs]
        .iter()
        .map(|project| project.next_annotation_id().0)
        .chain(annotations.kept.iter().map(|annotation| annotation.id.0 + 1))
        .max()
        .unwrap_or(1);
    let result_ids: HashMap<Uid, AnnotationId> = annotations
        .kept
        .iter()
        .map(|annotation| (annotation.uid, annotation.id))
        .collect();
    let kept = std::mem::take(&mut annotations.kept);
    let mut project = Project::from_parts(ours.text().to_owned(), ours.source().clone(), tag_set, kept)?;
    project.raise_next_annotation_id(next)?;
    project.set_comment_layout(comment_layout);
    project.set_foreign_records(foreign_records);
    project.set_conflicts(all_conflicts);
    project.set_relations(merge_relations(base, ours, theirs, &result_ids))?;
    project.raise_next_relation_id(
        [base, ours, theirs]
            .iter()
            .map(|project| project.next_relation_id().0)
            .max()
            .unwrap_or(1),
    )?;
    project.set_document_labels(links_side.document_labels().clone());
    Ok(Merged { project, new_conflicts })
}

/// Which side's relation types, document label declarations and document
/// labels the result takes. They are not merged item by item yet: a side
/// that left them as in the base gives way to the other, the same change on
/// both is taken once, and different changes on both sides are refused, so
/// none is ever lost.
#[derive(Clone, Copy)]
enum LinksFrom {
    Ours,
    Theirs,
}

/// A relation as the same on every side: its type and its ends' uids.
type RelationKey = (RelationTypeId, Uid, Uid);

fn relation_keys(project: &Project) -> BTreeMap<RelationKey, RelationId> {
    project
        .relations()
        .filter_map(|relation| {
            let uid = |id| project.annotation(id).map(|annotation| annotation.uid);
            Some((
                (relation.kind.clone(), uid(relation.from)?, uid(relation.to)?),
                relation.id,
            ))
        })
        .collect()
}

/// Relations merge as a set: one either side added is kept, one either side
/// removed is removed. Ours' keep their ids; theirs' new ones take ids above
/// every side's, in key order. A link to an annotation the merge removed goes
/// with it, as deleting one does.
fn merge_relations(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    result_ids: &HashMap<Uid, AnnotationId>,
) -> Vec<Relation> {
    let (base, ours_keys, theirs_keys) = (relation_keys(base), relation_keys(ours), relation_keys(theirs));
    let mut next = [ours, theirs]
        .iter()
        .map(|project| project.next_relation_id().0)
        .max()
        .unwrap_or(1);
    let mut kept = Vec::new();
    for (key, id) in &ours_keys {
        if theirs_keys.contains_key(key) || !base.contains_key(key) {
            kept.push((key, *id));
        }
    }
    for key in theirs_keys.keys() {
        if !ours_keys.contains_key(key) && !base.contains_key(key) {
            kept.push((key, RelationId(next)));
            next += 1;
        }
    }
    kept.into_iter()
        .filter_map(|((kind, from, to), id)| {
            Some(Relation {
                id,
                kind: kind.clone(),
                from: *result_ids.get(from)?,
                to: *result_ids.get(to)?,
            })
        })
        .collect()
}

fn links_from(base: &Project, ours: &Project, theirs: &Project) -> Result<LinksFrom, MergeError> {
    let links = |project: &Project| {
        (
            project.tag_set().relation_types.clone(),
            project.tag_set().document_labels.clone(),
            project.document_labels().clone(),
        )
    };
    let (base, ours, theirs) = (links(base), links(ours), links(theirs));
    if ours == theirs || theirs == base {
        Ok(LinksFrom::Ours)
    } else if ours == base {
        Ok(LinksFrom::Theirs)
    } else {
        Err(MergeError::DifferentLinks)
    }
}

fn check_same_text(base: &Project, ours: &Project, theirs: &Project) -> Result<(), MergeError> {
    for (side, project) in [("ours", ours), ("theirs", theirs)] {
        if let Some(place) = first_difference(base.text(), project.text()) {
            return Err(MergeError::DifferentTexts {
                side,
                other: "base",
                place,
            });
        }
    }
    // The same characters read from two encodings are one text; a recorded
    // hash that differs while the encoding is the same names another file.
    for (side, project) in [("theirs", theirs), ("base", base)] {
        if project.source().encoding == ours.source().encoding
            && project.source().bom == ours.source().bom
            && project.source().sha256 != ours.source().sha256
        {
            return Err(MergeError::DifferentHashes {
                side,
                other: "ours",
                found: project.source().sha256.clone(),
                expected: ours.source().sha256.clone(),
            });
        }
    }
    Ok(())
}

/// The three-way rule for one field: `None` when it is in conflict (the
/// caller keeps ours' value and records the field).
pub fn field<'v, T: PartialEq>(base: Option<&'v T>, ours: &'v T, theirs: &'v T) -> Option<&'v T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours)
    } else if base == Some(ours) {
        Some(theirs)
    } else {
        None
    }
}

/// One field merged into `out`, or its name added to `conflicts`.
fn merge_field<T: PartialEq + Clone>(
    name: ConflictField,
    base: Option<&T>,
    ours: &T,
    theirs: &T,
    out: &mut T,
    conflicts: &mut Vec<ConflictField>,
) {
    if let Some(value) = field(base, ours, theirs) {
        value.clone_into(out);
    } else {
        ours.clone_into(out);
        if !conflicts.contains(&name) {
            conflicts.push(name);
        }
    }
}

/// Something merged by fields: annotations and tag definitions.
trait ByFields: Clone + PartialEq {
    /// Ours with each field merged; the fields in conflict.
    fn merge_fields(base: Option<&Self>, ours: &Self, theirs: &Self) -> (Self, Vec<ConflictField>);
    /// The fields that differ (what a side that kept it changed).
    fn changed_fields(from: &Self, to: &Self) -> Vec<ConflictField>;
}

/// Every field of an annotation, its number and uid aside (they identify it).
fn merge_annotation_fields(
    base: Option<&Annotation>,
    ours: &Annotation,
    theirs: &Annotation,
) -> (Annotation, Vec<ConflictField>) {
    let mut out = ours.clone();
    let mut conflicts = Vec::new();
    let c = &mut conflicts;
    merge_field(
        ConflictField::Span,
        base.map(|b| &b.span),
        &ours.span,
        &theirs.span,
        &mut out.span,
        c,
    );
    merge_field(
        ConflictField::Tags,
        base.map(|b| &b.tags),
        &ours.tags,
        &theirs.tags,
        &mut out.tags,
        c,
    );
    merge_field(
        ConflictField::CounterClaims,
        base.map(|b| &b.counter_claims),
        &ours.counter_claims,
        &theirs.counter_claims,
        &mut out.counter_claims,
        c,
    );
    merge_field(
        ConflictField::Attributes,
        base.map(|b| &b.attributes),
        &ours.attributes,
        &theirs.attributes,
        &mut out.attributes,
        c,
    );
    (out, conflicts)
}

impl ByFields for Annotation {
    fn merge_fields(base: Option<&Self>, ours: &Self, theirs: &Self) -> (Self, Vec<ConflictField>) {
        merge_annotation_fields(base, ours, theirs)
    }

    fn changed_fields(from: &Self, to: &Self) -> Vec<ConflictField> {
        merge_annotation_fields(None, from, to).1
    }
}

impl ByFields for Tag {
    fn merge_fields(base: Option<&Self>, ours: &Self, theirs: &Self) -> (Self, Vec<ConflictField>) {
        let mut out = ours.clone();
        let mut conflicts = Vec::new();
        let c = &mut conflicts;
        let d = ConflictField::Definition;
        merge_field(d, base.map(|b| &b.name), &ours.name, &theirs.name, &mut out.name, c);
        merge_field(
            d,
            base.map(|b| &b.category),
            &ours.category,
            &theirs.category,
            &mut out.category,
            c,
        );
        merge_field(
            d,
            base.map(|b| &b.description),
            &ours.description,
            &theirs.description,
            &mut out.description,
            c,
        );
        merge_field(d, base.map(|b| &b.color), &ours.color, &theirs.color, &mut out.color, c);
        merge_field(
            d,
            base.map(|b| &b.hotkey),
            &ours.hotkey,
            &theirs.hotkey,
            &mut out.hotkey,
            c,
        );
        (out, conflicts)
    }

    fn changed_fields(from: &Self, to: &Self) -> Vec<ConflictField> {
        Self::merge_fields(None, from, to).1
    }
}

/// What happens to one thing (by identity) in the merge.
enum Outcome<T> {
    /// Neither side has it any more.
    Gone,
    /// This version is in the result; the fields in conflict, if any.
    Kept(T, Vec<ConflictField>),
}

/// The existence and field rules for one thing, whichever sides hold it.
fn merge_one<T: ByFields>(base: Option<&T>, ours: Option<&T>, theirs: Option<&T>) -> Outcome<T> {
    match (base, ours, theirs) {
        (_, None, None) => Outcome::Gone,
        (None, Some(only), None) | (None, None, Some(only)) => Outcome::Kept(only.clone(), Vec::new()),
        (_, Some(ours), Some(theirs)) => {
            let (merged, fields) = T::merge_fields(base, ours, theirs);
            Outcome::Kept(merged, fields)
        }
        // Removed on one side: gone if the other left it as it was, else a conflict keeping the changed one.
        (Some(base), Some(kept), None) | (Some(base), None, Some(kept)) => {
            if kept == base {
                Outcome::Gone
            } else {
                Outcome::Kept(kept.clone(), T::changed_fields(base, kept))
            }
        }
    }
}

fn merge_tag_sets(base: &TagSet, ours: &TagSet, theirs: &TagSet, conflicts: &mut Vec<Conflict>) -> TagSet {
    // Ours' order, then tags only theirs has, in theirs' order.
    let mut ids: Vec<&TagId> = ours.tags.iter().map(|tag| &tag.id).collect();
    ids.extend(
        theirs
            .tags
            .iter()
            .map(|tag| &tag.id)
            .filter(|id| ours.get(id).is_none()),
    );
    ids.extend(
        base.tags
            .iter()
            .map(|tag| &tag.id)
            .filter(|id| ours.get(id).is_none() && theirs.get(id).is_none()),
    );
    let mut tags = Vec::new();
    for id in ids {
        let sides = Sides {
            base: base.get(id),
            ours: ours.get(id),
            theirs: theirs.get(id),
        };
        if let Outcome::Kept(tag, fields) = merge_one(sides.base, sides.ours, sides.theirs) {
            if !fields.is_empty() {
                conflicts.push(Conflict::Tag {
                    id: id.clone(),
                    fields,
                    sides: owned(&sides),
                });
            }
            tags.push(tag);
        }
    }
    // Chosen whole by `links_from`, and set by `merge`.
    TagSet {
        tags,
        relation_types: Vec::new(),
        document_labels: Vec::new(),
    }
}

/// A tag one side removed while the other attached it: its definition comes
/// back (from ours, theirs or base), and the removal is a conflict to resolve.
fn restore_used_tags(
    mut tag_set: TagSet,
    annotations: &[Annotation],
    [ours, theirs, base]: [&Project; 3],
    conflicts: &mut Vec<Conflict>,
) -> TagSet {
    let used: BTreeSet<&TagId> = annotations.iter().flat_map(|annotation| &annotation.tags).collect();
    for id in used {
        if tag_set.get(id).is_some() {
            continue;
        }
        let sides = Sides {
            base: base.tag_set().get(id),
            ours: ours.tag_set().get(id),
            theirs: theirs.tag_set().get(id),
        };
        if let Some(definition) = sides.ours.or(sides.theirs).or(sides.base) {
            tag_set.tags.push(definition.clone());
            conflicts.push(Conflict::Tag {
                id: id.clone(),
                fields: vec![ConflictField::Definition],
                sides: owned(&sides),
            });
        }
    }
    tag_set
}

fn owned<T: Clone>(sides: &Sides<&T>) -> Sides<T> {
    Sides {
        base: sides.base.cloned(),
        ours: sides.ours.cloned(),
        theirs: sides.theirs.cloned(),
    }
}

/// The merged annotations, with how base's and theirs' numbers map to the result's.
struct MergedAnnotations {
    kept: Vec<Annotation>,
    base_ids: HashMap<AnnotationId, AnnotationId>,
    theirs_ids: HashMap<AnnotationId, AnnotationId>,
}

fn by_uid(project: &Project) -> BTreeMap<Uid, &Annotation> {
    project
        .annotations()
        .map(|annotation| (annotation.uid, annotation))
        .collect()
}

fn merge_annotations(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    conflicts: &mut Vec<Conflict>,
) -> MergedAnnotations {
    let (base_map, ours_map, theirs_map) = (by_uid(base), by_uid(ours), by_uid(theirs));
    let uids: BTreeSet<Uid> = base_map
        .keys()
        .chain(ours_map.keys())
        .chain(theirs_map.keys())
        .copied()
        .collect();

    // Added on both sides under two uids with the same span and content: kept once, as ours.
    let content = |annotation: &Annotation| {
        let mut same = annotation.clone();
        same.id = AnnotationId(0);
        same.uid = Uid::NONE;
        same
    };
    let mut ours_added: HashMap<Annotation, Vec<AnnotationId>> = HashMap::new();
    for annotation in ours_map.values() {
        if !base_map.contains_key(&annotation.uid) && !theirs_map.contains_key(&annotation.uid) {
            ours_added.entry(content(annotation)).or_default().push(annotation.id);
        }
    }

    let mut kept = Vec::new();
    let mut theirs_ids = HashMap::new();
    let mut theirs_only = Vec::new();
    for uid in uids {
        let (b, o, t) = (
            base_map.get(&uid).copied(),
            ours_map.get(&uid).copied(),
            theirs_map.get(&uid).copied(),
        );
        if let (None, None, Some(added)) = (b, o, t) {
            match ours_added.get_mut(&content(added)).and_then(Vec::pop) {
                Some(same) => {
                    theirs_ids.insert(added.id, same);
                }
                None => theirs_only.push(added),
            }
            continue;
        }
        let Outcome::Kept(mut annotation, fields) = merge_one(b, o, t) else {
            continue;
        };
        // Ours' number; base's when ours removed it (no one else can hold it).
        annotation.id = o.or(b).map_or(annotation.id, |side| side.id);
        if let Some(theirs) = t {
            theirs_ids.insert(theirs.id, annotation.id);
        }
        if !fields.is_empty() {
            conflicts.push(Conflict::Annotation {
                uid,
                fields,
                sides: Sides {
                    base: b.cloned(),
                    ours: o.cloned(),
                    theirs: t.cloned(),
                },
            });
        }
        kept.push(annotation);
    }

    // Only theirs added these: their numbers if free and never ours' to give, else the next free, in uid order.
    let mut taken: BTreeSet<AnnotationId> = kept.iter().map(|annotation| annotation.id).collect();
    let mut next = [base, ours, theirs]
        .iter()
        .map(|project| project.next_annotation_id().0)
        .max()
        .unwrap_or(1);
    let ours_next = ours.next_annotation_id();
    for added in theirs_only {
        let id = if added.id >= ours_next && !taken.contains(&added.id) {
            added.id
        } else {
            while taken.contains(&AnnotationId(next)) {
                next += 1;
            }
            AnnotationId(next)
        };
        taken.insert(id);
        theirs_ids.insert(added.id, id);
        kept.push(Annotation { id, ..added.clone() });
    }
    let base_ids = base
        .annotations()
        .filter_map(|annotation| {
            let now = ours_map.get(&annotation.uid).map(|ours| ours.id);
            now.map(|id| (annotation.id, id))
        })
        .collect();
    MergedAnnotations {
        kept,
        base_ids,
        theirs_ids,
    }
}

/// A three-way merge of a list of records (each compared whole): those both
/// sides keep, or one side added; ours' order, then theirs' additions.
fn merge_lists<T: PartialEq + Clone>(base: &[T], ours: &[T], theirs: &[T]) -> Vec<T> {
    let mut out: Vec<T> = ours
        .iter()
        .filter(|item| theirs.contains(item) || !base.contains(item))
        .cloned()
        .collect();
    out.extend(
        theirs
            .iter()
            .filter(|item| !ours.contains(item) && !base.contains(item))
            .cloned(),
    );
    out
}

#[cfg(test)]
mod tests;
