//! Loads the system's OpenGL driver on a thread of its own while winit sets
//! up the window.
//!
//! The window's GL context is made on the main thread once winit has
//! connected to the display (which, on X11, includes parsing the Compose
//! tables), and making it first loads the driver: with Mesa, a 30 MB driver
//! and LLVM, with their relocations and static initialisers. Asking EGL for a
//! headless display beforehand, on another thread, loads the same driver
//! meanwhile (EGL picks it as the window's context will: llvmpipe here, the
//! GPU's driver on a machine with one), so the window's context finds it
//! loaded. The display is closed once the window has painted its first
//! frame; the window's own use of the driver keeps it loaded.
//!
//! wgpu's OpenGL ES backend does the asking, in safe code.

use std::sync::mpsc;

use super::jobs::yield_to_the_window;

/// The driver being loaded (and kept loaded) on its thread, until dropped.
pub struct DriverWarmUp {
    /// Dropped to let the thread close its display.
    _keep: mpsc::Sender<()>,
}

impl DriverWarmUp {
    /// Starts loading the driver; `None` if no thread could be started.
    #[must_use]
    pub fn start() -> Option<Self> {
        let (keep, dropped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("graphics driver".into())
            .spawn(move || {
                // The window's own start-up comes first.
                yield_to_the_window();
                let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle();
                descriptor.backends = wgpu::Backends::GL;
                // Without EGL or a driver there is nothing to load: the instance has no backend.
                let instance = wgpu::Instance::new(descriptor);
                // Closing the display before the window has loaded the driver would unload it.
                let _ = dropped.recv();
                drop(instance);
            })
            .ok()?;
        Some(Self { _keep: keep })
    }
}
