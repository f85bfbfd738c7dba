//! brat standoff: a text file `X.txt` and its annotations in `X.ann`.
//!
//! Offsets: Unicode code points over the text as brat reads it (UTF-8 with
//! universal newlines), start inclusive, end exclusive. So a CRLF counts as
//! ONE character, and a UTF-8 byte-order mark, which brat keeps, is code
//! point 0. Converted by [`RawCharIndex`] with [`CrlfCount::One`].
//! Newlines: the `.txt` keeps its own line breaks (export writes the original
//! bytes); `.ann` lines may end in LF or CRLF and are written with LF.
//!
//! How `.ann` lines map:
//! - `T7<TAB>Type 3 9<TAB>text`: one annotation with id 7 and the tag `Type` (a
//!   new tag if the tag set has none). A discontinuous `T2<TAB>Type 5 7;9 10<TAB>…`
//!   becomes one annotation per fragment, all with the type: the first keeps
//!   the id, the others get new ids; the import says so, naming the line. The
//!   grouping is kept in the project (a [`ForeignRecord`]
//!   `counterpoint-fragments<TAB>T2 T5`), and export joins the fragments back
//!   into one `T` line while all of them exist with the same tags (else it
//!   writes them separately, as `DKPro` Core's `document0d-ref.ann` does, and says so).
//! - `#1<TAB>AnnotatorNotes T7<TAB>note`: a counter-claim of annotation 7.
//! - `E`, `R`, `A`, `M`, `N`, `*` lines, and notes on them: the model has no
//!   place for these, so they are kept verbatim in the project
//!   ([`ForeignRecord`]) and written back unchanged; the import lists them.
//!
//! Export writes one `T` line per tag of each annotation (`T<id>` for the
//! first, new ids above every id in use for the others; the type `Untagged`
//! for an annotation with no tag, read back as no tag), then one
//! `AnnotatorNotes` line per counter-claim, then the kept lines in the order
//! they were read. So import → export gives back the same lines up to that
//! order, the numbering of notes (`#1`, `#2`, … skipping the ids of kept
//! notes), and new ids for `T` ids that are not `T` followed by a number.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::labels::TagResolver;
use super::{ExportedFiles, Format, FormatError, ImportInput, ImportShape, Imported, InputFile};
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::offsets::{ByteOffset, CharOffset, CrlfCount, OffsetError, RawCharIndex, RawCharRule};
use crate::model::project::{ForeignRecord, Project, SourceInfo};
use crate::model::source_text::{self, Encoding};
use crate::model::span::Span;
use crate::model::tag_set::{TagId, TagSet};

/// The format's command-line name.
pub const NAME: &str = "brat";
/// The type written for an annotation with no tag, and read back as none.
pub const UNTAGGED: &str = "Untagged";
const NOTE_TYPE: &str = "AnnotatorNotes";
/// The kept record that groups the fragments of a discontinuous span (never written to a `.ann`).
const FRAGMENTS_RECORD: &str = "counterpoint-fragments";

/// brat standoff (`.txt` + `.ann`).
pub struct Brat;

impl Format for Brat {
    fn name(&self) -> &'static str {
        NAME
    }

    fn title(&self) -> &'static str {
        "brat standoff (.txt + .ann)"
    }

    fn extension(&self) -> &'static str {
        "ann"
    }

    fn import_shape(&self) -> ImportShape {
        ImportShape::Standoff
    }

    fn annotations_beside(&self, text: &Path) -> Vec<PathBuf> {
        vec![text.with_extension("ann")]
    }

    fn text_beside(&self, annotations: &Path) -> Option<PathBuf> {
        Some(annotations.with_extension("txt"))
    }

    fn import(&self, input: ImportInput<'_>, tag_set: TagSet) -> Result<Imported, FormatError> {
        let (text, annotations) = super::standoff(NAME, input)?;
        import(text, annotations, tag_set)
    }

    fn export(&self, project: &Project) -> Result<ExportedFiles, FormatError> {
        let mut exported = export(project)?;
        exported.warnings.extend(super::other_formats_left_out(project, NAME));
        Ok(exported)
    }
}

/// brat's rule for a text read from a file with or without a UTF-8 BOM.
fn rule(bom: bool) -> RawCharRule {
    RawCharRule {
        bom,
        crlf: CrlfCount::One,
    }
}

/// Text as it may stand on one `.ann` line: line breaks and tabs as spaces
/// (a CRLF as one space, as brat counts it as one character).
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ")
}

/// A parsed `T` line.
struct TextBound {
    line: usize,
    brat_id: String,
    kind: String,
    fragments: Vec<Span>,
}

/// Reads a text file and its `.ann` file.
pub fn import(text_file: InputFile<'_>, ann_file: InputFile<'_>, tag_set: TagSet) -> Result<Imported, FormatError> {
    let decoded = source_text::decode(text_file.bytes).map_err(|e| FormatError::decode(&text_file, e))?;
    let source = SourceInfo::of_file(text_file.path.map(str::to_owned), text_file.bytes, &decoded);
    let text = decoded.text;
    let raw = RawCharIndex::new(&text, rule(decoded.bom && decoded.encoding == Encoding::Utf8));
    let lines = super::annotation_lines(&ann_file)?;
    let mut warnings = Vec::new();
    let mut text_bounds = Vec::new();
    let mut others: Vec<(usize, &str)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with('T') {
            let parsed = parse_text_bound(line, number, &text, &raw, &mut warnings)
                .map_err(|message| FormatError::invalid(&ann_file, message))?;
            text_bounds.push(parsed);
        } else {
            others.push((number, line));
        }
    }
    let mut groups = Vec::new();
    let (annotations, id_of, renamed) = number_annotations(&text_bounds, &mut groups, &mut warnings);
    let labels: Vec<&str> = text_bounds.iter().map(|t| t.kind.as_str()).collect();
    let mut resolver = TagResolver::new(tag_set, NAME, false, labels.iter().copied());
    let mut annotations: BTreeMap<AnnotationId, Annotation> = annotations
        .into_iter()
        .map(|(mut annotation, kind)| {
            if kind != UNTAGGED || resolver_has(&resolver, kind) {
                annotation.tags.push(resolver.resolve(kind));
            }
            (annotation.id, annotation)
        })
        .collect();
    let mut kept = Vec::new();
    let mut kept_ids = Vec::new();
    for (number, line) in others {
        if let Some((target, note)) = annotator_note(line)
            && let Some(annotation) = id_of.get(target).and_then(|id| annotations.get_mut(id))
        {
            annotation.counter_claims.push(CounterClaim::new(note));
            continue;
        }
        if !line.starts_with(['E', 'R', 'A', 'M', 'N', '*', '#']) {
            warnings.push(format!(
                "line {number}: not a kind of brat line Counterpoint knows; kept unchanged for export"
            ));
        }
        kept_ids.push(line.split('\t').next().unwrap_or_default().to_owned());
        kept.push(ForeignRecord {
            format: NAME.to_owned(),
            record: rewrite_references(line, &renamed),
            // So that deleting an annotation the line names deletes the line too.
            refers_to: named_annotations(line, &id_of),
        });
    }
    if !kept.is_empty() {
        warnings.push(format!(
            "{} line(s) that Counterpoint cannot show (events, relations, attributes, normalizations, notes on them) are kept unchanged for export: {}",
            kept.len(),
            kept_ids.join(", ")
        ));
    }
    kept.extend(groups.into_iter().map(|ids| {
        let names: Vec<String> = ids.iter().map(|id| format!("T{id}")).collect();
        ForeignRecord {
            format: NAME.to_owned(),
            record: format!("{FRAGMENTS_RECORD}\t{}", names.join(" ")),
            refers_to: ids.iter().copied().map(AnnotationId).collect(),
        }
    }));
    let (tag_set, mut label_warnings) = resolver.finish();
    warnings.append(&mut label_warnings);
    let mut project = Project::from_parts(text, source, tag_set, annotations.into_values().collect())
        .map_err(|e| FormatError::invalid(&ann_file, e.to_string()))?;
    project.set_foreign_records(kept);
    Ok(Imported::flagged(project, warnings))
}

fn resolver_has(resolver: &TagResolver, kind: &str) -> bool {
    resolver.has(&TagId(kind.to_owned()))
}

/// `#1<TAB>AnnotatorNotes T7<TAB>note` → (`T7`, `note`).
fn annotator_note(line: &str) -> Option<(&str, &str)> {
    let mut fields = line.splitn(3, '\t');
    let id = fields.next()?;
    let (kind, target) = fields.next()?.split_once(' ')?;
    let note = fields.next().unwrap_or_default();
    (id.starts_with('#') && kind == NOTE_TYPE && target.starts_with('T')).then_some((target.trim(), note))
}

/// Parses `Tn<TAB>Type s e[;s e…]<TAB>text`, checking the text against the document.
fn parse_text_bound(
    line: &str,
    number: usize,
    text: &str,
    raw: &RawCharIndex,
    warnings: &mut Vec<String>,
) -> Result<TextBound, String> {
    let mut fields = line.splitn(3, '\t');
    let brat_id = fields.next().unwrap_or_default().to_owned();
    let middle = fields
        .next()
        .ok_or_else(|| format!("line {number}: {brat_id} has no type and offsets"))?;
    let quoted = fields.next();
    let (kind, offsets) = middle
        .split_once(' ')
        .ok_or_else(|| format!("line {number}: {brat_id} has no offsets"))?;
    let mut fragments = Vec::new();
    for fragment in offsets.split(';') {
        let numbers: Vec<usize> = fragment
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|_| format!("line {number}: {brat_id} has offsets {offsets:?}, which are not numbers"))?;
        let [start, end] = numbers[..] else {
            return Err(format!(
                "line {number}: {brat_id} has offsets {offsets:?}, not pairs of start and end"
            ));
        };
        let mut to_byte = |offset: usize| match raw.raw_to_byte(text, CharOffset(offset)) {
            Err(OffsetError::OnByteOrderMark) => {
                warnings.push(format!(
                    "line {number}: {brat_id} starts on the byte-order mark (offset 0); it starts at the first character here"
                ));
                Ok(ByteOffset(0))
            }
            other => other.map_err(|e| format!("line {number}: {brat_id}: offset {offset}: {e}")),
        };
        let span = Span {
            start: to_byte(start)?,
            end: to_byte(end)?,
        };
        if span.end < span.start {
            return Err(format!(
                "line {number}: {brat_id} ends ({end}) before it starts ({start})"
            ));
        }
        fragments.push(span);
    }
    let found: Vec<&str> = fragments.iter().map(|s| s.quote(text).unwrap_or_default()).collect();
    let found = one_line(&found.join(" "));
    if let Some(quoted) = quoted
        && one_line(quoted) != found
    {
        warnings.push(format!(
            "line {number}: {brat_id} quotes {quoted:?} but the text at its offsets reads {found:?}; the offsets were used"
        ));
    }
    Ok(TextBound {
        line: number,
        brat_id,
        kind: kind.to_owned(),
        fragments,
    })
}

/// Gives every fragment an annotation id: `Tn` keeps `n` when it is free;
/// other fragments and odd ids get new ones above all. Returns the
/// annotations with their type, each brat id's first annotation, and the
/// brat ids that changed (old → new).
#[allow(clippy::type_complexity)]
fn number_annotations<'t>(
    text_bounds: &'t [TextBound],
    groups: &mut Vec<Vec<u64>>,
    warnings: &mut Vec<String>,
) -> (
    Vec<(Annotation, &'t str)>,
    BTreeMap<String, AnnotationId>,
    BTreeMap<String, String>,
) {
    let mut taken = BTreeSet::new();
    let wanted: Vec<Option<u64>> = text_bounds
        .iter()
        .map(|t| {
            let number = t.brat_id.strip_prefix('T').and_then(|n| n.parse::<u64>().ok());
            number.filter(|n| *n > 0 && AnnotationId(*n).is_in_range() && taken.insert(*n))
        })
        .collect();
    let mut next = taken.last().map_or(1, |n| n + 1);
    let mut fresh = || {
        let id = next;
        next += 1;
        id
    };
    let mut annotations = Vec::new();
    let mut id_of = BTreeMap::new();
    let mut renamed = BTreeMap::new();
    for (t, wanted) in text_bounds.iter().zip(wanted) {
        let first = wanted.unwrap_or_else(&mut fresh);
        if wanted.is_none() {
            warnings.push(format!(
                "line {}: the id {} is not T followed by a free number up to {}; it is T{first} here",
                t.line,
                t.brat_id,
                AnnotationId::MAX.0
            ));
            renamed.insert(t.brat_id.clone(), format!("T{first}"));
        }
        id_of.entry(t.brat_id.clone()).or_insert(AnnotationId(first));
        let mut ids = vec![first];
        for (index, span) in t.fragments.iter().enumerate() {
            let id = if index == 0 { first } else { fresh() };
            if index > 0 {
                ids.push(id);
            }
            annotations.push((Annotation::new(AnnotationId(id), *span), t.kind.as_str()));
        }
        if ids.len() > 1 {
            let names: Vec<String> = ids.iter().map(|id| format!("T{id}")).collect();
            warnings.push(format!(
                "line {}: {} is discontinuous ({} fragments); imported as separate annotations {} with the type {}, joined again on brat export",
                t.line,
                t.brat_id,
                ids.len(),
                names.join(", "),
                t.kind
            ));
            groups.push(ids);
        }
    }
    (annotations, id_of, renamed)
}

/// The ids a kept line refers to (the tokens of its second field that look
/// like brat ids, also after `Role:`).
fn references(line: &str) -> Vec<&str> {
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
fn named_annotations(line: &str, id_of: &BTreeMap<String, AnnotationId>) -> Vec<AnnotationId> {
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
fn rewrite_references(line: &str, renamed: &BTreeMap<String, String>) -> String {
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
    let raw = RawCharIndex::new(text, rule(utf8 && project.source().bom));
    let kept: Vec<&str> = project.foreign_records_of(NAME).collect();
    let highest_kept_t = kept
        .iter()
        .flat_map(|line| references(line))
        .filter_map(|id| id.strip_prefix('T')?.parse::<u64>().ok())
        // Ids past the range are never written, so they cannot clash (and adding one to them could overflow).
        .filter(|n| AnnotationId(*n).is_in_range())
        .max()
        .unwrap_or(0);
    let highest_annotation = project.annotations().next_back().map_or(0, |a| a.id.0);
    let mut next_t = highest_annotation.max(highest_kept_t) + 1;
    let mut out = String::new();
    let mut notes = Vec::new();
    let mut written_ids = BTreeSet::new();
    let mut flattened = 0;
    let mut sources = 0;
    let (joined, joined_into) = fragment_groups(project, &kept, &mut warnings);
    for annotation in project.annotations() {
        let owner = joined_into.get(&annotation.id).copied().unwrap_or(annotation.id);
        if owner != annotation.id {
            for claim in &annotation.counter_claims {
                let note = one_line(&claim.text);
                flattened += usize::from(note != claim.text);
                sources += claim.sources.len();
                notes.push((owner.0, note));
            }
            continue;
        }
        let fragments = joined
            .get(&annotation.id)
            .cloned()
            .unwrap_or_else(|| vec![annotation.span]);
        let (offsets, quote) = match fragment_offsets(text, &raw, &fragments) {
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
            let id = if index == 0 { annotation.id.0 } else { bump(&mut next_t) };
            let kind = kind.as_str().replace([' ', '\t', '\r', '\n'], "_");
            let _ = writeln!(out, "T{id}\t{kind} {offsets}\t{quote}");
            written_ids.insert(format!("T{id}"));
        }
        for claim in &annotation.counter_claims {
            let note = one_line(&claim.text);
            flattened += usize::from(note != claim.text);
            sources += claim.sources.len();
            notes.push((annotation.id.0, note));
        }
    }
    let kept_note_ids: BTreeSet<u64> = kept
        .iter()
        .filter_map(|line| line.split('\t').next()?.strip_prefix('#')?.parse().ok())
        .collect();
    let mut note_number = 0;
    for (id, note) in notes {
        note_number += 1;
        while kept_note_ids.contains(&note_number) {
            note_number += 1;
        }
        let _ = writeln!(out, "#{note_number}\t{NOTE_TYPE} T{id}\t{note}");
    }
    for line in kept_lines_to_write(&kept, written_ids, &mut warnings) {
        out.push_str(line);
        out.push('\n');
    }
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
    })
}

/// The `s e;s e` offsets and the space-joined text of a span's fragments.
fn fragment_offsets(text: &str, raw: &RawCharIndex, fragments: &[Span]) -> Result<(String, String), OffsetError> {
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

/// The discontinuous spans to join again: each group's first annotation with
/// all fragments, and every member with the annotation it joins. A group
/// whose fragments were deleted or tagged apart is written separately, with a warning.
#[allow(clippy::type_complexity)]
fn fragment_groups(
    project: &Project,
    kept: &[&str],
    warnings: &mut Vec<String>,
) -> (BTreeMap<AnnotationId, Vec<Span>>, BTreeMap<AnnotationId, AnnotationId>) {
    let mut joined = BTreeMap::new();
    let mut joined_into = BTreeMap::new();
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
        joined.insert(first.id, members.iter().map(|m| m.span).collect());
        for member in &members {
            joined_into.insert(member.id, first.id);
        }
    }
    (joined, joined_into)
}

fn bump(next: &mut u64) -> u64 {
    let id = *next;
    *next += 1;
    id
}

/// The kept lines whose references all exist; a line that refers to a
/// deleted annotation (or to a line left out for that reason) is left out and reported.
fn kept_lines_to_write<'k>(kept: &[&'k str], mut known: BTreeSet<String>, warnings: &mut Vec<String>) -> Vec<&'k str> {
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
                "the kept brat line {id} is left out: an annotation it refers to no longer exists"
            ));
            known.remove(&id);
        }
    }
    kept.iter()
        .copied()
        .filter(|line| known.contains(&own_id(line)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input<'a>(text: &'a [u8], ann: &'a str) -> (InputFile<'a>, InputFile<'a>) {
        (
            InputFile {
                path: Some("doc.txt"),
                bytes: text,
            },
            InputFile {
                path: Some("doc.ann"),
                bytes: ann.as_bytes(),
            },
        )
    }

    fn import_str(text: &[u8], ann: &str) -> Imported {
        let (text, ann) = input(text, ann);
        import(text, ann, TagSet::default_set()).unwrap()
    }

    fn sorted_lines(ann: &str) -> Vec<String> {
        let mut lines: Vec<String> = ann.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    }

    fn export_str(project: &Project) -> String {
        String::from_utf8(export(project).unwrap().main).unwrap()
    }

    #[test]
    fn a_crlf_counts_as_one_character() {
        // brat sees "ab\ncd👍\nef": "cd" is 3..5, "ef" is 7..9.
        let text = "ab\r\ncd👍\r\nef";
        let ann = "T1\tClaim 3 5\tcd\nT2\tEvidence 7 9\tef\nT3\tClaim 0 6\tab cd👍\n";
        let imported = import_str(text.as_bytes(), ann);
        let quotes: Vec<&str> = imported
            .project
            .annotations()
            .map(|a| a.span.quote(text).unwrap())
            .collect();
        assert_eq!(quotes, ["cd", "ef", "ab\r\ncd👍"]);
        assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        assert_eq!(sorted_lines(&export_str(&imported.project)), sorted_lines(ann));
    }

    #[test]
    fn a_bom_is_code_point_zero_for_brat() {
        let imported = import_str("\u{feff}Hello".as_bytes(), "T1\tClaim 1 6\tHello\n");
        let annotation = imported.project.annotations().next().unwrap();
        assert_eq!(annotation.span, Span::new(0, 5));
        let exported = export(&imported.project).unwrap();
        assert_eq!(exported.main, b"T1\tClaim 1 6\tHello\n");
        assert_eq!(exported.text.unwrap(), "\u{feff}Hello".as_bytes());
    }

    #[test]
    fn discontinuous_spans_become_one_annotation_per_fragment() {
        let imported = import_str(
            b"This is\nan other test.",
            "T1\tToken 0 4\tThis\nT2\tToken 5 7;9 10\tis n\n",
        );
        let project = &imported.project;
        let spans: Vec<(u64, &str)> = project
            .annotations()
            .map(|a| (a.id.0, a.span.quote(project.text()).unwrap()))
            .collect();
        assert_eq!(spans, [(1, "This"), (2, "is"), (3, "n")]);
        assert!(
            imported
                .warnings
                .iter()
                .any(|w| w.starts_with("line 2: T2 is discontinuous"))
        );
        assert_eq!(export_str(project), "T1\tToken 0 4\tThis\nT2\tToken 5 7;9 10\tis n\n");
        let mut apart = project.clone();
        crate::model::edit::Edit::RemoveAnnotation(AnnotationId(3))
            .apply(&mut apart)
            .unwrap();
        let exported = export(&apart).unwrap();
        assert_eq!(exported.main, b"T1\tToken 0 4\tThis\nT2\tToken 5 7\tis\n");
        // Deleting the fragment deleted the grouping with it: nothing is left to warn about.
        assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
    }

    #[test]
    fn notes_become_counter_claims_and_other_lines_are_kept() {
        let ann = "T1\tClaim 0 3\tabc\n#1\tAnnotatorNotes T1\tNot so.\nR1\tRel Arg1:T1 Arg2:T1\t\nA1\tSure T1\n#2\tAnnotatorNotes R1\tHm\n";
        let imported = import_str(b"abcdef", ann);
        let annotation = imported.project.annotations().next().unwrap();
        assert_eq!(annotation.counter_claims, [CounterClaim::new("Not so.")]);
        assert_eq!(imported.project.foreign_records().len(), 3);
        assert!(
            imported.warnings.iter().any(|w| w.contains("R1, A1, #2")),
            "{:?}",
            imported.warnings
        );
        assert_eq!(sorted_lines(&export_str(&imported.project)), sorted_lines(ann));
    }

    #[test]
    fn kept_lines_whose_annotation_is_gone_are_left_out_with_a_warning() {
        let ann = "T1\tClaim 0 3\tabc\nR1\tRel Arg1:T1 Arg2:T9\t\n#1\tAnnotatorNotes R1\tHm\n";
        let imported = import_str(b"abcdef", ann);
        let exported = export(&imported.project).unwrap();
        assert_eq!(exported.main, b"T1\tClaim 0 3\tabc\n");
        assert_eq!(exported.warnings.len(), 2, "{:?}", exported.warnings);
    }

    #[test]
    fn bad_lines_are_refused_naming_the_line() {
        let (text, ann) = input(b"abc", "T1\tClaim 0 3\tabc\nT2\tClaim 1 x\tb\n");
        let error = import(text, ann, TagSet::default_set()).unwrap_err().to_string();
        assert!(error.contains("line 2: T2"), "{error}");
        let (text, ann) = input(b"abc", "T1\tClaim 0 9\tabc\n");
        let error = import(text, ann, TagSet::default_set()).unwrap_err().to_string();
        assert!(error.contains("line 1: T1: offset 9"), "{error}");
    }

    #[test]
    fn several_tags_untagged_spans_and_odd_ids() {
        let ann = "Tx\tClaim 0 1\ta\nT4\tUntagged 1 2\tb\n";
        let imported = import_str(b"ab", ann);
        let project = &imported.project;
        assert_eq!(project.annotation(AnnotationId(4)).unwrap().tags, []);
        assert_eq!(project.annotation(AnnotationId(5)).unwrap().tags.len(), 1);
        assert_eq!(export_str(project), "T4\tUntagged 1 2\tb\nT5\tClaim 0 1\ta\n");
    }

    /// Text pieces with every awkward kind of character.
    fn awkward_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\r\n".to_owned()),
            Just("\n".to_owned()),
            Just("\r".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("👩\u{200d}👩\u{200d}👧".to_owned()),
            Just("🇺🇦".to_owned()),
            Just("\t".to_owned()),
            "\\PC{1,6}",
        ];
        proptest::collection::vec(piece, 0..16).prop_map(|p| p.concat())
    }

    proptest! {
        /// A project exported and imported again has the same spans, tags and
        /// counter-claims; exporting that gives the same files.
        #[test]
        fn export_then_import_keeps_everything(
            text in awkward_text(),
            bom: bool,
            picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..3usize, "[a-z ]{0,6}"), 0..8),
        ) {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            // brat cannot point between the CR and LF of a pair.
            let boundaries: Vec<usize> = boundaries.into_iter().filter(|&i| !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n'))).collect();
            let tags = ["Claim", "Evidence", "Loaded_Language"];
            let annotations: Vec<Annotation> = picks.iter().enumerate().map(|(i, (a, b, tag_count, claim))| {
                let (a, b) = (a.get(&boundaries), b.get(&boundaries));
                let mut annotation = Annotation::new(AnnotationId(i as u64 * 3 + 1), Span::new(*a.min(b), *a.max(b)));
                annotation.tags = tags[..*tag_count].iter().map(|t| TagId((*t).to_owned())).collect();
                if !claim.is_empty() {
                    annotation.counter_claims.push(CounterClaim::new(claim.clone()));
                }
                annotation
            }).collect();
            let bytes = source_text::encode(&text, Encoding::Utf8, bom).unwrap();
            let decoded = source_text::decode(&bytes).unwrap();
            let source = SourceInfo::of_file(None, &bytes, &decoded);
            let project = Project::from_parts(decoded.text, source, TagSet::default_set(), annotations).unwrap();
            let first = export(&project).unwrap();
            prop_assert!(first.warnings.is_empty(), "{:?}", first.warnings);
            let (text_file, ann_file) = (InputFile { path: None, bytes: first.text.as_deref().unwrap() }, InputFile { path: None, bytes: &first.main });
            let again = import(text_file, ann_file, TagSet::default_set()).unwrap().project;
            prop_assert_eq!(again.text(), project.text());
            let facts = |p: &Project| {
                let mut spans: Vec<(Span, Vec<TagId>, Vec<CounterClaim>)> = Vec::new();
                for a in p.annotations() {
                    spans.push((a.span, a.tags.clone(), a.counter_claims.clone()));
                }
                spans
            };
            // Each extra tag came back as its own annotation on the same span: compare (span, tag) and (span, claim) sets.
            let pairs = |p: &Project| {
                let mut tagged: Vec<(Span, String)> = Vec::new();
                let mut claims: Vec<(Span, String)> = Vec::new();
                for (span, tags, cs) in facts(p) {
                    tagged.extend(tags.iter().map(|t| (span, t.0.clone())));
                    if tags.is_empty() { tagged.push((span, String::new())); }
                    claims.extend(cs.iter().map(|c| (span, c.text.clone())));
                }
                tagged.sort();
                claims.sort();
                (tagged, claims)
            };
            prop_assert_eq!(pairs(&again), pairs(&project));
            let second = export(&again).unwrap();
            prop_assert_eq!(sorted_lines(std::str::from_utf8(&second.main).unwrap()), sorted_lines(std::str::from_utf8(&first.main).unwrap()));
            prop_assert_eq!(second.text, first.text);
        }
    }

    proptest! {
        /// An .ann file of T lines (discontinuous ones too) and notes over any
        /// text, CRLF included, comes back line for line. The reference counts
        /// offsets over the text as brat reads it: CRLF joined into one LF.
        #[test]
        fn ann_files_round_trip_line_for_line(
            text in awkward_text(),
            spans in proptest::collection::vec((proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..4), 0..3usize, "[a-z ]{0,5}"), 0..6),
        ) {
            let brat_view: Vec<char> = text.replace("\r\n", "\n").chars().collect();
            let kinds = ["Claim", "Person", "Loaded_Language"];
            let mut ann = String::new();
            let mut notes = 0;
            for (number, (fragments, kind, note)) in (1..).zip(&spans) {
                let mut offsets = Vec::new();
                let mut quotes = Vec::new();
                for (a, b) in fragments {
                    let (a, b) = (a.index(brat_view.len() + 1), b.index(brat_view.len() + 1));
                    let (a, b) = (a.min(b), a.max(b));
                    offsets.push(format!("{a} {b}"));
                    quotes.push(brat_view[a..b].iter().collect::<String>());
                }
                let quote = quotes.join(" ").replace(['\r', '\n', '\t'], " ");
                let _ = writeln!(ann, "T{number}\t{} {}\t{quote}", kinds[*kind], offsets.join(";"));
                if !note.is_empty() {
                    notes += 1;
                    let _ = writeln!(ann, "#{notes}\tAnnotatorNotes T{number}\t{note}");
                }
            }
            let imported = import_str(text.as_bytes(), &ann);
            prop_assert!(!imported.warnings.iter().any(|w| w.contains("quotes")), "{:?}", imported.warnings);
            let exported = export(&imported.project).unwrap();
            prop_assert_eq!(sorted_lines(std::str::from_utf8(&exported.main).unwrap()), sorted_lines(&ann));
            prop_assert_eq!(exported.text.unwrap(), text.as_bytes());
        }
    }
}
