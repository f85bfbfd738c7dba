//! Which stretches of the old text the new text keeps, found by a real diff.
//!
//! ```text
//!   old:  The big dog barked.␍␊It ran.␍␊
//!   new:  The large dog barked.␊It ran.␊
//!   runs: "The " · " dog barked." · "␊It ran." · "␊"
//! ```
//!
//! 1. Lines are diffed first (imara-diff's Histogram). When the two texts
//!    mostly end their lines differently (a file converted from CRLF to LF),
//!    lines are compared without their breaks, so they still line up line by
//!    line and only the breaks count as changed.
//! 2. Inside each stretch of changed lines, and between two differing line
//!    breaks, characters are diffed ([`super::refine`]).
//! 3. Blocks of changed lines that reappear whole elsewhere are moves
//!    ([`super::moves`]): a paragraph moved down the page keeps its text.
//!
//! The result is a list of [`Run`]s, each an equal stretch of both texts, in
//! order in both, plus the moved blocks. Nothing here looks at annotations.

use std::ops::Range;

use imara_diff::{Algorithm, Diff, Interner, Token};

use super::{moves, refine};
use crate::model::span::Span;

/// A stretch the change left alone: `old[old..old + len] == new[new..new + len]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Run {
    pub old: usize,
    pub new: usize,
    pub len: usize,
}

impl Run {
    fn old_end(self) -> usize {
        self.old + self.len
    }

    fn new_end(self) -> usize {
        self.new + self.len
    }
}

/// Runs in order, each joined to the one before when they touch in both texts.
#[derive(Debug, Default)]
pub(super) struct Runs(Vec<Run>);

impl Runs {
    /// Appends a run (nothing if empty), joining it to the last one when they touch.
    pub(super) fn push(&mut self, old: usize, new: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.0.last_mut()
            && last.old_end() == old
            && last.new_end() == new
        {
            last.len += len;
            return;
        }
        self.0.push(Run { old, new, len });
    }

    /// The runs.
    pub(super) fn into_vec(self) -> Vec<Run> {
        self.0
    }
}

/// One line of a text: `start..content_end` is its text, `content_end..end` its line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Line {
    pub start: usize,
    pub content_end: usize,
    pub end: usize,
}

/// The lines of `text`, each ended by LF, CRLF or a lone CR (the last may have no break).
pub(super) fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
        let content_end = start + found;
        let crlf = bytes[content_end] == b'\r' && bytes.get(content_end + 1) == Some(&b'\n');
        let end = content_end + if crlf { 2 } else { 1 };
        lines.push(Line {
            start,
            content_end,
            end,
        });
        start = end;
    }
    if start < bytes.len() {
        lines.push(Line {
            start,
            content_end: bytes.len(),
            end: bytes.len(),
        });
    }
    lines
}

/// The run a span starting at `start` begins in: the last one starting at or
/// before it, except that an empty span between two touching runs stays with
/// the text before it.
fn starting_run(runs: &[Run], start: usize, end: usize) -> Option<usize> {
    let k = runs.partition_point(|run| run.old <= start).checked_sub(1)?;
    if start == end && runs[k].old == start && k > 0 && runs[k - 1].old_end() == start {
        return Some(k - 1);
    }
    Some(k)
}

/// The line break most lines of `text` end with (`""` if none has one).
fn main_line_break<'t>(text: &'t str, lines: &[Line]) -> &'t str {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for line in lines {
        let ending = &text[line.content_end..line.end];
        match counts.iter_mut().find(|(seen, _)| *seen == ending) {
            Some((_, count)) => *count += 1,
            None => counts.push((ending, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(_, count)| count)
        .map_or("", |(ending, _)| ending)
}

/// The bytes of a range of lines; an empty range is the point where it would start.
pub(super) fn byte_range(lines: &[Line], range: Range<usize>, text_len: usize) -> Range<usize> {
    if range.is_empty() {
        let at = lines.get(range.start).map_or(text_len, |line| line.start);
        return at..at;
    }
    lines[range.start].start..lines[range.end - 1].end
}

/// How the old text maps onto the new one.
#[derive(Debug)]
pub(super) struct Alignment {
    /// Equal stretches, in order in both texts.
    runs: Vec<Run>,
    /// The runs of lines the line diff kept whole: the strongest evidence.
    line_runs: Vec<Run>,
    /// Moved blocks of whole lines, by old position.
    moves: Vec<Run>,
    /// For each move, the furthest old end among it and those before it.
    move_reach: Vec<usize>,
    new_len: usize,
}

impl Alignment {
    /// Diffs `old` against `new`.
    pub(super) fn new(old: &str, new: &str) -> Self {
        let old_lines = split_lines(old);
        let new_lines = split_lines(new);
        // Lines are compared without their breaks only when the two texts
        // mostly use different ones (a file converted from CRLF to LF);
        // otherwise a break that changed belongs to the edit around it.
        let same_breaks = main_line_break(old, &old_lines) == main_line_break(new, &new_lines);
        let key = |line: &Line| if same_breaks { line.end } else { line.content_end };
        let mut interner: Interner<&str> = Interner::new(old_lines.len() + new_lines.len());
        let before: Vec<Token> = old_lines
            .iter()
            .map(|line| interner.intern(&old[line.start..key(line)]))
            .collect();
        let after: Vec<Token> = new_lines
            .iter()
            .map(|line| interner.intern(&new[line.start..key(line)]))
            .collect();
        let mut diff = Diff::default();
        diff.compute_with(Algorithm::Histogram, &before, &after, interner.num_tokens());

        let mut runs = Runs::default();
        let mut line_runs = Runs::default();
        let mut changed = moves::ChangedLines::new(old_lines.len(), new_lines.len());
        let mut same_lines = |runs: &mut Runs, old_range: Range<usize>, new_start: usize| {
            for (i, j) in old_range.zip(new_start..) {
                let (a, b) = (old_lines[i], new_lines[j]);
                let kept = if old[a.content_end..a.end] == new[b.content_end..b.end] {
                    a.end - a.start
                } else {
                    a.content_end - a.start
                };
                runs.push(a.start, b.start, kept);
                line_runs.push(a.start, b.start, kept);
                refine::refine(old, new, a.start + kept..a.end, b.start + kept..b.end, runs);
            }
        };
        let break_changed = |i: usize, j: usize| {
            let (a, b) = (old_lines[i], new_lines[j]);
            old[a.content_end..a.end] != new[b.content_end..b.end]
        };
        let (mut i, mut j) = (0, 0);
        let mut hunks = diff.hunks().peekable();
        while let Some(hunk) = hunks.next() {
            let mut removed = hunk.before.start as usize..hunk.before.end as usize;
            let mut added = hunk.after.start as usize..hunk.after.end as usize;
            // An equal line beside a change whose line break changed is part
            // of that change (a line split in two): diffing them together
            // finds the smallest edit, where the breaks alone would not.
            if removed.start > i && added.start > j && break_changed(removed.start - 1, added.start - 1) {
                removed.start -= 1;
                added.start -= 1;
            }
            let (next_old, next_new) = hunks.peek().map_or((old_lines.len(), new_lines.len()), |next| {
                (next.before.start as usize, next.after.start as usize)
            });
            if removed.end < next_old && added.end < next_new && break_changed(removed.end, added.end) {
                removed.end += 1;
                added.end += 1;
            }
            same_lines(&mut runs, i..removed.start, j);
            refine::refine(
                old,
                new,
                byte_range(&old_lines, removed.clone(), old.len()),
                byte_range(&new_lines, added.clone(), new.len()),
                &mut runs,
            );
            changed.mark(removed.clone(), added.clone());
            (i, j) = (removed.end, added.end);
        }
        same_lines(&mut runs, i..old_lines.len(), j);

        let moves = moves::find(old, new, &old_lines, &new_lines, &changed);
        let move_reach = moves
            .iter()
            .scan(0, |reach, run| {
                *reach = run.old_end().max(*reach);
                Some(*reach)
            })
            .collect();
        Self {
            runs: runs.into_vec(),
            line_runs: line_runs.into_vec(),
            moves,
            move_reach,
            new_len: new.len(),
        }
    }

    /// Where `span` of `old` lies in `new` if its whole text is one moved
    /// block or one kept stretch: the new start.
    ///
    /// A span that begins in a kept stretch and runs on past its end (or ends
    /// in one and begins before it) also counts when the text it runs into
    /// reads the same in the new text beside the stretch, by no more than the
    /// change there holds: the diff could as well have placed that change a
    /// little further on, as with two blank lines, one kept and one added.
    pub(super) fn exact(&self, old: &str, new: &str, span: Span) -> Option<usize> {
        let (start, end) = (span.start.0, span.end.0);
        // Lines the line diff kept whole come first; then blocks of lines
        // found moved whole elsewhere, stronger than what a character diff
        // kept of a line that changed in place.
        if let Some(run) = starting_run(&self.line_runs, start, end).map(|k| self.line_runs[k])
            && run.old_end() >= end
        {
            return Some(run.new + (start - run.old));
        }
        if let Some(moved) = self.in_move(start, end) {
            return Some(moved);
        }
        let first = starting_run(&self.runs, start, end);
        if let Some(run) = first.map(|k| self.runs[k])
            && run.old_end() >= end
        {
            return Some(run.new + (start - run.old));
        }
        first
            .and_then(|k| self.slid_forward(old, new, k, start, end))
            .or_else(|| self.slid_backward(old, new, start, end))
    }

    fn in_move(&self, start: usize, end: usize) -> Option<usize> {
        let mut k = self.moves.partition_point(|run| run.old <= start);
        while k > 0 && self.move_reach[k - 1] >= end {
            k -= 1;
            let run = self.moves[k];
            if run.old_end() >= end {
                return Some(run.new + (start - run.old));
            }
        }
        None
    }

    /// A span starting inside run `k` whose tail reads the same after the run in both texts.
    fn slid_forward(&self, old: &str, new: &str, k: usize, start: usize, end: usize) -> Option<usize> {
        let run = self.runs[k];
        let (gap_old, gap_new) = self
            .runs
            .get(k + 1)
            .map_or((old.len(), new.len()), |next| (next.old, next.new));
        let reach = (gap_old - run.old_end()) + (gap_new - run.new_end());
        let beyond = end - run.old_end();
        let same = new.get(run.new_end()..run.new_end() + beyond) == old.get(run.old_end()..end);
        (start < run.old_end() && beyond <= reach && same).then(|| run.new + (start - run.old))
    }

    /// A span ending inside a run whose head reads the same before the run in both texts.
    fn slid_backward(&self, old: &str, new: &str, start: usize, end: usize) -> Option<usize> {
        let k = self.runs.partition_point(|run| run.old < end).checked_sub(1)?;
        let run = self.runs[k];
        if start >= run.old || end > run.old_end() {
            return None;
        }
        let (gap_old, gap_new) = k.checked_sub(1).map_or((0, 0), |previous| {
            (self.runs[previous].old_end(), self.runs[previous].new_end())
        });
        let reach = (run.old - gap_old) + (run.new - gap_new);
        let before = run.old - start;
        let new_start = run.new.checked_sub(before)?;
        let same = new.get(new_start..run.new) == old.get(start..run.old);
        (before <= reach && same).then_some(new_start)
    }

    /// Where the diff put the text of `span`: its start and end carried
    /// through the kept stretches; an end inside changed text goes to the
    /// edge of what replaced it (the start to the front, the end to the back).
    pub(super) fn mapped(&self, span: Span) -> Span {
        let (start, end) = (span.start.0, span.end.0);
        let from = match self.runs.partition_point(|run| run.old <= start).checked_sub(1) {
            Some(k) if start < self.runs[k].old_end() => self.runs[k].new + (start - self.runs[k].old),
            Some(k) => self.runs[k].new_end(),
            None => 0,
        };
        let to = match self.runs.partition_point(|run| run.old < end).checked_sub(1) {
            Some(k) if end <= self.runs[k].old_end() => self.runs[k].new + (end - self.runs[k].old),
            Some(k) => self.runs.get(k + 1).map_or(self.new_len, |next| next.new),
            None if end == 0 => 0,
            None => self.runs.first().map_or(self.new_len, |first| first.new),
        };
        Span::new(from, to.max(from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(old: &str, new: &str, start: usize, end: usize) -> Option<usize> {
        Alignment::new(old, new).exact(old, new, Span::new(start, end))
    }

    #[test]
    fn lines_split_at_each_kind_of_break() {
        let lines = split_lines("a\r\nb\rc\n\nd");
        let ends: Vec<(usize, usize)> = lines.iter().map(|l| (l.content_end, l.end)).collect();
        assert_eq!(ends, [(1, 3), (4, 5), (6, 7), (7, 8), (9, 9)]);
        assert!(split_lines("").is_empty());
    }

    #[test]
    fn text_before_and_after_an_edit_moves_exactly() {
        let old = "One line.\nThe big dog barked.\nLast line.\n";
        let new = "One line.\nThe large dog barked.\nLast line.\n";
        let dog = old.find("dog").unwrap();
        assert_eq!(exact(old, new, dog, dog + 3), Some(new.find("dog").unwrap()));
        assert_eq!(exact(old, new, 0, 4), Some(0));
        let last = old.find("Last").unwrap();
        assert_eq!(exact(old, new, last, old.len()), Some(new.find("Last").unwrap()));
        assert_eq!(exact(old, new, dog - 4, dog + 3), None, "\"big dog\" changed");
    }

    #[test]
    fn crlf_to_lf_keeps_every_line_and_changes_only_the_breaks() {
        let old = "First line\r\nSecond line\r\n";
        let new = "First line\nSecond line\n";
        assert_eq!(exact(old, new, 0, 10), Some(0));
        assert_eq!(exact(old, new, 12, 18), Some(11));
        assert_eq!(exact(old, new, 0, 12), None, "the span holds a CRLF that is now LF");
        assert_eq!(Alignment::new(old, new).mapped(Span::new(0, 12)), Span::new(0, 11));
    }

    #[test]
    fn a_line_break_typed_into_a_crlf_text_is_an_insertion_not_a_changed_break() {
        // Compared without breaks, "a the" would line up with "a the" and its
        // CR look deleted; compared whole, the edit is one inserted LF.
        let old = "a the\r\n\r\nnext line\r\n";
        let new = "a the\n\r\n\r\nnext line\r\n";
        assert_eq!(exact(old, new, 5, 6), Some(6), "the CR, after the typed LF");
        assert_eq!(exact(old, new, 0, 7), None, "this span held the place of the insertion");
        assert_eq!(exact(old, new, 7, old.len()), Some(8));
    }

    #[test]
    fn a_moved_paragraph_keeps_its_text() {
        let first = "The first paragraph, which will move down.\n\n";
        let second = "The second paragraph stays where it is.\n\n";
        let third = "And a third one closes the text.\n";
        let old = format!("{first}{second}{third}");
        let new = format!("{second}{first}{third}");
        let moved = exact(&old, &new, 4, first.len());
        assert_eq!(
            moved.map(|start| &new[start..start + first.len() - 4]),
            Some(&first[4..])
        );
        let stays = old.find("stays").unwrap();
        assert_eq!(exact(&old, &new, stays, stays + 5), Some(new.find("stays").unwrap()));
    }

    #[test]
    fn mapped_spans_cover_what_replaced_their_text() {
        let old = "The big dog barked.";
        let new = "The large dog barked.";
        let alignment = Alignment::new(old, new);
        assert_eq!(
            alignment.mapped(Span::new(4, 11)),
            Span::new(4, 13),
            "big dog → large dog"
        );
        assert_eq!(alignment.mapped(Span::new(4, 7)), Span::new(4, 9), "big → large");
        let deleted = Alignment::new("keep this, drop that", "keep this");
        assert_eq!(deleted.mapped(Span::new(11, 20)), Span::new(9, 9));
    }
}
