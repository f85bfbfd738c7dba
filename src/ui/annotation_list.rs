//! The list of all annotations (tag, quote, counter-claim excerpt),
//! filterable by tag, text (attribute values included), links and attribute
//! values; clicking one reveals it in the text.

use std::collections::HashMap;

use egui::Ui;

use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::attributes::{AttributeKind, FLAG_SET};
use crate::model::project::Project;
use crate::model::relations::RelationTypeId;
use crate::model::tag_set::TagId;

use super::commands::Action;
use super::text_view::excerpt;
use super::theme;
use super::workspace::Workspace;

/// Accessible label of the text filter.
pub const FILTER_LABEL: &str = "Filter annotations";

/// Accessible label of the links filter.
pub const LINK_FILTER_LABEL: &str = "Link filter";
/// Accessible label of the attribute filter.
pub const ATTRIBUTE_FILTER_LABEL: &str = "Attribute filter";

/// Which annotations to list by their links (in either direction).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LinkFilter {
    #[default]
    Any,
    Linked,
    Unlinked,
    /// With at least one link of this type.
    Kind(RelationTypeId),
}

/// The filters, as one key for the cached list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Filters {
    text: String,
    tag: Option<TagId>,
    link: LinkFilter,
    /// An attribute's name and the value it must have.
    attribute: Option<(String, String)>,
}

impl Filters {
    fn is_empty(&self) -> bool {
        self.text.is_empty() && self.tag.is_none() && self.link == LinkFilter::Any && self.attribute.is_none()
    }
}

/// The list's filters and the filtered ids, recomputed only when the project or a filter changes.
#[derive(Default)]
pub struct AnnotationList {
    text_filter: String,
    tag_filter: Option<TagId>,
    link_filter: LinkFilter,
    attribute_filter: Option<(String, String)>,
    filtered: Vec<AnnotationId>,
    filtered_for: Option<(u64, Filters)>,
}

/// The one-line text of an annotation's row (also its accessible label).
#[must_use]
pub fn row_text(project: &Project, annotation: &Annotation) -> String {
    let tags: Vec<&str> = annotation
        .tags
        .iter()
        .map(|t| project.tag_set().get(t).map_or(t.as_str(), |tag| tag.name.as_str()))
        .collect();
    let quote = annotation.span.quote(project.text()).unwrap_or_default();
    let mut row = format!("{} “{}”", tags.join(", "), excerpt(quote, 60));
    if let Some(claim) = annotation.counter_claims.first() {
        row.push_str(" ↳ ");
        row.push_str(&excerpt(&claim.text, 60));
    }
    row.trim_start().to_owned()
}

/// The relation types of each annotation's links, in either direction.
type LinkKinds<'p> = HashMap<AnnotationId, Vec<&'p RelationTypeId>>;

fn link_kinds(project: &Project) -> LinkKinds<'_> {
    let mut kinds: LinkKinds<'_> = HashMap::new();
    for relation in project.relations() {
        for end in [relation.from, relation.to] {
            kinds.entry(end).or_default().push(&relation.kind);
        }
    }
    kinds
}

fn matches(project: &Project, annotation: &Annotation, filters: &Filters, links: &LinkKinds<'_>) -> bool {
    if filters.tag.as_ref().is_some_and(|tag| !annotation.tags.contains(tag)) {
        return false;
    }
    let kinds = links.get(&annotation.id);
    let linked = match &filters.link {
        LinkFilter::Any => true,
        LinkFilter::Linked => kinds.is_some(),
        LinkFilter::Unlinked => kinds.is_none(),
        LinkFilter::Kind(kind) => kinds.is_some_and(|k| k.contains(&kind)),
    };
    if !linked {
        return false;
    }
    if let Some((name, value)) = &filters.attribute
        && annotation.attributes.get(name) != Some(value)
    {
        return false;
    }
    let text = filters.text.as_str();
    if text.is_empty() {
        return true;
    }
    let quote = annotation.span.quote(project.text()).unwrap_or_default();
    let in_tags = annotation.tags.iter().any(|t| {
        project
            .tag_set()
            .get(t)
            .is_some_and(|tag| tag.name.to_lowercase().contains(text))
    });
    quote.to_lowercase().contains(text)
        || in_tags
        || annotation
            .counter_claims
            .iter()
            .any(|c| c.text.to_lowercase().contains(text))
        || annotation.attributes.values().any(|v| v.to_lowercase().contains(text))
}

/// The attribute values the filter offers: every flag and listed choice the
/// tags declare, as (name, value), each once, in tag order.
fn attribute_choices(project: &Project) -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> = Vec::new();
    for decl in project.tag_set().tags.iter().flat_map(|t| &t.attributes) {
        let values: Vec<String> = match &decl.kind {
            AttributeKind::Flag => vec![FLAG_SET.to_owned()],
            AttributeKind::Choice(values) => values.clone(),
            AttributeKind::Text => Vec::new(),
        };
        for value in values {
            let choice = (decl.name.clone(), value);
            if !choices.contains(&choice) {
                choices.push(choice);
            }
        }
    }
    choices
}

fn attribute_choice_text((name, value): &(String, String)) -> String {
    if value == FLAG_SET {
        name.clone()
    } else {
        format!("{name}: {value}")
    }
}

impl AnnotationList {
    fn refresh(&mut self, workspace: &Workspace) {
        let filters = Filters {
            text: self.text_filter.to_lowercase(),
            tag: self.tag_filter.clone(),
            link: self.link_filter.clone(),
            attribute: self.attribute_filter.clone(),
        };
        let key = (workspace.history().revision(), filters);
        if self.filtered_for.as_ref() == Some(&key) {
            return;
        }
        let project = workspace.project();
        let filters = &key.1;
        self.filtered = if filters.is_empty() {
            // All of them: the span index walks them in document order without
            // sorting, which keeps an edit frame short at 100,000 annotations.
            workspace.span_index().in_document_order().map(|(id, _)| id).collect()
        } else {
            let links = link_kinds(project);
            project
                .annotations_in_document_order()
                .into_iter()
                .filter(|a| matches(project, a, filters, &links))
                .map(|a| a.id)
                .collect()
        };
        self.filtered_for = Some(key);
    }

    /// The filters by links and by attribute value.
    fn argument_filters_ui(&mut self, ui: &mut Ui, project: &Project) {
        let kinds = &project.tag_set().relation_types;
        let link_text = |filter: &LinkFilter| match filter {
            LinkFilter::Any => "With or without links".to_owned(),
            LinkFilter::Linked => "With links".to_owned(),
            LinkFilter::Unlinked => "Without links".to_owned(),
            LinkFilter::Kind(kind) => {
                let name = kinds
                    .iter()
                    .find(|k| &k.id == kind)
                    .map_or(kind.as_str(), |k| k.name.as_str());
                format!("Linked by {name}")
            }
        };
        egui::ComboBox::from_label(LINK_FILTER_LABEL)
            .selected_text(link_text(&self.link_filter))
            .show_ui(ui, |ui| {
                let mut options = vec![LinkFilter::Any, LinkFilter::Linked, LinkFilter::Unlinked];
                options.extend(kinds.iter().map(|k| LinkFilter::Kind(k.id.clone())));
                for option in options {
                    let text = link_text(&option);
                    ui.selectable_value(&mut self.link_filter, option, text);
                }
            });
        let choices = attribute_choices(project);
        if choices.is_empty() && self.attribute_filter.is_none() {
            return;
        }
        let shown = self
            .attribute_filter
            .as_ref()
            .map_or_else(|| "Any attributes".to_owned(), attribute_choice_text);
        egui::ComboBox::from_label(ATTRIBUTE_FILTER_LABEL)
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.attribute_filter, None, "Any attributes");
                for choice in choices {
                    let text = attribute_choice_text(&choice);
                    ui.selectable_value(&mut self.attribute_filter, Some(choice), text);
                }
            });
    }

    /// Forgets the cached list (another document was opened).
    pub fn reset(&mut self) {
        self.filtered_for = None;
        self.filtered.clear();
    }

    /// Draws the filters and the list.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        workspace: &Workspace,
        selected: Option<AnnotationId>,
        actions: &mut Vec<Action>,
    ) {
        let project = workspace.project();
        ui.heading(format!("Annotations ({})", project.annotation_count()));
        ui.horizontal(|ui| {
            let label = ui.label(FILTER_LABEL);
            ui.add(egui::TextEdit::singleline(&mut self.text_filter).hint_text("text, tag or counter-claim"))
                .labelled_by(label.id);
        });
        let chosen_name = self
            .tag_filter
            .as_ref()
            .and_then(|t| project.tag_set().get(t))
            .map_or("All tags", |t| t.name.as_str());
        egui::ComboBox::from_label("Tag filter")
            .selected_text(chosen_name)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.tag_filter, None, "All tags");
                for tag in &project.tag_set().tags {
                    ui.selectable_value(&mut self.tag_filter, Some(tag.id.clone()), &tag.name);
                }
            });
        self.argument_filters_ui(ui, project);
        self.refresh(workspace);
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical()
            .id_salt("annotation list")
            .auto_shrink(false)
            .show_rows(ui, row_height, self.filtered.len(), |ui, rows| {
                for id in self.filtered.get(rows).unwrap_or_default() {
                    let Some(annotation) = project.annotation(*id) else {
                        continue;
                    };
                    ui.push_id(id.0, |ui| {
                        ui.horizontal(|ui| {
                            let color = annotation
                                .tags
                                .first()
                                .and_then(|t| project.tag_set().get(t))
                                .map_or(egui::Color32::GRAY, |t| theme::tag_color(t.color));
                            let (swatch, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                            ui.painter().rect_filled(swatch, 2.0, color);
                            let text = row_text(project, annotation);
                            let row = egui::Button::selectable(selected == Some(*id), text).truncate();
                            if ui.add(row).clicked() {
                                actions.push(Action::Reveal(*id));
                            }
                        });
                    });
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::Edit;
    use crate::model::project::SourceInfo;
    use crate::model::span::Span;
    use crate::model::tag_set::TagSet;

    #[test]
    fn annotations_are_filtered_by_links_and_attribute_values() {
        let text = "One claim here. Some evidence there. A lone claim.";
        let mut project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
        let mut tag = |range: (usize, usize), tag: &str| {
            let span = Span::new(range.0, range.1);
            let (edit, id) = Edit::tag_span(&project, span, TagId(tag.into())).unwrap();
            edit.apply(&mut project).unwrap();
            id
        };
        let claim = tag((0, 14), "Claim");
        let evidence = tag((16, 35), "Evidence");
        let lone = tag((37, 49), "Claim");
        let supports = RelationTypeId("supports".into());
        Edit::add_relation(&project, &supports, evidence, claim)
            .unwrap()
            .0
            .apply(&mut project)
            .unwrap();
        Edit::set_attribute(&project, lone, "Verdict", Some("False".into()))
            .unwrap()
            .apply(&mut project)
            .unwrap();
        let listed = |filters: Filters| -> Vec<AnnotationId> {
            let links = link_kinds(&project);
            project
                .annotations_in_document_order()
                .into_iter()
                .filter(|a| matches(&project, a, &filters, &links))
                .map(|a| a.id)
                .collect()
        };
        let by_link = |link| Filters {
            link,
            ..Filters::default()
        };
        assert_eq!(listed(by_link(LinkFilter::Linked)), [claim, evidence]);
        assert_eq!(listed(by_link(LinkFilter::Unlinked)), [lone]);
        assert_eq!(listed(by_link(LinkFilter::Kind(supports))), [claim, evidence]);
        assert!(listed(by_link(LinkFilter::Kind(RelationTypeId("attacks".into())))).is_empty());
        let verdict = Filters {
            attribute: Some(("Verdict".into(), "False".into())),
            ..Filters::default()
        };
        assert_eq!(listed(verdict), [lone]);
        let by_text = Filters {
            text: "false".into(),
            ..Filters::default()
        };
        assert_eq!(listed(by_text), [lone], "the text filter reads attribute values");
        let choices = attribute_choices(&project);
        assert!(choices.contains(&("Verdict".into(), "False".into())));
        assert!(choices.contains(&("Negated".into(), FLAG_SET.into())));
        assert_eq!(
            choices
                .iter()
                .filter(|(name, value)| name == "Confidence" && value == "Low")
                .count(),
            1,
            "declared by two tags, offered once"
        );
    }
}
