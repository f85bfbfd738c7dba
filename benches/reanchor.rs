//! `cargo bench --bench reanchor`: re-anchoring a 5 MB text with 100,000
//! annotations onto a new version after a few hundred scattered edits (words
//! replaced, inserted, deleted, paragraphs moved), after a whole-file
//! LF → CRLF change, and onto an unrelated text of the same size (the wrong
//! file chosen: every annotation goes through the search by quote). Prints one JSON object per case with `reanchor_ms` (the
//! median of three runs of the whole step: decode the new file, diff, place
//! every annotation, build the new project) and the three counts. Arguments
//! after `--` filter cases by name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "scale/generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use counterpoint::reanchor::project::reanchor_project;
use generate::{Rng, Script, Spec};

const SIZE_BYTES: usize = 5_000_000;
const ANNOTATIONS: usize = 100_000;
const EDITS: usize = 300;
const MOVED_PARAGRAPHS: usize = 5;

/// How the new version differs from the old.
#[derive(Clone, Copy)]
enum Change {
    /// A few hundred edits scattered over the text.
    ScatteredEdits,
    /// Every LF became CRLF.
    LineBreaks,
    /// Another text altogether, made the same way from another seed.
    OtherText,
}

fn main() {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let cases = [
        ("en-5000KB-100000-edits", Script::English, Change::ScatteredEdits),
        (
            "multi-5000KB-100000-edits",
            Script::Multilingual,
            Change::ScatteredEdits,
        ),
        ("en-5000KB-100000-crlf", Script::English, Change::LineBreaks),
        ("en-5000KB-100000-other-text", Script::English, Change::OtherText),
    ];
    for (name, script, change) in cases {
        if !filters.is_empty() && !filters.iter().any(|filter| name.contains(filter.as_str())) {
            continue;
        }
        let spec = Spec {
            script,
            size_bytes: SIZE_BYTES,
            annotations: ANNOTATIONS,
            seed: 0x00de_c0de,
        };
        let old = generate::project(spec);
        let mut rng = Rng::new(spec.seed ^ 0x0ed1_7500);
        let new_text = match change {
            Change::ScatteredEdits => edited(old.text(), &mut rng),
            Change::LineBreaks => old.text().replace('\n', "\r\n"),
            Change::OtherText => generate::text(script, SIZE_BYTES, &mut rng),
        };
        let mut times = Vec::new();
        let mut outcome = None;
        for _ in 0..3 {
            let started = Instant::now();
            let reanchored = reanchor_project(&old, new_text.as_bytes(), Some("new.txt".into())).unwrap();
            times.push(started.elapsed());
            outcome = Some(reanchored);
        }
        times.sort();
        let reanchored = outcome.expect("three runs");
        let counts = reanchored.report.counts();
        assert_eq!(
            reanchored.project.annotation_count(),
            ANNOTATIONS,
            "no annotation is lost"
        );
        println!(
            "{{\"case\":\"{name}\",\"size_bytes\":{},\"annotations\":{ANNOTATIONS},\"edits\":{},\"reanchor_ms\":{:.1},\"moved_exactly\":{},\"moved_by_quote\":{},\"needs_review\":{}}}",
            old.text().len(),
            match change {
                Change::ScatteredEdits => EDITS + MOVED_PARAGRAPHS,
                Change::LineBreaks | Change::OtherText => 1,
            },
            ms(times[1]),
            counts.moved_exactly,
            counts.moved_by_quote,
            counts.needs_review
        );
    }
}

/// The text after [`MOVED_PARAGRAPHS`] paragraphs moved elsewhere and
/// [`EDITS`] edits at random word starts: a word replaced, words inserted, or
/// one to three words deleted.
fn edited(text: &str, rng: &mut Rng) -> String {
    let mut paragraphs: Vec<&str> = text.split_inclusive("\n\n").collect();
    for _ in 0..MOVED_PARAGRAPHS {
        let paragraph = paragraphs.remove(rng.below(paragraphs.len()));
        let to = rng.below(paragraphs.len() + 1);
        paragraphs.insert(to, paragraph);
    }
    let mut text = paragraphs.concat();
    let word_starts: Vec<usize> = text.match_indices(' ').map(|(at, _)| at + 1).collect();
    let mut at: Vec<usize> = (0..EDITS).map(|_| word_starts[rng.below(word_starts.len())]).collect();
    at.sort_unstable();
    at.dedup();
    // From the end, so earlier positions stay valid.
    for &start in at.iter().rev() {
        let word_end = |from: usize| text[from..].find([' ', '\n']).map_or(text.len(), |end| from + end);
        match rng.below(3) {
            0 => text.replace_range(start..word_end(start), "revised"),
            1 => text.insert_str(start, "newly inserted words "),
            _ => {
                let mut end = start;
                for _ in 0..=rng.below(3) {
                    end = word_end(end);
                    if text[end..].starts_with(' ') {
                        end += 1;
                    }
                }
                text.replace_range(start..end, "");
            }
        }
    }
    text
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
