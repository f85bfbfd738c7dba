//! The command line, run as a user would: the real binary on real files.
//! Every failure must be one clear line on stderr, a non-zero exit, no panic,
//! and nothing on disk changed.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "cli/merge.rs"]
mod merge;
#[path = "cli/team.rs"]
mod team;

const SAMPLE: &[u8] = include_bytes!("../assets/examples/000_7713f654ee184543.txt");

fn counterpoint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_counterpoint"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts a failure reported the way a person can read: non-zero exit, one
/// `counterpoint: error:` line, `needle` in what was printed (the error line,
/// or the problems `check` lists before it), no panic or backtrace.
fn assert_fails_with(output: &Output, needle: &str) {
    let stderr = text(&output.stderr);
    assert!(
        !output.status.success(),
        "expected failure, got success; stderr: {stderr}"
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    let error_lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("counterpoint: error:"))
        .collect();
    assert_eq!(error_lines.len(), 1, "one error line: {stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in {stderr}");
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn import(folder: &Folder, file: &Path, format: &str) -> PathBuf {
    let project = folder.path("project.ron");
    let output = counterpoint(&["import", path_str(file), "--format", format, "-o", path_str(&project)]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    project
}

#[test]
fn the_seed_sample_imports_as_commented_and_exports_byte_for_byte() {
    let folder = Folder::new();
    let sample = folder.file("article.txt", SAMPLE);
    let project = import(&folder, &sample, "commented");
    let saved = fs::read_to_string(&project).unwrap();
    assert_eq!(
        saved.matches("counter_claims:").count(),
        4,
        "four comments, four counter-claims"
    );
    assert!(!saved.contains("Comment: "), "comment lines are not part of the text");

    let back = folder.path("back.txt");
    let output = counterpoint(&[
        "export",
        path_str(&project),
        "--format",
        "commented",
        "-o",
        path_str(&back),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(fs::read(&back).unwrap(), SAMPLE);

    let output = counterpoint(&["check", path_str(&project)]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("ok (4 annotations)"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn the_sample_as_plain_text_keeps_its_comment_lines() {
    let folder = Folder::new();
    let sample = folder.file("article.txt", SAMPLE);
    let project = import(&folder, &sample, "text");
    let stats = text(&counterpoint(&["stats", path_str(&project)]).stdout);
    assert!(stats.contains(&format!("text: {} bytes", SAMPLE.len())), "{stats}");
    assert!(stats.contains("annotations: 0"), "{stats}");
    let back = folder.path("back.txt");
    assert!(
        counterpoint(&["export", path_str(&project), "--format", "text", "-o", path_str(&back)])
            .status
            .success()
    );
    assert_eq!(fs::read(&back).unwrap(), SAMPLE);
}

#[test]
fn awkward_documents_round_trip_through_a_project() {
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Ünïcödé 👩‍👩‍👧‍👦 🇺🇦\r\nשלום مرحبا 漢字".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let documents: [(&str, Vec<u8>); 5] = [
        ("bom-crlf.txt", b"\xEF\xBB\xBFline one\r\nline two\r\n".to_vec()),
        ("lone-cr.txt", b"  leading\rtab\there\rno final newline".to_vec()),
        ("utf16.txt", utf16),
        (
            "latin1.txt",
            b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade \x93quoted\x94".to_vec(),
        ),
        ("empty.txt", Vec::new()),
    ];
    for (name, bytes) in documents {
        let folder = Folder::new();
        let file = folder.file(name, &bytes);
        let project = import(&folder, &file, "text");
        let back = folder.path("back.txt");
        let output = counterpoint(&["export", path_str(&project), "--format", "text", "-o", path_str(&back)]);
        assert!(output.status.success(), "{name}: {}", text(&output.stderr));
        assert_eq!(fs::read(&back).unwrap(), bytes, "{name}");
        assert!(counterpoint(&["check", path_str(&project)]).status.success(), "{name}");
    }
}

#[test]
fn bad_documents_are_refused_clearly() {
    let folder = Folder::new();
    let out = folder.path("p.ron");
    let output = counterpoint(&["import", path_str(&folder.path("missing.txt")), "-o", path_str(&out)]);
    assert_fails_with(&output, "does not exist");
    let output = counterpoint(&["import", path_str(folder.dir.path()), "-o", path_str(&out)]);
    assert_fails_with(&output, "folder");
    let binary = folder.file("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0");
    assert_fails_with(
        &counterpoint(&["import", path_str(&binary), "-o", path_str(&out)]),
        "binary",
    );
    let mixed = folder.file(
        "mixed.txt",
        "caf\u{e9} and "
            .bytes()
            .chain(*b"caf\xe9")
            .collect::<Vec<u8>>()
            .as_slice(),
    );
    assert_fails_with(
        &counterpoint(&["import", path_str(&mixed), "-o", path_str(&out)]),
        "mixes encodings: UTF-8 except for 1 stray byte(s), the first 0xe9 at byte 13",
    );
    assert!(!out.exists(), "a failed import writes nothing");
}

fn good_project(folder: &Folder) -> (PathBuf, String) {
    let sample = folder.file("article.txt", SAMPLE);
    let project = import(folder, &sample, "commented");
    let content = fs::read_to_string(&project).unwrap();
    (project, content)
}

#[test]
fn bad_project_files_are_refused_naming_the_place_and_left_untouched() {
    let folder = Folder::new();
    let (_, good) = good_project(&folder);
    let first_start = good.find("start: ").unwrap();
    let start_value: String = good[first_start + 7..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let cases: Vec<(&str, String, &str)> = vec![
        ("truncated", good[..good.len() / 3].to_owned(), "line"),
        (
            "syntax",
            good.replacen("version: 3,", "version: 3 oops,", 1),
            "line 19, column 16",
        ),
        (
            "newer",
            good.replacen("version: 3,", "version: 4,", 1),
            "newer Counterpoint",
        ),
        (
            "range",
            good.replacen(&format!("start: {start_value},"), "start: 999999,", 1),
            "annotation #1",
        ),
        ("quote", good.replacen("quote: \"", "quote: \"x", 1), "does not match"),
        ("empty", String::new(), "line 1"),
    ];
    for (name, content, needle) in cases {
        let path = folder.file(&format!("{name}.ron"), content.as_bytes());
        assert_fails_with(&counterpoint(&["check", path_str(&path)]), needle);
        assert_fails_with(&counterpoint(&["stats", path_str(&path)]), needle);
        let out = folder.path(&format!("{name}.txt"));
        assert_fails_with(
            &counterpoint(&["export", path_str(&path), "--format", "text", "-o", path_str(&out)]),
            needle,
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            content,
            "{name}: the file is unchanged"
        );
        assert!(!out.exists(), "{name}: nothing exported");
    }
    let not_utf8 = folder.file("binary.ron", b"\xff\xfe(format");
    assert_fails_with(&counterpoint(&["check", path_str(&not_utf8)]), "not valid UTF-8");
}

#[test]
fn offsets_count_code_points_and_out_of_range_is_refused() {
    let folder = Folder::new();
    let file = folder.file("emoji.txt", "I 👍 it".as_bytes());
    let project = import(&folder, &file, "text");
    let content = fs::read_to_string(&project).unwrap();
    // An annotation whose code-point offsets run past the end of the text.
    let broken = content.replace(
        "annotations: [],",
        "annotations: [\n        (id: 1, start: 2, end: 9, quote: \"👍 it\"),\n    ],",
    );
    assert_ne!(broken, content);
    let path = folder.file("broken.ron", broken.as_bytes());
    assert_fails_with(&counterpoint(&["check", path_str(&path)]), "past the end");
    let fixed = broken.replace("end: 9", "end: 6");
    let path = folder.file("fixed.ron", fixed.as_bytes());
    let output = counterpoint(&["check", path_str(&path)]);
    assert!(
        output.status.success(),
        "code points, not bytes or UTF-16: {}",
        text(&output.stderr)
    );
}

#[test]
fn check_lists_every_problem_then_fails() {
    let folder = Folder::new();
    let (_, good) = good_project(&folder);
    let bad = good.replace("quote: \"", "quote: \"x");
    let path = folder.file("bad.ron", bad.as_bytes());
    let output = counterpoint(&["check", path_str(&path)]);
    assert_fails_with(&output, "4 problem(s)");
    assert_eq!(text(&output.stderr).matches("does not match").count(), 4);
}

#[test]
fn a_read_only_target_is_an_error_and_loses_nothing() {
    let folder = Folder::new();
    let (project, _) = good_project(&folder);
    let locked = folder.path("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores folder permissions; /sys refuses new files even to root.
    let target_folder = if fs::write(locked.join("probe"), b"").is_ok() {
        PathBuf::from("/sys")
    } else {
        locked
    };
    let target = target_folder.join("out.txt");
    let output = counterpoint(&[
        "export",
        path_str(&project),
        "--format",
        "text",
        "-o",
        path_str(&target),
    ]);
    assert_fails_with(&output, "permission denied");
    assert!(!target.exists());
    let output = counterpoint(&[
        "import",
        path_str(&folder.path("article.txt")),
        "-o",
        path_str(&target_folder.join("p.ron")),
    ]);
    assert_fails_with(&output, "permission denied");
}

#[test]
fn importing_over_a_project_needs_force_and_keeps_a_backup() {
    let folder = Folder::new();
    let (project, first) = good_project(&folder);
    let plain = folder.file("plain.txt", b"other");
    let output = counterpoint(&["import", path_str(&plain), "-o", path_str(&project)]);
    assert_fails_with(&output, "already exists and differs");
    assert_fails_with(&output, "--force");
    assert_eq!(fs::read_to_string(&project).unwrap(), first, "nothing replaced");
    let output = counterpoint(&["import", path_str(&plain), "-o", path_str(&project), "--force"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(fs::read_to_string(folder.path("project.ron.bak")).unwrap(), first);
}

#[test]
fn usage_errors_exit_non_zero() {
    let output = counterpoint(&["export", "x.ron", "--format", "nonsense", "-o", "y"]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("nonsense"));
}

#[test]
fn an_output_that_is_the_input_is_refused_and_the_input_kept() {
    let folder = Folder::new();
    let article = folder.file("article.txt", SAMPLE);
    let failed = counterpoint(&[
        "import",
        path_str(&article),
        "--format",
        "commented",
        "-o",
        path_str(&article),
    ]);
    assert_fails_with(&failed, "is also the input");
    assert_eq!(fs::read(&article).unwrap(), SAMPLE);

    let project = import(&folder, &article, "commented");
    let saved = fs::read(&project).unwrap();
    for format in ["commented", "text", "csv"] {
        let failed = counterpoint(&[
            "export",
            path_str(&project),
            "--format",
            format,
            "-o",
            path_str(&project),
        ]);
        assert_fails_with(&failed, "is also the input");
        assert_eq!(fs::read(&project).unwrap(), saved, "{format}");
    }
    assert!(!folder.path("project.ron.bak").exists());
}

/// A project edited by hand, as a person might: every change is either
/// refused naming the place, or (a changed text) accepted with a warning.
#[test]
fn hand_edited_projects_are_refused_or_warned_about_by_name() {
    let folder = Folder::new();
    let (_, good) = good_project(&folder);
    let first_line_of_text = good.find("    text: [\n").unwrap() + "    text: [\n        \"".len();
    let with_nul = format!("{}\\0{}", &good[..first_line_of_text], &good[first_line_of_text..]);
    let next_id_line = good
        .lines()
        .find(|line| line.starts_with("    next_annotation_id: "))
        .unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "top id",
            good.replacen("(id: 1,", "(id: 18446744073709551615,", 1),
            "#18446744073709551615",
        ),
        (
            "top next id",
            good.replacen(next_id_line, "    next_annotation_id: 18446744073709551615,", 1),
            "next annotation id, 18446744073709551615",
        ),
        (
            "nested field",
            good.replacen("    source: (\n", "    source: (\n        colour: \"red\",\n", 1),
            "\"colour\"",
        ),
        ("nul", with_nul, "NUL"),
    ];
    for (name, content, needle) in cases {
        assert_ne!(content, good, "{name}: the edit applies");
        let path = folder.file(&format!("{name}.ron"), content.as_bytes());
        assert_fails_with(&counterpoint(&["check", path_str(&path)]), needle);
        let out = folder.path(&format!("{name}.txt"));
        assert_fails_with(
            &counterpoint(&["export", path_str(&path), "--format", "text", "-o", path_str(&out)]),
            needle,
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            content,
            "{name}: the file is unchanged"
        );
        assert!(!out.exists(), "{name}: nothing exported");
    }
}

/// The recorded SHA-256 is checked against the text as it would be written:
/// a changed character is a warning that names it (exit 0: it may be meant).
#[test]
fn a_text_changed_by_hand_is_a_warning_naming_the_recorded_hash() {
    let folder = Folder::new();
    let (_, good) = good_project(&folder);
    // A line no annotation quotes (it has no comment after it).
    let changed = good.replacen("\"Washington and Kyiv", "\"Vashington and Kyiv", 1);
    assert_ne!(changed, good);
    let path = folder.file("changed.ron", changed.as_bytes());
    let output = counterpoint(&["check", path_str(&path)]);
    let printed = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("warning") && printed.contains("SHA-256"), "{printed}");
    let out = folder.path("changed.txt");
    let output = counterpoint(&["export", path_str(&path), "--format", "text", "-o", path_str(&out)]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("SHA-256"), "{}", text(&output.stderr));

    let output = counterpoint(&["check", path_str(&folder.path("project.ron"))]);
    let printed = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(output.status.success() && !printed.contains("SHA-256"), "{printed}");
}

/// `scripts/install.sh` puts the binary, a desktop entry and the icon under a
/// user's own folders (here a temporary HOME), and `--uninstall` takes them away.
#[test]
fn the_install_script_installs_for_the_user_and_uninstalls() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = std::process::Command::new("bash")
            .arg("scripts/install.sh")
            .args(args)
            .env("HOME", home.path())
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_BIN_HOME")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    run(&["--binary", env!("CARGO_BIN_EXE_counterpoint")]);
    let local = home.path().join(".local");
    let binary = local.join("bin/counterpoint");
    let entry = local.join("share/applications/counterpoint.desktop");
    let icons = [
        local.join("share/icons/hicolor/scalable/apps/counterpoint.svg"),
        local.join("share/icons/hicolor/256x256/apps/counterpoint.png"),
    ];
    let version = std::process::Command::new(&binary).arg("--help").output().unwrap();
    assert!(version.status.success(), "the installed binary runs");
    let desktop = std::fs::read_to_string(&entry).unwrap();
    assert!(
        desktop.contains(&format!("Exec=\"{}\" %f", binary.display())),
        "{desktop}"
    );
    assert!(desktop.contains("MimeType=text/plain;"), "offered for text files");
    assert!(desktop.contains("Icon=counterpoint"));
    for icon in &icons {
        assert!(icon.is_file(), "{}", icon.display());
    }
    if let Ok(check) = std::process::Command::new("desktop-file-validate").arg(&entry).output() {
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    }

    let said = run(&["--uninstall"]);
    assert!(said.contains("uninstalled"), "{said}");
    for gone in [&binary, &entry, &icons[0], &icons[1]] {
        assert!(!gone.exists(), "{} is removed", gone.display());
    }
}

/// A project file of `text` with one annotation per `(quote, occurrence)`,
/// the first with a tag and a counter-claim, saved with the library.
fn project_with(folder: &Folder, text: &str, quotes: &[(&str, usize)]) -> PathBuf {
    use counterpoint::model::annotation::{Annotation, AnnotationId, CounterClaim};
    use counterpoint::model::project::{Project, SourceInfo};
    use counterpoint::model::span::Span;
    use counterpoint::model::tag_set::{TagId, TagSet};
    let annotations = quotes
        .iter()
        .zip(1..)
        .map(|(&(quote, occurrence), id)| {
            let start = text.match_indices(quote).nth(occurrence).unwrap().0;
            let mut annotation = Annotation::new(AnnotationId(id), Span::new(start, start + quote.len()));
            if id == 1 {
                annotation.tags.push(TagId("Claim".into()));
                annotation.counter_claims.push(CounterClaim::new("Not so."));
            }
            annotation
        })
        .collect();
    let project = Project::from_parts(
        text.into(),
        SourceInfo::of_text(text),
        TagSet::default_set(),
        annotations,
    )
    .unwrap();
    let path = folder.path("old.ron");
    counterpoint::project_file::save(&project, &path, &counterpoint::storage::Expect::Anything).unwrap();
    path
}

fn reanchor(project: &Path, new_text: &Path, output: &Path, json: bool) -> Output {
    let mut args = vec![
        "reanchor",
        path_str(project),
        path_str(new_text),
        "-o",
        path_str(output),
    ];
    if json {
        args.push("--json");
    }
    counterpoint(&args)
}

#[test]
fn reanchor_carries_every_annotation_onto_a_corrected_text() {
    let folder = Folder::new();
    let old = "Officials said the vaccine is safe. Critics disagree.\r\nThe minister resigned on Monday.\r\n";
    let project = project_with(
        &folder,
        old,
        &[
            ("the vaccine is safe", 0),
            ("Critics disagree", 0),
            ("resigned on Monday", 0),
        ],
    );
    // Corrected and saved again with LF line breaks.
    let new = "Breaking: officials said the vaccine is safe. Critics disagree.\nThe minister resigned on Monday.\n";
    let new_text = folder.file("new.txt", new.as_bytes());
    let out = folder.path("new.ron");
    let output = reanchor(&project, &new_text, &out, false);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("3 moved exactly, 0 moved by quote, 0 need(s) review"),
        "{stdout}"
    );
    let moved = counterpoint::project_file::load(&out).unwrap();
    assert_eq!(moved.text(), new);
    let quotes: Vec<&str> = moved
        .annotations()
        .map(|a| a.span.quote(moved.text()).unwrap())
        .collect();
    assert_eq!(
        quotes,
        ["the vaccine is safe", "Critics disagree", "resigned on Monday"]
    );
    let first = moved.annotations().next().unwrap();
    assert_eq!(
        (first.tags.len(), first.counter_claims[0].text.as_str()),
        (1, "Not so.")
    );
    assert!(counterpoint(&["check", path_str(&out)]).status.success());
}

#[test]
fn reanchor_writes_a_quote_found_in_several_places_there_and_says_so() {
    let folder = Folder::new();
    let project = project_with(
        &folder,
        "the cat saw the dog; the hen saw the fox and the owl",
        &[("the", 2)],
    );
    let new_text = folder.file("new.txt", b"the cat saw the dog; a bird saw the fox and the owl");
    let out = folder.path("new.ron");
    let output = reanchor(&project, &new_text, &out, false);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "annotation #1 (at 21..24 before): its quote \"the\" is found in 4 places; the likeliest is at 12..15"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("counterpoint: warning: wrote"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    let moved = counterpoint::project_file::load(&out).unwrap();
    let span = moved.annotations().next().unwrap().span;
    assert_eq!(span.quote(moved.text()), Some("the"));
}

#[test]
fn reanchor_marks_a_changed_annotation_for_review_and_check_lists_it() {
    let folder = Folder::new();
    let old = "The minister resigned on Monday, the paper said.";
    let project = project_with(&folder, old, &[("resigned on Monday", 0), ("the paper said", 0)]);
    let new_text = folder.file("new.txt", b"The minister resigned on Tuesday, the paper said.");
    let out = folder.path("new.ron");
    let output = reanchor(&project, &new_text, &out, false);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "written, with work left: {stderr}");
    assert!(
        stderr.contains("its text changed: \"resigned on Monday\" now reads \"resigned on Tuesday\" at 13..32"),
        "{stderr}"
    );
    assert!(stderr.contains("1 annotation(s) marked as needing review"), "{stderr}");
    assert!(text(&output.stdout).contains("1 moved exactly, 0 moved by quote, 1 need(s) review"));
    let saved = fs::read_to_string(&out).unwrap();
    assert!(
        saved.contains(
            "quote: \"resigned on Tuesday\", tags: [\"Claim\"], counter_claims: [(text: \"Not so.\")], review: Some((reason: \"quote-changed\", old_quote: \"resigned on Monday\"))),\n"
        ),
        "{saved}"
    );
    let old_hash = counterpoint::project_file::load(&project)
        .unwrap()
        .source()
        .sha256
        .clone();
    assert!(saved.contains(&format!("previous_sha256: [\"{old_hash}\"]")), "{saved}");
    let check = counterpoint(&["check", path_str(&out)]);
    let stdout = text(&check.stdout);
    assert_eq!(
        check.status.code(),
        Some(2),
        "sound, but a person has work left: {stdout}"
    );
    assert!(
        stdout.contains(
            "review: annotation #1 at 13..32 needs review (\"quote-changed\"): it marked \"resigned on Monday\" and now marks \"resigned on Tuesday\""
        ),
        "{stdout}"
    );
    assert!(stdout.contains("ok (2 annotations, 1 need review)"), "{stdout}");
}

#[test]
fn reanchor_json_gives_each_outcome_in_code_points() {
    let folder = Folder::new();
    let old = "👍 A: The first sentence is the shorter one here. B: The second sentence is considerably longer than the first one. Wages fell.";
    let new = "👍👍 B: The second sentence is considerably longer than the first one. A: The first sentence is the shorter one here. Wages rose.";
    let quotes = [
        ("The first sentence is the shorter one here.", 0),
        ("considerably longer", 0),
        ("Wages fell", 0),
    ];
    let project = project_with(&folder, old, &quotes);
    let new_text = folder.file("new.txt", new.as_bytes());
    let out = folder.path("new.ron");
    let output = reanchor(&project, &new_text, &out, true);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["written"], true);
    assert!(out.exists());
    assert_eq!(
        (
            &report["moved_exactly"],
            &report["moved_by_quote"],
            &report["needs_review"]
        ),
        (&1.into(), &1.into(), &1.into())
    );
    let code_points = |text: &str, quote: &str| text[..text.find(quote).unwrap()].chars().count();
    let annotations = report["annotations"].as_array().unwrap();
    let outcomes: Vec<&str> = annotations.iter().map(|a| a["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["moved-by-quote", "moved-exactly", "needs-review"]);
    for (annotation, (quote, _)) in annotations.iter().zip(quotes) {
        assert_eq!(annotation["quote"], quote);
        assert_eq!(
            annotation["old"]["start"],
            code_points(old, quote),
            "{quote}: code points, the emoji counts one"
        );
    }
    assert_eq!(annotations[0]["new"]["start"], code_points(new, quotes[0].0));
    assert_eq!(annotations[0]["new"]["text"], quotes[0].0);
    let review = &annotations[2];
    assert_eq!(
        (review["reason"].as_str(), review["placed"].as_bool()),
        (Some("quote-changed"), Some(false))
    );
    assert_eq!(review["candidate"]["text"], "Wages rose");
    assert_eq!(review["candidate"]["start"], code_points(new, "Wages rose"));
}

#[test]
fn reanchor_refuses_bad_inputs_and_writes_nothing() {
    let folder = Folder::new();
    let project = project_with(&folder, "Some text.", &[("text", 0)]);
    let new_text = folder.file("new.txt", b"Some new text.");
    let out = folder.path("new.ron");
    assert_fails_with(
        &reanchor(&project, &folder.path("missing.txt"), &out, false),
        "does not exist",
    );
    let binary = folder.file("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0");
    assert_fails_with(&reanchor(&project, &binary, &out, false), "binary");
    let broken = folder.file("broken.ron", b"(format: \"counterpoint-project\"");
    assert_fails_with(&reanchor(&broken, &new_text, &out, false), "broken.ron");
    assert!(!out.exists());
    let saved = fs::read(&project).unwrap();
    assert_fails_with(&reanchor(&project, &new_text, &project, false), "is also the input");
    assert_eq!(fs::read(&project).unwrap(), saved);
}
