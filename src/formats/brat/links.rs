//! Relations (`R`), attributes (`A`, `M`) and events (`E`) of a `.ann` file,
//! read into the model's relations and attribute values and written back.
//!
//! - `R3<TAB>supports Arg1:T4 Arg2:T7<TAB>`: a relation of type `supports`
//!   from annotation 4 to annotation 7 (relation id 3 when free). A type the
//!   tag set lacks is added to it. Arguments other than two `T` ids named
//!   `Arg1` and `Arg2`, or a line with text after the arguments, stay a kept line.
//! - `A1<TAB>Negation T4` (binary) and `A2<TAB>Stance T4 For`: attribute
//!   values of annotation 4 (a binary one is a set flag). A tag of the
//!   annotation that does not declare the attribute gets a declaration: a
//!   flag, or a choice among the values the file uses. `M` lines, brat's old
//!   name for `A`, read the same and are written back as `A`. An attribute of
//!   an event or relation stays a kept line.
//! - `E2<TAB>Merge-org:T18 Org-Arg:T2 Org-Arg2:T3`: one relation from the
//!   trigger (18) to each argument, typed by the role without its trailing
//!   digits (`Org-Arg`). The line itself is kept too, and export writes it
//!   back in place of those relations while all of them are there (else the
//!   relations left are written as `R` lines and the event is named in a
//!   warning). An event with an argument that is not a `T` line (another
//!   event, say) stays a kept line whole.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::brat_type;
use crate::formats::MAX_KEPT_ID;
use crate::formats::argument::{RelationTypes, SeenAttributes};
use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::attributes::{self, AttributeKind, FLAG_SET};
use crate::model::project::Project;
use crate::model::relations::{Relation, RelationId, RelationTypeId};
use crate::model::tag_set::{TagId, TagSet};

/// What the `R`, `A`, `M` and `E` lines of one import became.
pub(super) struct ReadLinks {
    /// Relations with the id their line asked for (`None`: a fresh one).
    wanted: Vec<(Option<u64>, RelationTypeId, AnnotationId, AnnotationId)>,
    attributes: SeenAttributes,
    /// Event ids shown as relations (their lines are kept too).
    pub(super) events: Vec<String>,
    types: RelationTypes,
}

impl Default for ReadLinks {
    fn default() -> Self {
        Self {
            wanted: Vec::new(),
            attributes: SeenAttributes::default(),
            events: Vec::new(),
            types: RelationTypes::new(super::NAME),
        }
    }
}

impl ReadLinks {
    /// Takes a `R`, `A`, `M` or `E` line into the model when it can be
    /// represented; `false` leaves it to be kept as it is. An event line is
    /// taken and must still be kept (its id is in [`ReadLinks::events`]).
    pub(super) fn take(
        &mut self,
        line: &str,
        id_of: &BTreeMap<String, AnnotationId>,
        annotations: &mut BTreeMap<AnnotationId, Annotation>,
        tag_set: &mut TagSet,
    ) -> bool {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(own), Some(middle)) = (fields.first(), fields.get(1)) else {
            return false;
        };
        let trailing = fields.get(2).is_some_and(|text| !text.is_empty()) || fields.len() > 3;
        let tokens: Vec<&str> = middle.split(' ').collect();
        let annotation_of = |token: &str| token.starts_with('T').then(|| id_of.get(token).copied()).flatten();
        match own.chars().next() {
            Some('R') if !trailing => {
                let [kind, first, second] = tokens[..] else {
                    return false;
                };
                let (Some(("Arg1", from)), Some(("Arg2", to))) = (first.split_once(':'), second.split_once(':')) else {
                    return false;
                };
                let (Some(from), Some(to)) = (annotation_of(from), annotation_of(to)) else {
                    return false;
                };
                if from == to {
                    return false;
                }
                let wanted = own[1..]
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=MAX_KEPT_ID).contains(n) && !own[1..].starts_with('0'));
                let kind = self.relation_type(kind, tag_set);
                self.wanted.push((wanted, kind, from, to));
                true
            }
            Some('A' | 'M') if fields.len() == 2 => {
                let (name, target, value) = match tokens[..] {
                    [name, target] => (name, target, None),
                    [name, target, value] => (name, target, Some(value)),
                    _ => return false,
                };
                let Some(id) = annotation_of(target).filter(|id| annotations.contains_key(id)) else {
                    return false;
                };
                let (name, value) = as_declared(tag_set, &annotations[&id].tags, name, value);
                let (name, value) = (name.as_str(), value.as_deref());
                let Some(annotation) = annotations.get_mut(&id) else {
                    return false;
                };
                if annotation.attributes.contains_key(name) {
                    return false;
                }
                match value {
                    Some(value) => self.attributes.choice(name, value),
                    None => self.attributes.flag(name),
                }
                annotation
                    .attributes
                    .insert(name.to_owned(), value.unwrap_or(FLAG_SET).to_owned());
                true
            }
            Some('E') if !trailing => {
                let Some((_, trigger)) = tokens.first().and_then(|t| t.split_once(':')) else {
                    return false;
                };
                let Some(trigger) = annotation_of(trigger) else {
                    return false;
                };
                let mut arguments = Vec::new();
                for token in &tokens[1..] {
                    let Some((role, argument)) = token.split_once(':') else {
                        return false;
                    };
                    match annotation_of(argument) {
                        Some(argument) if argument != trigger => arguments.push((role_type(role), argument)),
                        _ => return false,
                    }
                }
                for (role, argument) in arguments {
                    let kind = self.relation_type(role, tag_set);
                    self.wanted.push((None, kind, trigger, argument));
                }
                self.events.push((*own).to_owned());
                true
            }
            _ => false,
        }
    }

    fn relation_type(&mut self, kind: &str, tag_set: &mut TagSet) -> RelationTypeId {
        self.types.resolve(tag_set, kind, brat_type)
    }

    /// The relations (line ids kept when free, others numbered above them),
    /// the attribute declarations added to the tags, and the warnings that name what was added.
    pub(super) fn finish(
        self,
        annotations: &BTreeMap<AnnotationId, Annotation>,
        tag_set: &mut TagSet,
    ) -> (Vec<Relation>, Vec<String>) {
        let mut warnings = Vec::new();
        let mut taken = BTreeSet::new();
        let kept: Vec<Option<u64>> = self
            .wanted
            .iter()
            .map(|(wanted, ..)| wanted.filter(|n| taken.insert(*n)))
            .collect();
        let mut next = taken.last().map_or(1, |n| n + 1);
        let relations = self
            .wanted
            .into_iter()
            .zip(kept)
            .map(|((_, kind, from, to), kept)| {
                let id = kept.unwrap_or_else(|| {
                    next += 1;
                    next - 1
                });
                Relation {
                    id: RelationId(id),
                    kind,
                    from,
                    to,
                }
            })
            .collect();
        warnings.extend(self.types.warning());
        warnings.extend(self.attributes.declare(tag_set, annotations.values()));
        (relations, warnings)
    }
}

/// An attribute's name and value as the annotation's tags declare them: a
/// brat type or value is one word, so `Mostly_false` is the declared `Mostly false`.
fn as_declared(tag_set: &TagSet, tags: &[TagId], name: &str, value: Option<&str>) -> (String, Option<String>) {
    let declared = attributes::declared_for(tag_set, tags);
    let Some(decl) = declared
        .iter()
        .find(|d| d.name == name)
        .or_else(|| declared.iter().find(|d| brat_type(&d.name) == name))
    else {
        return (name.to_owned(), value.map(str::to_owned));
    };
    let value = value.map(|value| match &decl.kind {
        AttributeKind::Choice(allowed) => allowed
            .iter()
            .find(|v| *v == value)
            .or_else(|| allowed.iter().find(|v| brat_type(v) == value))
            .map_or_else(|| value.to_owned(), Clone::clone),
        _ => value.to_owned(),
    });
    (decl.name.clone(), value)
}

/// brat numbers repeated roles of an event (`Theme`, `Theme2`): the role is the name without them.
fn role_type(role: &str) -> &str {
    let trimmed = role.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.is_empty() { role } else { trimmed }
}

/// The (role, trigger, argument) links of a kept event line, if all its ends are `T` ids.
fn event_links(line: &str) -> Option<Vec<(String, u64, u64)>> {
    let middle = line.split('\t').nth(1)?;
    let mut tokens = middle.split(' ');
    let trigger = t_number(tokens.next()?.split_once(':')?.1)?;
    tokens
        .map(|token| {
            let (role, argument) = token.split_once(':')?;
            Some((role_type(role).to_owned(), trigger, t_number(argument)?))
        })
        .collect()
}

fn t_number(id: &str) -> Option<u64> {
    id.strip_prefix('T')?.parse().ok()
}

/// The `R` and `A` lines of a project, and which kept event lines to write
/// (those whose relations are all still there: they stand for them).
pub(super) struct WrittenLinks {
    pub(super) lines: String,
    /// Kept event lines left out because their relations changed.
    pub(super) dropped_events: BTreeSet<String>,
    /// The ids of the lines written (`R3`, `A1`), which kept lines may name.
    pub(super) written_ids: BTreeSet<String>,
}

/// Writes relations as `R` lines (those an intact kept event stands for
/// excepted) and attribute values as `A` lines. `owner` gives the `T` id an
/// annotation is written under (a fragment's is its group's first).
pub(super) fn write(
    project: &Project,
    kept: &[&str],
    owner: impl Fn(AnnotationId) -> AnnotationId,
    warnings: &mut Vec<String>,
) -> WrittenLinks {
    let kept_ids = |letter: char| -> BTreeSet<u64> {
        kept.iter()
            .filter_map(|line| line.split('\t').next()?.strip_prefix(letter)?.parse().ok())
            .collect()
    };
    let mut by_ends: BTreeMap<(&str, u64, u64), Vec<RelationId>> = BTreeMap::new();
    for relation in project.relations() {
        by_ends
            .entry((relation.kind.as_str(), owner(relation.from).0, owner(relation.to).0))
            .or_default()
            .push(relation.id);
    }
    let mut covered = BTreeSet::new();
    let mut dropped_events = BTreeSet::new();
    for line in kept.iter().filter(|line| line.starts_with('E')) {
        let Some(links) = event_links(line) else { continue };
        let found: Option<Vec<RelationId>> = links
            .iter()
            .map(|(role, from, to)| {
                by_ends
                    .get(&(role.as_str(), *from, *to))?
                    .iter()
                    .find(|id| !covered.contains(*id))
                    .copied()
            })
            .collect();
        if let Some(ids) = found {
            covered.extend(ids);
        } else {
            let own = line.split('\t').next().unwrap_or_default().to_owned();
            warnings.push(format!(
                "the brat event {} is left out: its relations were changed; those left are written as R lines",
                echo(&own)
            ));
            dropped_events.insert(own);
        }
    }
    let mut out = String::new();
    let mut written_ids = BTreeSet::new();
    let used = kept_ids('R');
    let mut fresh = used.last().map_or(1, |n| n + 1);
    let highest = project.relations().map(|r| r.id.0).max().unwrap_or(0);
    fresh = fresh.max(highest + 1);
    for relation in project.relations().filter(|r| !covered.contains(&r.id)) {
        let id = if used.contains(&relation.id.0) {
            fresh += 1;
            fresh - 1
        } else {
            relation.id.0
        };
        written_ids.insert(format!("R{id}"));
        let _ = writeln!(
            out,
            "R{id}\t{} Arg1:T{} Arg2:T{}\t",
            brat_type(relation.kind.as_str()),
            owner(relation.from).0,
            owner(relation.to).0
        );
    }
    let used = kept_ids('A');
    let mut number = 0;
    let mut one_word = 0;
    for annotation in project.annotations() {
        let declared = crate::model::attributes::declared_for(project.tag_set(), &annotation.tags);
        for (name, value) in &annotation.attributes {
            number += 1;
            while used.contains(&number) {
                number += 1;
            }
            let flag = value == FLAG_SET
                && declared
                    .iter()
                    .find(|d| d.name == *name)
                    .is_none_or(|d| d.kind == AttributeKind::Flag);
            written_ids.insert(format!("A{number}"));
            one_word += usize::from(brat_type(name) != *name || (!flag && brat_type(value) != *value));
            let _ = write!(out, "A{number}\t{} T{}", brat_type(name), owner(annotation.id).0);
            if !flag {
                let _ = write!(out, " {}", brat_type(value));
            }
            out.push('\n');
        }
    }
    if one_word > 0 {
        warnings.push(format!(
            "{one_word} attribute(s) have a name or value with spaces, written with _ in their place (a brat attribute is one word each); importing the file again gives back the declared name and value"
        ));
    }
    WrittenLinks {
        lines: out,
        dropped_events,
        written_ids,
    }
}
