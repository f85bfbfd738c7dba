//! Start-up: the window's first frame laid out before the window exists and
//! handed to it whole, the system fonts listed only once a character needs
//! them, and the graphics driver loaded beside the window.
//!
//! A process of its own: the font and driver tests look at what this process
//! has loaded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use counterpoint::ui::first_frame::{FirstFrame, MAX_FONT_ATLAS_SIDE};
use counterpoint::ui::graphics_driver::DriverWarmUp;
use counterpoint::ui::system_theme::DesktopTheme;
use counterpoint::ui::{AppOptions, CounterpointApp, OpenAs, fonts, setup_context};

const SAMPLE: &str = "assets/examples/000_7713f654ee184543.txt";
const WINDOW: egui::Vec2 = egui::vec2(1280.0, 800.0);

fn article(folder: &Path) -> PathBuf {
    let path = folder.join("article.txt");
    std::fs::copy(SAMPLE, &path).unwrap();
    path
}

/// An app as the window makes it: the file is read in the background.
fn app_reading(folder: &Path, file: &Path, ctx: &egui::Context) -> CounterpointApp {
    let options = AppOptions {
        recovery_dir: Some(folder.join("data/recovery")),
        config_dir: Some(folder.join("config")),
        wait_for_work: Duration::ZERO,
        ..AppOptions::headless()
    };
    let mut app = CounterpointApp::new(None, options);
    app.wake(ctx);
    app.open_file(file, OpenAs::Auto);
    app
}

fn context() -> egui::Context {
    let ctx = egui::Context::default();
    setup_context(&ctx);
    ctx
}

/// What the window gives egui each frame, as eframe does.
fn window_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, WINDOW)),
        max_texture_side: Some(MAX_FONT_ATLAS_SIDE),
        ..egui::RawInput::default()
    }
}

/// The textures a GL painter holds, made from the deltas it is handed: a
/// region can only be written into a texture it was first given whole.
#[derive(Default)]
struct Painter {
    sizes: HashMap<egui::TextureId, [usize; 2]>,
}

impl Painter {
    /// Applies a frame's deltas; the number of deltas for the font atlas.
    fn apply(&mut self, mut delta: egui::TexturesDelta) -> usize {
        let font_deltas = delta.set.get(&egui::TextureId::default()).into_iter().flatten().count();
        for (id, deltas) in &delta.set {
            for image in deltas {
                match image.pos {
                    None => {
                        self.sizes.insert(*id, image.image.size());
                    }
                    Some([x, y]) => {
                        let [width, height] = *self
                            .sizes
                            .get(id)
                            .unwrap_or_else(|| panic!("a region of {id:?}, which the painter was never given"));
                        assert!(x + image.image.width() <= width && y + image.image.height() <= height);
                    }
                }
            }
        }
        for id in &delta.free {
            self.sizes.remove(id);
        }
        delta.clear();
        font_deltas
    }
}

fn title_asked(output: &egui::FullOutput) -> Option<String> {
    output
        .viewport_output
        .get(&egui::ViewportId::ROOT)?
        .commands
        .iter()
        .find_map(|command| match command {
            egui::ViewportCommand::Title(title) => Some(title.clone()),
            _ => None,
        })
}

/// The sample article being read by an app whose first frame is laid out
/// ahead, as the window starts it: the context, the frame, and the file.
fn article_laid_out_ahead(folder: &Path) -> (egui::Context, FirstFrame, PathBuf) {
    let file = article(folder);
    let ctx = context();
    let app = app_reading(folder, &file, &ctx);
    assert!(app.is_reading(), "the file is read in the background");
    let first_frame = FirstFrame::start(&ctx, app, WINDOW, DesktopTheme::watch(&ctx));
    (ctx, first_frame, file)
}

#[test]
fn the_first_frame_is_laid_out_before_the_window_and_handed_to_it() {
    let folder = tempfile::tempdir().unwrap();
    let (ctx, first_frame, file) = article_laid_out_ahead(folder.path());
    let waited = Instant::now();
    while !first_frame.is_done() {
        assert!(waited.elapsed() < Duration::from_secs(30), "the frame is laid out");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The window is ready now, after the frame was laid out.
    let (mut app, ahead) = first_frame.finish().expect("the thread gives the app back");
    assert!(ahead.laid_out.is_some(), "the frame was laid out ahead");
    let text = app
        .workspace()
        .expect("the document was read before")
        .project()
        .text()
        .to_owned();
    assert_eq!(text, std::fs::read_to_string(&file).unwrap());

    // The window's first frame.
    let mut painter = Painter::default();
    ahead.hand_over(&ctx, Some(MAX_FONT_ATLAS_SIDE));
    let output = ctx.run_ui(window_input(), |ui| app.ui(ui));
    assert_eq!(
        title_asked(&output)
            .as_deref()
            .map(|title| title.contains("article.txt")),
        Some(true),
        "the title asked for ahead reaches the window"
    );
    let font_deltas = painter.apply(output.textures_delta);
    assert_eq!(
        painter.sizes.get(&egui::TextureId::default()).map(|size| size[0]),
        Some(MAX_FONT_ATLAS_SIDE)
    );
    assert_eq!(
        font_deltas, 1,
        "the window's first frame needs no glyph the frame laid out ahead did not rasterise: only the atlas it made"
    );
    let later = ctx.run_ui(window_input(), |ui| app.ui(ui));
    painter.apply(later.textures_delta);
}

#[test]
fn a_window_ready_before_the_document_is_read_gets_the_font_atlas_whole() {
    let folder = tempfile::tempdir().unwrap();
    let (ctx, first_frame, _) = article_laid_out_ahead(folder.path());
    // The window is ready at once: the thread stops waiting for the document
    // (or has laid out the frame already; either way the window gets it whole).
    let (mut app, ahead) = first_frame.finish().expect("the thread gives the app back");
    ahead.hand_over(&ctx, Some(MAX_FONT_ATLAS_SIDE));
    let mut painter = Painter::default();
    let waited = Instant::now();
    loop {
        app.wait_for_reading(Duration::from_millis(50));
        let output = ctx.run_ui(window_input(), |ui| app.ui(ui));
        painter.apply(output.textures_delta);
        if app.workspace().is_some() && !app.is_reading() {
            break;
        }
        assert!(waited.elapsed() < Duration::from_secs(30), "the document shows");
    }
    let output = ctx.run_ui(window_input(), |ui| app.ui(ui));
    painter.apply(output.textures_delta);
    assert!(painter.sizes.contains_key(&egui::TextureId::default()));
}

#[test]
fn the_system_fonts_are_listed_only_once_a_character_needs_one() {
    let ctx = context();
    let label = |text: &'static str| {
        let output = ctx.run_ui(window_input(), |ui| {
            ui.label(text);
        });
        let mut delta = output.textures_delta;
        delta.clear();
    };
    let latin = "Prices exploded 👩\u{200d}💻 in Kyiv 🇺🇦; «Цены взлетели» — 🙂";
    fonts::list_system_fonts_for(latin);
    label(latin);
    assert!(
        !fonts::system_fonts_listing_started(),
        "Latin, Cyrillic and emoji need none of the system's fonts"
    );
    // Listed ahead of a layout that will need them (the frame laid out before the window).
    let other_scripts = "价格暴涨了 — ارتفعت الأسعار";
    fonts::list_system_fonts_for(other_scripts);
    assert!(fonts::system_fonts_listing_started());
    label(other_scripts);
    assert!(
        ctx.fonts_mut(|fonts| fonts.has_glyph(&egui::FontId::proportional(14.0), '价')),
        "the system's CJK font was found"
    );
}

/// Whether this process has loaded a file whose name contains `part`.
fn loaded(part: &str) -> bool {
    std::fs::read_to_string("/proc/self/maps").is_ok_and(|maps| maps.contains(part))
}

/// Whether the dynamic loader knows a library named `name`.
fn installed(name: &str) -> bool {
    std::process::Command::new("ldconfig")
        .arg("-p")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).contains(name))
}

#[test]
fn the_graphics_driver_is_loaded_beside_the_window() {
    if !installed("libEGL_mesa.so.0") {
        eprintln!("skipped: no Mesa EGL driver installed (scripts/setup.sh installs it)");
        return;
    }
    // Mesa's drivers: `*_dri.so` up to Mesa 24.1, `libgallium-*.so` since.
    let driver_loaded = || loaded("libEGL_mesa") && (loaded("_dri.so") || loaded("libgallium"));
    assert!(!driver_loaded(), "nothing else in this process loads the driver");
    let warm_up = DriverWarmUp::start().expect("the thread starts");
    let waited = Instant::now();
    while !driver_loaded() {
        assert!(waited.elapsed() < Duration::from_secs(30), "the driver is loaded");
        std::thread::sleep(Duration::from_millis(5));
    }
    drop(warm_up);
}
