//! Numerical integration over intervals and rectangles.
//!
//! Two kinds of rules:
//!
//! - Fixed Gauss–Legendre rules (`gauss_mean`), used for quick draft values.
//! - Adaptive Gauss–Kronrod integration (`integrate`): the 7-point Gauss and
//!   15-point Kronrod pair on intervals, and the tensor product of the
//!   3-point Gauss and 7-point Kronrod pair (49 points) on rectangles. The
//!   box with the largest error estimate |Kronrod − Gauss| is split until the
//!   summed estimate is below an absolute tolerance or the evaluation budget
//!   is spent. Known non-smooth points of the integrand ("seeds") split the
//!   domain before the first rule is applied, so that each piece is smooth
//!   or has its singularity at a corner, where bisection converges fast.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::grid::Point;

/// Nodes of the 15-point Kronrod rule on [-1, 1] (non-negative half, the
/// last one is the centre). Odd positions (1, 3, 5, 7) are the 7-point Gauss
/// nodes. Values from QUADPACK (Piessens et al., 1983).
const K15_NODES: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];

/// Weights of the 15-point Kronrod rule, matching `K15_NODES`.
const K15_WEIGHTS: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];

/// Weights of the 7-point Gauss rule at `K15_NODES[1]`, `[3]`, `[5]`, `[7]`.
const G7_WEIGHTS: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// Nodes of the 7-point Kronrod extension of the 3-point Gauss rule, in
/// increasing order on [-1, 1]. Positions 1, 3 and 5 are the Gauss nodes.
const K7_NODES: [f64; 7] = [
    -0.960_491_268_708_020_3,
    -0.774_596_669_241_483_4,
    -0.434_243_749_346_802_56,
    0.0,
    0.434_243_749_346_802_56,
    0.774_596_669_241_483_4,
    0.960_491_268_708_020_3,
];

/// Weights of the 7-point Kronrod rule, matching `K7_NODES`.
const K7_WEIGHTS: [f64; 7] = [
    0.104_656_226_026_467_27,
    0.268_488_089_868_333_44,
    0.401_397_414_775_962_2,
    0.450_916_538_658_474_14,
    0.401_397_414_775_962_2,
    0.268_488_089_868_333_44,
    0.104_656_226_026_467_27,
];

/// Weights of the 3-point Gauss rule at `K7_NODES[1]`, `[3]`, `[5]`.
const G3_WEIGHTS: [f64; 3] = [5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0];

/// Result of a numerical integration.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Quadrature {
    /// The integral (not the mean) over the box.
    pub value: f64,
    /// Summed |Kronrod − Gauss| estimates of the pieces: an error estimate
    /// that is usually pessimistic for smooth integrands.
    pub error: f64,
    /// Number of integrand evaluations spent.
    pub evaluations: u64,
    /// Whether the error estimate reached the requested tolerance.
    pub converged: bool,
}

/// Settings of the adaptive integrator. Refinement stops once the summed
/// error estimate is at most max(`tolerance`, `relative`·|integral|).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adaptive {
    /// Absolute tolerance on the summed error estimate.
    pub tolerance: f64,
    /// Tolerance relative to the magnitude of the integral.
    pub relative: f64,
    /// Evaluations after which no further box is split. The first pass over
    /// the seed pieces is always done, so a call may spend slightly more.
    pub max_evaluations: u64,
}

/// Number of integrand evaluations of one adaptive rule application in
/// dimension `d`.
pub fn rule_cost(d: usize) -> u64 {
    if d == 1 {
        15
    } else {
        49
    }
}

/// Integrates over the box `[lo, hi]` (1D uses the first coordinates)
/// with the adaptive Gauss–Kronrod scheme described in the module docs.
///
/// `integrand` receives a batch of points and fills one value per point.
/// Values must be finite; a non-finite box result is kept as it is and that
/// box is not refined further. `seeds` are points where the integrand is
/// not smooth; the domain is cut along their coordinates first.
pub fn integrate<F>(
    d: usize,
    lo: Point,
    hi: Point,
    seeds: &[Point],
    integrand: &mut F,
    settings: Adaptive,
) -> Quadrature
where
    F: FnMut(&[Point], &mut [f64]),
{
    let mut scratch = RuleScratch::new(d);
    let mut heap = BinaryHeap::new();
    let mut settled = Quadrature::default();
    let mut evaluations = 0;

    let min_width = 1e-14
        * (hi[0] - lo[0])
            .abs()
            .max(if d == 2 { (hi[1] - lo[1]).abs() } else { 0.0 });

    for (piece_lo, piece_hi) in seed_pieces(d, lo, hi, seeds) {
        let piece = scratch.apply(d, piece_lo, piece_hi, integrand);
        evaluations += rule_cost(d);
        push_or_settle(&mut heap, &mut settled, piece, min_width);
    }

    // The open error is kept as a running sum and recomputed exactly before
    // any decision to stop, so rounding drift cannot end the loop early.
    let (mut open_value, mut open_error) = open_sums(&heap);
    let mut splits_since_sum = 0;
    loop {
        let allowed = |open_value: f64| {
            settings
                .tolerance
                .max(settings.relative * (open_value + settled.value).abs())
        };
        if open_error + settled.error <= allowed(open_value) || splits_since_sum >= 256 {
            (open_value, open_error) = open_sums(&heap);
            splits_since_sum = 0;
            if open_error + settled.error <= allowed(open_value) {
                break;
            }
        }
        if evaluations + children_count(d) * rule_cost(d) > settings.max_evaluations {
            break;
        }
        let Some(worst) = heap.pop() else {
            break;
        };
        open_error -= worst.error;
        open_value -= worst.value;
        for (child_lo, child_hi) in split(d, worst.lo, worst.hi) {
            let child = scratch.apply(d, child_lo, child_hi, integrand);
            evaluations += rule_cost(d);
            if push_or_settle(&mut heap, &mut settled, child, min_width) {
                open_error += child.error;
                open_value += child.value;
            }
        }
        splits_since_sum += 1;
    }

    let mut result = settled;
    for piece in heap.iter() {
        result.value += piece.value;
        result.error += piece.error;
    }
    result.evaluations = evaluations;
    result.converged = result.error <= settings.tolerance;
    result
}

/// Mean of the integrand over `[lo, hi]` by a tensor Gauss–Legendre rule
/// with 3 or 7 points per axis (`points` is rounded to one of these).
pub fn gauss_mean<F>(d: usize, lo: Point, hi: Point, points: usize, integrand: &mut F) -> f64
where
    F: FnMut(&[Point], &mut [f64]),
{
    let (nodes, weights): (Vec<f64>, Vec<f64>) = if points <= 3 {
        (
            vec![K7_NODES[1], K7_NODES[3], K7_NODES[5]],
            G3_WEIGHTS.to_vec(),
        )
    } else {
        let mut nodes = Vec::with_capacity(7);
        let mut weights = Vec::with_capacity(7);
        for (i, &weight) in G7_WEIGHTS.iter().enumerate() {
            let node = K15_NODES[2 * i + 1];
            nodes.push(-node);
            weights.push(weight);
            if node != 0.0 {
                nodes.push(node);
                weights.push(weight);
            }
        }
        (nodes, weights)
    };

    let mut points_buf = Vec::with_capacity(nodes.len().pow(d as u32));
    let mut weight_buf = Vec::with_capacity(points_buf.capacity());
    let centre = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])];
    let half = [0.5 * (hi[0] - lo[0]), 0.5 * (hi[1] - lo[1])];
    if d == 1 {
        for (node, weight) in nodes.iter().zip(&weights) {
            points_buf.push([centre[0] + half[0] * node, 0.0]);
            weight_buf.push(*weight);
        }
    } else {
        for (ny, wy) in nodes.iter().zip(&weights) {
            for (nx, wx) in nodes.iter().zip(&weights) {
                points_buf.push([centre[0] + half[0] * nx, centre[1] + half[1] * ny]);
                weight_buf.push(wx * wy);
            }
        }
    }

    let mut values = vec![0.0; points_buf.len()];
    integrand(&points_buf, &mut values);
    let sum: f64 = values.iter().zip(&weight_buf).map(|(v, w)| v * w).sum();
    let reference_volume = if d == 1 { 2.0 } else { 4.0 };
    sum / reference_volume
}

/// A box with its Kronrod value and error estimate.
#[derive(Clone, Copy, Debug)]
struct Piece {
    lo: Point,
    hi: Point,
    value: f64,
    error: f64,
}

impl PartialEq for Piece {
    fn eq(&self, other: &Self) -> bool {
        self.error.total_cmp(&other.error) == Ordering::Equal
    }
}

impl Eq for Piece {}

impl PartialOrd for Piece {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Piece {
    fn cmp(&self, other: &Self) -> Ordering {
        self.error.total_cmp(&other.error)
    }
}

/// Keeps a piece open for refinement and returns true, unless it is
/// non-finite, exact, or already at the smallest width worth splitting.
/// Such pieces go into `settled`.
fn push_or_settle(
    heap: &mut BinaryHeap<Piece>,
    settled: &mut Quadrature,
    piece: Piece,
    min_width: f64,
) -> bool {
    if !piece.value.is_finite() || !piece.error.is_finite() {
        settled.value += piece.value;
        return false;
    }
    let width = (piece.hi[0] - piece.lo[0]).max(piece.hi[1] - piece.lo[1]);
    if width <= min_width || piece.error == 0.0 {
        settled.value += piece.value;
        settled.error += piece.error;
        return false;
    }
    heap.push(piece);
    true
}

/// Exact sums of the values and error estimates of the open pieces.
fn open_sums(heap: &BinaryHeap<Piece>) -> (f64, f64) {
    heap.iter().fold((0.0, 0.0), |(value, error), piece| {
        (value + piece.value, error + piece.error)
    })
}

/// Number of children of one split.
fn children_count(d: usize) -> u64 {
    if d == 1 {
        2
    } else {
        4
    }
}

/// Halves an interval, or quarters a rectangle.
fn split(d: usize, lo: Point, hi: Point) -> Vec<(Point, Point)> {
    let mid = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])];
    if d == 1 {
        return vec![(lo, [mid[0], 0.0]), ([mid[0], 0.0], hi)];
    }
    vec![
        (lo, mid),
        ([mid[0], lo[1]], [hi[0], mid[1]]),
        ([lo[0], mid[1]], [mid[0], hi[1]]),
        (mid, hi),
    ]
}

/// Cuts `[lo, hi]` along every seed coordinate that lies strictly inside.
fn seed_pieces(d: usize, lo: Point, hi: Point, seeds: &[Point]) -> Vec<(Point, Point)> {
    let cuts = |axis: usize| -> Vec<f64> {
        let mut cuts = vec![lo[axis]];
        let mut inner: Vec<f64> = seeds
            .iter()
            .map(|seed| seed[axis])
            .filter(|&c| c > lo[axis] && c < hi[axis])
            .collect();
        inner.sort_by(f64::total_cmp);
        inner.dedup();
        cuts.extend(inner);
        cuts.push(hi[axis]);
        cuts
    };

    let xs = cuts(0);
    if d == 1 {
        return xs.windows(2).map(|w| ([w[0], 0.0], [w[1], 0.0])).collect();
    }
    let ys = cuts(1);
    let mut pieces = Vec::with_capacity((xs.len() - 1) * (ys.len() - 1));
    for wy in ys.windows(2) {
        for wx in xs.windows(2) {
            pieces.push(([wx[0], wy[0]], [wx[1], wy[1]]));
        }
    }
    pieces
}

/// Buffers reused across rule applications.
struct RuleScratch {
    points: Vec<Point>,
    values: Vec<f64>,
}

impl RuleScratch {
    fn new(d: usize) -> RuleScratch {
        let count = rule_cost(d) as usize;
        RuleScratch {
            points: Vec::with_capacity(count),
            values: vec![0.0; count],
        }
    }

    /// Applies the Kronrod rule and its embedded Gauss rule to one box.
    fn apply<F>(&mut self, d: usize, lo: Point, hi: Point, integrand: &mut F) -> Piece
    where
        F: FnMut(&[Point], &mut [f64]),
    {
        let (value, error) = if d == 1 {
            self.apply_1d(lo[0], hi[0], integrand)
        } else {
            self.apply_2d(lo, hi, integrand)
        };
        Piece {
            lo,
            hi,
            value,
            error,
        }
    }

    fn apply_1d<F>(&mut self, a: f64, b: f64, integrand: &mut F) -> (f64, f64)
    where
        F: FnMut(&[Point], &mut [f64]),
    {
        let centre = 0.5 * (a + b);
        let half = 0.5 * (b - a);

        // Points 0..7 are centre − half·node, 7..14 centre + half·node, and 14
        // is the centre itself.
        self.points.clear();
        for node in &K15_NODES[..7] {
            self.points.push([centre - half * node, 0.0]);
        }
        for node in &K15_NODES[..7] {
            self.points.push([centre + half * node, 0.0]);
        }
        self.points.push([centre, 0.0]);
        integrand(&self.points, &mut self.values[..15]);

        let mut kronrod = K15_WEIGHTS[7] * self.values[14];
        let mut gauss = G7_WEIGHTS[3] * self.values[14];
        for j in 0..7 {
            let pair = self.values[j] + self.values[7 + j];
            kronrod += K15_WEIGHTS[j] * pair;
            if j % 2 == 1 {
                gauss += G7_WEIGHTS[j / 2] * pair;
            }
        }
        (kronrod * half, ((kronrod - gauss) * half).abs())
    }

    fn apply_2d<F>(&mut self, lo: Point, hi: Point, integrand: &mut F) -> (f64, f64)
    where
        F: FnMut(&[Point], &mut [f64]),
    {
        let centre = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])];
        let half = [0.5 * (hi[0] - lo[0]), 0.5 * (hi[1] - lo[1])];

        self.points.clear();
        for ny in K7_NODES {
            for nx in K7_NODES {
                self.points
                    .push([centre[0] + half[0] * nx, centre[1] + half[1] * ny]);
            }
        }
        integrand(&self.points, &mut self.values[..49]);

        let mut kronrod = 0.0;
        let mut gauss = 0.0;
        for (iy, wy) in K7_WEIGHTS.iter().enumerate() {
            for (ix, wx) in K7_WEIGHTS.iter().enumerate() {
                let value = self.values[iy * 7 + ix];
                kronrod += wx * wy * value;
                if ix % 2 == 1 && iy % 2 == 1 {
                    gauss += G3_WEIGHTS[ix / 2] * G3_WEIGHTS[iy / 2] * value;
                }
            }
        }
        let area = half[0] * half[1];
        (kronrod * area, ((kronrod - gauss) * area).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tight() -> Adaptive {
        Adaptive {
            tolerance: 1e-13,
            relative: 0.0,
            max_evaluations: 200_000,
        }
    }

    fn power(k: i32) -> impl FnMut(&[Point], &mut [f64]) {
        move |points: &[Point], out: &mut [f64]| {
            for (point, value) in points.iter().zip(out.iter_mut()) {
                *value = point[0].powi(k);
            }
        }
    }

    #[test]
    fn kronrod15_exact_for_degree_22() {
        // ∫_0^1 x^k dx = 1/(k+1); one rule application, no refinement needed.
        for k in 0..=22 {
            let mut f = power(k);
            let settings = Adaptive {
                tolerance: f64::INFINITY,
                relative: 0.0,
                max_evaluations: 15,
            };
            let result = integrate(1, [0.0, 0.0], [1.0, 0.0], &[], &mut f, settings);
            let exact = 1.0 / f64::from(k + 1);
            assert!((result.value - exact).abs() < 1e-15, "degree {k}");
            assert_eq!(result.evaluations, 15);
        }
    }

    #[test]
    fn gauss7_error_estimate_vanishes_to_degree_13() {
        for k in 0..=13 {
            let mut f = power(k);
            let settings = Adaptive {
                tolerance: 0.0,
                relative: 0.0,
                max_evaluations: 15,
            };
            let result = integrate(1, [0.0, 0.0], [1.0, 0.0], &[], &mut f, settings);
            assert!(result.error < 1e-15, "degree {k}: {}", result.error);
        }
    }

    #[test]
    fn tensor_kronrod7_exact_for_bivariate_polynomials() {
        // ∫∫_[0,1]^2 x^a y^b = 1/((a+1)(b+1)) for a, b ≤ 9.
        for a in 0..=9 {
            for b in 0..=9 {
                let mut f = |points: &[Point], out: &mut [f64]| {
                    for (p, v) in points.iter().zip(out.iter_mut()) {
                        *v = p[0].powi(a) * p[1].powi(b);
                    }
                };
                let settings = Adaptive {
                    tolerance: f64::INFINITY,
                    relative: 0.0,
                    max_evaluations: 49,
                };
                let result = integrate(2, [0.0, 0.0], [1.0, 1.0], &[], &mut f, settings);
                let exact = 1.0 / f64::from((a + 1) * (b + 1));
                assert!((result.value - exact).abs() < 1e-14, "x^{a} y^{b}");
            }
        }
    }

    #[test]
    fn seeded_kink_is_exact() {
        let mut f = |points: &[Point], out: &mut [f64]| {
            for (p, v) in points.iter().zip(out.iter_mut()) {
                *v = (p[0] - 1.0 / 3.0).abs();
            }
        };
        let result = integrate(
            1,
            [0.0, 0.0],
            [1.0, 0.0],
            &[[1.0 / 3.0, 0.0]],
            &mut f,
            tight(),
        );
        let exact = (1.0 / 9.0 + 4.0 / 9.0) / 2.0;
        assert!((result.value - exact).abs() < 1e-15);
        assert_eq!(result.evaluations, 30);
    }

    #[test]
    fn unseeded_jump_converges() {
        let mut f = |points: &[Point], out: &mut [f64]| {
            for (p, v) in points.iter().zip(out.iter_mut()) {
                *v = if p[0] >= 0.3 { 1.0 } else { 0.0 };
            }
        };
        let settings = Adaptive {
            tolerance: 1e-9,
            relative: 0.0,
            max_evaluations: 100_000,
        };
        let result = integrate(1, [0.0, 0.0], [1.0, 0.0], &[], &mut f, settings);
        assert!(result.converged);
        assert!((result.value - 0.7).abs() < 1e-9);
    }

    #[test]
    fn corner_singularity_converges() {
        // ∫_0^1 x^0.3 dx = 1/1.3, singular derivative at the left end.
        let mut f = |points: &[Point], out: &mut [f64]| {
            for (p, v) in points.iter().zip(out.iter_mut()) {
                *v = p[0].max(0.0).powf(0.3);
            }
        };
        let result = integrate(1, [0.0, 0.0], [1.0, 0.0], &[], &mut f, tight());
        assert!((result.value - 1.0 / 1.3).abs() < 1e-12);
    }

    #[test]
    fn cone_in_square_with_seed() {
        // The mean distance from the centre of a square of side 2 is
        // (√2 + ln(1+√2))/3, so the integral over [-1,1]^2 is 4 times that.
        let mut f = |points: &[Point], out: &mut [f64]| {
            for (p, v) in points.iter().zip(out.iter_mut()) {
                *v = p[0].hypot(p[1]);
            }
        };
        let settings = Adaptive {
            tolerance: 1e-11,
            relative: 0.0,
            max_evaluations: 400_000,
        };
        let result = integrate(2, [-1.0, -1.0], [1.0, 1.0], &[[0.0, 0.0]], &mut f, settings);
        let sqrt2 = std::f64::consts::SQRT_2;
        let exact = 4.0 * (sqrt2 + (1.0 + sqrt2).ln()) / 3.0;
        assert!(
            (result.value - exact).abs() < 1e-10,
            "{} vs {}",
            result.value,
            exact
        );
    }

    #[test]
    fn budget_stops_refinement() {
        let mut f = |points: &[Point], out: &mut [f64]| {
            for (p, v) in points.iter().zip(out.iter_mut()) {
                *v = if p[0] >= 0.123_456 { 1.0 } else { 0.0 };
            }
        };
        let settings = Adaptive {
            tolerance: 0.0,
            relative: 0.0,
            max_evaluations: 150,
        };
        let result = integrate(1, [0.0, 0.0], [1.0, 0.0], &[], &mut f, settings);
        assert!(result.evaluations <= 150);
        assert!(!result.converged);
    }

    #[test]
    fn gauss_mean_of_cubic() {
        let mut f = |points: &[Point], out: &mut [f64]| {
            for (p, v) in points.iter().zip(out.iter_mut()) {
                *v = p[0].powi(3) + p[1] * p[1];
            }
        };
        // Mean of x³ on [0,2] is 2; mean of y² on [0,1] is 1/3.
        let mean = gauss_mean(2, [0.0, 0.0], [2.0, 1.0], 3, &mut f);
        assert!((mean - (2.0 + 1.0 / 3.0)).abs() < 1e-14);
        let mean7 = gauss_mean(1, [0.0, 0.0], [2.0, 0.0], 7, &mut f);
        assert!((mean7 - 2.0).abs() < 1e-14);
    }
}
