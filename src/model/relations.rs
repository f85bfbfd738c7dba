//! Relations: typed, directed links from one annotation to another (a
//! premise `supports` a claim, a counter-claim `rebuts` one), and their
//! types, which live in the tag set beside the tags.
//!
//! A relation names both ends by annotation id. Deleting an annotation
//! deletes its relations in the same edit (see [`super::references`]), so a
//! relation never dangles; removing a relation type removes its relations.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::annotation::AnnotationId;
use super::tag_set::{Rgb, TagId};

/// A relation type's stable key, as used in files and by other tools
/// (`supports`, brat's `attacks`). Renaming a type changes its name, never its id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RelationTypeId(pub String);

impl RelationTypeId {
    /// The key as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RelationTypeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stable identifier of a relation within its project, never given twice
/// (the project keeps the next one, as for annotations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RelationId(pub u64);

impl RelationId {
    /// The highest id a project may hold (2^53 − 1, exact in JSON), as for annotations.
    pub const MAX: RelationId = RelationId(AnnotationId::MAX.0);

    /// Whether a project may hold this id.
    #[must_use]
    pub fn is_in_range(self) -> bool {
        self <= Self::MAX
    }
}

impl std::fmt::Display for RelationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "R{}", self.0)
    }
}

/// One kind of link, listed in the tag set.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationType {
    pub id: RelationTypeId,
    /// The readable name shown in the app.
    pub name: String,
    pub description: String,
    pub color: Rgb,
    /// The digit key 1–9 that picks this type once the two ends are chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotkey: Option<u8>,
    /// Tags the source annotation may have (one of them); empty: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_tags: Vec<TagId>,
    /// Tags the target annotation may have (one of them); empty: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to_tags: Vec<TagId>,
}

impl RelationType {
    /// Whether this type may link an annotation with `from` tags to one with
    /// `to` tags (the short list the window offers after picking both ends).
    #[must_use]
    pub fn allows(&self, from: &[TagId], to: &[TagId]) -> bool {
        let fits = |allowed: &[TagId], tags: &[TagId]| allowed.is_empty() || tags.iter().any(|t| allowed.contains(t));
        fits(&self.from_tags, from) && fits(&self.to_tags, to)
    }
}

/// A typed link from one annotation to another.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub id: RelationId,
    /// The relation type's id.
    pub kind: RelationTypeId,
    pub from: AnnotationId,
    pub to: AnnotationId,
}

impl Relation {
    /// Whether either end is `annotation`.
    #[must_use]
    pub fn touches(&self, annotation: AnnotationId) -> bool {
        self.from == annotation || self.to == annotation
    }
}

/// A project's relations by id, with an index of them by annotation (each
/// relation under both ends), kept in step by every change, so finding an
/// annotation's links, and taking them out with it, costs its own links, not
/// a walk over all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct RelationStore {
    by_id: BTreeMap<RelationId, Relation>,
    /// (end, relation) for both ends of every relation.
    by_end: BTreeSet<(AnnotationId, RelationId)>,
}

impl RelationStore {
    pub(super) fn values(&self) -> std::collections::btree_map::Values<'_, RelationId, Relation> {
        self.by_id.values()
    }

    pub(super) fn get(&self, id: RelationId) -> Option<&Relation> {
        self.by_id.get(&id)
    }

    pub(super) fn last_id(&self) -> Option<RelationId> {
        self.by_id.last_key_value().map(|(id, _)| *id)
    }

    /// The ids of the relations from or to `annotation`, ascending.
    pub(super) fn ids_of(&self, annotation: AnnotationId) -> impl Iterator<Item = RelationId> + '_ {
        self.by_end
            .range((annotation, RelationId(0))..=(annotation, RelationId(u64::MAX)))
            .map(|(_, id)| *id)
    }

    /// Adds a relation whose id is unused; false (and nothing changed) if it is taken.
    pub(super) fn insert(&mut self, relation: Relation) -> bool {
        let id = relation.id;
        match self.by_id.entry(id) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(slot) => {
                self.by_end.insert((relation.from, id));
                self.by_end.insert((relation.to, id));
                slot.insert(relation);
                true
            }
        }
    }

    pub(super) fn remove(&mut self, id: RelationId) -> Option<Relation> {
        let relation = self.by_id.remove(&id)?;
        self.by_end.remove(&(relation.from, id));
        self.by_end.remove(&(relation.to, id));
        Some(relation)
    }

    /// Gives the relation another type (its ends stay); the old type, or
    /// `None` if there is no such relation.
    pub(super) fn set_kind(&mut self, id: RelationId, kind: RelationTypeId) -> Option<RelationTypeId> {
        self.by_id
            .get_mut(&id)
            .map(|relation| std::mem::replace(&mut relation.kind, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tag_set::TagSet;

    #[test]
    fn default_relation_types_are_the_argument_set_with_distinct_keys_and_colours() {
        let set = TagSet::default_set();
        let ids: Vec<&str> = set.relation_types.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["supports", "attacks", "rebuts", "same-claim"]);
        for (index, kind) in set.relation_types.iter().enumerate() {
            assert!(!kind.name.is_empty() && !kind.description.is_empty());
            assert_eq!(kind.hotkey, Some(u8::try_from(index + 1).unwrap()));
            assert!(
                set.relation_types[index + 1..]
                    .iter()
                    .all(|other| other.color != kind.color)
            );
            for tag in kind.from_tags.iter().chain(&kind.to_tags) {
                assert!(set.get(tag).is_some(), "{tag} is not a tag");
            }
        }
    }

    #[test]
    fn allowed_ends_restrict_only_when_listed() {
        let claim = TagId("Claim".into());
        let evidence = TagId("Evidence".into());
        let supports = RelationType {
            id: RelationTypeId("supports".into()),
            name: "supports".into(),
            description: String::new(),
            color: Rgb([0, 0, 0]),
            hotkey: None,
            from_tags: vec![evidence.clone(), claim.clone()],
            to_tags: vec![claim.clone()],
        };
        assert!(supports.allows(std::slice::from_ref(&evidence), std::slice::from_ref(&claim)));
        assert!(!supports.allows(std::slice::from_ref(&claim), std::slice::from_ref(&evidence)));
        assert!(!supports.allows(&[], std::slice::from_ref(&claim)));
        let any = RelationType {
            from_tags: Vec::new(),
            to_tags: Vec::new(),
            ..supports
        };
        assert!(any.allows(&[], &[]));
    }
}
