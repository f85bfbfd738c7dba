//! The project file: one self-contained, versioned, deterministic RON file
//! holding the text, where it came from, the tag set and the annotations.
//!
//! Laws (property-tested): `load(save(p)) == p`; `save(load(f)) == f` byte
//! for byte; loading checks every offset and quote; a file from a newer
//! version, a broken file or a mismatched one is refused with the place named.

pub mod bulk;
mod links_check;
pub mod schema;
pub(crate) mod syntax;

use std::path::Path;

use ron::ser::PrettyConfig;

use crate::model::project::Project;
use crate::storage::{self, DiskState, Expect, ReadError, SaveError, Saved};
use schema::{CURRENT_VERSION, ContentError, FORMAT_NAME, Header, ProjectFile, SerializeError};

/// Why a project file could not be loaded. Nothing on disk is changed by a failed load.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("the project file is not valid UTF-8 text (bad bytes at byte {0})")]
    NotUtf8(usize),
    #[error("the project file cannot be read at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "the project file was written by a newer Counterpoint (format version {found}; this one reads up to {CURRENT_VERSION}); update Counterpoint to open it"
    )]
    NewerVersion { found: u32 },
    #[error("{0}")]
    Content(#[from] ContentError),
}

/// The project as the text of its file: the same project always gives the same text.
///
/// ron reports no error for the plain strings, numbers and lists of a project,
/// and every span fits the text, but should either ever fail, saving says so
/// instead of stopping the program or writing a wrong offset.
pub fn to_ron_string(project: &Project) -> Result<String, SerializeError> {
    let with_header = |body: String| format!("{}{body}\n", schema::HEADER_COMMENT);
    let skeleton = with_header(ron::ser::to_string_pretty(
        &ProjectFile::skeleton(project)?,
        pretty_config(),
    )?);
    let records = schema::records(project)?;
    let lines = crate::model::lines::lines_keeping_breaks(project.text());
    match bulk::fill_skeleton(&skeleton, &records, &lines) {
        Some(text) => Ok(text),
        // Only if ron changed how it lays out an empty list: ron then writes it all.
        None => Ok(with_header(ron::ser::to_string_pretty(
            &ProjectFile::from_project(project)?,
            pretty_config(),
        )?)),
    }
}

/// How ron lays out a project file: one line per list item, fields named, no struct names.
#[must_use]
pub fn pretty_config() -> PrettyConfig {
    PrettyConfig::new()
        .depth_limit(2)
        .new_line("\n")
        .indentor("    ")
        .struct_names(false)
}

/// The file's structure, read by the fast path when the file is in the layout
/// this program writes, else by ron (which also names the place of any error).
pub fn parse(source: &str) -> Result<ProjectFile, ron::error::SpannedError> {
    bulk::read(source).map_or_else(|| ron::from_str(source), Ok)
}

/// Reads a project from the text of its file, checking version, offsets and quotes.
pub fn from_ron_str(source: &str) -> Result<Project, LoadError> {
    match parse(source) {
        Ok(file) if file.version > CURRENT_VERSION && file.format == FORMAT_NAME => {
            Err(LoadError::NewerVersion { found: file.version })
        }
        Ok(file) => Ok(file.into_project()?),
        Err(error) => {
            // A newer version may have a shape this one cannot parse: say so
            // rather than report a confusing syntax error.
            if let Ok(Header { format, version: found }) = ron::from_str::<Header>(source)
                && format == FORMAT_NAME
                && found > CURRENT_VERSION
            {
                return Err(LoadError::NewerVersion { found });
            }
            Err(LoadError::Syntax {
                line: error.span.start.line,
                column: error.span.start.col,
                message: syntax::in_words(&error.code),
            })
        }
    }
}

/// What `counterpoint check` found in a project file that parses.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Everything that makes the file unloadable, each naming its place.
    pub problems: Vec<String>,
    /// Things that may be mistakes but do not stop loading (a text changed
    /// since it was read, which no longer matches its recorded SHA-256).
    pub warnings: Vec<String>,
    /// Things worth knowing that do not stop loading.
    pub notices: Vec<String>,
    /// Each annotation that carries a review mark, in words (the file is
    /// sound, but a person has work left; see `counterpoint check`).
    pub needs_review: Vec<String>,
    /// The conflicts a merge left to resolve, described for people.
    pub conflicts: Vec<String>,
    pub annotation_count: usize,
}

/// Checks a project file's text, listing every problem rather than the first.
/// Errors that stop all checking (syntax, newer version) are returned as `Err`.
pub fn check_str(source: &str) -> Result<CheckReport, LoadError> {
    let file = match parse(source) {
        Ok(file) if file.version > CURRENT_VERSION && file.format == FORMAT_NAME => {
            return Err(LoadError::NewerVersion { found: file.version });
        }
        Ok(file) => file,
        Err(_) => return from_ron_str(source).map(|_| CheckReport::default()),
    };
    let annotation_count = file.annotations.len();
    let needs_review = file
        .annotations
        .iter()
        .filter_map(schema::AnnotationRecord::review_in_words)
        .collect();
    let has_conflicts = !file.conflicts.is_empty();
    let (problems, warnings, notices) = file.problems_warnings_and_notices();
    // A sound file with conflicts loads: its conflicts are described as the window lists them.
    let conflicts = if has_conflicts && problems.is_empty() {
        from_ron_str(source)
            .map(|project| {
                project
                    .conflicts()
                    .iter()
                    .map(crate::model::conflict::Conflict::describe)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(CheckReport {
        problems: problems.iter().map(ToString::to_string).collect(),
        warnings,
        notices,
        needs_review,
        conflicts,
        annotation_count,
    })
}

/// Checks a project file on disk; see [`check_str`].
pub fn check(path: &Path) -> Result<CheckReport, LoadError> {
    check_str(&read_text(path)?.0)
}

fn read_text(path: &Path) -> Result<(String, DiskState), LoadError> {
    let read = storage::read(path)?;
    let mut bytes = read.bytes;
    // Windows Notepad saves UTF-8 with a byte-order mark; it is not part of the RON.
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    bytes.drain(..bom);
    let text = String::from_utf8(bytes).map_err(|error| LoadError::NotUtf8(bom + error.utf8_error().valid_up_to()))?;
    Ok((text, read.state))
}

/// Loads a project file.
pub fn load(path: &Path) -> Result<Project, LoadError> {
    load_with_state(path).map(|(project, _)| project)
}

/// Loads a project file, with the file's state for a later [`save`] to expect.
pub fn load_with_state(path: &Path) -> Result<(Project, DiskState), LoadError> {
    let (text, state) = read_text(path)?;
    Ok((from_ron_str(&text)?, state))
}

/// Saves a project file atomically, keeping the previous file as `NAME.bak`,
/// unless the file there is not what `expect` says (see [`storage::save`]).
pub fn save(project: &Project, path: &Path, expect: &Expect) -> Result<Saved, SaveError> {
    let text = to_ron_string(project).map_err(|error| SaveError::Failed {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })?;
    storage::save(path, text.as_bytes(), expect)
}
