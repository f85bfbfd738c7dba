//! The `.ann` lines Counterpoint cannot show (events, relations, attributes,
//! normalizations, notes on them): kept verbatim in the project as
//! [`ForeignRecord`](crate::model::project::ForeignRecord)s, their references
//! renamed where an import renumbered a `T` id, and written back by export
//! while everything they refer to still exists.

use std::collections::{BTreeMap, BTreeSet};

use super::fragments::FRAGMENTS_RECORD;
use crate::messages::echo;
use crate::model::annotation::AnnotationId;

/// The ids a kept line refers to (the tokens of its second field that look
/// like brat ids, also after `Role:`).
pub(super) fn references(line: &str) -> Vec<&str> {
    let Some(arguments) = line.split('\t').nth(1) else {
        return Vec::new();
    };
    arguments
        .split(' ')
        .map(|token| token.rsplit_once(':').map_or(token, |(_, id)| id))
        .filter(|token| is_brat_id(token))
        .collect()
}

/// The annotations a kept line names: the tokens of its second field (also
/// after `Role:`) that are ids of `T` lines read, odd ones like `Tx` included.
pub(super) fn named_annotations(line: &str, id_of: &BTreeMap<String, AnnotationId>) -> Vec<AnnotationId> {
    let Some(arguments) = line.split('\t').nth(1) else {
        return Vec::new();
    };
    arguments
        .split(' ')
        .filter_map(|token| id_of.get(token.rsplit_once(':').map_or(token, |(_, id)| id)).copied())
        .collect()
}

fn is_brat_id(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next().is_some_and(|c| "TERAMN#".contains(c))
        && !chars.as_str().is_empty()
        && chars.as_str().chars().all(|c| c.is_ascii_digit())
}

/// The line with renamed ids replaced in its second field.
pub(super) fn rewrite_references(line: &str, renamed: &BTreeMap<String, String>) -> String {
    if renamed.is_empty() {
        return line.to_owned();
    }
    let mut fields: Vec<String> = line.split('\t').map(str::to_owned).collect();
    if let Some(arguments) = fields.get_mut(1) {
        let tokens: Vec<String> = arguments
            .split(' ')
            .map(|token| match token.rsplit_once(':') {
                Some((role, id)) => renamed
                    .get(id)
                    .map_or_else(|| token.to_owned(), |new| format!("{role}:{new}")),
                None => renamed.get(token).cloned().unwrap_or_else(|| token.to_owned()),
            })
            .collect();
        *arguments = tokens.join(" ");
    }
    fields.join("\t")
}

/// The kept lines whose references all exist; a line that refers to a
/// deleted annotation (or to a line left out for that reason) is left out and reported.
pub(super) fn lines_to_write<'k>(
    kept: &[&'k str],
    mut known: BTreeSet<String>,
    warnings: &mut Vec<String>,
) -> Vec<&'k str> {
    let own_id = |line: &str| line.split('\t').next().unwrap_or_default().to_owned();
    let kept: Vec<&str> = kept
        .iter()
        .copied()
        .filter(|line| !line.starts_with(FRAGMENTS_RECORD))
        .collect();
    known.extend(kept.iter().map(|line| own_id(line)));
    loop {
        let broken: Vec<String> = kept
            .iter()
            .filter(|line| known.contains(&own_id(line)))
            .filter(|line| references(line).iter().any(|id| !known.contains(*id)))
            .map(|line| own_id(line))
            .collect();
        if broken.is_empty() {
            break;
        }
        for id in broken {
            warnings.push(format!(
                "the kept brat line {} is left out: an annotation it refers to no longer exists",
                echo(&id)
            ));
            known.remove(&id);
        }
    }
    kept.iter()
        .copied()
        .filter(|line| known.contains(&own_id(line)))
        .collect()
}
