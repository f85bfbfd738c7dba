//! Corpus statistics: per tag, how many spans in how many documents; per
//! document, spans per tag. Counted from the scan's summaries (no document is
//! read again), so they are ready as soon as the document list is; a window
//! with unsaved edits refreshes the entries it changed first
//! ([`super::DocumentEntry::refresh`]). A span with two tags counts once for each.
//!
//! Written as CSV (per tag: [`CorpusStats::to_csv`]; per document, one column
//! per tag: [`CorpusStats::per_document_csv`]), JSON, or a plain-text table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::scan::Corpus;
use crate::model::tag_set::TagId;

/// One tag's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TagStat {
    pub tag: TagId,
    /// Its name in the manifest's tag set (the id for a tag the manifest lacks).
    pub name: String,
    pub spans: usize,
    pub documents: usize,
}

/// The figures of a corpus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CorpusStats {
    /// The manifest's tags in its order (those no document uses too), then any other tag used, by id.
    pub per_tag: Vec<TagStat>,
    /// Every document by name, with the spans of each tag it uses, in `per_tag` order.
    pub per_document: Vec<(String, Vec<(TagId, usize)>)>,
}

impl CorpusStats {
    /// Counts `corpus`'s documents as scanned.
    #[must_use]
    pub fn of(corpus: &Corpus) -> Self {
        let mut per_tag: Vec<TagStat> = corpus
            .manifest
            .tag_set
            .tags
            .iter()
            .map(|tag| TagStat {
                tag: tag.id.clone(),
                name: tag.name.clone(),
                spans: 0,
                documents: 0,
            })
            .collect();
        let mut position: BTreeMap<TagId, usize> = per_tag
            .iter()
            .enumerate()
            .map(|(at, stat)| (stat.tag.clone(), at))
            .collect();
        let unknown: std::collections::BTreeSet<&TagId> = corpus
            .documents
            .iter()
            .flat_map(|document| document.tag_counts.keys())
            .filter(|tag| !position.contains_key(*tag))
            .collect();
        for tag in unknown {
            position.insert(tag.clone(), per_tag.len());
            per_tag.push(TagStat {
                tag: tag.clone(),
                name: tag.0.clone(),
                spans: 0,
                documents: 0,
            });
        }
        let mut per_document = Vec::with_capacity(corpus.documents.len());
        for document in &corpus.documents {
            let mut counts: Vec<(usize, TagId, usize)> = document
                .tag_counts
                .iter()
                .filter(|(_, count)| **count > 0)
                .map(|(tag, count)| (position[tag], tag.clone(), *count))
                .collect();
            counts.sort_unstable_by_key(|(at, ..)| *at);
            for (at, _, count) in &counts {
                per_tag[*at].spans += count;
                per_tag[*at].documents += 1;
            }
            let counts = counts.into_iter().map(|(_, tag, count)| (tag, count)).collect();
            per_document.push((document.name.clone(), counts));
        }
        Self { per_tag, per_document }
    }

    /// Spans of all tags together (a span with two tags counted twice).
    #[must_use]
    pub fn total_spans(&self) -> usize {
        self.per_tag.iter().map(|stat| stat.spans).sum()
    }

    /// Per tag, as CSV with a header: `tag,name,spans,documents`.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut rows = vec![["tag", "name", "spans", "documents"].map(str::to_owned).to_vec()];
        rows.extend(self.per_tag.iter().map(|stat| {
            vec![
                stat.tag.0.clone(),
                stat.name.clone(),
                stat.spans.to_string(),
                stat.documents.to_string(),
            ]
        }));
        csv_of(&rows)
    }

    /// Per document, as CSV with a header: `document`, one column per tag
    /// (by id, in `per_tag` order), `total`.
    #[must_use]
    pub fn per_document_csv(&self) -> String {
        let column: BTreeMap<&TagId, usize> = self
            .per_tag
            .iter()
            .enumerate()
            .map(|(at, stat)| (&stat.tag, at))
            .collect();
        let mut header = vec!["document".to_owned()];
        header.extend(self.per_tag.iter().map(|stat| stat.tag.0.clone()));
        header.push("total".to_owned());
        let mut rows = vec![header];
        for (name, counts) in &self.per_document {
            let mut cells = vec![0; self.per_tag.len()];
            for (tag, count) in counts {
                cells[column[tag]] = *count;
            }
            let total: usize = cells.iter().sum();
            let mut row = vec![name.clone()];
            row.extend(cells.iter().map(ToString::to_string));
            row.push(total.to_string());
            rows.push(row);
        }
        csv_of(&rows)
    }

    /// As JSON: `{"documents": N, "spans": N, "per_tag": [{"tag", "name",
    /// "spans", "documents"}…], "per_document": [{"document", "spans": {tag: n}}…]}`.
    #[must_use]
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            document: &'a str,
            spans: BTreeMap<&'a str, usize>,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            documents: usize,
            spans: usize,
            per_tag: &'a [TagStat],
            per_document: Vec<Document<'a>>,
        }
        let json = Json {
            documents: self.per_document.len(),
            spans: self.total_spans(),
            per_tag: &self.per_tag,
            per_document: self
                .per_document
                .iter()
                .map(|(name, counts)| Document {
                    document: name,
                    spans: counts.iter().map(|(tag, count)| (tag.as_str(), *count)).collect(),
                })
                .collect(),
        };
        // Strings and numbers only: serde_json cannot fail on them.
        serde_json::to_string_pretty(&json).unwrap_or_default()
    }

    /// A plain-text table for the terminal: per tag, then per document.
    #[must_use]
    pub fn to_table(&self) -> String {
        let printable = |text: &str| crate::messages::printable(text).to_string();
        let name_width = self
            .per_tag
            .iter()
            .map(|stat| printable(&stat.name).chars().count())
            .chain([3])
            .max()
            .unwrap_or(3);
        let mut out = String::new();
        let _ = writeln!(out, "{:<name_width$}  {:>9}  {:>9}", "tag", "spans", "documents");
        for stat in &self.per_tag {
            let _ = writeln!(
                out,
                "{:<name_width$}  {:>9}  {:>9}",
                printable(&stat.name),
                stat.spans,
                stat.documents
            );
        }
        let _ = writeln!(
            out,
            "{:<name_width$}  {:>9}  {:>9}",
            "all tags",
            self.total_spans(),
            self.per_document.len()
        );
        out.push('\n');
        let _ = writeln!(out, "spans per document:");
        for (name, counts) in &self.per_document {
            let total: usize = counts.iter().map(|(_, count)| count).sum();
            // Tags by name, as in the table above (an id the tag set no longer declares by its id).
            let tags: Vec<String> = counts
                .iter()
                .map(|(tag, count)| {
                    let name = self
                        .per_tag
                        .iter()
                        .find(|stat| &stat.tag == tag)
                        .map_or(tag.as_str(), |stat| &stat.name);
                    format!("{} {count}", printable(name))
                })
                .collect();
            let _ = writeln!(out, "{}  {total}  {}", printable(name), tags.join("; "));
        }
        out
    }
}

/// Rows as CSV (RFC 4180: quoted where needed, CRLF-free `\n` line ends).
fn csv_of(rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory does not fail.
        let _ = writer.write_record(row);
    }
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Progress;
    use crate::corpus::manifest::Manifest;
    use crate::corpus::scan::scan_with_cache;
    use crate::corpus::test_support::{Mark, project, tags, write_project, write_text};
    use crate::storage::Expect;

    fn sample() -> Corpus {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        let set = tags(&["Doubt", "Fear", "Smears"]);
        Manifest {
            name: "Sample".into(),
            tag_set: set.clone(),
        }
        .save(root, &Expect::Absent)
        .unwrap();
        let text = "One, two \"three\" four.";
        write_project(
            &root.join("a, \"quoted\".ron"),
            &project(
                text,
                &set,
                &[Mark(0, 3, &["Doubt"], &[]), Mark(5, 8, &["Doubt", "Fear"], &[])],
            ),
        );
        let mut other = tags(&["Doubt", "Fear", "Smears"]);
        other.tags.push(tags(&["Extra"]).tags.remove(0));
        write_project(
            &root.join("b.ron"),
            &project(text, &other, &[Mark(0, 3, &["Extra", "Fear"], &[])]),
        );
        write_text(&root.join("c.txt"), "not started");
        scan_with_cache(root, &Progress::new(), None).unwrap()
    }

    #[test]
    fn spans_are_counted_per_tag_and_per_document() {
        let stats = CorpusStats::of(&sample());
        let figures: Vec<(&str, &str, usize, usize)> = stats
            .per_tag
            .iter()
            .map(|s| (s.tag.as_str(), s.name.as_str(), s.spans, s.documents))
            .collect();
        assert_eq!(
            figures,
            [
                ("Doubt", "Doubt name", 2, 1),
                ("Fear", "Fear name", 2, 2),
                ("Smears", "Smears name", 0, 0),
                ("Extra", "Extra", 1, 1),
            ]
        );
        let id = |tag: &str| TagId(tag.into());
        assert_eq!(
            stats.per_document,
            [
                ("a, \"quoted\"".to_owned(), vec![(id("Doubt"), 2), (id("Fear"), 1)]),
                ("b".to_owned(), vec![(id("Fear"), 1), (id("Extra"), 1)]),
                ("c".to_owned(), vec![]),
            ]
        );
        assert_eq!(stats.total_spans(), 5);
    }

    #[test]
    fn csv_json_and_table_say_the_same() {
        let stats = CorpusStats::of(&sample());
        assert_eq!(
            stats.to_csv(),
            "tag,name,spans,documents\nDoubt,Doubt name,2,1\nFear,Fear name,2,2\nSmears,Smears name,0,0\nExtra,Extra,1,1\n"
        );
        let per_document = stats.per_document_csv();
        let mut reader = csv::Reader::from_reader(per_document.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(header, ["document", "Doubt", "Fear", "Smears", "Extra", "total"]);
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|row| row.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[0], ["a, \"quoted\"", "2", "1", "0", "0", "3"]);
        assert_eq!(rows[2], ["c", "0", "0", "0", "0", "0"]);

        let json: serde_json::Value = serde_json::from_str(&stats.to_json()).unwrap();
        assert_eq!(json["documents"], 3);
        assert_eq!(json["spans"], 5);
        assert_eq!(json["per_tag"][1]["documents"], 2);
        assert_eq!(json["per_document"][1]["spans"]["Extra"], 1);

        let table = stats.to_table();
        assert!(table.contains("Fear name            2          2\n"), "{table}");
        assert!(table.contains("all tags             5          3\n"), "{table}");
        assert!(table.contains("\nb  2  Fear name 1; Extra 1\n"), "{table}");
    }
}
