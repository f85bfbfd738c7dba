//! The status bar: whether the work is saved (and when), the document's
//! size, and the selection in code points, as the project file counts them.

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use super::text_view::ViewSelection;
use super::theme::Palette;
use super::workspace::Workspace;

/// When the open work was last saved in this window.
#[derive(Clone, Copy, Debug, Default)]
pub struct LastSave {
    pub at: Option<Instant>,
}

/// "just now", "3 minutes ago", "2 hours ago".
#[must_use]
pub fn ago(elapsed: Duration) -> String {
    let minutes = elapsed.as_secs() / 60;
    match minutes {
        0 => "just now".to_owned(),
        1 => "a minute ago".to_owned(),
        2..=59 => format!("{minutes} minutes ago"),
        60..=119 => "an hour ago".to_owned(),
        _ => format!("{} hours ago", minutes / 60),
    }
}

/// The save state in words.
#[must_use]
pub fn save_state(workspace: &Workspace, last_save: LastSave, now: Instant) -> String {
    if workspace.has_unsaved_changes() {
        return "Changes not saved".to_owned();
    }
    match (last_save.at, workspace.project_path()) {
        (Some(at), _) => format!("Saved {}", ago(now.saturating_duration_since(at))),
        (None, Some(_)) => "No unsaved changes".to_owned(),
        (None, None) => "No changes yet".to_owned(),
    }
}

/// Draws the status bar.
pub fn status_bar_ui(ui: &mut Ui, workspace: Option<&Workspace>, selection: &ViewSelection, last_save: LastSave) {
    ui.horizontal(|ui| {
        let Some(workspace) = workspace else {
            ui.label("No document open");
            return;
        };
        let state = save_state(workspace, last_save, Instant::now());
        let mut text = RichText::new(&state).strong();
        if workspace.has_unsaved_changes() {
            text = text.color(Palette::of(ui).unsaved);
        } else if last_save.at.is_some() {
            // "Saved 3 minutes ago" stays true: look again in a minute.
            ui.ctx().request_repaint_after(Duration::from_mins(1));
        }
        ui.label(text);
        ui.separator();
        ui.label(format!(
            "{} annotations · {} lines · {} characters",
            workspace.project().annotation_count(),
            workspace.line_count(),
            workspace.char_count()
        ));
        if let Some(current) = selection.text {
            ui.separator();
            let span = current.span();
            let (start, end) = (workspace.char_offset(span.start).0, workspace.char_offset(span.end).0);
            if span.is_empty() {
                ui.label(format!("caret at character {start}"));
            } else {
                ui.label(format!(
                    "selected characters {start}–{end} ({} characters)",
                    end - start
                ));
            }
        }
        if let Some(path) = workspace.project_path().map(Path::display) {
            ui.separator();
            ui.add(egui::Label::new(path.to_string()).truncate());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_words() {
        assert_eq!(ago(Duration::from_secs(5)), "just now");
        assert_eq!(ago(Duration::from_secs(61)), "a minute ago");
        assert_eq!(ago(Duration::from_mins(10)), "10 minutes ago");
        assert_eq!(ago(Duration::from_hours(3)), "3 hours ago");
    }
}
