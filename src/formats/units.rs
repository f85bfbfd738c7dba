//! Offsets as other tools count them, converted to the program's bytes
//! through [`OffsetIndex`], and how a region's own copy of its text tells
//! which unit a file used.

use crate::messages::echo;
use crate::model::offsets::{CharOffset, OffsetIndex, Utf16Offset};
use crate::model::span::Span;

/// A unit that other tools count text offsets in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Unicode code points (Python `str` indices, `[...text]` in JavaScript).
    CodePoints,
    /// UTF-16 code units (JavaScript string indices and lengths).
    Utf16,
}

impl Unit {
    /// The unit in words, for reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Unit::CodePoints => "Unicode code points",
            Unit::Utf16 => "UTF-16 units",
        }
    }
}

/// The span from `start` to `end` counted in `unit` over `text`; the error
/// names `place` (the record or region) and the unit.
pub(crate) fn span(
    text: &str,
    index: &OffsetIndex,
    unit: Unit,
    start: Option<u64>,
    end: Option<u64>,
    place: &str,
) -> Result<Span, String> {
    let convert = |what: &str, offset: Option<u64>| {
        let offset = offset
            .and_then(|o| usize::try_from(o).ok())
            .ok_or_else(|| format!("{place}: the {what} offset is missing or not a whole number"))?;
        let converted = match unit {
            Unit::CodePoints => index.char_to_byte(text, CharOffset(offset)),
            Unit::Utf16 => index.utf16_to_byte(text, Utf16Offset(offset)),
        };
        converted.map_err(|e| format!("{place}: {what} offset {offset} ({}): {e}", unit.name()))
    };
    let span = Span {
        start: convert("start", start)?,
        end: convert("end", end)?,
    };
    if span.end < span.start {
        return Err(format!("{place}: the span ends before it starts"));
    }
    Ok(span)
}

/// Whether a region's copy of its text is the text at its offsets: the same,
/// or the same once every run of white space (and the two characters `\n`,
/// which some exports write for a line break) is one space. White space at
/// either end still counts, so a quote is never matched by a longer span.
pub(crate) fn quote_matches(quoted: &str, found: &str) -> bool {
    quoted == found || squeezed(quoted) == squeezed(found)
}

/// `text` with each run of white space (a written-out `\n` included) as one space.
fn squeezed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.replace("\\n", "\n").chars() {
        if !character.is_whitespace() {
            out.push(character);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// Which unit places a region whose offsets are `start`/`end` and whose own
/// copy of its text is `quoted`: code points first (what current tools
/// write), UTF-16 units when only they put the quote there. Without a quote,
/// code points when they fit the text, else UTF-16 units when those do.
/// The error names `place`, what the quote was and what each unit reads.
pub(crate) fn placed(
    text: &str,
    index: &OffsetIndex,
    start: Option<u64>,
    end: Option<u64>,
    quoted: Option<&str>,
    place: &str,
) -> Result<(Span, Unit), String> {
    let by_code_points = span(text, index, Unit::CodePoints, start, end, place);
    let by_utf16 = span(text, index, Unit::Utf16, start, end, place);
    let Some(quoted) = quoted else {
        return match (by_code_points, by_utf16) {
            (Ok(span), _) => Ok((span, Unit::CodePoints)),
            (Err(_), Ok(span)) => Ok((span, Unit::Utf16)),
            (Err(error), Err(_)) => Err(error),
        };
    };
    // An exact match in either unit first, then one up to white space.
    for matches in [|q: &str, f: &str| q == f, quote_matches] {
        for (unit, span) in [(Unit::CodePoints, &by_code_points), (Unit::Utf16, &by_utf16)] {
            if let Ok(span) = span
                && span.quote(text).is_some_and(|found| matches(quoted, found))
            {
                return Ok((*span, unit));
            }
        }
    }
    let describe = |unit: Unit, span: &Result<Span, String>| match span {
        Ok(s) => format!(
            "in {} it reads {}",
            unit.name(),
            echo(s.quote(text).unwrap_or_default())
        ),
        Err(_) => format!("in {} it does not fit the text", unit.name()),
    };
    Err(format!(
        "{place}: its text {} is not at its offsets {}..{} ({}; {})",
        echo(quoted),
        start.map_or_else(|| "?".to_owned(), |n| n.to_string()),
        end.map_or_else(|| "?".to_owned(), |n| n.to_string()),
        describe(Unit::CodePoints, &by_code_points),
        describe(Unit::Utf16, &by_utf16)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_tells_code_points_from_utf16_units() {
        // Label Studio's own end-to-end test: "test" at 21..25 in code points.
        let text = "\u{1f431} Warning: This is a test text";
        let index = OffsetIndex::new(text);
        let placed_at = |start, end, quoted| placed(text, &index, Some(start), Some(end), quoted, "r");
        let (span, unit) = placed_at(21, 25, Some("test")).unwrap();
        assert_eq!((span.quote(text), unit), (Some("test"), Unit::CodePoints));
        let (span, unit) = placed_at(22, 26, Some("test")).unwrap();
        assert_eq!((span.quote(text), unit), (Some("test"), Unit::Utf16));
        let error = placed_at(21, 25, Some("text")).unwrap_err();
        assert_eq!(
            error,
            "r: its text \"text\" is not at its offsets 21..25 (in Unicode code points it reads \"test\"; in UTF-16 units it reads \" tes\")"
        );
        assert_eq!(placed_at(1, 3, None).unwrap().1, Unit::CodePoints);
        // Past the end in code points, but inside the text in UTF-16 units: only those fit.
        let (span, unit) = placed_at(30, 31, None).unwrap();
        assert_eq!((span.quote(text), unit), (Some("t"), Unit::Utf16));
        assert!(placed_at(31, 32, None).unwrap_err().contains("(Unicode code points)"));
    }

    #[test]
    fn white_space_and_written_out_line_breaks_do_not_make_a_quote_differ() {
        assert!(quote_matches("Warning:\\n\u{1f431} This", "Warning:\n\u{1f431} This"));
        assert!(quote_matches("a  b", "a\r\nb"));
        assert!(!quote_matches("ab", "a b"));
        assert!(!quote_matches("ab", "ab\r\n"), "white space at an end counts");
    }
}
