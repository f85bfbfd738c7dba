//! Finding many short keys in the new text at once: one Aho-Corasick pass
//! per batch of keys, every occurrence reported, overlapping ones too (a
//! count of places must not miss the second `aa` of `aaa`).

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;

/// At most this many bytes of context and of quote make one search key.
pub(super) const KEY_BYTES: usize = 16;
/// Search keys are built into one automaton up to about this many bytes.
const BATCH_BYTES: usize = 1 << 20;

/// Who wants the hits of a search key, and where the quote sits in the key.
#[derive(Clone, Copy, Debug)]
pub(super) enum Watch {
    /// The quote of probe `probe` starts `at` bytes into the key.
    Before { probe: usize, at: usize },
    /// The quote of probe `probe` ends `at` bytes into the key.
    After { probe: usize, at: usize },
    /// Bare quote group `group`; the quote starts the key.
    Bare { group: usize },
}

/// The last `max` bytes of `text`, or fewer to start on a character.
pub(super) fn tail(text: &str, max: usize) -> &str {
    let mut at = text.len().saturating_sub(max);
    while !text.is_char_boundary(at) {
        at += 1;
    }
    &text[at..]
}

/// The first `max` bytes of `text`, or fewer to end on a character.
pub(super) fn head(text: &str, max: usize) -> &str {
    let mut at = max.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

/// Calls `hit` with the watcher and start of every occurrence (overlapping
/// ones too) of every key in `new`, a batch of keys at a time.
pub(super) fn for_each_hit(new: &str, keys: &[(String, Watch)], mut hit: impl FnMut(Watch, usize)) {
    for batch in batches(keys) {
        search(new, batch, &mut hit);
    }
}

/// The keys cut into batches of about [`BATCH_BYTES`] each.
fn batches(keys: &[(String, Watch)]) -> Vec<&[(String, Watch)]> {
    let mut batches = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (index, (key, _)) in keys.iter().enumerate() {
        bytes += key.len();
        if bytes >= BATCH_BYTES {
            batches.push(&keys[start..=index]);
            (start, bytes) = (index + 1, 0);
        }
    }
    if start < keys.len() {
        batches.push(&keys[start..]);
    }
    batches
}

/// Calls `hit` for every occurrence of every key of one batch.
fn search(new: &str, keys: &[(String, Watch)], hit: &mut impl FnMut(Watch, usize)) {
    let mut distinct: Vec<&str> = Vec::new();
    let mut watchers: Vec<Vec<Watch>> = Vec::new();
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    for (key, watch) in keys {
        let index = *index_of.entry(key.as_str()).or_insert_with(|| {
            distinct.push(key);
            watchers.push(Vec::new());
            distinct.len() - 1
        });
        watchers[index].push(*watch);
    }
    if let Ok(automaton) = AhoCorasick::new(&distinct) {
        for found in automaton.find_overlapping_iter(new) {
            for &watch in &watchers[found.pattern().as_usize()] {
                hit(watch, found.start());
            }
        }
        return;
    }
    // Only if the automaton would be too large: the same search, key by key.
    for (key, watchers) in distinct.iter().zip(&watchers) {
        for start in occurrences(new, key, 0..new.len()) {
            for &watch in watchers {
                hit(watch, start);
            }
        }
    }
}

/// Every start of `needle` in `haystack[range]`, overlapping ones included.
pub(super) fn occurrences<'h>(
    haystack: &'h str,
    needle: &'h str,
    range: Range<usize>,
) -> impl Iterator<Item = usize> + 'h {
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let bytes = haystack.as_bytes().get(..range.end).unwrap_or_default();
    let mut from = range.start;
    std::iter::from_fn(move || {
        if needle.is_empty() {
            return None;
        }
        let found = from + finder.find(bytes.get(from..)?)?;
        from = found + 1;
        Some(found)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_cut_on_characters() {
        assert_eq!(tail("aé", 1), "");
        assert_eq!(tail("aé", 2), "é");
        assert_eq!(head("éa", 1), "");
        assert_eq!(head("éa", 3), "éa");
        let needle = "aa";
        assert_eq!(occurrences("aaaa", needle, 0..4).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(occurrences("aaaa", needle, 1..3).collect::<Vec<_>>(), [1]);
    }
}
