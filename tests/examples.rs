//! The example project in `projects/` is sound, canonical and faithful to its source.
#![allow(clippy::unwrap_used)]

use counterpoint::formats::commented;
use counterpoint::model::annotation::AnnotationId;
use counterpoint::project_file;

const PROJECT: &str = include_str!("../projects/russia-nato-talks.ron");
/// The same project as format version 1 wrote it.
const VERSION_1: &str = include_str!("fixtures/project-v1.ron");
/// The same project as format version 2 wrote it.
const VERSION_2: &str = include_str!("fixtures/project-v2.ron");
const SAMPLE: &[u8] = include_bytes!("../assets/examples/000_7713f654ee184543.txt");

#[test]
fn the_example_project_loads_and_saves_to_the_same_bytes() {
    let project = project_file::from_ron_str(PROJECT).unwrap();
    assert_eq!(project_file::to_ron_string(&project).unwrap(), PROJECT);
    assert!(project_file::check_str(PROJECT).unwrap().problems.is_empty());
}

#[test]
fn the_example_project_gives_back_the_seed_sample() {
    let project = project_file::from_ron_str(PROJECT).unwrap();
    assert_eq!(commented::export(&project).unwrap().bytes, SAMPLE);
    let claims: usize = project.annotations().map(|a| a.counter_claims.len()).sum();
    assert_eq!(claims, 4);
    let techniques: Vec<_> = project
        .annotations()
        .flat_map(|a| &a.tags)
        .filter(|tag| {
            project
                .tag_set()
                .get(tag)
                .is_some_and(|t| t.category != "Argument role")
        })
        .collect();
    assert!(techniques.len() >= 5, "{techniques:?}");
}

#[test]
fn a_version_1_file_opens_and_is_saved_as_the_current_version() {
    assert!(VERSION_1.contains("\n    version: 1,\n"));
    let project = project_file::from_ron_str(VERSION_1).unwrap();
    let highest = project.annotations().map(|a| a.id).max().unwrap();
    assert_eq!(project.next_annotation_id(), AnnotationId(highest.0 + 1));
    assert_eq!(project_file::to_ron_string(&project).unwrap(), PROJECT);
    let report = project_file::check_str(VERSION_1).unwrap();
    assert!(report.problems.is_empty() && report.warnings.is_empty(), "{report:?}");
    // Version 1 hashed the commented article with its comment lines: not checkable, and said so.
    assert_eq!(report.notices.len(), 1, "{report:?}");
    assert!(report.notices[0].contains("version 1"), "{report:?}");
}

#[test]
fn a_version_2_file_opens_without_review_marks_and_is_saved_as_version_3() {
    assert!(VERSION_2.contains("\n    version: 2,\n"));
    let project = project_file::from_ron_str(VERSION_2).unwrap();
    assert!(project.annotations_needing_review().is_empty());
    assert!(project.source().previous_sha256.is_empty());
    assert_eq!(
        project.next_annotation_id(),
        project_file::from_ron_str(PROJECT).unwrap().next_annotation_id()
    );
    let saved = project_file::to_ron_string(&project).unwrap();
    assert!(saved.contains("\n    version: 3,\n"));
    assert_eq!(saved, PROJECT);
    assert_eq!(project.relations().count(), 0);
    assert!(project.document_labels().is_empty() && project.tag_set().relation_types.is_empty());
    let report = project_file::check_str(VERSION_2).unwrap();
    assert!(
        report.problems.is_empty() && report.warnings.is_empty() && report.notices.is_empty(),
        "{report:?}"
    );
    assert!(report.needs_review.is_empty(), "{report:?}");
}

#[test]
fn a_version_2_file_opens_with_derived_uids_and_is_saved_as_the_current_version() {
    assert!(VERSION_2.contains("\n    version: 2,\n") && !VERSION_2.contains("uid:"));
    let project = project_file::from_ron_str(VERSION_2).unwrap();
    assert_eq!(project_file::to_ron_string(&project).unwrap(), PROJECT);
    // Derived from the text and the number: the same as the version 1 file's, and as the saved file's.
    let uids = |p: &counterpoint::model::project::Project| p.annotations().map(|a| (a.id, a.uid)).collect::<Vec<_>>();
    assert_eq!(uids(&project), uids(&project_file::from_ron_str(VERSION_1).unwrap()));
    assert_eq!(uids(&project), uids(&project_file::from_ron_str(PROJECT).unwrap()));
    assert!(project.annotations().all(|a| !a.uid.is_none()));
    let report = project_file::check_str(VERSION_2).unwrap();
    assert!(report.problems.is_empty() && report.warnings.is_empty(), "{report:?}");
}

#[test]
fn a_version_1_file_never_gives_an_id_its_comment_placements_still_name() {
    // Version 1 left the placements of a deleted annotation behind.
    let with_stale_placement = VERSION_1.replacen(
        "    text: [\n",
        "    comment_layout: [\n        (annotation: 40, claim: 0, line_break: \"\\n\"),\n    ],\n    text: [\n",
        1,
    );
    let project = project_file::from_ron_str(&with_stale_placement).unwrap();
    assert_eq!(project.next_annotation_id(), AnnotationId(41));
}

#[test]
fn the_example_project_records_the_hash_of_its_text() {
    let project = project_file::from_ron_str(PROJECT).unwrap();
    assert_eq!(project.check_source(), Ok(()));
    let report = project_file::check_str(PROJECT).unwrap();
    assert!(report.warnings.is_empty() && report.notices.is_empty(), "{report:?}");
}
