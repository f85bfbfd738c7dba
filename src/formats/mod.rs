//! Documents and annotations in formats other than the project file.
//!
//! Each format module states at its top the unit its offsets count and how it
//! treats line breaks.

pub mod commented;
pub mod plain_text;

use std::path::Path;

use crate::files::{self, ReadError};
use crate::model::project::Project;
use crate::model::source_text::DecodeError;
use crate::model::tag_set::TagSet;

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
    let bytes = files::read_bytes(path)?;
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
