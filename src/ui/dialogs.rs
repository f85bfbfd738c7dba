//! Dialogs: choosing a file (native dialog on a background thread, with a
//! typed path that always works), confirming before unsaved work is
//! dropped, and the banner that shows errors and notices.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use egui::{Id, RichText, Ui};

use super::interchange::{ExportFormat, Report};
use super::theme;
use super::workspace::OpenAs;
use crate::messages::printable;

/// Accessible label of the typed-path field.
pub const PATH_FIELD_LABEL: &str = "File path";

/// What a chosen path is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open(OpenAs),
    /// A folder to open as a corpus.
    OpenFolder,
    SaveAs,
    /// The file to import with the format of this name (the text, for standoff formats).
    Import(&'static str),
    /// The annotation file of a standoff import whose text is chosen.
    ImportAnnotations {
        format: &'static str,
        text: PathBuf,
    },
    Export(ExportFormat),
    /// The new version of the open project's text (File ▸ Replace Source Text…).
    ReplaceSource,
}

impl PathPurpose {
    fn title(&self) -> String {
        let format_title = |name: &str| crate::formats::format_named(name).map_or("", crate::formats::Format::title);
        match self {
            PathPurpose::Open(OpenAs::CommentedArticle) => "Open a commented article".into(),
            PathPurpose::Open(_) => "Open a document or project".into(),
            PathPurpose::OpenFolder => "Open a folder of documents as a corpus".into(),
            PathPurpose::SaveAs => "Save the project as".into(),
            PathPurpose::Import(name) if super::interchange::is_standoff(name) => {
                format!("Import {}: the text file", format_title(name))
            }
            PathPurpose::Import(name) => format!("Import {}", format_title(name)),
            PathPurpose::ImportAnnotations { format, .. } => {
                format!("Import {}: the annotation file", format_title(format))
            }
            PathPurpose::Export(format) => format!("Export as {}", format.title()),
            PathPurpose::ReplaceSource => "Replace the text with a new version of it".into(),
        }
    }

    fn confirm_text(&self) -> &'static str {
        match self {
            PathPurpose::Open(_) | PathPurpose::OpenFolder => "Open",
            PathPurpose::SaveAs => "Save",
            PathPurpose::Import(_) | PathPurpose::ImportAnnotations { .. } => "Import",
            PathPurpose::Export(_) => "Export",
            PathPurpose::ReplaceSource => "Replace",
        }
    }
}

/// The file chooser: a typed path, and a native dialog running off the UI thread.
pub struct PathDialog {
    pub purpose: PathPurpose,
    /// Why the chooser is asking, shown above the path.
    note: Option<String>,
    typed: String,
    focus_requested: bool,
    native: Option<Receiver<Option<PathBuf>>>,
}

/// What the file chooser ended with this frame.
#[derive(Debug, PartialEq, Eq)]
pub enum PathChoice {
    Chosen(PathBuf),
    Cancelled,
}

impl PathDialog {
    /// A chooser with `suggested` typed in; with `native`, the system dialog opens at once.
    #[must_use]
    pub fn new(purpose: PathPurpose, suggested: Option<PathBuf>, native: bool, ctx: &egui::Context) -> Self {
        let typed = suggested.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        let mut dialog = Self {
            purpose,
            note: None,
            typed,
            focus_requested: true,
            native: None,
        };
        if native {
            dialog.start_native(suggested, ctx);
        }
        dialog
    }

    /// The chooser with a line saying why it asks.
    #[must_use]
    pub fn with_note(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }

    /// Runs the native dialog on its own thread; its answer arrives through a channel.
    fn start_native(&mut self, suggested: Option<PathBuf>, ctx: &egui::Context) {
        let (sender, receiver) = mpsc::channel();
        let purpose = self.purpose.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new().name("file dialog".into()).spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            if let Some(folder) = suggested.as_ref().and_then(|p| p.parent()) {
                dialog = dialog.set_directory(folder);
            }
            if let Some(name) = suggested.as_ref().and_then(|p| p.file_name()) {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
            let picked = match purpose {
                PathPurpose::SaveAs => dialog.add_filter("Counterpoint project", &["ron"]).save_file(),
                PathPurpose::Export(_) => dialog.save_file(),
                PathPurpose::OpenFolder => dialog.pick_folder(),
                PathPurpose::Open(_)
                | PathPurpose::Import(_)
                | PathPurpose::ImportAnnotations { .. }
                | PathPurpose::ReplaceSource => dialog.pick_file(),
            };
            let _ = sender.send(picked);
            ctx.request_repaint();
        });
        if spawned.is_ok() {
            self.native = Some(receiver);
        }
    }

    /// Draws the chooser; returns what the user chose, once.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<PathChoice> {
        if let Some(receiver) = &self.native {
            match receiver.try_recv() {
                Ok(Some(path)) => return Some(PathChoice::Chosen(path)),
                // Cancelled, or no dialog could be shown: the typed path stays available.
                Ok(None) | Err(TryRecvError::Disconnected) => self.native = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        let mut choice = None;
        let modal = egui::Modal::new(Id::unique("path dialog")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(self.purpose.title());
            if let Some(note) = &self.note {
                ui.label(note.as_str());
            }
            if self.native.is_some() {
                ui.label(RichText::new("A file dialog is open; or type a path here:").weak());
            }
            let label = ui.label(PATH_FIELD_LABEL);
            // A fixed id: the line above comes and goes with the system's dialog, and
            // an id counted by position would change with it and drop the keyboard focus.
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.typed)
                        .id_salt("typed path")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if self.focus_requested {
                field.request_focus();
                self.focus_requested = false;
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let ready = !self.typed.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new(self.purpose.confirm_text()))
                    .clicked()
                    || (entered && ready)
                {
                    choice = Some(PathChoice::Chosen(PathBuf::from(self.typed.trim())));
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(PathChoice::Cancelled);
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(PathChoice::Cancelled);
        }
        choice
    }
}

/// The answer to "save your changes first?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmChoice {
    Save,
    Discard,
    Cancel,
}

/// How many names of documents with changes the question lists before "and N more".
const LISTED: usize = 12;

/// Asks whether to save unsaved changes to the documents `names` before `what` (e.g. "closing").
#[must_use]
pub fn confirm_unsaved_ui(ctx: &egui::Context, names: &[String], what: &str) -> Option<ConfirmChoice> {
    let mut choice = None;
    let modal = egui::Modal::new(Id::unique("unsaved changes")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Unsaved changes");
        if let [name] = names {
            ui.label(format!(
                "Changes to your annotations and counter-claims on {name} are not saved yet. \
                 Save the project before {what}? (Only the project file is written: the document's text never changes.)"
            ));
        } else {
            ui.label(format!(
                "Changes to {} documents are not saved yet. Save them all before {what}? \
                 (Only their project files are written: the texts never change.)",
                names.len()
            ));
            for name in names.iter().take(LISTED) {
                ui.label(RichText::new(format!("• {name}")).strong());
            }
            if names.len() > LISTED {
                ui.label(format!("and {} more", names.len() - LISTED));
            }
        }
        let save = if names.len() > 1 { "Save All" } else { "Save" };
        ui.horizontal(|ui| {
            if ui.button(save).clicked() {
                choice = Some(ConfirmChoice::Save);
            }
            if ui.button("Don't save").clicked() {
                choice = Some(ConfirmChoice::Discard);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(ConfirmChoice::Cancel);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(ConfirmChoice::Cancel);
    }
    choice
}

/// Asks before a tag is deleted from every document of a corpus whose
/// annotations use it `uses` times in `documents` documents; Some(true) to delete.
#[must_use]
pub fn confirm_corpus_tag_delete_ui(ctx: &egui::Context, tag: &str, uses: usize, documents: usize) -> Option<bool> {
    let mut answer = None;
    let modal = egui::Modal::new(Id::unique("delete corpus tag")).show(ctx, |ui| {
        ui.set_width(440.0);
        ui.heading("Delete the tag from the whole corpus?");
        ui.label(format!(
            "{uses} annotation(s) in {documents} document(s) use {tag}. Deleting it takes it off every one of \
             them and out of every project file (each file's previous version is kept as NAME.ron.bak; \
             undo in a document only brings it back there)."
        ));
        ui.horizontal(|ui| {
            if ui.button("Delete from every document").clicked() {
                answer = Some(true);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    answer
}

/// A message across the top of the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Banner {
    Error(String),
    Notice(String),
}

/// Draws the banner; returns true when the user dismisses it.
pub fn banner_ui(ui: &mut Ui, banner: &Banner) -> bool {
    let (text, fill) = match banner {
        Banner::Error(text) => (text, theme::ERROR_FILL),
        Banner::Notice(text) => (text, theme::NOTICE_FILL),
    };
    let mut dismissed = false;
    egui::Frame::new().fill(fill).inner_margin(6.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        // The button first, from the right, so a long message wraps beside it instead of pushing it off screen.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            dismissed = ui.button("Dismiss").clicked();
            // Messages may repeat names from files: control characters are written out.
            let message = RichText::new(printable(text).to_string())
                .color(theme::ERROR_TEXT)
                .strong();
            ui.add(egui::Label::new(message).wrap().halign(egui::Align::LEFT));
        });
    });
    dismissed
}

/// Lists what an import or export changed or left out; returns true when closed.
#[must_use]
pub fn report_ui(ctx: &egui::Context, report: &Report, area: egui::Rect) -> bool {
    let mut closed = false;
    egui::Window::new("Import and export notes")
        .collapsible(false)
        .constrain_to(area)
        .default_pos(area.min + egui::vec2(24.0, 16.0))
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(printable(&report.summary).to_string()).strong());
            ui.label(format!("{} warning(s):", report.warnings.len()));
            egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
                for warning in &report.warnings {
                    ui.label(format!("• {}", printable(warning)));
                }
            });
            closed = ui.button("Close notes").clicked();
        });
    closed
}

/// Offers back work found in the recovery folder; returns Some(true) to restore, Some(false) to discard.
#[must_use]
pub fn recovery_offer_ui(ctx: &egui::Context) -> Option<bool> {
    let mut answer = None;
    egui::Modal::new(Id::unique("recovery offer")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Recover unsaved work?");
        ui.label("Counterpoint did not close normally last time. Unsaved work was kept.");
        ui.horizontal(|ui| {
            if ui.button("Recover").clicked() {
                answer = Some(true);
            }
            if ui.button("Discard it").clicked() {
                answer = Some(false);
            }
        });
    });
    answer
}
