//! Typed text offsets and the one place that converts between them.
//!
//! Inside the program every offset is a [`ByteOffset`] into the UTF-8 text
//! (fast slicing, what Rust strings use). Files speak other units: the project
//! file, brat, `SemEval` and W3C count Unicode code points ([`CharOffset`]);
//! doccano and Label Studio count UTF-16 code units ([`Utf16Offset`]).
//! Mixing them is the classic bug of this field, so each unit is its own type
//! and [`OffsetIndex`] is the only converter.
//!
//! ```text
//!   text:      a  é  👍  b
//!   bytes:     0  1  3   7  8
//!   chars:     0  1  2   3  4
//!   utf16:     0  1  2   4  5
//! ```

use serde::{Deserialize, Serialize};

/// An offset in UTF-8 bytes into the document text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ByteOffset(pub usize);

/// An offset in Unicode code points (Rust `char`s, Python `str` indices).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharOffset(pub usize);

/// An offset in UTF-16 code units (JavaScript string indices).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Utf16Offset(pub usize);

/// Why an offset could not be converted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OffsetError {
    #[error("offset {offset} is past the end of the text ({len})")]
    OutOfRange { offset: usize, len: usize },
    #[error("byte offset {0} falls inside a UTF-8 character")]
    InsideCharacter(usize),
    #[error("UTF-16 offset {0} falls between the two halves of a surrogate pair")]
    InsideSurrogatePair(usize),
    #[error(
        "byte offset {0} falls between the CR and LF of a line break, which this file format counts as one character"
    )]
    InsideCrlf(usize),
    #[error("code point 0 is the file's byte-order mark, which is not part of the text")]
    OnByteOrderMark,
}

/// How many bytes lie between two checkpoints; small enough that the scan
/// after a binary search is short, large enough that the index stays small
/// (about 24 bytes of index per 128 bytes of text).
const CHECKPOINT_STRIDE_BYTES: usize = 128;

/// A position known in all three units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Checkpoint {
    byte: usize,
    char: usize,
    utf16: usize,
}

/// Converts offsets between bytes, code points and UTF-16 units over one text
/// in `O(log n)` each, after an `O(n)` build.
#[derive(Clone, Debug)]
pub struct OffsetIndex {
    checkpoints: Vec<Checkpoint>,
    end: Checkpoint,
}

impl OffsetIndex {
    /// Builds the index for `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_STRIDE_BYTES + 1);
        let mut at = Checkpoint::default();
        let mut next_checkpoint_byte = 0;
        for ch in text.chars() {
            if at.byte >= next_checkpoint_byte {
                checkpoints.push(at);
                next_checkpoint_byte = at.byte + CHECKPOINT_STRIDE_BYTES;
            }
            at.byte += ch.len_utf8();
            at.char += 1;
            at.utf16 += ch.len_utf16();
        }
        checkpoints.push(at);
        Self { checkpoints, end: at }
    }

    /// Length of the text in code points.
    #[must_use]
    pub fn len_chars(&self) -> CharOffset {
        CharOffset(self.end.char)
    }

    /// Length of the text in UTF-16 units.
    #[must_use]
    pub fn len_utf16(&self) -> Utf16Offset {
        Utf16Offset(self.end.utf16)
    }

    /// Converts a byte offset (which must lie on a character boundary) to code points.
    pub fn byte_to_char(&self, text: &str, offset: ByteOffset) -> Result<CharOffset, OffsetError> {
        let (start, tail) = self.scan_from(text, offset)?;
        Ok(CharOffset(start.char + tail.chars().count()))
    }

    /// Converts a byte offset (which must lie on a character boundary) to UTF-16 units.
    pub fn byte_to_utf16(&self, text: &str, offset: ByteOffset) -> Result<Utf16Offset, OffsetError> {
        let (start, tail) = self.scan_from(text, offset)?;
        Ok(Utf16Offset(start.utf16 + tail.encode_utf16().count()))
    }

    /// Converts a code-point offset to bytes.
    pub fn char_to_byte(&self, text: &str, offset: CharOffset) -> Result<ByteOffset, OffsetError> {
        if offset.0 > self.end.char {
            return Err(OffsetError::OutOfRange {
                offset: offset.0,
                len: self.end.char,
            });
        }
        let index = self.checkpoints.partition_point(|c| c.char <= offset.0) - 1;
        let start = self.checkpoints[index];
        let byte = text[start.byte..]
            .char_indices()
            .nth(offset.0 - start.char)
            .map_or(text.len(), |(i, _)| start.byte + i);
        Ok(ByteOffset(byte))
    }

    /// Converts a UTF-16 offset to bytes; an offset between two surrogate
    /// halves is an error, never silently rounded.
    pub fn utf16_to_byte(&self, text: &str, offset: Utf16Offset) -> Result<ByteOffset, OffsetError> {
        if offset.0 > self.end.utf16 {
            return Err(OffsetError::OutOfRange {
                offset: offset.0,
                len: self.end.utf16,
            });
        }
        let index = self.checkpoints.partition_point(|c| c.utf16 <= offset.0) - 1;
        let start = self.checkpoints[index];
        let mut utf16 = start.utf16;
        for (i, ch) in text[start.byte..].char_indices() {
            if utf16 == offset.0 {
                return Ok(ByteOffset(start.byte + i));
            }
            utf16 += ch.len_utf16();
            if utf16 > offset.0 {
                return Err(OffsetError::InsideSurrogatePair(offset.0));
            }
        }
        Ok(ByteOffset(text.len()))
    }

    /// Finds the checkpoint at or before `offset` and the text between them.
    fn scan_from<'t>(&self, text: &'t str, offset: ByteOffset) -> Result<(Checkpoint, &'t str), OffsetError> {
        if offset.0 > text.len() {
            return Err(OffsetError::OutOfRange {
                offset: offset.0,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(offset.0) {
            return Err(OffsetError::InsideCharacter(offset.0));
        }
        let index = self.checkpoints.partition_point(|c| c.byte <= offset.0) - 1;
        let start = self.checkpoints[index];
        Ok((start, &text[start.byte..offset.0]))
    }
}

/// How a CRLF line break counts in another tool's code-point offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrlfCount {
    /// As one character: the tool read the file with universal newlines (brat, Python's default).
    One,
    /// As two characters, CR and LF, as they are in the file (`SemEval`).
    Two,
}

/// How another tool counts code points over a file's raw text, which may
/// differ from our text in two ways: a UTF-8 byte-order mark that the tool
/// keeps as code point 0 (our text has it removed), and CRLF pairs that a
/// tool reading with universal newlines counts as one character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawCharRule {
    /// The file starts with a byte-order mark that the tool counts as code point 0.
    pub bom: bool,
    pub crlf: CrlfCount,
}

/// Converts between byte offsets into our text and another tool's code-point
/// offsets over the raw file (see [`RawCharRule`]).
///
/// ```text
///   file:   BOM  a  \r \n  b
///   bytes:       0  1   2   3  4        (our text has no BOM)
///   raw, bom + CRLF=Two:  1  2  3  4  5
///   raw, bom + CRLF=One:  1  2  -  3  4  (byte 2, inside the CRLF, has no raw offset)
/// ```
#[derive(Clone, Debug)]
pub struct RawCharIndex {
    index: OffsetIndex,
    rule: RawCharRule,
    /// With [`CrlfCount::One`]: the code-point offset of every CR that starts a CRLF, ascending.
    crlf_chars: Vec<usize>,
}

impl RawCharIndex {
    /// Builds the index for `text` (our text: no BOM, line breaks as in the file).
    #[must_use]
    pub fn new(text: &str, rule: RawCharRule) -> Self {
        let crlf_chars = match rule.crlf {
            CrlfCount::Two => Vec::new(),
            CrlfCount::One => {
                let mut found = Vec::new();
                let mut previous_cr = None;
                for (chars, ch) in text.chars().enumerate() {
                    if ch == '\n'
                        && let Some(cr) = previous_cr
                    {
                        found.push(cr);
                    }
                    previous_cr = (ch == '\r').then_some(chars);
                }
                found
            }
        };
        Self {
            index: OffsetIndex::new(text),
            rule,
            crlf_chars,
        }
    }

    fn bom_len(&self) -> usize {
        usize::from(self.rule.bom)
    }

    /// The raw length of the text as the tool counts it (BOM included).
    #[must_use]
    pub fn len_raw(&self) -> CharOffset {
        CharOffset(self.bom_len() + self.index.len_chars().0 - self.crlf_chars.len())
    }

    /// Converts the tool's raw code-point offset to a byte offset into our
    /// text. Offset 0 over a file with a BOM is [`OffsetError::OnByteOrderMark`].
    pub fn raw_to_byte(&self, text: &str, offset: CharOffset) -> Result<ByteOffset, OffsetError> {
        let len = self.len_raw().0;
        if offset.0 > len {
            return Err(OffsetError::OutOfRange { offset: offset.0, len });
        }
        let Some(after_bom) = offset.0.checked_sub(self.bom_len()) else {
            return Err(OffsetError::OnByteOrderMark);
        };
        // The k-th CRLF (counted from 0) sits at raw position `cr - k`; every
        // one strictly before the offset adds its LF back.
        // `cr - k` grows with k, so a binary search finds the count.
        let (mut low, mut high) = (0, self.crlf_chars.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if self.crlf_chars[mid] - mid < after_bom {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        let crlfs_before = low;
        self.index.char_to_byte(text, CharOffset(after_bom + crlfs_before))
    }

    /// Converts a byte offset into our text to the tool's raw code-point
    /// offset; an offset between the CR and LF of a pair counted as one is
    /// [`OffsetError::InsideCrlf`].
    pub fn byte_to_raw(&self, text: &str, offset: ByteOffset) -> Result<CharOffset, OffsetError> {
        let chars = self.index.byte_to_char(text, offset)?.0;
        let crlfs_before = self.crlf_chars.partition_point(|cr| *cr < chars);
        if crlfs_before > 0 && self.crlf_chars[crlfs_before - 1] + 1 == chars {
            return Err(OffsetError::InsideCrlf(offset.0));
        }
        Ok(CharOffset(self.bom_len() + chars - crlfs_before))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_picture_in_the_module_docs_holds() {
        let text = "aé👍b";
        let index = OffsetIndex::new(text);
        let bytes = [0, 1, 3, 7, 8];
        let chars = [0, 1, 2, 3, 4];
        let utf16 = [0, 1, 2, 4, 5];
        for i in 0..5 {
            assert_eq!(index.byte_to_char(text, ByteOffset(bytes[i])), Ok(CharOffset(chars[i])));
            assert_eq!(
                index.byte_to_utf16(text, ByteOffset(bytes[i])),
                Ok(Utf16Offset(utf16[i]))
            );
            assert_eq!(index.char_to_byte(text, CharOffset(chars[i])), Ok(ByteOffset(bytes[i])));
            assert_eq!(
                index.utf16_to_byte(text, Utf16Offset(utf16[i])),
                Ok(ByteOffset(bytes[i]))
            );
        }
    }

    #[test]
    fn offsets_that_split_a_character_are_refused() {
        let text = "a👍b";
        let index = OffsetIndex::new(text);
        assert_eq!(
            index.byte_to_char(text, ByteOffset(2)),
            Err(OffsetError::InsideCharacter(2))
        );
        assert_eq!(
            index.utf16_to_byte(text, Utf16Offset(2)),
            Err(OffsetError::InsideSurrogatePair(2))
        );
        assert_eq!(
            index.char_to_byte(text, CharOffset(4)),
            Err(OffsetError::OutOfRange { offset: 4, len: 3 })
        );
    }

    proptest! {
        /// Against the plain reference: Rust's own `char_indices` and `encode_utf16`.
        #[test]
        fn conversions_agree_with_a_plain_scan(text in "\\PC{0,600}|[a\r\né👍\u{301}\u{200d}]{0,400}") {
            let index = OffsetIndex::new(&text);
            let mut utf16 = 0;
            let boundaries = text.char_indices().chain(std::iter::once((text.len(), 'x')));
            for (chars, (byte, ch)) in boundaries.enumerate() {
                prop_assert_eq!(index.byte_to_char(&text, ByteOffset(byte)), Ok(CharOffset(chars)));
                prop_assert_eq!(index.byte_to_utf16(&text, ByteOffset(byte)), Ok(Utf16Offset(utf16)));
                prop_assert_eq!(index.char_to_byte(&text, CharOffset(chars)), Ok(ByteOffset(byte)));
                prop_assert_eq!(index.utf16_to_byte(&text, Utf16Offset(utf16)), Ok(ByteOffset(byte)));
                utf16 += ch.len_utf16();
            }
            prop_assert_eq!(index.len_chars(), CharOffset(text.chars().count()));
            prop_assert_eq!(index.len_utf16(), Utf16Offset(text.encode_utf16().count()));
        }
    }

    const BRAT: RawCharRule = RawCharRule {
        bom: false,
        crlf: CrlfCount::One,
    };

    #[test]
    fn brat_counts_a_crlf_as_one_character() {
        // "a\r\nb\r\n👍c": brat (universal newlines) sees "a\nb\n👍c".
        let text = "a\r\nb\r\n👍c";
        let raw = RawCharIndex::new(text, BRAT);
        let pairs = [(0, 0), (1, 1), (3, 2), (4, 3), (6, 4), (10, 5), (11, 6)];
        for (byte, brat) in pairs {
            assert_eq!(
                raw.byte_to_raw(text, ByteOffset(byte)),
                Ok(CharOffset(brat)),
                "byte {byte}"
            );
            assert_eq!(
                raw.raw_to_byte(text, CharOffset(brat)),
                Ok(ByteOffset(byte)),
                "brat {brat}"
            );
        }
        assert_eq!(raw.byte_to_raw(text, ByteOffset(2)), Err(OffsetError::InsideCrlf(2)));
        assert_eq!(raw.len_raw(), CharOffset(6));
        assert_eq!(
            raw.raw_to_byte(text, CharOffset(7)),
            Err(OffsetError::OutOfRange { offset: 7, len: 6 })
        );
        // A lone CR is one character either way.
        let lone = "a\rb";
        assert_eq!(
            RawCharIndex::new(lone, BRAT).raw_to_byte(lone, CharOffset(2)),
            Ok(ByteOffset(2))
        );
    }

    #[test]
    fn semeval_counts_the_bom_as_code_point_zero_and_a_crlf_as_two() {
        let rule = RawCharRule {
            bom: true,
            crlf: CrlfCount::Two,
        };
        let text = "a\r\nb";
        let raw = RawCharIndex::new(text, rule);
        for (byte, semeval) in [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)] {
            assert_eq!(raw.byte_to_raw(text, ByteOffset(byte)), Ok(CharOffset(semeval)));
            assert_eq!(raw.raw_to_byte(text, CharOffset(semeval)), Ok(ByteOffset(byte)));
        }
        assert_eq!(raw.raw_to_byte(text, CharOffset(0)), Err(OffsetError::OnByteOrderMark));
        assert_eq!(raw.len_raw(), CharOffset(5));
    }

    proptest! {
        /// Against the reference: the file text as the tool reads it (BOM kept,
        /// CRLF joined into LF when counted as one), counted with `chars()`.
        #[test]
        fn raw_offsets_agree_with_the_text_the_tool_reads(
            text in "[a\r\n👍\u{301}]{0,60}",
            bom: bool,
            crlf_as_one: bool,
        ) {
            let rule = RawCharRule { bom, crlf: if crlf_as_one { CrlfCount::One } else { CrlfCount::Two } };
            let raw = RawCharIndex::new(&text, rule);
            let mut tool_chars = usize::from(bom);
            let bytes = text.as_bytes();
            for (byte, ch) in text.char_indices() {
                let joined_lf = crlf_as_one && ch == '\n' && byte > 0 && bytes[byte - 1] == b'\r';
                if joined_lf {
                    prop_assert_eq!(raw.byte_to_raw(&text, ByteOffset(byte)), Err(OffsetError::InsideCrlf(byte)));
                    continue;
                }
                prop_assert_eq!(raw.byte_to_raw(&text, ByteOffset(byte)), Ok(CharOffset(tool_chars)));
                prop_assert_eq!(raw.raw_to_byte(&text, CharOffset(tool_chars)), Ok(ByteOffset(byte)));
                tool_chars += 1;
            }
            prop_assert_eq!(raw.byte_to_raw(&text, ByteOffset(text.len())), Ok(CharOffset(tool_chars)));
            prop_assert_eq!(raw.len_raw(), CharOffset(tool_chars));
        }
    }
}
