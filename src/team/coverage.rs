//! Which characters or tokens an annotator marked with a label, as sorted
//! disjoint ranges, and the counts the κ figures are made of; and what a
//! token is.
//!
//! A token is a segment between two word boundaries of Unicode's text
//! segmentation (UAX #29, as `unicode-segmentation`'s `split_word_bounds`
//! finds them) that is not all white space: a word, a number, a punctuation
//! mark, an emoji, one CJK ideograph. A token counts as marked when a marked
//! range shares at least one code point with it.

use unicode_segmentation::UnicodeSegmentation;

use super::study::Unit;

/// The tokens of `text`, as code-point ranges; see the module docs.
#[must_use]
pub fn tokens(text: &str) -> Vec<Unit> {
    let mut tokens = Vec::new();
    let mut at = 0;
    for segment in text.split_word_bounds() {
        let length = segment.chars().count();
        if !segment.chars().all(char::is_whitespace) {
            tokens.push(Unit::new(at, at + length));
        }
        at += length;
    }
    tokens
}

/// The positions some ranges cover: sorted, disjoint ranges, none touching
/// the next (touching ones are joined), none empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage(Vec<Unit>);

impl Coverage {
    /// The positions `units` cover (they must be sorted by start).
    #[must_use]
    pub fn of(units: &[Unit]) -> Self {
        let mut joined: Vec<Unit> = Vec::with_capacity(units.len());
        for &unit in units.iter().filter(|unit| !unit.is_empty()) {
            match joined.last_mut() {
                Some(last) if unit.start <= last.end => last.end = last.end.max(unit.end),
                _ => joined.push(unit),
            }
        }
        Self(joined)
    }

    /// The ranges.
    #[must_use]
    pub fn ranges(&self) -> &[Unit] {
        &self.0
    }

    /// How many positions are covered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.iter().map(|unit| unit.len()).sum()
    }

    /// Whether nothing is covered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many positions both cover.
    #[must_use]
    pub fn shared(&self, other: &Coverage) -> usize {
        let (mut i, mut j, mut shared) = (0, 0, 0);
        while let (Some(a), Some(b)) = (self.0.get(i), other.0.get(j)) {
            shared += a.end.min(b.end).saturating_sub(a.start.max(b.start));
            if a.end <= b.end {
                i += 1;
            } else {
                j += 1;
            }
        }
        shared
    }
}

/// The same marks counted in tokens, for several coverages at once: the
/// indices of the tokens that share a code point with a covered range.
///
/// Every range end of every coverage is sorted once and the tokens are read
/// once, in order: a search per range would jump across a token list of
/// millions of entries for each of them (15 MB for a 5 MB text), and that
/// reading from all over memory cost ten times as much.
#[must_use]
pub fn on_tokens(coverages: &[&Coverage], tokens: &[Unit]) -> Vec<Coverage> {
    // (position, slot): slot 2i is where range i's first token goes, 2i + 1 where its end does.
    let mut ends: Vec<(usize, usize)> = coverages
        .iter()
        .flat_map(|coverage| coverage.ranges())
        .enumerate()
        .flat_map(|(index, range)| [(range.start, 2 * index), (range.end, 2 * index + 1)])
        .collect();
    ends.sort_unstable();
    let mut found = vec![0; ends.len()];
    let mut ended = 0;
    for (position, slot) in ends {
        // Tokens that end at or before the position.
        while tokens.get(ended).is_some_and(|token| token.end <= position) {
            ended += 1;
        }
        found[slot] = if slot % 2 == 0 {
            ended
        } else {
            // Tokens that start before the position: also the one it falls inside.
            ended + usize::from(tokens.get(ended).is_some_and(|token| token.start < position))
        };
    }
    let mut found = found.chunks_exact(2).map(|pair| Unit::new(pair[0], pair[1]));
    coverages
        .iter()
        .map(|coverage| Coverage::of(&found.by_ref().take(coverage.ranges().len()).collect::<Vec<_>>()))
        .collect()
}

/// The counts Cohen's κ is made of, for two annotators and one label (or
/// several labels pooled by adding their counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PairCounts {
    /// The items each decision is about (characters or tokens).
    pub items: u64,
    /// Items the first annotator marked.
    pub first: u64,
    /// Items the second annotator marked.
    pub second: u64,
    /// Items both marked.
    pub both: u64,
}

impl PairCounts {
    /// The counts for two coverages of `items` positions.
    #[must_use]
    pub fn of(items: usize, first: &Coverage, second: &Coverage) -> Self {
        Self {
            items: items as u64,
            first: first.len() as u64,
            second: second.len() as u64,
            both: first.shared(second) as u64,
        }
    }
}

impl std::ops::AddAssign for PairCounts {
    fn add_assign(&mut self, other: Self) {
        self.items += other.items;
        self.first += other.first;
        self.second += other.second;
        self.both += other.both;
    }
}

/// The counts Fleiss' κ is made of: for each `k`, how many items exactly
/// `k` of the annotators marked (several labels pool by adding them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupCounts {
    /// `by_markers[k]`: items marked by exactly `k` annotators; its length is
    /// the number of annotators plus one.
    pub by_markers: Vec<u64>,
}

impl GroupCounts {
    /// The counts of coverages over `items` positions: a sweep over the
    /// ranges' ends, so the cost follows the number of ranges, not of items.
    #[must_use]
    pub fn of(items: usize, coverages: &[&Coverage]) -> Self {
        let mut events: Vec<(usize, bool)> = coverages
            .iter()
            .flat_map(|coverage| {
                coverage
                    .ranges()
                    .iter()
                    .flat_map(|range| [(range.start, true), (range.end, false)])
            })
            .collect();
        // Ends before starts at one position: a range that ends where another begins never counts twice.
        events.sort_unstable();
        let mut by_markers = vec![0; coverages.len() + 1];
        let (mut at, mut markers) = (0, 0_usize);
        for (position, starts) in events {
            by_markers[markers] += (position - at) as u64;
            at = position;
            if starts {
                markers += 1;
            } else {
                markers -= 1;
            }
        }
        by_markers[0] += items.saturating_sub(at) as u64;
        Self { by_markers }
    }

    /// How many annotators.
    #[must_use]
    pub fn raters(&self) -> usize {
        self.by_markers.len().saturating_sub(1)
    }
}

impl std::ops::AddAssign<&GroupCounts> for GroupCounts {
    fn add_assign(&mut self, other: &GroupCounts) {
        if self.by_markers.len() < other.by_markers.len() {
            self.by_markers.resize(other.by_markers.len(), 0);
        }
        for (mine, theirs) in self.by_markers.iter_mut().zip(&other.by_markers) {
            *mine += theirs;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(ranges: &[(usize, usize)]) -> Vec<Unit> {
        ranges.iter().map(|&(start, end)| Unit::new(start, end)).collect()
    }

    #[test]
    fn tokens_are_words_numbers_punctuation_and_emoji_not_spaces() {
        let text = "Moscow denied it, café 👍 2021\r\n政府 e\u{301}te\u{301}!";
        let found: Vec<String> = tokens(text)
            .iter()
            .map(|t| text.chars().skip(t.start).take(t.len()).collect())
            .collect();
        assert_eq!(
            found,
            [
                "Moscow",
                "denied",
                "it",
                ",",
                "café",
                "👍",
                "2021",
                "政",
                "府",
                "e\u{301}te\u{301}",
                "!"
            ]
        );
    }

    #[test]
    fn coverage_joins_overlapping_and_touching_ranges_and_drops_empty_ones() {
        let coverage = Coverage::of(&units(&[(0, 3), (2, 5), (5, 6), (7, 7), (8, 10)]));
        assert_eq!(coverage.ranges(), units(&[(0, 6), (8, 10)]));
        assert_eq!(coverage.len(), 8);
        let other = Coverage::of(&units(&[(4, 9)]));
        assert_eq!(coverage.shared(&other), 3);
        assert_eq!(other.shared(&coverage), 3);
    }

    #[test]
    fn a_token_is_marked_when_a_range_touches_one_of_its_characters() {
        let tokens = units(&[(0, 3), (4, 8), (9, 12), (13, 14)]);
        let marked = Coverage::of(&units(&[(2, 3), (7, 10), (12, 13)]));
        let space = Coverage::of(&units(&[(3, 4)]));
        let found = on_tokens(&[&marked, &space], &tokens);
        assert_eq!(found[0].ranges(), units(&[(0, 3)]));
        assert!(found[1].is_empty(), "a space alone marks no token");
    }

    #[test]
    fn several_coverages_are_counted_in_tokens_at_once() {
        let tokens: Vec<Unit> = (0..100).map(|i| Unit::new(3 * i, 3 * i + 2)).collect();
        let marked = Coverage::of(&units(&[(0, 1), (4, 5), (5, 10), (290, 400)]));
        let spaces = Coverage::of(&units(&[(2, 3), (5, 6)]));
        let inside = Coverage::of(&units(&[(7, 7), (4, 4), (31, 32)]));
        let found = on_tokens(&[&marked, &spaces, &inside, &Coverage::default()], &tokens);
        assert_eq!(found[0].ranges(), units(&[(0, 4), (97, 100)]));
        assert!(found[1].is_empty(), "spaces between tokens mark none");
        assert_eq!(found[2].ranges(), units(&[(10, 11)]), "empty ranges mark nothing");
        assert!(found[3].is_empty());
    }

    #[test]
    fn group_counts_sweep_the_ranges() {
        let a = Coverage::of(&units(&[(0, 4)]));
        let b = Coverage::of(&units(&[(2, 6)]));
        let c = Coverage::of(&units(&[(4, 5)]));
        let counts = GroupCounts::of(10, &[&a, &b, &c]);
        assert_eq!(counts.by_markers, vec![4, 3, 3, 0]);
        assert_eq!(counts.by_markers.iter().sum::<u64>(), 10);
        let pair = PairCounts::of(10, &a, &b);
        assert_eq!(
            pair,
            PairCounts {
                items: 10,
                first: 4,
                second: 4,
                both: 2
            }
        );
    }
}
