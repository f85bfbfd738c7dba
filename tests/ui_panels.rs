//! Drives the editor's panels and dialogs headless with `egui_kittest`: find,
//! the annotation list, Delete, errors in the window, the unsaved-changes
//! question, drag-and-drop, commented articles, the tag-set
//! editor, and a snapshot of the main window. `ui_panels/window_fixes.rs`:
//! what issue 11 found in the real window, and the dark theme.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use counterpoint::model::edit::Edit;
use counterpoint::model::history::History;
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::ui::annotation_list::FILTER_LABEL;
use counterpoint::ui::dialogs::{Banner, PATH_FIELD_LABEL};
use counterpoint::ui::find_bar::FIND_FIELD_LABEL;
use counterpoint::ui::{AppOptions, CounterpointApp, OpenAs, Workspace};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

#[path = "ui_panels/window_fixes.rs"]
mod window_fixes;

const SAMPLE: &str = "assets/examples/000_7713f654ee184543.txt";

fn options(folder: &Path) -> AppOptions {
    AppOptions {
        recovery_dir: Some(folder.join("data/recovery")),
        config_dir: Some(folder.join("config")),
        ..AppOptions::headless()
    }
}

fn harness(app: CounterpointApp) -> Harness<'static, CounterpointApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness
}

fn sample_app(folder: &Path) -> CounterpointApp {
    let path = folder.join("article.txt");
    std::fs::copy(SAMPLE, &path).unwrap();
    let mut app = CounterpointApp::new(None, options(folder));
    app.open_file(&path, OpenAs::Auto);
    app
}

/// The sample with two tagged phrases, saved at `folder/p.ron`.
fn annotated_app(folder: &Path) -> CounterpointApp {
    let workspace = Workspace::new(annotated_project(), History::new(), Some(folder.join("p.ron")));
    CounterpointApp::new(Some(workspace), options(folder))
}

fn annotated_project() -> Project {
    let text = std::fs::read_to_string(SAMPLE).unwrap();
    let mut project = Project::new(text.clone(), SourceInfo::of_text(&text), TagSet::default_set());
    for (phrase, tag) in [
        ("major Russian troop buildup", "Claim"),
        ("Kremlin aide", "Loaded_Language"),
    ] {
        let start = text.find(phrase).unwrap();
        let span = Span::new(start, start + phrase.len());
        let (edit, _) = Edit::tag_span(&project, span, TagId(tag.into())).unwrap();
        edit.apply(&mut project).unwrap();
    }
    project
}

fn annotation_count(harness: &Harness<'static, CounterpointApp>) -> usize {
    harness.state().workspace().unwrap().project().annotation_count()
}

#[test]
fn find_selects_each_hit_in_turn() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(sample_app(folder.path()));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label(FIND_FIELD_LABEL).type_text("Ukraine");
    harness.run();
    harness.get_by_label("Next").click();
    harness.run();
    let text = std::fs::read_to_string(SAMPLE).unwrap();
    let first = text.find("Ukraine").unwrap();
    assert_eq!(harness.state().selection().span(), Some(Span::new(first, first + 7)));
    harness.get_by_label("Next").click();
    harness.run();
    let second = first + 7 + text[first + 7..].find("Ukraine").unwrap();
    assert_eq!(harness.state().selection().span(), Some(Span::new(second, second + 7)));
    let hits = text.matches("Ukraine").count();
    harness.get_by_label(&format!("2 of {hits}"));
}

#[test]
fn the_annotation_list_filters_and_jumps_and_delete_removes() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    harness.get_by_label("Annotations (2)");
    harness.get_by_label(FILTER_LABEL).focus();
    harness.run();
    harness.get_by_label(FILTER_LABEL).type_text("kremlin");
    harness.run();
    assert!(harness.query_by_label_contains("Claim “major Russian").is_none());
    harness.get_by_label_contains("Loaded language “Kremlin aide”").click();
    harness.run();
    let project = harness.state().workspace().unwrap().project();
    let kremlin = project
        .annotations()
        .find(|a| a.tags[0].as_str() == "Loaded_Language")
        .unwrap();
    assert_eq!(harness.state().selection().annotation, Some(kremlin.id));
    assert!(
        !harness.state().screen_rects(kremlin.span).is_empty(),
        "the text scrolled to it"
    );

    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(annotation_count(&harness), 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(annotation_count(&harness), 2);
}

#[test]
fn clicking_a_highlight_selects_its_annotation() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    let project = harness.state().workspace().unwrap().project();
    let claim = project.annotations().find(|a| a.tags[0].as_str() == "Claim").unwrap();
    let (id, span) = (claim.id, claim.span);
    let rect = harness.state().screen_rects(span)[0];
    harness.hover_at(rect.center());
    harness.run();
    harness.drag_at(rect.center());
    harness.drop_at(rect.center());
    harness.run();
    assert_eq!(harness.state().selection().annotation, Some(id));
    // The palette shows the tag as chosen; pressing its hotkey again removes it.
    harness.key_press(Key::Num1);
    harness.run();
    let project = harness.state().workspace().unwrap().project();
    assert!(project.annotation(id).unwrap().tags.is_empty());
}

#[test]
fn a_binary_file_is_refused_in_the_window_and_the_work_stays() {
    let folder = tempfile::tempdir().unwrap();
    let binary = folder.path().join("image.bin");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 0, 1, 2, 255, 0]).unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    let before = harness.state().workspace().unwrap().project().clone();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    harness
        .get_by_label(PATH_FIELD_LABEL)
        .type_text(binary.to_str().unwrap());
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    let Some(Banner::Error(message)) = harness.state().banner() else {
        panic!("expected an error banner");
    };
    assert!(message.contains("image.bin"), "{message}");
    assert_eq!(harness.state().workspace().unwrap().project(), &before);
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.state().banner().is_none());
}

fn request_close(harness: &mut Harness<'static, CounterpointApp>) {
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run();
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    request_close(&mut harness);
    assert!(
        harness.query_by_label("Unsaved changes").is_none(),
        "nothing to ask when saved"
    );

    harness.key_press(Key::Delete);
    let rect = {
        let project = harness.state().workspace().unwrap().project();
        let span = project.annotations().next().unwrap().span;
        harness.state().screen_rects(span)[0]
    };
    harness.drag_at(rect.center());
    harness.drop_at(rect.center());
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    assert!(harness.state().title().contains('*'));
    request_close(&mut harness);
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert_eq!(annotation_count(&harness), 1, "the work is still open");

    request_close(&mut harness);
    harness.get_by_label("Save").click();
    harness.run();
    let saved = counterpoint::project_file::load(&folder.path().join("p.ron")).unwrap();
    assert_eq!(saved.annotation_count(), 1);
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_file_opens_and_joins_the_recent_files() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("dropped.txt");
    std::fs::write(&path, "One line.\r\nTwo lines.").unwrap();
    let mut harness = harness(CounterpointApp::new(None, options(folder.path())));
    harness.input_mut().dropped_files.push(Arc::new(Dropped(path.clone())));
    harness.run();
    let workspace = harness.state().workspace().unwrap();
    assert_eq!(workspace.project().text(), "One line.\r\nTwo lines.");
    assert_eq!(workspace.paragraphs().len(), 2, "CRLF is one line break");
    drop(harness);
    let again = CounterpointApp::new(None, options(folder.path()));
    assert!(
        again
            .recent_files()
            .entries()
            .iter()
            .any(|e| e.path.ends_with("dropped.txt"))
    );
}

#[test]
fn a_commented_article_opens_with_its_counter_claims() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("article.txt");
    std::fs::copy(SAMPLE, &path).unwrap();
    let mut harness = harness(CounterpointApp::new(None, options(folder.path())));
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Open as commented article…").click();
    harness.run();
    harness.get_by_label(PATH_FIELD_LABEL).type_text(path.to_str().unwrap());
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    let project = harness.state().workspace().unwrap().project();
    let claims: usize = project.annotations().map(|a| a.counter_claims.len()).sum();
    let comment_lines = std::fs::read_to_string(SAMPLE).unwrap().matches("Comment: ").count();
    assert_eq!(claims, comment_lines, "each Comment: line became a counter-claim");
    assert!(!project.text().contains("Comment:"));
}

#[test]
fn the_tag_set_editor_adds_and_deletes_tags() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label("Edit tag set…").click();
    harness.run();
    harness.get_by_label("Add tag").click();
    harness.run();
    let tags = |h: &Harness<'static, CounterpointApp>| h.state().workspace().unwrap().project().tag_set().tags.len();
    assert_eq!(tags(&harness), 26);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(tags(&harness), 25);

    // Deleting a tag in use asks for a second click, then removes it from the annotation too.
    let delete_claim = |h: &Harness<'static, CounterpointApp>| {
        let row = h.get_by_label("Name of Claim").rect();
        h.get_all_by_label("Delete")
            .find(|node| (node.rect().center().y - row.center().y).abs() < 4.0)
            .unwrap()
            .click();
    };
    harness.get_by_label("Name of Claim").scroll_to_me();
    harness.run();
    delete_claim(&harness);
    harness.run();
    assert_eq!(tags(&harness), 25, "the first click only warns");
    harness.get_by_label_contains("1 annotation(s) use Claim");
    delete_claim(&harness);
    harness.run();
    assert_eq!(tags(&harness), 24);
    let project = harness.state().workspace().unwrap().project();
    assert!(
        project
            .annotations()
            .all(|a| a.tags.iter().all(|t| t.as_str() != "Claim"))
    );
}

#[test]
fn main_window_snapshot() {
    let workspace = Workspace::new(annotated_project(), History::new(), None);
    let mut app = CounterpointApp::new(Some(workspace), AppOptions::headless());
    let text = std::fs::read_to_string(SAMPLE).unwrap();
    let start = text.find("Kremlin aide").unwrap();
    app.reveal_span(Span::new(start, start));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(960.0, 600.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness.snapshot("main_window");
}

#[test]
fn ctrl_z_in_the_find_field_leaves_the_document_alone() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    harness.get_by_label_contains("Loaded language “Kremlin aide”").click();
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(annotation_count(&harness), 1);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label(FIND_FIELD_LABEL).type_text("Kremlin");
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(annotation_count(&harness), 1, "the field kept Ctrl+Z for itself");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert_eq!(annotation_count(&harness), 1, "and Ctrl+Y");

    harness.get_by_label(FILTER_LABEL).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(annotation_count(&harness), 1, "the annotation filter too");

    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        annotation_count(&harness),
        2,
        "outside the fields Ctrl+Z undoes the document"
    );
}

/// A project whose text was changed by hand opens, with a notice that names
/// the recorded SHA-256 (not an error: the change may be meant).
#[test]
fn a_project_whose_text_no_longer_matches_its_hash_opens_with_a_notice() {
    let folder = tempfile::tempdir().unwrap();
    let saved = counterpoint::project_file::to_ron_string(&annotated_project()).unwrap();
    let path = folder.path().join("edited.ron");
    std::fs::write(
        &path,
        saved.replacen("\"Washington and Kyiv", "\"Vashington and Kyiv", 1),
    )
    .unwrap();
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&path, OpenAs::Auto);
    let harness = harness(app);
    assert_eq!(annotation_count(&harness), 2, "the project opened");
    let Some(Banner::Notice(message)) = harness.state().banner() else {
        panic!("expected a notice, got {:?}", harness.state().banner());
    };
    assert!(message.contains("SHA-256"), "{message}");
    harness.get_by_label("Dismiss");
}
