//! Property tests: random texts (many scripts, combining marks, emoji, CRLF),
//! random spans and random edits.
//!
//! - Always: no annotation is lost; one moved exactly or by quote marks
//!   exactly its old quote, on boundaries as good as before; a review
//!   candidate is on character boundaries and, for an ambiguous or unproven
//!   place, marks the old quote.
//! - After one edit (insert, delete, replace, move a paragraph, CRLF ↔ LF):
//!   every annotation the edit left alone moves exactly, to where its text
//!   went. "Left alone" holds for every way of making the same edit (deleting
//!   the first or the second `ab` of `ab ab` is the same change). Exempt: an
//!   annotation whose new place would cut a character (an LF that became the
//!   second half of a CRLF), which may not move there at all, and one of
//!   blank space alone beside a moved paragraph, since blank lines are alike
//!   and which of them moved cannot be told.

use std::ops::Range;

use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

const WORDS: &[&str] = &[
    "Prices",
    "e\u{301}xploded",
    "Ελλάδα",
    "мир",
    "政府",
    "👩\u{200d}👩\u{200d}👧",
    "🇺🇦",
    "naïve",
    "שלום",
    "مرحبا",
    "the",
    "a",
    "x",
    ",",
    "\t",
    "a\u{308}",
];

/// A way of making an edit: old pieces left alone, each with how far it moved.
type Placement = Vec<(Range<usize>, isize)>;

/// The new places of `span` if every placement left it alone, else `None`.
fn expected(placements: &[Placement], span: Span) -> Option<Vec<Span>> {
    let mut places = Vec::new();
    for placement in placements {
        let fits: Vec<isize> = placement
            .iter()
            .filter(|(piece, _)| piece.start <= span.start.0 && span.end.0 <= piece.end)
            .map(|(_, shift)| *shift)
            .collect();
        if fits.is_empty() {
            return None;
        }
        for shift in fits {
            let moved = |offset: ByteOffset| offset.0.checked_add_signed(shift).unwrap_or(0);
            places.push(Span::new(moved(span.start), moved(span.end)));
        }
    }
    Some(places)
}

/// Pieces around disjoint, sorted splices `(old range, new length)`.
fn around(splices: &[(Range<usize>, usize)], old_len: usize) -> Placement {
    let mut pieces = Vec::new();
    let (mut from, mut shift) = (0, 0isize);
    for (range, new_len) in splices {
        pieces.push((from..range.start, shift));
        shift += signed(*new_len) - signed(range.len());
        from = range.end;
    }
    pieces.push((from..old_len, shift));
    pieces
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

/// Every way one splice turns `old` into `new` (a pure insertion or deletion can slide over repeated text).
fn splice_placements(old: &str, new: &str) -> Vec<Placement> {
    let prefix = refine::common_prefix(old, new);
    let suffix = old.len().min(new.len()) - prefix;
    let suffix = (0..=suffix)
        .rev()
        .find(|&n| {
            old.is_char_boundary(old.len() - n) && old.as_bytes()[old.len() - n..] == new.as_bytes()[new.len() - n..]
        })
        .unwrap_or(0);
    let (removed, added) = (old.len() - prefix - suffix, new.len() - prefix - suffix);
    if removed == 0 && added == 0 {
        return vec![vec![(0..old.len(), 0)]];
    }
    if removed > 0 && added > 0 {
        return vec![around(&[(prefix..prefix + removed, added)], old.len())];
    }
    (0..=old.len().min(new.len()))
        .filter(|&at| {
            let same_before = old.get(..at).is_some_and(|o| new.get(..at) == Some(o));
            let same_after = old
                .get(at + removed..)
                .is_some_and(|o| new.get(at + added..) == Some(o));
            same_before && same_after
        })
        .map(|at| around(&[(at..at + removed, added)], old.len()))
        .collect()
}

/// The texts an edit is tried on: paragraphs of lines of words, each
/// paragraph opened by its own number so no two are alike.
fn document() -> impl Strategy<Value = String> {
    let line = prop::collection::vec(0..WORDS.len(), 1..7);
    let paragraph = prop::collection::vec(line, 1..4);
    (prop::collection::vec(paragraph, 3..6), any::<bool>()).prop_map(|(paragraphs, crlf)| {
        let line_break = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        for (number, lines) in paragraphs.iter().enumerate() {
            text.push_str("This is paragraph number ");
            text.push_str(&number.to_string());
            text.push_str(": ");
            let lines: Vec<String> = lines
                .iter()
                .map(|words| words.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" "))
                .collect();
            text.push_str(&lines.join(line_break));
            text.push_str(line_break);
            text.push_str(line_break);
        }
        text
    })
}

/// Spans on character boundaries, half of them widened to whole graphemes as the editor makes them.
fn spans_of(text: &str, picks: &[(Index, Index, bool)]) -> Vec<Span> {
    let bounds: Vec<usize> = text.char_indices().map(|(at, _)| at).chain([text.len()]).collect();
    picks
        .iter()
        .map(|(a, b, whole)| {
            let (a, b) = (bounds[a.index(bounds.len())], bounds[b.index(bounds.len())]);
            let span = Span::new(a.min(b), a.max(b));
            if *whole {
                span::snap_span_outwards(text, span)
            } else {
                span
            }
        })
        .collect()
}

/// One random edit.
#[derive(Clone, Debug)]
enum Edit {
    Splice {
        at: Index,
        length: usize,
        words: Vec<usize>,
        line_break: bool,
    },
    MoveParagraph {
        from: Index,
        to: Index,
    },
    SwitchLineBreaks,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), 0usize..12, prop::collection::vec(0..WORDS.len(), 0..4), any::<bool>())
            .prop_map(|(at, length, words, line_break)| Edit::Splice { at, length, words, line_break }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(from, to)| Edit::MoveParagraph { from, to }),
        1 => Just(Edit::SwitchLineBreaks),
    ]
}

/// The edited text and every way the edit can be read.
fn apply(old: &str, edit: &Edit) -> (String, Vec<Placement>) {
    match edit {
        Edit::Splice {
            at,
            length,
            words,
            line_break,
        } => {
            let bounds: Vec<usize> = old.char_indices().map(|(at, _)| at).chain([old.len()]).collect();
            let start = at.index(bounds.len());
            let (from, to) = (bounds[start], bounds[(start + length).min(bounds.len() - 1)]);
            let mut inserted = words.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ");
            if *line_break {
                inserted.push('\n');
            }
            let new = format!("{}{inserted}{}", &old[..from], &old[to..]);
            let placements = splice_placements(old, &new);
            (new, placements)
        }
        Edit::MoveParagraph { from, to } => move_paragraph(old, *from, *to),
        Edit::SwitchLineBreaks => {
            let (from, to) = if old.contains("\r\n") {
                ("\r\n", "\n")
            } else {
                ("\n", "\r\n")
            };
            let splices: Vec<(Range<usize>, usize)> = old
                .match_indices(from)
                .map(|(at, _)| if from == "\n" { (at..at, 1) } else { (at..at + 1, 0) })
                .collect();
            (old.replace(from, to), vec![around(&splices, old.len())])
        }
    }
}

/// Moves one paragraph (with the blank line after it) before another.
fn move_paragraph(old: &str, from: Index, to: Index) -> (String, Vec<Placement>) {
    let starts: Vec<usize> = old
        .match_indices("This is paragraph number")
        .map(|(at, _)| at)
        .chain([old.len()])
        .collect();
    let count = starts.len() - 1;
    let (p, q) = (from.index(count), to.index(count + 1));
    if q == p || q == p + 1 {
        return (old.to_owned(), vec![vec![(0..old.len(), 0)]]);
    }
    let (first, middle, last) = if q > p { (p, p + 1, q) } else { (q, p, p + 1) };
    let swapped = |x: usize, y: usize, z: usize| format!("{}{}{}{}", &old[..x], &old[y..z], &old[x..y], &old[z..]);
    let new = swapped(starts[first], starts[middle], starts[last]);
    // The same swap read with its cuts a line or two off (blank lines are alike).
    let line_starts: Vec<usize> = [0]
        .into_iter()
        .chain(old.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let near = |cut: usize| -> Vec<usize> {
        let line = line_starts.partition_point(|&start| start < cut);
        line_starts[line.saturating_sub(2)..(line + 3).min(line_starts.len())].to_vec()
    };
    let mut placements = Vec::new();
    for x in near(starts[first]) {
        for y in near(starts[middle]).into_iter().filter(|&y| y >= x) {
            for z in near(starts[last]).into_iter().filter(|&z| z >= y) {
                if swapped(x, y, z) == new {
                    let (moved_down, moved_up) = (signed(z - y), -signed(y - x));
                    placements.push(vec![(0..x, 0), (x..y, moved_down), (y..z, moved_up), (z..old.len(), 0)]);
                }
            }
        }
    }
    (new, placements)
}

/// What must hold for every outcome, whatever the edit.
fn check_outcomes(old: &str, new: &str, spans: &[Span], outcomes: &[Outcome]) -> Result<(), TestCaseError> {
    prop_assert_eq!(outcomes.len(), spans.len(), "no annotation is lost");
    for (span, outcome) in spans.iter().zip(outcomes) {
        let quote = span.quote(old).unwrap_or_default();
        let boundaries = Boundaries::of(old, *span);
        prop_assert!(
            outcome.span().check_characters(new).is_ok(),
            "{outcome:?} fits the new text"
        );
        match outcome {
            Outcome::MovedExactly(moved) | Outcome::MovedByQuote(moved) => {
                prop_assert_eq!(moved.quote(new), Some(quote), "{:?} marks its quote", outcome);
                prop_assert!(boundaries.allow(new, *moved), "{outcome:?} keeps whole graphemes");
            }
            Outcome::NeedsReview(review) => {
                prop_assert_eq!(&review.old_quote, quote);
                let candidate = review.candidate.and_then(|c| c.quote(new));
                match review.reason {
                    ReviewReason::Ambiguous { .. } | ReviewReason::ContextChanged => {
                        prop_assert_eq!(candidate, Some(quote), "{:?}", review);
                    }
                    ReviewReason::Deleted => prop_assert_eq!(candidate, None),
                    ReviewReason::QuoteChanged | ReviewReason::LineBreaksChanged => {
                        prop_assert!(candidate.is_some_and(|c| c != quote), "{review:?}");
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn one_edit_moves_every_untouched_annotation_exactly(
        old in document(),
        picks in prop::collection::vec((any::<Index>(), any::<Index>(), any::<bool>()), 0..16),
        edit in edit(),
    ) {
        let spans = spans_of(&old, &picks);
        let (new, placements) = apply(&old, &edit);
        let outcomes = reanchor(&old, &new, &spans).unwrap();
        check_outcomes(&old, &new, &spans, &outcomes)?;
        for (span, outcome) in spans.iter().zip(&outcomes) {
            let Some(places) = expected(&placements, *span) else { continue };
            let blank = span.quote(&old).is_some_and(|quote| quote.trim().is_empty());
            if blank && matches!(edit, Edit::MoveParagraph { .. }) {
                continue;
            }
            let boundaries = Boundaries::of(&old, *span);
            if places.iter().any(|place| !boundaries.allow(&new, *place)) {
                continue;
            }
            prop_assert!(
                places.iter().any(|place| *outcome == Outcome::MovedExactly(*place)),
                "{:?} of {:?} after {:?}: {:?}, expected one of {:?}", span, span.quote(&old), edit, outcome, places
            );
        }
    }

    #[test]
    fn any_edits_of_any_text_lose_nothing_and_misplace_nothing(
        old in "[ab \r\né\u{301}👍\u{200d}🇺🇦x.]{0,80}",
        picks in prop::collection::vec((any::<Index>(), any::<Index>(), any::<bool>()), 0..12),
        splices in prop::collection::vec((any::<Index>(), 0usize..10, "[ab \r\né\u{301}👍x.]{0,8}"), 1..4),
    ) {
        let spans = spans_of(&old, &picks);
        let mut new = old.clone();
        for (at, length, inserted) in &splices {
            let bounds: Vec<usize> = new.char_indices().map(|(at, _)| at).chain([new.len()]).collect();
            let start = at.index(bounds.len());
            let (from, to) = (bounds[start], bounds[(start + length).min(bounds.len() - 1)]);
            new.replace_range(from..to, inserted);
        }
        let outcomes = reanchor(&old, &new, &spans).unwrap();
        check_outcomes(&old, &new, &spans, &outcomes)?;
    }
}
