//! The editor window (eframe/egui). Thin: it reads the model and changes it
//! only by sending edits through the history.
//!
//! - [`app`]: [`CounterpointApp`] and its panels; `app/execute.rs` is the one place commands run.
//! - [`workspace`]: the open document (project, history, path).
//! - [`text_view`], [`selection`], [`paragraphs`]: the document view.
//! - [`tag_palette`], [`claim_panel`], [`annotation_list`], [`find_bar`], [`tag_set_editor`]: panels.
//! - [`commands`]: every command with its menu text, shortcut and tooltip.
//! - [`interchange`]: File ▸ Import and File ▸ Export (formats listed, files read and written).
//! - [`dialogs`], [`recovery`] (autosave on a background thread), [`recent_files`], [`theme`].

pub mod annotation_list;
pub mod app;
pub mod claim_panel;
pub mod commands;
pub mod dialogs;
pub mod find_bar;
pub mod fonts;
pub mod interchange;
pub mod paragraphs;
pub mod recent_files;
pub mod recovery;
pub mod selection;
pub mod startup;
pub mod tag_palette;
pub mod tag_set_editor;
pub mod text_view;
pub mod theme;
pub mod window;
pub mod workspace;

pub use app::{AppOptions, CounterpointApp};
pub use window::run;
pub use workspace::{OpenAs, Workspace};

/// Sets up an egui context for the editor: the theme, and fonts for every
/// script with emoji in colour (see [`fonts`]).
pub fn setup_context(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    fonts::install(ctx);
}
