//! The command line on interchange formats: the built binary run on fixture
//! files in a temporary folder, outputs compared.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const REALDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/realdata");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_counterpoint"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn sorted_lines(path: &Path) -> Vec<String> {
    let mut lines: Vec<String> = fs::read_to_string(path).unwrap().lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

#[test]
fn brat_import_finds_the_ann_beside_the_text_and_export_writes_both_files() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["txt", "ann"] {
        fs::copy(
            format!("{REALDATA}/brat-tutorial/110-note_annotation.{ext}"),
            dir.path().join(format!("notes.{ext}")),
        )
        .unwrap();
    }
    let imported = run(dir.path(), &["import", "notes.txt", "--format", "brat", "-o", "p.ron"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    // The notes on an event and a relation are kept; the events and relations are first-class.
    assert!(
        stderr(&imported).contains("counterpoint: warning: 2 line(s)"),
        "{}",
        stderr(&imported)
    );
    assert!(
        stderr(&imported).contains("2 event(s) are shown as relations"),
        "{}",
        stderr(&imported)
    );
    let checked = run(dir.path(), &["check", "p.ron"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    fs::create_dir(dir.path().join("out")).unwrap();
    let exported = run(
        dir.path(),
        &["export", "p.ron", "--format", "brat", "-o", "out/back.ann"],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(
        sorted_lines(&dir.path().join("out/back.ann")),
        sorted_lines(&dir.path().join("notes.ann"))
    );
    assert_eq!(
        fs::read(dir.path().join("out/back.txt")).unwrap(),
        fs::read(dir.path().join("notes.txt")).unwrap()
    );
}

#[test]
fn semeval_labels_are_found_by_article_id_and_come_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}Title\r\nThey are all traitors, \u{1f621} a disgrace.\r\n";
    let labels = "777\tName_Calling,Labeling\t21\t29\r\n777\tLoaded_Language\t33\t43\r\n";
    fs::write(dir.path().join("article777.txt"), text).unwrap();
    fs::write(dir.path().join("article777.task2-TC.labels"), labels).unwrap();
    let imported = run(
        dir.path(),
        &["import", "article777.txt", "--format", "semeval", "-o", "p.ron"],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    let stats = run(dir.path(), &["stats", "p.ron"]);
    let stats = String::from_utf8(stats.stdout).unwrap();
    assert!(stats.contains("Name_Calling,Labeling: 1"), "{stats}");
    fs::create_dir(dir.path().join("out")).unwrap();
    let exported = run(
        dir.path(),
        &[
            "export",
            "p.ron",
            "--format",
            "semeval",
            "-o",
            "out/article777.task2-TC.labels",
        ],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(
        fs::read_to_string(dir.path().join("out/article777.task2-TC.labels")).unwrap(),
        labels.replace("\r\n", "\n")
    );
    assert_eq!(fs::read_to_string(dir.path().join("out/article777.txt")).unwrap(), text);
}

#[test]
fn w3c_needs_its_annotation_file_given() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.txt"), "some text").unwrap();
    let refused = run(dir.path(), &["import", "t.txt", "--format", "w3c", "-o", "p.ron"]);
    assert!(!refused.status.success());
    assert_eq!(
        stderr(&refused),
        "counterpoint: error: the w3c format needs its annotation file given with --annotations FILE\n"
    );
    let anno = format!("{REALDATA}/w3c-web-annotation/anno38.json");
    let imported = run(
        dir.path(),
        &[
            "import",
            "t.txt",
            "--format",
            "w3c",
            "--annotations",
            &anno,
            "-o",
            "p.ron",
        ],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stderr(&imported).contains("marks no span of this text"),
        "{}",
        stderr(&imported)
    );
    let exported = run(dir.path(), &["export", "p.ron", "--format", "w3c", "-o", "a.jsonld"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let collection: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("a.jsonld")).unwrap()).unwrap();
    let original: serde_json::Value = serde_json::from_slice(&fs::read(&anno).unwrap()).unwrap();
    assert_eq!(collection["first"]["items"][0], original);
}

#[test]
fn doccano_and_label_studio_import_then_jsonl_and_csv_export() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("d.jsonl"),
        "{\"id\": 1, \"text\": \"\u{1f44d} yes, no\", \"label\": [[3, 6, \"Claim\"]]}\n",
    )
    .unwrap();
    let imported = run(dir.path(), &["import", "d.jsonl", "--format", "doccano", "-o", "p.ron"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let exported = run(dir.path(), &["export", "p.ron", "--format", "csv", "-o", "p.csv"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(
        fs::read_to_string(dir.path().join("p.csv")).unwrap(),
        "id,start_char,end_char,quote,tags,counter_claims,sources,attributes\n1,2,5,yes,Claim,,,\n"
    );
    let exported = run(dir.path(), &["export", "p.ron", "--format", "jsonl", "-o", "p.jsonl"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let line: serde_json::Value = serde_json::from_slice(&fs::read(dir.path().join("p.jsonl")).unwrap()).unwrap();
    assert_eq!(line["spans"][0]["start_byte"], 5);
    assert_eq!(line["spans"][0]["start_char"], 2);

    fs::write(
        dir.path().join("ls.json"),
        r#"[{"id": 3, "data": {"text": "a👍b"}, "annotations": [{"result": [{"id": "r", "type": "labels", "value": {"start": 1, "end": 2, "text": "b", "labels": ["X"]}}]}]}]"#,
    )
    .unwrap();
    let refused = run(
        dir.path(),
        &["import", "ls.json", "--format", "label-studio", "-o", "q.ron"],
    );
    assert!(!refused.status.success());
    assert_eq!(
        stderr(&refused),
        "counterpoint: error: ls.json: task 3, region \"r\": its text \"b\" is not at its offsets 1..2 \
         (in Unicode code points it reads \"\u{1f44d}\"; in UTF-16 units it does not fit the text)\n"
    );
    assert!(!dir.path().join("q.ron").exists());
}

#[test]
fn a_direction_a_format_cannot_do_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("x.jsonl"), "{}\n").unwrap();
    let refused = run(dir.path(), &["import", "x.jsonl", "--format", "jsonl", "-o", "p.ron"]);
    assert!(!refused.status.success());
    assert_eq!(
        stderr(&refused),
        "counterpoint: error: the jsonl format can only be exported, not imported\n"
    );
    fs::write(dir.path().join("t.txt"), "text").unwrap();
    assert!(run(dir.path(), &["import", "t.txt", "-o", "p.ron"]).status.success());
    let refused = run(dir.path(), &["export", "p.ron", "--format", "doccano", "-o", "d.jsonl"]);
    assert_eq!(
        stderr(&refused),
        "counterpoint: error: the doccano format can only be imported, not exported\n"
    );
    let refused = run(dir.path(), &["export", "p.ron", "--format", "brat", "-o", "same.txt"]);
    assert!(stderr(&refused).contains("would be both the annotation file and the text"));
}

#[test]
fn an_imported_span_that_splits_a_grapheme_cluster_is_kept_and_flagged_at_import() {
    let dir = tempfile::tempdir().unwrap();
    // "cafe\u{301}": brat's span 0 4 ends between the e and its combining accent.
    fs::write(dir.path().join("accent.txt"), "cafe\u{301} x").unwrap();
    fs::write(dir.path().join("accent.ann"), "T1\tDoubt 0 4\tcafe\n").unwrap();
    let imported = run(dir.path(), &["import", "accent.txt", "--format", "brat", "-o", "p.ron"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stderr(&imported).contains("warning: 1 span(s) split a grapheme cluster"),
        "{}",
        stderr(&imported)
    );
    let project = fs::read_to_string(dir.path().join("p.ron")).unwrap();
    assert!(project.contains("start: 0, end: 4, quote: \"cafe\""), "{project}");

    // SemEval counts a CRLF as two code points, so a label can start between \r and \n.
    fs::write(dir.path().join("article2.txt"), "ab\r\ncd").unwrap();
    fs::write(dir.path().join("article2.task2-TC.labels"), "2\tDoubt\t3\t5\n").unwrap();
    let imported = run(
        dir.path(),
        &["import", "article2.txt", "--format", "semeval", "-o", "s.ron"],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stderr(&imported).contains("warning: 1 span(s) split a grapheme cluster"),
        "{}",
        stderr(&imported)
    );
}

#[test]
fn an_import_whose_spans_keep_to_grapheme_clusters_has_no_such_warning() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("emoji.txt"), "a\u{1F600}b").unwrap();
    fs::write(dir.path().join("emoji.ann"), "T1\tDoubt 1 2\t\u{1F600}\n").unwrap();
    let imported = run(dir.path(), &["import", "emoji.txt", "--format", "brat", "-o", "p.ron"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(!stderr(&imported).contains("grapheme"), "{}", stderr(&imported));
}

/// An id at the top of its range is renumbered with a warning, never wrapped
/// to 0 (which gave two `T0` lines).
#[test]
fn a_brat_id_at_the_top_of_its_range_is_renumbered_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("top.txt"), "one two three").unwrap();
    fs::write(
        dir.path().join("top.ann"),
        "T18446744073709551615\tClaim 0 3\tone\nTx\tDoubt 4 7\ttwo\nR1\tRel Arg1:T18446744073709551615 Arg2:Tx\t\n",
    )
    .unwrap();
    let imported = run(dir.path(), &["import", "top.txt", "--format", "brat", "-o", "p.ron"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stderr(&imported).contains("T18446744073709551615"),
        "the renumbering is reported: {}",
        stderr(&imported)
    );
    let checked = run(dir.path(), &["check", "p.ron"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let exported = run(dir.path(), &["export", "p.ron", "--format", "brat", "-o", "back.ann"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let back = fs::read_to_string(dir.path().join("back.ann")).unwrap();
    let t_ids: Vec<&str> = back
        .lines()
        .filter(|l| l.starts_with('T'))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(t_ids.len(), 2, "{back}");
    assert_ne!(t_ids[0], t_ids[1], "{back}");
    assert!(!t_ids.contains(&"T0"), "{back}");
    let relation = back.lines().find(|l| l.starts_with("R1")).unwrap();
    assert_eq!(
        relation,
        format!("R1\tRel Arg1:{} Arg2:{}\t", t_ids[0], t_ids[1]),
        "{back}"
    );
    // The relation names both renumbered annotations, so deleting either deletes it.
    let project = fs::read_to_string(dir.path().join("p.ron")).unwrap();
    assert!(project.contains("(id: 1, kind: \"Rel\", from: 1, to: 2),"), "{project}");
}

/// Labels from a file may hold terminal escapes: a warning shows them written out.
#[test]
fn warnings_never_pass_control_characters_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("esc.txt"), "one two").unwrap();
    fs::write(dir.path().join("esc.ann"), "T1\tRed\u{1b}[31m 0 3\tone\n").unwrap();
    let imported = run(dir.path(), &["import", "esc.txt", "--format", "brat", "-o", "p.ron"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let printed = stderr(&imported);
    assert!(printed.contains("warning"), "{printed}");
    assert!(!printed.contains('\u{1b}'), "{printed:?}");
    assert!(printed.contains("\\u{1b}[31m"), "{printed:?}");
}

/// One rule for what a text may hold, for every way in: a doccano text with
/// NUL is refused as the same text in a file is, so whatever a project holds
/// can be exported and imported again.
#[test]
fn a_text_no_document_import_accepts_is_refused_from_json_too() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("nul.jsonl"),
        "{\"id\": 1, \"text\": \"yes\\u0000no\", \"label\": [[0, 3, \"Claim\"]]}\n",
    )
    .unwrap();
    let refused = run(
        dir.path(),
        &["import", "nul.jsonl", "--format", "doccano", "-o", "p.ron"],
    );
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("NUL"), "{}", stderr(&refused));
    assert!(!dir.path().join("p.ron").exists());
    fs::write(dir.path().join("nul.txt"), "yes\0no").unwrap();
    let refused = run(dir.path(), &["import", "nul.txt", "-o", "p.ron"]);
    assert!(stderr(&refused).contains("NUL"), "{}", stderr(&refused));
}

const AWKWARD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/awkward");

/// A temporary folder holding copies of these fixtures.
fn folder_with(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let from = if file.starts_with("000-") {
            format!("{REALDATA}/brat-tutorial/{file}")
        } else {
            format!("{AWKWARD}/{file}")
        };
        fs::copy(from, dir.path().join(file)).unwrap();
    }
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn brat_given_the_ann_file_finds_its_text_and_the_wrong_text_is_refused() {
    let dir = folder_with(&["000-introduction.txt", "000-introduction.ann"]);
    let imported = run(
        dir.path(),
        &["import", "000-introduction.ann", "--format", "brat", "-o", "p.ron"],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stdout(&imported).starts_with("imported 000-introduction.txt with 000-introduction.ann ("),
        "{}",
        stdout(&imported)
    );
    assert!(!stderr(&imported).contains("quotes"), "{}", stderr(&imported));
    // The annotations of another text: refused, nothing written.
    let same_length_other_words = fs::read_to_string(dir.path().join("000-introduction.txt"))
        .unwrap()
        .to_uppercase();
    fs::write(dir.path().join("other.txt"), same_length_other_words).unwrap();
    let refused = run(
        dir.path(),
        &[
            "import",
            "other.txt",
            "--format",
            "brat",
            "--annotations",
            "000-introduction.ann",
            "-o",
            "q.ron",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("quotes disagree with the text of other.txt"),
        "{}",
        stderr(&refused)
    );
    assert!(
        stderr(&refused).contains("nothing was imported"),
        "{}",
        stderr(&refused)
    );
    assert!(!dir.path().join("q.ron").exists());
    // Without its text beside it, the .ann says which file it looked for.
    fs::remove_file(dir.path().join("000-introduction.txt")).unwrap();
    let refused = run(
        dir.path(),
        &["import", "000-introduction.ann", "--format", "brat", "-o", "r.ron"],
    );
    assert_eq!(
        stderr(&refused),
        "counterpoint: error: 000-introduction.ann is a brat annotation file, and its text 000-introduction.txt is not beside it\n"
    );
}

#[test]
fn label_studio_offsets_are_read_in_the_unit_each_version_wrote() {
    let dir = folder_with(&["label-studio-1.3-utf16.json", "label-studio-1.4-codepoints.json"]);
    for (file, unit) in [
        ("label-studio-1.3-utf16.json", "task 13: offsets read as UTF-16 units"),
        (
            "label-studio-1.4-codepoints.json",
            "task 14: offsets read as Unicode code points",
        ),
    ] {
        // Each file is read into the same project and CSV, replacing the last one's.
        let imported = run(
            dir.path(),
            &["import", file, "--format", "label-studio", "-o", "p.ron", "--force"],
        );
        assert!(imported.status.success(), "{}", stderr(&imported));
        assert!(stderr(&imported).contains(unit), "{file}: {}", stderr(&imported));
        let exported = run(
            dir.path(),
            &["export", "p.ron", "--format", "csv", "-o", "p.csv", "--force"],
        );
        assert!(exported.status.success(), "{}", stderr(&exported));
        let csv = fs::read_to_string(dir.path().join("p.csv")).unwrap();
        assert!(csv.contains(",21,25,test,"), "{file}: {csv}");
    }
    let csv = fs::read_to_string(dir.path().join("p.csv")).unwrap();
    assert!(csv.contains(",21,25,test,Doubt,It is not a test.,"), "{csv}");
    assert!(csv.contains(",0,1,\u{1f431},Claim,,"), "{csv}");
}

#[test]
fn a_pretty_printed_doccano_record_with_a_bom_is_one_document() {
    let dir = folder_with(&["doccano-pretty-bom.json"]);
    let imported = run(
        dir.path(),
        &[
            "import",
            "doccano-pretty-bom.json",
            "--format",
            "doccano",
            "-o",
            "p.ron",
        ],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    let exported = run(dir.path(), &["export", "p.ron", "--format", "csv", "-o", "p.csv"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert!(
        fs::read_to_string(dir.path().join("p.csv"))
            .unwrap()
            .contains(",2,12,Great deal,Claim,"),
        "the UTF-16 offsets 3..13 are code points 2..12"
    );
}

#[test]
fn w3c_refinements_are_applied_or_refused_and_a_bom_is_accepted() {
    let dir = folder_with(&["refined.txt", "refined-bom.jsonld"]);
    let imported = run(
        dir.path(),
        &[
            "import",
            "refined.txt",
            "--format",
            "w3c",
            "--annotations",
            "refined-bom.jsonld",
            "-o",
            "p.ron",
        ],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stderr(&imported).contains(
            "warning: \"http://example.org/anno3\" marks no span of this text (its refinement cannot be applied (a \"XPathSelector\" cannot select part of a text here)); kept unchanged for export"
        ),
        "{}",
        stderr(&imported)
    );
    let exported = run(dir.path(), &["export", "p.ron", "--format", "csv", "-o", "p.csv"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let csv = fs::read_to_string(dir.path().join("p.csv")).unwrap();
    assert!(csv.contains(",36,42,budget,Claim,,"), "{csv}");
    assert!(csv.contains(",36,50,budget is fine,,It is not.,"), "{csv}");
}

#[test]
fn awkward_encodings_and_line_breaks_are_read_exactly_or_refused_by_name() {
    let dir = folder_with(&[
        "mixed-utf8-cp1252.txt",
        "utf16le-no-bom.txt",
        "lone-cr-old-mac.txt",
        "vertical-tab-slides.txt",
    ]);
    let refused = run(dir.path(), &["import", "mixed-utf8-cp1252.txt", "-o", "m.ron"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains(
            "the first 0x93 at byte 62 (line 2, after \"He said \"), which Windows-1252 reads as \"\u{201c}\""
        ),
        "{}",
        stderr(&refused)
    );
    assert!(!dir.path().join("m.ron").exists());

    let imported = run(dir.path(), &["import", "utf16le-no-bom.txt", "-o", "u.ron"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let stats = stdout(&run(dir.path(), &["stats", "u.ron"]));
    assert!(stats.contains("2 lines (UTF-16LE)"), "{stats}");
    let exported = run(dir.path(), &["export", "u.ron", "--format", "text", "-o", "u.txt"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(
        fs::read(dir.path().join("u.txt")).unwrap(),
        fs::read(dir.path().join("utf16le-no-bom.txt")).unwrap()
    );

    assert!(
        run(dir.path(), &["import", "lone-cr-old-mac.txt", "-o", "cr.ron"])
            .status
            .success()
    );
    let stats = stdout(&run(dir.path(), &["stats", "cr.ron"]));
    assert!(stats.contains(" 4 lines (UTF-8)"), "{stats}");

    let imported = run(dir.path(), &["import", "vertical-tab-slides.txt", "-o", "vt.ron"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
}

#[test]
fn a_project_saved_with_a_bom_opens() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.txt"), "Some text.\n").unwrap();
    assert!(run(dir.path(), &["import", "t.txt", "-o", "p.ron"]).status.success());
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(fs::read(dir.path().join("p.ron")).unwrap());
    fs::write(dir.path().join("notepad.ron"), with_bom).unwrap();
    let checked = run(dir.path(), &["check", "notepad.ron"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let exported = run(
        dir.path(),
        &["export", "notepad.ron", "--format", "text", "-o", "back.txt"],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(fs::read(dir.path().join("back.txt")).unwrap(), b"Some text.\n");
}

#[test]
fn semeval_given_its_label_file_finds_the_article() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("article9.txt"), "They are all traitors.").unwrap();
    fs::write(
        dir.path().join("article9.task2-TC.labels"),
        "9\tLoaded_Language\t13\t21\n",
    )
    .unwrap();
    let imported = run(
        dir.path(),
        &[
            "import",
            "article9.task2-TC.labels",
            "--format",
            "semeval",
            "-o",
            "p.ron",
        ],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).starts_with("imported article9.txt with article9.task2-TC.labels"));
}

/// The issue's command: `counterpoint export P.ron --format claimreview -o reviews.jsonld`.
#[test]
fn claimreview_export_writes_one_review_per_rebutted_claim() {
    use counterpoint::model::edit::Edit;
    use counterpoint::model::span::Span;
    use counterpoint::model::tag_set::TagId;

    let dir = tempfile::tempdir().unwrap();
    let text = "Crime doubled this year. The mayor said so.";
    let mut project = counterpoint::formats::plain_text::import(
        Some("a.txt".into()),
        text.as_bytes(),
        counterpoint::model::tag_set::TagSet::default_set(),
    )
    .unwrap();
    let (edit, id) = Edit::tag_span(&project, Span::new(0, 23), TagId("Claim".into())).unwrap();
    edit.apply(&mut project).unwrap();
    let claim = counterpoint::model::annotation::CounterClaim {
        text: "Recorded crime fell by 3%.".into(),
        sources: vec!["https://factcheck.example/crime".into()],
    };
    Edit::add_counter_claim(&project, Span::new(0, 23), claim)
        .0
        .apply(&mut project)
        .unwrap();
    Edit::set_attribute(&project, id, "Verdict", Some("False".into()))
        .unwrap()
        .apply(&mut project)
        .unwrap();
    Edit::set_document_label(&project, "URL", Some("https://news.example/crime".into()))
        .unwrap()
        .apply(&mut project)
        .unwrap();
    fs::write(
        dir.path().join("p.ron"),
        counterpoint::project_file::to_ron_string(&project).unwrap(),
    )
    .unwrap();
    let exported = run(
        dir.path(),
        &["export", "p.ron", "--format", "claimreview", "-o", "reviews.jsonld"],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    let reviews: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("reviews.jsonld")).unwrap()).unwrap();
    let review = &reviews[0];
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(review["claimReviewed"], "Crime doubled this year");
    assert_eq!(review["reviewBody"], "Recorded crime fell by 3%.");
    assert_eq!(review["reviewRating"]["alternateName"], "False");
    assert_eq!(review["url"], "https://factcheck.example/crime");
    assert_eq!(
        review["itemReviewed"]["appearance"]["url"],
        "https://news.example/crime"
    );
    assert_eq!(review["datePublished"].as_str().unwrap().len(), 10);
}
