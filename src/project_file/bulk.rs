//! The two bulk lists of a project file, the annotations and the text lines,
//! written and read by hand; everything else in the file goes through ron.
//!
//! Why: ron escapes every character through `char::escape_debug` and parses
//! field by field, so a 5 MB project with 100,000 annotations took longer than
//! half a second to save or to load. The writer here gives ron's bytes exactly
//! (it escapes with the same function, through a table). The reader accepts
//! only the canonical layout the writer makes, one complete item per line and
//! the rest exactly as ron writes it, and answers `None` for anything else
//! (hand edits, comments, CRLF, errors) so that ron parses the file and
//! reports what is wrong. Both are checked against
//! ron over arbitrary projects and arbitrary edits in `tests/project_file_laws.rs`.

use super::schema::{AnnotationRecord, HEADER_COMMENT, ProjectFile, RecordRef, ReviewRecord};
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::attributes::AttributeValues;
use crate::model::review::{ReviewMark, ReviewReason};
use crate::model::tag_set::TagId;
use crate::model::uid::Uid;

/// The line ron writes for an empty annotation list, and the one that opens a full list.
pub(crate) const EMPTY_ANNOTATIONS: &str = "    annotations: [],\n";
pub(crate) const OPEN_ANNOTATIONS: &str = "    annotations: [\n";
pub(crate) const EMPTY_TEXT: &str = "    text: [],\n";
pub(crate) const OPEN_TEXT: &str = "    text: [\n";
pub(crate) const CLOSE_LIST: &str = "    ],\n";
pub(crate) const ITEM_INDENT: &str = "        ";

/// Puts the annotation records and text lines into `skeleton`, which is ron's
/// output for the file with both lists empty. `None` if either empty list is
/// not where ron puts it.
#[must_use]
pub fn fill_skeleton(skeleton: &str, records: &[RecordRef<'_>], lines: &[&str]) -> Option<String> {
    // Whole lines only: a field of the top-level struct starts after a line break.
    let line_at = |line: &str| skeleton.find(&format!("\n{line}")).map(|at| at + 1);
    let annotations_at = line_at(EMPTY_ANNOTATIONS)?;
    let text_at = line_at(EMPTY_TEXT)?;
    if text_at < annotations_at {
        return None;
    }
    // Room for the usual case (few escapes, short tag lists) so the output is not copied as it grows.
    let line_bytes: usize = lines.iter().map(|line| line.len() + 16).sum();
    let record_bytes: usize = records.iter().map(|record| record.quote.len() * 11 / 10 + 96).sum();
    let memo = &mut EscapeMemo::new();
    let mut out = String::with_capacity(skeleton.len() + line_bytes + record_bytes);
    out.push_str(&skeleton[..annotations_at]);
    if records.is_empty() {
        out.push_str(EMPTY_ANNOTATIONS);
    } else {
        out.push_str(OPEN_ANNOTATIONS);
        for record in records {
            write_record(&mut out, record, memo);
        }
        out.push_str(CLOSE_LIST);
    }
    out.push_str(&skeleton[annotations_at + EMPTY_ANNOTATIONS.len()..text_at]);
    if lines.is_empty() {
        out.push_str(EMPTY_TEXT);
    } else {
        out.push_str(OPEN_TEXT);
        for line in lines {
            out.push_str(ITEM_INDENT);
            push_string(&mut out, line, memo);
            out.push_str(",\n");
        }
        out.push_str(CLOSE_LIST);
    }
    out.push_str(&skeleton[text_at + EMPTY_TEXT.len()..]);
    Some(out)
}

/// `(id: 1, uid: "…", start: 0, end: 5, quote: "…", tags: […], counter_claims: […], review: Some((…))),` as ron writes it.
fn write_record(out: &mut String, record: &RecordRef<'_>, memo: &mut EscapeMemo) {
    // Every field named, so one added to `Annotation` or `CounterClaim` does
    // not compile until it is written here (the span is `start`, `end` and `quote`).
    let RecordRef {
        annotation:
            Annotation {
                id,
                uid,
                span: _,
                tags,
                counter_claims,
                review,
                attributes,
            },
        start,
        end,
        quote,
    } = record;
    out.push_str(ITEM_INDENT);
    out.push_str("(id: ");
    push_number(out, id.0);
    if !uid.is_none() {
        out.push_str(", uid: \"");
        push_hex(out, uid.0);
        out.push('"');
    }
    out.push_str(", start: ");
    push_number(out, *start as u64);
    out.push_str(", end: ");
    push_number(out, *end as u64);
    out.push_str(", quote: ");
    push_string(out, quote, memo);
    if !tags.is_empty() {
        out.push_str(", tags: ");
        push_string_list(out, tags.iter().map(|tag| tag.0.as_str()), memo);
    }
    if !counter_claims.is_empty() {
        out.push_str(", counter_claims: [");
        for (index, CounterClaim { text, sources }) in counter_claims.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            out.push_str("(text: ");
            push_string(out, text, memo);
            if !sources.is_empty() {
                out.push_str(", sources: ");
                push_string_list(out, sources.iter().map(String::as_str), memo);
            }
            out.push(')');
        }
        out.push(']');
    }
    if !attributes.is_empty() {
        out.push_str(", attributes: {");
        for (index, (name, value)) in attributes.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            push_string(out, name, memo);
            out.push_str(": ");
            push_string(out, value, memo);
        }
        out.push('}');
    }
    if let Some(ReviewMark { reason, old_quote }) = review {
        out.push_str(", review: Some((reason: ");
        push_string(out, reason.name(), memo);
        if let ReviewReason::Ambiguous { places } = reason
            && *places != 0
        {
            out.push_str(", places: ");
            push_number(out, *places as u64);
        }
        out.push_str(", old_quote: ");
        push_string(out, old_quote, memo);
        out.push_str("))");
    }
    out.push_str("),\n");
}

fn push_string_list<'a>(out: &mut String, items: impl Iterator<Item = &'a str>, memo: &mut EscapeMemo) {
    out.push('[');
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        push_string(out, item, memo);
    }
    out.push(']');
}

/// A quoted string escaped as ron escapes it: each character through `char::escape_debug`.
fn push_string(out: &mut String, text: &str, memo: &mut EscapeMemo) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        // Printable ASCII other than quotes and backslash is the common case: no decoding, no lookup.
        if (0x20..0x7f).contains(&byte) && !matches!(byte, b'"' | b'\'' | b'\\') {
            index += 1;
            continue;
        }
        let Some(character) = text[index..].chars().next() else {
            break;
        };
        let next = index + character.len_utf8();
        if byte >= 0x80 && memo.is_plain(character) {
            index = next;
            continue;
        }
        out.push_str(&text[run_start..index]);
        out.extend(character.escape_debug());
        index = next;
        run_start = next;
    }
    out.push_str(&text[run_start..]);
    out.push('"');
}

/// Writes a number in decimal, as ron does, without the formatting machinery.
fn push_number(out: &mut String, number: u64) {
    let mut digits = [0_u8; 20];
    let mut at = digits.len();
    let mut rest = number;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// Writes 128 bits as 32 lowercase hex digits, as [`Uid`] displays them.
fn push_hex(out: &mut String, value: u128) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..32).rev() {
        out.push(char::from(DIGITS[((value >> (shift * 4)) & 0xf) as usize]));
    }
}

/// Which characters `escape_debug` leaves as they are, remembered for the
/// first two planes (where nearly all text is) because working it out takes
/// table searches that are slow for emoji.
struct EscapeMemo {
    /// 0: not seen yet, 1: plain, 2: escaped.
    seen: Vec<u8>,
}

impl EscapeMemo {
    const REMEMBERED: usize = 0x2_0000;

    fn new() -> Self {
        Self {
            seen: vec![0; Self::REMEMBERED],
        }
    }

    fn is_plain(&mut self, character: char) -> bool {
        let Some(slot) = self.seen.get_mut(character as usize) else {
            return character.escape_debug().len() == 1;
        };
        if *slot == 0 {
            *slot = if character.escape_debug().len() == 1 { 1 } else { 2 };
        }
        *slot == 1
    }
}

/// The file read by the fast path, or `None` when it is not in the canonical
/// layout and ron must read it.
#[must_use]
pub fn read(source: &str) -> Option<ProjectFile> {
    let mut skeleton = String::new();
    let mut annotations = None;
    let mut text = None;
    let mut lines = source.split_inclusive('\n');
    while let Some(line) = lines.next() {
        if line == OPEN_ANNOTATIONS && annotations.is_none() {
            annotations = Some(read_items(&mut lines, Cursor::record)?);
            skeleton.push_str(EMPTY_ANNOTATIONS);
        } else if line == OPEN_TEXT && text.is_none() {
            text = Some(read_items(&mut lines, Cursor::string)?);
            skeleton.push_str(EMPTY_TEXT);
        } else {
            skeleton.push_str(line);
        }
    }
    let mut file: ProjectFile = ron::from_str(&skeleton).ok()?;
    // The rest of the file must be exactly what the writer makes. Then it has no
    // comments, extensions or strings across lines, so the lines taken above
    // were the top-level lists and nothing else; a hand-edited file goes to ron.
    let canonical = ron::ser::to_string_pretty(&file, super::pretty_config()).ok()?;
    if skeleton.strip_prefix(HEADER_COMMENT)?.strip_suffix('\n')? != canonical {
        return None;
    }
    if let Some(annotations) = annotations {
        file.annotations = annotations;
    }
    if let Some(text) = text {
        file.text = text;
    }
    Some(file)
}

/// Items one per line (`        ITEM,`) up to the line that closes the list.
fn read_items<'a, T>(
    lines: &mut impl Iterator<Item = &'a str>,
    mut item: impl FnMut(&mut Cursor<'a>) -> Option<T>,
) -> Option<Vec<T>> {
    let mut items = Vec::new();
    loop {
        let line = lines.next()?;
        if line == CLOSE_LIST {
            return Some(items);
        }
        let body = line.strip_prefix(ITEM_INDENT)?.strip_suffix(",\n")?;
        let mut cursor = Cursor { rest: body };
        items.push(item(&mut cursor)?);
        if !cursor.rest.is_empty() {
            return None;
        }
    }
}

/// Reads the canonical forms of values from one line, and nothing looser.
struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    fn eat(&mut self, expected: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(expected)?;
        Some(())
    }

    fn eat_if(&mut self, expected: &str) -> bool {
        self.eat(expected).is_some()
    }

    /// A decimal number without sign, separators or leading zeros.
    fn number(&mut self) -> Option<u64> {
        let digits = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        let text = &self.rest[..digits];
        if digits == 0 || (digits > 1 && text.starts_with('0')) {
            return None;
        }
        self.rest = &self.rest[digits..];
        text.parse().ok()
    }

    /// A uid as the writer puts it: 32 lowercase hex digits in quotes.
    fn uid(&mut self) -> Option<Uid> {
        let hex = self.rest.strip_prefix('"')?.get(..32)?;
        if !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return None;
        }
        self.rest = self.rest[33..].strip_prefix('"')?;
        Uid::from_hex(hex)
    }

    fn offset(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    /// A quoted string with the escapes `escape_debug` writes.
    fn string(&mut self) -> Option<String> {
        self.eat("\"")?;
        let mut value = String::new();
        loop {
            let stop = self.rest.find(['"', '\\'])?;
            value.push_str(&self.rest[..stop]);
            let after = &self.rest[stop + 1..];
            if self.rest.as_bytes()[stop] == b'"' {
                self.rest = after;
                return Some(value);
            }
            let mut chars = after.chars();
            let escaped = match chars.next()? {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '0' => '\0',
                character @ ('\\' | '"' | '\'') => character,
                'u' => {
                    let hex = chars.as_str().strip_prefix('{')?;
                    let digits = hex.find('}')?;
                    if !(1..=6).contains(&digits) || !hex[..digits].bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    let code = u32::from_str_radix(&hex[..digits], 16).ok()?;
                    chars = hex[digits + 1..].chars();
                    char::from_u32(code)?
                }
                _ => return None,
            };
            value.push(escaped);
            self.rest = chars.as_str();
        }
    }

    fn string_list(&mut self) -> Option<Vec<String>> {
        self.eat("[")?;
        let mut items = vec![self.string()?];
        while self.eat_if(", ") {
            items.push(self.string()?);
        }
        self.eat("]")?;
        Some(items)
    }

    fn counter_claim(&mut self) -> Option<CounterClaim> {
        self.eat("(text: ")?;
        let text = self.string()?;
        let sources = if self.eat_if(", sources: ") {
            self.string_list()?
        } else {
            Vec::new()
        };
        self.eat(")")?;
        Some(CounterClaim { text, sources })
    }

    fn record(&mut self) -> Option<AnnotationRecord> {
        self.eat("(id: ")?;
        let id = AnnotationId(self.number()?);
        let uid = if self.eat_if(", uid: ") { self.uid()? } else { Uid::NONE };
        self.eat(", start: ")?;
        let start = self.offset()?;
        self.eat(", end: ")?;
        let end = self.offset()?;
        self.eat(", quote: ")?;
        let quote = self.string()?;
        let tags = if self.eat_if(", tags: ") {
            self.string_list()?.into_iter().map(TagId).collect()
        } else {
            Vec::new()
        };
        let mut counter_claims = Vec::new();
        if self.eat_if(", counter_claims: [") {
            counter_claims.push(self.counter_claim()?);
            while self.eat_if(", ") {
                counter_claims.push(self.counter_claim()?);
            }
            self.eat("]")?;
        }
        let mut attributes = AttributeValues::new();
        if self.eat_if(", attributes: {") {
            loop {
                let name = self.string()?;
                self.eat(": ")?;
                let value = self.string()?;
                // ron keeps the last of a repeated key; only ron's own order is canonical.
                if attributes.last_key_value().is_some_and(|(last, _)| *last >= name) {
                    return None;
                }
                attributes.insert(name, value);
                if !self.eat_if(", ") {
                    break;
                }
            }
            self.eat("}")?;
        }
        let review = if self.eat_if(", review: Some((reason: ") {
            let reason = self.string()?;
            let places = if self.eat_if(", places: ") { self.offset()? } else { 0 };
            self.eat(", old_quote: ")?;
            let old_quote = self.string()?;
            self.eat("))")?;
            Some(ReviewRecord {
                reason,
                places,
                old_quote,
            })
        } else {
            None
        };
        self.eat(")")?;
        Some(AnnotationRecord {
            id,
            uid,
            start,
            end,
            quote,
            tags,
            counter_claims,
            attributes,
            review,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped_by_ron(text: &str) -> String {
        ron::ser::to_string(&text).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_ron_escapes_them() {
        for text in [
            "",
            "plain",
            "tab\tcr\rlf\nnul\0",
            "\"quoted\" 'single' back\\slash",
            "e\u{301} \u{200b}\u{feff}\u{7f}\u{85}\u{1b}",
            "👩\u{200d}👧 🇺🇦 漢字 שלום",
            "\u{e0001}\u{10ffff}\u{1d173}",
        ] {
            let mut ours = String::new();
            push_string(&mut ours, text, &mut EscapeMemo::new());
            assert_eq!(ours, escaped_by_ron(text), "{text:?}");
            let mut cursor = Cursor { rest: &ours };
            assert_eq!(cursor.string().as_deref(), Some(text));
            assert!(cursor.rest.is_empty());
        }
    }

    #[test]
    fn numbers_are_written_as_ron_writes_them() {
        for number in [0, 7, 10, 1_234_567, u64::MAX] {
            let mut ours = String::new();
            push_number(&mut ours, number);
            assert_eq!(ours, ron::ser::to_string(&number).unwrap());
        }
    }

    #[test]
    fn uids_are_written_as_ron_writes_them() {
        for value in [1, 0x0192_3456_789a_7bcd_8ef0_1234_5678_9abc, u128::MAX] {
            let mut ours = String::from("\"");
            push_hex(&mut ours, value);
            ours.push('"');
            assert_eq!(ours, ron::ser::to_string(&Uid(value)).unwrap());
            assert_eq!(Cursor { rest: &ours }.uid(), Some(Uid(value)));
        }
        for loose in [
            "\"0192345678\"",
            "\"01923456789A7BCD8EF0123456789ABC\"",
            "01923456789a7bcd8ef0123456789abc",
        ] {
            assert_eq!(Cursor { rest: loose }.uid(), None, "{loose}");
        }
    }

    #[test]
    fn loose_forms_are_left_to_ron() {
        for value in ["\"\\x41\"", "\"\\u{}\"", "\"\\u{d800}\"", "\"\\q\"", "\"open", "'c'"] {
            assert_eq!(Cursor { rest: value }.string(), None, "{value}");
        }
        for value in ["007", "+7", "", "99999999999999999999"] {
            assert_eq!(Cursor { rest: value }.number(), None, "{value}");
        }
        let record = "(id: 1_000, start: 0, end: 0, quote: \"\")";
        assert!(Cursor { rest: record }.record().is_none());
    }
}
