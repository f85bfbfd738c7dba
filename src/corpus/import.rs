//! A whole folder in another tool's layout made into a corpus folder: one
//! project file per document (`NAME.ron`, sub-folders kept) and the manifest,
//! whose tag set is the union of the documents'.
//!
//! Layouts ([`Layout`]):
//! - `semeval`: `SemEval`-2020 Task 11, `article<ID>.txt` with its label file
//!   `article<ID>.task2-TC.labels` (or `.task1-SI.labels`) in the same
//!   folder or in a sibling folder whose name has `labels` in it (the
//!   release's `train-articles/` and `train-labels-task2-technique-classification/`).
//!   The folder given is the articles folder or the one holding it; with
//!   several article folders (train, dev) each becomes a sub-folder.
//! - `brat`: every `X.txt` with its `X.ann`, in sub-folders too; the span
//!   types of every `annotation.conf` become tags first, in its order.
//! - `text` and `commented`: every `.txt` (commented: `Comment: ` lines
//!   become counter-claims).
//!
//! A text without its annotation file is imported with no annotations and
//! named in the warnings. Hidden files and folders (a leading `.`) are not
//! read. A document that cannot be read stops the import.
//!
//! Every document is read with the tag set grown by the ones before it, so a
//! label is one tag across the corpus; then every document is given the
//! union (a tag only some documents carry is added to the others, unused
//! tags of the starting set that an import respelled are dropped; nothing an
//! annotation carries is lost, [`super::tag_change::align`]).
//!
//! Nothing half-written ([`folder_write`]): the corpus is written into a
//! hidden temp folder beside the target, then renamed into place; a target
//! that exists must be an empty folder. With `force` a non-empty target is
//! written into instead, all files in one all-or-none save, each file
//! replaced kept as `NAME.bak`.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::folder_write;
use super::manifest::Manifest;
use super::progress::Progress;
use super::tag_change;
use crate::formats::{self, ImportInput, InputFile, brat, semeval};
use crate::model::project::Project;
use crate::model::tag_set::TagSet;
use crate::project_file;
use crate::storage::{self, Overwrite};

/// The layout of the folder to import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    SemEval,
    Brat,
    Text,
    Commented,
}

impl Layout {
    /// The layout with this command-line name.
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "semeval" => Some(Self::SemEval),
            "brat" => Some(Self::Brat),
            "text" => Some(Self::Text),
            "commented" => Some(Self::Commented),
            _ => None,
        }
    }

    /// The command-line names, in help order.
    pub const NAMES: [&str; 4] = ["semeval", "brat", "text", "commented"];
}

/// One document found in the folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Its name in the corpus: the path relative to the folder, `/` between
    /// folders, without extension.
    pub name: String,
    pub text: PathBuf,
    /// The annotation file of a standoff layout, when there is one.
    pub annotations: Option<PathBuf>,
}

/// A finished import.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub documents: usize,
    pub annotations: usize,
    /// Tags in the manifest.
    pub tags: usize,
    /// What was changed or left out, each with the document (or file) it is about.
    pub warnings: Vec<(String, String)>,
}

/// Why nothing was imported. Nothing is written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Layout(String),
    #[error("{name}: {message}")]
    Document { name: String, message: String },
    #[error(
        "{0} is not an empty folder; pass --force to write the corpus into it (files that differ are kept as NAME.bak)"
    )]
    NotEmpty(PathBuf),
    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error("could not write the corpus: {0}")]
    Write(#[from] folder_write::WriteError),
    #[error("the import was cancelled; nothing was written")]
    Cancelled,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ImportError + '_ {
    move |error| ImportError::Io {
        path: path.to_path_buf(),
        reason: storage::in_words(&error),
    }
}

/// Imports the folder `source` in `layout` into a corpus at `target`; see the module documentation.
pub fn import_dir(
    source: &Path,
    layout: Layout,
    target: &Path,
    force: bool,
    progress: &Progress,
) -> Result<ImportReport, ImportError> {
    if !source.is_dir() {
        return Err(ImportError::Layout(format!("{} is not a folder", source.display())));
    }
    if !folder_write::is_missing_or_empty(target)? && !force {
        return Err(ImportError::NotEmpty(target.to_path_buf()));
    }
    let mut report = ImportReport::default();
    let found = find(source, layout, target)?;
    report.warnings = found.warnings;
    if found.sources.is_empty() {
        return Err(ImportError::Layout(format!(
            "the folder {} holds no documents of the {} layout ({})",
            source.display(),
            layout_name(layout),
            match layout {
                Layout::SemEval => "looked for article<ID>.txt",
                Layout::Brat | Layout::Text | Layout::Commented => "looked for .txt files",
            }
        )));
    }
    progress.start(found.sources.len());
    let mut tag_set = found.tag_set;
    let mut documents = Vec::with_capacity(found.sources.len());
    for document in &found.sources {
        if progress.is_cancelled() {
            return Err(ImportError::Cancelled);
        }
        let (project, warnings) = read_document(document, layout, tag_set)?;
        report
            .warnings
            .extend(warnings.into_iter().map(|warning| (document.name.clone(), warning)));
        tag_set = project.tag_set().clone();
        documents.push((document.name.clone(), project));
        progress.advance(1);
    }
    let union = documents.iter().fold(tag_set, |union, (_, project)| {
        tag_change::align(&union, project).manifest
    });
    let mut files = Vec::with_capacity(documents.len() + 1);
    for (name, mut project) in documents {
        let change = tag_change::align(&union, &project).change;
        change.apply_to(&mut project).map_err(|error| ImportError::Document {
            name: name.clone(),
            message: format!("its tag set could not be made the corpus's: {error}"),
        })?;
        report.annotations += project.annotation_count();
        let text = project_file::to_ron_string(&project).map_err(|error| ImportError::Document {
            name: name.clone(),
            message: error.to_string(),
        })?;
        files.push((PathBuf::from(format!("{name}.ron")), text.into_bytes()));
    }
    report.documents = files.len();
    report.tags = union.tags.len();
    let manifest = Manifest::made_up(target, union);
    let manifest_text = manifest.to_ron_string().map_err(|error| ImportError::Io {
        path: Manifest::path(target),
        reason: error.to_string(),
    })?;
    files.push((
        PathBuf::from(super::manifest::MANIFEST_FILE),
        manifest_text.into_bytes(),
    ));
    folder_write::write_folder(target, &files, &Overwrite::Anything)?;
    Ok(report)
}

fn layout_name(layout: Layout) -> &'static str {
    match layout {
        Layout::SemEval => "semeval",
        Layout::Brat => "brat",
        Layout::Text => "text",
        Layout::Commented => "commented",
    }
}

/// Reads one document onto `tag_set`: its project and the import's warnings.
fn read_document(document: &Source, layout: Layout, tag_set: TagSet) -> Result<(Project, Vec<String>), ImportError> {
    let failed = |message: String| ImportError::Document {
        name: document.name.clone(),
        message,
    };
    let read = |path: &Path| storage::read_bytes(path).map_err(|error| failed(error.to_string()));
    let text_bytes = read(&document.text)?;
    let shown_text = document.text.display().to_string();
    let text = InputFile {
        path: Some(&shown_text),
        bytes: &text_bytes,
    };
    let standoff = match layout {
        Layout::SemEval => Some(&semeval::FORMAT),
        Layout::Brat => Some(&brat::FORMAT),
        Layout::Text | Layout::Commented => None,
    };
    if let (Some(format), Some(annotations)) = (standoff, &document.annotations) {
        let annotation_bytes = read(annotations)?;
        let shown = annotations.display().to_string();
        let input = ImportInput::Standoff {
            text,
            annotations: InputFile {
                path: Some(&shown),
                bytes: &annotation_bytes,
            },
        };
        let imported = format
            .import(input, tag_set)
            .map_err(|error| failed(error.to_string()))?;
        return Ok((imported.project, imported.warnings));
    }
    let project = if layout == Layout::Commented {
        formats::commented::import(Some(shown_text), &text_bytes, tag_set)
    } else {
        formats::plain_text::import(Some(shown_text), &text_bytes, tag_set)
    };
    project
        .map(|p| (p, Vec::new()))
        .map_err(|error| failed(error.to_string()))
}

/// What a layout finds in a folder.
struct Found {
    sources: Vec<Source>,
    /// The starting tag set (the default set, grown by `annotation.conf`).
    tag_set: TagSet,
    warnings: Vec<(String, String)>,
}

/// Finds the documents of `layout` in `folder`, leaving out `target` (a
/// corpus written inside the folder it is read from).
fn find(folder: &Path, layout: Layout, target: &Path) -> Result<Found, ImportError> {
    let skip = target.canonicalize().ok();
    let files = walk(folder, skip.as_deref())?;
    let mut found = Found {
        sources: Vec::new(),
        tag_set: TagSet::default_set(),
        warnings: Vec::new(),
    };
    match layout {
        Layout::SemEval => find_semeval(folder, &files, &mut found)?,
        Layout::Brat => find_brat(folder, &files, &mut found)?,
        Layout::Text | Layout::Commented => {
            found.sources = files
                .iter()
                .filter(|file| has_extension(file, "txt"))
                .map(|file| Source {
                    name: document_name(folder, file),
                    text: file.clone(),
                    annotations: None,
                })
                .collect();
        }
    }
    Ok(found)
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// The corpus name of a file: relative to `folder`, `/` between folders, no extension.
fn document_name(folder: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(folder).unwrap_or(file).with_extension("");
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every regular file under `folder` (sorted, hidden names and `skip` left out, symlinked folders not followed).
fn walk(folder: &Path, skip: Option<&Path>) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        if skip.is_some_and(|skip| current.canonicalize().is_ok_and(|c| c == skip)) {
            continue;
        }
        let entries = std::fs::read_dir(&current).map_err(io(&current))?;
        for entry in entries {
            let entry = entry.map_err(io(&current))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = entry.file_type().map_err(io(&path))?;
            if kind.is_dir() {
                pending.push(path);
            } else if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// brat: every `.txt` with the `.ann` beside it; every `annotation.conf` seeds the tag set.
fn find_brat(folder: &Path, files: &[PathBuf], found: &mut Found) -> Result<(), ImportError> {
    let mut without = Vec::new();
    let present: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    for conf in files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "annotation.conf"))
    {
        let bytes = storage::read_bytes(conf).map_err(|error| ImportError::Io {
            path: conf.clone(),
            reason: error.to_string(),
        })?;
        let (grown, warnings) = brat::tags_of_conf(&String::from_utf8_lossy(&bytes), found.tag_set.clone());
        found.tag_set = grown;
        let shown = document_name(folder, conf);
        found
            .warnings
            .extend(warnings.into_iter().map(|warning| (format!("{shown}.conf"), warning)));
    }
    for text in files.iter().filter(|f| has_extension(f, "txt")) {
        let ann = text.with_extension("ann");
        let annotations = present.contains(ann.as_path()).then_some(ann);
        if annotations.is_none() {
            without.push(document_name(folder, text));
        }
        found.sources.push(Source {
            name: document_name(folder, text),
            text: text.clone(),
            annotations,
        });
    }
    let orphans: Vec<String> = files
        .iter()
        .filter(|f| has_extension(f, "ann") && !present.contains(f.with_extension("txt").as_path()))
        .map(|f| document_name(folder, f))
        .collect();
    if !orphans.is_empty() {
        found.warnings.push((
            folder.display().to_string(),
            format!(
                "{} .ann file(s) have no .txt beside them and were not read: {}",
                orphans.len(),
                orphans.join(", ")
            ),
        ));
    }
    note_without_annotations(folder, &without, ".ann", found);
    Ok(())
}

fn note_without_annotations(folder: &Path, without: &[String], what: &str, found: &mut Found) {
    if !without.is_empty() {
        found.warnings.push((
            folder.display().to_string(),
            format!(
                "{} text(s) have no {what} file and were imported without annotations: {}",
                without.len(),
                without.join(", ")
            ),
        ));
    }
}

/// `SemEval`: the folders holding `article<ID>.txt`, each with its label files
/// in the folder itself or in a sibling folder named `…labels…` (looked for
/// on disk: the folder given may be the articles folder itself).
fn find_semeval(folder: &Path, files: &[PathBuf], found: &mut Found) -> Result<(), ImportError> {
    let is_article = |file: &&PathBuf| {
        has_extension(file, "txt")
            && file
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("article"))
    };
    let mut article_folders: Vec<&Path> = files.iter().filter(is_article).filter_map(|f| f.parent()).collect();
    article_folders.dedup();
    let several = article_folders.len() > 1;
    let mut without = Vec::new();
    for articles in article_folders {
        let label_files = label_files(articles)?;
        for text in files.iter().filter(is_article).filter(|f| f.parent() == Some(articles)) {
            let annotations = semeval::FORMAT
                .annotations_beside(text)
                .iter()
                .filter_map(|beside| beside.file_name())
                .find_map(|name| label_files.get(name).cloned());
            let stem = text.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            let name = if several {
                format!("{}/{stem}", document_name(folder, articles))
            } else {
                stem
            };
            if annotations.is_none() {
                without.push(name.clone());
            }
            found.sources.push(Source {
                name,
                text: text.clone(),
                annotations,
            });
        }
    }
    note_without_annotations(folder, &without, "label", found);
    Ok(())
}

/// The label files of the articles in `articles`, by file name: those in
/// the folder itself win, then those of its siblings with `labels` in their
/// name (the ones sharing the articles folder's prefix, `train-`, first;
/// task 2 before task 1).
fn label_files(articles: &Path) -> Result<HashMap<OsString, PathBuf>, ImportError> {
    let mut folders = Vec::new();
    let parent = articles.parent().map(|parent| {
        if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        }
    });
    if let Some(parent) = parent {
        let prefix = articles
            .file_name()
            .map(|n| {
                n.to_string_lossy()
                    .split("articles")
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .unwrap_or_default();
        for entry in std::fs::read_dir(parent).map_err(io(parent))? {
            let path = entry.map_err(io(parent))?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if path.is_dir() && path != articles && !name.starts_with('.') && name.contains("labels") {
                folders.push(((!name.starts_with(&prefix), !name.contains("task2"), name), path));
            }
        }
    }
    folders.sort();
    let mut files = HashMap::new();
    for folder in std::iter::once(articles).chain(folders.iter().map(|(_, f)| f.as_path())) {
        for entry in std::fs::read_dir(folder).map_err(io(folder))? {
            let path = entry.map_err(io(folder))?.path();
            if has_extension(&path, "labels") && path.is_file() {
                files
                    .entry(path.file_name().unwrap_or_default().to_os_string())
                    .or_insert(path);
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn semeval_labels_are_found_beside_the_articles_or_in_a_sibling_labels_folder() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        write(&root.join("dev-articles/article1.txt"), "One.\n");
        write(
            &root.join("dev-labels-task2/article1.task2-TC.labels"),
            "1\tDoubt\t0\t3\n",
        );
        write(&root.join("train-articles/article2.txt"), "Two.\n");
        write(
            &root.join("train-articles/article2.task2-TC.labels"),
            "2\tDoubt\t0\t3\n",
        );
        write(&root.join("train-labels-task1/article2.task1-SI.labels"), "2\t0\t3\n");
        write(&root.join("train-articles/article3.txt"), "Three.\n");
        write(&root.join("train-labels-task1/article3.task1-SI.labels"), "3\t0\t5\n");
        write(&root.join("train-articles/article4.txt"), "Four.\n");
        write(&root.join(".hidden/article5.txt"), "Hidden.\n");
        let found = find(root, Layout::SemEval, &root.join("out")).unwrap();
        let sources: Vec<(&str, Option<PathBuf>)> = found
            .sources
            .iter()
            .map(|s| (s.name.as_str(), s.annotations.clone()))
            .collect();
        assert_eq!(
            sources,
            [
                (
                    "dev-articles/article1",
                    Some(root.join("dev-labels-task2/article1.task2-TC.labels"))
                ),
                (
                    "train-articles/article2",
                    Some(root.join("train-articles/article2.task2-TC.labels"))
                ),
                (
                    "train-articles/article3",
                    Some(root.join("train-labels-task1/article3.task1-SI.labels"))
                ),
                ("train-articles/article4", None),
            ]
        );
        assert!(
            found.warnings[0].1.contains("1 text(s) have no label file"),
            "{:?}",
            found.warnings
        );

        let out = root.join("corpus");
        let report = import_dir(root, Layout::SemEval, &out, false, &Progress::new()).unwrap();
        assert_eq!((report.documents, report.annotations), (4, 3));
        assert!(out.join("train-articles/article4.ron").is_file());
        let again = import_dir(root, Layout::SemEval, &root.join("again"), false, &Progress::new()).unwrap();
        assert_eq!(
            again.documents, 4,
            "the corpus written inside the folder is not read back"
        );
    }

    #[test]
    fn a_commented_folder_makes_counter_claims_and_a_cancel_writes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let source = root.path().join("articles");
        write(&source.join("a.txt"), "A claim here.\nComment: Not so.\n");
        write(&source.join("sub/b.txt"), "Plain.\n");
        let out = root.path().join("corpus");
        let report = import_dir(&source, Layout::Commented, &out, false, &Progress::new()).unwrap();
        assert_eq!(report.documents, 2);
        let project = project_file::load(&out.join("a.ron")).unwrap();
        let claims: Vec<&str> = project
            .annotations()
            .flat_map(|a| a.counter_claims.iter().map(|c| c.text.as_str()))
            .collect();
        assert_eq!(claims, ["Not so."]);
        assert!(out.join("sub/b.ron").is_file());

        let progress = Progress::new();
        progress.cancel();
        let cancelled = root.path().join("cancelled");
        let error = import_dir(&source, Layout::Text, &cancelled, false, &progress).unwrap_err();
        assert!(matches!(error, ImportError::Cancelled));
        assert!(!cancelled.exists());
    }
}
