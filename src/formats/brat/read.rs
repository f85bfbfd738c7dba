//! Reading a `.txt` and its `.ann` into a project.

use std::collections::{BTreeMap, BTreeSet};

use super::fragments;
use super::kept;
use super::links::ReadLinks;
use super::{NAME, NOTE_TYPE, UNTAGGED, brat_type, one_line, raw_index};
use crate::formats::labels::TagResolver;
use crate::formats::{FormatError, Imported, InputFile, MAX_KEPT_ID, QuoteCheck};
use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::offsets::{ByteOffset, CharOffset, OffsetError, RawCharIndex};
use crate::model::project::{ForeignRecord, Project, SourceInfo};
use crate::model::source_text::{self, Encoding};
use crate::model::span::Span;
use crate::model::tag_set::{TagId, TagSet};

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
    let raw = raw_index(&text, decoded.bom && decoded.encoding == Encoding::Utf8);
    let ann_text = crate::formats::annotation_text(&ann_file)?;
    let mut warnings = Vec::new();
    let mut quote_check = QuoteCheck::default();
    let mut text_bounds = Vec::new();
    let mut others: Vec<(usize, &str)> = Vec::new();
    for (number, line) in crate::formats::numbered_lines(&ann_text) {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with('T') {
            let parsed = parse_text_bound(line, number, &text, &raw, &mut quote_check, &mut warnings)
                .map_err(|message| FormatError::invalid(&ann_file, message))?;
            text_bounds.push(parsed);
        } else {
            others.push((number, line));
        }
    }
    let mut quote_warnings = quote_check.finish(&text_file, &ann_file)?;
    warnings.append(&mut quote_warnings);
    let mut groups = Vec::new();
    let Numbered {
        annotations,
        id_of,
        renamed,
    } = number_annotations(&text_bounds, &mut groups, &mut warnings);
    let labels: Vec<&str> = text_bounds.iter().map(|t| t.kind.as_str()).collect();
    let mut resolver = TagResolver::new(tag_set, NAME, false, labels.iter().copied()).with_written_form(brat_type);
    let mut annotations: BTreeMap<AnnotationId, Annotation> = annotations
        .into_iter()
        .map(|(mut annotation, kind)| {
            if kind != UNTAGGED || resolver.has(&TagId(kind.to_owned())) {
                annotation.tags.push(resolver.resolve(kind));
            }
            (annotation.id, annotation)
        })
        .collect();
    let (mut tag_set, mut label_warnings) = resolver.finish();
    warnings.append(&mut label_warnings);
    let mut links = ReadLinks::default();
    let mut kept = Vec::new();
    let mut kept_ids = Vec::new();
    for (number, line) in others {
        if let Some((target, note)) = annotator_note(line)
            && let Some(annotation) = id_of.get(target).and_then(|id| annotations.get_mut(id))
        {
            annotation.counter_claims.push(CounterClaim::new(note));
            continue;
        }
        if links.take(line, &id_of, &mut annotations, &mut tag_set) {
            if line.starts_with('E') {
                // Kept too: export writes it back in place of its relations while they last.
                kept.push(ForeignRecord {
                    format: NAME.to_owned(),
                    record: kept::rewrite_references(line, &renamed),
                    refers_to: kept::named_annotations(line, &id_of),
                });
            }
            continue;
        }
        if !line.starts_with(['E', 'R', 'A', 'M', 'N', '*', '#']) {
            warnings.push(format!(
                "line {number}: not a kind of brat line Counterpoint knows; kept unchanged for export"
            ));
        }
        kept_ids.push(line.split('\t').next().unwrap_or_default().to_owned());
        // An event whose arguments are not all text spans: the whole line is kept.
        kept.push(ForeignRecord {
            format: NAME.to_owned(),
            record: kept::rewrite_references(line, &renamed),
            // So that deleting an annotation the line names deletes the line too.
            refers_to: kept::named_annotations(line, &id_of),
        });
    }
    if !kept_ids.is_empty() {
        let shown: Vec<String> = kept_ids.iter().map(|id| echo(id).to_string()).collect();
        warnings.push(format!(
            "{} line(s) that Counterpoint cannot show (events with an event as argument, relations or attributes of events and relations, normalizations, notes on them) are kept unchanged for export: {}",
            kept_ids.len(),
            shown.join(", ")
        ));
    }
    if !links.events.is_empty() {
        let shown: Vec<String> = links.events.iter().map(|id| echo(id).to_string()).collect();
        warnings.push(format!(
            "{} event(s) are shown as relations from their trigger to each argument, and written back as events while those relations stay: {}",
            links.events.len(),
            shown.join(", ")
        ));
    }
    let (relations, mut link_warnings) = links.finish(&annotations, &mut tag_set);
    warnings.append(&mut link_warnings);
    kept.extend(groups.iter().map(|ids| fragments::group_record(ids)));
    let mut project = Project::from_parts(text, source, tag_set, annotations.into_values().collect())
        .map_err(|e| FormatError::invalid(&ann_file, e.to_string()))?;
    project
        .set_relations(relations)
        .map_err(|e| FormatError::invalid(&ann_file, e.to_string()))?;
    project.set_foreign_records(kept);
    Ok(Imported::flagged(project, warnings))
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
    quote_check: &mut QuoteCheck,
    warnings: &mut Vec<String>,
) -> Result<TextBound, String> {
    let mut fields = line.splitn(3, '\t');
    let brat_id = fields.next().unwrap_or_default().to_owned();
    let shown_id = echo(&brat_id);
    let middle = fields
        .next()
        .ok_or_else(|| format!("line {number}: {shown_id} has no type and offsets"))?;
    let quoted = fields.next();
    let (kind, offsets) = middle
        .split_once(' ')
        .ok_or_else(|| format!("line {number}: {shown_id} has no offsets"))?;
    let mut fragments = Vec::new();
    for fragment in offsets.split(';') {
        let numbers: Vec<usize> = fragment
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|_| {
                format!(
                    "line {number}: {shown_id} has offsets {}, which are not numbers",
                    echo(offsets)
                )
            })?;
        let [start, end] = numbers[..] else {
            return Err(format!(
                "line {number}: {shown_id} has offsets {}, not pairs of start and end",
                echo(offsets)
            ));
        };
        let mut to_byte = |offset: usize| match raw.raw_to_byte(text, CharOffset(offset)) {
            Err(OffsetError::OnByteOrderMark) => {
                warnings.push(format!(
                    "line {number}: {shown_id} starts on the byte-order mark (offset 0); it starts at the first character here"
                ));
                Ok(ByteOffset(0))
            }
            other => other.map_err(|e| format!("line {number}: {shown_id}: offset {offset}: {e}")),
        };
        let span = Span {
            start: to_byte(start)?,
            end: to_byte(end)?,
        };
        if span.end < span.start {
            return Err(format!(
                "line {number}: {shown_id} ends ({end}) before it starts ({start})"
            ));
        }
        fragments.push(span);
    }
    if let Some(quoted) = quoted {
        let found: Vec<&str> = fragments.iter().map(|s| s.quote(text).unwrap_or_default()).collect();
        // Most quotes are one fragment standing as it is: compare without making copies.
        let same = matches!(found[..], [only] if only == quoted) || one_line(quoted) == one_line(&found.join(" "));
        if same {
            quote_check.agrees();
        } else {
            quote_check.disagrees(format!(
                "line {number}: {shown_id} quotes {} but the text at its offsets reads {}; the offsets were used",
                echo(quoted),
                echo(&one_line(&found.join(" ")))
            ));
        }
    }
    Ok(TextBound {
        line: number,
        brat_id,
        kind: kind.to_owned(),
        fragments,
    })
}

/// The ids of the `.ann` file's annotations (`T7` → 7) and of those that
/// need a new one; see [`number_annotations`].
struct Numbering {
    next: u64,
}

impl Numbering {
    fn fresh(&mut self) -> u64 {
        let id = self.next;
        // Kept ids are at most MAX_KEPT_ID, and an import makes fewer new ids than that.
        self.next = self.next.saturating_add(1);
        id
    }
}

/// The annotations of the `T` lines, numbered.
struct Numbered<'t> {
    /// Each annotation with its type.
    annotations: Vec<(Annotation, &'t str)>,
    /// Each brat id's first annotation.
    id_of: BTreeMap<String, AnnotationId>,
    /// The brat ids that changed (old → new).
    renamed: BTreeMap<String, String>,
}

/// Gives every fragment an annotation id: `Tn` keeps `n` when it is free
/// and at most [`MAX_KEPT_ID`]; other fragments and ids get new ones above all.
fn number_annotations<'t>(
    text_bounds: &'t [TextBound],
    groups: &mut Vec<Vec<u64>>,
    warnings: &mut Vec<String>,
) -> Numbered<'t> {
    let mut taken = BTreeSet::new();
    let wanted: Vec<Result<u64, &str>> = text_bounds
        .iter()
        .map(|t| match t.brat_id.strip_prefix('T').map(str::parse::<u64>) {
            Some(Ok(n)) if n > MAX_KEPT_ID => {
                Err("too large to keep (ids above 2^53 - 1 do not survive JavaScript tools)")
            }
            Some(Ok(n)) if n > 0 && taken.insert(n) => Ok(n),
            Some(Ok(n)) if n > 0 => Err("used twice"),
            _ => Err("not T followed by a number"),
        })
        .collect();
    let mut numbering = Numbering {
        next: taken.last().map_or(1, |n| n + 1),
    };
    let mut annotations = Vec::new();
    let mut id_of = BTreeMap::new();
    let mut renamed = BTreeMap::new();
    for (t, wanted) in text_bounds.iter().zip(wanted) {
        let first = match wanted {
            Ok(id) => id,
            Err(why) => {
                let id = numbering.fresh();
                warnings.push(format!(
                    "line {}: the id {} is {why}; it is T{id} here",
                    t.line,
                    echo(&t.brat_id)
                ));
                renamed.insert(t.brat_id.clone(), format!("T{id}"));
                id
            }
        };
        id_of.entry(t.brat_id.clone()).or_insert(AnnotationId(first));
        let mut ids = vec![first];
        for (index, span) in t.fragments.iter().enumerate() {
            let id = if index == 0 { first } else { numbering.fresh() };
            if index > 0 {
                ids.push(id);
            }
            annotations.push((Annotation::new(AnnotationId(id), *span), t.kind.as_str()));
        }
        if ids.len() > 1 {
            warnings.push(fragments::import_warning(t.line, &t.brat_id, &ids, &t.kind));
            groups.push(ids);
        }
    }
    Numbered {
        annotations,
        id_of,
        renamed,
    }
}
