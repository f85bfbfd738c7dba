//! The figures of three annotators' projects (`tests/fixtures/team/`)
//! against NLTK's and DKPro Agreement's on the same decisions, span matching
//! counted by hand, and the degenerate studies.

use serde_json::Value;

use super::agreement::{Agreement, agreement};
use super::coverage::tokens;
use super::study::{Label, Study, TextPlace};
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::project::{Project, SourceInfo};
use crate::model::span::Span;
use crate::model::tag_set::{TagId, TagSet};
use crate::project_file;

/// How far our figures may be from the references': they compute the same
/// fractions in floating point in another order, and agree with each other
/// to 6e-15.
const TOLERANCE: f64 = 1e-12;

const FIXTURES: [&str; 3] = [
    include_str!("../../tests/fixtures/team/annotator-a.ron"),
    include_str!("../../tests/fixtures/team/annotator-b.ron"),
    include_str!("../../tests/fixtures/team/annotator-c.ron"),
];
const NLTK: &str = include_str!("../../tests/fixtures/team/reference/nltk.json");
const DKPRO: &str = include_str!("../../tests/fixtures/team/reference/dkpro.json");
const STUDY: &str = include_str!("../../tests/fixtures/team/reference/study.txt");

fn fixtures() -> Vec<Project> {
    FIXTURES
        .iter()
        .map(|file| project_file::from_ron_str(file).unwrap())
        .collect()
}

fn label_name(label: &Label) -> String {
    label.to_string()
}

/// The reference's figure for `label` (or `(overall)`), `None` for `null`.
fn reference(figures: &Value, label: &str) -> Option<f64> {
    let value = figures.get(label).unwrap_or_else(|| panic!("no figure for {label}"));
    value.as_f64()
}

/// Ours equals the reference's within [`TOLERANCE`]; where ours is
/// undefined (no variation: neither annotator marked anything, so Pₑ = 1)
/// DKPro has none either and NLTK 3.10.4 gives 1.0, its convention for Pₑ = 1.
fn assert_same(ours: Option<f64>, nltk: Option<f64>, dkpro: Option<f64>, what: &str) {
    if let Some(value) = ours {
        for (name, theirs) in [("NLTK", nltk), ("DKPro", dkpro)] {
            let theirs = theirs.unwrap_or_else(|| panic!("{what}: {name} has no figure, ours is {value}"));
            assert!(
                (value - theirs).abs() <= TOLERANCE,
                "{what}: ours {value}, {name} {theirs}"
            );
        }
    } else {
        assert_eq!(dkpro, None, "{what}: DKPro has a figure, ours is undefined");
        assert!(nltk.is_none() || nltk == Some(1.0), "{what}: NLTK {nltk:?}");
    }
}

fn computed() -> Agreement {
    let projects = fixtures();
    let refs: Vec<&Project> = projects.iter().collect();
    agreement(&refs).unwrap()
}

#[test]
fn the_reference_programs_read_the_same_study() {
    let projects = fixtures();
    let refs: Vec<&Project> = projects.iter().collect();
    let study = Study::new(&refs).unwrap();
    let mut expected_tokens = Vec::new();
    let mut expected_units = Vec::new();
    for line in STUDY.lines() {
        let fields: Vec<&str> = line.splitn(5, ' ').collect();
        let number = |at: usize| fields[at].parse::<usize>().unwrap();
        match fields[0] {
            "length" => assert_eq!(number(1), study.length),
            "token" => expected_tokens.push((number(1), number(2))),
            _ => expected_units.push((number(1), fields[4].to_owned(), number(2), number(3))),
        }
    }
    let ours: Vec<(usize, usize)> = tokens(projects[0].text()).iter().map(|t| (t.start, t.end)).collect();
    assert_eq!(ours, expected_tokens, "UAX #29 tokens equal the reference's");
    let mut our_units = Vec::new();
    for (annotator, by_label) in study.units.iter().enumerate() {
        for (label, units) in study.labels.iter().zip(by_label) {
            our_units.extend(units.iter().map(|u| (annotator, label_name(label), u.start, u.end)));
        }
    }
    our_units.sort();
    expected_units.sort();
    assert_eq!(our_units, expected_units);
}

#[test]
fn kappa_and_alpha_equal_nltk_and_dkpro_on_the_fixtures() {
    let nltk: Value = serde_json::from_str(NLTK).unwrap();
    let dkpro: Value = serde_json::from_str(DKPRO).unwrap();
    let figures = computed();
    assert_eq!(figures.annotators, 3);
    assert_eq!(figures.code_points as u64, nltk["code_points"].as_u64().unwrap());
    assert_eq!(figures.tokens as u64, nltk["token_count"].as_u64().unwrap());
    let names = ["a", "b", "c"];
    let mut compared = 0;
    for pair in &figures.pairs {
        let key = format!("{}-{}", names[pair.reference], names[pair.other]);
        let rows = figures
            .labels
            .iter()
            .map(label_name)
            .zip(&pair.by_label)
            .chain([("(overall)".to_owned(), &pair.overall)]);
        for (label, row) in rows {
            for (level, ours) in [("characters", row.cohen_characters), ("tokens", row.cohen_tokens)] {
                assert_same(
                    ours,
                    reference(&nltk["pairs"][&key][level], &label),
                    reference(&dkpro["pairs"][&key][level], &label),
                    &format!("Cohen's κ {key} {level} {label}"),
                );
                compared += 1;
            }
        }
    }
    let rows = figures
        .labels
        .iter()
        .map(label_name)
        .zip(&figures.group_by_label)
        .chain([("(overall)".to_owned(), &figures.group_overall)]);
    for (label, row) in rows {
        for (level, ours) in [("characters", row.fleiss_characters), ("tokens", row.fleiss_tokens)] {
            assert_same(
                ours,
                reference(&nltk["group"][level], &label),
                reference(&dkpro["group"][level], &label),
                &format!("Fleiss' κ {level} {label}"),
            );
            compared += 1;
        }
        let alpha = row.alpha_u.unwrap();
        let theirs = reference(&dkpro["group"]["alpha_u"], &label).unwrap();
        assert!(
            (alpha - theirs).abs() <= TOLERANCE,
            "α_u {label}: ours {alpha}, DKPro {theirs}"
        );
        compared += 1;
    }
    assert_eq!(
        compared,
        3 * 2 * 11 + 3 * 11,
        "every label of every pair and of the group"
    );
}

#[test]
fn span_matching_on_the_fixtures_as_counted_by_hand() {
    let figures = computed();
    let a_b = &figures.pairs[0];
    assert_eq!((a_b.reference, a_b.other), (0, 1));
    // A and B each have 12 (span, tag) units. Exact: "reckless gamble" and
    // "this disaster" (Loaded_Language), the traitor sentence (Conversation_Killer).
    assert_eq!(
        (
            a_b.overall.exact.reference,
            a_b.overall.exact.other,
            a_b.overall.exact.matched
        ),
        (12, 12, 3)
    );
    assert_eq!(a_b.overall.exact.f1(), Some(0.25));
    // Overlap adds "triumph"/"a triumph", the fear span and "will ruin …",
    // both name-callings, and the two Doubt spans around "the secret report".
    assert_eq!(a_b.overall.overlap.matched, 8);
    assert_eq!(a_b.overall.overlap.precision(), Some(8.0 / 12.0));
    let loaded = figures
        .labels
        .iter()
        .position(|label| *label == Label::Tag(TagId("Loaded_Language".into())))
        .unwrap();
    let row = a_b.by_label[loaded];
    assert_eq!((row.exact.reference, row.exact.other, row.exact.matched), (2, 3, 2));
    assert_eq!(
        (row.exact.precision(), row.exact.recall()),
        (Some(2.0 / 3.0), Some(1.0))
    );
    assert_eq!(figures.labels.last(), Some(&Label::Untagged));
}

// Degenerate studies: every figure is a number or undefined, never NaN, never a panic.

const TEXT: &str = "One two three four five six seven eight nine ten.";

fn project(marks: &[(usize, usize, &str)]) -> Project {
    project_on(TEXT, marks)
}

fn project_on(text: &str, marks: &[(usize, usize, &str)]) -> Project {
    let tag_set = TagSet::default_set();
    let annotations = marks
        .iter()
        .enumerate()
        .map(|(number, &(start, end, tag))| {
            let mut annotation = Annotation::new(AnnotationId(number as u64 + 1), Span::new(start, end));
            if !tag.is_empty() {
                annotation.tags.push(TagId(tag.into()));
            }
            annotation
        })
        .collect();
    Project::from_parts(text.into(), SourceInfo::of_text(text), tag_set, annotations).unwrap()
}

fn of(projects: &[Project]) -> Agreement {
    let refs: Vec<&Project> = projects.iter().collect();
    agreement(&refs).unwrap()
}

fn no_nan(figures: &Agreement) {
    let all = figures
        .pairs
        .iter()
        .flat_map(|pair| pair.by_label.iter().chain([&pair.overall]))
        .flat_map(|row| {
            [
                row.exact.precision(),
                row.exact.recall(),
                row.exact.f1(),
                row.overlap.precision(),
                row.overlap.recall(),
                row.overlap.f1(),
                row.cohen_characters,
                row.cohen_tokens,
            ]
        })
        .chain(
            figures
                .group_by_label
                .iter()
                .chain([&figures.group_overall])
                .flat_map(|row| [row.fleiss_characters, row.fleiss_tokens, row.alpha_u]),
        );
    for figure in all.flatten() {
        assert!(figure.is_finite(), "{figure}");
    }
}

#[test]
fn no_annotations_anywhere_is_undefined_throughout() {
    let figures = of(&[project(&[]), project(&[])]);
    no_nan(&figures);
    assert!(figures.labels.is_empty());
    let overall = figures.pairs[0].overall;
    assert_eq!(
        (
            overall.exact.f1(),
            overall.overlap.precision(),
            overall.cohen_characters,
            overall.cohen_tokens
        ),
        (None, None, None, None)
    );
    assert_eq!(figures.group_overall.alpha_u, None);
    assert_eq!(figures.group_overall.fleiss_characters, None);
}

#[test]
fn one_annotator_has_no_pairs_and_no_group_figures() {
    let figures = of(&[project(&[(0, 3, "Doubt")])]);
    no_nan(&figures);
    assert!(figures.pairs.is_empty());
    assert_eq!(figures.group_by_label[0].alpha_u, None);
    assert_eq!(figures.group_overall.fleiss_tokens, None);
}

#[test]
fn perfect_agreement_is_one_everywhere() {
    let marks = [
        (0, 3, "Doubt"),
        (4, 13, "Loaded_Language"),
        (8, 18, "Doubt"),
        (20, 24, ""),
    ];
    let figures = of(&[project(&marks), project(&marks), project(&marks)]);
    no_nan(&figures);
    for pair in &figures.pairs {
        let overall = pair.overall;
        assert_eq!(overall.exact.f1(), Some(1.0));
        assert_eq!(overall.overlap.f1(), Some(1.0));
        assert_eq!((overall.cohen_characters, overall.cohen_tokens), (Some(1.0), Some(1.0)));
    }
    let group = figures.group_overall;
    assert_eq!((group.fleiss_characters, group.fleiss_tokens), (Some(1.0), Some(1.0)));
    assert_eq!(group.alpha_u, Some(1.0));
}

#[test]
fn complete_disagreement_is_below_chance() {
    // One marks the first half of the text, the other the second half.
    let text = "first half, second";
    let figures = of(&[
        project_on(text, &[(0, 9, "Doubt")]),
        project_on(text, &[(9, 18, "Doubt")]),
    ]);
    no_nan(&figures);
    let overall = figures.pairs[0].overall;
    assert_eq!((overall.exact.f1(), overall.overlap.f1()), (Some(0.0), Some(0.0)));
    assert_eq!(overall.cohen_characters, Some(-1.0));
    assert!(figures.group_overall.alpha_u.unwrap() < 0.0);
    // Two different tags on the same span: nothing agrees for either tag.
    let figures = of(&[project(&[(0, 3, "Doubt")]), project(&[(0, 3, "Claim")])]);
    assert_eq!(figures.pairs[0].overall.exact.matched, 0);
    assert_eq!(figures.pairs[0].overall.cohen_characters.map(f64::signum), Some(-1.0));
}

#[test]
fn chance_level_agreement_is_zero() {
    // Four tokens; each annotator marks two, and they share one: Pₒ = Pₑ = ½.
    let text = "one two three four";
    let figures = of(&[
        project_on(text, &[(0, 7, "Doubt")]),
        project_on(text, &[(0, 3, "Doubt"), (8, 13, "Doubt")]),
    ]);
    no_nan(&figures);
    assert_eq!(figures.pairs[0].overall.cohen_tokens, Some(0.0));
    assert_eq!(
        figures.group_overall.fleiss_tokens,
        Some(0.0),
        "Scott's π: the same marginals"
    );
}

#[test]
fn different_texts_are_refused_with_the_place() {
    let a = project(&[]);
    let other = "One two three four five six seven eight nine TEN.";
    let b = Project::new(other.into(), SourceInfo::of_text(other), TagSet::default_set());
    let error = agreement(&[&a, &a, &b]).unwrap_err();
    assert_eq!((error.first, error.other), (0, 2));
    assert_eq!(error.place, TextPlace { line: 1, column: 46 });
    assert!(
        error.to_string().contains("projects 1 and 3 annotate different texts"),
        "{error}"
    );
}
