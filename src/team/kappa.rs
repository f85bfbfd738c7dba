//! Cohen's κ for two annotators and Fleiss' κ for more, over binary
//! decisions: for each item (a character, or a token) and label, an annotator
//! marked it or did not.
//!
//! - Cohen (1960): κ = (Pₒ − Pₑ) / (1 − Pₑ), Pₒ the share of items on which
//!   the two agree, Pₑ = p₁p₂ + (1 − p₁)(1 − p₂) with pᵢ the share annotator
//!   i marked. Computed in whole numbers (× N²) and divided once.
//! - Fleiss (1971): P̄ is the mean over items of the share of agreeing
//!   ordered pairs of annotators, P̄ₑ = p² + (1 − p)² with p the share of all
//!   decisions that mark; κ = (P̄ − P̄ₑ) / (1 − P̄ₑ). For two annotators it is
//!   Scott's π; it is the "multi-π" of Artstein and Poesio (2008) and
//!   Siegel and Castellan's K, which NLTK computes as `AnnotationTask.pi`.
//!
//! Undefined (`None`) when there are no items, fewer than two annotators,
//! or no variation (Pₑ = 1: every annotator marked every item, or none did),
//! where chance cannot be told from agreement.

use super::coverage::{GroupCounts, PairCounts};

/// Cohen's κ of two annotators' decisions; see the module docs.
#[must_use]
pub fn cohen(counts: PairCounts) -> Option<f64> {
    let PairCounts {
        items,
        first,
        second,
        both,
    } = counts;
    let (n, a, b, ab) = (
        i128::from(items),
        i128::from(first),
        i128::from(second),
        i128::from(both),
    );
    let neither = n - a - b + ab;
    // Both scaled by N²: observed agreement Pₒ·N² and chance agreement Pₑ·N².
    let observed = (ab + neither) * n;
    let chance = a * b + (n - a) * (n - b);
    let room = n * n - chance;
    if n == 0 || room == 0 {
        return None;
    }
    Some((observed - chance) as f64 / room as f64)
}

/// Fleiss' κ of several annotators' decisions; see the module docs.
#[must_use]
pub fn fleiss(counts: &GroupCounts) -> Option<f64> {
    let raters = counts.raters();
    let items: u64 = counts.by_markers.iter().sum();
    let marks: u64 = counts
        .by_markers
        .iter()
        .enumerate()
        .map(|(markers, &n)| markers as u64 * n)
        .sum();
    let decisions = items * raters as u64;
    if raters < 2 || items == 0 || marks == 0 || marks == decisions {
        return None;
    }
    let n = raters as f64;
    // Ordered pairs of annotators who agree on an item marked by k of them.
    let agreeing_pairs: f64 = counts
        .by_markers
        .iter()
        .enumerate()
        .map(|(k, &count)| {
            let k = k as f64;
            count as f64 * (k * (k - 1.0) + (n - k) * (n - k - 1.0))
        })
        .sum();
    let observed = agreeing_pairs / (items as f64 * n * (n - 1.0));
    let p = marks as f64 / decisions as f64;
    let chance = p * p + (1.0 - p) * (1.0 - p);
    Some((observed - chance) / (1.0 - chance))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(items: u64, first: u64, second: u64, both: u64) -> PairCounts {
        PairCounts {
            items,
            first,
            second,
            both,
        }
    }

    #[test]
    fn cohen_of_perfect_chance_level_and_opposite_decisions() {
        assert_eq!(cohen(pair(10, 4, 4, 4)), Some(1.0));
        // Each marked half the items, and they share half of those: exactly what chance gives.
        assert_eq!(cohen(pair(4, 2, 2, 1)), Some(0.0));
        // One marked the first half, the other the second.
        assert_eq!(cohen(pair(10, 5, 5, 0)), Some(-1.0));
    }

    #[test]
    fn cohen_is_undefined_without_items_or_variation() {
        assert_eq!(cohen(pair(0, 0, 0, 0)), None);
        assert_eq!(cohen(pair(10, 0, 0, 0)), None, "no one marked anything");
        assert_eq!(cohen(pair(10, 10, 10, 10)), None, "both marked everything");
        assert_eq!(
            cohen(pair(10, 10, 0, 0)),
            Some(0.0),
            "one marked all, one nothing: no agreement beyond chance"
        );
    }

    #[test]
    fn cohen_matches_krippendorff_1995_example_a() {
        // The digitised example A of Krippendorff (1995), as DKPro Agreement's
        // Krippendorff1995Test gives it: 24 items, Bertha marks 14, Bill 6, both 6; κ = 0.385.
        let kappa = cohen(pair(24, 14, 6, 6)).unwrap();
        assert!((kappa - 0.385).abs() < 0.001, "{kappa}");
    }

    #[test]
    fn fleiss_of_two_annotators_is_scotts_pi() {
        // Example A again: Scott's π = 0.314 (Krippendorff 1995, via DKPro's test).
        // Items: 6 marked by both, 8 by one, 10 by none.
        let counts = GroupCounts {
            by_markers: vec![10, 8, 6],
        };
        let pi = fleiss(&counts).unwrap();
        assert!((pi - 0.314).abs() < 0.001, "{pi}");
    }

    #[test]
    fn fleiss_is_undefined_without_raters_items_or_variation() {
        assert_eq!(fleiss(&GroupCounts { by_markers: vec![5, 0] }), None, "one annotator");
        assert_eq!(
            fleiss(&GroupCounts {
                by_markers: vec![0, 0, 0]
            }),
            None,
            "no items"
        );
        assert_eq!(
            fleiss(&GroupCounts {
                by_markers: vec![7, 0, 0, 0]
            }),
            None,
            "no marks"
        );
        assert_eq!(
            fleiss(&GroupCounts {
                by_markers: vec![0, 0, 0, 7]
            }),
            None,
            "all marked"
        );
        assert_eq!(
            fleiss(&GroupCounts {
                by_markers: vec![3, 0, 0, 4]
            }),
            Some(1.0)
        );
    }
}
