//! Drives the real editor UI headless with `egui_kittest`: open the sample,
//! select with the mouse, tag with a hotkey, write a counter-claim, undo,
//! redo, save, reload; asserts on the model and on the saved file.
//! `ui_editing/keyboard.rs`: the same without the mouse.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use counterpoint::model::span::Span;
use counterpoint::model::tag_set::TagId;
use counterpoint::project_file;
use counterpoint::ui::dialogs::{Banner, PATH_FIELD_LABEL};
use counterpoint::ui::{AppOptions, CounterpointApp, OpenAs};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

#[path = "ui_editing/keyboard.rs"]
mod keyboard;

const SAMPLE: &str = "assets/examples/000_7713f654ee184543.txt";
const PHRASE: &str = "major Russian troop buildup";

fn sample_copy(folder: &Path) -> PathBuf {
    let path = folder.join("article.txt");
    std::fs::copy(SAMPLE, &path).unwrap();
    path
}

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
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness
}

fn phrase_span(app: &CounterpointApp, phrase: &str) -> Span {
    let text = app.workspace().unwrap().project().text();
    let start = text.find(phrase).unwrap();
    Span::new(start, start + phrase.len())
}

/// Presses at the first character of `span` and releases at its last one.
fn drag_across(harness: &mut Harness<'static, CounterpointApp>, span: Span) {
    let rects = harness.state().screen_rects(span);
    assert!(!rects.is_empty(), "the phrase is on screen");
    let first = rects.first().unwrap();
    let last = rects.last().unwrap();
    let from = first.left_center() + egui::vec2(1.0, 0.0);
    let to = last.right_center() - egui::vec2(1.0, 0.0);
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=4 {
        harness.hover_at(from + (to - from) * (step as f32 / 4.0));
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
}

#[test]
fn tag_claim_undo_redo_save_and_reload() {
    let folder = tempfile::tempdir().unwrap();
    let document = sample_copy(folder.path());
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&document, OpenAs::Auto);
    let mut harness = harness(app);
    harness.get_by_label(counterpoint::ui::text_view::DOCUMENT_LABEL);
    assert_eq!(harness.state().title(), "article.txt — Counterpoint");

    let span = phrase_span(harness.state(), PHRASE);
    drag_across(&mut harness, span);
    assert_eq!(
        harness.state().selection().span(),
        Some(span),
        "the drag selects the phrase exactly"
    );

    harness.key_press(Key::Num1);
    harness.run();
    let project = harness.state().workspace().unwrap().project();
    assert_eq!(project.annotation_count(), 1);
    let annotation = project.annotations().next().unwrap();
    assert_eq!(annotation.span, span);
    assert_eq!(annotation.tags, [TagId("Claim".into())]);
    assert_eq!(harness.state().title(), "article.txt* — Counterpoint");

    harness.get_by_label("Add counter-claim").click();
    harness.run();
    harness
        .get_by_label("Counter-claim 1")
        .type_text("Troops were far from the border.");
    harness.run();
    let claim_text = |harness: &Harness<'static, CounterpointApp>| {
        let project = harness.state().workspace().unwrap().project();
        project
            .annotations()
            .next()
            .and_then(|a| a.counter_claims.first())
            .map(|c| c.text.clone())
    };
    assert_eq!(
        claim_text(&harness).as_deref(),
        Some("Troops were far from the border.")
    );

    // One undo removes the whole typing session, the next the empty claim, the next the tag.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(claim_text(&harness).as_deref(), Some(""));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(claim_text(&harness), None);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(
        claim_text(&harness).as_deref(),
        Some("Troops were far from the border.")
    );

    // Save: a document is first saved as a project through Save As.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let target = folder.path().join("article.ron");
    assert_eq!(
        harness.get_by_label(PATH_FIELD_LABEL).value().as_deref(),
        Some(target.to_str().unwrap())
    );
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(harness.state().title(), "article.ron — Counterpoint");
    let saved = project_file::load(&target).unwrap();
    assert_eq!(&saved, harness.state().workspace().unwrap().project());
    assert_eq!(
        saved.annotations().next().unwrap().counter_claims[0].text,
        "Troops were far from the border."
    );

    // Reload reads the saved project back.
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Reload from disk").click();
    harness.run();
    assert_eq!(harness.state().workspace().unwrap().project(), &saved);
    assert!(
        harness
            .state()
            .recent_files()
            .entries()
            .iter()
            .any(|e| e.path.ends_with("article.ron"))
    );
}

/// Presses and releases the mouse button at `pos`, one frame each.
fn click_at(harness: &mut Harness<'static, CounterpointApp>, pos: egui::Pos2) {
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
}

/// A harness with short frames, so that repeated clicks fall within egui's double-click time.
fn fast_harness(app: CounterpointApp) -> Harness<'static, CounterpointApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness
}

#[test]
fn a_triple_click_selects_the_line() {
    let folder = tempfile::tempdir().unwrap();
    let document = sample_copy(folder.path());
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&document, OpenAs::Auto);
    let mut harness = fast_harness(app);
    let word = phrase_span(harness.state(), "buildup");
    let center = harness.state().screen_rects(word)[0].center();
    harness.hover_at(center);
    harness.run();
    for _ in 0..3 {
        click_at(&mut harness, center);
    }
    harness.run();
    let workspace = harness.state().workspace().unwrap();
    let line = workspace.paragraphs().line(workspace.paragraphs().index_of(word.start));
    assert_eq!(harness.state().selection().span(), Some(line));
    assert!(!line.quote(workspace.project().text()).unwrap().contains('\n'));
}

#[test]
fn double_click_shift_arrows_and_a_drafted_counter_claim() {
    let folder = tempfile::tempdir().unwrap();
    let document = sample_copy(folder.path());
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&document, OpenAs::Auto);
    let mut harness = fast_harness(app);
    let word = phrase_span(harness.state(), "buildup");
    let center = harness.state().screen_rects(word)[0].center();
    harness.hover_at(center);
    harness.run();
    click_at(&mut harness, center);
    click_at(&mut harness, center);
    harness.run();
    assert_eq!(
        harness.state().selection().span(),
        Some(word),
        "a double-click selects the word"
    );

    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    let extended = Span::new(word.start.0, word.end.0 + 1);
    assert_eq!(harness.state().selection().span(), Some(extended));

    // Typing into the draft editor creates the annotation; the whole session is one undo step.
    harness
        .get_by_label(counterpoint::ui::claim_panel::NEW_CLAIM_LABEL)
        .focus();
    harness.run();
    harness
        .get_by_label(counterpoint::ui::claim_panel::NEW_CLAIM_LABEL)
        .type_text("Not ");
    harness.run();
    harness.get_by_label("Counter-claim 1").type_text("so.");
    harness.run();
    let project = harness.state().workspace().unwrap().project();
    let annotation = project.annotations().next().unwrap();
    assert_eq!(annotation.span, extended);
    assert_eq!(annotation.counter_claims[0].text, "Not so.");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().workspace().unwrap().project().annotation_count(), 0);
}

#[test]
fn multilingual_crlf_text_shows_and_selects_whole_clusters() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("multi.txt");
    let text = "Emoji 👩\u{200d}👩\u{200d}👧 and flags 🇺🇦, tab:\there.\r\n\
                CJK 日本語のテキスト 中文 한국어.\r\n\
                RTL مرحبا بالعالم שלום. Devanagari नमस्ते. Accents e\u{301}te\u{301}.\r\n";
    std::fs::write(&path, text).unwrap();
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&path, OpenAs::Auto);
    // The harness fails on any glyph no font can draw, so rendering the frame checks the fonts.
    let mut harness = harness(app);
    assert_eq!(
        harness.state().workspace().unwrap().paragraphs().len(),
        4,
        "CRLF is one line break"
    );

    // Drag from inside the emoji family to the middle of the next line: the selection
    // snaps outwards to whole clusters and so never splits the CRLF either.
    let family = phrase_span(harness.state(), "👩\u{200d}👩\u{200d}👧");
    let cjk = phrase_span(harness.state(), "日本語");
    let from = harness.state().screen_rects(family)[0].center();
    let to = harness.state().screen_rects(cjk)[0].center();
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    harness.hover_at(to);
    harness.run();
    harness.drop_at(to);
    harness.run();
    let selected = harness.state().selection().span().unwrap();
    assert_eq!(selected.check_graphemes(text), Ok(()));
    assert!(selected.start <= family.start || selected.start >= family.end);
    assert!(selected.quote(text).unwrap().contains("\r\n"));
    harness.key_press(Key::Num2);
    harness.run();
    let project = harness.state().workspace().unwrap().project();
    assert_eq!(project.annotations().next().unwrap().span, selected);
}

/// The view keeps each paragraph's highlight shapes between frames; every
/// edit, and its undo, must show at once all the same.
#[test]
fn highlights_follow_edits_and_undo_at_once() {
    let folder = tempfile::tempdir().unwrap();
    let document = sample_copy(folder.path());
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&document, OpenAs::Auto);
    let mut harness = harness(app);
    let span = phrase_span(harness.state(), PHRASE);
    drag_across(&mut harness, span);
    // The phrase with room for its underlines and counter-claim mark.
    let area = harness
        .state()
        .screen_rects(span)
        .into_iter()
        .reduce(egui::Rect::union)
        .unwrap()
        .expand2(egui::vec2(2.0, 14.0));
    let untagged = pixels_in(&mut harness, area);

    harness.key_press(Key::Num1);
    harness.run();
    let tagged = pixels_in(&mut harness, area);
    assert!(tagged != untagged, "the new tag is drawn");

    // The annotation stays selected: only the edit itself can tell the view to redraw.
    harness.get_by_label("Add counter-claim").click();
    harness.run();
    assert_eq!(
        harness
            .state()
            .workspace()
            .unwrap()
            .project()
            .annotations()
            .next()
            .unwrap()
            .counter_claims
            .len(),
        1
    );
    assert!(
        pixels_in(&mut harness, area) != tagged,
        "the counter-claim mark is drawn"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        pixels_in(&mut harness, area) == tagged,
        "the undone counter-claim is gone"
    );
}

/// The rendered pixels inside `area` (in points).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn pixels_in(harness: &mut Harness<'static, CounterpointApp>, area: egui::Rect) -> Vec<[u8; 4]> {
    let image = harness.render().unwrap();
    let area = area.intersect(egui::Rect::from_min_size(
        egui::Pos2::ZERO,
        harness.ctx.content_rect().size(),
    ));
    let scale = harness.ctx.pixels_per_point();
    let (x0, y0) = ((area.left() * scale) as u32, (area.top() * scale) as u32);
    let (x1, y1) = ((area.right() * scale) as u32, (area.bottom() * scale) as u32);
    (y0..y1.min(image.height()))
        .flat_map(|y| (x0..x1.min(image.width())).map(move |x| (x, y)))
        .map(|(x, y)| image.get_pixel(x, y).0)
        .collect()
}

/// When the text column changes width (the window or a side panel resized),
/// the paragraph the reader is looking at stays where it was.
#[test]
fn a_narrower_column_keeps_the_reading_place() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("long.txt");
    let text: Vec<String> = (0..300)
        .map(|n| {
            let words = "words that wrap across the column ".repeat(1 + n % 7);
            format!("Paragraph {n}: {words}")
        })
        .collect();
    let text = text.join("\n");
    std::fs::write(&path, &text).unwrap();
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&path, OpenAs::Auto);
    let mut harness = harness(app);
    let marker = phrase_span(harness.state(), "Paragraph 150:");
    harness.state_mut().reveal_span(marker);
    harness.run();
    let before = first_paragraph_in_view(&harness);
    assert!(before > 140, "scrolled to the middle");

    harness.set_size(egui::vec2(900.0, 800.0));
    harness.run();
    assert_eq!(first_paragraph_in_view(&harness), before);
    assert!(
        !harness.state().screen_rects(marker).is_empty(),
        "the paragraph is still in view"
    );
}

/// The number of the first "Paragraph N:" the view drew.
fn first_paragraph_in_view(harness: &Harness<'static, CounterpointApp>) -> usize {
    (0..300)
        .find(|n| {
            let label = phrase_span(harness.state(), &format!("Paragraph {n}:"));
            !harness.state().screen_rects(label).is_empty()
        })
        .unwrap()
}

/// Emoji are drawn in colour from the colour emoji font (installed by
/// `scripts/setup.sh`), and a ZWJ sequence or a flag is one glyph.
#[test]
fn emoji_are_drawn_in_colour_and_sequences_as_one_glyph() {
    if counterpoint::ui::fonts::installed_colour_emoji_font().is_none() {
        println!("skipped: no colour emoji font installed (scripts/setup.sh installs fonts-noto-color-emoji)");
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("post.txt");
    let text = "Smile 🙂 think 🤔 tears 🥲 family 👨\u{200d}👩\u{200d}👧\u{200d}👦 coder 👩🏽\u{200d}💻 flag 🇺🇦 end";
    std::fs::write(&path, text).unwrap();
    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&path, OpenAs::Auto);
    let mut harness = harness(app);
    let width = |harness: &Harness<'static, CounterpointApp>, cluster: &str| {
        let rects = harness.state().screen_rects(phrase_span(harness.state(), cluster));
        assert_eq!(rects.len(), 1, "{cluster} is on one row");
        rects[0].width()
    };
    let smile = width(&harness, "🙂");
    assert!(smile > 8.0, "the emoji has a glyph ({smile})");
    for cluster in ["👨\u{200d}👩\u{200d}👧\u{200d}👦", "👩🏽\u{200d}💻", "🇺🇦"] {
        let cluster_width = width(&harness, cluster);
        assert!(
            (cluster_width - smile).abs() < smile * 0.3,
            "{cluster} is one glyph as wide as 🙂 ({cluster_width} vs {smile})"
        );
    }
    for cluster in ["🙂", "🤔", "🥲", "🇺🇦"] {
        let rect = harness.state().screen_rects(phrase_span(harness.state(), cluster))[0];
        let pixels = pixels_in(&mut harness, rect);
        let colourful = pixels.iter().filter(|[r, g, b, _]| {
            let max = (*r).max(*g).max(*b);
            let min = (*r).min(*g).min(*b);
            max - min > 60
        });
        assert!(colourful.count() > 10, "{cluster} is drawn in colour");
    }
}

#[test]
fn a_merged_project_shows_its_conflicts_to_resolve_and_a_choice_is_one_undo_step() {
    use counterpoint::model::conflict::Conflict;
    use counterpoint::model::edit::Edit;
    use counterpoint::model::project::{Project, SourceInfo};
    use counterpoint::model::tag_set::TagSet;

    let text = "Prices exploded. The minister said nothing.\n";
    let mut base = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
    let (edit, id) = Edit::tag_span(&base, Span::new(0, 16), TagId("Claim".into())).unwrap();
    edit.apply(&mut base).unwrap();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    Edit::SetSpan {
        id,
        span: Span::new(0, 15),
    }
    .apply(&mut ours)
    .unwrap();
    Edit::SetSpan {
        id,
        span: Span::new(7, 15),
    }
    .apply(&mut theirs)
    .unwrap();
    let merged = counterpoint::team::merge::merge(&base, &ours, &theirs).unwrap().project;
    assert_eq!(merged.conflicts().len(), 1);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("merged.ron");
    std::fs::write(&path, project_file::to_ron_string(&merged).unwrap()).unwrap();

    let mut app = CounterpointApp::new(None, options(folder.path()));
    app.open_file(&path, OpenAs::Auto);
    let mut harness = harness(app);
    harness.get_by_label("1 conflict to resolve from a merge");
    let span_now = |harness: &Harness<'static, CounterpointApp>| {
        let project = harness.state().workspace().unwrap().project();
        (project.annotation(id).unwrap().span, project.conflicts().len())
    };
    assert_eq!(span_now(&harness), (Span::new(0, 15), 1), "ours stays until resolved");
    harness.get_by_label("Show").click();
    harness.run();
    assert_eq!(
        harness.state().selection().annotation,
        Some(id),
        "Show selects the annotation"
    );

    harness.get_by_label("Theirs").click();
    harness.run();
    assert_eq!(
        span_now(&harness),
        (Span::new(7, 15), 0),
        "theirs taken, the conflict gone"
    );
    assert!(harness.query_by_label("1 conflict to resolve from a merge").is_none());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(span_now(&harness), (Span::new(0, 15), 1), "one undo brings both back");
    assert!(matches!(
        harness.state().workspace().unwrap().project().conflicts(),
        [Conflict::Annotation { .. }]
    ));

    // Both: ours stays and theirs' span becomes an annotation of its own.
    harness.get_by_label("Both").click();
    harness.run();
    let project = harness.state().workspace().unwrap().project();
    let spans: Vec<Span> = project.annotations().map(|a| a.span).collect();
    assert_eq!(spans, [Span::new(0, 15), Span::new(7, 15)]);
    assert!(project.conflicts().is_empty());
}
