//! Relations drawn over the text: a curve from the source highlight to the
//! target one, in the relation type's colour, with an arrowhead; the links
//! of the selected annotation are drawn stronger, with the type's name at
//! their top (names on every link would cover words). Only relations with both ends on screen are drawn,
//! found through the span index and the project's index of relations by annotation, so
//! a frame's work follows what is in view, not how many relations there are.

use std::collections::{HashMap, HashSet};

use egui::epaint::CubicBezierShape;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, Ui, pos2, vec2};

use crate::model::annotation::AnnotationId;
use crate::model::relations::RelationId;
use crate::model::span::Span;

use super::TextView;
use crate::ui::theme::{self, Palette};
use crate::ui::workspace::Workspace;

impl TextView {
    /// The byte range of the paragraphs drawn this frame.
    fn placed_range(&self, workspace: &Workspace) -> Option<Span> {
        let paragraphs = workspace.paragraphs();
        let first = paragraphs.line(self.placed.first()?.index);
        let last = paragraphs.line(self.placed.last()?.index);
        Some(Span::new(first.start.0, last.end.0.max(first.start.0 + 1)))
    }

    /// Draws the relations whose two ends are both on screen; those of the
    /// selected annotation stronger than the rest.
    pub(super) fn paint_links(&self, ui: &Ui, workspace: &Workspace, selected: Option<AnnotationId>) {
        let project = workspace.project();
        if project.relations().len() == 0 {
            return;
        }
        let Some(range) = self.placed_range(workspace) else {
            return;
        };
        let visible: HashMap<AnnotationId, Span> = workspace.span_index().overlapping(range).into_iter().collect();
        let mut drawn: HashSet<RelationId> = HashSet::new();
        let palette = Palette::of(ui);
        let painter = ui.painter();
        let font = FontId::proportional(theme::TEXT_SIZE * 0.7);
        for id in visible.keys() {
            for relation in project.relations_of(*id) {
                if !drawn.insert(relation.id) {
                    continue;
                }
                let (Some(from), Some(to)) = (visible.get(&relation.from), visible.get(&relation.to)) else {
                    continue;
                };
                let (Some(start), Some(end)) = (
                    self.screen_rects(workspace, *from).first().copied(),
                    self.screen_rects(workspace, *to).first().copied(),
                ) else {
                    continue;
                };
                let Some(kind) = project.tag_set().relation_type(&relation.kind) else {
                    continue;
                };
                let strong = selected.is_some_and(|s| relation.touches(s));
                let alpha = if strong {
                    230
                } else if selected.is_none() {
                    170
                } else {
                    90
                };
                let color = theme::tag_color(kind.color).gamma_multiply_u8(alpha);
                let arc = link_arc(start, end);
                painter.add(Shape::CubicBezier(CubicBezierShape::from_points_stroke(
                    arc,
                    false,
                    Color32::TRANSPARENT,
                    Stroke::new(if strong { 2.0 } else { 1.5 }, color),
                )));
                painter.add(arrowhead(arc[3], arc[2], color));
                if !strong {
                    continue;
                }
                let top = bezier_point(&arc, 0.5);
                let galley = painter.layout_no_wrap(kind.name.clone(), font.clone(), color);
                let label = Align2::CENTER_CENTER.anchor_size(top, galley.size()).expand(2.0);
                painter.rect_filled(label, 3.0, palette.page.gamma_multiply(0.9));
                painter.galley(label.min + vec2(2.0, 2.0), galley, color);
            }
        }
    }
}

/// The curve from the top of the source's first row to the top of the
/// target's: it rises above both, so it crosses the gap between rows rather
/// than the words of the linked spans.
fn link_arc(from: Rect, to: Rect) -> [Pos2; 4] {
    let start = pos2(from.center().x, from.top());
    let end = pos2(to.center().x, to.top());
    let rise = (12.0 + 0.25 * start.distance(end)).min(60.0);
    let top = start.y.min(end.y) - rise;
    [start, pos2(start.x, top), pos2(end.x, top), end]
}

fn bezier_point(points: &[Pos2; 4], t: f32) -> Pos2 {
    let u = 1.0 - t;
    let weights = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    let mut sum = egui::Vec2::ZERO;
    for (point, weight) in points.iter().zip(weights) {
        sum += point.to_vec2() * weight;
    }
    sum.to_pos2()
}

/// A filled arrowhead at `tip`, pointing away from `from`.
fn arrowhead(tip: Pos2, from: Pos2, color: Color32) -> Shape {
    let direction = (tip - from).normalized();
    let side = vec2(-direction.y, direction.x);
    let back = tip - direction * 7.0;
    Shape::convex_polygon(vec![tip, back + side * 3.5, back - side * 3.5], color, Stroke::NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arc_rises_above_both_ends_and_ends_on_their_tops() {
        let from = Rect::from_min_max(pos2(10.0, 100.0), pos2(50.0, 118.0));
        let to = Rect::from_min_max(pos2(200.0, 140.0), pos2(260.0, 158.0));
        let arc = link_arc(from, to);
        assert_eq!(arc[0], pos2(30.0, 100.0));
        assert_eq!(arc[3], pos2(230.0, 140.0));
        let middle = bezier_point(&arc, 0.5);
        assert!(middle.y < 100.0, "{middle:?}");
        assert_eq!(bezier_point(&arc, 0.0), arc[0]);
        assert_eq!(bezier_point(&arc, 1.0), arc[3]);
    }

    #[test]
    fn the_arrowhead_points_at_the_target() {
        let Shape::Path(path) = arrowhead(pos2(0.0, 0.0), pos2(0.0, -10.0), Color32::RED) else {
            panic!("expected a path");
        };
        assert_eq!(path.points[0], pos2(0.0, 0.0));
        assert!(path.points[1..].iter().all(|p| p.y < 0.0));
    }
}
