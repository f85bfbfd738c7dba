//! Reading and writing files, with errors in plain words.
//!
//! Saves are atomic: write beside, flush, keep the old file as a backup,
//! rename. A crash or a full disk at any moment leaves either the old file or
//! the new one at the target path, never a half-written one.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file could not be written. The target is unchanged when this is returned.
#[derive(Debug, thiserror::Error)]
#[error("could not save {path}: {reason}")]
pub struct WriteError {
    pub path: String,
    pub reason: String,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("could not read {path}: {reason}")]
pub struct ReadError {
    pub path: String,
    pub reason: String,
}

/// Reads a whole file, refusing folders with a clear message.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    let fail = |reason: String| ReadError {
        path: path.display().to_string(),
        reason,
    };
    if path.is_dir() {
        return Err(fail("it is a folder, not a file".into()));
    }
    fs::read(path).map_err(|error| fail(describe_io_error(&error)))
}

/// The backup kept beside a saved file: `name.ron` → `name.ron.bak`.
#[must_use]
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically. If `path` already exists, its previous
/// content is kept as [`backup_path`].
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |error: &std::io::Error| WriteError {
        path: path.display().to_string(),
        reason: describe_io_error(error),
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(WriteError {
            path: path.display().to_string(),
            reason: "it is a folder".into(),
        });
    }
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = directory.join(format!(".{file_name}.saving-{}", std::process::id()));
    let written = write_and_flush(&temporary, bytes);
    if let Err(error) = written {
        let _ = fs::remove_file(&temporary);
        return Err(fail(&error));
    }
    if path.exists() {
        let backup = backup_path(path);
        let _ = fs::remove_file(&backup);
        if fs::hard_link(path, &backup).is_err()
            && let Err(error) = fs::copy(path, &backup)
        {
            let _ = fs::remove_file(&temporary);
            return Err(fail(&error));
        }
    }
    if let Err(error) = fs::rename(&temporary, path) {
        let _ = fs::remove_file(&temporary);
        return Err(fail(&error));
    }
    // Make the rename itself durable; not every platform can open a folder.
    if let Ok(folder) = File::open(&directory) {
        let _ = folder.sync_all();
    }
    Ok(())
}

fn write_and_flush(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    file.flush()?;
    file.sync_all()
}

/// Plain words for the file errors people meet.
#[must_use]
pub fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "the file or its folder does not exist".into(),
        ErrorKind::PermissionDenied => "permission denied (the file or folder may be read-only)".into(),
        ErrorKind::StorageFull => "the disk is full".into(),
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only".into(),
        ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        ErrorKind::QuotaExceeded => "the disk quota is used up".into(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_twice_keeps_the_previous_version_as_backup() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("p.ron");
        write_atomically(&path, b"one").unwrap();
        assert!(!backup_path(&path).exists());
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"one");
        let leftovers: Vec<_> = fs::read_dir(folder.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "no temporary file is left behind: {leftovers:?}");
    }

    #[test]
    fn reading_a_folder_or_a_missing_file_says_so() {
        let folder = tempfile::tempdir().unwrap();
        let error = read_bytes(folder.path()).unwrap_err();
        assert!(error.to_string().contains("it is a folder"), "{error}");
        let error = read_bytes(&folder.path().join("missing.txt")).unwrap_err();
        assert!(error.to_string().contains("does not exist"), "{error}");
    }

    #[test]
    fn a_missing_folder_is_an_error_and_writes_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("no/such/folder/p.ron");
        let error = write_atomically(&path, b"x").unwrap_err();
        assert!(error.to_string().contains("does not exist"), "{error}");
    }

    #[test]
    fn a_full_disk_leaves_the_old_file_whole() {
        // /dev/full answers every write with "no space left on device".
        let full = Path::new("/dev/full");
        if !full.exists() {
            return;
        }
        let error = write_and_flush(full, b"x").unwrap_err();
        assert_eq!(describe_io_error(&error), "the disk is full");
    }
}
