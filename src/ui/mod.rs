//! The editor window (eframe/egui). Thin: it reads the model and changes it
//! only by sending edits through the history.
//!
//! - [`app`]: [`CounterpointApp`] and its panels; `app/execute.rs` is the one place commands run.
//! - [`workspace`]: the open document (project, history, path).
//! - [`text_view`], [`selection`], [`paragraphs`]: the document view.
//! - [`tag_palette`], [`claim_panel`], [`annotation_list`], [`find_bar`], [`tag_set_editor`]: panels.
//! - [`commands`]: every command with its menu text, shortcut and tooltip.
//! - [`interchange`]: File ▸ Import and File ▸ Export (formats listed, files read and written).
//! - [`dialogs`], [`file_dialogs`] (changed on disk, replace, cannot save, recover unsaved work),
//!   [`recovery`] (autosave on a background thread), [`recent_files`], [`theme`].
//! - [`jobs`]: file work (save, open, import, export) on a background thread,
//!   with its steps for the progress box; `app/background.rs` runs them for the window.

pub mod annotation_list;
pub mod app;
pub mod claim_panel;
pub mod commands;
pub mod dialogs;
pub mod file_dialogs;
pub mod find_bar;
pub mod interchange;
pub mod jobs;
pub mod paragraphs;
pub mod recent_files;
pub mod recovery;
pub mod selection;
pub mod tag_palette;
pub mod tag_set_editor;
pub mod text_view;
pub mod theme;
pub mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

pub use app::{AppOptions, CounterpointApp};
pub use workspace::{OpenAs, Workspace};

/// Sets up an egui context for the editor: light theme, and system fonts as
/// fallback for scripts egui's own fonts lack (CJK, Arabic, Hebrew, Devanagari, …).
/// Emoji come from egui's bundled monochrome emoji font, which is tried first.
pub fn setup_context(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new()));
}

/// Opens the editor window, showing `file` if given (`.ron` as a project,
/// anything else as plain text). Returns when the window closes.
#[must_use]
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Counterpoint")
            .with_inner_size([1280.0, 800.0])
            .with_drag_and_drop(true),
        // `setup_context` installs the same provider, for headless use too.
        system_font_fallback: false,
        ..eframe::NativeOptions::default()
    };
    let result = eframe::run_native(
        "Counterpoint",
        options,
        Box::new(move |creation| {
            setup_context(&creation.egui_ctx);
            let mut app = CounterpointApp::new(None, AppOptions::for_user());
            if let Some(path) = &file {
                app.open_file(path, OpenAs::Auto);
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("counterpoint: error: could not open the window: {error}");
            ExitCode::FAILURE
        }
    }
}
