//! Which paragraphs are laid out: their galleys, cached by paragraph and
//! wrap width, and their measured or estimated heights.

use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{FontId, Galley, Pos2, Rect, Ui, vec2};

use crate::model::offsets::OffsetIndex;
use crate::model::span::Span;

use super::marks::{Marks, local_chars, range_rects};
use super::{Placed, TextView};
use crate::ui::paragraphs::HeightIndex;
use crate::ui::theme;
use crate::ui::workspace::Workspace;

/// How many cached paragraphs to keep before dropping the least recently drawn.
const CACHE_LIMIT: usize = 600;

/// Line height as a multiple of the text size: room for stacked underlines.
pub(super) const LINE_SPACING: f32 = 2.0;

/// How far each paragraph is drawn above its slot. egui centres the glyphs
/// in their tall rows; raised, the room of each row lies under its own text
/// (for the counter-claim mark and the underlines) instead of half above it,
/// where it would read as belonging to the row before.
pub(super) const TEXT_RAISE: f32 = 4.0;

pub(super) struct CachedParagraph {
    pub(super) galley: Arc<Galley>,
    pub(super) offsets: OffsetIndex,
    pub(super) wrap_width: f32,
    pub(super) last_used_frame: u64,
    pub(super) marks: Option<Marks>,
}

impl CachedParagraph {
    /// The rows `span` covers in this paragraph (`line`), in galley coordinates.
    pub(super) fn span_rects(&self, text: &str, line: Span, span: Span) -> Vec<Rect> {
        local_chars(text, line, &self.offsets, span)
            .map(|chars| range_rects(&self.galley, chars))
            .unwrap_or_default()
    }
}

impl TextView {
    pub(super) fn estimate_heights(&mut self, workspace: &Workspace, wrap_width: f32, row_height: f32) {
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
    pub(super) fn place_visible(
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
        let mut index = self.heights.index_at(viewport.min.y - 8.0);
        let mut y = self.heights.top_of(index);
        while index < paragraphs.len() && y < viewport.max.y {
            let cached = self.paragraph(ui, workspace, index, wrap_width, row_height);
            let height = cached.galley.size().y.max(row_height) + theme::PARAGRAPH_GAP;
            if (self.heights.height(index) - height).abs() > 0.25 {
                self.heights.set(index, height);
            }
            self.placed.push(Placed {
                index,
                origin: origin + vec2(0.0, y - TEXT_RAISE),
                height,
            });
            y += height;
            index += 1;
        }
    }

    /// Paragraph `index`, laid out at `wrap_width` (from the cache when it is there).
    pub(super) fn paragraph(
        &mut self,
        ui: &Ui,
        workspace: &Workspace,
        index: usize,
        wrap_width: f32,
        row_height: f32,
    ) -> &mut CachedParagraph {
        let line = workspace.paragraphs().line(index);
        let text = workspace.project().text();
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
        cached
    }

    pub(super) fn evict(&mut self) {
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
}

fn layout(ui: &Ui, text: &str, wrap_width: f32, row_height: f32) -> Arc<Galley> {
    let mut job = LayoutJob::single_section(
        text.to_owned(),
        TextFormat {
            font_id: FontId::proportional(theme::TEXT_SIZE),
            // The colour is given when the galley is painted, so one layout serves both themes.
            color: egui::Color32::PLACEHOLDER,
            line_height: Some(row_height),
            valign: egui::Align::Center,
            ..TextFormat::default()
        },
    );
    job.wrap = TextWrapping::wrap_at_width(wrap_width);
    ui.painter().layout_job(job)
}
