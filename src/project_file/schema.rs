//! The shape of a project file on disk (format version 3) and its conversion
//! to and from the in-memory [`Project`].
//!
//! Versions: 3 adds what re-anchoring leaves for a person to look at: the
//! source's `previous_sha256` (the hashes of the earlier versions of the
//! text the annotations were carried from, oldest first) and an annotation's
//! `review` mark, written only when set:
//!
//! ```text
//! (id: 7, start: 120, end: 126, quote: "Mosoow", review: Some((reason: "quote-changed", old_quote: "Moscow"))),
//! (id: 9, start: 40, end: 43, quote: "the", review: Some((reason: "ambiguous", places: 12, old_quote: "the"))),
//! (id: 8, start: 300, end: 300, quote: "", review: Some((reason: "deleted", old_quote: "gone"))),
//! ```
//!
//! A marked annotation's `start`, `end` and `quote` are its place in this
//! text (the candidate, or an empty span where its old text was), so
//! `text[start:end] == quote` holds for every annotation and is checked on
//! loading as always. Its `old_quote` is the text it marked in the version
//! it was made on, which may differ from `quote`; it belongs to an earlier
//! text, so loading checks only that it is there, that the reason is one of
//! `quote-changed`, `line-breaks-changed`, `ambiguous`, `context-changed`,
//! `deleted`, and that `places` (how many places the quote is found in)
//! comes only with `ambiguous`. Version 1 and 2 files open with no marks.
//!
//! Version 3 also added argument structure, all of it optional so a version 1
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
//! and they are written as the current version when saved.
//!
//! Version 3 gives every annotation a `uid` beside its number (32 hex digits,
//! a UUID; see [`crate::model::uid`]), which stays unique when annotators
//! add annotations independently, and adds the `conflicts` a merge left to
//! resolve (absent when there are none): each names the annotation (by uid)
//! or tag (by id), the fields in conflict, and the base, ours and theirs
//! versions as records (`None` where a side has none), checked on load like
//! every record. Version 1 and 2 files open: their annotations get uids
//! derived from the text and the number ([`crate::model::uid::Uid::derived`]),
//! the same for everyone who opens the same file.
//!
//! In memory, spans are UTF-8 byte offsets; on disk they are Unicode code
//! points, so `text[start:end]` in Python gives the quote. The conversion
//! happens here and nowhere else, through [`OffsetIndex`].

use serde::{Deserialize, Serialize};

use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::attributes::{AttributeDecl, AttributeValues};
use crate::model::conflict::{Conflict, ConflictField, Sides};
use crate::model::lines::lines_keeping_breaks;
use crate::model::offsets::{ByteOffset, CharOffset, OffsetError, OffsetIndex};
use crate::model::project::{CommentPlacement, ForeignRecord, Project, ProjectError, SourceInfo};
use crate::model::relations::{Relation, RelationType};
use crate::model::review::{ReviewMark, ReviewReason};
use crate::model::source_text;
use crate::model::span::Span;
use crate::model::tag_set::{Tag, TagId, TagSet};
use crate::model::uid::Uid;

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
// given twice. `sha256` is of the text in its encoding (and BOM). `uid` is an
// annotation's identity across annotators' copies (32 hex digits); `conflicts`,
// when present, lists what a merge left to resolve.
// After re-anchoring onto a new version of the text, `previous_sha256` lists
// the earlier texts' hashes, and an annotation that needs review has a
// `review` mark: its quote is what it marks now, the mark's `old_quote` what
// it marked in the version of the text it was made on.
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
    /// What a merge left to resolve (version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ConflictRecord>,
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
    /// Absent before version 3: the loader derives one.
    #[serde(default, skip_serializing_if = "no_uid")]
    pub uid: Uid,
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
    /// Set when the annotation needs review (version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewRecord>,
}

/// A review mark as written.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRecord {
    /// [`ReviewReason::name`].
    pub reason: String,
    /// How many places the old quote is found in (`ambiguous` only).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub places: usize,
    pub old_quote: String,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(places: &usize) -> bool {
    *places == 0
}

impl ReviewRecord {
    fn of(mark: &ReviewMark) -> Self {
        Self {
            reason: mark.reason.name().to_owned(),
            places: match mark.reason {
                ReviewReason::Ambiguous { places } => places,
                _ => 0,
            },
            old_quote: mark.old_quote.clone(),
        }
    }

    fn into_mark(self, id: AnnotationId) -> Result<ReviewMark, ContentError> {
        let reason = ReviewReason::from_name(&self.reason, self.places)
            .filter(|reason| self.places == 0 || matches!(reason, ReviewReason::Ambiguous { .. }))
            .ok_or_else(|| ContentError::BadReview {
                id,
                reason: self.reason.clone(),
                places: self.places,
            })?;
        Ok(ReviewMark {
            reason,
            old_quote: self.old_quote,
        })
    }
}

fn no_uid(uid: &Uid) -> bool {
    uid.is_none()
}

/// One conflict a merge left, as written (see [`Conflict`]).
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(
    clippy::large_enum_variant,
    reason = "a record lives only while one file is read or written"
)]
pub enum ConflictRecord {
    Annotation {
        uid: Uid,
        fields: Vec<ConflictField>,
        base: Option<AnnotationRecord>,
        ours: Option<AnnotationRecord>,
        theirs: Option<AnnotationRecord>,
    },
    Tag {
        id: TagId,
        fields: Vec<ConflictField>,
        base: Option<Tag>,
        ours: Option<Tag>,
        theirs: Option<Tag>,
    },
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
    #[error(
        "annotation {id}: its review reason {} {} is not one this program knows ({}; `places` goes only with ambiguous)",
        echo(.reason),
        if *.places == 0 { String::new() } else { format!("with places: {}", .places) },
        ReviewReason::NAMES.join(", ")
    )]
    BadReview {
        id: AnnotationId,
        reason: String,
        places: usize,
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
        let mut file = Self::skeleton(project)?;
        file.annotations = records(project)?
            .into_iter()
            .map(|record| {
                // Every field named, so one added to `Annotation` cannot be left out unnoticed.
                let RecordRef {
                    annotation:
                        Annotation {
                            id,
                            uid,
                            span: _,
                            tags,
                            counter_claims,
                            review,
                            attributes,
                        },
                    start,
                    end,
                    quote,
                } = record;
                AnnotationRecord {
                    id: *id,
                    uid: *uid,
                    start,
                    end,
                    quote: quote.to_owned(),
                    tags: tags.clone(),
                    counter_claims: counter_claims.clone(),
                    review: review.as_ref().map(ReviewRecord::of),
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
    pub fn skeleton(project: &Project) -> Result<Self, SerializeError> {
        // Every field named, so one added to the tag set cannot be left out unnoticed.
        let TagSet {
            tags,
            relation_types,
            document_labels: document_label_declarations,
        } = project.tag_set();
        let conflicts = if project.conflicts().is_empty() {
            Vec::new()
        } else {
            let index = OffsetIndex::new(project.text());
            project
                .conflicts()
                .iter()
                .map(|conflict| ConflictRecord::of(conflict, project.text(), &index))
                .collect::<Result<_, _>>()?
        };
        Ok(Self {
            format: FORMAT_NAME.to_owned(),
            version: CURRENT_VERSION,
            offsets: OFFSET_UNIT.to_owned(),
            source: project.source().clone(),
            tag_set: tags.clone(),
            next_annotation_id: project.next_annotation_id().0,
            annotations: Vec::new(),
            comment_layout: project.comment_layout().to_vec(),
            foreign_records: project.foreign_records().to_vec(),
            conflicts,
            relation_types: relation_types.clone(),
            document_label_declarations: document_label_declarations.clone(),
            document_labels: project.document_labels().clone(),
            next_relation_id: project.next_relation_id().0,
            relations: project.relations().cloned().collect(),
            text: Vec::new(),
        })
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
            conflicts,
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
        let conflicts = conflicts
            .into_iter()
            .map(|record| record.into_conflict(&text, &index))
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
        project.set_conflicts(conflicts);
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
        for record in self.conflicts {
            if let Err(problem) = record.into_conflict(&text, &index) {
                problems.push(problem);
            }
        }
        let mut seen_uids = std::collections::HashMap::new();
        for annotation in &annotations {
            if annotation.uid.is_none() {
                continue;
            }
            if let Some(first) = seen_uids.insert(annotation.uid, annotation.id) {
                problems.push(
                    ProjectError::DuplicateUid {
                        first,
                        second: annotation.id,
                        uid: annotation.uid,
                    }
                    .into(),
                );
            }
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
    /// What its review mark says, in words (offsets in code points, as in
    /// the file); `None` when it has none.
    #[must_use]
    pub fn review_in_words(&self) -> Option<String> {
        let review = self.review.as_ref()?;
        let Self {
            id, start, end, quote, ..
        } = self;
        let old = echo(&review.old_quote);
        Some(match review.reason.as_str() {
            "deleted" => format!(
                "annotation {id} needs review (deleted): its text {old} is gone; it waits at {start} to be placed on a span or deleted"
            ),
            "ambiguous" => format!(
                "annotation {id} at {start}..{end} needs review (ambiguous): its text {old} is found in {} places; it sits on the likeliest",
                review.places
            ),
            reason => format!(
                "annotation {id} at {start}..{end} needs review ({}): it marked {old} and now marks {}",
                echo(reason),
                echo(quote)
            ),
        })
    }

    /// The annotation in byte offsets, after checking offsets and quote against the text.
    fn into_annotation(self, text: &str, index: &OffsetIndex) -> Result<Annotation, ContentError> {
        // Every field named, so one added to the record cannot be left out unnoticed.
        let AnnotationRecord {
            id,
            uid,
            start: start_char,
            end: end_char,
            quote,
            tags,
            counter_claims,
            review,
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
        let review = review.map(|review| review.into_mark(id)).transpose()?;
        Ok(Annotation {
            id,
            uid,
            span,
            tags,
            counter_claims,
            review,
            attributes,
        })
    }

    /// The record of one annotation (code points and quote).
    fn of(annotation: &Annotation, text: &str, index: &OffsetIndex) -> Result<Self, SerializeError> {
        let Annotation {
            id,
            uid,
            span,
            tags,
            counter_claims,
            review,
            attributes,
        } = annotation;
        let off_text = || SerializeError::SpanOffText {
            id: *id,
            start: span.start.0,
            end: span.end.0,
        };
        let to_chars = |offset: ByteOffset| index.byte_to_char(text, offset).map_err(|_| off_text());
        Ok(Self {
            id: *id,
            uid: *uid,
            start: to_chars(span.start)?.0,
            end: to_chars(span.end)?.0,
            quote: span.quote(text).ok_or_else(off_text)?.to_owned(),
            tags: tags.clone(),
            counter_claims: counter_claims.clone(),
            review: review.as_ref().map(ReviewRecord::of),
            attributes: attributes.clone(),
        })
    }
}

impl ConflictRecord {
    fn of(conflict: &Conflict, text: &str, index: &OffsetIndex) -> Result<Self, SerializeError> {
        let record = |side: &Option<Annotation>| {
            side.as_ref()
                .map(|annotation| AnnotationRecord::of(annotation, text, index))
                .transpose()
        };
        Ok(match conflict {
            Conflict::Annotation { uid, fields, sides } => ConflictRecord::Annotation {
                uid: *uid,
                fields: fields.clone(),
                base: record(&sides.base)?,
                ours: record(&sides.ours)?,
                theirs: record(&sides.theirs)?,
            },
            Conflict::Tag { id, fields, sides } => ConflictRecord::Tag {
                id: id.clone(),
                fields: fields.clone(),
                base: sides.base.clone(),
                ours: sides.ours.clone(),
                theirs: sides.theirs.clone(),
            },
        })
    }

    /// The conflict, with each side's offsets and quote checked against the text.
    fn into_conflict(self, text: &str, index: &OffsetIndex) -> Result<Conflict, ContentError> {
        let annotation =
            |side: Option<AnnotationRecord>| side.map(|record| record.into_annotation(text, index)).transpose();
        Ok(match self {
            ConflictRecord::Annotation {
                uid,
                fields,
                base,
                ours,
                theirs,
            } => Conflict::Annotation {
                uid,
                fields,
                sides: Sides {
                    base: annotation(base)?,
                    ours: annotation(ours)?,
                    theirs: annotation(theirs)?,
                },
            },
            ConflictRecord::Tag {
                id,
                fields,
                base,
                ours,
                theirs,
            } => Conflict::Tag {
                id,
                fields,
                sides: Sides { base, ours, theirs },
            },
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
