//! The tag palette: the tags with a key (1–9) first, in key order, then the
//! rest grouped by category, all in one scrolling list so every tag stays
//! reachable in a small window; clicking a tag (or pressing its digit) tags
//! the selection.

use egui::{RichText, Ui, vec2};

use crate::model::annotation::Annotation;
use crate::model::tag_set::{Tag, TagSet};

use super::commands::Action;
use super::theme;

/// The heading of the group of tags that have a key.
pub const KEYED_HEADING: &str = "Keys 1–9";

/// Draws the palette. `selected` is the selected annotation (its tags show
/// as chosen); `can_tag` says whether anything is selected to tag.
pub fn tag_palette_ui(
    ui: &mut Ui,
    tag_set: &TagSet,
    selected: Option<&Annotation>,
    can_tag: bool,
    actions: &mut Vec<Action>,
) {
    ui.heading("Tags");
    // Always one line, whatever it says, so the list below never jumps.
    let hint = if can_tag {
        "Press a key or click a tag."
    } else {
        "Select text to tag it."
    };
    ui.add(egui::Label::new(RichText::new(hint).weak()).truncate());
    let mut keyed: Vec<&Tag> = tag_set.tags.iter().filter(|t| t.hotkey.is_some()).collect();
    keyed.sort_by_key(|t| t.hotkey);
    egui::ScrollArea::vertical()
        .id_salt("tag palette")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if !keyed.is_empty() {
                ui.add_space(4.0);
                ui.label(RichText::new(KEYED_HEADING).strong().small());
                for tag in &keyed {
                    tag_row_ui(ui, tag, selected, can_tag, actions);
                }
            }
            for category in tag_set.categories() {
                let mut rest = tag_set
                    .tags
                    .iter()
                    .filter(|t| t.category == category && t.hotkey.is_none())
                    .peekable();
                if rest.peek().is_none() {
                    continue;
                }
                ui.add_space(4.0);
                ui.label(RichText::new(category).strong().small());
                for tag in rest {
                    tag_row_ui(ui, tag, selected, can_tag, actions);
                }
            }
        });
}

fn tag_row_ui(ui: &mut Ui, tag: &Tag, selected: Option<&Annotation>, can_tag: bool, actions: &mut Vec<Action>) {
    let chosen = selected.is_some_and(|a| a.tags.contains(&tag.id));
    ui.horizontal(|ui| {
        let (swatch, _) = ui.allocate_exact_size(vec2(12.0, 12.0), egui::Sense::hover());
        ui.painter().rect_filled(swatch, 2.0, theme::tag_color(tag.color));
        let hotkey = tag.hotkey.map_or_else(|| " ".to_owned(), |digit| digit.to_string());
        ui.label(RichText::new(hotkey).monospace().strong());
        let response = ui
            .add_enabled(can_tag, egui::Button::selectable(chosen, &tag.name).truncate())
            .on_hover_text(format!("{}: {}", tag.name, tag.description));
        if response.clicked() {
            actions.push(Action::ToggleTag(tag.id.clone()));
        }
    });
}
