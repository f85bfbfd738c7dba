//! The progress box of background work: what runs, its step as a bar, the
//! time it has taken, what waits for it, and Cancel for a read. It shows
//! once work has run longer than a frame ([`super::AppOptions::progress_after`]).

use std::time::Duration;

use egui::{Align2, Id, Order, ProgressBar, RichText, Sense, Shape, Stroke, pos2, vec2};

use crate::ui::dialogs::Banner;
use crate::ui::jobs::Status;

use super::{CounterpointApp, Pending};

impl CounterpointApp {
    /// The progress box, while anything has run in the background longer than a frame.
    pub(super) fn progress_ui(&mut self, ctx: &egui::Context) {
        let statuses = self.background.statuses();
        if statuses.is_empty() {
            return;
        }
        // Polls the jobs, shows the box when it is due, and animates it.
        let after = self.options.progress_after;
        let due = statuses
            .iter()
            .map(|status| after.saturating_sub(status.elapsed))
            .min()
            .unwrap_or_default();
        ctx.request_repaint_after(if due.is_zero() {
            Duration::from_millis(50)
        } else {
            due.min(Duration::from_millis(50))
        });
        let statuses: Vec<Status> = statuses.into_iter().filter(|status| status.elapsed >= after).collect();
        if statuses.is_empty() {
            return;
        }
        let reading = self.background.reading();
        let then = self.after_save.as_ref().map(Pending::description);
        let again = self.background.save_queued();
        let mut cancel = false;
        egui::Area::new(Id::unique("background work"))
            .anchor(Align2::CENTER_BOTTOM, vec2(0.0, -40.0))
            .order(Order::Foreground)
            .fade_in(false)
            .interactable(true)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width(420.0);
                    for status in &statuses {
                        status_ui(ui, status);
                    }
                    if again {
                        ui.label("Then: saving again, for the changes made meanwhile.");
                    }
                    if let Some(then) = then {
                        ui.label(format!("Then: {then}."));
                    }
                    if reading {
                        ui.label(RichText::new("This document cannot be changed until then.").weak());
                        cancel = ui
                            .button("Cancel")
                            .on_hover_text("Keep working on this document")
                            .clicked();
                    }
                });
            });
        if cancel && let Some(title) = self.background.cancel_read() {
            self.banner = Some(Banner::Notice(format!(
                "{title} was cancelled; the document shown is unchanged."
            )));
        }
    }
}

/// One running job: a spinner, what it does, and its step as a bar.
fn status_ui(ui: &mut egui::Ui, status: &Status) {
    ui.horizontal(|ui| {
        spinner_ui(ui);
        ui.label(RichText::new(format!("{}…", status.title)).strong());
    });
    let count = if status.step_count.is_empty() {
        String::new()
    } else {
        format!(" ({})", status.step_count)
    };
    let text = format!("{}{count} · {:.1} s", status.step, status.elapsed.as_secs_f32());
    ui.add(ProgressBar::new(status.fraction).desired_width(360.0).text(text));
}

/// A turning arc, redrawn by the box's own repaint timer (egui's spinner
/// would redraw the whole window every frame).
fn spinner_ui(ui: &mut egui::Ui) {
    let size = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, _) = ui.allocate_exact_size(vec2(size, size), Sense::hover());
    let radius = size * 0.4;
    let turn = ui.input(|i| i.time) * std::f64::consts::TAU;
    let points = (0..=20)
        .map(|i| {
            let angle = turn + f64::from(i) / 20.0 * std::f64::consts::TAU * 0.75;
            #[allow(clippy::cast_possible_truncation)] // an angle on screen
            let (sin, cos) = (angle.sin() as f32, angle.cos() as f32);
            pos2(rect.center().x + radius * cos, rect.center().y + radius * sin)
        })
        .collect();
    ui.painter()
        .add(Shape::line(points, Stroke::new(2.0, ui.visuals().strong_text_color())));
}
