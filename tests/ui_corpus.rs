//! A folder of documents as one corpus in the window, driven headless with
//! `egui_kittest`: opening it, moving through it with the document list and
//! Ctrl+PageDown / Ctrl+PageUp, tagging in two documents (the first keeps its
//! unsaved edits and undo while the second shows), Save All, a text without
//! a project saved beside itself, the close guard over every document, and
//! a tag renamed in every document. Everything is asserted on the files on disk.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use counterpoint::corpus::manifest::Manifest;
use counterpoint::corpus::progress::Progress;
use counterpoint::corpus::tag_change::{self, TagChange};
use counterpoint::model::edit::Edit;
use counterpoint::model::offsets::ByteOffset;
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{Tag, TagId, TagSet};
use counterpoint::project_file;
use counterpoint::storage::Expect;
use counterpoint::ui::corpus_list::{DIFFERS_MARK, FILTER_LABEL, UNSAVED_MARK};
use counterpoint::ui::dialogs::{Banner, PATH_FIELD_LABEL};
use counterpoint::ui::{AppOptions, CounterpointApp, OpenAs};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

type Window = Harness<'static, CounterpointApp>;

/// The documents of the test corpus, in name order: three projects, one text not started.
const NAMES: [&str; 4] = ["alpha", "beta", "delta", "gamma"];

fn text_of(name: &str) -> String {
    format!("The {name} report says prices rose. Officials deny it. Nobody checked the figures.")
}

/// A corpus folder: a manifest with the default tag set, projects for alpha,
/// beta and gamma, and `delta.txt` without a project.
fn corpus(folder: &Path) -> PathBuf {
    let root = folder.join("corpus");
    std::fs::create_dir_all(&root).unwrap();
    Manifest {
        name: "Test corpus".into(),
        tag_set: TagSet::default_set(),
    }
    .save(&root, &Expect::Absent)
    .unwrap();
    for name in ["alpha", "beta", "gamma"] {
        let text = text_of(name);
        let mut source = SourceInfo::of_text(&text);
        source.path = Some(format!("{name}.txt"));
        let project = Project::new(text, source, TagSet::default_set());
        project_file::save(&project, &root.join(format!("{name}.ron")), &Expect::Absent).unwrap();
    }
    std::fs::write(root.join("delta.txt"), text_of("delta")).unwrap();
    root
}

fn options(folder: &Path) -> AppOptions {
    AppOptions {
        recovery_dir: Some(folder.join("recovery")),
        autosave_interval: Duration::ZERO,
        ..AppOptions::headless()
    }
}

fn window_on(root: &Path, options: &AppOptions) -> Window {
    let mut app = CounterpointApp::new(None, options.clone());
    app.open_file(root, OpenAs::Auto);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness
}

/// The name of the document shown.
fn shown(window: &Window) -> String {
    let session = window.state().corpus().unwrap();
    session.name(session.current().unwrap())
}

fn text_shown(window: &Window) -> String {
    window.state().workspace().unwrap().project().text().to_owned()
}

/// Tags the next untagged sentence with the palette's key 5 (Doubt), from the keyboard.
fn tag_a_sentence(window: &mut Window) {
    window.key_press(Key::U);
    window.run();
    window.key_press(Key::Num5);
    window.run();
}

fn annotations_on_disk(path: &Path) -> usize {
    project_file::load(path).unwrap().annotation_count()
}

fn next(window: &mut Window) {
    window.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    window.run();
}

fn previous(window: &mut Window) {
    window.key_press_modifiers(Modifiers::COMMAND, Key::PageUp);
    window.run();
}

#[test]
fn a_corpus_opens_and_is_walked_with_the_list_and_the_keys() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let mut window = window_on(&root, &options(folder.path()));
    let session = window.state().corpus().unwrap();
    assert_eq!(session.len(), 4);
    let names: Vec<String> = (0..4).map(|index| session.name(index)).collect();
    assert_eq!(names, NAMES);
    assert_eq!(shown(&window), "alpha", "the first document shows at once");
    assert!(text_shown(&window).contains("alpha report"));
    assert!(window.state().title().contains("alpha — Test corpus"));

    window.get_by_label_contains("gamma").click();
    window.run();
    assert_eq!(shown(&window), "gamma");
    assert!(text_shown(&window).contains("gamma report"));

    previous(&mut window);
    assert_eq!(shown(&window), "delta", "the not-started text is a document too");
    assert!(text_shown(&window).contains("delta report"));
    previous(&mut window);
    assert_eq!(shown(&window), "beta");
    next(&mut window);
    next(&mut window);
    assert_eq!(shown(&window), "gamma");
    next(&mut window);
    assert_eq!(shown(&window), "gamma", "the last document stays at the end");

    // The keys follow the list as filtered.
    window.get_by_label(FILTER_LABEL).click();
    window.run();
    window.get_by_label(FILTER_LABEL).type_text("ta");
    window.run();
    window.key_press(Key::Escape);
    window.run();
    previous(&mut window);
    assert_eq!(
        shown(&window),
        "delta",
        "gamma is not in the list: the last one shown is"
    );
    previous(&mut window);
    assert_eq!(shown(&window), "beta");
    previous(&mut window);
    assert_eq!(shown(&window), "beta", "alpha is filtered out");
    // What the search window calls: a document with a range of its text selected.
    window
        .state_mut()
        .open_corpus_document(0, Some(ByteOffset(4)..ByteOffset(9)));
    window.run();
    assert_eq!(shown(&window), "alpha");
    let selected = window.state().selection().text.unwrap().span();
    assert_eq!(&text_shown(&window)[selected.start.0..selected.end.0], "alpha");
    for name in ["alpha", "beta", "delta", "gamma"] {
        assert_eq!(
            std::fs::read_to_string(root.join(format!("{name}.ron"))).ok().is_some(),
            name != "delta",
            "moving around writes nothing"
        );
    }
}

#[test]
fn edits_in_two_documents_are_kept_while_moving_and_saved_together() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let mut window = window_on(&root, &options(folder.path()));
    tag_a_sentence(&mut window);
    assert_eq!(window.state().workspace().unwrap().project().annotation_count(), 1);
    next(&mut window);
    assert_eq!(shown(&window), "beta");
    tag_a_sentence(&mut window);
    tag_a_sentence(&mut window);
    assert_eq!(window.state().workspace().unwrap().project().annotation_count(), 2);
    window.get_by_label_contains(&format!("{UNSAVED_MARK} alpha"));
    window.get_by_label_contains(&format!("{UNSAVED_MARK} beta"));
    assert_eq!(
        annotations_on_disk(&root.join("alpha.ron")),
        0,
        "nothing is saved behind the user's back"
    );

    // Back on alpha: its edit and its undo history are there.
    previous(&mut window);
    assert_eq!(shown(&window), "alpha");
    assert_eq!(window.state().workspace().unwrap().project().annotation_count(), 1);
    window.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    window.run();
    assert_eq!(window.state().workspace().unwrap().project().annotation_count(), 0);
    window.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    window.run();

    window.key_press_modifiers(Modifiers::COMMAND | Modifiers::ALT, Key::S);
    window.run();
    assert_eq!(annotations_on_disk(&root.join("alpha.ron")), 1);
    assert_eq!(annotations_on_disk(&root.join("beta.ron")), 2);
    assert_eq!(annotations_on_disk(&root.join("gamma.ron")), 0);
    assert!(!window.state().title().contains('*'));
    assert!(
        window.query_by_label_contains(UNSAVED_MARK).is_none(),
        "no document is marked unsaved"
    );
}

#[test]
fn a_text_without_a_project_saves_its_project_beside_it() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let text_before = std::fs::read(root.join("delta.txt")).unwrap();
    let mut window = window_on(&root, &options(folder.path()));
    window.get_by_label_contains("new delta").click();
    window.run();
    assert_eq!(shown(&window), "delta");
    tag_a_sentence(&mut window);
    window.key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.run();
    assert!(
        window.query_by_label("Save the project as").is_none(),
        "no Save As question"
    );
    let project = project_file::load(&root.join("delta.ron")).unwrap();
    assert_eq!(project.annotation_count(), 1);
    assert_eq!(project.source().path.as_deref(), Some("delta.txt"));
    assert_eq!(project.tag_set(), &TagSet::default_set(), "the corpus tag set");
    assert_eq!(
        std::fs::read(root.join("delta.txt")).unwrap(),
        text_before,
        "the text is untouched"
    );
    assert!(
        window.query_by_label_contains("new delta").is_none(),
        "it is no longer marked not started"
    );
}

fn recovery_files(folder: &Path) -> usize {
    std::fs::read_dir(folder.join("recovery")).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "recovery"))
            .count()
    })
}

/// Runs the window until the recovery folder holds `count` files (autosave writes in the background).
fn run_until_recovery_files(window: &mut Window, folder: &Path, count: usize) {
    for _ in 0..400 {
        window.run();
        if recovery_files(folder) == count {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("expected {count} recovery files, found {}", recovery_files(folder));
}

#[test]
fn every_document_with_changes_has_its_recovery_file_and_is_offered_back() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let options = options(folder.path());
    let mut window = window_on(&root, &options);
    tag_a_sentence(&mut window);
    run_until_recovery_files(&mut window, folder.path(), 1);
    next(&mut window);
    tag_a_sentence(&mut window);
    run_until_recovery_files(&mut window, folder.path(), 2);
    // The window goes without saving (a crash): both documents' work is left.
    drop(window);
    assert_eq!(recovery_files(folder.path()), 2);

    let mut window = window_on(&root, &options);
    window.get_by_label("Recover unsaved work?");
    window.get_by_label_contains("its changes to alpha.ron");
    window.get_by_label("Recover").click();
    window.run();
    assert_eq!(shown(&window), "alpha");
    assert_eq!(window.state().workspace().unwrap().project().annotation_count(), 1);
    next(&mut window);
    window.get_by_label_contains("its changes to beta.ron");
    window.get_by_label("Recover").click();
    window.run();
    assert_eq!(window.state().workspace().unwrap().project().annotation_count(), 1);
    window.key_press_modifiers(Modifiers::COMMAND | Modifiers::ALT, Key::S);
    window.run();
    assert_eq!(annotations_on_disk(&root.join("alpha.ron")), 1);
    assert_eq!(annotations_on_disk(&root.join("beta.ron")), 1);
    assert_eq!(recovery_files(folder.path()), 0, "saved work leaves no recovery file");
}

#[test]
fn the_close_guard_lists_every_document_with_changes() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let mut window = window_on(&root, &options(folder.path()));
    tag_a_sentence(&mut window);
    next(&mut window);
    tag_a_sentence(&mut window);
    next(&mut window);
    assert_eq!(shown(&window), "delta", "the document shown has no changes");
    close(&mut window);
    window.get_by_label_contains("Changes to 2 documents are not saved yet");
    window.get_by_label("• alpha");
    window.get_by_label("• beta");
    window.get_by_label("Cancel").click();
    window.run();
    assert_eq!(annotations_on_disk(&root.join("alpha.ron")), 0);

    assert!(!closes(&window));
    close(&mut window);
    window.get_by_label("Save All").click();
    window.step();
    assert!(closes(&window), "closed once every document is saved");
    assert_eq!(annotations_on_disk(&root.join("alpha.ron")), 1);
    assert_eq!(annotations_on_disk(&root.join("beta.ron")), 1);
}

/// Asks the window to close, as its close button does.
fn close(window: &mut Window) {
    window
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    window.run();
}

fn closes(window: &Window) -> bool {
    window.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .iter()
        .any(|command| matches!(command, egui::ViewportCommand::Close))
}

#[test]
fn a_tag_renamed_in_the_corpus_changes_every_document_on_disk() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let mut window = window_on(&root, &options(folder.path()));
    tag_a_sentence(&mut window);
    next(&mut window);
    assert_eq!(shown(&window), "beta");

    window.get_by_label("Edit").click();
    window.run();
    window.get_by_label("Edit tag set…").click();
    window.run();
    window.get_by_label("Name of Casting doubt").click();
    window.run();
    window.key_press_modifiers(Modifiers::COMMAND, Key::A);
    window.get_by_label("Name of Casting doubt").type_text("Doubt cast");
    window.run();
    // Leaving the field ends the typing session: the change goes to the files.
    window.key_press(Key::Tab);
    window.run();
    window.run();

    let name_in = |project: &Project| project.tag_set().get(&TagId("Doubt".into())).unwrap().name.clone();
    assert_eq!(
        name_in(&project_file::load(&root.join("gamma.ron")).unwrap()),
        "Doubt cast",
        "a document never opened is changed on disk"
    );
    assert_eq!(
        Manifest::load(&root)
            .unwrap()
            .tag_set
            .get(&TagId("Doubt".into()))
            .unwrap()
            .name,
        "Doubt cast"
    );
    assert_eq!(name_in(window.state().workspace().unwrap().project()), "Doubt cast");
    assert!(
        window.state().title().contains('*'),
        "the document shown has the change as an unsaved edit"
    );
    window.key_press_modifiers(Modifiers::COMMAND | Modifiers::ALT, Key::S);
    window.run();
    for name in ["alpha", "beta", "gamma"] {
        let project = project_file::load(&root.join(format!("{name}.ron"))).unwrap();
        assert_eq!(name_in(&project), "Doubt cast", "{name}");
    }
    assert_eq!(
        annotations_on_disk(&root.join("alpha.ron")),
        1,
        "alpha's unsaved tag was kept and saved"
    );
    let backup = project_file::load(&root.join("gamma.ron.bak")).unwrap();
    assert_eq!(name_in(&backup), "Casting doubt", "the file before the change is kept");
    assert!(
        !root.join(".counterpoint-journal.ron").exists(),
        "the change is finished"
    );
}

/// A rename of the tag Doubt, as the corpus tag set after it.
fn doubt_renamed(name: &str) -> TagSet {
    let mut tag_set = TagSet::default_set();
    let doubt = tag_set.tags.iter_mut().find(|tag| tag.id.as_str() == "Doubt").unwrap();
    name.clone_into(&mut doubt.name);
    tag_set
}

#[test]
fn a_tag_set_change_a_crash_interrupted_is_finished_when_the_corpus_opens() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let change = TagChange::between(&TagSet::default_set(), doubt_renamed("Doubt cast"));
    let files: Vec<PathBuf> = ["alpha", "beta", "gamma"]
        .iter()
        .map(|name| root.join(format!("{name}.ron")))
        .collect();
    let crash = |number: usize, _: &Path| {
        if number == 1 {
            Err("the power went".to_owned())
        } else {
            Ok(())
        }
    };
    assert!(tag_change::apply_with_hook(&root, &change, &files, &Progress::new(), &crash).is_err());
    let name_in = |path: &Path| {
        project_file::load(path)
            .unwrap()
            .tag_set()
            .get(&TagId("Doubt".into()))
            .unwrap()
            .name
            .clone()
    };
    assert_eq!(name_in(&files[0]), "Doubt cast");
    assert_eq!(
        name_in(&files[1]),
        "Casting doubt",
        "the crash came before the second file"
    );

    let window = window_on(&root, &options(folder.path()));
    let notice = match window.state().banner() {
        Some(Banner::Notice(text)) => text.clone(),
        other => panic!("expected a notice, got {other:?}"),
    };
    assert!(notice.contains("was interrupted; it is finished now"), "{notice}");
    for file in &files {
        assert_eq!(name_in(file), "Doubt cast", "{}", file.display());
    }
    assert_eq!(
        window.state().corpus().unwrap().tag_set(),
        &doubt_renamed("Doubt cast"),
        "the palette is the finished tag set"
    );
}

#[test]
fn a_document_with_its_own_tag_set_is_marked_and_brought_in_line() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    // gamma has a tag of its own, used by an annotation, and lacks no tag of the corpus.
    let gamma = root.join("gamma.ron");
    let mut project = project_file::load(&gamma).unwrap();
    let extra = Tag {
        id: TagId("Rumour".into()),
        name: "Rumour".into(),
        ..TagSet::default_set().tags[0].clone()
    };
    let index = project.tag_set().tags.len();
    Edit::InsertTagDefinition { index, tag: extra }
        .apply(&mut project)
        .unwrap();
    let (tag, _) = Edit::tag_span(&project, Span::new(4, 9), TagId("Rumour".into())).unwrap();
    tag.apply(&mut project).unwrap();
    project_file::save(&project, &gamma, &Expect::Anything).unwrap();

    let mut window = window_on(&root, &options(folder.path()));
    window.get_by_label_contains(&format!("{DIFFERS_MARK} gamma")).click();
    window.run();
    assert_eq!(shown(&window), "gamma");
    window.get_by_label("Bring tag set in line").click();
    window.run();
    let corpus_tags = window.state().corpus().unwrap().tag_set().clone();
    assert!(
        corpus_tags.get(&TagId("Rumour".into())).is_some(),
        "the tag it uses joined the corpus"
    );
    assert_eq!(window.state().workspace().unwrap().project().tag_set(), &corpus_tags);
    assert!(
        window.query_by_label_contains(DIFFERS_MARK).is_none(),
        "no document differs now"
    );
    // The other documents got the tag on disk, with the manifest.
    for name in ["alpha", "beta"] {
        let project = project_file::load(&root.join(format!("{name}.ron"))).unwrap();
        assert_eq!(project.tag_set(), &corpus_tags, "{name}");
    }
    assert_eq!(Manifest::load(&root).unwrap().tag_set, corpus_tags);
    window.key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.run();
    let saved = project_file::load(&gamma).unwrap();
    assert_eq!(saved.tag_set(), &corpus_tags);
    assert_eq!(saved.annotation_count(), 1, "its annotation keeps its tag");
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        Err("a folder".into())
    }
}

fn empty_window(options: &AppOptions) -> Window {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(
            |ui, app: &mut CounterpointApp| app.ui(ui),
            CounterpointApp::new(None, options.clone()),
        );
    harness.run();
    harness
}

#[test]
fn a_folder_opens_from_the_menu_by_dropping_it_and_from_the_recent_list() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let options = AppOptions {
        config_dir: Some(folder.path().join("config")),
        ..options(folder.path())
    };

    let mut window = empty_window(&options);
    // The welcome page's button (File ▸ Open Folder… sends the same command).
    window.get_by_label("Open Folder…").click();
    window.run();
    window.get_by_label(PATH_FIELD_LABEL).type_text(root.to_str().unwrap());
    window.run();
    window.get_by_label("Open").click();
    window.run();
    assert_eq!(window.state().corpus().unwrap().len(), 4);
    assert_eq!(shown(&window), "alpha");
    drop(window);

    let mut window = empty_window(&options);
    window.input_mut().dropped_files.push(Arc::new(Dropped(root.clone())));
    window.run();
    assert_eq!(
        window.state().corpus().unwrap().len(),
        4,
        "a dropped folder opens as a corpus"
    );
    drop(window);

    let mut window = empty_window(&options);
    let canonical = std::fs::canonicalize(&root).unwrap();
    assert_eq!(window.state().recent_files().entries()[0].path, canonical);
    window.get_by_label(canonical.to_str().unwrap()).click();
    window.run();
    assert_eq!(shown(&window), "alpha", "the recent folder opens as a corpus");
}

#[test]
fn deleting_a_tag_the_corpus_uses_asks_first_then_takes_it_out_of_every_file() {
    let folder = tempfile::tempdir().unwrap();
    let root = corpus(folder.path());
    let mut window = window_on(&root, &options(folder.path()));
    next(&mut window);
    tag_a_sentence(&mut window);
    window.key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.run();
    previous(&mut window);
    assert_eq!(shown(&window), "alpha");

    window.get_by_label("Edit").click();
    window.run();
    window.get_by_label("Edit tag set…").click();
    window.run();
    let delete_doubt = |window: &Window| {
        let row = window.get_by_label("Name of Casting doubt").rect();
        window
            .get_all_by_label("Delete")
            .find(|node| (node.rect().center().y - row.center().y).abs() < 4.0)
            .unwrap()
            .click();
    };
    window.get_by_label("Name of Casting doubt").scroll_to_me();
    window.run();
    delete_doubt(&window);
    window.run();
    window.get_by_label_contains("1 annotation(s) in 1 document(s) use Casting doubt");
    window.get_by_label("Cancel").click();
    window.run();
    let has_doubt = |path: &Path| {
        project_file::load(path)
            .unwrap()
            .tag_set()
            .get(&TagId("Doubt".into()))
            .is_some()
    };
    assert!(has_doubt(&root.join("gamma.ron")), "cancelled: nothing changed");
    assert!(
        window
            .state()
            .corpus()
            .unwrap()
            .tag_set()
            .get(&TagId("Doubt".into()))
            .is_some()
    );

    delete_doubt(&window);
    window.run();
    window.get_by_label("Delete from every document").click();
    window.run();
    window.run();
    for name in ["beta", "gamma"] {
        assert!(!has_doubt(&root.join(format!("{name}.ron"))), "{name}");
    }
    let beta = project_file::load(&root.join("beta.ron")).unwrap();
    assert_eq!(beta.annotation_count(), 1, "the annotation stays, untagged");
    assert!(beta.annotations().all(|annotation| annotation.tags.is_empty()));
    assert!(
        !Manifest::load(&root)
            .unwrap()
            .tag_set
            .tags
            .iter()
            .any(|tag| tag.id.as_str() == "Doubt")
    );
    assert!(
        window.state().title().contains('*'),
        "the document shown has the deletion as an unsaved, undoable edit"
    );
}
