//! `counterpoint reanchor P.ron NEW_TEXT -o P2.ron`: carries a project's
//! annotations onto a new version of its text.
//!
//! Prints how many moved exactly, moved by their quote, or need review, and
//! lists each one that needs review; `--json` prints every annotation's
//! outcome instead (offsets in code points, as in the project file).
//!
//! The project is always written (nothing is lost): an annotation that needs
//! review sits on its candidate, or on an empty span where its text was, and
//! carries a review mark in the file with its old quote (format version 3);
//! the new source records the old text's hash in `previous_sha256`. Each one
//! that needs review is listed on stderr and the exit status is 2;
//! `counterpoint check` lists them again until they are resolved in the
//! window's review list.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::messages::{ECHO_CHARS, echo};
use crate::model::offsets::{ByteOffset, OffsetIndex};
use crate::model::span::Span;
use crate::project_file;
use crate::reanchor::project::{Counts, Entry, Reanchored, reanchor_project};
use crate::reanchor::{Outcome, Review, ReviewReason};
use crate::storage;

/// Arguments of `counterpoint reanchor`.
#[derive(Debug, clap::Args)]
pub struct ReanchorArgs {
    /// The project whose annotations to carry over (.ron).
    pub project: PathBuf,
    /// The new version of the project's text, read like any document
    /// (encoding, byte-order mark and line breaks kept exactly).
    pub new_text: PathBuf,
    /// Where to write the project on the new text (.ron).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Print the outcome of every annotation as JSON instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Replace an existing output file that differs (it is kept as NAME.bak).
    #[arg(long)]
    pub force: bool,
}

/// Runs `counterpoint reanchor` and reports as the process should.
#[must_use]
pub fn run(arguments: &ReanchorArgs) -> ExitCode {
    match reanchor(arguments) {
        Ok(code) => code,
        Err(message) => super::fail(&message),
    }
}

/// Both texts, to turn byte offsets into code points.
struct Texts<'p> {
    old: &'p str,
    new: &'p str,
    old_index: OffsetIndex,
    new_index: OffsetIndex,
}

impl Texts<'_> {
    fn old_chars(&self, offset: ByteOffset) -> usize {
        self.old_index.byte_to_char(self.old, offset).map_or(0, |c| c.0)
    }

    fn new_chars(&self, offset: ByteOffset) -> usize {
        self.new_index.byte_to_char(self.new, offset).map_or(0, |c| c.0)
    }

    fn old_range(&self, span: Span) -> String {
        format!("{}..{}", self.old_chars(span.start), self.old_chars(span.end))
    }

    fn new_range(&self, span: Span) -> String {
        format!("{}..{}", self.new_chars(span.start), self.new_chars(span.end))
    }
}

fn reanchor(arguments: &ReanchorArgs) -> Result<ExitCode, String> {
    let ReanchorArgs {
        project: project_path,
        new_text: text_path,
        output,
        json,
        force,
    } = arguments;
    super::refuse_overwriting_input(&[project_path, text_path], output)?;
    let old = project_file::load(project_path).map_err(|e| format!("{}: {e}", project_path.display()))?;
    let bytes = storage::read_bytes(text_path).map_err(|e| e.to_string())?;
    let Reanchored { project, report } = reanchor_project(&old, &bytes, Some(text_path.display().to_string()))
        .map_err(|e| format!("cannot open {}: {e}", text_path.display()))?;
    let texts = Texts {
        old: old.text(),
        new: project.text(),
        old_index: OffsetIndex::new(old.text()),
        new_index: OffsetIndex::new(project.text()),
    };
    let reviews: Vec<(&Entry, &Review)> = report
        .entries
        .iter()
        .filter_map(|entry| match &entry.outcome {
            Outcome::NeedsReview(review) => Some((entry, review)),
            _ => None,
        })
        .collect();
    super::save_project(&project, output, *force)?;
    let counts = report.counts();
    if *json {
        let shown = |path: &Path| path.display().to_string();
        let entries: Vec<Value> = report.entries.iter().map(|entry| entry_json(&texts, entry)).collect();
        let document = json!({
            "project": shown(project_path),
            "new_text": shown(text_path),
            "output": shown(output),
            "written": true,
            "offsets": "unicode code points, start inclusive, end exclusive",
            "previous_sha256": report.previous_sha256,
            "sha256": project.source().sha256,
            "moved_exactly": counts.moved_exactly,
            "moved_by_quote": counts.moved_by_quote,
            "needs_review": counts.needs_review,
            "annotations": entries,
        });
        println!("{document}");
    } else {
        println!("{}", summary(&counts, text_path));
        println!("wrote {}", output.display());
    }
    for (entry, review) in &reviews {
        eprintln!(
            "counterpoint: review: annotation {} (at {} before): {}",
            entry.id,
            texts.old_range(entry.old_span),
            describe(&texts, review)
        );
    }
    let total = counts.moved_exactly + counts.moved_by_quote + counts.needs_review;
    if total >= 4 && 2 * counts.needs_review > total {
        eprintln!(
            "counterpoint: note: most annotations need review; is {} a version of the text of {}?",
            text_path.display(),
            project_path.display()
        );
    }
    if reviews.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "counterpoint: warning: wrote {} with {} annotation(s) marked as needing review; resolve them in the window's review list (`counterpoint check` lists them)",
            output.display(),
            reviews.len()
        );
        Ok(ExitCode::from(super::NEEDS_REVIEW))
    }
}

fn summary(counts: &Counts, text_path: &Path) -> String {
    let total = counts.moved_exactly + counts.moved_by_quote + counts.needs_review;
    format!(
        "re-anchored {total} annotation(s) onto {}: {} moved exactly, {} moved by quote, {} need(s) review",
        text_path.display(),
        counts.moved_exactly,
        counts.moved_by_quote,
        counts.needs_review
    )
}

/// What a person needs to know about one annotation that needs review.
fn describe(texts: &Texts<'_>, review: &Review) -> String {
    let old = echo(&review.old_quote);
    let candidate = review.candidate.map(|span| {
        (
            texts.new_range(span),
            span.quote(texts.new).unwrap_or_default().to_owned(),
        )
    });
    let changed = |now: &str| {
        let (before, after) = around_difference(&review.old_quote, now);
        format!("{} now reads {}", echo(&before), echo(&after))
    };
    match (review.reason, candidate) {
        (ReviewReason::QuoteChanged, Some((at, now))) => format!("its text changed: {} at {at}", changed(&now)),
        (ReviewReason::LineBreaksChanged, Some((at, now))) => {
            format!("only its line breaks changed: {} at {at}", changed(&now))
        }
        (ReviewReason::Ambiguous { places }, Some((at, _))) => {
            format!("its quote {old} is found in {places} places; the likeliest is at {at}")
        }
        (ReviewReason::ContextChanged, Some((at, _))) => {
            format!("its quote {old} is found once, at {at}, but the text around it changed")
        }
        _ => format!(
            "its text {old} is gone, deleted or rewritten (it stood at {} in the new text)",
            texts.new_chars(review.position)
        ),
    }
}

/// Two long texts cut down to where they differ, with a little of what they
/// share on each side; short ones whole.
fn around_difference(old: &str, new: &str) -> (String, String) {
    const SHARED: usize = 24;
    if old.chars().count() <= ECHO_CHARS && new.chars().count() <= ECHO_CHARS {
        return (old.to_owned(), new.to_owned());
    }
    let (old_chars, new_chars): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let prefix = old_chars.iter().zip(&new_chars).take_while(|(a, b)| a == b).count();
    let longest_suffix = old_chars.len().min(new_chars.len()) - prefix;
    let suffix = old_chars
        .iter()
        .rev()
        .zip(new_chars.iter().rev())
        .take(longest_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let cut = |chars: &[char]| {
        let from = prefix.saturating_sub(SHARED);
        let to = (chars.len() - suffix + SHARED).min(chars.len());
        let middle: String = chars[from..to].iter().collect();
        format!(
            "{}{middle}{}",
            if from > 0 { "…" } else { "" },
            if to < chars.len() { "…" } else { "" }
        )
    };
    (cut(&old_chars), cut(&new_chars))
}

/// One annotation's outcome as JSON.
fn entry_json(texts: &Texts<'_>, entry: &Entry) -> Value {
    let old_range = json!({
        "start": texts.old_chars(entry.old_span.start),
        "end": texts.old_chars(entry.old_span.end),
    });
    let new_range = |span: Span| {
        json!({
            "start": texts.new_chars(span.start),
            "end": texts.new_chars(span.end),
            "text": span.quote(texts.new).unwrap_or_default(),
        })
    };
    let quote = entry.old_span.quote(texts.old).unwrap_or_default();
    match &entry.outcome {
        Outcome::MovedExactly(span) | Outcome::MovedByQuote(span) => json!({
            "id": entry.id.0,
            "outcome": if matches!(entry.outcome, Outcome::MovedExactly(_)) { "moved-exactly" } else { "moved-by-quote" },
            "old": old_range,
            "quote": quote,
            "new": new_range(*span),
        }),
        Outcome::NeedsReview(review) => {
            let mut value = json!({
                "id": entry.id.0,
                "outcome": "needs-review",
                "reason": review.reason.name(),
                "old": old_range,
                "quote": quote,
                "candidate": review.candidate.map(new_range),
                "position": texts.new_chars(review.position),
                "placed": review.candidate.and_then(|span| span.quote(texts.new)) == Some(review.old_quote.as_str()),
            });
            if let (ReviewReason::Ambiguous { places }, Some(object)) = (review.reason, value.as_object_mut()) {
                object.insert("places".into(), places.into());
            }
            value
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_changed_quotes_are_shown_around_the_difference() {
        let old = format!("{} something Moscow has denied.", "a".repeat(100));
        let new = format!("{} something Moscow denies.", "a".repeat(100));
        assert_eq!(
            around_difference(&old, &new),
            (
                "…aaaaaa something Moscow has denied.".to_owned(),
                "…aaaaaa something Moscow denies.".to_owned()
            )
        );
        assert_eq!(
            around_difference("short", "shirt"),
            ("short".to_owned(), "shirt".to_owned())
        );
    }
}
