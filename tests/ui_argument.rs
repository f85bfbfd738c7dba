//! Drives the argument structure of issue 13 headless with `egui_kittest`:
//! links between annotations listed in the side panel (click to go to the
//! other end) and made with the mouse, attributes and document labels set in
//! their panels, saved and read back from the file.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use counterpoint::model::annotation::AnnotationId;
use counterpoint::model::attributes::{AttributeDecl, AttributeKind};
use counterpoint::model::edit::Edit;
use counterpoint::model::history::History;
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::relations::RelationTypeId;
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::ui::argument_panel::link_label;
use counterpoint::ui::document_panel::DOCUMENT_LABELS_TITLE;
use counterpoint::ui::linking::TYPE_WINDOW_TITLE;
use counterpoint::ui::{AppOptions, CounterpointApp, Workspace};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

type Window = Harness<'static, CounterpointApp>;

const TEXT: &str = "Prices exploded last week. Officials blamed the war.\n\n\
    The figures show fuel up by a third since March. Shops report the same rise.\n";
const CLAIM: &str = "Prices exploded last week";
const EVIDENCE: &str = "fuel up by a third since March";

fn options(folder: &Path) -> AppOptions {
    AppOptions {
        recovery_dir: Some(folder.join("data/recovery")),
        config_dir: Some(folder.join("config")),
        ..AppOptions::headless()
    }
}

fn window_on(app: CounterpointApp) -> Window {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness
}

fn span_of(phrase: &str) -> Span {
    let start = TEXT.find(phrase).unwrap();
    Span::new(start, start + phrase.len())
}

/// A project with a Claim and an Evidence annotation, saved to `folder/p.ron`
/// on Save; `linked` adds "the evidence supports the claim".
fn app(folder: &Path, linked: bool) -> (CounterpointApp, AnnotationId, AnnotationId) {
    let mut tag_set = TagSet::default_set();
    let claim_tag = tag_set.tags.iter_mut().find(|t| t.id.as_str() == "Claim").unwrap();
    claim_tag
        .attributes
        .push(AttributeDecl::new("Note", AttributeKind::Text));
    let mut project = Project::new(TEXT.into(), SourceInfo::of_text(TEXT), tag_set);
    let mut tag = |phrase: &str, tag: &str| {
        let (edit, id) = Edit::tag_span(&project, span_of(phrase), TagId(tag.into())).unwrap();
        edit.apply(&mut project).unwrap();
        id
    };
    let claim = tag(CLAIM, "Claim");
    let evidence = tag(EVIDENCE, "Evidence");
    if linked {
        let (edit, _) = Edit::add_relation(&project, &RelationTypeId("supports".into()), evidence, claim).unwrap();
        edit.apply(&mut project).unwrap();
    }
    let workspace = Workspace::new(project, History::new(), Some(folder.join("p.ron")));
    (CounterpointApp::new(Some(workspace), options(folder)), claim, evidence)
}

fn click_highlight(window: &mut Window, phrase: &str) {
    let rect = window.state().screen_rects(span_of(phrase))[0];
    window.hover_at(rect.center());
    window.run();
    window.drag_at(rect.center());
    window.drop_at(rect.center());
    window.run();
}

fn project(window: &Window) -> &Project {
    window.state().workspace().unwrap().project()
}

#[test]
fn links_are_listed_both_ways_and_lead_to_the_other_end() {
    let folder = tempfile::tempdir().unwrap();
    let (app, claim, evidence) = app(folder.path(), true);
    let mut window = window_on(app);
    click_highlight(&mut window, CLAIM);
    assert_eq!(window.state().selection().annotation, Some(claim));
    let incoming = link_label(project(&window), "supports", false, evidence);
    assert!(incoming.starts_with("← supports “fuel up"), "{incoming}");
    window.get_by_label(&incoming).click();
    window.run();
    assert_eq!(window.state().selection().annotation, Some(evidence));
    let outgoing = link_label(project(&window), "supports", true, claim);
    window.get_by_label(&outgoing).click();
    window.run();
    assert_eq!(window.state().selection().annotation, Some(claim));
}

/// Select, Link to…, click the target, pick the type by its key: one undoable
/// step that is saved; deleting an end removes the link, undo brings both back.
#[test]
fn a_link_is_made_with_the_mouse_undone_saved_and_removed_with_its_end() {
    let folder = tempfile::tempdir().unwrap();
    let (app, claim, evidence) = app(folder.path(), false);
    let mut window = window_on(app);
    click_highlight(&mut window, EVIDENCE);
    assert_eq!(window.state().selection().annotation, Some(evidence));
    window.get_by_label_contains("Link to…").click();
    window.run();
    click_highlight(&mut window, CLAIM);
    window.get_by_label(TYPE_WINDOW_TITLE);
    assert_eq!(
        window.state().selection().annotation,
        Some(evidence),
        "picking the target does not select it"
    );
    window.key_press(egui::Key::Num1);
    window.run();
    assert!(window.query_by_label(TYPE_WINDOW_TITLE).is_none());
    let relations: Vec<_> = project(&window)
        .relations()
        .map(|r| (r.kind.as_str().to_owned(), r.from, r.to))
        .collect();
    assert_eq!(relations, [("supports".to_owned(), evidence, claim)]);
    assert_eq!(window.state().selection().annotation, Some(evidence));
    window.get_by_label(&link_label(project(&window), "supports", true, claim));

    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    window.run();
    assert_eq!(project(&window).relations().len(), 0, "undo takes the link out");
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    window.run();
    assert_eq!(project(&window).relations().len(), 1, "redo puts it back");

    // Escape cancels a link half made.
    window.key_press(egui::Key::L);
    window.run();
    window.key_press(egui::Key::Escape);
    window.run();
    click_highlight(&mut window, CLAIM);
    assert_eq!(
        window.state().selection().annotation,
        Some(claim),
        "a click selects again"
    );
    assert!(window.query_by_label(TYPE_WINDOW_TITLE).is_none());

    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    window.run();
    let saved = std::fs::read_to_string(folder.path().join("p.ron")).unwrap();
    let reopened = counterpoint::project_file::from_ron_str(&saved).unwrap();
    let kinds: Vec<&str> = reopened.relations().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["supports"], "{saved}");
    // Reopened in a window, the link is listed again.
    let mut again = CounterpointApp::new(None, options(folder.path()));
    again.open_file(&folder.path().join("p.ron"), counterpoint::ui::OpenAs::Auto);
    let mut again = window_on(again);
    click_highlight(&mut again, EVIDENCE);
    again.get_by_label(&link_label(project(&again), "supports", true, claim));

    // Deleting the claim takes its link with it, in one step.
    window.key_press(egui::Key::Delete);
    window.run();
    assert!(project(&window).annotation(claim).is_none());
    assert_eq!(project(&window).relations().len(), 0);
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    window.run();
    assert!(project(&window).annotation(claim).is_some());
    assert_eq!(project(&window).relations().len(), 1, "undo restores both");
}

/// Flag, choice and free text on the selected claim: each an undoable step
/// (typing is one), shown on hover, saved.
#[test]
fn attributes_are_set_in_the_side_panel_undone_and_saved() {
    let folder = tempfile::tempdir().unwrap();
    let (app, claim, _) = app(folder.path(), false);
    let mut window = window_on(app);
    click_highlight(&mut window, CLAIM);
    let values = |window: &Window| project(window).annotation(claim).unwrap().attributes.clone();

    window.get_by_label("Negated").click();
    window.run();
    assert_eq!(values(&window).get("Negated").map(String::as_str), Some("true"));

    window.get_by_label("Verdict").click();
    window.run();
    window.get_by_label("Mostly false").click();
    window.run();
    assert_eq!(values(&window).get("Verdict").map(String::as_str), Some("Mostly false"));

    window.get_by_label("Note").click();
    window.run();
    window.get_by_label("Note").type_text("per Eurostat");
    window.run();
    assert_eq!(values(&window).get("Note").map(String::as_str), Some("per Eurostat"));
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    window.run();
    assert_eq!(values(&window).get("Note"), None, "the typing is one step");
    assert_eq!(values(&window).len(), 2);
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    window.run();

    // Unticking the flag clears it.
    window.get_by_label("Negated").click();
    window.run();
    assert_eq!(values(&window).get("Negated"), None);

    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    window.run();
    let reopened = counterpoint::project_file::load(&folder.path().join("p.ron")).unwrap();
    let saved = &reopened.annotation(claim).unwrap().attributes;
    assert_eq!(saved.get("Verdict").map(String::as_str), Some("Mostly false"));
    assert_eq!(saved.get("Note").map(String::as_str), Some("per Eurostat"));
    assert_eq!(saved.len(), 2);
}

/// View ▸ Document labels…: a verdict chosen, a URL typed (one step), saved.
#[test]
fn document_labels_are_set_in_their_window_and_saved() {
    let folder = tempfile::tempdir().unwrap();
    let (app, _, _) = app(folder.path(), false);
    let mut window = window_on(app);
    window.get_by_label("View").click();
    window.run();
    window.get_by_label_contains("Document labels…").click();
    window.run();
    window.get_by_label(DOCUMENT_LABELS_TITLE);
    window.get_by_label("Verdict").click();
    window.run();
    window.get_by_label("Mostly false").click();
    window.run();
    window.get_by_label("URL").click();
    window.run();
    window.get_by_label("URL").type_text("https://example.org/a");
    window.run();
    let labels = |window: &Window| project(window).document_labels().clone();
    assert_eq!(
        labels(&window).get("URL").map(String::as_str),
        Some("https://example.org/a")
    );
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    window.run();
    assert_eq!(labels(&window).get("URL"), None, "the typing is one step");
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    window.run();
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    window.run();
    let reopened = counterpoint::project_file::load(&folder.path().join("p.ron")).unwrap();
    let saved = reopened.document_labels();
    assert_eq!(saved.get("Verdict").map(String::as_str), Some("Mostly false"));
    assert_eq!(saved.get("URL").map(String::as_str), Some("https://example.org/a"));
    assert_eq!(saved.len(), 2);
}

/// Edit ▸ Edit tag set…: a link type added and renamed, an attribute
/// declared on a tag and made free text; each undoable.
#[test]
fn link_types_and_attribute_declarations_are_edited_in_the_tag_set_editor() {
    let folder = tempfile::tempdir().unwrap();
    let (app, _, _) = app(folder.path(), false);
    let mut window = window_on(app);
    window.get_by_label("Edit").click();
    window.run();
    window.get_by_label_contains("Edit tag set…").click();
    window.run();
    window.get_by_label("Link types").click();
    window.run();
    let before = project(&window).tag_set().relation_types.len();
    window.get_by_label("Add link type").click();
    window.run();
    let kinds = &project(&window).tag_set().relation_types;
    assert_eq!(kinds.len(), before + 1);
    assert_eq!(kinds.last().unwrap().name, "new link");
    window.get_by_label("Name of link type new link").click();
    window.run();
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    window
        .get_by_label("Name of link type new link")
        .type_text("contradicts");
    window.run();
    assert_eq!(
        project(&window).tag_set().relation_types.last().unwrap().name,
        "contradicts"
    );

    window.get_by_label("Attributes").click();
    window.run();
    window.get_by_label("Attributes of").click();
    window.run();
    // The first tag: the drop-down's entries further down are scrolled out of view.
    let first = project(&window).tag_set().tags[0].clone();
    // The palette lists the tag too (disabled: nothing is selected).
    window.get_all_by_label(&first.name).last().unwrap().click();
    window.run();
    window.get_by_label("Add attribute").click();
    window.run();
    let declared = |window: &Window| project(window).tag_set().get(&first.id).unwrap().attributes.clone();
    let added = declared(&window);
    assert_eq!(
        added.last().unwrap(),
        &AttributeDecl::new("New attribute", AttributeKind::Flag)
    );
    window.get_by_label("Kind of attribute New attribute").click();
    window.run();
    window.get_by_label("Text").click();
    window.run();
    assert_eq!(declared(&window).last().unwrap().kind, AttributeKind::Text);
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    window.run();
    assert_eq!(
        declared(&window).last().unwrap().kind,
        AttributeKind::Flag,
        "undo, step by step"
    );
    window.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    window.run();
    assert_eq!(declared(&window).len(), added.len() - 1);
    assert!(first.attributes.is_empty());
}
