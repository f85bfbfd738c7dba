//! `counterpoint agree` and `counterpoint diff` on three annotators' projects
//! of one article (`tests/fixtures/team/`), and `diff --textconv` as git runs it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{Folder, counterpoint, path_str, text};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/team");

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn annotators() -> [String; 3] {
    ["a", "b", "c"].map(|name| path_str(&fixture(&format!("annotator-{name}.ron"))).to_owned())
}

/// Asserts the exit status and that nothing panicked.
fn assert_exit(output: &Output, code: i32) {
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {stderr}",
        text(&output.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Asserts that a table row reads `cells` (separated by any spaces).
fn has_row(out: &str, cells: &str) {
    let wanted: Vec<&str> = cells.split(' ').collect();
    assert!(
        out.lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>() == wanted
                || line.starts_with(wanted[0])
                    && line[wanted[0].len()..].split_whitespace().collect::<Vec<_>>() == wanted[1..]),
        "no row {cells:?} in\n{out}"
    );
}

#[test]
fn agree_prints_tables_per_pair_and_for_the_group() {
    let [a, b, c] = annotators();
    let output = counterpoint(&["agree", &a, &b, &c]);
    assert_exit(&output, 0);
    let out = text(&output.stdout);
    assert!(
        out.starts_with("3 projects of one text: 516 code points, 97 tokens\n"),
        "{out}"
    );
    for heading in [
        "B against A: span matching",
        "C against B: span matching",
        "C and A: Cohen's κ",
        "All projects (A, B, C): Fleiss' κ and Krippendorff's α_u",
    ] {
        assert!(out.contains(heading), "{heading} in {out}");
    }
    // B against A, overall: 12 units each, 3 exact matches, 8 overlapping.
    has_row(&out, "overall 12 12 0.250 0.250 0.250 0.667 0.667 0.667");
    // The group, overall: Fleiss' κ on characters and tokens, α_u (as NLTK and DKPro give them).
    has_row(&out, "overall 0.570 0.543 0.592");
    // A tag neither B nor C used: no variation, so κ is undefined, not NaN.
    has_row(&out, "(no tag) undefined undefined");
    assert!(!out.contains("NaN"), "{out}");
    assert!(
        out.contains("undefined: nothing to measure"),
        "the legend says what undefined means"
    );
}

#[test]
fn agree_json_has_every_figure_and_null_for_undefined() {
    let [a, b, c] = annotators();
    let output = counterpoint(&["agree", "--json", &a, &b, &c]);
    assert_exit(&output, 0);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["projects"][2]["name"], "C");
    assert_eq!(json["projects"][1]["annotations"], 12);
    assert_eq!(json["pairs"].as_array().unwrap().len(), 3);
    let a_b = &json["pairs"][0];
    assert_eq!(
        (a_b["reference"].as_str(), a_b["other"].as_str()),
        (Some("A"), Some("B"))
    );
    assert_eq!(a_b["overall"]["overlap"]["matched"], 8);
    let alpha = json["group"]["overall"]["alpha_u"].as_f64().unwrap();
    assert!((alpha - 0.592_190_408_663_639).abs() < 1e-12, "{alpha}");
    let untagged_b_c = json["pairs"][2]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["label"] == "(no tag)")
        .unwrap();
    assert!(untagged_b_c["tag"].is_null());
    assert!(untagged_b_c["cohen_kappa"]["characters"].is_null());
    assert!(untagged_b_c["exact"]["f1"].is_null());
    assert!(json["group"]["overall"]["fleiss_kappa"]["tokens"].is_f64());

    let two = counterpoint(&["agree", "--json", &a, &b]);
    let json: serde_json::Value = serde_json::from_slice(&two.stdout).unwrap();
    assert!(
        json["group"]["overall"].get("fleiss_kappa").is_none(),
        "Fleiss' κ is for three or more"
    );
}

#[test]
fn agree_on_projects_without_annotations_says_so() {
    let folder = Folder::new();
    let empty = folder.path("empty.ron");
    let output = counterpoint(&["import", path_str(&fixture("article.txt")), "-o", path_str(&empty)]);
    assert_exit(&output, 0);
    let output = counterpoint(&["agree", path_str(&empty), path_str(&empty)]);
    assert_exit(&output, 0);
    let out = text(&output.stdout);
    assert!(out.contains("No project has an annotation"), "{out}");
    has_row(
        &out,
        "overall 0 0 undefined undefined undefined undefined undefined undefined",
    );
    assert!(!out.contains("NaN"), "{out}");
}

#[test]
fn agree_refuses_other_texts_and_too_few_projects() {
    let [a, ..] = annotators();
    let other = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/russia-nato-talks.ron");
    let output = counterpoint(&["agree", &a, other]);
    assert_exit(&output, 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("annotate different texts (recorded SHA-256 9f79762ff582 and 7b7e6a597c63; the texts first differ at line 1, column 1)"), "{stderr}");
    let output = counterpoint(&["agree", &a]);
    assert_exit(&output, 2);
    assert!(
        text(&output.stderr).contains("2 values required"),
        "{}",
        text(&output.stderr)
    );
    let output = counterpoint(&["agree", &a, "/no/such/project.ron"]);
    assert_exit(&output, 1);
    assert!(text(&output.stderr).contains("/no/such/project.ron"));
}

#[test]
fn diff_lists_changes_as_a_person_reads_them_with_diff_exit_codes() {
    let [a, _, c] = annotators();
    let output = counterpoint(&["diff", &a, &c]);
    assert_exit(&output, 1);
    let out = text(&output.stdout);
    let expected = format!(
        "--- {a}\n+++ {c}\n\
         ~ #3 (now #2) at 109..124 [Loaded_Language] \"reckless gamble\"\n    now at 107..124 \"a reckless gamble\"\n\
         ~ #4 at 179..195 [Name_Calling-Labeling] \"a notorious liar\"\n    now at 179..222 \"a notorious liar according to his opponents\"\n\
         ~ #5 at 237..265 [Appeal_to_Popularity, Claim] \"every expert agrees with him\"\n    - tag Claim\n\
         ~ #8 at 362..405 [Conversation_Killer, Name_Calling-Labeling] \"Only a traitor would question these numbers\"\n    - tag Name_Calling-Labeling\n\
         - #10 at 467..496 \"ordinary people pay the price\"\n    counter-claim \"Wages rose faster than prices last year.\"\n\
         + #9 at 467..514 [Appeal_to_Fear-Prejudice] \"ordinary people pay the price for this disaster\"\n\
         1 added, 1 removed, 4 changed; 5 the same (2 numbered differently)\n"
    );
    assert_eq!(out, expected);

    let same = counterpoint(&["diff", &a, &a]);
    assert_exit(&same, 0);
    assert!(same.stdout.is_empty(), "nothing to say, as diff(1)");

    let other = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/russia-nato-talks.ron");
    let refused = counterpoint(&["diff", &a, other]);
    assert_exit(&refused, 2);
    assert!(text(&refused.stderr).contains("annotate different texts"));
    assert_exit(&counterpoint(&["diff", &a, "/no/such/project.ron"]), 2);
    assert_exit(&counterpoint(&["diff", &a]), 2);
    assert_exit(&counterpoint(&["diff", "--textconv", &a, &c]), 2);
}

#[test]
fn textconv_lists_a_project_and_shows_other_files_as_they_are() {
    let [a, ..] = annotators();
    let output = counterpoint(&["diff", "--textconv", &a]);
    assert_exit(&output, 0);
    let out = text(&output.stdout);
    assert!(
        out.starts_with(
            "Counterpoint project\nsource: \"tests/fixtures/team/article.txt\", UTF-8, SHA-256 \"9f79762ff582"
        ),
        "{out}"
    );
    assert!(
        out.contains("\nannotations: 10\n#1 at 76..83 [Exaggeration-Minimisation] \"triumph\"\n"),
        "{out}"
    );
    assert!(out.contains("\n#10 at 467..496 \"ordinary people pay the price\"\n    counter-claim: \"Wages rose faster than prices last year.\"\n"), "{out}");
    assert!(out.ends_with("| Nobody has seen the secret report, yet the government says it proves that crime fell by half. Only a traitor would question these numbers, the café owners were told. Meanwhile prices keep rising and ordinary people pay the price for this disaster.\n"), "{out}");
    assert_eq!(
        counterpoint(&["diff", "--textconv", &a]).stdout,
        output.stdout,
        "the same lines every time"
    );

    let folder = Folder::new();
    let broken = folder.file(
        "broken.ron",
        b"(format: \"counterpoint-project\", version: 2,\n<<<<<<< ours\n",
    );
    let output = counterpoint(&["diff", "--textconv", path_str(&broken)]);
    assert_exit(&output, 0);
    let out = text(&output.stdout);
    assert!(
        out.starts_with("(not a Counterpoint project this version reads: the project file cannot be read at line"),
        "{out}"
    );
    assert!(out.ends_with("version: 2,\n<<<<<<< ours\n"), "{out}");
    assert_exit(
        &counterpoint(&["diff", "--textconv", path_str(&folder.path("missing.ron"))]),
        2,
    );
}

/// Runs git in `dir` with a fixed identity; `None` if git is not installed.
fn git(dir: &Path, args: &[&str]) -> Option<Output> {
    Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .ok()
}

#[test]
fn git_diff_shows_annotation_changes_through_textconv() {
    let folder = Folder::new();
    let repo = folder.path("repo");
    fs::create_dir(&repo).unwrap();
    let Some(init) = git(&repo, &["init", "-q"]) else {
        println!("git is not installed: skipping the git diff check");
        return;
    };
    assert!(init.status.success(), "{}", text(&init.stderr));
    let binary = env!("CARGO_BIN_EXE_counterpoint");
    // As the README sets it up, with this build's binary for `counterpoint`.
    fs::write(repo.join(".gitattributes"), "*.ron diff=counterpoint\n").unwrap();
    let textconv = format!("'{binary}' diff --textconv");
    assert!(
        git(&repo, &["config", "diff.counterpoint.textconv", &textconv])
            .unwrap()
            .status
            .success()
    );
    fs::copy(fixture("annotator-a.ron"), repo.join("article.ron")).unwrap();
    for step in [&["add", "."][..], &["commit", "-q", "-m", "annotator A"][..]] {
        let output = git(&repo, step).unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    fs::copy(fixture("annotator-c.ron"), repo.join("article.ron")).unwrap();
    let output = git(&repo, &["diff", "--no-color"]).unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let diff = text(&output.stdout);
    for line in [
        "-#3 at 109..124 [Loaded_Language] \"reckless gamble\"",
        "+#2 at 107..124 [Loaded_Language] \"a reckless gamble\"",
        "-#10 at 467..496 \"ordinary people pay the price\"",
        "-    counter-claim: \"Wages rose faster than prices last year.\"",
    ] {
        assert!(diff.lines().any(|l| l == line), "{line} in {diff}");
    }
    assert!(
        !diff.contains("| Nobody"),
        "the unchanged text is not in the diff: {diff}"
    );
}
