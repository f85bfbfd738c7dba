//! Turning a file's bytes into text and back, exactly.
//!
//! The text keeps everything the file has: CRLF, lone CR, tabs, vertical
//! tabs, leading spaces, no final newline. Only the encoding layer (a BOM,
//! UTF-16 with or without a BOM, a legacy single-byte code page) is taken off,
//! and it is accepted only when putting it back gives the very same bytes.
//!
//! A file is read in one encoding or not at all: a UTF-8 file with a pasted
//! Windows-1252 passage (its curly quotes as bytes 0x91–0x94) is refused,
//! naming the first stray byte, rather than read as Windows-1252 throughout,
//! which would turn every other accented letter into mojibake.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::messages::echo;

/// The character encoding a document was read in and is written back in.
/// Files write it as its label (`"UTF-8"`, `"windows-1252"`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Windows-1252, the superset of Latin-1 that real "Latin-1" files use.
    Windows1252,
}

impl From<Encoding> for String {
    fn from(encoding: Encoding) -> Self {
        encoding.label().to_owned()
    }
}

impl TryFrom<String> for Encoding {
    type Error = String;

    fn try_from(label: String) -> Result<Self, Self::Error> {
        [
            Encoding::Utf8,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1252,
        ]
        .into_iter()
        .find(|encoding| encoding.label() == label)
        .ok_or_else(|| {
            format!(
                "unknown encoding {} (known: UTF-8, UTF-16LE, UTF-16BE, windows-1252)",
                crate::messages::echo(&label)
            )
        })
    }
}

impl Encoding {
    /// The name people and other tools know the encoding by.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// Text decoded from bytes, with what it takes to write the same bytes back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedText {
    pub text: String,
    pub encoding: Encoding,
    /// Whether the file began with a byte-order mark (not part of `text`).
    pub bom: bool,
}

/// Why a file's bytes were refused as a text document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("this looks like a binary file, not text ({reason})")]
    Binary { reason: String },
    #[error("the file has a UTF-8 byte-order mark but is not valid UTF-8 (bad bytes at byte {byte_offset})")]
    BadUtf8AfterBom { byte_offset: usize },
    #[error("the file has a {encoding} byte-order mark but is not valid {encoding} ({reason})")]
    BadUtf16 { encoding: &'static str, reason: String },
    #[error(
        "the file looks like {encoding} text without a byte-order mark (every other byte is NUL) but is not valid {encoding} ({reason})"
    )]
    BadUtf16WithoutBom { encoding: &'static str, reason: String },
    #[error(
        "the file mixes encodings: UTF-8 except for {stray_bytes} stray byte(s), the first {byte:#04x} at byte {byte_offset} \
         (line {line}, after {}), which Windows-1252 reads as {}; {utf8_characters} other non-ASCII characters are UTF-8. \
         Counterpoint does not guess which bytes mean what: save the file as UTF-8 (retyping that passage) and open it again",
        echo(before),
        echo(windows_1252)
    )]
    MixedEncoding {
        byte_offset: usize,
        byte: u8,
        /// The line of the stray byte, counting from 1.
        line: usize,
        /// A little of the text before it.
        before: String,
        /// The stray byte read as Windows-1252.
        windows_1252: String,
        utf8_characters: usize,
        stray_bytes: usize,
    },
    #[error(
        "the file is not UTF-8 (bad bytes at byte {byte_offset}) and reading it as {guess} would not give back the same bytes; convert it to UTF-8 first"
    )]
    UnknownEncoding { byte_offset: usize, guess: String },
    #[error(
        "the file is not UTF-8 (bad bytes at byte {byte_offset}); it looks like {guess}, which Counterpoint does not read (it reads UTF-8, UTF-16 with a byte-order mark and Windows-1252); convert it to UTF-8 first"
    )]
    UnsupportedEncoding { byte_offset: usize, guess: String },
}

/// Why text could not be written in its encoding.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the character {character:?} at code point {char_offset} cannot be written in {encoding}")]
pub struct EncodeError {
    pub character: char,
    pub char_offset: usize,
    pub encoding: &'static str,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// Decodes a file's bytes, refusing binary data and anything that would not
/// encode back to the same bytes.
pub fn decode(bytes: &[u8]) -> Result<DecodedText, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return match std::str::from_utf8(rest) {
            Ok(text) => utf8_text(text, true),
            Err(error) => Err(DecodeError::BadUtf8AfterBom {
                byte_offset: UTF8_BOM.len() + error.valid_up_to(),
            }),
        };
    }
    if let Some(rest) = bytes.strip_prefix(UTF16LE_BOM) {
        return decode_utf16(rest, Encoding::Utf16Le, true);
    }
    if let Some(rest) = bytes.strip_prefix(UTF16BE_BOM) {
        return decode_utf16(rest, Encoding::Utf16Be, true);
    }
    if let Some(encoding) = utf16_by_its_nuls(bytes) {
        return decode_utf16(bytes, encoding, false).map_err(|error| match error {
            DecodeError::BadUtf16 { encoding, reason } => DecodeError::BadUtf16WithoutBom { encoding, reason },
            other => other,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => utf8_text(text, false),
        Err(error) => match mixed_with_utf8(bytes) {
            Some(mixed) => Err(mixed),
            None => decode_legacy(bytes, error.valid_up_to()),
        },
    }
}

/// UTF-16 without a byte-order mark, told by its NUL bytes: text in Latin,
/// Cyrillic, Greek or Arabic script has a NUL as the high byte of every
/// space, digit and punctuation mark, so NULs fill one byte position of the
/// pairs and (almost) never the other. Binary files have NULs in both.
fn utf16_by_its_nuls(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(8192)];
    if !sample.contains(&0) {
        return None;
    }
    let pairs = sample.len() / 2;
    let nuls_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let (even, odd) = (nuls_at(0), nuls_at(1));
    let one_sided = |many: usize, few: usize| many >= 2 && many * 10 >= pairs && few * 20 <= many;
    if one_sided(odd, even) {
        Some(Encoding::Utf16Le)
    } else if one_sided(even, odd) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The refusal for bytes that are UTF-8 except for a few stray ones: a
/// passage pasted from Windows-1252 into a UTF-8 file. Told apart from a
/// Windows-1252 file, where valid UTF-8 sequences of non-ASCII characters
/// happen only by accident (an `É` before a `»`), by having UTF-8 sequences of
/// three or four bytes, or more two-byte sequences than stray runs.
fn mixed_with_utf8(bytes: &[u8]) -> Option<DecodeError> {
    let (mut two_byte, mut longer, mut stray_runs, mut stray_bytes) = (0, 0, 0, 0);
    let mut first_stray = None;
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        for character in chunk.valid().chars() {
            match character.len_utf8() {
                1 => {}
                2 => two_byte += 1,
                _ => longer += 1,
            }
        }
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            first_stray.get_or_insert((offset, chunk.valid()));
            stray_runs += 1;
            stray_bytes += chunk.invalid().len();
        }
        offset += chunk.invalid().len();
    }
    let (byte_offset, valid_before) = first_stray?;
    if longer == 0 && two_byte < stray_runs {
        return None;
    }
    let byte = bytes[byte_offset];
    let before_line = crate::model::lines::lines(valid_before, crate::model::lines::LineBreaks::File)
        .last()
        .map_or("", |line| line.content);
    let before: String = {
        let tail: Vec<char> = before_line.chars().rev().take(24).collect();
        tail.into_iter().rev().collect()
    };
    let one_byte = [byte];
    let (windows_1252, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&one_byte);
    Some(DecodeError::MixedEncoding {
        byte_offset,
        byte,
        line: line_number(&bytes[..byte_offset]),
        before,
        windows_1252: windows_1252.into_owned(),
        utf8_characters: two_byte + longer,
        stray_bytes,
    })
}

/// The number of the line that starts after `before` (LF, CRLF and lone CR end lines).
fn line_number(before: &[u8]) -> usize {
    let crlf = before.windows(2).filter(|pair| pair == b"\r\n").count();
    1 + before.iter().filter(|b| matches!(b, b'\r' | b'\n')).count() - crlf
}

/// Encodes text back into the bytes of its file.
pub fn encode(text: &str, encoding: Encoding, bom: bool) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(text.len() + 3);
    match encoding {
        Encoding::Utf8 => {
            if bom {
                out.extend_from_slice(UTF8_BOM);
            }
            out.extend_from_slice(text.as_bytes());
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let little_endian = encoding == Encoding::Utf16Le;
            if bom {
                out.extend_from_slice(if little_endian { UTF16LE_BOM } else { UTF16BE_BOM });
            }
            for unit in text.encode_utf16() {
                out.extend_from_slice(&if little_endian {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
        }
        Encoding::Windows1252 => {
            let mut encoder = encoding_rs::WINDOWS_1252.new_encoder();
            out.reserve(text.len());
            for (char_offset, character) in text.chars().enumerate() {
                let mut buffer = [0u8; 4];
                let mut one = [0u8; 8];
                let (result, _, written) =
                    encoder.encode_from_utf8_without_replacement(character.encode_utf8(&mut buffer), &mut one, false);
                if !matches!(result, encoding_rs::EncoderResult::InputEmpty) {
                    return Err(EncodeError {
                        character,
                        char_offset,
                        encoding: encoding.label(),
                    });
                }
                out.extend_from_slice(&one[..written]);
            }
        }
    }
    Ok(out)
}

/// The hex SHA-256 of a file's bytes, kept in projects to recognise the original.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

fn utf8_text(text: &str, bom: bool) -> Result<DecodedText, DecodeError> {
    refuse_binary(text)?;
    Ok(DecodedText {
        text: text.to_owned(),
        encoding: Encoding::Utf8,
        bom,
    })
}

fn decode_utf16(bytes: &[u8], encoding: Encoding, bom: bool) -> Result<DecodedText, DecodeError> {
    let label = encoding.label();
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::BadUtf16 {
            encoding: label,
            reason: "it has an odd number of bytes".into(),
        });
    }
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if encoding == Encoding::Utf16Le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for (unit_index, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(character) => text.push(character),
            Err(error) => {
                return Err(DecodeError::BadUtf16 {
                    encoding: label,
                    reason: format!(
                        "an unpaired surrogate {:#06x} near byte {}",
                        error.unpaired_surrogate(),
                        2 * usize::from(bom) + 2 * unit_index
                    ),
                });
            }
        }
    }
    refuse_binary(&text)?;
    Ok(DecodedText { text, encoding, bom })
}

fn decode_legacy(bytes: &[u8], first_bad_byte: usize) -> Result<DecodedText, DecodeError> {
    if bytes.contains(&0) {
        return Err(DecodeError::Binary {
            reason: "it contains NUL bytes".into(),
        });
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, true);
    let unknown = || DecodeError::UnknownEncoding {
        byte_offset: first_bad_byte,
        guess: guess.name().to_owned(),
    };
    // Only Windows-1252 (and so Latin-1) is offered: a wrong guess among other
    // code pages would silently show the wrong letters.
    if guess != encoding_rs::WINDOWS_1252 {
        return Err(DecodeError::UnsupportedEncoding {
            byte_offset: first_bad_byte,
            guess: guess.name().to_owned(),
        });
    }
    let Some(text) = encoding_rs::WINDOWS_1252.decode_without_bom_handling_and_without_replacement(bytes) else {
        return Err(unknown());
    };
    let text = text.into_owned();
    refuse_binary(&text)?;
    match encode(&text, Encoding::Windows1252, false) {
        Ok(again) if again == bytes => Ok(DecodedText {
            text,
            encoding: Encoding::Windows1252,
            bom: false,
        }),
        _ => Err(unknown()),
    }
}

/// Why a text is not one Counterpoint keeps as a document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    #[error("it contains a NUL character (at code point {char_offset}), which text documents never hold")]
    Nul { char_offset: usize },
    #[error("{controls} of its first {sampled} characters are control characters, as in binary data")]
    Controls { controls: usize, sampled: usize },
}

/// The one rule for what text a document may hold, used when a file is
/// decoded, when an import builds a project and when a project file is
/// loaded or checked, so that a project `check` accepts can be exported and
/// imported again: no NUL, and few control characters other than line
/// breaks, tabs, vertical tabs (Word's and `PowerPoint`'s soft line break)
/// and form feeds.
pub fn check_text(text: &str) -> Result<(), NotText> {
    if let Some(byte_offset) = text.find('\0') {
        return Err(NotText::Nul {
            char_offset: text[..byte_offset].chars().count(),
        });
    }
    let sample: Vec<char> = text.chars().take(8192).collect();
    let controls = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\u{85}'))
        .count();
    if !sample.is_empty() && controls * 10 > sample.len() {
        return Err(NotText::Controls {
            controls,
            sampled: sample.len(),
        });
    }
    Ok(())
}

fn refuse_binary(text: &str) -> Result<(), DecodeError> {
    check_text(text).map_err(|not_text| DecodeError::Binary {
        reason: not_text.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(bytes: &[u8]) -> DecodedText {
        let decoded = decode(bytes).expect("decodes");
        assert_eq!(
            encode(&decoded.text, decoded.encoding, decoded.bom).expect("encodes"),
            bytes
        );
        decoded
    }

    #[test]
    fn shift_jis_and_koi8_are_refused_as_encodings_not_read_not_as_failed_round_trips() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("これは日本語のテキストです。漢字とかなを含みます。\n");
        let (koi8, _, _) = encoding_rs::KOI8_U.encode("Это русский текст в кодировке КОИ-8, довольно длинный.\n");
        for bytes in [sjis, koi8] {
            let error = decode(&bytes).unwrap_err();
            assert!(matches!(error, DecodeError::UnsupportedEncoding { .. }), "{error:?}");
            let message = error.to_string();
            assert!(message.contains("which Counterpoint does not read"), "{message}");
            assert!(!message.contains("would not give back"), "{message}");
        }
    }

    #[test]
    fn utf8_keeps_every_byte() {
        let decoded = round_trip(b" leading space\r\nlone cr\rtab\there\nno final newline");
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert!(!decoded.bom);
    }

    #[test]
    fn utf8_bom_is_taken_off_the_text_and_put_back() {
        let decoded = round_trip("\u{feff}Привет".as_bytes());
        assert!(decoded.bom);
        assert_eq!(decoded.text, "Привет");
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "héllo 👍\r\n".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(round_trip(&le).encoding, Encoding::Utf16Le);
        assert_eq!(round_trip(&be).text, "héllo 👍\r\n");
    }

    #[test]
    fn windows_1252_is_decoded_and_written_back() {
        let bytes = b"Caf\xe9 \x93quoted\x94 na\xefve r\xe9sum\xe9 \x80 5 d\xe9j\xe0 vu, tr\xe8s \xe9l\xe9gant";
        let decoded = round_trip(bytes);
        assert_eq!(decoded.encoding, Encoding::Windows1252);
        assert!(decoded.text.starts_with("Café “quoted”"));
    }

    #[test]
    fn binary_and_broken_files_are_refused_with_a_reason() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary { .. })
        ));
        assert!(matches!(decode(b"abc\0def"), Err(DecodeError::Binary { .. })));
        assert!(matches!(
            decode(b"\xEF\xBB\xBFok \xff"),
            Err(DecodeError::BadUtf8AfterBom { byte_offset: 6 })
        ));
        assert!(matches!(decode(b"\xFF\xFEa"), Err(DecodeError::BadUtf16 { .. })));
        assert!(matches!(
            decode(b"\xFF\xFE\x00\xD8a\x00"),
            Err(DecodeError::BadUtf16 { .. })
        ));
        let message = decode(b"\xFF\xFEa").unwrap_err().to_string();
        assert!(message.contains("odd number of bytes"), "{message}");
    }

    #[test]
    fn a_pasted_windows_1252_passage_in_utf8_is_refused_naming_its_first_byte() {
        let mut bytes =
            "Caf\u{e9} \u{201c}cr\u{e8}me\u{201d} na\u{ef}ve, \u{41f}\u{440}\u{438}\u{432}\u{435}\u{442}.\n"
                .as_bytes()
                .to_vec();
        let stray_at = bytes.len() + 9;
        bytes.extend_from_slice(b"He said \x93no\x94 and it\x92s over.\nMore caf\xc3\xa9.\n");
        let error = decode(&bytes).unwrap_err();
        let DecodeError::MixedEncoding {
            byte_offset,
            byte,
            line,
            stray_bytes,
            ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!((*byte_offset, *byte, *line, *stray_bytes), (stray_at - 1, 0x93, 2, 3));
        let message = error.to_string();
        assert!(
            message.starts_with("the file mixes encodings: UTF-8 except for 3 stray byte(s), the first 0x93 at byte"),
            "{message}"
        );
        assert!(
            message.contains("(line 2, after \"He said \"), which Windows-1252 reads as \"\u{201c}\""),
            "{message}"
        );
        // Curly quotes alone (three-byte UTF-8) make the UTF-8 part unmistakable.
        let error = decode(b"\xe2\x80\x9cQuoted\xe2\x80\x9d\r\n\x93pasted\x94").unwrap_err();
        assert!(matches!(error, DecodeError::MixedEncoding { line: 2, .. }), "{error:?}");
    }

    #[test]
    fn a_windows_1252_file_with_an_accidental_utf8_pair_is_still_windows_1252() {
        // "Stra\u{df}e\u{201d}" ends in DF 94, which happens to be valid UTF-8.
        let decoded = round_trip(b"Die Stra\xdfe \x84gro\xdf\x94, sch\xf6n und gr\xfcn, \xe4hnlich wie fr\xfcher.");
        assert_eq!(decoded.encoding, Encoding::Windows1252);
        assert!(decoded.text.contains("gro\u{df}\u{201d}"));
    }

    #[test]
    fn utf16_without_a_bom_is_told_by_its_nuls_and_written_back_without_one() {
        for (encoding, text) in [
            (Encoding::Utf16Le, "Hello, world.\r\nSecond line \u{1F44D}\r\n"),
            (
                Encoding::Utf16Be,
                "\u{41f}\u{440}\u{438}\u{432}\u{435}\u{442}, \u{43c}\u{438}\u{440}! 1, 2, 3.",
            ),
        ] {
            let bytes = encode(text, encoding, false).unwrap();
            let decoded = round_trip(&bytes);
            assert_eq!(
                (decoded.text.as_str(), decoded.encoding, decoded.bom),
                (text, encoding, false)
            );
        }
        let mut broken = encode("Hello, world, hello again", Encoding::Utf16Le, false).unwrap();
        broken.extend_from_slice(&[0x00, 0xD8, b'a', 0]);
        let message = decode(&broken).unwrap_err().to_string();
        assert!(message.contains("UTF-16LE text without a byte-order mark"), "{message}");
        assert!(!message.contains("binary"), "{message}");
    }

    #[test]
    fn vertical_tabs_are_soft_line_breaks_not_binary() {
        let slides = "Title\u{b}Subtitle\u{b}Point\u{b}A\u{b}B\u{b}C\r\n";
        assert_eq!(round_trip(slides.as_bytes()).text, slides);
    }

    #[test]
    fn empty_file_is_an_empty_document() {
        assert_eq!(round_trip(b"").text, "");
    }

    #[test]
    fn unencodable_character_is_named() {
        let error = encode("ab€Ж", Encoding::Windows1252, false).unwrap_err();
        assert_eq!((error.character, error.char_offset), ('Ж', 3));
    }

    /// A document as a file: text (printable characters and line breaks, or
    /// Latin-1 letters for Windows-1252) in one of the encodings read, and
    /// whether it is a file the decoder must accept. Some have one byte
    /// overwritten, which the decoder may refuse but must never misread.
    fn document_file() -> impl Strategy<Value = (Vec<u8>, bool)> {
        let text = "[\\PC\r\n\t]{0,200}";
        let latin = "[a-zA-Z .,\n\u{e0}-\u{ff}]{0,200}";
        let file = prop_oneof![
            (text, any::<bool>()).prop_map(|(text, bom)| (encode(&text, Encoding::Utf8, bom).unwrap(), true)),
            text.prop_map(|text| (encode(&text, Encoding::Utf16Le, true).unwrap(), true)),
            text.prop_map(|text| (encode(&text, Encoding::Utf16Be, true).unwrap(), true)),
            // chardetng may take a short Latin-1 text for another code page: accepted or not, never misread.
            latin.prop_map(|text| (encode(&text, Encoding::Windows1252, false).unwrap(), false)),
        ];
        (file, any::<Option<(proptest::sample::Index, u8)>>()).prop_map(|((mut bytes, must_decode), damage)| {
            match damage {
                Some((at, byte)) if !bytes.is_empty() => {
                    let at = at.index(bytes.len());
                    bytes[at] = byte;
                    (bytes, false)
                }
                _ => (bytes, must_decode),
            }
        })
    }

    /// The generated files are mostly accepted, so the round trip below is
    /// really exercised (random bytes almost never are).
    #[test]
    fn generated_document_files_are_mostly_accepted() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = document_file();
        let mut accepted = 0;
        for _ in 0..200 {
            let (bytes, _) = strategy.new_tree(&mut runner).unwrap().current();
            accepted += usize::from(decode(&bytes).is_ok());
        }
        assert!(accepted >= 120, "only {accepted} of 200 accepted");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn any_utf8_text_round_trips(text in "[\\PC\r\n\t]{0,300}", bom: bool) {
            let mut bytes = if bom { UTF8_BOM.to_vec() } else { Vec::new() };
            bytes.extend_from_slice(text.as_bytes());
            // Printable characters and line breaks are always text.
            let decoded = decode(&bytes);
            prop_assert!(decoded.is_ok(), "refused: {:?}", decoded);
            let Ok(decoded) = decoded else { return Ok(()) };
            prop_assert_eq!(&decoded.text, &text);
            prop_assert_eq!(decoded.bom, bom);
            prop_assert_eq!(encode(&decoded.text, decoded.encoding, decoded.bom).unwrap(), bytes);
        }

        #[test]
        fn document_files_decode_to_an_exact_round_trip_or_an_error((bytes, must_decode) in document_file()) {
            match decode(&bytes) {
                Ok(decoded) => {
                    prop_assert_eq!(encode(&decoded.text, decoded.encoding, decoded.bom).unwrap(), bytes);
                    prop_assert_eq!(check_text(&decoded.text), Ok(()));
                }
                Err(error) => prop_assert!(!must_decode, "refused: {}", error),
            }
        }
    }
}
