//! Search across a corpus: text (plain or a regular expression, with or
//! without case), annotations by tag, annotations by the text of their
//! counter-claims; results as a concordance (left context, the match, right
//! context) in corpus order, with the count of every match.
//!
//! Plain text is searched as an escaped regular expression: the `regex`
//! crate finds literals with memchr and SIMD, and runs in linear time on any
//! pattern. `^` and `$` match at line starts and ends. Matches of no text
//! (`a*` between letters) mark nothing and are not hits. Documents are
//! searched in parallel on all cores; only the first [`HIT_LIMIT`] hits are
//! kept (with their context), every match is counted.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::{Regex, RegexBuilder};

use super::index::{CorpusIndex, IndexedDocument};
use super::progress::{Progress, map_parallel};
use crate::messages::echo;
use crate::model::annotation::AnnotationId;
use crate::model::offsets::ByteOffset;
use crate::model::tag_set::TagId;

/// Characters of context shown on each side of a match.
pub const CONTEXT_CHARS: usize = 40;
/// Hits kept with their context; [`SearchResult::count`] counts them all.
pub const HIT_LIMIT: usize = 100_000;

/// What to look for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Text in the documents: the pattern as written, or a regular expression.
    Text {
        pattern: String,
        regex: bool,
        case_sensitive: bool,
    },
    /// Every annotation with this tag.
    Tag(TagId),
    /// Every annotation with a counter-claim whose text contains the
    /// pattern (plain text); an empty pattern finds every one with a counter-claim.
    CounterClaim { pattern: String, case_sensitive: bool },
}

/// One place found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`CorpusIndex::documents`] (and [`super::Corpus::documents`]).
    pub document: usize,
    pub range: Range<ByteOffset>,
    /// Up to [`CONTEXT_CHARS`] characters before the match, line breaks shown as spaces.
    pub left: String,
    /// The document's text in `range`, exactly.
    pub matched: String,
    /// Up to [`CONTEXT_CHARS`] characters after the match, line breaks shown as spaces.
    pub right: String,
    /// The annotation found (tag and counter-claim searches).
    pub annotation: Option<AnnotationId>,
}

/// The hits of a search in corpus order (at most [`HIT_LIMIT`]) and the count of all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    pub count: usize,
    /// How many documents hold at least one match (listed or not).
    pub documents: usize,
}

/// Why a search did not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("there is nothing to search for: type a word or a pattern")]
    Empty,
    #[error("{} is not a regular expression that can be searched for: {reason}", echo(.pattern))]
    BadPattern { pattern: String, reason: String },
    #[error("cancelled")]
    Cancelled,
}

/// What one document gave: the ranges to show (with annotations), and how many matches in all.
struct Found {
    places: Vec<(Range<usize>, Option<AnnotationId>)>,
    count: usize,
}

/// Searches every document of `index`; one step of `progress` per document.
pub fn search(index: &CorpusIndex, query: &Query, progress: &Progress) -> Result<SearchResult, SearchError> {
    let matcher = Matcher::new(query)?;
    progress.start(index.documents.len());
    // Each document's count once known; a document keeps only the places the
    // documents before it have not filled the limit with (those still being
    // searched count as none, so at most a few documents' worth is kept extra).
    let counts: Vec<AtomicUsize> = index.documents.iter().map(|_| AtomicUsize::new(usize::MAX)).collect();
    let found = map_parallel(&index.documents, progress, |number, document| {
        let before: usize = counts[..number]
            .iter()
            .map(|count| count.load(Ordering::Relaxed))
            .filter(|count| *count != usize::MAX)
            .sum();
        let found = matcher.find(document, HIT_LIMIT.saturating_sub(before));
        counts[number].store(found.count, Ordering::Relaxed);
        found
    })
    .ok_or(SearchError::Cancelled)?;
    let mut result = SearchResult {
        hits: Vec::new(),
        count: found.iter().map(|found| found.count).sum(),
        documents: found.iter().filter(|found| found.count > 0).count(),
    };
    for (number, found) in found.into_iter().enumerate() {
        let room = HIT_LIMIT - result.hits.len();
        let text = &index.documents[number].text;
        result
            .hits
            .extend(found.places.into_iter().take(room).map(|(range, annotation)| {
                let (left, text_matched, right) = concordance(text, range.clone());
                Hit {
                    document: number,
                    range: ByteOffset(range.start)..ByteOffset(range.end),
                    left,
                    matched: text_matched,
                    right,
                    annotation,
                }
            }));
    }
    Ok(result)
}

/// A query made ready to run.
enum Matcher<'q> {
    Text(Regex),
    Tag(&'q TagId),
    CounterClaim(Option<Regex>),
}

impl<'q> Matcher<'q> {
    fn new(query: &'q Query) -> Result<Self, SearchError> {
        match query {
            Query::Text { pattern, .. } if pattern.is_empty() => Err(SearchError::Empty),
            Query::Text {
                pattern,
                regex,
                case_sensitive,
            } => {
                let source = if *regex {
                    pattern.clone()
                } else {
                    regex::escape(pattern)
                };
                compile(&source, *case_sensitive)
                    .map(Matcher::Text)
                    .map_err(|reason| SearchError::BadPattern {
                        pattern: pattern.clone(),
                        reason,
                    })
            }
            Query::Tag(tag) => Ok(Matcher::Tag(tag)),
            Query::CounterClaim { pattern, .. } if pattern.is_empty() => Ok(Matcher::CounterClaim(None)),
            Query::CounterClaim {
                pattern,
                case_sensitive,
            } => compile(&regex::escape(pattern), *case_sensitive)
                .map(|regex| Matcher::CounterClaim(Some(regex)))
                .map_err(|reason| SearchError::BadPattern {
                    pattern: pattern.clone(),
                    reason,
                }),
        }
    }

    /// The places in one document, keeping at most `keep`.
    fn find(&self, document: &IndexedDocument, keep: usize) -> Found {
        let mut found = Found {
            places: Vec::new(),
            count: 0,
        };
        let mut add = |range: Range<usize>, annotation: Option<AnnotationId>| {
            if found.places.len() < keep {
                found.places.push((range, annotation));
            }
            found.count += 1;
        };
        match self {
            Matcher::Text(regex) => {
                for place in regex.find_iter(&document.text).filter(|place| !place.is_empty()) {
                    add(place.range(), None);
                }
            }
            Matcher::Tag(tag) => {
                for annotation in document.annotations.iter().filter(|a| a.tags.contains(tag)) {
                    add(annotation.range.start.0..annotation.range.end.0, Some(annotation.id));
                }
            }
            Matcher::CounterClaim(regex) => {
                let matches = |claim: &String| regex.as_ref().is_none_or(|regex| regex.is_match(claim));
                for annotation in &document.annotations {
                    if annotation.counter_claims.iter().any(matches) {
                        add(annotation.range.start.0..annotation.range.end.0, Some(annotation.id));
                    }
                }
            }
        }
        found
    }
}

/// The regular expression, or why not in words.
fn compile(source: &str, case_sensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .case_insensitive(!case_sensitive)
        .multi_line(true)
        .crlf(true)
        .build()
        .map_err(|error| match error {
            // The crate's message draws the pattern with a caret; the last line says what is wrong.
            regex::Error::Syntax(message) => message
                .lines()
                .rev()
                .find_map(|line| line.strip_prefix("error: "))
                .unwrap_or(&message)
                .to_owned(),
            regex::Error::CompiledTooBig(_) => "it is too large (make it simpler)".to_owned(),
            other => other.to_string(),
        })
}

/// The left context, the match and the right context of `range` in `text`.
fn concordance(text: &str, range: Range<usize>) -> (String, String, String) {
    let before = &text[..range.start];
    let left_start = before
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(range.start, |(at, _)| at);
    let after = &text[range.end..];
    let right_end = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(at, _)| range.end + at);
    (
        one_line(&text[left_start..range.start]),
        text[range.clone()].to_owned(),
        one_line(&text[range.end..right_end]),
    )
}

/// `text` with each line break (CRLF as one) shown as a space.
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\r' => {
                characters.next_if_eq(&'\n');
                line.push(' ');
            }
            '\n' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => line.push(' '),
            other => line.push(other),
        }
    }
    line
}

#[cfg(test)]
mod tests;
