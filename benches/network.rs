//! Costs of network mode: the literal forward pass per point, the
//! progressive network analysis, and the literal two-sine decoder search.
//! Run with `cargo bench --bench network`; the numbers depend on the
//! machine and belong in BENCHMARKS.md, never in tests.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

use layerwise::network::{
    literal_cells, DecoderBuilder, LiteralDecoderSearch, Network, NetworkAnalysis, NetworkModel,
    NetworkSpec, SearchStatus, Trace,
};
use layerwise::qmc;
use layerwise::readout::{MeanRule, Readouts, TABULATE_MAX_CELLS};
use layerwise::sampler::Sampler;
use layerwise::state::{Family, State};
use layerwise::target::build_target;

fn weierstrass(d: usize, n: u32, depth: u32, eta: f64) -> State {
    State {
        d,
        n,
        depth,
        eta,
        target: Family::Weierstrass,
        ..State::default()
    }
}

fn readouts(state: &State) -> Readouts {
    let sampler = Sampler::new(build_target(state).expect("built-in target"));
    Readouts::new(
        &sampler,
        state.n,
        state.depth,
        MeanRule::Draft,
        TABULATE_MAX_CELLS,
    )
}

fn model(state: &State) -> NetworkModel {
    let sampler = Sampler::new(build_target(state).expect("built-in target"));
    let readouts = readouts(state);
    let spec = NetworkSpec::new(state.d, state.n, state.depth, state.eta).expect("valid spec");
    let constant = readouts.overall_mean();
    let decoder = DecoderBuilder::new(&spec, constant).build(&sampler, &readouts);
    NetworkModel::new(Network::new(&spec, constant), decoder).expect("consistent model")
}

/// One forward pass per point over 4096 quasi-random points.
fn forward_pass(c: &mut Criterion) {
    let mut group = c.benchmark_group("network_forward_4096_points");
    for (d, n, depth) in [(1, 4, 6), (2, 3, 4), (1, 16, 5), (2, 16, 2)] {
        let state = weierstrass(d, n, depth, 1e-3);
        let model = model(&state);
        let shift = qmc::shifts(3, 1)[0];
        let points: Vec<_> = (0..4096)
            .map(|k| qmc::point(d, shift, k, [0.0, 0.0], [1.0, 1.0]))
            .collect();
        let id = BenchmarkId::from_parameter(format!("{d}d_n{n}_l{depth}"));
        group.bench_function(id, |b| {
            let mut trace = Trace::default();
            b.iter(|| {
                let mut sum = 0.0;
                for point in &points {
                    model.forward_into(*point, &mut trace);
                    sum += trace.readout(depth);
                }
                black_box(sum)
            })
        });
    }
    group.finish();
}

/// The whole network analysis, from tables to final rows.
fn analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("network_analysis");
    group.sample_size(10);
    for (d, n, depth) in [(1, 4, 6), (2, 3, 4)] {
        let state = weierstrass(d, n, depth, 1e-3);
        let id = BenchmarkId::from_parameter(format!("{d}d_n{n}_l{depth}"));
        group.bench_function(id, |b| {
            b.iter(|| {
                let mut analysis =
                    NetworkAnalysis::new(&state, readouts(&state)).expect("valid state");
                while !analysis.refine(100_000) {}
                black_box(analysis.rows())
            })
        });
    }
    group.finish();
}

/// The literal two-sine decoder search on 2, 3 and 4 cells at ε = 0.01.
fn literal_search(c: &mut Criterion) {
    let mut group = c.benchmark_group("literal_decoder_search");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    let model = model(&weierstrass(1, 3, 3, 1e-3));
    for (level, indices) in [(1, vec![0, 1]), (1, vec![0, 1, 2]), (2, vec![0, 1, 2, 3])] {
        let cells = literal_cells(model.decoder(), level, &indices).expect("stored cells");
        let id = BenchmarkId::from_parameter(format!("{}_cells", cells.len()));
        group.bench_function(id, |b| {
            b.iter(|| {
                let mut search =
                    LiteralDecoderSearch::new(&cells, 0.01, 100_000_000).expect("valid search");
                let status = search.step(u64::MAX);
                assert!(matches!(status, SearchStatus::Found(_)));
                black_box(status)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, forward_pass, analysis, literal_search);
criterion_main!(benches);
