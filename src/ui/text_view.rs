//! The document view: wrapped text with highlights, selection by mouse and
//! keyboard, hover details.
//!
//! Only the paragraphs in view are laid out. Each laid-out paragraph's galley
//! is cached by paragraph and wrap width (highlights are painted as shapes
//! over it, so annotation edits never invalidate it); paragraphs never laid
//! out have estimated heights, corrected once they are measured. Annotations
//! are found through the workspace's span index, so per-frame work follows
//! what is on screen, not the document's size.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::text::{CCursor, LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Galley, Pos2, Rect, Sense, Shape, Stroke, Ui, pos2, vec2};

use crate::model::annotation::AnnotationId;
use crate::model::offsets::{ByteOffset, CharOffset, OffsetIndex};
use crate::model::project::Project;
use crate::model::span::Span;
use crate::model::span_index::assign_lanes;

use super::paragraphs::HeightIndex;
use super::selection::{self, TextSelection};
use super::theme;
use super::workspace::Workspace;

/// The accessible label of the text area (tests find it by this).
pub const DOCUMENT_LABEL: &str = "Document text";

/// What is selected in the document: UI state, never part of the project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewSelection {
    /// The selected text, if any (a bare caret when empty).
    pub text: Option<TextSelection>,
    /// The selected annotation, if any (its span is then the text selection).
    pub annotation: Option<AnnotationId>,
}

impl ViewSelection {
    /// The selected span, if a non-empty one is selected.
    #[must_use]
    pub fn span(&self) -> Option<Span> {
        self.text.filter(|s| !s.is_empty()).map(TextSelection::span)
    }

    /// Selects an annotation and its span.
    pub fn select_annotation(&mut self, id: AnnotationId, span: Span) {
        self.annotation = Some(id);
        self.text = Some(TextSelection::of_span(span));
    }
}

struct CachedParagraph {
    galley: Arc<Galley>,
    offsets: OffsetIndex,
    wrap_width: f32,
    last_used_frame: u64,
    marks: Option<Marks>,
}

impl CachedParagraph {
    /// The rows `span` covers in this paragraph (`line`), in galley coordinates.
    fn span_rects(&self, text: &str, line: Span, span: Span) -> Vec<Rect> {
        local_chars(text, line, &self.offsets, span)
            .map(|chars| range_rects(&self.galley, chars))
            .unwrap_or_default()
    }
}

/// The annotation shapes of one paragraph, relative to its galley, kept while
/// the project, the selected annotation and the layout stay the same: with
/// dense, overlapping annotations, working them out is most of a frame.
struct Marks {
    edition: u64,
    selected: Option<AnnotationId>,
    /// Drawn under the text: tag fills and the selected annotation's outline.
    under: Vec<Shape>,
    /// Drawn over it: tag underlines and counter-claim marks.
    over: Vec<Shape>,
}

/// A paragraph drawn this frame: where its galley sits on screen.
#[derive(Clone, Copy, Debug)]
struct Placed {
    index: usize,
    origin: Pos2,
    height: f32,
}

/// The document view's own state: layout caches, scroll requests, drag anchor.
#[derive(Default)]
pub struct TextView {
    cache: HashMap<usize, CachedParagraph>,
    heights: HeightIndex,
    heights_width: f32,
    frame: u64,
    placed: Vec<Placed>,
    pending_scroll: Option<ByteOffset>,
    drag_anchor: Option<ByteOffset>,
    /// The scroll offset of the last frame, to keep the reader's place when the text reflows.
    viewport_top: f32,
    /// The paragraph at the top of the view before a reflow, and how far into it (a fraction of its height).
    keep_place: Option<(usize, f32)>,
}

/// How many cached paragraphs to keep before dropping the least recently drawn.
const CACHE_LIMIT: usize = 600;

impl TextView {
    /// Forgets everything laid out (a different document was opened).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Scrolls to show `offset` on the next frame.
    pub fn scroll_to(&mut self, offset: ByteOffset) {
        self.pending_scroll = Some(offset);
    }

    /// Where `span` was drawn last frame, one rectangle per row (empty when not in view).
    #[must_use]
    pub fn screen_rects(&self, workspace: &Workspace, span: Span) -> Vec<Rect> {
        let text = workspace.project().text();
        let mut rects = Vec::new();
        for placed in &self.placed {
            let line = workspace.paragraphs().line(placed.index);
            if let Some(cached) = self.cache.get(&placed.index) {
                rects.extend(
                    cached
                        .span_rects(text, line, span)
                        .into_iter()
                        .map(|r| r.translate(placed.origin.to_vec2())),
                );
            }
        }
        rects
    }

    /// Draws the document and handles the mouse over it.
    pub fn ui(&mut self, ui: &mut Ui, workspace: &Workspace, selection: &mut ViewSelection, find_hits: &[Span]) {
        self.frame += 1;
        let column_width = ui.available_width().min(theme::MAX_TEXT_WIDTH + 48.0);
        let margin = ((ui.available_width() - column_width) / 2.0).max(0.0);
        let wrap_width = (column_width - 48.0).max(80.0);
        let row_height = theme::TEXT_SIZE * LINE_SPACING;
        let mut restore_place = None;
        if self.heights.len() != workspace.paragraphs().len() {
            self.estimate_heights(workspace, wrap_width, row_height);
            self.keep_place = None;
        } else if (wrap_width - self.heights_width).abs() > 0.5 {
            // The column changed width: the paragraph at the top of the view is to
            // stay there. The scroll area learns the new height only at the end of
            // this frame, so the place is restored on the next one.
            if self.keep_place.is_none() {
                let top = self.heights.index_at(self.viewport_top);
                let into_it = (self.viewport_top - self.heights.top_of(top)) / self.heights.height(top).max(1.0);
                self.keep_place = Some((top, into_it.clamp(0.0, 1.0)));
            }
            self.estimate_heights(workspace, wrap_width, row_height);
            ui.ctx().request_repaint();
        } else {
            restore_place = self.keep_place.take();
        }
        let mut scroll_area = egui::ScrollArea::vertical().id_salt("document").auto_shrink(false);
        if let Some(offset) = self.pending_scroll.take() {
            let paragraph = workspace.paragraphs().index_of(offset);
            let y = (self.heights.top_of(paragraph) - 3.0 * row_height).max(0.0);
            scroll_area = scroll_area.vertical_scroll_offset(y);
            self.keep_place = None;
        } else if let Some((paragraph, into_it)) = restore_place {
            let y = self.heights.top_of(paragraph) + into_it * self.heights.height(paragraph);
            scroll_area = scroll_area.vertical_scroll_offset(y);
        }
        let page = egui::Frame::new().fill(theme::PAGE);
        page.show(ui, |ui| {
            scroll_area.show_viewport(ui, |ui, viewport| {
                self.viewport_top = viewport.min.y;
                ui.set_min_size(vec2(ui.available_width(), self.heights.total()));
                let content_origin = ui.max_rect().min + vec2(margin + 24.0, 8.0);
                self.place_visible(ui, workspace, viewport, content_origin, wrap_width, row_height);
                let visible_rect = Rect::from_min_size(ui.max_rect().min + viewport.min.to_vec2(), viewport.size());
                let response = ui.interact(
                    visible_rect,
                    ui.scope_id().with("document text"),
                    Sense::click_and_drag(),
                );
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, DOCUMENT_LABEL));
                self.paint(ui, workspace, selection, find_hits);
                self.handle_pointer(ui, &response, workspace, selection);
                self.hover_details(&response, workspace);
            });
        });
        self.evict();
    }

    fn estimate_heights(&mut self, workspace: &Workspace, wrap_width: f32, row_height: f32) {
        let chars_per_row = (wrap_width / (theme::TEXT_SIZE * 0.5)).max(1.0);
        let paragraphs = workspace.paragraphs();
        self.heights = HeightIndex::new((0..paragraphs.len()).map(|i| {
            let rows = (paragraphs.line(i).len() as f32 / chars_per_row).ceil().max(1.0);
            rows * row_height + theme::PARAGRAPH_GAP
        }));
        self.heights_width = wrap_width;
        self.cache.clear();
    }

    /// Lays out (or takes from the cache) each paragraph that meets the viewport.
    fn place_visible(
        &mut self,
        ui: &Ui,
        workspace: &Workspace,
        viewport: Rect,
        origin: Pos2,
        wrap_width: f32,
        row_height: f32,
    ) {
        self.placed.clear();
        let paragraphs = workspace.paragraphs();
        let text = workspace.project().text();
        let mut index = self.heights.index_at(viewport.min.y - 8.0);
        let mut y = self.heights.top_of(index);
        while index < paragraphs.len() && y < viewport.max.y {
            let line = paragraphs.line(index);
            let frame = self.frame;
            let cached = self.cache.entry(index).or_insert_with(|| {
                let paragraph_text = line.quote(text).unwrap_or_default();
                CachedParagraph {
                    galley: layout(ui, paragraph_text, wrap_width, row_height),
                    offsets: OffsetIndex::new(paragraph_text),
                    wrap_width,
                    last_used_frame: frame,
                    marks: None,
                }
            });
            if (cached.wrap_width - wrap_width).abs() > 0.5 {
                let paragraph_text = line.quote(text).unwrap_or_default();
                cached.galley = layout(ui, paragraph_text, wrap_width, row_height);
                cached.wrap_width = wrap_width;
                cached.marks = None;
            }
            cached.last_used_frame = frame;
            let height = cached.galley.size().y.max(row_height) + theme::PARAGRAPH_GAP;
            if (self.heights.height(index) - height).abs() > 0.25 {
                self.heights.set(index, height);
            }
            self.placed.push(Placed {
                index,
                origin: origin + vec2(0.0, y),
                height,
            });
            y += height;
            index += 1;
        }
    }

    fn evict(&mut self) {
        let frame = self.frame;
        if self.cache.len() > CACHE_LIMIT {
            self.cache.retain(|_, cached| cached.last_used_frame + 2 >= frame);
        }
        // Marks serve frames that redraw the same view; out of view they only take memory.
        for cached in self.cache.values_mut() {
            if cached.last_used_frame + 2 < frame {
                cached.marks = None;
            }
        }
    }

    fn paint(&mut self, ui: &Ui, workspace: &Workspace, selection: &ViewSelection, find_hits: &[Span]) {
        let painter = ui.painter();
        let text = workspace.project().text();
        let selected_span = selection.span();
        for placed in &self.placed {
            let Some(cached) = self.cache.get_mut(&placed.index) else {
                continue;
            };
            let line = workspace.paragraphs().line(placed.index);
            let fresh = cached
                .marks
                .as_ref()
                .is_some_and(|marks| marks.edition == workspace.edition() && marks.selected == selection.annotation);
            if !fresh {
                cached.marks = Some(annotation_marks(cached, workspace, line, selection.annotation));
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
                    painter.rect_filled(rect, 0.0, theme::FIND_HIT);
                }
            }
            if let Some(span) = selected_span {
                for rect in rects_of(span) {
                    painter.rect_filled(rect, 0.0, theme::SELECTION);
                }
            }
            painter.galley(placed.origin, Arc::clone(&cached.galley), theme::TEXT);
            if let Some(marks) = &cached.marks {
                painter.extend(translated(&marks.over));
            }
        }
    }

    /// The text offset under a screen position, clamped to the paragraphs in view.
    fn offset_at(&self, workspace: &Workspace, pos: Pos2) -> Option<ByteOffset> {
        let first = self.placed.first()?;
        let last = self.placed.last()?;
        let placed = if pos.y < first.origin.y {
            first
        } else {
            self.placed
                .iter()
                .find(|p| pos.y < p.origin.y + p.height)
                .unwrap_or(last)
        };
        let cached = self.cache.get(&placed.index)?;
        let line = workspace.paragraphs().line(placed.index);
        let text = workspace.project().text();
        let cursor = if pos.y < placed.origin.y {
            CCursor::default()
        } else {
            cached.galley.cursor_from_pos(pos - placed.origin)
        };
        let paragraph_text = line.quote(text)?;
        let local = cached
            .offsets
            .char_to_byte(paragraph_text, CharOffset(cursor.index.0))
            .ok()?;
        Some(ByteOffset(line.start.0 + local.0))
    }

    fn handle_pointer(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        workspace: &Workspace,
        selection: &mut ViewSelection,
    ) {
        let text = workspace.project().text();
        let paragraphs = workspace.paragraphs();
        if response.drag_started() {
            let origin = ui.input(|i| i.pointer.press_origin());
            self.drag_anchor = origin.and_then(|pos| self.offset_at(workspace, pos));
            selection.annotation = None;
        }
        if response.dragged()
            && let Some(anchor) = self.drag_anchor
            && let Some(pos) = response.interact_pointer_pos()
        {
            if let Some(head) = self.offset_at(workspace, pos) {
                selection.text = Some(TextSelection::snapped(text, anchor, head));
            }
            let edge = response.rect;
            if pos.y < edge.top() + 12.0 {
                ui.scroll_with_delta(vec2(0.0, 12.0));
            } else if pos.y > edge.bottom() - 12.0 {
                ui.scroll_with_delta(vec2(0.0, -12.0));
            }
        }
        if response.drag_stopped() {
            self.drag_anchor = None;
        }
        let Some(pos) = response.interact_pointer_pos() else {
            return;
        };
        let Some(offset) = self.offset_at(workspace, pos) else {
            return;
        };
        let line = paragraphs.line(paragraphs.index_of(offset));
        if response.triple_clicked() {
            selection.annotation = None;
            selection.text = Some(TextSelection::of_span(paragraphs.whole_line(offset)));
        } else if response.double_clicked() {
            selection.annotation = None;
            selection.text = Some(TextSelection::of_span(selection::word_at(text, line, offset)));
        } else if response.clicked() {
            if let Some((id, span)) = annotation_to_select(workspace, offset, selection.annotation) {
                selection.select_annotation(id, span);
            } else {
                *selection = ViewSelection {
                    text: Some(TextSelection::snapped(text, offset, offset)),
                    annotation: None,
                };
            }
        }
    }

    fn hover_details(&self, response: &egui::Response, workspace: &Workspace) {
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

/// Line height as a multiple of the text size: room for stacked underlines.
const LINE_SPACING: f32 = 2.0;

fn layout(ui: &Ui, text: &str, wrap_width: f32, row_height: f32) -> Arc<Galley> {
    let mut job = LayoutJob::single_section(
        text.to_owned(),
        TextFormat {
            font_id: FontId::proportional(theme::TEXT_SIZE),
            color: theme::TEXT,
            line_height: Some(row_height),
            valign: egui::Align::Center,
            ..TextFormat::default()
        },
    );
    job.wrap = TextWrapping::wrap_at_width(wrap_width);
    ui.painter().layout_job(job)
}

/// The shapes of the annotations that meet paragraph `line`, in galley coordinates.
fn annotation_marks(
    cached: &CachedParagraph,
    workspace: &Workspace,
    line: Span,
    selected: Option<AnnotationId>,
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
                under.push(Shape::rect_filled(rect, 0.0, theme::tag_fill(color)));
                over.push(underline(rect, lane, theme::tag_color(color)));
            }
            if !annotation.counter_claims.is_empty() {
                claimed.push(rect);
            }
            if selected == Some(*id) {
                under.push(Shape::rect_stroke(
                    rect.expand(1.0),
                    2.0,
                    theme::SELECTED_ANNOTATION,
                    egui::StrokeKind::Outside,
                ));
            }
        }
    }
    for rect in merge_on_rows(claimed) {
        over.extend(claim_mark(rect));
    }
    Marks {
        edition: workspace.edition(),
        selected,
        under,
        over,
    }
}

/// The byte range to query for a line: at least one byte wide, so an empty
/// line still finds the spans running through it.
fn line_probe(line: Span) -> Span {
    Span::new(line.start.0, line.end.0.max(line.start.0 + 1))
}

/// The part of `span` inside `line`, in characters of the line.
fn local_chars(text: &str, line: Span, offsets: &OffsetIndex, span: Span) -> Option<Range<usize>> {
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
fn range_rects(galley: &Galley, chars: Range<usize>) -> Vec<Rect> {
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
            // The band the glyphs fill (the row itself is taller: it has room for underlines).
            let band = placed.row.glyphs.first().map_or(rect.y_range(), |glyph| {
                let top = rect.top() + glyph.pos.y - glyph.font_ascent;
                egui::Rangef::new(top, top + glyph.font_height)
            });
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

/// The underline of a span at nesting depth `lane`, stacked under the glyph band `band`.
fn underline(band: Rect, lane: usize, color: Color32) -> Shape {
    let lane = lane.min(theme::MAX_LANES - 1) as f32;
    let y = band.bottom() + (lane + 0.5) * (theme::UNDERLINE_THICKNESS + theme::UNDERLINE_GAP);
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

/// Counter-claims get a dashed line over the text, apart from the tag underlines.
fn claim_mark(band: Rect) -> Vec<Shape> {
    let y = band.top() - 0.5 * (theme::UNDERLINE_THICKNESS + theme::UNDERLINE_GAP);
    Shape::dashed_line(
        &[pos2(band.left(), y), pos2(band.right(), y)],
        Stroke::new(theme::UNDERLINE_THICKNESS, theme::COUNTER_CLAIM),
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

/// What a click at `offset` selects: the innermost annotation there, or the
/// next larger one if the innermost is already selected (so nested ones are reachable).
fn annotation_to_select(
    workspace: &Workspace,
    offset: ByteOffset,
    current: Option<AnnotationId>,
) -> Option<(AnnotationId, Span)> {
    let mut found = workspace.span_index().at(offset);
    found.sort_by_key(|(id, span)| (span.len(), *id));
    let next = current
        .and_then(|current| found.iter().position(|(id, _)| *id == current))
        .map_or(0, |at| (at + 1) % found.len());
    found.get(next).copied()
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
                        .color(Color32::BLACK)
                        .background_color(theme::tag_color(tag.color)),
                );
            }
        });
        for claim in &annotation.counter_claims {
            ui.label(egui::RichText::new(format!("↳ {}", excerpt(&claim.text, 300))).color(theme::COUNTER_CLAIM));
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

    #[test]
    fn hits_are_found_by_binary_search() {
        let hits = [Span::new(0, 2), Span::new(5, 7), Span::new(9, 12)];
        assert_eq!(hits_in(&hits, Span::new(6, 10)), &hits[1..3]);
        assert!(hits_in(&hits, Span::new(2, 5)).is_empty());
    }

    #[test]
    fn excerpts_are_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(excerpt("one\ntwo", 20), "one two");
        assert_eq!(excerpt("abcdef", 3), "abc…");
        assert_eq!(excerpt("👍👍", 2), "👍👍");
    }
}
