use std::fmt::Write as _;

use super::*;
use crate::formats::{Imported, InputFile};
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::project::{Project, SourceInfo};
use crate::model::source_text::{self, Encoding};
use crate::model::span::Span;
use crate::model::tag_set::{TagId, TagSet};
use proptest::prelude::*;

fn input<'a>(text: &'a [u8], ann: &'a str) -> (InputFile<'a>, InputFile<'a>) {
    (
        InputFile {
            path: Some("doc.txt"),
            bytes: text,
        },
        InputFile {
            path: Some("doc.ann"),
            bytes: ann.as_bytes(),
        },
    )
}

fn import_str(text: &[u8], ann: &str) -> Imported {
    let (text, ann) = input(text, ann);
    import(text, ann, TagSet::default_set()).unwrap()
}

fn sorted_lines(ann: &str) -> Vec<String> {
    let mut lines: Vec<String> = ann.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

fn export_str(project: &Project) -> String {
    String::from_utf8(export(project).unwrap().main).unwrap()
}

#[test]
fn a_crlf_counts_as_one_character() {
    // brat sees "ab\ncd👍\nef": "cd" is 3..5, "ef" is 7..9.
    let text = "ab\r\ncd👍\r\nef";
    let ann = "T1\tClaim 3 5\tcd\nT2\tEvidence 7 9\tef\nT3\tClaim 0 6\tab cd👍\n";
    let imported = import_str(text.as_bytes(), ann);
    let quotes: Vec<&str> = imported
        .project
        .annotations()
        .map(|a| a.span.quote(text).unwrap())
        .collect();
    assert_eq!(quotes, ["cd", "ef", "ab\r\ncd👍"]);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(sorted_lines(&export_str(&imported.project)), sorted_lines(ann));
}

#[test]
fn a_bom_is_code_point_zero_for_brat() {
    let imported = import_str("\u{feff}Hello".as_bytes(), "T1\tClaim 1 6\tHello\n");
    let annotation = imported.project.annotations().next().unwrap();
    assert_eq!(annotation.span, Span::new(0, 5));
    let exported = export(&imported.project).unwrap();
    assert_eq!(exported.main, b"T1\tClaim 1 6\tHello\n");
    assert_eq!(exported.text.unwrap(), "\u{feff}Hello".as_bytes());
}

#[test]
fn discontinuous_spans_become_one_annotation_per_fragment() {
    let imported = import_str(
        b"This is\nan other test.",
        "T1\tToken 0 4\tThis\nT2\tToken 5 7;9 10\tis n\n",
    );
    let project = &imported.project;
    let spans: Vec<(u64, &str)> = project
        .annotations()
        .map(|a| (a.id.0, a.span.quote(project.text()).unwrap()))
        .collect();
    assert_eq!(spans, [(1, "This"), (2, "is"), (3, "n")]);
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.starts_with("line 2: \"T2\" is discontinuous"))
    );
    assert_eq!(export_str(project), "T1\tToken 0 4\tThis\nT2\tToken 5 7;9 10\tis n\n");
    let mut apart = project.clone();
    crate::model::edit::Edit::RemoveAnnotation(AnnotationId(3))
        .apply(&mut apart)
        .unwrap();
    let exported = export(&apart).unwrap();
    assert_eq!(exported.main, b"T1\tToken 0 4\tThis\nT2\tToken 5 7\tis\n");
    // Deleting the fragment deleted the grouping with it: nothing is left to warn about.
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
}

#[test]
fn notes_become_counter_claims_and_other_lines_are_kept() {
    // A relation of an annotation to itself has no place in the model: kept, with the note on it.
    let ann = "T1\tClaim 0 3\tabc\n#1\tAnnotatorNotes T1\tNot so.\nR1\tRel Arg1:T1 Arg2:T1\t\nA1\tSure T1\n#2\tAnnotatorNotes R1\tHm\n";
    let imported = import_str(b"abcdef", ann);
    let annotation = imported.project.annotations().next().unwrap();
    assert_eq!(annotation.counter_claims, [CounterClaim::new("Not so.")]);
    assert_eq!(annotation.attributes["Sure"], crate::model::attributes::FLAG_SET);
    assert_eq!(imported.project.foreign_records().len(), 2);
    assert!(
        imported.warnings.iter().any(|w| w.contains(r##""R1", "#2""##)),
        "{:?}",
        imported.warnings
    );
    assert_eq!(sorted_lines(&export_str(&imported.project)), sorted_lines(ann));
}

#[test]
fn kept_lines_whose_annotation_is_gone_are_left_out_with_a_warning() {
    let ann = "T1\tClaim 0 3\tabc\nR1\tRel Arg1:T1 Arg2:T9\t\n#1\tAnnotatorNotes R1\tHm\n";
    let imported = import_str(b"abcdef", ann);
    let exported = export(&imported.project).unwrap();
    assert_eq!(exported.main, b"T1\tClaim 0 3\tabc\n");
    assert_eq!(exported.warnings.len(), 2, "{:?}", exported.warnings);
}

#[test]
fn bad_lines_are_refused_naming_the_line() {
    let (text, ann) = input(b"abc", "T1\tClaim 0 3\tabc\nT2\tClaim 1 x\tb\n");
    let error = import(text, ann, TagSet::default_set()).unwrap_err().to_string();
    assert!(error.contains("line 2: \"T2\""), "{error}");
    let (text, ann) = input(b"abc", "T1\tClaim 0 9\tabc\n");
    let error = import(text, ann, TagSet::default_set()).unwrap_err().to_string();
    assert!(error.contains("line 1: \"T1\": offset 9"), "{error}");
}

#[test]
fn several_tags_untagged_spans_and_odd_ids() {
    let ann = "Tx\tClaim 0 1\ta\nT4\tUntagged 1 2\tb\n";
    let imported = import_str(b"ab", ann);
    let project = &imported.project;
    assert_eq!(project.annotation(AnnotationId(4)).unwrap().tags, []);
    assert_eq!(project.annotation(AnnotationId(5)).unwrap().tags.len(), 1);
    assert_eq!(export_str(project), "T4\tUntagged 1 2\tb\nT5\tClaim 0 1\ta\n");
}

#[test]
fn ids_too_large_to_keep_are_renumbered_with_checked_arithmetic() {
    let ann = "T18446744073709551615\tClaim 0 1\ta\nT9007199254740992\tClaim 1 2\tb\nT3\tDoubt 0 2\tab\n\
               R1\tRel Arg1:T18446744073709551615 Arg2:T3\t\n";
    let imported = import_str(b"ab", ann);
    let ids: Vec<u64> = imported.project.annotations().map(|a| a.id.0).collect();
    assert_eq!(ids, [3, 4, 5]);
    assert!(
        imported.warnings[0].contains("\"T18446744073709551615\" is too large to keep"),
        "{:?}",
        imported.warnings
    );
    let exported = export_str(&imported.project);
    assert!(exported.contains("R1\tRel Arg1:T4 Arg2:T3\t\n"), "{exported}");
}

#[test]
fn extra_tags_of_an_annotation_at_the_largest_id_get_free_ids() {
    let mut annotation = Annotation::new(AnnotationId::MAX, Span::new(0, 1));
    annotation.tags = vec![TagId("Claim".into()), TagId("Doubt".into())];
    let project = Project::from_parts(
        "ab".into(),
        SourceInfo::of_text("ab"),
        TagSet::default_set(),
        vec![annotation],
    )
    .unwrap();
    assert_eq!(
        export_str(&project),
        "T9007199254740991\tClaim 0 1\ta\nT9007199254740992\tDoubt 0 1\ta\n"
    );
}

#[test]
fn most_quotes_disagreeing_means_the_wrong_text_and_the_import_is_refused() {
    let ann = "T1\tClaim 0 5\tHello\nT2\tClaim 6 11\tworld\nT3\tClaim 0 1\tH\n";
    let (text, ann_file) = input(b"Other words here", ann);
    let error = import(text, ann_file, TagSet::default_set()).unwrap_err().to_string();
    assert!(
        error.starts_with(
            "doc.ann: 3 of its 3 quotes disagree with the text of doc.txt (line 1: \"T1\" quotes \"Hello\""
        ),
        "{error}"
    );
    assert!(error.contains("nothing was imported"), "{error}");
    // One of three is a warning, and the offsets are used.
    let imported = import_str(b"Hello world", ann.replace("\tH\n", "\tX\n").as_str());
    assert_eq!(imported.project.annotation_count(), 3);
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert!(imported.warnings[0].contains("quotes \"X\" but the text at its offsets reads \"H\""));
}

#[test]
fn a_tag_with_a_space_is_named_when_exported_and_found_again_when_imported() {
    let mut tag_set = TagSet::default_set();
    tag_set.tags[0].id = TagId("Name Calling".into());
    let mut annotation = Annotation::new(AnnotationId(1), Span::new(0, 3));
    annotation.tags = vec![TagId("Name Calling".into())];
    let project = Project::from_parts(
        "abc".into(),
        SourceInfo::of_text("abc"),
        tag_set.clone(),
        vec![annotation],
    )
    .unwrap();
    let exported = export(&project).unwrap();
    assert_eq!(exported.main, b"T1\tName_Calling 0 3\tabc\n");
    assert_eq!(exported.warnings.len(), 1, "{:?}", exported.warnings);
    assert!(
        exported.warnings[0].starts_with("the tag \"Name Calling\" is written as the brat type Name_Calling"),
        "{:?}",
        exported.warnings
    );
    let (text, ann) = input(b"abc", "T1\tName_Calling 0 3\tabc\n");
    let imported = import(text, ann, tag_set).unwrap();
    let tags: Vec<&str> = imported
        .project
        .annotations()
        .flat_map(|a| a.tags.iter().map(TagId::as_str))
        .collect();
    assert_eq!(tags, ["Name Calling"]);
    assert_eq!(imported.project.tag_set().tags.len(), TagSet::default_set().tags.len());
}

/// Text pieces with every awkward kind of character.
fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\r\n".to_owned()),
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("👩\u{200d}👩\u{200d}👧".to_owned()),
        Just("🇺🇦".to_owned()),
        Just("\t".to_owned()),
        "\\PC{1,6}",
    ];
    proptest::collection::vec(piece, 0..16).prop_map(|p| p.concat())
}

proptest! {
    /// A project exported and imported again has the same spans, tags and
    /// counter-claims; exporting that gives the same files.
    #[test]
    fn export_then_import_keeps_everything(
        text in awkward_text(),
        bom: bool,
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..3usize, "[a-z ]{0,6}"), 0..8),
    ) {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        // brat cannot point between the CR and LF of a pair.
        let boundaries: Vec<usize> = boundaries.into_iter().filter(|&i| !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n'))).collect();
        let tags = ["Claim", "Evidence", "Loaded_Language"];
        let annotations: Vec<Annotation> = picks.iter().enumerate().map(|(i, (a, b, tag_count, claim))| {
            let (a, b) = (a.get(&boundaries), b.get(&boundaries));
            let mut annotation = Annotation::new(AnnotationId(i as u64 * 3 + 1), Span::new(*a.min(b), *a.max(b)));
            annotation.tags = tags[..*tag_count].iter().map(|t| TagId((*t).to_owned())).collect();
            if !claim.is_empty() {
                annotation.counter_claims.push(CounterClaim::new(claim.clone()));
            }
            annotation
        }).collect();
        let bytes = source_text::encode(&text, Encoding::Utf8, bom).unwrap();
        let decoded = source_text::decode(&bytes).unwrap();
        let source = SourceInfo::of_file(None, &bytes, &decoded);
        let project = Project::from_parts(decoded.text, source, TagSet::default_set(), annotations).unwrap();
        let first = export(&project).unwrap();
        prop_assert!(first.warnings.is_empty(), "{:?}", first.warnings);
        let (text_file, ann_file) = (InputFile { path: None, bytes: first.text.as_deref().unwrap() }, InputFile { path: None, bytes: &first.main });
        let again = import(text_file, ann_file, TagSet::default_set()).unwrap().project;
        prop_assert_eq!(again.text(), project.text());
        let facts = |p: &Project| {
            let mut spans: Vec<(Span, Vec<TagId>, Vec<CounterClaim>)> = Vec::new();
            for a in p.annotations() {
                spans.push((a.span, a.tags.clone(), a.counter_claims.clone()));
            }
            spans
        };
        // Each extra tag came back as its own annotation on the same span: compare (span, tag) and (span, claim) sets.
        let pairs = |p: &Project| {
            let mut tagged: Vec<(Span, String)> = Vec::new();
            let mut claims: Vec<(Span, String)> = Vec::new();
            for (span, tags, cs) in facts(p) {
                tagged.extend(tags.iter().map(|t| (span, t.0.clone())));
                if tags.is_empty() { tagged.push((span, String::new())); }
                claims.extend(cs.iter().map(|c| (span, c.text.clone())));
            }
            tagged.sort();
            claims.sort();
            (tagged, claims)
        };
        prop_assert_eq!(pairs(&again), pairs(&project));
        let second = export(&again).unwrap();
        prop_assert_eq!(sorted_lines(std::str::from_utf8(&second.main).unwrap()), sorted_lines(std::str::from_utf8(&first.main).unwrap()));
        prop_assert_eq!(second.text, first.text);
    }
}

proptest! {
    /// An .ann file of T lines (discontinuous ones too) and notes over any
    /// text, CRLF included, comes back line for line. The reference counts
    /// offsets over the text as brat reads it: CRLF joined into one LF.
    #[test]
    fn ann_files_round_trip_line_for_line(
        text in awkward_text(),
        spans in proptest::collection::vec((proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..4), 0..3usize, "[a-z ]{0,5}"), 0..6),
    ) {
        let brat_view: Vec<char> = text.replace("\r\n", "\n").chars().collect();
        let kinds = ["Claim", "Person", "Loaded_Language"];
        let mut ann = String::new();
        let mut notes = 0;
        for (number, (fragments, kind, note)) in (1..).zip(&spans) {
            let mut offsets = Vec::new();
            let mut quotes = Vec::new();
            for (a, b) in fragments {
                let (a, b) = (a.index(brat_view.len() + 1), b.index(brat_view.len() + 1));
                let (a, b) = (a.min(b), a.max(b));
                offsets.push(format!("{a} {b}"));
                quotes.push(brat_view[a..b].iter().collect::<String>());
            }
            let quote = quotes.join(" ").replace(['\r', '\n', '\t'], " ");
            let _ = writeln!(ann, "T{number}\t{} {}\t{quote}", kinds[*kind], offsets.join(";"));
            if !note.is_empty() {
                notes += 1;
                let _ = writeln!(ann, "#{notes}\tAnnotatorNotes T{number}\t{note}");
            }
        }
        let imported = import_str(text.as_bytes(), &ann);
        prop_assert!(!imported.warnings.iter().any(|w| w.contains("quotes")), "{:?}", imported.warnings);
        let exported = export(&imported.project).unwrap();
        prop_assert_eq!(sorted_lines(std::str::from_utf8(&exported.main).unwrap()), sorted_lines(&ann));
        prop_assert_eq!(exported.text.unwrap(), text.as_bytes());
    }
}

#[test]
fn annotation_conf_declares_its_entity_and_event_types_as_tags() {
    let conf = include_str!("../../../tests/fixtures/realdata/brat-tutorial/annotation.conf");
    assert_eq!(
        conf_span_types(conf),
        [
            "Person",
            "Organization",
            "GPE",
            "Money",
            "Be-born",
            "Marry",
            "Divorce",
            "Die",
            "Transfer-ownership",
            "Transfer-money",
            "Start-org",
            "Merge-org",
            "End-org",
            "Report"
        ]
    );
    let (tag_set, warnings) = tags_of_conf(conf, TagSet::default_set());
    let default_count = TagSet::default_set().tags.len();
    assert_eq!(tag_set.tags.len(), default_count + 14);
    assert_eq!(tag_set.tags[default_count].id, TagId("Person".into()));
    assert!(warnings[0].contains("14 label(s)"), "{warnings:?}");
    let (again, _) = tags_of_conf(conf, tag_set.clone());
    assert_eq!(again, tag_set, "types already there are found, not made twice");
}
