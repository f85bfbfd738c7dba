//! Saves under the faults users meet: failures, symlinks, modes, read-only
//! files, long names, killed writers, files changed by someone else, a
//! failing second file, a full disk. Tests that need root (a tmpfs, another
//! owner) print a note and return when not root.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::lock::FAIL_SYNC;
use super::save::FAIL_RENAME_ONTO;
use super::*;

/// The names in `folder`, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn write(path: &Path, bytes: &[u8]) -> Saved {
    save(path, bytes, &Expect::Anything).unwrap()
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[test]
fn saving_twice_keeps_the_previous_version_as_backup_and_leaves_no_temp() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    let first = write(&path, b"one");
    assert!(first.written);
    assert!(!backup_path(&path).exists());
    write(&path, b"two");
    assert_eq!(fs::read(&path).unwrap(), b"two");
    assert_eq!(fs::read(backup_path(&path)).unwrap(), b"one");
    assert_eq!(names(folder.path()), ["p.ron", "p.ron.bak"]);
}

#[test]
fn a_missing_folder_is_an_error_in_words_and_writes_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let error = save(&folder.path().join("no/such/p.ron"), b"x", &Expect::Anything).unwrap_err();
    assert!(error.to_string().contains("does not exist"), "{error}");
    let file = folder.path().join("file");
    fs::write(&file, b"x").unwrap();
    let error = save(&file.join("p.ron"), b"x", &Expect::Anything).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("a part of the path is a file, not a folder"),
        "{message}"
    );
    assert!(!message.contains("os error"), "{message}");
}

#[test]
fn a_backup_left_as_a_hard_link_of_the_project_never_empties_either() {
    // A save whose rename failed used to leave `.bak` as a second name of the
    // project; the next save then copied the project onto itself, emptying both.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    fs::write(&path, b"precious work").unwrap();
    fs::hard_link(&path, backup_path(&path)).unwrap();
    write(&path, b"newer work");
    assert_eq!(fs::read(&path).unwrap(), b"newer work");
    assert_eq!(fs::read(backup_path(&path)).unwrap(), b"precious work");
    write(&path, b"newest work");
    assert_eq!(fs::read(backup_path(&path)).unwrap(), b"newer work");
    assert_eq!(names(folder.path()), ["p.ron", "p.ron.bak"]);
}

#[test]
fn a_symlinked_project_is_saved_through_its_link_which_stays_a_link() {
    let folder = tempfile::tempdir().unwrap();
    fs::create_dir(folder.path().join("real")).unwrap();
    let real = folder.path().join("real/p.ron");
    fs::write(&real, b"old").unwrap();
    let link = folder.path().join("p.ron");
    std::os::unix::fs::symlink("real/p.ron", &link).unwrap();
    let saved = write(&link, b"new");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&real).unwrap(), b"new");
    assert_eq!(fs::read(folder.path().join("real/p.ron.bak")).unwrap(), b"old");
    assert_eq!(saved.target.canonicalize().unwrap(), real.canonicalize().unwrap());
    assert_eq!(names(folder.path()), ["p.ron", "real"]);
}

#[test]
fn the_mode_of_the_old_file_is_kept() {
    let folder = tempfile::tempdir().unwrap();
    for mode in [0o600, 0o640, 0o664] {
        let path = folder.path().join(format!("p{mode:o}.ron"));
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        write(&path, b"new");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, mode);
        assert_eq!(fs::metadata(backup_path(&path)).unwrap().mode() & 0o7777, mode);
    }
}

#[test]
fn a_read_only_project_is_refused_and_left_as_it_was() {
    // As root this is the telling case: root could write it, but the user made it read-only.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    fs::write(&path, b"old").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let error = save(&path, b"new", &Expect::Anything).unwrap_err();
    assert!(matches!(error, SaveError::Refused { .. }), "{error:?}");
    assert!(error.to_string().contains("read-only"), "{error}");
    assert_eq!(fs::read(&path).unwrap(), b"old");
    assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o444);
    assert_eq!(names(folder.path()), ["p.ron"]);
}

#[test]
fn a_255_byte_file_name_still_saves() {
    let folder = tempfile::tempdir().unwrap();
    for length in [240, 251] {
        let path = folder.path().join(format!("{}.ron", "n".repeat(length - 4)));
        write(&path, b"one");
        write(&path, b"two");
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"one");
    }
}

#[test]
fn a_killed_writers_temp_files_are_cleaned_up_by_the_next_save() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    write(&path, b"one");
    // What a writer killed mid-save leaves: a full temp, unlocked now that it is gone.
    let orphan = temp::create(&path, 0o600).unwrap();
    fs::write(&orphan.path, vec![b'x'; 100_000]).unwrap();
    let orphan_path = orphan.path.clone();
    drop(orphan);
    let other = folder.path().join("other.ron");
    write(&other, b"other");
    let others_temp = temp::create(&other, 0o600).unwrap();
    let others_temp_path = others_temp.path.clone();
    drop(others_temp);
    write(&path, b"two");
    assert!(!orphan_path.exists(), "the stale temp is gone");
    assert!(
        others_temp_path.exists(),
        "another project's temp is that project's business"
    );
}

#[test]
fn identical_bytes_leave_the_file_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    let first = write(&path, b"same");
    let before = fs::metadata(&path).unwrap();
    for expect in [Expect::Anything, Expect::Absent, Expect::Seen(first.state.clone())] {
        let again = save(&path, b"same", &expect).unwrap();
        assert!(!again.written, "{expect:?}");
        assert_eq!(again.state, first.state);
    }
    let after = fs::metadata(&path).unwrap();
    assert_eq!((after.ino(), after.mtime_nsec()), (before.ino(), before.mtime_nsec()));
    assert!(!backup_path(&path).exists());
}

#[test]
fn a_file_changed_since_it_was_seen_is_not_replaced_without_being_told() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    let seen = write(&path, b"mine").state;
    // Another window saves its version.
    fs::write(&path, b"theirs").unwrap();
    let error = save(&path, b"mine, edited", &Expect::Seen(seen.clone())).unwrap_err();
    let SaveError::Conflict(conflicts) = error else {
        panic!("expected a conflict, got {error:?}")
    };
    assert_eq!(conflicts[0].kind, ConflictKind::ChangedSinceSeen);
    assert!(conflicts[0].to_string().contains("changed on disk"), "{}", conflicts[0]);
    assert_eq!(fs::read(&path).unwrap(), b"theirs");
    // The user chose Overwrite: exactly what they saw is replaced.
    let found = Expect::Seen(conflicts[0].found.clone());
    let saved = save(&path, b"mine, edited", &found).unwrap();
    assert_eq!(fs::read(backup_path(&path)).unwrap(), b"theirs");
    // Touched but not changed: no question.
    let file = fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH).unwrap();
    save(&path, b"mine, again", &Expect::Seen(saved.state)).unwrap();
}

#[test]
fn an_existing_file_that_differs_is_replaced_only_as_overwrite_allows() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("article.txt");
    fs::write(&path, b"the user's article").unwrap();
    let error = save(&path, b"export", &Overwrite::Nothing.expect_for(&path)).unwrap_err();
    let SaveError::Conflict(conflicts) = error else {
        panic!("expected a conflict, got {error:?}")
    };
    assert_eq!(conflicts[0].kind, ConflictKind::Exists);
    assert_eq!(fs::read(&path).unwrap(), b"the user's article");
    let confirmed = Overwrite::Confirmed(conflicts);
    save(&path, b"export", &confirmed.expect_for(&path)).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"export");
    assert_eq!(fs::read(backup_path(&path)).unwrap(), b"the user's article");
}

#[test]
fn a_multi_file_save_failing_on_its_second_file_restores_the_first() {
    let folder = tempfile::tempdir().unwrap();
    let text = folder.path().join("x.txt");
    let annotations = folder.path().join("x.ann");
    fs::write(&text, b"old text").unwrap();
    fs::write(&annotations, b"old annotations").unwrap();
    let writes = |text_bytes: &'static [u8]| {
        [
            Write {
                path: &text,
                bytes: text_bytes,
                expect: Expect::Anything,
            },
            Write {
                path: &annotations,
                bytes: b"new annotations",
                expect: Expect::Anything,
            },
        ]
    };
    FAIL_RENAME_ONTO.with_borrow_mut(|fail| *fail = Some(annotations.clone()));
    let error = save_all(&writes(b"new text"), Backup::Keep).unwrap_err();
    assert!(error.to_string().contains("x.ann"), "{error}");
    assert_eq!(fs::read(&text).unwrap(), b"old text", "the first file is put back");
    assert_eq!(fs::read(&annotations).unwrap(), b"old annotations");
    assert_eq!(names(folder.path()), ["x.ann", "x.txt"], "no temp, no backup");

    fs::remove_file(&text).unwrap();
    let error = save_all(&writes(b"new text"), Backup::Keep).unwrap_err();
    assert!(!text.exists(), "a file that was not there before is not left: {error}");
    FAIL_RENAME_ONTO.with_borrow_mut(|fail| *fail = None);

    save_all(&writes(b"new text"), Backup::Keep).unwrap();
    assert_eq!(fs::read(&text).unwrap(), b"new text");
    assert_eq!(fs::read(&annotations).unwrap(), b"new annotations");
}

#[test]
fn a_folder_that_cannot_be_flushed_is_an_error_not_a_success() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    write(&path, b"one");
    FAIL_SYNC.set(true);
    let result = save(&path, b"two", &Expect::Anything);
    FAIL_SYNC.set(false);
    let Err(SaveError::NotConfirmed { saved, .. }) = &result else {
        panic!("expected NotConfirmed, got {result:?}")
    };
    let message = result.as_ref().unwrap_err().to_string();
    assert!(message.contains("could not be flushed to disk"), "{message}");
    assert!(message.contains("save again"), "{message}");
    assert_eq!(saved[0].state.len, 3, "the caller learns what is on disk now");
}

/// A tmpfs of `size` mounted on a new folder, unmounted when dropped; `None` without root.
struct Tmpfs {
    folder: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Self> {
        if !is_root() {
            eprintln!("skipped: mounting a tmpfs needs root");
            return None;
        }
        let folder = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(folder.path())
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            eprintln!("skipped: tmpfs could not be mounted here");
            return None;
        }
        Some(Self { folder })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.folder.path()).status();
    }
}

#[test]
fn a_full_disk_leaves_every_old_file_whole_and_no_temp() {
    let Some(disk) = Tmpfs::mount("256k") else { return };
    let path = disk.path("p.ron");
    let old = vec![b'o'; 60_000];
    write(&path, &old);
    write(&path, &old[..50_000]);
    let error = save(&path, &vec![b'n'; 400_000], &Expect::Anything).unwrap_err();
    assert!(error.to_string().contains("the disk is full"), "{error}");
    assert_eq!(fs::read(&path).unwrap(), &old[..50_000]);
    assert_eq!(fs::read(backup_path(&path)).unwrap(), old);
    assert_eq!(names(disk.folder.path()), ["p.ron", "p.ron.bak"]);

    // Two files, the second too big: neither is replaced.
    let text = disk.path("x.txt");
    write(&text, b"old text");
    let big = vec![b'a'; 400_000];
    let writes = [
        Write {
            path: &text,
            bytes: b"new text",
            expect: Expect::Anything,
        },
        Write {
            path: &disk.path("x.ann"),
            bytes: &big,
            expect: Expect::Anything,
        },
    ];
    assert!(save_all(&writes, Backup::Keep).is_err());
    assert_eq!(fs::read(&text).unwrap(), b"old text");
    assert!(!disk.path("x.ann").exists());
    assert_eq!(names(disk.folder.path()), ["p.ron", "p.ron.bak", "x.txt"]);
}

#[test]
fn the_owner_and_group_are_kept_where_the_process_may() {
    if !is_root() {
        eprintln!("skipped: giving a file to another owner needs root");
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("p.ron");
    fs::write(&path, b"old").unwrap();
    std::os::unix::fs::chown(&path, Some(4242), Some(4243)).unwrap();
    write(&path, b"new");
    let metadata = fs::metadata(&path).unwrap();
    assert_eq!((metadata.uid(), metadata.gid()), (4242, 4243));
}
