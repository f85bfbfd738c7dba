//! The command line: the same binary works without a window for scripting
//! and checks. Every failure is one line on stderr and a non-zero exit.

pub mod agree;
mod corpus_check;
mod corpus_export;
mod corpus_import;
mod corpus_stats;
mod diff;
mod merge;
mod reanchor;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Parser, Subcommand};

use crate::formats::on_disk::{self, ExportError, ImportPathsError, WrittenFiles};
use crate::formats::{self, DocumentKind, Format};
use crate::messages::printable;
use crate::model::project::Project;
use crate::model::tag_set::TagSet;
use crate::project_file;
use crate::storage::{self, Expect, Overwrite, SaveError};

/// Counterpoint: annotate text with tags and counter-claims.
#[derive(Debug, Parser)]
#[command(name = "counterpoint", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A document or project (.ron) to open in the editor window, or a folder to open as a corpus.
    pub file: Option<PathBuf>,
}

/// What to do without a window.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a project from a document, or a corpus from a folder of documents.
    #[command(after_help = "\
A folder is imported whole into a corpus folder (-o): one project per
document, sub-folders kept, and the manifest counterpoint.ron with the union
of the documents' tags. Layouts: semeval (article<ID>.txt with
article<ID>.task2-TC.labels beside it or in a sibling folder named ...labels...,
such as train-articles/ with train-labels-task2-technique-classification/;
give the articles folder or the one holding it), brat (X.txt with X.ann, in
sub-folders too; annotation.conf declares tags), text and commented (every
.txt). Warnings are listed together at the end. Nothing is written unless
every document was read; the corpus folder must be new or empty (--force
writes into a folder that has files, keeping each file it replaces as
NAME.bak).")]
    Import {
        /// The document to read, or a folder of documents.
        file: PathBuf,
        /// How to read it.
        #[arg(long, value_parser = format_names(), default_value = TEXT)]
        format: String,
        /// The annotation file of a standoff format (brat, semeval, w3c); by
        /// default found beside the text by the format's naming (X.ann,
        /// article<ID>.task2-TC.labels), or the text beside it when FILE is
        /// the annotation file; w3c needs it given.
        #[arg(long)]
        annotations: Option<PathBuf>,
        /// Where to write the project (.ron), or the corpus folder.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace an existing output file that differs (it is kept as
        /// NAME.bak); for a folder, write into a corpus folder that has files.
        #[arg(long)]
        force: bool,
    },
    /// Write a project, or every document of a corpus folder, out in another format.
    #[command(after_help = "\
A corpus folder with --format jsonl is written as one file with one line per
document, the same keys on every line (document, text, spans with start/end
in code points and start_byte/end_byte, quote, labels, counter_claims; and
labels), as data-set loaders such as Hugging Face datasets read it. Any other
format writes a folder in that tool's layout (brat: NAME.txt + NAME.ann and
annotation.conf; semeval: articles/ and labels/; others NAME.<extension>),
all files or none.")]
    Export {
        /// The project to read (.ron), or a corpus folder.
        project: PathBuf,
        /// The format to write.
        #[arg(long, value_parser = format_names())]
        format: String,
        /// Where to write it (for a corpus folder: the .jsonl file, or the folder).
        #[arg(short, long)]
        output: PathBuf,
        /// Replace existing files that differ from what the export writes
        /// (each is kept as NAME.bak); identical files are left untouched anyway.
        #[arg(long)]
        force: bool,
    },
    /// Check a project file; exit 0 if it is sound, else list its problems.
    /// A text changed since it was read (it no longer matches its recorded
    /// SHA-256) is a warning: the change may be meant, so the exit is still 0.
    /// Annotations that need review after re-anchoring are listed, and the
    /// exit is 2: the file is sound, but a person has work left in it.
    /// A corpus folder: every project, the manifest, tag sets that differ
    /// from it and an unfinished tag-set change; the worst exit wins.
    Check {
        /// The project to check (.ron), or a corpus folder.
        project: PathBuf,
    },
    /// Print counts of annotations, tags, counter-claims and text size; for
    /// a corpus folder, spans per tag and per document.
    Stats {
        /// The project to read (.ron), or a corpus folder.
        project: PathBuf,
        /// Print the corpus figures as JSON (a corpus folder only).
        #[arg(long)]
        json: bool,
    },
    /// Carry a project's annotations onto a new version of its text.
    #[command(after_help = "\
Each annotation moves exactly (its text was left alone), moves by its quote
(found again, with the text around it, at exactly one place), or needs review.

Exit status: 0 when every annotation moved and the project was written;
2 when it was written with some annotations marked as needing review (listed;
`counterpoint check` lists them again, and the window's review list resolves
them); 1 when nothing was written (an input could not be read).")]
    Reanchor(reanchor::ReanchorArgs),
    /// Measure how far annotators of one text agree: span matching, Cohen's
    /// and Fleiss' κ, Krippendorff's `α_u`, per tag and overall.
    #[command(after_help = "\
The first project is the reference: precision is the share of the other's
(span, tag) units matched, recall the share of the reference's. Figures that
cannot be computed (no units, no variation) print as \"undefined\" (null in
JSON). Exit status: 0 when the figures were printed, 1 when a project could
not be read or the projects annotate different texts.")]
    Agree(agree::AgreeArgs),
    /// Show the annotations, tags and kept records added, removed and changed
    /// between two projects of one text; or, with --textconv, list one
    /// project for `git diff`.
    #[command(after_help = "\
Annotations are paired by id and span, then by span and content (another id
for the same mark is no change), then by id on an overlapping span, then by
span, then by content on an overlapping span; the rest are added or removed.
Offsets are code points.

For git: git config diff.counterpoint.textconv \"counterpoint diff --textconv\"
and a line such as `*.ron diff=counterpoint` in .gitattributes.

Exit status, as diff(1): 0 the same (ids aside), 1 different, 2 trouble.")]
    Diff(diff::DiffArgs),
    /// Merge two projects made from one base (a three-way merge, by
    /// annotation uid); as git's merge driver: counterpoint merge %O %A %B.
    #[command(after_help = "\
Annotations added on either side are kept; removed on one side and untouched
on the other, removed; changed on one side, taken from it. A span, tag list or
counter-claim list changed differently on both sides, or changed on one side
and removed on the other, is a conflict: ours' version stays, and all three
are recorded in the file for the window to resolve (counterpoint check lists
them). Annotations only THEIRS added take a new number where theirs is taken.

Exit status: 0 merged cleanly; 1 merged with conflicts recorded; 2 nothing
merged (a project could not be read, the texts differ, or writing failed),
OURS left as it was.")]
    Merge(merge::MergeArgs),
}

/// The name of the plain-text document format on the command line.
const TEXT: &str = "text";
/// The name of the commented-article format on the command line.
const COMMENTED: &str = "commented";

/// The values `--format` takes: the two document formats, then every
/// interchange format of the registry, each with its one-line summary.
fn format_names() -> PossibleValuesParser {
    let mut values = vec![
        PossibleValue::new(TEXT).help("The document as it is on disk"),
        PossibleValue::new(COMMENTED).help("An article whose `Comment: ` lines are counter-claims"),
    ];
    values.extend(
        formats::FORMATS
            .iter()
            .map(|format| PossibleValue::new(format.name).help(format.summary)),
    );
    PossibleValuesParser::new(values)
}

/// A format named on the command line.
#[derive(Clone, Copy)]
enum Chosen {
    /// A document read or written as it is.
    Document(DocumentKind),
    /// An interchange format.
    Interchange(&'static Format),
}

/// The format named `name` (one of [`format_names`], which clap has checked).
fn chosen(name: &str) -> Result<Chosen, String> {
    match name {
        TEXT => Ok(Chosen::Document(DocumentKind::PlainText)),
        COMMENTED => Ok(Chosen::Document(DocumentKind::CommentedArticle)),
        _ => formats::format_named(name)
            .map(Chosen::Interchange)
            .ok_or_else(|| format!("there is no format named {name}")),
    }
}

/// Runs a subcommand and reports the outcome as the process should.
#[must_use]
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Import {
            file,
            format,
            annotations,
            output,
            force,
        } if file.is_dir() => match annotations {
            Some(_) => {
                Err("--annotations is for one document; a folder's annotation files are found by its layout".to_owned())
            }
            None => corpus_import::run(&file, &format, &output, force),
        },
        Command::Import {
            file,
            format,
            annotations,
            output,
            force,
        } => match chosen(&format) {
            Ok(Chosen::Interchange(interchange)) => {
                import_interchange(&file, interchange, annotations.as_deref(), &output, force)
            }
            Ok(Chosen::Document(_)) if annotations.is_some() => Err(format!(
                "--annotations is for brat, semeval and w3c; the {format} format reads one file"
            )),
            Ok(Chosen::Document(kind)) => import(&file, kind, &output, force),
            Err(message) => Err(message),
        },
        Command::Export {
            project,
            format,
            output,
            force,
        } if project.is_dir() => corpus_export::run(&project, &format, &output, force),
        Command::Export {
            project,
            format,
            output,
            force,
        } => export(&project, &format, &output, &overwrite(force)),
        Command::Check { project } if project.is_dir() => return corpus_check::run(&project),
        Command::Check { project } => match check(&project) {
            Ok(0) => Ok(()),
            Ok(_) => return ExitCode::from(NEEDS_REVIEW),
            Err(message) => Err(message),
        },
        Command::Stats { project, json } if project.is_dir() => corpus_stats::run(&project, json),
        Command::Stats { json: true, .. } => Err("--json is for a corpus folder; give the folder".to_owned()),
        Command::Stats { project, .. } => stats(&project),
        Command::Reanchor(arguments) => return reanchor::run(&arguments),
        Command::Agree(arguments) => return agree::run(&arguments),
        Command::Diff(arguments) => return diff::run(&arguments),
        Command::Merge(arguments) => return merge::run(&arguments),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

/// Reports a failure: one line on stderr (control characters written out), and the failing exit status.
fn fail(message: &str) -> ExitCode {
    eprintln!("counterpoint: error: {}", printable(message));
    ExitCode::FAILURE
}

/// Prints a warning from an import, an export or a check. Its words may
/// repeat labels from a file, so control characters are written out here,
/// where it reaches the terminal.
fn warn(warning: &str) {
    eprintln!("counterpoint: warning: {}", printable(warning));
}

/// Loads a project for export or stats: errors name the file; a text
/// changed since it was read is a warning.
fn load_project(project_path: &Path) -> Result<Project, String> {
    let project = project_file::load(project_path).map_err(|e| format!("{}: {e}", project_path.display()))?;
    if let Err(mismatch) = project.check_source() {
        warn(&format!("{}: {mismatch}", project_path.display()));
    }
    Ok(project)
}

/// Refuses an output that is one of the inputs, so a slip in `-o` never overwrites what is being read.
fn refuse_overwriting_input(inputs: &[&Path], output: &Path) -> Result<(), String> {
    let Ok(out) = output.canonicalize() else {
        return Ok(());
    };
    match inputs.iter().find(|input| input.canonicalize().is_ok_and(|i| i == out)) {
        Some(input) => Err(format!(
            "{} is also the input {}; write the output to another file",
            output.display(),
            input.display()
        )),
        None => Ok(()),
    }
}

/// Which existing files a command may replace: only identical ones, unless `--force`.
fn overwrite(force: bool) -> Overwrite {
    if force { Overwrite::Anything } else { Overwrite::Nothing }
}

/// A save's failure as one line; a refused replacement says how to allow it.
fn save_message(error: SaveError) -> String {
    match error {
        SaveError::Conflict(conflicts) => {
            let names: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
            let backups: Vec<String> = conflicts
                .iter()
                .map(|conflict| storage::backup_path(&conflict.path).display().to_string())
                .collect();
            format!(
                "{}; pass --force to replace (the old version is kept as {})",
                names.join("; "),
                backups.join(" and ")
            )
        }
        other => other.to_string(),
    }
}

fn export_message(error: ExportError) -> String {
    match error {
        ExportError::Save(error) => save_message(error),
        ExportError::Refused(message) => message,
    }
}

/// Saves a new project to `output`: an existing file that differs needs `--force`.
fn save_project(project: &Project, output: &Path, force: bool) -> Result<(), String> {
    let expect = if force { Expect::Anything } else { Expect::Absent };
    let saved = project_file::save(project, output, &expect).map_err(save_message)?;
    for warning in &saved.warnings {
        warn(warning);
    }
    Ok(())
}

fn import(file: &Path, kind: DocumentKind, output: &Path, force: bool) -> Result<(), String> {
    refuse_overwriting_input(&[file], output)?;
    let project = formats::open_document(file, kind).map_err(|e| e.to_string())?;
    save_project(&project, output, force)?;
    let claims: usize = project.annotations().map(|a| a.counter_claims.len()).sum();
    println!(
        "imported {} ({} annotations, {claims} counter-claims) into {}",
        file.display(),
        project.annotation_count(),
        output.display()
    );
    Ok(())
}

/// Imports with an interchange format: a text and its annotation file (either
/// may be given alone), or one self-contained file.
fn import_interchange(
    file: &Path,
    format: &'static Format,
    annotations: Option<&Path>,
    output: &Path,
    force: bool,
) -> Result<(), String> {
    let paths = on_disk::import_paths(format, file, annotations).map_err(|error| match error {
        ImportPathsError::AnnotationsNeeded(_) => format!("{error} with --annotations FILE"),
        ImportPathsError::NoAnnotationsBeside { .. } => format!("{error}; give one with --annotations FILE"),
        ImportPathsError::OneFileOnly(name) => {
            format!("--annotations is not used by {name}: its file carries the text")
        }
        other => other.to_string(),
    })?;
    let mut inputs = vec![paths.file.as_path()];
    inputs.extend(paths.annotations.as_deref());
    refuse_overwriting_input(&inputs, output)?;
    let read = on_disk::import_files(format, &paths.file, paths.annotations.as_deref(), TagSet::default_set())?;
    for warning in &read.imported.warnings {
        warn(warning);
    }
    let project = &read.imported.project;
    save_project(project, output, force)?;
    let claims: usize = project.annotations().map(|a| a.counter_claims.len()).sum();
    println!(
        "imported {}{} ({} annotations, {claims} counter-claims) into {}",
        read.file.display(),
        read.annotation_path
            .map_or_else(String::new, |p| format!(" with {}", p.display())),
        project.annotation_count(),
        output.display()
    );
    Ok(())
}

fn export(project_path: &Path, format: &str, output: &Path, overwrite: &Overwrite) -> Result<(), String> {
    let chosen = chosen(format)?;
    refuse_overwriting_input(&[project_path], output)?;
    let project = load_project(project_path)?;
    let kind = match chosen {
        Chosen::Interchange(interchange) => {
            return export_interchange(project_path, &project, interchange, output, overwrite);
        }
        Chosen::Document(kind) => kind,
    };
    let (bytes, warnings) = if kind == DocumentKind::CommentedArticle {
        let exported = formats::commented::export(&project).map_err(|e| e.to_string())?;
        (exported.bytes, exported.warnings)
    } else {
        (
            formats::plain_text::export(&project).map_err(|e| e.to_string())?,
            Vec::new(),
        )
    };
    let saved = on_disk::write_export(&[(output.to_path_buf(), bytes)], overwrite).map_err(save_message)?;
    report_written(&on_disk::written_files(&saved, warnings));
    println!("exported {} to {}", project_path.display(), output.display());
    Ok(())
}

/// Prints an export's warnings and the files it left untouched.
fn report_written(written: &WrittenFiles) {
    for warning in &written.warnings {
        warn(warning);
    }
    for path in &written.unchanged {
        println!("{} already holds exactly this; left untouched", path.display());
    }
}

/// Exports with an interchange format; brat and semeval also write the text beside `output`.
fn export_interchange(
    project_path: &Path,
    project: &Project,
    format: &Format,
    output: &Path,
    overwrite: &Overwrite,
) -> Result<(), String> {
    if let Some(path) = format.text_beside(output) {
        refuse_overwriting_input(&[project_path], &path)?;
    }
    let written = on_disk::export_files(format, project, output, overwrite).map_err(export_message)?;
    report_written(&written);
    let beside = written
        .text_path
        .map_or_else(String::new, |p| format!(" (text in {})", p.display()));
    println!("exported {} to {}{beside}", project_path.display(), output.display());
    Ok(())
}

/// The exit status of a sound project with annotations that need review
/// (`check`), or of one written with them (`reanchor`): 1 means broken or not
/// written, so a script can tell the two apart.
const NEEDS_REVIEW: u8 = 2;

/// Checks a project file and prints what it found; the number of
/// annotations that need review.
fn check(project_path: &Path) -> Result<usize, String> {
    let path = project_path.display().to_string();
    let shown = printable(&path);
    let report = project_file::check(project_path).map_err(|e| format!("{shown}: {e}"))?;
    if !report.problems.is_empty() {
        for problem in &report.problems {
            eprintln!("{shown}: {}", printable(problem));
        }
        return Err(format!("{shown}: {} problem(s) found", report.problems.len()));
    }
    for warning in &report.warnings {
        warn(&format!("{shown}: {warning}"));
    }
    if !report.conflicts.is_empty() {
        for conflict in &report.conflicts {
            println!("{shown}: to resolve: {}", printable(conflict));
        }
        return Err(format!(
            "{shown}: {} unresolved conflict(s) from a merge; open the project in Counterpoint to resolve them",
            report.conflicts.len()
        ));
    }
    for notice in &report.notices {
        println!("{shown}: note: {}", printable(notice));
    }
    for review in &report.needs_review {
        println!("{shown}: review: {}", printable(review));
    }
    let warnings = match report.warnings.len() {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        count => format!(", {count} warnings"),
    };
    let reviews = match report.needs_review.len() {
        0 => String::new(),
        count => format!(", {count} need review"),
    };
    println!(
        "{shown}: ok ({} annotations{warnings}{reviews})",
        report.annotation_count
    );
    Ok(report.needs_review.len())
}

fn stats(project_path: &Path) -> Result<(), String> {
    let project = load_project(project_path)?;
    print!("{}", stats_report(&project));
    Ok(())
}

/// The text `counterpoint stats` prints.
#[must_use]
pub fn stats_report(project: &Project) -> String {
    let text = project.text();
    let mut per_tag: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tag_uses = 0;
    let mut claims = 0;
    for annotation in project.annotations() {
        claims += annotation.counter_claims.len();
        for tag in &annotation.tags {
            tag_uses += 1;
            *per_tag.entry(tag.as_str()).or_default() += 1;
        }
    }
    let lines = crate::model::lines::line_count(text);
    let mut out = format!(
        "text: {} bytes, {} code points, {lines} lines ({}{})\n\
         annotations: {}\n\
         tags in the tag set: {}\n\
         tags attached: {tag_uses}\n\
         counter-claims: {claims}\n",
        text.len(),
        text.chars().count(),
        project.source().encoding.label(),
        if project.source().bom { ", with BOM" } else { "" },
        project.annotation_count(),
        project.tag_set().tags.len(),
    );
    for (tag, count) in per_tag {
        let _ = writeln!(out, "  {tag}: {count}");
    }
    out
}
