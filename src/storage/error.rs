//! What can go wrong reading and saving, said in words a person can act on.

use std::fmt;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::disk_state::DiskState;
use super::save::Saved;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("could not read {path}: {reason}")]
pub struct ReadError {
    pub path: String,
    pub reason: String,
}

impl ReadError {
    pub(super) fn new(path: &Path, reason: impl Into<String>) -> Self {
        Self {
            path: path.display().to_string(),
            reason: reason.into(),
        }
    }
}

/// How a file that a save would replace differs from what the caller expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictKind {
    /// It changed since it was opened or last saved (another window or program wrote it).
    ChangedSinceSeen,
    /// It exists and holds other bytes than the ones being written.
    Exists,
}

/// A file a save will not replace without being told to: see [`super::Overwrite`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The path as the caller gave it.
    pub path: PathBuf,
    pub kind: ConflictKind,
    /// The file as it is now; replacing exactly this is what a user confirms.
    pub found: DiskState,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ConflictKind::ChangedSinceSeen => write!(
                f,
                "{} has changed on disk since it was opened or last saved here",
                self.path.display()
            ),
            ConflictKind::Exists => write!(
                f,
                "{} already exists and differs from what would be written",
                self.path.display()
            ),
        }
    }
}

/// Why a save did not happen. Unless it is [`SaveError::NotConfirmed`], every
/// target is exactly as it was before the save began.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Files that exist and would be replaced without the user's say-so.
    #[error("{}", list(.0))]
    Conflict(Vec<Conflict>),
    /// The target may not be replaced by this user; saving elsewhere works.
    #[error("could not save {path}: {reason}")]
    Refused { path: PathBuf, reason: String },
    /// Reading, writing or renaming failed.
    #[error("could not save {path}: {reason}")]
    Failed { path: PathBuf, reason: String },
    /// Every file was written and renamed into place, but the disk did not
    /// confirm that the change is durable; saving again is the safe answer.
    #[error("{path} was written, but {reason}; save again to be sure it is kept")]
    NotConfirmed {
        path: PathBuf,
        reason: String,
        saved: Vec<Saved>,
    },
}

impl SaveError {
    pub(super) fn failed(path: &Path, reason: impl Into<String>) -> Self {
        SaveError::Failed {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    pub(super) fn refused(path: &Path, reason: impl Into<String>) -> Self {
        SaveError::Refused {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

fn list(conflicts: &[Conflict]) -> String {
    conflicts.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// Plain words for an I/O error: what happened, never "(os error 20)".
#[must_use]
pub fn in_words(error: &std::io::Error) -> String {
    let words = match error.kind() {
        ErrorKind::NotFound => "the file or its folder does not exist",
        ErrorKind::PermissionDenied => {
            "permission denied (the file or folder may be read-only, or belong to another user)"
        }
        ErrorKind::StorageFull => "the disk is full",
        ErrorKind::QuotaExceeded => "the disk quota is used up",
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only",
        ErrorKind::IsADirectory => "it is a folder, not a file",
        ErrorKind::NotADirectory => "a part of the path is a file, not a folder",
        ErrorKind::DirectoryNotEmpty => "the folder is not empty",
        ErrorKind::AlreadyExists => "a file of that name already exists",
        ErrorKind::InvalidFilename => "the file name is too long or not allowed here",
        ErrorKind::FileTooLarge => "the file is too large for this disk",
        ErrorKind::CrossesDevices => "the two places are on different disks",
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => "the file is in use by another program",
        ErrorKind::StaleNetworkFileHandle => "the network share went away (stale file handle)",
        ErrorKind::TooManyLinks => "there are too many links to the file",
        ErrorKind::TimedOut => "the disk or network did not answer in time",
        ErrorKind::Interrupted => "the operation was interrupted",
        ErrorKind::OutOfMemory => "there is not enough memory",
        ErrorKind::Unsupported => "this disk does not support the operation",
        ErrorKind::UnexpectedEof => "the file ended early",
        _ => return by_code(error),
    };
    words.to_owned()
}

/// Errors `ErrorKind` does not name yet, by their code; else the system's
/// wording without its "(os error N)" tail.
fn by_code(error: &std::io::Error) -> String {
    use rustix::io::Errno;
    let code = error.raw_os_error();
    let is = |errno: Errno| code == Some(errno.raw_os_error());
    if is(Errno::LOOP) {
        return "the path has too many symbolic links (perhaps a loop)".into();
    }
    if is(Errno::IO) {
        return "the disk reported a read or write error".into();
    }
    if is(Errno::NAMETOOLONG) {
        return "the file name is too long".into();
    }
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_lowercase(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_are_said_in_words_without_their_numbers() {
        let not_a_folder = std::io::Error::from_raw_os_error(20);
        assert_eq!(in_words(&not_a_folder), "a part of the path is a file, not a folder");
        let looped = std::io::Error::from_raw_os_error(rustix::io::Errno::LOOP.raw_os_error());
        assert!(in_words(&looped).contains("symbolic links"));
        let odd = std::io::Error::from_raw_os_error(rustix::io::Errno::NOEXEC.raw_os_error());
        let words = in_words(&odd);
        assert!(!words.contains("os error"), "{words}");
        assert!(!words.is_empty());
    }
}
