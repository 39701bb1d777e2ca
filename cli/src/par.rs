//! Independent work on all cores, results in input order (std threads; no runtime to start).

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many items a thread takes at a time, at most: enough that taking is cheap, few enough
/// that the threads finish together.
const CHUNK: usize = 4;

/// The cores this process may run on (`EXPOSURE_THREADS` overrides it, for benchmarks).
pub fn cores() -> usize {
    std::env::var("EXPOSURE_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `f` of each item, in the items' order, computed on up to [`cores`] threads.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = cores();
    // A few chunks per thread; one item at a time when there are few.
    let chunk = (items.len() / (cores * 8)).clamp(1, CHUNK);
    let n = cores.min(items.len().div_ceil(chunk));
    if n <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let take = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let end = (start + chunk).min(items.len());
            done.push((start, items[start..end].iter().map(&f).collect()));
        }
    };
    let mut chunks: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..n).map(|_| s.spawn(take)).collect();
        let mut all = take();
        for h in helpers {
            // A panic in `f` is a bug: carry it on in this thread.
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    chunks.sort_unstable_by_key(|(start, _)| *start);
    chunks.into_iter().flat_map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_the_input() {
        let items: Vec<u64> = (0..1003).collect();
        let squares = map(&items, |x| x * x);
        assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        assert!(map(&[] as &[u8], |x| *x).is_empty());
        assert_eq!(map(&[1, 2, 3], |x| x + 1), [2, 3, 4]);
    }
}
