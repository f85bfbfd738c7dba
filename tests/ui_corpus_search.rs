//! Corpus search and statistics in the window, driven headless with
//! `egui_kittest`: the concordance (count, rows, a click that asks for the
//! document with the match, a bad regular expression in words, search by
//! tag) and the statistics window (its tables' figures, Copy, Export CSV
//! with the overwrite question, a snapshot of the chart).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use counterpoint::corpus::Manifest;
use counterpoint::model::annotation::CounterClaim;
use counterpoint::model::edit::Edit;
use counterpoint::model::offsets::ByteOffset;
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{Rgb, Tag, TagId, TagSet};
use counterpoint::project_file;
use counterpoint::storage::Expect;
use counterpoint::ui::corpus::KEEP_SAVED;
use counterpoint::ui::corpus_search::{
    CANCEL_LABEL, CASE_LABEL, ConcordanceRow, CorpusSearchWindow, QUERY_LABEL, REGEX_LABEL, SEARCH_LABEL, SearchEvent,
    SearchRequest, TAG_LABEL,
};
use counterpoint::ui::corpus_stats::{
    COPY_LABEL, CSV_PATH_LABEL, CorpusStatsWindow, DocumentRow, EXPORT_LABEL, REPLACE_LABEL, StatsTable, TagRow,
};
use counterpoint::ui::{AppOptions, CounterpointApp};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The search window alone, with what it asked for collected.
struct Search {
    window: CorpusSearchWindow,
    tag_set: TagSet,
    events: Vec<SearchEvent>,
}

fn search_harness() -> Harness<'static, Search> {
    let mut window = CorpusSearchWindow::default();
    window.open();
    let search = Search {
        window,
        tag_set: TagSet::default_set(),
        events: Vec::new(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1100.0, 640.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .build_ui_state(
            |ui, search: &mut Search| {
                let area = ui.ctx().content_rect();
                let events = search.window.ui(ui.ctx(), area, &search.tag_set);
                search.events.extend(events);
            },
            search,
        );
    harness.run();
    harness
}

fn row(document: usize, name: &str, left: &str, matched: &str, right: &str, start: usize) -> ConcordanceRow {
    ConcordanceRow {
        document,
        document_name: name.into(),
        left: left.into(),
        matched: matched.into(),
        right: right.into(),
        span: Span::new(start, start + matched.len()),
        annotation: None,
    }
}

#[test]
fn a_text_search_lists_its_hits_and_a_click_asks_for_the_match() {
    let mut harness = search_harness();
    harness.get_by_label(REGEX_LABEL).click();
    harness.get_by_label(CASE_LABEL).click();
    harness.run();
    harness.get_by_label(QUERY_LABEL).focus();
    harness.run();
    harness.get_by_label(QUERY_LABEL).type_text("troops?");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label(SEARCH_LABEL).click();
    harness.run();
    let request = SearchEvent::Search(SearchRequest::Text {
        pattern: "troops?".into(),
        regex: true,
        case_sensitive: true,
    });
    assert_eq!(
        std::mem::take(&mut harness.state_mut().events),
        [request.clone(), request],
        "Enter in the field, then the button"
    );

    harness.state_mut().window.show_rows(
        vec![
            row(0, "alpha", "Russian ", "troops", " gathered", 8),
            row(0, "alpha", "more ", "troop", " moves", 40),
            row(2, "sub/gamma", "the ", "troops", " left", 4),
        ],
        3,
        2,
    );
    harness.run();
    harness.get_by_label("3 matches in 2 documents");
    harness.get_by_label("sub/gamma: the «troops» left").click();
    harness.run();
    assert_eq!(
        harness.state().events,
        [SearchEvent::Open {
            document: 2,
            span: Span::new(4, 10),
            annotation: None,
        }]
    );
}

#[test]
fn a_bad_regular_expression_is_said_in_words() {
    let mut harness = search_harness();
    let message = "The regular expression “troop(” is not valid: an opening parenthesis has no closing one.";
    harness.state_mut().window.show_error(message.into());
    harness.run();
    harness.get_by_label(message);
    assert!(harness.state().window.rows().is_none());
}

#[test]
fn a_running_search_shows_its_progress_and_stops() {
    let mut harness = search_harness();
    harness
        .state_mut()
        .window
        .show_progress("Searching the documents…", 0.5);
    harness.run();
    harness.get_by_label_contains("Searching the documents…");
    assert!(harness.query_by_label(SEARCH_LABEL).is_none(), "one search at a time");
    harness.get_by_label(CANCEL_LABEL).click();
    harness.run();
    assert_eq!(harness.state().events, [SearchEvent::Cancel]);
}

#[test]
fn picking_a_tag_searches_its_spans() {
    let mut harness = search_harness();
    harness.get_by_label("Tag").click();
    harness.run();
    harness.get_by_label(TAG_LABEL).click();
    harness.run();
    let tag = harness.state().tag_set.tags[1].clone();
    harness.get_by_label(&tag.name).click();
    harness.run();
    assert_eq!(
        harness.state().events,
        [SearchEvent::Search(SearchRequest::Tag(tag.id))]
    );
}

#[test]
fn thousands_of_hits_draw_only_the_rows_on_screen() {
    let mut harness = search_harness();
    let rows = (0..5000)
        .map(|i| row(i, &format!("doc{i:04}"), "a ", "word", " b", i))
        .collect();
    harness.state_mut().window.show_rows(rows, 5000, 5000);
    harness.run();
    harness.get_by_label("5000 matches in 5000 documents");
    assert!(harness.query_by_label("doc0000: a «word» b").is_some());
    assert!(
        harness.query_by_label("doc4999: a «word» b").is_none(),
        "far below the fold"
    );
}

/// The statistics window alone.
fn stats_harness(table: StatsTable) -> Harness<'static, CorpusStatsWindow> {
    let mut window = CorpusStatsWindow::default();
    window.open();
    window.set_table(Some(table));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(900.0, 700.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .build_ui_state(
            |ui, window: &mut CorpusStatsWindow| {
                let area = ui.ctx().content_rect();
                window.ui(ui.ctx(), area, Duration::MAX);
            },
            window,
        );
    harness.run();
    harness
}

fn table() -> StatsTable {
    let tag = |name: &str, color: [u8; 3], spans, documents| TagRow {
        name: name.into(),
        color: Rgb(color),
        spans,
        documents,
    };
    StatsTable {
        tags: vec![
            tag("Claim", [214, 39, 40], 7, 3),
            tag("Loaded language", [31, 119, 180], 4, 2),
            tag("Name calling", [44, 160, 44], 0, 0),
        ],
        documents: vec![
            DocumentRow {
                name: "alpha".into(),
                spans: vec![4, 3, 0],
            },
            DocumentRow {
                name: "beta".into(),
                spans: vec![2, 0, 0],
            },
            DocumentRow {
                name: "sub/gamma".into(),
                spans: vec![1, 1, 0],
            },
        ],
    }
}

#[test]
fn the_statistics_tables_show_the_figures() {
    let mut harness = stats_harness(table());
    harness.get_by_label("11 spans in 3 documents");
    harness.get_by_label("Claim: 7 spans in 3 documents");
    harness.get_by_label("Loaded language: 4 spans in 2 documents");
    harness.get_by_label("Name calling: 0 spans in 0 documents");
    harness.get_by_label("Per document").click();
    harness.run();
    harness.get_by_label("alpha: 7 spans, Claim 4, Loaded language 3");
    harness.get_by_label("beta: 2 spans, Claim 2");
    harness.get_by_label("sub/gamma: 2 spans, Claim 1, Loaded language 1");
}

#[test]
fn copy_puts_the_table_on_the_clipboard_tab_separated() {
    let mut harness = stats_harness(table());
    harness.get_by_label(COPY_LABEL).click();
    harness.step();
    let copied: Vec<&str> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        copied,
        ["tag\tspans\tdocuments\nClaim\t7\t3\nLoaded language\t4\t2\nName calling\t0\t0\n"]
    );
}

#[test]
fn export_csv_writes_the_table_and_asks_before_replacing_a_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("stats.csv");
    let mut harness = stats_harness(table());
    harness.get_by_label("Per document").click();
    harness.run();
    harness.get_by_label(CSV_PATH_LABEL).focus();
    harness.run();
    harness.get_by_label(CSV_PATH_LABEL).type_text(path.to_str().unwrap());
    harness.run();
    harness.get_by_label(EXPORT_LABEL).click();
    harness.run();
    let per_document = "document,Claim,Loaded language,Name calling,total\r\n\
                        alpha,4,3,0,7\r\nbeta,2,0,0,2\r\nsub/gamma,1,1,0,2\r\n";
    assert_eq!(std::fs::read_to_string(&path).unwrap(), per_document);
    harness.get_by_label(&format!("Wrote {}.", path.display()));

    // The other table would replace a file that holds something else: asked first.
    harness.get_by_label("Per tag").click();
    harness.run();
    harness.get_by_label(EXPORT_LABEL).click();
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        per_document,
        "not yet replaced"
    );
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), per_document);
    harness.get_by_label(EXPORT_LABEL).click();
    harness.run();
    harness.get_by_label(REPLACE_LABEL).click();
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "tag,spans,documents\r\nClaim,7,3\r\nLoaded language,4,2\r\nName calling,0,0\r\n"
    );
    let backup = folder.path().join("stats.csv.bak");
    assert_eq!(
        std::fs::read_to_string(backup).unwrap(),
        per_document,
        "the old file is kept"
    );
}

#[test]
fn statistics_chart_snapshot() {
    let mut harness = stats_harness(table());
    harness.snapshot("corpus_stats");
}

#[test]
fn the_chart_scale_is_labelled_at_corpus_sized_counts() {
    let mut big = table();
    for (row, spans) in big.tags.iter_mut().zip([77_856, 78_100, 41_000]) {
        row.spans = spans;
    }
    let mut harness = stats_harness(big);
    // The picture is the truth here (plot labels are not in the accessibility
    // tree): round steps of 20,000 up to the largest count, where egui_plot's
    // own spacer labelled only 0.
    harness.snapshot("corpus_stats_large_counts");
}

// ---- The whole window over a corpus folder ----

const ALPHA: &str = "Russian troops gathered at the border.\n\nOfficials said the troops would stay.";
const BETA: &str = "No troops were seen.\n\nThe ministry called it a hoax.";
const GAMMA: &str = "A plain text, not started yet: troops of tourists.";

fn tag(id: &str, name: &str, color: [u8; 3], hotkey: u8) -> Tag {
    Tag {
        id: TagId(id.into()),
        name: name.into(),
        category: String::new(),
        description: String::new(),
        color: Rgb(color),
        hotkey: Some(hotkey),
        attributes: Vec::new(),
    }
}

fn corpus_tag_set() -> TagSet {
    TagSet::of_tags(vec![
        tag("Claim", "Claim", [214, 39, 40], 1),
        tag("Loaded_Language", "Loaded language", [31, 119, 180], 2),
        tag("Doubt", "Doubt", [44, 160, 44], 3),
    ])
}

/// `text` saved as a project at `path`, with `phrase` tagged `tag` (and a counter-claim on the first).
fn write_project(path: &Path, text: &str, tagged: &[(&str, &str)], claim: Option<&str>) {
    let mut project = Project::new(text.to_owned(), SourceInfo::of_text(text), corpus_tag_set());
    for (phrase, tag) in tagged {
        let start = text.find(phrase).unwrap();
        let span = Span::new(start, start + phrase.len());
        let (edit, _) = Edit::tag_span(&project, span, TagId((*tag).into())).unwrap();
        edit.apply(&mut project).unwrap();
    }
    if let Some(claim) = claim {
        let (edit, _) = Edit::add_counter_claim(&project, Span::new(0, 7), CounterClaim::new(claim));
        edit.apply(&mut project).unwrap();
    }
    project_file::save(&project, path, &Expect::Absent).unwrap();
}

/// A corpus of three documents: `alpha` and `sub/beta` annotated, `gamma` a text not started.
fn corpus_folder(root: &Path) {
    std::fs::create_dir_all(root.join("sub")).unwrap();
    let manifest = Manifest {
        name: "Small corpus".into(),
        tag_set: corpus_tag_set(),
    };
    manifest.save(root, &Expect::Absent).unwrap();
    write_project(
        &root.join("alpha.ron"),
        ALPHA,
        &[
            ("Russian troops", "Claim"),
            ("the troops would stay", "Claim"),
            ("border", "Doubt"),
        ],
        Some("The buildup was denied by both sides."),
    );
    write_project(
        &root.join("sub/beta.ron"),
        BETA,
        &[("a hoax", "Loaded_Language"), ("No troops", "Claim")],
        None,
    );
    std::fs::write(root.join("gamma.txt"), GAMMA).unwrap();
}

fn corpus_harness(root: &Path) -> Harness<'static, CounterpointApp> {
    let options = AppOptions {
        config_dir: Some(root.with_extension("config")),
        ..AppOptions::headless()
    };
    let mut app = CounterpointApp::new(None, options);
    app.open_folder(root);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .with_context_setup(counterpoint::ui::setup_context)
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CounterpointApp| app.ui(ui), app);
    harness.run();
    harness
}

fn document_index(harness: &Harness<'static, CounterpointApp>, name: &str) -> usize {
    let session = harness.state().corpus().unwrap();
    (0..session.len()).find(|index| session.name(*index) == name).unwrap()
}

fn search_for(harness: &mut Harness<'static, CounterpointApp>, pattern: &str) {
    harness.get_by_label(QUERY_LABEL).focus();
    harness.run();
    harness.get_by_label(QUERY_LABEL).type_text(pattern);
    harness.run();
    harness.get_by_label(SEARCH_LABEL).click();
    harness.run();
}

#[test]
fn searching_the_corpus_lists_a_concordance_and_a_click_opens_the_match() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("corpus");
    corpus_folder(&root);
    let mut harness = corpus_harness(&root);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    harness.run();
    search_for(&mut harness, "troops");
    harness.get_by_label("4 matches in 3 documents");
    let rows = harness.state().corpus_search_rows().unwrap();
    assert_eq!(rows.len(), 4);

    harness
        .get_by_label_contains("sub/beta: No «troops» were seen.")
        .click();
    harness.run();
    let beta = document_index(&harness, "sub/beta");
    assert_eq!(harness.state().corpus().unwrap().current(), Some(beta));
    let start = BETA.find("troops").unwrap();
    let span = Span::new(start, start + "troops".len());
    assert_eq!(harness.state().workspace().unwrap().project().text(), BETA);
    assert_eq!(harness.state().selection().span(), Some(span));
    assert!(!harness.state().screen_rects(span).is_empty(), "scrolled into view");

    // The not-started text is searched too, and opens the same way.
    harness
        .get_by_label_contains("gamma: A plain text, not started yet: «troops» of tourists.")
        .click();
    harness.run();
    assert_eq!(harness.state().workspace().unwrap().project().text(), GAMMA);
    let start = GAMMA.find("troops").unwrap();
    assert_eq!(harness.state().selection().span(), Some(Span::new(start, start + 6)));
}

#[test]
fn a_bad_regular_expression_in_the_corpus_search_is_said_in_words() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("corpus");
    corpus_folder(&root);
    let mut harness = corpus_harness(&root);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    harness.run();
    harness.get_by_label(REGEX_LABEL).click();
    harness.run();
    search_for(&mut harness, "troop(s");
    harness.get_by_label_contains("is not a regular expression that can be searched for");
    assert!(harness.state().corpus_search_rows().is_none());
}

#[test]
fn a_search_by_tag_sees_the_unsaved_edits_of_the_open_document() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("corpus");
    corpus_folder(&root);
    let mut harness = corpus_harness(&root);
    // Tag "hoax" in sub/beta as Doubt (key 3), unsaved.
    let beta = document_index(&harness, "sub/beta");
    let start = BETA.find("hoax").unwrap();
    harness
        .state_mut()
        .open_corpus_document(beta, Some(ByteOffset(start)..ByteOffset(start + 4)));
    harness.run();
    harness.key_press(Key::Num3);
    harness.run();
    assert!(harness.state().workspace().unwrap().has_unsaved_changes());

    harness.state_mut().open_corpus_search();
    harness.run();
    harness.get_by_label("Tag").click();
    harness.run();
    harness.get_by_label(TAG_LABEL).click();
    harness.run();
    // The palette names the tag too: the chooser's entry is drawn last, on top.
    harness.get_all_by_label("Doubt").last().unwrap().click();
    harness.run();
    harness.get_by_label("2 matches in 2 documents");
    harness.get_by_label_contains("The ministry called it a «hoax».");

    // A click on an annotation found opens its document with it selected.
    harness
        .get_by_label_contains("alpha: Russian troops gathered at the «border».")
        .click();
    harness.run();
    let project = harness.state().workspace().unwrap().project();
    assert_eq!(project.text(), ALPHA);
    let border = project
        .annotations()
        .find(|a| a.tags.contains(&TagId("Doubt".into())))
        .unwrap();
    assert_eq!(harness.state().selection().annotation, Some(border.id));
    assert!(harness.state().workspace().is_some_and(|w| !w.has_unsaved_changes()));

    harness.get_by_label("Counter-claim").click();
    harness.run();
    search_for(&mut harness, "DENIED");
    harness.get_by_label("1 match in 1 document");
}

#[test]
fn corpus_statistics_count_every_document_and_export_csv() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("corpus");
    corpus_folder(&root);
    let mut harness = corpus_harness(&root);
    harness.state_mut().open_corpus_statistics();
    harness.run();
    harness.get_by_label("5 spans in 3 documents");
    harness.get_by_label("Claim: 3 spans in 2 documents");
    harness.get_by_label("Loaded language: 1 spans in 1 documents");
    harness.get_by_label("Doubt: 1 spans in 1 documents");
    harness.get_by_label("Per document").click();
    harness.run();
    harness.get_by_label("alpha: 3 spans, Claim 2, Doubt 1");
    harness.get_by_label("sub/beta: 2 spans, Claim 1, Loaded language 1");
    harness.get_by_label("gamma: 0 spans");

    let csv = folder.path().join("stats.csv");
    harness.get_by_label(CSV_PATH_LABEL).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(CSV_PATH_LABEL).type_text(csv.to_str().unwrap());
    harness.run();
    harness.get_by_label(EXPORT_LABEL).click();
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "document,Claim,Loaded language,Doubt,total\r\nalpha,2,0,1,3\r\ngamma,0,0,0,0\r\nsub/beta,1,1,0,2\r\n"
    );

    // Tagging in a document (unsaved) counts at once.
    let beta = document_index(&harness, "sub/beta");
    let start = BETA.find("hoax").unwrap();
    harness
        .state_mut()
        .open_corpus_document(beta, Some(ByteOffset(start)..ByteOffset(start + 4)));
    harness.run();
    harness.key_press(Key::Num3);
    harness.run();
    harness.get_by_label("sub/beta: 3 spans, Claim 1, Loaded language 1, Doubt 1");
    harness.get_by_label("Per tag").click();
    harness.run();
    harness.get_by_label("Doubt: 2 spans in 2 documents");
}

#[test]
fn a_search_sees_a_document_saved_and_left_since_the_corpus_was_read() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("corpus");
    corpus_folder(&root);
    // Enough other documents for the session to let go of a saved one it left.
    std::fs::create_dir_all(root.join("more")).unwrap();
    for number in 0..=KEEP_SAVED {
        std::fs::write(root.join(format!("more/{number:03}.txt")), "Filler text.").unwrap();
    }
    let mut harness = corpus_harness(&root);
    harness.state_mut().open_corpus_search();
    harness.run();
    harness.get_by_label("Tag").click();
    harness.run();
    harness.get_by_label(TAG_LABEL).click();
    harness.run();
    harness.get_all_by_label("Doubt").last().unwrap().click();
    harness.run();
    harness.get_by_label("1 match in 1 document");

    // Tag "hoax" in sub/beta, save it, and move on to alpha: sub/beta's work is let go.
    let beta = document_index(&harness, "sub/beta");
    let start = BETA.find("hoax").unwrap();
    harness
        .state_mut()
        .open_corpus_document(beta, Some(ByteOffset(start)..ByteOffset(start + 4)));
    harness.run();
    harness.key_press(Key::Num3);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert!(!harness.state().workspace().unwrap().has_unsaved_changes());
    for number in 0..=KEEP_SAVED {
        let filler = document_index(&harness, &format!("more/{number:03}"));
        harness.state_mut().open_corpus_document(filler, None);
        harness.run();
    }
    assert!(harness.state().corpus().unwrap().parked(beta).is_none(), "let go");

    harness.get_by_label(SEARCH_LABEL).click();
    harness.run();
    harness.get_by_label("2 matches in 2 documents");
    harness.get_by_label_contains("The ministry called it a «hoax».");
}
