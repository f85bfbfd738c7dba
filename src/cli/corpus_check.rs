//! `counterpoint check DIR`: every project of a corpus checked as `check`
//! checks one, with the manifest, tag sets that differ from it, and a
//! tag-set change left unfinished. Exit status: the worst of the documents'
//! (1 a problem, 2 work left for a person, 0 sound).

use std::path::Path;
use std::process::ExitCode;

use crate::corpus::manifest::{Manifest, ManifestError};
use crate::corpus::tag_change::Journal;
use crate::corpus::{Progress, scan};
use crate::messages::printable;
use crate::model::tag_set::TagSet;
use crate::project_file;

use super::{NEEDS_REVIEW, check, fail, warn};

/// Checks the corpus at `folder` and prints what it found.
pub(super) fn run(folder: &Path) -> ExitCode {
    let shown = folder.display().to_string();
    let corpus = match scan::scan(folder, &Progress::new()) {
        Ok(corpus) => corpus,
        Err(error) => return fail(&error.to_string()),
    };
    let mut problems = 0;
    let mut needs_work = 0;
    match Manifest::load(&corpus.root) {
        Ok(_) => {}
        Err(ManifestError::Missing { .. }) => println!(
            "{}: note: no manifest ({}) yet; the corpus takes its tag set from its first project until one is saved",
            printable(&shown),
            crate::corpus::MANIFEST_FILE
        ),
        Err(error) => {
            eprintln!("{}", printable(&error.to_string()));
            problems += 1;
        }
    }
    match Journal::load(&corpus.root) {
        Ok(None) => {}
        Ok(Some(journal)) => {
            println!(
                "{}: to finish: a tag-set change over {} file(s) was interrupted; opening the corpus in Counterpoint finishes it",
                printable(&shown),
                journal.files.len()
            );
            needs_work += 1;
        }
        Err(error) => {
            eprintln!("{}", printable(&error.to_string()));
            problems += 1;
        }
    }
    for warning in &corpus.warnings {
        warn(&format!("{shown}: {warning}"));
    }
    let (mut started, mut differing, mut annotations) = (0, 0, 0);
    for document in &corpus.documents {
        let Some(project) = &document.project else {
            continue;
        };
        started += 1;
        annotations += document.annotations;
        match check(project) {
            Ok(0) => {}
            Ok(_) => needs_work += 1,
            Err(message) => {
                eprintln!("{}", printable(&message));
                problems += 1;
                continue;
            }
        }
        if document.tag_set_differs {
            differing += 1;
            if let Ok(loaded) = project_file::load(project) {
                warn(&format!(
                    "{}: its tag set differs from the manifest's ({})",
                    project.display(),
                    differences(loaded.tag_set(), &corpus.manifest.tag_set)
                ));
            }
        }
    }
    println!(
        "{}: {} document(s), {started} with a project and {} not started; {annotations} annotations; \
         {problems} problem(s), {needs_work} with work left, {differing} with a tag set other than the manifest's",
        printable(&shown),
        corpus.documents.len(),
        corpus.documents.len() - started,
    );
    if problems > 0 {
        fail(&format!("{shown}: {problems} problem(s) found"))
    } else if needs_work > 0 {
        ExitCode::from(NEEDS_REVIEW)
    } else {
        ExitCode::SUCCESS
    }
}

/// How a document's tag set differs from the manifest's, in words.
fn differences(own: &TagSet, manifest: &TagSet) -> String {
    let names = |tags: Vec<&str>| {
        tags.iter()
            .map(|t| crate::messages::echo(t).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let extra: Vec<&str> = own
        .tags
        .iter()
        .filter(|t| manifest.get(&t.id).is_none())
        .map(|t| t.id.as_str())
        .collect();
    let missing: Vec<&str> = manifest
        .tags
        .iter()
        .filter(|t| own.get(&t.id).is_none())
        .map(|t| t.id.as_str())
        .collect();
    let changed: Vec<&str> = own
        .tags
        .iter()
        .filter(|t| manifest.get(&t.id).is_some_and(|m| m != *t))
        .map(|t| t.id.as_str())
        .collect();
    let mut parts = Vec::new();
    if !extra.is_empty() {
        parts.push(format!("only here: {}", names(extra)));
    }
    if !missing.is_empty() {
        parts.push(format!("missing here: {}", names(missing)));
    }
    if !changed.is_empty() {
        parts.push(format!("defined otherwise here: {}", names(changed)));
    }
    if parts.is_empty() {
        parts.push("the order of its tags, or its relation types or document labels".to_owned());
    }
    parts.join("; ")
}
