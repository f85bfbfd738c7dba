//! The side panels (collapsible, resizable, never squeezing the text below a
//! readable width), the View and Help menus, and the theme in force.

use egui::Ui;

use super::CounterpointApp;
use crate::ui::commands::{Action, UiCommand};
use crate::ui::preferences::ThemeChoice;
use crate::ui::tag_palette::tag_palette_ui;
use crate::ui::theme;

/// Widths of the panels, in points.
const PALETTE_WIDTH: f32 = 220.0;
const PALETTE_MIN: f32 = 150.0;
const SIDE_WIDTH: f32 = 320.0;
const SIDE_MIN: f32 = 220.0;
const LIST_WIDTH: f32 = 260.0;
const LIST_MIN: f32 = 170.0;
const LIST_MAX: f32 = 520.0;
/// Width of a collapsed panel: a strip with a button that opens it again.
const COLLAPSED_WIDTH: f32 = 28.0;

/// The widest each side panel may be so that the text keeps `MIN_TEXT_WIDTH`:
/// each gets at most its share of what is left beyond the text.
fn panel_limits(window_width: f32, palette_open: bool, side_open: bool) -> (f32, f32) {
    let spare = (window_width - theme::MIN_TEXT_WIDTH).max(0.0);
    match (palette_open, side_open) {
        (true, true) => {
            let palette = (spare * 0.4).max(PALETTE_MIN);
            (palette, (spare - palette).max(SIDE_MIN))
        }
        (true, false) => ((spare - COLLAPSED_WIDTH).max(PALETTE_MIN), SIDE_MIN),
        (false, _) => (PALETTE_MIN, (spare - COLLAPSED_WIDTH).max(SIDE_MIN)),
    }
}

impl CounterpointApp {
    /// Follows the theme chosen in View ▸ Theme.
    pub(super) fn apply_theme(&self, ctx: &egui::Context) {
        let preference = self.preferences.get().theme.preference();
        if ctx.options(|o| o.theme_preference) != preference {
            ctx.set_theme(preference);
        }
    }

    /// The document list of the open corpus, at the far left (before any
    /// document shows, too); the width it leaves is what the other panels share.
    pub(super) fn corpus_list_ui(&mut self, ui: &mut Ui) {
        let Some(session) = &self.corpus else { return };
        let mut show = self.preferences.get().show_document_list;
        let shown = self.workspace.as_ref();
        let list = &mut self.corpus_list;
        let actions = &mut self.actions;
        let max = LIST_MAX.min((ui.ctx().content_rect().width() - theme::MIN_TEXT_WIDTH - PALETTE_MIN).max(LIST_MIN));
        let response = egui::Panel::show_switched(
            ui,
            &mut show,
            egui::Panel::left("document list collapsed").exact_size(COLLAPSED_WIDTH),
            egui::Panel::left("document list")
                .resizable(true)
                .default_size(LIST_WIDTH)
                .size_range(LIST_MIN..=max),
            |ui, expanded| {
                if expanded {
                    list.ui(ui, session, shown, actions);
                } else {
                    reopen_button_ui(ui, "»", UiCommand::ToggleDocumentList, actions);
                }
            },
        );
        self.list_width = response.response.rect.width();
        if self.preferences.get().show_document_list != show {
            self.preferences.update(|p| p.show_document_list = show);
        }
    }

    /// The tag palette on the left and the selection and annotation list on the right.
    pub(super) fn side_panels_ui(&mut self, ui: &mut Ui) {
        let Some(workspace) = &self.workspace else { return };
        // The document list's width is not the other panels' to share.
        let window_width = ui.ctx().content_rect().width() - if self.corpus.is_some() { self.list_width } else { 0.0 };
        let mut show_palette = self.preferences.get().show_tag_palette;
        let mut show_side = self.preferences.get().show_side_panel;
        let (palette_max, side_max) = panel_limits(window_width, show_palette, show_side);
        let selected = self
            .selection
            .annotation
            .and_then(|id| workspace.project().annotation(id));
        let can_tag = self.selection.span().is_some();
        // In a corpus, the palette is the corpus tag set.
        let tag_set = self
            .corpus
            .as_ref()
            .map_or_else(|| workspace.project().tag_set(), |session| session.tag_set());
        let actions = &mut self.actions;
        egui::Panel::show_switched(
            ui,
            &mut show_palette,
            egui::Panel::left("tag palette collapsed").exact_size(COLLAPSED_WIDTH),
            egui::Panel::left("tag palette")
                .resizable(true)
                .default_size(PALETTE_WIDTH)
                .size_range(PALETTE_MIN..=palette_max),
            |ui, expanded| {
                if expanded {
                    tag_palette_ui(ui, tag_set, selected, can_tag, actions);
                } else {
                    reopen_button_ui(ui, "»", UiCommand::ToggleTagPalette, actions);
                }
            },
        );
        let claim_panel = &mut self.claim_panel;
        let annotation_list = &mut self.annotation_list;
        let selection = &self.selection;
        egui::Panel::show_switched(
            ui,
            &mut show_side,
            egui::Panel::right("side panel collapsed").exact_size(COLLAPSED_WIDTH),
            egui::Panel::right("side panel")
                .resizable(true)
                .default_size(SIDE_WIDTH)
                .size_range(SIDE_MIN..=side_max),
            |ui, expanded| {
                if !expanded {
                    reopen_button_ui(ui, "«", UiCommand::ToggleSidePanel, actions);
                    return;
                }
                egui::Panel::bottom("annotation list")
                    .resizable(true)
                    .default_size(ui.available_height() * 0.5)
                    .size_range(120.0..=ui.available_height() * 0.8)
                    .show(ui, |ui| {
                        annotation_list.ui(ui, workspace, selection.annotation, actions);
                    });
                egui::CentralPanel::default_margins().show(ui, |ui| {
                    egui::ScrollArea::vertical().id_salt("claim panel").show(ui, |ui| {
                        claim_panel.ui(ui, workspace, selection, actions);
                    });
                });
            },
        );
        // Dragging a panel's edge past its minimum closes it: keep that choice.
        let before = self.preferences.get();
        if before.show_tag_palette != show_palette || before.show_side_panel != show_side {
            self.preferences.update(|p| {
                p.show_tag_palette = show_palette;
                p.show_side_panel = show_side;
            });
        }
    }

    pub(super) fn view_and_help_menus_ui(&mut self, ui: &mut Ui) {
        let preferences = self.preferences.get().clone();
        let has_work = self.workspace.is_some();
        let actions = &mut self.actions;
        let mut theme = preferences.theme;
        let in_corpus = self.corpus.is_some();
        ui.menu_button("View", |ui| {
            if in_corpus {
                toggle_item_ui(
                    ui,
                    UiCommand::ToggleDocumentList,
                    preferences.show_document_list,
                    actions,
                );
            }
            toggle_item_ui(ui, UiCommand::ToggleTagPalette, preferences.show_tag_palette, actions);
            toggle_item_ui(ui, UiCommand::ToggleSidePanel, preferences.show_side_panel, actions);
            UiCommand::DocumentLabels.menu_item_ui(ui, has_work, actions);
            UiCommand::CorpusStatistics.menu_item_ui(ui, in_corpus, actions);
            ui.separator();
            ui.label("Theme");
            for choice in ThemeChoice::ALL {
                ui.radio_value(&mut theme, choice, choice.label());
            }
        });
        if theme != preferences.theme {
            self.preferences.update(|p| p.theme = theme);
        }
        ui.menu_button("Help", |ui| {
            UiCommand::ShowShortcuts.menu_item_ui(ui, true, &mut self.actions);
        });
    }

    /// Opens or closes a side panel.
    pub(super) fn toggle_panel(&mut self, command: UiCommand) {
        self.preferences.update(|p| match command {
            UiCommand::ToggleTagPalette => p.show_tag_palette = !p.show_tag_palette,
            UiCommand::ToggleDocumentList => p.show_document_list = !p.show_document_list,
            _ => p.show_side_panel = !p.show_side_panel,
        });
    }
}

/// A menu entry with a tick for a panel that can be shown or hidden.
fn toggle_item_ui(ui: &mut Ui, command: UiCommand, shown: bool, actions: &mut Vec<Action>) {
    let mut button = egui::Button::selectable(shown, command.menu_text());
    if let Some(shortcut) = command.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    if ui.add(button).on_hover_text(command.tooltip()).clicked() {
        actions.push(Action::Command(command));
    }
}

/// The strip of a collapsed panel: one button that opens it again.
fn reopen_button_ui(ui: &mut Ui, arrow: &str, command: UiCommand, actions: &mut Vec<Action>) {
    let tooltip = format!(
        "Show the {} ({})",
        command.menu_text().to_lowercase(),
        shortcut_text(ui, command)
    );
    if ui.button(arrow).on_hover_text(tooltip).clicked() {
        actions.push(Action::Command(command));
    }
}

fn shortcut_text(ui: &Ui, command: UiCommand) -> String {
    command
        .shortcut()
        .map(|s| ui.ctx().format_shortcut(&s))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_leave_the_text_its_minimum_width() {
        for width in [800.0, 1024.0, 1280.0, 1920.0, 3840.0] {
            let (palette, side) = panel_limits(width, true, true);
            assert!(palette >= PALETTE_MIN && side >= SIDE_MIN);
            if width >= theme::MIN_TEXT_WIDTH + PALETTE_MIN + SIDE_MIN {
                assert!(width - palette - side >= theme::MIN_TEXT_WIDTH - 0.5, "{width}");
            }
        }
        let (_, side) = panel_limits(800.0, false, true);
        assert!(800.0 - COLLAPSED_WIDTH - side >= theme::MIN_TEXT_WIDTH - 0.5);
    }
}
