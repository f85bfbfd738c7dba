//! The side panel for the selection: its quote, its tags, and its
//! counter-claims in multi-line editors. Typing in one editor is one undo
//! step per session (the step closes when the editor loses focus).

use egui::{Id, RichText, TextEdit, Ui};

use crate::model::annotation::{AnnotationId, CounterClaim};
use crate::model::edit::Edit;
use crate::model::history::GroupKey;
use crate::model::span::Span;

use super::argument_panel;
use super::commands::{Action, UiCommand};
use super::text_view::{ViewSelection, excerpt};
use super::theme;
use super::workspace::Workspace;

/// The accessible label of the editor for counter-claim `number` (1-based) of the selection.
#[must_use]
pub fn claim_label(number: usize) -> String {
    format!("Counter-claim {number}")
}

/// The accessible label of the editor that starts a new counter-claim.
pub const NEW_CLAIM_LABEL: &str = "New counter-claim";

/// UI state of the panel: the draft of a first counter-claim and where focus should go.
#[derive(Default)]
pub struct ClaimPanel {
    draft: String,
    focus_request: Option<(AnnotationId, usize)>,
    /// Whether one of the panel's editors had the keyboard in the last frame.
    editing: bool,
}

fn editor_id(annotation: AnnotationId, index: usize) -> Id {
    Id::unique(("counter-claim editor", annotation.0, index))
}

fn group_key(annotation: AnnotationId, index: usize) -> GroupKey {
    GroupKey(format!("counter-claim {annotation} {index}"))
}

/// The annotation whose span is exactly `span`, found through the span index.
fn annotation_with_span(workspace: &Workspace, span: Span) -> Option<AnnotationId> {
    workspace
        .span_index()
        .overlapping(span)
        .into_iter()
        .find(|(_, found)| *found == span)
        .map(|(id, _)| id)
}

impl ClaimPanel {
    /// Moves the keyboard to the editor of this counter-claim on the next frame.
    pub fn focus(&mut self, annotation: AnnotationId, index: usize) {
        self.focus_request = Some((annotation, index));
    }

    /// Whether a counter-claim editor has the keyboard (so Ctrl+Z undoes the document's typing steps).
    #[must_use]
    pub fn is_editing(&self) -> bool {
        self.editing
    }

    /// Draws the panel for the current selection.
    pub fn ui(&mut self, ui: &mut Ui, workspace: &Workspace, selection: &ViewSelection, actions: &mut Vec<Action>) {
        self.editing = false;
        ui.heading("Selection");
        let project = workspace.project();
        let Some(span) = selection.span() else {
            ui.label(RichText::new("Drag over the text to select a span, or click a highlight.").weak());
            return;
        };
        let quote = span.quote(project.text()).unwrap_or_default();
        ui.label(RichText::new(format!("“{}”", excerpt(quote, 200))).italics());
        let annotation = selection.annotation.and_then(|id| project.annotation(id));
        let Some(annotation) = annotation else {
            self.draft_ui(ui, workspace, span, actions);
            return;
        };
        let id = annotation.id;
        ui.horizontal_wrapped(|ui| {
            for tag in &annotation.tags {
                let Some(definition) = project.tag_set().get(tag) else {
                    continue;
                };
                let chip = egui::Button::new(
                    RichText::new(format!("{} ✕", definition.name)).color(theme::chip_text(definition.color)),
                )
                .fill(theme::tag_color(definition.color));
                if ui
                    .add(chip)
                    .on_hover_text(format!("Remove the tag {}", definition.name))
                    .clicked()
                {
                    actions.push(Action::Edit {
                        edit: Edit::remove_tag(project, id, tag.clone()),
                        group: None,
                        select: Some(id),
                    });
                }
            }
        });
        ui.separator();
        if argument_panel::attributes_ui(ui, project, annotation, actions) {
            self.editing = true;
            ui.separator();
        } else if !annotation.attributes.is_empty()
            || !crate::model::attributes::declared_for(project.tag_set(), &annotation.tags).is_empty()
        {
            ui.separator();
        }
        argument_panel::relations_ui(ui, project, id, actions);
        ui.separator();
        for (index, claim) in annotation.counter_claims.iter().enumerate() {
            let mut text = claim.text.clone();
            let editor_id = editor_id(id, index);
            let label = ui.label(claim_label(index + 1));
            let response = ui.add(
                TextEdit::multiline(&mut text)
                    .id(editor_id)
                    .hint_text("Why the span is wrong or misleading…")
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            );
            let response = response.labelled_by(label.id);
            self.editing |= response.has_focus();
            if self.focus_request == Some((id, index)) {
                response.request_focus();
                self.focus_request = None;
            }
            if response.changed() {
                let claim = CounterClaim { text, ..claim.clone() };
                actions.push(Action::Edit {
                    edit: Edit::SetCounterClaim { id, index, claim },
                    group: Some(group_key(id, index)),
                    select: Some(id),
                });
            }
            if response.lost_focus() {
                actions.push(Action::CloseGroup);
            }
            if ui.button(format!("Delete counter-claim {}", index + 1)).clicked() {
                actions.push(Action::Edit {
                    edit: Edit::RemoveCounterClaim { id, index },
                    group: None,
                    select: Some(id),
                });
            }
            ui.separator();
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button("Add counter-claim").clicked() {
                let index = annotation.counter_claims.len();
                actions.push(Action::Edit {
                    edit: Edit::InsertCounterClaim {
                        id,
                        index,
                        claim: CounterClaim::default(),
                    },
                    group: None,
                    select: Some(id),
                });
                self.focus(id, index);
            }
            UiCommand::DeleteAnnotation.menu_item_ui(ui, true, actions);
        });
    }

    /// A first counter-claim for a selection that is not an annotation yet:
    /// the first keystroke creates it, under the same editor id and undo group
    /// as the editor that then takes over.
    fn draft_ui(&mut self, ui: &mut Ui, workspace: &Workspace, span: Span, actions: &mut Vec<Action>) {
        let project = workspace.project();
        let (target, index) = match annotation_with_span(workspace, span) {
            Some(id) => (id, project.annotation(id).map_or(0, |a| a.counter_claims.len())),
            None => (project.next_annotation_id(), 0),
        };
        let label = ui.label(NEW_CLAIM_LABEL);
        self.draft.clear();
        let response = ui.add(
            TextEdit::multiline(&mut self.draft)
                .id(editor_id(target, index))
                .hint_text("Write a counter-claim to this span…")
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        );
        let response = response.labelled_by(label.id);
        self.editing |= response.has_focus();
        if response.changed() && !self.draft.is_empty() {
            let (edit, id) = Edit::add_counter_claim(project, span, CounterClaim::new(self.draft.clone()));
            actions.push(Action::Edit {
                edit,
                group: Some(group_key(id, index)),
                select: Some(id),
            });
        }
    }
}
