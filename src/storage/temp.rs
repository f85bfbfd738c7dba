//! Temp files beside a save's target. Their names are short (a target with a
//! 255-byte name still saves) and tie them to their target:
//! `.{start of the name}~{hash of the name}.{pid}-{n}.tmp`. Their writer holds
//! a lock on each while it works, so a later save of the same target removes
//! the ones whose writer is gone (killed mid-save) and leaves a live one alone.

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::lock::is_held;
use super::target::folder_of;

/// How many characters of the target's name a temp name repeats, for people looking at the folder.
const NAME_START_CHARS: usize = 16;
const SUFFIX: &str = ".tmp";

/// A new file beside a target, locked by this process until dropped.
pub(super) struct TempFile {
    pub path: PathBuf,
    pub file: File,
}

/// The start of every temp name of `target`: `.{start of name}~{8 hex digits}`.
fn family(target: &Path) -> String {
    let name = target.file_name().unwrap_or_default();
    let start: String = name
        .to_string_lossy()
        .chars()
        .take(NAME_START_CHARS)
        .map(|c| if c.is_control() || c == '/' { '_' } else { c })
        .collect();
    let digest = Sha256::digest(name.as_bytes());
    format!(
        ".{start}~{:02x}{:02x}{:02x}{:02x}",
        digest[0], digest[1], digest[2], digest[3]
    )
}

/// A name beside `target` that no file has yet.
fn fresh_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = format!("{}.{}-{n}{SUFFIX}", family(target), std::process::id());
    target.with_file_name(name)
}

/// Creates a new, locked temp file beside `target` with permission bits `mode`
/// (the umask applies). Never opens an existing file.
pub(super) fn create(target: &Path, mode: u32) -> std::io::Result<TempFile> {
    loop {
        let path = fresh_path(target);
        match OpenOptions::new().write(true).create_new(true).mode(mode).open(&path) {
            Ok(file) => {
                // Ignored where the file system has no locks: see `lock`.
                let _ = file.try_lock();
                return Ok(TempFile { path, file });
            }
            // A name left by an earlier process with the same pid: take the next.
            Err(error) if error.kind() == ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
    }
}

/// A second name for the file at `target` (a hard link), to keep or restore it
/// by renames alone; an error where the file system or its rules forbid the link.
pub(super) fn link(target: &Path) -> std::io::Result<PathBuf> {
    loop {
        let path = fresh_path(target);
        match std::fs::hard_link(target, &path) {
            Ok(()) => return Ok(path),
            Err(error) if error.kind() == ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
    }
}

/// Whether `name` is a temp name of `target`.
fn is_temp_of(target: &Path, name: &OsStr) -> bool {
    let family = family(target);
    let name = name.as_bytes();
    name.len() > family.len()
        && name.starts_with(family.as_bytes())
        && name[family.len()] == b'.'
        && name.ends_with(SUFFIX.as_bytes())
}

/// Removes temp files of `target` whose writer is gone. Call only while
/// holding the folder's lock (no save of ours is then between steps). Best
/// effort: a temp that cannot be removed (another user's, in a shared
/// folder) is left for its owner.
pub(super) fn remove_stale(target: &Path) {
    let Ok(entries) = std::fs::read_dir(folder_of(target)) else {
        return;
    };
    for entry in entries.flatten() {
        let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
        if is_file && is_temp_of(target, &entry.file_name()) && !is_held(&entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_short_and_tied_to_their_target() {
        let folder = Path::new("/f");
        let long = folder.join("é".repeat(120) + ".ron");
        let temp = fresh_path(&long);
        assert!(temp.file_name().unwrap().len() < 60, "{temp:?}");
        assert!(is_temp_of(&long, temp.file_name().unwrap()));
        assert!(!is_temp_of(&folder.join("other.ron"), temp.file_name().unwrap()));
        assert!(!is_temp_of(&long, long.file_name().unwrap()));
    }

    #[test]
    fn stale_temps_go_and_a_live_writers_temp_stays() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("p.ron");
        let live = create(&target, 0o600).unwrap();
        let dead = create(&target, 0o600).unwrap();
        let dead_path = dead.path.clone();
        drop(dead);
        let unrelated = folder.path().join("keep.tmp");
        std::fs::write(&unrelated, b"x").unwrap();
        remove_stale(&target);
        assert!(live.path.exists(), "a writer at work keeps its temp");
        assert!(!dead_path.exists(), "a temp whose writer is gone is removed");
        assert!(unrelated.exists());
    }
}
