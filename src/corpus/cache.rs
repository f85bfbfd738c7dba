//! The summaries of a corpus's project files, kept on disk between runs so
//! that opening a corpus of thousands of documents reads only what changed.
//!
//! Where: the user's cache folder (`~/.cache/counterpoint/corpus/` on Linux),
//! never the corpus folder (which is in git); one file per corpus, named by
//! a hash of its canonical root.
//!
//! Never trusted blindly: the file's first line holds a format name, a
//! version and the SHA-256 of the rest, so a cut-off, edited or damaged file
//! is noticed and rebuilt; the rest names the root it is for, and each
//! summary is used only while its file has the same device, inode, size and
//! modification time as when it was summarised (an atomic save makes a new
//! inode, so even a save within the same clock tick is seen).

use std::collections::BTreeMap;
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::summary::Summary;
use crate::model::source_text::sha256_hex;
use crate::storage::{self, DiskState, SaveError};

/// The first word of a cache file.
const CACHE_FORMAT: &str = "counterpoint-corpus-cache";
/// Bumped whenever [`Summary`] changes shape or meaning: an older cache is then rebuilt.
const CACHE_VERSION: u32 = 1;

/// Which file, at which size and time: a summary holds while this does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    pub device: u64,
    pub inode: u64,
    pub len: u64,
    /// Seconds and nanoseconds since the Unix epoch.
    pub modified: (i64, i64),
}

impl FileKey {
    /// The key of a file as its metadata describes it now.
    #[must_use]
    pub fn of(metadata: &Metadata) -> Self {
        Self {
            device: metadata.dev(),
            inode: metadata.ino(),
            len: metadata.len(),
            modified: (metadata.mtime(), metadata.mtime_nsec()),
        }
    }

    /// The key of a file as it was when it was read.
    #[must_use]
    pub fn of_state(state: &DiskState) -> Self {
        Self {
            device: state.device,
            inode: state.inode,
            len: state.len,
            modified: state.modified,
        }
    }
}

/// What became of the cache file when it was opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheStatus {
    /// No cache folder (none given, or the system has no cache folder).
    Off,
    /// No cache for this corpus yet.
    Missing,
    /// Read and checked.
    Read,
    /// There was one but it was not used, for this reason; it is rebuilt.
    Discarded(String),
}

/// One project file's summary and the file it was made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedSummary {
    pub key: FileKey,
    pub summary: Summary,
}

/// The part of the cache file after its first line.
#[derive(Serialize, Deserialize)]
struct Body {
    root: PathBuf,
    /// By path relative to the root, '/' separated.
    entries: BTreeMap<String, CachedSummary>,
}

/// The cached summaries of one corpus.
#[derive(Debug)]
pub struct SummaryCache {
    file: Option<PathBuf>,
    root: PathBuf,
    entries: BTreeMap<String, CachedSummary>,
    status: CacheStatus,
}

/// The folder for corpus caches in the user's cache folder, if the system has one.
#[must_use]
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Counterpoint", "counterpoint").map(|dirs| dirs.cache_dir().join("corpus"))
}

impl SummaryCache {
    /// The cache of the corpus at `root` (canonical) in `dir`, checked; empty
    /// when there is none or it cannot be trusted ([`SummaryCache::status`] says why).
    #[must_use]
    pub fn open(dir: Option<&Path>, root: &Path) -> Self {
        let file = dir.map(|dir| dir.join(file_name(root)));
        let (entries, status) = match &file {
            None => (BTreeMap::new(), CacheStatus::Off),
            Some(file) => match storage::read_bytes(file) {
                Err(_) if !file.exists() => (BTreeMap::new(), CacheStatus::Missing),
                Err(error) => (BTreeMap::new(), CacheStatus::Discarded(error.to_string())),
                Ok(bytes) => match parse(&bytes, root) {
                    Ok(entries) => (entries, CacheStatus::Read),
                    Err(why) => (BTreeMap::new(), CacheStatus::Discarded(why)),
                },
            },
        };
        Self {
            file,
            root: root.to_path_buf(),
            entries,
            status,
        }
    }

    /// What became of the cache file when it was opened.
    #[must_use]
    pub fn status(&self) -> &CacheStatus {
        &self.status
    }

    /// The summary of the file at `relative`, if it was made from the file as `key` describes it now.
    #[must_use]
    pub fn get(&self, relative: &str, key: &FileKey) -> Option<&Summary> {
        self.entries
            .get(relative)
            .filter(|cached| cached.key == *key)
            .map(|cached| &cached.summary)
    }

    /// Replaces the cache with these summaries, writing the file only when
    /// they differ from what it held. A failure loses only time: callers may ignore it.
    pub fn store(&mut self, entries: BTreeMap<String, CachedSummary>) -> Result<(), SaveError> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if entries == self.entries && self.status == CacheStatus::Read {
            return Ok(());
        }
        let body = Body {
            root: self.root.clone(),
            entries,
        };
        let json = serde_json::to_vec(&body).map_err(|error| SaveError::Failed {
            path: file.clone(),
            reason: error.to_string(),
        })?;
        let mut bytes = format!("{CACHE_FORMAT} {CACHE_VERSION} {}\n", sha256_hex(&json)).into_bytes();
        bytes.extend_from_slice(&json);
        storage::save_setting(file, &bytes)?;
        self.entries = body.entries;
        self.status = CacheStatus::Read;
        Ok(())
    }
}

/// The cache file's name for a corpus: a hash of its root, so any path fits.
fn file_name(root: &Path) -> String {
    let hash = sha256_hex(root.as_os_str().as_encoded_bytes());
    format!("{}.json", &hash[..32])
}

/// The entries of a cache file, or why it is not used.
fn parse(bytes: &[u8], root: &Path) -> Result<BTreeMap<String, CachedSummary>, String> {
    let newline = memchr::memchr(b'\n', bytes).ok_or("it has no header line")?;
    let (header, json) = (&bytes[..newline], &bytes[newline + 1..]);
    let header = std::str::from_utf8(header).map_err(|_| "its header is not text")?;
    let expected = format!("{CACHE_FORMAT} {CACHE_VERSION} {}", sha256_hex(json));
    if header != expected {
        let same_version = header.starts_with(&format!("{CACHE_FORMAT} {CACHE_VERSION} "));
        return Err(if same_version {
            "its checksum does not match (damaged or cut short)".into()
        } else {
            "it was written by another version".into()
        });
    }
    let body: Body = serde_json::from_slice(json).map_err(|error| format!("it cannot be read: {error}"))?;
    if body.root != root {
        return Err(format!("it is for another folder ({})", body.root.display()));
    }
    Ok(body.entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tag_set::TagId;

    fn summary(annotations: usize) -> Summary {
        Summary {
            size_bytes: 10,
            annotations,
            tag_counts: BTreeMap::from([(TagId("Doubt".into()), annotations)]),
            tag_set_sha256: "ab".into(),
            source_path: None,
            problem: None,
        }
    }

    fn key(len: u64) -> FileKey {
        FileKey {
            device: 1,
            inode: 2,
            len,
            modified: (3, 4),
        }
    }

    #[test]
    fn a_stored_cache_is_read_back_and_each_entry_holds_only_for_its_file_state() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new("/corpora/one");
        let mut cache = SummaryCache::open(Some(dir.path()), root);
        assert_eq!(cache.status(), &CacheStatus::Missing);
        let entries = BTreeMap::from([(
            "a.ron".to_owned(),
            CachedSummary {
                key: key(100),
                summary: summary(3),
            },
        )]);
        cache.store(entries).unwrap();
        let cache = SummaryCache::open(Some(dir.path()), root);
        assert_eq!(cache.status(), &CacheStatus::Read);
        assert_eq!(cache.get("a.ron", &key(100)), Some(&summary(3)));
        assert_eq!(cache.get("a.ron", &key(101)), None, "another size");
        assert_eq!(cache.get("b.ron", &key(100)), None);
        let other = SummaryCache::open(Some(dir.path()), Path::new("/corpora/two"));
        assert_eq!(other.status(), &CacheStatus::Missing, "another root has its own file");
        assert_eq!(SummaryCache::open(None, root).status(), &CacheStatus::Off);
    }

    #[test]
    fn a_damaged_cut_or_foreign_cache_is_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new("/corpora/one");
        let mut cache = SummaryCache::open(Some(dir.path()), root);
        let entry = CachedSummary {
            key: key(100),
            summary: summary(3),
        };
        cache.store(BTreeMap::from([("a.ron".to_owned(), entry)])).unwrap();
        let file = dir.path().join(file_name(root));
        let good = std::fs::read(&file).unwrap();
        let flipped = {
            let mut bytes = good.clone();
            let at = bytes.len() - 20;
            bytes[at] ^= 1;
            bytes
        };
        let text = String::from_utf8(good.clone()).unwrap();
        let other_root = text.replace("/corpora/one", "/corpora/two");
        let resealed = {
            let json = &other_root.as_bytes()[other_root.find('\n').unwrap() + 1..];
            let mut bytes = format!("{CACHE_FORMAT} {CACHE_VERSION} {}\n", sha256_hex(json)).into_bytes();
            bytes.extend_from_slice(json);
            bytes
        };
        let cases: [(&[u8], &str); 5] = [
            (&flipped, "checksum does not match"),
            (&good[..good.len() - 5], "checksum does not match"),
            (b"counterpoint-corpus-cache 0 abc\n{}", "another version"),
            (b"", "no header line"),
            (&resealed, "another folder (/corpora/two)"),
        ];
        for (bytes, why) in cases {
            std::fs::write(&file, bytes).unwrap();
            let cache = SummaryCache::open(Some(dir.path()), root);
            match cache.status() {
                CacheStatus::Discarded(reason) => assert!(reason.contains(why), "{reason}"),
                other => panic!("{why}: {other:?}"),
            }
            assert_eq!(cache.get("a.ron", &key(100)), None);
        }
    }
}
