//! Help ▸ Keyboard Shortcuts (F1): every shortcut, made from the same list
//! of commands that the keyboard handling reads, so it cannot drift.

use egui::{Rect, RichText, Ui};

use super::commands::{Section, UiCommand};

/// Title (and accessible label) of the window.
pub const WINDOW_TITLE: &str = "Keyboard Shortcuts";

/// One line of the sheet: the keys, and what they do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    pub keys: String,
    pub does: String,
}

/// The rows of each section, in order. Digits 1–9 share one row, and each
/// caret motion shows its Shift variant beside it.
#[must_use]
pub fn sheet(format: impl Fn(&egui::KeyboardShortcut) -> String) -> Vec<(Section, Vec<SheetRow>)> {
    let all = UiCommand::all();
    Section::ALL
        .iter()
        .map(|section| {
            let mut rows = Vec::new();
            for command in all.iter().filter(|c| c.section() == *section) {
                let Some(shortcut) = command.shortcut() else {
                    continue;
                };
                let keys = match command {
                    UiCommand::TagWithHotkey(1) => "1 … 9".to_owned(),
                    UiCommand::TagWithHotkey(_) | UiCommand::Caret { extend: true, .. } => continue,
                    UiCommand::Caret { motion, extend: false } => {
                        let extended = UiCommand::Caret {
                            motion: *motion,
                            extend: true,
                        };
                        let shift = extended.shortcut().map(|s| format(&s)).unwrap_or_default();
                        format!("{}  ·  {shift}", format(&shortcut))
                    }
                    _ => {
                        let alternative = command.alternative_shortcut().map(|s| format!(" or {}", format(&s)));
                        format!("{}{}", format(&shortcut), alternative.unwrap_or_default())
                    }
                };
                let does = match command {
                    UiCommand::Caret { .. } => format!("Move {}", command.tooltip()),
                    _ => command.tooltip().to_owned(),
                };
                rows.push(SheetRow { keys, does });
            }
            (*section, rows)
        })
        .filter(|(_, rows)| !rows.is_empty())
        .collect()
}

/// The sheet's window state.
#[derive(Default)]
pub struct ShortcutSheet {
    open: bool,
}

impl ShortcutSheet {
    /// Shows the window (again F1 or the close button hides it).
    pub fn toggle(&mut self) {
        self.open = !self.open;
    }

    /// Whether the window is shown.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Draws the window inside `area` (below the menu bar) if it is open.
    pub fn ui(&mut self, ctx: &egui::Context, area: Rect) {
        let mut open = self.open;
        egui::Window::new(WINDOW_TITLE)
            .open(&mut open)
            .constrain_to(area)
            .default_pos(area.min + egui::vec2(40.0, 20.0))
            .default_size([640.0, area.height().min(620.0) - 40.0])
            .vscroll(true)
            .show(ctx, contents_ui);
        self.open = open;
    }
}

fn contents_ui(ui: &mut Ui) {
    let rows = sheet(|shortcut| ui.ctx().format_shortcut(shortcut));
    for (section, rows) in rows {
        ui.add_space(6.0);
        ui.label(RichText::new(section.title()).strong());
        egui::Grid::new(section.title())
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for row in rows {
                    ui.label(RichText::new(row.keys).monospace());
                    ui.label(row.does);
                    ui.end_row();
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command with a shortcut is on the sheet (digits and Shift variants folded in).
    #[test]
    fn the_sheet_lists_every_shortcut() {
        let format = |shortcut: &egui::KeyboardShortcut| shortcut.format(&egui::ModifierNames::NAMES, false);
        let sheet = sheet(format);
        let text: String = sheet
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|row| format!("{} = {}\n", row.keys, row.does)))
            .collect();
        for command in UiCommand::all() {
            let Some(shortcut) = command.shortcut() else { continue };
            if matches!(command, UiCommand::TagWithHotkey(2..)) {
                continue;
            }
            assert!(
                text.contains(&format(&shortcut)),
                "{command:?} ({}) is missing:\n{text}",
                format(&shortcut)
            );
        }
        assert!(text.contains("1 … 9"));
        assert!(text.contains("Ctrl+Shift+Z"), "the alternative for Redo");
    }
}
