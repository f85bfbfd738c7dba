//! Text from a file, shown inside a message to a person: quoted, cut to a
//! readable length, and with control characters written out, so a 100 KB line
//! or a terminal escape sequence in a file never reaches the screen as it is.
//!
//! Use [`echo`] wherever a message repeats something it read:
//! `format!("its quote {} does not match", echo(quote))`; and [`printable`]
//! where a message made elsewhere (an import's warning) is printed.

use std::fmt;

/// How many characters of an echoed text a message shows before cutting it.
pub const ECHO_CHARS: usize = 80;

/// A text as a message shows it; see [`echo`].
#[derive(Clone, Copy, Debug)]
pub struct Echo<'a> {
    text: &'a str,
    limit: usize,
}

/// `text` as a message should show it: in double quotes, control characters
/// (and quotes and backslashes) escaped as Rust writes them, at most
/// [`ECHO_CHARS`] characters, then `…` and how many more there were.
#[must_use]
pub fn echo(text: &str) -> Echo<'_> {
    Echo {
        text,
        limit: ECHO_CHARS,
    }
}

impl Echo<'_> {
    /// Not cut: the whole text, escaped the same way, for a listing that
    /// must show every character (`counterpoint diff --textconv`).
    #[must_use]
    pub fn whole(self) -> Self {
        Self {
            limit: usize::MAX,
            ..self
        }
    }
}

impl fmt::Display for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        let mut characters = self.text.chars();
        for character in characters.by_ref().take(self.limit) {
            match character {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                // Bidi controls can reorder what a terminal shows, like escapes can restyle it.
                c if c.is_control() || is_bidi_control(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => write!(f, "{c}")?,
            }
        }
        let rest = characters.count();
        if rest > 0 {
            write!(f, "…\" ({rest} more characters)")
        } else {
            f.write_str("\"")
        }
    }
}

/// A message made elsewhere (a warning from an import, a library's wording),
/// as it may be printed; see [`printable`].
#[derive(Clone, Copy, Debug)]
pub struct Printable<'a> {
    text: &'a str,
    limit: Option<usize>,
}

/// `text` as it may reach a terminal or the window: control and bidi
/// characters written out (`\u{1b}`), nothing else changed, so a message
/// whose echoes went through [`echo`] already prints the same. Apply it once,
/// where a message from elsewhere is printed.
#[must_use]
pub fn printable(text: &str) -> Printable<'_> {
    Printable { text, limit: None }
}

impl Printable<'_> {
    /// Also cut to [`ECHO_CHARS`] characters, for a library's wording that may repeat a whole input.
    #[must_use]
    pub fn cut(self) -> Self {
        Self {
            limit: Some(ECHO_CHARS),
            ..self
        }
    }
}

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut characters = self.text.chars();
        for character in characters.by_ref().take(self.limit.unwrap_or(usize::MAX)) {
            match character {
                c if c.is_control() || is_bidi_control(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => write!(f, "{c}")?,
            }
        }
        let rest = characters.count();
        if rest > 0 {
            write!(f, "… ({rest} more characters)")?;
        }
        Ok(())
    }
}

fn is_bidi_control(character: char) -> bool {
    matches!(character, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_quoted_as_it_is() {
        assert_eq!(echo("Name calling").to_string(), "\"Name calling\"");
        assert_eq!(echo("Ελλάδα 🇺🇦").to_string(), "\"Ελλάδα 🇺🇦\"");
    }

    #[test]
    fn control_characters_and_quotes_are_written_out() {
        assert_eq!(
            echo("\u{1b}[31mred\u{7}\n\"a\"\\\u{202e}").to_string(),
            "\"\\u{1b}[31mred\\u{7}\\n\\\"a\\\"\\\\\\u{202e}\""
        );
    }

    #[test]
    fn printable_writes_out_control_characters_once_and_nothing_else() {
        let warning = "label Red\u{1b}[31m, line\nbreak, \"quoted\" \\ back\u{202e}";
        let shown = printable(warning).to_string();
        assert_eq!(
            shown,
            "label Red\\u{1b}[31m, line\\u{a}break, \"quoted\" \\ back\\u{202e}"
        );
        assert_eq!(printable(&shown).to_string(), shown, "printing twice changes nothing");
        let echoed = format!("the tag {}", echo("a\u{7}b"));
        assert_eq!(printable(&echoed).to_string(), echoed);
        let long = "x".repeat(1000);
        assert_eq!(printable(&long).to_string(), long);
        assert_eq!(
            printable(&long).cut().to_string(),
            format!("{}… ({} more characters)", "x".repeat(ECHO_CHARS), 1000 - ECHO_CHARS)
        );
    }

    #[test]
    fn long_text_is_cut_and_says_how_much_more_there_was() {
        let long = "é".repeat(100_000);
        let shown = echo(&long).to_string();
        assert!(
            shown.starts_with(&format!("\"{}…\"", "é".repeat(ECHO_CHARS))),
            "{shown}"
        );
        assert!(
            shown.ends_with(&format!("({} more characters)", 100_000 - ECHO_CHARS)),
            "{shown}"
        );
        assert_eq!(
            echo(&"x".repeat(ECHO_CHARS)).to_string().chars().count(),
            ECHO_CHARS + 2
        );
        assert_eq!(
            echo(&long).whole().to_string(),
            format!("\"{long}\""),
            "whole: nothing cut"
        );
    }
}
