//! Find in the document (Ctrl+F): every hit highlighted, Enter steps through them.

use egui::{Key, Ui};

use crate::model::span::Span;

/// Accessible label of the search field.
pub const FIND_FIELD_LABEL: &str = "Find in document";

/// At most this many hits are kept (a one-letter search in a long text finds plenty).
const MAX_HITS: usize = 100_000;

/// The find bar's state.
#[derive(Default)]
pub struct FindBar {
    open: bool,
    focus_requested: bool,
    query: String,
    searched: String,
    hits: Vec<Span>,
    current: Option<usize>,
}

impl FindBar {
    /// Shows the bar and puts the keyboard in its field.
    pub fn open(&mut self) {
        self.open = true;
        self.focus_requested = true;
    }

    /// Hides the bar.
    pub fn close(&mut self) {
        self.open = false;
    }

    /// Whether the bar is shown.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The hits, sorted by position (empty while the bar is closed).
    #[must_use]
    pub fn hits(&self) -> &[Span] {
        if self.open { &self.hits } else { &[] }
    }

    /// Forgets the hits (another document was opened).
    pub fn clear_hits(&mut self) {
        self.hits.clear();
        self.searched.clear();
        self.current = None;
    }

    /// Draws the bar; returns a hit to select and scroll to when the user steps to one.
    pub fn ui(&mut self, ui: &mut Ui, text: &str) -> Option<Span> {
        let mut reveal = None;
        // Read before the field draws: a focused field takes the Escape key for itself.
        let escape = ui.input(|i| i.key_pressed(Key::Escape));
        ui.horizontal(|ui| {
            let label = ui.label(FIND_FIELD_LABEL);
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.query).desired_width(240.0))
                .labelled_by(label.id);
            if self.focus_requested {
                field.request_focus();
                self.focus_requested = false;
            }
            if self.query != self.searched {
                self.search(text);
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let backwards = ui.input(|i| i.modifiers.shift);
            if ui.button("Previous").clicked() || (entered && backwards) {
                reveal = self.step(false);
            }
            if ui.button("Next").clicked() || (entered && !backwards) {
                reveal = self.step(true);
            }
            if entered {
                field.request_focus();
            }
            let count = match (self.hits.len(), self.current) {
                (0, _) if self.query.is_empty() => String::new(),
                (0, _) => "no hits".to_owned(),
                (n, Some(at)) => format!("{} of {n}", at + 1),
                (n, None) => format!("{n} hits"),
            };
            ui.label(count);
            if ui.button("Close").clicked() || escape && field.has_focus() || escape && field.lost_focus() {
                self.open = false;
            }
        });
        reveal
    }

    fn search(&mut self, text: &str) {
        self.searched.clone_from(&self.query);
        self.current = None;
        self.hits = if self.query.is_empty() {
            Vec::new()
        } else {
            text.match_indices(self.query.as_str())
                .take(MAX_HITS)
                .map(|(at, found)| Span::new(at, at + found.len()))
                .collect()
        };
    }

    fn step(&mut self, forward: bool) -> Option<Span> {
        let count = self.hits.len();
        if count == 0 {
            return None;
        }
        let next = match (self.current, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(at), true) => (at + 1) % count,
            (Some(at), false) => (at + count - 1) % count,
        };
        self.current = Some(next);
        self.hits.get(next).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_wrap_around_the_hits() {
        let mut bar = FindBar {
            query: "ab".into(),
            ..FindBar::default()
        };
        bar.search("ab ab xab");
        assert_eq!(bar.hits, [Span::new(0, 2), Span::new(3, 5), Span::new(7, 9)]);
        assert_eq!(bar.step(false), Some(Span::new(7, 9)));
        assert_eq!(bar.step(true), Some(Span::new(0, 2)));
        assert_eq!(bar.step(true), Some(Span::new(3, 5)));
    }
}
