//! The fonts the editor draws with, and where each script finds its glyphs.
//!
//! egui's own Ubuntu Light draws Latin, Greek and Cyrillic. Everything else
//! is found on demand, in this order (each font provider is asked once per
//! character, the first time the character is drawn):
//!
//! 1. emoji in colour: a cluster with emoji presentation (🙂, 👩🏽‍💻, 🇺🇦) is drawn
//!    with the system's colour emoji font (Noto Color Emoji, installed by
//!    `scripts/setup.sh`). epaint's `color_fonts` feature rasterises its
//!    `CBDT` bitmaps (and `COLR` v0/v1 or `sbix` fonts, were one installed), and
//!    its shaper (harfrust) applies the font's ligatures, so a ZWJ sequence or
//!    a flag is one glyph;
//! 2. the system's fonts for the script (CJK, Arabic, Hebrew, Devanagari, …)
//!    through `egui_system_font_provider`, which enumerates them on a
//!    background thread: the first time a character needs one, or once the
//!    window has shown its first frame ([`start_listing_system_fonts`]).
//!    Listing them takes some 30 ms of processor time, which at start-up
//!    would slow down the window being created, and a document in Latin
//!    script never needs them;
//! 3. egui's monochrome emoji fonts, for symbols and emoji no installed font has.
//!
//! Nothing here is read before it is needed: a document in Latin script opens
//! without touching the emoji font file or waiting for the system fonts.
//!
//! Limits, all from how epaint 0.37 picks a font: by the first character of
//! a grapheme cluster. So a keycap (1️⃣, #️⃣) or ©️ ™️ ‼️, whose first character
//! the text font has, is drawn as that text glyph, monochrome (never a box).
//! Which emoji exist is the installed font's version: Debian 12 ships Noto
//! Color Emoji 2.042 (Emoji 15.1); newer emoji (Emoji 16's 🫩, say) draw as a
//! box until the system's font is updated. SVG-in-OpenType fonts are not
//! drawn in colour (epaint has no SVG renderer).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use unicode_segmentation::UnicodeSegmentation;

use egui::epaint::text::{
    FallbackRequest, FontData, FontDefinitions, FontInsert, FontPriority, FontProvider, FontTweak, InsertFontFamily,
    has_emoji_presentation,
};
use egui_system_font_provider::SystemFontProvider;
use fontique::{SourceCache, SourceCacheOptions, SourceId, SourceInfo, SourceKind};

/// The colour emoji fonts looked for, most wanted first: where Debian, Ubuntu,
/// Fedora, Arch and openSUSE install Noto Color Emoji (CBDT bitmaps), then
/// Fedora's Twemoji (COLR). SVG-in-OpenType fonts are not listed: epaint
/// cannot draw their `SVG ` table in colour.
const COLOUR_EMOJI_FONTS: [&str; 5] = [
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/google-noto-color-emoji-fonts/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/truetype/NotoColorEmoji.ttf",
    "/usr/share/fonts/twemoji/twemoji.ttf",
];

/// egui's bundled fonts that are only a last resort here.
const MONOCHROME_FALLBACKS: [&str; 2] = ["NotoEmoji-Regular", "emoji-icon-font"];

/// Installs the editor's fonts in `ctx` (see the module documentation).
pub fn install(ctx: &egui::Context) {
    let mut definitions = FontDefinitions::default();
    let last_resorts: Vec<LastResort> = MONOCHROME_FALLBACKS
        .iter()
        .filter_map(|name| {
            let data = definitions.font_data.get(*name)?;
            Some(LastResort {
                name: (*name).to_owned(),
                data: (**data).clone(),
            })
        })
        .collect();
    for family in definitions.families.values_mut() {
        family.retain(|name| !MONOCHROME_FALLBACKS.contains(&name.as_str()));
    }
    ctx.set_fonts(definitions);
    ctx.add_font_provider(Arc::new(ColourEmoji::new(installed_colour_emoji_font())));
    ctx.add_font_provider(Arc::new(SystemFonts));
    for last_resort in last_resorts {
        ctx.add_font_provider(Arc::new(last_resort));
    }
}

/// The system's fonts, listed once for every context (each test has its own).
static SYSTEM_FONTS: OnceLock<SystemFontProvider> = OnceLock::new();

/// Starts listing the system's fonts in the background, if that has not
/// started yet.
pub fn start_listing_system_fonts() -> &'static SystemFontProvider {
    SYSTEM_FONTS.get_or_init(SystemFontProvider::new)
}

/// How much of a text's start [`list_system_fonts_for`] looks at: more than a screen.
const TEXT_START: usize = 64 * 1024;

/// Lists the system's fonts now, and waits for the list, if the start of
/// `text` has a character that egui's own fonts (Latin, Greek, Cyrillic and
/// their punctuation) may lack and that is not an emoji.
///
/// For the frame laid out before the window exists: egui asks the font
/// providers while it lays out, holding its context's lock, and the window
/// being created meanwhile needs that lock too. Were the fonts still being
/// listed then, the window would wait for the list as well; listed first,
/// outside the lock, only the layout waits. (A character misjudged either
/// way costs time, never a glyph.)
pub fn list_system_fonts_for(text: &str) {
    let start = &text[..text.floor_char_boundary(TEXT_START)];
    let needing = start.graphemes(true).find(|cluster| {
        cluster
            .chars()
            .next()
            .is_some_and(|c| beyond_the_text_fonts(c) && !is_emoji(cluster))
    });
    if let Some(cluster) = needing {
        // Waits for the list, then finds the font for this cluster.
        let _ = start_listing_system_fonts().font_for(&FallbackRequest {
            cluster,
            family: &egui::FontFamily::Proportional,
        });
    }
}

/// Whether `c` may be missing from egui's own fonts, which draw Latin,
/// Greek and Cyrillic, and general punctuation and currency signs.
fn beyond_the_text_fonts(c: char) -> bool {
    !matches!(c, '\0'..='\u{052F}' | '\u{1E00}'..='\u{1FFF}' | '\u{2000}'..='\u{20CF}')
}

/// Whether the system's fonts are being (or have been) listed.
#[must_use]
pub fn system_fonts_listing_started() -> bool {
    SYSTEM_FONTS.get().is_some()
}

/// Gives a character the system's font for its script, listing the fonts first
/// if that has not started yet.
struct SystemFonts;

impl FontProvider for SystemFonts {
    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        start_listing_system_fonts().font_for(request)
    }
}

/// The first colour emoji font installed, if any.
#[must_use]
pub fn installed_colour_emoji_font() -> Option<PathBuf> {
    COLOUR_EMOJI_FONTS.iter().map(PathBuf::from).find(|path| path.is_file())
}

/// Gives emoji clusters the colour emoji font, read from disk the first time one is drawn.
struct ColourEmoji {
    path: Option<PathBuf>,
    data: OnceLock<Option<FontData>>,
}

impl ColourEmoji {
    fn new(path: Option<PathBuf>) -> Self {
        Self {
            path,
            data: OnceLock::new(),
        }
    }

    fn data(&self) -> Option<&FontData> {
        self.data
            .get_or_init(|| self.path.as_deref().and_then(read_font))
            .as_ref()
    }
}

/// The font file at `path`, memory-mapped the way the system fonts are (by
/// fontique): the colour emoji font is about 10 MB, of which a document's
/// emoji touch a few pages, so it is neither read whole nor copied.
fn read_font(path: &Path) -> Option<FontData> {
    let source = SourceInfo::new(SourceId::new(), SourceKind::Path(Arc::from(path)));
    let (bytes, _) = SourceCache::new(SourceCacheOptions::default())
        .get(&source)?
        .into_raw_parts();
    // The emoji sit on the text's baseline at about the height of its capitals.
    Some(FontData::from_blob(bytes, 0).tweak(FontTweak {
        scale: 0.9,
        ..FontTweak::default()
    }))
}

impl FontProvider for ColourEmoji {
    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        if !is_emoji(request.cluster) {
            return None;
        }
        let data = self.data()?.clone();
        Some(FontInsert {
            name: "colour emoji".to_owned(),
            data,
            families: vec![InsertFontFamily {
                family: request.family.clone(),
                priority: FontPriority::Lowest,
            }],
        })
    }
}

/// Whether a grapheme cluster is an emoji to draw in colour: one with emoji
/// presentation, or a lone regional indicator (half a flag).
#[must_use]
pub fn is_emoji(cluster: &str) -> bool {
    has_emoji_presentation(cluster)
        || cluster
            .chars()
            .next()
            .is_some_and(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c))
}

/// One of egui's monochrome emoji and icon fonts, for what no other font has.
/// (A font without the character is passed over: egui then asks the next provider.)
struct LastResort {
    name: String,
    data: FontData,
}

impl FontProvider for LastResort {
    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        Some(FontInsert {
            name: self.name.clone(),
            data: self.data.clone(),
            families: vec![InsertFontFamily {
                family: request.family.clone(),
                priority: FontPriority::Lowest,
            }],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_clusters_are_told_from_text() {
        for emoji in [
            "🙂",
            "🤔",
            "🥲",
            "👨\u{200d}👩\u{200d}👧\u{200d}👦",
            "👩🏽\u{200d}💻",
            "🇺🇦",
            "🇺",
            "❤\u{fe0f}",
        ] {
            assert!(is_emoji(emoji), "{emoji}");
        }
        for text in ["a", "é", "→", "❤", "1", "日", "😀\u{fe0e}"] {
            assert!(!is_emoji(text), "{text}");
        }
    }
}
