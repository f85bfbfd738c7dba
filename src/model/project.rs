//! A project: the source text, where it came from, its tag set and its annotations.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::annotation::{Annotation, AnnotationId};
use super::attributes::AttributeValues;
use super::conflict::Conflict;
use super::references::{References, ReferencesChanged, fits_inserted, is_at, take_where};
use super::relations::{Relation, RelationId, RelationStore, RelationTypeId};
use super::source_text::{self, DecodedText, EncodeError, Encoding, NotText};
use super::span::SpanError;
use super::tag_set::{TagId, TagSet};
use super::uid::{Uid, text_sha256};
use crate::messages::echo;

/// Where a project's text came from, enough to write the original bytes back
/// and to recognise the original file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// The path the document was read from, as given.
    pub path: Option<String>,
    pub encoding: Encoding,
    /// Whether the original file began with a byte-order mark.
    pub bom: bool,
    /// Hex SHA-256 of the text written in `encoding` with or without its BOM
    /// (what [`Project::exported_source`] gives): the original file's bytes,
    /// except for a commented article, whose comment lines are not part of the text.
    pub sha256: String,
    /// The hashes of the earlier versions of the text the annotations were
    /// carried from by re-anchoring, oldest first (format version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_sha256: Vec<String>,
}

impl SourceInfo {
    /// The source of a text read from `bytes` (and decoded into `decoded`).
    #[must_use]
    pub fn of_file(path: Option<String>, bytes: &[u8], decoded: &DecodedText) -> Self {
        Self {
            path,
            encoding: decoded.encoding,
            bom: decoded.bom,
            sha256: source_text::sha256_hex(bytes),
            previous_sha256: Vec::new(),
        }
    }

    /// The source of `text`, a part of a file read in `encoding` (an article
    /// without its comment lines, say): its hash is of the text in that encoding.
    pub fn of_text_in(path: Option<String>, text: &str, encoding: Encoding, bom: bool) -> Result<Self, EncodeError> {
        Ok(Self {
            path,
            encoding,
            bom,
            sha256: source_text::sha256_hex(&source_text::encode(text, encoding, bom)?),
            previous_sha256: Vec::new(),
        })
    }

    /// The source of a text typed or generated in the program (UTF-8, no file).
    #[must_use]
    pub fn of_text(text: &str) -> Self {
        Self {
            path: None,
            encoding: Encoding::Utf8,
            bom: false,
            sha256: source_text::sha256_hex(text.as_bytes()),
            previous_sha256: Vec::new(),
        }
    }
}

/// Where a commented-article file put a comment line when the default rule
/// would not say it (see `formats::commented`): kept so import → export
/// reproduces such files byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentPlacement {
    pub annotation: AnnotationId,
    /// Index of the counter-claim within the annotation.
    pub claim: usize,
    /// The comment stood before the first article line.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leading: bool,
    /// The line break that joined the comment line to the text.
    pub line_break: String,
}

/// A record of another format that the model has no place for (a brat
/// relation, a W3C annotation that marks no span of this text), kept
/// verbatim so exporting to that format writes it back instead of losing it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignRecord {
    /// The format's command-line name (`brat`, `w3c`, `semeval`).
    pub format: String,
    /// The record as that format writes it (one `.ann` line, one JSON object).
    pub record: String,
    /// The annotations the record names (a brat relation's arguments, the
    /// fragments of a discontinuous span). Deleting one of them deletes the
    /// record in the same edit, so it never comes to name something else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refers_to: Vec<AnnotationId>,
}

/// Why a set of parts does not make a sound project.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    #[error("annotation {id}: {source}")]
    BadSpan { id: AnnotationId, source: SpanError },
    #[error("annotation {id} appears twice")]
    DuplicateId { id: AnnotationId },
    #[error("annotations {first} and {second} have the same uid {uid}; give one of them another")]
    DuplicateUid {
        first: AnnotationId,
        second: AnnotationId,
        uid: Uid,
    },
    #[error("annotation {id} uses the tag {}, which is not in the tag set", echo(.tag.as_str()))]
    UnknownTag { id: AnnotationId, tag: TagId },
    #[error("the tag {} is defined twice in the tag set", echo(.0.as_str()))]
    DuplicateTag(TagId),
    #[error(
        "annotation {id}: ids go up to {max} (2^53 - 1, the largest that JSON tools read exactly); give it a smaller id",
        max = AnnotationId::MAX.0
    )]
    IdOutOfRange { id: AnnotationId },
    #[error("the next annotation id, {next}, is past {max}, one above the highest id there is", max = AnnotationId::MAX.0 + 1)]
    NextIdOutOfRange { next: u64 },
    #[error("the text is not a text document: {0}")]
    NotText(#[from] NotText),
    #[error("the next relation id, {next}, is past {max}, one above the highest id there is", max = RelationId::MAX.0 + 1)]
    NextRelationIdOutOfRange { next: u64 },
    #[error("relation {id} links annotation {end}, which does not exist")]
    DanglingRelation { id: RelationId, end: AnnotationId },
    #[error("relation {id} links annotation {end} to itself")]
    SelfRelation { id: RelationId, end: AnnotationId },
    #[error("relation {id} has the type {}, which is not in the tag set", echo(.kind.as_str()))]
    UnknownRelationType { id: RelationId, kind: RelationTypeId },
    #[error("relation {id} appears twice")]
    DuplicateRelation { id: RelationId },
    #[error("relation {id}: ids go up to {max} (2^53 - 1); give it a smaller id", max = RelationId::MAX.0)]
    RelationIdOutOfRange { id: RelationId },
    #[error("the relation type {} is defined twice in the tag set", echo(.0.as_str()))]
    DuplicateRelationType(RelationTypeId),
}

/// Why the text no longer gives back the bytes its recorded SHA-256 names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SourceMismatch {
    #[error(
        "the text no longer matches the SHA-256 recorded when it was read ({}): written as {written_as} it has the SHA-256 {actual}, so it was changed since; exports write it as it is now",
        echo(.recorded)
    )]
    Changed {
        recorded: String,
        actual: String,
        /// The encoding, and the BOM if any ("UTF-8 with a byte-order mark").
        written_as: String,
    },
    #[error("the text can no longer be written in its encoding, so it cannot match its recorded SHA-256: {0}")]
    Unencodable(#[from] EncodeError),
}

/// The whole of one piece of work. The text never changes once loaded;
/// everything else changes only through [`super::edit::Edit`]s.
///
/// The text and each annotation are shared between clones (copied only when
/// an edit changes them), so the snapshot autosave takes of a 5 MB project
/// with 100,000 annotations costs milliseconds, not a visible pause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    source: SourceInfo,
    text: Arc<str>,
    tag_set: TagSet,
    annotations: BTreeMap<AnnotationId, Arc<Annotation>>,
    /// The id the next new annotation gets: above every id the project has
    /// ever held, and never lowered (not even by undo), so no id is given twice.
    /// At most `AnnotationId::MAX + 1`, so it never overflows.
    next_id: u64,
    comment_layout: Vec<CommentPlacement>,
    foreign_records: Vec<ForeignRecord>,
    /// What a merge left to resolve, in the order it listed them.
    conflicts: Vec<Conflict>,
    relations: RelationStore,
    /// The id the next new relation gets; like `next_id`, never lowered.
    next_relation_id: u64,
    /// The document's labels, by name (declared in the tag set).
    document_labels: AttributeValues,
}

impl Project {
    /// A project with no annotations yet.
    #[must_use]
    pub fn new(text: String, source: SourceInfo, tag_set: TagSet) -> Self {
        Self {
            source,
            text: Arc::from(text),
            tag_set,
            annotations: BTreeMap::new(),
            next_id: 1,
            comment_layout: Vec::new(),
            foreign_records: Vec::new(),
            conflicts: Vec::new(),
            relations: RelationStore::default(),
            next_relation_id: 1,
            document_labels: AttributeValues::new(),
        }
    }

    /// Builds a project from loaded or imported parts, checking that the text
    /// is text ([`source_text::check_text`]), every span fits its characters,
    /// ids and uids are unique, ids in range and tags are defined. The next
    /// id is one above the highest. Annotations without a uid get one derived
    /// from the text and their number ([`Uid::derived`]).
    pub fn from_parts(
        text: String,
        source: SourceInfo,
        tag_set: TagSet,
        annotations: Vec<Annotation>,
    ) -> Result<Self, ProjectError> {
        for (index, tag) in tag_set.tags.iter().enumerate() {
            if tag_set.tags[..index].iter().any(|earlier| earlier.id == tag.id) {
                return Err(ProjectError::DuplicateTag(tag.id.clone()));
            }
        }
        for (index, kind) in tag_set.relation_types.iter().enumerate() {
            if tag_set.relation_types[..index]
                .iter()
                .any(|earlier| earlier.id == kind.id)
            {
                return Err(ProjectError::DuplicateRelationType(kind.id.clone()));
            }
        }
        source_text::check_text(&text)?;
        // Checked in bulk: a loaded project may have 100,000 annotations.
        let known_tags: HashSet<&TagId> = tag_set.tags.iter().map(|tag| &tag.id).collect();
        let mut by_id = Vec::with_capacity(annotations.len());
        let mut text_hash = None;
        for mut annotation in annotations {
            let id = annotation.id;
            if !id.is_in_range() {
                return Err(ProjectError::IdOutOfRange { id });
            }
            annotation
                .span
                .check_characters(&text)
                .map_err(|source| ProjectError::BadSpan { id, source })?;
            if let Some(tag) = annotation.tags.iter().find(|tag| !known_tags.contains(tag)) {
                return Err(ProjectError::UnknownTag { id, tag: tag.clone() });
            }
            if annotation.uid.is_none() {
                let hash = text_hash.get_or_insert_with(|| text_sha256(&text));
                annotation.uid = Uid::derived(hash, id);
            }
            by_id.push((id, Arc::new(annotation)));
        }
        by_id.sort_unstable_by_key(|(id, _)| *id);
        if let Some(pair) = by_id.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(ProjectError::DuplicateId { id: pair[0].0 });
        }
        check_uids(by_id.iter().map(|(_, annotation)| &**annotation))?;
        drop(known_tags);
        let mut project = Self::new(text, source, tag_set);
        // In range, so adding one cannot overflow.
        project.next_id = by_id.last().map_or(1, |(id, _)| id.0 + 1);
        project.annotations = by_id.into_iter().collect();
        Ok(project)
    }

    /// Raises the next id to `next` (as a file records it, after ids given
    /// and deleted); a lower value changes nothing, as the next id is already
    /// above every id in use. At most one past [`AnnotationId::MAX`].
    pub fn raise_next_annotation_id(&mut self, next: u64) -> Result<(), ProjectError> {
        if next > AnnotationId::MAX.0 + 1 {
            return Err(ProjectError::NextIdOutOfRange { next });
        }
        self.next_id = self.next_id.max(next);
        Ok(())
    }

    /// The document text, exactly as decoded (BOM removed, line breaks kept).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where the text came from.
    #[must_use]
    pub fn source(&self) -> &SourceInfo {
        &self.source
    }

    /// Records where the project now lives on disk (after Save As, say).
    pub fn set_source_path(&mut self, path: Option<String>) {
        self.source.path = path;
    }

    /// The tag set.
    #[must_use]
    pub fn tag_set(&self) -> &TagSet {
        &self.tag_set
    }

    /// All annotations, by id.
    #[must_use]
    pub fn annotations(&self) -> impl ExactSizeIterator<Item = &Annotation> + DoubleEndedIterator {
        self.annotations.values().map(|annotation| &**annotation)
    }

    /// All annotations by position in the text (start, end, then id): the
    /// order of lists and of saved files.
    #[must_use]
    pub fn annotations_in_document_order(&self) -> Vec<&Annotation> {
        let mut sorted: Vec<&Annotation> = self.annotations().collect();
        sorted.sort_by_key(|annotation| annotation.document_order_key());
        sorted
    }

    /// The annotations that carry a review mark, in document order (the
    /// review list).
    #[must_use]
    pub fn annotations_needing_review(&self) -> Vec<&Annotation> {
        let mut marked: Vec<&Annotation> = self.annotations().filter(|a| a.review.is_some()).collect();
        marked.sort_by_key(|annotation| annotation.document_order_key());
        marked
    }

    /// The annotation with this id.
    #[must_use]
    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.get(&id).map(|annotation| &**annotation)
    }

    /// How many annotations there are.
    #[must_use]
    pub fn annotation_count(&self) -> usize {
        self.annotations.len()
    }

    /// The id the next new annotation will get: above every id this project
    /// has held, even deleted or undone ones, so no id is given twice. It is
    /// past [`AnnotationId::MAX`] only when every id is used up; adding an
    /// annotation with it then fails with a message.
    #[must_use]
    pub fn next_annotation_id(&self) -> AnnotationId {
        AnnotationId(self.next_id)
    }

    /// Placement hints kept from a commented-article import.
    #[must_use]
    pub fn comment_layout(&self) -> &[CommentPlacement] {
        &self.comment_layout
    }

    /// Sets the placement hints (done by the commented-article importer and the loader).
    pub fn set_comment_layout(&mut self, layout: Vec<CommentPlacement>) {
        self.comment_layout = layout;
    }

    /// Records of other formats kept for export (see [`ForeignRecord`]).
    #[must_use]
    pub fn foreign_records(&self) -> &[ForeignRecord] {
        &self.foreign_records
    }

    /// The kept records of one format, in the order they were read.
    pub fn foreign_records_of<'p>(&'p self, format: &'p str) -> impl Iterator<Item = &'p str> + 'p {
        self.foreign_records
            .iter()
            .filter(move |r| r.format == format)
            .map(|r| r.record.as_str())
    }

    /// What a merge left to resolve.
    #[must_use]
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    /// Sets the conflicts (done by the loader and the merge).
    pub fn set_conflicts(&mut self, conflicts: Vec<Conflict>) {
        self.conflicts = conflicts;
    }

    pub(super) fn conflicts_mut(&mut self) -> &mut Vec<Conflict> {
        &mut self.conflicts
    }

    /// The annotation with this uid (a walk over all of them).
    #[must_use]
    pub fn annotation_by_uid(&self, uid: Uid) -> Option<&Annotation> {
        self.annotations().find(|annotation| annotation.uid == uid)
    }

    /// Sets the kept records (done by importers and the loader).
    pub fn set_foreign_records(&mut self, records: Vec<ForeignRecord>) {
        self.foreign_records = records;
    }

    /// The relations, by id.
    #[must_use]
    pub fn relations(&self) -> impl ExactSizeIterator<Item = &Relation> + DoubleEndedIterator {
        self.relations.values()
    }

    /// The relation with this id.
    #[must_use]
    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.relations.get(id)
    }

    /// The relations from or to `annotation`, by id (outgoing and incoming
    /// together: compare `from` to tell them apart). Found through an index,
    /// so this costs the annotation's own links, however many others there are.
    pub fn relations_of(&self, annotation: AnnotationId) -> impl Iterator<Item = &Relation> {
        self.relations
            .ids_of(annotation)
            .filter_map(move |id| self.relations.get(id))
    }

    /// The id the next new relation gets (never given before).
    #[must_use]
    pub fn next_relation_id(&self) -> RelationId {
        RelationId(self.next_relation_id)
    }

    /// Sets the relations (done by importers and the loader), checking that
    /// both ends exist and differ, the type is in the tag set and ids are
    /// unique and in range. The next relation id goes above the highest.
    pub fn set_relations(&mut self, relations: Vec<Relation>) -> Result<(), ProjectError> {
        let mut store = RelationStore::default();
        for relation in relations {
            self.check_relation(&relation)?;
            let id = relation.id;
            if !store.insert(relation) {
                return Err(ProjectError::DuplicateRelation { id });
            }
        }
        let next = store.last_id().map_or(1, |id| id.0 + 1);
        self.relations = store;
        self.next_relation_id = self.next_relation_id.max(next);
        Ok(())
    }

    /// Whether a relation could be added: ends exist and differ, type known, id in range.
    pub(super) fn check_relation(&self, relation: &Relation) -> Result<(), ProjectError> {
        let id = relation.id;
        if !id.is_in_range() {
            return Err(ProjectError::RelationIdOutOfRange { id });
        }
        if self.tag_set.relation_type(&relation.kind).is_none() {
            return Err(ProjectError::UnknownRelationType {
                id,
                kind: relation.kind.clone(),
            });
        }
        for end in [relation.from, relation.to] {
            if !self.annotations.contains_key(&end) {
                return Err(ProjectError::DanglingRelation { id, end });
            }
        }
        if relation.from == relation.to {
            return Err(ProjectError::SelfRelation { id, end: relation.from });
        }
        Ok(())
    }

    /// Raises the next relation id to `next` (as a file records it); a lower
    /// value changes nothing. At most one past [`RelationId::MAX`].
    pub fn raise_next_relation_id(&mut self, next: u64) -> Result<(), ProjectError> {
        if next > RelationId::MAX.0 + 1 {
            return Err(ProjectError::NextRelationIdOutOfRange { next });
        }
        self.next_relation_id = self.next_relation_id.max(next);
        Ok(())
    }

    /// The document's labels, by name.
    #[must_use]
    pub fn document_labels(&self) -> &AttributeValues {
        &self.document_labels
    }

    /// Sets the document's labels (done by importers and the loader).
    pub fn set_document_labels(&mut self, labels: AttributeValues) {
        self.document_labels = labels;
    }

    /// The original file's bytes: the text in its encoding, with its BOM.
    pub fn exported_source(&self) -> Result<Vec<u8>, EncodeError> {
        source_text::encode(&self.text, self.source.encoding, self.source.bom)
    }

    /// Records the SHA-256 of the text as it is now as its source's (for a
    /// file whose hash was of something else: version 1 hashed a commented
    /// article with its comment lines). Kept as it was if the text cannot be
    /// written in its encoding, which [`Project::check_source`] reports.
    pub fn record_text_hash(&mut self) {
        if let Ok(bytes) = self.exported_source() {
            self.source.sha256 = source_text::sha256_hex(&bytes);
        }
    }

    /// Checks the text against the SHA-256 recorded for it: a text changed by
    /// hand in the project file no longer matches (which the user may have
    /// meant, so this is for a warning, not a refusal).
    pub fn check_source(&self) -> Result<(), SourceMismatch> {
        let actual = source_text::sha256_hex(&self.exported_source()?);
        if actual.eq_ignore_ascii_case(&self.source.sha256) {
            return Ok(());
        }
        let bom = if self.source.bom { " with a byte-order mark" } else { "" };
        Err(SourceMismatch::Changed {
            recorded: self.source.sha256.clone(),
            actual,
            written_as: format!("{}{bom}", self.source.encoding.label()),
        })
    }

    pub(super) fn tag_set_mut(&mut self) -> &mut TagSet {
        &mut self.tag_set
    }

    pub(super) fn annotation_mut(&mut self, id: AnnotationId) -> Option<&mut Annotation> {
        self.annotations.get_mut(&id).map(Arc::make_mut)
    }

    pub(super) fn annotations_mut(&mut self) -> impl Iterator<Item = &mut Annotation> {
        self.annotations.values_mut().map(Arc::make_mut)
    }

    /// Adds an annotation whose id is unused and in range (checked by the
    /// caller), raising the next id above it; one without a uid gets a fresh one.
    pub(super) fn insert_annotation(&mut self, mut annotation: Annotation) -> bool {
        if annotation.uid.is_none() {
            annotation.uid = Uid::drawn();
        }
        let id = annotation.id;
        match self.annotations.entry(id) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(Arc::new(annotation));
                self.next_id = self.next_id.max(id.0.saturating_add(1));
                true
            }
        }
    }

    /// Sets the next ids back to what they were before a batch of edits that failed as a whole.
    pub(super) fn restore_next_ids(&mut self, next: AnnotationId, next_relation: RelationId) {
        self.next_id = next.0;
        self.next_relation_id = next_relation.0;
    }

    pub(super) fn document_labels_mut(&mut self) -> &mut AttributeValues {
        &mut self.document_labels
    }

    /// Adds a relation checked by [`Project::check_relation`] whose id is
    /// unused, raising the next relation id above it.
    pub(super) fn insert_relation(&mut self, relation: Relation) -> bool {
        let id = relation.id;
        let inserted = self.relations.insert(relation);
        if inserted {
            self.next_relation_id = self.next_relation_id.max(id.0.saturating_add(1));
        }
        inserted
    }

    /// Gives a relation another type; the old one, or `None` if there is no such relation.
    pub(super) fn set_relation_kind(&mut self, id: RelationId, kind: RelationTypeId) -> Option<RelationTypeId> {
        self.relations.set_kind(id, kind)
    }

    pub(super) fn remove_relation(&mut self, id: RelationId) -> Option<Relation> {
        self.relations.remove(id)
    }

    /// Takes out every relation that matches, in id order.
    pub(super) fn take_relations_where(&mut self, matches: impl Fn(&Relation) -> bool) -> Vec<Relation> {
        let ids: Vec<RelationId> = self.relations.values().filter(|r| matches(r)).map(|r| r.id).collect();
        ids.into_iter().filter_map(|id| self.relations.remove(id)).collect()
    }

    /// Adds an annotation without any check, to test what guards the file
    /// against a span that cannot be (every public way in checks spans).
    #[cfg(test)]
    pub(crate) fn insert_unchecked(&mut self, annotation: Annotation) {
        self.annotations.insert(annotation.id, Arc::new(annotation));
    }

    /// Takes out every comment placement, kept record and relation that names `id`.
    pub(super) fn take_references_to(&mut self, id: AnnotationId) -> References {
        References {
            placements: take_where(&mut self.comment_layout, |p| p.annotation == id),
            foreign_records: take_where(&mut self.foreign_records, |r| r.refers_to.contains(&id)),
            relations: {
                let ids: Vec<RelationId> = self.relations.ids_of(id).collect();
                ids.into_iter().filter_map(|id| self.relations.remove(id)).collect()
            },
        }
    }

    /// Takes out the placements of one counter-claim, and moves those of the
    /// claims after it down one place, as the claim is removed.
    pub(super) fn take_claim_placements(&mut self, id: AnnotationId, claim: usize) -> References {
        let placements = take_where(&mut self.comment_layout, |p| p.annotation == id && p.claim == claim);
        for placement in &mut self.comment_layout {
            if placement.annotation == id && placement.claim > claim {
                placement.claim -= 1;
            }
        }
        References {
            placements,
            ..References::default()
        }
    }

    /// Moves the placements of the claims from `claim` on up one place, as a
    /// claim is inserted there.
    pub(super) fn make_room_for_claim(&mut self, id: AnnotationId, claim: usize) {
        for placement in &mut self.comment_layout {
            if placement.annotation == id && placement.claim >= claim {
                placement.claim += 1;
            }
        }
    }

    /// Puts references back where they were taken from.
    pub(super) fn insert_references(&mut self, references: &References) -> Result<(), ReferencesChanged> {
        if !fits_inserted(&references.placements, self.comment_layout.len())
            || !fits_inserted(&references.foreign_records, self.foreign_records.len())
            || references
                .relations
                .iter()
                .any(|r| self.relations.get(r.id).is_some() || self.check_relation(r).is_err())
        {
            return Err(ReferencesChanged);
        }
        for relation in &references.relations {
            self.insert_relation(relation.clone());
        }
        for (index, placement) in &references.placements {
            self.comment_layout.insert(*index, placement.clone());
        }
        for (index, record) in &references.foreign_records {
            self.foreign_records.insert(*index, record.clone());
        }
        Ok(())
    }

    /// Takes out references put back by [`Project::insert_references`].
    pub(super) fn remove_references(&mut self, references: &References) -> Result<(), ReferencesChanged> {
        if !is_at(&references.placements, &self.comment_layout)
            || !is_at(&references.foreign_records, &self.foreign_records)
            || references.relations.iter().any(|r| self.relations.get(r.id) != Some(r))
        {
            return Err(ReferencesChanged);
        }
        for relation in &references.relations {
            self.relations.remove(relation.id);
        }
        for (index, _) in references.placements.iter().rev() {
            self.comment_layout.remove(*index);
        }
        for (index, _) in references.foreign_records.iter().rev() {
            self.foreign_records.remove(*index);
        }
        Ok(())
    }

    pub(super) fn remove_annotation(&mut self, id: AnnotationId) -> Option<Annotation> {
        self.annotations.remove(&id).map(Arc::unwrap_or_clone)
    }
}

/// No two annotations share a uid: the merge pairs annotations by it.
pub fn check_uids<'a>(annotations: impl Iterator<Item = &'a Annotation>) -> Result<(), ProjectError> {
    let mut seen: std::collections::HashMap<Uid, AnnotationId> = std::collections::HashMap::new();
    for annotation in annotations {
        if let Some(first) = seen.insert(annotation.uid, annotation.id) {
            return Err(ProjectError::DuplicateUid {
                first,
                second: annotation.id,
                uid: annotation.uid,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::Span;

    fn parts(annotations: Vec<Annotation>) -> Result<Project, ProjectError> {
        let text = "Prices e\u{301}xploded.";
        Project::from_parts(
            text.to_owned(),
            SourceInfo::of_text(text),
            TagSet::default_set(),
            annotations,
        )
    }

    fn tagged(id: u64, start: usize, end: usize, tag: &str) -> Annotation {
        let mut annotation = Annotation::new(AnnotationId(id), Span::new(start, end));
        annotation.tags.push(TagId(tag.to_owned()));
        annotation
    }

    #[test]
    fn parts_are_checked_for_spans_tags_and_ids() {
        let project = parts(vec![tagged(9, 0, 6, "Claim"), tagged(2, 7, 18, "Doubt")]).unwrap();
        let ids: Vec<u64> = project.annotations().map(|a| a.id.0).collect();
        assert_eq!(ids, [2, 9]);
        assert_eq!(project.next_annotation_id(), AnnotationId(10));
        assert_eq!(
            parts(vec![tagged(3, 0, 6, "Claim"), tagged(3, 0, 2, "Claim")]),
            Err(ProjectError::DuplicateId { id: AnnotationId(3) })
        );
        assert_eq!(
            parts(vec![tagged(1, 0, 6, "Nope")]),
            Err(ProjectError::UnknownTag {
                id: AnnotationId(1),
                tag: TagId("Nope".into())
            })
        );
        assert!(matches!(
            parts(vec![tagged(1, 0, 99, "Claim")]),
            Err(ProjectError::BadSpan {
                id: AnnotationId(1),
                ..
            })
        ));
    }

    #[test]
    fn ids_past_the_range_and_texts_that_are_not_text_are_refused() {
        assert_eq!(
            parts(vec![tagged(u64::MAX, 0, 6, "Claim")]),
            Err(ProjectError::IdOutOfRange {
                id: AnnotationId(u64::MAX)
            })
        );
        let top = parts(vec![tagged(AnnotationId::MAX.0, 0, 6, "Claim")]).unwrap();
        assert_eq!(top.next_annotation_id().0, AnnotationId::MAX.0 + 1);
        let message = parts(vec![tagged(u64::MAX, 0, 6, "Claim")]).unwrap_err().to_string();
        assert!(
            message.contains("#18446744073709551615") && message.contains("9007199254740991"),
            "{message}"
        );
        let binary = "ab\0cd";
        assert_eq!(
            Project::from_parts(
                binary.into(),
                SourceInfo::of_text(binary),
                TagSet::default_set(),
                Vec::new()
            ),
            Err(ProjectError::NotText(NotText::Nul { char_offset: 2 }))
        );
    }

    #[test]
    fn the_next_id_is_raised_never_lowered_and_stays_in_range() {
        let mut project = parts(vec![tagged(9, 0, 6, "Claim")]).unwrap();
        project.raise_next_annotation_id(3).unwrap();
        assert_eq!(project.next_annotation_id(), AnnotationId(10));
        project.raise_next_annotation_id(40).unwrap();
        assert_eq!(project.next_annotation_id(), AnnotationId(40));
        assert_eq!(
            project.raise_next_annotation_id(u64::MAX),
            Err(ProjectError::NextIdOutOfRange { next: u64::MAX })
        );
        assert_eq!(project.next_annotation_id(), AnnotationId(40));
    }

    #[test]
    fn a_changed_text_no_longer_matches_its_recorded_hash() {
        let text = "Grüße\r\n";
        let bytes = source_text::encode(text, Encoding::Windows1252, false).unwrap();
        let source = SourceInfo::of_text_in(None, text, Encoding::Windows1252, false).unwrap();
        assert_eq!(source.sha256, source_text::sha256_hex(&bytes));
        let same = Project::new(text.to_owned(), source.clone(), TagSet::default_set());
        assert_eq!(same.check_source(), Ok(()));
        let changed = Project::new("Grüsse\r\n".to_owned(), source.clone(), TagSet::default_set());
        let message = changed.check_source().unwrap_err().to_string();
        assert!(
            message.contains(&source.sha256) && message.contains("windows-1252"),
            "{message}"
        );
        let unencodable = Project::new("Жук".to_owned(), source, TagSet::default_set());
        assert!(matches!(
            unencodable.check_source(),
            Err(SourceMismatch::Unencodable(_))
        ));
    }
}
