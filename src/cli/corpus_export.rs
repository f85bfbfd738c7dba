//! `counterpoint export CORPUS_DIR --format FORMAT -o OUTPUT`: `jsonl` writes
//! one file with a line per document; every other format a folder in that
//! tool's layout.

use std::path::Path;

use crate::corpus::export::{self, FolderFormat};
use crate::corpus::{Progress, scan};
use crate::formats::{self, jsonl};

use super::corpus_import::print_warnings;
use super::{COMMENTED, TEXT, overwrite, refuse_overwriting_input};

/// Exports the corpus at `folder` to `output`.
pub(super) fn run(folder: &Path, format: &str, output: &Path, force: bool) -> Result<(), String> {
    let chosen = match format {
        jsonl::NAME => None,
        TEXT => Some(FolderFormat::Text),
        COMMENTED => Some(FolderFormat::Commented),
        name => {
            let format = formats::format_named(name).ok_or_else(|| format!("there is no format named {name}"))?;
            if format.writer.is_none() {
                return Err(format!("the {name} format can only be imported, not exported"));
            }
            Some(FolderFormat::Interchange(format))
        }
    };
    refuse_overwriting_input(&[folder], output)?;
    let progress = Progress::new();
    let corpus = scan::scan(folder, &progress).map_err(|e| e.to_string())?;
    if chosen.is_some() && inside(output, &corpus.root) {
        return Err(format!(
            "{} is inside the corpus {}: its texts would become documents of the corpus; export to a folder outside it",
            output.display(),
            folder.display()
        ));
    }
    let overwrite = overwrite(force);
    let report = match chosen {
        None => export::export_jsonl(&corpus, output, &overwrite, &progress),
        Some(chosen) => export::export_folder(&corpus, chosen, output, &overwrite, &progress),
    }
    .map_err(|error| match error {
        export::ExportError::Write(crate::corpus::folder_write::WriteError::Save(save)) => super::save_message(save),
        other => other.to_string(),
    })?;
    print_warnings(&report.warnings);
    if report.unchanged > 0 {
        println!(
            "{} file(s) already held exactly this and were left untouched",
            report.unchanged
        );
    }
    println!(
        "exported {} document(s) ({} annotations) of {} to {}",
        report.documents,
        report.annotations,
        folder.display(),
        output.display()
    );
    Ok(())
}

/// Whether `path` (which may not exist yet) lies inside the folder `root` (canonical).
fn inside(path: &Path, root: &Path) -> bool {
    let absolute = path.canonicalize().ok().or_else(|| {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(parent.canonicalize().ok()?.join(path.file_name()?))
    });
    absolute.is_some_and(|absolute| absolute.starts_with(root))
}
