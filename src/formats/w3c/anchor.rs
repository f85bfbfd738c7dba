//! Where a W3C annotation lands in the text: its position selector verified
//! against its quote selector, the quote searched (near the position first,
//! then in the whole text once) only when they disagree, and every
//! `refinedBy` applied to the segment the selector before it picked out
//! (Web Annotation Data Model §4.2.9): a position counts from the start of
//! that segment, a quote is looked for inside it, and refinements chain. A
//! refinement that cannot apply to text makes the annotation unanchored;
//! it never widens to the outer selector.

use serde_json::Value;

use crate::messages::echo;
use crate::model::offsets::{ByteOffset, CharOffset, OffsetIndex};
use crate::model::span::Span;

/// How far around a disagreeing position, in bytes, its quote is looked for first.
const NEAR_BYTES: usize = 4096;

/// Where an annotation lands, and whether its quote (if it has one) is in the text at all.
pub(super) struct Outcome {
    /// The span with a note for the report, or why the annotation marks no span of this text.
    pub(super) placed: Result<(Span, Option<String>), String>,
    /// `Some(false)` when it has a quote that is nowhere in the text.
    pub(super) quote_in_text: Option<bool>,
}

impl Outcome {
    fn unplaced(reason: String) -> Self {
        Self {
            placed: Err(reason),
            quote_in_text: None,
        }
    }
}

/// A quote found in the text.
struct Found {
    span: Span,
    /// Found near the position given, not by a search of the whole text.
    near: bool,
}

/// The text annotations are anchored in.
pub(super) struct Anchoring<'t> {
    pub(super) text: &'t str,
    pub(super) index: &'t OffsetIndex,
}

impl Anchoring<'_> {
    fn whole(&self) -> Span {
        Span::new(0, self.text.len())
    }

    /// Where an annotation with this `target` lands.
    pub(super) fn anchor(&self, target: Option<&Value>) -> Outcome {
        let selectors = match selectors(target) {
            Ok(selectors) => selectors,
            Err(reason) => return Outcome::unplaced(reason),
        };
        let of_type = |kind: &str| selectors.iter().copied().find(|s| type_of(s) == kind);
        let (position, quote) = (of_type("TextPositionSelector"), of_type("TextQuoteSelector"));
        let Some(quote) = quote else {
            if let Some(position) = position {
                return Outcome {
                    placed: self.select(position, self.whole(), None).map(|span| (span, None)),
                    quote_in_text: None,
                };
            }
            let kinds: Vec<String> = selectors.iter().map(|s| echo(type_of(s)).to_string()).collect();
            return Outcome::unplaced(format!(
                "its selector ({}) is not a text position or quote selector on the whole text",
                kinds.join(", ")
            ));
        };
        let exact = quote.get("exact").and_then(Value::as_str).unwrap_or_default();
        let by_position = position.map(|p| self.select(p, self.whole(), None));
        // The usual case, and the only one at scale: the position holds the quote.
        if let Some(Ok(span)) = &by_position
            && quote.get("refinedBy").is_none()
            && span.quote(self.text) == Some(exact)
        {
            return Outcome {
                placed: Ok((*span, None)),
                quote_in_text: Some(true),
            };
        }
        let near = by_position
            .as_ref()
            .and_then(|p| p.as_ref().ok())
            .map(|span| span.start.0);
        let by_quote = self.select_found(quote, self.whole(), near);
        let quote_in_text = Some(by_quote.is_ok() || (!exact.is_empty() && self.text.contains(exact)));
        let placed = match (by_position, by_quote) {
            (None, by_quote) => by_quote.map(|found| (found.span, None)),
            (Some(Ok(span)), Ok(found)) if span == found.span => Ok((span, None)),
            (Some(Ok(span)), Ok(found)) => {
                let away = self.chars_between(span.start, found.span.start);
                let how = if found.near {
                    format!("the quote, found {away} characters away, was used")
                } else {
                    "the quote (found once) was used".to_owned()
                };
                Ok((
                    found.span,
                    Some(format!("its position selector disagrees with its quote; {how}")),
                ))
            }
            (Some(Ok(_)), Err(quote_problem)) => Err(quote_problem),
            (Some(Err(position_problem)), Ok(found)) => Ok((
                found.span,
                Some(format!("{position_problem}; the quote (found once) was used")),
            )),
            (Some(Err(position_problem)), Err(quote_problem)) => {
                Err(format!("{position_problem}, and {quote_problem}"))
            }
        };
        Outcome { placed, quote_in_text }
    }

    fn chars_between(&self, a: ByteOffset, b: ByteOffset) -> usize {
        let chars = |offset| self.index.byte_to_char(self.text, offset).map_or(0, |c| c.0);
        chars(a).abs_diff(chars(b))
    }

    /// The segment `selector` picks out of `within`, refinements applied.
    fn select(&self, selector: &Value, within: Span, near: Option<usize>) -> Result<Span, String> {
        self.select_found(selector, within, near).map(|found| found.span)
    }

    fn select_found(&self, selector: &Value, within: Span, near: Option<usize>) -> Result<Found, String> {
        let found = match type_of(selector) {
            "TextPositionSelector" => Found {
                span: self.position(selector, within)?,
                near: false,
            },
            "TextQuoteSelector" => self.quote(selector, within, near)?,
            other => return Err(format!("a {} cannot select part of a text here", echo(other))),
        };
        let span = self.refine(selector, found.span)?;
        Ok(Found { span, ..found })
    }

    /// `segment` narrowed by the selector's `refinedBy`, if it has one.
    fn refine(&self, selector: &Value, segment: Span) -> Result<Span, String> {
        let alternatives: Vec<&Value> = match selector.get("refinedBy") {
            None => return Ok(segment),
            Some(Value::Array(all)) => all.iter().collect(),
            Some(one) => vec![one],
        };
        let results: Vec<Result<Span, String>> = alternatives
            .iter()
            .map(|refinement| self.select(refinement, segment, None))
            .collect();
        let spans: Vec<Span> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
        match spans.first() {
            Some(first) if spans.iter().all(|s| s == first) => Ok(*first),
            Some(_) => {
                Err("its refinements, which should be alternatives for the same text, select different text".into())
            }
            None => Err(format!(
                "its refinement cannot be applied ({})",
                results.into_iter().find_map(Result::err).unwrap_or_default()
            )),
        }
    }

    /// A position selector's span, counted in code points from the start of `within`.
    fn position(&self, selector: &Value, within: Span) -> Result<Span, String> {
        let number = |key: &str| {
            selector
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| format!("its position selector has no whole-number {key}"))
        };
        let (start, end) = (number("start")?, number("end")?);
        if end < start {
            return Err(format!("its position {start}..{end} ends before it starts"));
        }
        let chars = |offset| self.index.byte_to_char(self.text, offset).map_or(0, |c| c.0);
        let (first, last) = (chars(within.start), chars(within.end));
        let inside = if within == self.whole() {
            "this text"
        } else {
            "the segment it refines"
        };
        let too_far = || {
            format!(
                "its position {start}..{end} does not fit {inside} ({} code points)",
                last - first
            )
        };
        let absolute = |offset: usize| {
            first
                .checked_add(offset)
                .filter(|at| *at <= last)
                .ok_or_else(too_far)
                .and_then(|at| {
                    self.index
                        .char_to_byte(self.text, CharOffset(at))
                        .map_err(|_| too_far())
                })
        };
        Ok(Span {
            start: absolute(start)?,
            end: absolute(end)?,
        })
    }

    /// A quote selector's span inside `within`: the match nearest `near`
    /// within [`NEAR_BYTES`] of it, else the only match in all of `within`.
    fn quote(&self, selector: &Value, within: Span, near: Option<usize>) -> Result<Found, String> {
        let field = |key: &str| selector.get(key).and_then(Value::as_str).unwrap_or_default();
        let (exact, prefix, suffix) = (field("exact"), field("prefix"), field("suffix"));
        if exact.is_empty() {
            return Err("its quote selector has no exact text".into());
        }
        let matches = |from: usize, to: usize| self.matches(exact, prefix, suffix, from, to);
        if let Some(near) = near {
            let from = self.floor(near.saturating_sub(NEAR_BYTES).max(within.start.0));
            let to = self.ceil((near + exact.len() + NEAR_BYTES).min(within.end.0));
            if let Some(at) = matches(from, to).min_by_key(|at| at.abs_diff(near)) {
                return Ok(Found {
                    span: Span::new(at, at + exact.len()),
                    near: true,
                });
            }
        }
        let mut found = matches(within.start.0, within.end.0);
        let first = found.next();
        let others = found.count();
        let inside = if within == self.whole() {
            "this text"
        } else {
            "the segment it refines"
        };
        match (first, others) {
            (Some(at), 0) => Ok(Found {
                span: Span::new(at, at + exact.len()),
                near: false,
            }),
            (None, _) => Err(format!("its quote {} is not in {inside} with its context", echo(exact))),
            (Some(_), others) => Err(format!(
                "its quote {} occurs {} times in {inside} with its context",
                echo(exact),
                others + 1
            )),
        }
    }

    /// Where `exact` starts between byte offsets `from` and `to` (character
    /// boundaries; the match wholly inside them), with `prefix` before and
    /// `suffix` after it in the text.
    fn matches<'s>(
        &'s self,
        exact: &'s str,
        prefix: &'s str,
        suffix: &'s str,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = usize> + 's {
        let text = self.text;
        let mut next = from;
        // Overlapping matches count too ("aa" is twice in "aaa"), so step one character on.
        std::iter::from_fn(move || {
            while next < to {
                let at = next + text[next..to].find(exact)?;
                next = at + text[at..].chars().next().map_or(1, char::len_utf8);
                if text[..at].ends_with(prefix) && text[at + exact.len()..].starts_with(suffix) {
                    return Some(at);
                }
            }
            None
        })
    }

    fn floor(&self, mut at: usize) -> usize {
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn ceil(&self, mut at: usize) -> usize {
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }
}

fn type_of(selector: &Value) -> &str {
    selector.get("type").and_then(Value::as_str).unwrap_or("untyped")
}

/// The selectors of an annotation's one target.
fn selectors(target: Option<&Value>) -> Result<Vec<&Value>, String> {
    let target = match target {
        None => return Err("it has no target".into()),
        Some(Value::String(iri)) => {
            return Err(format!("it targets {} as a whole, with no selector", echo(iri)));
        }
        Some(Value::Array(targets)) if targets.len() != 1 => {
            return Err(format!("it has {} targets", targets.len()));
        }
        Some(Value::Array(targets)) => &targets[0],
        Some(other) => other,
    };
    match target.get("selector") {
        Some(Value::Array(all)) => Ok(all.iter().collect()),
        Some(one) => Ok(vec![one]),
        None => Err("its target has no selector".into()),
    }
}
