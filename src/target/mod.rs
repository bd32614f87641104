//! Target functions f on [0,1]^d and what the engine knows about each.
//!
//! Every family implements `Target`. Besides point values, a family may
//! supply closed forms (exact cell means, exact deviation integrals), the
//! points where it is not smooth (so that quadrature splits there), and a
//! rigorous majorant of its L^p modulus of continuity, which is what makes a
//! "certified" statement possible.

mod cone;
mod cusp;
mod custom;
mod jump;
mod kink;
mod linear_form;
mod sine;
mod weierstrass;

use std::fmt;

use crate::expr::ParseError;
use crate::grid::{Grid, Point};
use crate::state::{Family, State};

pub use cone::Cone;
pub use cusp::Cusp;
pub use custom::Custom;
pub use jump::Jump;
pub use kink::Kink;
pub use sine::Sine;
pub use weierstrass::{Weierstrass, WEIERSTRASS_BASE, WEIERSTRASS_TERMS};

/// The point at which the cusp and the cone are centred, (0.37, 0.42); in
/// one dimension only 0.37 is used. It lies on no grid line of bases 2..16
/// at the first levels, so the singular cell is a generic one.
pub const POINT_CENTRE: Point = [0.37, 0.42];

/// Unit normal (0.6, 0.8) of the line 0.6x + 0.8y = 0.5 across which the 2D
/// jump steps and to which the 2D kink measures distance.
pub const LINE_NORMAL: Point = [0.6, 0.8];
/// Offset of that line.
pub const LINE_OFFSET: f64 = 0.5;
/// Position 1/3 of the 1D jump and kink.
pub const BREAK_1D: f64 = 1.0 / 3.0;

/// How the engine estimates integrals of this target once its cells are
/// small enough to tabulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampling {
    /// Adaptive quadrature, cell by cell: accurate for piecewise-smooth f.
    Quadrature,
    /// Randomised quasi-Monte-Carlo with a standard error: for targets too
    /// rough for quadrature at any affordable cost.
    MonteCarlo,
}

/// A target function on [0,1]^d (d = 1 or 2).
///
/// Points are `[x, y]`; in one dimension y is ignored. Implementations must
/// accept any finite point in [0,1]^d; the engine never evaluates outside.
/// Targets are shared between threads by the native tool, hence the
/// `Send + Sync` bound.
pub trait Target: Send + Sync {
    /// Dimension d.
    fn dim(&self) -> usize;

    /// f at one point.
    fn eval(&self, point: Point) -> f64;

    /// f at many points: `out[i] = f(points[i])`.
    fn eval_many(&self, points: &[Point], out: &mut [f64]) {
        for (point, value) in points.iter().zip(out.iter_mut()) {
            *value = self.eval(*point);
        }
    }

    /// f on the tensor grid `xs × ys`, row-major with x fastest
    /// (`out[j·xs.len() + i] = f(xs[i], ys[j])`); in 1D `ys` is ignored and
    /// `out[i] = f(xs[i])`. Separable targets override this.
    fn eval_grid(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        if self.dim() == 1 {
            let points: Vec<Point> = xs.iter().map(|&x| [x, 0.0]).collect();
            self.eval_many(&points, out);
            return;
        }
        let mut row = Vec::with_capacity(xs.len());
        for (j, &y) in ys.iter().enumerate() {
            row.clear();
            row.extend(xs.iter().map(|&x| [x, y]));
            self.eval_many(&row, &mut out[j * xs.len()..(j + 1) * xs.len()]);
        }
    }

    /// Exact mean of f over the box `[lo, hi]`, where a well-conditioned
    /// closed form exists.
    fn box_mean(&self, lo: Point, hi: Point) -> Option<f64> {
        let _ = (lo, hi);
        None
    }

    /// Exact means of many boxes `[los[i], his[i]]` into `out[i]`; returns
    /// false, leaving `out` unspecified, when there is no closed form.
    fn box_mean_many(&self, los: &[Point], his: &[Point], out: &mut [f64]) -> bool {
        for ((lo, hi), value) in los.iter().zip(his).zip(out.iter_mut()) {
            match self.box_mean(*lo, *hi) {
                Some(mean) => *value = mean,
                None => return false,
            }
        }
        true
    }

    /// Exact means of every cell of `grid`, row-major with x fastest, where
    /// the target can produce them faster than cell by cell (separable
    /// targets).
    fn grid_means(&self, grid: &Grid) -> Option<Vec<f64>> {
        let _ = grid;
        None
    }

    /// Exact ∫ over the box `[lo, hi]` of |f − centre|^p, where known.
    fn box_deviation(&self, lo: Point, hi: Point, centre: f64, p: f64) -> Option<f64> {
        let _ = (lo, hi, centre, p);
        None
    }

    /// Exact ∫ over the box `[lo, hi]` of |f(x + h) − f(x)|^p, where known.
    /// The box must lie in Ω_h, so that x + h stays in [0,1]^d.
    fn shift_deviation(&self, lo: Point, hi: Point, h: Point, p: f64) -> Option<f64> {
        let _ = (lo, hi, h, p);
        None
    }

    /// Points where f or its derivative is not smooth; quadrature cuts the
    /// domain along their coordinates.
    fn seeds(&self) -> Vec<Point> {
        Vec::new()
    }

    /// Whether `seeds`, `row_breaks` and `column_breaks` list every place
    /// where f is not smooth. Typed expressions return false, and the
    /// engine then looks for jumps itself.
    fn reports_singularities(&self) -> bool {
        true
    }

    /// In 2D, the x positions on the horizontal line at height `y` where f
    /// or its derivative is not smooth (a kink or jump line crossing it).
    fn row_breaks(&self, y: f64) -> Vec<f64> {
        let _ = y;
        Vec::new()
    }

    /// In 2D, the y positions on the vertical line at `x` where f or its
    /// derivative is not smooth.
    fn column_breaks(&self, x: f64) -> Vec<f64> {
        let _ = x;
        Vec::new()
    }

    /// A rigorous upper bound of ω_p(f, t), when one is known.
    fn modulus_majorant(&self, t: f64, p: f64) -> Option<f64> {
        let _ = (t, p);
        None
    }

    /// Exponent r of the reference rate line N^{-rℓ}: how fast ω_p(f, t)
    /// is expected to fall, as t^r.
    fn rate_exponent(&self, p: f64) -> f64;

    /// Integration method for errors and moduli.
    fn sampling(&self) -> Sampling {
        Sampling::Quadrature
    }

    /// Cost of one evaluation, in units of a simple closed-form target.
    fn cost(&self) -> u64 {
        1
    }

    /// The formula, in plain text with Unicode symbols, for labels.
    fn formula(&self) -> String;
}

/// Why no target could be built from a state.
#[derive(Clone, Debug, PartialEq)]
pub enum TargetError {
    /// The custom expression does not parse.
    Expression(ParseError),
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetError::Expression(error) => write!(f, "invalid expression: {error}"),
        }
    }
}

impl std::error::Error for TargetError {}

/// Builds the target that `state` selects.
pub fn build_target(state: &State) -> Result<Box<dyn Target>, TargetError> {
    let d = state.d;
    let target: Box<dyn Target> = match state.target {
        Family::Weierstrass => Box::new(Weierstrass::new(d, state.alpha)),
        Family::Cusp => Box::new(Cusp::new(d, state.alpha)),
        Family::Jump => Box::new(Jump::new(d)),
        Family::Kink => Box::new(Kink::new(d)),
        Family::Sine => Box::new(Sine::new(d)),
        Family::Cone => Box::new(Cone::new(d)),
        Family::Custom => {
            Box::new(Custom::new(d, &state.expr, state.alpha).map_err(TargetError::Expression)?)
        }
    };
    Ok(target)
}

/// x where the line 0.6x + 0.8y = 0.5 meets height `y`.
pub(crate) fn line_at_height(y: f64) -> Vec<f64> {
    vec![(LINE_OFFSET - LINE_NORMAL[1] * y) / LINE_NORMAL[0]]
}

/// y where the line 0.6x + 0.8y = 0.5 meets abscissa `x`.
pub(crate) fn line_at_abscissa(x: f64) -> Vec<f64> {
    vec![(LINE_OFFSET - LINE_NORMAL[0] * x) / LINE_NORMAL[1]]
}

/// Mean over [a, b] of the piecewise-linear |x − c|, exact and free of
/// cancellation for tiny intervals.
pub(crate) fn mean_abs_linear(a: f64, b: f64, c: f64) -> f64 {
    if b <= c {
        return c - 0.5 * (a + b);
    }
    if a >= c {
        return 0.5 * (a + b) - c;
    }
    let left = c - a;
    let right = b - c;
    (left * left + right * right) / (2.0 * (b - a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_abs_linear_cases() {
        assert!((mean_abs_linear(0.0, 1.0, 0.5) - 0.25).abs() < 1e-16);
        assert!((mean_abs_linear(0.0, 0.25, 0.5) - 0.375).abs() < 1e-16);
        assert!((mean_abs_linear(0.75, 1.0, 0.5) - 0.375).abs() < 1e-16);
        assert!((mean_abs_linear(0.0, 1.0, 0.0) - 0.5).abs() < 1e-16);
    }

    #[test]
    fn every_family_builds_in_both_dimensions() {
        for d in [1, 2] {
            for family in Family::ALL {
                let state = State {
                    d,
                    target: family,
                    expr: "x".to_string(),
                    ..State::default()
                };
                let target = build_target(&state).unwrap();
                assert_eq!(target.dim(), d);
                let value = target.eval([0.3, 0.6]);
                assert!(value.is_finite(), "{family:?} in {d}D");
            }
        }
    }

    /// Checks `box_mean` against adaptive quadrature on a few boxes.
    fn check_box_means(target: &dyn Target) {
        use crate::quadrature::{integrate, Adaptive};
        let d = target.dim();
        let boxes: [(Point, Point); 4] = [
            ([0.0, 0.0], [1.0, 1.0]),
            ([0.1, 0.2], [0.45, 0.5]),
            ([0.3, 0.35], [0.34, 0.39]),
            ([0.333, 0.4], [0.3334, 0.4001]),
        ];
        for (lo, hi) in boxes {
            let Some(exact) = target.box_mean(lo, hi) else {
                continue;
            };
            let mut f = |points: &[Point], out: &mut [f64]| target.eval_many(points, out);
            let volume = if d == 1 {
                hi[0] - lo[0]
            } else {
                (hi[0] - lo[0]) * (hi[1] - lo[1])
            };
            let settings = Adaptive {
                tolerance: 1e-13 * volume,
                relative: 0.0,
                max_evaluations: 2_000_000,
            };
            let numeric = integrate(d, lo, hi, &target.seeds(), &mut f, settings).value / volume;
            // A 2D jump converges slowly under adaptive quadrature (boxes
            // along the line shrink one level at a time), so it gets a looser
            // tolerance than the continuous families.
            let tolerance = if d == 2 && target.formula().starts_with("1[") {
                1e-6
            } else {
                1e-9
            };
            assert!(
                (exact - numeric).abs() < tolerance,
                "{} on {lo:?}..{hi:?}: exact {exact}, quadrature {numeric}",
                target.formula()
            );
        }
    }

    #[test]
    fn closed_form_means_match_quadrature() {
        for d in [1, 2] {
            for family in Family::ALL {
                let state = State {
                    d,
                    target: family,
                    alpha: 0.6,
                    ..State::default()
                };
                let target = build_target(&state).unwrap();
                // The lacunary sum oscillates at frequency 2^20·π, beyond
                // this test's quadrature budget; its own tests check it.
                if target.sampling() == Sampling::MonteCarlo {
                    continue;
                }
                check_box_means(target.as_ref());
            }
        }
    }

    #[test]
    fn grid_means_match_box_means() {
        for d in [1, 2] {
            for family in Family::ALL {
                let state = State {
                    d,
                    target: family,
                    ..State::default()
                };
                let target = build_target(&state).unwrap();
                let grid = Grid::new(d, 3, 2).unwrap();
                let Some(means) = target.grid_means(&grid) else {
                    continue;
                };
                assert_eq!(means.len() as u128, grid.cell_count());
                for (index, mean) in means.iter().enumerate() {
                    let (lo, hi) = grid.cell_box(grid.cell_at(index));
                    let expected = target.box_mean(lo, hi).unwrap();
                    assert!(
                        (mean - expected).abs() < 1e-14,
                        "{family:?} {d}D cell {index}"
                    );
                }
            }
        }
    }

    #[test]
    fn majorants_dominate_difference_quotients() {
        // Pointwise |f(x+h) − f(x)| ≤ majorant(|h|) holds for every built-in
        // family except the jump (whose majorant is an L^p statement).
        for d in [1, 2] {
            for family in [
                Family::Weierstrass,
                Family::Cusp,
                Family::Kink,
                Family::Sine,
                Family::Cone,
            ] {
                let state = State {
                    d,
                    target: family,
                    alpha: 0.4,
                    ..State::default()
                };
                let target = build_target(&state).unwrap();
                for i in 0..200 {
                    let x = [
                        f64::from(i) / 200.0 * 0.9,
                        0.45 + 0.2 * (f64::from(i) * 0.37).sin(),
                    ];
                    for t in [1e-1, 1e-3, 1e-6] {
                        let h = [t * 0.6, if d == 2 { t * 0.8 } else { 0.0 }];
                        let h = if d == 1 { [t, 0.0] } else { h };
                        let moved = [x[0] + h[0], x[1] + h[1]];
                        let difference = (target.eval(moved) - target.eval(x)).abs();
                        let bound = target.modulus_majorant(t, 2.0).unwrap();
                        assert!(
                            difference <= bound * (1.0 + 1e-12) + 1e-15,
                            "{family:?} {d}D at {x:?}, t={t}"
                        );
                    }
                }
            }
        }
    }
}
