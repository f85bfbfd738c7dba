//! The one line splitter: every part of the program that cuts a text into
//! lines (the project file, the formats, the editor's paragraphs) asks here,
//! so they never disagree about where a line ends.
//!
//! ```text
//!   text:    "ab\r\ncd\ref\n"
//!   lines:   "ab" + "\r\n" | "cd" + "\r" | "ef" + "\n" | "" + ""
//! ```
//!
//! In a file, a line ends at LF, CRLF or a lone CR ([`LineBreaks::File`]).
//! On screen, Unicode's other mandatory breaks (UAX #14 classes BK and NL:
//! vertical tab and form feed, which Word and `PowerPoint` write for soft line
//! breaks, NEL, U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR) end a
//! line too ([`LineBreaks::Display`]); the text itself keeps them all.
//!
//! The last line has no break (an empty ending), and is yielded even when it
//! is empty, so a text always has at least one line and `concat` of all
//! lines with their breaks is the text.

/// Which characters end a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineBreaks {
    /// LF, CRLF and a lone CR: what files and other tools count as line breaks.
    File,
    /// Those, and also VT, FF, NEL, U+2028 and U+2029: where the view starts a new line.
    Display,
}

/// One line of a text: its content and the line break that ends it (empty on the last line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'t> {
    /// The byte offset where the line starts.
    pub start: usize,
    /// The line without its break.
    pub content: &'t str,
    /// The break after it: `"\n"`, `"\r\n"`, `"\r"` (or, for display, a
    /// separator character), or `""` on the last line.
    pub ending: &'t str,
}

impl Line<'_> {
    /// The byte offset where the content ends (and the break begins).
    #[must_use]
    pub fn content_end(&self) -> usize {
        self.start + self.content.len()
    }

    /// The byte offset after the line break: where the next line starts.
    #[must_use]
    pub fn end(&self) -> usize {
        self.content_end() + self.ending.len()
    }

    /// Whether this is the empty line after a final line break (or of an empty text).
    #[must_use]
    pub fn is_empty_tail(&self) -> bool {
        self.content.is_empty() && self.ending.is_empty()
    }
}

/// The lines of `text`, in order; see the module docs.
#[must_use]
pub fn lines(text: &str, breaks: LineBreaks) -> Lines<'_> {
    Lines {
        text,
        position: 0,
        breaks,
        done: false,
    }
}

/// The lines of `text` with their breaks, without the empty line after a
/// final break: `"a\r\nb\rc\n"` → `["a\r\n", "b\r", "c\n"]`, `""` → `[]`.
#[must_use]
pub fn lines_keeping_breaks(text: &str) -> Vec<&str> {
    lines(text, LineBreaks::File)
        .filter(|line| !line.is_empty_tail())
        .map(|line| &text[line.start..line.end()])
        .collect()
}

/// How many lines a text has, as `counterpoint stats` and the window's status
/// bar count them: [`lines_keeping_breaks`]'s length, counted without
/// collecting the lines.
#[must_use]
pub fn line_count(text: &str) -> usize {
    lines(text, LineBreaks::File)
        .filter(|line| !line.is_empty_tail())
        .count()
}

/// The iterator of [`lines`].
#[derive(Clone, Debug)]
pub struct Lines<'t> {
    text: &'t str,
    position: usize,
    breaks: LineBreaks,
    done: bool,
}

impl<'t> Iterator for Lines<'t> {
    type Item = Line<'t>;

    fn next(&mut self) -> Option<Line<'t>> {
        if self.done {
            return None;
        }
        let start = self.position;
        let bytes = self.text.as_bytes();
        let mut at = start;
        while at < bytes.len() {
            if let Some(length) = break_length(bytes, at, self.breaks) {
                self.position = at + length;
                return Some(Line {
                    start,
                    content: &self.text[start..at],
                    ending: &self.text[at..at + length],
                });
            }
            at += 1;
        }
        self.done = true;
        Some(Line {
            start,
            content: &self.text[start..],
            ending: "",
        })
    }
}

/// The length in bytes of the line break starting at `at`, if one does.
/// Every break starts with an ASCII byte or a UTF-8 lead byte, which never
/// occurs inside another character, so scanning bytes never stops inside one.
fn break_length(bytes: &[u8], at: usize, breaks: LineBreaks) -> Option<usize> {
    match (bytes[at], breaks) {
        (b'\n', _) | (0x0B | 0x0C, LineBreaks::Display) => Some(1),
        (b'\r', _) => Some(if bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 }),
        // NEL is C2 85; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
        (0xC2, LineBreaks::Display) if bytes.get(at + 1) == Some(&0x85) => Some(2),
        (0xE2, LineBreaks::Display)
            if bytes.get(at + 1) == Some(&0x80) && matches!(bytes.get(at + 2), Some(0xA8 | 0xA9)) =>
        {
            Some(3)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parts(text: &str, breaks: LineBreaks) -> Vec<(&str, &str)> {
        lines(text, breaks).map(|l| (l.content, l.ending)).collect()
    }

    #[test]
    fn lf_crlf_and_a_lone_cr_end_lines_in_files() {
        assert_eq!(
            parts("a\r\nb\rc\nd", LineBreaks::File),
            [("a", "\r\n"), ("b", "\r"), ("c", "\n"), ("d", "")]
        );
        assert_eq!(parts("a\r", LineBreaks::File), [("a", "\r"), ("", "")]);
        assert_eq!(parts("", LineBreaks::File), [("", "")]);
        assert_eq!(parts("\r\r\n", LineBreaks::File), [("", "\r"), ("", "\r\n"), ("", "")]);
        assert_eq!(lines_keeping_breaks("a\r\nb\rc\nd"), ["a\r\n", "b\r", "c\n", "d"]);
        assert_eq!(lines_keeping_breaks("a\r"), ["a\r"]);
        assert!(lines_keeping_breaks("").is_empty());
    }

    #[test]
    fn separators_end_lines_only_on_screen() {
        let text = "a\u{b}b\u{c}c\u{85}d\u{2028}e\u{2029}f";
        assert_eq!(parts(text, LineBreaks::File), [(text, "")]);
        assert_eq!(
            parts(text, LineBreaks::Display),
            [
                ("a", "\u{b}"),
                ("b", "\u{c}"),
                ("c", "\u{85}"),
                ("d", "\u{2028}"),
                ("e", "\u{2029}"),
                ("f", "")
            ]
        );
        // Characters that share lead bytes with the separators are not breaks.
        let near = "\u{80}\u{a0}\u{2027}\u{202a}é";
        assert_eq!(parts(near, LineBreaks::Display), [(near, "")]);
    }

    fn awkward() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\r".to_owned()),
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("\u{b}".to_owned()),
            Just("\u{85}".to_owned()),
            Just("\u{2028}".to_owned()),
            Just("\u{2029}".to_owned()),
            Just("é👍".to_owned()),
            "[a-z ]{1,4}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
    }

    proptest! {
        /// Lines and their breaks join back into the text; only the last line
        /// lacks a break; no content holds a break; a CRLF is never cut.
        #[test]
        fn lines_join_back_and_hold_no_break(text in awkward(), display: bool) {
            let breaks = if display { LineBreaks::Display } else { LineBreaks::File };
            let all: Vec<Line<'_>> = lines(&text, breaks).collect();
            let joined: String = all.iter().flat_map(|l| [l.content, l.ending]).collect();
            prop_assert_eq!(&joined, &text);
            let mut position = 0;
            for (index, line) in all.iter().enumerate() {
                prop_assert_eq!(line.start, position);
                prop_assert_eq!(line.ending.is_empty(), index + 1 == all.len());
                prop_assert!(!line.content.contains(['\r', '\n']));
                if display {
                    let separators = ['\u{b}', '\u{85}', '\u{2028}', '\u{2029}'];
                    prop_assert!(!line.content.contains(separators), "{:?}", line);
                }
                prop_assert!(!(line.ending == "\r" && line.end() < text.len() && text.as_bytes()[line.end()] == b'\n'));
                position = line.end();
            }
        }

        /// One count for the stats and the window.
        #[test]
        fn the_line_count_is_the_number_of_lines_kept(text in awkward()) {
            prop_assert_eq!(line_count(&text), lines_keeping_breaks(&text).len());
        }

        /// The file rule is the display rule with the separators taken as text.
        #[test]
        fn file_lines_are_display_lines_joined_at_separators(text in awkward()) {
            let file: Vec<usize> = lines(&text, LineBreaks::File).map(|l| l.end()).collect();
            let display: Vec<usize> = lines(&text, LineBreaks::Display)
                .filter(|l| matches!(l.ending, "" | "\n" | "\r" | "\r\n"))
                .map(|l| l.end())
                .collect();
            prop_assert_eq!(file, display);
        }
    }
}
