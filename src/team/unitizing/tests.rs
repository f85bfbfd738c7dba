//! `α_u` against the test cases of DKPro Agreement (which reproduce
//! Krippendorff's published worked examples; values and tolerances as that
//! project's tests state them), and against a line-by-line port of DKPro's
//! own algorithm on random studies.

use proptest::prelude::*;

use super::*;

fn unit(begin: usize, length: usize) -> Unit {
    Unit::new(begin, begin + length)
}

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} is not within {tolerance} of {expected}"
    );
}

fn study(annotators: &[Vec<Unit>]) -> Vec<&[Unit]> {
    annotators.iter().map(Vec::as_slice).collect()
}

/// Krippendorff (2004, p. 254), as DKPro's `Krippendorff2004Test`: a
/// continuum from 150 to 450, shifted here to start at 0.
#[test]
fn krippendorff_2004_worked_example() {
    let at = |begin: usize, length: usize| unit(begin - 150, length);
    let c = [
        vec![at(225, 70), at(370, 30)],
        vec![at(220, 80), at(355, 20), at(400, 20)],
    ];
    let k = [vec![at(180, 60), at(300, 50)], vec![at(180, 60), at(300, 50)]];
    let c = disagreement(300, &study(&c));
    let k = disagreement(300, &study(&k));
    close(c.observed, 0.0144, 0.0001);
    close(c.expected, 0.0532, 0.0001);
    close(c.alpha().unwrap(), 0.7286, 0.0001);
    close(k.observed, 0.0, 0.0001);
    close(k.expected, 0.0490, 0.0001);
    close(k.alpha().unwrap(), 1.0, 0.0001);
    close(pooled_alpha(&[c, k]).unwrap(), 0.8591, 0.0005);
}

/// Krippendorff (1995, p. 57), as DKPro's `Krippendorff1995Test`: four
/// pairs of coders on 24 positions, each position stretched by `stretch`.
fn krippendorff_1995(stretch: usize) -> [[Vec<Unit>; 2]; 4] {
    let u = |begin: usize, length: usize| unit(begin * stretch, length * stretch);
    [
        [vec![u(2, 8), u(14, 6)], vec![u(4, 4), u(15, 2)]],
        [
            vec![u(0, 18)],
            vec![u(0, 2), u(2, 1), u(3, 1), u(4, 1), u(5, 1), u(6, 3), u(9, 1)],
        ],
        [
            vec![u(2, 6), u(10, 2), u(14, 4), u(20, 2)],
            vec![u(0, 2), u(4, 4), u(10, 4), u(16, 2), u(20, 2)],
        ],
        [
            vec![u(0, 2), u(2, 8), u(10, 4), u(14, 6), u(20, 4)],
            vec![u(0, 4), u(4, 4), u(8, 7), u(15, 2), u(17, 7)],
        ],
    ]
}

#[test]
fn krippendorff_1995_worked_examples() {
    let observed = [0.03125, 2.26736, 0.02777, 0.38715];
    for (pair, expected) in krippendorff_1995(1).iter().zip(observed) {
        close(disagreement(24, &study(pair)).observed, expected, 0.00001);
    }
    // The paper's expected disagreement assumes a continuum fine enough to be continuous.
    let stretch = 1_200_000 / 24;
    let expected = [0.06990, 1.17731, 0.08642, 0.41445];
    let alpha = [0.553, -0.926, 0.679, 0.066];
    for ((pair, expected), alpha) in krippendorff_1995(stretch).iter().zip(expected).zip(alpha) {
        let figures = disagreement(24 * stretch, &study(pair));
        close(figures.expected, expected, 0.005);
        close(figures.alpha().unwrap(), alpha, 0.02);
    }
}

#[test]
fn krippendorff_1995_example_c_at_several_resolutions() {
    for (stretch_times_2, expected, expected_tolerance, alpha) in [
        (1, 0.05494, 0.00001, 0.494),
        (10, 0.08234, 0.005, 0.663),
        (100, 0.08600, 0.005, 0.677),
        (1000, 0.08638, 0.005, 0.678),
        (10_000, 0.08642, 0.005, 0.679),
    ] {
        // Every boundary of example C is even, so half-stretches are whole positions.
        let [_, _, c, _] = krippendorff_1995(stretch_times_2);
        let halved: Vec<Vec<Unit>> = c
            .iter()
            .map(|units| units.iter().map(|u| Unit::new(u.start / 2, u.end / 2)).collect())
            .collect();
        let figures = disagreement(12 * stretch_times_2, &study(&halved));
        close(figures.observed, 0.02777, 0.00001);
        close(figures.expected, expected, expected_tolerance);
        close(figures.alpha().unwrap(), alpha, 0.02);
    }
}

/// DKPro's `UnitizingAgreementTest`.
#[test]
fn dkpro_unitizing_agreement_tests() {
    let example = [vec![unit(1, 8)], vec![unit(2, 1), unit(4, 1), unit(6, 1)]];
    let figures = disagreement(10, &study(&example));
    close(figures.observed, 0.9100, 0.0001);
    close(figures.expected, 0.5351, 0.0001);
    close(figures.alpha().unwrap(), -0.7003, 0.0001);

    // One unit of one of three annotators: D_o = D_e, so α = 0.
    let single = [vec![unit(0, 1)], vec![], vec![]];
    close(disagreement(20, &study(&single)).alpha().unwrap(), 0.0, 1e-12);

    // No units: DKPro gives NaN; here it is undefined.
    assert_eq!(disagreement(20, &study(&[vec![], vec![], vec![]])).alpha(), None);

    // Only empty units carry no weight: DKPro gives 0.0, here it is undefined.
    let empty = [vec![unit(0, 0)], vec![unit(0, 0)]];
    assert_eq!(disagreement(15, &study(&empty)).alpha(), None);

    // An empty unit beside agreeing units changes nothing: α = 1.
    let mixed = [vec![unit(0, 0), unit(2, 5)], vec![unit(2, 5)]];
    close(disagreement(15, &study(&mixed)).alpha().unwrap(), 1.0, 0.001);
}

/// DKPro's distance tests (`Krippendorff2004Test`, `UnitizingAgreementTest`):
/// `measureDistance(begin, length, category, begin, length, category)`.
#[test]
fn distances_of_krippendorff_2004() {
    let measure = |b1: u128, l1: u128, unit1: bool, b2: u128, l2: u128, unit2: bool| {
        let g = Segment {
            start: b1,
            end: b1 + l1,
            is_unit: unit1,
        };
        let h = Segment {
            start: b2,
            end: b2 + l2,
            is_unit: unit2,
        };
        distance(g, h)
    };
    assert_eq!(measure(2, 3, false, 2, 2, true) + measure(5, 6, true, 4, 7, false), 40);
    assert_eq!(measure(3, 2, false, 3, 2, true) + measure(5, 6, true, 5, 6, false), 40);
    assert_eq!(measure(5, 6, true, 4, 2, true), 26);
    assert_eq!(measure(5, 6, true, 5, 2, true), 16);
    assert_eq!(measure(5, 6, true, 6, 2, true), 10);
    assert_eq!(measure(5, 6, true, 7, 2, true), 8);
    assert_eq!(measure(5, 6, true, 6, 4, true), 2);
    assert_eq!(measure(5, 6, true, 5, 6, true), 0);
    assert_eq!(measure(225, 70, true, 220, 80, true), 50);
    assert_eq!(measure(370, 30, true, 355, 20, true), 850);
    assert_eq!(measure(400, 50, false, 400, 20, true), 400);
    assert_eq!(measure(1, 8, true, 2, 1, true), 37);
    assert_eq!(measure(1, 8, true, 0, 2, false), 0);
    assert_eq!(measure(1, 8, true, 4, 1, true), 25);
    assert_eq!(measure(1, 8, true, 6, 1, true), 29);
}

#[test]
fn overlapping_units_of_one_annotator_are_joined_and_touching_ones_kept() {
    assert_eq!(
        joined(&[unit(5, 5), unit(0, 3), unit(2, 2), unit(3, 2), unit(7, 0)]),
        vec![unit(0, 5), unit(5, 5)]
    );
    let nested = [vec![unit(2, 6), unit(3, 2)], vec![unit(2, 6)]];
    close(disagreement(20, &study(&nested)).alpha().unwrap(), 1.0, 1e-12);
}

#[test]
fn one_annotator_or_an_empty_continuum_is_undefined() {
    assert_eq!(disagreement(10, &study(&[vec![unit(1, 3)]])).alpha(), None);
    assert_eq!(disagreement(0, &study(&[vec![], vec![]])).alpha(), None);
    assert_eq!(pooled_alpha(&[]), None);
}

/// DKPro's `calculateObservedCategoryDisagreement` and
/// `calculateExpectedCategoryDisagreement`, ported statement by statement
/// (its walk over positions, its loop over every gap for every unit).
fn dkpro(length: usize, annotators: &[Vec<Unit>]) -> (f64, f64) {
    fn measure(o1: i64, l1: i64, c1: bool, o2: i64, l2: i64, c2: bool) -> f64 {
        let begin_diff = o1 - o2;
        let length_diff = l1 - l2;
        if c1 && c2 && -l1 < begin_diff && begin_diff < l2 {
            return (begin_diff * begin_diff + (begin_diff + length_diff) * (begin_diff + length_diff)) as f64;
        }
        if c1 && !c2 && -length_diff >= begin_diff && begin_diff >= 0 {
            return (l1 * l1) as f64;
        }
        if !c1 && c2 && -length_diff <= begin_diff && begin_diff <= 0 {
            return (l2 * l2) as f64;
        }
        0.0
    }
    let big_l = wide(length);
    let r = wide(annotators.len());
    let mut observed = 0.0;
    for r1 in 0..annotators.len() {
        for r2 in r1 + 1..annotators.len() {
            let (mut units1, mut units2) = (annotators[r1].iter(), annotators[r2].iter());
            let (mut next1, mut next2) = (units1.next(), units2.next());
            let (mut offset1, mut length1, mut offset2, mut length2) = (0_i64, 0_i64, 0_i64, 0_i64);
            let (mut c1, mut c2) = (false, false);
            let mut pos = 0_i64;
            while pos < big_l && (next1.is_some() || next2.is_some()) {
                if pos == offset1 + length1 {
                    if let Some(u) = next1.filter(|u| pos == wide(u.start)) {
                        length1 = wide(u.len());
                        c1 = true;
                        next1 = units1.next();
                    } else {
                        length1 = next1.map_or(big_l, |u| wide(u.start)) - pos;
                        c1 = false;
                    }
                    offset1 = pos;
                }
                if pos == offset2 + length2 {
                    if let Some(u) = next2.filter(|u| pos == wide(u.start)) {
                        length2 = wide(u.len());
                        c2 = true;
                        next2 = units2.next();
                    } else {
                        length2 = next2.map_or(big_l, |u| wide(u.start)) - pos;
                        c2 = false;
                    }
                    offset2 = pos;
                }
                observed += measure(offset1, length1, c1, offset2, length2, c2);
                pos = (offset1 + length1).min(offset2 + length2);
            }
        }
    }
    observed *= 2.0;
    observed /= (r * (r - 1) * big_l * big_l) as f64;

    let all: Vec<Unit> = annotators.iter().flatten().copied().collect();
    let n_c = all.len() as f64;
    let squared_lengths: f64 = all.iter().map(|u| u.len() as f64 * (u.len() as f64 - 1.0)).sum();
    let mut gaps = Vec::new();
    for units in annotators {
        let mut units = units.iter();
        let mut next = units.next();
        let (mut offset, mut len, mut pos) = (0_i64, 0_i64, 0_i64);
        while pos < big_l {
            if pos == offset + len {
                if let Some(u) = next.filter(|u| pos == wide(u.start)) {
                    len = wide(u.len());
                    next = units.next();
                } else {
                    len = next.map_or(big_l, |u| wide(u.start)) - pos;
                    gaps.push(len);
                }
                offset = pos;
            }
            pos = offset + len;
        }
    }
    gaps.sort_unstable_by(|a, b| b.cmp(a));
    let mut expected = 0.0;
    for u in &all {
        let l = u.len() as f64;
        let sum1 = (n_c - 1.0) * (2.0 * l * l * l - 3.0 * l * l + l) / 3.0;
        let mut sum2 = 0.0;
        for &gap in &gaps {
            if gap as f64 >= l {
                sum2 += gap as f64 - l + 1.0;
            } else {
                break;
            }
        }
        expected += sum1 + sum2 * l * l;
    }
    expected *= 2.0 / big_l as f64;
    expected /= (r * big_l * (r * big_l - 1)) as f64 - squared_lengths;
    (observed, expected)
}

fn wide(number: usize) -> i64 {
    i64::try_from(number).unwrap()
}

/// One annotator's units: disjoint, non-empty, sorted, within `length`.
fn cut(length: usize) -> impl Strategy<Value = Vec<Unit>> {
    proptest::collection::vec((0..length, 1..=length), 0..6).prop_map(move |pairs| {
        let mut units: Vec<Unit> = Vec::new();
        let mut points: Vec<(usize, usize)> = pairs;
        points.sort_unstable();
        for (start, len) in points {
            let start = start.max(units.last().map_or(0, |u| u.end));
            let end = (start + len).min(length);
            if start < end {
                units.push(Unit::new(start, end));
            }
        }
        units
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn equals_dkpro_on_random_studies(
        annotators in (1_usize..60).prop_flat_map(|length| (Just(length), proptest::collection::vec(cut(length), 2..5)))
    ) {
        let (length, annotators) = annotators;
        let fast = disagreement(length, &study(&annotators));
        let (observed, expected) = dkpro(length, &annotators);
        prop_assert!((fast.observed - observed).abs() <= 1e-12 * observed.abs().max(1.0), "{} vs {}", fast.observed, observed);
        prop_assert!((fast.expected - expected).abs() <= 1e-12 * expected.abs().max(1.0), "{} vs {}", fast.expected, expected);
    }
}
