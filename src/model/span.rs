//! Spans: half-open byte ranges of the text, and the rules they obey.
//!
//! ```text
//!   text:  N o   w a y
//!          0 1 2 3 4 5 6
//!   Span { start: 3, end: 6 } marks "way"; start is inclusive, end exclusive.
//! ```
//!
//! A span made in the editor never splits a grapheme cluster (`é` written as
//! `e` + U+0301, a ZWJ family, a flag) nor a CRLF pair, which Unicode treats
//! as one cluster. A span imported from another tool only has to stay on
//! character boundaries; if it splits a cluster it is kept and flagged.

use unicode_segmentation::GraphemeCursor;

use super::offsets::ByteOffset;

/// A half-open range `[start, end)` of byte offsets into the document text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: ByteOffset,
    pub end: ByteOffset,
}

/// Why a span does not fit its text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("the span ends ({end}) before it starts ({start})")]
    Reversed { start: usize, end: usize },
    #[error("the span ends at byte {end}, past the end of the text ({len} bytes)")]
    OutOfRange { end: usize, len: usize },
    #[error("byte offset {0} falls inside a UTF-8 character")]
    InsideCharacter(usize),
    #[error("byte offset {0} falls between the CR and LF of a line break")]
    InsideCrlf(usize),
    #[error("byte offset {0} falls inside a grapheme cluster (a character built of several code points)")]
    InsideGrapheme(usize),
}

impl Span {
    /// A span from `start` to `end` in bytes.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: ByteOffset(start),
            end: ByteOffset(end),
        }
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(self) -> usize {
        self.end.0.saturating_sub(self.start.0)
    }

    /// Whether the span covers nothing (an anchor between two characters).
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// Whether the two spans share at least one byte.
    #[must_use]
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The marked text; `None` if the span does not fit `text`.
    #[must_use]
    pub fn quote(self, text: &str) -> Option<&str> {
        text.get(self.start.0..self.end.0)
    }

    /// Checks what every span must satisfy: ordered, in range, on character boundaries.
    pub fn check_characters(self, text: &str) -> Result<(), SpanError> {
        if self.end < self.start {
            return Err(SpanError::Reversed {
                start: self.start.0,
                end: self.end.0,
            });
        }
        if self.end.0 > text.len() {
            return Err(SpanError::OutOfRange {
                end: self.end.0,
                len: text.len(),
            });
        }
        for offset in [self.start, self.end] {
            if !text.is_char_boundary(offset.0) {
                return Err(SpanError::InsideCharacter(offset.0));
            }
        }
        Ok(())
    }

    /// Checks what a span made in the editor must satisfy: also never inside a
    /// grapheme cluster or a CRLF pair.
    pub fn check_graphemes(self, text: &str) -> Result<(), SpanError> {
        self.check_characters(text)?;
        for offset in [self.start, self.end] {
            if !is_grapheme_boundary(text, offset) {
                let bytes = text.as_bytes();
                let inside_crlf = offset.0 > 0 && bytes[offset.0 - 1] == b'\r' && bytes.get(offset.0) == Some(&b'\n');
                return Err(if inside_crlf {
                    SpanError::InsideCrlf(offset.0)
                } else {
                    SpanError::InsideGrapheme(offset.0)
                });
            }
        }
        Ok(())
    }

    /// Whether a span that fits its characters splits a grapheme cluster (the
    /// flag shown on imported spans).
    #[must_use]
    pub fn splits_grapheme(self, text: &str) -> bool {
        self.check_characters(text).is_ok() && self.check_graphemes(text).is_err()
    }
}

/// Whether `offset` lies between two grapheme clusters of `text`.
/// Offsets inside a character or past the end are not boundaries.
#[must_use]
pub fn is_grapheme_boundary(text: &str, offset: ByteOffset) -> bool {
    if offset.0 > text.len() || !text.is_char_boundary(offset.0) {
        return false;
    }
    GraphemeCursor::new(offset.0, text.len(), true)
        .is_boundary(text, 0)
        .unwrap_or(false)
}

/// Which way to move an offset that is not on a grapheme boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snap {
    Backward,
    Forward,
}

/// The nearest grapheme boundary at or before/after `offset`, clamped to the text.
#[must_use]
pub fn snap_to_grapheme(text: &str, offset: ByteOffset, snap: Snap) -> ByteOffset {
    let mut at = offset.0.min(text.len());
    while !text.is_char_boundary(at) {
        match snap {
            Snap::Backward => at -= 1,
            Snap::Forward => at += 1,
        }
    }
    if is_grapheme_boundary(text, ByteOffset(at)) {
        return ByteOffset(at);
    }
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    let moved = match snap {
        Snap::Backward => cursor.prev_boundary(text, 0),
        Snap::Forward => cursor.next_boundary(text, 0),
    };
    ByteOffset(moved.ok().flatten().unwrap_or(match snap {
        Snap::Backward => 0,
        Snap::Forward => text.len(),
    }))
}

/// Snaps a span outwards so that it covers whole grapheme clusters.
#[must_use]
pub fn snap_span_outwards(text: &str, span: Span) -> Span {
    Span {
        start: snap_to_grapheme(text, span.start, Snap::Backward),
        end: snap_to_grapheme(text, span.end, Snap::Forward),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clusters_and_crlf_are_not_split() {
        let text = "e\u{301} 👩\u{200d}👩\u{200d}👧 🇺🇦 a\r\nb";
        let e_acute = Span::new(0, 1);
        assert_eq!(e_acute.check_graphemes(text), Err(SpanError::InsideGrapheme(1)));
        assert!(e_acute.splits_grapheme(text));
        assert_eq!(Span::new(0, 3).check_graphemes(text), Ok(()));
        let crlf_at = text.find('\r').unwrap();
        assert_eq!(
            Span::new(0, crlf_at + 1).check_graphemes(text),
            Err(SpanError::InsideCrlf(crlf_at + 1))
        );
        let flag_at = text.find('🇺').unwrap();
        assert_eq!(
            Span::new(flag_at, flag_at + 4).check_graphemes(text),
            Err(SpanError::InsideGrapheme(flag_at + 4))
        );
    }

    #[test]
    fn character_rules_are_checked_first() {
        let text = "a👍";
        assert_eq!(
            Span::new(0, 2).check_characters(text),
            Err(SpanError::InsideCharacter(2))
        );
        assert_eq!(
            Span::new(0, 9).check_characters(text),
            Err(SpanError::OutOfRange { end: 9, len: 5 })
        );
        assert_eq!(
            Span::new(3, 1).check_characters(text),
            Err(SpanError::Reversed { start: 3, end: 1 })
        );
        assert!(
            !Span::new(0, 2).splits_grapheme(text),
            "off a character is an error, not a flag"
        );
    }

    #[test]
    fn snapping_moves_to_the_cluster_edges() {
        let text = "ab👩\u{200d}👩\u{200d}👧cd";
        let family = Span::new(2, text.len() - 2);
        assert_eq!(snap_span_outwards(text, Span::new(6, 8)), family);
        assert_eq!(snap_to_grapheme(text, ByteOffset(3), Snap::Backward), ByteOffset(2));
        assert_eq!(
            snap_to_grapheme(text, ByteOffset(99), Snap::Forward),
            ByteOffset(text.len())
        );
    }

    proptest! {
        #[test]
        fn snapped_spans_always_pass_the_editor_rules(
            text in "[a\r\né\u{301}👩\u{200d}🇺🇦 ]{0,40}",
            a in 0usize..200,
            b in 0usize..200,
        ) {
            let (start, end) = (a.min(b).min(text.len()), a.max(b).min(text.len()));
            let span = snap_span_outwards(&text, Span::new(start, end));
            prop_assert_eq!(span.check_graphemes(&text), Ok(()));
            prop_assert!(span.start.0 <= start && span.end.0 >= end);
        }
    }
}
