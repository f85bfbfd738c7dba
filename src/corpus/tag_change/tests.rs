use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::offsets::ByteOffset;
use crate::model::project::SourceInfo;
use crate::model::span::Span;
use crate::model::tag_set::{Rgb, Tag};

fn tag(id: &str, hotkey: Option<u8>) -> Tag {
    Tag {
        id: TagId(id.into()),
        name: id.to_lowercase(),
        category: "Test".into(),
        description: String::new(),
        color: Rgb([10, 20, 30]),
        hotkey,
        attributes: Vec::new(),
    }
}

fn ids(tags: &[&str]) -> Vec<TagId> {
    tags.iter().map(|t| TagId((*t).into())).collect()
}

/// A project on a short text with the tags `set` and annotations carrying `tagged` (one each).
fn project(set: &[Tag], tagged: &[&[&str]]) -> Project {
    let text = "one two three four five six seven eight nine ten".to_owned();
    let annotations = (1..)
        .zip(tagged)
        .map(|(n, tags)| {
            let mut annotation = Annotation::new(
                AnnotationId(n),
                Span {
                    start: ByteOffset(0),
                    end: ByteOffset(3),
                },
            );
            annotation.tags = ids(tags);
            annotation
        })
        .collect();
    Project::from_parts(
        text.clone(),
        SourceInfo::of_text(&text),
        TagSet::of_tags(set.to_vec()),
        annotations,
    )
    .unwrap()
}

fn tag_ids(project: &Project) -> Vec<&str> {
    project.tag_set().tags.iter().map(|t| t.id.as_str()).collect()
}

fn annotation_tags(project: &Project) -> Vec<Vec<&str>> {
    project
        .annotations()
        .map(|a| a.tags.iter().map(TagId::as_str).collect())
        .collect()
}

#[test]
fn a_change_renames_recolours_moves_adds_and_removes_keeping_annotations() {
    let before = [
        tag("A", Some(1)),
        tag("B", Some(2)),
        tag("C", None),
        tag("Own", Some(3)),
    ];
    let mut document = project(&before, &[&["A", "B"], &["B"], &["C", "A"], &["Own"]]);
    let mut renamed = tag("B", Some(2));
    renamed.name = "Bee".into();
    renamed.color = Rgb([1, 2, 3]);
    let mut new = tag("N", Some(3));
    new.name = "New".into();
    let change = TagChange {
        target: TagSet::of_tags(vec![renamed.clone(), tag("A", Some(1)), new.clone()]),
        removed: ids(&["C"]),
    };
    assert!(change.apply_to(&mut document).unwrap());
    assert_eq!(tag_ids(&document), ["B", "A", "N", "Own"]);
    assert_eq!(document.tag_set().tags[0], renamed);
    assert_eq!(document.tag_set().tags[2], new);
    assert_eq!(
        document.tag_set().tags[3].hotkey,
        None,
        "the target's digit goes to its own tag"
    );
    assert_eq!(
        annotation_tags(&document),
        [vec!["A", "B"], vec!["B"], vec!["A"], vec!["Own"]],
        "every annotation kept, each tag in its place, the removed one gone"
    );
    assert!(
        !change.apply_to(&mut document).unwrap(),
        "a second time changes nothing"
    );
}

#[test]
fn the_edit_for_a_document_replays_and_undoes_exactly() {
    let before = [tag("A", Some(1)), tag("B", None), tag("C", None)];
    let original = project(&before, &[&["C", "A"], &["B"]]);
    let change = TagChange {
        target: TagSet::of_tags(vec![tag("C", None), tag("A", Some(4))]),
        removed: ids(&["B"]),
    };
    let edit = change.edit_for(&original).unwrap().unwrap();
    let mut document = original.clone();
    let inverse = edit.apply(&mut document).unwrap();
    let mut expected = original.clone();
    change.apply_to(&mut expected).unwrap();
    assert_eq!(document, expected);
    inverse.apply(&mut document).unwrap();
    assert_eq!(document, original, "undo restores the project exactly");
    assert_eq!(change.edit_for(&expected).unwrap(), None);
}

#[test]
fn aligning_adds_used_tags_to_the_manifest_and_drops_unused_ones() {
    let manifest = TagSet::of_tags(vec![tag("A", Some(1)), tag("B", None)]);
    let document = project(
        &[tag("Used", Some(1)), tag("A", Some(5)), tag("Unused", None)],
        &[&["Used"], &["A"]],
    );
    let alignment = align(&manifest, &document);
    assert_eq!(alignment.added_to_manifest, ids(&["Used"]));
    assert_eq!(alignment.dropped, ids(&["Unused"]));
    assert!(alignment.manifest_grew(&manifest));
    assert_eq!(
        alignment.manifest.tags.last(),
        Some(&tag("Used", None)),
        "added at the end, without a digit the manifest already gives"
    );
    let mut aligned = document.clone();
    alignment.change.apply_to(&mut aligned).unwrap();
    assert_eq!(aligned.tag_set(), &alignment.manifest);
    assert_eq!(annotation_tags(&aligned), annotation_tags(&document), "nothing lost");
    assert_eq!(
        alignment.corpus_change().removed,
        Vec::<TagId>::new(),
        "other documents lose nothing"
    );
}

proptest! {
    /// Any change, from any tag set: annotations keep every tag not removed, in
    /// their order; the target comes first; a second application changes nothing.
    #[test]
    fn a_change_is_idempotent_and_loses_only_removed_tags(
        own in proptest::sample::subsequence(vec!["A", "B", "C", "D", "E", "F"], 0..=6),
        target in proptest::sample::subsequence(vec!["A", "B", "C", "D", "G", "H"], 0..=6).prop_shuffle(),
        removed in proptest::sample::subsequence(vec!["A", "C", "E", "X"], 0..=4),
        carried in proptest::collection::vec(proptest::collection::vec(0usize..6, 0..4), 0..5),
        renamed in any::<bool>(),
    ) {
        let tagged: Vec<Vec<&str>> = carried
            .iter()
            .map(|picks| {
                let mut tags: Vec<&str> = picks.iter().filter_map(|i| own.get(*i).copied()).collect();
                tags.dedup();
                let mut seen = Vec::new();
                tags.retain(|t| if seen.contains(t) { false } else { seen.push(*t); true });
                tags
            })
            .collect();
        let tagged_refs: Vec<&[&str]> = tagged.iter().map(Vec::as_slice).collect();
        let own_tags: Vec<Tag> = own.iter().map(|t| tag(t, None)).collect();
        let mut document = project(&own_tags, &tagged_refs);
        let target_tags: Vec<Tag> = target
            .iter()
            .map(|t| {
                let mut made = tag(t, None);
                if renamed {
                    made.name = format!("renamed {t}");
                }
                made
            })
            .collect();
        let change = TagChange { target: TagSet::of_tags(target_tags.clone()), removed: ids(&removed) };
        let original = document.clone();
        change.apply_to(&mut document).unwrap();
        prop_assert_eq!(&document.tag_set().tags[..target_tags.len()], &target_tags[..]);
        let gone = |t: &&str| removed.contains(t) && !target.contains(t);
        for (before, after) in original.annotations().zip(document.annotations()) {
            let kept: Vec<&str> = before.tags.iter().map(TagId::as_str).filter(|t| !gone(t)).collect();
            let now: Vec<&str> = after.tags.iter().map(TagId::as_str).collect();
            prop_assert_eq!(kept, now);
        }
        prop_assert!(!change.apply_to(&mut document).unwrap());
    }
}

/// A corpus folder of `count` projects with the tags A, B, C; B on every annotation.
fn corpus(count: usize) -> (tempfile::TempDir, Vec<PathBuf>) {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("sub")).unwrap();
    let set = [tag("A", Some(1)), tag("B", Some(2)), tag("C", None)];
    let files = (0..count)
        .map(|n| {
            let name = if n % 2 == 0 {
                format!("doc{n}.ron")
            } else {
                format!("sub/doc{n}.ron")
            };
            let path = root.path().join(&name);
            project_file::save(&project(&set, &[&["B", "A"], &["C"]]), &path, &Expect::Absent).unwrap();
            PathBuf::from(name)
        })
        .collect();
    (root, files)
}

/// B renamed, C removed.
fn rename_and_remove() -> TagChange {
    let mut renamed = tag("B", Some(2));
    renamed.name = "Renamed".into();
    TagChange {
        target: TagSet::of_tags(vec![tag("A", Some(1)), renamed]),
        removed: ids(&["C"]),
    }
}

/// Whether the file at `path` is before (`false`) or after (`true`) the change; panics when it is neither.
fn is_after(path: &Path, change: &TagChange) -> bool {
    let project = project_file::load(path).unwrap();
    if project.tag_set() == &change.target {
        assert_eq!(annotation_tags(&project), [vec!["B", "A"], vec![]]);
        true
    } else {
        assert_eq!(tag_ids(&project), ["A", "B", "C"], "{}", path.display());
        assert_eq!(annotation_tags(&project), [vec!["B", "A"], vec!["C"]]);
        false
    }
}

#[test]
fn a_crash_halfway_leaves_each_file_before_or_after_and_resume_finishes() {
    let (root, files) = corpus(6);
    let root = root.path();
    let change = rename_and_remove();
    let progress = Progress::new();
    let crash = |number: usize, _: &Path| {
        if number == 3 {
            Err("injected failure".to_owned())
        } else {
            Ok(())
        }
    };
    let error = apply_with_hook(root, &change, &files, &progress, &crash).unwrap_err();
    assert!(matches!(error, TagChangeError::Injected { .. }), "{error}");
    let states: Vec<bool> = files.iter().map(|f| is_after(&root.join(f), &change)).collect();
    assert_eq!(states, [true, true, true, false, false, false]);
    assert!(root.join(JOURNAL_FILE).is_file(), "the journal stays for the next open");
    let done_bytes = std::fs::read(root.join(&files[0])).unwrap();
    let done_state = std::fs::metadata(root.join(&files[0])).unwrap().modified().unwrap();

    let again = apply(root, &change, &files, &progress).unwrap_err();
    assert!(
        matches!(again, TagChangeError::Journal(JournalError::Unfinished { .. })),
        "{again}"
    );

    let outcome = resume(root, &progress).unwrap().unwrap();
    assert_eq!(outcome.changed.len(), 3);
    assert_eq!(outcome.unchanged.len(), 3);
    assert!(outcome.skipped.is_empty());
    assert!(files.iter().all(|f| is_after(&root.join(f), &change)));
    assert!(!root.join(JOURNAL_FILE).exists(), "the journal is gone");
    assert_eq!(std::fs::read(root.join(&files[0])).unwrap(), done_bytes);
    assert_eq!(
        std::fs::metadata(root.join(&files[0])).unwrap().modified().unwrap(),
        done_state,
        "a file already changed is not written again"
    );
    assert_eq!(Manifest::load(root).unwrap().tag_set, change.target);
    assert_eq!(resume(root, &progress).unwrap(), None, "nothing left to do");
    assert_eq!(progress.done(), progress.total());
}

#[test]
fn a_cancel_stops_between_files_and_resume_finishes() {
    let (root, files) = corpus(3);
    let root = root.path();
    let change = rename_and_remove();
    let progress = Progress::new();
    let cancel_after_first = |number: usize, _: &Path| {
        if number == 0 {
            progress.cancel();
        }
        Ok(())
    };
    let error = apply_with_hook(root, &change, &files, &progress, &cancel_after_first).unwrap_err();
    assert!(
        matches!(error, TagChangeError::Cancelled { done: 1, total: 3 }),
        "{error}"
    );
    let states: Vec<bool> = files.iter().map(|f| is_after(&root.join(f), &change)).collect();
    assert_eq!(states, [true, false, false]);
    let outcome = resume(root, &Progress::new()).unwrap().unwrap();
    assert_eq!((outcome.changed.len(), outcome.unchanged.len()), (2, 1));
    assert!(files.iter().all(|f| is_after(&root.join(f), &change)));
}

#[test]
fn a_broken_file_is_skipped_and_reported_and_the_rest_is_done() {
    let (root, mut files) = corpus(2);
    let root = root.path();
    std::fs::write(root.join("broken.ron"), "(format: ").unwrap();
    files.push(PathBuf::from("broken.ron"));
    files.push(PathBuf::from("gone.ron"));
    let change = rename_and_remove();
    let outcome = apply(root, &change, &files, &Progress::new()).unwrap();
    assert_eq!(outcome.changed.len(), 2);
    let skipped: Vec<&Path> = outcome.skipped.iter().map(|(p, _)| p.as_path()).collect();
    assert_eq!(skipped, [root.join("broken.ron"), root.join("gone.ron")]);
    assert!(outcome.skipped[0].1.contains("line 1"), "{}", outcome.skipped[0].1);
    assert_eq!(std::fs::read_to_string(root.join("broken.ron")).unwrap(), "(format: ");
    assert!(!root.join(JOURNAL_FILE).exists());
}

#[test]
fn a_journal_naming_files_outside_the_corpus_is_not_followed() {
    let (root, _) = corpus(1);
    let root = root.path();
    let journal = Journal::new(
        rename_and_remove(),
        vec!["../elsewhere.ron".into(), "/etc/x.ron".into()],
    );
    journal.write_new(root).unwrap();
    assert_eq!(Journal::load(root).unwrap(), Some(journal));
    let outcome = resume(root, &Progress::new()).unwrap().unwrap();
    assert_eq!(outcome.skipped.len(), 2);
    assert!(outcome.changed.is_empty());
}

#[test]
fn a_target_naming_a_tag_twice_is_refused_before_anything_is_written() {
    let (root, files) = corpus(1);
    let root = root.path();
    let change = TagChange {
        target: TagSet::of_tags(vec![tag("A", None), tag("A", Some(2))]),
        removed: Vec::new(),
    };
    let error = apply(root, &change, &files, &Progress::new()).unwrap_err();
    assert!(matches!(error, TagChangeError::DuplicateTag(_)), "{error}");
    assert!(!root.join(JOURNAL_FILE).exists());
    assert!(!is_after(&root.join(&files[0]), &rename_and_remove()));
}
