//! The native window: eframe's options (size, icon), and the app inside it.

use std::num::NonZeroUsize;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::startup::StartupProbe;
use super::system_theme::DesktopTheme;
use super::{AppOptions, CounterpointApp, OpenAs, setup_context};

/// The window's icon (made for Counterpoint; see `assets/icon/README.md`).
const ICON_PNG: &[u8] = include_bytes!("../../assets/icon/counterpoint-256.png");

/// Opens the editor window, showing `file` if given (`.ron` as a project, a
/// folder as a corpus, anything else as plain text). Returns when the window closes.
///
/// What needs no window starts first and runs while the window and its GL
/// context are created (most of the start-up with software OpenGL): the
/// enumeration of the system fonts, reading the file, and asking the desktop
/// for its theme. So the first frame can show the document.
#[must_use]
pub fn run(file: Option<&Path>) -> ExitCode {
    let started = Instant::now();
    let mut probe = StartupProbe::from_env(started);
    let ctx = egui::Context::default();
    // As eframe sets up its own context on the desktop: viewports are windows
    // of their own, and a frame may be laid out twice (`request_discard`).
    ctx.set_embed_viewports(false);
    ctx.options_mut(|options| options.max_passes = MAX_PASSES);
    setup_context(&ctx);
    let mut app = CounterpointApp::new(None, AppOptions::for_user());
    app.wake(&ctx);
    if let Some(path) = file {
        app.open_file(path, OpenAs::Auto);
    }
    let desktop_theme = DesktopTheme::watch(&ctx);
    if let Some(probe) = &mut probe {
        probe.mark("read_started");
    }
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Counterpoint")
        .with_app_id("counterpoint")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 480.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        // Neither is drawn with: no time spent creating them.
        depth_buffer: 0,
        stencil_buffer: 0,
        multisampling: 0,
        // `setup_context` installs the same provider, for headless use too.
        system_font_fallback: false,
        ..eframe::NativeOptions::default()
    };
    let result = eframe::run_native_ext(
        "Counterpoint",
        options,
        Some(ctx),
        Box::new(move |_creation| {
            if let Some(probe) = &mut probe {
                probe.mark("window");
            }
            Ok(Box::new(Window {
                app,
                probe,
                desktop_theme,
            }))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("counterpoint: error: could not open the window: {error}");
            ExitCode::FAILURE
        }
    }
}

/// eframe's own number of passes a frame may take.
const MAX_PASSES: NonZeroUsize = NonZeroUsize::new(2).expect("two is not zero");

/// The app in its native window, with the start-up probe when it is on.
struct Window {
    app: CounterpointApp,
    probe: Option<StartupProbe>,
    desktop_theme: DesktopTheme,
}

/// The widest font atlas egui is allowed. egui makes its atlas as wide as the
/// GPU allows (16,384 pixels on Mesa's software renderer), and every frame
/// that adds glyphs uploads whole rows of it; a narrower one is quicker to
/// upload, and still holds thousands of glyphs.
const MAX_FONT_ATLAS_SIDE: usize = 4096;

impl eframe::App for Window {
    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        raw_input.max_texture_side = raw_input.max_texture_side.map(|side| side.min(MAX_FONT_ATLAS_SIDE));
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let Some(probe) = &mut self.probe {
            probe.frame_started(ui.ctx());
        }
        // What the desktop prefers stands in where the windowing system does not say (X11).
        if let Some(theme) = self.desktop_theme.theme()
            && ui.ctx().options(|o| o.fallback_theme) != theme
        {
            ui.ctx().options_mut(|o| o.fallback_theme = theme);
        }
        eframe::App::ui(&mut self.app, ui, frame);
        if let Some(probe) = &mut self.probe {
            probe.frame_ended(ui.ctx(), !self.app.is_reading());
        }
    }
}
