//! Annotation identities that stay unique across annotators: the `uid` kept
//! beside the readable number (see `team` for why, and the merge that pairs
//! annotations by it).
//!
//! - A new annotation gets a UUID version 7 ([`Uid::drawn`]): 48 bits of
//!   milliseconds since 1970, then random bits from the system's generator,
//!   so two people who add annotations independently never pick the same one.
//! - An annotation that comes without one (from a file of format version 1
//!   or 2, or an import) gets a uid derived from the text and its number
//!   ([`Uid::derived`]), a UUID version 8: everyone who opens the same old
//!   file, the merge base included, gives its annotations the same uids.
//!
//! Written in files as 32 lowercase hex digits.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::annotation::AnnotationId;

/// A 128-bit annotation identity; [`Uid::NONE`] until one is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uid(pub u128);

impl Uid {
    /// No identity yet: the project gives one when the annotation enters it.
    pub const NONE: Uid = Uid(0);

    /// Whether this is [`Uid::NONE`].
    #[must_use]
    pub fn is_none(self) -> bool {
        self == Self::NONE
    }

    /// A fresh UUID version 7: the time now and random bits.
    #[must_use]
    pub fn drawn() -> Self {
        Self(uuid::Uuid::now_v7().as_u128())
    }

    /// The uid of annotation `id` of a file that recorded none: a UUID
    /// version 8 made of the first 128 bits of the SHA-256 of
    /// `counterpoint-uid\n`, the text's `text_sha256` (of its UTF-8 bytes, as
    /// [`text_sha256`] gives it), a line break and the number in decimal.
    #[must_use]
    pub fn derived(text_sha256: &[u8; 32], id: AnnotationId) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"counterpoint-uid\n");
        hasher.update(text_sha256);
        hasher.update(b"\n");
        hasher.update(id.0.to_string().as_bytes());
        let digest = hasher.finalize();
        let mut first = [0_u8; 16];
        first.copy_from_slice(&digest[..16]);
        Self(uuid::Uuid::new_v8(first).as_u128())
    }

    /// Parses 32 hex digits (either case).
    #[must_use]
    pub fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u128::from_str_radix(hex, 16).ok().map(Self)
    }
}

/// The SHA-256 of a text's UTF-8 bytes, the input of [`Uid::derived`].
#[must_use]
pub fn text_sha256(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

impl std::fmt::Display for Uid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl Serialize for Uid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Uid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Uid::from_hex(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{} is not a uid (32 hex digits)", crate::messages::echo(&text)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_uids_are_version_7_distinct_and_ordered_by_time() {
        let first = Uid::drawn();
        let second = Uid::drawn();
        assert_ne!(first, second);
        assert_eq!(uuid::Uuid::from_u128(first.0).get_version_num(), 7);
        // The leading 48 bits are milliseconds: a later uid never sorts before by time.
        assert!(second.0 >> 80 >= first.0 >> 80);
    }

    #[test]
    fn derived_uids_depend_on_text_and_number_only() {
        let text = text_sha256("Prices exploded.");
        let one = Uid::derived(&text, AnnotationId(1));
        assert_eq!(one, Uid::derived(&text_sha256("Prices exploded."), AnnotationId(1)));
        assert_ne!(one, Uid::derived(&text, AnnotationId(2)));
        assert_ne!(one, Uid::derived(&text_sha256("Prices fell."), AnnotationId(1)));
        assert_eq!(uuid::Uuid::from_u128(one.0).get_version_num(), 8);
        assert!(!one.is_none());
    }

    #[test]
    fn uids_are_written_as_32_hex_digits_and_read_back() {
        let uid = Uid(0x0192_3456_789a_7bcd_8ef0_1234_5678_9abc);
        assert_eq!(uid.to_string(), "01923456789a7bcd8ef0123456789abc");
        assert_eq!(Uid::from_hex(&uid.to_string()), Some(uid));
        assert_eq!(Uid::from_hex("01923456789A7BCD8EF0123456789ABC"), Some(uid));
        for bad in [
            "",
            "123",
            "+1923456789a7bcd8ef0123456789abc",
            "01923456789a7bcd8ef0123456789abg",
        ] {
            assert_eq!(Uid::from_hex(bad), None, "{bad}");
        }
        let written = ron::to_string(&uid).unwrap();
        assert_eq!(ron::from_str::<Uid>(&written).unwrap(), uid);
        assert!(ron::from_str::<Uid>("\"xyz\"").is_err());
    }
}
