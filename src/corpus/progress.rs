//! How far a long piece of corpus work (a scan, loading the index, a search)
//! has come, and the request to stop it: shared between the thread doing the
//! work and the one showing it (through an `Arc`), with no locks.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Steps done out of a total, and a cancel flag. The worker sets the total,
/// counts steps and stops soon after [`Progress::cancel`] (its result is then
/// a `Cancelled` error); the UI reads [`Progress::fraction`] every frame.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancel: AtomicBool,
}

impl Progress {
    /// Nothing done of nothing, not cancelled.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a new stretch of work of `total` steps (done goes back to 0; a cancel stays).
    pub fn start(&self, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Counts `steps` more steps done.
    pub fn advance(&self, steps: usize) {
        self.done.fetch_add(steps, Ordering::Relaxed);
    }

    /// Steps done so far.
    #[must_use]
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Steps in all (0 until the work knows).
    #[must_use]
    pub fn total(&self) -> usize {
        self.total.load(Ordering::Relaxed)
    }

    /// Done out of total, from 0 to 1 (0 while the total is unknown).
    #[must_use]
    pub fn fraction(&self) -> f32 {
        let total = self.total();
        if total == 0 {
            0.0
        } else {
            (self.done().min(total) as f32) / total as f32
        }
    }

    /// Asks the work to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether the work was asked to stop.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// `work` applied to every item (with its index) on all cores (items taken one at a time,
/// so a few large ones do not leave a core idle), one step of `progress` per
/// item; the results in the items' order, or `None` once cancelled.
pub(crate) fn map_parallel<T: Sync, R: Send>(
    items: &[T],
    progress: &Progress,
    work: impl Fn(usize, &T) -> R + Sync,
) -> Option<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut results = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= items.len() || progress.is_cancelled() {
                return results;
            }
            results.push((index, work(index, &items[index])));
            progress.advance(1);
        }
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mut results = worker();
        for other in others {
            // A worker that panicked took its items with it: the caller sees them missing.
            results.extend(other.join().unwrap_or_default());
        }
        results
    });
    if progress.is_cancelled() || results.len() != items.len() {
        return None;
    }
    results.sort_unstable_by_key(|(index, _)| *index);
    Some(results.into_iter().map(|(_, result)| result).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_from_several_threads_add_up_and_a_cancel_is_seen() {
        let progress = Progress::new();
        assert!(progress.fraction().abs() < f32::EPSILON);
        progress.start(400);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| (0..50).for_each(|_| progress.advance(1)));
            }
        });
        assert_eq!((progress.done(), progress.total()), (200, 400));
        assert!((progress.fraction() - 0.5).abs() < f32::EPSILON);
        assert!(!progress.is_cancelled());
        progress.cancel();
        progress.start(10);
        assert!(progress.is_cancelled(), "a new stretch of work keeps the cancel");
        assert_eq!(progress.done(), 0);
    }

    #[test]
    fn parallel_work_keeps_the_order_and_stops_when_cancelled() {
        let items: Vec<usize> = (0..1000).collect();
        let progress = Progress::new();
        progress.start(items.len());
        let squares = map_parallel(&items, &progress, |_, n| n * n).unwrap();
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert_eq!(progress.done(), 1000);
        assert_eq!(map_parallel(&[] as &[usize], &progress, |_, n| *n), Some(Vec::new()));
        let cancelled = map_parallel(&items, &progress, |_, n| {
            if *n == 10 {
                progress.cancel();
            }
            *n
        });
        assert_eq!(cancelled, None);
    }
}
