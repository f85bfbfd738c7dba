//! Every document of a corpus in memory, for search: its text and its
//! annotations (byte range, tags, counter-claim texts) in document order.
//!
//! Loading reads every project with the project file's fast reader
//! ([`project_file::parse`]) on all cores, converts offsets to bytes and
//! checks each quote, as loading a project does; it does not build whole
//! [`Project`]s (span index, relations), which search does not need. A
//! document that cannot be read is kept, empty, with its problem in words.
//! The window puts a document it has open (with unsaved edits) in place of
//! the one on disk with [`CorpusIndex::set_document`].

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::progress::{Progress, map_parallel};
use super::scan::{Corpus, CorpusError, DocumentEntry};
use crate::model::annotation::AnnotationId;
use crate::model::offsets::{ByteOffset, CharOffset, OffsetIndex};
use crate::model::project::Project;
use crate::model::source_text;
use crate::model::tag_set::TagId;
use crate::project_file::{self, LoadError};
use crate::storage;

/// The texts and annotations of a corpus, in the order of [`Corpus::documents`].
#[derive(Clone, Debug, Default)]
pub struct CorpusIndex {
    pub documents: Vec<IndexedDocument>,
}

/// One document's text and annotations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedDocument {
    pub name: String,
    pub text: Arc<str>,
    /// In document order (by start, then end).
    pub annotations: Vec<IndexedAnnotation>,
    /// Why the document could not be loaded, in words (then it is empty).
    pub problem: Option<String>,
}

/// One annotation, as search needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedAnnotation {
    pub id: AnnotationId,
    pub range: Range<ByteOffset>,
    pub tags: Vec<TagId>,
    /// The texts of its counter-claims.
    pub counter_claims: Vec<String>,
}

impl CorpusIndex {
    /// Loads every document of `corpus`, in parallel on all cores; one step
    /// of `progress` per document.
    pub fn load(corpus: &Corpus, progress: &Progress) -> Result<Self, CorpusError> {
        progress.start(corpus.documents.len());
        let documents = map_parallel(&corpus.documents, progress, |_, entry| IndexedDocument::load(entry))
            .ok_or(CorpusError::Cancelled)?;
        Ok(Self { documents })
    }

    /// Puts `project` (a document open in the window, saved or not) in
    /// place of document `document`; an index past the end changes nothing.
    pub fn set_document(&mut self, document: usize, project: &Project) {
        if let Some(indexed) = self.documents.get_mut(document) {
            *indexed = IndexedDocument::of_project(std::mem::take(&mut indexed.name), project);
        }
    }

    /// Bytes of text in all documents.
    #[must_use]
    pub fn size_bytes(&self) -> usize {
        self.documents.iter().map(|document| document.text.len()).sum()
    }

    /// Annotations in all documents.
    #[must_use]
    pub fn annotation_count(&self) -> usize {
        self.documents.iter().map(|document| document.annotations.len()).sum()
    }
}

impl IndexedDocument {
    /// The document as `project` holds it.
    #[must_use]
    pub fn of_project(name: String, project: &Project) -> Self {
        let annotations = project
            .annotations_in_document_order()
            .into_iter()
            .map(|annotation| IndexedAnnotation {
                id: annotation.id,
                range: annotation.span.start..annotation.span.end,
                tags: annotation.tags.clone(),
                counter_claims: annotation
                    .counter_claims
                    .iter()
                    .map(|claim| claim.text.clone())
                    .collect(),
            })
            .collect();
        Self {
            name,
            text: Arc::from(project.text()),
            annotations,
            problem: None,
        }
    }

    /// The document from disk: its project, else its text file.
    fn load(entry: &DocumentEntry) -> Self {
        let loaded = match (&entry.project, &entry.text) {
            (Some(project), _) => load_project(project),
            (None, Some(text)) => load_text(text),
            (None, None) => Err("it has neither a project nor a text file".to_owned()),
        };
        match loaded {
            Ok((text, annotations)) => Self {
                name: entry.name.clone(),
                text: Arc::from(text),
                annotations,
                problem: None,
            },
            Err(problem) => Self {
                name: entry.name.clone(),
                text: Arc::from(""),
                annotations: Vec::new(),
                problem: Some(problem),
            },
        }
    }
}

/// A project file's text and annotations; the first problem in words.
fn load_project(path: &Path) -> Result<(String, Vec<IndexedAnnotation>), String> {
    let (bytes, _) = storage::read_unhashed(path).map_err(|error| error.to_string())?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let source = std::str::from_utf8(body).map_err(|error| LoadError::NotUtf8(error.valid_up_to()).to_string())?;
    let fast = project_file::parse(source)
        .ok()
        .filter(|file| {
            file.format == project_file::schema::FORMAT_NAME && file.version <= project_file::schema::CURRENT_VERSION
        })
        .and_then(|file| {
            let text = file.text.concat();
            let index = OffsetIndex::new(&text);
            let mut annotations = file
                .annotations
                .into_iter()
                .map(|record| {
                    let start = index.char_to_byte(&text, CharOffset(record.start)).ok()?;
                    let end = index.char_to_byte(&text, CharOffset(record.end)).ok()?;
                    (text.get(start.0..end.0)? == record.quote).then(|| IndexedAnnotation {
                        id: record.id,
                        range: start..end,
                        tags: record.tags,
                        counter_claims: record.counter_claims.into_iter().map(|claim| claim.text).collect(),
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            annotations.sort_by_key(|annotation| (annotation.range.start, annotation.range.end, annotation.id));
            Some((text, annotations))
        });
    // Anything the quick reading refuses, loading explains (or accepts: a layout only ron reads).
    match fast {
        Some(loaded) => Ok(loaded),
        None => project_file::from_ron_str(source)
            .map(|project| {
                let document = IndexedDocument::of_project(String::new(), &project);
                (document.text.to_string(), document.annotations)
            })
            .map_err(|error| error.to_string()),
    }
}

/// A text file's text, decoded as opening it would.
fn load_text(path: &Path) -> Result<(String, Vec<IndexedAnnotation>), String> {
    let (bytes, _) = storage::read_unhashed(path).map_err(|error| error.to_string())?;
    let decoded = source_text::decode(&bytes).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok((decoded.text, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::scan::scan_with_cache;
    use crate::corpus::test_support::{Mark, project, tags, write_project, write_text};

    #[test]
    fn the_index_holds_every_documents_text_and_annotations_in_document_order() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        let set = tags(&["Doubt", "Fear"]);
        let text = "Zürich said: no.\nThe minister agreed.";
        let marks = [
            Mark(18, 30, &["Fear"], &["Not what the record shows."]),
            Mark(0, 7, &["Doubt", "Fear"], &[]),
        ];
        let written = project(text, &set, &marks);
        write_project(&root.join("news/a.ron"), &written);
        write_text(&root.join("b.txt"), "\u{feff}Plain text.\r\n");
        write_text(&root.join("c.ron"), "(format: \"counterpoint-project\"");
        let corpus = scan_with_cache(root, &Progress::new(), None).unwrap();
        let progress = Progress::new();
        let index = CorpusIndex::load(&corpus, &progress).unwrap();
        assert_eq!(progress.done(), 3);
        let names: Vec<&str> = index.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["b", "c", "news/a"]);
        assert_eq!(&*index.documents[0].text, "Plain text.\r\n");
        assert!(index.documents[1].problem.as_deref().unwrap().contains("line 1"));
        let a = &index.documents[2];
        assert_eq!(a, &IndexedDocument::of_project("news/a".into(), &written));
        assert_eq!(a.annotations[0].range, ByteOffset(0)..ByteOffset(7));
        assert_eq!(
            &a.text[a.annotations[0].range.start.0..a.annotations[0].range.end.0],
            "Zürich"
        );
        assert_eq!(a.annotations[1].counter_claims, ["Not what the record shows."]);
        assert_eq!((index.size_bytes(), index.annotation_count()), (text.len() + 13, 2));
    }

    #[test]
    fn an_open_document_replaces_the_one_on_disk() {
        let folder = tempfile::tempdir().unwrap();
        let set = tags(&["Doubt"]);
        write_project(&folder.path().join("a.ron"), &project("One two", &set, &[]));
        let corpus = scan_with_cache(folder.path(), &Progress::new(), None).unwrap();
        let mut index = CorpusIndex::load(&corpus, &Progress::new()).unwrap();
        let edited = project("One two", &set, &[Mark(4, 7, &["Doubt"], &[])]);
        index.set_document(0, &edited);
        index.set_document(5, &edited);
        assert_eq!(index.documents[0].name, "a");
        assert_eq!(index.annotation_count(), 1);
    }

    #[test]
    fn a_cancelled_load_says_so() {
        let folder = tempfile::tempdir().unwrap();
        write_text(&folder.path().join("a.txt"), "text");
        let corpus = scan_with_cache(folder.path(), &Progress::new(), None).unwrap();
        let progress = Progress::new();
        progress.cancel();
        assert!(matches!(
            CorpusIndex::load(&corpus, &progress),
            Err(CorpusError::Cancelled)
        ));
    }
}
