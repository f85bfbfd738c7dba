//! The tag-set editor: add, rename, recolour, describe, re-key and delete
//! tags, link types and attribute declarations (`argument.rs`). Every change is an edit of the document, so it undoes like any
//! other: Ctrl+Z, also inside the editor's fields, takes back the document's
//! steps one by one (a typing session in one field is one step), and the
//! fields always show the project as it is.

use egui::{RichText, Ui};

use crate::model::edit::Edit;
use crate::model::history::GroupKey;
use crate::model::project::Project;
use crate::model::tag_set::{Rgb, Tag, TagId};

use super::commands::Action;

mod argument;

/// The pages of the editor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Page {
    #[default]
    Tags,
    LinkTypes,
    Attributes,
}

const COLOUR_WIDTH: f32 = 44.0;
const NAME_WIDTH: f32 = 200.0;
const KEY_WIDTH: f32 = 48.0;
const DESCRIPTION_WIDTH: f32 = 320.0;

/// Title (and accessible label) of the editor window.
pub const WINDOW_TITLE: &str = "Tag set";

/// The editor window's state.
#[derive(Default)]
pub struct TagSetEditor {
    open: bool,
    /// A tag whose deletion waits for a second click because annotations use it.
    confirm_delete: Option<(TagId, usize)>,
    /// Whether one of the editor's fields had the keyboard in the last frame.
    editing: bool,
    page: Page,
    /// A link type whose deletion waits for a second click because links use it.
    confirm_delete_link: argument::PendingLinkDelete,
    /// Whose attributes the attribute page shows.
    declarer: argument::Declarer,
}

impl TagSetEditor {
    /// Shows the window.
    pub fn open(&mut self) {
        self.open = true;
    }

    /// Whether one of the editor's fields has the keyboard: its edits are the
    /// document's, so Ctrl+Z there undoes the document's steps one by one.
    #[must_use]
    pub fn is_editing(&self) -> bool {
        self.open && self.editing
    }

    /// Draws the window, if it is open, inside `area` (below the menu bar).
    pub fn ui(&mut self, ctx: &egui::Context, project: &Project, area: egui::Rect, actions: &mut Vec<Action>) {
        self.editing = false;
        let mut open = self.open;
        egui::Window::new(WINDOW_TITLE)
            .open(&mut open)
            .constrain_to(area)
            .default_pos(area.min + egui::vec2(24.0, 16.0))
            .default_width(960.0_f32.min(area.width() - 48.0))
            .default_height(480.0_f32.min(area.height() - 32.0))
            .show(ctx, |ui| self.contents_ui(ui, project, actions));
        self.open = open;
    }

    fn contents_ui(&mut self, ui: &mut Ui, project: &Project, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.page, Page::Tags, "Tags");
            ui.selectable_value(&mut self.page, Page::LinkTypes, "Link types");
            ui.selectable_value(&mut self.page, Page::Attributes, "Attributes");
        });
        ui.separator();
        match self.page {
            Page::Tags => self.tags_ui(ui, project, actions),
            Page::LinkTypes => {
                egui::ScrollArea::vertical()
                    .id_salt("link types")
                    .show(ui, |ui| self.relation_types_ui(ui, project, actions));
            }
            Page::Attributes => {
                egui::ScrollArea::vertical()
                    .id_salt("attributes")
                    .show(ui, |ui| self.attributes_ui(ui, project, actions));
            }
        }
    }

    fn tags_ui(&mut self, ui: &mut Ui, project: &Project, actions: &mut Vec<Action>) {
        if ui.button("Add tag").clicked() {
            let tag_set = project.tag_set();
            let tag = Tag {
                id: tag_set.fresh_id("New tag"),
                name: "New tag".into(),
                category: "Custom".into(),
                description: String::new(),
                color: Rgb([128, 128, 128]),
                hotkey: None,
                attributes: Vec::new(),
            };
            actions.push(Action::Edit {
                edit: Edit::InsertTagDefinition {
                    index: tag_set.tags.len(),
                    tag,
                },
                group: None,
                select: None,
            });
        }
        if let Some((tag, uses)) = &self.confirm_delete {
            ui.label(
                RichText::new(format!(
                    "{uses} annotation(s) use {tag}. Click Delete again to remove the tag from them too (undo brings it back)."
                ))
                .color(egui::Color32::from_rgb(180, 40, 40)),
            );
        }
        ui.horizontal(|ui| {
            for (heading, width) in [
                ("Colour", COLOUR_WIDTH),
                ("Name", NAME_WIDTH),
                ("Category", NAME_WIDTH),
                ("Key", KEY_WIDTH),
                ("Description", DESCRIPTION_WIDTH),
            ] {
                ui.add_sized([width, 18.0], egui::Label::new(RichText::new(heading).strong()));
            }
        });
        egui::ScrollArea::vertical().id_salt("tag set editor").show(ui, |ui| {
            for tag in &project.tag_set().tags {
                ui.push_id(tag.id.as_str(), |ui| {
                    ui.horizontal(|ui| self.row_ui(ui, project, tag, actions));
                });
            }
        });
    }

    fn row_ui(&mut self, ui: &mut Ui, project: &Project, tag: &Tag, actions: &mut Vec<Action>) {
        let mut edited = tag.clone();
        let group = Some(GroupKey(format!("tag definition {}", tag.id)));
        let colour = ui.add_sized([COLOUR_WIDTH, 18.0], |ui: &mut Ui| {
            ui.color_edit_button_srgb(&mut edited.color.0)
        });
        name_widget(&colour, egui::Role::Button, &format!("Colour of {}", tag.name));
        let mut changed = colour.changed();
        let mut fields = Vec::new();
        fields.push(named_text_field(
            ui,
            &mut edited.name,
            NAME_WIDTH,
            format!("Name of {}", tag.name),
        ));
        fields.push(named_text_field(
            ui,
            &mut edited.category,
            NAME_WIDTH,
            format!("Category of {}", tag.name),
        ));
        let key_text = edited.hotkey.map_or_else(|| "–".to_owned(), |d| d.to_string());
        let mut new_hotkey = edited.hotkey;
        let combo = egui::ComboBox::from_id_salt("hotkey")
            .width(KEY_WIDTH - 8.0)
            .selected_text(key_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut new_hotkey, None, "–");
                for digit in 1..=9 {
                    ui.selectable_value(&mut new_hotkey, Some(digit), digit.to_string());
                }
            });
        name_widget(
            &combo.response,
            egui::Role::ComboBox,
            &format!("Hotkey of {}", tag.name),
        );
        fields.push(named_text_field(
            ui,
            &mut edited.description,
            DESCRIPTION_WIDTH,
            format!("Description of {}", tag.name),
        ));
        for field in &fields {
            changed |= field.changed();
            self.editing |= field.has_focus();
            // A typing session in one field is one undo step; leaving the field ends it.
            if field.lost_focus() {
                actions.push(Action::CloseGroup);
            }
        }
        if changed && edited != *tag {
            actions.push(Action::Edit {
                edit: Edit::UpdateTagDefinition(edited.clone()),
                group: group.clone(),
                select: None,
            });
        }
        if new_hotkey != tag.hotkey {
            actions.push(Action::Edit {
                edit: hotkey_edit(project, tag, new_hotkey),
                group: None,
                select: None,
            });
        }
        if ui.button("Delete").clicked() {
            let uses = project.annotations().filter(|a| a.tags.contains(&tag.id)).count();
            let confirmed = self.confirm_delete.as_ref().is_some_and(|(id, _)| *id == tag.id);
            if uses == 0 || confirmed {
                self.confirm_delete = None;
                actions.push(Action::Edit {
                    edit: Edit::RemoveTagDefinition(tag.id.clone()),
                    group: None,
                    select: None,
                });
            } else {
                self.confirm_delete = Some((tag.id.clone(), uses));
            }
        }
    }
}

/// A one-line text field with an accessible name (the grid has no label beside each field).
fn named_text_field(ui: &mut Ui, text: &mut String, width: f32, name: String) -> egui::Response {
    let response = ui.add(egui::TextEdit::singleline(text).desired_width(width));
    let mut info = egui::WidgetInfo::labeled(egui::Role::TextInput, true, name);
    info.current_text_value = Some(text.clone());
    response.widget_info(|| info.clone());
    response
}

fn name_widget(response: &egui::Response, role: egui::Role, name: &str) {
    response.widget_info(|| egui::WidgetInfo::labeled(role, true, name));
}

/// Gives `tag` the digit `hotkey`, taking it from any other tag that had it.
fn hotkey_edit(project: &Project, tag: &Tag, hotkey: Option<u8>) -> Edit {
    let mut edits = Vec::new();
    if let Some(digit) = hotkey
        && let Some(holder) = project.tag_set().by_hotkey(digit)
        && holder.id != tag.id
    {
        edits.push(Edit::UpdateTagDefinition(Tag {
            hotkey: None,
            ..holder.clone()
        }));
    }
    edits.push(Edit::UpdateTagDefinition(Tag { hotkey, ..tag.clone() }));
    Edit::Batch(edits)
}
