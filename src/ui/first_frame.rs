//! The window's first frame, laid out while the window is being created.
//!
//! With software OpenGL most of the start-up is winit and the GL driver
//! creating the window (see `cargo bench --bench startup`). Laying out the
//! first frame (shaping the first screen of the document, rasterising its
//! glyphs into the font atlas) needs no window, so it runs meanwhile on a
//! thread of its own, for the size the window asks for. The window's first
//! frame then finds its text laid out and its glyphs rasterised, and only has
//! to paint. Where the window turns out otherwise (another size, scale or
//! theme) egui lays out again: slower, never wrong.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::jobs::yield_to_the_window;
use super::system_theme::DesktopTheme;
use super::{CounterpointApp, fonts};

/// The widest font atlas egui is allowed. egui makes its atlas as wide as the
/// GPU allows (16,384 pixels on Mesa's software renderer), and every frame
/// that adds glyphs uploads whole rows of it; a narrower one is quicker to
/// upload, and still holds thousands of glyphs. The frame laid out ahead
/// assumes it, so it must not be more than any GPU allows.
pub const MAX_FONT_ATLAS_SIDE: usize = 4096;

/// How often the thread looks whether the window is ready while it waits for
/// the document to be read.
const POLL: Duration = Duration::from_millis(1);

/// The first frame being laid out on its thread.
pub struct FirstFrame {
    thread: Option<JoinHandle<Prepared>>,
    window_ready: Arc<AtomicBool>,
}

/// What the thread gives back: the app, after the frame laid out ahead (if
/// it was), and what that frame left for the window.
type Prepared = (CounterpointApp, LaidOutAhead);

/// What the frame laid out ahead left for the window.
#[derive(Default)]
pub struct LaidOutAhead {
    /// When that frame was laid out (`None`: the window came first).
    pub laid_out: Option<Instant>,
    /// The textures that frame made or changed (the font atlas): the window's
    /// painter has not seen them yet.
    textures: Vec<(egui::TextureId, egui::epaint::ImageDelta)>,
    /// What that frame asked of the window (its title).
    commands: Vec<egui::ViewportCommand>,
}

impl FirstFrame {
    /// Starts laying out the first frame of `app` in `ctx` for a window of
    /// `size` points, once the file it is reading (if any) has been read.
    pub fn start(ctx: &egui::Context, app: CounterpointApp, size: egui::Vec2, desktop_theme: DesktopTheme) -> Self {
        let window_ready = Arc::new(AtomicBool::new(false));
        let ready = Arc::clone(&window_ready);
        let ctx = ctx.clone();
        let thread = std::thread::Builder::new()
            .name("first frame".into())
            .spawn(move || {
                // Laid out well before the window is ready, it need not slow the window down.
                yield_to_the_window();
                lay_out(&ctx, app, size, &desktop_theme, &ready)
            })
            .ok();
        Self { thread, window_ready }
    }

    /// Whether the thread has ended (the frame is laid out, or the window came first).
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// The app for the window, with what its first frame needs; waits for a
    /// layout under way, but no longer for the document. `None` if the thread
    /// could not start or failed: the app went with it.
    #[must_use]
    pub fn finish(self) -> Option<(CounterpointApp, LaidOutAhead)> {
        self.window_ready.store(true, Ordering::Relaxed);
        self.thread?.join().ok()
    }
}

impl LaidOutAhead {
    /// At the start of the window's first frame: hands its painter the
    /// textures made ahead, and its window what was asked of it.
    /// `max_texture_side` is what the window's GPU allows.
    pub fn hand_over(self, ctx: &egui::Context, max_texture_side: Option<usize>) {
        // A GPU that allows less makes egui build a new atlas for this frame anyway.
        if max_texture_side.is_none_or(|side| side >= MAX_FONT_ATLAS_SIDE) {
            let manager = ctx.tex_manager();
            let mut manager = manager.write();
            for (id, delta) in self.textures {
                // One made and freed again ahead was never the painter's.
                if manager.meta(id).is_some() {
                    manager.set(id, delta);
                }
            }
        }
        for command in self.commands {
            ctx.send_viewport_cmd(command);
        }
    }
}

/// The thread's work: waits for the document (while the window is not ready),
/// then runs one frame of `app` as the window's first frame will.
fn lay_out(
    ctx: &egui::Context,
    mut app: CounterpointApp,
    size: egui::Vec2,
    desktop_theme: &DesktopTheme,
    window_ready: &AtomicBool,
) -> Prepared {
    while app.is_reading() {
        if window_ready.load(Ordering::Relaxed) {
            return (app, LaidOutAhead::default());
        }
        app.wait_for_reading(POLL);
    }
    if let Some(workspace) = app.workspace() {
        fonts::list_system_fonts_for(workspace.project().text());
    }
    follow_desktop_theme(ctx, desktop_theme);
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
        max_texture_side: Some(MAX_FONT_ATLAS_SIDE),
        ..egui::RawInput::default()
    };
    let mut output = ctx.run_ui(input, |ui| app.ui(ui));
    let commands = output
        .viewport_output
        .remove(&egui::ViewportId::ROOT)
        .map(|viewport| viewport.commands)
        .unwrap_or_default();
    let mut made = std::mem::take(&mut output.textures_delta);
    // In the order made: a whole image first, then the regions changed in it.
    let textures = made
        .set
        .drain()
        .flat_map(|(id, deltas)| deltas.into_iter().map(move |delta| (id, delta)))
        .collect();
    made.clear();
    let ahead = LaidOutAhead {
        laid_out: Some(Instant::now()),
        textures,
        commands,
    };
    (app, ahead)
}

/// Sets the theme the desktop prefers where the windowing system does not say (X11).
pub fn follow_desktop_theme(ctx: &egui::Context, desktop_theme: &DesktopTheme) {
    if let Some(theme) = desktop_theme.theme()
        && ctx.options(|o| o.fallback_theme) != theme
    {
        ctx.options_mut(|o| o.fallback_theme = theme);
    }
}
