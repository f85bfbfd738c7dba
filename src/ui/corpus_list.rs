//! The document list of an open corpus (left of the tag palette): every
//! document with its size and annotation count, marked when it has unsaved
//! changes (●), is not started yet (new: a text without a project) or has a
//! tag set other than the corpus's (≠); sorted by name, size or count,
//! filtered by name. Clicking a row opens the document; Ctrl+PageDown and
//! Ctrl+PageUp go down and up the list as it is shown.
//!
//! Only the rows on screen are drawn; the order is worked out again only
//! when the sort, the filter or the documents change.

use egui::{RichText, Ui, vec2};

use super::commands::{Action, UiCommand};
use super::corpus::{CorpusSession, DocumentRow};
use super::workspace::Workspace;

/// Accessible label of the filter field.
pub const FILTER_LABEL: &str = "Filter documents";
/// The heading above the list.
pub const HEADING: &str = "Documents";
/// The mark of a document with unsaved changes.
pub const UNSAVED_MARK: &str = "●";
/// The mark of a text without a project yet.
pub const NOT_STARTED_MARK: &str = "new";
/// The mark of a document whose tag set is not the corpus's.
pub const DIFFERS_MARK: &str = "≠";

/// What the list is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Name,
    Size,
    Annotations,
}

impl SortBy {
    const ALL: [SortBy; 3] = [SortBy::Name, SortBy::Size, SortBy::Annotations];

    fn label(self) -> &'static str {
        match self {
            SortBy::Name => "Name",
            SortBy::Size => "Size",
            SortBy::Annotations => "Annotations",
        }
    }
}

/// The list's state: sort, filter, and the order they give.
#[derive(Default)]
pub struct CorpusList {
    filter: String,
    sort: SortBy,
    descending: bool,
    /// Document indexes in the order shown, and what it was made from.
    order: Vec<usize>,
    made_from: Option<(u64, String, SortBy, bool)>,
    /// Scroll the current document's row into view on the next frame.
    reveal_current: bool,
}

impl CorpusList {
    /// Sorts by `sort` (a second choice of the same turns the order round).
    pub fn sort_by(&mut self, sort: SortBy) {
        if self.sort == sort {
            self.descending = !self.descending;
        } else {
            self.sort = sort;
            self.descending = false;
        }
    }

    /// Shows only documents whose name contains `filter` (any case).
    pub fn set_filter(&mut self, filter: &str) {
        filter.clone_into(&mut self.filter);
    }

    /// Forgets the order (another corpus opened).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Scrolls the list to the document shown on the next frame.
    pub fn reveal_current(&mut self) {
        self.reveal_current = true;
    }

    /// The document indexes in the order shown.
    pub fn order(&mut self, session: &CorpusSession, shown: Option<&Workspace>) -> &[usize] {
        let key = (session.revision(), self.filter.clone(), self.sort, self.descending);
        if self.made_from.as_ref() != Some(&key) {
            self.order = sorted(session, shown, &self.filter, self.sort, self.descending);
            self.made_from = Some(key);
        }
        &self.order
    }

    /// The document after (or before) the one shown, in the order shown;
    /// the first (last) when the one shown is not in the list.
    pub fn neighbour(&mut self, session: &CorpusSession, shown: Option<&Workspace>, forward: bool) -> Option<usize> {
        let current = session.current();
        let order = self.order(session, shown);
        let position = current.and_then(|index| order.iter().position(|i| *i == index));
        let next = match (position, forward) {
            (Some(at), true) => order.get(at + 1),
            (Some(at), false) => at.checked_sub(1).and_then(|before| order.get(before)),
            (None, true) => order.first(),
            (None, false) => order.last(),
        };
        next.copied()
    }

    /// Draws the list; a click on a row pushes the opening of its document.
    pub fn ui(&mut self, ui: &mut Ui, session: &CorpusSession, shown: Option<&Workspace>, actions: &mut Vec<Action>) {
        ui.heading(HEADING);
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "{} · {} document(s)",
                    session.corpus().manifest.name,
                    session.len()
                ))
                .weak(),
            )
            .truncate(),
        );
        let label = ui.label(FILTER_LABEL);
        ui.add(
            egui::TextEdit::singleline(&mut self.filter)
                .hint_text("part of a name")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        ui.horizontal(|ui| {
            ui.label("Sort:");
            for sort in SortBy::ALL {
                let arrow = match (self.sort == sort, self.descending) {
                    (false, _) => "",
                    (true, false) => " ▲",
                    (true, true) => " ▼",
                };
                if ui
                    .selectable_label(self.sort == sort, format!("{}{arrow}", sort.label()))
                    .clicked()
                {
                    self.sort_by(sort);
                }
            }
        });
        ui.separator();
        // At the bottom, so the rows do not move when it comes and goes.
        if let Some(row) = session.current().and_then(|index| session.row(index, shown))
            && row.tag_set_differs
        {
            egui::Panel::bottom("document list footer").show(ui, |ui| {
                ui.label(RichText::new("This document's tag set differs from the corpus's.").weak());
                if ui
                    .button(UiCommand::BringTagSetInLine.menu_text())
                    .on_hover_text(UiCommand::BringTagSetInLine.tooltip())
                    .clicked()
                {
                    actions.push(Action::Command(UiCommand::BringTagSetInLine));
                }
            });
        }
        let current = session.current();
        let order = self.order(session, shown).to_vec();
        if order.is_empty() {
            ui.label(if session.is_empty() {
                "This folder has no documents (.txt, .md or .ron)."
            } else {
                "No document's name contains that."
            });
            return;
        }
        let row_height = ui.spacing().interact_size.y;
        let reveal = std::mem::take(&mut self.reveal_current)
            .then(|| current.and_then(|index| order.iter().position(|i| *i == index)))
            .flatten();
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("document list")
            .auto_shrink([false, false]);
        if let Some(position) = reveal {
            let spacing = ui.spacing().item_spacing.y;
            #[allow(clippy::cast_precision_loss)] // a row's place on screen
            let top = position as f32 * (row_height + spacing);
            scroll = scroll.vertical_scroll_offset((top - ui.available_height() * 0.4).max(0.0));
        }
        scroll.show_rows(ui, row_height, order.len(), |ui, rows| {
            for &index in &order[rows] {
                if let Some(row) = session.row(index, shown) {
                    row_ui(ui, &row, current == Some(index), row_height, actions);
                }
            }
        });
    }
}

/// One row: marks, name, and on the right size and annotation count.
fn row_ui(ui: &mut Ui, row: &DocumentRow, selected: bool, height: f32, actions: &mut Vec<Action>) {
    let mut marks = Vec::new();
    let mut why = Vec::new();
    if row.unsaved {
        marks.push(UNSAVED_MARK);
        why.push("unsaved changes (kept while you work on other documents)");
    }
    if row.not_started {
        marks.push(NOT_STARTED_MARK);
        why.push("not started: a text without a project yet (saving writes its .ron beside it)");
    }
    if row.tag_set_differs {
        marks.push(DIFFERS_MARK);
        why.push("its tag set differs from the corpus's");
    }
    let name = if marks.is_empty() {
        RichText::new(&row.name)
    } else {
        RichText::new(format!("{} {}", marks.join(" "), row.name))
    };
    let details = RichText::new(format!("{} · {}", size_text(row.size_bytes), row.annotations)).weak();
    let button = egui::Button::selectable(selected, name)
        .right_text(details)
        .truncate()
        .min_size(vec2(ui.available_width(), height));
    let mut hover = format!(
        "{}: {}, {} annotation(s)",
        row.name,
        size_text(row.size_bytes),
        row.annotations
    );
    if !why.is_empty() {
        hover.push_str("; ");
        hover.push_str(&why.join("; "));
    }
    if ui.add(button).on_hover_text(hover).clicked() && !selected {
        actions.push(Action::OpenCorpusDocument {
            index: row.index,
            select: None,
        });
    }
}

/// A size in bytes, in words a person reads at a glance.
#[must_use]
pub fn size_text(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // shown with one decimal
    let (kb, mb) = (bytes as f64 / 1000.0, bytes as f64 / 1_000_000.0);
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{kb:.0} KB"),
        _ => format!("{mb:.1} MB"),
    }
}

/// The documents whose name contains `filter`, in the order asked for (ties by name).
fn sorted(
    session: &CorpusSession,
    shown: Option<&Workspace>,
    filter: &str,
    sort: SortBy,
    descending: bool,
) -> Vec<usize> {
    let filter = filter.trim().to_lowercase();
    let mut rows: Vec<DocumentRow> = (0..session.len())
        .filter(|&index| {
            filter.is_empty()
                || session
                    .entry(index)
                    .is_some_and(|entry| entry.name.to_lowercase().contains(&filter))
        })
        .filter_map(|index| session.row(index, shown))
        .collect();
    rows.sort_by(|a, b| {
        let by = match sort {
            SortBy::Name => std::cmp::Ordering::Equal,
            SortBy::Size => a.size_bytes.cmp(&b.size_bytes),
            SortBy::Annotations => a.annotations.cmp(&b.annotations),
        };
        let by = by.then_with(|| a.name.cmp(&b.name));
        if descending { by.reverse() } else { by }
    });
    rows.into_iter().map(|row| row.index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_said_in_bytes_kilobytes_and_megabytes() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(12_400), "12 KB");
        assert_eq!(size_text(1_260_000), "1.3 MB");
    }
}
