//! File ▸ Replace Source Text… and the review list, driven headless with
//! `egui_kittest`: replace the text of an open project, resolve a review item
//! with the mouse (drag to select, then click), undo and redo it, save,
//! reopen, and assert the file; a file saved with marks opens with its list.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use counterpoint::model::edit::Edit;
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::review::ReviewReason;
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::project_file;
use counterpoint::storage::Expect;
use counterpoint::ui::dialogs::{Banner, PATH_FIELD_LABEL};
use counterpoint::ui::review_list::{ACCEPT_LABEL, PLACE_LABEL};
use counterpoint::ui::{AppOptions, CounterpointApp, OpenAs};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

type Window = Harness<'static, CounterpointApp>;

const OLD: &str = "The minister resigned on Monday, the paper said.\nPrices exploded.\n";
const NEW: &str = "The minister resigned on Tuesday, the paper said.\nPrices exploded.\n";

fn window(app: CounterpointApp) -> Window {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness
}

fn options(folder: &Path) -> AppOptions {
    AppOptions {
        recovery_dir: Some(folder.join("recovery")),
        config_dir: Some(folder.join("config")),
        ..AppOptions::headless()
    }
}

/// A project of `OLD` with two phrases tagged as claims, saved at `path`.
fn saved_project(path: &Path) {
    let mut project = Project::new(OLD.into(), SourceInfo::of_text(OLD), TagSet::default_set());
    for phrase in ["resigned on Monday", "the paper said"] {
        let start = OLD.find(phrase).unwrap();
        let (edit, _) =
            Edit::tag_span(&project, Span::new(start, start + phrase.len()), TagId("Claim".into())).unwrap();
        edit.apply(&mut project).unwrap();
    }
    project_file::save(&project, path, &Expect::Anything).unwrap();
}

fn span_of(window: &Window, phrase: &str) -> Span {
    let text = window.state().workspace().unwrap().project().text();
    let start = text.find(phrase).unwrap();
    Span::new(start, start + phrase.len())
}

/// Presses at the first character of `span` and releases at its last one.
fn drag_across(window: &mut Window, span: Span) {
    let rects = window.state().screen_rects(span);
    assert!(!rects.is_empty(), "the phrase is on screen");
    let from = rects.first().unwrap().left_center() + egui::vec2(1.0, 0.0);
    let to = rects.last().unwrap().right_center() - egui::vec2(1.0, 0.0);
    window.hover_at(from);
    window.run();
    window.drag_at(from);
    window.run();
    for step in 1..=4 {
        window.hover_at(from + (to - from) * (step as f32 / 4.0));
        window.run();
    }
    window.drop_at(to);
    window.run();
}

/// The quote of the one annotation that was "resigned on Monday", and whether it is still marked.
fn first_annotation(window: &Window) -> (String, bool) {
    let project = window.state().workspace().unwrap().project();
    let annotation = project.annotations().next().unwrap();
    (
        annotation.span.quote(project.text()).unwrap().to_owned(),
        annotation.review.is_some(),
    )
}

#[test]
fn replace_the_text_resolve_a_review_with_the_mouse_save_and_reopen() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("article.ron");
    saved_project(&path);
    let old_file = std::fs::read(&path).unwrap();
    let new_text = folder.path().join("article-corrected.txt");
    std::fs::write(&new_text, NEW).unwrap();
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&path, OpenAs::Auto);
    let mut window = window(app);

    // File ▸ Replace Source Text…, with the path typed.
    window.get_by_label("File").click();
    window.run();
    window.get_by_label("Replace Source Text…").click();
    window.run();
    window.get_by_label(PATH_FIELD_LABEL).focus();
    window.run();
    // The chooser starts in the project's folder: the typed path replaces that.
    window.key_press_modifiers(Modifiers::COMMAND, Key::A);
    window
        .get_by_label(PATH_FIELD_LABEL)
        .type_text(new_text.to_str().unwrap());
    window.run();
    window.get_by_label("Replace").click();
    window.run();
    let summary = match window.state().banner() {
        Some(Banner::Notice(text)) => text.clone(),
        other => panic!("expected the summary, got {other:?}"),
    };
    assert!(
        summary.contains("1 moved exactly, 0 moved by quote, 1 need review"),
        "{summary}"
    );
    assert_eq!(window.state().workspace().unwrap().project().text(), NEW);
    assert_eq!(
        window.state().title(),
        "article.ron* — Counterpoint",
        "same path, unsaved"
    );
    assert_eq!(std::fs::read(&path).unwrap(), old_file, "nothing written yet");

    // The review list shows the old quote beside the candidate.
    window.get_by_label("Needs review (1)");
    window.get_by_label("“resigned on Monday”");
    assert_eq!(first_annotation(&window), ("resigned on Tuesday".to_owned(), true));
    assert!(
        window.get_by_label(PLACE_LABEL).accesskit_node().is_disabled(),
        "nothing selected yet"
    );

    // Select the new place with the mouse, then click Place on selection.
    let new_place = span_of(&window, "minister resigned on Tuesday");
    drag_across(&mut window, new_place);
    window.get_by_label(PLACE_LABEL).click();
    window.run();
    assert_eq!(
        first_annotation(&window),
        ("minister resigned on Tuesday".to_owned(), false)
    );
    assert!(
        window.query_by_label(PLACE_LABEL).is_none(),
        "the list is empty and gone"
    );

    // One undoable step.
    window.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    window.run();
    assert_eq!(first_annotation(&window), ("resigned on Tuesday".to_owned(), true));
    window.get_by_label("Needs review (1)");
    window.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    window.run();
    assert_eq!(
        first_annotation(&window),
        ("minister resigned on Tuesday".to_owned(), false)
    );

    // Save writes over the project; the old file is kept as .bak.
    window.key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.run();
    assert_eq!(window.state().title(), "article.ron — Counterpoint");
    assert_eq!(std::fs::read(path.with_extension("ron.bak")).unwrap(), old_file);
    let saved = std::fs::read_to_string(&path).unwrap();
    let old_hash = project_file::from_ron_str(std::str::from_utf8(&old_file).unwrap())
        .unwrap()
        .source()
        .sha256
        .clone();
    assert!(saved.contains(&format!("previous_sha256: [\"{old_hash}\"]")), "{saved}");
    assert!(
        saved.contains("quote: \"minister resigned on Tuesday\", tags: [\"Claim\"]),\n"),
        "{saved}"
    );
    assert!(!saved.contains("review:"), "{saved}");

    // Reopened, it is the same project.
    let mut reopened = CounterpointApp::new(None, options(folder.path()));
    reopened.open_file(&path, OpenAs::Auto);
    let reopened = self::window(reopened);
    assert_eq!(
        reopened.state().workspace().unwrap().project(),
        window.state().workspace().unwrap().project()
    );
    assert!(reopened.query_by_label(PLACE_LABEL).is_none());
}

#[test]
fn a_file_saved_with_marks_opens_with_its_review_list_and_f8_goes_to_them() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("article.ron");
    saved_project(&path);
    let old = project_file::load(&path).unwrap();
    let moved = counterpoint::reanchor::project::reanchor_project(&old, NEW.as_bytes(), None).unwrap();
    project_file::save(&moved.project, &path, &Expect::Anything).unwrap();
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&path, OpenAs::Auto);
    let mut window = window(app);
    window.get_by_label("Needs review (1)");
    let marked = window
        .state()
        .workspace()
        .unwrap()
        .project()
        .annotations_needing_review()[0]
        .clone();
    assert_eq!(marked.review.as_ref().unwrap().reason, ReviewReason::QuoteChanged);
    window.key_press(Key::F8);
    window.run();
    assert_eq!(window.state().selection().annotation, Some(marked.id), "F8 selects it");
    window.get_by_label(ACCEPT_LABEL).click();
    window.run();
    assert_eq!(first_annotation(&window), ("resigned on Tuesday".to_owned(), false));
    assert!(window.query_by_label(ACCEPT_LABEL).is_none(), "the list is empty");
    assert!(window.state().title().contains('*'));
}
