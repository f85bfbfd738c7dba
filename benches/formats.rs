//! `cargo bench --bench formats`: import and export of every interchange
//! format on a generated 5 MB text with 100,000 annotations, in English-like
//! and multilingual text (Cyrillic, CJK, emoji), printing the median time
//! (CPU time of the working thread, and wall time) and the peak memory of each.
//!
//! The parent writes each format's input files once (with the program's own
//! exports; doccano and Label Studio files the way those tools write them);
//! each case then runs in a fresh child process (this binary re-run with
//! `--case`) so its peak RSS (`VmHWM`) is its own: an import reads its files
//! and imports them; an export loads the project and, after resetting the
//! peak, exports it. Arguments after `--` filter cases by name, e.g.
//! `cargo bench --bench formats -- w3c`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "scale/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use counterpoint::formats::{self, Format, ImportShape, on_disk};
use counterpoint::model::offsets::OffsetIndex;
use counterpoint::model::project::Project;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::project_file;
use counterpoint::storage::Expect;
use generate::{Script, Spec};
use serde_json::json;

const SIZE_BYTES: usize = 5_000_000;
const ANNOTATIONS: usize = 100_000;
const RUNS: usize = 3;

/// One case: a format, a direction, a script.
struct Case {
    name: String,
    format: &'static Format,
    import: bool,
    script: Script,
}

fn script_name(script: Script) -> &'static str {
    if script == Script::English { "en" } else { "multi" }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for script in [Script::English, Script::Multilingual] {
        for format in formats::FORMATS {
            let directions = [
                (true, format.import_shape() != ImportShape::ExportOnly),
                (false, format.writer.is_some()),
            ];
            for (import, possible) in directions {
                if possible {
                    let direction = if import { "import" } else { "export" };
                    cases.push(Case {
                        name: format!("{}-{direction}-{}", format.name, script_name(script)),
                        format,
                        import,
                        script,
                    });
                }
            }
        }
    }
    cases
}

fn spec(script: Script) -> Spec {
    Spec {
        script,
        size_bytes: SIZE_BYTES,
        annotations: ANNOTATIONS,
        seed: 0xf0_4a7 ^ script_name(script).len() as u64,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [flag, name, folder] = args.as_slice()
        && flag == "--case"
    {
        let case = cases().into_iter().find(|c| &c.name == name).expect("a known case");
        println!("{}", run_case(&case, Path::new(folder)));
        return;
    }
    let chosen: Vec<Case> = cases()
        .into_iter()
        .filter(|case| args.is_empty() || args.iter().any(|filter| case.name.contains(filter.as_str())))
        .collect();
    let folder = std::env::temp_dir().join(format!("counterpoint-bench-formats-{}", std::process::id()));
    for script in [Script::English, Script::Multilingual] {
        if chosen.iter().any(|case| case.script == script) {
            write_inputs(script, &folder.join(script_name(script)));
        }
    }
    let exe = std::env::current_exe().expect("the bench binary knows its path");
    let mut results = Vec::new();
    for case in &chosen {
        let output = Command::new(&exe)
            .args([
                "--case",
                &case.name,
                &folder.join(script_name(case.script)).display().to_string(),
            ])
            .output()
            .expect("the case runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let Some(line) = stdout.lines().last().filter(|_| output.status.success()) else {
            eprintln!("{} failed: {}", case.name, String::from_utf8_lossy(&output.stderr));
            continue;
        };
        eprintln!("{line}");
        results.push(line.to_owned());
    }
    std::fs::remove_dir_all(&folder).ok();
    print_table(&results);
    println!("[{}]", results.join(","));
}

/// The project as a `.ron`, and each format's input files, in `folder`.
fn write_inputs(script: Script, folder: &Path) {
    std::fs::create_dir_all(folder).unwrap();
    let project = generate::project(spec(script));
    project_file::save(&project, &folder.join("project.ron"), &Expect::Anything).unwrap();
    for format in formats::FORMATS {
        if format.import_shape() == ImportShape::Standoff {
            let exported = format.export(&project).unwrap();
            std::fs::write(folder.join(format!("{}.annotations", format.name)), &exported.main).unwrap();
            let text = exported.text.unwrap_or_else(|| project.exported_source().unwrap());
            std::fs::write(folder.join(format!("{}.txt", format.name)), text).unwrap();
        }
    }
    std::fs::write(folder.join("doccano.json"), doccano_file(&project)).unwrap();
    std::fs::write(folder.join("label-studio.json"), label_studio_file(&project)).unwrap();
}

/// A doccano 1.5+ JSONL line: UTF-16 offsets.
fn doccano_file(project: &Project) -> String {
    let text = project.text();
    let index = OffsetIndex::new(text);
    let utf16 = |offset| index.byte_to_utf16(text, offset).unwrap().0;
    let labels: Vec<serde_json::Value> = project
        .annotations()
        .map(|a| {
            let tag = a.tags.first().map_or("Claim", |t| t.as_str());
            json!([utf16(a.span.start), utf16(a.span.end), tag])
        })
        .collect();
    format!("{}\n", json!({"id": 1, "text": text, "label": labels}))
}

/// A Label Studio 1.4+ JSON export of one task: code points, each region with its text.
fn label_studio_file(project: &Project) -> String {
    let text = project.text();
    let index = OffsetIndex::new(text);
    let chars = |offset| index.byte_to_char(text, offset).unwrap().0;
    let results: Vec<serde_json::Value> = project
        .annotations()
        .map(|a| {
            let labels: Vec<&str> = a.tags.iter().map(TagId::as_str).collect();
            json!({"id": format!("r{}", a.id.0), "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": chars(a.span.start), "end": chars(a.span.end),
                          "text": a.span.quote(text).unwrap(), "labels": labels}})
        })
        .collect();
    json!([{"id": 1, "data": {"text": text}, "annotations": [{"id": 1, "result": results}]}]).to_string()
}

/// The files a case reads: the text (or the one file) and the annotation file.
fn inputs(format: &Format, folder: &Path) -> (PathBuf, Option<PathBuf>) {
    match format.import_shape() {
        ImportShape::Standoff => (
            folder.join(format!("{}.txt", format.name)),
            Some(folder.join(format!("{}.annotations", format.name))),
        ),
        _ => (folder.join(format!("{}.json", format.name)), None),
    }
}

fn run_case(case: &Case, folder: &Path) -> String {
    let (times, annotations) = if case.import {
        let (file, annotations) = inputs(case.format, folder);
        let mut count = 0;
        let duration = median(|| {
            let read =
                on_disk::import_files(case.format, &file, annotations.as_deref(), TagSet::default_set()).unwrap();
            count = read.imported.project.annotation_count();
            read
        });
        (duration, count)
    } else {
        let project = project_file::load(&folder.join("project.ron")).unwrap();
        // Peak memory counts the export at work, not the loading.
        std::fs::write("/proc/self/clear_refs", "5").ok();
        (
            median(|| case.format.export(&project).unwrap()),
            project.annotation_count(),
        )
    };
    format!(
        "{{\"case\":\"{}\",\"size_bytes\":{SIZE_BYTES},\"annotations\":{annotations},\"cpu_ms\":{:.1},\"wall_ms\":{:.1},\"peak_rss_mb\":{:.1}}}",
        case.name,
        times.cpu.as_secs_f64() * 1000.0,
        times.wall.as_secs_f64() * 1000.0,
        peak_rss_kb() as f64 / 1024.0
    )
}

/// The median CPU time and wall time of [`RUNS`] runs of `work`, not
/// counting the drop of what it made. CPU time is what to compare: on a
/// shared machine the wall time also counts waiting for a core.
fn median<T>(mut work: impl FnMut() -> T) -> Times {
    let mut cpu = Vec::new();
    let mut wall = Vec::new();
    for _ in 0..RUNS {
        let (started, cpu_started) = (Instant::now(), thread_cpu_ns());
        let made = work();
        wall.push(started.elapsed());
        cpu.push(Duration::from_nanos(thread_cpu_ns() - cpu_started));
        drop(made);
    }
    cpu.sort();
    wall.sort();
    Times {
        cpu: cpu[RUNS / 2],
        wall: wall[RUNS / 2],
    }
}

/// CPU time and wall time of a case.
struct Times {
    cpu: Duration,
    wall: Duration,
}

/// The CPU time this thread has used, in nanoseconds (Linux scheduler statistics).
fn thread_cpu_ns() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    stat.split_whitespace()
        .next()
        .and_then(|ns| ns.parse().ok())
        .unwrap_or(0)
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn print_table(lines: &[String]) {
    println!(
        "{:<26} {:>8} {:>9} {:>9} {:>9}",
        "case", "annots", "cpu ms", "wall ms", "peak MB"
    );
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let number = |key: &str| value[key].as_f64().unwrap_or(f64::NAN);
        println!(
            "{:<26} {:>8} {:>9.1} {:>9.1} {:>9.1}",
            value["case"].as_str().unwrap_or("?"),
            number("annotations"),
            number("cpu_ms"),
            number("wall_ms"),
            number("peak_rss_mb")
        );
    }
}
