//! The document split into paragraphs (lines) and their heights on screen:
//! the bookkeeping that lets the text view lay out only what is visible.
//! Pure arithmetic, no egui.
//!
//! ```text
//!   text:   "ab\r\ncd\n\nef"
//!   lines:   [0,2)  [4,6)  [7,7)  [8,10)     (line breaks belong to no line;
//!                                             CRLF is one break)
//! ```
//!
//! Lines end where [`LineBreaks::Display`] says: LF, CRLF, a lone CR, and
//! the separators (VT, FF, NEL, U+2028, U+2029) that the text keeps but a
//! reader sees as new lines.
//!
//! A line longer than [`MAX_BLOCK_BYTES`] is cut into blocks (after a space
//! where there is one, always between grapheme clusters), so that no single
//! layout is huge even in a text without line breaks.

use crate::model::lines::{self as model_lines, LineBreaks};
use crate::model::offsets::ByteOffset;
use crate::model::span::{self, Snap, Span};

/// The longest block laid out as one piece.
pub const MAX_BLOCK_BYTES: usize = 16 * 1024;

/// Where each line (or block of a very long line) of a text starts and ends, without its line break.
#[derive(Clone, Debug, Default)]
pub struct Paragraphs {
    lines: Vec<Span>,
}

impl Paragraphs {
    /// Splits `text` into lines (see the module docs) in one pass.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut lines = Vec::new();
        for line in model_lines::lines(text, LineBreaks::Display) {
            push_blocks(text, Span::new(line.start, line.content_end()), &mut lines);
        }
        Self { lines }
    }

    /// How many lines there are (at least one).
    #[must_use]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether there are no lines (only for a default, never for a real text).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The line with this index (empty past the end).
    #[must_use]
    pub fn line(&self, index: usize) -> Span {
        self.lines.get(index).copied().unwrap_or(Span::new(0, 0))
    }

    /// The line holding `offset`; an offset inside a line break belongs to the line before it.
    #[must_use]
    pub fn index_of(&self, offset: ByteOffset) -> usize {
        self.lines
            .partition_point(|line| line.start <= offset)
            .saturating_sub(1)
    }

    /// The whole line holding `offset`, across the blocks a very long line is cut into
    /// (what a triple-click selects). Blocks of one line touch; a line break lies between lines.
    #[must_use]
    pub fn whole_line(&self, offset: ByteOffset) -> Span {
        let index = self.index_of(offset);
        let mut first = index;
        while first > 0 && self.line(first - 1).end == self.line(first).start {
            first -= 1;
        }
        let mut last = index;
        while last + 1 < self.lines.len() && self.line(last).end == self.line(last + 1).start {
            last += 1;
        }
        Span {
            start: self.line(first).start,
            end: self.line(last).end,
        }
    }

    /// The lines that `span` touches, as an index range.
    #[must_use]
    pub fn touched_by(&self, span: Span) -> std::ops::Range<usize> {
        let first = self.index_of(span.start);
        let last = self.index_of(span.end.max(span.start));
        first..last + 1
    }
}

/// Pushes `line`, cut into blocks of at most [`MAX_BLOCK_BYTES`] (a block
/// holding one huge cluster may be longer).
fn push_blocks(text: &str, line: Span, lines: &mut Vec<Span>) {
    let mut start = line.start.0;
    while line.end.0 - start > MAX_BLOCK_BYTES {
        let limit = span::snap_to_grapheme(text, ByteOffset(start + MAX_BLOCK_BYTES), Snap::Backward).0;
        let cut = text
            .get(start..limit)
            .and_then(|block| block.rfind(' '))
            .map_or(limit, |space| start + space + 1);
        let cut = if cut > start {
            cut
        } else {
            span::snap_to_grapheme(text, ByteOffset(start + 1), Snap::Forward).0
        };
        lines.push(Span::new(start, cut));
        start = cut;
    }
    lines.push(Span::new(start, line.end.0));
}

/// Heights of a run of items with `O(log n)` update, prefix sum and lookup
/// by position (a Fenwick tree), so scrolling through 100,000 paragraphs
/// never walks them all.
#[derive(Clone, Debug, Default)]
pub struct HeightIndex {
    heights: Vec<f64>,
    tree: Vec<f64>,
}

impl HeightIndex {
    /// An index over these heights.
    #[must_use]
    pub fn new(heights: impl IntoIterator<Item = f32>) -> Self {
        let heights: Vec<f64> = heights.into_iter().map(f64::from).collect();
        let mut tree = heights.clone();
        for i in 0..tree.len() {
            let parent = i | (i + 1);
            if parent < tree.len() {
                tree[parent] += tree[i];
            }
        }
        Self { heights, tree }
    }

    /// How many items there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.heights.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }

    /// The height of one item.
    #[must_use]
    pub fn height(&self, index: usize) -> f32 {
        to_points(self.heights.get(index).copied().unwrap_or(0.0))
    }

    /// Changes one item's height.
    pub fn set(&mut self, index: usize, height: f32) {
        let Some(old) = self.heights.get_mut(index) else { return };
        let delta = f64::from(height) - *old;
        *old = f64::from(height);
        let mut i = index;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i |= i + 1;
        }
    }

    /// The total height of the items before `index`: where item `index` begins.
    #[must_use]
    pub fn top_of(&self, index: usize) -> f32 {
        let mut sum = 0.0;
        let mut i = index.min(self.tree.len());
        while i > 0 {
            sum += self.tree[i - 1];
            i &= i - 1;
        }
        to_points(sum)
    }

    /// The height of all items.
    #[must_use]
    pub fn total(&self) -> f32 {
        self.top_of(self.heights.len())
    }

    /// The item that covers position `y` (clamped to the first and last item).
    #[must_use]
    pub fn index_at(&self, y: f32) -> usize {
        let n = self.tree.len();
        if n == 0 {
            return 0;
        }
        let mut remaining = f64::from(y.max(0.0));
        let mut position = 0; // items [0, position) lie wholly above y
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = position + step;
            if next <= n && self.tree[next - 1] <= remaining {
                position = next;
                remaining -= self.tree[next - 1];
            }
            step /= 2;
        }
        position.min(n - 1)
    }
}

/// Sums are kept in `f64` so that 100,000 paragraphs add up exactly enough;
/// screen positions are `f32`.
#[allow(clippy::cast_possible_truncation)]
fn to_points(value: f64) -> f32 {
    value as f32
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the heights are small integers, exact in f32
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_split_at_lf_and_crlf() {
        let text = "ab\r\ncd\n\nef";
        let paragraphs = Paragraphs::new(text);
        let quotes: Vec<&str> = (0..paragraphs.len())
            .map(|i| paragraphs.line(i).quote(text).unwrap())
            .collect();
        assert_eq!(quotes, ["ab", "cd", "", "ef"]);
        assert_eq!(paragraphs.index_of(ByteOffset(3)), 0, "inside the CRLF");
        assert_eq!(paragraphs.index_of(ByteOffset(4)), 1);
        assert_eq!(paragraphs.touched_by(Span::new(1, 9)), 0..4);
        assert_eq!(Paragraphs::new("").len(), 1);
        assert_eq!(Paragraphs::new("a\n").line(1), Span::new(2, 2));
    }

    #[test]
    fn a_lone_cr_and_the_separators_end_lines_on_screen() {
        let text = "old\rmac\rfile\u{b}soft\u{2028}ls\u{85}nel";
        let paragraphs = Paragraphs::new(text);
        let quotes: Vec<&str> = (0..paragraphs.len())
            .map(|i| paragraphs.line(i).quote(text).unwrap())
            .collect();
        assert_eq!(quotes, ["old", "mac", "file", "soft", "ls", "nel"]);
        assert_eq!(paragraphs.whole_line(ByteOffset(5)).quote(text), Some("mac"));
    }

    #[test]
    fn a_whole_line_spans_the_blocks_it_is_cut_into() {
        let long = "word ".repeat(MAX_BLOCK_BYTES / 2);
        let text = format!("a\r{long}\rb");
        let paragraphs = Paragraphs::new(&text);
        assert!(paragraphs.len() > 4, "the long line is cut into blocks");
        let middle = ByteOffset(2 + long.len() / 2);
        assert_eq!(paragraphs.whole_line(middle).quote(&text), Some(long.as_str()));
        assert_eq!(paragraphs.whole_line(ByteOffset(0)).quote(&text), Some("a"));
        assert_eq!(paragraphs.whole_line(ByteOffset(text.len())).quote(&text), Some("b"));
        assert_eq!(Paragraphs::new("a\n\nb").whole_line(ByteOffset(2)), Span::new(2, 2));
    }

    #[test]
    fn a_huge_line_is_cut_into_blocks_after_spaces_and_between_clusters() {
        let words = "word👩\u{200d}👧 ".repeat(MAX_BLOCK_BYTES / 5);
        let text = format!("{words}\n{}", "x".repeat(MAX_BLOCK_BYTES * 2 + 3));
        let paragraphs = Paragraphs::new(&text);
        let lines: Vec<Span> = (0..paragraphs.len()).map(|i| paragraphs.line(i)).collect();
        assert!(lines.len() > 4);
        for line in &lines {
            assert!(line.len() <= MAX_BLOCK_BYTES);
            assert_eq!(line.check_graphemes(&text), Ok(()));
        }
        let first_line_blocks: Vec<&Span> = lines.iter().filter(|l| l.end.0 <= words.len()).collect();
        for block in &first_line_blocks[..first_line_blocks.len() - 1] {
            assert!(block.quote(&text).unwrap().ends_with(' '), "cut after a space");
        }
        let covered: usize = lines.iter().map(|l| l.len()).sum();
        assert_eq!(covered, text.len() - 1, "every byte but the line break is in a block");
    }

    #[test]
    fn heights_answer_prefix_sums_and_lookups() {
        let mut heights = HeightIndex::new([10.0, 20.0, 30.0]);
        assert_eq!(heights.top_of(2), 30.0);
        assert_eq!(heights.index_at(29.9), 1);
        assert_eq!(heights.index_at(30.0), 2);
        assert_eq!(heights.index_at(1e9), 2);
        heights.set(0, 5.0);
        assert_eq!(heights.total(), 55.0);
        assert_eq!(heights.index_at(4.0), 0);
        assert_eq!(heights.index_at(5.0), 1);
    }

    proptest! {
        #[test]
        fn heights_match_a_plain_list(
            initial in proptest::collection::vec(0u8..50, 1..60),
            updates in proptest::collection::vec((0usize..60, 0u8..50), 0..20),
            probe in 0u16..3000,
        ) {
            let mut plain: Vec<f32> = initial.iter().map(|&h| f32::from(h)).collect();
            let mut index = HeightIndex::new(plain.clone());
            for (at, height) in updates {
                let at = at % plain.len();
                plain[at] = f32::from(height);
                index.set(at, f32::from(height));
            }
            for i in 0..=plain.len() {
                prop_assert_eq!(index.top_of(i), plain[..i].iter().sum::<f32>());
            }
            let y = f32::from(probe);
            let expected = (0..plain.len())
                .find(|&i| plain[..=i].iter().sum::<f32>() > y)
                .unwrap_or(plain.len() - 1);
            prop_assert_eq!(index.index_at(y), expected);
        }

        #[test]
        fn every_offset_maps_to_the_line_that_holds_it(text in "[ab\r\n\u{b}\u{2028}]{0,30}") {
            let paragraphs = Paragraphs::new(&text);
            for offset in 0..=text.len() {
                let line = paragraphs.line(paragraphs.index_of(ByteOffset(offset)));
                prop_assert!(line.start.0 <= offset);
                let next = paragraphs.line(paragraphs.index_of(ByteOffset(offset)) + 1);
                prop_assert!(paragraphs.index_of(ByteOffset(offset)) + 1 == paragraphs.len() || offset < next.start.0);
            }
        }
    }
}
