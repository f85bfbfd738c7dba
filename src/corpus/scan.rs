//! Finding a corpus's documents: every project file (`NAME.ron`) and every
//! text file (`.txt`, `.md`) without a project, in the folder and its
//! sub-folders, each with a summary (text size, annotations, spans per tag,
//! whether its tag set differs from the manifest's).
//!
//! Pairing: `dir/NAME.ron` is the project of `dir/NAME.txt` (or `.md`) and of
//! the text file its own `source.path` names, relative to its folder; those
//! text files are not documents of their own. A text file without a project
//! is a "not started" document. Hidden files and folders (a leading `.`), the
//! manifest, and folders reached through a symbolic link (which could loop)
//! are not part of the corpus.
//!
//! Summaries of project files ([`super::summary`]) come from the
//! [`super::cache`] when the file has not changed, else from reading the
//! file (in parallel on all cores).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::cache::{self, CachedSummary, FileKey, SummaryCache};
use super::manifest::{MANIFEST_FILE, Manifest, ManifestError};
use super::progress::{Progress, map_parallel};
use super::summary::{self, Summary, summarise, tag_set_fingerprint};
use crate::model::project::Project;
use crate::model::tag_set::{TagId, TagSet};
use crate::storage::{self, DiskState, in_words};

/// A corpus: its folder, its manifest and its documents, sorted by name.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// The folder, canonical (symbolic links resolved).
    pub root: PathBuf,
    pub manifest: Manifest,
    /// The manifest file as read, for its next save to expect; `None` when
    /// the folder has none yet and [`Corpus::manifest`] was made up.
    pub manifest_state: Option<DiskState>,
    pub documents: Vec<DocumentEntry>,
    /// What could not be looked at (an unreadable sub-folder), in words.
    pub warnings: Vec<String>,
}

/// One document of a corpus, as the document list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentEntry {
    /// The path relative to the root, '/' separated, without extension
    /// (`news/article1`); a not-started text file keeps its extension when
    /// another text file of the same stem sits beside it.
    pub name: String,
    /// The project file, if the document has one.
    pub project: Option<PathBuf>,
    /// The text file: the one a project was made from, if it is in the
    /// corpus, or the text of a not-started document.
    pub text: Option<PathBuf>,
    /// Bytes of text (UTF-8 in a project; the file's size for a not-started one).
    pub size_bytes: u64,
    pub annotations: usize,
    /// Annotations carrying each tag.
    pub tag_counts: BTreeMap<TagId, usize>,
    /// The project's own tag set is not the manifest's.
    pub tag_set_differs: bool,
    /// Why the project file could not be read, in words (then it counts no annotations).
    pub problem: Option<String>,
}

impl DocumentEntry {
    /// Whether the document has a project file yet.
    #[must_use]
    pub fn is_started(&self) -> bool {
        self.project.is_some()
    }

    /// Brings the summary in line with `project`, the document as open in
    /// the window (saved or not), so the list and statistics show its edits.
    pub fn refresh(&mut self, project: &Project, manifest: &Manifest) {
        let mut tag_counts = BTreeMap::new();
        for annotation in project.annotations() {
            for tag in &annotation.tags {
                *tag_counts.entry(tag.clone()).or_insert(0) += 1;
            }
        }
        self.size_bytes = project.text().len() as u64;
        self.annotations = project.annotation_count();
        self.tag_counts = tag_counts;
        self.tag_set_differs = *project.tag_set() != manifest.tag_set;
        self.problem = None;
    }
}

/// Why a corpus could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot open the corpus {}: {reason}", .root.display())]
    Folder { root: PathBuf, reason: String },
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("cancelled")]
    Cancelled,
}

/// Scans the corpus at `root`, with the summary cache in the user's cache folder.
pub fn scan(root: &Path, progress: &Progress) -> Result<Corpus, CorpusError> {
    scan_with_cache(root, progress, cache::default_dir().as_deref())
}

/// Scans the corpus at `root`, with the summary cache in `cache_dir` (`None`: no cache).
pub fn scan_with_cache(root: &Path, progress: &Progress, cache_dir: Option<&Path>) -> Result<Corpus, CorpusError> {
    let folder_error = |reason: String| CorpusError::Folder {
        root: root.to_path_buf(),
        reason,
    };
    let root = std::fs::canonicalize(root).map_err(|error| folder_error(in_words(&error)))?;
    if !root.is_dir() {
        return Err(folder_error("it is not a folder".into()));
    }
    let manifest = match Manifest::load_with_state(&root) {
        Ok((manifest, state)) => Some((manifest, state)),
        Err(ManifestError::Missing { .. }) => None,
        Err(error) => return Err(error.into()),
    };
    let found = walk(&root).map_err(folder_error)?;
    progress.start(found.projects.len());
    let mut cache = SummaryCache::open(cache_dir, &root);
    let summaries = map_parallel(&found.projects, progress, |_, file| {
        match cache.get(&file.relative, &file.key) {
            Some(summary) => (file.key, summary.clone()),
            None => summarise(&file.path),
        }
    })
    .ok_or(CorpusError::Cancelled)?;
    let entries = found
        .projects
        .iter()
        .zip(&summaries)
        .map(|(file, (key, summary))| {
            let cached = CachedSummary {
                key: *key,
                summary: summary.clone(),
            };
            (file.relative.clone(), cached)
        })
        .collect();
    // The cache only saves time: when it cannot be written, the next open reads the files again.
    let _ = cache.store(entries);
    let (manifest, manifest_state) = match manifest {
        Some((manifest, state)) => (manifest, Some(state)),
        None => (
            Manifest::made_up(&root, first_tag_set(&found.projects, &summaries)),
            None,
        ),
    };
    let documents = pair(&found, summaries, &tag_set_fingerprint(&manifest.tag_set));
    Ok(Corpus {
        root,
        manifest,
        manifest_state,
        documents,
        warnings: found.warnings,
    })
}

/// A file found in the corpus folder.
struct Found {
    /// Relative to the root, '/' separated, with extension.
    relative: String,
    path: PathBuf,
    key: FileKey,
}

/// Everything the walk found.
#[derive(Default)]
struct Files {
    projects: Vec<Found>,
    texts: Vec<Found>,
    warnings: Vec<String>,
}

/// Is this a text file a document can be made from?
fn is_text_file(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("txt") || extension.eq_ignore_ascii_case("md"))
}

/// The project and text files under `root`; an unreadable root is an error,
/// an unreadable sub-folder a warning.
fn walk(root: &Path) -> Result<Files, String> {
    let mut files = Files::default();
    let mut folders = vec![(root.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = folders.pop() {
        let listing = match std::fs::read_dir(&folder) {
            Ok(listing) => listing,
            Err(error) if prefix.is_empty() => return Err(in_words(&error)),
            Err(error) => {
                files.warnings.push(format!(
                    "could not read the folder {}: {}",
                    folder.display(),
                    in_words(&error)
                ));
                continue;
            }
        };
        for entry in listing.flatten() {
            let file_name = entry.file_name();
            let name = file_name.to_string_lossy();
            if name.starts_with('.') || (prefix.is_empty() && name == MANIFEST_FILE) {
                continue;
            }
            let path = entry.path();
            let relative = format!("{prefix}{name}");
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                folders.push((path, format!("{relative}/")));
                continue;
            }
            // A symbolic link to a file counts as that file; one to a folder is not followed.
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue;
            };
            if !metadata.is_file() {
                continue;
            }
            let found = Found {
                relative,
                path,
                key: FileKey::of(&metadata),
            };
            if Path::new(&*name)
                .extension()
                .is_some_and(|extension| extension == "ron")
            {
                files.projects.push(found);
            } else if is_text_file(&name) {
                files.texts.push(found);
            }
        }
    }
    Ok(files)
}

/// The tag set of the first sound project by name, for a corpus without a
/// manifest; the default set when there is none.
fn first_tag_set(projects: &[Found], summaries: &[(FileKey, Summary)]) -> TagSet {
    let mut sound: Vec<&Found> = projects
        .iter()
        .zip(summaries)
        .filter(|(_, (_, summary))| summary.problem.is_none())
        .map(|(file, _)| file)
        .collect();
    sound.sort_by(|a, b| a.relative.cmp(&b.relative));
    sound
        .iter()
        .find_map(|file| summary::tag_set_of_file(&storage::read_bytes(&file.path).ok()?))
        .unwrap_or_else(TagSet::default_set)
}

/// `path` with `.` and `..` worked out, without touching the disk.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// `relative` without its extension (`news/a.txt` → `news/a`).
fn without_extension(relative: &str) -> &str {
    let file_start = relative.rfind('/').map_or(0, |slash| slash + 1);
    match relative[file_start..].rfind('.') {
        Some(dot) if dot > 0 => &relative[..file_start + dot],
        _ => relative,
    }
}

/// The documents: each project with the text files it claims, then every
/// text file no project claims; sorted by name.
fn pair(files: &Files, summaries: Vec<(FileKey, Summary)>, manifest_fingerprint: &str) -> Vec<DocumentEntry> {
    let text_at: HashMap<PathBuf, usize> = files
        .texts
        .iter()
        .enumerate()
        .map(|(index, file)| (lexically_normal(&file.path), index))
        .collect();
    let mut claimed = HashSet::new();
    let mut documents = Vec::with_capacity(files.projects.len() + files.texts.len());
    for (file, (_, summary)) in files.projects.iter().zip(summaries) {
        let folder = file.path.parent().unwrap_or(Path::new(""));
        let stem = without_extension(&file.relative);
        let stem_name = &stem[stem.rfind('/').map_or(0, |slash| slash + 1)..];
        let named = summary.source_path.as_deref().map(|path| folder.join(path));
        let candidates = named
            .into_iter()
            .chain(["txt", "md", "TXT", "MD"].map(|extension| folder.join(format!("{stem_name}.{extension}"))));
        let mut text = None;
        for candidate in candidates {
            if let Some(&index) = text_at.get(&lexically_normal(&candidate)) {
                claimed.insert(index);
                text.get_or_insert(index);
            }
        }
        let text_path = text.map(|index| files.texts[index].path.clone());
        let size_bytes = match (&summary.problem, text) {
            (Some(_), Some(index)) => files.texts[index].key.len,
            _ => summary.size_bytes,
        };
        documents.push(DocumentEntry {
            name: stem.to_owned(),
            project: Some(file.path.clone()),
            text: text_path,
            size_bytes,
            annotations: summary.annotations,
            tag_set_differs: summary.problem.is_none() && summary.tag_set_sha256 != manifest_fingerprint,
            tag_counts: summary.tag_counts,
            problem: summary.problem,
        });
    }
    let unclaimed: Vec<&Found> = (0..files.texts.len())
        .filter(|index| !claimed.contains(index))
        .map(|index| &files.texts[index])
        .collect();
    let mut stems: HashMap<&str, usize> = HashMap::new();
    for file in &unclaimed {
        *stems.entry(without_extension(&file.relative)).or_insert(0) += 1;
    }
    for file in unclaimed {
        let stem = without_extension(&file.relative);
        let name = if stems[stem] > 1 { &file.relative } else { stem };
        documents.push(DocumentEntry {
            name: name.to_owned(),
            project: None,
            text: Some(file.path.clone()),
            size_bytes: file.key.len,
            annotations: 0,
            tag_counts: BTreeMap::new(),
            tag_set_differs: false,
            problem: None,
        });
    }
    documents.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.project.cmp(&b.project)));
    documents
}

#[cfg(test)]
mod tests;
