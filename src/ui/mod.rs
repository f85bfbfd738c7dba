//! The editor window (eframe/egui). Thin: it reads the model and changes it
//! only by sending edits through the history.
//!
//! - [`app`]: [`CounterpointApp`] and its panels; `app/execute.rs` is the one place commands run.
//! - [`workspace`]: the open document (project, history, path).
//! - [`text_view`], [`selection`], [`paragraphs`]: the document view.
//! - [`tag_palette`], [`claim_panel`] (with [`argument_panel`]: links and attributes), [`annotation_list`], [`find_bar`], [`tag_set_editor`],
//!   [`status_bar`]: panels; [`conflicts`]: what a merge left to resolve.
//! - [`document_panel`]: the document's labels (View ▸ Document labels…).
//! - [`corpus`]: the open corpus (a folder of documents) and the work kept on each
//!   document opened; [`corpus_list`]: its document list.
//! - [`linking`]: making a link between two annotations with the mouse.
//! - [`commands`]: every command with its menu text, shortcut and tooltip; [`shortcut_sheet`]
//!   lists them (Help ▸ Keyboard Shortcuts).
//! - [`corpus_search`] (Edit ▸ Search Corpus…: a concordance) and [`corpus_stats`] (View ▸ Corpus
//!   Statistics…: a bar chart and tables); `app/corpus_tools.rs` runs their work in the background.
//! - [`navigation`], [`occurrences`]: keyboard-only annotation (next annotation, next untagged
//!   sentence, tag every other occurrence).
//! - [`interchange`]: File ▸ Import and File ▸ Export (formats listed, files read and written).
//! - [`dialogs`], [`file_dialogs`] (changed on disk, replace, cannot save, recover unsaved work),
//!   [`recovery`] (autosave on a background thread), [`recent_files`].
//! - [`theme`] (light and dark palettes, contrast), [`system_theme`] (the desktop's preference),
//!   [`preferences`] (View menu choices), [`fonts`] (colour emoji, system fonts).
//! - [`window`]: the native window; [`startup`]: its start-up timings.
//! - [`jobs`]: file work (save, open, import, export) on a background thread,
//!   with its steps for the progress box; `app/background.rs` runs them for the window.

pub mod annotation_list;
pub mod app;
pub mod argument_panel;
pub mod claim_panel;
pub mod commands;
pub mod conflicts;
pub mod corpus;
pub mod corpus_list;
pub mod corpus_search;
pub mod corpus_stats;
pub mod curation;
pub mod dialogs;
pub mod document_panel;
pub mod file_dialogs;
pub mod find_bar;
pub mod first_frame;
pub mod fonts;
pub mod graphics_driver;
pub mod interchange;
pub mod jobs;
pub mod linking;
pub mod navigation;
pub mod occurrences;
pub mod paragraphs;
pub mod preferences;
pub mod recent_files;
pub mod recovery;
pub mod review_list;
pub mod selection;
pub mod shortcut_sheet;
pub mod startup;
pub mod status_bar;
pub mod system_theme;
pub mod tag_palette;
pub mod tag_set_editor;
pub mod text_view;
pub mod theme;
pub mod window;
pub mod workspace;

pub use app::{AppOptions, CounterpointApp};
pub use window::run;
pub use workspace::{OpenAs, Workspace};

/// Sets up an egui context for the editor: the theme follows the system's
/// (light where the system does not say; View ▸ Theme overrides it), and
/// fonts for every script, with emoji in colour (see [`fonts`]).
pub fn setup_context(ctx: &egui::Context) {
    ctx.options_mut(|options| options.fallback_theme = egui::Theme::Light);
    ctx.set_theme(egui::ThemePreference::System);
    fonts::install(ctx);
}
