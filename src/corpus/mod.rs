//! A corpus: a folder of documents worked on as one (issue 12). Each document
//! stays its own project file (`NAME.ron`, openable alone) or a text file not
//! started yet; `counterpoint.ron` at the root holds what they share.
//!
//! Owns: the manifest ([`manifest`]), finding the documents and their
//! summaries ([`scan`], [`summary`], with the on-disk [`cache`] of summaries), progress
//! and cancelling of long work ([`progress`]), every document's text and
//! spans in memory ([`index`]), search across the corpus ([`search`]) and
//! counts per tag and document ([`stats`]).
//!
//! Never does: anything with a window or the command line (the window and
//! the CLI call it, on their own threads), and never writes a document: the
//! only files it writes are the manifest (through `storage`, when asked) and
//! its cache in the user's cache folder.

pub mod cache;
pub mod index;
pub mod manifest;
pub mod progress;
pub mod scan;
pub mod search;
pub mod stats;
pub mod summary;
#[cfg(test)]
mod test_support;

pub use index::CorpusIndex;
pub use manifest::{MANIFEST_FILE, Manifest, ManifestError};
pub use progress::Progress;
pub use scan::{Corpus, CorpusError, DocumentEntry, scan};
pub use search::{Hit, Query, SearchError, SearchResult, search};
pub use stats::{CorpusStats, TagStat};

// Whole folders in and out, and the corpus-wide tag-set change: these do
// write documents, each through `storage` (see their module documentation).
pub mod export;
pub mod folder_write;
pub mod import;
pub mod tag_change;
