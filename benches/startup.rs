//! `cargo bench --bench startup`: how long the editor takes from launch until
//! its first frame with a document is on screen, in a real window under Xvfb.
//!
//! Each run launches the release binary with the start-up probe on (see
//! `counterpoint::ui::startup`). `startup_ms` is measured from outside: from
//! just before the process is spawned until it reports, at the start of the
//! frame after the first one that showed the document, that this frame has
//! been painted and presented (a frame drawn while the document was still
//! being read does not count). The probe's own phases (from `ui::run`) show
//! where the time went. Without
//! Xvfb the benchmark says so and measures nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use counterpoint::ui::startup::{PROBE_PREFIX, PROBE_VARIABLE};

/// Launches per document: the machines this runs on are shared, and a median
/// of many is steadier than a median of few.
const RUNS: usize = 15;

fn main() {
    let Some(screen) = VirtualScreen::start() else {
        println!("startup: Xvfb is not installed (scripts/setup.sh installs it); nothing measured");
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let documents = [
        ("sample-article", copy_sample(folder.path())),
        ("multilingual-1MB", multilingual(folder.path(), 1_000_000)),
    ];
    for (name, document) in documents {
        // The first launch fills the page cache; it is not counted.
        launch(&screen, &document);
        let mut totals = Vec::new();
        let mut last_phases = String::new();
        for _ in 0..RUNS {
            let (total, phases) = launch(&screen, &document);
            totals.push(total);
            last_phases = phases;
        }
        totals.sort();
        let median = totals[totals.len() / 2];
        let fastest = totals[0];
        println!(
            "{name}: startup_ms={:.1} (median of {RUNS}; fastest {:.1}) phases from ui::run: {last_phases}",
            ms(median),
            ms(fastest)
        );
    }
}

/// Launches the editor on `document` and waits for its probe line: the time
/// to it, and the phases it lists.
fn launch(screen: &VirtualScreen, document: &Path) -> (Duration, String) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_counterpoint"))
        .arg(document)
        .env("DISPLAY", &screen.display)
        .env(PROBE_VARIABLE, "1")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the editor starts");
    let stdout = child.stdout.take().unwrap();
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.starts_with(PROBE_PREFIX))
        .expect("the editor reports its first frame");
    let total = started.elapsed();
    child.wait().ok();
    let phases = line.trim_start_matches(PROBE_PREFIX).trim().to_owned();
    (total, phases)
}

fn copy_sample(folder: &Path) -> PathBuf {
    let path = folder.join("article.txt");
    std::fs::copy("assets/examples/000_7713f654ee184543.txt", &path).unwrap();
    path
}

/// A text of about `size` bytes mixing Latin, Cyrillic, CJK, Arabic and emoji.
fn multilingual(folder: &Path, size: usize) -> PathBuf {
    let paragraph = "Prices exploded 👩\u{200d}💻 in Kyiv 🇺🇦; «Цены взлетели», 价格暴涨了 — ارتفعت الأسعار 🙂.\n";
    let path = folder.join("multilingual.txt");
    std::fs::write(&path, paragraph.repeat(size / paragraph.len() + 1)).unwrap();
    path
}

/// An Xvfb display of its own, stopped when dropped.
struct VirtualScreen {
    display: String,
    server: Child,
}

impl VirtualScreen {
    fn start() -> Option<Self> {
        let number = (90..200).find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })?;
        let display = format!(":{number}");
        let server = Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        for _ in 0..100 {
            if socket.exists() {
                std::thread::sleep(Duration::from_millis(100));
                return Some(Self { display, server });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for VirtualScreen {
    fn drop(&mut self) {
        self.server.kill().ok();
        self.server.wait().ok();
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
