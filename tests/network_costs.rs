//! Measured costs of network mode, printed rather than checked. Run with
//! `cargo test --release --test network_costs -- --ignored --nocapture`;
//! the numbers depend on the machine.

use std::hint::black_box;
use std::time::Instant;

use layerwise::network::{
    literal_cells, DecoderBuilder, LiteralDecoderSearch, Network, NetworkAnalysis, NetworkModel,
    NetworkSpec, SearchStatus,
};
use layerwise::qmc;
use layerwise::readout::{MeanRule, Readouts, TABULATE_MAX_CELLS};
use layerwise::sampler::Sampler;
use layerwise::state::{Family, State};
use layerwise::target::build_target;

fn model(d: usize, n: u32, depth: u32, eta: f64) -> NetworkModel {
    let state = State {
        d,
        target: Family::Weierstrass,
        ..State::default()
    };
    let sampler = Sampler::new(build_target(&state).unwrap());
    let readouts = Readouts::new(&sampler, n, depth, MeanRule::Draft, TABULATE_MAX_CELLS);
    let spec = NetworkSpec::new(d, n, depth, eta).unwrap();
    let constant = readouts.overall_mean();
    let decoder = DecoderBuilder::new(&spec, constant).build(&sampler, &readouts);
    NetworkModel::new(Network::new(&spec, constant), decoder).unwrap()
}

#[test]
#[ignore = "timing; run explicitly in release"]
fn forward_pass_time_per_point() {
    for (d, n, depth) in [(1, 4, 6), (2, 3, 4), (1, 16, 5), (2, 16, 2)] {
        let model = model(d, n, depth, 1e-3);
        let shift = qmc::shifts(3, 1)[0];
        let count = 200_000u64;
        let points: Vec<_> = (0..count)
            .map(|k| qmc::point(d, shift, k, [0.0, 0.0], [1.0, 1.0]))
            .collect();
        let mut trace = layerwise::network::Trace::default();
        let mut sum = 0.0;
        let start = Instant::now();
        for point in &points {
            model.forward_into(*point, &mut trace);
            sum += trace.readout(depth);
        }
        let elapsed = start.elapsed();
        black_box(sum);
        let network = model.network();
        println!(
            "d={d} N={n} L={depth}: W={} H={} dense={} nonzero={}: {:.0} ns per point",
            network.width(),
            network.hidden_layers(),
            network.dense_parameter_count(),
            network.nonzero_parameter_count(),
            elapsed.as_nanos() as f64 / count as f64
        );
    }
}

#[test]
#[ignore = "timing; run explicitly in release"]
fn analysis_time_and_figures() {
    for (d, n, depth, eta) in [(1, 4, 6, 1e-3), (2, 3, 4, 1e-3), (1, 3, 4, 0.01)] {
        let state = State {
            d,
            n,
            depth,
            eta,
            target: Family::Weierstrass,
            ..State::default()
        };
        let readouts = Readouts::new(
            &Sampler::new(build_target(&state).unwrap()),
            n,
            depth,
            MeanRule::Draft,
            TABULATE_MAX_CELLS,
        );
        let start = Instant::now();
        let mut analysis = NetworkAnalysis::new(&state, readouts).unwrap();
        let mut steps = 0;
        while !analysis.refine(100_000) {
            steps += 1;
        }
        let elapsed = start.elapsed();
        let summary = analysis.summary();
        println!(
            "d={d} N={n} L={depth} eta={eta}: {steps} steps, {:.1} ms, work {}, \
             strips {:.5} ± {:.5} (bound {:.5}), misses {}",
            elapsed.as_secs_f64() * 1e3,
            summary.work,
            summary.strip_fraction,
            summary.strip_fraction_standard_error,
            summary.strip_bound,
            summary.decoder_misses
        );
        for row in analysis.rows() {
            println!(
                "  level {}: error {:.5} ideal {:.5} gap {:.5}",
                row.level, row.error, row.ideal_error, row.readout_gap
            );
        }
    }
}

#[test]
#[ignore = "timing; run explicitly in release"]
fn literal_search_trials() {
    let model = model(1, 3, 3, 1e-3);
    for (level, indices) in [
        (1, vec![0, 1]),
        (1, vec![0, 1, 2]),
        (2, vec![0, 1, 2, 3]),
        (2, vec![0, 1, 2, 3, 4]),
    ] {
        let cells = literal_cells(model.decoder(), level, &indices).unwrap();
        let mut search = LiteralDecoderSearch::new(&cells, 0.01, 2_000_000_000).unwrap();
        let start = Instant::now();
        let status = search.step(u64::MAX);
        let elapsed = start.elapsed();
        match status {
            SearchStatus::Found(found) => println!(
                "{} cells: w = {:.4} after {} trials, max error {:.2e}, {:.1} ms",
                cells.len(),
                found.frequency,
                found.trials,
                found.max_error,
                elapsed.as_secs_f64() * 1e3
            ),
            other => println!("{} cells: {other:?}", cells.len()),
        }
    }
}
