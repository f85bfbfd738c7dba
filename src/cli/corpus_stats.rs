//! `counterpoint stats DIR [--json]`: a corpus's totals per tag and per
//! document ([`CorpusStats`], counted from the scan's summary of each project).

use std::io::Write as _;
use std::path::Path;

use crate::corpus::{CorpusStats, Progress, scan};
use crate::messages::printable;

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
    let stats = CorpusStats::of(&corpus);
    if json {
        emit(&format!("{}\n", stats.to_json()));
        return Ok(());
    }
    let not_started = corpus.documents.iter().filter(|d| !d.is_started()).count();
    emit(&format!(
        "corpus: {}\ndocuments: {} ({not_started} not started)\ntext: {} bytes\nannotations: {}\n\n{}",
        printable(&corpus.manifest.name),
        corpus.documents.len(),
        corpus.documents.iter().map(|d| d.size_bytes).sum::<u64>(),
        corpus.documents.iter().map(|d| d.annotations).sum::<usize>(),
        stats.to_table()
    ));
    Ok(())
}

/// Writes to stdout; a reader that stopped early (`| head`) is no error.
fn emit(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
