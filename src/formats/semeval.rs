//! `SemEval` propaganda span files: `SemEval`-2020 Task 11 (`article<ID>.txt`
//! with `article<ID>.task2-TC.labels`, lines `ID<TAB>technique<TAB>start<TAB>end`,
//! or `article<ID>.task1-SI.labels`, lines `ID<TAB>start<TAB>end`) and
//! `SemEval`-2023 Task 3 (the same four columns).
//!
//! Offsets: Unicode code points over the RAW article text, start inclusive,
//! end exclusive: a UTF-8 byte-order mark counts as code point 0 (our text
//! has it removed, so every offset is one more than in our text) and a CRLF
//! counts as two. Converted by [`RawCharIndex`] with [`CrlfCount::Two`].
//! Newlines: the article keeps its own (export writes the original bytes);
//! label lines may end in LF, CRLF or a lone CR and are written with LF.
//!
//! Checked against the task's own scorer, the Propaganda Techniques Corpus
//! scorer v0.1 (G. Da San Martino, 2019, used for `SemEval`-2020 Task 11; a
//! public copy is `SemEval/SemEval20/evaluation/src/article_annotations.py`
//! in github.com/DAMO-NLP-SG/PeerDA): it checks `len(article_content) <
//! end` and slices `article_content[start:end]`, a Python `str`, so offsets
//! are code points. The BOM and CRLF rules are those found in the released
//! articles of PTC v2 (`SemEval`-2020 Task 11) and of `SemEval`-2023 Task 3,
//! as recorded in `tests/fixtures/realdata/README.md`.
//!
//! Each label line becomes one annotation (ids 1, 2, … in line order), so
//! two techniques on one span stay two lines. Technique names map onto the
//! tag set, 2020 names included (see `labels`), and keep their spelling, so
//! import → export gives back the same label lines in the same order. The
//! article ID and whether the file had three columns (task 1) are kept in the
//! project ([`ForeignRecord`]s `article=<ID>`, `columns=3`). Counter-claims
//! cannot be written: export says how many were left out. A tag holding a
//! tab or a line break, which would end its column or line, is written with
//! spaces in their place, named in the export report, and found again by
//! that form on import. A label file that
//! covers several articles (`SemEval`-2023 ships one per language) is narrowed
//! to the lines of the text's own article (`article<ID>.txt`), with a warning.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::labels::TagResolver;
use super::{ExportedFiles, Format, FormatError, Imported, InputFile, Reader};
use crate::messages::echo;
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::offsets::{ByteOffset, CharOffset, CrlfCount, OffsetError, RawCharIndex, RawCharRule};
use crate::model::project::{ForeignRecord, Project, SourceInfo};
use crate::model::source_text::{self, Encoding};
use crate::model::span::Span;
use crate::model::tag_set::TagSet;

/// The format's command-line name.
pub const NAME: &str = "semeval";
const ARTICLE_RECORD: &str = "article=";
const THREE_COLUMNS_RECORD: &str = "columns=3";
/// The suffixes of label files, most specific first.
const LABEL_SUFFIXES: [&str; 3] = [".task2-TC.labels", ".task1-SI.labels", ".labels"];

/// `SemEval` propaganda spans (`article<ID>.txt` + `.labels`).
pub static FORMAT: Format = Format {
    name: NAME,
    title: "SemEval propaganda spans (article.txt + .labels)",
    summary: "SemEval propaganda spans: article<ID>.txt + .labels (code points over the raw text)",
    extension: "labels",
    reader: Reader::Standoff(import),
    writer: Some(export),
    annotations_beside: Some(labels_beside),
    text_beside: Some(article_beside),
};

/// The label files of an article, most specific first.
fn labels_beside(text: &Path) -> Vec<PathBuf> {
    let stem = text.file_stem().unwrap_or_default().to_string_lossy();
    LABEL_SUFFIXES[..2]
        .iter()
        .map(|suffix| text.with_file_name(format!("{stem}{suffix}")))
        .collect()
}

/// The article beside a label file: `article1.task2-TC.labels` → `article1.txt`.
fn article_beside(annotations: &Path) -> Option<PathBuf> {
    let name = annotations.file_name()?.to_string_lossy().into_owned();
    let stem = LABEL_SUFFIXES
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .map_or_else(
            || {
                annotations
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            },
            str::to_owned,
        );
    Some(annotations.with_file_name(format!("{stem}.txt")))
}

fn rule(bom: bool) -> RawCharRule {
    RawCharRule {
        bom,
        crlf: CrlfCount::Two,
    }
}

/// One label line.
struct Label<'l> {
    article: &'l str,
    technique: Option<&'l str>,
    start: usize,
    end: usize,
}

fn parse_line(line: &str, number: usize) -> Result<Label<'_>, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let (article, technique, start, end) = match fields[..] {
        [article, technique, start, end] => (article, Some(technique), start, end),
        [article, start, end] => (article, None, start, end),
        _ => {
            return Err(format!(
                "line {number} has {} tab-separated columns; expected ID, technique, start, end (or ID, start, end)",
                fields.len()
            ));
        }
    };
    let parse = |what: &str, value: &str| {
        value
            .trim()
            .parse::<usize>()
            .map_err(|_| format!("line {number}: the {what} offset {} is not a number", echo(value)))
    };
    Ok(Label {
        article,
        technique,
        start: parse("start", start)?,
        end: parse("end", end)?,
    })
}

/// Reads an article and its label file.
pub fn import(text_file: InputFile<'_>, labels_file: InputFile<'_>, tag_set: TagSet) -> Result<Imported, FormatError> {
    let decoded = source_text::decode(text_file.bytes).map_err(|e| FormatError::decode(&text_file, e))?;
    let source = SourceInfo::of_file(text_file.path.map(str::to_owned), text_file.bytes, &decoded);
    let text = decoded.text;
    let counted_bom = decoded.bom && decoded.encoding == Encoding::Utf8;
    let raw = RawCharIndex::new(&text, rule(counted_bom));
    let labels_text = super::annotation_text(&labels_file)?;
    let invalid = |message: String| FormatError::invalid(&labels_file, message);
    let mut labels = Vec::new();
    for (number, line) in super::numbered_lines(&labels_text) {
        if !line.trim().is_empty() {
            labels.push((number, parse_line(line, number).map_err(invalid)?));
        }
    }
    let three_columns = labels.first().is_some_and(|(_, l)| l.technique.is_none());
    if let Some((number, _)) = labels.iter().find(|(_, l)| l.technique.is_none() != three_columns) {
        return Err(invalid(format!(
            "line {number} has a different number of columns from line {}",
            labels[0].0
        )));
    }
    let mut warnings = Vec::new();
    let labels = this_articles_labels(labels, text_file.path, &mut warnings).map_err(invalid)?;
    let article = labels.first().map(|(_, l)| l.article);
    let mut resolver = TagResolver::new(tag_set, NAME, true, labels.iter().filter_map(|(_, l)| l.technique))
        .with_written_form(technique_column);
    let mut annotations = Vec::new();
    for (id, (number, label)) in (1..).zip(&labels) {
        let to_byte = |offset: usize| match raw.raw_to_byte(&text, CharOffset(offset)) {
            Err(OffsetError::OnByteOrderMark) => Ok(ByteOffset(0)),
            other => other.map_err(|e| invalid(format!("line {number}: offset {offset}: {e}"))),
        };
        if label.start == 0 && counted_bom {
            warnings.push(format!(
                "line {number}: the span starts on the byte-order mark (offset 0); it starts at the first character here and export writes 1"
            ));
        }
        let span = Span {
            start: to_byte(label.start)?,
            end: to_byte(label.end)?,
        };
        if span.end < span.start {
            return Err(invalid(format!(
                "line {number}: the span ends ({}) before it starts ({})",
                label.end, label.start
            )));
        }
        let mut annotation = Annotation::new(AnnotationId(id), span);
        if let Some(technique) = label.technique {
            annotation.tags.push(resolver.resolve(technique));
        }
        annotations.push(annotation);
    }
    let (tag_set, mut label_warnings) = resolver.finish();
    warnings.append(&mut label_warnings);
    let mut project = Project::from_parts(text, source, tag_set, annotations).map_err(|e| invalid(e.to_string()))?;
    let mut records = Vec::new();
    if let Some(article) = article {
        records.push(format!("{ARTICLE_RECORD}{article}"));
    }
    if three_columns {
        records.push(THREE_COLUMNS_RECORD.to_owned());
    }
    project.set_foreign_records(
        records
            .into_iter()
            .map(|record| ForeignRecord {
                format: NAME.to_owned(),
                record,
                refers_to: Vec::new(),
            })
            .collect(),
    );
    Ok(Imported::flagged(project, warnings))
}

/// The article ID in a text file's name: `article123.txt` → `123`.
fn article_id_of_path(path: &str) -> Option<&str> {
    let stem = Path::new(path).file_stem()?.to_str()?;
    let digits = stem.strip_prefix("article").unwrap_or(stem);
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// The label lines of this article. A file covering several articles (as
/// `SemEval`-2023 ships them, one per language) is narrowed to the lines of
/// the article named by the text file (`article<ID>.txt`), and says so.
fn this_articles_labels<'l>(
    labels: Vec<(usize, Label<'l>)>,
    text_path: Option<&str>,
    warnings: &mut Vec<String>,
) -> Result<Vec<(usize, Label<'l>)>, String> {
    let articles: std::collections::BTreeSet<&str> = labels.iter().map(|(_, l)| l.article).collect();
    let file_article = text_path.and_then(article_id_of_path);
    match (articles.len(), file_article) {
        (0 | 1, Some(file)) if !articles.is_empty() && !articles.contains(file) => {
            warnings.push(format!(
                "the label lines name the article {}, but the text file is article {file}; they were read, and export writes the ID they name",
                echo(articles.first().copied().unwrap_or_default())
            ));
            Ok(labels)
        }
        (0 | 1, _) => Ok(labels),
        (count, Some(file)) if articles.contains(file) => {
            let total = labels.len();
            let mine: Vec<_> = labels.into_iter().filter(|(_, l)| l.article == file).collect();
            warnings.push(format!(
                "the label file covers {count} articles; the {} line(s) of article {file} were read and the other {} left to their own texts",
                mine.len(),
                total - mine.len()
            ));
            Ok(mine)
        }
        (count, Some(file)) => Err(format!(
            "the label file covers {count} articles, none of them {file} (the text file's article)"
        )),
        (count, None) => Err(format!(
            "the label file covers {count} articles; name the text file article<ID>.txt so its lines can be picked"
        )),
    }
}

/// The article ID: kept from the import, else the digits of the source file's
/// name (`article123.txt`), else the name itself.
fn article_id(project: &Project, warnings: &mut Vec<String>) -> String {
    if let Some(kept) = project
        .foreign_records_of(NAME)
        .find_map(|r| r.strip_prefix(ARTICLE_RECORD))
    {
        return kept.to_owned();
    }
    let path = project.source().path.as_deref().unwrap_or_default();
    if let Some(digits) = article_id_of_path(path) {
        return digits.to_owned();
    }
    let stem = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = if stem.is_empty() { "0".to_owned() } else { stem };
    warnings.push(format!(
        "no SemEval article ID is known for this project; the label lines name it {id}"
    ));
    id
}

/// A tag as a technique column: tabs and line breaks, which would end the
/// column or the line, become spaces.
fn technique_column(tag: &str) -> String {
    tag.replace(['\t', '\r', '\n'], " ")
}

/// Writes the label file and the article for a project.
pub fn export(project: &Project) -> Result<ExportedFiles, FormatError> {
    let text = project.text();
    let mut warnings = Vec::new();
    let article = article_id(project, &mut warnings);
    let three_columns = project.foreign_records_of(NAME).any(|r| r == THREE_COLUMNS_RECORD);
    let utf8 = project.source().encoding == Encoding::Utf8;
    let raw = RawCharIndex::new(text, rule(utf8 && project.source().bom));
    let mut out = String::new();
    let mut renamed = std::collections::BTreeMap::new();
    let (mut untagged, mut tags_left_out, mut claims) = (0, 0, 0);
    for annotation in project.annotations() {
        claims += annotation.counter_claims.len();
        let (start, end) = match (
            raw.byte_to_raw(text, annotation.span.start),
            raw.byte_to_raw(text, annotation.span.end),
        ) {
            (Ok(start), Ok(end)) => (start.0, end.0),
            (Err(e), _) | (_, Err(e)) => {
                warnings.push(format!("annotation {} left out: {e}", annotation.id));
                continue;
            }
        };
        if three_columns {
            tags_left_out += annotation.tags.len();
            let _ = writeln!(out, "{article}\t{start}\t{end}");
            continue;
        }
        if annotation.tags.is_empty() {
            untagged += 1;
        }
        for tag in &annotation.tags {
            let technique = technique_column(tag.as_str());
            if technique != tag.as_str() {
                renamed.insert(tag.as_str(), technique.clone());
            }
            let _ = writeln!(out, "{article}\t{technique}\t{start}\t{end}");
        }
    }
    for (tag, technique) in renamed {
        warnings.push(format!(
            "the tag {} is written as the technique {} (a tab or line break would end its column); \
             importing the file again gives it back as {} where the tag set has that tag",
            echo(tag),
            echo(&technique),
            echo(tag)
        ));
    }
    if untagged > 0 {
        warnings.push(format!(
            "{untagged} annotation(s) without a tag left out: a technique label line needs a technique"
        ));
    }
    if tags_left_out > 0 {
        warnings.push(format!(
            "{tags_left_out} tag(s) left out: this project came from a span-only (task 1) file, written back with three columns"
        ));
    }
    if claims > 0 {
        warnings.push(format!(
            "{claims} counter-claim(s) left out: SemEval span files cannot hold them"
        ));
    }
    Ok(ExportedFiles {
        main: out.into_bytes(),
        text: Some(project.exported_source()?),
        warnings,
        companion: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tag_set::TagId;
    use proptest::prelude::*;

    fn import_str(text: &[u8], labels: &str) -> Result<Imported, FormatError> {
        import(
            InputFile {
                path: Some("article111.txt"),
                bytes: text,
            },
            InputFile {
                path: Some("article111.task2-TC.labels"),
                bytes: labels.as_bytes(),
            },
            TagSet::default_set(),
        )
    }

    fn quotes(project: &Project) -> Vec<&str> {
        project
            .annotations()
            .map(|a| a.span.quote(project.text()).unwrap())
            .collect()
    }

    #[test]
    fn a_tag_with_a_tab_is_written_with_a_space_named_and_found_again() {
        let mut tag_set = TagSet::default_set();
        tag_set.tags[0].id = TagId("Odd\ttag".into());
        let mut annotation = Annotation::new(AnnotationId(1), Span::new(0, 2));
        annotation.tags.push(TagId("Odd\ttag".into()));
        let mut project = Project::from_parts(
            "ab".into(),
            SourceInfo::of_text("ab"),
            tag_set.clone(),
            vec![annotation],
        )
        .unwrap();
        project.set_source_path(Some("article5.txt".into()));
        let exported = export(&project).unwrap();
        assert_eq!(String::from_utf8(exported.main.clone()).unwrap(), "5\tOdd tag\t0\t2\n");
        assert_eq!(
            exported.warnings,
            [
                "the tag \"Odd\\ttag\" is written as the technique \"Odd tag\" (a tab or line break would end its column); \
              importing the file again gives it back as \"Odd\\ttag\" where the tag set has that tag"
            ]
        );
        let imported = import(
            InputFile {
                path: Some("article5.txt"),
                bytes: b"ab",
            },
            InputFile {
                path: None,
                bytes: &exported.main,
            },
            tag_set,
        )
        .unwrap();
        assert_eq!(
            imported.project.annotations().next().unwrap().tags,
            [TagId("Odd\ttag".into())]
        );
    }

    #[test]
    fn a_bom_is_code_point_zero_and_a_crlf_counts_two() {
        // Raw: BOM=0, "Hi"=1..3, CRLF=3..5, "👍 yes"=5..10.
        let text = "\u{feff}Hi\r\n👍 yes";
        let labels = "111\tLoaded_Language\t1\t3\r\n111\tDoubt\t7\t10\r\n";
        let imported = import_str(text.as_bytes(), labels).unwrap();
        assert_eq!(quotes(&imported.project), ["Hi", "yes"]);
        let exported = export(&imported.project).unwrap();
        assert_eq!(String::from_utf8(exported.main).unwrap(), labels.replace("\r\n", "\n"));
        assert_eq!(exported.text.unwrap(), text.as_bytes());
    }

    #[test]
    fn semeval_2020_names_come_back_spelled_as_they_came() {
        let labels = "7\tName_Calling,Labeling\t0\t3\n7\tAppeal_to_fear-prejudice\t4\t6\n7\tName_Calling,Labeling\t0\t6\n7\tMade_Up\t0\t1\n";
        let imported = import_str(b"abc def", labels).unwrap();
        let project = &imported.project;
        let tag = project.tag_set().get(&TagId("Name_Calling,Labeling".into())).unwrap();
        assert_eq!(tag.category, "Attack on reputation");
        assert!(imported.warnings.iter().any(|w| w.contains("Made_Up")));
        let exported = export(project).unwrap();
        assert_eq!(String::from_utf8(exported.main).unwrap(), labels);
        assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
    }

    #[test]
    fn span_only_files_round_trip_with_three_columns() {
        let labels = "5\t0\t2\n5\t1\t3\n";
        let imported = import_str(b"abc", labels).unwrap();
        assert!(imported.project.annotations().all(|a| a.tags.is_empty()));
        assert_eq!(export(&imported.project).unwrap().main, labels.as_bytes());
    }

    #[test]
    fn counter_claims_cannot_be_written_and_say_so() {
        let mut project = import_str(b"abc", "5\tDoubt\t0\t2\n").unwrap().project;
        crate::model::edit::Edit::InsertCounterClaim {
            id: AnnotationId(1),
            index: 0,
            claim: crate::model::annotation::CounterClaim::new("no"),
        }
        .apply(&mut project)
        .unwrap();
        let exported = export(&project).unwrap();
        assert_eq!(
            exported.warnings,
            ["1 counter-claim(s) left out: SemEval span files cannot hold them"]
        );
    }

    #[test]
    fn bad_lines_are_refused_naming_the_line() {
        let error = import_str(b"abc", "1\tDoubt\t0\t2\n1\tDoubt\t0\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
        let error = import_str(b"abc", "1\tDoubt\t0\t9\n").unwrap_err().to_string();
        assert!(error.contains("line 1: offset 9"), "{error}");
    }

    #[test]
    fn a_label_file_of_many_articles_is_narrowed_to_this_one() {
        let labels = "110\tDoubt\t0\t1\n111\tDoubt\t1\t2\n112\tSlogans\t0\t3\n111\tRepetition\t0\t3\n";
        let imported = import_str(b"abc", labels).unwrap();
        assert_eq!(imported.project.annotation_count(), 2);
        assert!(
            imported.warnings[0].contains("covers 3 articles"),
            "{:?}",
            imported.warnings
        );
        assert_eq!(
            export(&imported.project).unwrap().main,
            b"111\tDoubt\t1\t2\n111\tRepetition\t0\t3\n"
        );
        let unnamed = import(
            InputFile {
                path: Some("text.txt"),
                bytes: b"abc",
            },
            InputFile {
                path: None,
                bytes: labels.as_bytes(),
            },
            TagSet::default_set(),
        );
        assert!(
            unnamed
                .unwrap_err()
                .to_string()
                .contains("name the text file article<ID>.txt")
        );
    }

    #[test]
    fn label_files_are_found_and_named_by_the_article() {
        let beside = FORMAT.annotations_beside(Path::new("d/article42.txt"));
        assert_eq!(
            beside,
            [
                PathBuf::from("d/article42.task2-TC.labels"),
                PathBuf::from("d/article42.task1-SI.labels")
            ]
        );
        assert_eq!(
            FORMAT.text_beside(Path::new("o/article42.task2-TC.labels")),
            Some(PathBuf::from("o/article42.txt"))
        );
    }

    proptest! {
        /// Label lines over arbitrary text (BOM or not, CRLF) come back the same.
        #[test]
        fn label_lines_round_trip(
            text in "(\r\n|\n|e\u{301}|👩\u{200d}👧|🇺🇦|\\PC){0,30}",
            bom: bool,
            picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..4usize), 0..8),
        ) {
            let bytes = source_text::encode(&text, Encoding::Utf8, bom).unwrap();
            let total = text.chars().count() + usize::from(bom);
            let first = usize::from(bom);
            let offsets: Vec<usize> = (first..=total).collect();
            let techniques = ["Doubt", "Name_Calling,Labeling", "Whataboutism,Straw_Men,Red_Herring", "Made_Up"];
            let mut labels = String::new();
            for (a, b, t) in &picks {
                let (a, b) = (*a.get(&offsets), *b.get(&offsets));
                let _ = writeln!(labels, "9\t{}\t{}\t{}", techniques[*t], a.min(b), a.max(b));
            }
            let imported = import(InputFile { path: None, bytes: &bytes }, InputFile { path: None, bytes: labels.as_bytes() }, TagSet::default_set()).unwrap();
            let exported = export(&imported.project).unwrap();
            prop_assert_eq!(String::from_utf8(exported.main).unwrap(), labels);
            prop_assert_eq!(exported.text.unwrap(), bytes);
        }
    }
}
