//! Criterion benchmarks of the per-level computation.
//!
//! - `draft`: `Analysis::new`, the bounded-work draft numbers the page
//!   shows first.
//! - `full`: `Analysis::new` followed by `finish`, which is what the
//!   command-line tool runs.
//! - `finish`: `finish` alone on a fresh draft, the part that
//!   `benches/numpy_reference.py` repeats in NumPy.
//!
//! The states are the weierstrass target (α = 0.5, p = 2) in 1D with N = 4,
//! L = 10 and in 2D with N = 3, L = 6, plus the piecewise-smooth cone in 2D
//! with p = 1, N = 3, L = 5, whose final numbers come from adaptive
//! quadrature instead of quasi-Monte-Carlo.
//!
//! Run with `cargo bench --bench engine`; `scripts/bench.sh` runs it and
//! records the medians in BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use layerwise::analysis::Analysis;
use layerwise::state::{Family, State};

/// One benchmarked state and the id it is reported under.
struct Case {
    id: &'static str,
    state: State,
}

fn state(d: usize, n: u32, depth: u32, target: Family, p: f64) -> State {
    State {
        d,
        n,
        depth,
        level: 1,
        target,
        alpha: 0.5,
        p,
        ..State::default()
    }
}

fn weierstrass_cases() -> Vec<Case> {
    vec![
        Case {
            id: "weierstrass_1d_n4_l10",
            state: state(1, 4, 10, Family::Weierstrass, 2.0),
        },
        Case {
            id: "weierstrass_2d_n3_l6",
            state: state(2, 3, 6, Family::Weierstrass, 2.0),
        },
    ]
}

fn cone_case() -> Case {
    Case {
        id: "cone_2d_n3_l5_p1",
        state: state(2, 3, 5, Family::Cone, 1.0),
    }
}

fn new_analysis(state: &State) -> Analysis {
    match Analysis::new(state) {
        Ok(analysis) => analysis,
        Err(error) => panic!("invalid benchmark state {state:?}: {error}"),
    }
}

fn bench_draft(c: &mut Criterion) {
    let mut group = c.benchmark_group("draft");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(3));
    for case in weierstrass_cases() {
        group.bench_function(case.id, |b| b.iter(|| new_analysis(black_box(&case.state))));
    }
    group.finish();
}

fn bench_full(c: &mut Criterion) {
    let mut group = c.benchmark_group("full");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for case in weierstrass_cases() {
        group.bench_function(case.id, |b| {
            b.iter(|| {
                let mut analysis = new_analysis(black_box(&case.state));
                analysis.finish();
                analysis.rows()
            })
        });
    }

    // About 0.6 s per run, so fewer samples.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    let cone = cone_case();
    group.bench_function(cone.id, |b| {
        b.iter(|| {
            let mut analysis = new_analysis(black_box(&cone.state));
            analysis.finish();
            analysis.rows()
        })
    });
    group.finish();
}

fn bench_finish(c: &mut Criterion) {
    let mut group = c.benchmark_group("finish");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for case in weierstrass_cases() {
        group.bench_function(case.id, |b| {
            b.iter_batched(
                || new_analysis(&case.state),
                |mut analysis| {
                    analysis.finish();
                    analysis.rows()
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench_draft, bench_full, bench_finish);
criterion_main!(benches);
