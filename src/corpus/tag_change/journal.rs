//! The journal of an unfinished tag-set change, `.counterpoint-journal.ron`
//! at the corpus root:
//!
//! ```text
//! // Counterpoint: a tag-set change across this corpus has not finished. …
//! (
//!     format: "counterpoint-tag-change",
//!     version: 1,
//!     target: (tags: [ … ], …),
//!     removed: ["Doubt"],
//!     files: ["article1.ron", "sub/article2.ron"],
//! )
//! ```
//!
//! Written (atomically, through storage) before the first file is changed,
//! removed after the manifest is saved. `files` lists every file of the
//! change, relative to the root with `/` between folders; since a change is
//! idempotent per file, finishing it is doing the whole list again.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::TagChange;
use crate::model::tag_set::{TagId, TagSet};
use crate::project_file::schema::Header;
use crate::project_file::syntax;
use crate::storage::{self, Backup, Expect, ReadError, SaveError, Write};

/// The journal's file name at the corpus root.
pub const JOURNAL_FILE: &str = ".counterpoint-journal.ron";
const JOURNAL_FORMAT: &str = "counterpoint-tag-change";
const JOURNAL_VERSION: u32 = 1;

const HEADER_COMMENT: &str = "\
// Counterpoint: a tag-set change across this corpus has not finished.
// Opening the corpus in Counterpoint finishes it: every file listed is given
// the target tag set (files already changed are left as they are), then the
// manifest, then this file is removed. Do not edit it.
";

/// An unfinished change: what it does and the files it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journal {
    pub change: TagChange,
    /// Every file of the change, relative to the root, `/` between folders.
    pub files: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalFile {
    format: String,
    version: u32,
    target: TagSet,
    removed: Vec<TagId>,
    files: Vec<String>,
}

/// Why the journal could not be written, read or removed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error(
        "{path} holds a tag-set change that has not finished; open the corpus in Counterpoint to finish it before making another"
    )]
    Unfinished { path: PathBuf },
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{path} cannot be read at line {line}, column {column}: {message}")]
    Broken {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{path} was written by a newer Counterpoint (journal version {found}; this one reads up to {JOURNAL_VERSION}); update Counterpoint to finish its change"
    )]
    NewerVersion { path: PathBuf, found: u32 },
    #[error("{path} is not a Counterpoint journal")]
    NotAJournal { path: PathBuf },
    #[error("the journal could not be written: {0}")]
    Write(#[from] SaveError),
    #[error("the journal {path} could not be removed: {reason}")]
    Remove { path: PathBuf, reason: String },
}

impl Journal {
    #[must_use]
    pub fn new(change: TagChange, files: Vec<String>) -> Self {
        Self { change, files }
    }

    /// Where the journal of the corpus at `root` is.
    #[must_use]
    pub fn path(root: &Path) -> PathBuf {
        root.join(JOURNAL_FILE)
    }

    /// The journal's text.
    fn to_ron_string(&self) -> Result<String, ron::Error> {
        let file = JournalFile {
            format: JOURNAL_FORMAT.to_owned(),
            version: JOURNAL_VERSION,
            target: self.change.target.clone(),
            removed: self.change.removed.clone(),
            files: self.files.clone(),
        };
        let config = crate::project_file::pretty_config().depth_limit(4);
        Ok(format!(
            "{HEADER_COMMENT}{}\n",
            ron::ser::to_string_pretty(&file, config)?
        ))
    }

    /// Writes the journal, refusing when one is there already.
    pub(super) fn write_new(&self, root: &Path) -> Result<(), JournalError> {
        let path = Self::path(root);
        if path.symlink_metadata().is_ok() {
            return Err(JournalError::Unfinished { path });
        }
        let text = self.to_ron_string().map_err(|error| SaveError::Failed {
            path: path.clone(),
            reason: error.to_string(),
        })?;
        let write = Write {
            path: &path,
            bytes: text.as_bytes(),
            expect: Expect::Absent,
        };
        storage::save_all(&[write], Backup::Skip)?;
        Ok(())
    }

    /// The journal of the corpus at `root`, if a change is unfinished there.
    pub fn load(root: &Path) -> Result<Option<Self>, JournalError> {
        let path = Self::path(root);
        if path.symlink_metadata().is_err() {
            return Ok(None);
        }
        let bytes = storage::read_bytes(&path)?;
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(Header { format, version }) = ron::from_str::<Header>(&text) {
            if format != JOURNAL_FORMAT {
                return Err(JournalError::NotAJournal { path });
            }
            if version > JOURNAL_VERSION {
                return Err(JournalError::NewerVersion { path, found: version });
            }
        }
        let file: JournalFile = ron::from_str(&text).map_err(|error| JournalError::Broken {
            path: path.clone(),
            line: error.span.start.line,
            column: error.span.start.col,
            message: syntax::in_words(&error.code),
        })?;
        Ok(Some(Self {
            change: TagChange {
                target: file.target,
                removed: file.removed,
            },
            files: file.files,
        }))
    }
}

/// Removes the journal of a finished change.
pub(super) fn remove(root: &Path) -> Result<(), JournalError> {
    let path = Journal::path(root);
    std::fs::remove_file(&path).map_err(|error| JournalError::Remove {
        reason: storage::in_words(&error),
        path,
    })
}

/// `file` as the journal lists it: relative to `root`, `/` between folders.
pub(super) fn relative(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The file a journal entry names under `root`; `None` for an entry that
/// would leave the root (an absolute path, or one through `..`).
pub(super) fn absolute(root: &Path, name: &str) -> Option<PathBuf> {
    let relative = Path::new(name);
    relative
        .components()
        .all(|part| matches!(part, Component::Normal(_)))
        .then(|| root.join(relative))
}
