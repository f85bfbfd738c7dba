use super::*;
use crate::formats::{FormatError, Imported, InputFile};
use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
use crate::model::project::{Project, SourceInfo};
use crate::model::span::Span;
use crate::model::tag_set::{TagId, TagSet};
use proptest::prelude::*;

fn import_str(text: &str, json: &str) -> Imported {
    import(
        InputFile {
            path: Some("t.txt"),
            bytes: text.as_bytes(),
        },
        InputFile {
            path: Some("a.jsonld"),
            bytes: json.as_bytes(),
        },
        TagSet::default_set(),
    )
    .unwrap()
}

#[test]
fn positions_count_code_points() {
    let text = "👍 é\r\nyes";
    let json = r#"{"type":"Annotation","target":{"selector":{"type":"TextPositionSelector","start":5,"end":8}},
        "body":{"type":"TextualBody","purpose":"tagging","value":"Claim"}}"#;
    let imported = import_str(text, json);
    let annotation = imported.project.annotations().next().unwrap();
    assert_eq!(annotation.span.quote(text), Some("yes"));
    assert_eq!(annotation.tags, [TagId("Claim".into())]);
}

#[test]
fn quotes_anchor_by_context_and_ambiguity_is_reported_not_guessed() {
    let text = "no, no and no";
    let quote = |prefix: &str| {
        format!(
            r#"{{"type":"Annotation","target":{{"selector":{{"type":"TextQuoteSelector","exact":"no","prefix":"{prefix}"}}}}}}"#
        )
    };
    let imported = import_str(text, &quote("and "));
    assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(11, 13));
    let imported = import_str(text, &quote(""));
    assert_eq!(imported.project.annotation_count(), 0);
    assert_eq!(imported.project.foreign_records().len(), 1);
    assert!(
        imported.warnings[0].contains("occurs 3 times"),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn a_position_that_contradicts_its_quote_gives_way_to_a_unique_quote() {
    let json = r#"[{"type":"Annotation","target":{"selector":[{"type":"TextPositionSelector","start":0,"end":3},{"type":"TextQuoteSelector","exact":"def"}]}}]"#;
    let imported = import_str("abc def", json);
    assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(4, 7));
    assert!(imported.warnings[0].contains("disagrees"), "{:?}", imported.warnings);
}

fn import_result(text: &str, json: &str) -> Result<Imported, FormatError> {
    import(
        InputFile {
            path: Some("t.txt"),
            bytes: text.as_bytes(),
        },
        InputFile {
            path: Some("a.jsonld"),
            bytes: json.as_bytes(),
        },
        TagSet::default_set(),
    )
}

fn quotes(imported: &Imported) -> Vec<&str> {
    let project = &imported.project;
    project
        .annotations()
        .map(|a| a.span.quote(project.text()).unwrap())
        .collect()
}

fn with_selector(selector: &str) -> String {
    format!(r#"{{"type":"Annotation","id":"a1","target":{{"source":"x","selector":{selector}}}}}"#)
}

#[test]
fn a_position_refined_by_a_position_counts_from_the_start_of_the_outer_one() {
    let text = "First line.\nSecond 👍 line here.";
    let json = with_selector(
        r#"{"type":"TextPositionSelector","start":12,"end":31,"refinedBy":{"type":"TextPositionSelector","start":9,"end":13}}"#,
    );
    let imported = import_str(text, &json);
    assert_eq!(quotes(&imported), ["line"]);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn a_quote_refining_a_position_is_looked_for_inside_it_and_refinements_chain() {
    let text = "no. Yes, no, maybe no.";
    let json = with_selector(
        r#"{"type":"TextPositionSelector","start":5,"end":22,
            "refinedBy":{"type":"TextQuoteSelector","exact":"no, maybe","refinedBy":{"type":"TextPositionSelector","start":4,"end":9}}}"#,
    );
    assert_eq!(quotes(&import_str(text, &json)), ["maybe"]);
    let inside = with_selector(
        r#"{"type":"TextPositionSelector","start":4,"end":22,"refinedBy":{"type":"TextQuoteSelector","exact":"no","prefix":"maybe "}}"#,
    );
    let imported = import_str(text, &inside);
    assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(19, 21));
}

#[test]
fn a_refinement_that_cannot_apply_is_refused_with_a_warning_never_widened() {
    let text = "Some text to mark up.";
    for (refinement, reason) in [
        (
            r#"{"type":"XPathSelector","value":"/p[1]"}"#,
            "its refinement cannot be applied (a \"XPathSelector\" cannot select part of a text here)",
        ),
        (
            r#"{"type":"TextPositionSelector","start":2,"end":40}"#,
            "its refinement cannot be applied (its position 2..40 does not fit the segment it refines (9 code points))",
        ),
        (
            r#"{"type":"TextQuoteSelector","exact":"absent"}"#,
            "its refinement cannot be applied (its quote \"absent\" is not in the segment it refines with its context)",
        ),
        (
            r#"[{"type":"TextPositionSelector","start":0,"end":4},{"type":"TextPositionSelector","start":5,"end":7}]"#,
            "its refinements, which should be alternatives for the same text, select different text",
        ),
    ] {
        let json = with_selector(&format!(
            r#"{{"type":"TextPositionSelector","start":5,"end":14,"refinedBy":{refinement}}}"#
        ));
        let imported = import_str(text, &json);
        assert_eq!(imported.project.annotation_count(), 0, "{refinement}");
        assert_eq!(imported.project.foreign_records().len(), 1);
        assert_eq!(
            imported.warnings,
            [format!(
                "\"a1\" marks no span of this text ({reason}); kept unchanged for export"
            )]
        );
    }
    // Alternatives that agree, or of which only one applies, are fine.
    let json = with_selector(
        r#"{"type":"TextPositionSelector","start":5,"end":14,"refinedBy":[{"type":"CssSelector","value":"p"},{"type":"TextQuoteSelector","exact":"text"}]}"#,
    );
    assert_eq!(quotes(&import_str(text, &json)), ["text"]);
}

#[test]
fn a_position_that_disagrees_with_its_quote_finds_the_quote_nearby_first() {
    // The text gained a word at the front: every position is 4 off, and "tax" occurs twice.
    let text = "New tax here; old tax there.";
    let json = with_selector(
        r#"[{"type":"TextPositionSelector","start":14,"end":17},{"type":"TextQuoteSelector","exact":"tax"}]"#,
    );
    let imported = import_str(text, &json);
    assert_eq!(imported.project.annotations().next().unwrap().span, Span::new(18, 21));
    assert_eq!(
        imported.warnings,
        ["\"a1\": its position selector disagrees with its quote; the quote, found 4 characters away, was used"]
    );
}

#[test]
fn when_most_quotes_are_nowhere_in_the_text_it_is_the_wrong_text() {
    let item = |exact: &str| {
        format!(
            r#"{{"type":"Annotation","target":{{"selector":[{{"type":"TextPositionSelector","start":0,"end":3}},{{"type":"TextQuoteSelector","exact":"{exact}"}}]}}}}"#
        )
    };
    let json = format!("[{}, {}, {}]", item("abc"), item("xyz"), item("uvw"));
    let error = import_result("abc def", &json).unwrap_err().to_string();
    assert!(
        error.starts_with("a.jsonld: 2 of its 3 quotes disagree with the text of t.txt"),
        "{error}"
    );
    let json = format!("[{}, {}, {}]", item("abc"), item("def"), item("uvw"));
    assert_eq!(import_result("abc def", &json).unwrap().project.annotation_count(), 2);
}

#[test]
fn a_bom_before_the_json_is_accepted_and_pages_are_streamed() {
    let json = "\u{feff}{\"type\":\"AnnotationCollection\",\"first\":{\"type\":\"AnnotationPage\",\
        \"items\":[{\"type\":\"Annotation\",\"target\":{\"selector\":{\"type\":\"TextPositionSelector\",\"start\":0,\"end\":1}}}],\
        \"next\":{\"type\":\"AnnotationPage\",\"items\":[{\"type\":\"Annotation\",\"target\":{\"selector\":{\"type\":\"TextPositionSelector\",\"start\":1,\"end\":2}}}],\
        \"next\":\"http://example.org/page3\"}}}";
    let imported = import_str("ab", json);
    assert_eq!(quotes(&imported), ["a", "b"]);
    assert_eq!(
        imported.warnings,
        ["the page \"http://example.org/page3\" is not in this file and was not read"]
    );
    let error = import_result("ab", "{\"type\": \"Other\"}").unwrap_err().to_string();
    assert_eq!(
        error,
        "a.jsonld: this is not a Web Annotation, an AnnotationPage or an AnnotationCollection at line 1 column 17"
    );
    let error = import_result("ab", "[{").unwrap_err().to_string();
    assert!(error.starts_with("a.jsonld: not valid JSON: "), "{error}");
}

#[test]
fn ids_too_large_to_keep_are_renumbered() {
    let item = |id: &str| {
        format!(
            r#"{{"type":"Annotation","id":"urn:counterpoint:annotation:{id}","target":{{"selector":{{"type":"TextPositionSelector","start":0,"end":1}}}}}}"#
        )
    };
    let json = format!("[{}, {}]", item("18446744073709551615"), item("5"));
    let ids: Vec<u64> = import_str("ab", &json).project.annotations().map(|a| a.id.0).collect();
    assert_eq!(ids, [5, 6]);
}

fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\r\n".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("👩\u{200d}👩\u{200d}👧".to_owned()),
        Just("🇺🇦".to_owned()),
        "\\PC{1,6}",
    ];
    proptest::collection::vec(piece, 0..16).prop_map(|p| p.concat())
}

proptest! {
    /// Export then import gives the same annotations, ids included, and the same file again.
    #[test]
    fn export_then_import_gives_the_same_project(
        text in awkward_text(),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..3usize, "\\PC{0,5}", "[a-z:/.]{0,8}"), 0..8),
    ) {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let tags = ["Claim", "Evidence", "Loaded_Language"];
        let annotations: Vec<Annotation> = picks.iter().enumerate().map(|(i, (a, b, n, claim, link))| {
            let (a, b) = (a.get(&boundaries), b.get(&boundaries));
            let mut annotation = Annotation::new(AnnotationId(i as u64 * 2 + 1), Span::new(*a.min(b), *a.max(b)));
            annotation.tags = tags[..*n].iter().map(|t| TagId((*t).to_owned())).collect();
            if !claim.is_empty() {
                let mut claim = CounterClaim::new(claim.clone());
                if !link.is_empty() { claim.sources.push(link.clone()); }
                annotation.counter_claims.push(claim);
            }
            annotation
        }).collect();
        let project = Project::from_parts(text.clone(), SourceInfo::of_text(&text), TagSet::default_set(), annotations).unwrap();
        let json = export(&project);
        let imported = import(InputFile { path: None, bytes: text.as_bytes() }, InputFile { path: None, bytes: &json }, TagSet::default_set()).unwrap();
        // The only warning is the flag on spans that split a grapheme cluster, and only when one does.
        let splits = project.annotations().any(|a| a.span.splits_grapheme(&text));
        prop_assert_eq!(imported.warnings.len(), usize::from(splits), "{:?}", imported.warnings);
        prop_assert!(imported.warnings.iter().all(|w| w.contains("split a grapheme cluster")), "{:?}", imported.warnings);
        let mine: Vec<&Annotation> = project.annotations().collect();
        let theirs: Vec<&Annotation> = imported.project.annotations().collect();
        prop_assert_eq!(mine, theirs);
        prop_assert_eq!(export(&imported.project), json.clone());
        // Streamed, the export is still exactly serde_json's pretty form of itself (keys sorted).
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        prop_assert_eq!(format!("{}\n", serde_json::to_string_pretty(&value).unwrap()).into_bytes(), json);
    }
}
