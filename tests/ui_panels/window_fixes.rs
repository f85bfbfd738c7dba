//! What a user tripped over in the real window (issue 11): focus after
//! "Unsaved changes ▸ Save", undo inside the tag-set editor, the
//! counter-claim mark, small windows, save feedback, the palette, and the
//! smaller things; and the dark theme.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // pixel positions from points

use super::*;
use counterpoint::cli::stats_report;
use counterpoint::model::annotation::CounterClaim;
use counterpoint::ui::tag_palette::KEYED_HEADING;
use counterpoint::ui::text_view::DOCUMENT_LABEL;
use counterpoint::ui::theme;

fn harness_sized(app: CounterpointApp, size: egui::Vec2) -> Harness<'static, CounterpointApp> {
    let mut harness = Harness::builder()
        .with_size(size)
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness
}

fn press(harness: &mut Harness<'static, CounterpointApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

/// Which of the save states the status bar shows.
fn save_state(harness: &Harness<'static, CounterpointApp>) -> &'static str {
    [
        "Changes not saved",
        "No unsaved changes",
        "No changes yet",
        "Saved just now",
    ]
    .into_iter()
    .find(|state| harness.query_by_label(state).is_some())
    .unwrap_or("none")
}

#[test]
fn save_after_the_unsaved_changes_question_has_the_keyboard_in_its_path_field() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("article.txt");
    std::fs::copy(SAMPLE, &path).unwrap();
    // With the system's file dialog too, as in the window (here it cannot open and gives up).
    let options = AppOptions {
        native_dialogs: true,
        ..options(folder.path())
    };
    let mut app = CounterpointApp::new(None, options);
    app.open_file(&path, OpenAs::Auto);
    let mut harness = harness(app);
    press(&mut harness, Modifiers::NONE, Key::U);
    press(&mut harness, Modifiers::NONE, Key::Num1);
    request_close(&mut harness);
    harness.get_by_label_contains("Changes to your annotations and counter-claims on article.txt");
    // A real mouse click as xdotool makes it: press and release in one frame.
    let button = harness.get_by_label("Save").rect().center();
    harness.hover_at(button);
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: button,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
    let field = harness.get_by_label(PATH_FIELD_LABEL);
    assert!(field.is_focused(), "the typed path has the keyboard");
    let target = folder.path().join("article.ron");
    assert_eq!(
        field.value().as_deref(),
        Some(target.to_str().unwrap()),
        "article.txt suggests article.ron"
    );
    press(&mut harness, Modifiers::NONE, Key::Enter);
    let saved = counterpoint::project_file::load(&target).unwrap();
    assert_eq!(saved.annotation_count(), 1, "Enter saved the project");
}

#[test]
fn ctrl_z_inside_the_tag_set_editor_undoes_the_document_step_by_step() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    let original = harness.state().workspace().unwrap().project().clone();
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label("Edit tag set…").click();
    harness.run();
    harness.get_by_label("Add tag").click();
    harness.run();
    harness.get_by_label("Name of Claim").focus();
    harness.run();
    harness.get_by_label("Name of Claim").type_text("s");
    harness.run();
    let claim_name = |h: &Harness<'static, CounterpointApp>| {
        let project = h.state().workspace().unwrap().project();
        project.tag_set().get(&TagId("Claim".into())).unwrap().name.clone()
    };
    assert_eq!(claim_name(&harness), "Claims");
    assert!(harness.state().title().contains('*'));

    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(claim_name(&harness), "Claim", "the rename is undone");
    assert_eq!(harness.get_by_label("Name of Claim").value().as_deref(), Some("Claim"));
    assert!(harness.state().title().contains('*'), "the added tag is still there");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().workspace().unwrap().project(),
        &original,
        "then the added tag"
    );
    assert!(!harness.state().title().contains('*'), "back at the saved state: no *");
    assert!(
        !harness.state().workspace().unwrap().history().can_undo(),
        "no invisible step left"
    );
    press(&mut harness, Modifiers::COMMAND, Key::Y);
    press(&mut harness, Modifiers::COMMAND, Key::Y);
    assert_eq!(claim_name(&harness), "Claims", "and redo brings both back");
}

#[test]
fn the_counter_claim_mark_is_under_the_claimed_words_on_every_row() {
    let mut project = annotated_project();
    let text = project.text().to_owned();
    let phrase = "American representatives were literally today handed concrete proposals in our Foreign Ministry";
    let start = text.find(phrase).unwrap();
    let span = Span::new(start, start + phrase.len());
    let (edit, _) = Edit::add_counter_claim(&project, span, CounterClaim::new("Not so."));
    edit.apply(&mut project).unwrap();
    let workspace = Workspace::new(project, History::new(), None);
    let mut app = CounterpointApp::new(Some(workspace), AppOptions::headless());
    app.reveal_span(span);
    let mut harness = harness_sized(app, egui::vec2(900.0, 700.0));
    let rows = harness.state().screen_rects(span);
    assert!(rows.len() >= 2, "the claimed span wraps ({} rows)", rows.len());
    let image = harness.render().unwrap();
    let scale = harness.ctx.pixels_per_point();
    let mark = theme::LIGHT.counter_claim;
    let marked_pixels = |band: egui::Rangef, x: egui::Rangef| {
        let mut count = 0;
        for y in (band.min * scale) as u32..(band.max * scale) as u32 {
            for x in (x.min * scale) as u32..(x.max * scale) as u32 {
                let [r, g, b, _] = image.get_pixel(x, y).0;
                let near = |a: u8, b: u8| a.abs_diff(b) < 40;
                if near(r, mark.r()) && near(g, mark.g()) && near(b, mark.b()) {
                    count += 1;
                }
            }
        }
        count
    };
    for row in rows {
        let below = egui::Rangef::new(row.bottom(), row.bottom() + 3.0);
        let above = egui::Rangef::new(row.top() - 4.0, row.top());
        assert!(
            marked_pixels(below, row.x_range()) > 5,
            "a dashed mark just under the row {row:?}"
        );
        assert_eq!(marked_pixels(above, row.x_range()), 0, "nothing over the row {row:?}");
    }
}

#[test]
fn a_small_window_keeps_the_text_readable_and_every_tag_reachable() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness_sized(annotated_app(folder.path()), egui::vec2(800.0, 600.0));
    press(&mut harness, Modifiers::COMMAND, Key::F);
    let text_width = |h: &Harness<'static, CounterpointApp>| h.get_by_label(DOCUMENT_LABEL).rect().width();
    assert!(
        text_width(&harness) >= theme::MIN_TEXT_WIDTH - 30.0,
        "{}",
        text_width(&harness)
    );
    let list = harness.get_by_label("Annotations (2)").rect();
    assert!(
        list.right() <= 800.0 && list.bottom() <= 600.0,
        "the side panel is not cut off"
    );

    // The palette scrolls: the last tag can be reached and used.
    harness.get_by_label("Repetition").scroll_to_me();
    harness.run();
    let repetition = harness.get_by_label("Repetition").rect();
    assert!(repetition.bottom() <= 600.0, "{repetition:?}");

    // Either side panel folds away and the text takes the room.
    let before = text_width(&harness);
    press(&mut harness, Modifiers::COMMAND, Key::OpenBracket);
    assert!(harness.query_by_label(KEYED_HEADING).is_none(), "the palette is folded");
    assert!(text_width(&harness) > before + 100.0);
    press(&mut harness, Modifiers::COMMAND, Key::OpenBracket);
    harness.get_by_label(KEYED_HEADING);
    press(&mut harness, Modifiers::COMMAND, Key::CloseBracket);
    assert!(
        harness.query_by_label("Annotations (2)").is_none(),
        "the side panel is folded"
    );
}

#[test]
fn the_palette_puts_keyed_tags_first_and_never_jumps() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(sample_app(folder.path()));
    let claim = harness.get_by_label("Claim").rect();
    let first_category_tag = harness.get_by_label("Guilt by association").rect();
    assert!(claim.top() < first_category_tag.top(), "keyed tags come first");
    assert!(harness.get_by_label(KEYED_HEADING).rect().top() < claim.top());
    press(&mut harness, Modifiers::NONE, Key::U);
    assert!(harness.state().selection().span().is_some());
    assert_eq!(
        harness.get_by_label("Claim").rect(),
        claim,
        "the list stays put when the hint changes"
    );
}

#[test]
fn the_status_bar_says_unsaved_or_saved_and_counts_like_stats() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    let text = "👍 ok\r\nsecond line\n";
    let project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
    counterpoint::project_file::save(&project, &path, &counterpoint::storage::Expect::Anything).unwrap();
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&path, OpenAs::Auto);
    let mut harness = harness(app);
    assert_eq!(save_state(&harness), "No unsaved changes");
    assert!(stats_report(&project).contains("2 lines"));
    harness.get_by_label_contains("2 lines · 18 characters");
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(harness.state().selection().span(), Some(Span::new(0, 7)), "👍 ok");
    harness.get_by_label("selected characters 0–4 (4 characters)");
    press(&mut harness, Modifiers::NONE, Key::Num1);
    assert_eq!(save_state(&harness), "Changes not saved");
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert_eq!(save_state(&harness), "Saved just now");
}

#[test]
fn windows_open_below_the_menu_bar() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(annotated_app(folder.path()));
    let menu_bottom = harness.get_by_label("File").rect().bottom();
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label("Edit tag set…").click();
    harness.run();
    assert!(harness.get_by_label("Add tag").rect().top() > menu_bottom);
    let window = harness
        .get_all_by_label("Tag set")
        .map(|n| n.rect().top())
        .fold(f32::MAX, f32::min);
    assert!(
        window >= menu_bottom,
        "the tag-set editor starts below the menu bar ({window} < {menu_bottom})"
    );
    press(&mut harness, Modifiers::NONE, Key::F1);
    let sheet = harness
        .get_all_by_label("Keyboard Shortcuts")
        .map(|n| n.rect().top())
        .fold(f32::MAX, f32::min);
    assert!(sheet >= menu_bottom);
}

/// The pixels of the document's text (in points).
fn text_pixels(harness: &mut Harness<'static, CounterpointApp>) -> Vec<[u8; 4]> {
    let page = harness.get_by_label(DOCUMENT_LABEL).rect().shrink(30.0);
    let image = harness.render().unwrap();
    let scale = harness.ctx.pixels_per_point();
    let (x0, y0) = ((page.left() * scale) as u32, (page.top() * scale) as u32);
    let (x1, y1) = ((page.right() * scale) as u32, (page.bottom() * scale) as u32);
    (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| image.get_pixel(x, y).0)
        .collect()
}

fn choose_theme(harness: &mut Harness<'static, CounterpointApp>, theme: &str) {
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label(theme).click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
}

#[test]
fn view_theme_dark_turns_the_page_dark() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = harness(sample_app(folder.path()));
    let light = text_pixels(&mut harness);
    // A theme switch makes egui draw its glyph atlas anew: the text must be laid out
    // again, or it shows other glyphs than its own.
    choose_theme(&mut harness, "Dark");
    choose_theme(&mut harness, "Light");
    assert!(
        text_pixels(&mut harness) == light,
        "the text looks as before the round trip"
    );
    choose_theme(&mut harness, "Dark");
    assert_eq!(harness.ctx.theme(), egui::Theme::Dark);
    let page = harness.get_by_label(DOCUMENT_LABEL).rect();
    let image = harness.render().unwrap();
    let scale = harness.ctx.pixels_per_point();
    let probe = page.right_bottom() - egui::vec2(20.0, 20.0);
    let [r, g, b, _] = image.get_pixel((probe.x * scale) as u32, (probe.y * scale) as u32).0;
    let dark = theme::DARK.page;
    assert!(
        r.abs_diff(dark.r()) < 4 && g.abs_diff(dark.g()) < 4 && b.abs_diff(dark.b()) < 4,
        "{r},{g},{b}"
    );
    drop(harness);
    let again = CounterpointApp::new(None, options(folder.path()));
    let harness = harness_sized(again, egui::vec2(640.0, 400.0));
    assert_eq!(
        harness.ctx.theme(),
        egui::Theme::Dark,
        "the choice is kept between runs"
    );
}
