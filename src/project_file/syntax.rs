//! ron's parse errors said in words a person understands ("a field named
//! "colour" that a project's source does not have"), instead of ron's own
//! ("Unexpected field named `colour` in `SourceInfo`, expected …"). The line
//! and column stay with the caller.

use crate::messages::{echo, printable};

/// What the record a field belongs to is called in a message, from the
/// name of the Rust type ron reports.
fn record_name(type_name: Option<&str>) -> &'static str {
    match type_name {
        Some("ProjectFile") => "the project",
        Some("SourceInfo") => "the project's source",
        Some("Tag") => "a tag of the tag set",
        Some("AnnotationRecord") => "an annotation",
        Some("CounterClaim") => "a counter-claim",
        Some("ReviewRecord") => "an annotation's review mark",
        Some("CommentPlacement") => "a comment placement",
        Some("ForeignRecord") => "a kept record",
        Some("ManifestFile") => "the corpus manifest",
        _ => "this record",
    }
}

/// `the fields a, b and c` as a person reads them.
fn field_list(fields: &[&str]) -> String {
    match fields {
        [] => "no fields".to_owned(),
        [one] => format!("only the field {one}"),
        [rest @ .., last] => format!("the fields {} and {last}", rest.join(", ")),
    }
}

/// A ron parse error in plain words.
#[must_use]
pub fn in_words(error: &ron::Error) -> String {
    use ron::Error as E;
    match error {
        E::Eof => "the file ends too early: something opened is not closed (a `(`, `[` or `\"`)".to_owned(),
        E::ExpectedArray => "a list should begin here, with `[`".to_owned(),
        E::ExpectedArrayEnd => "a list is not closed: a `]` (or a comma between items) should be here".to_owned(),
        E::ExpectedComma => "a comma should be here, between two items or fields".to_owned(),
        E::ExpectedInteger | E::InvalidIntegerDigit { .. } => "a whole number should be here".to_owned(),
        E::IntegerOutOfBounds => "this number is too large (or negative) for its field".to_owned(),
        E::ExpectedBoolean => "true or false should be here".to_owned(),
        E::ExpectedString => "a text in double quotes should be here".to_owned(),
        E::ExpectedStringEnd => "a text in double quotes is not closed".to_owned(),
        E::InvalidEscape(what) => format!("a text has a backslash escape that is not valid ({what})"),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) | E::ExpectedDifferentStructName { .. } => {
            "a record should begin here, with `(` (is this a Counterpoint project?)".to_owned()
        }
        E::ExpectedStructLikeEnd | E::ExpectedOptionEnd => {
            "a record is not closed: a `)` (or a comma between fields) should be here".to_owned()
        }
        E::ExpectedOption => "Some(…) or None should be here".to_owned(),
        E::ExpectedIdentifier => "a field name should be here".to_owned(),
        E::ExpectedMapColon => "a `:` should follow the field name".to_owned(),
        E::TrailingCharacters => {
            "there is more after the end of the project: the file should end with its closing `)`".to_owned()
        }
        E::UnclosedBlockComment => "a comment opened with /* is not closed with */".to_owned(),
        E::UnexpectedChar(character) => format!("the character {} should not be here", echo(&character.to_string())),
        E::NoSuchStructField { expected, found, outer } => format!(
            "{} has a field named {} that Counterpoint does not know (it has {})",
            record_name(outer.as_deref()),
            echo(found),
            field_list(expected)
        ),
        E::MissingStructField { field, outer } => {
            format!("{} is missing its field {field}", record_name(outer.as_deref()))
        }
        E::DuplicateStructField { field, outer } => {
            format!("{} has the field {field} twice", record_name(outer.as_deref()))
        }
        E::InvalidValueForType { expected, found } => {
            format!("{expected} should be here, not {}", printable(found).cut())
        }
        E::NoSuchExtension(name) => format!("the RON extension {} is not one Counterpoint reads", echo(name)),
        E::Utf8Error(_) => "the file is not valid UTF-8 text here".to_owned(),
        E::ExceededRecursionLimit => "records are nested too deeply".to_owned(),
        // Our own messages (a colour or an encoding that is not valid) are already in words.
        E::Message(message) | E::Io(message) => message.clone(),
        other => format!(
            "this is not how a project file is written here ({})",
            echo(&other.to_string())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_for(source: &str) -> String {
        let error = crate::project_file::parse(source).unwrap_err();
        in_words(&error.code)
    }

    #[test]
    fn rons_wording_becomes_plain_words() {
        let message = words_for("{\"format\": 1}");
        assert!(message.starts_with("a record should begin here"), "{message}");
        let message = words_for("(format: \"counterpoint-project\", version: 2, source: (colour: \"red\"))");
        assert_eq!(
            message,
            "the project's source has a field named \"colour\" that Counterpoint does not know (it has the fields path, encoding, bom, sha256 and previous_sha256)"
        );
        let message = words_for("(format: \"counterpoint-project\")");
        assert_eq!(message, "the project is missing its field version");
        for message in [words_for("(format: \"x\""), words_for("(format: 3)")] {
            assert!(
                !message.contains("Expected") && !message.contains("Unexpected"),
                "{message}"
            );
        }
    }
}
