//! Inside a stretch of changed lines: which characters stayed.
//!
//! The common start and end are kept as they are; what lies between is
//! diffed by words (imara-diff's Histogram), then by characters (Myers)
//! inside each changed run of words that is short enough. Coincidental matches between unrelated
//! texts (the `o` of "brown" and "dog", a lone space) are then taken back by
//! the rule of Google's diff-match-patch semantic clean-up: an unchanged
//! stretch no longer than the change on either side of it counts as
//! changed, unless it is made of whole words and not tiny beside the changes
//! (`wrong on Tuesday` → `right on Monday` keeps ` on `; a lone ` we ` amid two
//! rewritten paragraphs is not kept). Taking a match back only ever sends an
//! annotation to the stricter search by quote; it never places one wrongly.

use std::collections::HashMap;
use std::ops::Range;

use imara_diff::{Algorithm, Diff, Interner, Token};

use super::align::{Run, Runs};

/// Changed runs of words whose character counts multiply to more than this
/// are left whole: a character diff of unrelated texts costs about the
/// product (2,000 × 2,000 characters take a few milliseconds).
const CHAR_DIFF_LIMIT: usize = 4_000_000;

/// One piece of a diff: text kept, or text changed (either side may be empty).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    Kept(Run),
    Changed { old: Range<usize>, new: Range<usize> },
}

impl Op {
    /// How much changed: the longer side.
    fn changed_len(&self) -> usize {
        match self {
            Op::Kept(_) => 0,
            Op::Changed { old, new } => old.len().max(new.len()),
        }
    }
}

/// How many bytes two texts have in common, by the same diff.
pub(super) fn kept_bytes(a: &str, b: &str) -> usize {
    let mut runs = Runs::default();
    refine(a, b, 0..a.len(), 0..b.len(), &mut runs);
    runs.into_vec().iter().map(|run| run.len).sum()
}

/// Adds to `runs` what `old[o]` and `new[n]` have in common.
pub(super) fn refine(old: &str, new: &str, o: Range<usize>, n: Range<usize>, runs: &mut Runs) {
    let (a, b) = (&old[o.clone()], &new[n.clone()]);
    let prefix = common_prefix(a, b);
    let suffix = common_suffix(&a[prefix..], &b[prefix..]);
    runs.push(o.start, n.start, prefix);
    let middle_old = o.start + prefix..o.end - suffix;
    let middle_new = n.start + prefix..n.end - suffix;
    if !middle_old.is_empty() && !middle_new.is_empty() {
        for op in cleaned(old, new, diff_middle(old, new, middle_old, middle_new)) {
            if let Op::Kept(run) = op {
                runs.push(run.old, run.new, run.len);
            }
        }
    }
    runs.push(o.end - suffix, n.end - suffix, suffix);
}

/// The length in bytes of the longest common start of `a` and `b` that ends on a character boundary.
pub(super) fn common_prefix(a: &str, b: &str) -> usize {
    let mut length = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(length) {
        length -= 1;
    }
    length
}

/// The length in bytes of the longest common end of `a` and `b` that starts on a character boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    let mut length = a.bytes().rev().zip(b.bytes().rev()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(a.len() - length) {
        length -= 1;
    }
    length
}

/// The diff of two stretches that differ at both ends: words first, so that
/// unique words anchor it (a sentence moved past another is not matched letter
/// by letter against it), then characters inside each changed run of words.
fn diff_middle(old: &str, new: &str, o: Range<usize>, n: Range<usize>) -> Vec<Op> {
    let mut ops = Vec::new();
    for op in word_ops(old, new, o, n) {
        match op {
            Op::Changed { old: wo, new: wn }
                if !wo.is_empty() && !wn.is_empty() && small_enough(old, new, &wo, &wn) =>
            {
                ops.extend(char_ops(old, new, wo, wn));
            }
            other => ops.push(other),
        }
    }
    ops
}

fn small_enough(old: &str, new: &str, o: &Range<usize>, n: &Range<usize>) -> bool {
    // Bytes bound characters from above, so this check is cheap and safe.
    if o.len().saturating_mul(n.len()) <= CHAR_DIFF_LIMIT {
        return true;
    }
    old[o.clone()]
        .chars()
        .count()
        .saturating_mul(new[n.clone()].chars().count())
        <= CHAR_DIFF_LIMIT
}

/// A character diff (Myers: minimal, and these stretches are short).
fn char_ops(old: &str, new: &str, o: Range<usize>, n: Range<usize>) -> Vec<Op> {
    let mut ids: HashMap<char, u32> = HashMap::new();
    let mut tokens = |text: &str, range: Range<usize>| -> (Vec<Token>, Vec<usize>) {
        let mut tokens = Vec::new();
        let mut bounds = Vec::new();
        for (offset, character) in text[range.clone()].char_indices() {
            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            tokens.push(Token(*ids.entry(character).or_insert(next)));
            bounds.push(range.start + offset);
        }
        bounds.push(range.end);
        (tokens, bounds)
    };
    let (before, old_bounds) = tokens(old, o);
    let (after, new_bounds) = tokens(new, n);
    let distinct = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    token_ops(
        Algorithm::Myers,
        (&before, &old_bounds),
        (&after, &new_bounds),
        distinct,
    )
}

/// A word diff (Histogram: it pairs rare words first, so unrelated texts
/// share few coincidental matches). Words are runs of letters and digits,
/// runs of white space, and single other characters.
fn word_ops(old: &str, new: &str, o: Range<usize>, n: Range<usize>) -> Vec<Op> {
    let mut interner: Interner<&str> = Interner::new(o.len() / 4 + n.len() / 4);
    let (before, old_bounds) = word_tokens(old, o, &mut interner);
    let (after, new_bounds) = word_tokens(new, n, &mut interner);
    token_ops(
        Algorithm::Histogram,
        (&before, &old_bounds),
        (&after, &new_bounds),
        interner.num_tokens(),
    )
}

/// The words of `text[range]` as tokens, and their bounds.
fn word_tokens<'t>(text: &'t str, range: Range<usize>, interner: &mut Interner<&'t str>) -> (Vec<Token>, Vec<usize>) {
    let bounds = word_bounds(text, range);
    let tokens = bounds.windows(2).map(|w| interner.intern(&text[w[0]..w[1]])).collect();
    (tokens, bounds)
}

/// Where the words of `text[range]` start, and then where the last one ends.
fn word_bounds(text: &str, range: Range<usize>) -> Vec<usize> {
    #[derive(PartialEq)]
    enum Class {
        Space,
        Word,
        Other,
    }
    let class = |c: char| {
        if c.is_whitespace() {
            Class::Space
        } else if c.is_alphanumeric() {
            Class::Word
        } else {
            Class::Other
        }
    };
    let mut bounds = Vec::new();
    let mut previous = None;
    for (offset, character) in text[range.clone()].char_indices() {
        let current = class(character);
        if current == Class::Other || previous.as_ref() != Some(&current) {
            bounds.push(range.start + offset);
        }
        previous = Some(current);
    }
    bounds.push(range.end);
    bounds
}

/// The diff of two token lists, in byte ranges: token `i` spans `bounds[i]..bounds[i + 1]`.
fn token_ops(
    algorithm: Algorithm,
    (before, old_bounds): (&[Token], &[usize]),
    (after, new_bounds): (&[Token], &[usize]),
    distinct_tokens: u32,
) -> Vec<Op> {
    let mut diff = Diff::default();
    diff.compute_with(algorithm, before, after, distinct_tokens);
    let mut ops = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    let keep = |ops: &mut Vec<Op>, i: usize, j: usize, until: usize| {
        if until > i {
            let len = old_bounds[until] - old_bounds[i];
            ops.push(Op::Kept(Run {
                old: old_bounds[i],
                new: new_bounds[j],
                len,
            }));
        }
    };
    for hunk in diff.hunks() {
        let (b, a) = (
            hunk.before.start as usize..hunk.before.end as usize,
            hunk.after.start as usize..hunk.after.end as usize,
        );
        keep(&mut ops, i, j, b.start);
        ops.push(Op::Changed {
            old: old_bounds[b.start]..old_bounds[b.end],
            new: new_bounds[a.start]..new_bounds[a.end],
        });
        (i, j) = (b.end, a.end);
    }
    keep(&mut ops, i, j, before.len());
    ops
}

/// The diff with coincidental matches taken back (diff-match-patch's
/// `diff_cleanupSemantic` rule): a kept stretch with changes on both sides,
/// no longer than either of them and not made of whole words, becomes part
/// of one change.
fn cleaned(old: &str, new: &str, ops: Vec<Op>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    for op in ops {
        push_merged(&mut out, op);
        while let [
            ..,
            before @ Op::Changed { .. },
            Op::Kept(kept),
            after @ Op::Changed { .. },
        ] = out.as_slice()
        {
            let (left, right) = (before.changed_len(), after.changed_len());
            // Whole words between small changes are kept ("wrong on Tuesday"); amid a rewrite they are chance.
            let words_worth_keeping = 4 * kept.len >= left.min(right) && whole_words(old, new, *kept);
            if kept.len > left || kept.len > right || words_worth_keeping {
                break;
            }
            let (Op::Changed { old: o1, new: n1 }, Op::Changed { old: o2, new: n2 }) = (before, after) else {
                break;
            };
            let merged = Op::Changed {
                old: o1.start..o2.end,
                new: n1.start..n2.end,
            };
            out.truncate(out.len() - 3);
            push_merged(&mut out, merged);
        }
    }
    out
}

/// Whether a kept stretch holds a letter or digit and begins and ends at word edges in both texts.
fn whole_words(old: &str, new: &str, kept: Run) -> bool {
    let at_edges = |text: &str, start: usize| {
        let end = start + kept.len;
        let inner = &text[start..end];
        let first = inner.chars().next();
        let last = inner.chars().next_back();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let joined = |a: Option<char>, b: Option<char>| {
            a.zip(b)
                .is_some_and(|(a, b)| a.is_alphanumeric() && b.is_alphanumeric())
        };
        !joined(before, first) && !joined(last, after)
    };
    old[kept.old..kept.old + kept.len].chars().any(char::is_alphanumeric)
        && at_edges(old, kept.old)
        && at_edges(new, kept.new)
}

/// Appends `op`, joining it to the last op when both are changes.
fn push_merged(ops: &mut Vec<Op>, op: Op) {
    if let (Some(Op::Changed { old, new }), Op::Changed { old: o, new: n }) = (ops.last_mut(), &op) {
        old.end = o.end;
        new.end = n.end;
        return;
    }
    ops.push(op);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(old: &str, new: &str) -> Vec<(String, usize)> {
        let mut runs = Runs::default();
        refine(old, new, 0..old.len(), 0..new.len(), &mut runs);
        runs.into_vec()
            .into_iter()
            .map(|run| (old[run.old..run.old + run.len].to_owned(), run.new))
            .collect()
    }

    #[test]
    fn a_changed_word_keeps_the_rest_of_the_line_in_characters() {
        assert_eq!(
            kept("The big dog barked.", "The large dog barked."),
            [("The ".to_owned(), 0), (" dog barked.".to_owned(), 9)]
        );
        assert_eq!(kept("colour", "color"), [("colo".to_owned(), 0), ("r".to_owned(), 4)]);
    }

    #[test]
    fn coincidental_letters_of_a_rewritten_phrase_are_not_kept() {
        // Myers alone would keep the shared letters of the two phrases.
        let runs = kept("A: quick brown fox. Z", "A: lazy old dog. Z");
        assert_eq!(runs, [("A: ".to_owned(), 0), (". Z".to_owned(), 15)]);
    }

    #[test]
    fn long_stretches_keep_every_unchanged_word() {
        let old = format!("{} tail", "alpha beta gamma delta ".repeat(200));
        let new = format!("{} tail", "alpha beta GAMMA delta ".repeat(200));
        let runs = kept(&old, &new);
        let kept_bytes: usize = runs.iter().map(|(text, _)| text.len()).sum();
        assert_eq!(kept_bytes, old.len() - 200 * "gamma".len());
    }

    #[test]
    fn prefix_and_suffix_stop_at_character_boundaries() {
        // é and ê share their first UTF-8 byte.
        assert_eq!(common_prefix("é", "ê"), 0);
        assert_eq!(common_suffix("aé", "bé"), "é".len());
        assert_eq!(kept("xéy", "xêy"), [("x".to_owned(), 0), ("y".to_owned(), 3)]);
    }
}
