//! The project file: one self-contained, versioned, deterministic RON file
//! holding the text, where it came from, the tag set and the annotations.
//!
//! Laws (property-tested): `load(save(p)) == p`; `save(load(f)) == f` byte
//! for byte; loading checks every offset and quote; a file from a newer
//! version, a broken file or a mismatched one is refused with the place named.

pub mod bulk;
pub mod schema;

use std::path::Path;

use ron::ser::PrettyConfig;

use crate::files::{self, ReadError, WriteError};
use crate::model::project::Project;
use schema::{CURRENT_VERSION, ContentError, FORMAT_NAME, Header, ProjectFile};

/// Why a project file could not be loaded. Nothing on disk is changed by a failed load.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("the project file is not valid UTF-8 text (bad bytes at byte {0})")]
    NotUtf8(usize),
    #[error("the project file is broken at line {line}, column {column}: {message}")]
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
/// but should it ever, saving says so instead of stopping the program.
pub fn to_ron_string(project: &Project) -> Result<String, ron::Error> {
    let with_header = |body: String| format!("{}{body}\n", schema::HEADER_COMMENT);
    let skeleton = with_header(ron::ser::to_string_pretty(
        &ProjectFile::skeleton(project),
        pretty_config(),
    )?);
    let records: Vec<_> = schema::records(project).collect();
    let lines = crate::model::lines::lines_keeping_breaks(project.text());
    match bulk::fill_skeleton(&skeleton, &records, &lines) {
        Some(text) => Ok(text),
        // Only if ron changed how it lays out an empty list: ron then writes it all.
        None => Ok(with_header(ron::ser::to_string_pretty(
            &ProjectFile::from_project(project),
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
                message: error.code.to_string(),
            })
        }
    }
}

/// What `counterpoint check` found in a project file that parses.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Everything that makes the file unloadable, each naming its place.
    pub problems: Vec<String>,
    /// Things worth knowing that do not stop loading.
    pub notices: Vec<String>,
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
    let (problems, notices) = file.problems_and_notices();
    Ok(CheckReport {
        problems: problems.iter().map(ToString::to_string).collect(),
        notices,
        annotation_count,
    })
}

/// Checks a project file on disk; see [`check_str`].
pub fn check(path: &Path) -> Result<CheckReport, LoadError> {
    check_str(&read_text(path)?)
}

fn read_text(path: &Path) -> Result<String, LoadError> {
    let mut bytes = files::read_bytes(path)?;
    // Windows Notepad saves UTF-8 with a byte-order mark; it is not part of the RON.
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    bytes.drain(..bom);
    String::from_utf8(bytes).map_err(|error| LoadError::NotUtf8(bom + error.utf8_error().valid_up_to()))
}

/// Loads a project file.
pub fn load(path: &Path) -> Result<Project, LoadError> {
    from_ron_str(&read_text(path)?)
}

/// Saves a project file atomically, keeping the previous file as `NAME.bak`.
pub fn save(project: &Project, path: &Path) -> Result<(), WriteError> {
    let text = to_ron_string(project).map_err(|error| WriteError {
        path: path.display().to_string(),
        reason: format!("the project could not be written as RON ({error})"),
    })?;
    files::write_atomically(path, text.as_bytes())
}
