//! Every colour and size the editor draws with, in one place, for the light
//! and the dark theme, and the contrast arithmetic that keeps text over
//! highlights readable in both (WCAG 2 relative luminance).

use egui::{Color32, Stroke};

use crate::model::tag_set::Rgb;

/// Text size of the document, in points.
pub const TEXT_SIZE: f32 = 16.0;
/// The widest the text column grows, in points: about 80 characters, a comfortable line length.
pub const MAX_TEXT_WIDTH: f32 = 720.0;
/// The narrowest the text column is allowed to get before side panels give way, in points.
pub const MIN_TEXT_WIDTH: f32 = 360.0;
/// Vertical space between paragraphs, in points.
pub const PARAGRAPH_GAP: f32 = 6.0;
/// Thickness of one underline lane, and the gap between lanes.
pub const UNDERLINE_THICKNESS: f32 = 2.0;
pub const UNDERLINE_GAP: f32 = 0.5;
/// How many underline lanes are drawn before deeper ones share the last.
pub const MAX_LANES: usize = 3;

/// Error banner background and text (the same in both themes).
pub const ERROR_FILL: Color32 = Color32::from_rgb(120, 20, 20);
pub const ERROR_TEXT: Color32 = Color32::WHITE;
/// Notice banner (recovery offers, saved messages).
pub const NOTICE_FILL: Color32 = Color32::from_rgb(30, 70, 120);

/// The colours of the document view in one theme.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// Background of the document column.
    pub page: Color32,
    /// Document text.
    pub text: Color32,
    /// The text selection (translucent).
    pub selection: Color32,
    /// Frame around the selected annotation.
    pub selected_annotation: Stroke,
    /// The dashed mark under spans that carry a counter-claim.
    pub counter_claim: Color32,
    /// Find hits (translucent).
    pub find_hit: Color32,
    /// The outline of a place where curated annotators disagree.
    pub disagreement: Color32,
    /// How opaque a tag's fill is over the page.
    pub fill_opacity: f32,
    /// How much of the tag's brightness the fill keeps (dark pages need deeper tints under light text).
    pub fill_brightness: f32,
    /// "Changes not saved" in the status bar.
    pub unsaved: Color32,
}

/// The light theme.
pub const LIGHT: Palette = Palette {
    page: Color32::from_rgb(253, 252, 248),
    text: Color32::from_rgb(30, 30, 34),
    selection: Color32::from_rgba_premultiplied(30, 70, 150, 110),
    selected_annotation: Stroke {
        width: 2.0,
        color: Color32::from_rgb(20, 60, 160),
    },
    counter_claim: Color32::from_rgb(180, 30, 90),
    find_hit: Color32::from_rgba_premultiplied(120, 110, 0, 110),
    disagreement: Color32::from_rgb(200, 80, 0),
    fill_opacity: 0.28,
    fill_brightness: 1.0,
    unsaved: Color32::from_rgb(170, 90, 0),
};

/// The dark theme.
pub const DARK: Palette = Palette {
    page: Color32::from_rgb(30, 31, 34),
    text: Color32::from_rgb(226, 224, 218),
    selection: Color32::from_rgba_premultiplied(30, 55, 110, 110),
    selected_annotation: Stroke {
        width: 2.0,
        color: Color32::from_rgb(140, 180, 255),
    },
    counter_claim: Color32::from_rgb(255, 120, 170),
    find_hit: Color32::from_rgba_premultiplied(90, 80, 10, 110),
    disagreement: Color32::from_rgb(255, 150, 60),
    fill_opacity: 0.4,
    fill_brightness: 0.55,
    unsaved: Color32::from_rgb(255, 190, 90),
};

impl Palette {
    /// The palette for the theme `ui` is drawn in.
    #[must_use]
    pub fn of(ui: &egui::Ui) -> &'static Palette {
        Self::for_dark_mode(ui.visuals().dark_mode)
    }

    /// The dark or the light palette.
    #[must_use]
    pub fn for_dark_mode(dark: bool) -> &'static Palette {
        if dark { &DARK } else { &LIGHT }
    }

    /// The translucent fill behind a span with this tag colour: light enough that
    /// text stays readable and overlapping fills blend into a visibly stronger band.
    #[must_use]
    pub fn tag_fill(&self, color: Rgb) -> Color32 {
        let [r, g, b] = color.0;
        let scale = |channel: u8| to_channel(f32::from(channel) * self.fill_opacity * self.fill_brightness);
        Color32::from_rgba_premultiplied(scale(r), scale(g), scale(b), to_channel(255.0 * self.fill_opacity))
    }
}

/// A tag's colour as an egui colour.
#[must_use]
pub fn tag_color(color: Rgb) -> Color32 {
    let [r, g, b] = color.0;
    Color32::from_rgb(r, g, b)
}

/// Black or white, whichever reads better on a chip filled with the tag's colour.
#[must_use]
pub fn chip_text(color: Rgb) -> Color32 {
    let fill = tag_color(color);
    if contrast_ratio(Color32::BLACK, fill) >= contrast_ratio(Color32::WHITE, fill) {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// `over` (premultiplied, translucent) painted on the opaque `under`, as egui blends them.
#[must_use]
pub fn composite(over: Color32, under: Color32) -> Color32 {
    let keep = 1.0 - f32::from(over.a()) / 255.0;
    let mix = |top: u8, bottom: u8| to_channel(f32::from(top) + f32::from(bottom) * keep);
    Color32::from_rgb(
        mix(over.r(), under.r()),
        mix(over.g(), under.g()),
        mix(over.b(), under.b()),
    )
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn to_channel(value: f32) -> u8 {
    value.round().clamp(0.0, 255.0) as u8
}

/// The WCAG 2 relative luminance of an opaque colour.
#[must_use]
pub fn relative_luminance(color: Color32) -> f32 {
    let linear = |channel: u8| {
        let c = f32::from(channel) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.r()) + 0.7152 * linear(color.g()) + 0.0722 * linear(color.b())
}

/// The WCAG 2 contrast ratio of two opaque colours (1 to 21; 4.5 is the minimum for body text).
#[must_use]
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tag_set::TagSet;

    /// WCAG AA for body text.
    const MINIMUM: f32 = 4.5;

    #[test]
    fn contrast_ratios_match_the_wcag_examples() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::from_rgb(118, 118, 118), Color32::WHITE) - 4.54).abs() < 0.01);
    }

    /// Text stays readable over every default tag's highlight, over two of them
    /// overlapping, and with the selection on top, in both themes.
    #[test]
    fn text_over_every_default_highlight_is_readable_in_both_themes() {
        let tags = TagSet::default_set();
        for palette in [&LIGHT, &DARK] {
            assert!(contrast_ratio(palette.text, palette.page) >= 7.0);
            for tag in &tags.tags {
                let once = composite(palette.tag_fill(tag.color), palette.page);
                let twice = composite(palette.tag_fill(tag.color), once);
                let selected = composite(palette.selection, once);
                for (what, background) in [("highlight", once), ("two highlights", twice), ("selected", selected)] {
                    let ratio = contrast_ratio(palette.text, background);
                    assert!(
                        ratio >= MINIMUM,
                        "{} over {what} in {} has contrast {ratio:.2}",
                        tag.name,
                        if palette.page == LIGHT.page { "light" } else { "dark" }
                    );
                }
                let chip = contrast_ratio(chip_text(tag.color), tag_color(tag.color));
                assert!(chip >= MINIMUM, "the chip of {} has contrast {chip:.2}", tag.name);
            }
            let found = composite(palette.find_hit, palette.page);
            assert!(contrast_ratio(palette.text, found) >= MINIMUM);
        }
    }
}
