//! ∫ over a cell of |f − c|^p where f − c changes sign inside.
//!
//! With c the cell mean, f − c vanishes along a curve through almost every
//! cell, and |f − c|^p is not smooth there (a kink for p = 1). A tensor
//! Gauss rule then loses about 1 % on every cell, always in the same
//! direction. This module integrates such cells as iterated integrals
//! instead: the outer integral in y and, for each outer node, the inner
//! integral in x are cut at the sign changes of f − c (found by sampling and
//! the Illinois variant of regula falsi) and at known non-smooth points.
//! Next to a cut the integrand behaves like |x − r|^q, so each piece is
//! mapped by x = r + (w − r)s², which turns it into the smoother s^{2q+1}.
//! The outer integrand has the same kind of singularity, |y − y*|^{p+1},
//! where the zero curve meets a vertical edge, and is cut there too.
//!
//! Two modes: a fixed 5-point Gauss rule per piece (with the 4-point rule
//! beside it as an error estimate when asked), and adaptive Gauss–Kronrod
//! per piece in the graded coordinate, for cells where f has non-smooth
//! points that no cut accounts for.

use crate::deviation::abs_pow;
use crate::grid::Point;
use crate::quadrature::{integrate, Adaptive, Quadrature};
use crate::sampler::Sampler;

/// Gauss–Legendre nodes and weights on [0, 1]: 5 points.
const NODES_5: [f64; 5] = [
    0.046_910_077_030_668_004,
    0.230_765_344_947_158_45,
    0.5,
    0.769_234_655_052_841_6,
    0.953_089_922_969_332,
];
const WEIGHTS_5: [f64; 5] = [
    0.118_463_442_528_094_54,
    0.239_314_335_249_683_24,
    0.284_444_444_444_444_43,
    0.239_314_335_249_683_24,
    0.118_463_442_528_094_54,
];

/// Gauss–Legendre nodes and weights on [0, 1]: 4 points, for the error
/// estimate |G5 − G4|.
const NODES_4: [f64; 4] = [
    0.069_431_844_202_973_71,
    0.330_009_478_207_571_9,
    0.669_990_521_792_428_1,
    0.930_568_155_797_026_3,
];
const WEIGHTS_4: [f64; 4] = [
    0.173_927_422_568_726_93,
    0.326_072_577_431_273_07,
    0.326_072_577_431_273_07,
    0.173_927_422_568_726_93,
];

/// Samples per interval used to look for sign changes.
const SAMPLES: usize = 3;

/// Illinois iterations per root at most.
const ROOT_ITERATIONS: usize = 12;

/// Rule applied to each piece.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// The 5-point Gauss rule per piece; where an estimate is asked, also
    /// the 4-point rule, and their difference is the error estimate.
    Fixed {
        /// Whether to estimate the error of the outer integral over y (2D).
        estimate_outer: bool,
        /// Whether to estimate the error of each integral along x.
        estimate_inner: bool,
    },
    /// Adaptive Gauss–Kronrod per piece, to an absolute tolerance on the
    /// whole cell, with a total evaluation budget.
    Adaptive(Adaptive),
}

/// ∫ over the box `[lo, hi]` of |f − centre|^p (the interval [lo[0], hi[0]]
/// in 1D). The box is cut at the sign changes of f − centre, at the
/// target's row and column breaks, and at the given `seeds`.
pub fn crossing_deviation(
    sampler: &Sampler,
    lo: Point,
    hi: Point,
    centre: f64,
    p: f64,
    seeds: &[Point],
    mode: Mode,
) -> Quadrature {
    let before = sampler.evaluations();
    let mut result = if sampler.dim() == 1 {
        let seed_xs: Vec<f64> = seeds.iter().map(|s| s[0]).collect();
        row_deviation(sampler, lo[0], hi[0], 0.0, centre, p, &seed_xs, mode)
    } else {
        cell_deviation(sampler, lo, hi, centre, p, seeds, mode)
    };
    result.evaluations = sampler.evaluations() - before;
    result
}

/// Integrates a 2D cell: the outer integral over y of the row integrals.
fn cell_deviation(
    sampler: &Sampler,
    lo: Point,
    hi: Point,
    centre: f64,
    p: f64,
    seeds: &[Point],
    mode: Mode,
) -> Quadrature {
    let target = sampler.target();

    // Outer cuts: where f − c vanishes on a vertical edge, where the
    // target's breaks cross one, and at seeds.
    let mut cuts: Vec<f64> = seeds.iter().map(|s| s[1]).collect();
    for x in [lo[0], hi[0]] {
        let mut edge_breaks = target.column_breaks(x);
        edge_breaks.retain(|&y| y > lo[1] && y < hi[1]);
        let mut edge = |ys: &[f64], out: &mut [f64]| {
            eval_along(sampler, ys, |y| [x, y], out);
            for value in out.iter_mut() {
                *value -= centre;
            }
        };
        cuts.extend(sign_changes_between(&mut edge, lo[1], hi[1], &edge_breaks));
        cuts.extend(edge_breaks);
    }
    let row_seeds: Vec<f64> = seeds.iter().map(|s| s[0]).collect();

    let (outer_mode, inner_mode) = match mode {
        Mode::Fixed {
            estimate_outer,
            estimate_inner,
        } => (
            Mode::Fixed {
                estimate_outer: false,
                estimate_inner: estimate_outer,
            },
            Mode::Fixed {
                estimate_outer: false,
                estimate_inner,
            },
        ),
        Mode::Adaptive(settings) => {
            let height = hi[1] - lo[1];
            let inner = Adaptive {
                tolerance: 0.25 * settings.tolerance / height.max(f64::MIN_POSITIVE),
                relative: settings.relative,
                max_evaluations: (settings.max_evaluations / 64).max(200),
            };
            let outer = Adaptive {
                tolerance: 0.5 * settings.tolerance,
                relative: settings.relative,
                max_evaluations: 64 * 15,
            };
            (Mode::Adaptive(outer), Mode::Adaptive(inner))
        }
    };

    let mut inner_error = 0.0;
    let mut rows_evaluated = 0usize;
    let mut rows = |ys: &[f64], out: &mut [f64]| {
        for (y, value) in ys.iter().zip(out.iter_mut()) {
            let row = row_deviation(sampler, lo[0], hi[0], *y, centre, p, &row_seeds, inner_mode);
            *value = row.value;
            inner_error += row.error;
            rows_evaluated += 1;
        }
    };
    let mut outer = graded_integral(&mut rows, lo[1], hi[1], cuts, outer_mode);
    // Each row's error enters with its outer weight; the mean row error
    // times the cell height bounds their sum.
    outer.error += inner_error * (hi[1] - lo[1]) / rows_evaluated.max(1) as f64;
    outer
}

/// ∫ from `x0` to `x1` of |f(x, y) − centre|^p at fixed y (y ignored in 1D).
#[allow(clippy::too_many_arguments)]
fn row_deviation(
    sampler: &Sampler,
    x0: f64,
    x1: f64,
    y: f64,
    centre: f64,
    p: f64,
    seed_xs: &[f64],
    mode: Mode,
) -> Quadrature {
    let target = sampler.target();
    let mut row = |xs: &[f64], out: &mut [f64]| {
        eval_along(sampler, xs, |x| [x, y], out);
        for value in out.iter_mut() {
            *value -= centre;
        }
    };

    let mut breaks: Vec<f64> = if sampler.dim() == 2 {
        target.row_breaks(y)
    } else {
        Vec::new()
    };
    breaks.extend_from_slice(seed_xs);
    breaks.retain(|&x| x > x0 && x < x1);

    let mut cuts = sign_changes_between(&mut row, x0, x1, &breaks);
    cuts.extend(breaks);

    let mut powered = |xs: &[f64], out: &mut [f64]| {
        row(xs, out);
        for value in out.iter_mut() {
            *value = abs_pow(*value, p);
        }
    };
    graded_integral(&mut powered, x0, x1, cuts, mode)
}

/// Points in one batch of `eval_along`.
const BATCH: usize = 16;

/// Evaluates f at `point(t)` for each t in `ts`, in stack-allocated batches
/// (this runs for every row of every cell, so heap buffers would dominate).
fn eval_along<P>(sampler: &Sampler, ts: &[f64], point: P, out: &mut [f64])
where
    P: Fn(f64) -> Point,
{
    let mut points = [[0.0; 2]; BATCH];
    for (ts, out) in ts.chunks(BATCH).zip(out.chunks_mut(BATCH)) {
        for (slot, &t) in points.iter_mut().zip(ts) {
            *slot = point(t);
        }
        sampler.eval_many(&points[..ts.len()], out);
    }
}

/// Sign changes of `g` on [a, b], searched separately between the sorted
/// `breaks`, because a kink or jump of f can hide a sign change from the
/// samples.
fn sign_changes_between<G>(g: &mut G, a: f64, b: f64, breaks: &[f64]) -> Vec<f64>
where
    G: FnMut(&[f64], &mut [f64]),
{
    let mut bounds = vec![a];
    bounds.extend(breaks.iter().copied().filter(|&x| x > a && x < b));
    bounds.push(b);
    bounds.sort_by(f64::total_cmp);
    let mut roots = Vec::new();
    for window in bounds.windows(2) {
        roots.extend(sign_changes(g, window[0], window[1]));
    }
    roots
}

/// Points in (a, b) where `g` changes sign: samples at `SAMPLES` evenly
/// spaced points, then regula falsi (Illinois) in each bracket. A sample
/// that is exactly zero counts as a sign change at that point.
fn sign_changes<G>(g: &mut G, a: f64, b: f64) -> Vec<f64>
where
    G: FnMut(&[f64], &mut [f64]),
{
    if b <= a {
        return Vec::new();
    }
    let mut xs = [0.0; SAMPLES];
    for (i, x) in xs.iter_mut().enumerate() {
        *x = a + (b - a) * i as f64 / (SAMPLES - 1) as f64;
    }
    let mut values = [0.0; SAMPLES];
    g(&xs, &mut values);

    let mut roots = Vec::new();
    for i in 0..SAMPLES - 1 {
        let (left, right) = (values[i], values[i + 1]);
        if left == 0.0 && i > 0 {
            roots.push(xs[i]);
        }
        if left * right < 0.0 {
            roots.push(illinois(g, xs[i], xs[i + 1], left, right));
        }
    }
    roots
}

/// Finds a root of `g` in the bracket [a, b] with g(a)·g(b) < 0, by the
/// Illinois variant of regula falsi. It halves the retained end's value
/// whenever the same end is kept twice, which keeps convergence
/// superlinear.
fn illinois<G>(g: &mut G, mut a: f64, mut b: f64, mut fa: f64, mut fb: f64) -> f64
where
    G: FnMut(&[f64], &mut [f64]),
{
    let tolerance = 1e-9 * (b - a).abs();
    let mut value = [0.0];
    for _ in 0..ROOT_ITERATIONS {
        let c = (a * fb - b * fa) / (fb - fa);
        if !c.is_finite() {
            return 0.5 * (a + b);
        }
        if c <= a.min(b) || c >= a.max(b) {
            // The estimate rounded onto an end, which is then within
            // rounding of the root.
            return if fa.abs() < fb.abs() { a } else { b };
        }
        g(&[c], &mut value);
        let fc = value[0];
        if fc == 0.0 {
            return c;
        }
        if fc * fb > 0.0 {
            fa *= 0.5;
        } else {
            a = b;
            fa = fb;
        }
        b = c;
        fb = fc;
        if (b - a).abs() <= tolerance {
            break;
        }
    }
    b
}

/// A piece of an interval, with a flag for each end that is a cut (where
/// the integrand may behave like |x − r|^q).
#[derive(Clone, Copy, Debug)]
struct Piece {
    start: f64,
    end: f64,
    graded_start: bool,
    graded_end: bool,
}

/// Splits [a, b] into pieces between the interior `cuts`. A piece with a
/// cut at both ends is halved, so that each piece has at most one graded
/// end.
fn pieces(a: f64, b: f64, mut cuts: Vec<f64>) -> Vec<Piece> {
    cuts.retain(|&c| c > a && c < b && c.is_finite());
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();

    let mut result = Vec::with_capacity(2 * cuts.len() + 1);
    let mut start = a;
    let mut graded_start = false;
    let ends = cuts
        .iter()
        .map(|&c| (c, true))
        .chain(std::iter::once((b, false)));
    for (end, graded_end) in ends {
        if graded_start && graded_end {
            let middle = 0.5 * (start + end);
            result.push(Piece {
                start,
                end: middle,
                graded_start: true,
                graded_end: false,
            });
            result.push(Piece {
                start: middle,
                end,
                graded_start: false,
                graded_end: true,
            });
        } else {
            result.push(Piece {
                start,
                end,
                graded_start,
                graded_end,
            });
        }
        start = end;
        graded_start = graded_end;
    }
    result
}

/// x for the graded coordinate s ∈ [0, 1] of a piece, and dx/ds.
fn graded_map(piece: &Piece, s: f64) -> (f64, f64) {
    let width = piece.end - piece.start;
    if piece.graded_start {
        (piece.start + width * s * s, 2.0 * width * s)
    } else if piece.graded_end {
        (piece.end - width * s * s, 2.0 * width * s)
    } else {
        (piece.start + width * s, width)
    }
}

/// ∫ over [a, b] of `integrand`, cut at `cuts` and graded towards them.
/// A fixed `mode` reads only `estimate_inner`: callers pass the flag that
/// belongs to this integral there.
fn graded_integral<F>(integrand: &mut F, a: f64, b: f64, cuts: Vec<f64>, mode: Mode) -> Quadrature
where
    F: FnMut(&[f64], &mut [f64]),
{
    let all = pieces(a, b, cuts);
    let mut total = Quadrature {
        converged: true,
        ..Quadrature::default()
    };
    let length = (b - a).max(f64::MIN_POSITIVE);

    for piece in &all {
        let part = match mode {
            Mode::Fixed { estimate_inner, .. } => fixed_piece(integrand, piece, estimate_inner),
            Mode::Adaptive(settings) => {
                let share = (piece.end - piece.start) / length;
                let settings = Adaptive {
                    tolerance: settings.tolerance * share,
                    relative: settings.relative,
                    max_evaluations: ((settings.max_evaluations as f64 * share) as u64).max(15),
                };
                adaptive_piece(integrand, piece, settings)
            }
        };
        total.value += part.value;
        total.error += part.error;
        total.converged &= part.converged;
    }
    total
}

/// Applies the 5-point Gauss rule to one piece and, with `estimate`, the
/// 4-point rule, whose difference from it is the error estimate. (The embedded
/// 3/7-point Kronrod pair needs fewer nodes but its estimate is so
/// pessimistic that more cells go to adaptive refinement.)
fn fixed_piece<F>(integrand: &mut F, piece: &Piece, estimate: bool) -> Quadrature
where
    F: FnMut(&[f64], &mut [f64]),
{
    let five = gauss_on_piece(integrand, piece, &NODES_5, &WEIGHTS_5);
    let error = if estimate {
        (five - gauss_on_piece(integrand, piece, &NODES_4, &WEIGHTS_4)).abs()
    } else {
        0.0
    };
    Quadrature {
        value: five,
        error,
        evaluations: 0,
        converged: true,
    }
}

/// Applies a rule of at most `BATCH` nodes to one piece in its graded
/// coordinate and returns the integral.
fn gauss_on_piece<F>(integrand: &mut F, piece: &Piece, nodes: &[f64], weights: &[f64]) -> f64
where
    F: FnMut(&[f64], &mut [f64]),
{
    let count = nodes.len().min(BATCH);
    let mut xs = [0.0; BATCH];
    let mut jacobians = [0.0; BATCH];
    for ((x, jacobian), &s) in xs.iter_mut().zip(jacobians.iter_mut()).zip(nodes) {
        (*x, *jacobian) = graded_map(piece, s);
    }
    let mut values = [0.0; BATCH];
    integrand(&xs[..count], &mut values[..count]);
    values[..count]
        .iter()
        .zip(weights)
        .zip(&jacobians[..count])
        .map(|((value, weight), jacobian)| value * weight * jacobian)
        .sum()
}

/// Adaptive Gauss–Kronrod on one piece, in its graded coordinate.
fn adaptive_piece<F>(integrand: &mut F, piece: &Piece, settings: Adaptive) -> Quadrature
where
    F: FnMut(&[f64], &mut [f64]),
{
    let mut xs = Vec::new();
    let mut jacobians = Vec::new();
    let mut mapped = |points: &[Point], out: &mut [f64]| {
        xs.clear();
        jacobians.clear();
        for point in points {
            let (x, jacobian) = graded_map(piece, point[0]);
            xs.push(x);
            jacobians.push(jacobian);
        }
        integrand(&xs, out);
        for (value, jacobian) in out.iter_mut().zip(&jacobians) {
            *value *= jacobian;
        }
    };
    integrate(1, [0.0, 0.0], [1.0, 0.0], &[], &mut mapped, settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_halve_doubly_graded_spans() {
        let all = pieces(0.0, 1.0, vec![0.25, 0.75]);
        let ends: Vec<(f64, f64)> = all.iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(
            ends,
            vec![(0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0)]
        );
        assert!(all.iter().all(|p| !(p.graded_start && p.graded_end)));
        assert!(
            all[0].graded_end && all[1].graded_start && all[2].graded_end && all[3].graded_start
        );
    }

    #[test]
    fn graded_rule_integrates_root_power() {
        // ∫_0^1 |x − 0.3|^1.5 dx with the kink at 0.3 as a cut.
        let mut f = |xs: &[f64], out: &mut [f64]| {
            for (x, v) in xs.iter().zip(out.iter_mut()) {
                *v = (x - 0.3_f64).abs().powf(1.5);
            }
        };
        let exact = (0.3_f64.powf(2.5) + 0.7_f64.powf(2.5)) / 2.5;
        let mode = Mode::Fixed {
            estimate_outer: false,
            estimate_inner: false,
        };
        let fixed = graded_integral(&mut f, 0.0, 1.0, vec![0.3], mode);
        assert!((fixed.value - exact).abs() < 1e-9 * exact);
        let checked = Mode::Fixed {
            estimate_outer: false,
            estimate_inner: true,
        };
        let estimated = graded_integral(&mut f, 0.0, 1.0, vec![0.3], checked);
        assert!((estimated.value - exact).abs() < 1e-9 * exact);
        assert!(estimated.error < 1e-6 * exact);
    }

    #[test]
    fn roots_found_to_rounding() {
        let mut g = |xs: &[f64], out: &mut [f64]| {
            for (x, v) in xs.iter().zip(out.iter_mut()) {
                *v = (3.0 * x).sin() - 0.5;
            }
        };
        // sin(3x) = 1/2 at x = π/18 and x = 5π/18 in [0, 1].
        let roots = sign_changes(&mut g, 0.0, 1.0);
        assert_eq!(roots.len(), 2);
        let pi = std::f64::consts::PI;
        assert!((roots[0] - pi / 18.0).abs() < 1e-10);
        assert!((roots[1] - 5.0 * pi / 18.0).abs() < 1e-10);
    }
}
