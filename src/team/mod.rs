//! Team work on one text without a server: comparing annotators' projects
//! (`diff`), measuring their agreement (`agreement`), and merging them in
//! git (`merge`, designed below).
//!
//! This module owns the comparison of projects: which annotations two
//! projects share, add, remove or change, the figures of agreement, and a
//! project's listing for `git diff`. It never reads or writes files, never
//! knows the project-file format or a window, and never changes a project:
//! it reads [`Project`](crate::model::project::Project)s and returns values
//! (the command line prints them: `src/cli/agree.rs`, `src/cli/diff.rs`).
//! Projects on different texts are refused ([`study::DifferentTexts`]): the
//! same offsets would name different words.
//!
//! - [`study`]: each annotator's units, in code points, by label; the same-text check.
//! - [`matching`]: exact and overlap matching → precision, recall, F1.
//! - [`coverage`]: marked characters and tokens (what a token is); the counts κ needs.
//! - [`kappa`]: Cohen's κ and Fleiss' κ.
//! - [`unitizing`]: Krippendorff's `α_u`.
//! - [`agreement`]: all of them, per label and overall, for every pair and the group.
//! - [`diff`]: added, removed and changed annotations, tags and kept records.
//! - [`textconv`]: the line-by-line listing `git diff` compares.
//! - [`curation`]: adjudication: the disagreements, a curated project that
//!   starts with what all agree on, and each choice as an `Edit` for it.
//! - [`merge`]: the three-way merge of projects, as designed below.
//!
//! # The figures
//!
//! A *label* is a tag, or "(no tag)" for annotations without one (they
//! still mark a span). An annotation with several tags counts once under
//! each. Every figure is computed per label and overall; where a figure is
//! undefined (nothing to measure, or no variation to correct for chance) it
//! is `None`, printed "undefined" and written `null` in JSON, never NaN.
//!
//! - **Span matching** (each pair, the first project as reference):
//!   precision, recall and F1 of exact matches (same start and end) and of
//!   one-to-one overlap matches (sharing a code point); overall sums the
//!   counts of every label (micro-average). See [`matching`].
//! - **Cohen's κ** (each pair; Cohen 1960, "A coefficient of agreement for
//!   nominal scales", *Educational and Psychological Measurement* 20:37–46)
//!   and **Fleiss' κ** (three or more; Fleiss 1971, "Measuring nominal scale
//!   agreement among many raters", *Psychological Bulletin* 76:378–382) over
//!   per-label binary decisions: each character (each token) is marked with
//!   the label by an annotator or not, whatever the number or overlap of
//!   their spans of that label there. Characters are all the text's code
//!   points, white space and line breaks included; tokens are defined in
//!   [`coverage`]. Overall pools the decisions of every label into one
//!   table (for a pair: the labels either of the two used; for the group:
//!   every label anyone used). See [`kappa`].
//! - **Krippendorff's `α_u`** (all annotators; Krippendorff 1995, 2004) on code
//!   points, per label with everything else as gaps, pooled over labels as
//!   DKPro Agreement pools them. See [`unitizing`]. Krippendorff's later
//!   variants (2013; Krippendorff, Mathet, Bouvry and Widlöcher 2016:
//!   |uα, cuα, (k)uα) are not computed.
//!
//! Checked against references on the same input: the fixtures in
//! `tests/fixtures/team/` (three annotators of one article) with figures
//! computed by NLTK 3.10.4 (`nltk.metrics.agreement.AnnotationTask`:
//! `kappa_pairwise`, `pi`) and by DKPro Agreement at commit f7f4f89
//! (`CohenKappaAgreement`, `FleissKappaAgreement`,
//! `KrippendorffAlphaUnitizingAgreement`); the programs that made them and
//! their origin are in that folder's README. `α_u` also reproduces DKPro's own
//! test cases, Krippendorff's published examples.
//!
//! # Merging in git
//!
//! **Identity.** Readable numbers (`#12`) stay what people see and what
//! references name inside one project, but two annotators who each add an
//! annotation both get the next number. A new format version gives every
//! annotation a `uid` beside its number: 128 bits written as 32 hex digits,
//! a UUID version 7 (48 bits of milliseconds since 1970, then 74 random bits
//! from the system's generator), unique without coordination and ordered by
//! creation. Annotations of older files (and of imports) get a uid derived,
//! not drawn: the first 128 bits of SHA-256 over "counterpoint-uid", the
//! SHA-256 of the text's UTF-8 bytes and the number, marked as a UUID version 8
//! (see [`crate::model::uid`]), so both annotators who open the same old base
//! give its annotations the same uids, and the merge base (read from git,
//! never saved) gets them too. Merging pairs annotations by uid only, never by
//! number.
//!
//! **Renumbering.** The merge writes into OURS (git's `%A`): base and ours
//! keep their numbers. An annotation only THEIRS added keeps its number if
//! it is free in the result, else takes the next free number (above the
//! highest next id of the three sides), in uid order, so the outcome does
//! not depend on the order of a list. "Free" also means never ours to give: a
//! number below ours' next id was once ours' (or base's), so it is not reused.
//! Every reference THEIRS makes by number (kept records' `refers_to`, comment
//! placements; relations when they come) is rewritten through the same
//! renumbering in the same step; records and placements merge as lists
//! (kept unless one side removed them), and those naming an annotation the
//! merge removed go with it.
//!
//! **Rules** (three-way, per annotation uid, per field: span, tag set,
//! counter-claims, attributes, relations):
//! - added on either side: kept; added on both sides with the same span and
//!   content under two uids: kept once (ours), references to theirs moved to it;
//! - removed on one side and untouched on the other: removed;
//! - changed on one side: that side's value; changed on both to the same
//!   value: that value;
//! - a field changed differently on both sides, or changed on one side and
//!   removed on the other: a conflict (below);
//! - the tag set merges the same way, per tag id and field (a conflict in any
//!   of name, category, description, colour or hotkey is a `definition`
//!   conflict); a tag one side removed while the other attached it comes
//!   back, with a conflict to resolve;
//! - texts that differ on any side (by recorded SHA-256 and by the text
//!   itself) are refused with a message, exit status 2, OURS untouched.
//!
//! **Conflicts in the file.** A `conflicts` list in the project file, one
//! entry per conflict: the annotation's uid (or the tag's id), the fields in
//! conflict, and the base, ours and theirs versions written as annotation
//! records (code points and quote, checked on load like every record; a side
//! that removed it is `None`). The annotation itself stays in `annotations`
//! with ours' version (theirs' if ours removed it), so the file opens and
//! nothing is lost. The editor lists entries as "to resolve" and offers
//! base / ours / theirs / both (for span conflicts: ours stays and theirs'
//! span becomes a new annotation) as one `Edit` that also drops the entry
//! ([`crate::model::conflict::resolution`]); `counterpoint check` lists each
//! unresolved entry and exits 1, so a hook or CI stops an unresolved merge;
//! never git's `<<<<<<<` markers inside RON. Conflicts left by an earlier
//! merge merge as a list, like kept records.
//!
//! **Git set-up** (README, "Working as a team"):
//!
//! ```text
//! # .gitattributes (a pattern that matches only projects)
//! projects/*.ron merge=counterpoint diff=counterpoint
//!
//! git config merge.counterpoint.name "Counterpoint projects"
//! git config merge.counterpoint.driver "counterpoint merge %O %A %B"
//! git config diff.counterpoint.textconv "counterpoint diff --textconv"
//! ```
//!
//! `counterpoint merge BASE OURS THEIRS` writes into OURS and exits 0 when
//! clean, 1 with conflicts recorded (git then lists the file as conflicted
//! until it is added), 2 on an error with OURS left as it was. Writing goes
//! through `storage` like every write; git's temporary `.merge_file_*` gets
//! no `.bak` (git keeps the original), any other OURS does. Texts are the
//! same when they read the same character for character; a recorded SHA-256
//! that differs while the encoding is the same is refused too.

pub mod agreement;
pub mod coverage;
pub mod curation;
pub mod diff;
pub mod kappa;
pub mod matching;
pub mod merge;
pub mod study;
pub mod textconv;
pub mod unitizing;

#[cfg(test)]
mod tests;
