//! Network-mode pictures: the forward passes at the sample points, the
//! decoder tables built for the first frame and the ideal picture share
//! the picture budget, even for the costliest network states a link can
//! reach; the prefix network draws the same readouts as the full one.

use layerwise::analysis::Analysis;
use layerwise::network::{NetworkAnalysis, Trace};
use layerwise::picture::budget::{plan_network_within, Capabilities, NetworkCost};
use layerwise::picture::network::{network_readouts, NetworkDrawing};
use layerwise::picture::{Picture, Source, PICTURE_BUDGET};
use layerwise::state::{max_depth, Family, Mode, State, ETA_RANGE, MAX_EXPR_CHARS};

/// A sum of transcendental terms of about `MAX_EXPR_CHARS` characters, the
/// most expensive kind of target.
fn long_expression(d: usize) -> String {
    let term = if d == 1 {
        "sin(3*x)*exp(x)+"
    } else {
        "sin(3*x)*cos(2*y)+"
    };
    let mut text = String::new();
    while text.len() + term.len() < MAX_EXPR_CHARS {
        text.push_str(term);
    }
    text.push('x');
    text
}

/// The costliest network states: the largest base in 1D and 2D at the
/// deepest depth network mode allows, and other deep grids, with both
/// extreme ramp widths.
fn worst_states() -> Vec<State> {
    let mut states = Vec::new();
    for (d, n) in [(1, 16), (2, 16), (1, 4), (2, 3), (1, 2)] {
        for family in [Family::Weierstrass, Family::Jump, Family::Custom] {
            for eta in [ETA_RANGE.0, ETA_RANGE.1] {
                let depth = max_depth(d, n, Mode::Network);
                states.push(State {
                    d,
                    n,
                    depth,
                    level: depth,
                    target: family,
                    expr: long_expression(d),
                    mode: Mode::Network,
                    eta,
                    ..State::default()
                });
            }
        }
    }
    states
}

fn label(state: &State) -> String {
    format!(
        "{:?} {}D n={} depth={} eta={}",
        state.target, state.d, state.n, state.depth, state.eta
    )
}

/// Starts the network analysis of `state` and builds its first pictures,
/// as the page does.
fn start(state: &State, analysis: &Analysis) -> (NetworkAnalysis, Picture, NetworkDrawing) {
    let (readouts, spent) = network_readouts(analysis);
    let mut network = NetworkAnalysis::new(state, readouts).unwrap();
    let drawing = NetworkDrawing::build(analysis, &mut network, None, spent);
    let picture = drawing.ideal_picture(analysis);
    (network, picture, drawing)
}

#[test]
fn first_frame_within_budget() {
    for state in worst_states() {
        let analysis = Analysis::new(&state).unwrap();
        let (_, picture, drawing) = start(&state, &analysis);
        let total = picture.work + drawing.picture.work + drawing.table_work;
        assert!(
            total <= PICTURE_BUDGET,
            "{}: picture {} + network {} + tables {} exceed {PICTURE_BUDGET}",
            label(&state),
            picture.work,
            drawing.picture.work,
            drawing.table_work
        );
        assert_eq!(
            drawing.picture.evaluations,
            (drawing.plan.per_axis as u64).pow(state.d as u32),
            "{}",
            label(&state)
        );
        assert!(
            drawing.plan.per_axis > 0,
            "{}: no readout drawn",
            label(&state)
        );
        assert!(
            drawing.picture.drawn_levels() >= 1,
            "{}: no level drawn in the first frame",
            label(&state)
        );
    }
}

#[test]
fn complete_tables_redraw_within_budget() {
    // Cheap targets only: the full tables of the deepest grids take long
    // in a debug build.
    for (d, n, eta) in [(1, 16, ETA_RANGE.0), (2, 16, ETA_RANGE.1), (1, 4, 0.01)] {
        let depth = max_depth(d, n, Mode::Network);
        let state = State {
            d,
            n,
            depth,
            target: Family::Jump,
            mode: Mode::Network,
            eta,
            ..State::default()
        };
        let analysis = Analysis::new(&state).unwrap();
        let (mut network, picture, mut drawing) = start(&state, &analysis);
        while network.model().is_none() {
            network.refine(1_000_000);
        }
        drawing.upgrade(&network);
        assert!(drawing.prefix.is_none(), "{}", label(&state));
        assert_eq!(
            drawing.picture.drawn_levels(),
            network.spec().depth(),
            "{}",
            label(&state)
        );
        let total = picture.work + drawing.picture.work;
        assert!(
            total <= PICTURE_BUDGET,
            "{}: {total} exceeds {PICTURE_BUDGET}",
            label(&state)
        );
    }
}

#[test]
fn prefix_readouts_equal_full_network() {
    let state = State {
        d: 1,
        n: 4,
        depth: 10,
        target: Family::Weierstrass,
        mode: Mode::Network,
        eta: 0.05,
        ..State::default()
    };
    let analysis = Analysis::new(&state).unwrap();
    let (mut network, _, mut drawing) = start(&state, &analysis);
    assert!(
        drawing.prefix.is_some(),
        "the first frame built every table"
    );
    let prefix_levels = drawing.picture.drawn_levels();
    assert!((2..10).contains(&prefix_levels), "{prefix_levels}");
    let first = drawing.picture.clone();

    while network.model().is_none() {
        network.refine(1_000_000);
    }
    assert!(drawing.upgrade(&network));
    for level in 1..=prefix_levels {
        let before = first.level(level).unwrap().values();
        let after = drawing.picture.level(level).unwrap().values();
        assert_eq!(before.len(), after.len(), "level {level}");
        for (index, (a, b)) in before.iter().zip(after).enumerate() {
            assert_eq!(a.to_bits(), b.to_bits(), "level {level} sample {index}");
        }
    }
}

#[test]
fn adopted_tables_skip_building() {
    let state = State {
        d: 2,
        n: 3,
        depth: 3,
        target: Family::Cone,
        mode: Mode::Network,
        eta: 0.01,
        ..State::default()
    };
    let analysis = Analysis::new(&state).unwrap();
    let (first, _, drawing) = start(&state, &analysis);
    assert!(drawing.prefix.is_none());
    let decoder = first.model().unwrap().decoder().clone();

    let wider = State {
        eta: 0.2,
        ..state.clone()
    };
    let mut second = NetworkAnalysis::new(&wider, first.readouts().clone()).unwrap();
    let drawing = NetworkDrawing::build(&analysis, &mut second, Some(decoder), 0);
    assert_eq!(drawing.table_work, 0);
    assert_eq!(drawing.picture.drawn_levels(), 3);
    assert_eq!(second.model().unwrap().network().spec().ramp_slope(), 5);
}

#[test]
fn network_plan_never_exceeds_budget() {
    for d in [1, 2] {
        for n in [2, 3, 16] {
            for point_cost in [1, 50, 1_000, 100_000, 10_000_000] {
                for ideal_levels in [false, true] {
                    let depth = if d == 1 { 10 } else { 5 };
                    let capabilities = Capabilities {
                        d,
                        n,
                        depth,
                        unit_cost: 40,
                        closed_form_means: false,
                        grid_means: false,
                        tabulated: vec![false; depth as usize],
                    };
                    let cost = NetworkCost {
                        point_cost,
                        line_cost: if d == 1 { 0 } else { 4 * point_cost },
                        ideal_levels,
                    };
                    for budget in [0, 10_000, PICTURE_BUDGET] {
                        let (plan, network) = plan_network_within(&capabilities, &cost, budget);
                        let case = format!("d={d} n={n} cost={point_cost} budget={budget}");
                        assert!(plan.work() + network.work <= budget, "{case}");
                        if !ideal_levels {
                            for level in &plan.levels {
                                assert_eq!(level.source, Source::Omitted, "{case}");
                                assert!(!level.reduced, "{case}");
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Compares every field of two traces bit for bit.
fn assert_same_trace(grid: &Trace, single: &Trace, case: &str) {
    assert_eq!(grid.constant.to_bits(), single.constant.to_bits(), "{case}");
    assert_eq!(
        grid.max_abs_activation.to_bits(),
        single.max_abs_activation.to_bits(),
        "{case}: max |activation|"
    );
    assert_eq!(grid.all_finite, single.all_finite, "{case}");
    assert_eq!(grid.levels.len(), single.levels.len(), "{case}");
    for (level, (a, b)) in grid.levels.iter().zip(&single.levels).enumerate() {
        let case = format!("{case} level {}", level + 1);
        for axis in 0..2 {
            assert_eq!(a.digits[axis].to_bits(), b.digits[axis].to_bits(), "{case}");
            assert_eq!(
                a.indices[axis].to_bits(),
                b.indices[axis].to_bits(),
                "{case}"
            );
        }
        assert_eq!(a.flat_index.to_bits(), b.flat_index.to_bits(), "{case}");
        assert_eq!(a.code.to_bits(), b.code.to_bits(), "{case}");
        assert_eq!(a.fractional, b.fractional, "{case}");
        assert_eq!(a.decoder_hit, b.decoder_hit, "{case}");
        assert_eq!(a.readout.to_bits(), b.readout.to_bits(), "{case}");
    }
}

#[test]
fn grid_passes_equal_single_passes() {
    for (d, n, depth, eta) in [
        (2, 3, 4, 0.3),
        (2, 16, 2, 1e-4),
        (2, 2, 6, 0.5),
        (1, 4, 5, 0.2),
    ] {
        let state = State {
            d,
            n,
            depth,
            target: Family::Cone,
            mode: Mode::Network,
            eta,
            ..State::default()
        };
        let analysis = Analysis::new(&state).unwrap();
        let (mut network, _, _) = start(&state, &analysis);
        while network.model().is_none() {
            network.refine(1_000_000);
        }
        let model = network.model().unwrap();
        // Points on grid lines, inside strips, outside [0, 1] and not
        // finite, among regular ones.
        let mut xs: Vec<f64> = (0..23).map(|k| k as f64 / 22.0).collect();
        xs.extend([-0.3, 1.2, f64::NAN, f64::INFINITY, 1.0 / 3.0 - 1e-3]);
        let ys: Vec<f64> = if d == 1 {
            vec![0.0]
        } else {
            xs.iter().rev().copied().collect()
        };
        let mut visited = 0;
        model.forward_grid(&xs, &ys, |i, j, trace| {
            let single = model.forward([xs[i], ys[j]]);
            let case = format!("{d}D n={n} eta={eta} at ({}, {})", xs[i], ys[j]);
            assert_same_trace(trace, &single, &case);
            visited += 1;
        });
        assert_eq!(visited, xs.len() * ys.len());
    }
}
