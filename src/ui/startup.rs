//! How long the window takes to show a document, phase by phase, for
//! `cargo bench --bench startup`. With [`PROBE_VARIABLE`] set, the window
//! prints one line of timings once its first frame with the document (read
//! in the background) is on screen, then closes.

use std::time::{Duration, Instant};

/// The environment variable that turns the probe on.
pub const PROBE_VARIABLE: &str = "COUNTERPOINT_STARTUP_PROBE";

/// The start of the line the probe prints; the benchmark looks for it.
pub const PROBE_PREFIX: &str = "counterpoint-startup:";

/// Timestamps of the start-up phases, from when `ui::run` was entered.
pub struct StartupProbe {
    started: Instant,
    marks: Vec<(&'static str, Duration)>,
    frames: u32,
    /// Whether a frame that showed the document has been laid out.
    shown: bool,
}

impl StartupProbe {
    /// A probe when the environment asks for one.
    #[must_use]
    pub fn from_env(started: Instant) -> Option<Self> {
        std::env::var_os(PROBE_VARIABLE).map(|_| Self {
            started,
            marks: Vec::new(),
            frames: 0,
            shown: false,
        })
    }

    /// Records that a phase ended now.
    pub fn mark(&mut self, phase: &'static str) {
        self.mark_at(phase, Instant::now());
    }

    /// Records that a phase ended at `at`.
    pub fn mark_at(&mut self, phase: &'static str, at: Instant) {
        self.marks.push((phase, at.saturating_duration_since(self.started)));
    }

    /// Called at the start of every frame. eframe paints and presents a frame
    /// right after its `ui` returns, so the start of the next frame is the
    /// first moment a frame is known to be on screen: once the frame that
    /// showed the document is, the timings are printed and the window closes.
    pub fn frame_started(&mut self, ctx: &egui::Context) {
        self.frames += 1;
        if self.frames == 1 {
            self.mark("first_frame_started");
        }
        if self.shown
            && self
                .marks
                .last()
                .is_some_and(|(phase, _)| *phase == "document_laid_out")
        {
            self.mark("document_painted");
            println!("{}", self.line());
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Called at the end of every frame, with whether it showed the document
    /// (no read was running): asks for the next frame after the first such.
    pub fn frame_ended(&mut self, ctx: &egui::Context, shows_document: bool) {
        if self.frames == 1 {
            self.mark("first_frame_laid_out");
        }
        if shows_document && !self.shown {
            self.shown = true;
            self.mark("document_laid_out");
            ctx.request_repaint();
        }
    }

    /// `PREFIX phase_ms=… …`, in the order the phases ended.
    #[must_use]
    pub fn line(&self) -> String {
        let phases: Vec<String> = self
            .marks
            .iter()
            .map(|(phase, at)| format!("{phase}_ms={:.1}", at.as_secs_f64() * 1000.0))
            .collect();
        format!("{PROBE_PREFIX} {}", phases.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe() -> StartupProbe {
        StartupProbe {
            started: Instant::now(),
            marks: Vec::new(),
            frames: 0,
            shown: false,
        }
    }

    fn phases(probe: &StartupProbe) -> Vec<String> {
        let line = probe.line();
        assert!(line.starts_with(PROBE_PREFIX), "{line}");
        line.split_whitespace()
            .skip(1)
            .map(|field| field.split_once("_ms=").unwrap().0.to_owned())
            .collect()
    }

    #[test]
    fn the_line_lists_phases_in_order() {
        let mut probe = probe();
        probe.mark("window");
        let ctx = egui::Context::default();
        probe.frame_started(&ctx);
        probe.frame_ended(&ctx, true);
        probe.frame_started(&ctx);
        assert_eq!(
            phases(&probe),
            [
                "window",
                "first_frame_started",
                "first_frame_laid_out",
                "document_laid_out",
                "document_painted"
            ]
        );
    }

    #[test]
    fn frames_before_the_document_are_not_counted() {
        let mut probe = probe();
        let ctx = egui::Context::default();
        probe.frame_started(&ctx);
        probe.frame_ended(&ctx, false);
        probe.frame_started(&ctx);
        probe.frame_ended(&ctx, false);
        assert_eq!(phases(&probe), ["first_frame_started", "first_frame_laid_out"]);
        probe.frame_started(&ctx);
        probe.frame_ended(&ctx, true);
        probe.frame_started(&ctx);
        probe.frame_started(&ctx);
        assert_eq!(
            phases(&probe),
            [
                "first_frame_started",
                "first_frame_laid_out",
                "document_laid_out",
                "document_painted"
            ],
            "printed once"
        );
    }
}
