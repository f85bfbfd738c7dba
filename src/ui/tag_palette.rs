//! The tag palette: the tag set grouped by category, with colours and
//! hotkeys; clicking a tag (or pressing its digit) tags the selection.

use egui::{RichText, Ui, vec2};

use crate::model::annotation::Annotation;
use crate::model::tag_set::TagSet;

use super::commands::Action;
use super::theme;

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
    if !can_tag {
        ui.label(RichText::new("Select text to tag it.").weak());
    }
    egui::ScrollArea::vertical().id_salt("tag palette").show(ui, |ui| {
        for category in tag_set.categories() {
            ui.add_space(4.0);
            ui.label(RichText::new(category).strong().small());
            for tag in tag_set.tags.iter().filter(|t| t.category == category) {
                let chosen = selected.is_some_and(|a| a.tags.contains(&tag.id));
                ui.horizontal(|ui| {
                    let (swatch, _) = ui.allocate_exact_size(vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().rect_filled(swatch, 2.0, theme::tag_color(tag.color));
                    let hotkey = tag.hotkey.map_or_else(|| " ".to_owned(), |digit| digit.to_string());
                    ui.label(RichText::new(hotkey).monospace().weak());
                    let response = ui
                        .add_enabled(can_tag, egui::Button::selectable(chosen, &tag.name))
                        .on_hover_text(&tag.description);
                    if response.clicked() {
                        actions.push(Action::ToggleTag(tag.id.clone()));
                    }
                });
            }
        }
    });
}
