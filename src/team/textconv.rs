//! A project as lines a person reads and `git diff` compares line by line
//! (`counterpoint diff --textconv`, git's `diff.<driver>.textconv`): one line
//! per tag, per annotation, per counter-claim and source, per kept record,
//! per line of the text. The same project always gives the same lines.
//!
//! Offsets are code points, as in the project file. Quotes are cut to a
//! readable length (the text below holds every character); tag
//! descriptions, counter-claims and sources are written whole, so every
//! change to them shows. Control characters are written out (`\t`,
//! `\u{1b}`), so no line of the listing is split or restyled by what it shows.

use std::fmt::Write as _;

use crate::messages::{echo, printable};
use crate::model::annotation::Annotation;
use crate::model::lines::{LineBreaks, lines};
use crate::model::offsets::{ByteOffset, OffsetIndex};
use crate::model::project::Project;
use crate::model::tag_set::Tag;

/// The listing of `project`; see the module docs.
#[must_use]
pub fn listing(project: &Project) -> String {
    let text = project.text();
    let index = OffsetIndex::new(text);
    let chars = |offset: ByteOffset| index.byte_to_char(text, offset).map_or(0, |c| c.0);
    let mut out = String::with_capacity(text.len() * 2 + 64 * project.annotation_count());
    let source = project.source();
    let _ = writeln!(out, "Counterpoint project");
    let _ = writeln!(
        out,
        "source: {}, {}{}, SHA-256 {}",
        source
            .path
            .as_deref()
            .map_or_else(|| "no file".to_owned(), |path| echo(path).whole().to_string()),
        source.encoding.label(),
        if source.bom { " with a byte-order mark" } else { "" },
        echo(&source.sha256)
    );
    let _ = writeln!(
        out,
        "text: {} code points, {} lines",
        index.len_chars().0,
        crate::model::lines::line_count(text)
    );
    let _ = writeln!(out, "next annotation id: {}", project.next_annotation_id().0);

    let _ = writeln!(out, "\ntag set: {} tags", project.tag_set().tags.len());
    for tag in &project.tag_set().tags {
        tag_line(&mut out, tag);
    }

    let _ = writeln!(out, "\nannotations: {}", project.annotation_count());
    for annotation in project.annotations_in_document_order() {
        let (start, end) = (chars(annotation.span.start), chars(annotation.span.end));
        annotation_lines(
            &mut out,
            annotation,
            start,
            end,
            annotation.span.quote(text).unwrap_or_default(),
        );
    }

    if !project.tag_set().relation_types.is_empty() || project.relations().len() > 0 {
        let _ = writeln!(out, "\nrelations: {}", project.relations().len());
        for kind in &project.tag_set().relation_types {
            let _ = writeln!(
                out,
                "type {} named {}, {}: {}",
                echo(kind.id.as_str()).whole(),
                echo(&kind.name).whole(),
                kind.color.to_hex(),
                echo(&kind.description).whole()
            );
        }
        for relation in project.relations() {
            let _ = writeln!(
                out,
                "{} {} {} {}",
                relation.id,
                relation.from,
                echo(relation.kind.as_str()).whole(),
                relation.to
            );
        }
    }
    if !project.document_labels().is_empty() {
        let _ = writeln!(out, "\ndocument labels:");
        for (name, value) in project.document_labels() {
            let _ = writeln!(out, "{} = {}", echo(name).whole(), echo(value).whole());
        }
    }

    if !project.foreign_records().is_empty() {
        let _ = writeln!(
            out,
            "\nkept records of other formats: {}",
            project.foreign_records().len()
        );
        for record in project.foreign_records() {
            let naming: Vec<String> = record.refers_to.iter().map(ToString::to_string).collect();
            let _ = write!(out, "{} {}", echo(&record.format).whole(), echo(&record.record).whole());
            if !naming.is_empty() {
                let _ = write!(out, " naming {}", naming.join(", "));
            }
            out.push('\n');
        }
    }
    if !project.comment_layout().is_empty() {
        let _ = writeln!(out, "\ncomment placements: {}", project.comment_layout().len());
        for placement in project.comment_layout() {
            let _ = writeln!(
                out,
                "counter-claim {} of {}: {}line break {}",
                placement.claim + 1,
                placement.annotation,
                if placement.leading {
                    "before the first line, "
                } else {
                    ""
                },
                echo(&placement.line_break)
            );
        }
    }

    if !project.conflicts().is_empty() {
        let _ = writeln!(out, "\nconflicts to resolve: {}", project.conflicts().len());
        for conflict in project.conflicts() {
            let _ = writeln!(out, "{}", printable(&conflict.describe()));
        }
    }

    let _ = writeln!(out, "\ntext:");
    for line in lines(text, LineBreaks::File).filter(|line| !line.is_empty_tail()) {
        out.push('|');
        if !line.content.is_empty() {
            let _ = write!(out, " {}", printable(line.content));
        }
        match line.ending {
            "\n" => {}
            "\r\n" => out.push_str(" \\r\\n"),
            "\r" => out.push_str(" \\r"),
            _ => out.push_str("\n(no line break at the end)"),
        }
        out.push('\n');
    }
    out
}

fn tag_line(out: &mut String, tag: &Tag) {
    let Tag {
        id,
        name,
        category,
        description,
        color,
        hotkey,
        attributes,
    } = tag;
    let _ = write!(
        out,
        "tag {} named {} in {}, {}",
        echo(id.as_str()).whole(),
        echo(name).whole(),
        echo(category).whole(),
        color.to_hex()
    );
    if let Some(key) = hotkey {
        let _ = write!(out, ", key {key}");
    }
    let _ = writeln!(out, ": {}", echo(description).whole());
    for decl in attributes {
        let _ = writeln!(out, "    attribute {} {:?}", echo(&decl.name).whole(), decl.kind);
    }
}

fn annotation_lines(out: &mut String, annotation: &Annotation, start: usize, end: usize, quote: &str) {
    let Annotation {
        id,
        uid: _,
        span: _,
        tags,
        counter_claims,
        review,
        attributes,
    } = annotation;
    let tags: Vec<String> = tags.iter().map(|tag| printable(tag.as_str()).to_string()).collect();
    let tags = if tags.is_empty() {
        String::new()
    } else {
        format!(" [{}]", tags.join(", "))
    };
    let _ = writeln!(out, "{id} at {start}..{end}{tags} {}", echo(quote));
    for (name, value) in attributes {
        let _ = writeln!(out, "    {} = {}", echo(name).whole(), echo(value).whole());
    }
    for claim in counter_claims {
        let _ = writeln!(out, "    counter-claim: {}", echo(&claim.text).whole());
        for source in &claim.sources {
            let _ = writeln!(out, "        source: {}", echo(source).whole());
        }
    }
    if let Some(review) = review {
        let _ = writeln!(
            out,
            "    needs review ({}): it marked {}",
            review.reason.name(),
            echo(&review.old_quote).whole()
        );
    }
}
