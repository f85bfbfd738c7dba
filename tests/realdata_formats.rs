//! The real files in `tests/fixtures/realdata` (copies of public files from
//! brat, `DKPro` Core, the W3C and 18F, see its `README.md`) import without
//! loss, export back equal, and carry annotations across real revisions.

#![allow(clippy::unwrap_used)]

use counterpoint::formats::{Format, ImportInput, Imported, InputFile, brat, w3c};
use counterpoint::model::edit::Edit;
use counterpoint::model::tag_set::{TagId, TagSet};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/realdata");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{path}")).unwrap()
}

fn import(format: &Format, text: &[u8], annotations: &[u8]) -> Imported {
    let input = ImportInput::Standoff {
        text: InputFile {
            path: Some("doc.txt"),
            bytes: text,
        },
        annotations: InputFile {
            path: Some("doc.ann"),
            bytes: annotations,
        },
    };
    format.import(input, TagSet::default_set()).unwrap()
}

/// The lines of a `.ann` file, sorted, with the numbers of attribute lines
/// left out: export numbers them afresh (`A1`, `A2`, … by annotation, then
/// by attribute name), as the model keeps values, not brat's ids for them.
fn brat_lines(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = sorted_lines(bytes)
        .into_iter()
        .map(|line| match line.strip_prefix('A') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
                format!("A#{}", rest.trim_start_matches(|c: char| c.is_ascii_digit()))
            }
            _ => line,
        })
        .collect();
    lines.sort();
    lines
}

fn sorted_lines(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

const TUTORIALS: [&str; 3] = [
    "brat-tutorial/000-introduction",
    "brat-tutorial/100-attribute_annotation",
    "brat-tutorial/110-note_annotation",
];

#[test]
fn brat_tutorial_files_export_back_the_same_lines() {
    for name in TUTORIALS {
        let (text, ann) = (read(&format!("{name}.txt")), read(&format!("{name}.ann")));
        let imported = import(&brat::FORMAT, &text, &ann);
        let project = &imported.project;
        // Every T line is an annotation whose quote is the line's text.
        let t_lines = sorted_lines(&ann).into_iter().filter(|l| l.starts_with('T')).count();
        assert_eq!(project.annotation_count(), t_lines, "{name}");
        let exported = brat::FORMAT.export(project).unwrap();
        assert_eq!(brat_lines(&exported.main), brat_lines(&ann), "{name}");
        assert_eq!(exported.text.unwrap(), text, "{name}");
        assert!(exported.warnings.is_empty(), "{name}: {:?}", exported.warnings);
        // Nothing silently dropped: the kept lines are named in a warning.
        assert!(
            imported
                .warnings
                .iter()
                .any(|w| w.contains("kept unchanged for export")),
            "{name}"
        );
    }
}

#[test]
fn brat_notes_are_counter_claims_and_the_quotes_match() {
    let text = read("brat-tutorial/000-introduction.txt");
    let imported = import(&brat::FORMAT, &text, &read("brat-tutorial/000-introduction.ann"));
    let project = &imported.project;
    let money = project
        .annotations()
        .find(|a| a.span.quote(project.text()) == Some("$100 million"))
        .unwrap();
    assert_eq!(money.id.0, 2);
    assert_eq!(money.counter_claims[0].text, "100000000 USD");
    assert_eq!(money.tags[0].as_str(), "Money");
}

#[test]
fn brat_offsets_hold_when_the_text_has_crlf_line_breaks() {
    // brat reads with universal newlines, so the same .ann fits the CRLF copy of the text.
    for name in TUTORIALS {
        let text = read(&format!("{name}.txt"));
        let crlf = String::from_utf8(text.clone()).unwrap().replace('\n', "\r\n");
        let ann = read(&format!("{name}.ann"));
        let lf = import(&brat::FORMAT, &text, &ann);
        let imported = import(&brat::FORMAT, crlf.as_bytes(), &ann);
        assert!(!imported.warnings.iter().any(|w| w.contains("quotes")), "{name}");
        let quotes = |i: &Imported| {
            i.project
                .annotations()
                .map(|a| a.span.quote(i.project.text()).unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(quotes(&imported), quotes(&lf), "{name}");
        let exported = brat::FORMAT.export(&imported.project).unwrap();
        assert_eq!(brat_lines(&exported.main), brat_lines(&ann), "{name}");
        assert_eq!(exported.text.unwrap(), crlf.as_bytes());
    }
}

/// The (type, offsets, text) of each T line, ids left out.
fn text_bound_facts(ann: &[u8]) -> Vec<String> {
    let mut facts: Vec<String> = sorted_lines(ann)
        .into_iter()
        .filter(|l| l.starts_with('T'))
        .map(|l| l.split_once('\t').unwrap().1.to_owned())
        .collect();
    facts.sort();
    facts
}

#[test]
fn a_discontinuous_span_round_trips_and_splits_as_dkpro_does_once_edited_apart() {
    let text = read("dkpro-brat-discontinuous/document0d.txt");
    let ann = read("dkpro-brat-discontinuous/document0d.ann");
    let imported = import(&brat::FORMAT, &text, &ann);
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.starts_with("line 2: \"T2\" is discontinuous (2 fragments)")),
        "{:?}",
        imported.warnings
    );
    let exported = brat::FORMAT.export(&imported.project).unwrap();
    assert_eq!(sorted_lines(&exported.main), sorted_lines(&ann));
    // Once one fragment is tagged apart, the fragments are written separately:
    // the T lines then equal DKPro's own split reference, up to id renumbering.
    let mut apart = imported.project.clone();
    let second = apart.annotations().find(|a| a.span.start.0 == 9).unwrap().id;
    Edit::InsertTag {
        id: second,
        index: 1,
        tag: TagId("Claim".into()),
    }
    .apply(&mut apart)
    .unwrap();
    Edit::RemoveTag {
        id: second,
        tag: TagId("Claim".into()),
    }
    .apply(&mut apart)
    .unwrap();
    let exported = brat::FORMAT.export(&apart).unwrap();
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
    assert_eq!(
        sorted_lines(&exported.main),
        sorted_lines(&ann),
        "same tags again: joined"
    );
    Edit::InsertTag {
        id: second,
        index: 1,
        tag: TagId("Claim".into()),
    }
    .apply(&mut apart)
    .unwrap();
    let exported = brat::FORMAT.export(&apart).unwrap();
    assert_eq!(exported.warnings.len(), 1, "{:?}", exported.warnings);
    let mut reference = text_bound_facts(&read("dkpro-brat-discontinuous/document0d-ref.ann"));
    reference.push("Claim 9 10\tn".to_owned());
    reference.sort();
    assert_eq!(text_bound_facts(&exported.main), reference);
}

fn json(path: &str) -> Value {
    serde_json::from_slice(&read(path)).unwrap()
}

fn exported_items(project: &counterpoint::model::project::Project) -> Vec<Value> {
    let collection: Value = serde_json::from_slice(&w3c::export(project)).unwrap();
    collection["first"]["items"].as_array().unwrap().clone()
}

#[test]
fn w3c_examples_that_mark_no_span_of_our_text_are_kept_and_written_back() {
    let text = "A short text of ours.";
    for (name, reason) in [
        ("anno15", "targets \"http://example.com/page1\" as a whole"),
        ("anno24", "does not fit this text"),
        ("anno38", "\"FragmentSelector\""),
    ] {
        let path = format!("w3c-web-annotation/{name}.json");
        let imported = import(&w3c::FORMAT, text.as_bytes(), &read(&path));
        assert_eq!(imported.project.annotation_count(), 0, "{name}");
        assert_eq!(imported.warnings.len(), 1, "{name}: {:?}", imported.warnings);
        assert!(imported.warnings[0].contains(reason), "{name}: {:?}", imported.warnings);
        assert_eq!(exported_items(&imported.project), [json(&path)], "{name}");
    }
}

#[test]
fn a_w3c_position_selector_anchors_on_a_text_long_enough() {
    let text: String = (0..900)
        .map(|i| char::from(b'a' + u8::try_from(i % 26).unwrap()))
        .collect();
    let imported = import(&w3c::FORMAT, text.as_bytes(), &read("w3c-web-annotation/anno24.json"));
    let annotation = imported.project.annotations().next().unwrap();
    assert_eq!((annotation.span.start.0, annotation.span.end.0), (412, 795));
    assert!(
        imported.warnings[0].contains("left out the body \"http://example.org/review1\""),
        "{:?}",
        imported.warnings
    );
    let item = &exported_items(&imported.project)[0];
    assert_eq!(
        item["target"]["selector"][0],
        json("w3c-web-annotation/anno24.json")["target"]["selector"]
    );
}

#[test]
fn kept_brat_lines_survive_the_project_file() {
    let name = TUTORIALS[0];
    let (text, ann) = (read(&format!("{name}.txt")), read(&format!("{name}.ann")));
    let project = import(&brat::FORMAT, &text, &ann).project;
    let saved = counterpoint::project_file::to_ron_string(&project).unwrap();
    let loaded = counterpoint::project_file::from_ron_str(&saved).unwrap();
    assert_eq!(loaded, project);
    assert_eq!(counterpoint::project_file::to_ron_string(&loaded).unwrap(), saved);
    assert_eq!(
        brat_lines(&brat::FORMAT.export(&loaded).unwrap().main),
        brat_lines(&ann)
    );
}

#[test]
fn kept_brat_lines_are_reported_when_exporting_to_another_format() {
    let name = TUTORIALS[0];
    let project = import(
        &brat::FORMAT,
        &read(&format!("{name}.txt")),
        &read(&format!("{name}.ann")),
    )
    .project;
    let exported = w3c::FORMAT.export(&project).unwrap();
    assert_eq!(
        exported.warnings,
        [
            "3 record(s) kept from a brat import (relations, events, unanchored annotations, layout) cannot be written in w3c and are left out"
        ]
    );
}

/// The scenario: one fragment of a discontinuous span deleted, a new
/// span tagged with the same type. The new span gets a fresh id (never the
/// deleted fragment's), so it is its own T line; the deletion took the
/// fragment grouping with it, and undoing it brings both back.
#[test]
fn a_new_span_after_deleting_a_fragment_is_its_own_brat_line() {
    use counterpoint::model::history::History;
    use counterpoint::model::span::Span;

    let text = read("dkpro-brat-discontinuous/document0d.txt");
    let ann = read("dkpro-brat-discontinuous/document0d.ann");
    let mut project = import(&brat::FORMAT, &text, &ann).project;
    let original = project.clone();
    let mut history = History::new();
    let fragment = project.annotations().find(|a| a.span.start.0 == 9).unwrap().id;
    history
        .apply(&mut project, Edit::RemoveAnnotation(fragment), None)
        .unwrap();
    // Saved and opened again in between: the next id is kept in the file.
    let saved = counterpoint::project_file::to_ron_string(&project).unwrap();
    let mut project = counterpoint::project_file::from_ron_str(&saved).unwrap();
    let other = String::from_utf8(text.clone()).unwrap().find("other").unwrap();
    let (edit, new_id) = Edit::tag_span(&project, Span::new(other, other + 5), TagId("Token".into())).unwrap();
    assert_ne!(new_id, fragment, "a deleted annotation's id is never given again");
    edit.apply(&mut project).unwrap();
    let exported = brat::FORMAT.export(&project).unwrap();
    let lines = sorted_lines(&exported.main);
    assert!(lines.contains(&"T2\tToken 5 7\tis".to_owned()), "{lines:?}");
    assert!(
        lines.contains(&format!("T{}\tToken 11 16\tother", new_id.0)),
        "{lines:?}"
    );
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);

    let mut project = original.clone();
    let mut history = History::new();
    history
        .apply(&mut project, Edit::RemoveAnnotation(fragment), None)
        .unwrap();
    assert!(history.undo(&mut project).unwrap());
    assert_eq!(project, original, "undo brings back the fragment and its grouping");
    assert_eq!(
        sorted_lines(&brat::FORMAT.export(&project).unwrap().main),
        sorted_lines(&ann)
    );
}

/// Deleting an annotation that kept brat lines name (an event, relations,
/// attributes, a normalization) deletes those lines in the same edit; undo
/// brings them back and the export is as imported again.
#[test]
fn deleting_an_annotation_deletes_the_kept_brat_lines_that_name_it() {
    use counterpoint::model::annotation::AnnotationId;
    use counterpoint::model::history::History;

    let name = TUTORIALS[0];
    let ann = read(&format!("{name}.ann"));
    let mut project = import(&brat::FORMAT, &read(&format!("{name}.txt")), &ann).project;
    let original = project.clone();
    let mut history = History::new();
    // T5 "former Mexican president": named by R1 (a relation), A3 and A4
    // (its attribute values) and the kept N1.
    history
        .apply(&mut project, Edit::RemoveAnnotation(AnnotationId(5)), None)
        .unwrap();
    let kept: Vec<&str> = project.foreign_records_of("brat").collect();
    assert!(!kept.iter().any(|line| line.starts_with("N1\t")), "{kept:?}");
    for stays in ["E1\t", "A5\t"] {
        assert!(kept.iter().any(|line| line.starts_with(stays)), "{stays}: {kept:?}");
    }
    let kinds: Vec<&str> = project.relations().map(|r| r.kind.as_str()).collect();
    assert!(!kinds.contains(&"Family") && kinds.contains(&"Origin"), "{kinds:?}");
    let exported = brat::FORMAT.export(&project).unwrap();
    assert!(exported.warnings.is_empty(), "nothing dangles: {:?}", exported.warnings);
    let lines = brat_lines(&exported.main);
    assert!(!lines.iter().any(|l| l.contains("T5")), "{lines:?}");
    assert!(lines.contains(&"R2\tOrigin Arg1:T6 Arg2:T7\t".to_owned()), "{lines:?}");
    assert!(history.undo(&mut project).unwrap());
    assert_eq!(project, original);
    assert_eq!(
        brat_lines(&brat::FORMAT.export(&project).unwrap().main),
        brat_lines(&ann)
    );
}

/// What should become of one annotation of a real revision pair.
enum Expect {
    /// Moved exactly onto the `n`th occurrence of its quote in the new text.
    Exactly(usize),
    /// Moved by its quote onto the `n`th occurrence.
    ByQuote(usize),
    /// Needs review for this reason, with a candidate reading this text (or none).
    Review(&'static str, Option<&'static str>),
}

fn check_revision(name: &str, new_file: &str, expected: &[Expect]) {
    use counterpoint::reanchor::Outcome;
    use counterpoint::reanchor::project::reanchor_project;
    let old =
        counterpoint::project_file::load(std::path::Path::new(&format!("{DIR}/18f-revisions/{name}.ron"))).unwrap();
    let new_bytes = read(&format!("18f-revisions/{new_file}"));
    let reanchored = reanchor_project(&old, &new_bytes, Some(new_file.to_owned())).unwrap();
    let new = reanchored.project.text();
    assert_eq!(
        reanchored.report.entries.len(),
        expected.len(),
        "{name}: every annotation has an outcome"
    );
    for ((entry, expect), annotation) in reanchored.report.entries.iter().zip(expected).zip(old.annotations()) {
        let quote = annotation.span.quote(old.text()).unwrap();
        let nth = |n: usize| new.match_indices(quote).nth(n).map(|(at, _)| at);
        let label = format!("{name} {}: {quote:?} → {:?}", entry.id, entry.outcome);
        match (expect, &entry.outcome) {
            (Expect::Exactly(n), Outcome::MovedExactly(span)) | (Expect::ByQuote(n), Outcome::MovedByQuote(span)) => {
                assert_eq!(Some(span.start.0), nth(*n), "{label}");
                assert_eq!(span.quote(new), Some(quote), "{label}");
            }
            (Expect::Review(reason, candidate), Outcome::NeedsReview(review)) => {
                assert_eq!(review.reason.name(), *reason, "{label}");
                assert_eq!(review.old_quote, quote, "{label}");
                assert_eq!(review.candidate.and_then(|span| span.quote(new)), *candidate, "{label}");
            }
            _ => panic!("{label}: expected another outcome"),
        }
    }
    // The marks are in the project, and the file keeps them with the old text's hash.
    for (entry, now) in reanchored.report.entries.iter().zip(reanchored.project.annotations()) {
        let expected = match &entry.outcome {
            Outcome::NeedsReview(review) => Some(counterpoint::model::review::ReviewMark {
                reason: review.reason,
                old_quote: review.old_quote.clone(),
            }),
            Outcome::MovedExactly(_) | Outcome::MovedByQuote(_) => None,
        };
        assert_eq!((now.id, &now.review), (entry.id, &expected), "{name}");
    }
    assert_eq!(
        reanchored.project.source().previous_sha256,
        [old.source().sha256.clone()]
    );
    let saved = counterpoint::project_file::to_ron_string(&reanchored.project).unwrap();
    assert_eq!(
        counterpoint::project_file::from_ron_str(&saved).unwrap(),
        reanchored.project
    );
    let kept = reanchored.project.annotations().zip(old.annotations());
    for (now, before) in kept {
        assert_eq!(
            (now.id, &now.tags, &now.counter_claims),
            (before.id, &before.tags, &before.counter_claims)
        );
    }
}

#[test]
fn a_grammar_fix_a_new_link_and_a_split_paragraph_of_a_real_post() {
    check_revision(
        "https",
        "https-2014-12-03.md",
        &[
            Expect::Exactly(0),
            Expect::Review(
                "quote-changed",
                Some("Citizens expect anything they read on a `.gov` website to be official"),
            ),
            Expect::Exactly(0),
            Expect::Review(
                "quote-changed",
                Some("[serious speed improvements](https://www.httpvshttps.com/) over plain HTTP."),
            ),
            Expect::Exactly(0),
            Expect::Exactly(0),
            Expect::Review("quote-changed", Some("reliable. Citizens expect anything")),
        ],
    );
}

#[test]
fn a_real_post_rewrapped_from_hard_line_breaks_to_one_line_per_paragraph() {
    check_revision(
        "protosketch",
        "protosketch-2017-02-06.md",
        &[
            Expect::Exactly(2),
            Expect::Review("quote-changed", Some("Use the meeting to build the prototype.")),
            Expect::Exactly(0),
            Expect::Review(
                "quote-changed",
                Some(
                    "“The best way to get the right answer on the Internet is not to ask a question, it's to post the wrong answer.”",
                ),
            ),
            Expect::Exactly(0),
            Expect::Exactly(1),
        ],
    );
}

#[test]
fn sentences_moved_and_a_paragraph_deleted_in_a_real_post() {
    check_revision(
        "lunch",
        "lunch-after.md",
        &[
            Expect::Exactly(0),
            Expect::ByQuote(0),
            Expect::Exactly(0),
            Expect::ByQuote(0),
            Expect::Review("deleted", None),
            Expect::Review("ambiguous", Some("resources.data.gov")),
            Expect::Exactly(0),
            Expect::Review("ambiguous", Some("the U.S. Data Federation team")),
        ],
    );
}
