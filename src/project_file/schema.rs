//! The shape of a project file on disk (format version 3) and its conversion
//! to and from the in-memory [`Project`].
//!
//! Versions: 3 added argument structure, all of it optional so a version 1
//! or 2 file reads as a version 3 file without any: `attributes` on tags
//! (declarations: `(name: "Verdict", kind: Choice(["True", …]))`, `Flag` or
//! `Text`) and on annotations (values by name, `{"Verdict": "False"}`, a set
//! flag being `"true"`); `relation_types` (beside the tags: id, name,
//! description, colour, hotkey, allowed `from_tags` and `to_tags`);
//! `document_label_declarations` and the `document_labels` they allow;
//! `relations` (`(id: 1, kind: "supports", from: 3, to: 5)`, by id, naming
//! annotations by id) and `next_relation_id` (never given twice, as for
//! annotations; written once a relation has been made). Version 2 added `next_annotation_id` (ids are never given twice, even
//! after the highest is deleted), the `refers_to` of kept records, and
//! defines `sha256` as the hash of the text in its encoding (version 1 hashed
//! the whole file read, comment lines of a commented article included).
//! Version 1 files open: their next id is one above the highest id they name,
//! and they are written as version 2 when saved.
//!
//! In memory, spans are UTF-8 byte offsets; on disk they are Unicode code
//! points, so `text[start:end]` in Python gives the quote. The conversion
//! happens here and nowhere else, through [`OffsetIndex`].

use serde::{Deserialize, Serialize};

use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::attributes::{AttributeDecl, AttributeValues};
use crate::model::lines::lines_keeping_breaks;
use crate::model::offsets::{ByteOffset, CharOffset, OffsetError, OffsetIndex};
use crate::model::project::{CommentPlacement, ForeignRecord, Project, ProjectError, SourceInfo};
use crate::model::relations::{Relation, RelationType};
use crate::model::source_text;
use crate::model::span::Span;
use crate::model::tag_set::{Tag, TagId, TagSet};

/// The value of the `format` field: what kind of file this is.
pub const FORMAT_NAME: &str = "counterpoint-project";
/// The newest format version this program reads and the one it writes.
pub const CURRENT_VERSION: u32 = 3;
/// The first version that records `next_annotation_id`.
const NEXT_ID_VERSION: u32 = 2;
/// The value of the `offsets` field: the unit of `start` and `end`.
pub const OFFSET_UNIT: &str = "unicode code points over text, start inclusive, end exclusive";

/// The comment at the top of every project file, for people who open it.
pub const HEADER_COMMENT: &str = "\
// Counterpoint project, format version 3.
// `text` is the document, one string per line, each with its own line break:
// joined, they are the text exactly. Offsets `start` and `end` count Unicode
// code points over that text (a CRLF counts as two; a BOM is not part of the
// text), start inclusive, end exclusive: in Python, text[start:end] == quote.
// `next_annotation_id` is the id the next new annotation gets: ids are never
// given twice. `sha256` is of the text in its encoding (and BOM).
// `relations` link annotations by id (`from` → `to`, of a type listed in
// `relation_types`); `attributes` and `document_labels` hold values by name,
// declared by the tags and by `document_label_declarations`.
";

/// Just enough of a file to tell what it is and which version wrote it.
#[derive(Deserialize)]
pub struct Header {
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub version: u32,
}

/// A project file, version 3 (versions 1 and 2 read into it too).
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub format: String,
    pub version: u32,
    pub offsets: String,
    pub source: SourceInfo,
    pub tag_set: Vec<Tag>,
    /// Above every id the project has held; 0 when absent (version 1).
    #[serde(default)]
    pub next_annotation_id: u64,
    pub annotations: Vec<AnnotationRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comment_layout: Vec<CommentPlacement>,
    /// Records of other formats kept for export (brat relations, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_records: Vec<ForeignRecord>,
    /// The tag set's relation types (version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relation_types: Vec<RelationType>,
    /// The labels the document may have (version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_label_declarations: Vec<AttributeDecl>,
    /// The document's labels, by name (version 3).
    #[serde(default, skip_serializing_if = "AttributeValues::is_empty")]
    pub document_labels: AttributeValues,
    /// Above every relation id the project has held; absent until a relation is made.
    #[serde(default, skip_serializing_if = "is_first_id")]
    pub next_relation_id: u64,
    /// Links between annotations, by id (version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    pub text: Vec<String>,
}

/// Whether a next id says nothing a reader would not assume (no relation was ever made).
#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_first_id(next: &u64) -> bool {
    *next <= 1
}

/// One annotation as written: code-point offsets and the quoted text.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationRecord {
    pub id: AnnotationId,
    pub start: usize,
    pub end: usize,
    pub quote: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_claims: Vec<CounterClaim>,
    /// Attribute values by name (version 3).
    #[serde(default, skip_serializing_if = "AttributeValues::is_empty")]
    pub attributes: AttributeValues,
}

/// Why a well-formed file does not describe a sound project.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("this is not a Counterpoint project (its format field is {})", echo(.0))]
    NotAProject(String),
    #[error("the offsets field says {}, but this program reads only {OFFSET_UNIT:?}", echo(.0))]
    UnknownOffsetUnit(String),
    #[error("annotation {id}: {what} offset {offset} does not fit the text: {source}")]
    BadOffset {
        id: AnnotationId,
        what: &'static str,
        offset: usize,
        source: OffsetError,
    },
    #[error(
        "annotation {id}: its quote {} does not match the text at {start}..{end}, which reads {}",
        echo(.quote),
        echo(.actual)
    )]
    QuoteMismatch {
        id: AnnotationId,
        start: usize,
        end: usize,
        quote: String,
        actual: String,
    },
    #[error("{0}")]
    Project(#[from] ProjectError),
}

/// Why a project could not be written as a file. Nothing is written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum SerializeError {
    #[error("the project could not be written as RON ({0})")]
    Ron(#[from] ron::Error),
    /// Cannot happen while `Project` keeps its spans on the text's characters;
    /// if it ever did, saving stops rather than write a wrong offset or quote.
    #[error(
        "annotation {id}: its span (bytes {start}..{end}) does not fit the text, so its offsets cannot be written; nothing was saved"
    )]
    SpanOffText { id: AnnotationId, start: usize, end: usize },
}

/// One annotation as the file has it, borrowed from the project.
pub struct RecordRef<'a> {
    pub annotation: &'a Annotation,
    /// Code-point offsets.
    pub start: usize,
    pub end: usize,
    pub quote: &'a str,
}

/// The project's annotations as file records: in document order, with
/// code-point offsets. A span that does not fit the text is an error, never
/// a record with made-up offsets.
pub fn records(project: &Project) -> Result<Vec<RecordRef<'_>>, SerializeError> {
    let text = project.text();
    let index = OffsetIndex::new(text);
    project
        .annotations_in_document_order()
        .into_iter()
        .map(|annotation| {
            let Span { start, end } = annotation.span;
            let off_text = || SerializeError::SpanOffText {
                id: annotation.id,
                start: start.0,
                end: end.0,
            };
            let to_chars = |offset: ByteOffset| index.byte_to_char(text, offset).map_err(|_| off_text());
            Ok(RecordRef {
                annotation,
                start: to_chars(start)?.0,
                end: to_chars(end)?.0,
                quote: annotation.span.quote(text).ok_or_else(off_text)?,
            })
        })
        .collect()
}

impl ProjectFile {
    /// The file form of a project: annotations in document order, code-point offsets.
    pub fn from_project(project: &Project) -> Result<Self, SerializeError> {
        let mut file = Self::skeleton(project);
        file.annotations = records(project)?
            .into_iter()
            .map(|record| {
                // Every field named, so one added to `Annotation` cannot be left out unnoticed.
                let RecordRef {
                    annotation:
                        Annotation {
                            id,
                            span: _,
                            tags,
                            counter_claims,
                            attributes,
                        },
                    start,
                    end,
                    quote,
                } = record;
                AnnotationRecord {
                    id: *id,
                    start,
                    end,
                    quote: quote.to_owned(),
                    tags: tags.clone(),
                    counter_claims: counter_claims.clone(),
                    attributes: attributes.clone(),
                }
            })
            .collect();
        file.text = lines_keeping_breaks(project.text())
            .into_iter()
            .map(str::to_owned)
            .collect();
        Ok(file)
    }

    /// The file form of a project without its two bulk lists, the annotations
    /// and the text, which `bulk` writes.
    #[must_use]
    pub fn skeleton(project: &Project) -> Self {
        // Every field named, so one added to the tag set cannot be left out unnoticed.
        let TagSet {
            tags,
            relation_types,
            document_labels: document_label_declarations,
        } = project.tag_set();
        Self {
            format: FORMAT_NAME.to_owned(),
            version: CURRENT_VERSION,
            offsets: OFFSET_UNIT.to_owned(),
            source: project.source().clone(),
            tag_set: tags.clone(),
            next_annotation_id: project.next_annotation_id().0,
            annotations: Vec::new(),
            comment_layout: project.comment_layout().to_vec(),
            foreign_records: project.foreign_records().to_vec(),
            relation_types: relation_types.clone(),
            document_label_declarations: document_label_declarations.clone(),
            document_labels: project.document_labels().clone(),
            next_relation_id: project.next_relation_id().0,
            relations: project.relations().cloned().collect(),
            text: Vec::new(),
        }
    }

    /// The project this file describes, with every offset and quote checked;
    /// the first problem found is the error.
    pub fn into_project(self) -> Result<Project, ContentError> {
        self.check_header()?;
        let next = self.next_id();
        // Every field named, so one added to the file cannot be left out unnoticed.
        let ProjectFile {
            format: _,
            version,
            offsets: _,
            source,
            tag_set,
            next_annotation_id: _,
            annotations,
            comment_layout,
            foreign_records,
            relation_types,
            document_label_declarations,
            document_labels,
            next_relation_id,
            relations,
            text,
        } = self;
        let text = text.concat();
        // The text first: when it is not text at all, its offsets do not matter.
        source_text::check_text(&text).map_err(ProjectError::NotText)?;
        let index = OffsetIndex::new(&text);
        let annotations = annotations
            .into_iter()
            .map(|record| record.into_annotation(&text, &index))
            .collect::<Result<Vec<_>, _>>()?;
        let tag_set = TagSet {
            tags: tag_set,
            relation_types,
            document_labels: document_label_declarations,
        };
        let mut project = Project::from_parts(text, source, tag_set, annotations)?;
        project.raise_next_annotation_id(next)?;
        project.set_relations(relations)?;
        project.raise_next_relation_id(next_relation_id)?;
        project.set_document_labels(document_labels);
        if version < NEXT_ID_VERSION {
            // Version 1 hashed the whole file read (comment lines included); saving records the text's own.
            project.record_text_hash();
        }
        project.set_comment_layout(comment_layout);
        project.set_foreign_records(foreign_records);
        Ok(project)
    }

    /// The id the next new annotation gets, as far as the file says: the
    /// recorded one (version 2; absent in version 1), raised above any id a
    /// comment placement or kept record names (a version 1 file may name a
    /// deleted annotation; a hand edit may name anything). The annotations
    /// raise it further when the project is built.
    fn next_id(&self) -> u64 {
        let placements = self.comment_layout.iter().map(|p| p.annotation);
        let records = self.foreign_records.iter().flat_map(|r| r.refers_to.iter().copied());
        placements
            .chain(records)
            // An id past the range names nothing there can be.
            .filter(|id| id.is_in_range())
            .map(|id| id.0 + 1)
            .fold(self.next_annotation_id, u64::max)
    }

    /// Every problem of the file, not just the first (for `counterpoint check`),
    /// the warnings (a text that no longer matches its recorded hash) and the
    /// notices (imported spans that split a grapheme cluster).
    #[must_use]
    pub fn problems_warnings_and_notices(self) -> (Vec<ContentError>, Vec<String>, Vec<String>) {
        if let Err(problem) = self.check_header() {
            return (vec![problem], Vec::new(), Vec::new());
        }
        let mut problems = Vec::new();
        let mut notices = Vec::new();
        let next = self.next_id();
        let text = self.text.concat();
        if let Err(not_text) = source_text::check_text(&text) {
            problems.push(ProjectError::NotText(not_text).into());
        }
        let index = OffsetIndex::new(&text);
        let mut annotations = Vec::new();
        for record in self.annotations {
            match record.into_annotation(&text, &index) {
                Ok(annotation) => {
                    if annotation.span.splits_grapheme(&text) {
                        notices.push(format!(
                            "annotation {} splits a grapheme cluster (kept as imported)",
                            annotation.id
                        ));
                    }
                    annotations.push(annotation);
                }
                Err(problem) => problems.push(problem),
            }
        }
        // Ids, tags and the tag set are checked one annotation at a time so every problem is listed.
        let tag_set = TagSet {
            tags: self.tag_set,
            relation_types: self.relation_types,
            document_labels: self.document_label_declarations,
        };
        if let Err(problem) = Project::from_parts(
            String::new(),
            self.source.clone(),
            TagSet::of_tags(tag_set.tags.clone()),
            Vec::new(),
        ) {
            problems.push(problem.into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for annotation in &annotations {
            let id = annotation.id;
            if !id.is_in_range() {
                problems.push(ProjectError::IdOutOfRange { id }.into());
            }
            if !seen.insert(id) {
                problems.push(ProjectError::DuplicateId { id }.into());
            }
            for tag in &annotation.tags {
                if tag_set.get(tag).is_none() {
                    problems.push(ProjectError::UnknownTag { id, tag: tag.clone() }.into());
                }
            }
        }
        if next > AnnotationId::MAX.0 + 1 {
            problems.push(ProjectError::NextIdOutOfRange { next }.into());
        }
        let (link_problems, mut warnings) = super::links_check::relations_and_values(
            &tag_set,
            &annotations,
            &self.relations,
            &self.document_labels,
            self.next_relation_id,
        );
        problems.extend(link_problems);
        if let Err(mismatch) = Project::new(text, self.source, tag_set).check_source() {
            if self.version < NEXT_ID_VERSION {
                notices.push(
                    "the SHA-256 recorded by this version 1 file is not of its text (version 1 hashed the whole file read, comment lines included), so the text cannot be checked; saving records the text's own"
                        .to_owned(),
                );
            } else {
                warnings.push(mismatch.to_string());
            }
        }
        (problems, warnings, notices)
    }

    fn check_header(&self) -> Result<(), ContentError> {
        if self.format != FORMAT_NAME {
            return Err(ContentError::NotAProject(self.format.clone()));
        }
        if self.offsets != OFFSET_UNIT {
            return Err(ContentError::UnknownOffsetUnit(self.offsets.clone()));
        }
        Ok(())
    }
}

impl AnnotationRecord {
    /// The annotation in byte offsets, after checking offsets and quote against the text.
    fn into_annotation(self, text: &str, index: &OffsetIndex) -> Result<Annotation, ContentError> {
        // Every field named, so one added to the record cannot be left out unnoticed.
        let AnnotationRecord {
            id,
            start: start_char,
            end: end_char,
            quote,
            tags,
            counter_claims,
            attributes,
        } = self;
        let to_bytes = |what: &'static str, offset: usize| {
            index
                .char_to_byte(text, CharOffset(offset))
                .map_err(|source| ContentError::BadOffset {
                    id,
                    what,
                    offset,
                    source,
                })
        };
        let start = to_bytes("start", start_char)?;
        let end = to_bytes("end", end_char)?;
        let span = Span { start, end };
        let actual = span.quote(text).unwrap_or_default();
        if start > end || actual != quote {
            return Err(ContentError::QuoteMismatch {
                id,
                start: start_char,
                end: end_char,
                quote,
                actual: actual.to_owned(),
            });
        }
        Ok(Annotation {
            id,
            span,
            tags,
            counter_claims,
            attributes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_that_does_not_fit_the_text_stops_the_save_instead_of_writing_offset_0() {
        let text = "h\u{e9}llo";
        for (start, end) in [(2, 4), (4, 1), (0, 99)] {
            let mut project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
            project.insert_unchecked(Annotation::new(AnnotationId(7), Span::new(start, end)));
            let error = crate::project_file::to_ron_string(&project).unwrap_err();
            assert!(
                matches!(
                    error,
                    SerializeError::SpanOffText {
                        id: AnnotationId(7),
                        ..
                    }
                ),
                "{start}..{end}: {error}"
            );
            assert!(error.to_string().contains("nothing was saved"), "{error}");
        }
    }
}
