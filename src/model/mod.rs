//! The annotation model: plain Rust, no UI and no file I/O.
//!
//! A [`project::Project`] holds the text, its tag set, its annotations, the
//! relations between them and the document's labels; it
//! changes only through [`edit::Edit`]s, which [`history::History`] records
//! for undo and redo.

pub mod annotation;
pub mod attributes;
pub mod conflict;
pub mod edit;
pub mod history;
pub mod lines;
pub mod offsets;
pub mod project;
pub mod references;
pub mod relations;
pub mod review;
pub mod source_text;
pub mod span;
pub mod span_index;
pub mod tag_set;
pub mod uid;
