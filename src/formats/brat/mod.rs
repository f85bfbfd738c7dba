//! brat standoff: a text file `X.txt` and its annotations in `X.ann`.
//!
//! Offsets: Unicode code points over the text as brat reads it (UTF-8 with
//! universal newlines), start inclusive, end exclusive. So a CRLF counts as
//! ONE character, and a UTF-8 byte-order mark, which brat keeps, is code
//! point 0. Converted by [`RawCharIndex`] with [`CrlfCount::One`].
//! Newlines: the `.txt` keeps its own line breaks (export writes the original
//! bytes); `.ann` lines may end in LF, CRLF or a lone CR and are written with LF.
//!
//! Checked against brat v1.3 "Crunchy Frog" (2012) up to its last commit
//! (`44ecd825`, 2021-10): `open_textfile` in `server/src/annotation.py` reads
//! the `.txt` with the `utf8` codec (which keeps a BOM as U+FEFF) and
//! universal newlines (`'rU'`), and every offset is an index into that
//! string; brat issue #853 ("carriage return and new line characters",
//! 2012, still open) reports the CRLF-counts-one result on real files.
//!
//! How `.ann` lines map:
//! - `T7<TAB>Type 3 9<TAB>text`: one annotation with id 7 and the tag `Type` (a
//!   new tag if the tag set has none; a tag whose name brat cannot hold, see
//!   below, is found again by its brat form). Ids above
//!   [`MAX_KEPT_ID`](super::MAX_KEPT_ID) are renumbered, with a warning. A
//!   discontinuous `T2<TAB>Type 5 7;9 10<TAB>…` becomes one annotation per
//!   fragment (`fragments.rs`). The quote (third field) is checked against the
//!   text: a few that differ are warnings, most differing means the wrong
//!   text and the import is refused.
//! - `#1<TAB>AnnotatorNotes T7<TAB>note`: a counter-claim of annotation 7.
//! - `R` lines are relations, `A` and `M` lines attribute values, `E` lines
//!   relations from their trigger to each argument (`links.rs`, which says
//!   how far each goes).
//! - `N`, `*` lines, notes on anything but a `T` line, and the `R`, `A`,
//!   `E` lines the model cannot hold (an attribute of an event, an event
//!   whose argument is an event): kept verbatim in the project
//!   ([`ForeignRecord`](crate::model::project::ForeignRecord), see `kept.rs`)
//!   and written back unchanged; the import lists them.
//!
//! Export (`write.rs`) writes one `T` line per tag of each annotation (`T<id>`
//! for the first, new ids above every id in use for the others; the type
//! `Untagged` for an annotation with no tag, read back as no tag), then one
//! `AnnotatorNotes` line per counter-claim, then one `R` line per relation
//! and one `A` line per attribute value, then the kept lines in the order
//! they were read. So import → export gives back the same lines up to that
//! order, the numbering of notes (`#1`, `#2`, … skipping the ids of kept
//! notes), and new ids for `T` ids that are not `T` followed by a number.
//! A brat type is one word: a tag with spaces (or other white space or
//! control characters) is written with `_` in their place, and the export
//! names each tag so written.

mod fragments;
mod kept;
mod links;
mod read;
mod write;

use std::path::Path;

use super::labels::TagResolver;
use super::{Format, Reader};
use crate::model::offsets::{CrlfCount, RawCharIndex, RawCharRule};
use crate::model::tag_set::TagSet;

pub use read::import;
pub use write::export;

/// The format's command-line name.
pub const NAME: &str = "brat";
/// The type written for an annotation with no tag, and read back as none.
pub const UNTAGGED: &str = "Untagged";
const NOTE_TYPE: &str = "AnnotatorNotes";

/// brat standoff (`.txt` + `.ann`).
pub static FORMAT: Format = Format {
    name: NAME,
    title: "brat standoff (.txt + .ann)",
    summary: "brat standoff: X.txt + X.ann, either may be given (code points, CRLF counts one)",
    extension: "ann",
    reader: Reader::Standoff(import),
    writer: Some(export),
    annotations_beside: Some(|text: &Path| vec![text.with_extension("ann")]),
    text_beside: Some(|annotations: &Path| Some(annotations.with_extension("txt"))),
};

/// brat's rule for a text read from a file with or without a UTF-8 BOM.
fn rule(bom: bool) -> RawCharRule {
    RawCharRule {
        bom,
        crlf: CrlfCount::One,
    }
}

/// The offsets of brat's view of a project's text (the BOM counts only in UTF-8 files).
fn raw_index(text: &str, utf8_with_bom: bool) -> RawCharIndex {
    RawCharIndex::new(text, rule(utf8_with_bom))
}

/// Text as it may stand on one `.ann` line: line breaks and tabs as spaces
/// (a CRLF as one space, as brat counts it as one character).
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ")
}

/// A tag as a brat type: one word, so white space and control characters become `_`.
#[must_use]
pub fn brat_type(tag: &str) -> String {
    tag.chars()
        .map(|c| if c.is_whitespace() || c.is_control() { '_' } else { c })
        .collect()
}

/// The tag set grown by the span types a brat `annotation.conf` declares
/// (its `[entities]` and `[events]` sections, in order; types marked `!`,
/// kept for the hierarchy only, and macros are left out), each found or made
/// as an `.ann` label of that type would be; and what was made, in words.
#[must_use]
pub fn tags_of_conf(conf: &str, tag_set: TagSet) -> (TagSet, Vec<String>) {
    let types = conf_span_types(conf);
    let mut resolver =
        TagResolver::new(tag_set, NAME, false, types.iter().map(String::as_str)).with_written_form(brat_type);
    for kind in &types {
        resolver.resolve(kind);
    }
    resolver.finish()
}

/// The span types of an `annotation.conf`: the first word of each line of
/// `[entities]` and `[events]` (indented lines too: brat nests types by
/// indentation), without comments, `!` types, macros and separators.
fn conf_span_types(conf: &str) -> Vec<String> {
    let mut in_spans = false;
    let mut types: Vec<String> = Vec::new();
    for line in conf.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_spans = matches!(line, "[entities]" | "[events]");
            continue;
        }
        let Some(kind) = line.split_whitespace().next() else {
            continue;
        };
        let skipped = kind.starts_with(['#', '!', '<']) || kind.chars().all(|c| c == '-') || kind.contains('=');
        if in_spans && !skipped && !types.iter().any(|t| t == kind) {
            types.push(kind.to_owned());
        }
    }
    types
}

#[cfg(test)]
mod tests;
