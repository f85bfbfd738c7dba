//! The example project in `projects/` is sound, canonical and faithful to its source.
#![allow(clippy::unwrap_used)]

use counterpoint::formats::commented;
use counterpoint::project_file;

const PROJECT: &str = include_str!("../projects/russia-nato-talks.ron");
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
