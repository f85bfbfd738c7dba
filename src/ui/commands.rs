//! Every command the user can give, with its menu text, shortcut and
//! tooltip in one place, and the requests UI code sends to the app.
//!
//! UI code never changes the project: it pushes an [`Action`], and
//! `CounterpointApp::execute` carries out each one.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::annotation::AnnotationId;
use crate::model::edit::Edit;
use crate::model::history::GroupKey;
use crate::model::tag_set::TagId;

use super::interchange::ExportFormat;
use super::workspace::OpenAs;

/// A command with a place in the menus and, perhaps, a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiCommand {
    Open,
    OpenCommented,
    Save,
    SaveAs,
    Reload,
    /// File ▸ Recover Unsaved Work…: the work windows left when they closed without saving.
    RecoverUnsavedWork,
    Quit,
    Undo,
    Redo,
    Find,
    DeleteAnnotation,
    EditTagSet,
    /// File ▸ Import with the interchange format of this command-line name.
    Import(&'static str),
    /// File ▸ Export in this format.
    Export(ExportFormat),
}

impl UiCommand {
    /// Commands with shortcuts, most specific first (Ctrl+Shift+S before Ctrl+S),
    /// since egui matches Shift loosely.
    pub const WITH_SHORTCUTS: [UiCommand; 8] = [
        UiCommand::SaveAs,
        UiCommand::Save,
        UiCommand::Open,
        UiCommand::Quit,
        UiCommand::Redo,
        UiCommand::Undo,
        UiCommand::Find,
        UiCommand::DeleteAnnotation,
    ];

    /// The text in the menu (also the accessible label of the menu entry).
    #[must_use]
    pub fn menu_text(self) -> &'static str {
        match self {
            UiCommand::Open => "Open…",
            UiCommand::OpenCommented => "Open as commented article…",
            UiCommand::Save => "Save",
            UiCommand::SaveAs => "Save As…",
            UiCommand::Reload => "Reload from disk",
            UiCommand::RecoverUnsavedWork => "Recover Unsaved Work…",
            UiCommand::Quit => "Quit",
            UiCommand::Undo => "Undo",
            UiCommand::Redo => "Redo",
            UiCommand::Find => "Find…",
            UiCommand::DeleteAnnotation => "Delete annotation",
            UiCommand::EditTagSet => "Edit tag set…",
            UiCommand::Import(name) => crate::formats::format_named(name).map_or(name, crate::formats::Format::title),
            UiCommand::Export(format) => format.title(),
        }
    }

    /// What the command does, in a sentence.
    #[must_use]
    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::Open => "Open a project (.ron) or a text document; any file but .ron opens as plain text",
            UiCommand::OpenCommented => {
                "Open a commented article: its “Comment:” lines become counter-claims on the text before them"
            }
            UiCommand::Save => "Save the project (.ron)",
            UiCommand::SaveAs => "Save the project under a new name",
            UiCommand::Reload => "Read the file again, dropping unsaved changes",
            UiCommand::RecoverUnsavedWork => {
                "List the unsaved work that windows left when they closed without saving, to recover or discard it"
            }
            UiCommand::Quit => "Close the window",
            UiCommand::Undo => "Undo the last change",
            UiCommand::Redo => "Redo the last undone change (also Ctrl+Shift+Z)",
            UiCommand::Find => "Find text in the document",
            UiCommand::DeleteAnnotation => "Remove the selected annotation with its tags and counter-claims",
            UiCommand::EditTagSet => "Add, rename, recolour, describe or delete tags",
            UiCommand::Import(_) => "Read a document and its annotations from this format into a new project",
            UiCommand::Export(_) => "Write the document and its annotations in this format; the project stays as it is",
        }
    }

    /// The main keyboard shortcut.
    #[must_use]
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let command = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        match self {
            UiCommand::Open => command(Key::O),
            UiCommand::Save => command(Key::S),
            UiCommand::SaveAs => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S)),
            UiCommand::Quit => command(Key::Q),
            UiCommand::Undo => command(Key::Z),
            UiCommand::Redo => command(Key::Y),
            UiCommand::Find => command(Key::F),
            UiCommand::DeleteAnnotation => Some(KeyboardShortcut::new(Modifiers::NONE, Key::Delete)),
            UiCommand::OpenCommented
            | UiCommand::Reload
            | UiCommand::RecoverUnsavedWork
            | UiCommand::EditTagSet
            | UiCommand::Import(_)
            | UiCommand::Export(_) => None,
        }
    }

    /// Another shortcut for the same command, following platform habits.
    #[must_use]
    pub fn alternative_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            UiCommand::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)),
            _ => None,
        }
    }

    /// Whether the shortcut should also fire while a text field has the keyboard.
    #[must_use]
    pub fn works_while_typing(self) -> bool {
        !matches!(self, UiCommand::DeleteAnnotation)
    }

    /// Draws the command as a menu entry; clicking it sends the command.
    pub fn menu_item_ui(self, ui: &mut egui::Ui, enabled: bool, actions: &mut Vec<Action>) {
        let mut button = egui::Button::new(self.menu_text());
        if let Some(shortcut) = self.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        if ui.add_enabled(enabled, button).on_hover_text(self.tooltip()).clicked() {
            actions.push(Action::Command(self));
        }
    }
}

/// A request from UI code, carried out in one place by the app.
#[derive(Clone, Debug)]
pub enum Action {
    Command(UiCommand),
    /// Open this file (asking first if there are unsaved changes).
    OpenPath(PathBuf, OpenAs),
    /// Save the project to this path (Save As).
    SaveTo(PathBuf),
    /// Import this file with the format of this name; for standoff formats,
    /// the annotation file (found beside the text, or asked for when `None`).
    Import {
        format: &'static str,
        file: PathBuf,
        annotations: Option<PathBuf>,
    },
    /// Export the project in this format to this path.
    ExportTo(ExportFormat, PathBuf),
    /// Tag the selection with this tag, or untag the selected annotation if it has it.
    ToggleTag(TagId),
    /// Apply an edit; select the annotation given afterwards.
    Edit {
        edit: Edit,
        group: Option<GroupKey>,
        select: Option<AnnotationId>,
    },
    /// End the current typing session (the next edit is a new undo step).
    CloseGroup,
    /// Select an annotation and scroll the text to it.
    Reveal(AnnotationId),
}
