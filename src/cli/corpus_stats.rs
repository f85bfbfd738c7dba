//! `counterpoint stats DIR [--json]`: a corpus's totals per tag and per
//! document, from the scan's summary of each project.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::corpus::{Corpus, Progress, scan};
use crate::model::tag_set::TagId;

#[derive(Serialize)]
struct Stats<'c> {
    corpus: &'c str,
    documents: usize,
    not_started: usize,
    size_bytes: u64,
    annotations: usize,
    per_tag: Vec<TagLine<'c>>,
    per_document: Vec<DocumentLine<'c>>,
}

#[derive(Serialize)]
struct TagLine<'c> {
    tag: &'c str,
    name: &'c str,
    spans: usize,
    documents: usize,
}

#[derive(Serialize)]
struct DocumentLine<'c> {
    document: &'c str,
    started: bool,
    size_bytes: u64,
    annotations: usize,
    tags: BTreeMap<&'c str, usize>,
}

/// Prints the statistics of the corpus at `folder`.
pub(super) fn run(folder: &Path, json: bool) -> Result<(), String> {
    let corpus = scan::scan(folder, &Progress::new()).map_err(|e| e.to_string())?;
    for warning in &corpus.warnings {
        super::warn(&format!("{}: {warning}", folder.display()));
    }
    for document in &corpus.documents {
        if let Some(problem) = &document.problem {
            super::warn(&format!("{}: {problem}; not counted", document.name));
        }
    }
    let stats = stats(&corpus);
    if json {
        // Strings, numbers and maps of them: serde_json cannot fail on these.
        println!("{}", serde_json::to_string_pretty(&stats).unwrap_or_default());
    } else {
        print!("{}", table(&stats));
    }
    Ok(())
}

fn stats(corpus: &Corpus) -> Stats<'_> {
    let mut per_tag: Vec<TagLine<'_>> = corpus
        .manifest
        .tag_set
        .tags
        .iter()
        .map(|tag| TagLine {
            tag: tag.id.as_str(),
            name: &tag.name,
            spans: 0,
            documents: 0,
        })
        .collect();
    let mut per_document = Vec::with_capacity(corpus.documents.len());
    for document in &corpus.documents {
        for (tag, count) in &document.tag_counts {
            let index = if let Some(index) = per_tag.iter().position(|line| line.tag == tag.as_str()) {
                index
            } else {
                per_tag.push(TagLine {
                    tag: tag.as_str(),
                    name: tag.as_str(),
                    spans: 0,
                    documents: 0,
                });
                per_tag.len() - 1
            };
            let line = &mut per_tag[index];
            line.spans += count;
            line.documents += usize::from(*count > 0);
        }
        per_document.push(DocumentLine {
            document: &document.name,
            started: document.is_started(),
            size_bytes: document.size_bytes,
            annotations: document.annotations,
            tags: document
                .tag_counts
                .iter()
                .map(|(tag, count): (&TagId, &usize)| (tag.as_str(), *count))
                .collect(),
        });
    }
    Stats {
        corpus: &corpus.manifest.name,
        documents: corpus.documents.len(),
        not_started: corpus.documents.iter().filter(|d| !d.is_started()).count(),
        size_bytes: corpus.documents.iter().map(|d| d.size_bytes).sum(),
        annotations: corpus.documents.iter().map(|d| d.annotations).sum(),
        per_tag,
        per_document,
    }
}

/// The plain-text table `stats DIR` prints.
fn table(stats: &Stats<'_>) -> String {
    let mut out = format!(
        "corpus: {}\ndocuments: {} ({} not started)\ntext: {} bytes\nannotations: {}\n\nper tag: spans, documents\n",
        crate::messages::printable(stats.corpus),
        stats.documents,
        stats.not_started,
        stats.size_bytes,
        stats.annotations
    );
    let width = stats.per_tag.iter().map(|t| t.tag.chars().count()).max().unwrap_or(0);
    for line in stats.per_tag.iter().filter(|line| line.spans > 0) {
        let _ = writeln!(
            out,
            "  {:<width$}  {:>7}  {:>6}",
            crate::messages::printable(line.tag).to_string(),
            line.spans,
            line.documents
        );
    }
    let unused = stats.per_tag.iter().filter(|line| line.spans == 0).count();
    if unused > 0 {
        let _ = writeln!(out, "  ({unused} tag(s) of the manifest on no span)");
    }
    out.push_str("\nper document: annotations, then spans per tag\n");
    for document in &stats.per_document {
        let tags: Vec<String> = document
            .tags
            .iter()
            .map(|(tag, count)| format!("{} {count}", crate::messages::printable(tag)))
            .collect();
        let _ = writeln!(
            out,
            "  {}: {}{}{}",
            crate::messages::printable(document.document),
            document.annotations,
            if document.started { "" } else { " (not started)" },
            if tags.is_empty() {
                String::new()
            } else {
                format!("; {}", tags.join(", "))
            }
        );
    }
    out
}
