//! Re-anchoring: carrying annotations from one version of a text onto the next.
//!
//! Owns: the diff of two texts ([`align`], with [`refine`] and [`moves`]),
//! the search by quote ([`quote`]), the outcome of every annotation
//! ([`Outcome`]) and the project on the new text ([`project`]). Pure: texts
//! and spans in, spans and outcomes out.
//!
//! Never: reads or writes files, touches the window, changes the old
//! project, drops an annotation, or places one on text that differs from its
//! quote without saying that it needs review.
//!
//! Each annotation ends in one of three states:
//!
//! - **moved exactly**: its whole span lies in one stretch of text the change
//!   left alone (or in a block of lines that moved whole), found by a diff of
//!   the two texts (imara-diff, lines then characters, see [`align`]);
//! - **moved by quote**: the diff could not carry it, but its quote with the
//!   text around it is found in the new text at exactly one place ([`quote`]);
//! - **needs review**: the quote changed, or is found in several places, or
//!   once without its context; the annotation keeps its old quote and the
//!   best candidate place (or none, when its text was deleted).
//!
//! Spans stay on character boundaries, and a span that was on grapheme
//! boundaries (as every span made in the editor is) is never carried to a
//! place where it would cut a grapheme cluster or a CRLF pair.
//!
//! Why a diff by lines first: a whole file whose line breaks changed from
//! CRLF to LF (or back) still lines up line by line, because lines are
//! compared without their breaks; every annotation within a line then moves
//! exactly, and one that spans a changed break needs review with the reason
//! [`ReviewReason::LineBreaksChanged`] (its candidate differs only in line
//! breaks), so the review list can accept those in one go.
//!
//! # What the project file carries (format version 3)
//!
//! Each annotation that needs review carries a [`crate::model::review::ReviewMark`]
//! in the new project, written to the file as below (the exact form is in
//! `project_file::schema`: ron writes `review: Some((…))`):
//!
//! ```text
//! source: (path: …, encoding: "UTF-8", bom: false, sha256: "<new>",
//!          previous_sha256: ["<oldest>", …, "<last>"]),   // each re-anchoring appends one
//! annotations: [
//!     (id: 7, start: 120, end: 126, quote: "Mosoow",        // start/end/quote: the candidate, so
//!      review: (reason: "quote-changed",                     // text[start:end] == quote still holds
//!               old_quote: "Moscow")),
//!     (id: 8, start: 300, end: 300, quote: "",              // no candidate: an empty span where the
//!      review: (reason: "deleted", old_quote: "…")),       // old text was
//!     (id: 9, start: 40, end: 43, quote: "the",
//!      review: (reason: "ambiguous", places: 12, old_quote: "the")),
//! ]
//! ```
//!
//! `review` is omitted when there is nothing to review; reasons are
//! `quote-changed`, `line-breaks-changed`, `ambiguous`, `context-changed`,
//! `deleted`. Loading keeps the marks; `counterpoint check` lists each
//! marked annotation (exit status 2); accepting, re-selecting or deleting one
//! in the window's review list is an `Edit` that removes the mark. An
//! annotation already marked keeps the old quote it was made with when it is
//! carried onto a further version, and a mark is only ever removed by a person.

mod align;
mod moves;
pub mod project;
#[cfg(test)]
mod properties;
mod quote;
mod refine;
mod search;
#[cfg(test)]
mod tests;

pub use crate::model::review::ReviewReason;

use crate::model::offsets::ByteOffset;
use crate::model::span::{self, Snap, Span, SpanError};

/// Where an annotation went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Its span lies in text the change left alone; this is where that text is now.
    MovedExactly(Span),
    /// The change touched its surroundings, but its quote with its context is found here, and only here.
    MovedByQuote(Span),
    /// It could not be placed with proof.
    NeedsReview(Review),
}

impl Outcome {
    /// Where the annotation sits in the new text: its new span, the review
    /// candidate, or an empty span where its text was.
    #[must_use]
    pub fn span(&self) -> Span {
        match self {
            Outcome::MovedExactly(span) | Outcome::MovedByQuote(span) => *span,
            Outcome::NeedsReview(review) => review.candidate.unwrap_or(Span {
                start: review.position,
                end: review.position,
            }),
        }
    }
}

/// An annotation that needs a person to look at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub reason: ReviewReason,
    /// The best place for it in the new text, if any.
    pub candidate: Option<Span>,
    /// Where the diff put its old text in the new text.
    pub position: ByteOffset,
    /// The text it marked in the old version.
    pub old_quote: String,
}

/// Why spans could not be re-anchored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("span {index} does not fit the old text: {source}")]
pub struct SpanDoesNotFit {
    pub index: usize,
    pub source: SpanError,
}

/// Carries `spans` of `old` onto `new`: one outcome per span, in the same order.
pub fn reanchor(old: &str, new: &str, spans: &[Span]) -> Result<Vec<Outcome>, SpanDoesNotFit> {
    for (index, span) in spans.iter().enumerate() {
        span.check_characters(old)
            .map_err(|source| SpanDoesNotFit { index, source })?;
    }
    let alignment = align::Alignment::new(old, new);
    let mut outcomes = Vec::with_capacity(spans.len());
    let mut pending = Vec::new();
    let mut pending_at = Vec::new();
    for &span in spans {
        let boundaries = Boundaries::of(old, span);
        let moved = alignment
            .exact(old, new, span)
            .map(|start| Span::new(start, start + span.len()))
            .filter(|moved| boundaries.allow(new, *moved));
        if let Some(moved) = moved {
            outcomes.push(Outcome::MovedExactly(moved));
        } else {
            pending_at.push(outcomes.len());
            let mapped = alignment.mapped(span);
            outcomes.push(Outcome::NeedsReview(Review {
                reason: ReviewReason::Deleted,
                candidate: None,
                position: mapped.start,
                old_quote: String::new(),
            }));
            pending.push(quote::Pending {
                span,
                boundaries,
                mapped,
            });
        }
    }
    for (at, outcome) in pending_at.into_iter().zip(quote::place(old, new, &pending)) {
        outcomes[at] = outcome;
    }
    Ok(outcomes)
}

/// Which ends of a span must stay on grapheme boundaries: those that were.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Boundaries {
    start: bool,
    end: bool,
}

impl Boundaries {
    fn of(text: &str, span: Span) -> Self {
        Self {
            start: is_boundary(text, span.start.0),
            end: is_boundary(text, span.end.0),
        }
    }

    /// Whether `span` of `text` keeps the boundaries this asks for.
    fn allow(self, text: &str, span: Span) -> bool {
        text.is_char_boundary(span.start.0)
            && text.is_char_boundary(span.end.0)
            && (!self.start || is_boundary(text, span.start.0))
            && (!self.end || is_boundary(text, span.end.0))
    }

    /// `span` widened where needed so it keeps the boundaries this asks for.
    fn snap(self, text: &str, span: Span) -> Span {
        let start = if self.start {
            span::snap_to_grapheme(text, span.start, Snap::Backward)
        } else {
            span.start
        };
        let end = if self.end {
            span::snap_to_grapheme(text, span.end, Snap::Forward)
        } else {
            span.end
        };
        Span { start, end }
    }
}

/// Whether `at` is a grapheme boundary of `text`; two ASCII characters other
/// than CR LF always have one between them, which answers most calls at once.
fn is_boundary(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    if at == 0 || at == bytes.len() {
        return true;
    }
    match (bytes.get(at - 1), bytes.get(at)) {
        (Some(&before), Some(&after)) if before.is_ascii() && after.is_ascii() => !(before == b'\r' && after == b'\n'),
        _ => span::is_grapheme_boundary(text, ByteOffset(at)),
    }
}
