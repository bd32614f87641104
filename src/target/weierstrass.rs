//! Lacunary cosine sum, a Weierstrass-type function of Hölder exponent α.

use super::{Sampling, Target};
use crate::grid::{Grid, Point};
use crate::trig::sin_cos_pi_many;

/// Frequency ratio b of consecutive terms. With b = 2 the products 2^k·x
/// are exact in floating point, so each cosine argument reduces exactly.
pub const WEIERSTRASS_BASE: f64 = 2.0;

/// Index K of the last term. Fixed, so that moving the depth never changes
/// f; the finest frequency 2^20·π resolves scales down to about 1e-6, and
/// below that f is smooth and errors fall like N^{-ℓ}.
pub const WEIERSTRASS_TERMS: usize = 20;

/// g(x) = (1/S) Σ_{k=0..K} 2^{-αk} cos(2^k π x) with S = Σ_k 2^{-αk}, so
/// that |g| ≤ 1 and g(0) = 1. In two dimensions f(x, y) = (g(x) + g(y))/2.
#[derive(Clone, Debug)]
pub struct Weierstrass {
    d: usize,
    alpha: f64,
    /// Normalised amplitudes 2^{-αk}/S.
    weights: [f64; WEIERSTRASS_TERMS + 1],
}

impl Weierstrass {
    /// The sum with exponent `alpha` in dimension `d`.
    pub fn new(d: usize, alpha: f64) -> Weierstrass {
        let mut weights = [0.0; WEIERSTRASS_TERMS + 1];
        let mut total = 0.0;
        for (k, weight) in weights.iter_mut().enumerate() {
            *weight = WEIERSTRASS_BASE.powf(-alpha * k as f64);
            total += *weight;
        }
        for weight in weights.iter_mut() {
            *weight /= total;
        }
        Weierstrass { d, alpha, weights }
    }

    /// The one-dimensional sum g(x).
    pub fn g(&self, x: f64) -> f64 {
        let mut value = [0.0];
        self.g_many(&[x], &mut value);
        value[0]
    }

    /// g at many points: `out[i] = g(xs[i])`.
    ///
    /// cos(2^k πx) comes from squaring e^{iπ2^k x} from one term to the
    /// next, which doubles its relative rounding error each time; the phase
    /// is recomputed exactly every `RESYNC` terms, so the error stays below
    /// 2^RESYNC units in the last place (about 6e-14). Points are processed
    /// in blocks so that the squarings of different points run in parallel.
    pub fn g_many(&self, xs: &[f64], out: &mut [f64]) {
        for (block, values) in xs.chunks(BLOCK).zip(out.chunks_mut(BLOCK)) {
            let mut phases = Phases::new(block.len());
            values.iter_mut().for_each(|value| *value = 0.0);
            for k in 0..=WEIERSTRASS_TERMS {
                phases.advance(k, block);
                let weight = self.weights[k];
                for (value, cos) in values.iter_mut().zip(&phases.cos[..block.len()]) {
                    *value += weight * cos;
                }
            }
        }
    }

    /// Exact mean of g over [a, b]: each term averages to
    /// cos(2^k π m)·sinc(2^k (b − a)/2) with m the midpoint, a form that
    /// stays accurate for tiny intervals.
    pub fn g_mean(&self, a: f64, b: f64) -> f64 {
        let mut value = [0.0];
        self.g_mean_many(&[a], &[b], &mut value);
        value[0]
    }

    /// Means of g over the intervals [starts[i], ends[i]].
    pub fn g_mean_many(&self, starts: &[f64], ends: &[f64], out: &mut [f64]) {
        let mut mids = [0.0; BLOCK];
        let mut halves = [0.0; BLOCK];
        let blocks = starts
            .chunks(BLOCK)
            .zip(ends.chunks(BLOCK))
            .zip(out.chunks_mut(BLOCK));
        for ((block_starts, block_ends), values) in blocks {
            let count = block_starts.len();
            for i in 0..count {
                mids[i] = 0.5 * (block_starts[i] + block_ends[i]);
                halves[i] = 0.5 * (block_ends[i] - block_starts[i]);
            }
            let mut centre = Phases::new(count);
            let mut width = Phases::new(count);
            values.iter_mut().for_each(|value| *value = 0.0);
            for k in 0..=WEIERSTRASS_TERMS {
                centre.advance(k, &mids[..count]);
                width.advance(k, &halves[..count]);
                let weight = self.weights[k];
                let frequency = std::f64::consts::PI * (1u64 << k) as f64;
                for i in 0..count {
                    let z = frequency * halves[i];
                    let sinc = if z < 1e-4 {
                        1.0 - z * z / 6.0
                    } else {
                        width.sin[i] / z
                    };
                    values[i] += weight * centre.cos[i] * sinc;
                }
            }
        }
    }

    /// Means of g over the cells of one axis of `grid`.
    fn axis_means(&self, grid: &Grid) -> Vec<f64> {
        let (starts, ends): (Vec<f64>, Vec<f64>) =
            (0..grid.per_axis()).map(|k| grid.axis_bounds(k)).unzip();
        let mut means = vec![0.0; starts.len()];
        self.g_mean_many(&starts, &ends, &mut means);
        means
    }
}

impl Target for Weierstrass {
    fn dim(&self) -> usize {
        self.d
    }

    fn eval(&self, point: Point) -> f64 {
        if self.d == 1 {
            return self.g(point[0]);
        }
        0.5 * (self.g(point[0]) + self.g(point[1]))
    }

    fn eval_many(&self, points: &[Point], out: &mut [f64]) {
        let xs: Vec<f64> = points.iter().map(|p| p[0]).collect();
        self.g_many(&xs, out);
        if self.d == 1 {
            return;
        }
        let ys: Vec<f64> = points.iter().map(|p| p[1]).collect();
        let mut gy = vec![0.0; ys.len()];
        self.g_many(&ys, &mut gy);
        for (value, other) in out.iter_mut().zip(&gy) {
            *value = 0.5 * (*value + other);
        }
    }

    fn eval_grid(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        let mut gx = vec![0.0; xs.len()];
        self.g_many(xs, &mut gx);
        if self.d == 1 {
            out[..gx.len()].copy_from_slice(&gx);
            return;
        }
        let mut gy = vec![0.0; ys.len()];
        self.g_many(ys, &mut gy);
        for (j, gy) in gy.iter().enumerate() {
            for (i, value) in gx.iter().enumerate() {
                out[j * xs.len() + i] = 0.5 * (value + gy);
            }
        }
    }

    fn box_mean(&self, lo: Point, hi: Point) -> Option<f64> {
        let first = self.g_mean(lo[0], hi[0]);
        if self.d == 1 {
            return Some(first);
        }
        Some(0.5 * (first + self.g_mean(lo[1], hi[1])))
    }

    fn box_mean_many(&self, los: &[Point], his: &[Point], out: &mut [f64]) -> bool {
        let starts: Vec<f64> = los.iter().map(|lo| lo[0]).collect();
        let ends: Vec<f64> = his.iter().map(|hi| hi[0]).collect();
        self.g_mean_many(&starts, &ends, out);
        if self.d == 1 {
            return true;
        }
        let starts: Vec<f64> = los.iter().map(|lo| lo[1]).collect();
        let ends: Vec<f64> = his.iter().map(|hi| hi[1]).collect();
        let mut second = vec![0.0; starts.len()];
        self.g_mean_many(&starts, &ends, &mut second);
        for (value, other) in out.iter_mut().zip(&second) {
            *value = 0.5 * (*value + other);
        }
        true
    }

    fn grid_means(&self, grid: &Grid) -> Option<Vec<f64>> {
        let axis = self.axis_means(grid);
        if self.d == 1 {
            return Some(axis);
        }
        let mut means = Vec::with_capacity(axis.len() * axis.len());
        for gy in &axis {
            means.extend(axis.iter().map(|gx| 0.5 * (gx + gy)));
        }
        Some(means)
    }

    /// |cos a − cos b| ≤ min(2, |a − b|) term by term gives
    /// |g(x + h) − g(x)| ≤ Σ_k w_k min(2, 2^k π |h|), and the 2D average of
    /// two such bounds is bounded by the same sum.
    fn modulus_majorant(&self, t: f64, _p: f64) -> Option<f64> {
        let mut sum = 0.0;
        let mut scale = std::f64::consts::PI * t;
        for weight in &self.weights {
            sum += weight * scale.min(2.0);
            scale *= WEIERSTRASS_BASE;
        }
        Some(sum)
    }

    fn rate_exponent(&self, _p: f64) -> f64 {
        self.alpha
    }

    fn sampling(&self) -> Sampling {
        Sampling::MonteCarlo
    }

    fn cost(&self) -> u64 {
        (WEIERSTRASS_TERMS as u64 + 1) / 4
    }

    /// Writes the sum with S defined, because the page shows this formula
    /// on its own.
    fn formula(&self) -> String {
        let weight = format!("2^(−{}k)", trim_number(self.alpha));
        let sum = format!(
            "Σₖ {weight} cos(2ᵏπ·) / S for k = 0, …, {WEIERSTRASS_TERMS}, with S = Σₖ {weight}"
        );
        if self.d == 1 {
            format!("{}, so that max |f| = f(0) = 1", sum.replace('·', "x"))
        } else {
            format!(
                "(g(x) + g(y))/2 with g(t) = {}, so that max |g| = g(0) = 1",
                sum.replace('·', "t")
            )
        }
    }
}

/// Terms between exact recomputations of the phase.
const RESYNC: usize = 8;

/// Points processed together.
const BLOCK: usize = 64;

/// sin and cos of π·2^k·x for a block of points, advanced term by term.
struct Phases {
    sin: [f64; BLOCK],
    cos: [f64; BLOCK],
    count: usize,
}

impl Phases {
    fn new(count: usize) -> Phases {
        Phases {
            sin: [0.0; BLOCK],
            cos: [0.0; BLOCK],
            count,
        }
    }

    /// Moves the phases to term `k`: exactly when k is a multiple of
    /// `RESYNC`, else by squaring the previous term's phase.
    fn advance(&mut self, k: usize, xs: &[f64]) {
        let count = self.count;
        if k % RESYNC == 0 {
            let factor = (1u64 << k) as f64;
            let mut scaled = [0.0; BLOCK];
            for (value, x) in scaled.iter_mut().zip(xs) {
                *value = x * factor;
            }
            sin_cos_pi_many(
                &scaled[..count],
                &mut self.sin[..count],
                &mut self.cos[..count],
            );
            return;
        }
        for (sin, cos) in self.sin[..count].iter_mut().zip(&mut self.cos[..count]) {
            let (s, c) = (*sin, *cos);
            *cos = c * c - s * s;
            *sin = 2.0 * s * c;
        }
    }
}

/// Shortest decimal form of a slider value for labels.
pub(crate) fn trim_number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_to_one_at_origin() {
        let w = Weierstrass::new(1, 0.5);
        assert!((w.g(0.0) - 1.0).abs() < 1e-15);
        assert!((w.g(1.0) - (1.0 - 2.0 * w.weights[0])).abs() < 1e-15);
    }

    #[test]
    fn formula_defines_normaliser() {
        for d in [1, 2] {
            let formula = Weierstrass::new(d, 0.5).formula();
            assert!(formula.contains("/ S"), "{formula}");
            assert!(formula.contains("S = Σₖ 2^(−0.5k)"), "{formula}");
            assert!(formula.contains("k = 0, …, 20"), "{formula}");
            assert!(!formula.contains('_'), "{formula}");
        }
    }

    #[test]
    fn blocked_sum_matches_direct_sum() {
        let w = Weierstrass::new(1, 0.35);
        let xs: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.000_999_7).collect();
        let mut fast = vec![0.0; xs.len()];
        w.g_many(&xs, &mut fast);
        for (x, value) in xs.iter().zip(&fast) {
            let direct: f64 = (0..=WEIERSTRASS_TERMS)
                .map(|k| {
                    w.weights[k] * libm::cos(std::f64::consts::PI * (x * (1u64 << k) as f64 % 2.0))
                })
                .sum();
            assert!((value - direct).abs() < 1e-12, "x = {x}");
        }
    }

    #[test]
    fn mean_over_unit_interval_is_zero() {
        // Every term has mean zero over [0, 1] except none: cos(2^k π x)
        // integrates to sin(2^k π)/(2^k π) = 0.
        let w = Weierstrass::new(1, 0.3);
        assert!(w.g_mean(0.0, 1.0).abs() < 1e-15);
    }

    #[test]
    fn mean_matches_quadrature_on_short_intervals() {
        use crate::quadrature::{integrate, Adaptive};
        let w = Weierstrass::new(1, 0.4);
        for (a, b) in [(0.1, 0.1 + 1e-3), (0.7, 0.7 + 3e-4), (0.333, 0.3331)] {
            let mut f = |points: &[Point], out: &mut [f64]| {
                for (point, value) in points.iter().zip(out.iter_mut()) {
                    *value = w.g(point[0]);
                }
            };
            let settings = Adaptive {
                tolerance: 1e-14 * (b - a),
                relative: 0.0,
                max_evaluations: 1_000_000,
            };
            let numeric = integrate(1, [a, 0.0], [b, 0.0], &[], &mut f, settings).value / (b - a);
            assert!((w.g_mean(a, b) - numeric).abs() < 1e-10, "[{a}, {b}]");
        }
    }

    #[test]
    fn tiny_cell_mean_close_to_value() {
        let w = Weierstrass::new(1, 0.5);
        let a = 0.123_456_789;
        let b = a + 1e-12;
        let mean = w.g_mean(a, b);
        assert!((mean - w.g(0.5 * (a + b))).abs() < 1e-9);
    }
}
