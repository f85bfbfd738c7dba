//! The caret and the keyboard: motions that need the layout (rows, pages)
//! are carried out here, where the galleys are; steps over the text alone
//! come from `selection`. The view then scrolls just enough to keep the
//! caret in sight, and paints it.

use egui::text::CCursor;
use egui::{Pos2, Rect, Ui, pos2};

use crate::model::offsets::{ByteOffset, CharOffset};

use super::galleys::TEXT_RAISE;
use super::{TextView, ViewSelection};
use crate::ui::commands::Motion;
use crate::ui::selection::TextSelection;
use crate::ui::theme::Palette;
use crate::ui::workspace::Workspace;

/// How far from the edge of the view the caret is kept when the view scrolls to it.
const REVEAL_MARGIN: f32 = 48.0;

impl TextView {
    /// Moves the caret (or, with `extend`, the selection's head) on the next
    /// drawn frame, where the layout is known.
    pub fn queue_motion(&mut self, motion: Motion, extend: bool) {
        self.motions.push((motion, extend));
    }

    /// Carries out the queued motions; returns whether any moved the caret.
    pub(super) fn apply_motions(
        &mut self,
        ui: &Ui,
        workspace: &Workspace,
        selection: &mut ViewSelection,
        viewport: Rect,
        wrap_width: f32,
        row_height: f32,
    ) {
        let motions = std::mem::take(&mut self.motions);
        if motions.is_empty() {
            return;
        }
        let text = workspace.project().text();
        let paragraphs = workspace.paragraphs();
        let mut page_shift = 0.0;
        for (motion, extend) in motions {
            let current = selection.text.unwrap_or_else(|| {
                let first = self.placed.first().map_or(0, |placed| placed.index);
                TextSelection::caret(paragraphs.line(first).start)
            });
            let head = match motion {
                Motion::Step(step) => {
                    let line = paragraphs.line(paragraphs.index_of(current.head));
                    current.moved(text, line, step).head
                }
                Motion::RowUp | Motion::RowDown => {
                    let down = motion == Motion::RowDown;
                    self.row_step(ui, workspace, current.head, down, wrap_width, row_height)
                }
                Motion::PageUp | Motion::PageDown => {
                    let down = motion == Motion::PageDown;
                    let mut head = current.head;
                    let mut covered = row_height;
                    while covered < viewport.height() {
                        covered += row_height;
                        head = self.row_step(ui, workspace, head, down, wrap_width, row_height);
                    }
                    let shift = viewport.height() - row_height;
                    page_shift += if down { shift } else { -shift };
                    head
                }
            };
            let moved = if extend {
                TextSelection { head, ..current }
            } else if !current.is_empty() && matches!(motion, Motion::Step(_)) && head == current.head {
                current.collapsed()
            } else {
                TextSelection::caret(head)
            };
            *selection = ViewSelection {
                text: Some(moved),
                annotation: None,
            };
        }
        if let Some(head) = selection.text.map(|s| s.head) {
            self.reveal_caret(ui, workspace, head, viewport, page_shift, wrap_width, row_height);
        }
    }

    /// The caret one visual row up or down, at the same x where the row allows.
    fn row_step(
        &mut self,
        ui: &Ui,
        workspace: &Workspace,
        head: ByteOffset,
        down: bool,
        wrap_width: f32,
        row_height: f32,
    ) -> ByteOffset {
        let paragraphs = workspace.paragraphs();
        let index = paragraphs.index_of(head);
        let Some(at) = self.caret_in_galley(ui, workspace, head, wrap_width, row_height) else {
            return head;
        };
        let height = self
            .paragraph(ui, workspace, index, wrap_width, row_height)
            .galley
            .size()
            .y;
        let target_y = if down { at.y + row_height } else { at.y - row_height };
        let (index, y) = if (0.0..height).contains(&target_y) {
            (index, target_y)
        } else if down && index + 1 < paragraphs.len() {
            (index + 1, row_height / 2.0)
        } else if !down && index > 0 {
            let above = self
                .paragraph(ui, workspace, index - 1, wrap_width, row_height)
                .galley
                .size()
                .y;
            (index - 1, above - row_height / 2.0)
        } else if down {
            return paragraphs.line(index).end;
        } else {
            return paragraphs.line(index).start;
        };
        self.offset_in_paragraph(ui, workspace, index, pos2(at.x, y), wrap_width, row_height)
    }

    /// The centre of the caret at `offset` in its paragraph's galley.
    fn caret_in_galley(
        &mut self,
        ui: &Ui,
        workspace: &Workspace,
        offset: ByteOffset,
        wrap_width: f32,
        row_height: f32,
    ) -> Option<Pos2> {
        let index = workspace.paragraphs().index_of(offset);
        let line = workspace.paragraphs().line(index);
        let paragraph_text = line.quote(workspace.project().text())?;
        let cached = self.paragraph(ui, workspace, index, wrap_width, row_height);
        let local = ByteOffset(offset.0.saturating_sub(line.start.0).min(line.len()));
        let chars = cached.offsets.byte_to_char(paragraph_text, local).ok()?;
        Some(cached.galley.pos_from_cursor(CCursor::new(chars.0)).center())
    }

    /// The text offset at `pos` (galley coordinates) in paragraph `index`.
    fn offset_in_paragraph(
        &mut self,
        ui: &Ui,
        workspace: &Workspace,
        index: usize,
        pos: Pos2,
        wrap_width: f32,
        row_height: f32,
    ) -> ByteOffset {
        let line = workspace.paragraphs().line(index);
        let text = workspace.project().text();
        let cached = self.paragraph(ui, workspace, index, wrap_width, row_height);
        let cursor = cached.galley.cursor_from_pos(pos.to_vec2());
        let local = line
            .quote(text)
            .and_then(|paragraph| cached.offsets.char_to_byte(paragraph, CharOffset(cursor.index.0)).ok())
            .map_or(0, |local| local.0);
        crate::model::span::snap_to_grapheme(
            text,
            ByteOffset(line.start.0 + local),
            crate::model::span::Snap::Backward,
        )
    }

    /// Scrolls on the next frame so the caret is in view (by `page_shift` at least, for Page keys).
    #[allow(clippy::too_many_arguments)]
    fn reveal_caret(
        &mut self,
        ui: &Ui,
        workspace: &Workspace,
        head: ByteOffset,
        viewport: Rect,
        page_shift: f32,
        wrap_width: f32,
        row_height: f32,
    ) {
        let index = workspace.paragraphs().index_of(head);
        let Some(at) = self.caret_in_galley(ui, workspace, head, wrap_width, row_height) else {
            return;
        };
        let y = self.heights.top_of(index) - TEXT_RAISE + at.y;
        let mut top = viewport.min.y + page_shift;
        if y - row_height / 2.0 < top + REVEAL_MARGIN {
            top = y - row_height / 2.0 - REVEAL_MARGIN;
        } else if y + row_height / 2.0 > top + viewport.height() - REVEAL_MARGIN {
            top = y + row_height / 2.0 + REVEAL_MARGIN - viewport.height();
        }
        let top = top.max(0.0);
        if (top - viewport.min.y).abs() > 0.5 {
            self.pending_scroll_y = Some(top);
            ui.ctx().request_repaint();
        }
    }

    /// Paints the caret at the selection's head, when its paragraph is in view.
    pub(super) fn paint_caret(&self, ui: &Ui, workspace: &Workspace, selection: &ViewSelection) {
        let Some(head) = selection.text.map(|s| s.head) else {
            return;
        };
        let index = workspace.paragraphs().index_of(head);
        let Some(placed) = self.placed.iter().find(|p| p.index == index) else {
            return;
        };
        let Some(cached) = self.cache.get(&index) else { return };
        let line = workspace.paragraphs().line(index);
        let Some(paragraph_text) = line.quote(workspace.project().text()) else {
            return;
        };
        let local = ByteOffset(head.0.saturating_sub(line.start.0).min(line.len()));
        let Ok(chars) = cached.offsets.byte_to_char(paragraph_text, local) else {
            return;
        };
        let rect = cached.galley.pos_from_cursor(CCursor::new(chars.0));
        let band = super::marks::glyph_band(&cached.galley, rect);
        let x = placed.origin.x + rect.min.x;
        let top = placed.origin.y + band.min;
        let color = Palette::of(ui).text;
        ui.painter().line_segment(
            [pos2(x, top), pos2(x, top + band.span())],
            egui::Stroke::new(1.5, color),
        );
    }
}
