//! Saving and exporting from the window, and the questions around them: a
//! project changed on disk since this window read it, a file a save or an
//! export would replace, a file that cannot be saved here.

use crate::storage::{ConflictKind, Expect, Overwrite, SaveError, Saved};
use crate::ui::dialogs::{Banner, PathDialog, PathPurpose};
use crate::ui::file_dialogs::{FileAnswer, FileQuestion};
use crate::ui::workspace::{OpenAs, Workspace, WorkspaceError};

use super::{CounterpointApp, Pending};

impl CounterpointApp {
    /// Saves the open work where it lives (in the background), or asks where
    /// when it has never been saved as a project.
    pub(super) fn save(&mut self, ctx: &egui::Context) {
        let Some(workspace) = &self.workspace else { return };
        match workspace.project_path() {
            Some(path) => {
                let path = path.to_path_buf();
                self.start_save(ctx, &path, None);
            }
            None => self.show_save_error(ctx, WorkspaceError::NoProjectPath),
        }
    }

    pub(super) fn saved(&mut self, saved: &Saved) {
        if self.corpus.is_some() {
            // The corpus folder is what the recent list names.
            self.current_document_saved();
        } else {
            self.recent.add(saved.path.clone(), OpenAs::Auto);
        }
        // Edits made while the save ran are not on disk: their recovery file stays.
        if !self.workspace.as_ref().is_some_and(Workspace::has_unsaved_changes)
            && let Some(recovery) = &mut self.recovery
        {
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
            ) => self.start_save(ctx, &path, Some(Expect::Seen(conflict.found))),
            (
                FileQuestion::ReplaceExport {
                    format,
                    output,
                    conflicts,
                },
                FileAnswer::Overwrite,
            ) => self.start_export(ctx, format, &output, Overwrite::Confirmed(conflicts)),
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
}
