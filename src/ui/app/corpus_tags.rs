//! The corpus tag set in the window: the tag-set editor edits it (the
//! manifest's), and each change is made in every document of the corpus.
//!
//! - The document shown, and every other document opened in this session
//!   with unsaved changes, get the change as an undoable edit (unsaved until
//!   saved, like any edit). Documents opened earlier without unsaved changes
//!   are let go from memory: their files get the change with the rest.
//! - The files of all other documents get it on disk, through
//!   [`tag_change::apply`] in the background (journal first, each file
//!   atomically, then the manifest): once a typing session in the editor
//!   ends (one job for the whole word, not one per key), before another
//!   document shows, and before the window closes.
//! - Undo: Ctrl+Z in a document takes back that document's copy of a change
//!   only (it is then marked ≠, and Edit ▸ Bring tag set in line gives it
//!   the corpus tag set again); the corpus tag set and the files changed on
//!   disk are changed back by editing the tag set again (the files' previous
//!   versions are kept as `NAME.ron.bak`). In the editor's fields Ctrl+Z
//!   undoes the field's typing.
//! - A document shown whose tag set differs from the corpus's is brought in
//!   line with [`tag_change::align`]: tags it uses that the corpus lacks are
//!   added to the corpus tag set (and so to every document), unused ones leave it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::corpus::progress::Progress as Counter;
use crate::corpus::tag_change::{self, Outcome, TagChange};
use crate::model::edit::Edit;
use crate::model::history::GroupKey;
use crate::model::tag_set::TagId;
use crate::storage::Expect;
use crate::ui::corpus::CorpusSession;
use crate::ui::dialogs::Banner;
use crate::ui::jobs::{Job, JobError};

use super::CounterpointApp;
use super::background::{Running, TagChangeTargets, ended};

/// Finishes a tag-set change a crash or a cancel left unfinished in the corpus at
/// `root` (on the opening job's thread); what it did, in words, if there was one.
pub(super) fn resume_interrupted(root: &Path) -> Option<String> {
    match tag_change::resume(root, &Counter::new()) {
        Ok(None) => None,
        Ok(Some(outcome)) => Some(format!(
            "A tag-set change of this corpus was interrupted; it is finished now ({}).",
            outcome_in_words(&outcome)
        )),
        Err(error) => Some(format!(
            "A tag-set change of this corpus was interrupted and could not be finished: {error}"
        )),
    }
}

/// What a tag-set change did to the files, in words.
fn outcome_in_words(outcome: &Outcome) -> String {
    let mut words = format!(
        "{} file(s) changed, {} already had it",
        outcome.changed.len(),
        outcome.unchanged.len()
    );
    if !outcome.skipped.is_empty() {
        let skipped: Vec<String> = outcome
            .skipped
            .iter()
            .map(|(path, why)| format!("{}: {why}", path.display()))
            .collect();
        words = format!(
            "{words}; {} could not be changed and keep their tag set: {}",
            outcome.skipped.len(),
            skipped.join("; ")
        );
    }
    words
}

impl CounterpointApp {
    /// A change of the corpus tag set from the tag-set editor: made in the
    /// corpus tag set and in every open document now, in the files later.
    pub(super) fn corpus_tag_set_edit(&mut self, edit: Edit, group: Option<GroupKey>) {
        if let Edit::RemoveTagDefinition(id) = &edit
            && let Some((uses, documents)) = self.corpus_uses(id)
        {
            let name = self
                .corpus
                .as_ref()
                .and_then(|session| session.tag_set().get(id))
                .map_or_else(|| id.as_str().to_owned(), |tag| tag.name.clone());
            self.corpus_tag_delete = Some((edit, name, uses, documents));
            return;
        }
        self.corpus_tag_set_edit_confirmed(edit, group);
    }

    /// How many annotations use `id` in how many documents of the corpus
    /// (open ones as they are now); `None` when none does.
    fn corpus_uses(&self, id: &TagId) -> Option<(usize, usize)> {
        let session = self.corpus.as_ref()?;
        let live = |workspace: &crate::ui::workspace::Workspace| {
            workspace
                .project()
                .annotations()
                .filter(|a| a.tags.contains(id))
                .count()
        };
        let (mut uses, mut documents) = (0, 0);
        for index in 0..session.len() {
            let count = if session.current() == Some(index) {
                self.workspace.as_ref().map_or(0, live)
            } else if let Some(workspace) = session.parked(index) {
                live(workspace)
            } else {
                session
                    .entry(index)
                    .and_then(|entry| entry.tag_counts.get(id).copied())
                    .unwrap_or(0)
            };
            uses += count;
            documents += usize::from(count > 0);
        }
        (uses > 0).then_some((uses, documents))
    }

    /// [`CounterpointApp::corpus_tag_set_edit`] once the user has said yes (or need not).
    pub(super) fn corpus_tag_set_edit_confirmed(&mut self, edit: Edit, group: Option<GroupKey>) {
        if self.refuse_while_reading("changed") {
            return;
        }
        let Some(session) = &mut self.corpus else {
            self.apply(edit, group, None);
            return;
        };
        let before = session.tag_set().clone();
        if let Err(error) = session.edit_tag_set(edit) {
            self.banner = Some(Banner::Error(format!("That change could not be made: {error}")));
            return;
        }
        let change = TagChange::between(&before, session.tag_set().clone());
        self.carry_to_open_documents(&change, group.as_ref());
    }

    /// Makes `change` in the document shown and in the other open documents
    /// with unsaved changes, as undoable edits; lets go of the other open ones.
    fn carry_to_open_documents(&mut self, change: &TagChange, group: Option<&GroupKey>) {
        let mut problems = Vec::new();
        if let Some(workspace) = &mut self.workspace {
            let edit = change.edit_for(workspace.project());
            if let Err(error) = edit.map(|edit| edit.map(|edit| workspace.apply(edit, group.cloned()))) {
                problems.push(error.to_string());
            }
        }
        let Some(session) = &mut self.corpus else { return };
        session.drop_saved_parked();
        let mut names = Vec::new();
        for (index, parked) in session.parked_mut() {
            let result = change
                .edit_for(parked.workspace.project())
                .and_then(|edit| edit.map_or(Ok(()), |edit| parked.workspace.apply(edit, group.cloned())));
            if let Err(error) = result {
                names.push((index, error.to_string()));
            }
        }
        problems.extend(
            names
                .into_iter()
                .map(|(index, error)| format!("{}: {error}", session.name(index))),
        );
        session.touch();
        if !problems.is_empty() {
            self.banner = Some(Banner::Error(format!(
                "The tag-set change could not be made in {} open document(s), which keep their tag set: {}",
                problems.len(),
                problems.join("; ")
            )));
        }
    }

    /// Once a frame: a tag-set change whose typing session has ended goes to the files.
    pub(super) fn carry_tag_change(&mut self) {
        if self.corpus.as_ref().is_some_and(CorpusSession::tag_change_waiting) && !self.tag_set_editor.is_editing() {
            self.start_tag_change();
        }
    }

    /// Starts carrying the waiting tag-set change to the files of the
    /// documents not open (a change running already: once it has ended).
    pub(super) fn start_tag_change(&mut self) {
        if self.background.tag_change.is_some() {
            return;
        }
        let Some(session) = &mut self.corpus else { return };
        let Some((before, after)) = session.take_tag_change() else {
            return;
        };
        if before == after {
            return;
        }
        let change = TagChange::between(&before, after);
        let open: BTreeSet<usize> = session.parked_indexes().chain(session.current()).collect();
        let targets: Vec<(usize, PathBuf)> = (0..session.len())
            .filter(|index| !open.contains(index))
            .filter_map(|index| Some((index, session.entry(index)?.project.clone()?)))
            .collect();
        let files: Vec<PathBuf> = targets.iter().map(|(_, path)| path.clone()).collect();
        let removed = change.removed.clone();
        let root = session.root().to_path_buf();
        let counter = Arc::new(Counter::new());
        let shared = Arc::clone(&counter);
        let title = format!("Changing the tag set of {} document(s)", files.len());
        let job = Job::start(title, &["changing the project files"], self.waker.clone(), move |_| {
            tag_change::apply(&root, &change, &files, &shared).map_err(|error| error.to_string())
        });
        match job {
            Ok(job) => {
                self.background.tag_change = Some(Running::new(job.counted(counter), (targets, removed)));
                if let Some((targets, outcome)) =
                    super::background::ended_within(&mut self.background.tag_change, self.options.wait_for_work)
                {
                    self.tag_change_landed(&targets, outcome);
                }
            }
            Err(error) => {
                self.banner = Some(Banner::Error(format!(
                    "The tag set of the files was not changed: {error}"
                )));
            }
        }
    }

    /// At a frame's end: takes in a tag-set change that has ended. True when one did.
    pub(super) fn take_finished_tag_change(&mut self, ctx: &egui::Context) -> bool {
        let Some((targets, outcome)) = ended(&mut self.background.tag_change) else {
            return false;
        };
        self.tag_change_landed(&targets, outcome);
        // A further change made meanwhile goes next; then what waited for the writes.
        self.carry_tag_change();
        self.after_writes(ctx);
        true
    }

    fn tag_change_landed(&mut self, about: &TagChangeTargets, outcome: Result<Result<Outcome, String>, JobError>) {
        let (targets, removed) = about;
        let Some(session) = &mut self.corpus else { return };
        match outcome {
            Ok(Ok(outcome)) => {
                let by_path: HashMap<&Path, usize> =
                    targets.iter().map(|(index, path)| (path.as_path(), *index)).collect();
                let in_line: Vec<usize> = outcome
                    .changed
                    .iter()
                    .chain(&outcome.unchanged)
                    .filter_map(|path| by_path.get(path.as_path()).copied())
                    .collect();
                session.brought_in_line(&in_line, removed);
                if !outcome.skipped.is_empty() {
                    self.banner = Some(Banner::Error(format!(
                        "The corpus tag set changed, but not in every file: {}.",
                        outcome_in_words(&outcome)
                    )));
                }
            }
            Ok(Err(message)) => {
                self.after_save = None;
                self.banner = Some(Banner::Error(format!(
                    "The tag-set change stopped: {message}. Files not reached keep their tag set until the corpus opens again."
                )));
            }
            Err(error) => {
                self.after_save = None;
                self.banner = Some(Banner::Error(format!("The tag-set change stopped: {error}")));
            }
        }
    }

    /// Gives the document shown the corpus tag set: the tags it uses that the
    /// corpus lacks join the corpus tag set (so every document gets them),
    /// its unused ones go. One undoable step in the document.
    pub(super) fn bring_tag_set_in_line(&mut self) {
        if self.refuse_while_reading("changed") {
            return;
        }
        let (Some(session), Some(workspace)) = (&mut self.corpus, &mut self.workspace) else {
            return;
        };
        let before = session.tag_set().clone();
        let alignment = tag_change::align(&before, workspace.project());
        let edit = match alignment.change.edit_for(workspace.project()) {
            Ok(Some(edit)) => edit,
            Ok(None) => return,
            Err(error) => {
                self.banner = Some(Banner::Error(format!(
                    "The tag set could not be brought in line: {error}"
                )));
                return;
            }
        };
        if let Err(error) = workspace.apply(edit, None) {
            self.banner = Some(Banner::Error(format!(
                "The tag set could not be brought in line: {error}"
            )));
            return;
        }
        let mut words = vec!["This document now has the corpus tag set (undo takes it back).".to_owned()];
        if !alignment.dropped.is_empty() {
            words.push(format!("Unused tags it had left it: {}.", ids(&alignment.dropped)));
        }
        let grown = alignment.manifest_grew(&before).then(|| alignment.corpus_change());
        if let Some(change) = grown {
            words.push(format!(
                "Tags it uses joined the corpus tag set, for every document: {}.",
                ids(&alignment.added_to_manifest)
            ));
            let grew = change
                .edit_for(session.tag_project())
                .is_ok_and(|edit| edit.is_none_or(|edit| session.edit_tag_set(edit).is_ok()));
            if grew {
                self.carry_to_open_documents(&change, None);
            }
        }
        if let Some(session) = &mut self.corpus {
            session.touch();
        }
        self.banner = Some(Banner::Notice(words.join(" ")));
    }

    /// Writes the manifest if the folder has none yet (a corpus opened
    /// without one is written on its first save).
    pub(super) fn write_manifest_if_missing(&mut self) {
        let Some(session) = &mut self.corpus else { return };
        if session.has_manifest_file() {
            return;
        }
        if let Err(error) = session.manifest().save(session.root(), &Expect::Absent) {
            self.banner = Some(Banner::Error(format!(
                "The document was saved, but the corpus manifest could not be written: {error}"
            )));
        }
    }
}

/// Tag ids in a list for a sentence.
fn ids(ids: &[crate::model::tag_set::TagId]) -> String {
    ids.iter()
        .map(|id| id.as_str().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}
