//! Writing a project as a `.ann` file and its `.txt`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::fragments;
use super::kept;
use super::links;
use super::{NAME, NOTE_TYPE, UNTAGGED, brat_type, one_line, raw_index};
use crate::formats::{ExportedFiles, FormatError};
use crate::messages::echo;
use crate::model::project::Project;
use crate::model::source_text::Encoding;
use crate::model::tag_set::TagId;

/// New `T` numbers for the extra tags of an annotation: above every number
/// in use, or, should those run out at `u64::MAX`, the lowest free ones.
struct FreshIds {
    used: BTreeSet<u64>,
    above: Option<u64>,
    lowest: u64,
}

impl FreshIds {
    fn new(used: BTreeSet<u64>) -> Self {
        let above = used.last().map_or(Some(1), |highest| highest.checked_add(1));
        Self { used, above, lowest: 0 }
    }

    fn next(&mut self) -> u64 {
        if let Some(id) = self.above {
            self.above = id.checked_add(1);
            return id;
        }
        loop {
            self.lowest += 1;
            if self.used.insert(self.lowest) {
                return self.lowest;
            }
        }
    }
}

/// Tags written under another name because brat types are one word.
#[derive(Default)]
struct Renamed {
    /// Each tag and the brat type it is written as.
    written: BTreeMap<String, String>,
}

impl Renamed {
    /// The brat type for `tag`, remembering it when it differs.
    fn type_of(&mut self, tag: &TagId) -> String {
        let kind = brat_type(tag.as_str());
        if kind != tag.as_str() {
            self.written.insert(tag.as_str().to_owned(), kind.clone());
        }
        kind
    }

    /// A warning per renamed tag, and one for each type that two tags now share.
    fn warnings(&self, project: &Project) -> Vec<String> {
        let mut warnings: Vec<String> = self
            .written
            .iter()
            .map(|(tag, kind)| {
                format!(
                    "the tag {} is written as the brat type {kind} (a brat type is one word); \
                     importing the file again gives it back as {} where the tag set has that tag",
                    echo(tag),
                    echo(tag)
                )
            })
            .collect();
        let mut sharing: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (tag, kind) in &self.written {
            sharing.entry(kind).or_default().push(echo(tag).to_string());
        }
        for (kind, mut tags) in sharing {
            if project.tag_set().get(&TagId(kind.to_owned())).is_some() {
                tags.push(echo(kind).to_string());
            }
            if tags.len() > 1 {
                warnings.push(format!(
                    "the tags {} are all written as the brat type {kind} and cannot be told apart when read back",
                    tags.join(" and ")
                ));
            }
        }
        warnings
    }
}

/// Writes the `.ann` file and the text file for a project.
pub fn export(project: &Project) -> Result<ExportedFiles, FormatError> {
    let text = project.text();
    let mut warnings = Vec::new();
    let utf8 = project.source().encoding == Encoding::Utf8;
    let text_bytes = if utf8 {
        project.exported_source()?
    } else {
        warnings.push(format!(
            "the text was {}; brat reads only UTF-8, so the .txt is written in UTF-8",
            project.source().encoding.label()
        ));
        text.as_bytes().to_vec()
    };
    let raw = raw_index(text, utf8 && project.source().bom);
    let kept: Vec<&str> = project.foreign_records_of(NAME).collect();
    let mut used: BTreeSet<u64> = kept
        .iter()
        .flat_map(|line| kept::references(line))
        .filter_map(|id| id.strip_prefix('T')?.parse::<u64>().ok())
        .collect();
    used.extend(project.annotations().map(|a| a.id.0));
    let mut fresh = FreshIds::new(used);
    let mut renamed = Renamed::default();
    let mut out = String::new();
    let mut notes = Vec::new();
    let mut written_ids = BTreeSet::new();
    let mut flattened = 0;
    let mut sources = 0;
    let groups = fragments::groups(project, &kept, &mut warnings);
    for annotation in project.annotations() {
        let owner = groups.joined_into.get(&annotation.id).copied().unwrap_or(annotation.id);
        let mut push_notes = |owner: u64| {
            for claim in &annotation.counter_claims {
                let note = one_line(&claim.text);
                flattened += usize::from(note != claim.text);
                sources += claim.sources.len();
                notes.push((owner, note));
            }
        };
        if owner != annotation.id {
            push_notes(owner.0);
            continue;
        }
        let spans = groups
            .joined
            .get(&annotation.id)
            .cloned()
            .unwrap_or_else(|| vec![annotation.span]);
        let (offsets, quote) = match fragments::offsets_and_quote(text, &raw, &spans) {
            Ok(found) => found,
            Err(e) => {
                warnings.push(format!("annotation {} left out: {e}", annotation.id));
                continue;
            }
        };
        let untagged = [TagId(UNTAGGED.to_owned())];
        let kinds = if annotation.tags.is_empty() {
            &untagged[..]
        } else {
            &annotation.tags[..]
        };
        for (index, kind) in kinds.iter().enumerate() {
            let id = if index == 0 { annotation.id.0 } else { fresh.next() };
            let kind = renamed.type_of(kind);
            let _ = writeln!(out, "T{id}\t{kind} {offsets}\t{quote}");
            written_ids.insert(format!("T{id}"));
        }
        push_notes(annotation.id.0);
    }
    let kept_note_ids: BTreeSet<u64> = kept
        .iter()
        .filter_map(|line| line.split('\t').next()?.strip_prefix('#')?.parse().ok())
        .collect();
    let mut note_number: u64 = 0;
    for (id, note) in notes {
        note_number += 1;
        while kept_note_ids.contains(&note_number) {
            note_number += 1;
        }
        let _ = writeln!(out, "#{note_number}\t{NOTE_TYPE} T{id}\t{note}");
    }
    let links = links::write(
        project,
        &kept,
        |id| groups.joined_into.get(&id).copied().unwrap_or(id),
        &mut warnings,
    );
    out.push_str(&links.lines);
    written_ids.extend(links.written_ids);
    let kept: Vec<&str> = kept
        .into_iter()
        .filter(|line| {
            !links
                .dropped_events
                .contains(line.split('\t').next().unwrap_or_default())
        })
        .collect();
    for line in kept::lines_to_write(&kept, written_ids, &mut warnings) {
        out.push_str(line);
        out.push('\n');
    }
    warnings.extend(renamed.warnings(project));
    if flattened > 0 {
        warnings.push(format!(
            "{flattened} counter-claim(s) had line breaks or tabs, written as spaces so each stays on one AnnotatorNotes line"
        ));
    }
    if sources > 0 {
        warnings.push(format!(
            "{sources} counter-claim source link(s) left out: brat notes have no place for them"
        ));
    }
    Ok(ExportedFiles {
        main: out.into_bytes(),
        text: Some(text_bytes),
        warnings,
        companion: None,
    })
}
