//! Finding an annotation again by its quote, with the text around it as proof.
//!
//! For each annotation the diff could not carry, the new text is searched
//! for its quote `Q` with up to [`CONTEXT_CHARS`] characters of the old text
//! before it (`P`) and after it (`S`):
//!
//! ```text
//!   old:   …the minister said [the figures were wrong] on Tuesday…
//!                         P ─┘└──────────── Q ────────┘└─ S
//! ```
//!
//! - Each place of `Q` scores how many characters of `P` precede it and of
//!   `S` follow it. Moved by quote: the one place where all of `P` or all of
//!   `S` is found (or the quote stands at the text's edge, as it did), if it
//!   also matches at least as well as every other place on the other side
//!   (so `P` matching only because the paragraph after it begins with the
//!   same letter is not taken as proof); or, with no such place, the one
//!   place whose context matches by [`CONTEXT_CHARS`] characters on both
//!   sides together and beats every other place on both sides (a short
//!   sentence moved whole); or a quote of [`LONG_QUOTE_CHARS`] characters or
//!   more found exactly once.
//! - Otherwise it needs review: the quote found in several places (the one
//!   with the most context, nearest the diff's position, is the candidate),
//!   or once without its context, or not at all (the candidate is the text
//!   the diff put in its place, if that still resembles the quote; else none,
//!   as for deleted text).
//!
//! All annotations are looked for in one pass over the new text per batch of
//! search keys ([`super::search`]), each key a short piece of `P Q`, `Q S` or `Q`;
//! every hit is then checked in full.

use std::collections::HashMap;

use super::search::{self, KEY_BYTES, Watch, head, tail};
use super::{Boundaries, Outcome, Review, ReviewReason, refine};
use crate::model::offsets::ByteOffset;
use crate::model::span::Span;

/// How many characters of the old text on each side of a quote count as its context.
pub(super) const CONTEXT_CHARS: usize = 32;
/// A quote at least this long, found exactly once, is its own proof.
const LONG_QUOTE_CHARS: usize = 32;
/// A quote this short may be replaced by anything short and still have a candidate (`wrong` → `right`).
const SHORT_QUOTE_CHARS: usize = 16;
/// How many places of a quote are kept to compare their contexts; a quote found more often is too common to place by context.
const SCORED_PLACES: usize = 64;
/// How many places with a key's worth of context are kept; more than that is too many to prove one.
const HIT_PLACES: usize = 8;
/// How far from the diff's position a candidate of a very common quote is looked for.
const WINDOW_BYTES: usize = 16 * 1024;

/// An annotation the diff could not carry.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pending {
    /// Its span in the old text.
    pub span: Span,
    pub boundaries: Boundaries,
    /// Where the diff put its text in the new text.
    pub mapped: Span,
}

/// What is looked for: a quote and its context in the old text.
struct Probe<'t> {
    quote: &'t str,
    before: &'t str,
    after: &'t str,
    boundaries: Boundaries,
}

impl Probe<'_> {
    fn span_at(&self, start: usize) -> Span {
        Span::new(start, start + self.quote.len())
    }

    /// Whether the quote lies at `start` in `new`, on the boundaries it needs.
    fn quote_at(&self, new: &str, start: usize) -> bool {
        new.get(start..start + self.quote.len()) == Some(self.quote) && self.boundaries.allow(new, self.span_at(start))
    }

    /// How many characters of the old context before the quote precede a quote at `start`.
    fn before_chars(&self, new: &str, start: usize) -> usize {
        new[..start]
            .chars()
            .rev()
            .zip(self.before.chars().rev())
            .take_while(|(a, b)| a == b)
            .count()
    }

    /// How many characters of the old context after the quote follow a quote at `start`.
    fn after_chars(&self, new: &str, start: usize) -> usize {
        new[start + self.quote.len()..]
            .chars()
            .zip(self.after.chars())
            .take_while(|(a, b)| a == b)
            .count()
    }

    /// How well a place's context matches the old one, side by side, and
    /// whether each side matches in full (all of it, or up to the text's edge
    /// when the quote stood at the old text's edge).
    fn score(&self, new: &str, start: usize) -> Score {
        let before = self.before_chars(new, start);
        let after = self.after_chars(new, start);
        Score {
            start,
            before,
            after,
            full_before: if self.before.is_empty() {
                start == 0
            } else {
                before == self.before.chars().count()
            },
            full_after: if self.after.is_empty() {
                start + self.quote.len() == new.len()
            } else {
                after == self.after.chars().count()
            },
        }
    }
}

/// How well the context of one place of a quote matches the old context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Score {
    start: usize,
    before: usize,
    after: usize,
    full_before: bool,
    full_after: bool,
}

impl Score {
    fn total(self) -> usize {
        self.before + self.after
    }

    /// Whether this place matches at least as well as every other on both sides, and better on one.
    fn beats_all(self, others: &[Score]) -> bool {
        others
            .iter()
            .filter(|other| other.start != self.start)
            .all(|other| other.before <= self.before && other.after <= self.after && other.total() < self.total())
    }
}

/// Where something was found: how often, and the first few places.
#[derive(Clone, Debug, Default)]
struct Found {
    count: usize,
    places: Vec<usize>,
}

impl Found {
    /// Counts a place, keeping up to `keep` of them.
    fn add(&mut self, at: usize, keep: usize) {
        self.count += 1;
        if self.places.len() < keep {
            self.places.push(at);
        }
    }

    fn first(&self) -> Option<usize> {
        self.places.first().copied()
    }
}

/// What the search found for one annotation.
#[derive(Clone, Debug, Default)]
struct Evidence {
    /// Places of the quote after at least a key's worth of its old context
    /// before it (or at the start of the text, when the quote began the old one).
    near_before: Found,
    /// Places of the quote before at least a key's worth of its old context after it (or at the end).
    near_after: Found,
    /// Index into the bare-quote groups.
    bare: Option<usize>,
}

/// Places each pending annotation by its quote, or says why it needs review.
pub(super) fn place(old: &str, new: &str, pending: &[Pending]) -> Vec<Outcome> {
    let probes: Vec<Probe<'_>> = pending.iter().map(|p| probe(old, p)).collect();
    let mut evidence = vec![Evidence::default(); probes.len()];
    let mut groups: Vec<(usize, Found)> = Vec::new();
    let mut group_of: HashMap<(&str, Boundaries), usize> = HashMap::new();
    let mut keys: Vec<(String, Watch)> = Vec::new();
    for (index, probe) in probes.iter().enumerate() {
        if probe.before.is_empty() {
            if probe.quote_at(new, 0) {
                evidence[index].near_before.add(0, HIT_PLACES);
            }
        } else {
            let context = tail(probe.before, KEY_BYTES);
            let key = format!("{context}{}", head(probe.quote, KEY_BYTES));
            keys.push((
                key,
                Watch::Before {
                    probe: index,
                    at: context.len(),
                },
            ));
        }
        if probe.after.is_empty() {
            if let Some(start) = new.len().checked_sub(probe.quote.len())
                && probe.quote_at(new, start)
            {
                evidence[index].near_after.add(start, HIT_PLACES);
            }
        } else {
            let quote_tail = tail(probe.quote, KEY_BYTES);
            let key = format!("{quote_tail}{}", head(probe.after, KEY_BYTES));
            keys.push((
                key,
                Watch::After {
                    probe: index,
                    at: quote_tail.len(),
                },
            ));
        }
        if !probe.quote.is_empty() {
            let group = *group_of.entry((probe.quote, probe.boundaries)).or_insert_with(|| {
                groups.push((index, Found::default()));
                keys.push((
                    head(probe.quote, 2 * KEY_BYTES).to_owned(),
                    Watch::Bare {
                        group: groups.len() - 1,
                    },
                ));
                groups.len() - 1
            });
            evidence[index].bare = Some(group);
        }
    }
    search::for_each_hit(new, &keys, |watch, key_start| match watch {
        Watch::Before { probe, at } => {
            let start = key_start + at;
            if probes[probe].quote_at(new, start) {
                evidence[probe].near_before.add(start, HIT_PLACES);
            }
        }
        Watch::After { probe, at } => {
            if let Some(start) = (key_start + at).checked_sub(probes[probe].quote.len())
                && probes[probe].quote_at(new, start)
            {
                evidence[probe].near_after.add(start, HIT_PLACES);
            }
        }
        Watch::Bare { group } => {
            let (owner, found) = &mut groups[group];
            if probes[*owner].quote_at(new, key_start) {
                found.add(key_start, SCORED_PLACES);
            }
        }
    });
    probes
        .iter()
        .zip(pending)
        .zip(&evidence)
        .map(|((probe, pending), evidence)| {
            let bare = evidence.bare.map(|group| &groups[group].1);
            decide(new, probe, pending, evidence, bare)
        })
        .collect()
}

/// The quote and its context in the old text.
fn probe<'t>(old: &'t str, pending: &Pending) -> Probe<'t> {
    let (start, end) = (pending.span.start.0, pending.span.end.0);
    let before_start = old[..start]
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(start, |(at, _)| at);
    let after_end = old[end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(old.len(), |(at, _)| end + at);
    Probe {
        quote: &old[start..end],
        before: &old[before_start..start],
        after: &old[end..after_end],
        boundaries: pending.boundaries,
    }
}

/// The outcome for one annotation, from what the search found.
fn decide(new: &str, probe: &Probe<'_>, pending: &Pending, evidence: &Evidence, bare: Option<&Found>) -> Outcome {
    let target = pending.mapped.start.0;
    let review = |reason, candidate: Option<usize>| {
        Outcome::NeedsReview(Review {
            reason,
            candidate: candidate.map(|start| probe.span_at(start)),
            position: ByteOffset(target),
            old_quote: probe.quote.to_owned(),
        })
    };
    let likeliest = |scores: &[Score]| {
        scores
            .iter()
            .max_by_key(|s| (s.total(), std::cmp::Reverse(s.start.abs_diff(target))))
            .map(|s| s.start)
    };
    let mut near: Vec<usize> = evidence
        .near_before
        .places
        .iter()
        .chain(&evidence.near_after.places)
        .copied()
        .collect();
    near.sort_unstable();
    near.dedup();
    let near: Vec<Score> = near.into_iter().map(|start| probe.score(new, start)).collect();
    let too_many = evidence.near_before.count > HIT_PLACES || evidence.near_after.count > HIT_PLACES;
    let no_places = Found::default();
    let bare = bare.unwrap_or(&no_places);
    let places = bare.count.max(near.len());
    let proven: Vec<Score> = near.iter().copied().filter(|s| s.full_before || s.full_after).collect();
    match proven.as_slice() {
        [] => {}
        [one] if !too_many && one.beats_all(&near) => return Outcome::MovedByQuote(probe.span_at(one.start)),
        _ => return review(ReviewReason::Ambiguous { places }, likeliest(&near)),
    }
    if bare.count == 0 {
        return in_place_of_the_old_text(new, probe, pending);
    }
    if bare.count == 1 && probe.quote.chars().count() >= LONG_QUOTE_CHARS {
        return Outcome::MovedByQuote(probe.span_at(bare.first().unwrap_or(target)));
    }
    if bare.count <= SCORED_PLACES {
        let scored: Vec<Score> = bare.places.iter().map(|&start| probe.score(new, start)).collect();
        if let Some(best) = scored.iter().max_by_key(|s| s.total())
            && best.total() >= CONTEXT_CHARS
            && best.beats_all(&scored)
        {
            return Outcome::MovedByQuote(probe.span_at(best.start));
        }
    }
    if bare.count == 1 {
        return review(ReviewReason::ContextChanged, bare.first());
    }
    let scored = || -> Vec<Score> { bare.places.iter().map(|&start| probe.score(new, start)).collect() };
    let best = if bare.count <= SCORED_PLACES {
        likeliest(&scored())
    } else {
        // Too common to have kept every place: look near where the diff put the text.
        best_in_window(new, probe, target).or_else(|| likeliest(&scored()))
    };
    review(ReviewReason::Ambiguous { places }, best)
}

/// The candidate of a quote that is nowhere in the new text: what the diff
/// put in its place (widened to whole characters).
fn in_place_of_the_old_text(new: &str, probe: &Probe<'_>, pending: &Pending) -> Outcome {
    let review = |reason, candidate| {
        Outcome::NeedsReview(Review {
            reason,
            candidate,
            position: pending.mapped.start,
            old_quote: probe.quote.to_owned(),
        })
    };
    if probe.quote.is_empty() {
        // A point between two characters whose neighbours changed: the diff's place is the only guess.
        return review(
            ReviewReason::ContextChanged,
            Some(Span {
                start: pending.mapped.start,
                end: pending.mapped.start,
            }),
        );
    }
    let snapped = probe.boundaries.snap(new, pending.mapped);
    let region = Some(trimmed(new, snapped, probe.quote))
        .filter(|region| probe.boundaries.allow(new, *region))
        .unwrap_or(snapped);
    let now = region.quote(new).unwrap_or_default();
    if region.is_empty() || !related(probe.quote, now) {
        return review(ReviewReason::Deleted, None);
    }
    let reason = if same_but_line_breaks(now, probe.quote) {
        ReviewReason::LineBreaksChanged
    } else {
        ReviewReason::QuoteChanged
    };
    review(reason, Some(region))
}

/// The candidate without white space at an end where the quote has none
/// (the diff's change often takes in the space or line break beside it).
fn trimmed(new: &str, region: Span, quote: &str) -> Span {
    let text = region.quote(new).unwrap_or_default();
    let mut start = region.start.0;
    let mut end = region.end.0;
    if !quote.starts_with(char::is_whitespace) {
        start += text.len() - text.trim_start().len();
    }
    if !quote.ends_with(char::is_whitespace) {
        end -= text.len() - text.trim_end().len();
    }
    if start >= end {
        return region;
    }
    Span::new(start, end)
}

/// Whether what replaced a quote is still recognisably its text: a short
/// word for a short word, or a third of the longer of the two in common.
fn related(quote: &str, now: &str) -> bool {
    let short = quote.chars().count() <= SHORT_QUOTE_CHARS && now.chars().count() <= 2 * SHORT_QUOTE_CHARS;
    // What two texts share is at most the shorter of them: no diff needed to rule out a much longer one.
    short || (now.len() <= 3 * quote.len() && 3 * refine::kept_bytes(quote, now) >= quote.len().max(now.len()))
}

/// Whether two texts differ at most in their line breaks (CRLF, LF, lone CR).
fn same_but_line_breaks(a: &str, b: &str) -> bool {
    let normal = |text: &str| text.replace("\r\n", "\n").replace('\r', "\n");
    a != b && normal(a) == normal(b)
}

/// The occurrence of the quote near `target` whose context matches the old text best.
fn best_in_window(new: &str, probe: &Probe<'_>, target: usize) -> Option<usize> {
    let mut low = target.saturating_sub(WINDOW_BYTES);
    while !new.is_char_boundary(low) {
        low -= 1;
    }
    let high = (target + WINDOW_BYTES + probe.quote.len()).min(new.len());
    search::occurrences(new, probe.quote, low..high)
        .filter(|&start| probe.quote_at(new, start))
        .max_by_key(|&start| {
            (
                probe.score(new, start).total(),
                std::cmp::Reverse(start.abs_diff(target)),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place_one(old: &str, new: &str, quote: &str) -> Outcome {
        let start = old.find(quote).unwrap();
        let span = Span::new(start, start + quote.len());
        let pending = Pending {
            span,
            boundaries: Boundaries::of(old, span),
            mapped: Span::new(0, 0),
        };
        place(old, new, &[pending]).pop().unwrap()
    }

    #[test]
    fn context_on_both_sides_together_can_prove_a_place() {
        // In a short moved sentence neither side's 32 characters of context
        // survive, but together they match by more than 32 at one place.
        let old = "A long opening sentence of the text. This short one has a word and ends. The end.";
        let new = "This short one has a word and ends. A long opening sentence of the text. The end.";
        let moved = place_one(old, new, "word");
        assert_eq!(moved, Outcome::MovedByQuote(Span::new(21, 25)));
        // With less context in common, the single place is not proof.
        let new = "Now a short one has a word, then it ends. A long opening sentence of the text.";
        assert!(matches!(place_one(old, new, "word"), Outcome::NeedsReview(_)));
    }

    #[test]
    fn one_side_of_context_is_no_proof_when_another_place_matches_the_other_side_better() {
        // "P" after the first paragraph used to begin paragraph 1; now paragraph 2 begins there.
        let old = "Paragraph 0 is here.\n\nParagraph 1 is this one.\n\nParagraph 2 is last.\n\n";
        let new = "Paragraph 0 is here.\n\nParagraph 2 is last.\n\nParagraph 1 is this one.\n\n";
        let start = old.find("Paragraph 1").unwrap();
        let span = Span::new(start, start + 1);
        let pending = Pending {
            span,
            boundaries: Boundaries::of(old, span),
            mapped: Span::new(start, start + 1),
        };
        let outcome = place(old, new, &[pending]).pop().unwrap();
        assert!(
            matches!(
                outcome,
                Outcome::NeedsReview(Review {
                    reason: ReviewReason::Ambiguous { .. },
                    ..
                })
            ),
            "{outcome:?}"
        );
    }

    #[test]
    fn line_breaks_alone_are_told_apart_from_other_changes() {
        assert!(same_but_line_breaks("a\r\nb", "a\nb"));
        assert!(same_but_line_breaks("a\rb", "a\r\nb"));
        assert!(!same_but_line_breaks("a\nb", "a\nb"));
        assert!(!same_but_line_breaks("a\nb", "a b"));
    }
}
