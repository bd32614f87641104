//! The engine's numbers against closed forms and exact identities.

use layerwise::analysis::{Analysis, LevelRow, Method};
use layerwise::grid::Grid;
use layerwise::readout::{MeanRule, Readouts, TABULATE_MAX_CELLS};
use layerwise::sampler::Sampler;
use layerwise::state::{Family, State};
use layerwise::target::build_target;

fn state(d: usize, n: u32, depth: u32, target: Family, p: f64) -> State {
    State {
        d,
        n,
        depth,
        level: 1,
        target,
        p,
        ..State::default()
    }
}

fn custom(d: usize, n: u32, depth: u32, expr: &str, p: f64) -> State {
    State {
        expr: expr.to_string(),
        ..state(d, n, depth, Family::Custom, p)
    }
}

fn final_rows(state: &State) -> Vec<LevelRow> {
    let mut analysis = Analysis::new(state).unwrap();
    analysis.finish();
    analysis.rows()
}

fn relative(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

#[test]
fn identity_error_matches_closed_form() {
    // f(x) = x: on every cell f − E_ℓ f is a centred ramp of slope 1, so
    // ‖f − E_ℓ f‖_p = N^{-ℓ} / (2 (p+1)^{1/p}).
    for n in [2, 3, 5] {
        for p in [1.0, 1.5, 2.0, 3.7] {
            let rows = final_rows(&custom(1, n, 6, "x", p));
            for row in rows {
                let t = f64::from(n).powi(-(row.level as i32));
                let exact = t / (2.0 * (p + 1.0_f64).powf(1.0 / p));
                assert_eq!(row.error_method, Method::Quadrature);
                // The engine's quadrature aims at 1e-6 on the p-th power.
                assert!(
                    relative(row.error, exact) < 1e-6,
                    "n={n} p={p} level {}: {} vs {exact}",
                    row.level,
                    row.error
                );
            }
        }
    }
}

#[test]
fn identity_error_on_monte_carlo_levels() {
    // Levels above 10^5 cells use randomised quasi-Monte-Carlo; the closed
    // form must lie within five standard errors and within 0.1 %.
    let p = 2.0;
    let rows = final_rows(&custom(1, 4, 10, "x", p));
    let row = &rows[9];
    assert_eq!(row.error_method, Method::MonteCarlo);
    let exact = 4f64.powi(-10) / (2.0 * 3f64.sqrt());
    assert!((row.error - exact).abs() <= 5.0 * row.error_standard_error + 1e-15);
    assert!(relative(row.error, exact) < 1e-3);
}

#[test]
fn identity_modulus_matches_closed_form() {
    // ω_p(x, t) = t (1 − t)^{1/p} for t ≤ p/(p+1), attained at h = t.
    for n in [2, 3, 4] {
        for p in [1.0, 2.0, 5.0] {
            let rows = final_rows(&custom(1, n, 4, "x", p));
            for row in rows {
                let t = row.side;
                let exact = t * (1.0 - t).powf(1.0 / p);
                assert!(
                    relative(row.omega_sampled, exact) < 1e-9,
                    "n={n} p={p} t={t}: {} vs {exact}",
                    row.omega_sampled
                );
                assert!(relative(row.omega, exact) < 1e-9);
            }
        }
    }
}

#[test]
fn jump_modulus_grows_like_root_of_t() {
    // For 1[x ≥ 1/3] and t ≤ 1/3, the shifted indicators differ on an
    // interval of length |h|, so ω_p(f, t) = t^{1/p} exactly.
    for p in [1.0, 2.0, 4.0] {
        for n in [3, 4] {
            let rows = final_rows(&state(1, n, 5, Family::Jump, p));
            for row in &rows {
                let exact = row.side.powf(1.0 / p);
                assert!(
                    relative(row.omega, exact) < 1e-12,
                    "p={p} n={n} level {}",
                    row.level
                );
            }
            for pair in rows.windows(2) {
                let ratio = pair[1].omega / pair[0].omega;
                let expected = f64::from(n).powf(-1.0 / p);
                assert!(relative(ratio, expected) < 1e-12);
            }
        }
    }
}

#[test]
fn jump_error_on_sampled_levels() {
    // 1[x ≥ 1/3] with N = 16: 16^ℓ ≡ 1 (mod 3), so the jump sits 1/3 into
    // its cell of width w at every level, and only that cell has an error:
    // ‖f − Φ_ℓ‖_p^p = w·((1/3)(2/3)^p + (2/3)(1/3)^p). Levels past 10^5
    // cells are sampled, and samples almost never land in that cell; the
    // engine integrates it by quadrature instead.
    for p in [1.0, 2.0, 3.0] {
        let rows = final_rows(&state(1, 16, 10, Family::Jump, p));
        for row in rows {
            let w = row.side;
            let third: f64 = 1.0 / 3.0;
            let integral = w * (third * (2.0 * third).powf(p) + 2.0 * third * third.powf(p));
            let exact = integral.powf(1.0 / p);
            // 1/3 itself is rounded to a double, which moves the jump by
            // about 2e-17: a relative change of 1e-6 in a cell of 16^-9.
            assert!(
                relative(row.error, exact) < 1e-4,
                "p={p} level {}: {} vs {exact}",
                row.level,
                row.error
            );
        }
    }
}

#[test]
fn jump_expression_modulus_grows_like_root_of_t() {
    // The same jump typed as an expression, without closed forms: the
    // adaptive quadrature must find the strip.
    let p = 2.0;
    let rows = final_rows(&custom(1, 3, 4, "x >= 1/3", p));
    for row in rows {
        let exact = row.side.powf(1.0 / p);
        assert!(
            relative(row.omega, exact) < 1e-3,
            "level {}: {} vs {exact}",
            row.level,
            row.omega
        );
    }
}

#[test]
fn jump_line_expression_modulus_in_2d() {
    // 1[x ≥ 1/3] on the square: a shift h changes f on a strip of area
    // |h_x|·1, largest for h along x, so ω_2(f, t) = t^{1/2}. Scanning the
    // rows finds the line x = 1/3, which becomes a cut for quadrature.
    // Without the cut, the rules miss the strip and report ω = 0.
    let rows = final_rows(&custom(2, 3, 5, "x >= 1/3", 2.0));
    for row in rows {
        let exact = row.side.sqrt();
        assert!(
            relative(row.omega, exact) < 1e-6,
            "level {}: {} vs {exact}",
            row.level,
            row.omega
        );
    }
}

#[test]
fn kink_modulus_matches_closed_form() {
    // For |x − 1/3| and h ≤ 1/3, f(x + h) − f(x) is −h left of the kink's
    // strip, h right of it and linear across the strip [1/3 − h, 1/3], so
    // ‖Δ_h f‖_2^2 = h²(1 − 2h) + h³/3, increasing in h: ω_2(f, t) is its
    // root at h = t. The family uses closed forms; the typed expression
    // relies on the kink found by scanning, without which a single
    // Gauss–Kronrod rule misses the strip.
    let p = 2.0;
    for rows in [
        final_rows(&state(1, 3, 5, Family::Kink, p)),
        final_rows(&custom(1, 3, 5, "abs(x - 1/3)", p)),
    ] {
        for row in rows {
            let t = row.side;
            let exact = (t * t * (1.0 - 2.0 * t) + t * t * t / 3.0).sqrt();
            assert!(
                relative(row.omega, exact) < 1e-6,
                "level {}: {} vs {exact}",
                row.level,
                row.omega
            );
        }
    }
}

#[test]
fn sine_correction_vanishes_at_level_two() {
    // sin(2πx)/(2π) with N = 2: every level-2 cell mean equals its parent's
    // mean, so ψ_2 = 0 and the level-2 error equals the level-1 error.
    for d in [1, 2] {
        let state = state(d, 2, 3, Family::Sine, 2.0);
        let sampler = Sampler::new(build_target(&state).unwrap());
        let readouts = Readouts::new(
            &sampler,
            2,
            3,
            MeanRule::Accurate { scale: 1.0 },
            TABULATE_MAX_CELLS,
        );
        for i in 0..=400 {
            for j in 0..=(if d == 2 { 40 } else { 0 }) {
                let point = [f64::from(i) / 400.0, f64::from(j) / 40.0];
                let first = readouts.value(&sampler, 1, point);
                let second = readouts.value(&sampler, 2, point);
                assert!((first - second).abs() < 1e-15, "{d}D at {point:?}");
            }
        }
        let rows = final_rows(&state);
        assert!(relative(rows[1].error, rows[0].error) < 1e-9, "{d}D");
    }
}

#[test]
fn jump_on_grid_line_is_exact() {
    // 1[x ≥ 1/3] with N = 3 is constant on every cell from level 1 on.
    let family = final_rows(&state(1, 3, 5, Family::Jump, 1.5));
    let typed = final_rows(&custom(1, 3, 5, "x >= 1/3", 1.5));
    for (row, typed_row) in family.iter().zip(&typed) {
        assert_eq!(row.error, 0.0, "family, level {}", row.level);
        assert!(
            typed_row.error < 1e-12,
            "expression, level {}: {}",
            row.level,
            typed_row.error
        );
    }
}

#[test]
fn corrections_have_zero_parent_means() {
    let cases = [
        state(1, 3, 6, Family::Cusp, 2.0),
        state(1, 2, 8, Family::Weierstrass, 2.0),
        custom(1, 5, 4, "exp(x) * (x > 0.3)", 2.0),
        state(2, 3, 4, Family::Cone, 2.0),
        state(2, 2, 5, Family::Kink, 2.0),
        custom(2, 4, 3, "sin(5*x*y) + x^2", 2.0),
    ];
    for state in cases {
        let sampler = Sampler::new(build_target(&state).unwrap());
        let readouts = Readouts::new(
            &sampler,
            state.n,
            state.depth,
            MeanRule::Accurate { scale: 1.0 },
            TABULATE_MAX_CELLS,
        );
        for level in 1..=state.depth {
            let grid = Grid::new(state.d, state.n, level).unwrap();
            let parent = grid.parent().unwrap();
            let fine = readouts.table(level).unwrap();
            let coarse = readouts.table(level - 1).unwrap();
            let mut sums = vec![0.0; coarse.len()];
            let n = u64::from(state.n);
            for (index, mean) in fine.iter().enumerate() {
                let cell = grid.cell_at(index);
                let up = parent.flat_index([cell[0] / n, cell[1] / n]);
                sums[up] += mean - coarse[up];
            }
            for (index, sum) in sums.iter().enumerate() {
                assert!(
                    sum.abs() < 1e-12,
                    "{:?} level {level} parent {index}: {sum}",
                    state.target
                );
            }
        }
    }
}

#[test]
fn error_below_theorem_bound() {
    // ‖f − Φ_ℓ‖_p ≤ (2d+1)·ω_p(f, N^{-ℓ}), with the estimated modulus and
    // with the certified majorant, over families, α, N, p and levels.
    let families = [
        Family::Weierstrass,
        Family::Cusp,
        Family::Jump,
        Family::Kink,
        Family::Sine,
        Family::Cone,
    ];
    for d in [1, 2] {
        for family in families {
            for (n, p, alpha) in [(2, 1.0, 0.3), (3, 2.0, 0.7), (5, 3.5, 1.0)] {
                let depth = if d == 1 { 4 } else { 2 };
                let state = State {
                    alpha,
                    ..state(d, n, depth, family, p)
                };
                for row in final_rows(&state) {
                    let label =
                        format!("{family:?} {d}D n={n} p={p} α={alpha} level {}", row.level);
                    assert!(
                        row.error <= row.bound,
                        "{label}: {} > {}",
                        row.error,
                        row.bound
                    );
                    let certified = row.certified_bound.unwrap();
                    assert!(row.error <= certified, "{label}: certified {certified}");
                    assert!(
                        row.omega <= row.majorant.unwrap() * (1.0 + 1e-9),
                        "{label}: ω above majorant"
                    );
                }
            }
        }
    }
}

#[test]
fn error_bound_holds_for_expressions() {
    let cases = [
        custom(1, 2, 6, "sqrt(abs(x - 0.6))", 1.0),
        custom(1, 7, 3, "floor(5*x)/5", 2.0),
        custom(2, 3, 3, "abs(x - y)^0.4", 1.5),
        custom(2, 2, 4, "x*y >= 0.2", 2.0),
    ];
    for state in cases {
        for row in final_rows(&state) {
            assert!(row.error <= row.bound, "{} level {}", state.expr, row.level);
        }
    }
}

#[test]
fn certified_depth_matches_holder_formula() {
    // For a 1-Lipschitz target the majorant is t, so the certified depth is
    // the smallest L with (2d+1)·N^{-L} ≤ ε: L = ⌈log_N((2d+1)/ε)⌉.
    for (d, n, eps) in [(1, 2, 1e-3), (2, 3, 1e-2), (1, 16, 1e-8)] {
        let state = State {
            eps,
            ..state(d, n, 2, Family::Kink, 2.0)
        };
        let analysis = Analysis::new(&state).unwrap();
        let factor = (2 * d + 1) as f64;
        let expected = ((factor / eps).ln() / f64::from(n).ln()).ceil() as u32;
        assert_eq!(
            analysis.certified_depth(),
            Some(expected.max(1)),
            "d={d} n={n} ε={eps}"
        );
    }
    let custom_state = custom(1, 2, 2, "x", 2.0);
    assert_eq!(
        Analysis::new(&custom_state).unwrap().certified_depth(),
        None
    );
}
