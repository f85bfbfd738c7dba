//! `counterpoint import DIR --format semeval|brat|text|commented -o CORPUS_DIR`:
//! a whole folder in another tool's layout made into a corpus folder.

use std::path::Path;

use crate::corpus::Progress;
use crate::corpus::import::{self, Layout};

use super::{refuse_overwriting_input, warn};

/// Imports the folder `folder`; the warnings are printed together at the end.
pub(super) fn run(folder: &Path, format: &str, output: &Path, force: bool) -> Result<(), String> {
    let layout = Layout::named(format).ok_or_else(|| {
        format!(
            "a folder is imported with --format {}; the {format} format reads one file at a time",
            Layout::NAMES.join(", --format ")
        )
    })?;
    if output.extension().is_some_and(|extension| extension == "ron") {
        return Err(format!(
            "{} is a folder, imported into a corpus folder; give -o a folder name, not a project file",
            folder.display()
        ));
    }
    refuse_overwriting_input(&[folder], output)?;
    let report = import::import_dir(folder, layout, output, force, &Progress::new()).map_err(|e| e.to_string())?;
    print_warnings(&report.warnings);
    println!(
        "imported {} document(s) from {} into the corpus {} ({} annotations, {} tags in its manifest)",
        report.documents,
        folder.display(),
        output.display(),
        report.annotations,
        report.tags
    );
    Ok(())
}

/// Prints warnings, each with the document it is about, and one line counting them.
pub(super) fn print_warnings(warnings: &[(String, String)]) {
    if warnings.is_empty() {
        return;
    }
    for (document, warning) in warnings {
        warn(&format!("{document}: {warning}"));
    }
    let mut documents: Vec<&str> = warnings.iter().map(|(document, _)| document.as_str()).collect();
    documents.sort_unstable();
    documents.dedup();
    warn(&format!(
        "{} warning(s) about {} document(s) or file(s), listed above",
        warnings.len(),
        documents.len()
    ));
}
