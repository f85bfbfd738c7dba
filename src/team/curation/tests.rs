//! Disagreements found, choices made as edits, and the properties of accepting.

use crate::model::tag_set::TagSet;
use proptest::prelude::*;

use super::*;
use crate::model::history::History;
use crate::model::project::SourceInfo;
use crate::model::tag_set::Tag;
use crate::project_file;

const TEXT: &str = "Officials say the plan is a triumph; critics call it a reckless gamble.";

fn annotation(id: u64, (start, end): (usize, usize), tags: &[&str]) -> Annotation {
    let mut annotation = Annotation::new(AnnotationId(id), Span::new(start, end));
    annotation.tags = tags.iter().map(|tag| TagId((*tag).into())).collect();
    annotation
}

fn project(annotations: Vec<Annotation>) -> Project {
    Project::from_parts(
        TEXT.into(),
        SourceInfo::of_text(TEXT),
        TagSet::default_set(),
        annotations,
    )
    .unwrap()
}

fn at(quote: &str) -> (usize, usize) {
    let start = TEXT.find(quote).unwrap();
    (start, start + quote.len())
}

/// The annotations of a project as (quote, sorted tags), sorted.
fn contents(project: &Project) -> Vec<(String, Vec<String>)> {
    let mut all: Vec<(String, Vec<String>)> = project
        .annotations()
        .map(|a| {
            let mut tags: Vec<String> = a.tags.iter().map(|t| t.as_str().to_owned()).collect();
            tags.sort();
            (a.span.quote(TEXT).unwrap().to_owned(), tags)
        })
        .collect();
    all.sort();
    all
}

fn owned(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    let mut all: Vec<(String, Vec<String>)> = list
        .iter()
        .map(|(quote, tags)| ((*quote).to_owned(), tags.iter().map(|t| (*t).to_owned()).collect()))
        .collect();
    all.sort();
    all
}

/// Alice and Bob agree on "a triumph"; Bob alone marks "critics"; they tag
/// "a reckless gamble" differently; Alice marks "reckless" inside it too.
fn alice_and_bob() -> Curation {
    let alice = project(vec![
        annotation(1, at("a triumph"), &["Loaded_Language"]),
        annotation(2, at("a reckless gamble"), &["Doubt"]),
        annotation(3, at("reckless"), &["Loaded_Language"]),
    ]);
    let bob = project(vec![
        annotation(7, at("a triumph"), &["Loaded_Language"]),
        annotation(8, at("critics"), &["Doubt"]),
        annotation(9, at("a reckless gamble"), &["Exaggeration-Minimisation"]),
    ]);
    Curation::new(vec![alice, bob]).unwrap()
}

#[test]
fn disagreements_are_listed_in_text_order_and_agreement_is_accepted() {
    let curation = alice_and_bob();
    let quotes: Vec<&str> = curation
        .disagreements()
        .iter()
        .map(|d| d.range.quote(TEXT).unwrap())
        .collect();
    assert_eq!(quotes, ["critics", "a reckless gamble"]);
    let gamble = &curation.disagreements()[1];
    assert_eq!(gamble.versions[0].len(), 2, "Alice's gamble and reckless");
    assert_eq!(gamble.versions[1].len(), 1);
    assert_eq!(
        curation.disagreements()[0].versions[0],
        Vec::new(),
        "Alice lacks critics"
    );
    assert_eq!(
        contents(curation.curated_start()),
        owned(&[("a triumph", &["Loaded_Language"])])
    );
    assert_eq!(
        curation.curated_start().annotation(AnnotationId(1)).map(|a| a.span),
        Some(Span::new(at("a triumph").0, at("a triumph").1))
    );
    assert!(
        curation.curated_start().next_annotation_id() >= AnnotationId(10),
        "above every annotator's ids"
    );
    assert_eq!(curation.held(curation.curated_start(), 0), Held::Nothing);
}

#[test]
fn each_choice_is_one_undoable_edit() {
    let curation = alice_and_bob();
    let mut curated = curation.curated_start().clone();
    let mut history = History::new();
    let start = curated.clone();
    let edit = curation.accept(&curated, 1, Choice::Annotator(0)).unwrap();
    history.apply(&mut curated, edit, None).unwrap();
    assert_eq!(
        contents(&curated),
        owned(&[
            ("a triumph", &["Loaded_Language"]),
            ("a reckless gamble", &["Doubt"]),
            ("reckless", &["Loaded_Language"]),
        ])
    );
    assert_eq!(curation.held(&curated, 1), Held::Versions(vec![0]));
    assert_eq!(curation.accept(&curated, 1, Choice::Annotator(0)), None, "already held");
    // Changing one's mind replaces Alice's version with Bob's.
    let edit = curation.accept(&curated, 1, Choice::Annotator(1)).unwrap();
    history.apply(&mut curated, edit, None).unwrap();
    assert_eq!(
        contents(&curated),
        owned(&[
            ("a triumph", &["Loaded_Language"]),
            ("a reckless gamble", &["Exaggeration-Minimisation"])
        ])
    );
    let edit = curation.accept(&curated, 1, Choice::All).unwrap();
    history.apply(&mut curated, edit, None).unwrap();
    assert_eq!(curation.held(&curated, 1), Held::All);
    assert_eq!(curated.annotation_count(), 4);
    let edit = curation.accept(&curated, 1, Choice::Neither).unwrap();
    history.apply(&mut curated, edit, None).unwrap();
    assert_eq!(curation.held(&curated, 1), Held::Nothing);
    while history.undo(&mut curated).unwrap() {}
    assert_eq!(contents(&curated), contents(&start), "undo restores the start");
    let ids: Vec<AnnotationId> = curated.annotations().map(|a| a.id).collect();
    assert_eq!(ids, [AnnotationId(1)]);
}

#[test]
fn accepting_the_side_that_lacks_an_annotation_is_accepting_nothing() {
    let curation = alice_and_bob();
    let curated = curation.curated_start();
    assert_eq!(curation.accept(curated, 0, Choice::Annotator(0)), None);
    assert_eq!(curation.accept(curated, 0, Choice::Neither), None);
    assert!(curation.accept(curated, 0, Choice::Annotator(1)).is_some());
    assert_eq!(
        curation.accept(curated, 0, Choice::Annotator(2)),
        None,
        "no third annotator"
    );
    assert_eq!(curation.accept(curated, 5, Choice::All), None, "no such disagreement");
}

#[test]
fn next_and_previous_wrap_round() {
    let curation = alice_and_bob();
    let critics = at("critics").0;
    assert_eq!(curation.next_after(0), Some(0));
    assert_eq!(curation.first_from(critics), Some(0));
    assert_eq!(curation.first_from(critics + 1), Some(1));
    assert_eq!(curation.next_after(critics), Some(1));
    assert_eq!(curation.next_after(TEXT.len()), Some(0));
    assert_eq!(curation.previous_before(critics), Some(1), "wraps to the last");
    assert_eq!(curation.previous_before(TEXT.len()), Some(1));
    assert_eq!(curation.previous_before(at("a reckless gamble").0), Some(0));
}

#[test]
fn same_annotation_with_tags_in_another_order_is_agreed() {
    let alice = project(vec![annotation(1, at("plan"), &["Doubt", "Loaded_Language"])]);
    let bob = project(vec![annotation(4, at("plan"), &["Loaded_Language", "Doubt"])]);
    let curation = Curation::new(vec![alice, bob]).unwrap();
    assert!(curation.disagreements().is_empty());
    assert_eq!(curation.curated_start().annotation_count(), 1);
}

#[test]
fn overlapping_spans_that_differ_are_one_disagreement() {
    let alice = project(vec![annotation(1, at("reckless gamble"), &["Doubt"])]);
    let bob = project(vec![
        annotation(1, at("a reckless"), &["Doubt"]),
        annotation(2, at("gamble."), &["Doubt"]),
    ]);
    let curation = Curation::new(vec![alice, bob]).unwrap();
    assert_eq!(curation.disagreements().len(), 1, "joined through Alice's span");
    let only = &curation.disagreements()[0];
    assert_eq!(only.range.quote(TEXT), Some("a reckless gamble."));
    assert_eq!((only.versions[0].len(), only.versions[1].len()), (1, 2));
    let mut curated = curation.curated_start().clone();
    curation
        .accept(&curated, 0, Choice::Annotator(1))
        .unwrap()
        .apply(&mut curated)
        .unwrap();
    assert_eq!(
        contents(&curated),
        owned(&[("a reckless", &["Doubt"]), ("gamble.", &["Doubt"])])
    );
}

#[test]
fn counter_claims_that_differ_are_a_disagreement() {
    let mut with_claim = annotation(1, at("plan"), &["Doubt"]);
    with_claim
        .counter_claims
        .push(CounterClaim::new("The plan was costed."));
    let alice = project(vec![with_claim]);
    let bob = project(vec![annotation(1, at("plan"), &["Doubt"])]);
    let curation = Curation::new(vec![alice, bob]).unwrap();
    assert_eq!(curation.disagreements().len(), 1);
    assert_eq!(curation.disagreements()[0].range.quote(TEXT), Some("plan"));
}

#[test]
fn three_annotators_agree_only_when_all_do() {
    let a = project(vec![annotation(1, at("plan"), &["Doubt"])]);
    let b = project(vec![annotation(1, at("plan"), &["Doubt"])]);
    let c = project(Vec::new());
    let curation = Curation::new(vec![a, b, c]).unwrap();
    assert_eq!(curation.disagreements().len(), 1);
    assert_eq!(curation.curated_start().annotation_count(), 0);
    let edit = curation
        .accept(curation.curated_start(), 0, Choice::Annotator(1))
        .unwrap();
    let mut curated = curation.curated_start().clone();
    edit.apply(&mut curated).unwrap();
    assert_eq!(
        curation.held(&curated, 0),
        Held::Versions(vec![0, 1]),
        "A and B said the same"
    );
}

#[test]
fn different_texts_and_a_lone_project_are_refused() {
    let other = Project::from_parts(
        "Another text.".into(),
        SourceInfo::of_text("Another text."),
        TagSet::default_set(),
        Vec::new(),
    )
    .unwrap();
    let error = Curation::new(vec![project(Vec::new()), other]).unwrap_err();
    assert!(error.to_string().contains("annotate different texts"), "{error}");
    let error = Curation::new(vec![project(Vec::new())]).unwrap_err();
    assert_eq!(error, CurationError::TooFew(1));
}

#[test]
fn tags_only_another_annotator_defines_join_the_tag_set() {
    let mut tags = TagSet::default_set();
    let mut extra = tags.tags[0].clone();
    extra.id = TagId("Sarcasm".into());
    extra.name = "Sarcasm".into();
    extra.hotkey = None;
    tags.tags.push(extra);
    let bob = Project::from_parts(
        TEXT.into(),
        SourceInfo::of_text(TEXT),
        tags,
        vec![annotation(1, at("triumph"), &["Sarcasm"])],
    )
    .unwrap();
    let curation = Curation::new(vec![project(Vec::new()), bob]).unwrap();
    let sarcasm: Option<&Tag> = curation.curated_start().tag_set().get(&TagId("Sarcasm".into()));
    assert!(sarcasm.is_some());
    let edit = curation.accept(curation.curated_start(), 0, Choice::All).unwrap();
    let mut curated = curation.curated_start().clone();
    edit.apply(&mut curated).unwrap();
    assert_eq!(contents(&curated), owned(&[("triumph", &["Sarcasm"])]));
}

/// Random annotations on words of the text.
fn annotator() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    proptest::collection::vec((0..13_usize, 1..4_usize, 0..3_usize), 0..8)
}

fn random_project(marks: &[(usize, usize, usize)]) -> Project {
    const TAGS: [&str; 3] = ["Doubt", "Loaded_Language", "Repetition"];
    let words: Vec<(usize, usize)> = TEXT
        .split(' ')
        .scan(0, |start, word| {
            let here = (*start, *start + word.len());
            *start += word.len() + 1;
            Some(here)
        })
        .collect();
    let annotations = marks
        .iter()
        .enumerate()
        .map(|(index, &(word, length, tag))| {
            let last = (word + length - 1).min(words.len() - 1);
            annotation(index as u64 + 1, (words[word].0, words[last].1), &[TAGS[tag]])
        })
        .collect();
    project(annotations)
}

/// The keys of a project, with how often each occurs.
fn key_counts(project: &Project) -> HashMap<Key, usize> {
    let mut counts = HashMap::new();
    for annotation in project.annotations() {
        *counts.entry(Key::of(annotation)).or_default() += 1;
    }
    counts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Accepting every side of every disagreement never loses an annotation:
    /// each annotator's annotations are all in the curated project (as often
    /// as that annotator has them), which saves and loads back the same.
    #[test]
    fn accepting_all_keeps_every_annotation(sides in proptest::collection::vec(annotator(), 2..4)) {
        let projects: Vec<Project> = sides.iter().map(|marks| random_project(marks)).collect();
        let curation = Curation::new(projects.clone()).unwrap();
        let mut curated = curation.curated_start().clone();
        let mut history = History::new();
        for index in 0..curation.disagreements().len() {
            if let Some(edit) = curation.accept(&curated, index, Choice::All) {
                history.apply(&mut curated, edit, None).unwrap();
            }
            // The union is held; it may be one annotator's version when it holds all the others'.
            let held = curation.held(&curated, index);
            prop_assert!(matches!(held, Held::All | Held::Versions(_)), "{:?}", held);
        }
        let everywhere: Vec<Held> = (0..curation.disagreements().len()).map(|index| curation.held(&curated, index)).collect();
        prop_assert_eq!(curation.held_everywhere(&curated), everywhere);
        let held = key_counts(&curated);
        for project in &projects {
            for (key, count) in key_counts(project) {
                prop_assert!(held.get(&key).copied().unwrap_or(0) >= count, "lost {:?}", key);
            }
        }
        let saved = project_file::to_ron_string(&curated).unwrap();
        let loaded = project_file::from_ron_str(&saved).unwrap();
        prop_assert_eq!(&loaded, &curated);
        while history.undo(&mut curated).unwrap() {}
        let start: Vec<&Annotation> = curation.curated_start().annotations().collect();
        prop_assert_eq!(curated.annotations().collect::<Vec<_>>(), start, "undo brings back the start");
    }

    /// Choosing one annotator's version everywhere gives exactly that
    /// annotator's annotations, and says so.
    #[test]
    fn choosing_one_side_everywhere_gives_that_side(
        sides in proptest::collection::vec(annotator(), 2..4),
        chosen in 0..2_usize,
        first_all in any::<bool>(),
    ) {
        let projects: Vec<Project> = sides.iter().map(|marks| random_project(marks)).collect();
        let curation = Curation::new(projects.clone()).unwrap();
        let mut curated = curation.curated_start().clone();
        for index in 0..curation.disagreements().len() {
            // An earlier choice is replaced, not added to.
            if first_all && let Some(edit) = curation.accept(&curated, index, Choice::All) {
                edit.apply(&mut curated).unwrap();
            }
            if let Some(edit) = curation.accept(&curated, index, Choice::Annotator(chosen)) {
                edit.apply(&mut curated).unwrap();
            }
            let held = curation.held(&curated, index);
            let empty = curation.disagreements()[index].versions[chosen].is_empty();
            match held {
                Held::Nothing => prop_assert!(empty),
                Held::Versions(sides) => prop_assert!(sides.contains(&chosen)),
                other => prop_assert!(false, "{:?}", other),
            }
        }
        prop_assert_eq!(key_counts(&curated), key_counts(&projects[chosen]));
    }
}
