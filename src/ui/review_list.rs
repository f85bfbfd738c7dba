//! Re-anchoring in the window: File ▸ Replace Source Text… and the review
//! list of the annotations it could not place with proof.
//!
//! Replacing the text reads the new version (off the UI thread, like any
//! document: encoding, byte-order mark and line breaks kept exactly),
//! carries every annotation onto it (`reanchor`) and puts the result in the
//! place of the open work: the same project path, unsaved. Nothing on disk
//! changes until the user saves; the save then writes over the project file
//! (the old one is kept as `NAME.bak`), and Reload or closing without saving
//! go back to the old one. The replacement is not an undo step (the text of
//! a project never changes; this makes a new project): its history starts
//! empty, and the banner says how many annotations moved exactly, moved by
//! their quote or need review.
//!
//! The review list shows while the project has marked annotations (also
//! when a file with marks is opened): the current one with its old quote
//! beside the new text around its candidate, and every one below. Accept
//! candidate, Place on selection (a span selected in the text with the
//! mouse) and Delete are each one undoable edit; resolved annotations leave
//! the list, and F8 goes to the next.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::model::annotation::AnnotationId;
use crate::model::edit::Edit;
use crate::model::project::Project;
use crate::model::span::Span;
use crate::reanchor::project::{Counts, Reanchored, reanchor_project};
use crate::storage;

use super::commands::{Action, UiCommand};
use super::text_view::excerpt;
use super::workspace::{Place, Workspace};

/// Labels of the review list's buttons (also how tests find them).
pub const ACCEPT_LABEL: &str = "Accept candidate";
pub const PLACE_LABEL: &str = "Place on selection";
pub const DELETE_LABEL: &str = "Delete annotation";

/// How many characters of the new text to show on each side of a candidate.
const CONTEXT_CHARS: usize = 48;

/// The steps of [`replace_source`], in words.
pub const REPLACE_STEPS: &[&str] = &[
    "reading the new text",
    "carrying the annotations over",
    "indexing lines and annotations",
];

/// Work on a new version of the text, and how its annotations fared.
pub struct Replaced {
    pub workspace: Workspace,
    pub counts: Counts,
    pub new_text: PathBuf,
}

impl Replaced {
    /// The summary for the banner.
    #[must_use]
    pub fn summary(&self) -> String {
        let Counts {
            moved_exactly,
            moved_by_quote,
            needs_review,
        } = self.counts;
        let review = if needs_review == 0 {
            String::new()
        } else {
            " (listed under the text: accept, place or delete each)".to_owned()
        };
        format!(
            "Replaced the text with {}: {moved_exactly} moved exactly, {moved_by_quote} moved by quote, {needs_review} need review{review}. Not saved yet: saving writes over the project (the old file is kept as .bak).",
            self.new_text.display()
        )
    }
}

/// Reads `new_text` and carries `project` onto it, in the place of the work
/// it came from (on a background thread; `step` reports each step begun).
pub fn replace_source(
    project: &Project,
    place: Place,
    new_text: &Path,
    step: &dyn Fn(usize),
) -> Result<Replaced, String> {
    let shown = new_text.display();
    let bytes = storage::read_bytes(new_text).map_err(|error| format!("Could not replace the text: {error}"))?;
    step(1);
    let Reanchored { project, report } = reanchor_project(project, &bytes, Some(shown.to_string()))
        .map_err(|error| format!("Could not replace the text with {shown}: {error}"))?;
    step(2);
    Ok(Replaced {
        workspace: Workspace::in_place(project, place),
        counts: report.counts(),
        new_text: new_text.to_path_buf(),
    })
}

/// The review list: the marked annotations, recomputed when the project changes, and the current one.
#[derive(Default)]
pub struct ReviewList {
    marked: Vec<AnnotationId>,
    marked_for: Option<u64>,
    current: Option<AnnotationId>,
}

impl ReviewList {
    /// Forgets the cached list (another document was opened).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    fn refresh(&mut self, workspace: &Workspace) {
        if self.marked_for == Some(workspace.edition()) {
            return;
        }
        let was_at = self
            .current
            .and_then(|id| self.marked.iter().position(|marked| *marked == id));
        self.marked = workspace
            .project()
            .annotations_needing_review()
            .into_iter()
            .map(|annotation| annotation.id)
            .collect();
        self.marked_for = Some(workspace.edition());
        if let Some(current) = self.current
            && !self.marked.contains(&current)
        {
            // Resolved: the one that took its place in the list is next.
            let at = was_at.unwrap_or(0).min(self.marked.len().saturating_sub(1));
            self.current = self.marked.get(at).copied();
        }
    }

    /// Whether the list has anything in it (it is shown only then).
    pub fn has_items(&mut self, workspace: &Workspace) -> bool {
        self.refresh(workspace);
        !self.marked.is_empty()
    }

    /// Makes the next marked annotation after the current one (after `near`
    /// when none is current, wrapping round) current; its id.
    pub fn next(&mut self, workspace: &Workspace, near: Option<Span>) -> Option<AnnotationId> {
        self.refresh(workspace);
        let project = workspace.project();
        let after = self
            .current
            .and_then(|id| self.marked.iter().position(|marked| *marked == id))
            .map(|at| at + 1)
            .or_else(|| {
                let start = near?.start;
                let span_of = |id: &AnnotationId| project.annotation(*id).map(|a| a.span.start);
                Some(
                    self.marked
                        .iter()
                        .position(|id| span_of(id) >= Some(start))
                        .unwrap_or(0),
                )
            })
            .unwrap_or(0);
        let next = self.marked.get(after).or(self.marked.first()).copied();
        self.current = next;
        next
    }

    /// Draws the current item with its buttons and the whole list.
    pub fn ui(&mut self, ui: &mut Ui, workspace: &Workspace, selection: Option<Span>, actions: &mut Vec<Action>) {
        self.refresh(workspace);
        let project = workspace.project();
        let current = self.current.or(self.marked.first().copied());
        ui.horizontal(|ui| {
            ui.heading(format!("Needs review ({})", self.marked.len()));
            let next = ui
                .button(format!("Next ({})", next_key(ui)))
                .on_hover_text(UiCommand::NextReview.tooltip());
            if next.clicked() {
                actions.push(Action::Command(UiCommand::NextReview));
            }
        });
        if let Some(id) = current
            && let Some(annotation) = project.annotation(id)
            && let Some(review) = &annotation.review
        {
            let text = project.text();
            ui.label(format!("{id}: {}.", review.reason.in_words()));
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Before:").strong());
                ui.label(format!("“{}”", excerpt(&review.old_quote, 200)));
            });
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Now:").strong());
                let (before, candidate, after) = around(text, annotation.span);
                ui.label(RichText::new(before).weak());
                if candidate.is_empty() {
                    ui.label(RichText::new("‸").strong().color(ui.visuals().warn_fg_color));
                } else {
                    ui.label(RichText::new(candidate).strong().underline());
                }
                ui.label(RichText::new(after).weak());
            });
            ui.horizontal(|ui| {
                let accept = Edit::accept_review(project, id);
                let clicked = ui
                    .add_enabled(accept.is_some(), egui::Button::new(ACCEPT_LABEL))
                    .on_hover_text("Keep the annotation where it is now and clear the mark")
                    .on_disabled_hover_text("Its text was deleted: place it on a selection or delete it")
                    .clicked();
                if clicked && let Some(edit) = accept {
                    actions.push(Action::Edit {
                        edit,
                        group: None,
                        select: Some(id),
                    });
                }
                let place = selection.and_then(|span| Edit::place_review(project, id, span));
                let clicked = ui
                    .add_enabled(place.is_some(), egui::Button::new(PLACE_LABEL))
                    .on_hover_text("Move the annotation onto the text selected with the mouse and clear the mark")
                    .on_disabled_hover_text("Select the new place in the text first")
                    .clicked();
                if clicked && let Some(edit) = place {
                    actions.push(Action::Edit {
                        edit,
                        group: None,
                        select: Some(id),
                    });
                }
                let delete = ui
                    .button(DELETE_LABEL)
                    .on_hover_text("Remove the annotation with its tags and counter-claims");
                if delete.clicked() {
                    actions.push(Action::Edit {
                        edit: Edit::RemoveAnnotation(id),
                        group: None,
                        select: None,
                    });
                }
            });
            ui.separator();
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical()
            .id_salt("review list")
            .auto_shrink(false)
            .show_rows(ui, row_height, self.marked.len(), |ui, rows| {
                for id in self.marked.get(rows).unwrap_or_default() {
                    let Some(annotation) = project.annotation(*id) else {
                        continue;
                    };
                    let Some(review) = &annotation.review else { continue };
                    let row = format!(
                        "{id} “{}” — {}",
                        excerpt(&review.old_quote, 40),
                        review.reason.in_words()
                    );
                    let button = egui::Button::selectable(current == Some(*id), row).truncate();
                    if ui.push_id(id.0, |ui| ui.add(button)).inner.clicked() {
                        self.current = Some(*id);
                        actions.push(Action::Reveal(*id));
                    }
                }
            });
    }
}

/// The key that goes to the next item, as the menus write it.
fn next_key(ui: &Ui) -> String {
    UiCommand::NextReview
        .shortcut()
        .map_or_else(String::new, |shortcut| ui.ctx().format_shortcut(&shortcut))
}

/// The text before `span` (up to [`CONTEXT_CHARS`]), in it, and after it,
/// with line breaks shown as spaces.
fn around(text: &str, span: Span) -> (String, String, String) {
    let (Some(before), Some(inside), Some(after)) = (
        text.get(..span.start.0),
        text.get(span.start.0..span.end.0),
        text.get(span.end.0..),
    ) else {
        return Default::default();
    };
    let skip = before.chars().count().saturating_sub(CONTEXT_CHARS);
    let flat = |text: &str| -> String { text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect() };
    let before: String = before.chars().skip(skip).collect();
    let before = if skip > 0 {
        format!("…{}", flat(&before))
    } else {
        flat(&before)
    };
    (before, excerpt(inside, 200), excerpt(after, CONTEXT_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_is_cut_on_characters_and_flattened() {
        let text = format!("{}é\nbefore [here] after\r\nmore", "x".repeat(60));
        let start = text.find("here").unwrap_or_default();
        let (before, inside, after) = around(&text, Span::new(start, start + 4));
        assert!(before.starts_with('…') && before.ends_with("é before ["), "{before}");
        assert_eq!(before.chars().count(), CONTEXT_CHARS + 1);
        assert_eq!(inside, "here");
        assert!(after.starts_with("] after  more"), "{after}");
        assert_eq!(around("ab", Span::new(1, 9)), Default::default());
    }
}
