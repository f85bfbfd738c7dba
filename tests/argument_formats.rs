//! Argument structure through the interchange formats: the hand-made essay
//! in the Argument Annotated Essays layout (`tests/fixtures/argument-essay`)
//! imports with its relations and stance attributes first-class and exports
//! back the same lines.

#![allow(clippy::unwrap_used)]

use counterpoint::formats::{ImportInput, Imported, InputFile, brat};
use counterpoint::model::attributes::AttributeKind;
use counterpoint::model::edit::Edit;
use counterpoint::model::history::History;
use counterpoint::model::tag_set::{TagId, TagSet};
use counterpoint::project_file;

const TEXT: &[u8] = include_bytes!("fixtures/argument-essay/essay.txt");
const ANN: &str = include_str!("fixtures/argument-essay/essay.ann");

fn import_essay(ann: &str) -> Imported {
    let input = ImportInput::Standoff {
        text: InputFile {
            path: Some("essay.txt"),
            bytes: TEXT,
        },
        annotations: InputFile {
            path: Some("essay.ann"),
            bytes: ann.as_bytes(),
        },
    };
    brat::FORMAT.import(input, TagSet::default_set()).unwrap()
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines
}

#[test]
fn an_argument_essay_imports_with_its_links_and_stances_and_exports_back() {
    let imported = import_essay(ANN);
    let project = &imported.project;
    assert!(
        project.foreign_records().is_empty(),
        "nothing kept: all of it is first-class"
    );
    assert_eq!(project.annotation_count(), 8);
    let links: Vec<(String, u64, u64)> = project
        .relations()
        .map(|r| (r.kind.to_string(), r.from.0, r.to.0))
        .collect();
    assert_eq!(
        links,
        [
            ("supports".to_owned(), 3, 2),
            ("supports".to_owned(), 4, 2),
            ("supports".to_owned(), 6, 5),
            ("attacks".to_owned(), 7, 5),
        ]
    );
    // The default set's supports and attacks are used, not copies of them.
    assert_eq!(project.tag_set().relation_types.len(), 4);
    let stance = |id: u64| {
        project
            .annotation(counterpoint::model::annotation::AnnotationId(id))
            .unwrap()
            .attributes["Stance"]
            .clone()
    };
    assert_eq!((stance(2), stance(5)), ("For".to_owned(), "Against".to_owned()));
    let claim = project.tag_set().get(&TagId("Claim".into())).unwrap();
    let declared = claim.attributes.iter().find(|d| d.name == "Stance").unwrap();
    assert_eq!(
        declared.kind,
        AttributeKind::Choice(vec!["Against".into(), "For".into()])
    );
    for tag in ["MajorClaim", "Premise"] {
        assert!(project.tag_set().get(&TagId(tag.into())).is_some(), "{tag}");
    }
    let report = project_file::check_str(&project_file::to_ron_string(project).unwrap()).unwrap();
    assert!(report.problems.is_empty() && report.warnings.is_empty(), "{report:?}");
    let exported = brat::FORMAT.export(project).unwrap();
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
    assert_eq!(
        sorted_lines(std::str::from_utf8(&exported.main).unwrap()),
        sorted_lines(ANN)
    );
    assert_eq!(exported.text.unwrap(), TEXT);
}

#[test]
fn the_essay_survives_the_project_file_and_an_edit_is_exported() {
    let project = import_essay(ANN).project;
    let saved = project_file::to_ron_string(&project).unwrap();
    assert!(saved.contains("(id: 4, kind: \"attacks\", from: 7, to: 5),"), "{saved}");
    assert!(saved.contains("attributes: {\"Stance\": \"For\"}"), "{saved}");
    let mut loaded = project_file::from_ron_str(&saved).unwrap();
    assert_eq!(loaded, project);
    // Deleting the attacked claim takes both links to it; the export has neither.
    let mut history = History::new();
    let claim = counterpoint::model::annotation::AnnotationId(5);
    history.apply(&mut loaded, Edit::RemoveAnnotation(claim), None).unwrap();
    let exported = String::from_utf8(brat::FORMAT.export(&loaded).unwrap().main).unwrap();
    assert!(
        !exported.contains("Arg2:T5") && !exported.contains("Against"),
        "{exported}"
    );
    assert_eq!(exported.lines().filter(|l| l.starts_with('R')).count(), 2);
    history.undo(&mut loaded).unwrap();
    assert_eq!(loaded, project);
}

#[test]
fn an_event_is_links_from_its_trigger_and_goes_back_as_the_event_while_they_last() {
    let ann = format!("{ANN}T9\tCause 394 398\tMost\nE1\tCause:T9 Result:T2 Result2:T4\n");
    let imported = import_essay(&ann);
    let project = &imported.project;
    let from_trigger: Vec<(&str, u64)> = project
        .relations()
        .filter(|r| r.from.0 == 9)
        .map(|r| (r.kind.as_str(), r.to.0))
        .collect();
    assert_eq!(from_trigger, [("Result", 2), ("Result", 4)]);
    assert!(
        imported.warnings.iter().any(|w| w.contains("\"E1\"")),
        "{:?}",
        imported.warnings
    );
    let exported = String::from_utf8(brat::FORMAT.export(project).unwrap().main).unwrap();
    assert_eq!(sorted_lines(&exported), sorted_lines(&ann));
    // One of its links removed: the event cannot be written whole, the link left is an R line.
    let mut changed = project.clone();
    let link = project.relations().find(|r| r.from.0 == 9 && r.to.0 == 4).unwrap().id;
    Edit::RemoveRelation(link).apply(&mut changed).unwrap();
    let exported = brat::FORMAT.export(&changed).unwrap();
    let text = String::from_utf8(exported.main).unwrap();
    assert!(
        !text.contains("E1\t") && text.contains("Result Arg1:T9 Arg2:T2"),
        "{text}"
    );
    assert!(
        exported.warnings.iter().any(|w| w.contains("\"E1\"")),
        "{:?}",
        exported.warnings
    );
}

/// The essay through W3C Web Annotation and back: relations are `linking`
/// annotations targeting the two annotations, attributes `classifying` or
/// `describing` bodies; all come back as they were.
#[test]
fn relations_and_attributes_round_trip_through_w3c() {
    use counterpoint::formats::w3c;
    use counterpoint::model::attributes::FLAG_SET;

    let mut project = import_essay(ANN).project;
    let claim = counterpoint::model::annotation::AnnotationId(2);
    for (name, value) in [("Negated", FLAG_SET), ("Verdict", "Mostly false")] {
        Edit::set_attribute(&project, claim, name, Some(value.into()))
            .unwrap()
            .apply(&mut project)
            .unwrap();
    }
    let exported = w3c::FORMAT.export(&project).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&exported.main).unwrap();
    let items = json["first"]["items"].as_array().unwrap();
    let link = items.iter().find(|i| i["motivation"] == "linking").unwrap();
    assert_eq!(
        link["target"],
        serde_json::json!(["urn:counterpoint:annotation:3", "urn:counterpoint:annotation:2"])
    );
    assert_eq!(link["body"]["value"], "supports");
    let bodies = &items
        .iter()
        .find(|i| i["id"] == "urn:counterpoint:annotation:2")
        .unwrap()["body"];
    let values: Vec<(&str, &str)> = bodies
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["purpose"].as_str().unwrap(), b["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        values,
        [
            ("tagging", "Claim"),
            ("classifying", "Negated"),
            ("classifying", "Stance: For"),
            ("classifying", "Verdict: Mostly false"),
        ]
    );
    let input = ImportInput::Standoff {
        text: InputFile {
            path: Some("essay.txt"),
            bytes: TEXT,
        },
        annotations: InputFile {
            path: Some("essay.jsonld"),
            bytes: &exported.main,
        },
    };
    let back = w3c::FORMAT.import(input, TagSet::default_set()).unwrap().project;
    assert!(back.foreign_records().is_empty());
    assert_eq!(
        back.relations().collect::<Vec<_>>(),
        project.relations().collect::<Vec<_>>()
    );
    for (a, b) in back.annotations().zip(project.annotations()) {
        assert_eq!(
            (a.id, a.span, &a.tags, &a.attributes),
            (b.id, b.span, &b.tags, &b.attributes)
        );
    }
    assert_eq!(w3c::FORMAT.export(&back).unwrap().main, exported.main);
}

/// JSONL carries a `relations` list on the document's line and attribute
/// values on each span; CSV writes the values in a column and the relations
/// in a second CSV.
#[test]
fn jsonl_and_csv_carry_relations_and_attributes() {
    use counterpoint::formats::{csv, jsonl};

    let mut project = import_essay(ANN).project;
    Edit::set_document_label(&project, "URL", Some("https://example.org/essay".into()))
        .unwrap()
        .apply(&mut project)
        .unwrap();
    let line: serde_json::Value = serde_json::from_slice(&jsonl::FORMAT.export(&project).unwrap().main).unwrap();
    assert_eq!(line["relations"].as_array().unwrap().len(), 4);
    assert_eq!(
        line["relations"][3],
        serde_json::json!({"id": 4, "type": "attacks", "from": 7, "to": 5})
    );
    assert_eq!(line["document_labels"]["URL"], "https://example.org/essay");
    let claim = line["spans"].as_array().unwrap().iter().find(|s| s["id"] == 2).unwrap();
    assert_eq!(claim["attributes"], serde_json::json!({"Stance": "For"}));

    let exported = csv::FORMAT.export(&project).unwrap();
    let rows = String::from_utf8(exported.main).unwrap();
    assert!(rows.starts_with("id,start_char,end_char,quote,tags,counter_claims,sources,attributes\n"));
    assert!(rows.contains(",Claim,,,Stance: For\n"), "{rows}");
    let (extension, relations) = exported.companion.unwrap();
    assert_eq!(extension, "relations.csv");
    let relations = String::from_utf8(relations).unwrap();
    let lines: Vec<&str> = relations.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0], "id,type,from,to,from_quote,to_quote");
    assert_eq!(
        lines[4],
        "4,attacks,7,5,\"the towns that closed their centres report more visitors on foot, not fewer\",a car-free centre drives shoppers away"
    );
}

mod random {
    use super::*;
    use counterpoint::formats::w3c;
    use counterpoint::model::annotation::{Annotation, AnnotationId};
    use counterpoint::model::attributes::FLAG_SET;
    use counterpoint::model::project::{Project, SourceInfo};
    use counterpoint::model::relations::{Relation, RelationId, RelationTypeId};
    use counterpoint::model::span::Span;
    use proptest::prelude::*;

    /// A project of single-tagged annotations with attribute values and relations between them.
    fn project(text: &str, picks: &[(usize, usize, bool, u8)], links: &[(usize, usize, u8)]) -> Project {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let annotations: Vec<Annotation> = picks
            .iter()
            .enumerate()
            .map(|(i, &(a, b, claim, values))| {
                let (a, b) = (boundaries[a % boundaries.len()], boundaries[b % boundaries.len()]);
                let mut annotation = Annotation::new(AnnotationId(i as u64 * 2 + 1), Span::new(a.min(b), a.max(b)));
                annotation
                    .tags
                    .push(TagId(if claim { "Claim" } else { "Evidence" }.into()));
                let confidence = ["Low", "Medium", "High"][usize::from(values % 3)];
                if values & 4 != 0 {
                    annotation.attributes.insert("Confidence".into(), confidence.into());
                }
                if claim && values & 8 != 0 {
                    annotation.attributes.insert("Negated".into(), FLAG_SET.into());
                }
                if claim && values & 16 != 0 {
                    annotation.attributes.insert("Verdict".into(), "Mostly false".into());
                }
                annotation
            })
            .collect();
        let ids: Vec<AnnotationId> = annotations.iter().map(|a| a.id).collect();
        let mut project = Project::from_parts(
            text.into(),
            SourceInfo::of_text(text),
            TagSet::default_set(),
            annotations,
        )
        .unwrap();
        let kinds = ["supports", "attacks", "rebuts", "same-claim"];
        let relations: Vec<Relation> = links
            .iter()
            .enumerate()
            .filter(|_| ids.len() > 1)
            .map(|(i, &(from, step, kind))| {
                let from = from % ids.len();
                let to = (from + 1 + step % (ids.len() - 1)) % ids.len();
                Relation {
                    id: RelationId(i as u64 * 3 + 2),
                    kind: RelationTypeId(kinds[usize::from(kind) % kinds.len()].into()),
                    from: ids[from],
                    to: ids[to],
                }
            })
            .collect();
        project.set_relations(relations).unwrap();
        project
    }

    /// Each annotation's id, span, tags and attribute values.
    type Spans = Vec<(AnnotationId, Span, Vec<TagId>, Vec<(String, String)>)>;

    fn facts(project: &Project) -> (Spans, Vec<Relation>) {
        let annotations = project
            .annotations()
            .map(|a| {
                let values = a.attributes.iter().map(|(n, v)| (n.clone(), v.clone())).collect();
                (a.id, a.span, a.tags.clone(), values)
            })
            .collect();
        (annotations, project.relations().cloned().collect())
    }

    proptest! {
        /// Random projects with relations and attributes come back the same
        /// through brat and through W3C, and export the same bytes again.
        #[test]
        fn relations_and_attributes_round_trip_through_brat_and_w3c(
            text in "[a-zA-Z .,\n]{10,60}",
            picks in proptest::collection::vec((0usize..80, 0usize..80, any::<bool>(), any::<u8>()), 0..8),
            links in proptest::collection::vec((0usize..8, 0usize..8, any::<u8>()), 0..10),
        ) {
            let project = project(&text, &picks, &links);
            let brat_files = brat::FORMAT.export(&project).unwrap();
            // "Mostly false" is written Mostly_false, said so, and read back as the declared value.
            prop_assert!(brat_files.warnings.iter().all(|w| w.contains("written with _")), "{:?}", brat_files.warnings);
            let input = ImportInput::Standoff {
                text: InputFile { path: None, bytes: brat_files.text.as_deref().unwrap() },
                annotations: InputFile { path: None, bytes: &brat_files.main },
            };
            let from_brat = brat::FORMAT.import(input, TagSet::default_set()).unwrap().project;
            prop_assert_eq!(facts(&from_brat), facts(&project));
            prop_assert_eq!(brat::FORMAT.export(&from_brat).unwrap().main, brat_files.main);

            let w3c_file = w3c::FORMAT.export(&project).unwrap().main;
            let input = ImportInput::Standoff {
                text: InputFile { path: None, bytes: text.as_bytes() },
                annotations: InputFile { path: None, bytes: &w3c_file },
            };
            let from_w3c = w3c::FORMAT.import(input, TagSet::default_set()).unwrap().project;
            prop_assert_eq!(facts(&from_w3c), facts(&project));
            prop_assert_eq!(w3c::FORMAT.export(&from_w3c).unwrap().main, w3c_file);
        }
    }
}

/// `counterpoint check` names a relation whose annotation is gone (a
/// problem: the file does not load) and a value its declaration does not
/// allow (a warning: the file loads).
#[test]
fn check_names_dangling_relations_and_undeclared_values() {
    let saved = project_file::to_ron_string(&import_essay(ANN).project).unwrap();
    let broken = saved
        .replace(
            "kind: \"attacks\", from: 7, to: 5",
            "kind: \"attacks\", from: 99, to: 5",
        )
        .replace(
            "kind: \"supports\", from: 6, to: 5",
            "kind: \"refutes\", from: 6, to: 5",
        )
        .replace("{\"Stance\": \"For\"}", "{\"Stance\": \"Maybe\"}");
    assert_ne!(broken, saved);
    let report = project_file::check_str(&broken).unwrap();
    assert_eq!(report.problems.len(), 2, "{report:?}");
    assert!(
        report.problems[0].contains("relation R3 has the type \"refutes\", which is not in the tag set"),
        "{report:?}"
    );
    assert!(
        report.problems[1].contains("relation R4 links annotation #99, which does not exist"),
        "{report:?}"
    );
    assert_eq!(report.warnings.len(), 1, "{report:?}");
    assert!(
        report.warnings[0].contains("annotation #2: \"Stance\" takes one of \"Against\", \"For\", not \"Maybe\""),
        "{report:?}"
    );
    let error = project_file::from_ron_str(&broken).unwrap_err().to_string();
    assert!(error.contains("relation R3"), "{error}");
}
