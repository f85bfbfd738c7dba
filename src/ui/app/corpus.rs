//! A folder of documents as one corpus in the window: opening it (in the
//! background, with a count), showing one document after another, Save All,
//! and the guard that covers every document with changes.
//!
//! Switching: the work on the document left (its project, undo history,
//! unsaved edits and recovery file) stays in memory, parked, and comes back
//! when the document is shown again; nothing is saved behind the user's back.
//! A parked document with changes goes on being autosaved to its own
//! recovery file. Switching waits for running writes (as reads do), so a save
//! always lands on the work it saved.

use std::ops::Range;
use std::path::Path;

use crate::corpus::progress::Progress as Counter;
use crate::corpus::scan::{self, Corpus, CorpusError};
use crate::model::offsets::ByteOffset;
use crate::model::span::Span;
use crate::storage::recovery::{RecoveryDocument, RecoveryFolder};
use crate::ui::corpus::{CorpusSession, Parked};
use crate::ui::dialogs::Banner;
use crate::ui::jobs::{Job, JobError};
use crate::ui::recovery::Autosaver;
use crate::ui::selection::TextSelection;
use crate::ui::text_view::ViewSelection;
use crate::ui::workspace::{OpenAs, SaveSnapshot, Workspace};

use super::background::{Loaded, Read, Running, SavedDocument, ended, ended_within};
use super::{CounterpointApp, Pending, workspace_notice};

/// Scans the corpus at `path` (after finishing a tag-set change a crash interrupted), on a job's thread.
pub(super) fn read_corpus(
    path: &Path,
    cache_dir: Option<&Path>,
    counter: &Counter,
    step: &dyn Fn(usize),
) -> Result<Loaded, String> {
    let note = super::corpus_tags::resume_interrupted(path);
    step(1);
    match scan::scan_with_cache(path, counter, cache_dir) {
        Ok(corpus) => Ok(Loaded::Corpus(Box::new(corpus), note)),
        Err(CorpusError::Cancelled) => Err(format!("Opening {} was cancelled.", path.display())),
        Err(error) => Err(error.to_string()),
    }
}

impl CounterpointApp {
    /// Opens the folder at `path` as a corpus (no unsaved-changes question),
    /// in the background; its document list shows once read.
    pub fn open_folder(&mut self, path: &Path) {
        self.start_read(Read::OpenCorpus(path.to_path_buf()));
    }

    /// The open corpus, if any: its documents, the one shown, the work kept on others.
    #[must_use]
    pub fn corpus(&self) -> Option<&CorpusSession> {
        self.corpus.as_ref()
    }

    /// Shows document `index` of the open corpus (its work kept from earlier
    /// in this session, else read in the background), with `select` (bytes
    /// of its text) selected and scrolled to. The document shown before keeps
    /// its work, unsaved edits and undo history.
    pub fn open_corpus_document(&mut self, index: usize, select: Option<Range<ByteOffset>>) {
        let Some(session) = &mut self.corpus else { return };
        if index >= session.len() {
            return;
        }
        if session.current() == Some(index) && self.workspace.is_some() {
            self.select_range(select);
            return;
        }
        // A tag-set change still waiting goes to the files first, so the document read has it.
        self.start_tag_change();
        if self.background.writing() {
            self.after_save = Some(Pending::Document { index, select });
            return;
        }
        let Some(session) = &mut self.corpus else { return };
        match session.unpark(index) {
            Some(parked) => {
                // A later choice wins over a document still being read.
                self.background.cancel_read();
                self.show_corpus_document(index, parked, select, false);
            }
            None => self.start_read(Read::CorpusDocument {
                index,
                select,
                reload: false,
            }),
        }
    }

    /// The document after (`forward`) or before the one shown, in the list's order.
    pub(super) fn step_document(&mut self, forward: bool) {
        let Some(session) = &self.corpus else { return };
        let next = self.corpus_list.neighbour(session, self.workspace.as_ref(), forward);
        if let Some(index) = next {
            self.open_corpus_document(index, None);
        }
    }

    /// Selects and scrolls to `range` of the text shown (clamped to the text).
    fn select_range(&mut self, range: Option<Range<ByteOffset>>) {
        let (Some(range), Some(workspace)) = (range, &self.workspace) else {
            return;
        };
        let length = workspace.project().text().len();
        let span = Span::new(
            range.start.0.min(length),
            range.end.0.min(length).max(range.start.0.min(length)),
        );
        self.selection = ViewSelection {
            text: Some(TextSelection::of_span(span)),
            annotation: None,
        };
        self.text_view.scroll_to(span.start);
    }

    /// A corpus has been read: it replaces the open work (the user was asked
    /// about unsaved changes), and its first document shows.
    pub(super) fn corpus_opened(&mut self, corpus: Corpus, note: Option<String>) {
        self.close_corpus();
        self.workspace = None;
        self.reset_view();
        if let Some(recovery) = &mut self.recovery {
            recovery.clear();
        }
        self.recent.add(corpus.root.clone(), OpenAs::Auto);
        let mut notes: Vec<String> = note.into_iter().collect();
        notes.extend(corpus.warnings.iter().cloned());
        let problems = corpus.documents.iter().filter(|entry| entry.problem.is_some()).count();
        if problems > 0 {
            notes.push(format!(
                "{problems} project file(s) could not be read; they show with no annotations (counterpoint check lists why)."
            ));
        }
        self.banner = (!notes.is_empty()).then(|| Banner::Notice(notes.join(" ")));
        self.corpus = Some(CorpusSession::new(corpus));
        self.corpus_list.reset();
        let first = self
            .corpus
            .as_ref()
            .and_then(|session| self.corpus_list.neighbour(session, None, true));
        if let Some(first) = first {
            self.start_read(Read::CorpusDocument {
                index: first,
                select: None,
                reload: false,
            });
        }
        // Read for search in the background from the start, so that a search
        // asked for later does not wait for every document to be read.
        self.prefetch_index();
    }

    /// A document of the corpus has been read.
    pub(super) fn corpus_document_read(
        &mut self,
        index: usize,
        workspace: Workspace,
        select: Option<Range<ByteOffset>>,
        reload: bool,
    ) {
        if self.corpus.is_none() {
            return;
        }
        let path = workspace.project_path().map(Path::to_path_buf);
        let parked = Parked {
            workspace,
            recovery: self.new_autosaver(),
            autosaved_revision: None,
        };
        self.show_corpus_document(index, parked, select, reload);
        if let Some(path) = path {
            self.offer_leftovers_of(&path);
        }
    }

    fn new_autosaver(&self) -> Option<Autosaver> {
        self.options
            .recovery_dir
            .clone()
            .map(|dir| Autosaver::new(RecoveryFolder::new(dir)))
    }

    /// Shows document `index`: the work shown before is parked (or, with
    /// `replace`, dropped: the same document read again).
    fn show_corpus_document(&mut self, index: usize, parked: Parked, select: Option<Range<ByteOffset>>, replace: bool) {
        let Some(session) = &mut self.corpus else { return };
        let left = self.workspace.take();
        let left_recovery = std::mem::replace(&mut self.recovery, parked.recovery);
        let left_autosaved = std::mem::replace(&mut self.autosaved_revision, parked.autosaved_revision);
        match (session.current(), left) {
            (Some(current), Some(workspace)) if !replace && current != index => session.park(
                current,
                Parked {
                    workspace,
                    recovery: left_recovery,
                    autosaved_revision: left_autosaved,
                },
            ),
            _ => {
                if let Some(mut recovery) = left_recovery {
                    recovery.clear();
                }
            }
        }
        session.set_current(Some(index));
        self.workspace = Some(parked.workspace);
        self.reset_view();
        // A word about this document's text; a message about the corpus stays.
        if let Some(notice) = workspace_notice(self.workspace.as_ref()) {
            self.banner = Some(notice);
        }
        self.select_range(select);
        self.corpus_list.reveal_current();
    }

    /// Closes the open corpus, dropping the work parked on its documents
    /// (the user was asked about unsaved changes) and their recovery files.
    pub(super) fn close_corpus(&mut self) {
        let Some(mut session) = self.corpus.take() else { return };
        for parked in session.take_parked() {
            if let Some(mut recovery) = parked.recovery {
                recovery.clear();
            }
        }
        self.corpus_list.reset();
    }

    /// Whether recovered work is for the document shown.
    pub(super) fn is_current_document(&self, document: &RecoveryDocument) -> bool {
        let Some(workspace) = &self.workspace else { return false };
        self.corpus.is_some()
            && workspace
                .project_path()
                .is_some_and(|path| document.is_for(path) || document.project_path.as_deref() == Some(path))
    }

    /// Whether `pending` drops the work of every document (not only the one shown).
    fn drops_all(&self, pending: &Pending) -> bool {
        match pending {
            Pending::Reload | Pending::ReplaceSource(_) | Pending::Document { .. } => false,
            // Recovered work of another document closes the corpus.
            Pending::Recover(leftover) => !self.is_current_document(&leftover.document),
            _ => true,
        }
    }

    /// The names of the documents with unsaved changes that `pending` would drop.
    pub(super) fn unsaved_names(&self, pending: &Pending) -> Vec<String> {
        let mut names = Vec::new();
        if matches!(pending, Pending::Document { .. }) {
            // Another document shows; the work shown is kept, nothing dropped.
            return names;
        }
        if let Some(workspace) = self.workspace.as_ref().filter(|w| w.has_unsaved_changes()) {
            let name = match &self.corpus {
                Some(session) => session.current().map(|index| session.name(index)),
                None => None,
            };
            names.push(name.unwrap_or_else(|| workspace.display_name()));
        }
        if self.drops_all(pending)
            && let Some(session) = &self.corpus
        {
            names.extend(session.parked_unsaved().into_iter().map(|(_, name)| name));
        }
        names
    }

    /// Saves what `pending` would drop: the document shown, or every one with changes.
    pub(super) fn save_for(&mut self, ctx: &egui::Context, pending: &Pending) {
        if self.drops_all(pending) {
            self.save_all(ctx);
        } else {
            self.save(ctx);
        }
    }

    /// Saves every document with unsaved changes: the one shown as Save does,
    /// the others in one background job.
    pub(super) fn save_all(&mut self, ctx: &egui::Context) {
        if self.refuse_while_reading("saved") {
            self.after_save = None;
            return;
        }
        self.start_saving_others();
        if self.workspace.as_ref().is_some_and(Workspace::has_unsaved_changes) {
            self.save(ctx);
        } else {
            self.after_writes(ctx);
        }
    }

    fn start_saving_others(&mut self) {
        if self.background.save_others.is_some() {
            return;
        }
        let Some(session) = &mut self.corpus else { return };
        let snapshots: Vec<(usize, SaveSnapshot)> = session
            .parked_mut()
            .filter(|(_, parked)| parked.workspace.has_unsaved_changes())
            .filter_map(|(index, parked)| {
                let path = parked.workspace.project_path()?.to_path_buf();
                Some((index, parked.workspace.snapshot_for_save(&path, None)))
            })
            .collect();
        if snapshots.is_empty() {
            return;
        }
        let title = format!("Saving {} other document(s)", snapshots.len());
        let job = Job::start(title, &["writing the project files"], self.waker.clone(), move |_| {
            snapshots
                .into_iter()
                .map(|(index, snapshot)| SavedDocument {
                    index,
                    path: snapshot.path.clone(),
                    revision: snapshot.revision,
                    result: snapshot.write(|_| {}),
                })
                .collect()
        });
        match job {
            Ok(job) => {
                self.background.save_others = Some(Running::new(job, ()));
                if let Some(((), outcome)) = ended_within(&mut self.background.save_others, self.options.wait_for_work)
                {
                    self.others_saved(outcome);
                }
            }
            Err(error) => self.banner = Some(Banner::Error(format!("Could not save: {error}"))),
        }
    }

    /// Takes in how the saves of documents other than the one shown went.
    fn others_saved(&mut self, outcome: Result<Vec<SavedDocument>, JobError>) {
        let saved = match outcome {
            Ok(saved) => saved,
            Err(error) => {
                self.after_save = None;
                self.banner = Some(Banner::Error(format!("Could not save the other documents: {error}")));
                return;
            }
        };
        let Some(session) = &mut self.corpus else { return };
        let mut failures = Vec::new();
        let mut done = Vec::new();
        for document in saved {
            let name = session.name(document.index);
            let Some(parked) = session
                .parked_mut()
                .find(|(index, _)| *index == document.index)
                .map(|(_, parked)| parked)
            else {
                continue;
            };
            match parked
                .workspace
                .saved(&document.path, document.revision, document.result)
            {
                Ok(_) => {
                    if !parked.workspace.has_unsaved_changes()
                        && let Some(recovery) = &mut parked.recovery
                    {
                        recovery.clear();
                    }
                    parked.autosaved_revision = None;
                    done.push(document.index);
                }
                Err(error) => failures.push(format!("{name}: {error}")),
            }
        }
        for index in done {
            session.record_saved(index, None);
        }
        self.write_manifest_if_missing();
        if failures.is_empty() {
            return;
        }
        self.after_save = None;
        self.banner = Some(Banner::Error(format!(
            "Could not save {} document(s) (their changes are kept; open each and save it to decide): {}",
            failures.len(),
            failures.join("; ")
        )));
    }

    /// At the end of a frame: takes in corpus work that has ended. True when any did.
    pub(super) fn take_finished_corpus_work(&mut self, ctx: &egui::Context) -> bool {
        let mut landed = false;
        if let Some(((), outcome)) = ended(&mut self.background.save_others) {
            self.others_saved(outcome);
            self.after_writes(ctx);
            landed = true;
        }
        landed |= self.take_finished_tag_change(ctx);
        landed
    }

    /// Writes the recovery files of parked documents with changes not yet in one.
    pub(super) fn autosave_parked(&mut self, ctx: &egui::Context) {
        let Some(session) = &mut self.corpus else { return };
        let mut failed = None;
        for (_, parked) in session.parked_mut() {
            let Some(autosaver) = &mut parked.recovery else {
                continue;
            };
            if let Some((revision, result)) = autosaver.poll() {
                match result {
                    Ok(()) => parked.autosaved_revision = Some(revision),
                    Err(error) => failed = Some(error.to_string()),
                }
            }
            let revision = parked.workspace.history().revision();
            if !parked.workspace.has_unsaved_changes()
                || autosaver.is_writing()
                || parked.autosaved_revision == Some(revision)
            {
                continue;
            }
            let project = parked.workspace.project().clone();
            if let Err(error) = autosaver.start(project, parked.workspace.recovery_document(), revision, ctx) {
                failed = Some(error.to_string());
            }
        }
        if let Some(error) = failed {
            self.banner = Some(Banner::Error(format!("Autosave failed: {error}")));
        }
    }

    /// When the window closes or the corpus is dropped: the parked documents' recovery files go.
    pub(super) fn clear_parked_recovery(&mut self) {
        let Some(session) = &mut self.corpus else { return };
        for (_, parked) in session.parked_mut() {
            if let Some(recovery) = &mut parked.recovery {
                recovery.finish_and_clear();
            }
        }
    }

    /// Whether any document has unsaved changes: the one shown or a parked one.
    pub(super) fn any_unsaved_changes(&self) -> bool {
        self.workspace.as_ref().is_some_and(Workspace::has_unsaved_changes)
            || self
                .corpus
                .as_ref()
                .is_some_and(|session| !session.parked_unsaved().is_empty())
    }

    /// After the document shown was saved: the list shows it started, with its count and tag set.
    pub(super) fn current_document_saved(&mut self) {
        let (Some(session), Some(workspace)) = (&mut self.corpus, &self.workspace) else {
            return;
        };
        if let Some(index) = session.current() {
            session.record_saved(index, Some(workspace));
        }
        self.write_manifest_if_missing();
    }
}
