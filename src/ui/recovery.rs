//! Autosave for crash recovery: the window's unsaved work is written to its
//! own recovery file every minute or so (see [`crate::storage::recovery`] for
//! the files: one per document, locked while the window runs).
//!
//! The [`Autosaver`] writes on a background thread: the UI thread only clones
//! the project (a copy of the text, cheap next to serialising it), so a
//! large document never pauses the window.

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use crate::model::project::Project;
use crate::project_file;
use crate::storage::SaveError;
use crate::storage::recovery::{Claimed, RecoveryDocument, RecoveryFolder, RecoveryWriter};

/// Writes this window's recovery file on a background thread, one write at a time.
pub struct Autosaver {
    folder: RecoveryFolder,
    writer: Arc<Mutex<RecoveryWriter>>,
    running: Option<Running>,
    /// The work was saved or discarded while a write was running: remove what it wrote.
    clear_when_done: bool,
}

struct Running {
    revision: u64,
    done: Receiver<Result<(), SaveError>>,
    thread: JoinHandle<()>,
}

impl Autosaver {
    /// An autosaver writing into `folder`.
    #[must_use]
    pub fn new(folder: RecoveryFolder) -> Self {
        let writer = Arc::new(Mutex::new(folder.writer()));
        Self {
            folder,
            writer,
            running: None,
            clear_when_done: false,
        }
    }

    /// The recovery folder, where other windows' leftovers are found.
    #[must_use]
    pub fn folder(&self) -> &RecoveryFolder {
        &self.folder
    }

    /// Whether a write is running (or finished but not yet collected by [`Autosaver::poll`]).
    #[must_use]
    pub fn is_writing(&self) -> bool {
        self.running.is_some()
    }

    fn writer(&self) -> MutexGuard<'_, RecoveryWriter> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether another running window has unsaved work on the document at
    /// `path` (waits for this window's own write, if one is running).
    #[must_use]
    pub fn live_elsewhere(&self, path: &std::path::Path) -> bool {
        self.folder.live_elsewhere(path, Some(&self.writer()))
    }

    /// Starts writing `project` (at `revision` of its history) for `document`
    /// on a background thread; false, and nothing started, while an earlier
    /// write is still running. `ctx` is woken when the write ends.
    pub fn start(
        &mut self,
        project: Project,
        document: RecoveryDocument,
        revision: u64,
        ctx: &egui::Context,
    ) -> Result<bool, SaveError> {
        if self.running.is_some() {
            return Ok(false);
        }
        let (sender, done) = mpsc::channel();
        let writer = Arc::clone(&self.writer);
        let ctx = ctx.clone();
        let thread = std::thread::Builder::new()
            .name("autosave".into())
            .spawn(move || {
                let result = match project_file::to_ron_string(&project) {
                    Ok(text) => writer
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .write(&document, text.as_bytes()),
                    Err(error) => Err(SaveError::Failed {
                        path: document.project_path.clone().unwrap_or_default(),
                        reason: format!("the project could not be written as RON ({error})"),
                    }),
                };
                let _ = sender.send(result);
                ctx.request_repaint();
            })
            .map_err(|error| SaveError::Failed {
                path: self.folder.path().to_path_buf(),
                reason: crate::storage::in_words(&error),
            })?;
        self.running = Some(Running { revision, done, thread });
        Ok(true)
    }

    /// Once the running write has ended: the revision it wrote and how it went.
    pub fn poll(&mut self) -> Option<(u64, Result<(), SaveError>)> {
        let running = self.running.as_ref()?;
        let result = match running.done.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err(SaveError::Failed {
                path: self.folder.path().to_path_buf(),
                reason: "the autosave thread stopped".into(),
            }),
        };
        let revision = running.revision;
        self.finish();
        if std::mem::take(&mut self.clear_when_done) {
            self.writer().clear();
            return None;
        }
        Some((revision, result))
    }

    /// Removes this window's recovery file (the work was saved or discarded);
    /// a write still running is removed when it ends.
    pub fn clear(&mut self) {
        if self.running.is_some() {
            self.clear_when_done = true;
        } else {
            self.writer().clear();
        }
    }

    /// Waits for a running write, then removes this window's recovery file (when the window closes).
    pub fn finish_and_clear(&mut self) {
        self.finish();
        self.clear_when_done = false;
        self.writer().clear();
    }

    /// Takes over a recovered leftover, which goes once this window's own
    /// recovery file replaces it, or the work is saved or discarded.
    pub fn adopt(&mut self, claimed: Claimed) {
        self.finish();
        if std::mem::take(&mut self.clear_when_done) {
            self.writer().clear();
        }
        self.writer().adopt(claimed);
    }

    /// Waits for the running write, if any.
    fn finish(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.thread.join();
        }
    }
}

impl Drop for Autosaver {
    /// A write in progress is finished, not cut short, when the app goes away;
    /// the recovery file stays unless the work was saved or discarded.
    fn drop(&mut self) {
        self.finish();
        if self.clear_when_done {
            self.writer().clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::project::SourceInfo;
    use crate::model::tag_set::TagSet;

    /// Polls until the running write has ended; its result, unless it was cleared.
    fn wait(autosaver: &mut Autosaver) -> Option<(u64, Result<(), SaveError>)> {
        while autosaver.is_writing() {
            if let Some(result) = autosaver.poll() {
                return Some(result);
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        None
    }

    #[test]
    fn the_autosaver_writes_in_the_background_one_write_at_a_time() {
        let folder = tempfile::tempdir().unwrap();
        let recovery = RecoveryFolder::new(folder.path().join("recovery"));
        let mut autosaver = Autosaver::new(recovery.clone());
        let ctx = egui::Context::default();
        let project = Project::new("Text.".into(), SourceInfo::of_text("Text."), TagSet::default_set());
        let document = RecoveryDocument {
            name: "Untitled".into(),
            ..RecoveryDocument::default()
        };
        assert!(autosaver.start(project.clone(), document.clone(), 3, &ctx).unwrap());
        assert!(
            !autosaver.start(project.clone(), document.clone(), 4, &ctx).unwrap(),
            "a second write waits for the first"
        );
        let (revision, result) = wait(&mut autosaver).unwrap();
        assert_eq!(revision, 3);
        result.unwrap();
        assert!(
            recovery.leftovers().is_empty(),
            "a running window's work is not a leftover"
        );

        assert!(autosaver.start(project.clone(), document.clone(), 5, &ctx).unwrap());
        autosaver.clear();
        assert!(
            wait(&mut autosaver).is_none(),
            "a write cleared while running reports nothing"
        );
        assert_eq!(
            std::fs::read_dir(recovery.path()).unwrap().count(),
            0,
            "and what it wrote is gone"
        );

        assert!(autosaver.start(project.clone(), document, 6, &ctx).unwrap());
        wait(&mut autosaver).unwrap().1.unwrap();
        drop(autosaver);
        let leftovers = recovery.leftovers();
        assert_eq!(leftovers.len(), 1, "a window gone without saving leaves its work");
        let claimed = recovery.claim(&leftovers[0]).unwrap();
        assert_eq!(
            project_file::from_ron_str(std::str::from_utf8(&claimed.project).unwrap()).unwrap(),
            project
        );
    }
}
