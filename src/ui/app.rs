//! The editor application: panels around the text view, and the one place
//! where commands are carried out.

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::ViewportCommand;

use crate::messages::echo;
use crate::model::history::History;
use crate::model::project::SourceMismatch;
use crate::model::span::Span;
use crate::storage::recovery::{Leftover, RecoveryFolder};

use super::annotation_list::AnnotationList;
use super::claim_panel::ClaimPanel;
use super::commands::{Action, UiCommand};
use super::corpus::CorpusSession;
use super::corpus_list::CorpusList;
use super::curation::CurationView;
use super::dialogs::{self, Banner, PathChoice, PathDialog, PathPurpose};
use super::document_panel::DocumentPanel;
use super::file_dialogs::{self, FileQuestion};
use super::find_bar::FindBar;
use super::interchange::{self, ExportFormat, Report};
use super::linking::Linker;
use super::occurrences::OccurrencesDialog;
use super::preferences::StoredPreferences;
use super::recent_files::RecentFiles;
use super::recovery::Autosaver;
use super::review_list::ReviewList;
use super::selection::TextSelection;
use super::shortcut_sheet::ShortcutSheet;
use super::status_bar::{LastSave, status_bar_ui};
use super::tag_set_editor::TagSetEditor;
use super::text_view::{TextView, ViewSelection};
use super::workspace::{OpenAs, Workspace};

mod annotate;
mod background;
mod corpus;
mod corpus_tags;
mod corpus_tools;
mod curating;
mod execute;
mod panels;
mod progress;
mod recovering;
mod saving;

use execute::Pending;

/// Where the app keeps its files and how it behaves outside the document.
#[derive(Clone, Debug)]
pub struct AppOptions {
    /// Folder for the recovery files of unsaved work; `None` turns autosave off.
    pub recovery_dir: Option<PathBuf>,
    /// Folder for the recent-files list; `None` keeps the list in memory only.
    pub config_dir: Option<PathBuf>,
    /// Folder for the cache of corpus document summaries; `None` reads every project when a corpus opens.
    pub cache_dir: Option<PathBuf>,
    /// Whether File ▸ Open and Save As also show the system's file dialog.
    pub native_dialogs: bool,
    /// How often unsaved work is written to the recovery file.
    pub autosave_interval: Duration,
    /// How long a frame waits for file work it starts (save, open, import,
    /// export) to end: zero in the window, which draws on while it runs;
    /// `Duration::MAX` waits until it is done, so each outcome shows at once.
    pub wait_for_work: Duration,
    /// How long file work runs before its progress box shows, so that work
    /// done within a frame or so never flashes one.
    pub progress_after: Duration,
}

impl AppOptions {
    /// The user's own folders (XDG data and config dirs on Linux) and native dialogs.
    #[must_use]
    pub fn for_user() -> Self {
        let dirs = directories::ProjectDirs::from("org", "Counterpoint", "counterpoint");
        Self {
            recovery_dir: dirs.as_ref().map(|d| d.data_dir().join("recovery")),
            config_dir: dirs.as_ref().map(|d| d.config_dir().to_path_buf()),
            cache_dir: crate::corpus::cache::default_dir(),
            native_dialogs: true,
            autosave_interval: Duration::from_mins(1),
            wait_for_work: Duration::ZERO,
            progress_after: Duration::from_millis(20),
        }
    }

    /// No files outside the document and no native dialogs, and file work
    /// waited for in full (so each outcome shows at once): for tests and benchmarks.
    #[must_use]
    pub fn headless() -> Self {
        Self {
            recovery_dir: None,
            config_dir: None,
            cache_dir: None,
            native_dialogs: false,
            autosave_interval: Duration::from_mins(1),
            wait_for_work: Duration::MAX,
            progress_after: Duration::ZERO,
        }
    }
}

/// The Counterpoint editor. Construct it with [`CounterpointApp::new`] and
/// draw a frame with [`CounterpointApp::ui`]; no eframe needed (tests and
/// benchmarks drive it headless).
pub struct CounterpointApp {
    /// The work shown: a document, or the document shown of the open corpus.
    workspace: Option<Workspace>,
    /// The open corpus, with the work on its other documents opened in this session.
    corpus: Option<CorpusSession>,
    corpus_list: CorpusList,
    /// How wide the document list was drawn (the other panels share the rest).
    list_width: f32,
    /// A corpus tag whose deletion waits for the user's yes: the edit, its name, uses and documents.
    corpus_tag_delete: Option<(crate::model::edit::Edit, String, usize, usize)>,
    options: AppOptions,
    selection: ViewSelection,
    text_view: TextView,
    claim_panel: ClaimPanel,
    annotation_list: AnnotationList,
    review_list: ReviewList,
    find_bar: FindBar,
    tag_set_editor: TagSetEditor,
    /// A link being made with the mouse.
    linker: Linker,
    document_panel: DocumentPanel,
    path_dialog: Option<PathDialog>,
    confirm: Option<Pending>,
    after_save: Option<Pending>,
    banner: Option<Banner>,
    report: Option<Report>,
    recovery: Option<Autosaver>,
    /// Unsaved work of the document just opened, left by a window that closed
    /// without saving, and how many more of it there are.
    recovery_offer: Option<(Leftover, usize)>,
    /// File ▸ Recover Unsaved Work…, while open.
    recover_list: Option<Vec<Leftover>>,
    /// Whether this window has said that other documents' work is waiting.
    leftovers_noted: bool,
    /// A question before writing over a file, or about one that cannot be saved.
    question: Option<FileQuestion>,
    recent: RecentFiles,
    last_autosave_secs: f64,
    autosaved_revision: Option<u64>,
    close_confirmed: bool,
    shown_title: String,
    actions: Vec<Action>,
    preferences: StoredPreferences,
    shortcut_sheet: ShortcutSheet,
    occurrences: OccurrencesDialog,
    last_save: LastSave,
    /// The window below the menu bar, where windows open.
    work_area: egui::Rect,
    /// Whether a text field had the keyboard at the end of the last frame.
    was_typing: bool,
    /// Saves, exports and opens running in the background.
    background: background::Background,
    /// The window's context, for background work to wake it when it ends.
    waker: Option<egui::Context>,
    /// Adjudication of annotators' projects: its chooser, and the session while curating.
    curation: CurationView,
    /// Edit ▸ Search Corpus… and View ▸ Corpus Statistics…, and their work.
    corpus_tools: corpus_tools::CorpusTools,
}

impl CounterpointApp {
    /// An editor showing `workspace` (or a welcome page when `None`).
    #[must_use]
    pub fn new(workspace: Option<Workspace>, options: AppOptions) -> Self {
        let recovery = options
            .recovery_dir
            .clone()
            .map(|dir| Autosaver::new(RecoveryFolder::new(dir)));
        let recent = RecentFiles::load(options.config_dir.as_ref().map(|d| d.join("recent.ron")));
        let preferences = StoredPreferences::load(options.config_dir.as_ref().map(|d| d.join("preferences.ron")));
        let mut app = Self {
            workspace,
            corpus: None,
            corpus_list: CorpusList::default(),
            list_width: 0.0,
            corpus_tag_delete: None,
            options,
            selection: ViewSelection::default(),
            text_view: TextView::default(),
            claim_panel: ClaimPanel::default(),
            annotation_list: AnnotationList::default(),
            review_list: ReviewList::default(),
            find_bar: FindBar::default(),
            tag_set_editor: TagSetEditor::default(),
            linker: Linker::default(),
            document_panel: DocumentPanel::default(),
            path_dialog: None,
            confirm: None,
            after_save: None,
            banner: None,
            report: None,
            recovery,
            recovery_offer: None,
            recover_list: None,
            leftovers_noted: false,
            question: None,
            recent,
            last_autosave_secs: 0.0,
            autosaved_revision: None,
            close_confirmed: false,
            shown_title: String::new(),
            actions: Vec::new(),
            preferences,
            shortcut_sheet: ShortcutSheet::default(),
            occurrences: OccurrencesDialog::default(),
            last_save: LastSave::default(),
            work_area: egui::Rect::EVERYTHING,
            was_typing: false,
            background: background::Background::default(),
            waker: None,
            curation: CurationView::default(),
            corpus_tools: corpus_tools::CorpusTools::default(),
        };
        app.after_start();
        app
    }

    /// Wakes `ctx` when background work ends, also work started before the
    /// first frame (the window opens its file while it creates itself).
    pub fn wake(&mut self, ctx: &egui::Context) {
        self.waker = Some(ctx.clone());
    }

    /// Whether a file is being read in the background (opened, imported,
    /// recovered): the frame shows what was open before it.
    #[must_use]
    pub fn is_reading(&self) -> bool {
        self.background.reading()
    }

    /// Waits up to `timeout` for the file being read, and shows it once read
    /// (as the next frame would).
    pub fn wait_for_reading(&mut self, timeout: Duration) {
        self.land_read_within(timeout);
    }

    /// Opens a file (no unsaved-changes question) in the background; it
    /// shows once read, and a failure shows in the window.
    /// A folder opens as a corpus.
    pub fn open_file(&mut self, path: &Path, how: OpenAs) {
        self.start_read(background::Read::Open(path.to_path_buf(), how));
    }

    /// Carries the open work onto the new version of its text in `path`, in
    /// the background (File ▸ Replace Source Text…, without the chooser).
    pub fn replace_source_text(&mut self, path: &Path) {
        self.start_read(background::Read::ReplaceSource(path.to_path_buf()));
    }

    /// Selects the next annotation that needs review and scrolls to it.
    fn next_review(&mut self) {
        let Some(workspace) = &self.workspace else { return };
        let near = self.selection.text.map(TextSelection::span);
        let Some(id) = self.review_list.next(workspace, near) else {
            return;
        };
        if let Some(annotation) = workspace.project().annotation(id) {
            let span = annotation.span;
            self.selection.select_annotation(id, span);
            self.text_view.scroll_to(span.start);
        }
    }

    /// The open work, if any.
    #[must_use]
    pub fn workspace(&self) -> Option<&Workspace> {
        self.workspace.as_ref()
    }

    /// What is selected in the text.
    #[must_use]
    pub fn selection(&self) -> &ViewSelection {
        &self.selection
    }

    /// The error or notice shown across the top, if any.
    #[must_use]
    pub fn banner(&self) -> Option<&Banner> {
        self.banner.as_ref()
    }

    /// What the last import or export changed or left out, while shown.
    #[must_use]
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// The recent-files list.
    #[must_use]
    pub fn recent_files(&self) -> &RecentFiles {
        &self.recent
    }

    /// The window title.
    #[must_use]
    pub fn title(&self) -> String {
        match (&self.corpus, self.workspace.as_ref()) {
            (Some(session), workspace) => {
                let document = session.current().map(|index| {
                    let mark = if workspace.is_some_and(Workspace::has_unsaved_changes) {
                        "*"
                    } else {
                        ""
                    };
                    format!("{}{mark} — ", session.name(index))
                });
                format!(
                    "{}{} — Counterpoint",
                    document.unwrap_or_default(),
                    session.corpus().manifest.name
                )
            }
            (None, workspace) => workspace.map_or_else(|| "Counterpoint".to_owned(), Workspace::title),
        }
    }

    /// Where `span` was drawn in the last frame, one rectangle per row (for tests and benchmarks).
    #[must_use]
    pub fn screen_rects(&self, span: Span) -> Vec<egui::Rect> {
        self.workspace
            .as_ref()
            .map(|w| self.text_view.screen_rects(w, span))
            .unwrap_or_default()
    }

    /// Scrolls the text so that `span` is in view on the next frame.
    pub fn reveal_span(&mut self, span: Span) {
        self.text_view.scroll_to(span.start);
    }

    /// Draws one whole frame into the root `ui` and carries out what the user did.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.waker.get_or_insert_with(|| ctx.clone());
        self.take_finished_work(&ctx);
        self.note_leftovers_once();
        self.apply_theme(&ctx);
        self.handle_window_events(&ctx);
        if self.modal_open() {
            self.dialogs_ui(&ctx);
        } else {
            self.handle_keys(&ctx);
        }
        self.panels_ui(ui);
        if !self.modal_open() {
            self.dialogs_ui(&ctx);
        }
        let actions = std::mem::take(&mut self.actions);
        for action in actions {
            self.execute(&ctx, action);
        }
        self.corpus_tools_ui(&ctx);
        self.autosave(&ctx);
        self.autosave_parked(&ctx);
        self.carry_tag_change();
        self.was_typing = ctx.text_edit_focused();
        self.progress_ui(&ctx);
        let title = self.title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    fn modal_open(&self) -> bool {
        self.path_dialog.is_some()
            || self.confirm.is_some()
            || self.question.is_some()
            || self.recovery_offer.is_some()
            || self.recover_list.is_some()
            || self.occurrences.is_open()
            || self.curation.dialog.is_some()
            || self.corpus_tag_delete.is_some()
            || self.linker.is_choosing_type()
    }

    /// Shows `workspace` in place of the work shown (dropped, the user was asked).
    fn set_workspace(&mut self, workspace: Workspace) {
        self.workspace = Some(workspace);
        self.reset_view();
        self.autosaved_revision = None;
        // A text changed by hand since it was read opens, with a word about it (it may be meant).
        self.banner = workspace_notice(self.workspace.as_ref());
        // Work replaced by another file is discarded, so this window's recovery file goes too.
        if let Some(recovery) = &mut self.recovery {
            recovery.clear();
        }
    }

    /// The view of the work shown back to its start: nothing selected, at the top.
    fn reset_view(&mut self) {
        self.selection = ViewSelection::default();
        self.linker.cancel();
        self.text_view.reset();
        self.annotation_list.reset();
        self.review_list.reset();
        self.find_bar.clear_hits();
        self.curation.end();
    }

    /// Whether any work has unsaved changes: the work shown, or another document of the corpus.
    fn has_unsaved_changes(&self) -> bool {
        self.any_unsaved_changes()
    }

    fn handle_window_events(&mut self, ctx: &egui::Context) {
        let closing = ctx.input(|i| i.viewport().close_requested());
        if closing {
            // A tag-set change still waiting goes to the files before the window goes.
            self.start_tag_change();
        }
        if closing && !self.close_waits_for_writes(ctx) {
            if self.close_confirmed || !self.has_unsaved_changes() {
                if let Some(recovery) = &mut self.recovery {
                    recovery.finish_and_clear();
                }
                self.clear_parked_recovery();
            } else {
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.confirm = Some(Pending::Close);
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.actions.push(Action::OpenPath(path, OpenAs::Auto));
        }
    }

    fn handle_keys(&mut self, ctx: &egui::Context) {
        // egui drops a field's focus on Escape before the frame starts: a field
        // that had the keyboard last frame still counts, so Escape only leaves it.
        let typing = ctx.text_edit_focused() || self.was_typing;
        // Counter-claims and tag definitions are the document's text: Ctrl+Z in
        // their fields undoes the document's steps. Any other one-line field
        // (find, filter) keeps Ctrl+Z for its own text.
        // In a corpus the editor edits the corpus tag set, not the document: Ctrl+Z there is the field's own.
        let typing_in_document = self.claim_panel.is_editing()
            || (self.tag_set_editor.is_editing() && self.corpus.is_none())
            || self.document_panel.is_editing();
        let typing_outside_document = typing && !typing_in_document;
        for (command, shortcut) in UiCommand::with_shortcuts() {
            let undoes = matches!(command, UiCommand::Undo | UiCommand::Redo);
            if typing && !command.works_while_typing() || typing_outside_document && undoes {
                continue;
            }
            if !ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                continue;
            }
            match command {
                // Caret motions need this frame's layout: the text view carries them out as it draws.
                UiCommand::Caret { motion, extend } if self.workspace.is_some() => {
                    self.text_view.queue_motion(motion, extend);
                }
                _ => self.actions.push(Action::Command(command)),
            }
        }
    }

    fn panels_ui(&mut self, ui: &mut egui::Ui) {
        let menu_bar = egui::Panel::top("menu bar").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menu_ui(ui));
        });
        self.work_area = ui.ctx().content_rect().with_min_y(menu_bar.response.rect.bottom());
        if let Some(banner) = &self.banner
            && egui::Panel::top("banner")
                .show(ui, |ui| dialogs::banner_ui(ui, banner))
                .inner
        {
            self.banner = None;
        }
        if let Some(workspace) = &self.workspace
            && !workspace.project().conflicts().is_empty()
        {
            let actions = &mut self.actions;
            egui::Panel::top("conflicts").show(ui, |ui| {
                crate::ui::conflicts::conflicts_ui(ui, workspace.project(), actions);
            });
        }
        if self.find_bar.is_open()
            && let Some(workspace) = &self.workspace
        {
            let hit = egui::Panel::top("find bar")
                .show(ui, |ui| self.find_bar.ui(ui, workspace.project().text()))
                .inner;
            if let Some(hit) = hit {
                self.selection = ViewSelection {
                    text: Some(TextSelection::of_span(hit)),
                    annotation: None,
                };
                self.text_view.scroll_to(hit.start);
            }
        }
        egui::Panel::bottom("status bar").show(ui, |ui| {
            status_bar_ui(ui, self.workspace.as_ref(), &self.selection, self.last_save);
        });
        self.shortcut_sheet.ui(ui.ctx(), self.work_area);
        self.corpus_list_ui(ui);
        if self.workspace.is_none() {
            let opening = self.background.reading();
            let corpus = self.corpus.is_some();
            egui::CentralPanel::default().show(ui, |ui| {
                if corpus {
                    corpus_welcome_ui(ui, opening);
                } else {
                    welcome_ui(ui, &self.recent, &mut self.actions);
                }
            });
            return;
        }
        self.curation_panels_ui(ui);
        self.side_panels_ui(ui);
        let Some(workspace) = &self.workspace else { return };
        if self.review_list.has_items(workspace) {
            // A span selected in the text, not one selected by clicking another annotation.
            let selection = self.selection.span().filter(|_| self.selection.annotation.is_none());
            egui::Panel::bottom("review list")
                .resizable(true)
                .default_size(220.0)
                .show(ui, |ui| {
                    self.review_list.ui(ui, workspace, selection, &mut self.actions);
                });
        }
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            self.text_view.ui(
                ui,
                workspace,
                &mut self.selection,
                &mut self.linker,
                self.find_bar.hits(),
            );
        });
        match &self.corpus {
            // The corpus tag set is edited: every edit goes to every document.
            Some(session) => {
                let mut edits = Vec::new();
                self.tag_set_editor
                    .ui(ui.ctx(), session.tag_project(), self.work_area, &mut edits);
                for action in edits {
                    match action {
                        Action::Edit { edit, group, .. } => self.actions.push(Action::CorpusTagSetEdit { edit, group }),
                        Action::CloseGroup => self.actions.extend([Action::CloseGroup, Action::CorpusTagSetDone]),
                        other => self.actions.push(other),
                    }
                }
            }
            None => self
                .tag_set_editor
                .ui(ui.ctx(), workspace.project(), self.work_area, &mut self.actions),
        }
        self.document_panel
            .ui(ui.ctx(), workspace.project(), self.work_area, &mut self.actions);
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let has_work = self.workspace.is_some();
        let history = self.workspace.as_ref().map(Workspace::history);
        let in_corpus = self.corpus.is_some();
        let actions = &mut self.actions;
        ui.menu_button("File", |ui| {
            UiCommand::Open.menu_item_ui(ui, true, actions);
            UiCommand::OpenCommented.menu_item_ui(ui, true, actions);
            UiCommand::OpenFolder.menu_item_ui(ui, true, actions);
            ui.menu_button("Open Recent", |ui| {
                if self.recent.entries().is_empty() {
                    ui.label("No recent files");
                }
                for entry in self.recent.entries() {
                    if ui.button(entry.path.display().to_string()).clicked() {
                        actions.push(Action::OpenPath(entry.path.clone(), entry.open_as));
                    }
                }
            });
            ui.menu_button("Import", |ui| {
                for name in interchange::importable() {
                    UiCommand::Import(name).menu_item_ui(ui, true, actions);
                }
            });
            ui.add_enabled_ui(has_work, |ui| {
                ui.menu_button("Export", |ui| {
                    for format in ExportFormat::all() {
                        UiCommand::Export(format).menu_item_ui(ui, has_work, actions);
                    }
                });
            });
            ui.separator();
            UiCommand::Save.menu_item_ui(ui, has_work, actions);
            UiCommand::SaveAs.menu_item_ui(ui, has_work && !in_corpus, actions);
            UiCommand::SaveAll.menu_item_ui(ui, in_corpus, actions);
            UiCommand::NextDocument.menu_item_ui(ui, in_corpus, actions);
            UiCommand::PreviousDocument.menu_item_ui(ui, in_corpus, actions);
            UiCommand::Reload.menu_item_ui(ui, has_work, actions);
            let can_recover = self.recovery.is_some();
            UiCommand::RecoverUnsavedWork.menu_item_ui(ui, can_recover, actions);
            UiCommand::ReplaceSourceText.menu_item_ui(ui, has_work, actions);
            ui.separator();
            UiCommand::CurateProjects.menu_item_ui(ui, true, actions);
            UiCommand::ShowAgreement.menu_item_ui(ui, self.curation.session.is_some(), actions);
            ui.separator();
            UiCommand::Quit.menu_item_ui(ui, true, actions);
        });
        ui.menu_button("Edit", |ui| {
            UiCommand::Undo.menu_item_ui(ui, history.is_some_and(History::can_undo), actions);
            UiCommand::Redo.menu_item_ui(ui, history.is_some_and(History::can_redo), actions);
            ui.separator();
            UiCommand::Find.menu_item_ui(ui, has_work, actions);
            UiCommand::SearchCorpus.menu_item_ui(ui, in_corpus, actions);
            UiCommand::DeleteAnnotation.menu_item_ui(ui, self.selection.annotation.is_some(), actions);
            UiCommand::TagAllOccurrences.menu_item_ui(ui, self.selection.annotation.is_some(), actions);
            UiCommand::LinkTo.menu_item_ui(ui, self.selection.annotation.is_some(), actions);
            ui.separator();
            UiCommand::EditTagSet.menu_item_ui(ui, has_work, actions);
            let differs = match (&self.corpus, &self.workspace) {
                (Some(session), Some(workspace)) => workspace.project().tag_set() != session.tag_set(),
                _ => false,
            };
            UiCommand::BringTagSetInLine.menu_item_ui(ui, differs, actions);
        });
        self.view_and_help_menus_ui(ui);
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
        if let Some((leftover, others)) = &self.recovery_offer
            && let Some(answer) = file_dialogs::recovery_offer_ui(ctx, leftover, *others)
        {
            let leftover = leftover.clone();
            self.recovery_offer = None;
            self.answer_offer(ctx, leftover, answer);
            // The answer changes what is shown: draw it now, not at the next input.
            ctx.request_repaint();
        }
        if let Some(leftovers) = &self.recover_list
            && let Some(answer) = file_dialogs::recover_list_ui(ctx, leftovers)
        {
            self.answer_list(ctx, answer);
            ctx.request_repaint();
        }
        if let Some(question) = &self.question
            && let Some(answer) = file_dialogs::file_question_ui(ctx, question)
        {
            let question = question.clone();
            self.question = None;
            self.answer_question(ctx, question, answer);
            ctx.request_repaint();
        }
        if let Some(pending) = self.confirm.clone() {
            let names = self.unsaved_names(&pending);
            if let Some(choice) = dialogs::confirm_unsaved_ui(ctx, &names, pending.description()) {
                self.confirm = None;
                self.answer_confirm(ctx, choice, pending);
            }
        }
        if let Some(workspace) = &self.workspace {
            self.occurrences.ui(ctx, workspace, &mut self.actions);
            self.linker.ui(ctx, workspace, self.work_area, &mut self.actions);
        }
        if let Some((edit, tag, uses, documents)) = &self.corpus_tag_delete
            && let Some(delete) = dialogs::confirm_corpus_tag_delete_ui(ctx, tag, *uses, *documents)
        {
            let edit = edit.clone();
            self.corpus_tag_delete = None;
            if delete {
                self.corpus_tag_set_edit_confirmed(edit, None);
            }
        }
        if let Some(report) = &self.report
            && dialogs::report_ui(ctx, report, self.work_area)
        {
            self.report = None;
        }
        self.curation_dialogs_ui(ctx);
        if let Some(dialog) = &mut self.path_dialog
            && let Some(choice) = dialog.ui(ctx)
        {
            let purpose = dialog.purpose.clone();
            self.path_dialog = None;
            match (choice, purpose) {
                (PathChoice::Chosen(path), PathPurpose::Open(how)) => self.open_file(&path, how),
                (PathChoice::Chosen(path), PathPurpose::OpenFolder) => self.open_folder(&path),
                (PathChoice::Chosen(path), PathPurpose::SaveAs) => self.actions.push(Action::SaveTo(path)),
                (PathChoice::Chosen(file), PathPurpose::Import(format)) => self.actions.push(Action::Import {
                    format,
                    file,
                    annotations: None,
                }),
                (PathChoice::Chosen(path), PathPurpose::ImportAnnotations { format, text }) => {
                    self.actions.push(Action::Import {
                        format,
                        file: text,
                        annotations: Some(path),
                    });
                }
                (PathChoice::Chosen(path), PathPurpose::Export(format)) => {
                    self.actions.push(Action::ExportTo(format, path));
                }
                (PathChoice::Chosen(path), PathPurpose::ReplaceSource) => self.replace_source_text(&path),
                (PathChoice::Cancelled, _) => self.after_save = None,
            }
        }
    }
}

fn welcome_ui(ui: &mut egui::Ui, recent: &RecentFiles, actions: &mut Vec<Action>) {
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.heading("Counterpoint");
        ui.label(
            "Open a text document or a project (.ron) with File ▸ Open, a folder of them as one corpus with \
             File ▸ Open Folder, or drop either on this window.",
        );
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            for command in [UiCommand::Open, UiCommand::OpenFolder] {
                if ui.button(command.menu_text()).clicked() {
                    actions.push(Action::Command(command));
                }
            }
        });
        if !recent.entries().is_empty() {
            ui.add_space(12.0);
            ui.label("Recent files:");
            for entry in recent.entries() {
                if ui.link(entry.path.display().to_string()).clicked() {
                    actions.push(Action::OpenPath(entry.path.clone(), entry.open_as));
                }
            }
        }
    });
}

/// The page of a corpus before a document shows.
fn corpus_welcome_ui(ui: &mut egui::Ui, opening: bool) {
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.label(if opening {
            "Opening the document…"
        } else {
            "Choose a document in the list on the left (Ctrl+PageDown opens the next one)."
        });
    });
}

impl eframe::App for CounterpointApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        CounterpointApp::ui(self, ui);
    }
}

/// The notice to show when work is opened: its text no longer matches the
/// SHA-256 recorded for it (the command line's `check` gives both hashes).
fn workspace_notice(workspace: Option<&Workspace>) -> Option<Banner> {
    let notice = match workspace?.project().check_source().err()? {
        SourceMismatch::Changed { recorded, .. } => format!(
            "Note: the text was changed since it was read; it no longer matches the SHA-256 recorded for it ({}). \
             It is shown, and exported, as it is now.",
            echo(&recorded)
        ),
        unencodable @ SourceMismatch::Unencodable(_) => format!("Note: {unencodable}."),
    };
    Some(Banner::Notice(notice))
}
