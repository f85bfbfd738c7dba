//! The shape of a project file on disk (format version 1) and its conversion
//! to and from the in-memory [`Project`].
//!
//! In memory, spans are UTF-8 byte offsets; on disk they are Unicode code
//! points, so `text[start:end]` in Python gives the quote. The conversion
//! happens here and nowhere else, through [`OffsetIndex`].

use serde::{Deserialize, Serialize};

use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::offsets::{ByteOffset, CharOffset, OffsetError, OffsetIndex};
use crate::model::project::{CommentPlacement, ForeignRecord, Project, ProjectError, SourceInfo};
use crate::model::span::Span;
use crate::model::tag_set::{Tag, TagId, TagSet};

/// The value of the `format` field: what kind of file this is.
pub const FORMAT_NAME: &str = "counterpoint-project";
/// The newest format version this program reads and the one it writes.
pub const CURRENT_VERSION: u32 = 1;
/// The value of the `offsets` field: the unit of `start` and `end`.
pub const OFFSET_UNIT: &str = "unicode code points over text, start inclusive, end exclusive";

/// The comment at the top of every project file, for people who open it.
pub const HEADER_COMMENT: &str = "\
// Counterpoint project, format version 1.
// `text` is the document, one string per line, each with its own line break:
// joined, they are the text exactly. Offsets `start` and `end` count Unicode
// code points over that text (a CRLF counts as two; a BOM is not part of the
// text), start inclusive, end exclusive: in Python, text[start:end] == quote.
";

/// Just enough of a file to tell what it is and which version wrote it.
#[derive(Deserialize)]
pub struct Header {
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub version: u32,
}

/// A project file, version 1.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub format: String,
    pub version: u32,
    pub offsets: String,
    pub source: SourceInfo,
    pub tag_set: Vec<Tag>,
    pub annotations: Vec<AnnotationRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comment_layout: Vec<CommentPlacement>,
    /// Records of other formats kept for export (brat relations, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_records: Vec<ForeignRecord>,
    pub text: Vec<String>,
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
}

/// Why a well-formed file does not describe a sound project.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("this is not a Counterpoint project (its format field is {0:?})")]
    NotAProject(String),
    #[error("the offsets field says {0:?}, but this program reads only {OFFSET_UNIT:?}")]
    UnknownOffsetUnit(String),
    #[error("annotation {id}: {what} offset {offset} does not fit the text: {source}")]
    BadOffset {
        id: AnnotationId,
        what: &'static str,
        offset: usize,
        source: OffsetError,
    },
    #[error("annotation {id}: its quote {quote:?} does not match the text at {start}..{end}, which reads {actual:?}")]
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

/// Splits the text into lines that keep their line breaks (`\n`, `\r\n`, or a lone `\r`).
#[must_use]
pub fn split_lines_keeping_breaks(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let is_break_end = bytes[index] == b'\n' || (bytes[index] == b'\r' && bytes.get(index + 1) != Some(&b'\n'));
        index += 1;
        if is_break_end {
            lines.push(&text[start..index]);
            start = index;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// How many lines a text has, as `counterpoint stats` and the window's status
/// bar count them: every line break (LF, CRLF or a lone CR) ends a line, and a
/// text that does not end with one has one more.
#[must_use]
pub fn line_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|(at, byte)| **byte == b'\n' || (**byte == b'\r' && bytes.get(at + 1) != Some(&b'\n')))
        .count();
    let unterminated = !text.is_empty() && !text.ends_with(['\n', '\r']);
    breaks + usize::from(unterminated)
}

/// One annotation as the file has it, borrowed from the project.
pub struct RecordRef<'a> {
    pub annotation: &'a Annotation,
    /// Code-point offsets.
    pub start: usize,
    pub end: usize,
    pub quote: &'a str,
}

/// The project's annotations as file records: in document order, with code-point offsets.
#[must_use]
pub fn records(project: &Project) -> impl ExactSizeIterator<Item = RecordRef<'_>> {
    let text = project.text();
    let index = OffsetIndex::new(text);
    project
        .annotations_in_document_order()
        .into_iter()
        .map(move |annotation| {
            let to_chars = |offset: ByteOffset| index.byte_to_char(text, offset).map_or(0, |c| c.0);
            RecordRef {
                annotation,
                start: to_chars(annotation.span.start),
                end: to_chars(annotation.span.end),
                quote: annotation.span.quote(text).unwrap_or_default(),
            }
        })
}

impl ProjectFile {
    /// The file form of a project: annotations in document order, code-point offsets.
    #[must_use]
    pub fn from_project(project: &Project) -> Self {
        let mut file = Self::skeleton(project);
        file.annotations = records(project)
            .map(|record| AnnotationRecord {
                id: record.annotation.id,
                start: record.start,
                end: record.end,
                quote: record.quote.to_owned(),
                tags: record.annotation.tags.clone(),
                counter_claims: record.annotation.counter_claims.clone(),
            })
            .collect();
        file.text = split_lines_keeping_breaks(project.text())
            .into_iter()
            .map(str::to_owned)
            .collect();
        file
    }

    /// The file form of a project without its two bulk lists, the annotations
    /// and the text, which `bulk` writes.
    #[must_use]
    pub fn skeleton(project: &Project) -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            version: CURRENT_VERSION,
            offsets: OFFSET_UNIT.to_owned(),
            source: project.source().clone(),
            tag_set: project.tag_set().tags.clone(),
            annotations: Vec::new(),
            comment_layout: project.comment_layout().to_vec(),
            foreign_records: project.foreign_records().to_vec(),
            text: Vec::new(),
        }
    }

    /// The project this file describes, with every offset and quote checked;
    /// the first problem found is the error.
    pub fn into_project(self) -> Result<Project, ContentError> {
        self.check_header()?;
        let text = self.text.concat();
        let index = OffsetIndex::new(&text);
        let annotations = self
            .annotations
            .into_iter()
            .map(|record| record.into_annotation(&text, &index))
            .collect::<Result<Vec<_>, _>>()?;
        let tag_set = TagSet { tags: self.tag_set };
        let mut project = Project::from_parts(text, self.source, tag_set, annotations)?;
        project.set_comment_layout(self.comment_layout);
        project.set_foreign_records(self.foreign_records);
        Ok(project)
    }

    /// Every problem of the file, not just the first (for `counterpoint check`),
    /// and the notices: imported spans that split a grapheme cluster.
    #[must_use]
    pub fn problems_and_notices(self) -> (Vec<ContentError>, Vec<String>) {
        if let Err(problem) = self.check_header() {
            return (vec![problem], Vec::new());
        }
        let text = self.text.concat();
        let index = OffsetIndex::new(&text);
        let mut problems = Vec::new();
        let mut notices = Vec::new();
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
        let tag_set = TagSet { tags: self.tag_set };
        if let Err(problem) = Project::from_parts(String::new(), self.source.clone(), tag_set.clone(), Vec::new()) {
            problems.push(problem.into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for annotation in annotations {
            if !seen.insert(annotation.id) {
                problems.push(ProjectError::DuplicateId { id: annotation.id }.into());
            }
            for tag in &annotation.tags {
                if tag_set.get(tag).is_none() {
                    problems.push(
                        ProjectError::UnknownTag {
                            id: annotation.id,
                            tag: tag.clone(),
                        }
                        .into(),
                    );
                }
            }
        }
        (problems, notices)
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
        let id = self.id;
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
        let start = to_bytes("start", self.start)?;
        let end = to_bytes("end", self.end)?;
        let span = Span { start, end };
        let actual = span.quote(text).unwrap_or_default();
        if start > end || actual != self.quote {
            return Err(ContentError::QuoteMismatch {
                id,
                start: self.start,
                end: self.end,
                quote: self.quote,
                actual: actual.to_owned(),
            });
        }
        Ok(Annotation {
            id,
            span,
            tags: self.tags,
            counter_claims: self.counter_claims,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lines_join_back_to_the_text(text in "[a\r\n\t é👍]{0,80}") {
            let lines = split_lines_keeping_breaks(&text);
            prop_assert_eq!(line_count(&text), lines.len(), "one count for the stats and the window");
            prop_assert_eq!(lines.concat(), text.as_str());
            for line in &lines[..lines.len().saturating_sub(1)] {
                prop_assert!(line.ends_with('\n') || line.ends_with('\r'));
            }
        }
    }

    #[test]
    fn each_kind_of_line_break_ends_a_line() {
        assert_eq!(split_lines_keeping_breaks("a\r\nb\rc\nd"), ["a\r\n", "b\r", "c\n", "d"]);
        assert_eq!(split_lines_keeping_breaks("a\r"), ["a\r"]);
        assert!(split_lines_keeping_breaks("").is_empty());
    }
}
