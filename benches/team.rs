//! `cargo bench --bench team`: agreement, diff and the `git diff` listing on
//! 5 MB projects with 100,000 annotations: one generated project (the first
//! annotator) and copies another annotator might have made of the same text
//! (a tenth dropped, a tenth with a boundary moved by a word, a twentieth
//! retagged, ten thousand added, every id renumbered). Prints one JSON object
//! per case with the median of three runs; `load_ms` is reading the saved
//! project files, which `counterpoint agree` and `diff` do first; `curate_*`
//! is adjudication (`team::curation`). Arguments
//! after `--` filter cases by name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "scale/generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use counterpoint::model::annotation::{Annotation, AnnotationId};
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::project_file;
use counterpoint::storage::Expect;
use counterpoint::team::curation::{Choice, Curation};
use counterpoint::team::{agreement::agreement, diff::diff, textconv::listing};
use generate::{Rng, Script, Spec};

const SIZE_BYTES: usize = 5_000_000;
const ANNOTATIONS: usize = 100_000;
const ADDED: usize = 10_000;

fn main() {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|filter| name.contains(filter.as_str()));
    let spec = Spec {
        script: Script::English,
        size_bytes: SIZE_BYTES,
        annotations: ANNOTATIONS,
        seed: 0x7ea_3000,
    };
    let first = generate::project(spec);
    let second = another_annotator(&first, 2);
    let third = another_annotator(&first, 3);
    let size = first.text().len();

    if wanted("load") {
        let folder = tempfile::tempdir().unwrap();
        let paths: Vec<_> = [&first, &second]
            .iter()
            .enumerate()
            .map(|(index, project)| {
                let path = folder.path().join(format!("annotator-{index}.ron"));
                project_file::save(project, &path, &Expect::Absent).unwrap();
                path
            })
            .collect();
        let time = median(|| {
            for path in &paths {
                project_file::load(path).unwrap();
            }
        });
        report("load-2-en-5000KB-100000", size, "load_ms", time, "");
    }
    if wanted("agree-2") {
        let mut figures = None;
        let time = median(|| figures = Some(agreement(&[&first, &second]).unwrap()));
        let figures = figures.unwrap();
        let alpha = figures.group_overall.alpha_u.unwrap();
        let kappa = figures.pairs[0].overall.cohen_characters.unwrap();
        let extra = format!(",\"alpha_u\":{alpha:.4},\"cohen_kappa_characters\":{kappa:.4}");
        report("agree-2-en-5000KB-100000", size, "agree_ms", time, &extra);
    }
    if wanted("agree-3") {
        let mut figures = None;
        let time = median(|| figures = Some(agreement(&[&first, &second, &third]).unwrap()));
        let fleiss = figures.unwrap().group_overall.fleiss_tokens.unwrap();
        let extra = format!(",\"fleiss_kappa_tokens\":{fleiss:.4}");
        report("agree-3-en-5000KB-100000", size, "agree_ms", time, &extra);
    }
    if wanted("diff") {
        let mut changes = 0;
        let time = median(|| changes = diff(&first, &second).unwrap().annotations.len());
        report(
            "diff-en-5000KB-100000",
            size,
            "diff_ms",
            time,
            &format!(",\"changes\":{changes}"),
        );
    }
    if wanted("curate") {
        // Comparing for adjudication, then what the curated project holds in
        // every disagreement (once per edit in the window), then one choice.
        let mut curation = None;
        let time = median(|| curation = Some(Curation::new(vec![first.clone(), second.clone()]).unwrap()));
        let curation = curation.unwrap();
        let count = curation.disagreements().len();
        report(
            "curate-2-en-5000KB-100000",
            size,
            "curate_ms",
            time,
            &format!(",\"disagreements\":{count}"),
        );
        let curated = curation.curated_start();
        let mut held = 0;
        let time = median(|| held = curation.held_everywhere(curated).len());
        report(
            "curate-held-en-5000KB-100000",
            size,
            "held_ms",
            time,
            &format!(",\"disagreements\":{held}"),
        );
        let mut accepted = false;
        let time = median(|| accepted = curation.accept(curated, count / 2, Choice::All).is_some());
        report(
            "curate-accept-en-5000KB-100000",
            size,
            "accept_ms",
            time,
            &format!(",\"edit\":{accepted}"),
        );
    }
    if wanted("textconv") {
        let mut bytes = 0;
        let time = median(|| bytes = listing(&first).len());
        report(
            "textconv-en-5000KB-100000",
            size,
            "textconv_ms",
            time,
            &format!(",\"bytes\":{bytes}"),
        );
    }
}

/// Another annotator's version of `project`: see the module docs.
fn another_annotator(project: &Project, seed: u64) -> Project {
    let text = project.text();
    let mut rng = Rng::new(seed);
    let tags = &project.tag_set().tags;
    let mut annotations: Vec<Annotation> = Vec::with_capacity(ANNOTATIONS + ADDED);
    for annotation in project.annotations() {
        let mut copy = annotation.clone();
        match rng.below(20) {
            0 | 1 => continue,
            2 | 3 => copy.span = moved_by_a_word(text, copy.span, rng.below(4)),
            4 => copy.tags = vec![tags[rng.below(tags.len())].id.clone()],
            _ => {}
        }
        annotations.push(copy);
    }
    let words: Vec<usize> = text.match_indices(' ').map(|(at, _)| at + 1).collect();
    for _ in 0..ADDED {
        let start = words[rng.below(words.len())];
        let end = word_end(text, start);
        let mut added = Annotation::new(AnnotationId(0), Span::new(start, end));
        added.tags.push(tags[rng.below(tags.len())].id.clone());
        annotations.push(added);
    }
    // Numbered in another order, as an annotator working independently would have.
    for index in (1..annotations.len()).rev() {
        annotations.swap(index, rng.below(index + 1));
    }
    for (number, annotation) in annotations.iter_mut().enumerate() {
        annotation.id = AnnotationId(number as u64 + 1);
    }
    let source = SourceInfo::of_text(text);
    Project::from_parts(text.to_owned(), source, project.tag_set().clone(), annotations).unwrap()
}

/// The end of the word that starts at `start`.
fn word_end(text: &str, start: usize) -> usize {
    text[start..].find([' ', '\n']).map_or(text.len(), |end| start + end)
}

/// The span with one boundary moved by a word: 0 start earlier, 1 start
/// later, 2 end later, 3 end earlier (when the span has a word to spare).
fn moved_by_a_word(text: &str, span: Span, how: usize) -> Span {
    let (start, end) = (span.start.0, span.end.0);
    let previous_start = |at: usize| text[..at.saturating_sub(1)].rfind([' ', '\n']).map_or(0, |gap| gap + 1);
    let next_start = |at: usize| text[at..].find(' ').map(|gap| at + gap + 1);
    let moved = match how {
        0 => (previous_start(start), end),
        1 => next_start(start)
            .filter(|&next| next < end)
            .map_or((start, end), |next| (next, end)),
        2 => next_start(end).map_or((start, end), |next| (start, word_end(text, next))),
        _ => text[start..end]
            .rfind(' ')
            .map_or((start, end), |gap| (start, start + gap)),
    };
    Span::new(moved.0, moved.1)
}

fn median(mut run: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

fn report(case: &str, size: usize, field: &str, time: Duration, extra: &str) {
    println!(
        "{{\"case\":\"{case}\",\"size_bytes\":{size},\"annotations\":{ANNOTATIONS},\"{field}\":{:.1}{extra}}}",
        time.as_secs_f64() * 1000.0
    );
}
