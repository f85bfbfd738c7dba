//! Moving through the document by its content, for keyboard-only annotation:
//! the next or previous annotation, the next or previous sentence no tag
//! touches, and every other occurrence of a text. Pure, no egui.

use crate::model::annotation::AnnotationId;
use crate::model::offsets::ByteOffset;
use crate::model::span::Span;

use super::paragraphs::Paragraphs;
use super::selection::sentences_in;
use super::workspace::Workspace;

/// At most this many occurrences are offered for tagging at once.
pub const MAX_OCCURRENCES: usize = 10_000;

/// The annotation after (or before) the current one in document order (by
/// start, then end, then id); without a current one, the first at or after
/// (the last before) `caret`.
#[must_use]
pub fn neighbour_annotation(
    workspace: &Workspace,
    current: Option<(AnnotationId, Span)>,
    caret: ByteOffset,
    forward: bool,
) -> Option<(AnnotationId, Span)> {
    let text_len = workspace.project().text().len();
    let key = |(id, span): &(AnnotationId, Span)| (span.start, span.end, *id);
    if forward {
        let from = current.map_or(caret, |(_, span)| span.start);
        let candidates = workspace
            .span_index()
            .overlapping(Span::new(from.0, text_len.max(from.0 + 1)));
        candidates
            .into_iter()
            .filter(|found| match current {
                Some(current) => key(found) > key(&current),
                None => found.1.start >= caret,
            })
            .min_by_key(key)
    } else {
        let until = current.map_or(caret, |(_, span)| span.start);
        let candidates = workspace.span_index().overlapping(Span::new(0, until.0.max(1)));
        candidates
            .into_iter()
            .filter(|found| match current {
                Some(current) => key(found) < key(&current),
                None => found.1.start < caret,
            })
            .max_by_key(key)
    }
}

/// The first sentence after `after` (the last before `before`) that no tagged
/// annotation touches, searching line by line from the caret's line.
#[must_use]
pub fn untagged_sentence(workspace: &Workspace, selection: Span, forward: bool) -> Option<Span> {
    let project = workspace.project();
    let text = project.text();
    let paragraphs: &Paragraphs = workspace.paragraphs();
    let untagged = |sentence: &Span| {
        workspace
            .span_index()
            .overlapping(*sentence)
            .iter()
            .all(|(id, _)| project.annotation(*id).is_none_or(|a| a.tags.is_empty()))
    };
    let here = paragraphs.index_of(if forward { selection.end } else { selection.start });
    if forward {
        (here..paragraphs.len()).find_map(|index| {
            sentences_in(text, paragraphs.line(index))
                .into_iter()
                .filter(|sentence| sentence.start >= selection.end && *sentence != selection)
                .find(untagged)
        })
    } else {
        (0..=here).rev().find_map(|index| {
            sentences_in(text, paragraphs.line(index))
                .into_iter()
                .rev()
                .filter(|sentence| sentence.end <= selection.start && *sentence != selection)
                .find(untagged)
        })
    }
}

/// Every other place where `quote` occurs in `text` as whole words (when the
/// quote starts or ends with a letter or digit, its neighbours there must not
/// be ones), `except` the span it was taken from, at most [`MAX_OCCURRENCES`].
#[must_use]
pub fn other_occurrences(text: &str, quote: &str, except: Span) -> Vec<Span> {
    if quote.is_empty() {
        return Vec::new();
    }
    let word_start = quote.chars().next().is_some_and(char::is_alphanumeric);
    let word_end = quote.chars().next_back().is_some_and(char::is_alphanumeric);
    text.match_indices(quote)
        .map(|(at, found)| Span::new(at, at + found.len()))
        .filter(|span| *span != except)
        .filter(|span| {
            let before = text.get(..span.start.0).and_then(|s| s.chars().next_back());
            let after = text.get(span.end.0..).and_then(|s| s.chars().next());
            let glued_before = word_start && before.is_some_and(char::is_alphanumeric);
            let glued_after = word_end && after.is_some_and(char::is_alphanumeric);
            !glued_before && !glued_after
        })
        .take(MAX_OCCURRENCES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::Edit;
    use crate::model::history::History;
    use crate::model::project::{Project, SourceInfo};
    use crate::model::tag_set::{TagId, TagSet};

    fn workspace(text: &str, tagged: &[&str]) -> Workspace {
        let mut project = Project::new(text.into(), SourceInfo::of_text(text), TagSet::default_set());
        for phrase in tagged {
            let start = text.find(phrase).unwrap();
            let (edit, _) =
                Edit::tag_span(&project, Span::new(start, start + phrase.len()), TagId("Claim".into())).unwrap();
            edit.apply(&mut project).unwrap();
        }
        Workspace::new(project, History::new(), None)
    }

    fn quote(text: &str, span: Span) -> &str {
        span.quote(text).unwrap()
    }

    #[test]
    fn annotations_are_visited_in_document_order_both_ways() {
        let text = "One two. Three four.\nFive six.";
        let workspace = workspace(text, &["Five", "two", "Three four"]);
        let first = neighbour_annotation(&workspace, None, ByteOffset(0), true).unwrap();
        assert_eq!(quote(text, first.1), "two");
        let second = neighbour_annotation(&workspace, Some(first), first.1.start, true).unwrap();
        assert_eq!(quote(text, second.1), "Three four");
        let third = neighbour_annotation(&workspace, Some(second), second.1.start, true).unwrap();
        assert_eq!(quote(text, third.1), "Five");
        assert!(neighbour_annotation(&workspace, Some(third), third.1.start, true).is_none());
        let back = neighbour_annotation(&workspace, Some(third), third.1.start, false).unwrap();
        assert_eq!(back, second);
        let from_end = neighbour_annotation(&workspace, None, ByteOffset(text.len()), false).unwrap();
        assert_eq!(from_end, third);
    }

    #[test]
    fn untagged_sentences_skip_tagged_ones_across_lines() {
        let text = "First one. Second one.\nThird one! Fourth one?";
        let workspace = workspace(text, &["Second", "Third one!"]);
        let caret = Span::new(0, 0);
        let first = untagged_sentence(&workspace, caret, true).unwrap();
        assert_eq!(quote(text, first), "First one.");
        let next = untagged_sentence(&workspace, first, true).unwrap();
        assert_eq!(quote(text, next), "Fourth one?");
        assert!(untagged_sentence(&workspace, next, true).is_none());
        assert_eq!(untagged_sentence(&workspace, next, false), Some(first));
    }

    #[test]
    fn occurrences_are_whole_words_and_exclude_the_original() {
        let text = "war, software war; War. postwar war";
        let original = Span::new(0, 3);
        let found: Vec<&str> = other_occurrences(text, "war", original)
            .into_iter()
            .map(|span| {
                assert_eq!(quote(text, span), "war");
                &text[span.start.0.saturating_sub(1)..span.end.0]
            })
            .collect();
        assert_eq!(found, [" war", " war"], "not inside software or postwar, not War");
        assert_eq!(other_occurrences(text, ", ", Span::new(0, 0)).len(), 1);
    }
}
