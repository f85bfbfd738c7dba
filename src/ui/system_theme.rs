//! Whether the desktop prefers dark or light, where the windowing system does
//! not say. winit reports the theme on Wayland, macOS and Windows; on X11 it
//! reports nothing, so egui would fall back to a fixed theme. There the
//! freedesktop settings portal (`org.freedesktop.appearance color-scheme`,
//! the setting GNOME, KDE and others share) is asked on a background thread,
//! and followed when it changes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

const UNKNOWN: u8 = 0;
const DARK: u8 = 1;
const LIGHT: u8 = 2;

/// The desktop's colour-scheme preference, as far as it is known.
#[derive(Clone)]
pub struct DesktopTheme {
    preference: Arc<AtomicU8>,
}

impl DesktopTheme {
    /// Starts asking the settings portal in the background; `ctx` repaints when it answers.
    #[must_use]
    pub fn watch(ctx: &egui::Context) -> Self {
        let preference = Arc::new(AtomicU8::new(UNKNOWN));
        let shared = Arc::clone(&preference);
        let ctx = ctx.clone();
        // Without a thread, or without a session bus or portal (a bare X server,
        // a container), the preference stays unknown and egui's fallback applies.
        let _ = std::thread::Builder::new()
            .name("desktop theme".into())
            .spawn(move || follow_portal(&shared, &ctx));
        Self { preference }
    }

    /// The preferred theme, if the desktop has said.
    #[must_use]
    pub fn theme(&self) -> Option<egui::Theme> {
        match self.preference.load(Ordering::Relaxed) {
            DARK => Some(egui::Theme::Dark),
            LIGHT => Some(egui::Theme::Light),
            _ => None,
        }
    }
}

const PORTAL: &str = "org.freedesktop.portal.Desktop";
const PORTAL_PATH: &str = "/org/freedesktop/portal/desktop";
const SETTINGS: &str = "org.freedesktop.portal.Settings";
const NAMESPACE: &str = "org.freedesktop.appearance";
const KEY: &str = "color-scheme";

/// Reads the colour scheme, then waits for changes to it (until the bus goes away).
fn follow_portal(preference: &AtomicU8, ctx: &egui::Context) -> zbus::Result<()> {
    let connection = zbus::blocking::Connection::session()?;
    let proxy = zbus::blocking::Proxy::new(&connection, PORTAL, PORTAL_PATH, SETTINGS)?;
    let reply = proxy.call_method("ReadOne", &(NAMESPACE, KEY))?;
    let value: zbus::zvariant::OwnedValue = reply.body().deserialize()?;
    store(preference, &value, ctx);
    for signal in proxy.receive_signal("SettingChanged")? {
        let (namespace, key, value): (String, String, zbus::zvariant::OwnedValue) = signal.body().deserialize()?;
        if namespace == NAMESPACE && key == KEY {
            store(preference, &value, ctx);
        }
    }
    Ok(())
}

fn store(preference: &AtomicU8, value: &zbus::zvariant::OwnedValue, ctx: &egui::Context) {
    // 0: no preference, 1: prefer dark, 2: prefer light.
    let scheme = u32::try_from(value).unwrap_or(0);
    let theme = match scheme {
        1 => DARK,
        2 => LIGHT,
        _ => UNKNOWN,
    };
    preference.store(theme, Ordering::Relaxed);
    ctx.request_repaint();
}
