//! Documents and annotations in formats other than the project file.
//!
//! Each format module states at its top the unit its offsets count and how it
//! treats line breaks.

pub mod argument;
pub mod brat;
pub mod claimreview;
pub mod commented;
pub mod csv;
pub mod doccano;
pub mod jsonl;
pub mod label_studio;
mod labels;
pub mod on_disk;
pub mod plain_text;
pub mod semeval;
mod units;
pub mod w3c;

use std::path::{Path, PathBuf};

use crate::model::lines::{LineBreaks, lines};
use crate::model::project::Project;
use crate::model::source_text::{DecodeError, EncodeError};
use crate::model::tag_set::TagSet;
use crate::storage::{self, ReadError};

/// How to read a document file into a new project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// The text as it is, every line kept.
    PlainText,
    /// A commented article: `Comment: ` lines become counter-claims.
    CommentedArticle,
}

/// Why a document could not be opened. Nothing is changed by a failed open.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("cannot open {path}: {source}")]
    Decode { path: String, source: DecodeError },
}

/// Reads a document file into a new project with the default tag set.
pub fn open_document(path: &Path, kind: DocumentKind) -> Result<Project, OpenError> {
    let bytes = storage::read_bytes(path)?;
    let shown_path = path.display().to_string();
    let tag_set = TagSet::default_set();
    let imported = match kind {
        DocumentKind::PlainText => plain_text::import(Some(shown_path.clone()), &bytes, tag_set),
        DocumentKind::CommentedArticle => commented::import(Some(shown_path.clone()), &bytes, tag_set),
    };
    imported.map_err(|source| OpenError::Decode {
        path: shown_path,
        source,
    })
}

/// One input file of an import: its bytes and the path they came from.
#[derive(Clone, Copy, Debug)]
pub struct InputFile<'a> {
    /// The path as given, for the project's source and for messages.
    pub path: Option<&'a str>,
    pub bytes: &'a [u8],
}

/// What an interchange import reads.
#[derive(Clone, Copy, Debug)]
pub enum ImportInput<'a> {
    /// A text file and an annotation file beside it (brat, `SemEval`, W3C).
    Standoff {
        text: InputFile<'a>,
        annotations: InputFile<'a>,
    },
    /// One file that carries the text and its annotations (doccano, Label Studio).
    SelfContained(InputFile<'a>),
}

/// What a format's import reads, so callers know which files to ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportShape {
    /// A text file plus an annotation file.
    Standoff,
    /// One file carrying both.
    SelfContained,
    /// The format is written only, never read.
    ExportOnly,
}

/// A project made by an import, and what the import changed or left out, in plain words.
#[derive(Debug)]
pub struct Imported {
    pub project: Project,
    pub warnings: Vec<String>,
}

impl Imported {
    /// The import's result, with a warning for each span that splits a grapheme cluster: such spans
    /// are kept exactly as they came, and flagged so the user knows (PRODUCT.md section 1).
    fn flagged(project: Project, mut warnings: Vec<String>) -> Self {
        let text = project.text();
        let split: Vec<String> = project
            .annotations_in_document_order()
            .into_iter()
            .filter(|a| a.span.splits_grapheme(text))
            .map(|a| a.id.0.to_string())
            .collect();
        if !split.is_empty() {
            warnings.push(format!(
                "{} span(s) split a grapheme cluster (a letter and its accent, an emoji sequence, or a CRLF pair) \
                 and are kept exactly as they came: annotation(s) {}",
                split.len(),
                split.join(", ")
            ));
        }
        Self { project, warnings }
    }
}

/// The files an export writes, and what the format could not carry.
#[derive(Debug)]
pub struct ExportedFiles {
    /// The main output: the annotation file for brat and `SemEval`, the only file otherwise.
    pub main: Vec<u8>,
    /// The text file to write beside `main` (brat and `SemEval`), named by [`Format::text_beside`].
    pub text: Option<Vec<u8>>,
    /// Each thing the format could not express, in plain words.
    pub warnings: Vec<String>,
    /// A second file written beside `main`, named by replacing its extension
    /// with the given one (CSV's `relations.csv`).
    pub companion: Option<(&'static str, Vec<u8>)>,
}

/// Why an interchange import or export failed. Nothing is written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("the {0} format can only be exported, not imported")]
    ExportOnly(&'static str),
    #[error("the {0} format can only be imported, not exported")]
    ImportOnly(&'static str),
    #[error("the {format} format reads {expected}")]
    WrongInput {
        format: &'static str,
        expected: &'static str,
    },
    #[error("{file}: {source}")]
    Decode { file: String, source: DecodeError },
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The file is not what the format says, at the place named.
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

impl FormatError {
    fn invalid(file: &InputFile<'_>, message: impl Into<String>) -> Self {
        FormatError::Invalid {
            file: file.path.unwrap_or("the input").to_owned(),
            message: message.into(),
        }
    }

    fn decode(file: &InputFile<'_>, source: DecodeError) -> Self {
        FormatError::Decode {
            file: file.path.unwrap_or("the input").to_owned(),
            source,
        }
    }
}

/// A standoff import: the text file, the annotation file, the tag set to map labels onto.
pub type StandoffImport = fn(InputFile<'_>, InputFile<'_>, TagSet) -> Result<Imported, FormatError>;
/// A self-contained import: the one file, the tag set to map labels onto.
pub type SelfContainedImport = fn(InputFile<'_>, TagSet) -> Result<Imported, FormatError>;
/// An export.
pub type Export = fn(&Project) -> Result<ExportedFiles, FormatError>;

/// How a format's import reads its files.
#[derive(Clone, Copy)]
pub enum Reader {
    /// A text file and an annotation file (brat, `SemEval`, W3C).
    Standoff(StandoffImport),
    /// One file that carries the text and its annotations (doccano, Label Studio).
    SelfContained(SelfContainedImport),
    /// None: the format is written only.
    ExportOnly,
}

/// One interchange format, declared by its module as a `FORMAT` static and
/// listed in [`FORMATS`]: its names, which files it reads, and its import and
/// export. Adding a format is one module that declares one of these.
pub struct Format {
    /// The command-line name (`brat`, `w3c`, `label-studio`, …).
    pub name: &'static str,
    /// A short title for menus ("brat standoff (.txt + .ann)").
    pub title: &'static str,
    /// One line for the command line's help: the files and the offset unit.
    pub summary: &'static str,
    /// The usual extension of the main file, without the dot.
    pub extension: &'static str,
    /// How the import reads.
    pub reader: Reader,
    /// The export, or `None` for a format that is only read.
    pub writer: Option<Export>,
    /// Where a standoff format's annotation file lies beside its text, in the
    /// order to try; `None` when it must be given.
    pub annotations_beside: Option<fn(&Path) -> Vec<PathBuf>>,
    /// Where the text file lies beside an annotation file, for formats that
    /// write one (and so an import given the annotation file finds its text).
    pub text_beside: Option<fn(&Path) -> Option<PathBuf>>,
}

impl Format {
    /// The command-line name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The menu title.
    #[must_use]
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// The usual extension of the main file, without the dot.
    #[must_use]
    pub fn extension(&self) -> &'static str {
        self.extension
    }

    /// Which files [`Format::import`] reads.
    #[must_use]
    pub fn import_shape(&self) -> ImportShape {
        match self.reader {
            Reader::Standoff(_) => ImportShape::Standoff,
            Reader::SelfContained(_) => ImportShape::SelfContained,
            Reader::ExportOnly => ImportShape::ExportOnly,
        }
    }

    /// Where the annotation file of a standoff format is found beside its
    /// text, in the order to try; empty when it must be given.
    #[must_use]
    pub fn annotations_beside(&self, text: &Path) -> Vec<PathBuf> {
        self.annotations_beside.map(|beside| beside(text)).unwrap_or_default()
    }

    /// Where the text file lies beside an annotation file, for formats that write one.
    #[must_use]
    pub fn text_beside(&self, annotations: &Path) -> Option<PathBuf> {
        self.text_beside.and_then(|beside| beside(annotations))
    }

    /// Reads a project, with the tag set to map labels onto.
    pub fn import(&self, input: ImportInput<'_>, tag_set: TagSet) -> Result<Imported, FormatError> {
        match (self.reader, input) {
            (Reader::Standoff(import), ImportInput::Standoff { text, annotations }) => {
                import(text, annotations, tag_set)
            }
            (Reader::SelfContained(import), ImportInput::SelfContained(file)) => import(file, tag_set),
            (Reader::Standoff(_), ImportInput::SelfContained(_)) => Err(FormatError::WrongInput {
                format: self.name,
                expected: "a text file and an annotation file",
            }),
            (Reader::SelfContained(_), ImportInput::Standoff { .. }) => Err(FormatError::WrongInput {
                format: self.name,
                expected: "one file that carries the text",
            }),
            (Reader::ExportOnly, _) => Err(FormatError::ExportOnly(self.name)),
        }
    }

    /// Writes a project; the warnings also name the kept records of other
    /// formats, which this one cannot write.
    pub fn export(&self, project: &Project) -> Result<ExportedFiles, FormatError> {
        let writer = self.writer.ok_or(FormatError::ImportOnly(self.name))?;
        let mut exported = writer(project)?;
        exported.warnings.extend(other_formats_left_out(project, self.name));
        Ok(exported)
    }
}

/// Every interchange format, in menu order.
pub static FORMATS: [&Format; 8] = [
    &brat::FORMAT,
    &w3c::FORMAT,
    &semeval::FORMAT,
    &doccano::FORMAT,
    &label_studio::FORMAT,
    &jsonl::FORMAT,
    &csv::FORMAT,
    &claimreview::FORMAT,
];

/// The format with this command-line name.
#[must_use]
pub fn format_named(name: &str) -> Option<&'static Format> {
    FORMATS.iter().copied().find(|format| format.name == name)
}

/// The largest annotation id an import keeps from a file (`T7`,
/// `urn:counterpoint:annotation:7`); a larger one is renumbered. JavaScript
/// tools read numbers exactly only up to 2^53 − 1, and the cap leaves room
/// for every id the project will ever add.
pub const MAX_KEPT_ID: u64 = crate::model::annotation::AnnotationId::MAX.0;

/// The quotes of an import compared with the text at their offsets. When
/// most disagree, the text is not the one the annotations were made on, and
/// the import is refused rather than placing them on other words.
#[derive(Debug, Default)]
pub(crate) struct QuoteCheck {
    compared: usize,
    disagreements: Vec<String>,
}

impl QuoteCheck {
    /// Records a quote that matches the text.
    pub(crate) fn agrees(&mut self) {
        self.compared += 1;
    }

    /// Records a quote that does not, described for a warning.
    pub(crate) fn disagrees(&mut self, description: String) {
        self.compared += 1;
        self.disagreements.push(description);
    }

    /// One warning per disagreement, or the refusal when more than half disagree.
    pub(crate) fn finish(self, text: &InputFile<'_>, annotations: &InputFile<'_>) -> Result<Vec<String>, FormatError> {
        let disagreeing = self.disagreements.len();
        if disagreeing * 2 <= self.compared {
            return Ok(self.disagreements);
        }
        let first = self.disagreements.into_iter().next().unwrap_or_default();
        Err(FormatError::invalid(
            annotations,
            format!(
                "{disagreeing} of its {} quotes disagree with the text of {} ({first}), so that is not the text these annotations were made on; \
                 nothing was imported: give the right text file",
                self.compared,
                text.path.unwrap_or("the text file")
            ),
        ))
    }
}

/// A warning for the kept records of other formats (a brat relation when
/// exporting to W3C, say), which the format `name` cannot write.
fn other_formats_left_out(project: &Project, name: &str) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for record in project.foreign_records().iter().filter(|r| r.format != name) {
        *counts.entry(record.format.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(format, count)| {
            format!("{count} record(s) kept from a {format} import (relations, events, unanchored annotations, layout) cannot be written in {name} and are left out")
        })
        .collect()
}

/// A JSON id (of a task, a record) as a message shows it: a number as it
/// is, anything else echoed (quoted, cut, control characters written out).
fn shown_id(id: &serde_json::Value) -> String {
    match id {
        serde_json::Value::Number(number) => number.to_string(),
        serde_json::Value::String(text) => crate::messages::echo(text).to_string(),
        other => crate::messages::echo(&other.to_string()).to_string(),
    }
}

/// A JSON file's bytes without the UTF-8 byte-order mark that Windows
/// Notepad puts in front (JSON parsers refuse it).
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// An annotation file read as text (a BOM is allowed); see [`numbered_lines`].
fn annotation_text(file: &InputFile<'_>) -> Result<String, FormatError> {
    crate::model::source_text::decode(file.bytes)
        .map(|decoded| decoded.text)
        .map_err(|e| FormatError::decode(file, e))
}

/// The lines of an annotation file without their line breaks (LF, CRLF or a
/// lone CR), numbered from 1.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    (1..).zip(
        lines(text, LineBreaks::File)
            .filter(|line| !line.is_empty_tail())
            .map(|line| line.content),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_is_found_by_its_command_line_name() {
        for name in [
            "brat",
            "w3c",
            "semeval",
            "doccano",
            "label-studio",
            "jsonl",
            "csv",
            "claimreview",
        ] {
            assert_eq!(format_named(name).map(Format::name), Some(name));
        }
        assert!(format_named("text").is_none());
        let export_only: Vec<_> = FORMATS
            .iter()
            .filter(|f| f.import_shape() == ImportShape::ExportOnly)
            .map(|f| f.name)
            .collect();
        assert_eq!(export_only, ["jsonl", "csv", "claimreview"]);
    }

    proptest::proptest! {
        /// Kept records of any content survive saving and loading the project file.
        #[test]
        fn foreign_records_survive_the_project_file(
            records in proptest::collection::vec(("[a-z-]{1,8}", "(\\PC|\t|\r\n|\n|\"|\\\\){0,20}"), 0..5),
        ) {
            let mut project = Project::new("text".into(), crate::model::project::SourceInfo::of_text("text"), TagSet::default_set());
            let records: Vec<crate::model::project::ForeignRecord> = records
                .into_iter()
                .map(|(format, record)| crate::model::project::ForeignRecord { format, record, refers_to: Vec::new() })
                .collect();
            project.set_foreign_records(records.clone());
            let saved = crate::project_file::to_ron_string(&project).unwrap();
            let loaded = crate::project_file::from_ron_str(&saved).unwrap();
            proptest::prop_assert_eq!(loaded.foreign_records(), &records[..]);
            proptest::prop_assert_eq!(crate::project_file::to_ron_string(&loaded).unwrap(), saved);
        }
    }
}
