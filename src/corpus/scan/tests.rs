use std::time::{Duration, SystemTime};

use super::*;
use crate::corpus::cache::CacheStatus;
use crate::corpus::summary::summarise;
use crate::corpus::test_support::{Mark, project, tags, write_project, write_text};
use crate::storage::Expect;

/// A corpus with every kind of entry: paired, named by source path, not
/// started, hidden, in a sub-folder, another tag set, a broken project.
fn sample(root: &Path) {
    let shared = tags(&["Doubt", "Fear"]);
    Manifest {
        name: "Sample".into(),
        tag_set: shared.clone(),
    }
    .save(root, &Expect::Absent)
    .unwrap();
    let text = "Hello world, said the minister.";
    write_project(
        &root.join("a.ron"),
        &project(
            text,
            &shared,
            &[Mark(0, 5, &["Doubt"], &[]), Mark(6, 11, &["Doubt", "Fear"], &[])],
        ),
    );
    write_text(&root.join("a.txt"), text);
    write_text(&root.join("b.txt"), "Not started yet.");
    let mut named = project("Zürich", &shared, &[Mark(0, 7, &["Fear"], &[])]);
    named.set_source_path(Some("../sources/c-source.txt".into()));
    write_project(&root.join("news/c.ron"), &named);
    write_text(&root.join("sources/c-source.txt"), "Zürich");
    write_text(&root.join("news/d.md"), "# Notes");
    write_text(&root.join("x.txt"), "one");
    write_text(&root.join("x.md"), "two");
    write_text(&root.join(".hidden/e.txt"), "hidden");
    write_text(&root.join(".f.txt"), "hidden");
    write_text(&root.join("notes.pdf"), "not a text");
    write_project(&root.join("g.ron"), &project("Other set", &tags(&["Doubt"]), &[]));
    write_text(
        &root.join("broken.ron"),
        "(format: \"counterpoint-project\", version: 3",
    );
}

fn names(corpus: &Corpus) -> Vec<&str> {
    corpus.documents.iter().map(|d| d.name.as_str()).collect()
}

fn entry<'c>(corpus: &'c Corpus, name: &str) -> &'c DocumentEntry {
    corpus.documents.iter().find(|d| d.name == name).unwrap()
}

#[test]
fn a_scan_pairs_projects_with_texts_lists_not_started_ones_and_skips_hidden_entries() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    sample(root);
    // The backup a save keeps is not a document.
    std::fs::copy(root.join("a.ron"), root.join("a.ron.bak")).unwrap();
    let corpus = scan_with_cache(root, &Progress::new(), None).unwrap();
    assert_eq!(corpus.root, root.canonicalize().unwrap());
    assert_eq!(corpus.manifest.name, "Sample");
    assert!(corpus.manifest_state.is_some());
    assert_eq!(
        names(&corpus),
        ["a", "b", "broken", "g", "news/c", "news/d", "x.md", "x.txt"]
    );
    let a = entry(&corpus, "a");
    assert_eq!(a.project.as_deref(), Some(corpus.root.join("a.ron").as_path()));
    assert_eq!(a.text.as_deref(), Some(corpus.root.join("a.txt").as_path()));
    assert_eq!((a.size_bytes, a.annotations), (31, 2));
    assert_eq!(
        a.tag_counts,
        BTreeMap::from([(TagId("Doubt".into()), 2), (TagId("Fear".into()), 1)])
    );
    assert!(!a.tag_set_differs && a.problem.is_none() && a.is_started());

    let c = entry(&corpus, "news/c");
    assert_eq!(
        c.text.as_deref(),
        Some(corpus.root.join("sources/c-source.txt").as_path())
    );
    assert_eq!((c.size_bytes, c.annotations), ("Zürich".len() as u64, 1));

    let b = entry(&corpus, "b");
    assert!(!b.is_started());
    assert_eq!((b.size_bytes, b.annotations), (16, 0));
    assert_eq!(b.text.as_deref(), Some(corpus.root.join("b.txt").as_path()));
    assert_eq!(
        entry(&corpus, "news/d").text.as_deref(),
        Some(corpus.root.join("news/d.md").as_path())
    );
    assert_eq!(
        entry(&corpus, "x.md").text.as_deref(),
        Some(corpus.root.join("x.md").as_path())
    );

    assert!(entry(&corpus, "g").tag_set_differs);
    let broken = entry(&corpus, "broken");
    let problem = broken.problem.as_deref().unwrap();
    assert!(problem.contains("line 1"), "{problem}");
    assert!(!broken.tag_set_differs);
    assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
}

#[test]
fn a_folder_without_a_manifest_takes_the_first_projects_tag_set_and_its_own_name() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("my corpus");
    write_project(&root.join("b.ron"), &project("Second", &tags(&["Fear"]), &[]));
    write_project(&root.join("a.ron"), &project("First", &tags(&["Doubt"]), &[]));
    write_text(&root.join("0.ron"), "not a project at all");
    let corpus = scan_with_cache(&root, &Progress::new(), None).unwrap();
    assert_eq!(corpus.manifest.name, "my corpus");
    assert_eq!(corpus.manifest.tag_set, tags(&["Doubt"]));
    assert!(corpus.manifest_state.is_none());
    assert!(!entry(&corpus, "a").tag_set_differs);
    assert!(entry(&corpus, "b").tag_set_differs);

    let empty = folder.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let corpus = scan_with_cache(&empty, &Progress::new(), None).unwrap();
    assert_eq!(corpus.manifest.tag_set, TagSet::default_set());
    assert!(corpus.documents.is_empty());
}

#[test]
fn a_bad_manifest_a_missing_folder_or_a_file_is_refused_in_words() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    write_text(
        &root.join(MANIFEST_FILE),
        "(format: \"counterpoint-corpus\", version: 9)",
    );
    let error = scan_with_cache(root, &Progress::new(), None).unwrap_err().to_string();
    assert!(error.contains("written by a newer Counterpoint"), "{error}");
    let error = scan_with_cache(&root.join("nowhere"), &Progress::new(), None)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cannot open the corpus") && error.contains("does not exist"),
        "{error}"
    );
    let error = scan_with_cache(&root.join(MANIFEST_FILE), &Progress::new(), None)
        .unwrap_err()
        .to_string();
    assert!(error.ends_with("it is not a folder"), "{error}");
}

#[test]
fn a_cancelled_scan_says_so() {
    let folder = tempfile::tempdir().unwrap();
    sample(folder.path());
    let progress = Progress::new();
    progress.cancel();
    let result = scan_with_cache(folder.path(), &progress, None);
    assert!(matches!(result, Err(CorpusError::Cancelled)), "{result:?}");
}

/// Sets a file's modification time `seconds` later than it is.
fn touch_later(path: &Path, seconds: u64) {
    let file = std::fs::File::options().append(true).open(path).unwrap();
    let modified = file.metadata().unwrap().modified().unwrap();
    file.set_modified(modified + Duration::from_secs(seconds)).unwrap();
    assert!(file.metadata().unwrap().modified().unwrap() > SystemTime::UNIX_EPOCH);
}

#[test]
fn the_cache_is_used_while_a_file_is_unchanged_and_rebuilt_when_it_changes_or_is_damaged() {
    let folder = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let root = folder.path();
    sample(root);
    let cold = scan_with_cache(root, &Progress::new(), Some(cache_dir.path())).unwrap();
    let canonical = root.canonicalize().unwrap();
    assert_eq!(
        SummaryCache::open(Some(cache_dir.path()), &canonical).status(),
        &CacheStatus::Read
    );
    let warm = scan_with_cache(root, &Progress::new(), Some(cache_dir.path())).unwrap();
    assert_eq!(warm.documents, cold.documents);

    // A cached summary is believed while its file's key holds: plant a false one to see it used.
    let a_key = FileKey::of(&std::fs::metadata(root.join("a.ron")).unwrap());
    let mut planted = BTreeMap::new();
    let (_, mut summary) = summarise(&root.join("a.ron"));
    summary.annotations = 999;
    planted.insert("a.ron".to_owned(), CachedSummary { key: a_key, summary });
    SummaryCache::open(Some(cache_dir.path()), &canonical)
        .store(planted)
        .unwrap();
    let believed = scan_with_cache(root, &Progress::new(), Some(cache_dir.path())).unwrap();
    assert_eq!(entry(&believed, "a").annotations, 999);

    // Touched: the time differs, so it is read again.
    touch_later(&root.join("a.ron"), 5);
    let reread = scan_with_cache(root, &Progress::new(), Some(cache_dir.path())).unwrap();
    assert_eq!(reread.documents, cold.documents);

    // A project saved again (new annotation) is summarised again.
    write_project(
        &root.join("a.ron"),
        &project(
            "Hello world, said the minister.",
            &tags(&["Doubt", "Fear"]),
            &[Mark(0, 5, &["Doubt"], &[])],
        ),
    );
    let changed = scan_with_cache(root, &Progress::new(), Some(cache_dir.path())).unwrap();
    assert_eq!(entry(&changed, "a").annotations, 1);

    // A damaged cache file is noticed, discarded and written anew.
    let cache_file = std::fs::read_dir(cache_dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&cache_file, b"counterpoint-corpus-cache 1 0000\n{\"root\": 7}").unwrap();
    let rebuilt = scan_with_cache(root, &Progress::new(), Some(cache_dir.path())).unwrap();
    assert_eq!(rebuilt.documents, changed.documents);
    assert_eq!(
        SummaryCache::open(Some(cache_dir.path()), &canonical).status(),
        &CacheStatus::Read
    );
}

#[test]
fn without_extension_keeps_dots_of_folders_and_hidden_names() {
    assert_eq!(without_extension("news/a.txt"), "news/a");
    assert_eq!(without_extension("v1.2/a"), "v1.2/a");
    assert_eq!(without_extension("a.b.ron"), "a.b");
    assert_eq!(
        lexically_normal(Path::new("/r/news/../sources/./c.txt")),
        Path::new("/r/sources/c.txt")
    );
}

#[test]
fn an_entry_is_refreshed_from_the_open_project() {
    let folder = tempfile::tempdir().unwrap();
    sample(folder.path());
    let corpus = scan_with_cache(folder.path(), &Progress::new(), None).unwrap();
    let mut b = entry(&corpus, "b").clone();
    let edited = project(
        "Not started yet.",
        &tags(&["Doubt", "Fear"]),
        &[Mark(0, 3, &["Fear"], &[])],
    );
    b.refresh(&edited, &corpus.manifest);
    assert_eq!((b.annotations, b.size_bytes, b.tag_set_differs), (1, 16, false));
    assert_eq!(b.tag_counts, BTreeMap::from([(TagId("Fear".into()), 1)]));
    b.refresh(&project("x", &tags(&["Other"]), &[]), &corpus.manifest);
    assert!(b.tag_set_differs);
    assert!(b.tag_counts.is_empty());
}
