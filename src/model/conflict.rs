//! Conflicts a merge left for a person to resolve (see `team::merge`): kept in
//! the project, and its file, until resolved, so nothing either side did is lost.

use serde::{Deserialize, Serialize};

use super::annotation::{Annotation, AnnotationId};
use super::edit::Edit;
use super::project::Project;
use super::tag_set::{Tag, TagId};
use super::uid::Uid;

/// A part of an annotation or tag definition that two sides changed differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictField {
    /// An annotation's start and end.
    Span,
    Tags,
    CounterClaims,
    /// An annotation's attribute values.
    Attributes,
    /// A tag definition's name, category, description, colour or hotkey.
    Definition,
}

impl ConflictField {
    /// How the field is named to people.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            ConflictField::Span => "span",
            ConflictField::Tags => "tags",
            ConflictField::CounterClaims => "counter-claims",
            ConflictField::Attributes => "attributes",
            ConflictField::Definition => "definition",
        }
    }
}

/// The three versions of one thing a merge saw; `None` where that side has
/// none (removed it, or never had it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sides<T> {
    pub base: Option<T>,
    pub ours: Option<T>,
    pub theirs: Option<T>,
}

/// One unresolved conflict. The project keeps ours' version of the thing in
/// place (theirs' when ours removed it); the entry keeps all three.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Conflict {
    Annotation {
        uid: Uid,
        fields: Vec<ConflictField>,
        sides: Sides<Annotation>,
    },
    Tag {
        id: TagId,
        fields: Vec<ConflictField>,
        sides: Sides<Tag>,
    },
}

impl Conflict {
    /// The fields in conflict.
    #[must_use]
    pub fn fields(&self) -> &[ConflictField] {
        match self {
            Conflict::Annotation { fields, .. } | Conflict::Tag { fields, .. } => fields,
        }
    }

    /// One line for people: what is in conflict and how each side left it.
    #[must_use]
    pub fn describe(&self) -> String {
        let fields: Vec<&str> = self.fields().iter().map(|field| field.label()).collect();
        let fields = fields.join(", ");
        match self {
            Conflict::Annotation { uid, sides, .. } => {
                let number = [&sides.ours, &sides.theirs, &sides.base]
                    .into_iter()
                    .flatten()
                    .next()
                    .map(|annotation| annotation.id.to_string())
                    .unwrap_or_default();
                format!("annotation {number} (uid {uid}): {}", how(&fields, sides))
            }
            Conflict::Tag { id, sides, .. } => {
                format!("tag {}: {}", crate::messages::echo(id.as_str()), how(&fields, sides))
            }
        }
    }
}

fn how<T>(fields: &str, sides: &Sides<T>) -> String {
    match (&sides.ours, &sides.theirs) {
        (None, Some(_)) => format!("ours removed it, theirs changed its {fields}"),
        (Some(_), None) => format!("theirs removed it, ours changed its {fields}"),
        _ => format!("{fields} changed differently on both sides"),
    }
}

/// Which version settles a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Base,
    Ours,
    Theirs,
    /// Ours' annotation, and theirs' span as another annotation beside it
    /// (for span conflicts, where both marks may be right).
    Both,
}

impl Choice {
    /// How the choice is named on its button.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Choice::Base => "Base",
            Choice::Ours => "Ours",
            Choice::Theirs => "Theirs",
            Choice::Both => "Both",
        }
    }
}

/// The choices a conflict offers: the sides it has a version of (a removal
/// is a choice too), and both spans for a span conflict where both sides kept it.
#[must_use]
pub fn choices(conflict: &Conflict) -> Vec<Choice> {
    let mut choices = vec![Choice::Base, Choice::Ours, Choice::Theirs];
    if let Conflict::Annotation { fields, sides, .. } = conflict
        && fields.contains(&ConflictField::Span)
        && sides.ours.is_some()
        && sides.theirs.is_some()
    {
        choices.push(Choice::Both);
    }
    choices
}

/// The one edit that settles conflict `index` with `choice` and drops it
/// from the list (undone as one step); `None` if there is no such conflict.
#[must_use]
pub fn resolution(project: &Project, index: usize, choice: Choice) -> Option<Edit> {
    let conflict = project.conflicts().get(index)?;
    let mut edits = match conflict {
        Conflict::Annotation { uid, sides, .. } => {
            let current = project.annotation_by_uid(*uid);
            let mut edits = become_version(current, side(sides, choice));
            if choice == Choice::Both
                && let Some(theirs) = &sides.theirs
            {
                let mut beside = Annotation::created(AnnotationId(0), theirs.span);
                beside.tags.clone_from(&theirs.tags);
                beside.counter_claims.clone_from(&theirs.counter_claims);
                edits.push(Edit::AddAnnotation(beside));
            }
            // Annotations the batch adds take the next numbers, in order.
            number_new_annotations(project, &mut edits);
            edits
        }
        Conflict::Tag { id, sides, .. } => {
            let current = project.tag_set().get(id);
            match (current, side(sides, choice)) {
                (Some(now), Some(chosen)) if now == chosen => Vec::new(),
                (Some(_), Some(chosen)) => vec![Edit::UpdateTagDefinition(chosen.clone())],
                (None, Some(chosen)) => vec![Edit::InsertTagDefinition {
                    index: project.tag_set().tags.len(),
                    tag: chosen.clone(),
                }],
                (Some(_), None) => vec![Edit::RemoveTagDefinition(id.clone())],
                (None, None) => Vec::new(),
            }
        }
    };
    edits.push(Edit::RemoveConflict(index));
    Some(Edit::Batch(edits))
}

fn side<T>(sides: &Sides<T>, choice: Choice) -> Option<&T> {
    match choice {
        Choice::Base => sides.base.as_ref(),
        Choice::Ours | Choice::Both => sides.ours.as_ref(),
        Choice::Theirs => sides.theirs.as_ref(),
    }
}

/// Edits that make the annotation now in the project (if any) read as `chosen`
/// (or go, if `None`), keeping its number and uid.
fn become_version(current: Option<&Annotation>, chosen: Option<&Annotation>) -> Vec<Edit> {
    match (current, chosen) {
        (None, None) => Vec::new(),
        (Some(now), None) => vec![Edit::RemoveAnnotation(now.id)],
        // Its uid is free (no annotation has it), so it comes back as itself.
        (None, Some(chosen)) => vec![Edit::AddAnnotation(Annotation {
            id: AnnotationId(0),
            ..chosen.clone()
        })],
        (Some(now), Some(chosen)) => {
            let id = now.id;
            let mut edits = Vec::new();
            if now.span != chosen.span {
                edits.push(Edit::SetSpan { id, span: chosen.span });
            }
            if now.tags != chosen.tags {
                edits.extend(now.tags.iter().map(|tag| Edit::RemoveTag { id, tag: tag.clone() }));
                edits.extend(chosen.tags.iter().enumerate().map(|(index, tag)| Edit::InsertTag {
                    id,
                    index,
                    tag: tag.clone(),
                }));
            }
            if now.counter_claims != chosen.counter_claims {
                edits.extend(
                    now.counter_claims
                        .iter()
                        .map(|_| Edit::RemoveCounterClaim { id, index: 0 }),
                );
                edits.extend(
                    chosen
                        .counter_claims
                        .iter()
                        .enumerate()
                        .map(|(index, claim)| Edit::InsertCounterClaim {
                            id,
                            index,
                            claim: claim.clone(),
                        }),
                );
            }
            edits
        }
    }
}

/// Gives annotations the batch adds (numbered 0 while it was built) the project's next numbers.
fn number_new_annotations(project: &Project, edits: &mut [Edit]) {
    let mut next = project.next_annotation_id().0;
    for edit in edits {
        if let Edit::AddAnnotation(annotation) = edit
            && annotation.id == AnnotationId(0)
        {
            annotation.id = AnnotationId(next);
            next += 1;
        }
    }
}
