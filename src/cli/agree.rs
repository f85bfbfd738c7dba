//! `counterpoint agree A.ron B.ron [C.ron …]`: how far annotators of one text
//! agree, per tag and overall: span matching and Cohen's κ for each pair,
//! Fleiss' κ (three or more) and Krippendorff's `α_u` for all of them. Tables
//! by default, `--json` for programs. The definitions are in `src/team/mod.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::messages::printable;
use crate::model::project::Project;
use crate::team::agreement::{Agreement, Figure, GroupFigures, PairFigures, agreement};
use crate::team::matching::Matching;
use crate::team::study::{DifferentTexts, Label};

/// Arguments of `counterpoint agree`.
#[derive(Debug, clap::Args)]
pub struct AgreeArgs {
    /// Two or more projects of one text (.ron), one per annotator; the first
    /// is the reference of precision and recall.
    #[arg(required = true, num_args = 2.., value_name = "PROJECT")]
    pub projects: Vec<PathBuf>,
    /// Print every figure as JSON (undefined ones as null) instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// What an undefined figure prints as.
const UNDEFINED: &str = "undefined";

/// The short definitions printed under the tables and given in the JSON:
/// (JSON key, printed term, definition).
const DEFINITIONS: [(&str, &str, &str); 7] = [
    (
        "units",
        "units",
        "a unit is a (span, tag) pair; an annotation without tags counts under (no tag); a span one annotator marked twice with one tag counts once",
    ),
    (
        "exact",
        "exact",
        "a unit matches one of the same tag with the same start and end",
    ),
    (
        "overlap",
        "overlap",
        "one-to-one matching of units of the same tag that share a code point, as many pairs as possible",
    ),
    (
        "precision_recall",
        "P, R, F1",
        "precision: share of the other's units matched; recall: share of the reference's; F1: their harmonic mean; overall sums every tag's counts",
    ),
    (
        "kappa",
        "κ",
        "each character (token) is marked with a tag by an annotator or not; overall pools every tag's decisions (a pair: tags either used); Cohen's κ for pairs, Fleiss' κ for three or more",
    ),
    (
        "tokens",
        "tokens",
        "Unicode (UAX #29) word-boundary segments that are not white space; a token is marked when a span covers one of its characters",
    ),
    (
        "alpha_u",
        "α_u",
        "Krippendorff's α for unitizing on code points (1995, 2004; as DKPro Agreement computes it), per tag, overall pooled; overlapping spans of one annotator and tag are joined",
    ),
];

/// Runs `counterpoint agree` and reports as the process should.
#[must_use]
pub fn run(arguments: &AgreeArgs) -> ExitCode {
    match agree(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => super::fail(&message),
    }
}

fn agree(arguments: &AgreeArgs) -> Result<(), String> {
    let projects = arguments
        .projects
        .iter()
        .map(|path| super::load_project(path))
        .collect::<Result<Vec<Project>, String>>()?;
    let refs: Vec<&Project> = projects.iter().collect();
    let figures = agreement(&refs).map_err(|error| different_texts(&arguments.projects, &projects, &error))?;
    if arguments.json {
        println!("{}", as_json(&arguments.projects, &projects, &figures));
    } else {
        print!("{}", as_tables(&arguments.projects, &projects, &figures));
    }
    Ok(())
}

/// The refusal of projects on different texts, naming the files and their hashes.
fn different_texts(paths: &[PathBuf], projects: &[Project], error: &DifferentTexts) -> String {
    let (first, other) = (error.first, error.other);
    format!(
        "{} and {} annotate different texts (recorded SHA-256 {} and {}; the texts first differ at {}); agreement is measured between projects of one text",
        paths[first].display(),
        paths[other].display(),
        short_hash(&projects[first]),
        short_hash(&projects[other]),
        error.place
    )
}

fn short_hash(project: &Project) -> String {
    project.source().sha256.chars().take(12).collect()
}

/// A, B, … Z, then A27, A28, …: short names for the columns.
fn name(index: usize) -> String {
    match u8::try_from(index) {
        Ok(letter @ 0..26) => char::from(b'A' + letter).to_string(),
        _ => format!("A{}", index + 1),
    }
}

fn shown(figure: Figure) -> String {
    match figure {
        // Rounded to nothing, a tiny negative is not worth a minus sign.
        Some(value) if value.abs() < 0.0005 => "0.000".to_owned(),
        Some(value) => format!("{value:.3}"),
        None => UNDEFINED.to_owned(),
    }
}

/// A plain-text table: the first column left-aligned, the others right-aligned.
struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Self {
            rows: vec![header.iter().map(|cell| (*cell).to_owned()).collect()],
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn render(&self, out: &mut String) {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|column| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(column))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &self.rows {
            let mut line = String::new();
            for (column, cell) in row.iter().enumerate() {
                let width = widths[column];
                if column == 0 {
                    let _ = write!(line, "{cell:<width$}");
                } else {
                    let _ = write!(line, "  {cell:>width$}");
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
}

fn label_cell(label: &Label) -> String {
    printable(&label.to_string()).to_string()
}

fn matching_cells(matching: Matching) -> [String; 3] {
    [
        shown(matching.precision()),
        shown(matching.recall()),
        shown(matching.f1()),
    ]
}

/// The tables `counterpoint agree` prints.
#[must_use]
pub fn as_tables(paths: &[PathBuf], projects: &[Project], figures: &Agreement) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} projects of one text: {} code points, {} tokens",
        figures.annotators, figures.code_points, figures.tokens
    );
    for (index, (path, project)) in paths.iter().zip(projects).enumerate() {
        let _ = writeln!(
            out,
            "  {}  {}  ({} annotations)",
            name(index),
            printable(&path.display().to_string()),
            project.annotation_count()
        );
    }
    if figures.labels.is_empty() {
        let _ = writeln!(out, "\nNo project has an annotation: there is nothing to compare.");
    }
    for pair in &figures.pairs {
        let (a, b) = (name(pair.reference), name(pair.other));
        let _ = writeln!(out, "\n{b} against {a}: span matching");
        let mut table = Table::new(&["", "units", "", "exact", "", "", "overlap", "", ""]);
        table.row(
            ["tag", &a, &b, "P", "R", "F1", "P", "R", "F1"]
                .iter()
                .map(|cell| (*cell).to_owned())
                .collect(),
        );
        let rows = figures
            .labels
            .iter()
            .map(label_cell)
            .zip(&pair.by_label)
            .chain([("overall".to_owned(), &pair.overall)]);
        for (label, row) in rows.clone() {
            let mut cells = vec![label, row.exact.reference.to_string(), row.exact.other.to_string()];
            cells.extend(matching_cells(row.exact));
            cells.extend(matching_cells(row.overlap));
            table.row(cells);
        }
        table.render(&mut out);
        let _ = writeln!(out, "\n{b} and {a}: Cohen's κ");
        let mut table = Table::new(&["tag", "characters", "tokens"]);
        for (label, row) in rows {
            table.row(vec![label, shown(row.cohen_characters), shown(row.cohen_tokens)]);
        }
        table.render(&mut out);
    }
    let all = (0..figures.annotators).map(name).collect::<Vec<_>>().join(", ");
    let with_fleiss = figures.annotators >= 3;
    let _ = writeln!(
        out,
        "\nAll projects ({all}): {}Krippendorff's α_u",
        if with_fleiss { "Fleiss' κ and " } else { "" }
    );
    let mut table = if with_fleiss {
        let mut table = Table::new(&["", "Fleiss' κ", "", ""]);
        table.row(["tag", "characters", "tokens", "α_u"].map(str::to_owned).to_vec());
        table
    } else {
        Table::new(&["tag", "α_u"])
    };
    let rows = figures
        .labels
        .iter()
        .map(label_cell)
        .zip(&figures.group_by_label)
        .chain([("overall".to_owned(), &figures.group_overall)]);
    for (label, row) in rows {
        let mut cells = vec![label];
        if with_fleiss {
            cells.extend([shown(row.fleiss_characters), shown(row.fleiss_tokens)]);
        }
        cells.push(shown(row.alpha_u));
        table.row(cells);
    }
    table.render(&mut out);
    let _ = writeln!(out);
    let undefined = (
        "",
        UNDEFINED,
        "nothing to measure (no units, fewer than two projects) or no variation to correct for chance",
    );
    for (_, term, definition) in DEFINITIONS.iter().chain([&undefined]) {
        wrapped(&mut out, &format!("{term}: {definition}."));
    }
    out
}

/// Writes `paragraph` in lines of at most 78 characters, the later ones indented.
fn wrapped(out: &mut String, paragraph: &str) {
    const WIDTH: usize = 78;
    let mut line = String::new();
    for word in paragraph.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WIDTH {
            let _ = writeln!(out, "{line}");
            line.clear();
            line.push_str("    ");
        } else if !line.is_empty() && line != "    " {
            line.push(' ');
        }
        line.push_str(word);
    }
    let _ = writeln!(out, "{line}");
}

fn figure_json(figure: Figure) -> Value {
    figure.map_or(Value::Null, Value::from)
}

fn matching_json(matching: Matching) -> Value {
    json!({
        "matched": matching.matched,
        "precision": figure_json(matching.precision()),
        "recall": figure_json(matching.recall()),
        "f1": figure_json(matching.f1()),
    })
}

fn pair_json(row: &PairFigures) -> Value {
    json!({
        "units": { "reference": row.exact.reference, "other": row.exact.other },
        "exact": matching_json(row.exact),
        "overlap": matching_json(row.overlap),
        "cohen_kappa": {
            "characters": figure_json(row.cohen_characters),
            "tokens": figure_json(row.cohen_tokens),
        },
    })
}

fn group_json(row: &GroupFigures, with_fleiss: bool) -> Value {
    let mut value = json!({ "alpha_u": figure_json(row.alpha_u) });
    if with_fleiss && let Some(object) = value.as_object_mut() {
        object.insert(
            "fleiss_kappa".into(),
            json!({
                "characters": figure_json(row.fleiss_characters),
                "tokens": figure_json(row.fleiss_tokens),
            }),
        );
    }
    value
}

fn label_json(label: &Label, mut figures: Value) -> Value {
    if let Some(object) = figures.as_object_mut() {
        object.insert("label".into(), label.to_string().into());
        object.insert(
            "tag".into(),
            match label {
                Label::Tag(tag) => tag.as_str().into(),
                Label::Untagged => Value::Null,
            },
        );
    }
    figures
}

/// The JSON document `counterpoint agree --json` prints.
#[must_use]
pub fn as_json(paths: &[PathBuf], projects: &[Project], figures: &Agreement) -> Value {
    let shown_path = |path: &Path| path.display().to_string();
    let with_fleiss = figures.annotators >= 3;
    let pairs: Vec<Value> = figures
        .pairs
        .iter()
        .map(|pair| {
            json!({
                "reference": name(pair.reference),
                "other": name(pair.other),
                "tags": figures.labels.iter().zip(&pair.by_label)
                    .map(|(label, row)| label_json(label, pair_json(row)))
                    .collect::<Vec<_>>(),
                "overall": pair_json(&pair.overall),
            })
        })
        .collect();
    let definitions: serde_json::Map<String, Value> = DEFINITIONS
        .iter()
        .map(|(key, _, definition)| ((*key).to_owned(), Value::from(*definition)))
        .chain([("null".to_owned(), Value::from("the figure is undefined"))])
        .collect();
    json!({
        "projects": paths.iter().zip(projects).enumerate().map(|(index, (path, project))| json!({
            "name": name(index),
            "path": shown_path(path),
            "annotations": project.annotation_count(),
        })).collect::<Vec<_>>(),
        "code_points": figures.code_points,
        "tokens": figures.tokens,
        "pairs": pairs,
        "group": {
            "tags": figures.labels.iter().zip(&figures.group_by_label)
                .map(|(label, row)| label_json(label, group_json(row, with_fleiss)))
                .collect::<Vec<_>>(),
            "overall": group_json(&figures.group_overall, with_fleiss),
        },
        "definitions": definitions,
    })
}
