//! The user's files under the faults that lose work, with the real binary:
//! several processes saving one project at once, saves killed midway, a
//! shared sticky folder where the project belongs to a colleague, inputs
//! that are not files, a backup path that is a folder, and exports over
//! existing files. Tests that need root print a note and return without it.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_counterpoint");

fn counterpoint(dir: &Path, args: &[&str]) -> Output {
    Command::new(BINARY).current_dir(dir).args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A text of about `len` bytes, different for each `seed`.
fn text(seed: usize, len: usize) -> String {
    let words = ["prices ", "exploded ", "Ελλάδα ", "漢字 ", "nobody ", "knows\n"];
    let mut out = format!("Document {seed}.\n");
    let mut i = seed;
    while out.len() < len {
        out.push_str(words[i % words.len()]);
        i = i.wrapping_mul(31).wrapping_add(7);
    }
    out
}

/// The names in `dir` that are neither inputs nor the project and its backup: temp litter.
fn litter(dir: &Path, expected: &[&str]) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !expected.contains(&name.as_str()))
        .collect()
}

#[test]
fn three_processes_saving_one_project_never_leave_an_empty_or_half_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut versions = Vec::new();
    for seed in 0..3 {
        fs::write(dir.path().join(format!("doc{seed}.txt")), text(seed, 40_000)).unwrap();
        let alone = format!("alone{seed}.ron");
        let out = counterpoint(dir.path(), &["import", &format!("doc{seed}.txt"), "-o", &alone]);
        assert!(out.status.success(), "{}", stderr(&out));
        versions.push(fs::read(dir.path().join(&alone)).unwrap());
    }
    let done = AtomicBool::new(false);
    let (checks, saves) = std::thread::scope(|scope| {
        let checker = scope.spawn(|| {
            let mut checks = 0;
            while !done.load(Ordering::Relaxed) {
                for name in ["p.ron", "p.ron.bak"] {
                    if let Ok(bytes) = fs::read(dir.path().join(name)) {
                        assert!(
                            versions.contains(&bytes),
                            "{name} is not one whole version ({} bytes)",
                            bytes.len()
                        );
                        checks += 1;
                    }
                }
            }
            checks
        });
        let writers: Vec<_> = (0..3)
            .map(|seed| {
                let dir = dir.path();
                scope.spawn(move || {
                    let started = Instant::now();
                    let mut saves = 0;
                    while started.elapsed() < Duration::from_millis(2500) {
                        let doc = format!("doc{seed}.txt");
                        let out = counterpoint(dir, &["import", &doc, "-o", "p.ron", "--force"]);
                        assert!(out.status.success(), "{}", stderr(&out));
                        saves += 1;
                    }
                    saves
                })
            })
            .collect();
        let saves: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
        done.store(true, Ordering::Relaxed);
        (checker.join().unwrap(), saves)
    });
    assert!(saves >= 30, "only {saves} saves ran");
    assert!(checks > 0);
    eprintln!("{saves} concurrent saves, {checks} reads, every one whole");
    let names: Vec<String> = (0..3)
        .flat_map(|seed| [format!("doc{seed}.txt"), format!("alone{seed}.ron")])
        .chain(["p.ron".into(), "p.ron.bak".into()])
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(litter(dir.path(), &names), Vec::<String>::new());
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_file_or_the_new_and_no_litter() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("small.txt"), "The old project.").unwrap();
    fs::write(dir.path().join("big.txt"), text(9, 4_000_000)).unwrap();
    let out = counterpoint(dir.path(), &["import", "small.txt", "-o", "p.ron"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let old = fs::read(dir.path().join("p.ron")).unwrap();
    let started = Instant::now();
    let out = counterpoint(dir.path(), &["import", "big.txt", "-o", "new.ron"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let save_time = started.elapsed();
    let new = fs::read(dir.path().join("new.ron")).unwrap();
    let settled = ["small.txt", "big.txt", "new.ron", "p.ron", "p.ron.bak"];
    let mut killed_while_writing = 0;
    // Killed as soon as a new file shows up (the save is writing), then at set moments.
    let moments = [None, None, None, Some(2), Some(4), Some(6)];
    for moment in moments {
        let before = litter(dir.path(), &settled);
        let mut child = Command::new(BINARY)
            .current_dir(dir.path())
            .args(["import", "big.txt", "-o", "p.ron", "--force"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if let Some(sixths) = moment {
            std::thread::sleep(save_time * sixths / 6);
        } else {
            let deadline = Instant::now() + save_time * 4;
            while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
                if litter(dir.path(), &settled).len() > before.len() {
                    killed_while_writing += 1;
                    break;
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let now = fs::read(dir.path().join("p.ron")).unwrap();
        assert!(now == old || now == new, "p.ron is neither version after a kill");
        if now == new {
            fs::write(dir.path().join("p.ron"), &old).unwrap();
        }
    }
    assert!(killed_while_writing > 0, "no kill landed while a save was writing");
    let out = counterpoint(dir.path(), &["import", "big.txt", "-o", "p.ron", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read(dir.path().join("p.ron")).unwrap(), new);
    assert_eq!(
        litter(dir.path(), &settled),
        Vec::<String>::new(),
        "the next save cleans up what killed saves left"
    );
}

/// The binary where another user can run it: as built, or a copy in `dir`.
fn binary_for_others(dir: &Path, run_as: &[String]) -> Option<PathBuf> {
    let works = |binary: &Path| {
        Command::new("setpriv")
            .args(run_as)
            .arg(binary)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success())
    };
    if works(Path::new(BINARY)) {
        return Some(PathBuf::from(BINARY));
    }
    let copy = dir.join("counterpoint");
    fs::copy(BINARY, &copy).ok()?;
    works(&copy).then_some(copy)
}

#[test]
fn a_colleagues_project_in_a_sticky_shared_folder_is_refused_twice_and_left_whole() {
    if !is_root() {
        eprintln!("skipped: running as a second user needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let colleague = ["--reuid=4242", "--regid=4242", "--clear-groups"].map(String::from);
    let Some(binary) = binary_for_others(dir.path(), &colleague) else {
        eprintln!("skipped: setpriv cannot run the binary as another user here");
        return;
    };
    let shared = dir.path().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    fs::write(dir.path().join("doc.txt"), "Your edit.").unwrap();
    fs::write(dir.path().join("theirs.txt"), "The colleague's project.").unwrap();
    let out = counterpoint(dir.path(), &["import", "theirs.txt", "-o", "shared/p.ron"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let project = shared.join("p.ron");
    // Owned by root (the colleague), writable by the group 4242 (this user).
    std::os::unix::fs::chown(&project, Some(0), Some(4242)).unwrap();
    fs::set_permissions(&project, fs::Permissions::from_mode(0o664)).unwrap();
    let before = fs::read(&project).unwrap();
    for attempt in 1..=2 {
        let out = Command::new("setpriv")
            .args(&colleague)
            .arg(&binary)
            .current_dir(dir.path())
            .args(["import", "doc.txt", "-o", "shared/p.ron", "--force"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "attempt {attempt} should fail");
        assert_eq!(
            fs::read(&project).unwrap(),
            before,
            "attempt {attempt}: the project is whole"
        );
        assert_eq!(litter(&shared, &["p.ron"]), Vec::<String>::new(), "attempt {attempt}");
        assert!(stderr(&out).contains("belongs to another user"), "{}", stderr(&out));
    }
}

#[test]
fn inputs_that_are_not_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    let mut inputs = vec![("/dev/zero".to_owned(), "device")];
    if made {
        inputs.push((fifo.to_str().unwrap().to_owned(), "named pipe"));
    }
    for (input, words) in inputs {
        let mut child = Command::new(BINARY)
            .current_dir(dir.path())
            .args(["import", &input, "-o", "p.ron"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(10) {
                child.kill().unwrap();
                panic!("reading {input} did not stop");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let out = child.wait_with_output().unwrap();
        assert!(!out.status.success());
        assert!(stderr(&out).contains(words), "{input}: {}", stderr(&out));
        assert!(!dir.path().join("p.ron").exists());
    }
}

#[test]
fn a_backup_that_is_a_folder_is_reported_as_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "Text.").unwrap();
    let out = counterpoint(dir.path(), &["import", "a.txt", "-o", "p.ron"]);
    assert!(out.status.success(), "{}", stderr(&out));
    fs::write(dir.path().join("out.txt"), "other").unwrap();
    fs::create_dir(dir.path().join("out.txt.bak")).unwrap();
    let out = counterpoint(
        dir.path(),
        &["export", "p.ron", "--format", "text", "-o", "out.txt", "--force"],
    );
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("its backup out.txt.bak is a folder"), "{message}");
    assert!(!message.contains("os error"), "{message}");
    assert_eq!(fs::read_to_string(dir.path().join("out.txt")).unwrap(), "other");
}

#[test]
fn an_export_replaces_a_different_file_only_with_force_and_leaves_identical_ones_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let article = "They are all traitors, a disgrace.\n";
    fs::write(dir.path().join("article5.txt"), article).unwrap();
    fs::write(
        dir.path().join("article5.task2-TC.labels"),
        "5\tLoaded_Language\t13\t21\n",
    )
    .unwrap();
    let out = counterpoint(
        dir.path(),
        &["import", "article5.txt", "--format", "semeval", "-o", "p.ron"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let inode = |name: &str| std::os::unix::fs::MetadataExt::ino(&fs::metadata(dir.path().join(name)).unwrap());
    let article_inode = inode("article5.txt");
    let labels = [
        "export",
        "p.ron",
        "--format",
        "semeval",
        "-o",
        "article5.task2-TC.labels",
    ];
    let out = counterpoint(dir.path(), &labels);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        inode("article5.txt"),
        article_inode,
        "the same article bytes: untouched"
    );
    assert!(!dir.path().join("article5.txt.bak").exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("left untouched"));

    fs::write(dir.path().join("plain.txt"), "Someone's notes.").unwrap();
    let plain = ["export", "p.ron", "--format", "text", "-o", "plain.txt"];
    let out = counterpoint(dir.path(), &plain);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("plain.txt already exists and differs"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("plain.txt")).unwrap(),
        "Someone's notes."
    );
    let out = counterpoint(dir.path(), &[&plain[..], &["--force"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(dir.path().join("plain.txt")).unwrap(), article);
    assert_eq!(
        fs::read_to_string(dir.path().join("plain.txt.bak")).unwrap(),
        "Someone's notes."
    );
}

/// A tmpfs of `size` on a new folder, unmounted when dropped; `None` without root.
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
        let mounted = Command::new("mount")
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
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.folder.path()).status();
    }
}

#[test]
fn a_brat_export_on_a_full_disk_writes_both_files_or_neither() {
    let Some(disk) = Tmpfs::mount("1m") else { return };
    let dir = tempfile::tempdir().unwrap();
    let body = text(3, 50_000);
    fs::write(dir.path().join("doc.txt"), &body).unwrap();
    // One annotation per line (brat writes a quote on one line), so the .ann is larger than the room left.
    let mut ann = String::new();
    let mut start = 0;
    for (number, line) in body.split_inclusive('\n').enumerate() {
        let quote = line.trim_end_matches('\n');
        let end = start + quote.chars().count();
        writeln!(ann, "T{}\tClaim {start} {end}\t{quote}", number + 1).unwrap();
        start += line.chars().count();
    }
    fs::write(dir.path().join("doc.ann"), ann).unwrap();
    let out = counterpoint(dir.path(), &["import", "doc.txt", "--format", "brat", "-o", "p.ron"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (text_path, ann_path) = (disk.folder.path().join("x.txt"), disk.folder.path().join("x.ann"));
    fs::write(&text_path, "old text").unwrap();
    fs::write(&ann_path, "old annotations").unwrap();
    // Fill the disk, then free room for the text (50 KB) but not for the annotations too.
    let filler = disk.folder.path().join("filler");
    let mut file = fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 4096];
    while std::io::Write::write_all(&mut file, &chunk).is_ok() {}
    let len = file.metadata().unwrap().len();
    file.set_len(len - 80_000).unwrap();
    drop(file);
    let ann = ann_path.to_str().unwrap();
    let out = counterpoint(
        dir.path(),
        &["export", "p.ron", "--format", "brat", "-o", ann, "--force"],
    );
    assert!(!out.status.success(), "the disk should be too full");
    assert!(stderr(&out).contains("the disk is full"), "{}", stderr(&out));
    assert!(fs::read(&text_path).unwrap() == b"old text", "neither file is replaced");
    assert!(
        fs::read(&ann_path).unwrap() == b"old annotations",
        "neither file is replaced"
    );
    assert_eq!(
        litter(disk.folder.path(), &["x.txt", "x.ann", "filler"]),
        Vec::<String>::new()
    );
}
