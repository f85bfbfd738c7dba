//! Writing a whole folder of files (an imported corpus, a folder export) all
//! or none.
//!
//! A folder that does not exist yet, or is empty, is built as a hidden temp
//! folder beside it (`.NAME.writing-PID`, every file through storage) and
//! renamed into place at the end: until then nothing is at the target, and
//! on a failure the temp folder is removed. Into a folder that has files,
//! all files go in one all-or-none storage save: an existing file that
//! differs is replaced only as the [`Overwrite`] rule allows (kept as
//! `NAME.bak`), an identical one is left untouched.

use std::path::{Path, PathBuf};

use crate::formats::on_disk;
use crate::storage::{self, Backup, Expect, Overwrite, SaveError, Write};

/// Why a folder was not written. Nothing is written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error(transparent)]
    Save(#[from] SaveError),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        reason: storage::in_words(&error),
    }
}

/// Whether `folder` is missing or an empty folder.
pub fn is_missing_or_empty(folder: &Path) -> Result<bool, WriteError> {
    match std::fs::read_dir(folder) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(error) => Err(io(folder)(error)),
    }
}

/// Writes `files` (paths relative to `target`) into the folder `target`;
/// the number of files left untouched because they already held these bytes.
pub fn write_folder(target: &Path, files: &[(PathBuf, Vec<u8>)], overwrite: &Overwrite) -> Result<usize, WriteError> {
    if is_missing_or_empty(target)? {
        write_fresh(target, files).map(|()| 0)
    } else {
        let absolute: Vec<(PathBuf, Vec<u8>)> = files
            .iter()
            .map(|(name, bytes)| (target.join(name), bytes.clone()))
            .collect();
        make_folders(absolute.iter().map(|(path, _)| path.as_path()))?;
        write_files(&absolute, overwrite)
    }
}

/// Writes files at their paths all or none, as `overwrite` allows; the number left untouched.
pub fn write_files(files: &[(PathBuf, Vec<u8>)], overwrite: &Overwrite) -> Result<usize, WriteError> {
    let saved = on_disk::write_export(files, overwrite)?;
    Ok(saved.iter().filter(|saved| !saved.written).count())
}

/// Makes the folder of every file (each once).
fn make_folders<'p>(files: impl Iterator<Item = &'p Path>) -> Result<(), WriteError> {
    let mut made: Vec<&Path> = Vec::new();
    for folder in files.filter_map(Path::parent) {
        if !folder.as_os_str().is_empty() && !made.contains(&folder) {
            std::fs::create_dir_all(folder).map_err(io(folder))?;
            made.push(folder);
        }
    }
    Ok(())
}

/// Builds the folder beside `target` and renames it into place.
fn write_fresh(target: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteError> {
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = target
        .file_name()
        .map_or_else(|| "folder".to_owned(), |name| name.to_string_lossy().into_owned());
    let temp = parent.join(format!(".{name}.writing-{}", std::process::id()));
    if temp.exists() {
        std::fs::remove_dir_all(&temp).map_err(io(&temp))?;
    }
    std::fs::create_dir(&temp).map_err(io(&temp))?;
    let written = fill(&temp, files).and_then(|()| {
        if target.is_dir() {
            // Checked empty above; remove_dir refuses a folder that filled since.
            std::fs::remove_dir(target).map_err(io(target))?;
        }
        std::fs::rename(&temp, target).map_err(io(target))
    });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    written
}

/// Writes every file into the new folder `temp`.
fn fill(temp: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteError> {
    let absolute: Vec<PathBuf> = files.iter().map(|(name, _)| temp.join(name)).collect();
    make_folders(absolute.iter().map(PathBuf::as_path))?;
    let writes: Vec<Write<'_>> = absolute
        .iter()
        .zip(files)
        .map(|(path, (_, bytes))| Write {
            path,
            bytes,
            expect: Expect::Absent,
        })
        .collect();
    storage::save_all(&writes, Backup::Skip)?;
    Ok(())
}
