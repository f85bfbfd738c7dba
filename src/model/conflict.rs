//! Conflicts a merge left for a person to resolve (see `team::merge`): kept in
//! the project, and its file, until resolved, so nothing either side did is lost.

use serde::{Deserialize, Serialize};

use super::annotation::Annotation;
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
