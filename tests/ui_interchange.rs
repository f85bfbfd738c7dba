//! Drives File ▸ Import and File ▸ Export headless with `egui_kittest`:
//! a brat pair found beside its text, W3C with the second chooser, and
//! exports to brat and CSV written where the window says.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use counterpoint::model::edit::Edit;
use counterpoint::model::history::History;
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::ui::dialogs::{Banner, PATH_FIELD_LABEL};
use counterpoint::ui::{AppOptions, CounterpointApp, Workspace};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const BRAT: &str = "tests/fixtures/realdata/brat-tutorial/110-note_annotation";

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

fn empty_app() -> CounterpointApp {
    CounterpointApp::new(None, AppOptions::headless())
}

/// Opens File ▸ `submenu` ▸ `entry`.
fn menu(harness: &mut Harness<'static, CounterpointApp>, submenu: &str, entry: &str) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label(submenu).click();
    harness.run();
    harness.get_by_label(entry).click();
    harness.run();
}

fn choose(harness: &mut Harness<'static, CounterpointApp>, path: &Path, button: &str) {
    harness.get_by_label(PATH_FIELD_LABEL).type_text(path.to_str().unwrap());
    harness.run();
    harness.get_by_label(button).click();
    harness.run();
}

fn notice(harness: &Harness<'static, CounterpointApp>) -> String {
    match harness.state().banner() {
        Some(Banner::Notice(text)) => text.clone(),
        other => panic!("expected a notice, got {other:?}"),
    }
}

#[test]
fn a_brat_pair_imports_through_the_menu_with_its_warnings_shown() {
    let folder = tempfile::tempdir().unwrap();
    for ext in ["txt", "ann"] {
        std::fs::copy(format!("{BRAT}.{ext}"), folder.path().join(format!("notes.{ext}"))).unwrap();
    }
    let text = folder.path().join("notes.txt");
    let mut harness = harness(empty_app());
    menu(&mut harness, "Import", "brat standoff (.txt + .ann)");
    choose(&mut harness, &text, "Import");

    let workspace = harness.state().workspace().unwrap();
    let project = workspace.project();
    assert_eq!(project.annotation_count(), 14);
    let discworld = project.annotations_in_document_order()[0];
    assert_eq!(discworld.span.quote(project.text()), Some("Discworld"));
    assert_eq!(
        discworld.counter_claims[0].text,
        "Should fictional places be annotated?"
    );
    assert!(workspace.has_unsaved_changes(), "an import is new, unsaved work");
    assert_eq!(harness.state().title(), "notes.txt* — Counterpoint");
    assert!(notice(&harness).contains("14 annotations"));

    let report = harness.state().report().unwrap();
    assert_eq!(report.warnings.len(), 4, "{:?}", report.warnings);
    // Events and relations are first-class now; only the notes on them are kept lines.
    assert_eq!(project.relations().count(), 8);
    harness.get_by_label_contains(r##"kept unchanged for export: "#2", "#3""##);
    harness.get_by_label_contains("shown as relations");
    harness.get_by_label_contains(r#""GPE", "Organization", "Merge-org", "Person""#);
    harness.get_by_label("Close notes").click();
    harness.run();
    assert!(harness.state().report().is_none());
}

#[test]
fn w3c_asks_for_its_annotation_file_with_a_second_chooser() {
    let folder = tempfile::tempdir().unwrap();
    let text = folder.path().join("book.txt");
    let body: String = (0..900)
        .map(|i| char::from(b'a' + u8::try_from(i % 26).unwrap()))
        .collect();
    std::fs::write(&text, &body).unwrap();
    let annotations = folder.path().join("anno24.json");
    std::fs::copy("tests/fixtures/realdata/w3c-web-annotation/anno24.json", &annotations).unwrap();

    let mut harness = harness(empty_app());
    menu(&mut harness, "Import", "W3C Web Annotation (JSON-LD)");
    choose(&mut harness, &text, "Import");
    assert!(
        harness.state().workspace().is_none(),
        "nothing opens before the annotations are chosen"
    );
    harness.get_by_label("Import W3C Web Annotation (JSON-LD): the annotation file");
    harness.get_by_label_contains("Which annotation file goes with it?");
    harness.get_by_label(PATH_FIELD_LABEL).focus();
    harness.run();
    // The chooser starts in the text's folder; replace that with the file.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    choose(&mut harness, &annotations, "Import");

    let project = harness.state().workspace().unwrap().project();
    let annotation = project.annotations().next().unwrap();
    assert_eq!((annotation.span.start.0, annotation.span.end.0), (412, 795));
    let report = harness.state().report().unwrap();
    assert!(report.warnings[0].contains(r#"left out the body "http://example.org/review1""#));
    harness.get_by_label_contains(r#"left out the body "http://example.org/review1""#);
}

#[test]
fn a_failed_import_leaves_the_work_alone() {
    let folder = tempfile::tempdir().unwrap();
    let text = folder.path().join("lonely.txt");
    std::fs::write(&text, "No annotations here.").unwrap();
    let broken = folder.path().join("broken.ann");
    std::fs::write(&broken, "T1\tClaim 0 999\tNo").unwrap();
    let mut harness = harness(empty_app());
    menu(&mut harness, "Import", "brat standoff (.txt + .ann)");
    choose(&mut harness, &text, "Import");
    harness.get_by_label_contains("no annotation file beside");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    choose(&mut harness, &broken, "Import");
    assert!(harness.state().workspace().is_none());
    let Some(Banner::Error(message)) = harness.state().banner() else {
        panic!("expected an error banner");
    };
    assert!(message.starts_with("Could not import"), "{message}");
}

/// A saved project at `folder/p.ron` with a tagged phrase and a counter-claim.
fn annotated_app(folder: &Path) -> CounterpointApp {
    let text = "Prices exploded.\r\nNobody knows why, naïvely.\r\n";
    let mut project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
    let start = text.find("Nobody").unwrap();
    let (edit, id) = Edit::tag_span(&project, Span::new(start, start + 6), TagId("Claim".into())).unwrap();
    edit.apply(&mut project).unwrap();
    let claim = counterpoint::model::annotation::CounterClaim {
        text: "Somebody does.".into(),
        sources: Vec::new(),
    };
    Edit::InsertCounterClaim { id, index: 0, claim }
        .apply(&mut project)
        .unwrap();
    let workspace = Workspace::new(project, History::new(), Some(folder.join("p.ron")));
    CounterpointApp::new(Some(workspace), AppOptions::headless())
}

#[test]
fn export_to_brat_writes_the_annotations_and_the_text_beside() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    let before = harness.state().workspace().unwrap().project().clone();
    menu(&mut harness, "Export", "brat standoff (.txt + .ann)");
    let ann = folder.path().join("p.ann");
    assert_eq!(
        harness.get_by_label(PATH_FIELD_LABEL).value().as_deref(),
        Some(ann.to_str().unwrap()),
        "the project's name with the format's extension"
    );
    harness.get_by_label("Export").click();
    harness.run();
    let lines = std::fs::read_to_string(&ann).unwrap();
    // brat counts a CRLF as one character: "Nobody" starts at byte 18 but character 17.
    assert!(lines.starts_with("T1\tClaim 17 23\tNobody\n"), "{lines}");
    assert!(lines.contains("AnnotatorNotes T1\tSomebody does."), "{lines}");
    let beside = folder.path().join("p.txt");
    assert_eq!(std::fs::read(&beside).unwrap(), before.text().as_bytes());
    let shown = notice(&harness);
    assert!(
        shown.contains(ann.to_str().unwrap()) && shown.contains(beside.to_str().unwrap()),
        "{shown}"
    );
    assert_eq!(harness.state().workspace().unwrap().project(), &before);
    assert!(!harness.state().workspace().unwrap().has_unsaved_changes());
}

#[test]
fn export_to_csv_writes_one_row_per_annotation() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    menu(&mut harness, "Export", "CSV, one row per annotation (export only)");
    harness.get_by_label("Export").click();
    harness.run();
    let csv = std::fs::read_to_string(folder.path().join("p.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows[1].contains("Nobody") && rows[1].contains("Somebody does."),
        "{csv}"
    );
    assert!(notice(&harness).contains("p.csv"));
}

#[test]
fn an_export_replaces_a_different_file_only_when_the_user_confirms() {
    let folder = tempfile::tempdir().unwrap();
    let other = folder.path().join("p.txt");
    std::fs::write(&other, "Someone else's text.").unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    menu(&mut harness, "Export", "brat standoff (.txt + .ann)");
    harness.get_by_label("Export").click();
    harness.run();
    harness.get_by_label("Replace existing file?");
    harness.get_by_label(&format!("• {}", other.display()));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "Someone else's text.");
    assert!(!folder.path().join("p.ann").exists(), "all files or none");

    menu(&mut harness, "Export", "brat standoff (.txt + .ann)");
    harness.get_by_label("Export").click();
    harness.run();
    harness.get_by_label("Replace").click();
    harness.run();
    let project = harness.state().workspace().unwrap().project().clone();
    assert_eq!(std::fs::read(&other).unwrap(), project.text().as_bytes());
    assert_eq!(
        std::fs::read_to_string(folder.path().join("p.txt.bak")).unwrap(),
        "Someone else's text."
    );
    assert!(folder.path().join("p.ann").exists());

    // The same export again writes the same bytes: nothing is touched or asked.
    let before = std::fs::metadata(&other).unwrap().modified().unwrap();
    menu(&mut harness, "Export", "brat standoff (.txt + .ann)");
    harness.get_by_label("Export").click();
    harness.run();
    assert!(harness.query_by_label("Replace existing file?").is_none());
    assert!(notice(&harness).contains("left untouched"));
    assert_eq!(std::fs::metadata(&other).unwrap().modified().unwrap(), before);
}

#[test]
fn plain_text_export_never_suggests_the_article_the_work_came_from() {
    let folder = tempfile::tempdir().unwrap();
    let article = folder.path().join("article.txt");
    let original = "Prices exploded.\nComment: They did not.\nNobody knows.\n";
    std::fs::write(&article, original).unwrap();
    let mut app = empty_app();
    app.open_file(&article, counterpoint::ui::OpenAs::CommentedArticle);
    let mut harness = harness(app);
    menu(&mut harness, "Export", "Plain text (original bytes)");
    let suggested = harness.get_by_label(PATH_FIELD_LABEL).value().unwrap();
    assert_eq!(suggested, folder.path().join("article-export.txt").to_str().unwrap());
    harness.get_by_label("Export").click();
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&article).unwrap(),
        original,
        "the article is untouched"
    );
    assert!(folder.path().join("article-export.txt").exists());
}

#[test]
fn importing_over_unsaved_work_asks_first() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    harness.get_by_label_contains("Claim “Nobody”").click();
    harness.run();
    harness.key_press(egui::Key::Delete);
    harness.run();
    menu(&mut harness, "Import", "doccano JSONL");
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(
        harness.query_by_label(PATH_FIELD_LABEL).is_none(),
        "cancelled: no chooser"
    );
    assert_eq!(harness.state().workspace().unwrap().project().annotation_count(), 0);
}
