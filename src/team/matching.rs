//! Span matching between two annotators, for precision, recall and F1.
//!
//! The units are (span, label) pairs; each annotator's units of one label
//! are counted once each (the same span marked twice with one tag is one
//! unit). The first annotator is the reference: precision is the share of
//! the other's units that are matched, recall the share of the reference's,
//! F1 = 2·matched / (reference + other), their harmonic mean.
//!
//! - Exact: a unit matches a unit of the same label with the same start and end.
//! - Overlap: a one-to-one matching between units of the same label that
//!   share at least one code point (two empty units match when they sit at
//!   the same place), as large as possible. The reference's units are taken
//!   in order of their end (then start); each is matched to the other's
//!   unmatched overlapping unit with the smallest end, ties going to the
//!   smallest start. This greedy choice is a largest matching: any later
//!   reference unit that overlaps the chosen unit also overlaps every
//!   alternative with a larger end (it ends no earlier and starts before it
//!   ends), so taking the smallest end never blocks a later match.

use std::collections::BTreeSet;

use super::study::Unit;

/// How many units each side has and how many are matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Matching {
    /// The reference annotator's units.
    pub reference: usize,
    /// The other annotator's units.
    pub other: usize,
    /// Matched pairs.
    pub matched: usize,
}

impl Matching {
    /// The share of the other's units that are matched; undefined if it has none.
    #[must_use]
    pub fn precision(self) -> Option<f64> {
        ratio(self.matched, self.other)
    }

    /// The share of the reference's units that are matched; undefined if it has none.
    #[must_use]
    pub fn recall(self) -> Option<f64> {
        ratio(self.matched, self.reference)
    }

    /// 2·matched / (reference + other); undefined if neither has a unit.
    #[must_use]
    pub fn f1(self) -> Option<f64> {
        ratio(2 * self.matched, self.reference + self.other)
    }
}

impl std::ops::AddAssign for Matching {
    fn add_assign(&mut self, other: Self) {
        self.reference += other.reference;
        self.other += other.other;
        self.matched += other.matched;
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Exact matching of two sorted lists of distinct units.
#[must_use]
pub fn exact(reference: &[Unit], other: &[Unit]) -> Matching {
    let (mut i, mut j, mut matched) = (0, 0, 0);
    while let (Some(a), Some(b)) = (reference.get(i), other.get(j)) {
        match a.cmp(b) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matched += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Matching {
        reference: reference.len(),
        other: other.len(),
        matched,
    }
}

/// Overlap matching of two sorted lists of distinct units; see the module docs.
#[must_use]
pub fn overlap(reference: &[Unit], other: &[Unit]) -> Matching {
    let (empty_reference, mut by_end): (Vec<Unit>, Vec<Unit>) = reference.iter().partition(|unit| unit.is_empty());
    let (empty_other, by_start): (Vec<Unit>, Vec<Unit>) = other.iter().partition(|unit| unit.is_empty());
    let mut matched = exact(&empty_reference, &empty_other).matched;
    by_end.sort_unstable_by_key(|unit| (unit.end, unit.start));
    // The other's units that start before the current reference unit ends, unmatched, by (end, start).
    let mut open: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut next = 0;
    for unit in by_end {
        while let Some(candidate) = by_start.get(next).filter(|candidate| candidate.start < unit.end) {
            open.insert((candidate.end, candidate.start));
            next += 1;
        }
        // Units are distinct, so (end, start) names one; the smallest end past this unit's start overlaps it.
        if let Some(&chosen) = open.range((unit.start + 1, 0)..).next() {
            open.remove(&chosen);
            matched += 1;
        }
    }
    Matching {
        reference: reference.len(),
        other: other.len(),
        matched,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn units(ranges: &[(usize, usize)]) -> Vec<Unit> {
        let mut units: Vec<Unit> = ranges.iter().map(|&(start, end)| Unit::new(start, end)).collect();
        units.sort_unstable();
        units.dedup();
        units
    }

    #[test]
    fn exact_and_overlap_counts() {
        let a = units(&[(0, 5), (10, 20), (30, 31), (40, 40)]);
        let b = units(&[(0, 5), (12, 25), (31, 33), (40, 40), (50, 60)]);
        assert_eq!(
            exact(&a, &b),
            Matching {
                reference: 4,
                other: 5,
                matched: 2
            }
        );
        let overlapping = overlap(&a, &b);
        assert_eq!(overlapping.matched, 3, "touching (30..31, 31..33) is not overlapping");
        assert_eq!(overlapping.precision(), Some(0.6));
        assert_eq!(overlapping.recall(), Some(0.75));
        assert!((overlapping.f1().unwrap() - 2.0 * 3.0 / 9.0).abs() < 1e-15);
    }

    #[test]
    fn overlap_is_one_to_one_and_as_large_as_possible() {
        // A long reference unit could take either short one; the greedy leaves
        // the first short one for the short reference unit that needs it.
        let a = units(&[(0, 10), (0, 3)]);
        let b = units(&[(1, 2), (8, 9)]);
        assert_eq!(overlap(&a, &b).matched, 2);
        // One long unit against three short ones matches once.
        assert_eq!(
            overlap(&units(&[(0, 30)]), &units(&[(0, 5), (10, 15), (20, 25)])).matched,
            1
        );
    }

    #[test]
    fn nothing_to_match_is_undefined_not_nan() {
        let none = Matching::default();
        assert_eq!((none.precision(), none.recall(), none.f1()), (None, None, None));
        let one_sided = exact(&units(&[(0, 1)]), &[]);
        assert_eq!(one_sided.precision(), None);
        assert_eq!(one_sided.recall(), Some(0.0));
        assert_eq!(one_sided.f1(), Some(0.0));
    }

    /// The largest matching by brute force: every way to pair the first unit.
    fn largest(reference: &[Unit], other: &[Unit]) -> usize {
        let Some((first, rest)) = reference.split_first() else {
            return 0;
        };
        let mut best = largest(rest, other);
        for (index, candidate) in other.iter().enumerate() {
            let overlaps = if first.is_empty() || candidate.is_empty() {
                first == candidate
            } else {
                first.start < candidate.end && candidate.start < first.end
            };
            if overlaps {
                let mut remaining = other.to_vec();
                remaining.remove(index);
                best = best.max(1 + largest(rest, &remaining));
            }
        }
        best
    }

    fn small_units() -> impl Strategy<Value = Vec<Unit>> {
        proptest::collection::vec((0_usize..12, 0_usize..5), 0..6)
            .prop_map(|pairs| units(&pairs.into_iter().map(|(s, l)| (s, s + l)).collect::<Vec<_>>()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn greedy_overlap_matching_is_largest(a in small_units(), b in small_units()) {
            prop_assert_eq!(overlap(&a, &b).matched, largest(&a, &b));
            prop_assert_eq!(overlap(&a, &b).matched, overlap(&b, &a).matched);
        }
    }
}
