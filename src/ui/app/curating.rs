//! Adjudication in the window: the chooser of annotators' projects, the
//! curation panels around the text, moving from disagreement to
//! disagreement, and the guard that keeps the annotators' files as they are.
//! The panels live in `ui/curation.rs`; the choices come back as `Edit`s.

use super::CounterpointApp;
use super::execute::Pending;
use crate::ui::commands::UiCommand;
use crate::ui::curation::{CurateChoice, CurateDialog, Session};
use crate::ui::dialogs::Banner;
use crate::ui::selection::TextSelection;
use crate::ui::text_view::ViewSelection;
use crate::ui::workspace::Workspace;

impl CounterpointApp {
    pub(super) fn execute_curation_command(&mut self, ctx: &egui::Context, command: UiCommand) {
        match command {
            UiCommand::CurateProjects => {
                let folder = self
                    .workspace
                    .as_ref()
                    .and_then(Workspace::suggested_project_path)
                    .and_then(|p| p.parent().map(std::path::Path::to_path_buf));
                self.curation.dialog = Some(CurateDialog::new(folder, self.options.native_dialogs, ctx));
            }
            UiCommand::NextDisagreement | UiCommand::PreviousDisagreement => {
                self.step_disagreement(command == UiCommand::NextDisagreement);
            }
            UiCommand::ShowAgreement => self.curation.table_open = self.curation.session.is_some(),
            _ => {}
        }
    }

    /// Shows the curation of `session`, whose curated project is now the open work.
    pub(super) fn start_curating(&mut self, session: Session) {
        self.text_view.set_marked(session.ranges());
        self.curation.session = Some(session);
    }

    fn step_disagreement(&mut self, next: bool) {
        let Some(session) = &mut self.curation.session else {
            self.banner = Some(Banner::Notice(
                "No projects are being curated: choose them with File ▸ Curate Annotators' Projects….".into(),
            ));
            return;
        };
        let caret = self.selection.text.map_or(0, |s| s.span().start.0);
        if let Some(range) = session.step(next, caret) {
            self.selection = ViewSelection {
                text: Some(TextSelection::of_span(range)),
                annotation: None,
            };
            self.text_view.scroll_to(range.start);
        }
    }

    /// Refuses to save the curated project over an annotator's file. True when refused.
    pub(super) fn refuse_annotators_file(&mut self, path: &std::path::Path) -> bool {
        let refused = self
            .curation
            .session
            .as_ref()
            .is_some_and(|session| session.is_annotators_file(path));
        if refused {
            self.banner = Some(Banner::Error(format!(
                "{} is one of the annotators' projects being curated: save the curated project under a new name.",
                crate::messages::echo(&path.display().to_string())
            )));
        }
        refused
    }

    /// The chooser of projects to curate, and the agreement table, while open.
    pub(super) fn curation_dialogs_ui(&mut self, ctx: &egui::Context) {
        if let Some(dialog) = &mut self.curation.dialog
            && let Some(choice) = dialog.ui(ctx)
        {
            self.curation.dialog = None;
            if let CurateChoice::Chosen(paths) = choice {
                self.request(ctx, Pending::Curate(paths));
            }
            ctx.request_repaint();
        }
        if self.curation.table_open
            && let Some(session) = &self.curation.session
        {
            self.curation.table_open = session.table_ui(ctx, self.work_area);
        }
    }

    /// The agreement figures above the text and the versions of the current disagreement below it.
    pub(super) fn curation_panels_ui(&mut self, ui: &mut egui::Ui) {
        let (Some(session), Some(workspace)) = (&self.curation.session, &self.workspace) else {
            return;
        };
        let actions = &mut self.actions;
        egui::Panel::top("curation figures").show(ui, |ui| {
            session.strip_ui(ui, workspace.project(), workspace.edition(), actions);
        });
        egui::Panel::bottom("curation versions").show(ui, |ui| {
            session.versions_ui(ui, workspace.project(), workspace.edition(), actions);
        });
    }
}
