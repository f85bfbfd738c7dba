//! JSONL for data sets: one document per line (a project is one document, so
//! one line), the shape NLP data sets use:
//!
//! ```text
//! {"text": "…", "source": "…", "offsets": "…", "document_labels": {"URL": "…"},
//!  "spans": [{"id": 1, "start_byte": 0, "end_byte": 4, "start_char": 0, "end_char": 3,
//!             "quote": "…", "tags": ["Doubt"], "counter_claims": [{"text": "…", "sources": ["…"]}],
//!             "attributes": {"Verdict": "False", "Negated": "true"}}],
//!  "relations": [{"id": 1, "type": "supports", "from": 3, "to": 1}]}
//! ```
//!
//! `relations` is always there (empty without any); `attributes` and
//! `document_labels` only when there are values (a set flag is `"true"`).
//!
//! Offsets: both units, named in the field names: `start_byte`/`end_byte`
//! count UTF-8 bytes and `start_char`/`end_char` Unicode code points, over
//! `text` as written (no BOM; a CRLF counts as two), start inclusive, end
//! exclusive; the `offsets` field says so too. Newlines: kept exactly inside
//! the JSON string. Export only.

use serde::Serialize;
use serde::ser::SerializeSeq;

use super::{ExportedFiles, Format, Reader};
use crate::model::annotation::Annotation;
use crate::model::attributes::AttributeValues;
use crate::model::offsets::OffsetIndex;
use crate::model::project::Project;
use crate::model::tag_set::TagId;

/// The format's command-line name.
pub const NAME: &str = "jsonl";
/// The value of the `offsets` field.
pub const OFFSETS_NOTE: &str = "start_byte/end_byte: UTF-8 bytes; start_char/end_char: Unicode code points; over text, start inclusive, end exclusive";

/// JSONL, one document per line.
pub static FORMAT: Format = Format {
    name: NAME,
    title: "JSONL data set (export only)",
    summary: "JSONL data set line (bytes and code points); export only",
    extension: "jsonl",
    reader: Reader::ExportOnly,
    writer: Some(|project| {
        Ok(ExportedFiles {
            main: export(project),
            text: None,
            warnings: Vec::new(),
            companion: None,
        })
    }),
    annotations_beside: None,
    text_beside: None,
};

/// The line; fields in the order `serde_json` sorts keys, as earlier versions wrote them.
#[derive(Serialize)]
struct Line<'p> {
    #[serde(skip_serializing_if = "AttributeValues::is_empty")]
    document_labels: &'p AttributeValues,
    offsets: &'static str,
    relations: Vec<RelationLine<'p>>,
    source: Option<&'p str>,
    spans: Spans<'p>,
    text: &'p str,
}

#[derive(Serialize)]
struct RelationLine<'p> {
    from: u64,
    id: u64,
    to: u64,
    #[serde(rename = "type")]
    kind: &'p str,
}

/// The annotations in document order, each made as it is written.
struct Spans<'p> {
    text: &'p str,
    index: OffsetIndex,
    annotations: Vec<&'p Annotation>,
}

impl Serialize for Spans<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Spans of a project lie on character boundaries, so these conversions hold.
        let to_chars = |offset| self.index.byte_to_char(self.text, offset).map_or(0, |c| c.0);
        let mut spans = serializer.serialize_seq(Some(self.annotations.len()))?;
        for a in &self.annotations {
            spans.serialize_element(&SpanLine {
                attributes: &a.attributes,
                counter_claims: a
                    .counter_claims
                    .iter()
                    .map(|c| Claim {
                        sources: &c.sources,
                        text: &c.text,
                    })
                    .collect(),
                end_byte: a.span.end.0,
                end_char: to_chars(a.span.end),
                id: a.id.0,
                quote: a.span.quote(self.text).unwrap_or_default(),
                start_byte: a.span.start.0,
                start_char: to_chars(a.span.start),
                tags: a.tags.iter().map(TagId::as_str).collect(),
            })?;
        }
        spans.end()
    }
}

#[derive(Serialize)]
struct SpanLine<'a> {
    #[serde(skip_serializing_if = "AttributeValues::is_empty")]
    attributes: &'a AttributeValues,
    counter_claims: Vec<Claim<'a>>,
    end_byte: usize,
    end_char: usize,
    id: u64,
    quote: &'a str,
    start_byte: usize,
    start_char: usize,
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct Claim<'a> {
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    sources: &'a [String],
    text: &'a str,
}

/// The project as one JSON line (with its line break), streamed into its bytes.
#[must_use]
pub fn export(project: &Project) -> Vec<u8> {
    let text = project.text();
    let line = Line {
        document_labels: project.document_labels(),
        offsets: OFFSETS_NOTE,
        relations: project
            .relations()
            .map(|r| RelationLine {
                from: r.from.0,
                id: r.id.0,
                to: r.to.0,
                kind: r.kind.as_str(),
            })
            .collect(),
        source: project.source().path.as_deref(),
        spans: Spans {
            text,
            index: OffsetIndex::new(text),
            annotations: project.annotations_in_document_order(),
        },
        text,
    };
    let mut out = Vec::with_capacity(2 * text.len() + 256 * project.annotation_count());
    // Serialising plain strings and numbers into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut out, &line);
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
    use crate::model::project::SourceInfo;
    use crate::model::span::Span;
    use crate::model::tag_set::TagSet;
    use proptest::prelude::*;
    use serde_json::Value;

    #[test]
    fn both_offset_units_are_written_and_named() {
        let text = "👍 é\r\nyes";
        let mut annotation = Annotation::new(AnnotationId(1), Span::new(9, 12));
        annotation.tags.push(TagId("Claim".into()));
        annotation.counter_claims.push(CounterClaim::new("no"));
        let project = Project::from_parts(
            text.into(),
            SourceInfo::of_text(text),
            TagSet::default_set(),
            vec![annotation],
        )
        .unwrap();
        let line = String::from_utf8(export(&project)).unwrap();
        assert_eq!(line.lines().count(), 1);
        let value: Value = serde_json::from_str(&line).unwrap();
        // Streamed, the line is still serde_json's own form of itself (keys sorted), as before.
        assert_eq!(format!("{value}\n"), line);
        let span = &value["spans"][0];
        assert_eq!(
            (span["start_byte"].as_u64(), span["end_byte"].as_u64()),
            (Some(9), Some(12))
        );
        assert_eq!(
            (span["start_char"].as_u64(), span["end_char"].as_u64()),
            (Some(5), Some(8))
        );
        assert_eq!(span["quote"], "yes");
        assert_eq!(span["counter_claims"][0]["text"], "no");
        assert_eq!(value["text"], text);
    }

    proptest! {
        /// Every span's offsets, in both units, give back its quote (Python-style slicing by code points).
        #[test]
        fn offsets_in_both_units_give_the_quote(
            text in "(\r\n|e\u{301}|👩\u{200d}👧|🇺🇦|\\PC){0,30}",
            picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..6),
        ) {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let annotations = (1..).zip(&picks).map(|(id, (a, b))| {
                let (a, b) = (*a.get(&boundaries), *b.get(&boundaries));
                Annotation::new(AnnotationId(id), Span::new(a.min(b), a.max(b)))
            }).collect();
            let project = Project::from_parts(text.clone(), SourceInfo::of_text(&text), TagSet::default_set(), annotations).unwrap();
            let value: Value = serde_json::from_slice(&export(&project)).unwrap();
            let chars: Vec<char> = value["text"].as_str().unwrap().chars().collect();
            for span in value["spans"].as_array().unwrap() {
                let n = |k: &str| usize::try_from(span[k].as_u64().unwrap()).unwrap();
                let by_chars: String = chars[n("start_char")..n("end_char")].iter().collect();
                prop_assert_eq!(&by_chars, span["quote"].as_str().unwrap());
                prop_assert_eq!(&text[n("start_byte")..n("end_byte")], span["quote"].as_str().unwrap());
            }
        }
    }
}
