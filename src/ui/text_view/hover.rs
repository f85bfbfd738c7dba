//! What is attached under the pointer, in a tooltip.

use egui::Ui;

use crate::model::annotation::AnnotationId;
use crate::model::project::Project;
use crate::model::span::Span;

use super::TextView;
use crate::ui::theme;
use crate::ui::workspace::Workspace;

impl TextView {
    pub(super) fn hover_details(&self, response: &egui::Response, workspace: &Workspace) {
        if response.dragged() {
            return;
        }
        let Some(pos) = response.hover_pos() else { return };
        let Some(offset) = self.offset_at(workspace, pos) else {
            return;
        };
        let found = workspace.span_index().at(offset);
        if found.is_empty() {
            return;
        }
        let project = workspace.project();
        response
            .clone()
            .on_hover_ui_at_pointer(|ui| annotation_details_ui(ui, project, &found));
    }
}

/// The tags and counter-claims of the given annotations, for the hover tooltip.
pub fn annotation_details_ui(ui: &mut Ui, project: &Project, found: &[(AnnotationId, Span)]) {
    ui.set_max_width(360.0);
    for (id, span) in found.iter().take(6) {
        let Some(annotation) = project.annotation(*id) else {
            continue;
        };
        let quote = span.quote(project.text()).unwrap_or_default();
        ui.label(egui::RichText::new(format!("“{}”", excerpt(quote, 80))).italics());
        ui.horizontal_wrapped(|ui| {
            for tag in annotation.tags.iter().filter_map(|t| project.tag_set().get(t)) {
                ui.label(
                    egui::RichText::new(&tag.name)
                        .color(theme::chip_text(tag.color))
                        .background_color(theme::tag_color(tag.color)),
                );
            }
        });
        if let Some(line) = crate::ui::argument_panel::attributes_line(annotation) {
            ui.label(egui::RichText::new(line).small());
        }
        for relation in project.relations_of(*id).take(6) {
            let outgoing = relation.from == *id;
            let other = if outgoing { relation.to } else { relation.from };
            let Some(kind) = project.tag_set().relation_type(&relation.kind) else {
                continue;
            };
            let line = crate::ui::argument_panel::link_label(project, &kind.name, outgoing, other);
            ui.label(egui::RichText::new(line).small().color(theme::tag_color(kind.color)));
        }
        for claim in &annotation.counter_claims {
            ui.label(
                egui::RichText::new(format!("↳ {}", excerpt(&claim.text, 300)))
                    .color(theme::Palette::of(ui).counter_claim),
            );
        }
        ui.separator();
    }
    if found.len() > 6 {
        ui.label(format!("… and {} more", found.len() - 6));
    }
}

/// The first `max_chars` characters of `text` on one line, with an ellipsis if cut.
#[must_use]
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let flat: String = text
        .chars()
        .take(max_chars + 1)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > max_chars {
        let cut: String = flat.chars().take(max_chars).collect();
        format!("{}…", cut.trim_end())
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(excerpt("one\ntwo", 20), "one two");
        assert_eq!(excerpt("abcdef", 3), "abc…");
        assert_eq!(excerpt("👍👍", 2), "👍👍");
    }
}
