//! The tag-set editor's other two pages: the link types (name, colour, key,
//! description) and the attributes each tag declares, with the document's
//! labels. Every change is one edit of the document, undone like any other;
//! a change that leaves values undeclared clears them in the same step.

use egui::{RichText, Ui};

use crate::model::attributes::{AttributeDecl, AttributeKind};
use crate::model::edit::Edit;
use crate::model::history::GroupKey;
use crate::model::project::Project;
use crate::model::relations::{RelationType, RelationTypeId};
use crate::model::tag_set::{Rgb, TagId};

use super::{COLOUR_WIDTH, DESCRIPTION_WIDTH, KEY_WIDTH, NAME_WIDTH, TagSetEditor, name_widget, named_text_field};
use crate::ui::commands::Action;

/// Whose attributes the attribute page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) enum Declarer {
    /// The document's labels.
    #[default]
    Document,
    Tag(TagId),
}

/// The label of the kind drop-down's entries.
fn kind_name(kind: &AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Flag => "Yes/no",
        AttributeKind::Choice(_) => "Choice",
        AttributeKind::Text => "Text",
    }
}

impl TagSetEditor {
    pub(super) fn relation_types_ui(&mut self, ui: &mut Ui, project: &Project, actions: &mut Vec<Action>) {
        let tag_set = project.tag_set();
        if ui.button("Add link type").clicked() {
            let relation_type = RelationType {
                id: tag_set.fresh_relation_type_id("new link"),
                name: "new link".into(),
                description: String::new(),
                color: Rgb([96, 96, 96]),
                hotkey: None,
                from_tags: Vec::new(),
                to_tags: Vec::new(),
            };
            actions.push(Action::Edit {
                edit: Edit::InsertRelationType {
                    index: tag_set.relation_types.len(),
                    relation_type,
                },
                group: None,
                select: None,
            });
        }
        if let Some((kind, uses)) = &self.confirm_delete_link {
            ui.label(
                RichText::new(format!(
                    "{uses} link(s) are of type {kind}. Click Delete again to remove them too (undo brings them back)."
                ))
                .color(egui::Color32::from_rgb(180, 40, 40)),
            );
        }
        for relation_type in &tag_set.relation_types {
            ui.push_id(("link type", relation_type.id.as_str()), |ui| {
                ui.horizontal(|ui| self.relation_type_row_ui(ui, project, relation_type, actions));
            });
        }
    }

    fn relation_type_row_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        relation_type: &RelationType,
        actions: &mut Vec<Action>,
    ) {
        let mut edited = relation_type.clone();
        let colour = ui.add_sized([COLOUR_WIDTH, 18.0], |ui: &mut Ui| {
            ui.color_edit_button_srgb(&mut edited.color.0)
        });
        name_widget(
            &colour,
            egui::Role::Button,
            &format!("Colour of link type {}", relation_type.name),
        );
        let mut changed = colour.changed();
        let name = named_text_field(
            ui,
            &mut edited.name,
            NAME_WIDTH,
            format!("Name of link type {}", relation_type.name),
        );
        let combo = egui::ComboBox::from_id_salt("link hotkey")
            .width(KEY_WIDTH - 8.0)
            .selected_text(edited.hotkey.map_or_else(|| "–".to_owned(), |d| d.to_string()))
            .show_ui(ui, |ui| {
                changed |= ui.selectable_value(&mut edited.hotkey, None, "–").changed();
                for digit in 1..=9 {
                    changed |= ui
                        .selectable_value(&mut edited.hotkey, Some(digit), digit.to_string())
                        .changed();
                }
            });
        name_widget(
            &combo.response,
            egui::Role::ComboBox,
            &format!("Key of link type {}", relation_type.name),
        );
        let description = named_text_field(
            ui,
            &mut edited.description,
            DESCRIPTION_WIDTH,
            format!("Description of link type {}", relation_type.name),
        );
        changed |= self.typed(&[name, description], actions);
        if changed && edited != *relation_type {
            actions.push(Action::Edit {
                edit: Edit::UpdateRelationType(edited),
                group: Some(GroupKey(format!("link type {}", relation_type.id))),
                select: None,
            });
        }
        if ui.button("Delete").clicked() {
            let uses = project.relations().filter(|r| r.kind == relation_type.id).count();
            let confirmed = self
                .confirm_delete_link
                .as_ref()
                .is_some_and(|(id, _)| *id == relation_type.id);
            if uses == 0 || confirmed {
                self.confirm_delete_link = None;
                actions.push(Action::Edit {
                    edit: Edit::RemoveRelationType(relation_type.id.clone()),
                    group: None,
                    select: None,
                });
            } else {
                self.confirm_delete_link = Some((relation_type.id.clone(), uses));
            }
        }
    }

    /// Notes the keyboard and typing sessions of text fields; whether one changed.
    fn typed(&mut self, fields: &[egui::Response], actions: &mut Vec<Action>) -> bool {
        let mut changed = false;
        for field in fields {
            changed |= field.changed();
            self.editing |= field.has_focus();
            if field.lost_focus() {
                actions.push(Action::CloseGroup);
            }
        }
        changed
    }

    pub(super) fn attributes_ui(&mut self, ui: &mut Ui, project: &Project, actions: &mut Vec<Action>) {
        let tag_set = project.tag_set();
        let declarer_name = |declarer: &Declarer| match declarer {
            Declarer::Document => "The document (its labels)".to_owned(),
            Declarer::Tag(id) => tag_set.get(id).map_or_else(|| id.to_string(), |t| t.name.clone()),
        };
        if let Declarer::Tag(id) = &self.declarer
            && tag_set.get(id).is_none()
        {
            self.declarer = Declarer::Document;
        }
        ui.horizontal(|ui| {
            let label = ui.label("Attributes of");
            egui::ComboBox::from_id_salt("declarer")
                .selected_text(declarer_name(&self.declarer))
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.declarer,
                        Declarer::Document,
                        declarer_name(&Declarer::Document),
                    );
                    for tag in &tag_set.tags {
                        let declarer = Declarer::Tag(tag.id.clone());
                        let name = declarer_name(&declarer);
                        ui.selectable_value(&mut self.declarer, declarer, name);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        let declarer = self.declarer.clone();
        let declarations: Vec<AttributeDecl> = match &declarer {
            Declarer::Document => tag_set.document_labels.clone(),
            Declarer::Tag(id) => tag_set.get(id).map(|t| t.attributes.clone()).unwrap_or_default(),
        };
        let replace = |declarations: Vec<AttributeDecl>| match &declarer {
            Declarer::Document => Some(Edit::set_document_label_declarations(project, declarations)),
            Declarer::Tag(id) => tag_set.get(id).map(|tag| {
                let mut tag = tag.clone();
                tag.attributes = declarations;
                Edit::update_tag_definition(project, tag)
            }),
        };
        let group = GroupKey(format!("attributes of {declarer:?}"));
        let mut updated = None;
        if ui.button("Add attribute").clicked() {
            let mut name = "New attribute".to_owned();
            let mut counter = 2;
            while declarations.iter().any(|d| d.name == name) {
                name = format!("New attribute {counter}");
                counter += 1;
            }
            let mut with_new = declarations.clone();
            with_new.push(AttributeDecl::new(name, AttributeKind::Flag));
            updated = Some((with_new, false));
        }
        ui.label(
            RichText::new("Renaming an attribute, or dropping a choice, clears the values it no longer allows (undo brings them back).")
                .weak(),
        );
        for (index, decl) in declarations.iter().enumerate() {
            ui.push_id(("attribute", index), |ui| {
                ui.horizontal(|ui| {
                    let mut edited = decl.clone();
                    let name = named_text_field(
                        ui,
                        &mut edited.name,
                        NAME_WIDTH,
                        format!("Name of attribute {}", decl.name),
                    );
                    let mut kind_changed = false;
                    let combo = egui::ComboBox::from_id_salt("kind")
                        .selected_text(kind_name(&edited.kind))
                        .show_ui(ui, |ui| {
                            for kind in [
                                AttributeKind::Flag,
                                AttributeKind::Choice(Vec::new()),
                                AttributeKind::Text,
                            ] {
                                let same = std::mem::discriminant(&kind) == std::mem::discriminant(&edited.kind);
                                if ui.selectable_label(same, kind_name(&kind)).clicked() && !same {
                                    edited.kind = kind;
                                    kind_changed = true;
                                }
                            }
                        });
                    name_widget(
                        &combo.response,
                        egui::Role::ComboBox,
                        &format!("Kind of attribute {}", decl.name),
                    );
                    let mut fields = vec![name];
                    if let AttributeKind::Choice(values) = &edited.kind {
                        let mut text = values.join(", ");
                        let field =
                            named_text_field(ui, &mut text, NAME_WIDTH, format!("Choices of attribute {}", decl.name));
                        if field.changed() {
                            edited.kind = AttributeKind::Choice(
                                text.split(',')
                                    .map(str::trim)
                                    .filter(|v| !v.is_empty())
                                    .map(str::to_owned)
                                    .collect(),
                            );
                        }
                        fields.push(field);
                    }
                    let description = named_text_field(
                        ui,
                        &mut edited.description,
                        DESCRIPTION_WIDTH,
                        format!("Description of attribute {}", decl.name),
                    );
                    fields.push(description);
                    let typed = self.typed(&fields, actions);
                    if (typed || kind_changed) && edited != *decl && !edited.name.trim().is_empty() {
                        let mut all = declarations.clone();
                        all[index] = edited;
                        updated = Some((all, typed && !kind_changed));
                    }
                    if ui.button("Delete").clicked() {
                        let mut all = declarations.clone();
                        all.remove(index);
                        updated = Some((all, false));
                    }
                });
            });
        }
        if let Some((declarations, typing)) = updated
            && let Some(edit) = replace(declarations)
        {
            actions.push(Action::Edit {
                edit,
                group: typing.then(|| group.clone()),
                select: None,
            });
        }
    }
}

/// A link type whose deletion waits for a second click, and how many links are of it.
pub(super) type PendingLinkDelete = Option<(RelationTypeId, usize)>;
