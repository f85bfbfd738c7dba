//! The highlight shapes: tag fills and underlines, counter-claim marks, the
//! selected annotation's outline, find hits and the selection, per paragraph.

use std::ops::Range;
use std::sync::Arc;

use egui::{Color32, Galley, Rect, Shape, Stroke, Ui, pos2};

use crate::model::annotation::AnnotationId;
use crate::model::offsets::{ByteOffset, OffsetIndex};
use crate::model::span::Span;
use crate::model::span_index::assign_lanes;

use super::{CachedParagraph, TextView, ViewSelection};
use crate::ui::theme::{self, Palette};
use crate::ui::workspace::Workspace;

/// The annotation shapes of one paragraph, relative to its galley, kept while
/// the project, the selected annotation and the layout stay the same: with
/// dense, overlapping annotations, working them out is most of a frame.
pub(super) struct Marks {
    pub(super) edition: u64,
    pub(super) selected: Option<AnnotationId>,
    /// The theme the shapes are coloured for.
    pub(super) palette: &'static Palette,
    /// Drawn under the text: tag fills and the selected annotation's outline.
    pub(super) under: Vec<Shape>,
    /// Drawn over it: tag underlines and counter-claim marks.
    pub(super) over: Vec<Shape>,
}

impl TextView {
    pub(super) fn paint(&mut self, ui: &Ui, workspace: &Workspace, selection: &ViewSelection, find_hits: &[Span]) {
        let painter = ui.painter();
        let text = workspace.project().text();
        let selected_span = selection.span();
        let palette = Palette::of(ui);
        let marked = &self.marked;
        for placed in &self.placed {
            let Some(cached) = self.cache.get_mut(&placed.index) else {
                continue;
            };
            let line = workspace.paragraphs().line(placed.index);
            let fresh = cached.marks.as_ref().is_some_and(|marks| {
                marks.edition == workspace.edition()
                    && marks.selected == selection.annotation
                    && std::ptr::eq(marks.palette, palette)
            });
            if !fresh {
                cached.marks = Some(annotation_marks(cached, workspace, line, selection.annotation, palette));
            }
            let cached = &*cached;
            let offset = placed.origin.to_vec2();
            let translated = |shapes: &[Shape]| {
                shapes
                    .iter()
                    .map(|shape| {
                        let mut shape = shape.clone();
                        shape.translate(offset);
                        shape
                    })
                    .collect::<Vec<_>>()
            };
            let rects_of = |span: Span| -> Vec<Rect> {
                cached
                    .span_rects(text, line, span)
                    .into_iter()
                    .map(|r| r.translate(offset))
                    .collect()
            };
            if let Some(marks) = &cached.marks {
                painter.extend(translated(&marks.under));
            }
            for hit in hits_in(find_hits, line_probe(line)) {
                for rect in rects_of(*hit) {
                    painter.rect_filled(rect, 0.0, palette.find_hit);
                }
            }
            for place in hits_in(marked, line_probe(line)) {
                for rect in rects_of(*place) {
                    painter.rect_stroke(
                        rect,
                        2.0,
                        Stroke::new(1.5, palette.disagreement),
                        egui::StrokeKind::Outside,
                    );
                }
            }
            if let Some(span) = selected_span {
                for rect in rects_of(span) {
                    painter.rect_filled(rect, 0.0, palette.selection);
                }
            }
            painter.galley(placed.origin, Arc::clone(&cached.galley), palette.text);
            if let Some(marks) = &cached.marks {
                painter.extend(translated(&marks.over));
            }
        }
    }
}

/// The shapes of the annotations that meet paragraph `line`, in galley coordinates.
fn annotation_marks(
    cached: &CachedParagraph,
    workspace: &Workspace,
    line: Span,
    selected: Option<AnnotationId>,
    palette: &'static Palette,
) -> Marks {
    let project = workspace.project();
    let text = project.text();
    let found = workspace.span_index().overlapping(line_probe(line));
    let spans: Vec<Span> = found.iter().map(|(_, span)| *span).collect();
    let lanes = assign_lanes(&spans);
    let mut under = Vec::new();
    let mut over = Vec::new();
    let mut claimed = Vec::new();
    for ((id, span), lane) in found.iter().zip(lanes) {
        let Some(annotation) = project.annotation(*id) else {
            continue;
        };
        let color = annotation
            .tags
            .first()
            .and_then(|tag| project.tag_set().get(tag))
            .map(|tag| tag.color);
        for rect in cached.span_rects(text, line, *span) {
            if let Some(color) = color {
                under.push(Shape::rect_filled(rect, 0.0, palette.tag_fill(color)));
                over.push(underline(rect, lane, theme::tag_color(color)));
            }
            if !annotation.counter_claims.is_empty() {
                claimed.push(rect);
            }
            if selected == Some(*id) {
                under.push(Shape::rect_stroke(
                    rect.expand(1.0),
                    2.0,
                    palette.selected_annotation,
                    egui::StrokeKind::Outside,
                ));
            }
        }
    }
    for rect in merge_on_rows(claimed) {
        over.extend(claim_mark(rect, palette.counter_claim));
    }
    Marks {
        edition: workspace.edition(),
        selected,
        palette,
        under,
        over,
    }
}

/// The byte range to query for a line: at least one byte wide, so an empty
/// line still finds the spans running through it.
pub(super) fn line_probe(line: Span) -> Span {
    Span::new(line.start.0, line.end.0.max(line.start.0 + 1))
}

/// The part of `span` inside `line`, in characters of the line.
pub(super) fn local_chars(text: &str, line: Span, offsets: &OffsetIndex, span: Span) -> Option<Range<usize>> {
    let start = span.start.max(line.start);
    let end = span.end.min(line.end);
    if start > end || (start == end && !span.is_empty()) {
        return None;
    }
    let paragraph = line.quote(text)?;
    let to_char = |offset: ByteOffset| {
        offsets
            .byte_to_char(paragraph, ByteOffset(offset.0 - line.start.0))
            .ok()
            .map(|c| c.0)
    };
    Some(to_char(start)?..to_char(end)?)
}

/// One rectangle per galley row for the characters `chars` (galley coordinates).
pub(super) fn range_rects(galley: &Galley, chars: Range<usize>) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut row_start = 0;
    for placed in &galley.rows {
        let count = placed.char_count_including_newline().0;
        let row_end = row_start + count;
        let from = chars.start.max(row_start);
        let to = chars.end.min(row_end);
        if from < to || (chars.is_empty() && from == to && (row_start..=row_end).contains(&from)) {
            let x0 = placed.row.x_offset(egui::text::CharIndex(from - row_start));
            let x1 = placed.row.x_offset(egui::text::CharIndex(to - row_start));
            let rect = placed.rect();
            let band = row_band(placed);
            rects.push(Rect::from_x_y_ranges(
                (rect.left() + x0)..=(rect.left() + x1.max(x0 + 1.0)),
                band,
            ));
            if chars.is_empty() {
                break;
            }
        }
        row_start = row_end;
        if row_start > chars.end {
            break;
        }
    }
    rects
}

/// The band a row's glyphs fill (the row itself is taller: it has room for underlines).
fn row_band(placed: &egui::epaint::text::PlacedRow) -> egui::Rangef {
    let rect = placed.rect();
    placed.row.glyphs.first().map_or(rect.y_range(), |glyph| {
        let top = rect.top() + glyph.pos.y - glyph.font_ascent;
        egui::Rangef::new(top, top + glyph.font_height)
    })
}

/// The glyph band of the row that `cursor_rect` (from `Galley::pos_from_cursor`) is on.
pub(super) fn glyph_band(galley: &Galley, cursor_rect: Rect) -> egui::Rangef {
    let y = cursor_rect.center().y;
    galley
        .rows
        .iter()
        .find(|placed| placed.rect().y_range().contains(y))
        .map_or(cursor_rect.y_range(), row_band)
}

/// The height of one slot under the text: a counter-claim mark or one underline lane.
const SLOT: f32 = theme::UNDERLINE_THICKNESS + theme::UNDERLINE_GAP;

/// The underline of a span at nesting depth `lane`, stacked under the glyph
/// band `band`, below the slot of the counter-claim mark.
fn underline(band: Rect, lane: usize, color: Color32) -> Shape {
    let lane = lane.min(theme::MAX_LANES - 1) as f32;
    let y = band.bottom() + (lane + 1.5) * SLOT;
    Shape::line_segment(
        [pos2(band.left(), y), pos2(band.right(), y)],
        Stroke::new(theme::UNDERLINE_THICKNESS, color),
    )
}

/// Rectangles on the same row that overlap or touch, merged: one dashed
/// counter-claim line for a run of claimed text, however many claims overlap there.
fn merge_on_rows(mut rects: Vec<Rect>) -> Vec<Rect> {
    rects.sort_by(|a, b| a.top().total_cmp(&b.top()).then(a.left().total_cmp(&b.left())));
    let mut merged: Vec<Rect> = Vec::with_capacity(rects.len());
    for rect in rects {
        match merged.last_mut() {
            Some(last) if last.y_range() == rect.y_range() && rect.left() <= last.right() => {
                *last = last.union(rect);
            }
            _ => merged.push(rect),
        }
    }
    merged
}

/// Counter-claims get a dashed line right under the claimed words of each
/// row (the first slot under the glyph band), above the tag underlines.
fn claim_mark(band: Rect, color: Color32) -> Vec<Shape> {
    let y = band.bottom() + 0.5 * SLOT;
    Shape::dashed_line(
        &[pos2(band.left(), y), pos2(band.right(), y)],
        Stroke::new(theme::UNDERLINE_THICKNESS, color),
        5.0,
        3.0,
    )
}

/// Find hits (sorted by start) that meet `range`.
fn hits_in(hits: &[Span], range: Span) -> &[Span] {
    let first = hits.partition_point(|hit| hit.end <= range.start);
    let last = hits.partition_point(|hit| hit.start < range.end);
    hits.get(first..last.max(first)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_clipped_to_a_line_in_its_characters() {
        let text = "ab\r\né👍c";
        let line = Span::new(4, text.len());
        let offsets = OffsetIndex::new(line.quote(text).unwrap());
        assert_eq!(
            local_chars(text, line, &offsets, Span::new(0, 6)),
            Some(0..1),
            "starts on the line before"
        );
        assert_eq!(
            local_chars(text, line, &offsets, Span::new(6, 10)),
            Some(1..2),
            "the emoji is one character"
        );
        assert_eq!(
            local_chars(text, line, &offsets, Span::new(0, 2)),
            None,
            "wholly on another line"
        );
    }

    #[test]
    fn claimed_rects_merge_only_along_one_row() {
        let row = |left: f32, right: f32, top: f32| Rect::from_x_y_ranges(left..=right, top..=top + 10.0);
        let merged = merge_on_rows(vec![
            row(30.0, 50.0, 0.0),
            row(0.0, 10.0, 0.0),
            row(5.0, 30.0, 0.0),
            row(60.0, 70.0, 0.0),
            row(0.0, 10.0, 20.0),
        ]);
        assert_eq!(
            merged,
            [row(0.0, 50.0, 0.0), row(60.0, 70.0, 0.0), row(0.0, 10.0, 20.0)]
        );
    }

    /// The counter-claim mark sits under the words of its row, nearer to them than any underline.
    #[test]
    fn the_claim_mark_is_under_its_row_above_the_underlines() {
        let band = Rect::from_x_y_ranges(10.0..=50.0, 100.0..=119.0);
        let y_of = |shapes: &[Shape]| match shapes.first() {
            Some(Shape::LineSegment { points, .. }) => points[0].y,
            other => panic!("expected a line segment, got {other:?}"),
        };
        let claim = y_of(&claim_mark(band, Color32::RED));
        assert!(claim > band.bottom() && claim < band.bottom() + SLOT, "{claim}");
        let first_lane = y_of(&[underline(band, 0, Color32::BLUE)]);
        assert!(first_lane >= claim + SLOT - 0.01, "{first_lane} vs {claim}");
    }

    #[test]
    fn hits_are_found_by_binary_search() {
        let hits = [Span::new(0, 2), Span::new(5, 7), Span::new(9, 12)];
        assert_eq!(hits_in(&hits, Span::new(6, 10)), &hits[1..3]);
        assert!(hits_in(&hits, Span::new(2, 5)).is_empty());
    }
}
