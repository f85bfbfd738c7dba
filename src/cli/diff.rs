//! `counterpoint diff OLD.ron NEW.ron`: the annotations, tags and kept records
//! added, removed and changed, as a person reads them; exit status as
//! diff(1): 0 the same, 1 different, 2 trouble. How annotations are paired
//! is in `src/team/diff.rs`.
//!
//! `counterpoint diff --textconv P.ron`: one project as lines for git to
//! compare (git's `diff.<driver>.textconv` runs the command with the path of
//! a temporary file holding the version and reads what it prints). A file
//! that is not a project this version reads is printed as it is under a
//! note, so `git diff` still shows something for it; a file that cannot be
//! read is an error (exit 2).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::messages::{echo, printable};
use crate::model::annotation::Annotation;
use crate::model::offsets::{ByteOffset, OffsetIndex};
use crate::model::project::Project;
use crate::model::span::Span;
use crate::model::tag_set::Tag;
use crate::project_file;
use crate::storage;
use crate::team::diff::{AnnotationChange, ProjectDiff, TagChange, changes, diff};
use crate::team::textconv::listing;

/// The exit status of a difference found.
const DIFFERENT: u8 = 1;
/// The exit status of an error: diff(1)'s, so scripts tell "differ" from "could not compare".
const TROUBLE: u8 = 2;

/// Arguments of `counterpoint diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old and the new project (.ron); with --textconv, the one project to list.
    #[arg(required = true, num_args = 1..=2, value_name = "PROJECT")]
    pub projects: Vec<PathBuf>,
    /// List one project as lines for `git diff` to compare
    /// (git config diff.counterpoint.textconv "counterpoint diff --textconv").
    #[arg(long)]
    pub textconv: bool,
}

/// Runs `counterpoint diff` and reports as the process should.
#[must_use]
pub fn run(arguments: &DiffArgs) -> ExitCode {
    let outcome = match (arguments.textconv, arguments.projects.as_slice()) {
        (true, [project]) => textconv(project).map(|()| ExitCode::SUCCESS),
        (false, [old, new]) => compare(old, new),
        (true, _) => Err("--textconv lists one project; give one file".to_owned()),
        (false, _) => Err("diff compares two projects: give the old and the new (or --textconv and one)".to_owned()),
    };
    outcome.unwrap_or_else(|message| {
        eprintln!("counterpoint: error: {}", printable(&message));
        ExitCode::from(TROUBLE)
    })
}

fn textconv(path: &Path) -> Result<(), String> {
    let bytes = storage::read_bytes(path).map_err(|error| error.to_string())?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let problem = match std::str::from_utf8(body) {
        Ok(text) => match project_file::from_ron_str(text) {
            Ok(project) => {
                print!("{}", listing(&project));
                return Ok(());
            }
            Err(error) => error.to_string(),
        },
        Err(_) => "it is not UTF-8 text".to_owned(),
    };
    println!(
        "(not a Counterpoint project this version reads: {}; shown as it is)",
        printable(&problem).cut()
    );
    print!("{}", String::from_utf8_lossy(&bytes));
    Ok(())
}

fn compare(old_path: &Path, new_path: &Path) -> Result<ExitCode, String> {
    let old = super::load_project(old_path)?;
    let new = super::load_project(new_path)?;
    let found = diff(&old, &new).map_err(|error| {
        format!(
            "{} and {} annotate different texts (they first differ at {}); diff compares projects of one text (for versions of a text, see `counterpoint reanchor`)",
            old_path.display(),
            new_path.display(),
            error.place
        )
    })?;
    if found.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", report(old_path, new_path, &old, &found));
    Ok(ExitCode::from(DIFFERENT))
}

/// Offsets in code points for one project's text.
struct Places<'p> {
    text: &'p str,
    index: OffsetIndex,
}

impl<'p> Places<'p> {
    fn of(project: &'p Project) -> Self {
        Self {
            text: project.text(),
            index: OffsetIndex::new(project.text()),
        }
    }

    fn chars(&self, offset: ByteOffset) -> usize {
        self.index.byte_to_char(self.text, offset).map_or(0, |c| c.0)
    }

    /// `12..30`.
    fn range(&self, span: Span) -> String {
        format!("{}..{}", self.chars(span.start), self.chars(span.end))
    }

    /// The quote, cut if long.
    fn quote(&self, span: Span) -> String {
        echo(span.quote(self.text).unwrap_or_default()).to_string()
    }

    /// `#12 at 12..30 [Doubt, Claim] "the quote"`: as `diff --textconv` lists it.
    fn annotation(&self, id: &str, annotation: &Annotation) -> String {
        let tags: Vec<String> = annotation
            .tags
            .iter()
            .map(|tag| printable(tag.as_str()).to_string())
            .collect();
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", tags.join(", "))
        };
        format!(
            "{id} at {}{tags} {}",
            self.range(annotation.span),
            self.quote(annotation.span)
        )
    }
}

/// The report `counterpoint diff OLD NEW` prints when they differ. Both
/// projects have the old one's text, so its offsets serve both.
#[must_use]
pub fn report(old_path: &Path, new_path: &Path, old: &Project, found: &ProjectDiff<'_>) -> String {
    let places = Places::of(old);
    let mut out = format!(
        "--- {}\n+++ {}\n",
        printable(&old_path.display().to_string()),
        printable(&new_path.display().to_string())
    );
    let (mut added, mut removed, mut changed) = (0, 0, 0);
    for change in &found.annotations {
        match change {
            AnnotationChange::Added(annotation) => {
                added += 1;
                whole_annotation(&mut out, '+', annotation, &places);
            }
            AnnotationChange::Removed(annotation) => {
                removed += 1;
                whole_annotation(&mut out, '-', annotation, &places);
            }
            AnnotationChange::Changed { old, new } => {
                changed += 1;
                changed_annotation(&mut out, old, new, &places);
            }
        }
    }
    for change in &found.tags {
        match change {
            TagChange::Added(tag) => tag_line(&mut out, '+', tag),
            TagChange::Removed(tag) => tag_line(&mut out, '-', tag),
            TagChange::Changed { old, new } => changed_tag(&mut out, old, new),
        }
    }
    for record in &found.records_removed {
        let _ = writeln!(out, "- kept {} record {}", echo(&record.format), echo(&record.record));
    }
    for record in &found.records_added {
        let _ = writeln!(out, "+ kept {} record {}", echo(&record.format), echo(&record.record));
    }
    let renumbered = match found.renumbered {
        0 => String::new(),
        count => format!(" ({count} numbered differently)"),
    };
    let _ = writeln!(
        out,
        "{added} added, {removed} removed, {changed} changed; {} the same{renumbered}",
        found.unchanged
    );
    out
}

/// An added or removed annotation, with its counter-claims and their sources.
fn whole_annotation(out: &mut String, sign: char, annotation: &Annotation, places: &Places<'_>) {
    let _ = writeln!(
        out,
        "{sign} {}",
        places.annotation(&annotation.id.to_string(), annotation)
    );
    for claim in &annotation.counter_claims {
        let _ = writeln!(out, "    counter-claim {}", echo(&claim.text));
        for source in &claim.sources {
            let _ = writeln!(out, "        source {}", echo(source));
        }
    }
}

/// A changed annotation: where it is and, one per line, what changed.
fn changed_annotation(out: &mut String, old: &Annotation, new: &Annotation, places: &Places<'_>) {
    let id = if old.id == new.id {
        old.id.to_string()
    } else {
        format!("{} (now {})", old.id, new.id)
    };
    let _ = writeln!(out, "~ {}", places.annotation(&id, old));
    let what = changes(old, new);
    if let Some((_, now)) = what.span {
        let _ = writeln!(out, "    now at {} {}", places.range(now), places.quote(now));
    }
    for tag in what.tags_added {
        let _ = writeln!(out, "    + tag {}", printable(tag.as_str()));
    }
    for tag in what.tags_removed {
        let _ = writeln!(out, "    - tag {}", printable(tag.as_str()));
    }
    for claim in what.claims_added {
        let _ = writeln!(out, "    + counter-claim {}", echo(&claim.text));
    }
    for claim in what.claims_removed {
        let _ = writeln!(out, "    - counter-claim {}", echo(&claim.text));
    }
}

fn tag_line(out: &mut String, sign: char, tag: &Tag) {
    let _ = writeln!(
        out,
        "{sign} tag {} named {} in {}",
        printable(tag.id.as_str()),
        echo(&tag.name),
        echo(&tag.category)
    );
}

/// A tag whose name, category, description, colour or key changed: one line per field.
fn changed_tag(out: &mut String, old: &Tag, new: &Tag) {
    let _ = writeln!(out, "~ tag {}", printable(old.id.as_str()));
    let Tag {
        id: _,
        name,
        category,
        description,
        color,
        hotkey,
        attributes,
    } = old;
    for (field, before, after) in [
        ("name", name, &new.name),
        ("category", category, &new.category),
        ("description", description, &new.description),
    ] {
        if before != after {
            let _ = writeln!(out, "    {field} {} → {}", echo(before), echo(after));
        }
    }
    if *color != new.color {
        let _ = writeln!(out, "    colour {} → {}", color.to_hex(), new.color.to_hex());
    }
    if *hotkey != new.hotkey {
        let key = |key: Option<u8>| key.map_or_else(|| "none".to_owned(), |k| k.to_string());
        let _ = writeln!(out, "    key {} → {}", key(*hotkey), key(new.hotkey));
    }
    if *attributes != new.attributes {
        let names = |decls: &[crate::model::attributes::AttributeDecl]| {
            decls
                .iter()
                .map(|d| echo(&d.name).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "    attributes [{}] → [{}]",
            names(attributes),
            names(&new.attributes)
        );
    }
}
