//! File work in the background: saves, exports, opens, reloads, imports and
//! recoveries run as [`Job`]s so the window keeps drawing and scrolling;
//! their outcomes are taken in here at the end of each frame (never in the
//! frame that started them), and `progress.rs` shows what runs.
//!
//! The rules:
//! - Writes (a save, an export) go on while the work is edited; the saved
//!   snapshot is marked saved, later edits stay unsaved. One save runs at a
//!   time: a Save asked while one runs is queued (once) when the work changed
//!   since that save's snapshot, and ignored when it did not. One export runs
//!   at a time; another is refused with a notice until it ends.
//! - Reads (open, reload, import, recover, replace the source text) replace the open work when they
//!   land, so they start only once no write runs (they wait behind it, then
//!   ask about unsaved changes as ever). While one runs, the work shown can
//!   be read and scrolled but not changed or saved. A later read wins: the
//!   earlier one's outcome is dropped. Cancel drops a running read.
//! - Closing the window waits for running writes (never cutting a save
//!   short), then asks about unsaved changes as ever.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::ViewportCommand;

use crate::corpus::scan::Corpus;
use crate::corpus::tag_change::Outcome;
use crate::formats::on_disk::ExportError;
use crate::model::offsets::ByteOffset;
use crate::project_file;
use crate::storage::recovery::{Claimed, Leftover};
use crate::storage::{Expect, Overwrite, SaveError, Saved};
use crate::ui::dialogs::Banner;
use crate::ui::interchange::{self, ExportFormat, Report};
use crate::ui::jobs::{Job, JobError, Status};
use crate::ui::review_list::{self, Replaced};
use crate::ui::workspace::{OpenAs, SaveSnapshot, Workspace};

use super::{CounterpointApp, Pending};

/// The running jobs of one window, and what waits for them.
#[derive(Default)]
pub(super) struct Background {
    /// The save, with where it goes and the history revision it saves.
    save: Option<Running<Result<Saved, SaveError>, (PathBuf, u64)>>,
    export: Option<Running<Result<Report, ExportError>, (ExportFormat, PathBuf)>>,
    read: Option<Running<Result<Loaded, String>, ()>>,
    /// A save asked for while another ran, made with a fresh snapshot once
    /// the running save has landed.
    queued_save: Option<QueuedSave>,
    /// The saves of corpus documents other than the one shown (Save All).
    pub(super) save_others: Option<Running<Vec<SavedDocument>, ()>>,
    /// A change of the corpus tag set carried to the files of documents not open.
    pub(super) tag_change: Option<Running<Result<Outcome, String>, TagChangeTargets>>,
}

/// The documents a tag-set change goes to (index and project file), and the tags it removes.
pub(super) type TagChangeTargets = (Vec<(usize, PathBuf)>, Vec<crate::model::tag_set::TagId>);

/// How the save of a corpus document other than the one shown went.
pub(super) struct SavedDocument {
    pub index: usize,
    pub path: PathBuf,
    pub revision: u64,
    pub result: Result<Saved, SaveError>,
}

/// Where a queued save goes.
enum QueuedSave {
    /// Where the work lives once the running save has landed (Save).
    Own,
    /// This path (Save As).
    To(PathBuf),
}

/// A running job and what its outcome is about.
pub(super) struct Running<T, About> {
    pub(super) job: Job<T>,
    about: About,
}

impl<T: Send + 'static, About> Running<T, About> {
    pub(super) fn new(job: Job<T>, about: About) -> Self {
        Self { job, about }
    }
}

/// The outcome of the job in `slot` once it has ended.
pub(super) fn ended<T: Send + 'static, About>(
    slot: &mut Option<Running<T, About>>,
) -> Option<(About, Result<T, JobError>)> {
    let outcome = slot.as_mut()?.job.poll()?;
    slot.take().map(|running| (running.about, outcome))
}

/// The outcome of the job just started in `slot`, if it ends within `wait`
/// (not looked for at all when `wait` is zero: it comes at a frame's start).
pub(super) fn ended_within<T: Send + 'static, About>(
    slot: &mut Option<Running<T, About>>,
    wait: Duration,
) -> Option<(About, Result<T, JobError>)> {
    if wait.is_zero() {
        return None;
    }
    let outcome = slot.as_mut()?.job.wait(wait)?;
    slot.take().map(|running| (running.about, outcome))
}

/// What a read gives the window: work to show in place of the open work.
pub(super) enum Loaded {
    Opened {
        workspace: Workspace,
        path: PathBuf,
        how: OpenAs,
    },
    Reloaded(Workspace),
    Imported(Workspace, Report),
    Recovered {
        workspace: Workspace,
        claimed: Claimed,
    },
    Replaced(Replaced),
    Curated(Workspace, Box<crate::ui::curation::Session>),
    /// A corpus scanned, and what finishing an interrupted tag-set change said.
    Corpus(Box<Corpus>, Option<String>),
    /// A document of the open corpus; `reload` drops the work shown on it.
    CorpusDocument {
        index: usize,
        workspace: Workspace,
        select: Option<Range<ByteOffset>>,
        reload: bool,
    },
}

/// The work of a read, on its thread: told how to report its steps.
type ReadWork = Box<dyn FnOnce(&dyn Fn(usize)) -> Result<Loaded, String> + Send>;

/// A read to start: the same as the [`Pending`] that asks for it.
pub(super) enum Read {
    Open(PathBuf, OpenAs),
    Reload,
    Import {
        format: &'static str,
        file: PathBuf,
        annotations: Option<PathBuf>,
    },
    Recover(Leftover),
    ReplaceSource(PathBuf),
    Curate(Vec<PathBuf>),
    OpenCorpus(PathBuf),
    CorpusDocument {
        index: usize,
        select: Option<Range<ByteOffset>>,
        reload: bool,
    },
}

impl Read {
    /// The same request, to wait behind running writes.
    fn pending(self) -> Pending {
        match self {
            Read::Open(path, how) => Pending::Open(path, how),
            Read::Reload => Pending::Reload,
            Read::Import {
                format,
                file,
                annotations,
            } => Pending::Import {
                format,
                file,
                annotations,
            },
            Read::Recover(leftover) => Pending::Recover(leftover),
            Read::ReplaceSource(path) => Pending::ReplaceSource(path),
            Read::Curate(paths) => Pending::Curate(paths),
            Read::OpenCorpus(path) => Pending::Open(path, OpenAs::Auto),
            Read::CorpusDocument { index, select, .. } => Pending::Document { index, select },
        }
    }
}

impl Background {
    /// Whether a save or an export runs.
    pub(super) fn writing(&self) -> bool {
        self.save.is_some() || self.export.is_some() || self.save_others.is_some() || self.tag_change.is_some()
    }

    /// Whether an open, reload, import or recovery runs.
    pub(super) fn reading(&self) -> bool {
        self.read.is_some()
    }

    /// Whether a save waits to run after the running one.
    pub(super) fn save_queued(&self) -> bool {
        self.queued_save.is_some()
    }

    /// Drops the running read (its outcome will be ignored); what it was doing.
    pub(super) fn cancel_read(&mut self) -> Option<String> {
        self.read.take().map(|read| {
            read.job.cancel();
            read.job.status().title
        })
    }

    pub(super) fn statuses(&self) -> Vec<Status> {
        let save = self.save.as_ref().map(|running| running.job.status());
        let export = self.export.as_ref().map(|running| running.job.status());
        let read = self.read.as_ref().map(|running| running.job.status());
        let others = self.save_others.as_ref().map(|running| running.job.status());
        let tags = self.tag_change.as_ref().map(|running| running.job.status());
        save.into_iter()
            .chain(export)
            .chain(read)
            .chain(others)
            .chain(tags)
            .collect()
    }
}

impl Drop for Background {
    /// Writes still running finish before the window goes (a save is never
    /// cut short); a read still running is left to end on its own.
    fn drop(&mut self) {
        if let Some(running) = self.save.take() {
            running.job.finish();
        }
        if let Some(running) = self.export.take() {
            running.job.finish();
        }
        if let Some(running) = self.save_others.take() {
            running.job.finish();
        }
        if let Some(running) = self.tag_change.take() {
            running.job.finish();
        }
    }
}

/// The name of a file, for progress lines.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

impl CounterpointApp {
    /// What runs in the background now: saves, exports, opens (for tests and benchmarks too).
    #[must_use]
    pub fn work_in_progress(&self) -> Vec<Status> {
        self.background.statuses()
    }

    /// At the start of a frame: takes in the outcome of every job that has
    /// ended, so that this frame shows it (a job wakes the window when it
    /// ends). A job started during a frame has had its progress box drawn by
    /// then (the box comes later in the frame); the file the window opens
    /// with, read while the window was being created, shows in its first frame.
    pub(super) fn take_finished_work(&mut self, ctx: &egui::Context) {
        let mut landed = false;
        if let Some(((path, revision), outcome)) = ended(&mut self.background.save) {
            self.save_landed(ctx, &path, revision, outcome);
            landed = true;
        }
        if let Some(((format, path), outcome)) = ended(&mut self.background.export) {
            self.export_landed(ctx, format, &path, outcome);
            landed = true;
        }
        if let Some(((), outcome)) = ended(&mut self.background.read) {
            self.read_landed(outcome);
            landed = true;
        }
        landed |= self.take_finished_corpus_work(ctx);
        if landed {
            ctx.request_repaint();
        }
    }

    /// Starts saving the open work to `path` (expecting `expect` there, by
    /// default the file as this window last saw it); queued behind a running save.
    pub(super) fn start_save(&mut self, ctx: &egui::Context, path: &Path, expect: Option<Expect>) {
        if self.refuse_while_reading("saved") {
            self.after_save = None;
            return;
        }
        let Some(workspace) = &mut self.workspace else { return };
        if let Some(Running {
            about: (running_path, running_revision),
            ..
        }) = &self.background.save
        {
            let same = running_path == path && *running_revision == workspace.history().revision();
            if expect.is_some() || !same {
                let own = workspace.project_path() == Some(path);
                self.background.queued_save = Some(if own {
                    QueuedSave::Own
                } else {
                    QueuedSave::To(path.to_path_buf())
                });
            }
            return;
        }
        let snapshot = workspace.snapshot_for_save(path, expect);
        let (path, revision) = (snapshot.path.clone(), snapshot.revision);
        let title = format!("Saving {}", file_name(&path));
        let job = Job::start(title, SaveSnapshot::STEPS, self.waker.clone(), move |progress| {
            snapshot.write(|step| progress.step(step))
        });
        match job {
            Ok(job) => {
                self.background.save = Some(Running::new(job, (path, revision)));
                if let Some(((path, revision), outcome)) =
                    ended_within(&mut self.background.save, self.options.wait_for_work)
                {
                    self.save_landed(ctx, &path, revision, outcome);
                }
            }
            Err(error) => self.save_landed(ctx, &path, revision, Err(error)),
        }
    }

    fn save_landed(
        &mut self,
        ctx: &egui::Context,
        path: &Path,
        revision: u64,
        outcome: Result<Result<Saved, SaveError>, JobError>,
    ) {
        let result = outcome.unwrap_or_else(|error| Err(job_failed(path, &error)));
        let Some(workspace) = &mut self.workspace else { return };
        match workspace.saved(path, revision, result) {
            Ok(saved) => {
                self.saved(&saved);
                match self.background.queued_save.take() {
                    Some(QueuedSave::To(path)) => self.start_save(ctx, &path, None),
                    Some(QueuedSave::Own) => self.save(ctx),
                    None => self.after_writes(ctx),
                }
            }
            Err(error) => {
                self.background.queued_save = None;
                self.show_save_error(ctx, error);
            }
        }
    }

    /// Starts exporting the open work as it is now; refused with a notice while another export runs.
    pub(super) fn start_export(
        &mut self,
        ctx: &egui::Context,
        format: ExportFormat,
        path: &Path,
        overwrite: Overwrite,
    ) {
        if self.refuse_while_reading("exported") {
            return;
        }
        if self.background.export.is_some() {
            self.banner = Some(Banner::Notice(
                "An export is still running: export again once it is done.".into(),
            ));
            return;
        }
        let Some(workspace) = &self.workspace else { return };
        let snapshot = workspace.project().clone();
        let output = path.to_path_buf();
        let title = format!("Exporting {}", file_name(path));
        let job = Job::start(title, &["writing the files"], self.waker.clone(), move |_| {
            interchange::export(format, &snapshot, &output, &overwrite)
        });
        match job {
            Ok(job) => {
                self.background.export = Some(Running::new(job, (format, path.to_path_buf())));
                if let Some(((format, path), outcome)) =
                    ended_within(&mut self.background.export, self.options.wait_for_work)
                {
                    self.export_landed(ctx, format, &path, outcome);
                }
            }
            Err(error) => self.export_landed(ctx, format, path, Err(error)),
        }
    }

    /// Shows how an export went, and carries on with what waited for it.
    fn export_landed(
        &mut self,
        ctx: &egui::Context,
        format: ExportFormat,
        path: &Path,
        outcome: Result<Result<Report, ExportError>, JobError>,
    ) {
        match outcome {
            Ok(Ok(report)) => {
                self.show_report(report);
                self.after_writes(ctx);
                return;
            }
            Ok(Err(ExportError::Save(SaveError::Conflict(conflicts)))) => {
                self.question = Some(crate::ui::file_dialogs::FileQuestion::ReplaceExport {
                    format,
                    output: path.to_path_buf(),
                    conflicts,
                });
            }
            Ok(Err(error)) => self.banner = Some(Banner::Error(format!("Could not export: {error}"))),
            Err(error) => self.banner = Some(Banner::Error(format!("Could not export: {error}"))),
        }
        // What waited for the writes does not happen after one that failed.
        self.after_save = None;
    }

    /// Once no write runs: carries on with what waited for them (asking
    /// about unsaved changes first, since the work may have changed meanwhile).
    pub(super) fn after_writes(&mut self, ctx: &egui::Context) {
        if !self.background.writing()
            && let Some(pending) = self.after_save.take()
        {
            self.request(ctx, pending);
        }
    }

    /// When the window is asked to close while a write runs: keeps it open
    /// until the write has ended, then closes (asking about unsaved changes
    /// as ever). True when the close was put off.
    pub(super) fn close_waits_for_writes(&mut self, ctx: &egui::Context) -> bool {
        if !self.background.writing() {
            return false;
        }
        ctx.send_viewport_cmd(ViewportCommand::CancelClose);
        self.after_save = Some(Pending::Close);
        true
    }

    /// Starts a read that will replace the open work; it waits behind running
    /// writes, and wins over a read already running.
    pub(super) fn start_read(&mut self, read: Read) {
        let read = match read {
            Read::Open(path, _) if path.is_dir() => Read::OpenCorpus(path),
            other => other,
        };
        if self.background.writing() {
            self.after_save = Some(read.pending());
            return;
        }
        let mut counter = None;
        let (title, steps, work): (String, &'static [&'static str], ReadWork) = match read {
            Read::Open(path, how) => (
                format!("Opening {}", file_name(&path)),
                Workspace::OPEN_STEPS,
                Box::new(move |step| {
                    Workspace::open_in_steps(&path, how, step)
                        .map(|workspace| Loaded::Opened { workspace, path, how })
                        .map_err(|error| error.to_string())
                }),
            ),
            Read::Reload => {
                let Some(workspace) = &self.workspace else { return };
                let (path, how) = match workspace.reload_source() {
                    Ok(source) => source,
                    Err(error) => {
                        self.banner = Some(Banner::Error(error.to_string()));
                        return;
                    }
                };
                (
                    format!("Reloading {}", file_name(&path)),
                    Workspace::OPEN_STEPS,
                    Box::new(move |step| {
                        Workspace::open_in_steps(&path, how, step)
                            .map(Loaded::Reloaded)
                            .map_err(|error| error.to_string())
                    }),
                )
            }
            Read::Import {
                format,
                file,
                annotations,
            } => (
                format!("Importing {}", file_name(&file)),
                &["reading and converting the files", "indexing lines and annotations"],
                Box::new(move |step| {
                    let (project, report) = interchange::import(format, &file, annotations.as_deref())
                        .map_err(|error| format!("Could not import {}: {error}", file.display()))?;
                    step(1);
                    Ok(Loaded::Imported(Workspace::imported(project, &file), report))
                }),
            ),
            Read::Recover(leftover) => {
                let Some(autosaver) = &self.recovery else { return };
                let claimed = match autosaver.folder().claim(&leftover) {
                    Ok(claimed) => claimed,
                    Err(error) => {
                        self.banner = Some(Banner::Error(format!("Could not recover it: {error}")));
                        return;
                    }
                };
                (
                    format!("Recovering the work of {}", claimed.document.name),
                    &["reading the recovered work", "indexing lines and annotations"],
                    Box::new(move |step| recovered(claimed, step)),
                )
            }
            Read::ReplaceSource(path) => {
                let Some(workspace) = &self.workspace else { return };
                // Clones share the text and annotations: cheap to hand to the thread.
                let (project, place) = (workspace.project().clone(), workspace.place());
                (
                    format!("Replacing the text with {}", file_name(&path)),
                    review_list::REPLACE_STEPS,
                    Box::new(move |step| {
                        review_list::replace_source(&project, place, &path, step).map(Loaded::Replaced)
                    }),
                )
            }
            Read::Curate(paths) => (
                format!("Comparing {} annotators' projects", paths.len()),
                crate::ui::curation::LOAD_STEPS,
                Box::new(move |step| {
                    let (session, curated) = crate::ui::curation::load(&paths, step)?;
                    Ok(Loaded::Curated(Workspace::curated(curated, &paths), Box::new(session)))
                }),
            ),
            Read::OpenCorpus(path) => {
                let shared = std::sync::Arc::new(crate::corpus::progress::Progress::new());
                counter = Some(std::sync::Arc::clone(&shared));
                let cache = self.options.cache_dir.clone();
                (
                    format!("Opening the corpus {}", file_name(&path)),
                    &["finishing an interrupted tag-set change", "reading the documents"],
                    Box::new(move |step| super::corpus::read_corpus(&path, cache.as_deref(), &shared, step)),
                )
            }
            Read::CorpusDocument { index, select, reload } => {
                let Some(session) = &self.corpus else { return };
                let (Some(entry), tag_set) = (session.entry(index).cloned(), session.tag_set().clone()) else {
                    return;
                };
                (
                    format!("Opening {}", entry.name),
                    crate::ui::corpus::OPEN_STEPS,
                    Box::new(move |step| {
                        crate::ui::corpus::open_document(&entry, &tag_set, step)
                            .map(|workspace| Loaded::CorpusDocument {
                                index,
                                workspace,
                                select,
                                reload,
                            })
                            .map_err(|error| error.to_string())
                    }),
                )
            }
        };
        let job = Job::start(title, steps, self.waker.clone(), move |progress| {
            work(&|index| progress.step(index))
        });
        match job.map(|job| match counter {
            Some(counter) => job.counted(counter),
            None => job,
        }) {
            Ok(job) => {
                // An earlier read still running is dropped here: this one wins.
                self.background.read = Some(Running::new(job, ()));
                self.land_read_within(self.options.wait_for_work);
            }
            Err(error) => self.banner = Some(Banner::Error(error.to_string())),
        }
    }

    /// Shows the file being read if it is read within `wait`.
    pub(super) fn land_read_within(&mut self, wait: Duration) {
        if let Some(((), outcome)) = ended_within(&mut self.background.read, wait) {
            self.read_landed(outcome);
        }
    }

    fn read_landed(&mut self, outcome: Result<Result<Loaded, String>, JobError>) {
        match outcome {
            Ok(Ok(Loaded::Opened { workspace, path, how })) => {
                self.recent.add(path.clone(), how);
                self.close_corpus();
                self.set_workspace(workspace);
                self.offer_leftovers_of(&path);
            }
            Ok(Ok(Loaded::Reloaded(workspace))) => self.set_workspace(workspace),
            Ok(Ok(Loaded::Imported(workspace, report))) => {
                self.close_corpus();
                self.set_workspace(workspace);
                self.show_report(report);
            }
            Ok(Ok(Loaded::Corpus(corpus, note))) => self.corpus_opened(*corpus, note),
            Ok(Ok(Loaded::CorpusDocument {
                index,
                workspace,
                select,
                reload,
            })) => self.corpus_document_read(index, workspace, select, reload),
            Ok(Ok(Loaded::Recovered { workspace, claimed })) => {
                let name = claimed.document.name.clone();
                if !self.is_current_document(&claimed.document) {
                    self.close_corpus();
                }
                self.set_workspace(workspace);
                if let Some(autosaver) = &mut self.recovery {
                    autosaver.adopt(claimed);
                }
                self.banner = Some(Banner::Notice(format!(
                    "Recovered the unsaved work of {name}. Save it to keep it."
                )));
            }
            Ok(Ok(Loaded::Replaced(replaced))) => {
                let summary = replaced.summary();
                self.set_workspace(replaced.workspace);
                self.banner = Some(Banner::Notice(summary));
            }
            Ok(Ok(Loaded::Curated(workspace, session))) => {
                self.close_corpus();
                self.set_workspace(workspace);
                self.start_curating(*session);
            }
            Ok(Err(message)) => self.banner = Some(Banner::Error(message)),
            Err(error) => self.banner = Some(Banner::Error(error.to_string())),
        }
    }

    /// While a read runs, the work shown is about to be replaced: says so
    /// instead of changing it. True when refused.
    pub(super) fn refuse_while_reading(&mut self, what: &str) -> bool {
        let Some(read) = &self.background.read else {
            return false;
        };
        self.banner = Some(Banner::Notice(format!(
            "{}… — this document cannot be {what} meanwhile. Cancel that to keep working on it.",
            read.job.status().title
        )));
        true
    }
}

/// The project of a claimed recovery file, and the work to show for it.
fn recovered(claimed: Claimed, step: &dyn Fn(usize)) -> Result<Loaded, String> {
    let project = std::str::from_utf8(&claimed.project)
        .map_err(|_| "the recovery file is not UTF-8 text".to_owned())
        .and_then(|text| project_file::from_ron_str(text).map_err(|error| error.to_string()));
    match project {
        Ok(project) => {
            step(1);
            let workspace = Workspace::recovered(project, claimed.document.clone());
            Ok(Loaded::Recovered { workspace, claimed })
        }
        // The leftover stays (the claim ends here) for another try or a discard.
        Err(error) => Err(format!(
            "Could not recover the unsaved work of {}: {error}",
            claimed.document.name
        )),
    }
}

fn job_failed(path: &Path, error: &JobError) -> SaveError {
    SaveError::Failed {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}
