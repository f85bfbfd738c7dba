//! The text selection and how it moves: pure arithmetic over the document
//! text, no egui, so it is unit-tested on its own.
//!
//! ```text
//!   text:    N o   w a y
//!            0 1 2 3 4 5 6
//!   anchor 6, head 3  →  span [3,6) "way"; Shift+Left moves the head to 2.
//! ```
//!
//! Every offset a selection holds lies on a grapheme-cluster boundary, so a
//! selection never splits `é` (e + U+0301), an emoji sequence or a CRLF pair.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::offsets::ByteOffset;
use crate::model::span::{self, Snap, Span};

/// A selection: where the drag (or Shift-move) began and where it is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSelection {
    pub anchor: ByteOffset,
    pub head: ByteOffset,
}

/// Which way a keyboard step moves the head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// One grapheme cluster left or right.
    GraphemeBackward,
    GraphemeForward,
    /// To the previous or next word boundary.
    WordBackward,
    WordForward,
    /// To the start of the line (or of the previous one, if already there) / the end of the line (or the next).
    LineBackward,
    LineForward,
    /// To the previous or next sentence boundary (Unicode sentence boundaries, within the line).
    SentenceBackward,
    SentenceForward,
    /// To the start or the end of the document.
    DocumentStart,
    DocumentEnd,
}

impl TextSelection {
    /// A selection covering `span`, with the head at its end.
    #[must_use]
    pub fn of_span(span: Span) -> Self {
        Self {
            anchor: span.start,
            head: span.end,
        }
    }

    /// A selection from `anchor` to `head`, both snapped to grapheme boundaries
    /// (outwards, so the clusters touched are covered).
    #[must_use]
    pub fn snapped(text: &str, anchor: ByteOffset, head: ByteOffset) -> Self {
        let (anchor_snap, head_snap) = if head >= anchor {
            (Snap::Backward, Snap::Forward)
        } else {
            (Snap::Forward, Snap::Backward)
        };
        Self {
            anchor: span::snap_to_grapheme(text, anchor, anchor_snap),
            head: span::snap_to_grapheme(text, head, head_snap),
        }
    }

    /// The selected range, start before end.
    #[must_use]
    pub fn span(self) -> Span {
        Span {
            start: self.anchor.min(self.head),
            end: self.anchor.max(self.head),
        }
    }

    /// A bare caret at `offset`.
    #[must_use]
    pub fn caret(offset: ByteOffset) -> Self {
        Self {
            anchor: offset,
            head: offset,
        }
    }

    /// The selection collapsed to a caret at its head.
    #[must_use]
    pub fn collapsed(self) -> Self {
        Self::caret(self.head)
    }

    /// Whether nothing is selected (a bare caret).
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.anchor == self.head
    }

    /// The selection with its head moved one step; `line` is the line (without
    /// its line break) that holds the head.
    #[must_use]
    pub fn moved(self, text: &str, line: Span, step: Step) -> Self {
        let head = match step {
            // Word boundaries can fall inside a cluster (odd regional-indicator
            // runs), so they are snapped like any other offset.
            Step::WordBackward => {
                span::snap_to_grapheme(text, word_boundary_before(text, line, self.head), Snap::Backward)
            }
            Step::WordForward => {
                span::snap_to_grapheme(text, word_boundary_after(text, line, self.head), Snap::Forward)
            }
            Step::LineBackward if self.head > line.start => line.start,
            Step::LineForward if self.head < line.end => line.end,
            Step::SentenceBackward if self.head > line.start => {
                span::snap_to_grapheme(text, sentence_boundary_before(text, line, self.head), Snap::Backward)
            }
            Step::SentenceForward if self.head < line.end => {
                span::snap_to_grapheme(text, sentence_boundary_after(text, line, self.head), Snap::Forward)
            }
            Step::DocumentStart => ByteOffset(0),
            Step::DocumentEnd => ByteOffset(text.len()),
            // At a line's edge, a line step crosses the line break like a character step.
            Step::GraphemeBackward | Step::LineBackward | Step::SentenceBackward => previous_boundary(text, self.head),
            Step::GraphemeForward | Step::LineForward | Step::SentenceForward => next_boundary(text, self.head),
        };
        Self { head, ..self }
    }
}

/// The grapheme boundary before `offset` (0 at the start).
#[must_use]
pub fn previous_boundary(text: &str, offset: ByteOffset) -> ByteOffset {
    if offset.0 == 0 {
        return offset;
    }
    span::snap_to_grapheme(text, ByteOffset(offset.0 - 1), Snap::Backward)
}

/// The grapheme boundary after `offset` (the text's end at the end).
#[must_use]
pub fn next_boundary(text: &str, offset: ByteOffset) -> ByteOffset {
    if offset.0 >= text.len() {
        return ByteOffset(text.len());
    }
    span::snap_to_grapheme(text, ByteOffset(offset.0 + 1), Snap::Forward)
}

/// The word (or run of spaces or punctuation) under `offset`, within `line`,
/// by Unicode word boundaries: what a double-click selects.
#[must_use]
pub fn word_at(text: &str, line: Span, offset: ByteOffset) -> Span {
    let Some(line_text) = line.quote(text) else {
        return Span::new(offset.0, offset.0);
    };
    let local = offset.0.saturating_sub(line.start.0);
    let mut last = None;
    for (start, word) in line_text.split_word_bound_indices() {
        let end = start + word.len();
        let found = span::snap_span_outwards(text, Span::new(line.start.0 + start, line.start.0 + end));
        if local < end {
            return found;
        }
        last = Some(found);
    }
    last.unwrap_or(line)
}

fn word_boundary_before(text: &str, line: Span, offset: ByteOffset) -> ByteOffset {
    if offset <= line.start {
        return previous_boundary(text, offset);
    }
    let word = word_at(text, line, previous_boundary(text, offset));
    let word = if is_blank(text, word) && word.start > line.start {
        word_at(text, line, previous_boundary(text, word.start))
    } else {
        word
    };
    word.start
}

fn word_boundary_after(text: &str, line: Span, offset: ByteOffset) -> ByteOffset {
    if offset >= line.end {
        return next_boundary(text, offset);
    }
    let word = word_at(text, line, offset);
    let word = if is_blank(text, word) && word.end < line.end {
        word_at(text, line, word.end)
    } else {
        word
    };
    word.end
}

/// The sentences of `line` by Unicode sentence boundaries (UAX #29), each
/// without its trailing spaces, skipping blank ones.
#[must_use]
pub fn sentences_in(text: &str, line: Span) -> Vec<Span> {
    let Some(line_text) = line.quote(text) else {
        return Vec::new();
    };
    line_text
        .split_sentence_bound_indices()
        .filter_map(|(start, sentence)| {
            let trimmed = sentence.trim_end();
            let leading = trimmed.len() - trimmed.trim_start().len();
            (!trimmed.trim_start().is_empty()).then(|| {
                let found = Span::new(line.start.0 + start + leading, line.start.0 + start + trimmed.len());
                span::snap_span_outwards(text, found)
            })
        })
        .collect()
}

/// The nearest sentence start or end before `offset` within `line` (the line's start if none).
fn sentence_boundary_before(text: &str, line: Span, offset: ByteOffset) -> ByteOffset {
    sentences_in(text, line)
        .iter()
        .flat_map(|sentence| [sentence.start, sentence.end])
        .filter(|boundary| *boundary < offset)
        .max()
        .unwrap_or(line.start)
}

/// The nearest sentence start or end after `offset` within `line` (the line's end if none).
fn sentence_boundary_after(text: &str, line: Span, offset: ByteOffset) -> ByteOffset {
    sentences_in(text, line)
        .iter()
        .flat_map(|sentence| [sentence.start, sentence.end])
        .filter(|boundary| *boundary > offset)
        .min()
        .unwrap_or(line.end)
}

fn is_blank(text: &str, span: Span) -> bool {
    span.quote(text).is_some_and(|s| s.chars().all(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads markup where `[` marks the anchor and `|` the head: `"No [way|"`.
    fn parse(marked: &str) -> (String, TextSelection) {
        let mut text = String::new();
        let (mut anchor, mut head) = (0, 0);
        for ch in marked.chars() {
            match ch {
                '[' => anchor = text.len(),
                '|' => head = text.len(),
                _ => text.push(ch),
            }
        }
        (
            text,
            TextSelection {
                anchor: ByteOffset(anchor),
                head: ByteOffset(head),
            },
        )
    }

    fn whole(text: &str) -> Span {
        Span::new(0, text.len())
    }

    #[test]
    fn markup_reads_anchor_and_head() {
        let (text, selection) = parse("No [way|");
        assert_eq!(text, "No way");
        assert_eq!(selection.span(), Span::new(3, 6));
    }

    #[test]
    fn shift_arrows_step_over_whole_clusters() {
        let (text, selection) = parse("[a|e\u{301}👩\u{200d}👧b");
        let line = whole(&text);
        let once = selection.moved(&text, line, Step::GraphemeForward);
        assert_eq!(once.span().quote(&text), Some("ae\u{301}"));
        let twice = once.moved(&text, line, Step::GraphemeForward);
        assert_eq!(twice.span().quote(&text), Some("ae\u{301}👩\u{200d}👧"));
        assert_eq!(twice.moved(&text, line, Step::GraphemeBackward), once);
    }

    #[test]
    fn crlf_is_never_split() {
        let text = "ab\r\ncd";
        assert_eq!(next_boundary(text, ByteOffset(2)), ByteOffset(4));
        assert_eq!(previous_boundary(text, ByteOffset(4)), ByteOffset(2));
        let dragged = TextSelection::snapped(text, ByteOffset(0), ByteOffset(3));
        assert_eq!(dragged.span(), Span::new(0, 4));
    }

    #[test]
    fn words_and_line_steps() {
        let text = "Prices exploded, they said.";
        let line = whole(text);
        assert_eq!(word_at(text, line, ByteOffset(9)).quote(text), Some("exploded"));
        assert_eq!(word_at(text, line, ByteOffset(6)).quote(text), Some(" "));
        let caret = TextSelection {
            anchor: ByteOffset(0),
            head: ByteOffset(0),
        };
        let word = caret.moved(text, line, Step::WordForward);
        assert_eq!(word.head, ByteOffset(6));
        assert_eq!(word.moved(text, line, Step::WordForward).head, ByteOffset(15));
        assert_eq!(caret.moved(text, line, Step::LineForward).head, ByteOffset(text.len()));
        let end = TextSelection {
            anchor: ByteOffset(27),
            head: ByteOffset(27),
        };
        assert_eq!(end.moved(text, line, Step::WordBackward).head, ByteOffset(26));
        assert_eq!(end.moved(text, line, Step::LineBackward).head, ByteOffset(0));
    }

    #[test]
    fn sentences_are_found_and_stepped_over() {
        let text = "Prices exploded. Nobody knows why!  Or do they? ";
        let line = whole(text);
        let quotes: Vec<&str> = sentences_in(text, line)
            .iter()
            .map(|s| s.quote(text).unwrap())
            .collect();
        assert_eq!(quotes, ["Prices exploded.", "Nobody knows why!", "Or do they?"]);
        let (_, caret) = parse("Prices [|exploded. Nobody knows why!  Or do they? ");
        let forward = caret.moved(text, line, Step::SentenceForward);
        assert_eq!(forward.span().quote(text), Some("exploded."));
        let twice = forward.moved(text, line, Step::SentenceForward);
        assert_eq!(twice.head.0, text.find("Nobody").unwrap());
        assert_eq!(twice.moved(text, line, Step::SentenceBackward), forward);
        let end = caret.moved(text, line, Step::DocumentEnd);
        assert_eq!(end.head.0, text.len());
        assert_eq!(end.moved(text, line, Step::DocumentStart).head.0, 0);
    }

    proptest! {
        #[test]
        fn selections_always_lie_on_cluster_boundaries(
            text in "[ab .!\r\né\u{301}👩\u{200d}🇺🇦]{0,30}",
            a in 0usize..120,
            b in 0usize..120,
            steps in proptest::collection::vec(0usize..8, 0..8),
        ) {
            let mut selection = TextSelection::snapped(&text, ByteOffset(a.min(text.len())), ByteOffset(b.min(text.len())));
            let line = whole(&text);
            for step in steps {
                let step = [Step::GraphemeBackward, Step::GraphemeForward, Step::WordBackward,
                            Step::WordForward, Step::LineBackward, Step::LineForward,
                            Step::SentenceBackward, Step::SentenceForward][step];
                selection = selection.moved(&text, line, step);
                prop_assert_eq!(selection.span().check_graphemes(&text), Ok(()));
            }
            prop_assert_eq!(selection.span().check_graphemes(&text), Ok(()));
        }
    }
}
