//! The argument part of the selection's side panel: the selected
//! annotation's links to and from other annotations (click one to go to it),
//! the button that starts a new link, and its attributes as widgets.

use egui::{RichText, Ui};

use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::attributes::{self, AttributeDecl, AttributeKind, AttributeValues, FLAG_SET};
use crate::model::edit::Edit;
use crate::model::history::GroupKey;
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

/// The attributes the annotation's tags declare, as widgets (see
/// [`values_ui`]). Values its tags no longer declare are listed as they are.
/// Returns whether a text field has the keyboard.
pub fn attributes_ui(ui: &mut Ui, project: &Project, annotation: &Annotation, actions: &mut Vec<Action>) -> bool {
    let id = annotation.id;
    let declared = attributes::declared_for(project.tag_set(), &annotation.tags);
    if declared.is_empty() && annotation.attributes.is_empty() {
        return false;
    }
    ui.label(RichText::new("Attributes").strong());
    let editing = values_ui(
        ui,
        ("attributes", id.0),
        &declared,
        &annotation.attributes,
        |name, value| Edit::set_attribute(project, id, name, value).ok(),
        |name| GroupKey(format!("attribute {id} {name}")),
        Some(id),
        actions,
    );
    for (name, value) in &annotation.attributes {
        if !declared.iter().any(|decl| &decl.name == name) {
            ui.label(RichText::new(format!("{name}: {value} (not declared by its tags)")).weak());
        }
    }
    editing
}

/// Declared values as widgets: a checkbox for a flag, a drop-down for a
/// choice, a field for free text (typing in it is one undo step per
/// session, under `group`). `edit` makes the edit that sets or clears a
/// value. Returns whether a text field has the keyboard.
#[allow(clippy::too_many_arguments)]
pub fn values_ui(
    ui: &mut Ui,
    grid: impl std::hash::Hash + std::fmt::Debug,
    declared: &[&AttributeDecl],
    values: &AttributeValues,
    edit: impl Fn(&str, Option<String>) -> Option<Edit>,
    group: impl Fn(&str) -> GroupKey,
    select: Option<AnnotationId>,
    actions: &mut Vec<Action>,
) -> bool {
    let mut editing = false;
    let set = |actions: &mut Vec<Action>, name: &str, value: Option<String>, group: Option<GroupKey>| {
        if let Some(edit) = edit(name, value) {
            actions.push(Action::Edit { edit, group, select });
        }
    };
    egui::Grid::new(&grid).num_columns(2).show(ui, |ui| {
        for decl in declared {
            let current = values.get(&decl.name);
            match &decl.kind {
                AttributeKind::Flag => {
                    ui.label("");
                    let mut on = current.is_some_and(|v| v == FLAG_SET);
                    let response = ui.checkbox(&mut on, &decl.name).on_hover_text(&decl.description);
                    if response.changed() {
                        set(actions, &decl.name, on.then(|| FLAG_SET.to_owned()), None);
                    }
                }
                AttributeKind::Choice(choices) => {
                    let label = ui.label(&decl.name).on_hover_text(&decl.description);
                    let shown = current.map_or(NOT_SET, String::as_str);
                    let mut chosen = None;
                    egui::ComboBox::from_id_salt((&grid, &decl.name))
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            if ui.selectable_label(current.is_none(), NOT_SET).clicked() {
                                chosen = Some(None);
                            }
                            for value in choices {
                                if ui.selectable_label(current == Some(value), value).clicked() {
                                    chosen = Some(Some(value.clone()));
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if let Some(value) = chosen
                        && value.as_ref() != current
                    {
                        set(actions, &decl.name, value, None);
                    }
                }
                AttributeKind::Text => {
                    let label = ui.label(&decl.name).on_hover_text(&decl.description);
                    let mut text = current.cloned().unwrap_or_default();
                    let response = ui
                        .add(egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY))
                        .labelled_by(label.id);
                    editing |= response.has_focus();
                    if response.changed() {
                        let value = (!text.is_empty()).then_some(text);
                        set(actions, &decl.name, value, Some(group(&decl.name)));
                    }
                    if response.lost_focus() {
                        actions.push(Action::CloseGroup);
                    }
                }
            }
            ui.end_row();
        }
    });
    editing
}

/// What a choice shows when it has no value.
pub const NOT_SET: &str = "—";

/// The attribute values of an annotation on one line (`Verdict: False · Negated`), for the hover card.
#[must_use]
pub fn attributes_line(annotation: &Annotation) -> Option<String> {
    let parts: Vec<String> = annotation
        .attributes
        .iter()
        .map(|(name, value)| {
            if value == FLAG_SET {
                name.clone()
            } else {
                format!("{name}: {}", excerpt(value, 40))
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}
