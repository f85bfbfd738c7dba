//! The tag set: the labels a project can attach to spans, the attributes
//! each label declares, the relation types that link annotations, and the
//! labels the document as a whole can have.
//!
//! The default set (SemEval-2023 Task 3's 23 persuasion techniques in six
//! categories, plus the argument roles Claim and Evidence with their
//! attributes, the argument relation types and the fact-check document
//! labels) ships as data in `assets/default_tag_set.ron`, not as code.

use serde::{Deserialize, Serialize};

use super::attributes::AttributeDecl;
use super::relations::{RelationType, RelationTypeId};

/// A tag's stable key, as used in files and by other tools (e.g. `Loaded_Language`).
/// Renaming a tag changes its display name, never its id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TagId(pub String);

impl TagId {
    /// The key as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TagId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An sRGB colour, written `"#rrggbb"` in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Parses `#rrggbb`.
    #[must_use]
    pub fn from_hex(hex: &str) -> Option<Self> {
        let digits = hex.strip_prefix('#')?;
        if digits.len() != 6 || !digits.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
        Some(Rgb([channel(0)?, channel(2)?, channel(4)?]))
    }

    /// Formats as `#rrggbb`.
    #[must_use]
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

impl Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Rgb::from_hex(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{} is not a colour of the form \"#rrggbb\"",
                crate::messages::echo(&text)
            ))
        })
    }
}

/// One label of the tag set.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    pub id: TagId,
    /// The readable name shown in the app.
    pub name: String,
    /// The group the tag is listed under (e.g. "Attack on reputation").
    pub category: String,
    pub description: String,
    pub color: Rgb,
    /// The digit key 1–9 that attaches this tag, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotkey: Option<u8>,
    /// The attributes annotations with this tag may have (format version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeDecl>,
}

/// The labels of a project, in the order they are listed, with the relation
/// types and the document labels it declares.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagSet {
    pub tags: Vec<Tag>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relation_types: Vec<RelationType>,
    /// The labels the document as a whole may have (an article's verdict, its URL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_labels: Vec<AttributeDecl>,
}

const DEFAULT_TAG_SET_RON: &str = include_str!("../../assets/default_tag_set.ron");

impl TagSet {
    /// The default tag set shipped in `assets/default_tag_set.ron`.
    #[must_use]
    pub fn default_set() -> Self {
        // The asset is compiled in and parsed by a unit test, so this cannot fail at run time.
        ron::from_str(DEFAULT_TAG_SET_RON).expect("assets/default_tag_set.ron is valid (checked by a test)")
    }

    /// A set of these tags, with no relation types or document labels.
    #[must_use]
    pub fn of_tags(tags: Vec<Tag>) -> Self {
        Self {
            tags,
            ..Self::default()
        }
    }

    /// The relation type with this id.
    #[must_use]
    pub fn relation_type(&self, id: &RelationTypeId) -> Option<&RelationType> {
        self.relation_types.iter().find(|kind| &kind.id == id)
    }

    /// The relation type bound to a digit key.
    #[must_use]
    pub fn relation_type_by_hotkey(&self, digit: u8) -> Option<&RelationType> {
        self.relation_types.iter().find(|kind| kind.hotkey == Some(digit))
    }

    /// A fresh relation type id derived from a display name, unique in this set.
    #[must_use]
    pub fn fresh_relation_type_id(&self, name: &str) -> RelationTypeId {
        let base = id_base(name, "relation");
        let mut candidate = base.clone();
        let mut counter = 2;
        while self.relation_type(&RelationTypeId(candidate.clone())).is_some() {
            candidate = format!("{base}_{counter}");
            counter += 1;
        }
        RelationTypeId(candidate)
    }

    /// The tag with this id.
    #[must_use]
    pub fn get(&self, id: &TagId) -> Option<&Tag> {
        self.tags.iter().find(|tag| &tag.id == id)
    }

    /// Position of the tag with this id.
    #[must_use]
    pub fn position(&self, id: &TagId) -> Option<usize> {
        self.tags.iter().position(|tag| &tag.id == id)
    }

    /// The tag bound to a digit key.
    #[must_use]
    pub fn by_hotkey(&self, digit: u8) -> Option<&Tag> {
        self.tags.iter().find(|tag| tag.hotkey == Some(digit))
    }

    /// The categories in the order they first appear.
    #[must_use]
    pub fn categories(&self) -> Vec<&str> {
        let mut categories: Vec<&str> = Vec::new();
        for tag in &self.tags {
            if !categories.contains(&tag.category.as_str()) {
                categories.push(&tag.category);
            }
        }
        categories
    }

    /// A fresh id derived from a display name (`"My tag"` → `My_tag`), unique in this set.
    #[must_use]
    pub fn fresh_id(&self, name: &str) -> TagId {
        let base = id_base(name, "Tag");
        let mut candidate = base.clone();
        let mut counter = 2;
        while self.get(&TagId(candidate.clone())).is_some() {
            candidate = format!("{base}_{counter}");
            counter += 1;
        }
        TagId(candidate)
    }
}

/// A readable id from a display name: letters, digits and `-` kept, the rest `_`.
fn id_base(name: &str, fallback: &str) -> String {
    let base: String = name
        .trim()
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    if base.is_empty() { fallback.to_owned() } else { base }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_set_has_the_semeval_2023_techniques_and_two_roles() {
        let set = TagSet::default_set();
        assert_eq!(set.tags.len(), 25);
        assert_eq!(
            set.categories(),
            [
                "Attack on reputation",
                "Justification",
                "Simplification",
                "Distraction",
                "Call",
                "Manipulative wording",
                "Argument role"
            ]
        );
        let in_category = |c: &str| set.tags.iter().filter(|t| t.category == c).count();
        assert_eq!(in_category("Attack on reputation"), 5);
        assert_eq!(in_category("Justification"), 5);
        assert_eq!(in_category("Simplification"), 3);
        assert_eq!(in_category("Distraction"), 3);
        assert_eq!(in_category("Call"), 3);
        assert_eq!(in_category("Manipulative wording"), 4);
        for id in [
            "Name_Calling-Labeling",
            "Obfuscation-Vagueness-Confusion",
            "Appeal_to_Time",
            "Claim",
            "Evidence",
        ] {
            assert!(set.get(&TagId(id.into())).is_some(), "{id} missing");
        }
    }

    #[test]
    fn default_set_ids_colours_and_hotkeys_are_distinct() {
        let set = TagSet::default_set();
        let mut ids: Vec<_> = set.tags.iter().map(|t| &t.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), set.tags.len());
        // Every pair compared, not just neighbours.
        for (index, tag) in set.tags.iter().enumerate() {
            if let Some(same) = set.tags[index + 1..].iter().find(|other| other.color == tag.color) {
                panic!("{} and {} share the colour {}", tag.id, same.id, tag.color.to_hex());
            }
        }
        for digit in 1..=9 {
            assert_eq!(
                set.tags.iter().filter(|t| t.hotkey == Some(digit)).count(),
                1,
                "hotkey {digit}"
            );
        }
        assert!(set.tags.iter().all(|t| !t.description.is_empty() && !t.name.is_empty()));
    }

    #[test]
    fn fresh_ids_are_unique_and_readable() {
        let set = TagSet::default_set();
        assert_eq!(set.fresh_id("My tag!"), TagId("My_tag_".into()));
        assert_eq!(set.fresh_id("Claim"), TagId("Claim_2".into()));
        assert_eq!(set.fresh_id("  "), TagId("Tag".into()));
    }

    #[test]
    fn colours_parse_and_print() {
        assert_eq!(Rgb::from_hex("#0a0B0c"), Some(Rgb([10, 11, 12])));
        assert_eq!(Rgb([10, 11, 12]).to_hex(), "#0a0b0c");
        assert_eq!(Rgb::from_hex("0a0b0c"), None);
        assert_eq!(Rgb::from_hex("#0a0b0"), None);
    }
}
