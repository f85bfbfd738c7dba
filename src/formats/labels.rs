//! Labels of other tools mapped onto the project's tag set, the same way for
//! every format.
//!
//! A label that is a tag id is that tag. A `SemEval`-2020 technique name
//! (`Name_Calling,Labeling`) maps onto the default set's `SemEval`-2023 tag
//! (`Name_Calling-Labeling`): that tag's id becomes the 2020 spelling, so the
//! project file keeps it and export writes the label back as it came in (its
//! name, colour and hotkey stay). Any other label becomes a new tag, id equal
//! to the label, in the category [`IMPORTED_CATEGORY`]. Both are reported.

use std::collections::BTreeMap;

use crate::messages::echo;
use crate::model::tag_set::{Rgb, Tag, TagId, TagSet};

/// The category new tags made from unknown labels are listed under.
pub const IMPORTED_CATEGORY: &str = "Imported";

/// `SemEval`-2020 Task 11 technique names (and the 18 original PTC names)
/// with the `SemEval`-2023 tag they map onto, and, where the 2020 class merges
/// several 2023 ones, the readable name the tag takes.
const SEMEVAL_2020_NAMES: &[(&str, &str, Option<&str>)] = &[
    ("Appeal_to_fear-prejudice", "Appeal_to_Fear-Prejudice", None),
    (
        "Bandwagon,Reductio_ad_hitlerum",
        "Appeal_to_Popularity",
        Some("Bandwagon or reductio ad hitlerum"),
    ),
    ("Bandwagon", "Appeal_to_Popularity", None),
    ("Reductio_ad_hitlerum", "Guilt_by_Association", None),
    ("Black-and-White_Fallacy", "False_Dilemma-No_Choice", None),
    ("Exaggeration,Minimisation", "Exaggeration-Minimisation", None),
    ("Flag-Waving", "Flag_Waving", None),
    ("Name_Calling,Labeling", "Name_Calling-Labeling", None),
    ("Thought-terminating_Cliches", "Conversation_Killer", None),
    (
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism",
        Some("Whataboutism, straw men or red herring"),
    ),
    ("Straw_Men", "Straw_Man", None),
    (
        "Obfuscation,Intentional_Vagueness,Confusion",
        "Obfuscation-Vagueness-Confusion",
        None,
    ),
];

/// Colours for new tags, cycled; distinct from one another and readable on light and dark.
const IMPORTED_COLOURS: [[u8; 3]; 8] = [
    [0x8d, 0x6e, 0x63],
    [0x54, 0x6e, 0x7a],
    [0x9e, 0x9d, 0x24],
    [0x00, 0x83, 0x8f],
    [0xad, 0x14, 0x57],
    [0x45, 0x5a, 0x64],
    [0xef, 0x6c, 0x00],
    [0x6a, 0x1b, 0x9a],
];

/// Maps one import's labels onto a tag set, growing it as needed.
pub(crate) struct TagResolver {
    tag_set: TagSet,
    format: &'static str,
    created: Vec<String>,
    respelled: Vec<(String, TagId)>,
    /// The tags a format has to write in another form (brat writes "Name
    /// Calling" as `Name_Calling`), by that form; only forms that name one tag.
    written_forms: BTreeMap<String, TagId>,
    /// The labels found by their written form, in the order met.
    found_by_written_form: Vec<(String, TagId)>,
}

impl TagResolver {
    /// A resolver over `tag_set`. With `semeval_names`, the 2020 technique
    /// names among `labels` (all labels of the import) take over the id of
    /// their 2023 tag, unless that tag's own id is used in the same import.
    pub(crate) fn new<'l>(
        mut tag_set: TagSet,
        format: &'static str,
        semeval_names: bool,
        labels: impl IntoIterator<Item = &'l str>,
    ) -> Self {
        let mut respelled = Vec::new();
        if semeval_names {
            let labels: Vec<&str> = labels.into_iter().collect();
            for (old_name, new_id, merged_name) in SEMEVAL_2020_NAMES {
                let new_id = TagId((*new_id).to_owned());
                let old_id = TagId((*old_name).to_owned());
                let used = labels.contains(old_name);
                let free = !labels.contains(&new_id.as_str()) && tag_set.get(&old_id).is_none();
                if !used || !free {
                    continue;
                }
                if let Some(index) = tag_set.position(&new_id) {
                    let tag = &mut tag_set.tags[index];
                    tag.id = old_id;
                    if let Some(name) = merged_name {
                        (*name).clone_into(&mut tag.name);
                    }
                    respelled.push(((*old_name).to_owned(), new_id));
                }
            }
        }
        Self {
            tag_set,
            format,
            created: Vec::new(),
            respelled,
            written_forms: BTreeMap::new(),
            found_by_written_form: Vec::new(),
        }
    }

    /// Also finds a tag by the form `written` gives it, where the format
    /// cannot write its id as it is: a label that is no tag id but is the
    /// written form of exactly one tag is that tag.
    pub(crate) fn with_written_form(mut self, written: fn(&str) -> String) -> Self {
        let mut forms: BTreeMap<String, Vec<TagId>> = BTreeMap::new();
        for tag in &self.tag_set.tags {
            let form = written(tag.id.as_str());
            if form != tag.id.as_str() {
                forms.entry(form).or_default().push(tag.id.clone());
            }
        }
        self.written_forms = forms
            .into_iter()
            .filter(|(form, ids)| ids.len() == 1 && self.tag_set.get(&TagId(form.clone())).is_none())
            .filter_map(|(form, mut ids)| Some((form, ids.pop()?)))
            .collect();
        self
    }

    /// The tag for a label, made if it is new.
    pub(crate) fn resolve(&mut self, label: &str) -> TagId {
        let id = TagId(label.to_owned());
        if self.tag_set.get(&id).is_none()
            && let Some(tag) = self.written_forms.get(label)
        {
            if !self.found_by_written_form.iter().any(|(l, _)| l == label) {
                self.found_by_written_form.push((label.to_owned(), tag.clone()));
            }
            return tag.clone();
        }
        if self.tag_set.get(&id).is_none() {
            let colour = IMPORTED_COLOURS[self.created.len() % IMPORTED_COLOURS.len()];
            self.tag_set.tags.push(Tag {
                id: id.clone(),
                name: label.to_owned(),
                category: IMPORTED_CATEGORY.to_owned(),
                description: format!("Imported from a {} label.", self.format),
                color: Rgb(colour),
                hotkey: None,
                attributes: Vec::new(),
            });
            self.created.push(label.to_owned());
        }
        id
    }

    /// Whether the tag set (as grown so far) has this tag.
    pub(crate) fn has(&self, id: &TagId) -> bool {
        self.tag_set.get(id).is_some()
    }

    /// The grown tag set, and warnings saying which labels became new tags and which were respelled.
    pub(crate) fn finish(self) -> (TagSet, Vec<String>) {
        let mut warnings = Vec::new();
        if !self.created.is_empty() {
            let shown: Vec<String> = self.created.iter().map(|label| echo(label).to_string()).collect();
            warnings.push(format!(
                "{} label(s) not in the tag set became new tags in the category \"{IMPORTED_CATEGORY}\": {}",
                self.created.len(),
                shown.join(", ")
            ));
        }
        for (label, tag) in &self.found_by_written_form {
            warnings.push(format!(
                "the {} label {} is the tag {}, which {} cannot write as it is",
                self.format,
                echo(label),
                echo(tag.as_str()),
                self.format
            ));
        }
        for (old_name, new_id) in &self.respelled {
            warnings.push(format!(
                "the SemEval-2020 technique {old_name} is the tag {new_id}, whose id now keeps the 2020 spelling so export writes it back unchanged"
            ));
        }
        (self.tag_set, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semeval_2020_names_take_over_their_2023_tags() {
        let labels = [
            "Name_Calling,Labeling",
            "Loaded_Language",
            "Whataboutism,Straw_Men,Red_Herring",
        ];
        let mut resolver = TagResolver::new(TagSet::default_set(), "semeval", true, labels);
        for label in labels {
            assert_eq!(resolver.resolve(label).as_str(), label);
        }
        let (set, warnings) = resolver.finish();
        assert_eq!(set.tags.len(), TagSet::default_set().tags.len(), "no new tags");
        let respelled = set.get(&TagId("Name_Calling,Labeling".into())).unwrap();
        assert_eq!(respelled.name, "Name calling or labeling");
        assert_eq!(respelled.hotkey, Some(4));
        assert!(set.get(&TagId("Name_Calling-Labeling".into())).is_none());
        let merged = set.get(&TagId("Whataboutism,Straw_Men,Red_Herring".into())).unwrap();
        assert_eq!(merged.category, "Distraction");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn both_spellings_in_one_import_keep_both_tags() {
        let labels = ["Name_Calling,Labeling", "Name_Calling-Labeling"];
        let mut resolver = TagResolver::new(TagSet::default_set(), "semeval", true, labels);
        resolver.resolve(labels[0]);
        resolver.resolve(labels[1]);
        let (set, warnings) = resolver.finish();
        assert!(set.get(&TagId("Name_Calling-Labeling".into())).is_some());
        let new = set.get(&TagId("Name_Calling,Labeling".into())).unwrap();
        assert_eq!(new.category, IMPORTED_CATEGORY);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn a_label_in_a_written_form_finds_its_tag_where_only_one_tag_has_that_form() {
        let mut tag_set = TagSet::default_set();
        tag_set.tags[0].id = TagId("Name Calling".into());
        tag_set.tags[1].id = TagId("Straw Man".into());
        tag_set.tags[2].id = TagId("Straw\tMan".into());
        let written = |tag: &str| tag.replace([' ', '\t'], "_");
        let mut resolver = TagResolver::new(tag_set, "brat", false, []).with_written_form(written);
        assert_eq!(resolver.resolve("Name_Calling").as_str(), "Name Calling");
        assert_eq!(
            resolver.resolve("Straw_Man").as_str(),
            "Straw_Man",
            "two tags have that form"
        );
        let (_, warnings) = resolver.finish();
        assert!(
            warnings.contains(
                &"the brat label \"Name_Calling\" is the tag \"Name Calling\", which brat cannot write as it is"
                    .to_owned()
            ),
            "{warnings:?}"
        );
    }

    #[test]
    fn unknown_labels_become_imported_tags_once() {
        let mut resolver = TagResolver::new(TagSet::default_set(), "brat", false, []);
        assert_eq!(resolver.resolve("Person").as_str(), "Person");
        resolver.resolve("Person");
        resolver.resolve("Claim");
        let (set, warnings) = resolver.finish();
        assert_eq!(set.tags.len(), TagSet::default_set().tags.len() + 1);
        assert_eq!(
            warnings,
            ["1 label(s) not in the tag set became new tags in the category \"Imported\": \"Person\""]
        );
    }
}
