//! doccano JSONL (sequence labelling export): one JSON object per line,
//! `{"text": …, "label": [[start, end, "LABEL"], …]}` (doccano 1.x) or
//! `{"text": …, "entities": [{"start_offset": …, "end_offset": …, "label": …}]}`.
//!
//! The file may also hold its one record pretty-printed over several lines,
//! or as a JSON array of one record.
//!
//! Offsets: UTF-16 code units (JavaScript string indices), start inclusive,
//! end exclusive, over `text` exactly as stored in the JSON, as doccano 1.5
//! and later write them. doccano 1.0 to 1.4 counted Unicode code points: when
//! an offset cannot be a UTF-16 position (it falls between the halves of a
//! surrogate pair or past the end) and every label fits as code points, the
//! file is read in code points; else such an offset is an error naming the
//! record and label. A doccano export carries no copy of the labelled text,
//! so where both readings fit, UTF-16 is used and the import report says so
//! (and, for a text with characters beyond U+FFFF, what an older doccano
//! would have meant). doccano's optional "count grapheme clusters" projects
//! are not told apart. Newlines: kept exactly as the JSON string has them.
//!
//! Checked against doccano's own code: 1.5.0 (commit `a12be8e1`, 2021-10-15)
//! and later label through `v-annotator` (0.1.x), whose
//! `src/domain/models/EventHandler/TextSelectionHandler.ts` takes offsets
//! from the browser selection (UTF-16) and whose `Text.ts` counts
//! `text.length`; its test `tests/unit/domain/models/Label/text.spec.ts`
//! gives "👶🏻👦🏻👧🏻👨🏻" a "codePointLength" of 16, which is UTF-16 units.
//! The project option `grapheme_mode` (1.5.0 and later) counts grapheme
//! clusters instead. Before, `frontend/components/tasks/sequenceLabeling/
//! EntityItemBox.vue` (1.0 to 1.4.x) counted `[...text].length`, code points,
//! since the fix for doccano issue #99 (commit `f37fbe4f`, 2019).
//!
//! A project holds one text, so the file must hold one document. Each label
//! becomes an annotation with that tag (new tags for unknown labels);
//! everything else the record carries (relations, comments, metadata) is
//! named in a warning. Import only: doccano reads JSONL that other tools write.

use serde_json::{Map, Value};

use super::labels::TagResolver;
use super::units::{self, Unit};
use super::{Format, FormatError, Imported, InputFile, Reader};
use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::offsets::OffsetIndex;
use crate::model::project::{Project, SourceInfo};
use crate::model::span::Span;
use crate::model::tag_set::TagSet;

/// The format's command-line name.
pub const NAME: &str = "doccano";

/// doccano JSONL.
pub static FORMAT: Format = Format {
    name: NAME,
    title: "doccano JSONL",
    summary: "doccano JSONL, one document (UTF-16 units, or code points before doccano 1.5); import only",
    extension: "jsonl",
    reader: Reader::SelfContained(import),
    writer: None,
    annotations_beside: None,
    text_beside: None,
};

/// The one document of a doccano file: a single JSON object (on one line,
/// or pretty-printed over several), or an array holding one.
fn the_record(file: &InputFile<'_>) -> Result<Map<String, Value>, FormatError> {
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_slice(super::without_bom(file.bytes)).into_iter::<Value>() {
        values.push(value.map_err(|e| FormatError::invalid(file, format!("not valid JSON Lines: {e}")))?);
    }
    if let [Value::Array(items)] = &mut values[..] {
        values = std::mem::take(items);
    }
    let count = values.len();
    match values.pop() {
        Some(Value::Object(record)) if count == 1 => Ok(record),
        Some(_) if count == 1 => Err(FormatError::invalid(file, "its document is not a JSON object")),
        _ => Err(FormatError::invalid(
            file,
            format!(
                "it holds {count} documents, and a Counterpoint project holds one text: split it into one file per document"
            ),
        )),
    }
}

/// The spans of `labels` in UTF-16 units, or (when some cannot be UTF-16
/// positions and all fit as code points) in code points; see the module docs.
fn spans_of(text: &str, labels: &[RawLabel], place: &str) -> Result<(Vec<Span>, Unit), String> {
    let index = OffsetIndex::new(text);
    let read = |unit: Unit| -> Result<Vec<Span>, String> {
        (1..)
            .zip(labels)
            .map(|(id, (start, end, _))| units::span(text, &index, unit, *start, *end, &format!("{place}, label {id}")))
            .collect()
    };
    match read(Unit::Utf16) {
        Ok(spans) => Ok((spans, Unit::Utf16)),
        Err(error) => read(Unit::CodePoints)
            .map(|spans| (spans, Unit::CodePoints))
            .map_err(|_| error),
    }
}

/// The import report's line on the unit the offsets were read in.
fn unit_report(place: &str, unit: Unit, text: &str) -> String {
    match unit {
        Unit::CodePoints => format!(
            "{place}: offsets read as Unicode code points, as doccano 1.4 and earlier wrote them (some cannot be UTF-16 positions in this text)"
        ),
        Unit::Utf16 if text.chars().any(|c| c.len_utf16() == 2) => format!(
            "{place}: offsets read as UTF-16 units, as doccano 1.5 and later write them; \
             a file from doccano 1.4 or earlier (code points) would put spans after a character beyond U+FFFF one place off"
        ),
        Unit::Utf16 => format!("{place}: offsets read as UTF-16 units, as doccano 1.5 and later write them"),
    }
}

/// A label as read: start, end (either may be missing), label.
type RawLabel = (Option<u64>, Option<u64>, String);

fn labels_of(record: &Map<String, Value>, place: &str) -> Result<Vec<RawLabel>, String> {
    let mut labels = Vec::new();
    if let Some(Value::Array(list)) = record.get("label").or_else(|| record.get("labels")) {
        for item in list {
            match item.as_array().map(Vec::as_slice) {
                Some([start, end, label]) => {
                    labels.push((
                        start.as_u64(),
                        end.as_u64(),
                        label.as_str().unwrap_or_default().to_owned(),
                    ));
                }
                // A text-classification label (a plain string) is about the whole document.
                _ => {
                    return Err(format!(
                        "{place}: the label {} is not [start, end, label]",
                        echo(&item.to_string())
                    ));
                }
            }
        }
    }
    if let Some(Value::Array(list)) = record.get("entities") {
        for item in list {
            labels.push((
                item.get("start_offset").and_then(Value::as_u64),
                item.get("end_offset").and_then(Value::as_u64),
                item.get("label").and_then(Value::as_str).unwrap_or_default().to_owned(),
            ));
        }
    }
    Ok(labels)
}

/// Reads a doccano JSONL file holding one document.
pub fn import(file: InputFile<'_>, tag_set: TagSet) -> Result<Imported, FormatError> {
    let record = the_record(&file)?;
    let place = record.get("id").map_or_else(
        || "the record".to_owned(),
        |id| format!("the record with id {}", super::shown_id(id)),
    );
    let Some(Value::String(text)) = record.get("text") else {
        return Err(FormatError::invalid(&file, format!("{place} has no \"text\" string")));
    };
    let text = text.clone();
    let labels = labels_of(&record, &place).map_err(|m| FormatError::invalid(&file, m))?;
    let (spans, unit) = spans_of(&text, &labels, &place).map_err(|m| FormatError::invalid(&file, m))?;
    let mut resolver = TagResolver::new(tag_set, NAME, false, []);
    let mut annotations = Vec::new();
    for ((span, (_, _, label)), id) in spans.into_iter().zip(&labels).zip(1..) {
        let mut annotation = Annotation::new(AnnotationId(id), span);
        annotation.tags.push(resolver.resolve(label));
        annotations.push(annotation);
    }
    let mut warnings = Vec::new();
    if !annotations.is_empty() {
        warnings.push(unit_report(&place, unit, &text));
    }
    let left_out: Vec<&str> = record
        .iter()
        .filter(|(key, value)| {
            !matches!(key.as_str(), "id" | "text" | "label" | "labels" | "entities") && !is_empty_value(value)
        })
        .map(|(key, _)| key.as_str())
        .collect();
    if !left_out.is_empty() {
        warnings.push(format!(
            "{place}: left out its {} (Counterpoint keeps spans and their labels)",
            left_out
                .iter()
                .map(|key| echo(key).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let (tag_set, mut label_warnings) = resolver.finish();
    warnings.append(&mut label_warnings);
    let source = SourceInfo {
        path: file.path.map(str::to_owned),
        ..SourceInfo::of_text(&text)
    };
    let project = Project::from_parts(text, source, tag_set, annotations)
        .map_err(|e| FormatError::invalid(&file, e.to_string()))?;
    Ok(Imported::flagged(project, warnings))
}

/// Whether a field carries nothing (so leaving it out loses nothing).
fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn import_str(json: &str) -> Result<Imported, FormatError> {
        import(
            InputFile {
                path: Some("d.jsonl"),
                bytes: json.as_bytes(),
            },
            TagSet::default_set(),
        )
    }

    #[test]
    fn utf16_offsets_put_emoji_right() {
        // "👍 a\r\nb": 👍 is two UTF-16 units, so "a" is 3..4 and "b" 6..7.
        let json = r#"{"id": 4, "text": "👍 a\r\nb", "label": [[3, 4, "Claim"], [6, 7, "PER"]], "Comments": ["hm"]}"#;
        let imported = import_str(json).unwrap();
        let project = &imported.project;
        let quotes: Vec<&str> = project
            .annotations()
            .map(|a| a.span.quote(project.text()).unwrap())
            .collect();
        assert_eq!(quotes, ["a", "b"]);
        assert_eq!(imported.warnings.len(), 3, "{:?}", imported.warnings);
        assert!(imported.warnings[0].starts_with("the record with id 4: offsets read as UTF-16 units"));
        assert!(imported.warnings[1].contains("\"Comments\""));
    }

    #[test]
    fn one_record_pretty_printed_over_several_lines_is_one_document() {
        let json = "\u{feff}{\n  \"id\": 7,\n  \"text\": \"a b\",\n  \"label\": [\n    [2, 3, \"Claim\"]\n  ]\n}\n";
        let imported = import_str(json).unwrap();
        assert_eq!(imported.project.text(), "a b");
        assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(2, 3));
        let imported = import_str(r#"[{"text": "ab", "label": [[0, 1, "X"]]}]"#).unwrap();
        assert_eq!(imported.project.annotation_count(), 1);
        let error = import_str("[{\"text\": \"a\"}, {\"text\": \"b\"}]")
            .unwrap_err()
            .to_string();
        assert!(error.contains("holds 2 documents"), "{error}");
    }

    #[test]
    fn code_points_from_doccano_before_1_5_are_read_when_utf16_cannot_be_meant() {
        // "👍 a b": code points put "b" at 4..5; in UTF-16 units 4..5 is "a" and 1 would split the emoji.
        let imported = import_str(r#"{"text": "👍 a b", "label": [[0, 1, "X"], [4, 5, "Y"]]}"#).unwrap();
        let project = &imported.project;
        let quotes: Vec<&str> = project
            .annotations()
            .map(|a| a.span.quote(project.text()).unwrap())
            .collect();
        assert_eq!(quotes, ["👍", "b"]);
        assert!(imported.warnings[0].contains("read as Unicode code points, as doccano 1.4 and earlier"));
    }

    #[test]
    fn new_style_entities_are_read() {
        let json = r#"{"text": "ab", "entities": [{"id": 1, "start_offset": 1, "end_offset": 2, "label": "Doubt"}], "relations": []}"#;
        let imported = import_str(json).unwrap();
        assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(1, 2));
        assert_eq!(
            imported.warnings,
            ["the record: offsets read as UTF-16 units, as doccano 1.5 and later write them"]
        );
    }

    #[test]
    fn an_offset_inside_a_surrogate_pair_is_an_error_naming_the_record() {
        // 2 splits the emoji in UTF-16 units and is past the end in code points.
        let error = import_str(r#"{"id": 9, "text": "a👍", "label": [[0, 1, "X"], [2, 3, "Y"]]}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("the record with id 9, label 2: start offset 2 (UTF-16 units)"),
            "{error}"
        );
        assert!(error.contains("surrogate"), "{error}");
    }

    #[test]
    fn several_documents_are_refused() {
        let error = import_str("{\"text\": \"a\"}\n{\"text\": \"b\"}\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("holds 2 documents"), "{error}");
    }

    proptest! {
        /// Offsets computed as JavaScript would (UTF-16 length) land on the same characters.
        #[test]
        fn javascript_offsets_land_on_the_same_characters(
            pieces in proptest::collection::vec(prop_oneof![Just("👩\u{200d}👧"), Just("e\u{301}"), Just("\r\n"), Just("🇺🇦"), Just("x"), Just("漢")], 0..12),
            cut in any::<prop::sample::Index>(),
        ) {
            let text: String = pieces.concat();
            let chars: Vec<char> = text.chars().collect();
            let at = cut.index(chars.len() + 1);
            let js_start: usize = chars[..at].iter().map(|c| c.len_utf16()).sum();
            let js_end: usize = chars.iter().map(|c| c.len_utf16()).sum();
            let record = serde_json::json!({"text": text, "label": [[js_start, js_end, "Claim"]]}).to_string();
            let imported = import_str(&record).unwrap();
            let annotation = imported.project.annotations().next().unwrap();
            let expected: String = chars[at..].iter().collect();
            prop_assert_eq!(annotation.span.quote(&text), Some(expected.as_str()));
        }
    }
}
