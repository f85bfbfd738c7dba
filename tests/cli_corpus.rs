//! The command line over corpus folders, run as a user would: batch import
//! of real folders in other tools' layouts (tests/fixtures/corpus, see its
//! README), export back, check, stats; and a crash halfway through a
//! corpus-wide tag-set change.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use counterpoint::corpus::tag_change::{self, JOURNAL_FILE, TagChange, TagChangeError};
use counterpoint::corpus::{Manifest, Progress, scan};
use counterpoint::model::project::Project;
use counterpoint::model::tag_set::TagId;
use counterpoint::project_file;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn counterpoint(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_counterpoint"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the binary and asserts it exited with `code`; its stdout and stderr.
fn run(args: &[&str], code: i32) -> (String, String) {
    let args: Vec<&Path> = args.iter().map(Path::new).collect();
    let output = counterpoint(&args);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(code), "stdout: {stdout}\nstderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every file under `folder`, relative, sorted.
fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(folder).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// The projects of a corpus folder by document name.
fn projects(corpus: &Path) -> Vec<(String, Project)> {
    let scanned = scan(corpus, &Progress::new()).unwrap();
    scanned
        .documents
        .iter()
        .map(|d| (d.name.clone(), project_file::load(d.project.as_ref().unwrap()).unwrap()))
        .collect()
}

#[test]
fn a_semeval_folder_imports_into_a_corpus_and_exports_back_byte_for_byte() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("propaganda");
    let source = fixture("semeval");
    let (stdout, stderr) = run(&["import", s(&source), "--format", "semeval", "-o", s(&corpus)], 0);
    assert!(
        stdout.contains("imported 3 document(s)") && stdout.contains("18 annotations"),
        "{stdout}"
    );
    assert!(
        stderr.contains("5 warning(s) about 2 document(s)"),
        "one summary at the end: {stderr}"
    );
    assert_eq!(
        files_under(&corpus),
        [
            "article1001.ron",
            "article1002.ron",
            "article1003.ron",
            "counterpoint.ron"
        ]
        .map(PathBuf::from)
    );
    let manifest = Manifest::load(&corpus).unwrap();
    assert_eq!(manifest.name, "propaganda");
    for (name, project) in projects(&corpus) {
        assert_eq!(project.tag_set(), &manifest.tag_set, "{name} has the union tag set");
        assert_eq!(project.annotation_count(), 6, "{name}");
    }

    // The articles folder itself works as well, and gives the same projects.
    let again = work.path().join("again");
    run(
        &[
            "import",
            s(&source.join("train-articles")),
            "--format",
            "semeval",
            "-o",
            s(&again),
        ],
        0,
    );
    for name in ["article1001.ron", "article1002.ron", "article1003.ron"] {
        assert_eq!(
            fs::read(corpus.join(name)).unwrap(),
            fs::read(again.join(name)).unwrap()
        );
    }

    let exported = work.path().join("exported");
    run(&["export", s(&corpus), "--format", "semeval", "-o", s(&exported)], 0);
    for id in ["1001", "1002", "1003"] {
        assert_eq!(
            fs::read(exported.join(format!("articles/article{id}.txt"))).unwrap(),
            fs::read(source.join(format!("train-articles/article{id}.txt"))).unwrap(),
            "article {id}: the same bytes (BOM and CRLF kept)"
        );
        assert_eq!(
            fs::read_to_string(exported.join(format!("labels/article{id}.task2-TC.labels"))).unwrap(),
            fs::read_to_string(source.join(format!(
                "train-labels-task2-technique-classification/article{id}.task2-TC.labels"
            )))
            .unwrap(),
            "article {id}: the same label lines"
        );
    }
    // The export's layout imports again to the same corpus.
    let round = work.path().join("round");
    run(&["import", s(&exported), "--format", "semeval", "-o", s(&round)], 0);
    let first = projects(&corpus);
    let second = projects(&round);
    assert_eq!(first.len(), second.len());
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert_eq!(a.text(), b.text(), "{name}");
        assert_eq!(
            a.annotations().collect::<Vec<_>>(),
            b.annotations().collect::<Vec<_>>(),
            "{name}"
        );
    }
}

#[test]
fn a_brat_collection_with_sub_folders_round_trips_every_document() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("news");
    let source = fixture("brat");
    let (_, stderr) = run(&["import", s(&source), "--format", "brat", "-o", s(&corpus)], 0);
    assert!(
        stderr.contains("annotation.conf: 14 label(s)"),
        "annotation.conf declares the tags: {stderr}"
    );
    assert_eq!(
        files_under(&corpus),
        [
            "000-introduction.ron",
            "counterpoint.ron",
            "more/100-attribute_annotation.ron",
            "more/110-note_annotation.ron"
        ]
        .map(PathBuf::from)
    );
    let manifest = Manifest::load(&corpus).unwrap();
    let first_imported = manifest.tag_set.tags.iter().position(|t| t.id.as_str() == "Person");
    let money = manifest.tag_set.tags.iter().position(|t| t.id.as_str() == "Money");
    assert!(first_imported < money, "the conf's order");

    let exported = work.path().join("exported");
    run(&["export", s(&corpus), "--format", "brat", "-o", s(&exported)], 0);
    assert!(
        fs::read_to_string(exported.join("annotation.conf"))
            .unwrap()
            .contains("\nPerson\n")
    );
    for name in [
        "000-introduction",
        "more/100-attribute_annotation",
        "more/110-note_annotation",
    ] {
        assert_eq!(
            fs::read(exported.join(format!("{name}.txt"))).unwrap(),
            fs::read(source.join(format!("{name}.txt"))).unwrap(),
            "{name}"
        );
        let lines = |path: PathBuf| -> BTreeSet<String> {
            fs::read_to_string(path)
                .unwrap()
                .lines()
                .filter(|line| !line.starts_with('A'))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(
            lines(exported.join(format!("{name}.ann"))),
            lines(source.join(format!("{name}.ann"))),
            "{name}: the same lines, up to their order (attribute lines are numbered anew)"
        );
    }
    let round = work.path().join("round");
    run(&["import", s(&exported), "--format", "brat", "-o", s(&round)], 0);
    for ((name, a), (_, b)) in projects(&corpus).iter().zip(&projects(&round)) {
        assert_eq!(a.text(), b.text(), "{name}");
        let tags = |p: &Project| p.annotations().map(|a| (a.span, a.tags.clone())).collect::<Vec<_>>();
        assert_eq!(tags(a), tags(b), "{name}");
        let attributes = |p: &Project| p.annotations().map(|a| a.attributes.clone()).collect::<Vec<_>>();
        assert_eq!(attributes(a), attributes(b), "{name}");
        let claims = |p: &Project| p.annotations().map(|a| a.counter_claims.clone()).collect::<Vec<_>>();
        assert_eq!(claims(a), claims(b), "{name}");
        assert_eq!(a.relations().count(), b.relations().count(), "{name}");
    }
}

#[test]
fn every_text_of_a_folder_imports_as_a_document() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("texts");
    run(
        &["import", s(&fixture("brat")), "--format", "text", "-o", s(&corpus)],
        0,
    );
    let documents = projects(&corpus);
    let names: Vec<&str> = documents.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "000-introduction",
            "more/100-attribute_annotation",
            "more/110-note_annotation"
        ]
    );
    assert!(documents.iter().all(|(_, p)| p.annotation_count() == 0));
    let (_, stderr) = run(
        &["export", s(&corpus), "--format", "text", "-o", s(&corpus.join("plain"))],
        1,
    );
    assert!(stderr.contains("inside the corpus"), "{stderr}");
    assert!(!corpus.join("plain").exists());
    let exported = work.path().join("plain");
    run(&["export", s(&corpus), "--format", "text", "-o", s(&exported)], 0);
    assert_eq!(
        fs::read(exported.join("more/110-note_annotation.txt")).unwrap(),
        fs::read(fixture("brat/more/110-note_annotation.txt")).unwrap()
    );
}

#[test]
fn a_corpus_exports_as_jsonl_with_the_same_keys_on_every_line() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    run(
        &[
            "import",
            s(&fixture("semeval")),
            "--format",
            "semeval",
            "-o",
            s(&corpus),
        ],
        0,
    );
    fs::write(corpus.join("not-started.txt"), "A text nobody has annotated yet.\n").unwrap();
    let output = work.path().join("data.jsonl");
    run(&["export", s(&corpus), "--format", "jsonl", "-o", s(&output)], 0);
    let written = fs::read_to_string(&output).unwrap();
    let lines: Vec<serde_json::Value> = written.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4, "one line per document, the one not started too");
    let keys = |value: &serde_json::Value| -> Vec<String> { value.as_object().unwrap().keys().cloned().collect() };
    for line in &lines {
        assert_eq!(keys(line), ["document", "labels", "spans", "text"]);
        let text: Vec<char> = line["text"].as_str().unwrap().chars().collect();
        for span in line["spans"].as_array().unwrap() {
            assert_eq!(
                keys(span),
                [
                    "counter_claims",
                    "end",
                    "end_byte",
                    "labels",
                    "quote",
                    "start",
                    "start_byte"
                ]
            );
            let (start, end) = (
                usize::try_from(span["start"].as_u64().unwrap()).unwrap(),
                usize::try_from(span["end"].as_u64().unwrap()).unwrap(),
            );
            let quote: String = text[start..end].iter().collect();
            assert_eq!(quote, span["quote"].as_str().unwrap(), "code point offsets");
        }
    }
    assert_eq!(lines[3]["document"], "not-started");
    assert_eq!(lines[3]["spans"].as_array().unwrap().len(), 0);
    let mut labels: Vec<&str> = lines[2]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    labels.sort_unstable();
    assert_eq!(
        labels,
        [
            "Causal_Oversimplification",
            "Exaggeration,Minimisation",
            "Loaded_Language",
            "Repetition"
        ],
        "each tag the document uses, once"
    );
    // Exporting again leaves the file untouched; a different file there needs --force.
    let (stdout, _) = run(&["export", s(&corpus), "--format", "jsonl", "-o", s(&output)], 0);
    assert!(stdout.contains("left untouched"), "{stdout}");
    fs::write(&output, "other\n").unwrap();
    let (_, stderr) = run(&["export", s(&corpus), "--format", "jsonl", "-o", s(&output)], 1);
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(fs::read_to_string(&output).unwrap(), "other\n");
}

#[test]
fn a_failed_import_writes_nothing_and_a_full_target_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("source");
    let labels = source.join("train-labels-task2-technique-classification");
    fs::create_dir_all(&labels).unwrap();
    fs::create_dir_all(source.join("train-articles")).unwrap();
    for id in ["1", "2"] {
        fs::write(
            source.join(format!("train-articles/article{id}.txt")),
            "Some words here.\n",
        )
        .unwrap();
    }
    fs::write(labels.join("article1.task2-TC.labels"), "1\tDoubt\t0\t4\n").unwrap();
    fs::write(labels.join("article2.task2-TC.labels"), "2\tDoubt\t0\tfour\n").unwrap();
    let corpus = work.path().join("corpus");
    let (_, stderr) = run(&["import", s(&source), "--format", "semeval", "-o", s(&corpus)], 1);
    assert!(
        stderr.contains("article2") && stderr.contains("is not a number"),
        "{stderr}"
    );
    assert!(!corpus.exists(), "nothing written");
    assert_eq!(
        fs::read_dir(work.path()).unwrap().count(),
        1,
        "no temp folder left beside"
    );

    fs::write(labels.join("article2.task2-TC.labels"), "2\tDoubt\t0\t4\n").unwrap();
    fs::create_dir(&corpus).unwrap();
    fs::write(corpus.join("mine.txt"), "mine").unwrap();
    let (_, stderr) = run(&["import", s(&source), "--format", "semeval", "-o", s(&corpus)], 1);
    assert!(stderr.contains("not an empty folder"), "{stderr}");
    assert_eq!(fs::read_dir(&corpus).unwrap().count(), 1);
    run(
        &["import", s(&source), "--format", "semeval", "-o", s(&corpus), "--force"],
        0,
    );
    assert_eq!(fs::read_to_string(corpus.join("mine.txt")).unwrap(), "mine");
    assert!(corpus.join("article2.ron").is_file());
}

#[test]
fn check_and_stats_cover_the_corpus_and_exit_with_the_worst() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    run(
        &[
            "import",
            s(&fixture("semeval")),
            "--format",
            "semeval",
            "-o",
            s(&corpus),
        ],
        0,
    );
    let (stdout, _) = run(&["check", s(&corpus)], 0);
    assert!(
        stdout.contains("3 document(s), 3 with a project") && stdout.contains("0 problem(s)"),
        "{stdout}"
    );

    let (stdout, _) = run(&["stats", s(&corpus)], 0);
    assert!(stdout.contains("annotations: 18"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Loaded", "language", "5", "3"]),
        "5 spans in 3 documents: {stdout}"
    );
    assert!(stdout.contains("article1003  6  "), "{stdout}");
    let (json, _) = run(&["stats", s(&corpus), "--json"], 0);
    let stats: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(stats["spans"], 18);
    assert_eq!(stats["per_document"].as_array().unwrap().len(), 3);
    let repetition = stats["per_tag"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tag"] == "Repetition")
        .unwrap();
    assert_eq!(
        (repetition["spans"].as_u64(), repetition["documents"].as_u64()),
        (Some(2), Some(1))
    );

    // A document whose own tag set differs is a warning; the exit stays 0.
    let path = corpus.join("article1001.ron");
    let mut project = project_file::load(&path).unwrap();
    let mut tag = project.tag_set().tags[0].clone();
    tag.name = "Renamed here only".into();
    counterpoint::model::edit::Edit::UpdateTagDefinition(tag)
        .apply(&mut project)
        .unwrap();
    project_file::save(&project, &path, &counterpoint::storage::Expect::Anything).unwrap();
    let (_, stderr) = run(&["check", s(&corpus)], 0);
    assert!(
        stderr.contains("article1001.ron: its tag set differs from the manifest's (defined otherwise here:"),
        "{stderr}"
    );

    // An unfinished tag-set change is work left: exit 2.
    fs::write(corpus.join(JOURNAL_FILE), "oops").unwrap();
    let (_, stderr) = run(&["check", s(&corpus)], 1);
    assert!(stderr.contains(JOURNAL_FILE), "a broken journal is a problem: {stderr}");
    fs::remove_file(corpus.join(JOURNAL_FILE)).unwrap();

    // A broken project is a problem: exit 1, one error line at the end.
    fs::write(corpus.join("article1002.ron"), "(format: \"counterpoint-project\"").unwrap();
    let (_, stderr) = run(&["check", s(&corpus)], 1);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("counterpoint: error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("1 problem(s)"), "{stderr}");
    assert!(stderr.contains("article1002.ron"), "{stderr}");
}

/// The tag `Loaded_Language` renamed, `Repetition` deleted.
fn rename_and_delete(corpus: &Path) -> TagChange {
    let before = Manifest::load(corpus).unwrap().tag_set;
    let mut after = before.clone();
    let loaded = after
        .tags
        .iter_mut()
        .find(|t| t.id.as_str() == "Loaded_Language")
        .unwrap();
    loaded.name = "Emotive wording".into();
    after.tags.retain(|t| t.id.as_str() != "Repetition");
    TagChange::between(&before, after)
}

#[test]
fn a_crash_halfway_through_a_tag_change_loses_nothing_and_the_next_open_finishes_it() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    run(
        &[
            "import",
            s(&fixture("semeval")),
            "--format",
            "semeval",
            "-o",
            s(&corpus),
        ],
        0,
    );
    let before: Vec<(String, Project)> = projects(&corpus);
    let change = rename_and_delete(&corpus);
    assert_eq!(change.removed, [TagId("Repetition".into())]);
    let scanned = scan(&corpus, &Progress::new()).unwrap();
    let files = tag_change::project_files(&scanned);
    let crash_at_second = |n: usize, _: &Path| {
        if n == 1 {
            Err("the disk is full (simulated)".to_owned())
        } else {
            Ok(())
        }
    };
    let error =
        tag_change::apply_with_hook(&scanned.root, &change, &files, &Progress::new(), &crash_at_second).unwrap_err();
    assert!(matches!(error, TagChangeError::Injected { .. }), "{error}");

    // Every file is either before or after, never lost.
    let after_crash = projects(&corpus);
    let is_after = |p: &Project| p.tag_set() == &change.target;
    assert!(is_after(&after_crash[0].1));
    assert_eq!(
        after_crash[1].1, before[1].1,
        "the file whose write failed is as it was"
    );
    assert_eq!(after_crash[2].1, before[2].1);
    let (stdout, _) = run(&["check", s(&corpus)], 2);
    assert!(
        stdout.contains("a tag-set change over 3 file(s) was interrupted"),
        "{stdout}"
    );

    // The next open finishes it.
    let outcome = tag_change::resume(&corpus, &Progress::new()).unwrap().unwrap();
    assert_eq!((outcome.changed.len(), outcome.unchanged.len()), (2, 1));
    assert!(!corpus.join(JOURNAL_FILE).exists());
    let finished = projects(&corpus);
    for ((name, old), (_, new)) in before.iter().zip(&finished) {
        assert!(is_after(new), "{name}");
        let kept: Vec<_> = old
            .annotations()
            .map(|a| {
                let tags: Vec<TagId> = a.tags.iter().filter(|t| t.as_str() != "Repetition").cloned().collect();
                (a.id, a.span, tags)
            })
            .collect();
        let now: Vec<_> = new.annotations().map(|a| (a.id, a.span, a.tags.clone())).collect();
        assert_eq!(kept, now, "{name}: every annotation kept, only the deleted tag gone");
    }
    assert_eq!(Manifest::load(&corpus).unwrap().tag_set, change.target);
    let (stdout, _) = run(&["check", s(&corpus)], 0);
    assert!(
        stdout.contains("0 with a tag set other than the manifest's"),
        "{stdout}"
    );
}
