//! ∫ over a rectangle of |f − c|^p where f − c changes sign inside.
//!
//! With c the cell mean, f − c vanishes along a curve through almost every
//! cell, and |f − c|^p is not smooth there (a kink for p = 1). A tensor
//! Gauss rule then loses about 1 % on every cell, always in the same
//! direction. This module integrates such cells as iterated integrals
//! instead: the outer integral in y and, for each outer node, the inner
//! integral in x are cut at the sign changes of f − c (found by sampling and
//! the Illinois variant of regula falsi) and at the target's known breaks.
//! Next to a sign change the integrand behaves like |x − r|^p, so the piece
//! is mapped by x = r + (w − r)s², which turns it into the smooth s^{2p+1}
//! before a 5-point Gauss rule is applied. The outer integrand has the same
//! kind of singularity, |y − y*|^{p+1}, where the zero curve meets a
//! vertical edge, and gets the same treatment.

use crate::grid::Point;
use crate::sampler::Sampler;

/// Gauss–Legendre nodes on [0, 1] (5 points).
const NODES: [f64; 5] = [
    0.046_910_077_030_668_004,
    0.230_765_344_947_158_45,
    0.5,
    0.769_234_655_052_841_6,
    0.953_089_922_969_332,
];

/// Gauss–Legendre weights on [0, 1] (5 points), summing to 1.
const WEIGHTS: [f64; 5] = [
    0.118_463_442_528_094_54,
    0.239_314_335_249_683_24,
    0.284_444_444_444_444_43,
    0.239_314_335_249_683_24,
    0.118_463_442_528_094_54,
];

/// Samples per interval used to look for sign changes.
const SAMPLES: usize = 5;

/// Illinois iterations per root at most.
const ROOT_ITERATIONS: usize = 12;

/// Which ends of a piece are singular (a zero of f − c, or a break).
#[derive(Clone, Copy)]
struct Piece {
    start: f64,
    end: f64,
    singular_start: bool,
    singular_end: bool,
}

/// ∫ over the rectangle `[lo, hi]` of |f − centre|^p, for a 2D target that
/// is smooth on the rectangle away from its reported row and column breaks.
pub fn crossing_deviation(sampler: &Sampler, lo: Point, hi: Point, centre: f64, p: f64) -> f64 {
    let target = sampler.target();

    // Outer cuts: where f − c vanishes on a vertical edge, and where the
    // target's breaks cross one.
    let mut cuts = Vec::new();
    for x in [lo[0], hi[0]] {
        let mut edge = |ys: &[f64], out: &mut [f64]| {
            let points: Vec<Point> = ys.iter().map(|&y| [x, y]).collect();
            sampler.eval_many(&points, out);
            for value in out.iter_mut() {
                *value -= centre;
            }
        };
        cuts.extend(sign_changes(&mut edge, lo[1], hi[1]));
        cuts.extend(
            target
                .column_breaks(x)
                .into_iter()
                .filter(|&y| y > lo[1] && y < hi[1]),
        );
    }

    let mut total = 0.0;
    for piece in pieces(lo[1], hi[1], cuts) {
        total += graded_gauss(piece, |y| row_deviation(sampler, lo[0], hi[0], y, centre, p));
    }
    total
}

/// ∫ from `x0` to `x1` of |f(x, y) − centre|^p at fixed y.
fn row_deviation(sampler: &Sampler, x0: f64, x1: f64, y: f64, centre: f64, p: f64) -> f64 {
    let target = sampler.target();
    let mut row = |xs: &[f64], out: &mut [f64]| {
        let points: Vec<Point> = xs.iter().map(|&x| [x, y]).collect();
        sampler.eval_many(&points, out);
        for value in out.iter_mut() {
            *value -= centre;
        }
    };

    let mut breaks: Vec<f64> = target
        .row_breaks(y)
        .into_iter()
        .filter(|&x| x > x0 && x < x1)
        .collect();
    breaks.sort_by(f64::total_cmp);

    // Roots are searched separately between breaks, because a break (a kink
    // or jump of f) can hide a sign change from the samples.
    let mut bounds = vec![x0];
    bounds.extend(&breaks);
    bounds.push(x1);
    let mut cuts = breaks.clone();
    for window in bounds.windows(2) {
        cuts.extend(sign_changes(&mut row, window[0], window[1]));
    }

    let mut total = 0.0;
    let mut values = Vec::with_capacity(10);
    for piece in pieces(x0, x1, cuts) {
        let (xs, weights) = graded_nodes(piece);
        values.resize(xs.len(), 0.0);
        row(&xs, &mut values);
        total += values
            .iter()
            .zip(&weights)
            .map(|(value, weight)| weight * crate::deviation::abs_pow(*value, p))
            .sum::<f64>();
    }
    total
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
    let xs: Vec<f64> = (0..SAMPLES)
        .map(|i| a + (b - a) * i as f64 / (SAMPLES - 1) as f64)
        .collect();
    let mut values = vec![0.0; SAMPLES];
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

/// A root of `g` in the bracket [a, b] with g(a)·g(b) < 0, by the Illinois
/// variant of regula falsi (the retained end's value is halved whenever the
/// same end is kept twice, which keeps convergence superlinear).
fn illinois<G>(g: &mut G, mut a: f64, mut b: f64, mut fa: f64, mut fb: f64) -> f64
where
    G: FnMut(&[f64], &mut [f64]),
{
    let tolerance = 1e-14 * (b - a).abs();
    let mut value = [0.0];
    for _ in 0..ROOT_ITERATIONS {
        let c = (a * fb - b * fa) / (fb - fa);
        if !c.is_finite() || c <= a.min(b) || c >= a.max(b) {
            return 0.5 * (a + b);
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

/// The pieces of [a, b] between sorted interior `cuts`; a piece end is
/// singular when it is a cut.
fn pieces(a: f64, b: f64, mut cuts: Vec<f64>) -> Vec<Piece> {
    cuts.retain(|&c| c > a && c < b && c.is_finite());
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut result = Vec::with_capacity(cuts.len() + 1);
    let mut start = a;
    let mut singular_start = false;
    for cut in cuts {
        result.push(Piece {
            start,
            end: cut,
            singular_start,
            singular_end: true,
        });
        start = cut;
        singular_start = true;
    }
    result.push(Piece {
        start,
        end: b,
        singular_start,
        singular_end: false,
    });
    result
}

/// Nodes and weights of the 5-point Gauss rule on a piece, graded towards
/// its singular end: x = r + (w − r)s² with r the singular end, so that
/// dx = 2(w − r)s ds. A piece singular at both ends is split in half
/// first, giving 10 nodes.
fn graded_nodes(piece: Piece) -> (Vec<f64>, Vec<f64>) {
    let mut xs = Vec::with_capacity(10);
    let mut weights = Vec::with_capacity(10);
    for half in split_both(piece) {
        push_graded(half, &mut xs, &mut weights);
    }
    (xs, weights)
}

/// Splits a piece singular at both ends into two halves, each singular at
/// one end; other pieces are returned as they are.
fn split_both(piece: Piece) -> Vec<Piece> {
    if piece.singular_start && piece.singular_end {
        let middle = 0.5 * (piece.start + piece.end);
        return vec![
            Piece {
                start: piece.start,
                end: middle,
                singular_start: true,
                singular_end: false,
            },
            Piece {
                start: middle,
                end: piece.end,
                singular_start: false,
                singular_end: true,
            },
        ];
    }
    vec![piece]
}

/// Appends the nodes and weights of one piece with at most one singular end.
fn push_graded(piece: Piece, xs: &mut Vec<f64>, weights: &mut Vec<f64>) {
    let width = piece.end - piece.start;
    for (node, weight) in NODES.iter().zip(&WEIGHTS) {
        if piece.singular_start {
            xs.push(piece.start + width * node * node);
            weights.push(weight * 2.0 * width * node);
        } else if piece.singular_end {
            xs.push(piece.end - width * node * node);
            weights.push(weight * 2.0 * width * node);
        } else {
            xs.push(piece.start + width * node);
            weights.push(weight * width);
        }
    }
}

/// ∫ over a piece of `integrand`, by the graded 5-point Gauss rule.
fn graded_gauss<F: FnMut(f64) -> f64>(piece: Piece, mut integrand: F) -> f64 {
    let (xs, weights) = graded_nodes(piece);
    xs.iter()
        .zip(&weights)
        .map(|(x, weight)| weight * integrand(*x))
        .sum()
}
