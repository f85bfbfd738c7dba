//! What changed between two projects on one text: annotations added,
//! removed and changed, tags of the tag set added, removed and changed, and
//! kept records of other formats added or removed.
//!
//! Annotations are paired in five rounds, each only among those still
//! unpaired, lowest ids first:
//! 1. the same id and the same span;
//! 2. the same span and the same content under another id (two annotators
//!    numbered the same mark differently: it is the same annotation);
//! 3. the same id and overlapping spans (a boundary was moved);
//! 4. the same span under another id (the tags or counter-claims differ);
//! 5. the same content on an overlapping span under another id (one
//!    annotator marked a word more or less than the other), the candidate
//!    sharing the most text first;
//! 6. the rest were removed (only in the old project) or added (only in the new).
//!
//! The same id on spans that do not overlap is two annotations, not one
//! moved: two annotators who both added a fifth annotation both called it
//! #5. A pair is changed when its span or content differs; content is the
//! set of tags (their order in the list is not a change) and the list of
//! counter-claims. Pairs under different ids that are otherwise equal are
//! the same annotation, counted as renumbered, not as changes.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::project::{ForeignRecord, Project};
use crate::model::span::Span;
use crate::model::span_index::SpanIndex;
use crate::model::tag_set::{Tag, TagId};

use super::study::{DifferentTexts, same_text};

/// One difference in the annotations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnotationChange<'p> {
    Added(&'p Annotation),
    Removed(&'p Annotation),
    Changed { old: &'p Annotation, new: &'p Annotation },
}

impl AnnotationChange<'_> {
    /// Where it is listed: the old span for removed and changed annotations, the new for added ones.
    fn position(&self) -> (usize, usize, AnnotationId) {
        match self {
            AnnotationChange::Added(annotation) | AnnotationChange::Removed(annotation) => {
                annotation.document_order_key()
            }
            AnnotationChange::Changed { old, .. } => old.document_order_key(),
        }
    }
}

/// One difference in the tag set (tags are the same tag when their ids are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagChange<'p> {
    Added(&'p Tag),
    Removed(&'p Tag),
    Changed { old: &'p Tag, new: &'p Tag },
}

/// Everything that differs between two projects on one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectDiff<'p> {
    /// In document order.
    pub annotations: Vec<AnnotationChange<'p>>,
    /// In the old tag set's order, then the added tags in the new one's.
    pub tags: Vec<TagChange<'p>>,
    /// Kept records only in the old project.
    pub records_removed: Vec<&'p ForeignRecord>,
    /// Kept records only in the new project.
    pub records_added: Vec<&'p ForeignRecord>,
    /// Annotations found on both sides unchanged.
    pub unchanged: usize,
    /// Of those, how many have another id in the new project.
    pub renumbered: usize,
}

impl ProjectDiff<'_> {
    /// Whether the two projects hold the same annotations, tags and kept
    /// records (ids aside).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty()
            && self.tags.is_empty()
            && self.records_removed.is_empty()
            && self.records_added.is_empty()
    }
}

/// What differs in one changed annotation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes<'p> {
    /// The old and new span, if it moved.
    pub span: Option<(Span, Span)>,
    pub tags_added: Vec<&'p TagId>,
    pub tags_removed: Vec<&'p TagId>,
    pub claims_added: Vec<&'p CounterClaim>,
    pub claims_removed: Vec<&'p CounterClaim>,
}

/// Whether two annotations say the same apart from their id and span. Every
/// field is named, so a field added to [`Annotation`] cannot be left out unnoticed.
fn same_content(a: &Annotation, b: &Annotation) -> bool {
    let Annotation {
        id: _,
        uid: _,
        span: _,
        tags,
        counter_claims,
        // Work left after re-anchoring, not what the annotation says.
        review: _,
        attributes,
    } = a;
    tag_set_of(tags) == tag_set_of(&b.tags) && *counter_claims == b.counter_claims && *attributes == b.attributes
}

fn tag_set_of(tags: &[TagId]) -> BTreeSet<&TagId> {
    tags.iter().collect()
}

/// What differs between two paired annotations.
#[must_use]
pub fn changes<'p>(old: &'p Annotation, new: &'p Annotation) -> Changes<'p> {
    let (old_tags, new_tags) = (tag_set_of(&old.tags), tag_set_of(&new.tags));
    Changes {
        span: (old.span != new.span).then_some((old.span, new.span)),
        tags_added: new.tags.iter().filter(|tag| !old_tags.contains(tag)).collect(),
        tags_removed: old.tags.iter().filter(|tag| !new_tags.contains(tag)).collect(),
        claims_added: unmatched(&new.counter_claims, &old.counter_claims),
        claims_removed: unmatched(&old.counter_claims, &new.counter_claims),
    }
}

/// The `claims` left over once each is paired with an equal one of `others`.
fn unmatched<'p>(claims: &'p [CounterClaim], others: &[CounterClaim]) -> Vec<&'p CounterClaim> {
    let mut available: Vec<&CounterClaim> = others.iter().collect();
    claims
        .iter()
        .filter(|claim| match available.iter().position(|other| other == claim) {
            Some(at) => {
                available.remove(at);
                false
            }
            None => true,
        })
        .collect()
}

/// The differences from `old` to `new`; refused if they annotate different texts.
pub fn diff<'p>(old: &'p Project, new: &'p Project) -> Result<ProjectDiff<'p>, DifferentTexts> {
    same_text(&[old, new])?;
    let mut result = ProjectDiff::default();
    let pairs = pair_annotations(old, new);
    let paired_new: HashSet<AnnotationId> = pairs.iter().map(|(_, b)| b.id).collect();
    let paired_old: HashSet<AnnotationId> = pairs.iter().map(|(a, _)| a.id).collect();
    for (a, b) in pairs {
        if a.span == b.span && same_content(a, b) {
            result.unchanged += 1;
            result.renumbered += usize::from(a.id != b.id);
        } else {
            result.annotations.push(AnnotationChange::Changed { old: a, new: b });
        }
    }
    result.annotations.extend(
        old.annotations()
            .filter(|a| !paired_old.contains(&a.id))
            .map(AnnotationChange::Removed),
    );
    result.annotations.extend(
        new.annotations()
            .filter(|b| !paired_new.contains(&b.id))
            .map(AnnotationChange::Added),
    );
    result.annotations.sort_by_key(|change| {
        let (start, end, id) = change.position();
        // At one place: removed, then changed, then added.
        let rank = match change {
            AnnotationChange::Removed(_) => 0,
            AnnotationChange::Changed { .. } => 1,
            AnnotationChange::Added(_) => 2,
        };
        (start, end, rank, id)
    });
    result.tags = tag_changes(old, new);
    result.records_removed = records_missing(old.foreign_records(), new.foreign_records());
    result.records_added = records_missing(new.foreign_records(), old.foreign_records());
    Ok(result)
}

/// Pairs of annotations, old then new, found by the rounds of the module docs.
fn pair_annotations<'p>(old: &'p Project, new: &'p Project) -> Vec<(&'p Annotation, &'p Annotation)> {
    let mut pairs = Vec::new();
    // Unpaired annotations, by id (ascending, as the project keeps them).
    let mut old_left: Vec<&Annotation> = old.annotations().collect();
    let mut new_left: HashMap<AnnotationId, &Annotation> = new.annotations().map(|b| (b.id, b)).collect();

    // Round 1: same id, same span.
    old_left.retain(|a| match new_left.get(&a.id) {
        Some(b) if b.span == a.span => {
            pairs.push((*a, *b));
            new_left.remove(&a.id);
            false
        }
        _ => true,
    });
    // Round 2: same span and content, another id.
    pair_by_span(&mut old_left, &mut new_left, &mut pairs, true);
    // Round 3: same id, overlapping spans.
    old_left.retain(|a| match new_left.get(&a.id) {
        Some(b) if a.span.overlaps(b.span) => {
            pairs.push((*a, *b));
            new_left.remove(&a.id);
            false
        }
        _ => true,
    });
    // Round 4: same span, another id.
    pair_by_span(&mut old_left, &mut new_left, &mut pairs, false);
    // Round 5: same content, overlapping spans, another id.
    let index = SpanIndex::from_spans(new_left.values().map(|b| (b.id, b.span)));
    for a in old_left {
        let shared = |span: Span| {
            a.span
                .end
                .0
                .min(span.end.0)
                .saturating_sub(a.span.start.0.max(span.start.0))
        };
        let best = index
            .overlapping(a.span)
            .into_iter()
            .filter_map(|(id, span)| {
                new_left
                    .get(&id)
                    .filter(|b| same_content(a, b))
                    .map(|b| (shared(span), *b))
            })
            .max_by_key(|(shared, b)| (*shared, std::cmp::Reverse(b.id)));
        if let Some((_, b)) = best {
            new_left.remove(&b.id);
            pairs.push((a, b));
        }
    }
    pairs
}

/// Pairs unpaired annotations on the same span, lowest ids first; with
/// `need_same_content`, only those that also say the same.
fn pair_by_span<'p>(
    old_left: &mut Vec<&'p Annotation>,
    new_left: &mut HashMap<AnnotationId, &'p Annotation>,
    pairs: &mut Vec<(&'p Annotation, &'p Annotation)>,
    need_same_content: bool,
) {
    let mut by_span: HashMap<Span, Vec<&Annotation>> = HashMap::new();
    for b in new_left.values() {
        by_span.entry(b.span).or_default().push(b);
    }
    for candidates in by_span.values_mut() {
        // Highest id first, so the lowest that fits is found from the end.
        candidates.sort_unstable_by_key(|b| std::cmp::Reverse(b.id));
    }
    old_left.retain(|a| {
        let Some(candidates) = by_span.get_mut(&a.span) else {
            return true;
        };
        match candidates
            .iter()
            .rposition(|b| !need_same_content || same_content(a, b))
        {
            Some(at) => {
                let b = candidates.remove(at);
                new_left.remove(&b.id);
                pairs.push((*a, b));
                false
            }
            None => true,
        }
    });
}

fn tag_changes<'p>(old: &'p Project, new: &'p Project) -> Vec<TagChange<'p>> {
    let mut changes = Vec::new();
    for tag in &old.tag_set().tags {
        match new.tag_set().get(&tag.id) {
            None => changes.push(TagChange::Removed(tag)),
            Some(now) if now != tag => changes.push(TagChange::Changed { old: tag, new: now }),
            Some(_) => {}
        }
    }
    changes.extend(
        new.tag_set()
            .tags
            .iter()
            .filter(|tag| old.tag_set().get(&tag.id).is_none())
            .map(TagChange::Added),
    );
    changes
}

/// The `records` not among `others` (each counted as often as it appears).
fn records_missing<'p>(records: &'p [ForeignRecord], others: &[ForeignRecord]) -> Vec<&'p ForeignRecord> {
    let mut available: HashMap<&ForeignRecord, usize> = HashMap::new();
    for record in others {
        *available.entry(record).or_default() += 1;
    }
    records
        .iter()
        .filter(|record| match available.get_mut(record) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

#[cfg(test)]
mod tests;
