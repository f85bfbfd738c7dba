//! "Tag every other occurrence": lists every other place with the selected
//! annotation's exact text, then gives them all its tags in one undoable step.

use egui::{Id, RichText};

use crate::model::annotation::AnnotationId;
use crate::model::edit::Edit;
use crate::model::span::Span;
use crate::model::tag_set::TagId;

use super::commands::Action;
use super::navigation::{MAX_OCCURRENCES, other_occurrences};
use super::text_view::excerpt;
use super::workspace::Workspace;

/// Accessible label of the button that tags the occurrences.
pub const CONFIRM_LABEL: &str = "Tag them all";

/// How many characters of context each listed occurrence shows on either side.
const CONTEXT_CHARS: usize = 32;

/// The offer on screen: where the text occurs and which tags it would get.
struct Offer {
    quote: String,
    tags: Vec<TagId>,
    spans: Vec<Span>,
}

/// The dialog's state; closed when there is no offer.
#[derive(Default)]
pub struct OccurrencesDialog {
    offer: Option<Offer>,
}

impl OccurrencesDialog {
    /// Whether the dialog is open.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.offer.is_some()
    }

    /// Opens the dialog for annotation `id`; returns why not when there is nothing to offer.
    pub fn offer(&mut self, workspace: &Workspace, id: AnnotationId) -> Result<(), String> {
        let project = workspace.project();
        let Some(annotation) = project.annotation(id) else {
            return Err("Select a tagged annotation first (click it, or press N).".into());
        };
        if annotation.tags.is_empty() {
            return Err("The selected annotation has no tags to give to other occurrences.".into());
        }
        let quote = annotation.span.quote(project.text()).unwrap_or_default().to_owned();
        let spans = other_occurrences(project.text(), &quote, annotation.span);
        if spans.is_empty() {
            return Err(format!(
                "“{}” occurs nowhere else in the document.",
                excerpt(&quote, 60)
            ));
        }
        self.offer = Some(Offer {
            quote,
            tags: annotation.tags.clone(),
            spans,
        });
        Ok(())
    }

    /// Draws the dialog; Enter or the button tags every occurrence, Escape or Cancel closes it.
    pub fn ui(&mut self, ctx: &egui::Context, workspace: &Workspace, actions: &mut Vec<Action>) {
        let Some(offer) = &self.offer else { return };
        let project = workspace.project();
        let text = project.text();
        let tag_names: Vec<&str> = offer
            .tags
            .iter()
            .map(|tag| project.tag_set().get(tag).map_or(tag.as_str(), |t| t.name.as_str()))
            .collect();
        let mut done = false;
        let modal = egui::Modal::new(Id::unique("tag every occurrence")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading("Tag every other occurrence");
            let count = offer.spans.len();
            let more = if count >= MAX_OCCURRENCES {
                " (the first ones)"
            } else {
                ""
            };
            ui.label(format!(
                "“{}” occurs {count} more time(s){more}. Give each one the tag(s) {}? One undo takes them all back.",
                excerpt(&offer.quote, 60),
                tag_names.join(", ")
            ));
            egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                for span in &offer.spans {
                    let line = workspace.paragraphs().index_of(span.start) + 1;
                    let before = text.get(..span.start.0).unwrap_or_default();
                    let before: String = before
                        .chars()
                        .rev()
                        .take(CONTEXT_CHARS)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    let after = text.get(span.end.0..).unwrap_or_default();
                    ui.horizontal_wrapped(|ui| {
                        ui.spacing_mut().item_spacing.x = 0.0;
                        ui.label(RichText::new(format!("line {line}:  ")).weak());
                        ui.label(format!("…{}", excerpt(&before, CONTEXT_CHARS)));
                        ui.label(RichText::new(excerpt(&offer.quote, 80)).strong().underline());
                        ui.label(format!("{}…", excerpt(after, CONTEXT_CHARS)));
                    });
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                let confirm = ui.button(CONFIRM_LABEL).on_hover_text("Enter");
                if confirm.clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    if let Some(edit) = Edit::tag_spans(project, &offer.spans, &offer.tags) {
                        actions.push(Action::Edit {
                            edit,
                            group: None,
                            select: None,
                        });
                    }
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
        if done || modal.should_close() {
            self.offer = None;
        }
    }
}
