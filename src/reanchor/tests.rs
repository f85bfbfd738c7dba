//! Examples of each outcome, written as texts with the marked span in brackets.

use super::*;

/// The span of the first `[…]` in `marked`, and the text without the brackets.
fn marked(marked: &str) -> (String, Span) {
    let start = marked.find('[').expect("an opening bracket");
    let end = marked.find(']').expect("a closing bracket") - 1;
    (marked.replacen('[', "", 1).replacen(']', "", 1), Span::new(start, end))
}

/// Re-anchors the bracketed span of `old` onto `new`.
fn outcome(old: &str, new: &str) -> Outcome {
    let (old, span) = marked(old);
    let mut outcomes = reanchor(&old, new, &[span]).expect("the span fits");
    outcomes.pop().expect("one outcome per span")
}

fn quoted(new: &str, outcome: &Outcome) -> String {
    outcome
        .span()
        .quote(new)
        .expect("the span fits the new text")
        .to_owned()
}

fn review(outcome: &Outcome) -> &Review {
    match outcome {
        Outcome::NeedsReview(review) => review,
        other => panic!("expected a review, got {other:?}"),
    }
}

#[test]
fn text_left_alone_moves_exactly_past_edits_before_and_after_it() {
    let new = "A short first sentence. The minister said the figures were right on Monday.";
    let edited = "A short first sentence. The minister said the figures were wrong on Monday.";
    let moved = outcome(
        "First sentence. The minister said [the figures were wrong] on Tuesday.",
        edited,
    );
    assert_eq!(moved, Outcome::MovedExactly(Span::new(42, 64)));
    assert_eq!(quoted(edited, &moved), "the figures were wrong");
    let changed = outcome(
        "First sentence. The minister said [the figures were wrong] on Tuesday.",
        new,
    );
    let review = review(&changed);
    assert_eq!(review.reason, ReviewReason::QuoteChanged);
    assert_eq!(review.old_quote, "the figures were wrong");
    assert_eq!(quoted(new, &changed), "the figures were right");
}

#[test]
fn a_sentence_moved_inside_its_paragraph_is_found_by_its_quote() {
    // The diff keeps the longer sentence in place and sees the shorter one deleted and inserted.
    let old = "First, taxes fell. Second, the budget grew by a third. Third, nobody noticed.";
    let new = "Second, the budget grew by a third. First, taxes fell. Third, nobody noticed.";
    let stayed = outcome(&old.replace("the budget", "[the budget]"), new);
    assert_eq!(stayed, Outcome::MovedExactly(Span::new(8, 18)));
    let moved = outcome(&old.replace("taxes fell", "[taxes fell]"), new);
    assert!(matches!(moved, Outcome::MovedByQuote(_)), "{moved:?}");
    assert_eq!(moved.span(), Span::new(43, 53));
}

#[test]
fn a_long_quote_found_once_is_its_own_proof() {
    let old = "[Short one, of forty characters or so.] A much longer sentence that the diff will keep in place.";
    let new = "A much longer sentence that the diff will keep in place. Short one, of forty characters or so.";
    let moved = outcome(old, new);
    assert!(matches!(moved, Outcome::MovedByQuote(_)), "{moved:?}");
    assert_eq!(quoted(new, &moved), "Short one, of forty characters or so.");
}

#[test]
fn a_common_word_in_changed_text_is_ambiguous_and_keeps_the_nearest_candidate() {
    let new = "the cat saw the dog; a bird saw the fox and the owl";
    let ambiguous = outcome("the cat saw the dog; [the] hen saw the fox and the owl", new);
    let review = review(&ambiguous);
    assert_eq!(review.reason, ReviewReason::Ambiguous { places: 4 });
    assert_eq!(quoted(new, &ambiguous), "the");
    assert_eq!(
        review.candidate,
        Some(Span::new(12, 15)),
        "the nearest occurrence with the most context"
    );
}

#[test]
fn deleted_text_leaves_no_candidate_and_waits_where_it_was() {
    let deleted = outcome(
        "Keep this. [Drop that sentence.] Keep the end.",
        "Keep this.  Keep the end.",
    );
    let review = review(&deleted);
    assert_eq!(review.reason, ReviewReason::Deleted);
    assert_eq!(review.candidate, None);
    assert_eq!(deleted.span(), Span::new(11, 11));
}

#[test]
fn a_short_quote_found_once_without_its_context_needs_review() {
    let new = "Everything else was rewritten, but Smith stayed.";
    let unproven = outcome("Old text around [Smith] that was all rewritten later on.", new);
    assert_eq!(review(&unproven).reason, ReviewReason::ContextChanged);
    assert_eq!(quoted(new, &unproven), "Smith");
}

#[test]
fn whole_file_crlf_to_lf_moves_spans_within_lines_and_flags_those_across_breaks() {
    let old = "First line of text\r\nSecond line here\r\nThird\r\n";
    let new = old.replace("\r\n", "\n");
    let spans = [
        Span::new(6, 10),
        Span::new(20, 26),
        Span::new(11, 26),
        Span::new(38, 43),
    ];
    let outcomes = reanchor(old, &new, &spans).unwrap();
    assert_eq!(outcomes[0], Outcome::MovedExactly(Span::new(6, 10)));
    assert_eq!(outcomes[1], Outcome::MovedExactly(Span::new(19, 25)));
    assert_eq!(review(&outcomes[2]).reason, ReviewReason::LineBreaksChanged);
    assert_eq!(quoted(&new, &outcomes[2]), "of text\nSecond");
    assert_eq!(outcomes[3], Outcome::MovedExactly(Span::new(36, 41)));
}

#[test]
fn a_span_is_never_carried_to_a_place_that_cuts_a_character() {
    // A combining accent typed right after the span would glue onto its last letter.
    let new = "cafe\u{301} au lait";
    let glued = outcome("[cafe] au lait", new);
    let review = review(&glued);
    assert_eq!(review.reason, ReviewReason::QuoteChanged);
    assert_eq!(
        quoted(new, &glued),
        "cafe\u{301}",
        "the candidate takes the whole letter"
    );
    // LF → CRLF: a span that began at the LF would now begin between CR and LF.
    let split = outcome("one[\ntwo]", "one\r\ntwo");
    assert!(matches!(split, Outcome::NeedsReview(_)), "{split:?}");
    assert_eq!(quoted("one\r\ntwo", &split), "\r\ntwo");
}

#[test]
fn an_imported_span_that_splits_a_character_still_moves_exactly() {
    // The span marks only the e of e + combining acute, as another tool allowed.
    let moved = outcome("Intro. [e]\u{301}te\u{301}", "A new intro. e\u{301}te\u{301}");
    assert_eq!(moved, Outcome::MovedExactly(Span::new(13, 14)));
}

#[test]
fn an_empty_span_moves_with_its_place_or_waits_for_review() {
    assert_eq!(outcome("ab[]cd", "xxab cd"), Outcome::MovedExactly(Span::new(4, 4)));
    let lost = outcome("one t[]wo three", "one 2 three");
    assert_eq!(review(&lost).reason, ReviewReason::ContextChanged);
    assert!(lost.span().is_empty());
}

#[test]
fn spans_that_do_not_fit_the_old_text_are_refused() {
    let error = reanchor("abc", "abc", &[Span::new(0, 2), Span::new(2, 9)]).unwrap_err();
    assert_eq!(error.index, 1);
}
