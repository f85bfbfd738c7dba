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
}
