//! What the user chose in the View menu (theme, which side panels show),
//! kept between runs in the user's config folder.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::storage;

/// Which theme the window uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Whatever the desktop prefers (light when it does not say).
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// Every choice, in menu order.
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// The menu text.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Follow the system",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }

    /// egui's preference for this choice.
    #[must_use]
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// The View menu's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub theme: ThemeChoice,
    /// Whether the tag palette (left) is open.
    pub show_tag_palette: bool,
    /// Whether the selection and annotation list panel (right) is open.
    pub show_side_panel: bool,
    /// Whether a corpus's document list (far left) is open.
    pub show_document_list: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            show_tag_palette: true,
            show_side_panel: true,
            show_document_list: true,
        }
    }
}

/// The preferences and the file they are kept in (none for tests).
#[derive(Clone, Debug, Default)]
pub struct StoredPreferences {
    store: Option<PathBuf>,
    current: Preferences,
}

impl StoredPreferences {
    /// Reads the preferences from `store` (missing or unreadable: the defaults).
    #[must_use]
    pub fn load(store: Option<PathBuf>) -> Self {
        let current = store
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .and_then(|text| ron::from_str(&text).ok())
            .unwrap_or_default();
        Self { store, current }
    }

    /// The preferences in force.
    #[must_use]
    pub fn get(&self) -> &Preferences {
        &self.current
    }

    /// Changes the preferences and writes them. A failed write only loses the preferences.
    pub fn update(&mut self, change: impl FnOnce(&mut Preferences)) {
        let before = self.current.clone();
        change(&mut self.current);
        if self.current == before {
            return;
        }
        if let Some(store) = &self.store
            && let Ok(text) = ron::to_string(&self.current)
        {
            let _ = storage::save_setting(store, text.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_are_kept_between_runs() {
        let folder = tempfile::tempdir().unwrap();
        let store = folder.path().join("config/preferences.ron");
        let mut preferences = StoredPreferences::load(Some(store.clone()));
        assert_eq!(preferences.get(), &Preferences::default());
        preferences.update(|p| {
            p.theme = ThemeChoice::Dark;
            p.show_tag_palette = false;
        });
        let again = StoredPreferences::load(Some(store));
        assert_eq!(again.get().theme, ThemeChoice::Dark);
        assert!(!again.get().show_tag_palette);
        assert!(again.get().show_side_panel);
    }
}
