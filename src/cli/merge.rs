//! `counterpoint merge BASE OURS THEIRS [-o OUT]`: the three-way merge of
//! projects on one text (`src/team/merge.rs`), usable as git's merge driver
//! (`counterpoint merge %O %A %B`): the result goes into OURS unless `-o`
//! names another file. Exit status as git expects of a driver: 0 merged
//! cleanly, 1 merged with conflicts recorded in the file (`counterpoint
//! check` lists them, the window offers to resolve them), 2 nothing merged
//! (a project could not be read, the texts differ, the result could not be
//! written), OURS left as it was. An empty BASE (git's, when both branches
//! added the file) is a project of the same text with nothing in it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::messages::printable;
use crate::model::project::Project;
use crate::model::tag_set::TagSet;
use crate::project_file;
use crate::storage::{self, Backup, Expect};
use crate::team::merge::merge;

/// The exit status of a merge that left conflicts in the file.
const CONFLICTS: u8 = 1;
/// The exit status when nothing was merged.
const TROUBLE: u8 = 2;

/// Arguments of `counterpoint merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The common ancestor (git's %O).
    pub base: PathBuf,
    /// Our version (git's %A); the result is written here unless -o is given.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// Write the result here instead of into OURS.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Replace an existing OUTPUT that differs (it is kept as NAME.bak).
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// Runs `counterpoint merge` and reports as the process should.
#[must_use]
pub fn run(arguments: &MergeArgs) -> ExitCode {
    match merge_files(arguments) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(CONFLICTS),
        Err(message) => {
            eprintln!("counterpoint: error: {}", printable(&message));
            ExitCode::from(TROUBLE)
        }
    }
}

/// Merges and writes; the number of conflicts the merge found.
fn merge_files(arguments: &MergeArgs) -> Result<usize, String> {
    let load = |path: &Path| project_file::load_with_state(path).map_err(|e| format!("{}: {e}", path.display()));
    let (ours, ours_state) = load(&arguments.ours)?;
    let (theirs, _) = load(&arguments.theirs)?;
    // git gives an empty base when both sides added the file: then everything is an addition.
    let base = if storage::read_bytes(&arguments.base).is_ok_and(|bytes| bytes.is_empty()) {
        Project::new(ours.text().to_owned(), ours.source().clone(), TagSet::default())
    } else {
        load(&arguments.base)?.0
    };
    let merged = merge(&base, &ours, &theirs).map_err(|error| {
        format!(
            "cannot merge {} and {} (from {}): {error}",
            arguments.ours.display(),
            arguments.theirs.display(),
            arguments.base.display()
        )
    })?;
    let text = project_file::to_ron_string(&merged.project).map_err(|error| error.to_string())?;
    let (path, expect, backup) = match &arguments.output {
        Some(output) => {
            super::refuse_overwriting_input(&[&arguments.base, &arguments.ours, &arguments.theirs], output)?;
            let expect = if arguments.force {
                Expect::Anything
            } else {
                Expect::Absent
            };
            (output.as_path(), expect, Backup::Keep)
        }
        // OURS as it was read: a file changed meanwhile is not overwritten. git's
        // temporary copy needs no backup (git holds the original); any other file keeps one.
        None => (
            arguments.ours.as_path(),
            Expect::Seen(ours_state),
            backup_for(&arguments.ours),
        ),
    };
    let write = storage::Write {
        path,
        bytes: text.as_bytes(),
        expect,
    };
    let saved = storage::save_all(&[write], backup).map_err(super::save_message)?;
    for warning in saved.iter().flat_map(|saved| &saved.warnings) {
        super::warn(warning);
    }
    let conflicts = merged.project.conflicts();
    for conflict in conflicts {
        println!("{}: to resolve: {}", path.display(), printable(&conflict.describe()));
    }
    if merged.new_conflicts > 0 {
        eprintln!(
            "counterpoint: {} conflict(s) recorded in {}; open it in Counterpoint to resolve them (counterpoint check lists them)",
            merged.new_conflicts,
            path.display()
        );
    }
    Ok(conflicts.len())
}

/// git hands a driver its version in a temporary `.merge_file_XXXXXX` that it
/// reads back and deletes: a backup of it would be left in the work tree.
fn backup_for(ours: &Path) -> Backup {
    let temporary = ours
        .file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with(".merge_file_"));
    if temporary { Backup::Skip } else { Backup::Keep }
}
