//! What a file was when the program last read or wrote it, so a later save can
//! tell whether someone else changed it in between.

use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A file as last seen: which file it was (device and inode), its size and
/// modification time, and a hash of its bytes.
///
/// Size and time tell cheaply that nothing changed; the hash tells whether a
/// file whose time changed (touched, or replaced by the same bytes) still
/// holds what was seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskState {
    pub device: u64,
    pub inode: u64,
    pub len: u64,
    /// Modification time: seconds and nanoseconds since the Unix epoch.
    pub modified: (i64, i64),
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
}

impl DiskState {
    /// The state of a file with `metadata` that holds `bytes`.
    #[must_use]
    pub fn new(metadata: &Metadata, bytes: &[u8]) -> Self {
        Self::with_hash(metadata, sha256_hex(bytes))
    }

    pub(super) fn with_hash(metadata: &Metadata, sha256: String) -> Self {
        Self {
            device: metadata.dev(),
            inode: metadata.ino(),
            len: metadata.len(),
            modified: (metadata.mtime(), metadata.mtime_nsec()),
            sha256,
        }
    }

    /// Whether `metadata` is this very file, untouched (without reading it).
    #[must_use]
    pub fn is_untouched(&self, metadata: &Metadata) -> bool {
        self.device == metadata.dev()
            && self.inode == metadata.ino()
            && self.len == metadata.len()
            && self.modified == (metadata.mtime(), metadata.mtime_nsec())
    }

    /// Whether this file held the same bytes as `other`.
    #[must_use]
    pub fn same_bytes(&self, other: &DiskState) -> bool {
        self.len == other.len && self.sha256 == other.sha256
    }
}

/// What the caller last saw at the path it is about to write: a save refuses
/// to replace a file that is not what was expected (see [`super::Conflict`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Replace whatever is there: the user confirmed, or passed `--force`.
    Anything,
    /// No file, or one that already holds exactly the bytes being written
    /// (a new export, a new project, a Save As).
    Absent,
    /// The file as it was read or last saved here.
    Seen(DiskState),
}

/// Hex SHA-256 of `bytes`.
#[must_use]
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_touched_file_is_not_untouched_but_holds_the_same_bytes() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("f");
        std::fs::write(&path, b"same").unwrap();
        let seen = DiskState::new(&std::fs::metadata(&path).unwrap(), b"same");
        assert!(seen.is_untouched(&std::fs::metadata(&path).unwrap()));
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(std::time::SystemTime::UNIX_EPOCH).unwrap();
        let now = std::fs::metadata(&path).unwrap();
        assert!(!seen.is_untouched(&now));
        assert!(seen.same_bytes(&DiskState::new(&now, b"same")));
        assert!(!seen.same_bytes(&DiskState::new(&now, b"other")));
    }
}
