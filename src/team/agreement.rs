//! Every agreement figure of several annotators' projects on one text, per
//! label and overall: span matching and Cohen's κ for each pair, Fleiss' κ
//! and `α_u` for the group. The definitions are in the modules that compute
//! them ([`super::matching`], [`super::kappa`], [`super::unitizing`]) and in
//! the [`super`] module's docs.

use crate::model::project::Project;

use super::coverage::{Coverage, GroupCounts, PairCounts, on_tokens, tokens};
use super::kappa::{cohen, fleiss};
use super::matching::{self, Matching};
use super::study::{DifferentTexts, Label, Study};
use super::unitizing::{self, Disagreement};

/// A figure, or `None` where it is undefined (nothing to measure, or no
/// variation to correct for chance); never NaN.
pub type Figure = Option<f64>;

/// The figures of one pair of annotators on one label, or pooled over labels.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairFigures {
    pub exact: Matching,
    pub overlap: Matching,
    /// Cohen's κ with each character as an item.
    pub cohen_characters: Figure,
    /// Cohen's κ with each token as an item.
    pub cohen_tokens: Figure,
}

/// The figures of two annotators.
#[derive(Clone, Debug, PartialEq)]
pub struct PairAgreement {
    /// Index of the reference annotator.
    pub reference: usize,
    /// Index of the other, measured against the reference.
    pub other: usize,
    /// One entry per label of [`Agreement::labels`].
    pub by_label: Vec<PairFigures>,
    /// Matching summed over the labels; κ over the pooled decisions of the
    /// labels either of the two used.
    pub overall: PairFigures,
}

/// The figures of all annotators together on one label, or pooled.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GroupFigures {
    pub fleiss_characters: Figure,
    pub fleiss_tokens: Figure,
    pub alpha_u: Figure,
}

/// Every figure of a study.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    /// How many annotators (projects).
    pub annotators: usize,
    /// The text's length in code points.
    pub code_points: usize,
    /// How many tokens the text has (see [`super::coverage`]).
    pub tokens: usize,
    /// Each annotator's units per label, counted once each.
    pub units: Vec<Vec<usize>>,
    /// The labels some annotator used, in the order of [`Study::labels`].
    pub labels: Vec<Label>,
    /// Every pair `(i, j)` with `i < j`, `i` the reference, in order.
    pub pairs: Vec<PairAgreement>,
    /// One entry per label.
    pub group_by_label: Vec<GroupFigures>,
    /// Over every label: κ of the pooled decisions, `α_u` pooled over the labels.
    pub group_overall: GroupFigures,
}

/// The agreement of projects on one text (in the order given); refused if their texts differ.
pub fn agreement(projects: &[&Project]) -> Result<Agreement, DifferentTexts> {
    let text = projects.first().map_or("", |project| project.text());
    // Cutting 5 MB into words takes as long as gathering every annotator's
    // units, so the two run side by side.
    let (study, tokens) = std::thread::scope(|scope| {
        let words = scope.spawn(|| tokens(text));
        let study = Study::new(projects);
        (study, words.join())
    });
    let study = study?;
    let tokens = match tokens {
        Ok(tokens) => tokens,
        // Splitting a string does not panic; if it ever did, the panic goes on from here.
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let characters: Vec<Vec<Coverage>> = study
        .units
        .iter()
        .map(|by_label| by_label.iter().map(|units| Coverage::of(units)).collect())
        .collect();
    let all: Vec<&Coverage> = characters.iter().flatten().collect();
    let mut counted = on_tokens(&all, &tokens).into_iter();
    let on_tokens: Vec<Vec<Coverage>> = characters
        .iter()
        .map(|by_label| counted.by_ref().take(by_label.len()).collect())
        .collect();
    let annotators = study.annotators();
    let mut pairs = Vec::new();
    for reference in 0..annotators {
        for other in reference + 1..annotators {
            pairs.push(pair(&study, [reference, other], &characters, &on_tokens, tokens.len()));
        }
    }
    let mut group_by_label = Vec::with_capacity(study.labels.len());
    let (mut pooled_characters, mut pooled_tokens) = (GroupCounts::default(), GroupCounts::default());
    let mut disagreements = Vec::with_capacity(study.labels.len());
    for label in 0..study.labels.len() {
        let character_counts = GroupCounts::of(study.length, &of_label(&characters, label));
        let token_counts = GroupCounts::of(tokens.len(), &of_label(&on_tokens, label));
        let units: Vec<&[_]> = study.units.iter().map(|by_label| by_label[label].as_slice()).collect();
        let disagreement: Disagreement = unitizing::disagreement(study.length, &units);
        group_by_label.push(GroupFigures {
            fleiss_characters: fleiss(&character_counts),
            fleiss_tokens: fleiss(&token_counts),
            alpha_u: disagreement.alpha(),
        });
        pooled_characters += &character_counts;
        pooled_tokens += &token_counts;
        disagreements.push(disagreement);
    }
    Ok(Agreement {
        annotators,
        code_points: study.length,
        tokens: tokens.len(),
        units: study
            .units
            .iter()
            .map(|by_label| by_label.iter().map(Vec::len).collect())
            .collect(),
        pairs,
        group_by_label,
        group_overall: GroupFigures {
            fleiss_characters: fleiss(&pooled_characters),
            fleiss_tokens: fleiss(&pooled_tokens),
            alpha_u: unitizing::pooled_alpha(&disagreements),
        },
        labels: study.labels,
    })
}

/// Every annotator's coverage of one label.
fn of_label(coverages: &[Vec<Coverage>], label: usize) -> Vec<&Coverage> {
    coverages.iter().map(|by_label| &by_label[label]).collect()
}

/// The figures of one pair.
fn pair(
    study: &Study,
    [reference, other]: [usize; 2],
    characters: &[Vec<Coverage>],
    on_tokens: &[Vec<Coverage>],
    token_count: usize,
) -> PairAgreement {
    let mut by_label = Vec::with_capacity(study.labels.len());
    let mut overall = PairFigures::default();
    let (mut pooled_characters, mut pooled_tokens) = (PairCounts::default(), PairCounts::default());
    for label in 0..study.labels.len() {
        let (a, b) = (&study.units[reference][label], &study.units[other][label]);
        let character_counts = PairCounts::of(study.length, &characters[reference][label], &characters[other][label]);
        let token_counts = PairCounts::of(token_count, &on_tokens[reference][label], &on_tokens[other][label]);
        let figures = PairFigures {
            exact: matching::exact(a, b),
            overlap: matching::overlap(a, b),
            cohen_characters: cohen(character_counts),
            cohen_tokens: cohen(token_counts),
        };
        overall.exact += figures.exact;
        overall.overlap += figures.overlap;
        // A label neither of the two used would only add items both left alone.
        if !a.is_empty() || !b.is_empty() {
            pooled_characters += character_counts;
            pooled_tokens += token_counts;
        }
        by_label.push(figures);
    }
    overall.cohen_characters = cohen(pooled_characters);
    overall.cohen_tokens = cohen(pooled_tokens);
    PairAgreement {
        reference,
        other,
        by_label,
        overall,
    }
}
