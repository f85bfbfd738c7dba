//! How long the window takes to show a document, phase by phase, for
//! `cargo bench --bench startup`. With [`PROBE_VARIABLE`] set, the window
//! prints one line of timings once its first frame is on screen, then closes.

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
}

impl StartupProbe {
    /// A probe when the environment asks for one.
    #[must_use]
    pub fn from_env(started: Instant) -> Option<Self> {
        std::env::var_os(PROBE_VARIABLE).map(|_| Self {
            started,
            marks: Vec::new(),
            frames: 0,
        })
    }

    /// Records that a phase ended now.
    pub fn mark(&mut self, phase: &'static str) {
        self.marks.push((phase, self.started.elapsed()));
    }

    /// Called at the start of every frame. eframe paints and presents a frame
    /// right after its `ui` returns, so the start of the second frame is the
    /// first moment the first one is known to be on screen: then the timings
    /// are printed and the window closes.
    pub fn frame_started(&mut self, ctx: &egui::Context) {
        self.frames += 1;
        match self.frames {
            1 => self.mark("first_frame_started"),
            2 => {
                self.mark("first_frame_painted");
                println!("{}", self.line());
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            _ => {}
        }
    }

    /// Called at the end of every frame: asks for a second frame after the first.
    pub fn frame_ended(&mut self, ctx: &egui::Context) {
        if self.frames == 1 {
            self.mark("first_frame_laid_out");
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

    #[test]
    fn the_line_lists_phases_in_order() {
        let mut probe = StartupProbe {
            started: Instant::now(),
            marks: Vec::new(),
            frames: 0,
        };
        probe.mark("window");
        let ctx = egui::Context::default();
        probe.frame_started(&ctx);
        probe.frame_ended(&ctx);
        probe.frame_started(&ctx);
        let line = probe.line();
        assert!(line.starts_with(PROBE_PREFIX), "{line}");
        let names: Vec<&str> = line
            .split_whitespace()
            .skip(1)
            .map(|field| field.split_once("_ms=").unwrap().0)
            .collect();
        assert_eq!(
            names,
            [
                "window",
                "first_frame_started",
                "first_frame_laid_out",
                "first_frame_painted"
            ]
        );
    }
}
