//! Work off the UI thread: a [`Job`] runs one piece of file work (a save,
//! an open, an import, an export) on its own thread, so the window keeps
//! drawing and scrolling, and says which of its steps it is on.
//!
//! The UI thread starts a job, may wait a moment for it ([`Job::wait`]: work
//! done within a frame shows its outcome at once, without a flash of
//! progress), then polls it once a frame ([`Job::poll`]) until its outcome
//! arrives. No egui here beyond waking the window when a job ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::corpus::progress::Progress as Counter;

/// Which step a job is on, shared between its thread and the window.
#[derive(Debug)]
pub struct Progress {
    steps: &'static [&'static str],
    current: AtomicUsize,
    waker: Option<egui::Context>,
}

impl Progress {
    /// Moves on to the step at `index` of the job's steps, and redraws the window to show it.
    pub fn step(&self, index: usize) {
        self.current
            .store(index.min(self.steps.len().saturating_sub(1)), Ordering::Relaxed);
        if let Some(waker) = &self.waker {
            waker.request_repaint();
        }
    }
}

/// What a running job is doing, for the window to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// What the job does, e.g. "Saving article.ron".
    pub title: String,
    /// The step it is on, in words ("writing it to disk").
    pub step: &'static str,
    /// Steps done out of all, in 0..1.
    pub fraction: f32,
    /// "step 2 of 3", or empty for a job of one step.
    pub step_count: String,
    pub elapsed: Duration,
}

/// Why a job gave no outcome.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JobError {
    #[error("the background work stopped unexpectedly (an internal error); nothing was changed by it")]
    Stopped,
    #[error("no background thread could be started: {0}")]
    NotStarted(String),
}

/// One piece of work on its own thread, giving a `T` when it ends.
pub struct Job<T> {
    title: String,
    progress: Arc<Progress>,
    /// Items done out of all, for work over many files (a corpus): shown as the bar when set.
    counter: Option<Arc<Counter>>,
    outcome: Receiver<T>,
    thread: Option<JoinHandle<()>>,
    started: Instant,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread. It goes through `steps` (named in words,
    /// at least one) by calling [`Progress::step`]; `waker` is asked to redraw
    /// when it moves on and when it ends.
    pub fn start(
        title: String,
        steps: &'static [&'static str],
        waker: Option<egui::Context>,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Result<Self, JobError> {
        let progress = Arc::new(Progress {
            steps,
            current: AtomicUsize::new(0),
            waker: waker.clone(),
        });
        let (sender, outcome) = mpsc::channel();
        let shared = Arc::clone(&progress);
        let thread = std::thread::Builder::new()
            .name("file work".into())
            .spawn(move || {
                yield_to_the_window();
                let result = work(&shared);
                // The window may have stopped waiting (a newer open won): then nobody needs it.
                let _ = sender.send(result);
                if let Some(waker) = waker {
                    waker.request_repaint();
                }
            })
            .map_err(|error| JobError::NotStarted(crate::storage::in_words(&error)))?;
        Ok(Self {
            title,
            progress,
            counter: None,
            outcome,
            thread: Some(thread),
            started: Instant::now(),
        })
    }

    /// Waits up to `timeout` for the outcome (`Duration::MAX`: until it comes).
    pub fn wait(&mut self, timeout: Duration) -> Option<Result<T, JobError>> {
        match self.outcome.recv_timeout(timeout) {
            Ok(outcome) => Some(self.ended(Ok(outcome))),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(self.ended(Err(JobError::Stopped))),
        }
    }

    /// The outcome, once the job has ended.
    pub fn poll(&mut self) -> Option<Result<T, JobError>> {
        match self.outcome.try_recv() {
            Ok(outcome) => Some(self.ended(Ok(outcome))),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(self.ended(Err(JobError::Stopped))),
        }
    }

    fn ended(&mut self, outcome: Result<T, JobError>) -> Result<T, JobError> {
        if let Some(thread) = self.thread.take() {
            // The thread has sent its outcome (or died): this returns at once.
            let _ = thread.join();
        }
        outcome
    }
}

/// Lowers this thread's scheduling priority a little (nice + 4), so that on a
/// busy machine the window's frames come first without the work crawling
/// (Linux keeps a nice value per thread; elsewhere it would apply to the
/// whole program, so it is left).
pub(crate) fn yield_to_the_window() {
    #[cfg(target_os = "linux")]
    {
        // Best effort: at worst the work runs at the window's priority.
        if let Ok(nice) = rustix::process::getpriority_process(None) {
            let _ = rustix::process::setpriority_process(None, (nice + 4).min(19));
        }
    }
}

impl<T> Job<T> {
    /// The job with `counter` as its bar: the work counts the items it has
    /// done on it, and stops soon after [`Job::cancel`].
    #[must_use]
    pub fn counted(mut self, counter: Arc<Counter>) -> Self {
        self.counter = Some(counter);
        self
    }

    /// Asks counted work to stop (its outcome is then a cancellation); other work runs on.
    pub fn cancel(&self) {
        if let Some(counter) = &self.counter {
            counter.cancel();
        }
    }

    /// What the job is doing now.
    #[must_use]
    pub fn status(&self) -> Status {
        let steps = self.progress.steps;
        let current = self.progress.current.load(Ordering::Relaxed);
        let counted = self.counter.as_ref().filter(|counter| counter.total() > 0);
        let step_count = if let Some(counter) = counted {
            format!("{} of {}", counter.done().min(counter.total()), counter.total())
        } else if steps.len() > 1 {
            format!("step {} of {}", current + 1, steps.len())
        } else {
            String::new()
        };
        #[allow(clippy::cast_precision_loss)] // a handful of steps
        let fraction = counted.map_or(current as f32 / steps.len().max(1) as f32, |counter| counter.fraction());
        Status {
            title: self.title.clone(),
            step: steps.get(current).copied().unwrap_or_default(),
            fraction,
            step_count,
            elapsed: self.started.elapsed(),
        }
    }

    /// Waits until the thread has ended (its outcome is dropped): a write is
    /// never cut short by the window going away.
    pub fn finish(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    #[test]
    fn a_job_reports_its_steps_and_then_its_outcome() {
        let at_second_step = Arc::new(Barrier::new(2));
        let may_end = Arc::new(Barrier::new(2));
        let (reached, release) = (Arc::clone(&at_second_step), Arc::clone(&may_end));
        let mut job = Job::start("Counting".into(), &["counting", "adding up"], None, move |progress| {
            progress.step(1);
            reached.wait();
            release.wait();
            42
        })
        .unwrap();
        at_second_step.wait();
        let status = job.status();
        assert_eq!(status.title, "Counting");
        assert_eq!(status.step, "adding up");
        assert_eq!(status.step_count, "step 2 of 2");
        assert!((status.fraction - 0.5).abs() < f32::EPSILON);
        assert!(job.poll().is_none(), "not done while held");
        assert!(job.wait(Duration::ZERO).is_none());
        may_end.wait();
        assert_eq!(job.wait(Duration::MAX), Some(Ok(42)));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_job_runs_a_little_below_the_windows_priority() {
        let window = rustix::process::getpriority_process(None).unwrap();
        let mut job = Job::start("Checking".into(), &["checking"], None, |_| {
            rustix::process::getpriority_process(None).unwrap()
        })
        .unwrap();
        assert_eq!(job.wait(Duration::MAX), Some(Ok((window + 4).min(19))));
        assert_eq!(
            rustix::process::getpriority_process(None).unwrap(),
            window,
            "the window's is unchanged"
        );
    }

    #[test]
    fn a_job_that_panics_reports_that_it_stopped() {
        let mut job: Job<()> = Job::start("Failing".into(), &["failing"], None, |_| {
            panic!("deliberately, in a test");
        })
        .unwrap();
        assert_eq!(job.wait(Duration::MAX), Some(Err(JobError::Stopped)));
    }
}
