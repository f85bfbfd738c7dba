//! The document view: wrapped text with highlights, selection by mouse and
//! keyboard, hover details. Split like egui's `text_edit/`:
//!
//! - `galleys`: which paragraphs are laid out, their cached galleys and heights;
//! - `marks`: the highlight shapes of annotations, find hits and the selection;
//! - `pointer`: clicks and drags over the text;
//! - `caret`: the caret, and keyboard motions that need the layout (rows, pages);
//! - `hover`: the tooltip of what is attached under the pointer;
//! - `links`: relations drawn as arrows between the highlights they link.
//!
//! Only the paragraphs in view are laid out. Each laid-out paragraph's galley
//! is cached by paragraph and wrap width (highlights are painted as shapes
//! over it, so annotation edits never invalidate it); paragraphs never laid
//! out have estimated heights, corrected once they are measured. Annotations
//! are found through the workspace's span index, so per-frame work follows
//! what is on screen, not the document's size.

mod caret;
mod galleys;
mod hover;
mod links;
mod marks;
mod pointer;

use std::collections::HashMap;

use egui::{Pos2, Rect, Sense, Ui, vec2};

use crate::model::annotation::AnnotationId;
use crate::model::offsets::ByteOffset;
use crate::model::span::Span;

use super::commands::Motion;
use super::linking::Linker;
use super::paragraphs::HeightIndex;
use super::selection::TextSelection;
use super::theme;
use super::workspace::Workspace;

use galleys::{CachedParagraph, LINE_SPACING};
pub use hover::{annotation_details_ui, excerpt};

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
    /// Keyboard motions waiting for the next frame's layout.
    motions: Vec<(Motion, bool)>,
    /// A scroll offset to go to on the next frame (to keep the caret in view).
    pending_scroll_y: Option<f32>,
    /// egui's text options and how full its font atlas was at the end of the last frame.
    font_state: Option<(egui::epaint::text::TextOptions, f32)>,
    /// Places outlined in the text (where curated annotators disagree): sorted, not overlapping.
    marked: Vec<Span>,
}

impl TextView {
    /// Forgets everything laid out (a different document was opened).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Outlines these places (sorted by start, not overlapping) until the next [`TextView::reset`].
    pub fn set_marked(&mut self, places: Vec<Span>) {
        self.marked = places;
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
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        workspace: &Workspace,
        selection: &mut ViewSelection,
        linker: &mut Linker,
        find_hits: &[Span],
    ) {
        self.frame += 1;
        self.drop_galleys_if_atlas_changed(ui);
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
        } else if let Some(y) = self.pending_scroll_y.take() {
            scroll_area = scroll_area.vertical_scroll_offset(y);
            self.keep_place = None;
        } else if let Some((paragraph, into_it)) = restore_place {
            let y = self.heights.top_of(paragraph) + into_it * self.heights.height(paragraph);
            scroll_area = scroll_area.vertical_scroll_offset(y);
        }
        let page = egui::Frame::new().fill(theme::Palette::of(ui).page);
        page.show(ui, |ui| {
            scroll_area.show_viewport(ui, |ui, viewport| {
                self.viewport_top = viewport.min.y;
                ui.set_min_size(vec2(ui.available_width(), self.heights.total()));
                let content_origin = ui.max_rect().min + vec2(margin + 24.0, 8.0);
                self.place_visible(ui, workspace, viewport, content_origin, wrap_width, row_height);
                self.apply_motions(ui, workspace, selection, viewport, wrap_width, row_height);
                let visible_rect = Rect::from_min_size(ui.max_rect().min + viewport.min.to_vec2(), viewport.size());
                let response = ui.interact(
                    visible_rect,
                    ui.scope_id().with("document text"),
                    Sense::click_and_drag(),
                );
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, DOCUMENT_LABEL));
                self.paint(ui, workspace, selection, find_hits);
                self.paint_links(ui, workspace, selection.annotation);
                self.paint_caret(ui, workspace, selection);
                if let Some(from) = linker.awaiting_target() {
                    self.pick_link_target(&response, workspace, from, linker);
                } else {
                    self.handle_pointer(ui, &response, workspace, selection);
                }
                self.hover_details(&response, workspace);
            });
        });
        self.evict();
        self.font_state = Some(ui.ctx().fonts(|f| (*f.options(), f.font_atlas_fill_ratio())));
    }

    /// Cached galleys point into egui's font atlas. egui rebuilds the atlas when
    /// it is nearly full (its fill ratio drops) or the text options change (the
    /// theme switched): then every cached galley would draw wrong glyphs, so
    /// they are laid out again. Heights and scroll position stay.
    fn drop_galleys_if_atlas_changed(&mut self, ui: &Ui) {
        let (options, fill_ratio) = ui.ctx().fonts(|f| (*f.options(), f.font_atlas_fill_ratio()));
        if let Some((last_options, last_fill_ratio)) = self.font_state
            && (last_options != options || fill_ratio < last_fill_ratio)
        {
            self.cache.clear();
        }
    }
}
