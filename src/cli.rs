//! The command line: the same binary works without a window for scripting
//! and checks. Every failure is one line on stderr and a non-zero exit.

mod reanchor;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::files;
use crate::formats::{self, DocumentKind, Format, ImportShape, on_disk};
use crate::model::project::Project;
use crate::model::tag_set::TagSet;
use crate::project_file;

/// Counterpoint: annotate text with tags and counter-claims.
#[derive(Debug, Parser)]
#[command(name = "counterpoint", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A document or project (.ron) to open in the editor window.
    pub file: Option<PathBuf>,
}

/// What to do without a window.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a project from a document.
    Import {
        /// The document to read.
        file: PathBuf,
        /// How to read it.
        #[arg(long, value_enum, default_value_t = FormatName::Text)]
        format: FormatName,
        /// The annotation file of a standoff format (brat, semeval, w3c); by
        /// default found beside the text by the format's naming (X.ann,
        /// article<ID>.task2-TC.labels); w3c needs it given.
        #[arg(long)]
        annotations: Option<PathBuf>,
        /// Where to write the project (.ron).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write a project out in another format.
    Export {
        /// The project to read (.ron).
        project: PathBuf,
        /// The format to write.
        #[arg(long, value_enum)]
        format: FormatName,
        /// Where to write it.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Check a project file; exit 0 if it is sound, else list its problems.
    Check {
        /// The project to check (.ron).
        project: PathBuf,
    },
    /// Print counts of annotations, tags, counter-claims and text size.
    Stats {
        /// The project to read (.ron).
        project: PathBuf,
    },
    /// Carry a project's annotations onto a new version of its text.
    #[command(after_help = "\
Each annotation moves exactly (its text was left alone), moves by its quote
(found again, with the text around it, at exactly one place), or needs review.

Exit status: 0 when every annotation moved and the project was written;
2 when it was written but some annotations sit where their quote is found
without proof (listed: check them); 1 when nothing was written (an input could
not be read, or an annotation needs review and no place reads its old quote:
this version cannot yet save review marks in a project file).")]
    Reanchor(reanchor::ReanchorArgs),
}

/// The formats the command line reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatName {
    /// The document as it is on disk.
    Text,
    /// An article whose `Comment: ` lines are counter-claims.
    Commented,
    /// brat standoff: X.txt + X.ann (code points, CRLF counts one).
    Brat,
    /// W3C Web Annotation JSON-LD (code points).
    W3c,
    /// SemEval propaganda spans: article<ID>.txt + .labels (code points over the raw text).
    Semeval,
    /// doccano JSONL, one document (UTF-16 units); import only.
    Doccano,
    /// Label Studio JSON, one task (UTF-16 units); import only.
    LabelStudio,
    /// JSONL data set line (bytes and code points); export only.
    Jsonl,
    /// CSV, one row per annotation (code points); export only.
    Csv,
}

impl FormatName {
    /// The interchange format of this name, or `None` for the document formats.
    fn interchange(self) -> Option<&'static dyn Format> {
        let name = match self {
            FormatName::Text | FormatName::Commented => return None,
            FormatName::Brat => "brat",
            FormatName::W3c => "w3c",
            FormatName::Semeval => "semeval",
            FormatName::Doccano => "doccano",
            FormatName::LabelStudio => "label-studio",
            FormatName::Jsonl => "jsonl",
            FormatName::Csv => "csv",
        };
        formats::format_named(name)
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
        } => match format.interchange() {
            Some(interchange) => import_interchange(&file, interchange, annotations.as_deref(), &output),
            None if annotations.is_some() => Err(format!(
                "--annotations is for brat, semeval and w3c; the {} format reads one file",
                format
                    .to_possible_value()
                    .map_or_else(String::new, |v| v.get_name().to_owned())
            )),
            None => import(&file, format, &output),
        },
        Command::Export {
            project,
            format,
            output,
        } => export(&project, format, &output),
        Command::Check { project } => check(&project),
        Command::Stats { project } => stats(&project),
        Command::Reanchor(arguments) => return reanchor::run(&arguments),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

/// Reports a failure: one line on stderr, and the failing exit status.
fn fail(message: &str) -> ExitCode {
    eprintln!("counterpoint: error: {message}");
    ExitCode::FAILURE
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

fn import(file: &Path, format: FormatName, output: &Path) -> Result<(), String> {
    let kind = if format == FormatName::Commented {
        DocumentKind::CommentedArticle
    } else {
        DocumentKind::PlainText
    };
    refuse_overwriting_input(&[file], output)?;
    let project = formats::open_document(file, kind).map_err(|e| e.to_string())?;
    project_file::save(&project, output).map_err(|e| e.to_string())?;
    let claims: usize = project.annotations().map(|a| a.counter_claims.len()).sum();
    println!(
        "imported {} ({} annotations, {claims} counter-claims) into {}",
        file.display(),
        project.annotation_count(),
        output.display()
    );
    Ok(())
}

/// Imports with an interchange format: a text and its annotation file, or one self-contained file.
fn import_interchange(
    file: &Path,
    format: &'static dyn Format,
    annotations: Option<&Path>,
    output: &Path,
) -> Result<(), String> {
    let annotation_path = match (format.import_shape(), annotations) {
        (ImportShape::Standoff, None) if format.annotations_beside(file).is_empty() => {
            return Err(format!(
                "the {} format needs its annotation file given with --annotations FILE",
                format.name()
            ));
        }
        (ImportShape::Standoff, None) => Some(
            on_disk::find_annotations_beside(format, file)
                .map_err(|e| format!("{e}; give one with --annotations FILE"))?,
        ),
        (ImportShape::SelfContained, Some(_)) => {
            return Err(format!(
                "--annotations is not used by {}: its file carries the text",
                format.name()
            ));
        }
        (_, given) => given.map(Path::to_path_buf),
    };
    let mut inputs = vec![file];
    inputs.extend(annotation_path.as_deref());
    refuse_overwriting_input(&inputs, output)?;
    let read = on_disk::import_files(format, file, annotation_path.as_deref(), TagSet::default_set())?;
    for warning in &read.imported.warnings {
        eprintln!("counterpoint: warning: {warning}");
    }
    let project = &read.imported.project;
    project_file::save(project, output).map_err(|e| e.to_string())?;
    let claims: usize = project.annotations().map(|a| a.counter_claims.len()).sum();
    println!(
        "imported {}{} ({} annotations, {claims} counter-claims) into {}",
        file.display(),
        read.annotation_path
            .map_or_else(String::new, |p| format!(" with {}", p.display())),
        project.annotation_count(),
        output.display()
    );
    Ok(())
}

fn export(project_path: &Path, format: FormatName, output: &Path) -> Result<(), String> {
    refuse_overwriting_input(&[project_path], output)?;
    let project = project_file::load(project_path).map_err(|e| format!("{}: {e}", project_path.display()))?;
    if let Some(interchange) = format.interchange() {
        return export_interchange(project_path, &project, interchange, output);
    }
    let (bytes, warnings) = if format == FormatName::Commented {
        let exported = formats::commented::export(&project).map_err(|e| e.to_string())?;
        (exported.bytes, exported.warnings)
    } else {
        (
            formats::plain_text::export(&project).map_err(|e| e.to_string())?,
            Vec::new(),
        )
    };
    files::write_atomically(output, &bytes).map_err(|e| e.to_string())?;
    for warning in &warnings {
        eprintln!("counterpoint: warning: {warning}");
    }
    println!("exported {} to {}", project_path.display(), output.display());
    Ok(())
}

/// Exports with an interchange format; brat and semeval also write the text beside `output`.
fn export_interchange(
    project_path: &Path,
    project: &Project,
    format: &dyn Format,
    output: &Path,
) -> Result<(), String> {
    if let Some(path) = format.text_beside(output) {
        refuse_overwriting_input(&[project_path], &path)?;
    }
    let written = on_disk::export_files(format, project, output)?;
    for warning in &written.warnings {
        eprintln!("counterpoint: warning: {warning}");
    }
    let beside = written
        .text_path
        .map_or_else(String::new, |p| format!(" (text in {})", p.display()));
    println!("exported {} to {}{beside}", project_path.display(), output.display());
    Ok(())
}

fn check(project_path: &Path) -> Result<(), String> {
    let shown = project_path.display();
    let report = project_file::check(project_path).map_err(|e| format!("{shown}: {e}"))?;
    if !report.problems.is_empty() {
        for problem in &report.problems {
            eprintln!("{shown}: {problem}");
        }
        return Err(format!("{shown}: {} problem(s) found", report.problems.len()));
    }
    for notice in &report.notices {
        println!("{shown}: note: {notice}");
    }
    println!("{shown}: ok ({} annotations)", report.annotation_count);
    Ok(())
}

fn stats(project_path: &Path) -> Result<(), String> {
    let project = project_file::load(project_path).map_err(|e| format!("{}: {e}", project_path.display()))?;
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
    let lines = if text.is_empty() {
        0
    } else {
        project_file::schema::split_lines_keeping_breaks(text).len()
    };
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
