//! The recent-files list, kept between runs in the user's config folder.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::storage;

use super::workspace::OpenAs;

/// How many files the list remembers.
const LIMIT: usize = 10;

/// One remembered file and how it was opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentFile {
    pub path: PathBuf,
    pub open_as: OpenAs,
}

/// The list, newest first, and where it is stored (nowhere for tests that do not care).
#[derive(Clone, Debug, Default)]
pub struct RecentFiles {
    store: Option<PathBuf>,
    entries: Vec<RecentFile>,
}

impl RecentFiles {
    /// Reads the list from `store` (an unreadable or missing file gives an empty list).
    #[must_use]
    pub fn load(store: Option<PathBuf>) -> Self {
        let entries = store
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .and_then(|text| ron::from_str(&text).ok())
            .unwrap_or_default();
        Self { store, entries }
    }

    /// The files, newest first.
    #[must_use]
    pub fn entries(&self) -> &[RecentFile] {
        &self.entries
    }

    /// Puts a file at the top and writes the list. A failed write only loses the list, never work.
    pub fn add(&mut self, path: PathBuf, open_as: OpenAs) {
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        self.entries.retain(|entry| entry.path != path);
        self.entries.insert(0, RecentFile { path, open_as });
        self.entries.truncate(LIMIT);
        if let Some(store) = &self.store
            && let Ok(text) = ron::to_string(&self.entries)
        {
            let _ = storage::save_setting(store, text.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_survives_a_restart_newest_first_without_duplicates() {
        let folder = tempfile::tempdir().unwrap();
        let store = folder.path().join("config/recent.ron");
        let mut recent = RecentFiles::load(Some(store.clone()));
        for name in ["a.txt", "b.ron", "a.txt"] {
            recent.add(folder.path().join(name), OpenAs::Auto);
        }
        let reloaded = RecentFiles::load(Some(store));
        let names: Vec<_> = reloaded
            .entries()
            .iter()
            .map(|e| e.path.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["a.txt", "b.ron"]);
    }
}
