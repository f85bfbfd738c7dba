//! `cargo bench --bench scale`: open, frames, save, load and peak memory of the
//! real editor on generated documents of 100 KB to 5 MB with up to 100,000
//! annotations.
//!
//! Each case runs in a fresh child process (this binary re-run with `--case`)
//! so its peak RSS (`VmHWM`) is its own. Arguments after `--` filter cases by
//! name, e.g. `cargo bench --bench scale -- 5000KB`.
//!
//! `cargo bench --bench scale -- --write DIR [FILTER…]` measures nothing: it
//! saves the generated projects into DIR, to open and try in the real window.
//!
//! `en-5000KB-100000-20000rel` is the 5 MB, 100,000-annotation English case
//! with 20,000 relations among the annotations (issue 13).
//!
//! Every case also times edit frames (undo and redo of a tagged span), and
//! each 5 MB case has a `-saving` twin: Ctrl+S, then scrolling while the
//! project saves; its frame figures are the frames from Ctrl+S until the save
//! is done, and its save figure the time from Ctrl+S until then.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "scale/generate.rs"]
mod generate;

use std::process::Command;
use std::time::{Duration, Instant};

use counterpoint::model::span::Span;
use counterpoint::project_file;
use counterpoint::storage::Expect;
use counterpoint::ui::{AppOptions, CounterpointApp, OpenAs, Workspace};
use egui::{Event, Key, Modifiers, MouseWheelUnit, PointerButton, Pos2, RawInput, Rect, Vec2, pos2, vec2};
use generate::{Script, Spec};

const SIZES: [usize; 3] = [100_000, 1_000_000, 5_000_000];
const COUNTS: [usize; 3] = [0, 10_000, 100_000];
const SCREEN: Vec2 = Vec2::new(1280.0, 800.0);
/// The case with an argument map: 20,000 relations among the annotations of the 5 MB English document.
const RELATIONS_CASE: &str = "en-5000KB-100000-20000rel";
const RELATIONS: usize = 20_000;

/// What one case measured; printed as one JSON object.
struct Figures {
    name: String,
    script: &'static str,
    size_bytes: usize,
    annotations: usize,
    relations: usize,
    open_ms: f64,
    first_frame_ms: f64,
    frames: usize,
    frame_ms_median: f64,
    frame_ms_p95: f64,
    frame_ms_max: f64,
    /// Median of the frames that undo or redo an added annotation.
    edit_ms_median: f64,
    save_ms: f64,
    /// Not measured by a `-saving` case.
    load_ms: Option<f64>,
    peak_rss_mb: f64,
}

/// What a case does after opening the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Scroll, hover, select, tag; then time saves and loads on this thread.
    Steady,
    /// Tag, press Ctrl+S, and scroll until the save is done.
    Saving,
}

fn cases() -> Vec<(String, Spec, Kind)> {
    let mut cases = Vec::new();
    for script in [Script::English, Script::Multilingual] {
        for size_bytes in SIZES {
            for annotations in COUNTS {
                let script_name = if script == Script::English { "en" } else { "multi" };
                let name = format!("{script_name}-{}KB-{annotations}", size_bytes / 1000);
                let spec = Spec {
                    script,
                    size_bytes,
                    annotations,
                    seed: 0x5ca1e ^ size_bytes as u64 ^ (annotations as u64) << 32,
                };
                if size_bytes == 5_000_000 {
                    cases.push((format!("{name}-saving"), spec, Kind::Saving));
                }
                if format!("{name}-{RELATIONS}rel") == RELATIONS_CASE {
                    cases.push((RELATIONS_CASE.to_owned(), spec, Kind::Steady));
                }
                cases.push((name, spec, Kind::Steady));
            }
        }
    }
    cases
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [flag, name] = args.as_slice()
        && flag == "--case"
    {
        let (name, spec, kind) = cases().into_iter().find(|(n, ..)| n == name).expect("a known case");
        println!("{}", json(&run_case(&name, spec, kind)));
        return;
    }
    if let [flag, folder, filters @ ..] = args.as_slice()
        && flag == "--write"
    {
        write_cases(std::path::Path::new(folder), filters);
        return;
    }
    let exe = std::env::current_exe().expect("the bench binary knows its path");
    let mut results = Vec::new();
    for (name, ..) in cases() {
        if !args.is_empty() && !args.iter().any(|filter| name.contains(filter.as_str())) {
            continue;
        }
        let output = Command::new(&exe)
            .args(["--case", &name])
            .output()
            .expect("the case runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let Some(line) = stdout.lines().last().filter(|_| output.status.success()) else {
            eprintln!("{name} failed: {}", String::from_utf8_lossy(&output.stderr));
            continue;
        };
        eprintln!("{line}");
        results.push(line.to_owned());
    }
    print_table(&results);
    println!("[{}]", results.join(","));
}

fn write_cases(folder: &std::path::Path, filters: &[String]) {
    std::fs::create_dir_all(folder).unwrap();
    for (name, spec, kind) in cases() {
        if kind == Kind::Steady && (filters.is_empty() || filters.iter().any(|filter| name.contains(filter.as_str()))) {
            let path = folder.join(format!("{name}.ron"));
            project_file::save(&project_of(&name, spec), &path, &Expect::Anything).unwrap();
            println!("{}", path.display());
        }
    }
}

/// Links `count` random pairs of distinct annotations with the default
/// relation types (ids 1, 2, …), as an argument map of a long document has them.
fn add_relations(project: &mut counterpoint::model::project::Project, count: usize, seed: u64) {
    let mut rng = generate::Rng::new(seed);
    let ids: Vec<counterpoint::model::annotation::AnnotationId> = project.annotations().map(|a| a.id).collect();
    let kinds: Vec<_> = project.tag_set().relation_types.iter().map(|t| t.id.clone()).collect();
    if ids.len() < 2 || kinds.is_empty() {
        return;
    }
    let relations = (1..=count as u64)
        .map(|id| {
            let from = rng.below(ids.len());
            let to = (from + 1 + rng.below(ids.len() - 1)) % ids.len();
            counterpoint::model::relations::Relation {
                id: counterpoint::model::relations::RelationId(id),
                kind: kinds[rng.below(kinds.len())].clone(),
                from: ids[from],
                to: ids[to],
            }
        })
        .collect();
    project
        .set_relations(relations)
        .expect("generated relations link two distinct annotations");
}

/// The generated project of a case (with its relations, for the relations case).
fn project_of(name: &str, spec: Spec) -> counterpoint::model::project::Project {
    let mut project = generate::project(spec);
    if name == RELATIONS_CASE {
        add_relations(&mut project, RELATIONS, spec.seed);
    }
    project
}

fn run_case(name: &str, spec: Spec, kind: Kind) -> Figures {
    let folder = std::env::temp_dir().join(format!("counterpoint-bench-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("case.ron");
    let size_bytes;
    {
        let project = project_of(name, spec);
        size_bytes = project.text().len();
        project_file::save(&project, &path, &Expect::Anything).unwrap();
    }
    // Peak memory counts the editor at work, not the generator.
    std::fs::write("/proc/self/clear_refs", "5").ok();

    let started = Instant::now();
    let workspace = Workspace::open(&path, OpenAs::Auto).unwrap();
    // File work as in the window: left to run while frames go on.
    let window = AppOptions::for_user();
    let options = AppOptions {
        wait_for_work: window.wait_for_work,
        progress_after: window.progress_after,
        ..AppOptions::headless()
    };
    let mut app = CounterpointApp::new(Some(workspace), options);
    let ctx = egui::Context::default();
    counterpoint::ui::setup_context(&ctx);
    let mut driver = Driver { ctx, time: 0.0 };
    let first_frame = driver.frame(&mut app, Vec::new());
    let open = started.elapsed();

    let (frames, edits, save, load) = match kind {
        Kind::Steady => {
            let frames = drive(&mut driver, &mut app, spec.size_bytes >= 1_000_000);
            let edits = undo_redo(&mut driver, &mut app);
            let project = app.workspace().unwrap().project();
            // A save of identical bytes leaves the file untouched, so each timed save writes a new file.
            let mut run = 0;
            let save = median(3, || {
                run += 1;
                let target = folder.join(format!("saved-{run}.ron"));
                project_file::save(project, &target, &Expect::Absent).unwrap()
            });
            drop(app);
            let load = median(3, || project_file::load(&path).unwrap());
            (frames, edits, save, Some(load))
        }
        Kind::Saving => {
            tag_a_selection(&mut driver, &mut app);
            let edits = undo_redo(&mut driver, &mut app);
            let (frames, save) = scroll_while_saving(&mut driver, &mut app);
            assert!(
                !app.workspace().unwrap().has_unsaved_changes(),
                "the save finished and left nothing unsaved"
            );
            drop(app);
            (frames, edits, save, None)
        }
    };
    let peak_rss_mb = peak_rss_kb() as f64 / 1024.0;
    std::fs::remove_dir_all(&folder).ok();

    let sorted = sorted_ms(&frames);
    let percentile = |percent: usize| sorted[(sorted.len() - 1) * percent / 100];
    let edits = sorted_ms(&edits);
    Figures {
        name: name.to_owned(),
        script: if spec.script == Script::English {
            "english"
        } else {
            "multilingual"
        },
        size_bytes,
        annotations: spec.annotations,
        relations: if name == RELATIONS_CASE { RELATIONS } else { 0 },
        open_ms: ms(open),
        first_frame_ms: ms(first_frame),
        frames: sorted.len(),
        frame_ms_median: percentile(50),
        frame_ms_p95: percentile(95),
        frame_ms_max: percentile(100),
        edit_ms_median: edits[edits.len() / 2],
        save_ms: ms(save),
        load_ms: load.map(ms),
        peak_rss_mb,
    }
}

fn sorted_ms(frames: &[Duration]) -> Vec<f64> {
    let mut sorted: Vec<f64> = frames.iter().map(|d| ms(*d)).collect();
    sorted.sort_by(f64::total_cmp);
    sorted
}

/// Feeds the app input one frame at a time and times each frame's CPU work.
struct Driver {
    ctx: egui::Context,
    time: f64,
}

impl Driver {
    fn frame(&mut self, app: &mut CounterpointApp, events: Vec<Event>) -> Duration {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            events,
            ..RawInput::default()
        };
        let started = Instant::now();
        let output = self.ctx.run_ui(input, |ui| app.ui(ui));
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = started.elapsed();
        std::hint::black_box(primitives);
        elapsed
    }
}

/// The steady frames: scroll top to bottom (jumps plus wheel steps), hover
/// over annotations, drag a selection and tag it with a hotkey.
fn drive(driver: &mut Driver, app: &mut CounterpointApp, large: bool) -> Vec<Duration> {
    let mut frames = Vec::new();
    let text_len = app.workspace().unwrap().project().text().len();
    let centre = pos2(SCREEN.x * 0.4, SCREEN.y * 0.5);
    frames.push(driver.frame(app, vec![Event::PointerMoved(centre)]));
    let jumps = if large { 20 } else { 40 };
    for jump in 0..=jumps {
        let text = app.workspace().unwrap().project().text();
        let mut at = text_len * jump / jumps;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        app.reveal_span(Span::new(at, at));
        frames.push(driver.frame(app, Vec::new()));
        for _ in 0..3 {
            frames.push(driver.frame(app, vec![wheel(-240.0)]));
        }
    }
    app.reveal_span(Span::new(0, 0));
    frames.push(driver.frame(app, Vec::new()));
    for step in 0..60 {
        let x = 40.0 + (step % 12) as f32 * 60.0;
        let y = 80.0 + (step / 12) as f32 * 110.0;
        frames.push(driver.frame(app, vec![Event::PointerMoved(pos2(x, y))]));
    }
    frames.extend(tag_a_selection(driver, app));
    for _ in 0..5 {
        frames.push(driver.frame(app, Vec::new()));
    }
    frames
}

/// Drags a selection across a few lines of the text (right of the tag
/// palette) and tags it with hotkey 1: a new annotation.
fn tag_a_selection(driver: &mut Driver, app: &mut CounterpointApp) -> Vec<Duration> {
    let mut frames = Vec::new();
    let before = app_annotations(app);
    let from = pos2(300.0, 200.0);
    let to = pos2(620.0, 260.0);
    frames.push(driver.frame(app, vec![Event::PointerMoved(from), button(from, true)]));
    for step in 1..=8 {
        let at = from + (to - from) * (step as f32 / 8.0);
        frames.push(driver.frame(app, vec![Event::PointerMoved(at)]));
    }
    frames.push(driver.frame(app, vec![button(to, false)]));
    frames.push(driver.frame(app, key(Key::Num1)));
    assert_eq!(
        app_annotations(app),
        before + 1,
        "the selection was tagged as a new annotation"
    );
    frames
}

/// Undoes and redoes the last edit (an added annotation: its span leaves the
/// index and comes back) ten times; the time of each of those frames.
fn undo_redo(driver: &mut Driver, app: &mut CounterpointApp) -> Vec<Duration> {
    let mut frames = Vec::new();
    let before = app_annotations(app);
    for _ in 0..10 {
        frames.push(driver.frame(app, shortcut(Modifiers::COMMAND, Key::Z)));
        assert_eq!(app_annotations(app), before - 1, "the undo removed the tagged span");
        frames.push(driver.frame(app, shortcut(Modifiers::COMMAND, Key::Y)));
        assert_eq!(app_annotations(app), before, "the redo brought it back");
    }
    frames
}

fn app_annotations(app: &CounterpointApp) -> usize {
    app.workspace().unwrap().project().annotation_count()
}

/// Presses Ctrl+S and scrolls (wheel steps, and a jump every ten frames)
/// until the save is done, and for at least 60 frames: those frames, and the
/// time from Ctrl+S until the save was seen done.
fn scroll_while_saving(driver: &mut Driver, app: &mut CounterpointApp) -> (Vec<Duration>, Duration) {
    let text_len = app.workspace().unwrap().project().text().len();
    let started = Instant::now();
    let mut frames = vec![driver.frame(app, shortcut(Modifiers::COMMAND, Key::S))];
    let mut saved = None;
    let mut step = 0;
    while saved.is_none() || frames.len() < 60 {
        step += 1;
        if step % 10 == 0 {
            let text = app.workspace().unwrap().project().text();
            let mut at = (text_len / 37 * step) % text_len;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            app.reveal_span(Span::new(at, at));
        }
        frames.push(driver.frame(app, vec![wheel(-240.0)]));
        if saved.is_none() && !saving(app) {
            saved = Some(started.elapsed());
        }
        assert!(started.elapsed() < Duration::from_mins(2), "the save ended");
    }
    (frames, saved.unwrap_or_default())
}

/// Whether the app is still saving in the background.
fn saving(app: &CounterpointApp) -> bool {
    app.work_in_progress()
        .iter()
        .any(|work| work.title.starts_with("Saving"))
}

fn wheel(dy: f32) -> Event {
    Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    }
}

fn button(pos: Pos2, pressed: bool) -> Event {
    Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    }
}

fn key(key: Key) -> Vec<Event> {
    shortcut(Modifiers::NONE, key)
}

fn shortcut(modifiers: Modifiers, key: Key) -> Vec<Event> {
    [true, false]
        .map(|pressed| Event::Key {
            key,
            physical_key: Some(key),
            pressed,
            repeat: false,
            modifiers,
        })
        .to_vec()
}

/// The median time of `work`, not counting the drop of what it made.
fn median<T>(runs: usize, mut work: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let made = work();
            let elapsed = started.elapsed();
            drop(made);
            elapsed
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn json(f: &Figures) -> String {
    format!(
        "{{\"case\":\"{}\",\"text\":\"{}\",\"size_bytes\":{},\"annotations\":{},\"relations\":{},\"open_ms\":{:.1},\"first_frame_ms\":{:.2},\"frames\":{},\"frame_ms_median\":{:.2},\"frame_ms_p95\":{:.2},\"frame_ms_max\":{:.2},\"edit_ms_median\":{:.2},\"save_ms\":{:.1},\"load_ms\":{},\"peak_rss_mb\":{:.1}}}",
        f.name,
        f.script,
        f.size_bytes,
        f.annotations,
        f.relations,
        f.open_ms,
        f.first_frame_ms,
        f.frames,
        f.frame_ms_median,
        f.frame_ms_p95,
        f.frame_ms_max,
        f.edit_ms_median,
        f.save_ms,
        f.load_ms.map_or_else(|| "null".to_owned(), |load| format!("{load:.1}")),
        f.peak_rss_mb
    )
}

fn print_table(lines: &[String]) {
    println!(
        "{:<25} {:>10} {:>7} {:>9} {:>9} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "case",
        "bytes",
        "annots",
        "open ms",
        "1st fr",
        "frames",
        "fr med",
        "fr p95",
        "fr max",
        "edit fr",
        "save ms",
        "load ms",
        "peak MB"
    );
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let number = |key: &str| value[key].as_f64().unwrap_or(f64::NAN);
        println!(
            "{:<25} {:>10} {:>7} {:>9.1} {:>9.2} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.1} {:>8} {:>8.1}",
            value["case"].as_str().unwrap_or("?"),
            number("size_bytes"),
            number("annotations"),
            number("open_ms"),
            number("first_frame_ms"),
            number("frames"),
            number("frame_ms_median"),
            number("frame_ms_p95"),
            number("frame_ms_max"),
            number("edit_ms_median"),
            number("save_ms"),
            value["load_ms"]
                .as_f64()
                .map_or_else(|| "-".to_owned(), |load| format!("{load:.1}")),
            number("peak_rss_mb")
        );
    }
}
