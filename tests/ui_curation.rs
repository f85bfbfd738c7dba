//! Adjudication in the window, driven headless with `egui_kittest`: two
//! annotators' projects opened with File ▸ Curate Annotators' Projects…,
//! disagreements stepped through with D, one side accepted by a click, the
//! curated project saved under a new name and read back; the annotators'
//! files are never written.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use counterpoint::cli::agree::as_tables;
use counterpoint::model::annotation::{Annotation, AnnotationId};
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::project_file;
use counterpoint::storage::Expect;
use counterpoint::team::agreement::agreement;
use counterpoint::ui::curation::{ACCEPT_ALL, AGREEMENT_TITLE, CURATE_BUTTON, PATHS_FIELD_LABEL, accept_label};
use counterpoint::ui::dialogs::{Banner, PATH_FIELD_LABEL};
use counterpoint::ui::{AppOptions, CounterpointApp};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

type Window = Harness<'static, CounterpointApp>;

const TEXT: &str = "Prices exploded overnight. Nobody knows why. Experts disagree about the cause.";

fn window() -> Window {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(
            |ui, app: &mut CounterpointApp| app.ui(ui),
            CounterpointApp::new(None, AppOptions::headless()),
        );
    harness.run();
    harness
}

/// A project of `TEXT` with each phrase tagged, saved at `path`.
fn annotator(path: &Path, marks: &[(&str, &str)]) {
    let annotations = marks
        .iter()
        .enumerate()
        .map(|(index, (phrase, tag))| {
            let start = TEXT.find(phrase).unwrap();
            let mut annotation =
                Annotation::new(AnnotationId(index as u64 + 1), Span::new(start, start + phrase.len()));
            annotation.tags.push(TagId((*tag).into()));
            annotation
        })
        .collect();
    let project = Project::from_parts(
        TEXT.into(),
        SourceInfo::of_text(TEXT),
        TagSet::default_set(),
        annotations,
    )
    .unwrap();
    project_file::save(&project, path, &Expect::Anything).unwrap();
}

/// The annotations of a project as (quote, tags), sorted.
fn contents(project: &Project) -> Vec<(String, Vec<String>)> {
    let mut all: Vec<_> = project
        .annotations()
        .map(|a| {
            (
                a.span.quote(project.text()).unwrap().to_owned(),
                a.tags.iter().map(|t| t.as_str().to_owned()).collect::<Vec<_>>(),
            )
        })
        .collect();
    all.sort();
    all
}

fn owned(list: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
    let mut all: Vec<_> = list
        .iter()
        .map(|(quote, tag)| ((*quote).to_owned(), vec![(*tag).to_owned()]))
        .collect();
    all.sort();
    all
}

/// Opens File ▸ Curate Annotators' Projects… and lists `paths`.
fn curate(window: &mut Window, paths: &[&Path]) {
    window.get_by_label("File").click();
    window.run();
    window.get_by_label("Curate Annotators' Projects…").click();
    window.run();
    window.get_by_label(PATHS_FIELD_LABEL).focus();
    window.run();
    let listed: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    window.get_by_label(PATHS_FIELD_LABEL).type_text(&listed.join("\n"));
    window.run();
    window.get_by_label(CURATE_BUTTON).click();
    window.run();
}

fn save_as(window: &mut Window, path: &Path) {
    window.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    window.run();
    window.get_by_label(PATH_FIELD_LABEL).focus();
    window.run();
    window.key_press_modifiers(Modifiers::COMMAND, Key::A);
    window.get_by_label(PATH_FIELD_LABEL).type_text(path.to_str().unwrap());
    window.run();
    window.get_by_label("Save").click();
    window.run();
}

#[test]
fn accepting_one_side_puts_its_annotation_in_the_saved_curated_project() {
    let folder = tempfile::tempdir().unwrap();
    let (alice, bob) = (folder.path().join("alice.ron"), folder.path().join("bob.ron"));
    // They agree on "exploded"; only Bob marks "Nobody knows why"; they tag "Experts disagree" differently.
    annotator(
        &alice,
        &[("exploded", "Loaded_Language"), ("Experts disagree", "Doubt")],
    );
    annotator(
        &bob,
        &[
            ("exploded", "Loaded_Language"),
            ("Nobody knows why", "Doubt"),
            ("Experts disagree", "Appeal_to_Authority"),
        ],
    );
    let (alice_before, bob_before) = (std::fs::read(&alice).unwrap(), std::fs::read(&bob).unwrap());
    let mut window = window();
    curate(&mut window, &[&alice, &bob]);
    assert_eq!(window.state().banner(), None);
    let curated = window.state().workspace().unwrap().project();
    assert_eq!(
        contents(curated),
        owned(&[("exploded", "Loaded_Language")]),
        "agreement is accepted"
    );
    window.get_by_label_contains("2 disagreements; 0 with annotations accepted");
    window.get_by_label_contains("B against A: exact F1 0.400");

    // D goes to the first disagreement, Bob's "Nobody knows why".
    window.key_press(Key::D);
    window.run();
    window.get_by_label("Disagreement 1 of 2");
    window.get_by_label(&accept_label(1)).click();
    window.run();
    // D again: the tags of "Experts disagree"; D once more wraps round to the first, Shift+D back.
    window.key_press(Key::D);
    window.run();
    window.get_by_label("Disagreement 2 of 2");
    window.key_press(Key::D);
    window.run();
    window.get_by_label("Disagreement 1 of 2");
    window.key_press_modifiers(Modifiers::SHIFT, Key::D);
    window.run();
    window.get_by_label("Disagreement 2 of 2");
    let experts = TEXT.find("Experts disagree").unwrap();
    assert_eq!(
        window.state().selection().span(),
        Some(Span::new(experts, experts + "Experts disagree".len())),
        "the disagreement is selected"
    );
    window.get_by_label(&accept_label(0)).click();
    window.run();
    window.get_by_label_contains("holds the version of A");
    assert_eq!(
        contents(window.state().workspace().unwrap().project()),
        owned(&[
            ("exploded", "Loaded_Language"),
            ("Nobody knows why", "Doubt"),
            ("Experts disagree", "Doubt")
        ])
    );
    // Each click is one undoable step.
    window.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    window.run();
    assert_eq!(window.state().workspace().unwrap().project().annotation_count(), 2);
    window.get_by_label(ACCEPT_ALL).click();
    window.run();
    assert_eq!(window.state().workspace().unwrap().project().annotation_count(), 4);
    window.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    window.run();
    window.get_by_label(&accept_label(0)).click();
    window.run();

    // Saving over an annotator's file is refused; a new name is not.
    save_as(&mut window, &alice);
    assert!(matches!(window.state().banner(), Some(Banner::Error(text)) if text.contains("annotators' projects")));
    let curated_path = folder.path().join("curated.ron");
    save_as(&mut window, &curated_path);
    let saved = project_file::load(&curated_path).unwrap();
    assert_eq!(
        contents(&saved),
        owned(&[
            ("exploded", "Loaded_Language"),
            ("Nobody knows why", "Doubt"),
            ("Experts disagree", "Doubt")
        ])
    );
    assert_eq!(
        std::fs::read(&alice).unwrap(),
        alice_before,
        "the annotators' files are untouched"
    );
    assert_eq!(std::fs::read(&bob).unwrap(), bob_before);
    assert_eq!(window.state().title(), "curated.ron — Counterpoint");

    // The agreement table shows what `counterpoint agree` prints.
    window.get_by_label("Agreement table…").click();
    window.run();
    window.get_by_label(AGREEMENT_TITLE);
    let paths = [alice.clone(), bob.clone()];
    let projects = [project_file::load(&alice).unwrap(), project_file::load(&bob).unwrap()];
    let figures = agreement(&[&projects[0], &projects[1]]).unwrap();
    window.get_by_label(&as_tables(&paths, &projects, &figures));
}

#[test]
fn projects_of_different_texts_are_refused() {
    let folder = tempfile::tempdir().unwrap();
    let (a, b) = (folder.path().join("a.ron"), folder.path().join("b.ron"));
    annotator(&a, &[]);
    let other = "Another text entirely.";
    let project = Project::from_parts(
        other.into(),
        SourceInfo::of_text(other),
        TagSet::default_set(),
        Vec::new(),
    )
    .unwrap();
    project_file::save(&project, &b, &Expect::Anything).unwrap();
    let mut window = window();
    curate(&mut window, &[&a, &b]);
    assert!(
        matches!(window.state().banner(), Some(Banner::Error(text)) if text.contains("annotate different texts")),
        "{:?}",
        window.state().banner()
    );
    assert!(window.state().workspace().is_none());
}
