//! Writing a project as one annotation collection, streamed: each
//! annotation is serialised straight into the output as it is made, so
//! memory grows with the output, not with a tree of JSON values.

use serde::Serialize;
use serde::ser::SerializeSeq;
use serde_json::Value;

use std::borrow::Cow;

use super::{CONTEXT, CONTEXT_CHARS, ID_PREFIX, NAME, RELATION_ID_PREFIX, attribute_body, source_iri};
use crate::model::annotation::Annotation;
use crate::model::attributes::{self, AttributeKind};
use crate::model::offsets::OffsetIndex;
use crate::model::project::Project;
use crate::model::relations::Relation;

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

/// The annotations in document order, then the relations by id, then the
/// kept records of W3C imports.
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
            items.serialize_element(&item(self.project, &self.index, &self.source, annotation))?;
        }
        for relation in self.project.relations() {
            items.serialize_element(&link_item(relation))?;
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

/// A relation: an annotation with motivation `linking` whose targets are
/// its two annotations (from, then to), and whose body tags it with its type.
#[derive(Serialize)]
struct LinkItem<'a> {
    body: Body<'a>,
    id: String,
    motivation: &'static str,
    target: [String; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

fn link_item(relation: &Relation) -> LinkItem<'_> {
    LinkItem {
        body: Body::Textual {
            purpose: "tagging",
            kind: "TextualBody",
            value: Cow::Borrowed(relation.kind.as_str()),
        },
        id: format!("{RELATION_ID_PREFIX}{}", relation.id.0),
        motivation: "linking",
        target: [
            format!("{ID_PREFIX}{}", relation.from.0),
            format!("{ID_PREFIX}{}", relation.to.0),
        ],
        kind: "Annotation",
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Textual {
        purpose: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        value: Cow<'a, str>,
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
fn item<'a>(project: &'a Project, index: &OffsetIndex, source: &'a str, annotation: &'a Annotation) -> Item<'a> {
    let text = project.text();
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
            value: Cow::Borrowed(tag.as_str()),
        });
    }
    if !annotation.attributes.is_empty() {
        let declared = attributes::declared_for(project.tag_set(), &annotation.tags);
        for (name, value) in &annotation.attributes {
            let kind = declared.iter().find(|d| d.name == *name).map(|d| &d.kind);
            body.push(Body::Textual {
                purpose: if kind == Some(&AttributeKind::Text) {
                    "describing"
                } else {
                    "classifying"
                },
                kind: "TextualBody",
                value: attribute_body(name, value, kind),
            });
        }
    }
    for claim in &annotation.counter_claims {
        body.push(Body::Textual {
            purpose: "commenting",
            kind: "TextualBody",
            value: Cow::Borrowed(&claim.text),
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
        total: annotations.len() + project.relations().len() + kept.len(),
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
