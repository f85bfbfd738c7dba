//! What imports share for argument structure: relation types found by
//! their written name or added to the tag set, and attribute declarations
//! added to the tags of annotations whose values a file brings.

use std::collections::{BTreeMap, BTreeSet};

use crate::messages::echo;
use crate::model::annotation::Annotation;
use crate::model::attributes::{AttributeDecl, AttributeKind};
use crate::model::relations::{RelationType, RelationTypeId};
use crate::model::tag_set::{Rgb, TagSet};

/// Colours for relation types an import adds.
const IMPORTED_COLOURS: [[u8; 3]; 6] = [
    [0x5d, 0x40, 0x37],
    [0x37, 0x47, 0x4f],
    [0x88, 0x0e, 0x4f],
    [0x00, 0x69, 0x5c],
    [0x4e, 0x34, 0x2e],
    [0x28, 0x35, 0x93],
];

/// The relation types of one import: the tag set's, and those it adds.
pub struct RelationTypes {
    format: &'static str,
    created: Vec<String>,
}

impl RelationTypes {
    /// For an import of `format` (named in the descriptions of added types).
    #[must_use]
    pub fn new(format: &'static str) -> Self {
        Self {
            format,
            created: Vec::new(),
        }
    }

    /// The tag set's type with this id, or whose id `written_form` writes as
    /// `kind`; else a new type, added to the tag set.
    pub fn resolve(
        &mut self,
        tag_set: &mut TagSet,
        kind: &str,
        written_form: impl Fn(&str) -> String,
    ) -> RelationTypeId {
        if let Some(found) = tag_set
            .relation_types
            .iter()
            .find(|t| t.id.as_str() == kind)
            .or_else(|| {
                tag_set
                    .relation_types
                    .iter()
                    .find(|t| written_form(t.id.as_str()) == kind)
            })
        {
            return found.id.clone();
        }
        let colour = IMPORTED_COLOURS[self.created.len() % IMPORTED_COLOURS.len()];
        tag_set.relation_types.push(RelationType {
            id: RelationTypeId(kind.to_owned()),
            name: kind.to_owned(),
            description: format!("Imported from a {} relation.", self.format),
            color: Rgb(colour),
            hotkey: None,
            from_tags: Vec::new(),
            to_tags: Vec::new(),
        });
        self.created.push(kind.to_owned());
        RelationTypeId(kind.to_owned())
    }

    /// The warning naming the types added, if any.
    #[must_use]
    pub fn warning(&self) -> Option<String> {
        (!self.created.is_empty()).then(|| {
            let names: Vec<String> = self.created.iter().map(|n| echo(n).to_string()).collect();
            format!("relation types added to the tag set: {}", names.join(", "))
        })
    }
}

/// How a file wrote one attribute's values.
#[derive(Clone, Default)]
struct Seen {
    /// Some value came without one (a set flag).
    flag: bool,
    /// Some value was free text.
    text: bool,
    values: BTreeSet<String>,
}

/// The attribute values an import read, to declare them on the tags.
#[derive(Default)]
pub struct SeenAttributes(BTreeMap<String, Seen>);

impl SeenAttributes {
    /// A flag set (a value-less attribute).
    pub fn flag(&mut self, name: &str) {
        self.0.entry(name.to_owned()).or_default().flag = true;
    }

    /// One of a list of values.
    pub fn choice(&mut self, name: &str, value: &str) {
        self.0
            .entry(name.to_owned())
            .or_default()
            .values
            .insert(value.to_owned());
    }

    /// Free text.
    pub fn text(&mut self, name: &str) {
        self.0.entry(name.to_owned()).or_default().text = true;
    }

    /// Declares every value read on a tag of its annotation (the first tag,
    /// unless another already declares it; a choice gains the values it
    /// lacks). Returns the warning naming values no tag can declare (on
    /// annotations with no tag), if any.
    pub fn declare<'a>(
        &self,
        tag_set: &mut TagSet,
        annotations: impl Iterator<Item = &'a Annotation>,
    ) -> Option<String> {
        let mut undeclared = BTreeSet::new();
        for annotation in annotations {
            for (name, value) in &annotation.attributes {
                if self.declare_one(tag_set, annotation, name, value).is_none() {
                    undeclared.insert(echo(name).to_string());
                }
            }
        }
        (!undeclared.is_empty()).then(|| {
            format!(
                "attributes on annotations without a tag, kept but declared by no tag: {}",
                undeclared.into_iter().collect::<Vec<_>>().join(", ")
            )
        })
    }

    fn declare_one(&self, tag_set: &mut TagSet, annotation: &Annotation, name: &str, value: &str) -> Option<()> {
        let seen = self.0.get(name).cloned().unwrap_or_default();
        let declaring = annotation
            .tags
            .iter()
            .find(|tag| {
                tag_set
                    .get(tag)
                    .is_some_and(|t| t.attributes.iter().any(|d| d.name == name))
            })
            .or_else(|| annotation.tags.first())?
            .clone();
        let tag = tag_set.tags.iter_mut().find(|t| t.id == declaring)?;
        match tag.attributes.iter_mut().find(|d| d.name == name) {
            Some(AttributeDecl {
                kind: AttributeKind::Choice(allowed),
                ..
            }) if !allowed.iter().any(|v| v == value) => allowed.push(value.to_owned()),
            Some(_) => {}
            None => {
                let kind = if seen.text {
                    AttributeKind::Text
                } else if seen.values.is_empty() {
                    AttributeKind::Flag
                } else {
                    AttributeKind::Choice(seen.values.into_iter().collect())
                };
                tag.attributes.push(AttributeDecl {
                    description: "Imported from a file's attribute.".to_owned(),
                    ..AttributeDecl::new(name, kind)
                });
            }
        }
        Some(())
    }
}
