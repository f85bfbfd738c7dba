//! The native window: eframe's options (size, icon), and the app inside it.

use std::num::NonZeroUsize;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::first_frame::{FirstFrame, LaidOutAhead, MAX_FONT_ATLAS_SIDE, follow_desktop_theme};
use super::graphics_driver::DriverWarmUp;
use super::startup::StartupProbe;
use super::system_theme::DesktopTheme;
use super::{AppOptions, CounterpointApp, OpenAs, fonts, setup_context};

/// The window's icon (made for Counterpoint; see `assets/icon/README.md`).
const ICON_PNG: &[u8] = include_bytes!("../../assets/icon/counterpoint-256.png");

/// Opens the editor window, showing `file` if given (`.ron` as a project, a
/// folder as a corpus, anything else as plain text). Returns when the window closes.
///
/// What needs no window starts first and runs while the window and its GL
/// context are created (most of the start-up with software OpenGL): reading
/// the file, asking the desktop for its theme, laying out the first frame
/// (see [`FirstFrame`]) and loading the graphics driver (see
/// [`DriverWarmUp`]). So the first frame shows the document, and only has to
/// be painted.
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
    let app = new_app(&ctx, file);
    let desktop_theme = DesktopTheme::watch(&ctx);
    let first_frame = FirstFrame::start(&ctx, app, WINDOW_SIZE, desktop_theme.clone());
    if let Some(probe) = &mut probe {
        probe.mark("read_started");
    }
    let file = file.map(Path::to_path_buf);
    // Last, once the threads above have started: loading the driver holds the
    // dynamic loader's lock for tens of milliseconds, and starting a thread waits for it.
    let driver = DriverWarmUp::start();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Counterpoint")
        .with_app_id("counterpoint")
        .with_inner_size(WINDOW_SIZE)
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
        Box::new(move |creation| {
            let (app, first_frame) = match first_frame.finish() {
                Some((app, ahead)) => (app, Some(ahead)),
                // The layout ahead failed, and the app with it: a new one reads the file again.
                None => (new_app(&creation.egui_ctx, file.as_deref()), None),
            };
            if let Some(probe) = &mut probe {
                if let Some(laid_out) = first_frame.as_ref().and_then(|ahead| ahead.laid_out) {
                    probe.mark_at("laid_out_ahead", laid_out);
                }
                probe.mark("window");
            }
            Ok(Box::new(Window {
                app,
                first_frame,
                painted: false,
                driver,
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
    /// Until the first frame: what the frame laid out ahead left for it.
    first_frame: Option<LaidOutAhead>,
    /// Whether a frame has been painted: the system fonts are listed once one
    /// has, and the driver need no longer be kept loaded for the window.
    painted: bool,
    driver: Option<DriverWarmUp>,
    probe: Option<StartupProbe>,
    desktop_theme: DesktopTheme,
}

/// The size the window asks for, in points; the first frame is laid out for it ahead.
const WINDOW_SIZE: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// The app, reading `file` in the background if there is one.
fn new_app(ctx: &egui::Context, file: Option<&Path>) -> CounterpointApp {
    let mut app = CounterpointApp::new(None, AppOptions::for_user());
    app.wake(ctx);
    if let Some(path) = file {
        app.open_file(path, OpenAs::Auto);
    }
    app
}

impl eframe::App for Window {
    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        raw_input.max_texture_side = raw_input.max_texture_side.map(|side| side.min(MAX_FONT_ATLAS_SIDE));
        if let Some(ahead) = self.first_frame.take() {
            ahead.hand_over(ctx, raw_input.max_texture_side);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let Some(probe) = &mut self.probe {
            probe.frame_started(ui.ctx());
        }
        if self.painted {
            fonts::start_listing_system_fonts();
            self.driver = None;
        }
        follow_desktop_theme(ui.ctx(), &self.desktop_theme);
        eframe::App::ui(&mut self.app, ui, frame);
        self.painted = true;
        if let Some(probe) = &mut self.probe {
            probe.frame_ended(ui.ctx(), !self.app.is_reading());
        }
    }
}
