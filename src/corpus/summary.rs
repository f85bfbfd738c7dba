//! What the document list needs of a project file, read without building
//! it: text size, annotations, annotations per tag, a fingerprint of its tag
//! set and its source path.
//!
//! A corpus of 2,000 files and 1,000,000 annotations is opened by reading
//! every file once (when the [`super::cache`] has nothing for it), so this
//! reads the two bulk lists (annotations and text lines) of a file in the
//! layout the program writes without allocating anything per line: it counts
//! the annotation lines and their tags and adds up the unescaped length of
//! the text lines. The rest of the file goes through ron and must be exactly
//! what the writer makes, as [`crate::project_file::bulk`] requires. Any
//! other layout (hand edits, an error) goes to the project file's own reader,
//! whose errors are in words.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cache::FileKey;
use crate::model::source_text::sha256_hex;
use crate::model::tag_set::{Tag, TagId, TagSet};
use crate::project_file::bulk::{CLOSE_LIST, EMPTY_ANNOTATIONS, EMPTY_TEXT, ITEM_INDENT, OPEN_ANNOTATIONS, OPEN_TEXT};
use crate::project_file::schema::{CURRENT_VERSION, ContentError, FORMAT_NAME, HEADER_COMMENT, ProjectFile};
use crate::project_file::{self, LoadError};
use crate::storage;

/// What a project file holds, as the document list needs it; cached on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Bytes of the text (UTF-8).
    pub size_bytes: u64,
    pub annotations: usize,
    /// Annotations carrying each tag.
    pub tag_counts: BTreeMap<TagId, usize>,
    /// [`tag_set_fingerprint`] of the project's tag set.
    pub tag_set_sha256: String,
    /// The project's `source.path`, as written.
    pub source_path: Option<String>,
    /// Why the file cannot be read, in words.
    pub problem: Option<String>,
}

/// How many tag sets each thread remembers the fingerprint of (a corpus has one or a few).
const REMEMBERED_TAG_SETS: usize = 8;

thread_local! {
    /// The tag sets this thread fingerprinted last, with their fingerprints:
    /// comparing a set is much cheaper than serialising and hashing it, and
    /// the documents of a corpus mostly share one.
    static FINGERPRINTS: std::cell::RefCell<Vec<(TagSet, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The line that opens a non-empty tag list in the canonical layout, and an empty one.
const OPEN_TAG_SET: &str = "    tag_set: [\n";
const EMPTY_TAG_SET: &str = "    tag_set: [],\n";

thread_local! {
    /// Tag lists as written (the lines from `tag_set: [` to its `],`) that
    /// this thread found canonical, with the tags they hold. ron writes each
    /// field of the file on its own lines whatever the others hold, so a file
    /// whose tag lines are one of these is canonical when the rest of it is:
    /// the rest is then checked with an empty tag list in their place, and
    /// the tags (most of a skeleton's parsing and writing) are not read again.
    static CHECKED_TAG_LISTS: std::cell::RefCell<Vec<(String, Vec<Tag>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A hash of a tag set, the same for equal sets.
#[must_use]
pub fn tag_set_fingerprint(tag_set: &TagSet) -> String {
    FINGERPRINTS.with_borrow_mut(|remembered| {
        if let Some((_, fingerprint)) = remembered.iter().find(|(set, _)| set == tag_set) {
            return fingerprint.clone();
        }
        // Serialising plain strings, numbers and lists does not fail; if it ever did, no set would match it.
        let fingerprint = sha256_hex(ron::to_string(tag_set).unwrap_or_default().as_bytes());
        if remembered.len() == REMEMBERED_TAG_SETS {
            remembered.remove(0);
        }
        remembered.push((tag_set.clone(), fingerprint.clone()));
        fingerprint
    })
}

/// The summary of the project file at `path`, with the key of the file as it was read.
#[must_use]
pub fn summarise(path: &Path) -> (FileKey, Summary) {
    match storage::read_unhashed(path) {
        Ok((bytes, metadata)) => (FileKey::of(&metadata), of_bytes(&bytes)),
        Err(error) => {
            let key = std::fs::metadata(path).map_or(
                FileKey {
                    device: 0,
                    inode: 0,
                    len: 0,
                    modified: (0, 0),
                },
                |metadata| FileKey::of(&metadata),
            );
            (key, broken(error.to_string()))
        }
    }
}

/// The summary of a project file's bytes.
#[must_use]
pub fn of_bytes(bytes: &[u8]) -> Summary {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let source = match std::str::from_utf8(bytes) {
        Ok(source) => source,
        Err(error) => return broken(LoadError::NotUtf8(error.valid_up_to()).to_string()),
    };
    if let Some(summary) = quick(source) {
        return summary;
    }
    match parse(source) {
        Ok(file) => of_file(file),
        Err(error) => broken(error.to_string()),
    }
}

/// The tag set a project file declares, if it can be read.
#[must_use]
pub fn tag_set_of_file(bytes: &[u8]) -> Option<TagSet> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    parse(std::str::from_utf8(bytes).ok()?).ok().map(tag_set)
}

fn broken(problem: String) -> Summary {
    Summary {
        size_bytes: 0,
        annotations: 0,
        tag_counts: BTreeMap::new(),
        tag_set_sha256: String::new(),
        source_path: None,
        problem: Some(problem),
    }
}

fn tag_set(file: ProjectFile) -> TagSet {
    TagSet {
        tags: file.tag_set,
        relation_types: file.relation_types,
        document_labels: file.document_label_declarations,
    }
}

/// The structure of a project file, refused as loading would refuse it
/// when it is not a project, from a newer version or broken.
fn parse(source: &str) -> Result<ProjectFile, LoadError> {
    match project_file::parse(source) {
        Ok(file) if file.format == FORMAT_NAME && file.version > CURRENT_VERSION => {
            Err(LoadError::NewerVersion { found: file.version })
        }
        Ok(file) if file.format != FORMAT_NAME => Err(LoadError::Content(ContentError::NotAProject(file.format))),
        Ok(file) => Ok(file),
        // Loading names the place of the error in words.
        Err(error) => Err(project_file::from_ron_str(source).err().unwrap_or(LoadError::Syntax {
            line: error.span.start.line,
            column: error.span.start.col,
            message: error.code.to_string(),
        })),
    }
}

/// The summary of a parsed file.
fn of_file(file: ProjectFile) -> Summary {
    let mut tag_counts = BTreeMap::new();
    for record in &file.annotations {
        for tag in &record.tags {
            *tag_counts.entry(tag.clone()).or_insert(0) += 1;
        }
    }
    Summary {
        size_bytes: file.text.iter().map(|line| line.len() as u64).sum(),
        annotations: file.annotations.len(),
        tag_counts,
        source_path: file.source.path.clone(),
        tag_set_sha256: tag_set_fingerprint(&tag_set(file)),
        problem: None,
    }
}

/// The summary read from the canonical layout, or `None` for any other.
fn quick(source: &str) -> Option<Summary> {
    let mut skeleton = String::with_capacity(16 * 1024);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut annotations = None;
    let mut size_bytes = None;
    // The tag set's lines when they are ones already checked: left out of the skeleton.
    let mut known_tags = None;
    let mut tag_lines = None;
    let mut lines = source.split_inclusive('\n');
    while let Some(line) = lines.next() {
        if line == OPEN_ANNOTATIONS && annotations.is_none() {
            let mut count = 0;
            for body in items(&mut lines) {
                count_tags(body?, &mut counts)?;
                count += 1;
            }
            annotations = Some(count);
            skeleton.push_str(EMPTY_ANNOTATIONS);
        } else if line == OPEN_TEXT && size_bytes.is_none() {
            let mut bytes = 0;
            for body in items(&mut lines) {
                bytes += unescaped_len(body?.strip_prefix('"')?.strip_suffix('"')?)?;
            }
            size_bytes = Some(bytes as u64);
            skeleton.push_str(EMPTY_TEXT);
        } else if line == OPEN_TAG_SET && tag_lines.is_none() {
            let mut region = String::from(line);
            loop {
                let line = lines.next()?;
                region.push_str(line);
                if line == CLOSE_LIST {
                    break;
                }
            }
            known_tags = CHECKED_TAG_LISTS.with_borrow(|checked| {
                checked
                    .iter()
                    .find(|(lines, _)| *lines == region)
                    .map(|(_, tags)| tags.clone())
            });
            skeleton.push_str(if known_tags.is_some() { EMPTY_TAG_SET } else { &region });
            tag_lines = Some(region);
        } else {
            skeleton.push_str(line);
        }
    }
    let mut file: ProjectFile = ron::from_str(&skeleton).ok()?;
    let canonical = ron::ser::to_string_pretty(&file, project_file::pretty_config()).ok()?;
    if skeleton.strip_prefix(HEADER_COMMENT)?.strip_suffix('\n')? != canonical
        || file.format != FORMAT_NAME
        || file.version > CURRENT_VERSION
    {
        return None;
    }
    match (known_tags, tag_lines) {
        (Some(tags), _) => file.tag_set = tags,
        (None, Some(lines)) => CHECKED_TAG_LISTS.with_borrow_mut(|checked| {
            if checked.len() == REMEMBERED_TAG_SETS {
                checked.remove(0);
            }
            checked.push((lines, file.tag_set.clone()));
        }),
        (None, None) => {}
    }
    let mut summary = of_file(file);
    summary.annotations = annotations.unwrap_or(0);
    summary.size_bytes = size_bytes.unwrap_or(0);
    summary.tag_counts = counts
        .into_iter()
        .map(|(tag, count)| (TagId(tag.to_owned()), count))
        .collect();
    Some(summary)
}

/// The bodies of a list's items, one per line, up to the line closing the
/// list; an item out of layout (or no closing line) gives `None`.
fn items<'a>(lines: &mut impl Iterator<Item = &'a str>) -> impl Iterator<Item = Option<&'a str>> {
    let mut closed = false;
    std::iter::from_fn(move || {
        if closed {
            return None;
        }
        match lines.next() {
            None => {
                closed = true;
                Some(None)
            }
            Some(line) if line == CLOSE_LIST => {
                closed = true;
                None
            }
            Some(line) => Some(line.strip_prefix(ITEM_INDENT).and_then(|body| body.strip_suffix(",\n"))),
        }
    })
}

/// `rest` after a run of ASCII digits (at least one).
fn skip_number(rest: &str) -> Option<&str> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0).then(|| &rest[digits..])
}

/// A quoted string at the start of `rest`: its raw (escaped) content and what follows.
fn quoted(rest: &str) -> Option<(&str, &str)> {
    let body = rest.strip_prefix('"')?;
    let bytes = body.as_bytes();
    let mut at = 0;
    loop {
        at += memchr::memchr2(b'"', b'\\', &bytes[at..])?;
        if bytes[at] == b'"' {
            return Some((&body[..at], &body[at + 1..]));
        }
        // An escape: the backslash and the character it escapes (`\u{…}` holds no quote).
        at += 2;
    }
}

/// Counts the tags of one annotation line (`(id: 1, uid: "…", start: 0, end: 5, quote: "…", tags: ["A", "B"], …)`).
fn count_tags<'a>(line: &'a str, counts: &mut BTreeMap<&'a str, usize>) -> Option<()> {
    let mut rest = skip_number(line.strip_prefix("(id: ")?)?;
    if let Some(uid) = rest.strip_prefix(", uid: ") {
        rest = quoted(uid)?.1;
    }
    rest = skip_number(rest.strip_prefix(", start: ")?)?;
    rest = skip_number(rest.strip_prefix(", end: ")?)?;
    rest = quoted(rest.strip_prefix(", quote: ")?)?.1;
    if let Some(list) = rest.strip_prefix(", tags: [") {
        rest = list;
        loop {
            let (tag, after) = quoted(rest)?;
            // A tag id written with escapes is left to the full reader.
            if tag.contains('\\') {
                return None;
            }
            *counts.entry(tag).or_insert(0) += 1;
            if let Some(more) = after.strip_prefix(", ") {
                rest = more;
            } else {
                after.strip_prefix(']')?;
                break;
            }
        }
    }
    Some(())
}

/// The UTF-8 length of an escaped string's content (escapes as `char::escape_debug` writes them).
fn unescaped_len(escaped: &str) -> Option<usize> {
    let bytes = escaped.as_bytes();
    let mut length = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'\\', &bytes[at..]) {
        length += found;
        at += found + 1;
        match bytes.get(at)? {
            b'n' | b'r' | b't' | b'0' | b'\\' | b'"' | b'\'' => {
                length += 1;
                at += 1;
            }
            b'u' => {
                let hex = escaped[at + 1..].strip_prefix('{')?;
                let digits = hex.find('}')?;
                let code = u32::from_str_radix(hex.get(..digits)?, 16).ok()?;
                length += char::from_u32(code)?.len_utf8();
                at += 1 + 1 + digits + 1;
            }
            _ => return None,
        }
    }
    Some(length + bytes.len() - at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::{Mark, project, tags};
    use crate::model::review::{ReviewMark, ReviewReason};
    use proptest::prelude::*;

    /// The summary the full reader gives.
    fn full(source: &str) -> Summary {
        of_file(parse(source).unwrap())
    }

    #[test]
    fn the_quick_reading_agrees_with_the_full_one_on_escapes_tags_and_marks() {
        let set = tags(&["Doubt", "Fear", "Smears"]);
        let text = "Tab\there, \"quotes\" and 'single', back\\slash, NUL-free \u{1} control,\r\nZürich 👨‍👩‍👧 日本, tags: [\"Doubt\"]\n";
        let marks = [
            Mark(0, 3, &["Doubt"], &["A claim with , tags: [\"Smears\"] inside."]),
            Mark(5, 9, &["Fear", "Doubt"], &[]),
            Mark(11, 19, &[], &[]),
            Mark(
                text.find("Zürich").unwrap(),
                text.find(", tags").unwrap(),
                &["Smears"],
                &["x"],
            ),
        ];
        let mut with_marks = project(text, &set, &marks);
        with_marks.set_source_path(Some("sources/a \"b\".txt".into()));
        let reviewed = project(text, &set, &[Mark(0, 3, &["Doubt"], &[])]);
        let mut annotation = reviewed.annotations().next().unwrap().clone();
        annotation.review = Some(ReviewMark {
            reason: ReviewReason::QuoteChanged,
            old_quote: "Tub".into(),
        });
        let reviewed = crate::model::project::Project::from_parts(
            text.to_owned(),
            reviewed.source().clone(),
            set.clone(),
            vec![annotation],
        )
        .unwrap();
        for project in [with_marks, reviewed, project("", &set, &[])] {
            let source = project_file::to_ron_string(&project).unwrap();
            let quick = quick(&source).expect("the canonical layout");
            assert_eq!(quick, full(&source));
            assert_eq!(quick.size_bytes, project.text().len() as u64);
        }
    }

    #[test]
    fn a_tag_list_seen_before_is_not_read_again_but_the_rest_is_still_checked() {
        let set = TagSet::default_set();
        let first = project_file::to_ron_string(&project("One two", &set, &[Mark(0, 3, &["Doubt"], &[])])).unwrap();
        let second = project_file::to_ron_string(&project("Three", &set, &[])).unwrap();
        for source in [&first, &second, &first] {
            assert_eq!(quick(source), Some(full(source)));
        }
        let tag_lines =
            CHECKED_TAG_LISTS.with_borrow(|checked| checked.iter().filter(|(_, tags)| *tags == set.tags).count());
        assert_eq!(tag_lines, 1);
        let hand_edited = second.replace("    version: 3,\n", "    version:  3,\n");
        assert_eq!(quick(&hand_edited), None, "the lines around known tags are checked");
        let other_tags = second.replacen("(id: \"Doubt\", name: \"", "(id: \"Doubt\", name: \"Some ", 1);
        assert_ne!(other_tags, second);
        let summary = quick(&other_tags).unwrap();
        assert_eq!(summary, full(&other_tags));
        assert_ne!(summary.tag_set_sha256, full(&second).tag_set_sha256);
    }

    #[test]
    fn a_tag_id_with_escapes_goes_to_the_full_reader() {
        let set = tags(&["Fear \"quoted\"", "Doubt"]);
        let source = project_file::to_ron_string(&project(
            "One two",
            &set,
            &[Mark(0, 3, &["Fear \"quoted\"", "Doubt"], &[])],
        ))
        .unwrap();
        assert_eq!(quick(&source), None);
        let summary = of_bytes(source.as_bytes());
        assert_eq!(summary, full(&source));
        assert_eq!(summary.tag_counts[&TagId("Fear \"quoted\"".into())], 1);
    }

    #[test]
    fn another_layout_goes_to_the_full_reader_and_errors_are_in_words() {
        let set = tags(&["Doubt"]);
        let source = project_file::to_ron_string(&project("One two", &set, &[Mark(0, 3, &["Doubt"], &[])])).unwrap();
        let edited = source.replace("    annotations: [\n", "    annotations: [ // by hand\n");
        assert_eq!(quick(&edited), None);
        assert_eq!(of_bytes(edited.as_bytes()), full(&source));
        let commented = source.replacen("(\n", "( // a comment\n", 1);
        assert_eq!(quick(&commented), None);
        assert_eq!(of_bytes(commented.as_bytes()).annotations, 1);

        let cut = &source[..source.len() - 10];
        let problem = of_bytes(cut.as_bytes()).problem.unwrap();
        assert!(
            problem.starts_with("the project file cannot be read at line"),
            "{problem}"
        );
        let newer = source.replace("version: 3,", "version: 4,");
        let problem = of_bytes(newer.as_bytes()).problem.unwrap();
        assert!(problem.contains("newer Counterpoint"), "{problem}");
        let problem = of_bytes(b"\xff").problem.unwrap();
        assert!(problem.contains("not valid UTF-8"), "{problem}");
    }

    #[test]
    fn equal_tag_sets_have_one_fingerprint_and_different_ones_differ() {
        let sets: Vec<TagSet> = (0..REMEMBERED_TAG_SETS + 3)
            .map(|n| tags(&[&format!("Tag{n}"), "Doubt"]))
            .collect();
        let first: Vec<String> = sets.iter().map(tag_set_fingerprint).collect();
        let again: Vec<String> = sets.iter().rev().map(tag_set_fingerprint).collect();
        assert_eq!(first, again.into_iter().rev().collect::<Vec<_>>());
        let distinct: std::collections::BTreeSet<&String> = first.iter().collect();
        assert_eq!(distinct.len(), sets.len());
        assert_eq!(first[0], sha256_hex(ron::to_string(&sets[0]).unwrap().as_bytes()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn unescaped_length_is_the_length_of_what_ron_wrote(text in "\\PC{0,40}|[\\t\\r\\n\\\\\"'\\u{0}-\\u{1f}\\u{7f}-\\u{9f}\\u{200b}-\\u{200f}é]{0,20}") {
            let written = ron::to_string(&text).unwrap();
            let escaped = written.strip_prefix('"').unwrap().strip_suffix('"').unwrap();
            prop_assert_eq!(unescaped_len(escaped), Some(text.len()));
        }
    }
}
