//! Spreading independent items over threads in the native build.
//!
//! Every item is computed exactly as in a sequential run and the results
//! come back in item order, so threading never changes a number. The
//! WebAssembly build has no threads and runs the items one after another.

/// Environment variable that sets the number of threads of the native
/// build (a positive integer); unset or invalid means all available cores.
pub const THREADS_VARIABLE: &str = "LAYERWISE_THREADS";

/// Number of threads worth using: `LAYERWISE_THREADS` when it holds a
/// positive integer, else the machine's available parallelism, at most 8;
/// always 1 on wasm32.
pub fn available_threads() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let requested = std::env::var(THREADS_VARIABLE)
            .ok()
            .and_then(|value| value.trim().parse::<usize>().ok())
            .filter(|&threads| threads > 0);
        requested
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .min(8)
    }
}

/// `[item(0), item(1), …, item(count − 1)]`, computed on up to `threads`
/// threads. Thread t takes items t, t + threads, t + 2·threads, …, which
/// balances items whose cost grows or shrinks with the index.
pub fn map<T, F>(count: usize, threads: usize, item: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    let threads = threads.clamp(1, count.max(1));
    if threads == 1 || cfg!(target_arch = "wasm32") {
        return (0..count).map(item).collect();
    }

    let item = &item;
    let mut slots: Vec<Option<T>> = (0..count).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || {
                    (first..count)
                        .step_by(threads)
                        .map(|index| (index, item(index)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            // A panic in a worker is a bug in the engine; re-raise it here.
            let results = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (index, value) in results {
                slots[index] = Some(value);
            }
        }
    });
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_item_order() {
        let squares = map(1000, 3, |i| i * i);
        assert_eq!(squares, (0..1000).map(|i| i * i).collect::<Vec<_>>());
    }

    #[test]
    fn empty_and_single_thread() {
        assert!(map(0, 4, |i| i).is_empty());
        assert_eq!(map(5, 1, |i| i + 1), vec![1, 2, 3, 4, 5]);
    }
}
