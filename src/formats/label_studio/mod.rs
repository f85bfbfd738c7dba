//! Label Studio JSON export of a text-labelling project: an array of tasks
//! (or one task), each `{"data": {"text": …}, "annotations": [{"result": [
//! {"id": "r1", "type": "labels", "value": {"start": …, "end": …, "text": …, "labels": [..]}},
//! {"id": "r1", "type": "textarea", "value": {"text": ["…"]}}]}]}`; also the
//! `JSON_MIN` shape `{"text": …, "label": [{"start", "end", "labels"}]}`.
//!
//! Offsets: Unicode code points over the task's text exactly as stored in
//! the JSON, start inclusive, end exclusive, as Label Studio 1.4 and later
//! write them; exports of 1.3 and earlier counted UTF-16 units. Each
//! region's own copy of its text (`value.text`) tells them apart: code
//! points are tried first, UTF-16 units when only they put that text there
//! (white space compared loosely), and a region whose text is at its offsets
//! in neither unit is an error naming the task and the region. Without a
//! `value.text`, code points (UTF-16 units only when code points run past
//! the text). The import report names the unit used, and which regions were
//! read in UTF-16 units. Newlines: kept exactly as the JSON string has them.
//!
//! Checked against Label Studio's own code and tests: the fix for emoji
//! offsets (issue HumanSignal/label-studio#1347, PR #1559, merged as
//! label-studio-frontend PR #308, commit `cc88f37b` of 2021-10-19, first in
//! label-studio-frontend v1.4.0 and so Label Studio 1.4.0) made
//! `src/utils/selection-tools.js` store code points (`charsToCodePoints`,
//! `[...text].length`) instead of JavaScript string length; its end-to-end
//! test `web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts` ("Should
//! calculate offsets by code points in text", data
//! `tests/integration/data/ner/emoji.ts`) expects "test" in
//! "🐱 Warning: This is a test text" at 21..25, where UTF-16 units give 22..26.
//!
//! A project holds one text, so the file must hold one task. Each labelled
//! region becomes an annotation with its labels as tags; a per-region
//! `textarea` result (same region id) gives its counter-claims. Results of
//! all annotators are merged (and the merge is reported); predictions,
//! relations, choices and other result types are named in a warning.
//! Import only.

use std::collections::HashMap;

use serde_json::Value;

use json::{RawResult, Task, Tasks};

mod json;

use super::labels::TagResolver;
use super::units::{self, Unit};
use super::{Format, FormatError, Imported, InputFile, Reader};
use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::offsets::OffsetIndex;
use crate::model::project::{Project, SourceInfo};
use crate::model::tag_set::TagSet;

/// The format's command-line name.
pub const NAME: &str = "label-studio";

/// Label Studio JSON.
pub static FORMAT: Format = Format {
    name: NAME,
    title: "Label Studio JSON",
    summary: "Label Studio JSON, one task (code points; UTF-16 units from Label Studio 1.3 and earlier); import only",
    extension: "json",
    reader: Reader::SelfContained(import),
    writer: None,
    annotations_beside: None,
    text_beside: None,
};

/// The task's text: `data.text`, else the only string in `data`, else a top-level `text`.
fn task_text(task: &mut Task) -> Option<String> {
    if let Some(Value::String(text)) = task.data.remove("text") {
        return Some(text);
    }
    let mut strings = task.data.values().filter_map(Value::as_str);
    if let (Some(only), None) = (strings.next(), strings.next()) {
        return Some(only.to_owned());
    }
    task.text.take()
}

/// One labelled region as read.
struct Region {
    id: String,
    start: Option<u64>,
    end: Option<u64>,
    quoted: Option<String>,
    labels: Vec<String>,
    claims: Vec<CounterClaim>,
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// Regions of all result lists, merged by region id; what else was there goes to `left_out`.
fn regions(results: Vec<RawResult>, left_out: &mut Vec<String>) -> Vec<Region> {
    let mut regions: Vec<Region> = Vec::new();
    // Where each region id is in `regions`, so merging stays linear in the results.
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut orphan_claims = Vec::new();
    for (number, result) in (1..).zip(results) {
        let fields = result.fields();
        let kind = result.kind.as_deref().unwrap_or("labels");
        let id = result.id.clone().unwrap_or_else(|| format!("#{number}"));
        let has_span = fields.has_span();
        let existing = by_id.get(&id).copied();
        let start = fields.start.as_ref().and_then(Value::as_u64);
        let end = fields.end.as_ref().and_then(Value::as_u64);
        match kind {
            "textarea" if has_span || existing.is_some() => {
                let claims = strings(fields.text.as_ref()).into_iter().map(CounterClaim::new);
                if let Some(index) = existing {
                    regions[index].claims.extend(claims);
                } else {
                    by_id.insert(id.clone(), regions.len());
                    regions.push(Region {
                        id,
                        start,
                        end,
                        quoted: None,
                        labels: Vec::new(),
                        claims: claims.collect(),
                    });
                }
            }
            "textarea" => orphan_claims.push(id),
            _ if has_span => {
                let labels = strings(fields.labels.as_ref());
                if let Some(index) = existing {
                    regions[index].labels.extend(labels);
                } else {
                    by_id.insert(id.clone(), regions.len());
                    regions.push(Region {
                        id,
                        start,
                        end,
                        quoted: fields.text.as_ref().and_then(Value::as_str).map(str::to_owned),
                        labels,
                        claims: Vec::new(),
                    });
                }
            }
            other => left_out.push(format!("the {} result {}", echo(other), echo(&id))),
        }
    }
    if !orphan_claims.is_empty() {
        left_out.push(format!(
            "the text area result(s) {} about the whole task, not a region",
            orphan_claims
                .iter()
                .map(|id| echo(id).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    regions
}

/// The import report's line on the unit the offsets were read in.
fn unit_report(place: &str, regions: usize, read_as_utf16: &[String]) -> String {
    match read_as_utf16.len() {
        0 => format!("{place}: offsets read as Unicode code points, as Label Studio 1.4 and later write them"),
        n if n == regions => format!(
            "{place}: offsets read as UTF-16 units, as Label Studio 1.3 and earlier wrote them (the regions' texts are there only in that unit)"
        ),
        _ => format!(
            "{place}: offsets read as Unicode code points, except region(s) {} read as UTF-16 units (made with Label Studio 1.3 or earlier: their texts are there only in that unit)",
            read_as_utf16.join(", ")
        ),
    }
}

/// Reads a Label Studio JSON export holding one task.
pub fn import(file: InputFile<'_>, tag_set: TagSet) -> Result<Imported, FormatError> {
    let Tasks(mut tasks) = serde_json::from_slice(super::without_bom(file.bytes)).map_err(|e| {
        let message = if e.is_data() {
            format!("not a Label Studio export: {e}")
        } else {
            format!("not valid JSON: {e}")
        };
        FormatError::invalid(&file, message)
    })?;
    let mut task = match tasks.pop() {
        Some(task) if tasks.is_empty() => task,
        _ => {
            return Err(FormatError::invalid(
                &file,
                format!(
                    "it holds {} tasks, and a Counterpoint project holds one text: export one task per file",
                    tasks.len() + 1
                ),
            ));
        }
    };
    let place = task
        .id
        .as_ref()
        .map_or_else(|| "the task".to_owned(), |id| format!("task {}", super::shown_id(id)));
    let text =
        task_text(&mut task).ok_or_else(|| FormatError::invalid(&file, format!("{place} has no text in its data")))?;
    let index = OffsetIndex::new(&text);
    let mut left_out = Vec::new();
    let regions = regions(std::mem::take(&mut task.results), &mut left_out);
    if task.has_predictions {
        left_out.push("the model predictions".to_owned());
    }
    let mut warnings = Vec::new();
    if task.annotators > 1 {
        warnings.push(format!(
            "{place}: the results of {} annotators are merged into one set of annotations",
            task.annotators
        ));
    }
    let mut resolver = TagResolver::new(tag_set, NAME, false, []);
    let mut annotations = Vec::new();
    let mut read_as_utf16 = Vec::new();
    for (region, id) in regions.into_iter().zip(1..) {
        let region_place = format!("{place}, region {}", echo(&region.id));
        let (span, unit) = units::placed(
            &text,
            &index,
            region.start,
            region.end,
            region.quoted.as_deref(),
            &region_place,
        )
        .map_err(|m| FormatError::invalid(&file, m))?;
        if unit == Unit::Utf16 {
            read_as_utf16.push(echo(&region.id).to_string());
        }
        let mut annotation = Annotation::new(AnnotationId(id), span);
        annotation.tags = region.labels.iter().map(|l| resolver.resolve(l)).collect();
        annotation.counter_claims = region.claims;
        annotations.push(annotation);
    }
    if !annotations.is_empty() {
        warnings.push(unit_report(&place, annotations.len(), &read_as_utf16));
    }
    if !left_out.is_empty() {
        warnings.push(format!("{place}: left out {}", left_out.join("; ")));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::Span;
    use crate::model::tag_set::TagId;

    fn import_str(json: &str) -> Result<Imported, FormatError> {
        import(
            InputFile {
                path: Some("ls.json"),
                bytes: json.as_bytes(),
            },
            TagSet::default_set(),
        )
    }

    /// A task as Label Studio 1.3 exported it: UTF-16 offsets ("yes" is 5..8 after the flag's four units).
    const TASK: &str = r#"[{"id": 12, "data": {"text": "🇺🇦 yes\nno"},
      "annotations": [{"id": 1, "result": [
        {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 5, "end": 8, "text": "yes", "labels": ["Claim", "Doubt"]}},
        {"id": "r1", "from_name": "note", "to_name": "text", "type": "textarea",
         "value": {"start": 5, "end": 8, "text": ["Not so."]}},
        {"id": "c1", "type": "choices", "value": {"choices": ["Propaganda"]}}
      ]}], "predictions": []}]"#;

    #[test]
    fn regions_become_annotations_with_tags_and_counter_claims() {
        let imported = import_str(TASK).unwrap();
        let annotation = imported.project.annotations().next().unwrap();
        assert_eq!(annotation.span, Span::new(9, 12), "the flag is four UTF-16 units");
        assert_eq!(annotation.tags, [TagId("Claim".into()), TagId("Doubt".into())]);
        assert_eq!(annotation.counter_claims, [CounterClaim::new("Not so.")]);
        assert_eq!(
            imported.warnings,
            [
                "task 12: offsets read as UTF-16 units, as Label Studio 1.3 and earlier wrote them (the regions' texts are there only in that unit)",
                "task 12: left out the \"choices\" result \"c1\""
            ]
        );
    }

    #[test]
    fn current_label_studio_counts_code_points_as_its_own_test_says() {
        // web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts: "test" at 21..25.
        let task = r#"{"id": 1, "data": {"text": "🐱 Warning: This is a test text"}, "annotations": [{"result": [
            {"id": "a", "type": "labels", "value": {"start": 21, "end": 25, "text": "test", "labels": ["region"]}}]}]}"#;
        let imported = import_str(task).unwrap();
        let project = &imported.project;
        let annotation = project.annotations().next().unwrap();
        assert_eq!(annotation.span.quote(project.text()), Some("test"));
        assert_eq!(
            imported.warnings[0],
            "task 1: offsets read as Unicode code points, as Label Studio 1.4 and later write them"
        );
    }

    #[test]
    fn a_region_whose_text_is_at_its_offsets_in_neither_unit_is_an_error_naming_it() {
        let error = import_str(&TASK.replace("\"text\": \"yes\"", "\"text\": \"no\""))
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "ls.json: task 12, region \"r1\": its text \"no\" is not at its offsets 5..8 \
             (in Unicode code points it reads \"s\\nn\"; in UTF-16 units it reads \"yes\")"
        );
    }

    #[test]
    fn the_minimal_export_shape_is_read_too() {
        let imported =
            import_str(r#"{"text": "a👍b", "label": [{"start": 3, "end": 4, "text": "b", "labels": ["X"]}]}"#).unwrap();
        assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(5, 6));
    }

    #[test]
    fn several_tasks_are_refused() {
        let error = import_str(r#"[{"data": {"text": "a"}}, {"data": {"text": "b"}}]"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("holds 2 tasks"), "{error}");
    }

    #[test]
    fn a_byte_order_mark_before_the_json_is_accepted() {
        let imported = import_str("\u{feff}{\"text\": \"ab\", \"label\": []}").unwrap();
        assert_eq!(imported.project.text(), "ab");
    }

    proptest::proptest! {
        /// Regions written in either unit, each with its text, cover exactly that text.
        #[test]
        fn regions_in_either_unit_land_on_their_own_text(
            pieces in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("👩\u{200d}👧"), proptest::strategy::Just("e\u{301}"),
                proptest::strategy::Just("\r\n"), proptest::strategy::Just("🇺🇦"), proptest::strategy::Just("x"),
            ], 0..12),
            cuts in proptest::collection::vec((proptest::arbitrary::any::<proptest::sample::Index>(), proptest::arbitrary::any::<proptest::sample::Index>(), proptest::arbitrary::any::<bool>()), 0..5),
        ) {
            let text: String = pieces.concat();
            let chars: Vec<char> = text.chars().collect();
            let js = |at: usize| chars[..at].iter().map(|c| c.len_utf16()).sum::<usize>();
            let mut expected = Vec::new();
            let results: Vec<serde_json::Value> = cuts.iter().enumerate().map(|(i, (a, b, utf16))| {
                let (a, b) = (a.index(chars.len() + 1), b.index(chars.len() + 1));
                let (start, end) = (a.min(b), a.max(b));
                let quote: String = chars[start..end].iter().collect();
                expected.push(quote.clone());
                let (start, end) = if *utf16 { (js(start), js(end)) } else { (start, end) };
                serde_json::json!({"id": format!("r{i}"), "type": "labels",
                    "value": {"start": start, "end": end, "text": quote, "labels": ["Claim"]}})
            }).collect();
            let task = serde_json::json!([{"data": {"text": text}, "annotations": [{"result": results}]}]).to_string();
            let imported = import_str(&task).unwrap();
            let quotes: Vec<&str> = imported.project.annotations().map(|a| a.span.quote(&text).unwrap()).collect();
            proptest::prop_assert_eq!(quotes, expected);
        }
    }
}
