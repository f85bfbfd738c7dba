//! The input of every agreement figure: what each annotator marked, as
//! code-point ranges sorted by label, and the check that the projects
//! annotate the same text.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use crate::model::lines::{LineBreaks, lines};
use crate::model::offsets::{ByteOffset, OffsetIndex};
use crate::model::project::Project;
use crate::model::tag_set::TagId;

/// What a unit is marked with: one tag, or no tag at all (an annotation with
/// only counter-claims, or nothing yet, still marks a span).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    Tag(TagId),
    Untagged,
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Tag(tag) => f.write_str(tag.as_str()),
            Label::Untagged => f.write_str("(no tag)"),
        }
    }
}

/// A half-open range `[start, end)` of code points of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unit {
    pub start: usize,
    pub end: usize,
}

impl Unit {
    /// The range from `start` to `end` in code points.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Its length in code points.
    #[must_use]
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether it covers no code point (an anchor between two characters).
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

/// Where two texts first differ: a line (from 1) and a column (code points, from 1) of the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPlace {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for TextPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Two of the projects compared annotate different texts, so their offsets
/// name different words and nothing about them can be compared.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "projects {} and {} annotate different texts (they first differ at {place}); only annotations of one text can be compared",
    .first + 1,
    .other + 1
)]
pub struct DifferentTexts {
    /// Index of the first project of the two.
    pub first: usize,
    /// Index of the other.
    pub other: usize,
    /// Where the other's text first departs from the first's.
    pub place: TextPlace,
}

/// Where `b` first departs from `a`, or `None` if they are the same text.
#[must_use]
pub fn first_difference(a: &str, b: &str) -> Option<TextPlace> {
    if a == b {
        return None;
    }
    let common = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((at, _), _)| at);
    let (number, line_start) = lines(a, LineBreaks::File)
        .enumerate()
        .find(|(_, line)| common <= line.content_end() || common < line.end())
        .map_or((0, 0), |(number, line)| (number, line.start));
    Some(TextPlace {
        line: number + 1,
        column: a[line_start..common].chars().count() + 1,
    })
}

/// Checks that every project annotates the first one's text, character for
/// character. The recorded SHA-256 alone is not enough: a text edited in the
/// file keeps its old hash (loading warns about that), and the same text read
/// from two encodings has two hashes but the same offsets.
pub fn same_text(projects: &[&Project]) -> Result<(), DifferentTexts> {
    let Some(first) = projects.first() else {
        return Ok(());
    };
    for (other, project) in projects.iter().enumerate().skip(1) {
        if let Some(place) = first_difference(first.text(), project.text()) {
            return Err(DifferentTexts { first: 0, other, place });
        }
    }
    Ok(())
}

/// What every annotator marked, by label, in code points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Study {
    /// The text's length in code points.
    pub length: usize,
    /// The labels some annotator used: the first project's tags in its
    /// tag-set order, then tags only the others define, then [`Label::Untagged`].
    pub labels: Vec<Label>,
    /// `units[annotator][label]`: sorted, each range once (an annotator who
    /// marked the same range twice with one tag marked it once); ranges may
    /// overlap and nest.
    pub units: Vec<Vec<Vec<Unit>>>,
}

impl Study {
    /// The study of projects on one text; refused if their texts differ.
    pub fn new(projects: &[&Project]) -> Result<Self, DifferentTexts> {
        same_text(projects)?;
        let text = projects.first().map_or("", |project| project.text());
        let index = OffsetIndex::new(text);
        let labels = labels_used(projects);
        let tag_at: HashMap<&TagId, usize> = labels
            .iter()
            .enumerate()
            .filter_map(|(at, label)| match label {
                Label::Tag(tag) => Some((tag, at)),
                Label::Untagged => None,
            })
            .collect();
        let untagged_at = labels.iter().position(|label| *label == Label::Untagged);
        let units = projects
            .iter()
            .map(|project| {
                let mut by_label: Vec<Vec<Unit>> = vec![Vec::new(); labels.len()];
                let chars = code_points(text, &index, project);
                for (annotation, &(start, end)) in project.annotations().zip(&chars) {
                    let unit = Unit::new(start, end);
                    if annotation.tags.is_empty()
                        && let Some(at) = untagged_at
                    {
                        by_label[at].push(unit);
                    }
                    for tag in &annotation.tags {
                        if let Some(&at) = tag_at.get(tag) {
                            by_label[at].push(unit);
                        }
                    }
                }
                for units in &mut by_label {
                    units.sort_unstable();
                    units.dedup();
                }
                by_label
            })
            .collect();
        Ok(Self {
            length: index.len_chars().0,
            labels,
            units,
        })
    }

    /// How many annotators there are.
    #[must_use]
    pub fn annotators(&self) -> usize {
        self.units.len()
    }
}

/// Each annotation's span in code points, in the order of
/// [`Project::annotations`]. Converted in the order of the text, so the
/// index and the text are read front to back rather than at random (for
/// 100,000 annotations of a 5 MB text that is several times faster).
fn code_points(text: &str, index: &OffsetIndex, project: &Project) -> Vec<(usize, usize)> {
    let mut offsets: Vec<(ByteOffset, usize)> = project
        .annotations()
        .enumerate()
        .flat_map(|(at, annotation)| [(annotation.span.start, 2 * at), (annotation.span.end, 2 * at + 1)])
        .collect();
    offsets.sort_unstable();
    let mut chars = vec![0; offsets.len()];
    for (offset, slot) in offsets {
        // Spans lie on character boundaries (a project's invariant), so this does not fail.
        chars[slot] = index.byte_to_char(text, offset).map_or(0, |c| c.0);
    }
    chars.chunks_exact(2).map(|pair| (pair[0], pair[1])).collect()
}

/// The labels some project uses, in the order [`Study::labels`] lists them.
fn labels_used(projects: &[&Project]) -> Vec<Label> {
    let mut used: HashSet<&TagId> = HashSet::new();
    let mut untagged = false;
    for project in projects {
        for annotation in project.annotations() {
            untagged |= annotation.tags.is_empty();
            used.extend(&annotation.tags);
        }
    }
    let mut labels = Vec::with_capacity(used.len() + 1);
    for project in projects {
        for tag in &project.tag_set().tags {
            if used.remove(&tag.id) {
                labels.push(Label::Tag(tag.id.clone()));
            }
        }
    }
    // Nothing is left here while every tag an annotation uses is in its
    // project's tag set (which loading checks); listed all the same, in order.
    let rest: BTreeSet<&TagId> = used.into_iter().collect();
    labels.extend(rest.into_iter().cloned().map(Label::Tag));
    if untagged {
        labels.push(Label::Untagged);
    }
    labels
}
