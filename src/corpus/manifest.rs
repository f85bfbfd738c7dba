//! The corpus manifest, `counterpoint.ron` at the corpus root: the corpus
//! name and the tag set its documents share, with its own format version
//! (the project file's format is not involved).
//!
//! ```text
//! // Counterpoint corpus manifest: what the documents of this folder share. …
//! (
//!     format: "counterpoint-corpus",
//!     version: 1,
//!     name: "Propaganda 2020",
//!     tag_set: (tags: [(id: "Loaded_Language", name: …), …], relation_types: […], …),
//! )
//! ```
//!
//! A folder without a manifest is still a corpus: [`Manifest::made_up`]
//! names it after the folder, and the first save writes the file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::messages::echo;
use crate::model::tag_set::TagSet;
use crate::project_file::schema::Header;
use crate::project_file::syntax;
use crate::storage::{self, DiskState, Expect, ReadError, SaveError, Saved};

/// The manifest's file name at the corpus root.
pub const MANIFEST_FILE: &str = "counterpoint.ron";
/// The value of the manifest's `format` field.
pub const MANIFEST_FORMAT: &str = "counterpoint-corpus";
/// The newest manifest version this program reads, and the one it writes.
pub const MANIFEST_VERSION: u32 = 1;

/// The comment at the top of every manifest, for people who open it.
const HEADER_COMMENT: &str = "\
// Counterpoint corpus manifest: what the documents of this folder share.
// Every document is its own project file (NAME.ron, openable alone) beside
// its text; a text file without a project is a document not started yet.
// `tag_set` is the tag set every document of the corpus is annotated with.
";

/// What the documents of a corpus share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub name: String,
    pub tag_set: TagSet,
}

/// The manifest as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    format: String,
    version: u32,
    name: String,
    tag_set: TagSet,
}

/// Why a manifest could not be loaded. Nothing on disk is changed by a failed load.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{} has no corpus manifest ({MANIFEST_FILE})", .root.display())]
    Missing { root: PathBuf },
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("the corpus manifest {} is not valid UTF-8 text (bad bytes at byte {at})", .path.display())]
    NotUtf8 { path: PathBuf, at: usize },
    #[error("the corpus manifest {} is broken at line {line}, column {column}: {message}", .path.display())]
    Broken {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{} is not a Counterpoint corpus manifest (its format field is {})", .path.display(), echo(.format))]
    NotAManifest { path: PathBuf, format: String },
    #[error(
        "the corpus manifest {} was written by a newer Counterpoint (manifest version {found}; this one reads up to {MANIFEST_VERSION}); update Counterpoint to open this corpus", .path.display()
    )]
    NewerVersion { path: PathBuf, found: u32 },
}

impl Manifest {
    /// Where the manifest of the corpus at `root` is.
    #[must_use]
    pub fn path(root: &Path) -> PathBuf {
        root.join(MANIFEST_FILE)
    }

    /// A manifest for a folder that has none yet: named after the folder, with `tag_set`.
    #[must_use]
    pub fn made_up(root: &Path, tag_set: TagSet) -> Self {
        let name = root.file_name().map_or_else(
            || root.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        Self { name, tag_set }
    }

    /// Loads the manifest of the corpus at `root`.
    pub fn load(root: &Path) -> Result<Self, ManifestError> {
        Self::load_with_state(root).map(|(manifest, _)| manifest)
    }

    /// Loads the manifest, with the file's state for a later [`Manifest::save`] to expect.
    pub fn load_with_state(root: &Path) -> Result<(Self, DiskState), ManifestError> {
        let path = Self::path(root);
        if let Err(error) = path.symlink_metadata()
            && error.kind() == std::io::ErrorKind::NotFound
        {
            return Err(ManifestError::Missing {
                root: root.to_path_buf(),
            });
        }
        let read = storage::read(&path)?;
        let bytes = read.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&read.bytes);
        let text = std::str::from_utf8(bytes).map_err(|error| ManifestError::NotUtf8 {
            path: path.clone(),
            at: error.valid_up_to(),
        })?;
        Ok((Self::from_ron_str(text, &path)?, read.state))
    }

    /// Reads a manifest from the text of its file; `path` is for messages.
    pub fn from_ron_str(text: &str, path: &Path) -> Result<Self, ManifestError> {
        // The header first: a newer version may have a shape this one cannot parse.
        if let Ok(Header { format, version }) = ron::from_str::<Header>(text) {
            if format != MANIFEST_FORMAT {
                return Err(ManifestError::NotAManifest {
                    path: path.to_path_buf(),
                    format,
                });
            }
            if version > MANIFEST_VERSION {
                return Err(ManifestError::NewerVersion {
                    path: path.to_path_buf(),
                    found: version,
                });
            }
        }
        let file: ManifestFile = ron::from_str(text).map_err(|error| ManifestError::Broken {
            path: path.to_path_buf(),
            line: error.span.start.line,
            column: error.span.start.col,
            message: syntax::in_words(&error.code),
        })?;
        Ok(Self {
            name: file.name,
            tag_set: file.tag_set,
        })
    }

    /// The text of the manifest file: the same manifest always gives the same text.
    pub fn to_ron_string(&self) -> Result<String, ron::Error> {
        let file = ManifestFile {
            format: MANIFEST_FORMAT.to_owned(),
            version: MANIFEST_VERSION,
            name: self.name.clone(),
            tag_set: self.tag_set.clone(),
        };
        let config = crate::project_file::pretty_config().depth_limit(4);
        Ok(format!(
            "{HEADER_COMMENT}{}\n",
            ron::ser::to_string_pretty(&file, config)?
        ))
    }

    /// Saves the manifest at `root` atomically (the old one kept as
    /// `counterpoint.ron.bak`), unless the file there is not what `expect` says.
    pub fn save(&self, root: &Path, expect: &Expect) -> Result<Saved, SaveError> {
        let path = Self::path(root);
        let text = self.to_ron_string().map_err(|error| SaveError::Failed {
            path: path.clone(),
            reason: error.to_string(),
        })?;
        storage::save(&path, text.as_bytes(), expect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tag_set::{Rgb, Tag, TagId};

    fn small_set() -> TagSet {
        TagSet::of_tags(vec![Tag {
            id: TagId("Doubt".into()),
            name: "Doubt".into(),
            category: "Attack".into(),
            description: "Questioning credibility".into(),
            color: Rgb([200, 10, 10]),
            hotkey: Some(1),
            attributes: Vec::new(),
        }])
    }

    #[test]
    fn a_saved_manifest_loads_back_the_same_and_reads_as_documented() {
        let root = tempfile::tempdir().unwrap();
        for tag_set in [small_set(), TagSet::default_set()] {
            let manifest = Manifest {
                name: "Propaganda \"2020\"".into(),
                tag_set,
            };
            manifest.save(root.path(), &Expect::Anything).unwrap();
            assert_eq!(Manifest::load(root.path()).unwrap(), manifest);
        }
        let text = std::fs::read_to_string(root.path().join(MANIFEST_FILE)).unwrap();
        assert!(text.starts_with("// Counterpoint corpus manifest"), "{text}");
        assert!(
            text.contains("    format: \"counterpoint-corpus\",\n    version: 1,\n"),
            "{text}"
        );
    }

    #[test]
    fn missing_broken_foreign_and_newer_manifests_are_refused_in_words() {
        let root = tempfile::tempdir().unwrap();
        let error = Manifest::load(root.path()).unwrap_err();
        assert!(matches!(error, ManifestError::Missing { .. }), "{error}");
        assert!(
            error.to_string().contains("has no corpus manifest (counterpoint.ron)"),
            "{error}"
        );

        let path = Manifest::path(root.path());
        let cases = [
            (
                "(format: \"counterpoint-corpus\", version: 1, name: \"x\", tag_set: (tags: [])",
                "is broken at line 1",
            ),
            (
                "(format: \"counterpoint-corpus\", version: 1, name: \"x\", colour: 3, tag_set: (tags: []))",
                "the corpus manifest has a field named \"colour\"",
            ),
            (
                "(format: \"counterpoint-project\", version: 3)",
                "is not a Counterpoint corpus manifest (its format field is \"counterpoint-project\")",
            ),
            (
                "(format: \"counterpoint-corpus\", version: 7, shape: [\"new\"])",
                "newer Counterpoint (manifest version 7; this one reads up to 1)",
            ),
        ];
        for (text, expected) in cases {
            std::fs::write(&path, text).unwrap();
            let error = Manifest::load(root.path()).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
        std::fs::write(&path, b"(format: \"counterpoint-corpus\xff\")").unwrap();
        let error = Manifest::load(root.path()).unwrap_err().to_string();
        assert!(
            error.contains("is not valid UTF-8 text (bad bytes at byte 29)"),
            "{error}"
        );
    }

    #[test]
    fn a_made_up_manifest_is_named_after_its_folder() {
        let manifest = Manifest::made_up(Path::new("/data/propaganda-2020"), small_set());
        assert_eq!(manifest.name, "propaganda-2020");
        assert_eq!(manifest.tag_set, small_set());
    }
}
