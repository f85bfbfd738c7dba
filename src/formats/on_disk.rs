//! Interchange imports and exports as files on disk: which files to read
//! (the annotation file found beside the text by the format's own naming),
//! and which to write (brat and `SemEval` put the text beside the annotation
//! file). Shared by the command line and the editor window.
//!
//! Every export writes through [`write_export`]: an existing file that is not
//! byte-identical to what the export would write is replaced only under the
//! caller's [`Overwrite`] (the window asks the user, the command line needs
//! `--force`); an identical one is left untouched; all the files of one export
//! are written, or none.

use std::path::{Path, PathBuf};

use crate::model::project::Project;
use crate::model::tag_set::TagSet;
use crate::storage::{self, Backup, Overwrite, SaveError, Saved, Write};

use super::{Format, FormatError, ImportInput, ImportShape, Imported, InputFile};

/// An import read from disk, and the files it read.
#[derive(Debug)]
pub struct ImportedFiles {
    pub imported: Imported,
    /// The text file of a standoff format (found beside the annotation file
    /// when that was given alone), or the one file of a self-contained format.
    pub file: PathBuf,
    pub annotation_path: Option<PathBuf>,
}

/// Where an export wrote, and what the format could not carry.
#[derive(Debug)]
pub struct WrittenFiles {
    /// The text file written beside the main one (brat, `SemEval`).
    pub text_path: Option<PathBuf>,
    /// Files that already held exactly these bytes, left untouched.
    pub unchanged: Vec<PathBuf>,
    /// What the format could not carry, and any backup that could not be kept.
    pub warnings: Vec<String>,
}

/// Why an export wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The format cannot write this project, or the paths cannot work.
    #[error("{0}")]
    Refused(String),
    /// Writing failed, or existing files differ and were not confirmed
    /// ([`SaveError::Conflict`] names them, for the user to confirm).
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// Why the files of an import could not be settled.
#[derive(Debug, thiserror::Error)]
pub enum ImportPathsError {
    #[error(transparent)]
    Direction(#[from] FormatError),
    #[error("the {0} format reads one file, which carries the text; no annotation file is used")]
    OneFileOnly(&'static str),
    #[error("the {0} format needs its annotation file given")]
    AnnotationsNeeded(&'static str),
    #[error("no annotation file beside {text} (looked for {looked_for})")]
    NoAnnotationsBeside { text: String, looked_for: String },
    #[error("{annotations} is a {format} annotation file, and its text {text} is not beside it")]
    NoTextBeside {
        annotations: String,
        format: &'static str,
        text: String,
    },
}

/// The files an import reads: the text (or the one self-contained file) and
/// the annotation file of a standoff format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPaths {
    pub file: PathBuf,
    pub annotations: Option<PathBuf>,
}

/// Settles which files an import of `file` reads. For a standoff format the
/// annotation file is `annotations` when given; else, when `file` itself is
/// the annotation file (`X.ann` for brat, `….labels` for `SemEval`), the text
/// is the file beside it by the format's naming; else the annotation file is
/// found beside the text.
pub fn import_paths(format: &Format, file: &Path, annotations: Option<&Path>) -> Result<ImportPaths, ImportPathsError> {
    let name = format.name();
    match (format.import_shape(), annotations) {
        (ImportShape::ExportOnly, _) => Err(FormatError::ExportOnly(name).into()),
        (ImportShape::SelfContained, Some(_)) => Err(ImportPathsError::OneFileOnly(name)),
        (ImportShape::SelfContained, None) => Ok(ImportPaths {
            file: file.to_path_buf(),
            annotations: None,
        }),
        (ImportShape::Standoff, Some(given)) => Ok(ImportPaths {
            file: file.to_path_buf(),
            annotations: Some(given.to_path_buf()),
        }),
        (ImportShape::Standoff, None) => {
            if let Some(text) = text_of_annotation_file(format, file) {
                if !text.is_file() {
                    return Err(ImportPathsError::NoTextBeside {
                        annotations: file.display().to_string(),
                        format: name,
                        text: text.display().to_string(),
                    });
                }
                return Ok(ImportPaths {
                    file: text,
                    annotations: Some(file.to_path_buf()),
                });
            }
            Ok(ImportPaths {
                file: file.to_path_buf(),
                annotations: Some(find_annotations_beside(format, file)?),
            })
        }
    }
}

/// The text beside `file` when `file` is, by its extension, the annotation
/// file of a format that names its text after it.
fn text_of_annotation_file(format: &Format, file: &Path) -> Option<PathBuf> {
    let extension = file.extension()?.to_str()?;
    if !extension.eq_ignore_ascii_case(format.extension()) {
        return None;
    }
    format.text_beside(file).filter(|text| text != file)
}

/// The annotation file of a standoff format beside `text`, by the format's naming.
pub fn find_annotations_beside(format: &Format, text: &Path) -> Result<PathBuf, ImportPathsError> {
    let candidates = format.annotations_beside(text);
    if candidates.is_empty() {
        return Err(ImportPathsError::AnnotationsNeeded(format.name()));
    }
    candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        let names: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        ImportPathsError::NoAnnotationsBeside {
            text: text.display().to_string(),
            looked_for: names.join(" and "),
        }
    })
}

/// Reads `file` (the text of a standoff format, or its annotation file, or
/// the one file of a self-contained one) and the annotation file settled by
/// [`import_paths`]; imports them onto `tag_set`.
pub fn import_files(
    format: &Format,
    file: &Path,
    annotations: Option<&Path>,
    tag_set: TagSet,
) -> Result<ImportedFiles, String> {
    let paths = import_paths(format, file, annotations).map_err(|e| e.to_string())?;
    let read = |path: &Path| storage::read_bytes(path).map_err(|e| e.to_string());
    let file_bytes = read(&paths.file)?;
    let shown_file = paths.file.display().to_string();
    let file_input = InputFile {
        path: Some(&shown_file),
        bytes: &file_bytes,
    };
    let annotation_bytes = paths.annotations.as_deref().map(read).transpose()?;
    let shown_annotations = paths.annotations.as_ref().map(|p| p.display().to_string());
    let input = match (&shown_annotations, &annotation_bytes) {
        (Some(path), Some(bytes)) => ImportInput::Standoff {
            text: file_input,
            annotations: InputFile {
                path: Some(path),
                bytes,
            },
        },
        _ => ImportInput::SelfContained(file_input),
    };
    let imported = format.import(input, tag_set).map_err(|e| e.to_string())?;
    Ok(ImportedFiles {
        imported,
        file: paths.file,
        annotation_path: paths.annotations,
    })
}

/// Exports `project` to `output` (and the text beside it, for formats that
/// write one), all files or none, replacing existing files only as `overwrite` allows.
pub fn export_files(
    format: &Format,
    project: &Project,
    output: &Path,
    overwrite: &Overwrite,
) -> Result<WrittenFiles, ExportError> {
    let exported = format
        .export(project)
        .map_err(|e| ExportError::Refused(e.to_string()))?;
    let text_path = match (&exported.text, format.text_beside(output)) {
        (Some(_), Some(path)) if path == output => {
            return Err(ExportError::Refused(format!(
                "{} would be both the annotation file and the text; name the annotation file with .{}",
                output.display(),
                format.extension()
            )));
        }
        (Some(_), path) => path,
        (None, _) => None,
    };
    let mut files = Vec::with_capacity(3);
    if let (Some(bytes), Some(path)) = (exported.text, &text_path) {
        files.push((path.clone(), bytes));
    }
    if let Some((extension, bytes)) = exported.companion {
        files.push((output.with_extension(extension), bytes));
    }
    files.push((output.to_path_buf(), exported.main));
    let saved = write_export(&files, overwrite)?;
    let mut written = written_files(&saved, exported.warnings);
    written.text_path = text_path;
    Ok(written)
}

/// Writes one export's files (each path with its bytes) all or none: an
/// existing file that differs is replaced only as `overwrite` allows, an
/// identical one is left untouched, a replaced one is kept as `NAME.bak`.
pub fn write_export(files: &[(PathBuf, Vec<u8>)], overwrite: &Overwrite) -> Result<Vec<Saved>, SaveError> {
    let writes: Vec<Write<'_>> = files
        .iter()
        .map(|(path, bytes)| Write {
            path,
            bytes,
            expect: overwrite.expect_for(path),
        })
        .collect();
    storage::save_all(&writes, Backup::Keep)
}

/// What a finished export tells its user: the files left untouched, and warnings.
#[must_use]
pub fn written_files(saved: &[Saved], mut warnings: Vec<String>) -> WrittenFiles {
    warnings.extend(saved.iter().flat_map(|s| s.warnings.iter().cloned()));
    WrittenFiles {
        text_path: None,
        unchanged: saved.iter().filter(|s| !s.written).map(|s| s.path.clone()).collect(),
        warnings,
    }
}
