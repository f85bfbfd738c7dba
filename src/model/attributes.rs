//! Attributes: named values on an annotation (declared by its tags) or on
//! the document as a whole (declared in the tag set as document labels).
//!
//! A declaration says what values a name takes: a yes/no flag, one of a list
//! of choices, or free text. Values are kept as text, by name, in name order:
//! a flag that is set has the value [`FLAG_SET`], a flag that is not set has
//! no value at all; a choice holds one of its listed values; free text holds
//! any text but the empty one (clearing a value removes it).
//!
//! Edits ([`super::edit::Edit::SetAttribute`], `SetDocumentLabel`) apply any
//! value, so that undo can restore a value a file brought in that its
//! declarations no longer allow; the constructors `Edit::set_attribute` and
//! `Edit::set_document_label` check against the declarations, and
//! `counterpoint check` reports values that do not fit them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::tag_set::{Tag, TagId, TagSet};
use crate::messages::echo;

/// The value a set flag holds.
pub const FLAG_SET: &str = "true";

/// Values by attribute name, in name order (so files and exports are deterministic).
pub type AttributeValues = BTreeMap<String, String>;

/// What values an attribute takes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttributeKind {
    /// Yes or no: set (value [`FLAG_SET`]) or absent.
    Flag,
    /// One of these values.
    Choice(Vec<String>),
    /// Any text.
    Text,
}

/// A named attribute a tag declares for its annotations, or the tag set
/// declares for the document (`Verdict`, `Outlet`, `Date`, `URL`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeDecl {
    pub name: String,
    pub kind: AttributeKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// Why a value does not fit its attribute's declaration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("no attribute {} is declared here", echo(.name))]
    Undeclared { name: String },
    #[error("{} is a yes/no flag: it is set (value {FLAG_SET:?}) or absent, not {}", echo(.name), echo(.value))]
    NotAFlagValue { name: String, value: String },
    #[error("{} takes one of {}, not {}", echo(.name), .allowed.iter().map(|v| echo(v).to_string()).collect::<Vec<_>>().join(", "), echo(.value))]
    NotAChoice {
        name: String,
        value: String,
        allowed: Vec<String>,
    },
    #[error("the value of {} is empty: clear it instead", echo(.name))]
    Empty { name: String },
}

impl AttributeDecl {
    /// A declaration without a description.
    #[must_use]
    pub fn new(name: impl Into<String>, kind: AttributeKind) -> Self {
        Self {
            name: name.into(),
            kind,
            description: String::new(),
        }
    }

    /// Whether `value` fits this declaration.
    pub fn check(&self, value: &str) -> Result<(), ValueError> {
        let name = || self.name.clone();
        match &self.kind {
            AttributeKind::Flag if value != FLAG_SET => Err(ValueError::NotAFlagValue {
                name: name(),
                value: value.to_owned(),
            }),
            AttributeKind::Choice(allowed) if !allowed.iter().any(|v| v == value) => Err(ValueError::NotAChoice {
                name: name(),
                value: value.to_owned(),
                allowed: allowed.clone(),
            }),
            AttributeKind::Text if value.is_empty() => Err(ValueError::Empty { name: name() }),
            _ => Ok(()),
        }
    }
}

/// The declaration named `name` in `declarations`, if any.
#[must_use]
pub fn find<'d>(declarations: &'d [AttributeDecl], name: &str) -> Option<&'d AttributeDecl> {
    declarations.iter().find(|decl| decl.name == name)
}

/// The attributes an annotation with these tags may have: every tag's
/// declarations in tag order, the first of each name winning.
#[must_use]
pub fn declared_for<'t>(tag_set: &'t TagSet, tags: &[TagId]) -> Vec<&'t AttributeDecl> {
    let mut declared: Vec<&AttributeDecl> = Vec::new();
    for tag in tags.iter().filter_map(|id| tag_set.get(id)) {
        for decl in &tag.attributes {
            if !declared.iter().any(|d| d.name == decl.name) {
                declared.push(decl);
            }
        }
    }
    declared
}

/// Whether a value fits what an annotation's tags declare.
pub fn check_value(tag_set: &TagSet, tags: &[TagId], name: &str, value: &str) -> Result<(), ValueError> {
    declared_for(tag_set, tags)
        .into_iter()
        .find(|decl| decl.name == name)
        .ok_or_else(|| ValueError::Undeclared { name: name.to_owned() })?
        .check(value)
}

/// The names among `values` that no longer fit once `tag` is replaced by
/// `updated` (for an annotation with `tags`): what updating a tag's
/// declarations must clear so no value is left undeclared.
#[must_use]
pub fn unfit_after_update(tag_set: &TagSet, tags: &[TagId], values: &AttributeValues, updated: &Tag) -> Vec<String> {
    let mut changed = tag_set.clone();
    if let Some(slot) = changed.tags.iter_mut().find(|t| t.id == updated.id) {
        *slot = updated.clone();
    }
    values
        .iter()
        .filter(|(name, value)| {
            check_value(tag_set, tags, name, value).is_ok() && check_value(&changed, tags, name, value).is_err()
        })
        .map(|(name, _)| name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_their_kind() {
        let verdict = AttributeDecl::new("Verdict", AttributeKind::Choice(vec!["True".into(), "False".into()]));
        assert_eq!(verdict.check("False"), Ok(()));
        let message = verdict.check("Maybe").unwrap_err().to_string();
        assert!(
            message.contains("\"True\", \"False\"") && message.contains("\"Maybe\""),
            "{message}"
        );
        let negated = AttributeDecl::new("Negated", AttributeKind::Flag);
        assert_eq!(negated.check(FLAG_SET), Ok(()));
        assert!(negated.check("yes").is_err());
        let note = AttributeDecl::new("Note", AttributeKind::Text);
        assert_eq!(note.check("anything"), Ok(()));
        assert_eq!(note.check(""), Err(ValueError::Empty { name: "Note".into() }));
    }

    #[test]
    fn an_annotation_may_have_what_its_tags_declare() {
        let set = TagSet::default_set();
        let claim = [TagId("Claim".into())];
        assert_eq!(check_value(&set, &claim, "Verdict", "Mostly false"), Ok(()));
        assert_eq!(check_value(&set, &claim, "Negated", FLAG_SET), Ok(()));
        assert!(matches!(
            check_value(&set, &[TagId("Doubt".into())], "Verdict", "False"),
            Err(ValueError::Undeclared { .. })
        ));
    }
}
