//! Network mode: the built network's shape, its exactness outside strips,
//! its behaviour inside them, the error it reaches and the literal decoder
//! demo.

use layerwise::grid::{Grid, Point};
use layerwise::network::{
    cell_code, literal_cells, Availability, DecoderBuilder, DepthLimit, LiteralCell,
    LiteralDecoderSearch, Network, NetworkAnalysis, NetworkError, NetworkModel, NetworkSpec,
    SearchStatus, DECODER_MAX_ENTRIES,
};
use layerwise::qmc::{splitmix64, unit_from_bits};
use layerwise::readout::{MeanRule, Readouts, TABULATE_MAX_CELLS};
use layerwise::sampler::Sampler;
use layerwise::state::{Family, State};
use layerwise::target::build_target;

fn sampler(family: Family, d: usize) -> Sampler {
    let state = State {
        d,
        target: family,
        ..State::default()
    };
    Sampler::new(build_target(&state).unwrap())
}

fn readouts(sampler: &Sampler, n: u32, depth: u32) -> Readouts {
    Readouts::new(sampler, n, depth, MeanRule::Draft, TABULATE_MAX_CELLS)
}

/// Builds the network of `spec` with its decoder from `readouts`.
fn model(spec: &NetworkSpec, sampler: &Sampler, readouts: &Readouts) -> NetworkModel {
    let constant = readouts.overall_mean();
    let network = Network::new(spec, constant);
    let decoder = DecoderBuilder::new(spec, constant).build(sampler, readouts);
    NetworkModel::new(network, decoder).unwrap()
}

/// Draws deterministic pseudo-random points in [0,1]^d.
fn random_points(d: usize, count: usize, seed: u64) -> Vec<Point> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            let (next, first) = splitmix64(state);
            let (next, second) = splitmix64(next);
            state = next;
            let y = if d == 2 { unit_from_bits(second) } else { 0.0 };
            [unit_from_bits(first), y]
        })
        .collect()
}

/// Checks whether every coordinate of `point` keeps a distance of at least
/// `margin` (in units of N·t) from every strip (j − η, j) and every grid
/// line at levels 1..=`depth`, judged from x alone.
fn away_from_strips(point: Point, d: usize, n: u32, depth: u32, eta: f64, margin: f64) -> bool {
    let nf = f64::from(n);
    for &x in &point[..d] {
        for level in 1..=depth {
            let scaled = x * nf.powi(level as i32 - 1);
            let z = nf * (scaled - scaled.floor());
            for line in 0..=n {
                let line = f64::from(line);
                if (z - line).abs() < margin {
                    return false;
                }
                let strip_start = line - eta - margin;
                if line >= 1.0 && line < nf && z > strip_start && z < line + margin {
                    return false;
                }
            }
        }
    }
    true
}

#[test]
fn width_matches_formula() {
    for d in [1, 2] {
        for n in [2, 3, 4, 7, 16] {
            for depth in [1, 2, 3] {
                let spec = NetworkSpec::new(d, n, depth, 1e-3).unwrap();
                let network = Network::new(&spec, 0.0);
                let expected = 2 * d * n as usize + d + 2;
                assert_eq!(network.width(), expected, "d={d} n={n} depth={depth}");
                for layer in network.layers() {
                    assert_eq!(layer.rows(), expected, "d={d} n={n} depth={depth}");
                }
                for head in network.heads() {
                    assert_eq!(head.weights().len(), expected);
                }
            }
        }
    }
}

#[test]
fn hidden_layers_are_depth_plus_two() {
    for (d, n, depth) in [(1, 3, 1), (1, 4, 6), (2, 3, 4)] {
        let spec = NetworkSpec::new(d, n, depth, 1e-3).unwrap();
        let network = Network::new(&spec, 0.0);
        assert_eq!(network.hidden_layers(), depth as usize + 2);
        assert_eq!(network.heads().len(), depth as usize);
        assert_eq!(network.layers()[0].inputs(), d);
        for (index, head) in network.heads().iter().enumerate() {
            assert_eq!(head.layer(), index + 3);
        }
    }
}

#[test]
fn dense_count_matches_formula() {
    for d in [1, 2] {
        for n in [2, 3, 5, 16] {
            for depth in [1, 2, 4] {
                let spec = NetworkSpec::new(d, n, depth, 1e-2).unwrap();
                let network = Network::new(&spec, 0.5);
                let w = (2 * d * n as usize + d + 2) as u64;
                let levels = u64::from(spec.depth());
                let h = levels + 2;
                let formula = (d as u64 + 1) * w + (h - 1) * (w + 1) * w + levels * (w + 1);
                assert_eq!(network.dense_parameter_count(), formula, "d={d} n={n}");
                assert_eq!(spec.dense_parameter_formula(), formula, "d={d} n={n}");
                let nonzero = network.nonzero_parameter_count();
                assert!(nonzero > 0);
                assert!(nonzero < formula, "d={d} n={n}: {nonzero} of {formula}");
            }
        }
    }
}

#[test]
fn nonzero_count_counts_matrices() {
    // Recount by hand: every stored non-zero weight and bias, plus one
    // weight per head and the constant in the first head's bias.
    let spec = NetworkSpec::new(2, 3, 3, 1e-2).unwrap();
    let network = Network::new(&spec, 0.5);
    let mut count = 0u64;
    for layer in network.layers() {
        count += layer.weights().iter().filter(|w| **w != 0.0).count() as u64;
        count += layer.biases().iter().filter(|b| **b != 0.0).count() as u64;
    }
    count += network.depth() as u64 + 1;
    assert_eq!(network.nonzero_parameter_count(), count);
}

/// Checks that the network reproduces E_ℓ f exactly (up to the rounding of
/// the summed corrections) at points away from strips.
fn check_exact_away_from_strips(family: Family, d: usize, n: u32, depth: u32) {
    let eta = 1e-4;
    let sampler = sampler(family, d);
    let readouts = readouts(&sampler, n, depth);
    let spec = NetworkSpec::new(d, n, depth, eta).unwrap();
    assert_eq!(spec.depth(), depth);
    let model = model(&spec, &sampler, &readouts);

    let points: Vec<Point> = random_points(d, 4000, 17 + n as u64)
        .into_iter()
        .filter(|p| away_from_strips(*p, d, n, depth, eta, 1e-6))
        .collect();
    assert!(points.len() > 3000, "too few test points: {}", points.len());

    let mut reference = vec![0.0; depth as usize + 1];
    for point in points {
        let trace = model.forward(point);
        assert_eq!(
            trace.first_fractional_level(),
            None,
            "{family:?} at {point:?}"
        );
        // The tables' own sums of corrections, reached by the cell index of
        // x, agree with the forward pass bit for bit.
        model.table_readouts(point, &mut reference);
        assert_eq!(trace.readouts(), reference, "{family:?} at {point:?}");
        let mut previous = trace.constant;
        for level in 1..=depth {
            let level_trace = &trace.levels[level as usize - 1];
            let expected = readouts.value(&sampler, level, point);
            let readout = level_trace.readout;
            let tolerance = 4.0 * f64::EPSILON * (expected.abs() + previous.abs());
            assert!(
                (readout - expected).abs() <= tolerance,
                "{family:?} {d}D level {level} at {point:?}: network {readout}, E_l f {expected}"
            );
            assert!(level_trace.decoder_hit, "level {level} at {point:?}");
            let grid = Grid::new(d, n, level).unwrap();
            let index = grid.flat_index(grid.cell_of(point)) as u64;
            assert_eq!(
                level_trace.code,
                cell_code(index),
                "level {level} at {point:?}"
            );
            previous = readout;
        }
    }
}

#[test]
fn readout_equals_cell_means_1d() {
    check_exact_away_from_strips(Family::Weierstrass, 1, 4, 6);
    check_exact_away_from_strips(Family::Jump, 1, 3, 5);
    check_exact_away_from_strips(Family::Kink, 1, 2, 12);
}

#[test]
fn readout_equals_cell_means_2d() {
    check_exact_away_from_strips(Family::Cone, 2, 3, 4);
    check_exact_away_from_strips(Family::Weierstrass, 2, 4, 3);
    check_exact_away_from_strips(Family::Jump, 2, 5, 2);
}

#[test]
fn digits_integer_outside_strips() {
    for (d, n, depth) in [(1, 4, 6), (1, 7, 4), (2, 3, 4), (2, 16, 2)] {
        let eta = 1e-3;
        let sampler = sampler(Family::Kink, d);
        let readouts = readouts(&sampler, n, depth);
        let spec = NetworkSpec::new(d, n, depth, eta).unwrap();
        let model = model(&spec, &sampler, &readouts);
        let nf = f64::from(n);
        for point in random_points(d, 2000, 5) {
            if !away_from_strips(point, d, n, depth, eta, 1e-6) {
                continue;
            }
            let trace = model.forward(point);
            for level in 1..=depth {
                let level_trace = &trace.levels[level as usize - 1];
                let grid = Grid::new(d, n, level).unwrap();
                let cell = grid.cell_of(point);
                for (axis, &cell_index) in cell.iter().enumerate().take(d) {
                    let digit = level_trace.digits[axis];
                    let index = level_trace.indices[axis];
                    assert_eq!(digit.fract(), 0.0, "digit {digit} at {point:?}");
                    assert_eq!(index.fract(), 0.0, "index {index} at {point:?}");
                    assert_eq!(index, cell_index as f64, "level {level} at {point:?}");
                    assert_eq!(digit, (cell_index % u64::from(n)) as f64);
                    assert!(digit < nf);
                }
                assert_eq!(
                    level_trace.flat_index,
                    grid.flat_index(cell) as f64,
                    "level {level} at {point:?}"
                );
            }
        }
    }
}

#[test]
fn strip_values_stay_bounded() {
    for (d, n, depth, eta) in [
        (1, 3, 5, 0.1),
        (1, 16, 5, 1e-4),
        (2, 4, 3, 0.5),
        (2, 3, 4, 0.01),
    ] {
        let sampler = sampler(Family::Jump, d);
        let readouts = readouts(&sampler, n, depth);
        let spec = NetworkSpec::new(d, n, depth, eta).unwrap();
        let model = model(&spec, &sampler, &readouts);
        let bound = model.network().activation_bound();
        let eta = spec.eta();
        let nf = f64::from(n);

        // Points in the middle of a strip of each level, and random points.
        let mut points = Vec::new();
        for level in 1..=depth {
            for j in 1..n {
                let x = (f64::from(j) - 0.5 * eta) / nf.powi(level as i32);
                points.push([x, 0.37]);
                points.push([0.61, x]);
            }
        }
        points.extend(random_points(d, 500, 9));

        let mut fractional = 0;
        for point in points {
            let trace = model.forward(point);
            if trace.first_fractional_level().is_some() {
                fractional += 1;
            }
            assert!(trace.all_finite, "non-finite activation at {point:?}");
            assert!(
                trace.max_abs_activation <= bound,
                "activation {} above bound {bound} at {point:?}",
                trace.max_abs_activation
            );
            for readout in trace.readouts() {
                assert!(readout.is_finite(), "readout {readout} at {point:?}");
                assert!(readout.abs() < 1e3, "readout {readout} at {point:?}");
            }
        }
        assert!(
            fractional >= depth,
            "d={d} n={n}: only {fractional} strip points"
        );
    }
}

#[test]
fn clamp_bounds_points_outside_domain() {
    // Outside [0,1] the ramps saturate and the clamp pins the local
    // coordinate, so the network reads the nearest cell, as `Grid` does.
    // Without the clamp the local coordinate would grow N-fold per level.
    // Coordinates stay in [−1, 2], so that the first layer, which reads x
    // unclamped, stays below the bound too.
    for (d, n, depth) in [(1, 3, 5), (2, 4, 3)] {
        let sampler = sampler(Family::Kink, d);
        let readouts = readouts(&sampler, n, depth);
        let spec = NetworkSpec::new(d, n, depth, 1e-3).unwrap();
        let model = model(&spec, &sampler, &readouts);
        let bound = model.network().activation_bound();
        // Non-finite coordinates go to the cells `Grid` maps them to.
        let non_finite = [
            [f64::NAN, 0.6],
            [0.3, f64::INFINITY],
            [f64::NEG_INFINITY, 0.2],
        ];
        let outside = [[-0.5, 0.3], [1.5, 0.3], [2.0, -1.0], [0.3, 1.9]];
        for point in outside.into_iter().chain(non_finite) {
            let trace = model.forward(point);
            assert!(trace.all_finite, "{point:?}");
            assert!(
                trace.max_abs_activation <= bound,
                "activation {} above bound {bound} at {point:?}",
                trace.max_abs_activation
            );
            assert_eq!(trace.first_fractional_level(), None, "{point:?}");
            for level in 1..=depth {
                let expected = readouts.value(&sampler, level, point);
                let readout = trace.readout(level);
                assert!(
                    (readout - expected).abs() <= 1e-14,
                    "d={d} level {level} at {point:?}: {readout} vs {expected}"
                );
            }
        }
    }
}

#[test]
fn strip_point_flags_its_level() {
    let (n, depth, eta) = (3, 4, 0.01);
    let sampler = sampler(Family::Kink, 1);
    let readouts = readouts(&sampler, n, depth);
    let spec = NetworkSpec::new(1, n, depth, eta).unwrap();
    let model = model(&spec, &sampler, &readouts);
    for level in 1..=depth {
        // x lies in the middle of the strip just left of the grid line
        // 1/3^level.
        let x = (1.0 - 0.5 * eta) / 3f64.powi(level as i32);
        let trace = model.forward([x, 0.0]);
        assert_eq!(trace.first_fractional_level(), Some(level), "x={x}");
        assert!(!trace.levels[level as usize - 1].decoder_hit, "x={x}");
    }
}

/// Measures the fraction of `count` evenly spaced points of [0,1] whose
/// digits are fractional at some level.
fn grid_strip_fraction(model: &NetworkModel, count: usize) -> f64 {
    let mut hits = 0;
    for k in 0..count {
        let x = (k as f64 + 0.5) / count as f64;
        if model.forward([x, 0.0]).first_fractional_level().is_some() {
            hits += 1;
        }
    }
    hits as f64 / count as f64
}

#[test]
fn strip_fraction_within_bound_1d() {
    for (n, depth, eta) in [(3, 4, 0.01), (4, 5, 1e-3), (2, 8, 0.02)] {
        let sampler = sampler(Family::Kink, 1);
        let readouts = readouts(&sampler, n, depth);
        let spec = NetworkSpec::new(1, n, depth, eta).unwrap();
        let model = model(&spec, &sampler, &readouts);
        let bound = spec.strip_bound_per_axis(depth);
        let count = 400_000;
        // The strips are at most N^depth intervals, so evenly spaced points
        // measure their length to within N^depth / count.
        let resolution = f64::from(n).powi(depth as i32) / count as f64;
        let fraction = grid_strip_fraction(&model, count);
        assert!(
            fraction <= bound + resolution,
            "n={n}: fraction {fraction} above bound {bound}"
        );
        assert!(
            fraction >= 0.9 * bound - resolution,
            "n={n}: fraction {fraction} far below bound {bound}"
        );
    }
}

fn analysis(family: Family, d: usize, n: u32, depth: u32, eta: f64, p: f64) -> NetworkAnalysis {
    let state = State {
        d,
        n,
        depth,
        target: family,
        eta,
        p,
        ..State::default()
    };
    let target = build_target(&state).unwrap();
    let readouts = readouts(&Sampler::new(build_target(&state).unwrap()), n, depth);
    let spec = NetworkSpec::new(d, n, depth, eta).unwrap();
    let mut analysis = NetworkAnalysis::from_target(target, readouts, spec, p, 4096).unwrap();
    analysis.finish();
    analysis
}

#[test]
fn measured_strip_fraction_near_bound() {
    let analysis = analysis(Family::Weierstrass, 1, 3, 4, 0.01, 2.0);
    let summary = analysis.summary();
    let bound = summary.strip_bound_per_axis;
    assert!((bound - 4.0 * 0.01 * 2.0 / 3.0).abs() < 1e-15);
    let slack = 4.0 * summary.strip_fraction_standard_error + 1e-3 * bound;
    assert!(
        summary.strip_fraction <= bound + slack,
        "fraction {} above bound {bound}",
        summary.strip_fraction
    );
    assert!(
        summary.strip_fraction >= 0.9 * bound,
        "fraction {} far below bound {bound}",
        summary.strip_fraction
    );
    for row in analysis.rows() {
        let level_bound = row.strip_bound_per_axis;
        assert!(
            row.strip_fraction <= level_bound + slack,
            "level {}",
            row.level
        );
    }
}

#[test]
fn misses_only_inside_strips() {
    for (d, n, depth) in [(1, 4, 6), (2, 3, 4)] {
        let analysis = analysis(Family::Cone, d, n, depth, 1e-3, 2.0);
        let summary = analysis.summary();
        assert!(summary.is_final);
        assert_eq!(summary.misses_outside_strips, 0, "d={d}");
        assert_eq!(summary.decoder_collisions, 0, "d={d}");
        assert!(
            summary.decoder_misses > 0,
            "d={d}: no sample fell in a strip"
        );
        assert_eq!(summary.samples, 8 * 4096);
        assert_eq!(summary.network_evaluations, 8 * 4096);
        assert_eq!(summary.decoder_lookups, 8 * 4096 * u64::from(depth));
        assert!(summary.target_evaluations >= 8 * 4096);
    }
}

#[test]
fn network_error_tends_to_ideal() {
    for (family, d, n, depth) in [(Family::Weierstrass, 1, 3, 4), (Family::Cone, 2, 3, 3)] {
        let mut previous_gap = f64::INFINITY;
        let mut last = None;
        for eta in [0.5, 0.1, 0.01, 1e-3, 1e-4] {
            let analysis = analysis(family, d, n, depth, eta, 2.0);
            let row = analysis.rows().last().unwrap().clone();
            // Both errors come from the same points, so the triangle
            // inequality bounds their difference by the readout gap.
            let difference = (row.error - row.ideal_error).abs();
            assert!(
                difference <= row.readout_gap * (1.0 + 1e-9) + 1e-15,
                "{family:?} eta={eta}: |error - ideal| {difference} > gap {}",
                row.readout_gap
            );
            assert!(
                row.readout_gap < previous_gap,
                "{family:?} eta={eta}: gap {} did not fall below {previous_gap}",
                row.readout_gap
            );
            previous_gap = row.readout_gap;
            last = Some(row);
        }
        let row = last.unwrap();
        let relative = (row.error - row.ideal_error).abs() / row.ideal_error;
        assert!(
            relative < 0.05,
            "{family:?}: relative difference {relative} at eta=1e-4"
        );
    }
}

#[test]
fn refine_is_progressive() {
    let state = State {
        d: 2,
        n: 3,
        depth: 4,
        target: Family::Cone,
        eta: 1e-3,
        ..State::default()
    };
    let readouts = readouts(&Sampler::new(build_target(&state).unwrap()), 3, 4);
    let mut analysis = NetworkAnalysis::new(&state, readouts).unwrap();
    assert!(analysis.model().is_none());
    for row in analysis.rows() {
        assert!(row.error.is_nan(), "level {} before sampling", row.level);
        assert!(row.strip_fraction.is_nan(), "level {}", row.level);
        assert!(!row.is_final);
    }
    let mut steps = 0;
    let mut last_work = analysis.work();
    while !analysis.refine(5_000) {
        steps += 1;
        assert!(analysis.work() > last_work, "refine made no progress");
        last_work = analysis.work();
        assert!(steps < 100_000, "refine does not finish");
    }
    assert!(steps > 10, "only {steps} steps for the whole computation");
    assert!(analysis.model().is_some());
    assert!(analysis.is_final());
    for row in analysis.rows() {
        assert!(row.error.is_finite());
        assert!(row.is_final);
    }
}

#[test]
fn analysis_rejects_mismatched_readouts() {
    let state = State {
        d: 1,
        n: 4,
        depth: 3,
        ..State::default()
    };
    let sampler = sampler(Family::Weierstrass, 1);
    let wrong = readouts(&sampler, 3, 3);
    let error = NetworkAnalysis::new(&state, wrong).err().unwrap();
    assert!(
        matches!(error, NetworkError::ReadoutsMismatch { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("expected 4"), "{error}");
}

#[test]
fn literal_search_finds_two_and_three_cells() {
    let sampler = sampler(Family::Weierstrass, 1);
    let readouts = readouts(&sampler, 3, 2);
    let spec = NetworkSpec::new(1, 3, 2, 1e-3).unwrap();
    let model = model(&spec, &sampler, &readouts);
    for indices in [vec![0, 1], vec![0, 1, 2], vec![3, 4, 5]] {
        let level = if indices[0] == 0 { 1 } else { 2 };
        let cells = literal_cells(model.decoder(), level, &indices).unwrap();
        let tolerance = 0.01;
        let mut search = LiteralDecoderSearch::new(&cells, tolerance, 10_000_000).unwrap();
        let mut status = search.step(0);
        let mut chunks = 0;
        while let SearchStatus::Running { .. } = status {
            status = search.step(10_000);
            chunks += 1;
        }
        let SearchStatus::Found(found) = status else {
            panic!("no frequency found for cells {indices:?}: {status:?}");
        };
        assert!(found.max_error <= tolerance, "cells {indices:?}");
        assert!(chunks >= 1);
        // Recompute every cell's correction from the reported parameters.
        for cell in &cells {
            let v = (found.frequency * cell_code(cell.index) + found.phase).sin();
            let correction = found.alpha * v + found.beta;
            let error = (correction - cell.correction).abs();
            assert!(
                error <= found.max_correction_error * (1.0 + 1e-9) + 1e-15,
                "cell {}: {error}",
                cell.index
            );
        }
    }
}

#[test]
fn literal_search_reports_exhausted_budget() {
    let cells: Vec<LiteralCell> = [0.3, -0.2, 0.9, -0.7, 0.1]
        .iter()
        .enumerate()
        .map(|(index, &correction)| LiteralCell {
            index: index as u64 + 10,
            correction,
        })
        .collect();
    let mut search = LiteralDecoderSearch::new(&cells, 1e-3, 1000).unwrap();
    let status = search.step(400);
    assert_eq!(status, SearchStatus::Running { trials: 400 });
    let status = search.step(10_000);
    let SearchStatus::Exhausted { trials, best } = status else {
        panic!("expected an exhausted budget, got {status:?}");
    };
    assert_eq!(trials, 1000);
    assert!(best.max_error > 1e-3);
    assert_eq!(best.max_error, search.max_error(best.frequency, best.phase));
    // A spent budget stays spent.
    assert_eq!(search.step(10), status);
}

#[test]
fn codes_distinct_up_to_cap() {
    let mut codes: Vec<f64> = (0..DECODER_MAX_ENTRIES).map(cell_code).collect();
    codes.sort_unstable_by(f64::total_cmp);
    let equal = codes.windows(2).filter(|pair| pair[0] == pair[1]).count();
    assert_eq!(equal, 0);
}

#[test]
fn extreme_parameters_do_not_panic() {
    let cases = [
        (1, 16, 10, 1e-4),
        (1, 16, 10, 0.5),
        (2, 16, 5, 1e-4),
        (2, 16, 5, 0.5),
        (1, 2, 12, 0.5),
        (2, 2, 8, 1e-4),
    ];
    for (d, n, depth, eta) in cases {
        let spec = NetworkSpec::new(d, n, depth, eta).unwrap();
        let availability = spec.availability();
        assert_eq!(availability, Availability::new(d, n, depth));
        if d == 1 && n == 16 {
            assert_eq!(spec.depth(), 5);
            assert_eq!(availability.limit, DepthLimit::DecoderTable);
        }
        let sampler = sampler(Family::Sine, d);
        let readouts = readouts(&sampler, n, spec.depth());
        let model = model(&spec, &sampler, &readouts);
        let corners: Vec<Point> = if d == 1 {
            vec![[0.0, 0.0], [1.0, 0.0], [0.5, 0.0]]
        } else {
            vec![[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]
        };
        for point in corners {
            let trace = model.forward(point);
            assert!(trace.all_finite, "{point:?}");
            assert_eq!(trace.first_fractional_level(), None, "{point:?}");
            for level in 1..=spec.depth() {
                let expected = readouts.value(&sampler, level, point);
                let readout = trace.readout(level);
                assert!(
                    (readout - expected).abs() <= 1e-14,
                    "d={d} n={n} eta={eta} level {level} at {point:?}: {readout} vs {expected}"
                );
            }
        }
    }
}
