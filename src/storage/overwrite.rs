//! The one rule for writes that may land on an existing file (exports, new
//! projects, Save As): a file that is not byte-identical to what would be
//! written is replaced only when the user confirmed it (the window asks) or
//! passed `--force` (the command line); one that is identical is left
//! untouched.

use std::path::Path;

use super::disk_state::Expect;
use super::error::Conflict;

/// Which existing files a write may replace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Overwrite {
    /// None that differ from what would be written: the save stops with a
    /// [`super::SaveError::Conflict`] naming them, for the user to confirm.
    #[default]
    Nothing,
    /// These files, exactly as they were when the user agreed to replace them
    /// (if one changed again since, the save asks again).
    Confirmed(Vec<Conflict>),
    /// Any file (`--force` on the command line).
    Anything,
}

impl Overwrite {
    /// What a save to `path` under this rule expects to find there.
    #[must_use]
    pub fn expect_for(&self, path: &Path) -> Expect {
        match self {
            Overwrite::Nothing => Expect::Absent,
            Overwrite::Confirmed(conflicts) => conflicts
                .iter()
                .find(|conflict| conflict.path == path)
                .map_or(Expect::Absent, |conflict| Expect::Seen(conflict.found.clone())),
            Overwrite::Anything => Expect::Anything,
        }
    }
}
