//! The command line: the same binary works without a window for scripting
//! and checks. Every failure is one line on stderr and a non-zero exit.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::files;
use crate::formats::{self, DocumentKind};
use crate::model::project::Project;
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
}

/// The formats the command line reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatName {
    /// The document as it is on disk.
    Text,
    /// An article whose `Comment: ` lines are counter-claims.
    Commented,
}

/// Runs a subcommand and reports the outcome as the process should.
#[must_use]
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Import { file, format, output } => import(&file, format, &output),
        Command::Export {
            project,
            format,
            output,
        } => export(&project, format, &output),
        Command::Check { project } => check(&project),
        Command::Stats { project } => stats(&project),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("counterpoint: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn import(file: &Path, format: FormatName, output: &Path) -> Result<(), String> {
    let kind = match format {
        FormatName::Text => DocumentKind::PlainText,
        FormatName::Commented => DocumentKind::CommentedArticle,
    };
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

fn export(project_path: &Path, format: FormatName, output: &Path) -> Result<(), String> {
    let project = project_file::load(project_path).map_err(|e| format!("{}: {e}", project_path.display()))?;
    let (bytes, warnings) = match format {
        FormatName::Text => (
            formats::plain_text::export(&project).map_err(|e| e.to_string())?,
            Vec::new(),
        ),
        FormatName::Commented => {
            let exported = formats::commented::export(&project).map_err(|e| e.to_string())?;
            (exported.bytes, exported.warnings)
        }
    };
    files::write_atomically(output, &bytes).map_err(|e| e.to_string())?;
    for warning in &warnings {
        eprintln!("counterpoint: warning: {warning}");
    }
    println!("exported {} to {}", project_path.display(), output.display());
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
