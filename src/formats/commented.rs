//! The commented-article format: an article, one sentence or paragraph per
//! line, where a line that begins with `Comment: ` is a counter-claim against
//! the line before it.
//!
//! Offsets: none in the file; comments attach to whole lines. Newlines: any
//! of LF, CRLF and lone CR, kept exactly.
//!
//! How the bytes map, so that import → export is exact:
//!
//! ```text
//!   file:  "A⏎" "Comment: x⏎" "B⏎" "Comment: y"
//!   text:  "A⏎B⏎"             (article lines keep their own line breaks)
//!   claims: x on span "A", y on span "B"
//! ```
//!
//! Export writes each counter-claim as a `Comment: ` line after the line in
//! which its span ends, ended by that line's own line break, except that the
//! file's very last comment gets none (as in the seed sample). Where a file
//! did otherwise (mixed line breaks, a final newline after a last comment,
//! comments before the first article line), the import records a
//! [`CommentPlacement`] so the export still gives back the same bytes.

use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::lines::{self as model_lines, Line, LineBreaks};
use crate::model::project::{CommentPlacement, Project, SourceInfo};
use crate::model::source_text::{self, DecodeError, EncodeError};
use crate::model::span::Span;
use crate::model::tag_set::TagSet;

/// The marker that starts a comment line.
pub const COMMENT_PREFIX: &str = "Comment: ";

/// The text's lines (LF, CRLF and lone CR end them). With `keep_empty_tail`,
/// a text that ends with a line break (or is empty) also yields the empty line after it.
fn lines(text: &str, keep_empty_tail: bool) -> Vec<Line<'_>> {
    model_lines::lines(text, LineBreaks::File)
        .filter(|line| keep_empty_tail || !line.is_empty_tail())
        .collect()
}

/// Imports a commented article from a file's bytes: the article lines become
/// the text, each comment a counter-claim on the line before it.
pub fn import(path: Option<String>, bytes: &[u8], tag_set: TagSet) -> Result<Project, DecodeError> {
    let decoded = source_text::decode(bytes)?;
    let mut article = String::with_capacity(decoded.text.len());
    let mut annotations: Vec<Annotation> = Vec::new();
    // The actual placement of every comment, compared with the export rule below.
    let mut placements: Vec<CommentPlacement> = Vec::new();
    let mut last_article_span: Option<Span> = None;
    let file_lines = lines(&decoded.text, false);
    let is_comment = comment_lines(&file_lines);
    for (line, is_comment) in file_lines.iter().zip(is_comment) {
        let claim_text = line.content.strip_prefix(COMMENT_PREFIX).filter(|_| is_comment);
        let Some(claim_text) = claim_text else {
            let start = article.len();
            article.push_str(line.content);
            article.push_str(line.ending);
            last_article_span = Some(Span::new(start, start + line.content.len()));
            continue;
        };
        let leading = last_article_span.is_none();
        let span = last_article_span.unwrap_or(Span::new(0, 0));
        let same_owner = annotations.last().is_some_and(|last| last.span == span)
            && placements.last().is_some_and(|p| p.leading == leading);
        if !same_owner {
            let id = AnnotationId(annotations.last().map_or(1, |last| last.id.0 + 1));
            annotations.push(Annotation::new(id, span));
        }
        if let Some(owner) = annotations.last_mut() {
            placements.push(CommentPlacement {
                annotation: owner.id,
                claim: owner.counter_claims.len(),
                leading,
                line_break: line.ending.to_owned(),
            });
            owner.counter_claims.push(CounterClaim::new(claim_text));
        }
    }
    // The hash recorded is of the text, the article without its comment lines,
    // so `check` can tell whether it was changed. Its characters all came from
    // this encoding, so it encodes.
    let source =
        SourceInfo::of_text_in(path, &article, decoded.encoding, decoded.bom).map_err(|error| DecodeError::Binary {
            reason: error.to_string(),
        })?;
    let tag_set_checked = Project::from_parts(article, source, tag_set, annotations);
    // Spans come from line boundaries of this very text and ids are fresh, so this holds.
    let mut project = tag_set_checked.map_err(|error| DecodeError::Binary {
        reason: error.to_string(),
    })?;
    let defaults = plan(&project, false);
    placements.retain(|placement| {
        !defaults.iter().any(|d| {
            d.annotation == placement.annotation
                && d.claim == placement.claim
                && !placement.leading
                && d.line_break == placement.line_break
        })
    });
    project.set_comment_layout(placements);
    Ok(project)
}

/// Which lines are read as comments. A run of comment lines between a line
/// ending in a lone CR and an empty line ending in LF stays text: taking it
/// out would join that CR and LF into one line break, and the export could
/// not put the comments back between them.
fn comment_lines(file_lines: &[Line<'_>]) -> Vec<bool> {
    let mut is_comment: Vec<bool> = file_lines
        .iter()
        .map(|l| l.content.starts_with(COMMENT_PREFIX))
        .collect();
    let mut index = 0;
    while index < file_lines.len() {
        if !is_comment[index] {
            index += 1;
            continue;
        }
        let run_start = index;
        while index < file_lines.len() && is_comment[index] {
            index += 1;
        }
        let after_lone_cr = run_start > 0 && file_lines[run_start - 1].ending == "\r";
        let before_empty_lf = file_lines
            .get(index)
            .is_some_and(|l| l.content.is_empty() && l.ending == "\n");
        if after_lone_cr && before_empty_lf {
            is_comment[run_start..index].fill(false);
        }
    }
    is_comment
}

/// A file written by [`export`], and what could not be carried into it.
#[derive(Debug)]
pub struct Exported {
    pub bytes: Vec<u8>,
    /// Each thing the format could not express, in plain words.
    pub warnings: Vec<String>,
}

/// Exports a project as a commented article, in the source's encoding.
pub fn export(project: &Project) -> Result<Exported, EncodeError> {
    let text_lines = lines(project.text(), true);
    let planned = plan(project, true);
    let mut out = String::with_capacity(project.text().len() + 64 * planned.len());
    for comment in planned.iter().filter(|c| c.line.is_none()) {
        push_comment(&mut out, &comment.text);
        out.push_str(&comment.line_break);
    }
    let mut planned_lines = planned.iter().filter(|c| c.line.is_some()).peekable();
    for (index, line) in text_lines.iter().enumerate() {
        out.push_str(line.content);
        let unended = line.ending.is_empty();
        if !unended {
            out.push_str(line.ending);
        }
        while let Some(comment) = planned_lines.next_if(|c| c.line == Some(index)) {
            // A comment after a line with no line break needs one before it.
            if unended {
                out.push_str(&comment.line_break);
                push_comment(&mut out, &comment.text);
            } else {
                push_comment(&mut out, &comment.text);
                out.push_str(&comment.line_break);
            }
        }
    }
    let bytes = source_text::encode(&out, project.source().encoding, project.source().bom)?;
    Ok(Exported {
        bytes,
        warnings: warnings(project, &text_lines),
    })
}

fn push_comment(out: &mut String, text: &str) {
    out.push_str(COMMENT_PREFIX);
    out.push_str(text);
}

/// One counter-claim as it will be written.
struct PlannedComment {
    annotation: AnnotationId,
    claim: usize,
    text: String,
    /// The line it follows; `None` before the first line.
    line: Option<usize>,
    /// The line break after it (or, after an unended last line, before it).
    line_break: String,
}

/// Where every counter-claim goes, in output order; with `use_hints`, the
/// project's recorded placements override the default rule.
fn plan(project: &Project, use_hints: bool) -> Vec<PlannedComment> {
    let text_lines = lines(project.text(), true);
    let hints = if use_hints { project.comment_layout() } else { &[] };
    let mut planned = Vec::new();
    for annotation in project.annotations_in_document_order() {
        let line = line_of_span_end(&text_lines, annotation.span);
        for (claim, counter_claim) in annotation.counter_claims.iter().enumerate() {
            let hint = hints.iter().find(|h| h.annotation == annotation.id && h.claim == claim);
            let leading = hint.is_some_and(|h| h.leading);
            planned.push(PlannedComment {
                annotation: annotation.id,
                claim,
                text: one_line(&counter_claim.text),
                line: (!leading).then_some(line),
                line_break: hint.map_or_else(|| default_break(&text_lines, line).to_owned(), |h| h.line_break.clone()),
            });
        }
    }
    // Leading comments first, then by line; the sort is stable, so document order holds within a line.
    planned.sort_by_key(|c| c.line.map_or(0, |line| line + 1));
    // The file's very last comment ends the file: no line break after it,
    // unless it is written after an unended line (where the break goes before it).
    let text_after_is_empty = |line: usize| {
        text_lines[line + 1..]
            .iter()
            .all(|l| l.content.is_empty() && l.ending.is_empty())
    };
    if let Some(last) = planned.last_mut()
        && let Some(line) = last.line
        && !text_lines[line].ending.is_empty()
        && text_after_is_empty(line)
        && !hints
            .iter()
            .any(|h| h.annotation == last.annotation && h.claim == last.claim)
    {
        last.line_break.clear();
    }
    planned
}

/// Everything the format could not carry, in plain words.
fn warnings(project: &Project, text_lines: &[Line<'_>]) -> Vec<String> {
    let mut warnings = Vec::new();
    let claims = || project.annotations().flat_map(|a| &a.counter_claims);
    let dropped_tags: usize = project.annotations().map(|a| a.tags.len()).sum();
    let dropped_sources: usize = claims().map(|c| c.sources.len()).sum();
    let flattened = claims().filter(|c| one_line(&c.text) != c.text).count();
    let comment_like_lines = text_lines
        .iter()
        .filter(|l| l.content.starts_with(COMMENT_PREFIX))
        .count();
    if dropped_tags > 0 {
        warnings.push(format!(
            "{dropped_tags} tag(s) left out: the commented-article format carries only counter-claims"
        ));
    }
    if dropped_sources > 0 {
        warnings.push(format!(
            "{dropped_sources} counter-claim source link(s) left out: the format has no place for them"
        ));
    }
    if flattened > 0 {
        warnings.push(format!(
            "{flattened} counter-claim(s) had line breaks, written as spaces so each stays on one Comment: line"
        ));
    }
    if comment_like_lines > 0 {
        warnings.push(format!(
            "{comment_like_lines} line(s) of the text itself begin with {COMMENT_PREFIX:?} and will read as comments when imported again"
        ));
    }
    warnings
}

/// The line in which a span ends: the line of its last character, or for an
/// empty span the line it sits in.
fn line_of_span_end(text_lines: &[Line<'_>], span: Span) -> usize {
    let last = if span.is_empty() { span.end.0 } else { span.end.0 - 1 };
    let index = text_lines.partition_point(|line| line.end() <= last);
    index.min(text_lines.len().saturating_sub(1))
}

/// The line break that ends a comment after line `index`: the line's own,
/// or on the last line (which has none) the one before it.
fn default_break<'t>(text_lines: &[Line<'t>], index: usize) -> &'t str {
    text_lines[..=index.min(text_lines.len().saturating_sub(1))]
        .iter()
        .rev()
        .map(|line| line.ending)
        .find(|ending| !ending.is_empty())
        .unwrap_or("\n")
}

/// A counter-claim on one line: line breaks become spaces.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(file: &str) -> Project {
        let project = import(None, file.as_bytes(), TagSet::default_set()).unwrap();
        let exported = export(&project).unwrap();
        assert_eq!(
            String::from_utf8(exported.bytes).unwrap(),
            file,
            "import → export must give back the bytes"
        );
        assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
        project
    }

    fn claims(project: &Project) -> Vec<(&str, &str)> {
        project
            .annotations_in_document_order()
            .into_iter()
            .flat_map(|a| {
                a.counter_claims
                    .iter()
                    .map(|c| (a.span.quote(project.text()).unwrap_or(""), c.text.as_str()))
            })
            .collect()
    }

    #[test]
    fn comments_become_counter_claims_on_the_line_before() {
        let project =
            round_trip(" First line.\nSecond line.\nComment: Not so.\nThird.\nComment: Wrong.\nComment: Also wrong.");
        assert_eq!(project.text(), " First line.\nSecond line.\nThird.\n");
        assert_eq!(
            claims(&project),
            [
                ("Second line.", "Not so."),
                ("Third.", "Wrong."),
                ("Third.", "Also wrong.")
            ]
        );
        assert!(project.comment_layout().is_empty(), "uniform files need no hints");
    }

    #[test]
    fn crlf_final_newline_and_blank_lines_round_trip() {
        round_trip("A\r\nComment: x\r\nB\r\n");
        round_trip("A\n\nComment: on a blank line\n\nB\n");
        round_trip("A\n\nComment: c");
        round_trip("A\rComment: lone CR\rB");
        round_trip("");
        round_trip("Comment: ");
        let kept = import(None, b"\rComment: \n\n", TagSet::default_set()).unwrap();
        assert_eq!(kept.text(), "\rComment: \n\n", "a comment between CR and LF stays text");
        assert_eq!(export(&kept).unwrap().bytes, b"\rComment: \n\n");
    }

    #[test]
    fn comments_at_the_very_start_round_trip_and_are_flagged_as_leading() {
        let project = round_trip("Comment: before anything\nComment: twice\nArticle.\nComment: after");
        assert_eq!(project.text(), "Article.\n");
        assert_eq!(project.comment_layout().iter().filter(|p| p.leading).count(), 2);
        round_trip("Comment: only a comment");
        round_trip("Comment: lead\n\nComment: after an empty first line\nA");
    }

    #[test]
    fn mixed_line_breaks_round_trip_through_hints() {
        let project = round_trip("A\r\nComment: x\nB\nComment: y\r\nC");
        assert_eq!(project.text(), "A\r\nB\nC");
        assert_eq!(project.comment_layout().len(), 2);
    }

    #[test]
    fn what_the_format_cannot_hold_is_reported() {
        let mut project = import(None, b"One.\nTwo.", TagSet::default_set()).unwrap();
        let (edit, id) =
            crate::model::edit::Edit::tag_span(&project, Span::new(0, 4), crate::model::tag_set::TagId("Claim".into()))
                .unwrap();
        edit.apply(&mut project).unwrap();
        let claim = CounterClaim {
            text: "two\nlines".into(),
            sources: vec!["https://example.org".into()],
        };
        crate::model::edit::Edit::InsertCounterClaim { id, index: 0, claim }
            .apply(&mut project)
            .unwrap();
        let exported = export(&project).unwrap();
        assert_eq!(
            String::from_utf8(exported.bytes).unwrap(),
            "One.\nComment: two lines\nTwo."
        );
        assert_eq!(exported.warnings.len(), 3, "{:?}", exported.warnings);
    }

    #[test]
    fn the_seed_sample_round_trips_byte_for_byte() {
        let bytes = include_bytes!("../../assets/examples/000_7713f654ee184543.txt");
        let project = import(None, bytes, TagSet::default_set()).unwrap();
        assert_eq!(export(&project).unwrap().bytes, bytes);
        assert!(project.text().starts_with(" date 2021-12-16"));
        assert_eq!(project.annotations().map(|a| a.counter_claims.len()).sum::<usize>(), 4);
        assert!(!project.text().contains(COMMENT_PREFIX));
    }

    fn line_break() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]
    }

    proptest! {
        /// Any file made of article and comment lines, any line breaks, with or
        /// without a final newline, comes back byte for byte.
        #[test]
        fn any_commented_file_round_trips(
            file_lines in proptest::collection::vec((any::<bool>(), "[\\PC\t]{0,12}", line_break()), 0..12),
            final_newline: bool,
        ) {
            let mut file = String::new();
            for (i, (is_comment, content, line_break)) in file_lines.iter().enumerate() {
                if *is_comment {
                    file.push_str(COMMENT_PREFIX);
                }
                file.push_str(content);
                if i + 1 < file_lines.len() || final_newline {
                    file.push_str(line_break);
                }
            }
            let project = import(None, file.as_bytes(), TagSet::default_set()).unwrap();
            prop_assert_eq!(String::from_utf8(export(&project).unwrap().bytes).unwrap(), file);
            // Every comment line became a counter-claim, or (between a CR and an LF) stayed text.
            let comment_count = file_lines.iter().filter(|(c, _, _)| *c).count();
            let claims: usize = project.annotations().map(|a| a.counter_claims.len()).sum();
            let kept_as_text = lines(project.text(), false).iter().filter(|l| l.content.starts_with(COMMENT_PREFIX)).count();
            prop_assert_eq!(claims + kept_as_text, comment_count);
        }
    }
}
