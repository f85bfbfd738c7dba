//! Krippendorff's α for unitizing (`α_u`): agreement on where units lie in a
//! continuum and which stretches are left out, weighted by length, for units
//! that need not align or may be missing.
//!
//! Sources: K. Krippendorff, "On the reliability of unitizing contiguous
//! data", *Sociological Methodology* 25 (1995) 47–76; K. Krippendorff,
//! *Content Analysis: An Introduction to Its Methodology*, 2nd ed. (Sage,
//! 2004), §12.4, pp. 251–256. Reference implementation: DKPro Agreement
//! (C. M. Meyer et al., COLING 2014 demo),
//! `dkpro-statistics-agreement/src/main/java/org/dkpro/statistics/agreement/unitizing/KrippendorffAlphaUnitizingAgreement.java`
//! at commit f7f4f89 of github.com/dkpro/dkpro-statistics; this module
//! computes what that class computes, and its tests reproduce that class's
//! test cases (Krippendorff's worked examples).
//!
//! For one category c, each of the m annotators cuts the continuum of length
//! L into segments: their units of c, and the gaps between them. In the
//! notation of Krippendorff (2004), with b a segment's start, e its end and
//! l its length:
//!
//! ```text
//! δ²(g, h)  for overlapping segments g and h of two annotators:
//!           both units:                         (b_g − b_h)² + (e_g − e_h)²
//!           a unit wholly inside the other's gap: l²   (of the unit)
//!           otherwise (two gaps, or a unit sticking out of the gap): 0
//!
//! D_o = 2 · Σ_{pairs of annotators} Σ_{overlapping segments} δ²  /  (m (m − 1) L²)
//!
//! D_e = (2 / L) · Σ_{units u of c} [ (N_c − 1)(2l³ − 3l² + l) / 3
//!                                    + l² · Σ_{gaps g with l_g ≥ l} (l_g − l + 1) ]
//!       /  ( mL (mL − 1) − Σ_{units u of c} l (l − 1) )
//!
//!   N_c: the number of units of c of all annotators; the gaps: all
//!   annotators' gaps between their units of c.
//!
//! α_u(c) = 1 − D_o / D_e;   over all categories  α_u = 1 − Σ_c D_o / Σ_c D_e
//! ```
//!
//! The pooled figure is DKPro's: it averages both disagreements over the
//! categories, which gives the same ratio.
//!
//! The definition asks that one annotator's units of one category never
//! overlap; units an annotator let overlap or nest are joined into their
//! union first ([`joined`]); units that only touch stay two units. Empty
//! units have no length and carry no weight, so they are left out.
//! Undefined (`None`) with fewer than two annotators or when the expected
//! disagreement is 0 (no unit of any length).
//!
//! Sums are kept in whole numbers (`u128`: exact for texts of billions of
//! characters) and divided at the end; the inner sum over gaps uses the gap
//! lengths sorted with running sums, so the cost is O(n log n) in the number
//! of units, not units × gaps as a direct loop would be.

use super::study::Unit;

/// Observed and expected disagreement on one category.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Disagreement {
    pub observed: f64,
    pub expected: f64,
}

impl Disagreement {
    /// `α_u` of this category: one minus observed over expected
    /// disagreement; undefined when the expected disagreement is 0.
    #[must_use]
    pub fn alpha(self) -> Option<f64> {
        pooled_alpha(&[self])
    }
}

/// `α_u` over several categories: one minus the sum of their observed over
/// the sum of their expected disagreements; undefined when that sum is 0.
#[must_use]
pub fn pooled_alpha(categories: &[Disagreement]) -> Option<f64> {
    let observed: f64 = categories.iter().map(|d| d.observed).sum();
    let expected: f64 = categories.iter().map(|d| d.expected).sum();
    (expected > 0.0).then(|| 1.0 - observed / expected)
}

/// One annotator's units of one category as the definition needs them:
/// sorted, empty ones left out, overlapping or nested ones joined.
#[must_use]
pub fn joined(units: &[Unit]) -> Vec<Unit> {
    let mut sorted: Vec<Unit> = units.iter().copied().filter(|unit| !unit.is_empty()).collect();
    sorted.sort_unstable();
    let mut joined: Vec<Unit> = Vec::with_capacity(sorted.len());
    for unit in sorted {
        match joined.last_mut() {
            Some(last) if unit.start < last.end => last.end = last.end.max(unit.end),
            _ => joined.push(unit),
        }
    }
    joined
}

/// One stretch of an annotator's cut of the continuum.
#[derive(Clone, Copy, Debug)]
struct Segment {
    start: u128,
    end: u128,
    is_unit: bool,
}

/// The units and the gaps around them, covering `[0, length)`.
fn segments(length: usize, units: &[Unit]) -> Vec<Segment> {
    let mut segments = Vec::with_capacity(2 * units.len() + 1);
    let mut at = 0;
    for unit in units {
        if unit.start > at {
            segments.push(segment(at, unit.start, false));
        }
        segments.push(segment(unit.start, unit.end, true));
        at = unit.end;
    }
    if at < length {
        segments.push(segment(at, length, false));
    }
    segments
}

fn segment(start: usize, end: usize, is_unit: bool) -> Segment {
    Segment {
        start: start as u128,
        end: end as u128,
        is_unit,
    }
}

/// The squared distance of two overlapping segments of two annotators.
fn distance(g: Segment, h: Segment) -> u128 {
    let squared = |a: u128, b: u128| a.abs_diff(b).pow(2);
    match (g.is_unit, h.is_unit) {
        (true, true) => squared(g.start, h.start) + squared(g.end, h.end),
        (true, false) if h.start <= g.start && g.end <= h.end => squared(g.end, g.start),
        (false, true) if g.start <= h.start && h.end <= g.end => squared(h.end, h.start),
        _ => 0,
    }
}

/// The sum of distances over every pair of overlapping segments of two cuts.
fn pair_distance(first: &[Segment], second: &[Segment]) -> u128 {
    let (mut i, mut j, mut sum) = (0, 0, 0);
    while let (Some(&g), Some(&h)) = (first.get(i), second.get(j)) {
        sum += distance(g, h);
        match g.end.cmp(&h.end) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The observed and expected disagreement of one category in a continuum of `length` positions, given
/// each annotator's units of it (within the continuum; they are [`joined`] here).
#[must_use]
pub fn disagreement(length: usize, annotators: &[&[Unit]]) -> Disagreement {
    let raters = annotators.len() as u128;
    let length_wide = length as u128;
    if raters < 2 || length == 0 {
        return Disagreement::default();
    }
    let annotators: Vec<Vec<Unit>> = annotators.iter().map(|units| joined(units)).collect();
    let cuts: Vec<Vec<Segment>> = annotators.iter().map(|units| segments(length, units)).collect();
    let mut observed_sum = 0;
    for (index, first) in cuts.iter().enumerate() {
        for second in &cuts[index + 1..] {
            observed_sum += pair_distance(first, second);
        }
    }
    let observed = 2.0 * observed_sum as f64 / ((raters * (raters - 1)) as f64 * (length_wide * length_wide) as f64);

    let mut gaps: Vec<u128> = cuts
        .iter()
        .flatten()
        .filter(|segment| !segment.is_unit)
        .map(|segment| segment.end - segment.start)
        .collect();
    gaps.sort_unstable();
    // gap_sums[i]: the sum of gaps[i..].
    let mut gap_sums = vec![0_u128; gaps.len() + 1];
    for index in (0..gaps.len()).rev() {
        gap_sums[index] = gap_sums[index + 1] + gaps[index];
    }
    let units = annotators.iter().flatten();
    let unit_count = units.clone().count() as u128;
    let mut spread = 0_u128;
    let mut self_pairs = 0_u128;
    for unit in units {
        let l = unit.len() as u128;
        let first_fitting = gaps.partition_point(|&gap| gap < l);
        let fitting = (gaps.len() - first_fitting) as u128;
        // Σ (l_g − l + 1) over the gaps at least as long as the unit.
        let placements = gap_sums[first_fitting] + fitting - l * fitting;
        // l(l − 1)(2l − 1) is six times a sum of squares, so the division is exact.
        spread += (unit_count - 1) * (l * (l - 1) * (2 * l - 1) / 3) + l * l * placements;
        self_pairs += l * (l - 1);
    }
    let total = raters * length_wide;
    let pairs = total * (total - 1) - self_pairs;
    let expected = if spread == 0 {
        0.0
    } else {
        2.0 * spread as f64 / (length as f64 * pairs as f64)
    };
    Disagreement { observed, expected }
}

#[cfg(test)]
mod tests;
