//! File ▸ Import and File ▸ Export: which formats the menus list, and
//! carrying out an import or export with the files on disk (no egui here).

use std::path::{Path, PathBuf};

use crate::files;
use crate::formats::{self, Format, ImportShape, on_disk};
use crate::model::project::Project;
use crate::model::tag_set::TagSet;

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

    /// Where to suggest writing: beside `like`, with its stem and this format's extension.
    #[must_use]
    pub fn suggested_path(self, like: &Path) -> PathBuf {
        // `article.txt.ron` suggests `article.ann`, not `article.txt.ann`.
        let base = if is_project_path(like) {
            like.with_extension("")
        } else {
            like.to_path_buf()
        };
        let stem = base
            .file_stem()
            .map_or_else(|| "export".into(), |s| s.to_string_lossy().into_owned());
        like.with_file_name(format!("{stem}.{}", self.extension()))
    }
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

/// Writes `project` as `target` to `output` (and the text beside it for brat and `SemEval`).
pub fn export(target: ExportFormat, project: &Project, output: &Path) -> Result<Report, String> {
    let (text_path, warnings) = match target {
        ExportFormat::Interchange(name) => {
            let format = named(name)?;
            refuse_to_replace_text_beside(format, project, output)?;
            let written = on_disk::export_files(format, project, output)?;
            (written.text_path, written.warnings)
        }
        ExportFormat::CommentedArticle => {
            let exported = formats::commented::export(project).map_err(|e| e.to_string())?;
            files::write_atomically(output, &exported.bytes).map_err(|e| e.to_string())?;
            (None, exported.warnings)
        }
        ExportFormat::PlainText => {
            let bytes = formats::plain_text::export(project).map_err(|e| e.to_string())?;
            files::write_atomically(output, &bytes).map_err(|e| e.to_string())?;
            (None, Vec::new())
        }
    };
    let beside = text_path.map_or_else(String::new, |p| format!(", and the text to {}", p.display()));
    Ok(Report {
        summary: format!("Exported {} to {}{beside}.", target.title(), output.display()),
        warnings,
    })
}

/// The window's export suggests a name beside the document, so the text that
/// brat and `SemEval` write beside it could land on the user's own file (a
/// Latin-1 original, say): an existing file there is replaced only by the same bytes.
fn refuse_to_replace_text_beside(format: &Format, project: &Project, output: &Path) -> Result<(), String> {
    let Some(beside) = format.text_beside(output).filter(|p| p != output && p.is_file()) else {
        return Ok(());
    };
    let exported = format.export(project).map_err(|e| e.to_string())?;
    let Some(text) = exported.text else { return Ok(()) };
    if files::read_bytes(&beside).map_err(|e| e.to_string())? == text {
        return Ok(());
    }
    Err(format!(
        "{} already exists and differs from the text this export writes beside {}; choose another name so it is not replaced",
        beside.display(),
        output.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_suggestions_take_the_stem_and_the_format_extension() {
        let brat = ExportFormat::Interchange("brat");
        assert_eq!(
            brat.suggested_path(Path::new("/d/article.txt.ron")),
            Path::new("/d/article.ann")
        );
        assert_eq!(brat.suggested_path(Path::new("/d/p.ron")), Path::new("/d/p.ann"));
        assert_eq!(
            ExportFormat::PlainText.suggested_path(Path::new("/d/a.txt")),
            Path::new("/d/a.txt")
        );
        assert_eq!(importable(), ["brat", "w3c", "semeval", "doccano", "label-studio"]);
        assert_eq!(ExportFormat::all().len(), formats::FORMATS.len() + 2);
    }
}
