//! The pointer over the text: drag to select, double-click a word,
//! triple-click a line, click a highlight to select its annotation.

use egui::text::CCursor;
use egui::{Pos2, Ui, vec2};

use crate::model::annotation::AnnotationId;
use crate::model::offsets::{ByteOffset, CharOffset};
use crate::model::span::Span;

use super::{TextView, ViewSelection};
use crate::ui::selection::{self, TextSelection};
use crate::ui::workspace::Workspace;

impl TextView {
    /// The text offset under a screen position, clamped to the paragraphs in view.
    pub(super) fn offset_at(&self, workspace: &Workspace, pos: Pos2) -> Option<ByteOffset> {
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

    pub(super) fn handle_pointer(
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
}

impl TextView {
    /// While a link is being made: a click on a highlight (other than the
    /// source's) picks it as the target; the pointer shows that it will.
    pub(super) fn pick_link_target(
        &self,
        response: &egui::Response,
        workspace: &Workspace,
        from: AnnotationId,
        linker: &mut crate::ui::linking::Linker,
    ) {
        let Some(pos) = response.hover_pos().or_else(|| response.interact_pointer_pos()) else {
            return;
        };
        let Some(offset) = self.offset_at(workspace, pos) else {
            return;
        };
        let mut found = workspace.span_index().at(offset);
        found.retain(|(id, _)| *id != from);
        found.sort_by_key(|(id, span)| (span.len(), *id));
        let Some((target, _)) = found.first() else { return };
        response.ctx.set_cursor_icon(egui::CursorIcon::PointingHand);
        if response.clicked() {
            linker.pick_target(*target);
        }
    }
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
