//! Adjudication: settling where annotators of one text disagree, into a
//! curated project that is an ordinary project.
//!
//! **What is agreed.** Two annotations say the same when they have the same
//! span, the same set of tags (their order aside) and the same list of
//! counter-claims (ids aside, as in [`super::diff`]). An annotation every
//! annotator has is agreed; when each has it several times, as many as the
//! fewest of them has are agreed.
//!
//! **Disagreements.** Every annotation that is not agreed takes part in a
//! disagreement: the annotations not agreed whose spans overlap or touch,
//! directly or through others, make one disagreement, which covers the text from the
//! first of them to the last. So an annotation some annotators have and
//! others lack, one span with different tags or counter-claims, and
//! overlapping spans that differ are each a disagreement. Disagreements never
//! overlap one another and are listed in text order. Each annotator's
//! *version* of a disagreement is the annotations of theirs in it (possibly none).
//!
//! **The curated project** starts from the first annotator's text and source,
//! the first annotator's tag set followed by the tags only the others define
//! (a tag defined differently keeps the first annotator's definition), and
//! every agreed annotation, already accepted, under the first annotator's id.
//! Comment placements and kept records of other formats are not carried over
//! (they name one annotator's ids). Its next id is above every annotator's,
//! so an accepted annotation gets a fresh id and no id is ever given twice.
//!
//! **Choices.** For one disagreement: accept one annotator's version, all of
//! them (each distinct annotation once: the union), or neither. A choice is
//! one [`Edit`] that makes the curated project hold exactly that version in
//! the disagreement's range (removing what an earlier choice put there), so
//! it goes through the history and undoes like any edit. What the curated
//! project holds in a disagreement is read back from the project itself
//! ([`Curation::held`]), so undo and redo never leave it out of step.

use std::collections::HashMap;

use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::attributes::AttributeValues;
use crate::model::edit::Edit;
use crate::model::project::{Project, ProjectError};
use crate::model::span::Span;
use crate::model::tag_set::TagId;
use crate::model::uid::Uid;

use super::study::{DifferentTexts, same_text};

/// What an annotation says, ids aside: two annotations with the same key are
/// the same annotation to adjudication.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    span: Span,
    /// Sorted.
    tags: Vec<TagId>,
    /// Each counter-claim's text and sources, in order.
    counter_claims: Vec<(String, Vec<String>)>,
    attributes: AttributeValues,
}

impl Key {
    /// Every field is named, so a field added to [`Annotation`] cannot be left out unnoticed.
    fn of(annotation: &Annotation) -> Self {
        let Annotation {
            id: _,
            // Each annotator's copy has its own identity; adjudication compares what it says.
            uid: _,
            span,
            tags,
            counter_claims,
            // A re-anchoring mark says where work remains, not what the annotator said.
            review: _,
            attributes,
        } = annotation;
        let mut tags = tags.clone();
        tags.sort_unstable();
        Self {
            span: *span,
            tags,
            counter_claims: counter_claims
                .iter()
                .map(|CounterClaim { text, sources }| (text.clone(), sources.clone()))
                .collect(),
            attributes: attributes.clone(),
        }
    }
}

/// Why annotators' projects cannot be curated together.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CurationError {
    #[error("at least two annotators' projects are needed to adjudicate, {0} given")]
    TooFew(usize),
    #[error(transparent)]
    DifferentTexts(#[from] DifferentTexts),
    #[error("the curated project could not be made: {0}")]
    Project(#[from] ProjectError),
}

/// One place where the annotators disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The text it covers: from the first start to the last end of its annotations.
    pub range: Span,
    /// `versions[annotator]`: that annotator's annotations here, in document order.
    pub versions: Vec<Vec<Annotation>>,
    /// Agreed annotations lying inside `range` (accepted from the start), sorted.
    agreed_inside: Vec<Key>,
}

/// What to accept into the curated project for one disagreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// One annotator's version (by index).
    Annotator(usize),
    /// Every annotator's annotations, each distinct one once.
    All,
    /// None of them.
    Neither,
}

/// What the curated project holds in a disagreement now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Held {
    /// None of the annotators' annotations (not decided yet, or neither accepted).
    Nothing,
    /// Exactly the version of these annotators (more than one when their versions are the same).
    Versions(Vec<usize>),
    /// Every annotator's annotations.
    All,
    /// Something else: changed by hand since.
    Other,
}

/// The annotators' projects being adjudicated, their disagreements, and the curated project they start.
#[derive(Clone, Debug)]
pub struct Curation {
    annotators: Vec<Project>,
    curated: Project,
    disagreements: Vec<Disagreement>,
}

impl Curation {
    /// Compares the annotators' projects (two or more, of one text).
    pub fn new(annotators: Vec<Project>) -> Result<Self, CurationError> {
        if annotators.len() < 2 {
            return Err(CurationError::TooFew(annotators.len()));
        }
        let refs: Vec<&Project> = annotators.iter().collect();
        same_text(&refs)?;
        // Each key's annotations, per annotator, in id order.
        let mut by_key: HashMap<Key, Vec<Vec<&Annotation>>> = HashMap::new();
        for (at, project) in annotators.iter().enumerate() {
            for annotation in project.annotations() {
                by_key
                    .entry(Key::of(annotation))
                    .or_insert_with(|| vec![Vec::new(); annotators.len()])[at]
                    .push(annotation);
            }
        }
        let mut agreed: Vec<Annotation> = Vec::new();
        let mut agreed_keys: Vec<Key> = Vec::new();
        // (key, annotator, annotation) not agreed.
        let mut left: Vec<(Key, usize, &Annotation)> = Vec::new();
        for (key, sides) in by_key {
            let shared = sides.iter().map(Vec::len).min().unwrap_or(0);
            agreed.extend(sides[0][..shared].iter().map(|annotation| (*annotation).clone()));
            agreed_keys.extend(std::iter::repeat_n(key.clone(), shared));
            for (at, side) in sides.iter().enumerate() {
                left.extend(side[shared..].iter().map(|annotation| (key.clone(), at, *annotation)));
            }
        }
        left.sort_unstable_by_key(|(key, at, annotation)| (key.span.start, key.span.end, *at, annotation.id));
        agreed_keys.sort_unstable();
        let disagreements = group(&left, annotators.len(), &agreed_keys);
        let first = &annotators[0];
        let curated = curated_start(&annotators, first, agreed)?;
        Ok(Self {
            annotators,
            curated,
            disagreements,
        })
    }

    /// The annotators' projects, in the order given.
    #[must_use]
    pub fn annotators(&self) -> &[Project] {
        &self.annotators
    }

    /// The curated project as it starts: every agreed annotation accepted.
    #[must_use]
    pub fn curated_start(&self) -> &Project {
        &self.curated
    }

    /// The disagreements, in text order (they do not overlap).
    #[must_use]
    pub fn disagreements(&self) -> &[Disagreement] {
        &self.disagreements
    }

    /// Their ranges, in text order.
    #[must_use]
    pub fn ranges(&self) -> Vec<Span> {
        self.disagreements.iter().map(|d| d.range).collect()
    }

    /// The first disagreement that starts after `offset` (wrapping round to the first).
    #[must_use]
    pub fn next_after(&self, offset: usize) -> Option<usize> {
        let at = self.disagreements.partition_point(|d| d.range.start.0 <= offset);
        (!self.disagreements.is_empty()).then(|| at % self.disagreements.len())
    }

    /// The first disagreement that starts at or after `offset` (wrapping round to the first).
    #[must_use]
    pub fn first_from(&self, offset: usize) -> Option<usize> {
        let at = self.disagreements.partition_point(|d| d.range.start.0 < offset);
        (!self.disagreements.is_empty()).then(|| at % self.disagreements.len())
    }

    /// The last disagreement that starts before `offset` (wrapping round to the last).
    #[must_use]
    pub fn previous_before(&self, offset: usize) -> Option<usize> {
        let at = self.disagreements.partition_point(|d| d.range.start.0 < offset);
        let count = self.disagreements.len();
        (count > 0).then(|| (at + count - 1) % count)
    }

    /// The annotations of the disagreement `index` that the curated project
    /// holds now (its agreed annotations aside), with their keys.
    fn held_items<'p>(&self, curated: &'p Project, index: usize) -> Vec<(Key, &'p Annotation)> {
        self.held_among(index, curated.annotations())
    }

    /// [`Curation::held_items`] among `candidates` (those outside the range are skipped).
    fn held_among<'p>(
        &self,
        index: usize,
        candidates: impl Iterator<Item = &'p Annotation>,
    ) -> Vec<(Key, &'p Annotation)> {
        let Some(disagreement) = self.disagreements.get(index) else {
            return Vec::new();
        };
        let range = disagreement.range;
        let mut agreed = disagreement.agreed_inside.clone();
        let mut inside: Vec<(Key, &Annotation)> = candidates
            .filter(|a| inside(a.span, range))
            .map(|a| (Key::of(a), a))
            .collect();
        inside.sort_by(|(x, a), (y, b)| (x, a.id).cmp(&(y, b.id)));
        inside.retain(|(key, _)| match agreed.iter().position(|k| k == key) {
            Some(at) => {
                agreed.remove(at);
                false
            }
            None => true,
        });
        inside
    }

    /// What the curated project holds in disagreement `index`.
    #[must_use]
    pub fn held(&self, curated: &Project, index: usize) -> Held {
        self.held_of(index, self.held_items(curated, index))
    }

    /// What the curated project holds in every disagreement, in one pass
    /// over its annotations (each found by binary search among the ranges).
    #[must_use]
    pub fn held_everywhere(&self, curated: &Project) -> Vec<Held> {
        let mut buckets: Vec<Vec<&Annotation>> = vec![Vec::new(); self.disagreements.len()];
        for annotation in curated.annotations() {
            let after = self
                .disagreements
                .partition_point(|d| d.range.start <= annotation.span.start);
            if let Some(at) = after.checked_sub(1)
                && inside(annotation.span, self.disagreements[at].range)
            {
                buckets[at].push(annotation);
            }
        }
        buckets
            .into_iter()
            .enumerate()
            .map(|(index, bucket)| self.held_of(index, self.held_among(index, bucket.into_iter())))
            .collect()
    }

    fn held_of(&self, index: usize, items: Vec<(Key, &Annotation)>) -> Held {
        let Some(disagreement) = self.disagreements.get(index) else {
            return Held::Nothing;
        };
        let mut held: Vec<Key> = items.into_iter().map(|(key, _)| key).collect();
        if held.is_empty() {
            return Held::Nothing;
        }
        held.sort_unstable();
        let matching: Vec<usize> = disagreement
            .versions
            .iter()
            .enumerate()
            .filter(|(_, version)| sorted_keys(version) == held)
            .map(|(at, _)| at)
            .collect();
        if !matching.is_empty() {
            Held::Versions(matching)
        } else if union(disagreement).iter().map(Key::of).collect::<Vec<_>>() == held {
            Held::All
        } else {
            Held::Other
        }
    }

    /// The edit that makes the curated project hold `choice` in disagreement
    /// `index`, or `None` when it already does (or there is no such disagreement or annotator).
    #[must_use]
    pub fn accept(&self, curated: &Project, index: usize, choice: Choice) -> Option<Edit> {
        let disagreement = self.disagreements.get(index)?;
        let wanted: Vec<Annotation> = match choice {
            Choice::Annotator(at) => disagreement.versions.get(at)?.clone(),
            Choice::All => union(disagreement),
            Choice::Neither => Vec::new(),
        };
        let mut held = self.held_items(curated, index);
        let mut edits = Vec::new();
        let mut to_add = Vec::new();
        for annotation in wanted {
            let key = Key::of(&annotation);
            match held.iter().position(|(k, _)| *k == key) {
                Some(at) => {
                    held.remove(at);
                }
                None => to_add.push(annotation),
            }
        }
        edits.extend(held.iter().map(|(_, a)| Edit::RemoveAnnotation(a.id)));
        for (next, mut annotation) in (curated.next_annotation_id().0..).zip(to_add) {
            annotation.id = AnnotationId(next);
            // Two annotators' versions of one annotation share its uid: "accept all" keeps both.
            annotation.uid = Uid::drawn();
            edits.push(Edit::AddAnnotation(annotation));
        }
        (!edits.is_empty()).then_some(Edit::Batch(edits))
    }
}

/// Whether `span` lies inside `range` (ends included).
fn inside(span: Span, range: Span) -> bool {
    range.start <= span.start && span.end <= range.end
}

fn sorted_keys(annotations: &[Annotation]) -> Vec<Key> {
    let mut keys: Vec<Key> = annotations.iter().map(Key::of).collect();
    keys.sort_unstable();
    keys
}

/// Every annotator's annotations in a disagreement, each key as many times as
/// the annotator who has it most often has it, sorted by key.
fn union(disagreement: &Disagreement) -> Vec<Annotation> {
    let mut most: HashMap<Key, (usize, Vec<&Annotation>)> = HashMap::new();
    for version in &disagreement.versions {
        let mut counts: HashMap<Key, Vec<&Annotation>> = HashMap::new();
        for annotation in version {
            counts.entry(Key::of(annotation)).or_default().push(annotation);
        }
        for (key, annotations) in counts {
            let entry = most.entry(key).or_insert((0, Vec::new()));
            if annotations.len() > entry.0 {
                *entry = (annotations.len(), annotations);
            }
        }
    }
    let mut all: Vec<(Key, Vec<&Annotation>)> = most.into_iter().map(|(key, (_, list))| (key, list)).collect();
    all.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    all.into_iter()
        .flat_map(|(_, list)| list.into_iter().cloned())
        .collect()
}

/// Groups the annotations not agreed (sorted by start, then end) into
/// disagreements: those whose spans overlap or touch, directly or through
/// others. `agreed` is sorted.
fn group(left: &[(Key, usize, &Annotation)], annotators: usize, agreed: &[Key]) -> Vec<Disagreement> {
    let mut disagreements: Vec<Disagreement> = Vec::new();
    for (key, at, annotation) in left {
        let span = key.span;
        // Touching spans join too, so that no annotation lies inside two ranges.
        let joins = disagreements.last().is_some_and(|last| span.start <= last.range.end);
        if !joins {
            disagreements.push(Disagreement {
                range: span,
                versions: vec![Vec::new(); annotators],
                agreed_inside: Vec::new(),
            });
        }
        if let Some(last) = disagreements.last_mut() {
            last.range.end = last.range.end.max(span.end);
            last.versions[*at].push((*annotation).clone());
        }
    }
    for disagreement in &mut disagreements {
        let range = disagreement.range;
        // `agreed` is sorted by span start first: only those starting in the range are looked at.
        let first = agreed.partition_point(|key| key.span.start < range.start);
        disagreement.agreed_inside = agreed[first..]
            .iter()
            .take_while(|key| key.span.start <= range.end)
            .filter(|key| inside(key.span, range))
            .cloned()
            .collect();
        for version in &mut disagreement.versions {
            version.sort_by_key(Annotation::document_order_key);
        }
    }
    disagreements
}

/// The curated project's start: the first annotator's text and source, the
/// tag sets joined, the agreed annotations.
fn curated_start(annotators: &[Project], first: &Project, agreed: Vec<Annotation>) -> Result<Project, ProjectError> {
    let mut tags = first.tag_set().clone();
    for project in &annotators[1..] {
        for tag in &project.tag_set().tags {
            if tags.get(&tag.id).is_none() {
                tags.tags.push(tag.clone());
            }
        }
    }
    let mut curated = Project::from_parts(first.text().to_owned(), first.source().clone(), tags, agreed)?;
    for project in annotators {
        curated.raise_next_annotation_id(project.next_annotation_id().0)?;
    }
    Ok(curated)
}

#[cfg(test)]
mod tests;
