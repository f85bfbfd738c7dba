//! Corpus search and statistics in the window, driven headless with
//! `egui_kittest`: the concordance (count, rows, a click that asks for the
//! document with the match, a bad regular expression in words, search by
//! tag) and the statistics window (its tables' figures, Copy, Export CSV
//! with the overwrite question, a snapshot of the chart).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{Rgb, TagSet};
use counterpoint::ui::corpus_search::{
    CASE_LABEL, ConcordanceRow, CorpusSearchWindow, QUERY_LABEL, REGEX_LABEL, SEARCH_LABEL, SearchEvent, SearchRequest,
    TAG_LABEL,
};
use counterpoint::ui::corpus_stats::{
    COPY_LABEL, CSV_PATH_LABEL, CorpusStatsWindow, DocumentRow, EXPORT_LABEL, REPLACE_LABEL, StatsTable, TagRow,
};
use egui::Key;
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
    );
    harness.run();
    harness.get_by_label("3 matches in 2 documents");
    harness.get_by_label("sub/gamma: the «troops» left").click();
    harness.run();
    assert_eq!(
        harness.state().events,
        [SearchEvent::Open {
            document: 2,
            span: Span::new(4, 10)
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
    harness.state_mut().window.show_rows(rows, 5000);
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
