//! Moved blocks: lines the diff saw removed in one place and added in
//! another, byte for byte (git's `--color-moved` idea).
//!
//! A block counts only when it is proven: it starts at a removed line that
//! equals one added line better than any other (no other removed line pairs
//! as far with that added line, no other added line as far with it), and it
//! holds at least [`MIN_MOVED_BYTES`] bytes that are not white space, so a
//! blank line or a lone `}` never "moves". A block is then widened over the
//! equal lines around it, so a paragraph moves with its blank line even when
//! the diff paired that blank line with another.

use std::collections::HashMap;
use std::ops::Range;

use super::align::{Line, Run};

/// The fewest non-space bytes a moved block holds.
const MIN_MOVED_BYTES: usize = 20;
/// A line equal to more added (or removed) lines than this cannot start a block: too common to prove anything.
const MAX_CANDIDATES: usize = 8;
/// How far a block is widened over lines the diff already paired.
const MAX_WIDENING: usize = 64;

/// Which lines the diff marked removed (old) and added (new).
pub(super) struct ChangedLines {
    removed: Vec<bool>,
    added: Vec<bool>,
}

impl ChangedLines {
    /// No line changed yet.
    pub(super) fn new(old_lines: usize, new_lines: usize) -> Self {
        Self {
            removed: vec![false; old_lines],
            added: vec![false; new_lines],
        }
    }

    /// Marks one hunk's lines.
    pub(super) fn mark(&mut self, removed: Range<usize>, added: Range<usize>) {
        self.removed[removed].fill(true);
        self.added[added].fill(true);
    }
}

struct Sides<'t> {
    old: &'t str,
    new: &'t str,
    old_lines: &'t [Line],
    new_lines: &'t [Line],
}

impl Sides<'_> {
    fn old_line(&self, i: usize) -> &str {
        let line = self.old_lines[i];
        &self.old[line.start..line.end]
    }

    fn new_line(&self, j: usize) -> &str {
        let line = self.new_lines[j];
        &self.new[line.start..line.end]
    }
}

/// The moved blocks, by old position.
pub(super) fn find(old: &str, new: &str, old_lines: &[Line], new_lines: &[Line], changed: &ChangedLines) -> Vec<Run> {
    let sides = Sides {
        old,
        new,
        old_lines,
        new_lines,
    };
    let mut removed_by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut added_by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in (0..old_lines.len()).filter(|&i| changed.removed[i]) {
        removed_by_text.entry(sides.old_line(i)).or_default().push(i);
    }
    for j in (0..new_lines.len()).filter(|&j| changed.added[j]) {
        added_by_text.entry(sides.new_line(j)).or_default().push(j);
    }
    let mut used_old = vec![false; old_lines.len()];
    let mut used_new = vec![false; new_lines.len()];
    let mut moves = Vec::new();
    for i in 0..old_lines.len() {
        if !changed.removed[i] || used_old[i] {
            continue;
        }
        let text = sides.old_line(i);
        let (Some(added), Some(removed)) = (added_by_text.get(text), removed_by_text.get(text)) else {
            continue;
        };
        if added.len() > MAX_CANDIDATES || removed.len() > MAX_CANDIDATES {
            continue;
        }
        let length = |i: usize, j: usize| {
            let limit = (old_lines.len() - i).min(new_lines.len() - j);
            (0..limit)
                .take_while(|&k| {
                    changed.removed[i + k]
                        && changed.added[j + k]
                        && !used_old[i + k]
                        && !used_new[j + k]
                        && sides.old_line(i + k) == sides.new_line(j + k)
                })
                .count()
        };
        let Some((j, best)) = unique_best(added.iter().map(|&j| (j, length(i, j)))) else {
            continue;
        };
        if removed.iter().any(|&other| other != i && length(other, j) >= best) {
            continue;
        }
        let block_bytes: usize = (i..i + best)
            .map(|k| sides.old_line(k).bytes().filter(|b| !b.is_ascii_whitespace()).count())
            .sum();
        if block_bytes < MIN_MOVED_BYTES {
            continue;
        }
        used_old[i..i + best].fill(true);
        used_new[j..j + best].fill(true);
        moves.push(widened(&sides, i..i + best, j));
    }
    moves.sort_by_key(|run| run.old);
    moves
}

/// The candidate with the longest block, if no other is as long.
fn unique_best(candidates: impl Iterator<Item = (usize, usize)>) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut tied = false;
    for (j, length) in candidates {
        match best {
            Some((_, longest)) if length == longest => tied = true,
            Some((_, longest)) if length < longest => {}
            _ => {
                best = Some((j, length));
                tied = false;
            }
        }
    }
    best.filter(|&(_, length)| length > 0 && !tied)
}

/// The block of old lines `block` (moved to new line `j`) widened over equal lines on both sides.
fn widened(sides: &Sides<'_>, block: Range<usize>, j: usize) -> Run {
    let (mut first_old, mut first_new) = (block.start, j);
    let mut widened = 0;
    while first_old > 0
        && first_new > 0
        && widened < MAX_WIDENING
        && sides.old_line(first_old - 1) == sides.new_line(first_new - 1)
    {
        first_old -= 1;
        first_new -= 1;
        widened += 1;
    }
    let (mut end_old, mut end_new) = (block.end, j + block.len());
    widened = 0;
    while end_old < sides.old_lines.len()
        && end_new < sides.new_lines.len()
        && widened < MAX_WIDENING
        && sides.old_line(end_old) == sides.new_line(end_new)
    {
        end_old += 1;
        end_new += 1;
        widened += 1;
    }
    let old = sides.old_lines[first_old].start;
    Run {
        old,
        new: sides.new_lines[first_new].start,
        len: sides.old_lines[end_old - 1].end - old,
    }
}
