//! The list of all annotations (tag, quote, counter-claim excerpt),
//! filterable by tag and text; clicking one reveals it in the text.

use egui::Ui;

use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::project::Project;
use crate::model::tag_set::TagId;

use super::commands::Action;
use super::text_view::excerpt;
use super::theme;
use super::workspace::Workspace;

/// Accessible label of the text filter.
pub const FILTER_LABEL: &str = "Filter annotations";

/// The list's filters and the filtered ids, recomputed only when the project or a filter changes.
#[derive(Default)]
pub struct AnnotationList {
    text_filter: String,
    tag_filter: Option<TagId>,
    filtered: Vec<AnnotationId>,
    filtered_for: Option<(u64, String, Option<TagId>)>,
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

fn matches(project: &Project, annotation: &Annotation, text: &str, tag: Option<&TagId>) -> bool {
    if tag.is_some_and(|tag| !annotation.tags.contains(tag)) {
        return false;
    }
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
}

impl AnnotationList {
    fn refresh(&mut self, workspace: &Workspace) {
        let key = (
            workspace.history().revision(),
            self.text_filter.clone(),
            self.tag_filter.clone(),
        );
        if self.filtered_for.as_ref() == Some(&key) {
            return;
        }
        let project = workspace.project();
        let text = self.text_filter.to_lowercase();
        self.filtered = if text.is_empty() && self.tag_filter.is_none() {
            // All of them: the span index walks them in document order without
            // sorting, which keeps an edit frame short at 100,000 annotations.
            workspace.span_index().in_document_order().map(|(id, _)| id).collect()
        } else {
            project
                .annotations_in_document_order()
                .into_iter()
                .filter(|a| matches(project, a, &text, self.tag_filter.as_ref()))
                .map(|a| a.id)
                .collect()
        };
        self.filtered_for = Some(key);
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
