//! Writing a project as one annotation collection, streamed: each
//! annotation is serialised straight into the output as it is made, so
//! memory grows with the output, not with a tree of JSON values.

use serde::Serialize;
use serde::ser::SerializeSeq;
use serde_json::Value;

use super::{CONTEXT, CONTEXT_CHARS, ID_PREFIX, NAME, source_iri};
use crate::model::annotation::Annotation;
use crate::model::offsets::OffsetIndex;
use crate::model::project::Project;

/// The collection; fields in the order `serde_json` sorts keys, as files
/// written by earlier versions have them.
#[derive(Serialize)]
struct Collection<'p> {
    #[serde(rename = "@context")]
    context: &'static str,
    first: Page<'p>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    total: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Page<'p> {
    items: Items<'p>,
    #[serde(rename = "startIndex")]
    start_index: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The annotations in document order, then the kept records of W3C imports.
struct Items<'p> {
    project: &'p Project,
    index: OffsetIndex,
    source: String,
    annotations: Vec<&'p Annotation>,
    kept: Vec<Value>,
}

impl Serialize for Items<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut items = serializer.serialize_seq(Some(self.annotations.len() + self.kept.len()))?;
        for annotation in &self.annotations {
            items.serialize_element(&item(self.project.text(), &self.index, &self.source, annotation))?;
        }
        for record in &self.kept {
            items.serialize_element(record)?;
        }
        items.end()
    }
}

#[derive(Serialize)]
struct Item<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    body: Vec<Body<'a>>,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    motivation: Option<&'static str>,
    target: Target<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Textual {
        purpose: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        value: &'a str,
    },
    Link {
        purpose: &'static str,
        source: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
    },
}

#[derive(Serialize)]
struct Target<'a> {
    selector: (PositionSelector, QuoteSelector<'a>),
    source: &'a str,
}

#[derive(Serialize)]
struct PositionSelector {
    end: usize,
    start: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// One annotation as the collection holds it.
fn item<'a>(text: &'a str, index: &OffsetIndex, source: &'a str, annotation: &'a Annotation) -> Item<'a> {
    // Spans of a project lie on character boundaries, so these conversions hold.
    let to_chars = |offset| index.byte_to_char(text, offset).map_or(0, |c| c.0);
    let (start, end) = (annotation.span.start, annotation.span.end);
    let prefix_start = text[..start.0]
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(start.0, |(at, _)| at);
    let suffix_end = text[end.0..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(at, _)| end.0 + at);
    let mut body = Vec::new();
    for tag in &annotation.tags {
        body.push(Body::Textual {
            purpose: "tagging",
            kind: "TextualBody",
            value: tag.as_str(),
        });
    }
    for claim in &annotation.counter_claims {
        body.push(Body::Textual {
            purpose: "commenting",
            kind: "TextualBody",
            value: &claim.text,
        });
        for link in &claim.sources {
            body.push(Body::Link {
                purpose: "linking",
                source: link,
                kind: "SpecificResource",
            });
        }
    }
    Item {
        motivation: body.is_empty().then_some("highlighting"),
        body,
        id: format!("{ID_PREFIX}{}", annotation.id.0),
        target: Target {
            selector: (
                PositionSelector {
                    end: to_chars(end),
                    start: to_chars(start),
                    kind: "TextPositionSelector",
                },
                QuoteSelector {
                    exact: annotation.span.quote(text).unwrap_or_default(),
                    prefix: &text[prefix_start..start.0],
                    suffix: &text[end.0..suffix_end],
                    kind: "TextQuoteSelector",
                },
            ),
            source,
        },
        kind: "Annotation",
    }
}

/// Writes a project as an annotation collection (pretty JSON, final newline).
#[must_use]
pub fn export(project: &Project) -> Vec<u8> {
    let text = project.text();
    let kept: Vec<Value> = project
        .foreign_records_of(NAME)
        .filter_map(|record| serde_json::from_str::<Value>(record).ok())
        .collect();
    let annotations = project.annotations_in_document_order();
    let collection = Collection {
        context: CONTEXT,
        label: project
            .source()
            .path
            .as_ref()
            .map(|path| format!("Counterpoint annotations of {path}")),
        total: annotations.len() + kept.len(),
        first: Page {
            items: Items {
                project,
                index: OffsetIndex::new(text),
                source: source_iri(project.source()),
                annotations,
                kept,
            },
            start_index: 0,
            kind: "AnnotationPage",
        },
        kind: "AnnotationCollection",
    };
    // About 600 bytes an annotation, so the buffer seldom has to grow (and copy) at all.
    let mut out = Vec::with_capacity(1024 + 640 * project.annotation_count());
    let mut serializer = serde_json::Serializer::pretty(&mut out);
    // Serialising plain strings and numbers into a Vec cannot fail.
    let _ = collection.serialize(&mut serializer);
    out.push(b'\n');
    out
}
