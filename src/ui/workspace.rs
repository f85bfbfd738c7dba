//! The open document: its project, undo history, where it lives on disk and
//! how it was opened, plus the indexes the view needs (lines, spans).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::formats::{self, DocumentKind, OpenError};
use crate::model::edit::{Edit, EditError};
use crate::model::history::{GroupKey, History};
use crate::model::offsets::{ByteOffset, CharOffset, OffsetIndex};
use crate::model::project::Project;
use crate::model::span_index::{SpanIndex, SpansBefore};
use crate::project_file::{self, LoadError};
use crate::storage::recovery::RecoveryDocument;
use crate::storage::{self, DiskState, Expect, SaveError, Saved};

use super::paragraphs::Paragraphs;

/// How to read a file chosen by the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OpenAs {
    /// A `.ron` file is a project; anything else is plain text.
    Auto,
    /// A document whose every line is text.
    PlainText,
    /// A commented article: its `Comment:` lines become counter-claims.
    CommentedArticle,
}

impl OpenAs {
    /// What `Auto` means for this path.
    #[must_use]
    pub fn resolve(self, path: &Path) -> OpenAs {
        match self {
            OpenAs::Auto if is_project_path(path) => OpenAs::Auto,
            OpenAs::Auto => OpenAs::PlainText,
            other => other,
        }
    }
}

/// Whether a path names a project file (by its `.ron` extension).
#[must_use]
pub fn is_project_path(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("ron"))
}

/// Why a file could not be opened or saved. The open work is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("Could not open {path}: {source}")]
    Load { path: String, source: LoadError },
    #[error("{0}")]
    Open(#[from] OpenError),
    #[error("{0}")]
    Save(#[from] SaveError),
    #[error("This document has not been saved as a project yet: choose where with Save As.")]
    NoProjectPath,
    #[error("{0}")]
    Edit(#[from] EditError),
}

/// Where a piece of work lives and came from: what work that takes its
/// place keeps (File ▸ Replace Source Text…).
#[derive(Clone, Debug)]
pub struct Place {
    project_path: Option<PathBuf>,
    disk_state: Option<DiskState>,
    opened_from: Option<(PathBuf, OpenAs)>,
    imported_from: Option<PathBuf>,
}

/// The one open piece of work.
pub struct Workspace {
    project: Project,
    history: History,
    /// Where Save writes the project; `None` until a document is first saved.
    project_path: Option<PathBuf>,
    /// The project file as this window last read or saved it, so Save can
    /// tell when another window or program changed it since.
    disk_state: Option<DiskState>,
    /// The file the work was read from and how, for Reload.
    opened_from: Option<(PathBuf, OpenAs)>,
    /// The file an import read, for the title and suggested names (not for Reload).
    imported_from: Option<PathBuf>,
    paragraphs: Paragraphs,
    span_index: SpanIndex,
    /// Changes whenever the project does; unique across workspaces, so a view can tell its drawing is stale.
    edition: u64,
    /// Byte to code-point conversion over the text, built the first time the status bar needs it.
    char_offsets: OnceLock<OffsetIndex>,
    /// The number of lines, counted the first time it is shown.
    line_count: OnceLock<usize>,
}

/// A fresh edition number: never the same twice in one run.
fn next_edition() -> u64 {
    static EDITIONS: AtomicU64 = AtomicU64::new(0);
    EDITIONS.fetch_add(1, Ordering::Relaxed)
}

impl Workspace {
    /// Work on `project`; `project_path` is where Save writes it.
    #[must_use]
    pub fn new(project: Project, history: History, project_path: Option<PathBuf>) -> Self {
        let paragraphs = Paragraphs::new(project.text());
        let span_index = SpanIndex::new(&project);
        let opened_from = project_path.clone().map(|path| (path, OpenAs::Auto));
        Self {
            project,
            history,
            project_path,
            disk_state: None,
            opened_from,
            imported_from: None,
            paragraphs,
            span_index,
            edition: next_edition(),
            char_offsets: OnceLock::new(),
            line_count: OnceLock::new(),
        }
    }

    /// A new, unsaved project made by importing `from`.
    #[must_use]
    pub fn imported(project: Project, from: &Path) -> Self {
        let mut workspace = Self::new(project, History::unsaved(), None);
        workspace.imported_from = Some(from.to_path_buf());
        workspace
    }

    /// A new, unsaved curated project of the annotators' projects at `paths`:
    /// named after the first, with `-curated` (Save asks where, never over theirs).
    #[must_use]
    pub fn curated(project: Project, paths: &[PathBuf]) -> Self {
        let mut workspace = Self::new(project, History::unsaved(), None);
        workspace.imported_from = paths.first().map(|first| {
            let stem = first
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            first.with_file_name(format!("{stem}-curated.ron"))
        });
        workspace
    }

    /// The steps of [`Workspace::open_in_steps`], in words.
    pub const OPEN_STEPS: &'static [&'static str] =
        &["reading and checking the file", "indexing lines and annotations"];

    /// Opens a file: a `.ron` project, or a document read as `how` says.
    pub fn open(path: &Path, how: OpenAs) -> Result<Self, WorkspaceError> {
        Self::open_in_steps(path, how, |_| {})
    }

    /// [`Workspace::open`], calling `step` with the index in [`Workspace::OPEN_STEPS`] of each step it begins after the first.
    pub fn open_in_steps(path: &Path, how: OpenAs, step: impl Fn(usize)) -> Result<Self, WorkspaceError> {
        let how = how.resolve(path);
        let mut workspace = match how {
            OpenAs::Auto => {
                let (project, state) = project_file::load_with_state(path).map_err(|source| WorkspaceError::Load {
                    path: path.display().to_string(),
                    source,
                })?;
                step(1);
                let mut workspace = Self::new(project, History::new(), Some(path.to_path_buf()));
                workspace.disk_state = Some(state);
                workspace
            }
            OpenAs::PlainText | OpenAs::CommentedArticle => {
                let kind = if how == OpenAs::PlainText {
                    DocumentKind::PlainText
                } else {
                    DocumentKind::CommentedArticle
                };
                let project = formats::open_document(path, kind)?;
                step(1);
                Self::new(project, History::new(), None)
            }
        };
        workspace.opened_from = Some((path.to_path_buf(), how));
        Ok(workspace)
    }

    /// A document not saved as a project yet, whose Save writes `project_path`
    /// without asking where (a corpus's text file writes `NAME.ron` beside it);
    /// a file that appears there meanwhile is not replaced without asking.
    #[must_use]
    pub fn saving_to(mut self, project_path: PathBuf) -> Self {
        if self.project_path.is_none() {
            self.project_path = Some(project_path);
        }
        self
    }

    /// Where this work lives and came from.
    #[must_use]
    pub fn place(&self) -> Place {
        Place {
            project_path: self.project_path.clone(),
            disk_state: self.disk_state.clone(),
            opened_from: self.opened_from.clone(),
            imported_from: self.imported_from.clone(),
        }
    }

    /// Work on `project` in the place of other work: saved to the same path
    /// (expecting the file there as that work last saw it), reloaded from the
    /// same file, and unsaved until saved.
    #[must_use]
    pub fn in_place(project: Project, place: Place) -> Self {
        Self::in_place_with(project, place, History::unsaved())
    }

    /// [`Workspace::in_place`] for a project that is the same work read
    /// again (nothing unsaved): a document of a corpus given the corpus tag set.
    #[must_use]
    pub fn in_place_unchanged(project: Project, place: Place) -> Self {
        Self::in_place_with(project, place, History::new())
    }

    fn in_place_with(project: Project, place: Place, history: History) -> Self {
        let mut workspace = Self::new(project, history, None);
        let Place {
            project_path,
            disk_state,
            opened_from,
            imported_from,
        } = place;
        workspace.project_path = project_path;
        workspace.disk_state = disk_state;
        workspace.opened_from = opened_from;
        workspace.imported_from = imported_from;
        workspace
    }

    /// Unsaved work recovered after a crash, for the document it names.
    #[must_use]
    pub fn recovered(project: Project, document: RecoveryDocument) -> Self {
        let mut workspace = Self::new(project, History::unsaved(), document.project_path);
        workspace.disk_state = document.seen;
        if workspace.project_path.is_none() {
            workspace.opened_from = None;
            workspace.imported_from = document.source;
        }
        workspace
    }

    /// What a recovery file says about this work: its paths, name and what was seen on disk.
    #[must_use]
    pub fn recovery_document(&self) -> RecoveryDocument {
        RecoveryDocument {
            project_path: self.project_path.clone(),
            source: self.source_path().map(Path::to_path_buf),
            name: self.display_name(),
            seen: self.disk_state.clone(),
        }
    }

    /// The document this work was opened or imported from, if not a project.
    fn source_path(&self) -> Option<&Path> {
        self.opened_from
            .as_ref()
            .filter(|(_, how)| *how != OpenAs::Auto)
            .map(|(path, _)| path.as_path())
            .or(self.imported_from.as_deref())
    }

    /// Every file this work was read from: the project, the document it was
    /// opened or imported from, the source the project names. An export
    /// never suggests writing over one of them.
    #[must_use]
    pub fn source_files(&self) -> Vec<PathBuf> {
        let candidates = self
            .opened_from
            .iter()
            .map(|(path, _)| path.clone())
            .chain(self.imported_from.clone())
            .chain(self.project_path.clone())
            .chain(self.project.source().path.as_ref().map(PathBuf::from));
        let mut files: Vec<PathBuf> = Vec::new();
        for path in candidates {
            if !files.contains(&path) {
                files.push(path);
            }
        }
        files
    }

    /// Reads the file this work came from again, dropping unsaved changes.
    pub fn reloaded(&self) -> Result<Self, WorkspaceError> {
        let (path, how) = self.reload_source()?;
        Self::open(&path, how)
    }

    /// The file Reload reads, and how: the project, or the document the work was opened from.
    pub fn reload_source(&self) -> Result<(PathBuf, OpenAs), WorkspaceError> {
        match (&self.project_path, &self.opened_from) {
            // A document whose project was never written reads its document again.
            (Some(_), Some((path, how))) if self.disk_state.is_none() && *how != OpenAs::Auto => {
                Ok((path.clone(), *how))
            }
            (Some(path), _) => Ok((path.clone(), OpenAs::Auto)),
            (None, Some((path, how))) => Ok((path.clone(), *how)),
            (None, None) => Err(WorkspaceError::NoProjectPath),
        }
    }

    /// The project.
    #[must_use]
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The undo history.
    #[must_use]
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The document's lines.
    #[must_use]
    pub fn paragraphs(&self) -> &Paragraphs {
        &self.paragraphs
    }

    /// The annotation spans, indexed for the current state.
    #[must_use]
    pub fn span_index(&self) -> &SpanIndex {
        &self.span_index
    }

    /// The code-point offset of a byte offset in the text (as the project file and most tools count).
    #[must_use]
    pub fn char_offset(&self, offset: ByteOffset) -> CharOffset {
        let text = self.project.text();
        let index = self.char_offsets.get_or_init(|| OffsetIndex::new(text));
        index.byte_to_char(text, offset).unwrap_or(index.len_chars())
    }

    /// How many code points the text has.
    #[must_use]
    pub fn char_count(&self) -> usize {
        self.char_offset(ByteOffset(self.project.text().len())).0
    }

    /// How many lines the text has, counted as `counterpoint stats` counts them.
    #[must_use]
    pub fn line_count(&self) -> usize {
        *self
            .line_count
            .get_or_init(|| crate::model::lines::line_count(self.project.text()))
    }

    /// Which state of the project this is: a new number after every change.
    #[must_use]
    pub fn edition(&self) -> u64 {
        self.edition
    }

    /// Where Save writes the project, if known.
    #[must_use]
    pub fn project_path(&self) -> Option<&Path> {
        self.project_path.as_deref()
    }

    /// Where a first Save As should suggest: beside the document, named after it
    /// with `.ron` for its extension (`article.txt` suggests `article.ron`).
    #[must_use]
    pub fn suggested_project_path(&self) -> Option<PathBuf> {
        if let Some(path) = &self.project_path {
            return Some(path.clone());
        }
        let path = self
            .opened_from
            .as_ref()
            .map(|(path, _)| path)
            .or(self.imported_from.as_ref())?;
        path.file_name()?;
        Some(path.with_extension("ron"))
    }

    /// Whether there are changes not on disk.
    #[must_use]
    pub fn has_unsaved_changes(&self) -> bool {
        self.history.has_unsaved_changes()
    }

    /// Applies an edit as an undo step (merged with the previous one when the
    /// group key matches). The span index follows the spans it touched.
    pub fn apply(&mut self, edit: Edit, group: Option<GroupKey>) -> Result<(), EditError> {
        let before = SpansBefore::of(&edit, &self.project);
        self.history.apply(&mut self.project, edit, group)?;
        self.edition = next_edition();
        self.span_index.update(before, &self.project);
        Ok(())
    }

    /// Ends the current typing session so the next edit is its own undo step.
    pub fn close_group(&mut self) {
        self.history.close_group();
    }

    /// Undoes one step; false when there was nothing to undo.
    pub fn undo(&mut self) -> Result<bool, EditError> {
        let before = self
            .history
            .undo_edit()
            .map(|edit| SpansBefore::of(edit, &self.project));
        let undone = self.history.undo(&mut self.project)?;
        self.changed(before.filter(|_| undone));
        Ok(undone)
    }

    /// Redoes one step; false when there was nothing to redo.
    pub fn redo(&mut self) -> Result<bool, EditError> {
        let before = self
            .history
            .redo_edit()
            .map(|edit| SpansBefore::of(edit, &self.project));
        let redone = self.history.redo(&mut self.project)?;
        self.changed(before.filter(|_| redone));
        Ok(redone)
    }

    /// After an undo or redo: a new edition, and the index follows the spans it touched.
    fn changed(&mut self, before: Option<SpansBefore>) {
        if let Some(before) = before {
            self.edition = next_edition();
            self.span_index.update(before, &self.project);
        }
    }

    /// Saves the project where it lives, unless it changed on disk since this
    /// window read or saved it ([`SaveError::Conflict`]).
    pub fn save(&mut self) -> Result<Saved, WorkspaceError> {
        let path = self.project_path.clone().ok_or(WorkspaceError::NoProjectPath)?;
        self.save_as(&path)
    }

    /// Saves the project to `path`, which becomes where Save writes. Another
    /// existing file there, or this one changed on disk, is not replaced
    /// without the user's say-so ([`SaveError::Conflict`]).
    pub fn save_as(&mut self, path: &Path) -> Result<Saved, WorkspaceError> {
        let expect = self.expectation_for(path);
        self.save_to(path, &expect)
    }

    /// What Save expects to find at `path`: the file as last seen if it is
    /// this work's project, else nothing (or the same bytes).
    #[must_use]
    pub fn expectation_for(&self, path: &Path) -> Expect {
        match (&self.project_path, &self.disk_state) {
            (Some(own), Some(state)) if own == path => Expect::Seen(state.clone()),
            _ => Expect::Absent,
        }
    }

    /// Saves to `path` expecting `expect` there (an Overwrite the user confirmed, say).
    pub fn save_to(&mut self, path: &Path, expect: &Expect) -> Result<Saved, WorkspaceError> {
        let snapshot = self.snapshot_for_save(path, Some(expect.clone()));
        let result = snapshot.write(|_| {});
        self.saved(&snapshot.path, snapshot.revision, result)
    }

    /// The project as it is now, to save to `path` on another thread (with
    /// [`SaveSnapshot::write`], then [`Workspace::saved`]); `expect` is what the
    /// file there should be, by default [`Workspace::expectation_for`]. Ends the
    /// current typing session, so undo can come back to exactly this state.
    pub fn snapshot_for_save(&mut self, path: &Path, expect: Option<Expect>) -> SaveSnapshot {
        self.history.close_group();
        SaveSnapshot {
            expect: expect.unwrap_or_else(|| self.expectation_for(path)),
            project: self.project.clone(),
            path: path.to_path_buf(),
            revision: self.history.revision(),
        }
    }

    /// Takes in how the save of a snapshot taken at `revision` went: the state
    /// saved is marked saved (edits made since stay unsaved), and `path` is
    /// where Save writes from now on.
    pub fn saved(
        &mut self,
        path: &Path,
        revision: u64,
        result: Result<Saved, SaveError>,
    ) -> Result<Saved, WorkspaceError> {
        match result {
            Ok(saved) => {
                self.history.mark_saved_at(revision);
                self.project_path = Some(path.to_path_buf());
                self.disk_state = Some(saved.state.clone());
                Ok(saved)
            }
            Err(error) => {
                // Written but perhaps not durable: remember the file as it is
                // now, but keep the work marked unsaved so it is saved again.
                if let SaveError::NotConfirmed { saved, .. } = &error
                    && let Some(written) = saved.iter().find(|s| s.path == path)
                {
                    self.project_path = Some(path.to_path_buf());
                    self.disk_state = Some(written.state.clone());
                }
                Err(error.into())
            }
        }
    }

    /// The file name shown in the title.
    #[must_use]
    pub fn display_name(&self) -> String {
        let path = self
            .project_path
            .as_deref()
            .or(self.opened_from.as_ref().map(|(path, _)| path.as_path()))
            .or(self.imported_from.as_deref());
        path.and_then(Path::file_name)
            .map_or_else(|| "Untitled".to_owned(), |name| name.to_string_lossy().into_owned())
    }

    /// The window title: file name, a `*` for unsaved changes, the app name.
    #[must_use]
    pub fn title(&self) -> String {
        let mark = if self.has_unsaved_changes() { "*" } else { "" };
        format!("{}{mark} — Counterpoint", self.display_name())
    }
}

/// A project as it was when a save began and where it goes, to write on a
/// background thread while the work goes on.
pub struct SaveSnapshot {
    project: Project,
    expect: Expect,
    /// Where it is saved.
    pub path: PathBuf,
    /// The history's revision when it was taken.
    pub revision: u64,
}

impl SaveSnapshot {
    /// The steps of [`SaveSnapshot::write`], in words.
    pub const STEPS: &'static [&'static str] = &["preparing the project file", "writing it to disk"];

    /// Writes the project file (atomically, keeping a `.bak`: see
    /// [`storage::save`]), calling `step(1)` once the file's text is ready.
    pub fn write(&self, step: impl Fn(usize)) -> Result<Saved, SaveError> {
        let text = project_file::to_ron_string(&self.project).map_err(|error| SaveError::Failed {
            path: self.path.clone(),
            reason: format!("the project could not be written as RON ({error})"),
        })?;
        step(1);
        storage::save(&self.path, text.as_bytes(), &self.expect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::Span;
    use crate::model::tag_set::TagId;

    #[test]
    fn a_document_saves_as_a_project_and_reloads() {
        let folder = tempfile::tempdir().unwrap();
        let document = folder.path().join("article.txt");
        std::fs::write(&document, "Prices exploded.\r\nNobody knows.").unwrap();
        let mut workspace = Workspace::open(&document, OpenAs::Auto).unwrap();
        assert_eq!(workspace.title(), "article.txt — Counterpoint");
        let (edit, _) = Edit::tag_span(workspace.project(), Span::new(0, 6), TagId("Claim".into())).unwrap();
        workspace.apply(edit, None).unwrap();
        assert_eq!(workspace.span_index().len(), 1);
        assert_eq!(workspace.title(), "article.txt* — Counterpoint");
        assert!(matches!(workspace.save(), Err(WorkspaceError::NoProjectPath)));
        let target = workspace.suggested_project_path().unwrap();
        assert_eq!(target, folder.path().join("article.ron"));
        workspace.save_as(&target).unwrap();
        assert_eq!(workspace.title(), "article.ron — Counterpoint");
        assert_eq!(
            workspace.source_files(),
            [document.clone(), target.clone()],
            "an export never suggests writing over these"
        );
        let reopened = workspace.reloaded().unwrap();
        assert_eq!(reopened.project(), workspace.project());
        assert_eq!(reopened.paragraphs().len(), 2);
    }

    /// A save of a snapshot taken before an edit leaves that edit unsaved;
    /// undoing it comes back to what was saved.
    #[test]
    fn edits_made_while_a_snapshot_saves_stay_unsaved() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("p.ron");
        let text = "Prices exploded. Nobody knows why.";
        let project = Project::new(
            text.into(),
            crate::model::project::SourceInfo::of_text(text),
            crate::model::tag_set::TagSet::default_set(),
        );
        let mut workspace = Workspace::new(project, History::unsaved(), Some(path.clone()));
        let (edit, _) = Edit::tag_span(workspace.project(), Span::new(0, 6), TagId("Claim".into())).unwrap();
        workspace.apply(edit, None).unwrap();
        let snapshot = workspace.snapshot_for_save(&path, None);
        let (edit, _) = Edit::tag_span(workspace.project(), Span::new(17, 23), TagId("Claim".into())).unwrap();
        workspace.apply(edit, None).unwrap();
        let result = snapshot.write(|_| {});
        workspace.saved(&snapshot.path, snapshot.revision, result).unwrap();
        assert!(workspace.has_unsaved_changes(), "the later edit is not on disk");
        assert_eq!(
            project_file::load(&path).unwrap().annotation_count(),
            1,
            "the snapshot is"
        );
        workspace.undo().unwrap();
        assert!(!workspace.has_unsaved_changes(), "undone back to what was saved");
        assert_eq!(workspace.span_index().len(), 1);
    }

    #[test]
    fn a_broken_project_is_an_error_in_words() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("broken.ron");
        std::fs::write(&path, "(format: oops").unwrap();
        let error = Workspace::open(&path, OpenAs::Auto).err().unwrap();
        assert!(error.to_string().starts_with("Could not open"), "{error}");
    }
}
