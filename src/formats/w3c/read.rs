//! Reading an annotation document over a text file, one annotation at a
//! time: the JSON is streamed through serde, so only one annotation's JSON
//! value exists at once however large the collection.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::anchor::Anchoring;
use super::{ATTRIBUTE_SEPARATOR, ID_PREFIX, NAME, RELATION_ID_PREFIX, attribute_of, source_iri};
use crate::formats::argument::{RelationTypes, SeenAttributes};
use crate::formats::labels::TagResolver;
use crate::formats::{FormatError, Imported, InputFile, MAX_KEPT_ID, QuoteCheck};
use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::attributes::FLAG_SET;
use crate::model::offsets::OffsetIndex;
use crate::model::project::{ForeignRecord, Project, SourceInfo};
use crate::model::relations::{Relation, RelationId, RelationTypeId};
use crate::model::source_text;
use crate::model::tag_set::TagSet;

/// Reads an annotation collection over a text file.
pub fn import(text_file: InputFile<'_>, json_file: InputFile<'_>, tag_set: TagSet) -> Result<Imported, FormatError> {
    let decoded = source_text::decode(text_file.bytes).map_err(|e| FormatError::decode(&text_file, e))?;
    let source = SourceInfo::of_file(text_file.path.map(str::to_owned), text_file.bytes, &decoded);
    let text = decoded.text;
    let index = OffsetIndex::new(&text);
    let mut importer = Importer {
        anchoring: Anchoring {
            text: &text,
            index: &index,
        },
        our_source: source_iri(&source),
        resolver: TagResolver::new(tag_set, NAME, false, []),
        warnings: Vec::new(),
        quotes: QuoteCheck::default(),
        anchored: Vec::new(),
        names: Vec::new(),
        links: Vec::new(),
        seen: SeenAttributes::default(),
        kept: Vec::new(),
        items: 0,
    };
    let mut json = serde_json::Deserializer::from_slice(crate::formats::without_bom(json_file.bytes));
    Document(&mut importer)
        .deserialize(&mut json)
        .and_then(|()| json.end())
        .map_err(|e| {
            let message = if e.is_data() {
                e.to_string()
            } else {
                format!("not valid JSON: {e}")
            };
            FormatError::invalid(&json_file, message)
        })?;
    let Importer {
        mut warnings,
        quotes,
        anchored,
        names,
        links,
        seen,
        mut kept,
        resolver,
        ..
    } = importer;
    // Each unanchored annotation has its own warning already; this only refuses the wrong text.
    quotes.finish(&text_file, &json_file)?;
    let annotations = with_ids(anchored);
    let mut by_name = std::collections::HashMap::new();
    for (name, annotation) in names.iter().zip(&annotations) {
        if let Some(name) = name {
            by_name.entry(name.as_str()).or_insert(annotation.id);
        }
    }
    let (mut tag_set, mut label_warnings) = resolver.finish();
    warnings.append(&mut label_warnings);
    warnings.extend(seen.declare(&mut tag_set, annotations.iter()));
    let mut types = RelationTypes::new(NAME);
    let mut wanted = Vec::new();
    for link in links {
        match (by_name.get(link.from.as_str()), by_name.get(link.to.as_str())) {
            (Some(&from), Some(&to)) if from != to => {
                let kind = types.resolve(&mut tag_set, &link.kind, str::to_owned);
                wanted.push((link.wanted, kind, from, to));
            }
            _ => {
                warnings.push(format!(
                    "{} links annotations that are not in this file; kept unchanged for export",
                    link.name
                ));
                kept.push(ForeignRecord {
                    format: NAME.to_owned(),
                    record: Value::Object(link.object).to_string(),
                    refers_to: Vec::new(),
                });
            }
        }
    }
    warnings.extend(types.warning());
    let mut project = Project::from_parts(text, source, tag_set, annotations)
        .map_err(|e| FormatError::invalid(&json_file, e.to_string()))?;
    project
        .set_relations(relations_with_ids(wanted))
        .map_err(|e| FormatError::invalid(&json_file, e.to_string()))?;
    project.set_foreign_records(kept);
    Ok(Imported::flagged(project, warnings))
}

/// The annotations with their ids: the number of an id this format wrote
/// (`urn:counterpoint:annotation:7`) when it is free and at most
/// [`MAX_KEPT_ID`], else a new one above all.
fn with_ids(anchored: Vec<(Option<u64>, Annotation)>) -> Vec<Annotation> {
    let mut taken = BTreeSet::new();
    let wanted: Vec<Option<u64>> = anchored
        .iter()
        .map(|(w, _)| w.filter(|n| (1..=MAX_KEPT_ID).contains(n) && taken.insert(*n)))
        .collect();
    let mut next = taken.last().map_or(1, |n| n + 1);
    anchored
        .into_iter()
        .zip(wanted)
        .map(|((_, mut annotation), wanted)| {
            annotation.id = AnnotationId(wanted.unwrap_or_else(|| {
                next += 1;
                next - 1
            }));
            annotation
        })
        .collect()
}

/// Relations with the id number their item asked for when free, else new ones above all.
fn relations_with_ids(wanted: Vec<(Option<u64>, RelationTypeId, AnnotationId, AnnotationId)>) -> Vec<Relation> {
    let mut taken = BTreeSet::new();
    let kept: Vec<Option<u64>> = wanted
        .iter()
        .map(|(w, ..)| w.filter(|n| (1..=MAX_KEPT_ID).contains(n) && taken.insert(*n)))
        .collect();
    let mut next = taken.last().map_or(1, |n| n + 1);
    wanted
        .into_iter()
        .zip(kept)
        .map(|((_, kind, from, to), kept)| Relation {
            id: RelationId(kept.unwrap_or_else(|| {
                next += 1;
                next - 1
            })),
            kind,
            from,
            to,
        })
        .collect()
}

/// A `linking` annotation between two targets named by IRI, resolved once every annotation is read.
struct PendingLink {
    name: String,
    wanted: Option<u64>,
    kind: String,
    from: String,
    to: String,
    object: Map<String, Value>,
}

/// One import in progress, fed one annotation at a time.
struct Importer<'t> {
    anchoring: Anchoring<'t>,
    our_source: String,
    resolver: TagResolver,
    warnings: Vec<String>,
    quotes: QuoteCheck,
    /// Each anchored annotation, with the id number it asked for.
    anchored: Vec<(Option<u64>, Annotation)>,
    /// The `id` of each anchored annotation's item, which links name.
    names: Vec<Option<String>>,
    links: Vec<PendingLink>,
    seen: SeenAttributes,
    kept: Vec<ForeignRecord>,
    /// How many items have been read.
    items: usize,
}

impl Importer<'_> {
    /// Anchors one item of the document, or keeps it for export.
    fn item(&mut self, value: Value) {
        self.items += 1;
        let number = self.items;
        let Value::Object(object) = value else {
            self.warnings
                .push(format!("item {number} is not a JSON object; left out"));
            return;
        };
        let name = object
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("annotation {number}"), |id| echo(id).to_string());
        if let Some(link) = pending_link(&object) {
            self.links.push(PendingLink { name, object, ..link });
            return;
        }
        let outcome = self.anchoring.anchor(object.get("target"));
        match (&outcome.placed, outcome.quote_in_text) {
            (_, Some(true)) => self.quotes.agrees(),
            (Err(reason), Some(false)) => self.quotes.disagrees(format!("{name}: {reason}")),
            _ => {}
        }
        let (span, note) = match outcome.placed {
            Ok(placed) => placed,
            Err(reason) => {
                self.warnings.push(format!(
                    "{name} marks no span of this text ({reason}); kept unchanged for export"
                ));
                self.kept.push(ForeignRecord {
                    format: NAME.to_owned(),
                    record: Value::Object(object).to_string(),
                    refers_to: Vec::new(),
                });
                return;
            }
        };
        if let Some(note) = note {
            self.warnings.push(format!("{name}: {note}"));
        }
        let target_source = object
            .get("target")
            .and_then(|t| t.get("source"))
            .and_then(Value::as_str);
        if let Some(other) = target_source.filter(|s| s.starts_with("urn:sha256:") && *s != self.our_source) {
            self.warnings.push(format!(
                "{name} was made on another file ({}); its selectors fit this text and were used",
                echo(other)
            ));
        }
        let bodies = read_bodies(&object);
        if !bodies.left_out.is_empty() {
            self.warnings
                .push(format!("{name}: left out {}", bodies.left_out.join(", ")));
        }
        let wanted = object
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| id.strip_prefix(ID_PREFIX)?.parse::<u64>().ok());
        let mut annotation = Annotation::new(AnnotationId(0), span);
        annotation.tags = bodies.tags.iter().map(|t| self.resolver.resolve(t)).collect();
        annotation.counter_claims = bodies.claims;
        for (name, value, text) in bodies.attributes {
            match (text, value == FLAG_SET) {
                (true, _) => self.seen.text(&name),
                (false, true) => self.seen.flag(&name),
                (false, false) => self.seen.choice(&name, &value),
            }
            annotation.attributes.insert(name, value);
        }
        self.names
            .push(object.get("id").and_then(Value::as_str).map(str::to_owned));
        self.anchored.push((wanted, annotation));
    }
}

/// A `linking` annotation with two targets named by IRI and a `tagging`
/// body: a relation, once both targets are found among the annotations.
fn pending_link(object: &Map<String, Value>) -> Option<PendingLink> {
    if object.get("motivation").and_then(Value::as_str) != Some("linking") {
        return None;
    }
    let Some(Value::Array(targets)) = object.get("target") else {
        return None;
    };
    let iri = |target: &Value| {
        target
            .as_str()
            .or_else(|| target.get("id").and_then(Value::as_str))
            .map(str::to_owned)
    };
    let [from, to] = &targets[..] else { return None };
    let kind = match object.get("body")? {
        Value::Array(bodies) if bodies.len() == 1 => bodies[0].get("value"),
        body => body.get("value"),
    }?
    .as_str()?
    .to_owned();
    Some(PendingLink {
        name: String::new(),
        wanted: object
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| id.strip_prefix(RELATION_ID_PREFIX)?.parse().ok()),
        kind,
        from: iri(from)?,
        to: iri(to)?,
        object: Map::new(),
    })
}

/// The whole document: one annotation, an array of them, a page or a collection.
struct Document<'i, 't>(&'i mut Importer<'t>);

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Web Annotation document (a JSON object or array)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, items: A) -> Result<(), A::Error> {
        Items(self.0).visit_seq(items)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = Map::new();
        let mut paged = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "items" => {
                    map.next_value_seed(Items(&mut *self.0))?;
                    paged = true;
                }
                "first" => {
                    map.next_value_seed(Page(&mut *self.0))?;
                    paged = true;
                }
                _ => {
                    rest.insert(key, map.next_value()?);
                }
            }
        }
        let kind = rest.get("type").and_then(Value::as_str).unwrap_or_default();
        if !paged && rest.contains_key("target") {
            self.0.item(Value::Object(rest));
        } else if !paged && !matches!(kind, "AnnotationCollection" | "AnnotationPage") {
            return Err(de::Error::custom(
                "this is not a Web Annotation, an AnnotationPage or an AnnotationCollection",
            ));
        }
        Ok(())
    }
}

/// A page's `items`: each annotation read as it comes.
struct Items<'i, 't>(&'i mut Importer<'t>);

impl<'de> DeserializeSeed<'de> for Items<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of annotations")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        while let Some(item) = items.next_element::<Value>()? {
            self.0.item(item);
        }
        Ok(())
    }
}

/// A collection's `first` page or a page's `next`: embedded (read) or an IRI (named as not read).
struct Page<'i, 't>(&'i mut Importer<'t>);

impl<'de> DeserializeSeed<'de> for Page<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Page<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an AnnotationPage or its IRI")
    }

    fn visit_str<E: de::Error>(self, iri: &str) -> Result<(), E> {
        self.0
            .warnings
            .push(format!("the page {} is not in this file and was not read", echo(iri)));
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "items" => map.next_value_seed(Items(&mut *self.0))?,
                "next" => map.next_value_seed(Page(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The tags, counter-claims, attribute values and left-out body kinds of one annotation.
struct Bodies {
    tags: Vec<String>,
    claims: Vec<CounterClaim>,
    /// Name, value, and whether it was free text (`describing`).
    attributes: Vec<(String, String, bool)>,
    left_out: Vec<String>,
}

fn read_bodies(annotation: &Map<String, Value>) -> Bodies {
    let motivation = annotation.get("motivation").and_then(Value::as_str);
    let mut bodies = Bodies {
        tags: Vec::new(),
        claims: Vec::new(),
        attributes: Vec::new(),
        left_out: Vec::new(),
    };
    if let Some(value) = annotation.get("bodyValue").and_then(Value::as_str) {
        match motivation {
            Some("tagging") => bodies.tags.push(value.to_owned()),
            _ => bodies.claims.push(CounterClaim::new(value)),
        }
    }
    let listed: Vec<&Value> = match annotation.get("body") {
        Some(Value::Array(all)) => all.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for body in listed {
        let purpose = body.get("purpose").and_then(Value::as_str).or(motivation);
        let kind = body.get("type").and_then(Value::as_str).unwrap_or_default();
        let value = body.get("value").and_then(Value::as_str);
        let link = body.get("source").or_else(|| body.get("id")).and_then(Value::as_str);
        match (kind, purpose, value, link) {
            ("TextualBody", Some("tagging"), Some(value), _) => bodies.tags.push(value.to_owned()),
            ("TextualBody", Some("commenting"), Some(value), _) => bodies.claims.push(CounterClaim::new(value)),
            ("TextualBody", Some("classifying"), Some(value), _) => {
                let (name, value) = attribute_of(value);
                bodies.attributes.push((name.to_owned(), value.to_owned(), false));
            }
            ("TextualBody", Some("describing"), Some(value), _) if value.contains(ATTRIBUTE_SEPARATOR) => {
                let (name, value) = attribute_of(value);
                bodies.attributes.push((name.to_owned(), value.to_owned(), true));
            }
            (_, Some("linking"), _, Some(link)) if !bodies.claims.is_empty() => {
                if let Some(claim) = bodies.claims.last_mut() {
                    claim.sources.push(link.to_owned());
                }
            }
            _ => bodies.left_out.push(match (body.as_str(), purpose) {
                (Some(iri), _) => format!("the body {}", echo(iri)),
                (None, Some(purpose)) => format!("a {} body with purpose {}", echo(kind), echo(purpose)),
                (None, None) => format!("a {} body", echo(kind)),
            }),
        }
    }
    bodies
}
