//! doccano JSONL (sequence labelling export): one JSON object per line,
//! `{"text": …, "label": [[start, end, "LABEL"], …]}` (doccano 1.x) or
//! `{"text": …, "entities": [{"start_offset": …, "end_offset": …, "label": …}]}`.
//!
//! Offsets: UTF-16 code units (JavaScript string length), start inclusive,
//! end exclusive, over `text` exactly as stored in the JSON. Converted by
//! [`OffsetIndex::utf16_to_byte`]; an offset between the halves of a
//! surrogate pair is an error naming the record.
//! Newlines: kept exactly as the JSON string has them.
//!
//! A project holds one text, so the file must hold one document. Each label
//! becomes an annotation with that tag (new tags for unknown labels);
//! everything else the record carries (relations, comments, metadata) is
//! named in a warning. Import only: doccano reads JSONL that other tools write.

use serde_json::{Map, Value};

use super::labels::TagResolver;
use super::{Format, FormatError, Imported, InputFile, Reader};
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::offsets::{OffsetIndex, Utf16Offset};
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

/// A span given in UTF-16 units over `text`, converted to bytes; the error
/// names `place` (the record or region).
pub(super) fn utf16_span(
    text: &str,
    index: &OffsetIndex,
    start: Option<u64>,
    end: Option<u64>,
    place: &str,
) -> Result<Span, String> {
    let convert = |what: &str, offset: Option<u64>| {
        let offset = offset
            .and_then(|o| usize::try_from(o).ok())
            .ok_or_else(|| format!("{place}: the {what} offset is missing or not a whole number"))?;
        index
            .utf16_to_byte(text, Utf16Offset(offset))
            .map_err(|e| format!("{place}: {what} offset {offset} (UTF-16 units): {e}"))
    };
    let span = Span {
        start: convert("start", start)?,
        end: convert("end", end)?,
    };
    if span.end < span.start {
        return Err(format!("{place}: the span ends before it starts"));
    }
    Ok(span)
}

/// The one document of a doccano file: its non-empty lines must be exactly one JSON object.
fn the_record(file: &InputFile<'_>) -> Result<Map<String, Value>, FormatError> {
    let text = std::str::from_utf8(file.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(file.bytes))
        .map_err(|e| FormatError::invalid(file, format!("not UTF-8 (bad bytes at byte {})", e.valid_up_to())))?;
    let lines: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
    let [(number, line)] = lines[..] else {
        return Err(FormatError::invalid(
            file,
            format!(
                "it holds {} documents, and a Counterpoint project holds one text: split it into one file per document",
                lines.len()
            ),
        ));
    };
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(record)) => Ok(record),
        Ok(_) => Err(FormatError::invalid(
            file,
            format!("line {}: not a JSON object", number + 1),
        )),
        Err(e) => Err(FormatError::invalid(
            file,
            format!("line {}: not valid JSON: {e}", number + 1),
        )),
    }
}

/// One label of a record: start, end, label.
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
                _ => return Err(format!("{place}: the label {item} is not [start, end, label]")),
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
    let place = record
        .get("id")
        .map_or_else(|| "the record".to_owned(), |id| format!("the record with id {id}"));
    let Some(Value::String(text)) = record.get("text") else {
        return Err(FormatError::invalid(&file, format!("{place} has no \"text\" string")));
    };
    let text = text.clone();
    let index = OffsetIndex::new(&text);
    let labels = labels_of(&record, &place).map_err(|m| FormatError::invalid(&file, m))?;
    let mut resolver = TagResolver::new(tag_set, NAME, false, []);
    let mut annotations = Vec::new();
    for ((start, end, label), id) in labels.into_iter().zip(1..) {
        let span = utf16_span(&text, &index, start, end, &format!("{place}, label {id}"))
            .map_err(|m| FormatError::invalid(&file, m))?;
        let mut annotation = Annotation::new(AnnotationId(id), span);
        annotation.tags.push(resolver.resolve(&label));
        annotations.push(annotation);
    }
    let mut warnings = Vec::new();
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
            left_out.join(", ")
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
pub(super) fn is_empty_value(value: &Value) -> bool {
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
        assert_eq!(imported.warnings.len(), 2, "{:?}", imported.warnings);
        assert!(imported.warnings[0].contains("Comments"));
    }

    #[test]
    fn new_style_entities_are_read() {
        let json = r#"{"text": "ab", "entities": [{"id": 1, "start_offset": 1, "end_offset": 2, "label": "Doubt"}], "relations": []}"#;
        let imported = import_str(json).unwrap();
        assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(1, 2));
        assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    }

    #[test]
    fn an_offset_inside_a_surrogate_pair_is_an_error_naming_the_record() {
        let error = import_str(r#"{"id": 9, "text": "a👍", "label": [[0, 2, "X"]]}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("the record with id 9, label 1: end offset 2"), "{error}");
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
