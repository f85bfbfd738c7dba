//! Every colour and size the editor draws with, in one place.

use egui::{Color32, Stroke};

use crate::model::tag_set::Rgb;

/// Text size of the document, in points.
pub const TEXT_SIZE: f32 = 16.0;
/// The widest the text column grows, in points: about 80 characters, a comfortable line length.
pub const MAX_TEXT_WIDTH: f32 = 720.0;
/// Vertical space between paragraphs, in points.
pub const PARAGRAPH_GAP: f32 = 6.0;
/// Thickness of one underline lane, and the gap between lanes.
pub const UNDERLINE_THICKNESS: f32 = 2.0;
pub const UNDERLINE_GAP: f32 = 0.5;
/// How many underline lanes are drawn before deeper ones share the last.
pub const MAX_LANES: usize = 3;

/// Background of the document column.
pub const PAGE: Color32 = Color32::from_rgb(253, 252, 248);
/// Document text.
pub const TEXT: Color32 = Color32::from_rgb(30, 30, 34);
/// The text selection.
pub const SELECTION: Color32 = Color32::from_rgba_premultiplied(30, 70, 150, 110);
/// Frame around the selected annotation.
pub const SELECTED_ANNOTATION: Stroke = Stroke {
    width: 2.0,
    color: Color32::from_rgb(20, 60, 160),
};
/// The dashed mark under spans that carry a counter-claim.
pub const COUNTER_CLAIM: Color32 = Color32::from_rgb(180, 30, 90);
/// Find hits.
pub const FIND_HIT: Color32 = Color32::from_rgba_premultiplied(120, 110, 0, 110);
/// Error banner background and text.
pub const ERROR_FILL: Color32 = Color32::from_rgb(120, 20, 20);
pub const ERROR_TEXT: Color32 = Color32::WHITE;
/// Notice banner (recovery offers, saved messages).
pub const NOTICE_FILL: Color32 = Color32::from_rgb(30, 70, 120);

/// A tag's colour as an egui colour.
#[must_use]
pub fn tag_color(color: Rgb) -> Color32 {
    let [r, g, b] = color.0;
    Color32::from_rgb(r, g, b)
}

/// The translucent fill behind a span with this tag colour: light enough that
/// text stays readable and overlapping fills blend into a visibly darker band.
#[must_use]
pub fn tag_fill(color: Rgb) -> Color32 {
    tag_color(color).gamma_multiply(0.28)
}
