//! Recovery files: a window's unsaved work, one file per document, so that
//! after a crash it can be offered back — and never to or by another window
//! that is still running.
//!
//! - Each file is written atomically and holds its document's name and paths
//!   and the project's bytes, so the pair can never be torn apart.
//! - Its writer holds a lock on it for as long as the window runs; a file
//!   whose lock is free is a *leftover* (its window crashed or was killed).
//!   Only leftovers are read, offered, claimed or discarded: a window never
//!   reads, replaces or deletes a live window's file.
//! - File names are `{document key}.{session}.{n}.recovery`; the key (a hash
//!   of the document's path) lets a window see that another live window has
//!   unsaved work on the same document without reading its file.
//! - A leftover stays until the user discards it, or recovers it and then
//!   saves or discards that work.

use std::fs::{DirBuilder, File};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::disk_state::{DiskState, Expect, sha256_hex};
use super::error::{SaveError, in_words};
use super::lock::is_held;
use super::read::open_nonblocking;
use super::save::{Backup, Write, save_all_locked};

/// The first line of every recovery file.
const MAGIC: &str = "Counterpoint recovery 1";
const EXTENSION: &str = "recovery";
/// The longest header line read when listing (a path is far shorter).
const MAX_HEADER: u64 = 64 * 1024;
/// The one recovery slot of earlier versions: the project, and the path it belonged to.
const LEGACY_PROJECT: &str = "recovery.ron";
const LEGACY_PATH: &str = "recovery-path.txt";

/// Which document a recovery file holds work for, and what that window knew of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryDocument {
    /// Where Save writes the project; `None` for work not yet saved as a project.
    pub project_path: Option<PathBuf>,
    /// The document the work was opened or imported from.
    pub source: Option<PathBuf>,
    /// The name shown to the user.
    pub name: String,
    /// The project file as that window last read or saved it, so saving the
    /// recovered work still notices a change made on disk since.
    pub seen: Option<DiskState>,
}

impl RecoveryDocument {
    /// Whether this is the work of the document at `path` (its project, or
    /// the document unsaved work came from).
    #[must_use]
    pub fn is_for(&self, path: &Path) -> bool {
        let wanted = comparable(path);
        match (&self.project_path, &self.source) {
            (Some(project), _) => comparable(project) == wanted,
            (None, Some(source)) => comparable(source) == wanted,
            (None, None) => false,
        }
    }

    /// The file-name key: a hash of the path that identifies the document.
    fn key(&self) -> String {
        match (&self.project_path, &self.source) {
            (Some(project), _) => key_of(project),
            (None, Some(source)) => key_of(source),
            (None, None) => "untitled".to_owned(),
        }
    }
}

/// A path in the form two windows agree on (symlinks and `..` resolved where it exists).
fn comparable(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn key_of(path: &Path) -> String {
    let hash = sha256_hex(comparable(path).as_os_str().as_encoded_bytes());
    format!("d{}", &hash[..16])
}

/// Why a recovery file could not be used; it is left as it was.
#[derive(Debug, thiserror::Error)]
#[error("could not use the recovery file {file}: {reason}")]
pub struct RecoveryError {
    pub file: PathBuf,
    pub reason: String,
}

/// The folder of recovery files (in the user's data folder, or a test's).
#[derive(Clone, Debug)]
pub struct RecoveryFolder {
    folder: PathBuf,
}

/// A recovery file whose writer is gone: work that can be offered back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leftover {
    pub file: PathBuf,
    pub document: RecoveryDocument,
    /// When the work was last written.
    pub written: SystemTime,
}

/// A leftover taken by this window: locked, so no other window offers or
/// discards it while this one works on it.
#[derive(Debug)]
pub struct Claimed {
    held: Held,
    pub document: RecoveryDocument,
    /// The project file's bytes.
    pub project: Vec<u8>,
}

/// A recovery file and the lock that says its writer is alive.
#[derive(Debug)]
struct Held {
    path: PathBuf,
    _lock: File,
}

impl Held {
    /// Removes the file; the lock goes with it.
    fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl RecoveryFolder {
    /// The recovery files in `folder` (created, private to the user, on first write).
    #[must_use]
    pub fn new(folder: PathBuf) -> Self {
        Self { folder }
    }

    /// The folder.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.folder
    }

    /// A writer for one window's work.
    #[must_use]
    pub fn writer(&self) -> RecoveryWriter {
        RecoveryWriter {
            folder: self.folder.clone(),
            session: session_id(),
            count: 0,
            current: None,
            adopted: None,
        }
    }

    fn recovery_files(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.folder) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == EXTENSION))
            .collect()
    }

    /// Every leftover (writer gone), newest first. Files that cannot be read are skipped.
    #[must_use]
    pub fn leftovers(&self) -> Vec<Leftover> {
        self.convert_legacy();
        let mut found: Vec<Leftover> = self
            .recovery_files()
            .into_iter()
            .filter_map(|file| read_header(&file))
            .collect();
        found.sort_by_key(|leftover| std::cmp::Reverse(leftover.written));
        found
    }

    /// The leftovers of the document at `path`, newest first.
    #[must_use]
    pub fn leftovers_for(&self, path: &Path) -> Vec<Leftover> {
        let mut found = self.leftovers();
        found.retain(|leftover| leftover.document.is_for(path));
        found
    }

    /// Whether another running window has unsaved work on the document at
    /// `path` (seen from file names and locks, without reading its file).
    #[must_use]
    pub fn live_elsewhere(&self, path: &Path, own: Option<&RecoveryWriter>) -> bool {
        let key = key_of(path);
        let own_files: Vec<&PathBuf> = own
            .into_iter()
            .flat_map(|writer| writer.current.iter().chain(&writer.adopted))
            .map(|held| &held.path)
            .collect();
        self.recovery_files().iter().any(|file| {
            !own_files.contains(&file)
                && file
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with(&format!("{key}.")))
                && is_held(file)
        })
    }

    /// Takes a leftover to recover it: locks it and reads it.
    pub fn claim(&self, leftover: &Leftover) -> Result<Claimed, RecoveryError> {
        let fail = |reason: String| RecoveryError {
            file: leftover.file.clone(),
            reason,
        };
        let (lock, mut reader) = lock_leftover(&leftover.file).map_err(fail)?;
        let document = parse_header(&mut reader).ok_or_else(|| fail("it is not a recovery file".into()))?;
        let mut project = Vec::new();
        reader
            .read_to_end(&mut project)
            .map_err(|error| fail(in_words(&error)))?;
        Ok(Claimed {
            held: Held {
                path: leftover.file.clone(),
                _lock: lock,
            },
            document,
            project,
        })
    }

    /// Deletes a leftover the user no longer wants.
    pub fn discard(&self, leftover: &Leftover) -> Result<(), RecoveryError> {
        let (lock, _) = lock_leftover(&leftover.file).map_err(|reason| RecoveryError {
            file: leftover.file.clone(),
            reason,
        })?;
        std::fs::remove_file(&leftover.file).map_err(|error| RecoveryError {
            file: leftover.file.clone(),
            reason: in_words(&error),
        })?;
        drop(lock);
        Ok(())
    }
}

impl RecoveryFolder {
    /// Turns the single recovery file of earlier versions into a leftover, so
    /// work kept before an update stays reachable.
    fn convert_legacy(&self) {
        let legacy = self.folder.join(LEGACY_PROJECT);
        if !legacy.is_file() {
            return;
        }
        // Whoever renames it first converts it; another window finds it gone.
        let taken = self.folder.join(format!("legacy-{}.taken", session_id()));
        if std::fs::rename(&legacy, &taken).is_err() {
            return;
        }
        let path_file = self.folder.join(LEGACY_PATH);
        let project_path = std::fs::read_to_string(&path_file)
            .ok()
            .filter(|text| !text.is_empty())
            .map(PathBuf::from);
        let name = project_path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| "Untitled".to_owned(), |name| name.to_string_lossy().into_owned());
        let document = RecoveryDocument {
            project_path,
            source: None,
            name,
            seen: None,
        };
        let mut writer = self.writer();
        let converted = std::fs::read(&taken).map(|project| writer.write(&document, &project));
        if matches!(converted, Ok(Ok(()))) {
            // The writer lets go without removing it: it is a leftover now.
            writer.current = None;
            for old in [taken, path_file] {
                let _ = std::fs::remove_file(&old);
                let _ = std::fs::remove_file(super::backup_path(&old));
            }
        } else {
            let _ = std::fs::rename(&taken, &legacy);
        }
    }
}

/// Opens a leftover and takes its lock; refused if a window holds it.
fn lock_leftover(file: &Path) -> Result<(File, BufReader<File>), String> {
    let handle = open_nonblocking(file).map_err(|error| in_words(&error))?;
    match handle.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err("a running window is using it".into()),
        Err(std::fs::TryLockError::Error(error)) => return Err(in_words(&error)),
    }
    let reader = handle
        .try_clone()
        .map(BufReader::new)
        .map_err(|error| in_words(&error))?;
    Ok((handle, reader))
}

/// The leftover at `file`, if its writer is gone and it is a recovery file.
fn read_header(file: &Path) -> Option<Leftover> {
    let (lock, mut reader) = lock_leftover(file).ok()?;
    let document = parse_header(&mut reader)?;
    let written = lock.metadata().and_then(|m| m.modified()).ok()?;
    Some(Leftover {
        file: file.to_path_buf(),
        document,
        written,
    })
}

/// Reads the magic line and the document line.
fn parse_header(reader: &mut impl BufRead) -> Option<RecoveryDocument> {
    let line = |reader: &mut dyn BufRead| {
        let mut bytes = Vec::new();
        reader.take(MAX_HEADER).read_until(b'\n', &mut bytes).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(text.strip_suffix('\n')?.to_owned())
    };
    if line(reader)? != MAGIC {
        return None;
    }
    ron::from_str(&line(reader)?).ok()
}

/// An id for this window's files: never the same for two windows.
fn session_id() -> String {
    static WINDOWS: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    format!(
        "{:x}-{:x}-{}",
        std::process::id(),
        nanos,
        WINDOWS.fetch_add(1, Ordering::Relaxed)
    )
}

/// Writes one window's recovery file, replacing it each time; holds its lock
/// until the work is saved or discarded (or the window ends).
#[derive(Debug)]
pub struct RecoveryWriter {
    folder: PathBuf,
    session: String,
    count: u64,
    current: Option<Held>,
    /// A leftover this window recovered: removed once this window's own file replaces it.
    adopted: Option<Held>,
}

impl RecoveryWriter {
    /// Writes the work on `document` atomically, as one file naming it.
    pub fn write(&mut self, document: &RecoveryDocument, project: &[u8]) -> Result<(), SaveError> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.folder)
            .map_err(|error| SaveError::Failed {
                path: self.folder.clone(),
                reason: in_words(&error),
            })?;
        let header = ron::to_string(document)
            .or_else(|_| {
                // A path that is not UTF-8 cannot be written in RON: keep the name only.
                ron::to_string(&RecoveryDocument {
                    name: document.name.clone(),
                    ..RecoveryDocument::default()
                })
            })
            .map_err(|error| SaveError::Failed {
                path: self.folder.clone(),
                reason: error.to_string(),
            })?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + header.len() + project.len() + 2);
        for part in [MAGIC.as_bytes(), b"\n", header.as_bytes(), b"\n", project] {
            bytes.extend_from_slice(part);
        }
        let key = document.key();
        let path = match &self.current {
            Some(held) if file_key(&held.path) == Some(key.as_str()) => held.path.clone(),
            _ => {
                self.count += 1;
                self.folder
                    .join(format!("{key}.{}.{}.{EXTENSION}", self.session, self.count))
            }
        };
        let write = Write {
            path: &path,
            bytes: &bytes,
            expect: Expect::Anything,
        };
        let mut written = save_all_locked(&[write], Backup::Skip)?;
        let lock = written.pop().and_then(|(_, file)| file);
        let Some(lock) = lock else {
            return Err(SaveError::Failed {
                path,
                reason: "the recovery file was not written".into(),
            });
        };
        // Unsaved work is private, whatever the folder's or the umask's permissions.
        let _ = lock.set_permissions(std::fs::Permissions::from_mode(0o600));
        let previous = self.current.replace(Held { path, _lock: lock });
        if let Some(previous) = previous
            && self.current.as_ref().is_some_and(|held| held.path != previous.path)
        {
            previous.remove();
        }
        if let Some(adopted) = self.adopted.take() {
            adopted.remove();
        }
        Ok(())
    }

    /// Takes over a recovered leftover: it is removed when this window's own
    /// recovery file replaces it, or when the work is saved or discarded.
    pub fn adopt(&mut self, claimed: Claimed) {
        if let Some(earlier) = self.adopted.replace(claimed.held) {
            earlier.remove();
        }
    }

    /// Removes this window's recovery files: the work was saved or discarded.
    pub fn clear(&mut self) {
        if let Some(current) = self.current.take() {
            current.remove();
        }
        if let Some(adopted) = self.adopted.take() {
            adopted.remove();
        }
    }

    /// Whether this writer has a recovery file on disk.
    #[must_use]
    pub fn has_file(&self) -> bool {
        self.current.is_some() || self.adopted.is_some()
    }
}

fn file_key(path: &Path) -> Option<&str> {
    path.file_name()?.to_str()?.split('.').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(path: &Path) -> RecoveryDocument {
        RecoveryDocument {
            project_path: Some(path.to_path_buf()),
            source: None,
            name: "a.ron".into(),
            seen: None,
        }
    }

    #[test]
    fn a_live_writers_file_is_never_offered_and_a_dead_ones_is() {
        let folder = tempfile::tempdir().unwrap();
        let recovery = RecoveryFolder::new(folder.path().join("recovery"));
        let a = folder.path().join("a.ron");
        let mut writer = recovery.writer();
        writer.write(&document(&a), b"work v1").unwrap();
        writer.write(&document(&a), b"work v2").unwrap();
        assert!(recovery.leftovers().is_empty(), "the writer is alive");
        assert!(recovery.live_elsewhere(&a, None));
        assert!(
            !recovery.live_elsewhere(&a, Some(&writer)),
            "its own file is not another window's"
        );
        drop(writer); // a crash: the lock goes, the file stays
        let leftovers = recovery.leftovers_for(&a);
        assert_eq!(leftovers.len(), 1);
        assert!(recovery.leftovers_for(&folder.path().join("b.ron")).is_empty());
        let claimed = recovery.claim(&leftovers[0]).unwrap();
        assert_eq!(claimed.project, b"work v2");
        assert_eq!(claimed.document, document(&a));
        assert!(recovery.leftovers().is_empty(), "a claimed leftover is taken");
        assert!(
            recovery.discard(&leftovers[0]).is_err(),
            "and cannot be discarded by another"
        );

        let mut next = recovery.writer();
        next.adopt(claimed);
        next.write(&document(&a), b"work v3").unwrap();
        let files = std::fs::read_dir(recovery.path()).unwrap().count();
        assert_eq!(files, 1, "the adopted file is replaced by the new window's own");
        next.clear();
        assert_eq!(std::fs::read_dir(recovery.path()).unwrap().count(), 0);
    }

    #[test]
    fn work_kept_by_an_earlier_version_becomes_a_leftover() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join(LEGACY_PROJECT), b"(project)").unwrap();
        std::fs::write(folder.path().join(LEGACY_PATH), b"/work/a.ron").unwrap();
        let recovery = RecoveryFolder::new(folder.path().to_path_buf());
        let leftovers = recovery.leftovers();
        assert_eq!(leftovers.len(), 1);
        assert_eq!(leftovers[0].document.name, "a.ron");
        assert_eq!(recovery.claim(&leftovers[0]).unwrap().project, b"(project)");
        assert_eq!(
            std::fs::read_dir(folder.path()).unwrap().count(),
            1,
            "the old pair is gone"
        );
    }

    #[test]
    fn a_discarded_leftover_is_gone_and_untitled_work_is_its_own_document() {
        let folder = tempfile::tempdir().unwrap();
        let recovery = RecoveryFolder::new(folder.path().to_path_buf());
        let untitled = RecoveryDocument {
            name: "Untitled".into(),
            ..RecoveryDocument::default()
        };
        recovery.writer().write(&untitled, b"one").unwrap();
        recovery.writer().write(&untitled, b"two").unwrap();
        let leftovers = recovery.leftovers();
        assert_eq!(leftovers.len(), 2, "two windows' untitled work, each kept");
        recovery.discard(&leftovers[0]).unwrap();
        assert_eq!(recovery.leftovers().len(), 1);
    }
}
