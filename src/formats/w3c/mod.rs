//! W3C Web Annotation (JSON-LD): one `AnnotationCollection` of annotations on the text.
//!
//! Offsets: `TextPositionSelector` `start`/`end` count Unicode code points
//! over the text as decoded (no BOM; a CRLF counts as two), start inclusive,
//! end exclusive. Every exported annotation also has a `TextQuoteSelector`
//! (`exact`, and up to 32 code points of `prefix` and `suffix`).
//! Newlines: kept exactly inside JSON strings.
//!
//! Checked against the Web Annotation Data Model, W3C Recommendation of
//! 2017-02-23 (source `model/wd2/index.html` of github.com/w3c/web-annotation,
//! last commit `74992e5`, 2017-05-04): §4.2.4 "The selection of the text MUST
//! be in terms of unicode code points (the "character number"), not in terms
//! of code units"; §4.2.9 (`refinedBy`): a selector "that SHOULD be applied
//! to the results of the first", several being alternatives "that will result
//! in the same selection". Its examples (`model/wd2/examples/correct/anno*.json`,
//! three in `tests/fixtures/realdata`) are read by the tests.
//!
//! Bodies: a tag is a `TextualBody` with purpose `tagging` whose value is the
//! tag id; a counter-claim is a `TextualBody` with purpose `commenting`, and
//! each of its sources follows it as a `SpecificResource` with purpose
//! `linking`. An attribute value is a `TextualBody` with purpose
//! `classifying` (a flag: its name; a choice: `Name: value`) or, for free
//! text, `describing` (`Name: text`); read back, a classifying body without
//! `: ` is a flag, and a describing body without it is left out as before.
//! The target's `source` is `urn:sha256:<hex>` of the original file.
//!
//! A relation is an annotation of its own (after the others, by relation
//! id): motivation `linking`, its two annotations' ids as `target` (from,
//! then to, as §3.1 allows IRIs of other annotations as targets), its type
//! as a `tagging` body; id `urn:counterpoint:relation:<n>`. Read back, a
//! `linking` annotation whose two targets are annotations of the file
//! (by their `id`, whoever wrote them) is a relation; one naming anything
//! else is kept verbatim like any annotation that marks no span.
//!
//! Import (`read.rs`) reads what export writes and annotations of other tools:
//! a single annotation, an array, an `AnnotationPage` or an
//! `AnnotationCollection` (embedded pages), streamed one annotation at a
//! time. Where an annotation lands is settled in `anchor.rs`: by its position
//! selector, verified against its quote selector (no search when they
//! agree), else by its quote, searched near the position first and then in
//! the whole text once; refinements are applied, never ignored. When the
//! quote is missing or matches several places it is not guessed. An
//! annotation that marks no span of this text (no selector, an unusable or
//! ambiguous one, a selector inside an XML fragment, a refinement that cannot
//! apply to text) is kept verbatim
//! ([`ForeignRecord`](crate::model::project::ForeignRecord)) and written back
//! by export; the import says which and why. When most quotes are nowhere
//! in the text, it is the wrong text and the import is refused. Bodies that
//! are neither tags, comments nor their links are left out and named.
//!
//! Export (`write.rs`) streams the collection into its bytes, one annotation
//! at a time, with keys in the order `serde_json` sorts them.

mod anchor;
mod read;
mod write;

use std::borrow::Cow;

use super::{ExportedFiles, Format, Reader};
use crate::model::attributes::{AttributeKind, FLAG_SET};
use crate::model::project::SourceInfo;

pub use read::import;
pub use write::export;

/// The format's command-line name.
pub const NAME: &str = "w3c";
const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
const ID_PREFIX: &str = "urn:counterpoint:annotation:";
const RELATION_ID_PREFIX: &str = "urn:counterpoint:relation:";
/// Between an attribute's name and its value in a body's `value`.
const ATTRIBUTE_SEPARATOR: &str = ": ";
/// How many code points of context a quote selector carries on each side.
const CONTEXT_CHARS: usize = 32;

/// W3C Web Annotation JSON-LD.
pub static FORMAT: Format = Format {
    name: NAME,
    title: "W3C Web Annotation (JSON-LD)",
    summary: "W3C Web Annotation JSON-LD (code points); give the annotation file with --annotations",
    extension: "jsonld",
    reader: Reader::Standoff(import),
    writer: Some(|project| {
        Ok(ExportedFiles {
            main: export(project),
            text: None,
            warnings: Vec::new(),
            companion: None,
        })
    }),
    annotations_beside: None,
    text_beside: None,
};

/// An attribute as a body's value: `Name: value`, or the name alone for a set flag.
fn attribute_body<'a>(name: &'a str, value: &str, kind: Option<&AttributeKind>) -> Cow<'a, str> {
    if value == FLAG_SET && kind.is_none_or(|k| *k == AttributeKind::Flag) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("{name}{ATTRIBUTE_SEPARATOR}{value}"))
    }
}

/// An attribute read back from a body's value: `(name, value)`, a lone name being a set flag.
fn attribute_of(body: &str) -> (&str, &str) {
    body.split_once(ATTRIBUTE_SEPARATOR).unwrap_or((body, FLAG_SET))
}

fn source_iri(source: &SourceInfo) -> String {
    format!("urn:sha256:{}", source.sha256)
}

#[cfg(test)]
mod tests;
