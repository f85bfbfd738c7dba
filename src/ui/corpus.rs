//! The corpus open in the window: its documents, the one shown, and the work
//! of every document opened in this session. A document left for another
//! keeps its undo history and unsaved edits in memory (and its own recovery
//! file, so autosave covers it), until it is saved, discarded or shown again.
//!
//! The corpus tag set (the manifest's) is the palette of every document. It
//! is held here as a project without text, so the tag-set editor edits it as
//! it edits a document's, and each of its edits is made in every document
//! (see `app/corpus.rs`).

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

use crate::corpus::manifest::Manifest;
use crate::corpus::scan::{Corpus, DocumentEntry};
use crate::model::edit::{Edit, EditError};
use crate::model::project::{Project, SourceInfo};
use crate::model::tag_set::{TagId, TagSet};

use super::recovery::Autosaver;
use super::workspace::{OpenAs, Workspace, WorkspaceError};

/// How many documents without unsaved changes keep their work in memory while others show.
pub const KEEP_SAVED: usize = 100;

/// The work on a document of the corpus while another is shown.
pub(crate) struct Parked {
    pub workspace: Workspace,
    /// Its own recovery file's writer.
    pub recovery: Option<Autosaver>,
    /// The history revision its recovery file holds.
    pub autosaved_revision: Option<u64>,
}

/// One line of the document list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentRow {
    pub index: usize,
    /// Path from the corpus folder, without extension.
    pub name: String,
    pub size_bytes: u64,
    pub annotations: usize,
    /// Changes not saved yet (kept in memory while another document is shown).
    pub unsaved: bool,
    /// A text file without a project yet.
    pub not_started: bool,
    /// Its own tag set is not the corpus tag set.
    pub tag_set_differs: bool,
}

/// The open corpus.
pub struct CorpusSession {
    corpus: Corpus,
    /// The document shown (its work is the app's workspace).
    current: Option<usize>,
    /// Every other document opened in this session, by index.
    parked: BTreeMap<usize, Parked>,
    /// The parked documents, the one left longest ago first.
    parked_order: VecDeque<usize>,
    /// The corpus tag set, in a project without text: what the tag-set editor edits.
    tag_project: Project,
    /// The tag set the documents on disk have, while edits of it wait to be
    /// carried to the files (see [`CorpusSession::take_tag_change`]).
    tag_set_on_disk: Option<TagSet>,
    /// Changes whenever the list's rows may have (for the list's cached order).
    revision: u64,
}

impl CorpusSession {
    /// The session of a corpus just scanned, no document shown yet.
    #[must_use]
    pub fn new(corpus: Corpus) -> Self {
        let tag_project = tag_project(corpus.manifest.tag_set.clone());
        Self {
            corpus,
            current: None,
            parked: BTreeMap::new(),
            parked_order: VecDeque::new(),
            tag_project,
            tag_set_on_disk: None,
            revision: 0,
        }
    }

    /// The corpus: its folder, manifest and documents.
    #[must_use]
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.corpus.root
    }

    /// The corpus tag set.
    #[must_use]
    pub fn tag_set(&self) -> &TagSet {
        self.tag_project.tag_set()
    }

    /// The corpus tag set in a project without text (for the tag-set editor).
    #[must_use]
    pub fn tag_project(&self) -> &Project {
        &self.tag_project
    }

    /// The manifest as it is now (to save).
    #[must_use]
    pub fn manifest(&self) -> Manifest {
        Manifest {
            name: self.corpus.manifest.name.clone(),
            tag_set: self.tag_set().clone(),
        }
    }

    /// The document shown.
    #[must_use]
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    pub(crate) fn set_current(&mut self, index: Option<usize>) {
        self.current = index;
        self.revision += 1;
    }

    /// How many documents the corpus has.
    #[must_use]
    pub fn len(&self) -> usize {
        self.corpus.documents.len()
    }

    /// Whether the corpus has no documents.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.corpus.documents.is_empty()
    }

    /// The entry of document `index`.
    #[must_use]
    pub fn entry(&self, index: usize) -> Option<&DocumentEntry> {
        self.corpus.documents.get(index)
    }

    /// The work on document `index` while another is shown, if it was opened in this session.
    #[must_use]
    pub fn parked(&self, index: usize) -> Option<&Workspace> {
        self.parked.get(&index).map(|parked| &parked.workspace)
    }

    /// Keeps the work on document `index` while another shows. Of the
    /// documents without unsaved changes, the [`KEEP_SAVED`] left last are
    /// kept (with their undo history); older ones are let go, their files
    /// being all they hold. Work with unsaved changes is always kept.
    pub(crate) fn park(&mut self, index: usize, parked: Parked) {
        self.parked.insert(index, parked);
        self.parked_order.retain(|i| *i != index);
        self.parked_order.push_back(index);
        let saved = |parked: &BTreeMap<usize, Parked>, i: &usize| {
            parked.get(i).is_some_and(|p| !p.workspace.has_unsaved_changes())
        };
        let mut kept_saved = self.parked_order.iter().filter(|i| saved(&self.parked, i)).count();
        while kept_saved > KEEP_SAVED {
            let Some(oldest) = self.parked_order.iter().copied().find(|i| saved(&self.parked, i)) else {
                break;
            };
            self.parked_order.retain(|i| *i != oldest);
            if let Some(Parked {
                recovery: Some(mut recovery),
                ..
            }) = self.parked.remove(&oldest)
            {
                recovery.clear();
            }
            kept_saved -= 1;
        }
        self.revision += 1;
    }

    pub(crate) fn unpark(&mut self, index: usize) -> Option<Parked> {
        self.revision += 1;
        self.parked_order.retain(|i| *i != index);
        self.parked.remove(&index)
    }

    /// The parked work, to change in place (call [`CorpusSession::touch`] when rows change).
    pub(crate) fn parked_mut(&mut self) -> impl Iterator<Item = (usize, &mut Parked)> {
        self.parked.iter_mut().map(|(index, parked)| (*index, parked))
    }

    /// Drops the work of documents left without unsaved changes (their files are all they hold).
    pub(crate) fn drop_saved_parked(&mut self) {
        self.parked.retain(|_, parked| parked.workspace.has_unsaved_changes());
        let parked = &self.parked;
        self.parked_order.retain(|index| parked.contains_key(index));
        self.revision += 1;
    }

    /// Takes every parked document's work (the corpus closes).
    pub(crate) fn take_parked(&mut self) -> Vec<Parked> {
        self.revision += 1;
        self.parked_order.clear();
        std::mem::take(&mut self.parked).into_values().collect()
    }

    /// The indexes of documents opened in this session other than the one shown.
    pub fn parked_indexes(&self) -> impl Iterator<Item = usize> + '_ {
        self.parked.keys().copied()
    }

    /// The documents other than the one shown with unsaved changes: index and name.
    #[must_use]
    pub fn parked_unsaved(&self) -> Vec<(usize, String)> {
        self.parked
            .iter()
            .filter(|(_, parked)| parked.workspace.has_unsaved_changes())
            .map(|(index, _)| (*index, self.name(*index)))
            .collect()
    }

    /// The name of document `index` in the list.
    #[must_use]
    pub fn name(&self, index: usize) -> String {
        self.entry(index).map_or_else(String::new, |entry| entry.name.clone())
    }

    /// Changes whenever a row of the list may have.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Marks the rows as changed (after a save, say).
    pub(crate) fn touch(&mut self) {
        self.revision += 1;
    }

    /// The line of document `index`; `shown` is the work of the document shown.
    #[must_use]
    pub fn row(&self, index: usize, shown: Option<&Workspace>) -> Option<DocumentRow> {
        let entry = self.entry(index)?;
        let open = if self.current == Some(index) {
            shown
        } else {
            self.parked(index)
        };
        let row = match open {
            Some(workspace) => DocumentRow {
                index,
                name: entry.name.clone(),
                size_bytes: entry.size_bytes,
                annotations: workspace.project().annotation_count(),
                unsaved: workspace.has_unsaved_changes(),
                not_started: entry.project.is_none(),
                tag_set_differs: workspace.project().tag_set() != self.tag_set(),
            },
            None => DocumentRow {
                index,
                name: entry.name.clone(),
                size_bytes: entry.size_bytes,
                annotations: entry.annotations,
                unsaved: false,
                not_started: entry.project.is_none(),
                tag_set_differs: entry.tag_set_differs,
            },
        };
        Some(row)
    }

    /// After document `index` was saved: it has a project now, with the
    /// count and tag set of its work (`shown`, else its parked work).
    pub(crate) fn record_saved(&mut self, index: usize, shown: Option<&Workspace>) {
        let manifest = self.manifest();
        let Some(workspace) = shown.or_else(|| self.parked.get(&index).map(|parked| &parked.workspace)) else {
            return;
        };
        if let Some(entry) = self.corpus.documents.get_mut(index) {
            if let Some(path) = workspace.project_path() {
                entry.project = Some(path.to_path_buf());
            }
            entry.refresh(workspace.project(), &manifest);
        }
        self.revision += 1;
    }

    /// The document whose project or text is `path`.
    #[must_use]
    pub fn index_of(&self, path: &Path) -> Option<usize> {
        let same = |candidate: &Option<PathBuf>| candidate.as_deref().is_some_and(|p| same_file(p, path));
        self.corpus
            .documents
            .iter()
            .position(|entry| same(&entry.project) || same(&entry.text))
    }

    /// Makes a change of the corpus tag set (not yet in the files: see
    /// [`CorpusSession::take_tag_change`]).
    pub(crate) fn edit_tag_set(&mut self, edit: Edit) -> Result<(), EditError> {
        let before = self.tag_set().clone();
        edit.apply(&mut self.tag_project)?;
        self.tag_set_on_disk.get_or_insert(before);
        self.revision += 1;
        Ok(())
    }

    /// Whether a tag-set change waits to be carried to the files.
    #[must_use]
    pub fn tag_change_waiting(&self) -> bool {
        self.tag_set_on_disk.is_some()
    }

    /// The tag-set change waiting for the files: the tag set they have, and
    /// the one they get. The caller carries it to the files.
    pub(crate) fn take_tag_change(&mut self) -> Option<(TagSet, TagSet)> {
        let before = self.tag_set_on_disk.take()?;
        self.corpus.manifest.tag_set = self.tag_set().clone();
        Some((before, self.tag_set().clone()))
    }

    /// Whether the folder has its manifest file (a corpus opened without one gets it on its first save).
    #[must_use]
    pub fn has_manifest_file(&self) -> bool {
        Manifest::path(&self.corpus.root).exists()
    }

    /// After a tag-set change that took the tags `removed` off every
    /// annotation was carried to the files at these indexes.
    pub(crate) fn brought_in_line(&mut self, indexes: &[usize], removed: &[TagId]) {
        for index in indexes {
            if let Some(entry) = self.corpus.documents.get_mut(*index) {
                entry.tag_set_differs = false;
                entry.tag_counts.retain(|tag, _| !removed.contains(tag));
            }
        }
        self.revision += 1;
    }
}

/// A project without text holding `tag_set`.
fn tag_project(tag_set: TagSet) -> Project {
    Project::new(String::new(), SourceInfo::of_text(""), tag_set)
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || std::fs::canonicalize(a)
            .ok()
            .zip(std::fs::canonicalize(b).ok())
            .is_some_and(|(a, b)| a == b)
}

/// The steps of [`open_document`], in words.
pub const OPEN_STEPS: &[&str] = Workspace::OPEN_STEPS;

/// Opens a document of the corpus: its project, or (not started) its text,
/// with the corpus tag set, saving to `NAME.ron` beside the text.
pub fn open_document(
    entry: &DocumentEntry,
    tag_set: &TagSet,
    step: impl Fn(usize),
) -> Result<Workspace, WorkspaceError> {
    if let Some(project) = &entry.project {
        return Workspace::open_in_steps(project, OpenAs::Auto, step);
    }
    let Some(text) = &entry.text else {
        return Err(WorkspaceError::NoProjectPath);
    };
    let opened = Workspace::open_in_steps(text, OpenAs::PlainText, step)?;
    let place = opened.place();
    let read = opened.project();
    let mut source = read.source().clone();
    // The project names its text as it sits beside it, so the corpus can move.
    source.path = text.file_name().map(|name| name.to_string_lossy().into_owned());
    let project = Project::new(read.text().to_owned(), source, tag_set.clone());
    let workspace = Workspace::in_place_unchanged(project, place);
    Ok(workspace.saving_to(text.with_extension("ron")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::Edit;
    use crate::model::history::History;
    use crate::model::span::Span;
    use crate::model::tag_set::TagId;

    fn session(documents: usize) -> CorpusSession {
        let entry = |index: usize| DocumentEntry {
            name: format!("d{index:03}"),
            project: Some(PathBuf::from(format!("/corpus/d{index:03}.ron"))),
            text: None,
            size_bytes: 10,
            annotations: 0,
            tag_counts: std::collections::BTreeMap::new(),
            tag_set_differs: false,
            problem: None,
        };
        CorpusSession::new(Corpus {
            root: PathBuf::from("/corpus"),
            manifest: Manifest {
                name: "c".into(),
                tag_set: TagSet::default_set(),
            },
            manifest_state: None,
            documents: (0..documents).map(entry).collect(),
            warnings: Vec::new(),
        })
    }

    fn parked(unsaved: bool) -> Parked {
        let text = "Prices exploded.";
        let project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
        let mut workspace = Workspace::new(project, History::new(), None);
        if unsaved {
            let (edit, _) = Edit::tag_span(workspace.project(), Span::new(0, 6), TagId("Claim".into())).unwrap();
            workspace.apply(edit, None).unwrap();
        }
        Parked {
            workspace,
            recovery: None,
            autosaved_revision: None,
        }
    }

    #[test]
    fn work_with_changes_is_always_kept_and_saved_work_only_for_the_last_documents_left() {
        let mut session = session(KEEP_SAVED + 30);
        session.park(0, parked(true));
        for index in 1..KEEP_SAVED + 30 {
            session.park(index, parked(false));
        }
        let kept: Vec<usize> = session.parked_indexes().collect();
        assert_eq!(kept.len(), KEEP_SAVED + 1);
        assert!(
            session.parked(0).is_some(),
            "unsaved work stays, however long ago it was left"
        );
        assert!(session.parked(29).is_none(), "the oldest saved work is let go");
        assert!(session.parked(30).is_some());
        assert_eq!(session.parked_unsaved(), [(0, "d000".to_owned())]);
        let row = session.row(0, None).unwrap();
        assert!(
            row.unsaved && row.annotations == 1,
            "the list shows the kept work: {row:?}"
        );
        assert!(session.unpark(0).is_some());
        assert!(session.parked_unsaved().is_empty());
    }
}
