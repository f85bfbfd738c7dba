//! Questions about files on disk: a project that changed on disk since this
//! window read it, files a save or export would replace, a file that cannot
//! be saved, and unsaved work left by windows that closed without saving.

use std::path::PathBuf;
use std::time::SystemTime;

use egui::{Id, RichText};

use crate::storage::Conflict;
use crate::storage::recovery::Leftover;

use super::interchange::ExportFormat;

/// A question the window asks before writing over a file, or when it cannot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileQuestion {
    /// The project changed on disk since this window read or saved it.
    ChangedOnDisk { path: PathBuf, conflict: Conflict },
    /// Save As names an existing file that differs.
    ReplaceProject { path: PathBuf, conflict: Conflict },
    /// An export would replace files that differ from what it writes.
    ReplaceExport {
        format: ExportFormat,
        output: PathBuf,
        conflicts: Vec<Conflict>,
    },
    /// The file cannot be saved here (read-only, another user's, …).
    CannotSave { path: PathBuf, reason: String },
}

/// The user's answer to a [`FileQuestion`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAnswer {
    /// Drop the changes here and read the file on disk.
    Reload,
    /// Replace the file on disk (it is kept as `NAME.bak`).
    Overwrite,
    /// Choose another file to save to.
    SaveAs,
    Cancel,
}

/// Asks `question`; returns the answer once given.
#[must_use]
pub fn file_question_ui(ctx: &egui::Context, question: &FileQuestion) -> Option<FileAnswer> {
    let mut answer = None;
    let modal = egui::Modal::new(Id::unique("file question")).show(ctx, |ui| {
        ui.set_width(480.0);
        let mut button = |ui: &mut egui::Ui, text: &str, choice: FileAnswer| {
            if ui.button(text).clicked() {
                answer = Some(choice);
            }
        };
        match question {
            FileQuestion::ChangedOnDisk { path, .. } => {
                ui.heading("Changed on disk");
                ui.label(format!(
                    "{} has been changed by another window or program since you opened or saved it here.",
                    path.display()
                ));
                ui.label("Reload it (your changes here are dropped), overwrite it with your version (the other version is kept as .bak), or save your version under another name.");
                ui.horizontal(|ui| {
                    button(ui, "Reload from disk", FileAnswer::Reload);
                    button(ui, "Overwrite", FileAnswer::Overwrite);
                    button(ui, "Save As…", FileAnswer::SaveAs);
                    button(ui, "Cancel", FileAnswer::Cancel);
                });
            }
            FileQuestion::ReplaceProject { path, .. } => {
                ui.heading("Replace existing file?");
                ui.label(format!(
                    "{} already exists. Replace it with this project? The file there now is kept as {}.bak.",
                    path.display(),
                    path.display()
                ));
                ui.horizontal(|ui| {
                    button(ui, "Replace", FileAnswer::Overwrite);
                    button(ui, "Save As…", FileAnswer::SaveAs);
                    button(ui, "Cancel", FileAnswer::Cancel);
                });
            }
            FileQuestion::ReplaceExport { conflicts, .. } => {
                ui.heading("Replace existing file?");
                ui.label("This export would replace files that hold something else:");
                for conflict in conflicts {
                    ui.label(RichText::new(format!("• {}", conflict.path.display())).strong());
                }
                ui.label("Each replaced file is kept as NAME.bak.");
                ui.horizontal(|ui| {
                    button(ui, "Replace", FileAnswer::Overwrite);
                    button(ui, "Cancel", FileAnswer::Cancel);
                });
            }
            FileQuestion::CannotSave { path, reason } => {
                ui.heading("Cannot save here");
                ui.label(format!("{} cannot be saved: {reason}.", path.display()));
                ui.horizontal(|ui| {
                    button(ui, "Save As…", FileAnswer::SaveAs);
                    button(ui, "Cancel", FileAnswer::Cancel);
                });
            }
        }
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(FileAnswer::Cancel);
    }
    answer
}

/// The answer to the offer of a leftover when its document is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferAnswer {
    Recover,
    /// Leave it in File ▸ Recover Unsaved Work….
    Later,
    Discard,
}

/// Offers back the unsaved work on the document just opened; `others` more
/// leftovers of it stay listed in File ▸ Recover Unsaved Work….
#[must_use]
pub fn recovery_offer_ui(ctx: &egui::Context, leftover: &Leftover, others: usize) -> Option<OfferAnswer> {
    let mut answer = None;
    egui::Modal::new(Id::unique("recovery offer")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading("Recover unsaved work?");
        ui.label(format!(
            "A Counterpoint window closed without saving its changes to {} ({}, {}).",
            leftover.document.name,
            where_it_lives(leftover),
            age(leftover.written)
        ));
        ui.label("Recover them to keep working where it stopped; the file as saved stays as it is until you save.");
        if others > 0 {
            ui.label(format!(
                "{others} more unsaved version(s) of it are listed in File ▸ Recover Unsaved Work…."
            ));
        }
        ui.horizontal(|ui| {
            if ui.button("Recover").clicked() {
                answer = Some(OfferAnswer::Recover);
            }
            if ui.button("Keep for later").clicked() {
                answer = Some(OfferAnswer::Later);
            }
            if ui.button("Discard").clicked() {
                answer = Some(OfferAnswer::Discard);
            }
        });
    });
    answer
}

/// What the user did in the list of leftovers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListAnswer {
    Recover(usize),
    Discard(usize),
    Close,
}

/// File ▸ Recover Unsaved Work…: every leftover, naming its document and when it was written.
#[must_use]
pub fn recover_list_ui(ctx: &egui::Context, leftovers: &[Leftover]) -> Option<ListAnswer> {
    let mut answer = None;
    let modal = egui::Modal::new(Id::unique("recover list")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Recover Unsaved Work");
        if leftovers.is_empty() {
            ui.label("Nothing is waiting to be recovered.");
        } else {
            ui.label("Windows that closed without saving left this work. Recover it to open it, or discard it.");
        }
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            for (index, leftover) in leftovers.iter().enumerate() {
                ui.separator();
                ui.label(RichText::new(&leftover.document.name).strong());
                ui.label(format!(
                    "{} · written {}",
                    where_it_lives(leftover),
                    age(leftover.written)
                ));
                ui.horizontal(|ui| {
                    if ui.button("Recover").clicked() {
                        answer = Some(ListAnswer::Recover(index));
                    }
                    if ui.button("Discard").clicked() {
                        answer = Some(ListAnswer::Discard(index));
                    }
                });
            }
        });
        ui.separator();
        if ui.button("Close").clicked() {
            answer = Some(ListAnswer::Close);
        }
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(ListAnswer::Close);
    }
    answer
}

/// Where the work belongs: its project file, or the document it came from.
fn where_it_lives(leftover: &Leftover) -> String {
    match (&leftover.document.project_path, &leftover.document.source) {
        (Some(project), _) => project.display().to_string(),
        (None, Some(source)) => format!("not saved as a project yet; from {}", source.display()),
        (None, None) => "never saved".to_owned(),
    }
}

/// How long ago `time` was, in words.
#[must_use]
pub fn age(time: SystemTime) -> String {
    let Ok(elapsed) = SystemTime::now().duration_since(time) else {
        return "just now".to_owned();
    };
    let minutes = elapsed.as_secs() / 60;
    match minutes {
        0 => "just now".to_owned(),
        1 => "a minute ago".to_owned(),
        2..=59 => format!("{minutes} minutes ago"),
        60..=119 => "an hour ago".to_owned(),
        120..=2879 => format!("{} hours ago", minutes / 60),
        _ => format!("{} days ago", minutes / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn ages_are_said_in_words() {
        let ago = |secs| age(SystemTime::now() - Duration::from_secs(secs));
        assert_eq!(ago(5), "just now");
        assert_eq!(ago(90), "a minute ago");
        assert_eq!(ago(600), "10 minutes ago");
        assert_eq!(ago(3 * 3600), "3 hours ago");
        assert_eq!(ago(5 * 86400), "5 days ago");
    }
}
