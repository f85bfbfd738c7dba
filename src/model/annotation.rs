//! Annotations: a span of the text with the tags, counter-claims and
//! attribute values attached to it.

use serde::{Deserialize, Serialize};

use super::attributes::AttributeValues;
use super::review::ReviewMark;

use super::span::Span;
use super::tag_set::TagId;
use super::uid::Uid;

/// A stable identifier of an annotation within its project. Ids are never
/// reused (the project keeps a high-water mark, see
/// [`super::project::Project::next_annotation_id`]), so a saved project
/// diffs cleanly, undo can bring one back, and a record that names an id
/// never comes to name another annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(pub u64);

impl AnnotationId {
    /// The highest id a project may hold: 2^53 − 1, the largest whole number
    /// that JSON readers in JavaScript (Label Studio, doccano, W3C tools) read
    /// exactly. It also leaves room above every id, so working out the next
    /// one never overflows.
    pub const MAX: AnnotationId = AnnotationId((1 << 53) - 1);

    /// Whether a project may hold this id.
    #[must_use]
    pub fn is_in_range(self) -> bool {
        self <= Self::MAX
    }
}

impl std::fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A free-text rebuttal of the claim a span makes, with optional sources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterClaim {
    pub text: String,
    /// Links or references that back the rebuttal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl CounterClaim {
    /// A counter-claim with text and no sources.
    #[must_use]
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            sources: Vec::new(),
        }
    }
}

/// A marked span with any number of tags and counter-claims. Annotations may
/// overlap and nest.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Annotation {
    /// The readable number (`#12`), unique within the project.
    pub id: AnnotationId,
    /// The identity that stays unique across annotators (see [`Uid`]); a
    /// project gives one to an annotation that enters it without.
    pub uid: Uid,
    pub span: Span,
    pub tags: Vec<TagId>,
    pub counter_claims: Vec<CounterClaim>,
    /// Set when re-anchoring could not place it with proof, until a person resolves it.
    pub review: Option<ReviewMark>,
    /// Values of the attributes its tags declare, by name (see [`super::attributes`]).
    pub attributes: AttributeValues,
}

impl Annotation {
    /// An annotation with nothing attached yet and no uid (the project gives it one).
    #[must_use]
    pub fn new(id: AnnotationId, span: Span) -> Self {
        Self {
            id,
            uid: Uid::NONE,
            span,
            tags: Vec::new(),
            counter_claims: Vec::new(),
            review: None,
            attributes: AttributeValues::new(),
        }
    }

    /// A new annotation, made in this program: it gets a fresh uid ([`Uid::drawn`]).
    #[must_use]
    pub fn created(id: AnnotationId, span: Span) -> Self {
        Self {
            uid: Uid::drawn(),
            ..Self::new(id, span)
        }
    }

    /// The order annotations are listed and saved in: by position, then id.
    #[must_use]
    pub fn document_order_key(&self) -> (usize, usize, AnnotationId) {
        (self.span.start.0, self.span.end.0, self.id)
    }
}
