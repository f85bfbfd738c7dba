//! Saving and exporting from the window, and the questions around them: a
//! project changed on disk since this window read it, a file a save or an
//! export would replace, a file that cannot be saved here.

use std::path::Path;

use crate::formats::on_disk::ExportError;
use crate::storage::{ConflictKind, Expect, Overwrite, SaveError, Saved};
use crate::ui::dialogs::{Banner, PathDialog, PathPurpose};
use crate::ui::file_dialogs::{FileAnswer, FileQuestion};
use crate::ui::interchange::{self, ExportFormat};
use crate::ui::workspace::{OpenAs, Workspace, WorkspaceError};

use super::{CounterpointApp, Pending};

impl CounterpointApp {
    /// Saves the open work where it lives.
    pub(super) fn save(&mut self) -> Result<(), WorkspaceError> {
        let Some(workspace) = &mut self.workspace else {
            return Ok(());
        };
        let saved = workspace.save()?;
        self.saved(&saved);
        Ok(())
    }

    /// Saves to `path` (Save As; or, with `expect`, over a file the user
    /// agreed to replace), then carries on with what waited for the save.
    pub(super) fn save_to(&mut self, ctx: &egui::Context, path: &Path, expect: Option<Expect>) {
        let Some(workspace) = &mut self.workspace else { return };
        let result = match expect {
            Some(expect) => workspace.save_to(path, &expect),
            None => workspace.save_as(path),
        };
        match result {
            Ok(saved) => {
                self.saved(&saved);
                if let Some(pending) = self.after_save.take() {
                    self.run_pending(ctx, pending);
                }
            }
            Err(error) => self.show_save_error(ctx, error),
        }
    }

    fn saved(&mut self, saved: &Saved) {
        self.recent.add(saved.path.clone(), OpenAs::Auto);
        if let Some(recovery) = &mut self.recovery {
            recovery.clear();
        }
        self.autosaved_revision = None;
        self.last_save.at = Some(std::time::Instant::now());
        self.banner =
            (!saved.warnings.is_empty()).then(|| Banner::Notice(format!("Saved, but {}.", saved.warnings.join("; "))));
    }

    /// Says why a save did not happen, and asks what to do where the user can decide.
    pub(super) fn show_save_error(&mut self, ctx: &egui::Context, error: WorkspaceError) {
        match error {
            WorkspaceError::NoProjectPath => self.show_save_as(ctx),
            WorkspaceError::Save(SaveError::Conflict(mut conflicts)) if !conflicts.is_empty() => {
                let conflict = conflicts.swap_remove(0);
                let path = conflict.path.clone();
                self.question = Some(match conflict.kind {
                    ConflictKind::ChangedSinceSeen => FileQuestion::ChangedOnDisk { path, conflict },
                    ConflictKind::Exists => FileQuestion::ReplaceProject { path, conflict },
                });
            }
            WorkspaceError::Save(SaveError::Refused { path, reason }) => {
                self.question = Some(FileQuestion::CannotSave { path, reason });
            }
            other => {
                self.after_save = None;
                self.banner = Some(Banner::Error(other.to_string()));
            }
        }
    }

    pub(super) fn answer_question(&mut self, ctx: &egui::Context, question: FileQuestion, answer: FileAnswer) {
        match (question, answer) {
            (FileQuestion::ChangedOnDisk { .. }, FileAnswer::Reload) => {
                self.after_save = None;
                self.run_pending(ctx, Pending::Reload);
            }
            (
                FileQuestion::ChangedOnDisk { path, conflict } | FileQuestion::ReplaceProject { path, conflict },
                FileAnswer::Overwrite,
            ) => self.save_to(ctx, &path, Some(Expect::Seen(conflict.found))),
            (
                FileQuestion::ReplaceExport {
                    format,
                    output,
                    conflicts,
                },
                FileAnswer::Overwrite,
            ) => self.export(format, &output, &Overwrite::Confirmed(conflicts)),
            (_, FileAnswer::SaveAs) => self.show_save_as(ctx),
            _ => self.after_save = None,
        }
    }

    pub(super) fn show_save_as(&mut self, ctx: &egui::Context) {
        let suggested = self.workspace.as_ref().and_then(Workspace::suggested_project_path);
        self.path_dialog = Some(PathDialog::new(
            PathPurpose::SaveAs,
            suggested,
            self.options.native_dialogs,
            ctx,
        ));
    }

    /// Exports the open work; files that would be replaced are asked about first.
    pub(super) fn export(&mut self, format: ExportFormat, path: &Path, overwrite: &Overwrite) {
        let Some(workspace) = &self.workspace else { return };
        match interchange::export(format, workspace.project(), path, overwrite) {
            Ok(report) => self.show_report(report),
            Err(ExportError::Save(SaveError::Conflict(conflicts))) => {
                self.question = Some(FileQuestion::ReplaceExport {
                    format,
                    output: path.to_path_buf(),
                    conflicts,
                });
            }
            Err(error) => self.banner = Some(Banner::Error(format!("Could not export: {error}"))),
        }
    }
}
