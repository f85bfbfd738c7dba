//! Autosave for crash recovery: unsaved work is written to a recovery file
//! every minute or so, and offered back on the next start.
//!
//! The [`Autosaver`] writes on a background thread: the UI thread only clones
//! the project (a copy of the text, cheap next to serialising it), so a
//! large document never pauses the window.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread::JoinHandle;

use crate::files::{self, WriteError};
use crate::model::project::Project;
use crate::project_file::{self, LoadError};

/// Where recovery files live (the user's data folder, or a test's temporary one).
#[derive(Clone, Debug)]
pub struct RecoveryStore {
    folder: PathBuf,
}

/// Work found in the recovery folder.
pub struct Recovered {
    pub project: Project,
    /// Where the work was saved before (if it ever was), so Save goes there again.
    pub project_path: Option<PathBuf>,
}

impl RecoveryStore {
    /// A store in `folder` (created on first write).
    #[must_use]
    pub fn new(folder: PathBuf) -> Self {
        Self { folder }
    }

    fn project_file(&self) -> PathBuf {
        self.folder.join("recovery.ron")
    }

    fn path_file(&self) -> PathBuf {
        self.folder.join("recovery-path.txt")
    }

    /// Writes the work atomically, with the path it belongs to.
    pub fn write(&self, project: &Project, project_path: Option<&Path>) -> Result<(), WriteError> {
        std::fs::create_dir_all(&self.folder).map_err(|error| WriteError {
            path: self.folder.display().to_string(),
            reason: files::describe_io_error(&error),
        })?;
        let path_text = project_path.map(|p| p.display().to_string()).unwrap_or_default();
        files::write_atomically(&self.path_file(), path_text.as_bytes())?;
        project_file::save(project, &self.project_file())
    }

    /// Whether there is work to offer back.
    #[must_use]
    pub fn has_recovery(&self) -> bool {
        self.project_file().is_file()
    }

    /// Reads the recovered work.
    pub fn read(&self) -> Result<Recovered, LoadError> {
        let project = project_file::load(&self.project_file())?;
        let project_path = std::fs::read_to_string(self.path_file())
            .ok()
            .filter(|text| !text.is_empty())
            .map(PathBuf::from);
        Ok(Recovered { project, project_path })
    }

    /// Removes the recovery files (after a save, or when the user declines them).
    pub fn clear(&self) {
        for path in [self.project_file(), self.path_file()] {
            let _ = std::fs::remove_file(&path);
            let _ = std::fs::remove_file(files::backup_path(&path));
        }
    }
}

/// Writes the recovery file on a background thread, one write at a time.
pub struct Autosaver {
    store: RecoveryStore,
    running: Option<Running>,
    /// The recovery files were cleared while a write was running: remove what it wrote.
    clear_when_done: bool,
}

struct Running {
    revision: u64,
    done: Receiver<Result<(), WriteError>>,
    thread: JoinHandle<()>,
}

impl Autosaver {
    /// An autosaver writing into `store`.
    #[must_use]
    pub fn new(store: RecoveryStore) -> Self {
        Self {
            store,
            running: None,
            clear_when_done: false,
        }
    }

    /// The recovery folder.
    #[must_use]
    pub fn store(&self) -> &RecoveryStore {
        &self.store
    }

    /// Whether a write is running (or finished but not yet collected by [`Autosaver::poll`]).
    #[must_use]
    pub fn is_writing(&self) -> bool {
        self.running.is_some()
    }

    /// Starts writing `project` (at `revision` of its history) on a background thread;
    /// false, and nothing started, while an earlier write is still running.
    /// `ctx` is woken when the write ends.
    pub fn start(
        &mut self,
        project: Project,
        project_path: Option<PathBuf>,
        revision: u64,
        ctx: &egui::Context,
    ) -> Result<bool, WriteError> {
        if self.running.is_some() {
            return Ok(false);
        }
        let (sender, done) = mpsc::channel();
        let store = self.store.clone();
        let ctx = ctx.clone();
        let thread = std::thread::Builder::new()
            .name("autosave".into())
            .spawn(move || {
                let _ = sender.send(store.write(&project, project_path.as_deref()));
                ctx.request_repaint();
            })
            .map_err(|error| WriteError {
                path: self.store.project_file().display().to_string(),
                reason: files::describe_io_error(&error),
            })?;
        self.running = Some(Running { revision, done, thread });
        Ok(true)
    }

    /// Once the running write has ended: the revision it wrote and how it went.
    pub fn poll(&mut self) -> Option<(u64, Result<(), WriteError>)> {
        let running = self.running.as_ref()?;
        let result = match running.done.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err(WriteError {
                path: self.store.project_file().display().to_string(),
                reason: "the autosave thread stopped".into(),
            }),
        };
        let revision = running.revision;
        self.finish();
        if std::mem::take(&mut self.clear_when_done) {
            self.store.clear();
            return None;
        }
        Some((revision, result))
    }

    /// Removes the recovery files; a write still running is removed when it ends.
    pub fn clear(&mut self) {
        self.store.clear();
        if self.running.is_some() {
            self.clear_when_done = true;
        }
    }

    /// Waits for a running write, then removes the recovery files (when the window closes).
    pub fn finish_and_clear(&mut self) {
        self.finish();
        self.clear_when_done = false;
        self.store.clear();
    }

    /// Waits for the running write, if any.
    fn finish(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.thread.join();
        }
    }
}

impl Drop for Autosaver {
    /// A write in progress is finished, not cut short, when the app goes away.
    fn drop(&mut self) {
        self.finish();
        if self.clear_when_done {
            self.store.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::project::SourceInfo;
    use crate::model::tag_set::TagSet;

    #[test]
    fn work_round_trips_through_the_recovery_folder() {
        let folder = tempfile::tempdir().unwrap();
        let store = RecoveryStore::new(folder.path().join("recovery"));
        assert!(!store.has_recovery());
        let project = Project::new("Text.".into(), SourceInfo::of_text("Text."), TagSet::default_set());
        store.write(&project, Some(Path::new("/tmp/x.ron"))).unwrap();
        let recovered = store.read().unwrap();
        assert_eq!(recovered.project, project);
        assert_eq!(recovered.project_path, Some(PathBuf::from("/tmp/x.ron")));
        store.clear();
        assert!(!store.has_recovery());
    }

    /// Polls until the running write has ended; its result, unless it was cleared.
    fn wait(autosaver: &mut Autosaver) -> Option<(u64, Result<(), WriteError>)> {
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
        let mut autosaver = Autosaver::new(RecoveryStore::new(folder.path().join("recovery")));
        let ctx = egui::Context::default();
        let project = Project::new("Text.".into(), SourceInfo::of_text("Text."), TagSet::default_set());
        assert!(autosaver.start(project.clone(), None, 3, &ctx).unwrap());
        assert!(
            !autosaver.start(project.clone(), None, 4, &ctx).unwrap(),
            "a second write waits for the first"
        );
        let (revision, result) = wait(&mut autosaver).unwrap();
        assert_eq!(revision, 3);
        result.unwrap();
        assert_eq!(autosaver.store().read().unwrap().project, project);

        assert!(autosaver.start(project, None, 5, &ctx).unwrap());
        autosaver.clear();
        assert!(
            wait(&mut autosaver).is_none(),
            "a write cleared while running reports nothing"
        );
        assert!(!autosaver.store().has_recovery(), "and what it wrote is gone");
    }
}
