//! A corpus written out for other tools: one JSONL file with a line per
//! document ([`export_jsonl`]), or a folder in another tool's layout
//! ([`export_folder`]), all files or none.
//!
//! A JSONL line has the same keys on every line, so a data-set loader that
//! infers one schema for the file (the Hugging Face `datasets` JSON loader)
//! reads it as it is:
//!
//! ```text
//! {"document": "sub/article1", "text": "…",
//!  "spans": [{"start": 0, "end": 4, "start_byte": 0, "end_byte": 4,
//!             "quote": "…", "labels": ["Doubt"], "counter_claims": ["…"]}],
//!  "labels": ["Doubt"]}
//! ```
//!
//! `start`/`end` count Unicode code points (as Python's `str` does),
//! `start_byte`/`end_byte` UTF-8 bytes, over `text`, start inclusive, end
//! exclusive; spans in document order; `labels` lists each tag the document
//! uses once, in the manifest's order. A document not started yet is a line
//! with its text and no spans.
//!
//! A folder export writes each document at its corpus name (sub-folders
//! kept): brat `NAME.txt` + `NAME.ann` and an `annotation.conf` declaring the
//! manifest's tags; `SemEval` `articles/NAME.txt` + `labels/NAME.task2-TC.labels`
//! (`.task1-SI.labels` for a project imported from task 1); the
//! self-contained formats `NAME.<extension>`; text and commented `NAME.txt`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::folder_write;
use super::progress::Progress;
use super::scan::{Corpus, DocumentEntry};
use crate::formats::{self, Format, brat, semeval};
use crate::model::offsets::OffsetIndex;
use crate::model::project::Project;
use crate::model::tag_set::{TagId, TagSet};
use crate::project_file;
use crate::storage::{self, Overwrite};

/// What a folder export writes each document as.
#[derive(Clone, Copy)]
pub enum FolderFormat {
    /// An interchange format (not `jsonl`, which is one file for the corpus).
    Interchange(&'static Format),
    /// The text as it is.
    Text,
    /// A commented article.
    Commented,
}

/// A finished export.
#[derive(Debug, Default)]
pub struct ExportReport {
    pub documents: usize,
    pub annotations: usize,
    /// Files that already held exactly what the export writes, left untouched.
    pub unchanged: usize,
    /// What the format could not carry, each with its document.
    pub warnings: Vec<(String, String)>,
}

/// Why nothing was exported. Nothing is written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{name}: {message}")]
    Document { name: String, message: String },
    #[error(transparent)]
    Write(#[from] folder_write::WriteError),
    #[error("the export was cancelled; nothing was written")]
    Cancelled,
}

/// Each document's project: loaded, or made from the text of a document not
/// started yet. Documents whose project cannot be read stop the export.
fn each_project(
    corpus: &Corpus,
    progress: &Progress,
    mut visit: impl FnMut(&DocumentEntry, &Project) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    progress.start(corpus.documents.len());
    for document in &corpus.documents {
        if progress.is_cancelled() {
            return Err(ExportError::Cancelled);
        }
        let failed = |message: String| ExportError::Document {
            name: document.name.clone(),
            message,
        };
        let project = match (&document.project, &document.text) {
            (Some(path), _) => project_file::load(path).map_err(|error| failed(error.to_string()))?,
            (None, Some(text)) => {
                let bytes = storage::read_bytes(text).map_err(|error| failed(error.to_string()))?;
                formats::plain_text::import(
                    Some(text.display().to_string()),
                    &bytes,
                    corpus.manifest.tag_set.clone(),
                )
                .map_err(|error| failed(error.to_string()))?
            }
            (None, None) => continue,
        };
        visit(document, &project)?;
        progress.advance(1);
    }
    Ok(())
}

#[derive(Serialize)]
struct Line<'p> {
    document: &'p str,
    text: &'p str,
    spans: Vec<SpanLine<'p>>,
    labels: Vec<&'p str>,
}

#[derive(Serialize)]
struct SpanLine<'p> {
    start: usize,
    end: usize,
    start_byte: usize,
    end_byte: usize,
    quote: &'p str,
    labels: Vec<&'p str>,
    counter_claims: Vec<&'p str>,
}

/// One document as its JSONL line (with the line break).
#[must_use]
pub fn jsonl_line(name: &str, project: &Project, manifest: &TagSet) -> String {
    let text = project.text();
    let index = OffsetIndex::new(text);
    let to_chars = |offset| index.byte_to_char(text, offset).map_or(0, |c| c.0);
    let annotations = project.annotations_in_document_order();
    let spans = annotations
        .iter()
        .map(|a| SpanLine {
            start: to_chars(a.span.start),
            end: to_chars(a.span.end),
            start_byte: a.span.start.0,
            end_byte: a.span.end.0,
            quote: a.span.quote(text).unwrap_or_default(),
            labels: a.tags.iter().map(TagId::as_str).collect(),
            counter_claims: a.counter_claims.iter().map(|c| c.text.as_str()).collect(),
        })
        .collect();
    let used = |id: &str| annotations.iter().any(|a| a.tags.iter().any(|t| t.as_str() == id));
    let mut labels: Vec<&str> = manifest
        .tags
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| used(id))
        .collect();
    for annotation in &annotations {
        for tag in &annotation.tags {
            if !labels.contains(&tag.as_str()) {
                labels.push(tag.as_str());
            }
        }
    }
    let line = Line {
        document: name,
        text,
        spans,
        labels,
    };
    // Strings, numbers and lists of them: serde_json cannot fail on these.
    let mut out = serde_json::to_string(&line).unwrap_or_default();
    out.push('\n');
    out
}

/// Writes the corpus as one JSONL file at `output`, replacing a file there only as `overwrite` allows.
pub fn export_jsonl(
    corpus: &Corpus,
    output: &Path,
    overwrite: &Overwrite,
    progress: &Progress,
) -> Result<ExportReport, ExportError> {
    let mut report = ExportReport::default();
    let mut out = String::new();
    each_project(corpus, progress, |document, project| {
        out.push_str(&jsonl_line(&document.name, project, &corpus.manifest.tag_set));
        report.documents += 1;
        report.annotations += project.annotation_count();
        Ok(())
    })?;
    let written = folder_write::write_files(&[(output.to_path_buf(), out.into_bytes())], overwrite)?;
    report.unchanged = written;
    Ok(report)
}

/// Writes every document of the corpus into the folder `output` in `format`'s layout, all files or none.
pub fn export_folder(
    corpus: &Corpus,
    format: FolderFormat,
    output: &Path,
    overwrite: &Overwrite,
    progress: &Progress,
) -> Result<ExportReport, ExportError> {
    let mut report = ExportReport::default();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    each_project(corpus, progress, |document, project| {
        let failed = |message: String| ExportError::Document {
            name: document.name.clone(),
            message,
        };
        let (written, warnings) = document_files(&document.name, project, format).map_err(failed)?;
        files.extend(written);
        report
            .warnings
            .extend(warnings.into_iter().map(|warning| (document.name.clone(), warning)));
        report.documents += 1;
        report.annotations += project.annotation_count();
        Ok(())
    })?;
    if let FolderFormat::Interchange(format) = format
        && format.name() == brat::NAME
    {
        files.push((
            PathBuf::from("annotation.conf"),
            brat_conf(&corpus.manifest.tag_set).into_bytes(),
        ));
    }
    report.unchanged = folder_write::write_folder(output, &files, overwrite)?;
    Ok(report)
}

type Files = Vec<(PathBuf, Vec<u8>)>;

/// The files of one document, relative to the export folder, and what its format could not carry.
fn document_files(name: &str, project: &Project, format: FolderFormat) -> Result<(Files, Vec<String>), String> {
    let format = match format {
        FolderFormat::Text => {
            let bytes = formats::plain_text::export(project).map_err(|e| e.to_string())?;
            return Ok((vec![(PathBuf::from(format!("{name}.txt")), bytes)], Vec::new()));
        }
        FolderFormat::Commented => {
            let exported = formats::commented::export(project).map_err(|e| e.to_string())?;
            return Ok((
                vec![(PathBuf::from(format!("{name}.txt")), exported.bytes)],
                exported.warnings,
            ));
        }
        FolderFormat::Interchange(format) => format,
    };
    let exported = format.export(project).map_err(|e| e.to_string())?;
    let (main, text) = if format.name() == semeval::NAME {
        let three_columns = project.foreign_records_of(semeval::NAME).any(|r| r == "columns=3");
        let suffix = if three_columns { "task1-SI" } else { "task2-TC" };
        (
            PathBuf::from(format!("labels/{name}.{suffix}.labels")),
            PathBuf::from(format!("articles/{name}.txt")),
        )
    } else {
        let main = PathBuf::from(format!("{name}.{}", format.extension()));
        let text = format.text_beside(&main).unwrap_or_else(|| main.with_extension("txt"));
        (main, text)
    };
    let mut files = Vec::with_capacity(3);
    if let Some(bytes) = exported.text {
        files.push((text, bytes));
    }
    if let Some((extension, bytes)) = exported.companion {
        files.push((main.with_extension(extension), bytes));
    }
    files.push((main, exported.main));
    Ok((files, exported.warnings))
}

/// A brat `annotation.conf` declaring the manifest's tags as entity types
/// and its relation types, so brat shows the exported collection.
fn brat_conf(tag_set: &TagSet) -> String {
    let mut conf = String::from("# Written by Counterpoint from the corpus manifest's tag set.\n\n[entities]\n\n");
    for tag in &tag_set.tags {
        let _ = writeln!(conf, "{}", brat::brat_type(tag.id.as_str()));
    }
    conf.push_str("\n[relations]\n\n");
    for kind in &tag_set.relation_types {
        let _ = writeln!(conf, "{}\tArg1:<ANY>, Arg2:<ANY>", brat::brat_type(kind.id.0.as_str()));
    }
    conf.push_str("<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n");
    conf
}
