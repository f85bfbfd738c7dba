//! Atomic saves of one or several files: every file is written to a temp
//! beside its target and flushed first; only then are the targets replaced
//! by renames, and if one rename fails the ones before it get their old file
//! back. See the module documentation of [`super`] for the steps.

use std::collections::BTreeSet;
use std::fs::{File, Metadata};
use std::io::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::disk_state::{DiskState, Expect, sha256_hex};
use super::error::{Conflict, ConflictKind, SaveError, in_words};
use super::lock::{FolderLock, FolderLockError};
use super::read::{open_nonblocking, read};
use super::target::{backup_path, folder_of, inspect, resolve};
use super::temp::{self, TempFile};

/// One file of a save: where, what, and what the caller last saw there.
#[derive(Clone, Debug)]
pub struct Write<'a> {
    pub path: &'a Path,
    pub bytes: &'a [u8],
    pub expect: Expect,
}

/// Whether a save keeps the file it replaces as `NAME.bak`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backup {
    Keep,
    /// For the program's own files (recovery, settings).
    Skip,
}

/// What a save did to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The path as the caller gave it.
    pub path: PathBuf,
    /// The file written: the path itself, or the end of its symlinks.
    pub target: PathBuf,
    /// The file as it is now, for the next save to expect ([`Expect::Seen`]).
    pub state: DiskState,
    /// False when the file already held exactly these bytes and was left untouched.
    pub written: bool,
    /// What went wrong keeping the backup; the save itself succeeded.
    pub warnings: Vec<String>,
}

/// Saves `bytes` to `path` atomically, keeping the file it replaces as
/// `NAME.bak`, unless the file there is not what `expect` says.
pub fn save(path: &Path, bytes: &[u8], expect: &Expect) -> Result<Saved, SaveError> {
    let write = Write {
        path,
        bytes,
        expect: expect.clone(),
    };
    let mut saved = save_all(&[write], Backup::Keep)?;
    saved.pop().ok_or_else(|| SaveError::failed(path, "nothing was saved"))
}

/// Saves one of the program's own settings files (recent files, preferences):
/// atomically, with its folder made first, whatever was there replaced and no
/// backup kept. A failure only loses the setting, never work, so callers may
/// ignore it.
pub fn save_setting(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|error| SaveError::failed(folder, super::in_words(&error)))?;
    }
    let write = Write {
        path,
        bytes,
        expect: Expect::Anything,
    };
    save_all(&[write], Backup::Skip).map(drop)
}

/// Saves several files all or none: if any is refused or fails, every target
/// is left as it was.
pub fn save_all(writes: &[Write<'_>], backup: Backup) -> Result<Vec<Saved>, SaveError> {
    Ok(save_all_locked(writes, backup)?
        .into_iter()
        .map(|(saved, _)| saved)
        .collect())
}

/// A file to replace, checked and judged, before anything is written.
struct Plan<'a> {
    write: &'a Write<'a>,
    target: PathBuf,
    existing: Option<Metadata>,
    sha256: String,
    /// The file already holds these bytes: its state, and nothing to do.
    identical: Option<DiskState>,
}

/// A plan whose new file is written and flushed beside its target, with the
/// old file (if any) under a second name, ready to be renamed into place.
struct Prepared<'a> {
    plan: Plan<'a>,
    new: Option<TempFile>,
    /// The new file has been renamed over the target.
    renamed: bool,
    old: Option<PathBuf>,
    state: Option<DiskState>,
}

impl Drop for Prepared<'_> {
    /// Whatever was not renamed into place is removed.
    fn drop(&mut self) {
        if let Some(new) = &self.new
            && !self.renamed
        {
            let _ = std::fs::remove_file(&new.path);
        }
        if let Some(old) = self.old.take() {
            let _ = std::fs::remove_file(old);
        }
    }
}

/// [`save_all`], handing back each written file still open and locked, so a
/// recovery writer can keep holding the lock on what it wrote.
pub(super) fn save_all_locked(writes: &[Write<'_>], backup: Backup) -> Result<Vec<(Saved, Option<File>)>, SaveError> {
    let targets = writes
        .iter()
        .map(|write| resolve(write.path))
        .collect::<Result<Vec<_>, _>>()?;
    refuse_duplicates(writes, &targets)?;
    let locks = lock_folders(writes, &targets)?;
    // Only under the folder's lock is no other save of ours between its steps there.
    if locks.iter().all(|(lock, _)| lock.is_locked()) {
        for target in &targets {
            temp::remove_stale(target);
        }
    }
    let plans = plan(writes, targets, backup)?;
    let keep_old = backup == Backup::Keep || plans.len() > 1;
    let mut prepared = Vec::with_capacity(plans.len());
    for plan in plans {
        prepared.push(prepare(plan, keep_old)?);
    }
    commit(&mut prepared)?;
    let warnings = settle_old_files(&mut prepared, backup);
    let mut results = Vec::with_capacity(prepared.len());
    for (mut item, warnings) in prepared.into_iter().zip(warnings) {
        let written = item.plan.identical.is_none();
        let Some(state) = item.state.take().or_else(|| item.plan.identical.take()) else {
            return Err(SaveError::failed(
                item.plan.write.path,
                "the saved file could not be checked",
            ));
        };
        let saved = Saved {
            path: item.plan.write.path.to_path_buf(),
            target: item.plan.target.clone(),
            state,
            written,
            warnings,
        };
        // Renamed into place: the temp name is gone, the handle keeps the lock.
        let file = item.new.take().map(|temp| temp.file);
        results.push((saved, file));
    }
    let Some(first_written) = results.iter().find(|(saved, _)| saved.written) else {
        return Ok(results);
    };
    let path = first_written.0.path.clone();
    for (lock, folder) in locks {
        if let Err(error) = lock.sync() {
            return Err(SaveError::NotConfirmed {
                path,
                reason: format!(
                    "its folder {} could not be flushed to disk ({})",
                    folder.display(),
                    in_words(&error)
                ),
                saved: results.into_iter().map(|(saved, _)| saved).collect(),
            });
        }
    }
    Ok(results)
}

fn refuse_duplicates(writes: &[Write<'_>], targets: &[PathBuf]) -> Result<(), SaveError> {
    let mut seen = BTreeSet::new();
    for (write, target) in writes.iter().zip(targets) {
        if !seen.insert(target) {
            return Err(SaveError::failed(
                write.path,
                "the same file would be written twice in one save",
            ));
        }
    }
    Ok(())
}

/// Locks every folder written to, in a fixed order so two saves never wait on each other.
fn lock_folders(writes: &[Write<'_>], targets: &[PathBuf]) -> Result<Vec<(FolderLock, PathBuf)>, SaveError> {
    let folders: BTreeSet<PathBuf> = targets.iter().map(|target| folder_of(target)).collect();
    let mut locks = Vec::with_capacity(folders.len());
    for folder in folders {
        let shown = writes
            .iter()
            .zip(targets)
            .find(|(_, target)| folder_of(target) == folder)
            .map_or(folder.as_path(), |(write, _)| write.path);
        let lock = FolderLock::acquire(&folder).map_err(|error| match error {
            FolderLockError::Open(error) => {
                SaveError::failed(shown, format!("its folder {}: {}", folder.display(), in_words(&error)))
            }
            FolderLockError::Busy => SaveError::failed(
                shown,
                "another save into the same folder has not finished for 30 seconds; try again",
            ),
        })?;
        locks.push((lock, folder));
    }
    Ok(locks)
}

/// Checks every target and compares it with what its caller expected.
fn plan<'a>(writes: &'a [Write<'a>], targets: Vec<PathBuf>, backup: Backup) -> Result<Vec<Plan<'a>>, SaveError> {
    let mut plans = Vec::with_capacity(writes.len());
    let mut conflicts = Vec::new();
    for (write, target) in writes.iter().zip(targets) {
        let existing = inspect(write.path, &target, backup == Backup::Keep)?;
        let sha256 = sha256_hex(write.bytes);
        let mut plan = Plan {
            write,
            target,
            existing,
            sha256,
            identical: None,
        };
        match judge(&plan)? {
            Verdict::Replace => {}
            Verdict::Identical(state) => plan.identical = Some(state),
            Verdict::Conflict(conflict) => conflicts.push(conflict),
        }
        plans.push(plan);
    }
    if conflicts.is_empty() {
        Ok(plans)
    } else {
        Err(SaveError::Conflict(conflicts))
    }
}

enum Verdict {
    Replace,
    Identical(DiskState),
    Conflict(Conflict),
}

/// Whether the file at a plan's target may be replaced, is already what would
/// be written, or is not what the caller expected.
fn judge(plan: &Plan<'_>) -> Result<Verdict, SaveError> {
    let Some(metadata) = &plan.existing else {
        return Ok(Verdict::Replace);
    };
    let write = plan.write;
    let new_len = write.bytes.len() as u64;
    if let Expect::Seen(seen) = &write.expect
        && seen.is_untouched(metadata)
    {
        return Ok(if seen.len == new_len && seen.sha256 == plan.sha256 {
            Verdict::Identical(seen.clone())
        } else {
            Verdict::Replace
        });
    }
    if write.expect == Expect::Anything && metadata.len() != new_len {
        return Ok(Verdict::Replace);
    }
    let current = read(&plan.target)
        .map_err(|error| SaveError::failed(write.path, error.reason))?
        .state;
    if current.len == new_len && current.sha256 == plan.sha256 {
        return Ok(Verdict::Identical(current));
    }
    let kind = match &write.expect {
        Expect::Anything => return Ok(Verdict::Replace),
        Expect::Seen(seen) if seen.same_bytes(&current) => return Ok(Verdict::Replace),
        Expect::Seen(_) => ConflictKind::ChangedSinceSeen,
        Expect::Absent => ConflictKind::Exists,
    };
    Ok(Verdict::Conflict(Conflict {
        path: write.path.to_path_buf(),
        kind,
        found: current,
    }))
}

/// Writes the new file beside the target and flushes it; gives the old file a
/// second name (for the backup, and to restore it if a later rename fails).
fn prepare(plan: Plan<'_>, keep_old: bool) -> Result<Prepared<'_>, SaveError> {
    let mut prepared = Prepared {
        plan,
        new: None,
        renamed: false,
        old: None,
        state: None,
    };
    if prepared.plan.identical.is_some() {
        return Ok(prepared);
    }
    let new = temp_for(&prepared.plan)?;
    prepared.new = Some(new);
    let plan = &prepared.plan;
    let path = plan.write.path;
    if let Some(new) = &prepared.new {
        prepared.state = Some(write_new(plan, &new.file)?);
    }
    if keep_old && plan.existing.is_some() {
        let old = second_name(&plan.target)
            .map_err(|reason| SaveError::failed(path, format!("the previous version could not be kept ({reason})")))?;
        prepared.old = Some(old);
    }
    Ok(prepared)
}

/// A new temp beside the plan's target. A new file gets the usual permissions
/// (0666 less the umask); a replacement starts private and then takes the old file's.
fn temp_for(plan: &Plan<'_>) -> Result<TempFile, SaveError> {
    let mode = if plan.existing.is_some() { 0o600 } else { 0o666 };
    temp::create(&plan.target, mode).map_err(|error| {
        SaveError::failed(
            plan.write.path,
            format!(
                "no new file can be made in its folder {} ({})",
                folder_of(&plan.target).display(),
                in_words(&error)
            ),
        )
    })
}

/// Writes the plan's bytes into `file` with the old file's owner and mode, flushed to disk.
fn write_new(plan: &Plan<'_>, mut file: &File) -> Result<DiskState, SaveError> {
    let path = plan.write.path;
    file.write_all(plan.write.bytes)
        .map_err(|error| SaveError::failed(path, in_words(&error)))?;
    if let Some(existing) = &plan.existing {
        keep_owner(file, existing);
        file.set_permissions(std::fs::Permissions::from_mode(existing.mode() & 0o7777))
            .map_err(|error| {
                SaveError::failed(
                    path,
                    format!("its permissions could not be kept ({})", in_words(&error)),
                )
            })?;
    }
    file.sync_all().map_err(|error| {
        SaveError::failed(
            path,
            format!("the disk did not confirm the write ({})", in_words(&error)),
        )
    })?;
    let metadata = file
        .metadata()
        .map_err(|error| SaveError::failed(path, in_words(&error)))?;
    Ok(DiskState::with_hash(&metadata, plan.sha256.clone()))
}

/// The owner and group of the old file, where this process may give them
/// (root may; a member of the file's group may keep the group).
fn keep_owner(file: &File, existing: &Metadata) {
    if std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(existing.gid()));
    }
}

/// A second name for the file at `target`, flushed to disk: a hard link, or,
/// where links are not allowed, a copy made into a new file (the target is
/// only ever opened for reading).
fn second_name(target: &Path) -> Result<PathBuf, String> {
    let (path, file) = match temp::link(target) {
        Ok(link) => {
            let file = open_nonblocking(&link).map_err(|error| {
                let _ = std::fs::remove_file(&link);
                in_words(&error)
            })?;
            (link, file)
        }
        Err(_) => copy_of(target)?,
    };
    if let Err(error) = file.sync_all() {
        let _ = std::fs::remove_file(&path);
        return Err(format!("the disk did not confirm it: {}", in_words(&error)));
    }
    Ok(path)
}

fn copy_of(target: &Path) -> Result<(PathBuf, File), String> {
    let mut source = open_nonblocking(target).map_err(|error| in_words(&error))?;
    let metadata = source.metadata().map_err(|error| in_words(&error))?;
    let copy = temp::create(target, 0o600).map_err(|error| in_words(&error))?;
    let copied = std::io::copy(&mut source, &mut &copy.file).and_then(|_| {
        keep_owner(&copy.file, &metadata);
        copy.file
            .set_permissions(std::fs::Permissions::from_mode(metadata.mode() & 0o7777))
    });
    match copied {
        Ok(()) => Ok((copy.path, copy.file)),
        Err(error) => {
            let _ = std::fs::remove_file(&copy.path);
            Err(in_words(&error))
        }
    }
}

/// Renames every new file over its target. If one fails, the targets already
/// replaced get their old file back (or are removed, if there was none).
fn commit(prepared: &mut [Prepared<'_>]) -> Result<(), SaveError> {
    for index in 0..prepared.len() {
        let item = &prepared[index];
        let Some(new) = &item.new else { continue };
        if let Err(error) = rename_into_place(&new.path, &item.plan.target) {
            let path = item.plan.write.path;
            let mut reason = in_words(&error);
            for done in prepared[..index].iter_mut().rev() {
                if let Err(problem) = restore(done) {
                    reason.push_str("; ");
                    reason.push_str(&problem);
                }
            }
            return Err(SaveError::failed(path, reason));
        }
        prepared[index].renamed = true;
    }
    Ok(())
}

#[cfg(test)]
thread_local! {
    /// A target whose rename fails, so tests can see the targets before it restored.
    pub(super) static FAIL_RENAME_ONTO: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

fn rename_into_place(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(test)]
    if FAIL_RENAME_ONTO.with_borrow(|fail| fail.as_deref() == Some(to)) {
        return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
    }
    std::fs::rename(from, to)
}

/// Puts a replaced target's old file back after a later file failed.
fn restore(done: &mut Prepared<'_>) -> Result<(), String> {
    if !done.renamed {
        return Ok(());
    }
    done.renamed = false;
    done.new = None;
    let target = &done.plan.target;
    match done.old.take() {
        Some(old) => std::fs::rename(&old, target).map_err(|error| {
            // The old name is left on purpose: it is the only copy of the previous version.
            format!(
                "{} could not be put back ({}); its previous version is in {}",
                target.display(),
                in_words(&error),
                old.display()
            )
        }),
        None => std::fs::remove_file(target).map_err(|error| {
            format!(
                "the new {} could not be removed again ({})",
                target.display(),
                in_words(&error)
            )
        }),
    }
}

/// After every rename succeeded: the old files become `NAME.bak` (or go, when
/// no backup is kept). Returns each file's warnings.
fn settle_old_files(prepared: &mut [Prepared<'_>], backup: Backup) -> Vec<Vec<String>> {
    prepared
        .iter_mut()
        .map(|item| {
            let Some(old) = item.old.take() else {
                return Vec::new();
            };
            if backup == Backup::Skip {
                let _ = std::fs::remove_file(&old);
                return Vec::new();
            }
            let backup = backup_path(&item.plan.target);
            let renamed = std::fs::rename(&old, &backup);
            // Renaming a name onto another name of the same file does nothing: drop the extra name.
            let _ = std::fs::remove_file(&old);
            match renamed {
                Ok(()) => Vec::new(),
                Err(error) => vec![format!(
                    "the previous version could not be kept as {} ({})",
                    backup.display(),
                    in_words(&error)
                )],
            }
        })
        .collect()
}
