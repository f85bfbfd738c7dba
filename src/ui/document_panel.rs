//! View ▸ Document Labels: the labels of the document as a whole (an
//! article's verdict, its outlet, its date, its URL), as the tag set
//! declares them, edited with the same widgets as an annotation's attributes.

use egui::{RichText, vec2};

use crate::model::attributes::AttributeDecl;
use crate::model::edit::Edit;
use crate::model::history::GroupKey;
use crate::model::project::Project;

use super::argument_panel::values_ui;
use super::commands::Action;

/// The window's title (tests find it by this).
pub const DOCUMENT_LABELS_TITLE: &str = "Document labels";

/// Whether the window is open, and whether one of its fields has the keyboard.
#[derive(Default)]
pub struct DocumentPanel {
    open: bool,
    editing: bool,
}

impl DocumentPanel {
    /// Opens the window, or closes it when open.
    pub fn toggle(&mut self) {
        self.open = !self.open;
    }

    /// Whether a label's text field has the keyboard (Ctrl+Z then undoes the document's steps).
    #[must_use]
    pub fn is_editing(&self) -> bool {
        self.open && self.editing
    }

    pub fn ui(&mut self, ctx: &egui::Context, project: &Project, area: egui::Rect, actions: &mut Vec<Action>) {
        self.editing = false;
        if !self.open {
            return;
        }
        let mut open = true;
        egui::Window::new(DOCUMENT_LABELS_TITLE)
            .open(&mut open)
            .default_width(360.0)
            .default_pos(area.left_top() + vec2(40.0, 40.0))
            .constrain_to(area)
            .show(ctx, |ui| {
                let declared: Vec<&AttributeDecl> = project.tag_set().document_labels.iter().collect();
                if declared.is_empty() {
                    ui.label(RichText::new("The tag set declares no document labels.").weak());
                }
                self.editing = values_ui(
                    ui,
                    "document labels",
                    &declared,
                    project.document_labels(),
                    |name, value| Edit::set_document_label(project, name, value).ok(),
                    |name| GroupKey(format!("document label {name}")),
                    None,
                    actions,
                );
                for (name, value) in project.document_labels() {
                    if !declared.iter().any(|decl| &decl.name == name) {
                        ui.label(RichText::new(format!("{name}: {value} (not declared by the tag set)")).weak());
                    }
                }
            });
        self.open = open;
    }
}
