//! W3C Web Annotation (JSON-LD): one `AnnotationCollection` of annotations on the text.
//!
//! Offsets: `TextPositionSelector` `start`/`end` count Unicode code points
//! over the text as decoded (no BOM; a CRLF counts as two), start inclusive,
//! end exclusive. Every exported annotation also has a `TextQuoteSelector`
//! (`exact`, and up to 32 code points of `prefix` and `suffix`).
//! Newlines: kept exactly inside JSON strings.
//!
//! Bodies: a tag is a `TextualBody` with purpose `tagging` whose value is the
//! tag id; a counter-claim is a `TextualBody` with purpose `commenting`, and
//! each of its sources follows it as a `SpecificResource` with purpose
//! `linking`. The target's `source` is `urn:sha256:<hex>` of the original file.
//!
//! Import reads what export writes and annotations of other tools: a single
//! annotation, an array, an `AnnotationPage` or an `AnnotationCollection`
//! (embedded pages). An annotation is anchored by its position selector,
//! checked against its quote selector when both are present, or by its quote
//! and context alone; when the quote is missing or matches several places it
//! is not guessed. An annotation that marks no span of this text (no selector,
//! an unusable or ambiguous one, a selector inside an XML fragment) is kept
//! verbatim ([`ForeignRecord`]) and written back by export; the import says
//! which and why. Bodies that are neither tags, comments nor their links are
//! left out and named.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::labels::TagResolver;
use super::{ExportedFiles, Format, FormatError, Imported, InputFile, Reader};
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::offsets::{CharOffset, OffsetIndex};
use crate::model::project::{ForeignRecord, Project, SourceInfo};
use crate::model::source_text;
use crate::model::span::Span;
use crate::model::tag_set::TagSet;

/// The format's command-line name.
pub const NAME: &str = "w3c";
const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
const ID_PREFIX: &str = "urn:counterpoint:annotation:";
/// How many code points of context a quote selector carries on each side.
const CONTEXT_CHARS: usize = 32;

/// W3C Web Annotation JSON-LD.
pub static FORMAT: Format = Format {
    name: NAME,
    title: "W3C Web Annotation (JSON-LD)",
    summary: "W3C Web Annotation JSON-LD (code points); give the annotation file with --annotations",
    extension: "jsonld",
    reader: Reader::Standoff(import),
    writer: Some(|project| {
        Ok(ExportedFiles {
            main: export(project).into_bytes(),
            text: None,
            warnings: Vec::new(),
        })
    }),
    annotations_beside: None,
    text_beside: None,
};

fn source_iri(source: &SourceInfo) -> String {
    format!("urn:sha256:{}", source.sha256)
}

/// Writes a project as an annotation collection (pretty JSON, final newline).
#[must_use]
pub fn export(project: &Project) -> String {
    let text = project.text();
    let index = OffsetIndex::new(text);
    let source = source_iri(project.source());
    let mut items: Vec<Value> = project
        .annotations_in_document_order()
        .into_iter()
        .map(|annotation| annotation_json(text, &index, &source, annotation))
        .collect();
    items.extend(
        project
            .foreign_records_of(NAME)
            .filter_map(|record| serde_json::from_str::<Value>(record).ok()),
    );
    let mut collection = json!({
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "total": items.len(),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
    if let Some(path) = &project.source().path {
        collection["label"] = json!(format!("Counterpoint annotations of {path}"));
    }
    // Serialising a Value cannot fail.
    let mut out = serde_json::to_string_pretty(&collection).unwrap_or_default();
    out.push('\n');
    out
}

fn annotation_json(text: &str, index: &OffsetIndex, source: &str, annotation: &Annotation) -> Value {
    // Spans of a project lie on character boundaries, so these conversions hold.
    let to_chars = |offset| index.byte_to_char(text, offset).map_or(0, |c| c.0);
    let (start, end) = (annotation.span.start, annotation.span.end);
    let prefix: String = {
        let before: Vec<char> = text[..start.0].chars().rev().take(CONTEXT_CHARS).collect();
        before.into_iter().rev().collect()
    };
    let suffix: String = text[end.0..].chars().take(CONTEXT_CHARS).collect();
    let mut bodies = Vec::new();
    for tag in &annotation.tags {
        bodies.push(json!({"type": "TextualBody", "purpose": "tagging", "value": tag.as_str()}));
    }
    for claim in &annotation.counter_claims {
        bodies.push(json!({"type": "TextualBody", "purpose": "commenting", "value": claim.text}));
        for link in &claim.sources {
            bodies.push(json!({"type": "SpecificResource", "purpose": "linking", "source": link}));
        }
    }
    let mut item = json!({
        "id": format!("{ID_PREFIX}{}", annotation.id.0),
        "type": "Annotation",
        "target": {
            "source": source,
            "selector": [
                {"type": "TextPositionSelector", "start": to_chars(start), "end": to_chars(end)},
                {"type": "TextQuoteSelector", "exact": annotation.span.quote(text).unwrap_or_default(), "prefix": prefix, "suffix": suffix},
            ],
        },
    });
    if bodies.is_empty() {
        item["motivation"] = json!("highlighting");
    } else {
        item["body"] = Value::Array(bodies);
    }
    item
}

/// The annotations of a JSON-LD document: one, an array, a page or a collection.
fn annotation_values(document: Value, warnings: &mut Vec<String>) -> Result<Vec<Value>, String> {
    match document {
        Value::Array(items) => Ok(items),
        Value::Object(object) => {
            let kind = object.get("type").and_then(Value::as_str).unwrap_or_default();
            match kind {
                "AnnotationCollection" => {
                    let mut items = Vec::new();
                    let mut page = object.get("first").cloned();
                    while let Some(Value::Object(mut current)) = page {
                        if let Some(Value::Array(found)) = current.remove("items") {
                            items.extend(found);
                        }
                        page = current.remove("next");
                    }
                    if let Some(Value::String(iri)) = page {
                        warnings.push(format!("the page {iri} is not in this file and was not read"));
                    }
                    Ok(items)
                }
                "AnnotationPage" => Ok(match object.get("items") {
                    Some(Value::Array(items)) => items.clone(),
                    _ => Vec::new(),
                }),
                _ if object.contains_key("target") => Ok(vec![Value::Object(object)]),
                _ => Err("this is not a Web Annotation, an AnnotationPage or an AnnotationCollection".into()),
            }
        }
        _ => Err("this is not a Web Annotation document (expected a JSON object or array)".into()),
    }
}

/// Where an annotation points, or why it points at no span of this text.
fn anchor(text: &str, index: &OffsetIndex, target: Option<&Value>) -> Result<(Span, Option<String>), String> {
    let target = match target {
        None => return Err("it has no target".into()),
        Some(Value::String(iri)) => return Err(format!("it targets {iri} as a whole, with no selector")),
        Some(Value::Array(targets)) if targets.len() != 1 => {
            return Err(format!("it has {} targets", targets.len()));
        }
        Some(Value::Array(targets)) => &targets[0],
        Some(other) => other,
    };
    let selectors: Vec<&Value> = match target.get("selector") {
        Some(Value::Array(all)) => all.iter().collect(),
        Some(one) => vec![one],
        None => return Err("its target has no selector".into()),
    };
    let of_type = |kind: &str| {
        selectors
            .iter()
            .copied()
            .find(|s| s.get("type").and_then(Value::as_str) == Some(kind))
    };
    let position = of_type("TextPositionSelector").map(|s| position_span(text, index, s));
    let quote = of_type("TextQuoteSelector").map(|s| quote_span(text, s));
    match (position, quote) {
        (None, None) => {
            let kinds: Vec<&str> = selectors
                .iter()
                .map(|s| s.get("type").and_then(Value::as_str).unwrap_or("untyped"))
                .collect();
            Err(format!(
                "its selector ({}) is not a text position or quote selector on the whole text",
                kinds.join(", ")
            ))
        }
        (Some(position), None) => position.map(|span| (span, None)),
        (None, Some(quote)) => quote.map(|span| (span, None)),
        (Some(Ok(span)), Some(Ok(quoted))) if span == quoted => Ok((span, None)),
        (Some(Ok(span)), Some(quote)) => {
            let expected = quote_exact(&selectors);
            if span.quote(text) == Some(expected) {
                // The quote occurs elsewhere too; the position settles it.
                return Ok((span, None));
            }
            quote.map(|quoted| {
                (
                    quoted,
                    Some("its position selector disagrees with its quote; the quote (found once) was used".to_owned()),
                )
            })
        }
        (Some(Err(position_problem)), Some(quote)) => quote
            .map(|quoted| {
                (
                    quoted,
                    Some(format!("{position_problem}; the quote (found once) was used")),
                )
            })
            .map_err(|quote_problem| format!("{position_problem}, and {quote_problem}")),
    }
}

fn quote_exact<'v>(selectors: &[&'v Value]) -> &'v str {
    selectors
        .iter()
        .find(|s| s.get("type").and_then(Value::as_str) == Some("TextQuoteSelector"))
        .and_then(|s| s.get("exact"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn position_span(text: &str, index: &OffsetIndex, selector: &Value) -> Result<Span, String> {
    let number = |key: &str| {
        selector
            .get(key)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("its position selector has no whole-number {key}"))
    };
    let (start, end) = (number("start")?, number("end")?);
    let to_bytes = |offset: usize| {
        index
            .char_to_byte(text, CharOffset(offset))
            .map_err(|e| format!("its position {start}..{end} does not fit this text ({e})"))
    };
    let span = Span {
        start: to_bytes(start)?,
        end: to_bytes(end)?,
    };
    if span.end < span.start {
        return Err(format!("its position {start}..{end} ends before it starts"));
    }
    Ok(span)
}

fn quote_span(text: &str, selector: &Value) -> Result<Span, String> {
    let field = |key: &str| selector.get(key).and_then(Value::as_str).unwrap_or_default();
    let (exact, prefix, suffix) = (field("exact"), field("prefix"), field("suffix"));
    if exact.is_empty() {
        return Err("its quote selector has no exact text".into());
    }
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(exact).map(|i| from + i) {
        if text[..at].ends_with(prefix) && text[at + exact.len()..].starts_with(suffix) {
            found.push(at);
        }
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    match found[..] {
        [at] => Ok(Span::new(at, at + exact.len())),
        [] => Err(format!("its quote {exact:?} is not in this text with its context")),
        _ => Err(format!(
            "its quote {exact:?} occurs {} times in this text with its context",
            found.len()
        )),
    }
}

/// The tags, counter-claims and left-out body kinds of one annotation.
struct Bodies {
    tags: Vec<String>,
    claims: Vec<CounterClaim>,
    left_out: Vec<String>,
}

fn read_bodies(annotation: &Map<String, Value>) -> Bodies {
    let motivation = annotation.get("motivation").and_then(Value::as_str);
    let mut bodies = Bodies {
        tags: Vec::new(),
        claims: Vec::new(),
        left_out: Vec::new(),
    };
    if let Some(value) = annotation.get("bodyValue").and_then(Value::as_str) {
        match motivation {
            Some("tagging") => bodies.tags.push(value.to_owned()),
            _ => bodies.claims.push(CounterClaim::new(value)),
        }
    }
    let listed: Vec<&Value> = match annotation.get("body") {
        Some(Value::Array(all)) => all.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for body in listed {
        let purpose = body.get("purpose").and_then(Value::as_str).or(motivation);
        let kind = body.get("type").and_then(Value::as_str).unwrap_or_default();
        let value = body.get("value").and_then(Value::as_str);
        let link = body.get("source").or_else(|| body.get("id")).and_then(Value::as_str);
        match (kind, purpose, value, link) {
            ("TextualBody", Some("tagging"), Some(value), _) => bodies.tags.push(value.to_owned()),
            ("TextualBody", Some("commenting"), Some(value), _) => bodies.claims.push(CounterClaim::new(value)),
            (_, Some("linking"), _, Some(link)) if !bodies.claims.is_empty() => {
                if let Some(claim) = bodies.claims.last_mut() {
                    claim.sources.push(link.to_owned());
                }
            }
            _ => bodies.left_out.push(match (body.as_str(), purpose) {
                (Some(iri), _) => format!("the body {iri}"),
                (None, Some(purpose)) => format!("a {kind} body with purpose {purpose}"),
                (None, None) => format!("a {kind} body"),
            }),
        }
    }
    bodies
}

/// Reads an annotation collection over a text file.
pub fn import(text_file: InputFile<'_>, json_file: InputFile<'_>, tag_set: TagSet) -> Result<Imported, FormatError> {
    let decoded = source_text::decode(text_file.bytes).map_err(|e| FormatError::decode(&text_file, e))?;
    let source = SourceInfo::of_file(text_file.path.map(str::to_owned), text_file.bytes, &decoded);
    let text = decoded.text;
    let index = OffsetIndex::new(&text);
    let document: Value = serde_json::from_slice(json_file.bytes)
        .map_err(|e| FormatError::invalid(&json_file, format!("not valid JSON: {e}")))?;
    let mut warnings = Vec::new();
    let values = annotation_values(document, &mut warnings).map_err(|m| FormatError::invalid(&json_file, m))?;
    let our_source = source_iri(&source);
    let mut resolver = TagResolver::new(tag_set, NAME, false, []);
    let mut anchored = Vec::new();
    let mut kept = Vec::new();
    for (number, value) in (1..).zip(values) {
        let Value::Object(object) = value else {
            warnings.push(format!("item {number} is not a JSON object; left out"));
            continue;
        };
        let name = object
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("annotation {number}"), str::to_owned);
        match anchor(&text, &index, object.get("target")) {
            Err(reason) => {
                warnings.push(format!(
                    "{name} marks no span of this text ({reason}); kept unchanged for export"
                ));
                kept.push(ForeignRecord {
                    format: NAME.to_owned(),
                    record: Value::Object(object).to_string(),
                });
            }
            Ok((span, note)) => {
                if let Some(note) = note {
                    warnings.push(format!("{name}: {note}"));
                }
                let target_source = object
                    .get("target")
                    .and_then(|t| t.get("source"))
                    .and_then(Value::as_str);
                if let Some(other) = target_source.filter(|s| s.starts_with("urn:sha256:") && *s != our_source) {
                    warnings.push(format!(
                        "{name} was made on another file ({other}); its selectors fit this text and were used"
                    ));
                }
                let bodies = read_bodies(&object);
                if !bodies.left_out.is_empty() {
                    warnings.push(format!("{name}: left out {}", bodies.left_out.join(", ")));
                }
                let wanted = object
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|id| id.strip_prefix(ID_PREFIX)?.parse::<u64>().ok());
                let mut annotation = Annotation::new(AnnotationId(0), span);
                annotation.tags = bodies.tags.iter().map(|t| resolver.resolve(t)).collect();
                annotation.counter_claims = bodies.claims;
                anchored.push((wanted, annotation));
            }
        }
    }
    let mut taken = BTreeSet::new();
    let wanted: Vec<Option<u64>> = anchored
        .iter()
        .map(|(w, _)| w.filter(|n| *n > 0 && taken.insert(*n)))
        .collect();
    let mut next = taken.last().map_or(1, |n| n + 1);
    let annotations: Vec<Annotation> = anchored
        .into_iter()
        .zip(wanted)
        .map(|((_, mut annotation), wanted)| {
            annotation.id = AnnotationId(wanted.unwrap_or_else(|| {
                next += 1;
                next - 1
            }));
            annotation
        })
        .collect();
    let (tag_set, mut label_warnings) = resolver.finish();
    warnings.append(&mut label_warnings);
    let mut project = Project::from_parts(text, source, tag_set, annotations)
        .map_err(|e| FormatError::invalid(&json_file, e.to_string()))?;
    project.set_foreign_records(kept);
    Ok(Imported::flagged(project, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tag_set::TagId;
    use proptest::prelude::*;

    fn import_str(text: &str, json: &str) -> Imported {
        import(
            InputFile {
                path: Some("t.txt"),
                bytes: text.as_bytes(),
            },
            InputFile {
                path: Some("a.jsonld"),
                bytes: json.as_bytes(),
            },
            TagSet::default_set(),
        )
        .unwrap()
    }

    #[test]
    fn positions_count_code_points() {
        let text = "👍 é\r\nyes";
        let json = r#"{"type":"Annotation","target":{"selector":{"type":"TextPositionSelector","start":5,"end":8}},
            "body":{"type":"TextualBody","purpose":"tagging","value":"Claim"}}"#;
        let imported = import_str(text, json);
        let annotation = imported.project.annotations().next().unwrap();
        assert_eq!(annotation.span.quote(text), Some("yes"));
        assert_eq!(annotation.tags, [TagId("Claim".into())]);
    }

    #[test]
    fn quotes_anchor_by_context_and_ambiguity_is_reported_not_guessed() {
        let text = "no, no and no";
        let quote = |prefix: &str| {
            format!(
                r#"{{"type":"Annotation","target":{{"selector":{{"type":"TextQuoteSelector","exact":"no","prefix":"{prefix}"}}}}}}"#
            )
        };
        let imported = import_str(text, &quote("and "));
        assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(11, 13));
        let imported = import_str(text, &quote(""));
        assert_eq!(imported.project.annotation_count(), 0);
        assert_eq!(imported.project.foreign_records().len(), 1);
        assert!(
            imported.warnings[0].contains("occurs 3 times"),
            "{:?}",
            imported.warnings
        );
    }

    #[test]
    fn a_position_that_contradicts_its_quote_gives_way_to_a_unique_quote() {
        let json = r#"[{"type":"Annotation","target":{"selector":[{"type":"TextPositionSelector","start":0,"end":3},{"type":"TextQuoteSelector","exact":"def"}]}}]"#;
        let imported = import_str("abc def", json);
        assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(4, 7));
        assert!(imported.warnings[0].contains("disagrees"), "{:?}", imported.warnings);
    }

    fn awkward_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\r\n".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("👩\u{200d}👩\u{200d}👧".to_owned()),
            Just("🇺🇦".to_owned()),
            "\\PC{1,6}",
        ];
        proptest::collection::vec(piece, 0..16).prop_map(|p| p.concat())
    }

    proptest! {
        /// Export then import gives the same annotations, ids included, and the same file again.
        #[test]
        fn export_then_import_gives_the_same_project(
            text in awkward_text(),
            picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..3usize, "\\PC{0,5}", "[a-z:/.]{0,8}"), 0..8),
        ) {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let tags = ["Claim", "Evidence", "Loaded_Language"];
            let annotations: Vec<Annotation> = picks.iter().enumerate().map(|(i, (a, b, n, claim, link))| {
                let (a, b) = (a.get(&boundaries), b.get(&boundaries));
                let mut annotation = Annotation::new(AnnotationId(i as u64 * 2 + 1), Span::new(*a.min(b), *a.max(b)));
                annotation.tags = tags[..*n].iter().map(|t| TagId((*t).to_owned())).collect();
                if !claim.is_empty() {
                    let mut claim = CounterClaim::new(claim.clone());
                    if !link.is_empty() { claim.sources.push(link.clone()); }
                    annotation.counter_claims.push(claim);
                }
                annotation
            }).collect();
            let project = Project::from_parts(text.clone(), SourceInfo::of_text(&text), TagSet::default_set(), annotations).unwrap();
            let json = export(&project);
            let imported = import(InputFile { path: None, bytes: text.as_bytes() }, InputFile { path: None, bytes: json.as_bytes() }, TagSet::default_set()).unwrap();
            // The only warning is the flag on spans that split a grapheme cluster, and only when one does.
            let splits = project.annotations().any(|a| a.span.splits_grapheme(&text));
            prop_assert_eq!(imported.warnings.len(), usize::from(splits), "{:?}", imported.warnings);
            prop_assert!(imported.warnings.iter().all(|w| w.contains("split a grapheme cluster")), "{:?}", imported.warnings);
            let mine: Vec<&Annotation> = project.annotations().collect();
            let theirs: Vec<&Annotation> = imported.project.annotations().collect();
            prop_assert_eq!(mine, theirs);
            prop_assert_eq!(export(&imported.project), json);
        }
    }
}
