//! Crash recovery in the window: the autosave timer, offering a document's
//! leftover work when it is opened, and File ▸ Recover Unsaved Work… (the
//! recovered work is read in the background: see `background.rs`).

use std::path::Path;
use std::time::Duration;

use crate::storage::recovery::Leftover;
use crate::ui::dialogs::Banner;
use crate::ui::file_dialogs::{ListAnswer, OfferAnswer};
use crate::ui::workspace::Workspace;

use super::{CounterpointApp, Pending};

impl CounterpointApp {
    /// At start: work given to the window gets its leftovers offered.
    pub(super) fn after_start(&mut self) {
        let path = self
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.project_path().map(Path::to_path_buf));
        if let Some(path) = path {
            self.offer_leftovers_of(&path);
        }
    }

    /// Once, on the window's first frame: says that work of other documents
    /// is waiting in File ▸ Recover Unsaved Work… (without hiding another message).
    pub(super) fn note_leftovers_once(&mut self) {
        if std::mem::replace(&mut self.leftovers_noted, true) || self.banner.is_some() {
            return;
        }
        let Some(autosaver) = &self.recovery else { return };
        let open = self
            .workspace
            .as_ref()
            .map(Workspace::recovery_document)
            .and_then(|document| document.project_path.or(document.source));
        let others = autosaver
            .folder()
            .leftovers()
            .iter()
            .filter(|leftover| {
                let offered = self
                    .recovery_offer
                    .as_ref()
                    .is_some_and(|(offer, _)| offer == *leftover);
                let same_document = open.as_deref().is_some_and(|path| leftover.document.is_for(path));
                !offered && !same_document
            })
            .count();
        if others > 0 {
            self.banner = Some(Banner::Notice(format!(
                "Unsaved work of {others} document(s) was kept from windows that closed without saving: \
                 File ▸ Recover Unsaved Work… lists it."
            )));
        }
    }

    /// After opening `path`: offers its leftover work, if any, and says when
    /// another running window has unsaved changes to it.
    pub(super) fn offer_leftovers_of(&mut self, path: &Path) {
        let Some(autosaver) = &self.recovery else { return };
        let mut leftovers = autosaver.folder().leftovers_for(path);
        if !leftovers.is_empty() {
            let first = leftovers.remove(0);
            self.recovery_offer = Some((first, leftovers.len()));
        }
        if autosaver.live_elsewhere(path) {
            self.banner = Some(Banner::Notice(
                "Another Counterpoint window has unsaved changes to this file. If both save, the second one is asked before anything is overwritten."
                    .into(),
            ));
        }
    }

    pub(super) fn answer_offer(&mut self, ctx: &egui::Context, leftover: Leftover, answer: OfferAnswer) {
        match answer {
            OfferAnswer::Recover => self.request(ctx, Pending::Recover(leftover)),
            OfferAnswer::Later => {
                self.banner = Some(Banner::Notice(
                    "The unsaved work stays in File ▸ Recover Unsaved Work… until you recover or discard it.".into(),
                ));
            }
            OfferAnswer::Discard => self.discard(&leftover),
        }
    }

    /// Opens File ▸ Recover Unsaved Work….
    pub(super) fn show_recover_list(&mut self) {
        if let Some(autosaver) = &self.recovery {
            self.recover_list = Some(autosaver.folder().leftovers());
        }
    }

    pub(super) fn answer_list(&mut self, ctx: &egui::Context, answer: ListAnswer) {
        let Some(leftovers) = self.recover_list.take() else {
            return;
        };
        match answer {
            ListAnswer::Recover(index) => {
                if let Some(leftover) = leftovers.get(index) {
                    self.request(ctx, Pending::Recover(leftover.clone()));
                }
            }
            ListAnswer::Discard(index) => {
                if let Some(leftover) = leftovers.get(index) {
                    self.discard(leftover);
                }
                self.show_recover_list();
            }
            ListAnswer::Close => {}
        }
    }

    fn discard(&mut self, leftover: &Leftover) {
        let Some(autosaver) = &self.recovery else { return };
        if let Err(error) = autosaver.folder().discard(leftover) {
            self.banner = Some(Banner::Error(format!("Could not discard it: {error}")));
        }
    }

    /// Writes unsaved work to this window's recovery file every
    /// `autosave_interval`, on a background thread; the UI thread only clones the project.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        let Some(autosaver) = &mut self.recovery else { return };
        if let Some((revision, result)) = autosaver.poll() {
            match result {
                Ok(()) => self.autosaved_revision = Some(revision),
                Err(error) => self.banner = Some(Banner::Error(format!("Autosave failed: {error}"))),
            }
        }
        let Some(workspace) = &self.workspace else { return };
        if !workspace.has_unsaved_changes() || autosaver.is_writing() {
            // A running write wakes the window when it ends.
            return;
        }
        let revision = workspace.history().revision();
        if self.autosaved_revision == Some(revision) {
            return;
        }
        let interval = self.options.autosave_interval.as_secs_f64();
        let now = ctx.input(|i| i.time);
        let waited = now - self.last_autosave_secs;
        if waited < interval {
            // Wake up when it is time, even if the user does nothing meanwhile.
            ctx.request_repaint_after(Duration::from_secs_f64(interval - waited));
            return;
        }
        self.last_autosave_secs = now;
        let project = workspace.project().clone();
        if let Err(error) = autosaver.start(project, workspace.recovery_document(), revision, ctx) {
            self.banner = Some(Banner::Error(format!("Autosave failed: {error}")));
        }
    }
}
