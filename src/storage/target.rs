//! Where a save really writes (through symlinks), and whether the file there
//! may be replaced: checked before anything is written, so a refused save
//! changes nothing.

use std::fs::Metadata;
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rustix::fs::{Access, AtFlags};

use super::error::{SaveError, in_words};
use super::read::refuse_unless_regular;

/// How many symlinks a path may pass through (Linux's own limit).
const MAX_LINKS: usize = 40;
/// The sticky bit of a folder: only a file's owner may remove or replace it there.
const STICKY: u32 = 0o1000;

/// The backup kept beside a saved file: `name.ron` → `name.ron.bak`.
#[must_use]
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// The folder holding `path` (`.` for a bare file name).
pub(super) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file a save of `path` writes: `path` itself, or the end of its chain
/// of symlinks (which may not exist yet), so the links stay links.
pub(super) fn resolve(path: &Path) -> Result<PathBuf, SaveError> {
    if path.file_name().is_none() {
        return Err(SaveError::failed(path, "it names a folder, not a file"));
    }
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&current).map_err(|error| SaveError::failed(path, in_words(&error)))?;
                current = folder_of(&current).join(link);
            }
            Ok(_) => return Ok(current),
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(current),
            Err(error) => return Err(SaveError::failed(path, in_words(&error))),
        }
    }
    Err(SaveError::failed(
        path,
        "the path has too many symbolic links (perhaps a loop)",
    ))
}

/// The file now at `target` (already resolved), if any, after checking that a
/// save may replace it and its backup: refused for a folder or device, a
/// read-only file, another user's file in a sticky shared folder, or a backup
/// path that is a folder. `requested` is the path as the caller gave it.
pub(super) fn inspect(requested: &Path, target: &Path, keeps_backup: bool) -> Result<Option<Metadata>, SaveError> {
    let existing = match std::fs::symlink_metadata(target) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(SaveError::failed(requested, in_words(&error))),
    };
    refuse_unless_regular(&existing).map_err(|why| SaveError::refused(requested, why))?;
    let folder =
        std::fs::metadata(folder_of(target)).map_err(|error| SaveError::failed(requested, in_words(&error)))?;
    if existing.permissions().readonly() || !writable(target) {
        return Err(SaveError::refused(
            requested,
            "it is read-only (there is no permission to change it); save it under another name",
        ));
    }
    if !may_replace_in(&folder, &existing) {
        return Err(SaveError::refused(
            requested,
            "it belongs to another user, and this shared folder (sticky bit) lets only a file's owner replace it; save it under another name",
        ));
    }
    if keeps_backup {
        check_backup(requested, target, &folder)?;
    }
    Ok(Some(existing))
}

/// A `.bak` that exists must be a file (or a symlink) this user may replace.
fn check_backup(requested: &Path, target: &Path, folder: &Metadata) -> Result<(), SaveError> {
    let backup = backup_path(target);
    let Ok(metadata) = std::fs::symlink_metadata(&backup) else {
        return Ok(());
    };
    let kind = metadata.file_type();
    if kind.is_dir() {
        return Err(SaveError::refused(
            requested,
            format!(
                "its backup {} is a folder, not a file; move or rename that folder to save here",
                backup.display()
            ),
        ));
    }
    if !kind.is_file() && !kind.is_symlink() {
        return Err(SaveError::refused(
            requested,
            format!("its backup {} is not a regular file", backup.display()),
        ));
    }
    if !may_replace_in(folder, &metadata) {
        return Err(SaveError::refused(
            requested,
            format!(
                "its backup {} belongs to another user in this shared folder (sticky bit); save it under another name",
                backup.display()
            ),
        ));
    }
    Ok(())
}

/// Whether this process may write the file (by its effective user and groups).
fn writable(path: &Path) -> bool {
    rustix::fs::accessat(rustix::fs::CWD, path, Access::WRITE_OK, AtFlags::EACCESS).is_ok()
}

/// Whether a rename may replace `file` in `folder`: a sticky folder lets only
/// the file's owner, the folder's owner or root do it.
fn may_replace_in(folder: &Metadata, file: &Metadata) -> bool {
    let user = rustix::process::geteuid().as_raw();
    folder.mode() & STICKY == 0 || user == 0 || file.uid() == user || folder.uid() == user
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_chain_resolves_to_its_final_file_relative_to_each_link() {
        let folder = tempfile::tempdir().unwrap();
        let real = folder.path().join("data/real.ron");
        std::fs::create_dir(folder.path().join("data")).unwrap();
        std::fs::write(&real, b"x").unwrap();
        std::os::unix::fs::symlink("data/real.ron", folder.path().join("one")).unwrap();
        std::os::unix::fs::symlink("one", folder.path().join("two")).unwrap();
        let resolved = resolve(&folder.path().join("two")).unwrap();
        assert_eq!(resolved.canonicalize().unwrap(), real.canonicalize().unwrap());
        std::os::unix::fs::symlink("loop", folder.path().join("loop")).unwrap();
        let error = resolve(&folder.path().join("loop")).unwrap_err();
        assert!(error.to_string().contains("too many symbolic links"), "{error}");
    }

    #[test]
    fn a_backup_that_is_a_folder_is_named_as_the_backup() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("p.ron");
        std::fs::write(&target, b"x").unwrap();
        std::fs::create_dir(folder.path().join("p.ron.bak")).unwrap();
        let error = inspect(&target, &target, true).unwrap_err().to_string();
        assert!(error.contains("its backup"), "{error}");
        assert!(error.contains("p.ron.bak is a folder"), "{error}");
    }
}
