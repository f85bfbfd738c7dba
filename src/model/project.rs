//! A project: the source text, where it came from, its tag set and its annotations.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::annotation::{Annotation, AnnotationId};
use super::source_text::{self, DecodedText, EncodeError, Encoding};
use super::span::SpanError;
use super::tag_set::{TagId, TagSet};

/// Where a project's text came from, enough to write the original bytes back
/// and to recognise the original file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The path the document was read from, as given.
    pub path: Option<String>,
    pub encoding: Encoding,
    /// Whether the original file began with a byte-order mark.
    pub bom: bool,
    /// Hex SHA-256 of the original file's bytes.
    pub sha256: String,
}

impl SourceInfo {
    /// The source of a text read from `bytes` (and decoded into `decoded`).
    #[must_use]
    pub fn of_file(path: Option<String>, bytes: &[u8], decoded: &DecodedText) -> Self {
        Self {
            path,
            encoding: decoded.encoding,
            bom: decoded.bom,
            sha256: source_text::sha256_hex(bytes),
        }
    }

    /// The source of a text typed or generated in the program (UTF-8, no file).
    #[must_use]
    pub fn of_text(text: &str) -> Self {
        Self {
            path: None,
            encoding: Encoding::Utf8,
            bom: false,
            sha256: source_text::sha256_hex(text.as_bytes()),
        }
    }
}

/// Where a commented-article file put a comment line when the default rule
/// would not say it (see `formats::commented`): kept so import → export
/// reproduces such files byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommentPlacement {
    pub annotation: AnnotationId,
    /// Index of the counter-claim within the annotation.
    pub claim: usize,
    /// The comment stood before the first article line.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leading: bool,
    /// The line break that joined the comment line to the text.
    pub line_break: String,
}

/// A record of another format that the model has no place for (a brat
/// relation, a W3C annotation that marks no span of this text), kept
/// verbatim so exporting to that format writes it back instead of losing it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ForeignRecord {
    /// The format's command-line name (`brat`, `w3c`, `semeval`).
    pub format: String,
    /// The record as that format writes it (one `.ann` line, one JSON object).
    pub record: String,
}

/// Why a set of parts does not make a sound project.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    #[error("annotation {id}: {source}")]
    BadSpan { id: AnnotationId, source: SpanError },
    #[error("annotation {id} appears twice")]
    DuplicateId { id: AnnotationId },
    #[error("annotation {id} uses the tag {tag}, which is not in the tag set")]
    UnknownTag { id: AnnotationId, tag: TagId },
    #[error("the tag {0} is defined twice in the tag set")]
    DuplicateTag(TagId),
}

/// The whole of one piece of work. The text never changes once loaded;
/// everything else changes only through [`super::edit::Edit`]s.
///
/// The text and each annotation are shared between clones (copied only when
/// an edit changes them), so the snapshot autosave takes of a 5 MB project
/// with 100,000 annotations costs milliseconds, not a visible pause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    source: SourceInfo,
    text: Arc<str>,
    tag_set: TagSet,
    annotations: BTreeMap<AnnotationId, Arc<Annotation>>,
    comment_layout: Vec<CommentPlacement>,
    foreign_records: Vec<ForeignRecord>,
}

impl Project {
    /// A project with no annotations yet.
    #[must_use]
    pub fn new(text: String, source: SourceInfo, tag_set: TagSet) -> Self {
        Self {
            source,
            text: Arc::from(text),
            tag_set,
            annotations: BTreeMap::new(),
            comment_layout: Vec::new(),
            foreign_records: Vec::new(),
        }
    }

    /// Builds a project from loaded or imported parts, checking that every
    /// span fits the text's characters, ids are unique and tags are defined.
    pub fn from_parts(
        text: String,
        source: SourceInfo,
        tag_set: TagSet,
        annotations: Vec<Annotation>,
    ) -> Result<Self, ProjectError> {
        for (index, tag) in tag_set.tags.iter().enumerate() {
            if tag_set.tags[..index].iter().any(|earlier| earlier.id == tag.id) {
                return Err(ProjectError::DuplicateTag(tag.id.clone()));
            }
        }
        // Checked in bulk: a loaded project may have 100,000 annotations.
        let known_tags: HashSet<&TagId> = tag_set.tags.iter().map(|tag| &tag.id).collect();
        let mut by_id = Vec::with_capacity(annotations.len());
        for annotation in annotations {
            let id = annotation.id;
            annotation
                .span
                .check_characters(&text)
                .map_err(|source| ProjectError::BadSpan { id, source })?;
            if let Some(tag) = annotation.tags.iter().find(|tag| !known_tags.contains(tag)) {
                return Err(ProjectError::UnknownTag { id, tag: tag.clone() });
            }
            by_id.push((id, Arc::new(annotation)));
        }
        by_id.sort_unstable_by_key(|(id, _)| *id);
        if let Some(pair) = by_id.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(ProjectError::DuplicateId { id: pair[0].0 });
        }
        drop(known_tags);
        let mut project = Self::new(text, source, tag_set);
        project.annotations = by_id.into_iter().collect();
        Ok(project)
    }

    /// The document text, exactly as decoded (BOM removed, line breaks kept).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where the text came from.
    #[must_use]
    pub fn source(&self) -> &SourceInfo {
        &self.source
    }

    /// Records where the project now lives on disk (after Save As, say).
    pub fn set_source_path(&mut self, path: Option<String>) {
        self.source.path = path;
    }

    /// The tag set.
    #[must_use]
    pub fn tag_set(&self) -> &TagSet {
        &self.tag_set
    }

    /// All annotations, by id.
    #[must_use]
    pub fn annotations(&self) -> impl ExactSizeIterator<Item = &Annotation> + DoubleEndedIterator {
        self.annotations.values().map(|annotation| &**annotation)
    }

    /// All annotations by position in the text (start, end, then id): the
    /// order of lists and of saved files.
    #[must_use]
    pub fn annotations_in_document_order(&self) -> Vec<&Annotation> {
        let mut sorted: Vec<&Annotation> = self.annotations().collect();
        sorted.sort_by_key(|annotation| annotation.document_order_key());
        sorted
    }

    /// The annotation with this id.
    #[must_use]
    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.get(&id).map(|annotation| &**annotation)
    }

    /// How many annotations there are.
    #[must_use]
    pub fn annotation_count(&self) -> usize {
        self.annotations.len()
    }

    /// The id the next new annotation will get: one above the highest in use,
    /// so ids stay stable and undoing an addition gives back the same project.
    #[must_use]
    pub fn next_annotation_id(&self) -> AnnotationId {
        AnnotationId(self.annotations.keys().next_back().map_or(1, |id| id.0 + 1))
    }

    /// Placement hints kept from a commented-article import.
    #[must_use]
    pub fn comment_layout(&self) -> &[CommentPlacement] {
        &self.comment_layout
    }

    /// Sets the placement hints (done by the commented-article importer and the loader).
    pub fn set_comment_layout(&mut self, layout: Vec<CommentPlacement>) {
        self.comment_layout = layout;
    }

    /// Records of other formats kept for export (see [`ForeignRecord`]).
    #[must_use]
    pub fn foreign_records(&self) -> &[ForeignRecord] {
        &self.foreign_records
    }

    /// The kept records of one format, in the order they were read.
    pub fn foreign_records_of<'p>(&'p self, format: &'p str) -> impl Iterator<Item = &'p str> + 'p {
        self.foreign_records
            .iter()
            .filter(move |r| r.format == format)
            .map(|r| r.record.as_str())
    }

    /// Sets the kept records (done by importers and the loader).
    pub fn set_foreign_records(&mut self, records: Vec<ForeignRecord>) {
        self.foreign_records = records;
    }

    /// The original file's bytes: the text in its encoding, with its BOM.
    pub fn exported_source(&self) -> Result<Vec<u8>, EncodeError> {
        source_text::encode(&self.text, self.source.encoding, self.source.bom)
    }

    pub(super) fn tag_set_mut(&mut self) -> &mut TagSet {
        &mut self.tag_set
    }

    pub(super) fn annotation_mut(&mut self, id: AnnotationId) -> Option<&mut Annotation> {
        self.annotations.get_mut(&id).map(Arc::make_mut)
    }

    pub(super) fn annotations_mut(&mut self) -> impl Iterator<Item = &mut Annotation> {
        self.annotations.values_mut().map(Arc::make_mut)
    }

    pub(super) fn insert_annotation(&mut self, annotation: Annotation) -> bool {
        match self.annotations.entry(annotation.id) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(Arc::new(annotation));
                true
            }
        }
    }

    pub(super) fn remove_annotation(&mut self, id: AnnotationId) -> Option<Annotation> {
        self.annotations.remove(&id).map(Arc::unwrap_or_clone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::Span;

    fn parts(annotations: Vec<Annotation>) -> Result<Project, ProjectError> {
        let text = "Prices e\u{301}xploded.";
        Project::from_parts(
            text.to_owned(),
            SourceInfo::of_text(text),
            TagSet::default_set(),
            annotations,
        )
    }

    fn tagged(id: u64, start: usize, end: usize, tag: &str) -> Annotation {
        let mut annotation = Annotation::new(AnnotationId(id), Span::new(start, end));
        annotation.tags.push(TagId(tag.to_owned()));
        annotation
    }

    #[test]
    fn parts_are_checked_for_spans_tags_and_ids() {
        let project = parts(vec![tagged(9, 0, 6, "Claim"), tagged(2, 7, 18, "Doubt")]).unwrap();
        let ids: Vec<u64> = project.annotations().map(|a| a.id.0).collect();
        assert_eq!(ids, [2, 9]);
        assert_eq!(project.next_annotation_id(), AnnotationId(10));
        assert_eq!(
            parts(vec![tagged(3, 0, 6, "Claim"), tagged(3, 0, 2, "Claim")]),
            Err(ProjectError::DuplicateId { id: AnnotationId(3) })
        );
        assert_eq!(
            parts(vec![tagged(1, 0, 6, "Nope")]),
            Err(ProjectError::UnknownTag {
                id: AnnotationId(1),
                tag: TagId("Nope".into())
            })
        );
        assert!(matches!(
            parts(vec![tagged(1, 0, 99, "Claim")]),
            Err(ProjectError::BadSpan {
                id: AnnotationId(1),
                ..
            })
        ));
    }
}
