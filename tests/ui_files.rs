//! The window and the files on disk, driven headless with `egui_kittest`:
//! two windows on one project (changed on disk: Reload / Overwrite / Save
//! As), a read-only project (Save As offered), recovery per document with
//! several windows sharing one recovery folder and crashes in between,
//! File ▸ Recover Unsaved Work…, and saves and opens in the background
//! (held at will by taking the folder's save lock, so nothing depends on timing).
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use counterpoint::model::annotation::{Annotation, AnnotationId};
use counterpoint::model::edit::Edit;
use counterpoint::model::history::History;
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::project_file;
use counterpoint::storage::Expect;
use counterpoint::ui::dialogs::{Banner, PATH_FIELD_LABEL};
use counterpoint::ui::{AppOptions, CounterpointApp, OpenAs, Workspace};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

type Window = Harness<'static, CounterpointApp>;

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

/// Every window of a test shares one recovery folder and autosaves at once.
fn options(folder: &Path) -> AppOptions {
    AppOptions {
        recovery_dir: Some(folder.join("recovery")),
        autosave_interval: Duration::ZERO,
        ..AppOptions::headless()
    }
}

/// A window showing the project at `path`.
fn window_on(path: &Path, options: &AppOptions) -> Window {
    let mut app = CounterpointApp::new(None, options.clone());
    app.open_file(path, OpenAs::Auto);
    window(app)
}

/// A project of `text` with `phrases` tagged as claims, saved at `path`.
fn saved_project(path: &Path, text: &str, phrases: &[&str]) {
    let mut project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
    for phrase in phrases {
        let start = text.find(phrase).unwrap();
        let (edit, _) =
            Edit::tag_span(&project, Span::new(start, start + phrase.len()), TagId("Claim".into())).unwrap();
        edit.apply(&mut project).unwrap();
    }
    project_file::save(&project, path, &Expect::Anything).unwrap();
}

const TEXT: &str = "Prices exploded. Nobody knows why. Experts disagree.";

/// Deletes the first annotation in the list: an unsaved change.
fn delete_one(window: &mut Window) {
    window.get_all_by_label_contains("Claim “").next().unwrap().click();
    window.run();
    window.key_press(Key::Delete);
    window.run();
}

fn annotations(window: &Window) -> usize {
    window.state().workspace().unwrap().project().annotation_count()
}

fn annotations_on_disk(path: &Path) -> usize {
    project_file::load(path).unwrap().annotation_count()
}

fn save(window: &mut Window) {
    window.key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.run();
}

fn recovery_files(folder: &Path) -> usize {
    std::fs::read_dir(folder.join("recovery")).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "recovery"))
            .count()
    })
}

/// Runs the window until the folder holds `count` recovery files (autosave runs in the background).
fn run_until_recovery_files(window: &mut Window, folder: &Path, count: usize) {
    for _ in 0..400 {
        window.run();
        if recovery_files(folder) == count {
            // One more frame collects the finished write.
            std::thread::sleep(Duration::from_millis(5));
            window.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("expected {count} recovery files, found {}", recovery_files(folder));
}

fn notice(window: &Window) -> String {
    match window.state().banner() {
        Some(Banner::Notice(text)) => text.clone(),
        other => panic!("expected a notice, got {other:?}"),
    }
}

#[test]
fn a_project_changed_on_disk_is_not_overwritten_without_asking() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    saved_project(&path, TEXT, &["Prices", "Nobody", "Experts"]);
    let mut first = window_on(&path, &AppOptions::headless());
    let mut second = window_on(&path, &AppOptions::headless());

    delete_one(&mut first);
    save(&mut first);
    assert_eq!(annotations_on_disk(&path), 2);

    delete_one(&mut second);
    delete_one(&mut second);
    save(&mut second);
    second.get_by_label("Changed on disk");
    second.get_by_label("Cancel").click();
    second.run();
    assert_eq!(annotations_on_disk(&path), 2, "the first window's save is kept");
    assert!(second.state().title().contains('*'));

    save(&mut second);
    second.get_by_label("Overwrite").click();
    second.run();
    assert_eq!(annotations_on_disk(&path), 1, "overwritten when the user says so");
    let backup = project_file::load(&path.with_extension("ron.bak")).unwrap();
    assert_eq!(backup.annotation_count(), 2, "the other window's version is the backup");
    assert!(!second.state().title().contains('*'));

    first.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    first.run();
    save(&mut first);
    first.get_by_label("Changed on disk");
    first.get_by_label("Reload from disk").click();
    first.run();
    assert_eq!(annotations(&first), 1, "reloaded the second window's save");
    assert!(!first.state().title().contains('*'));
    assert_eq!(annotations_on_disk(&path), 1);
}

#[test]
fn a_read_only_project_is_refused_and_save_as_is_offered() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    saved_project(&path, TEXT, &["Prices", "Nobody"]);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut window = window_on(&path, &AppOptions::headless());
    delete_one(&mut window);
    save(&mut window);
    window.get_by_label("Cannot save here");
    window.get_by_label_contains("read-only");
    window.get_by_label("Save As…").click();
    window.run();
    let elsewhere = folder.path().join("copy.ron");
    window.get_by_label(PATH_FIELD_LABEL).focus();
    window.run();
    window.key_press_modifiers(Modifiers::COMMAND, Key::A);
    window
        .get_by_label(PATH_FIELD_LABEL)
        .type_text(elsewhere.to_str().unwrap());
    window.run();
    window.get_by_label("Save").click();
    window.run();
    assert_eq!(std::fs::read(&path).unwrap(), before, "the read-only file is untouched");
    assert_eq!(annotations_on_disk(&elsewhere), 1);
    assert_eq!(window.state().title(), "copy.ron — Counterpoint");
}

#[test]
fn recovery_is_per_document_and_never_touches_a_running_windows_work() {
    let folder = tempfile::tempdir().unwrap();
    let options = options(folder.path());
    let a = folder.path().join("a.ron");
    let b = folder.path().join("b.ron");
    saved_project(&a, TEXT, &["Prices", "Nobody"]);
    saved_project(&b, TEXT, &["Prices", "Experts"]);

    let mut first = window_on(&a, &options);
    delete_one(&mut first);
    run_until_recovery_files(&mut first, folder.path(), 1);
    let first_work = first.state().workspace().unwrap().project().clone();

    // A second window on the same file: the first is alive, so nothing is offered.
    let mut second = window_on(&a, &options);
    assert!(second.query_by_label("Recover unsaved work?").is_none());
    assert!(notice(&second).contains("Another Counterpoint window has unsaved changes"));
    second.state_mut().open_file(&b, OpenAs::Auto);
    second.run();
    assert!(second.query_by_label("Recover unsaved work?").is_none());
    delete_one(&mut second);
    run_until_recovery_files(&mut second, folder.path(), 2);
    save(&mut second);
    run_until_recovery_files(&mut second, folder.path(), 1);
    delete_one(&mut second);
    run_until_recovery_files(&mut second, folder.path(), 2);

    drop(first); // a crash: its window is gone without saving

    let mut third = window(CounterpointApp::new(None, options.clone()));
    assert!(
        notice(&third).contains("Unsaved work of 1 document(s)"),
        "only the crashed window's"
    );
    third.state_mut().open_file(&b, OpenAs::Auto);
    third.run();
    assert!(
        third.query_by_label("Recover unsaved work?").is_none(),
        "b.ron's unsaved work belongs to a running window"
    );
    third.state_mut().open_file(&a, OpenAs::Auto);
    third.run();
    third.get_by_label("Recover unsaved work?");
    third.get_by_label_contains("changes to a.ron");
    third.get_by_label("Recover").click();
    third.run();
    assert_eq!(third.state().workspace().unwrap().project(), &first_work);
    assert!(third.state().title().starts_with("a.ron*"));
    run_until_recovery_files(&mut third, folder.path(), 2);
    save(&mut third);
    run_until_recovery_files(&mut third, folder.path(), 1);
    assert_eq!(annotations_on_disk(&a), 1);
    assert_eq!(annotations(&second), 0, "the running window's work is untouched");
}

#[test]
fn recover_unsaved_work_lists_every_leftover_until_it_is_discarded() {
    let folder = tempfile::tempdir().unwrap();
    let options = options(folder.path());
    let untitled = Project::new(TEXT.into(), SourceInfo::of_text(TEXT), TagSet::default_set());
    let mut crashed = window(CounterpointApp::new(
        Some(Workspace::new(untitled.clone(), History::unsaved(), None)),
        options.clone(),
    ));
    run_until_recovery_files(&mut crashed, folder.path(), 1);
    drop(crashed);
    let a = folder.path().join("a.ron");
    saved_project(&a, TEXT, &["Prices"]);
    let mut crashed = window_on(&a, &options);
    delete_one(&mut crashed);
    run_until_recovery_files(&mut crashed, folder.path(), 2);
    drop(crashed);

    // Started on another document, the window says the work is waiting.
    let c = folder.path().join("c.ron");
    saved_project(&c, TEXT, &[]);
    let mut window = window_on(&c, &options);
    assert!(notice(&window).contains("Unsaved work of 2 document(s)"));
    let open_list = |window: &mut Window| {
        window.get_by_label("File").click();
        window.run();
        window.get_by_label("Recover Unsaved Work…").click();
        window.run();
        window.get_by_label("Recover Unsaved Work");
    };
    open_list(&mut window);
    window.get_by_label("a.ron");
    window.get_by_label("Untitled");
    window.get_by_label_contains("never saved · written just now");
    // The newest first: a.ron's.
    window.get_all_by_label("Discard").next().unwrap().click();
    window.run();
    assert!(window.query_by_label("a.ron").is_none(), "discarded");
    assert_eq!(recovery_files(folder.path()), 1);
    window.get_by_label("Close").click();
    window.run();

    open_list(&mut window);
    window.get_by_label("Recover").click();
    window.run();
    assert_eq!(window.state().workspace().unwrap().project(), &untitled);
    assert!(window.state().title().contains('*'), "recovered work counts as unsaved");
    assert!(notice(&window).contains("Recovered the unsaved work of Untitled"));
}

/// File work is not waited for, and its progress shows at once: every save
/// and open outlasts the frame that starts it.
fn background_options() -> AppOptions {
    AppOptions {
        wait_for_work: Duration::ZERO,
        progress_after: Duration::ZERO,
        ..AppOptions::headless()
    }
}

/// Takes the lock a save takes on its folder: saves there wait until it is dropped.
fn hold_saves_in(folder: &Path) -> std::fs::File {
    let handle = std::fs::File::open(folder).unwrap();
    handle.lock().unwrap();
    handle
}

fn work_titles(window: &Window) -> Vec<String> {
    window
        .state()
        .work_in_progress()
        .into_iter()
        .map(|status| status.title)
        .collect()
}

/// Draws frames until no work runs in the background (bounded by a generous minute).
fn run_until_idle(window: &mut Window) {
    let started = Instant::now();
    while !window.state().work_in_progress().is_empty() {
        assert!(
            started.elapsed() < Duration::from_mins(1),
            "the background work never ended"
        );
        window.step();
        std::thread::yield_now();
    }
    window.run();
}

fn closes(window: &Window) -> bool {
    window.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .iter()
        .any(|command| matches!(command, egui::ViewportCommand::Close))
}

#[test]
fn a_save_runs_in_the_background_while_the_work_goes_on() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    saved_project(&path, TEXT, &["Prices", "Nobody", "Experts"]);
    let mut window = window_on(&path, &background_options());
    run_until_idle(&mut window);
    delete_one(&mut window);

    let held = hold_saves_in(folder.path());
    save(&mut window);
    assert_eq!(work_titles(&window), ["Saving p.ron"]);
    window.get_by_label("Saving p.ron…");
    save(&mut window);
    assert!(
        window.query_by_label_contains("saving again").is_none(),
        "a second Ctrl+S with nothing new is ignored"
    );
    for _ in 0..5 {
        window.step();
    }
    delete_one(&mut window);
    assert_eq!(annotations(&window), 1, "edits go on while the save runs");
    assert_eq!(annotations_on_disk(&path), 3, "nothing written while the lock is held");
    drop(held);
    run_until_idle(&mut window);
    assert!(
        window.query_by_label("Saving p.ron…").is_none(),
        "the progress box is gone"
    );
    assert_eq!(annotations_on_disk(&path), 2, "the file holds the snapshot");
    assert!(window.state().title().contains('*'), "the later edit is not saved");
    window.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    window.run();
    assert!(
        !window.state().title().contains('*'),
        "undone back to exactly what was saved"
    );

    // Ctrl+S after a change during a save: saved again with the later work.
    delete_one(&mut window);
    let held = hold_saves_in(folder.path());
    save(&mut window);
    delete_one(&mut window);
    save(&mut window);
    window.get_by_label_contains("saving again");
    save(&mut window);
    drop(held);
    run_until_idle(&mut window);
    assert_eq!(annotations_on_disk(&path), 0, "the queued save wrote the later work");
    assert!(!window.state().title().contains('*'));

    // The questions of a save come from its outcome, as before.
    saved_project(&path, TEXT, &["Prices"]);
    window.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    window.run();
    save(&mut window);
    run_until_idle(&mut window);
    window.get_by_label("Changed on disk");
    window.get_by_label("Cancel").click();
    window.run();
    assert_eq!(annotations_on_disk(&path), 1, "the other program's file is kept");
}

#[test]
fn closing_during_a_save_waits_for_it_then_asks_about_later_changes() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    saved_project(&path, TEXT, &["Prices", "Nobody", "Experts"]);
    let mut window = window_on(&path, &background_options());
    run_until_idle(&mut window);
    delete_one(&mut window);
    let held = hold_saves_in(folder.path());
    save(&mut window);
    delete_one(&mut window);
    window
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    window.step();
    assert!(!closes(&window));
    window.get_by_label("Then: closing.");
    for _ in 0..5 {
        window.step();
        assert!(!closes(&window), "not while the save runs");
    }
    assert!(window.query_by_label("Unsaved changes").is_none(), "no question yet");
    drop(held);
    run_until_idle(&mut window);
    assert_eq!(annotations_on_disk(&path), 2, "the save ended whole");
    window.get_by_label("Unsaved changes");
    window.get_by_label("Don't save").click();
    window.step();
    assert!(closes(&window), "closed once asked");
}

/// A project of a few hundred kilobytes with thousands of annotations.
fn large_project(path: &Path) {
    let line = "Prices exploded last week, and nobody knows why; experts disagree.\n";
    let text = line.repeat(5_000);
    let annotations = (0..5_000)
        .map(|i| {
            let mut annotation = Annotation::new(
                AnnotationId(i + 1),
                Span::new(
                    line.len() * usize::try_from(i).unwrap(),
                    line.len() * usize::try_from(i).unwrap() + 6,
                ),
            );
            annotation.tags.push(TagId("Claim".into()));
            annotation
        })
        .collect();
    let project = Project::from_parts(
        text.clone(),
        SourceInfo::of_text(&text),
        TagSet::default_set(),
        annotations,
    )
    .unwrap();
    project_file::save(&project, path, &Expect::Anything).unwrap();
}

#[test]
fn opening_a_large_file_shows_progress_and_a_later_open_wins() {
    let folder = tempfile::tempdir().unwrap();
    let large = folder.path().join("large.ron");
    large_project(&large);
    let small = folder.path().join("small.ron");
    saved_project(&small, TEXT, &["Prices"]);
    let mut window = window_on(&small, &background_options());
    run_until_idle(&mut window);

    window.key_press_modifiers(Modifiers::COMMAND, Key::O);
    window.run();
    window.get_by_label(PATH_FIELD_LABEL).focus();
    window.run();
    window.key_press_modifiers(Modifiers::COMMAND, Key::A);
    window.get_by_label(PATH_FIELD_LABEL).type_text(large.to_str().unwrap());
    window.run();
    window.get_by_label("Open").click();
    window.step();
    window.get_by_label("Opening large.ron…");
    window.get_by_label_contains("reading and checking the file (step 1 of 2)");
    run_until_idle(&mut window);
    assert_eq!(annotations(&window), 5_000);
    assert_eq!(window.state().title(), "large.ron — Counterpoint");

    // While an open runs, the document shown is not changed; Cancel keeps it.
    window.state_mut().open_file(&small, OpenAs::Auto);
    run_until_idle(&mut window);
    window.get_by_label_contains("Claim “").click();
    window.run();
    // One event per frame, so the open cannot land in between (its outcome
    // is taken in at a frame's end, never in the frame that started it).
    window.state_mut().open_file(&large, OpenAs::Auto);
    window.key_down(Key::Delete);
    window.step();
    assert_eq!(annotations(&window), 1, "the document being replaced is not changed");
    assert!(notice(&window).contains("cannot be changed meanwhile"));
    window.get_by_label("Cancel").click_accesskit();
    window.step();
    window.key_up(Key::Delete);
    assert!(window.state().work_in_progress().is_empty());
    assert!(notice(&window).contains("Opening large.ron was cancelled"));
    run_until_idle(&mut window);
    assert_eq!(window.state().title(), "small.ron — Counterpoint");

    window.state_mut().open_file(&large, OpenAs::Auto);
    window.state_mut().open_file(&small, OpenAs::Auto);
    window.state_mut().open_file(&large, OpenAs::Auto);
    window.state_mut().open_file(&small, OpenAs::Auto);
    run_until_idle(&mut window);
    assert_eq!(window.state().title(), "small.ron — Counterpoint", "the last open wins");
    assert_eq!(annotations(&window), 1);
}
