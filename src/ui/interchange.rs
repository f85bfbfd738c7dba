//! File ▸ Import and File ▸ Export: which formats the menus list, and
//! carrying out an import or export with the files on disk (no egui here).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::formats::on_disk::{self, ExportError};
use crate::formats::{self, Format, ImportShape};
use crate::model::project::Project;
use crate::model::tag_set::TagSet;
use crate::storage::Overwrite;

use super::workspace::is_project_path;

/// What File ▸ Export can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// An interchange format, by its command-line name.
    Interchange(&'static str),
    /// The text with `Comment:` lines for counter-claims.
    CommentedArticle,
    /// The original document's bytes.
    PlainText,
}

impl ExportFormat {
    /// Every export, in menu order.
    #[must_use]
    pub fn all() -> Vec<ExportFormat> {
        let mut all: Vec<ExportFormat> = formats::FORMATS
            .iter()
            .map(|format| ExportFormat::Interchange(format.name()))
            .collect();
        all.extend([ExportFormat::CommentedArticle, ExportFormat::PlainText]);
        all
    }

    /// The menu text.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            ExportFormat::Interchange(name) => formats::format_named(name).map_or(name, Format::title),
            ExportFormat::CommentedArticle => "Commented article",
            ExportFormat::PlainText => "Plain text (original bytes)",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Interchange(name) => formats::format_named(name).map_or("txt", Format::extension),
            ExportFormat::CommentedArticle | ExportFormat::PlainText => "txt",
        }
    }

    /// Where to suggest writing: beside `like`, with its stem and this
    /// format's extension — but never one of `sources` (the document the
    /// work came from): then `{stem}-export.{ext}`, or `-export-2` and on.
    #[must_use]
    pub fn suggested_path(self, like: &Path, sources: &[PathBuf]) -> PathBuf {
        // `article.txt.ron` suggests `article.ann`, not `article.txt.ann`.
        let base = if is_project_path(like) {
            like.with_extension("")
        } else {
            like.to_path_buf()
        };
        let stem = base
            .file_stem()
            .map_or_else(|| "export".into(), |s| s.to_string_lossy().into_owned());
        let is_source = |candidate: &Path| {
            let candidate = comparable(candidate);
            sources.iter().any(|source| comparable(source) == candidate)
        };
        let extension = self.extension();
        let first = like.with_file_name(format!("{stem}.{extension}"));
        if !is_source(&first) {
            return first;
        }
        // Each source rules out one name at most, so one more is always free.
        (1..=sources.len() + 1)
            .map(|n| {
                let suffix = if n == 1 { String::new() } else { format!("-{n}") };
                like.with_file_name(format!("{stem}-export{suffix}.{extension}"))
            })
            .find(|candidate| !is_source(candidate))
            .unwrap_or(first)
    }
}

/// A path as two spellings of it agree (symlinks and `..` resolved where it exists).
fn comparable(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The formats File ▸ Import lists, by command-line name.
#[must_use]
pub fn importable() -> Vec<&'static str> {
    formats::FORMATS
        .iter()
        .filter(|format| format.import_shape() != ImportShape::ExportOnly)
        .map(|format| format.name())
        .collect()
}

/// What an import or export did, for the window to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// One line saying what happened.
    pub summary: String,
    /// What the format changed or left out, each in plain words.
    pub warnings: Vec<String>,
}

/// The format named `name`, or an error in words.
fn named(name: &str) -> Result<&'static Format, String> {
    formats::format_named(name).ok_or_else(|| format!("there is no format named {name}"))
}

/// Whether importing `name` reads a text file plus an annotation file.
#[must_use]
pub fn is_standoff(name: &str) -> bool {
    formats::format_named(name).is_some_and(|f| f.import_shape() == ImportShape::Standoff)
}

/// The annotation file beside `text` for format `name`, or why there is none.
pub fn annotations_beside(name: &str, text: &Path) -> Result<PathBuf, String> {
    on_disk::find_annotations_beside(named(name)?, text).map_err(|e| e.to_string())
}

/// Imports `file` (and `annotations`, for standoff formats) onto the default tag set.
pub fn import(name: &str, file: &Path, annotations: Option<&Path>) -> Result<(Project, Report), String> {
    let format = named(name)?;
    let read = on_disk::import_files(format, file, annotations, TagSet::default_set())?;
    let from = match &read.annotation_path {
        Some(path) => format!("{} with {}", read.file.display(), path.display()),
        None => read.file.display().to_string(),
    };
    let project = read.imported.project;
    let summary = format!(
        "Imported {from} ({}): {} annotations. This is a new project: save it to keep it.",
        format.title(),
        project.annotation_count()
    );
    Ok((
        project,
        Report {
            summary,
            warnings: read.imported.warnings,
        },
    ))
}

/// Writes `project` as `target` to `output` (and the text beside it for brat
/// and `SemEval`), replacing existing files only as `overwrite` allows.
pub fn export(
    target: ExportFormat,
    project: &Project,
    output: &Path,
    overwrite: &Overwrite,
) -> Result<Report, ExportError> {
    let written = match target {
        ExportFormat::Interchange(name) => {
            let format = named(name).map_err(ExportError::Refused)?;
            on_disk::export_files(format, project, output, overwrite)?
        }
        ExportFormat::CommentedArticle => {
            let exported = formats::commented::export(project).map_err(|e| ExportError::Refused(e.to_string()))?;
            let saved = on_disk::write_export(&[(output.to_path_buf(), exported.bytes)], overwrite)?;
            on_disk::written_files(&saved, exported.warnings)
        }
        ExportFormat::PlainText => {
            let bytes = formats::plain_text::export(project).map_err(|e| ExportError::Refused(e.to_string()))?;
            let saved = on_disk::write_export(&[(output.to_path_buf(), bytes)], overwrite)?;
            on_disk::written_files(&saved, Vec::new())
        }
    };
    let beside = written
        .text_path
        .as_ref()
        .map_or_else(String::new, |p| format!(", and the text to {}", p.display()));
    let untouched = written.unchanged.iter().fold(String::new(), |mut text, path| {
        let _ = write!(
            text,
            " {} already held exactly this and was left untouched.",
            path.display()
        );
        text
    });
    Ok(Report {
        summary: format!(
            "Exported {} to {}{beside}.{untouched}",
            target.title(),
            output.display()
        ),
        warnings: written.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_suggestions_take_the_stem_and_the_format_extension() {
        let brat = ExportFormat::Interchange("brat");
        assert_eq!(
            brat.suggested_path(Path::new("/d/article.txt.ron"), &[]),
            Path::new("/d/article.ann")
        );
        assert_eq!(brat.suggested_path(Path::new("/d/p.ron"), &[]), Path::new("/d/p.ann"));
        assert_eq!(
            ExportFormat::PlainText.suggested_path(Path::new("/d/a.txt.ron"), &[PathBuf::from("/d/a.txt")]),
            Path::new("/d/a-export.txt"),
            "never the document the work came from"
        );
        assert_eq!(
            ExportFormat::PlainText.suggested_path(
                Path::new("/d/a.txt"),
                &[PathBuf::from("/d/a.txt"), PathBuf::from("/d/a-export.txt")]
            ),
            Path::new("/d/a-export-2.txt")
        );
        assert_eq!(importable(), ["brat", "w3c", "semeval", "doccano", "label-studio"]);
        assert_eq!(ExportFormat::all().len(), formats::FORMATS.len() + 2);
    }
}
