//! Small corpora on disk for the corpus module's tests.

use std::path::Path;

use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::project::{Project, SourceInfo};
use crate::model::span::Span;
use crate::model::tag_set::{Rgb, Tag, TagId, TagSet};
use crate::project_file;
use crate::storage::Expect;

/// A tag set of these tag ids (names the same, colours apart).
pub fn tags(ids: &[&str]) -> TagSet {
    TagSet::of_tags(
        ids.iter()
            .enumerate()
            .map(|(index, id)| Tag {
                id: TagId((*id).to_owned()),
                name: format!("{id} name"),
                category: "Test".into(),
                description: String::new(),
                color: Rgb([u8::try_from(index * 40 % 256).unwrap(), 0, 0]),
                hotkey: None,
                attributes: Vec::new(),
            })
            .collect(),
    )
}

/// One annotation to write: byte range, tags, counter-claim texts.
pub struct Mark<'a>(pub usize, pub usize, pub &'a [&'a str], pub &'a [&'a str]);

/// A project of `text` with these marks.
pub fn project(text: &str, tag_set: &TagSet, marks: &[Mark<'_>]) -> Project {
    let annotations = marks
        .iter()
        .enumerate()
        .map(|(index, Mark(start, end, tag_ids, claims))| {
            let mut annotation = Annotation::new(AnnotationId(index as u64 + 1), Span::new(*start, *end));
            annotation.tags = tag_ids.iter().map(|id| TagId((*id).to_owned())).collect();
            annotation.counter_claims = claims
                .iter()
                .map(|text| CounterClaim::new((*text).to_owned()))
                .collect();
            annotation
        })
        .collect();
    Project::from_parts(text.to_owned(), SourceInfo::of_text(text), tag_set.clone(), annotations).unwrap()
}

/// Writes `project` at `path` (folders made as needed).
pub fn write_project(path: &Path, project: &Project) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    project_file::save(project, path, &Expect::Anything).unwrap();
}

/// Writes a text file at `path` (folders made as needed).
pub fn write_text(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
