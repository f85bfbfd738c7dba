//! Plain text: the document alone, exactly as on disk.
//!
//! Offsets: none in the file. Newlines: kept as they are (LF, CRLF, lone CR).

use crate::model::project::{Project, SourceInfo};
use crate::model::source_text::{self, DecodeError, EncodeError};
use crate::model::tag_set::TagSet;

/// A project of the file's text with no annotations yet.
pub fn import(path: Option<String>, bytes: &[u8], tag_set: TagSet) -> Result<Project, DecodeError> {
    let decoded = source_text::decode(bytes)?;
    let source = SourceInfo::of_file(path, bytes, &decoded);
    Ok(Project::new(decoded.text, source, tag_set))
}

/// The original file's bytes (annotations are not part of plain text).
pub fn export(project: &Project) -> Result<Vec<u8>, EncodeError> {
    project.exported_source()
}
