//! Advisory locks (`flock`, through `std::fs::File::lock`): one on the folder
//! while a save changes files in it, so saves of one path by several
//! processes or windows take turns; and the question whether the writer of a
//! temp or recovery file is still alive (it holds a lock on it until it ends).
//!
//! The folder itself is locked, so no lock file is ever left behind.

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use super::read::open_nonblocking;

/// How long a save waits for another save in the same folder to finish.
const WAIT: Duration = Duration::from_secs(30);

/// The lock on a folder during a save, and the folder's handle for flushing it.
pub(super) struct FolderLock {
    folder: File,
    /// False where the file system has no locks: the save goes ahead without.
    locked: bool,
}

/// Why a folder could not be prepared for a save.
pub(super) enum FolderLockError {
    Open(std::io::Error),
    Busy,
}

impl FolderLock {
    /// Opens `folder` and takes its lock, waiting for other saves there. On a
    /// file system without locks the save goes ahead unlocked: the rename
    /// scheme alone still never leaves an empty or half file.
    pub(super) fn acquire(folder: &Path) -> Result<Self, FolderLockError> {
        let handle = File::open(folder).map_err(FolderLockError::Open)?;
        let started = Instant::now();
        loop {
            match handle.try_lock() {
                Ok(()) => {
                    return Ok(Self {
                        folder: handle,
                        locked: true,
                    });
                }
                Err(TryLockError::Error(_)) => {
                    return Ok(Self {
                        folder: handle,
                        locked: false,
                    });
                }
                Err(TryLockError::WouldBlock) if started.elapsed() < WAIT => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(TryLockError::WouldBlock) => return Err(FolderLockError::Busy),
            }
        }
    }

    /// Whether this save holds the folder's lock (so no other save is between steps there).
    pub(super) fn is_locked(&self) -> bool {
        self.locked
    }

    /// Flushes the folder's entries (renames, new names) to disk.
    pub(super) fn sync(&self) -> std::io::Result<()> {
        #[cfg(test)]
        if FAIL_SYNC.get() {
            return Err(std::io::Error::from_raw_os_error(rustix::io::Errno::IO.raw_os_error()));
        }
        self.folder.sync_all()
    }
}

#[cfg(test)]
thread_local! {
    /// Makes flushing a folder fail, so tests see the error reach the caller.
    pub(super) static FAIL_SYNC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a live process holds a lock on the file at `path`: its writer is
/// still at work. When that cannot be told (the file cannot be opened, the
/// file system has no locks) it counts as held, and is left alone.
pub(super) fn is_held(path: &Path) -> bool {
    match open_nonblocking(path) {
        Ok(file) => file.try_lock().is_err(),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_folder_lock_makes_the_next_wait_and_a_held_file_is_seen() {
        let folder = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(folder.path()).ok().unwrap();
        let waiting = {
            let path = folder.path().to_path_buf();
            std::thread::spawn(move || {
                let started = Instant::now();
                let _second = FolderLock::acquire(&path).ok().unwrap();
                started.elapsed()
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        drop(first);
        assert!(waiting.join().unwrap() >= Duration::from_millis(40));

        let path = folder.path().join("f");
        let file = File::create(&path).unwrap();
        assert!(!is_held(&path));
        file.lock().unwrap();
        assert!(is_held(&path));
        drop(file);
        assert!(!is_held(&path));
    }
}
