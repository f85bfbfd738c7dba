//! Files on disk, kept safe: reading a whole regular file exactly, and saves
//! that never empty, cut short or silently overwrite one.
//!
//! Owns: reading ([`read`]), what a file was when last seen ([`DiskState`],
//! [`Expect`]), atomic saves with a `.bak` beside ([`save`], [`save_all`]),
//! the advisory folder lock and temp files that a later save cleans up when
//! their writer is gone, which existing files a write may replace
//! ([`Overwrite`]), recovery files of unsaved work ([`recovery`]), and I/O
//! errors in plain words ([`in_words`]).
//!
//! Never does: parsing or formats (it moves bytes), anything with a window
//! (a save is a plain function a background thread can call: path, bytes and
//! what was last seen on disk in, [`Saved`] or [`SaveError`] out).
//!
//! A save, on one or several files:
//! 1. follows a symlinked target to its final file (the link stays a link);
//! 2. locks the target's folder (`flock` on the folder itself, so no lock
//!    file is left behind) and removes stale temp files of the same target
//!    whose writer is gone;
//! 3. refuses a target that is not a regular file, is read-only, belongs to
//!    another user in a sticky shared folder, or whose `.bak` is a folder;
//!    refuses one that changed since it was last seen ([`Expect`]); leaves
//!    one that already holds exactly these bytes untouched;
//! 4. writes every file to a new, locked temp beside its target (mode, owner
//!    and group of the old file) and flushes it to disk;
//! 5. links the old file to a temp name, renames the new file over the
//!    target, then renames the link over `NAME.bak` (the old file is never
//!    opened for writing); on failure, every target gets its old file back;
//! 6. flushes the folder, reporting any error.
//!
//! Storage assumes a Unix file system (Linux, macOS).

mod disk_state;
mod error;
mod lock;
mod overwrite;
mod read;
pub mod recovery;
mod save;
mod target;
mod temp;
#[cfg(test)]
mod tests;

pub use disk_state::{DiskState, Expect};
pub use error::{Conflict, ConflictKind, ReadError, SaveError, in_words};
pub use overwrite::Overwrite;
pub use read::{ReadFile, read, read_bytes, read_unhashed};
pub use save::{Backup, Saved, Write, save, save_all, save_setting};
pub use target::backup_path;
