//! Work spread over the cores: each worker takes the next item from a shared counter,
//! and results come back in the order of the items, whatever the threads did.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Worker threads for parsing and rendering: every core (at most 8), or
/// `GONOGO_THREADS`. The output does not depend on it.
pub fn threads() -> usize {
    std::env::var("GONOGO_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 8)
}

/// `f` on every item, on up to [`threads`] threads, each with its own state made by
/// `init` (a template engine, say); the results in the order of `items`.
pub fn map_with<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    // One worker: no thread to start (a release checked alone, a fuzz input).
    if threads().min(items.len()) <= 1 {
        let mut state = init();
        return items.iter().map(|item| f(&mut state, item)).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = init();
        let mut done = vec![];
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(k) else { break };
            done.push((k, f(&mut state, item)));
        }
        done
    };
    let mut out: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads().min(items.len().max(1)))
            .map(|_| {
                // Workers get the main thread's stack (8 MiB), not a spawned thread's
                // 2 MiB: deserializing data nested up to the YAML depth limit (64)
                // must not overflow a worker's stack in a debug build.
                std::thread::Builder::new()
                    .stack_size(8 * 1024 * 1024)
                    .spawn_scoped(s, work)
                    .expect("start a worker thread")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    });
    out.sort_by_key(|(k, _)| *k);
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..1000).collect();
        let out = super::map_with(
            &items,
            || 0u32,
            |calls, x| {
                *calls += 1;
                x * 2
            },
        );
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }
}
