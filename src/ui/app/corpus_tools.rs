//! Edit ▸ Search Corpus… and View ▸ Corpus Statistics… in the window: the
//! two windows (`ui/corpus_search.rs`, `ui/corpus_stats.rs`) and the work
//! behind them.
//!
//! The corpus index (every document's text and spans, `corpus::index`) is
//! read once per corpus, in the background, when the search window first
//! opens; each search runs in the background too, with its progress and
//! Stop. The statistics are counted from the document list's summaries
//! (`corpus::stats`), which need no reading, whenever what they count from
//! changes while the window is open. Both stay in step with the window: the
//! work of every document edited since the index was read, every document
//! the session keeps and the one shown go into the index before each search
//! and into the summaries before each count, so both see unsaved edits and
//! what was saved since the corpus was read. A change of the corpus tag set
//! (which rewrites every file), a change in the list of documents or another
//! corpus reads the index again.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::corpus::index::CorpusIndex;
use crate::corpus::progress::Progress;
use crate::corpus::scan::Corpus;
use crate::corpus::scan::CorpusError;
use crate::corpus::search::{self, Query, SearchError, SearchResult};
use crate::corpus::stats::CorpusStats;
use crate::model::annotation::AnnotationId;
use crate::model::project::Project;
use crate::model::span::Span;
use crate::model::tag_set::TagSet;
use crate::ui::commands::UiCommand;
use crate::ui::corpus::CorpusSession;
use crate::ui::corpus_search::{ConcordanceRow, CorpusSearchWindow, SearchEvent, SearchRequest};
use crate::ui::corpus_stats::{CorpusStatsWindow, StatsTable};
use crate::ui::dialogs::Banner;
use crate::ui::jobs::{Job, JobError};

use super::CounterpointApp;

/// What is said when a corpus command is given with no corpus open.
const NO_CORPUS: &str = "No corpus is open: open a folder of documents first (File ▸ Open Folder…).";

/// What a search covers, said under the query.
const SCOPE_NOTE: &str = "Every document as saved, with the unsaved changes of those open in this window.";

/// The corpus an index was read for: another folder, another list of
/// documents or another tag set (its files were rewritten) needs a new one,
/// as does one read while a tag-set change was still going to the files.
#[derive(Clone, Debug, PartialEq)]
struct IndexKey {
    root: PathBuf,
    documents: usize,
    tag_set: TagSet,
    files_settled: bool,
}

/// A piece of corpus work on its thread, with its progress and cancel flag.
struct Running<T> {
    job: Job<T>,
    progress: Arc<Progress>,
}

impl<T: Send + 'static> Running<T> {
    fn start(
        title: String,
        waker: Option<egui::Context>,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Result<Self, JobError> {
        let progress = Arc::new(Progress::new());
        let shared = Arc::clone(&progress);
        let job = Job::start(title, &["working"], waker, move |_| work(&shared))?;
        Ok(Self { job, progress })
    }
}

/// The index: not read, being read, or read.
#[derive(Default)]
enum IndexState {
    #[default]
    None,
    Loading {
        running: Running<Result<CorpusIndex, CorpusError>>,
        key: IndexKey,
    },
    Ready {
        index: Arc<CorpusIndex>,
        key: IndexKey,
        /// The edition of each document of this session put into it.
        in_index: BTreeMap<usize, u64>,
    },
}

/// The corpus windows of one app window and the work behind them.
#[derive(Default)]
pub(super) struct CorpusTools {
    /// The folder of the corpus all this is about.
    root: Option<PathBuf>,
    search: CorpusSearchWindow,
    stats: CorpusStatsWindow,
    index: IndexState,
    /// The search asked for, waiting for the index.
    waiting_search: Option<Query>,
    searching: Option<Running<Result<SearchResult, SearchError>>>,
    /// The document shown and its edition when last looked at.
    seen: Option<(usize, u64)>,
    /// The latest edition and work of every document edited since the
    /// index was read: the session may let go of a saved document it left.
    edited: BTreeMap<usize, (u64, Project)>,
    /// An annotation found, to select once its document shows.
    reveal: Option<(usize, AnnotationId)>,
    /// What the statistics shown were counted from (see `counts_basis`).
    counted: Option<u64>,
}

impl CounterpointApp {
    /// Edit ▸ Search Corpus…: shows the search window (and reads the corpus index if not read).
    pub fn open_corpus_search(&mut self) {
        self.execute_corpus_command(UiCommand::SearchCorpus);
    }

    /// View ▸ Corpus Statistics…: shows the statistics window and counts the corpus again.
    pub fn open_corpus_statistics(&mut self) {
        self.execute_corpus_command(UiCommand::CorpusStatistics);
    }

    /// The concordance shown, once a search has ended.
    #[must_use]
    pub fn corpus_search_rows(&self) -> Option<&[ConcordanceRow]> {
        self.corpus_tools.search.rows()
    }

    /// Opens the search or the statistics window.
    pub(super) fn execute_corpus_command(&mut self, command: UiCommand) {
        if self.corpus.is_none() {
            self.banner = Some(Banner::Notice(NO_CORPUS.into()));
            return;
        }
        match command {
            UiCommand::SearchCorpus => {
                let search = &mut self.corpus_tools.search;
                search.set_scope_note(SCOPE_NOTE.into());
                search.open();
                self.ensure_index();
            }
            UiCommand::CorpusStatistics => {
                self.count_corpus();
                let suggested = self.corpus.as_ref().map(|session| {
                    let root = session.root();
                    let name = root
                        .file_name()
                        .map_or_else(|| "corpus".into(), |n| n.to_string_lossy());
                    root.with_file_name(format!("{name}-statistics.csv"))
                });
                let stats = &mut self.corpus_tools.stats;
                if let Some(path) = suggested {
                    stats.suggest_csv_path(&path);
                }
                stats.open();
            }
            _ => {}
        }
    }

    /// Draws the search and statistics windows and carries on their work; once a frame.
    pub(super) fn corpus_tools_ui(&mut self, ctx: &egui::Context) {
        let root = self.corpus.as_ref().map(CorpusSession::root);
        if self.corpus_tools.root.as_deref() != root {
            // Another corpus (or none): nothing of the last one holds.
            self.corpus_tools = CorpusTools {
                root: root.map(Path::to_path_buf),
                ..CorpusTools::default()
            };
        }
        self.note_edited_document();
        self.reveal_found_annotation();
        self.take_finished_corpus_tools();
        let Some(session) = &self.corpus else { return };
        let tools = &mut self.corpus_tools;
        if let Some(running) = &tools.searching {
            tools
                .search
                .show_progress("Searching the documents…", running.progress.fraction());
        } else if let (Some(_), IndexState::Loading { running, .. }) = (&tools.waiting_search, &tools.index) {
            tools
                .search
                .show_progress("Reading the documents…", running.progress.fraction());
        }
        let events = tools.search.ui(ctx, self.work_area, session.tag_set());
        if self.corpus_tools.stats.is_open() && self.corpus_tools.counted != Some(self.counts_basis()) {
            // Counted again as the documents change (from the summaries: no file is read).
            self.count_corpus();
        }
        let tools = &mut self.corpus_tools;
        tools.stats.ui(ctx, self.work_area, self.options.wait_for_work);
        if tools.searching.is_some() || matches!(tools.index, IndexState::Loading { .. }) {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        for event in events {
            self.corpus_search_event(event);
        }
    }

    fn corpus_search_event(&mut self, event: SearchEvent) {
        match event {
            SearchEvent::Search(request) => {
                if let Some(running) = self.corpus_tools.searching.take() {
                    running.progress.cancel();
                }
                self.corpus_tools.waiting_search = Some(query_of(request));
                self.ensure_index();
                self.start_waiting_work();
            }
            SearchEvent::Cancel => {
                let tools = &mut self.corpus_tools;
                if let Some(running) = tools.searching.take() {
                    running.progress.cancel();
                }
                tools.waiting_search = None;
                tools.search.show_note("The search was stopped.");
            }
            SearchEvent::Open {
                document,
                span,
                annotation,
            } => {
                self.corpus_tools.reveal = annotation.map(|id| (document, id));
                self.open_corpus_document(document, Some(span.start..span.end));
                self.reveal_found_annotation();
            }
        }
    }

    /// Selects the annotation a search found once its document shows (it
    /// may be read in the background first); forgets it if another shows.
    fn reveal_found_annotation(&mut self) {
        let Some((document, id)) = self.corpus_tools.reveal else {
            return;
        };
        let Some(session) = &self.corpus else { return };
        if self.background.reading() {
            return;
        }
        self.corpus_tools.reveal = None;
        if session.current() != Some(document) {
            return;
        }
        let Some(workspace) = &self.workspace else { return };
        if let Some(annotation) = workspace.project().annotation(id) {
            let span = annotation.span;
            self.selection.select_annotation(id, span);
            self.text_view.scroll_to(span.start);
        }
    }

    /// Remembers the work of the document shown whenever it is edited.
    fn note_edited_document(&mut self) {
        let (Some(session), Some(workspace)) = (&self.corpus, &self.workspace) else {
            return;
        };
        let Some(current) = session.current() else { return };
        let now = (current, workspace.edition());
        let tools = &mut self.corpus_tools;
        if tools
            .seen
            .is_some_and(|(document, edition)| document == current && edition != now.1)
        {
            // Clones share the text and annotations: cheap to keep.
            tools.edited.insert(current, (now.1, workspace.project().clone()));
        }
        tools.seen = Some(now);
    }

    /// The work of this session on top of what was read, with its edition:
    /// every document edited since, then every one the session keeps and
    /// the one shown, as they are now.
    fn session_work(&self) -> BTreeMap<usize, (u64, &Project)> {
        let mut work: BTreeMap<usize, (u64, &Project)> = self
            .corpus_tools
            .edited
            .iter()
            .map(|(document, (edition, project))| (*document, (*edition, project)))
            .collect();
        let Some(session) = &self.corpus else { return work };
        let parked = session
            .parked_indexes()
            .filter_map(|document| session.parked(document).map(|workspace| (document, workspace)));
        let shown = session.current().zip(self.workspace.as_ref());
        for (document, workspace) in parked.chain(shown) {
            work.insert(document, (workspace.edition(), workspace.project()));
        }
        work
    }

    /// Counts the corpus as it is now for the statistics window.
    fn count_corpus(&mut self) {
        let basis = self.counts_basis();
        let table = self.fresh_corpus().map(|corpus| {
            let stats = CorpusStats::of(&corpus);
            StatsTable::of_stats(&stats, &corpus.manifest.tag_set)
        });
        self.corpus_tools.stats.set_table(table);
        self.corpus_tools.counted = Some(basis);
    }

    /// A number that changes whenever the counts may: the list's rows, the
    /// corpus tag set, or the edition of a document of this session.
    fn counts_basis(&self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        if let Some(session) = &self.corpus {
            (session.revision(), session.tag_set()).hash(&mut hasher);
        }
        for (document, (edition, _)) in self.session_work() {
            (document, edition).hash(&mut hasher);
        }
        hasher.finish()
    }

    /// The corpus as scanned, with the summaries of the documents worked on in this session brought up to date.
    fn fresh_corpus(&self) -> Option<Corpus> {
        let session = self.corpus.as_ref()?;
        let mut corpus = session.corpus().clone();
        corpus.manifest = session.manifest();
        for (document, (_, project)) in self.session_work() {
            if let Some(entry) = corpus.documents.get_mut(document) {
                entry.refresh(project, &corpus.manifest);
            }
        }
        Some(corpus)
    }

    /// The corpus as the index must match it now.
    fn index_key(&self) -> Option<IndexKey> {
        let session = self.corpus.as_ref()?;
        Some(IndexKey {
            root: session.root().to_path_buf(),
            documents: session.len(),
            tag_set: session.tag_set().clone(),
            files_settled: !session.tag_change_waiting() && self.background.tag_change.is_none(),
        })
    }

    /// Starts reading the index unless it is read (or being read) for this corpus as it is,
    /// and waits for it as file work is waited for (`AppOptions::wait_for_work`).
    pub(super) fn ensure_index(&mut self) {
        self.read_index(self.options.wait_for_work);
    }

    /// Starts reading the index without waiting for it: a corpus just opened
    /// shows its list at once while its documents are read for search.
    pub(super) fn prefetch_index(&mut self) {
        self.read_index(Duration::ZERO);
    }

    fn read_index(&mut self, wait: Duration) {
        let Some(key) = self.index_key() else { return };
        match &mut self.corpus_tools.index {
            IndexState::Ready { key: held, .. } if *held == key => return,
            IndexState::Loading { key: held, running } if *held == key => {
                if let Some(outcome) = wait_within(running, wait) {
                    self.index_landed(key, outcome);
                }
                return;
            }
            _ => {}
        }
        if let IndexState::Loading { running, .. } = &self.corpus_tools.index {
            running.progress.cancel();
        }
        let Some(session) = &self.corpus else { return };
        let corpus = session.corpus().clone();
        // Every document is read again (after a tag-set change, its files were
        // rewritten; a new document may have moved the others' numbers):
        // only what the session holds goes in on top.
        self.corpus_tools.edited.clear();
        let title = format!("Reading the documents of {}", corpus.manifest.name);
        match Running::start(title, self.waker.clone(), move |progress| {
            CorpusIndex::load(&corpus, progress)
        }) {
            Ok(mut running) => {
                if let Some(outcome) = wait_within(&mut running, wait) {
                    self.index_landed(key, outcome);
                } else {
                    self.corpus_tools.index = IndexState::Loading { running, key };
                }
            }
            Err(error) => self.index_failed(&error.to_string()),
        }
    }

    /// The index with the work of this session put in, if read.
    fn fresh_index(&mut self) -> Option<Arc<CorpusIndex>> {
        let IndexState::Ready { in_index, .. } = &self.corpus_tools.index else {
            return None;
        };
        // Only the documents changed since they last went in (editions are never the same twice).
        let changed: Vec<(usize, u64, Project)> = self
            .session_work()
            .into_iter()
            .filter(|(document, (edition, _))| in_index.get(document) != Some(edition))
            .map(|(document, (edition, project))| (document, edition, project.clone()))
            .collect();
        let IndexState::Ready { index, in_index, .. } = &mut self.corpus_tools.index else {
            return None;
        };
        if !changed.is_empty() {
            // Copies the index only if a stopped search still holds it.
            let index = Arc::make_mut(index);
            for (document, edition, project) in &changed {
                index.set_document(*document, project);
                in_index.insert(*document, *edition);
            }
        }
        Some(Arc::clone(index))
    }

    /// Starts the search that waits, once the index is read.
    fn start_waiting_work(&mut self) {
        if !matches!(self.corpus_tools.index, IndexState::Ready { .. }) {
            return;
        }
        let wait = self.options.wait_for_work;
        if let Some(query) = self.corpus_tools.waiting_search.take()
            && let Some(index) = self.fresh_index()
        {
            let started = Running::start("Searching the corpus".into(), self.waker.clone(), move |progress| {
                search::search(&index, &query, progress)
            });
            match started {
                Ok(mut running) => match wait_within(&mut running, wait) {
                    Some(outcome) => self.search_landed(outcome),
                    None => self.corpus_tools.searching = Some(running),
                },
                Err(error) => self
                    .corpus_tools
                    .search
                    .show_error(format!("Could not search: {error}")),
            }
        }
    }

    /// Takes in the index and the search once they have ended.
    fn take_finished_corpus_tools(&mut self) {
        if let IndexState::Loading { running, key } = &mut self.corpus_tools.index
            && let Some(outcome) = running.job.poll()
        {
            let key = key.clone();
            self.index_landed(key, outcome);
        }
        if let Some(running) = &mut self.corpus_tools.searching
            && let Some(outcome) = running.job.poll()
        {
            self.corpus_tools.searching = None;
            self.search_landed(outcome);
        }
    }

    fn index_landed(&mut self, key: IndexKey, outcome: Result<Result<CorpusIndex, CorpusError>, JobError>) {
        match outcome {
            Ok(Ok(index)) => {
                self.corpus_tools.index = IndexState::Ready {
                    index: Arc::new(index),
                    key,
                    in_index: BTreeMap::new(),
                };
                self.start_waiting_work();
            }
            Ok(Err(error)) => self.index_failed(&error.to_string()),
            Err(error) => self.index_failed(&error.to_string()),
        }
    }

    fn index_failed(&mut self, error: &str) {
        let tools = &mut self.corpus_tools;
        tools.index = IndexState::None;
        if tools.waiting_search.take().is_some() {
            tools.search.show_error(format!("Could not read the corpus: {error}"));
        } else {
            self.banner = Some(Banner::Error(format!("Could not read the corpus: {error}")));
        }
    }

    fn search_landed(&mut self, outcome: Result<Result<SearchResult, SearchError>, JobError>) {
        let window = &mut self.corpus_tools.search;
        match outcome {
            Ok(Ok(result)) => {
                let names = self.corpus.as_ref();
                let rows = result
                    .hits
                    .into_iter()
                    .map(|hit| ConcordanceRow {
                        document_name: names.map(|session| session.name(hit.document)).unwrap_or_default(),
                        document: hit.document,
                        left: hit.left,
                        matched: hit.matched,
                        right: hit.right,
                        span: Span::new(hit.range.start.0, hit.range.end.0),
                        annotation: hit.annotation,
                    })
                    .collect();
                window.show_rows(rows, result.count, result.documents);
            }
            // A stopped search says so where it was stopped.
            Ok(Err(SearchError::Cancelled)) => {}
            Ok(Err(error)) => window.show_error(capitalised(&error.to_string())),
            Err(error) => window.show_error(format!("Could not search: {error}")),
        }
    }
}

/// The outcome of work just started, if it ends within `wait` (zero: not looked for).
fn wait_within<T: Send + 'static>(running: &mut Running<T>, wait: Duration) -> Option<Result<T, JobError>> {
    if wait.is_zero() { None } else { running.job.wait(wait) }
}

/// The corpus query of what the user asked for.
fn query_of(request: SearchRequest) -> Query {
    match request {
        SearchRequest::Text {
            pattern,
            regex,
            case_sensitive,
        } => Query::Text {
            pattern,
            regex,
            case_sensitive,
        },
        SearchRequest::Tag(tag) => Query::Tag(tag),
        SearchRequest::CounterClaim {
            pattern,
            case_sensitive,
        } => Query::CounterClaim {
            pattern,
            case_sensitive,
        },
    }
}

/// A message as a sentence: its first letter in capitals, a full stop at the end.
fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut sentence: String = first.to_uppercase().chain(chars).collect();
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}
