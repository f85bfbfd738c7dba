//! Review marks: an annotation that re-anchoring could not place with proof
//! carries one until a person resolves it (accepts its place, puts it on
//! another span, or deletes it).
//!
//! While marked, the annotation sits on its best candidate in the new text
//! (or on an empty span where its text was, when there is none), so its span
//! and its quote agree as for any annotation; the mark keeps the text it
//! marked before, which may differ.

/// Why an annotation needs review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReviewReason {
    /// Its text changed; the candidate is what replaced it.
    QuoteChanged,
    /// Its text changed only in its line breaks (CRLF, LF, CR); the candidate is the same text with the new breaks.
    LineBreaksChanged,
    /// Its quote is found in `places` places and the context singles out none; the candidate is the likeliest.
    Ambiguous { places: usize },
    /// Its quote is found once, but the text around it changed, so the place is not proven.
    ContextChanged,
    /// Its text was deleted; there is no candidate.
    Deleted,
}

impl ReviewReason {
    /// The reason's name in files and JSON output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ReviewReason::QuoteChanged => "quote-changed",
            ReviewReason::LineBreaksChanged => "line-breaks-changed",
            ReviewReason::Ambiguous { .. } => "ambiguous",
            ReviewReason::ContextChanged => "context-changed",
            ReviewReason::Deleted => "deleted",
        }
    }

    /// The reason with this name ([`ReviewReason::name`]); `places` counts
    /// only for `ambiguous`.
    #[must_use]
    pub fn from_name(name: &str, places: usize) -> Option<Self> {
        Some(match name {
            "quote-changed" => ReviewReason::QuoteChanged,
            "line-breaks-changed" => ReviewReason::LineBreaksChanged,
            "ambiguous" => ReviewReason::Ambiguous { places },
            "context-changed" => ReviewReason::ContextChanged,
            "deleted" => ReviewReason::Deleted,
            _ => return None,
        })
    }

    /// The names of all reasons, for messages.
    pub const NAMES: [&'static str; 5] = [
        "quote-changed",
        "line-breaks-changed",
        "ambiguous",
        "context-changed",
        "deleted",
    ];

    /// Whether the annotation's span is a place to accept as it is (every
    /// reason but [`ReviewReason::Deleted`], whose span is empty).
    #[must_use]
    pub fn has_candidate(self) -> bool {
        self != ReviewReason::Deleted
    }

    /// What the reason means, in words for the review list.
    #[must_use]
    pub fn in_words(self) -> String {
        match self {
            ReviewReason::QuoteChanged => "its text changed".to_owned(),
            ReviewReason::LineBreaksChanged => "only its line breaks changed".to_owned(),
            ReviewReason::Ambiguous { places } => format!("its text is found in {places} places"),
            ReviewReason::ContextChanged => "the text around it changed".to_owned(),
            ReviewReason::Deleted => "its text was deleted".to_owned(),
        }
    }
}

/// The mark of an annotation that needs review.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReviewMark {
    pub reason: ReviewReason,
    /// The text the annotation marked in the version it was made on.
    pub old_quote: String,
}
