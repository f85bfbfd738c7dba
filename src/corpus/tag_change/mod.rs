//! A corpus-wide tag-set change: every project file of the corpus brought to
//! one target tag set, each written atomically, with a journal so that a
//! crash halfway loses nothing and the next open finishes the work.
//!
//! A change is a target [`TagSet`] and the ids of the tags removed
//! ([`TagChange`]); a rename, a new colour or hotkey, a new tag and a
//! deletion are all that. For each document ([`conform`]):
//! - a removed tag leaves the tag set and every annotation that carries it
//!   (the annotation stays, with its other tags, counter-claims and
//!   attribute values; one left with no tag is an untagged span);
//! - the target's tags come first, in its order, with its definitions (a tag
//!   the document lacks is added, one in another place is moved, its
//!   annotations keeping it); the document's own other tags stay after them,
//!   losing only a digit key the target gives another tag;
//! - the target's relation types are added or updated and its document label
//!   declarations come first; the document's own are kept.
//!
//! All of it is model [`Edit`]s, so the window can apply the same change to an
//! open document with undo ([`TagChange::edit_for`]). Applying a change twice
//! gives what applying it once gave: a file already changed is left
//! untouched (the same bytes are never rewritten).
//!
//! The order on disk ([`apply`]): the journal `.counterpoint-journal.ron` at
//! the root (the target, the removed ids, and every file to do) is written
//! first, through storage; then each file in turn is loaded, changed and
//! saved atomically (the old file kept as `NAME.ron.bak`); then the
//! manifest; then the journal is removed. A crash leaves each file either
//! before or after the change; [`resume`] (called when a corpus opens) does
//! the whole list again, which finishes the rest and leaves the done ones
//! untouched.
//!
//! A file that cannot be loaded (broken, or written by a newer Counterpoint)
//! or that changed on disk between its load and its save is skipped and
//! reported; the rest go on. A save that fails otherwise (disk full, no
//! permission, the test hook) stops the change there, with the journal left
//! for [`resume`]. A cancel ([`Progress::cancel`]) stops between two files
//! the same way: the journal stays and the change is finished by the next
//! [`resume`] (a half-done change is never rolled back: a removed tag is gone
//! from the files already written).

mod conform;
mod journal;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::manifest::{Manifest, ManifestError};
use super::progress::Progress;
use super::scan::Corpus;
use crate::model::edit::{Edit, EditError};
use crate::model::project::Project;
use crate::model::tag_set::{TagId, TagSet};
use crate::project_file;
use crate::storage::{Expect, SaveError};

pub use conform::{Alignment, align};
pub use journal::{JOURNAL_FILE, Journal, JournalError};

/// A tag-set change: the tag set every document should have, and the tags to
/// take out of every document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagChange {
    pub target: TagSet,
    /// Tags removed from every document and every annotation. An id that is
    /// also in the target is not removed.
    pub removed: Vec<TagId>,
}

impl TagChange {
    /// The change from the tag set `before` to `after`: the tags of `before`
    /// that `after` lacks are removed.
    #[must_use]
    pub fn between(before: &TagSet, after: TagSet) -> Self {
        let removed = before
            .tags
            .iter()
            .filter(|tag| after.get(&tag.id).is_none())
            .map(|tag| tag.id.clone())
            .collect();
        Self { target: after, removed }
    }

    /// The removed ids the target does not bring back.
    fn removed_here(&self) -> impl Iterator<Item = &TagId> {
        self.removed.iter().filter(|id| self.target.get(id).is_none())
    }

    /// The change as one edit on `project` (a batch, for the window to apply
    /// with undo), or `None` when the project already has it.
    pub fn edit_for(&self, project: &Project) -> Result<Option<Edit>, EditError> {
        let mut copy = project.clone();
        let edits = conform::conform(self, &mut copy)?;
        Ok((!edits.is_empty()).then_some(Edit::Batch(edits)))
    }

    /// Applies the change to `project`; whether it changed anything.
    pub fn apply_to(&self, project: &mut Project) -> Result<bool, EditError> {
        conform::conform(self, project).map(|edits| !edits.is_empty())
    }
}

/// Why a tag-set change stopped. The journal stays (unless it could not be
/// written at all), so [`resume`] finishes the change later.
#[derive(Debug, thiserror::Error)]
pub enum TagChangeError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{path}: {error}")]
    Save { path: PathBuf, error: SaveError },
    #[error("the corpus manifest: {0}")]
    Manifest(String),
    #[error("the tag set names the tag {0} twice; nothing was changed")]
    DuplicateTag(String),
    #[error(
        "the tag-set change was stopped after {done} of {total} files; the rest is finished the next time the corpus opens"
    )]
    Cancelled { done: usize, total: usize },
    #[error("{path}: {reason}; the tag-set change stopped here and is finished the next time the corpus opens")]
    Injected { path: PathBuf, reason: String },
}

/// What a finished change did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files written with the change.
    pub changed: Vec<PathBuf>,
    /// Files that already had it, left untouched.
    pub unchanged: Vec<PathBuf>,
    /// Files that could not be changed, each with why (they keep their old tag set).
    pub skipped: Vec<(PathBuf, String)>,
}

/// A test hook called before each file's save, with its number (from 0) and
/// path: an `Err` stops the change there as a failed write would.
pub type BeforeSave<'a> = &'a dyn Fn(usize, &Path) -> Result<(), String>;

/// Applies `change` to the project files `files` of the corpus at `root`
/// (paths relative to it, or under it), then saves the manifest with the
/// target tag set; see the module documentation for the order and what a
/// failure leaves. Refused while another change's journal is there.
pub fn apply(
    root: &Path,
    change: &TagChange,
    files: &[PathBuf],
    progress: &Progress,
) -> Result<Outcome, TagChangeError> {
    apply_with_hook(root, change, files, progress, &|_, _| Ok(()))
}

/// [`apply`], with a hook called before each save (for tests that make the
/// n-th write fail).
pub fn apply_with_hook(
    root: &Path,
    change: &TagChange,
    files: &[PathBuf],
    progress: &Progress,
    before_save: BeforeSave<'_>,
) -> Result<Outcome, TagChangeError> {
    let tags = &change.target.tags;
    if let Some(tag) = tags
        .iter()
        .enumerate()
        .find_map(|(at, tag)| tags[..at].iter().any(|t| t.id == tag.id).then_some(tag))
    {
        return Err(TagChangeError::DuplicateTag(
            crate::messages::echo(tag.id.as_str()).to_string(),
        ));
    }
    let journal = Journal::new(
        change.clone(),
        files.iter().map(|file| journal::relative(root, file)).collect(),
    );
    journal.write_new(root)?;
    run(root, &journal, progress, before_save)
}

/// Applies `change` to every project file of a scanned corpus (documents not
/// started have no tag set of their own: they take the manifest's when
/// their project is made); see [`apply`].
pub fn apply_to_corpus(corpus: &Corpus, change: &TagChange, progress: &Progress) -> Result<Outcome, TagChangeError> {
    apply(&corpus.root, change, &project_files(corpus), progress)
}

/// The project files of a scanned corpus, relative to its root.
#[must_use]
pub fn project_files(corpus: &Corpus) -> Vec<PathBuf> {
    corpus
        .documents
        .iter()
        .filter_map(|document| document.project.as_deref())
        .map(|path| path.strip_prefix(&corpus.root).unwrap_or(path).to_path_buf())
        .collect()
}

/// Finishes a change a crash or a cancel left unfinished: `None` when there
/// is none; else what it did, with the files it could not do.
pub fn resume(root: &Path, progress: &Progress) -> Result<Option<Outcome>, TagChangeError> {
    resume_with_hook(root, progress, &|_, _| Ok(()))
}

/// [`resume`], with the test hook of [`apply_with_hook`].
pub fn resume_with_hook(
    root: &Path,
    progress: &Progress,
    before_save: BeforeSave<'_>,
) -> Result<Option<Outcome>, TagChangeError> {
    match Journal::load(root)? {
        None => Ok(None),
        Some(journal) => run(root, &journal, progress, before_save).map(Some),
    }
}

fn run(
    root: &Path,
    journal: &Journal,
    progress: &Progress,
    before_save: BeforeSave<'_>,
) -> Result<Outcome, TagChangeError> {
    let total = journal.files.len();
    progress.start(total);
    let mut outcome = Outcome::default();
    for (number, name) in journal.files.iter().enumerate() {
        if progress.is_cancelled() {
            return Err(TagChangeError::Cancelled { done: number, total });
        }
        let Some(path) = journal::absolute(root, name) else {
            outcome.skipped.push((
                PathBuf::from(name),
                "the journal names it outside the corpus folder".to_owned(),
            ));
            progress.advance(1);
            continue;
        };
        match change_file(&journal.change, &path, number, before_save)? {
            FileResult::Changed => outcome.changed.push(path),
            FileResult::Unchanged => outcome.unchanged.push(path),
            FileResult::Skipped(reason) => outcome.skipped.push((path, reason)),
        }
        progress.advance(1);
    }
    save_manifest(root, &journal.change.target)?;
    journal::remove(root)?;
    Ok(outcome)
}

enum FileResult {
    Changed,
    Unchanged,
    Skipped(String),
}

fn change_file(
    change: &TagChange,
    path: &Path,
    number: usize,
    before_save: BeforeSave<'_>,
) -> Result<FileResult, TagChangeError> {
    if !path.exists() {
        return Ok(FileResult::Skipped("the file is no longer there".to_owned()));
    }
    let (mut project, state) = match project_file::load_with_state(path) {
        Ok(loaded) => loaded,
        Err(error) => return Ok(FileResult::Skipped(error.to_string())),
    };
    match change.apply_to(&mut project) {
        Ok(false) => return Ok(FileResult::Unchanged),
        Ok(true) => {}
        Err(error) => return Ok(FileResult::Skipped(format!("the change does not apply: {error}"))),
    }
    before_save(number, path).map_err(|reason| TagChangeError::Injected {
        path: path.to_path_buf(),
        reason,
    })?;
    match project_file::save(&project, path, &Expect::Seen(state)) {
        Ok(saved) if saved.written => Ok(FileResult::Changed),
        Ok(_) => Ok(FileResult::Unchanged),
        Err(SaveError::Conflict(conflicts)) => Ok(FileResult::Skipped(
            conflicts.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
        )),
        Err(error) => Err(TagChangeError::Save {
            path: path.to_path_buf(),
            error,
        }),
    }
}

/// Saves the manifest with the target tag set (made up from the folder's
/// name when there is none; left untouched when it already has it).
fn save_manifest(root: &Path, target: &TagSet) -> Result<(), TagChangeError> {
    let manifest_error = |error: &dyn std::fmt::Display| TagChangeError::Manifest(error.to_string());
    let (mut manifest, expect) = match Manifest::load_with_state(root) {
        Ok((manifest, state)) => (manifest, Expect::Seen(state)),
        Err(ManifestError::Missing { .. }) => (Manifest::made_up(root, target.clone()), Expect::Absent),
        Err(error) => return Err(manifest_error(&error)),
    };
    target.clone_into(&mut manifest.tag_set);
    manifest
        .save(root, &expect)
        .map(drop)
        .map_err(|error| manifest_error(&error))
}
