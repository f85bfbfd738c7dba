#![allow(clippy::unwrap_used)]
//! The benchmark's generated projects are sound and survive save and load exactly.

#[path = "../benches/scale/generate.rs"]
mod generate;

use counterpoint::project_file;
use generate::{Script, Spec};

fn small(script: Script, seed: u64) -> Spec {
    Spec {
        script,
        size_bytes: 20_000,
        annotations: 2_000,
        seed,
    }
}

#[test]
fn generated_projects_round_trip_exactly() {
    for script in [Script::English, Script::Multilingual] {
        let project = generate::project(small(script, 7));
        assert!(project.text().len() >= 20_000);
        assert_eq!(project.annotation_count(), 2_000);
        let file = project_file::to_ron_string(&project).unwrap();
        let loaded = project_file::from_ron_str(&file).unwrap();
        assert_eq!(loaded, project, "load(save(p)) == p");
        assert_eq!(
            project_file::to_ron_string(&loaded).unwrap(),
            file,
            "save(load(f)) == f"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_project() {
    let spec = small(Script::Multilingual, 11);
    assert_eq!(generate::project(spec), generate::project(spec));
    assert_ne!(
        generate::project(spec),
        generate::project(small(Script::Multilingual, 12))
    );
}

#[test]
fn cases_include_every_script_nesting_overlap_tags_and_claims() {
    let project = generate::project(small(Script::Multilingual, 3));
    let text = project.text();
    assert!(text.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)), "Cyrillic");
    assert!(text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "CJK");
    assert!(text.contains('\u{200d}'), "emoji ZWJ sequences");
    let spans: Vec<_> = project.annotations_in_document_order().iter().map(|a| a.span).collect();
    let nested = spans
        .windows(2)
        .any(|w| w[0].start <= w[1].start && w[1].end < w[0].end);
    let overlapping = spans
        .windows(2)
        .any(|w| w[0].start < w[1].start && w[1].start < w[0].end && w[0].end < w[1].end);
    assert!(nested && overlapping);
    assert!(project.annotations().all(|a| !a.tags.is_empty()));
    assert!(project.annotations().any(|a| !a.counter_claims.is_empty()));
    assert!(
        project.annotations().all(|a| !a.span.splits_grapheme(text)),
        "spans lie on grapheme boundaries"
    );
}
