//! `counterpoint merge` as git's merge driver, set up exactly as the README
//! says, in a real repository: two annotators' branches with independent and
//! conflicting edits, merged by `git merge`; and `counterpoint check` on the result.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use counterpoint::model::annotation::CounterClaim;
use counterpoint::model::conflict::{Conflict, ConflictField};
use counterpoint::model::edit::Edit;
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::project_file;

use super::{Folder, counterpoint, path_str, text};

const ARTICLE: &str = "Prices exploded last winter.\nThe minister said nothing, as always.\nEverybody knows why.\n";
const PROJECT: &str = "projects/article.ron";

fn git(repo: &Path, args: &[&str]) -> Output {
    let output = Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo)
        .output()
        .unwrap();
    assert!(!text(&output.stderr).contains("panicked"), "{}", text(&output.stderr));
    output
}

fn git_ok(repo: &Path, args: &[&str]) {
    let output = git(repo, args);
    assert!(
        output.status.success(),
        "git {args:?}: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// The README's set-up lines, with the built binary for `counterpoint`.
fn set_up_as_the_readme_says(repo: &Path) {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let binary = env!("CARGO_BIN_EXE_counterpoint");
    let attributes = "projects/*.ron merge=counterpoint diff=counterpoint";
    assert!(readme.contains(attributes), "the README gives the .gitattributes line");
    fs::write(repo.join(".gitattributes"), format!("{attributes}\n")).unwrap();
    for (key, value) in [
        ("merge.counterpoint.name", "Counterpoint projects"),
        ("merge.counterpoint.driver", "counterpoint merge %O %A %B"),
        ("diff.counterpoint.textconv", "counterpoint diff --textconv"),
    ] {
        let line = format!("git config {key} \"{value}\"");
        assert!(readme.contains(&line), "the README has {line}");
        git_ok(
            repo,
            &["config", key, &value.replace("counterpoint ", &format!("{binary} "))],
        );
    }
}

fn load(repo: &Path) -> Project {
    project_file::load(&repo.join(PROJECT)).unwrap()
}

fn save(repo: &Path, project: &Project) {
    fs::write(repo.join(PROJECT), project_file::to_ron_string(project).unwrap()).unwrap();
}

fn apply(project: &mut Project, edit: Edit) {
    edit.apply(project).unwrap();
}

fn tag_span(project: &mut Project, start: usize, end: usize, tag: &str) {
    let (edit, _) = Edit::tag_span(project, Span::new(start, end), TagId(tag.into())).unwrap();
    apply(project, edit);
}

fn commit(repo: &Path, message: &str) {
    git_ok(repo, &["add", "-A"]);
    git_ok(repo, &["commit", "-q", "-m", message]);
}

fn spans(project: &Project) -> Vec<(u64, usize, usize, Vec<String>)> {
    project
        .annotations()
        .map(|a| {
            (
                a.id.0,
                a.span.start.0,
                a.span.end.0,
                a.tags.iter().map(|t| t.0.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn git_merges_two_annotators_branches_through_the_driver() {
    let folder = Folder::new();
    let repo = folder.path("repo");
    fs::create_dir_all(repo.join("projects")).unwrap();
    git_ok(&repo, &["init", "-q", "-b", "main"]);
    git_ok(&repo, &["config", "user.name", "Lead"]);
    git_ok(&repo, &["config", "user.email", "lead@example.org"]);
    set_up_as_the_readme_says(&repo);

    // Base: #1 "Prices exploded", #2 "said nothing", #3 "Everybody knows why".
    let mut base = Project::new(ARTICLE.into(), SourceInfo::of_text(ARTICLE), TagSet::default_set());
    tag_span(&mut base, 0, 15, "Claim");
    tag_span(&mut base, 42, 54, "Doubt");
    tag_span(&mut base, 67, 86, "Loaded_Language");
    save(&repo, &base);
    commit(&repo, "base");

    // Alice: a new #4, Doubt added to #1, #3 narrowed to "Everybody knows".
    git_ok(&repo, &["checkout", "-q", "-b", "alice"]);
    let mut alice = load(&repo);
    tag_span(&mut alice, 29, 41, "Evidence");
    let first = alice.annotations().next().unwrap().id;
    apply(
        &mut alice,
        Edit::InsertTag {
            id: first,
            index: 1,
            tag: TagId("Doubt".into()),
        },
    );
    let third = alice.annotations().nth(2).unwrap().id;
    apply(
        &mut alice,
        Edit::SetSpan {
            id: third,
            span: Span::new(67, 82),
        },
    );
    save(&repo, &alice);
    commit(&repo, "alice");

    // Carol: only a counter-claim on #2 (merges cleanly).
    git_ok(&repo, &["checkout", "-q", "-b", "carol", "main"]);
    let mut carol = load(&repo);
    let second = carol.annotations().nth(1).unwrap().id;
    apply(
        &mut carol,
        Edit::InsertCounterClaim {
            id: second,
            index: 0,
            claim: CounterClaim::new("He spoke on Tuesday."),
        },
    );
    save(&repo, &carol);
    commit(&repo, "carol");

    // Bob: his own new #4 (another mark), and #3 moved to "knows why" (a conflict with Alice).
    git_ok(&repo, &["checkout", "-q", "-b", "bob", "main"]);
    let mut bob = load(&repo);
    tag_span(&mut bob, 16, 27, "Exaggeration-Minimisation");
    apply(
        &mut bob,
        Edit::SetSpan {
            id: third,
            span: Span::new(77, 86),
        },
    );
    save(&repo, &bob);
    commit(&repo, "bob");

    git_ok(&repo, &["checkout", "-q", "alice"]);
    let clean = git(&repo, &["merge", "-q", "--no-edit", "carol"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}{}",
        text(&clean.stdout),
        text(&clean.stderr)
    );
    let merged = load(&repo);
    assert_eq!(
        merged.annotation(second).unwrap().counter_claims,
        [CounterClaim::new("He spoke on Tuesday.")]
    );
    assert!(merged.conflicts().is_empty());
    assert!(
        !repo.join(".gitattributes.bak").exists()
            && fs::read_dir(&repo)
                .unwrap()
                .all(|entry| { !entry.unwrap().file_name().to_string_lossy().ends_with(".bak") }),
        "no backup of git's temporary file is left in the work tree"
    );

    let conflicted = git(&repo, &["merge", "--no-edit", "bob"]);
    assert_eq!(
        conflicted.status.code(),
        Some(1),
        "{}{}",
        text(&conflicted.stdout),
        text(&conflicted.stderr)
    );
    let file = fs::read_to_string(repo.join(PROJECT)).unwrap();
    assert!(!file.contains("<<<<<<<") && !file.contains(">>>>>>>"), "{file}");
    let merged = load(&repo);
    assert_eq!(
        spans(&merged),
        [
            (1, 0, 15, vec!["Claim".into(), "Doubt".into()]),
            (2, 42, 54, vec!["Doubt".into()]),
            (3, 67, 82, vec!["Loaded_Language".into()]),
            (4, 29, 41, vec!["Evidence".into()]),
            // Bob's #4 was taken by Alice's: it is #5 now.
            (5, 16, 27, vec!["Exaggeration-Minimisation".into()]),
        ]
    );
    assert_eq!(
        merged.annotation(second).unwrap().counter_claims.len(),
        1,
        "Carol's claim stays"
    );
    let [Conflict::Annotation { fields, sides, .. }] = merged.conflicts() else {
        panic!("{:?}", merged.conflicts());
    };
    assert_eq!(fields, &[ConflictField::Span]);
    assert_eq!(sides.theirs.as_ref().unwrap().span, Span::new(77, 86));
    assert_eq!(sides.base.as_ref().unwrap().span, Span::new(67, 86));
    let status = text(&git(&repo, &["status", "--porcelain"]).stdout);
    assert!(status.contains("UU projects/article.ron"), "{status}");

    let check = counterpoint(&["check", path_str(&repo.join(PROJECT))]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    let listed = text(&check.stdout);
    assert!(
        listed.contains("to resolve: annotation #3") && listed.contains("span"),
        "{listed}"
    );
    assert!(
        text(&check.stderr).contains("1 unresolved conflict"),
        "{}",
        text(&check.stderr)
    );

    let listing = text(&counterpoint(&["diff", "--textconv", path_str(&repo.join(PROJECT))]).stdout);
    assert!(listing.contains("conflicts to resolve: 1\nannotation #3"), "{listing}");

    // git diff reads the listing, not RON.
    let diff = text(&git(&repo, &["diff", "main", "alice", "--", PROJECT]).stdout);
    assert!(diff.contains("Evidence"), "{diff}");
}

#[test]
fn merge_refuses_other_texts_and_leaves_ours_untouched() {
    let folder = Folder::new();
    let one = Project::new(ARTICLE.into(), SourceInfo::of_text(ARTICLE), TagSet::default_set());
    let other_text = "Another article.\n";
    let other = Project::new(
        other_text.into(),
        SourceInfo::of_text(other_text),
        TagSet::default_set(),
    );
    let base = folder.file("base.ron", project_file::to_ron_string(&one).unwrap().as_bytes());
    let ours = folder.file("ours.ron", project_file::to_ron_string(&one).unwrap().as_bytes());
    let theirs = folder.file("theirs.ron", project_file::to_ron_string(&other).unwrap().as_bytes());
    let before = fs::read(&ours).unwrap();
    let output = counterpoint(&["merge", path_str(&base), path_str(&ours), path_str(&theirs)]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let message = text(&output.stderr);
    assert!(
        message.contains("different text") && message.contains("line 1, column 1"),
        "{message}"
    );
    assert_eq!(fs::read(&ours).unwrap(), before);
    assert!(!folder.path("ours.ron.bak").exists());
    // -o writes elsewhere, and never over an input.
    let out = folder.path("out.ron");
    let output = counterpoint(&[
        "merge",
        path_str(&base),
        path_str(&ours),
        path_str(&ours),
        "-o",
        path_str(&out),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(project_file::load(&out).unwrap(), one);
    let output = counterpoint(&[
        "merge",
        path_str(&base),
        path_str(&ours),
        path_str(&ours),
        "-o",
        path_str(&base),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
}

#[test]
fn an_empty_base_as_git_gives_for_a_file_both_branches_added_keeps_both_sides() {
    let folder = Folder::new();
    let mut ours = Project::new(ARTICLE.into(), SourceInfo::of_text(ARTICLE), TagSet::default_set());
    let mut theirs = ours.clone();
    tag_span(&mut ours, 0, 15, "Claim");
    tag_span(&mut theirs, 16, 27, "Doubt");
    let base = folder.file("base.ron", b"");
    let ours_path = folder.file("ours.ron", project_file::to_ron_string(&ours).unwrap().as_bytes());
    let theirs_path = folder.file("theirs.ron", project_file::to_ron_string(&theirs).unwrap().as_bytes());
    let output = counterpoint(&["merge", path_str(&base), path_str(&ours_path), path_str(&theirs_path)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let merged = project_file::load(&ours_path).unwrap();
    assert_eq!(
        spans(&merged),
        [(1, 0, 15, vec!["Claim".into()]), (2, 16, 27, vec!["Doubt".into()])]
    );
    assert_eq!(merged.tag_set(), ours.tag_set());
    assert!(
        folder.path("ours.ron.bak").exists(),
        "a file merged by hand keeps its backup"
    );
}
