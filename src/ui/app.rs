//! The editor application: panels around the text view, and the one place
//! where commands are carried out.

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Key, Modifiers, ViewportCommand};

use crate::model::history::History;
use crate::model::span::Span;
use crate::storage::recovery::{Leftover, RecoveryFolder};

use super::annotation_list::AnnotationList;
use super::claim_panel::ClaimPanel;
use super::commands::{Action, UiCommand};
use super::dialogs::{self, Banner, PathChoice, PathDialog, PathPurpose};
use super::file_dialogs::{self, FileQuestion};
use super::find_bar::FindBar;
use super::interchange::{self, ExportFormat, Report};
use super::recent_files::RecentFiles;
use super::recovery::Autosaver;
use super::selection::{Step, TextSelection};
use super::tag_palette::tag_palette_ui;
use super::tag_set_editor::TagSetEditor;
use super::text_view::{TextView, ViewSelection};
use super::workspace::{OpenAs, Workspace};

mod background;
mod execute;
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
    workspace: Option<Workspace>,
    options: AppOptions,
    selection: ViewSelection,
    text_view: TextView,
    claim_panel: ClaimPanel,
    annotation_list: AnnotationList,
    find_bar: FindBar,
    tag_set_editor: TagSetEditor,
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
    /// Saves, exports and opens running in the background.
    background: background::Background,
    /// The window's context, for background work to wake it when it ends.
    waker: Option<egui::Context>,
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
        let mut app = Self {
            workspace,
            options,
            selection: ViewSelection::default(),
            text_view: TextView::default(),
            claim_panel: ClaimPanel::default(),
            annotation_list: AnnotationList::default(),
            find_bar: FindBar::default(),
            tag_set_editor: TagSetEditor::default(),
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
            background: background::Background::default(),
            waker: None,
        };
        app.after_start();
        app
    }

    /// Opens a file (no unsaved-changes question) in the background; it
    /// shows once read, and a failure shows in the window.
    pub fn open_file(&mut self, path: &Path, how: OpenAs) {
        self.start_read(background::Read::Open(path.to_path_buf(), how));
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
        self.workspace
            .as_ref()
            .map_or_else(|| "Counterpoint".to_owned(), Workspace::title)
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
        self.note_leftovers_once();
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
        self.autosave(&ctx);
        self.progress_ui(&ctx);
        self.take_finished_work(&ctx);
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
    }

    fn set_workspace(&mut self, workspace: Workspace) {
        self.workspace = Some(workspace);
        self.selection = ViewSelection::default();
        self.text_view.reset();
        self.annotation_list.reset();
        self.find_bar.clear_hits();
        self.autosaved_revision = None;
        self.banner = None;
        // Work replaced by another file is discarded, so this window's recovery file goes too.
        if let Some(recovery) = &mut self.recovery {
            recovery.clear();
        }
    }

    fn has_unsaved_changes(&self) -> bool {
        self.workspace.as_ref().is_some_and(Workspace::has_unsaved_changes)
    }

    fn handle_window_events(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_waits_for_writes(ctx) {
            if self.close_confirmed || !self.has_unsaved_changes() {
                if let Some(recovery) = &mut self.recovery {
                    recovery.finish_and_clear();
                }
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
        let typing = ctx.text_edit_focused();
        // A one-line field (find, filter, tag names) keeps Ctrl+Z for its own text;
        // only the counter-claim editors' typing is part of the document's history.
        let typing_outside_claims = typing && !self.claim_panel.is_editing();
        for command in UiCommand::WITH_SHORTCUTS {
            let undoes = matches!(command, UiCommand::Undo | UiCommand::Redo);
            if typing && !command.works_while_typing() || typing_outside_claims && undoes {
                continue;
            }
            let pressed = ctx.input_mut(|i| {
                command.alternative_shortcut().is_some_and(|s| i.consume_shortcut(&s))
                    || command.shortcut().is_some_and(|s| i.consume_shortcut(&s))
            });
            if pressed {
                self.actions.push(Action::Command(command));
            }
        }
        if typing {
            return;
        }
        let Some(workspace) = &self.workspace else { return };
        for digit in 1..=9u8 {
            let key = Key::from_name(&digit.to_string());
            if key.is_some_and(|key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key)))
                && let Some(tag) = workspace.project().tag_set().by_hotkey(digit)
            {
                self.actions.push(Action::ToggleTag(tag.id.clone()));
            }
        }
        let steps = [
            (
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::ArrowLeft,
                Step::WordBackward,
            ),
            (
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::ArrowRight,
                Step::WordForward,
            ),
            (Modifiers::SHIFT, Key::ArrowLeft, Step::GraphemeBackward),
            (Modifiers::SHIFT, Key::ArrowRight, Step::GraphemeForward),
            (Modifiers::SHIFT, Key::ArrowUp, Step::LineBackward),
            (Modifiers::SHIFT, Key::ArrowDown, Step::LineForward),
        ];
        for (modifiers, key, step) in steps {
            if ctx.input_mut(|i| i.consume_key(modifiers, key))
                && let Some(current) = self.selection.text
            {
                let text = workspace.project().text();
                let paragraphs = workspace.paragraphs();
                let line = paragraphs.line(paragraphs.index_of(current.head));
                self.selection = ViewSelection {
                    text: Some(current.moved(text, line, step)),
                    annotation: None,
                };
            }
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            self.selection = ViewSelection::default();
        }
    }

    fn panels_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("menu bar").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menu_ui(ui));
        });
        if let Some(banner) = &self.banner
            && egui::Panel::top("banner")
                .show(ui, |ui| dialogs::banner_ui(ui, banner))
                .inner
        {
            self.banner = None;
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
        egui::Panel::bottom("status bar").show(ui, |ui| self.status_ui(ui));
        let Some(workspace) = &self.workspace else {
            egui::CentralPanel::default().show(ui, |ui| welcome_ui(ui, &self.recent, &mut self.actions));
            return;
        };
        let selected = self
            .selection
            .annotation
            .and_then(|id| workspace.project().annotation(id));
        egui::Panel::left("tag palette").default_size(220.0).show(ui, |ui| {
            let can_tag = self.selection.span().is_some();
            tag_palette_ui(ui, workspace.project().tag_set(), selected, can_tag, &mut self.actions);
        });
        egui::Panel::right("side panel").default_size(320.0).show(ui, |ui| {
            egui::Panel::bottom("annotation list")
                .resizable(true)
                .default_size(ui.available_height() * 0.5)
                .show(ui, |ui| {
                    self.annotation_list
                        .ui(ui, workspace, self.selection.annotation, &mut self.actions);
                });
            egui::CentralPanel::default_margins().show(ui, |ui| {
                egui::ScrollArea::vertical().id_salt("claim panel").show(ui, |ui| {
                    self.claim_panel.ui(ui, workspace, &self.selection, &mut self.actions);
                });
            });
        });
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            self.text_view
                .ui(ui, workspace, &mut self.selection, self.find_bar.hits());
        });
        self.tag_set_editor.ui(ui.ctx(), workspace.project(), &mut self.actions);
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let has_work = self.workspace.is_some();
        let history = self.workspace.as_ref().map(Workspace::history);
        let actions = &mut self.actions;
        ui.menu_button("File", |ui| {
            UiCommand::Open.menu_item_ui(ui, true, actions);
            UiCommand::OpenCommented.menu_item_ui(ui, true, actions);
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
            UiCommand::SaveAs.menu_item_ui(ui, has_work, actions);
            UiCommand::Reload.menu_item_ui(ui, has_work, actions);
            let can_recover = self.recovery.is_some();
            UiCommand::RecoverUnsavedWork.menu_item_ui(ui, can_recover, actions);
            ui.separator();
            UiCommand::Quit.menu_item_ui(ui, true, actions);
        });
        ui.menu_button("Edit", |ui| {
            UiCommand::Undo.menu_item_ui(ui, history.is_some_and(History::can_undo), actions);
            UiCommand::Redo.menu_item_ui(ui, history.is_some_and(History::can_redo), actions);
            ui.separator();
            UiCommand::Find.menu_item_ui(ui, has_work, actions);
            UiCommand::DeleteAnnotation.menu_item_ui(ui, self.selection.annotation.is_some(), actions);
            ui.separator();
            UiCommand::EditTagSet.menu_item_ui(ui, has_work, actions);
        });
    }

    fn status_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let Some(workspace) = &self.workspace else {
                ui.label("No document open");
                return;
            };
            let project = workspace.project();
            ui.label(format!(
                "{} annotations · {} lines · {} bytes",
                project.annotation_count(),
                workspace.paragraphs().len(),
                project.text().len()
            ));
            if let Some(span) = self.selection.span() {
                ui.separator();
                ui.label(format!("selected bytes {}–{}", span.start.0, span.end.0));
            }
            if let Some(path) = workspace.project_path() {
                ui.separator();
                ui.label(path.display().to_string());
            }
        });
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
            let name = self
                .workspace
                .as_ref()
                .map_or_else(String::new, Workspace::display_name);
            if let Some(choice) = dialogs::confirm_unsaved_ui(ctx, &name, pending.description()) {
                self.confirm = None;
                self.answer_confirm(ctx, choice, pending);
            }
        }
        if let Some(report) = &self.report
            && dialogs::report_ui(ctx, report)
        {
            self.report = None;
        }
        if let Some(dialog) = &mut self.path_dialog
            && let Some(choice) = dialog.ui(ctx)
        {
            let purpose = dialog.purpose.clone();
            self.path_dialog = None;
            match (choice, purpose) {
                (PathChoice::Chosen(path), PathPurpose::Open(how)) => self.open_file(&path, how),
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
                (PathChoice::Cancelled, _) => self.after_save = None,
            }
        }
    }
}

fn welcome_ui(ui: &mut egui::Ui, recent: &RecentFiles, actions: &mut Vec<Action>) {
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.heading("Counterpoint");
        ui.label("Open a text document or a project (.ron) with File ▸ Open, or drop a file on this window.");
        ui.add_space(12.0);
        if ui.button(UiCommand::Open.menu_text()).clicked() {
            actions.push(Action::Command(UiCommand::Open));
        }
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

impl eframe::App for CounterpointApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        CounterpointApp::ui(self, ui);
    }
}
