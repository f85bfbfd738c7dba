//! CSV for spreadsheets: one row per annotation, columns
//! `id,start_char,end_char,quote,tags,counter_claims,sources,attributes`
//! (attribute values as `Name: value`, a set flag as its name, joined by `; `),
//! and, when the project has relations, a second CSV beside it
//! (`X.relations.csv` for `X.csv`), one row per relation, columns
//! `id,type,from,to,from_quote,to_quote` (`from` and `to` are annotation ids).
//!
//! Offsets: `start_char`/`end_char` count Unicode code points over the text
//! (no BOM; a CRLF counts as two), start inclusive, end exclusive.
//! Newlines: kept inside quoted cells; rows end in LF. Several tags in one
//! cell are joined by `; `, several counter-claims (and their sources) one
//! per line within the cell. Export only.

use super::{ExportedFiles, Format, Reader};
use crate::model::annotation::Annotation;
use crate::model::attributes::{self, AttributeKind, FLAG_SET};
use crate::model::offsets::OffsetIndex;
use crate::model::project::Project;
use crate::model::tag_set::TagId;

/// The format's command-line name.
pub const NAME: &str = "csv";
/// The header row.
pub const COLUMNS: [&str; 8] = [
    "id",
    "start_char",
    "end_char",
    "quote",
    "tags",
    "counter_claims",
    "sources",
    "attributes",
];
/// The header row of the relations file.
pub const RELATION_COLUMNS: [&str; 6] = ["id", "type", "from", "to", "from_quote", "to_quote"];
/// The extension of the relations file, in place of `csv`.
pub const RELATIONS_EXTENSION: &str = "relations.csv";

/// CSV, one row per annotation.
pub static FORMAT: Format = Format {
    name: NAME,
    title: "CSV, one row per annotation (export only)",
    summary: "CSV, one row per annotation (code points); export only",
    extension: "csv",
    reader: Reader::ExportOnly,
    writer: Some(|project| {
        let (main, warnings) = export(project);
        Ok(ExportedFiles {
            main,
            text: None,
            warnings,
            companion: (project.relations().len() > 0).then(|| (RELATIONS_EXTENSION, export_relations(project))),
        })
    }),
    annotations_beside: None,
    text_beside: None,
};

/// The CSV bytes, and warnings where a joined cell would read ambiguously.
#[must_use]
pub fn export(project: &Project) -> (Vec<u8>, Vec<String>) {
    let text = project.text();
    let index = OffsetIndex::new(text);
    // Spans of a project lie on character boundaries, so these conversions hold.
    let to_chars = |offset| index.byte_to_char(text, offset).map_or(0, |c| c.0);
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut rows = vec![COLUMNS.map(str::to_owned).to_vec()];
    let mut ambiguous = 0;
    for a in project.annotations_in_document_order() {
        ambiguous += a.tags.iter().filter(|t| t.as_str().contains("; ")).count();
        ambiguous += a.counter_claims.iter().filter(|c| c.text.contains('\n')).count();
        let tags: Vec<&str> = a.tags.iter().map(TagId::as_str).collect();
        let claims: Vec<&str> = a.counter_claims.iter().map(|c| c.text.as_str()).collect();
        let sources: Vec<&str> = a
            .counter_claims
            .iter()
            .flat_map(|c| &c.sources)
            .map(String::as_str)
            .collect();
        rows.push(vec![
            a.id.0.to_string(),
            to_chars(a.span.start).to_string(),
            to_chars(a.span.end).to_string(),
            a.span.quote(text).unwrap_or_default().to_owned(),
            tags.join("; "),
            claims.join("\n"),
            sources.join("\n"),
            attribute_cell(project, a),
        ]);
    }
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    let mut warnings = Vec::new();
    if ambiguous > 0 {
        warnings.push(format!(
            "{ambiguous} tag(s) or counter-claim(s) contain the separator of their cell (\"; \" or a line break) and will read as several"
        ));
    }
    (bytes, warnings)
}

/// An annotation's attribute values: `Name: value` (a set flag: its name), joined by `; `.
fn attribute_cell(project: &Project, annotation: &Annotation) -> String {
    let declared = attributes::declared_for(project.tag_set(), &annotation.tags);
    let cells: Vec<String> = annotation
        .attributes
        .iter()
        .map(|(name, value)| {
            let flag = value == FLAG_SET
                && declared
                    .iter()
                    .find(|d| d.name == *name)
                    .is_none_or(|d| d.kind == AttributeKind::Flag);
            if flag { name.clone() } else { format!("{name}: {value}") }
        })
        .collect();
    cells.join("; ")
}

/// The relations file: one row per relation, by id.
#[must_use]
pub fn export_relations(project: &Project) -> Vec<u8> {
    let text = project.text();
    let quote = |id| {
        project
            .annotation(id)
            .and_then(|a| a.span.quote(text))
            .unwrap_or_default()
            .to_owned()
    };
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = writer.write_record(RELATION_COLUMNS);
    for relation in project.relations() {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record([
            relation.id.0.to_string(),
            relation.kind.to_string(),
            relation.from.0.to_string(),
            relation.to.0.to_string(),
            quote(relation.from),
            quote(relation.to),
        ]);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{Annotation, AnnotationId, CounterClaim};
    use crate::model::project::SourceInfo;
    use crate::model::span::Span;
    use crate::model::tag_set::TagSet;
    use proptest::prelude::*;

    #[test]
    fn one_row_per_annotation_with_code_point_offsets() {
        let text = "👍 \"yes\", no";
        let mut annotation = Annotation::new(AnnotationId(3), Span::new(5, 14));
        annotation.tags = vec![TagId("Claim".into()), TagId("Name_Calling,Labeling".into())];
        annotation.counter_claims = vec![CounterClaim::new("a"), CounterClaim::new("b")];
        annotation.counter_claims[1].sources.push("https://x.org".into());
        let mut tags = TagSet::default_set();
        tags.tags[0].id = TagId("Name_Calling,Labeling".into());
        let project = Project::from_parts(text.into(), SourceInfo::of_text(text), tags, vec![annotation]).unwrap();
        let (bytes, warnings) = export(&project);
        assert!(warnings.is_empty());
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "id,start_char,end_char,quote,tags,counter_claims,sources,attributes\n3,2,11,\"\"\"yes\"\", no\",\"Claim; Name_Calling,Labeling\",\"a\nb\",https://x.org,\n"
        );
    }

    proptest! {
        /// Read back with a CSV reader, every row's quote is the text between its code-point offsets.
        #[test]
        fn rows_read_back_with_their_quotes(
            text in "(\r\n|\"|,|e\u{301}|👩\u{200d}👧|\\PC){0,30}",
            picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..6),
        ) {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let annotations = (1..).zip(&picks).map(|(id, (a, b))| {
                let (a, b) = (*a.get(&boundaries), *b.get(&boundaries));
                Annotation::new(AnnotationId(id), Span::new(a.min(b), a.max(b)))
            }).collect();
            let project = Project::from_parts(text.clone(), SourceInfo::of_text(&text), TagSet::default_set(), annotations).unwrap();
            let (bytes, _) = export(&project);
            let mut reader = ::csv::Reader::from_reader(&bytes[..]);
            let chars: Vec<char> = text.chars().collect();
            let mut rows = 0;
            for record in reader.records() {
                let record = record.unwrap();
                let n = |i: usize| record[i].parse::<usize>().unwrap();
                let quote: String = chars[n(1)..n(2)].iter().collect();
                prop_assert_eq!(&quote, &record[3]);
                rows += 1;
            }
            prop_assert_eq!(rows, picks.len());
        }
    }
}
