//! Adjudication in the window (File ▸ Curate Annotators' Projects…): the
//! chooser of two or more annotators' projects, the agreement figures above
//! the text, each annotator's version of the current disagreement side by
//! side below it with one button per choice, and the agreement table
//! (View ▸ Agreement Table…). The curated project is the open work, edited
//! and saved like any project; this module only reads it and sends `Edit`s
//! made by [`crate::team::curation`].

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use egui::{Id, RichText, Ui};

use crate::messages::printable;
use crate::model::project::Project;
use crate::model::span::Span;
use crate::project_file;
use crate::team::agreement::{Agreement, Figure, agreement};
use crate::team::curation::{Choice, Curation, CurationError, Held};

use super::commands::{Action, UiCommand};
use super::text_view::annotation_details_ui;

/// Accessible label of the field listing the projects to curate.
pub const PATHS_FIELD_LABEL: &str = "Annotators' projects (one path a line)";
/// The button that starts curating the listed projects.
pub const CURATE_BUTTON: &str = "Curate";
/// Title of the agreement table window.
pub const AGREEMENT_TITLE: &str = "Agreement";

/// A, B, … Z, then A27, A28, …: the annotators' short names (as `counterpoint agree` names them).
#[must_use]
pub fn annotator_name(index: usize) -> String {
    match u8::try_from(index) {
        Ok(letter @ 0..26) => char::from(b'A' + letter).to_string(),
        _ => format!("A{}", index + 1),
    }
}

/// The text of the button that accepts annotator `index`'s version.
#[must_use]
pub fn accept_label(index: usize) -> String {
    format!("Accept {}", annotator_name(index))
}

/// The button that accepts every annotator's annotations.
pub const ACCEPT_ALL: &str = "Accept all";
/// The button that accepts none of them.
pub const ACCEPT_NEITHER: &str = "Accept neither";

/// File ▸ Curate Annotators' Projects…: a typed list of paths, and the
/// system's multi-file dialog running off the UI thread.
pub struct CurateDialog {
    typed: String,
    focus_requested: bool,
    native: Option<Receiver<Option<Vec<PathBuf>>>>,
}

/// What the chooser ended with this frame.
#[derive(Debug, PartialEq, Eq)]
pub enum CurateChoice {
    Chosen(Vec<PathBuf>),
    Cancelled,
}

impl CurateDialog {
    /// A chooser starting in `folder`; with `native`, the system dialog opens at once.
    #[must_use]
    pub fn new(folder: Option<PathBuf>, native: bool, ctx: &egui::Context) -> Self {
        let mut dialog = Self {
            typed: String::new(),
            focus_requested: true,
            native: None,
        };
        if native {
            let (sender, receiver) = mpsc::channel();
            let ctx = ctx.clone();
            let spawned = std::thread::Builder::new().name("file dialog".into()).spawn(move || {
                let mut dialog = rfd::FileDialog::new().add_filter("Counterpoint project", &["ron"]);
                if let Some(folder) = folder {
                    dialog = dialog.set_directory(folder);
                }
                let _ = sender.send(dialog.pick_files());
                ctx.request_repaint();
            });
            if spawned.is_ok() {
                dialog.native = Some(receiver);
            }
        }
        dialog
    }

    /// The paths typed, one a line (blank lines left out).
    fn paths(&self) -> Vec<PathBuf> {
        self.typed
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(PathBuf::from)
            .collect()
    }

    /// Draws the chooser; returns what the user chose, once.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<CurateChoice> {
        if let Some(receiver) = &self.native {
            match receiver.try_recv() {
                Ok(Some(paths)) if paths.len() >= 2 => return Some(CurateChoice::Chosen(paths)),
                Ok(Some(paths)) => {
                    // One file: added to the list, for the others to be typed.
                    for path in paths {
                        self.typed.push_str(&path.display().to_string());
                        self.typed.push('\n');
                    }
                    self.native = None;
                }
                Ok(None) | Err(TryRecvError::Disconnected) => self.native = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        let mut choice = None;
        let modal = egui::Modal::new(Id::unique("curate dialog")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading("Curate annotators' projects");
            ui.label(
                "Two or more projects (.ron) of the same text, one per annotator. Their disagreements are shown \
                 one by one; what you accept makes a new, curated project. Their files are never changed.",
            );
            if self.native.is_some() {
                ui.label(RichText::new("A file dialog is open; or type the paths here:").weak());
            }
            let label = ui.label(PATHS_FIELD_LABEL);
            let field = ui
                .add(
                    egui::TextEdit::multiline(&mut self.typed)
                        .id_salt("curate paths")
                        .desired_rows(4)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.focus_requested) {
                field.request_focus();
            }
            let paths = self.paths();
            ui.horizontal(|ui| {
                let ready = paths.len() >= 2;
                if ui
                    .add_enabled(ready, egui::Button::new(CURATE_BUTTON))
                    .on_disabled_hover_text("List at least two projects")
                    .clicked()
                {
                    choice = Some(CurateChoice::Chosen(paths.clone()));
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(CurateChoice::Cancelled);
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(CurateChoice::Cancelled);
        }
        choice
    }
}

/// The projects being curated, with their figures; the curated project is the open work.
pub struct Session {
    curation: Curation,
    paths: Vec<PathBuf>,
    figures: Agreement,
    /// The table `counterpoint agree` prints for these projects.
    table: String,
    /// The disagreement shown below the text.
    current: Option<usize>,
    /// What the curated project holds in each disagreement, and the edition
    /// of the work it was read from: worked out once per edit, not per frame.
    held: RefCell<Option<(u64, Vec<Held>)>>,
}

/// The steps of [`load`], in words.
pub const LOAD_STEPS: &[&str] = &[
    "reading the annotators' projects",
    "finding their disagreements",
    "measuring their agreement",
];

/// Reads the annotators' projects and compares them (on a background
/// thread): the session and the curated project to start from.
pub fn load(paths: &[PathBuf], step: &dyn Fn(usize)) -> Result<(Session, Project), String> {
    if paths.len() < 2 {
        return Err("Curating needs two or more annotators' projects.".to_owned());
    }
    let projects = paths
        .iter()
        .map(|path| project_file::load(path).map_err(|error| format!("Could not open {}: {error}", shown(path))))
        .collect::<Result<Vec<Project>, String>>()?;
    step(1);
    let curation = Curation::new(projects).map_err(|error| match error {
        CurationError::DifferentTexts(different) => format!(
            "{} and {} annotate different texts (they first differ at {}); only projects of one text can be curated together.",
            shown(&paths[different.first]),
            shown(&paths[different.other]),
            different.place
        ),
        other => format!("Could not curate these projects: {other}."),
    })?;
    step(2);
    let refs: Vec<&Project> = curation.annotators().iter().collect();
    let figures = agreement(&refs).map_err(|error| format!("Could not measure their agreement: {error}."))?;
    let table = crate::cli::agree::as_tables(paths, curation.annotators(), &figures);
    let curated = curation.curated_start().clone();
    let session = Session {
        curation,
        paths: paths.to_vec(),
        figures,
        table,
        current: None,
        held: RefCell::new(None),
    };
    Ok((session, curated))
}

fn shown(path: &Path) -> String {
    printable(&path.display().to_string()).to_string()
}

/// A figure as the command line prints it.
fn figure(value: Figure) -> String {
    match value {
        Some(value) if value.abs() < 0.0005 => "0.000".to_owned(),
        Some(value) => format!("{value:.3}"),
        None => "undefined".to_owned(),
    }
}

impl Session {
    /// The annotators' files.
    #[must_use]
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// The disagreements' ranges, in text order (what the text view outlines).
    #[must_use]
    pub fn ranges(&self) -> Vec<Span> {
        self.curation.ranges()
    }

    /// The disagreement shown, if any.
    #[must_use]
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// Moves to the next (or previous) disagreement from `offset`, wrapping
    /// round; its range, to select and scroll to.
    pub fn step(&mut self, next: bool, offset: usize) -> Option<Span> {
        let index = match (next, self.current) {
            (true, Some(current)) => self.curation.next_after(self.range(current)?.start.0.max(offset)),
            (true, None) => self.curation.first_from(offset),
            (false, Some(current)) => self.curation.previous_before(self.range(current)?.start.0.min(offset)),
            (false, None) => self.curation.previous_before(offset),
        }?;
        self.current = Some(index);
        self.range(index)
    }

    fn range(&self, index: usize) -> Option<Span> {
        self.curation.disagreements().get(index).map(|d| d.range)
    }

    /// Whether `path` is one of the annotators' files (saving the curated project there is refused).
    #[must_use]
    pub fn is_annotators_file(&self, path: &Path) -> bool {
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => a == b,
        };
        self.paths.iter().any(|own| same(own, path))
    }

    /// What the curated project (at `edition`) holds in every disagreement.
    fn held_everywhere(&self, curated: &Project, edition: u64) -> std::cell::Ref<'_, [Held]> {
        if self.held.borrow().as_ref().is_none_or(|(seen, _)| *seen != edition) {
            *self.held.borrow_mut() = Some((edition, self.curation.held_everywhere(curated)));
        }
        std::cell::Ref::map(self.held.borrow(), |cached| {
            cached.as_ref().map_or(&[][..], |(_, held)| held.as_slice())
        })
    }

    /// The agreement figures above the text, and the disagreement count.
    pub fn strip_ui(&self, ui: &mut Ui, curated: &Project, edition: u64, actions: &mut Vec<Action>) {
        let names: Vec<String> = self
            .paths
            .iter()
            .enumerate()
            .map(|(index, path)| {
                let name = path
                    .file_name()
                    .map_or_else(|| shown(path), |n| n.to_string_lossy().into_owned());
                format!("{} {}", annotator_name(index), printable(&name))
            })
            .collect();
        ui.horizontal_wrapped(|ui| {
            ui.strong("Curating");
            ui.label(names.join(", "));
            ui.separator();
            for pair in &self.figures.pairs {
                let overall = &pair.overall;
                ui.label(format!(
                    "{} against {}: exact F1 {}, overlap F1 {}, Cohen's κ {} (characters)",
                    annotator_name(pair.other),
                    annotator_name(pair.reference),
                    figure(overall.exact.f1()),
                    figure(overall.overlap.f1()),
                    figure(overall.cohen_characters),
                ));
            }
            if self.figures.annotators >= 3 {
                ui.label(format!(
                    "Fleiss' κ {} (characters)",
                    figure(self.figures.group_overall.fleiss_characters)
                ));
            }
            ui.label(format!("α_u {}", figure(self.figures.group_overall.alpha_u)));
            if ui.button("Agreement table…").clicked() {
                actions.push(Action::Command(UiCommand::ShowAgreement));
            }
        });
        let count = self.curation.disagreements().len();
        let settled = self
            .held_everywhere(curated, edition)
            .iter()
            .filter(|held| **held != Held::Nothing)
            .count();
        ui.label(format!(
            "{count} disagreement{}; {settled} with annotations accepted. What all annotators agree on is already accepted.",
            if count == 1 { "" } else { "s" }
        ));
    }

    /// Each annotator's version of the current disagreement side by side,
    /// with the buttons that accept one, all or none.
    pub fn versions_ui(&self, ui: &mut Ui, curated: &Project, edition: u64, actions: &mut Vec<Action>) {
        let count = self.curation.disagreements().len();
        ui.horizontal(|ui| {
            if ui
                .button("◀ Previous")
                .on_hover_text(UiCommand::PreviousDisagreement.tooltip())
                .clicked()
            {
                actions.push(Action::Command(UiCommand::PreviousDisagreement));
            }
            if ui
                .button("Next ▶")
                .on_hover_text(UiCommand::NextDisagreement.tooltip())
                .clicked()
            {
                actions.push(Action::Command(UiCommand::NextDisagreement));
            }
            match self.current {
                Some(index) => ui.strong(format!("Disagreement {} of {count}", index + 1)),
                None if count == 0 => ui.strong("The annotators agree on everything: nothing to settle."),
                None => ui.strong(format!("{count} disagreements: press D (or Next) for the first.")),
            };
        });
        let Some(index) = self.current else { return };
        let Some(disagreement) = self.curation.disagreements().get(index) else {
            return;
        };
        let held = self
            .held_everywhere(curated, edition)
            .get(index)
            .cloned()
            .unwrap_or(Held::Nothing);
        ui.label(match &held {
            Held::Nothing => "The curated project holds none of these annotations.".to_owned(),
            Held::Versions(sides) => format!(
                "The curated project holds the version of {}.",
                sides
                    .iter()
                    .map(|&s| annotator_name(s))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            Held::All => "The curated project holds every annotator's annotations here.".to_owned(),
            Held::Other => "The curated project holds annotations changed by hand here.".to_owned(),
        });
        let mut choice = None;
        egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
            ui.columns(disagreement.versions.len(), |columns| {
                for (at, (column, version)) in columns.iter_mut().zip(&disagreement.versions).enumerate() {
                    let project = &self.curation.annotators()[at];
                    column.push_id(at, |ui| {
                        let name = self.paths[at]
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                        ui.strong(format!("{} — {}", annotator_name(at), printable(&name)));
                        let holds = matches!(&held, Held::Versions(sides) if sides.contains(&at))
                            || (version.is_empty() && held == Held::Nothing);
                        if ui
                            .add_enabled(!holds, egui::Button::new(accept_label(at)))
                            .on_hover_text("Put this annotator's version in the curated project (undo with Ctrl+Z)")
                            .clicked()
                        {
                            choice = Some(Choice::Annotator(at));
                        }
                        if version.is_empty() {
                            ui.label(RichText::new("(no annotation here)").weak());
                        } else {
                            let found: Vec<_> = version.iter().map(|a| (a.id, a.span)).collect();
                            annotation_details_ui(ui, project, &found);
                        }
                    });
                }
            });
        });
        ui.horizontal(|ui| {
            if ui
                .add_enabled(held != Held::All, egui::Button::new(ACCEPT_ALL))
                .on_hover_text("Put every annotator's annotations here in the curated project, each once")
                .clicked()
            {
                choice = Some(Choice::All);
            }
            if ui
                .add_enabled(held != Held::Nothing, egui::Button::new(ACCEPT_NEITHER))
                .on_hover_text("Leave all of these annotations out of the curated project")
                .clicked()
            {
                choice = Some(Choice::Neither);
            }
        });
        if let Some(choice) = choice
            && let Some(edit) = self.curation.accept(curated, index, choice)
        {
            actions.push(Action::Edit {
                edit,
                group: None,
                select: None,
            });
        }
    }

    /// The agreement table, as `counterpoint agree` prints it; false once closed.
    pub fn table_ui(&self, ctx: &egui::Context, area: egui::Rect) -> bool {
        let mut open = true;
        egui::Window::new(AGREEMENT_TITLE)
            .open(&mut open)
            .constrain_to(area)
            .default_size([760.0, 520.0])
            .resizable(true)
            .show(ctx, |ui| {
                ui.label("The figures `counterpoint agree` prints for these projects (definitions below the tables).");
                egui::ScrollArea::both().show(ui, |ui| {
                    // Unwrapped, so the columns stay in line.
                    ui.add(
                        egui::Label::new(RichText::new(&self.table).monospace()).wrap_mode(egui::TextWrapMode::Extend),
                    );
                });
            });
        open
    }
}

/// The window's curation state: the chooser while open, the session while curating.
#[derive(Default)]
pub struct CurationView {
    pub dialog: Option<CurateDialog>,
    pub session: Option<Session>,
    pub table_open: bool,
}

impl CurationView {
    /// Ends the session (other work was opened in its place).
    pub fn end(&mut self) {
        self.session = None;
        self.table_open = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::project::SourceInfo;
    use crate::model::tag_set::TagSet;
    use crate::storage::Expect;

    fn saved(path: &Path, text: &str) {
        let project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
        project_file::save(&project, path, &Expect::Anything).unwrap();
    }

    #[test]
    fn loading_refuses_one_project_a_missing_file_and_other_texts() {
        let folder = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            folder.path().join("a.ron"),
            folder.path().join("b.ron"),
            folder.path().join("c.ron"),
        );
        saved(&a, "One text.");
        saved(&b, "One text.");
        saved(&c, "Another text.");
        let error = |paths: &[PathBuf]| load(paths, &|_| {}).err().unwrap();
        assert!(error(std::slice::from_ref(&a)).contains("two or more"));
        let missing = folder.path().join("gone.ron");
        assert!(error(&[a.clone(), missing]).contains("gone.ron"));
        let different = error(&[a.clone(), c]);
        assert!(
            different.contains("c.ron") && different.contains("different texts"),
            "{different}"
        );
        let (session, curated) = load(&[a.clone(), b], &|_| {}).unwrap();
        assert_eq!(curated.text(), "One text.");
        assert!(session.is_annotators_file(&a));
        assert!(!session.is_annotators_file(&folder.path().join("curated.ron")));
        assert_eq!(session.current(), None);
    }

    #[test]
    fn typed_paths_are_one_a_line() {
        let dialog = CurateDialog {
            typed: " a.ron \n\n b.ron\n".into(),
            focus_requested: false,
            native: None,
        };
        assert_eq!(dialog.paths(), [PathBuf::from("a.ron"), PathBuf::from("b.ron")]);
    }
}
