//! Keyboard-only annotation: a whole article tagged without the mouse, caret
//! motions, tagging every other occurrence, and the shortcut sheet.

use super::*;
use counterpoint::ui::find_bar::FIND_FIELD_LABEL;
use counterpoint::ui::occurrences::CONFIRM_LABEL;
use counterpoint::ui::shortcut_sheet::WINDOW_TITLE;

const ARTICLE: &str = "Prices exploded last week. Officials blamed the war.\n\
                       Nobody believes it. The war ended years ago!";

fn article_harness(folder: &Path) -> Harness<'static, CounterpointApp> {
    let path = folder.join("short.txt");
    std::fs::write(&path, ARTICLE).unwrap();
    let mut app = CounterpointApp::new(None, options(folder));
    app.open_file(&path, OpenAs::Auto);
    harness(app)
}

fn press(harness: &mut Harness<'static, CounterpointApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

fn selected_text(harness: &Harness<'static, CounterpointApp>) -> String {
    let span = harness.state().selection().text.unwrap().span();
    span.quote(ARTICLE).unwrap().to_owned()
}

fn tags_of(harness: &Harness<'static, CounterpointApp>, quote: &str) -> Vec<String> {
    let project = harness.state().workspace().unwrap().project();
    let span = phrase_span(harness.state(), quote);
    project
        .annotations()
        .filter(|a| a.span == span)
        .flat_map(|a| a.tags.iter().map(|t| t.as_str().to_owned()))
        .collect()
}

#[test]
fn a_whole_article_is_tagged_without_the_mouse() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = article_harness(folder.path());
    press(&mut harness, Modifiers::COMMAND, Key::Home);
    let sentences = [
        ("Prices exploded last week.", Key::Num1),
        ("Officials blamed the war.", Key::Num2),
        ("Nobody believes it.", Key::Num1),
        ("The war ended years ago!", Key::Num2),
    ];
    for (sentence, key) in sentences {
        press(&mut harness, Modifiers::NONE, Key::U);
        assert_eq!(
            selected_text(&harness),
            sentence,
            "U selects the next untagged sentence"
        );
        press(&mut harness, Modifiers::NONE, key);
    }
    assert_eq!(tags_of(&harness, "Prices exploded last week."), ["Claim"]);
    assert_eq!(tags_of(&harness, "Officials blamed the war."), ["Evidence"]);
    assert_eq!(tags_of(&harness, "The war ended years ago!"), ["Evidence"]);
    press(&mut harness, Modifiers::NONE, Key::U);
    assert!(
        matches!(harness.state().banner(), Some(Banner::Notice(text)) if text.contains("Every sentence")),
        "nothing left to tag is said, not silently ignored"
    );

    // N and Shift+N walk the annotations in document order.
    press(&mut harness, Modifiers::COMMAND, Key::Home);
    press(&mut harness, Modifiers::NONE, Key::N);
    assert_eq!(selected_text(&harness), "Prices exploded last week.");
    press(&mut harness, Modifiers::NONE, Key::N);
    assert_eq!(selected_text(&harness), "Officials blamed the war.");
    press(&mut harness, Modifiers::SHIFT, Key::N);
    assert_eq!(selected_text(&harness), "Prices exploded last week.");
    assert!(harness.state().selection().annotation.is_some());

    // Every tag was one undo step.
    for remaining in (0..4).rev() {
        press(&mut harness, Modifiers::COMMAND, Key::Z);
        assert_eq!(
            harness.state().workspace().unwrap().project().annotation_count(),
            remaining
        );
    }
}

#[test]
fn the_caret_moves_and_shift_extends_by_character_word_and_sentence() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = article_harness(folder.path());
    let head = |harness: &Harness<'static, CounterpointApp>| harness.state().selection().text.unwrap().head.0;
    press(&mut harness, Modifiers::COMMAND, Key::Home);
    assert_eq!(head(&harness), 0);
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(selected_text(&harness), "Prices");
    press(&mut harness, Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(selected_text(&harness), "Prices ");
    press(&mut harness, Modifiers::ALT | Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(selected_text(&harness), "Prices exploded last week.");
    press(&mut harness, Modifiers::NONE, Key::ArrowRight);
    assert!(
        harness.state().selection().span().is_none(),
        "an arrow collapses the selection"
    );
    press(&mut harness, Modifiers::NONE, Key::End);
    let first_line_end = ARTICLE.find('\n').unwrap();
    assert_eq!(head(&harness), first_line_end);
    press(&mut harness, Modifiers::NONE, Key::ArrowDown);
    assert!(head(&harness) > first_line_end, "down goes to the next line");
    press(&mut harness, Modifiers::NONE, Key::Home);
    assert_eq!(head(&harness), first_line_end + 1);
    press(&mut harness, Modifiers::NONE, Key::ArrowUp);
    assert!(head(&harness) < first_line_end, "and up comes back");
    press(&mut harness, Modifiers::COMMAND, Key::End);
    assert_eq!(head(&harness), ARTICLE.len());
    press(&mut harness, Modifiers::SHIFT, Key::PageUp);
    assert_eq!(
        selected_text(&harness).len(),
        ARTICLE.len(),
        "a page up from the end reaches the start"
    );
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert!(
        harness.state().selection().text.is_none(),
        "Escape clears the selection"
    );
}

#[test]
fn every_other_occurrence_is_listed_then_tagged_in_one_step() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = article_harness(folder.path());
    press(&mut harness, Modifiers::COMMAND, Key::F);
    harness.get_by_label(FIND_FIELD_LABEL).type_text("war");
    harness.run();
    press(&mut harness, Modifiers::NONE, Key::Enter);
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert!(
        harness.query_by_label(FIND_FIELD_LABEL).is_none(),
        "Escape closes the find bar"
    );
    assert_eq!(selected_text(&harness), "war");
    press(&mut harness, Modifiers::NONE, Key::Num1);
    press(&mut harness, Modifiers::NONE, Key::A);
    harness.get_by_label("Tag every other occurrence");
    harness.get_by_label_contains("occurs 1 more time");
    harness.get_by_label_contains("line 2");
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert!(harness.query_by_label(CONFIRM_LABEL).is_none(), "the dialog closed");
    let project = harness.state().workspace().unwrap().project();
    let wars: Vec<_> = project
        .annotations()
        .filter(|a| a.span.quote(ARTICLE) == Some("war"))
        .collect();
    assert_eq!(wars.len(), 2);
    assert!(wars.iter().all(|a| a.tags.len() == 1 && a.tags[0].as_str() == "Claim"));
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().workspace().unwrap().project().annotation_count(),
        1,
        "one undo takes back every occurrence"
    );
}

#[test]
fn f1_shows_the_shortcut_sheet() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = article_harness(folder.path());
    press(&mut harness, Modifiers::NONE, Key::F1);
    harness.get_by_label(WINDOW_TITLE);
    harness.get_by_label("1 … 9");
    harness.get_by_label_contains("Select the next sentence that no tag touches");
    harness.get_by_label("Ctrl+S");
    press(&mut harness, Modifiers::NONE, Key::F1);
    assert!(harness.query_by_label(WINDOW_TITLE).is_none());
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label_contains("Keyboard Shortcuts").click();
    harness.run();
    harness.get_by_label(WINDOW_TITLE);
}

/// Keys typed into a field stay there: caret keys and tag keys do not reach the document.
#[test]
fn keys_in_a_text_field_stay_in_the_field() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = article_harness(folder.path());
    press(&mut harness, Modifiers::COMMAND, Key::F);
    harness.get_by_label(FIND_FIELD_LABEL).type_text("war");
    harness.run();
    for (modifiers, key) in [
        (Modifiers::COMMAND, Key::Home),
        (Modifiers::NONE, Key::U),
        (Modifiers::NONE, Key::Num1),
        (Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowLeft),
    ] {
        press(&mut harness, modifiers, key);
    }
    assert!(
        harness.state().selection().text.is_none(),
        "the document's caret never moved"
    );
    assert_eq!(harness.state().workspace().unwrap().project().annotation_count(), 0);
}

/// Escape in a counter-claim editor leaves the editor; the selection stays.
#[test]
fn escape_in_a_field_only_leaves_the_field() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = article_harness(folder.path());
    press(&mut harness, Modifiers::NONE, Key::U);
    press(&mut harness, Modifiers::NONE, Key::Num1);
    harness.get_by_label("Add counter-claim").click();
    harness.run();
    harness.get_by_label("Counter-claim 1").type_text("Not so.");
    harness.run();
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert!(
        !harness.get_by_label("Counter-claim 1").is_focused(),
        "the editor let go"
    );
    assert_eq!(
        selected_text(&harness),
        "Prices exploded last week.",
        "the selection stays"
    );
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert!(harness.state().selection().text.is_none(), "a second Escape clears it");
}
