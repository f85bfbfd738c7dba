//! Carrying out what the user asked for: the one place where the open work
//! changes, where file work is started (it runs in the background: see
//! `background.rs`), and where unsaved work is guarded.

use std::ops::Range;
use std::path::PathBuf;

use crate::storage::recovery::Leftover;

use egui::ViewportCommand;

use crate::model::annotation::AnnotationId;
use crate::model::edit::Edit;
use crate::model::history::GroupKey;
use crate::model::offsets::ByteOffset;
use crate::model::tag_set::TagId;

use super::CounterpointApp;
use super::background::Read;
use crate::storage::Overwrite;
use crate::ui::commands::{Action, UiCommand};
use crate::ui::dialogs::{Banner, ConfirmChoice, PathDialog, PathPurpose};
use crate::ui::interchange::{self, Report};
use crate::ui::selection::TextSelection;
use crate::ui::workspace::{OpenAs, Workspace};

/// Something that must wait until the user has decided about unsaved changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Pending {
    Close,
    Open(PathBuf, OpenAs),
    ChooseFile(OpenAs),
    /// Choose the file to import with the format of this name.
    ChooseImport(&'static str),
    /// Import this file (and its annotation file).
    Import {
        format: &'static str,
        file: PathBuf,
        annotations: Option<PathBuf>,
    },
    Reload,
    /// Recover this leftover in place of the open work.
    Recover(Leftover),
    /// Carry the open work onto this new version of its text.
    ReplaceSource(PathBuf),
    /// Curate these annotators' projects (the curated project becomes the open work).
    Curate(Vec<PathBuf>),
    /// Choose a folder to open as a corpus.
    ChooseFolder,
    /// Show this document of the open corpus (waits for running writes; the work shown is kept).
    Document {
        index: usize,
        select: Option<Range<ByteOffset>>,
    },
}

impl Pending {
    pub(super) fn description(&self) -> &'static str {
        match self {
            Pending::Close => "closing",
            Pending::Open(..) | Pending::ChooseFile(_) | Pending::ChooseFolder => "opening another file",
            Pending::Document { .. } => "opening another document",
            Pending::ChooseImport(_) | Pending::Import { .. } => "importing a file",
            Pending::Reload => "reloading",
            Pending::Recover(_) => "recovering other work",
            Pending::ReplaceSource(_) => "replacing the text",
            Pending::Curate(_) => "curating annotators' projects",
        }
    }
}

impl CounterpointApp {
    pub(super) fn answer_confirm(&mut self, ctx: &egui::Context, choice: ConfirmChoice, pending: Pending) {
        match choice {
            ConfirmChoice::Cancel => {}
            ConfirmChoice::Discard => self.run_pending(ctx, pending),
            ConfirmChoice::Save => {
                // Carried on with once the saves have landed, and kept while their
                // own questions are answered (Save As, Overwrite).
                self.after_save = Some(pending.clone());
                self.save_for(ctx, &pending);
            }
        }
    }

    /// Asks about unsaved changes first when there are any; while a save or
    /// an export runs, waits for it to end first.
    pub(super) fn request(&mut self, ctx: &egui::Context, pending: Pending) {
        if self.background.writing() {
            self.after_save = Some(pending);
        } else if !self.unsaved_names(&pending).is_empty() {
            self.confirm = Some(pending);
        } else {
            self.run_pending(ctx, pending);
        }
    }

    pub(super) fn run_pending(&mut self, ctx: &egui::Context, pending: Pending) {
        match pending {
            Pending::Close if self.background.writing() => self.after_save = Some(Pending::Close),
            Pending::Close => {
                self.close_confirmed = true;
                if let Some(recovery) = &mut self.recovery {
                    recovery.finish_and_clear();
                }
                self.clear_parked_recovery();
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Pending::Open(path, how) => self.start_read(Read::Open(path, how)),
            Pending::ChooseFile(how) => self.choose_file(ctx, PathPurpose::Open(how)),
            Pending::ChooseImport(format) => self.choose_file(ctx, PathPurpose::Import(format)),
            Pending::Import {
                format,
                file,
                annotations,
            } => self.start_read(Read::Import {
                format,
                file,
                annotations,
            }),
            Pending::Reload => match self.corpus.as_ref().and_then(crate::ui::corpus::CorpusSession::current) {
                // A document of the corpus is read as the corpus reads it (a text gets the corpus tag set).
                Some(index) => self.start_read(Read::CorpusDocument {
                    index,
                    select: None,
                    reload: true,
                }),
                None => self.start_read(Read::Reload),
            },
            Pending::Recover(leftover) => self.start_read(Read::Recover(leftover)),
            Pending::ReplaceSource(path) => self.start_read(Read::ReplaceSource(path)),
            Pending::Curate(paths) => self.start_read(Read::Curate(paths)),
            Pending::ChooseFolder => self.choose_file(ctx, PathPurpose::OpenFolder),
            Pending::Document { index, select } => self.open_corpus_document(index, select),
        }
    }

    /// Asks for a file to read, starting in the folder of the open work.
    fn choose_file(&mut self, ctx: &egui::Context, purpose: PathPurpose) {
        let folder = match &self.corpus {
            Some(session) => Some(session.root().join("")),
            None => self
                .workspace
                .as_ref()
                .and_then(Workspace::suggested_project_path)
                .and_then(|p| p.parent().map(|dir| dir.join(""))),
        };
        let native = self.options.native_dialogs;
        self.path_dialog = Some(PathDialog::new(purpose, folder, native, ctx));
    }

    /// Imports `file`; for a standoff format without `annotations`, the annotation
    /// file beside the text, or a second chooser asking for it when there is none.
    fn import(&mut self, ctx: &egui::Context, format: &'static str, file: PathBuf, annotations: Option<PathBuf>) {
        let annotations = match annotations {
            Some(path) => Some(path),
            None if interchange::is_standoff(format) => match interchange::annotations_beside(format, &file) {
                Ok(path) => Some(path),
                Err(why) => {
                    let suggested = file.parent().map(|dir| dir.join(""));
                    let purpose = PathPurpose::ImportAnnotations { format, text: file };
                    let dialog = PathDialog::new(purpose, suggested, self.options.native_dialogs, ctx);
                    self.path_dialog = Some(dialog.with_note(format!("Which annotation file goes with it? ({why})")));
                    return;
                }
            },
            None => None,
        };
        self.start_read(Read::Import {
            format,
            file,
            annotations,
        });
    }

    /// The summary in the banner; the warnings, if any, in a list beside it.
    pub(super) fn show_report(&mut self, report: Report) {
        self.banner = Some(Banner::Notice(report.summary.clone()));
        self.report = (!report.warnings.is_empty()).then_some(report);
    }

    /// Carries out one action: the only place the open work changes.
    pub(super) fn execute(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Command(command) => self.execute_command(ctx, command),
            Action::OpenPath(path, how) => self.request(ctx, Pending::Open(path, how)),
            Action::SaveTo(path) => {
                if !self.refuse_annotators_file(&path) {
                    self.start_save(ctx, &path, None);
                }
            }
            Action::Import {
                format,
                file,
                annotations,
            } => self.import(ctx, format, file, annotations),
            Action::ExportTo(format, path) => self.start_export(ctx, format, &path, Overwrite::Nothing),
            Action::ToggleTag(tag) => self.toggle_tag(tag),
            Action::Edit { edit, group, select } => self.apply(edit, group, select),
            Action::CloseGroup => {
                if let Some(workspace) = &mut self.workspace {
                    workspace.close_group();
                }
            }
            Action::OpenCorpusDocument { index, select } => self.open_corpus_document(index, select),
            Action::CorpusTagSetEdit { edit, group } => self.corpus_tag_set_edit(edit, group),
            Action::CorpusTagSetDone => self.start_tag_change(),
            Action::Reveal(id) => {
                let Some(workspace) = &self.workspace else { return };
                if let Some(annotation) = workspace.project().annotation(id) {
                    let span = annotation.span;
                    self.selection.select_annotation(id, span);
                    self.text_view.scroll_to(span.start);
                }
            }
        }
    }

    pub(super) fn execute_command(&mut self, ctx: &egui::Context, command: UiCommand) {
        match command {
            UiCommand::Open => self.request(ctx, Pending::ChooseFile(OpenAs::Auto)),
            UiCommand::OpenCommented => self.request(ctx, Pending::ChooseFile(OpenAs::CommentedArticle)),
            UiCommand::OpenFolder => self.request(ctx, Pending::ChooseFolder),
            UiCommand::Save => self.save(ctx),
            UiCommand::SaveAll => self.save_all(ctx),
            UiCommand::NextDocument | UiCommand::PreviousDocument => {
                self.step_document(command == UiCommand::NextDocument);
            }
            UiCommand::BringTagSetInLine => self.bring_tag_set_in_line(),
            UiCommand::SaveAs => {
                // A corpus document's project sits beside its text: Save writes it there.
                if self.workspace.is_some() && self.corpus.is_none() {
                    self.show_save_as(ctx);
                }
            }
            UiCommand::Reload => self.request(ctx, Pending::Reload),
            UiCommand::RecoverUnsavedWork => self.show_recover_list(),
            // The open work, unsaved edits and all, is carried over: nothing to ask first.
            UiCommand::ReplaceSourceText if self.workspace.is_some() => {
                self.choose_file(ctx, PathPurpose::ReplaceSource);
            }
            UiCommand::ReplaceSourceText => {}
            UiCommand::NextReview => self.next_review(),
            UiCommand::Quit => ctx.send_viewport_cmd(ViewportCommand::Close),
            UiCommand::Undo | UiCommand::Redo => self.undo_redo(command == UiCommand::Undo),
            UiCommand::Find => {
                if self.workspace.is_some() {
                    self.find_bar.open();
                }
            }
            UiCommand::DeleteAnnotation => {
                if let Some(id) = self.selection.annotation {
                    self.apply(Edit::RemoveAnnotation(id), None, None);
                    self.selection.annotation = None;
                }
            }
            UiCommand::EditTagSet => self.tag_set_editor.open(),
            UiCommand::SearchCorpus | UiCommand::CorpusStatistics => self.execute_corpus_command(command),
            UiCommand::DocumentLabels => self.document_panel.toggle(),
            UiCommand::TagWithHotkey(_)
            | UiCommand::TagAllOccurrences
            | UiCommand::LinkTo
            | UiCommand::NextAnnotation
            | UiCommand::PreviousAnnotation
            | UiCommand::NextUntaggedSentence
            | UiCommand::PreviousUntaggedSentence
            | UiCommand::Caret { .. }
            | UiCommand::Escape
            | UiCommand::ToggleTagPalette
            | UiCommand::ToggleSidePanel
            | UiCommand::ToggleDocumentList
            | UiCommand::ShowShortcuts => {
                self.execute_annotation_command(command);
            }
            UiCommand::Import(format) => self.request(ctx, Pending::ChooseImport(format)),
            UiCommand::CurateProjects
            | UiCommand::NextDisagreement
            | UiCommand::PreviousDisagreement
            | UiCommand::ShowAgreement => self.execute_curation_command(ctx, command),
            UiCommand::Export(format) => {
                let Some(workspace) = &self.workspace else { return };
                let sources = workspace.source_files();
                let suggested = workspace
                    .suggested_project_path()
                    .map(|like| format.suggested_path(&like, &sources));
                let native = self.options.native_dialogs;
                self.path_dialog = Some(PathDialog::new(PathPurpose::Export(format), suggested, native, ctx));
            }
        }
    }

    pub(super) fn undo_redo(&mut self, undo: bool) {
        if self.refuse_while_reading("changed") {
            return;
        }
        let Some(workspace) = &mut self.workspace else { return };
        let result = if undo { workspace.undo() } else { workspace.redo() };
        if let Err(error) = result {
            self.banner = Some(Banner::Error(format!("Could not undo or redo: {error}")));
        }
        if let Some(id) = self.selection.annotation {
            match workspace.project().annotation(id) {
                Some(annotation) => self.selection.text = Some(TextSelection::of_span(annotation.span)),
                None => self.selection.annotation = None,
            }
        }
    }

    pub(super) fn toggle_tag(&mut self, tag: TagId) {
        let Some(workspace) = &self.workspace else { return };
        let project = workspace.project();
        if self.corpus.is_some() && project.tag_set().get(&tag).is_none() {
            self.banner = Some(Banner::Notice(format!(
                "This document's own tag set has no {}: Edit ▸ {} gives it the corpus tag set.",
                tag.as_str(),
                UiCommand::BringTagSetInLine.menu_text()
            )));
            return;
        }
        if let Some(annotation) = self.selection.annotation.and_then(|id| project.annotation(id))
            && annotation.tags.contains(&tag)
        {
            let id = annotation.id;
            self.apply(Edit::remove_tag(project, id, tag), None, Some(id));
            return;
        }
        let Some(span) = self.selection.span() else { return };
        if let Some((edit, id)) = Edit::tag_span(project, span, tag) {
            self.apply(edit, None, Some(id));
        }
    }

    pub(super) fn apply(&mut self, edit: Edit, group: Option<GroupKey>, select: Option<AnnotationId>) {
        if self.refuse_while_reading("changed") {
            return;
        }
        let Some(workspace) = &mut self.workspace else { return };
        if let Err(error) = workspace.apply(edit, group) {
            self.banner = Some(Banner::Error(format!("That change could not be made: {error}")));
            return;
        }
        if let Some(id) = select
            && let Some(annotation) = workspace.project().annotation(id)
        {
            self.selection.select_annotation(id, annotation.span);
        }
    }
}
