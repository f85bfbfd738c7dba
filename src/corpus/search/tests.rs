use proptest::prelude::*;

use super::*;
use crate::corpus::test_support::{Mark, project, tags};

/// An index of these documents, made in memory.
fn index_of(documents: Vec<(&str, crate::model::project::Project)>) -> CorpusIndex {
    CorpusIndex {
        documents: documents
            .into_iter()
            .map(|(name, project)| IndexedDocument::of_project(name.to_owned(), &project))
            .collect(),
    }
}

fn plain(text: &str) -> CorpusIndex {
    index_of(vec![("doc", project(text, &tags(&[]), &[]))])
}

fn text_query(pattern: &str, regex: bool, case_sensitive: bool) -> Query {
    Query::Text {
        pattern: pattern.to_owned(),
        regex,
        case_sensitive,
    }
}

fn run(index: &CorpusIndex, query: &Query) -> SearchResult {
    search(index, query, &Progress::new()).unwrap()
}

fn sample() -> CorpusIndex {
    let set = tags(&["Doubt", "Fear"]);
    let first = "The minister said the plan works.\r\nThe critics said otherwise.";
    let second = "Zürich: the end.";
    index_of(vec![
        (
            "first",
            project(
                first,
                &set,
                &[
                    Mark(4, 12, &["Doubt"], &["The plan failed in 2019."]),
                    Mark(22, 26, &["Fear"], &[]),
                ],
            ),
        ),
        (
            "second",
            project(
                second,
                &set,
                &[Mark(0, 7, &["Doubt", "Fear"], &["Zurich never said so."])],
            ),
        ),
    ])
}

#[test]
fn a_text_search_finds_every_place_in_corpus_order_with_its_context() {
    let index = sample();
    let result = run(&index, &text_query("the", false, false));
    let places: Vec<(usize, usize)> = result
        .hits
        .iter()
        .map(|hit| (hit.document, hit.range.start.0))
        .collect();
    assert_eq!(places, [(0, 0), (0, 18), (0, 35), (0, 53), (1, 9)], "\"otherwise\" too");
    assert_eq!(result.count, 5);
    let critics = &result.hits[2];
    assert_eq!(critics.matched, "The");
    assert_eq!(
        critics.left, "The minister said the plan works. ",
        "CRLF shown as one space"
    );
    assert_eq!(critics.right, " critics said otherwise.");
    assert_eq!(critics.annotation, None);
    assert_eq!(result.hits[4].left, "Zürich: ");

    let sensitive = run(&index, &text_query("The", false, true));
    assert_eq!(sensitive.count, 2);
    let literal = run(&index, &text_query("works.", false, true));
    assert_eq!(literal.count, 1, "a dot is a dot in a plain search");
    assert_eq!(run(&index, &text_query("works.", true, true)).count, 1);
    assert_eq!(run(&index, &text_query("w.rks", true, true)).count, 1);
    assert_eq!(run(&index, &text_query("w.rks", false, true)).count, 0);
}

#[test]
fn a_regular_expression_matches_lines_and_never_marks_empty_text() {
    let index = sample();
    let starts = run(&index, &text_query("^the", true, false));
    assert_eq!(
        starts.hits.iter().map(|hit| hit.range.start.0).collect::<Vec<_>>(),
        [0, 35]
    );
    let ends = run(&index, &text_query(r"\w+\.$", true, true));
    assert_eq!(
        ends.hits.iter().map(|hit| hit.matched.as_str()).collect::<Vec<_>>(),
        ["works.", "otherwise.", "end."]
    );
    let empty_or_z = run(&index, &text_query("z*", true, false));
    assert_eq!(empty_or_z.count, 1);
    assert_eq!(empty_or_z.hits[0].matched, "Z");
}

#[test]
fn a_bad_or_empty_pattern_is_refused_in_words() {
    let index = sample();
    let error = search(&index, &text_query("(the", true, true), &Progress::new()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "\"(the\" is not a regular expression that can be searched for: unclosed group"
    );
    let error = search(&index, &text_query("", false, true), &Progress::new()).unwrap_err();
    assert!(matches!(error, SearchError::Empty), "{error}");
    assert_eq!(
        run(&index, &text_query("(the", false, true)).count,
        0,
        "plain text is never a pattern"
    );
}

#[test]
fn tag_and_counter_claim_searches_find_annotations() {
    let index = sample();
    let doubt = run(&index, &Query::Tag(TagId("Doubt".into())));
    let found: Vec<(usize, &str, Option<AnnotationId>)> = doubt
        .hits
        .iter()
        .map(|hit| (hit.document, hit.matched.as_str(), hit.annotation))
        .collect();
    assert_eq!(
        found,
        [
            (0, "minister", Some(AnnotationId(1))),
            (1, "Zürich", Some(AnnotationId(1)))
        ]
    );
    assert_eq!(run(&index, &Query::Tag(TagId("Fear".into()))).count, 2);
    assert_eq!(run(&index, &Query::Tag(TagId("Nothing".into()))).count, 0);

    let claims = |pattern: &str, case_sensitive| {
        run(
            &index,
            &Query::CounterClaim {
                pattern: pattern.to_owned(),
                case_sensitive,
            },
        )
    };
    assert_eq!(
        claims("", true).count,
        2,
        "an empty pattern: every annotation with a counter-claim"
    );
    let failed = claims("PLAN FAILED", false);
    assert_eq!(failed.count, 1);
    assert_eq!(failed.hits[0].matched, "minister");
    assert_eq!(claims("PLAN FAILED", true).count, 0);
    assert_eq!(claims("2019.", true).count, 1);
    assert_eq!(
        claims("20.9", true).count,
        0,
        "counter-claim text is plain, not a pattern"
    );
}

#[test]
fn only_the_first_hits_are_kept_but_all_are_counted() {
    let text = "ab ".repeat(HIT_LIMIT / 2 + 10);
    let index = index_of(vec![
        ("one", project(&text, &tags(&[]), &[])),
        ("two", project(&text, &tags(&[]), &[])),
        ("three", project("ab", &tags(&[]), &[])),
    ]);
    let result = run(&index, &text_query("ab", false, true));
    assert_eq!(result.count, 2 * (HIT_LIMIT / 2 + 10) + 1);
    assert_eq!(result.hits.len(), HIT_LIMIT);
    assert_eq!(
        result.hits.last().unwrap().document,
        1,
        "the first hits in corpus order"
    );
    assert_eq!(
        result.documents, 3,
        "the third document's match is counted, though not listed"
    );
}

#[test]
fn a_cancelled_search_says_so() {
    let progress = Progress::new();
    progress.cancel();
    let result = search(&sample(), &text_query("the", false, false), &progress);
    assert!(matches!(result, Err(SearchError::Cancelled)));
}

/// Texts with line breaks, multibyte characters and letters that change case.
fn arbitrary_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("A"),
            Just("b"),
            Just(" "),
            Just("\n"),
            Just("\r\n"),
            Just("é"),
            Just("É"),
            Just("ß"),
            Just("日本"),
            Just("👨‍👩‍👧"),
        ],
        0..120,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_hit_is_the_text_at_its_range_with_its_context_around(
        text in arbitrary_text(),
        pattern in prop_oneof![
            Just("a"), Just("A"), Just("é"), Just("ab"), Just("日"), Just("\n"), Just("a b"),
            Just("[aé]+"), Just("b|ß"), Just("(?s)."), Just("^"), Just("$"),
        ],
        regex in any::<bool>(),
        case_sensitive in any::<bool>(),
    ) {
        let index = plain(&text);
        let result = run(&index, &text_query(pattern, regex, case_sensitive));
        prop_assert_eq!(result.count, result.hits.len());
        let mut previous_end = 0;
        for hit in &result.hits {
            let range = hit.range.start.0..hit.range.end.0;
            prop_assert!(range.start >= previous_end && !range.is_empty());
            previous_end = range.end;
            prop_assert_eq!(Some(hit.matched.as_str()), text.get(range.clone()));
            prop_assert!(hit.left.chars().count() <= CONTEXT_CHARS && hit.right.chars().count() <= CONTEXT_CHARS);
            prop_assert!(!hit.left.contains(['\n', '\r']) && !hit.right.contains(['\n', '\r']));
            prop_assert!(one_line(&text[..range.start]).ends_with(&hit.left));
            prop_assert!(one_line(&text[range.end..]).starts_with(&hit.right));
        }
        if !regex && case_sensitive {
            prop_assert_eq!(result.count, text.matches(pattern).count());
        }
    }
}
