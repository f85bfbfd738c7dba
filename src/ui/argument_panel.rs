//! The argument part of the selection's side panel: the selected
//! annotation's links to and from other annotations (click one to go to it),
//! the button that starts a new link, and its attributes as widgets.

use egui::{RichText, Ui};

use crate::model::annotation::AnnotationId;
use crate::model::edit::Edit;
use crate::model::project::Project;

use super::commands::{Action, UiCommand};
use super::text_view::excerpt;
use super::theme;

/// The accessible label of the button that goes to the other end of a link:
/// the direction, the type's name and the other annotation's quote, cut short.
#[must_use]
pub fn link_label(project: &Project, kind_name: &str, outgoing: bool, other: AnnotationId) -> String {
    let quote = project
        .annotation(other)
        .and_then(|a| a.span.quote(project.text()))
        .unwrap_or_default();
    let arrow = if outgoing { "→" } else { "←" };
    format!("{arrow} {kind_name} “{}”", excerpt(quote, 40))
}

/// The links of annotation `id`, outgoing first, each with a button to go to
/// the other end and one to remove the link; then "Link to…".
pub fn relations_ui(ui: &mut Ui, project: &Project, id: AnnotationId, actions: &mut Vec<Action>) {
    ui.label(RichText::new("Links").strong());
    let mut relations: Vec<_> = project.relations_of(id).collect();
    relations.sort_by_key(|r| (r.from != id, r.id));
    if relations.is_empty() {
        ui.label(RichText::new("No links yet.").weak());
    }
    for relation in relations {
        let outgoing = relation.from == id;
        let other = if outgoing { relation.to } else { relation.from };
        let (name, color) = project
            .tag_set()
            .relation_type(&relation.kind)
            .map_or((relation.kind.as_str(), None), |t| (t.name.as_str(), Some(t.color)));
        ui.horizontal(|ui| {
            let mut text = RichText::new(link_label(project, name, outgoing, other));
            if let Some(color) = color {
                text = text.color(theme::tag_color(color));
            }
            let hover = if outgoing {
                format!("This annotation {name} that one: click to go to it")
            } else {
                format!("That annotation {name} this one: click to go to it")
            };
            if ui.link(text).on_hover_text(hover).clicked() {
                actions.push(Action::Reveal(other));
            }
            if ui.small_button("✕").on_hover_text("Remove this link").clicked() {
                actions.push(Action::Edit {
                    edit: Edit::RemoveRelation(relation.id),
                    group: None,
                    select: Some(id),
                });
            }
        });
    }
    UiCommand::LinkTo.menu_item_ui(ui, true, actions);
}
