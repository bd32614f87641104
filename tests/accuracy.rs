//! Final errors against a slow, independent reference: per cell, the mean
//! and ∫|f − mean|^p by plain adaptive Gauss–Kronrod with a tight tolerance
//! and a large budget, without the engine's sign-change splitting or closed
//! forms. The engine promises 0.1 % on levels with at most 10^5 cells; the
//! tests ask for 1e-4 to leave a margin for the reference's own error.

use layerwise::analysis::{Analysis, Method};
use layerwise::grid::{Grid, Point};
use layerwise::quadrature::{integrate, Adaptive};
use layerwise::sampler::Sampler;
use layerwise::state::{Family, State};
use layerwise::target::build_target;

/// ‖f − E_level f‖_p by the slow reference.
fn reference_error(state: &State, level: u32) -> f64 {
    let sampler = Sampler::new(build_target(state).unwrap());
    let d = state.d;
    let grid = Grid::new(d, state.n, level).unwrap();
    let seeds: Vec<Point> = sampler.seeds().to_vec();
    let mut total = 0.0;
    for index in 0..grid.cell_count() as usize {
        let (lo, hi) = grid.cell_box(grid.cell_at(index));
        let volume = if d == 1 {
            hi[0] - lo[0]
        } else {
            (hi[0] - lo[0]) * (hi[1] - lo[1])
        };
        let tight = Adaptive {
            tolerance: 1e-14 * volume,
            relative: 0.0,
            max_evaluations: 400_000,
        };
        let mut f = |points: &[Point], out: &mut [f64]| sampler.eval_many(points, out);
        let mean = integrate(d, lo, hi, &seeds, &mut f, tight).value / volume;

        let mut deviation = |points: &[Point], out: &mut [f64]| {
            sampler.eval_many(points, out);
            for value in out.iter_mut() {
                *value = (*value - mean).abs().powf(state.p);
            }
        };
        let settings = Adaptive {
            tolerance: 0.0,
            relative: 1e-8,
            max_evaluations: 400_000,
        };
        total += integrate(d, lo, hi, &seeds, &mut deviation, settings).value;
    }
    total.powf(1.0 / state.p)
}

fn check(state: State) {
    let mut analysis = Analysis::new(&state).unwrap();
    analysis.finish();
    for row in analysis.rows() {
        assert_eq!(row.error_method, Method::Quadrature);
        let reference = reference_error(&state, row.level);
        let difference = (row.error - reference).abs();
        let relative = difference / reference.abs().max(f64::MIN_POSITIVE);
        assert!(
            difference <= 1e-4 * reference + 1e-12,
            "{:?} '{}' {}D n={} p={} level {}: engine {} reference {} (relative {relative:.2e})",
            state.target,
            state.expr,
            state.d,
            state.n,
            state.p,
            row.level,
            row.error,
            reference
        );
    }
}

fn case(d: usize, n: u32, depth: u32, target: Family, p: f64) -> State {
    State {
        d,
        n,
        depth,
        level: 1,
        target,
        p,
        alpha: 0.6,
        ..State::default()
    }
}

#[test]
fn families_in_one_dimension() {
    for family in [
        Family::Cusp,
        Family::Jump,
        Family::Kink,
        Family::Sine,
        Family::Cone,
    ] {
        for (n, p) in [(2, 1.0), (3, 1.5), (5, 2.0), (4, 3.3)] {
            check(case(1, n, 3, family, p));
        }
    }
}

#[test]
fn families_in_two_dimensions() {
    for family in [
        Family::Cusp,
        Family::Jump,
        Family::Kink,
        Family::Sine,
        Family::Cone,
    ] {
        for (n, p) in [(2, 1.0), (3, 1.5), (2, 2.0)] {
            check(case(2, n, 2, family, p));
        }
    }
}

#[test]
fn expressions_in_one_dimension() {
    for expr in [
        "exp(-3*x) * sin(9*x)",
        "abs(x - 0.6)^0.7",
        "x >= 0.45",
        "floor(4*x) + x^2",
    ] {
        for p in [1.0, 2.5] {
            check(State {
                expr: expr.to_string(),
                ..case(1, 3, 3, Family::Custom, p)
            });
        }
    }
}

#[test]
fn expressions_in_two_dimensions() {
    for expr in [
        "sin(3*x)*y + x^2",
        "abs(x - y)",
        "exp(-((x-0.3)^2 + (y-0.6)^2)*8)",
    ] {
        for p in [1.0, 2.0] {
            check(State {
                expr: expr.to_string(),
                ..case(2, 3, 2, Family::Custom, p)
            });
        }
    }
}

#[test]
fn kink_at_the_quadrature_limit() {
    // |x − 1/3| with N = 2 at level 16 (65,536 cells, the finest level
    // that still gets quadrature). Every cell away from 1/3 sees a ramp of
    // slope 1, whose deviation from its mean integrates to
    // 2·(h/2)^{p+1}/(p+1); the one cell containing 1/3 is integrated by
    // the slow reference.
    let p = 1.5;
    let state = State {
        depth: 16,
        ..case(1, 2, 16, Family::Kink, p)
    };
    let mut analysis = Analysis::new(&state).unwrap();
    analysis.finish();
    let row = analysis.rows()[15].clone();
    assert_eq!(row.error_method, Method::Quadrature);

    let h = 2f64.powi(-16);
    let ramp_cell = 2.0 * (h / 2.0).powf(p + 1.0) / (p + 1.0);
    let kink_index = (1.0 / 3.0 / h).floor();
    let lo = kink_index * h;
    let hi = lo + h;
    let sampler = Sampler::new(build_target(&state).unwrap());
    let mean = {
        let a = 1.0 / 3.0 - lo;
        let b = hi - 1.0 / 3.0;
        (a * a + b * b) / (2.0 * h)
    };
    let mut deviation = |points: &[Point], out: &mut [f64]| {
        sampler.eval_many(points, out);
        for value in out.iter_mut() {
            *value = (*value - mean).abs().powf(p);
        }
    };
    let settings = Adaptive {
        tolerance: 0.0,
        relative: 1e-10,
        max_evaluations: 1_000_000,
    };
    let kink_cell = integrate(
        1,
        [lo, 0.0],
        [hi, 0.0],
        &[[1.0 / 3.0, 0.0]],
        &mut deviation,
        settings,
    )
    .value;
    let exact = (65_535.0 * ramp_cell + kink_cell).powf(1.0 / p);
    let relative = ((row.error - exact) / exact).abs();
    assert!(
        relative < 1e-6,
        "engine {} exact {exact} (relative {relative:.2e})",
        row.error
    );
}
