//! Discontinuous spans: `T2<TAB>Type 5 7;9 10<TAB>…` becomes one annotation
//! per fragment, all with the type. The first keeps the id, the others get
//! new ids, and the import says so, naming the line. The grouping is kept in
//! the project (a [`ForeignRecord`] `counterpoint-fragments<TAB>T2 T5`, never
//! written to a `.ann`), and export joins the fragments back into one `T`
//! line while all of them exist with the same tags; else it writes them
//! separately, as `DKPro` Core's `document0d-ref.ann` does, and says so.

use std::collections::BTreeMap;

use super::{NAME, one_line};
use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::offsets::{OffsetError, RawCharIndex};
use crate::model::project::{ForeignRecord, Project};
use crate::model::span::Span;

/// The kept record that groups the fragments of a discontinuous span.
pub(super) const FRAGMENTS_RECORD: &str = "counterpoint-fragments";

/// The import's warning for a discontinuous `T` line split into annotations `ids`.
pub(super) fn import_warning(line: usize, brat_id: &str, ids: &[u64], kind: &str) -> String {
    let names: Vec<String> = ids.iter().map(|id| format!("T{id}")).collect();
    format!(
        "line {line}: {} is discontinuous ({} fragments); imported as separate annotations {} with the type {}, joined again on brat export",
        echo(brat_id),
        ids.len(),
        names.join(", "),
        echo(kind)
    )
}

/// The kept record of one group of fragments.
pub(super) fn group_record(ids: &[u64]) -> ForeignRecord {
    let names: Vec<String> = ids.iter().map(|id| format!("T{id}")).collect();
    ForeignRecord {
        format: NAME.to_owned(),
        record: format!("{FRAGMENTS_RECORD}\t{}", names.join(" ")),
        refers_to: ids.iter().copied().map(AnnotationId).collect(),
    }
}

/// The `s e;s e` offsets and the space-joined text of a span's fragments.
pub(super) fn offsets_and_quote(
    text: &str,
    raw: &RawCharIndex,
    fragments: &[Span],
) -> Result<(String, String), OffsetError> {
    let mut offsets = Vec::new();
    let mut quotes = Vec::new();
    for span in fragments {
        let start = raw.byte_to_raw(text, span.start)?.0;
        let end = raw.byte_to_raw(text, span.end)?.0;
        offsets.push(format!("{start} {end}"));
        quotes.push(span.quote(text).unwrap_or_default());
    }
    Ok((offsets.join(";"), one_line(&quotes.join(" "))))
}

/// The discontinuous spans an export joins again.
#[derive(Debug, Default)]
pub(super) struct Groups {
    /// Each group's first annotation, with the spans of all its fragments.
    pub(super) joined: BTreeMap<AnnotationId, Vec<Span>>,
    /// Every member of a group, with the first annotation it joins.
    pub(super) joined_into: BTreeMap<AnnotationId, AnnotationId>,
}

/// The groups of `project` to join. A group whose fragments were deleted or
/// tagged apart is written separately, with a warning.
pub(super) fn groups(project: &Project, kept: &[&str], warnings: &mut Vec<String>) -> Groups {
    let mut groups = Groups::default();
    for record in kept {
        let Some(names) = record.strip_prefix(FRAGMENTS_RECORD).map(str::trim) else {
            continue;
        };
        let ids: Vec<AnnotationId> = names
            .split(' ')
            .filter_map(|name| name.strip_prefix('T')?.parse().ok())
            .map(AnnotationId)
            .collect();
        let members: Vec<&Annotation> = ids.iter().filter_map(|id| project.annotation(*id)).collect();
        let Some(first) = members.first() else {
            continue;
        };
        if members.len() != ids.len() || members.iter().any(|m| m.tags != first.tags) {
            warnings.push(format!(
                "the fragments of the discontinuous T{} were deleted or tagged apart; they are written as separate T lines",
                ids[0].0
            ));
            continue;
        }
        groups.joined.insert(first.id, members.iter().map(|m| m.span).collect());
        for member in &members {
            groups.joined_into.insert(member.id, first.id);
        }
    }
    groups
}
