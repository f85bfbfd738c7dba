//! Autosave for crash recovery: unsaved work is written to a recovery file
//! every minute or so, and offered back on the next start.

use std::path::{Path, PathBuf};

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
}
