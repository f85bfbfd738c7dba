//! Deterministic documents and annotations for the scale benchmark.
//!
//! A small seeded generator (`SplitMix64`) so every run measures the same bytes:
//! English-like paragraphs, or a multilingual mix (Cyrillic, CJK, emoji with
//! ZWJ sequences and flags), and annotations on word boundaries, short and
//! long, nested and overlapping, with tags and counter-claims.

use counterpoint::model::annotation::{Annotation, AnnotationId, CounterClaim};
use counterpoint::model::project::{Project, SourceInfo};
use counterpoint::model::span::Span;
use counterpoint::model::tag_set::TagSet;

/// Which kind of text to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    English,
    Multilingual,
}

/// One generated case: text of about `size_bytes` bytes and `annotations` annotations.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub script: Script,
    pub size_bytes: usize,
    pub annotations: usize,
    pub seed: u64,
}

const ENGLISH: &[&str] = &[
    "the",
    "government",
    "claims",
    "that",
    "every",
    "citizen",
    "will",
    "benefit",
    "from",
    "new",
    "policy",
    "but",
    "critics",
    "say",
    "numbers",
    "do",
    "not",
    "add",
    "up",
    "and",
    "experts",
    "warn",
    "of",
    "a",
    "crisis",
    "in",
    "health",
    "care",
    "while",
    "officials",
    "insist",
    "economy",
    "is",
    "stronger",
    "than",
    "ever",
    "before",
    "according",
    "to",
    "report",
    "published",
    "last",
    "week",
    "by",
    "independent",
    "institute",
    "which",
    "found",
    "evidence",
    "widespread",
    "fraud",
    "among",
    "those",
    "who",
    "oppose",
    "reform",
    "people",
    "deserve",
    "truth",
    "about",
    "what",
    "happened",
    "this",
    "year",
];
const OTHER: &[&str] = &[
    "правительство",
    "заявляет",
    "что",
    "каждый",
    "гражданин",
    "получит",
    "выгоду",
    "эксперты",
    "предупреждают",
    "政府",
    "声称",
    "每个",
    "公民",
    "都将",
    "受益",
    "专家",
    "警告",
    "危机",
    "经济",
    "報告",
    "によると",
    "👍",
    "🎉",
    "👨‍👩‍👧‍👦",
    "🇺🇦",
    "👍🏽",
    "café",
    "naïve",
    "e\u{301}te\u{301}",
];

/// The `SplitMix64` generator: tiny, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next_u64() % bound as u64).unwrap_or(0)
    }
}

/// The document text: sentences of 5–24 words, paragraphs of 2–8 sentences
/// separated by blank lines, cut at a word end once `size_bytes` is reached.
pub fn text(script: Script, size_bytes: usize, rng: &mut Rng) -> String {
    let mut text = String::with_capacity(size_bytes + 64);
    while text.len() < size_bytes {
        let sentences = 2 + rng.below(7);
        for sentence in 0..sentences {
            if sentence > 0 {
                text.push(' ');
            }
            let words = 5 + rng.below(20);
            for word_index in 0..words {
                if word_index > 0 {
                    text.push(' ');
                }
                let word = if script == Script::Multilingual && rng.below(3) == 0 {
                    OTHER[rng.below(OTHER.len())]
                } else {
                    ENGLISH[rng.below(ENGLISH.len())]
                };
                if word_index == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        text.extend(first.to_uppercase());
                        text.push_str(chars.as_str());
                    }
                } else {
                    text.push_str(word);
                }
                if word_index + 1 < words && rng.below(10) == 0 {
                    text.push(',');
                }
            }
            text.push('.');
            if text.len() >= size_bytes {
                break;
            }
        }
        text.push_str("\n\n");
    }
    text
}

/// Byte ranges of the words (runs between spaces and line breaks).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (index, ch) in text.char_indices() {
        let is_gap = ch == ' ' || ch == '\n';
        match (start, is_gap) {
            (None, false) => start = Some(index),
            (Some(begin), true) => {
                words.push((begin, index));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(begin) = start {
        words.push((begin, text.len()));
    }
    words
}

/// `count` annotations over word boundaries: mostly 1–5 words, some a whole
/// sentence or more; every fourth one nests inside or overlaps the one before.
pub fn annotations(text: &str, count: usize, tag_set: &TagSet, rng: &mut Rng) -> Vec<Annotation> {
    let words = words(text);
    let mut annotations: Vec<Annotation> = Vec::with_capacity(count);
    if words.is_empty() {
        return annotations;
    }
    for number in 0..count {
        let length = match rng.below(20) {
            0 => 20 + rng.below(60),
            1..=3 => 6 + rng.below(14),
            _ => 1 + rng.below(5),
        };
        let first = match annotations.last() {
            Some(previous) if number % 4 == 3 => {
                let previous_first = words.partition_point(|w| w.0 < previous.span.start.0);
                (previous_first + rng.below(3)).min(words.len() - 1)
            }
            _ => rng.below(words.len()),
        };
        let last = (first + length - 1).min(words.len() - 1);
        let span = Span::new(words[first].0, words[last].1);
        let mut annotation = Annotation::new(AnnotationId(number as u64 + 1), span);
        for _ in 0..=rng.below(3) {
            let tag = &tag_set.tags[rng.below(tag_set.tags.len())].id;
            if !annotation.tags.contains(tag) {
                annotation.tags.push(tag.clone());
            }
        }
        if rng.below(10) == 0 {
            let mut claim = CounterClaim::new(format!("Claim {number} is not supported by the cited report."));
            if rng.below(2) == 0 {
                claim.sources.push(format!("https://example.org/fact-check/{number}"));
            }
            annotation.counter_claims.push(claim);
        }
        annotations.push(annotation);
    }
    annotations
}

/// The whole project of one case, with the default tag set.
pub fn project(spec: Spec) -> Project {
    let mut rng = Rng::new(spec.seed);
    let text = text(spec.script, spec.size_bytes, &mut rng);
    let tag_set = TagSet::default_set();
    let annotations = annotations(&text, spec.annotations, &tag_set, &mut rng);
    let source = SourceInfo::of_text(&text);
    Project::from_parts(text, source, tag_set, annotations).expect("generated spans lie on word boundaries")
}
