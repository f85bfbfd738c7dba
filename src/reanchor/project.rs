//! A project carried onto a new version of its text.
//!
//! The new project keeps the tag set, every annotation with its id, tags and
//! counter-claims, and the records kept for other formats. Ids do not
//! change, so whatever refers to an annotation by id still finds it: brat
//! relations, events and fragment groups kept as foreign records, and the
//! comment layout of a commented article. A comment-layout hint whose line
//! break the new text no longer uses (say CRLF after the file went LF) is
//! dropped, so an export writes the new text's own breaks; the comment
//! itself is a counter-claim and stays.

use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::project::{CommentPlacement, Project, ProjectError, SourceInfo};
use crate::model::review::ReviewMark;
use crate::model::source_text::{self, DecodeError};
use crate::model::span::Span;

use super::{Outcome, SpanDoesNotFit};

/// Why a project could not be carried onto a new text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReanchorError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Span(#[from] SpanDoesNotFit),
    #[error(transparent)]
    Project(#[from] ProjectError),
}

/// The project on the new text, and what happened to each annotation.
#[derive(Debug)]
pub struct Reanchored {
    /// Annotations that need review sit on their candidate, or on an empty
    /// span where their text was, and carry a review mark; the source
    /// records the old text's hash after any earlier ones.
    pub project: Project,
    pub report: Report,
}

/// What happened to each annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The hash of the old text's original bytes (the new one is in the project's source).
    pub previous_sha256: String,
    /// One entry per annotation, by id.
    pub entries: Vec<Entry>,
}

/// What happened to one annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: AnnotationId,
    /// Its span in the old text.
    pub old_span: Span,
    pub outcome: Outcome,
}

/// How many annotations ended in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub moved_exactly: usize,
    pub moved_by_quote: usize,
    pub needs_review: usize,
}

impl Report {
    /// How many annotations ended in each state.
    #[must_use]
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for entry in &self.entries {
            match entry.outcome {
                Outcome::MovedExactly(_) => counts.moved_exactly += 1,
                Outcome::MovedByQuote(_) => counts.moved_by_quote += 1,
                Outcome::NeedsReview(_) => counts.needs_review += 1,
            }
        }
        counts
    }
}

/// Carries `old` onto the text in `new_bytes` (decoded like any document:
/// encoding, byte-order mark and line breaks kept exactly), read from `new_path`.
pub fn reanchor_project(
    old: &Project,
    new_bytes: &[u8],
    new_path: Option<String>,
) -> Result<Reanchored, ReanchorError> {
    let decoded = source_text::decode(new_bytes)?;
    let mut source = SourceInfo::of_file(new_path, new_bytes, &decoded);
    source.previous_sha256.clone_from(&old.source().previous_sha256);
    source.previous_sha256.push(old.source().sha256.clone());
    let annotations: Vec<&Annotation> = old.annotations().collect();
    let spans: Vec<Span> = annotations.iter().map(|annotation| annotation.span).collect();
    let outcomes = super::reanchor(old.text(), &decoded.text, &spans)?;
    let moved = annotations
        .iter()
        .zip(&outcomes)
        .map(|(annotation, outcome)| Annotation {
            span: outcome.span(),
            review: review_mark(annotation, outcome),
            ..(*annotation).clone()
        })
        .collect();
    let entries = annotations
        .iter()
        .zip(outcomes)
        .map(|(annotation, outcome)| Entry {
            id: annotation.id,
            old_span: annotation.span,
            outcome,
        })
        .collect();
    let layout = kept_layout(old.comment_layout(), &decoded.text);
    let mut project = Project::from_parts(decoded.text, source, old.tag_set().clone(), moved)?;
    // Ids stay as they were, and so does the next one: no id is given twice.
    project.raise_next_annotation_id(old.next_annotation_id().0)?;
    project.set_comment_layout(layout);
    project.set_foreign_records(old.foreign_records().to_vec());
    // Relations name annotations by id, which re-anchoring keeps.
    project.set_relations(old.relations().cloned().collect())?;
    project.raise_next_relation_id(old.next_relation_id().0)?;
    project.set_document_labels(old.document_labels().clone());
    Ok(Reanchored {
        project,
        report: Report {
            previous_sha256: old.source().sha256.clone(),
            entries,
        },
    })
}

/// The mark an annotation carries on the new text: a new one when it needs
/// review (keeping the quote it was made with if it was already marked, as
/// that is the text the annotator chose), else the one it had (a mark is
/// only removed by a person).
fn review_mark(annotation: &Annotation, outcome: &Outcome) -> Option<ReviewMark> {
    match outcome {
        Outcome::NeedsReview(review) => Some(ReviewMark {
            reason: review.reason,
            old_quote: annotation
                .review
                .as_ref()
                .map_or_else(|| review.old_quote.clone(), |mark| mark.old_quote.clone()),
        }),
        Outcome::MovedExactly(_) | Outcome::MovedByQuote(_) => annotation.review.clone(),
    }
}

/// The comment-layout hints whose line break the new text still uses.
fn kept_layout(layout: &[CommentPlacement], new_text: &str) -> Vec<CommentPlacement> {
    let bytes = new_text.as_bytes();
    let (mut lf, mut crlf, mut cr) = (false, false, false);
    for (at, &byte) in bytes.iter().enumerate() {
        match byte {
            b'\n' if at > 0 && bytes[at - 1] == b'\r' => crlf = true,
            b'\n' => lf = true,
            b'\r' if bytes.get(at + 1) != Some(&b'\n') => cr = true,
            _ => {}
        }
    }
    layout
        .iter()
        .filter(|placement| match placement.line_break.as_str() {
            "\n" => lf,
            "\r\n" => crlf,
            "\r" => cr,
            _ => true,
        })
        .cloned()
        .collect()
}
