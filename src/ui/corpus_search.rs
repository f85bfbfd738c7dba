//! Edit ▸ Search Corpus… (Ctrl+Shift+F): text (plain or a regular
//! expression, with or without case), the spans of a tag, or counter-claims
//! by their text, across every document of the open corpus. The hits are
//! listed as a concordance — document, left context, the match highlighted,
//! right context — with their count; only the rows on screen are drawn.
//! Clicking a row asks the app to open that document with the match selected.
//!
//! This window only asks and shows: the search itself runs in the background
//! (`app/corpus_searching.rs`), which hands back the rows or the error in words.

use egui::{Align, Key, Layout, RichText, Role, Sense, Ui, WidgetInfo};

use crate::model::annotation::AnnotationId;
use crate::model::span::Span;
use crate::model::tag_set::{TagId, TagSet};

use super::theme;

/// The window's title.
pub const WINDOW_TITLE: &str = "Search corpus";
/// Accessible label of the query field.
pub const QUERY_LABEL: &str = "Search the corpus for";
/// The button that starts a search.
pub const SEARCH_LABEL: &str = "Search";
/// The button that stops a running search.
pub const CANCEL_LABEL: &str = "Stop";
/// The toggles of a text search.
pub const REGEX_LABEL: &str = "Regular expression";
pub const CASE_LABEL: &str = "Match case";
/// Accessible label of the tag chooser.
pub const TAG_LABEL: &str = "Tag to find";

/// Height of one concordance row, in points.
const ROW_HEIGHT: f32 = 22.0;
/// Widths of the document and left-context columns, in points.
const DOCUMENT_WIDTH: f32 = 170.0;
const LEFT_WIDTH: f32 = 300.0;
/// Characters of context shown on each side of a match.
const CONTEXT_CHARS: usize = 60;
/// Characters of a match shown before a long one is cut in the middle.
const MATCH_CHARS: usize = 60;

/// What to look for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SearchMode {
    /// The documents' text.
    #[default]
    Text,
    /// The spans that carry a tag.
    Tag,
    /// Annotations whose counter-claim text matches.
    CounterClaim,
}

impl SearchMode {
    const ALL: [SearchMode; 3] = [SearchMode::Text, SearchMode::Tag, SearchMode::CounterClaim];

    fn title(self) -> &'static str {
        match self {
            SearchMode::Text => "Text",
            SearchMode::Tag => "Tag",
            SearchMode::CounterClaim => "Counter-claim",
        }
    }
}

/// A search as the user asked for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchRequest {
    Text {
        pattern: String,
        regex: bool,
        case_sensitive: bool,
    },
    Tag(TagId),
    CounterClaim {
        pattern: String,
        case_sensitive: bool,
    },
}

/// One line of the concordance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConcordanceRow {
    /// The document's index in the corpus list, and its name.
    pub document: usize,
    pub document_name: String,
    /// The text before the match, the match, the text after it (one line each).
    pub left: String,
    pub matched: String,
    pub right: String,
    /// Where the match is in the document's text.
    pub span: Span,
    /// The annotation found (searches by tag and by counter-claim).
    pub annotation: Option<AnnotationId>,
}

/// What the user did in the window, for the app to carry out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchEvent {
    Search(SearchRequest),
    Cancel,
    /// Open this document with this span selected and in view (and this annotation, if any).
    Open {
        document: usize,
        span: Span,
        annotation: Option<AnnotationId>,
    },
}

/// What the window shows below the query.
#[derive(Clone, Debug, Default, PartialEq)]
enum Shown {
    #[default]
    Nothing,
    /// Work runs: what it does, and the fraction of the documents done.
    Running(&'static str, f32),
    /// Why the search could not run, in words.
    Error(String),
    /// What became of it otherwise ("stopped").
    Note(&'static str),
    Rows {
        rows: Vec<ConcordanceRow>,
        /// Matches in all (rows beyond a limit are counted, not listed).
        count: usize,
        documents: usize,
        /// Which row was opened last.
        opened: Option<usize>,
    },
}

/// How a pattern matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Matching {
    regex: bool,
    case_sensitive: bool,
}

/// The search window's state.
#[derive(Default)]
pub struct CorpusSearchWindow {
    open: bool,
    focus_requested: bool,
    mode: SearchMode,
    pattern: String,
    matching: Matching,
    tag: Option<TagId>,
    shown: Shown,
    /// A sentence on what the search covers (saved files, unsaved edits).
    scope_note: String,
}

impl CorpusSearchWindow {
    /// Shows the window and puts the keyboard in its query field.
    pub fn open(&mut self) {
        self.open = true;
        self.focus_requested = true;
    }

    /// Whether the window is shown.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Shows that work for the search runs (`what` it does, "Searching…"), `fraction` of it done.
    pub fn show_progress(&mut self, what: &'static str, fraction: f32) {
        self.shown = Shown::Running(what, fraction);
    }

    /// Shows the hits of the search that ended: `rows`, of `count` matches in
    /// all, found in `documents` documents (more than the rows show when only
    /// the first matches are listed).
    pub fn show_rows(&mut self, rows: Vec<ConcordanceRow>, count: usize, documents: usize) {
        self.shown = Shown::Rows {
            rows,
            count,
            documents,
            opened: None,
        };
    }

    /// Shows why the search could not run.
    pub fn show_error(&mut self, message: String) {
        self.shown = Shown::Error(message);
    }

    /// Says what became of the search, in place of results ("The search was stopped.").
    pub fn show_note(&mut self, note: &'static str) {
        self.shown = Shown::Note(note);
    }

    /// Sets the sentence on what a search covers.
    pub fn set_scope_note(&mut self, note: String) {
        self.scope_note = note;
    }

    /// The rows shown, if a search has ended with hits or none.
    #[must_use]
    pub fn rows(&self) -> Option<&[ConcordanceRow]> {
        match &self.shown {
            Shown::Rows { rows, .. } => Some(rows),
            _ => None,
        }
    }

    /// Draws the window inside `area` if it is open, with `tag_set` to choose
    /// from; returns what the user asked for.
    pub fn ui(&mut self, ctx: &egui::Context, area: egui::Rect, tag_set: &TagSet) -> Vec<SearchEvent> {
        let mut events = Vec::new();
        let mut open = self.open;
        let height = (area.height() * 0.45).max(240.0);
        egui::Window::new(WINDOW_TITLE)
            .open(&mut open)
            .constrain_to(area)
            // Along the bottom, so that the match it opens shows in the text above.
            .default_pos(egui::pos2(area.left() + 40.0, area.bottom() - height - 30.0))
            .default_size([900.0, height])
            .show(ctx, |ui| self.contents_ui(ui, tag_set, &mut events));
        if self.open && !open && matches!(self.shown, Shown::Running(..)) {
            events.push(SearchEvent::Cancel);
        }
        self.open = open;
        events
    }

    fn contents_ui(&mut self, ui: &mut Ui, tag_set: &TagSet, events: &mut Vec<SearchEvent>) {
        ui.horizontal(|ui| {
            for mode in SearchMode::ALL {
                ui.selectable_value(&mut self.mode, mode, mode.title());
            }
        });
        let running = matches!(self.shown, Shown::Running(..));
        let mut go = false;
        ui.horizontal(|ui| {
            match self.mode {
                SearchMode::Text | SearchMode::CounterClaim => go |= self.query_field_ui(ui),
                SearchMode::Tag => go |= self.tag_chooser_ui(ui, tag_set),
            }
            if running {
                if ui.button(CANCEL_LABEL).clicked() {
                    events.push(SearchEvent::Cancel);
                }
            } else {
                go |= ui
                    .add_enabled(self.request().is_some(), egui::Button::new(SEARCH_LABEL))
                    .clicked();
            }
        });
        ui.horizontal(|ui| {
            if self.mode != SearchMode::Tag {
                ui.checkbox(&mut self.matching.case_sensitive, CASE_LABEL);
            }
            if self.mode == SearchMode::Text {
                ui.checkbox(&mut self.matching.regex, REGEX_LABEL);
            }
            if !self.scope_note.is_empty() {
                ui.label(RichText::new(self.scope_note.as_str()).weak());
            }
        });
        if go
            && !running
            && let Some(request) = self.request()
        {
            events.push(SearchEvent::Search(request));
        }
        ui.separator();
        self.results_ui(ui, events);
    }

    /// The pattern field; true when Enter was pressed in it.
    fn query_field_ui(&mut self, ui: &mut Ui) -> bool {
        let label = ui.label(QUERY_LABEL);
        let hint = match (self.mode, self.matching.regex) {
            (SearchMode::CounterClaim, _) => "words of a counter-claim",
            (_, true) => "a regular expression, e.g. troops?|army",
            (_, false) => "a word or phrase",
        };
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut self.pattern)
                    .id_salt("corpus query")
                    .hint_text(hint)
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus_requested) {
            field.request_focus();
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if entered {
            field.request_focus();
        }
        entered
    }

    /// The tag chooser; true when a tag was picked (that starts the search).
    fn tag_chooser_ui(&mut self, ui: &mut Ui, tag_set: &TagSet) -> bool {
        self.focus_requested = false;
        let before = self.tag.clone();
        let chosen = self
            .tag
            .as_ref()
            .and_then(|tag| tag_set.get(tag))
            .map_or("Choose a tag", |tag| tag.name.as_str());
        egui::ComboBox::from_label(TAG_LABEL)
            .selected_text(chosen)
            .show_ui(ui, |ui| {
                for tag in &tag_set.tags {
                    ui.horizontal(|ui| {
                        let (swatch, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), Sense::hover());
                        ui.painter().rect_filled(swatch, 2.0, theme::tag_color(tag.color));
                        ui.selectable_value(&mut self.tag, Some(tag.id.clone()), &tag.name);
                    });
                }
            });
        self.tag.is_some() && self.tag != before
    }

    /// The search the fields describe, if they describe one.
    fn request(&self) -> Option<SearchRequest> {
        match self.mode {
            SearchMode::Text if !self.pattern.is_empty() => Some(SearchRequest::Text {
                pattern: self.pattern.clone(),
                regex: self.matching.regex,
                case_sensitive: self.matching.case_sensitive,
            }),
            SearchMode::CounterClaim if !self.pattern.trim().is_empty() => Some(SearchRequest::CounterClaim {
                pattern: self.pattern.trim().to_owned(),
                case_sensitive: self.matching.case_sensitive,
            }),
            SearchMode::Tag => self.tag.clone().map(SearchRequest::Tag),
            SearchMode::Text | SearchMode::CounterClaim => None,
        }
    }

    fn results_ui(&mut self, ui: &mut Ui, events: &mut Vec<SearchEvent>) {
        match &mut self.shown {
            Shown::Nothing => {}
            Shown::Running(what, fraction) => {
                ui.add(egui::ProgressBar::new(*fraction).text(*what));
            }
            Shown::Error(message) => {
                ui.colored_label(ui.visuals().error_fg_color, message.as_str());
            }
            Shown::Note(note) => {
                ui.label(*note);
            }
            Shown::Rows {
                rows,
                count,
                documents,
                opened,
            } => {
                let mut counted = count_text(*count, *documents);
                if rows.len() < *count {
                    counted = format!("{counted}; the first {} are listed", rows.len());
                }
                ui.label(RichText::new(counted).strong());
                if let Some(clicked) = concordance_ui(ui, rows, *opened) {
                    *opened = Some(clicked);
                    if let Some(row) = rows.get(clicked) {
                        events.push(SearchEvent::Open {
                            document: row.document,
                            span: row.span,
                            annotation: row.annotation,
                        });
                    }
                }
            }
        }
    }
}

/// "3 matches in 2 documents".
#[must_use]
pub fn count_text(matches: usize, documents: usize) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if matches == 0 {
        return "No matches".to_owned();
    }
    format!(
        "{} in {}",
        plural(matches, "match", "matches"),
        plural(documents, "document", "documents")
    )
}

/// The rows on screen; returns the index of a row clicked.
fn concordance_ui(ui: &mut Ui, rows: &[ConcordanceRow], opened: Option<usize>) -> Option<usize> {
    let mut clicked = None;
    let highlight = theme::Palette::of(ui).find_hit;
    egui::ScrollArea::vertical()
        .id_salt("concordance")
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for (index, row) in rows.iter().enumerate().skip(range.start).take(range.len()) {
                if row_ui(ui, row, highlight, opened == Some(index)) {
                    clicked = Some(index);
                }
            }
        });
    clicked
}

/// One concordance line, clickable as a whole; true when clicked.
fn row_ui(ui: &mut Ui, row: &ConcordanceRow, highlight: egui::Color32, opened: bool) -> bool {
    let left = left_context(&row.left);
    let right = right_context(&row.right);
    let line = ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        fixed_cell_ui(ui, DOCUMENT_WIDTH, Layout::left_to_right(Align::Center), |ui| {
            ui.add(egui::Label::new(RichText::new(row.document_name.as_str()).weak()).truncate());
        });
        fixed_cell_ui(ui, LEFT_WIDTH, Layout::right_to_left(Align::Center), |ui| {
            ui.add(egui::Label::new(left.as_str()).truncate());
        });
        ui.spacing_mut().item_spacing.x = 0.0;
        ui.add(
            egui::Label::new(
                RichText::new(match_excerpt(&row.matched))
                    .strong()
                    .background_color(highlight),
            )
            .selectable(false)
            .truncate(),
        );
        ui.add(egui::Label::new(right.as_str()).truncate());
    });
    let rect = line.response.rect.with_max_x(ui.max_rect().right());
    let response = ui.interact(
        rect,
        ui.scope_id().with(("concordance row", row.document, row.span.start.0)),
        Sense::click(),
    );
    if opened || response.hovered() {
        let stroke = ui.visuals().widgets.hovered.bg_stroke;
        ui.painter().rect_stroke(rect, 2.0, stroke, egui::StrokeKind::Inside);
    }
    let spoken = format!("{}: {left}«{}»{right}", row.document_name, one_line(&row.matched));
    response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &spoken));
    response
        .on_hover_text("Open this document with the match selected")
        .clicked()
}

fn fixed_cell_ui(ui: &mut Ui, width: f32, layout: Layout, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(egui::vec2(width, ROW_HEIGHT), layout, |ui| {
        ui.set_width(width);
        add(ui);
    });
}

/// Line breaks and tabs as spaces, so that a row stays one line.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A match as shown: one line, a long one (a tagged paragraph) cut in the middle.
fn match_excerpt(text: &str) -> String {
    let count = text.chars().count();
    if count <= MATCH_CHARS {
        return one_line(text);
    }
    let head: String = text.chars().take(MATCH_CHARS / 2).collect();
    let tail: String = text.chars().skip(count - MATCH_CHARS / 3).collect();
    format!("{} … {}", one_line(head.trim_end()), one_line(tail.trim_start()))
}

/// The end of the text before a match, at most [`CONTEXT_CHARS`] characters ("…" where cut).
fn left_context(text: &str) -> String {
    let count = text.chars().count();
    if count <= CONTEXT_CHARS {
        return one_line(text);
    }
    let kept: String = text.chars().skip(count - CONTEXT_CHARS).collect();
    format!("…{}", one_line(kept.trim_start()))
}

/// The start of the text after a match, at most [`CONTEXT_CHARS`] characters ("…" where cut).
fn right_context(text: &str) -> String {
    if text.chars().count() <= CONTEXT_CHARS {
        return one_line(text);
    }
    let kept: String = text.chars().take(CONTEXT_CHARS).collect();
    format!("{}…", one_line(kept.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_are_one_line_and_cut_away_from_the_match() {
        assert_eq!(left_context("a\nb "), "a b ");
        assert_eq!(right_context(" c\td"), " c d");
        let long = "x".repeat(CONTEXT_CHARS + 5) + " end";
        assert!(left_context(&long).starts_with('…') && left_context(&long).ends_with(" end"));
        let tagged = "a".repeat(40) + &"b".repeat(40);
        assert_eq!(match_excerpt(&tagged), "a".repeat(30) + " … " + &"b".repeat(20));
        assert_eq!(match_excerpt("short\nmatch"), "short match");
        let long = "start ".to_owned() + &"y".repeat(CONTEXT_CHARS);
        assert!(right_context(&long).starts_with("start ") && right_context(&long).ends_with('…'));
    }

    #[test]
    fn counts_are_said_in_words() {
        assert_eq!(count_text(0, 0), "No matches");
        assert_eq!(count_text(1, 1), "1 match in 1 document");
        assert_eq!(count_text(5, 2), "5 matches in 2 documents");
    }

    #[test]
    fn a_request_needs_a_pattern_or_a_tag() {
        let mut window = CorpusSearchWindow::default();
        assert_eq!(window.request(), None);
        window.pattern = "troops?".into();
        window.matching.regex = true;
        assert_eq!(
            window.request(),
            Some(SearchRequest::Text {
                pattern: "troops?".into(),
                regex: true,
                case_sensitive: false
            })
        );
        window.mode = SearchMode::Tag;
        assert_eq!(window.request(), None);
        window.tag = Some(TagId("Claim".into()));
        assert_eq!(window.request(), Some(SearchRequest::Tag(TagId("Claim".into()))));
    }
}
