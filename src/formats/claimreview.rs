//! schema.org `ClaimReview` (JSON-LD) for fact-checkers: one review for
//! every annotation tagged `Claim` that has a counter-claim. Export only.
//!
//! Each review, as Google's fact-check structured data documentation
//! (developers.google.com/search/docs/appearance/structured-data/factcheck)
//! lists its properties:
//! - `claimReviewed` (required): the quote, the claim as the article words it;
//! - `reviewRating` (required), a `Rating` whose `alternateName` (required)
//!   is the claim's `Verdict` attribute, or else the document's `Verdict`
//!   label (a claim with neither is left out and named in a warning);
//! - `url` (required): the page of the fact check, taken from the first
//!   source of the counter-claim (a claim whose counter-claims have no
//!   source is left out and named, as Google refuses a review without it);
//! - `reviewBody`: the counter-claim (several are joined by a blank line);
//! - `itemReviewed`: a `Claim` whose `appearance` is a `CreativeWork` at the
//!   document's `URL` label, with `author` an `Organization` named by the
//!   `Outlet` label and `datePublished` the `Date` label, each when set;
//! - `datePublished`: the day of the export (UTC), when the review is published.
//!
//! The file is a JSON array of reviews, each with its own `@context`, which
//! is how Google reads several fact checks on one page. No offsets: the
//! quote is the text itself.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::{ExportedFiles, Format, Reader};
use crate::messages::echo;
use crate::model::annotation::Annotation;
use crate::model::project::Project;
use crate::model::tag_set::TagId;

/// The format's command-line name.
pub const NAME: &str = "claimreview";
/// The tag whose annotations are reviewed.
pub const CLAIM_TAG: &str = "Claim";
/// The attribute (and document label) that holds the verdict.
pub const VERDICT: &str = "Verdict";

/// schema.org `ClaimReview` JSON-LD, one review per rebutted claim.
pub static FORMAT: Format = Format {
    name: NAME,
    title: "schema.org ClaimReview, one per rebutted claim (export only)",
    summary: "schema.org ClaimReview JSON-LD for fact checks (claims with a counter-claim); export only",
    extension: "jsonld",
    reader: Reader::ExportOnly,
    writer: Some(|project| {
        let (main, warnings) = export(project, &today());
        Ok(ExportedFiles {
            main,
            text: None,
            warnings,
            companion: None,
        })
    }),
    annotations_beside: None,
    text_beside: None,
};

/// The reviews as pretty JSON (with a final newline), published on `date`
/// (`YYYY-MM-DD`), and a warning for each claim left out.
#[must_use]
pub fn export(project: &Project, date: &str) -> (Vec<u8>, Vec<String>) {
    let claim = TagId(CLAIM_TAG.to_owned());
    let labels = project.document_labels();
    let mut warnings = Vec::new();
    let mut reviews = Vec::new();
    for annotation in project.annotations_in_document_order() {
        if !annotation.tags.contains(&claim) || annotation.counter_claims.is_empty() {
            continue;
        }
        match review(project, annotation, date) {
            Ok(review) => reviews.push(review),
            Err(why) => warnings.push(format!("claim {} is left out: {why}", annotation.id)),
        }
    }
    if reviews.is_empty() && warnings.is_empty() {
        warnings.push("no annotation tagged Claim has a counter-claim, so there is nothing to review".to_owned());
    }
    if !reviews.is_empty() && !labels.contains_key("URL") {
        warnings.push(
            "the document has no URL label, so the reviews do not say where the claim appeared (set it in the document panel)"
                .to_owned(),
        );
    }
    let mut out = serde_json::to_vec_pretty(&Value::Array(reviews)).unwrap_or_default();
    out.push(b'\n');
    (out, warnings)
}

/// One review, or why it cannot be made.
fn review(project: &Project, annotation: &Annotation, date: &str) -> Result<Value, String> {
    let labels = project.document_labels();
    let verdict = annotation
        .attributes
        .get(VERDICT)
        .or_else(|| labels.get(VERDICT))
        .ok_or("it has no Verdict (set the claim's Verdict attribute or the document's Verdict label)")?;
    let url = annotation
        .counter_claims
        .iter()
        .find_map(|c| c.sources.first())
        .ok_or("its counter-claim has no source, and Google needs the URL of the fact check (give it as the counter-claim's first source)")?;
    let quote = annotation.span.quote(project.text()).unwrap_or_default();
    let body: Vec<&str> = annotation.counter_claims.iter().map(|c| c.text.as_str()).collect();
    let mut claim = Map::new();
    claim.insert("@type".into(), json!("Claim"));
    if let Some(appearance) = labels.get("URL") {
        claim.insert("appearance".into(), json!({"@type": "CreativeWork", "url": appearance}));
    }
    if let Some(outlet) = labels.get("Outlet") {
        claim.insert("author".into(), json!({"@type": "Organization", "name": outlet}));
    }
    if let Some(published) = labels.get("Date") {
        claim.insert("datePublished".into(), json!(published));
    }
    if quote.trim().is_empty() {
        return Err(format!("its quote {} is empty", echo(quote)));
    }
    Ok(json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": quote,
        "datePublished": date,
        "itemReviewed": Value::Object(claim),
        "reviewBody": body.join("\n\n"),
        "reviewRating": {"@type": "Rating", "alternateName": verdict},
        "url": url,
    }))
}

/// Today's date in UTC as `YYYY-MM-DD`.
fn today() -> String {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil_date(seconds / 86_400)
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`, for days on or after the epoch).
fn civil_date(days: u64) -> String {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::CounterClaim;
    use crate::model::edit::Edit;
    use crate::model::project::SourceInfo;
    use crate::model::span::Span;
    use crate::model::tag_set::TagSet;

    const TEXT: &str = "Prices fell last year. Nobody saw it coming.";

    fn project() -> Project {
        let mut project = Project::new(TEXT.into(), SourceInfo::of_text(TEXT), TagSet::default_set());
        let (edit, id) = Edit::tag_span(&project, Span::new(0, 21), TagId(CLAIM_TAG.into())).unwrap();
        edit.apply(&mut project).unwrap();
        let claim = CounterClaim {
            text: "Prices rose by 4%.".into(),
            sources: vec!["https://factcheck.example/prices".into()],
        };
        let (edit, _) = Edit::add_counter_claim(&project, Span::new(0, 21), claim);
        edit.apply(&mut project).unwrap();
        Edit::set_attribute(&project, id, VERDICT, Some("False".into()))
            .unwrap()
            .apply(&mut project)
            .unwrap();
        for (name, value) in [
            ("URL", "https://news.example/article"),
            ("Outlet", "The Example Times"),
            ("Date", "2021-12-16"),
        ] {
            Edit::set_document_label(&project, name, Some(value.into()))
                .unwrap()
                .apply(&mut project)
                .unwrap();
        }
        project
    }

    #[test]
    fn a_rebutted_claim_is_a_review_with_every_required_property() {
        let (bytes, warnings) = export(&project(), "2026-12-02");
        assert!(warnings.is_empty(), "{warnings:?}");
        let reviews: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            reviews,
            json!([{
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "claimReviewed": "Prices fell last year",
                "datePublished": "2026-12-02",
                "itemReviewed": {
                    "@type": "Claim",
                    "appearance": {"@type": "CreativeWork", "url": "https://news.example/article"},
                    "author": {"@type": "Organization", "name": "The Example Times"},
                    "datePublished": "2021-12-16"
                },
                "reviewBody": "Prices rose by 4%.",
                "reviewRating": {"@type": "Rating", "alternateName": "False"},
                "url": "https://factcheck.example/prices"
            }])
        );
        // Google's required properties, by its documentation.
        let review = &reviews[0];
        for required in ["claimReviewed", "reviewRating", "url"] {
            assert!(review.get(required).is_some(), "{required}");
        }
        assert!(review["reviewRating"].get("alternateName").is_some());
    }

    #[test]
    fn claims_without_a_verdict_or_a_source_are_named_not_guessed() {
        let mut project = project();
        let id = project.annotations().next().unwrap().id;
        Edit::SetAttribute {
            id,
            name: VERDICT.into(),
            value: None,
        }
        .apply(&mut project)
        .unwrap();
        let (bytes, warnings) = export(&project, "2026-12-02");
        assert_eq!(serde_json::from_slice::<Value>(&bytes).unwrap(), json!([]));
        assert!(warnings[0].contains("no Verdict"), "{warnings:?}");
        // The document's verdict stands in for the claim's.
        Edit::set_document_label(&project, VERDICT, Some("Mostly false".into()))
            .unwrap()
            .apply(&mut project)
            .unwrap();
        let (bytes, _) = export(&project, "2026-12-02");
        let reviews: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(reviews[0]["reviewRating"]["alternateName"], "Mostly false");
        Edit::SetCounterClaim {
            id,
            index: 0,
            claim: CounterClaim::new("No."),
        }
        .apply(&mut project)
        .unwrap();
        let (_, warnings) = export(&project, "2026-12-02");
        assert!(warnings[0].contains("no source"), "{warnings:?}");
    }

    #[test]
    fn days_are_civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_789), "2026-12-02");
    }
}
