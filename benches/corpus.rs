//! `cargo bench --bench corpus`: a corpus of 2,000 documents, 100 MB of text
//! and 1,000,000 annotations (issue 12), opened, searched and counted.
//!
//! The corpus is generated once per run into a temp folder (or into
//! `CORPUS_BENCH_DIR`, kept and reused when it already holds one of the same
//! size): sizes from 2 KB to 1 MB, most of them small, one document in three
//! multilingual, one in a hundred a text file not started yet, annotations
//! in proportion to size (the generator of `benches/scale`). `CORPUS_BENCH_SCALE`
//! (say `0.05`) makes a smaller corpus for a quick run.
//!
//! Each case runs in a fresh child process (this binary re-run with `--case`)
//! so its peak RSS (`VmHWM`) is its own, and prints one JSON line. Arguments
//! after `--` filter cases by name. Cases so far:
//! - `open-cold`: no summary cache (every project file read), then stats,
//!   the index and the two searches;
//! - `open-warm`: the same with the cache the cold case left;
//! - `import-dir`: `import_dir_ms`, the command line's import of the
//!   corpus's SemEval-layout twin (made first, not timed) into a new corpus;
//! - `switch-document`: the editor, headless, opens the corpus (warm cache)
//!   and goes down its list with Ctrl+PageDown; `switch_document_ms` is
//!   from the key until the next document is drawn (two frames: the one
//!   that takes the key and reads the document, the one that shows it),
//!   median and p95 over [`SWITCHES`] documents never opened before (the
//!   slow case: a document seen before is kept in memory).
//!
//! `open_corpus_ms` is the scan until the document list can be shown;
//! `index_load_ms` loads every text and annotation (in the background in
//! the window); `search_text_ms` (a word, any case) and `search_tag_ms` run
//! on the loaded index; `stats_ms` counts from the scan. The files are in the
//! system's page cache in every case (they were just written): "cold" is
//! about the summary cache only.
//!
//! More cases (the window's document switch, the CLI's import) go in
//! [`CASES`]: a name and a function that fills in its figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]
// Sizes are scaled as floating point and rounded back to small positive counts.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]

#[path = "scale/generate.rs"]
mod generate;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use counterpoint::corpus::import::{self, Layout};
use counterpoint::corpus::manifest::Manifest;
use counterpoint::corpus::scan::scan_with_cache;
use counterpoint::corpus::{CorpusIndex, CorpusStats, Progress, Query, search};
use counterpoint::formats::semeval;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::project_file;
use counterpoint::storage::Expect;
use counterpoint::ui::corpus::CorpusSession;
use counterpoint::ui::{AppOptions, CounterpointApp};
use generate::{Rng, Script, Spec};

const DOCUMENTS: usize = 2_000;
const SIZE_BYTES: usize = 100_000_000;
const ANNOTATIONS: usize = 1_000_000;
const SMALLEST: usize = 2_000;
const LARGEST: usize = 1_000_000;

/// Where a case finds the corpus, and what it holds.
struct Setup {
    root: PathBuf,
    cache_dir: PathBuf,
}

/// One case's figures, in the order they are printed.
#[derive(Default)]
struct Figures(Vec<(&'static str, String)>);

impl Figures {
    fn number(&mut self, key: &'static str, value: impl std::fmt::Display) {
        self.0.push((key, value.to_string()));
    }

    fn ms(&mut self, key: &'static str, duration: Duration) {
        self.0.push((key, format!("{:.1}", duration.as_secs_f64() * 1000.0)));
    }

    fn json(&self, case: &str) -> String {
        let mut line = format!("{{\"case\":\"{case}\"");
        for (key, value) in &self.0 {
            let _ = write!(line, ",\"{key}\":{value}");
        }
        line.push('}');
        line
    }
}

/// The cases: a name and what it measures. The parent clears the summary
/// cache before every case whose name ends in `-cold`.
const CASES: &[Case] = &[
    ("open-cold", open_and_use),
    ("open-warm", open_and_use),
    ("import-dir", import_semeval_twin),
    ("switch-document", switch_documents),
];

/// How many documents the switch case goes through.
const SWITCHES: usize = 200;

/// The editor's window size in the switch case.
const SCREEN: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// Feeds the headless editor one frame at a time.
struct Driver {
    ctx: egui::Context,
    time: f64,
}

impl Driver {
    fn frame(&mut self, app: &mut CounterpointApp, events: Vec<egui::Event>) {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            events,
            ..egui::RawInput::default()
        };
        let output = self.ctx.run_ui(input, |ui| app.ui(ui));
        std::hint::black_box(self.ctx.tessellate(output.shapes, output.pixels_per_point));
    }
}

/// The editor opens the corpus and goes from document to document with Ctrl+PageDown.
fn switch_documents(setup: &Setup, figures: &mut Figures) {
    // File work waited for in full, so each read lands in the frame that starts it.
    let options = AppOptions {
        cache_dir: Some(setup.cache_dir.clone()),
        ..AppOptions::headless()
    };
    let mut app = CounterpointApp::new(None, options);
    let ctx = egui::Context::default();
    counterpoint::ui::setup_context(&ctx);
    let mut driver = Driver { ctx, time: 0.0 };
    let started = Instant::now();
    app.open_folder(&setup.root);
    driver.frame(&mut app, Vec::new());
    driver.frame(&mut app, Vec::new());
    let open = started.elapsed();
    let documents = app.corpus().expect("the corpus opened").len();
    let key = egui::Event::Key {
        key: egui::Key::PageDown,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    };
    let mut switches = Vec::new();
    for _ in 0..SWITCHES.min(documents.saturating_sub(1)) {
        let before = app.corpus().and_then(CorpusSession::current);
        let started = Instant::now();
        driver.frame(&mut app, vec![key.clone()]);
        driver.frame(&mut app, Vec::new());
        switches.push(started.elapsed());
        assert_ne!(
            app.corpus().and_then(CorpusSession::current),
            before,
            "the next document shows"
        );
    }
    switches.sort();
    let at = |percent: usize| switches[(switches.len() - 1) * percent / 100];
    figures.number("documents", documents);
    figures.ms("open_window_ms", open);
    figures.number("switches", switches.len());
    figures.ms("switch_document_ms", at(50));
    figures.ms("switch_document_p95_ms", at(95));
    figures.ms("switch_document_max_ms", at(100));
}

/// A case's name and the function that measures it.
type Case = (&'static str, fn(&Setup, &mut Figures));

/// Opens the corpus, counts it, loads the index and searches it.
fn open_and_use(setup: &Setup, figures: &mut Figures) {
    let progress = Progress::new();
    let started = Instant::now();
    let corpus = scan_with_cache(&setup.root, &progress, Some(&setup.cache_dir)).unwrap();
    let open = started.elapsed();
    let started = Instant::now();
    let stats = CorpusStats::of(&corpus);
    let stats_time = started.elapsed();
    let started = Instant::now();
    let index = CorpusIndex::load(&corpus, &progress).unwrap();
    let index_load = started.elapsed();
    let word = Query::Text {
        pattern: "evidence".into(),
        regex: false,
        case_sensitive: false,
    };
    let started = Instant::now();
    let text_hits = search(&index, &word, &progress).unwrap();
    let search_text = started.elapsed();
    let tag = Query::Tag(TagId("Loaded_Language".into()));
    let started = Instant::now();
    let tag_hits = search(&index, &tag, &progress).unwrap();
    let search_tag = started.elapsed();

    assert_eq!(corpus.documents.len(), index.documents.len());
    assert!(index.documents.iter().all(|document| document.problem.is_none()));
    let annotations: usize = corpus.documents.iter().map(|document| document.annotations).sum();
    assert_eq!(annotations, index.annotation_count());
    assert_eq!(
        tag_hits.count,
        stats
            .per_tag
            .iter()
            .find(|stat| stat.tag.0 == "Loaded_Language")
            .unwrap()
            .spans
    );
    figures.number("documents", corpus.documents.len());
    figures.number("size_bytes", index.size_bytes());
    figures.number("annotations", annotations);
    figures.ms("open_corpus_ms", open);
    figures.ms("stats_ms", stats_time);
    figures.ms("index_load_ms", index_load);
    figures.ms("search_text_ms", search_text);
    figures.number("text_hits", text_hits.count);
    figures.ms("search_tag_ms", search_tag);
    figures.number("tag_hits", tag_hits.count);
}

/// Writes the corpus's SemEval-layout twin into a temp folder (not timed):
/// `train-articles/article<N>.txt` with the article's bytes and
/// `train-labels-task2-technique-classification/article<N>.task2-TC.labels`
/// (a document not started is an article without labels); then times
/// `counterpoint import TWIN --format semeval -o CORPUS` as the command line
/// runs it ([`import::import_dir`], in this process so the peak RSS is the
/// import's).
fn import_semeval_twin(setup: &Setup, figures: &mut Figures) {
    let progress = Progress::new();
    let corpus = scan_with_cache(&setup.root, &progress, None).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let twin = temp.path().join("semeval");
    let articles = twin.join("train-articles");
    let labels = twin.join("train-labels-task2-technique-classification");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::create_dir_all(&labels).unwrap();
    let mut twin_bytes = 0;
    for (number, document) in corpus.documents.iter().enumerate() {
        let name = format!("article{}", 100_000 + number);
        let text_path = articles.join(format!("{name}.txt"));
        match (&document.project, &document.text) {
            (Some(path), _) => {
                let mut project = project_file::load(path).unwrap();
                project.set_source_path(Some(text_path.display().to_string()));
                let exported = semeval::FORMAT.export(&project).unwrap();
                let text = exported.text.unwrap();
                twin_bytes += text.len();
                std::fs::write(&text_path, text).unwrap();
                std::fs::write(labels.join(format!("{name}.task2-TC.labels")), exported.main).unwrap();
            }
            (None, Some(text)) => {
                twin_bytes += std::fs::copy(text, &text_path).unwrap() as usize;
            }
            (None, None) => {}
        }
    }
    let output = temp.path().join("imported");
    let started = Instant::now();
    let report = import::import_dir(&twin, Layout::SemEval, &output, false, &progress).unwrap();
    let import_time = started.elapsed();
    assert_eq!(report.documents, corpus.documents.len());
    figures.number("documents", report.documents);
    figures.number("size_bytes", twin_bytes);
    figures.number("annotations", report.annotations);
    figures.number("warnings", report.warnings.len());
    figures.ms("import_dir_ms", import_time);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [flag, name, root, cache_dir] = args.as_slice()
        && flag == "--case"
    {
        let (_, run) = CASES.iter().find(|(case, _)| case == name).expect("a known case");
        let setup = Setup {
            root: root.into(),
            cache_dir: cache_dir.into(),
        };
        let mut figures = Figures::default();
        run(&setup, &mut figures);
        figures.number("peak_rss_mb", format!("{:.1}", peak_rss_kb() as f64 / 1024.0));
        println!("{}", figures.json(name));
        return;
    }
    let scale: f64 = std::env::var("CORPUS_BENCH_SCALE")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1.0);
    let temp = tempfile::tempdir().unwrap();
    let root = std::env::var_os("CORPUS_BENCH_DIR").map_or_else(|| temp.path().join("corpus"), PathBuf::from);
    let started = Instant::now();
    let generated = generate_corpus(&root, scale);
    eprintln!(
        "{} {} in {:.1} s",
        if generated { "generated" } else { "reused" },
        root.display(),
        started.elapsed().as_secs_f64()
    );
    let cache_dir = temp.path().join("cache");
    let exe = std::env::current_exe().expect("the bench binary knows its path");
    for (name, _) in CASES {
        if !args.is_empty() && !args.iter().any(|filter| name.contains(filter.as_str())) {
            continue;
        }
        if name.ends_with("-cold") {
            let _ = std::fs::remove_dir_all(&cache_dir);
        }
        let output = Command::new(&exe)
            .arg("--case")
            .arg(name)
            .arg(&root)
            .arg(&cache_dir)
            .output()
            .expect("the case runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        match stdout.lines().last().filter(|_| output.status.success()) {
            Some(line) => println!("{line}"),
            None => eprintln!("{name} failed: {}", String::from_utf8_lossy(&output.stderr)),
        }
    }
}

/// Document sizes from 2 KB to 1 MB, most small (log-uniform, then scaled
/// to add up to the total), the same on every run.
fn sizes(documents: usize, total: usize) -> Vec<usize> {
    let mut rng = Rng::new(0xc0_4905);
    let span = (LARGEST as f64 / SMALLEST as f64).ln();
    let mut sizes: Vec<f64> = (0..documents)
        .map(|_| {
            let uniform = rng.below(1_000_000) as f64 / 1_000_000.0;
            // Squared: more small documents than a plain log-uniform spread.
            SMALLEST as f64 * (span * uniform * uniform).exp()
        })
        .collect();
    for _ in 0..20 {
        let sum: f64 = sizes.iter().sum();
        let factor = total as f64 / sum;
        for size in &mut sizes {
            *size = (*size * factor).clamp(SMALLEST as f64, LARGEST as f64);
        }
    }
    sizes.into_iter().map(|size| size as usize).collect()
}

/// Writes the corpus at `root` unless it already holds one of this scale
/// (its manifest's name says which); true when it wrote it.
fn generate_corpus(root: &Path, scale: f64) -> bool {
    let documents = ((DOCUMENTS as f64 * scale) as usize).max(10);
    let total = (SIZE_BYTES as f64 * scale) as usize;
    let annotations = (ANNOTATIONS as f64 * scale) as usize;
    let name = format!("bench corpus: {documents} documents, {total} bytes, {annotations} annotations");
    if Manifest::load(root).is_ok_and(|manifest| manifest.name == name) {
        return false;
    }
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).unwrap();
    Manifest {
        name,
        tag_set: TagSet::default_set(),
    }
    .save(root, &Expect::Anything)
    .unwrap();
    let sizes = sizes(documents, total);
    let started: usize = sizes
        .iter()
        .enumerate()
        .filter(|(n, _)| n % 100 != 99)
        .map(|(_, s)| s)
        .sum();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..std::thread::available_parallelism().map_or(1, std::num::NonZero::get) {
            scope.spawn(|| {
                loop {
                    let number = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&size_bytes) = sizes.get(number) else { break };
                    let spec = Spec {
                        script: if number % 3 == 2 {
                            Script::Multilingual
                        } else {
                            Script::English
                        },
                        size_bytes,
                        annotations: size_bytes * annotations / started.max(1),
                        seed: 0xc0_4905 ^ number as u64,
                    };
                    let project = generate::project(spec);
                    // Ten sub-folders, as a corpus collected over time might have.
                    let folder = root.join(format!("batch-{:02}", number % 10));
                    std::fs::create_dir_all(&folder).unwrap();
                    let stem = format!("article-{number:05}");
                    if number % 100 == 99 {
                        std::fs::write(folder.join(format!("{stem}.txt")), project.text()).unwrap();
                    } else {
                        // Written plainly (no fsync, no backup): these are throwaway files.
                        let text = project_file::to_ron_string(&project).unwrap();
                        std::fs::write(folder.join(format!("{stem}.ron")), text).unwrap();
                    }
                }
            });
        }
    });
    true
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
