//! Counterpoint: annotate text with tags and counter-claims, saved as exact RON projects.
//!
//! - [`model`]: the document, spans, annotations, tag set, edits and undo history (no UI, no I/O).
//! - [`project_file`]: the RON project file, versioned and exact.
//! - [`formats`]: documents and annotations in other formats (plain text, commented articles, …).
//! - [`storage`]: reading files, atomic saves that never lose a file, recovery files, errors in plain words.
//! - [`messages`]: text from files shown inside messages, cut and escaped.
//! - [`reanchor`]: carrying annotations onto a new version of their text.
//! - [`team`]: comparing annotators' projects: differences and agreement figures.
//! - [`corpus`]: a folder of documents as one workspace: manifest, documents, search, statistics.
//! - [`cli`]: the command line.
//! - [`ui`]: the editor window.

pub mod cli;
pub mod corpus;
pub mod formats;
pub mod messages;
pub mod model;
pub mod project_file;
pub mod reanchor;
pub mod storage;
pub mod team;
pub mod ui;
